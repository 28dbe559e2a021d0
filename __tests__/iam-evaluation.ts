import type { Statement } from "./pipeline-helpers";

/**
 * A small model of IAM's policy evaluation, enough for the project's own policies: an action and a
 * resource match with `*` and `?` wildcards (actions case-insensitively), conditions with the
 * operators the project uses, an explicit Deny wins, and a request needs an Allow from the
 * identity policy AND from the permissions boundary (IAM User Guide, "Policy evaluation logic").
 * An operator it does not know fails the test rather than guessing.
 */

/** One request as IAM sees it. */
export interface IamRequest {
  readonly action: string;
  readonly resource: string;
  /** Condition keys present in the request; an absent key is absent. */
  readonly context?: Readonly<Record<string, string>>;
}

export type Decision = "allowed" | "implicit deny" | "explicit deny";

// The coverage tests evaluate tens of thousands of requests against a few hundred patterns: compile each once.
const compiled = new Map<string, RegExp>();

function wildcard(pattern: string, caseInsensitive: boolean): RegExp {
  const key = `${caseInsensitive ? "i" : "s"}${pattern}`;
  let regex = compiled.get(key);
  if (regex === undefined) {
    const body = pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".");
    regex = new RegExp(`^${body}$`, caseInsensitive ? "is" : "s");
    compiled.set(key, regex);
  }
  return regex;
}

export function matchesAction(patterns: readonly string[], action: string): boolean {
  return patterns.some((pattern) => wildcard(pattern, true).test(action));
}

export function matchesResource(patterns: string | readonly string[] | undefined, resource: string): boolean {
  return [patterns ?? []].flat().some((pattern) => wildcard(pattern, false).test(resource));
}

/**
 * IAM User Guide, "IAM JSON policy elements: Condition operators": a key absent from the request
 * makes a positive operator false and a negated one (StringNotEquals...) true; Null "true" means
 * absent, "false" present; every operator and every key of a statement must hold.
 */
function operatorHolds(operator: string, key: string, expected: readonly string[], context: Readonly<Record<string, string>>): boolean {
  const value = context[key];
  switch (operator) {
    case "StringEquals":
      return value !== undefined && expected.includes(value);
    case "StringNotEquals":
      return value === undefined || !expected.includes(value);
    case "StringLike":
    case "ArnLike":
    case "ArnEquals":
      return value !== undefined && expected.some((pattern) => wildcard(pattern, false).test(value));
    // Requests here carry one value per key: ForAllValues holds when that value matches (or the key is absent, as IAM says).
    case "ForAllValues:StringEquals":
      return value === undefined || expected.includes(value);
    case "ForAllValues:StringLike":
      return value === undefined || expected.some((pattern) => wildcard(pattern, false).test(value));
    case "Null":
      return expected.includes(String(value === undefined));
    default:
      throw new Error(`iam-evaluation: condition operator ${operator} is not modelled`);
  }
}

export function conditionHolds(condition: Statement["Condition"], context: Readonly<Record<string, string>> = {}): boolean {
  return Object.entries(condition ?? {}).every(([operator, keys]) =>
    Object.entries(keys).every(([key, expected]) => operatorHolds(operator, key, [expected].flat(), context)),
  );
}

function applies(statement: Statement, request: IamRequest): boolean {
  return matchesAction(statement.Action, request.action) && matchesResource(statement.Resource, request.resource) && conditionHolds(statement.Condition, request.context);
}

/** One policy set (a role's policies, or its boundary) on its own. */
export function evaluate(statements: readonly Statement[], request: IamRequest): Decision {
  const matching = statements.filter((statement) => applies(statement, request));
  if (matching.some((statement) => statement.Effect === "Deny")) return "explicit deny";
  return matching.some((statement) => statement.Effect === "Allow") ? "allowed" : "implicit deny";
}

/** A role with its identity policies and, when it has one, its permissions boundary. */
export function decide(identity: readonly Statement[], boundary: readonly Statement[] | undefined, request: IamRequest): Decision {
  const decisions = [evaluate(identity, request), ...(boundary ? [evaluate(boundary, request)] : [])];
  if (decisions.includes("explicit deny")) return "explicit deny";
  return decisions.every((decision) => decision === "allowed") ? "allowed" : "implicit deny";
}
