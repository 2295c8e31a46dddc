/** GET /health, the OpenAPI document and the error shape, through the worker inside workerd. */
import { env, exports } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import type { Endpoint, RunReport } from "../../src/catalog/schema";
import { resetCatalogCache } from "../../src/storage/catalog-cache";
import { CatalogStore, KEYS } from "../../src/storage/catalog-store";
import { publishVersion } from "../../scraper/publish";
import { alt, endpoint as fixtureEndpoint } from "../catalog/catalog-fixture";

const get = (path: string) => exports.default.fetch(new Request(`http://catalog.test${path}`));

const endpoint = (path: string, scopes: string[]): Endpoint =>
  fixtureEndpoint("jira", "GET", path, scopes.length > 0 ? [alt(scopes)] : [], { documents: ["jira-platform.v3"] });

/** Publishes a one-product catalog through the real publisher, as if scraped `ageMs` ago. */
async function publish(ageMs: number): Promise<string> {
  const published = await publishVersion(
    new CatalogStore(env.CATALOG),
    null,
    [
      {
        product: "jira",
        scrapedAt: new Date(Date.now() - ageMs).toISOString(),
        contentHash: "test",
        documents: [],
        endpoints: [endpoint("/rest/api/3/myself", ["read:jira-user"]), endpoint("/rest/api/3/serverInfo", [])],
        scopes: [{ name: "read:jira-user", kind: "classic", product: "jira", unused: false }],
      },
    ],
    new Date(Date.now() - ageMs),
  );
  return published.manifest.version;
}

const failedRun: RunReport = {
  startedAt: "2026-11-30T04:17:00.000Z",
  finishedAt: "2026-11-30T04:17:02.000Z",
  outcome: "failed",
  version: null,
  message: "no product could be published; the stored catalog is unchanged",
  products: { jira: { status: "failed", reason: "truncated", message: "jira-platform.v3: document is truncated" } },
};

beforeEach(async () => {
  for (const key of (await env.CATALOG.list()).keys) await env.CATALOG.delete(key.name);
  resetCatalogCache();
});

describe("GET /health", () => {
  it("shows the catalog version, its age and per-product counts", async () => {
    const version = await publish(3600_000);
    const response = await get("/health");
    expect(response.status).toBe(200);
    const body = (await response.json()) as any;
    expect(body.status).toBe("ok");
    expect(body.problems).toEqual([]);
    expect(body.catalog).toMatchObject({ version, source: "kv", endpoints: 2, scopes: 1 });
    expect(body.catalog.ageSeconds).toBeGreaterThanOrEqual(3600);
    expect(body.catalog.products.jira).toMatchObject({ endpoints: 2, endpointsWithScopes: 1, scopes: 1, version });
    expect(body.lastRun).toBeNull();
  });

  it("reports a failed scrape with its reason while serving the last good version", async () => {
    const version = await publish(0);
    await env.CATALOG.put(KEYS.lastRun, JSON.stringify(failedRun));
    const body = (await (await get("/health")).json()) as any;
    expect(body.status).toBe("degraded");
    expect(body.problems).toEqual(["jira: last scrape failed (truncated), serving its last good version"]);
    expect(body.lastRun.products.jira.message).toContain("truncated");
    expect(body.catalog.version).toBe(version);
  });

  it("calls a catalog older than three days degraded", async () => {
    await publish(4 * 86400_000);
    const body = (await (await get("/health")).json()) as any;
    expect(body.status).toBe("degraded");
    expect(body.problems).toHaveLength(1);
    expect(body.problems[0]).toMatch(/^catalog is 9\d hours old$/);
  });

  it("serves the bundled snapshot before the first scrape, and says so", async () => {
    await env.CATALOG.put(KEYS.lastRun, JSON.stringify(failedRun));
    const response = await get("/health");
    expect(response.status).toBe(200);
    const body = (await response.json()) as any;
    expect(body.status).toBe("degraded");
    expect(body.catalog.source).toBe("snapshot");
    expect(body.catalog.endpoints).toBeGreaterThan(1000);
    expect(body.problems[0]).toBe("KV holds no catalog yet; serving the snapshot bundled with the worker");
    expect(body.lastRun.outcome).toBe("failed");
  });

  it("falls back to the snapshot on a corrupt manifest, naming the problem, without a stack trace", async () => {
    await env.CATALOG.put(KEYS.manifest, '{"schemaVersion":1,"version":');
    const response = await get("/health");
    expect(response.status).toBe(200);
    const body = (await response.json()) as any;
    expect(body.catalog.source).toBe("snapshot");
    expect(body.problems[0]).toBe(
      "KV could not be read (stored value manifest is corrupt); serving the snapshot bundled with the worker",
    );
    expect(JSON.stringify(body)).not.toMatch(/at .*\.ts:\d+/);
  });
});

describe("unknown routes", () => {
  it("answer 404 in the error shape, listing the routes", async () => {
    const response = await get("/no/such/route");
    expect(response.status).toBe(404);
    const body = (await response.json()) as any;
    expect(Object.keys(body)).toEqual(["error"]);
    expect(body.error.code).toBe("route_not_found");
    expect(body.error.message).toBe(
      "No route GET /no/such/route. Routes: GET /scopes?path=..., GET /endpoints?scope=..., POST /diff, POST /plan, POST /explain, GET /changes, GET /changes.atom, GET /health, GET /openapi.json, / (web page), POST /mcp, POST /integrations/slack/command.",
    );
  });
});

describe("GET /openapi.json", () => {
  it("is an OpenAPI 3.1 document describing every route and its errors with examples", async () => {
    const response = await get("/openapi.json");
    expect(response.status).toBe(200);
    const document = (await response.json()) as any;
    expect(document.openapi).toBe("3.1.0");
    expect(Object.keys(document.paths).sort()).toEqual([
      "/changes",
      "/changes.atom",
      "/diff",
      "/endpoints",
      "/explain",
      "/health",
      "/integrations/slack/command",
      "/mcp",
      "/plan",
      "/scopes",
    ]);
    const codes = (path: string, method: string) => Object.keys(document.paths[path][method].responses).sort();
    expect(codes("/scopes", "get")).toEqual(["200", "304", "400", "404", "410", "503"]);
    expect(codes("/endpoints", "get")).toEqual(["200", "304", "400", "404", "503"]);
    expect(codes("/diff", "post")).toEqual(["200", "400", "413", "415", "429", "503"]);
    expect(codes("/health", "get")).toEqual(["200", "400", "503"]);
    expect(codes("/plan", "post")).toEqual(["200", "400", "413", "415", "429", "503"]);
    expect(codes("/explain", "post")).toEqual(["200", "400", "413", "415", "429", "503"]);
    for (const [path, method] of [
      ["/scopes", "get"],
      ["/diff", "post"],
    ] as const) {
      expect(document.paths[path][method].responses["200"].content["application/json"].example).toBeDefined();
    }
    // Error examples are keyed by their code: a status can answer several.
    for (const [path, method, status, code] of [
      ["/scopes", "get", "404", "method_not_found"],
      ["/endpoints", "get", "404", "scope_not_found"],
      ["/diff", "post", "400", "invalid_request"],
      ["/diff", "post", "400", "invalid_credential"],
      ["/plan", "post", "400", "invalid_credential"],
      ["/explain", "post", "400", "invalid_credential"],
      ["/scopes", "get", "400", "invalid_credential"],
      ["/diff", "post", "400", "credential_detected"],
      ["/diff", "post", "413", "body_too_large"],
      ["/diff", "post", "429", "rate_limited"],
      ["/health", "get", "503", "catalog_unavailable"],
    ] as const) {
      const examples = document.paths[path][method].responses[status].content["application/json"].examples;
      expect(examples[code]?.value.error.code, `${method} ${path} ${status} ${code}`).toBe(code);
    }
    const query = document.paths["/scopes"].get.parameters.map((parameter: any) => parameter.name).sort();
    expect(query).toEqual(["context", "credential", "format", "method", "path"]);
    // The credential kinds and the findings about them are API, documented.
    expect(document.components.schemas.Credential.properties.kind.enum).toContain("bitbucket-api-token");
    expect(document.components.schemas.Finding.properties.code.enum).toEqual(
      expect.arrayContaining(["credential_cannot_call", "mixed_credential_scopes"]),
    );
    // URL mistakes have stable codes, documented: on GET /scopes's notes and as /explain findings.
    expect(document.components.schemas.UrlNote.properties.code.enum).toContain("missing_gateway_prefix");
    expect(document.components.schemas.Finding.properties.code.enum).toContain("browser_url");
    expect(document.paths["/diff"].post.requestBody.content["application/json"].schema.$ref).toBe(
      "#/components/schemas/DiffRequest",
    );
    expect(document.components.schemas.Error.properties.error.required).toEqual(["code", "message"]);
  });
});
