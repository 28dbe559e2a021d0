import type { ConfigProblem } from "./errors";
import { PROJECT } from "./model";

/** Stack names that environments cannot take. */
export const RESERVED_NAMES: readonly string[] = ["registry"];
/** Lowercase letters, digits and inner `-`, 1-16 characters: `city-guided-<env>-web` must fit AWS's 32. */
const ENVIRONMENT_NAME = /^[a-z0-9](?:[a-z0-9-]{0,14}[a-z0-9])?$/;

/** An environment file's name, with the file shown in error messages. */
export interface NamedFile {
  readonly name: string;
  readonly file: string;
}

/** What is wrong with one environment's name on its own, if anything. */
export function environmentNameProblem(source: NamedFile): ConfigProblem | undefined {
  if (RESERVED_NAMES.includes(source.name)) return { file: source.file, rule: `environment name "${source.name}" is reserved for the shared ECR stack` };
  if (!ENVIRONMENT_NAME.test(source.name)) return { file: source.file, rule: `environment name "${source.name}" must be 1-16 lowercase letters, digits and inner "-"` };
  return undefined;
}

/**
 * Names that extend another with a dash (`staging-eu` beside `staging`). An environment's deploy role
 * reaches its resources by name patterns (`city-guided-staging-*`), which would match the longer
 * name's resources too: in an IAM resource ARN `*` matches any combination of characters, `-` and
 * `/` included (IAM User Guide, "IAM JSON policy elements: Resource", wildcards in resource ARNs,
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html). Refusing such names keeps each deploy role's policy a function of its own
 * environment alone (a deny per nested environment made it grow with the others' names, up to
 * IAM's size limits); `staging2` or `eu-staging` remain possible. constructs/delivery-roles.ts
 * refuses them as well, for callers other than config.
 */
export function nestedNameProblems(sources: readonly NamedFile[]): ConfigProblem[] {
  return sources.flatMap((source) => {
    const shorter = sources.find((other) => source.name.startsWith(`${other.name}-`));
    return shorter
      ? [{ file: source.file, rule: `environment name "${source.name}" extends "${shorter.name}" with a dash: the deploy role of ${shorter.name} would match its resources (${PROJECT}-${shorter.name}-*); rename one of them` }]
      : [];
  });
}
