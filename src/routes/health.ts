/** GET /health: the catalog's version, age and per-product counts, and how the last scrape went. */
import { Hono } from "hono";
import type { Manifest, RunReport } from "../catalog/schema";
import { ApiError } from "../errors";
import { CatalogStore, CorruptValueError } from "../storage/catalog-store";

/** A daily scrape that has not landed for this long means something is wrong upstream or here. */
const STALE_AFTER_SECONDS = 3 * 24 * 3600;

export const health = new Hono<{ Bindings: Env }>().get("/", async (c) => {
  const store = new CatalogStore(c.env.CATALOG);
  let manifest: Manifest | null;
  try {
    manifest = await store.readManifest();
  } catch (error) {
    if (error instanceof CorruptValueError) throw new ApiError(503, "catalog_unreadable", error.message);
    throw error;
  }
  const lastRun = await store.readLastRun().catch((): RunReport | null => null);
  if (!manifest) {
    throw new ApiError(
      503,
      "catalog_empty",
      "No catalog is stored yet. Locally, `npm start` seeds it from data/; in production, run the first scrape (README, Deploy).",
      { lastRun },
    );
  }
  const ageSeconds = Math.max(0, Math.round((Date.now() - Date.parse(manifest.publishedAt)) / 1000));
  const products = Object.fromEntries(
    Object.entries(manifest.products).map(([product, pointer]) => [
      product,
      { endpoints: pointer.endpoints, endpointsWithScopes: pointer.endpointsWithScopes, scopes: pointer.scopes, version: pointer.version, scrapedAt: pointer.scrapedAt },
    ]),
  );
  const failed = lastRun ? Object.entries(lastRun.products).filter(([, outcome]) => outcome.status === "failed").map(([product]) => product) : [];
  const stale = ageSeconds > STALE_AFTER_SECONDS;
  return c.json({
    status: failed.length > 0 || stale ? "degraded" : "ok",
    problems: [
      ...failed.map((product) => `${product}: last scrape failed (${lastRun?.products[product as keyof RunReport["products"]]?.reason}), serving its last good version`),
      ...(stale ? [`catalog is ${Math.round(ageSeconds / 3600)} hours old`] : []),
    ],
    catalog: {
      version: manifest.version,
      publishedAt: manifest.publishedAt,
      ageSeconds,
      endpoints: Object.values(manifest.products).reduce((sum, pointer) => sum + pointer.endpoints, 0),
      products,
      previousVersion: manifest.previous?.version ?? null,
    },
    lastRun,
  });
});
