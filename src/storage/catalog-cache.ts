/**
 * The catalog as the worker serves it: read from KV (manifest, then shards), indexed once per
 * version and kept in the isolate. The manifest is re-checked at most every 60 s, so a lookup on a
 * warm isolate costs no KV read. With no catalog in KV (first deploy, before the first scrape), or
 * with KV failing, it serves what it holds, or the snapshot bundled from data/.
 */
import { CatalogIndex, type CatalogData, type CatalogProductData } from "../catalog/catalog-index";
import { ManifestSchema, type Product, type ProductShard } from "../catalog/schema";
import { CatalogStore, checkShardShape, type KvLike } from "./catalog-store";

/** How long a verified catalog is served before the manifest is read again. */
export const RECHECK_MS = 60_000;

export type CatalogSource = "kv" | "snapshot";

export interface ServedCatalog {
  index: CatalogIndex;
  source: CatalogSource;
  /** Why it is not the KV catalog, or why KV could not be read; absent when all is well. */
  problem?: string;
}

interface Held extends ServedCatalog {
  checkedAt: number;
}

export type SnapshotLoader = () => Promise<{ manifest: unknown; shards: Record<string, unknown> }>;

let held: Held | undefined;
let loading: Promise<Held> | undefined;
let snapshotIndex: CatalogIndex | undefined;
/** KV reads made by this isolate, for /health and the benchmarks. */
let kvReads = 0;

/** The catalog to answer from. Rejects only when neither KV nor the bundled snapshot yields one. */
export async function servedCatalog(kv: KvLike, loadSnapshot: SnapshotLoader, now = Date.now()): Promise<ServedCatalog> {
  if (held && now - held.checkedAt < RECHECK_MS) return held;
  // Concurrent requests on a cold or expiring isolate share one refresh.
  loading ??= refresh(kv, loadSnapshot, now).finally(() => {
    loading = undefined;
  });
  held = await loading;
  return held;
}

async function refresh(kv: KvLike, loadSnapshot: SnapshotLoader, now: number): Promise<Held> {
  const store = new CatalogStore(countingReads(kv));
  try {
    const manifest = await store.readManifest();
    if (!manifest) {
      // KV can answer a miss for a while after a write elsewhere: a catalog once read is kept.
      if (held?.source === "kv") return { ...held, problem: `KV returned no manifest; serving version ${held.index.version} held in memory`, checkedAt: now };
      return { ...(await fromSnapshot(loadSnapshot)), problem: "KV holds no catalog yet; serving the snapshot bundled with the worker", checkedAt: now };
    }
    if (held?.source === "kv" && held.index.version === manifest.version) return { index: held.index, source: "kv", checkedAt: now };
    const products: CatalogData["products"] = {};
    const entries = Object.entries(manifest.products);
    const shards = await Promise.all(entries.map(([, pointer]) => store.readShardForServing(pointer.key)));
    entries.forEach(([product, pointer], index) => {
      const shard = shards[index];
      if (!shard) throw new Error(`the manifest names ${pointer.key}, which is missing`);
      products[product as Product] = productData(shard);
    });
    return { index: CatalogIndex.build({ version: manifest.version, publishedAt: manifest.publishedAt, products }), source: "kv", checkedAt: now };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    // Keep answering: what this isolate already holds beats the build-time snapshot.
    if (held) return { ...held, problem: `KV could not be read (${reason}); serving version ${held.index.version} held in memory`, checkedAt: now };
    return { ...(await fromSnapshot(loadSnapshot)), problem: `KV could not be read (${reason}); serving the snapshot bundled with the worker`, checkedAt: now };
  }
}

async function fromSnapshot(loadSnapshot: SnapshotLoader): Promise<ServedCatalog> {
  if (!snapshotIndex) {
    const { manifest: rawManifest, shards } = await loadSnapshot();
    const manifest = ManifestSchema.parse(rawManifest);
    const products: CatalogData["products"] = {};
    for (const [product, pointer] of Object.entries(manifest.products)) {
      const shard = checkShardShape(pointer.key, shards[pointer.key]);
      products[product as Product] = productData(shard);
    }
    snapshotIndex = CatalogIndex.build({ version: manifest.version, publishedAt: manifest.publishedAt, products });
  }
  return { index: snapshotIndex, source: "snapshot" };
}

/** What the index keeps of a shard. */
function productData(shard: ProductShard): CatalogProductData {
  return { scrapedAt: shard.scrapedAt, version: shard.version, endpoints: shard.endpoints, scopes: shard.scopes };
}

function countingReads(kv: KvLike): KvLike {
  return {
    get: (key, type) => {
      kvReads++;
      return kv.get(key, type);
    },
    put: (key, value) => kv.put(key, value),
    delete: (key) => kv.delete(key),
    list: (options) => kv.list(options),
  };
}

export function catalogCacheStats(): { kvReads: number; version: string | undefined; source: CatalogSource | undefined; checkedAt: number | undefined } {
  return { kvReads, version: held?.index.version, source: held?.source, checkedAt: held?.checkedAt };
}

/** Forget everything held (tests). */
export function resetCatalogCache(): void {
  held = undefined;
  loading = undefined;
  snapshotIndex = undefined;
  kvReads = 0;
}
