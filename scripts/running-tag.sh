#!/usr/bin/env bash
# Prints the image tag an ECS service runs now: the service's current task definition, its `api`
# container image, the part after the last ':'. Prints nothing (exit 0) when the service does not
# exist yet (a new environment). Used so that infrastructure-only deploys and diffs keep the tag.
#   usage: scripts/running-tag.sh <region> <cluster> <service>
set -euo pipefail

if [[ $# -ne 3 ]]; then
  echo "usage: $0 <region> <cluster> <service>" >&2
  exit 2
fi
region=$1 cluster=$2 service=$3

task_definition=$(aws ecs describe-services --region "$region" --cluster "$cluster" --services "$service" \
  --query "services[?status=='ACTIVE'] | [0].taskDefinition" --output text 2>/dev/null || true)
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
