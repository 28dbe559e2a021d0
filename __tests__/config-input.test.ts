import { configErrorOf, configFrom, MINIMAL_SHARED } from "./config-helpers";

describe("values with # reach the containers whole", () => {
  test("a hex color and a URL fragment are kept; a comment after a space is dropped", () => {
    const config = configFrom({ staging: "COLOR=#ff0000\nAPP_URL=https://example.com/#/home\nLOG_LEVEL=info # the default\n" });
    expect(config.environments[0].containers.web.environment).toMatchObject({
      COLOR: "#ff0000",
      APP_URL: "https://example.com/#/home",
      LOG_LEVEL: "info",
    });
  });
});

describe("a reserved prefix in another case is an error with the right spelling, never a plain variable", () => {
  test.each([
    ["infra_ecs_cpu=512", 'infra_ecs_cpu="512"', "INFRA_ECS_CPU"],
    ["Infra_Ecs_Cpu=512", 'Infra_Ecs_Cpu="512"', "INFRA_ECS_CPU"],
    ["INFRA_ecs_cpu=512", 'INFRA_ecs_cpu="512"', "INFRA_ECS_CPU"],
    ["api__LOG_LEVEL=debug", 'api__LOG_LEVEL="debug"', "API__LOG_LEVEL"],
    ["Web__API_URL=/api", 'Web__API_URL="/api"', "WEB__API_URL"],
  ])("%s", (line, subject, intended) => {
    const message = configErrorOf({ staging: line });
    expect(message).toContain(`env/.env.staging:1: ${subject}: reserved prefix in the wrong case: did you mean ${intended}?`);
    expect(message).toMatch(/Invalid configuration \(1 problem\)/);
  });

  test.each([
    ["secret_db=hunter2-password", "secret_db", "SECRET_db"],
    ["Secret_DATABASE_URL=postgres://app:hunter2@db/app", "Secret_DATABASE_URL", "SECRET_DATABASE_URL"],
    ["api__secret_db=hunter2-password", "api__secret_db", "API__SECRET_db"],
    ["WEB__Secret_TOKEN=hunter2-password", "WEB__Secret_TOKEN", "WEB__SECRET_TOKEN"],
  ])("%s: the value of a secret is never printed", (line, key, intended) => {
    const message = configErrorOf({ staging: line });
    expect(message).toContain(`env/.env.staging:1: ${key} (value hidden): reserved prefix in the wrong case: did you mean ${intended}?`);
    expect(message).not.toContain("hunter2");
  });

  test("the shared file is checked too, once", () => {
    const message = configErrorOf({ staging: "", production: "" }, `${MINIMAL_SHARED}infra_min_capacity=1\n`);
    expect(message.match(/env\/\.env:2: infra_min_capacity="1": reserved prefix in the wrong case: did you mean INFRA_MIN_CAPACITY\?/g)).toHaveLength(1);
  });

  test("keys that merely start like a prefix are plain variables", () => {
    const config = configFrom({ staging: "SECRETS_REGION=eu-west-3\nINFRASTRUCTURE_OWNER=ops\nAPI_URL=/api\nWEBHOOK_PATH=/hook\n" });
    expect(Object.keys(config.environments[0].containers.api.environment)).toEqual(
      expect.arrayContaining(["SECRETS_REGION", "INFRASTRUCTURE_OWNER", "API_URL", "WEBHOOK_PATH"]),
    );
  });
});

describe("INFRA_AWS_REGION must be a region the AWS SDK lists", () => {
  test("a well-formed region that does not exist is refused with the nearest known ones", () => {
    const message = configErrorOf({ staging: "INFRA_AWS_REGION=eu-west-9" });
    expect(message).toContain(
      'env/.env.staging:1: INFRA_AWS_REGION="eu-west-9": must be an AWS region the AWS SDK lists, such as eu-west-3 (eu-west-9 is not a region the AWS SDK knows: did you mean eu-west-1? Known eu-* regions: ',
    );
    expect(message).toMatch(/Known eu-\* regions: [^)]*eu-central-1[^)]*eu-west-3\)/);
  });

  test("a name that is not shaped like a region gets the rule alone", () => {
    expect(configErrorOf({ staging: "INFRA_AWS_REGION=paris" })).toMatch(/INFRA_AWS_REGION="paris": must be an AWS region the AWS SDK lists, such as eu-west-3$/);
  });

  test("a misspelt direction gets the region meant", () => {
    expect(configErrorOf({ staging: "INFRA_AWS_REGION=eu-wst-3" })).toContain("did you mean eu-west-3?");
  });

  test("in the shared file, the registry's region is refused too", () => {
    expect(configErrorOf({ staging: "" }, `${MINIMAL_SHARED}INFRA_AWS_REGION=us-east-9\n`)).toContain('env/.env:2: INFRA_AWS_REGION="us-east-9": must be an AWS region the AWS SDK lists');
  });

  test.each(["eu-west-3", "us-east-1", "ap-southeast-7", "us-gov-west-1", "cn-north-1"])("%s is accepted", (region) => {
    expect(configFrom({ staging: `INFRA_AWS_REGION=${region}` }).environments[0].region).toBe(region);
  });
});
