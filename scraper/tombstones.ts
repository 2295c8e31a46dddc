/**
 * Tombstones: endpoints a product's documents stopped publishing, kept in the product's next shard
 * (`removed`) so that the worker answers a call to one as removed (410 `endpoint_removed`). No I/O.
 *
 * Only a shard that is published carries new tombstones, and a product is published only when it
 * passed its gates (scraper/validate.ts: schema, shrink, canaries), so a failed or partial scrape never
 * buries live endpoints. An endpoint that comes back leaves the list; the list keeps the newest
 * MAX_TOMBSTONES (the shrink gate bounds one version's removals to 10% of the product's endpoints).
 */
import { v3TwinOf } from "../src/catalog/removed-endpoints";
import { MAX_TOMBSTONES, type Endpoint, type ProductShard, type Tombstone } from "../src/catalog/schema";
import { inheritedChange } from "./normalize";

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
      ...removalOf(endpoint),
    }));
  const freshKeys = new Set(fresh.map(keyOf));
  const kept = (before.removed ?? []).filter(
    (tombstone) => !live.has(keyOf(tombstone)) && !freshKeys.has(keyOf(tombstone)),
  );
  const removed = [...fresh, ...kept].slice(0, MAX_TOMBSTONES);
  return removed.length > 0 ? removed : undefined;
}

/** The removal the endpoint's last document announced, kept so that its tombstone names the replacement. */
function removalOf(endpoint: Endpoint): Pick<Tombstone, "removal"> {
  const removal = endpoint.lifecycle?.find((change) => change.type === "removed");
  return removal ? { removal } : {};
}

/**
 * Jira v2 endpoints whose v3 twin is a tombstone (the v3 document dropped it; the v2 one read here,
 * 2024-02-04, still lists it) take the removal: the one the v3 twin's last document announced, else one
 * effective the day the scrape found it gone, with the replacement that document named (its v2 twin where
 * the catalog holds one). The twins are one API ("Version 2 and version 3 of the API offer the same
 * collection of operations"); normalize's withV3Twins does the same for v3 endpoints still listed.
 * Returns `endpoints` itself when none is affected, else a copy with new records for those that are.
 */
export function withRemovedV3Twins(
  endpoints: readonly Endpoint[],
  removed: readonly Tombstone[] | undefined,
): Endpoint[] {
  const gone = new Map((removed ?? []).map((tombstone) => [keyOf(tombstone), tombstone]));
  if (gone.size === 0) return endpoints as Endpoint[];
  const live = new Set(endpoints.map(keyOf));
  let changed = false;
  const result = endpoints.map((endpoint) => {
    if (!endpoint.path.startsWith("/rest/api/2/")) return endpoint;
    const twin = gone.get(`${endpoint.method} ${v3TwinOf(endpoint.path)}`);
    if (!twin || endpoint.lifecycle?.some((change) => change.type === "removed")) return endpoint;
    changed = true;
    const removal = twin.removal ?? { type: "removed", effective: twin.removedAt.slice(0, 10) };
    return {
      ...endpoint,
      deprecated: true,
      lifecycle: [...(endpoint.lifecycle ?? []), inheritedChange(removal, live)],
    };
  });
  return changed ? result : (endpoints as Endpoint[]);
}
