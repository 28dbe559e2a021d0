#!/usr/bin/env node
// Runs a TypeScript entry point fast: esbuild bundles the project's own modules (dependencies stay
// external, loaded from node_modules as usual) into dist/, then the bundle runs in this process.
// One esbuild call (tens of ms) instead of a loader hook per file; no type-checking here
// (`npm run typecheck` does that). Measured with `npm run bench`.
"use strict";
const { buildSync } = require("esbuild");
const { mkdirSync, realpathSync, renameSync, writeFileSync } = require("node:fs");
const path = require("node:path");

const [entry, ...args] = process.argv.slice(2);
if (!entry) {
  process.stderr.write("usage: node scripts/run-ts.js <entry.ts> [args...]\n");
  process.exit(1);
}
const root = path.join(__dirname, "..");
// The real path: an entry reached through a symlinked folder still bundles into this project's dist/.
let source;
try {
  source = realpathSync(path.resolve(entry));
} catch (error) {
  process.stderr.write(`error: cannot read ${entry}: ${error.code ?? error.message}\n`);
  process.exit(1);
}
const outfile = path.join(root, "dist", path.relative(root, source).replace(/\.ts$/, ".js"));
const [bundle] = buildSync({
  entryPoints: [source],
  outfile,
  bundle: true,
  packages: "external",
  platform: "node",
  format: "cjs",
  target: "node20",
  sourcemap: "inline",
  logLevel: "error",
  write: false,
}).outputFiles;
// Write then rename: concurrent runs (parallel tests) never read a half-written bundle.
mkdirSync(path.dirname(outfile), { recursive: true });
const temporary = `${outfile}.${process.pid}.tmp`;
writeFileSync(temporary, bundle.contents);
renameSync(temporary, outfile);
// Source maps stay off by default: cdktf captures a stack trace for every token, and mapping each
// one costs ~20% of a synth. Stack traces of a bug: NODE_OPTIONS=--enable-source-maps.
// Run the bundle as the main module, as `node <file>` would (so `require.main === module` holds).
process.argv = [process.argv[0], outfile, ...args];
require("node:module").runMain();
