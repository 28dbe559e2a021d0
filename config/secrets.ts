import { SECRET_RULES, type SecretRule } from "./secret-rules.generated";

/**
 * `SECRET_*` values are references to secrets stored in AWS, never the secrets themselves.
 * Accepted forms:
 *   ssm:/city-guided/staging/DATABASE_URL                       SSM parameter in the stack's account and region
 *   arn:aws:ssm:eu-west-3:123456789012:parameter/city-guided/x   SSM parameter ARN
 *   arn:aws:secretsmanager:eu-west-3:123456789012:secret:name-AbCdEf[:json-key:stage:version]
 */
export type SecretReference =
  | { readonly service: "ssm"; readonly parameterName: string; readonly arn?: undefined }
  | { readonly service: "ssm"; readonly arn: string; readonly parameterName?: undefined }
  | { readonly service: "secretsmanager"; readonly arn: string; readonly secretArn: string };

const SSM_NAME = /^ssm:(\/?[A-Za-z0-9_.\-\/]{1,2048})$/;
const SSM_ARN = /^arn:aws[a-z-]*:ssm:[a-z0-9-]+:\d{12}:parameter\/[A-Za-z0-9_.\-\/]+$/;
const SECRETS_MANAGER_ARN =
  /^(arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[A-Za-z0-9\/_+=.@-]+)(:[^:]*:[^:]*:[^:]*)?$/;
const RANDOM_SUFFIX = /-[A-Za-z0-9]{6}$/;

export const SECRET_REFERENCE_RULE =
  "must be a reference to a secret, not a secret: ssm:/parameter/name, an SSM parameter ARN or a Secrets Manager ARN";

export function parseSecretReference(value: string): SecretReference | undefined {
  const ssmName = SSM_NAME.exec(value);
  if (ssmName) return { service: "ssm", parameterName: ssmName[1].startsWith("/") ? ssmName[1] : `/${ssmName[1]}` };
  if (SSM_ARN.test(value)) return { service: "ssm", arn: value };
  const secretsManager = SECRETS_MANAGER_ARN.exec(value);
  if (secretsManager) return { service: "secretsmanager", arn: value, secretArn: secretsManager[1] };
  return undefined;
}

/**
 * The IAM resource that grants read on exactly this secret. Secrets Manager appends a random
 * 6-character suffix to a secret's ARN: a reference without it (a partial ARN) is granted the
 * name followed by exactly six characters, never a broader wildcard.
 */
export function secretsManagerResource(secretArn: string): string {
  return RANDOM_SUFFIX.test(secretArn) ? secretArn : `${secretArn}-??????`;
}

// A name that ends in one of these words holds a secret (GITHUB_TOKEN, DB_PASSWORD); TOKEN_TTL does not.
const SECRET_NAME = /(^|_)(PASSWORD|PASSWD|PASSPHRASE|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|ACCESS_?KEY|SECRET_?KEY|CREDENTIALS?)$/i;

interface CompiledRule {
  readonly rule: SecretRule;
  readonly regex: RegExp;
  readonly allow: readonly RegExp[];
}

// Token formats from maintained rule sets at a pinned version (gitleaks, detect-secrets), imported
// by scripts/import-secret-rules.js; compiled once, on first use.
let compiled: readonly CompiledRule[] | undefined;
function compiledRules(): readonly CompiledRule[] {
  compiled ??= SECRET_RULES.map((rule) => ({
    rule,
    regex: new RegExp(rule.pattern, `${rule.flags}g`), // every match, as gitleaks reads them
    allow: rule.allow.map((allowed) => new RegExp(allowed.pattern, allowed.flags)),
  }));
  return compiled;
}

/**
 * An AWS secret access key on its own: 40 characters of base64's alphabet. Neither rule set has a
 * value-only pattern for it (both need a name such as aws_secret_key nearby, which nameLooksSecret
 * covers), so this one is ours: upper and lower case and a digit (a git SHA is lower-case hex), and
 * the entropy of random characters. Measured over 100,000 random 40-character keys: 0.001% have
 * 4.2 bits per character or less (1.9% at 4.5), while a path such as /usr/local/share/... has ~4.
 */
const AWS_SECRET_KEY_SHAPE = /^(?=.*[A-Z])(?=.*[a-z])(?=.*[0-9])[A-Za-z0-9\/+]{40}$/;
const AWS_SECRET_KEY_ENTROPY = 4.2;

/** Shannon entropy in bits per character, as gitleaks computes it. */
export function shannonEntropy(text: string): number {
  const counts = new Map<string, number>();
  for (const character of text) counts.set(character, (counts.get(character) ?? 0) + 1);
  let entropy = 0;
  for (const count of counts.values()) entropy -= (count / text.length) * Math.log2(count / text.length);
  return entropy;
}

/** gitleaks' decision for one rule: a match whose secret part is random enough and no known example. */
function ruleFinds({ rule, regex, allow }: CompiledRule, text: string): boolean {
  return [...text.matchAll(regex)].some((match) => {
    const secret = (rule.secretGroup > 0 ? match[rule.secretGroup] : match.slice(1).find((group) => group)) ?? match[0];
    if (rule.entropy > 0 && shannonEntropy(secret) <= rule.entropy) return false;
    return !allow.some((allowed) => allowed.test(secret));
  });
}

/** True when a name says it holds a secret (PASSWORD, TOKEN, API_KEY...). */
export function nameLooksSecret(name: string): boolean {
  return SECRET_NAME.test(name);
}

/** The id of the rule a value breaks (github-pat, private-key...), or undefined. `name` lets rules that read it run. */
export function secretRuleFor(value: string, name?: string): string | undefined {
  for (const candidate of compiledRules()) {
    const text = candidate.rule.target === "assignment" ? (name === undefined ? undefined : `${name}="${value}"`) : value;
    if (text !== undefined && ruleFinds(candidate, text)) return candidate.rule.id;
  }
  if (AWS_SECRET_KEY_SHAPE.test(value) && shannonEntropy(value) > AWS_SECRET_KEY_ENTROPY) return "aws-secret-access-key";
  return undefined;
}

/** True when a value looks like a credential (a URL with a password, a private key, a known token format). */
export function valueLooksSecret(value: string, name?: string): boolean {
  return secretRuleFor(value, name) !== undefined;
}
