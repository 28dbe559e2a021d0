import { Testing, TerraformStack } from "cdktf";
import { GitHubOidc, githubSubject, mainWorkflow } from "../../constructs/github-oidc";
import { configErrorOf, configFrom, MINIMAL_SHARED } from "../helpers";
import { APP_REPOSITORY, INFRA_REPOSITORY, PIPELINE_SHARED, pipelineStacks, role, trusts } from "../pipeline-helpers";

const HOST = "token.actions.githubusercontent.com";

describe("GitHub OIDC provider", () => {
  test("the registry stack creates it for GitHub's issuer and the sts.amazonaws.com audience", () => {
    const provider = pipelineStacks().registry.resource("aws_iam_openid_connect_provider");
    expect(provider.url).toBe("https://token.actions.githubusercontent.com");
    expect(provider.client_id_list).toEqual(["sts.amazonaws.com"]);
  });

  test("an existing provider is referenced instead of created", () => {
    const arn = "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com";
    const { registry } = pipelineStacks({ staging: "" }, `${PIPELINE_SHARED}INFRA_GITHUB_OIDC_PROVIDER_ARN=${arn}\n`);
    expect(registry.resources("aws_iam_openid_connect_provider")).toEqual({});
    expect(role(registry, "city-guided-github-push").trust[0].Principal).toEqual({ Federated: arn });
  });

  test("without GitHub repositories there is no provider and no pipeline role", () => {
    const { registry } = pipelineStacks({ staging: "" }, MINIMAL_SHARED);
    expect(registry.resources("aws_iam_openid_connect_provider")).toEqual({});
    expect(registry.resources("aws_iam_role")).toEqual({});
  });
});

const workflow = (file: string, ref = "refs/heads/main") => `${INFRA_REPOSITORY}/.github/workflows/${file}@${ref}`;
const infraMain = (file: string) => `repo:${INFRA_REPOSITORY}:ref:refs/heads/main:job_workflow_ref:${workflow(file)}`;
const inEnvironment = (environment: string, file: string, ref?: string) => `repo:${INFRA_REPOSITORY}:environment:${environment}:job_workflow_ref:${workflow(file, ref)}`;
const pullRequest = (file: string, number: number) => `repo:${INFRA_REPOSITORY}:pull_request:job_workflow_ref:${workflow(file, `refs/pull/${number}/merge`)}`;
const appMain = (jobWorkflow: string) => `repo:${APP_REPOSITORY}:ref:refs/heads/main:job_workflow_ref:${jobWorkflow}`;

describe("trust policies", () => {
  const { registry } = pipelineStacks();
  // The sub each job presents once both repositories' OIDC subjects include repo, context and
  // job_workflow_ref (docs/delivery.md): what must get in, and what must not.
  const cases: [string, string[], string[]][] = [
    [
      "city-guided-github-push",
      [appMain(workflow("build-images.yml"))],
      [
        appMain(`${APP_REPOSITORY}/.github/workflows/release.yml@refs/heads/main`), // the app repository's own job
        appMain(workflow("build-images.yml", "refs/heads/feature")), // the build workflow of another branch
        `repo:${APP_REPOSITORY}:ref:refs/heads/feature:job_workflow_ref:${workflow("build-images.yml")}`, // the app's other branch
        `repo:${APP_REPOSITORY}:ref:refs/heads/main`, // an uncustomized subject
        inEnvironment("ecr-migration", "copy-images-from-ghcr.yml"), // not migrating
      ],
    ],
    [
      "city-guided-github-plan",
      [pullRequest("pull-request.yml", 7), pullRequest("pull-request.yml", 1234), infraMain("drift.yml"), infraMain("deploy.yml")],
      [
        pullRequest("other.yml", 7), // another workflow of a pull request
        `repo:${INFRA_REPOSITORY}:ref:refs/heads/feature:job_workflow_ref:${workflow("drift.yml", "refs/heads/feature")}`, // another branch
        infraMain("other.yml"), // another workflow on main
        `repo:${INFRA_REPOSITORY}:pull_request`, // an uncustomized subject
      ],
    ],
    [
      "city-guided-staging-deploy",
      [inEnvironment("staging", "deploy.yml")],
      [
        inEnvironment("staging", "pull-request.yml", "refs/pull/7/merge"), // a pull request naming the environment
        inEnvironment("staging", "deploy.yml", "refs/pull/7/merge"), // a pull request calling the deploy workflow
        inEnvironment("staging", "drift.yml"), // another workflow of main in the environment
        inEnvironment("production", "deploy.yml"), // another environment
        infraMain("deploy.yml"), // the deploy workflow outside the environment (its plan job)
        `repo:${INFRA_REPOSITORY}:environment:staging`, // an uncustomized subject
      ],
    ],
    ["city-guided-production-deploy", [inEnvironment("production", "deploy.yml")], [inEnvironment("staging", "deploy.yml"), inEnvironment("production", "deploy.yml", "refs/heads/feature")]],
  ];

  test.each(cases)("%s lets in exactly the jobs it serves", (name, allowed, refused) => {
    const [trust, ...others] = role(registry, name).trust;
    expect(others).toEqual([]);
    expect(trust.Action).toEqual(["sts:AssumeRoleWithWebIdentity"]);
    expect(allowed.filter((subject) => !trusts(trust, subject))).toEqual([]);
    expect(refused.filter((subject) => trusts(trust, subject))).toEqual([]);
  });

  test.each(cases)("%s checks the audience", (name) => {
    expect(role(registry, name).trust[0].Condition!.StringEquals[`${HOST}:aud`]).toBe("sts.amazonaws.com");
  });

  test.each(cases)("%s holds no wildcard but a pull request's number", (name) => {
    const subjects = [JSON.parse(role(registry, name).resource.assume_role_policy).Statement[0].Condition].flatMap((condition) =>
      Object.values(condition as Record<string, Record<string, string | string[]>>).flatMap((values) => [values[`${HOST}:sub`] ?? []].flat()),
    );
    expect(subjects.map((subject: string) => subject.replace("@refs/pull/*/merge", "")).filter((subject: string) => /[*?]/.test(subject))).toEqual([]);
  });

  test("exact subjects compare with StringEquals; only the plan role, which trusts pull requests, uses StringLike", () => {
    expect(Object.keys(role(registry, "city-guided-staging-deploy").trust[0].Condition!)).toEqual(["StringEquals"]);
    expect(Object.keys(role(registry, "city-guided-github-plan").trust[0].Condition!).sort()).toEqual(["StringEquals", "StringLike"]);
  });

  test("during the migration (INFRA_ECR_IMPORT_EXISTING=true) the push role also trusts exactly the copy workflow in the ecr-migration environment", () => {
    const { registry: migrating } = pipelineStacks({ staging: "" }, `${PIPELINE_SHARED}INFRA_ECR_IMPORT_EXISTING=true\n`);
    const [trust] = role(migrating, "city-guided-github-push").trust;
    expect(trusts(trust, inEnvironment("ecr-migration", "copy-images-from-ghcr.yml"))).toBe(true);
    expect(trusts(trust, inEnvironment("ecr-migration", "deploy.yml"))).toBe(false);
    expect(trusts(trust, appMain(workflow("build-images.yml")))).toBe(true);
    expect(role(migrating, "city-guided-github-push").resource.description).toContain("environment ecr-migration");
    // The other roles are unchanged by the migration.
    expect(role(migrating, "city-guided-github-plan").resource.assume_role_policy).toBe(role(registry, "city-guided-github-plan").resource.assume_role_policy);
  });

  test("the push role needs the infrastructure repository, whose build workflow it trusts", () => {
    const message = configErrorOf({ staging: "" }, `${MINIMAL_SHARED}INFRA_GITHUB_APP_REPOSITORY=${APP_REPOSITORY}\n`);
    expect(message).toContain(`env/.env:2: INFRA_GITHUB_APP_REPOSITORY="${APP_REPOSITORY}": needs INFRA_GITHUB_INFRA_REPOSITORY`);
  });

  test("the federated principal is the provider the stack creates", () => {
    expect(role(registry, "city-guided-github-push").trust[0].Principal!.Federated).toMatch(/^\$\{aws_iam_openid_connect_provider\./);
  });
});

describe("GitHubOidc construct guards", () => {
  const oidc = () => new GitHubOidc(new TerraformStack(Testing.app(), "test"), "oidc");

  test("refuses a wildcard subject", () => {
    expect(() => oidc().trustPolicy(["repo:elzinko/*:ref:refs/heads/main"])).toThrow(/wildcard/);
  });

  test("refuses an empty subject list", () => {
    expect(() => oidc().trustPolicy([])).toThrow(/at least one subject/);
  });

  test("subjects refuse a repository that is not exactly owner/name", () => {
    expect(() => githubSubject.pullRequest("elzinko/*", "pull-request.yml")).toThrow(/Invalid GitHub repository "elzinko\/\*"/);
    expect(() => githubSubject.branch("elzinko", "main", mainWorkflow(INFRA_REPOSITORY, "drift.yml"))).toThrow(/owner\/name/);
    expect(() => githubSubject.branch(INFRA_REPOSITORY, "main", mainWorkflow(INFRA_REPOSITORY, "*.yml"))).toThrow(/Invalid workflow file name/);
    expect(() => githubSubject.branch(INFRA_REPOSITORY, "main", { repository: INFRA_REPOSITORY, file: "drift.yml", ref: "refs/heads/*" })).toThrow(/Invalid workflow ref/);
  });

  test("refuses a provider ARN of another issuer", () => {
    const stack = new TerraformStack(Testing.app(), "test");
    expect(() => new GitHubOidc(stack, "oidc", { existingProviderArn: "arn:aws:iam::123456789012:oidc-provider/example.com" })).toThrow(/Invalid GitHub OIDC provider ARN/);
  });
});

describe("GitHub configuration errors", () => {
  test.each([["elzinko/*"], ["elzinko"], ["*"], ["https://github.com/elzinko/city-guided"], ["-elzinko/city-guided"], ["elzinko/.."]])(
    "INFRA_GITHUB_APP_REPOSITORY=%s is refused with the rule",
    (value) => {
      const message = configErrorOf({ staging: "" }, `${MINIMAL_SHARED}INFRA_GITHUB_APP_REPOSITORY=${value}\n`);
      expect(message).toContain(`env/.env:2: INFRA_GITHUB_APP_REPOSITORY=${JSON.stringify(value)}: must be owner/name of one GitHub repository (no wildcard`);
    },
  );

  test("the infrastructure repository is validated the same way", () => {
    const message = configErrorOf({ staging: "" }, `${MINIMAL_SHARED}INFRA_GITHUB_INFRA_REPOSITORY=elzinko/infra?\n`);
    expect(message).toContain('INFRA_GITHUB_INFRA_REPOSITORY="elzinko/infra?": must be owner/name of one GitHub repository');
  });

  test("a provider ARN that is not GitHub's is refused", () => {
    const message = configErrorOf({ staging: "" }, `${PIPELINE_SHARED}INFRA_GITHUB_OIDC_PROVIDER_ARN=arn:aws:iam::123456789012:oidc-provider/example.com\n`);
    expect(message).toContain("INFRA_GITHUB_OIDC_PROVIDER_ARN=\"arn:aws:iam::123456789012:oidc-provider/example.com\": must be arn:aws:iam::<12-digit account>:oidc-provider/token.actions.githubusercontent.com");
  });

  test("a provider ARN with no repository to use it is refused", () => {
    const message = configErrorOf({ staging: "" }, `${MINIMAL_SHARED}INFRA_GITHUB_OIDC_PROVIDER_ARN=arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com\n`);
    expect(message).toContain("env/.env:2: INFRA_GITHUB_OIDC_PROVIDER_ARN=");
    expect(message).toContain("no role would use it");
  });

  test("GitHub keys belong to the shared file only", () => {
    const message = configErrorOf({ staging: `INFRA_GITHUB_APP_REPOSITORY=${APP_REPOSITORY}\n` });
    expect(message).toContain("env/.env.staging:1: INFRA_GITHUB_APP_REPOSITORY");
    expect(message).toContain("set it in the shared file");
  });

  test("valid keys reach the registry config", () => {
    expect(configFrom({ staging: "" }, PIPELINE_SHARED).registry.github).toEqual({ appRepository: APP_REPOSITORY, infraRepository: INFRA_REPOSITORY, oidcProviderArn: undefined });
  });
});
