import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { createServer } from "node:net";
import { delimiter, dirname, join } from "node:path";

/** The moto version .ci/run and the pull request workflow install (the patches are written against it). */
const INSTALL_HINT = 'python3 -m venv .tools/moto && .tools/moto/bin/pip install "moto[server]==5.2.5"';
const STARTUP_TIMEOUT_MS = 30000;

/** The project's root: the nearest folder up with a package.json (this file also runs bundled, from dist/). */
export function projectRoot(from = __dirname): string {
  return existsSync(join(from, "package.json")) || dirname(from) === from ? from : projectRoot(dirname(from));
}

/** moto's server with the provider's gaps patched (see the file): started instead of `moto_server`. */
const PATCHED_SERVER = join(projectRoot(), "__tests__", "emulator", "moto_patched_server.py");

/** MOTO_SERVER, then the project's venv, then PATH. */
export function findMotoServer(environment: NodeJS.ProcessEnv = process.env): string {
  if (environment.MOTO_SERVER) {
    if (!existsSync(environment.MOTO_SERVER)) throw new Error(`MOTO_SERVER=${environment.MOTO_SERVER} does not exist`);
    return environment.MOTO_SERVER;
  }
  const local = join(projectRoot(), ".tools", "moto", "bin", "moto_server");
  if (existsSync(local)) return local;
  for (const folder of (environment.PATH ?? "").split(delimiter)) {
    if (folder && existsSync(join(folder, "moto_server"))) return join(folder, "moto_server");
  }
  throw new Error(`moto_server not found (MOTO_SERVER, .tools/moto/bin, PATH). Install it: ${INSTALL_HINT}`);
}

/** The Python that has moto installed: pip puts it beside the moto_server script it installs. */
function pythonOf(motoServer: string): string {
  for (const name of ["python", "python3"]) {
    const candidate = join(dirname(motoServer), name);
    if (existsSync(candidate)) return candidate;
  }
  throw new Error(`no python beside ${motoServer}: install moto in a venv or with pip (${INSTALL_HINT})`);
}

export function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once("error", fail);
    server.listen(0, "127.0.0.1", () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => done(port));
    });
  });
}

async function waitUntilAnswering(endpoint: string, child: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + STARTUP_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`moto server exited with ${child.exitCode}:\n${log()}`);
    try {
      const response = await fetch(`${endpoint}/moto-api/`);
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((wait) => setTimeout(wait, 200));
  }
  throw new Error(`moto server did not answer on ${endpoint} within ${STARTUP_TIMEOUT_MS / 1000} s:\n${log()}`);
}

export interface Emulator {
  readonly endpoint: string;
  readonly process: ChildProcess;
  /** The end of the server's stderr, for error messages. */
  log(): string;
  stop(): Promise<void>;
}

/** Starts the patched moto server on a free 127.0.0.1 port and waits until it answers. */
export async function startEmulator(extraEnvironment: NodeJS.ProcessEnv = {}): Promise<Emulator> {
  const python = pythonOf(findMotoServer());
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const child = spawn(python, [PATCHED_SERVER, "-H", "127.0.0.1", "-p", String(port)], {
    stdio: ["ignore", "ignore", "pipe"],
    env: { ...process.env, ...extraEnvironment },
  });
  let output = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000);
  });
  const emulator: Emulator = { endpoint, process: child, log: () => output, stop: () => stopProcess(child) };
  try {
    await waitUntilAnswering(endpoint, child, () => output);
  } catch (error) {
    child.kill();
    throw error;
  }
  return emulator;
}

export async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((done) => child.once("exit", done));
  child.kill("SIGTERM");
  const timeout = setTimeout(() => child.kill("SIGKILL"), 5000);
  await exited;
  clearTimeout(timeout);
}
