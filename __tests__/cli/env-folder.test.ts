// Runs with the process tests (npm run test:cli): the permission cases start a child process as another user.
import { execFileSync, spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { buildSync } from "esbuild";
import { loadConfig } from "../../config/load";
import { MINIMAL_SHARED } from "../config-helpers";

/** A scratch env folder that any user may traverse (the unreadable cases run as another user). */
function envFolder(files: Record<string, string> = { ".env": MINIMAL_SHARED, ".env.staging": "" }): string {
  const root = mkdtempSync(join(tmpdir(), "city-guided-env-folder-"));
  chmodSync(root, 0o755);
  const dir = join(root, "env");
  mkdirSync(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

function loadError(dir: string): string {
  try {
    loadConfig(dir);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error("expected the configuration to be refused");
}

describe("file-system faults of the env folder are one configuration problem each", () => {
  test.each([
    ["an env file that is a folder", (dir: string) => mkdirSync(join(dir, ".env.qa")), ".env.qa: is a folder, not a regular file: an environment file must be a plain text file"],
    ["a FIFO, which is never opened (reading it would hang)", (dir: string) => execFileSync("mkfifo", [join(dir, ".env.qa")]), ".env.qa: is a FIFO (named pipe), not a regular file"],
    ["a dangling symbolic link", (dir: string) => symlinkSync("missing-file", join(dir, ".env.qa")), '.env.qa: is a symbolic link to "missing-file", which does not exist: fix the link'],
    ["a symbolic link loop", (dir: string) => symlinkSync(".env.qa", join(dir, ".env.qa")), ".env.qa: is a symbolic link that loops back on itself (ELOOP)"],
    ["a folder holding files, named like an environment", (dir: string) => mkdirSync(join(dir, ".env.d", "x"), { recursive: true }), ".env.d: is a folder, not a regular file"],
  ])("%s", (_, make, expected) => {
    const dir = envFolder();
    make(dir);
    const message = loadError(dir);
    expect(message).toContain(`${dir}/${expected}`);
    expect(message).toMatch(/^Invalid configuration \(1 problem\):\n {2}- [^\n]+$/);
  });

  test("a symbolic link to a regular file is read like the file", () => {
    const dir = envFolder({ ".env": MINIMAL_SHARED, "qa.txt": "INFRA_MIN_CAPACITY=1\n" });
    symlinkSync("qa.txt", join(dir, ".env.qa"));
    expect(loadConfig(dir).environments.map((environment) => [environment.name, environment.minCapacity])).toEqual([["qa", 1]]);
  });

  test("a shared .env that is a folder is named", () => {
    const dir = envFolder({ ".env.staging": "" });
    mkdirSync(join(dir, ".env"));
    expect(loadError(dir)).toContain(`${dir}/.env: is a folder, not a regular file`);
  });

  test("a configuration 'folder' that is a file is named", () => {
    const dir = envFolder();
    expect(loadError(join(dir, ".env"))).toContain(`${dir}/.env: is not a folder: the configuration folder must hold .env`);
  });
});

/**
 * Permission checks mean nothing to root, and CI runs as root: there the check runs in a child
 * process as the unprivileged user nobody (setpriv, util-linux). The child runs a bundle of the
 * loader written beside the scratch folder, as it cannot write into the repository.
 */
function loadAsUnprivilegedUser(dir: string): string {
  const bundle = join(dir, "..", "load-config.js");
  buildSync({
    stdin: { contents: `try { require(${JSON.stringify(resolve(__dirname, "..", "..", "config", "load.ts"))}).loadConfig(process.argv[2]); console.log("loaded"); } catch (error) { console.log(error.message); }`, resolveDir: __dirname, loader: "ts" },
    outfile: bundle,
    bundle: true,
    platform: "node",
    format: "cjs",
    logLevel: "error",
  });
  chmodSync(bundle, 0o644);
  const asRoot = process.getuid?.() === 0;
  const [command, ...args] = asRoot ? ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", process.execPath] : [process.execPath];
  const result = spawnSync(command, [...args, bundle, dir], { encoding: "utf8" });
  if (result.error || result.status !== 0) {
    throw new Error(`could not run the check as an unprivileged user (${command}): ${result.error?.message ?? result.stderr}`);
  }
  return result.stdout;
}

describe("unreadable env files and folders, checked as an unprivileged user", () => {
  test("an unreadable env file and an unreadable env folder each name the path and the fix", () => {
    const unreadableFile = envFolder();
    chmodSync(join(unreadableFile, ".env.staging"), 0o000);
    const unreadableFolder = envFolder();
    chmodSync(unreadableFolder, 0o000);
    const fileMessage = loadAsUnprivilegedUser(unreadableFile);
    const folderMessage = loadAsUnprivilegedUser(unreadableFolder);
    chmodSync(unreadableFolder, 0o755);
    expect(fileMessage).toContain(`${unreadableFile}/.env.staging: cannot be read (permission denied): let the user running this command read it (chmod u+r ${unreadableFile}/.env.staging)`);
    expect(folderMessage).toContain(`${unreadableFolder}: configuration folder cannot be read (permission denied): let the user running this command list it (chmod u+rx ${unreadableFolder})`);
    expect(folderMessage).not.toContain("not found");
  });
});
