/**
 * Health: the served catalog's version, age and counts, and how the last scrape went. No I/O: the counts
 * come from the manifest (catalogSummary), so /health reads no shard.
 */
import { z } from "@hono/zod-openapi";
import { ProductOutcomeSchema, type RunReport, RunReportSchema } from "../catalog/schema";
import type { CatalogSummary } from "../storage/catalog-cache";
import { ok, type Result } from "./result";
import { lazy } from "../lazy";

/** A daily scrape that has not landed for this long means something is wrong upstream or here. */
const STALE_AFTER_SECONDS = 3 * 24 * 3600;

const ProductCountsSchema = lazy(() =>
  z.object({
    endpoints: z.number().int(),
    endpointsWithScopes: z.number().int().openapi({ description: "Endpoints whose documents publish OAuth scopes." }),
    scopes: z.number().int(),
    version: z.string().openapi({ description: "The catalog version this product's data was published in." }),
    scrapedAt: z.string(),
  }),
);

const LastRunSchema = lazy(() =>
  z
    .object({
      startedAt: z.string(),
      finishedAt: z.string(),
      outcome: z.enum(["published", "unchanged", "failed", "locked"]),
      version: z.string().nullable(),
      message: z.string().optional(),
      products: z.record(z.string(), ProductOutcomeSchema()),
      registry: RunReportSchema().shape.registry,
    })
    .nullable()
    .openapi({ description: "The last scrape run; per product: published, unchanged or failed with its reason." }),
);

export const HealthAnswerSchema = lazy(() =>
  z
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
        products: z.record(z.string(), ProductCountsSchema()),
      }),
      lastRun: LastRunSchema(),
    })
    .openapi("Health"),
);
export type HealthAnswer = z.infer<ReturnType<typeof HealthAnswerSchema>>;

/** `now` is the clock (ms since the epoch): the answer's age is relative to it. */
export function answerHealth(summary: CatalogSummary, lastRun: RunReport | null, now: number): Result<HealthAnswer> {
  const { publishedAt } = summary;
  const ageSeconds = Math.max(0, Math.round((now - Date.parse(publishedAt)) / 1000));
  const failed = Object.entries(lastRun?.products ?? {}).filter(([, outcome]) => outcome.status === "failed");
  const stale = ageSeconds > STALE_AFTER_SECONDS;
  const problems = [
    ...(summary.problem ? [summary.problem] : []),
    ...failed.map(
      ([product, outcome]) => `${product}: last scrape failed (${outcome.reason}), serving its last good version`,
    ),
    ...(stale ? [`catalog is ${Math.round(ageSeconds / 3600)} hours old`] : []),
  ];
  return ok({
    status: problems.length > 0 ? ("degraded" as const) : ("ok" as const),
    problems,
    catalog: {
      version: summary.version,
      publishedAt,
      ageSeconds,
      source: summary.source,
      endpoints: summary.endpoints,
      scopes: summary.scopes,
      products: summary.products,
    },
    lastRun,
  });
}
