/** GET /health: the catalog's version, age and per-product counts, and how the last scrape went. */
import { OpenAPIHono, createRoute, z } from "@hono/zod-openapi";
import { loadSnapshot } from "../../data/snapshot";
import { ProductOutcomeSchema, type RunReport } from "../catalog/schema";
import { ApiError, errorResponseDoc } from "../errors";
import { servedCatalog, type ServedCatalog } from "../storage/catalog-cache";
import { CatalogStore } from "../storage/catalog-store";
import type { AppEnv } from "./shared";

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
    status: z.enum(["ok", "degraded"]).openapi({
      description:
        "`degraded` when the bundled snapshot answers (KV empty or failing), the last run failed for a product, or the catalog is over 3 days old.",
    }),
    problems: z.array(z.string()),
    catalog: z.object({
      version: z.string(),
      publishedAt: z.string(),
      ageSeconds: z.number().int(),
      source: z.enum(["kv", "snapshot"]),
      endpoints: z.number().int(),
      scopes: z.number().int(),
      products: z.record(z.string(), ProductCountsSchema),
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
              source: "kv",
              endpoints: 2036,
              scopes: 412,
              products: {
                "jira-software": {
                  endpoints: 105,
                  endpointsWithScopes: 84,
                  scopes: 46,
                  version: "2026-11-30T04-17-00Z",
                  scrapedAt: "2026-11-30T04:16:59.101Z",
                },
              },
            },
            lastRun: null,
          },
        },
      },
    },
    503: errorResponseDoc("Neither KV nor the bundled snapshot yields a catalog.", {
      code: "catalog_unavailable",
      message: "No catalog can be served: ...",
    }),
  },
});

export const health = new OpenAPIHono<AppEnv>().openapi(route, async (c) => {
  let served: ServedCatalog;
  try {
    served = await servedCatalog(c.env.CATALOG, loadSnapshot);
  } catch (error) {
    // The cause is logged, not shown: it can be the runtime's own error text.
    console.error(`health: no catalog: ${error instanceof Error ? error.message : String(error)}`);
    throw new ApiError(
      503,
      "catalog_unavailable",
      "No catalog can be served: neither KV nor the bundled snapshot could be read. Try again shortly.",
    );
  }
  const lastRun = await new CatalogStore(c.env.CATALOG).readLastRun().catch((): RunReport | null => null);
  const { index } = served;
  const publishedAt = index.data.publishedAt;
  const ageSeconds = Math.max(0, Math.round((Date.now() - Date.parse(publishedAt)) / 1000));
  const products = Object.fromEntries(
    Object.entries(index.data.products).map(([product, data]) => [
      product,
      {
        endpoints: data.endpoints.length,
        endpointsWithScopes: data.endpoints.filter((endpoint) => endpoint.hasScopes).length,
        scopes: data.scopes.length,
        version: data.version,
        scrapedAt: data.scrapedAt,
      },
    ]),
  );
  const failed = Object.entries(lastRun?.products ?? {}).filter(([, outcome]) => outcome.status === "failed");
  const stale = ageSeconds > STALE_AFTER_SECONDS;
  const problems = [
    ...(served.problem ? [served.problem] : []),
    ...failed.map(
      ([product, outcome]) => `${product}: last scrape failed (${outcome.reason}), serving its last good version`,
    ),
    ...(stale ? [`catalog is ${Math.round(ageSeconds / 3600)} hours old`] : []),
  ];
  return c.json(
    {
      status: problems.length > 0 ? ("degraded" as const) : ("ok" as const),
      problems,
      catalog: {
        version: index.version,
        publishedAt,
        ageSeconds,
        source: served.source,
        endpoints: index.endpoints.length,
        scopes: index.scopeCount,
        products,
      },
      lastRun,
    },
    200,
  );
});
