/**
 * What one POST /mcp may cost, and how /mcp refuses: batches over the cap, tool calls and endpoints
 * per POST, each tool call counted against the POST rate limit (a fake POST_LIMITER that records its
 * calls), and the middleware's refusals (credential guard, body limit, rate limit) as JSON-RPC errors
 * that the SDK's client reports as errors of the call.
 */
import { ORIGIN, resetCatalogCache, type Json } from "../helpers/worker";
import { createExecutionContext } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { McpError } from "@modelcontextprotocol/sdk/types.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { beforeAll, describe, expect, it } from "vitest";
import worker from "../../src/index";
import {
  MAX_ENDPOINTS_PER_POST,
  MAX_MESSAGES_PER_POST,
  MAX_TOOL_CALLS_PER_POST,
} from "../../src/integrations/mcp-budget";

const MCP_URL = `${ORIGIN}/mcp`;
const CLIENT_IP = "203.0.113.7";

/** A POST_LIMITER stand-in: records every `limit` call and allows the first `allow` of them. */
function fakeLimiter(allow = Number.POSITIVE_INFINITY) {
  const keys: string[] = [];
  const limiter = {
    keys,
    allow,
    async limit({ key }: { key: string }) {
      keys.push(key);
      return { success: keys.length <= limiter.allow };
    },
  };
  return limiter;
}

/** The worker with the fake limiter bound, as the edge calls it (with CF-Connecting-IP). */
function fetchWith(limiter: ReturnType<typeof fakeLimiter>) {
  return async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init);
    request.headers.set("cf-connecting-ip", CLIENT_IP);
    return worker.fetch(request, { ...env, POST_LIMITER: limiter as unknown as RateLimit }, createExecutionContext());
  };
}

const HEADERS = {
  "content-type": "application/json",
  accept: "application/json, text/event-stream",
  "mcp-protocol-version": "2025-03-26",
};

const toolCall = (id: number, name: string, args: Record<string, unknown>) => ({
  jsonrpc: "2.0",
  id,
  method: "tools/call",
  params: { name, arguments: args },
});
const lookup = (id: number) => toolCall(id, "lookup_scopes", { path: "/rest/agile/1.0/board", method: "GET" });

async function postBatch(
  batch: unknown,
  fetcher: (input: string, init?: RequestInit) => Promise<Response> = (input, init) =>
    exports.default.fetch(new Request(input, init)),
) {
  const response = await fetcher(MCP_URL, { method: "POST", headers: HEADERS, body: JSON.stringify(batch) });
  return { status: response.status, body: (await response.json()) as Json };
}

/** By id: the tool result text and whether it is an error, or the JSON-RPC error. */
function byId(answers: Json[]): Map<number, { text?: string; isError?: boolean; error?: Json }> {
  return new Map(
    answers.map((answer) => [
      answer.id,
      answer.error
        ? { error: answer.error }
        : { text: answer.result.content[0].text, isError: answer.result.isError === true },
    ]),
  );
}

beforeAll(async () => {
  resetCatalogCache();
  await (await exports.default.fetch(new Request(`${ORIGIN}/scopes?path=/rest/agile/1.0/board`))).text();
}, 60_000);

describe("MCP batches", () => {
  it(`a batch of more than ${MAX_MESSAGES_PER_POST} messages is refused whole: one JSON-RPC error per request`, async () => {
    const batch = Array.from({ length: MAX_MESSAGES_PER_POST + 1 }, (_, index) => lookup(index + 1));
    const { status, body } = await postBatch(batch);
    expect(status).toBe(200);
    expect(body).toHaveLength(MAX_MESSAGES_PER_POST + 1);
    for (const [index, answer] of (body as Json[]).entries()) {
      expect(answer).toMatchObject({ jsonrpc: "2.0", id: index + 1, error: { code: -32600 } });
      expect(answer.error.data).toMatchObject({ code: "batch_too_large", status: 400 });
      expect(answer.error.message).toContain(`at most ${MAX_MESSAGES_PER_POST} per request`);
    }
  });

  it(`tool calls past the ${MAX_TOOL_CALLS_PER_POST}th of a POST answer tool errors; the others are answered`, async () => {
    const batch = Array.from({ length: MAX_TOOL_CALLS_PER_POST + 2 }, (_, index) => lookup(index + 1));
    const { status, body } = await postBatch(batch);
    expect(status).toBe(200);
    const answers = byId(body);
    expect(answers.size).toBe(MAX_TOOL_CALLS_PER_POST + 2);
    const refused = [...answers.values()].filter((answer) => answer.isError);
    expect(refused).toHaveLength(2);
    for (const answer of refused) expect(answer.text).toContain("(error too_many_tool_calls, HTTP 400)");
    const answered = [...answers.values()].filter((answer) => answer.isError === false);
    expect(answered).toHaveLength(MAX_TOOL_CALLS_PER_POST);
    for (const answer of answered) expect(answer.text).toContain("needs: read:board-scope:jira-software");
  });

  it(`at most ${MAX_ENDPOINTS_PER_POST} endpoints across the tool calls of one POST`, async () => {
    const endpoints = Array.from({ length: 600 }, (_, index) => `GET /rest/api/3/issue/ABC-${index}`);
    const { body } = await postBatch([
      toolCall(1, "plan_scopes", { endpoints }),
      toolCall(2, "plan_scopes", { endpoints }),
    ]);
    const answers = [...byId(body).values()];
    expect(answers.filter((answer) => answer.isError === false)).toHaveLength(1);
    const refused = answers.filter((answer) => answer.isError);
    expect(refused).toHaveLength(1);
    expect(refused[0]?.text).toContain("(error too_many_endpoints, HTTP 400)");
  });
});

describe("MCP tool calls count against the POST rate limit", () => {
  it("a POST of three tool calls takes three units: the POST's own, then one per further call", async () => {
    const limiter = fakeLimiter();
    const { body } = await postBatch([lookup(1), lookup(2), lookup(3)], fetchWith(limiter));
    expect([...byId(body).values()].every((answer) => answer.isError === false)).toBe(true);
    expect(limiter.keys).toEqual([CLIENT_IP, CLIENT_IP, CLIENT_IP]);
  });

  it("a POST of one tool call, or of none, takes one unit", async () => {
    const limiter = fakeLimiter();
    await postBatch(lookup(1), fetchWith(limiter));
    await postBatch({ jsonrpc: "2.0", id: 2, method: "tools/list" }, fetchWith(limiter));
    expect(limiter.keys).toHaveLength(2);
  });

  it("calls past the client's limit answer rate_limited tool errors; the ones within it are answered", async () => {
    const limiter = fakeLimiter(2);
    const { status, body } = await postBatch([lookup(1), lookup(2), lookup(3)], fetchWith(limiter));
    expect(status).toBe(200);
    const answers = [...byId(body).values()];
    expect(answers.filter((answer) => answer.isError === false)).toHaveLength(2);
    const refused = answers.filter((answer) => answer.isError);
    expect(refused).toHaveLength(1);
    expect(refused[0]?.text).toContain("each MCP tool call counting as one");
    expect(refused[0]?.text).toContain("(error rate_limited, HTTP 429)");
  });
});

describe("refusals before the route answer JSON-RPC, and the SDK client reports them as call errors", () => {
  async function connect(limiter: ReturnType<typeof fakeLimiter>): Promise<Client> {
    const client = new Client({ name: "scope-catalog-limits-test", version: "1.0.0" });
    await client.connect(new StreamableHTTPClientTransport(new URL(MCP_URL), { fetch: fetchWith(limiter) }));
    return client;
  }

  it("credential guard: the call's result, an error the model reads, with the guard's message; nothing echoed", async () => {
    const client = await connect(fakeLimiter());
    const token = `ATATT3xFfGF0${"a1B2c3D4".repeat(4)}`;
    // Was a JSON-RPC error, which clients often show only as a failed call: the model never read the fix.
    const refused = (await client.callTool({
      name: "explain_failure",
      arguments: { method: "GET", url: "/x", status: 401, body: token },
    })) as CallToolResult;
    expect(refused.isError).toBe(true);
    const text = (refused.content[0] as { text: string }).text;
    expect(text).toContain("seems to contain an Atlassian API token");
    expect(text).toContain("(error credential_detected, HTTP 400)");
    expect(JSON.stringify(refused)).not.toContain(token);
    // The client is still usable.
    const result = (await client.callTool({
      name: "lookup_scopes",
      arguments: { path: "/rest/agile/1.0/board" },
    })) as CallToolResult;
    expect(result.isError).not.toBe(true);
    await client.close();
  });

  it("credential guard on a request other than a tool call: a JSON-RPC error, for each request of a batch", async () => {
    const token = `ATATT3xFfGF0${"a1B2c3D4".repeat(4)}`;
    const response = await fetchWith(fakeLimiter())(MCP_URL, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        accept: "application/json, text/event-stream",
        "mcp-protocol-version": "2025-06-18",
      },
      body: JSON.stringify([
        { jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "lookup_scopes", arguments: { path: token } } },
        { jsonrpc: "2.0", id: 2, method: "resources/read", params: { uri: token } },
        { jsonrpc: "2.0", method: "notifications/cancelled", params: { requestId: 1 } },
      ]),
    });
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(text).not.toContain(token);
    const answers = JSON.parse(text) as {
      id: number;
      result?: { isError: boolean };
      error?: { data: { code: string } };
    }[];
    expect(answers.map((answer) => answer.id)).toEqual([1, 2]);
    expect(answers[0]?.result?.isError).toBe(true);
    expect(answers[1]?.error?.data.code).toBe("credential_detected");
  });

  it("credential guard: a credential in a request's id is not echoed; that request is answered with id null", async () => {
    const token = `ATATT3xFfGF0${"a1B2c3D4".repeat(4)}`;
    const response = await fetchWith(fakeLimiter())(MCP_URL, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        accept: "application/json, text/event-stream",
        "mcp-protocol-version": "2025-06-18",
      },
      body: JSON.stringify({
        jsonrpc: "2.0",
        id: token,
        method: "tools/call",
        params: { name: "lookup_scopes", arguments: { path: "/x" } },
      }),
    });
    const text = await response.text();
    expect(text).not.toContain(token);
    expect(JSON.parse(text)).toMatchObject({ id: null, result: { isError: true } });
  });

  it("rate limit: an McpError saying so, over HTTP 200", async () => {
    const limiter = fakeLimiter();
    const client = await connect(limiter);
    limiter.allow = limiter.keys.length; // every later POST is over the limit
    const error = await client.callTool({ name: "lookup_scopes", arguments: { path: "/rest/agile/1.0/board" } }).then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(McpError);
    expect((error as McpError).data).toMatchObject({ code: "rate_limited", status: 429 });
    expect((error as McpError).message).toContain("at most 120 POST requests a minute");
    await client.close();
  });

  it("body too large: no request id can be read, so HTTP 413 with a JSON-RPC error, reported by the client as an error", async () => {
    const client = await connect(fakeLimiter());
    const endpoints = Array.from({ length: 20_000 }, (_, index) => `GET /rest/api/3/issue/ABC-${index}`);
    const error = await client.callTool({ name: "plan_scopes", arguments: { endpoints } }).then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(Error);
    // The SDK's StreamableHTTPError: a transport error, with the status as its code and the JSON-RPC error as text.
    expect((error as { code?: unknown }).code).toBe(413);
    expect((error as Error).message).toContain("The request body is over 256 KB");
    await client.close();
  });

  it("over plain HTTP: the body-limit refusal is JSON-RPC, id null", async () => {
    const response = await exports.default.fetch(
      new Request(MCP_URL, { method: "POST", headers: HEADERS, body: " ".repeat(300 * 1024) }),
    );
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({
      jsonrpc: "2.0",
      id: null,
      error: { code: -32000, data: { code: "body_too_large", status: 413 } },
    });
  });
});
