/**
 * A new catalog version: built without I/O (buildVersion: shards with their path trie, the changelog,
 * the manifest), then written (writeVersion): immutable shards first, then the changelog, then the
 * manifest that points at them (the only swap KV allows), then prunes shards no manifest can reach any more.
 */
import { buildRoutes, buildScopeIndex, productScopeNames, routePrefixes } from "../src/catalog/catalog-index";
import type {
  ChangeEntry,
  Changes,
  Manifest,
  Product,
  ProductShard,
  RegistryPointer,
  ScopeRegistry,
  ShardPointer,
} from "../src/catalog/schema";
import { KEYS, type CatalogStore } from "../src/storage/catalog-store";
import { diffProduct } from "./changelog";
import { carryTombstones, withRemovedV3Twins } from "./tombstones";

/** How many versions the manifest's history lists. */
export const HISTORY_LENGTH = 100;

export type NewShard = Omit<ProductShard, "version" | "schemaVersion" | "routes" | "removed" | "scopeIndex">;

export interface Published {
  manifest: Manifest;
  changes: Changes;
  pruned: string[];
}

/** Version ids sort by time: `2026-11-30T04-17-00Z`, suffixed when two runs share a second. */
export function versionId(now: Date, previous: string | undefined): string {
  const base = now
    .toISOString()
    .replace(/\.\d{3}Z$/, "Z")
    .replace(/:/g, "-");
  if (!previous || base > previous) return base;
  return `${previous.replace(/\.\d+$/, "")}.${Number(/\.(\d+)$/.exec(previous)?.[1] ?? 0) + 1}`;
}

/** When a version id was made (`2026-11-30T04-17-00Z[.N]`), or undefined for a key that is not one. */
export function versionTime(version: string): number | undefined {
  const match = /^(\d{4}-\d{2}-\d{2})T(\d{2})-(\d{2})-(\d{2})Z/.exec(version);
  if (!match) return undefined;
  const time = Date.parse(`${match[1]}T${match[2]}:${match[3]}:${match[4]}Z`);
  return Number.isNaN(time) ? undefined : time;
}

/** A version ready to write: its shards, its changelog and the manifest that names them. */
export interface NewVersion {
  shards: ProductShard[];
  changes: Changes;
  manifest: Manifest;
  /** A scope registry to store before the manifest that names it (a registry already stored is not rewritten). */
  registry?: ScopeRegistry;
}

/** The manifest's pointer to a registry. */
export function registryPointer(registry: ScopeRegistry): RegistryPointer {
  return {
    key: KEYS.registry(registry.source),
    source: registry.source,
    fetchedAt: registry.fetchedAt,
    scopes: registry.scopes.length,
  };
}

/**
 * Builds the version that replaces `previous`: each new shard with its path trie, the changelog against
 * the shards `previous` named (`before`, read once by the caller; a product whose old shard is missing or
 * unreadable is a baseline), and the manifest. `registry`, when given, is a new scope registry the
 * manifest names; else it keeps naming the previous one. No I/O.
 */
export function buildVersion(
  previous: Manifest | null,
  before: ReadonlyMap<Product, ProductShard | null>,
  shards: readonly NewShard[],
  now: Date,
  registry?: ScopeRegistry,
): NewVersion {
  const version = versionId(now, previous?.version);
  const publishedAt = now.toISOString();
  const pointers: Partial<Record<Product, ShardPointer>> = { ...(previous?.products ?? {}) };
  const stored: ProductShard[] = [];
  const entries: ChangeEntry[] = [];
  const baseline: Product[] = [];

  for (const shard of shards) {
    const beforeShard = previous?.products[shard.product] ? (before.get(shard.product) ?? null) : null;
    // Endpoints the documents dropped stay known as removed; a product whose old shard is unreadable
    // starts over (a baseline), since what it held cannot be told.
    const removed = carryTombstones(beforeShard, shard.endpoints, version, publishedAt);
    // v2 twins of removed v3 endpoints are removed with them (tombstones.ts withRemovedV3Twins).
    const endpoints = shard.product === "jira" ? withRemovedV3Twins(shard.endpoints, removed) : shard.endpoints;
    // The path trie is built here, once per shard, so that no isolate has to build it.
    const value: ProductShard = {
      schemaVersion: 1,
      version,
      ...shard,
      endpoints,
      ...(removed ? { removed } : {}),
      routes: buildRoutes(endpoints),
      scopeIndex: buildScopeIndex(endpoints),
    };
    stored.push(value);
    if (beforeShard) entries.push(...diffProduct(shard.product, beforeShard, value));
    else baseline.push(shard.product);
    pointers[shard.product] = {
      key: KEYS.shard(version, shard.product),
      version,
      scrapedAt: shard.scrapedAt,
      contentHash: shard.contentHash,
      endpoints: shard.endpoints.length,
      endpointsWithScopes: shard.endpoints.filter((endpoint) => endpoint.hasScopes).length,
      scopes: shard.scopes.length,
      // Tombstones' paths too, so that a lookup of a removed path reads this shard.
      prefixes: routePrefixes([...shard.endpoints, ...(removed ?? [])].map((endpoint) => endpoint.path)),
      scopeNames: productScopeNames(shard),
      layout: "endpoint-lines-with-route-table",
    };
  }

  const changes: Changes = { version, previousVersion: previous?.version ?? null, publishedAt, baseline, entries };
  const manifest: Manifest = {
    schemaVersion: 1,
    version,
    publishedAt,
    products: pointers,
    previous: previous ? { version: previous.version, products: previous.products } : null,
    changesKey: KEYS.changes(version),
    ...(registry ? { registry: registryPointer(registry) } : previous?.registry ? { registry: previous.registry } : {}),
    history: [
      { version, publishedAt, changesKey: KEYS.changes(version), changes: entries.length },
      ...(previous?.history ?? []),
    ].slice(0, HISTORY_LENGTH),
  };
  return { shards: stored, changes, manifest, ...(registry ? { registry } : {}) };
}

/**
 * Writes a built version in the order docs/storage-schema.md gives: the shards, the registry, the changelog, the
 * manifest last (the swap), then prunes. Only writes (and lists the shard keys to prune).
 */
export async function writeVersion(store: CatalogStore, version: NewVersion, now: Date): Promise<Published> {
  for (const shard of version.shards) await store.writeShard(shard);
  if (version.registry) await store.writeRegistry(version.registry);
  await store.writeChanges(version.changes);
  await store.writeManifest(version.manifest);
  return {
    manifest: version.manifest,
    changes: version.changes,
    pruned: await pruneShards(store, version.manifest, now),
  };
}

/**
 * Builds and writes a version on top of `previous`, reading the shards it names for the changelog. For
 * callers that hold no previous version already read (tests that seed a catalog); a scrape reads the
 * previous version once and calls buildVersion and writeVersion itself.
 */
export async function publishVersion(
  store: CatalogStore,
  previous: Manifest | null,
  shards: readonly NewShard[],
  now: Date,
): Promise<Published> {
  const before = new Map<Product, ProductShard | null>();
  for (const shard of shards) {
    const pointer = previous?.products[shard.product];
    if (pointer) before.set(shard.product, await store.readShard(pointer.key).catch(() => null));
  }
  return writeVersion(store, buildVersion(previous, before, shards, now), now);
}

/**
 * Whether a pointer is of the current layout: its shard carries its path trie (as a table), its
 * endpoints' paths and its distinct alternatives (each on a line of its own) and scope index, stored
 * one endpoint per line with the lines' starts, and the pointer its prefixes and scope names. Products
 * whose pointer is not are republished.
 */
export function inCurrentLayout(pointer: ShardPointer): boolean {
  return (
    pointer.prefixes !== undefined &&
    pointer.scopeNames !== undefined &&
    pointer.layout === "endpoint-lines-with-route-table"
  );
}

/** Shards younger than this are never pruned: they may belong to a run that is still publishing. */
export const PRUNE_GRACE_MS = 60 * 60 * 1000;

/**
 * Deletes shards neither the current nor the previous version names (older versions, orphans of failed
 * runs), once they are past the grace period: KV has no compare-and-swap, so two runs can overlap, and
 * one must not delete the shards the other is about to point its manifest at.
 */
async function pruneShards(store: CatalogStore, manifest: Manifest, now: Date): Promise<string[]> {
  const keep = new Set<string>(
    [manifest.products, manifest.previous?.products ?? {}].flatMap((products) =>
      Object.values(products).map((pointer) => pointer.key),
    ),
  );
  const cutoff = now.getTime() - PRUNE_GRACE_MS;
  const stale = (await store.listShardKeys()).filter((key) => {
    if (!key.startsWith(KEYS.shardPrefix) || keep.has(key)) return false;
    const written = versionTime(key.slice(KEYS.shardPrefix.length).split("/")[0] ?? "");
    return written !== undefined && written < cutoff;
  });
  await store.deleteKeys(stale);
  return stale;
}
