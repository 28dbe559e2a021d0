import { Construct } from "constructs";
import { AppautoscalingPolicy } from "@cdktf/provider-aws/lib/appautoscaling-policy";
import { AppautoscalingTarget } from "@cdktf/provider-aws/lib/appautoscaling-target";
import { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { ScaleFromZero } from "./scale-from-zero";
import { averageCpu, expressionQuery, runningTaskQueries } from "./scaling-metrics";
import { ConstructPropsError } from "./errors";
import { derivedName } from "./names";

/** Minutes of low CPU before one task is removed (what target tracking itself waits before scaling in). */
const SCALE_IN_MINUTES = 15;

export interface ServiceAutoscalingProps {
  readonly clusterName: string;
  readonly serviceName: string;
  /** Fewest tasks (0 lets the service sleep; `scaleFromZero` is then required). */
  readonly minCapacity: number;
  readonly maxCapacity: number;
  /** Average CPU utilisation (%) target tracking aims for. */
  readonly cpuTarget: number;
  /** How the service wakes from zero and goes back to it. @default none (only valid with minCapacity >= 1) */
  readonly scaleFromZero?: {
    /** `arn_suffix` of the load balancer in front of the service: its own 503s wake the service. */
    readonly loadBalancerArnSuffix: string;
    /** Consecutive minutes without a request before the service scales to zero. */
    readonly idleMinutes: number;
  };
  /**
   * Stopped on purpose: the scalable target's minimum and maximum are 0, so no policy can start a
   * task, and the wake alarm's actions are off. A running service goes to 0 when the target is
   * updated (the service ignores its desired count after creation): RegisterScalableTarget "changes
   * the resource's current capacity to a value that is inside of this range" (Application Auto
   * Scaling API Reference, https://docs.aws.amazon.com/autoscaling/application/APIReference/API_RegisterScalableTarget.html).
   * @default false
   */
  readonly stopped?: boolean;
}

/**
 * Application Auto Scaling of an ECS service's task count.
 *
 * minCapacity >= 1: plain target tracking on average CPU, between min and max.
 * minCapacity 0: the range is 0..max, and three paths share it without overlapping:
 *   - ScaleFromZero wakes the service (0 -> exactly 1) and puts it to sleep (-> exactly 0);
 *   - target tracking on CPU only scales out (its scale-in is disabled: it would aim for the
 *     minimum, 0, while requests still arrive);
 *   - a step policy removes one task at a time while CPU is low AND at least two tasks run,
 *     so CPU never takes the service from 1 to 0. Only the idle path does that.
 */
export class ServiceAutoscaling extends Construct {
  /** ARNs of the wake and idle alarms when the service sleeps (minCapacity 0); empty otherwise. */
  public readonly scaleFromZeroAlarmArns: readonly string[];
  private readonly target: AppautoscalingTarget;

  constructor(scope: Construct, id: string, props: ServiceAutoscalingProps) {
    super(scope, id);
    if (props.minCapacity > props.maxCapacity) {
      throw new ConstructPropsError(`Invalid autoscaling range for ${props.serviceName}: min ${props.minCapacity} > max ${props.maxCapacity}`);
    }
    const sleeps = props.minCapacity === 0;
    if (sleeps && !props.scaleFromZero) {
      throw new ConstructPropsError(`Invalid autoscaling of ${props.serviceName}: min 0 needs scaleFromZero, or nothing would ever start a task`);
    }
    this.target = new AppautoscalingTarget(this, "target", {
      serviceNamespace: "ecs",
      scalableDimension: "ecs:service:DesiredCount",
      resourceId: `service/${props.clusterName}/${props.serviceName}`,
      minCapacity: props.stopped ? 0 : props.minCapacity,
      maxCapacity: props.stopped ? 0 : props.maxCapacity,
    });
    new AppautoscalingPolicy(this, "cpu", {
      name: derivedName.scaling(props.serviceName, "cpu"),
      policyType: "TargetTrackingScaling",
      serviceNamespace: this.target.serviceNamespace,
      scalableDimension: this.target.scalableDimension,
      resourceId: this.target.resourceId,
      targetTrackingScalingPolicyConfiguration: {
        targetValue: props.cpuTarget,
        predefinedMetricSpecification: { predefinedMetricType: "ECSServiceAverageCPUUtilization" },
        disableScaleIn: sleeps,
        scaleInCooldown: 300,
        scaleOutCooldown: 60,
      },
    });
    if (!sleeps) {
      this.scaleFromZeroAlarmArns = [];
      return;
    }
    const scaleFromZero = new ScaleFromZero(this, "scale-from-zero", {
      target: this.target,
      clusterName: props.clusterName,
      serviceName: props.serviceName,
      ...props.scaleFromZero!,
      ...(props.stopped ? { wakeEnabled: false } : {}),
    });
    this.scaleFromZeroAlarmArns = [scaleFromZero.wakeAlarmArn, scaleFromZero.idleAlarmArn];
    if (props.maxCapacity >= 2 && !props.stopped) this.addCpuScaleIn(props);
  }

  /**
   * One task fewer while average CPU stays under half the target: removing one of N >= 2 tasks
   * at most doubles the average, so the rest stay under the target and scale-out does not fire
   * right back. The 300 s cooldown lets the running-task count catch up before the next step.
   */
  private addCpuScaleIn(props: ServiceAutoscalingProps): CloudwatchMetricAlarm {
    const lowCpu = Math.floor(props.cpuTarget / 2);
    const policy = new AppautoscalingPolicy(this, "cpu-scale-in", {
      name: derivedName.scaling(props.serviceName, "cpu-scale-in"),
      policyType: "StepScaling",
      serviceNamespace: this.target.serviceNamespace,
      scalableDimension: this.target.scalableDimension,
      resourceId: this.target.resourceId,
      stepScalingPolicyConfiguration: {
        adjustmentType: "ChangeInCapacity",
        metricAggregationType: "Maximum",
        cooldown: 300,
        stepAdjustment: [{ metricIntervalLowerBound: "0", scalingAdjustment: -1 }],
      },
    });
    const { runningTasks } = runningTaskQueries(props, "Minimum");
    return new CloudwatchMetricAlarm(this, "cpu-scale-in-alarm", {
      alarmName: derivedName.scaling(props.serviceName, "cpu-scale-in"),
      alarmDescription: `CPU of ${props.serviceName} under ${lowCpu}% with two tasks or more: remove one`,
      comparisonOperator: "GreaterThanOrEqualToThreshold",
      threshold: 1,
      evaluationPeriods: SCALE_IN_MINUTES,
      datapointsToAlarm: SCALE_IN_MINUTES,
      // No CPU data means no task runs (or metrics are late): never a reason to remove one.
      treatMissingData: "notBreaching",
      metricQuery: [
        averageCpu("cpu", props),
        runningTasks,
        expressionQuery("scaleIn", `IF(FILL(cpu, 100) < ${lowCpu} AND FILL(runningTasks, 0) >= 2, 1, 0)`, "Low CPU with two tasks or more"),
      ],
      alarmActions: [policy.arn],
    });
  }
}
