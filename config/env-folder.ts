import { closeSync, constants, fstatSync, lstatSync, openSync, readdirSync, readFileSync, readlinkSync, statSync, type Stats } from "node:fs";
import { ConfigError, type ConfigProblem } from "./errors";

/**
 * Reading the env folder and its files, where every file-system fault is one configuration
 * problem naming the path, what is wrong and how to fix it: never a stack trace, never a hang.
 * Each path is checked with lstat/stat before it is opened, so a FIFO is never opened (reading
 * one blocks until a writer appears); the open itself is non-blocking and re-checked with fstat,
 * in case the file changed in between.
 */

const FOLDER_ROLE = "it must hold .env and one .env.<environment> per environment";

/** The names in the configuration folder, sorted; throws ConfigError when it cannot be listed. */
export function listEnvFolder(dir: string): string[] {
  try {
    return readdirSync(dir).sort();
  } catch (error) {
    throw new ConfigError([{ file: dir, rule: folderRule((error as NodeJS.ErrnoException).code ?? String(error), dir) }]);
  }
}

function folderRule(code: string, dir: string): string {
  if (code === "ENOENT") return `configuration folder not found: ${FOLDER_ROLE}`;
  if (code === "ENOTDIR") return `is not a folder: the configuration folder ${FOLDER_ROLE.replace("it must", "must")}`;
  if (code === "EACCES" || code === "EPERM") {
    return `configuration folder cannot be read (permission denied): let the user running this command list it (chmod u+rx ${dir})`;
  }
  return `configuration folder cannot be read (${code}): ${FOLDER_ROLE}`;
}

/** A file's text, or the problem that keeps it from being read. */
export function readEnvFile(file: string): { text: string } | { problem: ConfigProblem } {
  const unusable = checkPath(file);
  if (unusable) return { problem: { file, rule: unusable } };
  let descriptor: number | undefined;
  try {
    descriptor = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
    const kind = notRegular(fstatSync(descriptor));
    if (kind) return { problem: { file, rule: notRegularRule(kind) } };
    return { text: readFileSync(descriptor, "utf8") };
  } catch (error) {
    return { problem: { file, rule: systemErrorRule(error, file) } };
  } finally {
    if (descriptor !== undefined) closeSync(descriptor);
  }
}

/** Why a path cannot be an env file (a folder, a FIFO, a broken link...), or undefined if it can. */
function checkPath(file: string): string | undefined {
  let link: Stats;
  try {
    link = lstatSync(file);
  } catch (error) {
    return systemErrorRule(error, file);
  }
  let target: Stats;
  try {
    target = statSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (link.isSymbolicLink() && code === "ENOENT") {
      return `is a symbolic link to "${readlinkSync(file)}", which does not exist: fix the link or replace it with the file itself`;
    }
    if (code === "ELOOP") return "is a symbolic link that loops back on itself (ELOOP): replace it with a regular file";
    return systemErrorRule(error, file);
  }
  const kind = notRegular(target);
  return kind ? notRegularRule(kind) : undefined;
}

function notRegular(stats: Stats): string | undefined {
  if (stats.isFile()) return undefined;
  if (stats.isDirectory()) return "a folder";
  if (stats.isFIFO()) return "a FIFO (named pipe)";
  if (stats.isSocket()) return "a socket";
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return "a device";
  return "not a regular file";
}

function notRegularRule(kind: string): string {
  return `is ${kind}, not a regular file: an environment file must be a plain text file; remove it, or rename it so that its name does not start with .env`;
}

function systemErrorRule(error: unknown, file: string): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === "EACCES" || code === "EPERM") {
    return `cannot be read (permission denied): let the user running this command read it (chmod u+r ${file}) and list its folder`;
  }
  if (code === "EISDIR") return notRegularRule("a folder");
  if (code === "ENOENT") return "disappeared while it was being read: run the command again";
  if (code === "ELOOP") return "is a symbolic link that loops back on itself (ELOOP): replace it with a regular file";
  return `cannot be read (${code ?? String(error)}): check the file and its permissions`;
}
