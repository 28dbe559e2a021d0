import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

const ROOT = join(__dirname, "..");
const owners = readFileSync(join(ROOT, ".github/CODEOWNERS"), "utf8")
  .split("\n")
  .map((line) => line.trim())
  .filter((line) => line && !line.startsWith("#"))
  .map((line) => line.split(/\s+/) as [string, ...string[]]);

/** CODEOWNERS' rule for the anchored patterns used here: `/dir/` owns everything below, `/file` itself. */
function owned(path: string): boolean {
  return owners.some(([pattern]) => {
    const anchored = pattern.replace(/^\//, "");
    return anchored.endsWith("/") ? path.startsWith(anchored) : path === anchored;
  });
}

/** Files that write IAM: provider IAM resources, or policy documents and statements. */
function buildsPolicies(file: string): boolean {
  const source = readFileSync(join(ROOT, file), "utf8");
  return /@cdktf\/provider-aws\/lib\/iam-|\bpolicyDocument\b|\bPolicyStatement\b|\bassumeRolePolicy\b/.test(source);
}

describe("CODEOWNERS", () => {
  test("every pattern names an owner and a path that exists", () => {
    for (const [pattern, ...names] of owners) {
      expect(names.length).toBeGreaterThan(0);
      for (const name of names) expect(name).toMatch(/^@[\w.-]+(\/[\w.-]+)?$/);
      const path = pattern.replace(/^\//, "").replace(/\/$/, "");
      const folder = path.split("/").slice(0, -1).join("/") || ".";
      expect(readdirSync(join(ROOT, folder))).toContain(path.split("/").pop());
    }
  });

  test("the gates, the workflows and every file that builds IAM are owned", () => {
    const sources = ["constructs", "stacks", "ops", "config"].flatMap((folder) =>
      readdirSync(join(ROOT, folder))
        .filter((name) => name.endsWith(".ts"))
        .map((name) => `${folder}/${name}`),
    );
    const iamFiles = sources.filter(buildsPolicies);
    expect(iamFiles.length).toBeGreaterThan(5);
    expect(iamFiles.filter((file) => !owned(file))).toEqual([]);
    for (const path of [".github/workflows/deploy.yml", "policy/plan-guard.ts", ".ci/run", "env/.env"]) expect(owned(path)).toBe(true);
    expect(owned("constructs/load-balancer.ts")).toBe(false);
  });
});
