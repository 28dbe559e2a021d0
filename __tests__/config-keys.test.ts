import { INFRA_KEYS, type InfraKey } from "../config/keys";
import { configErrorOf, configFrom } from "./helpers";

/*
 * The keys' schemas use zod's primitives (stringbool, coerce, enum, union), narrowed to what the
 * env files accepted before: each refused spelling below is one that zod's primitive alone takes.
 */

const parse = (key: InfraKey, value: string) => INFRA_KEYS[key].schema.safeParse(value);
const accepts = (key: InfraKey, value: string) => parse(key, value).success;
const valueOf = (key: InfraKey, value: string) => {
  const result = parse(key, value);
  if (!result.success) throw new Error(`${key}=${value} refused`);
  return result.data;
};

describe("booleans: exactly true or false", () => {
  test.each(["true", "false"])("%s is accepted", (value) => {
    expect(valueOf("INFRA_ASSIGN_PUBLIC_IP", value)).toBe(value === "true");
  });
  // zod's default stringbool takes all of these.
  test.each(["yes", "no", "on", "off", "1", "0", "y", "n", "enabled", "disabled", "TRUE", "False", " true", ""])("%j is refused", (value) => {
    expect(accepts("INFRA_ASSIGN_PUBLIC_IP", value)).toBe(false);
  });
  test("a refused boolean names the file, key, value and rule", () => {
    expect(configErrorOf({ staging: "INFRA_ALB_DELETION_PROTECTION=yes" })).toContain('env/.env.staging:1: INFRA_ALB_DELETION_PROTECTION="yes": must be true or false');
  });
});

describe("integers: decimal digits within the key's bounds", () => {
  test.each([["1", 1], ["65535", 65535], ["0080", 80]])("%s is %d", (value, expected) => {
    expect(valueOf("INFRA_WEB_PORT", value)).toBe(expected);
  });
  // zod's coerce alone takes the first six (Number() reads them), and Number("") is 0.
  test.each(["0x10", "1e3", " 5", "5 ", "+5", "5.0", "", "-1", "0", "65536", "99999999999999999999", "five"])("%j is refused", (value) => {
    expect(accepts("INFRA_WEB_PORT", value)).toBe(false);
  });
  test("a refused integer names the file, key, value and rule", () => {
    expect(configErrorOf({ staging: "INFRA_MAX_CAPACITY=0x10" })).toContain('env/.env.staging:1: INFRA_MAX_CAPACITY="0x10": must be 1-100, at least INFRA_MIN_CAPACITY');
  });
});

describe("sets of values", () => {
  test("numbers are written as their text", () => {
    expect(valueOf("INFRA_ECS_CPU", "256")).toBe(256);
    for (const value of ["0256", "256.0", "0x100", " 256", "300"]) expect(accepts("INFRA_ECS_CPU", value)).toBe(false);
    expect(valueOf("INFRA_LOG_RETENTION_DAYS", "3653")).toBe(3653);
    expect(accepts("INFRA_LOG_RETENTION_DAYS", "2")).toBe(false);
  });
  test("names are case-sensitive", () => {
    expect(valueOf("INFRA_CPU_ARCHITECTURE", "ARM64")).toBe("ARM64");
    for (const value of ["arm64", "X86-64", "", " ARM64"]) expect(accepts("INFRA_CPU_ARCHITECTURE", value)).toBe(false);
  });
});

describe("optional values: empty is unset, anything else must match", () => {
  test("empty is undefined", () => {
    expect(valueOf("INFRA_ALERT_EMAIL", "")).toBeUndefined();
    expect(configFrom({ staging: "" }).environments[0].alertEmail).toBeUndefined();
  });
  test("a value is kept, a bad one refused", () => {
    expect(valueOf("INFRA_ALERT_EMAIL", "ops@example.com")).toBe("ops@example.com");
    for (const value of [" ", "ops", "a@b", "a@b.c,d@e.f"]) expect(accepts("INFRA_ALERT_EMAIL", value)).toBe(false);
  });
});
