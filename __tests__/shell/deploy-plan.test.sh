#!/usr/bin/env bash
# Tests scripts/plan-deploy.sh and scripts/apply-plan.sh with a fake `terraform` whose saved plan
# is a recorded plan (__tests__/fixtures/plans): the guard judges the saved plan, a protected
# change stops the deploy unless named, and the apply applies exactly the file the guard judged.
# Run: npm run test:aws-scripts
set -euo pipefail
cd "$(dirname "$0")/../.."

work=$(mktemp -d)
trap 'rm -rf "$work" cdktf.out/stacks/deploy-plan-test' EXIT
mkdir -p "$work/bin" cdktf.out/stacks/deploy-plan-test
echo '{"variable": {"image_tag": {"type": "string"}}}' >cdktf.out/stacks/deploy-plan-test/cdk.tf.json
# The fake terraform logs "<command> <args...> tag=<TF_VAR_image_tag>"; `plan -out=F` writes F with
# FAKE_PLAN_CONTENT, `show -json` prints the recorded plan FAKE_PLAN_JSON.
cat >"$work/bin/terraform" <<'FAKE'
#!/usr/bin/env bash
dir=${1#-chdir=}
shift
echo "$* tag=${TF_VAR_image_tag-}" >>"$TF_LOG_FILE"
case $1 in
  init) [[ -f "$dir/.terraform.lock.hcl" ]] || echo "# lock" >"$dir/.terraform.lock.hcl"; mkdir -p "$dir/.terraform/providers" ;;
  plan) for arg in "$@"; do [[ $arg == -out=* ]] && echo "$FAKE_PLAN_CONTENT" >"$dir/${arg#-out=}"; done ;;
  show) cat "$FAKE_PLAN_JSON" ;;
  apply) echo "applied $*" ;;
esac
FAKE
chmod +x "$work/bin/terraform"
export PATH="$work/bin:$PATH" TF_LOG_FILE="$work/terraform.log" FAKE_PLAN_CONTENT="saved plan 1"
# shellcheck source=__tests__/shell/checks.sh disable=SC1091
source __tests__/shell/checks.sh
run() { # <expected exit> <log> <command...>
  local expected=$1 log=$2 code=0
  shift 2
  "$@" >"$log" 2>&1 || code=$?
  [[ $code -eq $expected ]] || { echo "  (exit $code, expected $expected; output in $log:)"; cat "$log"; return 1; }
}

export FAKE_PLAN_JSON=__tests__/fixtures/plans/image-rollout.json
check "an image rollout is planned and accepted" run 0 "$work/plan.log" scripts/plan-deploy.sh deploy-plan-test abc123 "$work/out"
check "planned with the tag, without the lock, into a saved plan" grep -q '^plan -input=false -no-color -lock=false -out=plan.tfplan tag=abc123$' "$TF_LOG_FILE"
check "the guard's summary names the images" grep -q 'image rollout only' "$work/out/guard.md"
check "the artifact holds the lock file and the plan, not the providers" test -f "$work/out/stack/.terraform.lock.hcl" -a -f "$work/out/stack/plan.tfplan" -a ! -e "$work/out/stack/.terraform"
sha=$(cut -d' ' -f1 "$work/out/plan.sha256")
check "the checksum is the saved plan's" test "$sha" = "$(sha256sum "$work/out/stack/plan.tfplan" | cut -d' ' -f1)"

: >"$TF_LOG_FILE"
check "the apply applies the guarded plan" run 0 "$work/apply.log" scripts/apply-plan.sh "$work/out/stack" "$sha"
check "exactly that plan file, providers from the unchanged lock file" test "$(cat "$TF_LOG_FILE")" = "init -input=false -no-color -lockfile=readonly tag=
apply -input=false -no-color plan.tfplan tag="

echo "another plan" >"$work/out/stack/plan.tfplan"
: >"$TF_LOG_FILE"
check "a plan file other than the guarded one is refused" run 1 "$work/apply.log" scripts/apply-plan.sh "$work/out/stack" "$sha"
check "with the reason" grep -q 'is not the plan the guard judged' "$work/apply.log"
check "and nothing is applied" test ! -s "$TF_LOG_FILE"
check "a checksum that is not one is a usage error" run 2 "$work/apply.log" scripts/apply-plan.sh "$work/out/stack" not-a-sha

export FAKE_PLAN_JSON=__tests__/fixtures/plans/protected-deletes.json
check "a protected deletion stops the deploy (exit 1)" run 1 "$work/plan.log" scripts/plan-deploy.sh deploy-plan-test abc123 "$work/out"
check "the summary says what is protected" grep -q 'Protected' "$work/out/guard.md"
overrides=$(jq -r '[.resource_changes[] | select((.change.actions | index("delete")) and (.mode == "managed")) | .address] | join(" ")' "$FAKE_PLAN_JSON")
# shellcheck disable=SC2086 # one address per word
check "naming every protected change lets it through" run 0 "$work/plan.log" scripts/plan-deploy.sh deploy-plan-test abc123 "$work/out" $overrides
check "a missing stack is a usage error" run 2 "$work/plan.log" scripts/plan-deploy.sh no-such-environment abc123 "$work/out"

finish deploy-plan
