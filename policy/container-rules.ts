import { nameLooksSecret, valueLooksSecret } from "../config/secrets";

/**
 * Rules on ECS container definitions. In cdk.tf.json they are one JSON string, so checkov's
 * container checks pass without looking (docs/policy.md): these read the string itself.
 * Every message names the container and the variable, never a variable's value.
 */
export function containerDefinitionProblems(definitions: unknown): string[] {
  if (typeof definitions !== "string") return ["container_definitions is not a JSON string, so the policy cannot read it: build it with JSON.stringify"];
  let containers: unknown;
  try {
    containers = JSON.parse(definitions);
  } catch {
    return ["container_definitions is not valid JSON (a Terraform expression?), so the policy cannot read it: build it with JSON.stringify"];
  }
  if (!Array.isArray(containers)) return ["container_definitions must be a JSON array of containers"];
  return containers.flatMap((container, index) => containerProblems(container, index));
}

function containerProblems(container: Record<string, unknown>, index: number): string[] {
  const label = typeof container?.name === "string" ? `container "${container.name}"` : `container #${index + 1}`;
  const problems: string[] = [];
  if (container.privileged === true) {
    problems.push(`${label} runs privileged: it would have root on the host; remove "privileged: true"`);
  }
  if (container.readonlyRootFilesystem !== true) {
    problems.push(`${label} lacks readonlyRootFilesystem: true: mount the paths it writes to as volumes (INFRA_WRITABLE_PATHS)`);
  }
  const logConfiguration = container.logConfiguration as { logDriver?: unknown } | undefined;
  if (!logConfiguration || typeof logConfiguration.logDriver !== "string") {
    problems.push(`${label} has no logConfiguration: its output would be lost; send it to CloudWatch Logs (awslogs)`);
  }
  const environment = Array.isArray(container.environment) ? (container.environment as { name?: unknown; value?: unknown }[]) : [];
  problems.push(...portProblems(label, container, environment));
  for (const variable of environment) {
    const name = String(variable?.name);
    const byName = nameLooksSecret(name);
    const byValue = typeof variable?.value === "string" && valueLooksSecret(variable.value, name);
    if (byName || byValue) {
      const why = byName ? "its name says it holds a secret" : "its value looks like a credential (value not shown)";
      problems.push(
        `${label} has environment variable ${name} that looks like a secret (${why}): ` +
          "store it in SSM Parameter Store or Secrets Manager and reference it with a SECRET_* key",
      );
    }
  }
  return problems;
}

/**
 * city-guided's images listen on $PORT: a PORT other than the container's mapped port makes the
 * image listen where neither the load balancer nor its health check sends anything.
 */
function portProblems(label: string, container: Record<string, unknown>, environment: { name?: unknown; value?: unknown }[]): string[] {
  const port = environment.find((variable) => variable?.name === "PORT")?.value;
  const mappings = Array.isArray(container.portMappings) ? (container.portMappings as { containerPort?: unknown }[]) : [];
  const mapped = mappings.map((mapping) => String(mapping?.containerPort));
  if (port === undefined || mapped.length === 0 || mapped.includes(String(port))) return [];
  return [`${label} has PORT=${String(port)} but maps port ${mapped.join(", ")}: the image would listen where no traffic is sent; give both the same port`];
}
