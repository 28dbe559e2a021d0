import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { APP_REPOSITORY, INFRA_REPOSITORY, PIPELINE_SHARED, pipelineStacks, role, trusts } from "../pipeline-helpers";

// The `sub` each job of the workflows presents, derived from the workflow files themselves (their
// triggers, callers, environments and the role variable they assume), checked against the
// synthesized trust policies: a workflow change that moves a job to another role, environment or
// file fails here, not at the first run on GitHub. The form is GitHub's customized subject with
// repo, context and job_workflow_ref (docs/delivery.md, one-time setup).
const ROOT = join(__dirname, "../..");
type Step = { uses?: string; with?: Record<string, string> };
type Job = { environment?: string; steps?: Step[]; uses?: string; with?: Record<string, string> };
type Workflow = { on: Record<string, unknown> | string[] | string; jobs: Record<string, Job> };

interface WorkflowFile {
  readonly file: string;
  /** Repository the file runs in: the app repository's release workflow is kept in docs/examples. */
  readonly repository: string;
  readonly workflow: Workflow;
}
const files: WorkflowFile[] = [
  ...readdirSync(join(ROOT, ".github/workflows")).map((file) => ({ file, repository: INFRA_REPOSITORY, path: `.github/workflows/${file}` })),
  ...readdirSync(join(ROOT, "docs/examples")).map((file) => ({ file, repository: APP_REPOSITORY, path: `docs/examples/${file}` })),
]
  .filter(({ file }) => file.endsWith(".yml"))
  .map(({ file, repository, path }) => ({ file, repository, workflow: parse(readFileSync(join(ROOT, path), "utf8")) as Workflow }));

const triggers = (workflow: Workflow) => (typeof workflow.on === "string" ? [workflow.on] : Array.isArray(workflow.on) ? workflow.on : Object.keys(workflow.on));

/** How a workflow is started: by its own triggers, or through each job that calls it. */
interface Start {
  readonly repository: string;
  readonly pullRequest: boolean;
  /** Inputs the caller passes (`environment`, resolved). */
  readonly inputs: Record<string, string>;
}
function startsOf(target: WorkflowFile): Start[] {
  if (!triggers(target.workflow).includes("workflow_call")) {
    return [{ repository: target.repository, pullRequest: triggers(target.workflow).includes("pull_request"), inputs: {} }];
  }
  return files.flatMap((caller) =>
    Object.values(caller.workflow.jobs)
      .filter((job) => job.uses === `./.github/workflows/${target.file}` || job.uses === `${INFRA_REPOSITORY}/.github/workflows/${target.file}@main`)
      .flatMap((job) => startsOf(caller).map((start) => ({ ...start, inputs: { ...(job.with ?? {}) } }))),
  );
}

const ROLE_OF_VARIABLE: Record<string, (environment?: string) => string> = {
  "${{ vars.AWS_PLAN_ROLE_ARN }}": () => "city-guided-github-plan",
  "${{ vars.AWS_PUSH_ROLE_ARN }}": () => "city-guided-github-push",
  "${{ inputs.push-role-arn }}": () => "city-guided-github-push",
  "${{ vars.AWS_DEPLOY_ROLE_ARN }}": (environment) => `city-guided-${environment}-deploy`,
};

interface Presented {
  readonly where: string;
  readonly role: string;
  readonly subject: string;
}
const presented: Presented[] = files
  .filter(({ repository }) => repository === INFRA_REPOSITORY)
  .flatMap((target) =>
    Object.entries(target.workflow.jobs).flatMap(([name, job]) =>
      (job.steps ?? [])
        .filter((step) => step.uses?.startsWith("aws-actions/configure-aws-credentials@"))
        .flatMap((step) =>
          startsOf(target).map((start) => {
            const environment = job.environment?.replace("${{ inputs.environment }}", start.inputs.environment ?? "?");
            const ref = start.pullRequest ? "refs/pull/7/merge" : "refs/heads/main";
            const context = environment ? `environment:${environment}` : start.pullRequest ? "pull_request" : "ref:refs/heads/main";
            const roleName = ROLE_OF_VARIABLE[step.with!["role-to-assume"]]?.(environment);
            return {
              where: `${target.file}:${name} (started in ${start.repository}${environment ? `, ${environment}` : ""})`,
              role: roleName ?? `unknown role variable ${step.with!["role-to-assume"]}`,
              subject: `repo:${start.repository}:${context}:job_workflow_ref:${INFRA_REPOSITORY}/.github/workflows/${target.file}@${ref}`,
            };
          }),
        ),
    ),
  );

describe("what each workflow's jobs present to the trust policies", () => {
  // Migration on: the push role then also trusts the GHCR copy workflow.
  const { registry } = pipelineStacks({ staging: "", production: "" }, `${PIPELINE_SHARED}INFRA_ECR_IMPORT_EXISTING=true\n`);
  const roles = [...new Set(presented.map(({ role: name }) => name))].sort();

  test("every job that assumes a role is found, through its callers", () => {
    expect(roles).toEqual(["city-guided-github-plan", "city-guided-github-push", "city-guided-production-deploy", "city-guided-staging-deploy"]);
    expect(presented.map(({ where }) => where).sort()).toEqual([
      "build-images.yml:build (started in elzinko/city-guided)",
      "copy-images-from-ghcr.yml:copy (started in elzinko/city-guided-infrastructure, ecr-migration)",
      "deploy.yml:apply (started in elzinko/city-guided-infrastructure, production)",
      "deploy.yml:apply (started in elzinko/city-guided-infrastructure, staging)",
      "deploy.yml:plan (started in elzinko/city-guided-infrastructure)",
      "deploy.yml:plan (started in elzinko/city-guided-infrastructure)",
      "drift.yml:drift (started in elzinko/city-guided-infrastructure)",
      "pull-request.yml:diff (started in elzinko/city-guided-infrastructure)",
    ]);
  });

  test("each job's subject is trusted by the role it assumes", () => {
    const refused = presented.filter(({ role: name, subject }) => !trusts(role(registry, name).trust[0], subject));
    expect(refused).toEqual([]);
  });

  test("and by no other pipeline role", () => {
    const alsoTrusted = presented.flatMap(({ role: name, subject, where }) =>
      roles.filter((other) => other !== name && trusts(role(registry, other).trust[0], subject)).map((other) => `${where} -> ${other}`),
    );
    expect(alsoTrusted).toEqual([]);
  });
});
