import { CROSS_KEY_RULES } from "../config/cross-key-rules";
import { INFRA_KEYS } from "../config/keys";
import { configErrorOf, configFrom, MINIMAL_SHARED } from "./helpers";

/** The problem lines of a refused configuration. */
const problemLines = (environments: Record<string, string>, shared: string) => configErrorOf(environments, shared).split("\n").slice(1);

describe("the shared file is validated once, whatever the number of environments", () => {
  const three = { staging: "", production: "", qa: "" };

  test("a bad shared value is one problem, not one per environment", () => {
    expect(problemLines(three, `${MINIMAL_SHARED}INFRA_ECS_MEMORY=lots\n`)).toEqual([
      '  - env/.env:2: INFRA_ECS_MEMORY="lots": must be MiB allowed by Fargate for the CPU (e.g. 1024 CPU: 2048-8192 step 1024)',
    ]);
  });

  test("a bad shared container variable is one problem", () => {
    expect(problemLines(three, `${MINIMAL_SHARED}APP__MODE=x\n`)).toEqual(['  - env/.env:2: APP__MODE (value hidden): unknown container scope "APP__": use API__ or WEB__']);
  });

  test("a cross-key rule broken by shared values alone is one problem; broken by an environment's own value, that environment's", () => {
    const shared = `${MINIMAL_SHARED}INFRA_MIN_CAPACITY=3\nINFRA_MAX_CAPACITY=2\n`;
    expect(problemLines(three, shared)).toEqual(['  - env/.env:2: INFRA_MIN_CAPACITY="3": must be at most INFRA_MAX_CAPACITY=2']);
    expect(problemLines({ ...three, qa: "INFRA_MIN_CAPACITY=4", production: "INFRA_MIN_CAPACITY=5" }, shared)).toEqual([
      '  - env/.env:2: INFRA_MIN_CAPACITY="3": must be at most INFRA_MAX_CAPACITY=2',
      '  - env/.env.production:1: INFRA_MIN_CAPACITY="5": must be at most INFRA_MAX_CAPACITY=2',
      '  - env/.env.qa:1: INFRA_MIN_CAPACITY="4": must be at most INFRA_MAX_CAPACITY=2',
    ]);
  });

  test("a rule broken on a default is reported in each environment's file, which is where to set the key", () => {
    const lines = problemLines({ staging: "", production: "" }, `${MINIMAL_SHARED}INFRA_ECS_CPU=4096\n`);
    expect(lines).toEqual([
      '  - env/.env.staging: INFRA_ECS_MEMORY="2048": not a Fargate size for INFRA_ECS_CPU=4096: memory must be 8192 to 30720 in steps of 1024 (this is the default)',
      '  - env/.env.production: INFRA_ECS_MEMORY="2048": not a Fargate size for INFRA_ECS_CPU=4096: memory must be 8192 to 30720 in steps of 1024 (this is the default)',
    ]);
  });

  test("a bad shared value that every environment overrides is not reported (no environment uses it)", () => {
    expect(configFrom({ staging: "INFRA_ECS_MEMORY=4096", production: "INFRA_ECS_MEMORY=2048" }, `${MINIMAL_SHARED}INFRA_ECS_MEMORY=lots\n`).environments).toHaveLength(2);
  });
});

describe("cross-key rules: one list, one shape", () => {
  test.each(CROSS_KEY_RULES.map((rule) => [rule.reportOn, rule]))("%s: reported on a key of its own scope", (_key, rule) => {
    const scope = INFRA_KEYS[rule.reportOn].scope;
    // Environment keys may be set in the shared file too, but a registry rule reports a registry key.
    expect(rule.scope === "registry" ? scope === "registry" : scope === "environment").toBe(true);
  });

  test("the GitHub rules hold in the shared file", () => {
    expect(configErrorOf({ staging: "" }, `${MINIMAL_SHARED}INFRA_GITHUB_APP_REPOSITORY=elzinko/city-guided\n`)).toContain(
      'env/.env:2: INFRA_GITHUB_APP_REPOSITORY="elzinko/city-guided": needs INFRA_GITHUB_INFRA_REPOSITORY',
    );
  });
});
