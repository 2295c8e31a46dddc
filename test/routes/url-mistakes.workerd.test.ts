/**
 * URL mistakes through the worker (issue 12, section 5): GET /scopes answers the endpoint meant with
 * coded notes and the corrected URL in JSON, text and markdown, and the same notes reach /diff, /plan
 * and /explain through the shared lookup; `context=forge` never points at the /ex/ gateway.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { CLOUD_ID, get, getScopes, okJson, postDiff, postJson, resetCatalogCache, type Json } from "../helpers/worker";

beforeAll(async () => {
  resetCatalogCache();
  await (await get("/health")).arrayBuffer();
}, 30_000);

const post = async (route: string, body: unknown): Promise<Json> => okJson(await postJson(route, body));

const PAGE_LINK = "https://acme.atlassian.net/wiki/spaces/KEY/pages/123/Some+Title";

describe("GET /scopes: a browser link is answered with its REST endpoint and a browser_url note", () => {
  it("JSON: the endpoint, matchedPath, and urlNotes with codes and corrected URLs", async () => {
    const body = await okJson(await getScopes({ path: PAGE_LINK }));
    expect(body.query.matchedPath).toBe("/wiki/api/v2/pages/123");
    expect(body.endpoints.map((endpoint: Json) => `${endpoint.method} ${endpoint.path}`)).toEqual([
      "GET /wiki/api/v2/pages/{id}",
    ]);
    expect(body.urlNotes.map((note: Json) => [note.code, note.url])).toEqual([
      ["browser_url", "https://acme.atlassian.net/wiki/api/v2/pages/123"],
      ["scoped_token_gateway", "https://api.atlassian.com/ex/confluence/{cloudId}/wiki/api/v2/pages/123"],
    ]);
    expect(body.notes).toEqual(body.urlNotes.map((note: Json) => note.message));
  });

  it("text and markdown carry the same notes", async () => {
    const text = await (await getScopes({ path: PAGE_LINK, format: "text" })).text();
    expect(text).toContain(
      "note: /wiki/spaces/{spaceKey}/pages/{pageId}/{title} is a page in the browser, not a REST endpoint; the REST call that does the same job is GET /wiki/api/v2/pages/{id}: https://acme.atlassian.net/wiki/api/v2/pages/123.",
    );
    const markdown = await (await getScopes({ path: PAGE_LINK, format: "markdown" })).text();
    expect(markdown).toContain("_note:_ `/wiki/spaces/{spaceKey}/pages/{pageId}/{title}` is a page in the browser");
  });

  it("context=forge: requestConfluence's site-relative path, never the gateway", async () => {
    const body = await okJson(
      await getScopes({
        path: `https://api.atlassian.com/ex/jira/${CLOUD_ID}/wiki/api/v2/pages/123`,
        context: "forge",
      }),
    );
    expect(body.urlNotes.map((note: Json) => [note.code, note.url])).toEqual([
      ["forge_path", "/wiki/api/v2/pages/123"],
    ]);
    expect(JSON.stringify(body.notes)).not.toContain("/ex/");
  });

  it("context other than forge: 400 invalid_request", async () => {
    const response = await getScopes({ path: "/rest/api/3/myself", context: "oauth" });
    expect(response.status).toBe(400);
    expect(((await response.json()) as Json).error.code).toBe("invalid_request");
  });

  it.each([
    ["/wiki/wiki/rest/api/content/123", "/wiki/rest/api/content/{id}"],
    ["/rest/api/3/rest/api/3/issue/ABC-1", "/rest/api/3/issue/{issueIdOrKey}"],
    [
      `https://api.atlassian.com/ex/jira/${CLOUD_ID}/https://api.atlassian.com/ex/jira/${CLOUD_ID}/rest/api/3/issue/ABC-1`,
      "/rest/api/3/issue/{issueIdOrKey}",
    ],
  ])("a start pasted twice (%s): 404 with the template it matches undoubled first", async (path, first) => {
    // A cold isolate answers from the products the path names, then the whole catalog ranks suggestions.
    resetCatalogCache();
    const response = await getScopes({ path });
    expect(response.status).toBe(404);
    const error = ((await response.json()) as Json).error;
    expect(error.code).toBe("endpoint_not_found");
    expect(error.details.suggestions[0]).toBe(first);
  });

  it("/diff: a doubled start's line is not found, with the undoubled template first", async () => {
    const body = await okJson(
      await postDiff({ scopes: ["read:jira-work"], endpoints: ["GET /rest/api/3/rest/api/3/issue/ABC-1"] }),
    );
    expect(body.results[0].error.code).toBe("endpoint_not_found");
    expect(body.results[0].error.details.suggestions[0]).toBe("/rest/api/3/issue/{issueIdOrKey}");
  });

  it("a reordered path: 404 with the reordered template first", async () => {
    const response = await getScopes({ path: "/rest/api/3/jql/search", method: "GET" });
    expect(response.status).toBe(404);
    expect(((await response.json()) as Json).error.details.suggestions[0]).toBe("/rest/api/3/search/jql");
  });
});

describe("the notes reach /diff, /plan and /explain", () => {
  const MISSING_PREFIX = "https://api.atlassian.com/rest/api/3/issue/ABC-1";

  it("/diff: the checked endpoint carries its urlNotes, and the text a note line", async () => {
    const body = await okJson(await postDiff({ scopes: ["read:jira-work"], endpoints: [`GET ${MISSING_PREFIX}`] }));
    const [result] = body.results;
    expect(result).toMatchObject({ path: "/rest/api/3/issue/{issueIdOrKey}", satisfied: true });
    expect(result.urlNotes.map((note: Json) => note.code)).toEqual(["missing_gateway_prefix"]);
    const text = await (
      await postDiff({ scopes: ["read:jira-work"], endpoints: [`GET ${MISSING_PREFIX}`] }, { query: "?format=text" })
    ).text();
    expect(text).toContain(
      "note: api.atlassian.com serves Jira REST APIs only under /ex/jira/{cloudId}: call https://api.atlassian.com/ex/jira/{cloudId}/rest/api/3/issue/ABC-1.",
    );
  });

  it("/plan: each endpoint's urlNotes, summed up once per code in notes", async () => {
    const body = await post("/plan", {
      endpoints: [
        "GET https://api.bitbucket.org/repositories/ws/repo/pullrequests/1",
        "GET https://api.bitbucket.org/repositories/ws/repo/pullrequests",
      ],
    });
    expect(body.endpoints.map((endpoint: Json) => endpoint.urlNotes?.map((note: Json) => note.code))).toEqual([
      ["missing_bitbucket_version"],
      ["missing_bitbucket_version"],
    ]);
    expect(body.notes.filter((note: string) => note.startsWith("missing_bitbucket_version"))).toEqual([
      "missing_bitbucket_version (2 endpoints, e.g. GET https://api.bitbucket.org/repositories/ws/repo/pullrequests/1): Bitbucket Cloud REST paths start with /2.0 (/2.0/repositories/ws/repo/pullrequests/1); read as that: call https://api.bitbucket.org/2.0/repositories/ws/repo/pullrequests/1.",
    ]);
  });

  it("/explain: the URL's mistake is a finding with the corrected URL, and explains the 404", async () => {
    const body = await post("/explain", {
      method: "GET",
      url: `https://api.atlassian.com/ex/jira/${CLOUD_ID}/wiki/api/v2/pages/123`,
      status: 404,
    });
    expect(body.findings.map((finding: Json) => finding.code)).toEqual(["gateway_product_mismatch"]);
    expect(body.findings[0].fix).toBe(
      `Call https://api.atlassian.com/ex/confluence/${CLOUD_ID}/wiki/api/v2/pages/123.`,
    );
  });

  it("api.atlassian.com/ex/bitbucket/...: no such gateway; read as Bitbucket's path, with its URL on api.bitbucket.org", async () => {
    const url = `https://api.atlassian.com/ex/bitbucket/${CLOUD_ID}/2.0/repositories/ws/repo`;
    const lookup = await okJson(await getScopes({ path: url, method: "GET" }));
    expect(lookup.endpoints.map((endpoint: Json) => `${endpoint.method} ${endpoint.path}`)).toEqual([
      "GET /2.0/repositories/{workspace}/{repo_slug}",
    ]);
    expect(lookup.urlNotes).toEqual([
      expect.objectContaining({
        code: "no_bitbucket_gateway",
        url: "https://api.bitbucket.org/2.0/repositories/ws/repo",
      }),
    ]);
    const explained = await post("/explain", { method: "GET", url, status: 404 });
    expect(explained.findings.map((finding: Json) => finding.code)).toEqual(["no_bitbucket_gateway"]);
    expect(explained.findings[0].fix).toBe("Call https://api.bitbucket.org/2.0/repositories/ws/repo.");
    // A miss is ranked among Bitbucket's paths, which the prefix names.
    const missed = await getScopes({ path: url.replace("repositories", "repositorys") });
    expect(missed.status).toBe(404);
    expect(((await missed.json()) as Json).error.details.suggestions[0]).toBe(
      "/2.0/repositories/{workspace}/{repo_slug}",
    );
  });
});

describe("Jira's /rest/api/latest and v2 paths the v2 document lacks: read as their v3 twin", () => {
  it("/rest/api/latest is read as /rest/api/3, with api_version_latest naming the numbered URL", async () => {
    const body = await okJson(await getScopes({ path: "https://acme.atlassian.net/rest/api/latest/myself" }));
    expect(body.query.matchedPath).toBe("/rest/api/3/myself");
    expect(body.endpoints.map((endpoint: Json) => `${endpoint.method} ${endpoint.path}`)).toEqual([
      "GET /rest/api/3/myself",
    ]);
    expect(body.urlNotes[0]).toEqual({
      code: "api_version_latest",
      message: expect.stringMatching(
        /^Atlassian's Jira documents publish \/rest\/api\/2 and \/rest\/api\/3, not \/rest\/api\/latest/,
      ),
      url: "https://acme.atlassian.net/rest/api/3/myself",
    });
  });

  it("/rest/api/2/search/jql (newer than the v2 document) has its v3 twin's scopes, and is called as given", async () => {
    const body = await okJson(
      await getScopes({ path: "https://acme.atlassian.net/rest/api/2/search/jql", method: "POST" }),
    );
    expect(body.endpoints.map((endpoint: Json) => `${endpoint.method} ${endpoint.path}`)).toEqual([
      "POST /rest/api/3/search/jql",
    ]);
    expect(body.urlNotes.map((note: Json) => [note.code, note.url])).toEqual([
      ["v3_twin", undefined],
      // The gateway keeps the v2 path: Atlassian serves it.
      ["scoped_token_gateway", "https://api.atlassian.com/ex/jira/{cloudId}/rest/api/2/search/jql"],
    ]);
    // A v2 path the v2 document lists is its own, with no note.
    const own = await okJson(await getScopes({ path: "/rest/api/2/myself" }));
    expect(own.endpoints[0].path).toBe("/rest/api/2/myself");
    expect(own.urlNotes).toEqual([]);
  });

  it("/explain: v3_twin does not explain a 404 (the item is looked at), and /diff checks the twin", async () => {
    const explained = await post("/explain", {
      method: "GET",
      url: `https://api.atlassian.com/ex/jira/${CLOUD_ID}/rest/api/2/search/jql`,
      status: 404,
      scopes: ["read:jira-work"],
    });
    expect(explained.findings.map((finding: Json) => finding.code)).toEqual(["resource_not_visible", "v3_twin"]);
    const checked = await okJson(
      await postDiff({
        scopes: ["read:jira-work"],
        endpoints: ["GET /rest/api/2/search/jql", "GET /rest/api/latest/nope"],
      }),
    );
    expect(checked.results[0]).toMatchObject({ satisfied: true, path: "/rest/api/3/search/jql" });
    expect(checked.results[1].error.code).toBe("endpoint_not_found");
  });
});
