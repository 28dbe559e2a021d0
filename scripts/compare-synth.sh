#!/usr/bin/env bash
# Usage: scripts/compare-synth.sh [--env <folder>] [<git ref>]
# Synthesizes the stacks of this working tree (uncommitted changes included) and of <git ref>
# (default: the merge-base of HEAD and main), and compares them byte for byte. A refactoring that
# must not change behaviour passes when this prints IDENTICAL. Exit 0 when identical, 1 with the
# diff on stdout when not, 2 when the comparison cannot run (unknown ref, a synth that fails).
# --env: both synths read that folder instead of env/ (e.g. __tests__/fixtures/compare-env, which
# turns on the options the committed files leave off).
# The ref is checked out in a temporary git worktree that shares this tree's node_modules; both
# synths write to temporary folders, so this tree's cdktf.out is left as it was.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"

fail() {
  echo "compare-synth: $*" >&2
  exit 2
}

usage="usage: scripts/compare-synth.sh [--env <folder>] [<git ref>]"
env_folder=""
if [ "${1:-}" = "--env" ]; then
  [ $# -ge 2 ] || fail "$usage"
  [ -d "$2" ] || fail "no such env folder: $2"
  env_folder="$(cd "$2" && pwd)"
  shift 2
fi
if [ $# -gt 1 ]; then
  fail "$usage"
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
trap 'git -C "$root" worktree remove --force "$base" >/dev/null 2>&1 || true; rm -rf "$scratch"' EXIT

git worktree add --quiet --detach "$base" "$commit" || fail "cannot check out $ref in a temporary worktree"
ln -s "$root/node_modules" "$base/node_modules"

# The synth reads ./env: with --env, it runs in a folder that holds a copy of the given one.
run_dir() {
  if [ -z "$env_folder" ]; then
    echo "$1"
    return
  fi
  local dir
  dir="$(mktemp -d "$scratch/run.XXXXXX")"
  cp -R "$env_folder" "$dir/env"
  echo "$dir"
}

# synth TREE OUT: the synth of TREE's main.ts, written to OUT (App reads CDKTF_OUTDIR).
synth() {
  local dir
  dir="$(run_dir "$1")"
  if ! (cd "$dir" && CDKTF_OUTDIR="$2" CHECKPOINT_DISABLE=1 node "$1/scripts/run-ts.js" "$1/main.ts" >"$scratch/log" 2>&1); then
    cat "$scratch/log" >&2
    fail "synth failed in $1"
  fi
}
synth "$base" "$scratch/out-base"
synth "$root" "$scratch/out-head"

if diff -r "$scratch/out-base/stacks" "$scratch/out-head/stacks" >"$scratch/diff"; then
  echo "IDENTICAL (stacks of the working tree and of $ref, $(git rev-parse --short "$commit")${env_folder:+, from $env_folder})"
  exit 0
fi
# Paths in the diff are the temporary folders': name them after what they hold.
sed -e "s#$scratch/out-base#$ref#g" -e "s#$scratch/out-head#working-tree#g" "$scratch/diff"
exit 1
