import { z } from "zod";

/*
 * zod's own primitives, narrowed to what the env files have always accepted: zod's `coerce`
 * alone would take `0x10`, `1e3` or ` 5`, and its `stringbool` `yes`, `on` or `TRUE`
 * (__tests__/config-keys.test.ts keeps them refused).
 */

/** Decimal digits only, then zod's integer bounds. */
export function integer(min: number, max: number): z.ZodType<number, string> {
  return z.string().regex(/^\d+$/).pipe(z.coerce.number<string>().int().min(min).max(max));
}

/** One of a set of numbers, written as the number's text (`1024`, not `01024`). */
export function oneOfNumbers(values: readonly number[]): z.ZodType<number, string> {
  return z.enum(values.map(String) as [string, ...string[]]).transform(Number);
}

/** Exactly `true` or `false`. */
export const boolean: z.ZodType<boolean, string> = z.stringbool({ truthy: ["true"], falsy: ["false"], case: "sensitive" });

export function list(item: RegExp): z.ZodType<string[], string> {
  return z
    .string()
    .transform((value) => value.split(",").map((part) => part.trim()).filter((part) => part !== ""))
    .refine((items) => items.every((part) => item.test(part)) && new Set(items).size === items.length);
}

export function matching(pattern: RegExp): z.ZodType<string, string> {
  return z.string().regex(pattern);
}

/** Empty (the key is unset: undefined) or a value matching `pattern`. */
export const optional = (pattern: RegExp): z.ZodType<string | undefined, string> => z.union([z.literal("").transform(() => undefined), z.string().regex(pattern)]);

/** Empty (the key is unset: undefined) or exactly one of `values`. */
export function optionalOneOf<const T extends readonly [string, ...string[]]>(values: T): z.ZodType<T[number] | undefined, string> {
  return z.union([z.literal("").transform(() => undefined), z.enum(values)]);
}

export const EMAIL_ADDRESS = /^[^@\s,]+@[^@\s,]+\.[^@\s,]+$/;
