#!/usr/bin/env bash
# Re-records the plan guard's real-plan fixtures (__tests__/fixtures/plans/image-rollout.json,
# no-changes.json, protected-deletes.json, registry-import.json) from a full `npm run test:apply` run: run it after a change
# to the stacks, then `npx jest __tests__/plan-guard.test.ts __tests__/apply-checks.test.ts`.
# Records only when every apply check passes. Needs what test:apply needs (terraform, moto, the provider
# from TF_PROVIDER_MIRROR or the registry).
set -euo pipefail
cd "$(dirname "$0")/.."
exec node scripts/run-ts.js __tests__/apply/run.ts --record
