import type { PolicyStatement } from "./iam-policy";
import { AMI_PARAMETER, entryInstanceStatements } from "./entry-proxy";
import { environmentNames, PROJECT, type ArnBuilder, type EnvironmentPatterns } from "./names";

/*
 * What the deploy role of an environment with the proxy entry (entry-proxy.ts) needs beyond the
 * load-balancer entry, and what the workload boundary must let the entry's instance role do. Only
 * environments with the entry get these statements: the others' policies do not grow.
 *
 * Sources (Service Authorization Reference, actions, resource types and condition keys):
 * - Amazon EC2: https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonec2.html
 * - Amazon EC2 Auto Scaling: https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonec2autoscaling.html
 * - IAM: https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsidentityandaccessmanagementiam.html
 * - Systems Manager: https://docs.aws.amazon.com/service-authorization/latest/reference/list_awssystemsmanager.html
 * and the API calls of hashicorp/aws 5.x (internal/service/{ec2,autoscaling,iam}): create, read
 * (refresh-requests.ts), update (new launch template version, instance refresh) and delete.
 */

/** The public AMI parameter's ARN pattern: AWS's public parameters have no account in their ARN (`arn:aws:ssm:<region>::parameter/aws/service/...`). */
export function amiParameterArn(partition: string, region: string): string {
  // `*` also matches the empty account; no account can create a parameter under /aws/ (reserved).
  return `arn:${partition}:ssm:${region}:*:parameter${AMI_PARAMETER}`;
}

export interface EntryDeployScope {
  readonly environment: string;
  readonly partition: string;
  readonly region: string;
  readonly accountId: string;
  readonly workloadBoundaryArn: string;
}

/** The deploy role's statements for the proxy entry's resources. */
export function entryDeployStatements(scope: EntryDeployScope, patterns: EnvironmentPatterns, arn: ArnBuilder): PolicyStatement[] {
  const names = environmentNames(scope.environment);
  const entryRole = arn("iam", `role/${names.entry}`);
  const requestTags = { "aws:RequestTag/Environment": scope.environment, "aws:RequestTag/Project": PROJECT };
  const resourceTags = { "ec2:ResourceTag/Environment": scope.environment, "ec2:ResourceTag/Project": PROJECT };
  const launchTemplates = arn("ec2", "launch-template/*");
  const addresses = arn("ec2", "elastic-ip/*");
  const launched = ["instance/*", "volume/*", "network-interface/*"].map((resource) => arn("ec2", resource));
  return [
    // Created with the environment's tags (default_tags): CreateLaunchTemplate and AllocateAddress
    // authorize the new resource with aws:RequestTag.
    { Sid: "CreateEntryResources", Effect: "Allow", Action: ["ec2:AllocateAddress", "ec2:CreateLaunchTemplate"], Resource: [addresses, launchTemplates], Condition: { StringEquals: requestTags } },
    {
      // Tags given with the create call (TagSpecifications) need ec2:CreateTags, scoped to that call
      // by ec2:CreateAction; RunInstances is the group's launch from the template's tag_specifications.
      Sid: "TagEntryResourcesOnCreate",
      Effect: "Allow",
      Action: ["ec2:CreateTags"],
      Resource: [addresses, launchTemplates, ...launched],
      Condition: { StringEquals: { "ec2:CreateAction": ["AllocateAddress", "CreateLaunchTemplate", "RunInstances"] } },
    },
    {
      // New versions (a changed AMI, user data), the default version, tags, delete; release of the
      // address, and its disassociation first when the instance holds it (the provider's delete).
      Sid: "OwnEntryResources",
      Effect: "Allow",
      Action: [
        "ec2:CreateLaunchTemplateVersion",
        "ec2:CreateTags",
        "ec2:DeleteLaunchTemplate",
        "ec2:DeleteTags",
        "ec2:DisassociateAddress",
        "ec2:ModifyLaunchTemplate",
        "ec2:ReleaseAddress",
      ],
      Resource: [addresses, launchTemplates, ...launched],
      Condition: { StringEquals: resourceTags },
    },
    {
      // Creating or updating a group from a launch template, and an instance refresh, check that the
      // caller may launch from it: ec2:RunInstances (Amazon EC2 Auto Scaling User Guide, "Control
      // Amazon EC2 launch template usage in Auto Scaling groups",
      // https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-launch-template-permissions.html).
      // The template must be this environment's (tagged)...
      Sid: "LaunchFromOwnTemplate",
      Effect: "Allow",
      Action: ["ec2:RunInstances"],
      Resource: [launchTemplates],
      Condition: { StringEquals: resourceTags },
    },
    {
      // ...and the other resources of the launch only through a launch template (ec2:LaunchTemplate
      // is set on every resource of a RunInstances from a template); the template is the scope.
      Sid: "LaunchThroughTemplates",
      Effect: "Allow",
      Action: ["ec2:RunInstances"],
      Resource: [...launched, arn("ec2", "subnet/*"), arn("ec2", "security-group/*"), `arn:${scope.partition}:ec2:${scope.region}::image/*`],
      Condition: { ArnLike: { "ec2:LaunchTemplate": launchTemplates } },
    },
    {
      // The template's instance profile hands the entry role to EC2 (iam:PassRole, the only role
      // this statement passes); AddRoleToInstanceProfile needs it too ("The caller of this operation
      // must be granted the PassRole permission on the IAM role", IAM API Reference,
      // https://docs.aws.amazon.com/IAM/latest/APIReference/API_AddRoleToInstanceProfile.html).
      Sid: "PassEntryRole",
      Effect: "Allow",
      Action: ["iam:PassRole"],
      Resource: [entryRole],
      Condition: { StringEquals: { "iam:PassedToService": "ec2.amazonaws.com" } },
    },
    {
      Sid: "EntryInstanceProfile",
      Effect: "Allow",
      Action: [
        "iam:AddRoleToInstanceProfile",
        "iam:CreateInstanceProfile",
        "iam:DeleteInstanceProfile",
        "iam:RemoveRoleFromInstanceProfile",
        "iam:TagInstanceProfile",
        "iam:UntagInstanceProfile",
      ],
      Resource: [patterns.entryInstanceProfile],
    },
    {
      // The group by name (autoScalingGroup:<uuid>:autoScalingGroupName/<name>). Create, update
      // (capacity, template version, and to 0 before a delete), metrics, tags, instance refresh.
      Sid: "EntryGroup",
      Effect: "Allow",
      Action: [
        "autoscaling:CancelInstanceRefresh",
        "autoscaling:CreateAutoScalingGroup",
        "autoscaling:CreateOrUpdateTags",
        "autoscaling:DeleteAutoScalingGroup",
        "autoscaling:DeleteTags",
        "autoscaling:DisableMetricsCollection",
        "autoscaling:EnableMetricsCollection",
        "autoscaling:StartInstanceRefresh",
        "autoscaling:UpdateAutoScalingGroup",
      ],
      Resource: [patterns.entryAutoScalingGroup],
    },
    // Auto Scaling's service-linked role, which the account's first group creates: ServiceLinkedRoles (deploy-role-policy.ts).
    // The AMI (data aws_ssm_parameter): the public parameter, read only.
    { Sid: "ReadAmiParameter", Effect: "Allow", Action: ["ssm:GetParameter"], Resource: [amiParameterArn(scope.partition, scope.region)] },
  ];
}

/** What the workload boundary must allow the entry's instance role (entry-proxy.ts), with this environment's patterns. */
export function entryBoundaryStatements(scope: { environment: string; partition: string; region: string; accountId: string; tokenParameterName?: string }): PolicyStatement[] {
  const names = environmentNames(scope.environment);
  return [
    // The instance role's inline policy (Session Manager's actions included), with any allocation ID (the address is created with the stack).
    ...entryInstanceStatements({
      partition: scope.partition,
      region: scope.region,
      accountId: scope.accountId,
      allocationId: "*",
      scopeTag: { key: "Environment", value: scope.environment },
      autoScalingGroupName: names.entry,
      logGroupName: names.entryLogGroup,
      tokenParameterName: scope.tokenParameterName,
    }),
  ];
}
