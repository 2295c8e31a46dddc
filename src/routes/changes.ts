/**
 * GET /changes and GET /changes.atom: what changed in Atlassian's scopes, version by version, from
 * the changelog every publish records (`changes/<version>`), filtered by time, product, scope or endpoint.
 */
import { OpenAPIHono, createRoute, z } from "@hono/zod-openapi";
import {
  ChangesAnswerSchema,
  ChangesFeedInputSchema,
  ChangesInputSchema,
  answerChanges,
  selectChanges,
} from "../answers/changes";
import { MAX_ANSWER_BYTES } from "../answers/size-cap";
import type { AppEnv } from "../env";
import { errorResponseDoc } from "../errors";
import EXAMPLES from "./examples.json";
import { withSharedErrors } from "./shared-errors";
import { changelogFor } from "../storage/served";
import { MAX_ENTRY_CONTENT_BYTES, MAX_FEED_ENTRIES, atomFeed } from "../views/atom";
import { groupThousands } from "../views/numbers";
import { changesText } from "../views/text";
import { conditional, respond, answerContent, unwrap } from "./respond";
import { FormatQuerySchema, publicOrigin, validationHook, withCatalog } from "./shared";

const QuerySchema = ChangesInputSchema.extend({ format: FormatQuerySchema });

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
    },
    () => ({
      200: {
        description: "The matching changes, one page.",
        content: answerContent(ChangesAnswerSchema(), EXAMPLES.listChanges.ok),
      },
      400: errorResponseDoc(
        "A `since` that is neither a version nor a date, an unknown `product`, a bad `path`, `method`, `limit` or `cursor`.",
        EXAMPLES.listChanges.errors.invalid_since.error,
      ),
      404: errorResponseDoc(
        "`endpoint_not_found`: `path` matches no endpoint of the catalog or of its changelog.",
        EXAMPLES.listChanges.errors.endpoint_not_found.error,
      ),
    }),
    { catalog: true, conditional: true, formats: true },
  ),
);

const atomRoute = createRoute(
  withSharedErrors(
    {
      operationId: "getChangesFeed",
      method: "get",
      path: "/",
      summary: "The changelog as an Atom feed",
      description: `The same changes as GET /changes (same filters), as an Atom 1.0 feed: one entry per catalog version that has matching changes, with a readable summary, newest first. A document holds at most ${MAX_FEED_ENTRIES} entries and ${groupThousands(MAX_ANSWER_BYTES)} bytes, and an entry at most ${groupThousands(MAX_ENTRY_CONTENT_BYTES)} bytes of change lines: past that it is truncated, not refused (whole entries left out; a cut entry's last line links to the GET /changes page with the rest), its subtitle says so and an RFC 5005 \`rel="next"\` link continues with \`before\`.`,
      middleware: [withCatalog] as const,
      request: { query: ChangesFeedInputSchema },
    },
    () => ({
      200: {
        description: `An Atom 1.0 feed, at most ${groupThousands(MAX_ANSWER_BYTES)} bytes (truncated past it, with a \`rel="next"\` link).`,
        content: {
          "application/atom+xml": {
            schema: z.string(),
            example: EXAMPLES.getChangesFeed.ok.atom,
          },
        },
      },
      400: errorResponseDoc(
        "A `since` that is neither a version nor a date, a `before` that is not a version, an unknown `product`, a bad `path` or `method`.",
        EXAMPLES.getChangesFeed.errors.invalid_since.error,
      ),
      404: errorResponseDoc(
        "`endpoint_not_found`: `path` matches no endpoint of the catalog or of its changelog.",
        EXAMPLES.getChangesFeed.errors.endpoint_not_found.error,
      ),
    }),
    { catalog: true, conditional: true },
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
