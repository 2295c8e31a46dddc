/** Which catalog an answer came from: every answer names its version and source. */
import { z } from "@hono/zod-openapi";
import type { CatalogSource, ServedCatalog } from "../storage/catalog-cache";
import { lazy } from "../lazy";

export const CatalogRefSchema = lazy(() =>
  z
    .object({
      version: z.string().openapi({ example: "2026-11-30T03-12-30Z" }),
      scrapedAt: z
        .string()
        .openapi({ description: "When the newest product data was scraped.", example: "2026-11-30T03:12:30.003Z" }),
      source: z.enum(["kv", "snapshot"]).openapi({
        description: "`snapshot`: KV holds no catalog yet (or failed) and the copy bundled with the worker answers.",
      }),
    })
    .openapi("CatalogRef"),
);

export type CatalogRef = { version: string; scrapedAt: string; source: CatalogSource };

export function catalogRef(served: ServedCatalog): CatalogRef {
  return { version: served.index.version, scrapedAt: served.index.scrapedAt, source: served.source };
}

/** The date an answer tells lifecycle dates against: the request's, else (a hand-built catalog) the catalog's. */
export function todayOf(served: ServedCatalog): string {
  return served.today ?? served.index.scrapedAt.slice(0, 10);
}

/**
 * The version a GET answer's ETag is built from when its removals are judged against the request's date
 * (GET /scopes, GET /endpoints): a cache revalidates a day's answer the next day.
 */
export function datedVersion(version: string, served: ServedCatalog): string {
  return `${version}@${todayOf(served)}`;
}
