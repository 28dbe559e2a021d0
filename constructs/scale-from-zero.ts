import { Construct } from "constructs";
import { AppautoscalingPolicy } from "@cdktf/provider-aws/lib/appautoscaling-policy";
import type { AppautoscalingTarget } from "@cdktf/provider-aws/lib/appautoscaling-target";
import { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { expressionQuery, requestCount, runningTaskQueries, type ServiceMetricsSource } from "./scaling-metrics";
import { InvalidInputError } from "../config/errors";
import { derivedName } from "./names";

/** 1 while requests reach the load balancer and no task of the service runs; 0 otherwise. */
export const WAKE_EXPRESSION = "IF(FILL(requests, 0) > 0 AND FILL(cpuSamples, 0) == 0 AND FILL(runningTasks, 0) == 0, 1, 0)";
/** Requests per minute, 0 for the minutes an idle load balancer publishes nothing. */
export const IDLE_EXPRESSION = "FILL(requests, 0)";

export interface ScaleFromZeroProps extends ServiceMetricsSource {
  /** The service's scalable target; its minimum must be 0. */
  readonly target: AppautoscalingTarget;
  /** `arn_suffix` of the load balancer in front of the service (its RequestCount dimension). */
  readonly loadBalancerArnSuffix: string;
  /** Consecutive minutes without a request before the service goes to zero. */
  readonly idleMinutes: number;
}

/**
 * Wakes a service from zero tasks and puts it back to sleep, with CloudWatch alarms and step
 * scaling only (no Lambda). Target tracking cannot do the first half: with no task there is no
 * CPU metric. The load balancer's RequestCount exists without targets, so it is the signal.
 *
 * - Wake: WAKE_EXPRESSION >= 1 for one minute -> ExactCapacity 1. The expression is 1 only while
 *   no task runs, so this path can never lower a service that runs 3 tasks; and because
 *   CloudWatch re-invokes the policy every minute the alarm stays in ALARM (the task takes a
 *   minute or two to start), "exactly 1" is idempotent where "+1" would add a task each time.
 * - Idle: fewer than 1 request a minute for `idleMinutes` consecutive minutes -> ExactCapacity
 *   0. This is the only policy that can reach zero.
 */
export class ScaleFromZero extends Construct {
  public readonly wakeAlarm: CloudwatchMetricAlarm;
  public readonly idleAlarm: CloudwatchMetricAlarm;
  public readonly wakePolicy: AppautoscalingPolicy;
  public readonly idlePolicy: AppautoscalingPolicy;

  constructor(scope: Construct, id: string, props: ScaleFromZeroProps) {
    super(scope, id);
    if (!Number.isInteger(props.idleMinutes) || props.idleMinutes < 1 || props.idleMinutes > 1440) {
      throw new InvalidInputError(`Invalid idle minutes ${props.idleMinutes} for ${props.serviceName}: must be 1-1440 (CloudWatch evaluates at most a day)`);
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
    this.wakePolicy = policy("wake", 1, { metricIntervalLowerBound: "0" });
    this.idlePolicy = policy("idle", 0, { metricIntervalUpperBound: "0" });

    const { cpuSamples, runningTasks } = runningTaskQueries(props, "Maximum");
    this.wakeAlarm = new CloudwatchMetricAlarm(this, "wake-alarm", {
      alarmName: derivedName.scaling(props.serviceName, "wake"),
      alarmDescription: `Requests reach ${props.serviceName} while no task runs: start one`,
      comparisonOperator: "GreaterThanOrEqualToThreshold",
      threshold: 1,
      evaluationPeriods: 1,
      datapointsToAlarm: 1,
      // No data: nothing proves a request came, so no wake (FILL already turns gaps into 0).
      treatMissingData: "notBreaching",
      metricQuery: [requestCount("requests", props.loadBalancerArnSuffix), cpuSamples, runningTasks, expressionQuery("wake", WAKE_EXPRESSION, "Requests while no task runs")],
      alarmActions: [this.wakePolicy.arn],
    });
    this.idleAlarm = new CloudwatchMetricAlarm(this, "idle-alarm", {
      alarmName: derivedName.scaling(props.serviceName, "idle"),
      alarmDescription: `No request reached ${props.serviceName} for ${props.idleMinutes} minutes: scale to zero`,
      comparisonOperator: "LessThanThreshold",
      threshold: 1,
      evaluationPeriods: props.idleMinutes,
      datapointsToAlarm: props.idleMinutes,
      // An idle load balancer publishes no RequestCount at all: silence is idleness.
      treatMissingData: "breaching",
      metricQuery: [requestCount("requests", props.loadBalancerArnSuffix), expressionQuery("idle", IDLE_EXPRESSION, "Requests per minute")],
      alarmActions: [this.idlePolicy.arn],
    });
  }
}
