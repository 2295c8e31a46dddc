/** GET /health: the catalog's version, age and per-product counts, and how the last scrape went. */
import { OpenAPIHono, createRoute } from "@hono/zod-openapi";
import { HealthAnswerSchema, answerHealth } from "../answers/health";
import { catalogUnavailable } from "../answers/result";
import type { AppEnv } from "../env";
import EXAMPLES from "./examples.json";
import { withSharedErrors } from "./shared-errors";
import { lastRunFor, summaryFor } from "../storage/served";
import { failureError, unwrap } from "./respond";

const route = createRoute(
  withSharedErrors(
    {
      operationId: "getHealth",
      method: "get",
      path: "/",
      summary: "Catalog version, age, per-product counts and the last scrape's outcome",
    },
    () => ({
      200: {
        description: "The catalog is served.",
        content: {
          "application/json": {
            schema: HealthAnswerSchema(),
            example: EXAMPLES.getHealth.ok.json,
          },
        },
      },
    }),
    { catalog: { advice: "Try again shortly." }, capped: false },
  ),
);

/**
 * Answered from the manifest (per-product counts, `scopeNames` for the distinct total) and the last run
 * report, each read once per manifest check: no shard is read (for a manifest written before
 * `scopeNames`, the shards are, as before).
 */
export const health = new OpenAPIHono<AppEnv>().openapi(route, async (c) => {
  const summary = await summaryFor(c.env.CATALOG).catch((error: unknown) => {
    console.error(`${c.get("requestId")} no catalog: ${error instanceof Error ? error.message : String(error)}`);
    throw failureError(catalogUnavailable("Try again shortly."));
  });
  const lastRun = await lastRunFor(c.env.CATALOG);
  return c.json(unwrap(answerHealth(summary, lastRun, Date.now())), 200);
});
