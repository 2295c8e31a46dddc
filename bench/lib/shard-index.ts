/** What the worker does with a shard read from KV (catalog-cache.ts refresh): parse, check the shape, index. */
import { CatalogIndex } from "../../src/catalog/catalog-index";
import type { Product } from "../../src/catalog/schema";
import { checkShardShape } from "../../src/storage/catalog-store";

export function indexShard(key: string, text: string): CatalogIndex {
  const shard = checkShardShape(key, JSON.parse(text));
  return CatalogIndex.build({
    version: shard.version,
    publishedAt: shard.scrapedAt,
    products: {
      [shard.product as Product]: {
        scrapedAt: shard.scrapedAt,
        version: shard.version,
        endpoints: shard.endpoints,
        scopes: shard.scopes,
        routes: shard.routes,
      },
    },
  });
}
