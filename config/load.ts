import { join } from "node:path";
import { PORT_VARIABLE, portVariableProblems, resolveContainers } from "./containers";
import { parseEnvFile, problemAt, type EnvEntry } from "./env-file";
import { listEnvFolder, readEnvFile } from "./env-folder";
import { environmentNameProblem, nestedNameProblems } from "./environment-names";
import { ConfigError, type ConfigProblem } from "./errors";
import { GITHUB_KEYS, resolveGitHub } from "./github";
import { describeFargateMemory, isValidFargateSize } from "./fargate";
import { checkTrafficCombinations } from "./traffic-rules";
import { INFRA_KEYS, type InfraKey, type InfraValues, type KeyDefinition } from "./keys";
import type { ContainerConfig, ContainerName, EnvironmentConfig, ProjectConfig, RegistryConfig } from "./model";
import { checkPrefixCase, intendedSpelling } from "./prefixes";
import { closest } from "./suggest";

/** The shared defaults file; every other `.env.<name>` in the folder is an environment. */
export const SHARED_FILE = ".env";

/** A configuration file's text, with the path shown in error messages. */
export interface ConfigSource {
  readonly file: string;
  readonly text: string;
}

export interface EnvironmentSource extends ConfigSource {
  readonly name: string;
}

/**
 * Reads `<dir>/.env` and every `<dir>/.env.<name>`, and validates them all. Throws ConfigError,
 * also for a file that cannot be read (config/env-folder.ts names the fault and the fix).
 */
export function loadConfig(dir = "env"): ProjectConfig {
  const sharedPath = join(dir, SHARED_FILE);
  const files = listEnvFolder(dir);
  if (!files.includes(SHARED_FILE)) {
    throw new ConfigError([{ file: sharedPath, rule: "shared configuration file missing: it holds the defaults every environment inherits" }]);
  }
  const readProblems: ConfigProblem[] = [];
  const read = (file: string): string => {
    const result = readEnvFile(file);
    if ("problem" in result) readProblems.push(result.problem);
    return "text" in result ? result.text : "";
  };
  const shared = { file: sharedPath, text: read(sharedPath) };
  const environments = files
    .filter((file) => file.startsWith(`${SHARED_FILE}.`))
    .map((file) => ({ name: file.slice(SHARED_FILE.length + 1), file: join(dir, file), text: read(join(dir, file)) }));
  if (readProblems.length > 0) throw new ConfigError(readProblems);
  return buildConfig(shared, environments);
}

/** Validates in-memory sources (what tests use); reports every problem of every file at once. */
export function buildConfig(shared: ConfigSource, environments: readonly EnvironmentSource[]): ProjectConfig {
  const problems: ConfigProblem[] = [];
  const sharedFile = parseEnvFile(shared.text, shared.file);
  problems.push(...sharedFile.problems);

  const registry = resolveRegistry(sharedFile.entries, shared.file, problems);
  const resolved: EnvironmentConfig[] = [];
  if (environments.length === 0) {
    problems.push({ file: shared.file, rule: "no environment: add at least one .env.<name> file beside it" });
  }
  problems.push(...nestedNameProblems(environments));
  for (const source of environments) {
    const nameProblem = environmentNameProblem(source);
    if (nameProblem) {
      problems.push(nameProblem);
      continue;
    }
    const envFile = parseEnvFile(source.text, source.file);
    problems.push(...envFile.problems);
    const environment = resolveEnvironment(source, sharedFile.entries, envFile.entries, registry?.region, problems);
    if (environment) resolved.push(environment);
  }

  const unique = [...new Map(problems.map((problem) => [JSON.stringify(problem), problem])).values()];
  if (unique.length > 0 || !registry) throw new ConfigError(unique);
  return { registry, environments: resolved };
}

type Entries = ReadonlyMap<string, EnvEntry>;

function resolveRegistry(entries: Entries, file: string, problems: ConfigProblem[]): RegistryConfig | undefined {
  checkInfraKeys(entries, problems);
  const values = resolveInfraValues(entries, file, problems, ["INFRA_AWS_REGION", "INFRA_STATE_BUCKET", "INFRA_ECR_IMPORT_EXISTING", "INFRA_ECR_KEEP_IMAGES", "INFRA_ECR_UNTAGGED_DAYS", "INFRA_ECR_RELEASE_TAG_PREFIX", "INFRA_ECR_KEEP_RELEASES", ...GITHUB_KEYS]);
  if (!values) return undefined;
  const github = resolveGitHub(values, entries, file);
  problems.push(...github.problems);
  return {
    region: values.INFRA_AWS_REGION,
    stateBucket: values.INFRA_STATE_BUCKET,
    importExisting: values.INFRA_ECR_IMPORT_EXISTING,
    keepImages: values.INFRA_ECR_KEEP_IMAGES,
    untaggedDays: values.INFRA_ECR_UNTAGGED_DAYS,
    releaseTagPrefix: values.INFRA_ECR_RELEASE_TAG_PREFIX,
    keepReleases: values.INFRA_ECR_KEEP_RELEASES,
    github: github.config,
  };
}

function resolveEnvironment(
  source: EnvironmentSource,
  shared: Entries,
  own: Entries,
  registryRegion: string | undefined,
  problems: ConfigProblem[],
): EnvironmentConfig | undefined {
  checkInfraKeys(own, problems);
  for (const entry of own.values()) {
    const definition = (INFRA_KEYS as Record<string, KeyDefinition>)[entry.key];
    if (definition?.scope === "registry") {
      problems.push({ ...problemAt(entry), rule: "is a setting of the shared ECR registry: set it in the shared file (env/.env), not per environment" });
    }
  }
  const merged = new Map([...shared, ...own]);
  const environmentKeys = (Object.keys(INFRA_KEYS) as InfraKey[]).filter((key) => INFRA_KEYS[key].scope === "environment");
  const values = resolveInfraValues(merged, source.file, problems, environmentKeys);
  const containers = resolveContainers(merged, problems);
  if (!values) return undefined;
  const crossFieldProblems = [
    ...checkCombinations(values, merged, source.file),
    ...portVariableProblems(merged, { api: { port: values.INFRA_API_PORT, key: "INFRA_API_PORT" }, web: { port: values.INFRA_WEB_PORT, key: "INFRA_WEB_PORT" } }),
  ];
  problems.push(...crossFieldProblems);
  if (crossFieldProblems.length > 0 || !containers || !registryRegion) return undefined;

  // Each image listens on $PORT: the container gets its port from the same key as the load balancer.
  const withPorts = (name: ContainerName, port: number, healthCheckCommand: string | undefined, loadBalancerHealthPath: string): ContainerConfig => ({
    ...containers[name],
    environment: { ...containers[name].environment, [PORT_VARIABLE]: String(port) },
    port,
    healthCheckCommand,
    loadBalancerHealthPath,
  });
  return {
    name: source.name,
    region: values.INFRA_AWS_REGION,
    stateBucket: values.INFRA_STATE_BUCKET,
    stateRegion: merged.get("INFRA_STATE_BUCKET")?.file === source.file ? values.INFRA_AWS_REGION : registryRegion,
    registryRegion,
    cpu: values.INFRA_ECS_CPU,
    memory: values.INFRA_ECS_MEMORY,
    cpuArchitecture: values.INFRA_CPU_ARCHITECTURE,
    minCapacity: values.INFRA_MIN_CAPACITY,
    maxCapacity: values.INFRA_MAX_CAPACITY,
    cpuTarget: values.INFRA_CPU_TARGET,
    logRetentionDays: values.INFRA_LOG_RETENTION_DAYS,
    subnetIds: values.INFRA_SUBNET_IDS,
    assignPublicIp: values.INFRA_ASSIGN_PUBLIC_IP,
    writablePaths: values.INFRA_WRITABLE_PATHS,
    containers: {
      api: withPorts("api", values.INFRA_API_PORT, values.INFRA_API_HEALTHCHECK_COMMAND, values.INFRA_API_HEALTH_PATH),
      web: withPorts("web", values.INFRA_WEB_PORT, values.INFRA_WEB_HEALTHCHECK_COMMAND, values.INFRA_WEB_HEALTH_PATH),
    },
    loadBalancer: {
      subnetIds: values.INFRA_ALB_SUBNET_IDS,
      certificateArn: values.INFRA_CERTIFICATE_ARN,
      deletionProtection: values.INFRA_ALB_DELETION_PROTECTION,
    },
    idleMinutes: values.INFRA_IDLE_MINUTES,
    alertEmail: values.INFRA_ALERT_EMAIL,
  };
}

/** Reserved prefixes in the wrong case, and unknown `INFRA_*` keys with the closest known key suggested. */
function checkInfraKeys(entries: Entries, problems: ConfigProblem[]): void {
  checkPrefixCase(entries, problems);
  const known = Object.keys(INFRA_KEYS);
  for (const entry of entries.values()) {
    if (!entry.key.startsWith("INFRA_") || known.includes(entry.key) || intendedSpelling(entry.key)) continue;
    const suggestion = closest(entry.key, known);
    problems.push({
      ...problemAt(entry),
      rule: `unknown INFRA_ key${suggestion ? `: did you mean ${suggestion}?` : ""} (the README lists every key)`,
    });
  }
}

function resolveInfraValues<K extends InfraKey>(
  entries: Entries,
  file: string,
  problems: ConfigProblem[],
  keys: readonly K[],
): Pick<InfraValues, K> | undefined {
  const values: Partial<Record<K, unknown>> = {};
  let ok = true;
  for (const key of keys) {
    const definition: KeyDefinition = INFRA_KEYS[key];
    const entry = entries.get(key);
    if (!entry && definition.default === undefined) {
      problems.push({ file, key, rule: `required key missing: set it in the shared file or in ${file} (${definition.allowed})` });
      ok = false;
      continue;
    }
    const result = definition.schema.safeParse(entry ? entry.value : definition.default);
    if (result.success) {
      values[key] = result.data;
    } else {
      // A rule may add a hint of its own (params.hint), such as the nearest AWS region.
      const hint = result.error.issues.find((issue) => issue.code === "custom" && issue.params?.hint)?.message;
      const rule = `must be ${definition.allowed}${hint ? ` (${hint})` : ""}`;
      problems.push(entry ? { ...problemAt(entry), rule } : { file, key, rule: `invalid default: ${definition.allowed}` });
      ok = false;
    }
  }
  return ok ? (values as Pick<InfraValues, K>) : undefined;
}

/** Rules that involve several keys, reported on the key a user most likely has to change. */
function checkCombinations(values: InfraValues, entries: Entries, file: string): ConfigProblem[] {
  const located = (key: InfraKey, rule: string): ConfigProblem => {
    const entry = entries.get(key);
    return entry ? { ...problemAt(entry), rule } : { file, key, value: (INFRA_KEYS[key] as KeyDefinition).default, rule: `${rule} (this is the default)` };
  };
  const problems: ConfigProblem[] = [];
  if (!isValidFargateSize(values.INFRA_ECS_CPU, values.INFRA_ECS_MEMORY)) {
    problems.push(
      located("INFRA_ECS_MEMORY", `not a Fargate size for INFRA_ECS_CPU=${values.INFRA_ECS_CPU}: memory must be ${describeFargateMemory(values.INFRA_ECS_CPU)}`),
    );
  }
  if (values.INFRA_API_PORT === values.INFRA_WEB_PORT) {
    problems.push(located("INFRA_API_PORT", `must differ from INFRA_WEB_PORT (both containers share the task's network interface)`));
  }
  if (values.INFRA_MIN_CAPACITY > values.INFRA_MAX_CAPACITY) {
    problems.push(located("INFRA_MIN_CAPACITY", `must be at most INFRA_MAX_CAPACITY=${values.INFRA_MAX_CAPACITY}`));
  }
  if (!values.INFRA_ASSIGN_PUBLIC_IP && values.INFRA_SUBNET_IDS.length === 0) {
    problems.push(
      located("INFRA_ASSIGN_PUBLIC_IP", "false requires INFRA_SUBNET_IDS: the default VPC's subnets have no NAT, so tasks without a public IP could not pull images"),
    );
  }
  problems.push(...checkTrafficCombinations(values, located));
  return problems;
}
