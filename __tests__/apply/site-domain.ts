import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { EnvironmentConfig } from "../../config/model";
import { compareWithGaps, type EmulatorGap, type JsonPlan } from "./plan-checks";
import { synthesize } from "./synth";
import { CheckFailure, prepareStack, terraformOk } from "./terraform";

/** The stack applied with a site domain: production's configuration under another name (its resources must not collide). */
export const SITE_STACK = "site";
const SITE_DOMAIN = "www.example.com";

interface SiteContext {
  readonly cliConfig: string;
  folder(stack: string): string;
}

/**
 * The committed envs set no domain, so this applies one more environment, configured with a
 * Route 53 zone: a hosted zone is created first (in a scratch Terraform folder: the stacks only
 * reference a zone), then the `site` stack with the certificate, its validation record, the wait
 * for validation (the emulator issues a DNS-validated certificate after MOTO_ACM_VALIDATION_WAIT
 * seconds, 0 here), the HTTPS listener and the alias record; then a re-plan must show the gaps only.
 */
export async function applySiteDomain(context: SiteContext, endpoint: string, imageTag: string, gaps: EmulatorGap[]): Promise<string[]> {
  const zoneId = await createZone(context, endpoint);
  const outdir = mkdtempSync(join(tmpdir(), "site-domain-"));
  try {
    synthesize(outdir, (config) => {
      const production = config.environments.find((environment) => environment.name === "production");
      if (!production) throw new CheckFailure("site domain: the committed envs have no production environment to copy");
      const site: EnvironmentConfig = { ...production, name: SITE_STACK, domain: { name: SITE_DOMAIN, dns: "route53", route53ZoneId: zoneId } };
      return { ...config, environments: [...config.environments, site] };
    });
    const folder = context.folder(SITE_STACK);
    prepareStack(folder, readFileSync(join(outdir, "stacks", SITE_STACK, "cdk.tf.json"), "utf8"), endpoint);
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
  const folder = context.folder(SITE_STACK);
  await terraformOk(folder, ["init", "-input=false"], context.cliConfig, `${SITE_STACK}: init`);
  const applied = await terraformOk(folder, ["apply", "-input=false", "-auto-approve", `-var=image_tag=${imageTag}`], context.cliConfig, `${SITE_STACK}: apply`);
  console.log(`test:apply: ${SITE_STACK} (Route 53 domain): ${applied.stdout.match(/Apply complete! Resources: .*/)?.[0] ?? "applied"}`);
  const problems: string[] = [];
  const url = (await terraformOk(folder, ["output", "-raw", "site_url"], context.cliConfig, `${SITE_STACK}: output site_url`)).stdout.trim();
  if (url !== `https://${SITE_DOMAIN}`) problems.push(`${SITE_STACK}: site_url is "${url}", not https://${SITE_DOMAIN}`);
  const replan = await terraformOk(
    folder,
    ["plan", "-input=false", "-lock=false", "-detailed-exitcode", "-out=plan-replan", `-var=image_tag=${imageTag}`],
    context.cliConfig,
    `${SITE_STACK}: re-plan`,
    [0, 2],
  );
  const json = JSON.parse((await terraformOk(folder, ["show", "-json", "plan-replan"], context.cliConfig, `${SITE_STACK}: show re-plan`)).stdout) as JsonPlan;
  problems.push(...compareWithGaps(SITE_STACK, json, gaps));
  if (replan.exitCode === 2 && problems.length === 0 && !gaps.some((gap) => gap.stacks.includes(SITE_STACK))) {
    problems.push(`${SITE_STACK}: the re-plan exits 2 (changes) with no resource change listed: an output changes`);
  }
  if (problems.length === 0) console.log(`test:apply: ${SITE_STACK}: re-plan shows exactly the ${gaps.filter((gap) => gap.stacks.includes(SITE_STACK)).length} listed emulator gaps`);
  return problems;
}

/** A public hosted zone for example.com in the emulator; returns its ID. */
async function createZone(context: SiteContext, endpoint: string): Promise<string> {
  const folder = context.folder("site-zone");
  const stack = {
    provider: { aws: [{ region: "eu-west-3" }] },
    terraform: { required_providers: { aws: { source: "hashicorp/aws", version: "5.100.0" } } },
    resource: { aws_route53_zone: { zone: { name: "example.com", force_destroy: true } } },
    output: { zone_id: { value: "${aws_route53_zone.zone.zone_id}" } },
  };
  prepareStack(folder, JSON.stringify(stack), endpoint);
  await terraformOk(folder, ["init", "-input=false"], context.cliConfig, "site-zone: init");
  await terraformOk(folder, ["apply", "-input=false", "-auto-approve"], context.cliConfig, "site-zone: apply");
  return (await terraformOk(folder, ["output", "-raw", "zone_id"], context.cliConfig, "site-zone: output")).stdout.trim();
}
