/** developer.atlassian.com reference pages: as a source for a product, and as a cross-check in a run. */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { Endpoint } from "../../src/catalog/schema";
import { CatalogStore } from "../../src/storage/catalog-store";
import { normalizeProduct } from "../../scraper/normalize";
import { parseReferencePage } from "../../scraper/parse/html";
import { crossCheck, referencePageDocument } from "../../scraper/parse/reference";
import { runScrape } from "../../scraper/run";
import type { DocumentSource, ProductSource } from "../../scraper/sources";
import { MemoryKv } from "../helpers/memory-kv";

const fixture = (name: string) => readFileSync(new URL(`../fixtures/html/${name}`, import.meta.url), "utf8");
const BOARD_PAGE = "https://developer.atlassian.com/cloud/jira/software/rest/api-group-board/";
const boardSource: DocumentSource = {
  id: "jsw-board-page",
  url: BOARD_PAGE,
  file: "",
  docsBase: BOARD_PAGE,
  format: "reference-page",
};

function endpoint(method: Endpoint["method"], path: string, ...sets: string[][]): Endpoint {
  return {
    product: "jira",
    method,
    path,
    docsUrl: "https://developer.atlassian.com/x",
    deprecated: false,
    experimental: false,
    alternatives: sets.map((scopes) => ({
      kind: "classic",
      state: "Current",
      scopes: [...scopes].sort(),
      origins: ["security"],
    })),
    hasScopes: sets.length > 0,
    emptyScopeList: false,
    anonymous: false,
    documents: ["x"],
  };
}

describe("a reference page as a product's document", () => {
  it("yields endpoints whose alternatives are the page's scope lists", () => {
    const document = referencePageDocument(parseReferencePage(fixture("jira-software-board.html")));
    const { endpoints } = normalizeProduct("jira-software", [{ source: boardSource, document }]);
    expect(endpoints.map((item) => `${item.method} ${item.path}`)).toEqual([
      "GET /rest/agile/1.0/board",
      "POST /rest/agile/1.0/board",
      "DELETE /rest/agile/1.0/board/{boardId}",
    ]);
    expect(endpoints[0]).toMatchObject({
      connectScope: "READ",
      alternatives: [
        {
          kind: "granular",
          state: "Current",
          scopes: ["read:board-scope:jira-software", "read:project:jira"],
          origins: ["reference-page"],
        },
      ],
    });
  });

  it("is published by a run like any document, and a page without Scopes blocks fails the product", async () => {
    const sources: ProductSource[] = [
      {
        product: "jira-software",
        title: "JSW from pages",
        documents: [boardSource],
        scopePages: [],
        crossCheckPages: [],
        canaries: [],
      },
    ];
    const store = new CatalogStore(new MemoryKv());
    const html = { current: fixture("jira-software-board.html") };
    const loadDocument = async () => ({
      ok: true as const,
      status: "loaded" as const,
      text: html.current,
      bytes: html.current.length,
    });
    const first = await runScrape({ sources, loadDocument, store });
    expect(first.products["jira-software"]).toMatchObject({ status: "published", endpoints: 3 });

    html.current = "<html><body><h1>Maintenance</h1></body></html>";
    const second = await runScrape({ sources, loadDocument, store });
    expect(second.products["jira-software"]).toMatchObject({ status: "failed", reason: "no_operations" });
    expect((await store.readManifest())!.products["jira-software"]!.endpoints).toBe(3);
  });
});

describe("crossCheck", () => {
  const page = parseReferencePage(fixture("jira-v3-myself.html"));

  it("finds nothing to say when the catalog agrees with the page", () => {
    const catalog = [
      endpoint(
        "GET",
        "/rest/api/3/myself",
        ["read:jira-user"],
        ["read:application-role:jira", "read:group:jira", "read:user:jira", "read:avatar:jira"],
      ),
      endpoint(
        "GET",
        "/rest/api/3/mypreferences/locale",
        ["manage:jira-configuration"],
        ["read:user-configuration:jira"],
      ),
    ];
    expect(crossCheck(catalog, page)).toEqual([]);
  });

  it("names the operation, what the page lists and what the catalog has", () => {
    const catalog = [
      endpoint("GET", "/rest/api/3/myself", ["read:jira-user"], ["read:user:jira"]),
      endpoint(
        "GET",
        "/rest/api/3/mypreferences/locale",
        ["manage:jira-configuration"],
        ["read:user-configuration:jira"],
      ),
    ];
    expect(crossCheck(catalog, page)).toEqual([
      "GET /rest/api/3/myself: the reference page lists granular read:application-role:jira + read:avatar:jira + read:group:jira + read:user:jira; the catalog has read:jira-user | read:user:jira",
    ]);
  });

  it("reports operations the catalog lacks", () => {
    expect(crossCheck([], page)).toEqual([
      "GET /rest/api/3/mypreferences/locale is on the reference page but not in the catalog",
      "GET /rest/api/3/myself is on the reference page but not in the catalog",
    ]);
  });

  it("accepts a truncated list that is part of a catalog set, and a page path without the server prefix", () => {
    const truncated = parseReferencePage(fixture("jira-v3-issue-comments.html")).filter(
      (operation) => operation.path === "/rest/api/3/comment/list",
    );
    expect(truncated[0]!.truncated).toBe(true);
    const catalog = [
      endpoint(
        "POST",
        "/rest/api/3/comment/list",
        ["read:jira-work"],
        ["delete:comment.property:jira", "read:avatar:jira", "read:comment:jira", "read:user:jira"],
      ),
    ];
    expect(crossCheck(catalog, truncated)).toEqual([]);

    const tasks = parseReferencePage(fixture("confluence-v2-task.html"));
    const confluence = [
      endpoint("GET", "/wiki/api/v2/tasks", ["read:task:confluence"]),
      endpoint("GET", "/wiki/api/v2/tasks/{id}", ["read:task:confluence"]),
      endpoint("PUT", "/wiki/api/v2/tasks/{id}", ["write:task:confluence"]),
      endpoint("GET", "/wiki/api/v2/spaces/{id}/tasks", ["read:other:confluence"]),
    ];
    expect(crossCheck(confluence, tasks)).toEqual([]);
  });
});

describe("pages in a live run", () => {
  it("fills missing descriptions from a scopes page and reports cross-check disagreements as warnings", async () => {
    const doc = {
      openapi: "3.0.1",
      info: { title: "Jira", version: "1" },
      paths: {
        "/rest/api/3/myself": { get: { security: [{ OAuth2: ["read:jira-user"] }] } },
        "/rest/api/3/issue/{issueIdOrKey}": { get: { security: [{ OAuth2: ["read:jira-work"] }] } },
      },
    };
    const scopesPage = "https://developer.atlassian.com/cloud/jira/platform/scopes-for-oauth-2-3LO-and-forge-apps/";
    const referencePage = "https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-myself/";
    const sources: ProductSource[] = [
      {
        product: "jira",
        title: "Jira",
        documents: [
          {
            id: "jira",
            url: "https://dac-static.atlassian.com/j.json",
            file: "",
            docsBase: "https://developer.atlassian.com/j/",
          },
        ],
        scopePages: [scopesPage, "https://developer.atlassian.com/missing/"],
        crossCheckPages: [referencePage],
        canaries: [],
      },
    ];
    const pages: Record<string, string> = {
      [scopesPage]: fixture("jira-platform-scopes.html"),
      [referencePage]: fixture("jira-v3-myself.html"),
    };
    const store = new CatalogStore(new MemoryKv());
    const report = await runScrape({
      sources,
      store,
      loadDocument: async () => ({ ok: true, status: "loaded", text: JSON.stringify(doc), bytes: 1 }),
      loadPage: async (url) =>
        pages[url] ? { ok: true, text: pages[url] } : { ok: false, message: "HTTP 404 Not Found" },
    });
    expect(report.products.jira?.status).toBe("published");
    expect(report.products.jira?.warnings).toEqual([
      "scope page https://developer.atlassian.com/missing/: HTTP 404 Not Found",
      "cross-check: GET /rest/api/3/mypreferences/locale is on the reference page but not in the catalog",
      "cross-check: GET /rest/api/3/myself: the reference page lists granular read:application-role:jira + read:avatar:jira + read:group:jira + read:user:jira; the catalog has read:jira-user",
    ]);
    const shard = (await store.readShard((await store.readManifest())!.products.jira!.key))!;
    expect(shard.scopes.find((scope) => scope.name === "read:jira-work")).toMatchObject({
      descriptionSource: "page",
      description:
        "Read Jira project and issue data, search for issues, and objects associated with issues like attachments and worklogs.",
    });
  });
});
