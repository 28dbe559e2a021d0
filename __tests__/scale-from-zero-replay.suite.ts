// Replays minute-by-minute stories (./replay/scenarios.ts) through the SYNTHESIZED scaling alarms:
// their metric queries, expressions, M out of N, missing-data treatment, thresholds and policies,
// read from the stack's Terraform JSON. What the replay assumes about AWS is ./replay/semantics.ts.
import { readFileSync } from "node:fs";
import { scalingSetupOf, type ScalingSetup } from "./replay/alarms";
import { EntryHealthCheck, Visitor } from "./replay/clients";
import { evaluate, type Series } from "./replay/metric-math";
import { answerBoundSeconds, DEFAULT_WORLD, delays, retryingVisitor, SCENARIOS, sleepBoundsSeconds, wakeBoundSeconds, wakingPageTimings, wakingPageVisitor, type Scenario } from "./replay/scenarios";
import { describe as timeline, replay, shortName, type Replay } from "./replay/world";
import { MIN_IDLE_MINUTES } from "../constructs/scale-from-zero";
import { configErrorOf, synthEnvironment } from "./helpers";

const setups = new Map<number, ScalingSetup>();
function setupFor(idleMinutes: number): ScalingSetup {
  if (!setups.has(idleMinutes)) {
    const stack = synthEnvironment(`INFRA_MIN_CAPACITY=0\nINFRA_MAX_CAPACITY=3\nINFRA_IDLE_MINUTES=${idleMinutes}\n`);
    setups.set(idleMinutes, scalingSetupOf(stack.json));
  }
  return setups.get(idleMinutes)!;
}

function run(scenario: Scenario, setup: ScalingSetup, alarmOrder: "synthesized" | "reversed") {
  const world = { ...DEFAULT_WORLD, ...scenario.world };
  const clients = scenario.clients();
  const result = replay({ ...world, setup, clients, minutes: scenario.minutes, alarmOrder });
  return { world, clients, result };
}

/** Fails with the whole timeline, so a broken scenario shows what happened minute by minute. */
function check(result: Replay, condition: boolean, what: string): void {
  if (!condition) throw new Error(`${what}\n${timeline(result)}`);
}

/** The last request before `second`; with `landedAfterMinutes`, only one whose datapoint had landed by then. */
function lastRequestBefore(result: Replay, second: number, landedAfterMinutes?: number): number | undefined {
  const landed = (request: { second: number }) => landedAfterMinutes === undefined || Math.floor(request.second / 60) + 1 + landedAfterMinutes <= Math.floor(second / 60);
  return result.requests.filter((request) => request.second < second && landed(request)).at(-1)?.second;
}

describe.each(["synthesized", "reversed"] as const)("replay through the synthesized alarms (alarms evaluated in %s order)", (alarmOrder) => {
  test.each(SCENARIOS.map((scenario) => [scenario.name, scenario] as const))("%s", (_name, scenario) => {
    const idleMinutes = scenario.idleMinutes ?? 15;
    const { world, clients, result } = run(scenario, setupFor(idleMinutes), alarmOrder);
    const maxDelay = Math.max(...Object.values(world.delayMinutes));
    check(result, JSON.stringify(result.changes.map((change) => [change.from, change.to])) === JSON.stringify(scenario.expectedChanges), `desired-count changes: expected ${JSON.stringify(scenario.expectedChanges)}`);
    for (const change of result.changes) {
      if (shortName(change.by) === "wake") check(result, change.from === 0, `the wake policy changed ${change.from} -> ${change.to}: it may only start a sleeping service`);
      if (change.to === 0) {
        const last = lastRequestBefore(result, change.second, scenario.blindSpot ? world.delayMinutes["AWS/ApplicationELB"] : undefined);
        const [least, most] = sleepBoundsSeconds(idleMinutes);
        const quiet = last === undefined ? Number.POSITIVE_INFINITY : change.second - last;
        check(result, quiet >= least, `scaled to zero at ${change.second}s, ${quiet}s after a request: sooner than INFRA_IDLE_MINUTES=${idleMinutes}`);
        if (last !== undefined) check(result, quiet <= most, `scaled to zero ${quiet}s after the last request: later than ${most}s`);
      }
      if (change.from === 0) {
        const waiting = result.requests.find((request) => request.answer === 503 && request.second <= change.second && change.second - request.second <= wakeBoundSeconds(maxDelay));
        check(result, waiting !== undefined, `woke at ${change.second}s with no 503 in the ${wakeBoundSeconds(maxDelay)}s before`);
      }
    }
    const visitor = clients.find((client): client is Visitor => client instanceof Visitor);
    if (scenario.visitorIsAnswered && visitor) {
      const arrival = result.requests[0].second;
      const woke = result.changes.find((change) => change.from === 0);
      check(result, woke !== undefined && woke.second - arrival <= wakeBoundSeconds(maxDelay), `the wake policy acted at ${woke?.second}s for a visitor who came at ${arrival}s: the documented bound is ${wakeBoundSeconds(maxDelay)}s`);
      const bound = answerBoundSeconds(world, 10);
      check(result, visitor.answeredAt !== undefined && visitor.answeredAt - arrival <= bound, `the visitor who came at ${arrival}s was answered at ${visitor.answeredAt}s: the documented bound is ${bound}s`);
    }
  });
});

describe("the public entry in front of the load balancer (docs/public-entry.md)", () => {
  const wakes = [
    { name: "metrics 1 minute late", world: {} },
    { name: "metrics 3 minutes late", world: { delayMinutes: delays(3) } },
    { name: "metrics 3 minutes late, health checks pass after 3 minutes", world: { delayMinutes: delays(3), healthySeconds: 180 } },
  ];
  const wake = (world: object, visitor: Visitor) => run({ name: "", world, clients: () => [visitor], minutes: 45, expectedChanges: [] }, setupFor(15), "synthesized");

  test("the replay retries as the committed waking page does: every 5 s, for 10 minutes", () => {
    expect(wakingPageTimings()).toEqual({ retrySeconds: 5, giveUpSeconds: 600 });
  });

  const entryDoc = readFileSync("docs/public-entry.md", "utf8").replace(/\s+/g, " ");
  const clock = (seconds: number) => `${Math.floor(seconds / 60)} min ${seconds % 60} s`;

  test.each(wakes)("the waking page is answered before it gives up, as docs/public-entry.md says ($name)", ({ world }) => {
    const visitor = wakingPageVisitor(659);
    const { result } = wake(world, visitor);
    check(result, visitor.answeredAt !== undefined && visitor.answeredAt - 659 < wakingPageTimings().giveUpSeconds, `answered at ${visitor.answeredAt}`);
    expect(entryDoc).toContain(`${clock(visitor.answeredAt! - 659)} `);
  });

  test("docs/public-entry.md says how long a task runs for a crawler every 30 minutes", () => {
    const scenario = SCENARIOS.find((candidate) => candidate.name.startsWith("a crawler every 30 minutes"))!;
    const { result } = run(scenario, setupFor(15), "synthesized");
    const awake = result.rows.filter((row) => row.runningMax > 0).length;
    expect(entryDoc).toContain(`a task runs ${awake} of every ${scenario.minutes} minutes`);
  });

  test.each(wakes)("a page that gave up after 2 minutes (the old proxy's) would give up on every wake ($name); the environment then wakes for nobody and sleeps again", ({ world }) => {
    const visitor = wakingPageVisitor(659, 120);
    const { result } = wake(world, visitor);
    check(result, visitor.answeredAt === undefined, `a 2-minute page was answered at ${visitor.answeredAt}`);
    expect(result.changes.map((change) => [change.from, change.to])).toEqual([[0, 1], [1, 0]]);
  });

  test("health checks of the entry sent through the load balancer (what the design forbids) wake a sleeping environment and keep it awake for ever", () => {
    const { result } = run({ name: "", clients: () => [new EntryHealthCheck(30, true)], minutes: 120, expectedChanges: [] }, setupFor(15), "synthesized");
    expect(result.changes.map((change) => [change.from, change.to])).toEqual([[0, 1]]);
    expect(result.rows.at(-1)?.desired).toBe(1);
  });
});

describe("the replay finds the defects of the design before issue 10", () => {
  const before = JSON.parse(readFileSync(`${__dirname}/fixtures/replay/scale-from-zero-before-issue-10.json`, "utf8"));

  test("RequestCount as the wake signal: a visitor at zero tasks is never answered", () => {
    const scenario = SCENARIOS[0];
    const { clients, result } = run(scenario, scalingSetupOf(before), "synthesized");
    expect(result.changes).toEqual([]);
    expect((clients[0] as Visitor).answeredAt).toBeUndefined();
    expect(result.requests.every((request) => request.answer === 503)).toBe(true);
  });

  test("an idle alarm blind to 503s (RequestCount only) sets the woken service back to 0 while it starts", () => {
    const oldIdle = scalingSetupOf(before).alarms.find((alarm) => shortName(alarm.name) === "idle")!;
    const current = setupFor(15);
    const mixed = { ...current, alarms: current.alarms.map((alarm) => (shortName(alarm.name) === "idle" ? { ...alarm, expression: oldIdle.expression } : alarm)) };
    const { result } = run(SCENARIOS[0], mixed, "synthesized");
    expect(oldIdle.expression).toBe("FILL(requests, 0)");
    const [woken, undone] = result.changes.map((change) => ({ ...change, by: shortName(change.by) }));
    expect(woken).toMatchObject({ from: 0, to: 1, by: "wake" });
    expect(undone).toMatchObject({ from: 1, to: 0, by: "idle" });
    expect(undone.second - woken.second).toBeLessThanOrEqual(120);
  });
});

describe("the docs say what the replay measures", () => {
  const docs = readFileSync("docs/traffic-and-scaling.md", "utf8");
  const readme = readFileSync("README.md", "utf8");
  const clock = (seconds: number) => `${Math.floor(seconds / 60)} min${seconds % 60 ? ` ${seconds % 60} s` : ""}`;

  test.each([
    ["metrics 1 minute late", "a visitor arrives while at zero and retries every 10 s"],
    ["metrics 2 minutes late", "metrics land 2 minutes late"],
    ["metrics 3 minutes late", "metrics land 3 minutes late"],
    ["metrics 1 minute late, health checks pass after 3 minutes", "a task takes 3 minutes to pass its health checks"],
  ])("the wake table's row '%s'", (row, name) => {
    const scenario = SCENARIOS.find((candidate) => candidate.name === name)!;
    const { clients, result } = run(scenario, setupFor(15), "synthesized");
    const first503 = result.requests.find((request) => request.answer === 503)!.second;
    const woke = result.changes.find((change) => change.from === 0)!.second;
    const answered = (clients[0] as Visitor).answeredAt!;
    expect(docs).toContain(`| ${row} | ${clock(woke - first503)} | ${clock(answered - first503)} |`);
  });

  test("no page claims that RequestCount counts requests without a target", () => {
    for (const text of [docs, readme]) {
      expect(text).not.toMatch(/RequestCount[^.|]*(exists|published|counted)[^.|]*(without|with zero|with no) (any )?targets?/i);
      expect(text).toContain("HTTPCode_ELB_5XX_Count");
    }
  });
});

describe("INFRA_IDLE_MINUTES and the wake window", () => {
  test("the least idle window the config accepts is the construct's (the wake alarm's window)", () => {
    expect(setupFor(MIN_IDLE_MINUTES).alarms.find((alarm) => shortName(alarm.name) === "idle")?.evaluationPeriods).toBe(MIN_IDLE_MINUTES);
    expect(configErrorOf({ staging: `INFRA_IDLE_MINUTES=${MIN_IDLE_MINUTES - 1}\n` })).toContain(`must be ${MIN_IDLE_MINUTES}-1440`);
  });

  test("the visitor scenarios use the retrying visitor the issue describes", () => {
    const visitor = retryingVisitor(0);
    expect(visitor.wantsRequest(0)).toBe(true);
    visitor.hear(0, 503);
    expect(visitor.wantsRequest(10)).toBe(true);
  });
});

describe("the replay's metric math matches the examples of AWS's 'Using metric math' page", () => {
  // metric1 [30, 20, 0, 0], metric2 [20, -, 20, -] (the comparison operators' example).
  const range = [0, 1, 2, 3];
  const series = (...values: (number | undefined)[]): Series => new Map(values.flatMap((value, minute) => (value === undefined ? [] : [[minute, value] as [number, number]])));
  const values = (result: unknown) => range.map((minute) => (result as Series).get(minute));
  const lookup = (ids: Record<string, Series>) => (id: string) => ids[id];
  const metrics = lookup({ metric1: series(30, 20, 0, 0), metric2: series(20, undefined, 20, undefined) });

  test.each([
    ["metric1 < metric2", [0, 0, 1, 0]],
    ["metric1 >= 30", [1, 0, 0, 0]],
    ["metric1 > 15 AND metric2 > 15", [1, 0, 0, 0]],
    ["FILL(metric2, 0)", [20, 0, 20, 0]],
  ])("%s", (expression, expected) => {
    expect(values(evaluate(expression, range, metrics))).toEqual(expected);
  });

  // The IF examples: metric1 [1, 1, 0, 0, -], metric2 [30, -, 0, 0, 30], metric3 [0, 0, 20, -, 20].
  const ifRange = [0, 1, 2, 3, 4];
  const ifMetrics = lookup({ metric1: series(1, 1, 0, 0), metric2: series(30, undefined, 0, 0, 30), metric3: series(0, 0, 20, undefined, 20) });
  test.each([
    ["IF(metric1, metric2, metric3)", [30, 0, 20, undefined, undefined]],
    ["IF(metric1, 5, metric3)", [5, 5, 20, undefined, undefined]],
    ["IF(metric1, metric2, 5)", [30, 0, 5, 5, undefined]],
  ])("%s", (expression, expected) => {
    const result = evaluate(expression, ifRange, ifMetrics) as Series;
    expect(ifRange.map((minute) => result.get(minute))).toEqual(expected);
  });

  test("an expression outside the modelled subset is refused, not guessed", () => {
    expect(() => evaluate("RATE(metric1)", range, metrics)).toThrow("function RATE is not modelled");
  });
});
