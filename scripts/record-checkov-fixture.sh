#!/usr/bin/env bash
# Re-records __tests__/fixtures/checkov/ from the current synth: checkov's report on the registry,
# staging and production stacks, trimmed to the fields policy/checkov-report.ts reads, and the construct paths
# of those stacks' resources. Run it when the stacks change what checkov finds, then read the diff.
set -euo pipefail
cd "$(dirname "$0")/.."
checkov=$(realpath "${CHECKOV:-.tools/checkov/bin/checkov}")
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

npm run --silent synth
mkdir -p "$scratch/stacks"
cp -r cdktf.out/stacks/registry cdktf.out/stacks/staging cdktf.out/stacks/production "$scratch/stacks/"
# Exit code 1 means "some check failed", which is what is being recorded.
status=0
(cd "$scratch" && CKV_PARSE_ERROR_FAIL=true CKV_SKIP_PACKAGE_UPDATE_CHECK=true "$checkov" --framework terraform_json -d stacks -o json --skip-download >report.json) || status=$?
if [[ $status -gt 1 ]]; then echo "checkov failed with exit code $status" >&2; exit "$status"; fi
jq '{check_type, summary,
     results: (.results | {parsing_errors,
       passed_checks: [.passed_checks[] | {check_id, check_name, check_result: {result: .check_result.result}, file_path, file_abs_path: ("cdktf.out/stacks" + .file_path), resource}],
       failed_checks: [.failed_checks[] | {check_id, check_name, check_result: {result: .check_result.result}, file_path, file_abs_path: ("cdktf.out/stacks" + .file_path), resource}],
       skipped_checks: []})}' "$scratch/report.json" >__tests__/fixtures/checkov/registry-staging.json
jq -n --slurpfile registry cdktf.out/stacks/registry/cdk.tf.json --slurpfile staging cdktf.out/stacks/staging/cdk.tf.json --slurpfile production cdktf.out/stacks/production/cdk.tf.json '
  def paths: {resource: (.resource // {} | map_values(map_values({"//": {metadata: {path: .["//"].metadata.path}}}))),
              data: (.data // {} | map_values(map_values({"//": {metadata: {path: .["//"].metadata.path}}})))};
  {registry: ($registry[0] | paths), staging: ($staging[0] | paths), production: ($production[0] | paths)}' >__tests__/fixtures/checkov/stacks.json
echo "recorded: $(jq -r '.summary | "\(.passed) passed, \(.failed) failed"' __tests__/fixtures/checkov/registry-staging.json)"
