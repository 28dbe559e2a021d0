import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { EnvironmentConfig } from "../../config/model";
import { compareWithGaps, type EmulatorGap, type JsonPlan } from "./plan-checks";
import { synthesize } from "./synth";
import { CheckFailure, prepareStack, terraformOk } from "./terraform";

/** The stacks applied with a site domain: production's configuration under other names (their resources must not collide). */
export const SITE_STACK = "site";
/** The same zone, through the proxy entry (an A record to its Elastic IP; TLS at the entry, so no certificate). */
export const SITE_PROXY_STACK = "siteproxy";
const SITE_DOMAINS: Record<string, string> = { [SITE_STACK]: "www.example.com", [SITE_PROXY_STACK]: "proxy.example.com" };

interface SiteContext {
  readonly cliConfig: string;
  folder(stack: string): string;
}

/**
 * The committed envs set no Route 53 domain, so this applies two more environments in one Route 53
 * zone: a hosted zone is created first (in a scratch Terraform folder: the stacks only reference a
 * zone), then side by side the `site` stack (load-balancer entry: the certificate, its validation
 * record, the wait for validation (the emulator issues a DNS-validated certificate after
 * MOTO_ACM_VALIDATION_WAIT seconds, 0 here), the HTTPS listener and the alias record) and the
 * `siteproxy` stack (the proxy entry: the A record to its Elastic IP); then each re-plan must show
 * the gaps only.
 */
export async function applySiteDomain(context: SiteContext, endpoint: string, imageTag: string, gaps: EmulatorGap[]): Promise<string[]> {
  const zoneId = await createZone(context, endpoint);
  const outdir = mkdtempSync(join(tmpdir(), "site-domain-"));
  try {
    synthesize(outdir, (config) => {
      const production = config.environments.find((environment) => environment.name === "production");
      const proxy = config.environments.find((environment) => environment.entryProxy !== undefined);
      if (!production || !proxy) throw new CheckFailure("site domain: the committed envs have no production environment, or none with the proxy entry, to copy");
      const domain = (stack: string) => ({ name: SITE_DOMAINS[stack], dns: "route53" as const, route53ZoneId: zoneId });
      const site: EnvironmentConfig = { ...production, name: SITE_STACK, domain: domain(SITE_STACK) };
      // Production's service (it never sleeps) with the committed proxy entry's settings.
      const siteProxy: EnvironmentConfig = { ...production, name: SITE_PROXY_STACK, domain: domain(SITE_PROXY_STACK), entryProxy: proxy.entryProxy };
      return { ...config, environments: [...config.environments, site, siteProxy] };
    });
    for (const stack of [SITE_STACK, SITE_PROXY_STACK]) prepareStack(context.folder(stack), readFileSync(join(outdir, "stacks", stack, "cdk.tf.json"), "utf8"), endpoint);
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
  return (await Promise.all([SITE_STACK, SITE_PROXY_STACK].map((stack) => applySite(context, stack, imageTag, gaps)))).flat();
}

async function applySite(context: SiteContext, stack: string, imageTag: string, gaps: EmulatorGap[]): Promise<string[]> {
  const siteDomain = SITE_DOMAINS[stack];
  const folder = context.folder(stack);
  await terraformOk(folder, ["init", "-input=false"], context.cliConfig, `${stack}: init`);
  const applied = await terraformOk(folder, ["apply", "-input=false", "-auto-approve", `-var=image_tag=${imageTag}`], context.cliConfig, `${stack}: apply`);
  console.log(`test:apply: ${stack} (Route 53 domain${stack === SITE_PROXY_STACK ? ", proxy entry" : ""}): ${applied.stdout.match(/Apply complete! Resources: .*/)?.[0] ?? "applied"}`);
  const problems: string[] = [];
  const url = (await terraformOk(folder, ["output", "-raw", "site_url"], context.cliConfig, `${stack}: output site_url`)).stdout.trim();
  if (url !== `https://${siteDomain}`) problems.push(`${stack}: site_url is "${url}", not https://${siteDomain}`);
  const replan = await terraformOk(
    folder,
    ["plan", "-input=false", "-lock=false", "-detailed-exitcode", "-out=plan-replan", `-var=image_tag=${imageTag}`],
    context.cliConfig,
    `${stack}: re-plan`,
    [0, 2],
  );
  const json = JSON.parse((await terraformOk(folder, ["show", "-json", "plan-replan"], context.cliConfig, `${stack}: show re-plan`)).stdout) as JsonPlan;
  problems.push(...compareWithGaps(stack, json, gaps));
  if (replan.exitCode === 2 && problems.length === 0 && !gaps.some((gap) => gap.stacks.includes(stack))) {
    problems.push(`${stack}: the re-plan exits 2 (changes) with no resource change listed: an output changes`);
  }
  if (problems.length === 0) console.log(`test:apply: ${stack}: re-plan shows exactly the ${gaps.filter((gap) => gap.stacks.includes(stack)).length} listed emulator gaps`);
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
