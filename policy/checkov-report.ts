/**
 * Reading checkov's `-o json` output for one synthesized stack, and naming its findings the way the
 * justification file does: `<resource type>.<construct path inside the stack>`, e.g.
 * `aws_cloudwatch_log_group.service/api-logs`, the same in every environment stack.
 */

/** One check result, named stably. */
export interface Finding {
  readonly checkId: string;
  readonly checkName: string;
  /** `<type>.<construct path>` (or `<type>.<logical id>` when the resource has no construct path). */
  readonly address: string;
  /** What checkov printed, e.g. `resource.service_api-logs_9A6D20CB`. */
  readonly checkovResource: string;
}

export interface CheckovReport {
  readonly version?: string;
  readonly passed: readonly Finding[];
  readonly failed: readonly Finding[];
  readonly skipped: readonly Finding[];
  readonly parsingErrors: readonly string[];
}

/** Logical ID -> resource type and construct path, read from a stack's cdk.tf.json. */
export interface ResourceIndex {
  readonly resources: ReadonlyMap<string, { type: string; path: string }>;
  readonly data: ReadonlyMap<string, { type: string; path: string }>;
}

export function indexResources(stackName: string, terraform: Record<string, any>): ResourceIndex {
  const index = (blocks: Record<string, Record<string, any>> | undefined, prefix: string) => {
    const byId = new Map<string, { type: string; path: string }>();
    for (const [type, byLogicalId] of Object.entries(blocks ?? {})) {
      for (const [id, attributes] of Object.entries(byLogicalId ?? {})) {
        const path: string | undefined = attributes?.["//"]?.metadata?.path;
        const inStack = path?.startsWith(`${stackName}/`) ? path.slice(stackName.length + 1) : undefined;
        byId.set(id, { type: `${prefix}${type}`, path: inStack ?? id });
      }
    }
    return byId;
  };
  return { resources: index(terraform.resource, ""), data: index(terraform.data, "data.") };
}

/**
 * checkov names a resource `resource.<logical id>` in its own checks and `<type>.<logical id>` in its
 * graph checks (CKV2_*); providers are `provider.<name>`.
 */
export function stableAddress(checkovResource: string, index: ResourceIndex): string {
  const [head, ...rest] = checkovResource.split(".");
  const id = rest.join(".");
  if (head === "provider") return checkovResource;
  const table = head === "data" ? index.data : index.resources;
  const byId = table.get(id);
  if (byId && (head === "resource" || head === "data" || byId.type === head)) return `${byId.type}.${byId.path}`;
  const typed = index.resources.get(id);
  return typed ? `${typed.type}.${typed.path}` : checkovResource;
}

/** One check result as checkov printed it, with the stack folder its file is in. */
export interface RawCheck {
  readonly stack: string;
  readonly checkId: string;
  readonly checkName: string;
  readonly resource: string;
}

/** checkov's report for the whole `cdktf.out/stacks` folder, not yet split by stack. */
export interface RawReport {
  readonly version?: string;
  readonly passed: readonly RawCheck[];
  readonly failed: readonly RawCheck[];
  readonly skipped: readonly RawCheck[];
  /** Stack folder of each file checkov could not parse. */
  readonly parsingErrors: readonly { stack: string; file: string }[];
}

/** `/staging/cdk.tf.json` or `cdktf.out/stacks/staging/cdk.tf.json` -> `staging`. */
export function stackOfFile(file: string): string {
  const match = /(?:^|\/)([^/]+)\/[^/]+\.tf\.json$/.exec(file);
  return match ? match[1] : file;
}

/** Parses checkov's stdout; throws with a one-line reason when it is not checkov's JSON report. */
export function parseCheckovOutput(stdout: string): RawReport {
  const start = stdout.search(/[[{]/);
  let parsed: any;
  try {
    parsed = JSON.parse(start >= 0 ? stdout.slice(start) : stdout);
  } catch {
    throw new Error(`checkov's output is not JSON: ${stdout.trim().split("\n")[0]?.slice(0, 200) || "(empty)"}`);
  }
  // Several frameworks give an array of reports; only terraform_json is asked for.
  const report = Array.isArray(parsed) ? (parsed.find((entry) => entry?.check_type === "terraform_json") ?? {}) : parsed;
  // With nothing to check, checkov prints a bare summary ({passed: 0, ...}) instead of a report.
  const results = report.results ?? {};
  const checks = (list: any[] | undefined): RawCheck[] =>
    (list ?? []).map((check) => ({
      stack: stackOfFile(String(check.file_abs_path ?? check.file_path)),
      checkId: String(check.check_id),
      checkName: String(check.check_name ?? ""),
      resource: String(check.resource),
    }));
  return {
    version: report.summary?.checkov_version ?? report.checkov_version,
    passed: checks(results.passed_checks),
    failed: checks(results.failed_checks),
    skipped: checks(results.skipped_checks),
    parsingErrors: (results.parsing_errors ?? []).map((file: unknown) => ({ stack: stackOfFile(String(file)), file: String(file) })),
  };
}

/** One stack's share of the report, its resources named stably. */
export function stackReport(raw: RawReport, stack: string, index: ResourceIndex): CheckovReport {
  const findings = (checks: readonly RawCheck[]): Finding[] =>
    checks
      .filter((check) => check.stack === stack)
      .map((check) => ({ checkId: check.checkId, checkName: check.checkName, address: stableAddress(check.resource, index), checkovResource: check.resource }));
  return {
    version: raw.version,
    passed: findings(raw.passed),
    failed: findings(raw.failed),
    skipped: findings(raw.skipped),
    parsingErrors: raw.parsingErrors.filter((error) => error.stack === stack).map((error) => error.file),
  };
}

/**
 * Resources checkov actually checked. Its `resource_count` stays 0 for terraform_json (measured
 * with 3.3.30), so count the distinct resources that got a result instead.
 */
export function scannedResources(report: CheckovReport): number {
  const all = [...report.passed, ...report.failed, ...report.skipped].map((finding) => finding.address);
  return new Set(all.filter((address) => !address.startsWith("provider."))).size;
}
