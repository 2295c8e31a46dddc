/** The daily cron: the same pipeline as `npm run scrape -- --live`, writing to KV. */
import { liveLoaders } from "../scraper/live";
import type { FetchLike } from "../scraper/fetch";
import { runScrape } from "../scraper/run";
import { SOURCES } from "../scraper/sources";
import type { RunReport } from "./catalog/schema";
import { CatalogStore } from "./storage/catalog-store";

function scrapeIntoKv(env: Env, fetchImpl?: FetchLike): Promise<RunReport> {
  return runScrape({
    sources: SOURCES,
    ...liveLoaders(fetchImpl),
    store: new CatalogStore(env.CATALOG),
    log: (line) => console.log(`scrape: ${line}`),
  });
}

export const scheduled: ExportedHandlerScheduledHandler<Env> = (_controller, env, ctx) => {
  ctx.waitUntil(scrapeIntoKv(env).then((report) => console.log(`scrape: ${report.outcome} ${report.version ?? ""}`)));
};
