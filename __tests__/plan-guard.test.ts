import { readFileSync } from "node:fs";
import { join } from "node:path";
import { analyzePlan, formatPath, guard, PROTECTED_RESOURCES } from "../policy/plan-guard";
import { runPlanGuard, stackNameOf } from "../policy/plan-guard-cli";
import { UserError } from "../cli/errors";
import { parsePlan } from "../policy/plan-read";

// image-rollout.json, no-changes.json, protected-deletes.json and registry-import.json are real `terraform show -json` plans of
// `npm run test:apply` (re-record: scripts/record-plan-fixtures.sh); the others are hand-written in its format.
const PLANS = join(__dirname, "fixtures", "plans");
const fixture = (name: string) => join(PLANS, name);
const analysisOf = (name: string, stack = "staging") => analyzePlan(stack, parsePlan(readFileSync(fixture(name), "utf8"), name));
const changeOf = (name: string, address: string) => {
  const found = analysisOf(name).changes.find((change) => change.address === address);
  if (!found) throw new Error(`no change ${address} in ${name}`);
  return found;
};

describe("plan analysis", () => {
  test("each kind of change is recognised and counted; no-ops are left out; data reads are listed, not counted", () => {
    const analysis = analysisOf("infrastructure-change.json");
    expect(analysis.counts).toEqual({ create: 1, update: 1, replace: 2, delete: 1, import: 2 });
    expect(analysis.changes.map((change) => change.kind)).toEqual(["create", "update", "delete", "replace", "replace", "import", "import", "read"]);
    expect(analysis.changes.some((change) => change.address === "aws_ecr_lifecycle_policy.lifecycle")).toBe(false);
  });

  test("both replacement orders are replacements, with the attributes that force them", () => {
    const deleteFirst = changeOf("infrastructure-change.json", "aws_cloudwatch_log_group.service_api-logs_9A6D20CB");
    expect(deleteFirst).toMatchObject({ kind: "replace", actions: ["delete", "create"], forcedBy: ["name"] });
    const createFirst = changeOf("infrastructure-change.json", "aws_security_group.service_tasks-security-group_EBB5B81D");
    expect(createFirst).toMatchObject({ kind: "replace", actions: ["create", "delete"], forcedBy: ["description"] });
    expect(formatPath(["ingress", 0, "cidr_blocks"])).toBe("ingress[0].cidr_blocks");
  });

  test("imports are safe: not protected even for a protected type, with their id", () => {
    const repository = changeOf("infrastructure-change.json", "aws_ecr_repository.api-repository_50B8A359");
    expect(repository).toMatchObject({ kind: "import", importId: "city-guided-api", protectedReason: undefined });
  });

  test("an image rollout (only container images change) is told apart, with the images", () => {
    const analysis = analysisOf("image-rollout.json");
    expect(analysis.imageRolloutOnly).toBe(true);
    expect(analysis.changes.filter((change) => change.kind !== "read").every((change) => change.imageRollout)).toBe(true);
    const taskDefinition = analysis.changes.find((change) => change.type === "aws_ecs_task_definition");
    expect(taskDefinition?.imageChanges).toEqual([
      { container: "api", before: expect.stringMatching(/city-guided-api:a{40}$/), after: expect.stringMatching(/city-guided-api:b{40}$/) },
      { container: "web", before: expect.stringMatching(/city-guided-web:a{40}$/), after: expect.stringMatching(/city-guided-web:b{40}$/) },
    ]);
  });

  const taskDefinitionOf = (plan: any) => plan.resource_changes.find((change: any) => change.type === "aws_ecs_task_definition").change;

  test("a task definition change beyond the image is an infrastructure change", () => {
    const plan = JSON.parse(readFileSync(fixture("image-rollout.json"), "utf8"));
    const after = taskDefinitionOf(plan).after;
    expect(after.container_definitions).toMatch(/"readonlyRootFilesystem": ?true/);
    after.container_definitions = after.container_definitions.replace(/"readonlyRootFilesystem": ?true/, '"readonlyRootFilesystem": false');
    const analysis = analyzePlan("staging", parsePlan(JSON.stringify(plan), "plan.json"));
    expect(analysis.imageRolloutOnly).toBe(false);
    expect(analysis.changes.find((change) => change.type === "aws_ecs_task_definition")?.imageRollout).toBe(false);
  });

  test("a replaced task definition: a newly set attribute is a change, what ECS filled in on the old one is not", () => {
    const plan = JSON.parse(readFileSync(fixture("image-rollout.json"), "utf8"));
    const change = taskDefinitionOf(plan);
    // Real plans: `before` has ECS's `volumesFrom: []` and `ipc_mode: ""`, `after` has neither.
    expect(change.before.container_definitions).toContain('"volumesFrom":[]');
    expect(change.before.ipc_mode).toBe("");
    expect(change.after.ipc_mode).toBeNull();
    change.after.ipc_mode = "host";
    expect(analyzePlan("staging", parsePlan(JSON.stringify(plan), "plan.json")).imageRolloutOnly).toBe(false);
  });

  test("a service update beyond its task definition is not part of a rollout", () => {
    expect(changeOf("infrastructure-change.json", "aws_ecs_service.service_E7C408F2").imageRollout).toBe(false);
    expect(analysisOf("infrastructure-change.json").imageRolloutOnly).toBe(false);
  });
});

describe("migration: the first registry plan imports the existing repositories", () => {
  // registry-import.json: the real first plan of `registry` with INFRA_ECR_IMPORT_EXISTING=true while the
  // repositories exist (`npm run test:apply -- --record`): `change.importing.id` on both repositories,
  // actions no-op (identical to our config); everything else in the stack is created.
  const api = "aws_ecr_repository.api-repository_50B8A359";
  const web = "aws_ecr_repository.web-repository_034C9A3D";
  /** The import plan as it is when the existing repository differs from our config (tags): import, then update. */
  const importThenUpdate = () => {
    const plan = JSON.parse(readFileSync(fixture("registry-import.json"), "utf8"));
    plan.resource_changes.find((change: any) => change.address === api).change.actions = ["update"];
    return JSON.stringify(plan);
  };

  test("both repositories are imports, with their ids, and not protected changes", () => {
    const analysis = analysisOf("registry-import.json", "registry");
    expect(analysis.counts).toMatchObject({ update: 0, replace: 0, delete: 0, import: 2 });
    expect(analysis.counts.create).toBeGreaterThan(0);
    expect(changeOf("registry-import.json", api)).toMatchObject({ kind: "import", actions: ["no-op"], importId: "city-guided-api", protectedReason: undefined });
    expect(changeOf("registry-import.json", web)).toMatchObject({ kind: "import", actions: ["no-op"], importId: "city-guided-web", protectedReason: undefined });
    expect(guard([analysis], []).blocked).toEqual([]);
    const updated = analyzePlan("registry", parsePlan(importThenUpdate(), "plan.json"));
    expect(updated.changes.find((change) => change.address === api)).toMatchObject({ kind: "import", actions: ["update"], protectedReason: undefined });
  });

  test("the guard exits 0 and its summary says the imports are safe, in words", () => {
    const output = runPlanGuard(["cdktf.out/stacks/registry/plan.json"], importThenUpdate);
    const creates = analysisOf("registry-import.json", "registry").counts.create;
    expect(output).toMatchObject({ exitCode: 0, stderr: "" });
    expect(output.stdout).toContain(`| registry | ${creates} | 0 | 0 | 0 | 2 | infrastructure change |`);
    expect(output.stdout).toContain("✅ 2 imports: safe. Terraform adopts objects that already exist (import blocks); it does not create, replace or delete them");
    expect(output.stdout).toContain(
      `- **import** \`${api}\`: safe, adopts the existing object \`city-guided-api\` into the state, nothing is created or deleted; then updates it in place`,
    );
    expect(output.stdout).toContain(`- **import** \`${web}\`: safe, adopts the existing object \`city-guided-web\` into the state, nothing is created or deleted`);
    expect(output.stdout).not.toContain("Blocked");
  });

  test("a plan of imports alone has the verdict 'import only (safe)'", () => {
    const plan = JSON.parse(readFileSync(fixture("registry-import.json"), "utf8"));
    plan.resource_changes = plan.resource_changes.filter((change: any) => change.change.importing);
    const output = runPlanGuard(["plan.json", "--stack", "registry"], () => JSON.stringify(plan));
    expect(output.exitCode).toBe(0);
    expect(output.stdout).toContain("| registry | 0 | 0 | 0 | 0 | 2 | import only (safe) |");
  });

  test("an import that Terraform would then replace is blocked, and says the existing repository is destroyed", () => {
    const plan = JSON.parse(readFileSync(fixture("registry-import.json"), "utf8"));
    const repository = plan.resource_changes.find((change: any) => change.address === api);
    repository.change.actions = ["delete", "create"];
    repository.change.replace_paths = [["encryption_configuration"]];
    repository.action_reason = "replace_because_cannot_update";
    const output = runPlanGuard(["plan.json", "--stack", "registry"], () => JSON.stringify(plan));
    expect(output.exitCode).toBe(1);
    expect(output.stdout).toContain(`\`registry:${api}\`: an ECR repository: deleting it deletes every image in it`);
    expect(output.stdout).toContain("imports `city-guided-api`, then replaces it: the existing object is destroyed");
  });
});

describe("protected resources", () => {
  test("the list names the types the issue protects, each with a reason", () => {
    expect(Object.keys(PROTECTED_RESOURCES).sort()).toEqual(
      ["aws_alb", "aws_cloudwatch_log_group", "aws_ecr_repository", "aws_iam_openid_connect_provider", "aws_lb", "aws_s3_bucket"].sort(),
    );
    for (const reason of Object.values(PROTECTED_RESOURCES)) expect(reason.length).toBeGreaterThan(30);
  });

  // protected-deletes.json: the registry's real destroy plan, recorded with prevent_destroy lifted.
  test("deleting a protected resource is blocked; what is not protected is not", () => {
    const result = guard([analysisOf("protected-deletes.json", "registry")], []);
    expect(result.blocked.map((change) => `${change.kind} ${change.type}`)).toEqual([
      "delete aws_ecr_repository",
      "delete aws_ecr_repository",
      "delete aws_iam_openid_connect_provider",
    ]);
    expect(analysisOf("protected-deletes.json", "registry").counts.delete).toBeGreaterThan(3);
  });

  test("replacing a protected resource, in either order, is blocked", () => {
    const plan = JSON.parse(readFileSync(fixture("protected-deletes.json"), "utf8"));
    const replace = (type: string, actions: string[]) => {
      const change = plan.resource_changes.find((candidate: any) => candidate.type === type);
      change.change.actions = actions;
      change.change.after = change.change.before;
    };
    replace("aws_ecr_repository", ["delete", "create"]);
    replace("aws_iam_openid_connect_provider", ["create", "delete"]);
    const result = guard([analyzePlan("registry", parsePlan(JSON.stringify(plan), "plan.json"))], []);
    expect(result.blocked.map((change) => `${change.kind} ${change.type}`)).toEqual([
      "replace aws_ecr_repository",
      "delete aws_ecr_repository",
      "replace aws_iam_openid_connect_provider",
    ]);
  });

  test("--allow-destroy lets one named change through; stack-scoped overrides apply to their stack only", () => {
    const staging = analysisOf("protected-deletes.json", "staging");
    const production = analysisOf("protected-deletes.json", "production");
    const address = "aws_ecr_repository.api-repository_50B8A359";
    const scoped = guard([staging, production], [`staging:${address}`]);
    expect(scoped.allowed.map((change) => `${change.stack}:${change.address}`)).toEqual([`staging:${address}`]);
    expect(scoped.blocked.map((change) => `${change.stack}:${change.address}`)).toContain(`production:${address}`);
    expect(guard([staging, production], [address]).allowed).toHaveLength(2);
    expect(guard([staging], ["aws_ecr_repository.other"]).unusedOverrides).toEqual(["aws_ecr_repository.other"]);
  });
});

describe("npm run plan-guard", () => {
  test("exit 0 and a Markdown summary for an image rollout", () => {
    const output = runPlanGuard([fixture("image-rollout.json"), "--stack", "staging"]);
    expect(output.exitCode).toBe(0);
    expect(output.stdout).toContain("| staging | 0 | 1 | 1 | 0 | 0 | image rollout only |");
    expect(output.stdout).toMatch(/- api: `[^`]+:a{40}` → `[^`]+:b{40}`/);
    expect(output.stdout).toContain("forced by `container_definitions`");
  });

  test("exit 1 when a protected resource would be deleted or replaced, saying which and why", () => {
    const output = runPlanGuard([fixture("infrastructure-change.json"), "--stack", "production"]);
    expect(output.exitCode).toBe(1);
    expect(output.stdout).toContain("> ⛔ **Blocked**: 1 protected resource would be deleted, replaced or left unprotected:");
    expect(output.stdout).toContain("`production:aws_cloudwatch_log_group.service_api-logs_9A6D20CB`: a log group: the log history in it is lost for good");
    expect(output.stdout).toContain("--allow-destroy production:aws_cloudwatch_log_group.service_api-logs_9A6D20CB");
    expect(output.stdout).toContain("**import** `aws_ecr_repository.api-repository_50B8A359`: safe, adopts the existing object `city-guided-api`");
    expect(output.stderr).toBe("plan-guard: 1 protected resource would be deleted, replaced or left unprotected (see the summary)\n");
  });

  test("exit 0 once --allow-destroy names the change, which the summary still flags", () => {
    const output = runPlanGuard([
      fixture("infrastructure-change.json"),
      "--stack",
      "production",
      "--allow-destroy",
      "production:aws_cloudwatch_log_group.service_api-logs_9A6D20CB",
    ]);
    expect(output.exitCode).toBe(0);
    expect(output.stdout).toContain("⚠️ **Protected, let through by `--allow-destroy`**");
  });

  test("the stack name comes from cdktf.out/stacks/<stack>/plan.json, else --stack", () => {
    expect(stackNameOf("cdktf.out/stacks/production/plan.json", undefined)).toBe("production");
    expect(stackNameOf("plan.json", "qa")).toBe("qa");
    // scripts/plan-stacks.sh writes <out>/<stack>.plan.json.
    expect(stackNameOf("plans/staging-eu.plan.json", undefined)).toBe("staging-eu");
    const output = runPlanGuard(["cdktf.out/stacks/staging/plan.json", "cdktf.out/stacks/production/plan.json"], () => readFileSync(fixture("no-changes.json"), "utf8"));
    expect(output.exitCode).toBe(0);
    expect(output.stdout).toContain("| staging | 0 | 0 | 0 | 0 | 0 | no changes |");
    expect(output.stdout).toContain("| production | 0 | 0 | 0 | 0 | 0 | no changes |");
  });

  /** What runPlanGuard throws for input it refuses (the CLI prints it as one line). */
  const refusal = (argv: string[]): UserError => {
    try {
      runPlanGuard(argv);
    } catch (error) {
      if (error instanceof UserError) return error;
      throw error;
    }
    throw new Error(`runPlanGuard(${argv.join(" ")}) did not refuse`);
  };

  test.each([
    ["not-a-plan-empty.json", "is empty: expected a Terraform JSON plan (terraform show -json <planfile>)"],
    ["not-a-plan-text.json", "is not JSON: expected a Terraform JSON plan"],
    ["not-a-plan-format-2.json", 'has format_version "2.0": expected a Terraform JSON plan (terraform show -json <planfile>) with format_version 1.x'],
    ["not-a-plan-state-show.json", "is the JSON of a Terraform state (terraform show -json without a plan file)"],
    ["not-a-plan-tfstate.json", "is a Terraform state file (terraform.tfstate), not a plan"],
  ])("%s: exit 2 with one line saying what was expected", (name, message) => {
    const error = refusal([fixture(name)]);
    expect(error.exitCode).toBe(2);
    expect(error.message).toContain(message);
    expect(error.message.split("\n")).toHaveLength(1);
  });

  test.each([
    [[], "no plan given: make one per stack first"],
    [["--stack"], "--stack needs a value"],
    [["--bogus", "plan.json"], "unknown option --bogus"],
    [["a.json", "b.json", "--stack", "qa"], "--stack names the stack of a single plan"],
  ])("bad arguments %j: exit 1, with the usage", (argv, message) => {
    const error = refusal(argv);
    expect(error.exitCode).toBe(1);
    expect(error.message).toContain(message);
    expect(error.message).toContain("usage: npm run plan-guard --");
  });

  test("a missing plan says how to make one (exit 2)", () => {
    const error = refusal(["cdktf.out/stacks/*/plan.json"]);
    expect(error.exitCode).toBe(2);
    expect(error.message).toBe(
      "no plan at cdktf.out/stacks/*/plan.json (the shell found no file matching it): make one per stack first: npx cdktf diff <stack>, then terraform -chdir=cdktf.out/stacks/<stack> show -json plan > cdktf.out/stacks/<stack>/plan.json (docs/policy.md)",
    );
  });

  test.each([["--help"], ["-h"]])("%s prints the usage, exit 0", (flag) => {
    expect(runPlanGuard([flag])).toEqual({ exitCode: 0, stdout: expect.stringContaining("usage: npm run plan-guard --"), stderr: "" });
  });

  test("a plan file starting with a UTF-8 byte order mark is read", () => {
    const text = readFileSync(fixture("no-changes.json"), "utf8");
    expect(runPlanGuard(["plan.json"], () => `\uFEFF${text}`).exitCode).toBe(0);
  });

  test.each([
    ["replace_paths", { replace_paths: "name" }, "resource_changes[0].change.replace_paths is not a list of paths"],
    ["replace_paths items", { replace_paths: ["name"] }, "resource_changes[0].change.replace_paths is not a list of paths"],
    ["importing", { importing: "city-guided-api" }, "resource_changes[0].change.importing is not an object"],
  ])("a malformed %s is refused as input, not a crash", (_field, extra, expected) => {
    const text = JSON.stringify({ format_version: "1.2", resource_changes: [{ address: "a.b", type: "a", change: { actions: ["update"], ...extra } }] });
    expect(() => parsePlan(text, "plan.json")).toThrow(`plan.json: ${expected}: expected a Terraform JSON plan (terraform show -json <planfile>)`);
  });

  test("a resource change without actions is refused as input", () => {
    const text = JSON.stringify({ format_version: "1.2", planned_values: {}, resource_changes: [{ address: "a.b", type: "a" }] });
    expect(() => parsePlan(text, "plan.json")).toThrow(UserError);
    expect(() => parsePlan(text, "plan.json")).toThrow("resource_changes[0] lacks address, type or change.actions");
  });
});
