#!/usr/bin/env bash
# Renders the pull request's diff comment (Markdown) from scripts/plan-stacks.sh's files and the
# plan guard's summary. The first line is the marker the workflow finds the comment by.
#   usage: scripts/diff-comment.sh <plan-dir> <guard-output-file> <guard-exit-code>
set -euo pipefail

if [[ $# -ne 3 ]]; then
  echo "usage: $0 <plan-dir> <guard-output-file> <guard-exit-code>" >&2
  exit 2
fi
dir=$1 guard_output=$2 guard_code=$3
max_diff_chars=12000

echo "<!-- city-guided-infrastructure-diff -->"
echo "## Infrastructure diff"
echo
echo "| Stack | Result | Image tag used |"
echo "| --- | --- | --- |"
for status_file in "$dir"/*.status; do
  stack=$(basename "$status_file" .status)
  echo "| \`$stack\` | $(cat "$status_file") | $(cat "$dir/$stack.tag" 2>/dev/null || true) |"
done
echo
if [[ "$guard_code" == "0" ]]; then
  echo "### Plan guard: passed"
else
  echo "### Plan guard: FAILED (exit $guard_code)"
fi
echo
cat "$guard_output" 2>/dev/null || true
echo
for status_file in "$dir"/*.status; do
  stack=$(basename "$status_file" .status)
  echo "<details><summary><code>cdktf diff $stack</code></summary>"
  echo
  echo '```'
  # Colour codes off, and cut: a GitHub comment holds 65,536 characters in all.
  sed 's/\x1b\[[0-9;]*m//g' "$dir/$stack.diff.txt" | tail -c "$max_diff_chars"
  echo '```'
  echo "</details>"
done
echo
echo "_Commit ${GITHUB_SHA:-local}; updated by the pull-request workflow._"
