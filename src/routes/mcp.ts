/**
 * /mcp: a Model Context Protocol endpoint (streamable HTTP, stateless: a new server and transport per
 * request, JSON answers, no session) exposing the catalog's queries as tools. Setup: docs/integrations.md.
 */
import type { jsonSchemaValidator } from "@modelcontextprotocol/sdk/validation/types.js";
import { Hono } from "hono";
import { ApiError } from "../errors";
import { callApi } from "../integrations/call-api";
import { MCP_INSTRUCTIONS, registerTools } from "../integrations/mcp-tools";
import type { AppEnv } from "./shared";

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
  const [{ McpServer }, { WebStandardStreamableHTTPServerTransport }] = await loadSdk();
  const server = new McpServer(
    { name: "scope-catalog", version: "0.1.0" },
    { instructions: MCP_INSTRUCTIONS, jsonSchemaValidator: noElicitation },
  );
  registerTools(server, (call) => callApi(c, call));
  const transport = new WebStandardStreamableHTTPServerTransport({
    sessionIdGenerator: undefined,
    enableJsonResponse: true,
  });
  await server.connect(transport);
  try {
    return await transport.handleRequest(c.req.raw, { parsedBody: message });
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
