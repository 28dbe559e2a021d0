/**
 * The workflows' security gate: zizmor (the GitHub Actions linter) run offline, judged against a
 * reviewed list. Nothing above "low" may pass; each low finding needs an entry in
 * policy/zizmor-justifications.json, and an entry that matches no finding fails the gate (the
 * same rules as checkov's justifications).
 */

export const ZIZMOR_VERSION = "1.32.0";
export const ZIZMOR_JUSTIFICATIONS_FILE = "policy/zizmor-justifications.json";

export type Severity = "Unknown" | "Informational" | "Low" | "Medium" | "High";

/** A finding as this gate reads it from `zizmor --format json`. */
export interface ZizmorFinding {
  readonly audit: string;
  readonly severity: Severity;
  /** Workflow or action file, relative to the repository. */
  readonly file: string;
  /** The job or step the finding points at (`jobs.deploy`, `jobs.plan.steps[1]`). */
  readonly where: string;
}

export interface ZizmorJustification {
  readonly audit: string;
  readonly file: string;
  /** Job or step route, as `where` above; `*` matches every place of the file. */
  readonly where: string;
  readonly reason: string;
}

export interface ZizmorVerdict {
  readonly passed: boolean;
  readonly lines: string[];
}

const ALLOWED_SEVERITIES: readonly Severity[] = ["Informational", "Low"];

type RawFinding = {
  ident: string;
  determinations: { severity: Severity };
  locations: { symbolic: { key: { Local?: { verbatim_path?: string; given_path?: string } }; route?: { route: Record<string, string | number>[] } } }[];
};

/** zizmor's JSON (v1) to findings; throws on anything that is not that format. */
export function parseZizmorOutput(text: string): ZizmorFinding[] {
  const raw = JSON.parse(text) as unknown;
  if (!Array.isArray(raw)) throw new Error("zizmor output is not a JSON array of findings");
  return (raw as RawFinding[]).map((finding) => {
    const location = finding.locations?.[0]?.symbolic;
    const file = location?.key?.Local?.verbatim_path ?? location?.key?.Local?.given_path;
    if (!finding.ident || !finding.determinations?.severity || !file) throw new Error(`unreadable zizmor finding: ${JSON.stringify(finding).slice(0, 200)}`);
    return { audit: finding.ident, severity: finding.determinations.severity, file, where: routeOf(location.route?.route ?? []) };
  });
}

/** `[{Key:"jobs"},{Key:"plan"},{Key:"steps"},{Index:1}]` -> `jobs.plan.steps[1]`. */
function routeOf(route: Record<string, string | number>[]): string {
  return route.map((part) => ("Index" in part ? `[${part.Index}]` : `.${String(part.Key)}`)).join("").replace(/^\./, "");
}

export function parseZizmorJustifications(text: string): ZizmorJustification[] {
  const parsed = JSON.parse(text) as { justifications?: ZizmorJustification[] };
  const entries = parsed.justifications ?? [];
  for (const entry of entries) {
    if (!entry.audit || !entry.file || !entry.where || !entry.reason?.trim()) {
      throw new Error(`${ZIZMOR_JUSTIFICATIONS_FILE}: every entry needs audit, file, where and a reason: ${JSON.stringify(entry)}`);
    }
  }
  return entries;
}

const covers = (entry: ZizmorJustification, finding: ZizmorFinding) =>
  entry.audit === finding.audit && entry.file === finding.file && (entry.where === "*" || entry.where === finding.where);

export function judgeZizmor(findings: readonly ZizmorFinding[], justifications: readonly ZizmorJustification[]): ZizmorVerdict {
  const lines: string[] = [];
  let passed = true;
  for (const finding of findings) {
    const label = `${finding.severity.toLowerCase()} ${finding.audit} at ${finding.file} ${finding.where}`;
    if (!ALLOWED_SEVERITIES.includes(finding.severity)) {
      lines.push(`FAILED ${label}: above low, fix it (no justification accepted)`);
      passed = false;
    } else if (!justifications.some((entry) => covers(entry, finding))) {
      lines.push(`FAILED ${label}: not justified in ${ZIZMOR_JUSTIFICATIONS_FILE}`);
      passed = false;
    } else {
      lines.push(`justified ${label}`);
    }
  }
  for (const entry of justifications.filter((entry) => !findings.some((finding) => covers(entry, finding)))) {
    lines.push(`FAILED unused justification ${entry.audit} at ${entry.file} ${entry.where}: remove it`);
    passed = false;
  }
  lines.push(`zizmor ${ZIZMOR_VERSION}: ${findings.length} finding(s), ${passed ? "all justified and at most low" : "gate failed"}`);
  return { passed, lines };
}
