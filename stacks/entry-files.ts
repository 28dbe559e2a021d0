import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import type { CaddyPin, EntryFiles } from "../constructs/entry-proxy";

/**
 * The repository's entry/ folder: found upwards from this file, which runs from stacks/ (jest,
 * tsc) or bundled in dist/ (scripts/run-ts.js).
 */
function entryFolder(): string {
  for (let folder = __dirname; ; folder = dirname(folder)) {
    if (existsSync(join(folder, "entry", "caddy-release.json"))) return join(folder, "entry");
    if (dirname(folder) === folder) throw new Error(`entry/caddy-release.json not found above ${__dirname}`);
  }
}

/** The files the proxy entry's instance runs, for one page language (entry/pages/<language>/). */
export function entryFiles(language: "fr" | "en"): EntryFiles {
  const folder = entryFolder();
  const read = (...path: string[]) => readFileSync(join(folder, ...path), "utf8");
  return {
    caddyfile: read("Caddyfile"),
    bootScript: read("boot.sh"),
    wakingPage: read("pages", language, "waking.html"),
    stoppedPage: read("pages", language, "stopped.html"),
  };
}

/**
 * entry/caddy-release.json as committed, parsed (of `folder`, default the repository's entry/):
 * the one reader of the pin. Its fields are checked by EntryProxy (what the instance uses) and by
 * __tests__/entry/caddy-pin.ts (the whole file).
 */
export function readCaddyRelease(folder: string = entryFolder()): unknown {
  return JSON.parse(readFileSync(join(folder, "caddy-release.json"), "utf8"));
}

/** The Caddy pin (entry/caddy-release.json): version and the arm64 archive's SHA-512. */
export function caddyPin(): CaddyPin {
  const release = readCaddyRelease() as { version: string; linux_arm64_sha512: string };
  return { version: release.version, sha512: release.linux_arm64_sha512 };
}
