/**
 * The HTTP edge of the answer layer: a failure thrown as the API's error with its reason's status
 * (FAILURE_STATUS), and one `respond` for every route: JSON, text or markdown as the client asked,
 * with ETag/304 and Cache-Control (`conditional`, also used by the feed and the page).
 */
import { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { accepts } from "hono/accepts";
import { FAILURE_STATUS, type Failure, type Result } from "../answers/result";
import { answerTooLarge, overAnswerCap } from "../answers/size-cap";
import { ApiError } from "../errors";
import { linesAs } from "../views/markdown";

export function failureError(failure: Failure): ApiError {
  return new ApiError(FAILURE_STATUS[failure.reason], failure.reason, failure.message, failure.details);
}

/** The answer's value, or the failure thrown as the API's error (app.onError writes it). */
export function unwrap<T>(result: Result<T>): T {
  if (!result.ok) throw failureError(result.failure);
  return result.value;
}

/** The answer formats: `?format=` takes these, in any case. */
export const FORMAT_CHOICES = ["json", "text", "markdown"] as const;
export type OutputFormat = (typeof FORMAT_CHOICES)[number];

const MEDIA_TYPES: Record<string, OutputFormat> = {
  "application/json": "json",
  "text/plain": "text",
  "text/markdown": "markdown",
};

/** `?format=`, else what the Accept header prefers (q-values honoured; JSON for `*\/*`, none or a tie). */
export function outputFormat(c: Context): OutputFormat {
  // Any case, as FormatQuerySchema reads it (`format=TEXT`).
  const format = c.req.query("format")?.trim().toLowerCase();
  if (format === "text" || format === "markdown") return format;
  if (format) return "json";
  // What most clients send, answered without parsing the header (a fresh isolate's first call of
  // Hono's `accepts` is about half a millisecond).
  const accept = c.req.header("accept");
  if (accept === undefined || accept === "*/*" || accept === "application/json") return "json";
  const type = accepts(c, { header: "Accept", supports: Object.keys(MEDIA_TYPES), default: "application/json" });
  return MEDIA_TYPES[type] ?? "json";
}

/** The routes that take `format` (and answer text and markdown): their errors come in it too. */
const FORMAT_ROUTES = new Set(["/scopes", "/endpoints", "/changes", "/diff", "/plan", "/explain"]);

/**
 * The format of an error answer: what outputFormat reads on a route that takes `format`, JSON on every
 * other (the MCP transport, Slack, /health, the feed, the page). A `format` value that is none of the
 * three (or `format` given twice) gets JSON, the documented default: which was meant cannot be known.
 */
export function errorFormat(c: Context): OutputFormat {
  // `/scopes/` is routed as `/scopes`: its errors take the format too.
  const path = c.req.path;
  if (!FORMAT_ROUTES.has(path.length > 1 && path.endsWith("/") ? path.slice(0, -1) : path)) return "json";
  // Given twice, or empty: which was meant cannot be known either.
  const given = c.req.queries("format");
  if (given && (given.length !== 1 || !FORMATS.has(given[0]!.trim().toLowerCase()))) return "json";
  return outputFormat(c);
}
const FORMATS = new Set<string>(FORMAT_CHOICES);

/** A catalog refreshed daily: an hour fresh, then served stale while revalidating for a day. */
const CATALOG_CACHE_CONTROL = "public, max-age=3600, stale-while-revalidate=86400";

export interface RespondOptions<T> {
  /** The answer as text lines; markdown is made from them. Without it the route answers JSON only. */
  text?: (answer: T) => string;
  /** The format the route already read with outputFormat, so the Accept header is parsed once. */
  format?: OutputFormat;
  /**
   * For GET answers that depend only on the URL, the format and this version: the ETag is built from
   * it, a matching If-None-Match gets 304, and the answer may be cached.
   */
  version?: string;
}

/**
 * Writes the answer (or throws its failure) in the format the client asked for. An answer over
 * MAX_ANSWER_BYTES is refused with 400 `answer_too_large` (answers/size-cap.ts), before any caching
 * header is set.
 */
export function respond<T>(c: Context, result: Result<T>, options: RespondOptions<T> = {}): Response {
  const answer = unwrap(result);
  const format = options.text ? (options.format ?? outputFormat(c)) : "json";
  let cache: CacheHeaders | undefined;
  if (options.version !== undefined) {
    cache = cacheHeaders(c, `W/"${options.version}-${format}"`);
    if (cache.notModified) return cache.notModified;
  }
  let body: string;
  let type: string;
  if (format === "json" || !options.text) {
    body = JSON.stringify(answer);
    type = "application/json";
  } else {
    ({ body, type } = linesAs(options.text(answer), format));
  }
  const bytes = overAnswerCap(body);
  if (bytes !== undefined) throw failureError(answerTooLarge(bytes));
  if (cache) for (const [name, value] of Object.entries(cache.headers)) c.header(name, value);
  return c.body(body, 200, { "Content-Type": type });
}

interface CacheHeaders {
  headers: Record<string, string>;
  /** The 304 when the client holds the ETag. */
  notModified?: Response;
}

function cacheHeaders(
  c: Context,
  etag: string,
  cacheControl = CATALOG_CACHE_CONTROL,
  vary: string | undefined = "Accept",
): CacheHeaders {
  const headers: Record<string, string> = { ETag: etag, "Cache-Control": cacheControl };
  if (vary) headers.Vary = vary;
  if (matchesEtag(c.req.header("if-none-match"), etag)) return { headers, notModified: c.body(null, 304, headers) };
  return { headers };
}

/**
 * ETag and caching headers for a 200 about to be written, or the 304 when the client holds `etag`.
 * Called once the answer is known to succeed: a request that fails gets its 4xx whatever If-None-Match says.
 */
export function conditional(
  c: Context,
  etag: string,
  cacheControl = CATALOG_CACHE_CONTROL,
  vary: string | undefined = "Accept",
): Response | undefined {
  const cache = cacheHeaders(c, etag, cacheControl, vary);
  if (cache.notModified) return cache.notModified;
  for (const [name, value] of Object.entries(cache.headers)) c.header(name, value);
  return undefined;
}

/** If-None-Match holds this ETag (or `*`). */
function matchesEtag(header: string | undefined, etag: string): boolean {
  return header?.split(",").some((tag) => tag.trim() === etag || tag.trim() === "*") ?? false;
}

/**
 * A 200's OpenAPI `content`: the answer's JSON (its schema and example) first, as the default type,
 * then the same answer as text and markdown lines.
 */
export function answerContent<S extends z.ZodType>(
  schema: S,
  examples: { json: unknown; text?: string; markdown?: string },
) {
  const example = (value?: string) => (value === undefined ? {} : { example: value });
  return {
    "application/json": { schema, example: examples.json },
    "text/plain": { schema: z.string(), ...example(examples.text) },
    "text/markdown": { schema: z.string(), ...example(examples.markdown) },
  };
}

/** FNV-1a, 32 bits: enough to tell versions of a static body apart in URLs and ETags. */
export function fingerprint(text: string): string {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0).toString(36);
}
