import { Aspects, DefaultTokenResolver, StringConcat, TerraformDataSource, TerraformProvider, TerraformResource, TerraformStack, Tokenization, type IAspect } from "cdktf";
import type { IConstruct } from "constructs";
import { awsRuleProblems, providerTagProblems } from "./aws-rule-check";
import { containerDefinitionProblems } from "./container-rules";
import { POLICY_DOCUMENTS, policyDocumentDataProblems, policyDocumentProblems } from "./iam-rules";

/**
 * Synth-time policy: what checkov cannot see in cdk.tf.json (container definitions and policies are
 * JSON strings), and AWS's own rules on names, descriptions, tags and sizes that the provider does
 * not check before apply (policy/aws-rules.ts). The aspect registers one validation per stack; the
 * validation reads the resolved Terraform JSON (overrides included, as written to cdk.tf.json) of
 * every resource and provider, anywhere in the tree, so a resource added later is checked too.
 *
 * A validation (not `Annotations.addError`) because the cdktf CLI runs the app with
 * CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS=true, under which error annotations do not fail the
 * app; a failed validation always throws "Validation failed ...", which cli/main.ts runMain prints and
 * exits 1 on.
 */
export class PolicyAspect implements IAspect {
  private readonly validated = new WeakSet<IConstruct>();

  visit(node: IConstruct): void {
    // Aspects run on every synth (Testing.synth runs them again): register the validation once.
    if (!TerraformStack.isStack(node) || this.validated.has(node)) return;
    this.validated.add(node);
    const stack = node;
    node.node.addValidation({ validate: () => stackPolicyProblems(stack.node.id, checkedTerraform(stack)) });
  }
}

const CHECKED_DATA_SOURCES = new Set(["aws_iam_policy_document"]);
// The resolver cdktf itself resolves a stack with.
const RESOLVER = new DefaultTokenResolver(new StringConcat());

/**
 * The resolved Terraform JSON of the stack's resources, providers and checked data sources, merged.
 * Every resource is read: any of them may carry tags, which AWS's tag rules bind.
 */
function checkedTerraform(stack: TerraformStack): Record<string, any> {
  const merged: Record<string, any> = {};
  for (const construct of stack.node.findAll()) {
    if (TerraformProvider.isTerraformProvider(construct)) {
      const fragment = Tokenization.resolve(construct.toTerraform(), { scope: stack, resolver: RESOLVER });
      for (const [type, blocks] of Object.entries<unknown[]>(fragment.provider ?? {})) ((merged.provider ??= {})[type] ??= []).push(...blocks);
      continue;
    }
    const checked =
      TerraformResource.isTerraformResource(construct) ||
      (TerraformDataSource.isTerraformDataSource(construct) && CHECKED_DATA_SOURCES.has(construct.terraformResourceType));
    if (!checked) continue;
    const fragment = Tokenization.resolve(construct.toTerraform(), { scope: stack, resolver: RESOLVER });
    for (const [block, byType] of Object.entries<Record<string, Record<string, unknown>>>(fragment)) {
      for (const [type, byId] of Object.entries(byType)) Object.assign(((merged[block] ??= {})[type] ??= {}), byId);
    }
  }
  return merged;
}

/** Applies the policy to a stack (stacks/app.ts does it for every stack). */
export function applyPolicy(stack: TerraformStack): void {
  Aspects.of(stack).add(new PolicyAspect());
}

/** Every violation in a stack's Terraform JSON, one line each, naming the stack and the resource. */
export function stackPolicyProblems(stackName: string, terraform: Record<string, any>): string[] {
  const problems: string[] = [];
  const report = (address: string, path: string | undefined, messages: string[]) => {
    // The construct path without its stack (`service/task-definition`) is what a reader finds in the code.
    const construct = path?.startsWith(`${stackName}/`) ? path.slice(stackName.length + 1) : path;
    const where = `stack ${stackName}, ${construct ? `${construct} (${address})` : address}`;
    problems.push(...messages.map((message) => `Policy: ${where}: ${message}`));
  };
  for (const [type, byId] of Object.entries<Record<string, any>>(terraform.resource ?? {})) {
    for (const [id, attributes] of Object.entries<Record<string, any>>(byId)) {
      const address = `${type}.${id}`;
      const path = attributes?.["//"]?.metadata?.path as string | undefined;
      report(address, path, awsRuleProblems(type, attributes, defaultTagsOf(terraform, attributes?.provider)));
      if (type === "aws_ecs_task_definition") {
        report(address, path, containerDefinitionProblems(attributes.container_definitions));
      }
      for (const { where, document } of POLICY_DOCUMENTS[type]?.(attributes) ?? []) {
        report(address, path, policyDocumentProblems(document).map((message) => `${where}: ${message}`));
      }
    }
  }
  for (const [type, blocks] of Object.entries<Record<string, any>[]>(terraform.provider ?? {})) {
    for (const block of blocks) report(`provider ${type}${block.alias ? `.${block.alias}` : ""}`, undefined, providerTagProblems(block));
  }
  for (const [id, attributes] of Object.entries<Record<string, any>>(terraform.data?.aws_iam_policy_document ?? {})) {
    report(`data.aws_iam_policy_document.${id}`, attributes?.["//"]?.metadata?.path, policyDocumentDataProblems(attributes));
  }
  return problems;
}

/** The default tags of the provider a resource uses (`aws`, or `aws.<alias>` from its `provider`). */
function defaultTagsOf(terraform: Record<string, any>, provider: unknown): Record<string, unknown> {
  const alias = typeof provider === "string" && provider.includes(".") ? provider.slice(provider.indexOf(".") + 1) : undefined;
  const block = (terraform.provider?.aws ?? []).find((candidate: any) => candidate.alias === alias);
  return Object.assign({}, ...(block?.default_tags ?? []).map((tags: any) => tags?.tags ?? {}));
}
