import { loadSharedConfigFiles } from "@smithy/core/config";
import { NodeHttpHandler } from "@smithy/node-http-handler";
import { UserError } from "../cli/errors";
import { EXIT } from "../cli/exit-codes";
import { awsProblem } from "./errors";

/**
 * How long one AWS call may take: an endpoint that accepts the connection and never answers must
 * not hang a command. Each attempt gets `connectSeconds` to connect and `answerSeconds` for the whole
 * request and response before it is abandoned (TimeoutError, which the SDK's standard retry strategy retries), and
 * a call makes at most `attempts` attempts. Worst case per call: attempts x (connect + answer) plus
 * the SDK's backoff, about 40 s. docs/operations.md documents these and their variables.
 */
export const AWS_CALL_LIMITS = { connectSeconds: 3, answerSeconds: 10, attempts: 3 } as const;

export interface CallLimits {
  readonly connectSeconds: number;
  readonly answerSeconds: number;
  readonly attempts: number;
}

/** What every SDK client of the operations commands is built with. */
export interface ClientSettings {
  readonly region: string;
  /** Set when AWS_ENDPOINT_URL points the SDK at an emulator (S3 then needs path-style URLs). */
  readonly forcePathStyle?: boolean;
  readonly maxAttempts: number;
  readonly requestHandler: NodeHttpHandler;
}

function limitFrom(environment: NodeJS.ProcessEnv, name: string, fallback: number, max: number): number {
  const text = environment[name];
  if (text === undefined || text === "") return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1 || value > max) throw new UserError(`${name}="${text}" must be a whole number from 1 to ${max} (unset it for ${fallback})`, EXIT.usage);
  return value;
}

/** The limits, with AWS_MAX_ATTEMPTS (the SDK's own variable) and CITY_GUIDED_AWS_TIMEOUT_SECONDS overriding the defaults. */
export function callLimits(environment: NodeJS.ProcessEnv = process.env): CallLimits {
  const answerSeconds = limitFrom(environment, "CITY_GUIDED_AWS_TIMEOUT_SECONDS", AWS_CALL_LIMITS.answerSeconds, 300);
  return {
    connectSeconds: Math.min(AWS_CALL_LIMITS.connectSeconds, answerSeconds),
    answerSeconds,
    attempts: limitFrom(environment, "AWS_MAX_ATTEMPTS", AWS_CALL_LIMITS.attempts, 10),
  };
}

/**
 * AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_<SERVICE> must be http(s) URLs: the SDK would otherwise fail
 * each call with "TypeError: Invalid URL", which reads as if AWS had answered.
 */
export function checkEndpoints(environment: NodeJS.ProcessEnv = process.env): void {
  for (const [name, value] of Object.entries(environment)) {
    if (!/^AWS_ENDPOINT_URL(_[A-Z0-9_]+)?$/.test(name) || value === undefined || value === "") continue;
    let protocol: string | undefined;
    try {
      protocol = new URL(value).protocol;
    } catch {
      protocol = undefined;
    }
    if (protocol !== "http:" && protocol !== "https:") {
      throw new UserError(`${name}="${value}" is not an http(s) URL: set it to the endpoint's URL (http://127.0.0.1:5000 for a local emulator), or unset it to reach AWS`, EXIT.usage);
    }
  }
}

/**
 * Client settings for one region. The SDK reads AWS_ENDPOINT_URL (and AWS_ENDPOINT_URL_<SERVICE>)
 * by itself; an emulator on 127.0.0.1 has no per-bucket host names, so S3 must use path-style URLs there.
 */
export function clientSettings(region: string, environment: NodeJS.ProcessEnv = process.env): ClientSettings {
  checkEndpoints(environment);
  const limits = callLimits(environment);
  // throwOnRequestTimeout: without it @smithy/node-http-handler 4.x only logs a warning and keeps waiting.
  const requestHandler = new NodeHttpHandler({
    connectionTimeout: limits.connectSeconds * 1000,
    requestTimeout: limits.answerSeconds * 1000,
    throwOnRequestTimeout: true,
  });
  const customEndpoint = Boolean(environment.AWS_ENDPOINT_URL_S3 ?? environment.AWS_ENDPOINT_URL);
  return { region, maxAttempts: limits.attempts, requestHandler, ...(customEndpoint ? { forcePathStyle: true } : {}) };
}

/**
 * A named profile that no file defines: the SDK's own error ("Could not load credentials from any
 * providers") does not name it. Checked before any call; skipped when access keys are in the environment.
 */
export async function checkProfile(environment: NodeJS.ProcessEnv = process.env): Promise<void> {
  const profile = environment.AWS_PROFILE;
  if (!profile || environment.AWS_ACCESS_KEY_ID) return;
  const files = await loadSharedConfigFiles({ filepath: environment.AWS_SHARED_CREDENTIALS_FILE, configFilepath: environment.AWS_CONFIG_FILE });
  if (profile in files.configFile || profile in files.credentialsFile) return;
  // Other sections (sso-session, services) are keyed with a separator; profiles are plain names.
  const known = [...new Set([...Object.keys(files.configFile), ...Object.keys(files.credentialsFile)])].filter((name) => !/[.\s]/.test(name)).sort();
  const where = `${environment.AWS_CONFIG_FILE ?? "~/.aws/config"} or ${environment.AWS_SHARED_CREDENTIALS_FILE ?? "~/.aws/credentials"}`;
  throw awsProblem(
    `AWS profile "${profile}" (AWS_PROFILE) is not defined in ${where} (${known.length > 0 ? `profiles there: ${known.join(", ")}` : "no profile there"}): fix AWS_PROFILE, or create the profile with aws configure --profile ${profile} or aws configure sso.`,
  );
}

/** Everything the environment must get right before a command asks AWS anything. */
export async function checkAwsEnvironment(environment: NodeJS.ProcessEnv = process.env): Promise<void> {
  checkEndpoints(environment);
  callLimits(environment);
  await checkProfile(environment);
}

/**
 * The SDK warns on every run that its 2027 releases will need Node 22. That is news for whoever
 * upgrades the dependencies, not for an operator reading `status`; the project's Node is pinned in .nvmrc.
 */
export function silenceSdkNodeVersionWarning(environment: NodeJS.ProcessEnv = process.env): void {
  environment.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
}
