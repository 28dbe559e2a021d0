import { UserError } from "../cli/errors";
import { EXIT } from "../cli/exit-codes";
import { runMain } from "../cli/main";
import { imageTagProblem } from "../config/image-tag";

const USAGE = "usage: npm run -s check-image-tag -- <tag>";

/**
 * `npm run -s check-image-tag -- <tag>`: exit 0 and no output when <tag> is a valid image tag
 * (config/image-tag.ts), else exit 1 naming the rule. The workflows check a dispatched tag (data
 * from another repository) with it before the tag reaches an output or a command line. It prints
 * nothing on success and takes no flags.
 */
export function checkImageTag(args: readonly string[]): number {
  // No flags: the one argument is always the tag, so "-x" or "--help" is checked (and refused), never read as a flag.
  if (args.length !== 1) throw new UserError(`expected exactly one tag\n${USAGE}`, EXIT.usage);
  const problem = imageTagProblem(args[0]);
  if (problem) throw new UserError(problem, EXIT.usage);
  return EXIT.ok;
}

if (require.main === module) {
  runMain(() => checkImageTag(process.argv.slice(2)));
}
