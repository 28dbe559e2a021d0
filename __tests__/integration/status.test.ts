import { CreateRepositoryCommand, ECRClient, PutImageCommand } from "@aws-sdk/client-ecr";
import { CreateClusterCommand, CreateServiceCommand, DescribeServicesCommand, ECSClient, RegisterTaskDefinitionCommand, RunTaskCommand, UpdateServiceCommand } from "@aws-sdk/client-ecs";
import {
  CreateListenerCommand,
  CreateLoadBalancerCommand,
  CreateTargetGroupCommand,
  ElasticLoadBalancingV2Client,
  RegisterTargetsCommand,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { clientOptions, motoEndpoint, REGION, resetMoto, runCommand, runCommandAsync, writeConfig } from "./fixtures";

/**
 * moto starts no containers: a service reports MOTO_ECS_SERVICE_RUNNING (2, set by the setup)
 * running tasks and the rest pending, with rolloutState COMPLETED once running >= desired, and
 * ListTasks ignores serviceName. So the tests run tasks themselves, in the service's group, as ECS does.
 * moto also moves a task one state towards STOPPED each time it is described, unless told not to.
 */
const REGISTRY = `123456789012.dkr.ecr.${REGION}.amazonaws.com`;
let config: string;
let loadBalancerDns: string;
let subnets: string[];

async function pushImage(ecr: ECRClient, repositoryName: string, tag: string): Promise<void> {
  const layer = (seed: string) => ({ mediaType: "application/vnd.docker.image.rootfs.diff.tar.gzip", size: 1000, digest: `sha256:${seed.repeat(64).slice(0, 64)}` });
  const manifest = {
    schemaVersion: 2,
    mediaType: "application/vnd.docker.distribution.manifest.v2+json",
    config: { mediaType: "application/vnd.docker.container.image.v1+json", size: 100, digest: `sha256:${"c".repeat(64)}` },
    layers: [layer(Buffer.from(`${repositoryName}${tag}`).toString("hex"))],
  };
  await ecr.send(new PutImageCommand({ repositoryName, imageTag: tag, imageManifest: JSON.stringify(manifest) }));
}

/** A cluster and service named city-guided-<env> running `tag` of both images, with `tasks` tasks started. */
async function createService(ecs: ECSClient, environment: string, desiredCount: number, tasks: number, tag: string): Promise<void> {
  const name = `city-guided-${environment}`;
  await ecs.send(new CreateClusterCommand({ clusterName: name }));
  const definition = await ecs.send(
    new RegisterTaskDefinitionCommand({
      family: name,
      requiresCompatibilities: ["FARGATE"],
      networkMode: "awsvpc",
      cpu: "512",
      memory: "1024",
      containerDefinitions: ["api", "web"].map((container) => ({ name: container, image: `${REGISTRY}/city-guided-${container}:${tag}`, memory: 512, essential: true })),
    }),
  );
  const arn = definition.taskDefinition!.taskDefinitionArn!;
  await ecs.send(new CreateServiceCommand({ cluster: name, serviceName: name, taskDefinition: arn, desiredCount, launchType: "FARGATE" }));
  const deployment = (await ecs.send(new DescribeServicesCommand({ cluster: name, services: [name] }))).services![0].deployments![0].id;
  if (tasks > 0) {
    const networkConfiguration = { awsvpcConfiguration: { subnets: subnets.slice(0, 2), securityGroups: [] } };
    await ecs.send(new RunTaskCommand({ cluster: name, taskDefinition: arn, count: tasks, launchType: "FARGATE", group: `service:${name}`, startedBy: deployment, networkConfiguration }));
  }
}

async function keepTasksRunning(): Promise<void> {
  const response = await fetch(`${motoEndpoint()}/moto-api/state-manager/set-transition`, {
    method: "POST",
    body: JSON.stringify({ model_name: "ecs::task", transition: { progression: "manual", times: 1000000 } }),
  });
  if (!response.ok) throw new Error(`moto set-transition failed: ${response.status}`);
}

/** moto's default VPC subnets, read with a plain EC2 query (the project has no EC2 client). */
async function defaultSubnets(): Promise<string[]> {
  const response = await fetch(motoEndpoint(), {
    method: "POST",
    headers: { authorization: `AWS4-HMAC-SHA256 Credential=testing/20250101/${REGION}/ec2/aws4_request, SignedHeaders=host, Signature=0` },
    body: new URLSearchParams({ Action: "DescribeSubnets", Version: "2016-11-15" }),
  });
  return [...(await response.text()).matchAll(/<subnetId>([^<]+)<\/subnetId>/g)].map((match) => match[1]);
}

async function createLoadBalancer(elb: ElasticLoadBalancingV2Client, name: string, scheme: "internet-facing" | "internal" = "internet-facing", targetIps: string[] = []): Promise<string> {
  const balancer = (await elb.send(new CreateLoadBalancerCommand({ Name: name, Subnets: subnets.slice(0, 2), Type: "application", Scheme: scheme }))).LoadBalancers![0];
  const group = (await elb.send(new CreateTargetGroupCommand({ Name: `${name}-web`, Protocol: "HTTP", Port: 80, TargetType: "ip", VpcId: balancer.VpcId }))).TargetGroups![0];
  await elb.send(new CreateListenerCommand({ LoadBalancerArn: balancer.LoadBalancerArn, Protocol: "HTTP", Port: 80, DefaultActions: [{ Type: "forward", TargetGroupArn: group.TargetGroupArn }] }));
  // moto reports a registered IP target healthy.
  if (targetIps.length > 0) await elb.send(new RegisterTargetsCommand({ TargetGroupArn: group.TargetGroupArn, Targets: targetIps.map((Id) => ({ Id, Port: 3000 })) }));
  return balancer.DNSName!;
}

beforeAll(async () => {
  await resetMoto();
  await keepTasksRunning();
  subnets = await defaultSubnets();
  const ecr = new ECRClient(clientOptions());
  const ecs = new ECSClient(clientOptions());
  const elb = new ElasticLoadBalancingV2Client(clientOptions());
  for (const repository of ["city-guided-api", "city-guided-web"]) {
    await ecr.send(new CreateRepositoryCommand({ repositoryName: repository, imageScanningConfiguration: { scanOnPush: true } }));
    await pushImage(ecr, repository, "1.0.0");
  }
  // ECR records push times to the second: wait so that 1.1.0 is the newest.
  await new Promise((wait) => setTimeout(wait, 1100));
  for (const repository of ["city-guided-api", "city-guided-web"]) await pushImage(ecr, repository, "1.1.0");

  await createService(ecs, "steady", 2, 2, "1.1.0");
  // A task started by hand in the same cluster is not one of the service's.
  const definition = (await ecs.send(new DescribeServicesCommand({ cluster: "city-guided-steady", services: ["city-guided-steady"] }))).services![0].taskDefinition;
  const networkConfiguration = { awsvpcConfiguration: { subnets: subnets.slice(0, 1), securityGroups: [] } };
  await ecs.send(new RunTaskCommand({ cluster: "city-guided-steady", taskDefinition: definition, launchType: "FARGATE", group: "family:city-guided-steady", networkConfiguration }));
  await createService(ecs, "rollout", 3, 2, "1.1.0");
  await createService(ecs, "sleepy", 2, 0, "1.0.0");
  await ecs.send(new UpdateServiceCommand({ cluster: "city-guided-sleepy", service: "city-guided-sleepy", desiredCount: 0 }));
  loadBalancerDns = await createLoadBalancer(elb, "city-guided-steady");
  // Behind the proxy entry: internal load balancers, one service awake, one asleep at 0 tasks. moto
  // starts no containers, so the task the wake asks for is started here beforehand.
  await createService(ecs, "inner", 1, 1, "1.1.0");
  await createLoadBalancer(elb, "city-guided-inner", "internal", ["172.31.0.10"]);
  await createService(ecs, "asleep", 1, 1, "1.1.0");
  await ecs.send(new UpdateServiceCommand({ cluster: "city-guided-asleep", service: "city-guided-asleep", desiredCount: 0 }));
  await createLoadBalancer(elb, "city-guided-asleep", "internal", ["172.31.0.11"]);
  for (const client of [ecr, ecs, elb]) client.destroy();

  const environments = Object.fromEntries(["steady", "rollout", "sleepy", "absent", "inner", "asleep"].map((name) => [name, ""]));
  config = writeConfig(`INFRA_AWS_REGION=${REGION}\nINFRA_STATE_BUCKET=unused-state\n`, environments);
});

describe("status against moto", () => {
  test("a steady service: counts, the tag each running task uses, newest images, load balancer URL; exit 0", () => {
    const result = runCommand("status", ["steady", "--config-dir", config]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const lines = result.stdout.split("\n");
    expect(lines[0]).toBe("steady (eu-west-3): STEADY - steady: 2 of 2 tasks running city-guided-steady:1");
    expect(result.stdout).toContain("tasks          desired 2, running 2, pending 0");
    expect(result.stdout).toMatch(/PRIMARY +city-guided-steady:1 +COMPLETED +desired 2, running 2, pending 0, failed 0/);
    // moto gives a task only its first container; real ECS lists both (see the unit tests).
    expect(lines.filter((line) => /city-guided-steady:1 +(RUNNING|PENDING|PROVISIONING) +api=1\.1\.0/.test(line))).toHaveLength(2);
    const api = lines.indexOf("  city-guided-api");
    expect(lines[api + 1]).toMatch(/^ {4}1\.1\.0 +pushed \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC .* scan: not scanned$/);
    expect(lines[api + 2]).toMatch(/^ {4}1\.0\.0 /);
    expect(result.stdout).toContain("  city-guided-web\n    1.1.0");
    expect(result.stdout).toContain(`load balancer  http://${loadBalancerDns}\n`);
    expect(result.stdout).toContain(`dashboard      https://${REGION}.console.aws.amazon.com/cloudwatch/home?region=${REGION}#dashboards/dashboard/city-guided-steady\n`);
  });

  test("--json gives the same report for scripts", () => {
    const result = runCommand("status", ["steady", "--json", "--config-dir", config]);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report.state).toBe("steady");
    expect(report.ok).toBe(true);
    expect(report.counts).toEqual({ desired: 2, running: 2, pending: 0 });
    expect(report.tasks.map((task: { imageTags: Record<string, string> }) => task.imageTags.api)).toEqual(["1.1.0", "1.1.0"]);
    expect(report.repositories.map((repository: { name: string; newestImages: { tags: string[] }[] }) => [repository.name, repository.newestImages.map((image) => image.tags[0])])).toEqual([
      ["city-guided-api", ["1.1.0", "1.0.0"]],
      ["city-guided-web", ["1.1.0", "1.0.0"]],
    ]);
    expect(report.loadBalancer).toEqual({ name: "city-guided-steady", found: true, state: expect.any(String), url: `http://${loadBalancerDns}`, internal: false });
    expect(report.dashboardUrl).toBe(`https://${REGION}.console.aws.amazon.com/cloudwatch/home?region=${REGION}#dashboards/dashboard/city-guided-steady`);
  });

  test("a service mid-deployment is not steady: exit 2", () => {
    const result = runCommand("status", ["rollout", "--config-dir", config]);
    expect(result.code).toBe(2);
    expect(result.stdout.split("\n")[0]).toBe("rollout (eu-west-3): DEPLOYING - deploying city-guided-rollout:1: 2 of 3 tasks running, 1 pending");
    expect(result.stdout).toMatch(/PRIMARY +city-guided-rollout:1 +IN_PROGRESS +desired 3, running 2, pending 1/);
    expect(result.stdout).toContain("load balancer  none named city-guided-rollout");
  });

  test("a service scaled to zero on purpose is idle, not a failure: exit 0", () => {
    const result = runCommand("status", ["sleepy", "--json", "--config-dir", config]);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report.state).toBe("idle");
    expect(report.counts).toEqual({ desired: 0, running: 0, pending: 0 });
    expect(report.tasks).toEqual([]);
  });

  test("an environment with no service says so: exit 2", () => {
    const result = runCommand("status", ["absent", "--config-dir", config]);
    expect(result.code).toBe(2);
    expect(result.stdout.split("\n")[0]).toBe("absent (eu-west-3): NOT FOUND - no ECS service city-guided-absent in cluster city-guided-absent: is the environment deployed?");
  });

  test("without an environment name: usage error, exit 1", () => {
    const result = runCommand("status", ["--config-dir", config]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("usage: npm run status -- <environment>");
  });
});

describe("the pipeline commands against moto", () => {
  let site: Server;
  let siteUrl: string;
  beforeAll(async () => {
    site = createServer((request, response) => response.writeHead(request.url === "/health" ? 200 : 404).end());
    await new Promise<void>((resolve) => site.listen(0, "127.0.0.1", resolve));
    siteUrl = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => site.close(() => resolve())));

  test("running-tag prints the api image's tag of the running task definition", () => {
    expect(runCommand("running-tag", ["steady", "--config-dir", config])).toEqual({ code: 0, stdout: "1.1.0\n", stderr: "" });
  });

  test("running-tag prints nothing for an environment without a cluster", () => {
    expect(runCommand("running-tag", ["absent", "--config-dir", config])).toEqual({ code: 0, stdout: "", stderr: "" });
  });

  test("status --wait: a settled service whose site answers, every task on the new task definition: exit 0", async () => {
    const result = await runCommandAsync("status", ["steady", "--config-dir", config, "--wait", "--timeout", "30", "--url", `${siteUrl}/health`]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Waiting for city-guided-steady to settle on arn:aws:ecs:eu-west-3:123456789012:task-definition\/city-guided-steady:1\n/);
    expect(result.stdout).toContain(`${siteUrl}/health answered 200`);
    expect(result.stdout).toMatch(/city-guided-steady is steady on .*city-guided-steady:1 and healthy\n$/);
  });

  test("status --wait: a rollout still in progress at the deadline: exit 2", () => {
    const result = runCommand("status", ["rollout", "--config-dir", config, "--wait", "--timeout", "1", "--url", `${siteUrl}/health`]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^error: Timed out: 1 deployment\(s\), primary .*city-guided-rollout:1 is IN_PROGRESS\n$/);
  });

  test("status --wait: a site that does not answer 2xx by the deadline: exit 2", async () => {
    const result = await runCommandAsync("status", ["steady", "--config-dir", config, "--wait", "--timeout", "1", "--url", `${siteUrl}/missing`]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`error: Timed out: ${siteUrl}/missing last answered 404\n`);
  });

  test("status --wait behind an internal load balancer: its targets' health, not a request; exit 0", async () => {
    const result = await runCommandAsync("status", ["inner", "--config-dir", config, "--wait", "--timeout", "30", "--path", "/health"]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("Load balancer city-guided-inner is internal: it cannot be requested from here, so /health is not requested;");
    expect(result.stdout).toContain("Targets: city-guided-inner-web: 1 healthy\n");
    expect(result.stdout).not.toContain("waking it");
  });

  test("status --wait behind an internal load balancer, asleep at 0 tasks: woken with a deployment of 1 task; exit 0", async () => {
    const result = await runCommandAsync("status", ["asleep", "--config-dir", config, "--wait", "--timeout", "60"]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("city-guided-asleep sleeps at 0 tasks: waking it with 1 task");
    const ecs = new ECSClient(clientOptions());
    try {
      const service = (await ecs.send(new DescribeServicesCommand({ cluster: "city-guided-asleep", services: ["city-guided-asleep"] }))).services![0];
      expect(service.desiredCount).toBe(1);
    } finally {
      ecs.destroy();
    }
  });

  test("promote adds the release tag to the same manifest, then finds it there on a second run", () => {
    const first = runCommand("promote", ["1.0.0", "--config-dir", config]);
    expect(first).toEqual({ code: 0, stdout: "city-guided-api: tagged 1.0.0 as release-1.0.0\ncity-guided-web: tagged 1.0.0 as release-1.0.0\n", stderr: "" });
    const second = runCommand("promote", ["1.0.0", "--config-dir", config]);
    expect(second.stdout).toBe("city-guided-api: release-1.0.0 already exists on the same image\ncity-guided-web: release-1.0.0 already exists on the same image\n");
  });

  test("promote of a tag no image has is refused: exit 1", () => {
    const result = runCommand("promote", ["9.9.9", "--config-dir", config]);
    expect(result).toEqual({ code: 1, stdout: "", stderr: "error: Refusing to promote: city-guided-api has no image tagged 9.9.9\n" });
  });
});
