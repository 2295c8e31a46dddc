/**
 * The catalog built from the real documents in ../shared/atlassian-docs (skipped when absent):
 * every operation is there with the alternatives its document states, and the traps in NOTES.md hold.
 */
import { beforeAll, expect, it } from "vitest";
import type { Endpoint, Manifest, Product, ProductShard, ScopeRecord } from "../../src/catalog/schema";
import { CatalogStore } from "../../src/storage/catalog-store";
import { runScrape } from "../../scraper/run";
import { SOURCES } from "../../scraper/sources";
import { MemoryKv } from "../helpers/memory-kv";
import { describeShared, readShared } from "../helpers/shared-docs";

const HTTP = ["get", "put", "post", "delete", "patch", "head", "options", "trace"];
// Written out by hand rather than derived, so the server-prefix logic is checked, not repeated.
const PREFIX: Record<string, string> = {
  "jira-platform.v3": "",
  "jira-platform.v2": "",
  "jira-software": "",
  "jira-service-management": "",
  "jsm-assets": "/jsm/assets/workspace/{workspaceId}/v1",
  "confluence.v2": "/wiki/api/v2",
  "confluence.v1": "",
  bitbucket: "/2.0",
};

type Json = Record<string, any>;

let manifest: Manifest;
const shards = new Map<Product, ProductShard>();
const byKey = new Map<string, Endpoint>();

function find(method: string, path: string): Endpoint {
  const endpoint = byKey.get(`${method} ${path}`);
  if (!endpoint) throw new Error(`no endpoint ${method} ${path}`);
  return endpoint;
}
const sets = (endpoint: Endpoint) => endpoint.alternatives.map((alternative) => alternative.scopes.join(" ")).sort();
function scope(name: string): ScopeRecord | undefined {
  for (const shard of shards.values()) {
    const found = shard.scopes.find((record) => record.name === name);
    if (found) return found;
  }
  return undefined;
}

describeShared("catalog from the shared Atlassian documents", () => {
  beforeAll(async () => {
    const kv = new MemoryKv();
    const store = new CatalogStore(kv);
    const report = await runScrape({
      sources: SOURCES,
      loadDocument: async (source) => {
        const text = readShared(source.file);
        return { ok: true, status: "loaded", text, bytes: text.length };
      },
      store,
    });
    expect(report.outcome).toBe("published");
    manifest = (await store.readManifest())!;
    for (const [product, pointer] of Object.entries(manifest.products)) {
      const shard = (await store.readShard(pointer.key))!;
      shards.set(product as Product, shard);
      for (const endpoint of shard.endpoints) {
        expect(
          byKey.has(`${endpoint.method} ${endpoint.path}`),
          `${endpoint.method} ${endpoint.path} in two products`,
        ).toBe(false);
        byKey.set(`${endpoint.method} ${endpoint.path}`, endpoint);
      }
    }
  });

  it("publishes every product", () => {
    expect(Object.keys(manifest.products).sort()).toEqual(SOURCES.map((source) => source.product).sort());
  });

  it("holds every operation of every document with exactly the alternatives the document states", () => {
    let checked = 0;
    const expectedByKey = new Map<string, Set<string>>();
    for (const source of SOURCES) {
      for (const document of source.documents) {
        const json = JSON.parse(readShared(document.file)) as Json;
        for (const [pathKey, item] of Object.entries(json.paths as Json)) {
          for (const method of HTTP) {
            const operation = (item as Json)[method] as Json | undefined;
            if (!operation) continue;
            const key = `${method.toUpperCase()} ${PREFIX[document.id]}${pathKey}`;
            const endpoint = byKey.get(key);
            expect(endpoint, `${document.id}: ${key}`).toBeDefined();
            expect(endpoint!.product).toBe(source.product);
            expect(endpoint!.documents).toContain(document.id);
            const expected = expectedByKey.get(key) ?? new Set<string>();
            for (const entry of operation["x-atlassian-oauth2-scopes"] ?? []) {
              if (entry.scopes.length > 0) expected.add([...new Set<string>(entry.scopes)].sort().join(" "));
            }
            for (const requirement of operation.security ?? []) {
              for (const [scheme, scopes] of Object.entries(requirement as Json)) {
                if (/oauth/i.test(scheme) && (scopes as string[]).length > 0)
                  expected.add([...(scopes as string[])].sort().join(" "));
              }
            }
            expectedByKey.set(key, expected);
            checked++;
          }
        }
      }
    }
    for (const [key, expected] of expectedByKey) {
      expect(sets(byKey.get(key)!), key).toEqual([...expected].sort());
    }
    // Jira v2 and v3 share 13 operations, stored once.
    expect(checked).toBe(616 + 523 + 105 + 72 + 54 + 218 + 130 + 331);
    expect(byKey.size).toBe(checked - 13);
  });

  it("stores an endpoint published by Jira v2 and v3 once, naming both documents", () => {
    const shared = [...byKey.values()].filter((endpoint) => endpoint.documents.length > 1);
    expect(shared).toHaveLength(13);
    for (const endpoint of shared) {
      expect(endpoint.path).toMatch(/^\/rest\/(atlassian-connect|forge|internal)\//);
      expect(endpoint.documents).toEqual(["jira-platform.v3", "jira-platform.v2"]);
    }
  });

  it("the mission case: the board needs read:board-scope:jira-software and read:project:jira, no classic set", () => {
    const board = find("GET", "/rest/agile/1.0/board");
    expect(board.alternatives).toEqual([
      {
        kind: "granular",
        state: "Current",
        scopes: ["read:board-scope:jira-software", "read:project:jira"],
        origins: ["security"],
      },
    ]);
    expect(board.connectScope).toBe("READ");
  });

  it("Jira issue: classic read:jira-work (Current) or the granular Beta set; anonymous allowed", () => {
    const issue = find("GET", "/rest/api/3/issue/{issueIdOrKey}");
    expect(issue.alternatives.map((alternative) => [alternative.kind, alternative.state])).toEqual([
      ["classic", "Current"],
      ["granular", "Beta"],
    ]);
    expect(issue.alternatives[0]!.scopes).toEqual(["read:jira-work"]);
    expect(issue.alternatives[0]!.origins.sort()).toEqual(["security", "x-atlassian-oauth2-scopes"]);
    expect(issue.alternatives[1]!.scopes).toHaveLength(9);
    expect(issue.anonymous).toBe(true);
    expect(issue.docsUrl).toBe(
      "https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issues/#api-rest-api-3-issue-issueidorkey-get",
    );
  });

  it("reads the 50 Jira v3 operations that publish scopes only in security", () => {
    const banner = find("GET", "/rest/api/3/announcementBanner");
    expect(banner.alternatives).toEqual([
      { kind: "classic", state: "Current", scopes: ["manage:jira-configuration"], origins: ["security"] },
    ]);
    const json = JSON.parse(readShared("jira-platform.v3.json")) as Json;
    let onlySecurity = 0;
    for (const [pathKey, item] of Object.entries(json.paths as Json)) {
      for (const method of HTTP) {
        const operation = (item as Json)[method] as Json | undefined;
        if (!operation || operation["x-atlassian-oauth2-scopes"]) continue;
        if (!(operation.security ?? []).some((requirement: Json) => (requirement.OAuth2 ?? []).length > 0)) continue;
        onlySecurity++;
        const endpoint = find(method.toUpperCase(), pathKey);
        expect(endpoint.hasScopes, pathKey).toBe(true);
        expect(endpoint.alternatives.every((alternative) => alternative.origins.includes("security"))).toBe(true);
      }
    }
    expect(onlySecurity).toBe(50);
  });

  it("keeps Beta-only and Current-only Jira operations, and flags empty scope lists", () => {
    expect(find("POST", "/rest/api/3/redact").alternatives).toEqual([
      { kind: "granular", state: "Beta", scopes: ["redact:issue:jira"], origins: ["x-atlassian-oauth2-scopes"] },
    ]);
    const migration = find("GET", "/rest/atlassian-connect/1/migration/{connectKey}/{jiraIssueFieldsKey}/task");
    expect(migration.alternatives).toEqual([
      { kind: "classic", state: "Current", scopes: ["read:jira-work"], origins: ["x-atlassian-oauth2-scopes"] },
    ]);
    expect(migration.emptyScopeList).toBe(true);
    const serverInfo = find("GET", "/rest/api/3/serverInfo");
    expect(serverInfo.hasScopes).toBe(false);
    expect(serverInfo.anonymous).toBe(true);
  });

  it("calls a set holding classic and granular scopes mixed (uiModifications)", () => {
    const mixed = [...byKey.values()].filter((endpoint) =>
      endpoint.alternatives.some((alternative) => alternative.kind === "mixed"),
    );
    expect(mixed.map((endpoint) => `${endpoint.method} ${endpoint.path}`).sort()).toEqual([
      "GET /rest/api/3/uiModifications",
      "POST /rest/api/3/uiModifications",
      "PUT /rest/api/3/uiModifications/{uiModificationId}",
    ]);
    for (const endpoint of mixed) {
      const alternative = endpoint.alternatives.find((candidate) => candidate.kind === "mixed")!;
      expect(alternative.state).toBe("Beta");
      expect(alternative.scopes).toContain("read:jira-work");
    }
  });

  it("decides kind from scope names, not state: Confluence v1 audit's Current set is granular", () => {
    const audit = find("GET", "/wiki/rest/api/audit");
    expect(
      audit.alternatives.some((alternative) => alternative.state === "Current" && alternative.kind === "granular"),
    ).toBe(true);
    expect(audit.alternatives.flatMap((alternative) => alternative.scopes)).toContain("read:audit-log:confluence");
  });

  it("gives Bitbucket both the OAuth-consumer and the API-token scopes, and its auth types", () => {
    const pullRequests = find("GET", "/2.0/repositories/{workspace}/{repo_slug}/pullrequests");
    expect(pullRequests.alternatives).toEqual([
      { kind: "classic", state: "Current", scopes: ["pullrequest"], origins: ["security"] },
      {
        kind: "granular",
        state: "Current",
        scopes: ["read:pullrequest:bitbucket"],
        origins: ["x-atlassian-oauth2-scopes"],
      },
    ]);
    expect(pullRequests.authTypes).toEqual(["forge-oauth2", "api-token"]);
    expect(pullRequests.docsUrl).toBe(
      "https://developer.atlassian.com/cloud/bitbucket/rest/api-group-pullrequests/#api-repositories-workspace-repo-slug-pullrequests-get",
    );
  });

  it("applies server prefixes: Confluence v2, Assets and Bitbucket paths are full request paths", () => {
    expect(find("GET", "/wiki/api/v2/pages/{id}").alternatives[0]!.scopes).toEqual(["read:page:confluence"]);
    expect(find("GET", "/jsm/assets/workspace/{workspaceId}/v1/object/{id}").alternatives[0]!.scopes).toEqual([
      "read:cmdb-object:jira",
    ]);
    for (const endpoint of shards.get("bitbucket")!.endpoints) expect(endpoint.path.startsWith("/2.0/")).toBe(true);
  });

  it("keeps operations without scope information, flagged", () => {
    const unscoped = (product: Product) =>
      shards.get(product)!.endpoints.filter((endpoint) => !endpoint.hasScopes).length;
    // Counts from PROVENANCE.md's "none" column; Jira v3's 10 include 3 shared with v2.
    expect(unscoped("jira-software")).toBe(21);
    expect(unscoped("jira-service-management")).toBe(1);
    expect(unscoped("assets")).toBe(3);
    expect(unscoped("bitbucket")).toBe(14);
    expect(unscoped("confluence")).toBe(6);
    expect(find("GET", "/rest/servicedeskapi/info").hasScopes).toBe(false);
    expect(find("GET", "/jsm/assets/workspace/{workspaceId}/v1/aql/objects").hasScopes).toBe(false);
    expect(find("PUT", "/rest/api/3/mypreferences/locale").hasScopes).toBe(false);
  });

  it("Jira Software has no classic scopes at all", () => {
    const kinds = new Set(
      shards
        .get("jira-software")!
        .endpoints.flatMap((endpoint) => endpoint.alternatives.map((alternative) => alternative.kind)),
    );
    expect([...kinds]).toEqual(["granular"]);
  });

  it("counts anonymous operations as the documents mark them", () => {
    const anonymous = (document: string) =>
      [...byKey.values()].filter((endpoint) => endpoint.anonymous && endpoint.documents.includes(document)).length;
    expect(anonymous("jira-platform.v3")).toBe(237);
    expect(anonymous("jira-software")).toBe(8);
    expect(anonymous("jira-service-management")).toBe(4);
  });

  it("records connect scopes on every Jira, JSW, JSM and Confluence operation, and none on Bitbucket and Assets", () => {
    for (const product of ["jira", "jira-software", "jira-service-management", "confluence"] as const) {
      expect(
        shards.get(product)!.endpoints.every((endpoint) => endpoint.connectScope),
        product,
      ).toBe(true);
    }
    for (const product of ["bitbucket", "assets"] as const) {
      expect(
        shards.get(product)!.endpoints.some((endpoint) => endpoint.connectScope),
        product,
      ).toBe(false);
    }
  });

  it("lists scopes the dictionaries omit, with kind, product and a description where one exists", () => {
    expect(scope("read:epic:jira-software")).toMatchObject({ kind: "granular", product: "jira-software" });
    expect(scope("read:jira-work")).toMatchObject({ kind: "classic", product: "jira", descriptionSource: "document" });
    expect(scope("pullrequest:write")).toMatchObject({ kind: "classic", product: "bitbucket" });
    expect(scope("import:import-configuration:cmdb")).toMatchObject({ kind: "granular", product: "assets" });
    // Bitbucket's token scopes are described only in its narrative; JSW's read:project:jira only in Jira's dictionary.
    expect(scope("read:pullrequest:bitbucket")).toMatchObject({ descriptionSource: "narrative" });
    expect(scope("read:pullrequest:bitbucket")!.description).toMatch(/^Allows viewing of pull requests/);
    const projectInJsw = shards.get("jira-software")!.scopes.find((record) => record.name === "read:project:jira");
    expect(projectInJsw).toMatchObject({ descriptionSource: "other-document" });
    expect(projectInJsw!.description).toBeTruthy();
  });

  it("marks experimental and deprecated operations and announced removals", () => {
    const search = find("GET", "/rest/api/3/search");
    expect(search.lifecycle?.[0]).toMatchObject({ type: "removed", effective: "2025-05-01" });
    expect(shards.get("confluence")!.endpoints.filter((endpoint) => endpoint.experimental).length).toBe(7 + 13);
  });
});
