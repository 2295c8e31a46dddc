/**
 * URL mistakes on the committed catalog (data/): each is answered with the endpoint it most likely
 * meant and a note with a stable code and the corrected URL; suggestions find reordered segments
 * within the path's own product, with bounded work (issue 12, section 5).
 */
import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it, vi } from "vitest";
import { CatalogIndex, type CatalogData } from "../../src/catalog/catalog-index";
import { lookupEndpoints } from "../../src/catalog/lookup";
import { PathMatcher } from "../../src/catalog/matcher";
import { MAX_REORDER_WALKS } from "../../src/catalog/path-suggestions";
import { ManifestSchema, type Product, type ProductShard } from "../../src/catalog/schema";
import { requestOf } from "./catalog-fixture";
import { readDataShard } from "../helpers/data-shards";

const DATA = new URL("../../data/", import.meta.url);
const manifest = ManifestSchema().parse(JSON.parse(readFileSync(new URL("manifest.json", DATA), "utf8")));
const products: CatalogData["products"] = {};
for (const [product, pointer] of Object.entries(manifest.products) as [Product, { key: string }][]) {
  const shard: ProductShard = readDataShard(pointer.key);
  products[product] = {
    scrapedAt: shard.scrapedAt,
    version: shard.version,
    endpoints: shard.endpoints,
    scopes: shard.scopes,
    routes: shard.routes,
  };
}
const catalog = CatalogIndex.build({ version: manifest.version, publishedAt: manifest.publishedAt, products });
const CLOUD = "11111111-2222-3333-4444-555555555555";

describe("URL mistakes are diagnosed, and the endpoint meant is answered", () => {
  const cases: {
    name: string;
    given: string;
    method?: string;
    context?: "forge";
    want: { endpoints: string[]; notes: [code: string, url: string | undefined][] };
  }[] = [
    {
      name: "api.atlassian.com/wiki/... without /ex/confluence/{cloudId}",
      given: "https://api.atlassian.com/wiki/api/v2/pages/123",
      method: "GET",
      want: {
        endpoints: ["GET /wiki/api/v2/pages/{id}"],
        notes: [["missing_gateway_prefix", "https://api.atlassian.com/ex/confluence/{cloudId}/wiki/api/v2/pages/123"]],
      },
    },
    {
      name: "api.atlassian.com/rest/... without /ex/jira/{cloudId}",
      given: "https://api.atlassian.com/rest/api/3/issue/ABC-1",
      method: "GET",
      want: {
        endpoints: ["GET /rest/api/3/issue/{issueIdOrKey}"],
        notes: [["missing_gateway_prefix", "https://api.atlassian.com/ex/jira/{cloudId}/rest/api/3/issue/ABC-1"]],
      },
    },
    {
      name: "/ex/jira/ with a /wiki path: the note names /ex/confluence/",
      given: `https://api.atlassian.com/ex/jira/${CLOUD}/wiki/api/v2/pages/123`,
      method: "GET",
      want: {
        endpoints: ["GET /wiki/api/v2/pages/{id}"],
        notes: [["gateway_product_mismatch", `https://api.atlassian.com/ex/confluence/${CLOUD}/wiki/api/v2/pages/123`]],
      },
    },
    {
      name: "api.atlassian.com/ex/bitbucket/{id}/2.0/...: no such gateway, read as Bitbucket's path",
      given: `https://api.atlassian.com/ex/bitbucket/${CLOUD}/2.0/repositories/ws/repo`,
      method: "GET",
      want: {
        endpoints: ["GET /2.0/repositories/{workspace}/{repo_slug}"],
        notes: [["no_bitbucket_gateway", "https://api.bitbucket.org/2.0/repositories/ws/repo"]],
      },
    },
    {
      name: "api.atlassian.com/ex/bitbucket/2.0/... without an id",
      given: "https://api.atlassian.com/ex/bitbucket/2.0/repositories/ws/repo",
      method: "GET",
      want: {
        endpoints: ["GET /2.0/repositories/{workspace}/{repo_slug}"],
        notes: [["no_bitbucket_gateway", "https://api.bitbucket.org/2.0/repositories/ws/repo"]],
      },
    },
    {
      name: "a Confluence v1 path without /wiki on a site",
      given: "https://acme.atlassian.net/rest/api/content/search",
      method: "GET",
      want: {
        endpoints: ["GET /wiki/rest/api/content/search"],
        notes: [
          ["missing_wiki_prefix", "https://acme.atlassian.net/wiki/rest/api/content/search"],
          ["scoped_token_gateway", "https://api.atlassian.com/ex/confluence/{cloudId}/wiki/rest/api/content/search"],
        ],
      },
    },
    {
      name: "a Bitbucket path without /2.0",
      given: "https://api.bitbucket.org/repositories/ws/repo/pullrequests/1",
      method: "GET",
      want: {
        endpoints: ["GET /2.0/repositories/{workspace}/{repo_slug}/pullrequests/{pull_request_id}"],
        notes: [["missing_bitbucket_version", "https://api.bitbucket.org/2.0/repositories/ws/repo/pullrequests/1"]],
      },
    },
    {
      name: "Bitbucket's API under bitbucket.org/api/2.0",
      given: "https://bitbucket.org/api/2.0/repositories/ws/repo/pullrequests/1",
      method: "GET",
      want: {
        endpoints: ["GET /2.0/repositories/{workspace}/{repo_slug}/pullrequests/{pull_request_id}"],
        notes: [["host_typo", "https://api.bitbucket.org/2.0/repositories/ws/repo/pullrequests/1"]],
      },
    },
    {
      name: "api.atlassian.net",
      given: "https://api.atlassian.net/rest/api/3/issue/ABC-1",
      method: "GET",
      want: {
        endpoints: ["GET /rest/api/3/issue/{issueIdOrKey}"],
        notes: [
          ["host_typo", "https://api.atlassian.com/ex/jira/{cloudId}/rest/api/3/issue/ABC-1"],
          ["missing_gateway_prefix", "https://api.atlassian.com/ex/jira/{cloudId}/rest/api/3/issue/ABC-1"],
        ],
      },
    },
    {
      name: "*.atlasian.net",
      given: "https://acme.atlasian.net/rest/api/3/issue/ABC-1",
      method: "GET",
      want: {
        endpoints: ["GET /rest/api/3/issue/{issueIdOrKey}"],
        notes: [
          ["host_typo", "https://acme.atlassian.net/rest/api/3/issue/ABC-1"],
          ["scoped_token_gateway", "https://api.atlassian.com/ex/jira/{cloudId}/rest/api/3/issue/ABC-1"],
        ],
      },
    },
    {
      // A browser link is a read: GET, not every method of the issue.
      name: "a Jira issue link",
      given: "https://acme.atlassian.net/browse/ABC-1",
      want: {
        endpoints: ["GET /rest/api/3/issue/{issueIdOrKey}"],
        notes: [
          ["browser_url", "https://acme.atlassian.net/rest/api/3/issue/ABC-1"],
          ["scoped_token_gateway", "https://api.atlassian.com/ex/jira/{cloudId}/rest/api/3/issue/ABC-1"],
        ],
      },
    },
    {
      name: "a Confluence page link with its title",
      given: "https://acme.atlassian.net/wiki/spaces/KEY/pages/123/Some+Title",
      want: {
        endpoints: ["GET /wiki/api/v2/pages/{id}"],
        notes: [
          ["browser_url", "https://acme.atlassian.net/wiki/api/v2/pages/123"],
          ["scoped_token_gateway", "https://api.atlassian.com/ex/confluence/{cloudId}/wiki/api/v2/pages/123"],
        ],
      },
    },
    {
      name: "a Confluence attachment link",
      given: "/wiki/download/attachments/123/report.pdf",
      want: {
        endpoints: ["GET /wiki/rest/api/content/{id}/child/attachment/{attachmentId}/download"],
        notes: [["browser_url", "/wiki/rest/api/content/123/child/attachment/{attachmentId}/download"]],
      },
    },
    {
      name: "a Bitbucket pull request page",
      given: "https://bitbucket.org/ws/repo/pull-requests/7",
      want: {
        endpoints: ["GET /2.0/repositories/{workspace}/{repo_slug}/pullrequests/{pull_request_id}"],
        notes: [["browser_url", "https://api.bitbucket.org/2.0/repositories/ws/repo/pullrequests/7"]],
      },
    },
    {
      name: "Forge: a gateway URL is told as requestJira's path",
      given: `https://api.atlassian.com/ex/jira/${CLOUD}/rest/api/3/issue/ABC-1`,
      method: "GET",
      context: "forge",
      want: { endpoints: ["GET /rest/api/3/issue/{issueIdOrKey}"], notes: [["forge_path", "/rest/api/3/issue/ABC-1"]] },
    },
    {
      name: "the right URL: no note",
      given: `https://api.atlassian.com/ex/jira/${CLOUD}/rest/api/3/issue/ABC-1`,
      method: "GET",
      want: { endpoints: ["GET /rest/api/3/issue/{issueIdOrKey}"], notes: [] },
    },
  ];

  it.each(cases)("$name", ({ given, method, context, want }) => {
    const found = lookupEndpoints(catalog, given, method, { context });
    if (!found.ok) throw new Error(`expected a match, got ${found.code}: ${found.message}`);
    expect({
      endpoints: found.endpoints.map((endpoint) => `${endpoint.method} ${endpoint.path}`),
      notes: found.urlNotes.map((note) => [note.code, note.url]),
    }).toEqual(want);
  });

  it("a mistyped host on a path that matches nothing: the 404 says so too", () => {
    const found = lookupEndpoints(catalog, "https://acme.atlasian.net/rest/api/3/nothing-here", "GET");
    expect(found.ok).toBe(false);
    if (found.ok) return;
    expect(found.code).toBe("endpoint_not_found");
    expect(found.message).toContain("acme.atlasian.net is not an Atlassian host; read as acme.atlassian.net.");
    expect((found.details?.urlNotes as { code: string }[] | undefined)?.map((note) => note.code)).toEqual([
      "host_typo",
    ]);
  });
});

describe("suggestions: reordered segments, within the path's product", () => {
  const suggest = (given: string) => catalog.suggestPaths(requestOf(given));

  it("/rest/api/3/jql/search suggests /rest/api/3/search/jql first", () => {
    expect(suggest("/rest/api/3/jql/search")[0]).toBe("/rest/api/3/search/jql");
  });

  it("a segment moved further: /rest/agile/1.0/sprint/board/1 suggests /rest/agile/1.0/board/{boardId}/sprint first", () => {
    expect(suggest("/rest/agile/1.0/sprint/board/1")[0]).toBe("/rest/agile/1.0/board/{boardId}/sprint");
  });

  it("a Confluence v1 path without /wiki gets Confluence's templates, not Jira's /rest/api ones", () => {
    const suggestions = suggest("https://acme.atlassian.net/rest/api/content/123");
    expect(suggestions.length).toBeGreaterThan(0);
    for (const suggestion of suggestions) expect(suggestion).toMatch(/^\/wiki\/rest\/api\/content\//);
  });

  it.each([
    // Before: Jira's /rest/devopscomponents/... and /rest/atlassian-connect/... for a Bitbucket URL.
    { given: "https://api.bitbucket.org/ws/repo/pull-requests/1", prefix: /^\/2\.0\// },
    { given: "https://bitbucket.org/ws/repo/pullrequestz/x/y", prefix: /^\/2\.0\// },
    // Before: Bitbucket's /2.0/repositories for a Jira site's unknown page.
    { given: "https://acme.atlassian.net/browse/ABC-1/extra", prefix: /^\/(rest|wiki)\// },
    { given: `https://api.atlassian.com/ex/confluence/${CLOUD}/nothing/here`, prefix: /^\/wiki\// },
    // Through the Confluence gateway a mistyped v1 path without /wiki is Confluence's, not Jira's /rest/api.
    {
      given: `https://api.atlassian.com/ex/confluence/${CLOUD}/rest/api/contnt/search`,
      prefix: /^\/wiki\/rest\/api\//,
    },
  ])("$given stays within its product", ({ given, prefix }) => {
    const suggestions = suggest(given);
    expect(suggestions.length).toBeGreaterThan(0);
    for (const suggestion of suggestions) expect(suggestion).toMatch(prefix);
  });
});

describe("the search for reordered segments is bounded", () => {
  afterEach(() => vi.restoreAllMocks());

  it(`at most ${MAX_REORDER_WALKS} trie walks for a path of 16 distinct segments over every product`, () => {
    // Each reordered walk starts at a trie's root through PathMatcher's walk: counting its calls counts the walks.
    const walks = vi.spyOn(PathMatcher.prototype as unknown as { walk: () => unknown }, "walk");
    const path = `/rest/api/3/${Array.from({ length: 13 }, (_, index) => `s${index}`).join("/")}`;
    expect(lookupEndpoints(catalog, path).ok).toBe(false);
    // The lookup's own matching walks too (the path, and each implied prefix): a handful beside the cap.
    expect(walks.mock.calls.length).toBeGreaterThan(MAX_REORDER_WALKS / 2);
    expect(walks.mock.calls.length).toBeLessThanOrEqual(MAX_REORDER_WALKS + 12);
  });
});

describe("suggestions: a start pasted twice", () => {
  it.each([
    { given: "/wiki/wiki/rest/api/content/123", first: "/wiki/rest/api/content/{id}" },
    { given: "/rest/api/3/rest/api/3/issue/ABC-1", first: "/rest/api/3/issue/{issueIdOrKey}" },
    { given: "/2.0/2.0/repositories/ws/repo", first: "/2.0/repositories/{workspace}/{repo_slug}" },
    // Through the gateway, the prefix twice; the second copy needs Confluence's implied /wiki.
    {
      given: `https://api.atlassian.com/ex/jira/${CLOUD}/ex/jira/${CLOUD}/rest/api/3/issue/ABC-1`,
      first: "/rest/api/3/issue/{issueIdOrKey}",
    },
    {
      given: `https://api.atlassian.com/ex/confluence/${CLOUD}/ex/confluence/${CLOUD}/rest/api/content/1`,
      first: "/wiki/rest/api/content/{id}",
    },
    // A whole URL pasted after itself.
    {
      given: `https://api.atlassian.com/ex/jira/${CLOUD}/https://api.atlassian.com/ex/jira/${CLOUD}/rest/api/3/issue/ABC-1`,
      first: "/rest/api/3/issue/{issueIdOrKey}",
    },
    {
      given: "https://acme.atlassian.net/https://acme.atlassian.net/rest/api/3/issue/ABC-1",
      first: "/rest/api/3/issue/{issueIdOrKey}",
    },
  ])("$given suggests $first first, in a not-found answer", ({ given, first }) => {
    const found = lookupEndpoints(catalog, given, "GET");
    expect(found.ok).toBe(false);
    if (found.ok) return;
    expect(found.code).toBe("endpoint_not_found");
    const suggestions = found.details?.suggestions as string[];
    expect(suggestions[0]).toBe(first);
    expect(suggestions.length).toBe(5);
    expect(new Set(suggestions).size).toBe(5);
  });

  it("a doubled start that still matches nothing once undoubled: the nearest templates, as before", () => {
    const suggestions = catalog.suggestPaths(requestOf("/wiki/wiki/rest/api/contnt/123"));
    expect(suggestions.length).toBe(5);
    expect(suggestions).not.toContain(undefined);
  });
});
