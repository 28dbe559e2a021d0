import { problemAt, type EnvEntry } from "./env-file";
import type { ConfigProblem } from "./errors";

/** Prefixes that change what a key means; they are upper case, exactly as written here. */
export const RESERVED_PREFIXES = ["INFRA_", "SECRET_", "API__", "WEB__"] as const;

const SCOPES = ["API__", "WEB__"];
const SCOPED = /^([A-Za-z0-9]+__)(.*)$/;

/**
 * The intended spelling of a key that uses a reserved prefix in another case (`infra_ecs_cpu`,
 * `Secret_db`, `api__X`), or undefined when the key is spelt right or uses no reserved prefix.
 * Such a key would otherwise become a plain container variable without a word: the CPU would keep
 * its previous value, and a secret would reach the task definition in clear.
 * INFRA_ keys are all upper case; after SECRET_ or a scope, the variable name keeps its own case.
 */
export function intendedSpelling(key: string): string | undefined {
  if (key.toUpperCase().startsWith("INFRA_")) return key === key.toUpperCase() ? undefined : key.toUpperCase();
  const scoped = SCOPED.exec(key);
  const scope = scoped && SCOPES.includes(scoped[1].toUpperCase()) ? scoped[1].toUpperCase() : "";
  const name = scope ? scoped![2] : key;
  const secret = name.toUpperCase().startsWith("SECRET_") ? `SECRET_${name.slice("SECRET_".length)}` : name;
  const intended = `${scope}${secret}`;
  return intended === key ? undefined : intended;
}

/** True when a key is, whatever its case, a reference to a secret (its value must never be printed). */
function namesSecret(key: string): boolean {
  const scoped = SCOPED.exec(key);
  const name = scoped && SCOPES.includes(scoped[1].toUpperCase()) ? scoped[2] : key;
  return name.toUpperCase().startsWith("SECRET_");
}

/** One problem per key that spells a reserved prefix in the wrong case, with the right spelling. */
export function checkPrefixCase(entries: ReadonlyMap<string, EnvEntry>, problems: ConfigProblem[]): void {
  for (const entry of entries.values()) {
    const intended = intendedSpelling(entry.key);
    if (intended === undefined) continue;
    problems.push({
      ...problemAt(entry, namesSecret(entry.key)),
      rule: `reserved prefix in the wrong case: did you mean ${intended}? (${RESERVED_PREFIXES.join(", ")} are upper case)`,
    });
  }
}
