/**
 * GET /changes and GET /changes.atom: what changed in Atlassian's scopes, version by version, from
 * the changelog every publish records (`changes/<version>`), filtered by time, product, scope or endpoint.
 */
import { OpenAPIHono, createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { loadSnapshot } from "../../data/snapshot";
import {
  SINCE_FORMS,
  changeLine,
  isSince,
  parseSince,
  queryChanges,
  resolveChangePath,
  type ChangeFilter,
  type ChangesResult,
  type DatedEntry,
  type Since,
} from "../catalog/changes-query";
import { ChangeEntrySchema, PRODUCTS, type HttpMethod } from "../catalog/schema";
import { ApiError, errorResponseDoc } from "../errors";
import { changelogSource } from "../storage/changes-cache";
import {
  CatalogRefSchema,
  FormatQuerySchema,
  catalogRef,
  decodeCursor,
  encodeCursor,
  limitQuery,
  publicOrigin,
  validationHook,
  wantsText,
  withCatalog,
  type AppEnv,
} from "./shared";
import { atomFeed } from "../views/atom";
import { textLines } from "../views/escape";

const DEFAULT_LIMIT = 100;
const MAX_LIMIT = 1000;
/** The same policy as the other GET routes: the changelog changes only when a version is published. */
const CACHE_CONTROL = "public, max-age=3600, stale-while-revalidate=86400";

const EXAMPLE_NEWER = "2026-11-30T05-44-51Z";
const EXAMPLE_OLDER = "2026-11-30T05-44-50Z";
const REMOVED = "/rest/api/3/workflow/transitions/{transitionId}/properties";

const FilterQuery = {
  since: z
    .string()
    .max(64, "`since` is longer than any version or date")
    .optional()
    .openapi({ description: `Only versions after ${SINCE_FORMS}.`, example: "2026-06-10" }),
  product: z
    .enum(PRODUCTS, { error: `\`product\` must be one of ${PRODUCTS.join(", ")}` })
    .optional()
    .openapi({ description: `Only changes to this product: ${PRODUCTS.join(", ")}.`, example: "jira" }),
  scope: z
    .string()
    .min(1, "`scope` is empty: give a scope name such as read:workflow.property:jira")
    .max(200, "`scope` is longer than any scope name (200 characters at most)")
    .optional()
    .openapi({
      description:
        "Only changes that name this scope: introduced or retired, or in a scope set that was added, removed, changed or changed state.",
      example: "read:workflow.property:jira",
    }),
  path: z.string().min(1, "`path` is empty: give a path, a URL or an endpoint template").optional().openapi({
    description:
      "Only changes to this endpoint: a path or URL as for /scopes (`/rest/api/3/field/123/context/defaultValues`), or an exact template, also of an endpoint that is no longer in the catalog.",
    example: REMOVED,
  }),
  method: z.string().max(10).optional().openapi({ description: "With `path`: only this method.", example: "GET" }),
};

const QuerySchema = z.object({
  ...FilterQuery,
  limit: limitQuery(MAX_LIMIT, `Entries per page, default ${DEFAULT_LIMIT}.`),
  cursor: z.string().max(100).optional().openapi({ description: "`nextCursor` of the previous page." }),
  format: FormatQuerySchema,
});

const AtomQuerySchema = z.object(FilterQuery);

const EntryMetaSchema = z.object({
  version: z
    .string()
    .openapi({ description: "The catalog version that first recorded the change.", example: EXAMPLE_NEWER }),
  publishedAt: z
    .string()
    .openapi({ description: "When that version was published.", example: "2026-11-30T05:44:51.273Z" }),
});

const ChangeSchema = z
  .intersection(
    EntryMetaSchema,
    ChangeEntrySchema.describe(
      "What changed, by `type`: endpoint_added / endpoint_removed, scopes_changed (a scope set gained or lost scopes), alternative_added / alternative_removed, state_changed (Beta → Current ...), deprecated_changed, scope_introduced / scope_retired (no endpoint of the product uses it any more).",
    ),
  )
  .openapi("Change");

const VersionSchema = z
  .object({
    version: z.string(),
    publishedAt: z.string(),
    previousVersion: z.string().nullable(),
    changes: z.number().int().openapi({ description: "Entries the version recorded, before filters." }),
    matching: z.number().int().openapi({ description: "Entries that match the filters." }),
    baseline: z.array(z.string()).openapi({
      description:
        "Products published for the first time in this version: everything in them is new, so no entries are listed.",
    }),
  })
  .openapi("ChangelogVersion");

const AnswerSchema = z
  .object({
    query: z.object({
      since: z.string().nullable(),
      product: z.string().nullable(),
      scope: z.string().nullable(),
      path: z.string().nullable(),
      method: z.string().nullable(),
      matchedPaths: z
        .array(z.string())
        .nullable()
        .openapi({ description: "The endpoint templates `path` resolved to." }),
    }),
    catalog: CatalogRefSchema,
    notes: z.array(z.string()).openapi({
      description:
        "When the changelog does not come from where the catalog does, or a version's changes could not be read.",
    }),
    versions: z.array(VersionSchema).openapi({ description: "The versions considered (after `since`), newest first." }),
    baseline: z
      .array(z.object({ product: z.string(), version: z.string(), publishedAt: z.string() }))
      .openapi({ description: "Products first published in the versions considered." }),
    total: z.number().int().openapi({ description: "Entries matching the filters." }),
    entries: z.array(ChangeSchema).openapi({ description: "Newest version first." }),
    nextCursor: z.string().nullable(),
  })
  .openapi("Changes");

const SINCE_ERROR = {
  code: "invalid_since",
  message: `\`since\` "last week" is neither a catalog version nor a date; give ${SINCE_FORMS}.`,
};

const route = createRoute({
  method: "get",
  path: "/",
  summary: "What changed in Atlassian's scopes, version by version",
  description:
    "The changelog the scraper records with every catalog version, newest first: endpoints added or removed, scope sets changed, deprecations, scopes introduced or retired. Each entry names the version (and date) that first saw it.",
  middleware: [withCatalog] as const,
  request: { query: QuerySchema },
  responses: {
    200: {
      description: "The matching changes, one page.",
      content: {
        "application/json": {
          schema: AnswerSchema,
          example: {
            query: { since: null, product: null, scope: null, path: REMOVED, method: null, matchedPaths: [REMOVED] },
            catalog: { version: EXAMPLE_NEWER, scrapedAt: "2026-11-30T05:44:51.273Z", source: "kv" },
            notes: [],
            versions: [
              {
                version: EXAMPLE_NEWER,
                publishedAt: "2026-11-30T05:44:51.273Z",
                previousVersion: EXAMPLE_OLDER,
                changes: 8,
                matching: 4,
                baseline: [],
              },
              {
                version: EXAMPLE_OLDER,
                publishedAt: "2026-11-30T05:44:50.727Z",
                previousVersion: null,
                changes: 0,
                matching: 0,
                baseline: ["jira", "confluence"],
              },
            ],
            baseline: [
              { product: "jira", version: EXAMPLE_OLDER, publishedAt: "2026-11-30T05:44:50.727Z" },
              { product: "confluence", version: EXAMPLE_OLDER, publishedAt: "2026-11-30T05:44:50.727Z" },
            ],
            total: 4,
            entries: [
              {
                version: EXAMPLE_NEWER,
                publishedAt: "2026-11-30T05:44:51.273Z",
                type: "endpoint_removed",
                product: "jira",
                method: "GET",
                path: REMOVED,
              },
            ],
            nextCursor: null,
          },
        },
        "text/plain": {
          schema: z.string(),
          example: `4 changes in 2 versions\n2026-11-30 jira  - GET ${REMOVED} (endpoint removed)\n…\ncatalog ${EXAMPLE_NEWER}\n`,
        },
      },
    },
    304: { description: "Not modified: the catalog version (ETag) is unchanged." },
    400: errorResponseDoc(
      "A `since` that is neither a version nor a date, an unknown `product`, a bad `path`, `method`, `limit` or `cursor`.",
      SINCE_ERROR,
    ),
    404: errorResponseDoc("`endpoint_not_found`: `path` matches no endpoint of the catalog or of its changelog.", {
      code: "endpoint_not_found",
      message:
        "No endpoint in the catalog or in its changelog matches /rest/api/3/workflows/transitions. Give a path or URL the catalog knows, or the exact template of a removed endpoint (such as /rest/api/3/workflow/transitions/{transitionId}/properties).",
    }),
  },
});

const atomRoute = createRoute({
  method: "get",
  path: "/",
  summary: "The changelog as an Atom feed",
  description:
    "The same changes as GET /changes (same filters), as an Atom 1.0 feed: one entry per catalog version that has matching changes, with a readable summary.",
  middleware: [withCatalog] as const,
  request: { query: AtomQuerySchema },
  responses: {
    200: {
      description: "An Atom 1.0 feed.",
      content: {
        "application/atom+xml": {
          schema: z.string(),
          example: `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <id>tag:scopes.example.com,2026:changes.atom?product=jira</id>
  <title>Scope Catalog: changes to Atlassian Cloud scopes (product jira)</title>
  <updated>2026-11-30T05:44:51.273Z</updated>
  <author><name>Scope Catalog</name></author>
  <link rel="self" type="application/atom+xml" href="https://scopes.example.com/changes.atom?product=jira"/>
  <link rel="alternate" type="application/json" href="https://scopes.example.com/changes?product=jira"/>
  <entry>
    <id>tag:scopes.example.com,2026-11-30:changes/${EXAMPLE_NEWER}?product=jira</id>
    <title>Catalog ${EXAMPLE_NEWER}: 8 changes (jira)</title>
    <updated>2026-11-30T05:44:51.273Z</updated>
    <summary type="text">1 endpoint added, 3 deprecation changes, 4 endpoints removed</summary>
    <content type="text">jira  + GET /rest/api/3/field/{fieldId}/context/defaultValues (endpoint added)
…</content>
  </entry>
</feed>
`,
        },
      },
    },
    304: { description: "Not modified: the catalog version (ETag) is unchanged." },
    400: errorResponseDoc(
      "A `since` that is neither a version nor a date, an unknown `product`, a bad `path` or `method`.",
      SINCE_ERROR,
    ),
    404: errorResponseDoc("`endpoint_not_found`: `path` matches no endpoint of the catalog or of its changelog.", {
      code: "endpoint_not_found",
      message: "No endpoint in the catalog or in its changelog matches /rest/api/3/workflows/transitions. …",
    }),
  },
});

type FilterInput = {
  since?: string;
  product?: (typeof PRODUCTS)[number];
  scope?: string;
  path?: string;
  method?: string;
};

interface Selected {
  result: ChangesResult;
  /** The newest version: the ETag. */
  version: string;
  notes: string[];
  matchedPaths: string[] | null;
  method: HttpMethod | undefined;
}

/** Everything both routes do: parse `since`, read the changelog of the versions it selects, filter. */
async function select(c: Context<AppEnv>, query: FilterInput): Promise<Selected> {
  let since: Since | undefined;
  if (query.since !== undefined) {
    const parsed = parseSince(query.since);
    if (!parsed.ok) throw new ApiError(400, "invalid_since", parsed.message, { since: query.since });
    since = parsed.value;
  }
  const served = c.get("served");
  const changelog = await changelogSource(c.env.CATALOG, loadSnapshot, served.source);
  const window = changelog.history.filter((item) => isSince(item, since));
  // A removed endpoint is found by the templates the changelog names, so with `path` every version is read.
  const loaded = await changelog.load(query.path !== undefined ? changelog.history : window);
  const notes = [
    ...(changelog.problem ? [changelog.problem] : []),
    ...loaded.unavailable.map((item) => `The changes of version ${item.version} could not be read: ${item.reason}`),
  ];
  const inWindow = new Set(window.map((item) => item.version));
  const considered = loaded.changes.filter((changes) => inWindow.has(changes.version));

  const filter: ChangeFilter = { product: query.product, scope: query.scope?.trim() };
  let matchedPaths: string[] | null = null;
  if (query.path !== undefined) {
    const resolved = resolveChangePath(served.index, loaded.changes, query.path, query.method);
    if (!resolved.ok) throw new ApiError(resolved.status, resolved.code, resolved.message, resolved.details);
    filter.paths = resolved.paths;
    filter.method = resolved.method;
    matchedPaths = [...resolved.paths].sort();
  } else if (query.method !== undefined) {
    throw new ApiError(
      400,
      "invalid_request",
      "`method` narrows `path`: give `path` too (a path, URL or endpoint template), or leave `method` out.",
    );
  }
  return {
    result: queryChanges(considered, filter),
    version: changelog.version,
    notes,
    matchedPaths,
    method: filter.method,
  };
}

/** 304 when the client holds this version of the answer; otherwise the caching headers for a 200. */
function notModified(c: Context<AppEnv>, etag: string): Response | undefined {
  const match = c.req.header("if-none-match");
  if (match?.split(",").some((tag) => tag.trim() === etag || tag.trim() === "*")) {
    return new Response(null, { status: 304, headers: cacheHeaders(etag) });
  }
  return undefined;
}

const cacheHeaders = (etag: string) => ({ ETag: etag, "Cache-Control": CACHE_CONTROL, Vary: "Accept" });

export const changes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook }).openapi(route, async (c) => {
  const query = c.req.valid("query");
  const offset = decodeCursor(query.cursor);
  const selected = await select(c, query);
  const text = wantsText(c);
  const etag = `W/"changes-${selected.version}-${text ? "text" : "json"}"`;
  const unchanged = notModified(c, etag);
  if (unchanged) return unchanged;
  for (const [name, value] of Object.entries(cacheHeaders(etag))) c.header(name, value);

  const { result } = selected;
  const limit = query.limit ?? DEFAULT_LIMIT;
  const page = result.entries.slice(offset, offset + limit);
  const nextCursor = offset + limit < result.entries.length ? encodeCursor(offset + limit) : null;
  const served = c.get("served");
  if (text) return c.text(changesText(result, page, offset, nextCursor, selected.notes, served.index.version), 200);
  return c.json(
    {
      query: {
        since: query.since ?? null,
        product: query.product ?? null,
        scope: query.scope ?? null,
        path: query.path ?? null,
        method: selected.method ?? null,
        matchedPaths: selected.matchedPaths,
      },
      catalog: catalogRef(served),
      notes: selected.notes,
      versions: result.versions,
      baseline: result.baseline,
      total: result.entries.length,
      entries: page,
      nextCursor,
    },
    200,
  );
});

function changesText(
  result: ChangesResult,
  page: readonly DatedEntry[],
  offset: number,
  nextCursor: string | null,
  notes: readonly string[],
  version: string,
): string {
  const total = result.entries.length;
  const versions = result.versions.length;
  const lines = [
    `${total} ${total === 1 ? "change" : "changes"} in ${versions} ${versions === 1 ? "version" : "versions"}${page.length < total ? `, showing ${offset + 1}-${offset + page.length}` : ""}`,
    ...page.map(changeLine),
  ];
  for (const item of result.versions) {
    if (item.baseline.length > 0)
      lines.push(
        `${item.publishedAt.slice(0, 10)} first published: ${item.baseline.join(", ")} (everything in them is new; no changes listed)`,
      );
  }
  for (const note of notes) lines.push(`note: ${note}`);
  if (nextCursor) lines.push(`more: add &cursor=${nextCursor}`);
  lines.push(`catalog ${version}`);
  return textLines(lines);
}

export const changesAtom = new OpenAPIHono<AppEnv>({ defaultHook: validationHook }).openapi(atomRoute, async (c) => {
  const query = c.req.valid("query");
  const selected = await select(c, query);
  const etag = `W/"changes-${selected.version}-atom"`;
  const unchanged = notModified(c, etag);
  if (unchanged) return unchanged;
  const body = atomFeed(publicOrigin(c), query, selected.result);
  return c.body(body, 200, { ...cacheHeaders(etag), "Content-Type": "application/atom+xml; charset=utf-8" });
});
