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
from moto.autoscaling.models import AutoScalingBackend
from moto.autoscaling.responses import AutoScalingResponse
from moto.core.responses import ActionResult, EmptyResult
from moto.ec2.models.launch_templates import LaunchTemplateBackend
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


def _create_launch_template_without_own_tags(original):
    """CreateLaunchTemplate: moto copies the template's own tags (TagSpecification, resource type
    launch-template) into its LaunchTemplateData.TagSpecifications, so DescribeLaunchTemplateVersions
    returns a launch-template entry the provider never set (a re-plan diff on tag_specifications).
    EC2 accepts no such resource type in launch template data (instance, volume, network-interface,
    spot-instances-request): the copy is dropped; the template keeps its tags."""

    def create(self, name, description, template_data, tag_spec):
        if template_data.get("TagSpecifications"):
            template_data["TagSpecifications"] = [
                spec for spec in template_data["TagSpecifications"] if spec.get("ResourceType") != "launch-template"
            ]
        return original(self, name, description, template_data, tag_spec)

    return create


LaunchTemplateBackend.create_launch_template = _create_launch_template_without_own_tags(
    LaunchTemplateBackend.create_launch_template
)

# Auto Scaling instance refreshes: missing in moto. The provider starts one when the proxy entry's
# launch template changes (instance_refresh), cancels one in progress first, and reads them back.
# A refresh here completes at once (Successful, 100 %); the group's instances are not replaced.
_refreshes: dict[str, list[dict]] = {}


def _start_instance_refresh(self):
    """StartInstanceRefresh: missing in moto."""
    import uuid
    from datetime import datetime, timezone

    group = self._get_param("AutoScalingGroupName")
    self.autoscaling_backend.describe_auto_scaling_groups([group])  # ValidationError for an unknown group
    now = datetime.now(timezone.utc)
    refresh = {
        "InstanceRefreshId": str(uuid.uuid4()),
        "AutoScalingGroupName": group,
        "Status": "Successful",
        "StatusReason": "emulator: completed at once",
        "StartTime": now,
        "EndTime": now,
        "PercentageComplete": 100,
        "InstancesToUpdate": 0,
        "Preferences": self._get_param("Preferences") or {},
    }
    _refreshes.setdefault(group, []).insert(0, refresh)
    return ActionResult({"InstanceRefreshId": refresh["InstanceRefreshId"]})


def _describe_instance_refreshes(self):
    """DescribeInstanceRefreshes: missing in moto (newest first, as AWS lists them)."""
    group = self._get_param("AutoScalingGroupName")
    wanted = self._get_param("InstanceRefreshIds") or []
    found = [refresh for refresh in _refreshes.get(group, []) if not wanted or refresh["InstanceRefreshId"] in wanted]
    return ActionResult({"InstanceRefreshes": found})


def _cancel_instance_refresh(self):
    """CancelInstanceRefresh: missing in moto; every refresh here is already complete (AWS: ActiveInstanceRefreshNotFound)."""
    from moto.core.exceptions import RESTError

    raise RESTError("ActiveInstanceRefreshNotFound", "No in progress or pending Instance Refresh found for Auto Scaling group " + self._get_param("AutoScalingGroupName"))


def _disable_metrics_collection(self):
    """DisableMetricsCollection: missing in moto (the provider calls it when enabled_metrics shrinks)."""
    group = self.autoscaling_backend.describe_auto_scaling_groups([self._get_param("AutoScalingGroupName")])[0]
    disabled = self._get_param("Metrics") or []
    group.metrics = [metric for metric in group.metrics if disabled and metric not in disabled]
    return EmptyResult()


def _create_group_with_api_default_grace_period(original):
    """CreateAutoScalingGroup: without HealthCheckGracePeriod, moto sets 300 (`period or 300`, the
    console's default); the API's default is 0 ("Its default value is 0 seconds when you create an
    Auto Scaling group using the AWS CLI or an SDK", Amazon EC2 Auto Scaling User Guide, health
    check grace period). The provider leaves a 0 out of the request (GetOk), so the proxy entry's
    group, which sets 0, read back 300: a re-plan diff."""

    def create(self, *args, **kwargs):
        period = kwargs.get("health_check_period")
        group = original(self, *args, **kwargs)
        if period in (None, 0, "0"):
            group.health_check_grace_period = 0
        return group

    return create


AutoScalingBackend.create_auto_scaling_group = _create_group_with_api_default_grace_period(AutoScalingBackend.create_auto_scaling_group)
AutoScalingResponse.start_instance_refresh = _start_instance_refresh
AutoScalingResponse.describe_instance_refreshes = _describe_instance_refreshes
AutoScalingResponse.cancel_instance_refresh = _cancel_instance_refresh
AutoScalingResponse.disable_metrics_collection = _disable_metrics_collection

if __name__ == "__main__":
    sys.exit(main())
