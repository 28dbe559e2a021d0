import { configErrorOf, synthEnvironment } from "../helpers";

describe("alerting", () => {
  const stack = synthEnvironment("INFRA_ALERT_EMAIL=ops@example.com\n");
  const topic = stack.resource("aws_sns_topic");
  const topicId = Object.keys(stack.resources("aws_sns_topic"))[0];
  const topicArn = `\${aws_sns_topic.${topicId}.arn}`;

  test("one topic per environment, encrypted with its own rotating KMS key", () => {
    expect(topic.name).toBe("city-guided-staging-alerts");
    const keyId = Object.keys(stack.resources("aws_kms_key"))[0];
    expect(topic.kms_master_key_id).toBe(`\${aws_kms_key.${keyId}.arn}`);
    const key = stack.resource("aws_kms_key");
    expect(key.enable_key_rotation).toBe(true);
    const services = JSON.parse(key.policy).Statement.map((statement: any) => statement.Principal.Service).filter(Boolean);
    expect(services.sort()).toEqual(["cloudwatch.amazonaws.com", "events.amazonaws.com"]);
  });

  test("e-mail subscription only when INFRA_ALERT_EMAIL is set", () => {
    expect(stack.resource("aws_sns_topic_subscription")).toMatchObject({ protocol: "email", endpoint: "ops@example.com", topic_arn: topicArn });
    expect(synthEnvironment("").resources("aws_sns_topic_subscription")).toEqual({});
  });

  test("sustained 5xx and unhealthy targets alarm per target group, to the topic", () => {
    const alarms = Object.values(stack.resources("aws_cloudwatch_metric_alarm")).filter((alarm: any) => /-(5xx|unhealthy)$/.test(alarm.alarm_name)) as any[];
    expect(alarms.map((alarm) => alarm.alarm_name).sort()).toEqual([
      "city-guided-staging-api-5xx",
      "city-guided-staging-api-unhealthy",
      "city-guided-staging-web-5xx",
      "city-guided-staging-web-unhealthy",
    ]);
    for (const alarm of alarms) {
      expect(alarm.alarm_actions).toEqual([topicArn]);
      expect(alarm.namespace).toBe("AWS/ApplicationELB");
      expect(alarm.dimensions.TargetGroup).toMatch(/^\$\{aws_lb_target_group\..*\.arn_suffix\}$/);
      expect(alarm.treat_missing_data).toBe("notBreaching");
      // Sustained: five consecutive bad minutes, not one spike.
      expect(alarm).toMatchObject({ period: 60, evaluation_periods: 5, datapoints_to_alarm: 5 });
    }
    expect(alarms.filter((alarm) => alarm.metric_name === "HTTPCode_Target_5XX_Count")).toHaveLength(2);
    expect(alarms.filter((alarm) => alarm.metric_name === "UnHealthyHostCount")).toHaveLength(2);
  });

  test("a deployment rolled back by the circuit breaker reaches the topic through EventBridge", () => {
    const rule = stack.resource("aws_cloudwatch_event_rule");
    const pattern = JSON.parse(rule.event_pattern);
    expect(pattern).toEqual({
      source: ["aws.ecs"],
      "detail-type": ["ECS Deployment State Change"],
      // Provider 5.x: the service's id is its ARN.
      resources: [expect.stringMatching(/^\$\{aws_ecs_service\..*\.id\}$/)],
      detail: { eventName: ["SERVICE_DEPLOYMENT_FAILED"] },
    });
    expect(stack.resource("aws_cloudwatch_event_target").arn).toBe(topicArn);
  });

  test("the topic policy lets only this rule (and this environment's alarms) publish", () => {
    const policy = JSON.parse(stack.resource("aws_sns_topic_policy").policy);
    const events = policy.Statement.find((statement: any) => statement.Principal.Service === "events.amazonaws.com");
    const ruleId = Object.keys(stack.resources("aws_cloudwatch_event_rule"))[0];
    expect(events.Action).toEqual(["sns:Publish"]);
    expect(events.Condition.ArnEquals["aws:SourceArn"]).toBe(`\${aws_cloudwatch_event_rule.${ruleId}.arn}`);
    const alarms = policy.Statement.find((statement: any) => statement.Principal.Service === "cloudwatch.amazonaws.com");
    expect(alarms.Condition.ArnLike["aws:SourceArn"]).toMatch(/:alarm:city-guided-staging-\*$/);
    expect(policy.Statement.every((statement: any) => statement.Principal.AWS === undefined)).toBe(true);
  });

  test("an invalid e-mail address is refused", () => {
    expect(configErrorOf({ staging: "INFRA_ALERT_EMAIL=ops-at-example\n" })).toContain(
      'env/.env.staging:1: INFRA_ALERT_EMAIL="ops-at-example": must be one e-mail address (name@example.com), or empty',
    );
  });
});
