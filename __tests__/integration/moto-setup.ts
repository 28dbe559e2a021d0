import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { createServer } from "node:net";
import { delimiter, join, resolve } from "node:path";

/** The moto version the docs and .ci/run install; other 5.x versions likely work too. */
const INSTALL_HINT = 'python3 -m venv .tools/moto && .tools/moto/bin/pip install "moto[server]==5.2.5"';
const STARTUP_TIMEOUT_MS = 30000;

/** MOTO_SERVER, then the project's venv, then PATH. */
export function findMotoServer(environment: NodeJS.ProcessEnv = process.env): string {
  if (environment.MOTO_SERVER) {
    if (!existsSync(environment.MOTO_SERVER)) throw new Error(`MOTO_SERVER=${environment.MOTO_SERVER} does not exist`);
    return environment.MOTO_SERVER;
  }
  const local = resolve(__dirname, "../../.tools/moto/bin/moto_server");
  if (existsSync(local)) return local;
  for (const folder of (environment.PATH ?? "").split(delimiter)) {
    if (folder && existsSync(join(folder, "moto_server"))) return join(folder, "moto_server");
  }
  throw new Error(`moto_server not found (MOTO_SERVER, .tools/moto/bin, PATH). Install it: ${INSTALL_HINT}`);
}

function freePort(): Promise<number> {
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
    if (child.exitCode !== null) throw new Error(`moto_server exited with ${child.exitCode}:\n${log()}`);
    try {
      const response = await fetch(`${endpoint}/moto-api/`);
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((wait) => setTimeout(wait, 200));
  }
  throw new Error(`moto_server did not answer on ${endpoint} within ${STARTUP_TIMEOUT_MS / 1000} s:\n${log()}`);
}

export default async function startMoto(): Promise<void> {
  const executable = findMotoServer();
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const child = spawn(executable, ["-H", "127.0.0.1", "-p", String(port)], {
    stdio: ["ignore", "ignore", "pipe"],
    // Services moto creates report this many running tasks (it starts none): see the status tests.
    env: { ...process.env, MOTO_ECS_SERVICE_RUNNING: "2" },
  });
  let output = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000);
  });
  try {
    await waitUntilAnswering(endpoint, child, () => output);
  } catch (error) {
    child.kill();
    throw error;
  }
  // Test workers are started after this and inherit the variable.
  process.env.MOTO_ENDPOINT = endpoint;
  // The tests' own SDK clients would print the SDK's Node 22 notice into every run's log.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
  (globalThis as { motoServer?: ChildProcess }).motoServer = child;
}
