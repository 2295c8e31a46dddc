/** POST /explain: why did my call fail? Ordered findings, each with a stable code and the fix. */
import { OpenAPIHono, createRoute, z } from "@hono/zod-openapi";
import { ExplainAnswerSchema, ExplainInputSchema, FINDING_CODES, answerExplain } from "../answers/explain";
import type { AppEnv } from "../env";
import { errorResponseDoc } from "../errors";
import { withSharedErrors } from "./shared-errors";
import { explainText } from "../views/text";
import { respond, textContent } from "./respond";
import { FormatQuerySchema, requireContentType, validationHook, withCatalog } from "./shared";

const BodySchema = ExplainInputSchema;

const route = createRoute(
  withSharedErrors(
    {
      operationId: "explainFailure",
      method: "post",
      path: "/",
      summary: "Why did my call fail? Findings with stable codes and fixes",
      middleware: [withCatalog] as const,
      request: {
        query: z.object({ format: FormatQuerySchema }),
        body: { required: true, content: { "application/json": { schema: BodySchema } } },
      },
      responses: {
        200: {
          description: `Ordered findings. Codes: ${FINDING_CODES.join(", ")}.`,
          content: {
            "application/json": {
              schema: ExplainAnswerSchema,
              example: {
                catalog: { version: "2026-11-30T03-12-30Z", scrapedAt: "2026-11-30T03:12:30.003Z", source: "kv" },
                endpoints: [
                  {
                    product: "jira-software",
                    method: "GET",
                    path: "/rest/agile/1.0/board",
                    docsUrl:
                      "https://developer.atlassian.com/cloud/jira/software/rest/api-group-board/#api-rest-agile-1-0-board-get",
                  },
                ],
                findings: [
                  {
                    code: "missing_scopes",
                    message: "The token lacks read:project:jira for GET /rest/agile/1.0/board.",
                    fix: "Create a token that also has read:project:jira (a token's scopes cannot be edited after creation).",
                  },
                ],
              },
            },
            ...textContent(),
          },
        },
        400: errorResponseDoc("`method`, `url` or `status` missing or malformed, or `scopes` malformed.", {
          code: "invalid_request",
          message: "status: `status` is required: the HTTP status the call got, e.g. 401",
        }),
        415: errorResponseDoc("The body is not sent as JSON.", {
          code: "unsupported_media_type",
          message: "Send the body as JSON with Content-Type: application/json.",
        }),
      },
    },
    { post: true, catalog: true },
  ),
);

export const explain = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

explain.use("/", requireContentType());

explain.openapi(route, (c) => respond(c, answerExplain(c.get("served"), c.req.valid("json")), { text: explainText }));
