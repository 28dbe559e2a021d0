import { Aspects, TerraformStack, type IAspect } from "cdktf";
import type { IConstruct } from "constructs";
import { containerDefinitionProblems } from "./container-rules";
import { POLICY_DOCUMENTS, policyDocumentDataProblems, policyDocumentProblems } from "./iam-rules";

/**
 * Synth-time policy: what checkov cannot see in cdk.tf.json (container definitions and policies are
 * JSON strings). The aspect registers one validation per stack; the validation reads the stack's
 * final, resolved Terraform JSON (overrides included, exactly what is written to cdk.tf.json), so
 * a resource added later, anywhere in the tree, is checked too.
 *
 * A validation (not `Annotations.addError`) because the cdktf CLI runs the app with
 * CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS=true, under which error annotations do not fail the
 * app; a failed validation always throws "Validation failed ...", which runCommand prints and
 * exits 1 on.
 */
export class PolicyAspect implements IAspect {
  private readonly validated = new WeakSet<IConstruct>();

  visit(node: IConstruct): void {
    // Aspects run on every synth (Testing.synth runs them again): register the validation once.
    if (!TerraformStack.isStack(node) || this.validated.has(node)) return;
    this.validated.add(node);
    node.node.addValidation({ validate: () => stackPolicyProblems(node.node.id, node.toTerraform()) });
  }
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
      if (type === "aws_ecs_task_definition") {
        report(address, path, containerDefinitionProblems(attributes.container_definitions));
      }
      for (const { where, document } of POLICY_DOCUMENTS[type]?.(attributes) ?? []) {
        report(address, path, policyDocumentProblems(document).map((message) => `${where}: ${message}`));
      }
    }
  }
  for (const [id, attributes] of Object.entries<Record<string, any>>(terraform.data?.aws_iam_policy_document ?? {})) {
    report(`data.aws_iam_policy_document.${id}`, attributes?.["//"]?.metadata?.path, policyDocumentDataProblems(attributes));
  }
  return problems;
}
