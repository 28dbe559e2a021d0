import { parseArgs, type ParseArgsConfig } from "node:util";
import { UserError } from "../cli/errors";
import { EXIT } from "../cli/exit-codes";
import type { EnvironmentConfig, ProjectConfig } from "../config/model";

/** Where a command writes: injected so tests can run a command's main function in-process. */
export interface Output {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream & { readonly isTTY?: boolean };
  readonly environment: NodeJS.ProcessEnv;
}

export const processOutput = (): Output => ({ stdout: process.stdout, stderr: process.stderr, environment: process.env });

/** Parses flags; an unknown flag is a usage error that names it, followed by the usage line. */
export function parseFlags<T extends ParseArgsConfig["options"]>(args: readonly string[], options: T, usage: string) {
  try {
    return parseArgs({ args: [...args], options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UserError(`${(error as Error).message.split("\n")[0]}\n${usage}`, EXIT.usage);
  }
}

/** An environment of the config by name; an unknown name is a usage error that lists the known ones. */
export function findEnvironment(config: ProjectConfig, name: string, configDir: string): EnvironmentConfig {
  const environment = config.environments.find((candidate) => candidate.name === name);
  if (!environment) {
    const known = config.environments.map((candidate) => candidate.name).join(", ");
    throw new UserError(`Unknown environment "${name}": ${configDir}/ defines ${known} (one .env.<name> file each).`, EXIT.usage);
  }
  return environment;
}
