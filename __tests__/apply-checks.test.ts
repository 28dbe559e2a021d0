import { readFileSync } from "node:fs";
import { join } from "node:path";
import { checkImageTagChange, compareWithGaps, diffsOf, type EmulatorGap, type JsonPlan } from "./apply/plan-checks";

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
