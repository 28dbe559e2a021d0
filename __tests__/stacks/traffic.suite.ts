import { synthEnvironment, type SynthesizedStack } from "../helpers";

const CERTIFICATE = "arn:aws:acm:eu-west-3:123456789012:certificate/12345678-1234-1234-1234-123456789012";

function byName(stack: SynthesizedStack, type: string, name: string): any {
  const found = Object.values(stack.resources(type)).find((resource: any) => (resource.name ?? resource.name_prefix) === name);
  if (!found) throw new Error(`no ${type} named ${name}`);
  return found;
}

/** The logical reference Terraform uses for a resource, e.g. `aws_lb_target_group.x.arn`. */
function referenceOf(stack: SynthesizedStack, type: string, resource: any, attribute: string): string {
  const [id] = Object.entries(stack.resources(type)).find(([, candidate]) => candidate === resource)!;
  return `\${${type}.${id}.${attribute}}`;
}

const stack = synthEnvironment("");

describe("load balancer", () => {
  // One synth for every non-default value keeps the suite fast.
  const custom = synthEnvironment(
    [
      "INFRA_ALB_DELETION_PROTECTION=true",
      "INFRA_ALB_SUBNET_IDS=subnet-0123abcd,subnet-0123abce",
      "INFRA_WEB_PORT=8080",
      "INFRA_API_PORT=4001",
      "INFRA_WEB_HEALTH_PATH=/healthz",
      "INFRA_API_HEALTH_PATH=/api/ping",
      `INFRA_CERTIFICATE_ARN=${CERTIFICATE}`,
    ].join("\n"),
  );

  test("is internet-facing, named after the environment, drops invalid headers", () => {
    const alb = stack.resource("aws_lb");
    expect(alb.name).toBe("city-guided-staging");
    expect(alb.internal).toBe(false);
    expect(alb.load_balancer_type).toBe("application");
    expect(alb.drop_invalid_header_fields).toBe(true);
  });

  test("deletion protection is off by default (teardown works) and on when configured", () => {
    expect(stack.resource("aws_lb").enable_deletion_protection).toBe(false);
    expect(custom.resource("aws_lb").enable_deletion_protection).toBe(true);
  });

  test("sits in the default VPC's subnets unless INFRA_ALB_SUBNET_IDS is set", () => {
    expect(stack.resource("aws_lb").subnets).toMatch(/data\.aws_subnets\.default-subnets/);
    expect(custom.resource("aws_lb").subnets).toEqual(["subnet-0123abcd", "subnet-0123abce"]);
    expect(custom.resource("aws_lb").lifecycle.precondition[0].condition).toMatch(/load-balancer-subnet\.vpc_id == data\.aws_vpc\.default-vpc\.id/);
  });

  test("two ip target groups on the container ports, with the configured health check paths", () => {
    const web = byName(custom, "aws_lb_target_group", "city-guided-staging-web");
    const api = byName(custom, "aws_lb_target_group", "city-guided-staging-api");
    expect([web.port, api.port]).toEqual([8080, 4001]);
    expect([web.health_check.path, api.health_check.path]).toEqual(["/healthz", "/api/ping"]);
    for (const group of [web, api]) {
      expect(group.target_type).toBe("ip");
      expect(group.protocol).toBe("HTTP");
      expect(group.health_check).toMatchObject({ port: "traffic-port", matcher: "200-399", healthy_threshold: 2, unhealthy_threshold: 3, interval: 15, timeout: 5 });
      expect(Number(group.deregistration_delay)).toBeLessThanOrEqual(30);
    }
  });

  test("default health check paths are / and /api/health", () => {
    expect(byName(stack, "aws_lb_target_group", "city-guided-staging-web").health_check.path).toBe("/");
    expect(byName(stack, "aws_lb_target_group", "city-guided-staging-api").health_check.path).toBe("/api/health");
  });

  test("without a certificate: one HTTP listener on 80 forwarding to web, /api/* to api", () => {
    const listener = stack.resource("aws_lb_listener");
    const web = byName(stack, "aws_lb_target_group", "city-guided-staging-web");
    const api = byName(stack, "aws_lb_target_group", "city-guided-staging-api");
    expect(listener).toMatchObject({ port: 80, protocol: "HTTP" });
    expect(listener.default_action).toEqual([{ type: "forward", target_group_arn: referenceOf(stack, "aws_lb_target_group", web, "arn") }]);
    const rule = stack.resource("aws_lb_listener_rule");
    expect(rule.condition).toEqual([{ path_pattern: { values: ["/api/*"] } }]);
    expect(rule.action).toEqual([{ type: "forward", target_group_arn: referenceOf(stack, "aws_lb_target_group", api, "arn") }]);
    expect(rule.listener_arn).toBe(referenceOf(stack, "aws_lb_listener", listener, "arn"));
    expect(stack.json.output.site_url.value).toMatch(/^http:\/\/\$\{aws_lb\..*\.dns_name\}$/);
  });

  test("with a certificate: HTTPS on 443 with a TLS 1.3 policy, 80 redirects, rules on 443", () => {
    const secure = custom;
    const listeners = Object.values(secure.resources("aws_lb_listener")) as any[];
    const https = listeners.find((listener) => listener.port === 443);
    const http = listeners.find((listener) => listener.port === 80);
    expect(https).toMatchObject({ protocol: "HTTPS", certificate_arn: CERTIFICATE, ssl_policy: "ELBSecurityPolicy-TLS13-1-2-2021-06" });
    expect(http.default_action).toEqual([{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", status_code: "HTTP_301" } }]);
    expect(secure.resource("aws_lb_listener_rule").listener_arn).toBe(referenceOf(secure, "aws_lb_listener", https, "arn"));
    expect(secure.json.output.site_url.value).toMatch(/^https:\/\//);
    const ingressPorts = Object.values(secure.resources("aws_vpc_security_group_ingress_rule"))
      .filter((rule: any) => rule.cidr_ipv4 === "0.0.0.0/0")
      .map((rule: any) => rule.from_port);
    expect(ingressPorts.sort((a, b) => a - b)).toEqual([80, 443]);
  });

  test("outputs the DNS name and the site URL", () => {
    expect(stack.json.output.load_balancer_dns_name.value).toMatch(/^\$\{aws_lb\..*\.dns_name\}$/);
    expect(stack.json.output.site_url).toBeDefined();
  });

  test("the service registers both containers and waits for the routing", () => {
    const service = stack.resource("aws_ecs_service");
    expect(service.load_balancer.map((entry: any) => [entry.container_name, entry.container_port]).sort()).toEqual([
      ["api", 4000],
      ["web", 3080],
    ]);
    expect(service.health_check_grace_period_seconds).toBe(60);
    expect(service.depends_on).toEqual(expect.arrayContaining([expect.stringMatching(/^aws_lb_listener\./), expect.stringMatching(/^aws_lb_listener_rule\./)]));
  });
});

describe("security groups", () => {
  const albGroup = byName(stack, "aws_security_group", "city-guided-staging-alb-");
  const taskGroup = byName(stack, "aws_security_group", "city-guided-staging-tasks-");
  const albId = referenceOf(stack, "aws_security_group", albGroup, "id");
  const taskId = referenceOf(stack, "aws_security_group", taskGroup, "id");
  const ingress = Object.values(stack.resources("aws_vpc_security_group_ingress_rule")) as any[];
  const egress = Object.values(stack.resources("aws_vpc_security_group_egress_rule")) as any[];

  test("both groups can be replaced without an outage: a new one (name prefix) before the old one goes", () => {
    for (const group of [taskGroup, albGroup]) {
      expect(group.lifecycle).toEqual({ create_before_destroy: true });
      expect(group.name).toBeUndefined();
    }
  });

  test("tasks accept the two container ports only, only from the load balancer's group", () => {
    const toTasks = ingress.filter((rule) => rule.security_group_id === taskId);
    expect(toTasks.map((rule) => [rule.from_port, rule.to_port]).sort()).toEqual([
      [3080, 3080],
      [4000, 4000],
    ]);
    for (const rule of toTasks) {
      expect(rule.referenced_security_group_id).toBe(albId);
      expect(rule.cidr_ipv4).toBeUndefined();
      expect(rule.ip_protocol).toBe("tcp");
    }
    expect(taskGroup.ingress).toBeUndefined();
  });

  test("the load balancer accepts HTTP from anywhere and reaches only the tasks' ports", () => {
    const toAlb = ingress.filter((rule) => rule.security_group_id === albId);
    expect(toAlb.map((rule) => [rule.from_port, rule.cidr_ipv4])).toEqual([[80, "0.0.0.0/0"]]);
    const fromAlb = egress.filter((rule) => rule.security_group_id === albId);
    expect(fromAlb.map((rule) => [rule.referenced_security_group_id, rule.from_port]).sort()).toEqual([
      [taskId, 3080],
      [taskId, 4000],
    ]);
  });

  test("tasks may reach out (ECR, logs, secrets, the app's dependencies), as rules of their own", () => {
    const fromTasks = egress.filter((rule) => rule.security_group_id === taskId);
    expect(fromTasks.map((rule) => [rule.ip_protocol, rule.cidr_ipv4 ?? rule.cidr_ipv6])).toEqual([
      ["-1", "0.0.0.0/0"],
      ["-1", "::/0"],
    ]);
    expect(taskGroup.egress).toBeUndefined();
  });

  test("every rule has a description", () => {
    for (const rule of [...ingress, ...egress]) expect(rule.description).toMatch(/\w/);
  });

  // EC2 API reference (CreateSecurityGroup, IpRange, UserIdGroupPair): "a-z, A-Z, 0-9, spaces, and
  // ._-:/()#,@[]+=&;{}!$*" (no & in a rule that references a group). The provider checks only the
  // length, so an apostrophe passes plan and fails CreateSecurityGroup with InvalidParameterValue.
  test("group and rule descriptions use only the characters EC2 accepts", () => {
    const groups = Object.values(stack.resources("aws_security_group")) as any[];
    expect(groups).toHaveLength(2);
    for (const group of groups) expect(group.description).toMatch(/^[a-zA-Z0-9 ._\-:/()#,@[\]+=&;{}!$*]{1,255}$/);
    for (const rule of [...ingress, ...egress]) expect(rule.description).toMatch(/^[a-zA-Z0-9 ._\-:/()#,@[\]+=;{}!$*]{1,255}$/);
  });
});
