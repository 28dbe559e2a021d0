import { readFileSync } from "node:fs";
import { join } from "node:path";
import { SECRET_RULES, SECRET_RULE_SOURCES } from "../config/secret-rules.generated";
import { secretRuleFor, valueLooksSecret } from "../config/secrets";
import { configErrorOf, configFrom } from "./config-helpers";

/**
 * A fake credential of a given shape, from a fixed seed. Prefixes are joined at run time so that no
 * token-shaped literal sits in the repository (secret scanners, push protection).
 */
function fake(prefix: string[], length: number, alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", seed = 7): string {
  let state = seed;
  let body = "";
  for (let index = 0; index < length; index++) {
    state = (state * 1103515245 + 12345) % 2147483648;
    body += alphabet[(state >>> 16) % alphabet.length]; // the high bits: an LCG's low bits repeat quickly
  }
  return prefix.join("") + body;
}
const DIGITS = "0123456789";
const UPPER_BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

describe("values in a known credential format are found, each by its rule", () => {
  test.each([
    ["GitHub personal access token", fake(["gh", "p_"], 36), "github-pat"],
    ["GitHub OAuth token", fake(["gh", "o_"], 36), "github-oauth"],
    ["GitHub App user token", fake(["gh", "u_"], 36), "github-app-token"],
    ["GitHub App installation token", fake(["gh", "s_"], 36), "github-app-token"],
    ["GitHub refresh token", fake(["gh", "r_"], 36), "github-refresh-token"],
    ["GitHub fine-grained token", `${fake(["github", "_pat_"], 22)}_${fake([], 59, undefined, 11)}`, "github-fine-grained-pat"],
    ["AWS access key id", fake(["AK", "IA"], 16, UPPER_BASE32), "aws-access-token"],
    ["AWS temporary access key id", fake(["AS", "IA"], 16, UPPER_BASE32), "aws-access-token"],
    ["AWS secret access key, on its own", fake([], 40, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789/+", 11), "aws-secret-access-key"],
    ["Slack bot token", `${fake(["xo", "xb-"], 12, DIGITS)}-${fake([], 13, DIGITS, 3)}-${fake([], 24)}`, "slack-bot-token"],
    ["Slack user token", `${fake(["xo", "xp-"], 12, DIGITS)}-${fake([], 12, DIGITS, 3)}-${fake([], 12, DIGITS, 5)}-${fake([], 32, "abcdef0123456789")}`, "slack-user-token"],
    ["Slack app token", `${["xa", "pp-1-"].join("")}${fake(["A"], 10, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")}-${fake([], 13, DIGITS)}-${fake([], 64, "abcdef0123456789")}`, "slack-app-token"],
    ["Slack webhook URL", `${["https://hooks.", "slack.com/services/"].join("")}${fake(["T"], 8, UPPER_BASE32)}/${fake(["B"], 8, UPPER_BASE32, 3)}/${fake([], 24)}`, "slack-webhook-url"],
    ["Stripe live secret key", fake(["sk", "_live_"], 24), "stripe-access-token"],
    ["Stripe restricted test key", fake(["rk", "_test_"], 24), "stripe-access-token"],
    ["private key (PEM)", `-----BEGIN RSA ${"PRIVATE"} KEY-----\n${fake([], 64, undefined, 5)}\n${fake([], 64, undefined, 9)}\n-----END RSA ${"PRIVATE"} KEY-----`, "private-key"],
    ["JSON Web Token", `${fake(["ey", "J"], 30, undefined, 13)}.${fake(["ey", "J"], 40, undefined, 17)}.${fake([], 43, undefined, 19)}`, "jwt"],
    ["database URL with a password", "postgres://app:hunter2-password@db.internal:5432/app", "basic-auth-url"],
    ["HTTPS URL with a password", "https://deploy:pa55word@api.example.com/v1", "basic-auth-url"],
  ])("%s", (_family, value, rule) => {
    expect(secretRuleFor(value)).toBe(rule);
  });

  test("a token inside a longer value is found too, even after AWS's documented example key", () => {
    expect(valueLooksSecret(`Bearer ${fake(["gh", "p_"], 36)}`)).toBe(true);
    expect(secretRuleFor(`AKIAIOSFODNN7EXAMPLE,${fake(["AK", "IA"], 16, UPPER_BASE32)}`)).toBe("aws-access-token");
  });

  test("an AWS secret key under a name that says aws ... key is found by detect-secrets' rule", () => {
    const key = fake([], 40, "abcdefghijklmnopqrstuvwxyz0123456789", 23); // lower case: the shape rule alone would not find it
    expect(secretRuleFor(key)).toBeUndefined();
    expect(secretRuleFor(key, "LEGACY_AWS_KEY_MATERIAL")).toBe("aws-secret-access-key");
  });

  test("the issue's case: a fine-grained GitHub token is refused as a plain value, never printed", () => {
    const token = `${fake(["github", "_pat_"], 22)}_${fake([], 59, undefined, 11)}`;
    const message = configErrorOf({ staging: `DEPLOY_HELPER=${token}` });
    expect(message).toContain("env/.env.staging:1: DEPLOY_HELPER (value hidden): looks like a secret: store it in SSM Parameter Store or Secrets Manager");
    expect(message).not.toContain(token.slice(11));
  });
});

describe("ordinary values are not refused", () => {
  test.each([
    "https://example.com/path?query=1#/home",
    "https://api.example.com:8443/v1",
    "redis://cache.internal:6379/0",
    "https://user@example.com/",
    "mailto:ops@example.com",
    "#ff0000",
    "/api",
    "Europe/Paris",
    "3600",
    "1.24.3",
    "production",
    "3f786850e387550fdab836ed7e6dc881de23001b", // a git SHA: 40 characters, lower-case hex
    "123e4567-e89b-12d3-a456-426614174000",
    "/usr/local/share/applications/MyApp/v1/x", // 40 characters of the base64 alphabet, but not random
    "123456789012.dkr.ecr.eu-west-3.amazonaws.com/city-guided-api:release-1",
    "arn:aws:iam::123456789012:role/city-guided-staging",
    "ssm:/city-guided/staging/DATABASE_URL",
    "AKIAIOSFODNN7EXAMPLE", // AWS's documented example key id: allowed by gitleaks' own allowlist
    "sk_test_", // a prefix alone
  ])("%s", (value) => {
    expect(secretRuleFor(value, "SOME_SETTING")).toBeUndefined();
  });

  test("the committed environments and common plain settings load", () => {
    const text = "COLOR=#ff0000\nTZ=Europe/Paris\nAPI_URL=https://api.example.com/v1\nCOMMIT=3f786850e387550fdab836ed7e6dc881de23001b\n";
    expect(() => configFrom({ staging: text })).not.toThrow();
  });
});

describe("the imported rules", () => {
  test("come from pinned versions, with their licences recorded", () => {
    expect(SECRET_RULE_SOURCES.gitleaks).toMatchObject({ tag: "v8.30.1", license: "MIT", files: ["config/gitleaks.toml"] });
    expect(SECRET_RULE_SOURCES["detect-secrets"]).toMatchObject({ tag: "v1.5.0", license: "Apache-2.0" });
    for (const source of Object.values(SECRET_RULE_SOURCES)) expect(source.commit).toMatch(/^[0-9a-f]{40}$/);
    const notice = readFileSync(join(__dirname, "..", "config", "secret-rules.NOTICE.md"), "utf8");
    expect(notice).toContain("Copyright (c) 2019 Zachary Rice");
    expect(notice).toContain("Permission is hereby granted, free of charge");
    expect(notice).toContain("Apache License");
  });

  test("are Node RegExps without inline flags, and leave out keyword catch-alls", () => {
    for (const rule of SECRET_RULES) {
      expect(() => new RegExp(rule.pattern, rule.flags)).not.toThrow();
      expect(rule.pattern).not.toMatch(/\(\?[a-z]/i);
    }
    expect(SECRET_RULES.map((rule) => rule.id)).not.toContain("generic-api-key");
  });
});
