/**
 * Tombstones: endpoints a product's documents stopped publishing, kept in the product's next shard
 * (`removed`) so that the worker answers a call to one as removed (410 `endpoint_removed`). No I/O.
 *
 * Only a shard that is published carries new tombstones, and a product is published only when it
 * passed its gates (scraper/validate.ts: schema, shrink, canaries), so a failed or partial scrape never
 * buries live endpoints. An endpoint that comes back leaves the list; the list keeps the newest
 * MAX_TOMBSTONES (the shrink gate bounds one version's removals to 10% of the product's endpoints).
 */
import { MAX_TOMBSTONES, type Endpoint, type ProductShard, type Tombstone } from "../src/catalog/schema";

const keyOf = (item: { method: string; path: string }) => `${item.method} ${item.path}`;

/**
 * The tombstones of a product's new shard: those of the shard it replaces (`before`, null for a first
 * publish) still absent, then the endpoints `before` had that `after` lacks, newest first.
 */
export function carryTombstones(
  before: Pick<ProductShard, "endpoints" | "removed"> | null,
  after: readonly Endpoint[],
  version: string,
  publishedAt: string,
): Tombstone[] | undefined {
  if (!before) return undefined;
  const live = new Set(after.map(keyOf));
  const fresh: Tombstone[] = before.endpoints
    .filter((endpoint) => !live.has(keyOf(endpoint)))
    .map((endpoint) => ({
      product: endpoint.product,
      method: endpoint.method,
      path: endpoint.path,
      ...(endpoint.summary === undefined ? {} : { summary: endpoint.summary }),
      docsUrl: endpoint.docsUrl,
      removedIn: version,
      removedAt: publishedAt,
      alternatives: endpoint.alternatives,
    }));
  const freshKeys = new Set(fresh.map(keyOf));
  const kept = (before.removed ?? []).filter(
    (tombstone) => !live.has(keyOf(tombstone)) && !freshKeys.has(keyOf(tombstone)),
  );
  const removed = [...fresh, ...kept].slice(0, MAX_TOMBSTONES);
  return removed.length > 0 ? removed : undefined;
}
