#!/usr/bin/env bash
# Tests scripts/copy-images.sh against a real registry (`crane registry serve`, in memory, on
# localhost: crane speaks plain HTTP to localhost), with no network and no Docker:
# newest-N by config creation time, oldest-first order, excluded tags, digest preservation of a
# single image and of a multi-platform index, skip of present tags, a tag holding another digest,
# explicit tags, a missing tag, and the Markdown summary.
# Needs crane (CRANE, else .tools/bin/crane, else PATH) and jq. Run: npm run test:copy-images
set -euo pipefail
cd "$(dirname "$0")/../.."

CRANE=${CRANE:-.tools/bin/crane}
[[ -x $CRANE ]] || CRANE=$(command -v crane || true)
if [[ -z $CRANE ]]; then
  echo "crane not found: GOBIN=\$PWD/.tools/bin go install github.com/google/go-containerregistry/cmd/crane@v0.22.1" >&2
  exit 2
fi
CRANE=$(realpath "$CRANE")
export CRANE

work=$(mktemp -d)
cleanup() {
  [[ -n ${registry_pid:-} ]] && kill "$registry_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

# A free port, then the registry on it.
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$CRANE" registry serve --address "127.0.0.1:$port" >"$work/registry.log" 2>&1 &
registry_pid=$!
for _ in $(seq 50); do
  "$CRANE" catalog "localhost:$port" >/dev/null 2>&1 && break
  sleep 0.1
done

registry="localhost:$port"
source="$registry/elzinko/city-guided-api"
target="$registry/city-guided-api"
# shellcheck source=__tests__/shell/checks.sh disable=SC1091
source __tests__/shell/checks.sh

# <tag> <created> [platform] [repository]: a one-layer image whose config says when it was built.
image() {
  local tag=$1 created=$2 platform=${3:-linux/amd64} repository=${4:-$source} reference
  echo "$tag $platform" >"$work/file"
  tar -C "$work" -czf "$work/layer.tgz" file
  reference=$("$CRANE" append -f "$work/layer.tgz" -t "$repository:$tag" 2>/dev/null)
  "$CRANE" config "$reference" | jq -c --arg created "$created" --arg os "${platform%/*}" --arg arch "${platform#*/}" \
    '.created = $created | .os = $os | .architecture = $arch' |
    "$CRANE" edit config "$repository:$tag" -t "$repository:$tag" >/dev/null 2>&1
}

image sha-old 2024-01-01T00:00:00Z
image sha-mid 2024-02-01T00:00:00.123456789Z
image sha-new 2024-03-01T00:00:00Z
image latest 2024-04-01T00:00:00Z
# A multi-platform index, the newest of all: its age is read from the linux/amd64 child.
image amd64 2024-05-01T00:00:00Z linux/amd64 "$registry/scratch"
image arm64 2020-01-01T00:00:00Z linux/arm64 "$registry/scratch"
"$CRANE" index append -m "$registry/scratch:amd64" -m "$registry/scratch:arm64" -t "$source:sha-multi" >/dev/null 2>&1

run() { # <name> <args...>: runs the script, keeping stdout, summary and exit code
  local name=$1
  shift
  set +e
  SUMMARY_FILE="$work/$name.md" scripts/copy-images.sh "$@" >"$work/$name.out" 2>"$work/$name.err"
  echo $? >"$work/$name.code"
  set -e
}
line_of() { grep -E "^$2 " "$work/$1.out" || true; }

run first "$source" "$target" 3
check "first run exits 0" test "$(cat "$work/first.code")" = 0
check "the 3 newest eligible tags are copied (latest is excluded; the index counts by its amd64 image)" \
  test "$("$CRANE" ls "$target" | sort | tr '\n' ' ')" = "sha-mid sha-multi sha-new "
check "copied oldest first" test "$(grep -oE '^sha-[a-z]+' "$work/first.out" | tr '\n' ' ')" = "sha-mid sha-new sha-multi "
check "digests are preserved (single image)" test "$("$CRANE" digest "$target:sha-new")" = "$("$CRANE" digest "$source:sha-new")"
check "digests are preserved (index)" test "$("$CRANE" digest "$target:sha-multi")" = "$("$CRANE" digest "$source:sha-multi")"
check "the index keeps both platforms" test "$("$CRANE" manifest "$target:sha-multi" | jq '.manifests | length')" = 2
check "each copy is reported" grep -q "^sha-new .*copied" "$work/first.out"
check "totals are printed" grep -qx "copied 3, skipped 0, left alone 0, failed 0" "$work/first.out"
check "the summary is a Markdown table" grep -qF "| \`sha-new\` | copied | \`sha256:" "$work/first.md"

run second "$source" "$target" 4
check "second run exits 0" test "$(cat "$work/second.code")" = 0
check "present tags are skipped" grep -q "^sha-new .*skipped: already present" "$work/second.out"
check "only the missing one is copied" grep -qx "copied 1, skipped 3, left alone 0, failed 0" "$work/second.out"

# A tag that already exists in the target with other content (ECR would refuse to overwrite it).
image other 2023-01-01T00:00:00Z
"$CRANE" copy "$source:other" "$target:sha-x" >/dev/null 2>&1
image sha-x 2024-06-01T00:00:00Z
run differs "$source" "$target" 1 sha-x
check "a tag holding another digest is left alone, exit 0" test "$(cat "$work/differs.code")" = 0
check "and reported" grep -q "^sha-x .*left alone: the target holds another digest" "$work/differs.out"
check "and not overwritten" test "$("$CRANE" digest "$target:sha-x")" = "$("$CRANE" digest "$source:other")"

run explicit "$source" "$target" 1 latest missing-tag
check "explicit tags are copied even if excluded from the count" test "$("$CRANE" digest "$target:latest")" = "$("$CRANE" digest "$source:latest")"
check "a missing source tag fails the run (exit 1)" test "$(cat "$work/explicit.code")" = 1
check "and is reported" grep -q "^missing-tag .*failed: not found in the source" "$work/explicit.out"

run unlisted "$registry/nobody/nothing" "$target" 2
check "a source that cannot be listed exits 2" test "$(cat "$work/unlisted.code")" = 2
check "with a reason" grep -q "cannot list the tags of $registry/nobody/nothing" "$work/unlisted.err"

run usage "$source" "$target" zero
check "a bad count exits 2" test "$(cat "$work/usage.code")" = 2

finish copy-images
