import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

// The CLI layer (cli/) sits above everything: config/ and constructs/ (and the stacks built from
// them) never import it, so a construct stays usable outside a command and throws its own errors.
describe("layers", () => {
  test.each(["config", "constructs", "stacks"])("%s/ never imports cli/", (folder) => {
    const files = readdirSync(join(__dirname, "..", folder)).filter((name) => name.endsWith(".ts"));
    const importers = files.filter((name) => /from "\.\.\/cli\//.test(readFileSync(join(__dirname, "..", folder, name), "utf8")));
    expect(importers).toEqual([]);
  });
});
