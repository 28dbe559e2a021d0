import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { IMAGE_TAG_PATTERN } from "../stacks/environment-stack";

const WORKFLOWS = join(__dirname, "../.github/workflows");
/** The CI roles' maximum session length (constructs/github-role.ts), which the workflows' credentials use. */
const ROLE_SESSION_MINUTES = 60;

type Step = { uses?: string; with?: Record<string, unknown>; run?: string };
type Job = { "runs-on"?: string; "timeout-minutes"?: number; steps?: Step[]; uses?: string };

const workflows = readdirSync(WORKFLOWS)
  .filter((file) => file.endsWith(".yml"))
  .map((file) => ({ file, text: readFileSync(join(WORKFLOWS, file), "utf8") }))
  .map(({ file, text }) => ({ file, text, jobs: (parse(text) as { jobs: Record<string, Job> }).jobs }));
const jobs = workflows.flatMap(({ file, jobs }) => Object.entries(jobs).map(([name, job]) => ({ where: `${file}:${name}`, job })));
const credentialSteps = jobs.flatMap(({ where, job }) =>
  (job.steps ?? []).filter((step) => step.uses?.startsWith("aws-actions/configure-aws-credentials@")).map((step) => ({ where, step })),
);

describe("workflow jobs", () => {
  test("every job that runs on a runner ends before the role session it may hold", () => {
    const runnerJobs = jobs.filter(({ job }) => job["runs-on"] !== undefined);
    expect(runnerJobs.length).toBeGreaterThan(5);
    const unbounded = runnerJobs.filter(({ job }) => !(typeof job["timeout-minutes"] === "number" && job["timeout-minutes"] < ROLE_SESSION_MINUTES));
    expect(unbounded.map(({ where }) => where)).toEqual([]);
  });

  test("every AWS session is named after the run, so CloudTrail ties each call to a run and attempt", () => {
    expect(credentialSteps.length).toBeGreaterThan(3);
    const unnamed = credentialSteps.filter(({ step }) => !/\$\{\{ github\.run_id \}\}/.test(String(step.with?.["role-session-name"] ?? "")));
    expect(unnamed.map(({ where }) => where)).toEqual([]);
  });

  test("a tag check in a workflow is the stack's own image-tag rule", () => {
    const checks = workflows.flatMap(({ file, text }) => [...text.matchAll(/=~ (\^\S+\$) \]\]/g)].map((match) => ({ file, pattern: match[1] })));
    expect(checks.map(({ file }) => file).sort()).toEqual(["deploy-staging.yml", "deploy.yml"]);
    for (const check of checks) expect(check.pattern).toBe(IMAGE_TAG_PATTERN);
  });
});
