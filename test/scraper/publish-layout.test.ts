/**
 * The layout a publish writes for the worker: each shard carries the path trie over its endpoints
 * (`routes`), each manifest pointer its route prefixes; a catalog written before them (a pointer without
 * `prefixes`) is republished by the next run even when its documents did not change.
 */
import { routeTableOf } from "../../src/catalog/route-table";
import { beforeEach, describe, expect, it } from "vitest";
import { buildRoutes, buildScopeIndex, routePrefixes } from "../../src/catalog/catalog-index";
import { ProductShardSchema, type Manifest, type ProductShard } from "../../src/catalog/schema";
import { CatalogStore, KEYS } from "../../src/storage/catalog-store";
import { LINE_STARTS, expandAlternatives, readLayout } from "../../src/storage/shard-layout";
import { inCurrentLayout } from "../../scraper/publish";
import { runScrape } from "../../scraper/run";
import { MemoryKv } from "../helpers/memory-kv";
import { TEST_SOURCES, documentLoader, type Json } from "../helpers/scrape-fixtures";

const operation = (scopes: string[], summary: string): Json => ({
  summary,
  security: [{ OAuth2: scopes }],
  "x-atlassian-oauth2-scopes": [{ scheme: "OAuth2", state: "Current", scopes }],
});

/** Literal-beats-parameter and shared-prefix templates, so the trie has literal, parameter and value nodes. */
function jiraDoc(): Json {
  const paths: Json = {
    "/rest/api/3/issue/{issueIdOrKey}": {
      get: operation(["read:jira-work"], "Get issue"),
      put: operation(["write:jira-work"], "Edit issue"),
      delete: operation(["write:jira-work"], "Delete issue"),
    },
    "/rest/api/3/issue/createmeta": { get: operation(["write:jira-work"], "Create meta") },
    "/rest/api/3/myself": { get: operation(["read:jira-user"], "Me") },
    "/rest/agile/1.0/board": { get: operation(["read:jira-work"], "Boards") },
  };
  for (let index = 0; index < 12; index++)
    paths[`/rest/api/3/thing${index}/{id}`] = { get: operation(["read:jira-work"], `Thing ${index}`) };
  return {
    openapi: "3.0.1",
    info: { title: "Jira", version: "1" },
    servers: [{ url: "https://your-domain.atlassian.net" }],
    components: {
      securitySchemes: {
        OAuth2: {
          type: "oauth2",
          flows: {
            authorizationCode: {
              authorizationUrl: "x",
              tokenUrl: "x",
              scopes: { "read:jira-work": "Read Jira work", "write:jira-work": "Write", "read:jira-user": "Users" },
            },
          },
        },
      },
    },
    paths,
  };
}

/** Mixed segments and `{path}` catch-alls, as Bitbucket publishes them. */
function bitbucketDoc(): Json {
  const op = (summary: string): Json => ({
    summary,
    security: [{ oauth2: ["repository"] }],
    "x-atlassian-oauth2-scopes": [{ scheme: "oauth2", state: "Current", scopes: ["read:repository:bitbucket"] }],
  });
  const paths: Json = {
    "/repositories/{workspace}/{repo_slug}/src": { get: op("Src root") },
    "/repositories/{workspace}/{repo_slug}/src/{commit}/{path}": { get: op("Src file") },
    "/repositories/{workspace}/{repo_slug}/issues/export/{repo_name}-issues-{task_id}.zip": { get: op("Export") },
    "/workspaces/{workspace}": { get: op("Workspace") },
  };
  for (let index = 0; index < 8; index++) paths[`/repositories/{workspace}/r${index}`] = { get: op(`Repo ${index}`) };
  return {
    openapi: "3.0.0",
    info: { title: "Bitbucket", version: "2.0" },
    servers: [{ url: "https://api.bitbucket.org/2.0" }],
    paths,
  };
}

const DOCUMENTS: Record<string, Json> = { "jira-test": jiraDoc(), "bb-test": bitbucketDoc() };

let kv: MemoryKv;
let store: CatalogStore;
let clock: number;
let calls: { id: string; conditional?: unknown }[];

async function scrape() {
  clock += 60_000;
  calls = [];
  return runScrape({
    sources: TEST_SOURCES,
    loadDocument: documentLoader(DOCUMENTS, calls),
    store,
    now: () => new Date(clock),
  });
}

/** The manifest and every shard it names, as stored. */
async function stored(): Promise<{ manifest: Manifest; shards: Map<string, ProductShard> }> {
  const manifest = (await store.readManifest())!;
  const shards = new Map<string, ProductShard>();
  for (const [product, pointer] of Object.entries(manifest.products))
    shards.set(product, expandAlternatives(JSON.parse(kv.values.get(pointer!.key)!)) as ProductShard);
  return { manifest, shards };
}

/** A manifest as written before pointers carried prefixes, for the products given (all when none are). */
function stripPrefixes(products?: string[]): void {
  const manifest = JSON.parse(kv.values.get(KEYS.manifest)!) as Manifest;
  for (const [product, pointer] of Object.entries(manifest.products))
    if (!products || products.includes(product)) delete pointer!.prefixes;
  kv.values.set(KEYS.manifest, JSON.stringify(manifest));
}

beforeEach(() => {
  kv = new MemoryKv();
  store = new CatalogStore(kv);
  clock = Date.parse("2026-11-30T04:17:00Z");
});

describe("a published shard and its pointer", () => {
  it("the shard read back carries routes equal to buildRoutes of its endpoints; the pointer carries their prefixes", async () => {
    expect((await scrape()).outcome).toBe("published");
    const { manifest, shards } = await stored();
    expect([...shards.keys()].sort()).toEqual(["bitbucket", "jira"]);
    for (const [product, shard] of shards) {
      expect(shard.routes, product).toBeDefined();
      expect(shard.routes).toEqual(JSON.parse(JSON.stringify(buildRoutes(shard.endpoints))));
      // And through the store's zod read, which checks the trie.
      expect((await store.readShard(manifest.products[shard.product]!.key))!.routes).toEqual(shard.routes);
      const pointer = manifest.products[shard.product]!;
      expect(pointer.prefixes).toEqual(routePrefixes(shard.endpoints.map((endpoint) => endpoint.path)));
      expect(inCurrentLayout(pointer)).toBe(true);
    }
    expect(manifest.products.jira!.prefixes).toEqual(["rest/agile", "rest/api"]);
    expect(manifest.products.bitbucket!.prefixes).toEqual(["2.0/repositories", "2.0/workspaces"]);
    for (const [product, shard] of shards) {
      // Each endpoint on its own line, and a scope index equal to buildScopeIndex of the endpoints.
      const text = kv.values.get(manifest.products[shard.product]!.key)!;
      expect(readLayout(text)?.endpointCount, product).toBe(shard.endpoints.length);
      // The fields, the trie, the paths, the alternatives, the scopes, the endpoints, the closing.
      expect(text.split("\n")).toHaveLength(shard.endpoints.length + 6);
      expect(text.split("\n")[1]).toBe(`"routeTable":${JSON.stringify(routeTableOf(shard.routes!))},`);
      expect(text.split("\n")[2]).toBe(`"endpointPaths":${JSON.stringify(shard.endpoints.map((e) => e.path))},`);
      expect(text.split("\n")[3]).toMatch(/^"alternativeTable":\[\{"kind":/);
      expect(shard.scopeIndex).toEqual(JSON.parse(JSON.stringify(buildScopeIndex(shard.endpoints))));
      expect(Object.keys(shard.scopeIndex!).length).toBeGreaterThan(0);
      expect(manifest.products[shard.product]!.layout).toBe("endpoint-lines-with-route-table");
      // Each line's start is stored: in UTF-8 bytes from the first line's, newlines included.
      const starts = (JSON.parse(text.slice(0, text.indexOf("\n")).replace(/,$/, "}")) as Record<string, number[]>)[
        LINE_STARTS
      ]!;
      const lines = text.split("\n").slice(5, -1);
      const expected: number[] = [];
      let at = 0;
      for (const line of lines) {
        expected.push(at);
        at += new TextEncoder().encode(`${line}\n`).length;
      }
      expect(starts).toEqual(expected);
    }
    // The trie is not empty: it reaches Bitbucket's mixed segment and its {path} catch-all.
    expect(JSON.stringify(shards.get("bitbucket")!.routes)).toContain('"x":');
    expect(JSON.stringify(shards.get("bitbucket")!.routes)).toContain('"r":');
  });

  it("a second run on the same documents is unchanged, and sends conditional requests", async () => {
    await scrape();
    const before = (await store.readManifest())!;
    const report = await scrape();
    expect(report.outcome).toBe("unchanged");
    expect(report.products).toMatchObject({ jira: { status: "unchanged" }, bitbucket: { status: "unchanged" } });
    expect(await store.readManifest()).toEqual(before);
    expect(calls.every((call) => call.conditional !== undefined)).toBe(true);
  });
});

describe("a catalog written before the layout", () => {
  it("is republished by the next run though nothing changed, without conditional requests, and then has prefixes", async () => {
    await scrape();
    const first = (await store.readManifest())!;
    stripPrefixes();
    const report = await scrape();
    expect(report.outcome).toBe("published");
    expect(report.products).toMatchObject({ jira: { status: "published" }, bitbucket: { status: "published" } });
    // Not a single conditional request: an old shard's documents are read afresh.
    expect(calls).toEqual([
      { id: "jira-test", conditional: undefined },
      { id: "bb-test", conditional: undefined },
    ]);
    const { manifest, shards } = await stored();
    expect(manifest.version).not.toBe(first.version);
    for (const [product, pointer] of Object.entries(manifest.products)) {
      expect(pointer!.key).not.toBe(first.products[product as "jira"]!.key);
      expect(pointer!.contentHash).toBe(first.products[product as "jira"]!.contentHash);
      expect(pointer!.prefixes).toEqual(first.products[product as "jira"]!.prefixes);
      expect(shards.get(product)!.routes).toEqual(
        JSON.parse(JSON.stringify(buildRoutes(shards.get(product)!.endpoints))),
      );
    }
    // Nothing changed in the documents: the republish records no changes.
    expect((await store.readChanges(manifest.changesKey!))!.entries).toEqual([]);
    // And the run after it is unchanged again.
    expect((await scrape()).outcome).toBe("unchanged");
  });

  it.each([
    ["no layout", undefined],
    ["the endpoint-lines layout (no line starts)", "endpoint-lines" as const],
    ["the endpoint-lines-with-starts layout (the trie on the first line)", "endpoint-lines-with-starts" as const],
    ["the endpoint-lines-with-routes-line layout (no paths' line)", "endpoint-lines-with-routes-line" as const],
    ["the endpoint-lines-with-paths-line layout (no alternatives' line)", "endpoint-lines-with-paths-line" as const],
    [
      "the endpoint-lines-with-alternative-table layout (the trie as nested objects)",
      "endpoint-lines-with-alternative-table" as const,
    ],
  ])("a product whose pointer names %s is republished in the current layout", async (_, layout) => {
    await scrape();
    const first = (await store.readManifest())!;
    const manifest = JSON.parse(kv.values.get(KEYS.manifest)!) as Manifest;
    if (layout) manifest.products.jira!.layout = layout;
    else delete manifest.products.jira!.layout;
    kv.values.set(KEYS.manifest, JSON.stringify(manifest));
    const report = await scrape();
    expect(report.products).toMatchObject({ jira: { status: "published" }, bitbucket: { status: "unchanged" } });
    const after = (await store.readManifest())!;
    expect(after.products.jira!.key).not.toBe(first.products.jira!.key);
    expect(after.products.jira!.layout).toBe("endpoint-lines-with-route-table");
    expect(readLayout(kv.values.get(after.products.jira!.key)!)).toBeDefined();
  });

  it("only the product whose pointer lacks prefixes is republished", async () => {
    await scrape();
    const first = (await store.readManifest())!;
    stripPrefixes(["bitbucket"]);
    const report = await scrape();
    expect(report.outcome).toBe("published");
    expect(report.products).toMatchObject({ jira: { status: "unchanged" }, bitbucket: { status: "published" } });
    expect(calls).toEqual([
      { id: "jira-test", conditional: { etag: '"jira-test-etag"', lastModified: undefined } },
      { id: "bb-test", conditional: undefined },
    ]);
    const manifest = (await store.readManifest())!;
    expect(manifest.products.jira!.key).toBe(first.products.jira!.key);
    expect(manifest.products.bitbucket!.key).not.toBe(first.products.bitbucket!.key);
    expect(manifest.products.bitbucket!.prefixes).toEqual(first.products.bitbucket!.prefixes);
  });
});

describe("ProductShardSchema() and routes", () => {
  async function publishedShard(): Promise<ProductShard> {
    await scrape();
    return (await stored()).shards.get("jira")!;
  }

  it("accepts a published shard, and one without routes (the old layout)", async () => {
    const shard = await publishedShard();
    expect(ProductShardSchema().safeParse(shard).success).toBe(true);
    const { routes: _routes, scopeIndex: _scopeIndex, ...old } = shard;
    expect(ProductShardSchema().safeParse(old).success).toBe(true);
  });

  it.each([
    { name: "an index out of range", corrupt: (count: number) => ({ "read:jira-work": [count] }) },
    { name: "indices out of order", corrupt: () => ({ "read:jira-work": [1, 0] }) },
    { name: "a value that is not a list", corrupt: () => ({ "read:jira-work": 0 }) },
    { name: "a list", corrupt: () => [] },
  ])("refuses a shard whose scope index has $name", async ({ corrupt }) => {
    const shard = await publishedShard();
    const result = ProductShardSchema().safeParse({ ...shard, scopeIndex: corrupt(shard.endpoints.length) });
    expect(result.success).toBe(false);
    expect(result.error!.issues.map((issue) => issue.path.join(".")).join(" ")).toMatch(/scopeIndex/);
  });

  const corruptions: { name: string; corrupt: (shard: ProductShard) => unknown; message: RegExp }[] = [
    {
      name: "an index out of range",
      corrupt: (shard) => ({ ...shard, routes: { ...shard.routes, v: [shard.endpoints.length] } }),
      message: /is not an endpoint index/,
    },
    {
      name: "a negative index",
      corrupt: (shard) => ({ ...shard, routes: { l: { rest: { v: [-1] } } } }),
      message: /route value -1/,
    },
    {
      name: "an index into endpoints that were dropped",
      corrupt: (shard) => ({ ...shard, endpoints: shard.endpoints.slice(0, 2) }),
      message: /is not an endpoint index/,
    },
    {
      name: "routes that are a list",
      corrupt: (shard) => ({ ...shard, routes: [] }),
      message: /routes is not an object/,
    },
    {
      name: "a bad pattern",
      corrupt: (shard) => ({ ...shard, routes: { x: [["(", {}]] } }),
      message: /not a regular expression/,
    },
  ];

  it.each(corruptions)("refuses a shard with $name", async ({ corrupt, message }) => {
    const result = ProductShardSchema().safeParse(corrupt(await publishedShard()));
    expect(result.success).toBe(false);
    expect(result.error!.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("; ")).toMatch(
      new RegExp(`routes: .*${message.source}`),
    );
  });
});
