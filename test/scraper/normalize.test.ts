/**
 * normalize: scope kinds and products from names, full request paths, docs links, alternatives built
 * from the extension and `security` together, endpoints merged across documents, scope records.
 */
import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Alternative, Endpoint, Product } from "../../src/catalog/schema";
import {
  skippedNotices,
  alternativeKind,
  buildAlternatives,
  contentHash,
  docsGroup,
  docsUrl,
  fillDescriptions,
  fullPath,
  normalizeProduct,
  scopeKind,
  scopeProduct,
  sortAlternatives,
  type NormalizedProduct,
  type ParsedSource,
} from "../../scraper/normalize";
import { parseOpenApiText, type RawDocument, type RawOperation } from "../../scraper/parse/openapi";
import type { DocumentSource } from "../../scraper/sources";

const DAC = "https://developer.atlassian.com";
const X = "x-atlassian-oauth2-scopes" as const;

function parseText(text: string): RawDocument {
  const result = parseOpenApiText(text);
  if (!result.ok) throw new Error(`${result.reason}: ${result.message}`);
  return result.document;
}
const fixture = (name: string): RawDocument =>
  parseText(readFileSync(new URL(`../fixtures/openapi/${name}`, import.meta.url), "utf8"));

function source(id: string, docsBase: string): DocumentSource {
  return { id, url: `https://dac-static.atlassian.com/${id}.json`, file: `${id}.json`, docsBase };
}

const CONFLUENCE_V2 = source("confluence.v2", `${DAC}/cloud/confluence/rest/v2/`);
const JIRA_V3 = source("jira-platform.v3", `${DAC}/cloud/jira/platform/rest/v3/`);
const JIRA_V2 = source("jira-platform.v2", `${DAC}/cloud/jira/platform/rest/v2/`);
const BITBUCKET = source("bitbucket", `${DAC}/cloud/bitbucket/rest/`);

const traps = (): ParsedSource => ({ source: CONFLUENCE_V2, document: fixture("openapi3-traps.json") });
const swagger2 = (): ParsedSource => ({ source: JIRA_V2, document: fixture("swagger2.json") });
const bitbucket = (): ParsedSource => ({ source: BITBUCKET, document: fixture("bitbucket.json") });

/** A second Jira document publishing two of swagger2.json's operations under a scheme-relative server. */
const JIRA_V3_LIKE = JSON.stringify({
  openapi: "3.0.1",
  info: { title: "Jira v3-like", version: "1" },
  servers: [{ url: "//your-domain.atlassian.net" }],
  components: {
    securitySchemes: {
      OAuth2: {
        type: "oauth2",
        flows: { authorizationCode: { scopes: { "read:jira-work": "", "read:status:jira": "Read statuses." } } },
      },
    },
  },
  paths: {
    "/rest/api/2/issue/{issueIdOrKey}": {
      get: {
        tags: ["Issues"],
        operationId: "getIssue",
        summary: "Get issue (v3 wording)",
        security: [{ basicAuth: [] }, {}],
        "x-atlassian-oauth2-scopes": [
          { scheme: "OAuth2", state: "Current", scopes: ["read:jira-work"] },
          { scheme: "OAuth2", state: "Beta", scopes: ["read:status:jira", "read:issue:jira"] },
        ],
      },
      put: {
        operationId: "editIssue",
        security: [{ OAuth2: [] }],
        "x-atlassian-oauth2-scopes": [{ scheme: "OAuth2", state: "Current", scopes: ["write:jira-work"] }],
      },
    },
  },
});
const jiraV3Like = (): ParsedSource => ({ source: JIRA_V3, document: parseText(JIRA_V3_LIKE) });

function rawOperation(overrides: Partial<RawOperation>): RawOperation {
  return {
    method: "GET",
    pathKey: "/x",
    tags: [],
    deprecated: false,
    experimental: false,
    extensionScopes: [],
    securityScopes: [],
    anonymous: false,
    ...overrides,
  };
}

function find(endpoints: readonly Endpoint[], method: string, path: string): Endpoint {
  const found = endpoints.find((endpoint) => endpoint.method === method && endpoint.path === path);
  if (!found) throw new Error(`no endpoint ${method} ${path}`);
  return found;
}

describe("scopeKind", () => {
  it.each([
    { given: "read:jira-work", want: "classic" },
    { given: "manage:jira-configuration", want: "classic" },
    { given: "read:servicedesk-request", want: "classic" },
    { given: "read:confluence-content.all", want: "classic" },
    { given: "search:confluence", want: "classic" },
    { given: "pullrequest", want: "classic" },
    { given: "pullrequest:write", want: "classic" },
    { given: "pipeline:variable", want: "classic" },
    { given: "offline_access", want: "classic" },
    { given: "read:board-scope.admin:jira-software", want: "granular" },
    { given: "import:import-configuration:cmdb", want: "granular" },
    { given: "read:request:jira-service-management", want: "granular" },
    { given: "read:pullrequest:bitbucket", want: "granular" },
    { given: "read:issue.changelog:jira", want: "granular" },
  ])("$given is $want", ({ given, want }) => {
    expect(scopeKind(given)).toBe(want);
  });
});

describe("alternativeKind", () => {
  it.each([
    { given: ["read:jira-work"], want: "classic" },
    { given: ["pullrequest", "pullrequest:write"], want: "classic" },
    { given: ["read:issue:jira", "read:user:jira"], want: "granular" },
    { given: ["read:board-scope:jira-software", "read:project:jira"], want: "granular" },
    { given: ["read:app-data:jira", "read:jira-work"], want: "mixed" },
    { given: ["repository", "read:repository:bitbucket"], want: "mixed" },
    { given: ["read:repository:bitbucket", "repository", "read:user:jira"], want: "mixed" },
    { given: [], want: "classic" },
  ])("$given is $want", ({ given, want }) => {
    expect(alternativeKind(given)).toBe(want);
  });
});

describe("scopeProduct", () => {
  it.each<{ given: { scope: string; usedBy: Product }; want: string }>([
    { given: { scope: "import:import-configuration:cmdb", usedBy: "jira" }, want: "assets" },
    { given: { scope: "read:cmdb-object:cmdb", usedBy: "assets" }, want: "assets" },
    { given: { scope: "read:servicedesk-request", usedBy: "jira" }, want: "jira-service-management" },
    {
      given: { scope: "manage:servicedesk-customer", usedBy: "jira-service-management" },
      want: "jira-service-management",
    },
    { given: { scope: "repository", usedBy: "bitbucket" }, want: "bitbucket" },
    { given: { scope: "pullrequest:write", usedBy: "bitbucket" }, want: "bitbucket" },
    { given: { scope: "read:jira-work", usedBy: "jira-software" }, want: "jira" },
    { given: { scope: "read:confluence-content.all", usedBy: "jira" }, want: "confluence" },
    { given: { scope: "read:board-scope.admin:jira-software", usedBy: "jira" }, want: "jira-software" },
    { given: { scope: "read:project:jira", usedBy: "jira-software" }, want: "jira" },
    { given: { scope: "read:request:jira-service-management", usedBy: "jira" }, want: "jira-service-management" },
    { given: { scope: "read:pullrequest:bitbucket", usedBy: "jira" }, want: "bitbucket" },
    { given: { scope: "offline_access", usedBy: "confluence" }, want: "confluence" },
  ])("$given.scope used by $given.usedBy belongs to $want", ({ given, want }) => {
    expect(scopeProduct(given.scope, given.usedBy)).toBe(want);
  });
});

describe("fullPath", () => {
  it.each([
    { given: { prefix: "", pathKey: "/rest/api/3/issue/{issueIdOrKey}" }, want: "/rest/api/3/issue/{issueIdOrKey}" },
    { given: { prefix: "/wiki/api/v2", pathKey: "/pages/{id}" }, want: "/wiki/api/v2/pages/{id}" },
    { given: { prefix: "/2.0", pathKey: "/repositories/{workspace}" }, want: "/2.0/repositories/{workspace}" },
    { given: { prefix: "/2.0/", pathKey: "/user" }, want: "/2.0/user" },
    { given: { prefix: "/2.0", pathKey: "user" }, want: "/2.0/user" },
    { given: { prefix: "/rest/api/2", pathKey: "//issue//{issueIdOrKey}" }, want: "/rest/api/2/issue/{issueIdOrKey}" },
    { given: { prefix: "/rest/api/2", pathKey: "/issue/" }, want: "/rest/api/2/issue" },
    { given: { prefix: "/2.0", pathKey: "/" }, want: "/2.0" },
    { given: { prefix: "", pathKey: "/" }, want: "/" },
    { given: { prefix: "", pathKey: "" }, want: "/" },
    { given: { prefix: "", pathKey: "user" }, want: "/user" },
    { given: { prefix: "/2.0/", pathKey: "/" }, want: "/2.0" },
    { given: { prefix: "//", pathKey: "a//" }, want: "/a" },
  ])("'$given.prefix' + '$given.pathKey' is $want", ({ given, want }) => {
    expect(fullPath(given.prefix, given.pathKey)).toBe(want);
  });
});

describe("docsUrl", () => {
  it.each([
    {
      given: { tags: ["Issue comments"], pathKey: "/rest/api/3/issue/{issueIdOrKey}/comment", method: "GET" as const },
      want: `${DAC}/cloud/jira/platform/rest/v3/api-group-issue-comments/#api-rest-api-3-issue-issueidorkey-comment-get`,
    },
    {
      given: { tags: ["Issues", "Other"], pathKey: "/rest/api/3/issue", method: "POST" as const },
      want: `${DAC}/cloud/jira/platform/rest/v3/api-group-issues/#api-rest-api-3-issue-post`,
    },
    {
      given: { tags: [], pathKey: "/rest/api/3/issue/{issueIdOrKey}/comment", method: "DELETE" as const },
      want: `${DAC}/cloud/jira/platform/rest/v3/#api-rest-api-3-issue-issueidorkey-comment-delete`,
    },
    {
      given: { tags: ["Server info"], pathKey: "/rest/api/3/serverInfo", method: "GET" as const },
      want: `${DAC}/cloud/jira/platform/rest/v3/api-group-server-info/#api-rest-api-3-serverinfo-get`,
    },
  ])("$given.method $given.pathKey with tags $given.tags links to $want", ({ given, want }) => {
    expect(docsUrl(JIRA_V3, rawOperation(given))).toBe(want);
  });

  it.each([
    { given: "Issue comments", want: "api-group-issue-comments/" },
    { given: " -Server  info!- ", want: "api-group-server-info/" },
    { given: "ÉLAN / Über", want: "api-group-lan-ber/" },
    { given: "---", want: "api-group-/" },
    { given: "", want: "" },
    { given: undefined, want: "" },
  ])("the group page of tag '$given' is '$want'", ({ given, want }) => {
    expect(docsGroup(given)).toBe(want);
  });

  it("slugs as the global replace it replaced did: lower-cased, runs of anything but [a-z0-9] one dash, none at the ends", () => {
    const replaced = (text: string): string => {
      const dashed = text.toLowerCase().replace(/[^a-z0-9]+/g, "-");
      const start = dashed.startsWith("-") ? 1 : 0;
      const end = dashed.length > start && dashed.endsWith("-") ? dashed.length - 1 : dashed.length;
      return dashed.slice(start, end);
    };
    const piece = fc.constantFrom(
      "/",
      "{",
      "}",
      "-",
      "_",
      " ",
      ".",
      "a",
      "Z",
      "0",
      "9",
      "é",
      "İ",
      "ß",
      "\u{1F600}",
      "rest",
      "API",
    );
    const text = fc.oneof(
      fc.string({ unit: "grapheme", maxLength: 30 }),
      fc.array(piece, { maxLength: 20 }).map((parts) => parts.join("")),
    );
    fc.assert(
      fc.property(
        text.filter((given) => given !== ""),
        (given) => {
          expect(docsGroup(given)).toBe(`api-group-${replaced(given)}/`);
        },
      ),
      { seed: 20261207, numRuns: 3000 },
    );
  });

  it("takes the group page it is given, as normalizeProduct does once per tag", () => {
    const operation = rawOperation({ tags: ["Issues"], pathKey: "/-/rest//api/3/issue/", method: "GET" });
    expect(docsUrl(JIRA_V3, operation, docsGroup("Issues"))).toBe(docsUrl(JIRA_V3, operation));
    expect(docsUrl(JIRA_V3, operation)).toBe(
      `${DAC}/cloud/jira/platform/rest/v3/api-group-issues/#api-rest-api-3-issue-get`,
    );
  });
});

describe("buildAlternatives", () => {
  it("merges the Current extension set and the identical `security` set into one alternative with both origins", () => {
    const operation = rawOperation({
      extensionScopes: [
        { state: "Current", scopes: ["read:jira-work"] },
        { state: "Beta", scopes: ["read:user:jira", "read:issue:jira"] },
      ],
      securityScopes: [["read:jira-work"]],
    });
    expect(buildAlternatives(operation)).toEqual([
      { kind: "classic", state: "Current", scopes: ["read:jira-work"], origins: [X, "security"] },
      { kind: "granular", state: "Beta", scopes: ["read:issue:jira", "read:user:jira"], origins: [X] },
    ]);
  });

  it("drops duplicated scopes, sorts each set and treats sets differing only in order as one", () => {
    const operation = rawOperation({
      extensionScopes: [
        { state: "Current", scopes: ["write:page:confluence", "read:page:confluence", "write:page:confluence"] },
      ],
      securityScopes: [["read:page:confluence", "write:page:confluence"]],
    });
    expect(buildAlternatives(operation)).toEqual([
      {
        kind: "granular",
        state: "Current",
        scopes: ["read:page:confluence", "write:page:confluence"],
        origins: [X, "security"],
      },
    ]);
  });

  it("never produces an empty alternative from an empty scope list", () => {
    const operation = rawOperation({ extensionScopes: [{ state: "Current", scopes: [] }], securityScopes: [[]] });
    expect(buildAlternatives(operation)).toEqual([]);
  });

  it("treats a set listed unsorted, with a repeat, like the same set sorted", () => {
    const operation = rawOperation({
      extensionScopes: [{ state: "Beta", scopes: ["read:b:jira", "read:a:jira", "read:b:jira"] }],
      securityScopes: [
        ["read:a:jira", "read:b:jira"],
        ["read:b:jira", "read:b:jira"],
      ],
    });
    expect(buildAlternatives(operation)).toEqual([
      { kind: "granular", state: "Current", scopes: ["read:b:jira"], origins: ["security"] },
      { kind: "granular", state: "Beta", scopes: ["read:a:jira", "read:b:jira"], origins: [X, "security"] },
    ]);
  });

  it("never shares a scope list with the operation it was built from", () => {
    const scopes = ["read:a:jira", "read:b:jira"];
    const [alternative] = buildAlternatives(rawOperation({ securityScopes: [scopes] }));
    expect(alternative!.scopes).toEqual(scopes);
    expect(alternative!.scopes).not.toBe(scopes);
  });

  it("gives `security` sets the state Current", () => {
    expect(
      buildAlternatives(rawOperation({ securityScopes: [["read:board-scope:jira-software", "read:project:jira"]] })),
    ).toEqual([
      {
        kind: "granular",
        state: "Current",
        scopes: ["read:board-scope:jira-software", "read:project:jira"],
        origins: ["security"],
      },
    ]);
  });
});

describe("sortAlternatives", () => {
  const alt = (kind: Alternative["kind"], state: string, ...scopes: string[]): Alternative => ({
    kind,
    state,
    scopes,
    origins: [X],
  });

  it("orders classic, granular, mixed; then Current, Beta, Deprecated, other states; then by scopes", () => {
    const given = [
      alt("mixed", "Current", "read:app-data:jira", "read:jira-work"),
      alt("granular", "Experimental", "read:a:jira"),
      alt("granular", "Deprecated", "read:b:jira"),
      alt("granular", "Beta", "read:z:jira"),
      alt("granular", "Beta", "read:c:jira"),
      alt("granular", "Current", "read:y:jira"),
      alt("classic", "Beta", "read:jira-user"),
      alt("classic", "Current", "write:jira-work"),
      alt("classic", "Current", "read:jira-work"),
    ];
    expect(sortAlternatives(given).map((a) => `${a.kind} ${a.state} ${a.scopes.join(" ")}`)).toEqual([
      "classic Current read:jira-work",
      "classic Current write:jira-work",
      "classic Beta read:jira-user",
      "granular Current read:y:jira",
      "granular Beta read:c:jira",
      "granular Beta read:z:jira",
      "granular Deprecated read:b:jira",
      "granular Experimental read:a:jira",
      "mixed Current read:app-data:jira read:jira-work",
    ]);
  });

  it("leaves alternatives already in order, ties included, as they are", () => {
    const given = [
      alt("classic", "Current", "read:jira-work"),
      alt("classic", "Current", "read:jira-work"),
      alt("granular", "Beta", "read:a:jira"),
    ];
    const [first, second, third] = given;
    const sorted = sortAlternatives(given);
    expect(sorted).toBe(given);
    expect(sorted[0]).toBe(first);
    expect(sorted[1]).toBe(second);
    expect(sorted[2]).toBe(third);
  });

  it("sorts in place when one pair is out of order", () => {
    const given = [alt("granular", "Current", "read:a:jira"), alt("classic", "Current", "read:jira-work")];
    expect(sortAlternatives(given)).toBe(given);
    expect(given.map((a) => a.kind)).toEqual(["classic", "granular"]);
  });
});

describe("normalizeProduct on the OpenAPI 3 traps fixture", () => {
  const { endpoints, scopes } = normalizeProduct("confluence", [traps()]);
  const base = `${DAC}/cloud/confluence/rest/v2/`;

  it("produces every operation once, sorted by path then method, with the server prefix applied", () => {
    expect(endpoints.map((endpoint) => `${endpoint.method} ${endpoint.path}`)).toEqual([
      "GET /wiki/api/v2/admin-key",
      "GET /wiki/api/v2/audit",
      "GET /wiki/api/v2/empty-scopes",
      "GET /wiki/api/v2/migration/{connectKey}/task",
      "POST /wiki/api/v2/pages",
      "GET /wiki/api/v2/pages/{id}",
      "PUT /wiki/api/v2/pages/{id}",
      "DELETE /wiki/api/v2/pages/{id}",
      "GET /wiki/api/v2/public/info",
      "POST /wiki/api/v2/redact",
      "GET /wiki/api/v2/spaces",
      "GET /wiki/api/v2/ui-modifications",
    ]);
  });

  it.each<{
    method: string;
    path: string;
    want: Pick<Endpoint, "alternatives" | "hasScopes" | "emptyScopeList" | "anonymous">;
  }>([
    {
      method: "GET",
      path: "/wiki/api/v2/pages/{id}",
      want: {
        alternatives: [
          { kind: "classic", state: "Current", scopes: ["read:jira-work"], origins: [X, "security"] },
          {
            kind: "granular",
            state: "Beta",
            scopes: ["read:content.metadata:confluence", "read:page:confluence"],
            origins: [X],
          },
        ],
        hasScopes: true,
        emptyScopeList: false,
        anonymous: false,
      },
    },
    {
      method: "PUT",
      path: "/wiki/api/v2/pages/{id}",
      want: {
        alternatives: [
          { kind: "granular", state: "Current", scopes: ["write:page:confluence"], origins: ["security"] },
        ],
        hasScopes: true,
        emptyScopeList: false,
        anonymous: false,
      },
    },
    {
      method: "DELETE",
      path: "/wiki/api/v2/pages/{id}",
      want: {
        alternatives: [
          { kind: "classic", state: "Deprecated", scopes: ["write:confluence-content"], origins: [X] },
          { kind: "granular", state: "Current", scopes: ["delete:page:confluence"], origins: [X, "security"] },
        ],
        hasScopes: true,
        emptyScopeList: false,
        anonymous: false,
      },
    },
    {
      method: "POST",
      path: "/wiki/api/v2/pages",
      want: {
        alternatives: [
          {
            kind: "granular",
            state: "Current",
            scopes: ["read:page:confluence", "write:page:confluence"],
            origins: [X, "security"],
          },
        ],
        hasScopes: true,
        emptyScopeList: false,
        anonymous: false,
      },
    },
    {
      method: "POST",
      path: "/wiki/api/v2/redact",
      want: {
        alternatives: [{ kind: "granular", state: "Beta", scopes: ["redact:issue:jira"], origins: [X] }],
        hasScopes: true,
        emptyScopeList: false,
        anonymous: false,
      },
    },
    {
      method: "GET",
      path: "/wiki/api/v2/migration/{connectKey}/task",
      want: {
        alternatives: [{ kind: "classic", state: "Current", scopes: ["read:jira-work"], origins: [X] }],
        hasScopes: true,
        emptyScopeList: true,
        anonymous: false,
      },
    },
    {
      method: "GET",
      path: "/wiki/api/v2/empty-scopes",
      want: { alternatives: [], hasScopes: false, emptyScopeList: true, anonymous: false },
    },
    {
      method: "GET",
      path: "/wiki/api/v2/ui-modifications",
      want: {
        alternatives: [
          { kind: "classic", state: "Current", scopes: ["read:jira-work"], origins: [X, "security"] },
          { kind: "mixed", state: "Beta", scopes: ["read:app-data:jira", "read:jira-work"], origins: [X] },
        ],
        hasScopes: true,
        emptyScopeList: false,
        anonymous: false,
      },
    },
    {
      method: "GET",
      path: "/wiki/api/v2/audit",
      want: {
        alternatives: [
          { kind: "granular", state: "Current", scopes: ["read:audit-log:confluence"], origins: [X, "security"] },
        ],
        hasScopes: true,
        emptyScopeList: false,
        anonymous: false,
      },
    },
    {
      method: "GET",
      path: "/wiki/api/v2/spaces",
      want: {
        alternatives: [
          { kind: "granular", state: "Current", scopes: ["read:space:confluence"], origins: [X, "security"] },
        ],
        hasScopes: true,
        emptyScopeList: false,
        anonymous: true,
      },
    },
    {
      method: "GET",
      path: "/wiki/api/v2/public/info",
      want: { alternatives: [], hasScopes: false, emptyScopeList: false, anonymous: true },
    },
    {
      method: "GET",
      path: "/wiki/api/v2/admin-key",
      want: { alternatives: [], hasScopes: false, emptyScopeList: false, anonymous: false },
    },
  ])("$method $path has the expected alternatives and flags", ({ method, path, want }) => {
    const endpoint = find(endpoints, method, path);
    expect({
      alternatives: endpoint.alternatives,
      hasScopes: endpoint.hasScopes,
      emptyScopeList: endpoint.emptyScopeList,
      anonymous: endpoint.anonymous,
    }).toEqual(want);
  });

  it("builds the complete record of the Current + Beta operation", () => {
    expect(find(endpoints, "GET", "/wiki/api/v2/pages/{id}")).toEqual({
      product: "confluence",
      method: "GET",
      path: "/wiki/api/v2/pages/{id}",
      operationId: "getPageById",
      summary: "Get page by id",
      docsUrl: `${base}api-group-page/#api-pages-id-get`,
      deprecated: false,
      experimental: false,
      alternatives: [
        { kind: "classic", state: "Current", scopes: ["read:jira-work"], origins: [X, "security"] },
        {
          kind: "granular",
          state: "Beta",
          scopes: ["read:content.metadata:confluence", "read:page:confluence"],
          origins: [X],
        },
      ],
      hasScopes: true,
      emptyScopeList: false,
      anonymous: false,
      connectScope: "READ",
      authTypes: undefined,
      lifecycle: undefined,
      documents: ["confluence.v2"],
    });
  });

  it("carries deprecated, lifecycle, experimental, auth types and connect scope onto the endpoints", () => {
    const deleted = find(endpoints, "DELETE", "/wiki/api/v2/pages/{id}");
    expect(deleted.deprecated).toBe(true);
    expect(deleted.lifecycle).toEqual([
      { type: "removed", announced: "2024-01-15", effective: "2024-07-15", details: "Use the purge endpoint instead." },
      { type: "unknown", announced: "2024-02-01" },
    ]);
    const created = find(endpoints, "POST", "/wiki/api/v2/pages");
    expect([created.experimental, created.authTypes, created.connectScope]).toEqual([
      true,
      ["forge-oauth2", "api-token"],
      "WRITE",
    ]);
    expect(find(endpoints, "PUT", "/wiki/api/v2/pages/{id}").docsUrl).toBe(`${base}#api-pages-id-put`);
    expect(find(endpoints, "GET", "/wiki/api/v2/spaces").docsUrl).toBe(`${base}api-group-space/#api-spaces-get`);
  });

  it("keeps operations that publish no scopes, flagged hasScopes false", () => {
    expect(endpoints.filter((endpoint) => !endpoint.hasScopes).map((endpoint) => endpoint.path)).toEqual([
      "/wiki/api/v2/admin-key",
      "/wiki/api/v2/empty-scopes",
      "/wiki/api/v2/public/info",
    ]);
  });

  it("lists every used and declared scope with kind, product, description, its source and whether it is unused", () => {
    expect(scopes).toEqual([
      { name: "delete:page:confluence", kind: "granular", product: "confluence", unused: false },
      {
        name: "manage:jira-configuration",
        kind: "classic",
        product: "jira",
        description: "Manage Jira configuration.",
        descriptionSource: "document",
        unused: true,
      },
      { name: "read:app-data:jira", kind: "granular", product: "jira", unused: false },
      // Used, but missing from the scheme dictionary and with an empty narrative section.
      { name: "read:audit-log:confluence", kind: "granular", product: "confluence", unused: false },
      { name: "read:content.metadata:confluence", kind: "granular", product: "confluence", unused: false },
      {
        name: "read:jira-work",
        kind: "classic",
        product: "jira",
        description: "Read Jira project and issue data.",
        descriptionSource: "document",
        unused: false,
      },
      {
        name: "read:page:confluence",
        kind: "granular",
        product: "confluence",
        description: "Read page content & metadata via GET /pages.",
        descriptionSource: "document",
        unused: false,
      },
      // Declared with an empty description: the narrative fills it.
      {
        name: "read:space:confluence",
        kind: "granular",
        product: "confluence",
        description: "Read spaces, their properties and settings.",
        descriptionSource: "narrative",
        unused: false,
      },
      { name: "redact:issue:jira", kind: "granular", product: "jira", unused: false },
      { name: "write:confluence-content", kind: "classic", product: "confluence", unused: false },
      {
        name: "write:page:confluence",
        kind: "granular",
        product: "confluence",
        description: "Create and update pages.",
        descriptionSource: "document",
        unused: false,
      },
      // The dictionary wins over the narrative.
      {
        name: "write:space:confluence",
        kind: "granular",
        product: "confluence",
        description: "Create and update spaces.",
        descriptionSource: "document",
        unused: true,
      },
    ]);
  });
});

describe("normalizeProduct on the Bitbucket-like fixture", () => {
  const { endpoints, scopes } = normalizeProduct("bitbucket", [bitbucket()]);

  it("gives the pull request listing two alternatives: classic from `security`, granular from the extension", () => {
    const listing = find(endpoints, "GET", "/2.0/repositories/{workspace}/{repo_slug}/pullrequests");
    expect(listing.alternatives).toEqual([
      { kind: "classic", state: "Current", scopes: ["pullrequest"], origins: ["security"] },
      { kind: "granular", state: "Current", scopes: ["read:pullrequest:bitbucket"], origins: [X] },
    ]);
    expect(listing.docsUrl).toBe(
      `${DAC}/cloud/bitbucket/rest/api-group-pullrequests/#api-repositories-workspace-repo-slug-pullrequests-get`,
    );
    expect(listing.authTypes).toEqual(["forge-oauth2", "api-token"]);
  });

  it("keeps the operation without any security, flagged", () => {
    const hooks = find(endpoints, "GET", "/2.0/hook_events");
    expect([hooks.hasScopes, hooks.emptyScopeList, hooks.anonymous, hooks.alternatives]).toEqual([
      false,
      false,
      false,
      [],
    ]);
  });

  it("attributes classic Bitbucket scopes to bitbucket and takes descriptions from the dictionary, then the narrative", () => {
    expect(scopes).toEqual([
      {
        name: "pullrequest",
        kind: "classic",
        product: "bitbucket",
        description: "Read your repositories and their pull requests",
        descriptionSource: "document",
        unused: false,
      },
      {
        name: "pullrequest:write",
        kind: "classic",
        product: "bitbucket",
        description: "Read and modify your repositories and their pull requests",
        descriptionSource: "document",
        unused: false,
      },
      {
        name: "read:pullrequest:bitbucket",
        kind: "granular",
        product: "bitbucket",
        description: "Read pull requests with a Forge app or an API token.",
        descriptionSource: "narrative",
        unused: false,
      },
      {
        name: "repository",
        kind: "classic",
        product: "bitbucket",
        description: "Read your repositories",
        descriptionSource: "document",
        unused: true,
      },
      { name: "write:pullrequest:bitbucket", kind: "granular", product: "bitbucket", unused: false },
    ]);
  });
});

describe("normalizeProduct merging one endpoint published by two documents", () => {
  const merged = normalizeProduct("jira", [jiraV3Like(), swagger2()]);
  const issue = "/rest/api/2/issue/{issueIdOrKey}";

  it("lists each method and path once", () => {
    expect(merged.endpoints.map((endpoint) => `${endpoint.method} ${endpoint.path}`)).toEqual([
      `GET ${issue}`,
      `PUT ${issue}`,
      "GET /rest/api/2/serverInfo",
    ]);
  });

  it("unions the alternatives, merges origins of the same set, names both documents, and keeps the first document's fields", () => {
    expect(find(merged.endpoints, "GET", issue)).toEqual({
      product: "jira",
      method: "GET",
      path: issue,
      operationId: "getIssue",
      summary: "Get issue (v3 wording)",
      docsUrl: `${DAC}/cloud/jira/platform/rest/v3/api-group-issues/#api-rest-api-2-issue-issueidorkey-get`,
      deprecated: false,
      experimental: false,
      alternatives: [
        { kind: "classic", state: "Current", scopes: ["read:jira-work"], origins: [X, "security"] },
        { kind: "granular", state: "Beta", scopes: ["read:issue:jira", "read:status:jira"], origins: [X] },
        { kind: "granular", state: "Beta", scopes: ["read:issue:jira", "read:user:jira"], origins: [X] },
      ],
      hasScopes: true,
      emptyScopeList: false,
      // `{}` in the first document.
      anonymous: true,
      documents: ["jira-platform.v3", "jira-platform.v2"],
    });
  });

  it("keeps emptyScopeList from either document", () => {
    const put = find(merged.endpoints, "PUT", issue);
    expect(put.alternatives).toEqual([
      { kind: "classic", state: "Current", scopes: ["write:jira-work"], origins: [X, "security"] },
    ]);
    expect([put.emptyScopeList, put.anonymous, put.documents]).toEqual([
      true,
      false,
      ["jira-platform.v3", "jira-platform.v2"],
    ]);
  });

  it("lists a path only one document publishes under that document alone", () => {
    expect(find(merged.endpoints, "GET", "/rest/api/2/serverInfo").documents).toEqual(["jira-platform.v2"]);
  });

  it("produces the same sets in the other document order, with the other document's link first", () => {
    const reversed = normalizeProduct("jira", [swagger2(), jiraV3Like()]);
    const get = find(reversed.endpoints, "GET", issue);
    expect(get.alternatives).toEqual([
      { kind: "classic", state: "Current", scopes: ["read:jira-work"], origins: ["security", X] },
      { kind: "granular", state: "Beta", scopes: ["read:issue:jira", "read:status:jira"], origins: [X] },
      { kind: "granular", state: "Beta", scopes: ["read:issue:jira", "read:user:jira"], origins: [X] },
    ]);
    expect(get.documents).toEqual(["jira-platform.v2", "jira-platform.v3"]);
    // Anchors are built from the document's own path key, which for Swagger 2.0 excludes basePath.
    expect(get.docsUrl).toBe(`${DAC}/cloud/jira/platform/rest/v2/api-group-issues/#api-issue-issueidorkey-get`);
    expect(get.anonymous).toBe(true);
  });

  it("takes a scope's description from the first document that has a non-empty one", () => {
    expect(merged.scopes).toEqual([
      {
        name: "manage:jira-webhook",
        kind: "classic",
        product: "jira",
        description: "Manage Jira webhooks.",
        descriptionSource: "document",
        unused: true,
      },
      { name: "read:issue:jira", kind: "granular", product: "jira", unused: false },
      {
        name: "read:jira-work",
        kind: "classic",
        product: "jira",
        description: "Read Jira project and issue data.",
        descriptionSource: "document",
        unused: false,
      },
      {
        name: "read:status:jira",
        kind: "granular",
        product: "jira",
        description: "Read statuses.",
        descriptionSource: "document",
        unused: false,
      },
      { name: "read:user:jira", kind: "granular", product: "jira", unused: false },
      {
        name: "write:jira-work",
        kind: "classic",
        product: "jira",
        description: "Create and edit issues in Jira.",
        descriptionSource: "document",
        unused: false,
      },
    ]);
  });
});

describe("fillDescriptions", () => {
  it("fills only the scopes without a description, records where it came from, and counts them", () => {
    const { scopes } = normalizeProduct("bitbucket", [bitbucket()]);
    const known = new Map<string, { description: string; source: "other-document" | "page" }>([
      ["write:pullrequest:bitbucket", { description: "Create and update pull requests.", source: "page" }],
      ["pullrequest", { description: "Must not replace the document's description.", source: "other-document" }],
      ["not:used:anywhere", { description: "Not in this product.", source: "page" }],
    ]);
    expect(fillDescriptions(scopes, known)).toBe(1);
    expect(scopes.find((scope) => scope.name === "write:pullrequest:bitbucket")).toEqual({
      name: "write:pullrequest:bitbucket",
      kind: "granular",
      product: "bitbucket",
      description: "Create and update pull requests.",
      descriptionSource: "page",
      unused: false,
    });
    expect(scopes.find((scope) => scope.name === "pullrequest")).toMatchObject({
      description: "Read your repositories and their pull requests",
      descriptionSource: "document",
    });
    expect(scopes.map((scope) => scope.name)).not.toContain("not:used:anywhere");
  });

  it("fills nothing when nothing is known, and nothing twice", () => {
    const { scopes } = normalizeProduct("confluence", [traps()]);
    expect(fillDescriptions(scopes, new Map())).toBe(0);
    const known = new Map([
      ["redact:issue:jira", { description: "Redact issue content.", source: "other-document" as const }],
    ]);
    expect(fillDescriptions(scopes, known)).toBe(1);
    expect(fillDescriptions(scopes, known)).toBe(0);
    expect(scopes.find((scope) => scope.name === "redact:issue:jira")?.descriptionSource).toBe("other-document");
  });
});

describe("contentHash", () => {
  it("is a SHA-256 hex digest, equal for records built twice from the same documents", async () => {
    const first = await contentHash(normalizeProduct("confluence", [traps()]));
    const second = await contentHash(normalizeProduct("confluence", [traps()]));
    expect(first).toMatch(/^[0-9a-f]{64}$/);
    expect(second).toBe(first);
  });

  it("changes when one scope of one alternative changes", async () => {
    const original = normalizeProduct("bitbucket", [bitbucket()]);
    const changed: NormalizedProduct = structuredClone(original);
    const alternative = find(changed.endpoints, "GET", "/2.0/repositories/{workspace}/{repo_slug}/pullrequests")
      .alternatives[0];
    if (!alternative) throw new Error("fixture endpoint has no alternative");
    expect(alternative.scopes).toEqual(["pullrequest"]);
    alternative.scopes = ["pullrequest:write"];
    expect(await contentHash(changed)).not.toBe(await contentHash(original));
  });

  it("changes when a scope record's description changes, and is restored with it", async () => {
    const original = normalizeProduct("bitbucket", [bitbucket()]);
    const before = await contentHash(original);
    const record = original.scopes[0];
    if (!record) throw new Error("fixture has no scope record");
    const description = record.description;
    record.description = "Something else";
    expect(await contentHash(original)).not.toBe(before);
    record.description = description;
    expect(await contentHash(original)).toBe(before);
  });

  it("differs between products", async () => {
    const a = await contentHash(normalizeProduct("bitbucket", [bitbucket()]));
    const b = await contentHash(normalizeProduct("confluence", [traps()]));
    expect(a).not.toBe(b);
  });
});

describe("normalizeProduct: v2 endpoints take their v3 twins' deprecation and removals (withV3Twins)", () => {
  const REMOVAL = {
    type: "removed",
    announced: "2024-10-31",
    effective: "2025-05-01",
    details: "https://developer.atlassian.com/changelog/#CHANGE-2046",
  };
  const operation = (operationId: string, changes?: unknown[], extra: Record<string, unknown> = {}) => ({
    operationId,
    security: [{ OAuth2: [] }],
    "x-atlassian-oauth2-scopes": [{ scheme: "OAuth2", state: "Current", scopes: ["read:jira-work"] }],
    ...(changes ? { "x-changes": changes } : {}),
    ...extra,
  });
  const document = (paths: Record<string, unknown>) =>
    parseText(
      JSON.stringify({
        openapi: "3.0.1",
        info: { title: "Jira", version: "1" },
        servers: [{ url: "https://your-domain.atlassian.net" }],
        components: {
          securitySchemes: {
            OAuth2: { type: "oauth2", flows: { authorizationCode: { scopes: { "read:jira-work": "" } } } },
          },
        },
        paths,
      }),
    );
  const NOTICE =
    "This will be removed on [June 1, 2026](https://developer.atlassian.com/cloud/jira/platform/changelog/#CHANGE-2569); use [Search workflows](#api-rest-api-3-workflows-search-get) instead.\n\nReturns workflows.";
  const v3 = (changes?: unknown[]): ParsedSource => ({
    source: JIRA_V3,
    document: document({
      "/rest/api/3/search": { get: operation("searchV3", changes), post: operation("searchPostV3", changes) },
      "/rest/api/3/myself": { get: operation("myselfV3") },
      "/rest/api/3/workflow/search": {
        get: operation("workflowSearchV3", undefined, { deprecated: true, description: NOTICE }),
      },
      "/rest/api/3/workflows/search": { get: operation("workflowsSearchV3") },
      "/rest/api/3/fieldconfiguration": { get: operation("fieldConfigurationsV3", undefined, { deprecated: true }) },
    }),
  });
  const v2 = (changes?: unknown[], workflowsSearch = false): ParsedSource => ({
    source: JIRA_V2,
    document: document({
      "/rest/api/2/search": { get: operation("searchV2", changes) },
      "/rest/api/2/myself": { get: operation("myselfV2") },
      "/rest/api/2/workflow/search": { get: operation("workflowSearchV2") },
      "/rest/api/2/fieldconfiguration": { get: operation("fieldConfigurationsV2") },
      ...(workflowsSearch ? { "/rest/api/2/workflows/search": { get: operation("workflowsSearchV2") } } : {}),
    }),
  });

  it("gives a v2 endpoint its v3 twin's removal entry, marked as the twin's", () => {
    const { endpoints } = normalizeProduct("jira", [v3([REMOVAL]), v2()]);
    expect(find(endpoints, "GET", "/rest/api/2/search").lifecycle).toEqual([{ ...REMOVAL, origin: "v3-twin" }]);
    // A twin with nothing announced gives nothing.
    expect(find(endpoints, "GET", "/rest/api/2/myself").lifecycle).toBeUndefined();
    expect(find(endpoints, "GET", "/rest/api/2/myself").deprecated).toBe(false);
  });

  it("gives a v2 endpoint its v3 twin's deprecation, with or without a removal", () => {
    const { endpoints } = normalizeProduct("jira", [v3(), v2()]);
    expect(find(endpoints, "GET", "/rest/api/2/fieldconfiguration").deprecated).toBe(true);
    expect(find(endpoints, "GET", "/rest/api/2/fieldconfiguration").lifecycle).toBeUndefined();
    expect(find(endpoints, "GET", "/rest/api/2/workflow/search").deprecated).toBe(true);
  });

  it("names the v3 replacement a notice gives, or its v2 twin when the catalog holds one", () => {
    const without = find(normalizeProduct("jira", [v3(), v2()]).endpoints, "GET", "/rest/api/2/workflow/search");
    expect(without.lifecycle).toEqual([
      {
        type: "removed",
        effective: "2026-06-01",
        details: "https://developer.atlassian.com/cloud/jira/platform/changelog/#CHANGE-2569",
        changelog: "CHANGE-2569",
        replacement: { method: "GET", path: "/rest/api/3/workflows/search" },
        origin: "v3-twin",
      },
    ]);
    const withTwin = find(
      normalizeProduct("jira", [v3(), v2(undefined, true)]).endpoints,
      "GET",
      "/rest/api/2/workflow/search",
    );
    expect(withTwin.lifecycle?.[0]?.replacement).toEqual({ method: "GET", path: "/rest/api/2/workflows/search" });
  });

  it("adds nothing when the v3 twin has no removal, or the v2 document states its own", () => {
    expect(
      find(normalizeProduct("jira", [v3(), v2()]).endpoints, "GET", "/rest/api/2/search").lifecycle,
    ).toBeUndefined();
    const own = { ...REMOVAL, effective: "2025-08-01" };
    const { endpoints } = normalizeProduct("jira", [v3([REMOVAL]), v2([own])]);
    expect(find(endpoints, "GET", "/rest/api/2/search").lifecycle).toEqual([own]);
  });

  it("only for Jira", () => {
    const { endpoints } = normalizeProduct("confluence", [v3([REMOVAL]), v2()]);
    expect(find(endpoints, "GET", "/rest/api/2/search").lifecycle).toBeUndefined();
    expect(find(endpoints, "GET", "/rest/api/2/fieldconfiguration").deprecated).toBe(false);
  });
});

describe("normalizeProduct: removal notices read from descriptions", () => {
  const ASSETS = source("jsm-assets", `${DAC}/cloud/assets/rest/`);
  const assets = (description: string, paths: Record<string, unknown> = {}): ParsedSource => ({
    source: ASSETS,
    document: parseText(
      JSON.stringify({
        openapi: "3.0.1",
        info: { title: "Assets", version: "1" },
        servers: [{ url: "https://api.atlassian.com/jsm/assets/workspace/{workspaceId}/v1" }],
        paths: {
          "/aql/objects": {
            get: { deprecated: true, description, security: [{ oAuthDefinitions: ["read:cmdb-object:jira"] }] },
          },
          "/object/aql": { post: { security: [{ oAuthDefinitions: ["read:cmdb-object:jira"] }] } },
          ...paths,
        },
      }),
    ),
  });
  const PREFIX = "/jsm/assets/workspace/{workspaceId}/v1";

  it("resolves `POST /object/aql` under the document's server prefix", () => {
    const { endpoints } = normalizeProduct("assets", [
      assets(
        "This endpoint is deprecated and will be removed on <b>18th of September 2024</b>. Please use POST `/object/aql` instead.",
      ),
    ]);
    expect(find(endpoints, "GET", `${PREFIX}/aql/objects`).lifecycle).toEqual([
      {
        type: "removed",
        effective: "2024-09-18",
        replacement: { method: "POST", path: `${PREFIX}/object/aql` },
        origin: "description",
      },
    ]);
  });

  it("drops a replacement the catalog does not hold, and keeps the date", () => {
    const { endpoints } = normalizeProduct("assets", [
      assets("This endpoint will be removed on 2024-09-18. Please use POST `/object/gone` instead."),
    ]);
    expect(find(endpoints, "GET", `${PREFIX}/aql/objects`).lifecycle).toEqual([
      { type: "removed", effective: "2024-09-18", origin: "description" },
    ]);
  });

  it("leaves out a notice whose date cannot be read, and says so in skippedNotices", () => {
    const parsed = assets("This endpoint will be removed in October 2026.");
    expect(
      find(normalizeProduct("assets", [parsed]).endpoints, "GET", `${PREFIX}/aql/objects`).lifecycle,
    ).toBeUndefined();
    expect(skippedNotices([parsed])).toEqual([
      `GET ${PREFIX}/aql/objects: a removal notice's date was not read ("October 2026"), so it is left out`,
    ]);
  });

  it("lets the operation's own x-changes entry win, adding only the replacement it lacks", () => {
    const { endpoints } = normalizeProduct("assets", [
      assets("This endpoint will be removed on June 1, 2026. Please use POST /object/aql instead.", {
        "/iql/objects": {
          get: {
            description: "This endpoint will be removed on June 1, 2026. Please use POST /object/aql instead.",
            "x-changes": [{ type: "removed", effective: "2026-07-01", details: "https://example.test/CHANGE-1" }],
          },
        },
      }),
    ]);
    expect(find(endpoints, "GET", `${PREFIX}/iql/objects`).lifecycle).toEqual([
      {
        type: "removed",
        effective: "2026-07-01",
        details: "https://example.test/CHANGE-1",
        replacement: { method: "POST", path: `${PREFIX}/object/aql` },
      },
    ]);
  });
});

describe("normalizeProduct: scopes the narrative calls deprecated", () => {
  const withNarrative = (body: string): ParsedSource => ({
    source: BITBUCKET,
    document: parseText(
      JSON.stringify({
        openapi: "3.0.1",
        info: { title: "Bitbucket", version: "2.0" },
        servers: [{ url: "https://api.bitbucket.org/2.0" }],
        "x-atlassian-narrative": { documents: [{ anchor: "authentication", title: "Auth", body }] },
        paths: { "/projects": { get: { security: [{ oauth2: ["project:admin"] }] } } },
      }),
    ),
  });

  it("adds Bitbucket's project:write as a deprecated record, replaced by project:admin", () => {
    const { scopes } = normalizeProduct("bitbucket", [
      withNarrative(
        "#### project:write\n\nThis scope is deprecated, and has been made obsolete by `project:admin`. Please see the deprecation notice [here](/cloud/bitbucket/deprecation-notice-project-write-scope).\n\n#### project:admin\n\nProvides admin access to a project or projects.",
      ),
    ]);
    expect(scopes.find((scope) => scope.name === "project:write")).toMatchObject({
      kind: "classic",
      product: "bitbucket",
      unused: true,
      deprecated: true,
      replacedBy: "project:admin",
      descriptionSource: "narrative",
    });
    expect(scopes.find((scope) => scope.name === "project:admin")?.deprecated).toBeUndefined();
  });

  it("adds no record for other narrative sections, deprecated or not", () => {
    const { scopes } = normalizeProduct("bitbucket", [
      withNarrative("#### Operators\n\nFiltering supports these operators.\n\n#### wiki\n\nThis scope is deprecated."),
    ]);
    expect(scopes.map((scope) => scope.name)).toEqual(["project:admin"]);
  });
});
