import type { EnvEntry } from "./env-file";
import { formatProblem, type ConfigProblem } from "./errors";

/**
 * Every environment inherits the shared file's entries. Each shared entry is checked once: its
 * result is kept for the next environments, and its problems are reported once, where the first
 * environment that inherits it is checked (the order problems have always come in). Problems of
 * an environment's own entries are its own.
 */
export class SharedValidation {
  private readonly results = new WeakMap<EnvEntry, unknown>();
  private readonly reported = new Set<string>();

  constructor(readonly file: string) {}

  /** `check(entry, problems)`, run once for an entry of the shared file and every time for another's. */
  entry<T>(entry: EnvEntry, problems: ConfigProblem[], check: (entry: EnvEntry, problems: ConfigProblem[]) => T): T {
    if (entry.file !== this.file) return check(entry, problems);
    if (this.results.has(entry)) return this.results.get(entry) as T;
    const result = check(entry, problems);
    this.results.set(entry, result);
    return result;
  }

  /**
   * A rule of an environment's combined values (keys together, container variables together) may
   * break on the shared file's entries alone, the same for every environment that inherits them:
   * a problem located in the shared file is reported for the first one only.
   */
  report(problems: ConfigProblem[], found: readonly ConfigProblem[]): void {
    for (const problem of found) {
      if (problem.file === this.file) {
        const text = formatProblem(problem);
        if (this.reported.has(text)) continue;
        this.reported.add(text);
      }
      problems.push(problem);
    }
  }
}
