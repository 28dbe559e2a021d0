#!/usr/bin/env bash
# Prints the newest image tag requested for an environment (nothing when none was), from the
# GitHub deployments that <workflow> records (task "deploy:requested-tag", payload image_tag and
# run_id) before its deploy job queues. Why: a concurrency group keeps one pending run, so a queued
# tag deploy can be cancelled by a later run; the later run then deploys this tag instead of losing it.
# Only a request whose run is <workflow> on main, started by repository_dispatch or
# workflow_dispatch, counts: any workflow given `deployments: write` can create a deployment
# record, but only main's code of <workflow> runs for those events.
# Needs gh with GH_TOKEN (deployments: read, actions: read) and GITHUB_REPOSITORY.
#   usage: scripts/requested-tag.sh <environment> <workflow file name, e.g. deploy-staging.yml>
set -euo pipefail

if [[ $# -ne 2 ]]; then
  echo "usage: $0 <environment> <workflow file name>" >&2
  exit 2
fi
environment=$1 workflow=".github/workflows/$2"
task=deploy:requested-tag

# Newest first (the API lists deployments by creation, newest first); 20 is plenty of history.
requests=$(gh api "repos/$GITHUB_REPOSITORY/deployments?environment=$environment&task=$task&per_page=20" \
  --jq '.[] | [(.payload.run_id // "" | tostring), (.payload.image_tag // "")] | @tsv')
while IFS=$'\t' read -r run_id tag; do
  [[ -n "$run_id" && -n "$tag" ]] || continue
  origin=$(gh api "repos/$GITHUB_REPOSITORY/actions/runs/$run_id" --jq '[.path, .head_branch, .event] | @tsv')
  IFS=$'\t' read -r path branch event <<<"$origin"
  if [[ ("$path" == "$workflow" || "$path" == "$workflow@"*) && "$branch" == main &&
    ("$event" == repository_dispatch || "$event" == workflow_dispatch) ]]; then
    echo "$tag"
    exit 0
  fi
  echo "Ignoring the request for $tag: run $run_id is $path on $branch ($event), not $workflow on main" >&2
done <<<"$requests"
