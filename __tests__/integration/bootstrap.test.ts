import {
  CreateBucketCommand,
  GetBucketEncryptionCommand,
  GetBucketLifecycleConfigurationCommand,
  GetBucketOwnershipControlsCommand,
  GetBucketPolicyCommand,
  GetBucketVersioningCommand,
  GetPublicAccessBlockCommand,
  PutBucketLifecycleConfigurationCommand,
  PutBucketPolicyCommand,
  PutBucketVersioningCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import { awsEnvironment, clientOptions, REGION, resetMoto, runCommand, writeConfig } from "./fixtures";

let s3: S3Client;
beforeAll(async () => {
  await resetMoto();
  s3 = new S3Client(clientOptions());
});
afterAll(() => s3.destroy());

const configFor = (bucket: string, region = REGION) => writeConfig(`INFRA_AWS_REGION=${region}\nINFRA_STATE_BUCKET=${bucket}\n`, { staging: "" });

/** Everything bootstrap manages, read back from the emulator. */
async function readBack(bucket: string) {
  const ids = { Bucket: bucket };
  const optional = <T>(promise: Promise<T>) => promise.catch(() => undefined);
  const policy = await optional(s3.send(new GetBucketPolicyCommand(ids)));
  return {
    versioning: (await s3.send(new GetBucketVersioningCommand(ids))).Status,
    encryption: (await optional(s3.send(new GetBucketEncryptionCommand(ids))))?.ServerSideEncryptionConfiguration?.Rules?.[0]?.ApplyServerSideEncryptionByDefault?.SSEAlgorithm,
    publicAccessBlock: (await optional(s3.send(new GetPublicAccessBlockCommand(ids))))?.PublicAccessBlockConfiguration,
    ownership: (await optional(s3.send(new GetBucketOwnershipControlsCommand(ids))))?.OwnershipControls?.Rules?.[0]?.ObjectOwnership,
    policy: policy?.Policy ? JSON.parse(policy.Policy) : undefined,
    lifecycleRules: (await optional(s3.send(new GetBucketLifecycleConfigurationCommand(ids))))?.Rules,
  };
}

describe("bootstrap against moto", () => {
  test("creates the bucket with every setting, and a second run changes nothing and says so", async () => {
    const config = configFor("state-fresh");
    const first = runCommand("bootstrap", ["--config-dir", config]);
    expect(first.stderr).toBe("");
    expect(first.code).toBe(0);
    expect(first.stdout).toContain("Creating state bucket s3://state-fresh (eu-west-3, account 123456789012).");
    expect(first.stdout).toContain("Created s3://state-fresh");

    const state = await readBack("state-fresh");
    expect(state.versioning).toBe("Enabled");
    expect(state.encryption).toBe("AES256");
    expect(state.publicAccessBlock).toEqual({ BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true });
    expect(state.ownership).toBe("BucketOwnerEnforced");
    expect(state.policy.Statement).toEqual([
      {
        Sid: "DenyInsecureTransport",
        Effect: "Deny",
        Principal: "*",
        Action: "s3:*",
        Resource: ["arn:aws:s3:::state-fresh", "arn:aws:s3:::state-fresh/*"],
        Condition: { Bool: { "aws:SecureTransport": "false" } },
      },
    ]);
    expect(state.lifecycleRules).toEqual([
      expect.objectContaining({
        ID: "expire-noncurrent-state-versions",
        Status: "Enabled",
        NoncurrentVersionExpiration: { NoncurrentDays: 90 },
        AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 },
      }),
    ]);

    const second = runCommand("bootstrap", ["--config-dir", config]);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain("every setting already as required; nothing changed.");
    expect(second.stdout).not.toContain("Creating");
    expect(await readBack("state-fresh")).toEqual(state);
  });

  test("reports a weakened bucket setting by setting, changes nothing without --fix, then fixes it keeping existing statements and rules", async () => {
    const bucket = "state-weakened";
    await s3.send(new CreateBucketCommand({ Bucket: bucket, CreateBucketConfiguration: { LocationConstraint: REGION } }));
    await s3.send(new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: "Suspended" } }));
    const readerStatement = {
      Sid: "AllowCiRead",
      Effect: "Allow",
      Principal: { AWS: "arn:aws:iam::123456789012:role/ci" },
      Action: "s3:GetObject",
      Resource: `arn:aws:s3:::${bucket}/*`,
    };
    await s3.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: JSON.stringify({ Version: "2012-10-17", Statement: [readerStatement] }) }));
    const logsRule = { ID: "expire-logs", Status: "Enabled" as const, Filter: { Prefix: "logs/" }, Expiration: { Days: 30 } };
    await s3.send(new PutBucketLifecycleConfigurationCommand({ Bucket: bucket, LifecycleConfiguration: { Rules: [logsRule] } }));
    const before = await readBack(bucket);
    const config = configFor(bucket);

    const report = runCommand("bootstrap", ["--config-dir", config]);
    expect(report.code).toBe(2);
    expect(report.stdout).toContain("setting(s) weaker than required:");
    expect(report.stdout).toContain("weaker versioning: Suspended (required: Enabled)");
    expect(report.stdout).toContain("weaker default encryption: none");
    expect(report.stdout).toContain("weaker public access block BlockPublicPolicy: off (required: on)");
    expect(report.stdout).toContain("weaker bucket policy: no statement denies non-TLS access");
    expect(report.stdout).toContain("weaker lifecycle rule expire-noncurrent-state-versions: absent (the 1 other rule(s) are kept)");
    expect(report.stdout).toContain("Run again with --fix");
    expect(await readBack(bucket)).toEqual(before);

    const fixed = runCommand("bootstrap", ["--config-dir", config, "--fix"]);
    expect(fixed.stderr).toBe("");
    expect(fixed.code).toBe(0);
    expect(fixed.stdout).toContain("fixed  versioning: Suspended -> Enabled");
    expect(fixed.stdout).toContain("Fixed ");
    const after = await readBack(bucket);
    expect(after.versioning).toBe("Enabled");
    expect(after.encryption).toBe("AES256");
    expect(after.ownership).toBe("BucketOwnerEnforced");
    expect(after.publicAccessBlock).toEqual({ BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true });
    expect(after.policy.Statement.map((statement: { Sid: string }) => statement.Sid)).toEqual(["AllowCiRead", "DenyInsecureTransport"]);
    expect(after.policy.Statement[0]).toEqual(readerStatement);
    expect(after.lifecycleRules?.map((rule) => rule.ID)).toEqual(["expire-logs", "expire-noncurrent-state-versions"]);
    expect(after.lifecycleRules?.[0]).toEqual(expect.objectContaining(logsRule));

    const again = runCommand("bootstrap", ["--config-dir", config]);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain("nothing changed");
  });

  test("bootstraps an environment's own bucket when its name is given", async () => {
    const config = writeConfig(`INFRA_AWS_REGION=${REGION}\nINFRA_STATE_BUCKET=state-shared\n`, { staging: "INFRA_STATE_BUCKET=state-staging-own\n" });
    const result = runCommand("bootstrap", ["staging", "--config-dir", config]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("s3://state-staging-own");
    expect((await readBack("state-staging-own")).versioning).toBe("Enabled");
  });

  test("refuses a bucket that is in another region than the configuration says", async () => {
    const elsewhere = new S3Client(clientOptions("us-west-2"));
    await elsewhere.send(new CreateBucketCommand({ Bucket: "state-elsewhere", CreateBucketConfiguration: { LocationConstraint: "us-west-2" } }));
    elsewhere.destroy();
    const result = runCommand("bootstrap", ["--config-dir", configFor("state-elsewhere")]);
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/^error: s3:\/\/state-elsewhere is in us-west-2, but the configuration says eu-west-3: set INFRA_AWS_REGION/);
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
  });

  test("says plainly that there are no credentials, in one line", () => {
    const environment = awsEnvironment({
      AWS_ACCESS_KEY_ID: undefined,
      AWS_SECRET_ACCESS_KEY: undefined,
      AWS_CONFIG_FILE: "/nonexistent/config",
      AWS_SHARED_CREDENTIALS_FILE: "/nonexistent/credentials",
    });
    const result = runCommand("bootstrap", ["--config-dir", configFor("state-no-credentials")], environment);
    expect(result.code).toBe(3);
    expect(result.stderr.trim()).toMatch(/^error: No AWS credentials found \(needed to read your AWS identity \(sts:GetCallerIdentity\)\): set AWS_PROFILE/);
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
  });

  test("an unknown environment is a usage error that lists the known ones", () => {
    const result = runCommand("bootstrap", ["qa", "--config-dir", configFor("state-unused")]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('error: Unknown environment "qa":');
    expect(result.stderr).toContain("defines staging");
  });
});
