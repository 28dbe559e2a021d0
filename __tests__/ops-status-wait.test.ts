import type { ECSClient, Deployment } from "@aws-sdk/client-ecs";
import type { ElasticLoadBalancingV2Client } from "@aws-sdk/client-elastic-load-balancing-v2";
import { appendFileSync, cpSync, mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { UserError } from "../cli/errors";
import { EXIT } from "../cli/exit-codes";
import { httpProbe } from "../ops/http-probe";
import { status, WAIT_SECONDS, type WaitRuntime } from "../ops/status";
import { waitForDeploy } from "../ops/status-wait";
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
const BALANCER_ARN = "arn:aws:elasticloadbalancing:eu-west-3:123456789012:loadbalancer/app/city-guided-staging/50dc6c495c0c9188";
const balancer = (Scheme: "internet-facing" | "internal") => ({
  LoadBalancers: [{ LoadBalancerName: "city-guided-staging", LoadBalancerArn: BALANCER_ARN, Scheme, DNSName: `${Scheme === "internal" ? "internal-" : ""}city-guided-staging-1.eu-west-3.elb.amazonaws.com` }],
});
const LOAD_BALANCER = balancer("internet-facing");

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

function clients(ecs: Record<string, unknown[]>, elb: Record<string, unknown[]> = { DescribeLoadBalancersCommand: [LOAD_BALANCER] }) {
  const ecsFake = fakeClient<ECSClient>(ecs);
  const elbFake = fakeClient<ElasticLoadBalancingV2Client>(elb);
  const factory = () => ({ ecs: ecsFake.client, elb: elbFake.client, ecr: { destroy: () => undefined } }) as unknown as StatusClients;
  return { ecsFake, elbFake, factory };
}

const HEALTHY_TASKS = { ListTasksCommand: [{ taskArns: [TASK("a").taskArn, TASK("b").taskArn] }], DescribeTasksCommand: [{ tasks: [TASK("a"), TASK("b")] }] };

async function wait(args: string[], ecs: Record<string, unknown[]>, statuses: (number | undefined)[] = [200], elb?: Record<string, unknown[]>) {
  const output = captured();
  const fakes = clients(ecs, elb);
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
    // Internet-facing: the request is the check (and the wake); no target health, no UpdateService.
    expect(run.elbFake.calls.map((call) => call.command)).toEqual(["DescribeLoadBalancersCommand"]);
    expect(run.ecsFake.calls.map((call) => call.command)).not.toContain("UpdateServiceCommand");
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

// Behind the proxy entry the load balancer is internal (docs/public-entry.md): recorded shapes of
// DescribeTargetGroups and DescribeTargetHealth (Elastic Load Balancing API reference: TargetHealth
// State initial | healthy | unhealthy | draining | unused, with its Reason).
const GROUP = (container: string) => ({
  TargetGroupName: `city-guided-staging-${container}`,
  TargetGroupArn: `arn:aws:elasticloadbalancing:eu-west-3:123456789012:targetgroup/city-guided-staging-${container}/${container === "web" ? "73e2d6bc24d8a067" : "0c4d8e21a5f3b9d2"}`,
});
const target = (ip: string, State: string, Reason?: string) => ({ Target: { Id: ip, Port: 3000 }, TargetHealth: { State, ...(Reason ? { Reason } : {}) } });
const health = (...targets: ReturnType<typeof target>[]) => ({ TargetHealthDescriptions: targets });
const HEALTHY = health(target("10.0.1.17", "healthy"));
/** DescribeTargetHealth per target group, answered by the group the call names. */
const byGroup = (answers: Record<string, unknown>) => (input: { TargetGroupArn: string }) => answers[input.TargetGroupArn.split("/")[1]];
const internal = (...healthAnswers: unknown[]) => ({
  DescribeLoadBalancersCommand: [balancer("internal")],
  DescribeTargetGroupsCommand: [{ TargetGroups: [GROUP("web")] }],
  DescribeTargetHealthCommand: healthAnswers,
});
const withCount = (desiredCount: number, answer: ReturnType<typeof serviceWith>) => ({ ...answer, services: answer.services.map((found) => ({ ...found, desiredCount })) });
const ASLEEP = withCount(0, DONE);
/** After the wake: a new deployment of the same task definition, one task wanted. */
const WAKING = withCount(1, serviceWith(deployment(NEW, "PRIMARY", "IN_PROGRESS"), deployment(NEW, "ACTIVE", "COMPLETED")));
const calls = (fake: { calls: { command: string }[] }, command: string) => fake.calls.filter((call) => call.command === command);

describe("status --wait behind an internal load balancer (the proxy entry)", () => {
  test("asleep at 0 tasks: woken once with a deployment of 1 task, then waits for healthy targets; the path is not requested", async () => {
    const run = await wait(
      ["--path", "/health"],
      { DescribeServicesCommand: [ROLLING, ASLEEP, WAKING], UpdateServiceCommand: [{}], ...HEALTHY_TASKS },
      [200],
      internal(health(), health(target("10.0.1.17", "initial", "Elb.RegistrationInProgress")), HEALTHY),
    );
    expect(run).toMatchObject({ code: EXIT.ok, probed: [] });
    expect(calls(run.ecsFake, "UpdateServiceCommand").map((call: any) => call.input)).toEqual([
      { cluster: "city-guided-staging", service: "city-guided-staging", desiredCount: 1, forceNewDeployment: true },
    ]);
    expect(calls(run.elbFake, "DescribeTargetGroupsCommand").map((call: any) => call.input)).toEqual([{ LoadBalancerArn: BALANCER_ARN }]);
    expect(calls(run.elbFake, "DescribeTargetHealthCommand").map((call: any) => call.input)).toEqual(Array(3).fill({ TargetGroupArn: GROUP("web").TargetGroupArn }));
    // 15 s of rollout; the wake, then no target and an initial one, 10 s apart each.
    expect(run.elapsed).toBe(15 + 3 * 10);
    expect(run.output.split("\n")).toEqual([
      `Waiting for city-guided-staging to settle on ${NEW}`,
      "Deployment completed",
      "Load balancer city-guided-staging is internal: it cannot be requested from here, so /health is not requested; instead each of its target groups must have a healthy target and none unhealthy (its own health checks of the containers' health paths)",
      "city-guided-staging sleeps at 0 tasks: waking it with 1 task (ECS UpdateService desiredCount 1, a new deployment, as the wake alarm would); once that deployment completes, the idle alarm puts it back to sleep as after any visitor who left",
      "Targets: city-guided-staging-web: 1 healthy",
      `city-guided-staging is steady on ${NEW} and healthy`,
      "",
    ]);
  });

  test("awake: no UpdateService; every target group needs a healthy target, draining ones of replaced tasks do not count", async () => {
    const awake = withCount(2, DONE);
    const run = await wait([], { DescribeServicesCommand: [awake], ...HEALTHY_TASKS }, [200], {
      ...internal(),
      DescribeTargetGroupsCommand: [{ TargetGroups: [GROUP("web"), GROUP("api")] }],
      // In call order, web then api at each look: api has no target yet, then a healthy one next to a draining one.
      DescribeTargetHealthCommand: [HEALTHY, health(), HEALTHY, health(target("10.0.2.9", "healthy"), target("10.0.2.4", "draining", "Target.DeregistrationInProgress"))],
    });
    expect(run).toMatchObject({ code: EXIT.ok, probed: [] });
    expect(calls(run.ecsFake, "UpdateServiceCommand")).toEqual([]);
    expect(run.elapsed).toBe(10);
    expect(run.output).toContain("Targets: city-guided-staging-web: 1 healthy; city-guided-staging-api: 1 healthy, 1 draining (Target.DeregistrationInProgress)\n");
  });

  test("a target still unhealthy at the deadline: exit 2, naming each group's states and reasons", async () => {
    const awake = withCount(1, DONE);
    const run = await wait(["--timeout", "60"], { DescribeServicesCommand: [awake], ...HEALTHY_TASKS }, [200], {
      ...internal(),
      DescribeTargetGroupsCommand: [{ TargetGroups: [GROUP("web"), GROUP("api")] }],
      // A healthy target does not make up for an unhealthy one of the new task.
      DescribeTargetHealthCommand: [byGroup({ "city-guided-staging-web": health(target("10.0.1.17", "healthy"), target("10.0.1.30", "unhealthy", "Target.ResponseCodeMismatch")), "city-guided-staging-api": HEALTHY })],
    });
    expect(run).toMatchObject({
      code: EXIT.attention,
      message:
        "Timed out: the targets of load balancer city-guided-staging are not all healthy: city-guided-staging-web: 1 healthy, 1 unhealthy (Target.ResponseCodeMismatch); city-guided-staging-api: 1 healthy",
      probed: [],
    });
    expect(run.elapsed).toBe(60);
    expect(calls(run.ecsFake, "UpdateServiceCommand")).toEqual([]);
    expect(calls(run.ecsFake, "ListTasksCommand")).toEqual([]);
  });

  test("the wake's deployment rolled back by the circuit breaker fails at once (exit 2)", async () => {
    const failed = withCount(1, serviceWith(deployment(NEW, "PRIMARY", "FAILED"), deployment(NEW, "ACTIVE", "COMPLETED")));
    const run = await wait([], { DescribeServicesCommand: [ASLEEP, WAKING, failed], UpdateServiceCommand: [{}] }, [200], internal(health(target("10.0.1.17", "unhealthy", "Target.Timeout"))));
    expect(run).toMatchObject({ code: EXIT.attention, message: `Deployment of ${NEW} failed (circuit breaker): ECS rolls back to the previous task definition` });
    expect(calls(run.ecsFake, "UpdateServiceCommand")).toHaveLength(1);
  });

  test("back at 0 tasks after the wake, before healthy targets: exit 2, not a second wake", async () => {
    const run = await wait([], { DescribeServicesCommand: [ASLEEP, WAKING, ASLEEP], UpdateServiceCommand: [{}] }, [200], internal(health(target("10.0.1.17", "initial", "Elb.InitialHealthChecking"))));
    expect(run).toMatchObject({
      code: EXIT.attention,
      message: "city-guided-staging went back to 0 tasks before its targets were healthy (the idle alarm?): city-guided-staging-web: 1 initial (Elb.InitialHealthChecking)",
    });
    expect(calls(run.ecsFake, "UpdateServiceCommand")).toHaveLength(1);
  });

  test("woken with no time left: the deadline says no target was seen", async () => {
    // The rollout takes the whole 15 s: the wake is the last thing done.
    const run = await wait(["--timeout", "15"], { DescribeServicesCommand: [ROLLING, ASLEEP], UpdateServiceCommand: [{}] }, [200], internal(HEALTHY));
    expect(run).toMatchObject({ code: EXIT.attention, message: "Timed out: the targets of load balancer city-guided-staging are not all healthy: no target seen" });
    expect(calls(run.ecsFake, "UpdateServiceCommand")).toHaveLength(1);
    expect(calls(run.elbFake, "DescribeTargetHealthCommand")).toEqual([]);
  });

  test("a load balancer without target groups: exit 2", async () => {
    const run = await wait([], { DescribeServicesCommand: [withCount(1, DONE)] }, [200], { ...internal(), DescribeTargetGroupsCommand: [{ TargetGroups: [] }] });
    expect(run).toMatchObject({ code: EXIT.attention, message: "Load balancer city-guided-staging has no target group: nothing serves it" });
  });

  test("healthy targets but no task running: exit 2", async () => {
    const run = await wait([], { DescribeServicesCommand: [withCount(1, DONE)], ListTasksCommand: [{ taskArns: [] }] }, [200], internal(HEALTHY));
    expect(run).toMatchObject({ code: EXIT.attention, message: "The targets are healthy but no task of city-guided-staging runs" });
  });

  test("access denied on the wake fails as AWS refusing (exit 3)", async () => {
    const run = await wait([], { DescribeServicesCommand: [ASLEEP], UpdateServiceCommand: [awsError("AccessDeniedException", "denied")] }, [200], internal(HEALTHY));
    expect(run).toMatchObject({ code: EXIT.aws, message: expect.stringMatching(/^Access denied: .*wake ECS service city-guided-staging \(UpdateService desiredCount 1\)/) });
  });
});

describe("status --wait of an environment stopped on purpose (INFRA_ENVIRONMENT_STATE=stopped)", () => {
  /** waitForDeploy itself, with the state the config gives it (ops/status.ts passes the environment's). */
  async function stopped(ecs: Record<string, unknown[]>, timeoutSeconds = 900) {
    const fakes = clients(ecs, internal(HEALTHY));
    const clock = runtime([200]);
    const lines: string[] = [];
    const options = { timeoutSeconds, path: "/", state: "stopped" as const, ...clock.value, log: (line: string) => void lines.push(line) };
    const result = await waitForDeploy({ ecs: fakes.ecsFake.client, elb: fakes.elbFake.client }, "staging", options).then(
      () => ({ code: EXIT.ok as number, message: "" }),
      (error: UserError) => ({ code: error.exitCode as number, message: error.message }),
    );
    return { ...result, lines, probed: clock.probed, elapsed: clock.elapsed(), ...fakes };
  }

  test("settled at 0 tasks, none running: exit 0, nothing requested, nothing woken", async () => {
    const run = await stopped({ DescribeServicesCommand: [ROLLING, ASLEEP], ListTasksCommand: [{ taskArns: [] }] });
    expect(run).toMatchObject({ code: EXIT.ok, probed: [] });
    expect(run.lines).toEqual([
      `Waiting for city-guided-staging to settle on ${NEW}`,
      "Deployment completed",
      "city-guided-staging is stopped on purpose: not woken (desired count 0, no task runs; nothing was requested)",
    ]);
    expect(run.ecsFake.calls.map((call) => call.command)).toEqual(["DescribeServicesCommand", "DescribeServicesCommand", "ListTasksCommand"]);
    expect(run.elbFake.calls).toEqual([]);
  });

  test("a task still running at the deadline: exit 2, and still nothing woken", async () => {
    const run = await stopped({ DescribeServicesCommand: [ASLEEP], ListTasksCommand: [{ taskArns: [TASK("a").taskArn] }] }, 30);
    expect(run).toMatchObject({ code: EXIT.attention, message: `city-guided-staging is stopped on purpose (INFRA_ENVIRONMENT_STATE=stopped) but 1 task(s) run: ${TASK("a").taskArn}`, probed: [] });
    expect(run.elapsed).toBe(30);
    expect(calls(run.ecsFake, "UpdateServiceCommand")).toEqual([]);
    expect(run.elbFake.calls).toEqual([]);
  });

  test("a desired count above 0 at the deadline: exit 2, no task listed", async () => {
    const run = await stopped({ DescribeServicesCommand: [withCount(1, DONE)] }, 30);
    expect(run).toMatchObject({ code: EXIT.attention, message: "city-guided-staging is stopped on purpose (INFRA_ENVIRONMENT_STATE=stopped) but its desired count is 1, not 0" });
    expect(calls(run.ecsFake, "ListTasksCommand")).toEqual([]);
  });

  test("a desired count and a task that follow the apply by a little: exit 0 once both are gone", async () => {
    const run = await stopped({ DescribeServicesCommand: [withCount(1, DONE), ASLEEP], ListTasksCommand: [{ taskArns: [TASK("a").taskArn] }, { taskArns: [] }] });
    expect(run).toMatchObject({ code: EXIT.ok });
    expect(run.elapsed).toBe(2 * 15);
    expect(calls(run.ecsFake, "UpdateServiceCommand")).toEqual([]);
  });

  test("npm run status -- <env> --wait hands the environment's state to the wait: a stopped one is not requested", async () => {
    // env/ as committed, with staging stopped on purpose.
    const dir = mkdtempSync(join(tmpdir(), "status-wait-"));
    try {
      cpSync("env", dir, { recursive: true });
      appendFileSync(join(dir, ".env.staging"), "\nINFRA_ENVIRONMENT_STATE=stopped\n");
      const run = await wait(["--path", "/health", "--config-dir", dir], { DescribeServicesCommand: [ASLEEP], ListTasksCommand: [{ taskArns: [] }] });
      expect(run).toMatchObject({ code: EXIT.ok, probed: [] });
      expect(run.output).toContain("city-guided-staging is stopped on purpose: not woken");
      expect(run.elbFake.calls).toEqual([]);
      expect(calls(run.ecsFake, "UpdateServiceCommand")).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
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
