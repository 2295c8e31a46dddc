/**
 * planRun without KV or fetch: small parsed documents and a previous version built in memory, the
 * outcome, the shards and the descriptions checked as `{ given, want }` tables.
 */
import { describe, expect, it } from "vitest";
import type { Product, ProductShard, ScopeRecord } from "../../src/catalog/schema";
import { parseOpenApiText } from "../../scraper/parse/openapi";
import {
  planRun,
  storedDocuments,
  type PreviousCatalog,
  type ProductPages,
  type ProductScrape,
} from "../../scraper/plan-run";
import { buildVersion } from "../../scraper/publish";
import type { ProductSource } from "../../scraper/sources";

const NOW = new Date("2026-11-30T04:17:00Z");
const EMPTY: PreviousCatalog = { manifest: null, shards: new Map() };

function source(product: Product, canaries: ProductSource["canaries"] = []): ProductSource {
  return {
    product,
    title: product,
    documents: [
      {
        id: `${product}-doc`,
        url: `https://dac-static.atlassian.com/${product}.json`,
        file: `${product}.json`,
        docsBase: "https://developer.atlassian.com/x/",
      },
    ],
    scopePages: [],
    crossCheckPages: [],
    canaries,
  };
}

interface Doc {
  /** Scopes the document's OAuth scheme describes. */
  declared?: Record<string, string>;
  /** Operation count; operation i is GET /rest/p/thing{i} and needs `uses`. */
  operations?: number;
  uses?: string[];
}

/** A product parsed from a small OpenAPI document, as the I/O phase hands it over. */
function parsed(product: Product, doc: Doc = {}, canaries: ProductSource["canaries"] = []): ProductScrape {
  const from = source(product, canaries);
  const paths: Record<string, unknown> = {};
  for (let index = 0; index < (doc.operations ?? 3); index++)
    paths[`/rest/p/thing${index}`] = {
      get: { summary: `Thing ${index}`, security: [{ OAuth2: doc.uses ?? ["read:p"] }] },
    };
  const text = JSON.stringify({
    openapi: "3.0.1",
    info: { title: product, version: "1" },
    servers: [{ url: "https://your-domain.atlassian.net" }],
    components: {
      securitySchemes: {
        OAuth2: {
          type: "oauth2",
          flows: { authorizationCode: { authorizationUrl: "x", tokenUrl: "x", scopes: doc.declared ?? {} } },
        },
      },
    },
    paths,
  });
  const result = parseOpenApiText(text);
  if (!result.ok) throw new Error(result.message);
  const document = from.documents[0]!;
  return {
    source: from,
    status: "parsed",
    parsed: [{ source: document, document: result.document }],
    documents: [
      {
        id: document.id,
        url: document.url,
        etag: `"${product}"`,
        bytes: text.length,
        operations: result.document.operations.length,
      },
    ],
  };
}

const failed = (product: Product): ProductScrape => ({
  source: source(product),
  status: "failed",
  reason: "not_json",
  message: `${product}-doc: document is not JSON`,
});

/** The version a previous run published from these scrapes (planned and built in memory). */
async function previousOf(scraped: ProductScrape[]): Promise<PreviousCatalog> {
  const plan = await planRun(EMPTY, scraped, new Map(), NOW);
  const version = buildVersion(null, new Map(), plan.shards, NOW);
  return { manifest: version.manifest, shards: new Map(version.shards.map((shard) => [shard.product, shard])) };
}

const scopeOf = (shard: { scopes: ScopeRecord[] } | undefined, name: string) =>
  shard?.scopes.find((scope) => scope.name === name);

describe("planRun: where a missing description comes from", () => {
  // JSW uses read:project:jira and does not describe it; who does decides its description.
  const cases: {
    name: string;
    given: () => Promise<{ previous: PreviousCatalog; scraped: ProductScrape[]; pages?: Map<Product, ProductPages> }>;
    want: Pick<ScopeRecord, "description" | "descriptionSource">;
  }[] = [
    {
      name: "its own document first: another product's dictionary never overrides it",
      given: async () => ({
        previous: EMPTY,
        scraped: [
          parsed("jira", { declared: { "read:project:jira": "Jira's words" } }),
          parsed("jira-software", { uses: ["read:project:jira"], declared: { "read:project:jira": "JSW's words" } }),
        ],
      }),
      want: { description: "JSW's words", descriptionSource: "document" },
    },
    {
      name: "a scope page next, even before another product's dictionary",
      given: async () => ({
        previous: EMPTY,
        scraped: [
          parsed("jira", { declared: { "read:project:jira": "Jira's words" } }),
          parsed("jira-software", { uses: ["read:project:jira"] }),
        ],
        pages: new Map([
          [
            "jira-software",
            {
              scopes: [
                {
                  url: "https://dac/jsw-scopes",
                  ok: true,
                  value: new Map([["read:project:jira", "The page's words"]]),
                },
              ],
              references: [],
            },
          ],
        ]),
      }),
      want: { description: "The page's words", descriptionSource: "page" },
    },
    {
      name: "another product's scope page counts too (pages are pooled, the first listed wins)",
      given: async () => ({
        previous: EMPTY,
        scraped: [
          parsed("jira", { declared: { "read:project:jira": "Jira's words" } }),
          parsed("jira-software", { uses: ["read:project:jira"] }),
        ],
        pages: new Map([
          [
            "jira",
            {
              scopes: [
                { url: "https://dac/jira-scopes", ok: true, value: new Map([["read:project:jira", "Jira page"]]) },
              ],
              references: [],
            },
          ],
          [
            "jira-software",
            {
              scopes: [
                { url: "https://dac/jsw-scopes", ok: true, value: new Map([["read:project:jira", "JSW page"]]) },
              ],
              references: [],
            },
          ],
        ]),
      }),
      want: { description: "Jira page", descriptionSource: "page" },
    },
    {
      name: "then the other products' dictionaries",
      given: async () => ({
        previous: EMPTY,
        scraped: [
          parsed("jira", { declared: { "read:project:jira": "Jira's words" } }),
          parsed("jira-software", { uses: ["read:project:jira"] }),
        ],
      }),
      want: { description: "Jira's words", descriptionSource: "other-document" },
    },
    {
      name: "of two lenders, the first in source order",
      given: async () => ({
        previous: EMPTY,
        scraped: [
          parsed("confluence", { declared: { "read:project:jira": "Confluence's words" } }),
          parsed("jira", { declared: { "read:project:jira": "Jira's words" } }),
          parsed("jira-software", { uses: ["read:project:jira"] }),
        ],
      }),
      want: { description: "Confluence's words", descriptionSource: "other-document" },
    },
    {
      name: "a page that failed to load lends nothing, so the dictionary still does",
      given: async () => ({
        previous: EMPTY,
        scraped: [
          parsed("jira", { declared: { "read:project:jira": "Jira's words" } }),
          parsed("jira-software", { uses: ["read:project:jira"] }),
        ],
        pages: new Map([
          [
            "jira-software",
            { scopes: [{ url: "https://dac/jsw-scopes", ok: false, message: "HTTP 404" }], references: [] },
          ],
        ]),
      }),
      want: { description: "Jira's words", descriptionSource: "other-document" },
    },
    {
      // The point of lending the stored dictionary: a failure upstream must not change JSW's records.
      name: "a product that failed upstream lends its last good version's dictionary",
      given: async () => ({
        previous: await previousOf([parsed("jira", { declared: { "read:project:jira": "Stored words" } })]),
        scraped: [failed("jira"), parsed("jira-software", { uses: ["read:project:jira"] })],
      }),
      want: { description: "Stored words", descriptionSource: "other-document" },
    },
    {
      name: "so does a product every document of which answered 304",
      given: async () => ({
        previous: await previousOf([parsed("jira", { declared: { "read:project:jira": "Stored words" } })]),
        scraped: [
          { source: source("jira"), status: "not_modified" },
          parsed("jira-software", { uses: ["read:project:jira"] }),
        ],
      }),
      want: { description: "Stored words", descriptionSource: "other-document" },
    },
    {
      // A stored description JSW borrowed is not Jira's to lend again: only its own documents' words are.
      name: "a stored shard lends only what its own documents described",
      given: async () => {
        const previous = await previousOf([
          parsed("confluence", { declared: { "read:project:jira": "Confluence's words" } }),
          parsed("jira", { uses: ["read:project:jira"] }),
        ]);
        expect(scopeOf(previous.shards.get("jira") ?? undefined, "read:project:jira")?.descriptionSource).toBe(
          "other-document",
        );
        return { previous, scraped: [failed("jira"), parsed("jira-software", { uses: ["read:project:jira"] })] };
      },
      want: { description: undefined, descriptionSource: undefined },
    },
    {
      name: "a failed product whose stored shard is missing lends nothing",
      given: async () => {
        const previous = await previousOf([parsed("jira", { declared: { "read:project:jira": "Stored words" } })]);
        return {
          previous: { ...previous, shards: new Map([["jira", null]]) },
          scraped: [failed("jira"), parsed("jira-software", { uses: ["read:project:jira"] })],
        };
      },
      want: { description: undefined, descriptionSource: undefined },
    },
    {
      name: "a failed product that was never published lends nothing",
      given: async () => ({
        previous: EMPTY,
        scraped: [failed("jira"), parsed("jira-software", { uses: ["read:project:jira"] })],
      }),
      want: { description: undefined, descriptionSource: undefined },
    },
  ];

  for (const { name, given, want } of cases) {
    it(name, async () => {
      const { previous, scraped, pages } = await given();
      const plan = await planRun(previous, scraped, pages ?? new Map(), NOW);
      const jsw = plan.shards.find((shard) => shard.product === "jira-software");
      expect(jsw, "JSW is published").toBeDefined();
      const scope = scopeOf(jsw, "read:project:jira");
      expect({ description: scope?.description, descriptionSource: scope?.descriptionSource }).toEqual(want);
    });
  }
});

describe("planRun: unchanged, published or refused", () => {
  const jira = (doc: Doc = {}) =>
    parsed("jira", { operations: 10, ...doc }, [
      { method: "GET", path: "/rest/p/thing0", includes: ["read:p"], kind: "classic" },
    ]);
  const cases: {
    name: string;
    given: () => Promise<{ previous: PreviousCatalog; scraped: ProductScrape[] }>;
    want: { status: string; reason?: string; published: boolean; log?: RegExp };
  }[] = [
    {
      name: "a first run publishes",
      given: async () => ({ previous: EMPTY, scraped: [jira()] }),
      want: { status: "published", published: true },
    },
    {
      name: "the same records over a stored shard in the current layout: unchanged, nothing to write",
      given: async () => ({ previous: await previousOf([jira()]), scraped: [jira()] }),
      want: { status: "unchanged", published: false, log: /^jira: unchanged \(10 endpoints\)$/ },
    },
    {
      // A pruning run may have raced this one: the pointer names a shard that is gone.
      name: "the same records, but the shard the manifest names is missing: republished",
      given: async () => {
        const previous = await previousOf([jira()]);
        return { previous: { ...previous, shards: new Map([["jira", null]]) }, scraped: [jira()] };
      },
      want: { status: "published", published: true },
    },
    {
      name: "the same records, but the pointer predates `prefixes`: republished in the current layout",
      given: async () => {
        const previous = await previousOf([jira()]);
        const { prefixes: _, ...old } = previous.manifest!.products.jira!;
        return {
          previous: { ...previous, manifest: { ...previous.manifest!, products: { jira: old } } },
          scraped: [jira()],
        };
      },
      want: { status: "published", published: true },
    },
    {
      name: "changed records publish",
      given: async () => ({ previous: await previousOf([jira()]), scraped: [jira({ operations: 11 })] }),
      want: { status: "published", published: true },
    },
    {
      name: "records that lost more than a tenth of the endpoints are refused",
      given: async () => ({ previous: await previousOf([jira()]), scraped: [jira({ operations: 8 })] }),
      want: {
        status: "failed",
        reason: "shrank",
        published: false,
        log: /^jira: refused \(shrank\): 8 endpoints, down from 10/,
      },
    },
    {
      name: "records that break a canary are refused",
      given: async () => ({ previous: await previousOf([jira()]), scraped: [jira({ uses: ["read:q"] })] }),
      want: { status: "failed", reason: "canary_failed", published: false, log: /^jira: refused \(canary_failed\)/ },
    },
    {
      name: "a canary on a document this run did not scrape is not checked",
      given: async () => {
        const scrape = jira({ uses: ["read:q"] });
        scrape.source.canaries = [{ ...scrape.source.canaries[0]!, document: "another-doc" }];
        return { previous: EMPTY, scraped: [scrape] };
      },
      want: { status: "published", published: true },
    },
    {
      name: "a product that failed upstream keeps its version and is reported failed with its reason",
      given: async () => ({ previous: await previousOf([jira()]), scraped: [failed("jira")] }),
      want: { status: "failed", reason: "not_json", published: false },
    },
  ];

  for (const { name, given, want } of cases) {
    it(name, async () => {
      const { previous, scraped } = await given();
      const plan = await planRun(previous, scraped, new Map(), NOW);
      expect(plan.products.jira).toMatchObject({
        status: want.status,
        ...(want.reason ? { reason: want.reason } : {}),
      });
      expect(plan.shards.map((shard) => shard.product)).toEqual(want.published ? ["jira"] : []);
      if (want.log) expect(plan.log).toEqual([expect.stringMatching(want.log)]);
      else expect(plan.log).toEqual([]);
    });
  }

  it("stamps a published shard with `now`, its hash, its documents and its counts in the report", async () => {
    const scrape = jira();
    const plan = await planRun(EMPTY, [scrape], new Map(), NOW);
    const shard = plan.shards[0]!;
    expect(shard).toMatchObject({
      product: "jira",
      scrapedAt: NOW.toISOString(),
      documents: scrape.status === "parsed" ? scrape.documents : [],
    });
    expect(shard.contentHash).toMatch(/^[0-9a-f]{64}$/);
    expect(plan.products.jira).toEqual({ status: "published", endpoints: 10, scopes: shard.scopes.length });
  });

  it("reports a product all of whose documents answered 304 as unchanged, with its stored counts", async () => {
    const previous = await previousOf([jira()]);
    const plan = await planRun(previous, [{ source: source("jira"), status: "not_modified" }], new Map(), NOW);
    expect(plan.products.jira).toEqual({ status: "unchanged", endpoints: 10, scopes: 1 });
    expect(plan.shards).toEqual([]);
  });
});

describe("planRun: the report", () => {
  it("warns about pages without refusing, and lists products settled before planning first", async () => {
    const pages = new Map<Product, ProductPages>([
      [
        "confluence",
        {
          scopes: [{ url: "https://dac/scopes", ok: false, message: "HTTP 404" }],
          references: [
            { url: "https://dac/ref-a", ok: false, message: "timed out" },
            { url: "https://dac/ref-b", ok: true, value: [] },
          ],
        },
      ],
    ]);
    const plan = await planRun(EMPTY, [parsed("jira"), parsed("confluence"), failed("bitbucket")], pages, NOW);
    // The order run/latest has always had: the warned and the failed (in source order), then the rest.
    expect(Object.keys(plan.products)).toEqual(["confluence", "bitbucket", "jira"]);
    expect(plan.products.confluence).toEqual({
      status: "published",
      warnings: [
        "scope page https://dac/scopes: HTTP 404",
        "reference page https://dac/ref-a: timed out",
        "reference page https://dac/ref-b: no Scopes blocks found",
      ],
      endpoints: 3,
      scopes: 1,
    });
    expect(plan.products.bitbucket).toEqual({
      status: "failed",
      reason: "not_json",
      message: "bitbucket-doc: document is not JSON",
    });
  });
});

describe("storedDocuments: the validators a conditional request sends", () => {
  const cases: { name: string; given: (previous: PreviousCatalog) => PreviousCatalog; want: string[] }[] = [
    { name: "the documents the stored shard recorded", given: (previous) => previous, want: ["jira-doc"] },
    { name: "none without a previous version", given: () => EMPTY, want: [] },
    {
      name: "none when the shard is missing or unreadable",
      given: (previous) => ({ ...previous, shards: new Map<Product, ProductShard | null>([["jira", null]]) }),
      want: [],
    },
    {
      // Such a shard is rewritten from fresh documents, which a 304 would withhold.
      name: "none for a shard stored in an older layout",
      given: (previous) => {
        const { prefixes: _, ...old } = previous.manifest!.products.jira!;
        return { ...previous, manifest: { ...previous.manifest!, products: { jira: old } } };
      },
      want: [],
    },
  ];
  for (const { name, given, want } of cases) {
    it(name, async () => {
      const previous = given(await previousOf([parsed("jira")]));
      const documents = storedDocuments(previous, "jira");
      expect([...documents.keys()]).toEqual(want);
      for (const id of want) expect(documents.get(id)?.etag).toBe('"jira"');
    });
  }
});
