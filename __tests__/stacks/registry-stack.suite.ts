import { Testing, TerraformStack } from "cdktf";
import { EcrRepository, lifecycleRules, validateLifecycleRules, type LifecycleRule } from "../../constructs/ecr-repository";
import { configFrom, MINIMAL_SHARED, synthProject } from "../helpers";

const registry = () =>
  synthProject(configFrom({ staging: "" }, `${MINIMAL_SHARED}INFRA_ECR_KEEP_IMAGES=7\nINFRA_ECR_UNTAGGED_DAYS=3\nINFRA_ECR_KEEP_RELEASES=15\n`)).registry;

describe("registry stack", () => {
  const stack = registry();
  const repositories = Object.values(stack.resources("aws_ecr_repository"));
  /** The logical id of the repository of that name, whatever id cdktf gave it. */
  const repositoryId = (name: string) => Object.entries(stack.resources("aws_ecr_repository")).find(([, repository]) => repository.name === name)![0];

  test("creates exactly city-guided-api and city-guided-web", () => {
    expect(repositories.map((repository) => repository.name).sort()).toEqual(["city-guided-api", "city-guided-web"]);
  });

  test.each(["city-guided-api", "city-guided-web"])("%s scans on push", (name) => {
    expect(repositories.find((repository) => repository.name === name).image_scanning_configuration).toEqual({ scan_on_push: true });
  });

  test("tags are immutable", () => {
    for (const repository of repositories) expect(repository.image_tag_mutability).toBe("IMMUTABLE");
  });

  test("encryption is AES256, as on the repositories that exist today", () => {
    for (const repository of repositories) expect(repository.encryption_configuration).toEqual([{ encryption_type: "AES256" }]);
  });

  test("a deploy can never delete a repository or its images", () => {
    for (const repository of repositories) {
      expect(repository.force_delete).toBe(false);
      expect(repository.lifecycle).toEqual({ prevent_destroy: true });
    }
  });

  test("each repository has its own lifecycle policy", () => {
    const policies = Object.values(stack.resources("aws_ecr_lifecycle_policy"));
    expect(policies.map((policy) => policy.repository).sort()).toEqual(
      ["city-guided-api", "city-guided-web"].map((name) => `\${aws_ecr_repository.${repositoryId(name)}.name}`).sort(),
    );
  });

  test("the lifecycle policies keep what the shared config says, and pass ECR's own checks", () => {
    const policies = Object.values(stack.resources("aws_ecr_lifecycle_policy"));
    expect(policies).toHaveLength(2);
    for (const policy of policies) {
      const { rules } = JSON.parse(policy.policy);
      expect(validateLifecycleRules(rules)).toEqual([]);
      expect(rules.map((rule: LifecycleRule) => rule.action)).toEqual([{ type: "expire" }, { type: "expire" }, { type: "expire" }]);
      const release = rules.find((rule: LifecycleRule) => rule.selection.tagStatus === "tagged");
      const any = rules.find((rule: LifecycleRule) => rule.selection.tagStatus === "any");
      const untagged = rules.find((rule: LifecycleRule) => rule.selection.tagStatus === "untagged");
      // Release images are matched first, so staging's newer pushes can never expire them.
      expect(release.rulePriority).toBeLessThan(any.rulePriority);
      expect(release.selection).toMatchObject({ tagPrefixList: ["release-"], countNumber: 15 });
      expect(any.selection).toMatchObject({ countType: "imageCountMoreThan", countNumber: 7 });
      expect(untagged.selection).toMatchObject({ countType: "sinceImagePushed", countUnit: "days", countNumber: 3 });
    }
  });

  test("state lives in its own key of the shared bucket, encrypted and locked", () => {
    expect(stack.json.terraform.backend.s3).toEqual({
      bucket: "test-state-bucket",
      key: "city-guided/registry.tfstate",
      region: "eu-west-3",
      encrypt: true,
      use_lockfile: true,
    });
  });

  test("outputs both repository URLs, each its own repository's", () => {
    expect(Object.keys(stack.json.output).sort()).toEqual(["api_repository_url", "web_repository_url"]);
    for (const container of ["api", "web"]) {
      expect(stack.json.output[`${container}_repository_url`].value).toBe(`\${aws_ecr_repository.${repositoryId(`city-guided-${container}`)}.repository_url}`);
    }
  });
});

describe("ECR repository construct", () => {
  const props = { keepImages: 10, untaggedDays: 1, releaseTagPrefix: "release-", keepReleases: 20 };

  test.each(["Foo", "a", "bad//name", "-leading"])("refuses repository name %s at synth", (name) => {
    const stack = new TerraformStack(Testing.app(), "test");
    expect(() => new EcrRepository(stack, "repo", { name, ...props })).toThrow(`Invalid ECR repository name "${name}"`);
  });

  test("allowDestroy is the explicit, risky choice", () => {
    const stack = new TerraformStack(Testing.app(), "test");
    new EcrRepository(stack, "repo", { name: "scratch", ...props, allowDestroy: true });
    const repository = Object.values(JSON.parse(Testing.synth(stack)).resource.aws_ecr_repository)[0] as any;
    expect(repository.force_delete).toBe(true);
    expect(repository.lifecycle).toEqual({ prevent_destroy: false });
  });

  test("the generated rules pass ECR's own checks", () => {
    expect(validateLifecycleRules(lifecycleRules(props))).toEqual([]);
  });

  const rule = (priority: number, selection: object): LifecycleRule =>
    ({ rulePriority: priority, description: "", selection, action: { type: "expire" } }) as LifecycleRule;

  test.each([
    ["duplicate priorities", [rule(1, { tagStatus: "untagged", countType: "sinceImagePushed", countUnit: "days", countNumber: 1 }), rule(1, { tagStatus: "any", countType: "imageCountMoreThan", countNumber: 1 })], "rulePriority values must be unique"],
    ["any rule not last", [rule(1, { tagStatus: "any", countType: "imageCountMoreThan", countNumber: 1 }), rule(2, { tagStatus: "untagged", countType: "sinceImagePushed", countUnit: "days", countNumber: 1 })], 'a tagStatus "any" rule must have the highest rulePriority'],
    ["tagged without tags", [rule(1, { tagStatus: "tagged", countType: "imageCountMoreThan", countNumber: 1 })], 'a "tagged" rule needs tagPrefixList or tagPatternList'],
    ["untagged with tags", [rule(1, { tagStatus: "untagged", tagPrefixList: ["v"], countType: "imageCountMoreThan", countNumber: 1 })], 'only a "tagged" rule may list tags'],
    ["countUnit with a count", [rule(1, { tagStatus: "untagged", countType: "imageCountMoreThan", countUnit: "days", countNumber: 1 })], "countUnit is only allowed with sinceImagePushed"],
    ["age without unit", [rule(1, { tagStatus: "untagged", countType: "sinceImagePushed", countNumber: 1 })], 'sinceImagePushed needs countUnit "days"'],
    ["too many wildcards", [rule(1, { tagStatus: "tagged", tagPatternList: ["*a*b*c*d*"], countType: "imageCountMoreThan", countNumber: 1 })], "at most 4 wildcards"],
    ["zero count", [rule(1, { tagStatus: "untagged", countType: "sinceImagePushed", countUnit: "days", countNumber: 0 })], "countNumber must be a positive integer"],
  ])("lifecycle validation refuses %s", (_name, rules, expected) => {
    expect(validateLifecycleRules(rules as LifecycleRule[]).join("; ")).toContain(expected);
  });
});

describe("adopting existing repositories (migration from the AWS CDK stack)", () => {
  const withImport = (value: string) => synthProject(configFrom({ staging: "" }, `${MINIMAL_SHARED}INFRA_ECR_IMPORT_EXISTING=${value}\n`)).registry.json;

  test("the switch on: one import block per repository, by repository name", () => {
    const json = withImport("true");
    const imports = json.import;
    expect(imports).toHaveLength(2);
    expect(imports.map((block: any) => block.id).sort()).toEqual(["city-guided-api", "city-guided-web"]);
    // Each block adopts the repository of its own name.
    for (const block of imports) {
      const [type, id] = block.to.split(".");
      expect(type).toBe("aws_ecr_repository");
      expect(json.resource.aws_ecr_repository[id].name).toBe(block.id);
    }
  });

  test("the switch off (the default): no import block", () => {
    expect(withImport("false").import).toBeUndefined();
    expect(registry().json.import).toBeUndefined();
  });
});
