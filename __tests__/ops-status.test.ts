import type { ImageDetail } from "@aws-sdk/client-ecr";
import type { Deployment, Service, Task } from "@aws-sdk/client-ecs";
import type { StatusInput } from "../ops/status-collect";
import { renderJson, renderText } from "../ops/status-render";
import { buildReport, imageTag, loadBalancerUrl } from "../ops/status-report";

/**
 * Recorded shapes of DescribeServices / DescribeTasks / DescribeImages responses for the states
 * moto cannot produce: a circuit-breaker rollback, a failed rollout, two deployments at once,
 * scan findings, HTTPS listeners, tasks with both containers.
 */
const TASK_DEFINITION = "arn:aws:ecs:eu-west-3:123456789012:task-definition/city-guided-staging";
const at = new Date("2025-11-20T10:00:00.000Z");

function deployment(overrides: Partial<Deployment>): Deployment {
  return { id: "ecs-svc/111", status: "PRIMARY", taskDefinition: `${TASK_DEFINITION}:4`, desiredCount: 2, runningCount: 2, pendingCount: 0, failedTasks: 0, rolloutState: "COMPLETED", createdAt: at, ...overrides };
}

function service(overrides: Partial<Service>): Service {
  return {
    serviceName: "city-guided-staging",
    status: "ACTIVE",
    desiredCount: 2,
    runningCount: 2,
    pendingCount: 0,
    taskDefinition: `${TASK_DEFINITION}:4`,
    deploymentConfiguration: { deploymentCircuitBreaker: { enable: true, rollback: true } },
    deployments: [deployment({})],
    events: [{ id: "e1", createdAt: at, message: "(service city-guided-staging) has reached a steady state." }],
    ...overrides,
  };
}

function task(id: string, tag: string): Task {
  return {
    taskArn: `arn:aws:ecs:eu-west-3:123456789012:task/city-guided-staging/${id}`,
    taskDefinitionArn: `${TASK_DEFINITION}:4`,
    group: "service:city-guided-staging",
    lastStatus: "RUNNING",
    healthStatus: "HEALTHY",
    containers: ["api", "web"].map((name) => ({ name, image: `123456789012.dkr.ecr.eu-west-3.amazonaws.com/city-guided-${name}:${tag}` })),
  };
}

function input(overrides: Partial<StatusInput>): StatusInput {
  return {
    environment: "staging",
    region: "eu-west-3",
    registryRegion: "eu-west-3",
    cluster: "city-guided-staging",
    serviceName: "city-guided-staging",
    service: service({}),
    tasks: [task("aaaa1111bbbb2222", "1.4.2"), task("cccc3333dddd4444", "1.4.2")],
    repositories: [
      { name: "city-guided-api", images: [] },
      { name: "city-guided-web", images: [] },
    ],
    loadBalancerName: "city-guided-staging",
    loadBalancer: { balancer: { DNSName: "lb.example", State: { Code: "active" } }, listeners: [{ Protocol: "HTTP", Port: 80 }] },
    ...overrides,
  };
}

describe("service state", () => {
  test("a circuit-breaker rollback in progress is shown as a rollback, not as a deployment", () => {
    const rollingBack = service({
      runningCount: 1,
      pendingCount: 1,
      deployments: [
        deployment({ id: "ecs-svc/222", taskDefinition: `${TASK_DEFINITION}:4`, rolloutState: "IN_PROGRESS", runningCount: 1, pendingCount: 1 }),
        deployment({ id: "ecs-svc/333", status: "ACTIVE", taskDefinition: `${TASK_DEFINITION}:5`, rolloutState: "FAILED", rolloutStateReason: "ECS deployment circuit breaker: tasks failed to start.", runningCount: 0, failedTasks: 3 }),
      ],
    });
    const report = buildReport(input({ service: rollingBack }));
    expect(report.state).toBe("rolling-back");
    expect(report.ok).toBe(false);
    const text = renderText(report);
    expect(text.split("\n")[0]).toBe(
      "staging (eu-west-3): ROLLBACK - deployment ecs-svc/333 (city-guided-staging:5) failed (ECS deployment circuit breaker: tasks failed to start.); rolling back to city-guided-staging:4",
    );
    expect(text).toMatch(/ACTIVE +city-guided-staging:5 +FAILED +desired 2, running 0, pending 0, failed 3/);
    expect(text).toContain("circuit breaker on, rollback on");
  });

  test("a rollback whose target completed while the failed deployment drains still says rolled back", () => {
    const report = buildReport(
      input({ service: service({ deployments: [deployment({}), deployment({ id: "ecs-svc/333", status: "ACTIVE", taskDefinition: `${TASK_DEFINITION}:5`, rolloutState: "FAILED" })] }) }),
    );
    expect(report.state).toBe("rolling-back");
    expect(report.summary).toContain("rolled back to city-guided-staging:4");
  });

  test("a failed rollout without rollback is a failure", () => {
    const report = buildReport(input({ service: service({ runningCount: 0, deployments: [deployment({ rolloutState: "FAILED", rolloutStateReason: "ECS deployment circuit breaker: tasks failed to start." })] }) }));
    expect(report.state).toBe("failed");
    expect(renderText(report).split("\n")[0]).toContain("DEPLOYMENT FAILED - deployment ecs-svc/111 (city-guided-staging:4) failed");
  });

  test("two deployments at once is a rolling update", () => {
    const report = buildReport(
      input({
        service: service({
          deployments: [deployment({ taskDefinition: `${TASK_DEFINITION}:5`, rolloutState: "IN_PROGRESS", runningCount: 1 }), deployment({ id: "ecs-svc/000", status: "ACTIVE" })],
        }),
      }),
    );
    expect(report.state).toBe("deploying");
    expect(report.summary).toBe("deploying city-guided-staging:5: 2 of 2 tasks running, 0 pending");
  });

  test("fewer tasks than desired with no rollout is not steady", () => {
    const report = buildReport(input({ service: service({ runningCount: 1, pendingCount: 0 }) }));
    expect(report.state).toBe("degraded");
    expect(report.summary).toBe("not steady: 1 of 2 tasks running, 0 pending, no deployment under way");
  });

  test("scaled to zero is idle and ok; steady is ok", () => {
    expect(buildReport(input({ service: service({ desiredCount: 0, runningCount: 0 }), tasks: [] })).state).toBe("idle");
    expect(buildReport(input({ service: service({ desiredCount: 0, runningCount: 0 }), tasks: [] })).ok).toBe(true);
    expect(buildReport(input({})).state).toBe("steady");
  });

  test("a deleted or draining service is inactive", () => {
    expect(buildReport(input({ service: service({ status: "DRAINING" }) })).state).toBe("inactive");
  });
});

describe("tasks, images and load balancer", () => {
  test("each running task shows the tag of each container", () => {
    const text = renderText(buildReport(input({})));
    expect(text).toMatch(/aaaa1111bbbb +city-guided-staging:4 +RUNNING +api=1\.4\.2 web=1\.4\.2/);
    expect(text).toContain("latest event   2025-11-20T10:00:00.000Z (service city-guided-staging) has reached a steady state.");
  });

  test("image tag: after the last ':', a digest shown as such, an untagged reference as implicit latest", () => {
    expect(imageTag("123.dkr.ecr.eu-west-3.amazonaws.com/city-guided-api:release-1.2")).toBe("release-1.2");
    expect(imageTag("registry:5000/city-guided-api")).toBe("latest (implicit)");
    expect(imageTag("city-guided-api@sha256:0123456789abcdef0123")).toBe("@sha256:0123456789ab");
  });

  test("scan findings: counted per severity, in progress, or not scanned", () => {
    const images: ImageDetail[] = [
      { imageTags: ["1.4.2"], imagePushedAt: at, imageSizeInBytes: 52_100_000, imageScanStatus: { status: "COMPLETE" }, imageScanFindingsSummary: { findingSeverityCounts: { HIGH: 1, MEDIUM: 2 } } },
      { imageTags: ["1.4.1"], imagePushedAt: at, imageSizeInBytes: 900, imageScanStatus: { status: "COMPLETE" }, imageScanFindingsSummary: { findingSeverityCounts: {} } },
      { imageTags: ["1.4.0", "release-1"], imagePushedAt: at, imageScanStatus: { status: "IN_PROGRESS" } },
    ];
    const report = buildReport(input({ repositories: [{ name: "city-guided-api", images }, { name: "city-guided-web" }] }));
    expect(report.repositories[0].newestImages.map((image) => image.findings)).toEqual([3, 0, undefined]);
    const text = renderText(report);
    expect(text).toContain("    1.4.2                pushed 2025-11-20 10:00:00 UTC    52.1 MB  findings: 3 (HIGH 1, MEDIUM 2)");
    expect(text).toContain("findings: 0\n");
    expect(text).toMatch(/1\.4\.0, release-1 +pushed .* scan: in progress/);
    expect(text).toContain("  city-guided-web: repository not found");
  });

  test("load balancer URL: HTTPS preferred, non-default port kept, absent said plainly", () => {
    expect(loadBalancerUrl("lb.example", [{ Protocol: "HTTP", Port: 80 }, { Protocol: "HTTPS", Port: 443 }])).toBe("https://lb.example");
    expect(loadBalancerUrl("lb.example", [{ Protocol: "HTTP", Port: 8080 }])).toBe("http://lb.example:8080");
    expect(loadBalancerUrl("lb.example", [])).toBeUndefined();
    expect(renderText(buildReport(input({ loadBalancer: undefined })))).toContain("load balancer  none named city-guided-staging");
    expect(renderText(buildReport(input({ loadBalancer: { balancer: { DNSName: "lb.example" }, listeners: [] } })))).toContain("load balancer  no HTTP or HTTPS listener");
  });

  test("the site's own name, and an internal load balancer said to be reached through the entry only", () => {
    const internal = { balancer: { DNSName: "internal-lb.example", Scheme: "internal" as const }, listeners: [{ Protocol: "HTTP" as const, Port: 80 }] };
    const text = renderText(buildReport(input({ siteUrl: "https://cityguided.duckdns.org", loadBalancer: internal })));
    expect(text).toContain("\nsite           https://cityguided.duckdns.org\nload balancer  http://internal-lb.example (internal: only the public entry reaches it)\n");
    expect(buildReport(input({ siteUrl: "https://cityguided.duckdns.org", loadBalancer: internal })).loadBalancer.internal).toBe(true);
    // Without a domain, no site line; an internet-facing load balancer is not called internal.
    const publicText = renderText(buildReport(input({ loadBalancer: { balancer: { DNSName: "lb.example", Scheme: "internet-facing" }, listeners: [{ Protocol: "HTTP", Port: 80 }] } })));
    expect(publicText).not.toContain("site   ");
    expect(publicText).toContain("load balancer  http://lb.example\n");
  });

  test("the dashboard's console URL, from the environment's name and region (the stack's dashboard_url output)", () => {
    const url = "https://eu-west-3.console.aws.amazon.com/cloudwatch/home?region=eu-west-3#dashboards/dashboard/city-guided-staging";
    expect(buildReport(input({})).dashboardUrl).toBe(url);
    expect(renderText(buildReport(input({})))).toMatch(new RegExp(`\\ndashboard      ${url.replace(/[?.]/g, "\\$&")}\\n$`));
    // Printed for a sleeping environment too: that is when its wake signal matters.
    expect(renderText(buildReport(input({ environment: "preview", region: "eu-central-1", service: service({ desiredCount: 0, runningCount: 0 }), tasks: [] })))).toContain(
      "dashboard      https://eu-central-1.console.aws.amazon.com/cloudwatch/home?region=eu-central-1#dashboards/dashboard/city-guided-preview\n",
    );
  });

  test("--json is the report itself, with ISO dates", () => {
    const parsed = JSON.parse(renderJson(buildReport(input({}))));
    expect(parsed.state).toBe("steady");
    expect(parsed.deployments[0].createdAt).toBe("2025-11-20T10:00:00.000Z");
    expect(parsed.tasks[0].imageTags).toEqual({ api: "1.4.2", web: "1.4.2" });
    expect(parsed.loadBalancer.url).toBe("http://lb.example");
    expect(parsed.dashboardUrl).toBe("https://eu-west-3.console.aws.amazon.com/cloudwatch/home?region=eu-west-3#dashboards/dashboard/city-guided-staging");
  });
});
