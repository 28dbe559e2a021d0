import { UserError } from "../cli/errors";
import { EXIT } from "../cli/exit-codes";

/** AWS could not be reached, or refused (exit 3): one line saying what failed and what to do. */
export function awsProblem(message: string): UserError {
  return new UserError(message, EXIT.aws);
}

/** The fields of an AWS SDK v3 error that we look at (service errors and credential errors alike). */
interface SdkErrorShape {
  readonly name?: string;
  readonly message?: string;
  readonly code?: string;
  readonly Code?: string;
  readonly $metadata?: { readonly httpStatusCode?: number };
  readonly $response?: { readonly headers?: Record<string, string | undefined> };
}

export function errorName(error: unknown): string {
  const shape = (error ?? {}) as SdkErrorShape;
  return shape.Code ?? shape.name ?? shape.code ?? "Error";
}

export function httpStatus(error: unknown): number | undefined {
  return ((error ?? {}) as SdkErrorShape).$metadata?.httpStatusCode;
}

/** A response header of a failed call (S3 puts the bucket's region in `x-amz-bucket-region`). */
export function responseHeader(error: unknown, name: string): string | undefined {
  return ((error ?? {}) as SdkErrorShape).$response?.headers?.[name];
}

const NO_CREDENTIALS = ["CredentialsProviderError", "CredentialsError"];
const EXPIRED = ["ExpiredToken", "ExpiredTokenException", "TokenRefreshRequired", "RequestExpired"];
const REJECTED = ["InvalidClientTokenId", "InvalidAccessKeyId", "SignatureDoesNotMatch", "UnrecognizedClientException", "IncompleteSignature"];
const DENIED = ["AccessDenied", "AccessDeniedException", "UnauthorizedOperation", "AllAccessDisabled"];
const NETWORK = ["ECONNREFUSED", "ENOTFOUND", "ETIMEDOUT", "ECONNRESET", "EAI_AGAIN", "TimeoutError"];

/**
 * Turns an SDK error into one line that says what failed and what to do. `action` names what we
 * were doing ("read the ECS service city-guided-staging"). Errors the user cannot act on keep
 * AWS's own name and message, still on one line.
 */
export function explainAwsError(error: unknown, action: string): UserError {
  const name = errorName(error);
  const message = ((error as SdkErrorShape | undefined)?.message ?? String(error)).split("\n")[0];
  if (NO_CREDENTIALS.includes(name) || /Could not load credentials/i.test(message)) {
    return awsProblem(
      `No AWS credentials found (needed to ${action}): set AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or sign in to your SSO profile.`,
    );
  }
  if (EXPIRED.includes(name)) {
    return awsProblem(`AWS credentials have expired (while trying to ${action}): sign in again or refresh them.`);
  }
  if (REJECTED.includes(name)) {
    return awsProblem(`AWS rejected the credentials (${name}) while trying to ${action}: check the access key or profile in use.`);
  }
  if (DENIED.includes(name) || httpStatus(error) === 403) {
    return awsProblem(`Access denied: your AWS identity may not ${action} (${name}). docs/operations.md lists the permissions each command needs.`);
  }
  const code = (error as SdkErrorShape | undefined)?.code ?? "";
  if (NETWORK.includes(name) || NETWORK.includes(code)) {
    // A timeout is named TimeoutError; a refused connection is a plain Error with code ECONNREFUSED.
    const reason = name === "TimeoutError" ? "TimeoutError: no answer in time on any attempt, see docs/operations.md" : NETWORK.includes(code) ? code : name;
    return awsProblem(`Could not reach AWS to ${action} (${reason}): check the network, or AWS_ENDPOINT_URL if you set it.`);
  }
  return awsProblem(`Could not ${action}: ${name}: ${message}`);
}

/** True for errors that come from AWS or from reaching it; anything else is a bug and keeps its stack. */
export function isAwsError(error: unknown): boolean {
  const shape = (error ?? {}) as SdkErrorShape & { $fault?: string };
  return (
    shape.$metadata !== undefined || shape.$fault !== undefined || NO_CREDENTIALS.includes(errorName(error)) || NETWORK.includes(errorName(error)) || NETWORK.includes(shape.code ?? "")
  );
}

/** Runs one AWS call; an AWS failure becomes an UserError that names what we were doing. */
export async function attempt<T>(action: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof UserError || !isAwsError(error)) throw error;
    throw explainAwsError(error, action);
  }
}
