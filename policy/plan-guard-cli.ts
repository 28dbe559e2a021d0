import { readFileSync } from "node:fs";
import { basename } from "node:path";
import { UserError } from "../cli/errors";
import { EXIT } from "../cli/exit-codes";
import { runMain } from "../cli/main";
import { analyzePlan, guard } from "./plan-guard";
import { renderMarkdown } from "./plan-markdown";
import { notAPlan, parsePlan } from "./plan-read";

/**
 * `npm run plan-guard -- [--stack NAME] [--allow-destroy [STACK:]ADDRESS]... <plan.json>...`
 * Prints the Markdown summary on stdout. Exit 0: nothing protected is deleted, replaced or weakened;
 * 1: something protected would be (and no --allow-destroy names it), or bad arguments; 2: a file
 * that is not a Terraform JSON plan (the pull-request workflow tells these apart).
 */

const USAGE =
  "usage: npm run plan-guard -- [--stack NAME] [--allow-destroy [STACK:]ADDRESS]... <plan.json>... " +
  "(plans from terraform show -json; the stack is read from cdktf.out/stacks/<stack>/plan.json)";

/** How to get the plan a user has not made yet: `cdktf diff` writes the binary plan `plan` in the stack's folder. */
export const HOW_TO_PLAN =
  "make one per stack first: npx cdktf diff <stack>, then terraform -chdir=cdktf.out/stacks/<stack> show -json plan > cdktf.out/stacks/<stack>/plan.json (docs/policy.md)";

export interface GuardOutput {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

interface Arguments {
  readonly files: string[];
  readonly stack?: string;
  readonly overrides: string[];
  readonly help: boolean;
}

const usageError = (message: string) => new UserError(`${message}\n${USAGE}`, EXIT.usage);

function parseArguments(argv: readonly string[]): Arguments {
  const files: string[] = [];
  const overrides: string[] = [];
  let stack: string | undefined;
  for (let index = 0; index < argv.length; index++) {
    const argument = argv[index];
    const value = () => {
      const next = argv[++index];
      if (next === undefined || next.startsWith("-")) throw usageError(`${argument} needs a value`);
      return next;
    };
    if (argument === "--help" || argument === "-h") return { files, overrides, help: true };
    if (argument === "--stack") stack = value();
    else if (argument === "--allow-destroy") overrides.push(value());
    else if (argument.startsWith("-")) throw usageError(`unknown option ${argument}`);
    else files.push(argument);
  }
  if (files.length === 0) throw usageError(`no plan given: ${HOW_TO_PLAN}`);
  if (stack !== undefined && files.length > 1) throw usageError(`--stack names the stack of a single plan; with several, put each at cdktf.out/stacks/<stack>/plan.json`);
  return { files, stack, overrides, help: false };
}

/** `cdktf.out/stacks/staging/plan.json` -> `staging`; otherwise --stack, else the file's name (`plans/staging.plan.json` -> `staging`). */
export function stackNameOf(file: string, flag: string | undefined): string {
  if (flag) return flag;
  const match = /(?:^|[\\/])stacks[\\/]([^\\/]+)[\\/][^\\/]+$/.exec(file);
  return match ? match[1] : basename(file).replace(/(\.plan)?\.json$/, "");
}

function readPlanFile(file: string, read: (file: string) => string): string {
  try {
    return read(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    // A `*` left in the name: the shell matched no plan.json, so none was made since the synth.
    if (code === "ENOENT") throw notAPlan(`no plan at ${file}${file.includes("*") ? " (the shell found no file matching it)" : ""}: ${HOW_TO_PLAN}`);
    throw notAPlan(`cannot read ${file}: ${code}`);
  }
}

/** The guard's verdict on the plans. Bad arguments and files that are not plans are thrown as UserError. */
export function runPlanGuard(argv: readonly string[], read: (file: string) => string = (file) => readFileSync(file, "utf8")): GuardOutput {
  const args = parseArguments(argv);
  if (args.help) return { exitCode: EXIT.ok, stdout: `${USAGE}\n`, stderr: "" };
  const analyses = args.files.map((file) => analyzePlan(stackNameOf(file, args.stack), parsePlan(readPlanFile(file, read), file)));
  const result = guard(analyses, args.overrides);
  const blocked = result.blocked.length;
  return {
    exitCode: blocked > 0 ? EXIT.refused : EXIT.ok,
    stdout: renderMarkdown(analyses, result),
    stderr: blocked > 0 ? `plan-guard: ${blocked} protected resource${blocked === 1 ? "" : "s"} would be deleted, replaced or left unprotected (see the summary)\n` : "",
  };
}

if (require.main === module) {
  runMain(() => {
    const output = runPlanGuard(process.argv.slice(2));
    process.stdout.write(output.stdout);
    process.stderr.write(output.stderr);
    return output.exitCode;
  });
}
