#!/usr/bin/env node
// Imports the secret-detection rules the configuration checks values against, from maintained
// rule sets at a pinned tag, into config/secret-rules.generated.ts (and their licences into
// config/secret-rules.NOTICE.md). Both outputs are committed; run this only to move to a new tag:
//
//   git clone https://github.com/gitleaks/gitleaks /tmp/gitleaks
//   git clone https://github.com/Yelp/detect-secrets /tmp/detect-secrets
//   node scripts/import-secret-rules.js /tmp/gitleaks v8.30.1 /tmp/detect-secrets v1.5.0
//
// Only the rules below are taken: token formats a user of this stack may paste (GitHub, AWS,
// Slack, Stripe, private keys, JWTs, URLs with a password). Keyword-driven catch-alls such as
// gitleaks' generic-api-key are left out on purpose: they would refuse ordinary values.
// The patterns are Go (RE2) and Python regular expressions; each is converted to one Node 20
// RegExp, and the script stops on any construct it does not know how to convert.
"use strict";
const { execFileSync } = require("node:child_process");
const { writeFileSync } = require("node:fs");
const path = require("node:path");

const GITLEAKS_RULES = [
  "github-pat", "github-oauth", "github-app-token", "github-refresh-token", "github-fine-grained-pat",
  "aws-access-token",
  "slack-bot-token", "slack-user-token", "slack-app-token", "slack-config-access-token", "slack-config-refresh-token",
  "slack-legacy-bot-token", "slack-legacy-token", "slack-legacy-workspace-token", "slack-webhook-url",
  "stripe-access-token",
  "private-key",
  "jwt", "jwt-base64",
];

const root = path.join(__dirname, "..");
const [gitleaksDir, gitleaksTag, detectSecretsDir, detectSecretsTag] = process.argv.slice(2);
if (!detectSecretsTag) {
  process.stderr.write("usage: node scripts/import-secret-rules.js <gitleaks clone> <tag> <detect-secrets clone> <tag>\n");
  process.exit(2);
}

function fail(message) {
  process.stderr.write(`import-secret-rules: ${message}\n`);
  process.exit(1);
}

const git = (dir, ...args) => execFileSync("git", ["-C", dir, ...args], { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
const source = (dir, tag, file) => ({ tag, commit: git(dir, "rev-list", "-n1", tag).trim(), file, text: git(dir, "show", `${tag}:${file}`) });

/** A Go (RE2) pattern as a JS source and flags: a leading (?i) becomes the i flag, (?P<n> becomes (?<n>. */
function convertGo(pattern, id) {
  let flags = "";
  let body = pattern;
  if (body.startsWith("(?i)")) {
    flags = "i";
    body = body.slice(4);
  }
  body = body.replace(/\(\?P</g, "(?<");
  if (/\(\?[a-zA-Z]/.test(body) || /\[\[:|\\[zAQEpP]/.test(body)) fail(`${id}: pattern has an inline flag, a POSIX class or an RE2-only escape: ${pattern}`);
  try {
    new RegExp(body, flags);
  } catch (error) {
    fail(`${id}: not a valid JavaScript pattern after conversion (${error.message}): ${body}`);
  }
  return { pattern: body, flags };
}

/** The [[rules]] blocks of gitleaks.toml that we take, read field by field (a TOML subset). */
function gitleaksRules(toml) {
  const blocks = new Map();
  for (const block of toml.split(/^\[\[rules\]\]$/m).slice(1)) {
    const [rule, ...allowlists] = block.split(/^\[\[rules\.allowlists\]\]$/m);
    const id = /^id = "([^"]+)"$/m.exec(rule)?.[1];
    if (id) blocks.set(id, { rule, allowlists });
  }
  return GITLEAKS_RULES.map((id) => {
    const block = blocks.get(id);
    if (!block) fail(`gitleaks has no rule ${id} at this tag`);
    const field = (name) => new RegExp(`^${name} = (?:'''(.*)'''|"(.*)"|([0-9.]+))$`, "m").exec(block.rule)?.slice(1).find((value) => value !== undefined);
    const regex = field("regex");
    if (!regex) fail(`${id}: no regex`);
    const allowRegexes = block.allowlists.flatMap((allowlist) => {
      if (/^(?:regexTarget|condition|stopwords)\b/m.test(allowlist)) fail(`${id}: allowlist with a target, condition or stopwords is not supported`);
      const list = /^regexes = \[([\s\S]*?)^\]/m.exec(allowlist)?.[1] ?? "";
      return [...list.matchAll(/'''(.*)'''/g)].map((match) => convertGo(match[1], `${id} allowlist`));
    });
    return {
      id,
      source: "gitleaks",
      description: field("description") ?? id,
      ...convertGo(regex, id),
      entropy: Number(field("entropy") ?? 0),
      secretGroup: Number(field("secretGroup") ?? 0),
      allow: allowRegexes,
      target: "value",
    };
  });
}

/** The text of a Python string literal: r'...' kept as written, '...' with its escapes resolved. */
function pythonString(literal) {
  const raw = literal.startsWith("r");
  const body = literal.slice(raw ? 2 : 1, -1);
  return raw ? body : body.replace(/\\(.)/g, "$1");
}

const PY_STRING = String.raw`r?'(?:\\.|[^'\\])*'`;
function pythonAssignment(text, name, file) {
  const match = new RegExp(`^\\s*${name} = (${PY_STRING})$`, "m").exec(text);
  if (!match) fail(`${file}: no string assignment ${name}`);
  return pythonString(match[1]);
}

/** Characters as a JS character-class body. */
const classEscape = (characters) => characters.replace(/[\\\]\[^\-\/]/g, "\\$&");

/** detect-secrets' URL-with-password and AWS-secret-key detectors (Python sources read, then checked). */
function detectSecretsRules(basicAuth, aws) {
  const delimiters = pythonAssignment(basicAuth.text, "RESERVED_CHARACTERS", basicAuth.file) + pythonAssignment(basicAuth.text, "SUB_DELIMITER_CHARACTERS", basicAuth.file);
  const basicFormat = new RegExp(String.raw`re\.compile\(\s*(${PY_STRING})\.format\(\s*re\.escape\(RESERVED_CHARACTERS \+ SUB_DELIMITER_CHARACTERS\),\s*re\.escape\(RESERVED_CHARACTERS \+ SUB_DELIMITER_CHARACTERS\),\s*\),\s*\)`).exec(basicAuth.text);
  if (!basicFormat) fail(`${basicAuth.file}: the BasicAuthDetector pattern is not in the expected form`);
  const basicPattern = pythonString(basicFormat[1]).split("{}").join(classEscape(delimiters));
  const keyword = pythonAssignment(aws.text, "secret_keyword", aws.file);
  const awsFormat = new RegExp(String.raw`re\.compile\(\s*(${PY_STRING})\.format\(\s*secret_keyword=secret_keyword,\s*\),\s*flags=re\.IGNORECASE,\s*\)`).exec(aws.text);
  if (!awsFormat) fail(`${aws.file}: the AWS secret key pattern is not in the expected form`);
  const awsPattern = pythonString(awsFormat[1]).replace("{secret_keyword}", keyword).replace(/\{\{/g, "{").replace(/\}\}/g, "}");
  for (const [id, pattern, flags] of [["basic-auth-url", basicPattern, ""], ["aws-secret-access-key", awsPattern, "i"]]) {
    try {
      new RegExp(pattern, flags);
    } catch (error) {
      fail(`${id}: not a valid JavaScript pattern (${error.message}): ${pattern}`);
    }
  }
  return [
    { id: "basic-auth-url", source: "detect-secrets", description: "URL with a user and password (BasicAuthDetector)", pattern: basicPattern, flags: "", entropy: 0, secretGroup: 0, allow: [], target: "value" },
    // This detector reads the variable's name ("aws...key"), so it runs on NAME="value".
    { id: "aws-secret-access-key", source: "detect-secrets", description: "AWS secret access key named as such (AWSKeyDetector)", pattern: awsPattern, flags: "i", entropy: 0, secretGroup: 0, allow: [], target: "assignment" },
  ];
}

const gitleaks = source(gitleaksDir, gitleaksTag, "config/gitleaks.toml");
const gitleaksLicense = source(gitleaksDir, gitleaksTag, "LICENSE");
const basicAuth = source(detectSecretsDir, detectSecretsTag, "detect_secrets/plugins/basic_auth.py");
const aws = source(detectSecretsDir, detectSecretsTag, "detect_secrets/plugins/aws.py");
const detectSecretsLicense = source(detectSecretsDir, detectSecretsTag, "LICENSE");
if (!/^MIT License/.test(gitleaksLicense.text)) fail("gitleaks' licence is no longer MIT: review it before importing");
if (!/Apache License\s+Version 2\.0/.test(detectSecretsLicense.text)) fail("detect-secrets' licence is no longer Apache-2.0: review it before importing");

const sources = {
  gitleaks: { repository: "https://github.com/gitleaks/gitleaks", tag: gitleaks.tag, commit: gitleaks.commit, files: [gitleaks.file], license: "MIT" },
  "detect-secrets": { repository: "https://github.com/Yelp/detect-secrets", tag: basicAuth.tag, commit: basicAuth.commit, files: [basicAuth.file, aws.file], license: "Apache-2.0" },
};
const rules = [...gitleaksRules(gitleaks.text), ...detectSecretsRules(basicAuth, aws)];

const header = `// Generated by scripts/import-secret-rules.js: do not edit. Licences: config/secret-rules.NOTICE.md.
// gitleaks ${gitleaks.tag} (${gitleaks.commit}) ${gitleaks.file}, MIT;
// detect-secrets ${basicAuth.tag} (${basicAuth.commit}) ${basicAuth.file} and ${aws.file}, Apache-2.0.
`;
const moduleText = `${header}
/** One detection rule, converted to a JavaScript pattern. */
export interface SecretRule {
  readonly id: string;
  readonly source: keyof typeof SECRET_RULE_SOURCES;
  readonly description: string;
  readonly pattern: string;
  readonly flags: string;
  /** Shannon entropy the secret must exceed (0: no threshold), as gitleaks applies it. */
  readonly entropy: number;
  /** Capture group holding the secret (0: the first non-empty group, else the whole match). */
  readonly secretGroup: number;
  /** A secret matching one of these is a known example, not a credential (gitleaks' rule allowlists). */
  readonly allow: readonly { readonly pattern: string; readonly flags: string }[];
  /** What the pattern reads: the value alone, or NAME="value" (a detector that reads the name). */
  readonly target: "value" | "assignment";
}

export const SECRET_RULE_SOURCES = ${JSON.stringify(sources, null, 2)} as const;

export const SECRET_RULES: readonly SecretRule[] = ${JSON.stringify(rules, null, 2)};
`;
const notice = `# Third-party secret-detection rules

\`config/secret-rules.generated.ts\` holds patterns converted by \`scripts/import-secret-rules.js\` from:

- gitleaks ${gitleaks.tag} (commit ${gitleaks.commit}), \`${gitleaks.file}\`: ${rules.filter((rule) => rule.source === "gitleaks").map((rule) => rule.id).join(", ")}.
- detect-secrets ${basicAuth.tag} (commit ${basicAuth.commit}), \`${basicAuth.file}\` and \`${aws.file}\`: BasicAuthDetector and the secret-key pattern of AWSKeyDetector.

## gitleaks licence

${gitleaksLicense.text.trim()}

## detect-secrets licence

${detectSecretsLicense.text.trim()}
`;
writeFileSync(path.join(root, "config", "secret-rules.generated.ts"), moduleText);
writeFileSync(path.join(root, "config", "secret-rules.NOTICE.md"), notice);
process.stdout.write(`config/secret-rules.generated.ts: ${rules.length} rules from gitleaks ${gitleaks.tag} and detect-secrets ${basicAuth.tag}\n`);
