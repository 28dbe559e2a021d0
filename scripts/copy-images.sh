#!/usr/bin/env bash
# Copies image tags from one registry repository to another with crane, registry to registry: no
# Docker daemon, and the manifest is copied byte for byte, so every digest (and a multi-platform
# index with its children) stays the same. Used by .github/workflows/copy-images-from-ghcr.yml to
# move the images still on GHCR into ECR; works between any two registries crane is logged in to.
#
#   scripts/copy-images.sh <source repository> <target repository> <count> [<tag>...]
#   scripts/copy-images.sh ghcr.io/elzinko/city-guided-api 123456789012.dkr.ecr.eu-west-3.amazonaws.com/city-guided-api 10
#
# Which tags: the given tags, or else the <count> newest. A registry's tag list has no dates, so
# "newest" is the `created` time in each image's config (for an index, that of CRANE_PLATFORM's
# image). One config read per tag: a few seconds for a hundred tags. Tags matching EXCLUDE_TAGS
# (moving tags such as latest, signature and attestation tags) are never chosen by count.
# Tags are copied oldest first, so the target's push order (what an ECR lifecycle policy counts)
# follows the images' age.
#
# A tag already in the target is skipped (ECR tags are immutable); one that holds a different
# digest there is reported and left alone. Prints one line per tag and appends a Markdown table to
# $SUMMARY_FILE (default $GITHUB_STEP_SUMMARY, else nothing).
# Exit: 0 every tag copied or skipped; 1 a copy failed or did not keep its digest; 2 usage or a
# source that cannot be listed.
set -euo pipefail

CRANE=${CRANE:-crane}
CRANE_PLATFORM=${CRANE_PLATFORM:-linux/amd64}
EXCLUDE_TAGS=${EXCLUDE_TAGS:-'^(latest|main|master|sha256-[0-9a-f]{64}.*)$'}
SUMMARY_FILE=${SUMMARY_FILE:-${GITHUB_STEP_SUMMARY:-/dev/null}}

usage() {
  echo "usage: $0 <source repository> <target repository> <count> [<tag>...]" >&2
  exit 2
}

[[ $# -ge 3 ]] || usage
source_repository=$1
target_repository=$2
count=$3
shift 3
[[ $count =~ ^[1-9][0-9]{0,2}$ ]] || { echo "count must be 1-999, got \"$count\"" >&2; exit 2; }

# Prints "<epoch seconds> <tag>" for every eligible tag of <tags> (one a line), newest first.
tags_by_age() {
  local tag created seconds
  while IFS= read -r tag; do
    [[ -n $tag ]] || continue
    [[ $tag =~ $EXCLUDE_TAGS ]] && continue
    created=$("$CRANE" config --platform "$CRANE_PLATFORM" "$source_repository:$tag" | jq -r '.created // empty') || created=""
    seconds=$(date -u -d "$created" +%s 2>/dev/null) || seconds=""
    if [[ -z $created || -z $seconds ]]; then
      echo "warning: $tag has no readable creation time; counted as oldest" >&2
      seconds=0
    fi
    echo "$seconds $tag"
  done <<<"$1" | sort -k1,1nr -k2,2r
}

if [[ $# -gt 0 ]]; then
  chosen=("$@")
  echo "$source_repository -> $target_repository: the ${#chosen[@]} tag(s) given"
else
  if ! all_tags=$("$CRANE" ls "$source_repository"); then
    echo "cannot list the tags of $source_repository (logged in? may this token read the package?)" >&2
    exit 2
  fi
  mapfile -t newest < <(tags_by_age "$all_tags" | head -n "$count" | cut -d' ' -f2)
  chosen=()
  for ((index = ${#newest[@]} - 1; index >= 0; index--)); do chosen+=("${newest[index]}"); done
  echo "$source_repository -> $target_repository: the ${#chosen[@]} newest of its tags, oldest first"
fi

copied=0 skipped=0 differs=0 failed=0
{
  echo "### $source_repository → $target_repository"
  echo
  echo "| tag | result | digest |"
  echo "|---|---|---|"
} >>"$SUMMARY_FILE"

record() { # <tag> <result> <digest>
  printf '%-40s %-60s %s\n' "$1" "$2" "$3"
  echo "| \`$1\` | $2 | \`$3\` |" >>"$SUMMARY_FILE"
}

for tag in "${chosen[@]}"; do
  if ! source_digest=$("$CRANE" digest "$source_repository:$tag" 2>/dev/null); then
    record "$tag" "failed: not found in the source" "-"
    failed=$((failed + 1))
    continue
  fi
  # An error here means "absent" (or unreadable): the copy below then fails and says why.
  if target_digest=$("$CRANE" digest "$target_repository:$tag" 2>/dev/null); then
    if [[ $target_digest == "$source_digest" ]]; then
      record "$tag" "skipped: already present" "$source_digest"
      skipped=$((skipped + 1))
    else
      record "$tag" "left alone: the target holds another digest ($target_digest)" "$source_digest"
      differs=$((differs + 1))
    fi
    continue
  fi
  if ! "$CRANE" copy "$source_repository:$tag" "$target_repository:$tag" >&2; then
    record "$tag" "failed: copy error (see the log)" "$source_digest"
    failed=$((failed + 1))
    continue
  fi
  copied_digest=$("$CRANE" digest "$target_repository:$tag" 2>/dev/null) || copied_digest="unreadable"
  if [[ $copied_digest == "$source_digest" ]]; then
    record "$tag" "copied" "$source_digest"
    copied=$((copied + 1))
  else
    record "$tag" "failed: the target's digest is $copied_digest" "$source_digest"
    failed=$((failed + 1))
  fi
done

totals="copied $copied, skipped $skipped, left alone $differs, failed $failed"
echo "$totals"
printf '\n%s\n\n' "$totals" >>"$SUMMARY_FILE"
[[ $failed -eq 0 ]]
