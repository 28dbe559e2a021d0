import { startEmulator } from "../emulator/moto";

/** jest globalSetup: the patched moto server (__tests__/emulator) that the apply test uses too. */
export default async function startMoto(): Promise<void> {
  // Services moto creates report this many running tasks (it starts none): see the status tests.
  const emulator = await startEmulator({ MOTO_ECS_SERVICE_RUNNING: "2" });
  // Test workers are started after this and inherit the variable.
  process.env.MOTO_ENDPOINT = emulator.endpoint;
  // The tests' own SDK clients would print the SDK's Node 22 notice into every run's log.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
  (globalThis as { motoServer?: unknown }).motoServer = emulator.process;
}
