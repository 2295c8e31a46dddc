/**
 * The daily cron: the same pipeline as `npm run scrape -- --live`, writing to KV. The scraper (and its
 * HTML parsers) is imported when the cron first runs, not when an isolate starts to answer requests.
 */
import type { FetchLike } from "../scraper/fetch";
import type { RunReport } from "./catalog/schema";
import { forgetLastRun } from "./storage/catalog-cache";
import { CatalogStore } from "./storage/catalog-store";

async function scrapeIntoKv(env: Env, fetchImpl?: FetchLike): Promise<RunReport> {
  const [{ liveLoaders }, { runScrape }, { SOURCES }] = await Promise.all([
    import("../scraper/live"),
    import("../scraper/run"),
    import("../scraper/sources"),
  ]);
  return runScrape({
    sources: SOURCES,
    ...liveLoaders(fetchImpl),
    store: new CatalogStore(env.CATALOG),
    log: (line) => console.log(`scrape: ${line}`),
  });
}

/**
 * Awaited rather than handed to waitUntil, so that a run that could not take the lease fails the
 * invocation: Cloudflare's Cron Events then show an exception instead of a success that did nothing.
 */
export const scheduled: ExportedHandlerScheduledHandler<Env> = async (_controller, env) => {
  const report = await scrapeIntoKv(env).finally(forgetLastRun);
  if (report.outcome === "locked") {
    console.error(`scrape: locked: ${report.message}`);
    throw new ScrapeLockedError(report.message ?? "another scrape holds the lease");
  }
  console.log(`scrape: ${report.outcome} ${report.version ?? ""}`);
};

/** A scheduled run that did nothing because another run holds the lease. */
class ScrapeLockedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ScrapeLockedError";
  }
}
