import { parse as parseDotenv } from "dotenv";
import type { ConfigProblem } from "./errors";
import { valueLooksSecret } from "./secrets";

/** One `KEY=value` assignment, with the line it came from (for error messages). */
export interface EnvEntry {
  readonly key: string;
  readonly value: string;
  readonly file: string;
  readonly line: number;
}

export interface ParsedEnvFile {
  readonly entries: ReadonlyMap<string, EnvEntry>;
  readonly problems: readonly ConfigProblem[];
}

const KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;
// One assignment a line: optional `export`, a key, `=`, then an unquoted value (with an optional
// ` # comment`) or a value quoted on one line with ', " or `.
const ASSIGNMENT = /^(?:export\s+)?([^=\s]+)\s*=(.*)$/;
const QUOTED = /^(['"`])(.*)\1(\s+#.*)?$/;
// Docker Compose's env-file rule: in an unquoted value, `#` starts a comment only when whitespace
// precedes it (https://docs.docker.com/compose/env-file/, "Inline comments for unquoted values must
// be preceded with a space"), so `COLOR=#ff0000` and `URL=https://example.com/#/home` stay whole
// and `KEY= # note` is empty.
const INLINE_COMMENT = /\s#.*$/;

/**
 * Parses a `.env` file strictly. dotenv's own parser skips lines it cannot read and keeps the last
 * of duplicate keys without a word; here both are errors with their line numbers. A quoted value is
 * decoded by dotenv itself (quotes, escapes). An unquoted value departs from dotenv, which cuts it
 * at any `#` (`COLOR=#ff0000` would become empty): a comment starts only after whitespace, as in
 * Docker Compose. Multi-line values are refused: an environment file is a list of short settings.
 */
export function parseEnvFile(text: string, file: string): ParsedEnvFile {
  const entries = new Map<string, EnvEntry>();
  const problems: ConfigProblem[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = index + 1;
    const trimmed = raw.trim();
    if (trimmed === "" || trimmed.startsWith("#")) return;
    const match = ASSIGNMENT.exec(trimmed);
    if (!match) {
      problems.push({ file, line, rule: "malformed line: expected KEY=value, a # comment or a blank line" });
      return;
    }
    const [, key, afterEquals] = match;
    const rest = afterEquals.trimStart();
    if (!KEY.test(key)) {
      problems.push({ file, line, key, rule: "malformed key: must be letters, digits and _, not starting with a digit" });
      return;
    }
    const quote = rest.charAt(0);
    const quoted = quote === '"' || quote === "'" || quote === "`";
    if (quoted && !QUOTED.test(rest)) {
      problems.push({ file, line, key, rule: `unterminated or multi-line quoted value: close the ${quote} on the same line` });
      return;
    }
    const previous = entries.get(key);
    if (previous) {
      problems.push({ file, line, key, rule: `duplicate key: already set on line ${previous.line}` });
      return;
    }
    const value = quoted ? (parseDotenv(`${key}=${rest}`)[key] ?? "") : afterEquals.replace(INLINE_COMMENT, "").trim();
    entries.set(key, { key, value, file, line });
  });
  return { entries, problems };
}

/** Where an entry is, for a problem message; the value is left out when it looks like a secret. */
export function problemAt(entry: EnvEntry, hideValue = false): Pick<ConfigProblem, "file" | "line" | "key" | "value" | "hideValue"> {
  const hide = hideValue || valueLooksSecret(entry.value, entry.key);
  return { file: entry.file, line: entry.line, key: entry.key, value: hide ? undefined : entry.value, hideValue: hide };
}
