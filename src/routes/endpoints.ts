/** GET /endpoints?scope=...: reverse lookup, every endpoint a scope appears in and what it needs beside it. */
import { OpenAPIHono, createRoute } from "@hono/zod-openapi";
import { datedVersion } from "../answers/catalog-ref";
import { ReverseAnswerSchema, ReverseInputSchema, answerReverse } from "../answers/reverse";
import type { AppEnv } from "../env";
import { errorResponseDoc } from "../errors";
import EXAMPLES from "./examples.json";
import { withSharedErrors } from "./shared-errors";
import { reverseText } from "../views/text";
import { respond, answerContent } from "./respond";
import { FormatQuerySchema, validationHook, withCatalogForScope } from "./shared";

const QuerySchema = ReverseInputSchema.extend({ format: FormatQuerySchema });

const route = createRoute(
  withSharedErrors(
    {
      operationId: "findEndpointsForScope",
      method: "get",
      path: "/",
      summary: "Reverse lookup: the endpoints a scope unlocks",
      description:
        "Every endpoint in whose alternatives the scope appears, saying whether it suffices alone or which companions its set needs. For a Connect app's scope (READ, WRITE, ...), every endpoint a Connect app holding it can call, with the Connect scope each endpoint's document names.",
      middleware: [withCatalogForScope] as const,
      request: { query: QuerySchema },
    },
    () => ({
      200: {
        description: "The endpoints, one page.",
        content: answerContent(ReverseAnswerSchema(), EXAMPLES.findEndpointsForScope.ok),
      },
      400: errorResponseDoc(
        "Missing `scope`, an unknown `product`, a bad `method`, `limit` or `cursor`.",
        EXAMPLES.findEndpointsForScope.errors.invalid_request.error,
      ),
      404: errorResponseDoc(
        "`scope_not_found`: the catalog has no such scope; `details.suggestions` names the nearest by spelling, with the same action and resource in other products (`read:workspace:jira` → `read:workspace:bitbucket`) after any name one edit away.",
        EXAMPLES.findEndpointsForScope.errors.scope_not_found.error,
      ),
    }),
    { catalog: true, conditional: true, formats: true },
  ),
);

export const endpoints = new OpenAPIHono<AppEnv>({ defaultHook: validationHook }).openapi(route, (c) => {
  const served = c.get("served");
  // An entry's removal is judged against the request's date (answers/endpoint-view.ts pastRemovalFor): the
  // ETag changes with it, as GET /scopes' does.
  return respond(c, answerReverse(served, c.req.valid("query")), {
    text: reverseText,
    version: datedVersion(served.index.version, served),
  });
});
