#!/usr/bin/env bash
# Succeeds (exit 0) when <tag> was deployed to staging by this repository's deploy-staging.yml on
# main and that deployment's newest status is success: deploy.yml records it (a GitHub deployment of
# staging, task "deploy:image-tag", payload image_tag and run_id) only once the wait found staging
# healthy on that tag. Promotion refuses any other tag (exit 1): production runs only what staging
# ran healthily. A record counts only when its run is deploy-staging.yml on main (the check
# scripts/requested-tag.sh makes too): another workflow given `deployments: write` can create a
# record, but not a run of that workflow on main.
# Needs gh with GH_TOKEN (deployments: read, actions: read) and GITHUB_REPOSITORY.
#   usage: scripts/staging-deployed.sh <image-tag>
set -euo pipefail

if [[ $# -ne 1 ]]; then
  echo "usage: $0 <image-tag>" >&2
  exit 2
fi
wanted=$1 workflow=.github/workflows/deploy-staging.yml task=deploy:image-tag

records=$(gh api --paginate "repos/$GITHUB_REPOSITORY/deployments?environment=staging&task=$task&per_page=100" \
  --jq '.[] | [(.id | tostring), (.payload.run_id // "" | tostring), (.payload.image_tag // "")] | @tsv')
while IFS=$'\t' read -r id run_id tag; do
  [[ -n "$id" && "$tag" == "$wanted" && -n "$run_id" ]] || continue
  origin=$(gh api "repos/$GITHUB_REPOSITORY/actions/runs/$run_id" --jq '[.path, .head_branch] | @tsv')
  IFS=$'\t' read -r path branch <<<"$origin"
  if [[ ! ("$path" == "$workflow" || "$path" == "$workflow@"*) || "$branch" != main ]]; then
    echo "Ignoring deployment $id of $tag: run $run_id is $path on $branch, not $workflow on main" >&2
    continue
  fi
  state=$(gh api "repos/$GITHUB_REPOSITORY/deployments/$id/statuses?per_page=1" --jq '.[0].state // ""')
  if [[ "$state" == success ]]; then
    echo "$wanted was deployed to staging healthily (deployment $id, run $run_id)"
    exit 0
  fi
  echo "Deployment $id of $tag to staging is $state, not success" >&2
done <<<"$records"
echo "$wanted has no successful staging deployment: deploy it to staging first (production runs only what staging ran)" >&2
exit 1
