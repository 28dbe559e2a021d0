import type { ECSClient, Deployment } from "@aws-sdk/client-ecs";
import type { ElasticLoadBalancingV2Client } from "@aws-sdk/client-elastic-load-balancing-v2";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { UserError } from "../cli/errors";
import { EXIT } from "../cli/exit-codes";
import { httpProbe } from "../ops/http-probe";
import { status, WAIT_SECONDS, type WaitRuntime } from "../ops/status";
import type { StatusClients } from "../ops/status-collect";
import { awsError, captured, fakeClient } from "./ops-fakes";

// Recorded shapes of DescribeServices during a rolling deploy (ECS API reference: deployments,
// rolloutState IN_PROGRESS / COMPLETED / FAILED), ListTasks and DescribeTasks.
const FAMILY = "arn:aws:ecs:eu-west-3:123456789012:task-definition/city-guided-staging";
const NEW = `${FAMILY}:5`;
const OLD = `${FAMILY}:4`;
const deployment = (taskDefinition: string, status: string, rolloutState: string): Deployment => ({ taskDefinition, status, rolloutState: rolloutState as Deployment["rolloutState"] });
const serviceWith = (...deployments: Deployment[]) => ({
  services: [{ serviceName: "city-guided-staging", status: "ACTIVE", taskDefinition: NEW, deployments }],
  failures: [],
});
const ROLLING = serviceWith(deployment(NEW, "PRIMARY", "IN_PROGRESS"), deployment(OLD, "ACTIVE", "COMPLETED"));
const DONE = serviceWith(deployment(NEW, "PRIMARY", "COMPLETED"));
const TASK = (id: string, taskDefinitionArn = NEW) => ({ taskArn: `arn:aws:ecs:eu-west-3:123456789012:task/city-guided-staging/${id}`, taskDefinitionArn });
const LOAD_BALANCER = { LoadBalancers: [{ LoadBalancerName: "city-guided-staging", DNSName: "city-guided-staging-1.eu-west-3.elb.amazonaws.com" }] };

/** A clock that sleeping advances; the probe answers the given statuses in order (the last repeats). */
function runtime(statuses: (number | undefined)[]) {
  let seconds = 0;
  const probed: string[] = [];
  const value: WaitRuntime = {
    now: () => seconds,
    sleep: async (pause) => void (seconds += pause),
    probe: async (url) => (probed.push(url), statuses[Math.min(probed.length - 1, statuses.length - 1)]),
  };
  return { value, probed, elapsed: () => seconds };
}

function clients(ecs: Record<string, unknown[]>) {
  const ecsFake = fakeClient<ECSClient>(ecs);
  const elbFake = fakeClient<ElasticLoadBalancingV2Client>({ DescribeLoadBalancersCommand: [LOAD_BALANCER] });
  const factory = () => ({ ecs: ecsFake.client, elb: elbFake.client, ecr: { destroy: () => undefined } }) as unknown as StatusClients;
  return { ecsFake, elbFake, factory };
}

const HEALTHY_TASKS = { ListTasksCommand: [{ taskArns: [TASK("a").taskArn, TASK("b").taskArn] }], DescribeTasksCommand: [{ tasks: [TASK("a"), TASK("b")] }] };

async function wait(args: string[], ecs: Record<string, unknown[]>, statuses: (number | undefined)[] = [200]) {
  const output = captured();
  const fakes = clients(ecs);
  const clock = runtime(statuses);
  const result = await status(["staging", "--wait", ...args], output, fakes.factory, clock.value).then(
    (code) => ({ code, message: "" }),
    (error) => {
      if (!(error instanceof UserError)) throw error;
      return { code: error.exitCode as number, message: error.message };
    },
  );
  return { ...result, output: output.text(), probed: clock.probed, elapsed: clock.elapsed(), ...fakes };
}

describe("status --wait", () => {
  test("settles on the new task definition, wakes the site, and checks every running task", async () => {
    const run = await wait(["--path", "/health"], { DescribeServicesCommand: [ROLLING, ROLLING, DONE], ...HEALTHY_TASKS }, [503, undefined, 200]);
    expect(run.code).toBe(EXIT.ok);
    expect(run.probed).toEqual(Array(3).fill("http://city-guided-staging-1.eu-west-3.elb.amazonaws.com/health"));
    // Rolling twice (the first answer names the target task definition), 15 s apart, then completed; two failed probes, 10 s apart.
    expect(run.elapsed).toBe(2 * 15 + 2 * 10);
    expect(run.ecsFake.calls.filter((call) => call.command === "DescribeServicesCommand")).toHaveLength(3);
    expect(run.output.split("\n")).toEqual([
      `Waiting for city-guided-staging to settle on ${NEW}`,
      "Deployment completed",
      "Requesting http://city-guided-staging-1.eu-west-3.elb.amazonaws.com/health until it answers 2xx",
      "http://city-guided-staging-1.eu-west-3.elb.amazonaws.com/health answered 200",
      `city-guided-staging is steady on ${NEW} and healthy`,
      "",
    ]);
    expect(run.ecsFake.calls.find((call) => call.command === "ListTasksCommand")?.input).toEqual({ cluster: "city-guided-staging", serviceName: "city-guided-staging", desiredStatus: "RUNNING" });
    expect(run.ecsFake.calls.find((call) => call.command === "DescribeTasksCommand")?.input).toEqual({ cluster: "city-guided-staging", tasks: [TASK("a").taskArn, TASK("b").taskArn] });
  });

  test("a circuit-breaker rollback fails at once (exit 2), without requesting the site", async () => {
    const run = await wait([], { DescribeServicesCommand: [ROLLING, serviceWith(deployment(NEW, "PRIMARY", "FAILED"), deployment(OLD, "ACTIVE", "COMPLETED"))] });
    expect(run).toMatchObject({ code: EXIT.attention, message: `Deployment of ${NEW} failed (circuit breaker): ECS rolls back to the previous task definition`, probed: [] });
  });

  test("a rollout still in progress at the deadline times out (exit 2)", async () => {
    const run = await wait(["--timeout", "50"], { DescribeServicesCommand: [ROLLING] });
    expect(run).toMatchObject({ code: EXIT.attention, message: `Timed out: 2 deployment(s), primary ${NEW} is IN_PROGRESS`, probed: [] });
    // 15 + 15 + 15, then the last pause is cut short: the last look is at the deadline, not after it.
    expect(run.elapsed).toBe(50);
    expect(run.ecsFake.calls).toHaveLength(4 + 1);
  });

  test(`the default deadline is ${WAIT_SECONDS} s, shared by the rollout and the site`, async () => {
    const run = await wait([], { DescribeServicesCommand: [DONE] }, [503]);
    expect(run).toMatchObject({ code: EXIT.attention, message: "Timed out: http://city-guided-staging-1.eu-west-3.elb.amazonaws.com/ last answered 503" });
    expect(run.elapsed).toBe(WAIT_SECONDS);
  });

  test("a site that never answers: 'last answered nothing'", async () => {
    const run = await wait(["--timeout", "30", "--url", "https://staging.example.org/"], { DescribeServicesCommand: [DONE] }, [undefined]);
    expect(run.message).toBe("Timed out: https://staging.example.org/ last answered nothing");
    // --url: the load balancer is not asked.
    expect(run.elbFake.calls).toEqual([]);
  });

  test("tasks still on an older task definition fail (exit 2)", async () => {
    const run = await wait([], { DescribeServicesCommand: [DONE], ListTasksCommand: [{ taskArns: ["a", "b"] }], DescribeTasksCommand: [{ tasks: [TASK("a"), TASK("b", OLD)] }] });
    expect(run).toMatchObject({ code: EXIT.attention, message: `Tasks still run an older task definition: ${TASK("b").taskArn}` });
  });

  test("a site that answers with no task running fails (exit 2)", async () => {
    const run = await wait([], { DescribeServicesCommand: [DONE], ListTasksCommand: [{ taskArns: [] }] });
    expect(run).toMatchObject({ code: EXIT.attention, message: "The site answered but no task of city-guided-staging runs" });
  });

  test("a service that does not exist: nothing to wait for (exit 2)", async () => {
    const run = await wait([], { DescribeServicesCommand: [awsError("ClusterNotFoundException", "Cluster not found.")] });
    expect(run).toMatchObject({ code: EXIT.attention, message: expect.stringContaining("does not exist: nothing to wait for") });
  });

  test("access denied while waiting fails as AWS refusing (exit 3)", async () => {
    const run = await wait([], { DescribeServicesCommand: [DONE], ListTasksCommand: [awsError("AccessDeniedException", "denied")] });
    expect(run).toMatchObject({ code: EXIT.aws, message: expect.stringMatching(/^Access denied: .*list the tasks of ECS service city-guided-staging/) });
  });

  test.each([
    [["--timeout", "0"], /--timeout "0" must be a whole number of seconds from 1 to 3600/],
    [["--timeout", "1.5"], /--timeout "1.5"/],
    [["--url", "ftp://x"], /--url "ftp:\/\/x" is not an http\(s\) URL/],
    [["--path", "health"], /--path "health" must start with \//],
    [["--url", "http://x", "--path", "/"], /give --url or --path, not both/],
    [["--json"], /--json does not go with --wait/],
  ])("bad flags %j: exit 1 before any AWS call", async (args, message) => {
    const run = await wait(args, {});
    expect(run).toMatchObject({ code: EXIT.usage, message: expect.stringMatching(message) });
    expect(run.ecsFake.calls).toEqual([]);
  });

  test("--timeout, --url and --path only go with --wait", async () => {
    const error = await status(["staging", "--timeout", "5"], captured(), clients({}).factory).catch((caught) => caught);
    expect(error).toMatchObject({ exitCode: EXIT.usage, message: expect.stringContaining("--timeout only goes with --wait") });
  });
});

describe("the site request (ops/http-probe.ts)", () => {
  let server: Server;
  let base: string;
  beforeAll(async () => {
    server = createServer((request, response) => {
      if (request.url === "/moved") response.writeHead(301, { location: "/ok" }).end();
      else if (request.url === "/loop") response.writeHead(302, { location: "/loop" }).end();
      else if (request.url === "/ok") response.writeHead(204).end();
      else response.writeHead(503).end();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  test("follows redirects: only the final answer counts", async () => {
    expect(await httpProbe(`${base}/moved`)).toBe(204);
  });
  test("an error status is returned as is", async () => {
    expect(await httpProbe(`${base}/down`)).toBe(503);
  });
  test("endless redirects and a refused connection count as no answer", async () => {
    expect(await httpProbe(`${base}/loop`)).toBeUndefined();
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    expect(await httpProbe(`http://127.0.0.1:${port}/`)).toBeUndefined();
  });
});
