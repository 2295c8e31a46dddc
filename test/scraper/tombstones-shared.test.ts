/**
 * Removed endpoints on Atlassian's real documents: the tombstones of the real drift between the two
 * saved Jira v3 documents, and the curated Confluence v1 removals checked against the v1 and v2
 * documents (the v1 document no longer publishes the method on that path, the v2 one publishes the
 * replacement). Skipped when ../shared is absent.
 */
import { beforeAll, expect, it } from "vitest";
import { CatalogIndex } from "../../src/catalog/catalog-index";
import { lookupEndpoints, type RemovedView } from "../../src/catalog/lookup";
import { CURATED_REMOVALS } from "../../src/catalog/removed-endpoints";
import type { ProductShard } from "../../src/catalog/schema";
import { NEWER_JIRA_V3, OLDER_JIRA_V3, publishJiraV3Drift } from "../helpers/jira-drift";
import { describeShared, readShared } from "../helpers/shared-docs";

/** `METHOD /path` of every operation of a document, its server prefix applied. */
function operations(file: string, prefix: string): Set<string> {
  const paths = (JSON.parse(readShared(file)) as { paths: Record<string, Record<string, unknown>> }).paths;
  const found = new Set<string>();
  for (const [path, item] of Object.entries(paths))
    for (const method of Object.keys(item))
      if (["get", "put", "post", "delete", "patch"].includes(method))
        found.add(`${method.toUpperCase()} ${prefix}${path}`);
  return found;
}

let shard: ProductShard;
let version: string;

describeShared("removed endpoints on the real documents", () => {
  beforeAll(async () => {
    const store = await publishJiraV3Drift();
    const manifest = (await store.readManifest())!;
    version = manifest.version;
    shard = (await store.readShard(manifest.products.jira!.key))!;
  });

  it("keeps the four Jira v3 workflow transition property endpoints the newer document dropped", () => {
    const before = operations(OLDER_JIRA_V3, "");
    const after = operations(NEWER_JIRA_V3, "");
    const gone = [...before].filter((key) => !after.has(key)).sort();
    expect(gone).toHaveLength(4);
    expect(shard.removed?.map((item) => `${item.method} ${item.path}`).sort()).toEqual(gone);
    expect(new Set(shard.removed?.map((item) => item.removedIn))).toEqual(new Set([version]));
  });

  it("answers a call to one as removed, with the scopes it last took, not as unknown", () => {
    const index = CatalogIndex.build({
      version,
      publishedAt: shard.scrapedAt,
      products: { jira: { ...shard } },
    });
    const found = lookupEndpoints(index, "/rest/api/3/workflow/transitions/11/properties", "GET");
    expect(!found.ok && found.code).toBe("endpoint_removed");
    const [removed] = (!found.ok ? (found.details as { removed: RemovedView[] }).removed : []) as RemovedView[];
    expect(removed?.removedIn).toBe(version);
    expect(removed?.lastScopes?.flatMap((set) => set.scopes)).toContain("manage:jira-configuration");
  });

  it("curates only Confluence v1 endpoints the v1 document no longer publishes, each replaced by a v2 one it does", () => {
    const v1 = operations("confluence.v1.json", "");
    const v2 = operations("confluence.v2.json", "/wiki/api/v2");
    for (const item of CURATED_REMOVALS) {
      expect(v1.has(`${item.method} ${item.path}`), `${item.method} ${item.path} is still in v1`).toBe(false);
      const replacement = `${item.replacement!.method} ${item.replacement!.path}`;
      expect(v2.has(replacement), `${replacement} is not in v2`).toBe(true);
    }
    // The case of the issue: v1 still publishes POST /wiki/rest/api/space (create a space), not GET
    // (and its paths carry /wiki themselves, unlike v2's, whose server URL adds /wiki/api/v2).
    expect(v1.has("POST /wiki/rest/api/space")).toBe(true);
  });
});
