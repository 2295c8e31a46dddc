/**
 * Request lists of strings checked in one loop. zod checks an array element by element, each through
 * its element schema with a result object of its own: a fresh isolate's first /diff or /plan runs that
 * interpreted, and its body can hold 8,000 scope names or 1,000 endpoint lines (row 8 of
 * docs/benchmarks.md). A list whose every element is a string (of `minLength` or more) is what such a
 * schema accepts unchanged; any other input is checked by zod as before, with the same issues.
 */
import type { z } from "@hono/zod-openapi";

/** `schema` (a zod array whose element schema accepts every string of `minLength` or more), with that fast path. */
export function stringListFastPath<T extends z.ZodArray<z.ZodType>>(schema: T, minLength = 0): T {
  const internals = schema._zod;
  const parse = internals.parse;
  const checked: typeof parse = (payload, context) => {
    const input = payload.value;
    return Array.isArray(input) && allStrings(input, minLength) ? payload : parse(payload, context);
  };
  // zod runs a schema without checks through `run`, which is then its `parse` itself.
  if (internals.run === parse) internals.run = checked;
  internals.parse = checked;
  return schema;
}

function allStrings(input: readonly unknown[], minLength: number): boolean {
  for (let at = 0; at < input.length; at++) {
    const item = input[at];
    if (typeof item !== "string" || item.length < minLength) return false;
  }
  return true;
}
