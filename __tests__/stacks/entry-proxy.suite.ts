import { readFileSync } from "node:fs";
import { join } from "node:path";
import { constants, gzipSync } from "node:zlib";
import { Testing, TerraformStack } from "cdktf";
import { EntryProxy, renderCloudConfig, entrySettings, USER_DATA_LIMIT_BYTES, type EntryProxyProps } from "../../constructs/entry-proxy";
import { ConstructPropsError } from "../../constructs/errors";
import { LoadBalancer } from "../../constructs/load-balancer";
import { evaluate } from "../iam-evaluation";
import { configFrom, synthProject, type SynthesizedStack } from "../helpers";
import { entryStack, PLAIN_ENTRY, SHARED_WITH_BOUNDARY } from "./entry-stacks";

const ZONE = "Z0123456789ABCDEFGHIJ";
const ROOT = join(__dirname, "..", "..");
const entryFile = (...path: string[]) => readFileSync(join(ROOT, "entry", ...path), "utf8");
const RELEASE = JSON.parse(entryFile("caddy-release.json"));

/** `${type.id.attribute}` of the resource of `type` whose logical ID contains `part`. */
function ref(stack: SynthesizedStack, type: string, part: string, attribute: string): string {
  const ids = Object.keys(stack.resources(type)).filter((id) => id.includes(part));
  if (ids.length !== 1) throw new Error(`expected one ${type} with ${part} in its ID, found ${ids.length}`);
  return `\${${type}.${ids[0]}.${attribute}}`;
}
const byId = (stack: SynthesizedStack, type: string, part: string) => Object.entries<any>(stack.resources(type)).filter(([id]) => id.includes(part)).map(([, resource]) => resource);

/**
 * The user data's expression, taken apart: the static text of each `base64decode("...")` and the
 * Terraform references between them. `values` fills the references (by the resource type they name).
 */
function userData(stack: SynthesizedStack, values: Record<string, string> = {}): { text: string; references: string[] } {
  const expression: string = stack.resource("aws_launch_template").user_data;
  const match = /^\$\{base64gzip\(join\("", \[(.*)\]\)\)\}$/s.exec(expression);
  if (!match) throw new Error(`user data is not base64gzip(join(...)): ${expression.slice(0, 80)}`);
  const references: string[] = [];
  const text = match[1]
    .split(", ")
    .map((part) => {
      const literal = /^base64decode\("([A-Za-z0-9+/=]*)"\)$/.exec(part);
      if (literal) return Buffer.from(literal[1], "base64").toString("utf8");
      references.push(part);
      return values[part.split(".")[0]] ?? `<${part}>`;
    })
    .join("");
  return { text, references };
}

/** The cloud-config's JSON document (after its `#cloud-config` line). */
function cloudConfig(text: string): { write_files: { path: string; content: string; permissions: string }[]; runcmd: string[][] } {
  const [first, ...rest] = text.split("\n");
  expect(first).toBe("#cloud-config");
  return JSON.parse(rest.join("\n"));
}
const fileAt = (text: string, path: string) => cloudConfig(text).write_files.find((file) => file.path === path)!;
/** The settings file as key -> value (single-quoted values). */
function settingsOf(text: string): Record<string, string> {
  const lines = fileAt(text, "/etc/entry/boot.env").content.trimEnd().split("\n");
  return Object.fromEntries(lines.map((line) => /^([A-Z0-9_]+)='([^']*)'$/.exec(line)!.slice(1, 3)));
}

const REAL_VALUES = { aws_eip: "eipalloc-0123456789abcdef0", aws_lb: "internal-city-guided-staging-1234567890.eu-west-3.elb.amazonaws.com" };

describe("proxy entry (DuckDNS)", () => {
  const stack = entryStack({}, SHARED_WITH_BOUNDARY);
  const decoded = userData(stack, REAL_VALUES);

  test("no rule anywhere opens port 22 (or all ports) inbound; the entry accepts exactly 80 and 443 from anywhere", () => {
    const ingress = Object.values<any>(stack.resources("aws_vpc_security_group_ingress_rule"));
    for (const rule of ingress) {
      expect(rule.ip_protocol).toBe("tcp");
      expect(rule.from_port <= 22 && 22 <= rule.to_port).toBe(false);
    }
    for (const group of Object.values<any>(stack.resources("aws_security_group"))) expect(group.ingress).toBeUndefined();
    const entryGroup = ref(stack, "aws_security_group", "entry", "id");
    const entryIngress = ingress.filter((rule) => rule.security_group_id === entryGroup);
    expect(entryIngress.map((rule) => [rule.from_port, rule.to_port, rule.cidr_ipv4]).sort()).toEqual([[443, 443, "0.0.0.0/0"], [80, 80, "0.0.0.0/0"]]);
    expect(stack.resource("aws_launch_template").key_name).toBeUndefined();
  });

  test("the entry reaches out on 443 anywhere and on 80 to the load balancer's group only", () => {
    const entryGroup = ref(stack, "aws_security_group", "entry", "id");
    const egress = Object.values<any>(stack.resources("aws_vpc_security_group_egress_rule")).filter((rule) => rule.security_group_id === entryGroup);
    expect(egress.map((rule) => ({ port: rule.from_port, to: rule.to_port, cidr: rule.cidr_ipv4, group: rule.referenced_security_group_id }))).toEqual(
      expect.arrayContaining([
        { port: 443, to: 443, cidr: "0.0.0.0/0", group: undefined },
        { port: 80, to: 80, cidr: undefined, group: ref(stack, "aws_security_group", "load-balancer", "id") },
      ]),
    );
    expect(egress).toHaveLength(2);
  });

  test("the load balancer is internal, HTTP only, and accepts traffic only from the entry's security group", () => {
    expect(stack.resource("aws_lb").internal).toBe(true);
    const listeners = Object.values<any>(stack.resources("aws_lb_listener"));
    expect(listeners.map((listener) => [listener.port, listener.protocol])).toEqual([[80, "HTTP"]]);
    expect(stack.resources("aws_acm_certificate")).toEqual({});
    const balancerGroup = ref(stack, "aws_security_group", "load-balancer", "id");
    const ingress = Object.values<any>(stack.resources("aws_vpc_security_group_ingress_rule")).filter((rule) => rule.security_group_id === balancerGroup);
    expect(ingress).toEqual([expect.objectContaining({ from_port: 80, to_port: 80, referenced_security_group_id: ref(stack, "aws_security_group", "entry", "id") })]);
    expect(ingress[0].cidr_ipv4).toBeUndefined();
  });

  test("IMDSv2 only with a hop limit of 1, an encrypted gp3 root volume, standard credits, no SSH key", () => {
    const template = stack.resource("aws_launch_template");
    expect(template.metadata_options).toMatchObject({ http_endpoint: "enabled", http_tokens: "required", http_put_response_hop_limit: 1 });
    expect(template.block_device_mappings).toEqual([
      { device_name: "/dev/xvda", ebs: { encrypted: "true", volume_type: "gp3", volume_size: 8, delete_on_termination: "true" } },
    ]);
    expect(template.credit_specification).toEqual({ cpu_credits: "standard" });
    expect(template.instance_type).toBe("t4g.nano");
    expect(template.iam_instance_profile).toEqual({ arn: ref(stack, "aws_iam_instance_profile", "entry", "arn") });
    expect(template.network_interfaces).toEqual([
      expect.objectContaining({ associate_public_ip_address: "true", security_groups: [ref(stack, "aws_security_group", "entry", "id")] }),
    ]);
  });

  test("the AMI is Amazon Linux 2023 arm64 from SSM's public parameter, read as a non-sensitive value", () => {
    const [parameter] = Object.values<any>(stack.dataSources("aws_ssm_parameter"));
    expect(parameter.name).toBe("/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64");
    expect(stack.resource("aws_launch_template").image_id).toMatch(/^\$\{data\.aws_ssm_parameter\.[^.]+\.insecure_value\}$/);
  });

  test("instances, volumes and interfaces are tagged with the environment (what AssociateAddress requires)", () => {
    const specifications = stack.resource("aws_launch_template").tag_specifications;
    expect(specifications.map((specification: any) => specification.resource_type)).toEqual(["instance", "volume", "network-interface"]);
    for (const specification of specifications) expect(specification.tags).toMatchObject({ Environment: "staging", Project: "city-guided" });
  });

  test("the Auto Scaling group: exactly one instance in the load balancer's subnets, EC2 checks, the latest template, instance refresh", () => {
    const group = stack.resource("aws_autoscaling_group");
    expect(group).toMatchObject({
      name: "city-guided-staging-entry",
      min_size: 1,
      max_size: 1,
      desired_capacity: 1,
      health_check_type: "EC2",
      health_check_grace_period: 0,
      enabled_metrics: ["GroupInServiceInstances"],
      metrics_granularity: "1Minute",
      instance_refresh: { strategy: "Rolling", preferences: { min_healthy_percentage: 0 } },
      launch_template: { id: ref(stack, "aws_launch_template", "entry", "id"), version: ref(stack, "aws_launch_template", "entry", "latest_version") },
    });
    expect(group.vpc_zone_identifier).toEqual(stack.resource("aws_lb").subnets);
    // Its permissions exist before the instance boots and calls AssociateAddress.
    expect(group.depends_on).toEqual(expect.arrayContaining([ref(stack, "aws_iam_role_policy", "entry", "").slice(2, -2)]));
  });

  test("an alarm tells the alerts topic when no entry instance was in service for 5 of the last 10 minutes; the topic accepts it", () => {
    const alarm = byId(stack, "aws_cloudwatch_metric_alarm", "entry")[0];
    expect(alarm).toMatchObject({
      alarm_name: "city-guided-staging-entry-in-service",
      namespace: "AWS/AutoScaling",
      metric_name: "GroupInServiceInstances",
      dimensions: { AutoScalingGroupName: ref(stack, "aws_autoscaling_group", "entry", "name") },
      statistic: "Minimum",
      comparison_operator: "LessThanThreshold",
      threshold: 1,
      period: 60,
      evaluation_periods: 10,
      datapoints_to_alarm: 5,
      treat_missing_data: "breaching",
      alarm_actions: [ref(stack, "aws_sns_topic", "alerting", "arn")],
      ok_actions: [ref(stack, "aws_sns_topic", "alerting", "arn")],
    });
    const topicPolicy = JSON.parse(stack.resource("aws_sns_topic_policy").policy);
    const alarmArn = "arn:aws:cloudwatch:eu-west-3:123456789012:alarm:city-guided-staging-entry-in-service";
    const statements = JSON.parse(JSON.stringify(topicPolicy.Statement).replaceAll("${data.aws_partition.partition.partition}", "aws").replaceAll("${data.aws_caller_identity.account.account_id}", "123456789012"));
    const topic = ref(stack, "aws_sns_topic", "alerting", "arn");
    expect(evaluate(statements, { action: "sns:Publish", resource: topic, context: { "aws:SourceArn": alarmArn, "aws:SourceAccount": "123456789012" } })).toBe("allowed");
  });

  describe("the instance role", () => {
    const role = byId(stack, "aws_iam_role", "entry")[0];
    const ARN_VALUES: Record<string, string> = {
      "${data.aws_partition.partition.partition}": "aws",
      "${data.aws_caller_identity.account.account_id}": "123456789012",
      [ref(stack, "aws_eip", "entry", "allocation_id")]: "eipalloc-0entry",
    };
    const policyText = Object.entries(ARN_VALUES).reduce((text, [token, value]) => text.replaceAll(token, value), byId(stack, "aws_iam_role_policy", "entry")[0].policy as string);
    const statements = JSON.parse(policyText).Statement;
    const arn = (service: string, resource: string) => `arn:aws:${service}:eu-west-3:123456789012:${resource}`;
    const decide = (action: string, resource: string, context: Record<string, string> = {}) => evaluate(statements, { action, resource, context });

    test("trusts EC2, carries the workload boundary, and no managed policy (Session Manager's actions are inline)", () => {
      expect(role.name).toBe("city-guided-staging-entry");
      expect(JSON.parse(role.assume_role_policy).Statement).toEqual([expect.objectContaining({ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: ["sts:AssumeRole"] })]);
      expect(role.permissions_boundary).toMatch(/:policy\/city-guided-staging-workload-boundary$/);
      expect(byId(stack, "aws_iam_role_policy_attachment", "entry")).toEqual([]);
      expect(byId(stack, "aws_iam_instance_profile", "entry")[0]).toMatchObject({ name: "city-guided-staging-entry", role: ref(stack, "aws_iam_role", "entry", "name") });
    });

    test("associates its own Elastic IP only, and only to instances of this environment", () => {
      const tagged = { "aws:ResourceTag/Environment": "staging" };
      expect(decide("ec2:AssociateAddress", arn("ec2", "elastic-ip/eipalloc-0entry"))).toBe("allowed");
      expect(decide("ec2:AssociateAddress", arn("ec2", "elastic-ip/eipalloc-0other"))).toBe("implicit deny");
      expect(decide("ec2:AssociateAddress", arn("ec2", "instance/i-0123"), tagged)).toBe("allowed");
      expect(decide("ec2:AssociateAddress", arn("ec2", "instance/i-0123"), { "aws:ResourceTag/Environment": "production" })).toBe("implicit deny");
      expect(decide("ec2:AssociateAddress", arn("ec2", "instance/i-0123"))).toBe("implicit deny");
      expect(decide("ec2:DisassociateAddress", arn("ec2", "elastic-ip/eipalloc-0entry"))).toBe("implicit deny");
      expect(decide("ec2:DescribeAddresses", "*")).toBe("allowed");
    });

    test("reads the DuckDNS token's parameter and no other; reports its own group's health; writes its own logs", () => {
      expect(decide("ssm:GetParameter", arn("ssm", "parameter/city-guided/staging/DUCKDNS_TOKEN"))).toBe("allowed");
      expect(decide("ssm:GetParameter", arn("ssm", "parameter/city-guided/staging/DATABASE_URL"))).toBe("implicit deny");
      expect(decide("ssm:GetParameters", arn("ssm", "parameter/city-guided/staging/DUCKDNS_TOKEN"))).toBe("implicit deny");
      const group = (name: string) => arn("autoscaling", `autoScalingGroup:0b4c7f2a-1111-2222-3333-444455556666:autoScalingGroupName/${name}`);
      expect(decide("autoscaling:SetInstanceHealth", group("city-guided-staging-entry"))).toBe("allowed");
      expect(decide("autoscaling:SetInstanceHealth", group("city-guided-production-entry"))).toBe("implicit deny");
      expect(decide("autoscaling:TerminateInstanceInAutoScalingGroup", group("city-guided-staging-entry"))).toBe("implicit deny");
      expect(decide("logs:PutLogEvents", arn("logs", "log-group:/city-guided/staging/entry:log-stream:i-0123/boot"))).toBe("allowed");
      expect(decide("logs:CreateLogStream", arn("logs", "log-group:/city-guided/staging/entry"))).toBe("allowed");
      expect(decide("logs:PutLogEvents", arn("logs", "log-group:/ecs/city-guided-staging/api:log-stream:x"))).toBe("implicit deny");
      expect(decide("logs:CreateLogGroup", arn("logs", "log-group:/city-guided/staging/entry"))).toBe("implicit deny");
    });

    test("nothing else: every statement is one of the seven, Session Manager's exactly AWSCloud9SSMInstanceProfile's five actions", () => {
      expect(statements.map((statement: any) => statement.Sid)).toEqual([
        "SessionManager", "AssociateTheEntryAddress", "ToTheEntryInstance", "ReadTheAddress", "ReportOwnHealth", "WriteEntryLogs", "ReadDuckDnsToken",
      ]);
      expect(statements.flatMap((statement: any) => statement.Action).sort()).toEqual([
        "autoscaling:SetInstanceHealth", "ec2:AssociateAddress", "ec2:AssociateAddress", "ec2:DescribeAddresses", "logs:CreateLogStream", "logs:PutLogEvents", "ssm:GetParameter",
        "ssm:UpdateInstanceInformation", "ssmmessages:CreateControlChannel", "ssmmessages:CreateDataChannel", "ssmmessages:OpenControlChannel", "ssmmessages:OpenDataChannel",
      ]);
      expect(statements[0]).toEqual({ Sid: "SessionManager", Effect: "Allow", Action: expect.any(Array), Resource: "*" });
    });
  });

  test("the log group is /city-guided/<env>/entry with the environment's retention", () => {
    expect(byId(stack, "aws_cloudwatch_log_group", "entry")[0]).toEqual(expect.objectContaining({ name: "/city-guided/staging/entry", retention_in_days: 14 }));
  });

  test("the user data's only Terraform values are the Elastic IP's allocation ID and the load balancer's DNS name", () => {
    expect(decoded.references).toEqual([ref(stack, "aws_eip", "entry", "allocation_id").slice(2, -1), ref(stack, "aws_lb", "load-balancer", "dns_name").slice(2, -1)]);
  });

  test("the settings: every BOOT_* and ENTRY_* variable boot.sh and the Caddyfile read, the DuckDNS parameter by name only", () => {
    expect(settingsOf(decoded.text)).toEqual({
      BOOT_CADDY_VERSION: RELEASE.version,
      BOOT_CADDY_SHA512: RELEASE.linux_arm64_sha512,
      BOOT_EIP_ALLOCATION_ID: REAL_VALUES.aws_eip,
      BOOT_DUCKDNS_TOKEN_PARAMETER: "/city-guided/staging/DUCKDNS_TOKEN",
      BOOT_LOG_GROUP: "/city-guided/staging/entry",
      ENTRY_SITE_ADDRESS: "cityguided.duckdns.org",
      ENTRY_TLS: "ops@example.com",
      ENTRY_UPSTREAM: `http://${REAL_VALUES.aws_lb}`,
      ENTRY_MODE: "serving",
      ENTRY_PAGES: "/etc/caddy/pages",
      ENTRY_HTTP_PORT: "80",
      ENTRY_HTTPS_PORT: "443",
      ENTRY_API_RETRY_SECONDS: "30",
    });
    // The contract: the BOOT_* variables boot.sh's header lists (the others are its test hooks, with
    // defaults for the server) and every {$ENTRY_*} the Caddyfile substitutes.
    const boot = entryFile("boot.sh");
    const header = boot.slice(0, boot.indexOf("set -Eeuo pipefail"));
    const named = new Set([...header.matchAll(/^#\s+(BOOT_[A-Z0-9_]+)\s/gm), ...entryFile("Caddyfile").matchAll(/\{\$(ENTRY_[A-Z0-9_]+)\}/g)].map((match) => match[1]));
    expect([...named].sort()).toEqual(Object.keys(settingsOf(decoded.text)).sort());
    // And every ENTRY_* the boot script itself reads is set too.
    for (const [, variable] of boot.matchAll(/\$\{?(ENTRY_[A-Z0-9_]+)/g)) expect(Object.keys(settingsOf(decoded.text))).toContain(variable);
  });

  test("the files are entry/'s, byte for byte, where boot.sh expects them; runcmd runs boot.sh with the settings exported", () => {
    const config = cloudConfig(decoded.text);
    expect(config.write_files.map((file) => [file.path, file.permissions])).toEqual([
      ["/etc/entry/boot.env", "0600"],
      ["/etc/caddy/Caddyfile", "0644"],
      ["/etc/caddy/pages/waking.html", "0644"],
      ["/etc/caddy/pages/stopped.html", "0644"],
      ["/usr/local/sbin/entry-boot", "0700"],
    ]);
    expect(fileAt(decoded.text, "/etc/caddy/Caddyfile").content).toBe(entryFile("Caddyfile"));
    expect(fileAt(decoded.text, "/etc/caddy/pages/waking.html").content).toBe(entryFile("pages", "fr", "waking.html"));
    expect(fileAt(decoded.text, "/etc/caddy/pages/stopped.html").content).toBe(entryFile("pages", "fr", "stopped.html"));
    expect(fileAt(decoded.text, "/usr/local/sbin/entry-boot").content).toBe(entryFile("boot.sh"));
    // boot.sh's ship step and Caddy's service read these exact paths.
    expect(entryFile("boot.sh")).toContain("--config /etc/caddy/Caddyfile");
    expect(entryFile("boot.sh")).toContain(">/etc/caddy/entry.env");
    expect(config.runcmd).toEqual([["bash", "-c", "set -a && . /etc/entry/boot.env && set +a && exec /usr/local/sbin/entry-boot"]]);
  });

  test("no secret in the user data: exactly entry/'s files and the settings above, no container secret, no read SSM value", () => {
    // The whole text is the rendering of the committed files and the checked settings: nothing else can hide in it.
    const files = { caddyfile: entryFile("Caddyfile"), bootScript: entryFile("boot.sh"), wakingPage: entryFile("pages", "fr", "waking.html"), stoppedPage: entryFile("pages", "fr", "stopped.html") };
    expect(decoded.text).toBe(renderCloudConfig(settingsOf(decoded.text), files));
    // The environment's container secret (API__SECRET_DATABASE_URL) is a task setting, never the entry's.
    expect(JSON.stringify(stack.containers())).toContain("DATABASE_URL");
    expect(decoded.text).not.toContain("DATABASE_URL");
    expect(decoded.references.join(" ")).not.toMatch(/ssm_parameter|secretsmanager|var\./);
    expect(Object.keys(stack.json.variable ?? {})).toEqual(["image_tag"]);
  });

  test(`the user data is under EC2's ${USER_DATA_LIMIT_BYTES} bytes (gzip, raw form), with its Terraform values at their longest`, () => {
    // Bounds: an allocation ID is eipalloc- + 17 hex digits; a DNS name is at most 253 characters.
    // Random, incompressible filler, and gzip's fastest level: an upper bound of what Terraform's gzip makes.
    const filler = (length: number) => Array.from({ length }, (_, index) => "abcdefghijklmnopqrstuvwxyz0123456789"[(index * 7919 + 13) % 36]).join("");
    const longest = userData(stack, { aws_eip: `eipalloc-${filler(17)}`, aws_lb: filler(253) }).text;
    const bound = gzipSync(Buffer.from(longest, "utf8"), { level: constants.Z_BEST_SPEED }).length;
    const typical = gzipSync(Buffer.from(decoded.text, "utf8")).length;
    expect(bound).toBeLessThan(USER_DATA_LIMIT_BYTES);
    expect(typical).toBeLessThanOrEqual(bound);
    // Uncompressed, it would not fit: gzip is what keeps it under.
    expect(Buffer.byteLength(decoded.text, "utf8")).toBeGreaterThan(USER_DATA_LIMIT_BYTES);
  });

  test("no Route 53 record or certificate for a DuckDNS name (the instance sets the record); the outputs name the site and the address", () => {
    expect(stack.resources("aws_route53_record")).toEqual({});
    expect(stack.resources("aws_acm_certificate")).toEqual({});
    expect(stack.json.output.site_url.value).toBe("https://cityguided.duckdns.org");
    expect(stack.json.output.entry_public_ip.value).toBe(ref(stack, "aws_eip", "entry", "public_ip"));
    expect(stack.resource("aws_eip").domain).toBe("vpc");
    // Associated by the instance at boot, never by Terraform (a replacement instance takes it over).
    expect(stack.resources("aws_eip_association")).toEqual({});
    expect(stack.resource("aws_eip").instance).toBeUndefined();
  });

  test("the dashboard shows the entry's instances in service", () => {
    const body = JSON.parse(stack.resource("aws_cloudwatch_dashboard").dashboard_body);
    const entryWidget = body.widgets.find((widget: any) => widget.properties.title === "Public entry: instances in service");
    expect(entryWidget.properties.metrics[0].slice(0, 4)).toEqual(["AWS/AutoScaling", "GroupInServiceInstances", "AutoScalingGroupName", ref(stack, "aws_autoscaling_group", "entry", "name")]);
  });
});

describe("proxy entry: variants", () => {
  test("DuckDNS without a token parameter: no ssm:GetParameter, an empty BOOT_DUCKDNS_TOKEN_PARAMETER", () => {
    const stack = entryStack(PLAIN_ENTRY);
    const statements = JSON.parse(byId(stack, "aws_iam_role_policy", "entry")[0].policy).Statement;
    expect(statements.flatMap((statement: any) => statement.Action)).not.toContain("ssm:GetParameter");
    expect(settingsOf(userData(stack).text).BOOT_DUCKDNS_TOKEN_PARAMETER).toBe("");
  });

  test("a Route 53 zone: an A record to the Elastic IP (TTL 60), no certificate, no alias", () => {
    const stack = entryStack({ domain: { name: "www.example.com", dns: "route53", route53ZoneId: ZONE } });
    expect(Object.values(stack.resources("aws_route53_record"))).toEqual([
      expect.objectContaining({ zone_id: ZONE, name: "www.example.com", type: "A", ttl: 60, records: [ref(stack, "aws_eip", "entry", "public_ip")] }),
    ]);
    expect(stack.resource("aws_route53_record").alias).toBeUndefined();
    expect(stack.resources("aws_acm_certificate")).toEqual({});
    expect(stack.resources("aws_acm_certificate_validation")).toEqual({});
    // The token's parameter is a DuckDNS setting: never read for a Route 53 name.
    expect(settingsOf(userData(stack).text)).toMatchObject({ ENTRY_SITE_ADDRESS: "www.example.com", BOOT_DUCKDNS_TOKEN_PARAMETER: "" });
    expect(stack.json.output.site_url.value).toBe("https://www.example.com");
  });

  test("the English pages when the language is en", () => {
    const stack = entryStack(PLAIN_ENTRY);
    expect(fileAt(userData(stack).text, "/etc/caddy/pages/waking.html").content).toBe(entryFile("pages", "en", "waking.html"));
  });

  test("no workload boundary on the role when the stack option is off", () => {
    expect(byId(entryStack(PLAIN_ENTRY), "aws_iam_role", "entry")[0].permissions_boundary).toBeUndefined();
  });

  describe("stopped on purpose", () => {
    const stack = entryStack({ state: "stopped" });
    const wake = Object.values<any>(stack.resources("aws_cloudwatch_metric_alarm")).find((alarm) => String(alarm.alarm_name).endsWith("-wake"));

    test("desired count 0, scalable target min = max = 0: no policy can start a task", () => {
      expect(stack.resource("aws_ecs_service").desired_count).toBe(0);
      expect(stack.resource("aws_appautoscaling_target")).toMatchObject({ min_capacity: 0, max_capacity: 0 });
      expect(Object.values<any>(stack.resources("aws_appautoscaling_policy")).map((policy) => policy.name)).not.toContainEqual(expect.stringMatching(/cpu-scale-in$/));
    });

    test("the wake alarm still evaluates but its actions are off", () => {
      expect(wake.actions_enabled).toBe(false);
      expect(wake.alarm_actions).toHaveLength(1);
    });

    test("the entry shows the stopped page (ENTRY_MODE=stopped), and still runs", () => {
      expect(settingsOf(userData(stack).text).ENTRY_MODE).toBe("stopped");
      expect(stack.resource("aws_autoscaling_group")).toMatchObject({ min_size: 1, max_size: 1 });
    });

    test("running: the wake alarm's actions are on (the attribute is left to its default)", () => {
      const running = Object.values<any>(entryStack(PLAIN_ENTRY).resources("aws_cloudwatch_metric_alarm")).find((alarm) => String(alarm.alarm_name).endsWith("-wake"));
      expect(running.actions_enabled).toBeUndefined();
    });
  });

  test("stopped without the proxy entry (a service that never sleeps): min = max = 0, no scale-from-zero alarms", () => {
    const base = configFrom({ staging: "INFRA_MIN_CAPACITY=1\n" });
    const stack = synthProject({ ...base, environments: [{ ...base.environments[0], state: "stopped" }] }).staging;
    expect(stack.resource("aws_ecs_service").desired_count).toBe(0);
    expect(stack.resource("aws_appautoscaling_target")).toMatchObject({ min_capacity: 0, max_capacity: 0 });
    expect(stack.resource("aws_lb").internal).toBe(false);
  });
});

describe("proxy entry: construct rules", () => {
  const props = (overrides: Partial<EntryProxyProps> = {}): EntryProxyProps => ({
    name: "qa-entry", region: "eu-west-3", accountId: "123456789012", partition: "aws", vpcId: "vpc-1", subnetIds: ["subnet-1"],
    instanceType: "t4g.nano", domainName: "qa.example.com", acmeEmail: "ops@example.com", mode: "serving", apiRetrySeconds: 30,
    upstream: { dnsName: "internal-qa.elb.amazonaws.com", securityGroupId: "sg-1" }, logGroupName: "/qa/entry", logRetentionDays: 7,
    alarmTopicArn: "arn:aws:sns:eu-west-3:123456789012:qa", tags: { Environment: "qa" }, scopeTagKey: "Environment",
    caddy: { version: RELEASE.version, sha512: RELEASE.linux_arm64_sha512 },
    files: { caddyfile: "c", bootScript: "b", wakingPage: "w", stoppedPage: "s" },
    ...overrides,
  });
  const errorOf = (overrides: Partial<EntryProxyProps>) => {
    try {
      new EntryProxy(new TerraformStack(Testing.app(), "qa"), "entry", props(overrides));
    } catch (error) {
      expect(error).toBeInstanceOf(ConstructPropsError);
      return (error as Error).message;
    }
    return "";
  };

  test.each([
    [{ instanceType: "t3.nano" }, 'instance type "t3.nano" is not an arm64'],
    // The same rule as INFRA_ENTRY_INSTANCE_TYPE (constructs/entry-patterns.ts): no metal size.
    [{ instanceType: "m7g.metal" }, 'instance type "m7g.metal" is not an arm64'],
    [{ duckDnsTokenParameter: "city-guided/staging/DUCKDNS_TOKEN" }, 'DuckDNS token parameter "city-guided/staging/DUCKDNS_TOKEN" is not a fully qualified'],
    [{ caddy: { version: "v2.11.4", sha512: RELEASE.linux_arm64_sha512 } }, 'Caddy version "v2.11.4"'],
    [{ caddy: { version: "2.11.4", sha512: "abc" } }, "SHA-512 must be 128"],
    [{ acmeEmail: "o'brien@example.com" }, "acmeEmail \"o'brien@example.com\" has characters"],
    [{ domainName: "Example.COM" }, 'domain "Example.COM"'],
    [{ scopeTagKey: "Team" }, 'scope tag "Team"'],
    [{ route53ZoneId: "zone" }, 'hosted zone ID "zone"'],
  ])("refuses %j", (overrides, message) => {
    expect(errorOf(overrides as Partial<EntryProxyProps>)).toContain(message);
  });

  test("valid props build", () => {
    expect(errorOf({})).toBe("");
  });

  test("the rendered cloud-config holds exactly the given settings and files", () => {
    const text = renderCloudConfig(entrySettings(props(), "eipalloc-1", "internal-qa.elb.amazonaws.com"), props().files);
    expect(settingsOf(text).ENTRY_UPSTREAM).toBe("http://internal-qa.elb.amazonaws.com");
    expect(fileAt(text, "/usr/local/sbin/entry-boot").content).toBe("b");
  });

  test("an internal load balancer refuses a certificate (TLS ends at the entry)", () => {
    const build = () =>
      new LoadBalancer(new TerraformStack(Testing.app(), "qa"), "alb", {
        name: "qa", vpcId: "vpc-1", subnetIds: ["subnet-1"], internal: true, certificateArn: "arn:aws:acm:eu-west-3:123456789012:certificate/x",
        targets: { web: { port: 80, healthCheckPath: "/" } },
      });
    expect(build).toThrow(ConstructPropsError);
    expect(build).toThrow("an internal load balancer speaks HTTP only");
  });
});
