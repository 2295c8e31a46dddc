/**
 * CatalogIndex: matching with implied prefixes, scope info merged across products, scope suggestions,
 * and the reverse index from scope to endpoints.
 */
import { describe, expect, it } from "vitest";
import {
  CatalogIndex,
  catalogScopeNames,
  IMPLIED_PREFIXES,
  impliedPrefixed,
  isHttpMethod,
  productsForLines,
} from "../../src/catalog/catalog-index";
import {
  BOARD,
  CONTENT_V1,
  ISSUE,
  PAGE_V2,
  PULLREQUESTS,
  alt,
  endpoint,
  keys,
  requestOf,
  sampleData,
  sampleIndex,
} from "./catalog-fixture";

const index = sampleIndex();

describe("CatalogIndex.match", () => {
  const cases: { name: string; given: string; want: { matchedAs?: string; endpoints: string[] } }[] = [
    {
      name: "a Jira path as given, methods in HTTP order",
      given: "/rest/api/3/issue/ABC-1",
      want: { endpoints: [`GET ${ISSUE}`, `PUT ${ISSUE}`, `DELETE ${ISSUE}`] },
    },
    {
      name: "a literal template beats the parameter one",
      given: "/rest/api/3/issue/createmeta",
      want: { endpoints: ["GET /rest/api/3/issue/createmeta"] },
    },
    {
      name: "a Bitbucket path with its /2.0 prefix",
      given: "https://api.bitbucket.org/2.0/repositories/ws/r/pullrequests",
      want: { endpoints: [`GET ${PULLREQUESTS}`, `POST ${PULLREQUESTS}`] },
    },
    {
      name: "a Bitbucket path without /2.0",
      given: "/repositories/ws/r/pullrequests",
      want: {
        matchedAs: "/2.0/repositories/ws/r/pullrequests",
        endpoints: [`GET ${PULLREQUESTS}`, `POST ${PULLREQUESTS}`],
      },
    },
    {
      name: "the Confluence gateway form without /wiki",
      given: "https://api.atlassian.com/ex/confluence/11111111-2222-3333-4444-555555555555/rest/api/content/1",
      want: { matchedAs: "/wiki/rest/api/content/1", endpoints: [`GET ${CONTENT_V1}`] },
    },
    {
      name: "a Confluence v2 path without /wiki/api/v2",
      given: "/pages/1",
      want: { matchedAs: "/wiki/api/v2/pages/1", endpoints: [`GET ${PAGE_V2}`, `PUT ${PAGE_V2}`] },
    },
    {
      name: "a Confluence v2 path without /wiki only",
      given: "/api/v2/pages/1",
      want: { matchedAs: "/wiki/api/v2/pages/1", endpoints: [`GET ${PAGE_V2}`, `PUT ${PAGE_V2}`] },
    },
    {
      name: "a Confluence v2 path in full",
      given: "/wiki/api/v2/pages/1",
      want: { endpoints: [`GET ${PAGE_V2}`, `PUT ${PAGE_V2}`] },
    },
    {
      name: "prefixes are not stacked on a path that already starts with wiki",
      given: "/wiki/pages/1",
      want: { endpoints: [] },
    },
    {
      name: "Jira Software board",
      given: "https://api.atlassian.com/ex/jira/11111111-2222-3333-4444-555555555555/rest/agile/1.0/board",
      want: { endpoints: [`GET ${BOARD}`, `POST ${BOARD}`] },
    },
    {
      name: "nothing matches",
      given: "/rest/api/3/dashboard",
      want: { endpoints: [] },
    },
  ];

  it.each(cases)("$name", ({ given, want }) => {
    const match = index.match(requestOf(given));
    expect({ matchedAs: match.matchedAs, endpoints: keys(match.endpoints) }).toEqual({
      matchedAs: want.matchedAs,
      endpoints: want.endpoints,
    });
  });

  it("returns the catalog's own endpoint records", () => {
    const [first] = index.match(requestOf("/pages/1")).endpoints;
    const record = index.endpoints.find((endpoint) => endpoint.method === "GET" && endpoint.path === PAGE_V2);
    expect(record === undefined ? "fixture lost GET page" : first).toBe(record);
  });
});

describe("impliedPrefixed", () => {
  it("each implied prefix before the segments, none where the path starts with it; made once per path", () => {
    const segments = ["rest", "api", "content", "1"];
    const prefixed = impliedPrefixed(segments);
    expect(prefixed).toEqual(IMPLIED_PREFIXES.map((prefix) => [...prefix, ...segments]));
    expect(impliedPrefixed(segments)).toBe(prefixed);
    expect(impliedPrefixed(["wiki", "rest"])).toEqual([["2.0", "wiki", "rest"], undefined, undefined]);
    expect(impliedPrefixed([])).toEqual(IMPLIED_PREFIXES.map((prefix) => [...prefix]));
  });
});

describe("CatalogIndex.suggestPaths", () => {
  it("offers the five nearest templates, the one-letter typo first", () => {
    expect(index.suggestPaths(requestOf("/rest/api/3/isue/ABC-1"))).toEqual([
      ISSUE,
      "/rest/api/3/project/{projectIdOrKey}",
      "/rest/api/3/issue/createmeta",
      "/rest/api/3/serverInfo",
      "/rest/api/3/myself",
    ]);
  });

  it("honours a smaller count", () => {
    expect(index.suggestPaths(requestOf("/rest/api/3/isue/ABC-1"), 1)).toEqual([ISSUE]);
  });
});

describe("CatalogIndex: catalog-level facts", () => {
  it("lists every product's endpoints in product, then catalog, order", () => {
    expect(index.endpoints.length).toBe(15);
    expect(keys(index.endpoints.slice(0, 2))).toEqual([`DELETE ${ISSUE}`, `GET ${ISSUE}`]);
    expect(keys(index.endpoints.slice(-1))).toEqual([`GET ${PULLREQUESTS}`]);
  });

  it("version, newest scrapedAt, per-product scrapedAt", () => {
    expect(index.version).toBe("2026-01-02T03-04-05Z");
    expect(index.scrapedAt).toBe("2026-01-02T03:02:00.000Z");
    expect(index.scrapedAtOf("confluence")).toBe("2026-01-01T00:00:00.000Z");
    expect(index.scrapedAtOf("assets")).toBe(undefined);
  });

  it("an empty catalog has no endpoints, scopes or scrapedAt", () => {
    const empty = CatalogIndex.build({ version: "v0", publishedAt: "2026-01-01T00:00:00.000Z", products: {} });
    expect([empty.endpoints.length, empty.scopeCount, empty.scrapedAt]).toEqual([0, 0, ""]);
    expect(empty.match(requestOf("/rest/api/3/myself"))).toEqual({ endpoints: [], matched: false });
    expect(empty.suggestPaths(requestOf("/rest/api/3/myself"))).toEqual([]);
  });

  it("isHttpMethod accepts upper-case HTTP methods only", () => {
    const given = ["GET", "PATCH", "TRACE", "get", "FETCH", ""];
    expect(given.map(isHttpMethod)).toEqual([true, true, true, false, false, false]);
  });
});

describe("CatalogIndex.scope", () => {
  const cases: { name: string; given: string; want: unknown }[] = [
    {
      name: "merged across products: first product's kind, product and description win; endpoints counted once each",
      given: "read:project:jira",
      want: {
        name: "read:project:jira",
        kind: "granular",
        product: "jira",
        description: "View projects (from the platform document).",
        endpoints: 3,
      },
    },
    {
      name: "a later product fills a missing description",
      given: "read:issue-details:jira",
      want: {
        name: "read:issue-details:jira",
        kind: "granular",
        product: "jira",
        description: "Read issue details.",
        endpoints: 1,
      },
    },
    {
      name: "a classic scope",
      given: "write:jira-work",
      want: {
        name: "write:jira-work",
        kind: "classic",
        product: "jira",
        description: "Create and edit issues in Jira.",
        endpoints: 3,
      },
    },
    {
      name: "a declared scope no endpoint uses",
      given: "manage:jira-webhook",
      want: {
        name: "manage:jira-webhook",
        kind: "classic",
        product: "jira",
        description: "Manage webhooks.",
        endpoints: 0,
      },
    },
    {
      name: "a scope used by an endpoint but declared by no product",
      given: "read:confluence-content.all",
      want: undefined,
    },
    { name: "an unknown scope", given: "read:board-scope:jira", want: undefined },
  ];

  it.each(cases)("$name", ({ given, want }) => {
    expect(index.scope(given)).toEqual(want);
  });

  it("counts each declared name once", () => {
    expect(index.scopeCount).toBe(19);
  });

  it("scope info is per index: building twice does not double the counts", () => {
    const data = sampleData();
    CatalogIndex.build(data);
    expect(CatalogIndex.build(data).scope("read:project:jira")?.endpoints).toBe(3);
  });
});

describe("CatalogIndex.suggestScopes", () => {
  const cases: { given: string; count?: number; want: string[] }[] = [
    // A missing product suffix is too long an edit: offered because the known name starts with it.
    { given: "read:board-scope:jira", want: ["read:board-scope:jira-software"] },
    { given: "read:jira-wrok", want: ["read:jira-work", "read:jira-user"] },
    { given: "read:jira-wrok", count: 1, want: ["read:jira-work"] },
    // Case-insensitive; equal distances (write:jira-work and read:jira-user are both 4 away) keep catalog order.
    { given: "READ:JIRA-WORK", want: ["read:jira-work", "write:jira-work", "read:jira-user"] },
    { given: "read:pullrequest:bitbuckt", want: ["read:pullrequest:bitbucket", "write:pullrequest:bitbucket"] },
    // Another product's suffix: that product's scope of the same action and resource first.
    { given: "read:pullrequest:jira", want: ["read:pullrequest:bitbucket", "read:project:jira"] },
    { given: "READ:PULLREQUEST:JIRA", count: 1, want: ["read:pullrequest:bitbucket"] },
    { given: "zzzz", want: [] },
  ];

  it.each(cases)("$given → $want", ({ given, count, want }) => {
    expect(count === undefined ? index.suggestScopes(given) : index.suggestScopes(given, count)).toEqual(want);
  });

  it("another product's scope of the same action and resource comes after a name one edit away, before further ones", () => {
    const { jira: _jira, ...others } = sampleData().products;
    const names = [
      "read:field:jira",
      "read:user:jira",
      "read:user:confluence",
      "read:runner:bitbucket",
      "read:user:bitbucket",
    ];
    const some = CatalogIndex.build({
      ...sampleData(),
      products: others,
      directMatchesOnly: true,
      catalogScopeNames: names,
    });
    // A product mistyped by a letter: that product's scope first.
    expect(some.suggestScopes("read:user:bitbuket")).toEqual([
      "read:user:bitbucket",
      "read:user:jira",
      "read:user:confluence",
      "read:runner:bitbucket",
    ]);
    // A real name in upper case: itself first.
    expect(some.suggestScopes("READ:USER:JIRA", 2)).toEqual(["read:user:jira", "read:user:confluence"]);
    // Another product's suffix: the scopes of the same action and resource before any spelling match.
    expect(some.suggestScopes("read:user:compass")).toEqual([
      "read:user:jira",
      "read:user:confluence",
      "read:user:bitbucket",
    ]);
  });

  it("an index over some products ranks over the whole catalog's names when it holds them, ties in their order", () => {
    const { jira: _jira, ...others } = sampleData().products;
    const some = (catalogScopeNames?: string[]) =>
      CatalogIndex.build({ ...sampleData(), products: others, directMatchesOnly: true, catalogScopeNames });
    expect(some().suggestScopes("read:jira-wrok")).not.toContain("read:jira-work");
    expect(some().ranksLikeWholeCatalog).toBe(false);
    const names = ["write:jira-work", "read:jira-user", "read:jira-work"];
    expect(some(names).suggestScopes("READ:JIRA-WORK")).toEqual([
      "read:jira-work",
      "write:jira-work",
      "read:jira-user",
    ]);
    expect(some(names).suggestScopes("read:jira")).toEqual(["read:jira-user", "read:jira-work"]);
    expect(some(names).ranksLikeWholeCatalog).toBe(true);
    expect(index.ranksLikeWholeCatalog).toBe(true);
  });
});

describe("catalogScopeNames", () => {
  const pointer = (scopeNames?: string[], scopes = scopeNames?.length ?? 0) => ({ scopes, scopeNames });
  const cases: {
    given: Parameters<typeof catalogScopeNames>[0];
    added?: string[];
    want: string[] | undefined;
  }[] = [
    // Product by product in manifest order, a name where it first appears, then the added (curated) names.
    {
      given: {
        jira: pointer(["a:jira", "read:jira-work"]),
        "jira-software": pointer(["b:jira-software", "read:jira-work"]),
      },
      added: ["offline_access", "a:jira"],
      want: ["a:jira", "read:jira-work", "b:jira-software", "offline_access"],
    },
    {
      given: { bitbucket: pointer(["repository"]), jira: pointer(["read:jira-work"]) },
      want: ["repository", "read:jira-work"],
    },
    // A manifest written before scopeNames: the whole catalog's names cannot be told.
    { given: { jira: pointer(["read:jira-work"]), bitbucket: pointer(undefined, 3) }, want: undefined },
    // Records its names do not count (a scraper that recorded fewer or more scopes than its endpoints name).
    { given: { jira: pointer(["read:jira-work", "write:jira-work"], 1) }, want: undefined },
    { given: {}, added: ["offline_access"], want: ["offline_access"] },
  ];

  it.each(cases)("$want", ({ given, added, want }) => {
    expect(catalogScopeNames(given, added ?? [])).toEqual(want);
  });
});

describe("CatalogIndex.endpointsWithScope", () => {
  const cases: { given: string; want: string[] }[] = [
    // Counted once per endpoint even when the scope is in two of its alternatives (POST board).
    { given: "read:project:jira", want: ["GET /rest/api/3/project/{projectIdOrKey}", `POST ${BOARD}`, `GET ${BOARD}`] },
    { given: "write:jira-work", want: [`DELETE ${ISSUE}`, `PUT ${ISSUE}`, "GET /rest/api/3/issue/createmeta"] },
    { given: "read:board-scope.admin:jira-software", want: ["GET /rest/agile/1.0/board/{boardId}/configuration"] },
    // Undeclared scopes are still indexed by endpoint.
    { given: "read:confluence-content.all", want: [`GET ${CONTENT_V1}`] },
    { given: "manage:jira-webhook", want: [] },
    { given: "read:board-scope:jira", want: [] },
  ];

  it.each(cases)("$given", ({ given, want }) => {
    expect(keys(index.endpointsWithScope(given))).toEqual(want);
  });
});

describe("CatalogIndex.match through the api.atlassian.com gateway", () => {
  // Both products publish this path; Confluence's only under /wiki. Through /ex/confluence/ a pasted
  // URL without /wiki is Confluence's (it resolved to Jira's before).
  const DYNAMIC = "/rest/atlassian-connect/1/app/module/dynamic";
  const data = sampleData();
  const jira = data.products.jira!;
  const confluence = data.products.confluence!;
  data.products.jira = {
    ...jira,
    endpoints: [...jira.endpoints, endpoint("jira", "GET", DYNAMIC, [alt(["manage:jira-configuration"])])],
  };
  data.products.confluence = {
    ...confluence,
    endpoints: [
      ...confluence.endpoints,
      endpoint("confluence", "GET", `/wiki${DYNAMIC}`, [alt(["manage:confluence-configuration"])]),
    ],
  };
  const both = CatalogIndex.build(data);
  const productsOf = (url: string) => both.match(requestOf(url)).endpoints.map((found) => found.product);

  it.each([
    { given: `https://api.atlassian.com/ex/confluence/abc${DYNAMIC}`, want: ["confluence"] },
    { given: `https://api.atlassian.com/ex/jira/abc${DYNAMIC}`, want: ["jira"] },
    { given: DYNAMIC, want: ["jira"] },
    { given: `/wiki${DYNAMIC}`, want: ["confluence"] },
  ])("$given → $want", ({ given, want }) => {
    expect(productsOf(given)).toEqual(want);
  });

  it("a path only another product has still matches through the wrong gateway (the note says so)", () => {
    expect(productsOf(`https://api.atlassian.com/ex/jira/abc${PAGE_V2.replace("{id}", "1")}`)).toEqual([
      "confluence",
      "confluence",
    ]);
  });
});

describe("productsForLines", () => {
  const prefixes = { jira: ["rest/api"], "jira-software": ["rest/agile"], bitbucket: ["2.0/repositories"] };
  const names = {
    jira: ["read:jira-work"],
    "jira-software": ["read:board-scope:jira-software", "read:jira-work"],
    bitbucket: ["repository"],
  };
  const segments = (path: string) => path.split("/").filter((segment) => segment !== "");

  it("names the products the lines' paths fit and those whose scope names hold a held scope, in manifest order", () => {
    expect(productsForLines([segments("/rest/agile/1.0/board")], [], prefixes, names)).toEqual(["jira-software"]);
    expect(productsForLines([segments("/2.0/repositories/w/r")], ["repository"], prefixes, names)).toEqual([
      "bitbucket",
    ]);
    expect(productsForLines([segments("/rest/agile/1.0/board")], ["repository"], prefixes, names)).toEqual([
      "jira-software",
      "bitbucket",
    ]);
  });

  it("is undefined (the whole catalog) once every product is needed, and reads no line past that", () => {
    const lines = [segments("/rest/agile/1.0/board"), segments("/rest/api/3/myself")];
    expect(productsForLines(lines, ["repository"], prefixes, names)).toBeUndefined();
    expect(productsForLines(lines, [], prefixes, names)).toEqual(["jira", "jira-software"]);
    // A line that would throw if read: the lines before it already need every product.
    const unread = undefined as unknown as string[];
    expect(
      productsForLines([...lines, segments("/2.0/repositories/w/r"), unread], [], prefixes, names),
    ).toBeUndefined();
    expect(() => productsForLines([...lines, unread], [], prefixes, names)).toThrow();
  });

  it("cannot tell (undefined) without lines, for a line no product fits, or for held scopes and a product without scope names", () => {
    expect(productsForLines([], ["repository"], prefixes, names)).toBeUndefined();
    expect(productsForLines([segments("/nowhere")], [], prefixes, names)).toBeUndefined();
    const { bitbucket: _, ...withoutBitbucket } = names;
    expect(productsForLines([segments("/rest/api/3/myself")], ["read:jira-work"], prefixes, withoutBitbucket)).toEqual([
      "jira",
      "jira-software",
    ]);
    expect(
      productsForLines([segments("/rest/api/3/myself")], ["read:jira-work"], prefixes, {
        ...names,
        bitbucket: undefined,
      }),
    ).toBeUndefined();
    // With no held scope, scope names are not needed.
    expect(
      productsForLines([segments("/rest/api/3/myself")], [], prefixes, { ...names, bitbucket: undefined }),
    ).toEqual(["jira"]);
  });
});
