import type { IamRequest } from "./iam-evaluation";
import { StackView } from "./stack-requests";

/**
 * What `terraform plan` reads to refresh a stack: for each resource and data source type, the IAM
 * actions of the provider's read (hashicorp/aws 5.x), on the ARN AWS authorizes them on. A type
 * the stacks gain without an entry fails the test: the plan and deploy roles must be reviewed for it.
 */
const READS: Record<string, { actions: readonly string[]; on: "arn" | "*" | ((view: StackView, resource: any) => string) }> = {
  aws_ecs_cluster: { actions: ["ecs:DescribeClusters", "ecs:ListTagsForResource"], on: "arn" },
  aws_ecs_service: { actions: ["ecs:DescribeServices", "ecs:ListTagsForResource"], on: "arn" },
  aws_ecs_task_definition: { actions: ["ecs:DescribeTaskDefinition"], on: "*" },
  aws_iam_role: { actions: ["iam:GetRole", "iam:ListRolePolicies", "iam:ListAttachedRolePolicies"], on: "arn" },
  aws_iam_role_policy: { actions: ["iam:GetRolePolicy"], on: (view, resource) => view.resolve(resource.role.replace(/\.id\}$/, ".arn}")) },
  aws_iam_role_policy_attachment: { actions: ["iam:ListAttachedRolePolicies"], on: (view, resource) => view.resolve(resource.role.replace(/\.name\}$/, ".arn}")) },
  aws_iam_policy: { actions: ["iam:GetPolicy", "iam:GetPolicyVersion", "iam:ListPolicyVersions"], on: "arn" },
  aws_iam_openid_connect_provider: { actions: ["iam:GetOpenIDConnectProvider"], on: "arn" },
  aws_ecr_repository: { actions: ["ecr:DescribeRepositories", "ecr:ListTagsForResource"], on: "arn" },
  aws_ecr_lifecycle_policy: { actions: ["ecr:GetLifecyclePolicy"], on: (view, resource) => view.resolve(resource.repository.replace(/\.name\}$/, ".arn}")) },
  aws_cloudwatch_log_group: { actions: ["logs:DescribeLogGroups", "logs:ListTagsForResource"], on: "*" },
  aws_cloudwatch_metric_alarm: { actions: ["cloudwatch:DescribeAlarms", "cloudwatch:ListTagsForResource"], on: "*" },
  aws_cloudwatch_dashboard: { actions: ["cloudwatch:GetDashboard"], on: "arn" },
  aws_cloudwatch_event_rule: { actions: ["events:DescribeRule", "events:ListTagsForResource"], on: "arn" },
  aws_cloudwatch_event_target: { actions: ["events:ListTargetsByRule"], on: "*" },
  aws_lb: { actions: ["elasticloadbalancing:DescribeLoadBalancers", "elasticloadbalancing:DescribeLoadBalancerAttributes", "elasticloadbalancing:DescribeTags"], on: "*" },
  aws_lb_listener: { actions: ["elasticloadbalancing:DescribeListeners", "elasticloadbalancing:DescribeTags"], on: "*" },
  aws_lb_listener_rule: { actions: ["elasticloadbalancing:DescribeRules", "elasticloadbalancing:DescribeTags"], on: "*" },
  aws_lb_target_group: { actions: ["elasticloadbalancing:DescribeTargetGroups", "elasticloadbalancing:DescribeTargetGroupAttributes"], on: "*" },
  aws_sns_topic: { actions: ["sns:GetTopicAttributes", "sns:ListTagsForResource"], on: "arn" },
  aws_sns_topic_policy: { actions: ["sns:GetTopicAttributes"], on: (view, resource) => view.resolve(resource.arn) },
  aws_sns_topic_subscription: { actions: ["sns:GetSubscriptionAttributes"], on: "*" },
  aws_kms_key: { actions: ["kms:DescribeKey", "kms:GetKeyPolicy", "kms:GetKeyRotationStatus", "kms:ListResourceTags"], on: "arn" },
  aws_kms_alias: { actions: ["kms:ListAliases"], on: "*" },
  aws_security_group: { actions: ["ec2:DescribeSecurityGroups"], on: "*" },
  aws_vpc_security_group_ingress_rule: { actions: ["ec2:DescribeSecurityGroupRules"], on: "*" },
  aws_vpc_security_group_egress_rule: { actions: ["ec2:DescribeSecurityGroupRules"], on: "*" },
  aws_appautoscaling_target: { actions: ["application-autoscaling:DescribeScalableTargets", "application-autoscaling:ListTagsForResource"], on: "*" },
  aws_appautoscaling_policy: { actions: ["application-autoscaling:DescribeScalingPolicies"], on: "*" },
  aws_acm_certificate: { actions: ["acm:DescribeCertificate", "acm:ListTagsForCertificate"], on: "arn" },
  aws_acm_certificate_validation: { actions: ["acm:DescribeCertificate"], on: (view, resource) => view.resolve(resource.certificate_arn) },
  aws_launch_template: { actions: ["ec2:DescribeLaunchTemplates", "ec2:DescribeLaunchTemplateVersions"], on: "*" },
  aws_autoscaling_group: { actions: ["autoscaling:DescribeAutoScalingGroups"], on: "*" },
  // The provider's read of an address also reads its domain name attribute (ptr_record).
  aws_eip: { actions: ["ec2:DescribeAddresses", "ec2:DescribeAddressesAttribute"], on: "*" },
  aws_iam_instance_profile: { actions: ["iam:GetInstanceProfile"], on: "arn" },
  aws_route53_record: { actions: ["route53:GetHostedZone", "route53:ListResourceRecordSets"], on: (_view, resource) => `arn:aws:route53:::hostedzone/${resource.zone_id}` },
};

/** Data sources: what reading them calls; `aws_partition` and `aws_caller_identity` need no permission. */
const DATA_READS: Record<string, { actions: readonly string[]; on: "*" | ((view: StackView, source: any) => string) }> = {
  aws_partition: { actions: [], on: "*" },
  aws_caller_identity: { actions: [], on: "*" },
  aws_vpc: { actions: ["ec2:DescribeVpcs"], on: "*" },
  aws_subnets: { actions: ["ec2:DescribeSubnets"], on: "*" },
  aws_subnet: { actions: ["ec2:DescribeSubnets"], on: "*" },
  // A public parameter: AWS gives its ARN without an account (arn:aws:ssm:<region>::parameter/aws/service/...).
  aws_ssm_parameter: { actions: ["ssm:GetParameter"], on: (view, source) => `arn:aws:ssm:${view.region}::parameter${view.dataSource("aws_ssm_parameter", source).name}` },
  aws_ecr_repository: { actions: ["ecr:DescribeRepositories", "ecr:ListTagsForResource"], on: (view, source) => view.resolve(`\${data.aws_ecr_repository.${source}.arn}`) },
};

export interface ReadRequest {
  readonly address: string;
  readonly request: IamRequest;
}

/** The reads of a refresh of one stack (resources and data sources). */
export function refreshRequests(json: Record<string, any>, region: string, registryRegion: string): ReadRequest[] {
  const view = new StackView(json.resource ?? {}, region, json.data ?? {}, registryRegion);
  const requests: ReadRequest[] = [];
  for (const [type, byId] of Object.entries<Record<string, any>>(json.resource ?? {})) {
    const read = READS[type];
    if (!read) throw new Error(`refresh-requests: no read modelled for ${type} (add it, and check the plan and deploy roles grant it)`);
    for (const [id, resource] of Object.entries(byId)) {
      const on = read.on === "*" ? "*" : read.on === "arn" ? view.arnOf(type, id) : read.on(view, resource);
      for (const action of read.actions) requests.push({ address: `${type}.${id}`, request: { action, resource: on } });
    }
  }
  for (const [type, byId] of Object.entries<Record<string, any>>(json.data ?? {})) {
    const read = DATA_READS[type];
    if (!read) throw new Error(`refresh-requests: no read modelled for data source ${type}`);
    for (const id of Object.keys(byId)) {
      const on = read.on === "*" ? "*" : read.on(view, id);
      for (const action of read.actions) requests.push({ address: `data.${type}.${id}`, request: { action, resource: on } });
    }
  }
  return requests;
}
