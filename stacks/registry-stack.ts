import { Construct } from "constructs";
import { TerraformOutput, TerraformStack } from "cdktf";
import { CONTAINER_NAMES, REPOSITORY_NAMES, type RegistryConfig } from "../config/model";
import { EcrRepository } from "../constructs/ecr-repository";
import { addStackFoundation } from "./common";

export const REGISTRY_STACK = "registry";

/** The ECR repositories every environment pulls from. Applied once, never destroyed by a deploy. */
export class RegistryStack extends TerraformStack {
  public readonly repositories: Readonly<Record<(typeof CONTAINER_NAMES)[number], EcrRepository>>;

  constructor(scope: Construct, config: RegistryConfig) {
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
  }
}
