import { join } from "node:path";
import { PORT_VARIABLE, portVariableProblems, resolveContainers } from "./containers";
import { parseEnvFile, problemAt, type EnvEntry } from "./env-file";
import { listEnvFolder, readEnvFile } from "./env-folder";
import { environmentNameProblem, nestedNameProblems } from "./environment-names";
import { ConfigError, type ConfigProblem } from "./errors";
import { CROSS_KEY_RULES, type RuleContext } from "./cross-key-rules";
import { entryOf } from "./entry-keys";
import { GITHUB_KEYS, githubConfig } from "./github";
import { INFRA_KEYS, type InfraKey, type InfraValues, type KeyDefinition, type KeyScope } from "./keys";
import type { ContainerConfig, ContainerName, EntryProxyConfig, EnvironmentConfig, ProjectConfig, RegistryConfig, SiteDomainConfig } from "./model";
import { checkPrefixCase, intendedSpelling } from "./prefixes";
import { SharedValidation } from "./shared-validation";
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

  const validation = new SharedValidation(shared.file);
  const registry = resolveRegistry(sharedFile.entries, validation, problems);
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
    const environment = resolveEnvironment(source, { entries: sharedFile.entries, validation }, envFile.entries, registry?.region, problems);
    if (environment) resolved.push(environment);
  }

  if (problems.length > 0 || !registry) throw new ConfigError(problems);
  return { registry, environments: resolved };
}

type Entries = ReadonlyMap<string, EnvEntry>;

/** The registry's keys: its own, and the region and state bucket it shares with the environments' defaults. */
const REGISTRY_VALUE_KEYS = ["INFRA_AWS_REGION", "INFRA_STATE_BUCKET", "INFRA_ECR_IMPORT_EXISTING", "INFRA_ECR_KEEP_IMAGES", "INFRA_ECR_UNTAGGED_DAYS", "INFRA_ECR_RELEASE_TAG_PREFIX", "INFRA_ECR_KEEP_RELEASES", ...GITHUB_KEYS] as const;

function resolveRegistry(entries: Entries, validation: SharedValidation, problems: ConfigProblem[]): RegistryConfig | undefined {
  const file = validation.file;
  checkInfraKeys(entries, problems);
  const values = resolveInfraValues(entries, file, problems, REGISTRY_VALUE_KEYS, validation);
  if (!values) return undefined;
  problems.push(...crossKeyProblems("registry", values as InfraValues, entries, file));
  return {
    region: values.INFRA_AWS_REGION,
    stateBucket: values.INFRA_STATE_BUCKET,
    importExisting: values.INFRA_ECR_IMPORT_EXISTING,
    keepImages: values.INFRA_ECR_KEEP_IMAGES,
    untaggedDays: values.INFRA_ECR_UNTAGGED_DAYS,
    releaseTagPrefix: values.INFRA_ECR_RELEASE_TAG_PREFIX,
    keepReleases: values.INFRA_ECR_KEEP_RELEASES,
    github: githubConfig(values),
  };
}

function resolveEnvironment(
  source: EnvironmentSource,
  shared: { readonly entries: Entries; readonly validation: SharedValidation },
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
  const merged = new Map([...shared.entries, ...own]);
  const environmentKeys = (Object.keys(INFRA_KEYS) as InfraKey[]).filter((key) => INFRA_KEYS[key].scope === "environment");
  const values = resolveInfraValues(merged, source.file, problems, environmentKeys, shared.validation);
  const containers = resolveContainers(merged, problems, shared.validation);
  if (!values) return undefined;
  const crossFieldProblems = [
    ...crossKeyProblems("environment", values, merged, source.file),
    ...portVariableProblems(merged, { api: { port: values.INFRA_API_PORT, key: "INFRA_API_PORT" }, web: { port: values.INFRA_WEB_PORT, key: "INFRA_WEB_PORT" } }),
  ];
  shared.validation.report(problems, crossFieldProblems);
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
    state: values.INFRA_ENVIRONMENT_STATE,
    ...publicEntry(values),
  };
}

/** `domain` and `entryProxy` of an environment whose values passed the cross-key rules (docs/public-entry.md). */
function publicEntry(values: InfraValues): Pick<EnvironmentConfig, "domain" | "entryProxy"> {
  const name = values.INFRA_DOMAIN;
  if (!name) return {};
  // The rules require the zone with route53 and an e-mail with the proxy; the checks below only narrow the types.
  const domain: SiteDomainConfig | undefined =
    values.INFRA_DNS === "duckdns" ? { name, dns: "duckdns" } : values.INFRA_ROUTE53_ZONE_ID ? { name, dns: "route53", route53ZoneId: values.INFRA_ROUTE53_ZONE_ID } : undefined;
  const acmeEmail = values.INFRA_ENTRY_ACME_EMAIL ?? values.INFRA_ALERT_EMAIL;
  if (!domain || entryOf(values) !== "proxy" || !acmeEmail) return domain ? { domain } : {};
  const entryProxy: EntryProxyConfig = {
    instanceType: values.INFRA_ENTRY_INSTANCE_TYPE,
    acmeEmail,
    language: values.INFRA_ENTRY_LANGUAGE,
    apiRetrySeconds: values.INFRA_ENTRY_API_RETRY_SECONDS,
    ...(values.INFRA_ENTRY_DUCKDNS_TOKEN_PARAMETER ? { duckDnsTokenParameter: values.INFRA_ENTRY_DUCKDNS_TOKEN_PARAMETER } : {}),
  };
  return { domain, entryProxy };
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

/** Each key's value, from its entry (a shared one parsed once) or its default; undefined when one is missing or invalid. */
function resolveInfraValues<K extends InfraKey>(
  entries: Entries,
  file: string,
  problems: ConfigProblem[],
  keys: readonly K[],
  shared: SharedValidation,
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
    const parsed = entry ? shared.entry(entry, problems, (found, into) => parseValue(definition, found.value, into, found)) : parseValue(definition, definition.default!, problems, undefined, { file, key });
    if (parsed.ok) values[key] = parsed.value;
    else ok = false;
  }
  return ok ? (values as Pick<InfraValues, K>) : undefined;
}

type Parsed = { readonly ok: true; readonly value: unknown } | { readonly ok: false };

/** One value by its key's schema; a problem names the entry, or the default when no file sets the key. */
function parseValue(definition: KeyDefinition, value: string, problems: ConfigProblem[], entry?: EnvEntry, unset?: { file: string; key: string }): Parsed {
  const result = definition.schema.safeParse(value);
  if (result.success) return { ok: true, value: result.data };
  // A rule may add a hint of its own (params.hint), such as the nearest AWS region, and keep the
  // value out of the message (params.hideValue: a token pasted where its parameter's name belongs).
  const custom = result.error.issues.filter((issue) => issue.code === "custom");
  const hint = custom.find((issue) => issue.params?.hint)?.message;
  const hideValue = custom.some((issue) => issue.params?.hideValue);
  const rule = `must be ${definition.allowed}${hint ? ` (${hint})` : ""}`;
  problems.push(entry ? { ...problemAt(entry, hideValue), rule } : { ...unset!, rule: `invalid default: ${definition.allowed}` });
  return { ok: false };
}

/** The cross-key rules of one scope (config/cross-key-rules.ts), each reported on its key's entry, or on its default. */
function crossKeyProblems(scope: KeyScope, values: InfraValues, entries: Entries, file: string): ConfigProblem[] {
  const where: RuleContext = { setsItself: (key) => entries.get(key)?.file === file };
  return CROSS_KEY_RULES.filter((rule) => rule.scope === scope).flatMap((rule) => {
    const broken = rule.check(values, where);
    if (broken === undefined) return [];
    const entry = entries.get(rule.reportOn);
    return [entry ? { ...problemAt(entry), rule: broken } : { file, key: rule.reportOn, value: (INFRA_KEYS[rule.reportOn] as KeyDefinition).default, rule: `${broken} (this is the default)` }];
  });
}
