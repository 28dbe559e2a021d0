import { arnBuilder, environmentNames, environmentPatterns, PROMOTION_ENVIRONMENT, REPOSITORY_NAMES, stateKey } from "./names";

/**
 * Every AWS call the pipeline makes outside Terraform's own (whose creates the deploy-coverage test
 * derives from the synthesized stacks), declared once: who makes it (the file), how it is spelled
 * there, the IAM action and resource it is authorized on, and the role that runs it. The coverage
 * test checks that each call is granted to its role by the synthesized policies, and that every
 * `aws <service> <command>` of the scripts and workflows and every SDK command of ops/ is declared.
 */

/** Who runs a call: a role of the registry stack, or an operator with their own credentials (ops/). */
export type PipelineRole = "deploy" | "plan" | "push" | "operator";

/** Where a call lands, for one environment. */
export interface CallTarget {
  readonly environment: string;
  readonly partition: string;
  readonly accountId: string;
  readonly region: string;
  readonly registryRegion: string;
  readonly stateBucket: string;
  /** Every stack's name (`registry` first): plans read them all. */
  readonly stacks: readonly string[];
}

export interface PipelineCall {
  /** The file that makes the call (a script, a workflow, an ops/ module). */
  readonly caller: string;
  /** As that file spells it: `aws ecs list-tasks`, `ListTasksCommand`, or the action/tool that calls. */
  readonly command: string;
  /** The IAM action it needs; none for the few calls that need no permission. */
  readonly action?: string;
  readonly roles: readonly PipelineRole[];
  /** ARNs IAM authorizes the call on (`*` for actions without resource types). */
  readonly resources: (target: CallTarget) => readonly string[];
  /** The environments for which the call is made. @default every environment */
  readonly environments?: readonly string[];
  /** Condition keys IAM sees in the request. @default none */
  readonly context?: (target: CallTarget) => Readonly<Record<string, string>>;
}

const regional = (target: CallTarget) => arnBuilder(target);
const service = (target: CallTarget) => environmentPatterns(target.environment, regional(target)).service;
const cluster = (target: CallTarget) => environmentPatterns(target.environment, regional(target)).cluster;
const repositories = (target: CallTarget) =>
  Object.values(REPOSITORY_NAMES).map((name) => arnBuilder({ ...target, region: target.registryRegion })("ecr", `repository/${name}`));
const anything = () => ["*"];
const bucket = (target: CallTarget) => `arn:${target.partition}:s3:::${target.stateBucket}`;

const calls = (caller: string, roles: readonly PipelineRole[], entries: Omit<PipelineCall, "caller" | "roles">[]): PipelineCall[] =>
  entries.map((entry) => ({ caller, roles, ...entry }));

/** Pushing an image (docker push, crane copy) through the registry API. */
const PUSH_ACTIONS = ["ecr:BatchCheckLayerAvailability", "ecr:InitiateLayerUpload", "ecr:UploadLayerPart", "ecr:CompleteLayerUpload", "ecr:PutImage"];

export const PIPELINE_CALLS: readonly PipelineCall[] = [
  // `npm run running-tag` (ops/running-tag.ts), run by deploy.yml's plan job and by plan-stacks.sh
  // (pull requests, drift): the plan role. `npm run status -- <env> --wait` (ops/status-wait.ts),
  // run by deploy.yml's apply job: the deploy role. Both read the service through ops/ecs-service.ts.
  ...calls("ops/ecs-service.ts", ["plan", "deploy"], [{ command: "DescribeServicesCommand", action: "ecs:DescribeServices", resources: (target) => [service(target)] }]),
  // DescribeTaskDefinition has no resource type in the Service Authorization Reference.
  ...calls("ops/running-tag.ts", ["plan"], [{ command: "DescribeTaskDefinitionCommand", action: "ecs:DescribeTaskDefinition", resources: anything }]),
  ...calls("ops/status-wait.ts", ["deploy"], [
    // Fargate: no container instance; AWS authorizes ListTasks on "*" with the ecs:cluster key.
    { command: "ListTasksCommand", action: "ecs:ListTasks", resources: anything, context: (target) => ({ "ecs:cluster": cluster(target) }) },
    {
      command: "DescribeTasksCommand",
      action: "ecs:DescribeTasks",
      resources: (target) => [regional(target)("ecs", `task/${environmentNames(target.environment).cluster}/0123456789abcdef0123456789abcdef`)],
      context: (target) => ({ "ecs:cluster": cluster(target) }),
    },
    // The load balancer's DNS name, to request the site through it, and its scheme: an internal one is not requested.
    { command: "DescribeLoadBalancersCommand", action: "elasticloadbalancing:DescribeLoadBalancers", resources: anything },
    // Behind an internal load balancer (the proxy entry): its target groups' health stands in for the
    // request, and a service asleep at 0 tasks is woken with one. Service Authorization Reference:
    // DescribeTargetGroups and DescribeTargetHealth (Elastic Load Balancing V2,
    // https://docs.aws.amazon.com/service-authorization/latest/reference/list_awselasticloadbalancingv2.html)
    // are Read actions with no resource type and no condition key: "*" (the deploy role's Describe
    // statement, elasticloadbalancing:Describe*). UpdateService (Amazon ECS,
    // https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonelasticcontainerservice.html)
    // is authorized on the `service` resource type, with condition keys ecs:cluster,
    // ecs:capacity-provider, ecs:enable-execute-command, ecs:task-definition among others (of these
    // a desired count and a new deployment send only the cluster; read from the reference as
    // transcribed by udondan/iam-floyd's generated statements): the environment's own service
    // only, which the deploy role's Service statement already grants for Terraform's updates.
    { command: "DescribeTargetGroupsCommand", action: "elasticloadbalancing:DescribeTargetGroups", resources: anything },
    { command: "DescribeTargetHealthCommand", action: "elasticloadbalancing:DescribeTargetHealth", resources: anything },
    { command: "UpdateServiceCommand", action: "ecs:UpdateService", resources: (target) => [service(target)], context: (target) => ({ "ecs:cluster": cluster(target) }) },
  ]),
  // `npm run promote` (ops/promote.ts), in deploy.yml's apply job for production only: only its deploy role may put images (PROMOTION_ENVIRONMENT).
  ...calls("ops/promote.ts", ["deploy"], [
    { command: "DescribeImagesCommand", action: "ecr:DescribeImages", resources: repositories },
    { command: "BatchGetImageCommand", action: "ecr:BatchGetImage", resources: repositories, environments: [PROMOTION_ENVIRONMENT] },
    { command: "PutImageCommand", action: "ecr:PutImage", resources: repositories, environments: [PROMOTION_ENVIRONMENT] },
  ]),
  // deploy.yml's plan job checks the tag exists.
  ...calls(".github/workflows/deploy.yml", ["plan"], [{ command: "aws ecr describe-images", action: "ecr:DescribeImages", resources: repositories }]),
  ...calls("terraform S3 backend (terraform apply of the saved plan, scripts/apply-plan.sh)", ["deploy"], [
    { command: "list the bucket", action: "s3:ListBucket", resources: (target) => [bucket(target)] },
    ...["s3:GetObject", "s3:PutObject"].map((action) => ({ command: "read and write the state", action, resources: (target: CallTarget) => [`${bucket(target)}/${stateKey(target.environment)}`] })),
    ...["s3:GetObject", "s3:PutObject", "s3:DeleteObject"].map((action) => ({
      command: "take and release the lock",
      action,
      resources: (target: CallTarget) => [`${bucket(target)}/${stateKey(target.environment)}.tflock`],
    })),
  ]),
  ...calls("terraform S3 backend (terraform plan -lock=false: scripts/plan-stacks.sh, scripts/plan-deploy.sh)", ["plan"], [
    { command: "list the bucket", action: "s3:ListBucket", resources: (target) => [bucket(target)] },
    { command: "read every state", action: "s3:GetObject", resources: (target) => target.stacks.map((stack) => `${bucket(target)}/${stateKey(stack)}`) },
  ]),
  ...calls(".github/workflows/build-images.yml", ["push"], [
    { command: "aws-actions/amazon-ecr-login", action: "ecr:GetAuthorizationToken", resources: anything },
    { command: "aws ecr describe-images", action: "ecr:DescribeImages", resources: repositories },
    ...PUSH_ACTIONS.map((action) => ({ command: "docker/build-push-action", action, resources: repositories })),
  ]),
  ...calls(".github/workflows/copy-images-from-ghcr.yml", ["push"], [
    // AWS STS API reference, GetCallerIdentity: "No permissions are required to perform this operation."
    { command: "aws sts get-caller-identity", resources: anything },
    { command: "aws ecr get-login-password", action: "ecr:GetAuthorizationToken", resources: anything },
  ]),
  ...calls("scripts/copy-images.sh", ["push"], [
    { command: "crane digest", action: "ecr:BatchGetImage", resources: repositories },
    ...PUSH_ACTIONS.map((action) => ({ command: "crane copy", action, resources: repositories })),
  ]),
  ...operatorCalls(),
];

/** ops/: an operator's own credentials; declared so that docs/operations.md can say what they need. */
function operatorCalls(): PipelineCall[] {
  const bucketCalls = (commands: Record<string, string>) =>
    Object.entries(commands).map(([command, action]) => ({ command, action, resources: (target: CallTarget) => [bucket(target)] }));
  return [
    ...calls("ops/status-collect.ts", ["operator"], [
      { command: "DescribeServicesCommand", action: "ecs:DescribeServices", resources: (target) => [service(target)] },
      { command: "ListTasksCommand", action: "ecs:ListTasks", resources: anything, context: (target) => ({ "ecs:cluster": cluster(target) }) },
      { command: "DescribeTasksCommand", action: "ecs:DescribeTasks", resources: anything },
      { command: "DescribeImagesCommand", action: "ecr:DescribeImages", resources: repositories },
      { command: "DescribeLoadBalancersCommand", action: "elasticloadbalancing:DescribeLoadBalancers", resources: anything },
      { command: "DescribeListenersCommand", action: "elasticloadbalancing:DescribeListeners", resources: anything },
    ]),
    ...calls("ops/bootstrap.ts", ["operator"], [{ command: "GetCallerIdentityCommand", resources: anything }]),
    ...calls(
      "ops/state-bucket.ts",
      ["operator"],
      bucketCalls({
        HeadBucketCommand: "s3:ListBucket",
        CreateBucketCommand: "s3:CreateBucket",
        GetBucketVersioningCommand: "s3:GetBucketVersioning",
        PutBucketVersioningCommand: "s3:PutBucketVersioning",
        GetBucketEncryptionCommand: "s3:GetEncryptionConfiguration",
        PutBucketEncryptionCommand: "s3:PutEncryptionConfiguration",
        GetPublicAccessBlockCommand: "s3:GetBucketPublicAccessBlock",
        PutPublicAccessBlockCommand: "s3:PutBucketPublicAccessBlock",
        GetBucketOwnershipControlsCommand: "s3:GetBucketOwnershipControls",
        PutBucketOwnershipControlsCommand: "s3:PutBucketOwnershipControls",
        GetBucketPolicyCommand: "s3:GetBucketPolicy",
        PutBucketPolicyCommand: "s3:PutBucketPolicy",
        GetBucketLifecycleConfigurationCommand: "s3:GetLifecycleConfiguration",
        PutBucketLifecycleConfigurationCommand: "s3:PutLifecycleConfiguration",
      }),
    ),
  ];
}
