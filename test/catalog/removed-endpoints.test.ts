/**
 * Removed endpoints in lookups: the curated Confluence v1 removals and scraped tombstones answer
 * endpoint_removed with the replacement and its scopes read from the catalog; live endpoints win.
 */
import { describe, expect, it } from "vitest";
import { CatalogIndex, type CatalogData } from "../../src/catalog/catalog-index";
import { resolveRequests } from "../../src/catalog/endpoint-input";
import { explainFailure, type ExplainInput } from "../../src/catalog/explain";
import { lookupEndpoints, type RemovedView } from "../../src/catalog/lookup";
import { CURATED_REMOVALS } from "../../src/catalog/removed-endpoints";
import type { Tombstone } from "../../src/catalog/schema";
import { CONTENT_V1, alt, endpoint, keys, requestOf } from "./catalog-fixture";

const SPACES_V2 = "/wiki/api/v2/spaces";
const PROPERTIES = "/rest/api/3/workflow/transitions/{transitionId}/properties";

const tombstone = (method: Tombstone["method"], path: string): Tombstone => ({
  product: "jira",
  method,
  path,
  summary: "Get workflow transition properties",
  docsUrl: "https://developer.atlassian.com/cloud/jira/platform/rest/v3/#workflow-transition-properties",
  removedIn: "2026-11-30T05-44-51Z",
  removedAt: "2026-11-30T05:44:51.273Z",
  alternatives: [alt(["manage:jira-configuration"]), alt(["read:workflow.property:jira"], "Beta")],
});

function data(options: { confluence?: boolean; spacesV2?: boolean } = {}): CatalogData {
  const confluence = {
    scrapedAt: "2026-11-30T05:44:51.225Z",
    version: "v1",
    endpoints: [
      endpoint("confluence", "POST", "/wiki/rest/api/space", [alt(["write:space:confluence"])]),
      endpoint("confluence", "PUT", "/wiki/rest/api/space/{spaceKey}", [alt(["write:space:confluence"])]),
      ...(options.spacesV2 === false
        ? []
        : [endpoint("confluence", "GET", SPACES_V2, [alt(["read:space:confluence"])], { summary: "Get spaces" })]),
      endpoint("confluence", "GET", "/wiki/api/v2/spaces/{id}", [alt(["read:space:confluence"])]),
      endpoint("confluence", "GET", "/wiki/api/v2/pages/{id}", [alt(["read:page:confluence"])]),
      // Live in this fixture although the curated table lists it: the live record wins.
      endpoint("confluence", "GET", CONTENT_V1, [alt(["read:confluence-content.all"])]),
    ],
    scopes: [],
  };
  return {
    version: "v1",
    publishedAt: "2026-11-30T05:44:51.273Z",
    products: {
      jira: {
        scrapedAt: "2026-11-30T05:44:51.225Z",
        version: "v1",
        endpoints: [endpoint("jira", "GET", "/rest/api/3/issue/{issueIdOrKey}", [alt(["read:jira-work"])])],
        scopes: [],
        removed: [tombstone("GET", PROPERTIES), tombstone("DELETE", PROPERTIES)],
      },
      ...(options.confluence === false ? {} : { confluence }),
    },
  };
}

const index = (options?: Parameters<typeof data>[0]) => CatalogIndex.build(data(options));

function removedOf(found: ReturnType<typeof lookupEndpoints>): RemovedView[] {
  if (found.ok) throw new Error(`expected a failure, got ${keys(found.endpoints).join(", ")}`);
  expect(found.code).toBe("endpoint_removed");
  return (found.details as { removed: RemovedView[] }).removed;
}

describe("curated Confluence v1 removals", () => {
  it("answers a removed GET as removed, with the v2 replacement and its scopes from the catalog, never 'takes POST'", () => {
    const found = lookupEndpoints(index(), "/wiki/rest/api/space", "GET");
    const [removed] = removedOf(found);
    expect(removed).toMatchObject({
      product: "confluence",
      method: "GET",
      path: "/wiki/rest/api/space",
      removedAt: "2024-01-01",
      source: { kind: "curated", seen: "2026-12-05" },
      replacement: {
        method: "GET",
        path: SPACES_V2,
        summary: "Get spaces",
        alternatives: [{ kind: "granular", state: "Current", scopes: ["read:space:confluence"] }],
      },
    });
    expect(removed!.replacement!.docsUrl).toMatch(/^https:\/\/developer\.atlassian\.com\//);
    if (found.ok) return;
    expect(found.message).toContain("Call GET /wiki/api/v2/spaces instead, which needs read:space:confluence");
    expect(found.message).not.toMatch(/takes|POST/);
    expect(found.replacements?.map((item) => `${item.endpoint.method} ${item.endpoint.path}`)).toEqual([
      `GET ${SPACES_V2}`,
    ]);
  });

  it("leaves the live methods of the same path alone", () => {
    const found = lookupEndpoints(index(), "/wiki/rest/api/space", "POST");
    expect(found.ok && keys(found.endpoints)).toEqual(["POST /wiki/rest/api/space"]);
    // Without a method, the live template answers, and the removed GET is said beside it.
    const all = lookupEndpoints(index(), "/wiki/rest/api/space");
    expect(all.ok && keys(all.endpoints)).toEqual(["POST /wiki/rest/api/space"]);
    expect(all.ok && all.removed?.map((item) => `${item.method} ${item.replacement?.path}`)).toEqual([
      `GET ${SPACES_V2}`,
    ]);
    // A path with nothing removed says nothing.
    const v2 = lookupEndpoints(index(), SPACES_V2);
    expect(v2.ok && v2.removed).toBeUndefined();
  });

  it("lets a live endpoint with the same method and path win", () => {
    const found = lookupEndpoints(index(), "/wiki/rest/api/content/123", "GET");
    expect(found.ok && keys(found.endpoints)).toEqual([`GET ${CONTENT_V1}`]);
  });

  it("matches concrete values, site URLs, the gateway form without /wiki, and no method at all", () => {
    for (const [path, method] of [
      ["/wiki/rest/api/space/DOCS", "GET"],
      ["https://acme.atlassian.net/wiki/rest/api/space", "GET"],
      ["https://api.atlassian.com/ex/confluence/1111/rest/api/space", "GET"],
      ["https://api.atlassian.com/ex/confluence/1111/wiki/rest/api/space/DOCS/content/page", undefined],
    ] as const) {
      const removed = removedOf(lookupEndpoints(index(), path, method));
      expect(removed.length, path).toBeGreaterThan(0);
      expect(removed[0]!.source.kind).toBe("curated");
    }
    const byKey = removedOf(lookupEndpoints(index(), "/wiki/rest/api/space/DOCS", "GET"))[0]!;
    expect(byKey.path).toBe("/wiki/rest/api/space/{spaceKey}");
    expect(byKey.replacement?.note).toContain("?keys=");
  });

  it("says so when the catalog lacks the replacement, rather than inventing its scopes", () => {
    const found = lookupEndpoints(index({ spacesV2: false }), "/wiki/rest/api/space", "GET");
    const [removed] = removedOf(found);
    expect(removed!.replacement).toEqual({ method: "GET", path: SPACES_V2 });
    expect(!found.ok && found.message).toContain("not in this catalog's records");
    expect(!found.ok && found.replacements).toEqual([]);
  });

  it("applies only when the catalog holds the product", () => {
    const found = lookupEndpoints(index({ confluence: false }), "/wiki/rest/api/space", "GET");
    expect(!found.ok && found.code).toBe("endpoint_not_found");
  });

  it("has one entry per method and path, each replaced within Confluence v2", () => {
    const seen = new Set(CURATED_REMOVALS.map((item) => `${item.method} ${item.path}`));
    expect(seen.size).toBe(CURATED_REMOVALS.length);
    for (const item of CURATED_REMOVALS) {
      expect(item.path.startsWith("/wiki/rest/api/")).toBe(true);
      expect(item.replacement?.path.startsWith("/wiki/api/v2/")).toBe(true);
      expect(item.source.url).toMatch(/^https:\/\/community\.developer\.atlassian\.com\//);
    }
  });
});

describe("scraped tombstones", () => {
  it("answer removed with the version and date the scrape found them gone, and the scopes they last took", () => {
    const found = lookupEndpoints(index(), "/rest/api/3/workflow/transitions/7/properties", "GET");
    const [removed] = removedOf(found);
    expect(removed).toEqual({
      product: "jira",
      method: "GET",
      path: PROPERTIES,
      summary: "Get workflow transition properties",
      removedAt: "2026-11-30T05:44:51.273Z",
      removedIn: "2026-11-30T05-44-51Z",
      source: { kind: "scrape" },
      lastScopes: [
        { kind: "classic", state: "Current", scopes: ["manage:jira-configuration"] },
        { kind: "granular", state: "Beta", scopes: ["read:workflow.property:jira"] },
      ],
    });
    expect(!found.ok && found.message).toBe(
      "GET /rest/api/3/workflow/transitions/{transitionId}/properties is no longer in Atlassian's REST documents: the scrape of catalog version 2026-11-30T05-44-51Z (2026-11-30) found it gone. It last took manage:jira-configuration (classic) or read:workflow.property:jira (granular). No replacement is recorded: check the product's REST docs for what replaced it.",
    );
  });

  it("without a method, lists every removed method of the path; a method never removed is not found", () => {
    const found = lookupEndpoints(index(), "/rest/api/3/workflow/transitions/7/properties");
    expect(removedOf(found).map((item) => item.method)).toEqual(["GET", "DELETE"]);
    expect(!found.ok && found.details?.methods).toEqual(["GET", "DELETE"]);
    const put = lookupEndpoints(index(), "/rest/api/3/workflow/transitions/7/properties", "PUT");
    expect(!put.ok && put.code).toBe("endpoint_not_found");
  });

  it("merge into a curated entry of the same method and path (its replacement stays)", () => {
    const withTombstone = data();
    withTombstone.products.confluence!.removed = [
      {
        ...tombstone("GET", "/wiki/rest/api/space"),
        product: "confluence",
        alternatives: [alt(["read:confluence-space.summary"])],
      },
    ];
    const [removed] = removedOf(lookupEndpoints(CatalogIndex.build(withTombstone), "/wiki/rest/api/space", "GET"));
    expect(removed).toMatchObject({
      source: { kind: "curated" },
      removedAt: "2024-01-01",
      removedIn: "2026-11-30T05-44-51Z",
      lastScopes: [{ scopes: ["read:confluence-space.summary"] }],
      replacement: { path: SPACES_V2 },
    });
  });
});

describe("/diff and /plan inputs", () => {
  it("resolve a removed endpoint as endpoint_removed with its replacement to check", () => {
    const [removed, live, missing] = resolveRequests(index(), [
      { method: "GET", path: "https://api.atlassian.com/ex/confluence/1111/wiki/rest/api/space" },
      { method: "POST", path: "/wiki/rest/api/space" },
      { method: "GET", path: "/rest/api/3/workflow/transitions/7/properties" },
    ]);
    expect(removed!.error?.code).toBe("endpoint_removed");
    expect(removed!.endpoints).toBeUndefined();
    expect(removed!.replacements?.map(({ replaces, endpoint }) => [replaces, endpoint.path])).toEqual([
      ["GET /wiki/rest/api/space", SPACES_V2],
    ]);
    expect(live!.endpoints && keys(live!.endpoints)).toEqual(["POST /wiki/rest/api/space"]);
    expect(missing!.error?.code).toBe("endpoint_removed");
    expect(missing!.replacements).toBeUndefined();
  });

  it("find removed paths as the request parser reads them", () => {
    expect(index().matchRemoved(requestOf("/rest/api/space")).matchedAs).toBe("/wiki/rest/api/space");
  });
});

describe("/explain", () => {
  const explain = (input: Omit<ExplainInput, "method"> & { method?: string }) =>
    explainFailure({ method: "GET", ...input }, index());

  it("a 404 (or any failure) of an endpoint the catalog knows as removed: endpoint_removed with the replacement and its scopes", () => {
    const { findings } = explain({
      url: "https://api.atlassian.com/ex/confluence/1111/wiki/rest/api/space",
      status: 404,
      scopes: ["read:confluence-space.summary"],
    });
    expect(findings.map((finding) => finding.code)).toEqual(["endpoint_removed", "unknown_scopes"]);
    expect(findings[0]).toMatchObject({
      message:
        "Atlassian has removed GET /wiki/rest/api/space (on 2024-01-01: Confluence REST API v1 deprecation, CHANGE-864 / RFC-19): no scope or credential makes it answer again, whatever the 404 says.",
      fix: "Move to GET /wiki/api/v2/spaces; it needs read:space:confluence (granular).",
      details: { removed: [{ path: "/wiki/rest/api/space", source: { kind: "curated" } }] },
    });
  });

  it("Confluence's GoneException body: the catalog's replacement, never another method of the path", () => {
    const { findings } = explain({
      url: "https://api.atlassian.com/ex/confluence/1111/wiki/rest/api/space/DOCS",
      status: 410,
      body: "com.atlassian.confluence.api.service.exceptions.GoneException: This deprecated endpoint has been removed.",
    });
    expect(findings.map((finding) => finding.code)).toEqual(["endpoint_removed"]);
    expect(findings[0]!.fix).toBe(
      "Move to GET /wiki/api/v2/spaces/{id}; it needs read:space:confluence (granular). v2 takes the space's numeric id: GET /wiki/api/v2/spaces?keys={spaceKey} finds it by key.",
    );
    expect(`${findings[0]!.message} ${findings[0]!.fix}`).not.toMatch(/PUT|DELETE|it takes [A-Z]/);
  });

  it("a tombstone without a replacement says when the scrape found it gone and what it last took", () => {
    const { findings } = explain({ url: "/rest/api/3/workflow/transitions/7/properties", status: 404 });
    expect(findings[0]!.code).toBe("endpoint_removed");
    expect(findings[0]!.message).toContain("gone from its REST documents since catalog version 2026-11-30T05-44-51Z");
    expect(findings[0]!.fix).toContain("It last took manage:jira-configuration (classic)");
  });

  it("a call that went through is not an error, even to an endpoint known as removed", () => {
    const { findings } = explain({ url: "https://acme.atlassian.net/wiki/rest/api/space", status: 200 });
    expect(findings.map((finding) => finding.code)).toEqual(["not_an_error"]);
  });
});
