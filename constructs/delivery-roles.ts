import { Construct } from "constructs";
import { TerraformOutput } from "cdktf";
import { DataAwsCallerIdentity } from "@cdktf/provider-aws/lib/data-aws-caller-identity";
import { DataAwsPartition } from "@cdktf/provider-aws/lib/data-aws-partition";
import { GitHubRole } from "./github-role";
import { readOnlyStatements, siteDomainReadStatements, stateStatements, type StateLocation } from "./plan-role-policy";
import type { DeploySiteDomain } from "./deploy-role-policy";
import { amiParameterArn } from "./deploy-role-entry";
import { pushStatements } from "./push-role-policy";
import { EnvironmentDeployRole } from "./deploy-role";
import { ConstructPropsError } from "./errors";
import { GitHubOidc, githubSubject, mainWorkflow, PIPELINE_WORKFLOWS } from "./github-oidc";
import { arnBuilder, CI_ROLE_PATH, environmentPrefix, PIPELINE_ROLE_NAMES, PROJECT_NAME_PATTERN, STATE_KEY_PATTERN } from "./names";
import type { WorkloadScope } from "./workload-boundary";

/** One environment as the pipeline's roles see it. */
export interface DeliveryEnvironment {
  readonly name: string;
  readonly region: string;
  readonly state: StateLocation;
  /** Secrets its containers reference: the workload boundary allows reading these beyond `city-guided/<env>/`. */
  readonly secrets: Pick<WorkloadScope, "ssmParameters" | "secretsManagerResources">;
  /** Its own name in a Route 53 zone: its deploy role manages the certificate and those records. @default none */
  readonly siteDomain?: DeploySiteDomain;
  /** It has the proxy entry (entry-proxy.ts); the DuckDNS token's parameter name, which its instance role reads. @default no entry */
  readonly entry?: { readonly tokenParameterName?: string };
}

export interface DeliveryRolesProps {
  /** The two ECR repositories. */
  readonly repositoryArns: readonly string[];
  /** The registry stack's own state. */
  readonly registryState: StateLocation;
  readonly environments: readonly DeliveryEnvironment[];
  /** `owner/name` whose main branch pushes images. @default no push role */
  readonly appRepository?: string;
  /** `owner/name` of this repository: pull requests plan, environments deploy. @default no plan or deploy roles */
  readonly infraRepository?: string;
  /** The account's existing GitHub OIDC provider. @default one is created */
  readonly existingOidcProviderArn?: string;
  /**
   * GitHub environment of this repository whose jobs may also push images (the migration's copy
   * from GHCR). Trust it only while the migration lasts: GitHub creates an environment that a
   * workflow names, so deleting it does not close the door; removing it from the trust does.
   * @default none: only the app repository's main branch pushes
   */
  readonly migrationEnvironment?: string;
}

/**
 * Environments an account supports (names of 16 characters, the longest allowed). The pipeline's
 * policies do not grow with the number of environments (the plan role reads `city-guided/*.tfstate`
 * per bucket); what bounds it is IAM's default account quotas ("IAM and AWS STS quotas", IAM User
 * Guide; both adjustable): 1,000 roles (3 per environment: deploy, execution, task; plus push, plan
 * and three service-linked roles) and 1,500 customer managed policies (4 per environment). 300
 * leaves about 95 roles and 300 policies for the rest of the account.
 */
export const SUPPORTED_ENVIRONMENTS = 300;

/** GitHub environment of the workflow that copies images from GHCR (copy-images-from-ghcr.yml). */
export const MIGRATION_ENVIRONMENT = "ecr-migration";

/**
 * The AWS side of the delivery pipeline: the GitHub OIDC provider and the roles workflows assume —
 * push (the app repository's main branch), plan (this repository's pull requests, and its main
 * branch for drift detection; read-only) and one deploy role per environment. Their ARNs are
 * outputs, to be set as repository variables.
 */
export class DeliveryRoles extends Construct {
  public readonly oidc?: GitHubOidc;
  public readonly pushRole?: GitHubRole;
  public readonly planRole?: GitHubRole;
  public readonly deployRoles: Readonly<Record<string, EnvironmentDeployRole>> = {};

  constructor(scope: Construct, id: string, props: DeliveryRolesProps) {
    super(scope, id);
    if (!props.appRepository && !props.infraRepository) return;
    refuseNestedEnvironments(props.environments.map((environment) => environment.name));
    const oidc = new GitHubOidc(this, "github-oidc", { existingProviderArn: props.existingOidcProviderArn });
    this.oidc = oidc;
    const location = {
      partition: new DataAwsPartition(this, "partition").partition,
      accountId: new DataAwsCallerIdentity(this, "account").accountId,
    };
    const iam = (resource: string) => `arn:${location.partition}:iam::${location.accountId}:${resource}`;

    if (props.appRepository) {
      if (!props.infraRepository) throw new ConstructPropsError("Invalid pipeline: the push role trusts the build workflow of the infrastructure repository, which is not set");
      const migration = props.migrationEnvironment && props.infraRepository ? { repository: props.infraRepository, environment: props.migrationEnvironment } : undefined;
      this.pushRole = new GitHubRole(this, "push", {
        oidc,
        name: PIPELINE_ROLE_NAMES.push,
        description:
          `GitHub Actions pushes images (main branch of ${props.appRepository}` +
          (migration ? `; environment ${migration.environment} of ${migration.repository} during the migration)` : ")"),
        subjects: [
          // The app repository's main, running this repository's build workflow at main (not its own jobs).
          githubSubject.branch(props.appRepository, "main", mainWorkflow(props.infraRepository, PIPELINE_WORKFLOWS.buildImages)),
          ...(migration
            ? [githubSubject.environment(migration.repository, migration.environment, mainWorkflow(migration.repository, PIPELINE_WORKFLOWS.copyImages))]
            : []),
        ],
        statements: pushStatements(props.repositoryArns),
      });
      output(this, "push_role_arn", this.pushRole.arn, "Role the image build assumes (repository variable AWS_PUSH_ROLE_ARN)");
    }
    if (!props.infraRepository) return;
    const infra = props.infraRepository;
    this.planRole = new GitHubRole(this, "plan", {
      oidc,
      name: PIPELINE_ROLE_NAMES.plan,
      description: `GitHub Actions plans every stack, read-only (pull requests, drift detection and deploy plans of ${infra})`,
      subjects: [
        githubSubject.pullRequest(infra, PIPELINE_WORKFLOWS.pullRequest),
        githubSubject.branch(infra, "main", mainWorkflow(infra, PIPELINE_WORKFLOWS.drift)),
        // The plan job of a deploy, before the environment's approval gate.
        githubSubject.branch(infra, "main", mainWorkflow(infra, PIPELINE_WORKFLOWS.deploy)),
      ],
      sizeHint: `the plan role reads the state of every stack, one entry per state bucket (${planStates(props).length} distinct INFRA_STATE_BUCKET values); the number of environments does not count, but each bucket does: share fewer buckets`,
      statements: [
        // One pattern per state bucket, not one key per stack: the policy does not grow with the environments.
        ...stateStatements(planStates(props), location.partition, false),
        ...readOnlyStatements(props.repositoryArns, [
          iam(`role/${PROJECT_NAME_PATTERN}`),
          iam(`policy/${PROJECT_NAME_PATTERN}`),
          iam(`role${CI_ROLE_PATH}${PROJECT_NAME_PATTERN}`),
          iam(`policy${CI_ROLE_PATH}${PROJECT_NAME_PATTERN}`),
          iam(`instance-profile/${PROJECT_NAME_PATTERN}`),
          oidc.providerArn,
        ], [arnBuilder({ ...location, region: "" })("cloudwatch", `dashboard/${PROJECT_NAME_PATTERN}`)]),
        // Only when an environment has a site domain: the policy is unchanged otherwise.
        ...siteDomainReadStatements(
          location.partition,
          location.accountId,
          props.environments.flatMap((environment) => (environment.siteDomain ? [environment.siteDomain.hostedZoneId] : [])),
        ),
        // Only when an environment has the proxy entry: the AMI's public parameter (data aws_ssm_parameter).
        ...(props.environments.some((environment) => environment.entry !== undefined)
          ? [{ Sid: "ReadAmiParameter", Effect: "Allow" as const, Action: ["ssm:GetParameter"], Resource: [amiParameterArn(location.partition, "*")] }]
          : []),
      ],
    });
    output(this, "plan_role_arn", this.planRole.arn, "Role pull requests and drift detection assume (repository variable AWS_PLAN_ROLE_ARN)");

    const deployRoles: Record<string, EnvironmentDeployRole> = {};
    for (const environment of props.environments) {
      deployRoles[environment.name] = this.deployRole(oidc, infra, environment, { ...props, ...location });
      output(this, `deploy_role_arn_${environment.name}`, deployRoles[environment.name].arn, `Role that deploys ${environment.name}`);
    }
    this.deployRoles = deployRoles;
  }

  private deployRole(
    oidc: GitHubOidc,
    repository: string,
    environment: DeliveryEnvironment,
    props: DeliveryRolesProps & { partition: string; accountId: string },
  ): EnvironmentDeployRole {
    return new EnvironmentDeployRole(this, `deploy-${environment.name}`, {
      oidc,
      repository,
      scope: {
        partition: props.partition,
        accountId: props.accountId,
        region: environment.region,
        environment: environment.name,
        state: environment.state,
        repositoryArns: props.repositoryArns,
        siteDomain: environment.siteDomain,
        entry: environment.entry !== undefined,
      },
      workloadSecrets: environment.secrets,
      entry: environment.entry,
    });
  }
}

/**
 * A deploy role reaches its environment's resources by name patterns (`city-guided-staging-*`),
 * which would also match those of an environment whose name extends it with a dash (`staging-eu`).
 * Such names are refused, here and in config (config/environment-names.ts), rather than denied one
 * by one: a deny per nested environment made each deploy policy grow with the others' names.
 */
function refuseNestedEnvironments(names: readonly string[]): void {
  for (const name of names) {
    const nested = names.find((other) => other !== name && environmentPrefix(other).startsWith(`${environmentPrefix(name)}-`));
    if (nested) {
      throw new ConstructPropsError(
        `Invalid environment names "${name}" and "${nested}": "${nested}" extends "${name}" with a dash, so the deploy role of ${name} would match its resources; rename one`,
      );
    }
  }
}

/**
 * What the plan role reads: every stack's state key (`city-guided/*.tfstate`) in each bucket that
 * holds one. A stack's key is its only object there that matches; the lock objects (`.tflock`) do not.
 */
function planStates(props: DeliveryRolesProps): StateLocation[] {
  const buckets = [props.registryState, ...props.environments.map((environment) => environment.state)].map((state) => state.bucket);
  return [...new Set(buckets)].map((bucket) => ({ bucket, key: STATE_KEY_PATTERN }));
}

function output(scope: Construct, id: string, value: string, description: string): void {
  // A stable name (`push_role_arn`), not one derived from the construct path: workflows and docs cite it.
  new TerraformOutput(scope, id, { value, description }).overrideLogicalId(id);
}
