#!/usr/bin/env bash
# Tests scripts/plan-stacks.sh against a fake `terraform` and a fake `npm` (no AWS account, no
# provider): which tag each stack is planned with, the files it writes, lock-free plans, and that a
# failing stack fails the run without stopping the others. Run: npm run test:aws-scripts
set -euo pipefail
cd "$(dirname "$0")/../.."

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/bin" "$work/stacks/registry" "$work/stacks/staging" "$work/stacks/qa"
# The fake terraform: logs "<chdir> <command> tag=<TF_VAR_image_tag> args=<TF_CLI_ARGS_plan>";
# FAKE_PLAN_<stack> is the plan's exit code (0 no changes, 2 changes, 1 error).
cat >"$work/bin/terraform" <<'FAKE'
#!/usr/bin/env bash
dir=${1#-chdir=} command=$2 stack=$(basename "${1#-chdir=}")
echo "$stack $command tag=${TF_VAR_image_tag-} args=${TF_CLI_ARGS_plan-}" >>"$TF_LOG_FILE"
case $command in
  init) echo "initialized" ;;
  plan) name="FAKE_PLAN_${stack//-/_}"; code=${!name-0}; echo "plan of $stack"; touch "$dir/plan.tfplan"; exit "$code" ;;
  show) echo '{"format_version":"1.2","resource_changes":[]}' ;;
esac
FAKE
# The fake npm answers `npm run -s running-tag -- <env> --region <region>` (ops/running-tag.ts, tested
# in __tests__/ops-running-tag.test.ts): FAKE_RUNNING_<env> is the tag, FAKE_RUNNING_FAILS_<env> a failure.
cat >"$work/bin/npm" <<'FAKE'
#!/usr/bin/env bash
echo "npm $*" >>"$NPM_LOG_FILE"
[[ "$1 $2 $3 $4" == "run -s running-tag --" && "$6 $7" == "--region eu-west-3" ]] || { echo "unexpected: npm $*" >&2; exit 64; }
name="FAKE_RUNNING_${5//-/_}" failing="FAKE_RUNNING_FAILS_${5//-/_}"
if [[ -n ${!failing-} ]]; then echo "error: Access denied: ${!failing}" >&2; exit 3; fi
if [[ -n ${!name-} ]]; then echo "${!name}"; fi
FAKE
chmod +x "$work/bin/terraform" "$work/bin/npm"
environment_stack() { # <name>
  jq -n --arg name "city-guided-$1" '{provider: {aws: [{region: "eu-west-3"}]}, variable: {image_tag: {type: "string"}},
    resource: {aws_ecs_cluster: {c: {name: $name}}, aws_ecs_service: {s: {name: $name}}}}' >"$work/stacks/$1/cdk.tf.json"
}
echo '{"provider": {"aws": [{"region": "eu-west-3"}]}, "resource": {"aws_ecr_repository": {}}}' >"$work/stacks/registry/cdk.tf.json"
environment_stack staging
environment_stack qa
export PATH="$work/bin:$PATH" TF_LOG_FILE="$work/terraform.log" NPM_LOG_FILE="$work/npm.log"
# shellcheck source=__tests__/shell/checks.sh disable=SC1091
source __tests__/shell/checks.sh

export FAKE_RUNNING_staging=abc123 FAKE_PLAN_staging=2
code=0
scripts/plan-stacks.sh "$work/stacks" "$work/out" >"$work/run.log" 2>&1 || code=$?
check "every plan ran: exit 0" test "$code" -eq 0
check "staging is planned with the tag it runs" grep -q '^staging plan tag=abc123 args=-lock=false$' "$TF_LOG_FILE"
check "a new environment is planned with staging's tag" grep -q '^abc123 (new environment: the tag staging runs)$' "$work/out/qa.tag"
check "the registry declares no image tag and gets none" grep -q '^registry plan tag=unused ' "$TF_LOG_FILE"
check "statuses: changes and no-changes" test "$(cat "$work/out/staging.status") $(cat "$work/out/qa.status")" = "changes no-changes"
check "each plan's JSON for the plan guard" test -s "$work/out/registry.plan.json"
check "the diff file holds the plan output" grep -q 'plan of staging' "$work/out/staging.diff.txt"

rm -rf "$work/out" && : >"$TF_LOG_FILE"
export FAKE_PLAN_qa=1
code=0
scripts/plan-stacks.sh "$work/stacks" "$work/out" >"$work/run.log" 2>&1 || code=$?
check "a failed plan fails the run" test "$code" -eq 1
check "and is marked error" grep -q '^error$' "$work/out/qa.status"
check "and the other stacks are still planned" grep -q '^staging plan ' "$TF_LOG_FILE"
check "no plan JSON for the failed stack" test ! -e "$work/out/qa.plan.json"
check "the running tag is asked of ops/ for each environment, never the registry" test "$(sort -u "$NPM_LOG_FILE" | tr '\n' ' ')" = "npm run -s running-tag -- qa --region eu-west-3 npm run -s running-tag -- staging --region eu-west-3 "

rm -rf "$work/out" && : >"$TF_LOG_FILE"
export FAKE_RUNNING_FAILS_qa=AccessDeniedException
code=0
scripts/plan-stacks.sh "$work/stacks" "$work/out" >"$work/run.log" 2>&1 || code=$?
check "a running tag that cannot be read fails that stack" test "$code" -eq 1 -a "$(cat "$work/out/qa.status")" = error
check "with the reason in its diff file, and no plan" grep -q 'AccessDeniedException' "$work/out/qa.diff.txt"
check "and no plan of it" test "$(grep -c '^qa ' "$TF_LOG_FILE")" -eq 0
unset FAKE_RUNNING_FAILS_qa

unset FAKE_RUNNING_staging FAKE_PLAN_qa
rm -rf "$work/out"
scripts/plan-stacks.sh "$work/stacks" "$work/out" >"$work/run.log" 2>&1
check "nothing runs anywhere: the placeholder tag" grep -q '^not-deployed ' "$work/out/staging.tag"
code=0
scripts/plan-stacks.sh "$work/empty" "$work/out" >/dev/null 2>&1 || code=$?
check "no stack: usage error (exit 2)" test "$code" -eq 2

finish plan-stacks
