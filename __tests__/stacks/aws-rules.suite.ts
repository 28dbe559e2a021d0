import { TerraformStack } from "cdktf";
import { CloudwatchDashboard } from "@cdktf/provider-aws/lib/cloudwatch-dashboard";
import { CloudwatchEventRule } from "@cdktf/provider-aws/lib/cloudwatch-event-rule";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { EcsCluster } from "@cdktf/provider-aws/lib/ecs-cluster";
import { EcsTaskDefinition } from "@cdktf/provider-aws/lib/ecs-task-definition";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { Lb } from "@cdktf/provider-aws/lib/lb";
import { LbTargetGroup } from "@cdktf/provider-aws/lib/lb-target-group";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { AcmCertificate } from "@cdktf/provider-aws/lib/acm-certificate";
import { AutoscalingGroup } from "@cdktf/provider-aws/lib/autoscaling-group";
import { IamInstanceProfile } from "@cdktf/provider-aws/lib/iam-instance-profile";
import { LaunchTemplate } from "@cdktf/provider-aws/lib/launch-template";
import { literalParts } from "../../policy/aws-rule-check";
import { STRING_RULES } from "../../policy/aws-rules";
import { committedProject, policyErrorOf, synthEnvironment } from "../helpers";
import { entryStack, SHARED_WITH_BOUNDARY } from "./entry-stacks";

const TRUST = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "ecs-tasks.amazonaws.com" }, Action: "sts:AssumeRole" }] });

/** The synth error of a stack under the policy ("" when it passes); `tags` are the provider's default tags. */
const awsRuleErrorOf = (build: (stack: TerraformStack) => void, tags: Record<string, string> = { Project: "qa" }): string => policyErrorOf(build, tags);

const lines = (message: string) => message.split("\n").filter((line) => line.includes("Policy:"));

describe("AWS rules at synth: security groups", () => {
  test("an apostrophe in a group description fails, naming the resource, attribute, value, rule and source", () => {
    const message = awsRuleErrorOf((stack) => new SecurityGroup(stack, "group", { namePrefix: "qa-", description: "the tasks' ports" }));
    expect(lines(message)).toEqual([
      expect.stringContaining(
        `Policy: stack qa, group (aws_security_group.group): description "the tasks' ports" has characters AWS refuses: "'"; allowed: a-z, A-Z, 0-9, spaces and ._-:/()#,@[]+=&;{}!$* (Amazon EC2 API Reference: CreateSecurityGroup: https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateSecurityGroup.html)`,
      ),
    ]);
  });

  test("rule descriptions: & is refused where the rule references a group, accepted on a CIDR rule; 256 characters are refused", () => {
    const message = awsRuleErrorOf((stack) => {
      const rule = { securityGroupId: "sg-0123", ipProtocol: "tcp", fromPort: 80, toPort: 80 };
      new VpcSecurityGroupIngressRule(stack, "from-group", { ...rule, referencedSecurityGroupId: "sg-0456", description: "web & api" });
      new VpcSecurityGroupIngressRule(stack, "from-cidr", { ...rule, cidrIpv4: "0.0.0.0/0", description: "web & api" });
      new VpcSecurityGroupIngressRule(stack, "long", { ...rule, cidrIpv4: "0.0.0.0/0", description: "x".repeat(256) });
    });
    expect(message).toContain('from-group (aws_vpc_security_group_ingress_rule.from-group): description "web & api" has characters AWS refuses: "&"');
    expect(message).not.toContain("from-cidr");
    expect(message).toContain("long (aws_vpc_security_group_ingress_rule.long): description");
    expect(message).toContain("is 256 characters: AWS allows at most 255");
  });

  test("a name prefix leaves room for the provider's 26-character suffix", () => {
    const message = awsRuleErrorOf((stack) => new SecurityGroup(stack, "group", { namePrefix: "a".repeat(230), description: "ok" }));
    expect(message).toContain("name_prefix");
    expect(message).toContain("is 230 characters: AWS allows at most 229");
  });
});

describe("AWS rules at synth: names", () => {
  test.each([
    ["33 characters", "a".repeat(33), "is 33 characters: AWS allows at most 32"],
    ["an internal- prefix", "internal-site", 'starts with "internal-", which AWS reserves'],
    ["a trailing hyphen", "site-", "may not start or end with -"],
    ["an underscore", "my_site", 'has characters AWS refuses: "_"; allowed: letters, digits and -'],
  ])("a load balancer name with %s fails", (_, name, rule) => {
    const message = awsRuleErrorOf((stack) => new Lb(stack, "alb", { name }));
    expect(message).toContain(`alb (aws_lb.alb): name ${JSON.stringify(name)} ${rule}`);
  });

  test("target group, role, log group, topic, key alias, event rule and cluster names are checked", () => {
    const message = awsRuleErrorOf((stack) => {
      new LbTargetGroup(stack, "target", { name: "city-guided-environment-api-long" + "x" });
      new IamRole(stack, "role", { name: "r".repeat(65), assumeRolePolicy: TRUST, description: "emoji \u{1F600}" });
      new IamRole(stack, "prefixed", { namePrefix: "p".repeat(39), assumeRolePolicy: TRUST });
      new CloudwatchLogGroup(stack, "logs", { name: "/ecs/my app" });
      new SnsTopic(stack, "topic", { name: "alerts.topic" });
      new KmsAlias(stack, "alias", { name: "city-guided-alerts", targetKeyId: "key" });
      new KmsAlias(stack, "reserved", { name: "alias/aws/alerts", targetKeyId: "key" });
      new CloudwatchEventRule(stack, "event", { name: "e".repeat(65), eventPattern: "{}" });
      new EcsCluster(stack, "cluster", { name: "city.guided" });
    });
    expect(message).toContain("target (aws_lb_target_group.target): name");
    expect(message).toContain("is 33 characters: AWS allows at most 32");
    expect(message).toContain("role (aws_iam_role.role): name");
    expect(message).toContain("is 65 characters: AWS allows at most 64");
    expect(message).toContain('role (aws_iam_role.role): description "emoji \u{1F600}" has characters AWS refuses');
    expect(message).toContain("prefixed (aws_iam_role.prefixed): name_prefix");
    expect(message).toContain("is 39 characters: AWS allows at most 38");
    expect(message).toContain('logs (aws_cloudwatch_log_group.logs): name "/ecs/my app" has characters AWS refuses: " "');
    expect(message).toContain('topic (aws_sns_topic.topic): name "alerts.topic" must be only ASCII letters, digits, _ and -');
    expect(message).toContain('alias (aws_kms_alias.alias): name "city-guided-alerts" must start with "alias/"');
    expect(message).toContain('reserved (aws_kms_alias.reserved): name "alias/aws/alerts" starts with "alias/aws/", which AWS reserves');
    expect(message).toContain("event (aws_cloudwatch_event_rule.event): name");
    expect(message).toContain("is 65 characters: AWS allows at most 64");
    expect(message).toContain('cluster (aws_ecs_cluster.cluster): name "city.guided" has characters AWS refuses: "."');
  });

  test("launch template, Auto Scaling group and instance profile names are checked", () => {
    const message = awsRuleErrorOf((stack) => {
      new LaunchTemplate(stack, "template", { name: "city guided" });
      new LaunchTemplate(stack, "short", { name: "lt" });
      new LaunchTemplate(stack, "described", { name: "ok-template", description: "d".repeat(256) });
      new AutoscalingGroup(stack, "group", { name: "city:guided", minSize: 1, maxSize: 1 });
      new IamInstanceProfile(stack, "profile", { name: "p".repeat(129) });
    });
    expect(message).toContain('template (aws_launch_template.template): name "city guided" has characters AWS refuses: " "');
    expect(message).toContain('short (aws_launch_template.short): name "lt" must be 3 characters at least');
    expect(message).toContain("described (aws_launch_template.described): description");
    expect(message).toContain("is 256 characters: AWS allows at most 255");
    expect(message).toContain('group (aws_autoscaling_group.group): name "city:guided" has characters AWS refuses: ":"');
    expect(message).toContain("profile (aws_iam_instance_profile.profile): name");
    expect(message).toContain("is 129 characters: AWS allows at most 128");
    expect(awsRuleErrorOf((stack) => new LaunchTemplate(stack, "ok", { name: "city-guided-staging-entry" }))).toBe("");
  });

  test("a dashboard name is checked against PutDashboard's rule (255 of A-Z a-z 0-9 - _)", () => {
    // Built directly: the ServiceDashboard construct refuses such names itself.
    const message = awsRuleErrorOf((stack) => {
      new CloudwatchDashboard(stack, "dots", { dashboardName: "city.guided", dashboardBody: "{}" });
      new CloudwatchDashboard(stack, "long", { dashboardName: "d".repeat(256), dashboardBody: "{}" });
    });
    expect(message).toContain('dots (aws_cloudwatch_dashboard.dots): dashboard_name "city.guided" has characters AWS refuses: "."');
    expect(message).toContain("long (aws_cloudwatch_dashboard.long): dashboard_name");
    expect(message).toContain("is 256 characters: AWS allows at most 255");
    expect(message).toContain("Amazon CloudWatch API Reference: PutDashboard");
    expect(awsRuleErrorOf((stack) => new CloudwatchDashboard(stack, "ok", { dashboardName: "city-guided_staging", dashboardBody: "{}" }))).toBe("");
  });

  test("a certificate's name over ACM's 64 characters is refused at synth", () => {
    const name = `${"a".repeat(53)}.example.com`;
    expect(awsRuleErrorOf((stack) => new AcmCertificate(stack, "certificate", { domainName: name.slice(1), validationMethod: "DNS" }))).toBe("");
    expect(awsRuleErrorOf((stack) => new AcmCertificate(stack, "certificate", { domainName: name, validationMethod: "DNS" }))).toContain(
      "certificate (aws_acm_certificate.certificate): domain_name",
    );
  });

  test("references are skipped, their literal parts are checked", () => {
    const alarm = (stack: TerraformStack, id: string, alarmName: string) =>
      new CloudwatchMetricAlarm(stack, id, { alarmName, comparisonOperator: "GreaterThanThreshold", evaluationPeriods: 1, threshold: 0 });
    expect(awsRuleErrorOf((stack) => {
      const topic = new SnsTopic(stack, "topic", { name: "qa-alerts" });
      alarm(stack, "idle", `${topic.name}-idle`);
      new Lb(stack, "alb", { name: `${topic.name}-web` });
    })).toBe("");
    const message = awsRuleErrorOf((stack) => {
      const topic = new SnsTopic(stack, "topic", { name: "qa-alerts" });
      alarm(stack, "long", `${topic.name}-${"x".repeat(255)}`);
      new Lb(stack, "alb", { name: `internal-${topic.name}` });
    });
    expect(message).toContain("long (aws_cloudwatch_metric_alarm.long): alarm_name");
    expect(message).toContain("is 256 characters without its references: AWS allows at most 255");
    expect(message).toContain('alb (aws_lb.alb): name "internal-${aws_sns_topic.topic.name}" starts with "internal-"');
  });

  test("every rule cites an AWS documentation page", () => {
    for (const rule of STRING_RULES) expect(rule.source.url).toMatch(/^https:\/\/docs\.aws\.amazon\.com\//);
  });
});

describe("AWS rules at synth: tags", () => {
  test("a resource's tags and the provider's default tags are checked, each problem on its own line", () => {
    const message = awsRuleErrorOf(
      (stack) => new SnsTopic(stack, "topic", { name: "qa", tags: { "aws:owner": "me", Team: "v".repeat(257), "Cost!": "x" } }),
      { Project: "city guided (qa)" },
    );
    expect(message).toContain('topic (aws_sns_topic.topic): tags key "aws:owner" starts with "aws:", which AWS reserves');
    expect(message).toContain("tags.Team value");
    expect(message).toContain("is 257 characters: AWS allows at most 256");
    expect(message).toContain('tags key "Cost!" has characters AWS refuses: "!"');
    expect(message).toContain('Policy: stack qa, provider aws: default_tags[0].tags.Project value "city guided (qa)" has characters AWS refuses: "(" ")"');
    expect(lines(message)).toHaveLength(4);
  });
});

describe("AWS rules at synth: ECS task definition size", () => {
  test("a 100 KB plain variable fails synth: container definitions exceed ECS's 64 KiB; the value is not printed", () => {
    let message = "";
    try {
      synthEnvironment(`WEB__BIG_CONFIG=${"a".repeat(100_000)}`).json;
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(
      /service\/task-definition \(aws_ecs_task_definition\.[^)]+\): container_definitions is at least \d+ bytes: AWS allows at most 65536 bytes \(64 KiB\)/,
    );
    expect(message).not.toContain("aaaaaaaaaa");
  });

  test("container definitions are measured in UTF-8 bytes, up to exactly 64 KiB", () => {
    const definitions = (size: number) => {
      const container = { name: "api", image: "repo:1", readonlyRootFilesystem: true, logConfiguration: { logDriver: "awslogs" }, environment: [{ name: "NOTE", value: "" }] };
      const overhead = Buffer.byteLength(JSON.stringify([container]), "utf8");
      const free = size - overhead;
      container.environment[0].value = "é".repeat(Math.floor(free / 2)) + "a".repeat(free % 2);
      return JSON.stringify([container]);
    };
    const withSize = (size: number) => (stack: TerraformStack) => new EcsTaskDefinition(stack, "task", { family: "qa", containerDefinitions: definitions(size) });
    expect(awsRuleErrorOf(withSize(65536))).toBe("");
    expect(awsRuleErrorOf(withSize(65538))).toContain("task (aws_ecs_task_definition.task): container_definitions is 65538 bytes: AWS allows at most 65536 bytes (64 KiB)");
  });
});

describe("literal parts of a value", () => {
  test.each([
    ["plain", "city-guided", { known: "city-guided", hasReferences: false, head: "city-guided", tail: "city-guided" }],
    ["a reference in the middle", "a-${aws_lb.x.name}-b", { known: "a--b", hasReferences: true, head: "a-", tail: "-b" }],
    ["nested braces and quotes", 'x${jsonencode({a = "}"})}y', { known: "xy", hasReferences: true, head: "x", tail: "y" }],
    ["an escaped $${", "cost $${x}", { known: "cost ${x}", hasReferences: false, head: "cost ${x}", tail: "cost ${x}" }],
  ])("%s", (_, value, expected) => {
    expect(literalParts(value)).toEqual({ text: value, ...expected });
  });
});

describe("the rule table covers what the stacks create", () => {
  test("every name, name prefix, alarm name, family and description the stacks set has a rule", () => {
    // The committed stacks, and stacks with the optional parts they leave off (a site domain, the proxy entry).
    const stacks = { ...committedProject(), domain: synthEnvironment("INFRA_DOMAIN=www.example.com\nINFRA_ROUTE53_ZONE_ID=Z0123456789ABCDEFGHIJ\nINFRA_ENTRY=load-balancer\nINFRA_MIN_CAPACITY=1"), entry: entryStack({}, SHARED_WITH_BOUNDARY) };
    const covered = new Set(STRING_RULES.map((rule) => `${rule.resource}.${rule.attribute}`));
    const missing = new Set<string>();
    for (const stack of Object.values(stacks)) {
      for (const [type, byId] of Object.entries<Record<string, any>>(stack.json.resource)) {
        for (const attributes of Object.values(byId)) {
          for (const attribute of ["name", "name_prefix", "alarm_name", "alarm_description", "family", "description", "domain_name"]) {
            if (attributes[attribute] !== undefined && !covered.has(`${type}.${attribute}`)) missing.add(`${type}.${attribute}`);
          }
        }
      }
    }
    expect([...missing]).toEqual([]);
  });
});
