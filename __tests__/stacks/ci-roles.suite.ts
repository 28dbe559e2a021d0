import { readFileSync } from "node:fs";
import { join } from "node:path";
import { App, TerraformStack } from "cdktf";
import { DeliveryRoles } from "../../constructs/delivery-roles";
import { NEW_KEY_ACTIONS } from "../../constructs/deploy-role-tagged-resources";
import { ConstructPropsError } from "../../constructs/errors";
import { evaluate } from "../iam-evaluation";
import { actionsOf, managedPolicy, pipelineStacks, resources, role, type Statement } from "../pipeline-helpers";
import { resolveAccount } from "../stack-requests";

/*
 * Properties of the pipeline's policies, found by what statements grant (their actions and
 * resources, or IAM's decision on a request), never by their Sids or cdktf's hashed logical ids.
 */

const WHOLE_SERVICE = /^(\*|[a-z0-9-]+:\*)$/;

function allStatements(policy: Statement[]): string[] {
  return policy.flatMap((found) => found.Action);
}

/** The one Allow statement that grants `action` (a test fails when several or none do). */
function granting(policy: Statement[], action: string): Statement {
  const found = policy.filter((candidate) => candidate.Effect === "Allow" && candidate.Action.includes(action));
  if (found.length !== 1) throw new Error(`${found.length} statements grant ${action}`);
  return found[0];
}

/** IAM's decision on a request, with the account and partition resolved (123456789012, aws). */
function decision(policy: Statement[], action: string, resource: string, context?: Record<string, string>) {
  return evaluate(JSON.parse(resolveAccount(JSON.stringify(policy))), { action, resource, context });
}

/** The `${aws_<type>.<id>.arn}` reference of the registry's resource of that type and name. */
function arnReference(registry: ReturnType<typeof pipelineStacks>["registry"], type: string, name: string): string {
  const id = Object.entries(registry.resources(type)).find(([, resource]) => resource.name === name)?.[0];
  if (!id) throw new Error(`no ${type} ${name}`);
  return `\${${type}.${id}.arn}`;
}

describe("pipeline roles' scope", () => {
  const stacks = pipelineStacks({ staging: "", production: "", staging2: "" });
  const registry = stacks.registry;
  const names = ["city-guided-github-push", "city-guided-github-plan", "city-guided-staging-deploy", "city-guided-production-deploy"];

  test.each(names)("%s grants no `*` or `<service>:*` action", (name) => {
    expect(allStatements(role(registry, name).policy).filter((action) => WHOLE_SERVICE.test(action))).toEqual([]);
  });

  test.each(names)("%s lives under the /github-actions/ path, out of every environment's role pattern", (name) => {
    expect(role(registry, name).resource.path).toBe("/github-actions/");
  });

  test("push: the authorization token, and push/pull on exactly the two repositories", () => {
    const policy = role(registry, "city-guided-github-push").policy;
    expect(granting(policy, "ecr:GetAuthorizationToken")).toMatchObject({ Action: ["ecr:GetAuthorizationToken"], Resource: "*" });
    const push = granting(policy, "ecr:PutImage");
    expect(push.Action).toEqual(expect.arrayContaining(["ecr:PutImage", "ecr:InitiateLayerUpload", "ecr:UploadLayerPart", "ecr:CompleteLayerUpload", "ecr:BatchGetImage"]));
    expect(resources(push)).toEqual(["city-guided-api", "city-guided-web"].map((name) => arnReference(registry, "aws_ecr_repository", name)));
    expect(policy).toHaveLength(2);
  });

  test("plan: reads the states and writes nothing, not even a lock (plans run with -lock=false)", () => {
    const policy = role(registry, "city-guided-github-plan").policy;
    const states = granting(policy, "s3:GetObject");
    expect(states.Action).toEqual(["s3:GetObject"]);
    // One pattern for every stack's key, whatever the number of environments (issue 11).
    expect(JSON.parse(resolveAccount(JSON.stringify(resources(states))))).toEqual(["arn:aws:s3:::test-state-bucket/city-guided/*.tfstate"]);
    for (const action of ["s3:PutObject", "s3:DeleteObject"]) {
      expect(decision(policy, action, "arn:aws:s3:::test-state-bucket/city-guided/staging.tfstate.tflock")).toBe("implicit deny");
    }
    expect(granting(policy, "s3:ListBucket")).toMatchObject({ Action: ["s3:ListBucket"] });
    const writes = allStatements(policy).filter((action) => !/^[a-z0-9-]+:(Describe|Get|List)/.test(action));
    expect(writes).toEqual([]);
  });

  describe("deploy role of staging", () => {
    const deploy = role(registry, "city-guided-staging-deploy");
    const policy = deploy.policy;

    test("carries its permissions boundary", () => {
      expect(deploy.resource.permissions_boundary).toBe(arnReference(registry, "aws_iam_policy", "city-guided-staging-deploy-boundary"));
      const boundary = managedPolicy(registry, "city-guided-staging-deploy-boundary");
      const ceiling = boundary.filter((found) => found.Resource === "*");
      expect(ceiling).toHaveLength(1);
      expect(ceiling[0].Action.every((action) => !action.startsWith("iam:"))).toBe(true);
      expect(allStatements(boundary).filter((action) => WHOLE_SERVICE.test(action))).toEqual([]);
      // Every action the role holds is within its ceiling.
      const allowed = new Set(actionsOf(boundary));
      expect(actionsOf(policy).filter((action) => !allowed.has(action))).toEqual([]);
    });

    test("writes its own state and lock only", () => {
      const object = (key: string) => `arn:aws:s3:::test-state-bucket/city-guided/${key}`;
      expect(decision(policy, "s3:PutObject", object("staging.tfstate"))).toBe("allowed");
      expect(decision(policy, "s3:DeleteObject", object("staging.tfstate"))).toBe("implicit deny");
      for (const action of ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"]) expect(decision(policy, action, object("staging.tfstate.tflock"))).toBe("allowed");
      for (const other of ["production.tfstate", "production.tfstate.tflock", "registry.tfstate", "staging2.tfstate"]) {
        expect(decision(policy, "s3:PutObject", object(other))).toBe("implicit deny");
      }
    });

    test("IAM actions touch only roles named city-guided-staging-*", () => {
      const iam = policy.filter((found) => found.Effect === "Allow" && found.Action.some((action) => action.startsWith("iam:")));
      for (const found of iam) {
        for (const arn of resources(found)) expect(arn).toMatch(/:iam::\$\{[^}]+\}:(role\/city-guided-staging-\*|policy\/city-guided-staging-\*|role\/aws-service-role\/\*)$/);
      }
      expect(resources(granting(policy, "iam:CreateServiceLinkedRole"))).toEqual([expect.stringMatching(/role\/aws-service-role\/\*$/)]);
      expect(granting(policy, "iam:CreateServiceLinkedRole").Condition).toEqual({
        StringEquals: { "iam:AWSServiceName": ["ecs.amazonaws.com", "ecs.application-autoscaling.amazonaws.com", "elasticloadbalancing.amazonaws.com"] },
      });
    });

    test("passes roles only to ECS tasks", () => {
      const pass = policy.filter((found) => found.Effect === "Allow" && found.Action.includes("iam:PassRole"));
      expect(pass).toHaveLength(1);
      expect(pass[0].Condition).toEqual({ StringEquals: { "iam:PassedToService": "ecs-tasks.amazonaws.com" } });
      expect(resources(pass[0])).toEqual([expect.stringMatching(/:role\/city-guided-staging-\*$/)]);
    });

    test("creates or changes role permissions only under the workload boundary", () => {
      const underBoundary = granting(policy, "iam:CreateRole");
      expect(underBoundary.Action).toEqual(expect.arrayContaining(["iam:CreateRole", "iam:PutRolePolicy", "iam:PutRolePermissionsBoundary"]));
      expect(underBoundary.Condition!.StringEquals["iam:PermissionsBoundary"]).toMatch(/:policy\/city-guided-staging-workload-boundary$/);
      expect(allStatements(policy)).not.toContain("iam:DeleteRolePermissionsBoundary");
      expect(allStatements(policy)).not.toContain("iam:UpdateAssumeRolePolicy");
    });

    test("named resources are scoped to the city-guided-staging prefix", () => {
      const creates = ["ecs:CreateCluster", "ecs:CreateService", "logs:CreateLogGroup", "elasticloadbalancing:CreateLoadBalancer", "cloudwatch:PutMetricAlarm", "sns:CreateTopic", "events:PutRule"];
      for (const action of creates) {
        for (const arn of resources(granting(policy, action))) expect(arn).toMatch(/city-guided-staging([-*:/]|$)/);
      }
    });

    test("KMS keys are scoped by the environment's tags, their aliases by name", () => {
      expect(granting(policy, "kms:CreateKey")).toMatchObject({
        Action: ["kms:CreateKey", "kms:TagResource"],
        Condition: { StringEquals: { "aws:RequestTag/Environment": "staging", "aws:RequestTag/Project": "city-guided" } },
      });
      const keys = granting(policy, "kms:ScheduleKeyDeletion");
      expect(keys.Condition).toEqual({ StringEquals: { "aws:ResourceTag/Environment": "staging", "aws:ResourceTag/Project": "city-guided" } });
      expect(resources(keys)).toEqual([expect.stringMatching(/:kms:eu-west-3:\$\{[^}]+\}:key\/\*$/)]);
      const alias = (name: string) => `arn:aws:kms:eu-west-3:123456789012:alias/${name}`;
      for (const action of ["kms:CreateAlias", "kms:DeleteAlias", "kms:UpdateAlias"]) {
        expect(decision(policy, action, alias("city-guided-staging-alerts"))).toBe("allowed");
        expect(decision(policy, action, alias("city-guided-production-alerts"))).toBe("implicit deny");
      }
    });

    describe("defect 5: KMS calls right after CreateKey do not depend on the key's tags", () => {
      // KMS: tag changes "might take up to five minutes" to affect authorization (abac.html).
      const resolved: Statement[] = JSON.parse(resolveAccount(JSON.stringify(policy)));
      const key = "arn:aws:kms:eu-west-3:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
      const onKey = (action: string, tags: Record<string, string>) => evaluate(resolved, { action, resource: key, context: tags });
      const tagged = (environment: string) => ({ "aws:ResourceTag/Environment": environment, "aws:ResourceTag/Project": "city-guided" });

      test.each(NEW_KEY_ACTIONS)("%s: allowed on a key whose tags do not count yet, and on staging's keys", (action) => {
        expect(onKey(action, {})).toBe("allowed");
        expect(onKey(action, tagged("staging"))).toBe("allowed");
      });

      test.each(NEW_KEY_ACTIONS)("%s: denied on a key tagged for another environment, even one whose name extends staging's", (action) => {
        for (const other of ["production", "staging-eu", "staging2", "Staging"]) expect(onKey(action, tagged(other))).toBe("explicit deny");
      });

      test("the deny names exactly these actions, on keys whose Environment tag exists and differs", () => {
        const denies = policy.filter((found) => found.Effect === "Deny");
        expect(denies).toHaveLength(1);
        expect(denies[0]).toMatchObject({
          Action: NEW_KEY_ACTIONS,
          Condition: { Null: { "aws:ResourceTag/Environment": "false" }, StringNotEquals: { "aws:ResourceTag/Environment": "staging" } },
        });
        expect(granting(policy, "kms:EnableKeyRotation").Condition).toBeUndefined();
      });

      test("other key administration, kms:PutKeyPolicy included, still needs staging's tags", () => {
        for (const action of ["kms:PutKeyPolicy", "kms:ScheduleKeyDeletion", "kms:DisableKeyRotation", "kms:UntagResource"]) {
          expect(onKey(action, {})).toBe("implicit deny");
          expect(onKey(action, tagged("staging"))).toBe("allowed");
          expect(onKey(action, tagged("production"))).toBe("implicit deny");
        }
      });
    });

    test("defect 4: lists the tasks of its own cluster only (ops/status-wait.ts)", () => {
      const resolved: Statement[] = JSON.parse(resolveAccount(JSON.stringify(policy)));
      const listTasks = (cluster: string) => evaluate(resolved, { action: "ecs:ListTasks", resource: "*", context: { "ecs:cluster": `arn:aws:ecs:eu-west-3:123456789012:cluster/${cluster}` } });
      expect(listTasks("city-guided-staging")).toBe("allowed");
      for (const other of ["city-guided-staging-eu", "city-guided-staging2", "city-guided-production"]) expect(listTasks(other)).toBe("implicit deny");
      expect(evaluate(resolved, { action: "ecs:ListTasks", resource: "*" })).toBe("implicit deny");
      // The boundary's ceiling holds every non-IAM action of the role, this one included.
      expect(evaluate(managedPolicy(registry, "city-guided-staging-deploy-boundary"), { action: "ecs:ListTasks", resource: "*" })).toBe("allowed");
    });

    test("the wake of an internal environment (ecs:UpdateService, ops/status-wait.ts) reaches its own service only", () => {
      const resolved: Statement[] = JSON.parse(resolveAccount(JSON.stringify(policy)));
      const update = (cluster: string, service: string) =>
        evaluate(resolved, { action: "ecs:UpdateService", resource: `arn:aws:ecs:eu-west-3:123456789012:service/${cluster}/${service}`, context: { "ecs:cluster": `arn:aws:ecs:eu-west-3:123456789012:cluster/${cluster}` } });
      expect(update("city-guided-staging", "city-guided-staging")).toBe("allowed");
      for (const other of ["city-guided-staging-eu", "city-guided-staging2", "city-guided-production"]) expect(update(other, other)).toBe("implicit deny");
      expect(update("city-guided-staging", "another-service")).toBe("implicit deny");
      expect(evaluate(managedPolicy(registry, "city-guided-staging-deploy-boundary"), { action: "ecs:UpdateService", resource: "arn:aws:ecs:eu-west-3:123456789012:service/city-guided-staging/city-guided-staging" })).toBe("allowed");
    });

    test("target tracking's own alarms are allowed, for this service only", () => {
      expect(resources(granting(policy, "cloudwatch:PutMetricAlarm"))).toContainEqual(expect.stringMatching(/:alarm:TargetTracking-service\/city-guided-staging\/city-guided-staging\*$/));
    });

    test("security groups are scoped by the Environment tag", () => {
      expect(granting(policy, "ec2:DeleteSecurityGroup").Condition).toEqual({
        StringEquals: { "ec2:ResourceTag/Environment": "staging", "ec2:ResourceTag/Project": "city-guided" },
      });
      const group = "arn:aws:ec2:eu-west-3:123456789012:security-group/sg-0123456789abcdef0";
      const create = (environment: string) => decision(policy, "ec2:CreateSecurityGroup", group, { "aws:RequestTag/Environment": environment, "aws:RequestTag/Project": "city-guided" });
      expect(create("staging")).toBe("allowed");
      expect(create("production")).toBe("implicit deny");
    });

    test("production's role reaches no staging resource, and staging's none of staging2's", () => {
      const production = role(registry, "city-guided-production-deploy").policy;
      expect(JSON.stringify(production)).not.toContain("city-guided-staging");
      expect(JSON.stringify(policy)).not.toContain("city-guided-staging2");
    });
  });

  test("the workload boundary allows pulls, logs and the environment's secrets only", () => {
    const boundary = managedPolicy(registry, "city-guided-staging-workload-boundary");
    expect([...actionsOf(boundary)].sort()).toEqual([
      "ecr:BatchCheckLayerAvailability",
      "ecr:BatchGetImage",
      "ecr:GetAuthorizationToken",
      "ecr:GetDownloadUrlForLayer",
      "logs:CreateLogStream",
      "logs:PutLogEvents",
      "secretsmanager:GetSecretValue",
      "ssm:GetParameters",
    ]);
    expect(resources(granting(boundary, "ssm:GetParameters"))).toEqual([expect.stringMatching(/:ssm:eu-west-3:\$\{[^}]+\}:parameter\/city-guided\/staging\/\*$/)]);
    const parameter = (environment: string) => `arn:aws:ssm:eu-west-3:123456789012:parameter/city-guided/${environment}/DATABASE_URL`;
    expect(decision(boundary, "ssm:GetParameters", parameter("staging"))).toBe("allowed");
    expect(decision(boundary, "ssm:GetParameters", parameter("production"))).toBe("implicit deny");
  });

  test("the workload boundary holds every action of the execution role, which it is derived from", () => {
    const executionPolicies = Object.values(stacks.staging.resources("aws_iam_role_policy")).flatMap((found) => JSON.parse(found.policy).Statement);
    expect(executionPolicies.length).toBeGreaterThan(0);
    const boundary = new Set(actionsOf(managedPolicy(registry, "city-guided-staging-workload-boundary")));
    expect(actionsOf(executionPolicies).filter((action) => !boundary.has(action))).toEqual([]);
  });

  test("the environment stack's task roles carry the workload boundary", () => {
    const roles = Object.values(stacks.staging.resources("aws_iam_role"));
    expect(roles).toHaveLength(2);
    for (const found of roles) expect(found.permissions_boundary).toMatch(/:policy\/city-guided-staging-workload-boundary$/);
  });

  test("outputs the role ARNs", () => {
    expect(Object.keys(registry.json.output)).toEqual(
      expect.arrayContaining(["push_role_arn", "plan_role_arn", "deploy_role_arn_staging", "deploy_role_arn_production"]),
    );
  });
});

test("without an infrastructure repository the task roles carry no boundary (it would not exist)", () => {
  const { staging } = pipelineStacks({ staging: "" }, "INFRA_STATE_BUCKET=test-state-bucket\n");
  for (const found of Object.values(staging.resources("aws_iam_role"))) expect(found.permissions_boundary).toBeUndefined();
});

test("the pipeline's roles refuse environments whose names extend another's with a dash", () => {
  const environment = (name: string) => ({
    name,
    region: "eu-west-3",
    state: { bucket: "test-state-bucket", key: `city-guided/${name}.tfstate` },
    secrets: { ssmParameters: [], secretsManagerResources: [] },
  });
  const create = () =>
    new DeliveryRoles(new TerraformStack(new App(), "registry"), "delivery", {
      repositoryArns: [],
      registryState: { bucket: "test-state-bucket", key: "city-guided/registry.tfstate" },
      environments: [environment("staging"), environment("staging-eu")],
      infraRepository: "elzinko/city-guided-infrastructure",
    });
  expect(create).toThrow(ConstructPropsError);
  expect(create).toThrow('Invalid environment names "staging" and "staging-eu": "staging-eu" extends "staging" with a dash');
});

/** The IAM constructs (issue 12): names.ts is the constructs' own, whatever it reads today. */
const IAM_CONSTRUCTS = [
  "delivery-roles.ts",
  "deploy-role.ts",
  "deploy-role-policy.ts",
  "deploy-role-tagged-resources.ts",
  "github-oidc.ts",
  "github-role.ts",
  "iam-policy.ts",
  "pipeline-calls.ts",
  "plan-role-policy.ts",
  "push-role-policy.ts",
  "task-roles.ts",
  "workload-boundary.ts",
];

test.each(IAM_CONSTRUCTS)("constructs/%s imports nothing above the constructs (config/, ops/, policy/, stacks/, cli/)", (file) => {
  const text = readFileSync(join(__dirname, "..", "..", "constructs", file), "utf8");
  expect(text.match(/from "\.\.\/[^"]+"/g) ?? []).toEqual([]);
});
