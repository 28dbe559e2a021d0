import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

const sources = (folder: string) =>
  readdirSync(join(__dirname, "..", folder))
    .filter((name) => name.endsWith(".ts"))
    .map((name) => ({ name, text: readFileSync(join(__dirname, "..", folder, name), "utf8") }));

/** Files of `folder` that import (or require) a module of one of `layers`. */
const importersOf = (folder: string, layers: readonly string[]) => {
  const reference = new RegExp(`(from |require\\()"\\.\\./(${layers.join("|")})(/|")`);
  return sources(folder)
    .filter((file) => reference.test(file.text))
    .map((file) => file.name);
};

// The CLI layer (cli/) sits above everything: config/ and constructs/ (and the stacks built from
// them) never import it, so a construct stays usable outside a command and throws its own errors.
describe("layers", () => {
  test.each(["config", "constructs", "stacks"])("%s/ never imports cli/", (folder) => {
    expect(importersOf(folder, ["cli"])).toEqual([]);
  });

  // Constructs stand on their own: they take what they need as props and throw ConstructPropsError;
  // config/ and the stacks translate, never the reverse.
  test("constructs/ imports nothing from config/, ops/, policy/, stacks/ or cli/", () => {
    expect(importersOf("constructs", ["config", "ops", "policy", "stacks", "cli"])).toEqual([]);
  });
});
