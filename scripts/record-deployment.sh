#!/usr/bin/env bash
# Records that <environment> now runs <tag> healthily: a GitHub deployment (task "deploy:image-tag",
# payload image_tag and run_id) with a success status. deploy.yml calls it after the wait succeeded;
# scripts/staging-deployed.sh reads staging's records before a promotion.
# Needs gh with GH_TOKEN (deployments: write), GITHUB_REPOSITORY, GITHUB_SHA, GITHUB_RUN_ID.
#   usage: scripts/record-deployment.sh <environment> <image-tag>
set -euo pipefail

if [[ $# -ne 2 ]]; then
  echo "usage: $0 <environment> <image-tag>" >&2
  exit 2
fi
environment=$1 tag=$2
id=$(jq -n --arg ref "$GITHUB_SHA" --arg environment "$environment" --arg tag "$tag" --arg run "$GITHUB_RUN_ID" '{
    ref: $ref, environment: $environment, task: "deploy:image-tag",
    auto_merge: false, required_contexts: [], transient_environment: false,
    description: ("image tag " + $tag + " deployed and healthy"),
    payload: { image_tag: $tag, run_id: $run }
  }' | gh api --method POST "repos/$GITHUB_REPOSITORY/deployments" --input - --jq '.id')
state=$(gh api --method POST "repos/$GITHUB_REPOSITORY/deployments/$id/statuses" -f state=success -f description="image tag $tag healthy" --jq '.state')
echo "recorded deployment $id of $tag to $environment: $state"
