import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { projectRoot } from "../emulator/moto";
import { synthesize } from "./synth";
import { CheckFailure, prepareStack, terraformOk } from "./terraform";

/** AWS's documentation example access key id; moto's caller identity reports it as `user_id`. */
const MOTO_CALLER_USER_ID = "AKIAIOSFODNN7EXAMPLE";
const FIXTURES = join(projectRoot(), "__tests__", "fixtures", "plans");

interface RecordContext {
  readonly cliConfig: string;
  folder(stack: string): string;
}

/**
 * A plan as the fixture keeps it: the emulator's endpoint and fake keys taken out of the provider
 * configuration (they say nothing about the stacks and the port changes every run).
 */
export function scrubbed(text: string, endpoint: string): string {
  const plan = JSON.parse(text);
  for (const provider of Object.values<any>(plan.configuration?.provider_config ?? {})) {
    for (const key of ["access_key", "secret_key", "endpoints", "skip_credentials_validation", "skip_metadata_api_check", "skip_requesting_account_id", "s3_use_path_style"]) {
      delete provider.expressions?.[key];
    }
  }
  // Compact, as terraform writes it (pretty-printed, the three plans would weigh ~1.3 MB).
  const result = `${JSON.stringify(plan)}\n`;
  if (result.includes(endpoint)) throw new CheckFailure(`a recorded plan still names the emulator's endpoint ${endpoint}`);
  // No credential of any kind may land in the repository: an AWS key id, a secret key, a private key.
  // One exception: moto answers GetCallerIdentity with AWS's documented example key id as the user id.
  const leak = result.replace(new RegExp(`"user_id": ?"${MOTO_CALLER_USER_ID}"`, "g"), "").match(/AKIA[0-9A-Z]{16}|ASIA[0-9A-Z]{16}|aws_secret_access_key|secret_key|-----BEGIN [A-Z ]*PRIVATE KEY/);
  if (leak) throw new CheckFailure(`a recorded plan contains a credential-like value (${leak[0]}): not recorded`);
  return result;
}

/**
 * What the plan guard sees if prevent_destroy were removed from the repositories: the registry's
 * destroy plan, recorded with an override that lifts it (only for this recording, in the scratch copy).
 */
async function protectedDeletes(context: RecordContext): Promise<string> {
  const folder = context.folder("registry");
  const stack = JSON.parse(readFileSync(join(folder, "cdk.tf.json"), "utf8"));
  const lifted: Record<string, Record<string, object>> = {};
  for (const [type, resources] of Object.entries<Record<string, any>>(stack.resource ?? {})) {
    for (const [name, resource] of Object.entries(resources)) {
      if (resource.lifecycle?.prevent_destroy === true) (lifted[type] ??= {})[name] = { lifecycle: { prevent_destroy: false } };
    }
  }
  const override = join(folder, "zz_record_override.tf.json");
  writeFileSync(override, JSON.stringify({ resource: lifted }));
  try {
    await terraformOk(folder, ["plan", "-destroy", "-input=false", "-out=plan-destroy"], context.cliConfig, "registry: destroy plan for the fixture");
    return (await terraformOk(folder, ["show", "-json", "plan-destroy"], context.cliConfig, "registry: show destroy plan")).stdout;
  } finally {
    rmSync(override);
  }
}

/**
 * The migration's first registry plan: the committed config with INFRA_ECR_IMPORT_EXISTING=true,
 * planned from an empty state while the repositories exist (the run applied them): import blocks.
 */
async function registryImport(context: RecordContext, endpoint: string): Promise<string> {
  const outdir = mkdtempSync(join(tmpdir(), "registry-import-"));
  try {
    synthesize(outdir, (config) => ({ ...config, registry: { ...config.registry, importExisting: true } }));
    const folder = context.folder("registry-import");
    prepareStack(folder, readFileSync(join(outdir, "stacks", "registry", "cdk.tf.json"), "utf8"), endpoint);
    await terraformOk(folder, ["init", "-input=false"], context.cliConfig, "registry-import: init");
    await terraformOk(folder, ["plan", "-input=false", "-out=plan-import"], context.cliConfig, "registry-import: plan");
    return (await terraformOk(folder, ["show", "-json", "plan-import"], context.cliConfig, "registry-import: show plan")).stdout;
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

/** Writes the plan guard's fixtures from this run's real plans. */
export async function recordFixtures(context: RecordContext, plans: Map<string, string>, endpoint: string): Promise<void> {
  const fixtures: Record<string, string | undefined> = {
    "no-changes.json": plans.get("registry:replan"),
    "image-rollout.json": plans.get("staging:rollout"),
    "protected-deletes.json": await protectedDeletes(context),
    "registry-import.json": await registryImport(context, endpoint),
  };
  for (const [name, text] of Object.entries(fixtures)) {
    if (!text) throw new CheckFailure(`no plan for ${name} in this run`);
    writeFileSync(join(FIXTURES, name), scrubbed(text, endpoint));
    console.log(`test:apply: recorded __tests__/fixtures/plans/${name}`);
  }
}
