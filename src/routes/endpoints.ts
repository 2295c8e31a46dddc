/** GET /endpoints?scope=...: reverse lookup, every endpoint a scope appears in and what it needs beside it. */
import { OpenAPIHono, createRoute } from "@hono/zod-openapi";
import { ReverseAnswerSchema, ReverseInputSchema, answerReverse } from "../answers/reverse";
import type { AppEnv } from "../env";
import { errorResponseDoc } from "../errors";
import { withSharedErrors } from "./shared-errors";
import { reverseText } from "../views/text";
import { respond, textContent } from "./respond";
import { FormatQuerySchema, validationHook, withCatalog } from "./shared";

const QuerySchema = ReverseInputSchema.extend({ format: FormatQuerySchema });

const route = createRoute(
  withSharedErrors(
    {
      operationId: "findEndpointsForScope",
      method: "get",
      path: "/",
      summary: "Reverse lookup: the endpoints a scope unlocks",
      description:
        "Every endpoint in whose alternatives the scope appears, saying whether it suffices alone or which companions its set needs.",
      middleware: [withCatalog] as const,
      request: { query: QuerySchema },
      responses: {
        200: {
          description: "The endpoints, one page.",
          content: {
            "application/json": {
              schema: ReverseAnswerSchema,
              example: {
                scope: {
                  name: "read:board-scope:jira-software",
                  kind: "granular",
                  product: "jira-software",
                  description: "View boards and their configuration.",
                  endpoints: 17,
                },
                catalog: { version: "2026-11-30T03-12-30Z", scrapedAt: "2026-11-30T03:12:30.003Z", source: "kv" },
                total: 17,
                offset: 0,
                endpoints: [
                  {
                    product: "jira-software",
                    method: "GET",
                    path: "/rest/agile/1.0/board",
                    summary: "Get all boards",
                    docsUrl:
                      "https://developer.atlassian.com/cloud/jira/software/rest/api-group-board/#api-rest-agile-1-0-board-get",
                    deprecated: false,
                    alone: false,
                    sets: [
                      {
                        kind: "granular",
                        state: "Current",
                        scopes: ["read:board-scope:jira-software", "read:project:jira"],
                        companions: ["read:project:jira"],
                      },
                    ],
                  },
                ],
                nextCursor: null,
              },
            },
            ...textContent(),
          },
        },
        304: { description: "Not modified: the catalog version (ETag) is unchanged." },
        400: errorResponseDoc("Missing `scope`, an unknown `product`, a bad `method`, `limit` or `cursor`.", {
          code: "invalid_request",
          message: "scope: `scope` is required: a scope name such as read:board-scope:jira-software",
        }),
        404: errorResponseDoc(
          "`scope_not_found`: the catalog has no such scope; `details.suggestions` names the nearest.",
          {
            code: "scope_not_found",
            message: "No scope read:board-scope:jira in the catalog. Did you mean read:board-scope:jira-software?",
          },
        ),
      },
    },
    { catalog: true },
  ),
);

export const endpoints = new OpenAPIHono<AppEnv>({ defaultHook: validationHook }).openapi(route, (c) => {
  const served = c.get("served");
  return respond(c, answerReverse(served, c.req.valid("query")), { text: reverseText, version: served.index.version });
});
