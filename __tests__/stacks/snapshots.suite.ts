import { loadConfig } from "../../config/load";
import { synthProject } from "../helpers";

const stacks = synthProject(loadConfig("env"));

// Snapshots of the committed environments catch unintended drift; the properties that matter have
// assertions of their own (below for the committed choices, in the other suites for the rules).
// Update with `npx jest -u` only after reading the diff.
describe("snapshots of the committed configuration", () => {
  test.each(Object.keys(stacks).sort())("%s", (name) => {
    expect(stacks[name].json).toMatchSnapshot();
  });
});

describe("the committed environments", () => {
  // Wake and idle alarms are named after the service (`<service name>-wake`), a reference at synth.
  const scaleFromZeroAlarms = (name: string) =>
    Object.values(stacks[name].resources("aws_cloudwatch_metric_alarm"))
      .map((alarm: any) => alarm.alarm_name)
      .filter((alarmName: string) => /-(wake|idle)$/.test(alarmName));

  test("production keeps a task awake: min 1, no wake or idle alarm", () => {
    expect(stacks.production.resource("aws_appautoscaling_target").min_capacity).toBe(1);
    expect(scaleFromZeroAlarms("production")).toEqual([]);
  });

  test("staging sleeps when idle: min 0, with the wake and idle alarms", () => {
    expect(stacks.staging.resource("aws_appautoscaling_target").min_capacity).toBe(0);
    expect(scaleFromZeroAlarms("staging")).toHaveLength(2);
  });

  test("production's load balancer cannot be deleted by accident; staging's can be destroyed", () => {
    expect(stacks.production.resource("aws_lb").enable_deletion_protection).toBe(true);
    expect(stacks.staging.resource("aws_lb").enable_deletion_protection).toBe(false);
  });

  test("production keeps its logs 90 days, staging 14", () => {
    for (const [name, days] of [["production", 90], ["staging", 14]] as const) {
      for (const group of Object.values(stacks[name].resources("aws_cloudwatch_log_group")) as any[]) expect(group.retention_in_days).toBe(days);
    }
  });

  test.each(["staging", "production"])("%s: the database URL reaches the api container only, as a reference", (name) => {
    expect(stacks[name].container("api").secrets.map((secret: any) => secret.name)).toEqual(["DATABASE_URL"]);
    expect(stacks[name].container("api").secrets[0].valueFrom).toContain(`:parameter/city-guided/${name}/DATABASE_URL`);
    expect(stacks[name].container("web").secrets).toEqual([]);
  });

  test("staging is served at https://cityguided.duckdns.org by the proxy entry, its load balancer internal; production by its load balancer", () => {
    expect(stacks.staging.json.output.site_url.value).toBe("https://cityguided.duckdns.org");
    expect(stacks.staging.resource("aws_lb").internal).toBe(true);
    expect(stacks.staging.resource("aws_autoscaling_group").name).toBe("city-guided-staging-entry");
    expect(stacks.staging.resources("aws_acm_certificate")).toEqual({});
    expect(stacks.production.resource("aws_lb").internal).toBe(false);
    expect(stacks.production.resources("aws_autoscaling_group")).toEqual({});
  });

  test("the registry adopts nothing by default (import is for the migration only)", () => {
    expect(stacks.registry.json.import).toBeUndefined();
  });
});
