import { isDeepStrictEqual } from "node:util";
import type { Plan, ResourceChange } from "./plan-read";

/**
 * The plan guard's judgement of a Terraform plan: what each change is, whether it is only an image
 * rollout, and whether it deletes or replaces something that must outlive every deploy.
 */

const LOAD_BALANCER =
  "the load balancer: the site's DNS points at its DNS name, and a new one gets a new name, so the site is unreachable until DNS is changed";

/** Resource types that a plan may not delete or replace without an explicit override; the reason says what would be lost. */
export const PROTECTED_RESOURCES: Readonly<Record<string, string>> = {
  aws_ecr_repository: "an ECR repository: deleting it deletes every image in it, and every environment pulls its images from it",
  aws_lb: LOAD_BALANCER,
  aws_alb: LOAD_BALANCER,
  aws_cloudwatch_log_group: "a log group: the log history in it is lost for good",
  aws_iam_openid_connect_provider: "the GitHub OIDC provider: every CI role trusts it, so no workflow can sign in to AWS until it is back",
  aws_s3_bucket: "an S3 bucket: its objects (the Terraform state, among others) are lost",
};

export type ChangeKind = "create" | "update" | "replace" | "delete" | "import" | "read" | "forget";
/** The kinds counted in the summary table; reads and forgets are listed, not counted. */
export const COUNTED_KINDS = ["create", "update", "replace", "delete", "import"] as const;

export interface ImageChange {
  readonly container: string;
  readonly before: string;
  readonly after: string;
}

export interface AnalyzedChange {
  readonly stack: string;
  readonly address: string;
  readonly type: string;
  readonly kind: ChangeKind;
  /** Terraform's actions, e.g. ["delete", "create"]. */
  readonly actions: readonly string[];
  /** Attributes that force the replacement, e.g. `name`, `ingress[0].cidr_blocks`. */
  readonly forcedBy: readonly string[];
  readonly actionReason?: string;
  readonly importId?: string;
  /** True when the change is part of an image rollout (only container images change). */
  readonly imageRollout: boolean;
  readonly imageChanges: readonly ImageChange[];
  /** Why the change is dangerous; set only for a protected deletion or replacement, or a protection switched off. */
  readonly protectedReason?: string;
}

export interface StackAnalysis {
  readonly stack: string;
  readonly changes: readonly AnalyzedChange[];
  readonly counts: Readonly<Record<(typeof COUNTED_KINDS)[number], number>>;
  /** Every change is part of an image rollout (and there is one). */
  readonly imageRolloutOnly: boolean;
}

function kindOf(change: ResourceChange): ChangeKind | undefined {
  const actions = change.change.actions.join(",");
  if (change.change.importing && (actions === "no-op" || actions === "update")) return "import";
  const kinds: Record<string, ChangeKind | undefined> = {
    "no-op": undefined,
    create: "create",
    read: "read",
    update: "update",
    "delete,create": "replace",
    "create,delete": "replace",
    delete: "delete",
    forget: "forget",
    // A replacement whose old object is forgotten (kept, unmanaged) rather than deleted: still a replacement.
    "create,forget": "replace",
  };
  // parsePlan refuses any other list; reaching this is a bug, never a silent "update".
  if (!(actions in kinds)) throw new Error(`plan guard: unknown action list [${actions}] got past parsePlan`);
  return kinds[actions];
}

/**
 * Attributes whose switch makes a later destroy lose what the resource holds: an update that turns
 * one on is guarded like a deletion (`--allow-destroy` names it). `force_delete` is passed to ECR's
 * DeleteRepository `force` ("If true, deleting the repository force deletes the contents of the
 * repository", AWS ECR API Reference, DeleteRepository); `force_destroy` makes the provider delete
 * every object before the bucket (registry.terraform.io/providers/hashicorp/aws/5.100.0, s3_bucket).
 */
export const PROTECTION_SWITCHES: Readonly<Record<string, { readonly attribute: string; readonly loss: string }>> = {
  aws_ecr_repository: { attribute: "force_delete", loss: "a later destroy would delete every image in the repository" },
  aws_s3_bucket: { attribute: "force_destroy", loss: "a later destroy would delete every object in the bucket (the Terraform state, among others)" },
};

/** Why an in-place update weakens a protected resource, or undefined. */
function weakenedProtection(change: ResourceChange): string | undefined {
  const guarded = PROTECTION_SWITCHES[change.type];
  if (!guarded || change.mode !== "managed") return undefined;
  const { before, after, after_unknown: afterUnknown } = change.change as { before?: any; after?: any; after_unknown?: any };
  // Unknown until apply counts as turned on: the guard fails closed.
  const turnsOn = after?.[guarded.attribute] === true || afterUnknown?.[guarded.attribute] === true;
  if (!turnsOn || before?.[guarded.attribute] === true) return undefined;
  return `\`${guarded.attribute}\` turns true on ${PROTECTED_RESOURCES[change.type].split(":")[0]}: ${guarded.loss}`;
}

/** `["ingress", 0, "cidr_blocks"]` -> `ingress[0].cidr_blocks` */
export function formatPath(path: readonly (string | number)[]): string {
  return path.map((step, index) => (typeof step === "number" ? `[${step}]` : index === 0 ? step : `.${step}`)).join("");
}

export function analyzePlan(stack: string, plan: Plan): StackAnalysis {
  const changes: AnalyzedChange[] = [];
  for (const change of plan.resourceChanges) {
    const kind = kindOf(change);
    if (!kind) continue;
    const destructive = change.mode === "managed" && (kind === "delete" || kind === "replace");
    const images = kind === "replace" || kind === "update" ? rolloutImages(change) : undefined;
    changes.push({
      stack,
      address: change.address,
      type: change.type,
      kind,
      actions: change.change.actions,
      forcedBy: (change.change.replace_paths ?? []).map(formatPath),
      actionReason: change.action_reason,
      importId: change.change.importing?.id,
      imageRollout: images !== undefined,
      imageChanges: images ?? [],
      protectedReason: destructive ? PROTECTED_RESOURCES[change.type] : kind === "update" ? weakenedProtection(change) : undefined,
    });
  }
  const counts = Object.fromEntries(COUNTED_KINDS.map((kind) => [kind, changes.filter((change) => change.kind === kind).length])) as StackAnalysis["counts"];
  const listed = changes.filter((change) => change.kind !== "read");
  const imageRolloutOnly = listed.length > 0 && listed.every((change) => change.imageRollout) && listed.some((change) => change.imageChanges.length > 0);
  return { stack, changes, counts, imageRolloutOnly };
}

// Attributes the provider computes anew for every task definition revision.
const TASK_DEFINITION_COMPUTED = ["arn", "arn_without_revision", "id", "revision"];

/**
 * The image changes when a change is part of an image rollout, else undefined: a task definition
 * whose containers differ only in `image`, or a service whose only change is its task definition.
 */
function rolloutImages(change: ResourceChange): ImageChange[] | undefined {
  const { before, after, after_unknown: afterUnknown } = change.change as { before?: any; after?: any; after_unknown?: any };
  if (change.mode !== "managed" || !before || !after) return undefined;
  if (change.type === "aws_ecs_service" && change.change.actions.join() === "update") {
    return isDeepStrictEqual(changedKeys(before, after, afterUnknown), ["task_definition"]) ? [] : undefined;
  }
  if (change.type !== "aws_ecs_task_definition") return undefined;
  // A replacement's `after` is a new object: computed attributes are unknown and unset optional ones
  // null, where `before` holds what AWS filled in ("" , {}, false). Those are not changes of the config.
  const replaced = change.change.actions.length === 2;
  const changed = (replaced ? configuredChanges(before, after, afterUnknown) : changedKeys(before, after, afterUnknown)).filter(
    (key) => !TASK_DEFINITION_COMPUTED.includes(key),
  );
  // An unknown container_definitions (null in `after`) fails to parse below: not a rollout.
  if (!isDeepStrictEqual(changed, ["container_definitions"])) return undefined;
  const parse = (text: unknown): any[] | undefined => {
    try {
      const parsed = JSON.parse(String(text));
      return Array.isArray(parsed) ? parsed : undefined;
    } catch {
      return undefined;
    }
  };
  const old = parse(before.container_definitions);
  const next = parse(after.container_definitions);
  if (!old || !next || old.length !== next.length) return undefined;
  // The stored definitions (`before`) come back from ECS with empty lists filled in (`volumesFrom: []`).
  const withoutImage = (containers: any[]) => containers.map(({ image, ...rest }) => withoutEmpty(rest));
  if (!isDeepStrictEqual(withoutImage(old), withoutImage(next))) return undefined;
  const images = next
    .map((container, index) => ({ container: String(container.name), before: String(old[index].image), after: String(container.image) }))
    .filter((image) => image.before !== image.after);
  return images.length > 0 ? images : undefined;
}

/** A container definition without its empty lists, empty objects and nulls (at any depth). */
function withoutEmpty(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutEmpty);
  if (!value || typeof value !== "object") return value;
  const entries = Object.entries(value).map(([key, part]) => [key, withoutEmpty(part)] as const);
  return Object.fromEntries(entries.filter(([, part]) => part !== null && !(typeof part === "object" && Object.keys(part as object).length === 0)));
}

/** Top-level attributes whose value changes or becomes unknown until apply. */
function changedKeys(before: Record<string, unknown>, after: Record<string, unknown>, afterUnknown: Record<string, unknown> | undefined): string[] {
  const keys = new Set([...Object.keys(before), ...Object.keys(after), ...Object.keys(afterUnknown ?? {})]);
  return [...keys].filter((key) => containsTrue(afterUnknown?.[key]) || !isDeepStrictEqual(before[key], after[key])).sort();
}

/** Top-level attributes whose configured value changes: unknown parts and unset-vs-empty values are skipped. */
function configuredChanges(before: Record<string, unknown>, after: Record<string, unknown>, afterUnknown: Record<string, unknown> | undefined): string[] {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...keys].filter((key) => !sameConfiguredValue(before[key], after[key], afterUnknown?.[key])).sort();
}

function sameConfiguredValue(before: unknown, after: unknown, unknown: unknown): boolean {
  if (unknown === true) return true;
  const isEmpty = (value: unknown) => value === "" || value === false || (typeof value === "object" && value !== null && Object.keys(value).length === 0);
  if (after === null || after === undefined) return before === null || before === undefined || isEmpty(before);
  if (typeof before !== "object" || before === null || typeof after !== "object") return isDeepStrictEqual(before, after);
  if (Array.isArray(before) !== Array.isArray(after)) return false;
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  if (Array.isArray(before) && before.length !== (after as unknown[]).length) return false;
  const part = (value: unknown, key: string) => (value && typeof value === "object" ? (value as Record<string, unknown>)[key] : undefined);
  return [...keys].every((key) => sameConfiguredValue(part(before, key), part(after, key), part(unknown, key)));
}

function containsTrue(value: unknown): boolean {
  if (value === true) return true;
  if (value && typeof value === "object") return Object.values(value).some(containsTrue);
  return false;
}

export interface GuardResult {
  /** Protected deletions, replacements and weakened protections with no override: these fail the guard. */
  readonly blocked: readonly AnalyzedChange[];
  /** Protected deletions and replacements let through by --allow-destroy. */
  readonly allowed: readonly AnalyzedChange[];
  /** Overrides that named nothing protected in these plans. */
  readonly unusedOverrides: readonly string[];
}

/** `--allow-destroy staging:aws_s3_bucket.x` applies to one stack; a bare address to every stack given. */
export function overrideMatches(override: string, change: AnalyzedChange): boolean {
  const scoped = /^([A-Za-z0-9_-]+):(.+)$/.exec(override);
  return scoped ? scoped[1] === change.stack && scoped[2] === change.address : override === change.address;
}

export function guard(analyses: readonly StackAnalysis[], overrides: readonly string[]): GuardResult {
  const risky = analyses.flatMap((analysis) => analysis.changes.filter((change) => change.protectedReason));
  const isAllowed = (change: AnalyzedChange) => overrides.some((override) => overrideMatches(override, change));
  return {
    blocked: risky.filter((change) => !isAllowed(change)),
    allowed: risky.filter(isAllowed),
    unusedOverrides: overrides.filter((override) => !risky.some((change) => overrideMatches(override, change))),
  };
}
