import { IDLE_EXPRESSION, WAKE_DATAPOINTS, WAKE_EVALUATION_MINUTES, WAKE_EXPRESSION } from "../../constructs/scale-from-zero";
import { synthEnvironment, type SynthesizedStack } from "../helpers";

function alarmNamed(stack: SynthesizedStack, suffix: string): any | undefined {
  return Object.values(stack.resources("aws_cloudwatch_metric_alarm")).find((alarm: any) => alarm.alarm_name.endsWith(`}-${suffix}`));
}

function policyNamed(stack: SynthesizedStack, suffix: string): any | undefined {
  return Object.values(stack.resources("aws_appautoscaling_policy")).find((policy: any) => policy.name.endsWith(`}-${suffix}`));
}

/** The policy an alarm triggers (the alarm's only action). */
function policyOf(stack: SynthesizedStack, alarm: any): any {
  expect(alarm.alarm_actions).toHaveLength(1);
  const id = /^\$\{aws_appautoscaling_policy\.([^.]+)\.arn\}$/.exec(alarm.alarm_actions[0])![1];
  return stack.resources("aws_appautoscaling_policy")[id];
}

function returned(alarm: any): any {
  return alarm.metric_query.find((query: any) => query.return_data);
}

describe("scale from zero (INFRA_MIN_CAPACITY=0)", () => {
  const stack = synthEnvironment("INFRA_MIN_CAPACITY=0\nINFRA_MAX_CAPACITY=3\nINFRA_IDLE_MINUTES=20\nINFRA_CPU_TARGET=70\n");
  const wake = alarmNamed(stack, "wake");
  const idle = alarmNamed(stack, "idle");

  test("the scalable target spans 0..max", () => {
    expect(stack.resource("aws_appautoscaling_target")).toMatchObject({ min_capacity: 0, max_capacity: 3 });
  });

  const query = (alarm: any, id: string) => alarm.metric_query.find((candidate: any) => candidate.id === id).metric;

  test("wake: the load balancer's own 5xx while no task runs, M of N on 1-minute data, sets exactly 1 task", () => {
    expect(returned(wake).expression).toBe(WAKE_EXPRESSION);
    expect(wake.metric_query.filter((candidate: any) => candidate.return_data)).toHaveLength(1);
    expect(query(wake, "elb5xx")).toMatchObject({ namespace: "AWS/ApplicationELB", metric_name: "HTTPCode_ELB_5XX_Count", stat: "Sum", period: 60 });
    expect(query(wake, "requests")).toMatchObject({ namespace: "AWS/ApplicationELB", metric_name: "RequestCount", stat: "Sum", period: 60 });
    for (const id of ["elb5xx", "requests"]) {
      // Per load balancer: with no target there is no target group dimension to publish under.
      expect(Object.keys(query(wake, id).dimensions)).toEqual(["LoadBalancer"]);
      expect(query(wake, id).dimensions.LoadBalancer).toMatch(/^\$\{aws_lb\..*\.arn_suffix\}$/);
    }
    for (const id of ["cpuSamples", "runningTasks"]) expect(query(wake, id).period).toBe(60);
    expect(wake).toMatchObject({
      comparison_operator: "GreaterThanOrEqualToThreshold",
      threshold: 1,
      evaluation_periods: WAKE_EVALUATION_MINUTES,
      datapoints_to_alarm: WAKE_DATAPOINTS,
      treat_missing_data: "notBreaching",
    });
    // Late metrics make the newest minutes fill values: never judge the newest minute alone.
    expect(wake.datapoints_to_alarm).toBeLessThan(wake.evaluation_periods);
    expect(wake.evaluation_periods).toBeGreaterThanOrEqual(4);
    const policy = policyOf(stack, wake);
    expect(policy.step_scaling_policy_configuration.adjustment_type).toBe("ExactCapacity");
    expect(policy.step_scaling_policy_configuration.step_adjustment).toEqual([{ metric_interval_lower_bound: "0", scaling_adjustment: 1 }]);
  });

  test("the wake expression is 1 only for minutes with 503s, no request forwarded and no task by both task signals", () => {
    expect(WAKE_EXPRESSION).toContain("FILL(elb5xx, 0) > 0");
    expect(WAKE_EXPRESSION).toContain("FILL(requests, 0) == 0");
    expect(WAKE_EXPRESSION).toContain("FILL(cpuSamples, 0) == 0");
    expect(WAKE_EXPRESSION).toContain("FILL(runningTasks, 0) == 0");
    expect(WAKE_EXPRESSION).not.toMatch(/\bOR\b|\|\|/);
  });

  test("idle: no request of any kind (503s included) for INFRA_IDLE_MINUTES minutes sets exactly 0; silence counts as idle", () => {
    expect(returned(idle).expression).toBe(IDLE_EXPRESSION);
    expect(IDLE_EXPRESSION).toMatch(/FILL\(requests, 0\) \+ FILL\(elb5xx, 0\)/);
    expect(query(idle, "elb5xx")).toMatchObject({ metric_name: "HTTPCode_ELB_5XX_Count", stat: "Sum", period: 60 });
    expect(query(idle, "requests")).toMatchObject({ metric_name: "RequestCount", stat: "Sum", period: 60 });
    expect(idle).toMatchObject({
      comparison_operator: "LessThanThreshold",
      threshold: 1,
      evaluation_periods: 20,
      datapoints_to_alarm: 20,
      treat_missing_data: "breaching",
    });
    const policy = policyOf(stack, idle);
    expect(policy.step_scaling_policy_configuration.adjustment_type).toBe("ExactCapacity");
    expect(policy.step_scaling_policy_configuration.step_adjustment).toEqual([{ metric_interval_upper_bound: "0", scaling_adjustment: 0 }]);
  });

  test("every minute the wake alarm looks at lies inside the idle window, so the two are never in ALARM together", () => {
    expect(idle.evaluation_periods).toBeGreaterThanOrEqual(wake.evaluation_periods);
    const shortest = synthEnvironment(`INFRA_MIN_CAPACITY=0\nINFRA_IDLE_MINUTES=${WAKE_EVALUATION_MINUTES}\n`);
    expect(alarmNamed(shortest, "idle").evaluation_periods).toBe(alarmNamed(shortest, "wake").evaluation_periods);
  });

  test("only the idle policy can reach zero", () => {
    const policies = Object.values(stack.resources("aws_appautoscaling_policy")) as any[];
    const toZero = policies.filter((policy) => {
      const config = policy.step_scaling_policy_configuration;
      return config?.adjustment_type === "ExactCapacity" && config.step_adjustment.some((step: any) => step.scaling_adjustment === 0);
    });
    expect(toZero).toEqual([policyOf(stack, idle)]);
  });

  test("CPU target tracking only scales out; a guarded step policy removes one task at a time", () => {
    const tracking = policyNamed(stack, "cpu").target_tracking_scaling_policy_configuration;
    expect(tracking).toMatchObject({ target_value: 70, disable_scale_in: true });
    const scaleIn = alarmNamed(stack, "cpu-scale-in");
    // No CPU datapoint counts as busy (100), never as idle.
    expect(returned(scaleIn).expression).toBe("IF(FILL(cpu, 100) < 35 AND FILL(runningTasks, 0) >= 2, 1, 0)");
    expect(scaleIn.metric_query.find((query: any) => query.id === "runningTasks").metric.stat).toBe("Minimum");
    expect(scaleIn.treat_missing_data).toBe("notBreaching");
    const policy = policyOf(stack, scaleIn).step_scaling_policy_configuration;
    expect(policy).toMatchObject({ adjustment_type: "ChangeInCapacity", cooldown: 300 });
    expect(policy.step_adjustment).toEqual([{ metric_interval_lower_bound: "0", scaling_adjustment: -1 }]);
  });

  test("every scaling alarm sets treat_missing_data deliberately", () => {
    for (const alarm of Object.values(stack.resources("aws_cloudwatch_metric_alarm")) as any[]) {
      expect(["breaching", "notBreaching"]).toContain(alarm.treat_missing_data);
    }
  });

  test("no CPU scale-in alarm when the service can never run two tasks", () => {
    const single = synthEnvironment("INFRA_MIN_CAPACITY=0\nINFRA_MAX_CAPACITY=1\n");
    expect(alarmNamed(single, "wake")).toBeDefined();
    expect(alarmNamed(single, "idle")).toBeDefined();
    expect(alarmNamed(single, "cpu-scale-in")).toBeUndefined();
  });
});

describe("always awake (INFRA_MIN_CAPACITY >= 1)", () => {
  const stack = synthEnvironment("INFRA_MIN_CAPACITY=1\nINFRA_MAX_CAPACITY=3\n");

  test("no wake, idle or step scale-in: plain target tracking between min and max", () => {
    expect(alarmNamed(stack, "wake")).toBeUndefined();
    expect(alarmNamed(stack, "idle")).toBeUndefined();
    expect(alarmNamed(stack, "cpu-scale-in")).toBeUndefined();
    expect(Object.keys(stack.resources("aws_appautoscaling_policy"))).toHaveLength(1);
    expect(policyNamed(stack, "cpu").target_tracking_scaling_policy_configuration.disable_scale_in).toBe(false);
    expect(stack.resource("aws_appautoscaling_target")).toMatchObject({ min_capacity: 1, max_capacity: 3 });
  });
});
