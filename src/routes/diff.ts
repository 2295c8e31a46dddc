/** POST /diff: what a token's scopes lack for given endpoints, or, without endpoints, what it can call. */
import { OpenAPIHono, createRoute, z } from "@hono/zod-openapi";
import { DiffAnswerSchema, DiffInputSchema, answerDiff } from "../answers/diff";
import type { AppEnv } from "../env";
import { errorResponseDoc } from "../errors";
import { withSharedErrors } from "./shared-errors";
import { diffText } from "../views/text";
import { respond, textContent } from "./respond";
import { FormatQuerySchema, requireContentType, validationHook, withCatalog } from "./shared";

const BodySchema = DiffInputSchema;

const route = createRoute(
  withSharedErrors(
    {
      operationId: "diffTokenScopes",
      method: "post",
      path: "/",
      summary: "Token diff: the scopes missing for given endpoints, or what the scopes can call",
      middleware: [withCatalog] as const,
      request: {
        query: z.object({ format: FormatQuerySchema }),
        body: { required: true, content: { "application/json": { schema: BodySchema } } },
      },
      responses: {
        200: {
          description:
            "Per endpoint: satisfied, or the smallest set to add; unknown and unused scopes. With an admin API token list, the same per token under `tokens`.",
          content: {
            "application/json": {
              schema: DiffAnswerSchema,
              example: {
                catalog: { version: "2026-11-30T03-12-30Z", scrapedAt: "2026-11-30T03:12:30.003Z", source: "kv" },
                scopes: ["read:board-scope.admin:jira-software", "read:board-scope:jira-software"],
                unknownScopes: [],
                unusedScopes: ["read:board-scope.admin:jira-software"],
                summary: { checked: 1, satisfied: 0, unsatisfied: 1, unknown: 0, errors: 0 },
                results: [
                  {
                    input: { method: "GET", path: "https://api.atlassian.com/ex/jira/<cloudId>/rest/agile/1.0/board" },
                    product: "jira-software",
                    method: "GET",
                    path: "/rest/agile/1.0/board",
                    satisfied: false,
                    satisfiedBy: null,
                    missing: ["read:project:jira"],
                    alternatives: [
                      {
                        kind: "granular",
                        state: "Current",
                        scopes: ["read:board-scope:jira-software", "read:project:jira"],
                        missing: ["read:project:jira"],
                      },
                    ],
                    hints: [],
                  },
                ],
              },
            },
            ...textContent(),
          },
        },
        400: errorResponseDoc(
          "Body not JSON, `scopes` missing or malformed, over the limits (500 scopes, 1000 endpoints), or a bad `cursor`.",
          {
            code: "invalid_request",
            message:
              "scopes: `scopes` must be a list of scope names, one string of names separated by spaces, commas or newlines, or the admin API's token list ([{id, label, scopes}])",
          },
        ),
        415: errorResponseDoc("The body is not sent as JSON.", {
          code: "unsupported_media_type",
          message: "Send the body as JSON with Content-Type: application/json.",
        }),
      },
    },
    { post: true, catalog: true },
  ),
);

export const diff = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

diff.use("/", requireContentType());

diff.openapi(route, (c) => respond(c, answerDiff(c.get("served"), c.req.valid("json")), { text: diffText }));
