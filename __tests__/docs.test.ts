import { readFileSync } from "node:fs";
import { withConfigKeyTable } from "../config/docs";
import { INFRA_KEYS } from "../config/keys";
import { EXIT } from "../cli/exit-codes";
import { flagProblem, npmRunCommands, parseNpmRun } from "./markdown-commands";

describe("README", () => {
  const readme = readFileSync("README.md", "utf8");

  test("its configuration table is the one generated from config/keys.ts (run `npm run docs`)", () => {
    expect(withConfigKeyTable(readme)).toBe(readme);
  });

  test("the README's table lists every INFRA_ key", () => {
    for (const key of Object.keys(INFRA_KEYS)) expect(readme).toContain(`| \`${key}\` |`);
  });

  test("starts with the two set-up commands", () => {
    const firstBlock = readme.slice(readme.indexOf("```"), readme.indexOf("```", readme.indexOf("```") + 3));
    expect(firstBlock).toContain("npm ci && npm run synth");
    expect(firstBlock).toContain("npm test");
  });
});

describe("the npm run lines of README.md and docs/", () => {
  const scripts = Object.keys(JSON.parse(readFileSync("package.json", "utf8")).scripts);
  const commands = npmRunCommands();

  test("there are some (the extraction works)", () => {
    expect(commands.length).toBeGreaterThan(10);
    expect(commands).toContainEqual({ file: "README.md", line: "npm run synth" });
  });

  test.each(commands.map((command) => [`${command.file}: ${command.line}`, command] as const))("%s: names a script and puts flags after --", (_title, command) => {
    const { script, rest } = parseNpmRun(command.line);
    expect({ line: command.line, script: scripts.includes(script ?? "") ? script : `no such script: ${script}`, flags: flagProblem(rest) ?? "ok" }).toEqual({ line: command.line, script, flags: "ok" });
  });

  test("the checker refuses the forms npm misreads", () => {
    expect(flagProblem(parseNpmRun("npm run bootstrap --fix").rest)).toContain("npm takes it");
    expect(flagProblem(parseNpmRun("npm run bootstrap [-- <env>] [--fix]").rest)).toContain("optional");
    expect(flagProblem(parseNpmRun("npm run bootstrap -- [<env>] [--fix]").rest)).toBeUndefined();
  });
});

describe("README's exit-code table", () => {
  const readme = readFileSync("README.md", "utf8");
  const table = readme.slice(readme.indexOf("## Exit codes"), readme.indexOf("## Development"));

  test.each(Object.entries(EXIT))("lists %s = %i (cli/exit-codes.ts)", (_name, code) => {
    expect(table).toMatch(new RegExp(`^\\| ${code} \\|`, "m"));
  });

  test("lists no code the CLI does not have", () => {
    const codes = [...table.matchAll(/^\| (\d+) \|/gm)].map((match) => Number(match[1]));
    expect(codes.every((code) => (Object.values(EXIT) as number[]).includes(code))).toBe(true);
  });
});
