import {
  CreateBucketCommand,
  GetBucketEncryptionCommand,
  GetBucketLifecycleConfigurationCommand,
  GetBucketOwnershipControlsCommand,
  GetBucketPolicyCommand,
  GetBucketVersioningCommand,
  GetPublicAccessBlockCommand,
  HeadBucketCommand,
  PutBucketEncryptionCommand,
  PutBucketLifecycleConfigurationCommand,
  PutBucketOwnershipControlsCommand,
  PutBucketPolicyCommand,
  PutBucketVersioningCommand,
  PutPublicAccessBlockCommand,
  type BucketLocationConstraint,
  type S3Client,
} from "@aws-sdk/client-s3";
import {
  mergeLifecycleRules,
  mergePolicy,
  type BucketSettings,
  type PolicyDocument,
  type Requirements,
  type SettingName,
} from "./bucket-settings";
import { UserError } from "../cli/errors";
import { attempt, awsProblem, errorName, explainAwsError, httpStatus, responseHeader } from "./errors";

/** The bucket to bootstrap, and where the configuration says it is. */
export interface BucketTarget {
  readonly bucket: string;
  readonly region: string;
  /** The account that must own it (the caller's): S3 then refuses to talk about anyone else's bucket. */
  readonly account: string;
  /** Which env file sets the bucket and region, for error messages. */
  readonly configFiles: string;
}

/** "missing" when no bucket has the name; throws when it exists but is not ours or not in the region. */
export async function locateBucket(s3: S3Client, target: BucketTarget): Promise<"missing" | "exists"> {
  try {
    const head = await s3.send(new HeadBucketCommand({ Bucket: target.bucket, ExpectedBucketOwner: target.account }));
    if (head.BucketRegion && head.BucketRegion !== target.region) throw wrongRegion(target, head.BucketRegion);
    return "exists";
  } catch (error) {
    if (error instanceof UserError) throw error;
    const status = httpStatus(error);
    if (status === 404) return "missing";
    if (status === 301 || errorName(error) === "PermanentRedirect") {
      throw wrongRegion(target, responseHeader(error, "x-amz-bucket-region") ?? "another region");
    }
    if (status === 403) throw await explainForbidden(s3, target);
    throw explainAwsError(error, `look up bucket s3://${target.bucket}`);
  }
}

/** A 403 with ExpectedBucketOwner: asking again without it tells "another account's" from "not allowed". */
async function explainForbidden(s3: S3Client, target: BucketTarget): Promise<UserError> {
  try {
    await s3.send(new HeadBucketCommand({ Bucket: target.bucket }));
    return anotherOwner(target);
  } catch (error) {
    if (httpStatus(error) !== 403) return explainAwsError(error, `look up bucket s3://${target.bucket}`);
    return awsProblem(
      `Access denied to s3://${target.bucket}: either another AWS account owns it (bucket names are global) or account ${target.account} lacks s3:ListBucket on it.`,
    );
  }
}

function anotherOwner(target: BucketTarget): UserError {
  return awsProblem(
    `s3://${target.bucket} belongs to another AWS account, not ${target.account}: bucket names are global, so choose another INFRA_STATE_BUCKET in ${target.configFiles}.`,
  );
}

function wrongRegion(target: BucketTarget, actual: string): UserError {
  return awsProblem(
    `s3://${target.bucket} is in ${actual}, but the configuration says ${target.region}: set INFRA_AWS_REGION (or INFRA_STATE_BUCKET) in ${target.configFiles} to match; the Terraform backend uses the same region.`,
  );
}

/** Creates the bucket with ACLs disabled from the start; the other settings are applied as fixes. */
export async function createBucket(s3: S3Client, target: BucketTarget): Promise<void> {
  try {
    await s3.send(
      new CreateBucketCommand({
        Bucket: target.bucket,
        ObjectOwnership: "BucketOwnerEnforced",
        // us-east-1 is the one region that refuses a location constraint naming itself.
        CreateBucketConfiguration: target.region === "us-east-1" ? undefined : { LocationConstraint: target.region as BucketLocationConstraint },
      }),
    );
  } catch (error) {
    const name = errorName(error);
    if (name === "BucketAlreadyExists") throw anotherOwner(target);
    if (name === "IllegalLocationConstraintException") throw wrongRegion(target, "another region");
    if (name === "InvalidBucketName") {
      throw awsProblem(`"${target.bucket}" is not a valid S3 bucket name (3-63 lowercase letters, digits, "." and "-"): fix INFRA_STATE_BUCKET in ${target.configFiles}.`);
    }
    throw explainAwsError(error, `create bucket s3://${target.bucket} in ${target.region}`);
  }
}

/** Reads one optional setting: S3's "not configured" error codes mean undefined. */
async function optional<T>(action: string, notConfigured: string, read: () => Promise<T>): Promise<T | undefined> {
  try {
    return await read();
  } catch (error) {
    if (errorName(error) === notConfigured) return undefined;
    throw explainAwsError(error, action);
  }
}

export async function readSettings(s3: S3Client, target: BucketTarget): Promise<BucketSettings> {
  const ids = { Bucket: target.bucket, ExpectedBucketOwner: target.account };
  const on = `s3://${target.bucket}`;
  const [versioning, encryption, publicAccess, ownership, policy, lifecycle] = await Promise.all([
    attempt(`read the versioning of ${on}`, () => s3.send(new GetBucketVersioningCommand(ids))),
    optional(`read the encryption of ${on}`, "ServerSideEncryptionConfigurationNotFoundError", () => s3.send(new GetBucketEncryptionCommand(ids))),
    optional(`read the public access block of ${on}`, "NoSuchPublicAccessBlockConfiguration", () => s3.send(new GetPublicAccessBlockCommand(ids))),
    optional(`read the object ownership of ${on}`, "OwnershipControlsNotFoundError", () => s3.send(new GetBucketOwnershipControlsCommand(ids))),
    optional(`read the policy of ${on}`, "NoSuchBucketPolicy", () => s3.send(new GetBucketPolicyCommand(ids))),
    optional(`read the lifecycle rules of ${on}`, "NoSuchLifecycleConfiguration", () => s3.send(new GetBucketLifecycleConfigurationCommand(ids))),
  ]);
  return {
    versioning: versioning.Status,
    encryption: encryption?.ServerSideEncryptionConfiguration?.Rules,
    publicAccessBlock: publicAccess?.PublicAccessBlockConfiguration,
    ownership: ownership?.OwnershipControls?.Rules?.[0]?.ObjectOwnership,
    policy: policy?.Policy ? parsePolicy(policy.Policy) : undefined,
    lifecycleRules: lifecycle?.Rules,
  };
}

/** IAM allows a single statement object instead of a list; we always work on a list. */
export function parsePolicy(text: string): PolicyDocument {
  const document = JSON.parse(text) as Omit<PolicyDocument, "Statement"> & { Statement?: unknown };
  const statements = Array.isArray(document.Statement) ? document.Statement : document.Statement ? [document.Statement] : [];
  return { ...document, Statement: statements };
}

/**
 * Applies one setting. Policy and lifecycle puts replace the whole document, so they are merged
 * with what `current` holds: other statements and rules stay. Encryption is only ever set when
 * there is none, so an existing KMS configuration is never downgraded.
 */
export async function applySetting(s3: S3Client, target: BucketTarget, setting: SettingName, current: BucketSettings, requirements: Requirements): Promise<void> {
  const ids = { Bucket: target.bucket, ExpectedBucketOwner: target.account };
  const action = `change the ${setting} setting of s3://${target.bucket}`;
  const commands: Record<SettingName, () => Promise<unknown>> = {
    ownership: () => s3.send(new PutBucketOwnershipControlsCommand({ ...ids, OwnershipControls: { Rules: [{ ObjectOwnership: "BucketOwnerEnforced" }] } })),
    publicAccessBlock: () =>
      s3.send(
        new PutPublicAccessBlockCommand({
          ...ids,
          PublicAccessBlockConfiguration: { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true },
        }),
      ),
    encryption: () =>
      s3.send(new PutBucketEncryptionCommand({ ...ids, ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: "AES256" } }] } })),
    versioning: () => s3.send(new PutBucketVersioningCommand({ ...ids, VersioningConfiguration: { Status: "Enabled" } })),
    policy: () => s3.send(new PutBucketPolicyCommand({ ...ids, Policy: JSON.stringify(mergePolicy(current.policy, target.bucket)) })),
    lifecycle: () =>
      s3.send(
        new PutBucketLifecycleConfigurationCommand({
          ...ids,
          LifecycleConfiguration: { Rules: mergeLifecycleRules(current.lifecycleRules, requirements.noncurrentDays) },
        }),
      ),
  };
  await attempt(action, commands[setting]);
}
