import { unique, type PolicyStatement } from "./iam-policy";
import { arnBuilder, environmentPatterns } from "./names";

/** Where a stack's Terraform state lives: `<key>` and its S3-native lock `<key>.tflock`. */
export interface StateLocation {
  readonly bucket: string;
  readonly key: string;
}

/** Where the roles act. */
export interface AccountLocation {
  readonly partition: string;
  readonly accountId: string;
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

/** Read the stacks' configuration: describe calls, the repositories, and the project's own IAM. */
export function readOnlyStatements(repositoryArns: readonly string[], iamResources: readonly string[]): PolicyStatement[] {
  return [
    { Sid: "Describe", Effect: "Allow", Action: [...DESCRIBE_ACTIONS], Resource: "*" },
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

/** Push (and pull, for layer reuse) to exactly the given repositories. */
export function pushStatements(repositoryArns: readonly string[]): PolicyStatement[] {
  return [
    // GetAuthorizationToken has no resource-level permissions: AWS requires "*" here.
    { Sid: "EcrAuthorizationToken", Effect: "Allow", Action: ["ecr:GetAuthorizationToken"], Resource: "*" },
    {
      Sid: "PushImages",
      Effect: "Allow",
      Action: [
        "ecr:BatchCheckLayerAvailability",
        "ecr:BatchGetImage",
        "ecr:CompleteLayerUpload",
        "ecr:DescribeImages",
        "ecr:GetDownloadUrlForLayer",
        "ecr:InitiateLayerUpload",
        "ecr:PutImage",
        "ecr:UploadLayerPart",
      ],
      Resource: [...repositoryArns],
    },
  ];
}


/** What the ECS task and execution roles of an environment may ever do: the cap of its workload boundary. */
export interface WorkloadScope extends AccountLocation {
  readonly region: string;
  /** Environment (stack) name. */
  readonly environment: string;
  readonly repositoryArns: readonly string[];
  /** SSM parameter ARNs the environment's config references (beyond `/city-guided/<env>/`). */
  readonly ssmParameterArns: readonly string[];
  /** Secrets Manager resources the config references (beyond `city-guided/<env>/`). */
  readonly secretsManagerArns: readonly string[];
}

export function workloadStatements(scope: WorkloadScope): PolicyStatement[] {
  // The same patterns as the deploy role's (names.ts): the log groups, the environment's secrets (/city-guided/<env>/NAME).
  const patterns = environmentPatterns(scope.environment, arnBuilder(scope));
  return [
    // GetAuthorizationToken has no resource-level permissions: AWS requires "*" here.
    { Sid: "EcrAuthorizationToken", Effect: "Allow", Action: ["ecr:GetAuthorizationToken"], Resource: "*" },
    {
      Sid: "PullImages",
      Effect: "Allow",
      Action: ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"],
      Resource: [...scope.repositoryArns],
    },
    {
      Sid: "WriteLogs",
      Effect: "Allow",
      Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
      // The environment's log groups and their streams (whichever ARN CloudWatch Logs authorizes the call on).
      Resource: [patterns.logGroups],
    },
    {
      Sid: "ReadParameters",
      Effect: "Allow",
      Action: ["ssm:GetParameters"],
      Resource: unique([patterns.parameters, ...scope.ssmParameterArns]),
    },
    {
      Sid: "ReadSecrets",
      Effect: "Allow",
      Action: ["secretsmanager:GetSecretValue"],
      Resource: unique([patterns.secrets, ...scope.secretsManagerArns]),
    },
  ];
}
