/** GET /scopes inside workerd, answered from the bundled snapshot (KV is empty in this file). */
import {
  BOARD_GATEWAY_URL,
  CLOUD_ID,
  SNAPSHOT_SCRAPED_AT,
  SNAPSHOT_VERSION,
  expectError,
  get,
  getScopes,
  okJson,
  postJson,
  resetCatalogCache,
  type Json,
} from "../helpers/worker";
import { beforeAll, describe, expect, it } from "vitest";

const JIRA_SOFTWARE_NOTE = "Jira Software has no classic scopes: a token needs the granular scopes listed.";
// GET /scopes' ETag names the catalog version and the request's UTC date, which its lifecycle notes are worded against.
const today = () => new Date().toISOString().slice(0, 10);
const etagOf = (format: string) => `W/"${SNAPSHOT_VERSION}@${today()}-${format}"`;
const JSON_ETAG = etagOf("json");
const TEXT_ETAG = etagOf("text");
const CACHE_CONTROL = "public, max-age=3600, stale-while-revalidate=86400";

beforeAll(async () => {
  // Whatever another file left in this isolate's catalog cache, this file answers from the snapshot.
  resetCatalogCache();
  // The first request loads the worker and builds the snapshot's index: seconds, not a test's 5.
  await (await get("/health")).arrayBuffer();
}, 30_000);

const scopes = async (params: Record<string, string>, headers?: Record<string, string>): Promise<Json> =>
  okJson(await getScopes(params, headers));

describe("GET /scopes: input forms", () => {
  it("takes a bare path and lists every method of the template, in method order", async () => {
    const body = await scopes({ path: "/rest/agile/1.0/board" });
    expect(body.query).toEqual({ path: "/rest/agile/1.0/board", method: null, matchedPath: "/rest/agile/1.0/board" });
    expect(body.endpoints.map((endpoint: Json) => `${endpoint.method} ${endpoint.path}`)).toEqual([
      "GET /rest/agile/1.0/board",
      "POST /rest/agile/1.0/board",
    ]);
    expect(body.endpoints[1]).toMatchObject({
      product: "jira-software",
      operationId: "createBoard",
      alternatives: [{ kind: "granular", state: "Current", scopes: ["write:board-scope:jira-software"] }],
    });
    expect(body.notes).toEqual([]);
  });

  it("answers the mission endpoint through the scoped-token gateway: one granular set, no classic scopes", async () => {
    const body = await scopes({ path: BOARD_GATEWAY_URL, method: "GET" });
    expect(body.query).toEqual({
      path: BOARD_GATEWAY_URL,
      method: "GET",
      matchedPath: "/rest/agile/1.0/board",
      host: "api.atlassian.com",
      gateway: "jira",
    });
    expect(body.notes).toEqual([]); // already the gateway form: nothing to say about the URL
    expect(body.endpoints).toHaveLength(1);
    const [board] = body.endpoints;
    expect(board).toMatchObject({
      product: "jira-software",
      method: "GET",
      path: "/rest/agile/1.0/board",
      operationId: "getAllBoards",
      summary: "Get all boards",
      anonymous: false,
      deprecated: false,
      experimental: false,
    });
    expect(board.docsUrl).toMatch(/^https:\/\/developer\.atlassian\.com\/cloud\/jira\/software\/rest\//);
    expect(board.alternatives).toEqual([
      { kind: "granular", state: "Current", scopes: ["read:board-scope:jira-software", "read:project:jira"] },
    ]);
    expect(board.alternatives.some((alternative: Json) => alternative.kind === "classic")).toBe(false);
    expect(board.notes).toContain(JIRA_SOFTWARE_NOTE);
  });

  it("names the catalog version and when it was scraped", async () => {
    const body = await scopes({ path: "/rest/agile/1.0/board", method: "GET" });
    expect(body.catalog).toEqual({ version: SNAPSHOT_VERSION, scrapedAt: SNAPSHOT_SCRAPED_AT, source: "snapshot" });
  });

  it("takes a full site URL, dropping its query string and fragment, and says to use the gateway with the tenant_info cloudId", async () => {
    const url = "https://acme.atlassian.net/rest/api/3/issue/ABC-1?expand=names&fields=summary#comment-1";
    const body = await scopes({ path: url, method: "get" });
    expect(body.query).toEqual({
      path: url,
      method: "GET",
      matchedPath: "/rest/api/3/issue/ABC-1",
      host: "acme.atlassian.net",
    });
    expect(body.endpoints).toHaveLength(1);
    expect(body.endpoints[0]).toMatchObject({
      product: "jira",
      method: "GET",
      path: "/rest/api/3/issue/{issueIdOrKey}",
    });
    expect(body.notes).toHaveLength(1);
    expect(body.notes[0]).toContain("https://api.atlassian.com/ex/jira/{cloudId}/rest/api/3/issue/ABC-1");
    expect(body.notes[0]).toContain("not acme.atlassian.net");
    expect(body.notes[0]).toContain("https://acme.atlassian.net/_edge/tenant_info");
  });

  it("points a Confluence site URL at the /ex/confluence gateway", async () => {
    const body = await scopes({ path: "https://acme.atlassian.net/wiki/api/v2/pages/123", method: "GET" });
    expect(body.endpoints[0].path).toBe("/wiki/api/v2/pages/{id}");
    expect(body.notes[0]).toContain("https://api.atlassian.com/ex/confluence/{cloudId}/wiki/api/v2/pages/123");
  });

  it("strips the Confluence gateway prefix: /wiki/api/v2/pages/{id} needs read:page:confluence", async () => {
    const url = `https://api.atlassian.com/ex/confluence/${CLOUD_ID}/wiki/api/v2/pages/123`;
    const body = await scopes({ path: url, method: "GET" });
    expect(body.query).toMatchObject({
      matchedPath: "/wiki/api/v2/pages/123",
      host: "api.atlassian.com",
      gateway: "confluence",
    });
    expect(body.endpoints).toHaveLength(1);
    expect(body.endpoints[0]).toMatchObject({ product: "confluence", method: "GET", path: "/wiki/api/v2/pages/{id}" });
    expect(body.endpoints[0].alternatives).toEqual([
      { kind: "granular", state: "Current", scopes: ["read:page:confluence"] },
    ]);
    expect(body.notes).toEqual([]);
  });

  it("matches a Bitbucket URL: classic `pullrequest` for OAuth consumers or granular read:pullrequest:bitbucket", async () => {
    const body = await scopes({
      path: "https://api.bitbucket.org/2.0/repositories/ws/repo/pullrequests",
      method: "GET",
    });
    expect(body.query).toMatchObject({
      matchedPath: "/2.0/repositories/ws/repo/pullrequests",
      host: "api.bitbucket.org",
    });
    expect(body.query.gateway).toBeUndefined();
    expect(body.notes).toEqual([]); // no gateway advice for Bitbucket
    expect(body.endpoints).toHaveLength(1);
    const [pulls] = body.endpoints;
    expect(pulls).toMatchObject({
      product: "bitbucket",
      method: "GET",
      path: "/2.0/repositories/{workspace}/{repo_slug}/pullrequests",
    });
    // The granular set carries the document's x-atlassian-auth-types; the classic one is security.oauth2's.
    expect(pulls.alternatives).toEqual([
      { kind: "classic", state: "Current", scopes: ["pullrequest"] },
      {
        kind: "granular",
        state: "Current",
        scopes: ["read:pullrequest:bitbucket"],
        authTypes: ["forge-oauth2", "api-token"],
      },
    ]);
    expect(pulls.notes.some((note: string) => note.includes("OAuth consumers"))).toBe(true);
  });

  it("matches an Assets URL on api.atlassian.com/jsm/assets", async () => {
    const body = await scopes({
      path: "https://api.atlassian.com/jsm/assets/workspace/abc/v1/object/1",
      method: "GET",
    });
    expect(body.query).toMatchObject({
      matchedPath: "/jsm/assets/workspace/abc/v1/object/1",
      host: "api.atlassian.com",
    });
    expect(body.endpoints).toHaveLength(1);
    expect(body.endpoints[0]).toMatchObject({
      product: "assets",
      method: "GET",
      path: "/jsm/assets/workspace/{workspaceId}/v1/object/{id}",
    });
    expect(body.endpoints[0].alternatives).toEqual([
      { kind: "granular", state: "Current", scopes: ["read:cmdb-object:jira"] },
    ]);
  });

  it("decodes a percent-encoded path before matching", async () => {
    const body = await scopes({ path: "/rest/api/3/issue/AB%43-1", method: "GET" });
    expect(body.query.matchedPath).toBe("/rest/api/3/issue/ABC-1");
    expect(body.endpoints[0].path).toBe("/rest/api/3/issue/{issueIdOrKey}");
  });

  it("tolerates a trailing slash", async () => {
    const withSlash = await scopes({ path: "/rest/agile/1.0/board/", method: "GET" });
    const without = await scopes({ path: "/rest/agile/1.0/board", method: "GET" });
    expect(withSlash.query.matchedPath).toBe("/rest/agile/1.0/board");
    expect(withSlash.endpoints).toEqual(without.endpoints);
  });

  it("matches literal segments before parameters: /rest/api/3/issue/createmeta is not {issueIdOrKey}", async () => {
    const body = await scopes({ path: "/rest/api/3/issue/createmeta" });
    expect(body.endpoints.map((endpoint: Json) => `${endpoint.method} ${endpoint.path}`)).toEqual([
      "GET /rest/api/3/issue/createmeta",
    ]);
    expect(body.endpoints[0].operationId).toBe("getCreateIssueMeta");
  });

  it("matches /rest/api/3/issue/ABC-1 to {issueIdOrKey}, satisfied by classic read:jira-work", async () => {
    const body = await scopes({ path: "/rest/api/3/issue/ABC-1", method: "GET" });
    expect(body.endpoints).toHaveLength(1);
    const [issue] = body.endpoints;
    expect(issue).toMatchObject({
      product: "jira",
      method: "GET",
      path: "/rest/api/3/issue/{issueIdOrKey}",
      operationId: "getIssue",
    });
    expect(issue.alternatives[0]).toEqual({ kind: "classic", state: "Current", scopes: ["read:jira-work"] });
    expect(issue.alternatives.slice(1).every((alternative: Json) => alternative.kind === "granular")).toBe(true);
  });

  it("filters by method (any case) or lists all methods without one", async () => {
    const all = await scopes({ path: "/rest/api/3/issue/ABC-1" });
    const methods = all.endpoints.map((endpoint: Json) => endpoint.method);
    expect(methods).toEqual(expect.arrayContaining(["GET", "PUT", "DELETE"]));
    expect(all.endpoints.every((endpoint: Json) => endpoint.path === "/rest/api/3/issue/{issueIdOrKey}")).toBe(true);
    const order = ["GET", "POST", "PUT", "PATCH", "DELETE"];
    expect([...methods].sort((a, b) => order.indexOf(a) - order.indexOf(b))).toEqual(methods);
    const onlyPut = await scopes({ path: "/rest/api/3/issue/ABC-1", method: "put" });
    expect(onlyPut.query.method).toBe("PUT");
    expect(onlyPut.endpoints.map((endpoint: Json) => endpoint.method)).toEqual(["PUT"]);
    expect(onlyPut.endpoints[0]).toEqual(all.endpoints.find((endpoint: Json) => endpoint.method === "PUT"));
  });
});

describe("GET /scopes: a request line pasted into `path`", () => {
  it("reads a method after the URL as the method", async () => {
    // Was "Get issue": PUT was read into {issueIdOrKey}.
    const body = await okJson(await getScopes({ path: "/rest/api/3/issue/ABC-1 PUT" }));
    expect(body.query).toMatchObject({ path: "/rest/api/3/issue/ABC-1 PUT", method: "PUT" });
    expect(body.endpoints.map((endpoint: Json) => `${endpoint.method} ${endpoint.path}`)).toEqual([
      "PUT /rest/api/3/issue/{issueIdOrKey}",
    ]);
    const same = await okJson(await getScopes({ path: "/rest/api/3/issue/ABC-1 put", method: "PUT" }));
    expect(same.endpoints).toHaveLength(1);
  });

  it("reads a curl command and a request line with its HTTP version", async () => {
    const curl = await okJson(await getScopes({ path: "curl -X GET https://acme.atlassian.net/rest/api/3/myself" }));
    expect(curl.endpoints.map((endpoint: Json) => endpoint.method)).toEqual(["GET"]);
    const line = await okJson(await getScopes({ path: "GET https://acme.atlassian.net/rest/api/3/myself HTTP/1.1" }));
    expect(line.query.matchedPath).toBe("/rest/api/3/myself");
  });

  it("400 invalid_request for a curl command naming no URL, saying so (was invalid_path: 'a space in …')", async () => {
    const error = await expectError(
      await getScopes({ path: "curl -X DELETE -H 'Accept: application/json'" }),
      400,
      "invalid_request",
    );
    expect(error.message).toBe("The curl command names no URL: give the URL it calls (`curl -X GET https://...`).");
  });

  it("400 invalid_request for two different methods; 400 invalid_path for a raw space in the path", async () => {
    const two = await expectError(
      await getScopes({ path: "GET /rest/api/3/issue/ABC-1 DELETE" }),
      400,
      "invalid_request",
    );
    expect(two.message).toBe(
      "GET and DELETE are both given as the method of /rest/api/3/issue/ABC-1: give one (`DELETE /rest/api/3/issue/ABC-1`).",
    );
    const given = await expectError(
      await getScopes({ path: "/rest/api/3/issue/ABC-1 PUT", method: "GET" }),
      400,
      "invalid_request",
    );
    expect(given.message).toContain("GET and PUT are both given");
    const space = await expectError(await getScopes({ path: "/rest/api/3/issue/ABC 1" }), 400, "invalid_path");
    expect(space.message).toContain('`path` has a space in "ABC 1"');
  });

  it("a Confluence page link put into ?path= unencoded keeps its title's + (form decoding reads it as a space)", async () => {
    const link = "https://acme.atlassian.net/wiki/spaces/ENG/pages/123456/My+Page+Title";
    const body = await okJson(await get(`/scopes?path=${link}`));
    expect(body.endpoints.map((endpoint: { path: string }) => endpoint.path)).toEqual(["/wiki/api/v2/pages/{id}"]);
    expect(body.query.path).toBe(link);
    // Only the title: a + before a later segment, or in another path, is still a space pasted beside the URL.
    await expectError(await get("/scopes?path=/rest/api/3/issue/ABC+1"), 400, "invalid_path");
    await expectError(await get(`/scopes?path=${link}+GET/x`), 400, "invalid_path");
  });
});

describe("GET /scopes: errors", () => {
  it("a known API outside the catalog (the GraphQL gateway): 404 outside_catalog with how it authenticates and its docs", async () => {
    const error = await expectError(
      await getScopes({ path: "https://api.atlassian.com/graphql", method: "POST" }),
      404,
      "outside_catalog",
    );
    expect(error.message).toContain("/graphql is outside this catalog: the Atlassian GraphQL gateway");
    expect(error.details).toMatchObject({
      scopes: [],
      docsUrl: "https://developer.atlassian.com/platform/atlassian-graphql-api/graphql/",
    });
  });

  it("GET https://api.atlassian.com/me is a curated endpoint now, needing read:me (issue 12)", async () => {
    const answer = await okJson(await getScopes({ path: "https://api.atlassian.com/me", method: "GET" }));
    expect(answer.endpoints[0]).toMatchObject({ product: "platform", alternatives: [{ scopes: ["read:me"] }] });
  });

  it("400 invalid_request when `path` is missing, saying what to send", async () => {
    const response = await get("/scopes");
    expect(response.headers.get("cache-control")).toBe("no-store");
    const error = await expectError(response, 400, "invalid_request");
    expect(error.message).toBe(
      "path: `path` is required: a request path such as /rest/api/3/issue/ABC-1, or a full Jira, Confluence, Bitbucket or api.atlassian.com URL",
    );
    expect(error.details.issues).toEqual([{ path: "path", message: expect.stringContaining("`path` is required") }]);
    expect(error.details.docs).toBe("http://catalog.test/openapi.json");
  });

  it.each([
    // Each said something else: "`scope` is required", "`path` is required", zod's "expected string, received array".
    { given: "/endpoints?scope=read:jira-work&scope=read:jira-user", name: "scope" },
    { given: "/scopes?path=/rest/api/3/myself&path=/rest/api/3/issue/ABC-1", name: "path" },
    { given: "/scopes?path=/rest/api/3/myself&method=GET&method=POST", name: "method" },
    { given: "/scopes?path=/rest/api/3/myself&method=GET&method=GET&format=json", name: "method" },
    { given: "/changes?limit=1&limit=2", name: "limit" },
  ])("400 invalid_request for a parameter given twice: $given", async ({ given, name }) => {
    const error = await expectError(await get(given), 400, "invalid_request");
    expect(error.message).toBe(`${name}: \`${name}\` is given 2 times; give it once.`);
    expect(error.details.issues[0]).toEqual({ path: name, message: `\`${name}\` is given 2 times; give it once.` });
  });

  it("a parameter given twice is said first, and the other problems after it", async () => {
    const error = await expectError(await get("/scopes?path=/a&path=/b&method=GET&method=PUT"), 400, "invalid_request");
    expect(error.details.issues.map((issue: { path: string }) => issue.path)).toEqual(["path", "method"]);
    const post = await expectError(
      await postJson("/plan", "GET /rest/api/3/myself", {
        query: "?prefer=fewest&prefer=classic",
        headers: { "content-type": "text/plain" },
      }),
      400,
      "invalid_request",
    );
    expect(post.message).toBe("prefer: `prefer` is given 2 times; give it once.");
  });

  it("400 invalid_request for an empty `path`, 400 invalid_path for one of only spaces", async () => {
    const empty = await expectError(await get("/scopes?path="), 400, "invalid_request");
    expect(empty.message).toContain("`path` is empty");
    const blank = await expectError(await getScopes({ path: "   " }), 400, "invalid_path");
    expect(blank.message).toContain("`path` is empty");
  });

  it("400 invalid_path for bad percent-encoding, naming the bad segment", async () => {
    const error = await expectError(await getScopes({ path: "/rest/api/3/issue/%E0%A4%A" }), 400, "invalid_path");
    expect(error.message).toContain('"%E0%A4%A"');
    expect(error.message).toContain("%25");
  });

  it("400 invalid_path for control characters inside the path", async () => {
    const error = await expectError(await getScopes({ path: "/rest/api/3/issue\n/ABC-1" }), 400, "invalid_path");
    expect(error.message).toContain("control characters");
  });

  it("400 path_too_long over 4096 characters; 4096 exactly is still looked up", async () => {
    const long = `/${"a".repeat(4096)}`;
    const error = await expectError(await getScopes({ path: long }), 400, "path_too_long");
    expect(error.message).toBe("`path` is 4097 characters; at most 4096 are accepted.");
    await expectError(await getScopes({ path: `/${"a".repeat(4095)}` }), 404, "endpoint_not_found");
  });

  it("400 invalid_method for a method that is not HTTP", async () => {
    const error = await expectError(
      await getScopes({ path: "/rest/agile/1.0/board", method: "FETCH" }),
      400,
      "invalid_method",
    );
    expect(error.message).toContain('"FETCH"');
    expect(error.message).toContain("GET, POST, PUT, PATCH, DELETE");
  });

  it("404 method_not_found with the methods the template takes", async () => {
    const error = await expectError(
      await getScopes({ path: BOARD_GATEWAY_URL, method: "PATCH" }),
      404,
      "method_not_found",
    );
    expect(error.message).toBe("/rest/agile/1.0/board exists, but not with PATCH; it takes GET, POST.");
    expect(error.details).toEqual({ path: "/rest/agile/1.0/board", methods: ["GET", "POST"] });
  });

  it("404 endpoint_not_found with at most 5 suggestions, the one-letter typo's template first", async () => {
    const error = await expectError(await getScopes({ path: "/rest/agile/1.0/bord" }), 404, "endpoint_not_found");
    expect(error.message).toContain("/rest/agile/1.0/bord");
    expect(error.details.path).toBe("/rest/agile/1.0/bord");
    expect(error.details.suggestions.length).toBeGreaterThan(0);
    expect(error.details.suggestions.length).toBeLessThanOrEqual(5);
    expect(error.details.suggestions[0]).toBe("/rest/agile/1.0/board");
    expect(new Set(error.details.suggestions).size).toBe(error.details.suggestions.length);
  });

  it("suggests the nearest template for a typo behind the gateway too, and never more than 5", async () => {
    const typo = await expectError(
      await getScopes({ path: `https://api.atlassian.com/ex/jira/${CLOUD_ID}/rest/api/3/isue/ABC-1` }),
      404,
      "endpoint_not_found",
    );
    expect(typo.details.path).toBe("/rest/api/3/isue/ABC-1");
    expect(typo.details.suggestions[0]).toBe("/rest/api/3/issue/{issueIdOrKey}");
    const nonsense = await expectError(
      await getScopes({ path: "/completely/unknown/thing/here/and/more" }),
      404,
      "endpoint_not_found",
    );
    expect(nonsense.details.suggestions).toHaveLength(5);
  });

  // Errors as text and markdown: test/routes/error-formats.workerd.test.ts.
  it("answers errors as JSON when JSON was asked for, whatever Accept says", async () => {
    await expectError(await getScopes({ path: "/rest/agile/1.0/bord", format: "json" }), 404, "endpoint_not_found");
    await expectError(
      await getScopes({ path: "/rest/agile/1.0/bord", format: "json" }, { accept: "text/plain" }),
      404,
      "endpoint_not_found",
    );
  });
});

describe("GET /scopes: output formats", () => {
  const BOARD_TEXT_LINES = [
    "GET /rest/agile/1.0/board  [jira-software] Get all boards",
    "  needs: read:board-scope:jira-software + read:project:jira  (granular, Current)",
    `  note: ${JIRA_SOFTWARE_NOTE}`,
  ];

  it("answers JSON by default", async () => {
    const response = await getScopes({ path: "/rest/agile/1.0/board" });
    expect(response.headers.get("content-type")).toBe("application/json");
    expect(((await response.json()) as Json).endpoints).toHaveLength(2);
  });

  it("?format=text gives short lines: endpoint, needs, notes, docs, catalog version", async () => {
    const response = await getScopes({ path: BOARD_GATEWAY_URL, method: "GET", format: "text" });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/plain; charset=UTF-8");
    const text = await response.text();
    const lines = text.split("\n");
    expect(lines.slice(0, 3)).toEqual(BOARD_TEXT_LINES);
    expect(lines[3]).toMatch(
      /^ {2}docs: https:\/\/developer\.atlassian\.com\/cloud\/jira\/software\/rest\/.*#api-rest-agile-1-0-board-get$/,
    );
    expect(lines.at(-2)).toBe(`catalog ${SNAPSHOT_VERSION}`);
    expect(text.endsWith("\n")).toBe(true);
  });

  it("Accept: text/plain gives the same text as ?format=text", async () => {
    const viaAccept = await getScopes({ path: "/rest/agile/1.0/board" }, { accept: "text/plain" });
    const viaQuery = await getScopes({ path: "/rest/agile/1.0/board", format: "text" });
    expect(viaAccept.headers.get("content-type")).toBe("text/plain; charset=UTF-8");
    const text = await viaAccept.text();
    expect(text).toBe(await viaQuery.text());
    expect(text).toContain(
      "\nPOST /rest/agile/1.0/board  [jira-software] Create board\n  needs: write:board-scope:jira-software  (granular, Current)\n",
    );
  });

  it("?format= in any case (TEXT, Markdown) is that format; another word is a 400 listing the formats", async () => {
    const text = await (await getScopes({ path: "/rest/agile/1.0/board", format: "text" })).text();
    const upper = await getScopes({ path: "/rest/agile/1.0/board", format: "TEXT" });
    expect(upper.status).toBe(200);
    expect(upper.headers.get("content-type")).toBe("text/plain; charset=UTF-8");
    expect(await upper.text()).toBe(text);
    const markdown = await getScopes({ path: "/rest/agile/1.0/board", format: "Markdown" });
    expect(markdown.headers.get("content-type")).toBe("text/markdown; charset=UTF-8");
    // Was zod's own 'Invalid option: expected one of "json"|"text"|"markdown"'.
    const error = await expectError(
      await getScopes({ path: "/rest/agile/1.0/board", format: "txt" }),
      400,
      "invalid_request",
    );
    expect(error.message).toBe('format: `format` must be one of json, text, markdown, not "txt"; did you mean text?');
  });

  it("prefers JSON when Accept lists application/json first, and ?format=json overrides Accept", async () => {
    const jsonFirst = await getScopes({ path: "/rest/agile/1.0/board" }, { accept: "application/json, text/plain" });
    expect(jsonFirst.headers.get("content-type")).toBe("application/json");
    const overridden = await getScopes({ path: "/rest/agile/1.0/board", format: "json" }, { accept: "text/plain" });
    expect(overridden.headers.get("content-type")).toBe("application/json");
    expect(overridden.headers.get("etag")).toBe(JSON_ETAG);
  });

  it.each([
    { accept: "text/plain;q=0.5, application/json", want: "application/json" },
    { accept: "text/*", want: "text/plain; charset=UTF-8" },
    { accept: "text/markdown;q=0.9, text/plain;q=0.8", want: "text/markdown; charset=UTF-8" },
    { accept: "text/html,application/xhtml+xml,*/*;q=0.8", want: "application/json" },
    { accept: "*/*", want: "application/json" },
    { accept: "application/json", want: "application/json" },
    { accept: "text/plain", want: "text/plain; charset=UTF-8" },
    { accept: "*/*;q=0.1, text/markdown", want: "text/markdown; charset=UTF-8" },
  ])("Accept $accept: q-values decide ($want)", async ({ accept, want }) => {
    const response = await getScopes({ path: "/rest/agile/1.0/board" }, { accept });
    expect(response.headers.get("content-type")).toBe(want);
  });

  it("puts the request note and the alternatives' `or:` lines into the text", async () => {
    const text = await (
      await getScopes({ path: "https://acme.atlassian.net/rest/api/3/issue/ABC-1", method: "GET", format: "text" })
    ).text();
    const lines = text.split("\n");
    expect(lines[0]).toBe("GET /rest/api/3/issue/{issueIdOrKey}  [jira] Get issue");
    expect(lines[1]).toBe("  needs: read:jira-work  (classic, Current)");
    expect(lines[2]).toMatch(/^ {5}or: read:avatar:jira \+ .* {2}\(granular, Beta\)$/);
    expect(lines).toContain(
      "note: Scoped API tokens (and service-account tokens) must call https://api.atlassian.com/ex/jira/{cloudId}/rest/api/3/issue/ABC-1, not acme.atlassian.net; the cloudId is in https://acme.atlassian.net/_edge/tenant_info.",
    );
  });

  it("?format=markdown or Accept: text/markdown gives the text lines marked up, with their own ETag", async () => {
    const response = await getScopes({ path: BOARD_GATEWAY_URL, method: "GET", format: "markdown" });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/markdown; charset=UTF-8");
    expect(response.headers.get("etag")).toBe(etagOf("markdown"));
    const lines = (await response.text()).trimEnd().split("\n");
    expect(lines[0]).toBe("**GET `/rest/agile/1.0/board`  \\[jira-software\\] Get all boards**");
    expect(lines[1]).toBe("- _needs:_ `read:board-scope:jira-software` + `read:project:jira`  (granular, Current)");
    expect(lines.at(-1)).toBe(`_catalog ${SNAPSHOT_VERSION}_`);
    const viaAccept = await getScopes({ path: BOARD_GATEWAY_URL, method: "GET" }, { accept: "text/markdown" });
    expect(viaAccept.headers.get("content-type")).toBe("text/markdown; charset=UTF-8");
    expect(`${(await viaAccept.text()).trimEnd()}`).toBe(lines.join("\n"));
  });

  it("400 invalid_request for ?format=xml", async () => {
    const response = await getScopes({ path: "/rest/agile/1.0/board", format: "xml" });
    const error = await expectError(response, 400, "invalid_request");
    expect(error.message).toMatch(/^format: /);
    expect(error.details.issues[0].path).toBe("format");
  });
});

describe("GET /scopes: conditional requests and caching headers", () => {
  it("carries an ETag tied to the catalog version, Cache-Control and Vary: Accept", async () => {
    const response = await getScopes({ path: "/rest/agile/1.0/board" });
    expect(response.status).toBe(200);
    expect(response.headers.get("etag")).toBe(JSON_ETAG);
    expect(response.headers.get("cache-control")).toBe(CACHE_CONTROL);
    expect(response.headers.get("vary")).toBe("Accept");
  });

  it("answers 304 with no body to the same request with If-None-Match", async () => {
    const first = await getScopes({ path: BOARD_GATEWAY_URL, method: "GET" });
    const etag = first.headers.get("etag")!;
    await first.arrayBuffer();
    const again = await getScopes({ path: BOARD_GATEWAY_URL, method: "GET" }, { "if-none-match": etag });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe("");
    expect(again.headers.get("etag")).toBe(etag);
    expect(again.headers.get("cache-control")).toBe(CACHE_CONTROL);
    expect(again.headers.get("vary")).toBe("Accept");
    expect(again.headers.get("access-control-allow-origin")).toBe("*");
  });

  it("answers 304 when the ETag is one of several in If-None-Match", async () => {
    const response = await getScopes(
      { path: "/rest/agile/1.0/board" },
      { "if-none-match": `W/"2020-01-01T00-00-00Z-json", ${JSON_ETAG}` },
    );
    expect(response.status).toBe(304);
  });

  it("answers 200 in full to another version's ETag", async () => {
    const response = await getScopes(
      { path: "/rest/agile/1.0/board" },
      { "if-none-match": 'W/"2020-01-01T00-00-00Z-json"' },
    );
    expect(response.status).toBe(200);
    expect(response.headers.get("etag")).toBe(JSON_ETAG);
    expect(((await response.json()) as Json).endpoints).toHaveLength(2);
  });

  it("gives text and JSON different ETags, so neither revalidates as the other", async () => {
    const text = await getScopes({ path: "/rest/agile/1.0/board", format: "text" });
    expect(text.headers.get("etag")).toBe(TEXT_ETAG);
    const viaAccept = await getScopes({ path: "/rest/agile/1.0/board" }, { accept: "text/plain" });
    expect(viaAccept.headers.get("etag")).toBe(TEXT_ETAG);
    const textWithJsonTag = await getScopes(
      { path: "/rest/agile/1.0/board", format: "text" },
      { "if-none-match": JSON_ETAG },
    );
    expect(textWithJsonTag.status).toBe(200);
    expect(textWithJsonTag.headers.get("content-type")).toBe("text/plain; charset=UTF-8");
    const textWithTextTag = await getScopes(
      { path: "/rest/agile/1.0/board", format: "text" },
      { "if-none-match": TEXT_ETAG },
    );
    expect(textWithTextTag.status).toBe(304);
  });

  it("marks every error answer Cache-Control: no-store, without an ETag", async () => {
    const failing = [
      await get("/scopes"),
      await getScopes({ path: "/rest/agile/1.0/bord" }),
      await getScopes({ path: "/rest/agile/1.0/board", method: "PATCH" }),
      await getScopes({ path: "/rest/agile/1.0/board", method: "NOPE" }),
      await getScopes({ path: "%" }),
    ];
    for (const response of failing) {
      expect(response.status).toBeGreaterThanOrEqual(400);
      expect(response.headers.get("cache-control")).toBe("no-store");
      expect(response.headers.get("etag")).toBeNull();
      await response.arrayBuffer();
    }
  });

  // The If-None-Match check runs after validation and lookup: a request that has no representation
  // (missing path, unknown endpoint, format=xml) gets its 400/404, never a 304.
  // RFC 9110 §13.1.2: `*` matches only when a current representation exists.
  it("does not answer 304 to If-None-Match: * for a request that fails validation", async () => {
    const response = await get("/scopes", { "if-none-match": "*" });
    expect(response.status).toBe(400);
  });
});

describe("GET /scopes: CORS", () => {
  it("allows any origin and exposes the ETag", async () => {
    const response = await getScopes({ path: "/rest/agile/1.0/board" }, { origin: "https://some.page.example" });
    expect(response.status).toBe(200);
    expect(response.headers.get("access-control-allow-origin")).toBe("*");
    expect(response.headers.get("access-control-expose-headers")?.split(",")).toContain("ETag");
  });

  it("allows any origin on errors too", async () => {
    const response = await get("/scopes", { origin: "https://some.page.example" });
    expect(response.headers.get("access-control-allow-origin")).toBe("*");
    await expectError(response, 400, "invalid_request");
  });
});
