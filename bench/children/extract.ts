/**
 * Row 3's heap: the scraper's extraction of every shared document, one product at a time as
 * runScrape does it (read the product's documents, parse each, normalize, keep only the records).
 * Bundled by bench/run.ts and run as `node --trace-gc extract.mjs DOCS_DIR`: V8 prints the heap in
 * use before and after every collection, and heap in use only grows between collections, so the
 * largest "before" figure (or the last sample, if larger) is the peak. Samples after each product
 * and process.resourceUsage().maxRSS are printed as a cross-check.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { normalizeProduct, type ParsedSource } from "../../scraper/normalize";
import { parseOpenApiText } from "../../scraper/parse/openapi";
import { SOURCES } from "../../scraper/sources";

const dir = process.argv[2]!;
const mb = (bytes: number) => bytes / 1024 / 1024;
const samples: { at: string; heapUsedMB: number }[] = [{ at: "start", heapUsedMB: mb(process.memoryUsage().heapUsed) }];
const kept: unknown[] = [];
let endpoints = 0;
for (const source of SOURCES) {
  const texts = source.documents.map((document) => ({
    document,
    text: readFileSync(join(dir, document.file), "utf8"),
  }));
  const parsed: ParsedSource[] = [];
  for (const { document, text } of texts) {
    const result = parseOpenApiText(text);
    if (!result.ok) throw new Error(`${document.id}: ${result.message}`);
    parsed.push({ source: document, document: result.document });
  }
  const normalized = normalizeProduct(source.product, parsed);
  endpoints += normalized.endpoints.length;
  kept.push(normalized);
  samples.push({ at: source.product, heapUsedMB: mb(process.memoryUsage().heapUsed) });
}
console.log(
  `RESULT ${JSON.stringify({ endpoints, samples, maxRssMB: process.resourceUsage().maxRSS / 1024, kept: kept.length })}`,
);
