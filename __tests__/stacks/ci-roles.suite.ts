import { NEW_KEY_ACTIONS } from "../../constructs/tag-scoped-permissions";
import { evaluate } from "../iam-evaluation";
import { actionsOf, managedPolicy, pipelineStacks, resources, role, statement, type Statement } from "../pipeline-helpers";
import { resolveAccount } from "../stack-requests";

const WHOLE_SERVICE = /^(\*|[a-z0-9-]+:\*)$/;
const STATE = "arn:${data.aws_partition.delivery_partition";

function allStatements(policy: Statement[]): string[] {
  return policy.flatMap((found) => found.Action);
}

describe("pipeline roles' scope", () => {
  const stacks = pipelineStacks({ staging: "", production: "", "staging-eu": "", staging2: "" });
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
    expect(statement(policy, "EcrAuthorizationToken")).toMatchObject({ Action: ["ecr:GetAuthorizationToken"], Resource: "*" });
    const push = statement(policy, "PushImages");
    expect(push.Action).toEqual(expect.arrayContaining(["ecr:PutImage", "ecr:InitiateLayerUpload", "ecr:UploadLayerPart", "ecr:CompleteLayerUpload", "ecr:BatchGetImage"]));
    expect(resources(push)).toEqual(["${aws_ecr_repository.api-repository_E8E3B364.arn}", "${aws_ecr_repository.web-repository_51A5AE3F.arn}"].map((arn) => expect.stringMatching(arn.split("_")[0].replace(/[$.{}]/g, "\\$&"))));
    expect(policy).toHaveLength(2);
  });

  test("plan: reads the states and writes nothing, not even a lock (plans run with -lock=false)", () => {
    const policy = role(registry, "city-guided-github-plan").policy;
    expect(statement(policy, "StateObjects").Action).toEqual(["s3:GetObject"]);
    // One pattern for every stack's key, whatever the number of environments (issue 11).
    expect(resources(statement(policy, "StateObjects"))).toEqual([`${STATE}_${hashOf(registry)}.partition}:s3:::test-state-bucket/city-guided/*.tfstate`]);
    expect(policy.find((found) => found.Sid === "StateLocks")).toBeUndefined();
    expect(statement(policy, "StateBucketList")).toMatchObject({ Action: ["s3:ListBucket"] });
    const writes = allStatements(policy).filter((action) => !/^[a-z0-9-]+:(Describe|Get|List)/.test(action));
    expect(writes).toEqual([]);
  });

  describe("deploy role of staging", () => {
    const deploy = role(registry, "city-guided-staging-deploy");
    const policy = deploy.policy;

    test("carries its permissions boundary", () => {
      expect(deploy.resource.permissions_boundary).toMatch(/^\$\{aws_iam_policy\.delivery_deploy-staging_deploy-boundary_[0-9A-F]+\.arn\}$/);
      const boundary = managedPolicy(registry, "city-guided-staging-deploy-boundary");
      expect(statement(boundary, "Ceiling").Action.every((action) => !action.startsWith("iam:"))).toBe(true);
      expect(allStatements(boundary).filter((action) => WHOLE_SERVICE.test(action))).toEqual([]);
      // Every action the role holds is within its ceiling.
      const ceiling = new Set(actionsOf(boundary));
      expect(actionsOf(policy).filter((action) => !ceiling.has(action))).toEqual([]);
    });

    test("writes its own state and lock only", () => {
      expect(statement(policy, "StateObjects").Action).toEqual(["s3:GetObject", "s3:PutObject"]);
      expect(resources(statement(policy, "StateObjects"))).toEqual([expect.stringMatching(/:s3:::test-state-bucket\/city-guided\/staging\.tfstate$/)]);
      expect(resources(statement(policy, "StateLocks"))).toEqual([expect.stringMatching(/:s3:::test-state-bucket\/city-guided\/staging\.tfstate\.tflock$/)]);
    });

    test("IAM actions touch only roles named city-guided-staging-*", () => {
      const iam = policy.filter((found) => found.Effect === "Allow" && found.Action.some((action) => action.startsWith("iam:")));
      for (const found of iam) {
        for (const arn of resources(found)) expect(arn).toMatch(/:iam::\$\{[^}]+\}:(role\/city-guided-staging-\*|policy\/city-guided-staging-\*|role\/aws-service-role\/\*)$/);
      }
      expect(resources(statement(policy, "ServiceLinkedRoles"))).toEqual([expect.stringMatching(/role\/aws-service-role\/\*$/)]);
      expect(statement(policy, "ServiceLinkedRoles").Condition).toEqual({
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
      const underBoundary = statement(policy, "TaskRolesUnderBoundary");
      expect(underBoundary.Action).toEqual(expect.arrayContaining(["iam:CreateRole", "iam:PutRolePolicy", "iam:AttachRolePolicy", "iam:PutRolePermissionsBoundary"]));
      expect(underBoundary.Condition!.StringEquals["iam:PermissionsBoundary"]).toMatch(/:policy\/city-guided-staging-workload-boundary$/);
      expect(allStatements(policy)).not.toContain("iam:DeleteRolePermissionsBoundary");
      expect(allStatements(policy)).not.toContain("iam:UpdateAssumeRolePolicy");
    });

    test("named resources are scoped to the city-guided-staging prefix", () => {
      for (const sid of ["Cluster", "Service", "LogGroups", "LoadBalancer", "Alarms", "AlertTopic", "EventRules"]) {
        for (const arn of resources(statement(policy, sid))) expect(arn).toMatch(/city-guided-staging([-*:/]|$)/);
      }
    });

    test("KMS keys are scoped by the environment's tags, their aliases by name", () => {
      expect(statement(policy, "CreateKeysOfThisEnvironment")).toMatchObject({
        Action: ["kms:CreateKey", "kms:TagResource"],
        Condition: { StringEquals: { "aws:RequestTag/Environment": "staging", "aws:RequestTag/Project": "city-guided" } },
      });
      const keys = statement(policy, "KeysOfThisEnvironment");
      expect(keys.Condition).toEqual({ StringEquals: { "aws:ResourceTag/Environment": "staging", "aws:ResourceTag/Project": "city-guided" } });
      expect(resources(keys)).toEqual([expect.stringMatching(/:kms:eu-west-3:\$\{[^}]+\}:key\/\*$/)]);
      expect(resources(statement(policy, "KeyAliases"))).toEqual([expect.stringMatching(/:alias\/city-guided-staging-alerts$/)]);
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
        expect(statement(policy, "NotKeysOfOtherEnvironments")).toMatchObject({
          Effect: "Deny",
          Action: NEW_KEY_ACTIONS,
          Condition: { Null: { "aws:ResourceTag/Environment": "false" }, StringNotEquals: { "aws:ResourceTag/Environment": "staging" } },
        });
        expect(statement(policy, "NewKeysOfThisEnvironment").Condition).toBeUndefined();
      });

      test("other key administration, kms:PutKeyPolicy included, still needs staging's tags", () => {
        for (const action of ["kms:PutKeyPolicy", "kms:ScheduleKeyDeletion", "kms:DisableKeyRotation", "kms:UntagResource"]) {
          expect(onKey(action, {})).toBe("implicit deny");
          expect(onKey(action, tagged("staging"))).toBe("allowed");
          expect(onKey(action, tagged("production"))).toBe("implicit deny");
        }
      });
    });

    test("defect 4: lists the tasks of its own cluster only (scripts/wait-for-deploy.sh)", () => {
      const resolved: Statement[] = JSON.parse(resolveAccount(JSON.stringify(policy)));
      const listTasks = (cluster: string) => evaluate(resolved, { action: "ecs:ListTasks", resource: "*", context: { "ecs:cluster": `arn:aws:ecs:eu-west-3:123456789012:cluster/${cluster}` } });
      expect(listTasks("city-guided-staging")).toBe("allowed");
      for (const other of ["city-guided-staging-eu", "city-guided-staging2", "city-guided-production"]) expect(listTasks(other)).toBe("implicit deny");
      expect(evaluate(resolved, { action: "ecs:ListTasks", resource: "*" })).toBe("implicit deny");
      // The boundary's ceiling holds every non-IAM action of the role, this one included.
      expect(statement(managedPolicy(registry, "city-guided-staging-deploy-boundary"), "Ceiling").Action).toContain("ecs:ListTasks");
    });

    test("target tracking's own alarms are allowed, for this service only", () => {
      expect(resources(statement(policy, "Alarms"))).toContainEqual(expect.stringMatching(/:alarm:TargetTracking-service\/city-guided-staging\/city-guided-staging\*$/));
    });

    test("security groups are scoped by the Environment tag", () => {
      expect(statement(policy, "OwnSecurityGroups").Condition).toEqual({
        StringEquals: { "ec2:ResourceTag/Environment": "staging", "ec2:ResourceTag/Project": "city-guided" },
      });
      expect(statement(policy, "CreateOwnSecurityGroups").Condition).toEqual({
        StringEquals: { "aws:RequestTag/Environment": "staging", "aws:RequestTag/Project": "city-guided" },
      });
    });

    test("environments whose names extend staging's with a dash are denied (staging2's names match no pattern of staging)", () => {
      const deny = statement(policy, "NotNestedEnvironments");
      expect(deny.Effect).toBe("Deny");
      expect(resources(deny)).toEqual(expect.arrayContaining([expect.stringMatching(/cluster\/city-guided-staging-eu$/)]));
      expect(JSON.stringify(policy)).not.toContain("city-guided-staging2");
      expect(deny.Action).toEqual(expect.arrayContaining(["iam:PassRole", "ecs:UpdateService", "logs:DeleteLogGroup"]));
    });

    test("production's role has no such deny, and no staging resource", () => {
      const production = role(registry, "city-guided-production-deploy").policy;
      expect(production.find((found) => found.Sid === "NotNestedEnvironments")).toBeUndefined();
      expect(JSON.stringify(production)).not.toContain("city-guided-staging");
    });
  });

  test("the workload boundary allows pulls, logs and the environment's secrets only", () => {
    const boundary = managedPolicy(registry, "city-guided-staging-workload-boundary");
    expect(boundary.map((found) => found.Sid)).toEqual(["EcrAuthorizationToken", "PullImages", "WriteLogs", "ReadParameters", "ReadSecrets"]);
    expect(resources(statement(boundary, "ReadParameters"))).toEqual([expect.stringMatching(/:ssm:eu-west-3:\$\{[^}]+\}:parameter\/city-guided\/staging\/\*$/)]);
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

function hashOf(registry: ReturnType<typeof pipelineStacks>["registry"]): string {
  return Object.keys(registry.dataSources("aws_partition"))[0].split("_").pop()!;
}
