/**
 * What the worker does with a shard read from KV (catalog-cache.ts): the serving read of its stored bytes
 * (src/storage/shard-layout.ts: its first line parsed and checked, the rest as it is read; a shard stored
 * as one JSON line, parsed and checked whole), then the index over it.
 */
import { CatalogIndex } from "../../src/catalog/catalog-index";
import type { Product } from "../../src/catalog/schema";
import { productData } from "../../src/storage/catalog-cache";
import { shardForServing } from "../../src/storage/catalog-store";

export function indexShard(key: string, stored: Uint8Array): CatalogIndex {
  const shard = shardForServing(key, stored);
  return CatalogIndex.build({
    version: shard.version,
    publishedAt: shard.scrapedAt,
    products: { [shard.product as Product]: productData(shard) },
  });
}
