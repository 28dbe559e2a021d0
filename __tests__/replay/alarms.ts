// The scaling alarms and policies as synthesized (Terraform JSON), and CloudWatch's evaluation of
// one alarm at one minute: the returned expression over the evaluation range, then M out of N with
// the missing-data treatment (CLOUDWATCH in ./semantics.ts says where each rule comes from).
import { evaluate, type Series } from "./metric-math";
import { CLOUDWATCH, semanticsOf } from "./semantics";

export interface MetricRef {
  readonly namespace: string;
  readonly metricName: string;
  readonly stat: string;
}

export interface Step {
  readonly lower?: number;
  readonly upper?: number;
  readonly adjustment: number;
}

export interface ScalingPolicy {
  readonly name: string;
  readonly adjustmentType: "ExactCapacity" | "ChangeInCapacity";
  readonly cooldownSeconds: number;
  readonly steps: readonly Step[];
}

export interface ScalingAlarm {
  readonly name: string;
  readonly metrics: ReadonlyMap<string, MetricRef>;
  readonly expression: string;
  readonly comparison: string;
  readonly threshold: number;
  readonly evaluationPeriods: number;
  readonly datapointsToAlarm: number;
  readonly treatMissingData: string;
  readonly policy: ScalingPolicy;
}

export interface ScalingSetup {
  readonly alarms: readonly ScalingAlarm[];
  readonly minCapacity: number;
  readonly maxCapacity: number;
}

/** Reads every alarm whose action is an Application Auto Scaling policy, with that policy, from a stack's Terraform JSON. */
export function scalingSetupOf(json: { resource?: Record<string, Record<string, any>> }): ScalingSetup {
  const resources = json.resource ?? {};
  const policies = resources.aws_appautoscaling_policy ?? {};
  const targets = Object.values(resources.aws_appautoscaling_target ?? {});
  if (targets.length !== 1) throw new Error(`expected one scalable target, found ${targets.length}`);
  const alarms: ScalingAlarm[] = [];
  for (const alarm of Object.values(resources.aws_cloudwatch_metric_alarm ?? {})) {
    const policyIds = (alarm.alarm_actions ?? []).map((action: string) => /^\$\{aws_appautoscaling_policy\.([^.]+)\.arn\}$/.exec(action)?.[1]);
    if (!policyIds.some(Boolean)) continue;
    if (policyIds.length !== 1) throw new Error(`${alarm.alarm_name}: one scaling action per alarm is modelled`);
    alarms.push(alarmOf(alarm, policyOf(policies[policyIds[0]])));
  }
  return { alarms, minCapacity: targets[0].min_capacity, maxCapacity: targets[0].max_capacity };
}

function policyOf(policy: any): ScalingPolicy {
  const config = policy?.step_scaling_policy_configuration;
  if (!config) throw new Error(`policy ${policy?.name}: only step scaling policies are modelled`);
  const bound = (value: string | undefined) => (value === undefined ? undefined : Number(value));
  return {
    name: policy.name,
    adjustmentType: config.adjustment_type,
    cooldownSeconds: config.cooldown ?? 0,
    steps: config.step_adjustment.map((step: any) => ({
      lower: bound(step.metric_interval_lower_bound),
      upper: bound(step.metric_interval_upper_bound),
      adjustment: step.scaling_adjustment,
    })),
  };
}

function alarmOf(alarm: any, policy: ScalingPolicy): ScalingAlarm {
  if (!alarm.metric_query) throw new Error(`${alarm.alarm_name}: only metric-math alarms are modelled`);
  const metrics = new Map<string, MetricRef>();
  let expression: string | undefined;
  for (const query of alarm.metric_query) {
    if (query.return_data) expression = query.expression ?? query.id;
    if (!query.metric) continue;
    const { namespace, metric_name: metricName, stat, period, dimensions } = query.metric;
    if (period !== 60) throw new Error(`${alarm.alarm_name}/${query.id}: only 1-minute periods are modelled`);
    const expected = semanticsOf(namespace, metricName).dimensions;
    if (Object.keys(dimensions ?? {}).sort().join() !== [...expected].sort().join()) {
      throw new Error(`${alarm.alarm_name}/${query.id}: dimensions ${Object.keys(dimensions ?? {})} but ${metricName} is published per ${expected}`);
    }
    metrics.set(query.id, { namespace, metricName, stat });
  }
  if (!expression) throw new Error(`${alarm.alarm_name}: no query returns data`);
  return {
    name: alarm.alarm_name,
    metrics,
    expression,
    comparison: alarm.comparison_operator,
    threshold: alarm.threshold,
    evaluationPeriods: alarm.evaluation_periods,
    datapointsToAlarm: alarm.datapoints_to_alarm ?? alarm.evaluation_periods,
    treatMissingData: alarm.treat_missing_data ?? "missing",
    policy,
  };
}

export type AlarmState = "OK" | "ALARM";

export interface Evaluation {
  readonly state: AlarmState;
  /** The N values evaluated, oldest first (undefined = a missing point filled by the treatment). */
  readonly evaluated: readonly (number | undefined)[];
}

export function breaches(alarm: ScalingAlarm, value: number): boolean {
  switch (alarm.comparison) {
    case "GreaterThanOrEqualToThreshold": return value >= alarm.threshold;
    case "GreaterThanThreshold": return value > alarm.threshold;
    case "LessThanThreshold": return value < alarm.threshold;
    case "LessThanOrEqualToThreshold": return value <= alarm.threshold;
  }
  throw new Error(`${alarm.name}: comparison ${alarm.comparison} is not modelled`);
}

/**
 * The alarm's state at `minute`, given each metric's datapoints visible then. The query covers
 * the evaluation range (Evaluation Periods + CLOUDWATCH.evaluationRangeExtraPoints minutes).
 */
export function evaluateAlarm(alarm: ScalingAlarm, minute: number, visible: (metric: MetricRef, range: readonly number[]) => Series): Evaluation {
  const rangeLength = alarm.evaluationPeriods + CLOUDWATCH.evaluationRangeExtraPoints.value;
  const range = Array.from({ length: rangeLength }, (_, index) => minute - rangeLength + index);
  const result = evaluate(alarm.expression, range, (id) => {
    const metric = alarm.metrics.get(id);
    if (!metric) throw new Error(`${alarm.name}: expression uses unknown id ${id}`);
    return visible(metric, range);
  });
  if (typeof result === "number") throw new Error(`${alarm.name}: the expression must return a time series`);
  const existing = range.filter((point) => result.has(point)).map((point) => result.get(point)!);
  const n = alarm.evaluationPeriods;
  let evaluated: (number | undefined)[];
  if (existing.length >= n) evaluated = existing.slice(-n);
  else {
    if (!["breaching", "notBreaching"].includes(alarm.treatMissingData)) {
      throw new Error(`${alarm.name}: treat_missing_data ${alarm.treatMissingData} with missing points is not modelled`);
    }
    evaluated = [...Array<undefined>(n - existing.length).fill(undefined), ...existing];
  }
  const breaching = evaluated.filter((value) => (value === undefined ? alarm.treatMissingData === "breaching" : breaches(alarm, value))).length;
  return { state: breaching >= alarm.datapointsToAlarm ? "ALARM" : "OK", evaluated };
}

/**
 * The capacity a policy sets when its alarm is in ALARM. The step is chosen by (aggregated
 * breaching value - threshold); with only filled points, just past the threshold on the breaching side.
 */
export function policyOutcome(alarm: ScalingAlarm, evaluation: Evaluation, current: number): number {
  const real = evaluation.evaluated.filter((value): value is number => value !== undefined && breaches(alarm, value));
  const below = alarm.comparison.startsWith("Less");
  const value = real.length > 0 ? (below ? Math.min(...real) : Math.max(...real)) : alarm.threshold + (below ? -1e-9 : 0);
  const delta = value - alarm.threshold;
  const step = alarm.policy.steps.find((candidate) => (candidate.lower === undefined || delta >= candidate.lower) && (candidate.upper === undefined || delta < candidate.upper));
  if (!step) return current;
  return alarm.policy.adjustmentType === "ExactCapacity" ? step.adjustment : current + step.adjustment;
}
