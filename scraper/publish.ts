/**
 * Writes a new catalog version: immutable shards first, then the changelog, then the manifest that
 * points at them (the only swap KV allows), then prunes shards no manifest can reach any more.
 */
import { buildRoutes, routePrefixes } from "../src/catalog/catalog-index";
import type { ChangeEntry, Changes, Manifest, Product, ProductShard, ShardPointer } from "../src/catalog/schema";
import { KEYS, type CatalogStore } from "../src/storage/catalog-store";
import { diffProduct } from "./changelog";

/** How many versions the manifest's history lists. */
export const HISTORY_LENGTH = 100;

export type NewShard = Omit<ProductShard, "version" | "schemaVersion" | "routes">;

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

export async function publishVersion(
  store: CatalogStore,
  previous: Manifest | null,
  shards: readonly NewShard[],
  now: Date,
): Promise<Published> {
  const version = versionId(now, previous?.version);
  const publishedAt = now.toISOString();
  const pointers: Partial<Record<Product, ShardPointer>> = { ...(previous?.products ?? {}) };
  const entries: ChangeEntry[] = [];
  const baseline: Product[] = [];

  for (const shard of shards) {
    // The path trie is built here, once per shard, so that no isolate has to build it.
    const stored: ProductShard = { schemaVersion: 1, version, ...shard, routes: buildRoutes(shard.endpoints) };
    const key = await store.writeShard(stored);
    const before = previous?.products[shard.product];
    const beforeShard = before ? await store.readShard(before.key).catch(() => null) : null;
    if (beforeShard) entries.push(...diffProduct(shard.product, beforeShard, stored));
    else baseline.push(shard.product);
    pointers[shard.product] = {
      key,
      version,
      scrapedAt: shard.scrapedAt,
      contentHash: shard.contentHash,
      endpoints: shard.endpoints.length,
      endpointsWithScopes: shard.endpoints.filter((endpoint) => endpoint.hasScopes).length,
      scopes: shard.scopes.length,
      prefixes: routePrefixes(shard.endpoints.map((endpoint) => endpoint.path)),
    };
  }

  const changes: Changes = { version, previousVersion: previous?.version ?? null, publishedAt, baseline, entries };
  const changesKey = await store.writeChanges(changes);
  const manifest: Manifest = {
    schemaVersion: 1,
    version,
    publishedAt,
    products: pointers,
    previous: previous ? { version: previous.version, products: previous.products } : null,
    changesKey,
    history: [{ version, publishedAt, changesKey, changes: entries.length }, ...(previous?.history ?? [])].slice(
      0,
      HISTORY_LENGTH,
    ),
  };
  await store.writeManifest(manifest);
  return { manifest, changes, pruned: await pruneShards(store, manifest, now) };
}

/** Pointers written before shards carried their path trie and the manifest their prefixes. */
export function inCurrentLayout(pointer: ShardPointer): boolean {
  return pointer.prefixes !== undefined;
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
