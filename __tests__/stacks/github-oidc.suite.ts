import { Testing, TerraformStack } from "cdktf";
import { GitHubOidc, githubSubject } from "../../constructs/github-oidc";
import { configErrorOf, configFrom, MINIMAL_SHARED } from "../helpers";
import { APP_REPOSITORY, INFRA_REPOSITORY, PIPELINE_SHARED, pipelineStacks, role } from "../pipeline-helpers";

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

describe("trust policies", () => {
  const { registry } = pipelineStacks();
  const trusts: [string, string[]][] = [
    ["city-guided-github-push", [`repo:${APP_REPOSITORY}:ref:refs/heads/main`]],
    ["city-guided-github-plan", [`repo:${INFRA_REPOSITORY}:pull_request`, `repo:${INFRA_REPOSITORY}:ref:refs/heads/main`]],
    ["city-guided-staging-deploy", [`repo:${INFRA_REPOSITORY}:environment:staging`]],
    ["city-guided-production-deploy", [`repo:${INFRA_REPOSITORY}:environment:production`]],
  ];

  test.each(trusts)("%s trusts exactly its sub values, through StringEquals", (name, subjects) => {
    const [trust, ...others] = role(registry, name).trust;
    expect(others).toEqual([]);
    expect(trust.Action).toEqual(["sts:AssumeRoleWithWebIdentity"]);
    expect(Object.keys(trust.Condition!)).toEqual(["StringEquals"]);
    expect(trust.Condition!.StringEquals[`${HOST}:sub`]).toEqual(subjects);
  });

  test.each(trusts)("%s checks the audience", (name) => {
    expect(role(registry, name).trust[0].Condition!.StringEquals[`${HOST}:aud`]).toBe("sts.amazonaws.com");
  });

  test.each(trusts)("%s names no wildcard", (name) => {
    expect(role(registry, name).resource.assume_role_policy).not.toMatch(/[*?]/);
  });

  test("during the migration (INFRA_ECR_IMPORT_EXISTING=true) the push role also trusts exactly this repository's ecr-migration environment", () => {
    const { registry: migrating } = pipelineStacks({ staging: "" }, `${PIPELINE_SHARED}INFRA_ECR_IMPORT_EXISTING=true\n`);
    const [trust, ...others] = role(migrating, "city-guided-github-push").trust;
    expect(others).toEqual([]);
    expect(Object.keys(trust.Condition!)).toEqual(["StringEquals"]);
    expect(trust.Condition!.StringEquals[`${HOST}:sub`]).toEqual([`repo:${APP_REPOSITORY}:ref:refs/heads/main`, `repo:${INFRA_REPOSITORY}:environment:ecr-migration`]);
    expect(role(migrating, "city-guided-github-push").resource.description).toContain("environment ecr-migration");
    // The other roles are unchanged by the migration.
    expect(role(migrating, "city-guided-github-plan").trust[0].Condition!.StringEquals[`${HOST}:sub`]).toEqual(trusts[1][1]);
  });

  test("the migration trust needs the infrastructure repository; without it the push role trusts the app's main only", () => {
    const shared = `${MINIMAL_SHARED}INFRA_GITHUB_APP_REPOSITORY=${APP_REPOSITORY}\nINFRA_ECR_IMPORT_EXISTING=true\n`;
    const { registry: appOnly } = pipelineStacks({ staging: "" }, shared);
    expect(role(appOnly, "city-guided-github-push").trust[0].Condition!.StringEquals[`${HOST}:sub`]).toEqual([`repo:${APP_REPOSITORY}:ref:refs/heads/main`]);
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
    expect(() => githubSubject.pullRequest("elzinko/*")).toThrow(/Invalid GitHub repository "elzinko\/\*"/);
    expect(() => githubSubject.branch("elzinko", "main")).toThrow(/owner\/name/);
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
