import { buildConfig, type EnvironmentSource } from "../config/load";
import type { ProjectConfig } from "../config/model";

/** The smallest valid shared file; tests add what they exercise. */
export const MINIMAL_SHARED = "INFRA_STATE_BUCKET=test-state-bucket\n";

/** Builds a project config from in-memory files: `{ staging: "INFRA_...=..." }`. */
export function configFrom(environments: Record<string, string>, shared = MINIMAL_SHARED): ProjectConfig {
  const sources: EnvironmentSource[] = Object.entries(environments).map(([name, text]) => ({ name, file: `env/.env.${name}`, text }));
  return buildConfig({ file: "env/.env", text: shared }, sources);
}

/** The error message a config produces (fails the test when it is valid). */
export function configErrorOf(environments: Record<string, string>, shared = MINIMAL_SHARED): string {
  try {
    configFrom(environments, shared);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error("expected the configuration to be refused");
}
