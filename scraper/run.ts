/**
 * One scrape: load → parse → normalize → validate → publish, per product. The scheduled worker and
 * the CLI both call `runScrape`, with different loaders and stores. A product that fails keeps its
 * last good version; the others still publish; nothing is written unless something changed.
 */
import type { DocumentMeta, Manifest, Product, ProductOutcome, RunReport } from "../src/catalog/schema";
import type { CatalogStore, Lease } from "../src/storage/catalog-store";
import {
  contentHash,
  fillDescriptions,
  normalizeProduct,
  type NormalizedProduct,
  type ParsedSource,
} from "./normalize";
import { parseReferencePage, parseScopeTable } from "./parse/html";
import { parseOpenApiText, type ParseResult } from "./parse/openapi";
import { crossCheck, referencePageDocument } from "./parse/reference";
import { inCurrentLayout, publishVersion, type NewShard } from "./publish";
import type { DocumentSource, ProductSource } from "./sources";
import { validateProduct } from "./validate";

export type LoadDocumentResult =
  | { ok: true; status: "loaded"; text: string; bytes: number; etag?: string; lastModified?: string }
  | { ok: true; status: "not_modified" }
  | { ok: false; reason: string; message: string };

/** Fetches (worker) or reads (CLI) one document; `conditional` carries the validators of the last good copy. */
export type DocumentLoader = (
  source: DocumentSource,
  conditional?: { etag?: string; lastModified?: string },
) => Promise<LoadDocumentResult>;

export type PageLoader = (url: string) => Promise<{ ok: true; text: string } | { ok: false; message: string }>;

export interface RunScrapeOptions {
  sources: readonly ProductSource[];
  loadDocument: DocumentLoader;
  /** Loads developer.atlassian.com scope pages for missing descriptions; omitted offline. */
  loadPage?: PageLoader;
  store: CatalogStore;
  now?: () => Date;
  log?: (line: string) => void;
  /** Identifies this run's lease. */
  runId?: string;
}

/**
 * A run that hangs or dies must not block the next one for long: its lease is taken over after this.
 * 15 minutes is the longest a Cron Trigger may run (wall clock), so a live scheduled run never loses it.
 */
export const LEASE_MS = 15 * 60 * 1000;

interface Candidate {
  product: Product;
  normalized: NormalizedProduct;
  documents: DocumentMeta[];
}

export async function runScrape(options: RunScrapeOptions): Promise<RunReport> {
  const now = options.now ?? (() => new Date());
  const log = options.log ?? (() => {});
  const store = options.store;
  const runId = options.runId ?? crypto.randomUUID();
  const startedAt = now().toISOString();
  const products: RunReport["products"] = {};
  const finish = async (outcome: RunReport["outcome"], version: string | null, message?: string) => {
    const report: RunReport = { startedAt, finishedAt: now().toISOString(), outcome, version, message, products };
    await store
      .writeLastRun(report)
      .catch((error: unknown) => log(`could not record the run report: ${describe(error)}`));
    return report;
  };

  const lease = await store.acquireLease(runId, now(), LEASE_MS);
  if (!lease.ok) {
    // Recorded, so /health and the caller see a run that did nothing; the holder's report replaces it.
    const { holder } = lease;
    const message = `another scrape (${holder.owner}) holds the lease, taken ${leaseAge(holder, now())} ago; it expires at ${holder.expiresAt}, when the next run takes it over`;
    log(message);
    return await finish("locked", null, message);
  }
  if (lease.takenOver) {
    const { owner, expiresAt } = lease.takenOver;
    log(
      `taking over the stale lease of ${owner} (taken ${leaseAge(lease.takenOver, now())} ago, expired at ${expiresAt}): that run died or hung`,
    );
  }

  try {
    let previous: Manifest | null = null;
    try {
      previous = await store.readManifest();
    } catch (error) {
      // A corrupt pointer must not stop the run that repairs it; the gates then have no baseline.
      log(`the stored manifest is unreadable, scraping without a baseline: ${describe(error)}`);
    }

    const candidates: Candidate[] = [];
    // Each product's own dictionary descriptions, lent to the others (JSW uses read:project:jira, which
    // only Jira describes). A product not parsed this run lends what its last good version held, so a
    // failure upstream never changes another product's records.
    const dictionaries = new Map<Product, Map<string, string>>();
    const pageDescriptions = new Map<string, { description: string; source: "page" }>();

    for (const source of options.sources) {
      const result = await scrapeProduct(source, options, previous, log);
      if ("outcome" in result) {
        products[source.product] = result.outcome;
        const pointer = previous?.products[source.product];
        if (pointer) dictionaries.set(source.product, await storedDictionary(store, pointer.key));
        continue;
      }
      const dictionary = new Map<string, string>();
      for (const { document } of result.parsed) {
        for (const [scope, description] of document.declaredScopes)
          if (description && !dictionary.has(scope)) dictionary.set(scope, description);
      }
      dictionaries.set(source.product, dictionary);
      candidates.push({ product: source.product, normalized: result.normalized, documents: result.documents });
      if (!options.loadPage) continue;
      for (const url of source.scopePages) {
        const page = await options.loadPage(url);
        if (!page.ok) {
          warn(products, source.product, `scope page ${url}: ${page.message}`);
          continue;
        }
        for (const [scope, description] of parseScopeTable(page.text)) {
          if (!pageDescriptions.has(scope)) pageDescriptions.set(scope, { description, source: "page" });
        }
      }
      // Rendered pages cut long lists and lag the documents: disagreement is worth a look, not a refusal.
      for (const url of source.crossCheckPages) {
        const page = await options.loadPage(url);
        if (!page.ok) {
          warn(products, source.product, `reference page ${url}: ${page.message}`);
          continue;
        }
        const operations = parseReferencePage(page.text);
        if (operations.length === 0) warn(products, source.product, `reference page ${url}: no Scopes blocks found`);
        for (const problem of crossCheck(result.normalized.endpoints, operations))
          warn(products, source.product, `cross-check: ${problem}`);
      }
    }

    const descriptions = new Map<string, { description: string; source: "other-document" }>();
    for (const source of options.sources) {
      for (const [scope, description] of dictionaries.get(source.product) ?? []) {
        if (!descriptions.has(scope)) descriptions.set(scope, { description, source: "other-document" });
      }
    }

    const shards: NewShard[] = [];
    for (const candidate of candidates) {
      const { product, normalized } = candidate;
      // A DAC page describes a product's own scopes better than another product's dictionary does.
      fillDescriptions(normalized.scopes, pageDescriptions);
      fillDescriptions(normalized.scopes, descriptions);
      const pointer = previous?.products[product];
      const hash = await contentHash(normalized);
      const counts = { endpoints: normalized.endpoints.length, scopes: normalized.scopes.length };
      // A shard the manifest names must exist (a pruning run may have raced this one), and be in the
      // current layout: else republish.
      if (pointer?.contentHash === hash && inCurrentLayout(pointer) && (await shardExists(store, pointer.key))) {
        products[product] = { ...products[product], status: "unchanged", ...counts };
        log(`${product}: unchanged (${counts.endpoints} endpoints)`);
        continue;
      }
      const source = options.sources.find((item) => item.product === product);
      const scraped = new Set(candidate.documents.map((document) => document.id));
      const canaries = (source?.canaries ?? []).filter((canary) => !canary.document || scraped.has(canary.document));
      const verdict = validateProduct(normalized, canaries, pointer);
      if (!verdict.ok) {
        products[product] = {
          ...products[product],
          status: "failed",
          reason: verdict.reason,
          message: verdict.message,
          ...counts,
        };
        log(`${product}: refused (${verdict.reason}): ${verdict.message}`);
        continue;
      }
      products[product] = { ...products[product], status: "published", ...counts };
      shards.push({
        product,
        scrapedAt: now().toISOString(),
        contentHash: hash,
        documents: candidate.documents,
        ...normalized,
      });
    }

    const failed = Object.values(products).some((outcome) => outcome.status === "failed");
    if (shards.length === 0) {
      const message = failed
        ? "no product could be published; the stored catalog is unchanged"
        : "every product is unchanged";
      return await finish(failed ? "failed" : "unchanged", previous?.version ?? null, message);
    }
    const published = await publishVersion(store, previous, shards, now());
    for (const entry of published.changes.entries) {
      const outcome = products[entry.product];
      if (outcome) outcome.changes = (outcome.changes ?? 0) + 1;
    }
    log(
      `published ${published.manifest.version}: ${shards.map((shard) => shard.product).join(", ")}; ${published.changes.entries.length} changes`,
    );
    return await finish(
      "published",
      published.manifest.version,
      failed ? "some products failed and kept their last good version" : undefined,
    );
  } catch (error) {
    // A store that fails halfway leaves the old manifest in place: readers never see a partial version.
    log(`run failed: ${describe(error)}`);
    for (const outcome of Object.values(products)) {
      if (outcome.status !== "published") continue;
      outcome.status = "failed";
      outcome.reason = "publish_failed";
      outcome.message = `storing the new version failed, so the last good version stays: ${describe(error)}`;
    }
    return await finish("failed", null, `publishing failed, the stored catalog is unchanged: ${describe(error)}`);
  } finally {
    // KV takes one write per second per key: a release that fails leaves a lease that expires by itself.
    await store
      .releaseLease(runId)
      .catch((error: unknown) => log(`could not release the lease, it expires by itself: ${describe(error)}`));
  }
}

type ProductResult =
  | { outcome: ProductOutcome }
  | { parsed: ParsedSource[]; normalized: NormalizedProduct; documents: DocumentMeta[] };

async function scrapeProduct(
  source: ProductSource,
  options: RunScrapeOptions,
  previous: Manifest | null,
  log: (line: string) => void,
): Promise<ProductResult> {
  const pointer = previous?.products[source.product];
  // No conditional requests for a shard stored in an older layout: it is rewritten from fresh documents.
  const previousDocuments =
    pointer && inCurrentLayout(pointer)
      ? await previousDocumentMeta(options.store, pointer.key)
      : new Map<string, DocumentMeta>();

  const loaded: { source: DocumentSource; result: LoadDocumentResult }[] = [];
  for (const document of source.documents) {
    const held = previousDocuments.get(document.id);
    const conditional =
      held && (held.etag || held.lastModified) ? { etag: held.etag, lastModified: held.lastModified } : undefined;
    loaded.push({ source: document, result: await options.loadDocument(document, conditional) });
  }
  if (pointer && loaded.every(({ result }) => result.ok && result.status === "not_modified")) {
    log(`${source.product}: not modified upstream`);
    return { outcome: { status: "unchanged", endpoints: pointer.endpoints, scopes: pointer.scopes } };
  }

  const parsed: ParsedSource[] = [];
  const documents: DocumentMeta[] = [];
  for (const entry of loaded) {
    let result = entry.result;
    // The records of an unmodified document are merged with a changed one's, so it is read again in full.
    if (result.ok && result.status === "not_modified") result = await options.loadDocument(entry.source);
    if (!result.ok) return fail(source.product, result.reason, `${entry.source.id}: ${result.message}`, log);
    if (result.status !== "loaded")
      return fail(source.product, "not_modified", `${entry.source.id}: answered 304 to an unconditional request`, log);
    const document = parseDocument(entry.source, result.text);
    if (!document.ok) return fail(source.product, document.reason, `${entry.source.id}: ${document.message}`, log);
    const operations = document.document.operations.length;
    log(`${source.product}: ${entry.source.id} ${formatBytes(result.bytes)}, ${operations} operations`);
    parsed.push({ source: entry.source, document: document.document });
    documents.push({
      id: entry.source.id,
      url: entry.source.url,
      title: document.document.title,
      infoVersion: document.document.infoVersion,
      etag: result.etag,
      lastModified: result.lastModified,
      bytes: result.bytes,
      operations,
    });
  }
  return { parsed, normalized: normalizeProduct(source.product, parsed), documents };
}

function parseDocument(source: DocumentSource, text: string): ParseResult {
  if (source.format !== "reference-page") return parseOpenApiText(text);
  const operations = parseReferencePage(text);
  if (operations.length === 0)
    return { ok: false, reason: "no_operations", message: "the reference page has no Scopes blocks" };
  return { ok: true, document: referencePageDocument(operations) };
}

async function shardExists(store: CatalogStore, key: string): Promise<boolean> {
  return (await store.readShard(key).catch(() => null)) !== null;
}

/** The descriptions a stored shard read from its own documents' dictionaries. */
async function storedDictionary(store: CatalogStore, key: string): Promise<Map<string, string>> {
  const shard = await store.readShard(key).catch(() => null);
  return new Map(
    (shard?.scopes ?? []).flatMap((scope) =>
      scope.descriptionSource === "document" && scope.description ? [[scope.name, scope.description]] : [],
    ),
  );
}

async function previousDocumentMeta(store: CatalogStore, key: string): Promise<Map<string, DocumentMeta>> {
  try {
    const shard = await store.readShard(key);
    return new Map((shard?.documents ?? []).map((document) => [document.id, document]));
  } catch {
    return new Map(); // an unreadable shard only costs the conditional request
  }
}

function fail(product: Product, reason: string, message: string, log: (line: string) => void): ProductResult {
  log(`${product}: failed (${reason}): ${message}`);
  return { outcome: { status: "failed", reason, message } };
}

function warn(products: RunReport["products"], product: Product, warning: string): void {
  const outcome = products[product] ?? { status: "unchanged" };
  outcome.warnings = [...(outcome.warnings ?? []), warning];
  products[product] = outcome;
}

/** How long ago a lease was taken, e.g. "1m30s"; from its expiry for leases that did not record it. */
function leaseAge(lease: Lease, now: Date): string {
  const taken = lease.acquiredAt ? Date.parse(lease.acquiredAt) : Date.parse(lease.expiresAt) - LEASE_MS;
  const seconds = Math.max(0, Math.round((now.getTime() - taken) / 1000));
  if (Number.isNaN(seconds)) return "an unknown time";
  const minutes = Math.floor(seconds / 60);
  return minutes > 0 ? `${minutes}m${String(seconds % 60).padStart(2, "0")}s` : `${seconds}s`;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.round(bytes / 1024)} KB`;
}
