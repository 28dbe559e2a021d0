import { describeFargateMemory, isValidFargateSize } from "./fargate";
import type { InfraKey, InfraValues, KeyScope } from "./keys";

/**
 * A rule between several keys, each already valid on its own. Every such rule of the project is in
 * CROSS_KEY_RULES below, with this one shape; config/load.ts runs the registry's on the shared
 * file's values and the environments' on each environment's, and locates a broken rule on the key
 * a user most likely has to change.
 */
export interface CrossKeyRule {
  /** Whose values the rule reads: the shared registry's, or each environment's. */
  readonly scope: KeyScope;
  /** The key reported when the rule breaks. */
  readonly reportOn: InfraKey;
  /** The broken rule in words, or undefined when the values agree. */
  readonly check: (values: InfraValues) => string | undefined;
}

/** In the order they are reported. */
export const CROSS_KEY_RULES: readonly CrossKeyRule[] = [
  {
    scope: "registry",
    reportOn: "INFRA_GITHUB_OIDC_PROVIDER_ARN",
    check: (values) =>
      values.INFRA_GITHUB_OIDC_PROVIDER_ARN && !values.INFRA_GITHUB_APP_REPOSITORY && !values.INFRA_GITHUB_INFRA_REPOSITORY
        ? "is set but no role would use it: set INFRA_GITHUB_APP_REPOSITORY and/or INFRA_GITHUB_INFRA_REPOSITORY, or leave it empty"
        : undefined,
  },
  {
    scope: "registry",
    reportOn: "INFRA_GITHUB_APP_REPOSITORY",
    check: (values) =>
      values.INFRA_GITHUB_APP_REPOSITORY && !values.INFRA_GITHUB_INFRA_REPOSITORY
        ? "needs INFRA_GITHUB_INFRA_REPOSITORY: the push role trusts only that repository's build workflow (build-images.yml) as the app repository calls it"
        : undefined,
  },
  {
    scope: "environment",
    reportOn: "INFRA_ECS_MEMORY",
    check: (values) =>
      isValidFargateSize(values.INFRA_ECS_CPU, values.INFRA_ECS_MEMORY)
        ? undefined
        : `not a Fargate size for INFRA_ECS_CPU=${values.INFRA_ECS_CPU}: memory must be ${describeFargateMemory(values.INFRA_ECS_CPU)}`,
  },
  {
    scope: "environment",
    reportOn: "INFRA_API_PORT",
    check: (values) =>
      values.INFRA_API_PORT === values.INFRA_WEB_PORT ? "must differ from INFRA_WEB_PORT (both containers share the task's network interface)" : undefined,
  },
  {
    scope: "environment",
    reportOn: "INFRA_MIN_CAPACITY",
    check: (values) => (values.INFRA_MIN_CAPACITY > values.INFRA_MAX_CAPACITY ? `must be at most INFRA_MAX_CAPACITY=${values.INFRA_MAX_CAPACITY}` : undefined),
  },
  {
    scope: "environment",
    reportOn: "INFRA_ASSIGN_PUBLIC_IP",
    check: (values) =>
      !values.INFRA_ASSIGN_PUBLIC_IP && values.INFRA_SUBNET_IDS.length === 0
        ? "false requires INFRA_SUBNET_IDS: the default VPC's subnets have no NAT, so tasks without a public IP could not pull images"
        : undefined,
  },
  // The load balancer's rules, which AWS would otherwise refuse only at apply.
  {
    scope: "environment",
    reportOn: "INFRA_CERTIFICATE_ARN",
    check: (values) => {
      const certificateRegion = values.INFRA_CERTIFICATE_ARN?.split(":")[3];
      return certificateRegion !== undefined && certificateRegion !== values.INFRA_AWS_REGION
        ? `is in ${certificateRegion} but the load balancer is in INFRA_AWS_REGION=${values.INFRA_AWS_REGION}: an ALB only uses ACM certificates of its own region`
        : undefined;
    },
  },
  // The site's own name (docs/public-entry.md): only the Route 53 kind is built.
  {
    scope: "environment",
    reportOn: "INFRA_DOMAIN",
    check: (values) =>
      values.INFRA_DOMAIN && !values.INFRA_ROUTE53_ZONE_ID
        ? "needs INFRA_ROUTE53_ZONE_ID: only a domain in a Route 53 hosted zone is built yet (a DNS of address records only, such as DuckDNS, needs the proxy entry of docs/public-entry.md, not built yet)"
        : undefined,
  },
  {
    scope: "environment",
    reportOn: "INFRA_ROUTE53_ZONE_ID",
    check: (values) => (values.INFRA_ROUTE53_ZONE_ID && !values.INFRA_DOMAIN ? "needs INFRA_DOMAIN: the zone holds the records of the site's name" : undefined),
  },
  {
    scope: "environment",
    reportOn: "INFRA_CERTIFICATE_ARN",
    check: (values) =>
      values.INFRA_CERTIFICATE_ARN && values.INFRA_ROUTE53_ZONE_ID
        ? "must be empty with INFRA_ROUTE53_ZONE_ID: the stack then creates and validates the certificate of INFRA_DOMAIN itself (INFRA_CERTIFICATE_ARN is for a certificate managed outside the stack)"
        : undefined,
  },
  {
    scope: "environment",
    reportOn: "INFRA_ALB_SUBNET_IDS",
    check: (values) =>
      values.INFRA_ALB_SUBNET_IDS.length === 1
        ? "needs at least two subnets in different Availability Zones (an Application Load Balancer spans two at least)"
        : undefined,
  },
  {
    scope: "environment",
    reportOn: "INFRA_ALB_SUBNET_IDS",
    check: (values) =>
      values.INFRA_ALB_SUBNET_IDS.length === 0 && values.INFRA_SUBNET_IDS.length > 0
        ? "must be set when INFRA_SUBNET_IDS is: the default VPC's subnets would put the load balancer in another VPC than the tasks"
        : undefined,
  },
];
