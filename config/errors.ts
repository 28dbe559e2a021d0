/** One thing wrong with the configuration, located as precisely as we know. */
export interface ConfigProblem {
  /** The file the value came from (relative path as the user would type it). */
  readonly file: string;
  /** 1-based line number, when the problem is on one line. */
  readonly line?: number;
  readonly key?: string;
  /** The offending value; omitted for secrets and anything that looks like one. */
  readonly value?: string;
  /** True when the value must never be printed (CI logs are read by many). */
  readonly hideValue?: boolean;
  /** The rule that was broken, in words a user can act on. */
  readonly rule: string;
}

export function formatProblem(problem: ConfigProblem): string {
  const where = problem.line === undefined ? problem.file : `${problem.file}:${problem.line}`;
  let subject = "";
  if (problem.key !== undefined) {
    if (problem.hideValue) subject = `${problem.key} (value hidden)`;
    else if (problem.value !== undefined) subject = `${problem.key}=${JSON.stringify(problem.value)}`;
    else subject = problem.key;
  }
  return subject ? `${where}: ${subject}: ${problem.rule}` : `${where}: ${problem.rule}`;
}

/** Thrown when the configuration is invalid; carries every problem found, not just the first. */
export class ConfigError extends Error {
  constructor(readonly problems: readonly ConfigProblem[]) {
    super(
      `Invalid configuration (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n` +
        problems.map((problem) => `  - ${formatProblem(problem)}`).join("\n"),
    );
    this.name = "ConfigError";
  }
}

/**
 * A value a user (or a construct's caller) chose breaks a rule: the message names the value and the
 * rule, and is printed alone, without a stack trace.
 */
export class InvalidInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "InvalidInputError";
  }
}

// cdktf ends a validation failure with a hint to switch validation off: the policy must not be skipped.
const SKIP_VALIDATION_HINT = /\s*If you wish to ignore these validations, pass 'skipValidation: true' to your App configuration\.\s*$/;

/** True for errors whose message is the whole story: configuration, input and cdktf validation errors. */
function isUserError(error: unknown): error is Error {
  return (
    error instanceof ConfigError ||
    error instanceof InvalidInputError ||
    // cdktf's own class for a failed validation (our policy aspects) is not exported.
    (error instanceof Error && error.message.startsWith("Validation failed with the following errors"))
  );
}

/** Exit code of every command when it hits a bug: EX_SOFTWARE (1 and 2 carry verdicts). */
export const EXIT_BUG = 70;

/** A bug: its stack is what a maintainer needs. Every command's last resort prints it this way. */
export function reportBug(error: unknown): void {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
}

function exitWithBug(error: unknown): never {
  reportBug(error);
  process.exit(EXIT_BUG);
}

function exitWithMessage(error: Error): never {
  process.stderr.write(`${error.message.replace(SKIP_VALIDATION_HINT, "")}\n`);
  process.exit(1);
}

/**
 * Runs a command's body: a configuration or validation error is printed as its message alone and
 * exits 1 (no stack trace: the message names the file, key and rule); anything else is a bug,
 * printed with its stack, exit 70. An async body is awaited the same way.
 */
export function runCommand(body: () => void | Promise<void>): void {
  let result: void | Promise<void>;
  try {
    result = body();
  } catch (error) {
    if (isUserError(error)) exitWithMessage(error);
    exitWithBug(error);
  }
  if (result instanceof Promise) {
    result.catch((error: unknown) => (isUserError(error) ? exitWithMessage(error) : exitWithBug(error)));
  }
}
