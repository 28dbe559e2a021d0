import type { ECRClient } from "@aws-sdk/client-ecr";
import { UserError } from "../cli/errors";
import { EXIT } from "../cli/exit-codes";
import { promote, promoteCommand, releaseTagOf } from "../ops/promote";
import { awsError, captured, fakeClient } from "./ops-fakes";

// Recorded shapes of ECR's DescribeImages / BatchGetImage answers (ECR API reference); a tag that
// no image has is an ImageNotFoundException.
const REPOSITORIES = ["city-guided-api", "city-guided-web"];
const MANIFEST = '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json"}';
const notFound = () => awsError("ImageNotFoundException", "The image with imageId {imageTag:'release-abc123'} does not exist within the repository");
const digest = (value: string) => ({ imageDetails: [{ imageDigest: value, imageTags: ["abc123"] }] });
const manifest = { images: [{ imageManifest: MANIFEST, imageManifestMediaType: "application/vnd.oci.image.manifest.v1+json", imageId: { imageTag: "abc123" } }], failures: [] };

/** DescribeImages answers by repository and tag; `undefined` = no such tag. */
function registry(digests: Record<string, string | Error | undefined>) {
  const fake = fakeClient<ECRClient>({ BatchGetImageCommand: [manifest], PutImageCommand: [{ image: {} }] });
  const client = fake.client as unknown as { send: (command: any) => Promise<unknown> };
  const send = client.send;
  client.send = async (command) => {
    if (command.constructor.name !== "DescribeImagesCommand") return send(command);
    fake.calls.push({ command: "DescribeImagesCommand", input: command.input });
    const answer = digests[`${command.input.repositoryName}:${command.input.imageIds[0].imageTag}`];
    if (answer instanceof Error) throw answer;
    if (answer === undefined) throw notFound();
    return digest(answer);
  };
  return fake;
}

async function refusal(promise: Promise<unknown>): Promise<UserError> {
  const error = await promise.then(() => undefined, (caught) => caught);
  expect(error).toBeInstanceOf(UserError);
  return error as UserError;
}

const puts = (fake: ReturnType<typeof registry>) => fake.calls.filter((call) => call.command === "PutImageCommand").map((call) => call.input);

describe("promote", () => {
  test("adds the release tag to the same manifest in every repository", async () => {
    const fake = registry({ "city-guided-api:abc123": "sha256:aaa", "city-guided-web:abc123": "sha256:bbb" });
    expect(await promote(fake.client, "abc123", "release-abc123", REPOSITORIES)).toEqual(["city-guided-api: tagged abc123 as release-abc123", "city-guided-web: tagged abc123 as release-abc123"]);
    expect(puts(fake)).toEqual(
      REPOSITORIES.map((repositoryName) => ({ repositoryName, imageTag: "release-abc123", imageManifest: MANIFEST, imageManifestMediaType: "application/vnd.oci.image.manifest.v1+json" })),
    );
  });

  test("a release tag already on the same image is left alone (idempotent)", async () => {
    const fake = registry({ "city-guided-api:abc123": "sha256:aaa", "city-guided-api:release-abc123": "sha256:aaa", "city-guided-web:abc123": "sha256:bbb" });
    expect(await promote(fake.client, "abc123", "release-abc123", REPOSITORIES)).toEqual(["city-guided-api: release-abc123 already exists on the same image", "city-guided-web: tagged abc123 as release-abc123"]);
    expect(puts(fake).map((put) => put.repositoryName)).toEqual(["city-guided-web"]);
  });

  test("a release tag on another image refuses the promotion, and no repository gets a tag", async () => {
    // The conflict is in the second repository: the first must not have been tagged already.
    const fake = registry({ "city-guided-api:abc123": "sha256:aaa", "city-guided-web:abc123": "sha256:bbb", "city-guided-web:release-abc123": "sha256:ccc" });
    const thrown = await refusal(promote(fake.client, "abc123", "release-abc123", REPOSITORIES));
    expect(thrown.exitCode).toBe(EXIT.refused);
    expect(thrown.message).toBe("Refusing to promote: city-guided-web:release-abc123 already exists on another image (sha256:ccc, while abc123 is sha256:bbb)");
    expect(puts(fake)).toEqual([]);
  });

  test("a tag missing from any repository is refused before any tag is added", async () => {
    const fake = registry({ "city-guided-api:abc123": "sha256:aaa" });
    const thrown = await refusal(promote(fake.client, "abc123", "release-abc123", REPOSITORIES));
    expect(thrown.message).toBe("Refusing to promote: city-guided-web has no image tagged abc123");
    expect(puts(fake)).toEqual([]);
  });

  test("any other error fails loudly (exit 3), never reads as a missing tag", async () => {
    const fake = registry({ "city-guided-api:abc123": awsError("AccessDeniedException", "denied") });
    const thrown = await refusal(promote(fake.client, "abc123", "release-abc123", REPOSITORIES));
    expect(thrown.exitCode).toBe(EXIT.aws);
    expect(thrown.message).toMatch(/^Access denied: .*read city-guided-api:abc123 .*AccessDeniedException/);
  });

  test("a manifest BatchGetImage does not return fails, before PutImage", async () => {
    const fake = registry({ "city-guided-api:abc123": "sha256:aaa", "city-guided-web:abc123": "sha256:bbb" });
    const client = fake.client as unknown as { send: (command: any) => Promise<unknown> };
    const send = client.send;
    client.send = async (command) => (command.constructor.name === "BatchGetImageCommand" ? { images: [], failures: [{ failureCode: "ImageNotFound", failureReason: "Requested image not found" }] } : send(command));
    const thrown = await refusal(promote(fake.client, "abc123", "release-abc123", REPOSITORIES));
    expect(thrown.message).toBe("Could not read the manifest of city-guided-api:abc123: Requested image not found");
    expect(puts(fake)).toEqual([]);
  });
});

describe("the release tag", () => {
  test("is <prefix><tag>", () => {
    expect(releaseTagOf("abc123", "release-")).toBe("release-abc123");
  });
  test.each([".bad", "-x", "a b", ""])("an invalid tag %j is refused by the image-tag rule", (tag) => {
    expect(() => releaseTagOf(tag, "release-")).toThrow(/^Invalid image tag/);
  });
  test("longer than a tag may be: refused", () => {
    expect(() => releaseTagOf("a".repeat(121), "release-")).toThrow('Release tag "release-aaaa');
    expect(releaseTagOf("a".repeat(120), "release-")).toHaveLength(128);
  });
});

describe("npm run promote", () => {
  test("uses the registry's region, release tag prefix and repositories from env/", async () => {
    const fake = registry({ "city-guided-api:abc123": "sha256:aaa", "city-guided-web:abc123": "sha256:bbb" });
    const output = captured();
    const regions: string[] = [];
    expect(await promoteCommand(["abc123"], output, (region) => (regions.push(region), fake.client))).toBe(EXIT.ok);
    expect(regions).toEqual(["eu-west-3"]);
    expect(output.text()).toBe("city-guided-api: tagged abc123 as release-abc123\ncity-guided-web: tagged abc123 as release-abc123\n");
  });

  test.each([[[]], [["a", "b"]], [[".bad"]], [["abc", "--force"]]])("bad input %j: exit 1 and no AWS client", async (args) => {
    const thrown = await refusal(promoteCommand(args, captured(), () => { throw new Error("no client expected"); }));
    expect(thrown.exitCode).toBe(EXIT.usage);
  });
});
