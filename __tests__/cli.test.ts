import { spawnSync } from "node:child_process";
import { mkdtempSync, mkdirSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const MAIN = resolve(__dirname, "..", "main.ts");
const RUN_TS = resolve(__dirname, "..", "scripts", "run-ts.js");

/** Runs the synth entry point in a scratch folder holding the given env files. */
function synthIn(files: Record<string, string>) {
  const dir = mkdtempSync(join(tmpdir(), "city-guided-cli-"));
  mkdirSync(join(dir, "env"));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, "env", name), text);
  const result = spawnSync(process.execPath, [RUN_TS, MAIN], { cwd: dir, encoding: "utf8" });
  return { ...result, dir };
}

describe("synth entry point", () => {
  test("bad input: exit 1, every problem named, no stack trace, nothing written", () => {
    const result = synthIn({ ".env": "INFRA_STATE_BUCKET=b-state\n", ".env.staging": "INFRA_ECS_CPU=1024\nINFRA_ECS_MEMORY=3000\nSECRET_DB=postgres://u:hunter2@h/db\n" });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('env/.env.staging:2: INFRA_ECS_MEMORY="3000": not a Fargate size for INFRA_ECS_CPU=1024');
    expect(result.stderr).toContain("env/.env.staging:3: SECRET_DB (value hidden)");
    expect(result.stderr).not.toContain("hunter2");
    expect(result.stderr).not.toMatch(/^\s+at /m);
    expect(existsSync(join(result.dir, "cdktf.out"))).toBe(false);
  });

  test("good input: exit 0 and one cdk.tf.json per stack", () => {
    const result = synthIn({ ".env": "INFRA_STATE_BUCKET=b-state\n", ".env.qa": "" });
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    for (const stack of ["registry", "qa"]) expect(existsSync(join(result.dir, "cdktf.out", "stacks", stack, "cdk.tf.json"))).toBe(true);
  });
});
