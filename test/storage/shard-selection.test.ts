/**
 * /health and /endpoints?scope= read only the shards they need (issue 15): /health none (the manifest's
 * counts and `scopeNames`), a reverse lookup the shards whose `scopeNames` hold the scope, and none for
 * a name no product holds (its classification from the registry, its suggestions from the manifest's
 * scope table). Proven over the bundled snapshot: every answer is identical to the one computed from
 * the whole catalog, and the KV reads name only the shards expected.
 */
import { beforeEach, describe, expect, it } from "vitest";
import { loadSnapshot } from "../../data/snapshot";
import { snapshotShards } from "../helpers/snapshot-shards";
import { answerHealth } from "../../src/answers/health";
import { answerReverse } from "../../src/answers/reverse";
import { productScopeNames } from "../../src/catalog/catalog-index";
import { parseRequestPath } from "../../src/catalog/request-path";
import type { Manifest, Product, ProductShard, ScopeRegistry } from "../../src/catalog/schema";
import { catalogSummary, resetCatalogCache, servedCatalog, type SnapshotLoader } from "../../src/storage/catalog-cache";
import { CorruptValueError, KEYS } from "../../src/storage/catalog-store";
import { encodeShard } from "../../src/storage/shard-layout";
import { MemoryKv } from "../helpers/memory-kv";

/** A KV holding the snapshot as the scraper now publishes it (pointers with `scopeNames`), logging reads. */
async function seededKv(
  withScopeNames: boolean,
): Promise<{ kv: MemoryKv; reads: string[]; manifest: Manifest; registry: ScopeRegistry }> {
  const { manifest: raw, registries } = await loadSnapshot();
  const shards = await snapshotShards();
  const manifest = structuredClone(raw) as Manifest;
  const kv = new MemoryKv();
  for (const pointer of Object.values(manifest.products)) {
    const shard = shards[pointer.key]!;
    if (withScopeNames) pointer.scopeNames = productScopeNames(shard);
    else delete pointer.scopeNames;
    kv.values.set(pointer.key, JSON.stringify(shard));
  }
  kv.values.set(KEYS.manifest, JSON.stringify(manifest));
  const registryKey = manifest.registry?.key ?? "";
  const registry = registries[registryKey] as ScopeRegistry;
  kv.values.set(registryKey, JSON.stringify(registry));
  const reads = kv.reads;
  return { kv, reads, manifest, registry };
}

const noSnapshot: SnapshotLoader = () => Promise.reject(new Error("the snapshot must not be needed"));
const shardReads = (reads: readonly string[]) => reads.filter((key) => key.startsWith(KEYS.shardPrefix));

beforeEach(() => resetCatalogCache());

describe("/endpoints?scope= reads only the shards its scope appears in", () => {
  it("answers every scope of the snapshot, and misses, exactly as the whole catalog does", async () => {
    const { kv, manifest, registry } = await seededKv(true);
    const whole = await servedCatalog(kv, noSnapshot);
    const names = new Set<string>();
    for (const endpoint of whole.index.endpoints)
      for (const alternative of endpoint.alternatives) for (const scope of alternative.scopes) names.add(scope);
    for (const data of Object.values(whole.index.data.products))
      for (const record of data.scopes) names.add(record.name);
    expect(names.size).toBeGreaterThan(400);
    // Real but outside the catalog (the registry lists them; no shard holds them).
    const outside = registry.scopes.map((scope) => scope.name).filter((scope) => !names.has(scope));
    expect(outside.length).toBeGreaterThan(50);
    const misses = [
      "read:jira-wrok",
      "read:board-scope:jira",
      "write:nothing",
      "",
      "  read:jira-work  ",
      "x".repeat(200),
      // The curated records' scopes (no shard holds them either) and a typo of one.
      "read:me",
      "offline_access",
      "read:mee",
      "pullrequest:wrtie",
      "read:confluence-content",
      // Connect scopes: in no product's scope names, granting endpoints of every product.
      "READ",
      "write",
      "ACT_AS_USER",
      "Read",
      ...outside.slice(0, 40),
      ...outside.slice(0, 10).map((scope) => `${scope}x`),
    ];
    let subsets = 0;
    for (const name of [...names, ...misses]) {
      const served = await servedCatalog(kv, noSnapshot, { forScope: name.trim() });
      const products = Object.keys(served.index.data.products);
      if (products.length < Object.keys(manifest.products).length) subsets++;
      for (const input of [
        { scope: name, limit: 500 },
        { scope: name, limit: 7, method: "GET" },
        { scope: name, limit: 500, product: "jira-software" as const },
      ])
        expect(answerReverse(served, input), `${name} ${JSON.stringify(input)}`).toEqual(answerReverse(whole, input));
    }
    // Most scopes live in one or two products: the selection is real.
    expect(subsets).toBeGreaterThan(names.size / 2);
  });

  it("a cold reverse lookup reads the manifest and only the shards whose scopeNames hold the scope", async () => {
    const { kv, reads, manifest } = await seededKv(true);
    await servedCatalog(kv, noSnapshot, { forScope: "read:board-scope:jira-software" });
    const expected = (Object.entries(manifest.products) as [Product, Manifest["products"][Product]][])
      .filter(([, pointer]) => pointer!.scopeNames!.includes("read:board-scope:jira-software"))
      .map(([, pointer]) => pointer!.key);
    expect(expected.length).toBeGreaterThan(0);
    expect(expected.length).toBeLessThan(Object.keys(manifest.products).length);
    expect(reads[0]).toBe(KEYS.manifest);
    expect(shardReads(reads).sort()).toEqual(expected.sort());
  });

  it("a name no product holds reads no shard (the manifest and the registry); a manifest without scopeNames, every shard", async () => {
    const withNames = await seededKv(true);
    const served = await servedCatalog(withNames.kv, noSnapshot, { forScope: "read:jira-wrok" });
    expect(shardReads(withNames.reads)).toEqual([]);
    expect(withNames.reads).toEqual([KEYS.manifest, withNames.manifest.registry?.key]);
    expect(answerReverse(served, { scope: "read:jira-wrok" })).toMatchObject({
      ok: false,
      failure: { reason: "scope_not_found", details: { suggestions: ["read:jira-work", "read:jira-user"] } },
    });
    resetCatalogCache();
    const old = await seededKv(false);
    await servedCatalog(old.kv, noSnapshot, { forScope: "read:board-scope:jira-software" });
    expect(shardReads(old.reads)).toHaveLength(Object.keys(old.manifest.products).length);
  });

  it("a manifest whose scopeNames do not count every record falls back to the whole catalog for an unknown name", async () => {
    const { kv, manifest, reads } = await seededKv(true);
    const jira = manifest.products.jira!;
    jira.scopeNames = jira.scopeNames!.slice(1);
    kv.values.set(KEYS.manifest, JSON.stringify(manifest));
    await servedCatalog(kv, noSnapshot, { forScope: "read:jira-wrok" });
    expect(shardReads(reads)).toHaveLength(Object.keys(manifest.products).length);
  });

  it("parses no trie: with every stored trie unreadable, reverse answers are the whole catalog's; a path lookup finds it corrupt", async () => {
    const { kv, manifest } = await seededKv(true);
    const whole = await servedCatalog(kv, noSnapshot);
    // Each shard in the stored layout, its trie's line no longer JSON (same keys, so nothing else moves).
    for (const pointer of Object.values(manifest.products)) {
      const text = encodeShard(JSON.parse(kv.values.get(pointer.key)!) as ProductShard);
      const broken = text.replace(/^"routeTable":\{/m, '"routeTable":{oops');
      expect(broken).not.toBe(text);
      kv.values.set(pointer.key, broken);
    }
    resetCatalogCache();
    for (const scope of [
      "read:jira-work",
      "read:board-scope:jira-software",
      "repository",
      "pullrequest:write",
      "read:jira-wrok",
    ]) {
      const served = await servedCatalog(kv, noSnapshot, { forScope: scope });
      expect(answerReverse(served, { scope, limit: 500 }), scope).toEqual(answerReverse(whole, { scope, limit: 500 }));
    }
    const path = parseRequestPath("/rest/agile/1.0/board");
    if (!path.ok) throw new Error("the path parses");
    const served = await servedCatalog(kv, noSnapshot, { forPath: path.value.segments });
    expect(() => served.index.match(path.value)).toThrow(CorruptValueError);
  });
});

describe("/health reads no shard", () => {
  const now = Date.parse("2026-12-05T12:00:00Z");

  it("counts from the manifest equal the counts over the shards, with no shard read", async () => {
    const current = await seededKv(true);
    const fromManifest = await catalogSummary(current.kv, noSnapshot, { now });
    expect(fromManifest.fromManifest).toBe(true);
    expect(shardReads(current.reads)).toEqual([]);
    expect(current.reads).toEqual([KEYS.manifest]);

    resetCatalogCache();
    const old = await seededKv(false);
    const fromShards = await catalogSummary(old.kv, noSnapshot, { now });
    expect(fromShards.fromManifest).toBe(false);
    expect(shardReads(old.reads)).toHaveLength(Object.keys(old.manifest.products).length);

    expect(answerHealth(fromManifest, null, now)).toEqual(answerHealth(fromShards, null, now));
    // The stored catalog's distinct scopes: the curated platform records (read:me, ...) are not KV data.
    const { index } = await servedCatalog(old.kv, noSnapshot, { now });
    const stored = Object.entries(index.data.products).filter(([product]) => product !== "platform");
    expect(fromManifest.scopes).toBe(
      new Set(stored.flatMap(([, data]) => data!.scopes.map((scope) => scope.name))).size,
    );
    expect(fromManifest.endpoints).toBeGreaterThan(2000);
  });

  it("a manifest whose scopeNames are not a list of strings is refused like any corrupt manifest", async () => {
    const { kv, manifest } = await seededKv(true);
    (manifest.products.jira as unknown as { scopeNames: unknown }).scopeNames = "read:jira-work";
    kv.values.set(KEYS.manifest, JSON.stringify(manifest));
    const snapshotServed = await catalogSummary(kv, loadSnapshot, { now });
    expect(snapshotServed.source).toBe("snapshot");
    expect(snapshotServed.problem).toMatch(/stored value manifest is corrupt/);
  });
});
