import { unique, type PolicyStatement } from "./iam-policy";
import { arnBuilder, environmentNames, environmentPatterns, type AccountLocation } from "./names";
import { executionRoleStatements } from "./task-roles";
import { entryBoundaryStatements } from "./deploy-role-entry";

/*
 * The workload boundary: the managed policy that every IAM role an environment's deploy role
 * creates must carry (the ECS task and execution roles, and the proxy entry's instance role). It is
 * the execution role's own statements (task-roles.ts) built with the environment's name patterns
 * instead of its resources' ARNs, so a permission added to the execution role reaches the boundary
 * with it; with the entry, also the instance role's statements (entry-proxy.ts
 * entryInstanceStatements, Session Manager's included, on the same patterns).
 */

/** SSM parameters the environment's containers read: an ARN, or a name in the environment's account and region. */
export type WorkloadParameter = { readonly arn: string } | { readonly name: string };

/** What the task and execution roles of an environment may ever do: the cap of its workload boundary. */
export interface WorkloadScope extends AccountLocation {
  readonly region: string;
  /** Environment (stack) name. */
  readonly environment: string;
  readonly repositoryArns: readonly string[];
  /** SSM parameters the environment's config references (beyond `/city-guided/<env>/`). */
  readonly ssmParameters: readonly WorkloadParameter[];
  /** Secrets Manager resources the config references (beyond `city-guided/<env>/`): exact ARNs or `<arn>-??????`. */
  readonly secretsManagerResources: readonly string[];
  /** The proxy entry's instance role (entry-proxy.ts), and the DuckDNS token parameter it reads. @default no entry */
  readonly entry?: { readonly tokenParameterName?: string };
}

/** The execution role's statements on the environment's patterns (names.ts) and its referenced secrets. */
export function workloadBoundaryStatements(scope: WorkloadScope): PolicyStatement[] {
  const arn = arnBuilder(scope);
  const patterns = environmentPatterns(scope.environment, arn);
  const parameterArns = scope.ssmParameters.map((parameter) => ("arn" in parameter ? parameter.arn : arn("ssm", `parameter${parameter.name}`)));
  const execution = executionRoleStatements({
    repositoryArns: scope.repositoryArns,
    // The environment's log groups and their streams (whichever ARN CloudWatch Logs authorizes the call on).
    logResources: [patterns.logGroups],
    ssmParameterArns: unique([patterns.parameters, ...parameterArns]),
    secretsManagerArns: unique([patterns.secrets, ...scope.secretsManagerResources]),
  });
  // The entry's instance role: its inline policy with the environment's patterns.
  return scope.entry ? [...execution, ...entryBoundaryStatements({ ...scope, tokenParameterName: scope.entry.tokenParameterName })] : execution;
}

/** Name of the boundary that the task and execution roles of an environment carry. */
export function workloadBoundaryName(environment: string): string {
  return environmentNames(environment).workloadBoundary;
}

/** ARN of that boundary, computed from names (the environment stack holds no reference to the registry stack). */
export function workloadBoundaryArn(partition: string, accountId: string, environment: string): string {
  return environmentPatterns(environment, arnBuilder({ partition, accountId, region: "" })).workloadBoundary;
}
