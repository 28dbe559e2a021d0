import { DescribeTaskDefinitionCommand, ECSClient } from "@aws-sdk/client-ecs";
import { UserError } from "../cli/errors";
import { EXIT } from "../cli/exit-codes";
import { runMain } from "../cli/main";
import { isImageTag } from "../config/image-tag";
import { loadConfig } from "../config/load";
import { environmentNames } from "../constructs/names";
import { checkAwsEnvironment, clientSettings, silenceSdkNodeVersionWarning } from "./aws";
import { findEnvironment, parseFlags, processOutput, type Output } from "./cli";
import { findService } from "./ecs-service";
import { attempt } from "./errors";

const USAGE = "usage: npm run -s running-tag -- <environment> [--region <region>] [--config-dir <dir>]";

/** The container whose image tag is the environment's tag (api and web always run the same tag). */
const TAGGED_CONTAINER = "api";

/**
 * The image tag an environment's service runs now: its current task definition's api image, the
 * part after the last ':'. Undefined when the service does not exist (a new environment).
 */
export async function runningTag(ecs: ECSClient, environment: string): Promise<string | undefined> {
  const names = environmentNames(environment);
  const service = await findService(ecs, names.cluster, names.service);
  if (!service?.taskDefinition) return undefined;
  const taskDefinition = service.taskDefinition;
  const described = await attempt(`describe task definition ${taskDefinition}`, () => ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition })));
  const image = described.taskDefinition?.containerDefinitions?.find((container) => container.name === TAGGED_CONTAINER)?.image ?? "";
  // name[:tag][@digest]: the tag follows the last ':' after the last '/' (a registry may have a port), before any digest.
  const tag = /:([^:/]+)$/.exec(image.split("@")[0])?.[1];
  if (tag === undefined || !isImageTag(tag)) {
    throw new UserError(`The ${TAGGED_CONTAINER} container of ${taskDefinition} has no tagged image (${image || "no image"})`, EXIT.attention);
  }
  return tag;
}

/**
 * `npm run -s running-tag -- <environment>`: prints the tag (one line), or nothing when the
 * environment runs nothing yet; access denied, throttling or no network fail (exit 3). With
 * --region no env file is read: scripts/plan-stacks.sh plans stacks a pull request adds, which the
 * base branch's env/ does not know (their region comes from the synthesized stack).
 */
export async function runningTagCommand(args: readonly string[], output: Output, createClient: (region: string) => ECSClient): Promise<number> {
  const { values, positionals } = parseFlags(
    args,
    { region: { type: "string" }, "config-dir": { type: "string", default: "env" }, help: { type: "boolean" } },
    USAGE,
  );
  if (values.help) {
    output.stdout.write(`${USAGE}\n`);
    return EXIT.ok;
  }
  if (positionals.length !== 1) throw new UserError(`expected exactly one environment name\n${USAGE}`, EXIT.usage);
  const configDir = values["config-dir"] ?? "env";
  if (values.region !== undefined && !/^[a-z]{2}(-[a-z]+)+-\d$/.test(values.region)) throw new UserError(`--region "${values.region}" is not an AWS region name (like eu-west-3)\n${USAGE}`, EXIT.usage);
  const region = values.region ?? findEnvironment(loadConfig(configDir), positionals[0], configDir).region;
  await checkAwsEnvironment(output.environment);
  const ecs = createClient(region);
  try {
    const tag = await runningTag(ecs, positionals[0]);
    if (tag !== undefined) output.stdout.write(`${tag}\n`);
    return EXIT.ok;
  } finally {
    ecs.destroy();
  }
}

if (require.main === module) {
  silenceSdkNodeVersionWarning();
  runMain(() => runningTagCommand(process.argv.slice(2), processOutput(), (region) => new ECSClient(clientSettings(region, process.env))));
}
