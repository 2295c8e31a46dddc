/** GET /health: the catalog's version, age and per-product counts, and how the last scrape went. */
import { OpenAPIHono, createRoute } from "@hono/zod-openapi";
import { HealthAnswerSchema, answerHealth } from "../answers/health";
import type { RunReport } from "../catalog/schema";
import type { AppEnv } from "../env";
import EXAMPLES from "./examples.json";
import { withSharedErrors } from "./shared-errors";
import { CatalogStore } from "../storage/catalog-store";
import { unwrap } from "./respond";
import { catalogOrUnavailable } from "./shared";

const route = createRoute(
  withSharedErrors(
    {
      operationId: "getHealth",
      method: "get",
      path: "/",
      summary: "Catalog version, age, per-product counts and the last scrape's outcome",
      responses: {
        200: {
          description: "The catalog is served.",
          content: {
            "application/json": {
              schema: HealthAnswerSchema,
              example: EXAMPLES.getHealth.ok.json,
            },
          },
        },
      },
    },
    { catalog: { advice: "Try again shortly." } },
  ),
);

export const health = new OpenAPIHono<AppEnv>().openapi(route, async (c) => {
  const served = await catalogOrUnavailable(c, undefined, "Try again shortly.");
  const lastRun = await new CatalogStore(c.env.CATALOG).readLastRun().catch((): RunReport | null => null);
  return c.json(unwrap(answerHealth(served, lastRun, Date.now())), 200);
});
