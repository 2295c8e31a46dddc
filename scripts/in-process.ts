/**
 * The worker's app run in this Node process, as the scripts that read its answers need it: KV empty,
 * so every answer comes from the bundled snapshot in data/ (a fixed catalog version), and no rate
 * limiter unless a test passes one. Nothing is served on a port.
 */
import { app } from "../src/app";

/** An empty KV namespace: the catalog store then falls back to the bundled snapshot. */
const EMPTY_KV = {
  get: async () => null,
  put: async () => {},
  delete: async () => {},
  list: async () => ({ keys: [], list_complete: true }),
};

/** The origin example requests are sent to: a `*.workers.dev` host, which answers may link to. */
export const EXAMPLE_ORIGIN = "https://scope-catalog.example.workers.dev";

/** Sends one request to the app, with `bindings` replacing the empty KV and the absent limiter. */
export async function sendInProcess(request: Request, bindings: Partial<Env> = {}): Promise<Response> {
  return app.fetch(request, { CATALOG: EMPTY_KV, ...bindings } as unknown as Env);
}

/** The OpenAPI document the app serves at /openapi.json. */
export async function openApiDocument(): Promise<Record<string, unknown>> {
  const response = await sendInProcess(new Request(`${EXAMPLE_ORIGIN}/openapi.json`));
  if (response.status !== 200) throw new Error(`GET /openapi.json answered ${response.status}`);
  return (await response.json()) as Record<string, unknown>;
}
