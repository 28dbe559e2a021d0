import { deployStatements } from "../constructs/deploy-role-policy";
import { evaluate } from "./iam-evaluation";

const ZONE = "Z0123456789ABCDEFGHIJ";
const scope = {
  partition: "aws",
  accountId: "123456789012",
  region: "eu-west-3",
  environment: "production",
  state: { bucket: "b", key: "city-guided/production.tfstate" },
  repositoryArns: ["arn:aws:ecr:eu-west-3:123456789012:repository/city-guided-web"],
  workloadBoundaryArn: "arn:aws:iam::123456789012:policy/city-guided-production-workload-boundary",
};
const withDomain = deployStatements({ ...scope, siteDomain: { name: "www.example.com", hostedZoneId: ZONE } }) as any;
const zoneArn = (zone: string) => `arn:aws:route53:::hostedzone/${zone}`;
const change = (name: string, type: string, zone = ZONE) =>
  evaluate(withDomain, {
    action: "route53:ChangeResourceRecordSets",
    resource: zoneArn(zone),
    context: { "route53:ChangeResourceRecordSetsNormalizedRecordNames": name, "route53:ChangeResourceRecordSetsRecordTypes": type, "route53:ChangeResourceRecordSetsActions": "UPSERT" },
  });

describe("deploy role: the site domain's records and certificate", () => {
  test("may change the site's alias and ACM's validation record in the configured zone", () => {
    expect(change("www.example.com", "A")).toBe("allowed");
    expect(change("_0123456789abcdef0123456789abcdef.www.example.com", "CNAME")).toBe("allowed");
  });

  test.each([
    ["another name of the zone", "example.com", "A", ZONE],
    ["a name that merely ends like the site's", "evilwww.example.com", "A", ZONE],
    ["a record type it does not create", "www.example.com", "TXT", ZONE],
    ["another zone", "www.example.com", "A", "Z9999999999999999999"],
  ])("is refused %s", (_what, name, type, zone) => {
    expect(change(name, type, zone)).toBe("implicit deny");
  });

  test("requests a certificate only for the site's name, by DNS, tagged with its environment", () => {
    const request = (context: Record<string, string>) => evaluate(withDomain, { action: "acm:RequestCertificate", resource: "*", context });
    const good = { "aws:RequestTag/Environment": "production", "acm:DomainNames": "www.example.com", "acm:ValidationMethod": "DNS" };
    expect(request(good)).toBe("allowed");
    expect(request({ ...good, "acm:DomainNames": "other.example.com" })).toBe("implicit deny");
    expect(request({ ...good, "acm:ValidationMethod": "EMAIL" })).toBe("implicit deny");
    expect(request({ ...good, "aws:RequestTag/Environment": "staging" })).toBe("implicit deny");
  });

  test("deletes only certificates tagged with its environment", () => {
    const certificate = "arn:aws:acm:eu-west-3:123456789012:certificate/01234567-89ab-cdef-0123-456789abcdef";
    const remove = (environment: string) => evaluate(withDomain, { action: "acm:DeleteCertificate", resource: certificate, context: { "aws:ResourceTag/Environment": environment } });
    expect(remove("production")).toBe("allowed");
    expect(remove("staging")).toBe("implicit deny");
  });

  test("without a domain the deploy role has no ACM or Route 53 statement at all", () => {
    const actions = deployStatements(scope).flatMap((statement) => statement.Action);
    expect(actions.filter((action) => /^(acm|route53):/.test(action))).toEqual([]);
  });
});
