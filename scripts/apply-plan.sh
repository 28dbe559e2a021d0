#!/usr/bin/env bash
# The second half of a deploy: applies exactly the saved plan that scripts/plan-deploy.sh made and
# the plan guard judged, nothing else. Refuses a plan file whose SHA-256 is not the one the plan
# job reported (passed through the job's outputs, not the artifact), and installs the providers
# from the plan job's lock file without changing it. Terraform itself refuses the plan when the
# state changed since it was made (plan again).
#   usage: scripts/apply-plan.sh <stack-dir from plan-deploy.sh> <sha256 of plan.tfplan>
set -euo pipefail

if [[ $# -ne 2 ]]; then
  echo "usage: $0 <stack-dir> <sha256 of plan.tfplan>" >&2
  exit 2
fi
dir=$1 expected=$2
export CHECKPOINT_DISABLE=1 TF_IN_AUTOMATION=1
if [[ ! "$expected" =~ ^[0-9a-f]{64}$ ]]; then
  echo "apply-plan: \"$expected\" is not a SHA-256" >&2
  exit 2
fi
for file in plan.tfplan .terraform.lock.hcl cdk.tf.json; do
  if [[ ! -f "$dir/$file" ]]; then
    echo "apply-plan: $dir/$file is missing: the plan job's artifact is incomplete" >&2
    exit 1
  fi
done
actual=$(sha256sum "$dir/plan.tfplan" | cut -d' ' -f1)
if [[ "$actual" != "$expected" ]]; then
  echo "apply-plan: $dir/plan.tfplan is not the plan the guard judged (SHA-256 $actual, expected $expected): nothing applied" >&2
  exit 1
fi
terraform -chdir="$dir" init -input=false -no-color -lockfile=readonly
terraform -chdir="$dir" apply -input=false -no-color plan.tfplan
