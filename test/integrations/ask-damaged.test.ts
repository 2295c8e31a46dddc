/**
 * The chat and MCP answers (`ask`) when a stored endpoint fails its check as the answer reads it
 * (shards are parsed as they are read): the failure `catalog_unavailable`, not a thrown error.
 */
import { describe, expect, it } from "vitest";
import { snapshotShards } from "../helpers/snapshot-shards";
import { CatalogIndex, type CatalogData } from "../../src/catalog/catalog-index";
import type { ProductShard } from "../../src/catalog/schema";
import { ask } from "../../src/integrations/ask";
import { lazyList } from "../../src/lazy";
import type { ServedCatalog } from "../../src/storage/catalog-cache";
import { CorruptValueError } from "../../src/storage/catalog-store";

/** The snapshot's catalog, whose Jira endpoints throw `error` when read. */
async function servedWith(error: Error): Promise<ServedCatalog> {
  const products: CatalogData["products"] = {};
  for (const shard of Object.values(await snapshotShards())) {
    const endpoints =
      shard.product === "jira"
        ? lazyList<ProductShard["endpoints"][number]>(shard.endpoints.length, () => {
            throw error;
          })
        : shard.endpoints;
    products[shard.product] = { ...shard, endpoints };
  }
  return {
    index: CatalogIndex.build({ version: "v", publishedAt: "2026-12-05T00:00:00.000Z", products }),
    source: "kv",
  };
}

describe("ask, when a stored endpoint fails its check as the answer reads it", () => {
  it("answers catalog_unavailable, saying the next answer comes from another version", async () => {
    const served = await servedWith(new CorruptValueError("shard/v/jira", "endpoint 7: not JSON"));
    const answer = await ask(async () => served, { kind: "lookup", input: { path: "/rest/api/3/myself" } });
    expect(answer.ok).toBe(false);
    if (answer.ok) return;
    expect(answer.failure.reason).toBe("catalog_unavailable");
    expect(answer.failure.message).toContain("failed its check while answering");
    // An endpoint of another product is read as usual.
    const bitbucket = await ask(async () => served, { kind: "lookup", input: { path: "/2.0/user" } });
    expect(bitbucket.ok).toBe(true);
  });

  it("lets any other error through (a bug is not a damaged catalog)", async () => {
    const served = await servedWith(new TypeError("a bug"));
    await expect(ask(async () => served, { kind: "lookup", input: { path: "/rest/api/3/myself" } })).rejects.toThrow(
      "a bug",
    );
  });
});
