/**
 * Lifecycle on Atlassian's real documents: the removal and deprecation dates their descriptions state
 * (scraper/parse/removal-notice.ts), the v2 twins that take their v3 twin's deprecation and removals, and
 * a removed v3 endpoint's tombstone naming the replacement its last document named. The catalog is
 * published as `npm run scrape -- --history` does: the 2026-06-10 Jira v3 copy first, then the current
 * documents. Skipped when ../shared is absent.
 */
import { beforeAll, expect, it } from "vitest";
import { CatalogIndex } from "../../src/catalog/catalog-index";
import { lookupEndpoints, pastRemovalOf, type RemovedView, removedSentence } from "../../src/catalog/lookup";
import type { Endpoint, Product, ProductShard } from "../../src/catalog/schema";
import { CatalogStore } from "../../src/storage/catalog-store";
import { normalizeProduct, skippedNotices } from "../../scraper/normalize";
import { parseOpenApiText } from "../../scraper/parse/openapi";
import { runScrape } from "../../scraper/run";
import { SOURCES, type ProductSource } from "../../scraper/sources";
import { MemoryKv } from "../helpers/memory-kv";
import { describeShared, readShared } from "../helpers/shared-docs";

/** The date removals are judged against: the catalog's and the request's alike here. */
const AS_OF = "2026-12-07";

const OLDER_V3 = "history/jira-platform.v3.2026-06-10.json";
const ASSETS = "/jsm/assets/workspace/{workspaceId}/v1";
const TRANSITIONS = "workflow/transitions/{transitionId}/properties";

let index: CatalogIndex;
const byKey = new Map<string, Endpoint>();
const at = (method: string, path: string): Endpoint => {
  const endpoint = byKey.get(`${method} ${path}`);
  if (!endpoint) throw new Error(`${method} ${path} is not in the catalog`);
  return endpoint;
};

const parsed = (product: Product) =>
  SOURCES.find((source) => source.product === product)!.documents.map((source) => {
    const result = parseOpenApiText(readShared(source.file));
    if (!result.ok) throw new Error(result.message);
    return { source, document: result.document };
  });

describeShared("lifecycle on the real documents", () => {
  beforeAll(async () => {
    const store = new CatalogStore(new MemoryKv());
    let clock = Date.parse("2026-12-07T09:00:00Z");
    const scrape = (sources: readonly ProductSource[], older: boolean) =>
      runScrape({
        sources,
        store,
        now: () => new Date((clock += 1000)),
        loadDocument: async (source) => {
          const text = readShared(older && source.id === "jira-platform.v3" ? OLDER_V3 : source.file);
          return { ok: true, status: "loaded", text, bytes: text.length };
        },
      });
    const products = SOURCES.filter((source) => ["jira", "assets", "bitbucket"].includes(source.product));
    expect((await scrape(products, true)).outcome).toBe("published");
    expect((await scrape(products, false)).outcome).toBe("published");
    const manifest = (await store.readManifest())!;
    const shards: Partial<Record<Product, ProductShard>> = {};
    for (const [product, pointer] of Object.entries(manifest.products)) {
      const shard = (await store.readShard(pointer.key))!;
      shards[product as Product] = shard;
      for (const endpoint of shard.endpoints) byKey.set(`${endpoint.method} ${endpoint.path}`, endpoint);
    }
    index = CatalogIndex.build({
      version: manifest.version,
      publishedAt: manifest.publishedAt,
      scrapedAt: `${AS_OF}T09:00:00.000Z`,
      products: shards,
    });
  }, 120_000);

  it("reads GET /rest/api/3/workflow/search's notice: June 1, 2026, CHANGE-2569, Search workflows", () => {
    expect(at("GET", "/rest/api/3/workflow/search").lifecycle).toEqual([
      {
        type: "removed",
        effective: "2026-06-01",
        details: "https://developer.atlassian.com/cloud/jira/platform/changelog/#CHANGE-2569",
        changelog: "CHANGE-2569",
        replacement: { method: "GET", path: "/rest/api/3/workflows/search" },
        origin: "description",
      },
    ]);
    const sentence = removedSentence(pastRemovalOf(index, at("GET", "/rest/api/3/workflow/search"), AS_OF)!);
    expect(sentence).toContain("took effect on 2026-06-01");
    expect(sentence).toContain("Call GET /rest/api/3/workflows/search instead, which needs manage:jira-configuration");
  });

  it("reads Assets' aql and iql notices (18th of September 2024), resolving POST `/object/aql` under the server prefix", () => {
    for (const path of [`${ASSETS}/aql/objects`, `${ASSETS}/iql/objects`]) {
      expect(at("GET", path).lifecycle).toEqual([
        {
          type: "removed",
          effective: "2024-09-18",
          replacement: { method: "POST", path: `${ASSETS}/object/aql` },
          origin: "description",
        },
      ]);
      const view = pastRemovalOf(index, at("GET", path), AS_OF)!;
      expect(view.replacement?.alternatives?.length).toBeGreaterThan(0);
    }
    // "Deprecated from 30 September 2024": a deprecation date, never a removal.
    expect(at("POST", `${ASSETS}/object/navlist/aql`).lifecycle).toMatchObject([
      { type: "deprecated", effective: "2024-09-30", changelog: "CHANGE-1661" },
    ]);
    expect(pastRemovalOf(index, at("POST", `${ASSETS}/object/navlist/aql`), AS_OF)).toBeUndefined();
  });

  it("reads Bitbucket's 'will be deprecated on November 1, 2026' as a deprecation date on its three code searches", () => {
    const dated = [...byKey.values()].filter((endpoint) =>
      endpoint.lifecycle?.some((change) => change.type === "deprecated" && change.effective === "2026-11-01"),
    );
    expect(dated.map((endpoint) => endpoint.path).sort()).toEqual([
      "/2.0/teams/{username}/search/code",
      "/2.0/users/{selected_user}/search/code",
      "/2.0/workspaces/{workspace}/search/code",
    ]);
  });

  it("skips only the notices whose date it cannot read and that x-changes does not cover: none today", () => {
    for (const product of [
      "jira",
      "assets",
      "bitbucket",
      "confluence",
      "jira-service-management",
      "jira-software",
    ] as const)
      expect(skippedNotices(parsed(product)), product).toEqual([]);
  });

  it("leaves no v3 endpoint deprecated while its v2 twin is not (21 were: /fieldconfiguration*, /workflow/search, ...)", () => {
    const normalized = normalizeProduct("jira", parsed("jira")).endpoints;
    const keys = new Map(normalized.map((endpoint) => [`${endpoint.method} ${endpoint.path}`, endpoint]));
    const lagging = normalized.filter(
      (endpoint) =>
        endpoint.path.startsWith("/rest/api/3/") &&
        endpoint.deprecated &&
        keys.get(`${endpoint.method} ${endpoint.path.replace("/rest/api/3/", "/rest/api/2/")}`)?.deprecated === false,
    );
    expect(lagging).toEqual([]);
    expect(keys.get("GET /rest/api/2/fieldconfiguration")?.deprecated).toBe(true);
    expect(keys.get("GET /rest/api/2/workflow/search")?.lifecycle?.[0]).toMatchObject({
      effective: "2026-06-01",
      origin: "v3-twin",
    });
  });

  it("answers a removed v3 transition property endpoint with the replacement its last document named", () => {
    const found = lookupEndpoints(index, "/rest/api/3/workflow/transitions/5/properties", "GET");
    expect(!found.ok && found.code).toBe("endpoint_removed");
    const [removed] = (!found.ok ? (found.details as { removed: RemovedView[] }).removed : []) as RemovedView[];
    expect(removed?.replacement).toMatchObject({ method: "POST", path: "/rest/api/3/workflows" });
    expect(!found.ok && found.message).toContain("its last document having announced its removal on 2026-06-01");
    expect(!found.ok && found.message).not.toContain("No replacement is recorded");
    const put = lookupEndpoints(index, "/rest/api/3/workflow/transitions/5/properties", "PUT");
    expect(!put.ok && put.message).toContain("Call POST /rest/api/3/workflows/update instead");
  });

  it("removes its v2 twin with it: deprecated, the removal taken effect, the replacement's v2 twin named", () => {
    const v2 = at("GET", `/rest/api/2/${TRANSITIONS}`);
    expect(v2.deprecated).toBe(true);
    const view = pastRemovalOf(index, v2, AS_OF)!;
    // The v2 document publishes POST /rest/api/2/workflows (Bulk get workflows) too.
    expect(view).toMatchObject({
      removedAt: "2026-06-01",
      replacement: { method: "POST", path: "/rest/api/2/workflows" },
    });
    expect(removedSentence(view)).toContain("announced for its v3 twin");
  });
});
