/**
 * `npm run test:apply`: every stack synthesized (as `npm run synth` does, into a scratch folder) and
 * applied by real Terraform and the declared provider against the patched moto server
 * (__tests__/emulator), from cdk.tf.json unmodified (backend and endpoints come from a generated
 * *_override.tf.json beside it). Then:
 * - each stack re-planned (-detailed-exitcode) shows exactly the gaps in emulator-gaps.json;
 * - a new image tag plans as: task definition replaced, old revision kept, service updated, nothing else;
 * - a change of what the proxy entry's instance runs (staging's pages in English) plans as: launch
 *   template and Auto Scaling group updated in place, nothing replaced, nothing else;
 * - a destroy of `registry` is refused by prevent_destroy;
 * - two more environments with a Route 53 domain, `site` (load-balancer entry) and `siteproxy` (proxy
 *   entry), apply and re-plan clean (site-domain.ts); the committed staging is the DuckDNS proxy entry.
 * `--record` also writes the plans as the plan guard's fixtures (scripts/record-plan-fixtures.sh).
 * Prints each step's time. Needs terraform, moto and the provider (TF_PROVIDER_MIRROR or the registry).
 */
import { copyFileSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { analyzePlan } from "../../policy/plan-guard";
import { parsePlan } from "../../policy/plan-read";
import { startEmulator, type Emulator } from "../emulator/moto";
import gapList from "./emulator-gaps.json";
import { checkEntryChange, checkImageTagChange, compareWithGaps, type EmulatorGap, type JsonPlan } from "./plan-checks";
import { recordFixtures } from "./record";
import { applySiteDomain, SITE_PROXY_STACK, SITE_STACK } from "./site-domain";
import { synthesize } from "./synth";
import { CheckFailure, prepareStack, terraformOk, writeCliConfig } from "./terraform";

const GAPS: EmulatorGap[] = gapList.gaps;
/** Image tags as CI passes them (a git SHA): the first apply, then the rollout. */
const FIRST_TAG = "a".repeat(40);
const NEXT_TAG = "b".repeat(40);

const started = Date.now();
const elapsed = (since: number) => `${((Date.now() - since) / 1000).toFixed(1)} s`;

async function timed<T>(label: string, work: () => Promise<T>): Promise<T> {
  const since = Date.now();
  const result = await work();
  console.log(`test:apply: ${label}: ${elapsed(since)}`);
  return result;
}

interface Context {
  readonly scratch: string;
  readonly cliConfig: string;
  readonly environments: string[];
  folder(stack: string): string;
}

const varsOf = (stack: string, tag: string) => (stack === "registry" ? [] : [`-var=image_tag=${tag}`]);

/** Plans `stack` into plan-<name>, returns `terraform show -json` of it and the exit code. */
async function plan(context: Context, stack: string, name: string, args: string[]): Promise<{ json: JsonPlan; text: string; exitCode: number }> {
  const folder = context.folder(stack);
  const result = await terraformOk(folder, ["plan", "-input=false", "-lock=false", "-detailed-exitcode", `-out=plan-${name}`, ...args], context.cliConfig, `${stack}: ${name} plan`, [0, 2]);
  const text = (await terraformOk(folder, ["show", "-json", `plan-${name}`], context.cliConfig, `${stack}: show ${name}`)).stdout;
  return { json: JSON.parse(text), text, exitCode: result.exitCode };
}

async function applyAll(context: Context): Promise<void> {
  const apply = (stack: string) =>
    timed(`apply ${stack}`, async () => {
      const result = await terraformOk(context.folder(stack), ["apply", "-input=false", "-auto-approve", ...varsOf(stack, FIRST_TAG)], context.cliConfig, `${stack}: apply`);
      // Kept with the scratch copy (KEEP_SCRATCH=1): which resource took how long ("Creation complete after").
      writeFileSync(join(context.folder(stack), "apply.log"), result.stdout);
      console.log(`test:apply: ${stack}: ${result.stdout.match(/Apply complete! Resources: .*/)?.[0] ?? "applied"}`);
    });
  await apply("registry");
  // Environments only read the registry's repositories: they apply side by side.
  await Promise.all(context.environments.map(apply));
}

async function replanAll(context: Context, plans: Map<string, string>): Promise<string[]> {
  const problems = await Promise.all(
    ["registry", ...context.environments].map((stack) =>
      timed(`re-plan ${stack}`, async () => {
        const replan = await plan(context, stack, "replan", varsOf(stack, FIRST_TAG));
        plans.set(`${stack}:replan`, replan.text);
        const found = compareWithGaps(stack, replan.json, GAPS);
        if (replan.exitCode === 2 && !GAPS.some((gap) => gap.stacks.includes(stack)) && found.length === 0) {
          found.push(`${stack}: the re-plan exits 2 (changes) with no resource change listed: an output changes (terraform show the plan)`);
        }
        if (found.length === 0) console.log(`test:apply: ${stack}: re-plan shows exactly the ${GAPS.filter((gap) => gap.stacks.includes(stack)).length} listed emulator gaps`);
        return found;
      }),
    ),
  );
  return problems.flat();
}

async function imageTagChanges(context: Context, plans: Map<string, string>): Promise<string[]> {
  const problems = await Promise.all(
    context.environments.map((stack) =>
      timed(`image tag plan ${stack}`, async () => {
        const rollout = await plan(context, stack, "rollout", varsOf(stack, NEXT_TAG));
        plans.set(`${stack}:rollout`, rollout.text);
        const found = checkImageTagChange(stack, rollout.json, GAPS);
        // The plan guard must tell this real plan apart as a rollout (the pipeline's deploy relies on it).
        if (!analyzePlan(stack, parsePlan(rollout.text, `${stack} rollout plan`)).imageRolloutOnly) {
          found.push(`${stack}: image tag change: the plan guard (policy/plan-guard.ts) does not see this plan as "image rollout only"`);
        }
        if (found.length === 0) console.log(`test:apply: ${stack}: a new image tag replaces the task definition (old revision kept) and updates the service, nothing else`);
        return found;
      }),
    ),
  );
  return problems.flat();
}

/** The environment whose entry-change plan is checked: the committed staging, the DuckDNS proxy entry. */
const ENTRY_STACK = "staging";

/**
 * Staging synthesized again with its pages in English, planned against staging's applied state in
 * a folder of its own (a copy of the state, the same providers), so the other plans, which run side
 * by side, keep reading the committed stack.
 */
async function entryChange(context: Context, emulator: Emulator, plans: Map<string, string>): Promise<string[]> {
  return timed(`entry change plan ${ENTRY_STACK}`, async () => {
    const outdir = join(context.scratch, "entry-change-out");
    synthesize(outdir, (config) => ({
      ...config,
      environments: config.environments.map((environment) => {
        if (environment.name !== ENTRY_STACK) return environment;
        if (!environment.entryProxy) throw new CheckFailure(`entry change: the committed ${ENTRY_STACK} has no proxy entry (env/.env.${ENTRY_STACK})`);
        if (environment.entryProxy.language === "en") throw new CheckFailure(`entry change: ${ENTRY_STACK}'s pages are English already: change the check`);
        return { ...environment, entryProxy: { ...environment.entryProxy, language: "en" } };
      }),
    }));
    const source = context.folder(ENTRY_STACK);
    const folder = context.folder(`${ENTRY_STACK}-entry-change`);
    prepareStack(folder, readFileSync(join(outdir, "stacks", ENTRY_STACK, "cdk.tf.json"), "utf8"), emulator.endpoint);
    copyFileSync(join(source, "terraform.tfstate"), join(folder, "terraform.tfstate"));
    copyFileSync(join(source, ".terraform.lock.hcl"), join(folder, ".terraform.lock.hcl"));
    symlinkSync(join(source, ".terraform"), join(folder, ".terraform"));
    // Exit 2 only: the plan must show changes.
    await terraformOk(folder, ["plan", "-input=false", "-lock=false", "-detailed-exitcode", "-out=plan-entry", `-var=image_tag=${FIRST_TAG}`], context.cliConfig, `${ENTRY_STACK}: entry change plan`, [2]);
    const text = (await terraformOk(folder, ["show", "-json", "plan-entry"], context.cliConfig, `${ENTRY_STACK}: show entry change`)).stdout;
    plans.set(`${ENTRY_STACK}:entry-change`, text);
    const found = checkEntryChange(ENTRY_STACK, JSON.parse(text), GAPS);
    // What the deploy's plan guard sees in the same real plan: nothing it would block.
    if (analyzePlan(ENTRY_STACK, parsePlan(text, `${ENTRY_STACK} entry change plan`)).changes.some((change) => change.kind === "delete" || change.kind === "replace")) {
      found.push(`${ENTRY_STACK}: entry change: the plan guard sees a delete or a replacement`);
    }
    if (found.length === 0) console.log(`test:apply: ${ENTRY_STACK}: an entry change updates the launch template and the Auto Scaling group in place, nothing else`);
    return found;
  });
}

/** Every prevent_destroy resource of `registry` must be named in Terraform's refusal. */
async function registryDestroyRefused(context: Context): Promise<string[]> {
  const stack = JSON.parse(readFileSync(join(context.folder("registry"), "cdk.tf.json"), "utf8"));
  const guarded = Object.entries<Record<string, any>>(stack.resource ?? {}).flatMap(([type, resources]) =>
    Object.entries(resources)
      .filter(([, resource]) => resource.lifecycle?.prevent_destroy === true)
      .map(([name]) => `${type}.${name}`),
  );
  const result = await timed("destroy plan registry", () =>
    terraformOk(context.folder("registry"), ["plan", "-destroy", "-input=false", "-lock=false"], context.cliConfig, "registry: destroy plan", [0, 1]),
  );
  const refused = result.exitCode === 1 && result.stderr.includes("Instance cannot be destroyed");
  const unnamed = guarded.filter((address) => !result.stderr.includes(address));
  if (!refused || guarded.length === 0 || unnamed.length > 0) {
    return [`registry: a destroy plan must be refused by prevent_destroy on ${guarded.join(", ") || "(no resource has it)"}; exit ${result.exitCode}, not named: ${unnamed.join(", ") || "-"}\n${result.stderr}`];
  }
  console.log(`test:apply: registry: destroy refused by prevent_destroy (${guarded.join(", ")})`);
  return [];
}

async function run(context: Context, emulator: Emulator, record: boolean): Promise<string[]> {
  const stacks = ["registry", ...context.environments];
  for (const stack of stacks) prepareStack(context.folder(stack), readFileSync(join(context.scratch, "cdktf.out", "stacks", stack, "cdk.tf.json"), "utf8"), emulator.endpoint);
  await timed("terraform init (every stack)", () =>
    Promise.all(stacks.map((stack) => terraformOk(context.folder(stack), ["init", "-input=false"], context.cliConfig, `${stack}: init (provider from ${process.env.TF_PROVIDER_MIRROR ?? "the registry"})`))),
  );
  await applyAll(context);
  const plans = new Map<string, string>();
  // Plans change nothing (-lock=false): they run side by side.
  const problems = (
    await Promise.all([
      replanAll(context, plans),
      imageTagChanges(context, plans),
      entryChange(context, emulator, plans),
      registryDestroyRefused(context),
      applySiteDomain(context, emulator.endpoint, FIRST_TAG, GAPS),
    ])
  ).flat();
  if (record && problems.length === 0) await timed("record plan fixtures", () => recordFixtures(context, plans, emulator.endpoint));
  return problems;
}

async function main(): Promise<void> {
  const record = process.argv.includes("--record");
  const scratch = mkdtempSync(join(tmpdir(), "test-apply-"));
  const [, ...environments] = await timed("synth", async () => synthesize(join(scratch, "cdktf.out")));
  const context: Context = { scratch, cliConfig: writeCliConfig(scratch), environments, folder: (stack) => join(scratch, stack) };
  const version = await terraformOk(scratch, ["version"], context.cliConfig, "terraform version");
  console.log(`test:apply: ${version.stdout.split("\n")[0]}, provider from ${process.env.TF_PROVIDER_MIRROR ?? "registry.terraform.io"}`);
  const emulator = await timed("start the patched moto server", () =>
    // A DNS-validated certificate is issued at once (moto's acm models: PENDING_VALIDATION until this many seconds).
    startEmulator({ MOTO_ACM_VALIDATION_WAIT: "0" }).catch((error: Error) => {
      throw new CheckFailure(`cannot start the emulator: ${error.message}`);
    }),
  );
  try {
    const problems = await run(context, emulator, record);
    if (problems.length > 0) {
      throw new CheckFailure(`${problems.length} problem(s):\n- ${problems.join("\n- ")}\n(KEEP_SCRATCH=1 keeps the stacks, states, plans and logs of a run)`);
    }
  } finally {
    await emulator.stop();
    if (!process.env.KEEP_SCRATCH) rmSync(scratch, { recursive: true, force: true });
    else writeFileSync(join(scratch, "emulator.log"), emulator.log());
  }
  console.log(`test:apply: passed (${["registry", ...environments, SITE_STACK, SITE_PROXY_STACK].join(", ")}) in ${elapsed(started)}`);
}

main().catch((error) => {
  console.error(error instanceof CheckFailure ? `test:apply: FAILED: ${error.message}` : error);
  process.exit(1);
});
