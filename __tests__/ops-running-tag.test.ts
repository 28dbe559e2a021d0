import type { ECSClient } from "@aws-sdk/client-ecs";
import { UserError } from "../cli/errors";
import { EXIT } from "../cli/exit-codes";
import { runningTag, runningTagCommand } from "../ops/running-tag";
import { awsError, captured, fakeClient } from "./ops-fakes";

// Recorded shapes of DescribeServices / DescribeTaskDefinition answers (ECS API reference): a
// missing service is a success with a failure of reason MISSING; a deleted one is listed INACTIVE.
const TASK_DEFINITION = "arn:aws:ecs:eu-west-3:123456789012:task-definition/city-guided-qa:7";
const active = { services: [{ serviceName: "city-guided-qa", status: "ACTIVE", taskDefinition: TASK_DEFINITION }], failures: [] };
const definition = (image: string) => ({
  taskDefinition: { taskDefinitionArn: TASK_DEFINITION, containerDefinitions: [{ name: "web", image: "x/city-guided-web:other" }, { name: "api", image }] },
});
const API_IMAGE = "123456789012.dkr.ecr.eu-west-3.amazonaws.com/city-guided-api:abc123";

const read = (answers: Record<string, unknown[]>) => {
  const fake = fakeClient<ECSClient>(answers);
  return { fake, tag: runningTag(fake.client, "qa") };
};

async function failure(promise: Promise<unknown>): Promise<UserError> {
  const error = await promise.then(() => undefined, (caught) => caught);
  expect(error).toBeInstanceOf(UserError);
  return error as UserError;
}

describe("running-tag", () => {
  test("the api container's tag of the service's current task definition", async () => {
    const { fake, tag } = read({ DescribeServicesCommand: [active], DescribeTaskDefinitionCommand: [definition(API_IMAGE)] });
    expect(await tag).toBe("abc123");
    expect(fake.calls).toEqual([
      { command: "DescribeServicesCommand", input: { cluster: "city-guided-qa", services: ["city-guided-qa"] } },
      { command: "DescribeTaskDefinitionCommand", input: { taskDefinition: TASK_DEFINITION } },
    ]);
  });

  test.each([
    ["the cluster is not found", [awsError("ClusterNotFoundException", "Cluster not found.")]],
    ["the service is missing", [{ services: [], failures: [{ arn: "arn:aws:ecs:eu-west-3:123456789012:service/city-guided-qa/city-guided-qa", reason: "MISSING" }] }]],
    ["the service is inactive (deleted)", [{ services: [{ ...active.services[0], status: "INACTIVE" }], failures: [] }]],
  ])("not deployed when %s: no tag, and no other call", async (_case, answer) => {
    const { fake, tag } = read({ DescribeServicesCommand: answer });
    expect(await tag).toBeUndefined();
    expect(fake.calls.map((call) => call.command)).toEqual(["DescribeServicesCommand"]);
  });

  test.each([
    ["access denied", awsError("AccessDeniedException", "User is not authorized to perform: ecs:DescribeServices"), /^Access denied: .*describe ECS service city-guided-qa .*AccessDeniedException/],
    ["throttling", awsError("ThrottlingException", "Rate exceeded"), /^Could not describe ECS service city-guided-qa in cluster city-guided-qa: ThrottlingException: Rate exceeded$/],
    ["no network", Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5000"), { code: "ECONNREFUSED" }), /^Could not reach AWS .*ECONNREFUSED/],
  ])("%s fails loudly (exit 3), never reads as not deployed", async (_case, error, message) => {
    const thrown = await failure(read({ DescribeServicesCommand: [error] }).tag);
    expect(thrown.exitCode).toBe(EXIT.aws);
    expect(thrown.message).toMatch(message);
  });

  test("a failure other than MISSING fails, naming its reason", async () => {
    const thrown = await failure(read({ DescribeServicesCommand: [{ services: [], failures: [{ arn: "x", reason: "SOMETHING_ELSE", detail: "why" }] }] }).tag);
    expect(thrown.exitCode).toBe(EXIT.aws);
    expect(thrown.message).toContain("SOMETHING_ELSE (why)");
  });

  test("reading the task definition fails loudly too", async () => {
    const thrown = await failure(read({ DescribeServicesCommand: [active], DescribeTaskDefinitionCommand: [awsError("AccessDeniedException", "denied")] }).tag);
    expect(thrown.exitCode).toBe(EXIT.aws);
    expect(thrown.message).toContain(`describe task definition ${TASK_DEFINITION}`);
  });

  test.each(["123456789012.dkr.ecr.eu-west-3.amazonaws.com/city-guided-api", "registry:5000/city-guided-api", "city-guided-api@sha256:0123", "x/city-guided-api:.bad"])(
    "an api image without a valid tag (%s) is not a running tag (exit 2)",
    async (image) => {
      const thrown = await failure(read({ DescribeServicesCommand: [active], DescribeTaskDefinitionCommand: [definition(image)] }).tag);
      expect(thrown.exitCode).toBe(EXIT.attention);
      expect(thrown.message).toContain("has no tagged image");
    },
  );
});

describe("npm run running-tag", () => {
  const run = async (args: string[], answers: Record<string, unknown[]>) => {
    const output = captured();
    const regions: string[] = [];
    const fake = fakeClient<ECSClient>(answers);
    const code = await runningTagCommand(args, output, (region) => (regions.push(region), fake.client));
    return { code, output: output.text(), regions };
  };

  test("prints the tag on one line, asking the environment's region (env/.env.staging)", async () => {
    expect(await run(["staging"], { DescribeServicesCommand: [active], DescribeTaskDefinitionCommand: [definition(API_IMAGE)] })).toEqual({ code: 0, output: "abc123\n", regions: ["eu-west-3"] });
  });

  test("prints nothing when not deployed", async () => {
    expect(await run(["staging"], { DescribeServicesCommand: [awsError("ClusterNotFoundException", "Cluster not found.")] })).toEqual({ code: 0, output: "", regions: ["eu-west-3"] });
  });

  test("--region: an environment env/ does not know (a pull request's new stack), no env file read", async () => {
    expect(await run(["qa", "--region", "eu-central-1", "--config-dir", "/nonexistent"], { DescribeServicesCommand: [active], DescribeTaskDefinitionCommand: [definition(API_IMAGE)] })).toEqual({
      code: 0,
      output: "abc123\n",
      regions: ["eu-central-1"],
    });
  });

  test.each([
    [[], /expected exactly one environment name/],
    [["qa"], /Unknown environment "qa"/],
    [["staging", "--region", "mars"], /--region "mars" is not an AWS region name/],
    [["staging", "--tag"], /Unknown option '--tag'/],
  ])("bad input %j is refused before any AWS call (exit 1)", async (args, message) => {
    const thrown = await failure(run(args, {}));
    expect(thrown.exitCode).toBe(EXIT.usage);
    expect(thrown.message).toMatch(message);
  });
});
