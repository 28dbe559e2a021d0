/** What every SDK client of the operations commands is built with. */
export interface ClientSettings {
  readonly region: string;
  /** Set when AWS_ENDPOINT_URL points the SDK at an emulator (S3 then needs path-style URLs). */
  readonly forcePathStyle?: boolean;
}

/**
 * Client settings for one region. The SDK reads AWS_ENDPOINT_URL (and AWS_ENDPOINT_URL_<SERVICE>)
 * by itself; an emulator on 127.0.0.1 has no per-bucket host names, so S3 must use path-style URLs there.
 */
export function clientSettings(region: string, environment: NodeJS.ProcessEnv = process.env): ClientSettings {
  const customEndpoint = Boolean(environment.AWS_ENDPOINT_URL_S3 ?? environment.AWS_ENDPOINT_URL);
  return customEndpoint ? { region, forcePathStyle: true } : { region };
}

/**
 * The SDK warns on every run that its 2027 releases will need Node 22. That is news for whoever
 * upgrades the dependencies, not for an operator reading `status`; the project's Node is pinned in .nvmrc.
 */
export function silenceSdkNodeVersionWarning(environment: NodeJS.ProcessEnv = process.env): void {
  environment.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
}
