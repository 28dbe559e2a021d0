import type { CloudwatchMetricAlarmMetricQuery } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";

/** Every scaling alarm works on 1-minute data: the finest that ALB and ECS metrics offer. */
export const SCALING_PERIOD_SECONDS = 60;

/** Where an ECS service's metrics are published. */
export interface ServiceMetricsSource {
  readonly clusterName: string;
  readonly serviceName: string;
}

/** A metric as one `metric_query` of a metric-math alarm (not returned: an expression uses it). */
export function metricQuery(
  id: string,
  namespace: string,
  metricName: string,
  stat: string,
  dimensions: Record<string, string>,
): CloudwatchMetricAlarmMetricQuery {
  return { id, returnData: false, metric: { namespace, metricName, stat, period: SCALING_PERIOD_SECONDS, dimensions } };
}

/** The expression the alarm watches. */
export function expressionQuery(id: string, expression: string, label: string): CloudwatchMetricAlarmMetricQuery {
  return { id, expression, label, returnData: true };
}

/**
 * Requests the load balancer forwarded to a target. AWS's "CloudWatch metrics for your Application
 * Load Balancer" page: RequestCount "is only incremented for requests where the load balancer node
 * was able to choose a target". With no registered target it stays at zero (or unpublished): it
 * proves a target existed, never that a sleeping service was asked for.
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-cloudwatch-metrics.html
 */
export function requestCount(id: string, loadBalancerArnSuffix: string): CloudwatchMetricAlarmMetricQuery {
  return metricQuery(id, "AWS/ApplicationELB", "RequestCount", "Sum", { LoadBalancer: loadBalancerArnSuffix });
}

/**
 * 5xx answers the load balancer gave itself (not its targets). With no registered target the ALB
 * answers every request with 503, counted here (and in HTTPCode_ELB_503_Count), per load
 * balancer; published only for minutes with a nonzero value (same AWS page as RequestCount).
 */
export function loadBalancer5xxCount(id: string, loadBalancerArnSuffix: string): CloudwatchMetricAlarmMetricQuery {
  return metricQuery(id, "AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", "Sum", { LoadBalancer: loadBalancerArnSuffix });
}

/**
 * The service's running tasks, two independent ways: the basic ECS CPU metric exists only while
 * a task is RUNNING (its SampleCount is > 0 then; "Amazon ECS CloudWatch metrics": "If a cluster,
 * service, or other resource has no running tasks, no metrics will be reported for that resource
 * during that period", https://docs.aws.amazon.com/AmazonECS/latest/developerguide/available-metrics.html),
 * and Container Insights counts them. Alarms that must be sure "no task runs" require both to say so.
 */
export function runningTaskQueries(
  source: ServiceMetricsSource,
  /** Maximum to know that none ran during the minute, Minimum to know that several ran all along. */
  stat: "Maximum" | "Minimum",
): {
  cpuSamples: CloudwatchMetricAlarmMetricQuery;
  runningTasks: CloudwatchMetricAlarmMetricQuery;
} {
  const dimensions = { ClusterName: source.clusterName, ServiceName: source.serviceName };
  return {
    cpuSamples: metricQuery("cpuSamples", "AWS/ECS", "CPUUtilization", "SampleCount", dimensions),
    runningTasks: metricQuery("runningTasks", "ECS/ContainerInsights", "RunningTaskCount", stat, dimensions),
  };
}

/** Average CPU utilisation (%) of the service's running tasks. */
export function averageCpu(id: string, source: ServiceMetricsSource): CloudwatchMetricAlarmMetricQuery {
  return metricQuery(id, "AWS/ECS", "CPUUtilization", "Average", { ClusterName: source.clusterName, ServiceName: source.serviceName });
}

/**
 * The 503s among the load balancer's own 5xx: what a visitor of a sleeping service gets (same AWS
 * page as RequestCount). The wake alarm counts all of HTTPCode_ELB_5XX_Count; this one shows which.
 */
export function loadBalancer503Count(id: string, loadBalancerArnSuffix: string): CloudwatchMetricAlarmMetricQuery {
  return metricQuery(id, "AWS/ApplicationELB", "HTTPCode_ELB_503_Count", "Sum", { LoadBalancer: loadBalancerArnSuffix });
}

/** 5xx answers of one target group's targets (the containers themselves), per minute. */
export function targetGroup5xxCount(id: string, loadBalancerArnSuffix: string, targetGroupArnSuffix: string): CloudwatchMetricAlarmMetricQuery {
  return metricQuery(id, "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", "Sum", { LoadBalancer: loadBalancerArnSuffix, TargetGroup: targetGroupArnSuffix });
}

/** Seconds from the load balancer sending a request to a target to its answer, as a percentile (`p50`, `p95`). */
export function targetResponseTime(id: string, loadBalancerArnSuffix: string, percentile: `p${number}`): CloudwatchMetricAlarmMetricQuery {
  return metricQuery(id, "AWS/ApplicationELB", "TargetResponseTime", percentile, { LoadBalancer: loadBalancerArnSuffix });
}

/** Tasks the service wants (Container Insights), to compare with RunningTaskCount. */
export function desiredTaskCount(id: string, source: ServiceMetricsSource): CloudwatchMetricAlarmMetricQuery {
  return metricQuery(id, "ECS/ContainerInsights", "DesiredTaskCount", "Maximum", { ClusterName: source.clusterName, ServiceName: source.serviceName });
}

/** Average memory utilisation (%) of the service's running tasks. */
export function averageMemory(id: string, source: ServiceMetricsSource): CloudwatchMetricAlarmMetricQuery {
  return metricQuery(id, "AWS/ECS", "MemoryUtilization", "Average", { ClusterName: source.clusterName, ServiceName: source.serviceName });
}
