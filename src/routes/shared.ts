/** What every query route shares: the served catalog, output format, caching headers, validation errors. */
import { z } from "@hono/zod-openapi";
import type { Context, MiddlewareHandler } from "hono";
import { loadSnapshot } from "../../data/snapshot";
import type { CatalogIndex } from "../catalog/catalog-index";
import { parseRequestPath } from "../catalog/request-path";
import { ApiError } from "../errors";
import { textToMarkdown } from "./markdown";
import { servedCatalog, type CatalogSource, type ServedCatalog } from "../storage/catalog-cache";

export type AppEnv = { Bindings: Env; Variables: { served: ServedCatalog; requestId: string; loggedPath?: string } };

/** The catalog for this request, from the isolate cache (KV or the bundled snapshot). */
export const withCatalog = catalogFor();

/**
 * GET /scopes: only the products the `path` query can match as given, so that a cold isolate reads and indexes
 * one shard, not the whole catalog. `served.partial` says so; `wholeCatalog` gets the rest.
 */
export const withCatalogForPath = catalogFor((c) => {
  const parsed = parseRequestPath(c.req.query("path") ?? "");
  return parsed.ok ? parsed.value.segments : undefined;
});

function catalogFor(pathOf?: (c: Context) => readonly string[] | undefined): MiddlewareHandler<AppEnv> {
  return async function withCatalog(c, next) {
    c.set("served", await serve(c, pathOf?.(c)));
    await next();
  };
}

/** The whole catalog, for a route that was served only the products its path can match. */
export async function wholeCatalog(c: Context<AppEnv>): Promise<ServedCatalog> {
  const served = await serve(c, undefined);
  c.set("served", served);
  return served;
}

async function serve(c: Context<AppEnv>, forPath: readonly string[] | undefined): Promise<ServedCatalog> {
  try {
    return await servedCatalog(c.env.CATALOG, loadSnapshot, { forPath });
  } catch (error) {
    // Only when KV failed with nothing held and the bundled snapshot failed too. The cause is logged, not
    // shown: it can be the runtime's own error text.
    console.error(`${c.get("requestId")} no catalog: ${error instanceof Error ? error.message : String(error)}`);
    throw new ApiError(
      503,
      "catalog_unavailable",
      "No catalog can be served right now: neither KV nor the bundled snapshot could be read. Try again shortly; /health says more.",
    );
  }
}

/** Optional deployment setting (a `[vars]` entry or `wrangler deploy --var`), so not in the generated Env. */
type OriginEnv = Env & { PUBLIC_ORIGIN?: string };

/**
 * Hosts the request's own origin may be linked to when PUBLIC_ORIGIN is not set: loopback (wrangler dev),
 * `*.workers.dev` (Cloudflare routes such a host only to the Worker that owns it, so a request that reached
 * this one names its own host), and the names RFC 6761 reserves for tests, which never resolve publicly.
 * Any other Host header (a custom domain, or a forged one) could be sent by anyone to a dev or wildcard
 * route, so it never reaches a link.
 */
const LINKABLE_HOST = /^(localhost|127\.0\.0\.1|\[::1\]|[a-z0-9-]+(\.[a-z0-9-]+)*\.(workers\.dev|test|localhost))$/;

/**
 * The origin that links in the Atom feed and Slack answers point at: PUBLIC_ORIGIN when configured (an
 * http(s) origin, e.g. `https://scopes.example.com`), else the request's origin when its host is one
 * LINKABLE_HOST allows, else undefined: the caller then writes relative links or none.
 */
export function publicOrigin(c: Context<AppEnv>): string | undefined {
  const configured = (c.env as OriginEnv | undefined)?.PUBLIC_ORIGIN?.trim();
  if (configured) {
    try {
      const url = new URL(configured);
      if (url.protocol === "https:" || url.protocol === "http:") return url.origin;
    } catch {
      // a malformed setting: fall through to what the request allows, as if unset
    }
    console.warn(`PUBLIC_ORIGIN is not an http(s) origin: ${JSON.stringify(configured.slice(0, 100))}`);
  }
  const url = new URL(c.req.url);
  return LINKABLE_HOST.test(url.hostname) ? url.origin : undefined;
}

export const FormatQuerySchema = z.enum(["json", "text", "markdown"]).optional().openapi({
  description:
    "`text`: short lines for terminals and chat bots (or `Accept: text/plain`); `markdown`: the same marked up for Discord, Teams and similar bots (or `Accept: text/markdown`).",
  example: "text",
});

export type OutputFormat = "json" | "text" | "markdown";

/** `?format=`, else the first of text/plain or text/markdown that the Accept header prefers over JSON. */
export function outputFormat(c: Context): OutputFormat {
  const format = c.req.query("format");
  if (format === "text" || format === "markdown") return format;
  if (format) return "json";
  const accept = (c.req.header("accept") ?? "").toLowerCase();
  const position = (type: string) => {
    const index = accept.indexOf(type);
    return index < 0 ? Number.POSITIVE_INFINITY : index;
  };
  const json = position("application/json");
  const text = position("text/plain");
  const markdown = position("text/markdown");
  if (markdown < json && markdown <= text) return "markdown";
  if (text < json) return "text";
  return "json";
}

export function wantsText(c: Context): boolean {
  return outputFormat(c) !== "json";
}

/** A route's text answer, as text or as markdown. */
export function textAnswer(c: Context, text: string) {
  return outputFormat(c) === "markdown"
    ? c.text(textToMarkdown(text), 200, { "Content-Type": "text/markdown; charset=UTF-8" })
    : c.text(text, 200);
}

/** A catalog refreshed daily: an hour fresh, then served stale while revalidating for a day. */
const CACHE_CONTROL = "public, max-age=3600, stale-while-revalidate=86400";

/**
 * GET answers depend only on the URL, the format and the catalog version, so the version is the ETag.
 * The 304 is decided after the handler ran: a request that would fail validation must get its 4xx,
 * whatever If-None-Match says (answers cost microseconds, so nothing is lost by answering first).
 */
export const conditionalGet: MiddlewareHandler<AppEnv> = async function conditionalGet(c, next) {
  await next();
  if (c.res.status !== 200) {
    c.res.headers.set("Cache-Control", "no-store");
    return;
  }
  const etag = `W/"${c.get("served").index.version}-${outputFormat(c)}"`;
  const headers = { ETag: etag, "Cache-Control": CACHE_CONTROL, Vary: "Accept" };
  const match = c.req.header("if-none-match");
  if (match?.split(",").some((tag) => tag.trim() === etag || tag.trim() === "*")) {
    c.res = new Response(null, { status: 304, headers });
    return;
  }
  for (const [name, value] of Object.entries(headers)) c.res.headers.set(name, value);
};

export const CatalogRefSchema = z
  .object({
    version: z.string().openapi({ example: "2026-11-30T03-12-30Z" }),
    scrapedAt: z
      .string()
      .openapi({ description: "When the newest product data was scraped.", example: "2026-11-30T03:12:30.003Z" }),
    source: z.enum(["kv", "snapshot"]).openapi({
      description: "`snapshot`: KV holds no catalog yet (or failed) and the copy bundled with the worker answers.",
    }),
  })
  .openapi("CatalogRef");

export function catalogRef(served: ServedCatalog): { version: string; scrapedAt: string; source: CatalogSource } {
  return { version: served.index.version, scrapedAt: served.index.scrapedAt, source: served.source };
}

/** Turns zod's issues into the project's 400: each problem as `{path, message}`, never the raw dump. */
export function validationHook(result: { success: boolean; error?: z.ZodError }, c: Context): Response | undefined {
  if (result.success || !result.error) return undefined;
  const issues = result.error.issues.map((issue) => ({
    path: issue.path.join(".") || "(root)",
    message: issue.message,
  }));
  const first = issues[0];
  throw new ApiError(400, "invalid_request", `${first?.path}: ${first?.message}`, {
    issues,
    docs: `${publicOrigin(c) ?? ""}/openapi.json`,
  });
}

/** JSON, including `application/<anything>+json`. */
export function isJsonType(contentType: string): boolean {
  return /^application\/([\w.-]+\+)?json$/.test(contentType);
}

const JSON_ONLY =
  "Send the body as JSON with Content-Type: application/json (curl: -H 'content-type: application/json').";

/**
 * 415 for a POST body of another type. Mounted before a route: its own validator would refuse other
 * types first, with a generic message.
 */
export function requireContentType(
  accepts: (mediaType: string) => boolean = isJsonType,
  message = JSON_ONLY,
): MiddlewareHandler {
  return async function requireContentType(c, next) {
    const mediaType = (c.req.header("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
    if (c.req.method === "POST" && !accepts(mediaType)) throw new ApiError(415, "unsupported_media_type", message);
    await next();
  };
}

/** `limit` as a query parameter: a whole number from 1 to `max`. */
export function limitQuery(max: number, description: string) {
  const range = `\`limit\` must be a whole number from 1 to ${max}`;
  return z.coerce.number({ error: range }).int(range).min(1, range).max(max, range).optional().openapi({ description });
}

/** Cursors are opaque to clients: an offset, base64url-encoded. */
export function encodeCursor(offset: number): string {
  return btoa(`o:${offset}`).replace(/=+$/, "").replace(/\+/g, "-").replace(/\//g, "_");
}

export function decodeCursor(cursor: string | undefined): number {
  if (cursor === undefined) return 0;
  let decoded = "";
  try {
    decoded = atob(cursor.replace(/-/g, "+").replace(/_/g, "/"));
  } catch {
    // fall through to the error below
  }
  const offset = /^o:(\d{1,9})$/.exec(decoded)?.[1];
  if (offset === undefined)
    throw new ApiError(
      400,
      "invalid_cursor",
      "`cursor` is not one this API gave out; pass the `nextCursor` of the previous page unchanged, or leave it out to start over.",
    );
  return Number(offset);
}

export type { CatalogIndex };
