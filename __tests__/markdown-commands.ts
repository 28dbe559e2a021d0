import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

/**
 * The `npm run ...` command lines of README.md and docs/*.md, as a reader would copy them: from
 * code blocks (one command per line, a trailing `# comment` dropped) and inline code spans, split
 * at `&&`, `||`, `;` and pipes, leading `VAR=value` assignments dropped.
 */

const ROOT = join(__dirname, "..");

export interface MarkdownCommand {
  readonly file: string;
  readonly line: string;
}

export function markdownFiles(): string[] {
  return ["README.md", ...readdirSync(join(ROOT, "docs")).filter((name) => name.endsWith(".md")).map((name) => join("docs", name))];
}

function snippets(markdown: string): string[] {
  const found: string[] = [];
  let inBlock = false;
  for (const line of markdown.split("\n")) {
    if (line.trimStart().startsWith("```")) {
      inBlock = !inBlock;
      continue;
    }
    if (inBlock) found.push(line.replace(/\s+#.*$/, ""));
    else for (const match of line.matchAll(/`([^`]+)`/g)) found.push(match[1]);
  }
  return found;
}

export function npmRunCommands(): MarkdownCommand[] {
  const commands: MarkdownCommand[] = [];
  for (const file of markdownFiles()) {
    for (const snippet of snippets(readFileSync(join(ROOT, file), "utf8"))) {
      for (const part of snippet.split(/&&|\|\||;|\|/)) {
        const line = part.trim().replace(/^(?:[A-Za-z_][A-Za-z0-9_]*=\S*\s+)+/, "");
        // A bare `npm run` is prose about the command, not a command line.
        if (/^npm run\s+\S/.test(line)) commands.push({ file, line });
      }
    }
  }
  return commands;
}

/** The script a line runs and the words after it, up to a shell redirection. */
export function parseNpmRun(line: string): { script?: string; rest: string[] } {
  const words = line.split(/\s+/).slice(2);
  const scriptIndex = words.findIndex((word) => !word.startsWith("-"));
  if (scriptIndex < 0) return { rest: [] };
  const rest = words.slice(scriptIndex + 1);
  const redirect = rest.findIndex((word) => /^\d?>/.test(word));
  return { script: words[scriptIndex], rest: redirect < 0 ? rest : rest.slice(0, redirect) };
}

/**
 * Why npm would not pass the line's flags to the script, or undefined: npm keeps every flag before
 * `--` for itself (`npm run bootstrap --fix` runs bootstrap without --fix), also one the reader may
 * leave out (`[-- <env>] [--fix]`).
 */
export function flagProblem(rest: readonly string[]): string | undefined {
  const firstFlag = rest.find((word) => word.replace(/^\[/, "").startsWith("-"));
  if (firstFlag === undefined || firstFlag === "--") return undefined;
  return firstFlag.startsWith("[") ? `"${firstFlag}" is optional: the flags after it would go to npm when it is left out` : `"${firstFlag}" comes before "--": npm takes it for itself`;
}
