import { STRING_RULES, TAG_RULES, type AwsSource, type StringRule } from "./aws-rules";

/**
 * Applies the table of `policy/aws-rules.ts` to resolved Terraform JSON. Each message is one line:
 * the attribute, its value (shortened; never for a size rule, whose value may hold configuration),
 * what is wrong, what AWS allows, and the page that says so.
 */

/** A value split into what is known at synth and what Terraform fills in later. */
interface Literal {
  readonly text: string;
  /** The literal characters, references removed. */
  readonly known: string;
  readonly hasReferences: boolean;
  /** Literal text before the first reference / after the last one (the whole value when there is none). */
  readonly head: string;
  readonly tail: string;
}

/** Splits `${...}` and `%{...}` (nested braces and quoted strings included) out of a value; `$${` is a literal `${`. */
export function literalParts(value: string): Literal {
  const parts: string[] = [];
  let current = "";
  let references = 0;
  let head: string | undefined;
  for (let index = 0; index < value.length; ) {
    if (value.startsWith("$${", index) || value.startsWith("%%{", index)) {
      current += `${value[index]}{`;
      index += 3;
      continue;
    }
    if ((value[index] === "$" || value[index] === "%") && value[index + 1] === "{") {
      const end = closingBrace(value, index + 2);
      head ??= current;
      parts.push(current);
      current = "";
      references += 1;
      index = end + 1;
      continue;
    }
    current += value[index];
    index += 1;
  }
  parts.push(current);
  return { text: value, known: parts.join(""), hasReferences: references > 0, head: head ?? current, tail: current };
}

function closingBrace(value: string, from: number): number {
  let depth = 1;
  let quoted = false;
  for (let index = from; index < value.length; index++) {
    const char = value[index];
    if (quoted) {
      if (char === "\\") index++;
      else if (char === '"') quoted = false;
    } else if (char === '"') quoted = true;
    else if (char === "{") depth++;
    else if (char === "}" && --depth === 0) return index;
  }
  return value.length - 1;
}

const SHOWN_CHARACTERS = 120;
const shown = (value: string) => JSON.stringify(value.length > SHOWN_CHARACTERS ? `${value.slice(0, SHOWN_CHARACTERS)}...` : value);
const cite = (source: AwsSource) => `(${source.title}: ${source.url})`;

/** Every problem of one value against one rule, as `<what is wrong>` fragments. */
function ruleProblems(rule: StringRule, value: Literal): string[] {
  const problems: string[] = [];
  if (rule.maxBytes !== undefined) {
    const bytes = Buffer.byteLength(value.known, "utf8");
    if (bytes > rule.maxBytes) problems.push(`is ${value.hasReferences ? "at least " : ""}${bytes} bytes: AWS allows at most ${rule.maxBytes} bytes (${rule.maxBytes / 1024} KiB)`);
    return problems;
  }
  const length = [...value.known].length;
  if (rule.maxLength !== undefined && length > rule.maxLength) {
    problems.push(`is ${length} characters${value.hasReferences ? " without its references" : ""}: AWS allows at most ${rule.maxLength}`);
  }
  if (rule.characters) {
    const refused = [...new Set([...value.known].filter((char) => !rule.characters!.test(char)))];
    if (refused.length > 0) problems.push(`has characters AWS refuses: ${refused.map((char) => JSON.stringify(char)).join(" ")}; allowed: ${rule.allowed}`);
  }
  for (const prefix of rule.forbiddenPrefixes ?? []) {
    if (value.head.startsWith(prefix)) problems.push(`starts with "${prefix}", which AWS reserves`);
  }
  const headKnown = !value.hasReferences || value.head.length >= (rule.requiredPrefix?.length ?? 0);
  if (rule.requiredPrefix && headKnown && !value.head.startsWith(rule.requiredPrefix)) problems.push(`must start with "${rule.requiredPrefix}"`);
  if (rule.notAtEdges) {
    const first = value.head.charAt(0);
    const last = value.tail.charAt(value.tail.length - 1);
    if ((first && rule.notAtEdges.includes(first)) || (last && rule.notAtEdges.includes(last))) problems.push(`may not start or end with ${rule.notAtEdges}`);
  }
  if (rule.pattern && !value.hasReferences && !rule.pattern.regex.test(value.text)) problems.push(`must be ${rule.pattern.rule}`);
  return problems;
}

/** The values at an attribute path: `name`, or `ingress[].description` (each element of a block list). */
function valuesAt(attributes: Record<string, any>, path: string): { where: string; value: unknown }[] {
  const [first, ...rest] = path.split("[].");
  if (rest.length === 0) return attributes[first] === undefined || attributes[first] === null ? [] : [{ where: first, value: attributes[first] }];
  const list = Array.isArray(attributes[first]) ? attributes[first] : [];
  return list.flatMap((element: any, index: number) =>
    valuesAt(element ?? {}, rest.join("[].")).map((found) => ({ where: `${first}[${index}].${found.where}`, value: found.value })),
  );
}

const RULES_BY_RESOURCE = new Map<string, StringRule[]>();
for (const rule of STRING_RULES) RULES_BY_RESOURCE.set(rule.resource, [...(RULES_BY_RESOURCE.get(rule.resource) ?? []), rule]);

/** Resource types the table has rules for (besides tags, which every resource may carry). */
export const AWS_RULE_RESOURCES: ReadonlySet<string> = new Set(RULES_BY_RESOURCE.keys());

/** Problems of one resource's attributes (`defaultTags`: the provider's, which AWS merges into `tags`). */
export function awsRuleProblems(type: string, attributes: Record<string, any>, defaultTags: Readonly<Record<string, unknown>> = {}): string[] {
  const problems: string[] = [];
  for (const rule of RULES_BY_RESOURCE.get(type) ?? []) {
    if (rule.when && !rule.when(attributes)) continue;
    for (const { where, value } of valuesAt(attributes, rule.attribute)) {
      if (typeof value !== "string" && typeof value !== "number") continue;
      const literal = literalParts(String(value));
      const shownValue = rule.maxBytes === undefined ? ` ${shown(literal.text)}` : "";
      problems.push(...ruleProblems(rule, literal).map((problem) => `${where}${shownValue} ${problem} ${cite(rule.source)}`));
    }
  }
  const tags = isMap(attributes.tags) ? attributes.tags : {};
  problems.push(...tagProblems("tags", tags));
  const merged = Object.keys({ ...defaultTags, ...tags }).length;
  if (merged > TAG_RULES.maxTags && Object.keys(tags).length > 0) {
    problems.push(`tags: ${merged} tags with the provider's default tags: AWS allows at most ${TAG_RULES.maxTags} per resource ${cite(TAG_RULES.source)}`);
  }
  return problems;
}

/** Problems of a provider block: its `default_tags` reach every resource it creates. */
export function providerTagProblems(provider: Record<string, any>): string[] {
  const blocks = Array.isArray(provider.default_tags) ? provider.default_tags : [];
  return blocks.flatMap((block: any, index: number) => (isMap(block?.tags) ? tagProblems(`default_tags[${index}].tags`, block.tags) : []));
}

function tagProblems(where: string, tags: Record<string, unknown>): string[] {
  const problems: string[] = [];
  const check = (label: string, text: string, maxLength: number) => {
    const literal = literalParts(text);
    const length = [...literal.known].length;
    if (length > maxLength) problems.push(`${label} is ${length} characters: AWS allows at most ${maxLength}`);
    const refused = [...new Set([...literal.known].filter((char) => !TAG_RULES.characters.test(char)))];
    if (refused.length > 0) problems.push(`${label} has characters AWS refuses: ${refused.map((char) => JSON.stringify(char)).join(" ")}; allowed: ${TAG_RULES.allowed}`);
    if (literal.head.toLowerCase().startsWith(TAG_RULES.reservedPrefix)) problems.push(`${label} starts with "${TAG_RULES.reservedPrefix}", which AWS reserves`);
  };
  for (const [key, value] of Object.entries(tags)) {
    check(`${where} key ${shown(key)}`, key, TAG_RULES.maxKeyLength);
    if (typeof value === "string") check(`${where}.${key} value ${shown(value)}`, value, TAG_RULES.maxValueLength);
  }
  return problems.map((problem) => `${problem} ${cite(TAG_RULES.source)}`);
}

const isMap = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);
