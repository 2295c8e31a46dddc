/**
 * pastRemovalOf: an endpoint the documents still list is removed once the request's date has passed its
 * `x-changes` removal date, and not before, whatever the catalog's own date; the replacement comes from
 * the curated table with its scopes read from the catalog.
 */
import { describe, expect, it } from "vitest";
import { CatalogIndex } from "../../src/catalog/catalog-index";
import { pastRemovalOf, removedSentence } from "../../src/catalog/lookup";
import { alt, endpoint } from "./catalog-fixture";

const CHANGE = {
  type: "removed",
  announced: "2024-10-31",
  effective: "2025-05-01",
  details: "https://developer.atlassian.com/changelog/#CHANGE-2046",
};
const search = endpoint("jira", "GET", "/rest/api/3/search", [alt(["read:jira-work"])], { lifecycle: [CHANGE] });
const jql = endpoint("jira", "GET", "/rest/api/3/search/jql", [alt(["read:jira-work"])]);
const older = endpoint("jira", "GET", "/rest/api/3/older", [alt(["read:jira-work"])], {
  lifecycle: [{ type: "removed", effective: "2019-06-01" }],
});
const later = endpoint("jira", "GET", "/rest/api/3/later", [alt(["read:jira-work"])], {
  lifecycle: [{ type: "removed", effective: "2030-01-01" }],
});

function indexAt(scrapedAt: string): CatalogIndex {
  return CatalogIndex.build({
    version: "v1",
    publishedAt: scrapedAt,
    scrapedAt,
    products: { jira: { scrapedAt, version: "v1", endpoints: [search, jql, older, later], scopes: [] } },
  });
}

describe("pastRemovalOf", () => {
  it("says a 410 is answered only where one was seen (the issue search), else that one is expected", () => {
    const index = indexAt("2026-12-05T12:00:00.000Z");
    expect(removedSentence(pastRemovalOf(index, search, "2026-12-05")!)).toContain("but calls to it answer 410 Gone.");
    const sentence = removedSentence(pastRemovalOf(index, older, "2026-12-05")!);
    expect(sentence).toContain(
      "calls to it are expected to answer 410 Gone (announced, not yet seen for this endpoint)",
    );
    expect(sentence).not.toContain("calls to it answer 410 Gone.");
  });

  it("after the effective date: removed, with the curated replacement and its scopes from the catalog", () => {
    const view = pastRemovalOf(indexAt("2026-12-05T12:00:00.000Z"), search, "2026-12-05");
    expect(view).toMatchObject({
      removedAt: "2025-05-01",
      source: { kind: "document", url: CHANGE.details },
      replacement: { method: "GET", path: "/rest/api/3/search/jql", alternatives: [{ scopes: ["read:jira-work"] }] },
    });
    expect(removedSentence(view!)).toMatch(
      /^Atlassian's removal of GET \/rest\/api\/3\/search took effect on 2025-05-01 \(https:\/\/developer\.atlassian\.com\/changelog\/#CHANGE-2046\): .* answer 410 Gone\. Call GET \/rest\/api\/3\/search\/jql instead, which needs read:jira-work \(classic\)\./,
    );
  });

  it("on the effective date itself: removed; the day before: not", () => {
    const index = indexAt("2024-12-01T00:00:00.000Z");
    expect(pastRemovalOf(index, search, "2025-05-01")).toBeDefined();
    expect(pastRemovalOf(index, search, "2025-04-30")).toBeUndefined();
  });

  it("judged on the request's date, not the catalog's: an old catalog served after the date answers it removed", () => {
    // The bundled snapshot served offline, or a KV catalog kept while scrapes fail, is older than the day.
    const scrapedBefore = indexAt("2025-04-01T00:00:00.000Z");
    expect(pastRemovalOf(scrapedBefore, search, "2025-06-01")).toMatchObject({ removedAt: "2025-05-01" });
    const scrapedAfter = indexAt("2025-06-01T00:00:00.000Z");
    expect(pastRemovalOf(scrapedAfter, search, "2025-04-30")).toBeUndefined();
    // A full timestamp is read as its date.
    expect(pastRemovalOf(scrapedBefore, search, "2025-05-01T00:00:01.000Z")).toBeDefined();
  });

  it("a removal ahead of the request's date, and an endpoint without one, are not removed", () => {
    const index = indexAt("2026-12-05T12:00:00.000Z");
    expect(pastRemovalOf(index, later, "2026-12-05")).toBeUndefined();
    expect(pastRemovalOf(index, jql, "2026-12-05")).toBeUndefined();
  });
});

describe("pastRemovalOf: a removal its description announced (scraper/parse/removal-notice.ts)", () => {
  const workflows = endpoint("jira", "GET", "/rest/api/3/workflows/search", [alt(["manage:jira-configuration"])]);
  const NOTICE = {
    type: "removed",
    effective: "2026-06-01",
    details: "https://developer.atlassian.com/cloud/jira/platform/changelog/#CHANGE-2569",
    changelog: "CHANGE-2569",
    replacement: { method: "GET" as const, path: "/rest/api/3/workflows/search" },
    origin: "description" as const,
  };
  const workflowSearch = endpoint("jira", "GET", "/rest/api/3/workflow/search", [alt(["manage:jira-configuration"])], {
    deprecated: true,
    lifecycle: [NOTICE],
  });
  const v2Twin = endpoint("jira", "GET", "/rest/api/2/workflow/search", [alt(["manage:jira-configuration"])], {
    deprecated: true,
    lifecycle: [{ ...NOTICE, origin: "v3-twin" as const }],
  });
  // A replacement no longer in the catalog: named, with no scopes claimed for it.
  const orphan = endpoint("jira", "GET", "/rest/api/3/orphan", [alt(["read:jira-work"])], {
    lifecycle: [{ ...NOTICE, replacement: { method: "GET" as const, path: "/rest/api/3/nowhere" } }],
  });
  const at = (scrapedAt: string) =>
    CatalogIndex.build({
      version: "v1",
      publishedAt: scrapedAt,
      scrapedAt,
      products: {
        jira: { scrapedAt, version: "v1", endpoints: [workflowSearch, workflows, v2Twin, orphan], scopes: [] },
      },
    });

  it("once the request's date is past it: took effect, naming the notice's replacement with its scopes", () => {
    const view = pastRemovalOf(at("2026-12-07T00:00:00.000Z"), workflowSearch, "2026-12-07")!;
    expect(view).toMatchObject({
      removedAt: "2026-06-01",
      source: { kind: "document", url: NOTICE.details },
      replacement: {
        method: "GET",
        path: "/rest/api/3/workflows/search",
        alternatives: [{ scopes: ["manage:jira-configuration"] }],
      },
    });
    expect(removedSentence(view)).toBe(
      "Atlassian's removal of GET /rest/api/3/workflow/search took effect on 2026-06-01 (https://developer.atlassian.com/cloud/jira/platform/changelog/#CHANGE-2569): its documents still list it, with the scopes shown, but calls to it are expected to answer 410 Gone (announced, not yet seen for this endpoint). Call GET /rest/api/3/workflows/search instead, which needs manage:jira-configuration (classic). Docs: https://developer.atlassian.com/cloud/jira/platform/rest/v3/#api-rest-api-3-workflows-search-get".replace(
        /Docs: .*$/,
        `Docs: ${workflows.docsUrl}`,
      ),
    );
  });

  it("before it: not removed", () => {
    expect(pastRemovalOf(at("2026-05-31T00:00:00.000Z"), workflowSearch, "2026-05-31")).toBeUndefined();
  });

  it("a v2 twin's says whose announcement it is", () => {
    expect(removedSentence(pastRemovalOf(at("2026-12-07T00:00:00.000Z"), v2Twin, "2026-12-07")!)).toContain(
      "took effect on 2026-06-01 (announced for its v3 twin, /rest/api/3/workflow/search, https://developer.atlassian.com/cloud/jira/platform/changelog/#CHANGE-2569)",
    );
  });

  it("a replacement the catalog lacks is named without scopes", () => {
    expect(removedSentence(pastRemovalOf(at("2026-12-07T00:00:00.000Z"), orphan, "2026-12-07")!)).toContain(
      "Call GET /rest/api/3/nowhere instead (not in this catalog's records, so its scopes are not known here).",
    );
  });
});
