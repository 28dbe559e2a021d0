import { readFileSync, writeFileSync } from "node:fs";
import { runMain } from "../cli/main";
import { withConfigKeyTable } from "../config/docs";

// Regenerates the README's configuration table from config/keys.ts (a test fails when they differ).
runMain(() => {
  const readme = readFileSync("README.md", "utf8");
  const updated = withConfigKeyTable(readme);
  writeFileSync("README.md", updated);
  process.stdout.write(updated === readme ? "README.md: configuration table already up to date\n" : "README.md: configuration table updated\n");
});
