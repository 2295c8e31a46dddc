/**
 * The contract clients generate code from: real requests to every route of /openapi.json, each answer
 * checked against the document (status documented, content type listed, JSON valid against the
 * schema). The last test lists what is documented but not provoked here, each with the reason; the
 * 503 catalog_unavailable answers are provoked in openapi-contract-unavailable.workerd.test.ts.
 */
import { ORIGIN, get } from "../helpers/worker";
import { env, exports } from "cloudflare:workers";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { app } from "../../src/app";
import { slackSignature } from "../../src/integrations/slack-signature";
import { MAX_BODY_BYTES } from "../../src/routes/shared-errors";
import { type Contract, loadContract } from "../helpers/openapi-contract";

let contract: Contract;
let client = 0;

/** A fake Atlassian API token (the kind the examples name), assembled at run time so that no scanner takes it for a leak. */
const TOKEN = `ATA${"TT3xFfGF0"}${"aB3dE5gH7jK9mN1pQ3sT5vW7yZ9"}_x-Y=ABCDEF12`;
const BOARD = "/rest/agile/1.0/board";
const MCP_ACCEPT = "application/json, text/event-stream";
const SLACK_SECRET = "contract-test-signing-secret";

/** Each POST from its own address, so the real rate limiter (120 a minute per address) never interferes. */
function post(path: string, body: string, headers: Record<string, string> = {}, bindings?: Partial<Env>) {
  client++;
  const request = new Request(`${ORIGIN}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", "cf-connecting-ip": `203.0.113.${client % 250}`, ...headers },
    body,
  });
  // With bindings, the app itself with the test's env changed (a rate limiter that refuses, a Slack secret).
  return bindings ? app.fetch(request, { ...env, ...bindings }) : exports.default.fetch(request);
}
const json = (value: unknown) => JSON.stringify(value);
const REFUSING_LIMITER = { limit: async () => ({ success: false }) } as unknown as RateLimit;

beforeAll(async () => {
  contract = await loadContract(await get("/openapi.json"));
  // The failure log of app.ts: expected, most requests here fail on purpose.
  vi.spyOn(console, "warn").mockImplementation(() => {});
});

afterAll(() => {
  vi.restoreAllMocks();
});

/** A GET route's 200 in each format, then its 304 for the ETag the JSON answer carried. */
async function formatsAnd304(operation: string, url: string): Promise<void> {
  const first = await get(url);
  const etag = first.headers.get("etag");
  await contract.check(operation, first);
  await contract.check(operation, await get(url, { accept: "text/plain" }));
  await contract.check(operation, await get(url, { accept: "text/markdown" }));
  expect(etag).toBeTruthy();
  await contract.check(operation, await get(url, { "if-none-match": etag! }));
}

/** A failing GET as JSON, then with `format=text` and `format=markdown` (errors come in the format asked for). */
async function getError(operation: string, url: string): Promise<void> {
  const join = url.includes("?") ? "&" : "?";
  for (const format of ["", `${join}format=text`, `${join}format=markdown`])
    await contract.check(operation, await get(`${url}${format}`));
}

/** A failing POST as JSON, then with `?format=text` and `?format=markdown`. */
async function postError(
  operation: string,
  path: string,
  body: string,
  headers: Record<string, string> = {},
  bindings?: Partial<Env>,
): Promise<void> {
  for (const format of ["", "?format=text", "?format=markdown"])
    await contract.check(operation, await post(`${path}${format}`, body, headers, bindings));
}

/** A POST route's 200 in each format and the refusals every POST route shares. */
async function postRoute(operation: string, path: string, body: unknown): Promise<void> {
  await contract.check(operation, await post(path, json(body)));
  await contract.check(operation, await post(`${path}?format=text`, json(body)));
  await contract.check(operation, await post(path, json(body), { accept: "text/markdown" }));
  await postError(operation, path, json({ note: TOKEN }));
  await postError(operation, path, "scopes=read:jira-work", { "content-type": "application/x-www-form-urlencoded" });
  await postError(operation, path, " ".repeat(MAX_BODY_BYTES + 1));
  await postError(operation, path, json(body), {}, { POST_LIMITER: REFUSING_LIMITER });
}

describe("every route answers as /openapi.json documents", () => {
  it("GET /health", async () => {
    await contract.check("GET /health", await get("/health"));
    await contract.check("GET /health", await get(`/health?q=${encodeURIComponent(TOKEN)}`));
  });

  it("GET /scopes", async () => {
    await formatsAnd304("GET /scopes", `/scopes?path=${encodeURIComponent(BOARD)}`);
    await getError("GET /scopes", "/scopes");
    await getError("GET /scopes", "/scopes?path=/rest/agile/1.0/boards");
    await getError("GET /scopes", `/scopes?path=${BOARD}&method=PATCH`);
    await getError("GET /scopes", "/scopes?path=/wiki/rest/api/space&method=GET");
  });

  it("GET /endpoints", async () => {
    await formatsAnd304("GET /endpoints", "/endpoints?scope=read:board-scope:jira-software&limit=2");
    await getError("GET /endpoints", "/endpoints");
    await getError("GET /endpoints", "/endpoints?scope=read:board-scope:jira");
  });

  it("POST /diff", async () => {
    await postRoute("POST /diff", "/diff", { scopes: ["read:board-scope:jira-software"], path: BOARD });
    await postError("POST /diff", "/diff", json({ path: BOARD }));
  });

  it("POST /plan", async () => {
    await postRoute("POST /plan", "/plan", { endpoints: [`GET ${BOARD}`, "POST /rest/api/3/issue"] });
    await contract.check("POST /plan", await post("/plan", `GET ${BOARD}\n`, { "content-type": "text/plain" }));
    await postError("POST /plan", "/plan", json({}));
  });

  it("POST /explain", async () => {
    const failed = { method: "GET", url: `https://acme.atlassian.net${BOARD}`, status: 401, scopes: [] };
    await postRoute("POST /explain", "/explain", failed);
    await postError("POST /explain", "/explain", json({ method: "GET", url: BOARD }));
  });

  it("GET /changes and GET /changes.atom", async () => {
    await formatsAnd304("GET /changes", "/changes?limit=2");
    const feed = await get("/changes.atom?product=jira");
    const etag = feed.headers.get("etag")!;
    await contract.check("GET /changes.atom", feed);
    await contract.check("GET /changes.atom", await get("/changes.atom?product=jira", { "if-none-match": etag }));
    for (const operation of ["GET /changes", "GET /changes.atom"]) {
      const path = operation.slice(4);
      await getError(operation, `${path}?since=last%20week`);
      await getError(operation, `${path}?path=/rest/api/3/workflows/transitions`);
    }
  });

  it("POST /mcp, whose refusals are JSON-RPC errors", async () => {
    const list = json({ jsonrpc: "2.0", id: 1, method: "tools/list" });
    const accept = { accept: MCP_ACCEPT };
    await contract.check("POST /mcp", await post("/mcp", list, accept));
    await contract.check(
      "POST /mcp",
      await post("/mcp", json({ jsonrpc: "2.0", method: "notifications/initialized" }), accept),
    );
    await contract.check("POST /mcp", await post("/mcp", "{", accept));
    await contract.check("POST /mcp", await post("/mcp", list));
    await contract.check("POST /mcp", await post("/mcp", " ".repeat(MAX_BODY_BYTES + 1), accept));
    await contract.check("POST /mcp", await post("/mcp", list, { ...accept, "content-type": "text/plain" }));
    const notification = json({ jsonrpc: "2.0", method: "notifications/initialized" });
    await contract.check("POST /mcp", await post("/mcp", notification, accept, { POST_LIMITER: REFUSING_LIMITER }));
  });

  it("POST /integrations/slack/command", async () => {
    const operation = "POST /integrations/slack/command";
    const path = "/integrations/slack/command";
    const formType = { "content-type": "application/x-www-form-urlencoded" };
    const body = new URLSearchParams({ command: "/scopes", text: "help" }).toString();
    const secret = { SLACK_SIGNING_SECRET: SLACK_SECRET } as Partial<Env>;
    const signed = async (payload: string, headers: Record<string, string> = formType) => {
      const timestamp = String(Math.floor(Date.now() / 1000));
      const signature = await slackSignature(SLACK_SECRET, timestamp, payload);
      return { ...headers, "x-slack-request-timestamp": timestamp, "x-slack-signature": signature };
    };
    await contract.check(operation, await post(path, body, formType));
    await contract.check(operation, await post(path, body, await signed(body), secret));
    await contract.check(operation, await post(path, body, formType, secret));
    await contract.check(operation, await post(path, "text=help", await signed("text=help"), secret));
    // Another body: a signature is accepted once, and this one would be the 200's again.
    const plain = `${body}&channel_name=general`;
    await contract.check(
      operation,
      await post(path, plain, await signed(plain, { "content-type": "text/plain" }), secret),
    );
    await contract.check(operation, await post(path, " ".repeat(MAX_BODY_BYTES + 1), formType));
    await contract.check(operation, await post(path, body, formType, { POST_LIMITER: REFUSING_LIMITER }));
  });

  it("lists JSON first in every 200 that has it, where generated clients and viewers look for the default", () => {
    for (const [path, item] of Object.entries<any>(contract.document.paths))
      for (const [method, operation] of Object.entries<any>(item)) {
        const types = Object.keys(operation.responses["200"]?.content ?? {});
        if (types.includes("application/json")) expect(types[0], `${method} ${path}`).toBe("application/json");
      }
  });

  it("covers every documented answer but those it cannot provoke here", () => {
    expect(contract.unchecked().sort()).toEqual(
      [
        // The other file: no catalog at all needs the bundled snapshot mocked away (its text and markdown too).
        ...["/scopes", "/endpoints", "/changes", "/changes.atom", "/health"].map(
          (path) => `GET ${path} 503 application/json`,
        ),
        ...["/diff", "/plan", "/explain"].map((path) => `POST ${path} 503 application/json`),
        ...["GET /scopes", "GET /endpoints", "GET /changes", "POST /diff", "POST /plan", "POST /explain"].flatMap(
          (operation) => [`${operation} 503 text/markdown`, `${operation} 503 text/plain`],
        ),
      ].sort(),
    );
  });
});
