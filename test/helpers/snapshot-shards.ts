/**
 * The bundled snapshot's shards as the shards. data/ stores each endpoint's alternatives as positions
 * in the shard's `alternativeTable` (src/storage/shard-layout.ts), so a raw value is not a ProductShard
 * until expanded. No Node modules: workerd's tests use it too.
 */
import { loadSnapshot } from "../../data/snapshot";
import type { ProductShard } from "../../src/catalog/schema";
import { expandAlternatives } from "../../src/storage/shard-layout";

/** The bundled snapshot's shards by key, expanded (new objects: the snapshot's own are left as they are). */
export async function snapshotShards(): Promise<Record<string, ProductShard>> {
  const { shards } = await loadSnapshot();
  return Object.fromEntries(
    Object.entries(shards).map(([key, value]) => [key, expandAlternatives(value) as ProductShard]),
  );
}
