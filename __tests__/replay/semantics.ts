// What the replay assumes about AWS, as data: which metric is published when, how late it lands,
// how CloudWatch evaluates alarms and acts, how the load balancer routes. Each entry names the AWS
// page it comes from; where AWS documents no number, the entry says so and the value is the
// project's working assumption (docs/traffic-and-scaling.md uses the same figures).

export interface Source {
  readonly title: string;
  readonly url: string;
  /** What the page says that the entry relies on (paraphrased or quoted). */
  readonly says: string;
}

const ALB_METRICS: Source = {
  title: "CloudWatch metrics for your Application Load Balancer",
  url: "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-cloudwatch-metrics.html",
  says:
    "Metrics are reported only when requests flow through the load balancer, in 60-second intervals. RequestCount " +
    '"is only incremented for requests where the load balancer node was able to choose a target"; HTTPCode_ELB_5XX_Count ' +
    "and HTTPCode_ELB_503_Count count codes that originate from the load balancer, reported when nonzero.",
};
const ECS_METRICS: Source = {
  title: "Amazon ECS CloudWatch metrics",
  url: "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/available-metrics.html",
  says:
    "Amazon ECS sends metrics at one-minute intervals, for resources that have tasks in the RUNNING state; a service " +
    "with no running task reports no metrics for that period.",
};
const CONTAINER_INSIGHTS: Source = {
  title: "Amazon ECS Container Insights metrics",
  url: "https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Container-Insights-metrics-ECS.html",
  says:
    "RunningTaskCount: the number of tasks currently in the RUNNING state (ClusterName, ServiceName). Whether a " +
    "datapoint of 0 is published at zero tasks is not documented: modelled as missing (FILL(x, 0) makes both the same).",
};
const METRIC_MATH: Source = {
  title: "Using metric math (Amazon CloudWatch User Guide)",
  url: "https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/using-metric-math.html",
  says:
    'FILL in an alarm: "if your metrics are being published with a slight delay, and the most recent minute never has ' +
    'data", FILL makes the latest datapoint the fill value; "You can work around this by using a M out of N alarm".',
};

/** What the simulated world counts into a metric, per minute. */
export type Measure = "requestsForwarded" | "answeredByLoadBalancer5xx" | "answeredByLoadBalancer503" | "taskCpu" | "runningTasks";
/** When a minute has a datapoint at all. */
export type Published = "minutesWithRequests" | "nonzero" | "minutesWithRunningTask";

export interface MetricSemantics {
  readonly namespace: string;
  readonly metricName: string;
  readonly measures: Measure;
  readonly published: Published;
  /** The dimension keys the alarm must use (the world publishes one series per load balancer / service). */
  readonly dimensions: readonly string[];
  readonly source: Source;
}

export const METRIC_SEMANTICS: readonly MetricSemantics[] = [
  // "Reporting criteria: Always reported" (while requests flow), so a minute of 503s only has RequestCount 0.
  { namespace: "AWS/ApplicationELB", metricName: "RequestCount", measures: "requestsForwarded", published: "minutesWithRequests", dimensions: ["LoadBalancer"], source: ALB_METRICS },
  { namespace: "AWS/ApplicationELB", metricName: "HTTPCode_ELB_5XX_Count", measures: "answeredByLoadBalancer5xx", published: "nonzero", dimensions: ["LoadBalancer"], source: ALB_METRICS },
  { namespace: "AWS/ApplicationELB", metricName: "HTTPCode_ELB_503_Count", measures: "answeredByLoadBalancer503", published: "nonzero", dimensions: ["LoadBalancer"], source: ALB_METRICS },
  { namespace: "AWS/ECS", metricName: "CPUUtilization", measures: "taskCpu", published: "minutesWithRunningTask", dimensions: ["ClusterName", "ServiceName"], source: ECS_METRICS },
  { namespace: "ECS/ContainerInsights", metricName: "RunningTaskCount", measures: "runningTasks", published: "minutesWithRunningTask", dimensions: ["ClusterName", "ServiceName"], source: CONTAINER_INSIGHTS },
];

export interface DeliveryRule {
  readonly namespace: string;
  /** Whole minutes after the end of its minute that a datapoint becomes visible to alarms (default of a scenario). */
  readonly defaultDelayMinutes: number;
  /** The range the replay scenarios cover. */
  readonly delayRangeMinutes: readonly [number, number];
  readonly source: Source;
}

const LATE_METRICS: Source = {
  ...METRIC_MATH,
  says: `${METRIC_MATH.says} AWS gives no figure for the delay: 1-3 minutes is the project's working assumption for ALB and ECS metrics.`,
};

export const DELIVERY: readonly DeliveryRule[] = [
  { namespace: "AWS/ApplicationELB", defaultDelayMinutes: 1, delayRangeMinutes: [1, 3], source: LATE_METRICS },
  { namespace: "AWS/ECS", defaultDelayMinutes: 1, delayRangeMinutes: [1, 3], source: LATE_METRICS },
  { namespace: "ECS/ContainerInsights", defaultDelayMinutes: 1, delayRangeMinutes: [1, 3], source: LATE_METRICS },
];

const ALARM_EVALUATION: Source = {
  title: "Using Amazon CloudWatch alarms: Evaluating an alarm / How alarm state is evaluated when data is missing",
  url: "https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarm-evaluation.html",
  says:
    "Datapoints to Alarm of the last Evaluation Periods must breach (not necessarily consecutive). CloudWatch retrieves " +
    "more datapoints than Evaluation Periods (the evaluation range); with at least N existing points it evaluates the " +
    "most recent N existing ones, otherwise it fills the missing ones with the missing-data treatment, as few as possible.",
};

export const CLOUDWATCH = {
  /** Every minute each alarm is evaluated on the data visible then (1-minute periods). */
  evaluationEveryMinutes: { value: 1, source: ALARM_EVALUATION },
  /** Extra 1-minute datapoints in the evaluation range beyond Evaluation Periods (AWS's example: 5 retrieved for 3). */
  evaluationRangeExtraPoints: { value: 2, source: { ...ALARM_EVALUATION, says: `${ALARM_EVALUATION.says} The exact number is not documented; the page's example retrieves 5 for 3.` } },
  /** Auto Scaling actions repeat every period while the alarm stays in ALARM; other actions fire on transitions only. */
  autoScalingActionsRepeat: {
    value: true,
    source: {
      title: "Alarm actions (Amazon CloudWatch User Guide)",
      url: "https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarm-actions.html",
      says: "Except for Auto Scaling actions, the actions happen only on state transitions, and are not performed again if the condition persists.",
    },
  },
  /** A step policy keeps applying its adjustment for additional breaches until the alarm returns to OK. */
  stepPolicyRepeats: {
    value: true,
    source: {
      title: "How step scaling for Application Auto Scaling works",
      url: "https://docs.aws.amazon.com/autoscaling/application/userguide/step-scaling-policy-overview.html",
      says: "The adjustments can continue for additional alarm breaches until the alarm state returns to OK.",
    },
  },
} as const;

export const APPLICATION_AUTO_SCALING = {
  /** After a step policy changed the capacity, its further scale-ins wait for its cooldown. (ExactCapacity repeats set the same value.) */
  scaleInWaitsForCooldown: {
    value: true,
    source: {
      title: "StepScalingPolicyConfiguration (Application Auto Scaling API Reference)",
      url: "https://docs.aws.amazon.com/autoscaling/application/APIReference/API_StepScalingPolicyConfiguration.html",
      says: "Cooldown: with scale-in policies, scale-in activities are blocked until the cooldown period has expired.",
    },
  },
} as const;

export const LOAD_BALANCER = {
  /** Requests go to healthy targets only; with none (no task, or a task still in its first health checks) the ALB answers 503 itself. */
  routesToHealthyTargetsOnly: {
    value: true,
    source: {
      title: "Health checks for Application Load Balancer target groups",
      url: "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/target-group-health-checks.html",
      says:
        "Each load balancer node routes requests only to the healthy targets; a registered target must pass its health " +
        "checks to be considered healthy. (Fail-open applies to targets that are unhealthy, not to new ones: not modelled.)",
    },
  },
} as const;

export function semanticsOf(namespace: string, metricName: string): MetricSemantics {
  const found = METRIC_SEMANTICS.find((entry) => entry.namespace === namespace && entry.metricName === metricName);
  if (!found) throw new Error(`the replay has no semantics for ${namespace} ${metricName}: add an entry (with its AWS source) to __tests__/replay/semantics.ts`);
  return found;
}

export function defaultDelays(): Record<string, number> {
  return Object.fromEntries(DELIVERY.map((rule) => [rule.namespace, rule.defaultDelayMinutes]));
}
