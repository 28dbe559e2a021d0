import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfigError } from "../config/errors";
import { loadConfig } from "../config/load";
import { configErrorOf, configFrom, MINIMAL_SHARED } from "./config-helpers";

describe("configuration defaults and overrides", () => {
  test("an empty environment file gets the documented defaults", () => {
    const [staging] = configFrom({ staging: "" }).environments;
    expect(staging).toMatchObject({
      name: "staging",
      region: "eu-west-3",
      stateBucket: "test-state-bucket",
      cpu: 1024,
      memory: 2048,
      cpuArchitecture: "X86_64",
      minCapacity: 0,
      maxCapacity: 1,
      cpuTarget: 60,
      logRetentionDays: 30,
      subnetIds: [],
      assignPublicIp: true,
      writablePaths: ["/tmp", "/app/apps/web-frontend/.next/cache", "/home/nextjs/.cache", "/home/apiuser/.cache"],
    });
    // city-guided's images listen on $PORT: 4000 (api) and 3080 (web) by default.
    expect(staging.containers.api.port).toBe(4000);
    expect(staging.containers.web.port).toBe(3080);
    expect(staging.containers.api.environment).toEqual({ PORT: "4000" });
    expect(staging.containers.web.environment).toEqual({ PORT: "3080" });
  });

  test("the environment file overrides the shared file, including region and state bucket", () => {
    const config = configFrom(
      { production: "INFRA_AWS_REGION=eu-central-1\nINFRA_STATE_BUCKET=prod-state\nINFRA_ECS_CPU=2048\nINFRA_ECS_MEMORY=4096" },
      `${MINIMAL_SHARED}INFRA_ECS_CPU=512\nINFRA_ECS_MEMORY=1024\n`,
    );
    expect(config.environments[0]).toMatchObject({ region: "eu-central-1", stateBucket: "prod-state", cpu: 2048, memory: 4096 });
    // The registry stays where the shared file puts it.
    expect(config.registry).toMatchObject({ region: "eu-west-3", stateBucket: "test-state-bucket" });
    expect(config.environments[0].registryRegion).toBe("eu-west-3");
  });

  test("plain keys reach both containers, API__/WEB__ keys one, and a scoped key wins over an unscoped one", () => {
    const [staging] = configFrom({ staging: "NODE_ENV=production\nLOG_LEVEL=info\nAPI__LOG_LEVEL=debug\nWEB__API_URL=/api" }).environments;
    expect(staging.containers.api.environment).toEqual({ NODE_ENV: "production", LOG_LEVEL: "debug", PORT: "4000" });
    expect(staging.containers.web.environment).toEqual({ NODE_ENV: "production", LOG_LEVEL: "info", API_URL: "/api", PORT: "3080" });
  });

  test("SECRET_ references become secrets named without the prefix, scoped like other keys", () => {
    const [staging] = configFrom({
      staging: "API__SECRET_DATABASE_URL=ssm:/city-guided/staging/DATABASE_URL\nSECRET_SESSION_KEY=arn:aws:secretsmanager:eu-west-3:123456789012:secret:session-AbCdEf",
    }).environments;
    expect(staging.containers.api.secrets.map((secret) => secret.variable).sort()).toEqual(["DATABASE_URL", "SESSION_KEY"]);
    expect(staging.containers.web.secrets.map((secret) => secret.variable)).toEqual(["SESSION_KEY"]);
    expect(staging.containers.api.environment).toEqual({ PORT: "4000" });
  });
});

describe("each container gets its port as PORT (city-guided's images listen on $PORT)", () => {
  test("from INFRA_API_PORT / INFRA_WEB_PORT, so the port the image listens on is the one the load balancer uses", () => {
    const [staging] = configFrom({ staging: "INFRA_WEB_PORT=8080\nINFRA_API_PORT=4001" }).environments;
    expect(staging.containers.web).toMatchObject({ port: 8080, environment: { PORT: "8080" } });
    expect(staging.containers.api).toMatchObject({ port: 4001, environment: { PORT: "4001" } });
  });

  test("an env file may set PORT to the container's own port (as the old ECS stack did)", () => {
    const [staging] = configFrom({ staging: "WEB__PORT=3080\nAPI__PORT=4000\nPORT=1" }).environments;
    expect(staging.containers.web.environment.PORT).toBe("3080");
    expect(staging.containers.api.environment.PORT).toBe("4000");
  });

  test("the committed environments run web on 3080 and api on 4000", () => {
    for (const environment of loadConfig("env").environments) {
      expect([environment.name, environment.containers.web.port, environment.containers.api.port]).toEqual([environment.name, 3080, 4000]);
    }
  });
});

describe("configuration errors name the file, the key, the value and the rule", () => {
  const cases: [string, string, string][] = [
    ["invalid Fargate pair", "INFRA_ECS_CPU=1024\nINFRA_ECS_MEMORY=1024", 'env/.env.staging:2: INFRA_ECS_MEMORY="1024": not a Fargate size for INFRA_ECS_CPU=1024: memory must be 2048 to 8192 in steps of 1024'],
    ["Fargate CPU not in the table", "INFRA_ECS_CPU=1000", 'env/.env.staging:1: INFRA_ECS_CPU="1000": must be one of 256, 512, 1024, 2048, 4096, 8192, 16384'],
    ["16 vCPU memory off its step", "INFRA_ECS_CPU=16384\nINFRA_ECS_MEMORY=36864", "memory must be 32768 to 122880 in steps of 8192"],
    ["port out of range", "INFRA_API_PORT=70000", 'env/.env.staging:1: INFRA_API_PORT="70000": must be 1-65535, different from INFRA_WEB_PORT'],
    ["same port twice", "INFRA_API_PORT=3080", 'env/.env.staging:1: INFRA_API_PORT="3080": must differ from INFRA_WEB_PORT'],
    ["min above max", "INFRA_MIN_CAPACITY=3\nINFRA_MAX_CAPACITY=2", 'env/.env.staging:1: INFRA_MIN_CAPACITY="3": must be at most INFRA_MAX_CAPACITY=2'],
    ["log retention CloudWatch refuses", "INFRA_LOG_RETENTION_DAYS=10", 'env/.env.staging:1: INFRA_LOG_RETENTION_DAYS="10": must be one of CloudWatch\'s values: 1, 3, 5, 7, 14, 30'],
    ["unknown key with a suggestion", "INFRA_ECS_MEMROY=2048", 'env/.env.staging:1: INFRA_ECS_MEMROY="2048": unknown INFRA_ key: did you mean INFRA_ECS_MEMORY?'],
    ["unknown key far from any", "INFRA_COMPLETELY_DIFFERENT_THING=1", "unknown INFRA_ key (the README lists every key)"],
    ["architecture", "INFRA_CPU_ARCHITECTURE=arm64", 'INFRA_CPU_ARCHITECTURE="arm64": must be X86_64 or ARM64'],
    ["boolean", "INFRA_ASSIGN_PUBLIC_IP=yes", 'INFRA_ASSIGN_PUBLIC_IP="yes": must be true or false'],
    ["private tasks need explicit subnets", "INFRA_ASSIGN_PUBLIC_IP=false", "INFRA_ASSIGN_PUBLIC_IP=\"false\": false requires INFRA_SUBNET_IDS"],
    ["subnet id format", "INFRA_SUBNET_IDS=subnet-123,vpc-1", 'INFRA_SUBNET_IDS="subnet-123,vpc-1": must be comma-separated distinct subnet IDs'],
    ["writable root", "INFRA_WRITABLE_PATHS=/", 'INFRA_WRITABLE_PATHS="/": must be comma-separated distinct absolute paths other than /'],
    ["registry key per environment", "INFRA_ECR_KEEP_IMAGES=5", 'env/.env.staging:1: INFRA_ECR_KEEP_IMAGES="5": is a setting of the shared ECR registry: set it in the shared file (env/.env)'],
    ["unknown container scope", "DB__HOST=x", 'env/.env.staging:1: DB__HOST (value hidden): unknown container scope "DB__": use API__ or WEB__'],
    ["secret also plain", "DATABASE_URL=x\nSECRET_DATABASE_URL=ssm:/a", "DATABASE_URL is also a plain variable of the api container (env/.env.staging:1): keep one"],
    ["region", "INFRA_AWS_REGION=paris", 'INFRA_AWS_REGION="paris": must be an AWS region the AWS SDK lists'],
    [
      "a PORT that disagrees with the container's port",
      "WEB__PORT=8080",
      'env/.env.staging:1: WEB__PORT="8080": reaches the web container, which listens on INFRA_WEB_PORT=3080 (the port the load balancer and its health check use): remove it or make it 3080; to move the container, set INFRA_WEB_PORT',
    ],
    ["an unscoped PORT reaches both containers", "PORT=3080", 'env/.env.staging:1: PORT="3080": reaches the api container, which listens on INFRA_API_PORT=4000'],
    ["PORT as a secret", "API__SECRET_PORT=ssm:/city-guided/port", "API__SECRET_PORT (value hidden): PORT of the api container is set from INFRA_API_PORT=4000, not from a secret: remove this key"],
  ];
  test.each(cases)("%s", (_name, text, expected) => {
    expect(configErrorOf({ staging: text })).toContain(expected);
  });

  test("a missing required key is named, with where to set it", () => {
    expect(configErrorOf({ staging: "" }, "INFRA_AWS_REGION=eu-west-3\n")).toContain(
      "env/.env: INFRA_STATE_BUCKET: required key missing: set it in the shared file or in env/.env",
    );
  });

  test("a bad default in the shared file is located in the shared file", () => {
    expect(configErrorOf({ staging: "" }, `${MINIMAL_SHARED}INFRA_ECR_KEEP_IMAGES=0\n`)).toContain(
      'env/.env:2: INFRA_ECR_KEEP_IMAGES="0": must be 1-1000',
    );
  });

  test("every problem of every file is reported at once, each once", () => {
    const message = configErrorOf({
      staging: "INFRA_ECS_CPU=3\nINFRA_API_PORT=0\nbroken line",
      production: "INFRA_MIN_CAPACITY=x",
    }, `${MINIMAL_SHARED}INFRA_TYPO=1\n`);
    expect(message).toMatch(/^Invalid configuration \(5 problems\):/);
    expect(message.match(/INFRA_TYPO/g)).toHaveLength(1);
  });

  test.each([
    ["Staging", 'environment name "Staging" must be 1-16 lowercase letters, digits and inner "-"'],
    ["a-very-long-environment", 'environment name "a-very-long-environment" must be 1-16 lowercase letters'],
    ["-qa", 'environment name "-qa" must be 1-16 lowercase letters'],
    ["registry", 'environment name "registry" is reserved for the shared ECR stack'],
  ])("environment name %s is refused", (name, expected) => {
    expect(configErrorOf({ [name]: "" })).toContain(`env/.env.${name}: ${expected}`);
  });
});

describe("secrets never leak into messages", () => {
  test("a SECRET_ key holding a value instead of a reference is refused without printing it", () => {
    const message = configErrorOf({ staging: "SECRET_DATABASE_URL=postgres://app:hunter2@db:5432/app" });
    expect(message).toContain("env/.env.staging:1: SECRET_DATABASE_URL (value hidden): looks like a secret value, which must never be committed");
    expect(message).not.toContain("hunter2");
  });

  test("a plain key whose name says secret is refused and pointed to SECRET_", () => {
    const message = configErrorOf({ staging: "STRIPE_API_KEY=sk_live_abcdefghijklmnop" });
    expect(message).toContain("STRIPE_API_KEY (value hidden): looks like a secret: store it in SSM Parameter Store or Secrets Manager and set SECRET_STRIPE_API_KEY=<reference> instead");
    expect(message).not.toContain("sk_live");
  });

  test("a plain key whose value is a credential is refused without printing it", () => {
    const message = configErrorOf({ staging: "API_URL=https://user:pa55word@api.example.com" });
    expect(message).toContain("API_URL (value hidden): looks like a secret");
    expect(message).not.toContain("pa55word");
  });

  test("a credential-looking value is hidden even under an unrelated rule", () => {
    const message = configErrorOf({ staging: "INFRA_SUBNET_IDS=postgres://u:secretpw@h/db" });
    expect(message).toContain("INFRA_SUBNET_IDS (value hidden): must be");
    expect(message).not.toContain("secretpw");
  });

  test("names that merely mention a token are not secrets", () => {
    expect(() => configFrom({ staging: "TOKEN_TTL_SECONDS=3600\nPUBLIC_KEY_URL=https://example.com/jwks" })).not.toThrow();
  });
});

describe("loading the env folder", () => {
  function folder(files: Record<string, string>): string {
    const dir = mkdtempSync(join(tmpdir(), "city-guided-env-"));
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
    return dir;
  }

  test("the committed env files are valid and define staging and production", () => {
    const config = loadConfig("env");
    expect(config.environments.map((environment) => environment.name)).toEqual(["production", "staging"]);
  });

  test("a new .env.<name> file is a new environment, with no code change", () => {
    const dir = folder({ ".env": MINIMAL_SHARED, ".env.staging": "", ".env.qa": "INFRA_MIN_CAPACITY=1" });
    expect(loadConfig(dir).environments.map((environment) => [environment.name, environment.minCapacity])).toEqual([
      ["qa", 1],
      ["staging", 0],
    ]);
  });

  test("a missing shared file is named", () => {
    const dir = folder({ ".env.staging": "" });
    expect(() => loadConfig(dir)).toThrow(ConfigError);
    expect(() => loadConfig(dir)).toThrow(`${join(dir, ".env")}: shared configuration file missing`);
  });

  test("a missing folder is named", () => {
    expect(() => loadConfig("/nonexistent/env")).toThrow("/nonexistent/env: configuration folder not found");
  });

  test("a folder with no environment says so", () => {
    expect(() => loadConfig(folder({ ".env": MINIMAL_SHARED }))).toThrow("no environment: add at least one .env.<name> file");
  });
});
