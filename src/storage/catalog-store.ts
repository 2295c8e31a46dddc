/**
 * The only code that reads or writes the catalog's key-value store (Workers KV in the worker, a folder
 * of JSON files in the CLI). Key schema, and how each read is checked: docs/storage-schema.md.
 */
import type { z } from "zod";
import type { ProductScopeEntry } from "../catalog/catalog-index";
import type { RouteNode } from "../catalog/matcher";
import { type RouteTrie, routeTrieOf } from "../catalog/route-table";
import { routesProblem, scopeIndexProblem } from "../catalog/route-validation";
import { lazy, lazyList } from "../lazy";
import {
  MAX_TOMBSTONES,
  PRODUCTS,
  ChangesSchema,
  ManifestSchema,
  ProductShardSchema,
  RunReportSchema,
  ScopeRegistrySchema,
  type Changes,
  type Endpoint,
  type Manifest,
  type Product,
  type ProductShard,
  type RunReport,
  type ScopeRecord,
  type ScopeRegistry,
  type ConnectScopeLetters,
  connectScopeAt,
  connectLetterAt,
  METHOD_LETTERS,
  NO_CONNECT_SCOPE,
} from "../catalog/schema";
import {
  ENDPOINT_CONNECT_SCOPES,
  ENDPOINT_METHODS,
  ENDPOINT_PATHS,
  MAX_CONNECT_SCOPE_NAMES,
  LINE_STARTS,
  encodeShard,
  expandAlternatives,
  readLayout,
  type LaidOutShard,
  type StoredScopeEntry,
} from "./shard-layout";

/** The part of KVNamespace the catalog uses; a folder store in the CLI implements the same. */
export interface KvLike {
  get(key: string, type: "text"): Promise<string | null>;
  /** A value's bytes: serving reads shards so, and decodes only the lines a request reads (readLayout). */
  get(key: string, type: "arrayBuffer"): Promise<ArrayBuffer | null>;
  /** `expirationTtl` (seconds, at least 60 in Workers KV): KV deletes the key by itself; the folder store ignores it. */
  put(key: string, value: string, options?: { expirationTtl?: number }): Promise<void>;
  delete(key: string): Promise<void>;
  list(options: {
    prefix: string;
    cursor?: string;
  }): Promise<{ keys: { name: string }[]; list_complete: boolean; cursor?: string }>;
}

export type KvValueType = "text" | "arrayBuffer";

/** A value a store holds as text, as Workers KV returns it for `type` (the folder store, test stores). */
export function textAs(text: string | null, type: KvValueType): string | ArrayBuffer | null {
  if (text === null || type === "text") return text;
  const bytes = new TextEncoder().encode(text);
  const buffer = new ArrayBuffer(bytes.byteLength);
  new Uint8Array(buffer).set(bytes);
  return buffer;
}

export const KEYS = {
  manifest: "manifest",
  shard: (version: string, product: Product) => `shard/${version}/${product}`,
  shardPrefix: "shard/",
  changes: (version: string) => `changes/${version}`,
  /** One per registry package version (`registry/forge-manifest-13.7.0`): immutable, shared by every catalog version that names it. */
  registry: (source: { package: string; version: string }) =>
    `registry/${source.package.replace(/^@/, "").replace(/[^A-Za-z0-9.-]+/g, "-")}-${source.version}`,
  lastRun: "run/latest",
  lock: "lock/scrape",
} as const;

/** A stored value that exists but does not parse or validate. */
export class CorruptValueError extends Error {
  constructor(
    readonly key: string,
    detail: string,
  ) {
    super(`stored value ${key} is corrupt: ${detail}`);
    this.name = "CorruptValueError";
  }
}

export interface Lease {
  owner: string;
  /** When the owner took the lease; absent from leases written before it was recorded. */
  acquiredAt?: string;
  expiresAt: string;
}

/** The answer to acquireLease: taken (perhaps over a stale lease), or held by another run. */
export type LeaseResult = { ok: true; takenOver?: Lease } | { ok: false; holder: Lease };

/** KV's smallest `expirationTtl`, in seconds. */
const MIN_KV_TTL_S = 60;

export class CatalogStore {
  constructor(private readonly kv: KvLike) {}

  readManifest(): Promise<Manifest | null> {
    return this.read(KEYS.manifest, ManifestSchema());
  }

  /**
   * The manifest for serving: the pointers the worker follows, shape-checked by hand. zod's first
   * parse in a fresh isolate costs several milliseconds (measured: about as much as JSON.parse of the
   * Jira shard), more than a cold request can spare; the scraper validated it before writing it.
   */
  async readManifestForServing(): Promise<ServingManifest | null> {
    const text = await this.kv.get(KEYS.manifest, "text");
    if (text === null) return null;
    return checkManifestShape(KEYS.manifest, parseJson(KEYS.manifest, text));
  }

  readShard(key: string): Promise<ProductShard | null> {
    return this.read(key, ProductShardSchema(), (value) => expandStored(key, value));
  }

  /**
   * A shard for serving. The scraper validated it with zod before writing it; re-running zod here
   * costs 12-60 ms for Jira's 1,126 endpoints (measured), more than a Free-plan request's 10 ms of CPU,
   * so this checks the shape the query code relies on instead.
   */
  async readShardForServing(key: string, onCorrupt?: (error: CorruptValueError) => void): Promise<ServedShard | null> {
    // Bytes, not text: turning Jira's 0.9 MB into a string costs a cold isolate about 4 ms (docs/benchmarks.md).
    const bytes = await this.kv.get(key, "arrayBuffer");
    return bytes === null ? null : shardForServing(key, new Uint8Array(bytes), onCorrupt);
  }

  readChanges(key: string): Promise<Changes | null> {
    return this.read(key, ChangesSchema());
  }

  /** The scope registry, checked with zod (the scraper's read). */
  readRegistry(key: string): Promise<ScopeRegistry | null> {
    return this.read(key, ScopeRegistrySchema());
  }

  /**
   * The registry for serving, shape-checked by hand like the shards: `source` and every scope's string
   * `name` and `product`, which is all classification reads (src/catalog/scope-registry.ts).
   */
  async readRegistryForServing(key: string): Promise<Pick<ScopeRegistry, "source" | "scopes"> | null> {
    const text = await this.kv.get(key, "text");
    if (text === null) return null;
    return checkRegistryShape(key, parseJson(key, text));
  }

  /** Registries are immutable: one key per package version, written before the manifest that names it. */
  async writeRegistry(registry: ScopeRegistry): Promise<string> {
    const key = KEYS.registry(registry.source);
    await this.kv.put(key, JSON.stringify(registry));
    return key;
  }

  readLastRun(): Promise<RunReport | null> {
    return this.read(KEYS.lastRun, RunReportSchema());
  }

  /**
   * The last run's report for /health, checked by hand (checkRunReportShape) to what RunReportSchema
   * accepts and keeps: building that schema and its first parse cost a fresh isolate's first GET
   * /health about 4 ms of its 6 (first-request-profile.ts).
   */
  async readLastRunForServing(): Promise<RunReport | null> {
    const text = await this.kv.get(KEYS.lastRun, "text");
    if (text === null) return null;
    return checkRunReportShape(KEYS.lastRun, parseJson(KEYS.lastRun, text));
  }

  /** Shards are immutable: one key per version and product, never rewritten. */
  async writeShard(shard: ProductShard): Promise<string> {
    const key = KEYS.shard(shard.version, shard.product);
    await this.kv.put(key, encodeShard(shard));
    return key;
  }

  async writeChanges(changes: Changes): Promise<string> {
    const key = KEYS.changes(changes.version);
    await this.kv.put(key, JSON.stringify(changes));
    return key;
  }

  /** The swap: readers see the new version only once every shard it names is stored. */
  writeManifest(manifest: Manifest): Promise<void> {
    return this.kv.put(KEYS.manifest, JSON.stringify(manifest));
  }

  writeLastRun(report: RunReport): Promise<void> {
    return this.kv.put(KEYS.lastRun, JSON.stringify(report));
  }

  async listShardKeys(): Promise<string[]> {
    const names: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.kv.list({ prefix: KEYS.shardPrefix, cursor });
      names.push(...page.keys.map((key) => key.name));
      cursor = page.list_complete ? undefined : page.cursor;
    } while (cursor);
    return names;
  }

  async deleteKeys(keys: readonly string[]): Promise<void> {
    for (const key of keys) await this.kv.delete(key);
  }

  /**
   * Best-effort lease so two scrapes do not publish over each other. KV has no compare-and-swap, so two
   * runs starting within KV's propagation delay could both win; versioned keys, and pruning only shards older than an hour (scraper/publish.ts), keep even that safe.
   *
   * A run that dies (killed, out of CPU) never releases its lease. Once past `expiresAt` the lease is
   * stale and the next run takes it over, saying whose it was (`takenOver`). The key is also written with
   * a KV expiration a minute past `expiresAt`, so KV deletes a dead run's lease by itself; the minute
   * keeps the takeover visible to a run that comes right after, and reads lagging by up to 60 s (KV is
   * eventually consistent) never see a lease vanish before it expired.
   */
  async acquireLease(owner: string, now: Date, ttlMs: number): Promise<LeaseResult> {
    const held = await this.readLease();
    const live = held !== null && Date.parse(held.expiresAt) > now.getTime();
    if (held && live && held.owner !== owner) return { ok: false, holder: held };
    const lease: Lease = {
      owner,
      acquiredAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + ttlMs).toISOString(),
    };
    const expirationTtl = Math.max(MIN_KV_TTL_S, Math.ceil(ttlMs / 1000) + MIN_KV_TTL_S);
    await this.kv.put(KEYS.lock, JSON.stringify(lease), { expirationTtl });
    return held && !live && held.owner !== owner ? { ok: true, takenOver: held } : { ok: true };
  }

  async releaseLease(owner: string): Promise<void> {
    const held = await this.readLease();
    if (held?.owner === owner) await this.kv.delete(KEYS.lock);
  }

  private async readLease(): Promise<Lease | null> {
    const text = await this.kv.get(KEYS.lock, "text");
    if (!text) return null;
    try {
      const lease = JSON.parse(text) as Partial<Lease>;
      if (typeof lease.owner !== "string" || typeof lease.expiresAt !== "string") return null;
      return typeof lease.acquiredAt === "string"
        ? { owner: lease.owner, acquiredAt: lease.acquiredAt, expiresAt: lease.expiresAt }
        : { owner: lease.owner, expiresAt: lease.expiresAt };
    } catch {
      return null; // an unreadable lease protects nothing: treat it as free
    }
  }

  private async read<T>(key: string, schema: z.ZodType<T>, stored = (value: unknown) => value): Promise<T | null> {
    const text = await this.kv.get(key, "text");
    if (text === null) return null;
    const parsed = schema.safeParse(stored(parseJson(key, text)));
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new CorruptValueError(key, `${issue?.path.join(".") || "value"}: ${issue?.message ?? "invalid"}`);
    }
    return parsed.data;
  }
}

/**
 * A shard as serving reads it, with each endpoint's path by index and its method's letter by index
 * (METHOD_LETTERS) when the layout stores them (not fields of the shard, so not enumerable: the value
 * reads as the shard does), and its trie as stored: a table, or nested in layouts before it.
 */
export type ServedShard = Omit<ProductShard, "routes"> & {
  readonly routes?: RouteNode | RouteTrie;
  readonly templates?: readonly string[];
  readonly methods?: string;
  readonly connectScopes?: ConnectScopeLetters;
  /** One scope's records and positions, read alone (CatalogProductData.scopeEntry). */
  readonly scopeEntry?: (name: string) => ProductScopeEntry | undefined;
};

/** A shard's stored value as serving reads it (CatalogStore.readShardForServing): checked, parsed as it is read. */
export function shardForServing(
  key: string,
  stored: Uint8Array,
  onCorrupt?: (error: CorruptValueError) => void,
): ServedShard {
  let layout: LaidOutShard | undefined;
  try {
    layout = readLayout(stored);
  } catch (error) {
    throw new CorruptValueError(key, error instanceof Error ? error.message : String(error));
  }
  if (!layout) return checkShardShape(key, parseJson(key, new TextDecoder().decode(stored)));
  // In the stored layout the trie, the paths, the scope records and index, and each endpoint are
  // parsed and checked when first read (a path lookup reads the trie, a few endpoints and no scope; a
  // miss's suggestions the paths; a scope's reverse lookup no trie); a part that fails then is
  // reported to `onCorrupt` (the cache stops serving the shard) and thrown.
  const { parseRoutes, parseRouteTable, parsePaths, parseScopes, parseEndpoint, endpointCount } = layout;
  const checked = <T>(read: () => T, what: () => string): T => {
    try {
      return read();
    } catch (error) {
      const corrupt =
        error instanceof CorruptValueError
          ? error
          : new CorruptValueError(key, `${what()}: ${error instanceof Error ? error.message : String(error)}`);
      onCorrupt?.(corrupt);
      throw corrupt;
    }
  };
  /** A line parsed and checked on its first read. */
  const lazyLine = <T>(parse: () => unknown, check: (key: string, value: unknown, count: number) => T, what: string) =>
    lazy(() =>
      checked(
        () => check(key, parse(), endpointCount),
        () => what,
      ),
    );
  const scopeSection = lazyLine(parseScopes, checkScopeSection, "scopes");
  const routesLine = parseRouteTable
    ? lazyLine(parseRouteTable, checkRouteTable, "routes")
    : parseRoutes && lazyLine(parseRoutes, checkRoutes, "routes");
  const paths = parsePaths && lazyLine(parsePaths, checkPaths, "endpoint paths");
  const head = checkShardHead(key, layout.head, endpointCount);
  const methods = layout.methods === undefined ? undefined : checkMethods(key, layout.methods, endpointCount);
  const connectScopes =
    layout.connectScopes === undefined ? undefined : checkConnectScopes(key, layout.connectScopes, endpointCount);
  const endpoints = lazyList(endpointCount, (index) =>
    checked(
      () => {
        const endpoint = checkEndpointShape(key, parseEndpoint(index));
        // A lookup trusts the letters to skip other methods' lines: each line read must agree.
        if (methods !== undefined && methods[index] !== METHOD_LETTERS[endpoint.method])
          throw new CorruptValueError(
            key,
            `endpoint ${index}: ${ENDPOINT_METHODS} says ${methods[index]}, the line ${endpoint.method.slice(0, 10)}`,
          );
        // A Connect app's list trusts them to leave lines unread: each line read must agree.
        if (connectScopes !== undefined && connectScopeAt(connectScopes, index) !== endpoint.connectScope)
          throw new CorruptValueError(
            key,
            `endpoint ${index}: ${ENDPOINT_CONNECT_SCOPES} says ${connectScopes.letters[index]}, the line ${endpoint.connectScope?.slice(0, 30) ?? "none"}`,
          );
        return endpoint;
      },
      () => `endpoint ${index}`,
    ),
  );
  const served: ServedShard = {
    ...head,
    // Read-only: the list refuses writes, and nothing that serves writes to a shard.
    endpoints: endpoints as Endpoint[],
    get routes() {
      return routesLine ? routesLine() : head.routes;
    },
    get scopes() {
      return scopeSection().scopes;
    },
    get scopeIndex() {
      return scopeSection().scopeIndex;
    },
  };
  const scopeEntry = (name: string) =>
    checked(
      () => checkScopeEntry(key, name, layout.parseScopeEntry(name), endpointCount),
      () => `scopes of ${name.slice(0, 80)}`,
    );
  Object.defineProperty(served, "scopeEntry", { value: scopeEntry, enumerable: false });
  if (paths) Object.defineProperty(served, "templates", { get: paths, enumerable: false });
  if (methods !== undefined) Object.defineProperty(served, "methods", { value: methods, enumerable: false });
  if (connectScopes !== undefined)
    Object.defineProperty(served, "connectScopes", { value: connectScopes, enumerable: false });
  return served;
}

/** A shard's whole stored value as the shard (expandAlternatives), or CorruptValueError. */
function expandStored(key: string, value: unknown): unknown {
  try {
    return expandAlternatives(value);
  } catch (error) {
    throw new CorruptValueError(key, error instanceof Error ? error.message : String(error));
  }
}

function parseJson(key: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new CorruptValueError(key, error instanceof Error ? error.message : String(error));
  }
}

/** What the worker reads of the manifest to serve a version. */
export type ServingManifest = Pick<Manifest, "version" | "publishedAt" | "products"> & { registryKey?: string };

/** The registry fields serving reads, checked without zod (see readRegistryForServing). */
export function checkRegistryShape(key: string, value: unknown): Pick<ScopeRegistry, "source" | "scopes"> {
  const registry = value as Partial<ScopeRegistry> | null;
  const fail = (detail: string): never => {
    throw new CorruptValueError(key, detail);
  };
  if (typeof registry !== "object" || registry === null) return fail("not an object");
  const source = registry.source;
  if (typeof source?.package !== "string" || typeof source.version !== "string" || typeof source.url !== "string")
    fail("source: package, version or url missing");
  if (!Array.isArray(registry.scopes)) return fail("scopes: not a list");
  for (const scope of registry.scopes)
    if (typeof scope?.name !== "string" || typeof scope.product !== "string")
      fail("a scope record has no name or product");
  return { source: registry.source!, scopes: registry.scopes };
}

const RUN_OUTCOMES = ["published", "unchanged", "failed", "locked"] as const;
const PRODUCT_STATUSES = ["published", "unchanged", "failed"] as const;

/**
 * A run report as RunReportSchema parses it, without zod (see readLastRunForServing): the same values
 * accepted, unknown fields left out at every level. test/storage/run-report-shape.test.ts holds the
 * two to the same answers.
 */
export function checkRunReportShape(key: string, value: unknown): RunReport {
  const fail = (detail: string): never => {
    throw new CorruptValueError(key, detail);
  };
  const report = objectOr(value, () => fail("not an object"));
  const products = objectOr(report.products, () => fail("products: not an object"));
  const checked: RunReport = {
    startedAt: stringOr(report.startedAt, () => fail("startedAt: not a string")),
    finishedAt: stringOr(report.finishedAt, () => fail("finishedAt: not a string")),
    outcome: oneOf(report.outcome, RUN_OUTCOMES, () => fail("outcome: not a run outcome")),
    version: report.version === null ? null : stringOr(report.version, () => fail("version: not a string or null")),
    ...optional("message", report.message, (message) => stringOr(message, () => fail("message: not a string"))),
    products: {},
    ...optional("registry", report.registry, (registry) => registryOutcome(registry, fail)),
  };
  for (const product of Object.keys(products)) {
    // zod leaves a `__proto__` key out of a record (an own field JSON.parse can make), and so does this.
    if (product === "__proto__") continue;
    if (!PRODUCTS.includes(product as Product)) fail(`products: unknown product ${product.slice(0, 40)}`);
    checked.products[product as Product] = productOutcome(products[product], (detail) =>
      fail(`products.${product}.${detail}`),
    );
  }
  return checked;
}

function productOutcome(value: unknown, fail: (detail: string) => never): NonNullable<RunReport["products"]["jira"]> {
  const outcome = objectOr(value, () => fail("not an object"));
  const warnings = outcome.warnings;
  return {
    status: oneOf(outcome.status, PRODUCT_STATUSES, () => fail("status")),
    ...optional("reason", outcome.reason, (reason) => stringOr(reason, () => fail("reason"))),
    ...optional("message", outcome.message, (message) => stringOr(message, () => fail("message"))),
    ...optional("endpoints", outcome.endpoints, (count) => countOr(count, () => fail("endpoints"))),
    ...optional("scopes", outcome.scopes, (count) => countOr(count, () => fail("scopes"))),
    ...optional("changes", outcome.changes, (count) => countOr(count, () => fail("changes"))),
    ...optional("warnings", warnings, () =>
      Array.isArray(warnings) && warnings.every((warning) => typeof warning === "string")
        ? [...(warnings as string[])]
        : fail("warnings"),
    ),
  };
}

function registryOutcome(value: unknown, fail: (detail: string) => never): NonNullable<RunReport["registry"]> {
  const registry = objectOr(value, () => fail("registry: not an object"));
  return {
    status: oneOf(registry.status, PRODUCT_STATUSES, () => fail("registry.status")),
    version: stringOr(registry.version, () => fail("registry.version")),
    ...optional("scopes", registry.scopes, (count) => countOr(count, () => fail("registry.scopes"))),
    ...optional("reason", registry.reason, (reason) => stringOr(reason, () => fail("registry.reason"))),
    ...optional("message", registry.message, (message) => stringOr(message, () => fail("registry.message"))),
  };
}

/** `{ [name]: read(value) }`, or nothing when the value is absent (as zod's `.optional()` leaves it out). */
function optional<K extends string, T>(name: K, value: unknown, read: (value: unknown) => T): { [key in K]?: T } {
  return value === undefined ? {} : ({ [name]: read(value) } as { [key in K]?: T });
}

function objectOr(value: unknown, fail: () => never): Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : fail();
}

function stringOr(value: unknown, fail: () => never): string {
  return typeof value === "string" ? value : fail();
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[], fail: () => never): T {
  return typeof value === "string" && allowed.includes(value as T) ? (value as T) : fail();
}

/** A whole number from 0 up, as `z.number().int().nonnegative()` takes it. */
function countOr(value: unknown, fail: () => never): number {
  return typeof value === "number" && Number.isSafeInteger(value) && value >= 0 ? value : fail();
}

/** The manifest's fields the worker follows, checked without zod (see readManifestForServing). */
function checkManifestShape(key: string, value: unknown): ServingManifest {
  const manifest = value as Partial<Manifest> | null;
  const fail = (detail: string): never => {
    throw new CorruptValueError(key, detail);
  };
  if (typeof manifest !== "object" || manifest === null) return fail("not an object");
  if (manifest.schemaVersion !== 1) fail(`schemaVersion: ${String(manifest.schemaVersion)} is not 1`);
  if (typeof manifest.version !== "string" || typeof manifest.publishedAt !== "string")
    fail("version, publishedAt: missing");
  if (typeof manifest.products !== "object" || manifest.products === null) return fail("products: missing");
  for (const [product, pointer] of Object.entries(manifest.products)) {
    if (!PRODUCTS.includes(product as Product)) fail(`products: unknown product ${product}`);
    if (
      typeof pointer?.key !== "string" ||
      typeof pointer.version !== "string" ||
      typeof pointer.scrapedAt !== "string"
    )
      fail(`products.${product}: key, version or scrapedAt missing`);
    const prefixes = pointer?.prefixes as unknown;
    if (prefixes !== undefined && (!Array.isArray(prefixes) || prefixes.some((prefix) => typeof prefix !== "string")))
      fail(`products.${product}.prefixes: not a list of strings`);
    const scopeNames = pointer?.scopeNames as unknown;
    if (scopeNames !== undefined && (!Array.isArray(scopeNames) || scopeNames.some((name) => typeof name !== "string")))
      fail(`products.${product}.scopeNames: not a list of strings`);
  }
  // An unusable registry pointer is ignored, not fatal: the catalog serves without the registry.
  const registryKey = typeof manifest.registry?.key === "string" ? manifest.registry.key : undefined;
  return {
    version: manifest.version!,
    publishedAt: manifest.publishedAt!,
    products: manifest.products,
    ...(registryKey ? { registryKey } : {}),
  };
}

/** The fields lookups rely on, checked per endpoint: cheap enough for a cold isolate. */
export function checkShardShape(key: string, stored: unknown): ProductShard {
  const value = expandStored(key, stored);
  const endpoints = (value as Partial<ProductShard> | null)?.endpoints;
  const count = Array.isArray(endpoints) ? endpoints.length : 0;
  const head = checkShardHead(key, value, count);
  const scopes = checkScopeSection(key, value, count);
  if (!Array.isArray(endpoints)) throw new CorruptValueError(key, "endpoints or scopes missing");
  for (const endpoint of endpoints) checkEndpointShape(key, endpoint);
  return { ...head, ...scopes, endpoints };
}

/** An endpoint's fields lookups rely on: string `method` and `path`, and alternatives that each list scopes. */
function checkEndpointShape(key: string, value: unknown): Endpoint {
  const endpoint = value as Partial<Endpoint> | null;
  if (
    typeof endpoint?.path !== "string" ||
    typeof endpoint.method !== "string" ||
    !Array.isArray(endpoint.alternatives)
  )
    throw new CorruptValueError(
      key,
      `endpoint ${JSON.stringify(endpoint)?.slice(0, 80)} lacks method, path or alternatives`,
    );
  // Indexed: a for-of allocates per step in a cold isolate, and this runs for every endpoint read.
  const alternatives = endpoint.alternatives;
  for (let at = 0; at < alternatives.length; at++)
    if (!Array.isArray(alternatives[at]?.scopes))
      throw new CorruptValueError(key, `${endpoint.method} ${endpoint.path} has an alternative without scopes`);
  return endpoint as Endpoint;
}

/**
 * Every field of a shard but its endpoints, scope records and scope index (checkScopeSection); its
 * trie's indices must stay below `endpointCount`.
 */
function checkShardHead(
  key: string,
  value: unknown,
  endpointCount: number,
): Omit<ProductShard, "endpoints" | "scopes" | "scopeIndex"> {
  const shard = value as Partial<ProductShard> | null;
  const fail = (detail: string): never => {
    throw new CorruptValueError(key, detail);
  };
  if (typeof shard !== "object" || shard === null) return fail("not an object");
  if (shard.schemaVersion !== 1) fail(`schemaVersion ${String(shard.schemaVersion)} is not 1`);
  if (!PRODUCTS.includes(shard.product as Product)) fail(`unknown product ${String(shard.product)}`);
  if (typeof shard.version !== "string" || typeof shard.scrapedAt !== "string") fail("version or scrapedAt missing");
  if (shard.removed !== undefined) {
    if (!Array.isArray(shard.removed) || shard.removed.length > MAX_TOMBSTONES)
      fail(`removed is not a list of at most ${MAX_TOMBSTONES}`);
    for (const tombstone of shard.removed ?? [])
      if (
        typeof tombstone?.path !== "string" ||
        typeof tombstone.method !== "string" ||
        !Array.isArray(tombstone.alternatives) ||
        tombstone.alternatives.some((alternative) => !Array.isArray(alternative?.scopes))
      )
        fail(`removed ${JSON.stringify(tombstone)?.slice(0, 80)} lacks method, path or alternatives`);
  }
  if (shard.routes !== undefined) checkRoutes(key, shard.routes, endpointCount);
  const {
    endpoints: _endpoints,
    scopes: _scopes,
    scopeIndex: _scopeIndex,
    [LINE_STARTS]: _lineStarts,
    [ENDPOINT_PATHS]: _paths,
    [ENDPOINT_METHODS]: _methods,
    [ENDPOINT_CONNECT_SCOPES]: _connectScopes,
    ...head
  } = shard as ProductShard & {
    [LINE_STARTS]?: unknown;
    [ENDPOINT_PATHS]?: unknown;
    [ENDPOINT_METHODS]?: unknown;
    [ENDPOINT_CONNECT_SCOPES]?: unknown;
  };
  return head;
}

/** Letters METHOD_LETTERS holds, and nothing else. */
const METHOD_LETTERS_ONLY = new RegExp(`^[${Object.values(METHOD_LETTERS).join("")}]*$`);

/** The stored methods: one METHOD_LETTERS letter per endpoint. */
function checkMethods(key: string, methods: unknown, endpointCount: number): string {
  if (typeof methods !== "string" || methods.length !== endpointCount || !METHOD_LETTERS_ONLY.test(methods))
    throw new CorruptValueError(key, `${ENDPOINT_METHODS}: not ${endpointCount} method letters`);
  return methods;
}

/** The stored Connect scopes: names (26 at most, distinct), and one letter per endpoint naming one or none. */
function checkConnectScopes(key: string, stored: unknown, endpointCount: number): ConnectScopeLetters {
  const { names, letters } = (stored ?? {}) as Partial<Record<keyof ConnectScopeLetters, unknown>>;
  const valid =
    Array.isArray(names) &&
    names.length <= MAX_CONNECT_SCOPE_NAMES &&
    names.every((name) => typeof name === "string" && name !== "") &&
    new Set(names).size === names.length &&
    typeof letters === "string" &&
    letters.length === endpointCount &&
    onlyLettersOf(letters, names.length);
  if (!valid) throw new CorruptValueError(key, `${ENDPOINT_CONNECT_SCOPES}: not ${endpointCount} letters of its names`);
  return stored as ConnectScopeLetters;
}

const NO_CONNECT_CODE = NO_CONNECT_SCOPE.charCodeAt(0);
const FIRST_CONNECT_CODE = connectLetterAt(0).charCodeAt(0);

/**
 * Whether `letters` holds only `-` and the letters of `count` names (`a` to `c` for three). A loop,
 * not a regular expression built per shard: every shard read checks these, and compiling one cost a
 * fresh isolate more than the loop.
 */
function onlyLettersOf(letters: string, count: number): boolean {
  const past = FIRST_CONNECT_CODE + count;
  for (let at = 0; at < letters.length; at++) {
    const code = letters.charCodeAt(at);
    if (code !== NO_CONNECT_CODE && (code < FIRST_CONNECT_CODE || code >= past)) return false;
  }
  return true;
}

/** The stored paths: one string per endpoint. */
function checkPaths(key: string, paths: unknown, endpointCount: number): readonly string[] {
  if (!Array.isArray(paths) || paths.length !== endpointCount)
    throw new CorruptValueError(key, `endpoint paths: not a list of ${endpointCount}`);
  for (const path of paths)
    if (typeof path !== "string") throw new CorruptValueError(key, "endpoint paths: an entry is not a string");
  return paths as string[];
}

/** A shard's path trie stored as a table, whose endpoint indices must stay below `endpointCount` (routeTrieOf). */
function checkRouteTable(key: string, table: unknown, endpointCount: number): RouteTrie {
  const trie = routeTrieOf(table, endpointCount);
  if (typeof trie === "string") throw new CorruptValueError(key, `routes: ${trie}`);
  return trie;
}

/** A shard's path trie, whose endpoint indices must stay below `endpointCount` (routesProblem). */
function checkRoutes(key: string, routes: unknown, endpointCount: number): RouteNode {
  const problem = routesProblem(routes, endpointCount);
  if (problem) throw new CorruptValueError(key, `routes: ${problem}`);
  return routes as RouteNode;
}

/** One scope's part of the scopes' line, held to what checkScopeSection holds the whole line to. */
function checkScopeEntry(
  key: string,
  name: string,
  entry: StoredScopeEntry | undefined,
  endpointCount: number,
): ProductScopeEntry | undefined {
  if (!entry) return undefined;
  for (const record of entry.records)
    if ((record as Partial<ScopeRecord> | null)?.name !== name)
      throw new CorruptValueError(key, `a scope record of ${name.slice(0, 80)} has another name`);
  if (entry.positions === undefined) return { records: entry.records as ScopeRecord[] };
  const problem = scopeIndexProblem({ [name]: entry.positions }, endpointCount);
  if (problem) throw new CorruptValueError(key, `scopeIndex: ${problem}`);
  return { records: entry.records as ScopeRecord[], positions: entry.positions as number[] };
}

/** A shard's scope records (each with a string `name`) and its scope index, when it has one (scopeIndexProblem). */
function checkScopeSection(
  key: string,
  value: unknown,
  endpointCount: number,
): Pick<ProductShard, "scopes" | "scopeIndex"> {
  const { scopes, scopeIndex } = (value ?? {}) as Partial<ProductShard>;
  if (!Array.isArray(scopes)) throw new CorruptValueError(key, "endpoints or scopes missing");
  for (const scope of scopes)
    if (typeof scope?.name !== "string") throw new CorruptValueError(key, "a scope record has no name");
  if (scopeIndex !== undefined) {
    const problem = scopeIndexProblem(scopeIndex, endpointCount);
    if (problem) throw new CorruptValueError(key, `scopeIndex: ${problem}`);
  }
  return { scopes, ...(scopeIndex === undefined ? {} : { scopeIndex }) };
}
