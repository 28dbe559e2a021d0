import { readFileSync } from "node:fs";
import { join } from "node:path";
import { evaluate, formatSummary, globMatches, parseJustifications, type StackScan } from "../policy/checkov";
import { indexResources, parseCheckovOutput, stableAddress, stackOfFile, stackReport, type RawReport } from "../policy/checkov-report";

// Recorded with checkov 3.3.30 on this repository's synth (registry, staging, production) by
// `bash scripts/record-checkov-fixture.sh`, trimmed to the fields the runner reads, and the construct
// paths of the stacks' resources. Staging (the proxy entry, its load balancer internal) and
// production (the load balancer public) no longer have the same findings: both are recorded.
const FIXTURES = join(__dirname, "fixtures", "checkov");
const RECORDED = readFileSync(join(FIXTURES, "registry-staging.json"), "utf8");
const STACKS: Record<string, Record<string, any>> = JSON.parse(readFileSync(join(FIXTURES, "stacks.json"), "utf8"));
const COMMITTED = parseJustifications(readFileSync(join(__dirname, "..", "policy", "checkov-justifications.json"), "utf8"));

/** The recorded report split by stack; `as` renames a stack's findings (a new environment of the same shape). */
function scans(raw: RawReport = parseCheckovOutput(RECORDED), as: Record<string, string> = {}): StackScan[] {
  return Object.keys(STACKS).map((stack) => ({ stack: as[stack] ?? stack, report: stackReport(raw, stack, indexResources(stack, STACKS[stack])) }));
}

const entry = (fields: object) => JSON.stringify({ justifications: [{ check: "CKV_AWS_1", resource: "aws_x.y", reason: "a reason long enough to read", ...fields }] });

describe("checkov report", () => {
  const index = indexResources("staging", STACKS.staging);

  test("checkov's resource names become <type>.<construct path>, the same in every environment", () => {
    expect(stableAddress("resource.service_api-logs_9A6D20CB", index)).toBe("aws_cloudwatch_log_group.service/api-logs");
    expect(stableAddress("aws_iam_role.service_roles_execution-role_F20190A0", index)).toBe("aws_iam_role.service/roles/execution-role");
    expect(stableAddress("provider.aws", index)).toBe("provider.aws");
    expect(stableAddress("resource.unknown_ABC", index)).toBe("resource.unknown_ABC");
  });

  test("the stack of a file is its folder", () => {
    expect(stackOfFile("/staging/cdk.tf.json")).toBe("staging");
    expect(stackOfFile("cdktf.out/stacks/qa/cdk.tf.json")).toBe("qa");
  });

  test("the recorded report splits into each stack's passed and failed checks", () => {
    const [registry, staging] = scans();
    expect(registry.report.failed.map((finding) => `${finding.checkId} ${finding.address}`)).toEqual([
      "CKV_AWS_136 aws_ecr_repository.api-repository/repository",
      "CKV_AWS_136 aws_ecr_repository.web-repository/repository",
    ]);
    // The proxy entry's own findings (CKV2_AWS_19, CKV_AWS_88, the third 158/260/338); no WAF finding on an internal load balancer (CKV2_AWS_28).
    expect(staging.report.failed.map((finding) => finding.checkId).sort()).toEqual([
      "CKV2_AWS_19", "CKV2_AWS_20", "CKV_AWS_103", "CKV_AWS_150", "CKV_AWS_158", "CKV_AWS_158", "CKV_AWS_158", "CKV_AWS_2", "CKV_AWS_260", "CKV_AWS_260",
      "CKV_AWS_333", "CKV_AWS_338", "CKV_AWS_338", "CKV_AWS_338", "CKV_AWS_378", "CKV_AWS_378", "CKV_AWS_88", "CKV_AWS_91",
    ]);
    expect(staging.report.passed.length).toBe(111);
    expect(staging.report.version).toBe("3.3.30");
  });

  test("a bare summary (nothing to check) gives no check; output that is not JSON is refused", () => {
    const raw = parseCheckovOutput('{"passed": 0, "failed": 0, "skipped": 0, "parsing_errors": 0, "resource_count": 0, "checkov_version": "3.3.30"}');
    expect(raw.passed).toEqual([]);
    expect(raw.version).toBe("3.3.30");
    expect(() => parseCheckovOutput("Traceback (most recent call last):")).toThrow("checkov's output is not JSON: Traceback");
  });
});

describe("justifications", () => {
  test("the committed file justifies every recorded failure and every entry is used", () => {
    const evaluation = evaluate(scans(), COMMITTED);
    expect(evaluation.problems).toEqual([]);
    expect(evaluation.stacks.map((result) => [result.stack, result.justified.length, result.unjustified.length])).toEqual([
      ["registry", 2, 0],
      ["staging", 18, 0],
      ["production", 13, 0],
    ]);
  });

  test("a new environment of the same shape needs no new entry", () => {
    const evaluation = evaluate(scans(undefined, { staging: "qa" }), COMMITTED);
    expect(evaluation.problems).toEqual([]);
    expect(evaluation.stacks[1]).toMatchObject({ stack: "qa", unjustified: [] });
  });

  test("a failure without a justification fails the gate and the summary shows the entry to add", () => {
    const withoutLogs = COMMITTED.filter((justification) => justification.check !== "CKV_AWS_338");
    const evaluation = evaluate(scans(), withoutLogs);
    expect(evaluation.problems).toEqual([
      "stack staging: CKV_AWS_338 failed on aws_cloudwatch_log_group.entry/logs: Ensure CloudWatch log groups retains logs for at least 1 year",
      "stack staging: CKV_AWS_338 failed on aws_cloudwatch_log_group.service/api-logs: Ensure CloudWatch log groups retains logs for at least 1 year",
      "stack staging: CKV_AWS_338 failed on aws_cloudwatch_log_group.service/web-logs: Ensure CloudWatch log groups retains logs for at least 1 year",
      "stack production: CKV_AWS_338 failed on aws_cloudwatch_log_group.service/api-logs: Ensure CloudWatch log groups retains logs for at least 1 year",
      "stack production: CKV_AWS_338 failed on aws_cloudwatch_log_group.service/web-logs: Ensure CloudWatch log groups retains logs for at least 1 year",
    ]);
    const summary = formatSummary(evaluation, "3.3.30");
    expect(summary).toContain('{"check":"CKV_AWS_338","resource":"aws_cloudwatch_log_group.service/api-logs","reason":"<why this is acceptable>"}');
    expect(summary).toContain("Policy FAILED (5 problems)");
  });

  test("a justification that matches no failure is an error (the file cannot rot)", () => {
    const stale = parseJustifications(entry({ check: "CKV_AWS_999", resource: "aws_lb.*" }))[0];
    const evaluation = evaluate(scans(), [...COMMITTED, stale]);
    expect(evaluation.unused).toEqual([stale]);
    expect(evaluation.problems).toEqual([
      "policy/checkov-justifications.json: CKV_AWS_999 on aws_lb.* (stacks *) matches no failed check in any stack: remove it if the finding was fixed, or correct its pattern",
    ]);
  });

  test("an entry limited to some stacks does not justify the others", () => {
    const registryOnly = COMMITTED.map((justification) => (justification.check === "CKV_AWS_333" ? { ...justification, stacks: ["registry"] } : justification));
    const evaluation = evaluate(scans(), registryOnly);
    // Each environment's unjustified finding, and the entry that now matches nothing.
    expect(evaluation.problems.filter((problem) => problem.includes("CKV_AWS_333"))).toHaveLength(3);
  });

  test("parsing errors and a stack with no checked resource fail the gate", () => {
    const raw = parseCheckovOutput(RECORDED);
    const broken: RawReport = {
      ...raw,
      passed: raw.passed.filter((check) => check.stack !== "registry"),
      failed: raw.failed.filter((check) => check.stack !== "registry"),
      parsingErrors: [{ stack: "registry", file: "/registry/cdk.tf.json" }],
    };
    const problems = evaluate(scans(broken), COMMITTED.filter((justification) => justification.check !== "CKV_AWS_136")).problems;
    expect(problems).toEqual([
      "stack registry: checkov could not parse /registry/cdk.tf.json",
      "stack registry: checkov checked no resource (nothing parsed, or a synth problem)",
    ]);
  });

  test("the summary has one row per stack: resources, passed, failed, justified", () => {
    const summary = formatSummary(evaluate(scans(), COMMITTED), "3.3.30");
    expect(summary).toMatch(/^registry +22 +63 +0 +2$/m);
    expect(summary).toMatch(/^staging +41 +111 +0 +18$/m);
    expect(summary).toMatch(/^production +27 +74 +0 +13$/m);
    expect(summary).toContain("Policy passed");
  });

  test("globs: * matches any characters, the rest is literal", () => {
    expect(globMatches("aws_cloudwatch_log_group.service/*-logs", "aws_cloudwatch_log_group.service/api-logs")).toBe(true);
    expect(globMatches("aws_cloudwatch_log_group.service/*-logs", "aws_cloudwatch_log_group.service/api-logsX")).toBe(false);
    expect(globMatches("aws_lb.*", "aws_lbX.a")).toBe(false);
  });

  test.each([
    [entry({ check: "CKV_AWS" }), "justifications.0.check: must be a checkov check ID such as CKV_AWS_158"],
    [entry({ resource: "service/api-logs" }), "justifications.0.resource: must be <resource type>.<construct path glob>"],
    [entry({ reason: "because" }), "justifications.0.reason: must say why, in at least 20 characters"],
    [entry({ reason: "a reason long enough to read\nand a second line" }), "justifications.0.reason: must be one line"],
    [entry({ reson: "typo" }), 'Unrecognized key: "reson"'],
    ["{", "not JSON"],
  ])("an invalid file is refused with the entry and the rule: %s", (text, message) => {
    expect(() => parseJustifications(text)).toThrow(/^Invalid justification file policy\/checkov-justifications\.json/);
    expect(() => parseJustifications(text)).toThrow(message);
  });

  test("a repeated entry is refused", () => {
    const one = { check: "CKV_AWS_1", resource: "aws_x.y", reason: "a reason long enough to read" };
    expect(() => parseJustifications(JSON.stringify({ justifications: [one, one] }))).toThrow("justifications.1 repeats justifications.0");
  });
});
