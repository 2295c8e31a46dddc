/**
 * One scope read alone from a stored shard's scopes' line (shard-layout.ts scopeEntryReader,
 * catalog-store.ts checkScopeEntry, CatalogIndex.scopeAlone): the same records and positions as the
 * whole line gives, without parsing the other scopes'.
 */
import { describe, expect, it } from "vitest";
import { CatalogIndex } from "../../src/catalog/catalog-index";
import { CURATED_PRODUCT } from "../../src/catalog/curated";
import type { Endpoint, Product, ProductShard, ScopeRecord } from "../../src/catalog/schema";
import { productData } from "../../src/storage/catalog-cache";
import { CorruptValueError, shardForServing } from "../../src/storage/catalog-store";
import { encodeShard, readLayout } from "../../src/storage/shard-layout";
import { alt, endpoint } from "../catalog/catalog-fixture";
import { snapshotShards } from "../helpers/snapshot-shards";

const KEY = "shard/2026-12-05T00-00-00Z/jira";

const record = (name: string, description?: string): ScopeRecord => ({
  name,
  kind: name.split(":").length === 3 ? "granular" : "classic",
  product: "jira",
  ...(description === undefined ? {} : { description }),
  unused: false,
});

const endpoints: Endpoint[] = Array.from({ length: 12 }, (_, at) =>
  endpoint("jira", "GET", `/rest/api/3/thing${at}`, [alt([at % 2 === 0 ? "read:jira-work" : "read:thing:jira"])]),
);

/**
 * Records whose descriptions hold what a search for a record or an index entry looks for (escaped
 * in the stored JSON), a name that starts another, a name recorded twice (the description on the
 * second), a name only the index lists and a name only the records list.
 */
const shard: ProductShard = {
  schemaVersion: 1,
  product: "jira",
  version: "2026-12-05T00-00-00Z",
  scrapedAt: "2026-12-05T00:00:00.000Z",
  contentHash: "hash",
  documents: [{ id: "jira", url: "https://example.test/doc.json", bytes: 1, operations: endpoints.length }],
  endpoints,
  scopes: [
    record("read:jira-work", 'Says {"name":"read:thing:jira","kind":"granular"} and "read:thing:jira":[1,2]'),
    record("read:thing"),
    record("read:thing:jira", 'Ends the list: ],"scopeIndex":{ and },{"name":"x"'),
    record("write:jira-work"),
    record("write:jira-work", "The second record holds the description."),
    record("manage:jira-project", "Only in the records: no endpoint names it."),
  ],
  scopeIndex: {
    "read:jira-work": [0, 2, 4, 6, 8, 10],
    "read:thing:jira": [1, 3, 5, 7, 9, 11],
    "write:jira-work": [3],
    "read:unrecorded:jira": [2, 4],
  },
};

const NAMES = [
  ...new Set([...shard.scopes.map((scope) => scope.name), ...Object.keys(shard.scopeIndex!)]),
  "read:thing:jir",
  "read:jira",
  "constructor",
  "__proto__",
  'read:"quoted"',
  // The line's own keys: `"endpoints":[` ends the scopes' line, after the index.
  "endpoints",
  "scopeIndex",
  "scopes",
];

/** What the whole line gives for a name. */
const wholeEntry = (name: string) => ({
  records: shard.scopes.filter((scope) => scope.name === name),
  positions: Object.hasOwn(shard.scopeIndex!, name) ? shard.scopeIndex![name] : undefined,
});

describe("a scope's entry read alone from the scopes' line", () => {
  it("is the whole line's records and positions for every name, known or not", () => {
    const layout = readLayout(encodeShard(shard))!;
    for (const name of NAMES) {
      const entry = layout.parseScopeEntry(name)!;
      const whole = wholeEntry(name);
      expect(entry.records, name).toEqual(whole.records);
      expect(entry.positions, name).toEqual(whole.positions);
    }
  });

  it("reads only its own part: another scope's broken record does not stop it, a whole read throws", () => {
    const text = encodeShard(shard).replace(
      '"name":"read:thing","kind":"classic"',
      '"name":"read:thing","kind":classic',
    );
    const layout = readLayout(text)!;
    expect(() => layout.parseScopes()).toThrow(SyntaxError);
    expect(layout.parseScopeEntry("read:thing:jira")!.positions).toEqual(shard.scopeIndex!["read:thing:jira"]);
    expect(() => layout.parseScopeEntry("read:thing")).toThrow(SyntaxError);
  });

  it("is not offered for a line without a scope index, or with records written without `name` first", () => {
    const { scopeIndex: _index, ...withoutIndex } = shard;
    expect(readLayout(encodeShard(withoutIndex))!.parseScopeEntry("read:jira-work")).toBeUndefined();
    const reordered = encodeShard(shard).replace(
      '"scopes":[{"name":"read:jira-work","kind":"classic"',
      '"scopes":[{"kind":"classic","name":"read:jira-work"',
    );
    expect(readLayout(reordered)!.parseScopeEntry("read:jira-work")).toBeUndefined();
    const none = encodeShard({ ...shard, scopes: [] });
    expect(readLayout(none)!.parseScopeEntry("read:jira-work")).toEqual({
      records: [],
      positions: shard.scopeIndex!["read:jira-work"],
    });
  });
});

describe("a served shard's scopeEntry", () => {
  const served = (text: string, reported: CorruptValueError[] = []) =>
    shardForServing(KEY, new TextEncoder().encode(text), (error) => reported.push(error));

  it("checks the positions it reads as the whole scope index is checked, and reports a bad one", () => {
    const reported: CorruptValueError[] = [];
    const shardOf = served(
      encodeShard({ ...shard, scopeIndex: { ...shard.scopeIndex, "write:jira-work": [3, 40] } }),
      reported,
    );
    expect(shardOf.scopeEntry!("read:jira-work")!.positions).toEqual(shard.scopeIndex!["read:jira-work"]);
    expect(() => shardOf.scopeEntry!("write:jira-work")).toThrow(/scopeIndex: .*holds 40/);
    expect(reported).toHaveLength(1);
    const unsorted = served(encodeShard({ ...shard, scopeIndex: { ...shard.scopeIndex, "write:jira-work": [3, 1] } }));
    expect(() => unsorted.scopeEntry!("write:jira-work")).toThrow(CorruptValueError);
  });

  it("finds no entry for the line's own keys, and reports nothing", () => {
    const reported: CorruptValueError[] = [];
    const shardOf = served(encodeShard(shard), reported);
    for (const name of ["endpoints", "scopeIndex", "scopes"])
      expect(shardOf.scopeEntry!(name), name).toEqual({ records: [] });
    expect(reported).toEqual([]);
  });

  it("refuses an entry whose positions are not one list of numbers", () => {
    const text = encodeShard(shard).replace('"write:jira-work":[3]', '"write:jira-work":[3,"4"]');
    expect(() => served(text).scopeEntry!("write:jira-work")).toThrow(/not an increasing endpoint index/);
    const unclosed = encodeShard(shard).replace('"write:jira-work":[3]', '"write:jira-work":[3}');
    expect(() => served(unclosed).scopeEntry!("write:jira-work")).toThrow(CorruptValueError);
  });
});

describe("CatalogIndex: one scope asked about reads it alone", () => {
  const wholeIndex = CatalogIndex.build({ version: "v", publishedAt: "p", products: { jira: shard } });
  // The oracle answers from its whole tables (scopeCount builds them), never a name read alone.
  expect(wholeIndex.scopeCount).toBe(5);
  const servedIndex = (text: string) =>
    CatalogIndex.build({
      version: "v",
      publishedAt: "p",
      products: { jira: productData(shardForServing(KEY, new TextEncoder().encode(text))) },
    });

  it("answers scope() and endpointsWithScope() as the whole tables do, for every name", () => {
    for (const name of NAMES) {
      // A fresh index per name: each is read alone, none after the tables are built.
      const index = servedIndex(encodeShard(shard));
      expect(index.scope(name), name).toEqual(wholeIndex.scope(name));
      expect([...index.endpointsWithScope(name)], name).toEqual([...wholeIndex.endpointsWithScope(name)]);
    }
  });

  it("reads a few names alone, then the whole tables: a broken record elsewhere shows which", () => {
    const broken = encodeShard(shard).replace(
      '"name":"manage:jira-project","kind":"classic"',
      '"name":"manage:jira-project","kind":classic',
    );
    const index = servedIndex(broken);
    const unknown = Array.from({ length: 8 }, (_, at) => `read:unknown-${at}:jira`);
    expect(index.scope("read:jira-work")?.endpoints).toBe(6);
    // Seven more names read alone (unknown ones count: each was searched for), then the tables.
    for (const name of unknown.slice(0, 7)) expect(index.scope(name)).toBeUndefined();
    expect(index.scope("read:jira-work")?.endpoints).toBe(6);
    expect(() => index.scope(unknown[7]!)).toThrow(CorruptValueError);
  });
});

describe("the bundled snapshot: every scope read alone as its whole tables give it", () => {
  it("the same info and endpoints for each of its scope names, over stored shards and over parsed ones", async () => {
    const shards = await snapshotShards();
    const encoded = Object.entries(shards).map(([key, shard]) => ({
      key,
      shard,
      bytes: new TextEncoder().encode(encodeShard(shard)),
    }));
    const index = (stored: boolean) =>
      CatalogIndex.build({
        version: "v",
        publishedAt: "p",
        products: Object.fromEntries([
          ...encoded.map(({ key, shard, bytes }) => [
            shard.product,
            stored ? productData(shardForServing(key, bytes)) : shard,
          ]),
          ["platform", CURATED_PRODUCT],
        ]) as Record<Product, ProductShard>,
      });
    const whole = index(false);
    expect(whole.scopeCount).toBeGreaterThan(300);
    const names = [...new Set(Object.values(shards).flatMap((shard) => shard.scopes.map((scope) => scope.name)))];
    expect(names.length).toBeGreaterThan(300);
    const path = (found: readonly Endpoint[]) => found.map((item) => `${item.method} ${item.path}`);
    // A fresh index every 8 names: an index reads 8 names alone, then builds the whole tables.
    let alone = index(true);
    names.forEach((name, at) => {
      if (at % 8 === 0) alone = index(true);
      expect(alone.scope(name), name).toEqual(whole.scope(name));
      expect(path(alone.endpointsWithScope(name)), name).toEqual(path(whole.endpointsWithScope(name)));
    });
  });
});
