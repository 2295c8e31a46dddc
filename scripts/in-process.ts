/**
 * The worker's app run in this Node process, as the scripts that read its answers need it: KV holds
 * data/, the catalog bundled with the worker (a fixed version), read-only; no rate limiter unless a
 * caller passes one. Nothing is served on a port.
 */
import { fileURLToPath } from "node:url";
import { FileKv } from "../scraper/file-kv";
import { app } from "../src/app";
import type { KvLike } from "../src/storage/catalog-store";

/** data/ as KV, as `npm start` seeds it; writes are dropped, so no answer can change the committed catalog. */
class ReadOnlyFileKv extends FileKv {
  override async put(): Promise<void> {}
  override async delete(): Promise<void> {}
}
const DATA_KV: KvLike = new ReadOnlyFileKv(fileURLToPath(new URL("../data", import.meta.url)));

/** The origin example requests are sent to: a `*.workers.dev` host, which answers may link to. */
export const EXAMPLE_ORIGIN = "https://scope-catalog.example.workers.dev";

/** Sends one request to the app, with `bindings` replacing data/'s KV and the absent limiter. */
export async function sendInProcess(request: Request, bindings: Partial<Env> = {}): Promise<Response> {
  return app.fetch(request, { CATALOG: DATA_KV, ...bindings } as unknown as Env);
}

/** The OpenAPI document the app serves at /openapi.json. */
export async function openApiDocument(): Promise<Record<string, unknown>> {
  const response = await sendInProcess(new Request(`${EXAMPLE_ORIGIN}/openapi.json`));
  if (response.status !== 200) throw new Error(`GET /openapi.json answered ${response.status}`);
  return (await response.json()) as Record<string, unknown>;
}
