import type { InfraValues } from "./keys";
import type { SecretReference } from "./secrets";
import { PROJECT, REPOSITORY_NAMES as REPOSITORIES } from "../constructs/names";

/** The two containers of a task. */
export const CONTAINER_NAMES = ["api", "web"] as const;
export type ContainerName = (typeof CONTAINER_NAMES)[number];

// The project name is defined with the names built from it (constructs/names.ts).
export { PROJECT };

/** Repository name of each container's image. */
export const REPOSITORY_NAMES: Readonly<Record<ContainerName, string>> = REPOSITORIES;

export interface ContainerSecret {
  /** Variable name inside the container (SECRET_DATABASE_URL -> DATABASE_URL). */
  readonly variable: string;
  readonly reference: SecretReference;
}

export interface ContainerConfig {
  readonly port: number;
  /** Plain environment variables: non-secret configuration. */
  readonly environment: Readonly<Record<string, string>>;
  readonly secrets: readonly ContainerSecret[];
  /** CMD-SHELL health check run inside the container, if any. */
  readonly healthCheckCommand?: string;
  /** Path the load balancer's health check requests from this container. */
  readonly loadBalancerHealthPath: string;
}

/** Everything the registry stack needs: the shared file's values. */
export interface RegistryConfig {
  readonly region: string;
  /** Emit Terraform import blocks for repositories created before this project (migration). */
  readonly importExisting: boolean;
  readonly stateBucket: string;
  readonly keepImages: number;
  readonly untaggedDays: number;
  readonly releaseTagPrefix: string;
  readonly keepReleases: number;
  /** Who may push images, plan and deploy through GitHub Actions (OIDC). */
  readonly github: GitHubConfig;
}

/** The GitHub side of the delivery pipeline's trust; an absent repository means no roles for it. */
export interface GitHubConfig {
  /** `owner/name` whose main branch pushes images (the push role). */
  readonly appRepository?: string;
  /** `owner/name` of this repository: pull requests plan, environments deploy. */
  readonly infraRepository?: string;
  /** The account's existing GitHub OIDC provider; undefined = the registry stack creates one. */
  readonly oidcProviderArn?: string;
}

/** One environment (`env/.env.<name>` over `env/.env`), validated and typed. */
export interface EnvironmentConfig {
  readonly name: string;
  readonly region: string;
  readonly stateBucket: string;
  /**
   * Region of the state bucket: the bucket lives in the region of the file that names it (an
   * environment that names its own bucket: its region; otherwise the shared file's region).
   */
  readonly stateRegion: string;
  /** Where the ECR repositories live (the registry stack's region). */
  readonly registryRegion: string;
  readonly cpu: number;
  readonly memory: number;
  readonly cpuArchitecture: InfraValues["INFRA_CPU_ARCHITECTURE"];
  readonly minCapacity: number;
  readonly maxCapacity: number;
  readonly cpuTarget: number;
  readonly logRetentionDays: number;
  /** Empty: the default VPC's subnets. */
  readonly subnetIds: readonly string[];
  readonly assignPublicIp: boolean;
  readonly writablePaths: readonly string[];
  readonly containers: Readonly<Record<ContainerName, ContainerConfig>>;
  readonly loadBalancer: LoadBalancerConfig;
  /** Minutes without a request before a service with `minCapacity` 0 scales to zero. */
  readonly idleMinutes: number;
  /** Subscribed to the environment's alerts; no subscription when undefined. */
  readonly alertEmail?: string;
  /** The site's own name; undefined: the load balancer's generated name (HTTP, or INFRA_CERTIFICATE_ARN). */
  readonly domain?: SiteDomainConfig;
  /**
   * What meets the visitors at `domain` (docs/public-entry.md): the proxy entry (Caddy on an
   * instance with an Elastic IP, waking and stopped pages, ALB internal) when set; undefined with a
   * domain: the load balancer itself (ACM certificate + alias, Route 53 only). Undefined without a domain.
   */
  readonly entryProxy?: EntryProxyConfig;
  /** `stopped`: nothing wakes the environment (desired count and scaling bounds 0, wake alarm off); the proxy shows the stopped page. */
  readonly state: EnvironmentState;
}

export type EnvironmentState = "running" | "stopped";

/** The site's own name, and who holds its DNS records. */
export type SiteDomainConfig =
  /** A Route 53 public hosted zone: the stack creates the records (certificate validation, alias or A record). */
  | { readonly name: string; readonly dns: "route53"; readonly route53ZoneId: string }
  /** A DNS of address records only (DuckDNS): only the proxy entry can serve it; its instance sets the record at boot. */
  | { readonly name: string; readonly dns: "duckdns" };

/** The proxy entry (INFRA_ENTRY=proxy): its INFRA_ENTRY_* keys, validated. */
export interface EntryProxyConfig {
  /** An arm64 (Graviton) instance type, e.g. t4g.nano. */
  readonly instanceType: string;
  /** Let's Encrypt (and ZeroSSL fallback) account e-mail. */
  readonly acmeEmail: string;
  /** Language of the waking and stopped pages (entry/pages/<language>/). */
  readonly language: "fr" | "en";
  /** `Retry-After` seconds given to `/api/*` callers while the environment wakes. */
  readonly apiRetrySeconds: number;
  /** Name (never the value) of the SSM SecureString parameter holding the DuckDNS token; undefined: the record is left as it is. */
  readonly duckDnsTokenParameter?: string;
}

/** The environment's Application Load Balancer. */
export interface LoadBalancerConfig {
  /** Public subnets; empty: the default VPC's subnets. */
  readonly subnetIds: readonly string[];
  /** ACM certificate: HTTPS on 443 and 80 redirecting to it; HTTP only when undefined. */
  readonly certificateArn?: string;
  readonly deletionProtection: boolean;
}

export interface ProjectConfig {
  readonly registry: RegistryConfig;
  readonly environments: readonly EnvironmentConfig[];
}
