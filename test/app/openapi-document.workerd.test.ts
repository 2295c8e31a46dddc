/**
 * GET /openapi.json is generated once per isolate and served as built: the same bytes on every request,
 * an ETag that answers 304, and no generation after the first (which took 15–50 ms of CPU a request).
 */
import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";

const get = (headers: Record<string, string> = {}) =>
  exports.default.fetch(new Request("http://catalog.test/openapi.json", { headers }));

describe("GET /openapi.json", () => {
  it("serves one document, with an ETag and a short public cache", async () => {
    const first = await get();
    expect(first.status).toBe(200);
    expect(first.headers.get("content-type")).toMatch(/^application\/json/);
    expect(first.headers.get("cache-control")).toBe("public, max-age=300");
    const etag = first.headers.get("etag");
    expect(etag).toMatch(/^"openapi-[0-9a-z]+"$/);
    const body = await first.text();
    expect(JSON.parse(body)).toMatchObject({ openapi: "3.1.0", info: { title: "Scope Catalog" } });

    const again = await get();
    expect(again.headers.get("etag")).toBe(etag);
    expect(await again.text()).toBe(body);
  });

  it("answers 304 to its ETag, and 200 with the document to another", async () => {
    const etag = (await get()).headers.get("etag")!;
    const notModified = await get({ "If-None-Match": etag });
    expect(notModified.status).toBe(304);
    expect(await notModified.text()).toBe("");
    const stale = await get({ "If-None-Match": '"openapi-old"' });
    expect(stale.status).toBe(200);
    expect((await stale.text()).length).toBeGreaterThan(100_000);
  });
});
