/**
 * The image-tag rule, in one place: the OCI distribution spec's tag grammar
 * (`[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}`, https://github.com/opencontainers/distribution-spec/blob/main/spec.md#pulling-manifests),
 * which ECR applies too. The stacks' `image_tag` variable validation (Terraform regex), the release
 * tag prefix of config, the ops commands (`promote`, `running-tag`) and the workflows (through
 * `npm run check-image-tag`) all use it. Plain values only: importable from any layer.
 */

/** The longest tag the OCI spec (and ECR) accepts. */
export const IMAGE_TAG_MAX_LENGTH = 128;

/** The tag rule for at most `maxLength` characters, as a regular expression source (RE2 and JavaScript alike). */
export function imageTagPattern(maxLength: number = IMAGE_TAG_MAX_LENGTH): string {
  return `^[A-Za-z0-9_][A-Za-z0-9._-]{0,${maxLength - 1}}$`;
}

/** The full rule: what Terraform checks on `var.image_tag` before any plan. */
export const IMAGE_TAG_PATTERN = imageTagPattern();

/** The rule in words, for error messages. */
export const IMAGE_TAG_RULE = `letters, digits, _ . -, at most ${IMAGE_TAG_MAX_LENGTH} characters, not starting with . or -`;

/**
 * A release tag prefix (`<prefix><tag>` is the protected release tag): the start of a tag, at most
 * 64 characters, so that a prefix and a commit SHA (40) fit in one tag.
 */
export const RELEASE_TAG_PREFIX_PATTERN = new RegExp(imageTagPattern(64));

const IMAGE_TAG = new RegExp(IMAGE_TAG_PATTERN);

export function isImageTag(tag: string): boolean {
  return IMAGE_TAG.test(tag);
}

/** Why `tag` is not a valid image tag, or undefined when it is. */
export function imageTagProblem(tag: string): string | undefined {
  return isImageTag(tag) ? undefined : `Invalid image tag ${JSON.stringify(tag)}: ${IMAGE_TAG_RULE}`;
}
