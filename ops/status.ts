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
import { httpProbe, type Probe } from "./http-probe";
import { renderJson, renderText } from "./status-render";
import { buildReport } from "./status-report";
import { waitForDeploy, type WaitOptions } from "./status-wait";

const USAGE = "usage: npm run status -- <environment> [--json] [--config-dir <dir>] [--wait [--timeout <seconds>] [--url <url> | --path <path>]]";

/** How long `--wait` waits at most by default: a rollout, a wake from zero and the health checks. */
export const WAIT_SECONDS = 900;
const MAX_WAIT_SECONDS = 3600;

/** Builds the clients for one environment: ECS and ELB where it runs, ECR where the registry is. */
export type StatusClientFactory = (target: StatusTarget) => StatusClients;

export const awsStatusClients =
  (environment: NodeJS.ProcessEnv): StatusClientFactory =>
  (target) => ({
    ecs: new ECSClient(clientSettings(target.region, environment)),
    ecr: new ECRClient(clientSettings(target.registryRegion, environment)),
    elb: new ElasticLoadBalancingV2Client(clientSettings(target.region, environment)),
  });

/** The clock, the pause and the HTTP request of `--wait`: tests replace them. */
export type WaitRuntime = Pick<WaitOptions, "probe" | "sleep" | "now">;

export const realWaitRuntime: WaitRuntime = {
  probe: httpProbe as Probe,
  sleep: (seconds) => new Promise((resolve) => setTimeout(resolve, seconds * 1000)),
  now: () => performance.now() / 1000,
};

const FLAGS = {
  json: { type: "boolean", default: false },
  "config-dir": { type: "string", default: "env" },
  wait: { type: "boolean", default: false },
  timeout: { type: "string" },
  url: { type: "string" },
  path: { type: "string" },
  help: { type: "boolean" },
} as const;

/** The --wait flags, checked before any AWS call. */
function waitSettings(values: { wait?: boolean; timeout?: string; url?: string; path?: string; json?: boolean }): Pick<WaitOptions, "timeoutSeconds" | "url" | "path"> | undefined {
  if (!values.wait) {
    const stray = (["timeout", "url", "path"] as const).find((flag) => values[flag] !== undefined);
    if (stray) throw new UserError(`--${stray} only goes with --wait\n${USAGE}`, EXIT.usage);
    return undefined;
  }
  if (values.json) throw new UserError(`--json does not go with --wait\n${USAGE}`, EXIT.usage);
  const timeoutSeconds = values.timeout === undefined ? WAIT_SECONDS : Number(values.timeout);
  if (!Number.isInteger(timeoutSeconds) || timeoutSeconds < 1 || timeoutSeconds > MAX_WAIT_SECONDS) {
    throw new UserError(`--timeout "${values.timeout}" must be a whole number of seconds from 1 to ${MAX_WAIT_SECONDS}\n${USAGE}`, EXIT.usage);
  }
  if (values.url !== undefined && values.path !== undefined) throw new UserError(`give --url or --path, not both\n${USAGE}`, EXIT.usage);
  if (values.url !== undefined && !/^https?:\/\/[^/\s]+/.test(values.url)) throw new UserError(`--url "${values.url}" is not an http(s) URL\n${USAGE}`, EXIT.usage);
  const path = values.path ?? "/";
  if (!/^\/\S*$/.test(path)) throw new UserError(`--path "${path}" must start with / (no spaces)\n${USAGE}`, EXIT.usage);
  return { timeoutSeconds, url: values.url, path };
}

/**
 * Prints one environment's status; exit 0 when steady or idle, 2 when not steady. With --wait,
 * waits instead for a deploy to settle and the site to answer (ops/status-wait.ts): exit 0 when it
 * did, 2 when it rolled back, stayed unhealthy or ran out of time.
 */
export async function status(args: readonly string[], output: Output, createClients: StatusClientFactory, runtime: WaitRuntime = realWaitRuntime): Promise<number> {
  const { values, positionals } = parseFlags(args, FLAGS, USAGE);
  if (values.help) {
    output.stdout.write(`${USAGE}\n`);
    return EXIT.ok;
  }
  if (positionals.length !== 1) throw new UserError(`expected exactly one environment name\n${USAGE}`, EXIT.usage);
  const configDir = values["config-dir"] ?? "env";
  const environment = findEnvironment(loadConfig(configDir), positionals[0], configDir);
  const wait = waitSettings(values);
  const target: StatusTarget = {
    environment: environment.name,
    region: environment.region,
    registryRegion: environment.registryRegion,
    siteUrl: environment.domain ? `https://${environment.domain.name}` : undefined,
  };
  await checkAwsEnvironment(output.environment);
  const clients = createClients(target);
  try {
    if (!wait) return await printReport(clients, target, output, values.json ?? false);
    await waitForDeploy(clients, environment.name, { ...wait, ...runtime, state: environment.state, log: (line) => output.stdout.write(`${line}\n`) });
    return EXIT.ok;
  } finally {
    for (const client of Object.values(clients)) client.destroy();
  }
}

async function printReport(clients: StatusClients, target: StatusTarget, output: Output, json: boolean): Promise<number> {
  const progress = startProgress(output.stderr, output.environment, `reading ${target.environment} from AWS...`);
  try {
    const report = buildReport(await collectStatus(clients, target));
    progress.stop();
    output.stdout.write(json ? renderJson(report) : renderText(report));
    return report.ok ? EXIT.ok : EXIT.attention;
  } finally {
    progress.stop();
  }
}

if (require.main === module) {
  silenceSdkNodeVersionWarning();
  runMain(() => status(process.argv.slice(2), processOutput(), awsStatusClients(process.env)));
}
