import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "./processes";
import { describeCases, type Case } from "./table";

// The plan guard (npm run plan-guard) as the pull-request workflow and a user run it.

const fixture = (name: string) => readFileSync(join(ROOT, "__tests__", "fixtures", "plans", name), "utf8");
const plan = (...changes: object[]) => JSON.stringify({ format_version: "1.2", planned_values: {}, resource_changes: changes });
const repository = (actions: string[], before: object, after: object) => ({
  address: "aws_ecr_repository.api",
  mode: "managed",
  type: "aws_ecr_repository",
  change: { actions, before, after, after_unknown: {} },
});
const STAGING = "cdktf.out/stacks/staging/plan.json";
const entry = "policy/plan-guard-cli.ts";

const cases: Case[] = [
  { name: "plan-guard --help: the usage, exit 0", entry, args: ["--help"], code: 0, line: "usage: npm run plan-guard -- " },
  { name: "plan-guard -h: the usage, exit 0", entry, args: ["-h"], code: 0, line: "usage: npm run plan-guard -- " },
  { name: "plan-guard with no plan: says how to make one (exit 1, usage)", entry, code: 1, line: "error: no plan given: make one per stack first: npx cdktf diff <stack>" },
  { name: "plan-guard --bogus: bad input (exit 1)", entry, args: ["--bogus", STAGING], code: 1, line: "error: unknown option --bogus" },
  {
    name: "plan-guard cdktf.out/stacks/*/plan.json right after synth: no plan yet, how to make one (exit 2)",
    entry,
    args: ["cdktf.out/stacks/*/plan.json"],
    code: 2,
    line: "error: no plan at cdktf.out/stacks/*/plan.json (the shell found no file matching it): make one per stack first: npx cdktf diff <stack>, then terraform -chdir=cdktf.out/stacks/<stack> show -json plan",
  },
  { name: "plan-guard of a file that is not JSON (exit 2)", entry, args: [STAGING], files: { [STAGING]: "Terraform will perform the following actions" }, code: 2, line: `error: ${STAGING} is not JSON` },
  { name: "plan-guard of a state file (exit 2)", entry, args: [STAGING], files: { [STAGING]: fixture("not-a-plan-tfstate.json") }, code: 2, line: `error: ${STAGING} is a Terraform state file` },
  { name: "plan-guard of a plan with a UTF-8 byte order mark: read (exit 0)", entry, args: [STAGING], files: { [STAGING]: `\uFEFF${fixture("no-changes.json")}` }, code: 0, line: "## Plan guard" },
  {
    name: 'plan-guard of an action list Terraform never writes: refused, not read as an update (exit 2)',
    entry,
    args: [STAGING],
    files: { [STAGING]: plan(repository(["frobnicate"], {}, {})) },
    code: 2,
    line: `error: ${STAGING}: resource_changes[0] (aws_ecr_repository.api) has actions ["frobnicate"], which Terraform never writes`,
  },
  {
    name: 'plan-guard of ["create","forget"] on a repository: a protected replacement (exit 1)',
    entry,
    args: [STAGING],
    files: { [STAGING]: plan(repository(["create", "forget"], { name: "city-guided-api" }, { name: "city-guided-api" })) },
    code: 1,
    line: "plan-guard: 1 protected resource would be deleted, replaced or left unprotected (see the summary)",
    stdout: "**replace** `aws_ecr_repository.api`",
  },
  {
    name: "plan-guard of force_delete turning true on a repository: blocked (exit 1)",
    entry,
    args: [STAGING],
    files: { [STAGING]: plan(repository(["update"], { force_delete: false }, { force_delete: true })) },
    code: 1,
    line: "plan-guard: 1 protected resource would be deleted, replaced or left unprotected",
    stdout: "`force_delete` turns true on an ECR repository: a later destroy would delete every image in the repository",
  },
  {
    name: "plan-guard of force_delete turning true, named by --allow-destroy: let through (exit 0)",
    entry,
    args: ["--allow-destroy", "staging:aws_ecr_repository.api", STAGING],
    files: { [STAGING]: plan(repository(["update"], { force_delete: false }, { force_delete: true })) },
    code: 0,
    line: "## Plan guard",
    stdout: "let through by `--allow-destroy`",
  },
  { name: "plan-guard of protected deletions: blocked (exit 1)", entry, args: [STAGING], files: { [STAGING]: fixture("protected-deletes.json") }, code: 1, line: "plan-guard: " },
];

describeCases("plan guard, as a user runs it", cases);
