/**
 * The catalog as the worker serves it: read from KV (manifest, then shards), indexed once per
 * version and kept in the isolate. The manifest is re-checked at most every 60 s, so a lookup on a
 * warm isolate costs no KV read. Shards are read when a request first needs them: a path lookup on a
 * cold isolate reads the manifest and the one shard its path can match, not the whole catalog. With
 * no catalog in KV (first deploy, before the first scrape), or with KV failing, it serves what it
 * holds, or the snapshot bundled from data/.
 */
import { CatalogIndex, productsForPath, type CatalogData, type CatalogProductData } from "../catalog/catalog-index";
import { ManifestSchema, type Product, type ProductShard, type ShardPointer } from "../catalog/schema";
import { CatalogStore, CorruptValueError, checkShardShape, type KvLike } from "./catalog-store";

/** How long a verified catalog is served before the manifest is read again. */
export const RECHECK_MS = 60_000;

export type CatalogSource = "kv" | "snapshot";

export interface ServedCatalog {
  index: CatalogIndex;
  source: CatalogSource;
  /** Why it is not the KV catalog, or why KV could not be read; absent when all is well. */
  problem?: string;
  /**
   * Set when the index holds only the products a request path can match as given (see `forPath`): it
   * finds no other match, so a path it does not match must be looked up in the whole catalog.
   */
  partial?: true;
}

export interface ServeOptions {
  now?: number;
  /** A request path's segments: only the products whose templates could match them as given are read and indexed. */
  forPath?: readonly string[];
}

/** One catalog version as this isolate holds it: shards are read into it as requests need them. */
interface Held {
  version: string;
  publishedAt: string;
  pointers: Partial<Record<Product, ShardPointer>>;
  source: CatalogSource;
  problem?: string;
  checkedAt: number;
  /** By shard key: shards are immutable, so one read under a version is reused by the next. */
  shards: Map<string, Promise<CatalogProductData>>;
  /** By the products they cover. */
  indexes: Map<string, CatalogIndex>;
  /** The KV version served before this one: answered from if a shard of this one cannot be read. */
  fallback?: Held;
}

export type SnapshotLoader = () => Promise<{ manifest: unknown; shards: Record<string, unknown> }>;

let held: Held | undefined;
let loading: Promise<Held> | undefined;
let snapshot: Held | undefined;
/** KV reads made by this isolate, for /health and the benchmarks. */
let kvReads = 0;

/** The catalog to answer from. Rejects only when neither KV nor the bundled snapshot yields one. */
export async function servedCatalog(
  kv: KvLike,
  loadSnapshot: SnapshotLoader,
  options: ServeOptions = {},
): Promise<ServedCatalog> {
  const now = options.now ?? Date.now();
  if (!held || now - held.checkedAt >= RECHECK_MS) {
    // Concurrent requests on a cold or expiring isolate share one refresh.
    loading ??= refresh(kv, loadSnapshot, now).finally(() => {
      loading = undefined;
    });
    held = await loading;
  }
  const state = held;
  const wanted = options.forPath ? productsForPath(options.forPath, prefixesOf(state.pointers)) : undefined;
  // A path no product can match still gets its suggestions from the whole catalog.
  const products = wanted && wanted.length > 0 ? wanted : undefined;
  try {
    const index = await indexOf(state, kv, products);
    return {
      index,
      source: state.source,
      ...(state.problem ? { problem: state.problem } : {}),
      ...(products ? { partial: true as const } : {}),
    };
  } catch (error) {
    if (state.source === "snapshot") throw error;
    // A shard the manifest names cannot be read: as when the manifest cannot be, keep answering.
    if (held === state) held = await keepServing(state.fallback, error, loadSnapshot, state.checkedAt);
    return servedCatalog(kv, loadSnapshot, options);
  }
}

/** A shard the manifest names is not in KV. */
class MissingShardError extends Error {
  constructor(readonly key: string) {
    super(`the manifest names ${key}, which is missing`);
    this.name = "MissingShardError";
  }
}

/**
 * What /health may say about a failed KV read: a short reason that is the same every time for the same
 * fault, naming only our own keys. The detail (a zod issue, a JSON parser's message, the runtime's KV
 * error, which can name internals) goes to the log, where an operator reads it next to the request id.
 */
function kvFailureReason(error: unknown): string {
  const detail = error instanceof Error ? error.message : String(error);
  console.error(`catalog cache: KV could not be read: ${detail}`);
  if (error instanceof CorruptValueError) return `stored value ${error.key} is corrupt`;
  if (error instanceof MissingShardError) return error.message;
  return "KV read failed";
}

/** What to serve when KV cannot be read: what the isolate holds (`kept`), else the bundled snapshot, with the reason. */
async function keepServing(
  kept: Held | undefined,
  error: unknown,
  loadSnapshot: SnapshotLoader,
  checkedAt: number,
): Promise<Held> {
  const reason = kvFailureReason(error);
  if (kept)
    return {
      ...kept,
      problem: `KV could not be read (${reason}); serving version ${kept.version} held in memory`,
      checkedAt,
    };
  return {
    ...(await snapshotHeld(loadSnapshot)),
    problem: `KV could not be read (${reason}); serving the snapshot bundled with the worker`,
    checkedAt,
  };
}

async function refresh(kv: KvLike, loadSnapshot: SnapshotLoader, now: number): Promise<Held> {
  const store = new CatalogStore(countingReads(kv));
  const kvHeld = held?.source === "kv" ? held : undefined;
  try {
    const manifest = await store.readManifestForServing();
    if (!manifest) {
      // KV can answer a miss for a while after a write elsewhere: a catalog once read is kept.
      if (kvHeld)
        return {
          ...kvHeld,
          problem: `KV returned no manifest; serving version ${kvHeld.version} held in memory`,
          checkedAt: now,
        };
      return {
        ...(await snapshotHeld(loadSnapshot)),
        problem: "KV holds no catalog yet; serving the snapshot bundled with the worker",
        checkedAt: now,
      };
    }
    if (kvHeld?.version === manifest.version) return { ...kvHeld, problem: undefined, checkedAt: now };
    const named = new Set(Object.values(manifest.products).map((pointer) => pointer.key));
    const shards = new Map([...(kvHeld?.shards ?? [])].filter(([key]) => named.has(key)));
    return {
      version: manifest.version,
      publishedAt: manifest.publishedAt,
      pointers: manifest.products,
      source: "kv",
      checkedAt: now,
      shards,
      indexes: new Map(),
      fallback: kvHeld ? { ...kvHeld, fallback: undefined } : undefined,
    };
  } catch (error) {
    // Keep answering: what this isolate already holds beats the build-time snapshot.
    return keepServing(held, error, loadSnapshot, now);
  }
}

/** The index over some products of a version (all when `products` is undefined), reading the shards it lacks. */
async function indexOf(state: Held, kv: KvLike, products: readonly Product[] | undefined): Promise<CatalogIndex> {
  const covered = (Object.keys(state.pointers) as Product[]).filter(
    (product) => !products || products.includes(product),
  );
  // A path's index answers only direct matches, even when its path could match every product.
  const key = `${products ? "path:" : ""}${covered.join(",")}`;
  let index = state.indexes.get(key);
  if (!index) {
    const store = new CatalogStore(countingReads(kv));
    const parts = await Promise.all(covered.map((product) => shardOf(state, store, state.pointers[product]!)));
    const data: CatalogData["products"] = {};
    covered.forEach((product, position) => {
      data[product] = parts[position];
    });
    const scrapedAt = Object.values(state.pointers).reduce(
      (newest, pointer) => (pointer.scrapedAt > newest ? pointer.scrapedAt : newest),
      "",
    );
    index = CatalogIndex.build({
      version: state.version,
      publishedAt: state.publishedAt,
      scrapedAt,
      products: data,
      directMatchesOnly: products !== undefined,
    });
    state.indexes.set(key, index);
  }
  return index;
}

function shardOf(state: Held, store: CatalogStore, pointer: ShardPointer): Promise<CatalogProductData> {
  let shard = state.shards.get(pointer.key);
  if (!shard) {
    shard = store.readShardForServing(pointer.key).then((read) => {
      if (!read) throw new MissingShardError(pointer.key);
      return productData(read);
    });
    // A failed read is not kept: the next version check may find the shard readable.
    shard.catch(() => state.shards.delete(pointer.key));
    state.shards.set(pointer.key, shard);
  }
  return shard;
}

async function snapshotHeld(loadSnapshot: SnapshotLoader): Promise<Held> {
  if (!snapshot) {
    const { manifest: rawManifest, shards } = await loadSnapshot();
    const manifest = ManifestSchema.parse(rawManifest);
    const parts = new Map<string, Promise<CatalogProductData>>();
    for (const pointer of Object.values(manifest.products))
      parts.set(pointer.key, Promise.resolve(productData(checkShardShape(pointer.key, shards[pointer.key]))));
    snapshot = {
      version: manifest.version,
      publishedAt: manifest.publishedAt,
      pointers: manifest.products,
      source: "snapshot",
      checkedAt: 0,
      shards: parts,
      indexes: new Map(),
    };
  }
  return snapshot;
}

/** What the index keeps of a shard. */
function productData(shard: ProductShard): CatalogProductData {
  return {
    scrapedAt: shard.scrapedAt,
    version: shard.version,
    endpoints: shard.endpoints,
    scopes: shard.scopes,
    routes: shard.routes,
    removed: shard.removed,
  };
}

function prefixesOf(
  pointers: Partial<Record<Product, ShardPointer>>,
): Partial<Record<Product, readonly string[] | undefined>> {
  const prefixes: Partial<Record<Product, readonly string[] | undefined>> = {};
  for (const [product, pointer] of Object.entries(pointers) as [Product, ShardPointer][])
    prefixes[product] = pointer.prefixes;
  return prefixes;
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

export function catalogCacheStats(): {
  kvReads: number;
  version: string | undefined;
  source: CatalogSource | undefined;
  checkedAt: number | undefined;
} {
  return { kvReads, version: held?.version, source: held?.source, checkedAt: held?.checkedAt };
}

/** Forget everything held (tests). */
export function resetCatalogCache(): void {
  held = undefined;
  loading = undefined;
  snapshot = undefined;
  kvReads = 0;
}
