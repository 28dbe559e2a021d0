#!/usr/bin/env bash
# Plans synthesized stacks against the real infrastructure, read-only, with Terraform itself (no
# cdktf, no project code: the pull request workflow runs this from the base branch on stacks that
# the pull request synthesized, after policy/stack-input.ts accepted them). Each environment is
# planned with the image tag it runs now, so a diff shows infrastructure changes and no image-tag
# churn; a new environment (no service yet) with staging's running tag (what would be deployed
# next), else the placeholder "not-deployed". For each stack it writes:
#   <out>/<stack>.diff.txt    the plan as Terraform prints it (or the error)
#   <out>/<stack>.tag         the image tag used and why
#   <out>/<stack>.status      "changes", "no-changes" or "error"
#   <out>/<stack>.plan.json   `terraform show -json` of the plan (for the plan guard)
# A stack whose plan fails at any step (its running tag, init, the plan, the JSON) gets "error" and
# the error in its diff file; the other stacks are still planned.
# Exit code: 0 when every plan ran (changes or not), 1 when a plan failed, 2 usage.
#   usage: scripts/plan-stacks.sh <stacks-dir holding <stack>/cdk.tf.json> <out-dir>
set -euo pipefail

if [[ $# -ne 2 ]]; then
  echo "usage: $0 <stacks-dir> <out-dir>" >&2
  exit 2
fi
stacks_dir=$1 out=$2
mkdir -p "$out"
root=$(cd "$(dirname "$0")/.." && pwd)
export CHECKPOINT_DISABLE=1 TF_IN_AUTOMATION=1
# Plans never take the state lock: a plan only reads the state, and the plan role (assumable by any
# same-repository pull request) must not be able to write or delete a stack's `.tflock`, or a pull
# request could break or fake the lock of a running apply. The price: a plan run during an apply
# may show a diff against state that apply is changing.
export TF_CLI_ARGS_plan="-lock=false${TF_CLI_ARGS_plan:+ $TF_CLI_ARGS_plan}"

# The environment's region and whether it has a service, read from its synthesized stack (tab-separated).
service_of() {
  jq -r '[(.provider.aws | map(select(.alias == null))[0].region),
          (.resource.aws_ecs_service // {} | length)] | @tsv' "$stacks_dir/$1/cdk.tf.json"
}

# The tag the environment runs now (ops/running-tag.ts, this checkout's code): the region comes from
# the synthesized stack, since a pull request may add an environment the base branch's env/ lacks.
running_tag_of() {
  local region services
  IFS=$'\t' read -r region services < <(service_of "$1")
  [[ $services -gt 0 ]] || return 0 # a stack without a service (registry) runs no tag
  (cd "$root" && npm run -s running-tag -- "$1" --region "$region")
}

# Plans one stack; returns non-zero at the first step that fails. Called in an `if`, where `set -e`
# does not apply: every step checks its own result.
plan_stack() {
  local stack=$1 dir="$stacks_dir/$1" tag="" reason="" code=0
  if jq -e '.variable.image_tag' "$dir/cdk.tf.json" >/dev/null; then
    tag=$(running_tag_of "$stack" 2>"$out/$stack.diff.txt") || {
      echo "(could not read the running tag)" >"$out/$stack.tag"
      return 1
    }
    reason="running in $stack"
    if [[ -z "$tag" ]]; then
      if [[ -n "$staging_tag" ]]; then
        tag=$staging_tag reason="new environment: the tag staging runs"
      else
        tag=not-deployed reason="new environment, and staging runs nothing: a placeholder"
      fi
    fi
  fi
  echo "${tag:+$tag ($reason)}" >"$out/$stack.tag"
  echo "::group::terraform plan $stack ${tag:+(image tag $tag)}"
  terraform -chdir="$dir" init -input=false -no-color >"$out/$stack.diff.txt" 2>&1 || { cat "$out/$stack.diff.txt"; echo "::endgroup::"; return 1; }
  TF_VAR_image_tag=${tag:-unused} terraform -chdir="$dir" plan -input=false -no-color -detailed-exitcode -out=plan.tfplan >"$out/$stack.diff.txt" 2>&1 || code=$?
  cat "$out/$stack.diff.txt"
  echo "::endgroup::"
  case $code in
    0) echo "no-changes" >"$out/$stack.status" ;;
    2) echo "changes" >"$out/$stack.status" ;;
    *) return 1 ;;
  esac
  if ! terraform -chdir="$dir" show -json plan.tfplan >"$out/$stack.plan.json"; then
    rm -f "$out/$stack.plan.json" # no half-written plan for the plan guard
    return 1
  fi
}

mapfile -t stacks < <(find "$stacks_dir" -mindepth 2 -maxdepth 2 -name cdk.tf.json -printf '%h\n' | xargs -r -n1 basename | sort)
if [[ ${#stacks[@]} -eq 0 ]]; then
  echo "No <stack>/cdk.tf.json under $stacks_dir" >&2
  exit 2
fi
staging_tag=""
# A failure here shows in staging's own plan below; new environments then use the placeholder.
if [[ -f "$stacks_dir/staging/cdk.tf.json" ]]; then staging_tag=$(running_tag_of staging 2>/dev/null) || staging_tag=""; fi
failed=0
for stack in "${stacks[@]}"; do
  if ! plan_stack "$stack"; then
    echo "error" >"$out/$stack.status"
    echo "::error::$stack failed to plan (see its diff output)"
    failed=1
  fi
done
exit "$failed"
