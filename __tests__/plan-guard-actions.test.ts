import { UserError } from "../cli/errors";
import { analyzePlan, guard } from "../policy/plan-guard";
import { runPlanGuard } from "../policy/plan-guard-cli";
import { ACTION_LISTS, parsePlan } from "../policy/plan-read";

// The guard fails closed: an action list Terraform never writes is refused, and switching off a
// protection (force_delete, force_destroy) is guarded like a deletion.

const planOf = (...changes: object[]) => JSON.stringify({ format_version: "1.2", planned_values: {}, resource_changes: changes });
const change = (type: string, actions: unknown[], before: object | null = {}, after: object | null = {}, afterUnknown: object = {}) => ({
  address: `${type}.x`,
  mode: "managed",
  type,
  change: { actions, before, after, after_unknown: afterUnknown },
});
const repository = (forceBefore: boolean, forceAfter: boolean | undefined, afterUnknown: object = {}) =>
  change("aws_ecr_repository", ["update"], { name: "city-guided-api", force_delete: forceBefore }, { name: "city-guided-api", force_delete: forceAfter }, afterUnknown);
const guardOf = (text: string, overrides: string[] = []) => runPlanGuard(["cdktf.out/stacks/registry/plan.json", ...overrides.flatMap((o) => ["--allow-destroy", o])], () => text);

describe("plan guard: action lists", () => {
  test.each(ACTION_LISTS.map((list) => [list]))("Terraform's [%s] is read", (list) => {
    expect(() => parsePlan(planOf(change("aws_sns_topic", list.split(","))), "plan.json")).not.toThrow();
  });

  test.each([[["frobnicate"]], [["update", "frobnicate"]], [["forget", "create"]], [[]], [["delete", 1]]])("%j is refused as not a plan, exit 2", (actions) => {
    let error: unknown;
    try {
      parsePlan(planOf(change("aws_sns_topic", actions)), "plan.json");
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).exitCode).toBe(2);
    expect((error as UserError).message).toContain("which Terraform never writes");
  });

  test('["create","forget"] is a replacement: blocked on a protected type', () => {
    const analysis = analyzePlan("registry", parsePlan(planOf(change("aws_ecr_repository", ["create", "forget"])), "plan.json"));
    expect(analysis.changes[0].kind).toBe("replace");
    expect(guard([analysis], []).blocked).toHaveLength(1);
  });

  test('["forget"] is listed as kept, not deleted', () => {
    const output = guardOf(planOf(change("aws_ecr_repository", ["forget"], {}, null)));
    expect(output.exitCode).toBe(0);
    expect(output.stdout).toContain("removed from the state, the object itself is kept");
  });
});

describe("plan guard: switching off a protection", () => {
  test("force_delete turning true on an ECR repository exits 1, naming the loss", () => {
    const output = guardOf(planOf(repository(false, true)));
    expect(output.exitCode).toBe(1);
    expect(output.stdout).toContain("`force_delete` turns true on an ECR repository: a later destroy would delete every image in the repository");
  });

  test("unknown until apply counts as true", () => {
    expect(guardOf(planOf(repository(false, undefined, { force_delete: true }))).exitCode).toBe(1);
  });

  test("exit 0 once --allow-destroy names it", () => {
    expect(guardOf(planOf(repository(false, true)), ["registry:aws_ecr_repository.x"]).exitCode).toBe(0);
  });

  test("already true, or staying false, passes", () => {
    expect(guardOf(planOf(repository(true, true))).exitCode).toBe(0);
    expect(guardOf(planOf(repository(false, false))).exitCode).toBe(0);
  });

  test("force_destroy turning true on an S3 bucket exits 1", () => {
    expect(guardOf(planOf(change("aws_s3_bucket", ["update"], { force_destroy: false }, { force_destroy: true }))).exitCode).toBe(1);
  });
});
