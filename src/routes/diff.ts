/** POST /diff: what a token's scopes lack for given endpoints, or, without endpoints, what it can call. */
import { OpenAPIHono, createRoute } from "@hono/zod-openapi";
import { DiffAnswerSchema, DiffInputSchema, readDiffRequest } from "../answers/diff";
import { answerDiffLazily, diffNeeds } from "../answers/partial-catalog";
import type { AppEnv } from "../env";
import { errorResponseDoc } from "../errors";
import EXAMPLES from "./examples.json";
import { withSharedErrors } from "./shared-errors";
import { diffText } from "../views/text";
import { respond, answerContent, outputFormat } from "./respond";
import {
  FormatOnlyQuerySchema,
  catalogForLines,
  requireContentType,
  validationHook,
  wholeCatalog,
  withCatalogReady,
} from "./shared";

const BodySchema = DiffInputSchema;

const route = createRoute(
  withSharedErrors(
    {
      operationId: "diffTokenScopes",
      method: "post",
      path: "/",
      summary: "Token diff: the scopes missing for given endpoints, or what the scopes can call",
      middleware: [withCatalogReady] as const,
      request: {
        query: FormatOnlyQuerySchema,
        body: {
          required: true,
          content: { "application/json": { schema: BodySchema, example: EXAMPLES.diffTokenScopes.request.body } },
        },
      },
    },
    () => ({
      200: {
        description:
          "Per endpoint: satisfied, or the smallest set to add; unknown and unused scopes. With an admin API token list, the same per token under `tokens`.",
        content: answerContent(DiffAnswerSchema(), EXAMPLES.diffTokenScopes.ok),
      },
      400: errorResponseDoc(
        "Body not JSON, `scopes` missing or malformed, over the limits (500 scopes, 1000 endpoints), a bad `cursor`, or `credential` not a credential kind (`invalid_credential`).",
        EXAMPLES.diffTokenScopes.errors.invalid_request.error,
        EXAMPLES.diffTokenScopes.errors.invalid_credential.error,
      ),
      415: errorResponseDoc(
        "The body is not sent as JSON.",
        EXAMPLES.diffTokenScopes.errors.unsupported_media_type.error,
      ),
    }),
    { post: true, catalog: true, formats: true },
  ),
);

export const diff = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

diff.use("/", requireContentType());

diff.openapi(route, async (c) => {
  const body = c.req.valid("json");
  const request = readDiffRequest(body);
  if (!request.ok) return respond(c, request);
  // Only the shards the body's endpoints and scopes can need; the whole catalog when a line or scope needs more.
  const served = await catalogForLines(c, () => diffNeeds(body));
  const format = outputFormat(c);
  const answer = await answerDiffLazily(served, body, () => wholeCatalog(c), { json: format === "json" });
  return respond(c, answer, { text: diffText, format });
});
