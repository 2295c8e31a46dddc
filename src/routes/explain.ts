/** POST /explain: why did my call fail? Ordered findings, each with a stable code and the fix. */
import { OpenAPIHono, createRoute } from "@hono/zod-openapi";
import { ExplainAnswerSchema, ExplainInputSchema, FINDING_CODES } from "../answers/explain";
import { answerExplainLazily, explainNeeds } from "../answers/partial-catalog";
import type { AppEnv } from "../env";
import { errorResponseDoc } from "../errors";
import EXAMPLES from "./examples.json";
import { withSharedErrors } from "./shared-errors";
import { explainText } from "../views/text";
import { respond, answerContent } from "./respond";
import {
  FormatOnlyQuerySchema,
  catalogForLines,
  requireContentType,
  validationHook,
  wholeCatalog,
  withCatalogReady,
} from "./shared";

const BodySchema = ExplainInputSchema;

const route = createRoute(
  withSharedErrors(
    {
      operationId: "explainFailure",
      method: "post",
      path: "/",
      summary: "Why did my call fail? Findings with stable codes and fixes",
      middleware: [withCatalogReady] as const,
      request: {
        query: FormatOnlyQuerySchema,
        body: {
          required: true,
          content: { "application/json": { schema: BodySchema, example: EXAMPLES.explainFailure.request.body } },
        },
      },
    },
    () => ({
      200: {
        description: `Ordered findings. Codes: ${FINDING_CODES.join(", ")}.`,
        content: answerContent(ExplainAnswerSchema(), EXAMPLES.explainFailure.ok),
      },
      400: errorResponseDoc(
        "`method`, `url` or `status` missing or malformed, `scopes` malformed, or `credential` not a credential kind (`invalid_credential`).",
        EXAMPLES.explainFailure.errors.invalid_request.error,
        EXAMPLES.explainFailure.errors.invalid_credential.error,
      ),
      415: errorResponseDoc(
        "The body is not sent as JSON.",
        EXAMPLES.explainFailure.errors.unsupported_media_type.error,
      ),
    }),
    { post: true, catalog: true, formats: true },
  ),
);

export const explain = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

explain.use("/", requireContentType());

explain.openapi(route, async (c) => {
  const body = c.req.valid("json");
  const served = await catalogForLines(c, () => explainNeeds(body));
  return respond(c, await answerExplainLazily(served, body, () => wholeCatalog(c)), { text: explainText });
});
