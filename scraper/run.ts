/**
 * One scrape. The scheduled worker and the CLI both call `runScrape`, with different loaders and
 * stores. Under the lease, in four steps:
 * 1. loadPrevious: the manifest and the shard it names for each product, each read once;
 * 2. scrapeSources: the I/O phase, each product's documents (conditional on the validators its stored
 *    shard recorded) loaded and parsed, then its developer.atlassian.com pages;
 * 3. planRun (scraper/plan-run.ts, no I/O): descriptions, unchanged detection, validation, the report;
 * 4. buildVersion and writeVersion (scraper/publish.ts): shards, changelog, then the manifest.
 * A product that fails keeps its last good version; the others still publish; nothing is written
 * unless something changed.
 */
import type { DocumentMeta, Manifest, Product, ProductShard, RunReport, ScopeRegistry } from "../src/catalog/schema";
import type { CatalogStore, Lease } from "../src/storage/catalog-store";
import type { ParsedSource } from "./normalize";
import { parseReferencePage, parseScopeTable } from "./parse/html";
import { parseOpenApiText, type ParseResult } from "./parse/openapi";
import { referencePageDocument } from "./parse/reference";
import { planRun, storedDocuments, type PreviousCatalog, type ProductPages, type ProductScrape } from "./plan-run";
import { buildVersion, writeVersion } from "./publish";
import { validateRegistry, type RegistryLoader } from "./registry";
import type { DocumentSource, ProductSource } from "./sources";

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
  /**
   * Loads the scope registry of a pinned package version (scraper/registry.ts). Called only when the
   * manifest names no registry of that version. Omitted: the manifest keeps the registry it names.
   */
  registry?: { package: string; version: string; load: RegistryLoader };
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

export async function runScrape(options: RunScrapeOptions): Promise<RunReport> {
  const now = options.now ?? (() => new Date());
  const log = options.log ?? (() => {});
  const store = options.store;
  const runId = options.runId ?? crypto.randomUUID();
  const startedAt = now().toISOString();
  const products: RunReport["products"] = {};
  let registryOutcome: RunReport["registry"];
  const finish = async (outcome: RunReport["outcome"], version: string | null, message?: string) => {
    const report: RunReport = {
      startedAt,
      finishedAt: now().toISOString(),
      outcome,
      version,
      message,
      products,
      ...(registryOutcome ? { registry: registryOutcome } : {}),
    };
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
    const previous = await loadPrevious(store, options.sources, log);
    const { scraped, pages } = await scrapeSources(options, previous, log);
    const plan = await planRun(previous, scraped, pages, now());
    Object.assign(products, plan.products);
    for (const line of plan.log) log(line);

    const registry = await loadRegistry(options, previous.manifest, log);
    registryOutcome = registry.outcome;
    if (registry.publish && plan.shards.length === 0 && !previous.manifest) {
      // A manifest naming a registry and no product would replace the bundled snapshot with an empty catalog.
      registry.publish = undefined;
      registryOutcome = {
        status: "failed",
        version: registryOutcome?.version ?? "",
        reason: "no_catalog",
        message: "not published: no product could be published and KV holds no catalog yet; the next run retries",
      };
    }
    const failed = Object.values(products).some((outcome) => outcome.status === "failed");
    if (plan.shards.length === 0 && !registry.publish) {
      const message = failed
        ? "no product could be published; the stored catalog is unchanged"
        : "every product is unchanged";
      return await finish(failed ? "failed" : "unchanged", previous.manifest?.version ?? null, message);
    }
    const at = now();
    const published = await writeVersion(
      store,
      buildVersion(previous.manifest, previous.shards, plan.shards, at, registry.publish),
      at,
    );
    for (const entry of published.changes.entries) {
      const outcome = products[entry.product];
      if (outcome) outcome.changes = (outcome.changes ?? 0) + 1;
    }
    const parts: string[] = plan.shards.map((shard) => shard.product);
    if (registry.publish) parts.push(`scope registry ${registry.outcome?.version}`);
    log(`published ${published.manifest.version}: ${parts.join(", ")}; ${published.changes.entries.length} changes`);
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

/**
 * The scope registry to publish, if the manifest names none of the pinned version: loaded and checked
 * (validateRegistry). A failure keeps the registry the manifest names, and is reported.
 */
async function loadRegistry(
  options: RunScrapeOptions,
  manifest: Manifest | null,
  log: (line: string) => void,
): Promise<{ publish?: ScopeRegistry; outcome?: RunReport["registry"] }> {
  const wanted = options.registry;
  if (!wanted) return {};
  const version = `${wanted.package}@${wanted.version}`;
  const held = manifest?.registry;
  if (held && held.source.package === wanted.package && held.source.version === wanted.version)
    return { outcome: { status: "unchanged", version, scopes: held.scopes } };
  const loaded = await wanted.load();
  const checked = loaded.ok ? validateRegistry(loaded.value, held) : loaded;
  if (!checked.ok) {
    log(`scope registry ${version}: failed (${checked.reason}): ${checked.message}`);
    return { outcome: { status: "failed", version, reason: checked.reason, message: checked.message } };
  }
  log(`scope registry ${version}: ${checked.value.scopes.length} scopes`);
  return { publish: checked.value, outcome: { status: "published", version, scopes: checked.value.scopes.length } };
}

/**
 * The version the run starts from: the manifest, and the shard it names for each product this run
 * scrapes, each read once. A corrupt manifest must not stop the run that repairs it: the run goes on
 * without a baseline. A shard that is missing or unreadable reads as null: its product is republished.
 */
async function loadPrevious(
  store: CatalogStore,
  sources: readonly ProductSource[],
  log: (line: string) => void,
): Promise<PreviousCatalog> {
  let manifest: Manifest | null = null;
  try {
    manifest = await store.readManifest();
  } catch (error) {
    log(`the stored manifest is unreadable, scraping without a baseline: ${describe(error)}`);
  }
  const shards = new Map<Product, ProductShard | null>();
  for (const { product } of sources) {
    const pointer = manifest?.products[product];
    if (pointer) shards.set(product, await store.readShard(pointer.key).catch(() => null));
  }
  return { manifest, shards };
}

/** The I/O phase: each product's documents, then (if it parsed and pages are loaded) its pages, in source order. */
async function scrapeSources(
  options: RunScrapeOptions,
  previous: PreviousCatalog,
  log: (line: string) => void,
): Promise<{ scraped: ProductScrape[]; pages: Map<Product, ProductPages> }> {
  const scraped: ProductScrape[] = [];
  const pages = new Map<Product, ProductPages>();
  for (const source of options.sources) {
    const scrape = await scrapeProduct(source, options.loadDocument, previous, log);
    scraped.push(scrape);
    if (scrape.status === "parsed" && options.loadPage)
      pages.set(source.product, await loadPages(source, options.loadPage));
  }
  return { scraped, pages };
}

/** Loads and parses a product's documents, conditionally on the validators its stored shard recorded. */
async function scrapeProduct(
  source: ProductSource,
  loadDocument: DocumentLoader,
  previous: PreviousCatalog,
  log: (line: string) => void,
): Promise<ProductScrape> {
  const previousDocuments = storedDocuments(previous, source.product);
  const loaded: { source: DocumentSource; result: LoadDocumentResult }[] = [];
  for (const document of source.documents) {
    const held = previousDocuments.get(document.id);
    const conditional =
      held && (held.etag || held.lastModified) ? { etag: held.etag, lastModified: held.lastModified } : undefined;
    loaded.push({ source: document, result: await loadDocument(document, conditional) });
  }
  if (
    previous.manifest?.products[source.product] &&
    loaded.every(({ result }) => result.ok && result.status === "not_modified")
  ) {
    log(`${source.product}: not modified upstream`);
    return { source, status: "not_modified" };
  }

  const fail = (reason: string, message: string): ProductScrape => {
    log(`${source.product}: failed (${reason}): ${message}`);
    return { source, status: "failed", reason, message };
  };
  const parsed: ParsedSource[] = [];
  const documents: DocumentMeta[] = [];
  for (const entry of loaded) {
    let result = entry.result;
    // The records of an unmodified document are merged with a changed one's, so it is read again in full.
    if (result.ok && result.status === "not_modified") result = await loadDocument(entry.source);
    if (!result.ok) return fail(result.reason, `${entry.source.id}: ${result.message}`);
    if (result.status !== "loaded")
      return fail("not_modified", `${entry.source.id}: answered 304 to an unconditional request`);
    const document = parseDocument(entry.source, result.text);
    if (!document.ok) return fail(document.reason, `${entry.source.id}: ${document.message}`);
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
  return { source, status: "parsed", parsed, documents };
}

/** A product's developer.atlassian.com scope and reference pages, loaded and parsed; failures are kept for the report. */
async function loadPages(source: ProductSource, loadPage: PageLoader): Promise<ProductPages> {
  const scopes: ProductPages["scopes"] = [];
  for (const url of source.scopePages) {
    const page = await loadPage(url);
    scopes.push(
      page.ok ? { url, ok: true, value: parseScopeTable(page.text) } : { url, ok: false, message: page.message },
    );
  }
  const references: ProductPages["references"] = [];
  for (const url of source.crossCheckPages) {
    const page = await loadPage(url);
    references.push(
      page.ok ? { url, ok: true, value: parseReferencePage(page.text) } : { url, ok: false, message: page.message },
    );
  }
  return { scopes, references };
}

function parseDocument(source: DocumentSource, text: string): ParseResult {
  if (source.format !== "reference-page") return parseOpenApiText(text);
  const operations = parseReferencePage(text);
  if (operations.length === 0)
    return { ok: false, reason: "no_operations", message: "the reference page has no Scopes blocks" };
  return { ok: true, document: referencePageDocument(operations) };
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
