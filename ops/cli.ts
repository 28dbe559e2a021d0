import { parseArgs, type ParseArgsConfig } from "node:util";
import { ConfigError, EXIT_BUG, reportBug } from "../config/errors";
import type { EnvironmentConfig, ProjectConfig } from "../config/model";
import { EXIT, OperationError } from "./errors";

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
    throw new OperationError(`${(error as Error).message.split("\n")[0]}\n${usage}`, EXIT.usage);
  }
}

/** An environment of the config by name; an unknown name is a usage error that lists the known ones. */
export function findEnvironment(config: ProjectConfig, name: string, configDir: string): EnvironmentConfig {
  const environment = config.environments.find((candidate) => candidate.name === name);
  if (!environment) {
    const known = config.environments.map((candidate) => candidate.name).join(", ");
    throw new OperationError(`Unknown environment "${name}": ${configDir}/ defines ${known} (one .env.<name> file each).`, EXIT.usage);
  }
  return environment;
}

/**
 * Runs a command's main function and exits with its code. Configuration and operation errors are
 * printed as their message alone (they name what to fix); anything else is a bug and keeps its stack.
 */
export function runOperation(main: () => Promise<number>): void {
  main().then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      if (error instanceof ConfigError) {
        process.stderr.write(`${error.message}\n`);
        process.exitCode = EXIT.usage;
      } else if (error instanceof OperationError) {
        process.stderr.write(`error: ${error.message}\n`);
        process.exitCode = error.exitCode;
      } else {
        reportBug(error);
        process.exitCode = EXIT_BUG;
      }
    },
  );
}
