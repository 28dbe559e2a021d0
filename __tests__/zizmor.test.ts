import { readFileSync } from "node:fs";
import { join } from "node:path";
import { judgeZizmor, parseZizmorJustifications, parseZizmorOutput, type ZizmorFinding, type ZizmorJustification } from "../policy/zizmor";

const finding = (overrides: Partial<ZizmorFinding> = {}): ZizmorFinding => ({
  audit: "self-repository",
  severity: "Low",
  file: ".github/workflows/deploy.yml",
  where: "jobs.deploy.steps[1]",
  ...overrides,
});
const justification = (overrides: Partial<ZizmorJustification> = {}): ZizmorJustification => ({
  audit: "self-repository",
  file: ".github/workflows/deploy.yml",
  where: "*",
  reason: "reviewed",
  ...overrides,
});

describe("zizmor gate", () => {
  test("a justified low finding passes", () => {
    expect(judgeZizmor([finding()], [justification()]).passed).toBe(true);
  });

  test("a finding above low fails even when an entry names it", () => {
    const verdict = judgeZizmor([finding({ audit: "unpinned-uses", severity: "High" })], [justification({ audit: "unpinned-uses" })]);
    expect(verdict.passed).toBe(false);
    expect(verdict.lines[0]).toBe("FAILED high unpinned-uses at .github/workflows/deploy.yml jobs.deploy.steps[1]: above low, fix it (no justification accepted)");
  });

  test("an unjustified low finding fails, and so does an entry for another file or place", () => {
    expect(judgeZizmor([finding()], []).passed).toBe(false);
    expect(judgeZizmor([finding()], [justification({ file: ".github/workflows/drift.yml" })]).passed).toBe(false);
    expect(judgeZizmor([finding()], [justification({ where: "jobs.other" })]).passed).toBe(false);
  });

  test("an unused justification fails the gate", () => {
    const verdict = judgeZizmor([], [justification()]);
    expect(verdict.passed).toBe(false);
    expect(verdict.lines).toContain("FAILED unused justification self-repository at .github/workflows/deploy.yml *: remove it");
  });

  test("zizmor's JSON v1 is read into audit, severity, file and route", () => {
    const raw = [
      {
        ident: "unpinned-uses",
        determinations: { confidence: "High", severity: "High", persona: "Regular" },
        locations: [
          { symbolic: { key: { Local: { verbatim_path: ".github/workflows/pull-request.yml" } }, route: { route: [{ Key: "jobs" }, { Key: "diff" }, { Key: "steps" }, { Index: 3 }] } } },
        ],
      },
    ];
    expect(parseZizmorOutput(JSON.stringify(raw))).toEqual([
      { audit: "unpinned-uses", severity: "High", file: ".github/workflows/pull-request.yml", where: "jobs.diff.steps[3]" },
    ]);
    expect(() => parseZizmorOutput('{"not":"findings"}')).toThrow("not a JSON array");
  });

  test("every committed justification has a reason", () => {
    const entries = parseZizmorJustifications(readFileSync(join(__dirname, "../policy/zizmor-justifications.json"), "utf8"));
    expect(entries.length).toBeGreaterThan(0);
    expect(() => parseZizmorJustifications(JSON.stringify({ justifications: [{ audit: "x", file: "y", where: "*", reason: " " }] }))).toThrow("a reason");
  });
});
