/**
 * Tombstones through the scraper pipeline, on small documents: an endpoint that disappears between
 * scrapes stays known as removed (version, date, last scopes), a reappearing one leaves the list, the
 * list is bounded, and a product that fails its gates or its load writes none.
 */
import { beforeEach, describe, expect, it } from "vitest";
import { MAX_TOMBSTONES, ProductShardSchema, type Endpoint, type ProductShard } from "../../src/catalog/schema";
import { CatalogStore } from "../../src/storage/catalog-store";
import { runScrape, type LoadDocumentResult } from "../../scraper/run";
import { carryTombstones, withRemovedV3Twins } from "../../scraper/tombstones";
import { MemoryKv } from "../helpers/memory-kv";
import { TEST_SOURCES, documentLoader, type Json } from "../helpers/scrape-fixtures";

/** A Jira-like document with operations GET /rest/api/3/thing{i}/{id} for each i in `things`. */
function jiraDoc(things: number[]): Json {
  const paths: Json = {};
  for (const index of things) {
    paths[`/rest/api/3/thing${index}/{id}`] = {
      get: {
        operationId: `getThing${index}`,
        summary: `Get thing ${index}`,
        security: [{ OAuth2: ["read:jira-work"] }],
        "x-atlassian-oauth2-scopes": [
          { scheme: "OAuth2", state: "Current", scopes: ["read:jira-work"] },
          { scheme: "OAuth2", state: "Beta", scopes: ["read:thing:jira"] },
        ],
      },
    };
  }
  return {
    openapi: "3.0.1",
    info: { title: "Jira", version: "1" },
    servers: [{ url: "https://your-domain.atlassian.net" }],
    components: {
      securitySchemes: {
        OAuth2: { type: "oauth2", flows: { authorizationCode: { authorizationUrl: "x", tokenUrl: "x", scopes: {} } } },
      },
    },
    paths,
  };
}

const bitbucketDoc: Json = {
  openapi: "3.0.0",
  info: { title: "Bitbucket", version: "2.0" },
  servers: [{ url: "https://api.bitbucket.org/2.0" }],
  paths: {
    "/repositories/{workspace}/r0": {
      get: {
        security: [{ oauth2: ["repository"] }],
        "x-atlassian-oauth2-scopes": [{ scheme: "oauth2", state: "Current", scopes: ["read:repository:bitbucket"] }],
      },
    },
  },
};

const range = (from: number, to: number) => Array.from({ length: to - from }, (_, index) => from + index);

let store: CatalogStore;
let clock: number;

async function scrape(jira: Json | LoadDocumentResult) {
  clock += 60_000;
  return runScrape({
    sources: TEST_SOURCES,
    loadDocument: documentLoader({ "jira-test": jira, "bb-test": bitbucketDoc }),
    store,
    now: () => new Date(clock),
  });
}

async function jiraShard(): Promise<ProductShard> {
  const manifest = (await store.readManifest())!;
  return (await store.readShard(manifest.products.jira!.key))!;
}

beforeEach(() => {
  store = new CatalogStore(new MemoryKv());
  clock = Date.parse("2026-11-30T04:00:00Z");
});

describe("tombstones in the scraper pipeline", () => {
  it("keeps an endpoint the documents dropped as removed, with the version, date and scopes it last had", async () => {
    expect((await scrape(jiraDoc(range(0, 20)))).outcome).toBe("published");
    expect((await jiraShard()).removed).toBeUndefined();
    expect((await scrape(jiraDoc(range(0, 19)))).outcome).toBe("published");
    const manifest = (await store.readManifest())!;
    const shard = await jiraShard();
    expect(ProductShardSchema().safeParse(shard).success).toBe(true);
    expect(shard.removed).toEqual([
      {
        product: "jira",
        method: "GET",
        path: "/rest/api/3/thing19/{id}",
        summary: "Get thing 19",
        docsUrl: expect.stringMatching(/^https:\/\/developer\.atlassian\.com\/jira\//),
        removedIn: manifest.version,
        removedAt: manifest.publishedAt,
        alternatives: [
          { kind: "classic", state: "Current", scopes: ["read:jira-work"], origins: expect.any(Array) },
          { kind: "granular", state: "Beta", scopes: ["read:thing:jira"], origins: expect.any(Array) },
        ],
      },
    ]);
    // The changelog and the tombstone agree, on the scopes it last took too.
    const changes = (await store.readChanges(manifest.changesKey!))!;
    expect(changes.entries.filter((entry) => entry.type === "endpoint_removed")).toEqual([
      {
        type: "endpoint_removed",
        product: "jira",
        method: "GET",
        path: "/rest/api/3/thing19/{id}",
        alternatives: [
          { kind: "classic", state: "Current", scopes: ["read:jira-work"] },
          { kind: "granular", state: "Beta", scopes: ["read:thing:jira"] },
        ],
      },
    ]);
  });

  it("carries tombstones across versions, newest first, and drops one whose endpoint comes back", async () => {
    await scrape(jiraDoc(range(0, 20)));
    await scrape(jiraDoc(range(0, 19)));
    const first = (await store.readManifest())!.version;
    await scrape(jiraDoc(range(0, 18)));
    const second = (await store.readManifest())!.version;
    expect((await jiraShard()).removed?.map((item) => [item.path, item.removedIn])).toEqual([
      ["/rest/api/3/thing18/{id}", second],
      ["/rest/api/3/thing19/{id}", first],
    ]);
    await scrape(jiraDoc([...range(0, 18), 19]));
    expect((await jiraShard()).removed?.map((item) => item.path)).toEqual(["/rest/api/3/thing18/{id}"]);
    await scrape(jiraDoc(range(0, 20)));
    expect((await jiraShard()).removed).toBeUndefined();
  });

  it("writes none for a product that fails its gates or cannot be loaded: its last good shard stands", async () => {
    await scrape(jiraDoc(range(0, 20)));
    const good = (await store.readManifest())!.products.jira!.key;
    // Losing half the endpoints fails the shrink gate.
    expect((await scrape(jiraDoc(range(0, 10)))).products.jira?.status).toBe("failed");
    expect((await store.readManifest())!.products.jira!.key).toBe(good);
    expect((await jiraShard()).removed).toBeUndefined();
    expect(
      (await scrape({ ok: false, reason: "http_error", message: "HTTP 500" } as LoadDocumentResult)).products.jira
        ?.status,
    ).toBe("failed");
    expect((await jiraShard()).removed).toBeUndefined();
    // The next good scrape diffs against the last good shard: nothing was buried meanwhile.
    await scrape(jiraDoc(range(0, 19)));
    expect((await jiraShard()).removed?.map((item) => item.path)).toEqual(["/rest/api/3/thing19/{id}"]);
  });

  it("names the tombstones' path prefixes in the manifest, so a lookup of a removed path reads the shard", async () => {
    const doc = jiraDoc(range(0, 20));
    (doc.paths as Json)["/rest/legacy/1/thing"] = (doc.paths as Json)["/rest/api/3/thing0/{id}"];
    await scrape(doc);
    delete (doc.paths as Json)["/rest/legacy/1/thing"];
    await scrape(doc);
    expect((await store.readManifest())!.products.jira!.prefixes).toEqual(["rest/api", "rest/legacy"]);
  });
});

describe("carryTombstones", () => {
  const endpointAt = (index: number): Endpoint => ({
    product: "jira",
    method: "GET",
    path: `/rest/api/3/gone${index}`,
    docsUrl: "https://developer.atlassian.com/x",
    deprecated: false,
    experimental: false,
    alternatives: [],
    hasScopes: false,
    emptyScopeList: false,
    anonymous: false,
    documents: ["jira-test"],
  });

  it("makes none on a first publish (no shard before)", () => {
    expect(carryTombstones(null, [endpointAt(1)], "v2", "2026-12-01T00:00:00.000Z")).toBeUndefined();
  });

  it(`keeps at most ${MAX_TOMBSTONES}, the newest first`, () => {
    const older = range(0, MAX_TOMBSTONES).map((index) => ({
      ...endpointAt(index),
      removedIn: "v1",
      removedAt: "2026-11-01T00:00:00.000Z",
    }));
    const carried = carryTombstones(
      {
        endpoints: range(1000, 1010).map(endpointAt),
        removed: older.map(({ documents: _d, ...rest }) => rest) as never,
      },
      [],
      "v2",
      "2026-12-01T00:00:00.000Z",
    )!;
    expect(carried).toHaveLength(MAX_TOMBSTONES);
    expect(carried.slice(0, 10).map((item) => item.removedIn)).toEqual(Array(10).fill("v2"));
    expect(carried.at(-1)!.path).toBe(`/rest/api/3/gone${MAX_TOMBSTONES - 11}`);
  });

  it("refreshes a tombstone whose endpoint came back and went again", () => {
    const carried = carryTombstones(
      {
        endpoints: [endpointAt(1)],
        removed: [
          { ...endpointAt(1), removedIn: "v1", removedAt: "2026-11-01T00:00:00.000Z", alternatives: [] },
        ] as never,
      },
      [],
      "v3",
      "2026-12-01T00:00:00.000Z",
    );
    expect(carried?.map((item) => item.removedIn)).toEqual(["v3"]);
  });
});

describe("tombstones keep the removal their last document announced; v2 twins take it (withRemovedV3Twins)", () => {
  const REMOVAL = {
    type: "removed",
    effective: "2026-06-01",
    details: "https://developer.atlassian.com/cloud/jira/platform/changelog/#CHANGE-2570",
    changelog: "CHANGE-2570",
    replacement: { method: "POST" as const, path: "/rest/api/3/workflows" },
    origin: "description" as const,
  };
  const at = (method: "GET" | "POST", path: string, extra: Partial<Endpoint> = {}): Endpoint => ({
    product: "jira",
    method,
    path,
    docsUrl: "https://developer.atlassian.com/x",
    deprecated: false,
    experimental: false,
    alternatives: [{ kind: "classic", state: "Current", scopes: ["manage:jira-configuration"], origins: ["security"] }],
    hasScopes: true,
    emptyScopeList: false,
    anonymous: false,
    documents: ["jira-test"],
    ...extra,
  });
  const V3 = "/rest/api/3/workflow/transitions/{transitionId}/properties";
  const V2 = "/rest/api/2/workflow/transitions/{transitionId}/properties";
  const workflows = at("POST", "/rest/api/3/workflows");

  it("a tombstone carries its endpoint's removal entry, replacement and all", () => {
    const before = { endpoints: [at("GET", V3, { deprecated: true, lifecycle: [REMOVAL] }), workflows] };
    const [tombstone] = carryTombstones(before, [workflows], "v2", "2026-12-07T09:00:00.000Z")!;
    expect(tombstone).toMatchObject({ path: V3, removal: REMOVAL });
  });

  it("a v2 twin of a tombstone takes its removal, deprecated, the replacement left in v3 when v2 has none", () => {
    const removed = carryTombstones(
      { endpoints: [at("GET", V3, { lifecycle: [REMOVAL] }), at("GET", V2), workflows] },
      [at("GET", V2), workflows],
      "v2",
      "2026-12-07T09:00:00.000Z",
    );
    const [v2] = withRemovedV3Twins([at("GET", V2), workflows], removed);
    expect(v2).toMatchObject({ deprecated: true, lifecycle: [{ ...REMOVAL, origin: "v3-twin" }] });
  });

  it("with no announced removal, the twin's removal is dated the day the scrape found the v3 one gone", () => {
    const removed = carryTombstones(
      { endpoints: [at("GET", V3), at("GET", V2)] },
      [at("GET", V2)],
      "v2",
      "2026-12-07T09:00:00.000Z",
    );
    expect(withRemovedV3Twins([at("GET", V2)], removed)[0]?.lifecycle).toEqual([
      { type: "removed", effective: "2026-12-07", origin: "v3-twin" },
    ]);
  });

  it("leaves alone a v2 endpoint with its own removal, other paths, and a list with no tombstones", () => {
    const own = at("GET", V2, { lifecycle: [{ type: "removed", effective: "2030-01-01" }] });
    const removed = carryTombstones({ endpoints: [at("GET", V3), own] }, [own], "v2", "2026-12-07T09:00:00.000Z");
    expect(withRemovedV3Twins([own], removed)[0]).toBe(own);
    const endpoints = [at("GET", V2)];
    expect(withRemovedV3Twins(endpoints, undefined)).toBe(endpoints);
    // A POST tombstone says nothing of the GET.
    const post = carryTombstones(
      { endpoints: [at("POST", V3), at("GET", V2)] },
      [at("GET", V2)],
      "v2",
      "2026-12-07T09:00:00.000Z",
    );
    expect(withRemovedV3Twins(endpoints, post)).toBe(endpoints);
  });
});
