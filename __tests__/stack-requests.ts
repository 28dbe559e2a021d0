import type { IamRequest } from "./iam-evaluation";

/**
 * The IAM requests that creating an environment stack's resources makes, read from the synthesized
 * JSON (names as the constructs set them, references resolved to the ARNs AWS would give). IDs that
 * AWS chooses (load balancer suffixes, key IDs, security group IDs) are fixed placeholders.
 */

export const ACCOUNT = "123456789012";
export const PARTITION = "aws";

export interface StackRequest {
  /** `<type>.<logical id>`, for messages. */
  readonly address: string;
  readonly request: IamRequest;
  /**
   * Whether another environment's deploy role must be refused this request. False for the calls
   * that AWS authorizes on "*" (no resource type) and for the follow-up calls on a new KMS key,
   * which are allowed before its tags count (see deploy-role-tagged-resources.ts).
   */
  readonly scoped: boolean;
}

type Resources = Record<string, Record<string, any>>;

/** Replaces the account/partition data sources, and ECR repository references when given. */
export function resolveAccount(text: string, repositoryArns: Record<string, string> = {}): string {
  return text
    .replace(/\$\{data\.aws_partition\.[^}]+\.partition\}/g, PARTITION)
    .replace(/\$\{data\.aws_caller_identity\.[^}]+\.account_id\}/g, ACCOUNT)
    .replace(/\$\{aws_ecr_repository\.([^.}]+)\.arn\}/g, (whole, id: string) => repositoryArns[id] ?? whole);
}

export class StackView {
  constructor(
    private readonly resources: Resources,
    readonly region: string,
    private readonly data: Resources = {},
    private readonly registryRegion = region,
  ) {}

  /** A data source's configuration (`data.<type>.<id>`). */
  dataSource(type: string, id: string): any {
    return this.data[type][id];
  }

  arn(service: string, resource: string): string {
    // IAM ARNs and CloudWatch dashboards' have no region (Service Authorization Reference).
    const regionless = service === "iam" || (service === "cloudwatch" && resource.startsWith("dashboard/"));
    return `arn:${PARTITION}:${service}:${regionless ? "" : this.region}:${ACCOUNT}:${resource}`;
  }

  /** A string of the stack with its references to other resources resolved. */
  resolve(text: string): string {
    const resolved = resolveAccount(text)
      .replace(/\$\{data\.aws_ecr_repository\.([^.}]+)\.arn\}/g, (_whole, id: string) =>
        `arn:${PARTITION}:ecr:${this.registryRegion}:${ACCOUNT}:repository/${this.data.aws_ecr_repository[id].name}`,
      )
      .replace(/\$\{(aws_[a-z0-9_]+)\.([^.}]+)\.([a-z_]+)\}/g, (_whole, type: string, id: string, attribute: string) =>
      this.attribute(type, id, attribute),
    );
    if (resolved.includes("${")) throw new Error(`stack-requests: unresolved reference in "${text}"`);
    return resolved;
  }

  private attribute(type: string, id: string, attribute: string): string {
    const resource = this.resources[type]?.[id];
    if (!resource) throw new Error(`stack-requests: no ${type}.${id}`);
    if (attribute === "arn") return this.arnOf(type, id);
    if (attribute === "name" || (type === "aws_iam_role" && attribute === "id")) return this.resolve(resource.name);
    if (attribute === "key_id") return `${id.toLowerCase()}-key-id`;
    if (type === "aws_security_group" && attribute === "id") return `sg-${id.toLowerCase()}`;
    if (type === "aws_launch_template" && attribute === "id") return launchTemplateId(id);
    if (type === "aws_launch_template" && attribute === "latest_version") return "1";
    if (type === "aws_eip" && attribute === "allocation_id") return allocationId(id);
    if (type === "aws_eip" && attribute === "public_ip") return "198.51.100.7";
    throw new Error(`stack-requests: attribute ${attribute} of ${type} is not modelled`);
  }

  arnOf(type: string, id: string): string {
    const resource = this.resources[type][id];
    const name = () => this.resolve(resource.name);
    switch (type) {
      case "aws_ecs_cluster":
        return this.arn("ecs", `cluster/${name()}`);
      case "aws_ecs_service":
        return this.arn("ecs", `service/${this.resolve(resource.cluster).split("/").pop()}/${name()}`);
      case "aws_ecs_task_definition":
        return this.arn("ecs", `task-definition/${resource.family}:1`);
      case "aws_iam_role":
        return this.arn("iam", `role${resource.path ?? "/"}${name()}`);
      case "aws_iam_policy":
        return this.arn("iam", `policy${resource.path ?? "/"}${name()}`);
      case "aws_iam_openid_connect_provider":
        return this.arn("iam", `oidc-provider/${resource.url.replace(/^https:\/\//, "")}`);
      case "aws_ecr_repository":
        return this.arn("ecr", `repository/${name()}`);
      case "aws_lb":
        return this.arn("elasticloadbalancing", `loadbalancer/app/${name()}/50dc6c495c0c9188`);
      case "aws_lb_target_group":
        return this.arn("elasticloadbalancing", `targetgroup/${name()}/73e2d6bc24d8a067`);
      case "aws_lb_listener":
        return `${this.resolve(resource.load_balancer_arn).replace(":loadbalancer/", ":listener/")}/${id.length}f0e1d2c3b4a5968`;
      case "aws_cloudwatch_log_group":
        // Provider 5.x: the ARN without the trailing `:*`.
        return this.arn("logs", `log-group:${name()}`);
      case "aws_sns_topic":
        return this.arn("sns", name());
      case "aws_kms_key":
        return this.arn("kms", `key/${id.toLowerCase()}-key-id`);
      case "aws_cloudwatch_event_rule":
        return this.arn("events", `rule/${name()}`);
      case "aws_cloudwatch_dashboard":
        return this.arn("cloudwatch", `dashboard/${this.resolve(resource.dashboard_name)}`);
      case "aws_security_group":
        return this.arn("ec2", `security-group/sg-${id.toLowerCase()}`);
      case "aws_acm_certificate":
        return this.arn("acm", "certificate/01234567-89ab-cdef-0123-456789abcdef");
      case "aws_launch_template":
        return this.arn("ec2", `launch-template/${launchTemplateId(id)}`);
      case "aws_eip":
        return this.arn("ec2", `elastic-ip/${allocationId(id)}`);
      case "aws_iam_instance_profile":
        return this.arn("iam", `instance-profile${resource.path ?? "/"}${name()}`);
      case "aws_autoscaling_group":
        // Service Authorization Reference (Amazon EC2 Auto Scaling): autoScalingGroup:<uuid>:autoScalingGroupName/<name>.
        return this.arn("autoscaling", `autoScalingGroup:0c5f2a8e-1b3d-4f6a-9e7c-2d4b6a8c0e1f:autoScalingGroupName/${name()}`);
      default:
        throw new Error(`stack-requests: the ARN of ${type} is not modelled`);
    }
  }
}

/** IDs EC2 chooses: fixed placeholders, one per logical ID. */
const launchTemplateId = (id: string) => `lt-${hexOf(id)}`;
const allocationId = (id: string) => `eipalloc-${hexOf(id)}`;
const hexOf = (id: string) => Buffer.from(id).toString("hex").padEnd(17, "0").slice(0, 17);

/** Resolves the references of a string of the stack (`${aws_cloudwatch_log_group.x.arn}`...). */
export function stackResolver(json: Record<string, any>, region: string, registryRegion: string): (text: string) => string {
  const view = new StackView(json.resource ?? {}, region, json.data ?? {}, registryRegion);
  return (text) => view.resolve(text);
}

/** Requests that create every resource of an environment stack, in the environment `environment` (its default tags). */
export function creationRequests(json: Record<string, any>, environment: string, region: string): StackRequest[] {
  const resources: Resources = json.resource ?? {};
  const view = new StackView(resources, region);
  const requestTags = { "aws:RequestTag/Environment": environment, "aws:RequestTag/Project": "city-guided" };
  const resourceTags = (prefix: "aws" | "ec2") => ({ [`${prefix}:ResourceTag/Environment`]: environment, [`${prefix}:ResourceTag/Project`]: "city-guided" });
  const requests: StackRequest[] = [];
  const add = (address: string, action: string, resource: string, context: Record<string, string> = {}, scoped = true) =>
    requests.push({ address, request: { action, resource, context }, scoped });
  for (const [type, byId] of Object.entries(resources)) {
    for (const [id, resource] of Object.entries(byId)) {
      const address = `${type}.${id}`;
      const on = (action: string, resourceArn: string, context: Record<string, string> = {}, scoped = true) => add(address, action, resourceArn, context, scoped);
      const handler = CREATE[type];
      if (!handler) throw new Error(`stack-requests: no creation request modelled for ${type} (add it, and check the deploy role grants it)`);
      handler({ view, resource, id, on, requestTags, resourceTags, resources });
    }
  }
  return requests;
}

interface CreateContext {
  view: StackView;
  resource: any;
  id: string;
  resources: Resources;
  on: (action: string, resource: string, context?: Record<string, string>, scoped?: boolean) => void;
  requestTags: Record<string, string>;
  resourceTags: (prefix: "aws" | "ec2") => Record<string, string>;
}

const byArn = (type: string) => (c: CreateContext) => c.view.arnOf(type, c.id);

/** The IAM action(s) that creating each resource type needs, on the ARN AWS authorizes them on. */
const CREATE: Record<string, (c: CreateContext) => void> = {
  aws_ecs_cluster: (c) => c.on("ecs:CreateCluster", byArn("aws_ecs_cluster")(c), c.requestTags),
  aws_ecs_service: (c) => c.on("ecs:CreateService", byArn("aws_ecs_service")(c), c.requestTags),
  aws_ecs_task_definition: (c) => {
    // RegisterTaskDefinition has no resource type; passing the roles is what is scoped.
    c.on("ecs:RegisterTaskDefinition", "*", c.requestTags, false);
    for (const role of [c.resource.execution_role_arn, c.resource.task_role_arn]) c.on("iam:PassRole", c.view.resolve(role), { "iam:PassedToService": "ecs-tasks.amazonaws.com" });
  },
  aws_iam_role: (c) => c.on("iam:CreateRole", byArn("aws_iam_role")(c), boundaryContext(c, c.resource)),
  aws_iam_role_policy: (c) => {
    const roleId = /^\$\{aws_iam_role\.([^.]+)\.id\}$/.exec(c.resource.role)![1];
    c.on("iam:PutRolePolicy", c.view.arnOf("aws_iam_role", roleId), boundaryContext(c, c.resources.aws_iam_role[roleId]));
  },
  aws_cloudwatch_log_group: (c) => c.on("logs:CreateLogGroup", c.view.arn("logs", `log-group:${c.view.resolve(c.resource.name)}`), c.requestTags),
  aws_cloudwatch_metric_alarm: (c) => c.on("cloudwatch:PutMetricAlarm", c.view.arn("cloudwatch", `alarm:${c.view.resolve(c.resource.alarm_name)}`), c.requestTags),
  aws_lb: (c) => c.on("elasticloadbalancing:CreateLoadBalancer", byArn("aws_lb")(c), c.requestTags),
  aws_lb_target_group: (c) => c.on("elasticloadbalancing:CreateTargetGroup", byArn("aws_lb_target_group")(c), c.requestTags),
  aws_lb_listener: (c) => c.on("elasticloadbalancing:CreateListener", byArn("aws_lb_listener")(c), c.requestTags),
  aws_lb_listener_rule: (c) =>
    c.on("elasticloadbalancing:CreateRule", `${c.view.resolve(c.resource.listener_arn).replace(":listener/", ":listener-rule/")}/9683b2d02a6cabee`, c.requestTags),
  aws_sns_topic: (c) => c.on("sns:CreateTopic", byArn("aws_sns_topic")(c), c.requestTags),
  aws_sns_topic_policy: (c) => c.on("sns:SetTopicAttributes", c.view.resolve(c.resource.arn)),
  aws_sns_topic_subscription: (c) => c.on("sns:Subscribe", c.view.resolve(c.resource.topic_arn)),
  aws_kms_key: (c) => {
    c.on("kms:CreateKey", "*", c.requestTags);
    const key = byArn("aws_kms_key")(c);
    // Right after CreateKey its tags may not count yet (up to five minutes): no resource tag in the request.
    c.on("kms:EnableKeyRotation", key, {}, false);
    // Later (a policy change, a rotation change): the tags count.
    for (const action of ["kms:EnableKeyRotation", "kms:PutKeyPolicy", "kms:ScheduleKeyDeletion"]) c.on(action, key, c.resourceTags("aws"));
  },
  aws_kms_alias: (c) => {
    c.on("kms:CreateAlias", c.view.arn("kms", c.view.resolve(c.resource.name)));
    const key = c.view.arn("kms", `key/${c.view.resolve(c.resource.target_key_id)}`);
    // CreateAlias is authorized on the alias and on the key: the key is the new one of this stack.
    c.on("kms:CreateAlias", key, {}, false);
    c.on("kms:CreateAlias", key, c.resourceTags("aws"));
  },
  // aws_cloudwatch_dashboard has no tags in provider 5.x: PutDashboard carries none.
  aws_cloudwatch_dashboard: (c) => c.on("cloudwatch:PutDashboard", byArn("aws_cloudwatch_dashboard")(c)),
  aws_cloudwatch_event_rule: (c) => c.on("events:PutRule", byArn("aws_cloudwatch_event_rule")(c), c.requestTags),
  aws_cloudwatch_event_target: (c) => c.on("events:PutTargets", c.view.arn("events", `rule/${c.view.resolve(c.resource.rule)}`)),
  aws_security_group: (c) => {
    c.on("ec2:CreateSecurityGroup", c.view.arn("ec2", "vpc/vpc-0123456789abcdef0"), {}, false);
    c.on("ec2:CreateSecurityGroup", byArn("aws_security_group")(c), c.requestTags);
  },
  aws_vpc_security_group_ingress_rule: (c) => c.on("ec2:AuthorizeSecurityGroupIngress", securityGroupOf(c), c.resourceTags("ec2")),
  aws_vpc_security_group_egress_rule: (c) => c.on("ec2:AuthorizeSecurityGroupEgress", securityGroupOf(c), c.resourceTags("ec2")),
  aws_acm_certificate: (c) => {
    // ARN unknown before the request: "*" with the names, the validation method and the tags.
    c.on("acm:RequestCertificate", "*", { ...c.requestTags, "acm:DomainNames": c.resource.domain_name, "acm:ValidationMethod": c.resource.validation_method });
    const certificate = byArn("aws_acm_certificate")(c);
    c.on("acm:AddTagsToCertificate", certificate, c.resourceTags("aws"));
    // Reads, which another environment's role may make too (deploy-role-policy.ts, ReadCertificates).
    for (const action of ["acm:DescribeCertificate", "acm:ListTagsForCertificate"]) c.on(action, certificate, c.resourceTags("aws"), false);
  },
  aws_acm_certificate_validation: (c) => c.on("acm:DescribeCertificate", c.view.resolve(c.resource.certificate_arn), c.resourceTags("aws"), false),
  aws_route53_record: (c) => {
    const zone = `arn:${PARTITION}:route53:::hostedzone/${c.resource.zone_id}`;
    const { name, type } = recordOf(c);
    // A read of the zone, which another environment in the same zone makes too.
    c.on("route53:GetHostedZone", zone, {}, false);
    c.on("route53:ChangeResourceRecordSets", zone, {
      "route53:ChangeResourceRecordSetsNormalizedRecordNames": name,
      "route53:ChangeResourceRecordSetsRecordTypes": type,
      "route53:ChangeResourceRecordSetsActions": c.resource.allow_overwrite ? "UPSERT" : "CREATE",
    });
    // A change ID Route 53 chooses: not an environment's resource.
    c.on("route53:GetChange", `arn:${PARTITION}:route53:::change/C0123456789ABCDEFGHIJ`, {}, false);
  },
  aws_iam_role_policy_attachment: (c) => {
    const roleId = /^\$\{aws_iam_role\.([^.]+)\.name\}$/.exec(c.resource.role)![1];
    c.on("iam:AttachRolePolicy", c.view.arnOf("aws_iam_role", roleId), { "iam:PolicyARN": c.view.resolve(c.resource.policy_arn), ...boundaryContext(c, c.resources.aws_iam_role[roleId]) });
  },
  aws_iam_instance_profile: (c) => {
    const profile = byArn("aws_iam_instance_profile")(c);
    c.on("iam:CreateInstanceProfile", profile);
    // Default tags: CreateInstanceProfile with Tags needs iam:TagInstanceProfile.
    c.on("iam:TagInstanceProfile", profile);
    c.on("iam:AddRoleToInstanceProfile", profile);
    // "The caller of this operation must be granted the PassRole permission on the IAM role" (IAM API Reference, AddRoleToInstanceProfile).
    c.on("iam:PassRole", roleOfProfile(c, c.id), { "iam:PassedToService": "ec2.amazonaws.com" });
  },
  aws_eip: (c) => {
    const address = byArn("aws_eip")(c);
    c.on("ec2:AllocateAddress", address, c.requestTags);
    // The tags go with the call (TagSpecifications): CreateTags for that call only, any environment's.
    c.on("ec2:CreateTags", address, { "ec2:CreateAction": "AllocateAddress" }, false);
    // Its destroy: the instance may hold it (DisassociateAddress), then ReleaseAddress.
    for (const action of ["ec2:DisassociateAddress", "ec2:ReleaseAddress"]) c.on(action, address, c.resourceTags("ec2"));
  },
  aws_launch_template: (c) => {
    const template = byArn("aws_launch_template")(c);
    c.on("ec2:CreateLaunchTemplate", template, c.requestTags);
    c.on("ec2:CreateTags", template, { "ec2:CreateAction": "CreateLaunchTemplate" }, false);
    // A new AMI or user data: a new version, made the default (update_default_version).
    for (const action of ["ec2:CreateLaunchTemplateVersion", "ec2:ModifyLaunchTemplate", "ec2:DeleteLaunchTemplate"]) c.on(action, template, c.resourceTags("ec2"));
  },
  aws_autoscaling_group: (c) => {
    const group = byArn("aws_autoscaling_group")(c);
    const actions = ["autoscaling:CreateAutoScalingGroup", "autoscaling:UpdateAutoScalingGroup", "autoscaling:DeleteAutoScalingGroup", "autoscaling:StartInstanceRefresh"];
    if ((c.resource.enabled_metrics ?? []).length > 0) actions.push("autoscaling:EnableMetricsCollection");
    for (const action of actions) c.on(action, group);
    const spec = c.resource.launch_template;
    const templateId = /^\$\{aws_launch_template\.([^.]+)\.id\}$/.exec(spec.id)![1];
    const templateArn = c.view.arnOf("aws_launch_template", templateId);
    // Creating the group (and each instance refresh) checks that the caller may launch from the
    // template (Amazon EC2 Auto Scaling User Guide, launch template permissions): RunInstances on the
    // template, on each resource the launch makes or uses, CreateTags for its tag_specifications,
    // PassRole for its instance profile's role.
    const launch = { "ec2:LaunchTemplate": templateArn };
    c.on("ec2:RunInstances", templateArn, c.resourceTags("ec2"));
    const template = c.resources.aws_launch_template[templateId];
    for (const resource of ["instance/i-0123456789abcdef0", "volume/vol-0123456789abcdef0", "network-interface/eni-0123456789abcdef0", "subnet/subnet-0123456789abcdef0", "security-group/sg-0123456789abcdef0"]) {
      c.on("ec2:RunInstances", c.view.arn("ec2", resource), launch, false);
    }
    c.on("ec2:RunInstances", `arn:${PARTITION}:ec2:${c.view.region}::image/ami-0123456789abcdef0`, launch, false);
    for (const spec of template.tag_specifications ?? []) {
      const resource = { instance: "instance/i-0123456789abcdef0", volume: "volume/vol-0123456789abcdef0", "network-interface": "network-interface/eni-0123456789abcdef0" }[spec.resource_type as string];
      if (!resource) throw new Error(`stack-requests: launch template tag specification for ${spec.resource_type} is not modelled`);
      c.on("ec2:CreateTags", c.view.arn("ec2", resource), { "ec2:CreateAction": "RunInstances" }, false);
    }
    const profile = /^\$\{aws_iam_instance_profile\.([^.]+)\.arn\}$/.exec(template.iam_instance_profile.arn)![1];
    c.on("iam:PassRole", roleOfProfile(c, profile), { "iam:PassedToService": "ec2.amazonaws.com" });
    // The account's first group creates Auto Scaling's service-linked role.
    c.on("iam:CreateServiceLinkedRole", c.view.arn("iam", "role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling"), { "iam:AWSServiceName": "autoscaling.amazonaws.com" }, false);
  },
  // Application Auto Scaling has no resource-level permissions for these.
  aws_appautoscaling_target: (c) => c.on("application-autoscaling:RegisterScalableTarget", "*", c.requestTags, false),
  aws_appautoscaling_policy: (c) => c.on("application-autoscaling:PutScalingPolicy", "*", {}, false),
};

function boundaryContext(c: CreateContext, role: any): Record<string, string> {
  return role.permissions_boundary ? { "iam:PermissionsBoundary": c.view.resolve(role.permissions_boundary) } : {};
}

/** The role in an instance profile, as an ARN. */
function roleOfProfile(c: CreateContext, profileId: string): string {
  const roleId = /^\$\{aws_iam_role\.([^.]+)\.name\}$/.exec(c.resources.aws_iam_instance_profile[profileId].role)![1];
  return c.view.arnOf("aws_iam_role", roleId);
}

function securityGroupOf(c: CreateContext): string {
  return c.view.arn("ec2", `security-group/${c.view.resolve(c.resource.security_group_id)}`);
}

/**
 * A record's name and type as Route 53 normalizes them (lowercase, no final dot); ACM's validation
 * record, whose name and type ACM chooses, as ACM words them: `_<token>.<domain>`, CNAME.
 */
function recordOf(c: CreateContext): { name: string; type: string } {
  const certificate = /aws_acm_certificate\.([^.]+)\.domain_validation_options/.exec(c.resource.name)?.[1];
  if (certificate) return { name: `_0123456789abcdef0123456789abcdef.${c.resources.aws_acm_certificate[certificate].domain_name}`, type: "CNAME" };
  return { name: c.view.resolve(c.resource.name).toLowerCase().replace(/\.$/, ""), type: c.resource.type };
}
