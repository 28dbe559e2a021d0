import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { checkEntryChange, checkImageTagChange, compareWithGaps, diffsOf, type EmulatorGap, type JsonPlan } from "./apply/plan-checks";
import { emulatorOverride, writeCliConfig } from "./apply/terraform";

// The checks `npm run test:apply` makes on its plans, run here on the plans it recorded.
const planOf = (name: string): JsonPlan => JSON.parse(readFileSync(join(__dirname, "fixtures", "plans", name), "utf8"));
const SERVICE = "aws_ecs_service.service_E7C408F2";

/** The image-rollout plan with the service also changing `attribute` (as an emulator gap would show). */
function withServiceDrift(attribute: string): JsonPlan {
  const plan = planOf("image-rollout.json");
  const service = plan.resource_changes!.find((change) => change.address === SERVICE)!;
  service.change.before = { ...service.change.before, [attribute]: "stored" };
  service.change.after = { ...service.change.after, [attribute]: "configured" };
  return plan;
}

describe("re-plan against the listed emulator gaps", () => {
  const gap: EmulatorGap = { stacks: ["staging"], address: SERVICE, attributes: ["propagate_tags"], cause: "the emulator drops it" };

  test("a plan without changes matches an empty list", () => {
    expect(diffsOf(planOf("no-changes.json"))).toEqual([]);
    expect(compareWithGaps("registry", planOf("no-changes.json"), [])).toEqual([]);
  });

  test("a diff not on the list fails, naming the resource, the attribute and the entry to add", () => {
    const [problem] = compareWithGaps("staging", withServiceDrift("propagate_tags"), []);
    expect(problem).toContain(`staging: unexpected diff ${SERVICE} (update: propagate_tags, task_definition)`);
    expect(problem).toContain('"attributes":["propagate_tags","task_definition"]');
  });

  test("a listed gap that shows passes; one that no longer shows fails, saying which", () => {
    // Only the drift: the service re-planned with nothing else changed.
    const plan = withServiceDrift("propagate_tags");
    const service = plan.resource_changes!.find((change) => change.address === SERVICE)!;
    service.change.after = { ...service.change.before, propagate_tags: "configured" };
    service.change.after_unknown = {};
    plan.resource_changes = [service];
    expect(compareWithGaps("staging", plan, [gap])).toEqual([]);
    expect(compareWithGaps("staging", planOf("no-changes.json"), [gap])).toEqual([
      `staging: listed emulator gap no longer shows: ${SERVICE} propagate_tags (the emulator drops it): remove it from __tests__/apply/emulator-gaps.json`,
    ]);
    expect(compareWithGaps("production", planOf("no-changes.json"), [gap])).toEqual([]);
  });
});

describe("an image tag change", () => {
  test("the recorded rollout: task definition replaced with its old revision kept, service updated, nothing else", () => {
    expect(checkImageTagChange("staging", planOf("image-rollout.json"), [])).toEqual([]);
  });

  test("a service change beyond its task definition fails, unless it is a listed gap", () => {
    expect(checkImageTagChange("staging", withServiceDrift("propagate_tags"), [])).toEqual([
      `staging: image tag change: expected the service updated in place (task_definition only), got ${SERVICE} (update: propagate_tags, task_definition)`,
    ]);
    const gap = { stacks: ["staging"], address: SERVICE, attributes: ["propagate_tags"], cause: "the emulator drops it" };
    expect(checkImageTagChange("staging", withServiceDrift("propagate_tags"), [gap])).toEqual([]);
  });

  test("a replacement that deregisters the old revision fails", () => {
    const plan = planOf("image-rollout.json");
    const task = plan.resource_changes!.find((change) => change.type === "aws_ecs_task_definition")!;
    task.change.after.skip_destroy = false;
    expect(checkImageTagChange("staging", plan, [])).toEqual([expect.stringContaining("old revision is deregistered (skip_destroy is not true)")]);
  });

  test("no replacement at all fails", () => {
    expect(checkImageTagChange("staging", planOf("no-changes.json"), [])).toEqual([
      "staging: image tag change: expected one task definition replaced, got none",
      "staging: image tag change: expected the service updated in place (task_definition only), got none",
    ]);
  });
});

describe("an entry change (what the proxy entry's instance runs)", () => {
  const TEMPLATE = "aws_launch_template.entry_launch-template_0123ABCD";
  const GROUP = "aws_autoscaling_group.entry_group_4567EFAB";
  const change = (address: string, type: string, actions: string[], before: object, after: object, afterUnknown: object = {}) => ({
    address, type, change: { actions, before, after, after_unknown: afterUnknown },
  });
  const templateUpdate = change(TEMPLATE, "aws_launch_template", ["update"], { user_data: "fr", latest_version: 1 }, { user_data: "en" }, { latest_version: true });
  const groupUpdate = change(GROUP, "aws_autoscaling_group", ["update"], { launch_template: [{ version: "1" }] }, { launch_template: [{}] }, { launch_template: [{ version: true }] });

  test("the launch template and the group updated in place, nothing else: no problem", () => {
    expect(checkEntryChange("staging", { resource_changes: [templateUpdate, groupUpdate] }, [])).toEqual([]);
  });

  test("a replaced launch template, a group left on the old version, or any other change fails, naming it", () => {
    const replaced = { ...templateUpdate, change: { ...templateUpdate.change, actions: ["delete", "create"] } };
    expect(checkEntryChange("staging", { resource_changes: [replaced, groupUpdate] }, [])).toEqual([
      expect.stringContaining(`expected the launch template updated in place (user_data), got ${TEMPLATE} (delete+create`),
    ]);
    expect(checkEntryChange("staging", { resource_changes: [templateUpdate] }, [])).toEqual([expect.stringContaining("expected the Auto Scaling group updated in place (launch_template: its new version), got none")]);
    const other = change("aws_eip.entry_address_89AB", "aws_eip", ["delete", "create"], { domain: "vpc" }, { domain: "vpc" });
    expect(checkEntryChange("staging", { resource_changes: [templateUpdate, groupUpdate, other] }, [])).toEqual([expect.stringContaining("unexpected change aws_eip.entry_address_89AB (delete+create")]);
  });
});

describe("the emulator override and the CLI config", () => {
  test("every provider block present is pointed at the emulator, the registry alias included, and the state is local", () => {
    const stack = { provider: { aws: [{ region: "eu-central-1" }, { alias: "registry", region: "eu-west-3" }] } };
    const override = emulatorOverride(stack, "http://127.0.0.1:4566") as any;
    expect(override.terraform.backend).toEqual({ local: { path: "terraform.tfstate" } });
    expect(override.provider.aws.map((provider: any) => provider.alias)).toEqual([undefined, "registry"]);
    for (const provider of override.provider.aws) {
      expect(provider).toMatchObject({ access_key: "test", secret_key: "test", skip_credentials_validation: true, s3_use_path_style: true });
      expect(provider.region).toBeUndefined();
      expect(Object.values(provider.endpoints[0]).every((endpoint) => endpoint === "http://127.0.0.1:4566")).toBe(true);
      expect(Object.keys(provider.endpoints[0])).toEqual(expect.arrayContaining(["applicationautoscaling", "ecs", "elbv2", "iam", "sts"]));
    }
  });

  test("a mirror that does not hold the provider is refused, naming the variable", () => {
    const folder = mkdtempSync(join(tmpdir(), "cli-config-"));
    expect(() => writeCliConfig(folder, { TF_PROVIDER_MIRROR: folder })).toThrow(`TF_PROVIDER_MIRROR=${folder} holds no registry.terraform.io/hashicorp/aws`);
    mkdirSync(join(folder, "registry.terraform.io", "hashicorp", "aws"), { recursive: true });
    expect(readFileSync(writeCliConfig(folder, { TF_PROVIDER_MIRROR: folder }), "utf8")).toContain(`filesystem_mirror {\n    path = ${JSON.stringify(folder)}`);
    expect(readFileSync(writeCliConfig(folder, {}), "utf8")).toBe("");
    rmSync(folder, { recursive: true });
  });
});

test.each(["image-rollout.json", "no-changes.json", "protected-deletes.json", "registry-import.json"])("the recorded %s names no emulator endpoint and holds no key", (name) => {
  const text = readFileSync(join(__dirname, "fixtures", "plans", name), "utf8");
  expect(text).not.toMatch(/127\.0\.0\.1|secret_key|access_key|aws_secret_access_key|PRIVATE KEY/);
  expect(JSON.parse(text).format_version).toMatch(/^1\./);
});
