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
const SECRET_VALUE_PATTERNS: readonly RegExp[] = [
  /^[a-z][a-z0-9+.-]*:\/\/[^\/\s:@]+:[^\/\s@]+@/i, // URL with user:password@
  /-----BEGIN [A-Z ]*PRIVATE KEY-----/, // PEM private key
  /\b(AKIA|ASIA)[0-9A-Z]{16}\b/, // AWS access key id
  /\bgh[pousr]_[A-Za-z0-9]{30,}\b/, // GitHub token
  /\bxox[abprs]-[A-Za-z0-9-]{10,}\b/, // Slack token
  /\beyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\./, // JWT
  /\bsk_(live|test)_[A-Za-z0-9]{10,}\b/, // Stripe key
];

/** True when a name says it holds a secret (PASSWORD, TOKEN, API_KEY...). */
export function nameLooksSecret(name: string): boolean {
  return SECRET_NAME.test(name);
}

/** True when a value looks like a credential (a URL with a password, a private key, a known token format). */
export function valueLooksSecret(value: string): boolean {
  return SECRET_VALUE_PATTERNS.some((pattern) => pattern.test(value));
}
