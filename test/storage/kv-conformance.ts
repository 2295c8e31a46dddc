/**
 * The KV conformance suite: what `KvLike` (src/storage/catalog-store.ts) promises, run against every
 * implementation (the in-memory test store, the CLI's folder store, the benchmark's counting store, and
 * Workers KV itself in workerd), so a store that passes here can stand in for KV.
 *
 * It covers what the catalog code relies on: `get(key, "text")` of a missing key is null; values come back
 * exactly as put (large, unicode, with or without a final newline); a put overwrites; a delete removes one
 * key and nothing beside it; `list` returns the keys under a prefix in order, and following `cursor` until
 * `list_complete` yields each once (CatalogStore.listShardKeys). `KvLike` has no `"json"` type, metadata or
 * `expirationTtl`, so neither has the suite.
 *
 * `makeKv` may return the same namespace every time (the real binding does): each test keeps its keys
 * under a prefix of its own.
 */
import { describe, expect, it } from "vitest";
import type { KvLike } from "../../src/storage/catalog-store";

/** Every key under `prefix`, page by page, as CatalogStore.listShardKeys reads them. */
async function listAll(kv: KvLike, prefix: string): Promise<string[]> {
  const names: string[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < 100; page++) {
    const result = await kv.list({ prefix, cursor });
    names.push(...result.keys.map((key) => key.name));
    if (result.list_complete) return names;
    // A page that is not the last must say where the next one starts, or listShardKeys stops early.
    expect(result.cursor).toEqual(expect.any(String));
    expect(result.cursor).not.toBe("");
    cursor = result.cursor;
  }
  throw new Error(`list({ prefix: ${prefix} }) did not complete in 100 pages`);
}

/** Keys sorted as KV lists them: by UTF-8 bytes, which for the ASCII keys used here is code-unit order. */
function sorted(keys: readonly string[]): string[] {
  return [...keys].sort();
}

let run = 0;

/** Registers the suite for one implementation; `makeKv` is called once per test. */
export function describeKvConformance(name: string, makeKv: () => KvLike | Promise<KvLike>): void {
  describe(`KvLike conformance: ${name}`, () => {
    /** A fresh store and a key prefix no other test (or earlier run against a shared namespace) uses. */
    async function fresh(): Promise<{ kv: KvLike; p: string }> {
      run++;
      return { kv: await makeKv(), p: `conformance/${Date.now().toString(36)}-${run}/` };
    }

    it("get of a key never put is null, also when it is a prefix or an extension of a stored key", async () => {
      const { kv, p } = await fresh();
      expect(await kv.get(`${p}missing`, "text")).toBeNull();
      await kv.put(`${p}shard/v1/jira`, "{}");
      expect(await kv.get(`${p}shard/v1/jir`, "text")).toBeNull();
      expect(await kv.get(`${p}shard/v1`, "text")).toBeNull();
      expect(await kv.get(`${p}shard/v1/jira/x`, "text")).toBeNull();
    });

    it.each([
      ["JSON, as the store writes it", JSON.stringify({ schemaVersion: 1, version: "2026-05-01T04:17:00Z" })],
      ["text without a final newline", "manifest"],
      // The folder store writes files ending in a newline; a value's own newline must survive that.
      ["text ending in a newline", "line one\nline two\n"],
      ["text ending in two newlines", "x\n\n"],
      ["a lone newline", "\n"],
      ["the empty string", ""],
      ["whitespace around", "  {} \t"],
      // Scope descriptions and changelog text carry typographic punctuation; emoji are outside the BMP.
      ["unicode", "read:jira-work — “Read” Jira project and issue data ✓ 日本語 Ünïcödé 😀 \u00a0\u2028"],
    ])("get returns exactly what put stored: %s", async (_, value) => {
      const { kv, p } = await fresh();
      await kv.put(`${p}value`, value);
      expect(await kv.get(`${p}value`, "text")).toBe(value);
    });

    it("round-trips a value of over 1 MB (Jira's shard, the largest, is 0.88 MB in data/)", async () => {
      const { kv, p } = await fresh();
      const endpoints = Array.from({ length: 7_500 }, (_, index) => ({
        method: "GET",
        path: `/rest/api/3/issue/{issueIdOrKey}/comment/${index}`,
        alternatives: [{ scopes: ["read:jira-work", "read:comment:jira — ✓"] }],
      }));
      const value = JSON.stringify({ schemaVersion: 1, endpoints });
      expect(value.length).toBeGreaterThan(1_000_000);
      await kv.put(`${p}shard/v1/jira`, value);
      const back = await kv.get(`${p}shard/v1/jira`, "text");
      expect(back?.length).toBe(value.length);
      expect(back === value).toBe(true); // not toBe: a failure would print two 1 MB strings
    });

    it("a second put overwrites the first, and the key is listed once", async () => {
      const { kv, p } = await fresh();
      await kv.put(`${p}manifest`, '{"version":"a"}');
      await kv.put(`${p}manifest`, '{"version":"b"}');
      expect(await kv.get(`${p}manifest`, "text")).toBe('{"version":"b"}');
      expect(await listAll(kv, p)).toEqual([`${p}manifest`]);
    });

    it("a shorter value overwrites a longer one completely", async () => {
      const { kv, p } = await fresh();
      await kv.put(`${p}lock/scrape`, "x".repeat(10_000));
      await kv.put(`${p}lock/scrape`, "y");
      expect(await kv.get(`${p}lock/scrape`, "text")).toBe("y");
    });

    it("delete removes the key and nothing beside, above or below it", async () => {
      const { kv, p } = await fresh();
      const keys = [`${p}shard/v1/jira`, `${p}shard/v1/confluence`, `${p}shard/v2/jira`, `${p}shard`, `${p}shard/v1`];
      for (const key of keys) await kv.put(key, key);
      await kv.delete(`${p}shard/v1/jira`);
      expect(await kv.get(`${p}shard/v1/jira`, "text")).toBeNull();
      for (const key of keys.slice(1)) expect(await kv.get(key, "text")).toBe(key);
      expect(await listAll(kv, p)).toEqual(sorted(keys.slice(1)));
    });

    it("after deleting every key under a prefix, the prefix lists nothing and can be written again", async () => {
      const { kv, p } = await fresh();
      await kv.put(`${p}shard/v1/jira`, "1");
      await kv.put(`${p}shard/v1/confluence`, "2");
      await kv.delete(`${p}shard/v1/jira`);
      await kv.delete(`${p}shard/v1/confluence`);
      expect(await listAll(kv, p)).toEqual([]);
      await kv.put(`${p}shard/v1/jira`, "3");
      expect(await kv.get(`${p}shard/v1/jira`, "text")).toBe("3");
    });

    it("delete of a key that does not exist resolves", async () => {
      const { kv, p } = await fresh();
      await expect(kv.delete(`${p}never/put`)).resolves.toBeUndefined();
      await kv.delete(`${p}twice`);
      await kv.put(`${p}twice`, "x");
      await kv.delete(`${p}twice`);
      await expect(kv.delete(`${p}twice`)).resolves.toBeUndefined();
      expect(await kv.get(`${p}twice`, "text")).toBeNull();
    });

    it("list returns exactly the keys starting with the prefix, in order, by name", async () => {
      const { kv, p } = await fresh();
      const inside = [`${p}shard/v2/jira`, `${p}shard/v1/jira`, `${p}shard/v1/confluence`, `${p}shard/v10/bitbucket`];
      const outside = [`${p}shard`, `${p}shards/v1/jira`, `${p}manifest`, `${p}changes/v1`, `${p}run/latest`];
      for (const key of [...outside, ...inside]) await kv.put(key, "{}");
      const page = await kv.list({ prefix: `${p}shard/` });
      expect(page.list_complete).toBe(true);
      expect(page.keys.map((key) => key.name)).toEqual(sorted(inside));
      expect(await listAll(kv, `${p}shard/v1/`)).toEqual(sorted([`${p}shard/v1/jira`, `${p}shard/v1/confluence`]));
      expect(await listAll(kv, p)).toEqual(sorted([...inside, ...outside]));
    });

    it("list of a prefix with no keys is empty and complete", async () => {
      const { kv, p } = await fresh();
      await kv.put(`${p}manifest`, "{}");
      const page = await kv.list({ prefix: `${p}shard/` });
      expect(page).toMatchObject({ keys: [], list_complete: true });
    });

    it("following the cursor lists more than one page's worth of keys (KV pages at 1,000), each once", async () => {
      const { kv, p } = await fresh();
      const keys = Array.from({ length: 1_010 }, (_, index) => `${p}shard/v${String(index).padStart(4, "0")}/jira`);
      for (let start = 0; start < keys.length; start += 50) {
        await Promise.all(keys.slice(start, start + 50).map((key) => kv.put(key, "{}")));
      }
      await kv.put(`${p}manifest`, "{}");
      expect(await listAll(kv, `${p}shard/`)).toEqual(keys);
    });

    it("concurrent puts of different keys all land", async () => {
      const { kv, p } = await fresh();
      const keys = ["jira", "confluence", "bitbucket", "jsm", "compass"].map((product) => `${p}shard/v1/${product}`);
      await Promise.all(keys.map((key) => kv.put(key, `value of ${key}`)));
      for (const key of keys) expect(await kv.get(key, "text")).toBe(`value of ${key}`);
    });

    it("concurrent puts of one key both resolve, and one of the values is stored whole", async () => {
      const { kv, p } = await fresh();
      const values = ["a".repeat(50_000), "b".repeat(60_000), "c"];
      await Promise.all(values.map((value) => kv.put(`${p}manifest`, value)));
      expect(values).toContain(await kv.get(`${p}manifest`, "text"));
      expect(await listAll(kv, p)).toEqual([`${p}manifest`]);
    });
  });
}
