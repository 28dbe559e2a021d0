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
