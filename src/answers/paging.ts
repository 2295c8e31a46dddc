/** One paging for every list answer: opaque cursors (an offset, base64url-encoded) and a page of a list. */
import { z } from "@hono/zod-openapi";
import { fail, ok, type Result } from "./result";
import { countSchema } from "./validate";

export function encodeCursor(offset: number): string {
  return btoa(`o:${offset}`).replace(/=+$/, "").replace(/\+/g, "-").replace(/\//g, "_");
}

export function decodeCursor(cursor: string | undefined): Result<number> {
  // `cursor=` (a client that always sends the parameter) is the first page, as no cursor is.
  if (cursor === undefined || cursor === "") return ok(0);
  let decoded = "";
  try {
    decoded = atob(cursor.replace(/-/g, "+").replace(/_/g, "/"));
  } catch {
    // fall through to the failure below
  }
  const offset = /^o:(\d{1,9})$/.exec(decoded)?.[1];
  if (offset === undefined)
    return fail(
      "invalid_cursor",
      "`cursor` is not one this API gave out; pass the `nextCursor` of the previous page unchanged, or leave it out to start over.",
    );
  return ok(Number(offset));
}

export interface Page<T> {
  items: T[];
  offset: number;
  nextCursor: string | null;
}

/**
 * The page of `list` that `cursor` points at, `limit` long. A cursor at or past the end is refused:
 * this API never gives one out (the last page has no `nextCursor`), so it was edited or outlived a
 * shorter list, and an empty page would read as "showing 1000001-1000000".
 */
export function pageOf<T>(
  list: readonly T[],
  cursor: string | undefined,
  limit: number,
  { emptyPastEnd = false }: { emptyPastEnd?: boolean } = {},
): Result<Page<T>> {
  const offset = decodeCursor(cursor);
  if (!offset.ok) return offset;
  const start = offset.value;
  // Several lists paged with one cursor (a /diff of several tokens): a shorter one is simply over.
  if (start > 0 && start >= list.length && !emptyPastEnd) return pastEnd(list.length);
  const end = start + limit;
  return ok({ items: list.slice(start, end), offset: start, nextCursor: end < list.length ? encodeCursor(end) : null });
}

/** The refusal of a cursor at or past the end of every list it pages, the longest `longest` long. */
export function pastEnd(longest: number): Result<never> {
  return fail(
    "invalid_cursor",
    `\`cursor\` points past the end of the ${longest} result${longest === 1 ? "" : "s"}; leave it out to start again from the first page.`,
  );
}

/** The largest page of each list answer: GET /endpoints, what a token can call (/diff), GET /changes. */
export const MAX_LIMITS = { reverse: 500, diff: 1000, changes: 1000 } as const;

/** `limit` as input (a query string or a number): a whole number from 1 to `max`. */
export function limitSchema(max: number, description: string) {
  return countSchema("limit", max, { fromQuery: true }).optional().openapi({ description });
}

/** The longest `cursor` taken (those given out are about a dozen characters). */
export const MAX_CURSOR_LENGTH = 100;

export const CursorSchema = z.string().max(MAX_CURSOR_LENGTH).optional().openapi({
  description:
    "`nextCursor` of the previous page; empty is the first page. One not given out, or past the end of the list, is 400 `invalid_cursor`.",
});
