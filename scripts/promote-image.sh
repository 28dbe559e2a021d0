#!/usr/bin/env bash
# Promotion: refuses a tag missing from any repository, then adds the protected release tag
# (<prefix><tag>, kept by the lifecycle policy) to the same manifest. Idempotent: a release tag
# that already exists on the same image (same digest) is left alone (tags are immutable); one that
# points at another image fails the promotion, in every repository, before any tag is added.
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

# Prints the digest of <repository>:<tag>, nothing when the tag does not exist; fails on any other error.
digest_of() {
  local repository=$1 image_tag=$2 errors digest
  errors=$(mktemp)
  if digest=$(aws ecr describe-images --region "$region" --repository-name "$repository" --image-ids imageTag="$image_tag" \
    --query 'imageDetails[0].imageDigest' --output text 2>"$errors"); then
    rm -f "$errors"
    echo "$digest"
    return 0
  fi
  if grep -q 'ImageNotFoundException' "$errors"; then
    rm -f "$errors"
    return 0
  fi
  echo "Cannot read $repository:$image_tag:" >&2
  cat "$errors" >&2
  rm -f "$errors"
  return 1
}

# Check every repository first, so that a missing image or a conflicting release tag adds no tag anywhere.
declare -A needs_tag=()
for repository in "$@"; do
  digest=$(digest_of "$repository" "$tag")
  if [[ -z "$digest" ]]; then
    echo "Refusing to promote: $repository has no image tagged $tag" >&2
    exit 1
  fi
  release_digest=$(digest_of "$repository" "$release_tag")
  if [[ -z "$release_digest" ]]; then
    needs_tag[$repository]=1
  elif [[ "$release_digest" != "$digest" ]]; then
    echo "Refusing to promote: $repository:$release_tag already exists on another image ($release_digest, while $tag is $digest)" >&2
    exit 1
  fi
done

for repository in "$@"; do
  if [[ -z "${needs_tag[$repository]:-}" ]]; then
    echo "$repository: $release_tag already exists on the same image"
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
