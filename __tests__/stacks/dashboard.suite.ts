import { Testing, TerraformStack } from "cdktf";
import { ConstructPropsError } from "../../constructs/errors";
import { dashboardUrl, environmentNames, environmentPatterns, arnBuilder } from "../../constructs/names";
import { IDLE_EXPRESSION, WAKE_EXPRESSION } from "../../constructs/scale-from-zero";
import { ServiceDashboard } from "../../constructs/service-dashboard";
import { synthEnvironment, type SynthesizedStack } from "../helpers";

/** The dashboard's widgets, parsed from the synthesized body. */
function widgetsOf(stack: SynthesizedStack): any[] {
  return JSON.parse(stack.resource("aws_cloudwatch_dashboard").dashboard_body).widgets;
}

const metricWidget = (widgets: any[], title: string) => widgets.find((widget) => widget.type === "metric" && widget.properties.title === title)?.properties;
/** `[namespace, name, ...dimensions, options]` lines of a widget, as "namespace/name stat". */
const linesOf = (properties: any) =>
  properties.metrics.map((line: any[]) => (line.length === 1 ? `expression ${line[0].id}` : `${line[0]} ${line[1]} ${line[line.length - 1].stat}`));
/** Every metric id a widget's lines define, for the expressions' references. */
const idsOf = (properties: any) => properties.metrics.map((line: any[]) => line[line.length - 1].id);

describe("dashboard (one per environment)", () => {
  const sleeping = synthEnvironment("INFRA_MIN_CAPACITY=0\nINFRA_MAX_CAPACITY=3\n");
  const awake = synthEnvironment("INFRA_MIN_CAPACITY=1\n");
  const widgets = widgetsOf(sleeping);

  test("named after the environment, and its URL is an output", () => {
    expect(sleeping.resource("aws_cloudwatch_dashboard").dashboard_name).toBe(environmentNames("staging").dashboard);
    // The output follows the resource's name: Terraform fills it in.
    const [id] = Object.keys(sleeping.resources("aws_cloudwatch_dashboard"));
    expect(sleeping.json.output.dashboard_url.value).toBe(dashboardUrl("eu-west-3", `\${aws_cloudwatch_dashboard.${id}.dashboard_name}`));
    expect(dashboardUrl("eu-west-3", "city-guided-staging")).toBe("https://eu-west-3.console.aws.amazon.com/cloudwatch/home?region=eu-west-3#dashboards/dashboard/city-guided-staging");
  });

  test("requests and the wake signal: the alarms' own metrics, and the wake and idle expressions computed from them", () => {
    const requests = metricWidget(widgets, "Requests and the wake signal");
    expect(linesOf(requests)).toEqual([
      "AWS/ApplicationELB RequestCount Sum",
      "AWS/ApplicationELB HTTPCode_ELB_5XX_Count Sum",
      "AWS/ApplicationELB HTTPCode_ELB_503_Count Sum",
      "AWS/ECS CPUUtilization SampleCount",
      "ECS/ContainerInsights RunningTaskCount Maximum",
      "expression wake",
      "expression idle",
    ]);
    const expressions = requests.metrics.filter((line: any[]) => line.length === 1).map((line: any[]) => line[0].expression);
    expect(expressions).toEqual([WAKE_EXPRESSION, IDLE_EXPRESSION]);
    // Every id an expression names is a line of the same widget (CloudWatch evaluates them per widget).
    for (const text of expressions) {
      for (const id of text.match(/\b(elb5xx|requests|cpuSamples|runningTasks)\b/g)) expect(idsOf(requests)).toContain(id);
    }
    expect(requests.metrics[0]).toEqual(["AWS/ApplicationELB", "RequestCount", "LoadBalancer", "${aws_lb.load-balancer_30A23327.arn_suffix}", expect.objectContaining({ period: 60 })]);
  });

  test("5xx of the load balancer and of each target group; running vs desired tasks; CPU and memory; response time p50 and p95", () => {
    expect(linesOf(metricWidget(widgets, "5xx: load balancer and targets"))).toEqual([
      "AWS/ApplicationELB HTTPCode_ELB_5XX_Count Sum",
      "AWS/ApplicationELB HTTPCode_Target_5XX_Count Sum",
      "AWS/ApplicationELB HTTPCode_Target_5XX_Count Sum",
    ]);
    const targetGroups = metricWidget(widgets, "5xx: load balancer and targets").metrics.slice(1).map((line: any[]) => line[5]);
    expect(targetGroups.sort()).toEqual(Object.keys(sleeping.resources("aws_lb_target_group")).map((id) => `\${aws_lb_target_group.${id}.arn_suffix}`).sort());
    expect(linesOf(metricWidget(widgets, "Running vs desired tasks"))).toEqual(["ECS/ContainerInsights RunningTaskCount Maximum", "ECS/ContainerInsights DesiredTaskCount Maximum"]);
    expect(linesOf(metricWidget(widgets, "CPU and memory"))).toEqual(["AWS/ECS CPUUtilization Average", "AWS/ECS MemoryUtilization Average"]);
    expect(linesOf(metricWidget(widgets, "Target response time"))).toEqual(["AWS/ApplicationELB TargetResponseTime p50", "AWS/ApplicationELB TargetResponseTime p95"]);
    for (const widget of widgets.filter((candidate) => candidate.type === "metric")) expect(widget.properties.region).toBe("eu-west-3");
  });

  test("a sleeping environment shows the wake and idle alarms' states; one that never sleeps has neither those nor the wake line", () => {
    const alarms = widgets.filter((widget) => widget.type === "alarm");
    expect(alarms).toHaveLength(1);
    const alarmIds = Object.entries(sleeping.resources("aws_cloudwatch_metric_alarm"))
      .filter(([, alarm]) => /-(wake|idle)$/.test(alarm.alarm_name))
      .map(([id]) => `\${aws_cloudwatch_metric_alarm.${id}.arn}`);
    expect(alarmIds).toHaveLength(2);
    expect([...alarms[0].properties.alarms].sort()).toEqual(alarmIds.sort());

    const awakeWidgets = widgetsOf(awake);
    expect(awakeWidgets.filter((widget) => widget.type === "alarm")).toEqual([]);
    expect(linesOf(metricWidget(awakeWidgets, "Requests and the wake signal"))).not.toContain("expression wake");
  });

  test("widgets sit on the 24-column grid without overlapping", () => {
    const cells = new Set<string>();
    for (const widget of widgets) {
      expect(widget.x + widget.width).toBeLessThanOrEqual(24);
      for (let x = widget.x; x < widget.x + widget.width; x++) {
        for (let y = widget.y; y < widget.y + widget.height; y++) {
          expect(cells.has(`${x},${y}`)).toBe(false);
          cells.add(`${x},${y}`);
        }
      }
    }
  });

  test("its ARN pattern has no region (the Service Authorization Reference's dashboard ARN)", () => {
    const patterns = environmentPatterns("staging", arnBuilder({ partition: "aws", accountId: "123456789012", region: "eu-west-3" }));
    expect(patterns.dashboard).toBe("arn:aws:cloudwatch::123456789012:dashboard/city-guided-staging");
  });

  describe("bad props", () => {
    const stack = () => new TerraformStack(Testing.app(), "test");
    const props = { clusterName: "c", serviceName: "s", region: "eu-west-3", loadBalancerArnSuffix: "app/x/1", targetGroupArnSuffixes: { web: "targetgroup/x/1" } };

    test.each(["city guided", "city.guided", "", "x".repeat(256)])("a dashboard name outside PutDashboard's rule is refused (#%#)", (name) => {
      expect(() => new ServiceDashboard(stack(), "d", { ...props, name })).toThrow(ConstructPropsError);
      expect(() => new ServiceDashboard(stack(), "d", { ...props, name })).toThrow(`Invalid dashboard name "${name}": must be 1-255 characters, A-Z a-z 0-9 - _`);
    });

    test("a dashboard without a target group is refused", () => {
      expect(() => new ServiceDashboard(stack(), "d", { ...props, name: "ok", targetGroupArnSuffixes: {} })).toThrow("Invalid dashboard ok: needs at least one target group");
    });

    test("more alarms than an alarm status widget shows are refused", () => {
      const scaleFromZeroAlarmArns = Array.from({ length: 101 }, (_, index) => `arn:aws:cloudwatch:eu-west-3:1:alarm:a${index}`);
      expect(() => new ServiceDashboard(stack(), "d", { ...props, name: "ok", scaleFromZeroAlarmArns })).toThrow("101 alarms, an alarm status widget shows at most 100");
    });
  });
});
