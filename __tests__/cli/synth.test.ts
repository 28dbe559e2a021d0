import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT, SHARED_FILE } from "./processes";
import { describeCases, type Case } from "./table";

// synth (npm run synth), the pipeline helper and npm run policy's own runner, through their entry points.

const staging = (text: string) => ({ ".env": SHARED_FILE, ".env.staging": text });

const synth: Case[] = [
  {
    name: "synth: valid env files: one line per stack, then the total",
    entry: "main.ts",
    code: 0,
    line: /^(registry|staging) +\d+ resources {2}cdktf\.out\/stacks\/(registry|staging)\/cdk\.tf\.json$/,
    stdout: /\nsynthesized 2 stacks, \d+ resources, in \d+\.\d s\n$/,
  },
  {
    name: "synth: a malformed line names file, line and the rule",
    entry: "main.ts",
    envFiles: staging("INFRA_ECS_CPU 1024\n"),
    code: 1,
    line: "error: env/.env.staging:1: malformed line: expected KEY=value",
    writesNothing: true,
  },
  {
    name: "synth: an invalid value names file, line, key, value and the allowed values",
    entry: "main.ts",
    envFiles: staging("INFRA_ECS_CPU=1000\n"),
    code: 1,
    line: 'error: env/.env.staging:1: INFRA_ECS_CPU="1000": must be one of 256, 512, 1024',
    writesNothing: true,
  },
  {
    name: "synth: an unknown INFRA_ key suggests the known one",
    entry: "main.ts",
    envFiles: staging("INFRA_ECS_CPUS=1024\n"),
    code: 1,
    line: 'error: env/.env.staging:1: INFRA_ECS_CPUS="1024": unknown INFRA_ key: did you mean INFRA_ECS_CPU?',
  },
  {
    name: "synth: a secret value in a SECRET_ key is refused and never printed",
    entry: "main.ts",
    envFiles: staging("SECRET_DB=postgres://u:hunter2-canary@h/db\n"),
    code: 1,
    line: "error: env/.env.staging:1: SECRET_DB (value hidden)",
  },
  {
    name: "synth: several problems: a count, then one line each",
    entry: "main.ts",
    envFiles: staging("INFRA_ECS_CPU=1000\nSECRET_DB=postgres://u:hunter2-canary@h/db\n"),
    code: 1,
    line: "error: Invalid configuration (2 problems):",
  },
  {
    name: "synth: a reserved prefix in another case is refused, with the right spelling",
    entry: "main.ts",
    envFiles: staging("infra_ecs_cpu=512\n"),
    code: 1,
    line: /^error: env\/\.env\.staging:1: infra_ecs_cpu.*did you mean INFRA_ECS_CPU\?/,
    writesNothing: true,
  },
  {
    name: "synth: a secret key in another case is refused and its value never printed",
    entry: "main.ts",
    envFiles: staging("secret_db=postgres://u:hunter2-canary@h/db\n"),
    code: 1,
    line: /^error: env\/\.env\.staging:1: secret_db \(value hidden\)/,
    writesNothing: true,
  },
  {
    name: "synth: a well-formed region that does not exist",
    entry: "main.ts",
    envFiles: staging("INFRA_AWS_REGION=eu-west-9\n"),
    code: 1,
    line: /^error: env\/\.env\.staging:1: INFRA_AWS_REGION="eu-west-9": must be an AWS region the AWS SDK lists/,
    writesNothing: true,
  },
  {
    name: "synth: a GitHub fine-grained token as a plain value is refused, never printed",
    entry: "main.ts",
    envFiles: staging(`NOTE=${["github", "pat", "11ABCDEFG0123456789abc_"].join("_")}${"abcdefghij0123456789ABCDEFGHIJ0123456789abcdefghij0123456789".slice(0, 59)}\n`),
    code: 1,
    line: /^error: env\/\.env\.staging:1: NOTE \(value hidden\): looks like a secret/,
    writesNothing: true,
  },
  {
    name: "synth: an unquoted # after no space is part of the value (COLOR=#ff0000)",
    entry: "main.ts",
    envFiles: staging("COLOR=#ff0000\nAPP_URL=https://example.com/#/home\n"),
    code: 0,
    line: /^(registry|staging) +\d+ resources/,
  },
  {
    name: "synth: no shared file",
    entry: "main.ts",
    envFiles: { ".env.staging": "" },
    code: 1,
    line: /^error: env\/\.env: /,
  },
  {
    name: "a construct refusing a value (constructs/ ConstructPropsError): one line, exit 1",
    entry: "__tests__/fixtures/bad-construct-app.ts",
    args: ["cdktf.out"],
    code: 1,
    line: 'error: Invalid ECR repository name "Not_A_Valid_Name": must be 2-256 lowercase letters',
  },
  {
    name: "a policy aspect failing the synth: exit 1, the variable named, its value not printed",
    entry: "__tests__/fixtures/privileged-app.ts",
    args: ["cdktf.out"],
    code: 1,
    line: "error: Validation failed with the following errors:",
  },
  {
    name: "pipeline-info: an unknown environment is bad input",
    entry: "scripts/pipeline-info.ts",
    args: ["qa"],
    code: 1,
    line: 'error: Unknown environment "qa": expected one of staging or "stacks"',
  },
  {
    name: "pipeline-info stacks: one stack a line",
    entry: "scripts/pipeline-info.ts",
    args: ["stacks"],
    code: 0,
    line: "registry",
  },
];

const justifications = { "policy/checkov-justifications.json": readFileSync(join(ROOT, "policy", "checkov-justifications.json"), "utf8") };
const manifest = { "cdktf.out/manifest.json": JSON.stringify({ stacks: { staging: { workingDirectory: "stacks/staging" } } }) };

const policy: Case[] = [
  {
    name: "policy: no synth to scan: says to run it (exit 1)",
    entry: "policy/checkov-cli.ts",
    files: justifications,
    code: 1,
    line: "error: cdktf.out/manifest.json not found: run the synth first (npm run synth)",
  },
  {
    name: "policy: checkov missing: a tool that cannot run (exit 4), with how to install it",
    entry: "policy/checkov-cli.ts",
    files: { ...justifications, ...manifest },
    variables: () => ({ CHECKOV: "/nonexistent/checkov" }),
    code: 4,
    line: "error: checkov not found (/nonexistent/checkov): python3 -m venv .tools/checkov",
  },
  {
    name: "policy: an invalid justification file is bad input (exit 1)",
    entry: "policy/checkov-cli.ts",
    files: { "policy/checkov-justifications.json": "[{}]", ...manifest },
    code: 1,
    line: /^error: .*checkov-justifications\.json/,
  },
];

const bugs: Case[] = [
  { name: "a bug (thrown): its stack trace, exit 70", entry: "__tests__/fixtures/bug-app.ts", code: 70, line: "TypeError: a bug, thrown", bug: true },
  { name: "a bug (rejected promise): its stack trace, exit 70", entry: "__tests__/fixtures/bug-app.ts", args: ["async"], code: 70, line: "TypeError: a bug, rejected", bug: true },
];

describeCases("synth and policy, as a user runs them", [...synth, ...policy, ...bugs]);
