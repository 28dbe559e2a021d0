import { readOnlyStatements, stateStatements, type StateLocation } from "./plan-role-policy";
import type { PolicyStatement } from "./iam-policy";
import { arnBuilder, environmentPatterns, PROMOTION_ENVIRONMENT, type AccountLocation, type ArnBuilder, type EnvironmentPatterns } from "./names";
import { keyStatements, securityGroupStatements } from "./deploy-role-tagged-resources";
import { entryDeployStatements } from "./deploy-role-entry";

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
  /** The environment's own name in a Route 53 zone (SiteDomain). @default none: no certificate or record statements */
  readonly siteDomain?: DeploySiteDomain;
  /** The environment has the proxy entry (entry-proxy.ts): launch template, Auto Scaling group, Elastic IP, instance role and profile. @default false */
  readonly entry?: boolean;
}

/** A site domain as the deploy role sees it: the name and its hosted zone. */
export interface DeploySiteDomain {
  readonly name: string;
  readonly hostedZoneId: string;
}

/** Service-linked roles that ECS, its autoscaling and ELB create on first use in an account. */
export const SERVICE_LINKED_ROLE_SERVICES = ["ecs.amazonaws.com", "ecs.application-autoscaling.amazonaws.com", "elasticloadbalancing.amazonaws.com"];

/** The ECS cluster and service, the task roles, the log groups. */
function serviceStatements(patterns: EnvironmentPatterns, workloadBoundaryArn: string, entry: boolean): PolicyStatement[] {
  const roles = patterns.roles;
  return [
    {
      Sid: "Cluster",
      Effect: "Allow",
      Action: ["ecs:CreateCluster", "ecs:DeleteCluster", "ecs:PutClusterCapacityProviders", "ecs:TagResource", "ecs:UntagResource", "ecs:UpdateCluster", "ecs:UpdateClusterSettings"],
      Resource: [patterns.cluster],
    },
    {
      Sid: "Service",
      Effect: "Allow",
      Action: ["ecs:CreateService", "ecs:DeleteService", "ecs:TagResource", "ecs:UntagResource", "ecs:UpdateService"],
      Resource: [patterns.service, patterns.taskDefinitions],
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
      // No managed policy: the entry role's Session Manager actions are inline (entry-proxy.ts).
      Action: ["iam:CreateRole", "iam:DeleteRolePolicy", "iam:PutRolePermissionsBoundary", "iam:PutRolePolicy"],
      Resource: [roles],
      Condition: { StringEquals: { "iam:PermissionsBoundary": workloadBoundaryArn } },
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
      // The entry's log group is not a container's: `/city-guided/<env>/entry`.
      Resource: entry ? [patterns.logGroups, patterns.entryLogGroup] : [patterns.logGroups],
    },
  ];
}

/** The load balancer and its parts, the alarms, the dashboard, the alerts topic, its key's alias and event rule. */
function trafficAndAlertStatements(patterns: EnvironmentPatterns): PolicyStatement[] {
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
      Resource: [patterns.loadBalancer, patterns.listeners, patterns.listenerRules, patterns.targetGroups],
    },
    {
      Sid: "Alarms",
      Effect: "Allow",
      Action: ["cloudwatch:DeleteAlarms", "cloudwatch:PutMetricAlarm", "cloudwatch:TagResource", "cloudwatch:UntagResource"],
      // Target tracking creates its own alarms, named after the scalable target, with the caller's rights.
      Resource: [...patterns.alarms, patterns.targetTrackingAlarms],
    },
    {
      // PutDashboard creates and updates (GetDashboard, the provider's read, is in ReadDashboards).
      // The Service Authorization Reference (Amazon CloudWatch) scopes them to the dashboard
      // resource type, whose ARN has no region. ListDashboards is not granted: neither Terraform
      // nor ops/ calls it.
      Sid: "Dashboard",
      Effect: "Allow",
      Action: ["cloudwatch:DeleteDashboards", "cloudwatch:PutDashboard"],
      Resource: [patterns.dashboard],
    },
    {
      // An alias names its key; creating or moving one also needs the key (NewKeysOfThisEnvironment, KeysOfThisEnvironment).
      Sid: "KeyAliases",
      Effect: "Allow",
      Action: ["kms:CreateAlias", "kms:DeleteAlias", "kms:UpdateAlias"],
      Resource: [patterns.keyAlias],
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
      Resource: [patterns.alertsTopic, patterns.alertsSubscriptions],
    },
    {
      Sid: "EventRules",
      Effect: "Allow",
      Action: ["events:DeleteRule", "events:DisableRule", "events:EnableRule", "events:PutRule", "events:PutTargets", "events:RemoveTargets", "events:TagResource", "events:UntagResource"],
      Resource: [patterns.deploymentFailedRule],
    },
  ];
}

/** Everything applying one environment's stack needs, and nothing of another environment. */
export function deployStatements(scope: DeployScope): PolicyStatement[] {
  const arn = arnBuilder(scope);
  const patterns = environmentPatterns(scope.environment, arn);
  const entry = scope.entry === true;
  const iamReads = entry ? [patterns.roles, patterns.policies, patterns.entryInstanceProfile] : [patterns.roles, patterns.policies];
  return [
    ...stateStatements([scope.state], scope.partition, true),
    ...readOnlyStatements(scope.repositoryArns, iamReads, [patterns.dashboard]),
    // `city-guided-staging-*` would also match `city-guided-staging-eu-*`: environments never nest (DeliveryRoles refuses them).
    ...serviceStatements(patterns, scope.workloadBoundaryArn, entry),
    ...trafficAndAlertStatements(patterns),
    ...securityGroupStatements(scope.environment, arn),
    ...keyStatements(scope.environment, arn),
    // Behind the proxy entry TLS ends at the entry: the zone holds the A record only, no certificate.
    ...(scope.siteDomain ? siteDomainStatements(scope, scope.siteDomain, !entry) : []),
    ...(entry ? entryDeployStatements(scope, patterns, arn) : []),
    listTasksOfTheCluster(patterns),
    ...unscopedStatements(arn, entry),
    promoteImages(scope),
  ];
}

/**
 * The site domain's certificate and records (constructs/site-domain.ts), from the Service
 * Authorization Reference (ACM: https://docs.aws.amazon.com/service-authorization/latest/reference/list_awscertificatemanager.html;
 * Route 53: https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonroute53.html)
 * and the ACM and Route 53 condition key pages (https://docs.aws.amazon.com/acm/latest/userguide/acm-conditions.html,
 * https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/specifying-rrset-conditions.html):
 * - RequestCertificate: an ARN that does not exist yet; "*", narrowed by acm:DomainNames to the
 *   environment's name, DNS validation, and the environment's tag on the request. Changing or
 *   deleting a certificate: one tagged with this environment (aws:ResourceTag on `certificate`);
 *   reading one (Describe, ListTags): any of the region's, as a refresh reads without tags.
 * - ChangeResourceRecordSets: the configured zone only, and in it only the site's name and ACM's
 *   validation names under it (`_<token>.<name>`, in Route 53's normalized form: lowercase, no
 *   final dot), A and CNAME records. Null "false" keeps ForAllValues from holding on an absent key.
 * - GetChange is authorized on `change/*` (a change ID Route 53 chooses); GetHostedZone and
 *   ListResourceRecordSets on the zone.
 */
function siteDomainStatements(scope: DeployScope, domain: DeploySiteDomain, certificate: boolean): PolicyStatement[] {
  const certificates = `arn:${scope.partition}:acm:${scope.region}:${scope.accountId}:certificate/*`;
  const zone = `arn:${scope.partition}:route53:::hostedzone/${domain.hostedZoneId}`;
  const names = "route53:ChangeResourceRecordSetsNormalizedRecordNames";
  const types = "route53:ChangeResourceRecordSetsRecordTypes";
  const records: PolicyStatement[] = [
    {
      Sid: "SiteRecords",
      Effect: "Allow",
      Action: ["route53:ChangeResourceRecordSets"],
      Resource: [zone],
      Condition: {
        "ForAllValues:StringLike": { [names]: certificate ? [domain.name, `_*.${domain.name}`] : [domain.name] },
        "ForAllValues:StringEquals": { [types]: certificate ? ["A", "CNAME"] : ["A"] },
        Null: { [names]: "false", [types]: "false" },
      },
    },
    { Sid: "SiteZone", Effect: "Allow", Action: ["route53:GetHostedZone", "route53:ListResourceRecordSets"], Resource: [zone] },
    { Sid: "SiteRecordChanges", Effect: "Allow", Action: ["route53:GetChange"], Resource: [`arn:${scope.partition}:route53:::change/*`] },
  ];
  if (!certificate) return records;
  return [
    {
      Sid: "RequestSiteCertificate",
      Effect: "Allow",
      Action: ["acm:RequestCertificate"],
      Resource: "*",
      Condition: {
        StringEquals: { "aws:RequestTag/Environment": scope.environment, "acm:ValidationMethod": "DNS" },
        "ForAllValues:StringEquals": { "acm:DomainNames": [domain.name] },
        Null: { "acm:DomainNames": "false" },
      },
    },
    // Reads (refresh, the wait for validation): the account's certificates in the region, read-only.
    { Sid: "ReadCertificates", Effect: "Allow", Action: ["acm:DescribeCertificate", "acm:ListTagsForCertificate"], Resource: [certificates] },
    {
      Sid: "SiteCertificates",
      Effect: "Allow",
      Action: ["acm:AddTagsToCertificate", "acm:DeleteCertificate", "acm:RemoveTagsFromCertificate"],
      Resource: [certificates],
      Condition: { StringEquals: { "aws:ResourceTag/Environment": scope.environment } },
    },
    ...records,
  ];
}

/** The deploy workflow's own steps, beyond Terraform (constructs/pipeline-calls.ts declares them). */
function listTasksOfTheCluster(patterns: EnvironmentPatterns): PolicyStatement {
  return {
    // ops/status-wait.ts. The Service Authorization Reference (Amazon ECS) lists ListTasks
    // with resource type container-instance and condition keys ecs:cluster and
    // ecs:container-instances; Fargate tasks have no container instance, and AWS evaluates the
    // call on "*" (awsdocs/amazon-ecs-developer-guide#211): "*", narrowed to the cluster.
    Sid: "ListTasksOfTheCluster",
    Effect: "Allow",
    Action: ["ecs:ListTasks"],
    Resource: "*",
    Condition: { ArnEquals: { "ecs:cluster": patterns.cluster } },
  };
}

function promoteImages(scope: DeployScope): PolicyStatement {
  if (scope.environment !== PROMOTION_ENVIRONMENT) {
    // Checking that a tag exists is all other environments do with images (ECS pulls with the execution role).
    return { Sid: "ReadImages", Effect: "Allow", Action: ["ecr:DescribeImages"], Resource: [...scope.repositoryArns] };
  }
  return {
    // Promotion adds the protected release tag to the image it promotes (same manifest): production only.
    Sid: "PromoteImages",
    Effect: "Allow",
    Action: ["ecr:BatchGetImage", "ecr:DescribeImages", "ecr:PutImage"],
    Resource: [...scope.repositoryArns],
  };
}

/** Actions IAM cannot scope to the environment's resources. */
function unscopedStatements(arn: ArnBuilder, entry: boolean): PolicyStatement[] {
  return [
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
      // The proxy entry's group: the account's first one creates Auto Scaling's (AWSServiceRoleForAutoScaling).
      Condition: { StringEquals: { "iam:AWSServiceName": entry ? [...SERVICE_LINKED_ROLE_SERVICES, "autoscaling.amazonaws.com"] : SERVICE_LINKED_ROLE_SERVICES } },
    },
  ];
}
