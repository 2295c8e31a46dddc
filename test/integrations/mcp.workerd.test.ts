/**
 * /mcp inside workerd, through the MCP SDK's own client (Client + StreamableHTTPClientTransport) whose
 * fetch is routed to the worker: tools listed with their input schemas, each tool called on the real
 * bundled catalog, API errors as tool errors, bad arguments, and the HTTP edges (no 500 anywhere).
 */
import { BOARD_GATEWAY_URL, ORIGIN, expectError, resetCatalogCache, type Json } from "../helpers/worker";
import { exports } from "cloudflare:workers";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ATLASSIAN_ERROR_TEXTS } from "../fixtures/atlassian-errors";

const MCP_URL = `${ORIGIN}/mcp`;
const TOOLS = ["lookup_scopes", "find_endpoints_for_scope", "diff_token_scopes", "plan_scopes", "explain_failure"];

/** Every HTTP request the client makes, with the status it got. */
const exchanges: { method: string; status: number }[] = [];

async function workerFetch(input: string | URL | Request, init?: RequestInit): Promise<Response> {
  const request = new Request(input, init);
  const response = await exports.default.fetch(request);
  exchanges.push({ method: request.method, status: response.status });
  return response;
}

let client: Client;

beforeAll(async () => {
  resetCatalogCache();
  // The first request loads the bundled catalog, which takes seconds in the test pool.
  await (await exports.default.fetch(new Request(`${ORIGIN}/scopes?path=/rest/agile/1.0/board`))).text();
  client = new Client({ name: "scope-catalog-test", version: "1.0.0" });
  await client.connect(new StreamableHTTPClientTransport(new URL(MCP_URL), { fetch: workerFetch }));
}, 60_000);

afterAll(async () => {
  await client?.close();
  // Nothing the client sent got a 5xx.
  expect(exchanges.length).toBeGreaterThan(0);
  expect(exchanges.filter((exchange) => exchange.status >= 500)).toEqual([]);
});

async function call(name: string, args: Record<string, unknown>): Promise<{ text: string; isError: boolean }> {
  const result = (await client.callTool({ name, arguments: args })) as CallToolResult;
  expect(result.content).toHaveLength(1);
  const [content] = result.content;
  expect(content?.type).toBe("text");
  return { text: (content as { text: string }).text, isError: result.isError === true };
}

async function ok(name: string, args: Record<string, unknown>): Promise<string> {
  const result = await call(name, args);
  expect(result.isError, result.text).toBe(false);
  return result.text;
}

async function toolError(name: string, args: Record<string, unknown>): Promise<string> {
  const result = await call(name, args);
  expect(result.isError, result.text).toBe(true);
  return result.text;
}

describe("MCP: the server and its tools", () => {
  it("introduces itself, with instructions for assistants", () => {
    expect(client.getServerVersion()).toMatchObject({ name: "scope-catalog" });
    expect(client.getServerCapabilities()?.tools).toBeDefined();
    expect(client.getInstructions()).toContain("explain_failure");
  });

  it("lists the five tools, each with a description, read-only annotations and an input schema", async () => {
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name).sort()).toEqual([...TOOLS].sort());
    for (const tool of tools) {
      expect(tool.description!.length, tool.name).toBeGreaterThan(150);
      expect(tool.annotations).toMatchObject({ readOnlyHint: true, destructiveHint: false });
      expect(tool.inputSchema.type).toBe("object");
      const properties = tool.inputSchema.properties as Record<string, Json>;
      expect(properties.format, `${tool.name} has no format argument`).toBeUndefined();
      for (const [name, property] of Object.entries(properties))
        expect(property.description, `${tool.name}.${name}`).toEqual(expect.any(String));
    }
  });

  it("takes its input schemas from the routes' zod schemas (their rules, limits and enums)", async () => {
    const { tools } = await client.listTools();
    const schema = (name: string) => tools.find((tool) => tool.name === name)!.inputSchema as Json;
    expect(schema("lookup_scopes").required).toEqual(["path"]);
    expect(Object.keys(schema("lookup_scopes").properties).sort()).toEqual(["context", "credential", "method", "path"]);
    expect(schema("lookup_scopes").properties.context.enum).toEqual(["forge"]);
    expect(schema("lookup_scopes").properties.path).toMatchObject({ type: "string", minLength: 1 });

    const endpoints = schema("find_endpoints_for_scope");
    expect(endpoints.required).toEqual(["scope"]);
    expect(endpoints.properties.scope).toMatchObject({ type: "string", minLength: 1, maxLength: 200 });
    expect(endpoints.properties.product.enum).toEqual([
      "jira",
      "jira-software",
      "jira-service-management",
      "assets",
      "confluence",
      "bitbucket",
      "platform",
    ]);
    expect(endpoints.properties.limit).toMatchObject({ minimum: 1, maximum: 500 });

    const diff = schema("diff_token_scopes");
    expect(diff.required).toEqual(["scopes"]);
    expect(diff.properties.scopes.anyOf).toHaveLength(4);
    expect(diff.properties.endpoints).toMatchObject({ type: "array", maxItems: 1000 });

    const plan = schema("plan_scopes");
    expect(Object.keys(plan.properties).sort()).toEqual(["credential", "endpoints", "maxScopes", "prefer", "text"]);
    expect(plan.properties.prefer.enum).toEqual(["fewest", "granular", "classic"]);
    // Every tool that proposes scopes takes the credential, described for the assistant.
    for (const name of ["lookup_scopes", "diff_token_scopes", "plan_scopes", "explain_failure"])
      expect(schema(name).properties.credential).toMatchObject({
        type: "string",
        description: expect.stringContaining("bitbucket-api-token"),
      });

    const explain = schema("explain_failure");
    expect(explain.required).toEqual(["method", "url", "status"]);
    expect(explain.properties.status).toMatchObject({ type: "integer", minimum: 100, maximum: 599 });
  });
});

describe("MCP: each tool on the real catalog", () => {
  it("lookup_scopes: the board needs read:board-scope:jira-software + read:project:jira", async () => {
    const text = await ok("lookup_scopes", { path: BOARD_GATEWAY_URL, method: "GET" });
    expect(text).toContain("GET /rest/agile/1.0/board  [jira-software] Get all boards");
    expect(text).toContain("needs: read:board-scope:jira-software + read:project:jira  (granular, Current)");
    expect(text).toContain(
      "docs: https://developer.atlassian.com/cloud/jira/software/rest/api-group-board/#api-rest-agile-1-0-board-get",
    );
    expect(text).not.toContain("POST /rest/agile/1.0/board");
    expect(text).toMatch(/\ncatalog \S+\n$/);
    // Without a method: every method of the path.
    expect(await ok("lookup_scopes", { path: "/rest/agile/1.0/board" })).toContain(
      "POST /rest/agile/1.0/board  [jira-software] Create board",
    );
  });

  it("find_endpoints_for_scope: a product in any case is read as its id, as on GET /endpoints", async () => {
    const args = { scope: "read:pullrequest:bitbucket", method: "GET", limit: 2 };
    const lower = await ok("find_endpoints_for_scope", { ...args, product: "bitbucket" });
    expect(await ok("find_endpoints_for_scope", { ...args, product: "Bitbucket" })).toBe(lower);
    expect(await toolError("find_endpoints_for_scope", { ...args, product: "bitbuckt" })).toContain(
      "did you mean bitbucket?",
    );
  });

  it("find_endpoints_for_scope: what read:board-scope:jira-software unlocks, page by page", async () => {
    const first = await ok("find_endpoints_for_scope", { scope: "read:board-scope:jira-software", limit: 4 });
    expect(first).toContain("read:board-scope:jira-software (granular, jira-software)");
    expect(first).toContain("GET /rest/agile/1.0/board  [jira-software]  with read:project:jira");
    const cursor = /more: add &cursor=(\S+)/.exec(first)?.[1];
    expect(cursor).toBeDefined();
    const second = await ok("find_endpoints_for_scope", { scope: "read:board-scope:jira-software", limit: 4, cursor });
    expect(second).toMatch(/showing 5-8/);
    expect(second).not.toContain("GET /rest/agile/1.0/board  [jira-software]");
    expect(
      await ok("find_endpoints_for_scope", {
        scope: "read:pullrequest:bitbucket",
        product: "bitbucket",
        method: "GET",
        limit: 2,
      }),
    ).toContain("[bitbucket]");
  });

  it("diff_token_scopes: the mission case lacks read:project:jira", async () => {
    const text = await ok("diff_token_scopes", {
      scopes: ["read:board-scope.admin:jira-software", "read:board-scope:jira-software"],
      method: "GET",
      path: BOARD_GATEWAY_URL,
    });
    expect(text).toContain("MISSING GET /rest/agile/1.0/board  add read:project:jira");
    expect(text).toContain("unused: read:board-scope.admin:jira-software");
  });

  it("diff_token_scopes: several endpoints, scopes as one string, and what a token can call", async () => {
    const text = await ok("diff_token_scopes", {
      scopes: "read:board-scope.admin:jira-software read:jira-work",
      endpoints: [
        "GET /rest/agile/1.0/board",
        { method: "GET", path: "https://acme.atlassian.net/rest/api/3/issue/ABC-1" },
      ],
    });
    expect(text).toContain("MISSING GET /rest/agile/1.0/board  add read:board-scope:jira-software + read:project:jira");
    expect(text).toContain("OK      GET /rest/api/3/issue/{issueIdOrKey}  via read:jira-work");
    expect(text).toContain(
      "hint: `read:board-scope.admin:jira-software` does not stand in for `read:board-scope:jira-software`",
    );
    expect(await ok("diff_token_scopes", { scopes: ["read:pullrequest:bitbucket"], limit: 3 })).toMatch(
      /can call \d+ endpoints: bitbucket \d+/,
    );
  });

  it("plan_scopes: the smallest set for a list of calls", async () => {
    const text = await ok("plan_scopes", {
      endpoints: [`GET ${BOARD_GATEWAY_URL}`, { method: "POST", path: "/rest/api/3/issue" }],
    });
    expect(text).toMatch(/^\d+ scopes \(the smallest set\), within the 50-scope cap:/);
    expect(text).toContain(
      "GET /rest/agile/1.0/board  <- read:board-scope:jira-software + read:project:jira (granular)",
    );
    expect(text).toContain("POST /rest/api/3/issue");
    const split = await ok("plan_scopes", {
      text: "GET /rest/agile/1.0/board\nPOST /rest/api/3/issue",
      maxScopes: 1,
      prefer: "granular",
    });
    expect(split).toContain("over the 1-scope cap");
  });

  it("explain_failure: Atlassian's own error texts are explained, not refused as credentials", async () => {
    for (const body of ATLASSIAN_ERROR_TEXTS) {
      const text = await ok("explain_failure", { method: "GET", url: BOARD_GATEWAY_URL, status: 401, body });
      expect(text).toMatch(/^1\. \[/);
    }
  });

  it("explain_failure: why GET board got 401", async () => {
    const text = await ok("explain_failure", {
      method: "GET",
      url: BOARD_GATEWAY_URL,
      status: 401,
      body: { code: 401, message: "Unauthorized; scope does not match" },
      scopes: ["read:board-scope.admin:jira-software", "read:board-scope:jira-software"],
    });
    expect(text).toMatch(/^1\. \[missing_scopes\]/);
    expect(text).toContain("read:project:jira");
    expect(text).toContain("   fix: ");
    const wrongHost = await ok("explain_failure", {
      method: "GET",
      url: "https://acme.atlassian.net/rest/agile/1.0/board",
      status: 401,
      body: "Unauthorized; scope does not match",
    });
    expect(wrongHost).toContain("[wrong_host]");
  });
});

describe("MCP: what assistants really send", () => {
  it("explain_failure takes the status as a string of three digits, as assistants often send it", async () => {
    const text = await ok("explain_failure", {
      method: "GET",
      url: "https://api.atlassian.com/ex/jira/x/rest/agile/1.0/board",
      status: "401",
      scopes: "read:board-scope:jira-software",
    });
    expect(text).toContain("[missing_scopes]");
    expect(await toolError("explain_failure", { method: "GET", url: "/x", status: "four-oh-one" })).toContain(
      "`status` must be an HTTP status such as 401",
    );
  });

  it("lookup_scopes: a Jira issue link is answered with GET /rest/api/3/issue/{issueIdOrKey}, and a Forge app is told requestJira's path", async () => {
    const text = await ok("lookup_scopes", { path: "https://acme.atlassian.net/browse/ABC-1", context: "forge" });
    expect(text).toContain("GET /rest/api/3/issue/{issueIdOrKey}  [jira]");
    expect(text).toContain("note: /browse/{issueKey} is a page in the browser, not a REST endpoint;");
    expect(text).toContain("note: A Forge app calls this with requestJira(route`/rest/api/3/issue/ABC-1`)");
    expect(text).not.toContain("/ex/");
  });

  it('lookup_scopes reads the method off a pasted "GET /path", and refuses two different methods', async () => {
    const text = await ok("lookup_scopes", { path: "GET /rest/agile/1.0/board" });
    expect(text).toMatch(/^GET \/rest\/agile\/1\.0\/board /);
    expect(text).not.toContain("POST /rest/agile/1.0/board");
    expect(await toolError("lookup_scopes", { path: "GET /rest/agile/1.0/board", method: "POST" })).toContain(
      "POST and GET are both given as the method of /rest/agile/1.0/board: give one (`GET /rest/agile/1.0/board`).",
    );
  });

  it("lookup_scopes reads a method after the URL, and a curl command, as the method", async () => {
    // "/rest/api/3/issue/ABC-1 PUT" answered Get issue: PUT was read into {issueIdOrKey}.
    expect(await ok("lookup_scopes", { path: "/rest/api/3/issue/ABC-1 PUT" })).toMatch(
      /^PUT \/rest\/api\/3\/issue\/\{issueIdOrKey\} /,
    );
    expect(
      await ok("lookup_scopes", { path: "curl -X DELETE https://acme.atlassian.net/rest/api/3/issue/ABC-1" }),
    ).toMatch(/^DELETE \/rest\/api\/3\/issue\/\{issueIdOrKey\} /);
    expect(await toolError("lookup_scopes", { path: "GET /rest/api/3/issue/ABC-1 DELETE" })).toContain(
      "(error invalid_request, HTTP 400)",
    );
  });

  it("plan_scopes whose endpoints all match nothing is a tool error, not an empty plan", async () => {
    const text = await toolError("plan_scopes", { endpoints: ["GET /rest/agile/1.0/bord", "GET /nope"] });
    expect(text).toContain("None of the 2 endpoints given matched the catalog, so there is nothing to plan.");
    expect(text).toContain("Nearest: /rest/agile/1.0/board");
    expect(text).toContain("(error endpoint_not_found, HTTP 404)");
  });

  it("does not advertise tools.listChanged: a stateless server cannot notify", () => {
    expect(client.getServerCapabilities()?.tools?.listChanged).not.toBe(true);
  });
});

describe("MCP: errors", () => {
  it("an unknown path is a tool error with the API's message and the nearest paths", async () => {
    const text = await toolError("lookup_scopes", { path: "/rest/agile/1.0/boards", method: "GET" });
    expect(text).toContain(
      "No Atlassian Cloud endpoint in the catalog matches /rest/agile/1.0/boards. Check the path against the suggestions",
    );
    expect(text).toContain("Nearest: /rest/agile/1.0/board,");
    expect(text).toContain("(error endpoint_not_found, HTTP 404)");
  });

  it("an unknown scope: the message's 'Did you mean' is not repeated; other near names are 'Also near'", async () => {
    const text = await toolError("find_endpoints_for_scope", { scope: "read:jira-wrok" });
    expect(text).toContain(
      "Did you mean read:jira-work?\nAlso near: read:jira-user\n(error scope_not_found, HTTP 404)",
    );
  });

  it("a removed endpoint is a tool error naming the replacement and its scopes, never another method", async () => {
    const text = await toolError("lookup_scopes", { path: "/wiki/rest/api/space", method: "GET" });
    expect(text).toContain("Call GET /wiki/api/v2/spaces instead, which needs read:space:confluence (granular).");
    expect(text).toContain("(error endpoint_removed, HTTP 410)");
    expect(text).not.toContain("takes POST");
    const diff = await ok("diff_token_scopes", {
      scopes: ["read:space:confluence"],
      path: "/wiki/rest/api/space",
      method: "GET",
    });
    expect(diff).toContain(
      "REMOVED GET /wiki/rest/api/space: GET /wiki/rest/api/space was removed by Atlassian on 2024-01-01",
    );
    expect(diff).toContain("        instead: OK      GET /wiki/api/v2/spaces  via read:space:confluence");
  });

  it("a wrong method, an unknown scope and a bad cursor are tool errors with the API's messages", async () => {
    expect(await toolError("lookup_scopes", { path: "/rest/agile/1.0/board", method: "PATCH" })).toContain(
      "/rest/agile/1.0/board exists, but not with PATCH; it takes GET, POST.",
    );
    expect(await toolError("find_endpoints_for_scope", { scope: "read:board-scope:jira" })).toContain(
      "Did you mean read:board-scope:jira-software?",
    );
    expect(await toolError("find_endpoints_for_scope", { scope: "read:jira-work", cursor: "nope" })).toContain(
      "(error invalid_cursor, HTTP 400)",
    );
    const past = await toolError("find_endpoints_for_scope", { scope: "read:jira-user", cursor: "bzoxMDAwMDAw" });
    expect(past).toContain("`cursor` points past the end of the");
    expect(past).toContain("(error invalid_cursor, HTTP 400)");
    const noEndpoints = await toolError("plan_scopes", {});
    expect(noEndpoints).toContain("(error no_endpoints, HTTP 400)");
    // The tool takes no `har` (the API does): the message names only what it takes.
    expect(noEndpoints).toContain("`endpoints`");
    expect(noEndpoints).not.toContain("har");
    expect(await toolError("diff_token_scopes", { scopes: ["read:jira-work"], cursor: "nope" })).toContain(
      "`cursor` is not one this API gave out",
    );
  });

  it("arguments that break the schema are tool errors, with the route's own messages", async () => {
    const missing = await toolError("lookup_scopes", {});
    expect(missing).toContain("Input validation error");
    expect(missing).toContain("`path` is required");
    expect(await toolError("lookup_scopes", { path: "" })).toContain("`path` is empty");
    expect(await toolError("find_endpoints_for_scope", { scope: "read:jira-work", limit: 0 })).toContain(
      "`limit` must be a whole number from 1 to 500",
    );
    expect(await toolError("plan_scopes", { endpoints: ["GET /rest/api/3/myself"], maxScopes: 0 })).toContain(
      "`maxScopes` must be a whole number from 1 to 500",
    );
    expect(await toolError("find_endpoints_for_scope", { scope: "read:jira-work", product: "jira-core" })).toContain(
      "Input validation error",
    );
    expect(await toolError("diff_token_scopes", { scopes: 42, path: "/rest/api/3/myself" })).toContain(
      "`scopes` must be a list of scope names",
    );
    expect(await toolError("explain_failure", { method: "GET", url: "/x", status: "401x" })).toContain(
      "Input validation error",
    );
    expect(await toolError("explain_failure", { method: "GET", url: "/x", status: 99 })).toContain(
      "`status` must be an HTTP status from 100 to 599",
    );
    expect(await toolError("plan_scopes", { endpoints: ["GET /x"], prefer: "cheapest" })).toContain(
      "Input validation error",
    );
  });

  it("an unknown tool is an error, not a crash", async () => {
    const result = await call("drop_tables", {});
    expect(result.isError).toBe(true);
    expect(result.text).toContain("Tool drop_tables not found");
  });
});

describe("/mcp over plain HTTP", () => {
  const post = (
    body: string,
    headers: Record<string, string> = {
      "content-type": "application/json",
      accept: "application/json, text/event-stream",
    },
  ) => exports.default.fetch(new Request(MCP_URL, { method: "POST", headers, body }));
  const initialize = JSON.stringify({
    jsonrpc: "2.0",
    id: 1,
    method: "initialize",
    params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "curl", version: "0" } },
  });

  it("answers a JSON-RPC request with JSON and no session (stateless)", async () => {
    const response = await post(initialize);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^application\/json/);
    expect(response.headers.get("mcp-session-id")).toBeNull();
    const body = await response.json<Json>();
    expect(body).toMatchObject({ jsonrpc: "2.0", id: 1, result: { serverInfo: { name: "scope-catalog" } } });
  });

  it("answers on /mcp/ too (clients configured with a trailing slash)", async () => {
    const response = await exports.default.fetch(
      new Request(`${MCP_URL}/`, {
        method: "POST",
        headers: { "content-type": "application/json", accept: "application/json, text/event-stream" },
        body: initialize,
      }),
    );
    expect(response.status).toBe(200);
    expect(await response.json<Json>()).toMatchObject({ id: 1, result: { serverInfo: { name: "scope-catalog" } } });
  });

  it("tools/call works without initializing first (each request stands alone)", async () => {
    const response = await post(
      JSON.stringify({
        jsonrpc: "2.0",
        id: 7,
        method: "tools/call",
        params: { name: "lookup_scopes", arguments: { path: "/rest/agile/1.0/board", method: "GET" } },
      }),
      {
        "content-type": "application/json",
        accept: "application/json, text/event-stream",
        "mcp-protocol-version": "2025-06-18",
      },
    );
    const body = await response.json<Json>();
    expect(body.id).toBe(7);
    expect(body.result.content[0].text).toContain("needs: read:board-scope:jira-software + read:project:jira");
  });

  it("a percent-encoded token beside an invalid escape is refused, never echoed (the guard's %zz bypass)", async () => {
    // Fake, assembled at run time; every character percent-encoded.
    const token = `AT${"ATT"}3xFfGF0${"A1b2C3d4E5f6G7h8".repeat(2)}`;
    const encoded = [...token].map((char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`).join("");
    const response = await post(
      JSON.stringify({
        jsonrpc: "2.0",
        id: 8,
        method: "tools/call",
        params: { name: "lookup_scopes", arguments: { path: `/rest/api/3/${encoded}?x=%zz`, method: "GET" } },
      }),
    );
    const text = await response.text();
    // Refused before the MCP server, but answered for the call's id as its result, an error the model reads.
    expect(response.status).toBe(200);
    const answer = JSON.parse(text) as { id: number; result: { isError: boolean; content: { text: string }[] } };
    expect(answer.id).toBe(8);
    expect(answer.result.isError).toBe(true);
    expect(answer.result.content[0]?.text).toContain("(error credential_detected, HTTP 400)");
    expect(text).not.toContain(token);
    expect(text).not.toContain(encoded);
  });

  it("refuses a password in a URL's userinfo, never echoing it", async () => {
    // Was answered, the password echoed in the lookup's `query.path`.
    const password = `hunter2${"secret"}`;
    // Refused by the HTTP guard before the tool runs, answered as the tool's error result.
    const refused = await call("lookup_scopes", {
      path: `https://bob:${password}@acme.atlassian.net/rest/api/3/myself`,
    });
    expect(refused.isError).toBe(true);
    expect(refused.text).toContain("The request seems to contain a password in a URL (user:password@).");
    expect(refused.text).not.toContain(password);
  });

  it("GET and DELETE answer 405 (no server stream, no session), in the error shape", async () => {
    for (const method of ["GET", "DELETE"]) {
      const response = await exports.default.fetch(
        new Request(MCP_URL, { method, headers: { accept: "text/event-stream" } }),
      );
      expect(response.headers.get("allow")).toBe("POST");
      const error = await expectError(response, 405, "method_not_allowed");
      expect(error.message).toContain("Model Context Protocol");
    }
    await expectError(await exports.default.fetch(new Request(MCP_URL)), 405, "method_not_allowed");
  });

  it("a body that is not JSON is a JSON-RPC parse error, not a 500", async () => {
    const response = await post("{not json");
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ jsonrpc: "2.0", error: { code: -32700 }, id: null });
  });

  it("JSON that is not JSON-RPC, a wrong Accept and a wrong content type get the transport's 4xx", async () => {
    const notRpc = await post(JSON.stringify({ hello: "world" }));
    expect(notRpc.status).toBe(400);
    expect(await notRpc.json()).toMatchObject({ jsonrpc: "2.0", error: { code: -32700 } });
    const accept = await post(initialize, { "content-type": "application/json", accept: "application/json" });
    expect(accept.status).toBe(406);
    const type = await post(initialize, {
      "content-type": "text/plain",
      accept: "application/json, text/event-stream",
    });
    expect(type.status).toBe(415);
  });

  it("a notification alone is accepted with 202", async () => {
    const response = await post(JSON.stringify({ jsonrpc: "2.0", method: "notifications/initialized" }));
    expect(response.status).toBe(202);
  });

  it("an unknown JSON-RPC method is a JSON-RPC error", async () => {
    const response = await post(JSON.stringify({ jsonrpc: "2.0", id: 3, method: "nope/nothing" }));
    const body = await response.json<Json>();
    expect(body).toMatchObject({ jsonrpc: "2.0", id: 3, error: { code: -32601 } });
  });
});

describe("MCP: HEAD is checked as GET where Atlassian documents only GET", () => {
  it("lookup_scopes with method HEAD, and plan_scopes with a curl --head line", async () => {
    const lookup = await ok("lookup_scopes", { path: "/rest/api/3/myself", method: "HEAD" });
    expect(lookup).toContain("GET /rest/api/3/myself");
    expect(lookup).toContain("HEAD /rest/api/3/myself is checked as GET /rest/api/3/myself");
    const plan = await ok("plan_scopes", { endpoints: ["curl --head https://acme.atlassian.net/rest/api/3/myself"] });
    expect(plan).toContain("read:jira-user");
    expect(plan).toContain("head_as_get");
  });
});
