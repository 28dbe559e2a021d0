import { isDeepStrictEqual } from "node:util";

/** The part of `terraform show -json <planfile>` these checks read. */
export interface JsonPlan {
  resource_changes?: Array<{
    address: string;
    type: string;
    change: { actions: string[]; before?: any; after?: any; after_unknown?: any; replace_paths?: Array<Array<string | number>> };
  }>;
}

/** One re-plan diff that the emulator causes, not the stacks (__tests__/apply/emulator-gaps.json). */
export interface EmulatorGap {
  readonly stacks: string[];
  readonly address: string;
  readonly attributes: string[];
  /** What the emulator does that makes Terraform see a difference. */
  readonly cause: string;
}

/** A planned change other than no-op and read, with the top-level attributes it changes. */
export interface Diff {
  readonly address: string;
  readonly type: string;
  readonly actions: string[];
  readonly attributes: string[];
}

export function diffsOf(plan: JsonPlan): Diff[] {
  return (plan.resource_changes ?? [])
    .filter(({ change }) => !change.actions.every((action) => action === "no-op" || action === "read"))
    .map(({ address, type, change }) => {
      const before = change.before ?? {};
      const after = change.after ?? {};
      const keys = new Set([...Object.keys(before), ...Object.keys(after), ...Object.keys(change.after_unknown ?? {})]);
      const attributes = [...keys].filter((key) => !isDeepStrictEqual(before[key], after[key]) || change.after_unknown?.[key] === true).sort();
      return { address, type, actions: change.actions, attributes };
    });
}

const describe = (diff: Diff) => `${diff.address} (${diff.actions.join("+")}: ${diff.attributes.join(", ") || "no attribute"})`;

/**
 * The re-plan of `stack` must show exactly the listed gaps of that stack: each diff is an update of
 * listed attributes of a listed address, and each listed entry shows. Returns the problems, in words.
 */
export function compareWithGaps(stack: string, plan: JsonPlan, gaps: EmulatorGap[]): string[] {
  const listed = gaps.filter((gap) => gap.stacks.includes(stack));
  const problems: string[] = [];
  const diffs = diffsOf(plan);
  for (const diff of diffs) {
    const gap = listed.find((entry) => entry.address === diff.address);
    const unlisted = gap ? diff.attributes.filter((attribute) => !gap.attributes.includes(attribute)) : diff.attributes;
    if (!gap || diff.actions.join() !== "update" || unlisted.length > 0) {
      problems.push(
        `${stack}: unexpected diff ${describe(diff)}${gap ? `; listed as a gap for ${gap.attributes.join(", ")} only (in place)` : ""}: ` +
          `a stack bug, or an emulator gap to list in __tests__/apply/emulator-gaps.json with its cause: ` +
          JSON.stringify({ stacks: [stack], address: diff.address, attributes: unlisted, cause: "<what the emulator does>" }),
      );
    }
  }
  for (const gap of listed) {
    const diff = diffs.find((candidate) => candidate.address === gap.address);
    const vanished = gap.attributes.filter((attribute) => !diff?.attributes.includes(attribute));
    if (vanished.length > 0) {
      problems.push(`${stack}: listed emulator gap no longer shows: ${gap.address} ${vanished.join(", ")} (${gap.cause}): remove it from __tests__/apply/emulator-gaps.json`);
    }
  }
  return problems;
}

/** Attributes a listed gap explains, removed from a diff (what is left is the stacks' own change). */
function withoutGaps(stack: string, diffs: Diff[], gaps: EmulatorGap[]): Diff[] {
  return diffs
    .map((diff) => {
      const gap = gaps.find((entry) => entry.stacks.includes(stack) && entry.address === diff.address);
      return gap && diff.actions.join() === "update" ? { ...diff, attributes: diff.attributes.filter((attribute) => !gap.attributes.includes(attribute)) } : diff;
    })
    .filter((diff) => diff.attributes.length > 0 || diff.actions.join() !== "update");
}

/**
 * A new image tag: the task definition is replaced and its old revision kept (skip_destroy), the
 * service is updated in place to the new revision, nothing else changes (emulator gaps aside).
 */
export function checkImageTagChange(stack: string, plan: JsonPlan, gaps: EmulatorGap[]): string[] {
  const problems: string[] = [];
  const diffs = withoutGaps(stack, diffsOf(plan), gaps);
  const taskDefinitions = diffs.filter((diff) => diff.type === "aws_ecs_task_definition");
  const services = diffs.filter((diff) => diff.type === "aws_ecs_service");
  const others = diffs.filter((diff) => !taskDefinitions.includes(diff) && !services.includes(diff));
  const taskChange = plan.resource_changes?.find((change) => change.address === taskDefinitions[0]?.address)?.change;
  if (taskDefinitions.length !== 1 || !taskChange || !["delete,create", "create,delete"].includes(taskChange.actions.join())) {
    problems.push(`${stack}: image tag change: expected one task definition replaced, got ${taskDefinitions.map(describe).join("; ") || "none"}`);
  } else {
    if (!taskChange.replace_paths?.some((path) => path.join(".") === "container_definitions")) {
      problems.push(`${stack}: image tag change: the task definition is replaced for ${JSON.stringify(taskChange.replace_paths)}, not container_definitions`);
    }
    if (taskChange.before?.skip_destroy !== true || taskChange.after?.skip_destroy !== true) {
      problems.push(`${stack}: image tag change: the replaced task definition's old revision is deregistered (skip_destroy is not true): a rollback has nothing to go back to`);
    }
  }
  if (services.length !== 1 || services[0].actions.join() !== "update" || services[0].attributes.join() !== "task_definition") {
    problems.push(`${stack}: image tag change: expected the service updated in place (task_definition only), got ${services.map(describe).join("; ") || "none"}`);
  }
  for (const other of others) problems.push(`${stack}: image tag change: unexpected change ${describe(other)}`);
  return problems;
}

/**
 * A change of what the proxy entry's instance runs (here the pages' language; a Caddy pin bump or
 * the stopped mode change the same user data): the launch template is updated in place (a new
 * version, its user data), the Auto Scaling group in place (the new version, which starts its
 * instance refresh), nothing replaced, nothing else changed (emulator gaps aside).
 */
export function checkEntryChange(stack: string, plan: JsonPlan, gaps: EmulatorGap[]): string[] {
  const problems: string[] = [];
  const diffs = withoutGaps(stack, diffsOf(plan), gaps);
  const template = diffs.filter((diff) => diff.type === "aws_launch_template");
  const group = diffs.filter((diff) => diff.type === "aws_autoscaling_group");
  if (template.length !== 1 || template[0].actions.join() !== "update" || !template[0].attributes.includes("user_data")) {
    problems.push(`${stack}: entry change: expected the launch template updated in place (user_data), got ${template.map(describe).join("; ") || "none"}`);
  }
  if (group.length !== 1 || group[0].actions.join() !== "update" || !group[0].attributes.includes("launch_template")) {
    problems.push(`${stack}: entry change: expected the Auto Scaling group updated in place (launch_template: its new version), got ${group.map(describe).join("; ") || "none"}`);
  }
  for (const other of diffs.filter((diff) => !template.includes(diff) && !group.includes(diff))) problems.push(`${stack}: entry change: unexpected change ${describe(other)}`);
  return problems;
}
