import { Construct } from "constructs";
import { Token } from "cdktf";
import { CloudwatchDashboard } from "@cdktf/provider-aws/lib/cloudwatch-dashboard";
import type { CloudwatchMetricAlarmMetricQuery } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { IDLE_EXPRESSION, WAKE_EXPRESSION } from "./scale-from-zero";
import {
  averageCpu,
  averageMemory,
  desiredTaskCount,
  loadBalancer503Count,
  loadBalancer5xxCount,
  requestCount,
  runningTaskQueries,
  targetGroup5xxCount,
  targetResponseTime,
  type ServiceMetricsSource,
} from "./scaling-metrics";
import { ConstructPropsError } from "./errors";

/**
 * PutDashboard (Amazon CloudWatch API Reference): "The maximum length is 255, and valid characters
 * are A-Z, a-z, 0-9, "-", and "_"".
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutDashboard.html
 */
export const DASHBOARD_NAME_PATTERN = /^[A-Za-z0-9_-]{1,255}$/;

/** The alarm status widget lists at most 100 alarms (Dashboard Body Structure and Syntax, "alarms"). */
const MAX_ALARMS = 100;

export interface ServiceDashboardProps extends ServiceMetricsSource {
  /** Dashboard name (1-255 of A-Z a-z 0-9 - _), e.g. `city-guided-staging`. */
  readonly name: string;
  /** Region of the service and its load balancer: every metric widget reads there. */
  readonly region: string;
  /** `arn_suffix` of the load balancer in front of the service (the LoadBalancer dimension). */
  readonly loadBalancerArnSuffix: string;
  /** `arn_suffix` of each target group, by container name (the TargetGroup dimension). */
  readonly targetGroupArnSuffixes: Readonly<Record<string, string>>;
  /**
   * ARNs of the wake and idle alarms of a service that sleeps at zero tasks: the dashboard then
   * shows their states and the wake signal. @default none (a service that never sleeps)
   */
  readonly scaleFromZeroAlarmArns?: readonly string[];
  /** Auto Scaling group of the proxy entry: a widget of its instances in service. @default none (no entry) */
  readonly entryAutoScalingGroupName?: string;
}

interface Widget {
  readonly title: string;
  readonly metrics: unknown[][];
  /** Left axis label and bounds. */
  readonly yAxis?: Record<string, unknown>;
}

/**
 * The CloudWatch dashboard of one load-balanced ECS service: its requests and the wake signal,
 * 5xx of the load balancer and of each target group, running vs desired tasks, CPU and memory,
 * target response time (p50, p95), and, for a service that sleeps, the wake and idle alarms'
 * states. The metrics are the definitions the alarms use (scaling-metrics.ts), and the wake line
 * is the wake alarm's own expression, so the graph shows what the alarm sees.
 */
export class ServiceDashboard extends Construct {
  /** The dashboard's name (the console URL is names.ts' dashboardUrl). */
  public readonly name: string;

  constructor(scope: Construct, id: string, props: ServiceDashboardProps) {
    super(scope, id);
    if (!Token.isUnresolved(props.name) && !DASHBOARD_NAME_PATTERN.test(props.name)) {
      throw new ConstructPropsError(`Invalid dashboard name "${props.name}": must be 1-255 characters, A-Z a-z 0-9 - _ (CloudWatch PutDashboard)`);
    }
    if (Object.keys(props.targetGroupArnSuffixes).length === 0) {
      throw new ConstructPropsError(`Invalid dashboard ${props.name}: needs at least one target group (its 5xx widget would be empty)`);
    }
    const alarms = props.scaleFromZeroAlarmArns ?? [];
    if (alarms.length > MAX_ALARMS) {
      throw new ConstructPropsError(`Invalid dashboard ${props.name}: ${alarms.length} alarms, an alarm status widget shows at most ${MAX_ALARMS}`);
    }
    const widgets = metricWidgets(props, alarms.length > 0).map((widget) => metricWidget(widget, props.region));
    if (alarms.length > 0) widgets.unshift({ type: "alarm", width: 24, height: 3, properties: { title: "Wake and idle alarms", alarms: [...alarms] } });
    const dashboard = new CloudwatchDashboard(this, "dashboard", {
      dashboardName: props.name,
      dashboardBody: JSON.stringify({ widgets: layOut(widgets) }),
    });
    this.name = dashboard.dashboardName;
  }
}

/** The graphs, each built from the metric definitions the alarms use. */
function metricWidgets(props: ServiceDashboardProps, sleeps: boolean): Widget[] {
  const balancer = props.loadBalancerArnSuffix;
  const { cpuSamples, runningTasks } = runningTaskQueries(props, "Maximum");
  const requests = [
    line(requestCount("requests", balancer), "Requests forwarded to a target"),
    line(loadBalancer5xxCount("elb5xx", balancer), "5xx answered by the load balancer"),
    line(loadBalancer503Count("elb503", balancer), "503 answered by the load balancer"),
  ];
  if (sleeps) {
    // The wake alarm's expression needs its inputs in the same widget, under the same ids.
    requests.push(hidden(cpuSamples), hidden(runningTasks), expression("wake", WAKE_EXPRESSION, "Wake signal (1: 503s while no task runs)"));
    requests.push(expression("idle", IDLE_EXPRESSION, "Requests per minute, 503s included (idle alarm)"));
  }
  const targets = Object.entries(props.targetGroupArnSuffixes).map(([target, suffix], index) =>
    line(targetGroup5xxCount(`target5xx${index}`, balancer, suffix), `5xx answered by ${target}`),
  );
  const entry: Widget[] =
    props.entryAutoScalingGroupName === undefined
      ? []
      : [
          {
            title: "Public entry: instances in service",
            // The group's own metric (enabled with 1-minute granularity), the one its alarm watches.
            metrics: [["AWS/AutoScaling", "GroupInServiceInstances", "AutoScalingGroupName", props.entryAutoScalingGroupName, { id: "entryInService", stat: "Minimum", period: 60, label: "Entry instances in service" }]],
            yAxis: { label: "instances", min: 0 },
          },
        ];
  return [
    { title: "Requests and the wake signal", metrics: requests, yAxis: { label: "per minute", min: 0 } },
    { title: "5xx: load balancer and targets", metrics: [line(loadBalancer5xxCount("elb5xx", balancer), "Load balancer 5xx"), ...targets], yAxis: { label: "per minute", min: 0 } },
    {
      title: "Running vs desired tasks",
      metrics: [line(runningTasks, "Running tasks"), line(desiredTaskCount("desiredTasks", props), "Desired tasks")],
      yAxis: { label: "tasks", min: 0 },
    },
    { title: "CPU and memory", metrics: [line(averageCpu("cpu", props), "CPU %"), line(averageMemory("memory", props), "Memory %")], yAxis: { label: "%", min: 0, max: 100 } },
    {
      title: "Target response time",
      metrics: [line(targetResponseTime("p50", balancer, "p50"), "p50"), line(targetResponseTime("p95", balancer, "p95"), "p95")],
      yAxis: { label: "seconds", min: 0 },
    },
    ...entry,
  ];
}

/**
 * A metric as a dashboard widget line: `[namespace, name, dimension, value..., options]`
 * (Dashboard Body Structure and Syntax, "metrics" array format).
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/CloudWatch-Dashboard-Body-Structure.html
 */
function line(query: CloudwatchMetricAlarmMetricQuery, label: string, visible = true): unknown[] {
  const metric = query.metric!;
  const dimensions = Object.entries(metric.dimensions ?? {}).flat();
  const options: Record<string, unknown> = { id: query.id, stat: metric.stat, period: metric.period, label };
  if (!visible) options.visible = false;
  return [metric.namespace, metric.metricName, ...dimensions, options];
}

const hidden = (query: CloudwatchMetricAlarmMetricQuery) => line(query, query.id, false);
const expression = (id: string, text: string, label: string): unknown[] => [{ id, expression: text, label }];

function metricWidget(widget: Widget, region: string): Record<string, unknown> {
  return {
    type: "metric",
    width: 12,
    height: 6,
    properties: { title: widget.title, view: "timeSeries", region, period: 60, metrics: widget.metrics, yAxis: { left: widget.yAxis ?? {} } },
  };
}

/** Places widgets left to right on the 24-column grid, wrapping rows. */
function layOut(widgets: Record<string, unknown>[]): Record<string, unknown>[] {
  let x = 0;
  let y = 0;
  let rowHeight = 0;
  return widgets.map((widget) => {
    const width = widget.width as number;
    const height = widget.height as number;
    if (x + width > 24) {
      x = 0;
      y += rowHeight;
      rowHeight = 0;
    }
    const placed = { ...widget, x, y };
    x += width;
    rowHeight = Math.max(rowHeight, height);
    return placed;
  });
}
