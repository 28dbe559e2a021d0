#!/usr/bin/env bash
# Promotion: refuses a tag missing from any repository, then adds the protected release tag
# (<prefix><tag>, kept by the lifecycle policy) to the same manifest. Idempotent: a release tag
# that already exists is left alone (tags are immutable).
#   usage: scripts/promote-image.sh <region> <tag> <release-prefix> <repository>...
set -euo pipefail

if [[ $# -lt 4 ]]; then
  echo "usage: $0 <region> <tag> <release-prefix> <repository>..." >&2
  exit 2
fi
region=$1 tag=$2 prefix=$3
shift 3
release_tag="${prefix}${tag}"

if [[ ! "$tag" =~ ^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$ ]]; then
  echo "Invalid image tag \"$tag\": letters, digits, _ . -, at most 128 characters" >&2
  exit 1
fi
if [[ ${#release_tag} -gt 128 ]]; then
  echo "Release tag \"$release_tag\" is longer than the 128 characters an image tag allows" >&2
  exit 1
fi

# Check every repository first, so that a missing image adds no tag anywhere.
for repository in "$@"; do
  if ! aws ecr describe-images --region "$region" --repository-name "$repository" --image-ids imageTag="$tag" >/dev/null 2>&1; then
    echo "Refusing to promote: $repository has no image tagged $tag" >&2
    exit 1
  fi
done

for repository in "$@"; do
  if aws ecr describe-images --region "$region" --repository-name "$repository" --image-ids imageTag="$release_tag" >/dev/null 2>&1; then
    echo "$repository: $release_tag already exists"
    continue
  fi
  manifest=$(aws ecr batch-get-image --region "$region" --repository-name "$repository" --image-ids imageTag="$tag" \
    --query 'images[0].imageManifest' --output text)
  media_type=$(aws ecr batch-get-image --region "$region" --repository-name "$repository" --image-ids imageTag="$tag" \
    --query 'images[0].imageManifestMediaType' --output text)
  aws ecr put-image --region "$region" --repository-name "$repository" --image-tag "$release_tag" \
    --image-manifest "$manifest" --image-manifest-media-type "$media_type" >/dev/null
  echo "$repository: tagged $tag as $release_tag"
done
