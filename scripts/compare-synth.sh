#!/usr/bin/env bash
# Usage: scripts/compare-synth.sh [<git ref>]
# Synthesizes the stacks of this working tree (uncommitted changes included) and of <git ref>
# (default: the merge-base of HEAD and main), and compares them byte for byte. A refactoring that
# must not change behaviour passes when this prints IDENTICAL. Exit 0 when identical, 1 with the
# diff on stdout when not, 2 when the comparison cannot run (unknown ref, a synth that fails).
# The ref is checked out in a temporary git worktree that shares this tree's node_modules; both
# synths write to temporary folders, so this tree's cdktf.out is left as it was.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"

fail() {
  echo "compare-synth: $*" >&2
  exit 2
}

if [ $# -gt 1 ]; then
  fail "usage: scripts/compare-synth.sh [<git ref>]"
fi
if [ $# -eq 1 ]; then
  ref="$1"
else
  ref="$(git merge-base HEAD main 2>/dev/null)" || fail "no merge-base of HEAD and main: pass a git ref"
fi
commit="$(git rev-parse --verify --quiet "${ref}^{commit}")" || fail "unknown git ref: $ref"
[ -d node_modules ] || fail "node_modules is missing: run npm ci first"

scratch="$(mktemp -d)"
base="$scratch/base"
cleanup() {
  git -C "$root" worktree remove --force "$base" >/dev/null 2>&1 || true
  rm -rf "$scratch"
}
trap cleanup EXIT

git worktree add --quiet --detach "$base" "$commit" || fail "cannot check out $ref in a temporary worktree"
ln -s "$root/node_modules" "$base/node_modules"

# synth DIR OUT: the project's synth in DIR, written to OUT (App reads CDKTF_OUTDIR).
synth() {
  if ! (cd "$1" && CDKTF_OUTDIR="$2" CHECKPOINT_DISABLE=1 node scripts/run-ts.js main.ts >"$scratch/log" 2>&1); then
    cat "$scratch/log" >&2
    fail "synth failed in $1"
  fi
}
synth "$base" "$scratch/out-base"
synth "$root" "$scratch/out-head"

if diff -r "$scratch/out-base/stacks" "$scratch/out-head/stacks" >"$scratch/diff"; then
  echo "IDENTICAL (stacks of the working tree and of $ref, $(git rev-parse --short "$commit"))"
  exit 0
fi
# Paths in the diff are the temporary folders': name them after what they hold.
sed -e "s#$scratch/out-base#$ref#g" -e "s#$scratch/out-head#working-tree#g" "$scratch/diff"
exit 1
