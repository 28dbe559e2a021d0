import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

// Every action of another repository runs at a commit, not a tag: a tag can be moved to other code
// after review (GitHub's "Security hardening for GitHub Actions": pinning to a full-length commit
// SHA is the only way to use an action as an immutable release). The version stays readable in a
// comment, which is what Dependabot and zizmor read too.
const ROOT = join(__dirname, "..");
const FOLDERS = [".github/workflows", ".github/actions", "docs/examples"];
const PINNED = /^[\w.-]+\/[\w./-]+@[0-9a-f]{40} # v\d+(\.\d+){0,2}$/;
/**
 * The app repository calls this repository's reusable build workflow at main on purpose: the push
 * role's trust names that workflow at refs/heads/main (its job_workflow_ref), and main only changes
 * through reviewed pull requests. Only this exact call is exempt.
 */
const OWN_REUSABLE_WORKFLOW = "elzinko/city-guided-infrastructure/.github/workflows/build-images.yml@main";
const isExternal = (value: string) => !value.startsWith("./") && value !== OWN_REUSABLE_WORKFLOW;

function yamlFiles(folder: string): string[] {
  return readdirSync(join(ROOT, folder), { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && /\.ya?ml$/.test(entry.name))
    .map((entry) => join(entry.parentPath ?? (entry as unknown as { path: string }).path, entry.name));
}

/** Every `uses:` line of the workflows and composite actions: `file:line`, and what follows `uses:`. */
function usesLines(): { where: string; value: string }[] {
  return FOLDERS.flatMap(yamlFiles).flatMap((file) =>
    readFileSync(file, "utf8")
      .split("\n")
      .map((line, index) => ({ line, where: `${file.slice(ROOT.length + 1)}:${index + 1}` }))
      .filter(({ line }) => /^\s*(-\s+)?uses:/.test(line))
      .map(({ line, where }) => ({ where, value: line.replace(/^\s*(-\s+)?uses:\s*/, "").trim() })),
  );
}

describe("workflow action pins", () => {
  const uses = usesLines();

  test("the workflows use actions at all (the scan reads the right files)", () => {
    expect(uses.filter(({ value }) => isExternal(value)).length).toBeGreaterThan(10);
  });

  test("every action of another repository is pinned to a 40-hex commit with its version in a comment", () => {
    const unpinned = uses.filter(({ value }) => isExternal(value) && !PINNED.test(value));
    expect(unpinned).toEqual([]);
  });

  test("the check refuses a tag, a short SHA and a pin without its version", () => {
    for (const value of ["actions/checkout@v4.2.2", "actions/checkout@11bd719", "actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683"]) {
      expect(PINNED.test(value)).toBe(false);
    }
  });

  test("one action is pinned to one commit everywhere", () => {
    const commits = new Map<string, Set<string>>();
    for (const { value } of uses.filter(({ value }) => isExternal(value))) {
      const [action, rest] = value.split("@");
      commits.set(action, (commits.get(action) ?? new Set()).add(rest));
    }
    const inconsistent = [...commits].filter(([, pins]) => pins.size > 1).map(([action, pins]) => `${action}: ${[...pins].join(" | ")}`);
    expect(inconsistent).toEqual([]);
  });
});
