/** POST /plan: the smallest scope set for a whole integration, split over tokens when over the cap. */
import { OpenAPIHono, createRoute, z } from "@hono/zod-openapi";
import { answerPlanLazily, planNeeds } from "../answers/partial-catalog";
import { PlanAnswerSchema, PlanInputSchema, PreferSchema, maxScopesSchema, type PlanInput } from "../answers/plan";
import type { AppEnv } from "../env";
import { choiceOf, isCount, pickFields, withFastPath } from "../answers/fast-path";
import { parseInput } from "../answers/validate";
import { PREFERENCES } from "../catalog/plan";
import { MAX_SCOPES_PER_TOKEN } from "../catalog/split";
import { ApiError, errorResponseDoc } from "../errors";
import EXAMPLES from "./examples.json";
import { withSharedErrors } from "./shared-errors";
import { planText } from "../views/text";
import { FORMAT_CHOICES, answerContent, failureError, respond } from "./respond";
import {
  FormatQuerySchema,
  catalogForLines,
  isJsonType,
  requireContentType,
  validationHook,
  wholeCatalog,
  withCatalogReady,
} from "./shared";

const PlanQueryFields = z.object({
  format: FormatQuerySchema,
  prefer: PreferSchema.optional(),
  maxScopes: maxScopesSchema({ fromQuery: true }).optional(),
});
type PlanQuery = z.output<typeof PlanQueryFields>;

/** /plan's query as PlanQueryFields reads it (answers/fast-path.ts), or undefined for zod to read. */
function readPlanQuery(input: unknown): PlanQuery | undefined {
  const query = pickFields(input, ["format", "prefer", "maxScopes"]);
  if (!query) return undefined;
  const read: PlanQuery = {};
  if (query.format !== undefined) {
    read.format = choiceOf(query.format, FORMAT_CHOICES);
    if (read.format === undefined) return undefined;
  }
  if (query.prefer !== undefined) {
    read.prefer = choiceOf(query.prefer, PREFERENCES);
    if (read.prefer === undefined) return undefined;
  }
  if (query.maxScopes !== undefined) {
    // The text as z.coerce.number reads it.
    const count = typeof query.maxScopes === "string" ? Number(query.maxScopes) : undefined;
    if (!isCount(count, MAX_SCOPES_PER_TOKEN)) return undefined;
    read.maxScopes = count;
  }
  return read;
}

export const PlanQuerySchema = withFastPath(PlanQueryFields, readPlanQuery);

const route = createRoute(
  withSharedErrors(
    {
      operationId: "planScopes",
      method: "post",
      path: "/",
      summary: "Least-privilege plan: the smallest scope set for the endpoints an integration calls",
      description:
        'Body: JSON (`endpoints`, `text` or `har`, plus `prefer` and `maxScopes`), a HAR document itself, or `text/plain` with one `METHOD URL` per line (then `prefer` and `maxScopes` go in the query); a `text/plain` body that is a JSON object (a HAR sent with curl\'s default type) is read as the JSON body, and 400 `invalid_json` when it does not parse. For each endpoint exactly one alternative is chosen so that the union of scopes is smallest; Bitbucket classic scopes that another scope of the plan implies (`repository` beside `repository:write`) are then left out, with a note. With `credential: "connect"` the plan is a Connect app\'s descriptor scopes: each endpoint\'s Connect scope (`chosen.kind` `connect`), those another implies left out, one app per product. With any `credential`, an endpoint it cannot call (its document names other apps: "Only Connect and OAuth 2.0 apps can use this operation.") is in `unusable`, not planned; without one, `notes` quotes such sentences.',
      middleware: [withCatalogReady] as const,
      request: {
        query: PlanQuerySchema,
        body: {
          required: true,
          content: {
            "application/json": { schema: PlanInputSchema, example: EXAMPLES.planScopes.request.body },
            "text/plain": {
              schema: z.string().openapi({
                example: "GET https://api.atlassian.com/ex/jira/<cloudId>/rest/agile/1.0/board\nPOST /rest/api/3/issue",
              }),
            },
          },
        },
      },
    },
    () => ({
      200: {
        description: "The plan.",
        content: answerContent(PlanAnswerSchema(), EXAMPLES.planScopes.ok),
      },
      400: errorResponseDoc(
        "No endpoints given, a malformed HAR or body, more than 1000 endpoints, a bad `prefer` or `maxScopes`, or `credential` not a credential kind (`invalid_credential`).",
        EXAMPLES.planScopes.errors.no_endpoints.error,
        EXAMPLES.planScopes.errors.invalid_credential.error,
      ),
      415: errorResponseDoc(
        "The body is neither JSON nor text/plain.",
        EXAMPLES.planScopes.errors.unsupported_media_type.error,
      ),
    }),
    { post: true, catalog: true, formats: true },
  ),
);

export const plan = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

plan.use(
  "/",
  requireContentType(
    (mediaType) => mediaType === "text/plain" || isJsonType(mediaType),
    "Send JSON (Content-Type: application/json) or one METHOD URL per line (Content-Type: text/plain).",
  ),
);

plan.openapi(route, async (c) => {
  const query = c.req.valid("query");
  const type = (c.req.header("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
  // requireContentType let only text/plain and JSON through; query options fill what the body leaves out.
  const body: PlanInput = type === "text/plain" ? textBody(await c.req.text()) : (c.req.valid("json") as PlanInput);
  const input = { ...body, prefer: body.prefer ?? query.prefer, maxScopes: body.maxScopes ?? query.maxScopes };
  const served = await catalogForLines(c, () => planNeeds(input));
  return respond(c, await answerPlanLazily(served, input, () => wholeCatalog(c)), { text: planText });
});

/**
 * A text/plain body. One that is a JSON object (`curl --data-binary @session.har` without a JSON
 * content type) is read as that JSON body would be, a HAR or the plan request: as lines it was one
 * endpoint that matched nothing.
 */
function textBody(text: string): PlanInput {
  if (text.trimStart()[0] !== "{") return { text };
  let json: unknown;
  try {
    json = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch {
    throw new ApiError(
      400,
      "invalid_json",
      "The text/plain body starts like a JSON object but is not valid JSON. Send a HAR or the plan request as JSON (Content-Type: application/json), or one METHOD URL per line.",
    );
  }
  const input = parseInput(PlanInputSchema, json);
  if (!input.ok) throw failureError(input.failure);
  return input.value;
}
