/**
 * The catalog every row runs on: built in memory from ../shared/atlassian-docs with the scraper's own
 * pipeline (runScrape into an in-memory KV, so each value is byte for byte what KV would hold), or,
 * when those documents are absent, read from the committed snapshot in data/.
 */
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { CatalogIndex, type CatalogData } from "../../src/catalog/catalog-index";
import type { Manifest, Product } from "../../src/catalog/schema";
import { CatalogStore, checkShardShape } from "../../src/storage/catalog-store";
import { runScrape } from "../../scraper/run";
import { SOURCES } from "../../scraper/sources";
import { CountingKv } from "./counting-kv";

export const ROOT = resolve(import.meta.dirname, "../..");
/** SCOPE_BENCH_SHARED_DOCS points elsewhere (e.g. when measuring a proposal in a copy of the project). */
export const SHARED_DOCS = resolve(process.env.SCOPE_BENCH_SHARED_DOCS ?? join(ROOT, "../shared/atlassian-docs"));
const DATA_DIR = join(ROOT, "data");

export interface BenchCatalog {
  /** Where it came from, for the report. */
  origin: string;
  /** Every value as stored in KV (manifest, shards, changes, run/latest). */
  kv: Map<string, string>;
  manifest: Manifest;
  data: CatalogData;
  index: CatalogIndex;
  /** The largest shard's KV key and stored text. */
  largest: { key: string; product: Product; text: string };
}

/** The documents the scraper reads, by file name, when all are present. */
export function sharedDocumentFiles(): { product: Product; id: string; file: string }[] | undefined {
  if (!existsSync(SHARED_DOCS)) return undefined;
  const files = SOURCES.flatMap((source) =>
    source.documents.map((document) => ({
      product: source.product,
      id: document.id,
      file: join(SHARED_DOCS, document.file),
    })),
  );
  return files.every((entry) => existsSync(entry.file)) ? files : undefined;
}

export async function loadBenchCatalog(log: (line: string) => void): Promise<BenchCatalog> {
  const kv = new CountingKv();
  let origin: string;
  const files = sharedDocumentFiles();
  if (files) {
    const byId = new Map(files.map((entry) => [entry.id, entry.file]));
    const report = await runScrape({
      sources: SOURCES,
      loadDocument: async (source) => {
        const text = await readFile(byId.get(source.id)!, "utf8");
        return { ok: true, status: "loaded", text, bytes: Buffer.byteLength(text) };
      },
      store: new CatalogStore(kv),
    });
    if (report.outcome !== "published")
      throw new Error(
        `building the catalog from ${SHARED_DOCS} did not publish: ${report.outcome} ${report.message ?? ""}`,
      );
    origin = `built in memory from ${files.length} documents in ../shared/atlassian-docs (scraper pipeline, version ${report.version})`;
  } else {
    if (!existsSync(join(DATA_DIR, "manifest.json")))
      throw new Error("neither ../shared/atlassian-docs nor data/manifest.json is present: nothing to benchmark");
    for (const file of readdirSync(DATA_DIR, { recursive: true, encoding: "utf8" })) {
      if (!file.endsWith(".json")) continue;
      kv.values.set(
        file
          .split(/[\\/]/)
          .join("/")
          .replace(/\.json$/, ""),
        readFileSync(join(DATA_DIR, file), "utf8"),
      );
    }
    origin = "read from data/ (../shared/atlassian-docs is absent)";
  }
  log(`catalog ${origin}`);

  const manifest = JSON.parse(kv.values.get("manifest")!) as Manifest;
  const products: CatalogData["products"] = {};
  let largest: BenchCatalog["largest"] | undefined;
  for (const [product, pointer] of Object.entries(manifest.products)) {
    const text = kv.values.get(pointer.key);
    if (text === undefined) throw new Error(`the manifest names ${pointer.key}, which is missing`);
    const shard = checkShardShape(pointer.key, JSON.parse(text));
    products[product as Product] = {
      scrapedAt: shard.scrapedAt,
      version: shard.version,
      endpoints: shard.endpoints,
      scopes: shard.scopes,
    };
    if (!largest || text.length > largest.text.length)
      largest = { key: pointer.key, product: product as Product, text };
  }
  const data: CatalogData = { version: manifest.version, publishedAt: manifest.publishedAt, products };
  return { origin, kv: kv.values, manifest, data, index: CatalogIndex.build(data), largest: largest! };
}
