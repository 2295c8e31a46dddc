/**
 * Request bodies and queries read by hand before zod: /diff's, /plan's and /explain's schemas take
 * their common shapes (strings, lists of strings, counts in range, choices) through one function each
 * instead of zod's object, union and optional parsers, which a fresh isolate runs interpreted on its
 * first request (docs/benchmarks.md, rows 6 and 8). A reader returns exactly what its schema would
 * (the same keys in the schema's order, choices as the schema spells them, lists as given), or
 * undefined for anything else, which zod then checks as before, so every refusal keeps its issues.
 * test/answers/fast-path.test.ts runs generated inputs through both. No I/O.
 */
import type { z } from "@hono/zod-openapi";
import { canonicalChoice } from "./validate";

/** What a reader makes of an input: the schema's output, or undefined to leave the input to zod. */
export type FastReader<S extends z.ZodType> = (input: unknown) => z.output<S> | undefined;

/** `schema`, which tries `read` first and parses with zod only what `read` leaves (same output, same issues). */
export function withFastPath<S extends z.ZodType>(schema: S, read: FastReader<S>): S {
  const internals = schema._zod;
  const parse = internals.parse;
  const checked: typeof parse = (payload, context) => {
    const value = read(payload.value);
    if (value === undefined) return parse(payload, context);
    payload.value = value;
    return payload;
  };
  // zod runs a schema without checks through `run`, which is then its `parse` itself.
  if (internals.run === parse) internals.run = checked;
  internals.parse = checked;
  return schema;
}

/**
 * The input's `keys` that are in it, in `keys`' order (the order zod's object writes its output in; any
 * other key is dropped, as zod's object drops it), for a reader to check; undefined when zod should
 * read the input: not an object (zod's own test: not null, not an array), or a key that is in it with
 * the value `undefined` (only code makes one, never JSON).
 */
export function pickFields<K extends string>(
  input: unknown,
  keys: readonly K[],
): Partial<Record<K, unknown>> | undefined {
  if (typeof input !== "object" || input === null || Array.isArray(input)) return undefined;
  const object = input as Record<string, unknown>;
  const fields: Partial<Record<K, unknown>> = {};
  for (const key of keys) {
    const value = object[key];
    if (value !== undefined) fields[key] = value;
    else if (key in object) return undefined;
  }
  return fields;
}

/** A list of at most `maxItems` strings, each of `minLength` or more. */
export function isStringList(value: unknown, minLength = 0, maxItems = Number.POSITIVE_INFINITY): value is string[] {
  if (!Array.isArray(value) || value.length > maxItems) return false;
  for (let at = 0; at < value.length; at++) {
    const item = value[at];
    if (typeof item !== "string" || item.length < minLength) return false;
  }
  return true;
}

/** A whole number from 1 to `max` (validate.ts `countSchema` in a JSON body). */
export function isCount(value: unknown, max: number): value is number {
  return typeof value === "number" && Number.isInteger(value) && value >= 1 && value <= max;
}

/** `value` as a `choiceSchema` of `values` reads it, or undefined when that schema would refuse it. */
export function choiceOf<T extends string>(value: unknown, values: readonly T[]): T | undefined {
  const canonical = canonicalChoice(value, values);
  return typeof canonical === "string" && (values as readonly string[]).includes(canonical)
    ? (canonical as T)
    : undefined;
}
