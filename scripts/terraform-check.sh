#!/usr/bin/env bash
# Has real Terraform with the declared provider validate every synthesized stack, unmodified:
# `terraform init -backend=false` installs hashicorp/aws, then `terraform validate` checks each stack
# against the provider's own schema (attribute names and types, required blocks, enum values).
# The provider comes from the filesystem mirror named by TF_PROVIDER_MIRROR (the folder that holds
# registry.terraform.io; .ci/run locates it), else from the registry (a GitHub runner).
# A check that cannot run fails: no terraform, or a provider that cannot be installed, exits non-zero.
# Run `npm run synth` first.
set -euo pipefail
cd "$(dirname "$0")/.."

fail() {
  echo "terraform-check: $*" >&2
  exit 1
}

command -v terraform >/dev/null || fail "no terraform binary on PATH: install Terraform 1.11.4 (https://developer.hashicorp.com/terraform/install)"
if [[ -n ${TF_PROVIDER_MIRROR:-} && ! -d $TF_PROVIDER_MIRROR/registry.terraform.io/hashicorp/aws ]]; then
  fail "TF_PROVIDER_MIRROR=$TF_PROVIDER_MIRROR holds no registry.terraform.io/hashicorp/aws: point it at the mirror's root"
fi
shopt -s nullglob
stacks=(cdktf.out/stacks/*/cdk.tf.json)
[[ ${#stacks[@]} -gt 0 ]] || fail "no stack in cdktf.out/stacks: run npm run synth first"

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
# An explicit CLI config: the environment may name a file that does not exist (a warning per command),
# or one that installs providers from somewhere else.
export TF_CLI_CONFIG_FILE="$scratch/terraform.rc" CHECKPOINT_DISABLE=1 TF_IN_AUTOMATION=1
if [[ -n ${TF_PROVIDER_MIRROR:-} ]]; then
  printf 'provider_installation {\n  filesystem_mirror {\n    path = "%s"\n  }\n}\n' "$TF_PROVIDER_MIRROR" >"$TF_CLI_CONFIG_FILE"
  source="mirror $TF_PROVIDER_MIRROR"
else
  : >"$TF_CLI_CONFIG_FILE"
  source="registry.terraform.io"
fi

# check_stack STACK: init + validate in a scratch copy; prints one line, the logs on failure.
check_stack() {
  local stack=$1 directory="$scratch/$1"
  mkdir -p "$directory"
  cp "cdktf.out/stacks/$stack/cdk.tf.json" "$directory/cdk.tf.json"
  if ! terraform -chdir="$directory" init -backend=false -input=false -no-color >"$directory/init.log" 2>&1; then
    echo "terraform-check: $stack: terraform init failed (provider from $source):" >&2
    sed -n '/^Error: /,$p' "$directory/init.log" | grep -Ev '^\s*[0-9]+: \{' >&2
    return 1
  fi
  if ! terraform -chdir="$directory" validate -no-color >"$directory/validate.log" 2>&1; then
    echo "terraform-check: $stack: terraform validate refused the stack:" >&2
    cat "$directory/validate.log" >&2
    return 1
  fi
  echo "terraform-check: $stack: valid ($(grep -o 'hashicorp/aws v[0-9][0-9.]*[0-9]' "$directory/init.log" | head -n 1), from $source)"
}

# Stacks in parallel (each validate loads the provider's schema: seconds of CPU), one line each.
pids=()
for file in "${stacks[@]}"; do
  check_stack "$(basename "$(dirname "$file")")" &
  pids+=("$!")
done
failed=0
for pid in "${pids[@]}"; do
  wait "$pid" || failed=1
done
exit "$failed"
