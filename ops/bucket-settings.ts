import type { LifecycleRule, PublicAccessBlockConfiguration, ServerSideEncryptionRule } from "@aws-sdk/client-s3";

/** The settings bootstrap enforces, in the order they are checked and fixed. */
export const SETTINGS = ["ownership", "publicAccessBlock", "encryption", "versioning", "policy", "lifecycle"] as const;
export type SettingName = (typeof SETTINGS)[number];

/** Sid of the statement bootstrap adds to the bucket policy; other statements are kept. */
export const TLS_STATEMENT_SID = "DenyInsecureTransport";
/** ID of the lifecycle rule bootstrap adds; other rules are kept. */
export const LIFECYCLE_RULE_ID = "expire-noncurrent-state-versions";
/** Old state versions are how a bad apply is undone: keep them a quarter. */
export const DEFAULT_NONCURRENT_DAYS = 90;
/** Terraform writes state in one PUT; a multipart upload left a week is a crashed client's. */
export const ABORT_MULTIPART_DAYS = 7;
export const PUBLIC_ACCESS_FLAGS = ["BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy", "RestrictPublicBuckets"] as const;

export interface PolicyStatement {
  readonly Sid?: string;
  readonly Effect?: string;
  readonly Principal?: unknown;
  readonly Action?: string | readonly string[];
  readonly Resource?: string | readonly string[];
  readonly Condition?: Record<string, Record<string, unknown>>;
  readonly [key: string]: unknown;
}

export interface PolicyDocument {
  readonly Version?: string;
  readonly Statement: readonly PolicyStatement[];
  readonly [key: string]: unknown;
}

/** A bucket's settings as S3 reports them; undefined where S3 has none configured. */
export interface BucketSettings {
  readonly versioning?: string;
  readonly encryption?: readonly ServerSideEncryptionRule[];
  readonly publicAccessBlock?: PublicAccessBlockConfiguration;
  readonly ownership?: string;
  readonly policy?: PolicyDocument;
  readonly lifecycleRules?: readonly LifecycleRule[];
}

export interface Requirements {
  readonly bucket: string;
  readonly noncurrentDays: number;
}

/** One setting weaker than required, in words: `versioning: Suspended (required: Enabled)`. */
export interface Finding {
  readonly setting: SettingName;
  readonly subject: string;
  readonly current: string;
  readonly required: string;
  /** What a fix sets, when more precise than `required`. */
  readonly fixedTo?: string;
}

export function tlsStatement(bucket: string): PolicyStatement {
  return {
    Sid: TLS_STATEMENT_SID,
    Effect: "Deny",
    Principal: "*",
    Action: "s3:*",
    Resource: [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`],
    Condition: { Bool: { "aws:SecureTransport": "false" } },
  };
}

export function lifecycleRule(noncurrentDays: number): LifecycleRule {
  return {
    ID: LIFECYCLE_RULE_ID,
    Status: "Enabled",
    Filter: {},
    NoncurrentVersionExpiration: { NoncurrentDays: noncurrentDays },
    AbortIncompleteMultipartUpload: { DaysAfterInitiation: ABORT_MULTIPART_DAYS },
  };
}

/** Every setting of `current` weaker than required, one finding per setting (per flag for public access). */
export function findWeakerSettings(current: BucketSettings, requirements: Requirements): Finding[] {
  const findings: Finding[] = [];
  if (current.ownership !== "BucketOwnerEnforced") {
    findings.push({ setting: "ownership", subject: "object ownership", current: current.ownership ?? "not set (ACLs enabled)", required: "BucketOwnerEnforced (ACLs disabled)" });
  }
  for (const flag of PUBLIC_ACCESS_FLAGS) {
    if (current.publicAccessBlock?.[flag] !== true) {
      findings.push({ setting: "publicAccessBlock", subject: `public access block ${flag}`, current: "off", required: "on" });
    }
  }
  const algorithm = current.encryption?.[0]?.ApplyServerSideEncryptionByDefault?.SSEAlgorithm;
  if (!algorithm) {
    findings.push({ setting: "encryption", subject: "default encryption", current: "none", required: "SSE-S3 (AES256) or SSE-KMS", fixedTo: "SSE-S3 (AES256)" });
  }
  if (current.versioning !== "Enabled") {
    findings.push({ setting: "versioning", subject: "versioning", current: current.versioning ?? "never enabled", required: "Enabled" });
  }
  if (!current.policy?.Statement.some((statement) => deniesInsecureTransport(statement, requirements.bucket))) {
    findings.push({ setting: "policy", subject: "bucket policy", current: "no statement denies non-TLS access", required: `statement ${TLS_STATEMENT_SID} denying aws:SecureTransport=false` });
  }
  const problem = lifecycleProblem(current.lifecycleRules ?? [], requirements.noncurrentDays);
  if (problem) {
    findings.push({ setting: "lifecycle", subject: `lifecycle rule ${LIFECYCLE_RULE_ID}`, current: problem, required: describeLifecycle(requirements.noncurrentDays) });
  }
  return findings;
}

/** A statement that denies every S3 action on the bucket and its objects to anyone not using TLS. */
export function deniesInsecureTransport(statement: PolicyStatement, bucket: string): boolean {
  const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : [value]);
  const principalIsAnyone = statement.Principal === "*" || list((statement.Principal as { AWS?: unknown } | undefined)?.AWS).includes("*");
  const resources = list(statement.Resource);
  const secureTransport = list(statement.Condition?.Bool?.["aws:SecureTransport"]).map(String);
  return (
    statement.Effect === "Deny" &&
    principalIsAnyone &&
    list(statement.Action).includes("s3:*") &&
    resources.includes(`arn:aws:s3:::${bucket}`) &&
    resources.includes(`arn:aws:s3:::${bucket}/*`) &&
    secureTransport.length === 1 &&
    secureTransport[0] === "false"
  );
}

export function describeLifecycle(noncurrentDays: number): string {
  return `enabled on the whole bucket, noncurrent versions expire after ${noncurrentDays} days, incomplete uploads aborted after ${ABORT_MULTIPART_DAYS} days`;
}

/** What is wrong with our lifecycle rule (found by ID), or undefined when it is as required. */
function lifecycleProblem(rules: readonly LifecycleRule[], noncurrentDays: number): string | undefined {
  const rule = rules.find((candidate) => candidate.ID === LIFECYCLE_RULE_ID);
  if (!rule) return rules.length === 0 ? "no lifecycle rules" : `absent (the ${rules.length} other rule(s) are kept)`;
  const filter = rule.Filter;
  const wholeBucket = (filter === undefined || (!filter.And && !filter.Tag && !filter.Prefix && filter.ObjectSizeGreaterThan === undefined && filter.ObjectSizeLessThan === undefined)) && !rule.Prefix;
  const problems = [
    rule.Status !== "Enabled" ? `status ${rule.Status}` : "",
    wholeBucket ? "" : "limited by a filter",
    rule.NoncurrentVersionExpiration?.NoncurrentDays !== noncurrentDays ? `noncurrent versions expire after ${rule.NoncurrentVersionExpiration?.NoncurrentDays ?? "never"}` : "",
    rule.AbortIncompleteMultipartUpload?.DaysAfterInitiation !== ABORT_MULTIPART_DAYS ? `incomplete uploads aborted after ${rule.AbortIncompleteMultipartUpload?.DaysAfterInitiation ?? "never"}` : "",
  ].filter(Boolean);
  return problems.length > 0 ? problems.join(", ") : undefined;
}

/** The policy with our statement added (or replacing an older one with our Sid); every other statement kept. */
export function mergePolicy(existing: PolicyDocument | undefined, bucket: string): PolicyDocument {
  const others = (existing?.Statement ?? []).filter((statement) => statement.Sid !== TLS_STATEMENT_SID);
  return { ...existing, Version: existing?.Version ?? "2012-10-17", Statement: [...others, tlsStatement(bucket)] };
}

/** The rules with ours added (or replacing an older one with our ID); every other rule kept. */
export function mergeLifecycleRules(existing: readonly LifecycleRule[] | undefined, noncurrentDays: number): LifecycleRule[] {
  return [...(existing ?? []).filter((rule) => rule.ID !== LIFECYCLE_RULE_ID), lifecycleRule(noncurrentDays)];
}
