import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { PROMOTION_ENVIRONMENT } from "../constructs/names";

// The deploy path as data: the apply job applies the very plan file that the plan job's guard
// judged (scripts/apply-plan.sh checks its SHA-256; __tests__/shell/deploy-plan.test.sh runs both
// scripts), and no workflow applies anything another way.
const WORKFLOWS = join(__dirname, "../.github/workflows");
type Step = { id?: string; uses?: string; run?: string; with?: Record<string, unknown>; env?: Record<string, string> };
type Job = { needs?: string; environment?: string; outputs?: Record<string, string>; steps: Step[] };
const deploy = parse(readFileSync(join(WORKFLOWS, "deploy.yml"), "utf8")) as { jobs: Record<string, Job> };
const { plan, apply } = deploy.jobs;
const credentialsOf = (job: Job) => job.steps.find((step) => step.uses?.startsWith("aws-actions/configure-aws-credentials@"))?.with?.["role-to-assume"];
const stepRunning = (job: Job, script: string) => job.steps.find((step) => step.run?.includes(script));

describe("deploy workflow", () => {
  test("the plan job plans with the plan role, outside the environment; the apply job applies with the deploy role, inside it", () => {
    expect(plan.environment).toBeUndefined();
    expect(credentialsOf(plan)).toBe("${{ vars.AWS_PLAN_ROLE_ARN }}");
    expect(apply.needs).toBe("plan");
    expect(apply.environment).toBe("${{ inputs.environment }}");
    expect(credentialsOf(apply)).toBe("${{ vars.AWS_DEPLOY_ROLE_ARN }}");
  });

  test("the plan job guards the saved plan and reports its checksum; the apply job applies that file with that checksum", () => {
    const planStep = stepRunning(plan, "scripts/plan-deploy.sh")!;
    expect(planStep.id).toBe("plan");
    expect(planStep.run).toMatch(/scripts\/plan-deploy\.sh "\$ENVIRONMENT" "\$TAG" deploy-plan /);
    expect(planStep.run).toContain("GITHUB_STEP_SUMMARY");
    expect(plan.outputs?.["plan-sha256"]).toBe("${{ steps.plan.outputs.sha256 }}");
    const upload = plan.steps.find((step) => step.uses?.startsWith("actions/upload-artifact@"))!;
    const download = apply.steps.find((step) => step.uses?.startsWith("actions/download-artifact@"))!;
    expect(upload.with).toMatchObject({ path: "deploy-plan/", "include-hidden-files": true, "retention-days": 1 });
    expect(download.with).toMatchObject({ name: upload.with!.name, path: "deploy-plan" });
    const applyStep = stepRunning(apply, "scripts/apply-plan.sh")!;
    expect(applyStep.run).toBe('scripts/apply-plan.sh deploy-plan/stack "$PLAN_SHA256"');
    expect(applyStep.env?.PLAN_SHA256).toBe("${{ needs.plan.outputs.plan-sha256 }}");
  });

  test("the apply job records the tag only after the wait, and promotion checks staging before planning", () => {
    const names = apply.steps.map((step) => step.run ?? "");
    const applied = names.findIndex((run) => run.includes("apply-plan.sh"));
    const promoted = names.findIndex((run) => run === 'npm run -s promote -- "$TAG"');
    const waited = names.findIndex((run) => run.includes('npm run -s status -- "$ENVIRONMENT" --wait'));
    expect(promoted).toBeGreaterThan(-1);
    expect(promoted).toBeLessThan(applied);
    const recorded = names.findIndex((run) => run.includes("record-deployment.sh"));
    expect(applied).toBeGreaterThan(-1);
    expect(waited).toBeGreaterThan(applied);
    expect(recorded).toBeGreaterThan(waited);
    const plans = plan.steps.map((step) => step.run ?? "");
    expect(plans.findIndex((run) => run.includes("staging-deployed.sh"))).toBeLessThan(plans.findIndex((run) => run.includes("plan-deploy.sh")));
  });

  test("no workflow applies a plan any other way", () => {
    for (const file of readdirSync(WORKFLOWS).filter((name) => name.endsWith(".yml"))) {
      // Commands only: comments may name them.
      const commands = readFileSync(join(WORKFLOWS, file), "utf8").replace(/^\s*#.*$/gm, "");
      expect({ file, deploys: /cdktf (deploy|apply)|terraform\b[^\n]*\bapply\b|--auto-approve/.test(commands) }).toEqual({ file, deploys: false });
    }
  });
});

describe("promotion", () => {
  test("promote-production.yml deploys the one environment whose deploy role may add release tags", () => {
    const promote = parse(readFileSync(join(WORKFLOWS, "promote-production.yml"), "utf8")) as { jobs: Record<string, { with?: Record<string, unknown> }> };
    const calls = Object.values(promote.jobs).filter((job) => job.with?.promote === true);
    expect(calls.map((job) => job.with?.environment)).toEqual([PROMOTION_ENVIRONMENT]);
  });
});
