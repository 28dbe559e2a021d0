import { UserError } from "../cli/errors";
import { EXIT } from "../cli/exit-codes";

/**
 * Reading `terraform show -json <planfile>` output (Terraform's documented "JSON Output Format",
 * format_version 1.x), refusing anything else with a one-line reason (exit 2, EXIT.notAPlan).
 */

export type PlanAction = "no-op" | "create" | "read" | "update" | "delete" | "forget";

/** One entry of `resource_changes`, the fields the guard reads. */
export interface ResourceChange {
  readonly address: string;
  readonly mode: "managed" | "data";
  readonly type: string;
  readonly change: {
    readonly actions: readonly PlanAction[];
    readonly before?: unknown;
    readonly after?: unknown;
    readonly after_unknown?: unknown;
    /** Attribute paths that force the replacement, e.g. [["name"], ["ingress", 0, "cidr_blocks"]]. */
    readonly replace_paths?: readonly (readonly (string | number)[])[];
    /** Present when the plan imports the object (Terraform >= 1.5 `import` blocks). */
    readonly importing?: { readonly id?: string };
  };
  readonly action_reason?: string;
  /** Set on a deposed object (a leftover of an interrupted create-before-destroy). */
  readonly deposed?: string;
}

export interface Plan {
  readonly formatVersion: string;
  readonly resourceChanges: readonly ResourceChange[];
}

/**
 * Every action list Terraform writes, and nothing else: the comment on `Change.Actions` and
 * `actionString` in hashicorp/terraform internal/command/jsonplan/plan.go (format 1.2). `forget`
 * (Terraform >= 1.7, a `removed` block with `destroy = false`) drops the object from the state and
 * keeps it; `["create", "forget"]` is a replacement that forgets the old object instead of deleting it.
 * Any other list is refused: a guard that guessed would fail open.
 */
export const ACTION_LISTS = ["no-op", "create", "read", "update", "delete,create", "create,delete", "delete", "forget", "create,forget"] as const;

/** Input that is not a Terraform JSON plan: one line, exit 2 (the pull-request workflow reads it). */
export function notAPlan(message: string): UserError {
  return new UserError(message, EXIT.notAPlan);
}

const EXPECTED = "expected a Terraform JSON plan (terraform show -json <planfile>)";

export function parsePlan(raw: string, file: string): Plan {
  // A byte order mark (Windows editors, PowerShell's Out-File) is not part of the JSON.
  const text = raw.replace(/^\uFEFF/, "");
  if (text.trim() === "") throw notAPlan(`${file} is empty: ${EXPECTED}`);
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    throw notAPlan(`${file} is not JSON: ${EXPECTED}`);
  }
  if (json === null || typeof json !== "object" || Array.isArray(json)) throw notAPlan(`${file} is not a JSON object: ${EXPECTED}`);
  if ("lineage" in json && "serial" in json) {
    throw notAPlan(`${file} is a Terraform state file (terraform.tfstate), not a plan: ${EXPECTED}`);
  }
  if (typeof json.format_version !== "string") throw notAPlan(`${file} has no format_version: ${EXPECTED}`);
  if (!/^1\.\d+$/.test(json.format_version)) {
    throw notAPlan(`${file} has format_version "${json.format_version}": ${EXPECTED} with format_version 1.x`);
  }
  // `terraform show -json` of a state has `values`; a plan has `planned_values` (and `resource_changes` when anything changes).
  if (!("planned_values" in json) && !("resource_changes" in json)) {
    const what = "values" in json ? "is the JSON of a Terraform state (terraform show -json without a plan file)" : "has no planned_values or resource_changes";
    throw notAPlan(`${file} ${what}: ${EXPECTED}`);
  }
  const changes: unknown = json.resource_changes ?? [];
  if (!Array.isArray(changes)) throw notAPlan(`${file}: resource_changes is not a list: ${EXPECTED}`);
  changes.forEach((change: any, index) => {
    if (typeof change?.address !== "string" || typeof change?.type !== "string" || !Array.isArray(change?.change?.actions)) {
      throw notAPlan(`${file}: resource_changes[${index}] lacks address, type or change.actions: ${EXPECTED}`);
    }
    const actions = (change.change.actions as unknown[]).map(String).join(",");
    if (!(ACTION_LISTS as readonly string[]).includes(actions) || !change.change.actions.every((action: unknown) => typeof action === "string")) {
      throw notAPlan(
        `${file}: resource_changes[${index}] (${change.address}) has actions ${JSON.stringify(change.change.actions)}, which Terraform never writes (known: ${ACTION_LISTS.map((list) => `[${list}]`).join(" ")}); refusing to guess what it does`,
      );
    }
    // The fields the guard reads beyond those: a wrong shape is bad input (exit 2), not a crash.
    const { replace_paths: paths, importing } = change.change;
    if (paths !== undefined && !(Array.isArray(paths) && paths.every((path: unknown) => Array.isArray(path)))) {
      throw notAPlan(`${file}: resource_changes[${index}].change.replace_paths is not a list of paths: ${EXPECTED}`);
    }
    if (importing !== undefined && (importing === null || typeof importing !== "object")) {
      throw notAPlan(`${file}: resource_changes[${index}].change.importing is not an object: ${EXPECTED}`);
    }
  });
  return { formatVersion: json.format_version, resourceChanges: changes as ResourceChange[] };
}
