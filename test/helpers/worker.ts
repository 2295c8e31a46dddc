/**
 * Shared helpers for the query-route tests, which run inside workerd through the worker's own
 * `exports.default.fetch`.
 *
 * Import this module FIRST in every test file, before anything under src/. Test files and the worker
 * share one module graph (see catalog-cache.test.ts), and `src/catalog/schema.ts` builds its zod
 * schemas with plain `zod`: a schema built before `@hono/zod-openapi` has been evaluated lacks
 * `.openapi()`. The routes now use `.describe()` on those schemas, but importing `@hono/zod-openapi`
 * here first keeps a test that imports `src/storage/catalog-cache.ts` from ever evaluating
 * `schema.ts` ahead of the worker's own import order.
 */
import "@hono/zod-openapi";
import { exports } from "cloudflare:workers";
import { expect } from "vitest";
import manifestJson from "../../data/manifest.json";
import { SNAPSHOT_VERSION } from "../../data/snapshot";

export { SNAPSHOT_VERSION };
export { resetCatalogCache, catalogCacheStats, servedCatalog, RECHECK_MS } from "../../src/storage/catalog-cache";

export const ORIGIN = "http://catalog.test";
export const CLOUD_ID = "11111111-2222-3333-4444-555555555555";
/** The mission endpoint, as a scoped API token calls it. */
export const BOARD_GATEWAY_URL = `https://api.atlassian.com/ex/jira/${CLOUD_ID}/rest/agile/1.0/board`;

/** The newest `scrapedAt` of the bundled snapshot's products: what `catalog.scrapedAt` must say. */
export const SNAPSHOT_SCRAPED_AT = Object.values(manifestJson.products)
  .map((pointer) => pointer.scrapedAt)
  .sort()
  .at(-1)!;

export function get(pathAndQuery: string, headers: Record<string, string> = {}): Promise<Response> {
  return exports.default.fetch(new Request(`${ORIGIN}${pathAndQuery}`, { headers }));
}

/** GET /scopes with the query parameters URL-encoded. */
export function getScopes(params: Record<string, string>, headers: Record<string, string> = {}): Promise<Response> {
  return get(`/scopes?${new URLSearchParams(params)}`, headers);
}

/** GET /endpoints with the query parameters URL-encoded. */
export function getEndpoints(params: Record<string, string>, headers: Record<string, string> = {}): Promise<Response> {
  return get(`/endpoints?${new URLSearchParams(params)}`, headers);
}

let clientNumber = 0;

/**
 * POST to a route; a string body is sent as is (for malformed JSON), anything else as JSON. Each request
 * comes from its own client address (`cf-connecting-ip`), so the POST rate limit (120 a minute per
 * address, enforced by miniflare across the whole run) never interferes with these tests.
 */
export function postJson(
  route: string,
  body: unknown,
  options: { query?: string; headers?: Record<string, string> } = {},
): Promise<Response> {
  clientNumber++;
  const headers = {
    "cf-connecting-ip": `198.51.${Math.floor(clientNumber / 250) % 250}.${clientNumber % 250}`,
    ...(options.headers ?? { "content-type": "application/json" }),
  };
  return exports.default.fetch(
    new Request(`${ORIGIN}${route}${options.query ?? ""}`, {
      method: "POST",
      headers,
      body: typeof body === "string" ? body : JSON.stringify(body),
    }),
  );
}

/** POST /diff (postJson). */
export function postDiff(
  body: unknown,
  options: { query?: string; headers?: Record<string, string> } = {},
): Promise<Response> {
  return postJson("/diff", body, options);
}

export type Json = any;

export async function okJson(response: Response): Promise<Json> {
  const text = await response.text();
  expect(response.status, text.slice(0, 500)).toBe(200);
  expect(response.headers.get("content-type")).toMatch(/^application\/json/);
  return JSON.parse(text);
}

/**
 * A 4xx (or 5xx) answer: exactly `{error: {code, message, details?}}`, JSON, no stack trace.
 * Returns the `error` object for further assertions.
 */
export async function expectError(
  response: Response,
  status: number,
  code: string,
): Promise<{ code: string; message: string; details?: Json }> {
  const text = await response.text();
  expect(response.status, text.slice(0, 500)).toBe(status);
  expect(response.headers.get("content-type")).toMatch(/^application\/json/);
  const body = JSON.parse(text);
  expect(Object.keys(body)).toEqual(["error"]);
  const keys = Object.keys(body.error);
  expect(keys.slice(0, 2)).toEqual(["code", "message"]);
  expect(keys.every((key) => ["code", "message", "details"].includes(key))).toBe(true);
  expect(body.error.code).toBe(code);
  expect(typeof body.error.message).toBe("string");
  expect(body.error.message.length).toBeGreaterThan(10);
  expectNoStackTrace(text);
  return body.error;
}

/** No stack trace: no "at fn (file:line:col)" frames, no source file positions, no `stack` field. */
export function expectNoStackTrace(text: string): void {
  expect(text).not.toMatch(/\bat [\w$.<>]+ \([^)]*:\d+:\d+\)/);
  expect(text).not.toMatch(/\bat (file|https?):\/\/\S+:\d+:\d+/);
  expect(text).not.toMatch(/\.(ts|js|mjs)(\?[^:"]*)?:\d+/);
  expect(text).not.toMatch(/"stack"/);
}

/** A key that identifies an endpoint across products. */
export const endpointKey = (endpoint: { product: string; method: string; path: string }) =>
  `${endpoint.product} ${endpoint.method} ${endpoint.path}`;
