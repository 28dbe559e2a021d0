import { UserError } from "../cli/errors";
import { runMain } from "../cli/main";
import { loadConfig } from "../config/load";
import { REPOSITORY_NAMES } from "../config/model";
import { environmentNames } from "../constructs/names";
import { REGISTRY_STACK } from "../stacks/registry-stack";

/**
 * What the workflows need to know about the stacks, from the same env files the stacks come from:
 *   pipeline-info.ts stacks        one stack name a line (registry first)
 *   pipeline-info.ts <env>         KEY=value lines for $GITHUB_ENV (region, cluster, service, ...)
 */
runMain(() => {
  const config = loadConfig("env");
  const [target] = process.argv.slice(2);
  if (target === "stacks") {
    process.stdout.write([REGISTRY_STACK, ...config.environments.map((environment) => environment.name)].join("\n") + "\n");
    return;
  }
  const environment = config.environments.find((candidate) => candidate.name === target);
  if (!environment) {
    throw new UserError(`Unknown environment "${target ?? ""}": expected one of ${config.environments.map((candidate) => candidate.name).join(", ")} or "stacks"`);
  }
  const names = environmentNames(environment.name);
  const values: Record<string, string> = {
    AWS_REGION: environment.region,
    REGISTRY_REGION: config.registry.region,
    ECS_CLUSTER: names.cluster,
    ECS_SERVICE: names.service,
    LOAD_BALANCER: names.loadBalancer,
    RELEASE_TAG_PREFIX: config.registry.releaseTagPrefix,
    REPOSITORIES: Object.values(REPOSITORY_NAMES).join(" "),
    MIN_CAPACITY: String(environment.minCapacity),
  };
  process.stdout.write(Object.entries(values).map(([key, value]) => `${key}=${value}`).join("\n") + "\n");
});
