/**
 * AWS's own rules on the values the stacks send, as one table: what AWS refuses at apply time and
 * the provider does not check at plan (or checks only later than synth). Each rule cites the AWS
 * page it comes from. `policy/aws-rule-check.ts` applies the table; `policy/aspects.ts` runs it on
 * every stack at synth.
 *
 * A value may hold Terraform references (`${aws_ecs_service.x.name}-idle`): those parts are
 * unknown at synth and skipped; the literal parts are still checked (their characters, and their
 * length as a lower bound), so are prefixes and suffixes that are literal.
 */

export interface AwsSource {
  /** The API or guide page, as AWS titles it. */
  readonly title: string;
  readonly url: string;
}

export interface StringRule {
  /** Terraform resource type, e.g. `aws_lb`. */
  readonly resource: string;
  /** Attribute, e.g. `name`; `ingress[].description` reads each element of a block list. */
  readonly attribute: string;
  readonly maxLength?: number;
  /** Size limit in bytes (UTF-8) rather than characters; the value itself is never printed. */
  readonly maxBytes?: number;
  /** One allowed character (a class such as /[A-Za-z0-9-]/u); every literal character must match. */
  readonly characters?: RegExp;
  /** The allowed characters in words, for the message. */
  readonly allowed?: string;
  /** Literal prefixes AWS refuses (compared case-sensitively unless the rule says otherwise). */
  readonly forbiddenPrefixes?: readonly string[];
  readonly requiredPrefix?: string;
  /** Characters the value may not start or end with. */
  readonly notAtEdges?: string;
  /** Checked only on a value with no reference: the whole-value form. */
  readonly pattern?: { readonly regex: RegExp; readonly rule: string };
  /** Applies only when the resource's attributes match (e.g. a rule that references a group). */
  readonly when?: (attributes: Record<string, any>) => boolean;
  readonly source: AwsSource;
}

/**
 * What the provider appends to a `name_prefix`: `id.PrefixedUniqueId` (terraform-plugin-sdk helper/id) adds
 * a 26-character suffix (a timestamp and a counter), so a prefix may be at most limit - 26 long.
 */
export const UNIQUE_SUFFIX_LENGTH = 26;

const EC2 = {
  securityGroup: { title: "Amazon EC2 API Reference: CreateSecurityGroup", url: "https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateSecurityGroup.html" },
  ipRange: { title: "Amazon EC2 API Reference: IpRange / Ipv6Range (Description)", url: "https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_IpRange.html" },
  groupPair: { title: "Amazon EC2 API Reference: UserIdGroupPair / PrefixListId (Description)", url: "https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_UserIdGroupPair.html" },
  launchTemplate: { title: "Amazon EC2 API Reference: CreateLaunchTemplate (LaunchTemplateName, VersionDescription)", url: "https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateLaunchTemplate.html" },
};
const AUTOSCALING_GROUP = { title: "Amazon EC2 Auto Scaling API Reference: CreateAutoScalingGroup (AutoScalingGroupName)", url: "https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_CreateAutoScalingGroup.html" };
const ELB = {
  loadBalancer: { title: "Elastic Load Balancing API Reference: CreateLoadBalancer", url: "https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateLoadBalancer.html" },
  targetGroup: { title: "Elastic Load Balancing API Reference: CreateTargetGroup", url: "https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateTargetGroup.html" },
};
const IAM = {
  role: { title: "IAM API Reference: CreateRole", url: "https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html" },
  policy: { title: "IAM API Reference: CreatePolicy", url: "https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreatePolicy.html" },
  rolePolicy: { title: "IAM API Reference: PutRolePolicy", url: "https://docs.aws.amazon.com/IAM/latest/APIReference/API_PutRolePolicy.html" },
  instanceProfile: { title: "IAM API Reference: CreateInstanceProfile", url: "https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateInstanceProfile.html" },
};
const CLOUDWATCH = {
  alarm: { title: "Amazon CloudWatch API Reference: PutMetricAlarm", url: "https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html" },
  logGroup: { title: "CloudWatch Logs API Reference: CreateLogGroup", url: "https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_CreateLogGroup.html" },
  dashboard: { title: "Amazon CloudWatch API Reference: PutDashboard", url: "https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutDashboard.html" },
  eventRule: { title: "Amazon EventBridge API Reference: PutRule", url: "https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutRule.html" },
};
const SNS_TOPIC = { title: "Amazon SNS API Reference: CreateTopic", url: "https://docs.aws.amazon.com/sns/latest/api/API_CreateTopic.html" };
const KMS = {
  alias: { title: "AWS KMS Developer Guide: Create aliases", url: "https://docs.aws.amazon.com/kms/latest/developerguide/alias-create.html" },
  key: { title: "AWS KMS API Reference: CreateKey", url: "https://docs.aws.amazon.com/kms/latest/APIReference/API_CreateKey.html" },
};
const ECS = {
  cluster: { title: "Amazon ECS API Reference: CreateCluster", url: "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CreateCluster.html" },
  service: { title: "Amazon ECS API Reference: CreateService", url: "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CreateService.html" },
  taskDefinition: { title: "Amazon ECS API Reference: RegisterTaskDefinition", url: "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_RegisterTaskDefinition.html" },
  quotas: { title: "Amazon ECS endpoints and quotas (Task definition size: 64 KiB)", url: "https://docs.aws.amazon.com/general/latest/gr/ecs-service.html" },
};
const AUTOSCALING_POLICY = { title: "Application Auto Scaling API Reference: PutScalingPolicy", url: "https://docs.aws.amazon.com/autoscaling/application/APIReference/API_PutScalingPolicy.html" };
const ACM_REQUEST = { title: "AWS Certificate Manager API Reference: RequestCertificate", url: "https://docs.aws.amazon.com/acm/latest/APIReference/API_RequestCertificate.html" };
const ROUTE53_RECORD = { title: "Amazon Route 53 API Reference: ResourceRecordSet", url: "https://docs.aws.amazon.com/Route53/latest/APIReference/API_ResourceRecordSet.html" };
const ECR_REPOSITORY = { title: "Amazon ECR API Reference: CreateRepository", url: "https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_CreateRepository.html" };
/** Tag rules as ECS states them; ECS propagates the service's tags to its tasks, so its rules bind every tag here. */
export const TAG_SOURCE: AwsSource = { title: "Amazon ECS API Reference: Tag", url: "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_Tag.html" };

// Character sets, each as the page words it.
const EC2_TEXT = /[a-zA-Z0-9 ._\-:/()#,@[\]+=&;{}!$*]/u;
const EC2_TEXT_WORDS = "a-z, A-Z, 0-9, spaces and ._-:/()#,@[]+=&;{}!$*";
// A rule that references a group or a prefix list: the same set without "&".
const EC2_PAIR_TEXT = /[a-zA-Z0-9 ._\-:/()#,@[\]+=;{}!$*]/u;
const EC2_PAIR_TEXT_WORDS = "a-z, A-Z, 0-9, spaces and ._-:/()#,@[]+=;{}!$* (no &)";
const ALNUM_HYPHEN = /[A-Za-z0-9-]/u;
const IAM_NAME = /[\w+=,.@-]/u;
const IAM_NAME_WORDS = "letters, digits and _+=,.@-";
const IAM_DESCRIPTION = /[\u0009\u000A\u000D\u0020-\u007E\u00A1-\u00FF]/u;
const ECS_NAME = /[A-Za-z0-9_-]/u;
const ECS_NAME_WORDS = "letters, digits, _ and -";
const NO_CONTROL = /[^\u0000-\u001F\u007F]/u;
// CreateLaunchTemplate: "Length Constraints: Minimum length of 3. Maximum length of 128. Pattern: [a-zA-Z0-9\(\)\.\-/_]+".
const LAUNCH_TEMPLATE_NAME = /[a-zA-Z0-9().\-/_]/u;
const LAUNCH_TEMPLATE_NAME_WORDS = "letters, digits and ( ) . - / _";
// CreateAutoScalingGroup: "any ASCII character 33 to 126 ... You cannot use a colon (:) in the name."
const AUTOSCALING_GROUP_NAME = /[!-9;-~]/u;
const AUTOSCALING_GROUP_NAME_WORDS = "ASCII characters 33 to 126 except : (no space)";

// vpc_security_group_*_rule: referenced_security_group_id / prefix_list_id; aws_security_group_rule:
// source_security_group_id / self / prefix_list_ids. EC2 sends those descriptions as UserIdGroupPair / PrefixListId.
const referencesAGroup = (a: Record<string, any>) =>
  [a.referenced_security_group_id, a.prefix_list_id, a.source_security_group_id].some((value) => value !== undefined) ||
  a.self === true ||
  (Array.isArray(a.prefix_list_ids) && a.prefix_list_ids.length > 0);
const ec2RuleDescription = (resource: string): StringRule[] => [
  { resource, attribute: "description", maxLength: 255, characters: EC2_TEXT, allowed: EC2_TEXT_WORDS, when: (a) => !referencesAGroup(a), source: EC2.ipRange },
  { resource, attribute: "description", maxLength: 255, characters: EC2_PAIR_TEXT, allowed: EC2_PAIR_TEXT_WORDS, when: referencesAGroup, source: EC2.groupPair },
];
const securityGroupName = (attribute: string, maxLength: number): StringRule => ({
  resource: "aws_security_group", attribute, maxLength, characters: EC2_TEXT, allowed: EC2_TEXT_WORDS, forbiddenPrefixes: ["sg-"], source: EC2.securityGroup,
});
const iamName = (resource: string, limit: number, source: AwsSource): StringRule[] => [
  { resource, attribute: "name", maxLength: limit, characters: IAM_NAME, allowed: IAM_NAME_WORDS, source },
  { resource, attribute: "name_prefix", maxLength: limit - UNIQUE_SUFFIX_LENGTH, characters: IAM_NAME, allowed: IAM_NAME_WORDS, source },
];
const ecsName = (resource: string, attribute: string, source: AwsSource): StringRule => ({
  resource, attribute, maxLength: 255, characters: ECS_NAME, allowed: ECS_NAME_WORDS, source,
});

export const STRING_RULES: readonly StringRule[] = [
  { resource: "aws_security_group", attribute: "description", maxLength: 255, characters: EC2_TEXT, allowed: EC2_TEXT_WORDS, source: EC2.securityGroup },
  securityGroupName("name", 255),
  securityGroupName("name_prefix", 255 - UNIQUE_SUFFIX_LENGTH),
  { resource: "aws_security_group", attribute: "ingress[].description", maxLength: 255, characters: EC2_TEXT, allowed: EC2_TEXT_WORDS, source: EC2.ipRange },
  { resource: "aws_security_group", attribute: "egress[].description", maxLength: 255, characters: EC2_TEXT, allowed: EC2_TEXT_WORDS, source: EC2.ipRange },
  ...ec2RuleDescription("aws_vpc_security_group_ingress_rule"),
  ...ec2RuleDescription("aws_vpc_security_group_egress_rule"),
  ...ec2RuleDescription("aws_security_group_rule"),

  {
    resource: "aws_lb", attribute: "name", maxLength: 32, characters: ALNUM_HYPHEN, allowed: "letters, digits and -",
    notAtEdges: "-", forbiddenPrefixes: ["internal-"], source: ELB.loadBalancer,
  },
  { resource: "aws_lb_target_group", attribute: "name", maxLength: 32, characters: ALNUM_HYPHEN, allowed: "letters, digits and -", notAtEdges: "-", source: ELB.targetGroup },

  ...iamName("aws_iam_role", 64, IAM.role),
  { resource: "aws_iam_role", attribute: "description", maxLength: 1000, characters: IAM_DESCRIPTION, allowed: "tab, line feed, carriage return, printable ASCII and Latin-1 (U+00A1-U+00FF)", source: IAM.role },
  ...iamName("aws_iam_policy", 128, IAM.policy),
  { resource: "aws_iam_policy", attribute: "description", maxLength: 1000, source: IAM.policy },
  ...iamName("aws_iam_role_policy", 128, IAM.rolePolicy),
  ...iamName("aws_iam_instance_profile", 128, IAM.instanceProfile),

  {
    resource: "aws_launch_template", attribute: "name", maxLength: 128, characters: LAUNCH_TEMPLATE_NAME, allowed: LAUNCH_TEMPLATE_NAME_WORDS,
    pattern: { regex: /^[a-zA-Z0-9().\-/_]{3,}$/, rule: "3 characters at least" }, source: EC2.launchTemplate,
  },
  { resource: "aws_launch_template", attribute: "name_prefix", maxLength: 128 - UNIQUE_SUFFIX_LENGTH, characters: LAUNCH_TEMPLATE_NAME, allowed: LAUNCH_TEMPLATE_NAME_WORDS, source: EC2.launchTemplate },
  { resource: "aws_launch_template", attribute: "description", maxLength: 255, source: EC2.launchTemplate },
  { resource: "aws_autoscaling_group", attribute: "name", maxLength: 255, characters: AUTOSCALING_GROUP_NAME, allowed: AUTOSCALING_GROUP_NAME_WORDS, source: AUTOSCALING_GROUP },
  { resource: "aws_autoscaling_group", attribute: "name_prefix", maxLength: 255 - UNIQUE_SUFFIX_LENGTH, characters: AUTOSCALING_GROUP_NAME, allowed: AUTOSCALING_GROUP_NAME_WORDS, source: AUTOSCALING_GROUP },

  { resource: "aws_cloudwatch_metric_alarm", attribute: "alarm_name", maxLength: 255, characters: NO_CONTROL, allowed: "UTF-8 without ASCII control characters", source: CLOUDWATCH.alarm },
  { resource: "aws_cloudwatch_metric_alarm", attribute: "alarm_description", maxLength: 1024, source: CLOUDWATCH.alarm },
  { resource: "aws_cloudwatch_log_group", attribute: "name", maxLength: 512, characters: /[._\-/#A-Za-z0-9]/u, allowed: "letters, digits and ._-/#", source: CLOUDWATCH.logGroup },
  { resource: "aws_cloudwatch_log_group", attribute: "name_prefix", maxLength: 512 - UNIQUE_SUFFIX_LENGTH, characters: /[._\-/#A-Za-z0-9]/u, allowed: "letters, digits and ._-/#", source: CLOUDWATCH.logGroup },
  { resource: "aws_cloudwatch_dashboard", attribute: "dashboard_name", maxLength: 255, characters: /[A-Za-z0-9_-]/u, allowed: "A-Z, a-z, 0-9, - and _", source: CLOUDWATCH.dashboard },
  { resource: "aws_cloudwatch_event_rule", attribute: "name", maxLength: 64, characters: /[._\-A-Za-z0-9]/u, allowed: "letters, digits and ._-", source: CLOUDWATCH.eventRule },
  { resource: "aws_cloudwatch_event_rule", attribute: "name_prefix", maxLength: 64 - UNIQUE_SUFFIX_LENGTH, characters: /[._\-A-Za-z0-9]/u, allowed: "letters, digits and ._-", source: CLOUDWATCH.eventRule },
  { resource: "aws_cloudwatch_event_rule", attribute: "description", maxLength: 512, source: CLOUDWATCH.eventRule },

  {
    resource: "aws_sns_topic", attribute: "name", maxLength: 256, characters: /[A-Za-z0-9_.-]/u, allowed: "ASCII letters, digits, _ and - (and a .fifo suffix)",
    pattern: { regex: /^[A-Za-z0-9_-]+(\.fifo)?$/, rule: "only ASCII letters, digits, _ and -, with .fifo at the end of a FIFO topic" }, source: SNS_TOPIC,
  },
  { resource: "aws_sns_topic", attribute: "name_prefix", maxLength: 256 - UNIQUE_SUFFIX_LENGTH, characters: /[A-Za-z0-9_-]/u, allowed: "ASCII letters, digits, _ and -", source: SNS_TOPIC },
  {
    resource: "aws_kms_alias", attribute: "name", maxLength: 256, characters: /[A-Za-z0-9/_-]/u, allowed: "letters, digits, / _ and -",
    requiredPrefix: "alias/", forbiddenPrefixes: ["alias/aws/"], source: KMS.alias,
  },
  {
    resource: "aws_kms_alias", attribute: "name_prefix", maxLength: 256 - UNIQUE_SUFFIX_LENGTH, characters: /[A-Za-z0-9/_-]/u, allowed: "letters, digits, / _ and -",
    requiredPrefix: "alias/", forbiddenPrefixes: ["alias/aws/"], source: KMS.alias,
  },
  { resource: "aws_kms_key", attribute: "description", maxLength: 8192, source: KMS.key },

  ecsName("aws_ecs_cluster", "name", ECS.cluster),
  ecsName("aws_ecs_service", "name", ECS.service),
  ecsName("aws_ecs_task_definition", "family", ECS.taskDefinition),
  { resource: "aws_ecs_task_definition", attribute: "container_definitions", maxBytes: 64 * 1024, source: ECS.quotas },
  { resource: "aws_appautoscaling_policy", attribute: "name", maxLength: 256, source: AUTOSCALING_POLICY },
  // The Common Name of a certificate: 64 octets at most (RFC 5280), a longer name only as an alternative name.
  {
    resource: "aws_acm_certificate", attribute: "domain_name", maxLength: 64, characters: /[A-Za-z0-9.*-]/u, allowed: "letters, digits, . - and a leading *.",
    pattern: { regex: /^(\*\.)?(((?!-)[A-Za-z0-9-]{0,62}[A-Za-z0-9])\.)+((?!-)[A-Za-z0-9-]{1,62}[A-Za-z0-9])$/, rule: "a fully qualified domain name, optionally *. first" }, source: ACM_REQUEST,
  },
  { resource: "aws_route53_record", attribute: "name", maxLength: 1024, source: ROUTE53_RECORD },
  {
    resource: "aws_ecr_repository", attribute: "name", maxLength: 256, characters: /[a-z0-9._/-]/u, allowed: "lowercase letters, digits and . _ - /",
    pattern: { regex: /^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/, rule: "lowercase components separated by one of . _ - and joined by /" }, source: ECR_REPOSITORY,
  },
];

/** Tags, on every resource (`tags`) and in the provider's `default_tags`. */
export const TAG_RULES = {
  maxKeyLength: 128,
  maxValueLength: 256,
  maxTags: 50,
  characters: /[\p{L}\p{Z}\p{N}_.:/=+\-@]/u,
  allowed: "letters, digits, spaces and _ . : / = + - @",
  reservedPrefix: "aws:",
  source: TAG_SOURCE,
} as const;
