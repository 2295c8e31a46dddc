/**
 * What the worker serves: the catalog and its changelog from KV, with the snapshot bundled into the
 * worker (data/) as the fallback. The only module of the worker that imports data/: routes and
 * answers ask here and never handle the snapshot themselves.
 */
import { loadSnapshot } from "../../data/snapshot";
import type { RunReport } from "../catalog/schema";
import {
  cachedLastRun,
  catalogReady,
  catalogSummary,
  servedCatalog,
  type CatalogSource,
  type CatalogSummary,
  type ServeOptions,
  type ServedCatalog,
} from "./catalog-cache";
import type { KvLike } from "./catalog-store";
import { changelogSource, type ChangelogSource } from "./changes-cache";

/** The catalog for a request: the isolate's cache, KV, or the bundled snapshot. Throws only when none can be read. */
export function catalogFor(kv: KvLike, options?: ServeOptions): Promise<ServedCatalog> {
  return servedCatalog(kv, loadSnapshot, options);
}

/** Resolves once a catalog can be served (manifest or snapshot), reading no shard; rejects when none can. */
export function catalogReadyFor(kv: KvLike): Promise<void> {
  return catalogReady(kv, loadSnapshot);
}

/** What /health reports of the served version: from the manifest, without reading shards when it can. */
export function summaryFor(kv: KvLike): Promise<CatalogSummary> {
  return catalogSummary(kv, loadSnapshot);
}

/** The last scrape's report, re-read once per manifest check; null when absent or unreadable. */
export function lastRunFor(kv: KvLike): Promise<RunReport | null> {
  return cachedLastRun(kv, loadSnapshot);
}

/** The changelog that goes with a catalog served from `source`. */
export function changelogFor(kv: KvLike, source: CatalogSource): Promise<ChangelogSource> {
  return changelogSource(kv, loadSnapshot, source);
}
