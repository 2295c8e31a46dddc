/**
 * The one case where the worker has nothing at all to serve: KV holds no catalog (or fails) and the
 * bundled snapshot cannot be loaded. Every catalog route then answers 503 catalog_unavailable in the
 * error shape, with a message that says why and what to do; nothing crashes. The moment KV holds a
 * catalog again, it answers.
 *
 * The snapshot module is replaced for this file only (module mocks are per test file).
 */
import { ORIGIN } from "../helpers/worker";
import { env, exports } from "cloudflare:workers";
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { Endpoint } from "../../src/catalog/schema";
import { resetCatalogCache } from "../../src/storage/catalog-cache";
import { CatalogStore, KEYS } from "../../src/storage/catalog-store";
import { publishVersion } from "../../scraper/publish";
import { alt, endpoint as fixtureEndpoint } from "../catalog/catalog-fixture";

vi.mock("../../data/snapshot", () => ({
  SNAPSHOT_VERSION: "unavailable",
  loadSnapshot: () => Promise.reject(new Error("the bundled snapshot could not be loaded")),
}));

const send = (path: string, init?: RequestInit) =>
  exports.default.fetch(
    new Request(`${ORIGIN}${path}`, { ...init, headers: { "cf-connecting-ip": "10.9.9.9", ...(init?.headers ?? {}) } }),
  );
const post = (path: string, body: unknown) =>
  send(path, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

const ROUTES: [string, () => Promise<Response>][] = [
  ["GET /scopes", () => send("/scopes?path=/rest/api/3/myself")],
  ["GET /endpoints", () => send("/endpoints?scope=read:jira-user")],
  ["POST /diff", () => post("/diff", { scopes: ["read:jira-user"], path: "/rest/api/3/myself" })],
  ["POST /plan", () => post("/plan", { endpoints: ["GET /rest/api/3/myself"] })],
  ["POST /explain", () => post("/explain", { method: "GET", url: "/rest/api/3/myself", status: 401 })],
  ["GET /health", () => send("/health")],
];

async function expectUnavailable(response: Response, route: string): Promise<string> {
  const text = await response.text();
  expect(response.status, `${route}: ${text.slice(0, 300)}`).toBe(503);
  const body = JSON.parse(text) as { error: { code: string; message: string } };
  expect(Object.keys(body)).toEqual(["error"]);
  expect(body.error.code).toBe("catalog_unavailable");
  expect(body.error.message).toMatch(/^No catalog can be served/);
  expect(body.error.message).toContain("neither KV nor the bundled snapshot could be read");
  // The cause is logged, not shown: a stable message whatever the runtime's error said.
  expect(body.error.message).not.toContain("could not be loaded");
  expect(text).not.toMatch(/\bat \S+ \(\S+:\d+:\d+\)|\.(ts|js):\d+|"stack"/);
  return body.error.message;
}

beforeEach(async () => {
  for (const { name } of (await env.CATALOG.list()).keys) await env.CATALOG.delete(name);
  resetCatalogCache();
});

const endpoint = (path: string): Endpoint =>
  fixtureEndpoint("jira", "GET", path, [alt(["read:jira-user"])], { documents: ["jira-platform.v3"] });

describe("nothing to serve: KV empty or failing, and no snapshot", () => {
  for (const [route, request] of ROUTES) {
    it(`${route} answers 503 catalog_unavailable with a clear message`, async () => {
      await expectUnavailable(await request(), route);
    });
  }

  it("with a corrupt manifest in KV, the message names both failures' outcome and asks to retry", async () => {
    await env.CATALOG.put(KEYS.manifest, "{corrupt");
    const message = await expectUnavailable(await send("/scopes?path=/rest/api/3/myself"), "GET /scopes");
    expect(message).toMatch(/Try again shortly; \/health says more/);
  });

  it("the catalog is loaded before the query is validated: a bad request also gets the clear 503, never another 5xx", async () => {
    await expectUnavailable(await send("/scopes"), "GET /scopes without path");
    await expectUnavailable(await post("/diff", { scopes: 5 }), "POST /diff with bad scopes");
  });

  it("requests refused before the catalog is needed keep their 4xx", async () => {
    expect((await send("/no/such/route")).status).toBe(404);
    expect((await send(`/scopes?path=${encodeURIComponent("Bearer abcdefghij0123456789klmnop")}`)).status).toBe(400);
    expect((await post("/diff", { padding: "x".repeat(300 * 1024) })).status).toBe(413);
    const openapi = await send("/openapi.json");
    expect(openapi.status).toBe(200);
  });

  it("answers again as soon as KV holds a catalog", async () => {
    await expectUnavailable(await send("/scopes?path=/rest/api/3/myself"), "GET /scopes");
    await publishVersion(
      new CatalogStore(env.CATALOG),
      null,
      [
        {
          product: "jira",
          scrapedAt: new Date().toISOString(),
          contentHash: "test",
          documents: [],
          endpoints: [endpoint("/rest/api/3/myself")],
          scopes: [{ name: "read:jira-user", kind: "classic", product: "jira", unused: false }],
        },
      ],
      new Date(),
    );
    resetCatalogCache(); // a failed refresh is not cached; a fresh isolate would read KV at once
    const response = await send("/scopes?path=/rest/api/3/myself");
    expect(response.status).toBe(200);
    const body = (await response.json()) as { catalog: { source: string } };
    expect(body.catalog.source).toBe("kv");
    const health = (await (await send("/health")).json()) as { status: string; catalog: { source: string } };
    expect(health.catalog.source).toBe("kv");
  });

  it("a failed refresh is not held: the next request tries KV again without a reset", async () => {
    await expectUnavailable(await send("/health"), "GET /health");
    await publishVersion(
      new CatalogStore(env.CATALOG),
      null,
      [
        {
          product: "jira",
          scrapedAt: new Date().toISOString(),
          contentHash: "test",
          documents: [],
          endpoints: [endpoint("/rest/api/3/myself")],
          scopes: [{ name: "read:jira-user", kind: "classic", product: "jira", unused: false }],
        },
      ],
      new Date(),
    );
    expect((await send("/scopes?path=/rest/api/3/myself")).status).toBe(200);
  });
});
