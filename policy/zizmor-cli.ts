import { execFile } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { judgeZizmor, parseZizmorJustifications, parseZizmorOutput, ZIZMOR_JUSTIFICATIONS_FILE, ZIZMOR_VERSION } from "./zizmor";
import { UserError } from "../cli/errors";
import { EXIT } from "../cli/exit-codes";
import { runMain } from "../cli/main";

/**
 * `npm run lint:zizmor`: zizmor offline (no GitHub API: online audits need a token and network)
 * on .github/ and docs/examples/, judged by policy/zizmor.ts. Exit 0 passed, 1 the gate failed,
 * 4 zizmor is missing or could not run (the project's exit codes: cli/exit-codes.ts).
 */
const LOCAL_ZIZMOR = ".tools/zizmor/bin/zizmor";
const INSTALL_HINT = `python3 -m venv .tools/zizmor && .tools/zizmor/bin/pip install zizmor==${ZIZMOR_VERSION}, or set ZIZMOR`;

function zizmorCommand(): string {
  if (process.env.ZIZMOR) return process.env.ZIZMOR;
  return existsSync(LOCAL_ZIZMOR) ? LOCAL_ZIZMOR : "zizmor";
}

function runZizmor(command: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(command, ["--offline", "--format", "json", "--no-progress", ".github", "docs/examples"], { maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = (error as { code?: unknown } | null)?.code;
      if (code === "ENOENT") return reject(new UserError(`zizmor not found (${command}): ${INSTALL_HINT}`, EXIT.tool));
      // zizmor exits non-zero when it reports findings (10 + the highest severity); the JSON is the verdict.
      if (error && !stdout.trim().startsWith("[")) return reject(new UserError(`zizmor failed (exit ${String(code)}): ${stderr.trim().split("\n").slice(-1)[0] ?? ""}`, EXIT.tool));
      resolve(stdout);
    });
  });
}

async function main(): Promise<number> {
  const output = await runZizmor(zizmorCommand());
  const verdict = judgeZizmor(parseZizmorOutput(output), parseZizmorJustifications(readFileSync(ZIZMOR_JUSTIFICATIONS_FILE, "utf8")));
  process.stdout.write(`${verdict.lines.join("\n")}\n`);
  return verdict.passed ? EXIT.ok : EXIT.refused;
}

runMain(main);
