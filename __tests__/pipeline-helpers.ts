import { conditionHolds } from "./iam-evaluation";
import { MINIMAL_SHARED, configFrom, synthProject, type SynthesizedStack } from "./helpers";

export const APP_REPOSITORY = "elzinko/city-guided";
export const INFRA_REPOSITORY = "elzinko/city-guided-infrastructure";
export const PIPELINE_SHARED = `${MINIMAL_SHARED}INFRA_GITHUB_APP_REPOSITORY=${APP_REPOSITORY}\nINFRA_GITHUB_INFRA_REPOSITORY=${INFRA_REPOSITORY}\n`;

export interface Statement {
  Sid: string;
  Effect: string;
  Action: string[];
  Resource?: string | string[];
  Principal?: Record<string, string>;
  Condition?: Record<string, Record<string, string | string[]>>;
}

/** A pipeline role of the registry stack, with its trust, inline policy and boundary parsed. */
export interface RoleView {
  resource: any;
  logicalId: string;
  trust: Statement[];
  policy: Statement[];
}

export function pipelineStacks(environments: Record<string, string> = { staging: "", production: "" }, shared = PIPELINE_SHARED) {
  return synthProject(configFrom(environments, shared));
}

export function role(registry: SynthesizedStack, name: string): RoleView {
  const entry = Object.entries(registry.resources("aws_iam_role")).find(([, resource]) => resource.name === name);
  if (!entry) throw new Error(`no role ${name}`);
  const [logicalId, resource] = entry;
  const inline = Object.values(registry.resources("aws_iam_role_policy")).filter((policy: any) => policy.role === `\${aws_iam_role.${logicalId}.id}`);
  const attachedIds = Object.values(registry.resources("aws_iam_role_policy_attachment"))
    .filter((attachment: any) => attachment.role === `\${aws_iam_role.${logicalId}.name}`)
    .map((attachment: any) => /^\$\{aws_iam_policy\.(.+)\.arn\}$/.exec(attachment.policy_arn)![1]);
  const attached = attachedIds.map((id) => registry.resources("aws_iam_policy")[id]);
  return {
    resource,
    logicalId,
    trust: JSON.parse(resource.assume_role_policy).Statement,
    policy: [...inline, ...attached].flatMap((policy: any) => JSON.parse(policy.policy).Statement),
  };
}

export function managedPolicy(registry: SynthesizedStack, name: string): Statement[] {
  const found = Object.values(registry.resources("aws_iam_policy")).find((policy: any) => policy.name === name) as any;
  if (!found) throw new Error(`no managed policy ${name}`);
  return JSON.parse(found.policy).Statement;
}

export function statement(statements: Statement[], sid: string): Statement {
  const found = statements.find((candidate) => candidate.Sid === sid);
  if (!found) throw new Error(`no statement ${sid}`);
  return found;
}

export function resources(found: Statement): string[] {
  return [found.Resource ?? []].flat();
}

export function actionsOf(statements: Statement[]): string[] {
  return statements.filter((found) => found.Effect === "Allow").flatMap((found) => found.Action);
}

const GITHUB_OIDC_HOST = "token.actions.githubusercontent.com";

/** Whether a trust statement lets in a token with this `sub` (and the audience the workflows ask for), by the coverage tests' IAM evaluator. */
export function trusts(statement: { Condition?: Record<string, Record<string, string | string[]>> }, subject: string): boolean {
  return conditionHolds(statement.Condition, { [`${GITHUB_OIDC_HOST}:sub`]: subject, [`${GITHUB_OIDC_HOST}:aud`]: "sts.amazonaws.com" });
}
