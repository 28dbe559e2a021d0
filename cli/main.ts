import { ConfigError, formatProblem, InvalidInputError } from "../config/errors";
import { ConstructPropsError } from "../constructs/errors";
import { UserError } from "./errors";
import { EXIT } from "./exit-codes";

/**
 * The one runner of every command (synth, bootstrap, status, policy, plan-guard, the pipeline
 * helpers): a user error becomes one clear message and its exit code, anything else a bug report
 * (stack trace, exit 70). The exit codes are in ./exit-codes.ts and README.md "Exit codes".
 */

/** A failure the user can act on: what to print and the exit code. */
export interface UserFailure {
  readonly message: string;
  readonly exitCode: number;
}

// cdktf ends a validation failure with a hint to switch validation off: the policy must not be skipped.
const SKIP_VALIDATION_HINT = /\s*If you wish to ignore these validations, pass 'skipValidation: true' to your App configuration\.\s*$/;

/**
 * The user's side of an error, or undefined for a bug. config/ and constructs/ do not know this layer:
 * their errors (ConfigError, InvalidInputError) and cdktf's failed validation (our policy aspects)
 * are bad input, exit 1. A new error type of config/ or constructs/ is added here.
 */
export function userFailure(error: unknown): UserFailure | undefined {
  if (error instanceof UserError) return { message: error.message, exitCode: error.exitCode };
  // One problem is one line; several get a count, then one line each.
  if (error instanceof ConfigError && error.problems.length === 1) return { message: formatProblem(error.problems[0]), exitCode: EXIT.usage };
  if (error instanceof ConfigError || error instanceof InvalidInputError || error instanceof ConstructPropsError) return { message: error.message, exitCode: EXIT.usage };
  // cdktf's own class for a failed validation is not exported.
  if (error instanceof Error && error.message.startsWith("Validation failed with the following errors")) {
    return { message: error.message.replace(SKIP_VALIDATION_HINT, ""), exitCode: EXIT.usage };
  }
  return undefined;
}

/** `error: <message>`: the first line says what is wrong; a configuration error lists each problem below it. */
export function formatFailure(failure: UserFailure): string {
  return `error: ${failure.message.trimEnd()}\n`;
}

/** A bug: its stack is what a maintainer needs. */
export function reportBug(error: unknown, stderr: NodeJS.WritableStream = process.stderr): void {
  stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
}

function fail(error: unknown): void {
  const failure = userFailure(error);
  if (failure) process.stderr.write(formatFailure(failure));
  else reportBug(error);
  finish(failure ? failure.exitCode : EXIT.bug);
}

/**
 * Sets the exit code and lets Node exit once stdout and stderr are flushed; a handle left open (a
 * keep-alive socket of an SDK client) cannot keep a finished command alive.
 */
function finish(code: number): void {
  process.exitCode = code;
  setTimeout(() => process.exit(code), 2000).unref();
}

/** Runs a command's body: its number (or 0) is the exit code; what it throws is judged by userFailure. */
export function runMain(body: () => number | void | Promise<number | void>): void {
  let result: number | void | Promise<number | void>;
  try {
    result = body();
  } catch (error) {
    fail(error);
    return;
  }
  Promise.resolve(result).then((code) => finish(code ?? EXIT.ok), fail);
}
