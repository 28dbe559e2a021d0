import type { EnvironmentConfig, EntryProxyConfig, SiteDomainConfig } from "../../config/model";
import { configFrom, synthProject, type SynthesizedStack } from "../helpers";

// Until the INFRA_ENTRY_* keys land (helper e-config), the entry's config is built in code over a
// valid environment (config/model.ts is the contract).
export const ENTRY: EntryProxyConfig = {
  instanceType: "t4g.nano",
  acmeEmail: "ops@example.com",
  language: "fr",
  apiRetrySeconds: 30,
  duckDnsTokenParameter: "/city-guided/staging/DUCKDNS_TOKEN",
};
export const DUCKDNS: SiteDomainConfig = { name: "cityguided.duckdns.org", dns: "duckdns" };
export const SHARED_WITH_BOUNDARY = "INFRA_STATE_BUCKET=test-state-bucket\nINFRA_GITHUB_INFRA_REPOSITORY=owner/infra\n";

const built = new Map<string, SynthesizedStack>();

/** An environment with the proxy entry; each variant is built once per test file (every synth costs ~0.2 s of `npm test`). */
export function entryStack(overrides: Partial<EnvironmentConfig> = {}, shared?: string): SynthesizedStack {
  const key = JSON.stringify([overrides, shared]);
  let stack = built.get(key);
  if (stack === undefined) {
    const text = "INFRA_MIN_CAPACITY=0\nINFRA_MAX_CAPACITY=3\nINFRA_LOG_RETENTION_DAYS=14\nAPI__SECRET_DATABASE_URL=ssm:/city-guided/staging/DATABASE_URL\n";
    const base = configFrom({ staging: text }, shared);
    const environment: EnvironmentConfig = { ...base.environments[0], domain: DUCKDNS, entryProxy: ENTRY, ...overrides };
    stack = synthProject({ ...base, environments: [environment] }).staging;
    built.set(key, stack);
  }
  return stack;
}

/** English pages, no DuckDNS token parameter, no workload boundary: the options the main case leaves off. */
export const PLAIN_ENTRY: Partial<EnvironmentConfig> = { entryProxy: { ...ENTRY, language: "en", duckDnsTokenParameter: undefined } };

