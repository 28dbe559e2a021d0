import { EXIT, type ExitCode } from "./exit-codes";

/**
 * Something the user can fix: printed as its message alone (no stack trace), exiting with its code.
 * Only commands throw it; config/ and constructs/ throw their own errors, which main.ts translates.
 */
export class UserError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode = EXIT.usage,
  ) {
    super(message);
    this.name = "UserError";
  }
}
