import type { ChildProcess } from "node:child_process";
import { stopProcess } from "../emulator/moto";

/** Stops the moto server that globalSetup started (the same process holds both). */
export default async function stopMoto(): Promise<void> {
  const child = (globalThis as { motoServer?: ChildProcess }).motoServer;
  if (child) await stopProcess(child);
}
