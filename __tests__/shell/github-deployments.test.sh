#!/usr/bin/env bash
# Tests the scripts that read and write the GitHub deployments the pipeline records
# (scripts/record-deployment.sh, scripts/staging-deployed.sh, scripts/requested-tag.sh) against a
# fake `gh`: a GET answers from files under $FAKE_GH (the path with / and ? as _), --jq runs real
# jq, a POST is logged with its body and answers $FAKE_GH/post.json. Run: npm run test:aws-scripts
set -euo pipefail
cd "$(dirname "$0")/../.."

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/bin" "$work/gh"
cat >"$work/bin/gh" <<'FAKE'
#!/usr/bin/env bash
shift # api
method=GET jq_filter=. path="" fields=()
while [[ $# -gt 0 ]]; do
  case $1 in
    --method) method=$2; shift 2 ;;
    --jq) jq_filter=$2; shift 2 ;;
    --input) shift 2 ;;
    --paginate) shift ;;
    -f) fields+=("$2"); shift 2 ;;
    *) path=$1; shift ;;
  esac
done
if [[ $method == POST ]]; then
  body=$(if [[ ${#fields[@]} -gt 0 ]]; then printf '%s\n' "${fields[@]}"; else cat; fi)
  { echo "POST $path"; echo "$body"; } >>"$GH_LOG"
  jq -r "$jq_filter" "$FAKE_GH/post.json"
  exit
fi
file="$FAKE_GH/$(tr '/?' '__' <<<"$path")"
[[ -f $file ]] || { echo "gh: HTTP 404: Not Found ($path)" >&2; exit 1; }
jq -r "$jq_filter" "$file"
FAKE
chmod +x "$work/bin/gh"
export PATH="$work/bin:$PATH" FAKE_GH="$work/gh" GH_LOG="$work/gh.log" GITHUB_REPOSITORY=o/infra GITHUB_SHA=c0ffee GITHUB_RUN_ID=900
# shellcheck source=__tests__/shell/checks.sh disable=SC1091
source __tests__/shell/checks.sh
# This suite also checks the output: its own check() replaces the shared one.
check() { # <name> <expected exit> <expected output (grep -E)> <command...>
  local name=$1 expected_code=$2 expected_output=$3 code=0 output
  shift 3
  output=$("$@" 2>&1) || code=$?
  if [[ $code -ne $expected_code ]] || ! grep -qE -- "$expected_output" <<<"$output"; then
    echo "FAIL $name: exit $code, output: $output"
    failures=$((failures + 1))
  else
    echo "ok   $name"
  fi
}
gh_file() { echo "$2" >"$FAKE_GH/$(tr '/?' '__' <<<"$1")"; }
run_of() { gh_file "repos/o/infra/actions/runs/$1" "{\"path\": \"$2\", \"head_branch\": \"$3\", \"event\": \"${4:-repository_dispatch}\"}"; }
deployments='repos/o/infra/deployments?environment=staging&task=deploy:image-tag&per_page=100'

echo '{"id": 42, "state": "success"}' >"$FAKE_GH/post.json"
check "record: creates the deployment and its success status" 0 '^recorded deployment 42 of abc123 to staging: success$' scripts/record-deployment.sh staging abc123
check "record: the payload carries the tag and the run" 0 '"image_tag": "abc123"' cat "$GH_LOG"
check "record: then the status" 0 'POST repos/o/infra/deployments/42/statuses' cat "$GH_LOG"

gh_file "$deployments" '[{"id": 7, "payload": {"image_tag": "abc123", "run_id": "500"}}, {"id": 6, "payload": {"image_tag": "old111", "run_id": "400"}}]'
run_of 500 .github/workflows/deploy-staging.yml main
run_of 400 .github/workflows/deploy-staging.yml main
gh_file "repos/o/infra/deployments/7/statuses?per_page=1" '[{"state": "success"}]'
gh_file "repos/o/infra/deployments/6/statuses?per_page=1" '[{"state": "failure"}]'
check "promotion: a tag staging ran healthily is accepted" 0 'abc123 was deployed to staging healthily \(deployment 7, run 500\)' scripts/staging-deployed.sh abc123
check "promotion: a tag whose staging deployment failed is refused" 1 'is failure, not success' scripts/staging-deployed.sh old111
check "promotion: a tag staging never ran is refused" 1 'no successful staging deployment' scripts/staging-deployed.sh never99
run_of 500 .github/workflows/other.yml main
check "promotion: a record made by another workflow does not count" 1 'not .github/workflows/deploy-staging.yml on main' scripts/staging-deployed.sh abc123
run_of 500 .github/workflows/deploy-staging.yml feature
check "promotion: a record of a run on another branch does not count" 1 'no successful staging deployment' scripts/staging-deployed.sh abc123

requests='repos/o/infra/deployments?environment=staging&task=deploy:requested-tag&per_page=20'
gh_file "$requests" '[{"payload": {"image_tag": "new222", "run_id": "600"}}, {"payload": {"image_tag": "abc123", "run_id": "500"}}]'
run_of 600 .github/workflows/deploy-staging.yml main workflow_dispatch
check "requested tag: the newest request of deploy-staging.yml on main" 0 '^new222$' scripts/requested-tag.sh staging deploy-staging.yml
run_of 600 .github/workflows/deploy-staging.yml main push
run_of 500 .github/workflows/deploy-staging.yml main repository_dispatch
check "requested tag: a request whose run was not a dispatch is skipped" 0 'abc123' scripts/requested-tag.sh staging deploy-staging.yml

finish github-deployments
