import type { ImageReport, StatusReport } from "./status-report";

const STATE_LABELS: Record<StatusReport["state"], string> = {
  steady: "STEADY",
  idle: "IDLE",
  deploying: "DEPLOYING",
  "rolling-back": "ROLLBACK",
  failed: "DEPLOYMENT FAILED",
  degraded: "NOT STEADY",
  inactive: "INACTIVE",
  missing: "NOT FOUND",
};

/** The human-readable report: a verdict line, then the service, its tasks, images, URL and dashboard. */
export function renderText(report: StatusReport): string {
  const lines = [`${report.environment} (${report.region}): ${STATE_LABELS[report.state]} - ${report.summary}`, ""];
  lines.push(`service        ${report.service} in cluster ${report.cluster}`);
  if (report.counts) {
    const { desired, running, pending } = report.counts;
    lines.push(`tasks          desired ${desired}, running ${running}, pending ${pending}`);
  }
  if (report.circuitBreaker) {
    lines.push(`circuit breaker ${report.circuitBreaker.enabled ? `on, rollback ${report.circuitBreaker.rollback ? "on" : "off"}` : "off"}`);
  }
  if (report.deployments.length > 0) lines.push("deployments");
  for (const deployment of report.deployments) {
    const counts = `desired ${deployment.desired}, running ${deployment.running}, pending ${deployment.pending}, failed ${deployment.failedTasks}`;
    lines.push(`  ${deployment.status.padEnd(8)} ${deployment.taskDefinition.padEnd(24)} ${(deployment.rolloutState ?? "-").padEnd(12)} ${counts}  ${deployment.id}`);
    if (deployment.rolloutState === "FAILED" && deployment.rolloutStateReason) lines.push(`           ${deployment.rolloutStateReason}`);
  }
  if (report.counts) lines.push(report.tasks.length > 0 ? "running tasks" : "running tasks  none");
  for (const task of report.tasks) {
    const images = Object.entries(task.imageTags).map(([container, tag]) => `${container}=${tag}`).join(" ");
    lines.push(`  ${task.id.slice(0, 12).padEnd(12)} ${task.taskDefinition.padEnd(24)} ${(task.lastStatus ?? "?").padEnd(8)} ${images}`);
  }
  if (report.latestEvent) lines.push(`latest event   ${report.latestEvent.at ?? ""} ${report.latestEvent.message}`);
  lines.push(`images (${report.registryRegion}, newest first)`);
  for (const repository of report.repositories) {
    if (!repository.found) lines.push(`  ${repository.name}: repository not found`);
    else if (repository.newestImages.length === 0) lines.push(`  ${repository.name}: no tagged image`);
    else lines.push(`  ${repository.name}`, ...repository.newestImages.map((image) => `    ${renderImage(image)}`));
  }
  const balancer = report.loadBalancer;
  if (report.siteUrl) lines.push(`site           ${report.siteUrl}`);
  if (!balancer.found) lines.push(`load balancer  none named ${balancer.name}`);
  else lines.push(`load balancer  ${balancer.url ?? "no HTTP or HTTPS listener"}${balancer.state && balancer.state !== "active" ? ` (${balancer.state})` : ""}${balancer.internal ? " (internal: only the public entry reaches it)" : ""}`);
  lines.push(`dashboard      ${report.dashboardUrl}`);
  return `${lines.join("\n")}\n`;
}

function renderImage(image: ImageReport): string {
  const tags = image.tags.join(", ").padEnd(20);
  const pushed = image.pushedAt ? image.pushedAt.replace("T", " ").replace(/\.\d+Z$/, " UTC") : "?";
  return `${tags} pushed ${pushed}  ${formatSize(image.sizeBytes).padStart(9)}  ${renderFindings(image)}`;
}

function renderFindings(image: ImageReport): string {
  if (image.findings === undefined) return `scan: ${image.scan}`;
  const bySeverity = Object.entries(image.findingsBySeverity ?? {}).map(([severity, count]) => `${severity} ${count}`);
  return `findings: ${image.findings}${bySeverity.length > 0 ? ` (${bySeverity.join(", ")})` : ""}`;
}

export function formatSize(bytes: number | undefined): string {
  if (bytes === undefined) return "?";
  const units = ["B", "KB", "MB", "GB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}

export function renderJson(report: StatusReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
