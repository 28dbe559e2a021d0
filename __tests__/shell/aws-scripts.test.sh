#!/usr/bin/env bash
# Tests scripts/running-tag.sh and scripts/promote-image.sh against a fake `aws` (no AWS account):
# which errors mean "not deployed" / "no such tag" and which fail, and the release tag's digest check.
# Run: npm run test:aws-scripts
set -euo pipefail
cd "$(dirname "$0")/../.."

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/bin"
# The fake aws: FAKE_<service>_<operation> holds its stdout; a value starting with "ERROR " is
# printed to stderr instead and exits 254 (the CLI's code for a service error). For describe-images
# the variable is per tag: FAKE_ecr_describe_images_<tag with non-alphanumerics as _>.
cat >"$work/bin/aws" <<'FAKE'
#!/usr/bin/env bash
service=$1 operation=${2//-/_}
echo "aws $*" >>"$AWS_LOG"
name="FAKE_${service}_${operation}"
if [[ $operation == describe_images || $operation == batch_get_image ]]; then
  for arg in "$@"; do [[ $arg == imageTag=* ]] && tag=${arg#imageTag=}; done
  name="${name}_${tag//[^A-Za-z0-9]/_}"
fi
value=${!name-}
if [[ $value == "ERROR "* ]]; then echo "${value#ERROR }" >&2; exit 254; fi
echo "$value"
FAKE
chmod +x "$work/bin/aws"
export PATH="$work/bin:$PATH" AWS_LOG="$work/aws.log"
failures=0

check() { # <name> <expected exit> <expected stdout (grep -E)> <command...>
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
reset() { unset "${!FAKE_@}"; : >"$AWS_LOG"; }

running() { scripts/running-tag.sh eu-west-3 city-guided-qa city-guided-qa; }
reset
export FAKE_ecs_describe_services=$'arn:aws:ecs:eu-west-3:1:task-definition/qa:7\tNone'
export FAKE_ecs_describe_task_definition="1.dkr.ecr.eu-west-3.amazonaws.com/city-guided-api:abc123"
check "running tag: the api image's tag" 0 '^abc123$' running
reset
export FAKE_ecs_describe_services="ERROR An error occurred (ClusterNotFoundException) when calling the DescribeServices operation: Cluster not found."
check "running tag: no cluster = not deployed" 0 '^$' running
reset
export FAKE_ecs_describe_services=$'None\tNone'
check "running tag: missing or inactive service = not deployed" 0 '^$' running
reset
export FAKE_ecs_describe_services="ERROR An error occurred (AccessDeniedException) when calling the DescribeServices operation: denied"
check "running tag: access denied fails" 1 'AccessDeniedException' running
reset
export FAKE_ecs_describe_services="ERROR An error occurred (ThrottlingException) when calling the DescribeServices operation: Rate exceeded"
check "running tag: throttling fails" 1 'ThrottlingException' running
reset
export FAKE_ecs_describe_services=$'None\tSOMETHING_ELSE'
check "running tag: a failure other than MISSING fails" 1 'SOMETHING_ELSE' running

promote() { scripts/promote-image.sh eu-west-3 abc123 release- city-guided-api city-guided-web; }
not_found="ERROR An error occurred (ImageNotFoundException) when calling the DescribeImages operation: not found"
reset
export FAKE_ecr_describe_images_abc123=sha256:aaa FAKE_ecr_describe_images_release_abc123="$not_found"
export FAKE_ecr_batch_get_image_abc123=manifest FAKE_ecr_put_image=ok
check "promote: adds the release tag" 0 'city-guided-web: tagged abc123 as release-abc123' promote
check "promote: put-image in both repositories" 0 '' test "$(grep -c 'put-image' "$AWS_LOG")" -eq 2
reset
export FAKE_ecr_describe_images_abc123=sha256:aaa FAKE_ecr_describe_images_release_abc123=sha256:aaa
check "promote: same image already released is left alone" 0 'already exists on the same image' promote
check "promote: no put-image when already released" 1 '' grep -q put-image "$AWS_LOG"
reset
export FAKE_ecr_describe_images_abc123=sha256:aaa FAKE_ecr_describe_images_release_abc123=sha256:bbb
check "promote: a release tag on another image fails" 1 'already exists on another image \(sha256:bbb' promote
check "promote: and adds no tag anywhere" 1 '' grep -q put-image "$AWS_LOG"
reset
export FAKE_ecr_describe_images_abc123="$not_found"
check "promote: a missing tag is refused" 1 'has no image tagged abc123' promote
reset
export FAKE_ecr_describe_images_abc123="ERROR An error occurred (AccessDeniedException) when calling the DescribeImages operation: denied"
check "promote: another error fails loudly" 1 'AccessDeniedException' promote

echo "$failures failure(s)"
[[ $failures -eq 0 ]]
