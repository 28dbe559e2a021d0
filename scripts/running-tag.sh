#!/usr/bin/env bash
# Prints the image tag an ECS service runs now: the service's current task definition, its `api`
# container image, the part after the last ':'. Prints nothing (exit 0) when the service does not
# exist (a new environment): the cluster is not found, the service is missing, or it is inactive.
# Any other error (access denied, throttling, no network) fails (exit 1): reading it as "not
# deployed" would make a deploy refuse or a diff use the wrong tag, silently.
# Used so that infrastructure-only deploys and diffs keep the tag.
#   usage: scripts/running-tag.sh <region> <cluster> <service>
set -euo pipefail

if [[ $# -ne 3 ]]; then
  echo "usage: $0 <region> <cluster> <service>" >&2
  exit 2
fi
region=$1 cluster=$2 service=$3

# A missing cluster is an error (ClusterNotFoundException); a missing service is a success with a
# failure of reason MISSING; an inactive (deleted) service is listed with status INACTIVE.
errors=$(mktemp)
trap 'rm -f "$errors"' EXIT
if ! described=$(aws ecs describe-services --region "$region" --cluster "$cluster" --services "$service" \
  --query "[services[?status=='ACTIVE'] | [0].taskDefinition, failures[?reason!='MISSING'] | [0].reason]" \
  --output text 2>"$errors"); then
  if grep -q 'ClusterNotFoundException' "$errors"; then
    exit 0
  fi
  echo "Cannot read the service $service of $cluster in $region:" >&2
  cat "$errors" >&2
  exit 1
fi
read -r task_definition failure <<<"$described"
if [[ -n "$failure" && "$failure" != "None" ]]; then
  echo "Cannot read the service $service of $cluster in $region: $failure" >&2
  exit 1
fi
if [[ -z "$task_definition" || "$task_definition" == "None" ]]; then
  exit 0
fi

image=$(aws ecs describe-task-definition --region "$region" --task-definition "$task_definition" \
  --query "taskDefinition.containerDefinitions[?name=='api'] | [0].image" --output text)
if [[ "$image" != *:* || "$image" == "None" ]]; then
  echo "The api container of $task_definition has no tagged image ($image)" >&2
  exit 1
fi
echo "${image##*:}"
