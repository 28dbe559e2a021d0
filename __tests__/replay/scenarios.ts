// Minute-by-minute stories the scale-from-zero alarms must survive. Add one by appending to
// SCENARIOS: who sends requests (./clients.ts), how the world behaves (delays, start-up, health
// checks), and what must happen. The checks every scenario gets are in the replay test.
import { readFileSync } from "node:fs";
import path from "node:path";
import { EntryHealthCheck, SteadyTraffic, Visitor, type Client } from "./clients";
import { defaultDelays } from "./semantics";
import type { WorldOptions } from "./world";

export type WorldSettings = Omit<WorldOptions, "setup" | "clients" | "minutes" | "alarmOrder">;

/** A task: RUNNING 60 s after the desired count rises; healthy after 2 checks 15 s apart (constructs/load-balancer.ts). */
export const DEFAULT_WORLD: WorldSettings = {
  initialTasks: 0,
  startSeconds: 60,
  healthySeconds: 30,
  drainSeconds: 30,
  delayMinutes: defaultDelays(),
  cpuPercent: 50,
  evaluationSecond: 30,
};

export interface Scenario {
  readonly name: string;
  /** Idle minutes of the synthesized environment. @default 15 */
  readonly idleMinutes?: number;
  readonly world?: Partial<WorldSettings>;
  readonly clients: () => Client[];
  readonly minutes: number;
  /** The desired-count changes expected, in order (from -> to). */
  readonly expectedChanges: readonly (readonly [number, number])[];
  /** The first visitor must be answered (the service wakes for them). */
  readonly visitorIsAnswered?: boolean;
  /**
   * A request arrives in the idle alarm's blind spot (its minute has not landed when the alarm
   * acts): "INFRA_IDLE_MINUTES without a request" then holds for the requests CloudWatch has seen.
   */
  readonly blindSpot?: boolean;
}

/** All three metric namespaces `minutes` late. */
export function delays(minutes: number): Record<string, number> {
  return Object.fromEntries(Object.keys(defaultDelays()).map((namespace) => [namespace, minutes]));
}

/** A visitor who retries every 10 s while the site answers 503, then browses for 5 minutes. */
export const retryingVisitor = (arrivesAt: number) => new Visitor({ arrivesAt, retryEverySeconds: 10, browseEverySeconds: 20, browseSeconds: 300 });

/** The committed waking page's timings (entry/pages/fr/waking.html): the replay retries as the page does. */
export function wakingPageTimings(): { retrySeconds: number; giveUpSeconds: number } {
  const html = readFileSync(path.join(__dirname, "..", "..", "entry", "pages", "fr", "waking.html"), "utf8");
  const read = (name: string) => Number(html.match(new RegExp(`data-${name}-seconds="(\\d+)"`))?.[1]);
  return { retrySeconds: read("retry"), giveUpSeconds: read("give-up") };
}

/** A browser on the waking page: retries on the page's cadence until the site answers or the page gives up, browses 5 minutes, leaves. */
export function wakingPageVisitor(arrivesAt: number, giveUpSeconds = wakingPageTimings().giveUpSeconds): Visitor {
  return new Visitor({ arrivesAt, retryEverySeconds: wakingPageTimings().retrySeconds, givesUpAfterSeconds: giveUpSeconds, browseEverySeconds: 20, browseSeconds: 300 });
}

/** A crawler: one request every `everyMinutes`, whatever the answer (it does not retry a 503 at once). */
export const crawler = (everyMinutes: number, untilSecond: number) => new SteadyTraffic(0, untilSecond, everyMinutes * 60);

export const SCENARIOS: readonly Scenario[] = [
  {
    name: "a visitor arrives while at zero and retries every 10 s",
    clients: () => [retryingVisitor(600)],
    minutes: 45,
    expectedChanges: [[0, 1], [1, 0]],
    visitorIsAnswered: true,
  },
  {
    name: "metrics land 2 minutes late",
    world: { delayMinutes: delays(2) },
    clients: () => [retryingVisitor(610)],
    minutes: 45,
    expectedChanges: [[0, 1], [1, 0]],
    visitorIsAnswered: true,
  },
  {
    name: "metrics land 3 minutes late",
    world: { delayMinutes: delays(3) },
    clients: () => [retryingVisitor(659)],
    minutes: 45,
    expectedChanges: [[0, 1], [1, 0]],
    visitorIsAnswered: true,
  },
  {
    name: "a task takes 3 minutes to pass its health checks",
    world: { healthySeconds: 180 },
    clients: () => [retryingVisitor(600)],
    minutes: 45,
    expectedChanges: [[0, 1], [1, 0]],
    visitorIsAnswered: true,
  },
  {
    name: "traffic stops",
    world: { initialTasks: 1 },
    clients: () => [new SteadyTraffic(0, 1200, 15)],
    minutes: 60,
    expectedChanges: [[1, 0]],
  },
  {
    name: "traffic stops, metrics 2 minutes late",
    world: { initialTasks: 1, delayMinutes: delays(2) },
    clients: () => [new SteadyTraffic(0, 1200, 15)],
    minutes: 60,
    expectedChanges: [[1, 0]],
  },
  {
    name: "one request at zero (a scanner), shortest idle window",
    idleMinutes: 5,
    clients: () => [new Visitor({ arrivesAt: 300, retryEverySeconds: 10, givesUpAfterSeconds: 0 })],
    minutes: 30,
    expectedChanges: [[0, 1], [1, 0]],
  },
  {
    name: "a visitor gives up after 30 s: the service wakes for nobody and sleeps again",
    clients: () => [new Visitor({ arrivesAt: 600, retryEverySeconds: 10, givesUpAfterSeconds: 30 })],
    minutes: 40,
    expectedChanges: [[0, 1], [1, 0]],
  },
  {
    name: "a visitor arrives a minute after the service went to sleep",
    world: { initialTasks: 1 },
    clients: () => [new SteadyTraffic(0, 300, 15), retryingVisitor(1320)],
    minutes: 60,
    expectedChanges: [[1, 0], [0, 1], [1, 0]],
  },
  {
    name: "a visitor arrives in the idle alarm's blind spot: the service sleeps under them and wakes again",
    world: { initialTasks: 1 },
    clients: () => [new SteadyTraffic(0, 300, 15), retryingVisitor(1265)],
    minutes: 60,
    expectedChanges: [[1, 0], [0, 1], [1, 0]],
    blindSpot: true,
  },
  {
    name: "the waking page retries for a visitor who then browses and leaves: answered, then asleep INFRA_IDLE_MINUTES later",
    clients: () => [wakingPageVisitor(600)],
    minutes: 45,
    expectedChanges: [[0, 1], [1, 0]],
    visitorIsAnswered: true,
  },
  {
    name: "the waking page, metrics 3 minutes late and health checks passing after 3 minutes: still answered before the page gives up",
    world: { delayMinutes: delays(3), healthySeconds: 180 },
    clients: () => [wakingPageVisitor(659)],
    minutes: 45,
    expectedChanges: [[0, 1], [1, 0]],
    visitorIsAnswered: true,
  },
  {
    name: "the entry checks its own health every 30 s, answered by the entry: a sleeping environment stays asleep",
    clients: () => [new EntryHealthCheck(30, false)],
    minutes: 60,
    expectedChanges: [],
  },
  {
    name: "the entry checks its own health every 30 s while traffic stops: the environment sleeps INFRA_IDLE_MINUTES later",
    world: { initialTasks: 1 },
    clients: () => [new EntryHealthCheck(30, false), new SteadyTraffic(0, 1200, 15)],
    minutes: 60,
    expectedChanges: [[1, 0]],
  },
  {
    name: "a crawler every 30 minutes: each visit wakes the environment, which sleeps again between visits",
    clients: () => [crawler(30, 7199)],
    minutes: 120,
    expectedChanges: [[0, 1], [1, 0], [0, 1], [1, 0], [0, 1], [1, 0], [0, 1], [1, 0]],
  },
  {
    name: "a crawler every 10 minutes for an hour keeps the environment awake that hour, then it sleeps",
    clients: () => [crawler(10, 3600)],
    minutes: 90,
    expectedChanges: [[0, 1], [1, 0]],
  },
  {
    name: "three tasks serve traffic while the ECS metrics land 2 minutes after the load balancer's",
    world: { initialTasks: 3, delayMinutes: { ...delays(1), "AWS/ECS": 3, "ECS/ContainerInsights": 3 } },
    clients: () => [new SteadyTraffic(0, 1800, 5)],
    minutes: 30,
    expectedChanges: [],
  },
];

/**
 * The documented bounds (docs/traffic-and-scaling.md, "What a visitor sees while the service
 * wakes"): the wake policy acts within (delay + 2) minutes of the first 503: the rest of that
 * minute, the metric delay, the next evaluation.
 */
export function wakeBoundSeconds(delayMinutes: number): number {
  return (delayMinutes + 2) * 60;
}

/** Then Fargate starts the task, the health checks pass and the next retry is answered. */
export function answerBoundSeconds(world: WorldSettings, retryEverySeconds: number): number {
  const delay = Math.max(...Object.values(world.delayMinutes));
  return wakeBoundSeconds(delay) + world.startSeconds + world.healthySeconds + retryEverySeconds;
}

/** The idle alarm sees the last request's minute leave its window: between idle and idle + 2 minutes after it. */
export function sleepBoundsSeconds(idleMinutes: number): readonly [number, number] {
  return [idleMinutes * 60, (idleMinutes + 2) * 60];
}
