#!/usr/bin/env bash
# Lints every GitHub Actions workflow with actionlint (which runs shellcheck on `run:` scripts)
# and every shell script under scripts/, __tests__/shell/ and entry/ with shellcheck. Any finding fails.
# actionlint: .tools/bin/actionlint (GOBIN=$PWD/.tools/bin go install github.com/rhysd/actionlint/cmd/actionlint@v1.7.12)
# or on PATH; shellcheck: Debian's package.
set -euo pipefail
cd "$(dirname "$0")/.."

actionlint=.tools/bin/actionlint
if [[ ! -x "$actionlint" ]]; then
  actionlint=$(command -v actionlint || true)
fi
if [[ -z "$actionlint" ]]; then
  echo "actionlint not found: GOBIN=\$PWD/.tools/bin go install github.com/rhysd/actionlint/cmd/actionlint@v1.7.12" >&2
  exit 2
fi
if ! command -v shellcheck >/dev/null; then
  echo "shellcheck not found: apt-get install -y shellcheck" >&2
  exit 2
fi

shopt -s nullglob
# docs/examples/: workflows the docs tell another repository to use, linted like our own.
workflows=(.github/workflows/*.yml .github/workflows/*.yaml docs/examples/*.yml)
scripts=(scripts/*.sh __tests__/shell/*.sh entry/*.sh)
status=0
echo "actionlint on ${#workflows[@]} workflow(s)"
"$actionlint" -shellcheck "$(command -v shellcheck)" "${workflows[@]}" || status=1
echo "shellcheck on ${#scripts[@]} script(s)"
if [[ ${#scripts[@]} -gt 0 ]]; then
  shellcheck --severity=style "${scripts[@]}" || status=1
fi
exit "$status"
