/** GET /health: the catalog's version, age and per-product counts, and how the last scrape went. */
import { OpenAPIHono, createRoute, z } from "@hono/zod-openapi";
import { ProductOutcomeSchema, type Manifest, type RunReport } from "../catalog/schema";
import { ApiError, errorResponseDoc } from "../errors";
import { CatalogStore, CorruptValueError } from "../storage/catalog-store";

/** A daily scrape that has not landed for this long means something is wrong upstream or here. */
const STALE_AFTER_SECONDS = 3 * 24 * 3600;

const ProductCountsSchema = z.object({
  endpoints: z.number().int(),
  endpointsWithScopes: z.number().int().openapi({ description: "Endpoints whose documents publish OAuth scopes." }),
  scopes: z.number().int(),
  version: z.string().openapi({ description: "The catalog version this product's data was published in." }),
  scrapedAt: z.string(),
});

const LastRunSchema = z
  .object({
    startedAt: z.string(),
    finishedAt: z.string(),
    outcome: z.enum(["published", "unchanged", "failed", "locked"]),
    version: z.string().nullable(),
    message: z.string().optional(),
    products: z.record(z.string(), ProductOutcomeSchema),
  })
  .nullable()
  .openapi({ description: "The last scrape run; per product: published, unchanged or failed with its reason." });

const HealthSchema = z
  .object({
    status: z.enum(["ok", "degraded"]).openapi({ description: "`degraded` when the last run failed for a product or the catalog is over 3 days old." }),
    problems: z.array(z.string()),
    catalog: z.object({
      version: z.string(),
      publishedAt: z.string(),
      ageSeconds: z.number().int(),
      endpoints: z.number().int(),
      products: z.record(z.string(), ProductCountsSchema),
      previousVersion: z.string().nullable(),
    }),
    lastRun: LastRunSchema,
  })
  .openapi("Health");

const route = createRoute({
  method: "get",
  path: "/",
  summary: "Catalog version, age, per-product counts and the last scrape's outcome",
  responses: {
    200: {
      description: "The catalog is served.",
      content: {
        "application/json": {
          schema: HealthSchema,
          example: {
            status: "ok",
            problems: [],
            catalog: {
              version: "2026-11-30T04-17-00Z",
              publishedAt: "2026-11-30T04:17:00.412Z",
              ageSeconds: 3600,
              endpoints: 2036,
              products: {
                "jira-software": { endpoints: 105, endpointsWithScopes: 84, scopes: 46, version: "2026-11-30T04-17-00Z", scrapedAt: "2026-11-30T04:16:59.101Z" },
              },
              previousVersion: "2026-11-29T04-17-00Z",
            },
            lastRun: null,
          },
        },
      },
    },
    503: errorResponseDoc("No catalog is stored yet (`catalog_empty`), or it cannot be read (`catalog_unreadable`).", {
      code: "catalog_empty",
      message: "No catalog is stored yet. Locally, `npm start` seeds it from data/; in production, run the first scrape (README, Deploy).",
    }),
  },
});

export const health = new OpenAPIHono<{ Bindings: Env }>().openapi(route, async (c) => {
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
  const failed = Object.entries(lastRun?.products ?? {}).filter(([, outcome]) => outcome.status === "failed");
  const stale = ageSeconds > STALE_AFTER_SECONDS;
  return c.json(
    {
      status: failed.length > 0 || stale ? ("degraded" as const) : ("ok" as const),
      problems: [
        ...failed.map(([product, outcome]) => `${product}: last scrape failed (${outcome.reason}), serving its last good version`),
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
    },
    200,
  );
});
