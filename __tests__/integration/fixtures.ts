import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

export const REGION = "eu-west-3";
const ROOT = resolve(__dirname, "../..");

/** The emulator globalSetup started; the SDK reaches it through AWS_ENDPOINT_URL. */
export function motoEndpoint(): string {
  const endpoint = process.env.MOTO_ENDPOINT;
  if (!endpoint) throw new Error("MOTO_ENDPOINT is not set: run these tests with `npm run test:integration`");
  return endpoint;
}

/** The environment the commands run with: moto's endpoint, dummy credentials, no CI spinner. */
export function awsEnvironment(overrides: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const environment: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: mkdtempSync(join(tmpdir(), "ops-home-")),
    AWS_ENDPOINT_URL: motoEndpoint(),
    AWS_ACCESS_KEY_ID: "testing",
    AWS_SECRET_ACCESS_KEY: "testing",
    AWS_REGION: REGION,
    AWS_EC2_METADATA_DISABLED: "true",
    CI: "true",
    ...overrides,
  };
  for (const [key, value] of Object.entries(environment)) if (value === undefined) delete environment[key];
  return environment;
}

/** Client options for the tests' own SDK calls (setting up and reading back state). */
export function clientOptions(region = REGION) {
  return { region, endpoint: motoEndpoint(), forcePathStyle: true, credentials: { accessKeyId: "testing", secretAccessKey: "testing" } };
}

/** A configuration folder like env/: a shared file and one file per environment. */
export function writeConfig(shared: string, environments: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "ops-env-"));
  writeFileSync(join(dir, ".env"), shared);
  for (const [name, text] of Object.entries(environments)) writeFileSync(join(dir, `.env.${name}`), text);
  return dir;
}

export interface CommandResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `node scripts/run-ts.js ops/<command>.ts ...args` as users do, and returns what they see. */
export function runCommand(command: "bootstrap" | "status" | "running-tag" | "promote", args: readonly string[], environment = awsEnvironment()): CommandResult {
  const result = spawnSync(process.execPath, [join("scripts", "run-ts.js"), join("ops", `${command}.ts`), ...args], { cwd: ROOT, env: environment, encoding: "utf8", timeout: 45000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Empties the emulator so each test file starts from nothing. */
export async function resetMoto(): Promise<void> {
  const response = await fetch(`${motoEndpoint()}/moto-api/reset`, { method: "POST" });
  if (!response.ok) throw new Error(`moto reset failed: ${response.status}`);
}

/** runCommand without blocking this process: for tests that serve something (a site) the command requests. */
export function runCommandAsync(command: "status", args: readonly string[], environment = awsEnvironment()): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join("scripts", "run-ts.js"), join("ops", `${command}.ts`), ...args], { cwd: ROOT, env: environment, timeout: 45000 });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}
