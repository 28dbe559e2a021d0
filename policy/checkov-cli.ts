import { execFile } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { indexResources, parseCheckovOutput, stackReport, type RawReport } from "./checkov-report";
import { evaluate, formatSummary, JUSTIFICATIONS_FILE, parseJustifications, type StackScan } from "./checkov";
import { UserError } from "../cli/errors";
import { EXIT } from "../cli/exit-codes";
import { runMain } from "../cli/main";

/**
 * `npm run policy` (after the synth): checkov on every synthesized stack, judged against the
 * justification file. Exit 0 passed; 1 the policy failed, the justification file is invalid or
 * there is no synth to scan; 4 checkov is missing or failed (cli/exit-codes.ts).
 */

/** The version `.ci/run` installs and this runner was measured with. */
export const CHECKOV_VERSION = "3.3.30";
const OUT_DIR = "cdktf.out";
const LOCAL_CHECKOV = ".tools/checkov/bin/checkov";

/** checkov itself could not run or answer: exit 4, not a policy verdict. */
const toolFailure = (message: string) => new UserError(message, EXIT.tool);

/** CHECKOV, then the project's venv, then PATH. */
export function checkovCommand(environment: NodeJS.ProcessEnv = process.env): string {
  if (environment.CHECKOV) return environment.CHECKOV;
  return existsSync(LOCAL_CHECKOV) ? LOCAL_CHECKOV : "checkov";
}

/** The stacks of the last synth (the manifest), not stale folders an older synth left behind. */
function synthesizedStacks(): { stacks: string[]; stale: string[] } {
  const manifestFile = join(OUT_DIR, "manifest.json");
  if (!existsSync(manifestFile)) throw new UserError(`${manifestFile} not found: run the synth first (npm run synth)`, EXIT.usage);
  const manifest = JSON.parse(readFileSync(manifestFile, "utf8")) as { stacks?: Record<string, { workingDirectory: string }> };
  const stacks = Object.keys(manifest.stacks ?? {}).sort();
  const folders = existsSync(join(OUT_DIR, "stacks")) ? readdirSync(join(OUT_DIR, "stacks")) : [];
  return { stacks, stale: folders.filter((folder) => !stacks.includes(folder)) };
}

function runCheckov(command: string, directory: string): Promise<string> {
  const args = ["-d", directory, "--framework", "terraform_json", "-o", "json", "--skip-download"];
  return new Promise((resolve, reject) => {
    execFile(
      command,
      args,
      // Parsing errors fail the run; no PyPI query for a newer checkov (CI is offline but for registries).
      { env: { ...process.env, CKV_PARSE_ERROR_FAIL: "true", CKV_SKIP_PACKAGE_UPDATE_CHECK: "true" }, maxBuffer: 256 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = (error as { code?: unknown } | null)?.code;
        if (code === "ENOENT") {
          reject(toolFailure(`checkov not found (${command}): python3 -m venv .tools/checkov && .tools/checkov/bin/pip install checkov==${CHECKOV_VERSION}, or set CHECKOV`));
        } else if (error && code !== 1) {
          // 0: no failed check, 1: failed checks or parsing errors; anything else is checkov itself failing.
          reject(toolFailure(`checkov failed on ${directory} (exit ${String(code)}): ${stderr.trim().split("\n").slice(-1)[0] ?? ""}`));
        } else {
          resolve(stdout);
        }
      },
    );
  });
}

/**
 * One checkov run over the whole stacks folder, split by stack afterwards: checkov's start-up costs
 * ~4 s, and one run gave exactly the per-stack runs' results (measured with 3.3.30; each stack
 * folder is its own module, so references never cross stacks).
 */
async function scanStacks(command: string, stacks: readonly string[]): Promise<StackScan[]> {
  const stdout = await runCheckov(command, join(OUT_DIR, "stacks"));
  let raw: RawReport;
  try {
    raw = parseCheckovOutput(stdout);
  } catch (error) {
    throw toolFailure((error as Error).message);
  }
  return stacks.map((stack) => {
    const terraform = JSON.parse(readFileSync(join(OUT_DIR, "stacks", stack, "cdk.tf.json"), "utf8"));
    return { stack, report: stackReport(raw, stack, indexResources(stack, terraform)) };
  });
}

export async function main(): Promise<number> {
  const justifications = parseJustifications(readFileSync(JUSTIFICATIONS_FILE, "utf8"));
  const { stacks, stale } = synthesizedStacks();
  if (stacks.length === 0) throw new UserError(`no stack in ${OUT_DIR}/manifest.json: run the synth first (npm run synth)`, EXIT.usage);
  const command = checkovCommand();
  const scans = await scanStacks(command, stacks);
  const evaluation = evaluate(scans, justifications);
  const version = scans.find((scan) => scan.report.version)?.report.version;
  process.stdout.write(`${formatSummary(evaluation, version)}\n`);
  if (stale.length > 0) process.stdout.write(`Not scanned (not in the last synth, stale): ${stale.join(", ")}\n`);
  if (version && version !== CHECKOV_VERSION) {
    process.stdout.write(`Warning: checkov ${version} differs from the pinned ${CHECKOV_VERSION}; its checks may differ.\n`);
  }
  return evaluation.problems.length === 0 ? EXIT.ok : EXIT.refused;
}

if (require.main === module) runMain(main);
