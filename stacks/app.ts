import type { App } from "cdktf";
import type { ProjectConfig } from "../config/model";
import { applyPolicy } from "../policy/aspects";
import { EnvironmentStack } from "./environment-stack";
import { RegistryStack } from "./registry-stack";

/** The registry stack, then one stack per environment; every stack is checked by the synth-time policy. */
export function addStacks(app: App, config: ProjectConfig): { registry: RegistryStack; environments: EnvironmentStack[] } {
  const registry = new RegistryStack(app, config.registry, config.environments);
  // The registry stack creates each environment's workload boundary along with its deploy role.
  const workloadBoundary = config.registry.github.infraRepository !== undefined;
  const environments = config.environments.map((environment) => new EnvironmentStack(app, environment, { workloadBoundary }));
  for (const stack of [registry, ...environments]) applyPolicy(stack);
  return { registry, environments };
}
