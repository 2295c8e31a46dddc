/** The root app: CORS and error handling in one place, one sub-app per resource, the OpenAPI document. */
import { OpenAPIHono } from "@hono/zod-openapi";
import { cors } from "hono/cors";
import { HTTPException } from "hono/http-exception";
import { ApiError, errorResponse } from "./errors";
import { diff } from "./routes/diff";
import { endpoints } from "./routes/endpoints";
import { explain } from "./routes/explain";
import { health } from "./routes/health";
import { plan } from "./routes/plan";
import { scopes } from "./routes/scopes";
import type { AppEnv } from "./routes/shared";

export const app = new OpenAPIHono<AppEnv>();

// Public, read-only answers about public documentation: any page may call them.
app.use("*", cors({ origin: "*", allowMethods: ["GET", "POST", "OPTIONS"], allowHeaders: ["Content-Type", "If-None-Match"], exposeHeaders: ["ETag"], maxAge: 86400 }));

app.route("/health", health);
app.route("/scopes", scopes);
app.route("/endpoints", endpoints);
app.route("/diff", diff);
app.route("/plan", plan);
app.route("/explain", explain);

app.doc31("/openapi.json", {
  openapi: "3.1.0",
  info: {
    title: "Scope Catalog",
    version: "0.1.0",
    description:
      "Which OAuth 2.0 / API-token scopes every Atlassian Cloud REST endpoint needs, scraped daily from Atlassian's published REST documents. " +
      "Every error has the shape `{error: {code, message, details?}}`. Every route answers JSON, or short text lines with `?format=text` or `Accept: text/plain`.",
  },
});

const ROUTES = "GET /scopes?path=..., GET /endpoints?scope=..., POST /diff, POST /plan, POST /explain, GET /health, GET /openapi.json";

app.notFound((c) => errorResponse(c, new ApiError(404, "route_not_found", `No route ${c.req.method} ${c.req.path}. Routes: ${ROUTES}.`)));

app.onError((error, c) => {
  if (error instanceof ApiError) return errorResponse(c, error);
  if (error instanceof HTTPException && error.status < 500) {
    // Hono's validators throw these for bodies that do not parse.
    const malformed = /JSON/i.test(error.message);
    return errorResponse(
      c,
      new ApiError(error.status, malformed ? "invalid_json" : "bad_request", malformed ? "The request body is not valid JSON. Send a JSON object such as {\"scopes\": [\"read:jira-work\"], \"path\": \"/rest/api/3/myself\"}." : error.message),
    );
  }
  // Never a stack trace to the client; the log says what happened.
  console.error(`unhandled error on ${c.req.method} ${c.req.path}: ${error instanceof Error ? error.message : String(error)}`);
  return errorResponse(c, new ApiError(500, "internal_error", "Something went wrong on our side. Please try again."));
});
