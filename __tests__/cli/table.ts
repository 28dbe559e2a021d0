import { mkdirSync, existsSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { cleanEnvironment, closedPort, runEntry, scratch, SECRETS, SHARED_FILE, silentServer } from "./processes";

/**
 * One row per case a user can run into: the input, the exit code, the line the user sees. Every row
 * also checks that nothing prints a stack trace or a secret value. Add a row for a new case.
 */
export interface Case {
  readonly name: string;
  /** The entry point, as the npm script runs it (`node scripts/run-ts.js <entry>`). */
  readonly entry: string;
  readonly args?: readonly string[];
  /** env/ files; default: the shared file and an empty staging file. */
  readonly envFiles?: Record<string, string>;
  /** Other files of the scratch folder (plans, a manifest), by relative path. */
  readonly files?: Record<string, string>;
  /** Variables set (or, with undefined, removed) on top of a clean environment. */
  readonly variables?: (endpoints: Endpoints) => Record<string, string | undefined>;
  readonly code: number;
  /** The first line of stderr (a string must be a prefix of it), or of stdout when the command succeeds quietly. */
  readonly line: string | RegExp;
  /** Something stdout must contain. */
  readonly stdout?: string | RegExp;
  /** The documented bound for a case that waits on a hanging endpoint. */
  readonly maxSeconds?: number;
  /** True for a bug: the stack trace is then expected (everything else must have none). */
  readonly bug?: boolean;
  /** True when the command must not write cdktf.out. */
  readonly writesNothing?: boolean;
}

export interface Endpoints {
  /** Accepts connections, never answers. */
  readonly silent: string;
  /** Refuses connections. */
  readonly closed: string;
}

export const DEFAULT_ENV_FILES = { ".env": SHARED_FILE, ".env.staging": "" };

/** The first line the user reads: stderr's, else stdout's. */
function firstLine(stderr: string, stdout: string): string {
  const text = stderr.trim() !== "" ? stderr : stdout;
  return text.split("\n").find((line) => line.trim() !== "") ?? "";
}

/** Runs each case as a test: exit code, line, no stack trace, no secret, bounded time. */
export function describeCases(title: string, cases: readonly Case[]): void {
  describe(title, () => {
    // Started once, by the first case that runs (concurrent cases do not wait for beforeAll).
    let started: Promise<{ endpoints: Endpoints; close: () => Promise<void> }> | undefined;
    const servers = () =>
      (started ??= (async () => {
        const silent = await silentServer();
        return { endpoints: { silent: silent.url, closed: await closedPort() }, close: silent.close };
      })());
    afterAll(async () => {
      if (started) await (await started).close();
    });

    // Processes wait on I/O (and the hanging cases on their timeouts): a few at a time.
    test.concurrent.each(cases.map((row) => [row.name, row] as const))("%s", async (_name, row) => {
      const { endpoints } = await servers();
      const { dir, home } = scratch(row.envFiles ?? DEFAULT_ENV_FILES);
      for (const [path, text] of Object.entries(row.files ?? {})) {
        mkdirSync(dirname(join(dir, path)), { recursive: true });
        writeFileSync(join(dir, path), text);
      }
      const environment = cleanEnvironment(home, row.variables?.(endpoints));
      const result = await runEntry(row.entry, row.args ?? [], dir, environment);
      const wroteOutput = existsSync(join(dir, "cdktf.out"));
      rmSync(dir, { recursive: true, force: true });
      const seen = { code: result.code, line: firstLine(result.stderr, result.stdout) };
      const expected = { code: row.code, line: typeof row.line === "string" ? expect.stringMatching(new RegExp(`^${escape(row.line)}`)) : expect.stringMatching(row.line) };
      expect(seen).toEqual(expected);
      if (row.bug) expect(result.stderr).toMatch(/^\s+at /m);
      else expect(result.stderr).not.toMatch(/^\s+at /m);
      for (const secret of SECRETS) expect(result.stdout + result.stderr).not.toContain(secret);
      if (row.stdout) expect(result.stdout).toEqual(expect.stringMatching(row.stdout instanceof RegExp ? row.stdout : escape(row.stdout)));
      if (row.maxSeconds) expect(result.seconds).toBeLessThan(row.maxSeconds);
      if (row.writesNothing) expect(wroteOutput).toBe(false);
    });
  });
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
