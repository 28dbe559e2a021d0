import type { ImageDetail } from "@aws-sdk/client-ecr";
import type { Deployment, Task } from "@aws-sdk/client-ecs";
import type { Listener } from "@aws-sdk/client-elastic-load-balancing-v2";
import { dashboardUrl, environmentNames } from "../constructs/names";
import type { StatusInput } from "./status-collect";

/**
 * steady / idle: nothing to wait for (exit 0). Everything else exits 2:
 * deploying (a rollout in progress), rolling-back (circuit breaker rolling back a failed rollout),
 * failed (a rollout failed with nothing to roll back to), degraded (fewer tasks than desired with
 * no rollout under way), inactive (service deleted or draining), missing (no such cluster or service).
 */
export type ServiceState = "steady" | "idle" | "deploying" | "rolling-back" | "failed" | "degraded" | "inactive" | "missing";

export interface DeploymentReport {
  readonly id: string;
  readonly status: string;
  /** `family:revision` of the task definition. */
  readonly taskDefinition: string;
  readonly rolloutState?: string;
  readonly rolloutStateReason?: string;
  readonly desired: number;
  readonly running: number;
  readonly pending: number;
  readonly failedTasks: number;
  readonly createdAt?: string;
}

export interface TaskReport {
  readonly id: string;
  readonly taskDefinition: string;
  readonly lastStatus?: string;
  readonly health?: string;
  /** Container name -> image tag (the part after the image's last ':'). */
  readonly imageTags: Readonly<Record<string, string>>;
}

export interface ImageReport {
  readonly tags: readonly string[];
  readonly pushedAt?: string;
  readonly sizeBytes?: number;
  /** "complete", "not scanned", "in progress", or another scan status ECR reports. */
  readonly scan: string;
  /** Total findings (undefined until a scan completes) and the count per severity. */
  readonly findings?: number;
  readonly findingsBySeverity?: Readonly<Record<string, number>>;
}

export interface StatusReport {
  readonly environment: string;
  readonly region: string;
  readonly cluster: string;
  readonly service: string;
  readonly state: ServiceState;
  /** True for steady and idle: what the exit code says. */
  readonly ok: boolean;
  readonly summary: string;
  readonly counts?: { readonly desired: number; readonly running: number; readonly pending: number };
  readonly circuitBreaker?: { readonly enabled: boolean; readonly rollback: boolean };
  readonly deployments: readonly DeploymentReport[];
  readonly tasks: readonly TaskReport[];
  readonly latestEvent?: { readonly at?: string; readonly message: string };
  readonly registryRegion: string;
  readonly repositories: readonly { readonly name: string; readonly found: boolean; readonly newestImages: readonly ImageReport[] }[];
  readonly loadBalancer: { readonly name: string; readonly found: boolean; readonly state?: string; readonly url?: string; readonly internal?: boolean };
  /** The site at its own name (INFRA_DOMAIN), when it has one. */
  readonly siteUrl?: string;
  /** The environment's CloudWatch dashboard in the console, computed from its name and region (no AWS call). */
  readonly dashboardUrl: string;
}

const shortName = (arn: string | undefined): string => arn?.split("/").pop() ?? "?";
const iso = (date: Date | undefined): string | undefined => date?.toISOString();

/** Turns what AWS returned into the report both renderings print. */
export function buildReport(input: StatusInput): StatusReport {
  const { state, summary } = classify(input);
  const service = input.service;
  const breaker = service?.deploymentConfiguration?.deploymentCircuitBreaker;
  const event = service?.events?.[0];
  return {
    environment: input.environment,
    region: input.region,
    cluster: input.cluster,
    service: input.serviceName,
    state,
    ok: state === "steady" || state === "idle",
    summary,
    counts: service ? { desired: service.desiredCount ?? 0, running: service.runningCount ?? 0, pending: service.pendingCount ?? 0 } : undefined,
    circuitBreaker: breaker ? { enabled: breaker.enable ?? false, rollback: breaker.rollback ?? false } : undefined,
    deployments: (service?.deployments ?? []).map(deploymentReport),
    tasks: input.tasks.map(taskReport),
    latestEvent: event?.message ? { at: iso(event.createdAt), message: event.message } : undefined,
    registryRegion: input.registryRegion,
    repositories: input.repositories.map((repository) => ({ name: repository.name, found: repository.images !== undefined, newestImages: (repository.images ?? []).map(imageReport) })),
    loadBalancer: {
      name: input.loadBalancerName,
      found: input.loadBalancer !== undefined,
      state: input.loadBalancer?.balancer.State?.Code,
      url: input.loadBalancer ? loadBalancerUrl(input.loadBalancer.balancer.DNSName, input.loadBalancer.listeners) : undefined,
      internal: input.loadBalancer ? input.loadBalancer.balancer.Scheme === "internal" : undefined,
    },
    siteUrl: input.siteUrl,
    dashboardUrl: dashboardUrl(input.region, environmentNames(input.environment).dashboard),
  };
}

/** The service's state and a one-line explanation. */
export function classify(input: Pick<StatusInput, "service" | "cluster" | "serviceName">): { state: ServiceState; summary: string } {
  const service = input.service;
  if (!service) return { state: "missing", summary: `no ECS service ${input.serviceName} in cluster ${input.cluster}: is the environment deployed?` };
  if (service.status !== "ACTIVE") return { state: "inactive", summary: `service is ${service.status ?? "in an unknown state"}` };
  const deployments = service.deployments ?? [];
  const primary = deployments.find((deployment) => deployment.status === "PRIMARY");
  const failed = deployments.find((deployment) => deployment.rolloutState === "FAILED");
  const desired = service.desiredCount ?? 0;
  const running = service.runningCount ?? 0;
  const pending = service.pendingCount ?? 0;
  if (failed && primary && failed !== primary) {
    const rollbackDone = primary.rolloutState === "COMPLETED";
    return {
      state: "rolling-back",
      summary: `deployment ${failed.id} (${shortName(failed.taskDefinition)}) failed${reason(failed)}; ${rollbackDone ? "rolled back" : "rolling back"} to ${shortName(primary.taskDefinition)}`,
    };
  }
  if (failed) return { state: "failed", summary: `deployment ${failed.id} (${shortName(failed.taskDefinition)}) failed${reason(failed)}; no rollback under way` };
  if (deployments.length > 1 || primary?.rolloutState === "IN_PROGRESS") {
    return { state: "deploying", summary: `deploying ${shortName(primary?.taskDefinition ?? service.taskDefinition)}: ${running} of ${desired} tasks running, ${pending} pending` };
  }
  if (desired === 0 && running === 0 && pending === 0) return { state: "idle", summary: "scaled to zero on purpose (desired 0): idle" };
  if (running === desired && pending === 0) return { state: "steady", summary: `steady: ${running} of ${desired} tasks running ${shortName(service.taskDefinition)}` };
  return { state: "degraded", summary: `not steady: ${running} of ${desired} tasks running, ${pending} pending, no deployment under way` };
}

function reason(deployment: Deployment): string {
  return deployment.rolloutStateReason ? ` (${deployment.rolloutStateReason})` : "";
}

function deploymentReport(deployment: Deployment): DeploymentReport {
  return {
    id: deployment.id ?? "?",
    status: deployment.status ?? "?",
    taskDefinition: shortName(deployment.taskDefinition),
    rolloutState: deployment.rolloutState,
    rolloutStateReason: deployment.rolloutStateReason,
    desired: deployment.desiredCount ?? 0,
    running: deployment.runningCount ?? 0,
    pending: deployment.pendingCount ?? 0,
    failedTasks: deployment.failedTasks ?? 0,
    createdAt: iso(deployment.createdAt),
  };
}

/** The tag of an image reference: what follows the last ':' (a digest reference shows its digest). */
export function imageTag(image: string | undefined): string {
  if (!image) return "?";
  const at = image.indexOf("@");
  if (at !== -1) return image.slice(at, at + 20);
  const lastColon = image.lastIndexOf(":");
  return lastColon === -1 || image.slice(lastColon).includes("/") ? "latest (implicit)" : image.slice(lastColon + 1);
}

function taskReport(task: Task): TaskReport {
  return {
    id: shortName(task.taskArn),
    taskDefinition: shortName(task.taskDefinitionArn),
    lastStatus: task.lastStatus,
    health: task.healthStatus,
    imageTags: Object.fromEntries((task.containers ?? []).map((container) => [container.name ?? "?", imageTag(container.image)])),
  };
}

function imageReport(image: ImageDetail): ImageReport {
  const summary = image.imageScanFindingsSummary;
  const counts = summary?.findingSeverityCounts;
  const status = image.imageScanStatus?.status;
  const scan = counts || status === "COMPLETE" || status === "ACTIVE" ? "complete" : status ? status.toLowerCase().replace(/_/g, " ") : "not scanned";
  return {
    tags: image.imageTags ?? [],
    pushedAt: iso(image.imagePushedAt),
    sizeBytes: image.imageSizeInBytes,
    scan,
    findings: scan === "complete" ? Object.values(counts ?? {}).reduce((total, count) => total + count, 0) : undefined,
    findingsBySeverity: counts,
  };
}

/** http(s)://<dns name>[:port]: HTTPS when a listener offers it; no port when it is the default one; undefined without a listener. */
export function loadBalancerUrl(dnsName: string | undefined, listeners: readonly Listener[]): string | undefined {
  if (!dnsName) return undefined;
  const https = listeners.find((listener) => listener.Protocol === "HTTPS");
  const http = listeners.find((listener) => listener.Protocol === "HTTP");
  const chosen = https ?? http;
  if (!chosen) return undefined;
  const scheme = chosen === https ? "https" : "http";
  const defaultPort = scheme === "https" ? 443 : 80;
  return `${scheme}://${dnsName}${chosen.Port && chosen.Port !== defaultPort ? `:${chosen.Port}` : ""}`;
}
