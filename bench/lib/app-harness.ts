/**
 * The worker's Hono app driven in this process with app.request: the same code and the same
 * per-request work (validation, lookup, serialization) as in workerd, timed with a fine clock.
 * The catalog comes from a counting in-memory KV seeded with the benchmark catalog.
 */
import { app } from "../../src/app";
import { resetCatalogCache } from "../../src/storage/catalog-cache";
import type { BenchCatalog } from "./catalog";
import { CountingKv } from "./counting-kv";

export interface AppHarness {
  kv: CountingKv;
  request: (path: string, init?: RequestInit) => Promise<Response>;
}

export async function appHarness(catalog: BenchCatalog): Promise<AppHarness> {
  resetCatalogCache();
  const kv = new CountingKv();
  for (const [key, value] of catalog.kv) kv.values.set(key, value);
  const env = { CATALOG: kv } as unknown as Env;
  const request = async (path: string, init?: RequestInit) => app.request(`http://bench.local${path}`, init, env);
  const warm = await request("/health");
  if (warm.status !== 200) throw new Error(`GET /health answered ${warm.status}: ${await warm.text()}`);
  return { kv, request };
}

/**
 * A JSON POST as an HTTP client sends it: with its Content-Length, which curl and fetch send for a
 * body they hold whole and which workerd then gives the worker. Without it, the body is read as a
 * stream and the request rebuilt around it (middleware/body-limit.ts), a path only chunked uploads take.
 */
export const postJson = (body: unknown): RequestInit => {
  const text = JSON.stringify(body);
  return {
    method: "POST",
    headers: { "content-type": "application/json", "content-length": String(Buffer.byteLength(text)) },
    body: text,
  };
};
