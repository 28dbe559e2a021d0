import { DescribeTasksCommand, ListTasksCommand, type ECSClient, type Service } from "@aws-sdk/client-ecs";
import { DescribeLoadBalancersCommand, type ElasticLoadBalancingV2Client } from "@aws-sdk/client-elastic-load-balancing-v2";
import { UserError } from "../cli/errors";
import { EXIT } from "../cli/exit-codes";
import { environmentNames } from "../constructs/names";
import { findService } from "./ecs-service";
import { attempt } from "./errors";
import type { Probe } from "./http-probe";

/** What `status --wait` needs besides the clients; injected so tests need no clock and no network. */
export interface WaitOptions {
  readonly timeoutSeconds: number;
  /** The URL to request; default http://<the load balancer's DNS name><path>. */
  readonly url?: string;
  readonly path: string;
  readonly probe: Probe;
  readonly sleep: (seconds: number) => Promise<void>;
  /** Seconds on a monotonic clock. */
  readonly now: () => number;
  readonly log: (line: string) => void;
}

export const DEPLOYMENT_POLL_SECONDS = 15;
export const PROBE_POLL_SECONDS = 10;

/** Not steady, rolled back, unhealthy, or out of time: exit 2, the status command's "needs attention". */
const notSteady = (message: string) => new UserError(message, EXIT.attention);

/**
 * After a deploy: waits until the service's only deployment is the new task definition and has
 * completed (a circuit-breaker rollback fails at once), then requests the site until it answers
 * 2xx (a service at 0 tasks wakes on requests through its load balancer's alarm), and finally
 * checks that every running task uses the new task definition.
 */
export async function waitForDeploy(clients: { ecs: ECSClient; elb: ElasticLoadBalancingV2Client }, environment: string, options: WaitOptions): Promise<void> {
  const names = environmentNames(environment);
  const deadline = options.now() + options.timeoutSeconds;
  const taskDefinition = await settle(clients.ecs, names.cluster, names.service, deadline, options);
  options.log("Deployment completed");
  const url = options.url ?? `http://${await loadBalancerDns(clients.elb, names.loadBalancer)}${options.path}`;
  await untilHealthy(url, deadline, options);
  await checkTasks(clients.ecs, names.cluster, names.service, taskDefinition);
  options.log(`${names.service} is steady on ${taskDefinition} and healthy`);
}

async function settle(ecs: ECSClient, cluster: string, serviceName: string, deadline: number, options: WaitOptions): Promise<string> {
  const first = await findService(ecs, cluster, serviceName);
  const taskDefinition = first?.taskDefinition;
  if (!taskDefinition) throw notSteady(`ECS service ${serviceName} of cluster ${cluster} does not exist: nothing to wait for`);
  options.log(`Waiting for ${serviceName} to settle on ${taskDefinition}`);
  for (let service: Service | undefined = first; ; service = await findService(ecs, cluster, serviceName)) {
    const deployments = service?.deployments ?? [];
    const primary = deployments.find((deployment) => deployment.status === "PRIMARY");
    if (primary?.rolloutState === "FAILED") {
      throw notSteady(`Deployment of ${primary.taskDefinition} failed (circuit breaker): ECS rolls back to the previous task definition`);
    }
    if (deployments.length === 1 && primary?.taskDefinition === taskDefinition && primary.rolloutState === "COMPLETED") return taskDefinition;
    if (options.now() >= deadline) {
      throw notSteady(`Timed out: ${deployments.length} deployment(s), primary ${primary?.taskDefinition ?? "none"} is ${primary?.rolloutState ?? "unknown"}`);
    }
    await options.sleep(pauseBefore(deadline, DEPLOYMENT_POLL_SECONDS, options));
  }
}

/** The poll interval, cut short so that the last look happens at the deadline, not up to one interval after it. */
function pauseBefore(deadline: number, seconds: number, options: WaitOptions): number {
  return Math.max(0, Math.min(seconds, deadline - options.now()));
}

async function loadBalancerDns(elb: ElasticLoadBalancingV2Client, name: string): Promise<string> {
  const described = await attempt(`describe load balancer ${name}`, () => elb.send(new DescribeLoadBalancersCommand({ Names: [name] })));
  const dns = described.LoadBalancers?.[0]?.DNSName;
  if (!dns) throw notSteady(`Load balancer ${name} has no DNS name`);
  return dns;
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

async function checkTasks(ecs: ECSClient, cluster: string, serviceName: string, taskDefinition: string): Promise<void> {
  const listed = await attempt(`list the tasks of ECS service ${serviceName}`, () => ecs.send(new ListTasksCommand({ cluster, serviceName, desiredStatus: "RUNNING" })));
  const taskArns = listed.taskArns ?? [];
  if (taskArns.length === 0) throw notSteady(`The site answered but no task of ${serviceName} runs`);
  // DescribeTasks takes at most 100 tasks; a service of this project runs far fewer.
  const described = await attempt(`describe the tasks of ECS service ${serviceName}`, () => ecs.send(new DescribeTasksCommand({ cluster, tasks: taskArns.slice(0, 100) })));
  const stale = (described.tasks ?? []).filter((task) => task.taskDefinitionArn !== taskDefinition).map((task) => task.taskArn);
  if (stale.length > 0) throw notSteady(`Tasks still run an older task definition: ${stale.join(" ")}`);
}
