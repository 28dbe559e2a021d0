import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { checkImageTag } from "../ops/check-image-tag";

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

  test("a workflow checks a tag with the one image-tag rule (npm run check-image-tag), never with a pattern of its own", () => {
    const checks = workflows.flatMap(({ file, text }) => [...text.matchAll(/if ! npm run -s check-image-tag -- "\$[A-Za-z_]+"; then/g)].map(() => file));
    expect(checks.sort()).toEqual(["deploy-staging.yml", "deploy.yml"]);
    const ownPatterns = workflows.filter(({ text }) => /=~\s*\^|A-Za-z0-9_\]\[/.test(text)).map(({ file }) => file);
    expect(ownPatterns).toEqual([]);
  });

  test("a job that runs an npm command has node and npm ci (the setup action) before it", () => {
    const missing = jobs.flatMap(({ where, job }) => {
      const steps = job.steps ?? [];
      const setup = steps.findIndex((step) => step.uses === "./.github/actions/setup");
      const firstNpm = steps.findIndex((step) => /\bnpm run\b/.test(step.run ?? ""));
      return firstNpm !== -1 && (setup === -1 || setup > firstNpm) ? [where] : [];
    });
    expect(jobs.filter(({ job }) => (job.steps ?? []).some((step) => /\bnpm run -s (check-image-tag|running-tag|promote|status)\b/.test(step.run ?? ""))).length).toBeGreaterThanOrEqual(3);
    expect(missing).toEqual([]);
  });

  // The stacks' variable validation uses the same module (config/image-tag.ts): environment-stack.suite checks the synthesized condition.
  test("the check the workflows run is the stacks' rule", () => {
    expect(checkImageTag(["v1.2.3_rc-1"])).toBe(0);
    for (const bad of [".hidden", "-dash", "--help", "a".repeat(129), "has space", "latest:1", ""]) expect(() => checkImageTag([bad])).toThrow(/^Invalid image tag/);
    expect(() => checkImageTag([])).toThrow(/expected exactly one tag/);
    expect(() => checkImageTag(["a", "b"])).toThrow(/expected exactly one tag/);
  });
});
