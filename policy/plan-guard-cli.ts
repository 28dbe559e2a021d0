import { readFileSync } from "node:fs";
import { basename } from "node:path";
import { EXIT_BUG, reportBug } from "../config/errors";
import { analyzePlan, guard } from "./plan-guard";
import { renderMarkdown } from "./plan-markdown";
import { parsePlan, PlanInputError } from "./plan-read";

/**
 * `npm run plan-guard -- [--stack NAME] [--allow-destroy [STACK:]ADDRESS]... <plan.json>...`
 * Prints the Markdown summary on stdout. Exit 0: nothing protected is deleted or replaced;
 * 1: something protected would be (and no --allow-destroy names it); 2: bad arguments or input.
 */

const USAGE =
  "usage: npm run plan-guard -- [--stack NAME] [--allow-destroy [STACK:]ADDRESS]... <plan.json>... " +
  "(plans from terraform show -json; the stack is read from cdktf.out/stacks/<stack>/plan.json)";

export interface GuardOutput {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

interface Arguments {
  readonly files: string[];
  readonly stack?: string;
  readonly overrides: string[];
}

function parseArguments(argv: readonly string[]): Arguments {
  const files: string[] = [];
  const overrides: string[] = [];
  let stack: string | undefined;
  for (let index = 0; index < argv.length; index++) {
    const argument = argv[index];
    const value = () => {
      const next = argv[++index];
      if (next === undefined || next.startsWith("--")) throw new PlanInputError(`${argument} needs a value; ${USAGE}`);
      return next;
    };
    if (argument === "--stack") stack = value();
    else if (argument === "--allow-destroy") overrides.push(value());
    else if (argument.startsWith("--")) throw new PlanInputError(`unknown option ${argument}; ${USAGE}`);
    else files.push(argument);
  }
  if (files.length === 0) throw new PlanInputError(`no plan given; ${USAGE}`);
  if (stack !== undefined && files.length > 1) throw new PlanInputError(`--stack names the stack of a single plan; with several, put each at cdktf.out/stacks/<stack>/plan.json`);
  return { files, stack, overrides };
}

/** `cdktf.out/stacks/staging/plan.json` -> `staging`; otherwise --stack, else the file's name (`plans/staging.plan.json` -> `staging`). */
export function stackNameOf(file: string, flag: string | undefined): string {
  if (flag) return flag;
  const match = /(?:^|[\\/])stacks[\\/]([^\\/]+)[\\/][^\\/]+$/.exec(file);
  return match ? match[1] : basename(file).replace(/(\.plan)?\.json$/, "");
}

export function runPlanGuard(argv: readonly string[], read: (file: string) => string = (file) => readFileSync(file, "utf8")): GuardOutput {
  try {
    const args = parseArguments(argv);
    const analyses = args.files.map((file) => {
      let text: string;
      try {
        text = read(file);
      } catch (error) {
        throw new PlanInputError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
      }
      return analyzePlan(stackNameOf(file, args.stack), parsePlan(text, file));
    });
    const result = guard(analyses, args.overrides);
    const blocked = result.blocked.length;
    return {
      exitCode: blocked > 0 ? 1 : 0,
      stdout: renderMarkdown(analyses, result),
      stderr: blocked > 0 ? `plan-guard: ${blocked} protected resource${blocked === 1 ? "" : "s"} would be deleted or replaced (see the summary)\n` : "",
    };
  } catch (error) {
    if (error instanceof PlanInputError) return { exitCode: 2, stdout: "", stderr: `plan-guard: ${error.message}\n` };
    throw error;
  }
}

if (require.main === module) {
  try {
    const output = runPlanGuard(process.argv.slice(2));
    process.stdout.write(output.stdout);
    process.stderr.write(output.stderr);
    process.exitCode = output.exitCode;
  } catch (error) {
    // A bug, not a verdict: 1 means "blocked", so a crash must not exit 1.
    reportBug(error);
    process.exitCode = EXIT_BUG;
  }
}
