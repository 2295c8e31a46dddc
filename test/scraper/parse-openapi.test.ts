/**
 * parseOpenApiText / parseOpenApi on hand-written documents that reproduce, in miniature, the traps
 * recorded in ../shared/atlassian-docs/NOTES.md, and on the ways a download can go wrong.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  parseOpenApi,
  parseOpenApiText,
  type ParseResult,
  type RawDocument,
  type RawOperation,
} from "../../scraper/parse/openapi";

const fixture = (name: string): string => readFileSync(new URL(`../fixtures/openapi/${name}`, import.meta.url), "utf8");

function parsed(text: string): RawDocument {
  const result = parseOpenApiText(text);
  if (!result.ok) throw new Error(`expected the document to parse, got ${result.reason}: ${result.message}`);
  return result.document;
}

function operation(document: RawDocument, method: string, pathKey: string): RawOperation {
  const found = document.operations.find((candidate) => candidate.method === method && candidate.pathKey === pathKey);
  if (!found) throw new Error(`no operation ${method} ${pathKey}`);
  return found;
}

function failure(result: ParseResult): { reason: string; message: string } {
  if (result.ok) throw new Error("expected the document to be refused");
  return { reason: result.reason, message: result.message };
}

const TRAPS = fixture("openapi3-traps.json");
const SWAGGER2 = fixture("swagger2.json");
const BITBUCKET = fixture("bitbucket.json");

describe("parseOpenApiText on the OpenAPI 3 traps fixture", () => {
  const document = parsed(TRAPS);

  it("reads the format, title, version and the path of a templated server URL", () => {
    expect(document.format).toBe("openapi3");
    expect(document.title).toBe("Scope traps in miniature");
    expect(document.infoVersion).toBe("2.0.0-traps");
    expect(document.pathPrefix).toBe("/wiki/api/v2");
  });

  it("reads only HTTP methods as operations: path-item parameters, summary, numeric junk keys and non-object items are skipped", () => {
    expect(document.operations.map((op) => `${op.method} ${op.pathKey}`)).toEqual([
      "POST /pages",
      "GET /pages/{id}",
      "PUT /pages/{id}",
      "DELETE /pages/{id}",
      "POST /redact",
      "GET /migration/{connectKey}/task",
      "GET /empty-scopes",
      "GET /ui-modifications",
      "GET /audit",
      "GET /spaces",
      "GET /public/info",
      "GET /admin-key",
    ]);
    const everyScope = document.operations.flatMap((op) => [
      ...op.securityScopes.flat(),
      ...op.extensionScopes.flatMap((entry) => entry.scopes),
    ]);
    expect(everyScope).not.toContain("junk:scope");
  });

  it("keeps Current (classic) and Beta (granular) extension entries in document order, and security's OAuth list apart", () => {
    expect(operation(document, "GET", "/pages/{id}")).toEqual({
      method: "GET",
      pathKey: "/pages/{id}",
      operationId: "getPageById",
      summary: "Get page by id",
      tags: ["Page"],
      deprecated: false,
      experimental: false,
      extensionScopes: [
        { state: "Beta", scopes: ["read:page:confluence", "read:content.metadata:confluence"] },
        { state: "Current", scopes: ["read:jira-work"] },
      ],
      securityScopes: [["read:jira-work"]],
      anonymous: false,
      connectScope: "READ",
      authTypes: undefined,
      lifecycle: undefined,
    });
  });

  it("reads scopes published only in `security`, and takes the summary from the description's first sentence", () => {
    const put = operation(document, "PUT", "/pages/{id}");
    expect(put.extensionScopes).toEqual([]);
    expect(put.securityScopes).toEqual([["write:page:confluence"]]);
    expect(put.summary).toBe("Updates a page.");
    expect(put.tags).toEqual([]);
  });

  it("reads a Beta-only operation whose `security` has no OAuth entry (basicAuth is not an OAuth scheme)", () => {
    const redact = operation(document, "POST", "/redact");
    expect(redact.extensionScopes).toEqual([{ state: "Beta", scopes: ["redact:issue:jira"] }]);
    expect(redact.securityScopes).toEqual([]);
  });

  it("keeps empty scope lists as empty lists, in the extension and in `security`", () => {
    expect(operation(document, "GET", "/migration/{connectKey}/task").securityScopes).toEqual([[]]);
    expect(operation(document, "GET", "/empty-scopes").extensionScopes).toEqual([{ state: "Current", scopes: [] }]);
  });

  it("keeps duplicated scopes inside one list as published (de-duplication is normalize's job)", () => {
    const post = operation(document, "POST", "/pages");
    expect(post.extensionScopes).toEqual([
      { state: "Current", scopes: ["write:page:confluence", "read:page:confluence", "write:page:confluence"] },
    ]);
    expect(post.securityScopes).toEqual([["write:page:confluence", "read:page:confluence"]]);
  });

  it("reads x-experimental, x-atlassian-auth-types and x-atlassian-connect-scope", () => {
    const post = operation(document, "POST", "/pages");
    expect(post.experimental).toBe(true);
    expect(post.authTypes).toEqual(["forge-oauth2", "api-token"]);
    expect(post.connectScope).toBe("WRITE");
  });

  it("treats x-preview as experimental too", () => {
    expect(operation(document, "GET", "/spaces").experimental).toBe(true);
  });

  it("maps the legacy {deprecated, scopes} extension shape to Deprecated / Current, and reads deprecated and x-changes", () => {
    const deleted = operation(document, "DELETE", "/pages/{id}");
    expect(deleted.extensionScopes).toEqual([
      { state: "Deprecated", scopes: ["write:confluence-content"] },
      { state: "Current", scopes: ["delete:page:confluence"] },
    ]);
    expect(deleted.deprecated).toBe(true);
    expect(deleted.lifecycle).toEqual([
      { type: "removed", announced: "2024-01-15", effective: "2024-07-15", details: "Use the purge endpoint instead." },
      { type: "unknown", announced: "2024-02-01", effective: undefined, details: undefined },
    ]);
  });

  it("flags `{}` in security and `security: []` as anonymous, and an operation without security as not anonymous", () => {
    const spaces = operation(document, "GET", "/spaces");
    expect(spaces.anonymous).toBe(true);
    expect(spaces.securityScopes).toEqual([["read:space:confluence"]]);
    const publicInfo = operation(document, "GET", "/public/info");
    expect(publicInfo.anonymous).toBe(true);
    expect(publicInfo.securityScopes).toEqual([]);
    const adminKey = operation(document, "GET", "/admin-key");
    expect(adminKey.anonymous).toBe(false);
    expect(adminKey.securityScopes).toEqual([]);
    expect(adminKey.extensionScopes).toEqual([]);
  });

  it("reads every flow's scope dictionary of the oAuthDefinitions scheme: first description wins, HTML and Markdown become text", () => {
    expect([...document.declaredScopes]).toEqual([
      ["read:jira-work", "Read Jira project and issue data."],
      ["read:page:confluence", "Read page content & metadata via GET /pages."],
      ["write:page:confluence", "Create and update pages."],
      ["read:space:confluence", ""],
      ["write:space:confluence", "Create and update spaces."],
      ["manage:jira-configuration", "Manage Jira configuration."],
    ]);
    // The dictionary lacks a scope operations use, as Atlassian's do.
    expect(document.declaredScopes.has("read:audit-log:confluence")).toBe(false);
  });

  it("reads `#### scope` sections of x-atlassian-narrative: the first paragraph only, backticks removed, empty sections skipped", () => {
    expect([...document.narrativeScopes]).toEqual([
      ["read:space:confluence", "Read spaces, their properties and settings."],
      ["write:space:confluence", "Narrative text that loses to the scheme dictionary."],
    ]);
  });
});

describe("parseOpenApiText on the Swagger 2.0 fixture", () => {
  const document = parsed(SWAGGER2);

  it("takes the prefix from basePath and the format from `swagger`", () => {
    expect(document.format).toBe("swagger2");
    expect(document.pathPrefix).toBe("/rest/api/2");
    expect(document.title).toBe("Swagger 2.0 in miniature");
    expect(document.infoVersion).toBe("1001.0.0");
  });

  it("reads the scope dictionary placed directly on a Swagger 2.0 oauth2 definition", () => {
    expect([...document.declaredScopes]).toEqual([
      ["read:jira-work", "Read Jira project and issue data."],
      ["write:jira-work", "Create and edit issues in Jira."],
      ["manage:jira-webhook", "Manage Jira webhooks."],
    ]);
    expect([...document.narrativeScopes]).toEqual([]);
  });

  it("applies the top-level default `security` to an operation that has none", () => {
    const get = operation(document, "GET", "/issue/{issueIdOrKey}");
    expect(get.securityScopes).toEqual([["read:jira-work"]]);
    expect(get.anonymous).toBe(false);
    expect(get.extensionScopes).toEqual([{ state: "Beta", scopes: ["read:issue:jira", "read:user:jira"] }]);
  });

  it("lets an operation's own `security` replace the default", () => {
    expect(operation(document, "PUT", "/issue/{issueIdOrKey}").securityScopes).toEqual([["write:jira-work"]]);
    const serverInfo = operation(document, "GET", "/serverInfo");
    expect(serverInfo.securityScopes).toEqual([]);
    expect(serverInfo.anonymous).toBe(true);
  });

  it("does not turn the path item's parameters into an operation", () => {
    expect(document.operations.map((op) => `${op.method} ${op.pathKey}`)).toEqual([
      "GET /issue/{issueIdOrKey}",
      "PUT /issue/{issueIdOrKey}",
      "GET /serverInfo",
    ]);
  });
});

describe("parseOpenApiText on the Bitbucket-like fixture", () => {
  const document = parsed(BITBUCKET);

  it("takes /2.0 from the api.bitbucket.org server", () => {
    expect(document.pathPrefix).toBe("/2.0");
  });

  it("reads the classic scope from security.oauth2 and the granular one from the extension, which never overlap", () => {
    const get = operation(document, "GET", "/repositories/{workspace}/{repo_slug}/pullrequests");
    expect(get.securityScopes).toEqual([["pullrequest"]]);
    expect(get.extensionScopes).toEqual([{ state: "Current", scopes: ["read:pullrequest:bitbucket"] }]);
    expect(get.authTypes).toEqual(["forge-oauth2", "api-token"]);
    expect(get.anonymous).toBe(false);
  });

  it("ignores the apiKey and basic schemes: only the OAuth scheme's list is a scope set", () => {
    const post = operation(document, "POST", "/repositories/{workspace}/{repo_slug}/pullrequests");
    expect(post.securityScopes).toEqual([["pullrequest:write"]]);
    expect(post.authTypes).toEqual(["api-token"]);
  });

  it("reads classic and granular narrative sections, whatever heading sits between them", () => {
    expect([...document.narrativeScopes]).toEqual([
      ["pullrequest", "Gives the app read access to pull requests."],
      ["read:pullrequest:bitbucket", "Read pull requests with a Forge app or an API token."],
    ]);
  });
});

describe("lists inside an operation", () => {
  const json = {
    openapi: "3.0.1",
    components: { securitySchemes: { OAuth2: { type: "oauth2", flows: {} } } },
    paths: {
      "/mixed": {
        get: {
          tags: ["Issues", 7, null],
          security: [{ OAuth2: ["read:a:jira", 1, "read:b:jira"] }, {}],
          "x-atlassian-oauth2-scopes": [{ state: "Beta", scopes: [false, "read:c:jira"] }, "junk"],
          "x-atlassian-auth-types": [["nested"], "api-token"],
          "x-changes": [],
        },
        put: { tags: ["Issues"], security: [{ OAuth2: ["write:a:jira"] }], "x-atlassian-auth-types": [] },
      },
    },
  };

  function read(method: string): RawOperation {
    const result = parseOpenApi(json);
    if (!result.ok) throw new Error(result.message);
    return operation(result.document, method, "/mixed");
  }

  it("keeps only the strings of a list that holds other values too", () => {
    const get = read("GET");
    expect(get.tags).toEqual(["Issues"]);
    expect(get.securityScopes).toEqual([["read:a:jira", "read:b:jira"]]);
    expect(get.extensionScopes).toEqual([{ state: "Beta", scopes: ["read:c:jira"] }]);
    expect(get.authTypes).toEqual(["api-token"]);
    expect(get.anonymous).toBe(true);
    expect(get.lifecycle).toBeUndefined();
  });

  it("copies lists of strings rather than sharing them with the document", () => {
    const put = read("PUT");
    expect(put.tags).toEqual(["Issues"]);
    expect(put.tags).not.toBe(json.paths["/mixed"].put.tags);
    expect(put.securityScopes[0]).not.toBe(json.paths["/mixed"].put.security[0]!.OAuth2);
    expect(put.authTypes).toBeUndefined();
  });
});

describe("server URL to path prefix", () => {
  const withServer = (servers: unknown) => parseOpenApi({ openapi: "3.0.1", servers, paths: { "/a": { get: {} } } });
  const prefix = (servers: unknown): string => {
    const result = withServer(servers);
    if (!result.ok) throw new Error(result.message);
    return result.document.pathPrefix;
  };

  it.each([
    { given: [{ url: "https://{your-domain}/wiki/api/v2" }], want: "/wiki/api/v2" },
    { given: [{ url: "https://api.bitbucket.org/2.0" }], want: "/2.0" },
    { given: [{ url: "https://api.bitbucket.org/2.0/" }], want: "/2.0" },
    { given: [{ url: "//your-domain.atlassian.net" }], want: "" },
    { given: [{ url: "https://your-domain.atlassian.net" }], want: "" },
    {
      given: [{ url: "https://api.atlassian.com/jsm/assets/workspace/{workspaceId}/v1" }],
      want: "/jsm/assets/workspace/{workspaceId}/v1",
    },
    { given: [{ url: "/wiki/api/v2" }], want: "/wiki/api/v2" },
    { given: [{ url: "https://first.example/one" }, { url: "https://second.example/two" }], want: "/one" },
    { given: [], want: "" },
    { given: undefined, want: "" },
  ])("servers $given → prefix '$want'", ({ given, want }) => {
    expect(prefix(given)).toBe(want);
  });

  it("normalises a Swagger basePath without a leading slash and drops a trailing one", () => {
    const result = parseOpenApi({ swagger: "2.0", basePath: "rest/api/2/", paths: { "/a": { get: {} } } });
    expect(result.ok && result.document.pathPrefix).toBe("/rest/api/2");
  });
});

describe("documents that must be refused", () => {
  it("refuses an HTML error page as not_json, quoting the parser's complaint", () => {
    const html =
      "<!DOCTYPE html>\n<html><head><title>503 Service Unavailable</title></head><body>Try again later</body></html>";
    const refused = failure(parseOpenApiText(html));
    expect(refused.reason).toBe("not_json");
    expect(refused.message).toMatch(/^document is not JSON: /);
    expect(refused.message).toContain("<");
  });

  it.each([
    { name: "openapi3-traps.json", text: TRAPS },
    { name: "swagger2.json", text: SWAGGER2 },
    { name: "bitbucket.json", text: BITBUCKET },
  ])("refuses $name cut in half as truncated, saying how much arrived", ({ text }) => {
    const half = text.slice(0, Math.floor(text.length / 2));
    const refused = failure(parseOpenApiText(half));
    expect(refused.reason).toBe("truncated");
    expect(refused.message).toMatch(/^document is truncated \(.+\); \d+ characters received$/);
    expect(refused.message).toContain(`; ${half.length} characters received`);
  });

  it("refuses every cut of a small document as truncated, whichever token the cut lands in", () => {
    const text = JSON.stringify(
      { openapi: "3.0.1", info: { title: "t", version: 1 }, paths: { "/a": { get: { deprecated: true } } } },
      null,
      1,
    );
    const wrong: string[] = [];
    for (let end = 1; end < text.length; end++) {
      const result = parseOpenApiText(text.slice(0, end));
      if (result.ok || result.reason !== "truncated") wrong.push(`${end}: ${result.ok ? "ok" : result.message}`);
    }
    expect(wrong).toEqual([]);
  });

  // The error position V8 reports must be compared with the text JSON.parse saw, without the BOM.
  it("refuses a BOM-prefixed document cut right after a comma as truncated, like the same cut without a BOM", () => {
    const cut = TRAPS.slice(0, TRAPS.indexOf(",") + 1);
    expect(failure(parseOpenApiText(cut)).reason).toBe("truncated");
    expect(failure(parseOpenApiText(`\uFEFF${cut}`)).reason).toBe("truncated");
  });

  it("refuses `{}` as not_openapi, naming the missing version keys", () => {
    expect(failure(parseOpenApiText("{}"))).toEqual({
      reason: "not_openapi",
      message: 'document has neither an `openapi` version nor `swagger: "2.0"`',
    });
  });

  it("refuses a Swagger 1.x document as not_openapi", () => {
    expect(failure(parseOpenApiText('{"swagger":"1.2","paths":{}}')).reason).toBe("not_openapi");
  });

  it("refuses an OpenAPI document without a paths object as not_openapi", () => {
    expect(failure(parseOpenApiText('{"openapi":"3.0.1","paths":[]}'))).toEqual({
      reason: "not_openapi",
      message: "document has no `paths` object",
    });
  });

  it("refuses an OpenAPI document with empty paths as no_operations", () => {
    expect(failure(parseOpenApiText('{"openapi":"3.0.1","info":{"title":"x"},"paths":{}}'))).toEqual({
      reason: "no_operations",
      message: "document has no operations under `paths`",
    });
  });

  it("refuses paths holding only parameters and junk as no_operations", () => {
    const text = JSON.stringify({ openapi: "3.0.1", paths: { "/a": { parameters: [], "0": {} }, "/b": "junk" } });
    expect(failure(parseOpenApiText(text)).reason).toBe("no_operations");
  });

  it("refuses a JSON array as not_openapi", () => {
    expect(failure(parseOpenApiText('[{"openapi":"3.0.1"}]'))).toEqual({
      reason: "not_openapi",
      message: "document is not a JSON object",
    });
  });

  it.each([{ given: "null" }, { given: '"openapi"' }, { given: "42" }])(
    "refuses the JSON value $given as not_openapi",
    ({ given }) => {
      expect(failure(parseOpenApiText(given)).reason).toBe("not_openapi");
    },
  );

  it("refuses an empty body as not_json", () => {
    expect(failure(parseOpenApiText("")).reason).toBe("not_json");
  });
});

describe("byte order mark", () => {
  it("parses a BOM-prefixed document exactly like the same document without one", () => {
    const withBom = parsed(`\uFEFF${BITBUCKET}`);
    const without = parsed(BITBUCKET);
    expect(withBom).toEqual(without);
    expect(withBom.operations).toHaveLength(3);
  });
});
