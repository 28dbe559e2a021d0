/* The DNS rules that config/ checks a value against and SiteDomain checks again (no provider import: config/ loads this). */

/**
 * The site's name as Route 53 and ACM take it here: lowercase letters, digits and inner hyphens per
 * label (63 at most), at least two labels, no trailing dot, and 64 characters at most: ACM's
 * RequestCertificate refuses a longer DomainName, the certificate's Common Name (RFC 5280; ACM API
 * Reference, RequestCertificate: https://docs.aws.amazon.com/acm/latest/APIReference/API_RequestCertificate.html)
 * (RFC 1035 section 2.3.1;
 * Route 53 normalizes names to lowercase without the final dot, and its IAM condition key
 * `route53:ChangeResourceRecordSetsNormalizedRecordNames` compares that form:
 * https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/specifying-rrset-conditions.html).
 */
export const SITE_DOMAIN_PATTERN = /^(?=.{1,64}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
/** A hosted zone ID: `Z` then uppercase letters and digits (the IDs Route 53 returns, e.g. Z0123456789ABCDEFGHIJ). */
export const HOSTED_ZONE_ID_PATTERN = /^Z[A-Z0-9]{1,32}$/;
