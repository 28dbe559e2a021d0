import { DescribeTasksCommand, ListTasksCommand, UpdateServiceCommand, type ECSClient, type Service } from "@aws-sdk/client-ecs";
import {
  DescribeLoadBalancersCommand,
  DescribeTargetGroupsCommand,
  DescribeTargetHealthCommand,
  type ElasticLoadBalancingV2Client,
  type LoadBalancer,
  type TargetGroup,
  type TargetHealthDescription,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import { UserError } from "../cli/errors";
import { EXIT } from "../cli/exit-codes";
import type { EnvironmentState } from "../config/model";
import { environmentNames } from "../constructs/names";
import { findService } from "./ecs-service";
import { attempt } from "./errors";
import type { Probe } from "./http-probe";

/** What `status --wait` needs besides the clients; injected so tests need no clock and no network. */
export interface WaitOptions {
  readonly timeoutSeconds: number;
  /** The URL to request; default http://<the load balancer's DNS name><path> (an internet-facing one). */
  readonly url?: string;
  readonly path: string;
  readonly probe: Probe;
  readonly sleep: (seconds: number) => Promise<void>;
  /** Seconds on a monotonic clock. */
  readonly now: () => number;
  readonly log: (line: string) => void;
  /** The environment's INFRA_ENVIRONMENT_STATE: a stopped environment is checked, never woken. @default "running" */
  readonly state?: EnvironmentState;
}

export const DEPLOYMENT_POLL_SECONDS = 15;
export const PROBE_POLL_SECONDS = 10;

/** Not steady, rolled back, unhealthy, or out of time: exit 2, the status command's "needs attention". */
const notSteady = (message: string) => new UserError(message, EXIT.attention);

type Clients = { ecs: ECSClient; elb: ElasticLoadBalancingV2Client };
interface Target {
  readonly cluster: string;
  readonly serviceName: string;
  readonly deadline: number;
}

/**
 * After a deploy: waits until the service's only deployment is the new task definition and has
 * completed (a circuit-breaker rollback fails at once), then checks that it serves, and finally
 * that every running task uses the new task definition. How it checks that it serves depends on
 * the environment:
 * - stopped on purpose (INFRA_ENVIRONMENT_STATE=stopped): nothing may wake it, so nothing is
 *   requested; its desired count must be 0 and no task may run (checkStopped);
 * - an internet-facing load balancer (or --url): requests the site until it answers 2xx (a service
 *   at 0 tasks wakes on requests through its load balancer's alarm);
 * - an internal load balancer (the proxy entry, docs/public-entry.md): the runner cannot reach it,
 *   so the load balancer's own health checks stand in for the request (untilTargetsHealthy), and a
 *   service asleep at 0 tasks is woken by a deployment of one task (wake).
 */
export async function waitForDeploy(clients: Clients, environment: string, options: WaitOptions): Promise<void> {
  const names = environmentNames(environment);
  const target: Target = { cluster: names.cluster, serviceName: names.service, deadline: options.now() + options.timeoutSeconds };
  const { taskDefinition, service } = await settle(clients.ecs, target, options);
  options.log("Deployment completed");
  if (options.state === "stopped") {
    await checkStopped(clients.ecs, target, service, options);
    return;
  }
  const balancer = options.url === undefined ? await loadBalancer(clients.elb, names.loadBalancer) : undefined;
  let servedBy = "The site answered";
  if (balancer?.Scheme === "internal") {
    await untilTargetsHealthy(clients, target, balancer, service, options);
    servedBy = "The targets are healthy";
  } else {
    await untilHealthy(options.url ?? `http://${balancer!.DNSName}${options.path}`, target.deadline, options);
  }
  await checkTasks(clients.ecs, target, taskDefinition, servedBy);
  options.log(`${target.serviceName} is steady on ${taskDefinition} and healthy`);
}

/** The primary deployment of a circuit-breaker rollback fails at once. */
function failIfRolledBack(service: Service | undefined): void {
  const primary = service?.deployments?.find((deployment) => deployment.status === "PRIMARY");
  if (primary?.rolloutState === "FAILED") {
    throw notSteady(`Deployment of ${primary.taskDefinition} failed (circuit breaker): ECS rolls back to the previous task definition`);
  }
}

async function settle(ecs: ECSClient, target: Target, options: WaitOptions): Promise<{ taskDefinition: string; service: Service }> {
  const { cluster, serviceName, deadline } = target;
  const first = await findService(ecs, cluster, serviceName);
  const taskDefinition = first?.taskDefinition;
  if (!taskDefinition) throw notSteady(`ECS service ${serviceName} of cluster ${cluster} does not exist: nothing to wait for`);
  options.log(`Waiting for ${serviceName} to settle on ${taskDefinition}`);
  for (let service: Service | undefined = first; ; service = await findService(ecs, cluster, serviceName)) {
    failIfRolledBack(service);
    const deployments = service?.deployments ?? [];
    const primary = deployments.find((deployment) => deployment.status === "PRIMARY");
    if (service && deployments.length === 1 && primary?.taskDefinition === taskDefinition && primary.rolloutState === "COMPLETED") return { taskDefinition, service };
    if (options.now() >= deadline) {
      throw notSteady(`Timed out: ${deployments.length} deployment(s), primary ${primary?.taskDefinition ?? "none"} is ${primary?.rolloutState ?? "unknown"}`);
    }
    await options.sleep(pauseBefore(deadline, DEPLOYMENT_POLL_SECONDS, options));
  }
}

/** The poll interval, cut short so that the last look happens at the deadline, not up to one interval after it. */
function pauseBefore(deadline: number, seconds: number, options: Pick<WaitOptions, "now">): number {
  return Math.max(0, Math.min(seconds, deadline - options.now()));
}

async function loadBalancer(elb: ElasticLoadBalancingV2Client, name: string): Promise<LoadBalancer> {
  const described = await attempt(`describe load balancer ${name}`, () => elb.send(new DescribeLoadBalancersCommand({ Names: [name] })));
  const balancer = described.LoadBalancers?.[0];
  if (!balancer?.DNSName) throw notSteady(`Load balancer ${name} has no DNS name`);
  return balancer;
}

/** A service at zero tasks wakes up on traffic: keep asking until it answers 2xx (or the deadline). */
async function untilHealthy(url: string, deadline: number, options: WaitOptions): Promise<void> {
  options.log(`Requesting ${url} until it answers 2xx`);
  for (;;) {
    const status = await options.probe(url);
    if (status !== undefined && status >= 200 && status < 300) {
      options.log(`${url} answered ${status}`);
      return;
    }
    if (options.now() >= deadline) throw notSteady(`Timed out: ${url} last answered ${status ?? "nothing"}`);
    await options.sleep(pauseBefore(deadline, PROBE_POLL_SECONDS, options));
  }
}

/**
 * Stopped on purpose: the stack sets the scaling bounds to 0 (Application Auto Scaling then brings
 * the desired count into the range: RegisterScalableTarget, Application Auto Scaling API reference)
 * and turns the wake alarm off; nothing here may start a task, so the check only reads. It looks
 * again until the deadline, since the desired count and the last task may follow the apply by a
 * little; ListTasks lists the tasks whose desired status is RUNNING, so a task already told to stop
 * (draining from the load balancer) does not count.
 */
async function checkStopped(ecs: ECSClient, target: Target, settled: Service, options: WaitOptions): Promise<void> {
  const { cluster, serviceName, deadline } = target;
  for (let service: Service | undefined = settled; ; service = await findService(ecs, cluster, serviceName)) {
    const desired = service?.desiredCount ?? 0;
    let problem = `its desired count is ${desired}, not 0`;
    if (desired === 0) {
      const listed = await attempt(`list the tasks of ECS service ${serviceName}`, () => ecs.send(new ListTasksCommand({ cluster, serviceName, desiredStatus: "RUNNING" })));
      const running = listed.taskArns ?? [];
      if (running.length === 0) {
        options.log(`${serviceName} is stopped on purpose: not woken (desired count 0, no task runs; nothing was requested)`);
        return;
      }
      problem = `${running.length} task(s) run: ${running.join(" ")}`;
    }
    if (options.now() >= deadline) throw notSteady(`${serviceName} is stopped on purpose (INFRA_ENVIRONMENT_STATE=stopped) but ${problem}`);
    await options.sleep(pauseBefore(deadline, DEPLOYMENT_POLL_SECONDS, options));
  }
}

/**
 * The internal load balancer of the proxy entry: no request from the runner can reach it (and the
 * site's name may still lead to the old proxy until the cut-over, docs/migration.md), so its own
 * health checks of the containers (each target group's health path) stand in for the request.
 * Waits until every target group of the load balancer has a healthy target and none is unhealthy,
 * waking a service asleep at 0 tasks first. A rollback of that wake fails at once, as in settle.
 */
async function untilTargetsHealthy(clients: Clients, target: Target, balancer: LoadBalancer, settled: Service, options: WaitOptions): Promise<void> {
  const { cluster, serviceName, deadline } = target;
  const name = balancer.LoadBalancerName ?? "";
  options.log(
    `Load balancer ${name} is internal: it cannot be requested from here, so ${options.path} is not requested; ` +
      "instead each of its target groups must have a healthy target and none unhealthy (its own health checks of the containers' health paths)",
  );
  const groups = await targetGroups(clients.elb, balancer);
  let service: Service | undefined = settled;
  let woken = false;
  let last: TargetGroupHealth[] = [];
  for (;;) {
    failIfRolledBack(service);
    if ((service?.desiredCount ?? 0) === 0) {
      if (woken) throw notSteady(`${serviceName} went back to 0 tasks before its targets were healthy (the idle alarm?): ${describeHealth(last) || "no target seen"}`);
      await wake(clients.ecs, target, options);
      woken = true;
    } else {
      last = await Promise.all(groups.map((group) => targetHealth(clients.elb, group)));
      if (last.every(isReady)) {
        options.log(`Targets: ${describeHealth(last)}`);
        return;
      }
    }
    if (options.now() >= deadline) {
      throw notSteady(`Timed out: the targets of load balancer ${name} are not all healthy: ${describeHealth(last) || "no target seen"}`);
    }
    await options.sleep(pauseBefore(deadline, PROBE_POLL_SECONDS, options));
    service = await findService(clients.ecs, cluster, serviceName);
  }
}

/**
 * Wakes a service asleep at 0 tasks with one task, the count the wake policy sets (ExactCapacity 1,
 * constructs/scale-from-zero.ts), through UpdateService as Application Auto Scaling itself does,
 * and with a new deployment (forceNewDeployment). The deployment is what keeps the task: the idle
 * alarm that put the service to sleep stays in ALARM while no request comes, and CloudWatch repeats
 * an Auto Scaling action every minute an alarm stays in its state, so a desired count alone would
 * be back at 0 within a minute ("Except for Auto Scaling actions, the actions happen only on state
 * transitions", CloudWatch User Guide, Alarm actions:
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarm-actions.html; "as long as
 * you have active scaling policies and alarms on a service, Service Auto Scaling could change a
 * desired count that was manually set", ECS Developer Guide, service auto scaling considerations:
 * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-auto-scaling.html). But
 * "Application Auto Scaling turns off scale-in processes while Amazon ECS deployments are in
 * progress, and they resume once the deployment has completed" (ECS Developer Guide,
 * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/troubleshoot-service-auto-scaling.html),
 * and a deployment completes when its task runs and the load balancer reports it healthy
 * (CreateService/UpdateService API reference: tasks behind a load balancer are healthy when RUNNING
 * and reported healthy by it). So the task lives at least until its targets are healthy, which is
 * what untilTargetsHealthy waits for; after that, the idle alarm puts the service back to sleep
 * within about a minute, as after a visitor who left INFRA_IDLE_MINUTES ago. 1 is inside the
 * scalable target's range [0, max] of a sleeping service, and Application Auto Scaling changes a
 * desired count only through its policies (and RegisterScalableTarget into the range).
 */
async function wake(ecs: ECSClient, target: Target, options: WaitOptions): Promise<void> {
  const { cluster, serviceName } = target;
  options.log(
    `${serviceName} sleeps at 0 tasks: waking it with 1 task (ECS UpdateService desiredCount 1, a new deployment, as the wake alarm would); ` +
      "once that deployment completes, the idle alarm puts it back to sleep as after any visitor who left",
  );
  await attempt(`wake ECS service ${serviceName} (UpdateService desiredCount 1)`, () =>
    ecs.send(new UpdateServiceCommand({ cluster, service: serviceName, desiredCount: 1, forceNewDeployment: true })),
  );
}

interface TargetGroupHealth {
  readonly name: string;
  readonly targets: readonly TargetHealthDescription[];
}

async function targetGroups(elb: ElasticLoadBalancingV2Client, balancer: LoadBalancer): Promise<TargetGroup[]> {
  const name = balancer.LoadBalancerName ?? "";
  // One page holds up to 400 target groups (DescribeTargetGroups PageSize); a load balancer of this project has one per container.
  const described = await attempt(`describe the target groups of load balancer ${name}`, () =>
    elb.send(new DescribeTargetGroupsCommand({ LoadBalancerArn: balancer.LoadBalancerArn })),
  );
  const groups = described.TargetGroups ?? [];
  if (groups.length === 0) throw notSteady(`Load balancer ${name} has no target group: nothing serves it`);
  return groups;
}

async function targetHealth(elb: ElasticLoadBalancingV2Client, group: TargetGroup): Promise<TargetGroupHealth> {
  const name = group.TargetGroupName ?? group.TargetGroupArn ?? "";
  const described = await attempt(`describe the target health of target group ${name}`, () => elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: group.TargetGroupArn })));
  return { name, targets: described.TargetHealthDescriptions ?? [] };
}

const stateOf = (target: TargetHealthDescription) => target.TargetHealth?.State ?? "unknown";

/**
 * At least one healthy target and none unhealthy. A target still `initial` (registering, first
 * checks) next to a healthy one does not hold the wait; `draining` ones belong to tasks being
 * replaced or stopped (Elastic Load Balancing API reference, TargetHealth: the states and reasons).
 */
const isReady = (group: TargetGroupHealth) => group.targets.some((target) => stateOf(target) === "healthy") && !group.targets.some((target) => stateOf(target) === "unhealthy");

/** `city-guided-staging-web: 1 healthy; city-guided-staging-api: 1 unhealthy (Target.ResponseCodeMismatch)`. */
function describeHealth(groups: readonly TargetGroupHealth[]): string {
  return groups
    .map((group) => {
      if (group.targets.length === 0) return `${group.name}: no target`;
      const counts = new Map<string, number>();
      for (const target of group.targets) {
        const reason = target.TargetHealth?.Reason;
        const label = `${stateOf(target)}${reason && stateOf(target) !== "healthy" ? ` (${reason})` : ""}`;
        counts.set(label, (counts.get(label) ?? 0) + 1);
      }
      return `${group.name}: ${[...counts].map(([label, count]) => `${count} ${label}`).join(", ")}`;
    })
    .join("; ");
}

async function checkTasks(ecs: ECSClient, target: Target, taskDefinition: string, servedBy: string): Promise<void> {
  const { cluster, serviceName } = target;
  const listed = await attempt(`list the tasks of ECS service ${serviceName}`, () => ecs.send(new ListTasksCommand({ cluster, serviceName, desiredStatus: "RUNNING" })));
  const taskArns = listed.taskArns ?? [];
  if (taskArns.length === 0) throw notSteady(`${servedBy} but no task of ${serviceName} runs`);
  // DescribeTasks takes at most 100 tasks; a service of this project runs far fewer.
  const described = await attempt(`describe the tasks of ECS service ${serviceName}`, () => ecs.send(new DescribeTasksCommand({ cluster, tasks: taskArns.slice(0, 100) })));
  const stale = (described.tasks ?? []).filter((task) => task.taskDefinitionArn !== taskDefinition).map((task) => task.taskArn);
  if (stale.length > 0) throw notSteady(`Tasks still run an older task definition: ${stale.join(" ")}`);
}
