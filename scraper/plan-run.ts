/**
 * What a run publishes, decided from what it read. No I/O: the previous version (read once) and this
 * run's parsed documents and pages in; each product's outcome, the shards to publish and the log lines
 * out. runScrape (scraper/run.ts) reads before and writes after.
 *
 * The policy lives here:
 * - descriptions a product's documents lack come from developer.atlassian.com scope pages first, then
 *   from the other products' document dictionaries (JSW uses read:project:jira, which only Jira
 *   describes); a product not parsed this run lends its last good version's dictionary, so a failure
 *   upstream never changes another product's records;
 * - a product whose records hash the same as its stored shard is unchanged, if that shard exists and is
 *   in the current layout (a pruning run may have raced this one; older layouts are rewritten);
 * - any other product must pass validateProduct and its canaries, else it keeps its last good version.
 */
import type { DocumentMeta, Manifest, Product, ProductShard, RunReport } from "../src/catalog/schema";
import {
  contentHash,
  fillDescriptions,
  normalizeProduct,
  type NormalizedProduct,
  type ParsedSource,
  skippedNotices,
} from "./normalize";
import type { ReferenceOperation } from "./parse/html";
import { crossCheck } from "./parse/reference";
import { inCurrentLayout, type NewShard } from "./publish";
import type { ProductSource } from "./sources";
import { validateProduct } from "./validate";

/** The version a run starts from, read once. */
export interface PreviousCatalog {
  /** Null when there is none, or it is unreadable (the run then repairs it, without a baseline). */
  manifest: Manifest | null;
  /** The shard each scraped product's pointer names; null when it is missing or unreadable. */
  shards: ReadonlyMap<Product, ProductShard | null>;
}

/** One product after the I/O phase, in source order. */
export type ProductScrape =
  /** Every document answered 304 to a conditional request: the stored shard stands. */
  | { source: ProductSource; status: "not_modified" }
  /** A document could not be loaded or parsed: the product keeps its last good version. */
  | { source: ProductSource; status: "failed"; reason: string; message: string }
  | { source: ProductSource; status: "parsed"; parsed: ParsedSource[]; documents: DocumentMeta[] };

/** A developer.atlassian.com page, loaded and parsed, or why not. */
export type PageRead<T> = { url: string; ok: true; value: T } | { url: string; ok: false; message: string };

/** The pages of one parsed product (none when the run loads no pages, e.g. offline). */
export interface ProductPages {
  /** Scope pages: scope → description, in the order the source lists them. */
  scopes: PageRead<Map<string, string>>[];
  /** REST reference pages, compared with the new records. */
  references: PageRead<ReferenceOperation[]>[];
}

export interface RunPlan {
  /** Each product's outcome, without `changes` (counted once the version is written). */
  products: RunReport["products"];
  /** What to publish, in source order; empty when nothing changed or everything was refused. */
  shards: NewShard[];
  /** Lines for the run's log, in order. */
  log: string[];
}

/**
 * Plans a run. `now` is the new shards' `scrapedAt`. Products keep the order of `scraped`; the report
 * lists those settled before planning (failed, not modified, or warned about by a page) first, as runs
 * always have, so run/latest stays byte for byte what it was.
 */
export async function planRun(
  previous: PreviousCatalog,
  scraped: readonly ProductScrape[],
  pages: ReadonlyMap<Product, ProductPages>,
  now: Date,
): Promise<RunPlan> {
  const products: RunReport["products"] = {};
  const log: string[] = [];
  const candidates: { scrape: Extract<ProductScrape, { status: "parsed" }>; normalized: NormalizedProduct }[] = [];
  const dictionaries = new Map<Product, Map<string, string>>();
  const pageDescriptions = new Map<string, { description: string; source: "page" }>();

  for (const scrape of scraped) {
    const { product } = scrape.source;
    const pointer = previous.manifest?.products[product];
    if (scrape.status !== "parsed") {
      products[product] =
        scrape.status === "failed"
          ? { status: "failed", reason: scrape.reason, message: scrape.message }
          : { status: "unchanged", endpoints: pointer?.endpoints, scopes: pointer?.scopes };
      if (pointer) dictionaries.set(product, storedDictionary(previous.shards.get(product) ?? null));
      continue;
    }
    const normalized = normalizeProduct(product, scrape.parsed);
    for (const line of skippedNotices(scrape.parsed)) log.push(`${product}: ${line}`);
    dictionaries.set(product, documentDictionary(scrape.parsed));
    candidates.push({ scrape, normalized });

    const productPages = pages.get(product);
    for (const page of productPages?.scopes ?? []) {
      if (!page.ok) {
        warn(products, product, `scope page ${page.url}: ${page.message}`);
        continue;
      }
      for (const [scope, description] of page.value)
        if (!pageDescriptions.has(scope)) pageDescriptions.set(scope, { description, source: "page" });
    }
    // Rendered pages cut long lists and lag the documents: disagreement is worth a look, not a refusal.
    for (const page of productPages?.references ?? []) {
      if (!page.ok) {
        warn(products, product, `reference page ${page.url}: ${page.message}`);
        continue;
      }
      if (page.value.length === 0) warn(products, product, `reference page ${page.url}: no Scopes blocks found`);
      for (const problem of crossCheck(normalized.endpoints, page.value))
        warn(products, product, `cross-check: ${problem}`);
    }
  }

  const descriptions = lentDescriptions(scraped, dictionaries);
  const shards: NewShard[] = [];
  for (const { scrape, normalized } of candidates) {
    const { product } = scrape.source;
    // A DAC page describes a product's own scopes better than another product's dictionary does.
    fillDescriptions(normalized.scopes, pageDescriptions);
    fillDescriptions(normalized.scopes, descriptions);
    const pointer = previous.manifest?.products[product];
    const hash = await contentHash(normalized);
    const counts = { endpoints: normalized.endpoints.length, scopes: normalized.scopes.length };
    // A shard the manifest names must exist (a pruning run may have raced this one), and be in the
    // current layout: else republish.
    if (pointer?.contentHash === hash && inCurrentLayout(pointer) && previous.shards.get(product)) {
      products[product] = { ...products[product], status: "unchanged", ...counts };
      log.push(`${product}: unchanged (${counts.endpoints} endpoints)`);
      continue;
    }
    const scrapedIds = new Set(scrape.documents.map((document) => document.id));
    const canaries = scrape.source.canaries.filter((canary) => !canary.document || scrapedIds.has(canary.document));
    const verdict = validateProduct(normalized, canaries, pointer);
    if (!verdict.ok) {
      products[product] = {
        ...products[product],
        status: "failed",
        reason: verdict.reason,
        message: verdict.message,
        ...counts,
      };
      log.push(`${product}: refused (${verdict.reason}): ${verdict.message}`);
      continue;
    }
    products[product] = { ...products[product], status: "published", ...counts };
    shards.push({
      product,
      scrapedAt: now.toISOString(),
      contentHash: hash,
      documents: scrape.documents,
      ...normalized,
    });
  }
  return { products, shards, log };
}

/**
 * The validators to send for each document of a product: those its stored shard recorded. None for a
 * shard stored in an older layout (it is rewritten from fresh documents) or one missing or unreadable
 * (that only costs the conditional request).
 */
export function storedDocuments(previous: PreviousCatalog, product: Product): Map<string, DocumentMeta> {
  const pointer = previous.manifest?.products[product];
  const shard = pointer && inCurrentLayout(pointer) ? previous.shards.get(product) : null;
  return new Map((shard?.documents ?? []).map((document) => [document.id, document]));
}

/** A parsed product's own dictionary: the OAuth schemes' descriptions, the first document's first. */
function documentDictionary(parsed: readonly ParsedSource[]): Map<string, string> {
  const dictionary = new Map<string, string>();
  for (const { document } of parsed) {
    for (const [scope, description] of document.declaredScopes)
      if (description && !dictionary.has(scope)) dictionary.set(scope, description);
  }
  return dictionary;
}

/** The descriptions a stored shard read from its own documents' dictionaries. */
function storedDictionary(shard: ProductShard | null): Map<string, string> {
  return new Map(
    (shard?.scopes ?? []).flatMap((scope) =>
      scope.descriptionSource === "document" && scope.description ? [[scope.name, scope.description]] : [],
    ),
  );
}

/** Every product's dictionary merged, the first product (in source order) winning a scope. */
function lentDescriptions(
  scraped: readonly ProductScrape[],
  dictionaries: ReadonlyMap<Product, Map<string, string>>,
): Map<string, { description: string; source: "other-document" }> {
  const descriptions = new Map<string, { description: string; source: "other-document" }>();
  for (const { source } of scraped) {
    for (const [scope, description] of dictionaries.get(source.product) ?? []) {
      if (!descriptions.has(scope)) descriptions.set(scope, { description, source: "other-document" });
    }
  }
  return descriptions;
}

function warn(products: RunReport["products"], product: Product, warning: string): void {
  const outcome = products[product] ?? { status: "unchanged" };
  outcome.warnings = [...(outcome.warnings ?? []), warning];
  products[product] = outcome;
}
