/** The root app: CORS and error handling in one place, one sub-app per resource, the OpenAPI document. */
import "./zod-config";
import { OpenAPIHono } from "@hono/zod-openapi";
import type { MiddlewareHandler } from "hono";
import { cors } from "hono/cors";
import { secureHeaders } from "hono/secure-headers";
import { HTTPException } from "hono/http-exception";
import { LinearRouter } from "hono/router/linear-router";
import { SmartRouter } from "hono/router/smart-router";
import { TrieRouter } from "hono/router/trie-router";
import { FAILURE_STATUS, catalogDamaged } from "./answers/result";
import { ApiError, errorResponse, errorResponseDoc } from "./errors";
import { bodyLimit } from "./middleware/body-limit";
import { credentialGuard } from "./middleware/credential-guard";
import { postRateLimit } from "./middleware/rate-limit";
import { requestId } from "./middleware/request-id";
import { changes, changesAtom } from "./routes/changes";
import { diff } from "./routes/diff";
import { endpoints } from "./routes/endpoints";
import { explain } from "./routes/explain";
import { health } from "./routes/health";
import { mcp, mcpRefusal } from "./routes/mcp";
import { page } from "./routes/page";
import { conditional, errorFormat, failureError, fingerprint } from "./routes/respond";
import { plan } from "./routes/plan";
import { scopes } from "./routes/scopes";
import { BODY_TOO_LARGE, MAX_BODY_BYTES, RATE_LIMITED, withSharedErrors } from "./routes/shared-errors";
import { slack } from "./routes/slack";
import { CorruptValueError } from "./storage/catalog-store";
import type { AppEnv } from "./env";

/** One line per failed request, with its id; the path only, never query values or bodies (they may hold anything). */
const logFailures: MiddlewareHandler<AppEnv> = async function logFailures(c, next) {
  await next();
  if (c.res.status >= 400) {
    // The credential guard withholds a path that holds a secret.
    const line = `${c.get("requestId")} ${c.req.method} ${c.get("loggedPath") ?? c.req.path} ${c.res.status}`;
    if (c.res.status >= 500) console.error(line);
    else console.warn(line);
  }
};

/**
 * Hono's `hono/quick` routers: the default RegExpRouter compiles every route into one expression on an
 * isolate's first request (3–5 ms here for our 48 routes, paid by every fresh isolate); LinearRouter
 * matches them as registered, about 1 µs a request more when warm (docs/benchmarks.md, row 6).
 */
export const app = new OpenAPIHono<AppEnv>({
  router: new SmartRouter({ routers: [new LinearRouter(), new TrieRouter()] }),
});

export { MAX_BODY_BYTES };

app.use("*", requestId);
app.use("*", secureHeaders({ crossOriginResourcePolicy: "cross-origin" }));
// Public answers about public documentation: any page may call them. hono/cors answers preflights;
// other requests get its two headers through c.header, as X-Request-Id is: hono/cors set them on
// `c.res`, which before the handler is a placeholder Response, and Hono then copied the answer into a
// third to carry them over (docs/benchmarks.md, row 4a). Handlers answer through `c` (c.body, c.json,
// c.newResponse), never with a Response of their own, which would leave these headers out.
const CORS_OPTIONS = {
  origin: "*",
  allowMethods: ["GET", "POST", "OPTIONS"],
  allowHeaders: ["Content-Type", "If-None-Match", "Accept", "Mcp-Protocol-Version", "Mcp-Session-Id"],
  exposeHeaders: ["ETag", "X-Request-Id", "Mcp-Session-Id"],
  maxAge: 86400,
};
const preflight = cors(CORS_OPTIONS);
const EXPOSED_HEADERS = CORS_OPTIONS.exposeHeaders.join(",");
app.use("*", async function corsHeaders(c, next) {
  if (c.req.method === "OPTIONS") return preflight(c, next);
  c.header("Access-Control-Allow-Origin", CORS_OPTIONS.origin);
  c.header("Access-Control-Expose-Headers", EXPOSED_HEADERS);
  await next();
});
app.use("*", logFailures);
app.use(
  "*",
  bodyLimit({
    maxSize: MAX_BODY_BYTES,
    onError: () => {
      throw new ApiError(413, BODY_TOO_LARGE.code, BODY_TOO_LARGE.message);
    },
  }),
);
app.use("*", postRateLimit);
// The Slack command answers in Slack's own format; the API calls it makes go through the guard. The page
// (GET /) answers a link holding a credential itself: the page without it and why (routes/page.ts).
app.use("*", async function guardCredentials(c, next) {
  if (c.req.path.startsWith("/integrations/slack/")) return next();
  if (c.req.path === "/" && (c.req.method === "GET" || c.req.method === "HEAD")) return next();
  return credentialGuard(c, next);
});

app.route("/health", health);
app.route("/scopes", scopes);
app.route("/endpoints", endpoints);
app.route("/diff", diff);
app.route("/plan", plan);
app.route("/explain", explain);
app.route("/changes", changes);
app.route("/changes.atom", changesAtom);
app.route("/integrations/slack/command", slack);
app.route("/mcp", mcp);
// Clients configured with a trailing slash reach the same endpoint.
app.route("/mcp/", mcp);
app.route("/", page);

// Not OpenAPIHono routes (the MCP transport and Slack's form posts), so described here by hand.

/** What /mcp answers when it refuses a request it cannot answer by id (MCP clients read JSON-RPC, not the error shape). */
const JsonRpcErrorDoc = app.openAPIRegistry.registerComponent("schemas", "JsonRpcError", {
  type: "object",
  required: ["jsonrpc", "id", "error"],
  properties: {
    jsonrpc: { type: "string", enum: ["2.0"] },
    id: { type: ["string", "number", "null"] },
    error: {
      type: "object",
      required: ["code", "message"],
      properties: {
        code: { type: "integer", description: "JSON-RPC: -32700 not JSON, -32600 invalid request, -32000 refused." },
        message: { type: "string" },
        data: {
          type: "object",
          description: "A refusal by this server: the API's error `code` and HTTP `status`.",
          properties: { code: { type: "string" }, status: { type: "integer" }, details: {} },
        },
      },
    },
  },
});
const jsonRpcError = (description: string, example: { code: number; message: string; data?: object }) => ({
  description,
  content: {
    "application/json": {
      schema: { $ref: JsonRpcErrorDoc.ref.$ref },
      example: { jsonrpc: "2.0", id: null, error: example },
    },
  },
});
const refused = (error: { code: string; message: string }, status: number) => ({
  code: -32000,
  message: error.message,
  data: { code: error.code, status },
});

app.openAPIRegistry.registerPath({
  method: "post",
  path: "/mcp",
  operationId: "mcp",
  summary: "Model Context Protocol endpoint (streamable HTTP, stateless) for AI assistants",
  description:
    "JSON-RPC 2.0 over streamable HTTP. Tools: lookup_scopes, find_endpoints_for_scope, diff_token_scopes, plan_scopes, explain_failure; their input schemas are those of /scopes, /endpoints, /diff, /plan and /explain. Setup: docs/integrations.md. " +
    "A request refused before the tools run (a credential in it, the rate limit) is answered with HTTP 200 and one JSON-RPC error per request id; only a body without request ids gets the HTTP status below.",
  request: {
    body: {
      content: {
        "application/json": { schema: { type: "object", example: { jsonrpc: "2.0", id: 1, method: "tools/list" } } },
      },
    },
  },
  responses: {
    200: {
      description: "The JSON-RPC response (or a list of them, for a batch).",
      content: { "application/json": { schema: { type: ["object", "array"] } } },
    },
    202: { description: "Accepted: the body held only notifications and responses, so there is nothing to answer." },
    400: jsonRpcError("The body is not JSON (-32700), or a refused body without request ids (`data.code`).", {
      code: -32700,
      message: "Parse error: the body is not JSON. Send JSON-RPC messages with an MCP client.",
    }),
    406: jsonRpcError("The client does not accept both application/json and text/event-stream.", {
      code: -32000,
      message: "Not Acceptable: Client must accept both application/json and text/event-stream",
    }),
    413: jsonRpcError(`The body is over ${MAX_BODY_BYTES / 1024} KB.`, refused(BODY_TOO_LARGE, 413)),
    415: jsonRpcError("The body is not sent as application/json.", {
      code: -32000,
      message: "Unsupported Media Type: Content-Type must be application/json",
    }),
    429: jsonRpcError("The POST rate limit, for a body without request ids.", refused(RATE_LIMITED, 429)),
  },
});
app.openAPIRegistry.registerPath(
  withSharedErrors(
    {
      method: "post",
      path: "/integrations/slack/command",
      operationId: "slackCommand",
      summary: "Slack slash command: lookups, diffs, plans and explanations in Block Kit",
      description:
        "Signed by Slack (v0 HMAC-SHA256 with the Worker secret SLACK_SIGNING_SECRET; requests older than 5 minutes refused). Setup: docs/integrations.md.",
      request: {
        body: {
          content: {
            "application/x-www-form-urlencoded": {
              schema: { type: "object", properties: { command: { type: "string" }, text: { type: "string" } } },
            },
          },
        },
      },
    },
    () => ({
      200: {
        description: "An ephemeral Slack message (blocks + text).",
        content: {
          "application/json": {
            schema: {
              type: "object",
              required: ["response_type", "text"],
              properties: { response_type: { type: "string" }, text: { type: "string" }, blocks: { type: "array" } },
            },
          },
        },
      },
      400: errorResponseDoc("`invalid_slack_payload`: a signed form without `command` and `text`.", {
        code: "invalid_slack_payload",
        message: "The payload is not a slash command: it needs the form fields `command` and `text`.",
      }),
      401: errorResponseDoc(
        "`missing_signature`, `invalid_signature`, `invalid_timestamp`, `stale_request` (older than 5 minutes) or `replayed_request`.",
      ),
      415: errorResponseDoc("A signed body that is not a form.", {
        code: "unsupported_media_type",
        message: "A Slack slash command is sent as application/x-www-form-urlencoded.",
      }),
      503: errorResponseDoc("`slack_not_configured`: SLACK_SIGNING_SECRET is not set."),
    }),
    // Slack's own signed posts: no credential guard (the signature is checked instead).
    { post: true, guarded: false },
  ),
);

/** Error codes answered before or beside the answer layer (whose codes are FAILURE_STATUS's reasons). */
const EDGE_ERRORS: Record<string, string> = {
  route_not_found: "404, no such route",
  method_not_allowed: "405, GET or DELETE on /mcp",
  invalid_json: "400, a body that is not JSON",
  bad_request: "400, a body the framework cannot read",
  unsupported_media_type: "415, a POST body of another type",
  body_too_large: "413, a body over 256 KB",
  internal_error: "500, a bug: the log has the request id",
  batch_too_large: "MCP: a JSON-RPC batch over 10 messages",
  missing_signature: "401, Slack: no signature headers",
  invalid_signature: "401, Slack",
  invalid_timestamp: "401, Slack",
  stale_request: "401, Slack: older than 5 minutes",
  replayed_request: "401, Slack: a signature already seen",
  invalid_slack_payload: "400, Slack: not a slash command",
  slack_not_configured: "503, Slack: SLACK_SIGNING_SECRET is not set",
};

const ERROR_CODES = [
  ...Object.entries(FAILURE_STATUS).map(([code, status]) => `\`${code}\` (${status})`),
  ...Object.entries(EDGE_ERRORS).map(([code, when]) => `\`${code}\` (${when})`),
].join(", ");

/**
 * No license has been chosen yet (package.json is private, no LICENSE file): all rights reserved until one is.
 * A `LicenseRef-` identifier is SPDX's form for a license outside its list. A constant, not a literal:
 * the generator's config type is OpenAPI 3.0's, whose License Object lacks 3.1's `identifier`.
 */
const LICENSE = { name: "All rights reserved (no license chosen yet)", identifier: "LicenseRef-All-Rights-Reserved" };

/** Changes only with a deployment: clients may keep it five minutes, then revalidate with its ETag. */
const DOCUMENT_CACHE_CONTROL = "public, max-age=300";

const DOCUMENT: Parameters<typeof app.getOpenAPI31Document>[0] = {
  openapi: "3.1.0",
  info: {
    title: "Scope Catalog",
    version: "0.1.0",
    license: LICENSE,
    description:
      "Which OAuth 2.0 / API-token scopes every Atlassian Cloud REST endpoint needs, scraped daily from Atlassian's published REST documents. " +
      "Every error has the shape `{error: {code, message, details?}}`. Every route answers JSON, or short text lines with `?format=text` or `Accept: text/plain` " +
      "(`?format=markdown` or `Accept: text/markdown` for the same lines marked up). " +
      `Error codes are stable (clients branch on them): ${ERROR_CODES}.`,
  },
  // Relative: the document describes whichever deployment serves it (OpenAPI 3.1 §4.8.5).
  servers: [{ url: "/", description: "The deployment serving this document" }],
  // Public answers about public documentation: no operation takes credentials (the guard refuses them).
  security: [],
};

/**
 * The document is the same for every request of a deployment: generated on the first and then served
 * as built, with an ETag (generating it cost 15–50 ms of CPU a request, and the first one builds the
 * answer schemas). A failure to generate is the app's 500, not a stack in the body.
 */
let openApiDocument: { body: string; etag: string } | undefined;

app.get("/openapi.json", (c) => {
  if (!openApiDocument) {
    const body = JSON.stringify(app.getOpenAPI31Document(DOCUMENT));
    openApiDocument = { body, etag: `"openapi-${fingerprint(body)}"` };
  }
  const notModified = conditional(c, openApiDocument.etag, DOCUMENT_CACHE_CONTROL, undefined);
  if (notModified) return notModified;
  return c.body(openApiDocument.body, 200, { "Content-Type": "application/json" });
});

const ROUTES =
  "GET /scopes?path=..., GET /endpoints?scope=..., POST /diff, POST /plan, POST /explain, GET /changes, GET /changes.atom, GET /health, GET /openapi.json, / (web page), POST /mcp, POST /integrations/slack/command";

app.notFound((c) =>
  errorResponse(c, new ApiError(404, "route_not_found", `No route ${c.req.method} ${c.req.path}. Routes: ${ROUTES}.`)),
);

/** MCP clients read JSON-RPC only: a POST /mcp refused by the middleware, or failing, answers JSON-RPC errors. */
const isMcpPost = (c: { req: { method: string; path: string } }) =>
  c.req.method === "POST" && (c.req.path === "/mcp" || c.req.path === "/mcp/");

app.onError((error, c) => {
  if (error instanceof ApiError) return isMcpPost(c) ? mcpRefusal(c, error) : errorResponse(c, error, errorFormat(c));
  if (error instanceof HTTPException && error.status < 500) {
    // Hono's validators throw these for bodies that do not parse.
    const malformed = /JSON/i.test(error.message);
    return errorResponse(
      c,
      new ApiError(
        error.status,
        malformed ? "invalid_json" : "bad_request",
        malformed
          ? 'The request body is not valid JSON. Send a JSON object such as {"scopes": ["read:jira-work"], "path": "/rest/api/3/myself"}.'
          : error.message,
      ),
      errorFormat(c),
    );
  }
  if (error instanceof CorruptValueError) {
    // A stored part of a shard failed its check when first read: the cache has stopped serving the shard.
    console.error(`${c.get("requestId")} ${error.message}`);
    const unavailable = failureError(catalogDamaged());
    return isMcpPost(c) ? mcpRefusal(c, unavailable) : errorResponse(c, unavailable, errorFormat(c));
  }
  // Never a stack trace to the client; the log says what happened (never the query or the body).
  console.error(
    `${c.get("requestId")} unhandled error on ${c.req.method} ${c.req.path}: ${error instanceof Error ? error.message : String(error)}`,
  );
  const internal = new ApiError(500, "internal_error", "Something went wrong on our side. Please try again.");
  return isMcpPost(c) ? mcpRefusal(c, internal) : errorResponse(c, internal, errorFormat(c));
});
