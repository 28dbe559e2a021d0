import { TerraformStack } from "cdktf";
import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { EcsTaskDefinition } from "@cdktf/provider-aws/lib/ecs-task-definition";
import { IamPolicy } from "@cdktf/provider-aws/lib/iam-policy";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { committedProject, configFrom, policyErrorOf, synthProject } from "../helpers";

const GOOD_CONTAINER = {
  name: "api",
  image: "repo:1",
  readonlyRootFilesystem: true,
  logConfiguration: { logDriver: "awslogs", options: {} },
  environment: [{ name: "NODE_ENV", value: "production" }],
};


const withContainers = (...containers: object[]) => (stack: TerraformStack) =>
  new EcsTaskDefinition(stack, "task-definition", { family: "qa", containerDefinitions: JSON.stringify(containers) });

const policy = (...statements: object[]) => JSON.stringify({ Version: "2012-10-17", Statement: statements });
const withRolePolicy = (document: string) => (stack: TerraformStack) =>
  new IamRolePolicy(stack, "policy", { role: "some-role", policy: document });

describe("container aspect", () => {
  test("a well-formed container passes", () => {
    expect(policyErrorOf(withContainers(GOOD_CONTAINER))).toBe("");
  });

  test("a privileged container fails synth, naming the stack and the container", () => {
    const message = policyErrorOf(withContainers({ ...GOOD_CONTAINER, privileged: true }));
    expect(message).toMatch(/^Validation failed/);
    expect(message).toContain('Policy: stack qa, task-definition (aws_ecs_task_definition.task-definition): container "api" runs privileged');
  });

  test("a container without readonlyRootFilesystem: true fails", () => {
    const { readonlyRootFilesystem, ...writable } = GOOD_CONTAINER;
    expect(readonlyRootFilesystem).toBe(true);
    expect(policyErrorOf(withContainers(writable))).toContain('container "api" lacks readonlyRootFilesystem: true');
    expect(policyErrorOf(withContainers({ ...GOOD_CONTAINER, readonlyRootFilesystem: false }))).toContain("lacks readonlyRootFilesystem");
  });

  test("a container without a log configuration fails", () => {
    const { logConfiguration, ...silent } = GOOD_CONTAINER;
    expect(logConfiguration).toBeDefined();
    expect(policyErrorOf(withContainers(silent))).toContain('container "api" has no logConfiguration');
  });

  test("a variable whose name looks secret fails, named, without its value", () => {
    const message = policyErrorOf(withContainers({ ...GOOD_CONTAINER, environment: [{ name: "STRIPE_API_KEY", value: "not-printed-1234" }] }));
    expect(message).toContain('container "api" has environment variable STRIPE_API_KEY that looks like a secret (its name says it holds a secret)');
    expect(message).not.toContain("not-printed-1234");
  });

  test("a variable whose value looks like a credential fails, named, without its value", () => {
    const environment = [{ name: "DATABASE_URL", value: "postgres://app:s3cr3t-pw@db.internal:5432/app" }];
    const message = policyErrorOf(withContainers({ ...GOOD_CONTAINER, environment }));
    expect(message).toContain("environment variable DATABASE_URL that looks like a secret (its value looks like a credential (value not shown))");
    expect(message).not.toContain("s3cr3t-pw");
  });

  test("a PORT variable that disagrees with the container's port mapping fails", () => {
    const mapped = { ...GOOD_CONTAINER, portMappings: [{ containerPort: 3080 }] };
    expect(policyErrorOf(withContainers({ ...mapped, environment: [{ name: "PORT", value: "3080" }] }))).toBe("");
    expect(policyErrorOf(withContainers({ ...mapped, environment: [{ name: "PORT", value: "80" }] }))).toContain(
      'container "api" has PORT=80 but maps port 3080: the image would listen where no traffic is sent',
    );
  });

  test("every container of a task is checked, each named", () => {
    const message = policyErrorOf(withContainers(GOOD_CONTAINER, { ...GOOD_CONTAINER, name: "web", privileged: true }));
    expect(message).toContain('container "web" runs privileged');
    expect(message).not.toContain('container "api"');
  });

  test("an override that sneaks a privileged container in is caught (the resolved JSON is checked)", () => {
    const message = policyErrorOf((stack) => {
      const task = withContainers(GOOD_CONTAINER)(stack);
      task.addOverride("container_definitions", JSON.stringify([{ ...GOOD_CONTAINER, privileged: true }]));
    });
    expect(message).toContain('container "api" runs privileged');
  });

  test("container definitions built by a Terraform expression fail closed", () => {
    const message = policyErrorOf((stack) => {
      withContainers(GOOD_CONTAINER)(stack).addOverride("container_definitions", "${jsonencode(local.containers)}");
    });
    expect(message).toContain("container_definitions is not valid JSON (a Terraform expression?)");
  });
});

describe("IAM aspect", () => {
  test.each([["*"], ["s3:*"], ["ECR:*"]])("an Allow of %s fails, naming the statement", (action) => {
    const message = policyErrorOf(withRolePolicy(policy({ Sid: "TooBroad", Effect: "Allow", Action: [action], Resource: "*" })));
    expect(message).toContain(`Policy: stack qa, policy (aws_iam_role_policy.policy): policy: statement "TooBroad" allows "${action}"`);
  });

  test("a single-string Action and a Statement object are read too", () => {
    const document = JSON.stringify({ Version: "2012-10-17", Statement: { Effect: "Allow", Action: "logs:*", Resource: "*" } });
    expect(policyErrorOf(withRolePolicy(document))).toContain('statement #1 allows "logs:*"');
  });

  test("an Allow with NotAction fails", () => {
    const message = policyErrorOf(withRolePolicy(policy({ Effect: "Allow", NotAction: ["iam:*"], Resource: "*" })));
    expect(message).toContain("statement #1 allows with NotAction");
  });

  test("listed actions, partial wildcards and a broad Deny pass; Terraform references inside the JSON are fine", () => {
    const document = policy(
      { Effect: "Allow", Action: ["s3:GetObject", "s3:List*"], Resource: "${aws_s3_bucket.assets.arn}/*" },
      { Effect: "Deny", Action: "s3:*", Resource: "*", Condition: { Bool: { "aws:SecureTransport": "false" } } },
    );
    expect(policyErrorOf(withRolePolicy(document))).toBe("");
  });

  test("managed policies, inline role policies and trust policies are checked", () => {
    const message = policyErrorOf((stack) => {
      new IamPolicy(stack, "managed", { name: "m", policy: policy({ Effect: "Allow", Action: "dynamodb:*", Resource: "*" }) });
      new IamRole(stack, "role", {
        name: "r",
        assumeRolePolicy: policy({ Effect: "Allow", Principal: { Service: "ecs-tasks.amazonaws.com" }, Action: "sts:*" }),
        inlinePolicy: [{ name: "inline", policy: policy({ Effect: "Allow", Action: "*", Resource: "*" }) }],
      });
    });
    expect(message).toContain('managed (aws_iam_policy.managed): policy: statement #1 allows "dynamodb:*"');
    expect(message).toContain('role (aws_iam_role.role): assume_role_policy: statement #1 allows "sts:*"');
    expect(message).toContain('role (aws_iam_role.role): inline_policy[0]: statement #1 allows "*"');
  });

  test("a policy document data source is checked where it is built; a policy referencing it is not re-read", () => {
    const message = policyErrorOf((stack) => {
      const document = new DataAwsIamPolicyDocument(stack, "document", { statement: [{ actions: ["ec2:*"], resources: ["*"] }] });
      new IamRolePolicy(stack, "policy", { role: "some-role", policy: document.json });
    });
    expect(message).toContain('document (data.aws_iam_policy_document.document): statement #1 allows "ec2:*"');
    expect(message).not.toContain("aws_iam_role_policy.policy");
  });

  test("a policy built by another Terraform expression fails closed", () => {
    expect(policyErrorOf(withRolePolicy("${jsonencode(local.policy)}"))).toContain("policy: is a Terraform expression the policy cannot read");
  });
});

describe("the real stacks pass the policy", () => {
  test("stacks built from in-memory configs, including secrets and several environments", () => {
    const config = configFrom({
      staging: "API__SECRET_DATABASE_URL=ssm:/city-guided/staging/DATABASE_URL\nNODE_ENV=production\n",
      production: "INFRA_MIN_CAPACITY=1\nINFRA_MAX_CAPACITY=3\n",
    });
    // Reading `json` runs Testing.synth(stack, true): the policy's validation runs for each stack
    // (SynthesizedStack is lazy, so the stacks must be read).
    const stacks = synthProject(config);
    for (const stack of Object.values(stacks)) expect(stack.json.resource).toBeDefined();
    expect(Object.keys(stacks).sort()).toEqual(["production", "registry", "staging"]);
  });

  test("the committed env files", () => {
    const stacks = committedProject();
    for (const stack of Object.values(stacks)) expect(stack.json.resource).toBeDefined();
    expect(Object.keys(stacks).sort()).toEqual(["production", "registry", "staging"]);
  });
});
