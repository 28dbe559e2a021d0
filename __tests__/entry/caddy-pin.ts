// The Caddy pin, entry/caddy-release.json: the one place that names the Caddy version (the entry's
// instances install it, `.ci/run` builds it for `npm run test:entry`). Read and checked here for the
// tests; a malformed pin is an error that names the field and the rule.
import path from "node:path";
import { readCaddyRelease } from "../../stacks/entry-files";

export interface CaddyPin {
  /** A release version, x.y.z (no "v"), as in the release's file names. */
  readonly version: string;
  /** SHA-512 of caddy_<version>_linux_arm64.tar.gz: 128 lowercase hex digits. */
  readonly linux_arm64_sha512: string;
  /** Where the hash was read, and how to bump the pin. */
  readonly source: string;
}

export const CADDY_PIN_FILE = path.join("entry", "caddy-release.json");

/** The problems of a parsed pin file, one message each; empty when it is well formed. */
export function caddyPinProblems(pin: unknown): string[] {
  if (typeof pin !== "object" || pin === null || Array.isArray(pin)) return [`${CADDY_PIN_FILE}: not a JSON object`];
  const fields = pin as Record<string, unknown>;
  const problems: string[] = [];
  const expected = ["version", "linux_arm64_sha512", "source"];
  const unknown = Object.keys(fields).filter((key) => !expected.includes(key));
  if (unknown.length > 0) problems.push(`${CADDY_PIN_FILE}: unknown field(s) ${unknown.join(", ")}; expected ${expected.join(", ")}`);
  if (typeof fields.version !== "string" || !/^\d+\.\d+\.\d+$/.test(fields.version)) {
    problems.push(`${CADDY_PIN_FILE}: version ${JSON.stringify(fields.version)} is not a release version x.y.z (no "v")`);
  }
  if (typeof fields.linux_arm64_sha512 !== "string" || !/^[0-9a-f]{128}$/.test(fields.linux_arm64_sha512)) {
    problems.push(`${CADDY_PIN_FILE}: linux_arm64_sha512 must be 128 lowercase hex digits (the archive's SHA-512 from the release's checksums file)`);
  }
  if (typeof fields.source !== "string" || !fields.source.includes(`caddy_${String(fields.version)}_`)) {
    problems.push(`${CADDY_PIN_FILE}: source must say where the hash was read, naming caddy_${String(fields.version)}_linux_arm64.tar.gz`);
  }
  return problems;
}

/** The committed pin; throws with every problem when the file is malformed. */
export function readCaddyPin(root: string): CaddyPin {
  const pin = readCaddyRelease(path.join(root, path.dirname(CADDY_PIN_FILE)));
  const problems = caddyPinProblems(pin);
  if (problems.length > 0) throw new Error(problems.join("\n"));
  return pin as CaddyPin;
}

/** The command that builds the pinned version where the tests look for it first. */
export function caddyInstallCommand(pin: CaddyPin): string {
  return `GOBIN=$PWD/.tools/bin go install github.com/caddyserver/caddy/v2/cmd/caddy@v${pin.version}`;
}
