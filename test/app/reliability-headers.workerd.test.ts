/**
 * Headers and limits: hono's secure headers on every answer (2xx, 4xx, 413, preflight), a request id
 * in every answer and in the failure log line, the POST rate limit through the POST_LIMITER binding
 * declared in wrangler.toml (and the worker running without it), and the request limits at their
 * exact boundaries (256 KB, 500 scopes, 1000 endpoints).
 */
import { ORIGIN } from "../helpers/worker";
import { createExecutionContext } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import wranglerToml from "../../wrangler.toml?raw";
import { MAX_BODY_BYTES } from "../../src/app";
import worker from "../../src/index";
import { resetCatalogCache } from "../../src/storage/catalog-cache";

let ip = 0;
const nextIp = () => `10.77.${(++ip >> 8) & 255}.${ip & 255}`;

function send(path: string, init: RequestInit & { ip?: string } = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  if (!headers.has("cf-connecting-ip")) headers.set("cf-connecting-ip", init.ip ?? nextIp());
  return exports.default.fetch(new Request(`${ORIGIN}${path}`, { ...init, headers }));
}
const postJson = (path: string, body: unknown, init: RequestInit & { ip?: string } = {}) =>
  send(path, {
    ...init,
    method: "POST",
    headers: { "content-type": "application/json", ...(init.headers as Record<string, string> | undefined) },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });

beforeAll(() => resetCatalogCache());
afterEach(() => vi.restoreAllMocks());

describe("secure headers", () => {
  const EXPECTED: Record<string, string | RegExp> = {
    "x-content-type-options": "nosniff",
    "x-frame-options": "SAMEORIGIN",
    "referrer-policy": "no-referrer",
    "strict-transport-security": /^max-age=\d+; includeSubDomains$/,
    "cross-origin-resource-policy": "cross-origin",
    "cross-origin-opener-policy": "same-origin",
    "x-dns-prefetch-control": "off",
    "x-download-options": "noopen",
    "x-permitted-cross-domain-policies": "none",
    "x-xss-protection": "0",
    "origin-agent-cluster": "?1",
  };

  const cases: [string, () => Promise<Response>][] = [
    ["a 200 lookup", () => send("/scopes?path=/rest/agile/1.0/board")],
    ["a 200 text answer", () => send("/scopes?path=/rest/agile/1.0/board&format=text")],
    ["a 200 POST", () => postJson("/diff", { scopes: ["read:jira-work"], path: "/rest/api/3/issue/ABC-1" })],
    ["a 400", () => send("/scopes?path=%ZZ")],
    ["a 404", () => send("/nope")],
    ["a 413", () => postJson("/diff", "x".repeat(MAX_BODY_BYTES + 1))],
    ["a 415", () => send("/diff", { method: "POST", headers: { "content-type": "text/plain" }, body: "x" })],
    [
      "a 400 credential_detected",
      () => send(`/scopes?path=${encodeURIComponent("Bearer abcdefghijklmnopqrstuvwxyz012345")}`),
    ],
    ["/health", () => send("/health")],
    ["/openapi.json", () => send("/openapi.json")],
    [
      "a CORS preflight",
      () =>
        send("/diff", {
          method: "OPTIONS",
          headers: { origin: "https://example.com", "access-control-request-method": "POST" },
        }),
    ],
  ];

  for (const [name, request] of cases) {
    it(`on ${name}`, async () => {
      const response = await request();
      await response.arrayBuffer();
      for (const [header, value] of Object.entries(EXPECTED)) {
        if (typeof value === "string") expect(response.headers.get(header), `${header} on ${name}`).toBe(value);
        else expect(response.headers.get(header), `${header} on ${name}`).toMatch(value);
      }
      expect(response.headers.get("x-powered-by")).toBeNull();
      expect(response.headers.get("server")).toBeNull();
    });
  }
});

describe("request ids", () => {
  it("every answer carries a distinct X-Request-Id, exposed to browsers", async () => {
    const responses = await Promise.all([
      send("/health"),
      send("/scopes"),
      postJson("/diff", "{"),
      send("/nope"),
      postJson("/plan", "x".repeat(MAX_BODY_BYTES + 1)),
    ]);
    const ids = responses.map((response) => response.headers.get("x-request-id"));
    for (const id of ids) expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(new Set(ids).size).toBe(ids.length);
    const preflight = await send("/diff", {
      method: "OPTIONS",
      headers: { origin: "https://example.com", "access-control-request-method": "POST" },
    });
    expect(preflight.headers.get("access-control-expose-headers")).toMatch(/X-Request-Id/i);
    await Promise.all(responses.map((response) => response.arrayBuffer()));
  });

  it("a 304 and the MCP transport's answers carry the request id and the CORS headers as the others do", async () => {
    const first = await send("/scopes?path=/rest/agile/1.0/board");
    await first.arrayBuffer();
    const notModified = await send("/scopes?path=/rest/agile/1.0/board", {
      headers: { "if-none-match": first.headers.get("etag")! },
    });
    const initialize = await postJson(
      "/mcp",
      {
        jsonrpc: "2.0",
        id: 1,
        method: "initialize",
        params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "test", version: "1" } },
      },
      { headers: { accept: "application/json, text/event-stream" } },
    );
    expect([notModified.status, initialize.status]).toEqual([304, 200]);
    for (const response of [notModified, initialize]) {
      await response.arrayBuffer();
      expect(response.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
      expect(response.headers.get("access-control-allow-origin")).toBe("*");
      expect(response.headers.get("access-control-expose-headers")).toBe("ETag,X-Request-Id,Mcp-Session-Id");
      expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    }
    expect(initialize.headers.get("content-type")).toMatch(/^application\/json/);
  });

  it("the failure log line carries the same id, and nothing of the query", async () => {
    const lines: string[] = [];
    vi.spyOn(console, "warn").mockImplementation((...args: unknown[]) => void lines.push(args.join(" ")));
    const response = await send("/endpoints?scope=read:board-scope:jira&limit=7");
    await response.arrayBuffer();
    expect(lines).toEqual([`${response.headers.get("x-request-id")} GET /endpoints 404`]);
  });

  it("a caller's own well-formed X-Request-Id is kept (to correlate), a hostile one is replaced", async () => {
    const own = await send("/health", { headers: { "x-request-id": "client-trace-42" } });
    expect(own.headers.get("x-request-id")).toBe("client-trace-42");
    const traceId = "0af7651916cd43dd8448eb211c80319c";
    const trace = await send("/health", { headers: { "x-request-id": traceId } });
    expect(trace.headers.get("x-request-id")).toBe(traceId);
    await trace.arrayBuffer();
    // A credential-shaped id would be echoed and logged as given (fake, assembled at run time); 65 is one over the limit.
    const token = `AT${"BB"}${"A1b2C3d4E5f6G7h8".repeat(2)}`;
    for (const hostile of [
      "x".repeat(300),
      "x".repeat(65),
      "a b c",
      "<script>",
      "id;drop table",
      "caf\u00e9",
      token,
      "a=b",
    ]) {
      const response = await send("/health", { headers: { "x-request-id": hostile } });
      expect(response.headers.get("x-request-id"), hostile).not.toBe(hostile);
      expect(response.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
      await response.arrayBuffer();
    }
    await own.arrayBuffer();
  });
});

describe("POST rate limit", () => {
  it("is declared in wrangler.toml as POST_LIMITER and bound in this environment", () => {
    expect(wranglerToml).toMatch(/\[\[ratelimits\]\]\s*\nname = "POST_LIMITER"/);
    expect(wranglerToml).toMatch(/simple = \{ limit = 120, period = 60 \}/);
    expect(typeof env.POST_LIMITER?.limit).toBe("function");
  });

  it("refuses POSTs from one address past 120 a minute with 429 rate_limited and Retry-After, per address, never GETs", async () => {
    vi.spyOn(console, "warn").mockImplementation(() => {});
    // The local limiter counts per calendar minute: a run that crosses a minute boundary is retried.
    const minute = () => Math.floor(Date.now() / 60_000);
    let statuses: number[] = [];
    let address = "";
    for (let attempt = 0; attempt < 2; attempt++) {
      address = `192.0.2.${10 + attempt}`;
      statuses = [];
      const started = minute();
      for (let index = 0; index < 126; index++) {
        const response = await postJson("/diff", "{", { ip: address }); // 400 invalid_json when let through
        statuses.push(response.status);
        if (response.status === 429) {
          expect(response.headers.get("retry-after")).toBe("60");
          const body = (await response.json()) as { error: { code: string; message: string } };
          expect(body.error.code).toBe("rate_limited");
          expect(body.error.message).toMatch(/at most 120 POST requests a minute/);
        } else await response.arrayBuffer();
      }
      if (minute() === started) break;
    }
    expect(statuses.slice(0, 120).every((status) => status === 400)).toBe(true);
    expect(statuses.slice(120).every((status) => status === 429)).toBe(true);
    // Another address is not affected, nor are GETs from the limited one.
    expect((await postJson("/diff", "{", { ip: "192.0.2.99" })).status).toBe(400);
    expect((await send("/scopes?path=/rest/api/3/myself", { ip: address })).status).toBe(200);
  });

  it("works without the binding (local runs, deployments without it): no limit, no error", async () => {
    vi.spyOn(console, "warn").mockImplementation(() => {}); // 130 failure lines
    const { POST_LIMITER: _limiter, ...withoutLimiter } = env as Env & Record<string, unknown>;
    const ctx = createExecutionContext();
    for (let index = 0; index < 130; index++) {
      const request = new Request(`${ORIGIN}/diff`, {
        method: "POST",
        headers: { "content-type": "application/json", "cf-connecting-ip": "192.0.2.20" },
        body: "{",
      });
      const response = await worker.fetch(request, withoutLimiter as unknown as Env, ctx);
      expect(response.status).toBe(400);
    }
  });
});

describe("limits at their boundaries", () => {
  it("a body of exactly 256 KB is read; one byte more is 413 body_too_large", async () => {
    const padded = (bytes: number) => {
      const base = JSON.stringify({ scopes: ["read:jira-work"], path: "/rest/api/3/myself", pad: "" });
      return base.replace('"pad":""', `"pad":"${"x".repeat(bytes - base.length)}"`);
    };
    const atLimit = await postJson("/diff", padded(MAX_BODY_BYTES));
    expect(atLimit.status).toBe(200);
    const over = await postJson("/diff", padded(MAX_BODY_BYTES + 1));
    expect(over.status).toBe(413);
    expect(((await over.json()) as { error: { code: string } }).error.code).toBe("body_too_large");
    await atLimit.arrayBuffer();
  });

  it("500 scopes are accepted, 501 are refused naming the limit", async () => {
    const names = (count: number) => Array.from({ length: count }, (_, index) => `read:scope-${index}:jira`);
    const ok = await postJson("/diff", { scopes: names(500), path: "/rest/api/3/myself" });
    expect(ok.status).toBe(200);
    await ok.arrayBuffer();
    const over = await postJson("/diff", { scopes: names(501), path: "/rest/api/3/myself" });
    expect(over.status).toBe(400);
    expect(((await over.json()) as { error: { message: string } }).error.message).toMatch(/at most 500/);
  });

  it("1000 endpoints are accepted on /diff and /plan, 1001 are refused naming the limit", async () => {
    const lines = (count: number) => Array.from({ length: count }, (_, index) => `GET /rest/api/3/issue/ABC-${index}`);
    for (const [path, body] of [
      ["/diff", (count: number) => ({ scopes: ["read:jira-work"], endpoints: lines(count) })],
      ["/plan", (count: number) => ({ endpoints: lines(count) })],
    ] as const) {
      const ok = await postJson(path, body(1000));
      expect(ok.status, path).toBe(200);
      await ok.arrayBuffer();
      const over = await postJson(path, body(1001));
      expect(over.status, path).toBe(400);
      expect(((await over.json()) as { error: { message: string } }).error.message, path).toMatch(/1000/);
    }
  });
});
