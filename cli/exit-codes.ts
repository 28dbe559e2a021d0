/**
 * The exit codes of every command (synth, bootstrap, status, running-tag, promote, check-image-tag,
 * policy, plan-guard, the pipeline helpers). README.md "Exit codes" is this table in words; __tests__/docs.test.ts keeps them equal.
 * Workflows read some of them: keep a code's meaning when changing a command.
 */
export const EXIT = {
  /** Done; `--help`. */
  ok: 0,
  /** Bad input (usage, configuration, env file, a value a construct refuses): nothing was asked of AWS, nothing written. */
  usage: 1,
  /** A gate said no: checkov findings (policy), a protected resource deleted or replaced (plan-guard), a promotion refused (promote). */
  refused: 1,
  /** The command looked, and what it found needs attention: status not steady (status --wait: not steady and healthy in time), bootstrap's weaker bucket settings, running-tag's untagged image. */
  attention: 2,
  /** plan-guard only: an input file that is not a Terraform JSON plan (the pull-request workflow reads it). */
  notAPlan: 2,
  /** AWS could not be reached, or refused: credentials, profile, access, region, network, timeout. */
  aws: 3,
  /** A tool the command runs is missing or failed (checkov). */
  tool: 4,
  /** A bug (EX_SOFTWARE): printed with its stack trace. */
  bug: 70,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];
