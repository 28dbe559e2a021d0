import { DUCKDNS_DOMAIN, ENTRY_PROXY_KEYS, entryOf } from "./entry-keys";
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
  readonly check: (values: InfraValues, where: RuleContext) => string | undefined;
}

/** What a rule may ask besides the values. */
export interface RuleContext {
  /**
   * True when the file being checked sets the key itself (an environment's own file; for the
   * registry, the shared file). A key the shared file sets is a default for every environment, so
   * it is no mistake for an environment it does nothing to.
   */
  readonly setsItself: (key: InfraKey) => boolean;
}

/** The site's own name and its entry (docs/public-entry.md); the key names say which to change. */
const PUBLIC_ENTRY_RULES: readonly CrossKeyRule[] = [
  {
    scope: "environment",
    reportOn: "INFRA_DOMAIN",
    check: (values) =>
      values.INFRA_DOMAIN && values.INFRA_DNS === "route53" && !values.INFRA_ROUTE53_ZONE_ID
        ? `needs INFRA_ROUTE53_ZONE_ID with INFRA_DNS=route53 (the default): the stack writes the site's records in that hosted zone${values.INFRA_DOMAIN.endsWith(".duckdns.org") ? "; for a DuckDNS name set INFRA_DNS=duckdns" : ""}`
        : undefined,
  },
  {
    scope: "environment",
    reportOn: "INFRA_DOMAIN",
    check: (values) =>
      values.INFRA_DOMAIN && values.INFRA_DNS === "duckdns" && !DUCKDNS_DOMAIN.test(values.INFRA_DOMAIN)
        ? "must be one name under duckdns.org (such as cityguided.duckdns.org) with INFRA_DNS=duckdns: DuckDNS holds the records of its own subdomains only, one level deep"
        : undefined,
  },
  {
    scope: "environment",
    reportOn: "INFRA_DNS",
    check: (values, where) => (where.setsItself("INFRA_DNS") && !values.INFRA_DOMAIN ? "does nothing without INFRA_DOMAIN: set the site's name, or remove this line" : undefined),
  },
  {
    scope: "environment",
    reportOn: "INFRA_ROUTE53_ZONE_ID",
    check: (values) => (values.INFRA_ROUTE53_ZONE_ID && !values.INFRA_DOMAIN ? "needs INFRA_DOMAIN: the zone holds the records of the site's name" : undefined),
  },
  {
    scope: "environment",
    reportOn: "INFRA_ROUTE53_ZONE_ID",
    check: (values) =>
      values.INFRA_ROUTE53_ZONE_ID && values.INFRA_DOMAIN && values.INFRA_DNS === "duckdns"
        ? "must be empty with INFRA_DNS=duckdns: DuckDNS holds the name's records, not a Route 53 zone"
        : undefined,
  },
  {
    scope: "environment",
    reportOn: "INFRA_ENTRY",
    check: (values, where) =>
      where.setsItself("INFRA_ENTRY") && values.INFRA_ENTRY && !values.INFRA_DOMAIN
        ? "does nothing without INFRA_DOMAIN: an entry serves the site's own name (set INFRA_DOMAIN, or remove this line)"
        : undefined,
  },
  {
    scope: "environment",
    reportOn: "INFRA_ENTRY",
    check: (values) =>
      entryOf(values) === "load-balancer" && values.INFRA_DNS !== "route53"
        ? `load-balancer needs INFRA_DNS=route53: ACM validates the certificate by a record in a Route 53 zone, and INFRA_DNS=${values.INFRA_DNS} can only point the name at a fixed address (use INFRA_ENTRY=proxy)`
        : undefined,
  },
  {
    scope: "environment",
    reportOn: "INFRA_ENTRY",
    check: (values) =>
      entryOf(values) === "load-balancer" && values.INFRA_MIN_CAPACITY === 0
        ? "load-balancer is refused with INFRA_MIN_CAPACITY=0: the load balancer cannot show a waking page, so a visitor of the sleeping environment would get its bare 503 for minutes (use INFRA_ENTRY=proxy, or INFRA_MIN_CAPACITY=1 or more)"
        : undefined,
  },
  {
    scope: "environment",
    reportOn: "INFRA_CERTIFICATE_ARN",
    check: (values) =>
      values.INFRA_CERTIFICATE_ARN && entryOf(values) === "proxy"
        ? "must be empty with INFRA_ENTRY=proxy: TLS ends at the proxy (its own Let's Encrypt certificate) and the load balancer behind it is internal, speaking HTTP only"
        : undefined,
  },
  {
    scope: "environment",
    reportOn: "INFRA_CERTIFICATE_ARN",
    check: (values) =>
      values.INFRA_CERTIFICATE_ARN && entryOf(values) === "load-balancer"
        ? "must be empty with INFRA_ENTRY=load-balancer: the stack then creates and validates the certificate of INFRA_DOMAIN itself in INFRA_ROUTE53_ZONE_ID (INFRA_CERTIFICATE_ARN is for a site without INFRA_DOMAIN)"
        : undefined,
  },
  {
    scope: "environment",
    reportOn: "INFRA_ENTRY_DUCKDNS_TOKEN_PARAMETER",
    check: (values) =>
      values.INFRA_ENTRY_DUCKDNS_TOKEN_PARAMETER && entryOf(values) === "proxy" && values.INFRA_DNS !== "duckdns"
        ? `only with INFRA_DNS=duckdns: with INFRA_DNS=${values.INFRA_DNS} the stack writes the site's record itself`
        : undefined,
  },
  {
    scope: "environment",
    reportOn: "INFRA_ENTRY_ACME_EMAIL",
    check: (values) =>
      entryOf(values) === "proxy" && !values.INFRA_ENTRY_ACME_EMAIL && !values.INFRA_ALERT_EMAIL
        ? "is required with INFRA_ENTRY=proxy when INFRA_ALERT_EMAIL is empty: the proxy registers its certificate's account with Let's Encrypt (and ZeroSSL, its fallback) under this address"
        : undefined,
  },
  // The proxy's own keys, set where there is no proxy.
  ...ENTRY_PROXY_KEYS.map(
    (key): CrossKeyRule => ({
      scope: "environment",
      reportOn: key,
      check: (values, where) => {
        if (!where.setsItself(key) || entryOf(values) === "proxy") return undefined;
        return values.INFRA_DOMAIN
          ? "does nothing with INFRA_ENTRY=load-balancer: it is a setting of the proxy entry (remove this line, or set INFRA_ENTRY=proxy)"
          : "does nothing without INFRA_DOMAIN: it is a setting of the proxy entry, which serves the site's own name (set INFRA_DOMAIN, or remove this line)";
      },
    }),
  ),
];

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
  ...PUBLIC_ENTRY_RULES,
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
