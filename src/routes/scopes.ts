/** GET /scopes?path=...&method=...: the scopes each matching endpoint requires. */
import { OpenAPIHono, createRoute } from "@hono/zod-openapi";
import { LookupAnswerSchema, LookupInputSchema, answerLookupLazily } from "../answers/lookup";
import type { AppEnv } from "../env";
import { errorResponseDoc } from "../errors";
import { withSharedErrors } from "./shared-errors";
import { lookupText } from "../views/text";
import { respond, textContent } from "./respond";
import { FormatQuerySchema, validationHook, wholeCatalog, withCatalogForPath } from "./shared";

const QuerySchema = LookupInputSchema.extend({ format: FormatQuerySchema });

const route = createRoute(
  withSharedErrors(
    {
      operationId: "lookupScopes",
      method: "get",
      path: "/",
      summary: "The scopes an endpoint requires",
      description:
        "Every endpoint matching the path (all methods when `method` is omitted), with its alternatives: any one set suffices, every scope in a set is needed.",
      middleware: [withCatalogForPath] as const,
      request: { query: QuerySchema },
      responses: {
        200: {
          description: "The matching endpoints.",
          content: {
            "application/json": {
              schema: LookupAnswerSchema,
              example: {
                query: { path: "/rest/agile/1.0/board", method: "GET", matchedPath: "/rest/agile/1.0/board" },
                catalog: { version: "2026-11-30T03-12-30Z", scrapedAt: "2026-11-30T03:12:30.003Z", source: "kv" },
                notes: [],
                endpoints: [
                  {
                    product: "jira-software",
                    method: "GET",
                    path: "/rest/agile/1.0/board",
                    operationId: "getAllBoards",
                    summary: "Get all boards",
                    docsUrl:
                      "https://developer.atlassian.com/cloud/jira/software/rest/api-group-board/#api-rest-agile-1-0-board-get",
                    alternatives: [
                      {
                        kind: "granular",
                        state: "Current",
                        scopes: ["read:board-scope:jira-software", "read:project:jira"],
                      },
                    ],
                    anonymous: false,
                    connectScope: "READ",
                    deprecated: false,
                    experimental: false,
                    notes: ["Jira Software has no classic scopes: a token needs the granular scopes listed."],
                  },
                ],
              },
            },
            ...textContent(
              "GET /rest/agile/1.0/board  [jira-software] Get all boards\n  needs: read:board-scope:jira-software + read:project:jira  (granular, Current)\n",
            ),
          },
        },
        304: { description: "Not modified: the catalog version (ETag) is unchanged." },
        400: errorResponseDoc(
          "`path` missing, malformed (bad percent-encoding, control characters), too long, or `method` not an HTTP method.",
          {
            code: "invalid_request",
            message:
              "path: `path` is required: a request path such as /rest/api/3/issue/ABC-1, or a full Jira, Confluence, Bitbucket or api.atlassian.com URL",
          },
        ),
        404: errorResponseDoc(
          "`endpoint_not_found` (with up to 5 nearest templates in `details.suggestions`) or `method_not_found` (with `details.methods`).",
          {
            code: "method_not_found",
            message: "/rest/agile/1.0/board exists, but not with PATCH; it takes GET, POST.",
          },
        ),
      },
    },
    { catalog: true },
  ),
);

export const scopes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook }).openapi(route, async (c) => {
  const { path, method } = c.req.valid("query");
  const served = c.get("served");
  const answer = await answerLookupLazily(served, { path, method }, () => wholeCatalog(c));
  return respond(c, answer, { text: lookupText, version: answer.ok ? answer.value.catalog.version : undefined });
});
