import { COUNTED_KINDS, type AnalyzedChange, type GuardResult, type StackAnalysis } from "./plan-guard";

/** The plan guard's Markdown summary, written for a pull-request comment. */

const ACTION_REASONS: Readonly<Record<string, string>> = {
  replace_because_tainted: "the object is tainted",
  replace_because_cannot_update: "an attribute cannot change in place",
  replace_by_request: "replacement was requested (-replace)",
  replace_by_triggers: "replace_triggered_by fired",
  delete_because_no_resource_config: "it was removed from the code",
  delete_because_wrong_repetition: "count/for_each changed",
  delete_because_count_index: "its count index is gone",
  delete_because_each_key: "its for_each key is gone",
  delete_because_no_module: "its module was removed",
  delete_because_no_move_target: "its moved target does not exist",
};

function verdict(analysis: StackAnalysis, result: GuardResult): string {
  if (result.blocked.some((change) => change.stack === analysis.stack)) return "⛔ blocked: protected resource";
  if (analysis.changes.every((change) => change.kind === "read")) return "no changes";
  if (analysis.imageRolloutOnly) return "image rollout only";
  if (analysis.changes.every((change) => change.kind === "import" || change.kind === "read")) return "import only (safe)";
  return "infrastructure change";
}

function describe(change: AnalyzedChange, result: GuardResult): string {
  let line = `- **${change.kind}** \`${change.address}\``;
  if (change.kind === "replace") line += change.actions[0] === "create" ? " (create the new one, then delete the old)" : " (delete, then create)";
  if (change.forcedBy.length > 0) line += `, forced by ${change.forcedBy.map((path) => `\`${path}\``).join(", ")}`;
  const reason = change.actionReason ? ACTION_REASONS[change.actionReason] : undefined;
  if (reason) line += ` (${reason})`;
  if (change.kind === "import") {
    line += `: safe, adopts the existing object${change.importId ? ` \`${change.importId}\`` : ""} into the state, nothing is created or deleted`;
    if (change.actions.includes("update")) line += "; then updates it in place";
  }
  if (change.importId && change.kind === "replace") line += `: imports \`${change.importId}\`, then replaces it: the existing object is destroyed`;
  if (change.kind === "forget") line += ": removed from the state, the object itself is kept";
  if (change.imageRollout) line += " (image rollout)";
  if (change.protectedReason) {
    const allowed = result.allowed.includes(change);
    line += allowed
      ? `\n  - ⚠️ **Protected, let through by \`--allow-destroy\`**: ${change.protectedReason}.`
      : `\n  - ⛔ **Protected**: ${change.protectedReason}. If this is intended, rerun the guard with \`--allow-destroy ${change.stack}:${change.address}\`.`;
  }
  return line;
}

function stackSection(analysis: StackAnalysis, result: GuardResult): string[] {
  const lines = [`### ${analysis.stack}: ${verdict(analysis, result)}`, ""];
  const images = analysis.changes.flatMap((change) => change.imageChanges);
  if (images.length > 0) {
    lines.push("Images:", ...images.map((image) => `- ${image.container}: \`${image.before}\` → \`${image.after}\``), "");
  }
  const imports = analysis.counts.import;
  if (imports > 0) {
    lines.push(
      `✅ ${imports} import${imports === 1 ? "" : "s"}: safe. Terraform adopts objects that already exist (import blocks); it does not create, replace or delete them, and their contents (images, data) are untouched.`,
      "",
    );
  }
  const listed = analysis.changes.filter((change) => change.kind !== "read");
  lines.push(...listed.map((change) => describe(change, result)));
  const reads = analysis.changes.length - listed.length;
  if (reads > 0) lines.push(`- ${reads} data source${reads === 1 ? "" : "s"} read during apply (not changes)`);
  if (analysis.changes.length === 0) lines.push("No changes.");
  return [...lines, ""];
}

export function renderMarkdown(analyses: readonly StackAnalysis[], result: GuardResult): string {
  const lines = ["## Plan guard", ""];
  if (result.blocked.length > 0) {
    const count = result.blocked.length;
    lines.push(
      `> ⛔ **Blocked**: ${count} protected resource${count === 1 ? "" : "s"} would be deleted, replaced or left unprotected:`,
      ...result.blocked.map((change) => `> - \`${change.stack}:${change.address}\`: ${change.protectedReason}`),
      "",
    );
  }
  lines.push(`| stack | ${COUNTED_KINDS.join(" | ")} | verdict |`, `|---|${COUNTED_KINDS.map(() => "---:").join("|")}|---|`);
  for (const analysis of analyses) {
    lines.push(`| ${analysis.stack} | ${COUNTED_KINDS.map((kind) => analysis.counts[kind]).join(" | ")} | ${verdict(analysis, result)} |`);
  }
  lines.push("");
  for (const analysis of analyses) lines.push(...stackSection(analysis, result));
  if (result.unusedOverrides.length > 0) {
    lines.push(`Note: \`--allow-destroy\` ${result.unusedOverrides.map((override) => `\`${override}\``).join(", ")} matched no protected change.`, "");
  }
  return lines.join("\n");
}
