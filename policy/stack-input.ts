/**
 * What the pull request workflow lets Terraform plan, with the plan role's credentials, from a
 * synthesized stack that the pull request's own code produced. The judge job runs the base
 * branch's code; the stacks are untrusted data. Terraform JSON can make Terraform run other code
 * than the AWS provider: a module (downloaded from anywhere), a provider of another source, a
 * provisioner (`local-exec`), or a data source that runs programs (`external`) or fetches URLs
 * (`http`). Terraform's own file functions read the runner's files (`file("/proc/self/environ")`
 * in an output would print the job's credentials into the plan), and provider or backend settings
 * could send the credentials' signed requests elsewhere (`endpoints`, proxies). A stack that holds
 * any of these is refused before `terraform init`; what is left is declarative configuration that
 * only HashiCorp's AWS provider interprets, talking to AWS itself.
 */

/** Sources that name HashiCorp's AWS provider in `required_providers`. */
const AWS_PROVIDER_SOURCES = ["aws", "hashicorp/aws", "registry.terraform.io/hashicorp/aws"];
/** Top-level blocks a cdktf stack writes (`//` is cdktf's metadata). */
const TOP_LEVEL = ["//", "data", "import", "locals", "moved", "output", "provider", "removed", "resource", "terraform", "variable"];
const TERRAFORM_SETTINGS = ["backend", "required_providers", "required_version"];
/** Provider settings a stack may give; anything else (endpoints, proxies, credentials, profiles, assume_role) is refused. */
const PROVIDER_SETTINGS = ["alias", "allowed_account_ids", "default_tags", "forbidden_account_ids", "ignore_tags", "region"];
/** S3 backend settings a stack may give (what cdktf's S3Backend writes here). */
const BACKEND_SETTINGS = ["bucket", "encrypt", "key", "region", "use_lockfile"];
/** Terraform functions that read files of the machine running Terraform. */
const FILE_FUNCTIONS = /\b(file|filebase64|filebase64sha256|filebase64sha512|fileexists|filemd5|fileset|filesha1|filesha256|filesha512|templatefile)\s*\(/;

/** Every reason the stack may not be planned with credentials; empty when it may. */
export function stackInputProblems(stack: string, json: unknown): string[] {
  const problems: string[] = [];
  const refuse = (what: string) => problems.push(`${stack}: ${what}`);
  if (typeof json !== "object" || json === null || Array.isArray(json)) return [`${stack}: not a Terraform JSON object`];
  const config = json as Record<string, unknown>;
  for (const key of Object.keys(config).filter((key) => !TOP_LEVEL.includes(key))) refuse(`top-level block "${key}" is not allowed (only ${TOP_LEVEL.join(", ")})`);

  const terraform = (config.terraform ?? {}) as Record<string, unknown>;
  for (const key of Object.keys(terraform).filter((key) => !TERRAFORM_SETTINGS.includes(key))) refuse(`terraform.${key} is not allowed`);
  const backend = (terraform.backend ?? {}) as Record<string, Record<string, unknown>>;
  const backends = Object.keys(backend);
  if (backends.length !== 1 || backends[0] !== "s3") refuse(`the backend must be s3, found ${backends.join(", ") || "none"}`);
  for (const key of Object.keys(backend.s3 ?? {}).filter((key) => !BACKEND_SETTINGS.includes(key))) refuse(`backend setting s3.${key} is not allowed`);
  for (const [name, requirement] of Object.entries((terraform.required_providers ?? {}) as Record<string, { source?: string }>)) {
    if (name !== "aws" || !AWS_PROVIDER_SOURCES.includes(requirement?.source ?? "")) {
      refuse(`provider "${name}" (source ${JSON.stringify(requirement?.source)}) is not HashiCorp's AWS provider`);
    }
  }
  for (const [name, blocks] of Object.entries((config.provider ?? {}) as Record<string, Record<string, unknown>[]>)) {
    if (name !== "aws") refuse(`provider block "${name}" is not the AWS provider`);
    for (const block of [blocks].flat()) {
      for (const key of Object.keys(block ?? {}).filter((key) => !PROVIDER_SETTINGS.includes(key))) refuse(`provider setting ${name}.${key} is not allowed`);
    }
  }

  for (const [kind, blocks] of [["resource", config.resource], ["data", config.data]] as const) {
    for (const [type, instances] of Object.entries((blocks ?? {}) as Record<string, unknown>)) {
      for (const [name, body] of Object.entries((instances ?? {}) as Record<string, unknown>)) {
        // Cross-stack references read another stack's state: through the S3 backend only.
        const remoteState = kind === "data" && type === "terraform_remote_state" && (body as { backend?: unknown })?.backend === "s3";
        if (!type.startsWith("aws_") && !remoteState) refuse(`${kind} type "${type}" (${name}) is not the AWS provider's`);
        for (const path of findKeys(body, ["provisioner", "connection"])) refuse(`${kind}.${type}.${name} has a ${path} (provisioners run commands)`);
      }
    }
  }
  const fileCall = findStrings(config).find((text) => FILE_FUNCTIONS.test(text));
  if (fileCall !== undefined) refuse(`calls a Terraform file function (reads the runner's files): ${fileCall.slice(0, 120)}`);
  return problems;
}

/** Every string (keys included) in a JSON value. */
function findStrings(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (typeof value !== "object" || value === null) return [];
  return Object.entries(value).flatMap(([key, inner]) => [key, ...findStrings(inner)]);
}

/** Paths of the given keys anywhere in a JSON value. */
function findKeys(value: unknown, keys: readonly string[], path = ""): string[] {
  if (typeof value !== "object" || value === null) return [];
  return Object.entries(value).flatMap(([key, inner]) => [
    ...(keys.includes(key) ? [`${path}${key}`] : []),
    ...findKeys(inner, keys, `${path}${key}.`),
  ]);
}
