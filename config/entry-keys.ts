import { z } from "zod";
import type { InfraValues, KeyDefinition } from "./keys";
import { EMAIL_ADDRESS, integer, optional, optionalOneOf } from "./key-schemas";
import { valueLooksSecret } from "./secrets";
import { HOSTED_ZONE_ID_PATTERN, SITE_DOMAIN_PATTERN } from "../constructs/dns-names";
import { GRAVITON_INSTANCE_TYPE, SSM_PARAMETER_PATH } from "../constructs/entry-patterns";

/*
 * The keys of the site's public entry (docs/public-entry.md): the site's own name, who holds its
 * DNS records, and what meets the visitors there. config/cross-key-rules.ts holds the rules
 * between them; config/load.ts turns them into EnvironmentConfig's `domain`, `entryProxy`, `state`.
 */

/** A DuckDNS token: a UUID (what duckdns.org shows on its account page). */
const DUCKDNS_TOKEN = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

/**
 * True when a value is a token pasted where the token's parameter name belongs: a UUID anywhere in
 * it (no parameter of this project is named after one), or a known credential format.
 */
export function looksLikeToken(value: string): boolean {
  return DUCKDNS_TOKEN.test(value) || valueLooksSecret(value);
}

/**
 * Empty (undefined), or an SSM parameter path. A token is refused with a hint, and its value is
 * kept out of the message (params.hideValue, which config/load.ts honours).
 */
const tokenParameterName: z.ZodType<string | undefined, string> = z
  .string()
  .superRefine((value, context) => {
    if (value === "") return;
    if (looksLikeToken(value)) {
      context.addIssue({
        code: "custom",
        message: "this looks like the token itself, not the name of its parameter: store the token as an SSM SecureString parameter and write that parameter's name here",
        params: { hint: true, hideValue: true },
      });
    } else if (!SSM_PARAMETER_PATH.test(value)) {
      context.addIssue({ code: "custom", message: "not an SSM parameter path" });
    }
  })
  .transform((value) => (value === "" ? undefined : value));


/** The domain-related `INFRA_*` keys, in the README's order (config/keys.ts spreads them into INFRA_KEYS). */
export const PUBLIC_ENTRY_KEYS = {
  INFRA_DOMAIN: {
    scope: "environment",
    description:
      "The site's own name, served over HTTPS by the entry INFRA_ENTRY chooses (HTTP redirects to HTTPS); the stack outputs its URL; empty = no entry: HTTP on the load balancer's own name (or INFRA_CERTIFICATE_ARN)",
    default: "",
    allowed:
      "a lowercase DNS name of two labels at least, 64 characters at most (the longest name a certificate's Common Name holds; letters, digits, inner hyphens, no trailing dot), or empty; with INFRA_DNS=duckdns one label under duckdns.org",
    schema: optional(SITE_DOMAIN_PATTERN),
  },
  INFRA_DNS: {
    scope: "environment",
    description:
      "Who holds INFRA_DOMAIN's records: route53 = a Route 53 public hosted zone (INFRA_ROUTE53_ZONE_ID) where the stack writes them; duckdns = a DNS of address records only, which only the proxy entry can serve (its instance points the record at its Elastic IP at boot)",
    default: "route53",
    allowed: "route53 or duckdns; duckdns needs INFRA_ENTRY=proxy and no INFRA_ROUTE53_ZONE_ID",
    schema: z.enum(["route53", "duckdns"]),
  },
  INFRA_ROUTE53_ZONE_ID: {
    scope: "environment",
    description:
      "Route 53 public hosted zone of INFRA_DOMAIN (INFRA_DNS=route53): the site's record goes there (an A record to the proxy's Elastic IP, or an alias to the load balancer with its certificate's validation record); the deploy role may change only those names in it",
    default: "",
    allowed: "a hosted zone ID (Z followed by 1-32 uppercase letters and digits), or empty; needs INFRA_DOMAIN; required with INFRA_DNS=route53",
    schema: optional(HOSTED_ZONE_ID_PATTERN),
  },
  INFRA_ENTRY: {
    scope: "environment",
    description:
      "What meets the visitors at INFRA_DOMAIN: proxy = Caddy on a small arm64 instance with an Elastic IP (any DNS, Let's Encrypt certificate, the waking and stopped pages; the load balancer turns internal); load-balancer = the load balancer itself with an ACM certificate and an alias (Route 53 only, no page)",
    default: "",
    emptyMeans: "proxy when INFRA_DOMAIN is set, nothing without it",
    allowed: "proxy or load-balancer, or empty; needs INFRA_DOMAIN; load-balancer needs INFRA_DNS=route53 and INFRA_MIN_CAPACITY of 1 or more",
    schema: optionalOneOf(["proxy", "load-balancer"]),
  },
  INFRA_ENTRY_DUCKDNS_TOKEN_PARAMETER: {
    scope: "environment",
    description:
      "Name of the SSM SecureString parameter holding the DuckDNS token (never the token: the proxy's instance reads it at boot and points the record at its Elastic IP); empty = the record is left as it is (set by hand, as in the cut-over's first step)",
    default: "",
    allowed:
      "an SSM parameter path such as /city-guided/staging/DUCKDNS_TOKEN (a leading /, levels of letters, digits, _ . - separated by /, 15 levels and 1011 characters at most, not starting with /aws or /ssm), or empty; only with INFRA_DNS=duckdns",
    schema: tokenParameterName,
  },
  INFRA_ENTRY_ACME_EMAIL: {
    scope: "environment",
    description: "Account e-mail the proxy gives Let's Encrypt (and ZeroSSL, its fallback) when it obtains the site's certificate",
    default: "",
    emptyMeans: "INFRA_ALERT_EMAIL",
    allowed: "one e-mail address (name@example.com), or empty; with INFRA_ENTRY=proxy this or INFRA_ALERT_EMAIL is required",
    schema: optional(EMAIL_ADDRESS),
  },
  INFRA_ENTRY_LANGUAGE: {
    scope: "environment",
    description: "Language of the proxy's waking and stopped pages (the folder entry/pages/fr or entry/pages/en)",
    default: "fr",
    allowed: "fr or en",
    schema: z.enum(["fr", "en"]),
  },
  INFRA_ENTRY_API_RETRY_SECONDS: {
    scope: "environment",
    description: "Retry-After (seconds) the proxy gives /api/* callers while the environment wakes",
    default: "30",
    allowed: "5-600",
    schema: integer(5, 600),
  },
  INFRA_ENTRY_INSTANCE_TYPE: {
    scope: "environment",
    description: "Instance type of the proxy (its AMI is Amazon Linux 2023 for arm64)",
    default: "t4g.nano",
    allowed: "an arm64 (AWS Graviton) type: t4g.nano to t4g.2xlarge, or m6g, m6gd, m7g, m7gd, m8g, c6g, c6gd, c6gn, c7g, c7gd, c7gn, c8g, r6g, r6gd, r7g, r7gd, r8g in sizes medium to 16xlarge",
    schema: z.string().regex(GRAVITON_INSTANCE_TYPE),
  },
  INFRA_ENVIRONMENT_STATE: {
    scope: "environment",
    description:
      "stopped = nothing wakes the environment: no task (desired count and scaling bounds 0, the wake alarm's actions off) and the proxy answers with the stopped page, forwarding nothing",
    default: "running",
    allowed: "running or stopped",
    schema: z.enum(["running", "stopped"]),
  },
} as const satisfies Record<string, KeyDefinition>;

/** The proxy's own keys: they do nothing unless INFRA_ENTRY is (or defaults to) proxy. */
export const ENTRY_PROXY_KEYS = [
  "INFRA_ENTRY_DUCKDNS_TOKEN_PARAMETER",
  "INFRA_ENTRY_ACME_EMAIL",
  "INFRA_ENTRY_LANGUAGE",
  "INFRA_ENTRY_API_RETRY_SECONDS",
  "INFRA_ENTRY_INSTANCE_TYPE",
] as const satisfies readonly (keyof typeof PUBLIC_ENTRY_KEYS)[];

/** The entry that meets the visitors: INFRA_ENTRY, or proxy when it is empty and INFRA_DOMAIN is set; none without a domain. */
export function entryOf(values: Pick<InfraValues, "INFRA_DOMAIN" | "INFRA_ENTRY">): "proxy" | "load-balancer" | undefined {
  return values.INFRA_DOMAIN ? (values.INFRA_ENTRY ?? "proxy") : undefined;
}

/** DuckDNS serves its own subdomains, one level deep: `<name>.duckdns.org`. */
export const DUCKDNS_DOMAIN = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.duckdns\.org$/;
