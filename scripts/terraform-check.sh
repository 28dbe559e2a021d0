#!/usr/bin/env bash
# Has Terraform itself load every synthesized stack: `terraform init -backend=false` parses and checks
# the configuration (block structure, variable types, validation conditions) before it asks the
# provider registry for anything. Offline, the registry errors are expected and ignored; any other
# error fails. Online (CI on GitHub), init simply succeeds. Run `npm run synth` first.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v terraform >/dev/null; then
  echo "terraform-check: skipped, no terraform binary on this machine"
  exit 0
fi
shopt -s nullglob
stacks=(cdktf.out/stacks/*/cdk.tf.json)
if [[ ${#stacks[@]} -eq 0 ]]; then
  echo "terraform-check: no stack in cdktf.out/stacks: run npm run synth first" >&2
  exit 2
fi
# Errors that only say the provider registry is out of reach (no network here).
registry_only='^Error: (Failed to query available provider packages|Failed to install provider|Failed to resolve provider packages)'
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
failed=0
for file in "${stacks[@]}"; do
  stack=$(basename "$(dirname "$file")")
  mkdir -p "$scratch/$stack"
  cp "$file" "$scratch/$stack/cdk.tf.json"
  status=0
  (cd "$scratch/$stack" && TF_CLI_CONFIG_FILE=/dev/null CHECKPOINT_DISABLE=1 terraform init -backend=false -input=false -no-color >init.log 2>&1) || status=$?
  other=$(grep -E '^Error: ' "$scratch/$stack/init.log" | grep -Ev "$registry_only" || true)
  if [[ -n $other ]]; then
    echo "terraform-check: $stack: Terraform refused the configuration:" >&2
    sed -n '/^Error: /,$p' "$scratch/$stack/init.log" | grep -Ev '^\s*[0-9]+: \{' >&2
    failed=1
  elif [[ $status -eq 0 ]]; then
    echo "terraform-check: $stack: configuration valid (providers installed)"
  else
    echo "terraform-check: $stack: configuration valid (provider registry out of reach: not checked further)"
  fi
done
exit "$failed"
