import type { EnvEntry } from "./env-file";
import type { ConfigProblem } from "./errors";
import type { InfraValues } from "./keys";
import type { GitHubConfig } from "./model";

/** The shared file's keys that describe the delivery pipeline's GitHub trust. */
export const GITHUB_KEYS = ["INFRA_GITHUB_APP_REPOSITORY", "INFRA_GITHUB_INFRA_REPOSITORY", "INFRA_GITHUB_OIDC_PROVIDER_ARN"] as const;

type GitHubValues = Pick<InfraValues, (typeof GITHUB_KEYS)[number]>;

/** Each key is already valid on its own; this checks that they make sense together. */
export function resolveGitHub(
  values: GitHubValues,
  entries: ReadonlyMap<string, EnvEntry>,
  file: string,
): { config: GitHubConfig; problems: ConfigProblem[] } {
  const problems: ConfigProblem[] = [];
  const providerEntry = entries.get("INFRA_GITHUB_OIDC_PROVIDER_ARN");
  if (values.INFRA_GITHUB_OIDC_PROVIDER_ARN && !values.INFRA_GITHUB_APP_REPOSITORY && !values.INFRA_GITHUB_INFRA_REPOSITORY) {
    problems.push({
      file: providerEntry?.file ?? file,
      line: providerEntry?.line,
      key: "INFRA_GITHUB_OIDC_PROVIDER_ARN",
      value: values.INFRA_GITHUB_OIDC_PROVIDER_ARN,
      rule: "is set but no role would use it: set INFRA_GITHUB_APP_REPOSITORY and/or INFRA_GITHUB_INFRA_REPOSITORY, or leave it empty",
    });
  }
  const appEntry = entries.get("INFRA_GITHUB_APP_REPOSITORY");
  if (values.INFRA_GITHUB_APP_REPOSITORY && !values.INFRA_GITHUB_INFRA_REPOSITORY) {
    problems.push({
      file: appEntry?.file ?? file,
      line: appEntry?.line,
      key: "INFRA_GITHUB_APP_REPOSITORY",
      value: values.INFRA_GITHUB_APP_REPOSITORY,
      rule: "needs INFRA_GITHUB_INFRA_REPOSITORY: the push role trusts only that repository's build workflow (build-images.yml) as the app repository calls it",
    });
  }
  return {
    config: {
      appRepository: values.INFRA_GITHUB_APP_REPOSITORY,
      infraRepository: values.INFRA_GITHUB_INFRA_REPOSITORY,
      oidcProviderArn: values.INFRA_GITHUB_OIDC_PROVIDER_ARN,
    },
    problems,
  };
}
