/** What the routes share before an answer: the served catalog, the `format` query, request validation. */
import { z } from "@hono/zod-openapi";
import type { Context, MiddlewareHandler } from "hono";
import { catalogUnavailable } from "../answers/result";
import { choiceOf, pickFields, withFastPath } from "../answers/fast-path";
import { choiceSchema, validationIssues } from "../answers/validate";
import { parseRequestPath } from "../catalog/request-path";
import type { AppEnv } from "../env";
import { ApiError } from "../errors";
import type { ServeOptions, ServedCatalog } from "../storage/catalog-cache";
import { catalogFor, catalogReadyFor } from "../storage/served";
import { FORMAT_CHOICES, type OutputFormat, failureError } from "./respond";

/** The catalog for this request, from the isolate cache (KV or the bundled snapshot). */
export const withCatalog = catalogMiddleware();

/**
 * GET /scopes: only the products the `path` query can match as given, so that a cold isolate reads and indexes
 * one shard, not the whole catalog. `served.partial` says so; `wholeCatalog` gets the rest.
 */
export const withCatalogForPath = catalogMiddleware((c) => {
  const parsed = parseRequestPath(c.req.query("path") ?? "");
  return parsed.ok ? parsed.value.segments : undefined;
});

/**
 * GET /endpoints?scope=: only the products whose manifest `scopeNames` hold the scope (the answer depends
 * on no other: the scope's records and the endpoints that name it are all in them); the whole catalog
 * for an unknown scope (its suggestions are ranked over every scope) or a manifest without `scopeNames`.
 */
export const withCatalogForScope: MiddlewareHandler<AppEnv> = async function withCatalogForScope(c, next) {
  const scope = c.req.query("scope")?.trim();
  c.set("served", await catalogOrUnavailable(c, undefined, undefined, scope || undefined));
  await next();
};

function catalogMiddleware(pathOf?: (c: Context) => readonly string[] | undefined): MiddlewareHandler<AppEnv> {
  return async function withCatalog(c, next) {
    c.set("served", await catalogOrUnavailable(c, pathOf?.(c)));
    await next();
  };
}

/** The whole catalog, for a route that was served only the products its path can match. */
export async function wholeCatalog(c: Context<AppEnv>): Promise<ServedCatalog> {
  const served = await catalogOrUnavailable(c);
  c.set("served", served);
  return served;
}

/**
 * POST /diff, /plan and /explain: the 503 `catalog_unavailable` before the body is validated, as with
 * `withCatalog`, but no shard is read here: catalogForLines picks them once the body is read.
 */
export const withCatalogReady: MiddlewareHandler<AppEnv> = async function withCatalogReady(c, next) {
  try {
    await catalogReadyFor(c.env.CATALOG);
  } catch (error) {
    console.error(`${c.get("requestId")} no catalog: ${error instanceof Error ? error.message : String(error)}`);
    throw failureError(catalogUnavailable());
  }
  await next();
};

/**
 * `path` as the client pasted it, for a Confluence page link: its title segment writes spaces as `+`
 * (`/wiki/spaces/ENG/pages/123/My+Page`), and put into `?path=` unencoded, form decoding reads them as
 * spaces, which no request path holds. Only there: elsewhere a space is text pasted beside the URL (a
 * method, a second URL), which the answer must name rather than read into a segment.
 */
export function pathWithPlusKept(path: string, url: string): string {
  if (!path.includes(" ") || !path.includes("/wiki/spaces/")) return path;
  const query = url.indexOf("?");
  if (query < 0) return path;
  for (const pair of url.slice(query + 1).split("&")) {
    if (!pair.startsWith("path=")) continue;
    let raw: string;
    try {
      raw = decodeURIComponent(pair.slice("path=".length));
    } catch {
      return path;
    }
    const end = raw.search(/[?#]/);
    const pathPart = end < 0 ? raw : raw.slice(0, end);
    // Each `+` in the link's last segment, the title, and the rest as decoded.
    const titled = pathPart.lastIndexOf("/") < pathPart.indexOf("+") && raw.replaceAll("+", " ") === path;
    return titled ? raw : path;
  }
  return path;
}

/**
 * POST /diff, /plan and /explain, once their body is read: only the products its endpoint lines and scope
 * names can need (answers/partial-catalog.ts), the whole catalog when `needs` is undefined.
 */
export async function catalogForLines(c: Context<AppEnv>, needs: ServeOptions["forLines"]): Promise<ServedCatalog> {
  const served = await catalogOrUnavailable(c, undefined, undefined, undefined, needs);
  c.set("served", served);
  return served;
}

/**
 * The catalog for this request, or the 503 `catalog_unavailable` when neither KV nor the bundled
 * snapshot can be read (KV failed with nothing held, and the snapshot failed too).
 */
export async function catalogOrUnavailable(
  c: Context<AppEnv>,
  forPath?: readonly string[],
  advice?: string,
  forScope?: string,
  forLines?: ServeOptions["forLines"],
): Promise<ServedCatalog> {
  try {
    return await catalogFor(c.env.CATALOG, { forPath, forScope, forLines });
  } catch (error) {
    // The cause is logged, not shown: it can be the runtime's own error text.
    console.error(`${c.get("requestId")} no catalog: ${error instanceof Error ? error.message : String(error)}`);
    throw failureError(catalogUnavailable(advice));
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

export const FormatQuerySchema = choiceSchema("format", FORMAT_CHOICES).optional().openapi({
  description:
    "`text`: short lines for terminals and chat bots (or `Accept: text/plain`); `markdown`: the same marked up for Discord, Teams and similar bots (or `Accept: text/markdown`). Any case is read (`TEXT`). Errors come in the same format (`error: <code>` first, then the message and details), except the 400 for a `format` value that is none of these, which is JSON, the default.",
  example: "text",
});

/** Such a query as FormatOnlyQuerySchema reads it (answers/fast-path.ts), or undefined for zod to read. */
function readFormatOnlyQuery(input: unknown): { format?: OutputFormat } | undefined {
  const query = pickFields(input, ["format"]);
  if (!query) return undefined;
  if (query.format === undefined) return {};
  const format = choiceOf(query.format, FORMAT_CHOICES);
  return format === undefined ? undefined : { format };
}

/** The query of a route that takes nothing else (POST /diff, /explain): one schema, built once. */
export const FormatOnlyQuerySchema = withFastPath(z.object({ format: FormatQuerySchema }), readFormatOnlyQuery);

/**
 * Turns zod's issues into the project's 400: each problem as `{path, message}`, never the raw dump. A
 * query parameter given twice (`scope=a&scope=b`) reaches the schema as a list, which every one of them
 * refuses with a message about something else ("is required", "expected string"): it is said first.
 */
export function validationHook(
  result: { success: boolean; error?: z.ZodError; data?: unknown; target?: string },
  c: Context,
): Response | undefined {
  if (result.success || !result.error) return undefined;
  const issues = validationIssues(result.error);
  if (result.target === "query" && result.data && typeof result.data === "object") {
    const repeated = Object.entries(result.data).flatMap(([name, value]) =>
      Array.isArray(value) && issues.some((issue) => issue.path.split(".")[0] === name)
        ? [{ path: name, message: `\`${name}\` is given ${value.length} times; give it once.` }]
        : [],
    );
    if (repeated.length > 0) {
      const named = new Set(repeated.map((issue) => issue.path));
      issues.splice(0, issues.length, ...repeated, ...issues.filter((issue) => !named.has(issue.path.split(".")[0]!)));
    }
  }
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
