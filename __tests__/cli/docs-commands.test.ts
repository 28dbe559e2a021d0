import { rmSync } from "node:fs";
import { flagProblem, npmRunCommands, parseNpmRun } from "../markdown-commands";
import { cleanEnvironment, closedPort, projectCopy, runProcess, SECRETS } from "./processes";

/**
 * The `npm run` lines of README.md and docs/ that run offline in seconds, run as written (through
 * npm and a shell, in a copy of the project) right after a synth: each exits with the code the docs
 * give for that situation, prints no stack trace, and npm warns about no flag it took for itself.
 * The others (tests, checkov, terraform, linters, benchmarks) run as steps of .ci/run.
 */

/** Exit codes expected offline after a synth: no plan yet (2, or 1 with no path), AWS a closed port (3); `--help` 0. */
const CHEAP: Readonly<Record<string, readonly number[]>> = {
  synth: [0],
  docs: [0],
  "plan-guard": [1, 2],
  status: [3],
  "running-tag": [3],
  bootstrap: [3],
};

/** A line with placeholders (`<env>`, `[--fix]`, `...`) is a form, not a command to copy as is. */
const runnable = (line: string) => !/[<>[\]]|\.\.\./.test(line.replace(/ > [\w.-]+$/, ""));

const commands = [...new Map(npmRunCommands().map((command) => [command.line, command])).values()].filter((command) => {
  const { script } = parseNpmRun(command.line);
  return script !== undefined && script in CHEAP && runnable(command.line);
});

describe("the docs' npm run lines, run as written", () => {
  test("the cheap ones include each cheap script", () => {
    const scripts = new Set(commands.map((command) => parseNpmRun(command.line).script));
    for (const script of Object.keys(CHEAP)) expect(scripts).toContain(script);
  });

  test("each exits as documented, with no stack trace and no flag lost to npm", async () => {
    const { dir, home } = projectCopy();
    const environment = cleanEnvironment(home, { AWS_ENDPOINT_URL: await closedPort(), AWS_MAX_ATTEMPTS: "1" });
    const check = async (command: (typeof commands)[number]) => {
      const result = await runProcess("bash", ["-c", command.line], dir, environment, 40);
      const { script, rest } = parseNpmRun(command.line);
      return {
        line: `${command.file}: ${command.line}`,
        expected: (rest.includes("--help") ? [0] : CHEAP[script!]).includes(result.code ?? -1) ? "ok" : `exit ${result.code}: ${result.stderr.trim().split("\n").slice(-3).join(" / ")}`,
        stackTrace: /^\s+at /m.test(result.stderr),
        npmWarning: /npm warn|Unknown cli config|npm error/i.test(result.stderr),
        secret: SECRETS.some((secret) => (result.stdout + result.stderr).includes(secret)),
        flags: flagProblem(rest) ?? "ok",
      };
    };
    // The synth lines first, one at a time (they write cdktf.out); the docs' other lines come after one, and run side by side.
    const isSynth = (command: (typeof commands)[number]) => parseNpmRun(command.line).script === "synth";
    const results = [];
    for (const command of commands.filter(isSynth)) results.push(await check(command));
    results.push(...(await Promise.all(commands.filter((command) => !isSynth(command)).map(check))));
    rmSync(dir, { recursive: true, force: true });
    expect(results).toEqual(results.map(({ line }) => ({ line, expected: "ok", stackTrace: false, npmWarning: false, secret: false, flags: "ok" })));
  });
});
