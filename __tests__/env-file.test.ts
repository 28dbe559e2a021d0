import { parseEnvFile } from "../config/env-file";

describe("strict env file parsing", () => {
  test("reads assignments, comments, blank lines, export and quotes the way dotenv does", () => {
    const { entries, problems } = parseEnvFile(
      ["# comment", "", "A=plain # trailing comment", "export B=exported", 'C="double # not a comment"', "D='single'", "E=", 'F="line\\nbreak"'].join("\n"),
      "env/.env.test",
    );
    expect(problems).toEqual([]);
    const values = Object.fromEntries([...entries].map(([key, entry]) => [key, entry.value]));
    expect(values).toEqual({ A: "plain", B: "exported", C: "double # not a comment", D: "single", E: "", F: "line\nbreak" });
    expect(entries.get("C")?.line).toBe(5);
  });

  test("a malformed line is an error with its line number, not silently skipped", () => {
    const { problems } = parseEnvFile("A=1\nthis is not an assignment\n", "env/.env.test");
    expect(problems).toEqual([
      { file: "env/.env.test", line: 2, rule: "malformed line: expected KEY=value, a # comment or a blank line" },
    ]);
  });

  test("a duplicate key is an error naming both lines, and the first value is kept", () => {
    const { entries, problems } = parseEnvFile("A=1\nB=2\nA=3\n", "env/.env.test");
    expect(problems).toEqual([{ file: "env/.env.test", line: 3, key: "A", rule: "duplicate key: already set on line 1" }]);
    expect(entries.get("A")?.value).toBe("1");
  });

  test("an unterminated or multi-line quoted value is refused", () => {
    const { problems } = parseEnvFile('A="starts here\nand ends here"\n', "env/.env.test");
    expect(problems[0]).toMatchObject({ line: 1, key: "A", rule: expect.stringContaining("unterminated or multi-line") });
  });

  test("a key with characters a shell variable cannot have is refused", () => {
    const { problems } = parseEnvFile("MY-KEY=1\n", "env/.env.test");
    expect(problems[0]).toMatchObject({ line: 1, key: "MY-KEY", rule: expect.stringContaining("malformed key") });
  });

  test("Windows line endings are accepted", () => {
    const { entries, problems } = parseEnvFile("A=1\r\nB=2\r\n", "env/.env.test");
    expect(problems).toEqual([]);
    expect(entries.get("B")?.value).toBe("2");
  });

  describe("an unquoted # starts a comment only after whitespace (Docker Compose's rule, not dotenv's)", () => {
    test.each([
      ["COLOR=#ff0000", "#ff0000"],
      ["APP_URL=https://example.com/#/home", "https://example.com/#/home"],
      ["CHANNEL=general#ops", "general#ops"],
      ["KEY=value # comment", "value"],
      ["KEY=value\t# comment after a tab", "value"],
      ["KEY=a#b # comment", "a#b"],
      ["KEY= # only a comment", ""],
      ["KEY=", ""],
      ['KEY="quoted # not a comment" # comment', "quoted # not a comment"],
      ["KEY='#ff0000'", "#ff0000"],
    ])("%s reads as %j", (line, expected) => {
      const { entries, problems } = parseEnvFile(`${line}\n`, "env/.env.test");
      expect(problems).toEqual([]);
      expect([...entries.values()].map((entry) => entry.value)).toEqual([expected]);
    });
  });
});
