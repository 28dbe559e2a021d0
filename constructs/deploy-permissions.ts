import { PROJECT } from "../config/model";
import { readOnlyStatements, stateStatements, type AccountLocation, type StateLocation } from "./ci-permissions";
import { unique, type PolicyStatement } from "./iam-policy";

/** What an environment's deploy role may touch. */
export interface DeployScope extends AccountLocation {
  /** Environment (stack) name, e.g. `staging`. */
  readonly environment: string;
  /** The environment's region. */
  readonly region: string;
  readonly state: StateLocation;
  /** The two ECR repositories (read, and the promotion tag). */
  readonly repositoryArns: readonly string[];
  /** Boundary every role the deploy role creates must carry. */
  readonly workloadBoundaryArn: string;
  /** Other environments whose names start with this one's (`staging2`, `staging-eu`): their resources match our patterns and are denied. */
  readonly nestedEnvironments: readonly string[];
}

/** `city-guided-<env>`: every named resource of an environment is this or starts with `<this>-`. */
export function environmentPrefix(environment: string): string {
  return `${PROJECT}-${environment}`;
}

/** Service-linked roles that ECS, its autoscaling and ELB create on first use in an account. */
export const SERVICE_LINKED_ROLE_SERVICES = ["ecs.amazonaws.com", "ecs.application-autoscaling.amazonaws.com", "elasticloadbalancing.amazonaws.com"];

type Arn = (service: string, resource: string) => string;

/**
 * The statements whose resources carry the environment's name: one function of the prefix, so that
 * the same shapes, built for a nested environment's prefix, become the deny list.
 */
function nameScopedStatements(prefix: string, arn: Arn, workloadBoundaryArn?: string): PolicyStatement[] {
  // `city-guided-staging*` also matches `city-guided-staging2-*`: the caller denies such nested environments.
  const named: Named = (service, pattern) => [arn(service, pattern(`${prefix}*`))];
  return [...serviceStatements(prefix, arn, named, workloadBoundaryArn), ...trafficAndAlertStatements(prefix, arn, named)];
}

type Named = (service: string, pattern: (name: string) => string) => string[];

/** The ECS cluster and service, the task roles, the log groups. */
function serviceStatements(prefix: string, arn: Arn, named: Named, workloadBoundaryArn?: string): PolicyStatement[] {
  const roles = arn("iam", `role/${prefix}-*`);
  return [
    {
      Sid: "Cluster",
      Effect: "Allow",
      Action: ["ecs:CreateCluster", "ecs:DeleteCluster", "ecs:PutClusterCapacityProviders", "ecs:TagResource", "ecs:UntagResource", "ecs:UpdateCluster", "ecs:UpdateClusterSettings"],
      Resource: [arn("ecs", `cluster/${prefix}`)],
    },
    {
      Sid: "Service",
      Effect: "Allow",
      Action: ["ecs:CreateService", "ecs:DeleteService", "ecs:TagResource", "ecs:UntagResource", "ecs:UpdateService"],
      Resource: [...named("ecs", (name) => `service/${prefix}/${name}`), arn("ecs", `task-definition/${prefix}:*`)],
    },
    {
      Sid: "PassTaskRoles",
      Effect: "Allow",
      Action: ["iam:PassRole"],
      Resource: [roles],
      Condition: { StringEquals: { "iam:PassedToService": "ecs-tasks.amazonaws.com" } },
    },
    {
      Sid: "TaskRolesUnderBoundary",
      Effect: "Allow",
      Action: ["iam:AttachRolePolicy", "iam:CreateRole", "iam:DeleteRolePolicy", "iam:DetachRolePolicy", "iam:PutRolePermissionsBoundary", "iam:PutRolePolicy"],
      Resource: [roles],
      ...(workloadBoundaryArn ? { Condition: { StringEquals: { "iam:PermissionsBoundary": workloadBoundaryArn } } } : {}),
    },
    {
      Sid: "TaskRoles",
      Effect: "Allow",
      Action: ["iam:DeleteRole", "iam:ListInstanceProfilesForRole", "iam:TagRole", "iam:UntagRole", "iam:UpdateRole", "iam:UpdateRoleDescription"],
      Resource: [roles],
    },
    {
      Sid: "LogGroups",
      Effect: "Allow",
      Action: [
        "logs:CreateLogGroup",
        "logs:DeleteLogGroup",
        "logs:DeleteRetentionPolicy",
        "logs:PutRetentionPolicy",
        "logs:TagLogGroup",
        "logs:TagResource",
        "logs:UntagLogGroup",
        "logs:UntagResource",
      ],
      Resource: [arn("logs", `log-group:/ecs/${prefix}/*`)],
    },
  ];
}

/** The load balancer and its parts, the alarms, the alerts topic, its key's alias and event rule. */
function trafficAndAlertStatements(prefix: string, arn: Arn, named: Named): PolicyStatement[] {
  return [
    {
      Sid: "LoadBalancer",
      Effect: "Allow",
      Action: [
        "elasticloadbalancing:AddListenerCertificates",
        "elasticloadbalancing:AddTags",
        "elasticloadbalancing:CreateListener",
        "elasticloadbalancing:CreateLoadBalancer",
        "elasticloadbalancing:CreateRule",
        "elasticloadbalancing:CreateTargetGroup",
        "elasticloadbalancing:DeleteListener",
        "elasticloadbalancing:DeleteLoadBalancer",
        "elasticloadbalancing:DeleteRule",
        "elasticloadbalancing:DeleteTargetGroup",
        "elasticloadbalancing:ModifyListener",
        "elasticloadbalancing:ModifyListenerAttributes",
        "elasticloadbalancing:ModifyLoadBalancerAttributes",
        "elasticloadbalancing:ModifyRule",
        "elasticloadbalancing:ModifyTargetGroup",
        "elasticloadbalancing:ModifyTargetGroupAttributes",
        "elasticloadbalancing:RemoveListenerCertificates",
        "elasticloadbalancing:RemoveTags",
        "elasticloadbalancing:SetIpAddressType",
        "elasticloadbalancing:SetRulePriorities",
        "elasticloadbalancing:SetSecurityGroups",
        "elasticloadbalancing:SetSubnets",
      ],
      Resource: [
        ...named("elasticloadbalancing", (name) => `loadbalancer/app/${name}/*`),
        ...named("elasticloadbalancing", (name) => `listener/app/${name}/*`),
        ...named("elasticloadbalancing", (name) => `listener-rule/app/${name}/*`),
        ...named("elasticloadbalancing", (name) => `targetgroup/${name}/*`),
      ],
    },
    {
      Sid: "Alarms",
      Effect: "Allow",
      Action: ["cloudwatch:DeleteAlarms", "cloudwatch:PutMetricAlarm", "cloudwatch:TagResource", "cloudwatch:UntagResource"],
      // Target tracking creates its own alarms, named after the scalable target, with the caller's rights.
      Resource: [...named("cloudwatch", (name) => `alarm:${name}`), arn("cloudwatch", `alarm:TargetTracking-service/${prefix}/*`)],
    },
    {
      // An alias names its key; creating or moving one also needs the key (see KeysOfThisEnvironment).
      Sid: "KeyAliases",
      Effect: "Allow",
      Action: ["kms:CreateAlias", "kms:DeleteAlias", "kms:UpdateAlias"],
      Resource: named("kms", (name) => `alias/${name}`),
    },
    {
      Sid: "AlertTopic",
      Effect: "Allow",
      Action: [
        "sns:CreateTopic",
        "sns:DeleteTopic",
        "sns:SetSubscriptionAttributes",
        "sns:SetTopicAttributes",
        "sns:Subscribe",
        "sns:TagResource",
        "sns:Unsubscribe",
        "sns:UntagResource",
      ],
      // Subscription ARNs are `<topic arn>:<id>`, which the same pattern matches.
      Resource: named("sns", (name) => name),
    },
    {
      Sid: "EventRules",
      Effect: "Allow",
      Action: ["events:DeleteRule", "events:DisableRule", "events:EnableRule", "events:PutRule", "events:PutTargets", "events:RemoveTargets", "events:TagResource", "events:UntagResource"],
      Resource: named("events", (name) => `rule/${name}`),
    },
  ];
}

/** Everything applying one environment's stack needs, and nothing of another environment. */
export function deployStatements(scope: DeployScope): PolicyStatement[] {
  const prefix = environmentPrefix(scope.environment);
  const arn: Arn = (service, resource) =>
    service === "iam" ? `arn:${scope.partition}:iam::${scope.accountId}:${resource}` : `arn:${scope.partition}:${service}:${scope.region}:${scope.accountId}:${resource}`;
  const iamReads = [arn("iam", `role/${prefix}-*`), arn("iam", `policy/${prefix}-*`)];
  const statements: PolicyStatement[] = [
    ...stateStatements([scope.state], scope.partition, true),
    ...readOnlyStatements(scope.repositoryArns, iamReads),
    ...nameScopedStatements(prefix, arn, scope.workloadBoundaryArn),
    ...securityGroupStatements(scope, arn),
    ...keyStatements(scope, arn),
    {
      // Application Auto Scaling names scalable targets by random IDs: no name-based resource ARN exists.
      Sid: "Scaling",
      Effect: "Allow",
      Action: [
        "application-autoscaling:DeleteScalingPolicy",
        "application-autoscaling:DeregisterScalableTarget",
        "application-autoscaling:PutScalingPolicy",
        "application-autoscaling:RegisterScalableTarget",
        "application-autoscaling:TagResource",
        "application-autoscaling:UntagResource",
      ],
      Resource: "*",
    },
    {
      // RegisterTaskDefinition and DeregisterTaskDefinition have no resource-level permissions.
      Sid: "TaskDefinitions",
      Effect: "Allow",
      Action: ["ecs:DeregisterTaskDefinition", "ecs:RegisterTaskDefinition"],
      Resource: "*",
    },
    {
      Sid: "ServiceLinkedRoles",
      Effect: "Allow",
      Action: ["iam:CreateServiceLinkedRole"],
      Resource: [arn("iam", "role/aws-service-role/*")],
      Condition: { StringEquals: { "iam:AWSServiceName": SERVICE_LINKED_ROLE_SERVICES } },
    },
    {
      // The production workflow adds the protected release tag to the image it promotes (same manifest).
      Sid: "PromoteImages",
      Effect: "Allow",
      Action: ["ecr:BatchGetImage", "ecr:DescribeImages", "ecr:PutImage"],
      Resource: [...scope.repositoryArns],
    },
  ];
  const denied = scope.nestedEnvironments.flatMap((nested) => nameScopedStatements(environmentPrefix(nested), arn));
  if (denied.length > 0) {
    statements.push({
      Sid: "NotNestedEnvironments",
      Effect: "Deny",
      Action: unique(denied.flatMap((statement) => statement.Action)).sort(),
      Resource: unique(denied.flatMap((statement) => [statement.Resource ?? []].flat())),
    });
  }
  return statements;
}

/** KMS keys (the alerts topic's) have random IDs: scope them by the tags every stack applies. */
function keyStatements(scope: DeployScope, arn: Arn): PolicyStatement[] {
  const tags = (kind: "aws:RequestTag" | "aws:ResourceTag") => ({ StringEquals: { [`${kind}/Environment`]: scope.environment, [`${kind}/Project`]: PROJECT } });
  return [
    // CreateKey has no resource before the key exists: the request's tags are the scope.
    { Sid: "CreateKeysOfThisEnvironment", Effect: "Allow", Action: ["kms:CreateKey", "kms:TagResource"], Resource: "*", Condition: tags("aws:RequestTag") },
    {
      Sid: "KeysOfThisEnvironment",
      Effect: "Allow",
      Action: [
        "kms:CreateAlias",
        "kms:DeleteAlias",
        "kms:DisableKeyRotation",
        "kms:EnableKeyRotation",
        "kms:PutKeyPolicy",
        "kms:ScheduleKeyDeletion",
        "kms:TagResource",
        "kms:UntagResource",
        "kms:UpdateAlias",
        "kms:UpdateKeyDescription",
      ],
      Resource: [arn("kms", "key/*")],
      Condition: tags("aws:ResourceTag"),
    },
  ];
}

/** Security groups have IDs, not names: scope them by the Environment tag every stack applies. */
function securityGroupStatements(scope: DeployScope, arn: Arn): PolicyStatement[] {
  const groups = arn("ec2", "security-group/*");
  const rules = arn("ec2", "security-group-rule/*");
  const ruleActions = [
    "ec2:AuthorizeSecurityGroupEgress",
    "ec2:AuthorizeSecurityGroupIngress",
    "ec2:ModifySecurityGroupRules",
    "ec2:RevokeSecurityGroupEgress",
    "ec2:RevokeSecurityGroupIngress",
    "ec2:UpdateSecurityGroupRuleDescriptionsEgress",
    "ec2:UpdateSecurityGroupRuleDescriptionsIngress",
  ];
  return [
    { Sid: "SecurityGroupInVpc", Effect: "Allow", Action: ["ec2:CreateSecurityGroup"], Resource: [arn("ec2", "vpc/*")] },
    {
      Sid: "CreateOwnSecurityGroups",
      Effect: "Allow",
      Action: ["ec2:CreateSecurityGroup"],
      Resource: [groups],
      Condition: { StringEquals: { "aws:RequestTag/Environment": scope.environment, "aws:RequestTag/Project": PROJECT } },
    },
    {
      Sid: "TagOnCreate",
      Effect: "Allow",
      Action: ["ec2:CreateTags"],
      Resource: [groups, rules],
      Condition: { StringEquals: { "ec2:CreateAction": ["CreateSecurityGroup", "AuthorizeSecurityGroupIngress", "AuthorizeSecurityGroupEgress"] } },
    },
    {
      Sid: "OwnSecurityGroups",
      Effect: "Allow",
      Action: [...ruleActions, "ec2:CreateTags", "ec2:DeleteSecurityGroup", "ec2:DeleteTags"].sort(),
      Resource: [groups],
      Condition: { StringEquals: { "ec2:ResourceTag/Environment": scope.environment, "ec2:ResourceTag/Project": PROJECT } },
    },
    // A rule is only reachable through its group, which the statement above scopes.
    { Sid: "RulesOfOwnSecurityGroups", Effect: "Allow", Action: ruleActions, Resource: [rules] },
    {
      // Tags of existing rules (a default_tags change): the rule carries the environment's tags.
      Sid: "TagsOfOwnSecurityGroupRules",
      Effect: "Allow",
      Action: ["ec2:CreateTags", "ec2:DeleteTags"],
      Resource: [rules],
      Condition: { StringEquals: { "ec2:ResourceTag/Environment": scope.environment, "ec2:ResourceTag/Project": PROJECT } },
    },
  ];
}
