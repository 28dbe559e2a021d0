import type { ChildProcess } from "node:child_process";

/** Stops the moto_server that globalSetup started (the same process holds both). */
export default async function stopMoto(): Promise<void> {
  const child = (globalThis as { motoServer?: ChildProcess }).motoServer;
  if (!child || child.exitCode !== null) return;
  const exited = new Promise((done) => child.once("exit", done));
  child.kill("SIGTERM");
  const timeout = setTimeout(() => child.kill("SIGKILL"), 5000);
  await exited;
  clearTimeout(timeout);
}
