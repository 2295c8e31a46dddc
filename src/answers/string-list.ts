/**
 * Request lists of strings checked in one loop. zod checks an array element by element, each through
 * its element schema with a result object of its own: a fresh isolate's first /diff or /plan runs that
 * interpreted, and its body can hold 8,000 scope names or 1,000 endpoint lines (row 8 of
 * docs/benchmarks.md). A list whose every element is a string (of `minLength` or more) is what such a
 * schema accepts unchanged; any other input is checked by zod as before, with the same issues. The
 * bodies that hold these lists are read the same way as a whole (answers/fast-path.ts); a body zod
 * reads (a token list, an endpoint object) still has its lists read here.
 */
import type { z } from "@hono/zod-openapi";
import { isStringList, withFastPath } from "./fast-path";

/** `schema` (a zod array whose element schema accepts every string of `minLength` or more), with that fast path. */
export function stringListFastPath<T extends z.ZodArray<z.ZodType>>(schema: T, minLength = 0): T {
  return withFastPath(schema, (input) => (isStringList(input, minLength) ? (input as z.output<T>) : undefined));
}
