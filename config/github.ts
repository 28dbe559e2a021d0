import type { InfraValues } from "./keys";
import type { GitHubConfig } from "./model";

/** The shared file's keys that describe the delivery pipeline's GitHub trust (their rules together: config/cross-key-rules.ts). */
export const GITHUB_KEYS = ["INFRA_GITHUB_APP_REPOSITORY", "INFRA_GITHUB_INFRA_REPOSITORY", "INFRA_GITHUB_OIDC_PROVIDER_ARN"] as const;

export function githubConfig(values: Pick<InfraValues, (typeof GITHUB_KEYS)[number]>): GitHubConfig {
  return {
    appRepository: values.INFRA_GITHUB_APP_REPOSITORY,
    infraRepository: values.INFRA_GITHUB_INFRA_REPOSITORY,
    oidcProviderArn: values.INFRA_GITHUB_OIDC_PROVIDER_ARN,
  };
}
