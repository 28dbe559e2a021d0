#!/usr/bin/env bash
# The first half of a deploy: plans one environment's synthesized stack with an image tag, saves the
# plan, and has the plan guard judge exactly that saved plan. Writes, for the apply job:
#   <out>/stack/            the stack folder: cdk.tf.json, .terraform.lock.hcl, plan.tfplan (no providers)
#   <out>/plan.json         `terraform show -json` of the saved plan
#   <out>/plan.sha256       the saved plan's SHA-256 (the apply job refuses any other file)
#   <out>/guard.md          the plan guard's summary (created, updated, replaced, destroyed, images)
# Plans without the state lock (the plan role may not write `.tflock`); the apply takes it, and
# Terraform refuses a saved plan whose state changed since (a "stale" plan: plan again).
# Exit: 0 the guard accepts the plan, 1 a protected change (unless --allow-destroy names it) or a
# failed plan, 2 usage. Run `npm run synth` first.
#   usage: scripts/plan-deploy.sh <environment> <image-tag> <out-dir> [<address to allow destroying>...]
set -euo pipefail

if [[ $# -lt 3 ]]; then
  echo "usage: $0 <environment> <image-tag> <out-dir> [<address to allow destroying>...]" >&2
  exit 2
fi
environment=$1 tag=$2 out=$3
shift 3
source_dir="cdktf.out/stacks/$environment"
if [[ ! -f "$source_dir/cdk.tf.json" ]]; then
  echo "plan-deploy: $source_dir/cdk.tf.json not found: run npm run synth first (is $environment an environment of env/?)" >&2
  exit 2
fi
export CHECKPOINT_DISABLE=1 TF_IN_AUTOMATION=1
rm -rf "$out"
mkdir -p "$out/stack"
cp "$source_dir/cdk.tf.json" "$out/stack/"
dir="$out/stack"

terraform -chdir="$dir" init -input=false -no-color
TF_VAR_image_tag=$tag terraform -chdir="$dir" plan -input=false -no-color -lock=false -out=plan.tfplan
terraform -chdir="$dir" show -json plan.tfplan >"$out/plan.json"
(cd "$dir" && sha256sum plan.tfplan) >"$out/plan.sha256"
# The providers are not uploaded: the apply job installs the same versions from the lock file.
rm -rf "$dir/.terraform"

overrides=()
for address in "$@"; do overrides+=(--allow-destroy "$environment:$address"); done
status=0
npm run --silent plan-guard -- --stack "$environment" "${overrides[@]}" "$out/plan.json" >"$out/guard.md" || status=$?
cat "$out/guard.md"
exit "$status"
