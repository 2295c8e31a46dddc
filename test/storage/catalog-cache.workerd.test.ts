/**
 * Where the answers come from: the isolate's catalog cache (src/storage/catalog-cache.ts) over KV and
 * the bundled snapshot, seen through the worker's routes inside workerd.
 *
 * The test file and the worker share one module graph, so `resetCatalogCache` and `catalogCacheStats`
 * imported here act on the very state the worker's requests use (the first test proves it). Fake timers
 * and Date manipulation are not available in workerd; instead the 60 s expiry is driven through
 * `servedCatalog`'s own `now` parameter: a call with `now` past `checkedAt + RECHECK_MS` makes the
 * shared cache re-read KV exactly as an expired isolate would, and the catalog it then holds (checked
 * "in the future") is what the worker's next requests are answered from.
 */
import {
  RECHECK_MS,
  SNAPSHOT_VERSION,
  catalogCacheStats,
  expectError,
  expectNoStackTrace,
  get,
  getEndpoints,
  getScopes,
  okJson,
  postDiff,
  resetCatalogCache,
  servedCatalog,
  type Json,
} from "../helpers/worker";
import { env } from "cloudflare:workers";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { loadSnapshot } from "../../data/snapshot";
import { snapshotShards } from "../helpers/snapshot-shards";
import type { Endpoint, Manifest, ProductShard, ScopeRecord } from "../../src/catalog/schema";
import { CatalogIndex } from "../../src/catalog/catalog-index";
import { KEYS } from "../../src/storage/catalog-store";
import { encodeShard } from "../../src/storage/shard-layout";

const VERSION = "2099-01-01T00-00-00Z";
const SCRAPED_AT = "2099-01-01T00:00:00.000Z";
const NEXT_VERSION = "2099-01-02T00-00-00Z";

function endpoint(method: Endpoint["method"], path: string, scopes: string[], summary: string): Endpoint {
  return {
    product: "jira-software",
    method,
    path,
    summary,
    docsUrl: "https://developer.atlassian.com/cloud/jira/software/rest/test/",
    deprecated: false,
    experimental: false,
    alternatives: [{ kind: "granular", state: "Current", scopes, origins: ["security"] }],
    hasScopes: true,
    emptyScopeList: false,
    anonymous: false,
    documents: ["jira-software"],
  };
}

const scope = (name: string, description: string): ScopeRecord => ({
  name,
  kind: "granular",
  product: "jira-software",
  description,
  unused: false,
});

/** One product, two endpoints, scopes unlike the real catalog's, so an answer shows where it came from. */
function shard(version: string): ProductShard {
  return {
    schemaVersion: 1,
    product: "jira-software",
    version,
    scrapedAt: SCRAPED_AT,
    contentHash: `hash-${version}`,
    documents: [{ id: "jira-software", url: "https://example.test/jira-software.json", bytes: 1234, operations: 2 }],
    endpoints: [
      endpoint("GET", "/rest/agile/1.0/board", ["read:board-scope:jira-software"], "Boards, from the KV test catalog"),
      endpoint(
        "GET",
        "/rest/agile/1.0/sprint/{sprintId}",
        ["read:sprint:jira-software", "read:board-scope:jira-software"],
        "A sprint, from the KV test catalog",
      ),
    ],
    scopes: [
      scope("read:board-scope:jira-software", "Board scope, as the KV test catalog describes it."),
      scope("read:sprint:jira-software", "Sprints, as the KV test catalog describes them."),
    ],
  };
}

function manifest(version: string, shardKey = KEYS.shard(version, "jira-software")): Manifest {
  return {
    schemaVersion: 1,
    version,
    publishedAt: new Date().toISOString(),
    products: {
      "jira-software": {
        key: shardKey,
        version,
        scrapedAt: SCRAPED_AT,
        contentHash: `hash-${version}`,
        endpoints: 2,
        endpointsWithScopes: 2,
        scopes: 2,
      },
    },
    previous: null,
    changesKey: null,
    history: [],
  };
}

async function putCatalog(version: string): Promise<void> {
  await env.CATALOG.put(KEYS.shard(version, "jira-software"), JSON.stringify(shard(version)));
  await env.CATALOG.put(KEYS.manifest, JSON.stringify(manifest(version)));
}

/** What an isolate does when its 60 s are up: re-check KV, on the same module state the worker uses. */
async function expireCache(): Promise<void> {
  const checkedAt = catalogCacheStats().checkedAt;
  expect(checkedAt).toBeDefined();
  await servedCatalog(env.CATALOG, loadSnapshot, { now: checkedAt! + RECHECK_MS });
}

async function health(): Promise<Json> {
  const response = await get("/health");
  expect(response.status).toBe(200);
  return response.json();
}

const boardAnswer = async (): Promise<Json> =>
  okJson(await getScopes({ path: "/rest/agile/1.0/board", method: "GET" }));

beforeEach(async () => {
  resetCatalogCache();
  const { keys } = await env.CATALOG.list();
  for (const { name } of keys) await env.CATALOG.delete(name);
});

afterAll(() => {
  // Leave no KV-test catalog held for another file run in the same isolate.
  resetCatalogCache();
});

describe("the catalog cache module", () => {
  it("is the same instance in the test file and in the worker", async () => {
    expect(catalogCacheStats()).toEqual({ kvReads: 0, version: undefined, source: undefined, checkedAt: undefined });
    await boardAnswer();
    const stats = catalogCacheStats();
    expect(stats).toMatchObject({ version: SNAPSHOT_VERSION, source: "snapshot", kvReads: 1 });
    expect(typeof stats.checkedAt).toBe("number");
    resetCatalogCache();
    expect(catalogCacheStats()).toEqual({ kvReads: 0, version: undefined, source: undefined, checkedAt: undefined });
  }, 30_000); // the first request loads the worker and builds the snapshot's index
});

describe("with an empty KV", () => {
  it("answers from the bundled snapshot, and /health says degraded and why", async () => {
    const answer = await boardAnswer();
    expect(answer.catalog).toMatchObject({ version: SNAPSHOT_VERSION, source: "snapshot" });
    expect(answer.endpoints[0].alternatives[0].scopes).toEqual(["read:board-scope:jira-software", "read:project:jira"]);
    const body = await health();
    expect(body.status).toBe("degraded");
    expect(body.problems).toContain("KV holds no catalog yet; serving the snapshot bundled with the worker");
    expect(body.catalog).toMatchObject({ version: SNAPSHOT_VERSION, source: "snapshot" });
    expect(Object.keys(body.catalog.products).sort()).toEqual([
      "assets",
      "bitbucket",
      "confluence",
      "jira",
      "jira-service-management",
      "jira-software",
    ]);
  });

  it("all routes name the snapshot as their source", async () => {
    expect((await okJson(await getEndpoints({ scope: "read:board-scope:jira-software" }))).catalog.source).toBe(
      "snapshot",
    );
    expect(
      (await okJson(await postDiff({ scopes: ["read:jira-work"], path: "/rest/api/3/myself" }))).catalog.source,
    ).toBe("snapshot");
  });
});

describe("with a catalog in KV", () => {
  it("answers from KV once the cache is reset: source kv, its version, its scopes", async () => {
    await boardAnswer(); // the snapshot is now held
    await putCatalog(VERSION);
    resetCatalogCache();
    const answer = await boardAnswer();
    expect(answer.catalog).toEqual({ version: VERSION, scrapedAt: SCRAPED_AT, source: "kv" });
    expect(answer.endpoints).toHaveLength(1);
    expect(answer.endpoints[0]).toMatchObject({
      product: "jira-software",
      summary: "Boards, from the KV test catalog",
    });
    expect(answer.endpoints[0].alternatives).toEqual([
      { kind: "granular", state: "Current", scopes: ["read:board-scope:jira-software"] },
    ]);
    expect(catalogCacheStats()).toMatchObject({ version: VERSION, source: "kv", kvReads: 2 }); // manifest + one shard
  });

  it("serves every route from KV, and only what the KV catalog holds", async () => {
    await putCatalog(VERSION);
    // A Jira platform endpoint is in the snapshot but not in this catalog.
    const missing = await expectError(await getScopes({ path: "/rest/api/3/issue/ABC-1" }), 404, "endpoint_not_found");
    // The curated records (src/catalog/curated.ts) are served with every catalog, so they may be suggested too.
    const curated = ["/me", "/oauth/token/accessible-resources", "/_edge/tenant_info"];
    expect(
      missing.details.suggestions.every(
        (path: string) => path.startsWith("/rest/agile/1.0/") || curated.includes(path),
      ),
    ).toBe(true);
    const sprint = await okJson(await getEndpoints({ scope: "read:sprint:jira-software" }));
    expect(sprint.catalog.source).toBe("kv");
    expect(sprint.scope).toEqual({
      name: "read:sprint:jira-software",
      kind: "granular",
      product: "jira-software",
      description: "Sprints, as the KV test catalog describes them.",
      endpoints: 1,
    });
    expect(sprint.endpoints[0]).toMatchObject({
      path: "/rest/agile/1.0/sprint/{sprintId}",
      alone: false,
      sets: [{ companions: ["read:board-scope:jira-software"] }],
    });
    await expectError(await getEndpoints({ scope: "read:project:jira" }), 404, "scope_not_found");
    const diff = await okJson(
      await postDiff({ scopes: ["read:board-scope:jira-software"], method: "GET", path: "/rest/agile/1.0/board" }),
    );
    expect(diff.catalog).toEqual({ version: VERSION, scrapedAt: SCRAPED_AT, source: "kv" });
    expect(diff.results[0]).toMatchObject({
      satisfied: true,
      satisfiedBy: { scopes: ["read:board-scope:jira-software"] },
    }); // the KV catalog's board needs one scope
  });

  it("gives KV answers the KV version's ETag; the snapshot's ETag no longer matches", async () => {
    await putCatalog(VERSION);
    const first = await getScopes({ path: "/rest/agile/1.0/board" });
    const today = new Date().toISOString().slice(0, 10);
    expect(first.headers.get("etag")).toBe(`W/"${VERSION}@${today}-json"`);
    await first.arrayBuffer();
    const stale = await getScopes(
      { path: "/rest/agile/1.0/board" },
      { "if-none-match": `W/"${SNAPSHOT_VERSION}@${today}-json"` },
    );
    expect(stale.status).toBe(200);
    await stale.arrayBuffer();
    const current = await getScopes(
      { path: "/rest/agile/1.0/board" },
      { "if-none-match": `W/"${VERSION}@${today}-json"` },
    );
    expect(current.status).toBe(304);
  });

  it("/health says ok and counts the KV catalog", async () => {
    await putCatalog(VERSION);
    const body = await health();
    expect(body.status).toBe("ok");
    expect(body.problems).toEqual([]);
    expect(body.catalog).toMatchObject({ version: VERSION, source: "kv", endpoints: 2, scopes: 2 });
    expect(body.catalog.products).toEqual({
      "jira-software": { endpoints: 2, endpointsWithScopes: 2, scopes: 2, version: VERSION, scrapedAt: SCRAPED_AT },
    });
  });
});

describe("the 60 s recheck", () => {
  it("does not read KV again within 60 s: a catalog put into KV waits for the recheck", async () => {
    await boardAnswer();
    expect(catalogCacheStats()).toMatchObject({ source: "snapshot", kvReads: 1 });
    await putCatalog(VERSION);
    for (let i = 0; i < 5; i++) expect((await boardAnswer()).catalog.source).toBe("snapshot");
    await health();
    expect(catalogCacheStats()).toMatchObject({ source: "snapshot", kvReads: 1 }); // no KV read per request
    // Just inside the window the held catalog still answers, without a KV read.
    const held = await servedCatalog(env.CATALOG, loadSnapshot, {
      now: catalogCacheStats().checkedAt! + RECHECK_MS - 1,
    });
    expect(held.source).toBe("snapshot");
    expect(catalogCacheStats().kvReads).toBe(1);
    // At 60 s the manifest is read again, and the KV catalog replaces the snapshot for the worker's requests.
    await expireCache();
    expect(catalogCacheStats()).toMatchObject({ source: "kv", version: VERSION, kvReads: 3 });
    const answer = await boardAnswer();
    expect(answer.catalog).toMatchObject({ source: "kv", version: VERSION });
    const body = await health();
    expect(body).toMatchObject({ status: "ok", problems: [], catalog: { source: "kv", version: VERSION } });
  });

  it("re-reads only the manifest when the version is unchanged, keeping the built index", async () => {
    await putCatalog(VERSION);
    const before = await servedCatalog(env.CATALOG, loadSnapshot);
    expect(catalogCacheStats().kvReads).toBe(2);
    await expireCache();
    const after = await servedCatalog(env.CATALOG, loadSnapshot);
    expect(catalogCacheStats().kvReads).toBe(3); // the manifest, no shard
    expect(after.index).toBe(before.index);
  });

  it("tells answers the request's date from the clock it was read by (lifecycle dates are told against it)", async () => {
    await putCatalog(VERSION);
    const served = await servedCatalog(env.CATALOG, loadSnapshot);
    // A clock just before a day ends and just after: the UTC date, whatever the catalog's own date.
    const before = await servedCatalog(env.CATALOG, loadSnapshot, { now: Date.UTC(2026, 9, 31, 23, 59, 59) });
    const after = await servedCatalog(env.CATALOG, loadSnapshot, { now: Date.UTC(2026, 10, 1, 0, 0, 1) });
    expect([before.today, after.today]).toEqual(["2026-10-31", "2026-11-01"]);
    expect(served.today).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it("picks up a newly published version at the next recheck", async () => {
    await putCatalog(VERSION);
    expect((await boardAnswer()).catalog.version).toBe(VERSION);
    await putCatalog(NEXT_VERSION);
    expect((await boardAnswer()).catalog.version).toBe(VERSION); // still within the 60 s
    await expireCache();
    const answer = await boardAnswer();
    expect(answer.catalog).toMatchObject({ version: NEXT_VERSION, source: "kv" });
    const etag = (await getScopes({ path: "/rest/agile/1.0/board" })).headers.get("etag");
    expect(etag).toBe(`W/"${NEXT_VERSION}@${new Date().toISOString().slice(0, 10)}-json"`);
  });
});

describe("when KV goes bad", () => {
  it("keeps serving the held KV version through a corrupt manifest, and /health names the problem", async () => {
    await putCatalog(VERSION);
    expect((await boardAnswer()).catalog).toMatchObject({ source: "kv", version: VERSION });
    await env.CATALOG.put(KEYS.manifest, '{"schemaVersion":1,"version":');
    await expireCache();
    const answer = await boardAnswer();
    expect(answer.catalog).toMatchObject({ source: "kv", version: VERSION });
    expect(answer.endpoints[0].summary).toBe("Boards, from the KV test catalog");
    const body = await health();
    expect(body.status).toBe("degraded");
    expect(body.catalog).toMatchObject({ source: "kv", version: VERSION });
    expect(body.problems).toHaveLength(1);
    // A short reason that names the key, not the parser's or zod's words (those go to the log).
    expect(body.problems[0]).toBe(
      `KV could not be read (stored value manifest is corrupt); serving version ${VERSION} held in memory`,
    );

    // Once the manifest is good again, the next recheck clears the problem.
    await env.CATALOG.put(KEYS.manifest, JSON.stringify(manifest(VERSION)));
    await expireCache();
    expect(await health()).toMatchObject({ status: "ok", problems: [], catalog: { source: "kv", version: VERSION } });
  });

  it("keeps the held version through a manifest that parses but breaks the schema", async () => {
    await putCatalog(VERSION);
    await boardAnswer();
    await env.CATALOG.put(KEYS.manifest, JSON.stringify({ ...manifest(NEXT_VERSION), schemaVersion: 2 }));
    await expireCache();
    const body = await health();
    expect(body.catalog.version).toBe(VERSION);
    expect(body.problems[0]).toBe(
      "KV could not be read (stored value manifest is corrupt); serving version 2099-01-01T00-00-00Z held in memory",
    );
  });

  it("keeps the held version when the manifest names a shard that is missing", async () => {
    await putCatalog(VERSION);
    await boardAnswer();
    await env.CATALOG.put(KEYS.manifest, JSON.stringify(manifest(NEXT_VERSION)));
    await expireCache();
    expect((await boardAnswer()).catalog.version).toBe(VERSION);
    const body = await health();
    expect(body.status).toBe("degraded");
    expect(body.problems[0]).toBe(
      `KV could not be read (the manifest names shard/${NEXT_VERSION}/jira-software, which is missing); serving version ${VERSION} held in memory`,
    );
  });

  it("falls back to the snapshot on a cold isolate with a corrupt manifest, and says so", async () => {
    await env.CATALOG.put(KEYS.manifest, "not json at all");
    const answer = await boardAnswer();
    expect(answer.catalog).toMatchObject({ source: "snapshot", version: SNAPSHOT_VERSION });
    const body = await health();
    expect(body.status).toBe("degraded");
    expect(body.catalog.source).toBe("snapshot");
    expect(body.problems[0]).toBe(
      "KV could not be read (stored value manifest is corrupt); serving the snapshot bundled with the worker",
    );
    expectNoStackTrace(JSON.stringify(body));
  });

  it("falls back to the snapshot on a cold isolate when a shard is corrupt", async () => {
    await putCatalog(VERSION);
    await env.CATALOG.put(
      KEYS.shard(VERSION, "jira-software"),
      JSON.stringify({ ...shard(VERSION), schemaVersion: 7 }),
    );
    const body = await health();
    expect(body.catalog.source).toBe("snapshot");
    expect(body.problems[0]).toBe(
      `KV could not be read (stored value shard/${VERSION}/jira-software is corrupt); serving the snapshot bundled with the worker`,
    );
  });
});

describe("shards read lazily, the real catalog in KV", () => {
  const REAL_VERSION = "2099-03-01T00-00-00Z";
  const JIRA_PATH = "/rest/api/3/myself";
  const CONFLUENCE_PATH = "/wiki/rest/api/content/search";
  const BITBUCKET_PATH = "/2.0/repositories/ws/repo/pullrequests";

  /** The bundled snapshot's manifest and shards, for putting into KV as a KV catalog. */
  async function realCatalog(): Promise<{ manifest: Manifest; shards: Record<string, ProductShard> }> {
    const { manifest } = await loadSnapshot();
    return { manifest: structuredClone(manifest) as Manifest, shards: structuredClone(await snapshotShards()) };
  }

  /** Puts the snapshot's shards under their keys and a manifest naming them under a version of its own. */
  async function putReal(
    edit: { manifest?: (manifest: Manifest) => void; shards?: (shards: Record<string, ProductShard>) => void } = {},
  ): Promise<Manifest> {
    const { manifest, shards } = await realCatalog();
    manifest.version = REAL_VERSION;
    manifest.publishedAt = new Date().toISOString();
    // These tests count shard reads; the scope registry's one read per version is tested in scheduled.workerd.test.ts.
    delete manifest.registry;
    edit.manifest?.(manifest);
    edit.shards?.(shards);
    // As the scraper stores them (one endpoint per line, parsed on first read); shards written as one
    // JSON line before that layout are the other tests' (putCatalog).
    for (const pointer of Object.values(manifest.products))
      await env.CATALOG.put(pointer.key, encodeShard(shards[pointer.key]!));
    await env.CATALOG.put(KEYS.manifest, JSON.stringify(manifest));
    return manifest;
  }

  const reads = () => catalogCacheStats().kvReads;
  const newestScrapedAt = (manifest: Manifest) =>
    Object.values(manifest.products)
      .map((pointer) => pointer.scrapedAt)
      .sort()
      .at(-1)!;

  it("the real catalog has a prefix per product, and the paths used here belong to one product each", async () => {
    const manifest = await putReal();
    expect(Object.keys(manifest.products)).toHaveLength(6);
    for (const pointer of Object.values(manifest.products)) expect(pointer.prefixes?.length).toBeGreaterThan(0);
  });

  it("a cold GET /scopes for a Jira path reads the manifest and the Jira shard; a Confluence path one more; /health none", async () => {
    await putReal();
    const jira = await okJson(await getScopes({ path: JIRA_PATH }));
    expect(jira.catalog).toMatchObject({ version: REAL_VERSION, source: "kv" });
    expect(jira.endpoints.map((endpoint: Json) => endpoint.product)).toContain("jira");
    expect(reads()).toBe(2); // manifest + jira

    const confluence = await okJson(await getScopes({ path: CONFLUENCE_PATH }));
    expect(confluence.catalog).toMatchObject({ version: REAL_VERSION, source: "kv" });
    expect(confluence.endpoints[0].product).toBe("confluence");
    expect(reads()).toBe(3); // + confluence

    // Both again, and a Jira path of another template: all from memory.
    await okJson(await getScopes({ path: JIRA_PATH }));
    await okJson(await getScopes({ path: "/rest/api/3/issue/ABC-1" }));
    await okJson(await getScopes({ path: CONFLUENCE_PATH }));
    expect(reads()).toBe(3);

    const body = await health();
    expect(body).toMatchObject({ status: "ok", problems: [], catalog: { version: REAL_VERSION, source: "kv" } });
    expect(Object.keys(body.catalog.products)).toHaveLength(6);
    expect(reads()).toBe(3); // the manifest's pointers carry the counts: no shard read

    await okJson(await getScopes({ path: BITBUCKET_PATH }));
    expect(reads()).toBe(4);
    // The products whose scopeNames hold read:jira-work: Jira (held), Jira Software and JSM (read now).
    await okJson(await getEndpoints({ scope: "read:jira-work" }));
    expect(reads()).toBe(6);
  });

  it("a cold GET /scopes through /ex/confluence/ for a path only Jira has as given answers Confluence's (from the whole catalog)", async () => {
    await putReal();
    const dynamic = "/rest/atlassian-connect/1/app/module/dynamic";
    const viaConfluence = await okJson(
      await getScopes({ path: `https://api.atlassian.com/ex/confluence/abc${dynamic}`, method: "GET" }),
    );
    expect(viaConfluence.endpoints.map((endpoint: Json) => endpoint.product)).toEqual(["confluence"]);
    expect(viaConfluence.query.matchedPath).toBe(`/wiki${dynamic}`);
    // Jira's shard first (the path as given matches only Jira's prefixes), then the whole catalog.
    expect(reads()).toBe(7);
  });

  it("a cold GET /scopes through /ex/jira/ for the board reads one shard, Jira Software's", async () => {
    await putReal();
    const board = await okJson(
      await getScopes({ path: "https://api.atlassian.com/ex/jira/abc/rest/agile/1.0/board", method: "GET" }),
    );
    expect(board.endpoints[0].product).toBe("jira-software");
    expect(reads()).toBe(2);
  });

  it("a cold GET /scopes for a Bitbucket path reads only the Bitbucket shard; /health reads none", async () => {
    await putReal();
    const answer = await okJson(await getScopes({ path: BITBUCKET_PATH }));
    expect(answer.endpoints.map((endpoint: Json) => endpoint.product)).toEqual(["bitbucket", "bitbucket"]);
    expect(reads()).toBe(2);
    await health();
    expect(reads()).toBe(2);
  });

  it("a cold /diff over the check cap is refused without reading a shard", async () => {
    await putReal();
    const endpoints = Array.from({ length: 1000 }, (_, index) => `GET /2.0/repositories/ws/repo${index}`);
    const scopes = Array.from({ length: 3 }, (_, index) => ({ id: `t${index}`, scopes: ["repository"] }));
    const error = await expectError(await postDiff({ scopes, endpoints }), 400, "answer_too_large");
    expect(error.message).toBe(
      "3 tokens × 1000 endpoints is 3000 checks; at most 2000 per request: send fewer tokens or endpoints at a time.",
    );
    expect(reads()).toBe(1);
  });

  it("a cold GET /scopes for a path that matches nothing reads every shard, and suggests as the whole catalog does", async () => {
    await putReal();
    const cold = await expectError(await getScopes({ path: "/rest/api/3/isue/ABC-1" }), 404, "endpoint_not_found");
    expect(reads()).toBe(7);
    const nothing = await expectError(await getScopes({ path: "/nothing/here" }), 404, "endpoint_not_found");
    expect(reads()).toBe(7);

    // The same questions on a warm isolate that indexed the whole catalog first.
    resetCatalogCache();
    // A whole-catalog answer (the callable listing of /diff) reads every shard.
    await okJson(await postDiff({ scopes: ["read:jira-work"], limit: 1 }));
    expect(reads()).toBe(7);
    const warm = await expectError(await getScopes({ path: "/rest/api/3/isue/ABC-1" }), 404, "endpoint_not_found");
    const warmNothing = await expectError(await getScopes({ path: "/nothing/here" }), 404, "endpoint_not_found");
    expect(cold.details.suggestions).toEqual(warm.details.suggestions);
    expect(nothing.details.suggestions).toEqual(warmNothing.details.suggestions);
    expect(cold.details.suggestions[0]).toBe("/rest/api/3/issue/{issueIdOrKey}");
    expect(cold).toEqual(warm);
  });

  const implied: { name: string; path: string; matchedAs: string; product: string }[] = [
    {
      name: "a Bitbucket path without /2.0",
      path: "/repositories/ws/repo/pullrequests",
      matchedAs: "/2.0/repositories/ws/repo/pullrequests",
      product: "bitbucket",
    },
    {
      name: "a Confluence path without /wiki",
      path: "/rest/api/content/search",
      matchedAs: "/wiki/rest/api/content/search",
      product: "confluence",
    },
    {
      name: "a Confluence v2 path without /wiki/api/v2",
      path: "/pages/1",
      matchedAs: "/wiki/api/v2/pages/1",
      product: "confluence",
    },
  ];

  it.each(implied)(
    "a cold GET /scopes for $name answers as a warm isolate does",
    async ({ path, matchedAs, product }) => {
      await putReal();
      const cold = await okJson(await getScopes({ path }));
      expect(cold.catalog).toMatchObject({ version: REAL_VERSION, source: "kv" });
      resetCatalogCache();
      await health();
      const warm = await okJson(await getScopes({ path }));
      expect(cold).toEqual(warm);
      expect(JSON.stringify(cold)).toContain(matchedAs);
      expect(cold.endpoints.length).toBeGreaterThan(0);
      expect(cold.endpoints.every((endpoint: Json) => endpoint.product === product)).toBe(true);
    },
  );

  it("catalog.scrapedAt from a partial index is the whole catalog's, not the product's", async () => {
    const manifest = await putReal();
    const newest = newestScrapedAt(manifest);
    // The test means something only if Confluence's own scrapedAt is older than the catalog's.
    expect(manifest.products.confluence!.scrapedAt < newest).toBe(true);
    const partial = await okJson(await getScopes({ path: CONFLUENCE_PATH }));
    expect(reads()).toBe(2);
    expect(partial.catalog).toEqual({ version: REAL_VERSION, scrapedAt: newest, source: "kv" });
    const whole = await okJson(await getEndpoints({ scope: "read:jira-work" }));
    expect(whole.catalog).toEqual(partial.catalog);
    const body = await health();
    const healthNewest = Object.values(body.catalog.products as Record<string, { scrapedAt: string }>)
      .map((product) => product.scrapedAt)
      .sort()
      .at(-1);
    expect(healthNewest).toBe(partial.catalog.scrapedAt);
  });

  it("a manifest without prefixes (written before them) still answers, reading every shard", async () => {
    await putReal({
      manifest: (manifest) => {
        for (const pointer of Object.values(manifest.products)) delete pointer.prefixes;
      },
    });
    const answer = await okJson(await getScopes({ path: JIRA_PATH }));
    expect(answer.catalog).toMatchObject({ version: REAL_VERSION, source: "kv" });
    expect(answer.endpoints[0].product).toBe("jira");
    expect(reads()).toBe(7);
    expect(await health()).toMatchObject({
      status: "ok",
      problems: [],
      catalog: { source: "kv", version: REAL_VERSION },
    });
    expect(reads()).toBe(7);
  });

  it("shards without routes (written before them) answer the same as with", async () => {
    await putReal();
    const paths = [
      JIRA_PATH,
      CONFLUENCE_PATH,
      BITBUCKET_PATH,
      "/2.0/repositories/ws/repo/src/main/docs/a.md",
      "/rest/api/3/issue/createmeta",
    ];
    const withRoutes = [];
    for (const path of paths) withRoutes.push(await okJson(await getScopes({ path })));
    resetCatalogCache();
    await putReal({
      shards: (shards) => {
        for (const shard of Object.values(shards)) delete shard.routes;
      },
    });
    for (const [position, path] of paths.entries())
      expect(await okJson(await getScopes({ path }))).toEqual(withRoutes[position]);
  });

  it("a shard whose first line is corrupt is refused like any corrupt shard: a cold isolate falls back to the snapshot, naming it", async () => {
    const manifest = await putReal({
      shards: (shards) => {
        const jira = Object.values(shards).find((shard) => shard.product === "jira")!;
        jira.removed = [{ method: "GET" } as NonNullable<ProductShard["removed"]>[number]];
      },
    });
    const key = manifest.products.jira!.key;
    const answer = await okJson(await getScopes({ path: JIRA_PATH }));
    expect(answer.catalog).toMatchObject({ version: SNAPSHOT_VERSION, source: "snapshot" });
    const body = await health();
    expect(body.status).toBe("degraded");
    expect(body.catalog.source).toBe("snapshot");
    expect(body.problems[0]).toBe(
      `KV could not be read (stored value ${key} is corrupt); serving the snapshot bundled with the worker`,
    );
    expectNoStackTrace(JSON.stringify(body));
  });

  it("a trie that fails its check when a path lookup first reads it fails that request with a 503, and the next is served from the snapshot", async () => {
    const manifest = await putReal({
      shards: (shards) => {
        const jira = Object.values(shards).find((shard) => shard.product === "jira")!;
        jira.routes = { ...jira.routes, v: [jira.endpoints.length] };
      },
    });
    const key = manifest.products.jira!.key;
    // A reverse lookup reads no trie: it answers from KV.
    const reverse = await okJson(await getEndpoints({ scope: "read:jira-work" }));
    expect(reverse.catalog).toMatchObject({ version: REAL_VERSION, source: "kv" });
    const error = await expectError(await getScopes({ path: JIRA_PATH }), 503, "catalog_unavailable");
    expect(error.message).toContain("failed its check while answering");
    expectNoStackTrace(error.message);
    const next = await okJson(await getScopes({ path: JIRA_PATH }));
    expect(next.catalog).toMatchObject({ version: SNAPSHOT_VERSION, source: "snapshot" });
    const body = await health();
    expect(body.status).toBe("degraded");
    expect(body.problems[0]).toContain(`stored value ${key} is corrupt`);
  });

  it("an endpoint that fails its check when first read fails that request with a 503, and the next is served from the snapshot", async () => {
    let broken = "";
    const manifest = await putReal({
      shards: (shards) => {
        const jira = Object.values(shards).find((shard) => shard.product === "jira")!;
        const endpoint = jira.endpoints.find((candidate) => candidate.path === "/rest/api/3/myself")!;
        broken = `${endpoint.method} ${endpoint.path}`;
        // Still one JSON object on its line, so the shard is accepted when read; the endpoint fails when
        // parsed: its one alternative (its own entry of the table) lists no scopes.
        endpoint.alternatives = [{ kind: "classic" } as Endpoint["alternatives"][number]];
      },
    });
    expect(broken).toBe("GET /rest/api/3/myself");
    const key = manifest.products.jira!.key;
    // Another Jira endpoint reads fine from the same shard.
    const other = await okJson(await getScopes({ path: "/rest/api/3/issue/ABC-1", method: "GET" }));
    expect(other.catalog).toMatchObject({ version: REAL_VERSION, source: "kv" });
    const failed = await getScopes({ path: JIRA_PATH });
    const error = await expectError(failed, 503, "catalog_unavailable");
    expect(error.message).toContain("failed its check while answering");
    expectNoStackTrace(error.message);
    const next = await okJson(await getScopes({ path: JIRA_PATH }));
    expect(next.catalog).toMatchObject({ version: SNAPSHOT_VERSION, source: "snapshot" });
    expect(next.endpoints.map((endpoint: Json) => endpoint.path)).toContain(JIRA_PATH);
    expect((await health()).problems[0]).toBe(
      `KV could not be read (stored value ${key} is corrupt); serving the snapshot bundled with the worker`,
    );
  });

  it("a corrupt shard of a product a lookup does not need is not read: the lookup answers from KV, a whole-catalog answer falls back", async () => {
    const manifest = await putReal({
      shards: (shards) => {
        const confluence = Object.values(shards).find((shard) => shard.product === "confluence")!;
        confluence.removed = [{ path: "/wiki" } as NonNullable<ProductShard["removed"]>[number]];
      },
    });
    const answer = await okJson(await getScopes({ path: JIRA_PATH }));
    expect(answer.catalog).toMatchObject({ version: REAL_VERSION, source: "kv" });
    // /health answers from the manifest: it cannot see a shard no request has read yet.
    expect((await health()).catalog.source).toBe("kv");
    const whole = await okJson(await getEndpoints({ scope: "read:page:confluence" }));
    expect(whole.catalog.source).toBe("snapshot");
    const body = await health();
    expect(body.catalog.source).toBe("snapshot");
    expect(body.problems[0]).toContain(`(stored value ${manifest.products.confluence!.key} is corrupt)`);
  });
});

describe("an index for a path that every product could match", () => {
  it("is not served as the whole catalog: the whole catalog still finds implied-prefix matches", async () => {
    const withPrefixes = manifest(VERSION);
    withPrefixes.products["jira-software"]!.prefixes = ["rest/agile"];
    await env.CATALOG.put(KEYS.shard(VERSION, "jira-software"), JSON.stringify(shard(VERSION)));
    await env.CATALOG.put(KEYS.manifest, JSON.stringify(withPrefixes));
    resetCatalogCache();
    // The catalog's one product is the path's one candidate: the path's index covers every product.
    const forPath = await servedCatalog(env.CATALOG, loadSnapshot, { forPath: ["rest", "agile", "1.0", "board"] });
    expect(forPath).toMatchObject({ source: "kv", partial: true });
    expect(forPath.index.data.directMatchesOnly).toBe(true);
    const whole = await servedCatalog(env.CATALOG, loadSnapshot);
    expect(whole.partial).toBeUndefined();
    expect(whole.index).not.toBe(forPath.index);
    expect(whole.index.data.directMatchesOnly).toBe(false);
  });
});

describe("the whole catalog's index knows its scope names from the manifest", () => {
  it("knowsScope answers as the scope records do, for every name and for names no record has", async () => {
    resetCatalogCache();
    const whole = await servedCatalog(env.CATALOG, loadSnapshot);
    expect(whole.partial).toBeUndefined();
    const names = whole.index.data.catalogScopeNames;
    expect(names?.length).toBe(whole.index.scopeCount);
    for (const name of [...names!, "read:jira-wrok", "READ", "constructor", "__proto__", ""])
      expect(whole.index.knowsScope(name), name).toBe(whole.index.scope(name) !== undefined);
    // Suggestions rank over the manifest's names in the same order as over the scope records (ties keep it).
    const { catalogScopeNames: _names, ...data } = whole.index.data;
    const fromRecords = CatalogIndex.build(data);
    for (const typo of ["read:jira-wrk", "write:issue:jir", "read:page", "pullrequest:wrtie", "read", "manage", "x"])
      expect(whole.index.suggestScopes(typo), typo).toEqual(fromRecords.suggestScopes(typo));
  });
});
