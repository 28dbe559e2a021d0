// The subset of CloudWatch metric math the scaling alarms use: numbers, ids, + - * /, comparisons,
// AND/OR, FILL(ts, scalar) and IF(condition, a[, b]), with the missing-value rules of "Using metric
// math" (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/using-metric-math.html):
// - arithmetic: "Missing values in a time series are treated as 0"; a division by zero drops the point;
// - comparisons and logic between two series: a value missing in one of them counts as 0;
// - a series against a scalar keeps the series' timestamps;
// - IF: true -> a (0 when a series lacks the point), false -> b (dropped when b lacks it or is omitted),
//   no condition point -> dropped; FILL(ts, s) gives every timestamp of the query range a value.
// Anything else throws, so an alarm using more than this subset fails the replay loudly.

/** One time series over the query range: minute -> value (a missing minute has no entry). */
export type Series = Map<number, number>;
export type Value = number | Series;

type Node =
  | { kind: "number"; value: number }
  | { kind: "id"; name: string }
  | { kind: "neg"; operand: Node }
  | { kind: "binary"; op: string; left: Node; right: Node }
  | { kind: "call"; name: string; args: Node[] };

const TOKEN = /\s*(\d+(?:\.\d+)?|[A-Za-z_][A-Za-z0-9_]*|==|!=|<=|>=|&&|\|\||[-+*/<>(),])/y;

function tokenize(expression: string): string[] {
  const tokens: string[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < expression.length) {
    if (/^\s*$/.test(expression.slice(TOKEN.lastIndex))) break;
    const match = TOKEN.exec(expression);
    if (!match) throw new Error(`metric math: cannot read "${expression.slice(TOKEN.lastIndex)}" in ${expression}`);
    tokens.push(match[1]);
  }
  return tokens;
}

const LEVELS: readonly (readonly string[])[] = [["OR", "||"], ["AND", "&&"], ["==", "!=", "<=", ">=", "<", ">"], ["+", "-"], ["*", "/"]];

/** Parses an expression into a tree (precedence: OR < AND < comparison < + - < * /). */
export function parse(expression: string): Node {
  const tokens = tokenize(expression);
  let position = 0;
  const peek = () => tokens[position];
  const expect = (token: string) => {
    if (tokens[position] !== token) throw new Error(`metric math: expected "${token}" at token ${position} of ${expression}`);
    position++;
  };
  const level = (index: number): Node => {
    if (index === LEVELS.length) return unary();
    let left = level(index + 1);
    while (LEVELS[index].includes(peek())) {
      const op = tokens[position++];
      left = { kind: "binary", op: op === "&&" ? "AND" : op === "||" ? "OR" : op, left, right: level(index + 1) };
    }
    return left;
  };
  const unary = (): Node => {
    if (peek() === "-") {
      position++;
      return { kind: "neg", operand: unary() };
    }
    return primary();
  };
  const primary = (): Node => {
    const token = tokens[position++];
    if (token === undefined) throw new Error(`metric math: unexpected end of ${expression}`);
    if (token === "(") {
      const inner = level(0);
      expect(")");
      return inner;
    }
    if (/^\d/.test(token)) return { kind: "number", value: Number(token) };
    if (/^[A-Z]+$/.test(token) && peek() === "(") {
      position++;
      const args: Node[] = [];
      while (peek() !== ")") {
        args.push(level(0));
        if (peek() === ",") position++;
      }
      expect(")");
      return { kind: "call", name: token, args };
    }
    if (/^[a-z]/.test(token)) return { kind: "id", name: token };
    throw new Error(`metric math: unexpected "${token}" in ${expression}`);
  };
  const tree = level(0);
  if (position !== tokens.length) throw new Error(`metric math: trailing "${tokens.slice(position).join(" ")}" in ${expression}`);
  return tree;
}

/** Evaluates an expression; `range` is every minute of the query, `lookup` resolves ids. */
export function evaluate(expression: string, range: readonly number[], lookup: (id: string) => Value): Value {
  let tree = parsed.get(expression);
  if (!tree) parsed.set(expression, (tree = parse(expression)));
  return evaluateNode(tree, range, lookup);
}

/** An alarm's expression is evaluated every simulated minute: parse it once. */
const parsed = new Map<string, Node>();

function evaluateNode(node: Node, range: readonly number[], lookup: (id: string) => Value): Value {
  const recurse = (child: Node) => evaluateNode(child, range, lookup);
  switch (node.kind) {
    case "number":
      return node.value;
    case "id":
      return lookup(node.name);
    case "neg":
      return binary("-", 0, recurse(node.operand));
    case "binary":
      return binary(node.op, recurse(node.left), recurse(node.right));
    case "call":
      return call(node.name, node.args.map(recurse), range);
  }
}

function apply(op: string, a: number, b: number): number | undefined {
  switch (op) {
    case "+": return a + b;
    case "-": return a - b;
    case "*": return a * b;
    case "/": return b === 0 ? undefined : a / b;
    case "==": return Number(a === b);
    case "!=": return Number(a !== b);
    case "<": return Number(a < b);
    case "<=": return Number(a <= b);
    case ">": return Number(a > b);
    case ">=": return Number(a >= b);
    case "AND": return Number(a !== 0 && b !== 0);
    case "OR": return Number(a !== 0 || b !== 0);
  }
  throw new Error(`metric math: operator ${op} is not modelled`);
}

function binary(op: string, left: Value, right: Value): Value {
  if (typeof left === "number" && typeof right === "number") {
    const result = apply(op, left, right);
    if (result === undefined) throw new Error("metric math: scalar division by zero");
    return result;
  }
  const result: Series = new Map();
  const put = (minute: number, a: number, b: number) => {
    const value = apply(op, a, b);
    if (value !== undefined) result.set(minute, value);
  };
  if (typeof left === "number") for (const [minute, value] of right as Series) put(minute, left, value);
  else if (typeof right === "number") for (const [minute, value] of left) put(minute, value, right);
  else {
    // Two series: the union of their timestamps, a missing value counting as 0.
    for (const minute of new Set([...left.keys(), ...right.keys()])) put(minute, left.get(minute) ?? 0, right.get(minute) ?? 0);
  }
  return result;
}

function call(name: string, args: Value[], range: readonly number[]): Value {
  if (name === "FILL") {
    const [series, filler] = args;
    if (!(series instanceof Map) || typeof filler !== "number") throw new Error("metric math: only FILL(series, scalar) is modelled");
    return new Map(range.map((minute) => [minute, series.get(minute) ?? filler]));
  }
  if (name === "IF") return conditional(args);
  throw new Error(`metric math: function ${name} is not modelled`);
}

function conditional([condition, whenTrue, whenFalse]: Value[]): Value {
  if (typeof condition === "number") {
    const chosen = condition !== 0 ? whenTrue : whenFalse;
    if (chosen === undefined) return new Map();
    return chosen;
  }
  const result: Series = new Map();
  for (const [minute, value] of condition) {
    if (value !== 0) result.set(minute, typeof whenTrue === "number" ? whenTrue : whenTrue.get(minute) ?? 0);
    else if (typeof whenFalse === "number") result.set(minute, whenFalse);
    else if (whenFalse?.has(minute)) result.set(minute, whenFalse.get(minute)!);
  }
  return result;
}
