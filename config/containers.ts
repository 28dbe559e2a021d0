import { problemAt, type EnvEntry } from "./env-file";
import type { ConfigProblem } from "./errors";
import { CONTAINER_NAMES, type ContainerConfig, type ContainerName } from "./model";
import { intendedSpelling } from "./prefixes";
import type { SharedValidation } from "./shared-validation";
import { nameLooksSecret, parseSecretReference, SECRET_REFERENCE_RULE, valueLooksSecret } from "./secrets";

const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const SCOPED = /^([A-Za-z0-9]+)__(.+)$/;
const SECRET_PREFIX = "SECRET_";

export type ContainerVariables = Pick<ContainerConfig, "environment" | "secrets">;

/** What one entry becomes: a secret or a plain variable of some containers. */
interface ContainerEntry {
  readonly targets: readonly ContainerName[];
  readonly name: string;
  readonly secret: boolean;
}

/**
 * Splits non-INFRA keys into each container's environment and secrets.
 * `KEY` reaches both containers; `API__KEY` / `WEB__KEY` only that one (and wins over `KEY` there).
 * `SECRET_NAME` (or `API__SECRET_NAME`) is a reference that becomes the variable NAME.
 * The shared file's entries are checked once (config/shared-validation.ts).
 */
export function resolveContainers(
  entries: ReadonlyMap<string, EnvEntry>,
  problems: ConfigProblem[],
  shared?: SharedValidation,
): Record<ContainerName, ContainerVariables> | undefined {
  const perContainer = Object.fromEntries(
    CONTAINER_NAMES.map((name) => [name, { environment: new Map<string, EnvEntry>(), secrets: new Map<string, EnvEntry>() }]),
  ) as Record<ContainerName, { environment: Map<string, EnvEntry>; secrets: Map<string, EnvEntry> }>;
  let valid = true;
  // Unscoped keys first, so that scoped ones override them. A reserved prefix in the wrong case is
  // reported by checkPrefixCase (config/prefixes.ts) and never becomes a variable.
  const ordered = [...entries.values()].filter((entry) => !entry.key.startsWith("INFRA_") && !intendedSpelling(entry.key)).sort((a, b) => Number(SCOPED.test(a.key)) - Number(SCOPED.test(b.key)));
  for (const entry of ordered) {
    const classified = shared ? shared.entry(entry, problems, classify) : classify(entry, problems);
    if (!classified) {
      valid = false;
      continue;
    }
    for (const target of classified.targets) perContainer[target][classified.secret ? "secrets" : "environment"].set(classified.name, entry);
  }
  const conflicts: ConfigProblem[] = [];
  for (const name of CONTAINER_NAMES) {
    for (const [variable, entry] of perContainer[name].secrets) {
      const plain = perContainer[name].environment.get(variable);
      if (plain) {
        conflicts.push({ ...problemAt(entry, true), rule: `${variable} is also a plain variable of the ${name} container (${plain.file}:${plain.line}): keep one` });
      }
    }
  }
  if (shared) shared.report(problems, conflicts);
  else problems.push(...conflicts);
  if (!valid || conflicts.length > 0) return undefined;
  const variables = (name: ContainerName): ContainerVariables => ({
    environment: Object.fromEntries([...perContainer[name].environment].map(([key, entry]) => [key, entry.value])),
    secrets: [...perContainer[name].secrets].map(([variable, entry]) => ({ variable, reference: parseSecretReference(entry.value)! })),
  });
  return { api: variables("api"), web: variables("web") };
}

/** One entry's containers and variable, or undefined after pushing what is wrong with it. */
function classify(entry: EnvEntry, problems: ConfigProblem[]): ContainerEntry | undefined {
  const scoped = SCOPED.exec(entry.key);
  let targets: readonly ContainerName[] = CONTAINER_NAMES;
  let name = entry.key;
  if (scoped) {
    const container = scoped[1].toLowerCase() as ContainerName;
    if (scoped[1] !== scoped[1].toUpperCase() || !CONTAINER_NAMES.includes(container)) {
      problems.push({ ...problemAt(entry, true), rule: `unknown container scope "${scoped[1]}__": use ${CONTAINER_NAMES.map((c) => `${c.toUpperCase()}__`).join(" or ")}` });
      return undefined;
    }
    targets = [container];
    name = scoped[2];
  }
  if (name.startsWith(SECRET_PREFIX)) {
    const variable = name.slice(SECRET_PREFIX.length);
    if (!VARIABLE_NAME.test(variable)) {
      problems.push({ ...problemAt(entry, true), rule: "SECRET_ must be followed by the variable name the container sees" });
      return undefined;
    }
    if (!parseSecretReference(entry.value)) {
      problems.push({ ...problemAt(entry, true), rule: `looks like a secret value, which must never be committed: it ${SECRET_REFERENCE_RULE}` });
      return undefined;
    }
    return { targets, name: variable, secret: true };
  }
  if (nameLooksSecret(name) || valueLooksSecret(entry.value, name)) {
    problems.push({
      ...problemAt(entry, true),
      rule: `looks like a secret: store it in SSM Parameter Store or Secrets Manager and set SECRET_${name}=<reference> instead`,
    });
    return undefined;
  }
  return { targets, name, secret: false };
}

/** The variable each container's listening port is passed in (city-guided's images read it). */
export const PORT_VARIABLE = "PORT";

/**
 * An env file may set PORT (for both containers) or API__PORT / WEB__PORT, as the old ECS stack
 * did, but only to the container's own port: the load balancer, the target group's health check
 * and the security groups all use INFRA_<NAME>_PORT, so a PORT that disagrees would make the
 * image listen where nothing sends traffic. A scoped key wins over PORT, as for any variable.
 */
export function portVariableProblems(
  entries: ReadonlyMap<string, EnvEntry>,
  ports: Readonly<Record<ContainerName, { readonly port: number; readonly key: string }>>,
): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  for (const name of CONTAINER_NAMES) {
    const { port, key } = ports[name];
    const scope = `${name.toUpperCase()}__`;
    const secret = entries.get(`${scope}${SECRET_PREFIX}${PORT_VARIABLE}`) ?? entries.get(`${SECRET_PREFIX}${PORT_VARIABLE}`);
    if (secret) {
      problems.push({ ...problemAt(secret, true), rule: `${PORT_VARIABLE} of the ${name} container is set from ${key}=${port}, not from a secret: remove this key` });
    }
    const entry = entries.get(`${scope}${PORT_VARIABLE}`) ?? entries.get(PORT_VARIABLE);
    if (entry && entry.value !== String(port)) {
      problems.push({
        ...problemAt(entry),
        rule: `reaches the ${name} container, which listens on ${key}=${port} (the port the load balancer and its health check use): remove it or make it ${port}; to move the container, set ${key}`,
      });
    }
  }
  return problems;
}
