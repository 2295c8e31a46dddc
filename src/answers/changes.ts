/** Changes: what changed in Atlassian's scopes, version by version, filtered by time, product, scope or endpoint. */
import { z } from "@hono/zod-openapi";
import {
  SINCE_FORMS,
  VERSION_ID,
  isSince,
  parseSince,
  queryChanges,
  resolveChangePath,
  type ChangeFilter,
  type ChangesResult,
  type Since,
} from "../catalog/changes-query";
import { isKnownScope } from "../catalog/diff";
import { ChangeEntrySchema, PRODUCTS, type HttpMethod } from "../catalog/schema";
import type { ServedCatalog } from "../storage/catalog-cache";
import type { ChangelogSource } from "../storage/changes-cache";
import { CatalogRefSchema, catalogRef } from "./catalog-ref";
import { CursorSchema, limitSchema, MAX_LIMITS, pageOf } from "./paging";
import { fail, ok, type Result } from "./result";
import { choiceSchema } from "./validate";
import { lazy } from "../lazy";

const DEFAULT_LIMIT = 100;
const MAX_LIMIT = MAX_LIMITS.changes;
const EXAMPLE_NEWER = "2026-11-30T05-44-51Z";
/** A removed endpoint of the bundled changelog, for examples. */
export const REMOVED_EXAMPLE = "/rest/api/3/workflow/transitions/{transitionId}/properties";

const FilterQuery = {
  since: z
    .string()
    .max(64, "`since` is longer than any version or date")
    .optional()
    .openapi({ description: `Only versions after ${SINCE_FORMS}.`, example: "2026-06-10" }),
  product: choiceSchema("product", PRODUCTS)
    .optional()
    .openapi({
      description: `Only changes to this product: ${PRODUCTS.join(", ")} (in any case: \`JIRA\` is read as \`jira\`).`,
      example: "jira",
    }),
  scope: z
    .string()
    .min(1, "`scope` is empty: give a scope name such as read:workflow.property:jira")
    .max(200, "`scope` is longer than any scope name (200 characters at most)")
    .optional()
    .openapi({
      description:
        "Only changes that name this scope: introduced or retired, in a scope set that was added, removed, changed or changed state, or among the scopes a removed endpoint last took (`alternatives`).",
      example: "read:workflow.property:jira",
    }),
  path: z.string().min(1, "`path` is empty: give a path, a URL or an endpoint template").optional().openapi({
    description:
      "Only changes to this endpoint: a path or URL as for /scopes (`/rest/api/3/field/123/context/defaultValues`), or an exact template, also of an endpoint that is no longer in the catalog.",
    example: REMOVED_EXAMPLE,
  }),
  method: z.string().max(10).optional().openapi({ description: "With `path`: only this method.", example: "GET" }),
};

/** What selects changes: the filters /changes and /changes.atom share. */
export const ChangesFilterSchema = z.object(FilterQuery);
export type ChangesFilter = z.infer<typeof ChangesFilterSchema>;

/**
 * GET /changes.atom: the filters, and `before`, which RFC 5005 paging links carry: a feed document holds
 * at most src/views/atom.ts's MAX_FEED_ENTRIES entries and MAX_ANSWER_BYTES bytes, and its `rel="next"`
 * link names the oldest version it holds, so the next document starts with the version after it.
 */
export const ChangesFeedInputSchema = ChangesFilterSchema.extend({
  before: z
    .string()
    .max(64, "`before` is longer than any catalog version")
    .regex(
      VERSION_ID,
      '`before` must be a catalog version such as 2026-11-30T03-12-30Z: follow the feed\'s rel="next" link, which sets it',
    )
    .optional()
    .openapi({
      description:
        'Paging: only versions published before this catalog version. The feed\'s `rel="next"` link (RFC 5005) sets it when a document is truncated.',
      example: EXAMPLE_NEWER,
    }),
});
export type ChangesFeedInput = z.infer<typeof ChangesFeedInputSchema>;

export const ChangesInputSchema = ChangesFilterSchema.extend({
  limit: limitSchema(MAX_LIMIT, `Entries per page, default ${DEFAULT_LIMIT}.`),
  cursor: CursorSchema,
});
export type ChangesInput = z.infer<typeof ChangesInputSchema>;

const EntryMetaSchema = lazy(() =>
  z.object({
    version: z
      .string()
      .openapi({ description: "The catalog version that first recorded the change.", example: EXAMPLE_NEWER }),
    publishedAt: z
      .string()
      .openapi({ description: "When that version was published.", example: "2026-11-30T05:44:51.273Z" }),
  }),
);

const ChangeSchema = lazy(() =>
  z
    .intersection(
      EntryMetaSchema(),
      ChangeEntrySchema().describe(
        "What changed, by `type`: endpoint_added / endpoint_removed (with `alternatives`, the scope sets it last took), scopes_changed (a scope set gained or lost scopes), alternative_added / alternative_removed, state_changed (Beta → Current ...), deprecated_changed, scope_introduced / scope_retired (no endpoint of the product uses it any more).",
      ),
    )
    .openapi("Change"),
);

const VersionSchema = lazy(() =>
  z
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
    .openapi("ChangelogVersion"),
);

export const ChangesAnswerSchema = lazy(() =>
  z
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
      catalog: CatalogRefSchema(),
      notes: z.array(z.string()).openapi({
        description:
          "When the changelog does not come from where the catalog does, or a version's changes could not be read.",
      }),
      versions: z
        .array(VersionSchema())
        .openapi({ description: "The versions considered (after `since`), newest first." }),
      baseline: z
        .array(z.object({ product: z.string(), version: z.string(), publishedAt: z.string() }))
        .openapi({ description: "Products first published in the versions considered." }),
      total: z.number().int().openapi({ description: "Entries matching the filters." }),
      offset: z.number().int().openapi({ description: "Position of this page's first entry among all `total`." }),
      entries: z.array(ChangeSchema()).openapi({ description: "Newest version first." }),
      nextCursor: z.string().nullable(),
    })
    .openapi("Changes"),
);
export type ChangesAnswer = z.infer<ReturnType<typeof ChangesAnswerSchema>>;

/** The changes a filter selects, before paging (the Atom feed shows them all). */
export interface SelectedChanges {
  result: ChangesResult;
  /** The changelog's newest version: what the answer depends on. */
  version: string;
  notes: string[];
  matchedPaths: string[] | null;
  method: HttpMethod | undefined;
}

/** Everything both routes do: parse `since`, read the changelog of the versions it selects, filter. */
export async function selectChanges(
  served: ServedCatalog,
  changelog: ChangelogSource,
  query: ChangesFilter,
): Promise<Result<SelectedChanges>> {
  let since: Since | undefined;
  if (query.since !== undefined) {
    const parsed = parseSince(query.since);
    if (!parsed.ok) return fail("invalid_since", parsed.message, { since: query.since });
    since = parsed.value;
  }
  if (query.path === undefined && query.method !== undefined)
    return fail(
      "invalid_request",
      "`method` narrows `path`: give `path` too (a path, URL or endpoint template), or leave `method` out.",
    );
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
    if (!resolved.ok) return fail(resolved.code, resolved.message, resolved.details);
    filter.paths = resolved.paths;
    filter.method = resolved.method;
    matchedPaths = [...resolved.paths].sort();
  }
  const result = queryChanges(considered, filter);
  // A retired scope is in no current record but still in the changes: only an empty answer is explained.
  const scope = filter.scope;
  if (scope && result.entries.length === 0 && !isKnownScope(scope, served.index)) {
    const near = served.index.suggestScopes(scope);
    notes.push(
      `No scope ${scope} is known to the catalog or to Atlassian's list of app scopes, so no change names it${near[0] ? `: did you mean ${near[0]}?` : "; check the spelling."}`,
    );
  }
  return ok({
    result,
    version: changelog.version,
    notes,
    matchedPaths,
    method: filter.method,
  });
}

/** One page of the selected changes. */
export function answerChanges(
  served: ServedCatalog,
  selected: SelectedChanges,
  query: ChangesInput,
): Result<ChangesAnswer> {
  const { result } = selected;
  const page = pageOf(result.entries, query.cursor, query.limit ?? DEFAULT_LIMIT);
  if (!page.ok) return page;
  return ok({
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
    offset: page.value.offset,
    entries: page.value.items,
    nextCursor: page.value.nextCursor,
  });
}
