import { describeCases, type Case } from "./table";

// The deploy workflow's commands (npm run running-tag / promote / status --wait / check-image-tag)
// as the workflow runs them, offline: AWS is a closed port or a local server that never answers.

const SHORT_LIMITS = { CITY_GUIDED_AWS_TIMEOUT_SECONDS: "1", AWS_MAX_ATTEMPTS: "2" };
const UNREACHABLE = (action: string) => new RegExp(`^error: Could not reach AWS to ${action} .*\\(ECONNREFUSED\\): check the network, or AWS_ENDPOINT_URL if you set it\\.$`);

const cases: Case[] = [
  { name: "running-tag --help: the usage, exit 0", entry: "ops/running-tag.ts", args: ["--help"], code: 0, line: "usage: npm run -s running-tag -- <environment>" },
  {
    name: "running-tag against a closed port: exit 3, never 'not deployed'",
    entry: "ops/running-tag.ts",
    args: ["staging"],
    variables: ({ closed }) => ({ AWS_ENDPOINT_URL: closed, ...SHORT_LIMITS }),
    code: 3,
    line: UNREACHABLE("describe ECS service city-guided-staging in cluster city-guided-staging"),
    maxSeconds: 15,
  },
  {
    name: "running-tag against an endpoint that never answers: a timeout, exit 3, no hang",
    entry: "ops/running-tag.ts",
    args: ["qa", "--region", "eu-central-1"],
    variables: ({ silent }) => ({ AWS_ENDPOINT_URL: silent, ...SHORT_LIMITS }),
    code: 3,
    line: /^error: Could not reach AWS to describe ECS service city-guided-qa .*\(TimeoutError/,
    maxSeconds: 20,
  },
  {
    name: "promote against a closed port: exit 3",
    entry: "ops/promote.ts",
    args: ["abc123"],
    variables: ({ closed }) => ({ AWS_ENDPOINT_URL: closed, ...SHORT_LIMITS }),
    code: 3,
    line: UNREACHABLE("read city-guided-api:abc123"),
    maxSeconds: 15,
  },
  { name: "promote of an invalid tag: exit 1, AWS not asked", entry: "ops/promote.ts", args: ["v1..x y"], variables: () => ({ AWS_ENDPOINT_URL: "not-a-url" }), code: 1, line: 'error: Invalid image tag "v1..x y"' },
  // The plan job checked the tag already; a flag-like one still never reaches AWS.
  { name: "promote of a tag that looks like a flag: exit 1, AWS not asked", entry: "ops/promote.ts", args: ["-rc1"], variables: () => ({ AWS_ENDPOINT_URL: "not-a-url" }), code: 1, line: "error: Unknown option '-r'" },
  {
    name: "status --wait against a closed port: exit 3",
    entry: "ops/status.ts",
    args: ["staging", "--wait", "--timeout", "5"],
    variables: ({ closed }) => ({ AWS_ENDPOINT_URL: closed, ...SHORT_LIMITS }),
    code: 3,
    line: UNREACHABLE("describe ECS service city-guided-staging in cluster city-guided-staging"),
    maxSeconds: 15,
  },
  { name: "status --wait --timeout 0: exit 1, AWS not asked", entry: "ops/status.ts", args: ["staging", "--wait", "--timeout", "0"], variables: () => ({ AWS_ENDPOINT_URL: "not-a-url" }), code: 1, line: 'error: --timeout "0" must be a whole number' },
  { name: "check-image-tag of a valid tag: exit 0, silent", entry: "ops/check-image-tag.ts", args: ["3f2c1a9"], code: 0, line: "" },
  { name: "check-image-tag of a tag starting with a dash: checked, not read as a flag", entry: "ops/check-image-tag.ts", args: ["--help"], code: 1, line: 'error: Invalid image tag "--help"' },
];

describeCases("the pipeline commands, as the workflows run them", cases);
