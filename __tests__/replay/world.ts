// A second-by-second world: clients send requests to the load balancer, which forwards them to a
// healthy task or answers 503 itself; ECS starts and stops tasks to follow the desired count; each
// minute CloudWatch evaluates the synthesized scaling alarms on the datapoints that have landed by
// then and, while an alarm is in ALARM, Application Auto Scaling applies its policy (every minute).
import { evaluateAlarm, policyOutcome, type AlarmState, type Evaluation, type MetricRef, type ScalingAlarm, type ScalingSetup } from "./alarms";
import type { Client } from "./clients";
import type { Series } from "./metric-math";
import { APPLICATION_AUTO_SCALING, CLOUDWATCH, LOAD_BALANCER, semanticsOf } from "./semantics";

export interface WorldOptions {
  readonly setup: ScalingSetup;
  readonly clients: readonly Client[];
  readonly minutes: number;
  /**
   * Healthy tasks at second 0. With tasks, the minutes before 0 are a busy past (the tasks ran and
   * served requests); without, a long sleep (no datapoint at all).
   */
  readonly initialTasks: number;
  /** Seconds from a raised desired count to the task RUNNING (Fargate placement, image pull, start). */
  readonly startSeconds: number;
  /** Seconds from RUNNING to passing the load balancer's health checks (the target then gets requests). */
  readonly healthySeconds: number;
  /** Seconds a stopped task drains (deregistration delay) before it stops running. */
  readonly drainSeconds: number;
  /** Minutes after the end of its minute that each namespace's datapoint becomes visible. */
  readonly delayMinutes: Readonly<Record<string, number>>;
  /** CPU utilisation (%) the tasks report. */
  readonly cpuPercent: number;
  /** Second within each minute at which the alarms are evaluated. */
  readonly evaluationSecond: number;
  /** Order in which the alarms are evaluated within a minute (CloudWatch guarantees none). */
  readonly alarmOrder: "synthesized" | "reversed";
}

export interface DesiredChange {
  readonly second: number;
  readonly from: number;
  readonly to: number;
  readonly by: string;
}

export interface MinuteRow {
  readonly minute: number;
  readonly desired: number;
  readonly runningMax: number;
  readonly forwarded: number;
  readonly answered503: number;
  readonly alarms: Readonly<Record<string, AlarmState>>;
}

export interface Replay {
  readonly changes: readonly DesiredChange[];
  readonly rows: readonly MinuteRow[];
  /** Seconds of every request, with the answer it got. */
  readonly requests: readonly { second: number; answer: 200 | 503 }[];
}

interface Task {
  readonly runningAt: number;
  readonly healthyAt: number;
  stopAt?: number;
  stoppedAt?: number;
}

interface Bucket {
  forwarded: number;
  answered503: number;
  runningMin: number;
  runningMax: number;
}

export function replay(options: WorldOptions): Replay {
  const tasks: Task[] = Array.from({ length: options.initialTasks }, () => ({ runningAt: -3600, healthyAt: -3600 }));
  const buckets: Bucket[] = [];
  const changes: DesiredChange[] = [];
  const rows: MinuteRow[] = [];
  const requests: { second: number; answer: 200 | 503 }[] = [];
  const alarms = options.alarmOrder === "reversed" ? [...options.setup.alarms].reverse() : options.setup.alarms;
  let desired = options.initialTasks;
  let states: Record<string, AlarmState> = {};

  for (let second = 0; second < options.minutes * 60; second++) {
    const minute = Math.floor(second / 60);
    if (second % 60 === 0) buckets.push({ forwarded: 0, answered503: 0, runningMin: Number.POSITIVE_INFINITY, runningMax: 0 });
    if (second % (60 * CLOUDWATCH.evaluationEveryMinutes.value) === options.evaluationSecond) {
      states = {};
      for (const alarm of alarms) {
        const evaluation = evaluateAlarm(alarm, minute, (metric, range) => visibleSeries(options, buckets, metric, range, minute));
        states[alarm.name] = evaluation.state;
        if (evaluation.state === "ALARM") desired = act(alarm, evaluation, desired, second, options.setup, changes);
      }
    }
    reconcile(tasks, desired, second, options);
    const bucket = buckets[minute];
    const healthy = LOAD_BALANCER.routesToHealthyTargetsOnly.value && tasks.some((task) => task.healthyAt <= second && task.stopAt === undefined);
    for (const client of options.clients) {
      if (!client.wantsRequest(second)) continue;
      if (client.reachesLoadBalancer === false) {
        client.hear(second, 200);
        continue;
      }
      const answer = healthy ? 200 : 503;
      if (answer === 200) bucket.forwarded++;
      else bucket.answered503++;
      requests.push({ second, answer });
      client.hear(second, answer);
    }
    const running = tasks.filter((task) => task.runningAt <= second && (task.stoppedAt === undefined || second < task.stoppedAt)).length;
    bucket.runningMin = Math.min(bucket.runningMin, running);
    bucket.runningMax = Math.max(bucket.runningMax, running);
    if (second % 60 === 59) rows.push({ minute, desired, runningMax: bucket.runningMax, forwarded: bucket.forwarded, answered503: bucket.answered503, alarms: states });
  }
  return { changes, rows, requests };
}

/**
 * Application Auto Scaling runs the alarm's policy: the new desired count, within the target's
 * range. A ChangeInCapacity scale-in is refused within the policy's cooldown after its last change.
 */
function act(alarm: ScalingAlarm, evaluation: Evaluation, desired: number, second: number, setup: ScalingSetup, changes: DesiredChange[]): number {
  const wanted = Math.min(setup.maxCapacity, Math.max(setup.minCapacity, policyOutcome(alarm, evaluation, desired)));
  if (wanted === desired) return desired;
  const last = changes.filter((change) => change.by === alarm.policy.name).at(-1);
  const cooling = last !== undefined && second - last.second < alarm.policy.cooldownSeconds;
  if (wanted < desired && alarm.policy.adjustmentType === "ChangeInCapacity" && cooling && APPLICATION_AUTO_SCALING.scaleInWaitsForCooldown.value) return desired;
  changes.push({ second, from: desired, to: wanted, by: alarm.policy.name });
  return wanted;
}

/** ECS's service scheduler: start tasks up to the desired count, stop the newest (not yet running first) beyond it. */
function reconcile(tasks: Task[], desired: number, second: number, options: WorldOptions): void {
  const active = tasks.filter((task) => task.stopAt === undefined);
  for (let count = active.length; count < desired; count++) {
    const runningAt = second + options.startSeconds;
    tasks.push({ runningAt, healthyAt: runningAt + options.healthySeconds });
  }
  const byStopPriority = [...active].sort((a, b) => b.runningAt - a.runningAt);
  for (const task of byStopPriority.slice(0, Math.max(0, active.length - desired))) {
    task.stopAt = second;
    task.stoppedAt = task.runningAt <= second ? second + options.drainSeconds : second;
  }
}

/** The datapoints of one metric over `range` that CloudWatch has at `now` (per ./semantics.ts). */
function visibleSeries(options: WorldOptions, buckets: readonly Bucket[], metric: MetricRef, range: readonly number[], now: number): Series {
  const semantics = semanticsOf(metric.namespace, metric.metricName);
  const delay = options.delayMinutes[metric.namespace];
  if (delay === undefined) throw new Error(`no delay given for ${metric.namespace}`);
  const series: Series = new Map();
  for (const minute of range) {
    const bucket = minute < 0 ? pastBucket(options) : buckets[minute];
    if (!bucket || minute + 1 + delay > now) continue;
    const value = datapoint(semantics.measures, semantics.published, metric.stat, bucket, options.cpuPercent);
    if (value !== undefined) series.set(minute, value);
  }
  return series;
}

function pastBucket(options: WorldOptions): Bucket | undefined {
  if (options.initialTasks === 0) return undefined;
  return { forwarded: 4, answered503: 0, runningMin: options.initialTasks, runningMax: options.initialTasks };
}

function datapoint(measures: string, published: string, stat: string, bucket: Bucket, cpuPercent: number): number | undefined {
  const requested = bucket.forwarded + bucket.answered503 > 0;
  const ran = bucket.runningMax > 0;
  if (published === "minutesWithRequests" && !requested) return undefined;
  if (published === "minutesWithRunningTask" && !ran) return undefined;
  const value = measureValue(measures, stat, bucket, cpuPercent);
  if (published === "nonzero" && value === 0) return undefined;
  return value;
}

function measureValue(measures: string, stat: string, bucket: Bucket, cpuPercent: number): number {
  const byStat = (sum: number, min: number, max: number, samples: number): number => {
    const values: Record<string, number> = { Sum: sum, Minimum: min, Maximum: max, Average: max === 0 ? 0 : sum / Math.max(samples, 1), SampleCount: samples };
    if (!(stat in values)) throw new Error(`statistic ${stat} is not modelled`);
    return values[stat];
  };
  switch (measures) {
    case "requestsForwarded": return byStat(bucket.forwarded, 1, 1, bucket.forwarded);
    case "answeredByLoadBalancer5xx":
    case "answeredByLoadBalancer503": return byStat(bucket.answered503, 1, 1, bucket.answered503);
    // One CPU sample per running task and minute: enough to say "a task ran", all the alarms ask.
    case "taskCpu": return byStat(cpuPercent * bucket.runningMax, cpuPercent, cpuPercent, bucket.runningMax);
    case "runningTasks": return byStat(bucket.runningMax, bucket.runningMin, bucket.runningMax, 1);
  }
  throw new Error(`measure ${measures} is not modelled`);
}

/** The timeline as text, for failure messages. */
export function describe(result: Replay): string {
  const rows = result.rows.map((row) => {
    const alarms = Object.entries(row.alarms).map(([name, state]) => `${shortName(name)}=${state}`);
    return `min ${String(row.minute).padStart(3)}  desired ${row.desired}  running ${row.runningMax}  forwarded ${String(row.forwarded).padStart(2)}  503 ${String(row.answered503).padStart(2)}  ${alarms.join(" ")}`;
  });
  const changes = result.changes.map((change) => `${change.second}s: ${change.from} -> ${change.to} by ${shortName(change.by)}`);
  return [...rows, "desired count changes:", ...changes].join("\n");
}

/** "${aws_ecs_service.x.name}-wake" -> "wake": alarm and policy names are the service's name plus a suffix. */
export function shortName(name: string): string {
  return name.replace(/^\$\{[^}]+\}-/, "");
}
