import { ECRClient } from "@aws-sdk/client-ecr";
import { ECSClient } from "@aws-sdk/client-ecs";
import { ElasticLoadBalancingV2Client } from "@aws-sdk/client-elastic-load-balancing-v2";
import { loadConfig } from "../config/load";
import { UserError } from "../cli/errors";
import { EXIT } from "../cli/exit-codes";
import { runMain } from "../cli/main";
import { checkAwsEnvironment, clientSettings, silenceSdkNodeVersionWarning } from "./aws";
import { findEnvironment, parseFlags, processOutput, type Output } from "./cli";
import { startProgress } from "./progress";
import { collectStatus, type StatusClients, type StatusTarget } from "./status-collect";
import { renderJson, renderText } from "./status-render";
import { buildReport } from "./status-report";

const USAGE = "usage: npm run status -- <environment> [--json] [--config-dir <dir>]";

/** Builds the clients for one environment: ECS and ELB where it runs, ECR where the registry is. */
export type StatusClientFactory = (target: StatusTarget) => StatusClients;

export const awsStatusClients =
  (environment: NodeJS.ProcessEnv): StatusClientFactory =>
  (target) => ({
    ecs: new ECSClient(clientSettings(target.region, environment)),
    ecr: new ECRClient(clientSettings(target.registryRegion, environment)),
    elb: new ElasticLoadBalancingV2Client(clientSettings(target.region, environment)),
  });

/** Prints one environment's status; exit 0 when steady or idle, 2 when not steady. */
export async function status(args: readonly string[], output: Output, createClients: StatusClientFactory): Promise<number> {
  const { values, positionals } = parseFlags(
    args,
    { json: { type: "boolean", default: false }, "config-dir": { type: "string", default: "env" }, help: { type: "boolean" } },
    USAGE,
  );
  if (values.help) {
    output.stdout.write(`${USAGE}\n`);
    return EXIT.ok;
  }
  if (positionals.length !== 1) throw new UserError(`expected exactly one environment name\n${USAGE}`, EXIT.usage);
  const configDir = values["config-dir"] ?? "env";
  const environment = findEnvironment(loadConfig(configDir), positionals[0], configDir);
  const target: StatusTarget = { environment: environment.name, region: environment.region, registryRegion: environment.registryRegion };
  await checkAwsEnvironment(output.environment);
  const clients = createClients(target);
  const progress = startProgress(output.stderr, output.environment, `reading ${environment.name} from AWS...`);
  try {
    const report = buildReport(await collectStatus(clients, target));
    progress.stop();
    output.stdout.write(values.json ? renderJson(report) : renderText(report));
    return report.ok ? EXIT.ok : EXIT.attention;
  } finally {
    progress.stop();
    for (const client of Object.values(clients)) client.destroy();
  }
}

if (require.main === module) {
  silenceSdkNodeVersionWarning();
  runMain(() => status(process.argv.slice(2), processOutput(), awsStatusClients(process.env)));
}
