import type { App } from "cdktf";
import type { ProjectConfig } from "../config/model";
import { applyPolicy } from "../policy/aspects";
import { EnvironmentStack } from "./environment-stack";
import { RegistryStack } from "./registry-stack";

/** The registry stack, then one stack per environment; every stack is checked by the synth-time policy. */
export function addStacks(app: App, config: ProjectConfig): { registry: RegistryStack; environments: EnvironmentStack[] } {
  const registry = new RegistryStack(app, config.registry);
  const environments = config.environments.map((environment) => new EnvironmentStack(app, environment));
  for (const stack of [registry, ...environments]) applyPolicy(stack);
  return { registry, environments };
}
