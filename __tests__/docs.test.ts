import { readFileSync } from "node:fs";
import { withConfigKeyTable } from "../config/docs";
import { INFRA_KEYS } from "../config/keys";

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
