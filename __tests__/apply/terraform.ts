import { spawn } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** Services the stacks call (the provider's `endpoints` keys in 5.x); all are pointed at the emulator. */
const SERVICES = [
  "acm",
  "applicationautoscaling",
  "autoscaling",
  "cloudwatch",
  "ec2",
  "ecr",
  "ecs",
  "elbv2",
  "events",
  "iam",
  "kms",
  "logs",
  "route53",
  "s3",
  "secretsmanager",
  "sns",
  "sqs",
  "ssm",
  "sts",
];

export class CheckFailure extends Error {}

/**
 * The CLI config every terraform call gets (TF_CLI_CONFIG_FILE set explicitly: the environment may
 * name a missing file). With TF_PROVIDER_MIRROR (the folder holding registry.terraform.io, set by
 * .ci/run) providers come from that mirror only; without it, from the registry (a GitHub runner).
 */
export function writeCliConfig(folder: string, environment: NodeJS.ProcessEnv = process.env): string {
  const mirror = environment.TF_PROVIDER_MIRROR;
  if (mirror && !existsSync(join(mirror, "registry.terraform.io", "hashicorp", "aws"))) {
    throw new CheckFailure(`TF_PROVIDER_MIRROR=${mirror} holds no registry.terraform.io/hashicorp/aws: point it at the mirror's root`);
  }
  const file = join(folder, "terraform.rc");
  writeFileSync(file, mirror ? `provider_installation {\n  filesystem_mirror {\n    path = ${JSON.stringify(mirror)}\n  }\n}\n` : "");
  return file;
}

/**
 * What makes an unmodified cdk.tf.json run against the emulator (Terraform merges `*_override.tf.json`
 * over the configuration): a local state file instead of S3, and every provider block present (the
 * default one, and `aws.registry` when the registry's region differs) at the emulator with fake keys.
 */
export function emulatorOverride(stack: { provider?: { aws?: Array<{ alias?: string }> } }, endpoint: string): object {
  const providers = stack.provider?.aws ?? [{}];
  return {
    terraform: { backend: { local: { path: "terraform.tfstate" } } },
    provider: {
      aws: providers.map((provider) => ({
        ...(provider.alias ? { alias: provider.alias } : {}),
        access_key: "test",
        secret_key: "test",
        skip_credentials_validation: true,
        skip_metadata_api_check: true,
        skip_requesting_account_id: false,
        s3_use_path_style: true,
        endpoints: [Object.fromEntries(SERVICES.map((service) => [service, endpoint]))],
      })),
    },
  };
}

/** A scratch copy of one synthesized stack, cdk.tf.json byte for byte, plus the override. */
export function prepareStack(directory: string, stackText: string, endpoint: string): void {
  mkdirSync(directory, { recursive: true });
  writeFileSync(join(directory, "cdk.tf.json"), stackText);
  writeFileSync(join(directory, "zz_emulator_override.tf.json"), `${JSON.stringify(emulatorOverride(JSON.parse(stackText), endpoint), null, 2)}\n`);
}

export interface TerraformResult {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly seconds: number;
}

/** Runs terraform in a stack's folder; never throws on a non-zero exit (callers decide what is expected). */
export function terraform(directory: string, args: string[], cliConfig: string, extra: NodeJS.ProcessEnv = {}): Promise<TerraformResult> {
  const started = Date.now();
  return new Promise((done, fail) => {
    const child = spawn("terraform", [`-chdir=${directory}`, ...args], {
      env: { ...process.env, TF_CLI_CONFIG_FILE: cliConfig, CHECKPOINT_DISABLE: "1", TF_IN_AUTOMATION: "1", TF_INPUT: "0", ...extra },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.once("error", (error) =>
      fail(new CheckFailure(`cannot run terraform (${error.message}): install Terraform 1.11.4 and put it on PATH`)),
    );
    child.once("close", (code) => done({ exitCode: code ?? 1, stdout, stderr, seconds: (Date.now() - started) / 1000 }));
  });
}

/** terraform, failing with its output unless the exit code is one of `expected`. */
export async function terraformOk(directory: string, args: string[], cliConfig: string, what: string, expected = [0], extra: NodeJS.ProcessEnv = {}): Promise<TerraformResult> {
  const result = await terraform(directory, [args[0], "-no-color", ...args.slice(1)], cliConfig, extra);
  if (!expected.includes(result.exitCode)) {
    throw new CheckFailure(`${what}: terraform ${args.join(" ")} exited ${result.exitCode}:\n${result.stderr || result.stdout}`.trim());
  }
  return result;
}
