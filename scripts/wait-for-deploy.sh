#!/usr/bin/env bash
# After a deploy: waits until the service's only deployment is the new task definition and has
# completed (a circuit-breaker rollback fails), then requests the site until it answers healthily
# (a service at 0 tasks wakes on requests through its load balancer's alarm), and finally checks
# that the running tasks use the new task definition.
#   usage: scripts/wait-for-deploy.sh <region> <cluster> <service> <url> [timeout-seconds]
set -euo pipefail

if [[ $# -lt 4 || $# -gt 5 ]]; then
  echo "usage: $0 <region> <cluster> <service> <url> [timeout-seconds]" >&2
  exit 2
fi
region=$1 cluster=$2 service=$3 url=$4 timeout=${5:-900}
deadline=$((SECONDS + timeout))

describe() {
  aws ecs describe-services --region "$region" --cluster "$cluster" --services "$service" --query "services[0].$1" --output text
}

task_definition=$(describe taskDefinition)
echo "Waiting for $service to settle on $task_definition"
while true; do
  state=$(aws ecs describe-services --region "$region" --cluster "$cluster" --services "$service" \
    --query "services[0].[length(deployments), deployments[?status=='PRIMARY'] | [0].taskDefinition, deployments[?status=='PRIMARY'] | [0].rolloutState]" \
    --output text)
  read -r count primary rollout <<<"$state"
  if [[ "$rollout" == "FAILED" ]]; then
    echo "Deployment of $primary failed (circuit breaker): ECS rolls back to the previous task definition" >&2
    exit 1
  fi
  if [[ "$count" == "1" && "$primary" == "$task_definition" && "$rollout" == "COMPLETED" ]]; then
    break
  fi
  if ((SECONDS >= deadline)); then
    echo "Timed out: $count deployment(s), primary $primary is $rollout" >&2
    exit 1
  fi
  sleep 15
done
echo "Deployment completed"

# A service at zero tasks wakes up on traffic: keep asking until it answers (or the deadline).
# Redirects (http -> https) are followed: only the application's own 2xx counts. --insecure: the
# URL names the load balancer (*.elb.amazonaws.com) while its certificate names the site, so
# verification would always fail; this check is about the service answering, not about TLS.
echo "Requesting $url until it answers 2xx"
while true; do
  code=$(curl --silent --insecure --location --output /dev/null --write-out '%{http_code}' --max-time 10 "$url" || true)
  if [[ "$code" =~ ^2[0-9][0-9]$ ]]; then
    echo "$url answered $code"
    break
  fi
  if ((SECONDS >= deadline)); then
    echo "Timed out: $url last answered ${code:-nothing}" >&2
    exit 1
  fi
  sleep 10
done

tasks=$(aws ecs list-tasks --region "$region" --cluster "$cluster" --service-name "$service" --desired-status RUNNING --query 'taskArns' --output text)
if [[ -z "$tasks" || "$tasks" == "None" ]]; then
  echo "The site answered but no task of $service runs" >&2
  exit 1
fi
# shellcheck disable=SC2086 # one argument per task ARN
stale=$(aws ecs describe-tasks --region "$region" --cluster "$cluster" --tasks $tasks \
  --query "tasks[?taskDefinitionArn!='$task_definition'].taskArn" --output text)
if [[ -n "$stale" && "$stale" != "None" ]]; then
  echo "Tasks still run an older task definition: $stale" >&2
  exit 1
fi
echo "$service is steady on $task_definition and healthy"
