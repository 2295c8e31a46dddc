/**
 * The scope tables from each shard's stored scope index: the same counts and lists as derived from the
 * endpoints, and a scope's count and endpoints read without reading (parsing) the others. Over the
 * bundled snapshot (data/).
 */
import { describe, expect, it } from "vitest";
import { loadSnapshot } from "../../data/snapshot";
import { snapshotShards } from "../helpers/snapshot-shards";
import { CatalogIndex, buildScopeIndex, type CatalogData } from "../../src/catalog/catalog-index";
import { CREDENTIAL_KINDS } from "../../src/catalog/credentials";
import { callableEndpoints, checkEndpoint } from "../../src/catalog/diff";
import type { Endpoint } from "../../src/catalog/schema";
import { lazyList } from "../../src/lazy";

/** The snapshot's products; `withIndex` false drops the stored scope index (shards written before it). */
async function snapshotData(withIndex: boolean, reads?: number[]): Promise<CatalogData> {
  const { manifest } = await loadSnapshot();
  const shards = await snapshotShards();
  const products: CatalogData["products"] = {};
  for (const pointer of Object.values((manifest as { products: Record<string, { key: string }> }).products)) {
    const shard = shards[pointer.key]!;
    const endpoints = reads
      ? lazyList(shard.endpoints.length, (index) => {
          reads.push(index);
          return shard.endpoints[index]!;
        })
      : shard.endpoints;
    products[shard.product] = {
      scrapedAt: shard.scrapedAt,
      version: shard.version,
      endpoints,
      scopes: shard.scopes,
      routes: shard.routes,
      ...(withIndex ? { scopeIndex: shard.scopeIndex } : {}),
    };
  }
  return { version: "v", publishedAt: "2026-12-05T00:00:00.000Z", products };
}

const NAMES = [
  "read:jira-work",
  "read:board-scope:jira-software",
  "read:page:confluence",
  "pullrequest:write",
  "manage:jira-configuration",
];

describe("scope tables from the stored scope index", () => {
  it("every snapshot shard carries the index buildScopeIndex gives for its endpoints", async () => {
    for (const shard of Object.values(await snapshotShards()))
      expect(shard.scopeIndex, shard.product).toEqual(JSON.parse(JSON.stringify(buildScopeIndex(shard.endpoints))));
  });

  it("counts and lists each scope's endpoints as the index derived from the endpoints does", async () => {
    const stored = CatalogIndex.build(await snapshotData(true));
    const derived = CatalogIndex.build(await snapshotData(false));
    expect(stored.scopeCount).toBe(derived.scopeCount);
    const names = [
      ...new Set(
        derived.endpoints.flatMap((endpoint) => endpoint.alternatives.flatMap((alternative) => alternative.scopes)),
      ),
    ];
    expect(names.length).toBeGreaterThan(300);
    for (const name of [...names, "constructor", "__proto__", "no:such:scope"]) {
      expect(stored.scope(name), name).toEqual(derived.scope(name));
      expect(stored.endpointsWithScope(name).map(key), name).toEqual(derived.endpointsWithScope(name).map(key));
    }
    expect(stored.endpointsWithScope("read:jira-work").length).toBeGreaterThan(100);
  });

  it("reads no endpoint for a scope's count, and only the scope's own endpoints for its list", async () => {
    const reads: number[] = [];
    const index = CatalogIndex.build(await snapshotData(true, reads));
    for (const name of NAMES) expect(index.scope(name)?.endpoints, name).toBeGreaterThan(0);
    expect(index.classifyScope("read:jira-work")).toMatchObject({ status: "catalogued" });
    expect(reads).toEqual([]);
    const work = index.endpointsWithScope("read:jira-work");
    expect(work.length).toBeGreaterThan(100);
    expect(reads).toEqual([]);
    // A page reads its own endpoints only.
    expect(work.slice(50, 60).map(key)).toHaveLength(10);
    expect(reads).toHaveLength(10);
    const board = [...index.endpointsWithScope("read:board-scope:jira-software")];
    expect(reads).toHaveLength(10 + board.length);
    expect(board.length).toBeLessThan(index.endpoints.length / 10);
  });

  it("lists the endpoints naming any of several scopes in catalog order, as a filter of every endpoint does", async () => {
    const index = CatalogIndex.build(await snapshotData(true));
    const sets = [
      NAMES,
      ["read:board-scope:jira-software", "read:project:jira"],
      ["pullrequest", "no:such:scope", "constructor"],
      [],
      ["no:such:scope"],
    ];
    for (const names of sets) {
      const want = index.endpoints.filter((endpoint) =>
        endpoint.alternatives.some((alternative) => alternative.scopes.some((scope) => names.includes(scope))),
      );
      expect(index.endpointsWithAnyScope(names).map(key), names.join(" ")).toEqual(want.map(key));
    }
  });

  it("reads only the endpoints a token's scopes are named by to list what it can call", async () => {
    const reads: number[] = [];
    const data = await snapshotData(true, reads);
    const total = Object.values(data.products).reduce((sum, product) => sum + product.endpoints.length, 0);
    const index = CatalogIndex.build(data);
    expect(callableEndpoints(new Set(["read:jira-wrk", "wirte:jira-work"]), index)).toEqual([]);
    expect(reads).toEqual([]);
    const held = new Set(["read:board-scope:jira-software", "read:project:jira"]);
    const callable = callableEndpoints(held, index);
    expect(callable.length).toBeGreaterThan(5);
    expect(reads.length).toBe(index.endpointsWithAnyScope([...held]).length);
    expect(reads.length).toBeLessThan(total / 5);
  });

  it("lists what a Connect app can call by each endpoint's Connect scope, as checkEndpoint judges it", async () => {
    const index = CatalogIndex.build(await snapshotData(true));
    const withConnectScope = index.endpoints.filter((endpoint) => endpoint.connectScope);
    expect(withConnectScope.length).toBeGreaterThan(1000);
    for (const scopes of [["READ"], ["WRITE"], ["ADMIN", "ACT_AS_USER"], ["read"], ["NONE"], ["pullrequest"]]) {
      const held = new Set(scopes);
      const callable = callableEndpoints(held, index, "connect");
      const want = index.endpoints.filter(
        (endpoint) =>
          (endpoint.alternatives.length > 0 || endpoint.connectScope) &&
          checkEndpoint(endpoint, held, "connect").satisfied,
      );
      expect(
        callable.map(({ endpoint }) => key(endpoint)),
        scopes.join(" "),
      ).toEqual(want.map(key));
      for (const item of callable) expect(item.via === undefined).toBe(item.connectScope !== undefined);
    }
    const read = callableEndpoints(new Set(["READ"]), index, "connect");
    expect(read.length).toBeGreaterThan(500);
    expect(
      read.every(({ connectScope }) => connectScope === undefined || ["READ", "NONE"].includes(connectScope)),
    ).toBe(true);
    // A descriptor may write a Connect scope in all lower case, but not in mixed case.
    expect(callableEndpoints(new Set(["read"]), index, "connect").map(({ endpoint }) => key(endpoint))).toEqual(
      read.map(({ endpoint }) => key(endpoint)),
    );
    expect(callableEndpoints(new Set(["Read"]), index, "connect").some(({ connectScope }) => connectScope)).toBe(false);
  });

  it("lists for every credential kind exactly the endpoints checkEndpoint says it can call", async () => {
    const index = CatalogIndex.build(await snapshotData(true));
    const sets = [
      ["read:jira-work", "write:jira-work", "read:board-scope:jira-software", "read:project:jira"],
      ["read:page:confluence", "read:confluence-content.all", "offline_access"],
      ["pullrequest:write", "account", "repository:admin"],
      ["read:repository:bitbucket", "read:pullrequest:bitbucket", "read:user:bitbucket"],
      ["READ", "WRITE", "repository"],
    ];
    let listed = 0;
    for (const credential of [undefined, ...CREDENTIAL_KINDS])
      for (const scopes of sets) {
        const held = new Set(scopes);
        const want = index.endpoints.filter(
          (endpoint) =>
            (endpoint.alternatives.length > 0 || endpoint.connectScope) &&
            checkEndpoint(endpoint, held, credential).satisfied,
        );
        const got = callableEndpoints(held, index, credential).map(({ endpoint }) => key(endpoint));
        expect(got, `${credential ?? "no credential"}: ${scopes.join(" ")}`).toEqual(want.map(key));
        listed += got.length;
      }
    expect(listed).toBeGreaterThan(2000);
  });

  it("without a stored index, reads every endpoint once to derive it", async () => {
    const reads: number[] = [];
    const index = CatalogIndex.build(await snapshotData(false, reads));
    index.scope("read:jira-work");
    const total = (await snapshotData(false)).products;
    expect(reads).toHaveLength(Object.values(total).reduce((sum, product) => sum + product.endpoints.length, 0));
  });
});

function key(endpoint: Endpoint): string {
  return `${endpoint.product} ${endpoint.method} ${endpoint.path}`;
}
