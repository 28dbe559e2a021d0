import { Testing, TerraformStack } from "cdktf";
import { ConstructPropsError } from "../../constructs/errors";
import { SiteDomain } from "../../constructs/site-domain";
import { synthEnvironment, type SynthesizedStack } from "../helpers";

const ZONE = "Z0123456789ABCDEFGHIJ";

/** `${type.id.attribute}` of the only resource of `type`. */
function referenceTo(stack: SynthesizedStack, type: string, attribute: string, match: (resource: any) => boolean = () => true): string {
  const [id] = Object.entries(stack.resources(type)).find(([, resource]) => match(resource))!;
  return `\${${type}.${id}.${attribute}}`;
}

const listener = (stack: SynthesizedStack, port: number) => Object.values(stack.resources("aws_lb_listener")).find((candidate: any) => candidate.port === port) as any;

describe("site domain in a Route 53 zone", () => {
  const stack = synthEnvironment(`INFRA_DOMAIN=www.example.com\nINFRA_ROUTE53_ZONE_ID=${ZONE}\nINFRA_MIN_CAPACITY=1\nINFRA_ENTRY=load-balancer`);
  const records = () => Object.values(stack.resources("aws_route53_record")) as any[];

  test("requests a certificate for the name, validated by DNS", () => {
    const certificate = stack.resource("aws_acm_certificate");
    expect(certificate).toMatchObject({ domain_name: "www.example.com", validation_method: "DNS" });
    expect(certificate.subject_alternative_names).toBeUndefined();
  });

  test("creates ACM's validation record in the zone, and waits for validation through it", () => {
    const certificate = referenceTo(stack, "aws_acm_certificate", "arn").replace(/\.arn\}$/, "");
    const validationRecord = records().find((record) => record.type !== "A");
    expect(validationRecord.zone_id).toBe(ZONE);
    const option = `tolist(${certificate.slice(2)}.domain_validation_options).0`;
    expect(validationRecord).toMatchObject({ name: `\${${option}.resource_record_name}`, type: `\${${option}.resource_record_type}`, records: [`\${${option}.resource_record_value}`] });
    const validation = stack.resource("aws_acm_certificate_validation");
    expect(validation.certificate_arn).toBe(referenceTo(stack, "aws_acm_certificate", "arn"));
    expect(validation.validation_record_fqdns).toEqual([referenceTo(stack, "aws_route53_record", "fqdn", (record) => record.type !== "A")]);
  });

  test("the HTTPS listener uses the validated certificate (created only once it is issued)", () => {
    expect(listener(stack, 443)).toMatchObject({ protocol: "HTTPS", certificate_arn: referenceTo(stack, "aws_acm_certificate_validation", "certificate_arn") });
  });

  test("HTTP redirects to HTTPS", () => {
    expect(listener(stack, 80).default_action).toEqual([{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", status_code: "HTTP_301" } }]);
  });

  test("an alias A record points the name at the load balancer", () => {
    const alias = records().find((record) => record.type === "A");
    expect(alias).toMatchObject({
      zone_id: ZONE,
      name: "www.example.com",
      alias: { name: referenceTo(stack, "aws_lb", "dns_name"), zone_id: referenceTo(stack, "aws_lb", "zone_id") },
    });
    // The load balancer is IPv4 only: no AAAA record.
    expect(stack.resource("aws_lb").ip_address_type).toBeUndefined();
    expect(records()).toHaveLength(2);
    expect(records().filter((record) => record.type === "AAAA")).toEqual([]);
  });

  test("the site_url output is https://<domain>", () => {
    expect(stack.json.output.site_url.value).toBe("https://www.example.com");
  });

  test("without a domain: no certificate, no record, HTTP on the load balancer's name", () => {
    const plain = synthEnvironment("");
    for (const type of ["aws_acm_certificate", "aws_acm_certificate_validation", "aws_route53_record"]) expect(plain.json.resource[type]).toBeUndefined();
    expect(plain.json.output.site_url.value).toBe(`http://${referenceTo(plain, "aws_lb", "dns_name")}`);
  });

  test("the construct refuses a bad name or zone, and a second alias", () => {
    const scope = () => new TerraformStack(Testing.app(), "test");
    expect(() => new SiteDomain(scope(), "d", { domainName: "Example.com", hostedZoneId: ZONE })).toThrow(
      new ConstructPropsError(
        'Invalid site domain "Example.com": must be a lowercase DNS name of two labels at least, 64 characters at most (letters, digits, inner hyphens, no trailing dot)',
      ),
    );
    expect(() => new SiteDomain(scope(), "d", { domainName: "example.com", hostedZoneId: "hostedzone/Z1" })).toThrow(/Invalid Route 53 hosted zone ID "hostedzone\/Z1"/);
    const domain = new SiteDomain(scope(), "d", { domainName: "example.com", hostedZoneId: ZONE });
    domain.pointAt({ dnsName: "a", zoneId: "Z1" });
    expect(() => domain.pointAt({ dnsName: "b", zoneId: "Z1" })).toThrow(/already points at a target/);
  });
});
