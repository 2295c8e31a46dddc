/**
 * The documented responses of a route (with the answer schemas they name) are built when /openapi.json
 * is first generated, never to serve a request: isolate startup and first requests do not pay for them.
 */
import { OpenAPIHono, createRoute, z } from "@hono/zod-openapi";
import { describe, expect, it } from "vitest";
import { errorResponseDoc } from "../../src/errors";
import { withSharedErrors } from "../../src/routes/shared-errors";

function countedRoute() {
  const built = { count: 0 };
  const route = createRoute(
    withSharedErrors(
      { method: "get", path: "/", request: { query: z.object({ q: z.string() }) } },
      () => {
        built.count++;
        return {
          200: { description: "ok", content: { "application/json": { schema: z.object({ a: z.string() }) } } },
          400: errorResponseDoc("a bad query", { code: "invalid_request", message: "q is missing" }),
        };
      },
      { catalog: true, post: true },
    ),
  );
  const app = new OpenAPIHono().openapi(route, (c) => c.json({ a: c.req.valid("query").q }, 200));
  return { app, built };
}

describe("withSharedErrors", () => {
  it("builds the documented responses on the document's first generation, not to register or serve the route", async () => {
    const { app, built } = countedRoute();
    const parent = new OpenAPIHono().route("/thing", app);
    expect(await (await parent.request("/thing?q=x")).json()).toEqual({ a: "x" });
    expect((await parent.request("/thing")).status).toBe(400);
    expect(built.count).toBe(0);

    const document = parent.getOpenAPI31Document({ openapi: "3.1.0", info: { title: "t", version: "1" } });
    expect(built.count).toBe(1);
    const responses = document.paths?.["/thing"]?.get?.responses ?? {};
    expect(Object.keys(responses).sort()).toEqual(["200", "400", "413", "429", "503"]);
    const examples = Object.keys(
      (responses[400] as { content: { "application/json": { examples: object } } }).content["application/json"]
        .examples,
    );
    // The route's own 400 keeps its example; the shared codes join it.
    expect(examples).toEqual(["invalid_request", "credential_detected", "answer_too_large"]);

    parent.getOpenAPI31Document({ openapi: "3.1.0", info: { title: "t", version: "1" } });
    expect(built.count).toBe(1);
  });
});
