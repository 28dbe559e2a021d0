import { Construct } from "constructs";
import { AppautoscalingPolicy } from "@cdktf/provider-aws/lib/appautoscaling-policy";
import type { AppautoscalingTarget } from "@cdktf/provider-aws/lib/appautoscaling-target";
import { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { expressionQuery, loadBalancer5xxCount, requestCount, runningTaskQueries, type ServiceMetricsSource } from "./scaling-metrics";
import { ConstructPropsError } from "./errors";
import { derivedName } from "./names";

/**
 * Minutes the wake alarm looks back. ALB and ECS metrics land 1-3 minutes after their minute, so
 * the newest minutes of a FILL(x, 0) series are fill values; CloudWatch's metric math page says to
 * evaluate such expressions M out of N for that reason. 5 minutes leaves room for 3 minutes of
 * delay plus an evaluation of slack.
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/using-metric-math.html (FILL)
 */
export const WAKE_EVALUATION_MINUTES = 5;
/** One minute in which requests found no target is enough to wake: a visitor has waited since. */
export const WAKE_DATAPOINTS = 1;
/** The least INFRA_IDLE_MINUTES: a shorter idle window could be in ALARM while the wake alarm still is. */
export const MIN_IDLE_MINUTES = WAKE_EVALUATION_MINUTES;

/**
 * 1 for a minute in which the load balancer answered 503 itself (HTTPCode_ELB_5XX_Count), could
 * choose a target for no request (RequestCount 0) and no task of the service ran (both task
 * signals 0); 0 otherwise. RequestCount is the load balancer's own proof that a target existed in
 * that minute: it lands with the 5xx count, so a minute served by running tasks never wakes, even
 * when the ECS metrics of that minute land later than the load balancer's.
 */
export const WAKE_EXPRESSION =
  "IF(FILL(elb5xx, 0) > 0 AND FILL(requests, 0) == 0 AND FILL(cpuSamples, 0) == 0 AND FILL(runningTasks, 0) == 0, 1, 0)";
/** Requests of any kind per minute: forwarded to a target, or answered 5xx by the load balancer itself. */
export const IDLE_EXPRESSION = "FILL(requests, 0) + FILL(elb5xx, 0)";

export interface ScaleFromZeroProps extends ServiceMetricsSource {
  /** The service's scalable target; its minimum must be 0. */
  readonly target: AppautoscalingTarget;
  /** `arn_suffix` of the load balancer in front of the service (the LoadBalancer dimension of its metrics). */
  readonly loadBalancerArnSuffix: string;
  /** Consecutive minutes without a request before the service goes to zero (MIN_IDLE_MINUTES-1440). */
  readonly idleMinutes: number;
  /**
   * false: the wake alarm still evaluates (its state and history show visitors) but starts
   * nothing: the environment is stopped on purpose. @default true
   */
  readonly wakeEnabled?: boolean;
}

/**
 * Wakes a service from zero tasks and puts it back to sleep, with CloudWatch alarms and step
 * scaling only (no Lambda). Target tracking cannot do the first half: with no task there is no
 * CPU metric. With no task there is no target either, so the load balancer answers 503 itself:
 * that, not RequestCount, is what it publishes for a sleeping service.
 *
 * CloudWatch re-invokes an Auto Scaling action every minute its alarm stays in ALARM (other
 * actions fire on transitions only), so each path is built to be repeated:
 * - Wake: WAKE_EXPRESSION >= 1 in WAKE_DATAPOINTS of the last WAKE_EVALUATION_MINUTES minutes ->
 *   ExactCapacity 1. The expression is 1 only for minutes without any task, so it cannot lower a
 *   service that runs 3; repeated while the task starts, "exactly 1" changes nothing.
 * - Idle: no request of any kind (IDLE_EXPRESSION < 1) for `idleMinutes` consecutive minutes ->
 *   ExactCapacity 0, the only path to zero. At zero it stays in ALARM and repeats 0: harmless. The
 *   503s a visitor gets are requests too, so the minute that wakes the service also ends the idle
 *   alarm; and as `idleMinutes` >= WAKE_EVALUATION_MINUTES, every minute the wake alarm still sees
 *   is inside the idle window: the two are never in ALARM at the same time.
 * The timeline and its AWS sources: docs/traffic-and-scaling.md; the replay test checks it.
 */
export class ScaleFromZero extends Construct {
  /** ARN of the alarm that wakes the service (0 -> 1 task). */
  public readonly wakeAlarmArn: string;
  /** ARN of the alarm that puts the service to sleep (-> 0 tasks). */
  public readonly idleAlarmArn: string;

  constructor(scope: Construct, id: string, props: ScaleFromZeroProps) {
    super(scope, id);
    if (!Number.isInteger(props.idleMinutes) || props.idleMinutes < MIN_IDLE_MINUTES || props.idleMinutes > 1440) {
      throw new ConstructPropsError(
        `Invalid idle minutes ${props.idleMinutes} for ${props.serviceName}: must be ${MIN_IDLE_MINUTES}-1440 ` +
          `(at least the wake alarm's ${WAKE_EVALUATION_MINUTES} minutes; CloudWatch evaluates at most a day)`,
      );
    }
    const policy = (name: string, capacity: number, bound: { metricIntervalLowerBound?: string; metricIntervalUpperBound?: string }) =>
      new AppautoscalingPolicy(this, `${name}-policy`, {
        name: derivedName.scaling(props.serviceName, name),
        policyType: "StepScaling",
        serviceNamespace: props.target.serviceNamespace,
        scalableDimension: props.target.scalableDimension,
        resourceId: props.target.resourceId,
        stepScalingPolicyConfiguration: {
          adjustmentType: "ExactCapacity",
          metricAggregationType: "Maximum",
          cooldown: 60,
          stepAdjustment: [{ ...bound, scalingAdjustment: capacity }],
        },
      });
    // Bounds are relative to the alarm threshold (1): at or above it for wake, below it for idle.
    const wakePolicy = policy("wake", 1, { metricIntervalLowerBound: "0" });
    const idlePolicy = policy("idle", 0, { metricIntervalUpperBound: "0" });

    const { cpuSamples, runningTasks } = runningTaskQueries(props, "Maximum");
    const requests = () => requestCount("requests", props.loadBalancerArnSuffix);
    const elb5xx = () => loadBalancer5xxCount("elb5xx", props.loadBalancerArnSuffix);
    const wakeAlarm = new CloudwatchMetricAlarm(this, "wake-alarm", {
      alarmName: derivedName.scaling(props.serviceName, "wake"),
      alarmDescription: `The load balancer answered 503 for ${props.serviceName} while no task ran: start one`,
      comparisonOperator: "GreaterThanOrEqualToThreshold",
      threshold: 1,
      evaluationPeriods: WAKE_EVALUATION_MINUTES,
      datapointsToAlarm: WAKE_DATAPOINTS,
      // FILL makes every minute a datapoint; should none exist, nothing proves a visitor came.
      treatMissingData: "notBreaching",
      metricQuery: [elb5xx(), requests(), cpuSamples, runningTasks, expressionQuery("wake", WAKE_EXPRESSION, "503s while no task runs")],
      alarmActions: [wakePolicy.arn],
      ...(props.wakeEnabled === false ? { actionsEnabled: false } : {}),
    });
    const idleAlarm = new CloudwatchMetricAlarm(this, "idle-alarm", {
      alarmName: derivedName.scaling(props.serviceName, "idle"),
      alarmDescription: `No request reached ${props.serviceName} for ${props.idleMinutes} minutes: scale to zero`,
      comparisonOperator: "LessThanThreshold",
      threshold: 1,
      evaluationPeriods: props.idleMinutes,
      datapointsToAlarm: props.idleMinutes,
      // An idle load balancer publishes no datapoint at all: silence is idleness.
      treatMissingData: "breaching",
      metricQuery: [requests(), elb5xx(), expressionQuery("idle", IDLE_EXPRESSION, "Requests per minute, 503s included")],
      alarmActions: [idlePolicy.arn],
    });
    this.wakeAlarmArn = wakeAlarm.arn;
    this.idleAlarmArn = idleAlarm.arn;
  }
}
