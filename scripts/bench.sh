#!/usr/bin/env bash
# Prints the synth figures the README promises: median of N runs (default 5) of wall time and peak
# RSS for `npm run synth`, the cdktf.json app command alone, `npx cdktf synth`, the cdktf CLI with
# an empty app (its fixed cost), and the extra time per added environment. A benchmark, not a test:
# it prints figures and fails only when a command fails.
set -euo pipefail
cd "$(dirname "$0")/.."

runs="${BENCH_RUNS:-5}"
extra_environments="${BENCH_EXTRA_ENVIRONMENTS:-32}"
export CHECKPOINT_DISABLE=1 DISABLE_VERSION_CHECK=true
gnu_time=/usr/bin/time
if ! "$gnu_time" -f "%e" true >/dev/null 2>&1; then
  echo "bench: GNU time is required (Debian package: time)" >&2
  exit 1
fi
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT

# measure LABEL DIR COMMAND...: runs COMMAND in DIR $runs times; prints and records the medians.
measure() {
  local label="$1" dir="$2"
  shift 2
  local samples="$scratch/samples"
  : >"$samples"
  for _ in $(seq "$runs"); do
    if ! (cd "$dir" && "$gnu_time" -f "%e %M" -o "$scratch/one" "$@" >"$scratch/out" 2>&1); then
      if [ "${ALLOW_FAILURE:-0}" != 1 ]; then
        echo "bench: '$*' failed:" >&2
        cat "$scratch/out" >&2
        exit 1
      fi
    fi
    tail -n 1 "$scratch/one" >>"$samples"
  done
  local wall rss
  wall=$(sort -n -k1,1 "$samples" | awk -v n="$runs" 'NR == int((n + 1) / 2) { print $1 }')
  rss=$(sort -n -k2,2 "$samples" | awk -v n="$runs" 'NR == int((n + 1) / 2) { printf "%.0f", $2 / 1024 }')
  printf '%-48s %7.2f s %7s MB\n' "$label" "$wall" "$rss"
  last_wall="$wall"
}

echo "median of $runs runs on $(nproc) cores, node $(node --version)"
printf '%-48s %9s %10s\n' "command" "wall" "peak RSS"
app_command="$(node -p 'require("./cdktf.json").app')"
# shellcheck disable=SC2086 # the app command is a command line, split on purpose
measure "npm run synth (all stacks)" . npm run --silent synth
# shellcheck disable=SC2086
measure "cdktf.json app alone ($app_command)" . $app_command
measure "npx cdktf synth (all stacks)" . npx --no-install cdktf synth --output cdktf.out
cli_total="$last_wall"

# The CLI's own cost: an app that synthesizes nothing (the CLI then reports no stacks).
mkdir -p "$scratch/empty"
printf '{"language":"typescript","app":"node -e \\"\\"","sendCrashReports":"false"}\n' >"$scratch/empty/cdktf.json"
ALLOW_FAILURE=1 measure "cdktf CLI with an empty app" "$scratch/empty" "$PWD/node_modules/.bin/cdktf" synth
echo "  -> npx cdktf synth costs $(awk -v a="$cli_total" -v b="$last_wall" 'BEGIN { printf "%.2f", a - b }') s more than the empty app"

# Per environment: the same app over a copy of env/ with $extra_environments more environments.
mkdir -p "$scratch/more/env"
cp env/.env env/.env.* "$scratch/more/env/"
measure "app, $(find env -name '.env.*' | wc -l) environments" "$scratch/more" node "$PWD/scripts/run-ts.js" "$PWD/main.ts"
base_wall="$last_wall"
# Same-length names: no environment name is a prefix of another (deploy roles deny such pairs).
for index in $(seq -w "$extra_environments"); do cp env/.env.staging "$scratch/more/env/.env.bench$index"; done
measure "app, $extra_environments more environments" "$scratch/more" node "$PWD/scripts/run-ts.js" "$PWD/main.ts"
echo "  -> $(awk -v a="$last_wall" -v b="$base_wall" -v n="$extra_environments" 'BEGIN { printf "%.1f", (a - b) * 1000 / n }') ms per extra environment"
