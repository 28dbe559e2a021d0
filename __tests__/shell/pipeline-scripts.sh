#!/usr/bin/env bash
# `npm run test:aws-scripts`: every test of the pipeline's shell scripts against fake npm, gh and
# terraform commands (the GHCR copy test, which needs crane, is `npm run test:copy-images`).
set -euo pipefail
cd "$(dirname "$0")"
failed=0
for test in plan-stacks deploy-plan github-deployments; do
  echo "== $test"
  bash "$test.test.sh" || failed=1
done
exit "$failed"
