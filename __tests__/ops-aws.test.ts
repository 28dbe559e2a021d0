import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { UserError } from "../cli/errors";
import { AWS_CALL_LIMITS, callLimits, checkEndpoints, checkProfile, clientSettings } from "../ops/aws";
import { explainAwsError } from "../ops/errors";

const refusal = (run: () => unknown): UserError => {
  try {
    run();
  } catch (error) {
    if (error instanceof UserError) return error;
    throw error;
  }
  throw new Error("not refused");
};

describe("AWS settings checked before any call", () => {
  test.each([["not-a-url"], ["ftp://127.0.0.1/"], ["127.0.0.1:5000"]])("AWS_ENDPOINT_URL=%s is bad input (exit 1), named", (value) => {
    const error = refusal(() => checkEndpoints({ AWS_ENDPOINT_URL: value }));
    expect(error.exitCode).toBe(1);
    expect(error.message).toBe(`AWS_ENDPOINT_URL="${value}" is not an http(s) URL: set it to the endpoint's URL (http://127.0.0.1:5000 for a local emulator), or unset it to reach AWS`);
  });

  test("per-service endpoints are checked; good URLs and unrelated variables pass", () => {
    expect(refusal(() => checkEndpoints({ AWS_ENDPOINT_URL_S3: "s3" })).message).toContain("AWS_ENDPOINT_URL_S3");
    expect(() => checkEndpoints({ AWS_ENDPOINT_URL: "http://127.0.0.1:5000", AWS_ENDPOINT_URL_STS: "https://sts.example.com", AWS_ENDPOINT_URLS: "x" })).not.toThrow();
  });

  test("every client gets the time limits and bounded attempts", () => {
    const settings = clientSettings("eu-west-3", {});
    expect(settings.maxAttempts).toBe(AWS_CALL_LIMITS.attempts);
    expect(callLimits({})).toEqual({ connectSeconds: 3, answerSeconds: 10, attempts: 3 });
    expect(callLimits({ CITY_GUIDED_AWS_TIMEOUT_SECONDS: "1", AWS_MAX_ATTEMPTS: "2" })).toEqual({ connectSeconds: 1, answerSeconds: 1, attempts: 2 });
  });

  test.each([["CITY_GUIDED_AWS_TIMEOUT_SECONDS", "0"], ["CITY_GUIDED_AWS_TIMEOUT_SECONDS", "soon"], ["AWS_MAX_ATTEMPTS", "11"]])("%s=%s is bad input", (name, value) => {
    expect(refusal(() => callLimits({ [name]: value })).exitCode).toBe(1);
  });

  test("a missing profile is named, with the ones there are (exit 3); a defined one passes", async () => {
    const dir = mkdtempSync(join(tmpdir(), "aws-profile-"));
    writeFileSync(join(dir, "config"), "[profile admin]\nregion = eu-west-3\n[sso-session corp]\nsso_region = eu-west-1\n");
    writeFileSync(join(dir, "credentials"), "[ci]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\n");
    const files = { AWS_CONFIG_FILE: join(dir, "config"), AWS_SHARED_CREDENTIALS_FILE: join(dir, "credentials") };
    await expect(checkProfile({ ...files, AWS_PROFILE: "nope" })).rejects.toMatchObject({
      exitCode: 3,
      message: expect.stringContaining('AWS profile "nope" (AWS_PROFILE) is not defined in ' + files.AWS_CONFIG_FILE + " or " + files.AWS_SHARED_CREDENTIALS_FILE + " (profiles there: admin, ci)"),
    });
    await expect(checkProfile({ ...files, AWS_PROFILE: "admin" })).resolves.toBeUndefined();
    await expect(checkProfile({ ...files, AWS_PROFILE: "ci" })).resolves.toBeUndefined();
    await expect(checkProfile({ ...files, AWS_PROFILE: "nope", AWS_ACCESS_KEY_ID: "AKIAIOSFODNN7EXAMPLE" })).resolves.toBeUndefined();
  });

  test("a timeout and a refused connection are told apart", () => {
    expect(explainAwsError(Object.assign(new Error("timed out"), { name: "TimeoutError" }), "read x").message).toContain("(TimeoutError: no answer in time on any attempt");
    expect(explainAwsError(Object.assign(new Error("connect"), { code: "ECONNREFUSED" }), "read x").message).toBe(
      "Could not reach AWS to read x (ECONNREFUSED): check the network, or AWS_ENDPOINT_URL if you set it.",
    );
  });
});
