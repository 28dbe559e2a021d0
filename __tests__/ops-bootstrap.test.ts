import type { S3Client } from "@aws-sdk/client-s3";
import {
  findWeakerSettings,
  lifecycleRule,
  mergeLifecycleRules,
  mergePolicy,
  tlsStatement,
  type BucketSettings,
  type PolicyStatement,
} from "../ops/bucket-settings";
import { bootstrap, type BootstrapClients } from "../ops/bootstrap";
import type { Output } from "../ops/cli";
import { EXIT } from "../cli/exit-codes";
import { explainAwsError } from "../ops/errors";
import { wantsProgress } from "../ops/progress";
import { createBucket, locateBucket, parsePolicy, type BucketTarget } from "../ops/state-bucket";

const BUCKET = "state";
const requirements = { bucket: BUCKET, noncurrentDays: 90 };
const conforming: BucketSettings = {
  versioning: "Enabled",
  encryption: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: "AES256" } }],
  publicAccessBlock: { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true },
  ownership: "BucketOwnerEnforced",
  policy: { Version: "2012-10-17", Statement: [tlsStatement(BUCKET)] },
  lifecycleRules: [lifecycleRule(90)],
};
const subjects = (settings: BucketSettings) => findWeakerSettings(settings, requirements).map((finding) => finding.subject);

describe("bucket settings", () => {
  test("a conforming bucket has no finding", () => {
    expect(findWeakerSettings(conforming, requirements)).toEqual([]);
  });

  test("each weaker setting is its own finding, each public access flag too", () => {
    expect(subjects({ ...conforming, versioning: "Suspended" })).toEqual(["versioning"]);
    expect(subjects({ ...conforming, encryption: undefined })).toEqual(["default encryption"]);
    expect(subjects({ ...conforming, ownership: "ObjectWriter" })).toEqual(["object ownership"]);
    expect(subjects({ ...conforming, publicAccessBlock: { BlockPublicAcls: true, IgnorePublicAcls: true } })).toEqual([
      "public access block BlockPublicPolicy",
      "public access block RestrictPublicBuckets",
    ]);
    expect(subjects({ ...conforming, policy: undefined })).toEqual(["bucket policy"]);
    expect(findWeakerSettings({ ...conforming, lifecycleRules: [{ ...lifecycleRule(90), Status: "Disabled", NoncurrentVersionExpiration: { NoncurrentDays: 30 } }] }, requirements)[0].current).toBe(
      "status Disabled, noncurrent versions expire after 30",
    );
  });

  test("KMS encryption is not weaker, and an equivalent TLS statement under another Sid counts", () => {
    const kms = [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: "aws:kms" as const, KMSMasterKeyID: "alias/state" } }];
    const theirs: PolicyStatement = { ...tlsStatement(BUCKET), Sid: "TheirTls", Principal: { AWS: "*" }, Action: ["s3:*"] };
    expect(subjects({ ...conforming, encryption: kms, policy: { Statement: [theirs] } })).toEqual([]);
  });

  test("a TLS statement that covers only the objects does not count", () => {
    const partial: PolicyStatement = { ...tlsStatement(BUCKET), Resource: `arn:aws:s3:::${BUCKET}/*` };
    expect(subjects({ ...conforming, policy: { Statement: [partial] } })).toEqual(["bucket policy"]);
  });

  test("merging the policy keeps every other statement and replaces only ours", () => {
    const other: PolicyStatement = { Sid: "AllowCi", Effect: "Allow", Principal: { AWS: "arn:aws:iam::1:role/ci" }, Action: "s3:GetObject", Resource: "arn:aws:s3:::state/*" };
    const stale: PolicyStatement = { Sid: "DenyInsecureTransport", Effect: "Deny", Principal: "*", Action: "s3:GetObject", Resource: "arn:aws:s3:::state/*" };
    const merged = mergePolicy({ Version: "2012-10-17", Id: "kept", Statement: [other, stale] }, BUCKET);
    expect(merged.Statement).toEqual([other, tlsStatement(BUCKET)]);
    expect(merged.Id).toBe("kept");
    expect(mergePolicy(undefined, BUCKET)).toEqual({ Version: "2012-10-17", Statement: [tlsStatement(BUCKET)] });
  });

  test("merging lifecycle rules keeps every other rule and replaces only ours", () => {
    const logs = { ID: "expire-logs", Status: "Enabled" as const, Filter: { Prefix: "logs/" }, Expiration: { Days: 30 } };
    const merged = mergeLifecycleRules([logs, { ...lifecycleRule(30), Status: "Disabled" }], 90);
    expect(merged).toEqual([logs, lifecycleRule(90)]);
  });

  test("a policy with a single statement object is read as a list", () => {
    expect(parsePolicy(JSON.stringify({ Version: "2012-10-17", Statement: tlsStatement(BUCKET) })).Statement).toEqual([tlsStatement(BUCKET)]);
  });
});

/** An S3 client whose calls answer from a table: a value is returned, an Error is thrown. */
function fakeS3(answers: Record<string, Array<unknown>>): S3Client {
  return {
    send: async (command: { constructor: { name: string }; input: { ExpectedBucketOwner?: string } }) => {
      const queue = answers[command.constructor.name];
      const answer = queue?.shift();
      if (answer instanceof Error) throw answer;
      if (answer === undefined) throw new Error(`unexpected ${command.constructor.name}`);
      return answer;
    },
  } as unknown as S3Client;
}

const awsError = (name: string, status: number, headers: Record<string, string> = {}) =>
  Object.assign(new Error(name === "NotFound" ? "UnknownError" : `${name} message`), { name, $fault: "client", $metadata: { httpStatusCode: status }, $response: { headers } });
const target: BucketTarget = { bucket: BUCKET, region: "eu-west-3", account: "123456789012", configFiles: "env/.env" };

describe("locating the bucket (recorded S3 answers)", () => {
  test("404 means missing; 200 in the right region means it exists", async () => {
    await expect(locateBucket(fakeS3({ HeadBucketCommand: [awsError("NotFound", 404)] }), target)).resolves.toBe("missing");
    await expect(locateBucket(fakeS3({ HeadBucketCommand: [{ BucketRegion: "eu-west-3" }] }), target)).resolves.toBe("exists");
  });

  test("403 with our account, 200 without: another account owns the name", async () => {
    const s3 = fakeS3({ HeadBucketCommand: [awsError("Forbidden", 403), { BucketRegion: "eu-west-3" }] });
    await expect(locateBucket(s3, target)).rejects.toThrow(
      "s3://state belongs to another AWS account, not 123456789012: bucket names are global, so choose another INFRA_STATE_BUCKET in env/.env.",
    );
  });

  test("403 both ways: access denied, with both possible causes", async () => {
    const s3 = fakeS3({ HeadBucketCommand: [awsError("Forbidden", 403), awsError("Forbidden", 403)] });
    await expect(locateBucket(s3, target)).rejects.toThrow("Access denied to s3://state: either another AWS account owns it (bucket names are global) or account 123456789012 lacks s3:ListBucket on it.");
  });

  test("301 names the bucket's actual region", async () => {
    const s3 = fakeS3({ HeadBucketCommand: [awsError("PermanentRedirect", 301, { "x-amz-bucket-region": "us-east-1" })] });
    await expect(locateBucket(s3, target)).rejects.toThrow("s3://state is in us-east-1, but the configuration says eu-west-3: set INFRA_AWS_REGION");
  });

  test("CreateBucket refused because the name is taken elsewhere", async () => {
    await expect(createBucket(fakeS3({ CreateBucketCommand: [awsError("BucketAlreadyExists", 409)] }), target)).rejects.toThrow("belongs to another AWS account");
  });
});

describe("AWS errors in one line", () => {
  test.each([
    [Object.assign(new Error("Could not load credentials from any providers"), { name: "CredentialsProviderError" }), /^No AWS credentials found \(needed to list images\)/],
    [awsError("ExpiredToken", 400), /^AWS credentials have expired/],
    [awsError("InvalidClientTokenId", 403), /^AWS rejected the credentials \(InvalidClientTokenId\)/],
    [awsError("AccessDeniedException", 400), /^Access denied: your AWS identity may not list images \(AccessDeniedException\)/],
    [Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:1"), { code: "ECONNREFUSED" }), /^Could not reach AWS to list images/],
    [awsError("ThrottlingException", 400), /^Could not list images: ThrottlingException: ThrottlingException message$/],
  ])("%s", (error, expected) => {
    const explained = explainAwsError(error, "list images");
    expect(explained.message).toMatch(expected);
    expect(explained.message).not.toContain("\n");
    expect(explained.exitCode).toBe(EXIT.aws);
  });
});

describe("progress indicator", () => {
  test("only on a terminal, and never when CI is set", () => {
    expect(wantsProgress({ isTTY: true }, {})).toBe(true);
    expect(wantsProgress({ isTTY: true }, { CI: "true" })).toBe(false);
    expect(wantsProgress({ isTTY: false }, {})).toBe(false);
    expect(wantsProgress({}, {})).toBe(false);
  });
});

describe("bootstrap's usage errors: refused before AWS is asked anything", () => {
  // Clients that fail the test if called: a usage error must not reach AWS.
  const untouchable: BootstrapClients = {
    s3: () => {
      throw new Error("S3 must not be called");
    },
    accountId: async () => {
      throw new Error("STS must not be called");
    },
  };
  const output = () => {
    const lines: string[] = [];
    const sink = { write: (text: string) => lines.push(text) > 0 };
    return { lines, output: { stdout: sink, stderr: sink, environment: {} } as unknown as Output };
  };
  const refusal = async (args: string[]) =>
    bootstrap(args, output().output, untouchable).then(
      () => undefined,
      (error: { message: string; exitCode?: number }) => error,
    );

  test("two environment names", async () => {
    expect(await refusal(["staging", "production"])).toMatchObject({ exitCode: EXIT.usage, message: expect.stringContaining("expected at most one environment name, got staging production") });
  });

  test.each(["0", "-3", "ninety", "1.5"])("--noncurrent-days %s", async (days) => {
    expect(await refusal([`--noncurrent-days=${days}`])).toMatchObject({ exitCode: EXIT.usage, message: `--noncurrent-days must be a whole number of days >= 1, got "${days}"` });
  });

  test("an unknown environment names the environments there are", async () => {
    expect(await refusal(["qa"])).toMatchObject({
      exitCode: EXIT.usage,
      message: 'Unknown environment "qa": env/ defines production, staging (one .env.<name> file each).',
    });
  });

  test("--help prints the usage and exits 0 without AWS", async () => {
    const { lines, output: sink } = output();
    await expect(bootstrap(["--help"], sink, untouchable)).resolves.toBe(EXIT.ok);
    expect(lines.join("")).toContain("bootstrap");
  });

  test("on a terminal, a spinner says what bootstrap waits on, and is erased before the error", async () => {
    const written: string[] = [];
    const terminal = { isTTY: true, write: (text: string) => written.push(text) > 0 };
    const sink = { stdout: terminal, stderr: terminal, environment: {} } as unknown as Output;
    const failing: BootstrapClients = { ...untouchable, accountId: () => Promise.reject(new Error("no identity")) };
    await expect(bootstrap([], sink, failing)).rejects.toThrow("no identity");
    expect(written[0]).toBe("\r| reading your AWS identity...");
    expect(written[written.length - 1]).toMatch(/^\r +\r$/);
  });
});
