import { Construct } from "constructs";
import { IamPolicy } from "@cdktf/provider-aws/lib/iam-policy";
import { GitHubRole, policyLength } from "./github-role";
import { deployStatements, type DeployScope } from "./deploy-role-policy";
import { githubSubject, mainWorkflow, PIPELINE_WORKFLOWS, type GitHubOidc } from "./github-oidc";
import { policyDocument, type PolicyStatement } from "./iam-policy";
import { ConstructPropsError } from "./errors";
import { CI_ROLE_PATH, environmentNames } from "./names";
import { workloadBoundaryArn, workloadBoundaryName, workloadBoundaryStatements, type WorkloadScope } from "./workload-boundary";

/** IAM's limit on a managed policy (characters, whitespace excluded). */
export const MANAGED_POLICY_LIMIT = 6144;
/** IAM's default quota of managed policies attached to one role (IAM and AWS STS quotas; adjustable). */
export const ATTACHED_POLICIES_QUOTA = 10;

export interface EnvironmentDeployRoleProps {
  readonly oidc: GitHubOidc;
  /** `owner/name` of the infrastructure repository, whose `environment:<env>` jobs deploy. */
  readonly repository: string;
  /** Resources the role may touch (the environment, its state, the repositories). */
  readonly scope: Omit<DeployScope, "workloadBoundaryArn">;
  /** Secrets the environment's containers reference: with its name patterns, they make the workload boundary (workload-boundary.ts). */
  readonly workloadSecrets: Pick<WorkloadScope, "ssmParameters" | "secretsManagerResources">;
  /** The environment's proxy entry: the workload boundary also caps its instance role. @default no entry */
  readonly entry?: WorkloadScope["entry"];
}

/**
 * The role that applies one environment's stack from GitHub Actions. It is capped twice: its own
 * permissions boundary (a copy of its policy, so a policy attached later by mistake adds nothing),
 * and every IAM role it creates or changes must carry the workload boundary, so it cannot mint a
 * role more powerful than a task needs.
 */
export class EnvironmentDeployRole extends Construct {
  public readonly arn: string;
  public readonly workloadBoundary: IamPolicy;
  public readonly deployBoundary: IamPolicy;

  constructor(scope: Construct, id: string, props: EnvironmentDeployRoleProps) {
    super(scope, id);
    const environment = props.scope.environment;
    const names = environmentNames(environment);
    this.workloadBoundary = managedPolicy(this, "workload-boundary", {
      name: workloadBoundaryName(environment),
      path: "/",
      description: props.entry ? `The most that the ECS task and execution roles and the entry instance role of ${environment} may do` : `The most that the ECS task and execution roles of ${environment} may do`,
      statements: workloadBoundaryStatements({ ...props.scope, ...props.workloadSecrets, entry: props.entry }),
    });
    const statements = deployStatements({
      ...props.scope,
      workloadBoundaryArn: workloadBoundaryArn(props.scope.partition, props.scope.accountId, environment),
    });
    this.deployBoundary = managedPolicy(this, "deploy-boundary", {
      name: names.deployBoundary,
      path: CI_ROLE_PATH,
      description: `Caps the GitHub Actions role that deploys ${environment}`,
      statements: boundaryStatements(statements),
    });
    // Too large for one policy (inline: 10,240 characters; managed: 6,144): managed policies, attached.
    const chunks = chunkStatements(statements, MANAGED_POLICY_LIMIT);
    if (chunks.length > ATTACHED_POLICIES_QUOTA) {
      throw new ConstructPropsError(
        `Invalid deploy role ${names.deployRole}: its permissions need ${chunks.length} managed policies, IAM attaches at most ${ATTACHED_POLICIES_QUOTA} to a role by default`,
      );
    }
    const permissions = chunks.map((chunk, index) =>
      managedPolicy(this, `permissions-${index + 1}`, {
        name: names.deployPolicy(index + 1),
        path: CI_ROLE_PATH,
        description: `What the GitHub Actions role that deploys ${environment} may do (part ${index + 1})`,
        statements: chunk,
      }),
    );
    const role = new GitHubRole(this, "role", {
      oidc: props.oidc,
      name: names.deployRole,
      description: `GitHub Actions deploys ${environment} (jobs of ${props.repository} in the GitHub environment ${environment})`,
      // Only the apply job of this repository's deploy workflow at main, in the environment.
      subjects: [githubSubject.environment(props.repository, environment, mainWorkflow(props.repository, PIPELINE_WORKFLOWS.deploy))],
      statements: [],
      attachedPolicyArns: permissions.map((policy) => policy.arn),
      permissionsBoundaryArn: this.deployBoundary.arn,
    });
    this.arn = role.arn;
  }
}

/**
 * The deploy role's ceiling, compact enough for a managed policy: its actions outside IAM on any
 * resource, and its IAM statements exactly (IAM is where a role could raise its own power). The
 * role's own policy keeps the finer resource scoping and its denies: an explicit deny in any
 * applicable policy overrides every allow (IAM User Guide, "Policy evaluation logic",
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-denyallow.html).
 */
export function boundaryStatements(statements: readonly PolicyStatement[]): PolicyStatement[] {
  const isIam = (statement: PolicyStatement) => statement.Action.some((action) => action.startsWith("iam:"));
  const allows = statements.filter((statement) => statement.Effect === "Allow");
  const ceiling = [...new Set(allows.filter((statement) => !isIam(statement)).flatMap((statement) => statement.Action))].sort();
  // IAM statements grouped by their condition (IAM's size limit on a managed policy): each IAM
  // action authorizes one resource type (Service Authorization Reference, IAM), so an action paired
  // with another type's pattern in the union (iam:GetRole on a policy, iam:CreateInstanceProfile
  // on a role) matches no request.
  //
  // iam:PassRole statements become one, with their services together: the boundary lets the role
  // pass its environment's roles to ECS tasks and to EC2; its own policy passes the task roles to
  // ECS tasks only and the entry role to EC2 only (PassTaskRoles, PassEntryRole).
  const groups = new Map<string, PolicyStatement>();
  for (const statement of mergePassRole(allows.filter(isIam))) {
    const condition = statement.Condition;
    const key = JSON.stringify(condition ?? null);
    const group = groups.get(key);
    const resources = [statement.Resource].flat().filter((resource): resource is string => resource !== undefined);
    if (!group) {
      groups.set(key, { Sid: statement.Sid, Effect: "Allow", Action: [...statement.Action], Resource: resources, ...(condition ? { Condition: condition } : {}) });
    } else {
      groups.set(key, { ...group, Action: [...new Set([...group.Action, ...statement.Action])].sort(), Resource: [...new Set([...[group.Resource].flat(), ...resources])] as string[] });
    }
  }
  // A resource matched by a pattern of the same statement adds nothing (the entry role, under `role/<prefix>-*`).
  const compact = [...groups.values()].map((statement, index) => {
    const resources = [statement.Resource].flat() as string[];
    const covered = (resource: string) => resources.some((pattern) => pattern !== resource && pattern.endsWith("*") && resource.startsWith(pattern.slice(0, -1)));
    // Short Sids (the size limit): the role's own policy names each statement.
    return { ...statement, Sid: `Iam${index + 1}`, Resource: resources.filter((resource) => !covered(resource)) };
  });
  return [{ Sid: "Ceiling", Effect: "Allow", Action: ceiling, Resource: "*" }, ...compact];
}

function mergePassRole(statements: readonly PolicyStatement[]): PolicyStatement[] {
  const isPassRole = (statement: PolicyStatement) => statement.Action.length === 1 && statement.Action[0] === "iam:PassRole";
  const passes = statements.filter(isPassRole);
  const services = passes.flatMap((statement) => [statement.Condition?.StringEquals?.["iam:PassedToService"] ?? []].flat());
  if (passes.length < 2 || passes.some((statement) => JSON.stringify(Object.keys(statement.Condition ?? {})) !== JSON.stringify(["StringEquals"]))) return [...statements];
  const merged: PolicyStatement = {
    Sid: passes[0].Sid,
    Effect: "Allow",
    Action: ["iam:PassRole"],
    Resource: [...new Set(passes.flatMap((statement) => [statement.Resource].flat() as string[]))],
    Condition: { StringEquals: { "iam:PassedToService": [...new Set(services)].sort() } },
  };
  return statements.flatMap((statement) => (statement === passes[0] ? [merged] : isPassRole(statement) ? [] : [statement]));
}

/** Statements packed in order into documents that each fit the limit. */
export function chunkStatements(statements: readonly PolicyStatement[], limit: number): PolicyStatement[][] {
  const chunks: PolicyStatement[][] = [[]];
  for (const statement of statements) {
    const current = chunks[chunks.length - 1];
    if (current.length > 0 && policyLength(policyDocument([...current, statement])) > limit) chunks.push([statement]);
    else current.push(statement);
  }
  return chunks;
}

function managedPolicy(
  scope: Construct,
  id: string,
  props: { name: string; path: string; description: string; statements: readonly PolicyStatement[] },
): IamPolicy {
  const document = policyDocument(props.statements);
  if (policyLength(document) > MANAGED_POLICY_LIMIT) {
    throw new ConstructPropsError(`Invalid policy ${props.name}: ${policyLength(document)} characters, IAM allows ${MANAGED_POLICY_LIMIT} in a managed policy`);
  }
  return new IamPolicy(scope, id, { name: props.name, path: props.path, description: props.description, policy: document });
}
