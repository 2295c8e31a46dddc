/** GET /health and the error shape, through the worker inside workerd. */
import { env, exports } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import type { Manifest, RunReport } from "../../src/catalog/schema";
import { KEYS } from "../../src/storage/catalog-store";

const get = (path: string) => exports.default.fetch(new Request(`http://catalog.test${path}`));

const pointer = (endpoints: number) => ({
  key: "shard/2026-11-29T04-17-00Z/jira",
  version: "2026-11-29T04-17-00Z",
  scrapedAt: "2026-11-29T04:17:00.000Z",
  contentHash: "abc",
  endpoints,
  endpointsWithScopes: endpoints - 1,
  scopes: 7,
});

function manifest(publishedAt: string): Manifest {
  return {
    schemaVersion: 1,
    version: "2026-11-29T04-17-00Z",
    publishedAt,
    products: { jira: pointer(12), bitbucket: { ...pointer(5), key: "shard/2026-11-29T04-17-00Z/bitbucket" } },
    previous: null,
    changesKey: "changes/2026-11-29T04-17-00Z",
    history: [],
  };
}

const failedRun: RunReport = {
  startedAt: "2026-11-30T04:17:00.000Z",
  finishedAt: "2026-11-30T04:17:02.000Z",
  outcome: "failed",
  version: "2026-11-29T04-17-00Z",
  message: "no product could be published; the stored catalog is unchanged",
  products: { jira: { status: "failed", reason: "truncated", message: "jira-platform.v3: document is truncated" } },
};

beforeEach(async () => {
  await env.CATALOG.delete(KEYS.manifest);
  await env.CATALOG.delete(KEYS.lastRun);
});

describe("GET /health", () => {
  it("shows the catalog version, its age and per-product counts", async () => {
    await env.CATALOG.put(KEYS.manifest, JSON.stringify(manifest(new Date(Date.now() - 3600_000).toISOString())));
    const response = await get("/health");
    expect(response.status).toBe(200);
    const body = (await response.json()) as any;
    expect(body.status).toBe("ok");
    expect(body.catalog.version).toBe("2026-11-29T04-17-00Z");
    expect(body.catalog.endpoints).toBe(17);
    expect(body.catalog.ageSeconds).toBeGreaterThanOrEqual(3600);
    expect(body.catalog.products.jira).toEqual({
      endpoints: 12,
      endpointsWithScopes: 11,
      scopes: 7,
      version: "2026-11-29T04-17-00Z",
      scrapedAt: "2026-11-29T04:17:00.000Z",
    });
    expect(body.lastRun).toBeNull();
  });

  it("reports a failed scrape with its reason while serving the last good version", async () => {
    await env.CATALOG.put(KEYS.manifest, JSON.stringify(manifest(new Date().toISOString())));
    await env.CATALOG.put(KEYS.lastRun, JSON.stringify(failedRun));
    const body = (await (await get("/health")).json()) as any;
    expect(body.status).toBe("degraded");
    expect(body.problems).toEqual(["jira: last scrape failed (truncated), serving its last good version"]);
    expect(body.lastRun.products.jira.message).toContain("truncated");
    expect(body.catalog.version).toBe("2026-11-29T04-17-00Z");
  });

  it("calls a catalog older than three days degraded", async () => {
    await env.CATALOG.put(KEYS.manifest, JSON.stringify(manifest(new Date(Date.now() - 4 * 86400_000).toISOString())));
    const body = (await (await get("/health")).json()) as any;
    expect(body.status).toBe("degraded");
    expect(body.problems[0]).toMatch(/^catalog is 9\d hours old$/);
  });

  it("answers 503 catalog_empty before the first scrape, with the last run if any", async () => {
    await env.CATALOG.put(KEYS.lastRun, JSON.stringify(failedRun));
    const response = await get("/health");
    expect(response.status).toBe(503);
    const body = (await response.json()) as any;
    expect(body.error.code).toBe("catalog_empty");
    expect(body.error.message).toContain("npm start");
    expect(body.error.details.lastRun.outcome).toBe("failed");
  });

  it("answers 503 catalog_unreadable for a corrupt manifest, without a stack trace", async () => {
    await env.CATALOG.put(KEYS.manifest, '{"schemaVersion":1,"version":');
    const response = await get("/health");
    expect(response.status).toBe(503);
    const body = (await response.json()) as any;
    expect(body.error.code).toBe("catalog_unreadable");
    expect(JSON.stringify(body)).not.toMatch(/at .*\.ts:\d+/);
  });
});

describe("unknown routes", () => {
  it("answer 404 in the error shape", async () => {
    const response = await get("/no/such/route");
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: { code: "route_not_found", message: "No route GET /no/such/route. Try GET /health or GET /openapi.json." } });
  });
});

describe("GET /openapi.json", () => {
  it("is an OpenAPI 3.1 document describing /health and its errors with examples", async () => {
    const response = await get("/openapi.json");
    expect(response.status).toBe(200);
    const document = (await response.json()) as any;
    expect(document.openapi).toBe("3.1.0");
    const operation = document.paths["/health"].get;
    expect(Object.keys(operation.responses).sort()).toEqual(["200", "503"]);
    expect(operation.responses["200"].content["application/json"].example.status).toBe("ok");
    expect(operation.responses["503"].content["application/json"].example.error.code).toBe("catalog_empty");
    expect(document.components.schemas.Error.properties.error.required).toEqual(["code", "message"]);
  });
});
