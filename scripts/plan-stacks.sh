#!/usr/bin/env bash
# Plans every stack against the real infrastructure, read-only, with the image tag each environment
# runs now, so that a diff shows infrastructure changes and no image-tag churn. A new environment
# (no service yet) is planned with staging's running tag (what would be deployed next), else the
# placeholder "not-deployed". For each stack it writes:
#   <out>/<stack>.diff.txt                   the `cdktf diff` output
#   <out>/<stack>.tag                        the image tag used and why
#   <out>/<stack>.status                     "changes", "no-changes" or "error"
#   cdktf.out/stacks/<stack>/plan.json       `terraform show -json` of the plan (for the plan guard)
# A stack whose plan fails at any step (its running tag, the diff, the plan, the JSON) gets "error"
# and the error in its diff file; the other stacks are still planned.
# Exit code: 0 when every plan ran (changes or not), 1 when a plan failed.
#   usage: scripts/plan-stacks.sh <out-dir>
set -euo pipefail

if [[ $# -ne 1 ]]; then
  echo "usage: $0 <out-dir>" >&2
  exit 2
fi
out=$1
mkdir -p "$out"
export CHECKPOINT_DISABLE=1 DISABLE_VERSION_CHECK=true
# Plans never take the state lock: a plan only reads the state, and the plan role (assumable by any
# same-repository pull request) must not be able to write or delete a stack's `.tflock`, or a pull
# request could break or fake the lock of a running apply. The price: a plan run during an apply
# may show a diff against state that apply is changing. TF_CLI_ARGS_plan reaches every
# `terraform plan`, including the one `cdktf diff` runs (it passes its environment to terraform).
export TF_CLI_ARGS_plan="-lock=false${TF_CLI_ARGS_plan:+ $TF_CLI_ARGS_plan}"

info() { node scripts/run-ts.js scripts/pipeline-info.ts "$@"; }

running_tag_of() {
  local key value region="" cluster="" service=""
  while IFS='=' read -r key value; do
    case $key in
      AWS_REGION) region=$value ;;
      ECS_CLUSTER) cluster=$value ;;
      ECS_SERVICE) service=$value ;;
    esac
  done < <(info "$1")
  scripts/running-tag.sh "$region" "$cluster" "$service"
}

# Plans one stack; returns non-zero at the first step that fails. Called in an `if`, where `set -e`
# does not apply: every step checks its own result.
plan_stack() {
  local stack=$1 tag="" reason="" code
  if [[ "$stack" != registry ]]; then
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
  echo "::group::cdktf diff $stack ${tag:+(image tag $tag)}"
  TF_VAR_image_tag=${tag:-unused} npx cdktf diff "$stack" 2>&1 | tee "$out/$stack.diff.txt"
  code=${PIPESTATUS[0]}
  echo "::endgroup::"
  [[ $code -eq 0 ]] || return 1
  code=0
  TF_VAR_image_tag=${tag:-unused} terraform -chdir="cdktf.out/stacks/$stack" plan -input=false -no-color -detailed-exitcode -out=plan.tfplan >/dev/null || code=$?
  case $code in
    0) echo "no-changes" >"$out/$stack.status" ;;
    2) echo "changes" >"$out/$stack.status" ;;
    *) return 1 ;;
  esac
  if ! terraform -chdir="cdktf.out/stacks/$stack" show -json plan.tfplan >"cdktf.out/stacks/$stack/plan.json"; then
    rm -f "cdktf.out/stacks/$stack/plan.json" # no half-written plan for the plan guard
    return 1
  fi
}

mapfile -t stacks < <(info stacks)
if [[ ${#stacks[@]} -eq 0 ]]; then
  echo "No stacks listed (scripts/pipeline-info.ts stacks failed?)" >&2
  exit 1
fi
# A failure here shows in staging's own plan below; new environments then use the placeholder.
staging_tag=$(running_tag_of staging) || staging_tag=""
failed=0
for stack in "${stacks[@]}"; do
  if ! plan_stack "$stack"; then
    echo "error" >"$out/$stack.status"
    echo "::error::$stack failed to plan (see its diff output)"
    failed=1
  fi
done
exit "$failed"
