import { readFileSync } from "node:fs";
import { withConfigKeyTable } from "../config/docs";
import { INFRA_KEYS } from "../config/keys";
import { EXIT } from "../cli/exit-codes";
import { caddyPinProblems, readCaddyPin } from "./entry/caddy-pin";
import { flagProblem, markdownFiles, npmRunCommands, parseNpmRun } from "./markdown-commands";

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

describe("the Caddy pin (entry/caddy-release.json)", () => {
  const pin = readCaddyPin(".");
  const good = { version: "2.11.4", linux_arm64_sha512: "a".repeat(128), source: "caddy_2.11.4_checksums.txt lists caddy_2.11.4_linux_arm64.tar.gz" };

  test("is well formed: a version x.y.z, the arm64 archive's SHA-512 (128 hex digits), and where it was read", () => {
    expect(caddyPinProblems(pin)).toEqual([]);
    expect(pin.source).toContain(`caddy_${pin.version}_linux_arm64.tar.gz`);
  });

  test.each([
    ["a version with a v", { ...good, version: "v2.11.4" }, 'version "v2.11.4" is not a release version x.y.z'],
    ["a two-part version", { ...good, version: "2.11" }, 'version "2.11" is not a release version x.y.z'],
    ["a short hash", { ...good, linux_arm64_sha512: "a".repeat(127) }, "linux_arm64_sha512 must be 128 lowercase hex digits"],
    ["an upper-case hash", { ...good, linux_arm64_sha512: "A".repeat(128) }, "linux_arm64_sha512 must be 128 lowercase hex digits"],
    ["a SHA-256 instead", { ...good, linux_arm64_sha512: "a".repeat(64) }, "linux_arm64_sha512 must be 128 lowercase hex digits"],
    ["a source that names another version", { ...good, source: "caddy_2.11.3_checksums.txt" }, "source must say where the hash was read"],
    ["a second copy of the version", { ...good, caddy_version: "2.11.4" }, "unknown field(s) caddy_version"],
  ])("a malformed pin is refused: %s", (_name, candidate, message) => {
    expect(caddyPinProblems(candidate).join("\n")).toContain(message);
  });

  // "caddy" and a version x.y.z on the same line (an address such as 127.0.0.1 has four parts).
  const namedVersions = (text: string) =>
    text
      .split("\n")
      .filter((line) => /caddy/i.test(line))
      .flatMap((line) => [...line.matchAll(/(?<![\d.])v?(\d+\.\d+\.\d+)(?![\d.])/g)].map((match) => ({ line: line.trim(), version: match[1] })));

  test("the README and docs/ name no other Caddy version than the pin's", () => {
    const others = markdownFiles().flatMap((file) => namedVersions(readFileSync(file, "utf8")).map((found) => ({ file, ...found }))).filter((found) => found.version !== pin.version);
    expect(others).toEqual([]);
    expect(namedVersions(readFileSync("docs/public-entry.md", "utf8")).map((found) => found.version)).toContain(pin.version);
  });

  test("the check sees a line that names another version", () => {
    expect(namedVersions("built with Caddy v2.11.9 on 127.0.0.1")).toEqual([{ line: "built with Caddy v2.11.9 on 127.0.0.1", version: "2.11.9" }]);
  });

  test(".ci/run builds the pinned version, read from the pin file (no second copy of the number)", () => {
    const run = readFileSync(".ci/run", "utf8");
    expect(run).toContain('require("./entry/caddy-release.json")');
    expect(run).toMatch(/go install "github\.com\/caddyserver\/caddy\/v2\/cmd\/caddy@\$CADDY_VERSION"/);
    expect(run).not.toMatch(/CADDY_VERSION=v?\d/);
  });
});
