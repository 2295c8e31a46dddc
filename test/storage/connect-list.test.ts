/**
 * What a Connect app can call, listed from each stored shard's Connect scope letters
 * (`endpointConnectScopes`, src/storage/shard-layout.ts): the same list as from the parsed endpoints,
 * with only the lines it shows parsed.
 */
import { describe, expect, it } from "vitest";
import { loadSnapshot } from "../../data/snapshot";
import { CatalogIndex, type CatalogProductData } from "../../src/catalog/catalog-index";
import { callableEndpoints } from "../../src/catalog/diff";
import type { Endpoint, Manifest, Product, ProductShard } from "../../src/catalog/schema";
import { productData } from "../../src/storage/catalog-cache";
import { checkShardShape, shardForServing } from "../../src/storage/catalog-store";
import { ENDPOINT_CONNECT_SCOPES, MAX_CONNECT_SCOPE_NAMES, encodeShard } from "../../src/storage/shard-layout";
import { alt, endpoint as fixtureEndpoint } from "../catalog/catalog-fixture";
import { snapshotShards } from "../helpers/snapshot-shards";

const encoder = new TextEncoder();

/** Connect's scopes (src/catalog/credentials.ts, CONNECT_IMPLIES). */
const CONNECT_SCOPES = [
  "NONE",
  "READ",
  "WRITE",
  "DELETE",
  "PROJECT_ADMIN",
  "SPACE_ADMIN",
  "ADMIN",
  "ACT_AS_USER",
  "ACCESS_EMAIL_ADDRESSES",
];

/** A shard of `endpoints` as the scraper stores one, without a trie. */
function shardOf(product: Product, endpoints: Endpoint[], extra: Partial<ProductShard> = {}): ProductShard {
  return {
    schemaVersion: 1,
    product,
    version: "v",
    scrapedAt: "2026-12-06T00:00:00.000Z",
    contentHash: "hash",
    documents: [],
    endpoints,
    scopes: [],
    ...extra,
  };
}

function indexOf(products: Partial<Record<Product, CatalogProductData>>): CatalogIndex {
  return CatalogIndex.build({ version: "v", publishedAt: "2026-12-06T00:00:00.000Z", products });
}

/** Each entry as the answer shows it: its product, endpoint, and how it is called. */
const shown = (entries: ReturnType<typeof callableEndpoints>) =>
  entries.map(({ product, endpoint, via, connectScope }) => ({
    product,
    endpoint: `${endpoint.method} ${endpoint.path}`,
    matches: endpoint.product === product,
    via: via?.scopes,
    connectScope,
  }));

describe("a Connect app's list from stored Connect scope letters", () => {
  it("lists what the parsed endpoints list, for every Connect scope held alone, several and in lower case, over the bundled snapshot", async () => {
    const { manifest: raw } = await loadSnapshot();
    const manifest = raw as Manifest;
    const shards = await snapshotShards();
    const parsed: Partial<Record<Product, CatalogProductData>> = {};
    const stored: Partial<Record<Product, CatalogProductData>> = {};
    for (const [product, pointer] of Object.entries(manifest.products) as [Product, { key: string }][]) {
      const shard = shards[pointer.key]!;
      parsed[product] = productData(checkShardShape(pointer.key, shard));
      const served = shardForServing(pointer.key, encoder.encode(encodeShard(shard)));
      expect(served.connectScopes, product).toBeDefined();
      stored[product] = productData(served);
    }
    const holdings = [
      ...CONNECT_SCOPES.map((scope) => [scope]),
      ["READ", "WRITE"],
      ["read", "write", "delete"],
      [...CONNECT_SCOPES],
      // A Bitbucket Connect app's classic scopes beside Connect ones.
      ["READ", "repository", "pullrequest:write"],
    ];
    let listed = 0;
    for (const scopes of holdings) {
      const held = new Set(scopes);
      const expected = shown(callableEndpoints(held, indexOf(parsed), "connect"));
      expect(shown(callableEndpoints(held, indexOf(stored), "connect")), scopes.join(" ")).toEqual(expected);
      expect(expected.every((entry) => entry.matches)).toBe(true);
      listed += expected.length;
    }
    expect(listed).toBeGreaterThan(1000);
  });

  it("parses no line to list, and only the lines read; an INACCESSIBLE scope or a Forge-only path is judged from the letters and paths", () => {
    const endpoints: Endpoint[] = [
      { ...fixtureEndpoint("jira", "GET", "/rest/api/3/a", [alt(["read:jira-work"])]), connectScope: "READ" },
      fixtureEndpoint("jira", "POST", "/rest/api/3/a", [alt(["write:jira-work"])]),
      { ...fixtureEndpoint("jira", "GET", "/rest/api/3/b", [alt(["read:jira-work"])]), connectScope: "INACCESSIBLE" },
      {
        ...fixtureEndpoint("jira", "GET", "/rest/forge/1/app/properties", [alt(["read:app-data:jira"])]),
        connectScope: "READ",
      },
      { ...fixtureEndpoint("jira", "DELETE", "/rest/api/3/c", [alt(["write:jira-work"])]), connectScope: "read" },
    ];
    const shard = shardOf("jira", endpoints);
    // Every endpoint line made unreadable (same length, so the starts hold): reading one throws.
    const text = encodeShard(shard).replace(/^\{"product":"jira"/gm, "{\"product\":'jira'");
    const reads: number[] = [];
    const served = shardForServing("shard/v/jira", encoder.encode(text), () => reads.push(1));
    const listed = callableEndpoints(new Set(["READ"]), indexOf({ jira: productData(served) }), "connect");
    expect(listed.map(({ product, connectScope }) => [product, connectScope])).toEqual([
      ["jira", "READ"],
      ["jira", "read"],
    ]);
    expect(reads).toEqual([]);
    expect(() => listed[0]!.endpoint).toThrow(/is corrupt: endpoint 0/);
    // Readable, the entries are the endpoints they stand for.
    const readable = shardForServing("shard/v/jira", encoder.encode(encodeShard(shard)));
    const entries = callableEndpoints(new Set(["READ"]), indexOf({ jira: productData(readable) }), "connect");
    expect(entries.map(({ endpoint }) => endpoint)).toEqual([endpoints[0], endpoints[4]]);
  });

  it("reads of Bitbucket's lines only those its scope index names for the held scopes", () => {
    const endpoints: Endpoint[] = [
      fixtureEndpoint("bitbucket", "GET", "/repositories", [alt(["repository"])]),
      fixtureEndpoint("bitbucket", "GET", "/user", [alt(["account"])]),
    ];
    const shard = shardOf("bitbucket", endpoints, { scopeIndex: { repository: [0], account: [1] } });
    // The second line made unreadable (same length): reading it throws.
    const text = encodeShard(shard).replace(
      '{"product":"bitbucket","method":"GET","path":"/user"',
      '{"product":"bitbucket","method":"GET","path":\'/user\'',
    );
    const reads: number[] = [];
    const served = shardForServing("shard/v/bitbucket", encoder.encode(text), () => reads.push(1));
    const index = indexOf({ bitbucket: productData(served) });
    const listed = callableEndpoints(new Set(["READ", "repository:write"]), index, "connect");
    expect(listed.map(({ endpoint, via }) => [endpoint.path, via?.scopes])).toEqual([
      ["/repositories", ["repository"]],
    ]);
    expect(reads).toEqual([]);
    expect(() => callableEndpoints(new Set(["account"]), index, "connect")).toThrow(/is corrupt: endpoint 1/);
  });

  it("stores the letters only up to 26 distinct Connect scopes, none empty; else a shard is stored without them", () => {
    const many = (count: number) =>
      shardOf(
        "jira",
        Array.from({ length: count }, (_, index) => ({
          ...fixtureEndpoint("jira", "GET", `/rest/${index}`, [alt(["read:jira-work"])]),
          connectScope: index === 0 ? "READ" : `SCOPE_${index}`,
        })),
      );
    expect(encodeShard(many(MAX_CONNECT_SCOPE_NAMES))).toContain(`"${ENDPOINT_CONNECT_SCOPES}"`);
    const over = encodeShard(many(MAX_CONNECT_SCOPE_NAMES + 1));
    expect(over).not.toContain(`"${ENDPOINT_CONNECT_SCOPES}"`);
    const served = shardForServing("shard/v/jira", encoder.encode(over));
    expect(served.connectScopes).toBeUndefined();
    const listed = callableEndpoints(new Set(["READ"]), indexOf({ jira: productData(served) }), "connect");
    expect(listed.map(({ endpoint }) => endpoint.path)).toEqual(["/rest/0"]);
    // An empty Connect scope could not be told from none: such a shard is stored without the letters too.
    const empty = shardOf("jira", [{ ...many(1).endpoints[0]!, connectScope: "" }]);
    expect(encodeShard(empty)).not.toContain(`"${ENDPOINT_CONNECT_SCOPES}"`);
    expect(shardForServing("shard/v/jira", encoder.encode(encodeShard(empty))).endpoints[0]!.connectScope).toBe("");
  });
});
