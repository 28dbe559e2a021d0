/**
 * The wildcard-action rule on IAM policy documents. An Allow statement may not grant `*` or
 * `<service>:*` (partial wildcards such as `s3:Get*` pass), nor use NotAction (an Allow with
 * NotAction grants every action except the listed ones). Deny statements may use wildcards: a
 * broad deny only takes permissions away (e.g. "deny s3:* without TLS").
 */

const WILDCARD_ACTION = /^(\*+|[A-Za-z0-9*-]+:\*+)$/;
const POLICY_DOCUMENT_REFERENCE = /^\$\{data\.aws_iam_policy_document\.[A-Za-z0-9_-]+\.json\}$/;

/** Where policies live: resource type -> how to get the policy documents out of its resolved attributes. */
export const POLICY_DOCUMENTS: Readonly<Record<string, (attributes: Record<string, any>) => { where: string; document: unknown }[]>> = {
  aws_iam_policy: (a) => [{ where: "policy", document: a.policy }],
  aws_iam_role_policy: (a) => [{ where: "policy", document: a.policy }],
  aws_iam_user_policy: (a) => [{ where: "policy", document: a.policy }],
  aws_iam_group_policy: (a) => [{ where: "policy", document: a.policy }],
  aws_iam_role: (a) => [
    { where: "assume_role_policy", document: a.assume_role_policy },
    ...asArray(a.inline_policy).map((inline: any, index) => ({ where: `inline_policy[${index}]`, document: inline?.policy })),
  ],
  // Resource policies: a wildcard there is as broad as in an identity policy.
  aws_s3_bucket_policy: (a) => [{ where: "policy", document: a.policy }],
  aws_sns_topic_policy: (a) => [{ where: "policy", document: a.policy }],
  aws_kms_key: (a) => [{ where: "policy", document: a.policy }],
  aws_sqs_queue_policy: (a) => [{ where: "policy", document: a.policy }],
  aws_ecr_repository_policy: (a) => [{ where: "policy", document: a.policy }],
};

/** Problems of one policy document (a JSON string, possibly holding `${...}` Terraform references). */
export function policyDocumentProblems(document: unknown): string[] {
  if (document === undefined || document === null) return [];
  if (typeof document !== "string") return statementsProblems(document);
  // A reference to a policy document data source is checked where it is built (that data source).
  if (POLICY_DOCUMENT_REFERENCE.test(document.trim())) return [];
  if (document.trim().startsWith("${")) {
    return ["is a Terraform expression the policy cannot read: build it with JSON.stringify or an aws_iam_policy_document"];
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(document);
  } catch {
    return ["is not valid JSON, so the policy cannot check its actions: build it with JSON.stringify"];
  }
  return statementsProblems(parsed);
}

/** How a message names a statement: its Sid, or its position. */
function statementLabel(sid: unknown, index: number): string {
  return typeof sid === "string" && sid !== "" ? `statement "${sid}"` : `statement #${index + 1}`;
}

function statementsProblems(document: unknown): string[] {
  const statements = asArray((document as { Statement?: unknown })?.Statement);
  return statements.flatMap((statement: any, index) => {
    return allowProblems(statementLabel(statement?.Sid, index), statement?.Effect ?? "Allow", statement?.Action, statement?.NotAction);
  });
}

/** `aws_iam_policy_document` data source: `statement[].actions / not_actions`, effect Allow by default. */
export function policyDocumentDataProblems(attributes: Record<string, any>): string[] {
  return asArray(attributes.statement).flatMap((statement: any, index) => {
    return allowProblems(statementLabel(statement?.sid, index), statement?.effect ?? "Allow", statement?.actions, statement?.not_actions);
  });
}

function allowProblems(label: string, effect: unknown, actions: unknown, notActions: unknown): string[] {
  if (effect !== "Allow") return [];
  const problems: string[] = [];
  const wildcards = asArray(actions).filter((action) => typeof action === "string" && WILDCARD_ACTION.test(action));
  if (wildcards.length > 0) {
    problems.push(`${label} allows ${wildcards.map((action) => `"${action}"`).join(", ")}: list the actions the role needs`);
  }
  if (notActions !== undefined && asArray(notActions).length > 0) {
    problems.push(`${label} allows with NotAction, which grants every other action: list the allowed actions instead`);
  }
  return problems;
}

function asArray(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}
