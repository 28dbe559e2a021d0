import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync, copyFileSync, cpSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

/** Running the commands as a user does: child processes, in a scratch folder, with a clean environment. */

export const ROOT = resolve(__dirname, "..", "..");
const RUN_TS = join(ROOT, "scripts", "run-ts.js");

/** Values that must never appear in what a command prints. */
export const SECRETS = ["wJalrXUtnFEMI-secret-canary", "hunter2-canary", "hunter2-do-not-print"];

export interface ProcessResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly seconds: number;
}

/** No AWS variable of the machine leaks in: dummy keys (the secret a canary), no instance metadata. */
export function cleanEnvironment(home: string, extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const environment: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: home,
    CI: "true",
    CHECKPOINT_DISABLE: "1",
    npm_config_update_notifier: "false",
    AWS_ACCESS_KEY_ID: "AKIAIOSFODNN7EXAMPLE",
    AWS_SECRET_ACCESS_KEY: SECRETS[0],
    AWS_EC2_METADATA_DISABLED: "true",
  };
  for (const [key, value] of Object.entries(extra)) {
    if (value === undefined) delete environment[key];
    else environment[key] = value;
  }
  return environment;
}

/** Runs `command args...` in `cwd`; the time limit kills a hang (and the test then fails on its exit code). */
export function runProcess(command: string, args: readonly string[], cwd: string, environment: NodeJS.ProcessEnv, limitSeconds = 50): Promise<ProcessResult> {
  const started = Date.now();
  return new Promise((done) => {
    execFile(command, [...args], { cwd, env: environment, encoding: "utf8", timeout: limitSeconds * 1000, killSignal: "SIGKILL" }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === "number" ? error.code : null) : 0;
      done({ code, stdout, stderr, seconds: (Date.now() - started) / 1000 });
    });
  });
}

/** `node scripts/run-ts.js <entry> args...`: what every npm script of the project runs. */
export function runEntry(entry: string, args: readonly string[], cwd: string, environment: NodeJS.ProcessEnv, limitSeconds?: number): Promise<ProcessResult> {
  return runProcess(process.execPath, [RUN_TS, join(ROOT, entry), ...args], cwd, environment, limitSeconds);
}

export const SHARED_FILE = "INFRA_STATE_BUCKET=city-guided-test-state\n";

/** A scratch folder with env/ holding the given files (the shared file and staging by default) and an empty home. */
export function scratch(files: Record<string, string> = { ".env": SHARED_FILE, ".env.staging": "" }): { dir: string; home: string } {
  const dir = mkdtempSync(join(tmpdir(), "city-guided-cli-"));
  mkdirSync(join(dir, "env"));
  mkdirSync(join(dir, "home"));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, "env", name), text);
  return { dir, home: join(dir, "home") };
}

/** A copy of the project as a user's clone looks to npm: package.json and README copied, the code linked. */
export function projectCopy(): { dir: string; home: string } {
  const { dir, home } = scratch();
  for (const linked of ["node_modules", "scripts", "cli", "config", "constructs", "stacks", "policy", "ops", "main.ts", "cdktf.json", "tsconfig.json", "docs"]) {
    symlinkSync(join(ROOT, linked), join(dir, linked));
  }
  for (const copied of ["package.json", "README.md"]) copyFileSync(join(ROOT, copied), join(dir, copied));
  cpSync(join(ROOT, "env"), join(dir, "env"), { recursive: true });
  return { dir, home };
}

/** A local TCP server that accepts connections and never answers: an endpoint that hangs. */
export async function silentServer(): Promise<{ url: string; close: () => Promise<void> }> {
  const sockets = new Set<import("node:net").Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((listening) => server.listen(0, "127.0.0.1", listening));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((closed) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => closed());
      }),
  };
}

/** A port on 127.0.0.1 where nothing listens (bound, then released). */
export async function closedPort(): Promise<string> {
  const server = createServer();
  await new Promise<void>((listening) => server.listen(0, "127.0.0.1", listening));
  const { port } = server.address() as { port: number };
  await new Promise((closed) => server.close(closed));
  return `http://127.0.0.1:${port}`;
}
