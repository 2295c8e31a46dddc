/**
 * GET /changes and GET /changes.atom: what changed in Atlassian's scopes, version by version, from
 * the changelog every publish records (`changes/<version>`), filtered by time, product, scope or endpoint.
 */
import { OpenAPIHono, createRoute, z } from "@hono/zod-openapi";
import {
  ChangesAnswerSchema,
  ChangesFilterSchema,
  ChangesInputSchema,
  REMOVED_EXAMPLE,
  answerChanges,
  selectChanges,
} from "../answers/changes";
import { SINCE_FORMS } from "../catalog/changes-query";
import type { AppEnv } from "../env";
import { errorResponseDoc } from "../errors";
import { withSharedErrors } from "./shared-errors";
import { changelogFor } from "../storage/served";
import { atomFeed } from "../views/atom";
import { changesText } from "../views/text";
import { conditional, respond, textContent, unwrap } from "./respond";
import { FormatQuerySchema, publicOrigin, validationHook, withCatalog } from "./shared";

const EXAMPLE_NEWER = "2026-11-30T05-44-51Z";
const EXAMPLE_OLDER = "2026-11-30T05-44-50Z";
const REMOVED = REMOVED_EXAMPLE;

const QuerySchema = ChangesInputSchema.extend({ format: FormatQuerySchema });

const SINCE_ERROR = {
  code: "invalid_since",
  message: `\`since\` "last week" is neither a catalog version nor a date; give ${SINCE_FORMS}.`,
};

const route = createRoute(
  withSharedErrors(
    {
      operationId: "listChanges",
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
              schema: ChangesAnswerSchema,
              example: {
                query: {
                  since: null,
                  product: null,
                  scope: null,
                  path: REMOVED,
                  method: null,
                  matchedPaths: [REMOVED],
                },
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
            ...textContent(
              `4 changes in 2 versions\n2026-11-30 jira  - GET ${REMOVED} (endpoint removed)\n…\ncatalog ${EXAMPLE_NEWER}\n`,
            ),
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
    },
    { catalog: true },
  ),
);

const atomRoute = createRoute(
  withSharedErrors(
    {
      operationId: "getChangesFeed",
      method: "get",
      path: "/",
      summary: "The changelog as an Atom feed",
      description:
        "The same changes as GET /changes (same filters), as an Atom 1.0 feed: one entry per catalog version that has matching changes, with a readable summary.",
      middleware: [withCatalog] as const,
      request: { query: ChangesFilterSchema },
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
    },
    { catalog: true },
  ),
);

export const changes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook }).openapi(route, async (c) => {
  const query = c.req.valid("query");
  const served = c.get("served");
  const selected = unwrap(await selectChanges(served, await changelogFor(c.env.CATALOG, served.source), query));
  return respond(c, answerChanges(served, selected, query), {
    text: changesText,
    version: `changes-${selected.version}`,
  });
});

export const changesAtom = new OpenAPIHono<AppEnv>({ defaultHook: validationHook }).openapi(atomRoute, async (c) => {
  const query = c.req.valid("query");
  const served = c.get("served");
  const selected = unwrap(await selectChanges(served, await changelogFor(c.env.CATALOG, served.source), query));
  const notModified = conditional(c, `W/"changes-${selected.version}-atom"`);
  if (notModified) return notModified;
  const body = atomFeed(publicOrigin(c), query, selected.result);
  return c.body(body, 200, { "Content-Type": "application/atom+xml; charset=utf-8" });
});
