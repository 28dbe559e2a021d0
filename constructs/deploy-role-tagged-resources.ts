import type { PolicyStatement } from "./iam-policy";
import { PROJECT, type ArnBuilder } from "./names";

/*
 * The deploy role's statements on resources that have IDs, not names (KMS keys, security groups):
 * scoped by the Environment and Project tags every stack applies (default_tags).
 */

/**
 * Calls made on a key right after CreateKey: the provider's create of aws_kms_key enables rotation
 * (CreateKey itself carries the policy and the tags; hashicorp/aws 5.x internal/service/kms/key.go),
 * and aws_kms_alias then names the key. KMS documents that "it might take up to five minutes for
 * tag and alias changes to affect KMS key authorization" (AWS KMS Developer Guide, "ABAC for AWS
 * KMS", https://docs.aws.amazon.com/kms/latest/developerguide/abac.html): allowed only through
 * aws:ResourceTag, they could be denied on the new key. So they are allowed on any key of the
 * account and denied on a key whose Environment tag names another environment. What remains open
 * (a key of the account without an Environment tag, or another environment's key in its first
 * minutes) is harmless with these two: rotation turned on, or this environment's own alias pointed
 * at it. kms:PutKeyPolicy, which the provider calls only when a key's policy changes (long after
 * its tags count), stays scoped by the tags: on an untagged key it would hand the key over.
 */
export const NEW_KEY_ACTIONS = ["kms:CreateAlias", "kms:EnableKeyRotation"];

/** KMS keys (the alerts topic's) have random IDs: scope them by the tags every stack applies. */
export function keyStatements(environment: string, arn: ArnBuilder): PolicyStatement[] {
  const tags = (kind: "aws:RequestTag" | "aws:ResourceTag") => ({ StringEquals: { [`${kind}/Environment`]: environment, [`${kind}/Project`]: PROJECT } });
  const keys = [arn("kms", "key/*")];
  return [
    // CreateKey has no resource before the key exists: the request's tags are the scope.
    { Sid: "CreateKeysOfThisEnvironment", Effect: "Allow", Action: ["kms:CreateKey", "kms:TagResource"], Resource: "*", Condition: tags("aws:RequestTag") },
    { Sid: "NewKeysOfThisEnvironment", Effect: "Allow", Action: NEW_KEY_ACTIONS, Resource: keys },
    {
      // Null "false": the tag exists; StringNotEquals: it names another environment (both must hold).
      Sid: "NotKeysOfOtherEnvironments",
      Effect: "Deny",
      Action: NEW_KEY_ACTIONS,
      Resource: keys,
      Condition: { Null: { "aws:ResourceTag/Environment": "false" }, StringNotEquals: { "aws:ResourceTag/Environment": environment } },
    },
    {
      Sid: "KeysOfThisEnvironment",
      Effect: "Allow",
      Action: [
        "kms:DeleteAlias",
        "kms:DisableKeyRotation",
        "kms:PutKeyPolicy",
        "kms:ScheduleKeyDeletion",
        "kms:TagResource",
        "kms:UntagResource",
        "kms:UpdateAlias",
        "kms:UpdateKeyDescription",
      ],
      Resource: keys,
      Condition: tags("aws:ResourceTag"),
    },
  ];
}

/** Security groups have IDs, not names: scope them by the Environment tag every stack applies. */
export function securityGroupStatements(environment: string, arn: ArnBuilder): PolicyStatement[] {
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
      Condition: { StringEquals: { "aws:RequestTag/Environment": environment, "aws:RequestTag/Project": PROJECT } },
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
      Condition: { StringEquals: { "ec2:ResourceTag/Environment": environment, "ec2:ResourceTag/Project": PROJECT } },
    },
    // A rule is only reachable through its group, which the statement above scopes.
    { Sid: "RulesOfOwnSecurityGroups", Effect: "Allow", Action: ruleActions, Resource: [rules] },
    {
      // Tags of existing rules (a default_tags change): the rule carries the environment's tags.
      Sid: "TagsOfOwnSecurityGroupRules",
      Effect: "Allow",
      Action: ["ec2:CreateTags", "ec2:DeleteTags"],
      Resource: [rules],
      Condition: { StringEquals: { "ec2:ResourceTag/Environment": environment, "ec2:ResourceTag/Project": PROJECT } },
    },
  ];
}
