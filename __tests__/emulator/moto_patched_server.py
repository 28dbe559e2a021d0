"""moto's server with the gaps patched that the AWS provider (hashicorp/aws 5.100.0) hits on our stacks.

Test-only: __tests__/emulator/moto.ts starts this instead of `moto_server` (same arguments), so the
integration tests and `npm run test:apply` share one patched emulator. Written against moto 5.2.5
(what .ci/run and the pull request workflow install); every patch names the API it adds or fixes,
and each one fails loudly (AttributeError at start) if moto renames what it patches.
Gaps that are not patched here are listed, with their cause, in __tests__/apply/emulator-gaps.json.
"""

import json
import sys

from moto.applicationautoscaling.responses import ApplicationAutoScalingResponse
from moto.ec2.models.security_groups import SecurityGroupRule
from moto.ecs.models import Service
from moto.ecs.responses import EC2ContainerServiceResponse
from moto.route53.models import HostedZoneIdentifier
from moto.server import main

# Application Auto Scaling tags, by resource ARN (moto keeps none: one server per run, so a dict is the store).
_scaling_tags: dict[str, dict[str, str]] = {}


def _register_scalable_target_keeping_tags(original):
    """RegisterScalableTarget: moto drops its `Tags` parameter (the provider sends the default tags there)."""

    def register(self):
        body = original(self)
        tags = self._get_param("Tags")
        if tags:
            _scaling_tags.setdefault(json.loads(body)["ScalableTargetARN"], {}).update(tags)
        return body

    return register


def _list_tags_for_resource(self):
    """ListTagsForResource: missing in moto (the provider reads tags after every create and refresh)."""
    return json.dumps({"Tags": _scaling_tags.get(self._get_param("ResourceARN"), {})})


def _tag_resource(self):
    """TagResource: missing in moto."""
    _scaling_tags.setdefault(self._get_param("ResourceARN"), {}).update(self._get_param("Tags") or {})
    return json.dumps({})


def _untag_resource(self):
    """UntagResource: missing in moto."""
    tags = _scaling_tags.get(self._get_param("ResourceARN"), {})
    for key in self._get_param("TagKeys") or []:
        tags.pop(key, None)
    return json.dumps({})


ApplicationAutoScalingResponse.register_scalable_target = _register_scalable_target_keeping_tags(
    ApplicationAutoScalingResponse.register_scalable_target
)
ApplicationAutoScalingResponse.list_tags_for_resource = _list_tags_for_resource
ApplicationAutoScalingResponse.tag_resource = _tag_resource
ApplicationAutoScalingResponse.untag_resource = _untag_resource


# ECS CreateService/UpdateService: moto ignores these parameters, so DescribeServices never returns them.
# The response serializer reads each output member from the attribute of the same snake_case name.
_SERVICE_PARAMETERS = {
    "enableECSManagedTags": "enable_ecs_managed_tags",
    "healthCheckGracePeriodSeconds": "health_check_grace_period_seconds",
    "availabilityZoneRebalancing": "availability_zone_rebalancing",
}
Service.enable_ecs_managed_tags = False
Service.health_check_grace_period_seconds = None
Service.availability_zone_rebalancing = None


def _service_keeping_parameters(original):
    def action(self):
        result = original(self)
        service = result.result["service"]
        for parameter, attribute in _SERVICE_PARAMETERS.items():
            value = self._get_param(parameter)
            if value is not None:
                setattr(service, attribute, value)
        return result

    return action


EC2ContainerServiceResponse.create_service = _service_keeping_parameters(EC2ContainerServiceResponse.create_service)
EC2ContainerServiceResponse.update_service = _service_keeping_parameters(EC2ContainerServiceResponse.update_service)


# DescribeSecurityGroupRules: moto reads a rule's description from its CIDR range only, so a rule that
# references a security group comes back without the description it was created with.
SecurityGroupRule.description = property(
    lambda rule: rule.ip_range.get("Description") or (rule.source_group or {}).get("Description")
)

# CreateHostedZone: moto's IDs are 22 random uppercase letters and digits; Route 53's start with Z
# (Z0123456789ABCDEFGHIJ), which the project's INFRA_ROUTE53_ZONE_ID rule and SiteDomain require.
_generate_zone_id = HostedZoneIdentifier.generate
HostedZoneIdentifier.generate = lambda self, existing_ids=None, tags=None: "Z" + _generate_zone_id(self, existing_ids, tags)[1:]

if __name__ == "__main__":
    sys.exit(main())
