#!/usr/bin/env bash
# Plans every stack against the real infrastructure, read-only, with the image tag each environment
# runs now, so that a diff shows infrastructure changes and no image-tag churn. A new environment
# (no service yet) is planned with staging's running tag (what would be deployed next), else the
# placeholder "not-deployed". For each stack it writes:
#   <out>/<stack>.diff.txt                   the `cdktf diff` output
#   <out>/<stack>.tag                        the image tag used and why
#   <out>/<stack>.status                     "changes", "no-changes" or "error"
#   cdktf.out/stacks/<stack>/plan.json       `terraform show -json` of the plan (for the plan guard)
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

mapfile -t stacks < <(info stacks)
staging_tag=$(running_tag_of staging 2>/dev/null || true)
failed=0
for stack in "${stacks[@]}"; do
  tag="" reason=""
  if [[ "$stack" != registry ]]; then
    tag=$(running_tag_of "$stack")
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
  if ! TF_VAR_image_tag=${tag:-unused} npx cdktf diff "$stack" 2>&1 | tee "$out/$stack.diff.txt"; then
    echo "error" >"$out/$stack.status"
    failed=1
    echo "::endgroup::"
    continue
  fi
  echo "::endgroup::"
  set +e
  TF_VAR_image_tag=${tag:-unused} terraform -chdir="cdktf.out/stacks/$stack" plan -input=false -no-color -detailed-exitcode -out=plan.tfplan >/dev/null
  code=$?
  set -e
  case $code in
    0) echo "no-changes" >"$out/$stack.status" ;;
    2) echo "changes" >"$out/$stack.status" ;;
    *) echo "error" >"$out/$stack.status"; failed=1; continue ;;
  esac
  terraform -chdir="cdktf.out/stacks/$stack" show -json plan.tfplan >"cdktf.out/stacks/$stack/plan.json"
done
exit "$failed"
