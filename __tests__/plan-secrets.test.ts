import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { nameLooksSecret, valueLooksSecret } from "../config/secrets";

// A deploy's saved plan is uploaded as an artifact and its summary shown to approvers, so a plan
// must hold no secret value. The project never puts one in state: secrets are references that ECS
// resolves at task start (valueFrom). Checked on the recorded plans of the emulator run.
const PLANS = join(__dirname, "fixtures", "plans");
const plans = readdirSync(PLANS)
  .filter((file) => file.endsWith(".json") && !file.startsWith("not-a-plan"))
  .map((file) => ({ file, plan: JSON.parse(readFileSync(join(PLANS, file), "utf8")) }));

/** Every string of a JSON value, with the key it sits under (container definitions are JSON inside a string). */
function strings(value: unknown, key = ""): { key: string; value: string }[] {
  if (typeof value === "string") {
    if (/^\s*[[{]/.test(value)) {
      try {
        return strings(JSON.parse(value), key);
      } catch {
        // Not JSON after all: a plain string.
      }
    }
    return [{ key, value }];
  }
  if (typeof value !== "object" || value === null) return [];
  return Object.entries(value).flatMap(([inner, nested]) => strings(nested, Array.isArray(value) ? key : inner));
}

/** The `name`/`value` pairs of container environments: a variable's name tells whether its value is secret. */
function environmentVariables(value: unknown): { name: string; value: string }[] {
  if (typeof value === "string" && /^\s*\[/.test(value)) {
    try {
      return environmentVariables(JSON.parse(value));
    } catch {
      return [];
    }
  }
  if (typeof value !== "object" || value === null) return [];
  const here = "name" in value && "value" in value && typeof value.name === "string" && typeof value.value === "string" ? [{ name: value.name, value: value.value }] : [];
  return [...here, ...Object.values(value).flatMap(environmentVariables)];
}

describe("recorded plans hold no secret value", () => {
  test("there are recorded plans to check", () => {
    expect(plans.length).toBeGreaterThan(2);
  });

  test.each(plans.map(({ file }) => file))("%s: no value looks like a secret", (file) => {
    const { plan } = plans.find((entry) => entry.file === file)!;
    const found = strings(plan).filter(({ key, value }) => valueLooksSecret(value, key));
    expect(found.map(({ key }) => key)).toEqual([]);
    const variables = environmentVariables(plan).filter(({ name, value }) => nameLooksSecret(name) || valueLooksSecret(value, name));
    expect(variables.map(({ name }) => name)).toEqual([]);
  });

  test("the check finds a secret planted in a plan", () => {
    const planted = { resource_changes: [{ change: { after: { container_definitions: JSON.stringify([{ environment: [{ name: "DATABASE_PASSWORD", value: "hunter2hunter2" }] }]) } } }] };
    expect(environmentVariables(planted).filter(({ name }) => nameLooksSecret(name))).toHaveLength(1);
    const url = { after: { value: ["postgres://admin:", "s3cr3t-Pa55@db.example.com:5432/app"].join("") } };
    expect(strings(url).some(({ key, value }) => valueLooksSecret(value, key))).toBe(true);
  });
});
