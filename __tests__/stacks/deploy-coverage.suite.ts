import { readdirSync, readFileSync } from "node:fs";
import { parse } from "yaml";
import { REPOSITORY_NAMES, type EnvironmentConfig } from "../../config/model";
import { derivedName, environmentNames, PIPELINE_ROLE_NAMES } from "../../constructs/names";
import { PIPELINE_CALLS, type CallTarget, type PipelineRole } from "../../constructs/pipeline-calls";
import { decide, evaluate, type IamRequest } from "../iam-evaluation";
import { configErrorOf, configFrom, synthProject, type SynthesizedStack } from "../helpers";
import { managedPolicy, PIPELINE_SHARED, role, type Statement } from "../pipeline-helpers";
import { refreshRequests } from "../refresh-requests";
import { ACCOUNT, creationRequests, PARTITION, stackResolver } from "../stack-requests";

// Every optional part on somewhere: certificate (HTTPS listener), alert e-mail, scale from zero, CPU scale-in.
const EVERYTHING = [
  "INFRA_CERTIFICATE_ARN=arn:aws:acm:eu-west-3:123456789012:certificate/01234567-89ab-cdef-0123-456789abcdef",
  "INFRA_ALERT_EMAIL=ops@example.com",
  "INFRA_MIN_CAPACITY=0",
  "INFRA_MAX_CAPACITY=3",
].join("\n");

/**
 * Names that are prefixes of each other without a dash (names that extend another with one, such as
 * `staging-eu`, are refused: see below), in two regions; and production, the one that promotes.
 */
const COVERAGE_ENVIRONMENTS: Record<string, string> = {
  staging: EVERYTHING,
  // A site domain in a Route 53 zone (certificate, validation and alias records), on the environment that never sleeps.
  production: "INFRA_MIN_CAPACITY=1\nINFRA_DOMAIN=www.example.com\nINFRA_ROUTE53_ZONE_ID=Z0123456789ABCDEFGHIJ\nINFRA_ENTRY=load-balancer",
  // Another environment's name in the same zone: neither deploy role may change the other's records.
  b1: "INFRA_MIN_CAPACITY=1\nINFRA_DOMAIN=b1.example.com\nINFRA_ROUTE53_ZONE_ID=Z0123456789ABCDEFGHIJ\nINFRA_ENTRY=load-balancer",
  // The proxy entry on DuckDNS (the live case: the instance reads the token's parameter), in another region.
  staging2: "INFRA_AWS_REGION=eu-central-1\nINFRA_MIN_CAPACITY=0\nINFRA_DOMAIN=staging2.duckdns.org\nINFRA_DNS=duckdns\nINFRA_ENTRY=proxy\nINFRA_ENTRY_DUCKDNS_TOKEN_PARAMETER=/city-guided/staging2/DUCKDNS_TOKEN\nINFRA_ENTRY_ACME_EMAIL=ops@example.com",
  // The proxy entry in the same Route 53 zone as production and b1 (an A record to its Elastic IP).
  b10: "INFRA_MIN_CAPACITY=0\nINFRA_MAX_CAPACITY=2\nINFRA_DOMAIN=b10.example.com\nINFRA_ROUTE53_ZONE_ID=Z0123456789ABCDEFGHIJ\nINFRA_ENTRY=proxy\nINFRA_ENTRY_ACME_EMAIL=ops@example.com",
};

/** The policies of the registry stack's roles, with the account and the repositories resolved. */
class PipelinePolicies {
  private readonly resolveText: (text: string) => string;

  constructor(private readonly registry: SynthesizedStack, registryRegion: string) {
    // References in the registry's policies (repositories, the OIDC provider) as the ARNs AWS gives them.
    this.resolveText = stackResolver(registry.json, registryRegion, registryRegion);
  }

  private resolve(statements: Statement[]): Statement[] {
    return JSON.parse(this.resolveText(JSON.stringify(statements)));
  }

  /** A role's identity policies and its boundary (undefined when it has none). */
  of(pipelineRole: Exclude<PipelineRole, "operator">, environment: string): { identity: Statement[]; boundary?: Statement[] } {
    if (pipelineRole !== "deploy") return { identity: this.resolve(role(this.registry, PIPELINE_ROLE_NAMES[pipelineRole]).policy) };
    const names = environmentNames(environment);
    return { identity: this.resolve(role(this.registry, names.deployRole).policy), boundary: this.resolve(managedPolicy(this.registry, names.deployBoundary)) };
  }

  workloadBoundary(environment: string): Statement[] {
    return this.resolve(managedPolicy(this.registry, environmentNames(environment).workloadBoundary));
  }
}

const describeRequest = (request: IamRequest) => `${request.action} on ${request.resource}${request.context && Object.keys(request.context).length > 0 ? ` ${JSON.stringify(request.context)}` : ""}`;

/** A project synthesized from in-memory environment files, with the pipeline's repositories set. */
function project(environments: Record<string, string>) {
  const config = configFrom(environments, PIPELINE_SHARED);
  return { config, stacks: synthProject(config) };
}

/** Checks every named resource of every environment against the deploy roles; returns the failures. */
function coverageFailures({ config, stacks }: ReturnType<typeof project>): string[] {
  const policies = new PipelinePolicies(stacks.registry, config.registry.region);
  const failures: string[] = [];
  const requestsOf = Object.fromEntries(config.environments.map((environment) => [environment.name, creationRequests(stacks[environment.name].json, environment.name, environment.region)]));
  for (const environment of config.environments) {
    const { identity, boundary } = policies.of("deploy", environment.name);
    for (const { address, request } of requestsOf[environment.name]) {
      const decision = decide(identity, boundary, request);
      if (decision !== "allowed") failures.push(`${environment.name} deploy role, ${address}: ${describeRequest(request)}: ${decision}`);
    }
    for (const other of config.environments.filter((candidate) => candidate.name !== environment.name)) {
      for (const { address, request } of requestsOf[other.name].filter((entry) => entry.scoped)) {
        if (decide(identity, boundary, request) === "allowed") failures.push(`${environment.name} deploy role may create ${other.name}'s ${address}: ${describeRequest(request)}`);
      }
    }
    failures.push(...workloadFailures(stacks[environment.name], environment, policies.workloadBoundary(environment.name)));
  }
  return failures;
}

/** Each permission the task roles hold lies within the workload boundary they carry. */
function workloadFailures(stack: SynthesizedStack, environment: EnvironmentConfig, boundary: Statement[]): string[] {
  const failures: string[] = [];
  const resolve = stackResolver(stack.json, environment.region, environment.registryRegion);
  for (const policy of Object.values(stack.resources("aws_iam_role_policy"))) {
    const statements: Statement[] = JSON.parse(resolve(policy.policy)).Statement;
    for (const statement of statements) {
      for (const action of statement.Action) {
        for (const resource of [statement.Resource ?? []].flat()) {
          // The role's request meets its own statement's conditions (the entry's instance carries its environment's tag).
          if (evaluate(boundary, { action, resource, context: ownConditions(statement) }) !== "allowed") failures.push(`${environment.name} task role: ${action} on ${resource} is outside the workload boundary`);
        }
      }
    }
  }
  return failures;
}

/** A request that meets a statement's single-valued equality conditions: those keys, those values. */
function ownConditions(statement: Statement): Record<string, string> {
  const context: Record<string, string> = {};
  for (const [operator, keys] of Object.entries(statement.Condition ?? {})) {
    if (!["StringEquals", "ArnEquals", "StringLike", "ArnLike"].includes(operator)) throw new Error(`workload boundary check: condition operator ${operator} of a task role is not modelled`);
    for (const [key, value] of Object.entries(keys as Record<string, string | string[]>)) context[key] = [value].flat()[0];
  }
  return context;
}

let coveredProject: ReturnType<typeof project> | undefined;
/** The coverage environments, synthesized once for the suites below. */
const covered = () => (coveredProject ??= project(COVERAGE_ENVIRONMENTS));

describe("names and IAM patterns agree (issue 10: one source of names)", () => {
  test("every resource of every environment is creatable by its own deploy role, and by no other environment's", () => {
    expect(coverageFailures(covered())).toEqual([]);
  });

  test("defect 7: moving the log groups moves the deploy role's and the workload boundary's patterns with them", () => {
    // One edit in names.ts, as a developer would make it: the constructs and the patterns both follow.
    const spy = jest.spyOn(derivedName, "logGroup").mockImplementation((service, container) => `/custom/ecs/${service}/${container}`);
    try {
      const moved = project({ staging: "", b1: "" });
      expect(Object.values(moved.stacks.staging.resources("aws_cloudwatch_log_group")).map((group: any) => group.name)).toContain("/custom/ecs/city-guided-staging/api");
      expect(coverageFailures(moved)).toEqual([]);
    } finally {
      spy.mockRestore();
    }
  });

  test("names that extend another's with a dash are refused at config: staging's patterns would match staging-eu's resources", () => {
    const message = configErrorOf({ staging: "", "staging-eu": "", "staging-eu-2": "", production: "", staging2: "" }, PIPELINE_SHARED);
    expect(message.split("\n").slice(1)).toEqual([
      '  - env/.env.staging-eu: environment name "staging-eu" extends "staging" with a dash: the deploy role of staging would match its resources (city-guided-staging-*); rename one of them',
      '  - env/.env.staging-eu-2: environment name "staging-eu-2" extends "staging" with a dash: the deploy role of staging would match its resources (city-guided-staging-*); rename one of them',
    ]);
  });

  test("the checker itself: a resource outside the patterns is reported", () => {
    // An alarm named apart from the shared pattern: the checker must catch it.
    const spy = jest.spyOn(derivedName, "alerting").mockImplementation((prefix, suffix) => (suffix === "api-5xx" ? "elsewhere-api-5xx" : `${prefix}-${suffix}`));
    try {
      expect(coverageFailures(project({ staging: "" }))).toEqual([expect.stringMatching(/cloudwatch:PutMetricAlarm on arn:aws:cloudwatch:eu-west-3:123456789012:alarm:elsewhere-api-5xx .*: implicit deny$/)]);
    } finally {
      spy.mockRestore();
    }
  });
});

describe("terraform refresh: the plan role reads every stack, each deploy role its own", () => {
  test("every resource and data source of every stack", () => {
    const { config, stacks } = covered();
    const policies = new PipelinePolicies(stacks.registry, config.registry.region);
    const plan = policies.of("plan", "");
    const failures: string[] = [];
    const check = (who: string, role: { identity: Statement[]; boundary?: Statement[] }, reads: ReturnType<typeof refreshRequests>) => {
      for (const { address, request } of reads) {
        const decision = decide(role.identity, role.boundary, request);
        if (decision !== "allowed") failures.push(`${who}, ${address}: ${describeRequest(request)}: ${decision}`);
      }
    };
    check("plan role", plan, refreshRequests(stacks.registry.json, config.registry.region, config.registry.region));
    for (const environment of config.environments) {
      const reads = refreshRequests(stacks[environment.name].json, environment.region, environment.registryRegion);
      check("plan role", plan, reads);
      check(`${environment.name} deploy role`, policies.of("deploy", environment.name), reads);
    }
    expect(failures).toEqual([]);
  });
});

describe("the IAM model the coverage test relies on (IAM User Guide: policy evaluation logic, condition operators)", () => {
  const allow = (extra: Partial<Statement>): Statement => ({ Sid: "A", Effect: "Allow", Action: ["ecs:Describe*"], Resource: "arn:aws:ecs:*:*:cluster/a-*", ...extra });
  test("wildcards: actions ignore case, resources do not; * spans any characters", () => {
    expect(evaluate([allow({})], { action: "ECS:DescribeClusters", resource: "arn:aws:ecs:eu-west-3:1:cluster/a-b/c" })).toBe("allowed");
    expect(evaluate([allow({})], { action: "ecs:DescribeClusters", resource: "arn:aws:ecs:eu-west-3:1:cluster/A-b" })).toBe("implicit deny");
    expect(evaluate([allow({})], { action: "ecs:ListClusters", resource: "arn:aws:ecs:eu-west-3:1:cluster/a-b" })).toBe("implicit deny");
  });
  test("an absent key fails a positive operator and satisfies a negated one; Null tests presence", () => {
    const request = (context: Record<string, string>) => ({ action: "ecs:DescribeClusters", resource: "arn:aws:ecs:r:1:cluster/a-1", context });
    expect(evaluate([allow({ Condition: { StringEquals: { k: "v" } } })], request({}))).toBe("implicit deny");
    expect(evaluate([allow({ Condition: { StringNotEquals: { k: "v" } } })], request({}))).toBe("allowed");
    expect(evaluate([allow({ Condition: { Null: { k: "false" } } })], request({}))).toBe("implicit deny");
    expect(evaluate([allow({ Condition: { Null: { k: "false" }, StringNotEquals: { k: "v" } } })], request({ k: "w" }))).toBe("allowed");
  });
  test("a Deny wins; the boundary must allow too", () => {
    const request = { action: "ecs:DescribeClusters", resource: "arn:aws:ecs:r:1:cluster/a-1" };
    expect(evaluate([allow({}), { ...allow({}), Effect: "Deny" }], request)).toBe("explicit deny");
    expect(decide([allow({})], [], request)).toBe("implicit deny");
    expect(decide([allow({})], [allow({})], request)).toBe("allowed");
  });
  test("an operator it does not model fails loudly", () => {
    expect(() => evaluate([allow({ Condition: { DateGreaterThan: { k: "v" } } })], { action: "ecs:DescribeClusters", resource: "arn:aws:ecs:r:1:cluster/a-1", context: { k: "x" } })).toThrow(/not modelled/);
  });
});

describe("only production's deploy role may add the release tag", () => {
  test("ecr:PutImage is denied to every other environment's deploy role and its boundary", () => {
    const policies = new PipelinePolicies(covered().stacks.registry, covered().config.registry.region);
    const put = PIPELINE_CALLS.find((call) => call.action === "ecr:PutImage" && call.roles.includes("deploy"))!;
    expect(put.environments).toEqual(["production"]);
    for (const environment of covered().config.environments) {
      const { identity, boundary } = policies.of("deploy", environment.name);
      const target = { environment: environment.name, partition: PARTITION, accountId: ACCOUNT, region: environment.region, registryRegion: covered().config.registry.region, stateBucket: environment.stateBucket, stacks: [] };
      const decisions = put.resources(target).map((resource) => decide(identity, boundary, { action: "ecr:PutImage", resource, context: {} }));
      expect({ environment: environment.name, decisions }).toEqual({ environment: environment.name, decisions: decisions.map(() => (environment.name === "production" ? "allowed" : "implicit deny")) });
    }
  });
});

describe("every declared pipeline call is granted to its role", () => {
  const targets = (config: ReturnType<typeof project>["config"]): CallTarget[] => config.environments.map((environment) => ({
    environment: environment.name,
    partition: PARTITION,
    accountId: ACCOUNT,
    region: environment.region,
    registryRegion: config.registry.region,
    stateBucket: environment.stateBucket,
    stacks: ["registry", ...config.environments.map((candidate) => candidate.name)],
  }));
  let policies: PipelinePolicies | undefined;
  const policiesOf = () => (policies ??= new PipelinePolicies(covered().stacks.registry, covered().config.registry.region));
  const cases = PIPELINE_CALLS.flatMap((call) =>
    call.action === undefined ? [] : call.roles.filter((who) => who !== "operator").map((who) => [`${call.caller}: ${call.command} (${call.action}, ${who} role)`, call, who] as const),
  );

  test.each(cases)("%s", (_label, call, who) => {
    const made = targets(covered().config).filter((target) => call.environments?.includes(target.environment) ?? true);
    expect(made.length).toBeGreaterThan(0);
    const failures = made.flatMap((target) => {
      const { identity, boundary } = policiesOf().of(who as Exclude<PipelineRole, "operator">, target.environment);
      return call.resources(target).flatMap((resource) => {
        const request = { action: call.action!, resource, context: call.context?.(target) ?? {} };
        const decision = decide(identity, boundary, request);
        return decision === "allowed" ? [] : [`${target.environment}: ${describeRequest(request)}: ${decision}`];
      });
    });
    expect(failures).toEqual([]);
  });
});

/** npm script -> the TypeScript entry it runs (`node scripts/run-ts.js <entry>`). */
const NPM_ENTRIES: Record<string, string> = Object.fromEntries(
  Object.entries(JSON.parse(readFileSync("package.json", "utf8")).scripts as Record<string, string>).flatMap(([name, line]) => {
    const entry = /run-ts\.js (\S+\.ts)/.exec(line)?.[1];
    return entry ? [[name, entry]] : [];
  }),
);

/**
 * The ops/ files with AWS calls that each ops/ command of the pipeline runs, by the npm script (and
 * `--wait` for status, whose report reads more than the wait does: ops/status-collect.ts is the
 * operator's). The test below checks each list against the entry's imports.
 */
const OPS_COMMANDS: Record<string, readonly string[]> = {
  "running-tag": ["ops/running-tag.ts", "ops/ecs-service.ts"],
  promote: ["ops/promote.ts"],
  "status --wait": ["ops/status-wait.ts", "ops/ecs-service.ts"],
  "check-image-tag": [],
};

/** The ops/ files a script's or job's code runs through `npm run`; an ops/ command missing from OPS_COMMANDS fails. */
function opsFilesRun(code: string): string[] {
  return [...code.matchAll(/npm run (?:-s |--silent )?([a-z:-]+)([^\n]*)/g)].flatMap((match) => {
    if (!NPM_ENTRIES[match[1]]?.startsWith("ops/")) return [];
    const command = match[1] === "status" && /--wait\b/.test(match[2]) ? "status --wait" : match[1];
    const files = OPS_COMMANDS[command];
    if (!files) throw new Error(`a pipeline step runs "npm run ${command}", which OPS_COMMANDS does not list`);
    return [...files];
  });
}

/** An ops/ entry and every ops/ file it imports, transitively. */
function opsImports(entry: string, seen = new Set<string>()): Set<string> {
  if (seen.has(entry)) return seen;
  seen.add(entry);
  for (const match of readFileSync(entry, "utf8").matchAll(/from "\.\/([\w-]+)"/g)) opsImports(`ops/${match[1]}.ts`, seen);
  return seen;
}

describe("the declared calls are the calls the files make", () => {
  const declared = (caller: string) => new Set(PIPELINE_CALLS.filter((call) => call.caller === caller).map((call) => call.command));
  const files = [
    ...readdirSync("scripts").filter((file) => file.endsWith(".sh")).map((file) => `scripts/${file}`),
    ...readdirSync(".github/workflows").filter((file) => file.endsWith(".yml")).map((file) => `.github/workflows/${file}`),
  ];

  test.each(files)("every `aws <service> <command>` of %s is declared", (file) => {
    const commands = readFileSync(file, "utf8")
      .split("\n")
      .filter((line) => !/^\s*#/.test(line))
      .flatMap((line) => [...line.matchAll(/(?:^|[\s($])aws ([a-z0-9-]+) ([a-z0-9-]+)/g)].map((match) => `aws ${match[1]} ${match[2]}`));
    expect(commands.filter((command) => !declared(file).has(command))).toEqual([]);
  });

  test.each(readdirSync("ops").filter((file) => file.endsWith(".ts")).map((file) => `ops/${file}`))("every AWS SDK command of %s is declared", (file) => {
    const commands = [...readFileSync(file, "utf8").matchAll(/new ([A-Za-z]+Command)\(/g)].map((match) => match[1]);
    expect(commands.filter((command) => !declared(file).has(command))).toEqual([]);
  });

  test("each script's and workflow's calls are declared for the roles that actually run them", () => {
    // The role a workflow assumes (role-to-assume), and the scripts it runs, directly or through another script.
    const ROLE_OF: Record<string, PipelineRole> = { "vars.AWS_DEPLOY_ROLE_ARN": "deploy", "vars.AWS_PLAN_ROLE_ARN": "plan", "vars.AWS_PUSH_ROLE_ARN": "push", "inputs.push-role-arn": "push" };
    const code = (file: string) => readFileSync(file, "utf8").split("\n").filter((line) => !/^\s*#/.test(line)).join("\n");
    const scriptsOf = (file: string): string[] => {
      const direct = [...new Set([...code(file).matchAll(/scripts\/([a-z-]+\.sh)/g)].map((match) => `scripts/${match[1]}`))].filter((script) => script !== file);
      return [...direct, ...direct.flatMap(scriptsOf)];
    };
    const actual = new Map<string, Set<PipelineRole>>();
    const add = (caller: string, role: PipelineRole) => actual.set(caller, new Set([...(actual.get(caller) ?? []), role]));
    // Per job: a workflow's jobs may assume different roles (deploy.yml: plan, then deploy).
    for (const workflow of files.filter((file) => file.startsWith(".github/"))) {
      const jobs = Object.values((parse(readFileSync(workflow, "utf8")) as { jobs: Record<string, { steps?: { with?: Record<string, string>; run?: string }[] }> }).jobs);
      for (const job of jobs) {
        const assumed = /^\$\{\{ ([a-zA-Z_.-]+) \}\}$/.exec((job.steps ?? []).find((step) => step.with?.["role-to-assume"])?.with?.["role-to-assume"] ?? "")?.[1];
        if (!assumed) continue;
        const runs = (job.steps ?? []).map((step) => step.run ?? "").join("\n");
        if (/\baws [a-z0-9-]+ [a-z0-9-]+/.test(runs)) add(workflow, ROLE_OF[assumed]);
        const direct = [...new Set([...runs.matchAll(/scripts\/([a-z-]+\.sh)/g)].map((match) => `scripts/${match[1]}`))];
        const reached = [...direct, ...direct.flatMap(scriptsOf)];
        for (const script of reached) add(script, ROLE_OF[assumed]);
        // The ops/ commands they run (`npm run -s running-tag -- ...`), in the job or in those scripts.
        for (const file of [runs, ...reached.map(code)].flatMap(opsFilesRun)) add(file, ROLE_OF[assumed]);
      }
    }
    const declared = new Map<string, Set<PipelineRole>>();
    for (const call of PIPELINE_CALLS.filter((candidate) => candidate.action !== undefined && actual.has(candidate.caller))) {
      declared.set(call.caller, new Set([...(declared.get(call.caller) ?? []), ...call.roles]));
    }
    const byCaller = (map: Map<string, Set<PipelineRole>>) => Object.fromEntries([...map].filter(([caller]) => declared.has(caller)).map(([caller, roles]) => [caller, [...roles].sort()]));
    expect(byCaller(declared)).toEqual(byCaller(actual));
    // Every caller of AWS among the scripts and workflows, and every ops/ file declared for a pipeline role, is run by some role.
    const pipelineCaller = (call: (typeof PIPELINE_CALLS)[number]) => /^(scripts|\.github)\//.test(call.caller) || (call.caller.startsWith("ops/") && call.roles.some((who) => who !== "operator"));
    expect(PIPELINE_CALLS.filter((call) => call.action !== undefined && pipelineCaller(call) && !actual.has(call.caller)).map((call) => call.caller)).toEqual([]);
  });

  test("the ops/ files each pipeline command reaches are among its entry's imports", () => {
    for (const [command, files] of Object.entries(OPS_COMMANDS)) {
      const entry = NPM_ENTRIES[command.split(" ")[0]];
      expect({ command, entry: entry?.startsWith("ops/") }).toEqual({ command, entry: true });
      const imported = opsImports(entry);
      expect({ command, missing: files.filter((file) => !imported.has(file)) }).toEqual({ command, missing: [] });
    }
  });

  test("docs/operations.md lists the permissions status needs, as declared", () => {
    const paragraph = /Permissions: (`ecs:[\s\S]*?)\(declared/.exec(readFileSync("docs/operations.md", "utf8"))![1];
    const documented = [...paragraph.matchAll(/`([a-z0-9-]+:[A-Za-z]+)`/g)].map((match) => match[1]);
    const declared = PIPELINE_CALLS.filter((call) => call.caller === "ops/status-collect.ts").map((call) => call.action);
    expect(documented.sort()).toEqual([...new Set(declared)].sort());
  });

  test("the repository names the image workflows spell are the registry's", () => {
    const build = parse(readFileSync(".github/workflows/build-images.yml", "utf8"));
    const job: any = Object.values(build.jobs)[0];
    const step = job.steps.find((candidate: any) => candidate.env?.REPOSITORY);
    const spelled = job.strategy.matrix.image.map((image: string) => step.env.REPOSITORY.replace("${{ matrix.image }}", image));
    expect(spelled.sort()).toEqual(Object.values(REPOSITORY_NAMES).sort());
    const copy = parse(readFileSync(".github/workflows/copy-images-from-ghcr.yml", "utf8"));
    const inputs = copy.on.workflow_dispatch.inputs;
    expect([inputs["api-repository"].default, inputs["web-repository"].default]).toEqual([REPOSITORY_NAMES.api, REPOSITORY_NAMES.web]);
  });

  test("every declared call is still made by its file", () => {
    const stale = PIPELINE_CALLS.filter((call) => !call.caller.startsWith("terraform ") && !readFileSync(call.caller, "utf8").includes(call.command.replace(/^(crane|docker\/build-push-action) .*/, "$1")));
    expect(stale.map((call) => `${call.caller}: ${call.command}`)).toEqual([]);
  });
});

describe("the proxy entry's grants (issue 13): only what its resources need", () => {
  const policiesOf = () => new PipelinePolicies(covered().stacks.registry, covered().config.registry.region);
  const statementsWith = (statements: Statement[], action: string) => statements.filter((statement) => statement.Effect === "Allow" && statement.Action.includes(action));

  test("iam:PassRole to EC2 reaches the entry role only; without the entry, no PassRole to EC2 at all", () => {
    for (const environment of covered().config.environments) {
      const { identity } = policiesOf().of("deploy", environment.name);
      const toEc2 = statementsWith(identity, "iam:PassRole").filter((statement) => JSON.stringify(statement.Condition).includes("ec2.amazonaws.com"));
      const expected = environment.entryProxy ? [[`arn:aws:iam::${ACCOUNT}:role/city-guided-${environment.name}-entry`]] : [];
      expect({ environment: environment.name, resources: toEc2.map((statement) => [statement.Resource].flat()) }).toEqual({ environment: environment.name, resources: expected });
    }
  });

  test("no deploy role may attach a managed policy to any role (the entry's Session Manager actions are inline)", () => {
    for (const environment of covered().config.environments) {
      const { identity, boundary } = policiesOf().of("deploy", environment.name);
      expect({ environment: environment.name, attach: statementsWith(identity, "iam:AttachRolePolicy") }).toEqual({ environment: environment.name, attach: [] });
      const request = { action: "iam:AttachRolePolicy", resource: `arn:aws:iam::${ACCOUNT}:role/city-guided-${environment.name}-entry`, context: { "iam:PolicyARN": "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore" } };
      expect(decide(identity, boundary, request)).not.toBe("allowed");
    }
  });

  test("the workload boundary lets the entry's instance use Session Manager, and lets no environment's task role do so", () => {
    for (const environment of covered().config.environments) {
      const boundary = policiesOf().workloadBoundary(environment.name);
      const decision = evaluate(boundary, { action: "ssmmessages:OpenControlChannel", resource: "*" });
      expect({ environment: environment.name, decision }).toEqual({ environment: environment.name, decision: environment.entryProxy ? "allowed" : "implicit deny" });
    }
    // The token's parameter of its own environment only.
    const boundary = policiesOf().workloadBoundary("staging2");
    expect(evaluate(boundary, { action: "ssm:GetParameter", resource: `arn:aws:ssm:eu-central-1:${ACCOUNT}:parameter/city-guided/staging2/DUCKDNS_TOKEN` })).toBe("allowed");
    expect(evaluate(boundary, { action: "ec2:AssociateAddress", resource: `arn:aws:ec2:eu-central-1:${ACCOUNT}:instance/i-0123456789abcdef0`, context: { "aws:ResourceTag/Environment": "b10" } })).toBe("implicit deny");
  });

  test("a proxy entry on Route 53 gets no certificate statement, and changes only A records of its name", () => {
    const { identity, boundary } = policiesOf().of("deploy", "b10");
    expect(statementsWith(identity, "acm:RequestCertificate")).toEqual([]);
    const change = (name: string, type: string) => ({
      action: "route53:ChangeResourceRecordSets",
      resource: "arn:aws:route53:::hostedzone/Z0123456789ABCDEFGHIJ",
      context: { "route53:ChangeResourceRecordSetsNormalizedRecordNames": name, "route53:ChangeResourceRecordSetsRecordTypes": type },
    });
    expect(decide(identity, boundary, change("b10.example.com", "A"))).toBe("allowed");
    expect(decide(identity, boundary, change("b10.example.com", "CNAME"))).toBe("implicit deny");
    expect(decide(identity, boundary, change("b1.example.com", "A"))).toBe("implicit deny");
  });

  test("the deploy boundary of a proxy entry on Route 53 fits IAM's managed policy limit with a 16-character environment name", () => {
    const long = "abcdefghijklmnop";
    const { stacks } = project({ [long]: "INFRA_MIN_CAPACITY=0\nINFRA_DOMAIN=www.example.com\nINFRA_ROUTE53_ZONE_ID=Z0123456789ABCDEFGHIJ\nINFRA_ENTRY=proxy\nINFRA_ENTRY_ACME_EMAIL=ops@example.com" });
    // The synth refuses a policy above the limit (deploy-role.ts): reaching here is the check; the boundary holds the ceiling and four IAM statements.
    const boundary = managedPolicy(stacks.registry, environmentNames(long).deployBoundary);
    expect(boundary.map((statement) => statement.Sid)).toEqual(["Ceiling", "Iam1", "Iam2", "Iam3", "Iam4"]);
    expect(boundary.find((statement) => statement.Action.includes("iam:PassRole"))!.Condition).toEqual({ StringEquals: { "iam:PassedToService": ["ec2.amazonaws.com", "ecs-tasks.amazonaws.com"] } });
  });
});
