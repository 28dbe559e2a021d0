import { SHARED_FILE } from "./processes";
import { describeCases, type Case } from "./table";

// bootstrap and status (npm run bootstrap / npm run status) as a user runs them, offline: AWS is a
// closed port or a local server that accepts connections and never answers.

/** Short limits for the hanging cases; the defaults (10 s x 3 attempts) are documented in docs/operations.md. */
const SHORT_LIMITS = { CITY_GUIDED_AWS_TIMEOUT_SECONDS: "1", AWS_MAX_ATTEMPTS: "2" };

function forBoth(make: (command: "bootstrap" | "status") => Case): Case[] {
  return (["bootstrap", "status"] as const).map(make);
}

const entry = (command: "bootstrap" | "status") => `ops/${command}.ts`;
/** status needs an environment name; bootstrap defaults to the shared bucket. */
const target = (command: "bootstrap" | "status") => (command === "status" ? ["staging"] : []);

const cases: Case[] = [
  ...forBoth((command) => ({
    name: `${command} --help: the usage, exit 0, AWS not asked`,
    entry: entry(command),
    args: ["--help"],
    variables: () => ({ AWS_ENDPOINT_URL: "not-a-url" }),
    code: 0,
    line: `usage: npm run ${command} -- `,
  })),
  ...forBoth((command) => ({
    name: `${command} --bogus: the flag named, then the usage`,
    entry: entry(command),
    args: [...target(command), "--bogus"],
    code: 1,
    line: "error: Unknown option '--bogus'",
  })),
  ...forBoth((command) => ({
    name: `${command} of an unknown environment names the known ones`,
    entry: entry(command),
    args: ["qa"],
    code: 1,
    line: 'error: Unknown environment "qa": env/ defines staging',
  })),
  ...forBoth((command) => ({
    name: `${command} with an invalid env file: the configuration error, AWS not asked`,
    entry: entry(command),
    args: target(command),
    envFiles: { ".env": SHARED_FILE, ".env.staging": "INFRA_ECS_CPU=1000\n" },
    variables: ({ silent }) => ({ AWS_ENDPOINT_URL: silent }),
    code: 1,
    line: 'error: env/.env.staging:1: INFRA_ECS_CPU="1000"',
    maxSeconds: 10,
  })),
  ...forBoth((command) => ({
    name: `${command} with AWS_ENDPOINT_URL=not-a-url: bad input, exit 1, before any call`,
    entry: entry(command),
    args: target(command),
    variables: () => ({ AWS_ENDPOINT_URL: "not-a-url" }),
    code: 1,
    line: 'error: AWS_ENDPOINT_URL="not-a-url" is not an http(s) URL',
  })),
  {
    name: "bootstrap with AWS_ENDPOINT_URL_S3=ftp://...: the per-service variable is checked too",
    entry: "ops/bootstrap.ts",
    variables: () => ({ AWS_ENDPOINT_URL_S3: "ftp://127.0.0.1/" }),
    code: 1,
    line: 'error: AWS_ENDPOINT_URL_S3="ftp://127.0.0.1/" is not an http(s) URL',
  },
  ...forBoth((command) => ({
    name: `${command} with AWS_PROFILE=nope: the missing profile named (exit 3)`,
    entry: entry(command),
    args: target(command),
    variables: () => ({ AWS_PROFILE: "nope", AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined }),
    code: 3,
    line: 'error: AWS profile "nope" (AWS_PROFILE) is not defined in ~/.aws/config or ~/.aws/credentials (no profile there)',
  })),
  {
    name: "status with CITY_GUIDED_AWS_TIMEOUT_SECONDS=soon: bad input",
    entry: "ops/status.ts",
    args: ["staging"],
    variables: () => ({ CITY_GUIDED_AWS_TIMEOUT_SECONDS: "soon" }),
    code: 1,
    line: 'error: CITY_GUIDED_AWS_TIMEOUT_SECONDS="soon" must be a whole number from 1 to 300',
  },
  ...forBoth((command) => ({
    name: `${command} against a closed port: AWS unreachable (exit 3)`,
    entry: entry(command),
    args: target(command),
    variables: ({ closed }) => ({ AWS_ENDPOINT_URL: closed, ...SHORT_LIMITS }),
    code: 3,
    line: /^error: Could not reach AWS to .*\(ECONNREFUSED\): check the network, or AWS_ENDPOINT_URL if you set it\.$/,
    maxSeconds: 15,
  })),
  ...forBoth((command) => ({
    name: `${command} against an endpoint that never answers: a timeout, then exit 3, no hang`,
    entry: entry(command),
    args: target(command),
    variables: ({ silent }) => ({ AWS_ENDPOINT_URL: silent, ...SHORT_LIMITS }),
    code: 3,
    line: /^error: Could not reach AWS to .* \(TimeoutError: no answer in time on any attempt, see docs\/operations\.md\)/,
    // 2 attempts x 1 s plus backoff, bundling and start-up on a loaded machine.
    maxSeconds: 20,
  })),
];

describeCases("bootstrap and status, as a user runs them", cases);
