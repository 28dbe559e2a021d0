import { z } from "zod";
import { scannedResources, type CheckovReport, type Finding } from "./checkov-report";
import { InvalidInputError } from "../config/errors";

/**
 * The checkov gate: every failed check must be fixed or justified in ONE reviewed file, and every
 * justification must still match a failure (so the file cannot rot).
 */

export const JUSTIFICATIONS_FILE = "policy/checkov-justifications.json";

export interface Justification {
  /** checkov check ID, e.g. CKV_AWS_158. */
  readonly check: string;
  /** `<resource type>.<construct path>` glob; `*` matches any characters, e.g. `aws_cloudwatch_log_group.service/*-logs`. */
  readonly resource: string;
  /** Stack name globs the entry applies to. @default ["*"]: every stack, present and future */
  readonly stacks: readonly string[];
  /** Why the finding is accepted, in one line a reviewer can judge. */
  readonly reason: string;
}

const ENTRY = z
  .object({
    check: z.string().regex(/^CKV2?_[A-Z0-9]+_\d+$/, "must be a checkov check ID such as CKV_AWS_158"),
    resource: z.string().regex(/^(data\.)?[a-z0-9_]+\.\S+$/, "must be <resource type>.<construct path glob>, e.g. aws_cloudwatch_log_group.service/*-logs"),
    stacks: z.array(z.string().min(1)).min(1).default(["*"]),
    reason: z.string().trim().min(20, "must say why, in at least 20 characters").regex(/^[^\n]*$/, "must be one line"),
  })
  .strict();
const FILE = z.object({ $comment: z.unknown().optional(), justifications: z.array(ENTRY) }).strict();

/** Reads the justification file's text; throws an error starting "Invalid " naming the entry and the rule. */
export function parseJustifications(text: string, file = JUSTIFICATIONS_FILE): Justification[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new InvalidInputError(`Invalid justification file ${file}: not JSON (${(error as Error).message})`);
  }
  const result = FILE.safeParse(json);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${issue.path.map(String).join(".") || "(file)"}: ${issue.message}`);
    throw new InvalidInputError(`Invalid justification file ${file}:\n  - ${problems.join("\n  - ")}`);
  }
  const entries = result.data.justifications;
  const seen = new Map<string, number>();
  entries.forEach((entry, index) => {
    const key = JSON.stringify([entry.check, entry.resource, [...entry.stacks].sort()]);
    if (seen.has(key)) throw new InvalidInputError(`Invalid justification file ${file}: justifications.${index} repeats justifications.${seen.get(key)}`);
    seen.set(key, index);
  });
  return entries;
}

/** `*` matches any run of characters; everything else is literal. */
export function globMatches(pattern: string, value: string): boolean {
  const source = pattern.split("*").map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join(".*");
  return new RegExp(`^${source}$`).test(value);
}

export function justifies(justification: Justification, stack: string, finding: Finding): boolean {
  return (
    justification.check === finding.checkId &&
    globMatches(justification.resource, finding.address) &&
    justification.stacks.some((pattern) => globMatches(pattern, stack))
  );
}

export interface StackScan {
  readonly stack: string;
  readonly report: CheckovReport;
}

export interface StackResult {
  readonly stack: string;
  readonly passed: number;
  readonly justified: readonly { finding: Finding; justification: Justification }[];
  readonly unjustified: readonly Finding[];
  readonly scannedResources: number;
  readonly parsingErrors: readonly string[];
}

export interface Evaluation {
  readonly stacks: readonly StackResult[];
  readonly unused: readonly Justification[];
  /** Everything that fails the gate, one line each. */
  readonly problems: readonly string[];
}

export function evaluate(scans: readonly StackScan[], justifications: readonly Justification[]): Evaluation {
  const used = new Set<Justification>();
  const problems: string[] = [];
  const stacks = scans.map(({ stack, report }): StackResult => {
    const justified: StackResult["justified"][number][] = [];
    const unjustified: Finding[] = [];
    for (const finding of report.failed) {
      const justification = justifications.find((candidate) => justifies(candidate, stack, finding));
      if (justification) {
        used.add(justification);
        justified.push({ finding, justification });
      } else {
        unjustified.push(finding);
        problems.push(`stack ${stack}: ${finding.checkId} failed on ${finding.address}: ${finding.checkName}`);
      }
    }
    for (const file of report.parsingErrors) problems.push(`stack ${stack}: checkov could not parse ${file}`);
    const scanned = scannedResources(report);
    if (scanned === 0) problems.push(`stack ${stack}: checkov checked no resource (nothing parsed, or a synth problem)`);
    return { stack, passed: report.passed.length, justified, unjustified, scannedResources: scanned, parsingErrors: report.parsingErrors };
  });
  const unused = justifications.filter((justification) => !used.has(justification));
  for (const justification of unused) {
    problems.push(
      `${JUSTIFICATIONS_FILE}: ${justification.check} on ${justification.resource} (stacks ${justification.stacks.join(", ")}) ` +
        "matches no failed check in any stack: remove it if the finding was fixed, or correct its pattern",
    );
  }
  return { stacks, unused, problems };
}

/** The report printed by `npm run policy`. */
export function formatSummary(evaluation: Evaluation, version: string | undefined): string {
  const lines = [`checkov ${version ?? "(version unknown)"}, framework terraform_json; justifications: ${JUSTIFICATIONS_FILE}`, ""];
  const width = Math.max(5, ...evaluation.stacks.map((result) => result.stack.length));
  lines.push(`${"stack".padEnd(width)}  resources  passed  failed  justified`);
  for (const result of evaluation.stacks) {
    const counts = [result.scannedResources, result.passed, result.unjustified.length, result.justified.length];
    lines.push(`${result.stack.padEnd(width)}  ${counts.map((count, i) => String(count).padStart([9, 6, 6, 9][i])).join("  ")}`);
  }
  const byJustification = new Map<Justification, Set<string>>();
  for (const result of evaluation.stacks) {
    for (const { justification } of result.justified) {
      byJustification.set(justification, (byJustification.get(justification) ?? new Set()).add(result.stack));
    }
  }
  if (byJustification.size > 0) {
    lines.push("", "Justified:");
    for (const [justification, stacks] of byJustification) {
      lines.push(`  ${justification.check} ${justification.resource} [${[...stacks].join(", ")}]: ${justification.reason}`);
    }
  }
  const unjustified = evaluation.stacks.flatMap((result) => result.unjustified.map((finding) => ({ stack: result.stack, finding })));
  if (unjustified.length > 0) {
    lines.push("", `Not justified: fix the infrastructure, or add an entry to ${JUSTIFICATIONS_FILE} such as`);
    const suggestions = new Set(unjustified.map(({ finding }) => JSON.stringify({ check: finding.checkId, resource: finding.address, reason: "<why this is acceptable>" })));
    lines.push(...[...suggestions].map((suggestion) => `  ${suggestion}`));
  }
  lines.push("");
  if (evaluation.problems.length === 0) {
    lines.push("Policy passed: every failed check is justified, every justification is used.");
  } else {
    lines.push(`Policy FAILED (${evaluation.problems.length} problem${evaluation.problems.length === 1 ? "" : "s"}):`);
    lines.push(...evaluation.problems.map((problem) => `  - ${problem}`));
  }
  return lines.join("\n");
}
