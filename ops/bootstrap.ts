import { S3Client } from "@aws-sdk/client-s3";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { join } from "node:path";
import { loadConfig, SHARED_FILE } from "../config/load";
import { UserError } from "../cli/errors";
import { EXIT } from "../cli/exit-codes";
import { runMain } from "../cli/main";
import { checkAwsEnvironment, clientSettings, silenceSdkNodeVersionWarning } from "./aws";
import { DEFAULT_NONCURRENT_DAYS, describeLifecycle, findWeakerSettings, SETTINGS, TLS_STATEMENT_SID, type BucketSettings, type Finding, type Requirements } from "./bucket-settings";
import { findEnvironment, parseFlags, processOutput, type Output } from "./cli";
import { attempt } from "./errors";
import { startProgress } from "./progress";
import { applySetting, createBucket, locateBucket, readSettings, type BucketTarget } from "./state-bucket";

const USAGE = "usage: npm run bootstrap -- [<environment>] [--fix] [--noncurrent-days <days>] [--config-dir <dir>]";

/** How bootstrap reaches AWS; tests pass clients of their own. */
export interface BootstrapClients {
  s3(region: string): S3Client;
  accountId(region: string): Promise<string>;
}

export const awsClients = (environment: NodeJS.ProcessEnv): BootstrapClients => ({
  s3: (region) => new S3Client(clientSettings(region, environment)),
  accountId: async (region) => {
    const identity = await attempt("read your AWS identity (sts:GetCallerIdentity)", async () => {
      const sts = new STSClient(clientSettings(region, environment));
      try {
        return await sts.send(new GetCallerIdentityCommand({}));
      } finally {
        sts.destroy();
      }
    });
    return identity.Account!;
  },
});

interface BootstrapOptions {
  readonly environment?: string;
  readonly fix: boolean;
  readonly noncurrentDays: number;
  readonly configDir: string;
}

/** The options, or undefined when the user asked for --help. */
function parseOptions(args: readonly string[]): BootstrapOptions | undefined {
  const { values, positionals } = parseFlags(
    args,
    { fix: { type: "boolean", default: false }, "noncurrent-days": { type: "string" }, "config-dir": { type: "string", default: "env" }, help: { type: "boolean" } },
    USAGE,
  );
  if (values.help) return undefined;
  if (positionals.length > 1) throw new UserError(`expected at most one environment name, got ${positionals.join(" ")}\n${USAGE}`, EXIT.usage);
  const days = values["noncurrent-days"] === undefined ? DEFAULT_NONCURRENT_DAYS : Number(values["noncurrent-days"]);
  if (!Number.isInteger(days) || days < 1) throw new UserError(`--noncurrent-days must be a whole number of days >= 1, got "${values["noncurrent-days"]}"`, EXIT.usage);
  return { environment: positionals[0], fix: values.fix ?? false, noncurrentDays: days, configDir: values["config-dir"] ?? "env" };
}

/** Which bucket and region: the shared file's, or one environment's (which may override both). */
function resolveTarget(options: BootstrapOptions): Omit<BucketTarget, "account"> {
  const config = loadConfig(options.configDir);
  const shared = join(options.configDir, SHARED_FILE);
  if (!options.environment) return { bucket: config.registry.stateBucket, region: config.registry.region, configFiles: shared };
  const environment = findEnvironment(config, options.environment, options.configDir);
  return { bucket: environment.stateBucket, region: environment.stateRegion, configFiles: `${shared} or ${join(options.configDir, `${SHARED_FILE}.${environment.name}`)}` };
}

/** Creates or verifies the state bucket; returns the exit code. */
export async function bootstrap(args: readonly string[], output: Output, clients: BootstrapClients): Promise<number> {
  const options = parseOptions(args);
  if (!options) {
    output.stdout.write(`${USAGE}\n`);
    return EXIT.ok;
  }
  const partial = resolveTarget(options);
  await checkAwsEnvironment(output.environment);
  // A spinner on a terminal while AWS is asked (never in CI); stopped before each line is written.
  const waiting = <T>(label: string, step: Promise<T>): Promise<T> => {
    const progress = startProgress(output.stderr, output.environment, label);
    return step.finally(() => progress.stop());
  };
  const target: BucketTarget = { ...partial, account: await waiting("reading your AWS identity...", clients.accountId(partial.region)) };
  const s3 = clients.s3(target.region);
  const requirements: Requirements = { bucket: target.bucket, noncurrentDays: options.noncurrentDays };
  const write = (line: string) => output.stdout.write(`${line}\n`);
  const name = `s3://${target.bucket} (${target.region}, account ${target.account})`;

  try {
    const created = (await waiting(`looking up s3://${target.bucket}...`, locateBucket(s3, target))) === "missing";
    if (created) {
      write(`Creating state bucket ${name}.`);
      await waiting(`creating s3://${target.bucket}...`, createBucket(s3, target));
    }
    const current = await waiting(`reading the settings of s3://${target.bucket}...`, readSettings(s3, target));
    const findings = findWeakerSettings(current, requirements);
    if (findings.length === 0) {
      write(`State bucket ${name}: every setting already as required; nothing changed.`);
      for (const line of describeConforming(current, requirements)) write(`  ok     ${line}`);
      return EXIT.ok;
    }
    if (!created && !options.fix) {
      write(`State bucket ${name}: ${findings.length} setting(s) weaker than required:`);
      for (const finding of findings) write(`  weaker ${describeFinding(finding)}`);
      write(`Nothing changed. Run again with --fix to fix them (existing policy statements and lifecycle rules are kept; nothing is deleted).`);
      return EXIT.attention;
    }
    for (const setting of SETTINGS.filter((candidate) => findings.some((finding) => finding.setting === candidate))) {
      await waiting(`setting ${setting} on s3://${target.bucket}...`, applySetting(s3, target, setting, current, requirements));
    }
    for (const finding of findings) write(`  ${created ? "set  " : "fixed"}  ${finding.subject}: ${created ? "" : `${finding.current} -> `}${finding.fixedTo ?? finding.required}`);
    write(created ? `Created ${name} with every required setting.` : `Fixed ${findings.length} setting(s) of ${name}; other policy statements and lifecycle rules kept.`);
    return EXIT.ok;
  } finally {
    s3.destroy();
  }
}

function describeFinding(finding: Finding): string {
  return `${finding.subject}: ${finding.current} (required: ${finding.required})`;
}

function describeConforming(current: BucketSettings, requirements: Requirements): string[] {
  const encryption = current.encryption?.[0]?.ApplyServerSideEncryptionByDefault;
  return [
    "object ownership: BucketOwnerEnforced (ACLs disabled)",
    "public access block: all four flags on",
    `default encryption: ${encryption?.SSEAlgorithm}${encryption?.KMSMasterKeyID ? ` (key ${encryption.KMSMasterKeyID})` : ""}`,
    "versioning: Enabled",
    `bucket policy: denies non-TLS access (statement ${TLS_STATEMENT_SID} or an equivalent one)`,
    `lifecycle: ${describeLifecycle(requirements.noncurrentDays)}`,
  ];
}

if (require.main === module) {
  silenceSdkNodeVersionWarning();
  runMain(() => bootstrap(process.argv.slice(2), processOutput(), awsClients(process.env)));
}
