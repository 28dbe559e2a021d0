import { readFileSync } from "node:fs";
import { Testing } from "cdktf";
import { IamPolicy } from "@cdktf/provider-aws/lib/iam-policy";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import type { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { SUPPORTED_ENVIRONMENTS } from "../../constructs/delivery-roles";
import { RegistryStack } from "../../stacks/registry-stack";
import { configFrom } from "../helpers";
import { PIPELINE_SHARED } from "../pipeline-helpers";

/** `count` environments of 16 characters (the longest name allowed), each file's text from `text`. */
function environments(count: number, text: (index: number) => string = () => ""): Record<string, string> {
  return Object.fromEntries(Array.from({ length: count }, (_, index) => [`environment-${String(index).padStart(4, "0")}`, text(index)]));
}

/** The registry stack alone (its constructor checks every policy's size); no synth, which the count makes slow. */
function registryOf(files: Record<string, string>): RegistryStack {
  const config = configFrom(files, PIPELINE_SHARED);
  return new RegistryStack(Testing.app(), config.registry, config.environments);
}

function planPolicy(registry: RegistryStack): string {
  // Tokens (account, partition) are numbered in creation order: compare the text around them.
  return (registry.deliveryRoles.planRole!.node.findChild("policy") as IamRolePolicy).policyInput!.replace(/\$\{TfToken\[TOKEN\.\d+\]\}/g, "TOKEN");
}

describe("issue 11: the number of environments", () => {
  let built: RegistryStack | undefined;
  const supported = () => (built ??= registryOf(environments(SUPPORTED_ENVIRONMENTS)));

  test(`the plan role's policy is the same for 2 and ${SUPPORTED_ENVIRONMENTS} environments (one state pattern per bucket)`, () => {
    expect(planPolicy(supported())).toBe(planPolicy(registryOf(environments(2))));
  });

  test(`${SUPPORTED_ENVIRONMENTS} environments of 16 characters fit IAM's default account quotas (1,000 roles, 1,500 managed policies)`, () => {
    const all = supported().node.findAll();
    // Each environment stack adds its execution and task roles; ECS, autoscaling and ELB one service-linked role each.
    const roles = all.filter((construct) => construct instanceof IamRole).length + 2 * SUPPORTED_ENVIRONMENTS + 3;
    const policies = all.filter((construct) => construct instanceof IamPolicy).length;
    expect(roles).toBeLessThanOrEqual(1000);
    expect(policies).toBeLessThanOrEqual(1500);
  });

  test("the README states the supported number", () => {
    expect(readFileSync("README.md", "utf8")).toContain(`up to **${SUPPORTED_ENVIRONMENTS}** of 16-character names per AWS account`);
  });

  test("a plan role too large says that the state buckets are the cause, not the environments", () => {
    const ownBuckets = environments(80, (index) => `INFRA_STATE_BUCKET=city-guided-terraform-state-of-environment-${index}\n`);
    expect(() => registryOf(ownBuckets)).toThrow(/^Invalid policy for role city-guided-github-plan: \d+ characters, IAM allows 10240: .*\(81 distinct INFRA_STATE_BUCKET values\).*share fewer buckets$/);
  });

  test("a deploy role's policies depend on its own environment only, not on the others' names", () => {
    // Names that extend another with a dash are refused (config/environment-names.ts), so no deny of another environment is needed.
    const deployPolicies = (registry: RegistryStack) =>
      registry.node
        .findAll()
        .filter((construct): construct is IamPolicy => construct instanceof IamPolicy && /^city-guided-staging-deploy-/.test(construct.nameInput ?? ""))
        .map((policy) => policy.policyInput!.replace(/\$\{TfToken\[TOKEN\.\d+\]\}/g, "TOKEN"));
    const alone = deployPolicies(registryOf({ staging: "" }));
    expect(alone.length).toBeGreaterThan(1);
    expect(deployPolicies(registryOf({ staging: "", ...Object.fromEntries(Array.from({ length: 40 }, (_, index) => [`staging${index}`, ""])) }))).toEqual(alone);
  });
});
