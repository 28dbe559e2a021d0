import { configErrorOf, configFrom } from "./config-helpers";

const ZONE = "Z0123456789ABCDEFGHIJ";
const CERTIFICATE = "arn:aws:acm:eu-west-3:123456789012:certificate/12345678-1234-1234-1234-123456789012";
/** The load balancer's own entry (ACM + alias), for an environment that never sleeps; the proxy's keys are in entry-config.test.ts. */
const LOAD_BALANCER = "INFRA_ENTRY=load-balancer\nINFRA_MIN_CAPACITY=1\n";

describe("site domain configuration", () => {
  test("no domain by default: the environment keeps the load balancer's name", () => {
    const [environment] = configFrom({ staging: "" }).environments;
    expect(environment.domain).toBeUndefined();
  });

  test("a domain in a Route 53 zone is typed", () => {
    const [environment] = configFrom({ staging: `INFRA_DOMAIN=www.example.com\nINFRA_ROUTE53_ZONE_ID=${ZONE}\n${LOAD_BALANCER}` }).environments;
    expect(environment.domain).toEqual({ name: "www.example.com", dns: "route53", route53ZoneId: ZONE });
    expect(environment.entryProxy).toBeUndefined();
    expect(environment.loadBalancer.certificateArn).toBeUndefined();
  });

  test("a DuckDNS name is typed without a zone", () => {
    const [environment] = configFrom({ staging: "INFRA_DOMAIN=cityguided.duckdns.org\nINFRA_DNS=duckdns\nINFRA_ALERT_EMAIL=ops@example.org\n" }).environments;
    expect(environment.domain).toEqual({ name: "cityguided.duckdns.org", dns: "duckdns" });
  });

  test.each([
    ["INFRA_DOMAIN=WWW.example.com", "lowercase"],
    ["INFRA_DOMAIN=example", "one label"],
    ["INFRA_DOMAIN=www.example.com.", "trailing dot"],
    ["INFRA_DOMAIN=-www.example.com", "leading hyphen"],
    ["INFRA_DOMAIN=https://www.example.com", "a URL"],
    [`INFRA_DOMAIN=${"a".repeat(64)}.com`, "a label over 63 characters"],
    [`INFRA_DOMAIN=${"a".repeat(53)}.example.com`, "65 characters: over ACM's 64 for a certificate's name"],
  ])("%s is refused (%s)", (line) => {
    const value = line.slice("INFRA_DOMAIN=".length);
    expect(configErrorOf({ staging: `${line}\nINFRA_ROUTE53_ZONE_ID=${ZONE}\n` })).toContain(
      `env/.env.staging:1: INFRA_DOMAIN="${value}": must be a lowercase DNS name of two labels at least`,
    );
  });

  test.each(["z0123456789ABCDEFGHIJ", "0123456789ABCDEFGHIJ", "/hostedzone/Z0123456789", `Z${"A".repeat(33)}`])("INFRA_ROUTE53_ZONE_ID=%s is refused", (zone) => {
    expect(configErrorOf({ staging: `INFRA_DOMAIN=www.example.com\nINFRA_ROUTE53_ZONE_ID=${zone}\n` })).toContain(
      `env/.env.staging:2: INFRA_ROUTE53_ZONE_ID="${zone}": must be a hosted zone ID (Z followed by 1-32 uppercase letters and digits)`,
    );
  });

  test("64 characters are accepted", () => {
    const name = `${"a".repeat(52)}.example.com`;
    expect(name).toHaveLength(64);
    expect(configFrom({ staging: `INFRA_DOMAIN=${name}\nINFRA_ROUTE53_ZONE_ID=${ZONE}\n${LOAD_BALANCER}` }).environments[0].domain?.name).toBe(name);
  });

  test("a domain without a zone is refused with INFRA_DNS=route53, the default", () => {
    const message = configErrorOf({ staging: "INFRA_DOMAIN=www.example.com\nINFRA_ALERT_EMAIL=ops@example.org\n" });
    expect(message).toContain('env/.env.staging:1: INFRA_DOMAIN="www.example.com": needs INFRA_ROUTE53_ZONE_ID with INFRA_DNS=route53 (the default)');
    expect(message).not.toContain("duckdns");
  });

  test("a DuckDNS name without INFRA_DNS=duckdns is told which key to set", () => {
    expect(configErrorOf({ staging: "INFRA_DOMAIN=cityguided.duckdns.org\nINFRA_ALERT_EMAIL=ops@example.org\n" })).toContain(
      'env/.env.staging:1: INFRA_DOMAIN="cityguided.duckdns.org": needs INFRA_ROUTE53_ZONE_ID with INFRA_DNS=route53 (the default): the stack writes the site\'s records in that hosted zone; for a DuckDNS name set INFRA_DNS=duckdns',
    );
  });

  test("a zone without a domain is refused", () => {
    expect(configErrorOf({ staging: `INFRA_ROUTE53_ZONE_ID=${ZONE}\n` })).toContain(`env/.env.staging:1: INFRA_ROUTE53_ZONE_ID="${ZONE}": needs INFRA_DOMAIN`);
  });

  test("a certificate managed outside the stack and the stack's own are exclusive", () => {
    expect(configErrorOf({ staging: `INFRA_DOMAIN=www.example.com\nINFRA_ROUTE53_ZONE_ID=${ZONE}\nINFRA_CERTIFICATE_ARN=${CERTIFICATE}\n${LOAD_BALANCER}` })).toContain(
      `env/.env.staging:3: INFRA_CERTIFICATE_ARN="${CERTIFICATE}": must be empty with INFRA_ENTRY=load-balancer: the stack then creates and validates the certificate of INFRA_DOMAIN itself`,
    );
  });

  test("without a domain a certificate managed outside the stack is kept (HTTPS on the load balancer's name)", () => {
    const [environment] = configFrom({ staging: `INFRA_CERTIFICATE_ARN=${CERTIFICATE}\n` }).environments;
    expect(environment.loadBalancer.certificateArn).toBe(CERTIFICATE);
    expect(environment.domain).toBeUndefined();
  });

  test("the shared file may set the zone and an environment the domain", () => {
    const [environment] = configFrom({ staging: `INFRA_DOMAIN=staging.example.com\n${LOAD_BALANCER}` }, `INFRA_STATE_BUCKET=city-guided-tfstate\nINFRA_ROUTE53_ZONE_ID=${ZONE}\n`).environments;
    expect(environment.domain).toEqual({ name: "staging.example.com", dns: "route53", route53ZoneId: ZONE });
  });
});
