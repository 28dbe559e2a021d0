import { actionsOf, PIPELINE_SHARED, pipelineStacks, role } from "../pipeline-helpers";

/**
 * The IAM action that creating each resource type needs. A resource type the environment stack
 * gains without an entry here fails the test: the deploy role must be reviewed for it, or the
 * first real apply fails with AccessDenied.
 */
const CREATE_ACTION: Record<string, string> = {
  aws_appautoscaling_policy: "application-autoscaling:PutScalingPolicy",
  aws_appautoscaling_target: "application-autoscaling:RegisterScalableTarget",
  aws_cloudwatch_event_rule: "events:PutRule",
  aws_cloudwatch_event_target: "events:PutTargets",
  aws_cloudwatch_log_group: "logs:CreateLogGroup",
  aws_cloudwatch_metric_alarm: "cloudwatch:PutMetricAlarm",
  aws_ecs_cluster: "ecs:CreateCluster",
  aws_ecs_service: "ecs:CreateService",
  aws_ecs_task_definition: "ecs:RegisterTaskDefinition",
  aws_iam_role: "iam:CreateRole",
  aws_iam_role_policy: "iam:PutRolePolicy",
  aws_kms_alias: "kms:CreateAlias",
  aws_kms_key: "kms:CreateKey",
  aws_lb: "elasticloadbalancing:CreateLoadBalancer",
  aws_lb_listener: "elasticloadbalancing:CreateListener",
  aws_lb_listener_rule: "elasticloadbalancing:CreateRule",
  aws_lb_target_group: "elasticloadbalancing:CreateTargetGroup",
  aws_security_group: "ec2:CreateSecurityGroup",
  aws_sns_topic: "sns:CreateTopic",
  aws_sns_topic_policy: "sns:SetTopicAttributes",
  aws_sns_topic_subscription: "sns:Subscribe",
  aws_vpc_security_group_egress_rule: "ec2:AuthorizeSecurityGroupEgress",
  aws_vpc_security_group_ingress_rule: "ec2:AuthorizeSecurityGroupIngress",
};

/** IAM's action matching: `*` in a granted action matches any characters. */
function grants(granted: readonly string[], action: string): boolean {
  return granted.some((pattern) => new RegExp(`^${pattern.split("*").map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join(".*")}$`, "i").test(action));
}

describe("the deploy role can create everything its environment stack holds", () => {
  // Every optional part on: certificate (HTTPS listener), alert e-mail, scale from zero, CPU scale-in.
  const everything = [
    "INFRA_CERTIFICATE_ARN=arn:aws:acm:eu-west-3:123456789012:certificate/01234567-89ab-cdef-0123-456789abcdef",
    "INFRA_ALERT_EMAIL=ops@example.com",
    "INFRA_MIN_CAPACITY=0",
    "INFRA_MAX_CAPACITY=3",
  ].join("\n");
  const stacks = pipelineStacks({ staging: everything }, PIPELINE_SHARED);
  const granted = actionsOf(role(stacks.registry, "city-guided-staging-deploy").policy);
  const types = Object.keys(stacks.staging.json.resource).sort();

  test("every resource type of the stack is listed with the action that creates it", () => {
    expect(types.filter((type) => !(type in CREATE_ACTION))).toEqual([]);
  });

  test.each(Object.entries(CREATE_ACTION))("%s: %s is granted", (_type, action) => {
    expect(grants(granted, action)).toBe(true);
  });

  test("the matcher itself: wildcards match, other actions do not", () => {
    expect(grants(["ec2:Describe*"], "ec2:DescribeVpcs")).toBe(true);
    expect(grants(["ec2:Describe*"], "ec2:CreateVpc")).toBe(false);
  });
});
