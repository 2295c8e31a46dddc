/** GET /scopes?path=...&method=...: the scopes each matching endpoint requires. */
import { OpenAPIHono, createRoute } from "@hono/zod-openapi";
import { LookupAnswerSchema, LookupInputSchema, answerLookupLazily } from "../answers/lookup";
import type { AppEnv } from "../env";
import { errorResponseDoc } from "../errors";
import EXAMPLES from "./examples.json";
import { withSharedErrors } from "./shared-errors";
import { lookupText } from "../views/text";
import { datedVersion } from "../answers/catalog-ref";
import { respond, answerContent } from "./respond";
import { FormatQuerySchema, pathWithPlusKept, validationHook, wholeCatalog, withCatalogForPath } from "./shared";

const QuerySchema = LookupInputSchema.extend({ format: FormatQuerySchema });

const route = createRoute(
  withSharedErrors(
    {
      operationId: "lookupScopes",
      method: "get",
      path: "/",
      summary: "The scopes an endpoint requires",
      description:
        "Every endpoint matching the path (all methods when `method` is omitted), with its alternatives: any one set suffices, every scope in a set is needed. With `credential`, each set says whether that credential can hold it, and `unusable` why it cannot call the endpoint at all (e.g. its document names the apps that may call it); without one, `notes` quotes such a sentence.",
      middleware: [withCatalogForPath] as const,
      request: { query: QuerySchema },
    },
    () => ({
      200: {
        description: "The matching endpoints.",
        content: answerContent(LookupAnswerSchema(), EXAMPLES.lookupScopes.ok),
      },
      400: errorResponseDoc(
        "`path` missing, malformed (bad percent-encoding, control characters), too long, `method` not an HTTP method, or `credential` not a credential kind (`invalid_credential`).",
        EXAMPLES.lookupScopes.errors.invalid_request.error,
        EXAMPLES.lookupScopes.errors.invalid_credential.error,
      ),
      404: errorResponseDoc(
        "`endpoint_not_found` (with up to 5 nearest templates in `details.suggestions`; a path whose start was pasted twice, `/wiki/wiki/...`, `/rest/api/3/rest/api/3/...` or a URL after itself, has the template it matches with one copy removed first) or `method_not_found` (with `details.methods`).",
        EXAMPLES.lookupScopes.errors.endpoint_not_found.error,
        EXAMPLES.lookupScopes.errors.method_not_found.error,
      ),
      410: errorResponseDoc(
        "`endpoint_removed`: Atlassian removed the endpoint (it answers 410 Gone there), or its documents dropped it. `details.removed` names when, the source, the scopes it last took, and the replacement to call instead with its scopes (read from the catalog). A live endpoint with the same method and path always wins.",
        EXAMPLES.lookupScopes.errors.endpoint_removed.error,
      ),
    }),
    { catalog: true, conditional: true, formats: true },
  ),
);

export const scopes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook }).openapi(route, async (c) => {
  const { method, credential, context } = c.req.valid("query");
  const path = pathWithPlusKept(c.req.valid("query").path, c.req.url);
  const served = c.get("served");
  const answer = await answerLookupLazily(served, { path, method, credential, context }, () => wholeCatalog(c));
  // Lifecycle notes are worded against the request's date ("To be removed on" turns "Removed on"): the
  // ETag changes with it, so a cache revalidates a day's answer the next day.
  return respond(c, answer, {
    text: lookupText,
    version: answer.ok ? datedVersion(answer.value.catalog.version, served) : undefined,
  });
});
