/** The root app: error handling in one place, one sub-app per resource, the OpenAPI document. */
import { OpenAPIHono } from "@hono/zod-openapi";
import { ApiError, errorResponse } from "./errors";
import { health } from "./routes/health";

export const app = new OpenAPIHono<{ Bindings: Env }>();

app.route("/health", health);

app.doc31("/openapi.json", {
  openapi: "3.1.0",
  info: {
    title: "Scope Catalog",
    version: "0.1.0",
    description:
      "Which OAuth 2.0 / API-token scopes every Atlassian Cloud REST endpoint needs, scraped daily from Atlassian's published REST documents. Every error has the shape `{error: {code, message, details?}}`.",
  },
});

app.notFound((c) =>
  errorResponse(c, new ApiError(404, "route_not_found", `No route ${c.req.method} ${c.req.path}. Try GET /health or GET /openapi.json.`)),
);

app.onError((error, c) => {
  if (error instanceof ApiError) return errorResponse(c, error);
  // Never a stack trace to the client; the log says what happened.
  console.error(`unhandled error on ${c.req.method} ${c.req.path}: ${error instanceof Error ? error.message : String(error)}`);
  return errorResponse(c, new ApiError(500, "internal_error", "Something went wrong on our side. Please try again."));
});
