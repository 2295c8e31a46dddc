/**
 * The catalog as the worker serves it: read from KV (manifest, then shards), indexed once per
 * version and kept in the isolate. The manifest is re-checked at most every 60 s, so a lookup on a
 * warm isolate costs no KV read. Shards are read when a request first needs them: a path lookup on a
 * cold isolate reads the manifest and the one shard its path can match, not the whole catalog. With
 * no catalog in KV (first deploy, before the first scrape), or with KV failing, it serves what it
 * holds, or the snapshot bundled from data/.
 */
import { connectScopeName } from "../catalog/credentials";
import { CURATED_PRODUCT } from "../catalog/curated";
import {
  CatalogIndex,
  catalogScopeNames,
  productsForLines,
  productsForPath,
  productsForScope,
  type CatalogData,
  type CatalogProductData,
} from "../catalog/catalog-index";
import { ManifestSchema, type Product, type RunReport, type ScopeRegistry, type ShardPointer } from "../catalog/schema";
import {
  CatalogStore,
  CorruptValueError,
  checkRegistryShape,
  checkShardShape,
  type KvLike,
  type KvValueType,
  type ServedShard,
} from "./catalog-store";

/** The curated records' scope names, in the order every served index appends them (`data.platform ??=` below). */
const CURATED_SCOPE_TABLE = CURATED_PRODUCT.scopes.map((scope) => scope.name);

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
  /**
   * The request's date (YYYY-MM-DD, UTC), from the clock the catalog was read by: whether a deprecation
   * or removal date is still ahead is told against it (notes.ts lifecycleWhen). Absent in hand-built catalogs.
   */
  today?: string;
}

/** What a request's endpoint lines and scope names need (ServeOptions.forLines). */
export interface LineNeeds {
  /** Each line's path segments, as parseRequestPath reads them. */
  paths: readonly (readonly string[])[];
  scopes: readonly string[];
}

export interface ServeOptions {
  now?: number;
  /** A request path's segments: only the products whose templates could match them as given are read and indexed. */
  forPath?: readonly string[];
  /**
   * A scope name: only the products whose manifest `scopeNames` hold it are read and indexed, with the
   * scope registry; none for a name no product holds (its suggestions ranked over the manifest's scope
   * table); all when the manifest lacks them. For reverse lookups, whose answers depend only on those products.
   */
  forScope?: string;
  /**
   * Endpoint lines' path segments and held scope names (POST /diff, /plan, /explain): only the products
   * productsForLines names are read, indexed with the scope registry and the whole catalog's scope names
   * from the manifest (an unknown scope's suggestions). The index answers direct matches only
   * (`partial`): a line it does not match needs the whole catalog.
   * A function, called only when the isolate does not already hold the whole catalog's index (then
   * that answers, and the lines are not parsed twice); undefined asks for the whole catalog.
   */
  forLines?: () => LineNeeds | undefined;
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
  /** The scope registry the manifest names, if any. */
  registryKey?: string;
  /** It, read on first use by an index over the whole catalog; undefined when it cannot be read. */
  registry?: Promise<ServedRegistry | undefined>;
  /** The KV version served before this one: answered from if a shard of this one cannot be read. */
  fallback?: Held;
  /** /health's counts from the manifest, once per version (null: the manifest lacks them). */
  summary?: Pick<CatalogSummary, "endpoints" | "scopes" | "products"> | null;
}

export type SnapshotLoader = () => Promise<{
  manifest: unknown;
  shards: Record<string, unknown>;
  /** By key: the scope registry the bundled manifest names (snapshots built before it existed have none). */
  registries?: Record<string, unknown>;
}>;

type ServedRegistry = Pick<ScopeRegistry, "source" | "scopes">;

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
  const state = await heldCatalog(kv, loadSnapshot, now);
  const products = productsWanted(state, options);
  try {
    const kind = options.forLines ? "lines" : options.forScope !== undefined ? "scope" : "path";
    const index = await indexOf(state, kv, products, kind);
    return {
      index,
      today: new Date(now).toISOString().slice(0, 10),
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

/**
 * Resolves once a catalog can be served (the manifest read, or the bundled snapshot); reads no shard.
 * Rejects as servedCatalog does when neither KV nor the snapshot yields one: routes that pick their
 * shards after validating the body (POST /diff, /plan, /explain) still answer the 503 first.
 */
export async function catalogReady(kv: KvLike, loadSnapshot: SnapshotLoader, now = Date.now()): Promise<void> {
  await heldCatalog(kv, loadSnapshot, now);
}

/** The version this isolate serves, reading the manifest when it has not for RECHECK_MS. */
async function heldCatalog(kv: KvLike, loadSnapshot: SnapshotLoader, now: number): Promise<Held> {
  if (!held || now - held.checkedAt >= RECHECK_MS) {
    // Concurrent requests on a cold or expiring isolate share one refresh.
    loading ??= refresh(kv, loadSnapshot, now).finally(() => {
      loading = undefined;
    });
    held = await loading;
  }
  return held;
}

/** The products a request needs (see ServeOptions), or undefined for the whole catalog. */
function productsWanted(state: Held, options: ServeOptions): Product[] | undefined {
  if (options.forPath) {
    const wanted = productsForPath(options.forPath, fieldOf(state.pointers, "prefixes"));
    // A path no product can match still gets its suggestions from the whole catalog.
    return wanted && wanted.length > 0 ? wanted : undefined;
  }
  if (options.forScope !== undefined) {
    // A Connect scope (READ) is in no product's scope names: what it grants is read from every endpoint.
    if (connectScopeName(options.forScope) !== undefined) return undefined;
    const wanted = productsForScope(options.forScope, fieldOf(state.pointers, "scopeNames"));
    // A name no product holds is answered by an index of no shards when the manifest gives the whole
    // catalog's scope table (its suggestions); else by the whole catalog.
    return wanted?.length === 0 && !wholeScopeTable(state) ? undefined : wanted;
  }
  if (options.forLines) {
    // A warm isolate that holds the whole catalog's index answers from it: nothing to read or select.
    if (state.indexes.has(Object.keys(state.pointers).join(","))) return undefined;
    const needs = options.forLines();
    if (!needs) return undefined;
    const { paths, scopes } = needs;
    const wanted = productsForLines(
      paths,
      scopes,
      fieldOf(state.pointers, "prefixes"),
      fieldOf(state.pointers, "scopeNames"),
    );
    // Every product: the whole catalog's index (shared with the routes that need it) is the same work.
    return wanted && wanted.length < Object.keys(state.pointers).length ? wanted : undefined;
  }
  return undefined;
}

/** Per product: what its manifest pointer says, for /health. */
export interface ProductSummary {
  endpoints: number;
  endpointsWithScopes: number;
  scopes: number;
  version: string;
  scrapedAt: string;
}

/** The served version's counts, for /health: from the manifest when it holds them, else from the shards. */
export interface CatalogSummary {
  version: string;
  publishedAt: string;
  source: CatalogSource;
  problem?: string;
  endpoints: number;
  /** Distinct scope names across products. */
  scopes: number;
  products: Partial<Record<Product, ProductSummary>>;
  /** True when the counts came from the manifest and no shard was read for them. */
  fromManifest: boolean;
}

/** What /health shows. Reads no shard when the manifest carries the counts and `scopeNames` (scraper since 2026-12-05). */
export async function catalogSummary(
  kv: KvLike,
  loadSnapshot: SnapshotLoader,
  options: { now?: number } = {},
): Promise<CatalogSummary> {
  const state = await heldCatalog(kv, loadSnapshot, options.now ?? Date.now());
  if (state.summary === undefined) state.summary = manifestCounts(state.pointers);
  const counts = state.summary;
  if (counts) {
    return {
      version: state.version,
      publishedAt: state.publishedAt,
      source: state.source,
      ...(state.problem ? { problem: state.problem } : {}),
      ...counts,
      fromManifest: true,
    };
  }
  // A manifest written before `scopeNames` (or without counts): count over the shards, as before.
  const served = await servedCatalog(kv, loadSnapshot, options);
  const { index } = served;
  const products: CatalogSummary["products"] = {};
  // The stored catalog only: the curated `platform` records are code, not KV data.
  const stored = (Object.entries(index.data.products) as [Product, CatalogProductData][]).filter(
    ([product]) => product !== "platform",
  );
  for (const [product, data] of stored)
    products[product] = {
      endpoints: data.endpoints.length,
      endpointsWithScopes: data.endpoints.filter((endpoint) => endpoint.hasScopes).length,
      scopes: data.scopes.length,
      version: data.version,
      scrapedAt: data.scrapedAt,
    };
  return {
    version: index.version,
    publishedAt: index.data.publishedAt,
    source: served.source,
    ...(served.problem ? { problem: served.problem } : {}),
    endpoints: stored.reduce((total, [, data]) => total + data.endpoints.length, 0),
    scopes: new Set(stored.flatMap(([, data]) => data.scopes.map((scope) => scope.name))).size,
    products,
    fromManifest: false,
  };
}

/** The counts a manifest's pointers carry, or null when one lacks them or its `scopeNames`. */
function manifestCounts(
  pointers: Partial<Record<Product, ShardPointer>>,
): Pick<CatalogSummary, "endpoints" | "scopes" | "products"> | null {
  const isCount = (value: unknown): value is number => Number.isInteger(value) && (value as number) >= 0;
  const products: CatalogSummary["products"] = {};
  const names = new Set<string>();
  let endpoints = 0;
  for (const [product, pointer] of Object.entries(pointers) as [Product, ShardPointer][]) {
    if (!isCount(pointer.endpoints) || !isCount(pointer.endpointsWithScopes) || !isCount(pointer.scopes)) return null;
    if (!pointer.scopeNames) return null;
    for (const name of pointer.scopeNames) names.add(name);
    endpoints += pointer.endpoints;
    products[product] = {
      endpoints: pointer.endpoints,
      endpointsWithScopes: pointer.endpointsWithScopes,
      scopes: pointer.scopes,
      version: pointer.version,
      scrapedAt: pointer.scrapedAt,
    };
  }
  return { endpoints, scopes: names.size, products };
}

let lastRun: { checkedAt: number; version: string; report: Promise<RunReport | null> } | undefined;

/**
 * The last scrape's report, read (and zod-checked) once per manifest check of this isolate: a run that
 * publishes nothing rewrites only `run/latest`, so it is re-read whenever the manifest is (every
 * RECHECK_MS), not on every /health request. Null when absent or unreadable.
 */
export async function cachedLastRun(
  kv: KvLike,
  loadSnapshot: SnapshotLoader,
  now = Date.now(),
): Promise<RunReport | null> {
  const state = await heldCatalog(kv, loadSnapshot, now);
  if (lastRun?.checkedAt !== state.checkedAt || lastRun.version !== state.version)
    lastRun = {
      checkedAt: state.checkedAt,
      version: state.version,
      // Not in kvReads, which counts the catalog's reads (manifest and shards).
      report: new CatalogStore(kv).readLastRunForServing().catch((): RunReport | null => null),
    };
  return lastRun.report;
}

/** Forget the cached run report: a scrape run by this isolate has just written a new one. */
export function forgetLastRun(): void {
  lastRun = undefined;
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
      registryKey: manifest.registryKey,
      // Registries are immutable per key: one read serves every version that names it.
      registry: kvHeld?.registryKey === manifest.registryKey ? kvHeld?.registry : undefined,
      fallback: kvHeld ? { ...kvHeld, fallback: undefined } : undefined,
    };
  } catch (error) {
    // Keep answering: what this isolate already holds beats the build-time snapshot.
    return keepServing(held, error, loadSnapshot, now);
  }
}

/** The index over some products of a version (all when `products` is undefined), reading the shards it lacks. */
async function indexOf(
  state: Held,
  kv: KvLike,
  products: readonly Product[] | undefined,
  kind: "path" | "lines" | "scope" = "path",
): Promise<CatalogIndex> {
  const covered = (Object.keys(state.pointers) as Product[]).filter(
    (product) => !products || products.includes(product),
  );
  // A path's index answers only direct matches, even when its path could match every product.
  const key = `${products ? `${kind}:` : ""}${covered.join(",")}`;
  let index = state.indexes.get(key);
  if (!index) {
    const store = new CatalogStore(countingReads(kv));
    const parts = await Promise.all(covered.map((product) => shardOf(state, store, state.pointers[product]!)));
    const data: CatalogData["products"] = {};
    covered.forEach((product, position) => {
      data[product] = parts[position];
    });
    // The curated records (src/catalog/curated.ts) are part of every catalog served, whatever KV holds.
    data.platform ??= CURATED_PRODUCT;
    const scrapedAt = Object.values(state.pointers).reduce(
      (newest, pointer) => (pointer.scrapedAt > newest ? pointer.scrapedAt : newest),
      "",
    );
    // Indexes that classify scope names (/diff, /plan, /explain, /endpoints) read the registry: a scope
    // no catalogued endpoint takes may still be real. They also carry the whole catalog's scope table
    // (an unknown name's suggestions over some products; whether a name is known, over all). A path
    // lookup needs neither.
    const classifies = products === undefined || kind !== "path";
    const registry = classifies ? await registryOf(state, store) : undefined;
    index = CatalogIndex.build({
      version: state.version,
      publishedAt: state.publishedAt,
      scrapedAt,
      products: data,
      directMatchesOnly: products !== undefined,
      ...(registry ? { registry } : {}),
      // Built when first asked for: a known scope's reverse lookup never asks (0.5 ms of a fresh isolate).
      get catalogScopeNames() {
        return classifies ? wholeScopeTable(state) : undefined;
      },
    });
    state.indexes.set(key, index);
  }
  return index;
}

/** Each manifest's whole-catalog scope table, built once (a reverse lookup of an unknown name asks on every request). */
const scopeTables = new WeakMap<Held["pointers"], string[] | undefined>();

/** The whole catalog's scope table from the manifest (catalogScopeNames), or undefined when it cannot give it. */
function wholeScopeTable(state: Held): string[] | undefined {
  if (!scopeTables.has(state.pointers))
    scopeTables.set(
      state.pointers,
      catalogScopeNames(state.pointers, state.pointers.platform ? [] : CURATED_SCOPE_TABLE),
    );
  return scopeTables.get(state.pointers);
}

/**
 * The registry a version names, read once. It only refines how scope names are classified, so a
 * registry that is missing or corrupt is logged and the catalog is served without it.
 */
function registryOf(state: Held, store: CatalogStore): Promise<ServedRegistry | undefined> {
  const key = state.registryKey;
  if (!key) return Promise.resolve(undefined);
  state.registry ??= store.readRegistryForServing(key).then(
    (registry) => {
      if (!registry) console.error(`catalog cache: the manifest names ${key}, which is missing; serving without it`);
      return registry ?? undefined;
    },
    (error: unknown) => {
      console.error(`catalog cache: ${error instanceof Error ? error.message : String(error)}; serving without it`);
      return undefined;
    },
  );
  return state.registry;
}

/**
 * Shards a stored part of which (an endpoint, the scope line) failed its check when first read (they
 * are parsed as they are read, see src/storage/shard-layout.ts): read from KV as failing from then on, so the version is served as when
 * a shard cannot be read (the version held before it, else the snapshot). KV keys are immutable.
 */
const corruptShards = new Set<string>();

/** A shard found corrupt while serving: no index built over it is used again. */
function forgetCorruptShard(state: Held, key: string): void {
  corruptShards.add(key);
  state.shards.delete(key);
  state.indexes.clear();
}

function shardOf(state: Held, store: CatalogStore, pointer: ShardPointer): Promise<CatalogProductData> {
  // The snapshot's shards are checked whole when bundled: a key it shares with KV stays servable there.
  if (state.source === "kv" && corruptShards.has(pointer.key))
    return Promise.reject(new CorruptValueError(pointer.key, "a part failed its check when read"));
  let shard = state.shards.get(pointer.key);
  if (!shard) {
    shard = store
      .readShardForServing(pointer.key, () => forgetCorruptShard(state, pointer.key))
      .then((read) => {
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
    const { manifest: rawManifest, shards, registries } = await loadSnapshot();
    const manifest = ManifestSchema().parse(rawManifest);
    const registryKey = manifest.registry?.key;
    const bundled = registryKey ? registries?.[registryKey] : undefined;
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
      ...(registryKey && bundled
        ? { registryKey, registry: Promise.resolve(checkRegistryShape(registryKey, bundled)) }
        : {}),
    };
  }
  return snapshot;
}

/** What the index keeps of a shard. Its trie, paths and scopes are read through: a stored shard parses them on first use. */
export function productData(shard: ServedShard): CatalogProductData {
  return {
    scrapedAt: shard.scrapedAt,
    version: shard.version,
    endpoints: shard.endpoints,
    get scopes() {
      return shard.scopes;
    },
    // Read through, as the scopes are: a stored shard parses its trie on the first path lookup.
    get routes() {
      return shard.routes;
    },
    removed: shard.removed,
    get scopeIndex() {
      return shard.scopeIndex;
    },
    get templates() {
      return shard.templates;
    },
    ...(shard.methods === undefined ? {} : { methods: shard.methods }),
    ...(shard.connectScopes === undefined ? {} : { connectScopes: shard.connectScopes }),
    ...(shard.scopeEntry === undefined ? {} : { scopeEntry: shard.scopeEntry }),
  };
}

function fieldOf(
  pointers: Partial<Record<Product, ShardPointer>>,
  field: "prefixes" | "scopeNames",
): Partial<Record<Product, readonly string[] | undefined>> {
  const lists: Partial<Record<Product, readonly string[] | undefined>> = {};
  for (const [product, pointer] of Object.entries(pointers) as [Product, ShardPointer][])
    lists[product] = pointer[field];
  return lists;
}

function countingReads(kv: KvLike): KvLike {
  const get = (key: string, type: KvValueType) => {
    kvReads++;
    return type === "text" ? kv.get(key, type) : kv.get(key, type);
  };
  return {
    get: get as KvLike["get"],
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
  lastRun = undefined;
  kvReads = 0;
  corruptShards.clear();
}
