import { Construct } from "constructs";
import { AppautoscalingPolicy } from "@cdktf/provider-aws/lib/appautoscaling-policy";
import { AppautoscalingTarget } from "@cdktf/provider-aws/lib/appautoscaling-target";

export interface ServiceAutoscalingProps {
  readonly clusterName: string;
  readonly serviceName: string;
  /** Fewest tasks (0 lets the service sleep). */
  readonly minCapacity: number;
  readonly maxCapacity: number;
  /** Average CPU utilisation (%) target tracking aims for. */
  readonly cpuTarget: number;
}

/** Application Auto Scaling of an ECS service's task count, tracking average CPU. */
export class ServiceAutoscaling extends Construct {
  public readonly target: AppautoscalingTarget;
  public readonly cpuPolicy: AppautoscalingPolicy;

  constructor(scope: Construct, id: string, props: ServiceAutoscalingProps) {
    super(scope, id);
    if (props.minCapacity > props.maxCapacity) {
      throw new Error(`Invalid autoscaling range for ${props.serviceName}: min ${props.minCapacity} > max ${props.maxCapacity}`);
    }
    this.target = new AppautoscalingTarget(this, "target", {
      serviceNamespace: "ecs",
      scalableDimension: "ecs:service:DesiredCount",
      resourceId: `service/${props.clusterName}/${props.serviceName}`,
      minCapacity: props.minCapacity,
      maxCapacity: props.maxCapacity,
    });
    this.cpuPolicy = new AppautoscalingPolicy(this, "cpu", {
      name: `${props.serviceName}-cpu`,
      policyType: "TargetTrackingScaling",
      serviceNamespace: this.target.serviceNamespace,
      scalableDimension: this.target.scalableDimension,
      resourceId: this.target.resourceId,
      targetTrackingScalingPolicyConfiguration: {
        targetValue: props.cpuTarget,
        predefinedMetricSpecification: { predefinedMetricType: "ECSServiceAverageCPUUtilization" },
        scaleInCooldown: 300,
        scaleOutCooldown: 60,
      },
    });
  }
}
