import { configKeyTable } from "../config/docs";
import { ENTRY_PROXY_KEYS } from "../config/entry-keys";
import { INFRA_KEYS, type InfraKey } from "../config/keys";
import { configErrorOf, configFrom, MINIMAL_SHARED } from "./config-helpers";

const ZONE = "Z0123456789ABCDEFGHIJ";
const CERTIFICATE = "arn:aws:acm:eu-west-3:123456789012:certificate/12345678-1234-1234-1234-123456789012";
/** The live case's shape: a DuckDNS name served by the proxy. */
const DUCKDNS = "INFRA_DOMAIN=cityguided.duckdns.org\nINFRA_DNS=duckdns\n";
const ROUTE53 = `INFRA_DOMAIN=www.example.com\nINFRA_ROUTE53_ZONE_ID=${ZONE}\n`;
const ALERTS = "INFRA_ALERT_EMAIL=ops@example.org\n";
/** Built at run time so that no secret scanner mistakes this file for a leak: the shape of a DuckDNS token. */
const TOKEN_SHAPED = ["a7c4d0ad", "114e", "40ef", "ba1d", "d217904a50f2"].join("-");

const accepts = (key: InfraKey, value: string) => INFRA_KEYS[key].schema.safeParse(value).success;
const only = (text: string) => configFrom({ staging: text }).environments[0];

describe("the public entry: typed result", () => {
  test("no domain: no entry, running", () => {
    const environment = only("");
    expect(environment.domain).toBeUndefined();
    expect(environment.entryProxy).toBeUndefined();
    expect(environment.state).toBe("running");
  });

  test("a domain defaults to the proxy entry, with each INFRA_ENTRY_* default and the alert e-mail as ACME e-mail", () => {
    const environment = only(ROUTE53 + ALERTS);
    expect(environment.domain).toEqual({ name: "www.example.com", dns: "route53", route53ZoneId: ZONE });
    expect(environment.entryProxy).toEqual({ instanceType: "t4g.nano", acmeEmail: "ops@example.org", language: "fr", apiRetrySeconds: 30 });
    expect(environment.entryProxy).not.toHaveProperty("duckDnsTokenParameter");
  });

  test("the live case: DuckDNS, every key of the proxy set", () => {
    const environment = only(
      `${DUCKDNS}INFRA_ENTRY=proxy\nINFRA_ENTRY_DUCKDNS_TOKEN_PARAMETER=/city-guided/staging/DUCKDNS_TOKEN\nINFRA_ENTRY_ACME_EMAIL=tls@example.org\n${ALERTS}` +
        "INFRA_ENTRY_LANGUAGE=en\nINFRA_ENTRY_API_RETRY_SECONDS=600\nINFRA_ENTRY_INSTANCE_TYPE=c7gn.medium\nINFRA_ENVIRONMENT_STATE=stopped\n",
    );
    expect(environment.domain).toEqual({ name: "cityguided.duckdns.org", dns: "duckdns" });
    expect(environment.entryProxy).toEqual({
      instanceType: "c7gn.medium",
      acmeEmail: "tls@example.org",
      language: "en",
      apiRetrySeconds: 600,
      duckDnsTokenParameter: "/city-guided/staging/DUCKDNS_TOKEN",
    });
    expect(environment.alertEmail).toBe("ops@example.org");
    expect(environment.state).toBe("stopped");
  });

  test("the load-balancer entry: a domain without entryProxy", () => {
    const environment = only(`${ROUTE53}INFRA_ENTRY=load-balancer\nINFRA_MIN_CAPACITY=1\n`);
    expect(environment.domain?.dns).toBe("route53");
    expect(environment.entryProxy).toBeUndefined();
  });

  test.each([
    ["without a domain", ""],
    ["with the proxy", DUCKDNS + ALERTS],
    ["with the load balancer", `${ROUTE53}INFRA_ENTRY=load-balancer\nINFRA_MIN_CAPACITY=1\n`],
  ])("stopped is allowed %s", (_what, text) => {
    expect(only(`${text}INFRA_ENVIRONMENT_STATE=stopped\n`).state).toBe("stopped");
  });

  test("the shared file may hold the proxy's defaults: an environment without a domain ignores them", () => {
    const shared = `${MINIMAL_SHARED}INFRA_ENTRY_LANGUAGE=en\nINFRA_ENTRY_ACME_EMAIL=tls@example.org\nINFRA_DNS=route53\n`;
    const { environments } = configFrom({ production: "", staging: DUCKDNS }, shared);
    const byName = Object.fromEntries(environments.map((environment) => [environment.name, environment]));
    expect(byName.production.entryProxy).toBeUndefined();
    expect(byName.staging.entryProxy).toMatchObject({ language: "en", acmeEmail: "tls@example.org" });
  });

  test("the README's table says what an empty INFRA_ENTRY and INFRA_ENTRY_ACME_EMAIL stand for", () => {
    const table = configKeyTable();
    expect(table).toContain("| `INFRA_ENTRY` |");
    expect(table).toMatch(/\| `INFRA_ENTRY` \|[^\n]*\| \*\(empty\)\*: proxy when INFRA_DOMAIN is set, nothing without it \|/);
    expect(table).toMatch(/\| `INFRA_ENTRY_ACME_EMAIL` \|[^\n]*\| \*\(empty\)\*: INFRA_ALERT_EMAIL \|/);
  });
});

describe("the public entry: rules between keys, each on the key to change", () => {
  test.each([
    ["DuckDNS holds one level under duckdns.org", "INFRA_DOMAIN=www.example.com\nINFRA_DNS=duckdns\n", 'env/.env.staging:1: INFRA_DOMAIN="www.example.com": must be one name under duckdns.org'],
    ["not two levels under it", "INFRA_DOMAIN=a.cityguided.duckdns.org\nINFRA_DNS=duckdns\n", 'env/.env.staging:1: INFRA_DOMAIN="a.cityguided.duckdns.org": must be one name under duckdns.org'],
    ["INFRA_DNS alone does nothing", "INFRA_DNS=duckdns\n", 'env/.env.staging:1: INFRA_DNS="duckdns": does nothing without INFRA_DOMAIN'],
    ["DuckDNS refuses a Route 53 zone", `${DUCKDNS}INFRA_ROUTE53_ZONE_ID=${ZONE}\n`, `env/.env.staging:3: INFRA_ROUTE53_ZONE_ID="${ZONE}": must be empty with INFRA_DNS=duckdns`],
    ["INFRA_ENTRY alone does nothing", "INFRA_ENTRY=proxy\n", 'env/.env.staging:1: INFRA_ENTRY="proxy": does nothing without INFRA_DOMAIN'],
    ["the load balancer needs Route 53", `${DUCKDNS}INFRA_ENTRY=load-balancer\nINFRA_MIN_CAPACITY=1\n`, 'env/.env.staging:3: INFRA_ENTRY="load-balancer": load-balancer needs INFRA_DNS=route53: ACM validates the certificate by a record in a Route 53 zone'],
    ["the load balancer cannot show a waking page", `${ROUTE53}INFRA_ENTRY=load-balancer\nINFRA_MIN_CAPACITY=0\n`, 'env/.env.staging:3: INFRA_ENTRY="load-balancer": load-balancer is refused with INFRA_MIN_CAPACITY=0: the load balancer cannot show a waking page'],
    ["the proxy ends TLS itself", `${DUCKDNS}${ALERTS}INFRA_CERTIFICATE_ARN=${CERTIFICATE}\n`, `env/.env.staging:4: INFRA_CERTIFICATE_ARN="${CERTIFICATE}": must be empty with INFRA_ENTRY=proxy: TLS ends at the proxy`],
    ["the token's parameter is DuckDNS's only", `${ROUTE53}${ALERTS}INFRA_ENTRY_DUCKDNS_TOKEN_PARAMETER=/city-guided/staging/DUCKDNS_TOKEN\n`, 'env/.env.staging:4: INFRA_ENTRY_DUCKDNS_TOKEN_PARAMETER="/city-guided/staging/DUCKDNS_TOKEN": only with INFRA_DNS=duckdns'],
    ["the proxy needs an ACME e-mail", DUCKDNS, 'env/.env.staging: INFRA_ENTRY_ACME_EMAIL="": is required with INFRA_ENTRY=proxy when INFRA_ALERT_EMAIL is empty'],
  ])("%s", (_rule, text, expected) => {
    expect(configErrorOf({ staging: text })).toContain(expected);
  });

  test("the missing ACME e-mail is located on the default, which the message says", () => {
    expect(configErrorOf({ staging: DUCKDNS })).toMatch(/INFRA_ENTRY_ACME_EMAIL="": is required [^\n]*\(this is the default\)/);
  });

  test("a proxy entry is not refused for what the load-balancer entry needs", () => {
    expect(() => only(`${DUCKDNS}${ALERTS}INFRA_MIN_CAPACITY=0\n`)).not.toThrow();
  });

  const proxyValues: Record<(typeof ENTRY_PROXY_KEYS)[number], string> = {
    INFRA_ENTRY_DUCKDNS_TOKEN_PARAMETER: "/city-guided/staging/DUCKDNS_TOKEN",
    INFRA_ENTRY_ACME_EMAIL: "tls@example.org",
    INFRA_ENTRY_LANGUAGE: "fr",
    INFRA_ENTRY_API_RETRY_SECONDS: "30",
    INFRA_ENTRY_INSTANCE_TYPE: "t4g.nano",
  };
  test.each(ENTRY_PROXY_KEYS)("%s set without a domain does nothing, even at its default value", (key) => {
    expect(configErrorOf({ staging: `${key}=${proxyValues[key]}\n` })).toContain(`env/.env.staging:1: ${key}="${proxyValues[key]}": does nothing without INFRA_DOMAIN`);
  });
  test.each(ENTRY_PROXY_KEYS)("%s set with the load-balancer entry does nothing", (key) => {
    expect(configErrorOf({ staging: `${ROUTE53}INFRA_ENTRY=load-balancer\nINFRA_MIN_CAPACITY=1\n${key}=${proxyValues[key]}\n` })).toContain(
      `env/.env.staging:5: ${key}="${proxyValues[key]}": does nothing with INFRA_ENTRY=load-balancer`,
    );
  });
});

describe("the public entry: each key's own values", () => {
  test.each(["/city-guided/staging/DUCKDNS_TOKEN", "/a", "/A.b_c-d", `/${Array.from({ length: 15 }, () => "l").join("/")}`, `/${"a".repeat(1010)}`])("token parameter %s is accepted", (name) => {
    expect(accepts("INFRA_ENTRY_DUCKDNS_TOKEN_PARAMETER", name)).toBe(true);
  });

  test.each([
    ["city-guided/staging/DUCKDNS_TOKEN", "not fully qualified"],
    ["/aws/service/token", "reserved prefix aws"],
    ["/SSM/token", "reserved prefix ssm, any case"],
    ["/awsome/token", "a name that starts with aws"],
    ["/a//b", "an empty level"],
    ["/a/", "a trailing slash"],
    ["/a b", "a space"],
    ["/a:b", "a character AWS refuses"],
    ["arn:aws:ssm:eu-west-3:123456789012:parameter/city-guided/x", "an ARN"],
    ["ssm:/city-guided/x", "a SECRET_* style reference"],
    [`/${Array.from({ length: 16 }, () => "l").join("/")}`, "16 levels"],
    [`/${"a".repeat(1011)}`, "1012 characters"],
  ])("token parameter %s is refused (%s)", (name) => {
    expect(accepts("INFRA_ENTRY_DUCKDNS_TOKEN_PARAMETER", name)).toBe(false);
  });

  test("a refused parameter name says the rule", () => {
    expect(configErrorOf({ staging: `${DUCKDNS}INFRA_ENTRY_DUCKDNS_TOKEN_PARAMETER=city-guided/DUCKDNS_TOKEN\n` })).toContain(
      'env/.env.staging:3: INFRA_ENTRY_DUCKDNS_TOKEN_PARAMETER="city-guided/DUCKDNS_TOKEN": must be an SSM parameter path such as /city-guided/staging/DUCKDNS_TOKEN',
    );
  });

  test.each([TOKEN_SHAPED, `/city-guided/staging/${TOKEN_SHAPED}`, TOKEN_SHAPED.toUpperCase()])("a token where its parameter's name belongs is refused, and never printed", (value) => {
    const message = configErrorOf({ staging: `${DUCKDNS}INFRA_ENTRY_DUCKDNS_TOKEN_PARAMETER=${value}\n` });
    expect(message).toContain("env/.env.staging:3: INFRA_ENTRY_DUCKDNS_TOKEN_PARAMETER (value hidden): must be an SSM parameter path");
    expect(message).toContain("this looks like the token itself, not the name of its parameter");
    expect(message.toLowerCase()).not.toContain(TOKEN_SHAPED.slice(0, 8));
  });

  test.each(["t4g.nano", "t4g.2xlarge", "m6gd.medium", "m7g.16xlarge", "m8g.large", "c6gn.xlarge", "c7gd.12xlarge", "c8g.4xlarge", "r6g.medium", "r7gd.8xlarge", "r8g.2xlarge"])(
    "instance type %s is accepted",
    (type) => {
      expect(accepts("INFRA_ENTRY_INSTANCE_TYPE", type)).toBe(true);
    },
  );

  test.each([
    ["t3.nano", "x86"],
    ["t3a.micro", "x86 (AMD)"],
    ["m7i.large", "x86 (Intel)"],
    ["a1.medium", "first Graviton, not in the list"],
    ["t4g.3xlarge", "a size t4g lacks"],
    ["m6g.nano", "a size m6g lacks"],
    ["c7g.metal", "bare metal"],
    ["x2gd.large", "a Graviton family a proxy has no use for"],
    ["g5g.xlarge", "a GPU family"],
    ["T4G.NANO", "upper case"],
    ["t4g", "no size"],
    ["", "empty"],
  ])("instance type %j is refused (%s)", (type) => {
    expect(accepts("INFRA_ENTRY_INSTANCE_TYPE", type)).toBe(false);
  });

  test("a refused instance type names the key, value and rule", () => {
    expect(configErrorOf({ staging: `${DUCKDNS}${ALERTS}INFRA_ENTRY_INSTANCE_TYPE=t3.nano\n` })).toContain(
      'env/.env.staging:4: INFRA_ENTRY_INSTANCE_TYPE="t3.nano": must be an arm64 (AWS Graviton) type',
    );
  });

  test("the other keys' bounds and words", () => {
    for (const value of ["5", "600"]) expect(accepts("INFRA_ENTRY_API_RETRY_SECONDS", value)).toBe(true);
    for (const value of ["4", "601", "30s", ""]) expect(accepts("INFRA_ENTRY_API_RETRY_SECONDS", value)).toBe(false);
    for (const value of ["de", "FR", ""]) expect(accepts("INFRA_ENTRY_LANGUAGE", value)).toBe(false);
    for (const value of ["sleeping", "Stopped", ""]) expect(accepts("INFRA_ENVIRONMENT_STATE", value)).toBe(false);
    for (const value of ["Route53", "cloudflare", ""]) expect(accepts("INFRA_DNS", value)).toBe(false);
    for (const value of ["alb", "Proxy"]) expect(accepts("INFRA_ENTRY", value)).toBe(false);
    expect(accepts("INFRA_ENTRY", "")).toBe(true);
    expect(configErrorOf({ staging: `${DUCKDNS}INFRA_ENTRY_API_RETRY_SECONDS=601\n` })).toContain('env/.env.staging:3: INFRA_ENTRY_API_RETRY_SECONDS="601": must be 5-600');
    expect(configErrorOf({ staging: "INFRA_ENVIRONMENT_STATE=asleep\n" })).toContain('env/.env.staging:1: INFRA_ENVIRONMENT_STATE="asleep": must be running or stopped');
  });
});
