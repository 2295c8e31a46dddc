/**
 * The route table changes how a shard's trie is stored, not what any answer says: over the bundled
 * snapshot, each shard stored in the current layout (the trie as a table) and in the layout before
 * it (the trie as nested objects, as KV holds shards until the next scrape) answers every endpoint's
 * path filled in, with and without its method, mistyped (suggestions), in another case, and a /diff
 * of every endpoint, byte for byte the same.
 */
import { beforeEach, describe, expect, it } from "vitest";
import { loadSnapshot } from "../../data/snapshot";
import { answerDiff } from "../../src/answers/diff";
import { answerLookup } from "../../src/answers/lookup";
import type { Manifest } from "../../src/catalog/schema";
import { resetCatalogCache, servedCatalog, type SnapshotLoader } from "../../src/storage/catalog-cache";
import { KEYS } from "../../src/storage/catalog-store";
import { encodeShard } from "../../src/storage/shard-layout";
import { MemoryKv } from "../helpers/memory-kv";
import { withNestedRoutes } from "../helpers/nested-routes";
import { snapshotShards } from "../helpers/snapshot-shards";

/** A KV holding the snapshot, each shard stored as encodeShard writes it, then changed by `stored`. */
async function seededKv(stored: (text: string) => string): Promise<MemoryKv> {
  const { manifest: raw, registries } = await loadSnapshot();
  const shards = await snapshotShards();
  const manifest = raw as Manifest;
  const kv = new MemoryKv();
  for (const pointer of Object.values(manifest.products)) {
    const text = encodeShard(shards[pointer.key]!);
    expect(text.split("\n")[1]).toMatch(/^"routeTable":/);
    kv.values.set(pointer.key, stored(text));
  }
  for (const [key, registry] of Object.entries(registries ?? {})) kv.values.set(key, JSON.stringify(registry));
  kv.values.set(KEYS.manifest, JSON.stringify(manifest));
  return kv;
}

const noSnapshot: SnapshotLoader = () => Promise.reject(new Error("the snapshot must not be needed"));
/** A template made concrete (`{issueIdOrKey}` → `X1`), as users paste it. */
const concrete = (path: string) => path.replace(/\{[^}]*\}/g, "X1");
/** One letter dropped from the path's last literal segment: a miss with suggestions. */
const mistyped = (path: string) => path.replace(/([a-z])([a-z]*)$/i, "$2");

beforeEach(() => resetCatalogCache());

describe("a shard's trie as a table answers as the nested trie did", () => {
  it("every endpoint's path, filled, with and without its method, mistyped and in upper case; a /diff of all", async () => {
    const table = await servedCatalog(await seededKv((text) => text), noSnapshot);
    resetCatalogCache();
    const nested = await servedCatalog(await seededKv(withNestedRoutes), noSnapshot);
    expect(table.index.endpoints.length).toBeGreaterThan(2000);
    const same = (a: unknown, b: unknown, what: string) => expect(JSON.stringify(a), what).toBe(JSON.stringify(b));
    let misses = 0;
    for (const endpoint of table.index.endpoints) {
      const path = concrete(endpoint.path);
      for (const input of [
        { path, method: endpoint.method },
        { path },
        { path: mistyped(path) },
        { path: path.toUpperCase(), method: endpoint.method },
        { path: `https://api.atlassian.com/ex/jira/11111111-2222-3333-4444-555555555555${path}` },
      ]) {
        const answer = answerLookup(table, input);
        if (!answer.ok) misses++;
        same(answer, answerLookup(nested, input), JSON.stringify(input));
      }
    }
    expect(misses).toBeGreaterThan(1000);
    const body = { scopes: ["read:jira-work"], endpoints: table.index.endpoints.map((e) => `${e.method} ${e.path}`) };
    same(answerDiff(table, body), answerDiff(nested, body), "diff");
  }, 300_000);
});
