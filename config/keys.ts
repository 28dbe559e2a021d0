import { z } from "zod";
import { boolean, EMAIL_ADDRESS, integer, list, matching, oneOfNumbers, optional } from "./key-schemas";
import { FARGATE_CPU_VALUES } from "./fargate";
import { knownRegion } from "./regions";
import { RELEASE_TAG_PREFIX_PATTERN } from "./image-tag";
import { PUBLIC_ENTRY_KEYS } from "./entry-keys";

/**
 * Where a key may be set: `registry` keys describe the shared ECR registry and belong in the shared
 * file only; `environment` keys may be set in the shared file (a default) and overridden per
 * environment.
 */
export type KeyScope = "registry" | "environment";

export interface KeyDefinition {
  readonly scope: KeyScope;
  /** What the key means (the README's table is generated from this). */
  readonly description: string;
  /** Raw default, parsed by the same schema as a user's value; undefined = required. */
  readonly default?: string;
  /**
   * When the default is empty and another key decides what empty stands for: that, in words
   * (`INFRA_ALERT_EMAIL`). config/load.ts derives the value; the README's table shows these words.
   */
  readonly emptyMeans?: string;
  /** The rule, in words; also the error message when a value breaks it. */
  readonly allowed: string;
  readonly schema: z.ZodType<unknown, string>;
}

const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
];

const S3_BUCKET = /^(?!\d+\.\d+\.\d+\.\d+$)(?!xn--)(?!.*\.\.)[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const ACM_CERTIFICATE_ARN = /^arn:aws(-[a-z]+)*:acm:[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d:\d{12}:certificate\/[0-9a-f-]{36}$/;
/** What an ALB health check accepts: a path of URL characters, no query string or fragment. */
const HEALTH_CHECK_PATH = /^\/[A-Za-z0-9._~!$&'()*+,;=:@%\/-]{0,1023}$/;
/** GitHub's own rules: owner 1-39 letters, digits and single inner hyphens; name 1-100 of letters, digits, . _ - (not . or ..). */
const GITHUB_REPOSITORY = /^[A-Za-z0-9](?:-?[A-Za-z0-9]){0,38}\/(?!\.\.?$)[A-Za-z0-9._-]{1,100}$/;
const GITHUB_REPOSITORY_RULE = "owner/name of one GitHub repository (no wildcard: the OIDC trust names it exactly)";
const GITHUB_OIDC_PROVIDER_ARN = /^arn:aws[a-z-]*:iam::\d{12}:oidc-provider\/token\.actions\.githubusercontent\.com$/;

/** Every `INFRA_*` key the project understands. An unknown `INFRA_*` key is an error. */
export const INFRA_KEYS = {
  INFRA_AWS_REGION: {
    scope: "environment",
    description: "AWS region of the stack (the registry uses the shared file's value)",
    default: "eu-west-3",
    allowed: "an AWS region the AWS SDK lists, such as eu-west-3",
    schema: knownRegion(/^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d$/),
  },
  INFRA_STATE_BUCKET: {
    scope: "environment",
    description: "S3 bucket holding the Terraform state (one key per stack), in the region of the file that names it; create it with `npm run bootstrap`",
    allowed: "an S3 bucket name: 3-63 lowercase letters, digits, . and -",
    schema: matching(S3_BUCKET),
  },
  INFRA_ECS_CPU: {
    scope: "environment",
    description: "Fargate task CPU units (1024 = 1 vCPU)",
    default: "1024",
    allowed: `one of ${FARGATE_CPU_VALUES.join(", ")}`,
    schema: oneOfNumbers(FARGATE_CPU_VALUES),
  },
  INFRA_ECS_MEMORY: {
    scope: "environment",
    description: "Fargate task memory in MiB; must be a valid pair with INFRA_ECS_CPU",
    default: "2048",
    allowed: "MiB allowed by Fargate for the CPU (e.g. 1024 CPU: 2048-8192 step 1024)",
    schema: integer(512, 122880),
  },
  INFRA_CPU_ARCHITECTURE: {
    scope: "environment",
    description: "CPU architecture of the tasks; must match the images CI builds",
    default: "X86_64",
    allowed: "X86_64 or ARM64",
    schema: z.enum(["X86_64", "ARM64"]),
  },
  // city-guided's Dockerfiles: both images run as a non-root user (uid 1001) and listen on $PORT,
  // 4000 for api and 3080 for web by default. The project passes each port to its container as PORT.
  INFRA_WEB_PORT: {
    scope: "environment",
    description: "Port the web container listens on; passed to it as PORT (city-guided's web image defaults to 3080)",
    default: "3080",
    allowed: "1-65535, different from INFRA_API_PORT",
    schema: integer(1, 65535),
  },
  INFRA_API_PORT: {
    scope: "environment",
    description: "Port the api container listens on; passed to it as PORT (city-guided's api image defaults to 4000)",
    default: "4000",
    allowed: "1-65535, different from INFRA_WEB_PORT",
    schema: integer(1, 65535),
  },
  INFRA_MIN_CAPACITY: {
    scope: "environment",
    description: "Fewest running tasks; 0 lets the service sleep when idle",
    default: "0",
    allowed: "0-100, at most INFRA_MAX_CAPACITY",
    schema: integer(0, 100),
  },
  INFRA_MAX_CAPACITY: {
    scope: "environment",
    description: "Most running tasks under CPU scaling",
    default: "1",
    allowed: "1-100, at least INFRA_MIN_CAPACITY",
    schema: integer(1, 100),
  },
  INFRA_CPU_TARGET: {
    scope: "environment",
    description: "Average CPU utilisation (%) that target tracking keeps the service at",
    default: "60",
    allowed: "10-90",
    schema: integer(10, 90),
  },
  INFRA_LOG_RETENTION_DAYS: {
    scope: "environment",
    description: "Days CloudWatch keeps container logs",
    default: "30",
    allowed: `one of CloudWatch's values: ${LOG_RETENTION_DAYS.join(", ")}`,
    schema: oneOfNumbers(LOG_RETENTION_DAYS),
  },
  INFRA_SUBNET_IDS: {
    scope: "environment",
    description: "Comma-separated subnets of the tasks; empty = the default VPC's subnets",
    default: "",
    allowed: "comma-separated distinct subnet IDs (subnet-0123abcd...)",
    schema: list(/^subnet-[0-9a-f]{8,17}$/),
  },
  INFRA_ASSIGN_PUBLIC_IP: {
    scope: "environment",
    description: "Give tasks a public IP (to reach ECR without a NAT gateway)",
    default: "true",
    allowed: "true or false; false requires INFRA_SUBNET_IDS (private subnets need a NAT or VPC endpoints)",
    schema: boolean,
  },
  // From city-guided's Dockerfiles: `next start` writes the web app's .next/cache, and pnpm through
  // corepack may write under the home of the user each image creates (nextjs, apiuser). Shared by
  // both containers: a path one image lacks is an empty directory there.
  INFRA_WRITABLE_PATHS: {
    scope: "environment",
    description: "Comma-separated writable paths mounted in both containers (the root filesystem is read-only); the default lists what city-guided's images write",
    default: "/tmp,/app/apps/web-frontend/.next/cache,/home/nextjs/.cache,/home/apiuser/.cache",
    allowed: "comma-separated distinct absolute paths other than /",
    schema: list(/^\/[A-Za-z0-9._-][A-Za-z0-9._\/-]*$/),
  },
  INFRA_API_HEALTHCHECK_COMMAND: {
    scope: "environment",
    description: "Container health check of api, run with the image's shell (CMD-SHELL); empty = none",
    default: "",
    allowed: "a shell command line, or empty",
    schema: z.string().transform((value) => (value === "" ? undefined : value)),
  },
  INFRA_WEB_HEALTHCHECK_COMMAND: {
    scope: "environment",
    description: "Container health check of web, run with the image's shell (CMD-SHELL); empty = none",
    default: "",
    allowed: "a shell command line, or empty",
    schema: z.string().transform((value) => (value === "" ? undefined : value)),
  },
  INFRA_ALB_SUBNET_IDS: {
    scope: "environment",
    description: "Comma-separated public subnets of the load balancer (two Availability Zones at least); empty = the default VPC's subnets",
    default: "",
    allowed: "comma-separated distinct subnet IDs (subnet-0123abcd...), at least two; required when INFRA_SUBNET_IDS is set",
    schema: list(/^subnet-[0-9a-f]{8,17}$/),
  },
  INFRA_CERTIFICATE_ARN: {
    scope: "environment",
    description:
      "ACM certificate managed outside the stack, for a site without INFRA_DOMAIN (its DNS is elsewhere): adds HTTPS on 443 to the load balancer and redirects 80 to it; empty = HTTP on 80 only (with INFRA_DOMAIN the entry has its own certificate)",
    default: "",
    allowed:
      "an ACM certificate ARN in INFRA_AWS_REGION (arn:aws:acm:<region>:<account>:certificate/<id>), or empty; not with INFRA_DOMAIN (the proxy ends TLS itself, the load-balancer entry creates its own certificate)",
    schema: optional(ACM_CERTIFICATE_ARN),
  },
  ...PUBLIC_ENTRY_KEYS,
  INFRA_WEB_HEALTH_PATH: {
    scope: "environment",
    description: "Path the load balancer requests from web to check a task's health (expects 200-399)",
    default: "/",
    allowed: "an absolute URL path without spaces, query or fragment (at most 1024 characters)",
    schema: matching(HEALTH_CHECK_PATH),
  },
  INFRA_API_HEALTH_PATH: {
    scope: "environment",
    description: "Path the load balancer requests from api to check a task's health (expects 200-399)",
    default: "/api/health",
    allowed: "an absolute URL path without spaces, query or fragment (at most 1024 characters)",
    schema: matching(HEALTH_CHECK_PATH),
  },
  INFRA_IDLE_MINUTES: {
    scope: "environment",
    description: "Minutes without a request after which a service with INFRA_MIN_CAPACITY=0 scales to zero",
    default: "15",
    // The least is the wake alarm's window (MIN_IDLE_MINUTES in constructs/scale-from-zero.ts; a
    // test keeps the two equal): a shorter idle window could act while the wake alarm still does.
    allowed: "5-1440 (at least the wake alarm's 5 minutes; CloudWatch evaluates at most one day of 1-minute periods)",
    schema: integer(5, 1440),
  },
  INFRA_ALERT_EMAIL: {
    scope: "environment",
    description: "E-mail address subscribed to the environment's alerts (confirm the e-mail AWS sends); empty = no subscription",
    default: "",
    allowed: "one e-mail address (name@example.com), or empty",
    schema: optional(EMAIL_ADDRESS),
  },
  INFRA_ALB_DELETION_PROTECTION: {
    scope: "environment",
    description: "Refuse to delete the load balancer (set it to false before `cdktf destroy <env>`)",
    default: "false",
    allowed: "true or false",
    schema: boolean,
  },
  INFRA_ECR_IMPORT_EXISTING: {
    scope: "registry",
    description: "Migration mode: adopt the existing repositories (Terraform import blocks) instead of creating them, and let the `ecr-migration` GitHub environment push images; turn off after the first apply",
    default: "false",
    allowed: "true or false",
    schema: boolean,
  },
  INFRA_ECR_KEEP_IMAGES: {
    scope: "registry",
    description: "Images each repository keeps (newest first), not counting protected release tags",
    default: "10",
    allowed: "1-1000",
    schema: integer(1, 1000),
  },
  INFRA_ECR_UNTAGGED_DAYS: {
    scope: "registry",
    description: "Days after which untagged images expire",
    default: "1",
    allowed: "1-365",
    schema: integer(1, 365),
  },
  INFRA_ECR_RELEASE_TAG_PREFIX: {
    scope: "registry",
    description: "Tag prefix that promotion adds; such images outlive INFRA_ECR_KEEP_IMAGES",
    default: "release-",
    allowed: "1-64 characters of an image tag: letters, digits, _ . -, not starting with . or -",
    schema: matching(RELEASE_TAG_PREFIX_PATTERN),
  },
  INFRA_ECR_KEEP_RELEASES: {
    scope: "registry",
    description: "Images with the release tag prefix each repository keeps",
    default: "20",
    allowed: "1-1000",
    schema: integer(1, 1000),
  },
  INFRA_GITHUB_APP_REPOSITORY: {
    scope: "registry",
    description: "GitHub repository (owner/name) whose main branch may push images (the push role); empty = no push role",
    default: "",
    allowed: `${GITHUB_REPOSITORY_RULE}, or empty`,
    schema: optional(GITHUB_REPOSITORY),
  },
  INFRA_GITHUB_INFRA_REPOSITORY: {
    scope: "registry",
    description: "GitHub repository (owner/name) of this infrastructure: its pull requests plan, its environments deploy; empty = no plan or deploy roles",
    default: "",
    allowed: `${GITHUB_REPOSITORY_RULE}, or empty`,
    schema: optional(GITHUB_REPOSITORY),
  },
  INFRA_GITHUB_OIDC_PROVIDER_ARN: {
    scope: "registry",
    description: "The account's existing GitHub OIDC provider (an account holds one); empty = the registry stack creates it",
    default: "",
    allowed: "arn:aws:iam::<12-digit account>:oidc-provider/token.actions.githubusercontent.com, or empty",
    schema: optional(GITHUB_OIDC_PROVIDER_ARN),
  },
} satisfies Record<string, KeyDefinition>;

export type InfraKey = keyof typeof INFRA_KEYS;

/** The parsed value type of each key. */
export type InfraValues = { [K in InfraKey]: z.output<(typeof INFRA_KEYS)[K]["schema"]> };

