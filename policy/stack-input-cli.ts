import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { stackInputProblems } from "./stack-input";
import { UserError } from "../cli/errors";
import { EXIT } from "../cli/exit-codes";
import { runMain } from "../cli/main";

/**
 * `npm run check:stack-input -- <stacks dir>`: refuses synthesized stacks that would make Terraform
 * run anything but the AWS provider (policy/stack-input.ts). Exit 0 every stack may be planned,
 * 1 a stack was refused, or bad usage (the project's exit codes: cli/exit-codes.ts).
 */
function main(args: string[]): number {
  const usage = "usage: npm run check:stack-input -- <dir holding <stack>/cdk.tf.json>";
  if (args[0] === "--help" || args[0] === "-h") {
    process.stdout.write(`${usage}\n`);
    return EXIT.ok;
  }
  if (args.length !== 1) throw new UserError(usage);
  const dir = args[0];
  const stacks = existsSync(dir) ? readdirSync(dir).filter((stack) => existsSync(join(dir, stack, "cdk.tf.json"))).sort() : [];
  if (stacks.length === 0) throw new UserError(`check:stack-input: no <stack>/cdk.tf.json under ${dir}`);
  const problems = stacks.flatMap((stack) => {
    try {
      return stackInputProblems(stack, JSON.parse(readFileSync(join(dir, stack, "cdk.tf.json"), "utf8")));
    } catch (error) {
      return [`${stack}: cdk.tf.json is not JSON (${(error as Error).message})`];
    }
  });
  for (const problem of problems) process.stdout.write(`refused: ${problem}\n`);
  process.stdout.write(`check:stack-input: ${stacks.length} stack(s), ${problems.length === 0 ? "every one may be planned" : `${problems.length} problem(s)`}\n`);
  return problems.length === 0 ? EXIT.ok : EXIT.refused;
}

runMain(() => main(process.argv.slice(2)));
