import { IMAGE_TAG_PATTERN } from "../../stacks/environment-stack";
import { parseSecretReference } from "../../config/secrets";
import { secretVariable } from "../../stacks/secrets";
import { matchesAction } from "../iam-evaluation";
import { configFrom, MINIMAL_SHARED, synthEnvironment, synthProject } from "../helpers";

const STAGING = [
  "INFRA_ECS_CPU=512",
  "INFRA_ECS_MEMORY=2048",
  "INFRA_CPU_ARCHITECTURE=ARM64",
  "INFRA_MIN_CAPACITY=0",
  "INFRA_MAX_CAPACITY=4",
  "INFRA_CPU_TARGET=70",
  "INFRA_LOG_RETENTION_DAYS=14",
  "INFRA_WRITABLE_PATHS=/tmp,/var/cache/nginx",
  "INFRA_API_HEALTHCHECK_COMMAND=wget -qO- http://localhost:4000/api/health || exit 1",
  "NODE_ENV=production",
  "API__SECRET_DATABASE_URL=ssm:/city-guided/staging/DATABASE_URL",
  "WEB__SECRET_SESSION=arn:aws:secretsmanager:eu-west-3:123456789012:secret:city-guided/session",
  "API__SECRET_STRIPE=arn:aws:secretsmanager:eu-west-3:123456789012:secret:stripe-AbC123",
].join("\n");

describe("environment stack", () => {
  const stack = synthEnvironment(STAGING);
  const executionPolicy = () => JSON.parse(stack.resource("aws_iam_role_policy").policy);
  /** Every resource the execution role's policy allows `action` on (statements matched by action, not by Sid). */
  const grantedResources = (action: string): string[] =>
    executionPolicy()
      .Statement.filter((statement: any) => statement.Effect === "Allow" && matchesAction([statement.Action].flat(), action))
      .flatMap((statement: any) => [statement.Resource].flat())
      .sort();
  /** `${<type>.<logical id>.<attribute>}` of each resource of a type in the stack, whatever ids cdktf gave them. */
  const references = (type: string, attribute: string): string[] =>
    Object.keys(stack.resources(type))
      .map((id) => `\${${type}.${id}.${attribute}}`)
      .sort();

  test("state: one key per environment, encrypted, S3-native lock file", () => {
    expect(stack.json.terraform.backend.s3).toEqual({
      bucket: "test-state-bucket",
      key: "city-guided/staging.tfstate",
      region: "eu-west-3",
      encrypt: true,
      use_lockfile: true,
    });
  });

  test("an environment may keep its state and resources elsewhere", () => {
    const production = synthProject(configFrom({ production: "INFRA_AWS_REGION=eu-central-1\nINFRA_STATE_BUCKET=prod-state" })).production;
    expect(production.json.terraform.backend.s3).toMatchObject({ bucket: "prod-state", key: "city-guided/production.tfstate", region: "eu-central-1" });
    expect(production.json.provider.aws[0].region).toBe("eu-central-1");
    // Images still come from the registry's region, read through an aliased provider (5.x has no per-resource region).
    const registryProvider = production.json.provider.aws.find((provider: any) => provider.alias === "registry");
    expect(registryProvider.region).toBe("eu-west-3");
    expect(Object.values(production.dataSources("aws_ecr_repository")).map((data: any) => data.provider)).toEqual(["aws.registry", "aws.registry"]);
  });

  test("an environment in another region keeps its state in the shared bucket's region unless it names its own bucket", () => {
    const moved = synthProject(configFrom({ qa: "INFRA_AWS_REGION=eu-central-1" })).qa;
    expect(moved.json.provider.aws[0].region).toBe("eu-central-1");
    expect(moved.json.terraform.backend.s3).toMatchObject({ bucket: "test-state-bucket", region: "eu-west-3" });
    expect(configFrom({ qa: "INFRA_AWS_REGION=eu-central-1\nINFRA_STATE_BUCKET=qa-state" }).environments[0].stateRegion).toBe("eu-central-1");
  });

  test("every resource is tagged with project, environment and manager", () => {
    expect(stack.json.provider.aws[0].default_tags).toEqual([{ tags: { Project: "city-guided", Environment: "staging", ManagedBy: "cdktf" } }]);
  });

  test("image_tag is a required, validated variable", () => {
    const variable = stack.json.variable.image_tag;
    expect(variable).toMatchObject({ type: "string", nullable: false });
    expect(variable.default).toBeUndefined();
    expect(variable.description).toContain("TF_VAR_image_tag");
    expect(variable.validation[0].condition).toBe(`\${can(regex("${IMAGE_TAG_PATTERN}", var.image_tag))}`);
  });

  test.each([
    ["3f2c1a9", true],
    ["v1.2.3_rc-1", true],
    ["a".repeat(128), true],
    ["a".repeat(129), false],
    [".hidden", false],
    ["-dash", false],
    ["has space", false],
    ["latest:1", false],
  ])("the image tag rule accepts %s: %s", (tag, valid) => {
    expect(new RegExp(IMAGE_TAG_PATTERN).test(tag)).toBe(valid);
  });

  test("both containers run their repository's image at var.image_tag", () => {
    expect(stack.container("api").image).toBe("${data.aws_ecr_repository.api-repository.repository_url}:${var.image_tag}");
    expect(stack.container("web").image).toBe("${data.aws_ecr_repository.web-repository.repository_url}:${var.image_tag}");
    const repositories = stack.dataSources("aws_ecr_repository");
    expect(repositories["api-repository"].name).toBe("city-guided-api");
    expect(repositories["web-repository"].name).toBe("city-guided-web");
  });

  test("planning an environment needs no access to the registry's state", () => {
    expect(stack.json.data.terraform_remote_state).toBeUndefined();
  });

  test("task size and architecture come from the config", () => {
    const task = stack.resource("aws_ecs_task_definition");
    expect(task).toMatchObject({ cpu: "512", memory: "2048", network_mode: "awsvpc", requires_compatibilities: ["FARGATE"] });
    expect(task.runtime_platform).toEqual({ operating_system_family: "LINUX", cpu_architecture: "ARM64" });
  });

  test("a new image tag keeps the previous task definition revision (ACTIVE) for a rollback", () => {
    expect(stack.resource("aws_ecs_task_definition").skip_destroy).toBe(true);
  });

  test.each(["api", "web"])("%s: read-only root, not privileged, writable volumes mounted, logs to its own group", (name) => {
    const container = stack.container(name);
    expect(container.readonlyRootFilesystem).toBe(true);
    expect(container.privileged).toBe(false);
    expect(container.essential).toBe(true);
    expect(container.mountPoints).toEqual([
      { sourceVolume: "tmp", containerPath: "/tmp", readOnly: false },
      { sourceVolume: "var-cache-nginx", containerPath: "/var/cache/nginx", readOnly: false },
    ]);
    expect(container.logConfiguration.logDriver).toBe("awslogs");
    const group = Object.values(stack.resources("aws_cloudwatch_log_group")).find((log: any) => log.name === `/ecs/city-guided-staging/${name}`);
    expect(group).toMatchObject({ retention_in_days: 14 });
  });

  test("ports and health checks come from the config", () => {
    expect(stack.container("api").portMappings).toEqual([{ name: "api", containerPort: 4000, hostPort: 4000, protocol: "tcp" }]);
    expect(stack.container("web").portMappings[0].containerPort).toBe(3080);
    expect(stack.container("api").healthCheck.command).toEqual(["CMD-SHELL", "wget -qO- http://localhost:4000/api/health || exit 1"]);
    expect(stack.container("web").healthCheck).toBeUndefined();
  });

  test("secrets are valueFrom references, only in the containers they are scoped to", () => {
    expect(stack.container("api").secrets).toEqual([
      {
        name: "DATABASE_URL",
        valueFrom: "arn:${data.aws_partition.partition.partition}:ssm:eu-west-3:${data.aws_caller_identity.account.account_id}:parameter/city-guided/staging/DATABASE_URL",
      },
      { name: "STRIPE", valueFrom: "arn:aws:secretsmanager:eu-west-3:123456789012:secret:stripe-AbC123" },
    ]);
    expect(stack.container("web").secrets.map((secret: any) => secret.name)).toEqual(["SESSION"]);
    expect(stack.container("api").environment).toEqual([
      { name: "NODE_ENV", value: "production" },
      { name: "PORT", value: "4000" },
    ]);
  });

  test("the execution role pulls from exactly the two repositories and reads exactly the referenced secrets", () => {
    const repositories = ["${data.aws_ecr_repository.api-repository.arn}", "${data.aws_ecr_repository.web-repository.arn}"];
    for (const action of ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]) expect(grantedResources(action)).toEqual(repositories);
    // GetAuthorizationToken has no resource-level permissions: the only "*".
    expect(grantedResources("ecr:GetAuthorizationToken")).toEqual(["*"]);
    expect(grantedResources("ssm:GetParameters")).toEqual([
      "arn:${data.aws_partition.partition.partition}:ssm:eu-west-3:${data.aws_caller_identity.account.account_id}:parameter/city-guided/staging/DATABASE_URL",
    ]);
    // A partial Secrets Manager ARN is granted its random suffix, and nothing wider.
    expect(grantedResources("secretsmanager:GetSecretValue")).toEqual([
      "arn:aws:secretsmanager:eu-west-3:123456789012:secret:city-guided/session-??????",
      "arn:aws:secretsmanager:eu-west-3:123456789012:secret:stripe-AbC123",
    ]);
    // Log streams of the stack's own two log groups, nothing else.
    const streams = references("aws_cloudwatch_log_group", "arn").map((arn) => `${arn}:log-stream:*`);
    expect(streams).toHaveLength(2);
    for (const action of ["logs:CreateLogStream", "logs:PutLogEvents"]) expect(grantedResources(action)).toEqual(streams);
    // Nothing else: no other action is granted.
    const actions = executionPolicy().Statement.flatMap((statement: any) => [statement.Action].flat()).sort();
    expect(actions).toEqual([
      "ecr:BatchCheckLayerAvailability",
      "ecr:BatchGetImage",
      "ecr:GetAuthorizationToken",
      "ecr:GetDownloadUrlForLayer",
      "logs:CreateLogStream",
      "logs:PutLogEvents",
      "secretsmanager:GetSecretValue",
      "ssm:GetParameters",
    ]);
  });

  test("no IAM action is * or <service>:*", () => {
    for (const statement of executionPolicy().Statement) {
      for (const action of statement.Action) expect(action).not.toMatch(/(^|:)\*$/);
    }
  });

  test("roles trust ECS tasks of this account only", () => {
    for (const role of Object.values(stack.resources("aws_iam_role")) as any[]) {
      const [statement] = JSON.parse(role.assume_role_policy).Statement;
      expect(statement.Principal).toEqual({ Service: "ecs-tasks.amazonaws.com" });
      expect(statement.Condition.StringEquals["aws:SourceAccount"]).toBe("${data.aws_caller_identity.account.account_id}");
    }
  });

  test("no secret reference leaks outside the task definition and the execution policy", () => {
    const text = JSON.stringify(stack.json);
    expect(text.match(/city-guided\/staging\/DATABASE_URL/g)).toHaveLength(2);
  });

  test("cluster and service: Container Insights, Fargate latest, circuit breaker with rollback", () => {
    expect(stack.resource("aws_ecs_cluster")).toMatchObject({ name: "city-guided-staging", setting: [{ name: "containerInsights", value: "enabled" }] });
    expect(stack.resource("aws_ecs_service")).toMatchObject({
      name: "city-guided-staging",
      launch_type: "FARGATE",
      platform_version: "LATEST",
      deployment_circuit_breaker: { enable: true, rollback: true },
    });
  });

  test("the task count starts at INFRA_MIN_CAPACITY and then belongs to autoscaling", () => {
    const service = synthEnvironment("INFRA_MIN_CAPACITY=2\nINFRA_MAX_CAPACITY=3").resource("aws_ecs_service");
    expect(service.desired_count).toBe(2);
    expect(service.lifecycle.ignore_changes).toEqual(["desired_count"]);
  });

  test("autoscaling spans min..max and tracks the configured CPU target", () => {
    expect(stack.resource("aws_appautoscaling_target")).toMatchObject({
      min_capacity: 0,
      max_capacity: 4,
      // The stack's own cluster and service, whatever logical ids cdktf gave them.
      resource_id: `service/${references("aws_ecs_cluster", "name")[0]}/${references("aws_ecs_service", "name")[0]}`,
      scalable_dimension: "ecs:service:DesiredCount",
    });
    const policy = Object.values(stack.resources("aws_appautoscaling_policy")).find((p: any) => p.policy_type === "TargetTrackingScaling") as any;
    expect(policy.target_tracking_scaling_policy_configuration).toMatchObject({
      target_value: 70,
      predefined_metric_specification: { predefined_metric_type: "ECSServiceAverageCPUUtilization" },
    });
  });

  test("network: the default VPC's subnets unless subnets are given", () => {
    expect(stack.resource("aws_ecs_service").network_configuration).toMatchObject({
      subnets: "${data.aws_subnets.default-subnets.ids}",
      assign_public_ip: true,
    });
    const custom = synthEnvironment(
      "INFRA_SUBNET_IDS=subnet-0123456789abcdef0,subnet-0fedcba9876543210\nINFRA_ASSIGN_PUBLIC_IP=false\nINFRA_ALB_SUBNET_IDS=subnet-0aaaaaaaaaaaaaaa1,subnet-0aaaaaaaaaaaaaaa2",
    );
    expect(custom.resource("aws_ecs_service").network_configuration).toMatchObject({
      subnets: ["subnet-0123456789abcdef0", "subnet-0fedcba9876543210"],
      assign_public_ip: false,
    });
    expect(custom.dataSources("aws_vpc")).toEqual({});
  });

  test("outputs what an operator needs next", () => {
    expect(Object.keys(stack.json.output)).toEqual(expect.arrayContaining(["cluster_name", "service_name", "api_log_group", "web_log_group"]));
  });

  test("shared plain keys reach the containers of every environment", () => {
    const stacks = synthProject(configFrom({ staging: "", production: "" }, `${MINIMAL_SHARED}TZ=Europe/Paris\n`));
    for (const name of ["staging", "production"]) {
      expect(stacks[name].container("web").environment).toContainEqual({ name: "TZ", value: "Europe/Paris" });
    }
  });

  test("names follow city-guided-<env>", () => {
    const qa = synthProject(configFrom({ qa: "" })).qa;
    expect(qa.resource("aws_ecs_cluster").name).toBe("city-guided-qa");
    expect(qa.resource("aws_ecs_task_definition").family).toBe("city-guided-qa");
    expect(Object.values(qa.resources("aws_iam_role")).map((role: any) => role.name).sort()).toEqual(["city-guided-qa-execution", "city-guided-qa-task"]);
  });
});

test("the minimal shared file is enough for a valid project", () => {
  expect(() => configFrom({ staging: "" }, MINIMAL_SHARED)).not.toThrow();
});

describe("secret references, resolved for a container and its execution role", () => {
  const location = { partition: "aws", region: "eu-west-3", accountId: "123456789012" };
  const resolve = (value: string) => secretVariable("NAME", parseSecretReference(value)!, location);

  test("an SSM parameter name becomes its ARN in the stack's account and region, read and granted alike", () => {
    expect(resolve("ssm:/city-guided/staging/DATABASE_URL")).toEqual({
      variable: "NAME",
      valueFrom: "arn:aws:ssm:eu-west-3:123456789012:parameter/city-guided/staging/DATABASE_URL",
      store: "ssm",
      iamResource: "arn:aws:ssm:eu-west-3:123456789012:parameter/city-guided/staging/DATABASE_URL",
    });
  });

  test("an SSM parameter ARN is kept as given", () => {
    const arn = "arn:aws:ssm:eu-central-1:210987654321:parameter/shared/TOKEN";
    expect(resolve(arn)).toMatchObject({ valueFrom: arn, store: "ssm", iamResource: arn });
  });

  test("a Secrets Manager ARN with a JSON key is read as given and granted on the whole secret", () => {
    expect(resolve("arn:aws:secretsmanager:eu-west-3:123456789012:secret:stripe-AbC123:key::")).toMatchObject({
      valueFrom: "arn:aws:secretsmanager:eu-west-3:123456789012:secret:stripe-AbC123:key::",
      store: "secretsmanager",
      iamResource: "arn:aws:secretsmanager:eu-west-3:123456789012:secret:stripe-AbC123",
    });
  });
});
