import { unique, type PolicyStatement } from "./iam-policy";

/*
 * The plan role's policy (delivery-roles.ts): read every stack's state and configuration, change
 * nothing. The deploy role's policy (deploy-role-policy.ts) starts from the same statements, with
 * write access to its one state.
 */

/** Where a stack's Terraform state lives: `<key>` and its S3-native lock `<key>.tflock`. */
export interface StateLocation {
  readonly bucket: string;
  readonly key: string;
}

/**
 * State access. `apply` (writeState) reads and writes its state and takes its S3-native lock
 * (`<key>.tflock`). A plan only reads: the pipeline plans with `-lock=false`, because the plan role
 * is assumable by any same-repository pull request, whose code must not be able to delete or plant
 * the lock of a stack that an apply holds.
 */
export function stateStatements(states: readonly StateLocation[], partition: string, writeState: boolean): PolicyStatement[] {
  const object = (state: StateLocation, suffix = "") => `arn:${partition}:s3:::${state.bucket}/${state.key}${suffix}`;
  const statements: PolicyStatement[] = [
    { Sid: "StateBucketList", Effect: "Allow", Action: ["s3:ListBucket"], Resource: unique(states.map((state) => `arn:${partition}:s3:::${state.bucket}`)) },
  ];
  if (!writeState) {
    statements.push({ Sid: "StateObjects", Effect: "Allow", Action: ["s3:GetObject"], Resource: states.map((state) => object(state)) });
    return statements;
  }
  statements.push(
    { Sid: "StateLocks", Effect: "Allow", Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"], Resource: states.map((state) => object(state, ".tflock")) },
    { Sid: "StateObjects", Effect: "Allow", Action: ["s3:GetObject", "s3:PutObject"], Resource: states.map((state) => object(state)) },
  );
  return statements;
}

/**
 * What refreshing the stacks' resources reads. These Describe/List calls have no resource-level
 * permissions in IAM (AWS requires "*"), and they read configuration, never data or secrets.
 * Read-only prefixes (`Describe*`) keep the deploy policies under IAM's size limits.
 */
export const DESCRIBE_ACTIONS: readonly string[] = [
  "application-autoscaling:Describe*",
  "application-autoscaling:ListTagsForResource",
  "autoscaling:Describe*",
  "cloudwatch:DescribeAlarms",
  "cloudwatch:ListTagsForResource",
  "ec2:Describe*",
  "ecs:Describe*",
  "ecs:ListTagsForResource",
  "elasticloadbalancing:Describe*",
  "events:DescribeRule",
  "events:ListTagsForResource",
  "events:ListTargetsByRule",
  "kms:DescribeKey",
  "kms:GetKeyPolicy",
  "kms:GetKeyRotationStatus",
  "kms:ListAliases",
  "kms:ListResourceTags",
  "logs:DescribeLogGroups",
  "logs:ListTagsForResource",
  "logs:ListTagsLogGroup",
  "sns:GetSubscriptionAttributes",
  "sns:GetTopicAttributes",
  "sns:ListSubscriptionsByTopic",
  "sns:ListTagsForResource",
];

/**
 * Read the stacks' configuration: describe calls, the repositories, the dashboards (GetDashboard
 * has the dashboard resource type, so it is scoped by name) and the project's own IAM.
 */
export function readOnlyStatements(repositoryArns: readonly string[], iamResources: readonly string[], dashboardArns: readonly string[]): PolicyStatement[] {
  return [
    { Sid: "Describe", Effect: "Allow", Action: [...DESCRIBE_ACTIONS], Resource: "*" },
    { Sid: "ReadDashboards", Effect: "Allow", Action: ["cloudwatch:GetDashboard"], Resource: [...dashboardArns] },
    {
      Sid: "ReadRepositories",
      Effect: "Allow",
      Action: ["ecr:DescribeImages", "ecr:DescribeRepositories", "ecr:GetLifecyclePolicy", "ecr:GetRepositoryPolicy", "ecr:ListImages", "ecr:ListTagsForResource"],
      Resource: [...repositoryArns],
    },
    {
      Sid: "ReadProjectIam",
      Effect: "Allow",
      Action: [
        "iam:GetInstanceProfile",
        "iam:GetOpenIDConnectProvider",
        "iam:GetPolicy",
        "iam:GetPolicyVersion",
        "iam:GetRole",
        "iam:GetRolePolicy",
        "iam:ListAttachedRolePolicies",
        "iam:ListPolicyVersions",
        "iam:ListRolePolicies",
      ],
      Resource: [...iamResources],
    },
  ];
}

/**
 * What refreshing a site domain reads (constructs/site-domain.ts): its certificates (ACM calls
 * them by a random ID: any certificate of the account, read-only) and the records of the
 * configured zones. Nothing when no environment has a domain.
 */
export function siteDomainReadStatements(partition: string, accountId: string, hostedZoneIds: readonly string[]): PolicyStatement[] {
  if (hostedZoneIds.length === 0) return [];
  return [
    { Sid: "ReadSiteCertificates", Effect: "Allow", Action: ["acm:DescribeCertificate", "acm:ListTagsForCertificate"], Resource: `arn:${partition}:acm:*:${accountId}:certificate/*` },
    {
      Sid: "ReadSiteRecords",
      Effect: "Allow",
      Action: ["route53:GetHostedZone", "route53:ListResourceRecordSets"],
      Resource: unique(hostedZoneIds).map((zone) => `arn:${partition}:route53:::hostedzone/${zone}`),
    },
  ];
}
