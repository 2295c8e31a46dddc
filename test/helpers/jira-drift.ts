/**
 * Real drift for the scraper's shared-document tests: Jira platform v3 as saved on 2026-06-10, then the
 * newer copy, each published by runScrape into one store (a second apart), as two daily runs would.
 */
import { expect } from "vitest";
import { runScrape } from "../../scraper/run";
import { SOURCES, type ProductSource } from "../../scraper/sources";
import { CatalogStore } from "../../src/storage/catalog-store";
import { MemoryKv } from "./memory-kv";
import { readShared } from "./shared-docs";

export const OLDER_JIRA_V3 = "history/jira-platform.v3.2026-06-10.json";
export const NEWER_JIRA_V3 = "jira-platform.v3.json";

const jiraV3 = (file: string): ProductSource[] => [
  { ...SOURCES[0]!, documents: [{ ...SOURCES[0]!.documents[0]!, file }] },
];

/** The store after publishing the older document, then the newer one (both runs must publish). */
export async function publishJiraV3Drift(): Promise<CatalogStore> {
  const store = new CatalogStore(new MemoryKv());
  let clock = Date.parse("2026-06-10T00:00:00Z");
  const scrape = (file: string) =>
    runScrape({
      sources: jiraV3(file),
      store,
      now: () => new Date((clock += 1000)),
      loadDocument: async (source) => {
        const text = readShared(source.file);
        return { ok: true, status: "loaded", text, bytes: text.length };
      },
    });
  expect((await scrape(OLDER_JIRA_V3)).outcome).toBe("published");
  expect((await scrape(NEWER_JIRA_V3)).outcome).toBe("published");
  return store;
}
