import { Construct } from "constructs";
import { TerraformOutput, TerraformStack } from "cdktf";
import { CONTAINER_NAMES, REPOSITORY_NAMES, type EnvironmentConfig, type RegistryConfig } from "../config/model";
import { DeliveryRoles, MIGRATION_ENVIRONMENT } from "../constructs/delivery-roles";
import { EcrRepository } from "../constructs/ecr-repository";
import { stateKey } from "../constructs/names";
import { secretsManagerResource, type SecretReference } from "../config/secrets";
import { addStackFoundation } from "./common";

export const REGISTRY_STACK = "registry";

/**
 * The ECR repositories every environment pulls from, and the delivery pipeline's GitHub OIDC trust
 * and roles. Applied by an administrator, never by CI (a role able to apply this stack could
 * rewrite its own trust); never destroyed by a deploy.
 */
export class RegistryStack extends TerraformStack {
  public readonly repositories: Readonly<Record<(typeof CONTAINER_NAMES)[number], EcrRepository>>;
  public readonly deliveryRoles: DeliveryRoles;

  constructor(scope: Construct, config: RegistryConfig, environments: readonly EnvironmentConfig[] = []) {
    super(scope, REGISTRY_STACK);
    addStackFoundation(this, { stackName: REGISTRY_STACK, region: config.region, stateBucket: config.stateBucket });
    const repository = (name: (typeof CONTAINER_NAMES)[number]) =>
      new EcrRepository(this, `${name}-repository`, {
        name: REPOSITORY_NAMES[name],
        keepImages: config.keepImages,
        untaggedDays: config.untaggedDays,
        releaseTagPrefix: config.releaseTagPrefix,
        keepReleases: config.keepReleases,
        importExisting: config.importExisting,
      });
    this.repositories = { api: repository("api"), web: repository("web") };
    for (const name of CONTAINER_NAMES) {
      new TerraformOutput(this, `${name}_repository_url`, {
        value: this.repositories[name].repositoryUrl,
        description: `URL of the ${REPOSITORY_NAMES[name]} repository (docker push target)`,
      });
    }

    this.deliveryRoles = new DeliveryRoles(this, "delivery", {
      repositoryArns: CONTAINER_NAMES.map((name) => this.repositories[name].arn),
      registryState: { bucket: config.stateBucket, key: stateKey(REGISTRY_STACK) },
      environments: environments.map((environment) => ({
        name: environment.name,
        region: environment.region,
        state: { bucket: environment.stateBucket, key: stateKey(environment.name) },
        secrets: workloadSecrets(CONTAINER_NAMES.flatMap((name) => environment.containers[name].secrets.map((secret) => secret.reference))),
        siteDomain: environment.domain?.dns === "route53" ? { name: environment.domain.name, hostedZoneId: environment.domain.route53ZoneId } : undefined,
        // The entry reads the DuckDNS token only when DuckDNS holds the name (as the environment stack wires it).
        entry: environment.entryProxy === undefined ? undefined : { tokenParameterName: environment.domain?.dns === "duckdns" ? environment.entryProxy.duckDnsTokenParameter : undefined },
      })),
      appRepository: config.github.appRepository,
      infraRepository: config.github.infraRepository,
      existingOidcProviderArn: config.github.oidcProviderArn,
      // Migration mode (adopting the old repositories) is also when images are copied from GHCR.
      migrationEnvironment: config.importExisting ? MIGRATION_ENVIRONMENT : undefined,
    });
  }
}

/** The containers' secret references as the IAM resources the workload boundary grants. */
function workloadSecrets(references: readonly SecretReference[]) {
  return {
    ssmParameters: references.flatMap((reference) =>
      reference.service !== "ssm" ? [] : [reference.arn !== undefined ? { arn: reference.arn } : { name: reference.parameterName }],
    ),
    secretsManagerResources: references.flatMap((reference) => (reference.service === "secretsmanager" ? [secretsManagerResource(reference.secretArn)] : [])),
  };
}
