import { BatchGetImageCommand, DescribeImagesCommand, ECRClient, PutImageCommand } from "@aws-sdk/client-ecr";
import { UserError } from "../cli/errors";
import { EXIT } from "../cli/exit-codes";
import { runMain } from "../cli/main";
import { IMAGE_TAG_MAX_LENGTH, imageTagProblem } from "../config/image-tag";
import { loadConfig } from "../config/load";
import { REPOSITORY_NAMES } from "../config/model";
import { checkAwsEnvironment, clientSettings, silenceSdkNodeVersionWarning } from "./aws";
import { parseFlags, processOutput, type Output } from "./cli";
import { attempt, errorName, explainAwsError } from "./errors";

const USAGE = "usage: npm run -s promote -- <tag> [--config-dir <dir>]";

/**
 * The digest of <repository>:<tag>, undefined when no image has the tag (ImageNotFoundException, Amazon
 * ECR API Reference, DescribeImages errors); any other error throws.
 */
async function digestOf(ecr: ECRClient, repositoryName: string, imageTag: string): Promise<string | undefined> {
  try {
    const described = await ecr.send(new DescribeImagesCommand({ repositoryName, imageIds: [{ imageTag }] }));
    return described.imageDetails?.[0]?.imageDigest;
  } catch (error) {
    if (["ImageNotFound", "ImageNotFoundException"].includes(errorName(error))) return undefined;
    throw explainAwsError(error, `read ${repositoryName}:${imageTag}`);
  }
}

/** The release tag <prefix><tag>; refused before any call when either is not a valid tag. */
export function releaseTagOf(tag: string, prefix: string): string {
  const problem = imageTagProblem(tag);
  if (problem) throw new UserError(problem, EXIT.usage);
  const releaseTag = `${prefix}${tag}`;
  if (releaseTag.length > IMAGE_TAG_MAX_LENGTH) throw new UserError(`Release tag "${releaseTag}" is longer than the ${IMAGE_TAG_MAX_LENGTH} characters an image tag allows`, EXIT.usage);
  return releaseTag;
}

/**
 * Promotion: refuses a tag missing from any repository, then adds the protected release tag (kept by
 * the lifecycle policy) to the same manifest. Idempotent: a release tag already on the same image
 * (same digest) is left alone (tags are immutable); one on another image refuses the promotion,
 * in every repository, before any tag is added. Returns one line per repository.
 */
export async function promote(ecr: ECRClient, tag: string, releaseTag: string, repositories: readonly string[]): Promise<string[]> {
  const needsTag: string[] = [];
  for (const repository of repositories) {
    const digest = await digestOf(ecr, repository, tag);
    if (!digest) throw new UserError(`Refusing to promote: ${repository} has no image tagged ${tag}`, EXIT.refused);
    const releaseDigest = await digestOf(ecr, repository, releaseTag);
    if (releaseDigest === undefined) needsTag.push(repository);
    else if (releaseDigest !== digest) {
      throw new UserError(`Refusing to promote: ${repository}:${releaseTag} already exists on another image (${releaseDigest}, while ${tag} is ${digest})`, EXIT.refused);
    }
  }
  const lines: string[] = [];
  for (const repository of repositories) {
    if (!needsTag.includes(repository)) {
      lines.push(`${repository}: ${releaseTag} already exists on the same image`);
      continue;
    }
    const got = await attempt(`read the manifest of ${repository}:${tag}`, () => ecr.send(new BatchGetImageCommand({ repositoryName: repository, imageIds: [{ imageTag: tag }] })));
    // BatchGetImage reports a missing image in `failures` (ImageFailure: failureCode ImageNotFound...), not as an error.
    const image = got.images?.[0];
    if (!image?.imageManifest) throw new UserError(`Could not read the manifest of ${repository}:${tag}: ${got.failures?.[0]?.failureReason ?? "no image returned"}`, EXIT.aws);
    await attempt(`tag ${repository}:${tag} as ${releaseTag}`, () =>
      ecr.send(new PutImageCommand({ repositoryName: repository, imageTag: releaseTag, imageManifest: image.imageManifest, imageManifestMediaType: image.imageManifestMediaType })),
    );
    lines.push(`${repository}: tagged ${tag} as ${releaseTag}`);
  }
  return lines;
}

/** `npm run -s promote -- <tag>`: the registry's region, release tag prefix and repositories come from env/. */
export async function promoteCommand(args: readonly string[], output: Output, createClient: (region: string) => ECRClient): Promise<number> {
  const { values, positionals } = parseFlags(args, { "config-dir": { type: "string", default: "env" }, help: { type: "boolean" } }, USAGE);
  if (values.help) {
    output.stdout.write(`${USAGE}\n`);
    return EXIT.ok;
  }
  if (positionals.length !== 1) throw new UserError(`expected exactly one image tag\n${USAGE}`, EXIT.usage);
  const { registry } = loadConfig(values["config-dir"] ?? "env");
  const releaseTag = releaseTagOf(positionals[0], registry.releaseTagPrefix);
  await checkAwsEnvironment(output.environment);
  const ecr = createClient(registry.region);
  try {
    for (const line of await promote(ecr, positionals[0], releaseTag, Object.values(REPOSITORY_NAMES))) output.stdout.write(`${line}\n`);
    return EXIT.ok;
  } finally {
    ecr.destroy();
  }
}

if (require.main === module) {
  silenceSdkNodeVersionWarning();
  runMain(() => promoteCommand(process.argv.slice(2), processOutput(), (region) => new ECRClient(clientSettings(region, process.env))));
}
