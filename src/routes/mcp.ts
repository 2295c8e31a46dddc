/**
 * /mcp: a Model Context Protocol endpoint (streamable HTTP, stateless: a new server and transport per
 * request, JSON answers, no session) exposing the catalog's queries as tools. Setup: docs/integrations.md.
 */
import type { jsonSchemaValidator } from "@modelcontextprotocol/sdk/validation/types.js";
import type { Context } from "hono";
import { Hono } from "hono";
import { ApiError } from "../errors";
import { ask } from "../integrations/ask";
import { callBudget, MAX_MESSAGES_PER_POST } from "../integrations/mcp-budget";
import { MCP_INSTRUCTIONS, registerTools } from "../integrations/mcp-tools";
import { postCounter } from "../middleware/rate-limit";
import { findSecretDecoded } from "../middleware/secret-scan";
import type { AppEnv } from "../env";
import { catalogFor } from "../storage/served";

/**
 * The server validates JSON Schemas only for elicitation, which these tools never use; this stands in
 * for the default Ajv validator, which would be built on every request (and compiles with `new Function`).
 */
const noElicitation: jsonSchemaValidator = {
  getValidator: () => () => ({
    valid: false,
    data: undefined,
    errorMessage: "This server does not validate elicitation answers.",
  }),
};

/**
 * The SDK (hundreds of zod schemas built when it loads) is loaded on the first /mcp request, so that
 * isolates answering only the other routes never pay for it.
 */
let sdk:
  | Promise<
      [
        typeof import("@modelcontextprotocol/sdk/server/mcp.js"),
        typeof import("@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js"),
      ]
    >
  | undefined;
const loadSdk = () =>
  (sdk ??= Promise.all([
    import("@modelcontextprotocol/sdk/server/mcp.js"),
    import("@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js"),
  ]));

export const mcp = new Hono<AppEnv>();

mcp.post("/", async (c) => {
  let message: unknown;
  try {
    // Read once: the credential guard has read the body already (Hono caches it), so the transport gets it parsed.
    message = JSON.parse(await c.req.text());
  } catch {
    return c.json(
      {
        jsonrpc: "2.0",
        error: {
          code: -32700,
          message: "Parse error: the body is not JSON. Send JSON-RPC messages with an MCP client.",
        },
        id: null,
      },
      400,
    );
  }
  if (Array.isArray(message) && message.length > MAX_MESSAGES_PER_POST)
    return rpcErrors(
      c,
      message,
      new ApiError(
        400,
        "batch_too_large",
        `A batch of ${message.length} JSON-RPC messages: at most ${MAX_MESSAGES_PER_POST} per request. Send fewer at a time (MCP 2025-06-18 and later send one message per request).`,
      ),
      -32600,
    );
  const [{ McpServer }, { WebStandardStreamableHTTPServerTransport }] = await loadSdk();
  const server = new McpServer(
    { name: "scope-catalog", version: "0.1.0" },
    { instructions: MCP_INSTRUCTIONS, jsonSchemaValidator: noElicitation },
  );
  const admit = callBudget(postCounter(c));
  const catalog = () => catalogFor(c.env.CATALOG);
  registerTools(server, async (question) => (await admit(question)) ?? ask(catalog, question));
  // The SDK advertises tools.listChanged once a tool is registered; a stateless server can never notify.
  server.server.registerCapabilities({ tools: { listChanged: false } });
  const transport = new WebStandardStreamableHTTPServerTransport({
    sessionIdGenerator: undefined,
    enableJsonResponse: true,
  });
  await server.connect(transport);
  try {
    // Through `c`, so that the headers every answer carries (X-Request-Id, CORS: app.ts) are added.
    const answer = await transport.handleRequest(c.req.raw, { parsedBody: message });
    return c.newResponse(answer.body, answer);
  } finally {
    await server.close();
  }
});

mcp.all("/", (c) => {
  // No server-initiated stream (GET) and no session to end (DELETE) in stateless mode; clients treat 405 as "none".
  c.header("Allow", "POST");
  throw new ApiError(
    405,
    "method_not_allowed",
    `${c.req.method} /mcp: this is a Model Context Protocol endpoint (streamable HTTP, stateless). POST JSON-RPC messages to it with an MCP client; setup in docs/integrations.md.`,
  );
});

/** JSON-RPC's "server error" range (-32000 to -32099): a refusal by this server, its reason in `data.code`. */
const SERVER_ERROR = -32000;

/** The requests (messages with a method and an id) among the parsed body's messages. */
function requestsOf(message: unknown): { id: string | number; method: string }[] {
  const messages: unknown[] = Array.isArray(message) ? message : [message];
  return messages.flatMap((item) => {
    const { method, id } = (item ?? {}) as { method?: unknown; id?: unknown };
    return typeof method === "string" && (typeof id === "string" || typeof id === "number") ? [{ id, method }] : [];
  });
}

/**
 * Refusals a tool call answers as its result (`isError`), which the model reads, rather than as a
 * JSON-RPC error, which clients often show only as a failed call: the fix is the model's to make.
 */
const TOOL_RESULT_REFUSALS: ReadonlySet<string> = new Set(["credential_detected"]);

/**
 * One JSON-RPC error per request in the body, with HTTP 200: an MCP client (the SDK's) then rejects each
 * pending call with an McpError holding the message, instead of failing its transport; a tool call
 * refused for what its arguments hold (TOOL_RESULT_REFUSALS) gets a tool result with `isError` instead. Without a
 * request to answer (only notifications, or a body not read), the HTTP status and `id: null`, as the
 * SDK's own transport answers a body it cannot read.
 */
function rpcErrors(c: Context, message: unknown, error: ApiError, code = SERVER_ERROR): Response {
  const rpcError = (id: string | number | null) => ({
    jsonrpc: "2.0" as const,
    id,
    error: {
      code,
      message: error.message,
      data: {
        code: error.code,
        status: error.status,
        ...(error.details === undefined ? {} : { details: error.details }),
      },
    },
  });
  const toolResult = (id: string | number | null) => ({
    jsonrpc: "2.0" as const,
    id,
    result: {
      content: [{ type: "text", text: `${error.message}\n(error ${error.code}, HTTP ${error.status})` }],
      isError: true,
    },
  });
  const answer = ({ id, method }: { id: string | number | null; method: string }) =>
    method === "tools/call" && TOOL_RESULT_REFUSALS.has(error.code) ? toolResult(id) : rpcError(id);
  // A credential in an id is not echoed back with it: that request is answered without its id.
  const requests = requestsOf(message).map((request) =>
    error.code === "credential_detected" && findSecretDecoded(String(request.id), false)
      ? { ...request, id: null }
      : request,
  );
  if (requests.length === 0) return c.json(rpcError(null), error.status);
  // Answered with 200, so the failure log in app.ts does not see it: said here, without the body.
  console.warn(`${c.get("requestId")} POST /mcp ${error.status} ${error.code}, as JSON-RPC answers`);
  return c.json(Array.isArray(message) ? requests.map(answer) : answer(requests[0]!), 200);
}

/**
 * A refusal of POST /mcp before the route (credential guard, rate limit, body limit) or an unhandled
 * error in it, as JSON-RPC errors rather than the API's error shape, which MCP clients cannot read.
 */
export async function mcpRefusal(c: Context, error: ApiError): Promise<Response> {
  let message: unknown;
  // A body over the limit was not kept; any other one is within it (and cached when read already).
  if (error.status !== 413) {
    try {
      message = JSON.parse(await c.req.text());
    } catch {
      // Not JSON, or not readable: no request to answer by id.
    }
  }
  return rpcErrors(c, message, error);
}
