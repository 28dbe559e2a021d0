import { Testing, TerraformStack } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { applyPolicy } from "../policy/aspects";
import { loadConfig } from "../config/load";
import type { ProjectConfig } from "../config/model";
import { addStacks } from "../stacks/app";
import { configFrom, MINIMAL_SHARED } from "./config-helpers";

// Config-only tests import ./config-helpers directly: it spares them loading cdktf and the stacks.
export { configErrorOf, configFrom, MINIMAL_SHARED } from "./config-helpers";

/** The synthesized Terraform JSON of one stack, with lookups by resource type. */
export class SynthesizedStack {
  private synthesized?: Record<string, any>;

  constructor(private readonly stack: TerraformStack) {}

  /** The stack's Terraform JSON, synthesized (with validations) on first use: tests pay only for the stacks they read. */
  get json(): Record<string, any> {
    this.synthesized ??= JSON.parse(Testing.synth(this.stack, true));
    return this.synthesized!;
  }

  /** Every resource of a type, keyed by its logical ID. */
  resources(type: string): Record<string, any> {
    return this.json.resource?.[type] ?? {};
  }

  /** The only resource of a type (fails the test when there are none or several). */
  resource(type: string): any {
    const all = Object.values(this.resources(type));
    if (all.length !== 1) throw new Error(`expected one ${type}, found ${all.length}`);
    return all[0];
  }

  dataSources(type: string): Record<string, any> {
    return this.json.data?.[type] ?? {};
  }

  /** The task definition's containers, parsed from their JSON string. */
  containers(): any[] {
    return JSON.parse(this.resource("aws_ecs_task_definition").container_definitions);
  }

  container(name: string): any {
    const found = this.containers().find((container) => container.name === name);
    if (!found) throw new Error(`no container ${name}`);
    return found;
  }
}

/** Synthesizes the project for a config; returns every stack by name. */
export function synthProject(config: ProjectConfig): Record<string, SynthesizedStack> {
  const app = Testing.app();
  const { registry, environments } = addStacks(app, config);
  return Object.fromEntries([registry, ...environments].map((stack) => [stack.node.id, new SynthesizedStack(stack)]));
}

let committed: Record<string, SynthesizedStack> | undefined;

/** The stacks of the committed env files, synthesized once per test file (each stack on first read). */
export function committedProject(): Record<string, SynthesizedStack> {
  committed ??= synthProject(loadConfig("env"));
  return committed;
}

/** Synthesizes one environment named `staging` from its file's text. */
export function synthEnvironment(text: string, shared = MINIMAL_SHARED): SynthesizedStack {
  return synthProject(configFrom({ staging: text }, shared)).staging;
}

/** A stack under the synth-time policy, built by `build`; its synth error ("" when it passes). `tags`: the provider's default tags. */
export function policyErrorOf(build: (stack: TerraformStack) => void, tags?: Record<string, string>): string {
  const stack = new TerraformStack(Testing.app(), "qa");
  new AwsProvider(stack, "aws", { region: "eu-west-3", ...(tags ? { defaultTags: [{ tags }] } : {}) });
  build(stack);
  applyPolicy(stack);
  try {
    Testing.synth(stack, true);
    return "";
  } catch (error) {
    return (error as Error).message;
  }
}
