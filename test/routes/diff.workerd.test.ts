/** POST /diff inside workerd, answered from the bundled snapshot (KV is empty in this file). */
import {
  BOARD_GATEWAY_URL,
  ORIGIN,
  get,
  SNAPSHOT_SCRAPED_AT,
  SNAPSHOT_VERSION,
  endpointKey,
  expectError,
  okJson,
  postDiff,
  resetCatalogCache,
  type Json,
} from "../helpers/worker";
import { exports } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";

const ADMIN = "read:board-scope.admin:jira-software";
const BOARD = "read:board-scope:jira-software";
const PROJECT = "read:project:jira";

beforeAll(async () => {
  // Whatever another file left in this isolate's catalog cache, this file answers from the snapshot.
  resetCatalogCache();
  // The first request loads the worker and builds the snapshot's index: seconds, not a test's 5.
  await (await get("/health")).arrayBuffer();
}, 30_000);

const diff = async (body: unknown, query = ""): Promise<Json> => okJson(await postDiff(body, { query }));

describe("POST /diff: the mission case", () => {
  it("read:board-scope.admin + read:board-scope for GET /rest/agile/1.0/board lacks exactly read:project:jira", async () => {
    const body = await diff({ scopes: [ADMIN, BOARD], method: "GET", path: BOARD_GATEWAY_URL });
    expect(body.catalog).toEqual({ version: SNAPSHOT_VERSION, scrapedAt: SNAPSHOT_SCRAPED_AT, source: "snapshot" });
    expect(body.scopes).toEqual([ADMIN, BOARD]);
    expect(body.unknownScopes).toEqual([]);
    expect(body.unusedScopes).toEqual([ADMIN]);
    expect(body.summary).toEqual({ checked: 1, satisfied: 0, unsatisfied: 1, unknown: 0, errors: 0 });
    expect(body.tokens).toBeUndefined();
    expect(body.results).toHaveLength(1);
    const [result] = body.results;
    expect(result).toMatchObject({
      input: { method: "GET", path: BOARD_GATEWAY_URL },
      product: "jira-software",
      method: "GET",
      path: "/rest/agile/1.0/board",
      summary: "Get all boards",
      satisfied: false,
      satisfiedBy: null,
      missing: [PROJECT],
      alternatives: [{ kind: "granular", state: "Current", scopes: [BOARD, PROJECT], missing: [PROJECT] }],
      hints: [],
    });
    expect(result.docsUrl).toMatch(/^https:\/\/developer\.atlassian\.com\//);
  });

  it("only the .admin scope: both are missing, with a hint that .admin does not stand in for read:board-scope", async () => {
    const body = await diff({ scopes: [ADMIN], method: "GET", path: BOARD_GATEWAY_URL });
    const [result] = body.results;
    expect(result.satisfied).toBe(false);
    expect(result.missing).toEqual([BOARD, PROJECT]);
    expect(result.hints).toContain(
      `\`${ADMIN}\` does not stand in for \`${BOARD}\`: they are different scopes, so add \`${BOARD}\`.`,
    );
  });

  it("with read:project:jira added, it is satisfied by the granular set", async () => {
    const body = await diff({ scopes: [ADMIN, BOARD, PROJECT], method: "GET", path: BOARD_GATEWAY_URL });
    // A satisfied endpoint says which set holds and nothing more: no alternatives, no empty `missing`, no docs link.
    expect(body.results[0]).toEqual({
      input: { method: "GET", path: BOARD_GATEWAY_URL },
      product: "jira-software",
      method: "GET",
      path: "/rest/agile/1.0/board",
      summary: "Get all boards",
      satisfied: true,
      satisfiedBy: { kind: "granular", state: "Current", scopes: [BOARD, PROJECT] },
      hints: [],
    });
    expect(body.summary).toEqual({ checked: 1, satisfied: 1, unsatisfied: 0, unknown: 0, errors: 0 });
    expect(body.unusedScopes).toEqual([ADMIN]);
  });

  it("says classic Jira scopes do not count for Jira Software", async () => {
    const body = await diff({ scopes: ["read:jira-work"], method: "GET", path: "/rest/agile/1.0/board" });
    expect(body.results[0].missing).toEqual([BOARD, PROJECT]);
    expect(body.results[0].hints).toContain(
      "Jira Software has no classic scopes: `read:jira-work` does not count here; use the granular scopes listed.",
    );
  });

  it("names no typo as a classic scope: read:jira-wrok is unknown, with suggestions, and not in the hint", async () => {
    const body = await diff({
      scopes: ["read:jira-wrok", "read:jira-work"],
      method: "GET",
      path: "/rest/agile/1.0/board",
    });
    expect(body.unknownScopes[0]).toMatchObject({ scope: "read:jira-wrok" });
    expect(body.unknownScopes[0].suggestions[0]).toBe("read:jira-work");
    expect(body.results[0].hints).toEqual([
      "Jira Software has no classic scopes: `read:jira-work` does not count here; use the granular scopes listed.",
    ]);
  });

  it("names no made-up scope as another product's: read:workspace:jira is unknown, Bitbucket's suggested first", async () => {
    const body = await diff({
      scopes: ["read:workspace:jira", "read:user:jira"],
      endpoints: ["GET https://api.bitbucket.org/2.0/workspaces"],
    });
    expect(body.unknownScopes).toHaveLength(1);
    expect(body.unknownScopes[0].scope).toBe("read:workspace:jira");
    expect(body.unknownScopes[0].suggestions[0]).toBe("read:workspace:bitbucket");
    // A real scope of another product is still named as one; the unknown name is not called a Jira scope.
    expect(body.results[0].hints).toEqual([
      "`read:user:jira` is a Jira scope, not a Bitbucket scope: it does not count here; Bitbucket's is `read:user:bitbucket`, with `read:workspace:bitbucket`.",
    ]);
  });

  it("names a classic Jira scope the registry knows but no catalogued endpoint takes (manage:jira-data-provider)", async () => {
    const body = await diff({ scopes: ["manage:jira-data-provider"], method: "GET", path: "/rest/agile/1.0/board" });
    expect(body.unknownScopes).toEqual([]);
    expect(body.results[0].hints).toContain(
      "Jira Software has no classic scopes: `manage:jira-data-provider` does not count here; use the granular scopes listed.",
    );
  });

  it("explains that write does not include read", async () => {
    const body = await diff({ scopes: ["write:jira-work"], method: "GET", path: "/rest/api/3/issue/ABC-1" });
    expect(body.results[0].missing).toEqual(["read:jira-work"]);
    expect(body.results[0].hints[0]).toBe(
      "`write:jira-work` does not include `read:jira-work`: scopes never imply one another, so add `read:jira-work`.",
    );
  });
});

describe("POST /diff: input forms", () => {
  it("takes the scopes as one string separated by spaces, commas and newlines", async () => {
    const body = await diff({
      scopes: `${ADMIN}, ${BOARD}\n${PROJECT}  read:jira-work,,`,
      method: "GET",
      path: "/rest/agile/1.0/board",
    });
    expect(body.scopes).toEqual([ADMIN, BOARD, PROJECT, "read:jira-work"]);
    expect(body.results[0].satisfied).toBe(true);
  });

  it("strips quotes and brackets pasted around names and drops duplicates", async () => {
    const body = await diff({
      scopes: `["${BOARD}", '${PROJECT}', ${BOARD}]`,
      path: "GET /rest/agile/1.0/board".slice(4),
      method: "GET",
    });
    expect(body.scopes).toEqual([BOARD, PROJECT]);
  });

  it("checks `endpoints` given as {method, path} objects and as `METHOD URL` or bare URL strings", async () => {
    const body = await diff({
      scopes: [BOARD, PROJECT],
      endpoints: [
        { method: "get", path: BOARD_GATEWAY_URL },
        "GET /rest/api/3/issue/ABC-1",
        { path: "/rest/agile/1.0/board/42" },
        "/rest/api/3/myself",
      ],
    });
    expect(
      body.results.map((result: Json) => [result.input, `${result.method} ${result.path}`, result.satisfied]),
    ).toEqual([
      [{ method: "GET", path: BOARD_GATEWAY_URL }, "GET /rest/agile/1.0/board", true],
      [{ method: "GET", path: "/rest/api/3/issue/ABC-1" }, "GET /rest/api/3/issue/{issueIdOrKey}", false],
      // Without a method, GET: DELETE /rest/agile/1.0/board/{boardId} is not checked (issue 12).
      [{ method: null, path: "/rest/agile/1.0/board/42" }, "GET /rest/agile/1.0/board/{boardId}", false],
      [{ method: null, path: "/rest/api/3/myself" }, "GET /rest/api/3/myself", false],
    ]);
    expect(body.results[2].hints).toContain(
      "No method was given: checked as GET (a bare URL never adds write or delete scopes); give the method to check another.",
    );
    expect(body.summary).toEqual({ checked: 4, satisfied: 1, unsatisfied: 3, unknown: 0, errors: 0 });
  });

  it("checks `path` and `endpoints` together, `path` first", async () => {
    const body = await diff({
      scopes: [BOARD, PROJECT],
      method: "GET",
      path: "/rest/agile/1.0/board",
      endpoints: ["GET /rest/api/3/myself"],
    });
    expect(body.results.map((result: Json) => result.path)).toEqual(["/rest/agile/1.0/board", "/rest/api/3/myself"]);
  });

  it("answers an unmatched endpoint with a per-item error, without failing the request", async () => {
    const body = await diff({
      scopes: [BOARD, PROJECT],
      endpoints: [
        "GET /rest/agile/1.0/board",
        "/rest/agile/1.0/bord",
        "PATCH /rest/agile/1.0/board",
        { method: "FETCH", path: "/rest/agile/1.0/board" },
        "GET %",
      ],
    });
    expect(body.summary).toEqual({ checked: 1, satisfied: 1, unsatisfied: 0, unknown: 0, errors: 4 });
    const [ok, notFound, wrongMethod, badMethod, badPath] = body.results;
    expect(ok.satisfied).toBe(true);
    expect(notFound).toEqual({
      input: { method: null, path: "/rest/agile/1.0/bord" },
      error: {
        code: "endpoint_not_found",
        message: expect.stringContaining("/rest/agile/1.0/bord"),
        details: { path: "/rest/agile/1.0/bord", suggestions: expect.arrayContaining(["/rest/agile/1.0/board"]) },
      },
    });
    expect(notFound.error.details.suggestions[0]).toBe("/rest/agile/1.0/board");
    expect(wrongMethod.error).toMatchObject({
      code: "method_not_found",
      details: { path: "/rest/agile/1.0/board", methods: ["GET", "POST"] },
    });
    expect(badMethod.error.code).toBe("invalid_method");
    expect(badPath.error.code).toBe("invalid_path");
  });

  it("lists unknown scopes with the nearest known names, and does not count offline_access as unknown", async () => {
    const body = await diff({
      scopes: ["read:jira-wrok", "read:board-scope:jira", "offline_access", "zzzzzzzzzzzzzzzzzzzz"],
      path: "/rest/api/3/myself",
    });
    expect(body.unknownScopes.map((unknown: Json) => unknown.scope)).toEqual([
      "read:jira-wrok",
      "read:board-scope:jira",
      "zzzzzzzzzzzzzzzzzzzz",
    ]);
    const [typo, shortened, nonsense] = body.unknownScopes;
    expect(typo.suggestions[0]).toBe("read:jira-work");
    expect(shortened.suggestions).toContain(BOARD);
    expect(nonsense.suggestions).toEqual([]);
    expect(body.unknownScopes.every((unknown: Json) => unknown.suggestions.length <= 5)).toBe(true);
  });

  it("offline_access: a known authorization scope, said with what it does; not unknown, not unused", async () => {
    // Found in review: a 3LO app's list (offline_access, read:me, read:account) said nothing of offline_access.
    const body = await diff({
      scopes: ["read:jira-work", "offline_access", "read:me", "read:account"],
      credential: "oauth2-3lo",
      endpoints: ["GET /rest/api/3/issue/ABC-1"],
    });
    expect(body.authorizationScopes).toEqual([
      {
        scope: "offline_access",
        note: "No REST endpoint needs it: it asks Atlassian's authorization server for a refresh token, so an OAuth 2.0 (3LO) app can get new access tokens without the user (add it to the authorization URL's `scope`).",
        docsUrl: "https://developer.atlassian.com/cloud/oauth/getting-started/refresh-tokens",
      },
    ]);
    expect(body.unknownScopes).toEqual([]);
    expect(body.unusedScopes).toEqual(["read:me"]);
    // Another kind is told it does not use it; a typo of it is still unknown, with it suggested.
    const token = await diff({
      scopes: ["read:jira-work", "offline_access", "offline_acess"],
      credential: "scoped-api-token",
      endpoints: ["GET /rest/api/3/issue/ABC-1"],
    });
    expect(token.authorizationScopes[0].note).toContain("Only 3LO apps use it");
    expect(token.unknownScopes).toEqual([{ scope: "offline_acess", suggestions: ["offline_access"] }]);
    // Without it, no such list.
    const none = await diff({ scopes: ["read:jira-work"], endpoints: ["GET /rest/api/3/issue/ABC-1"] });
    expect(none.authorizationScopes).toBeUndefined();
  });

  it("offline_access in the text answer", async () => {
    const text = await (
      await postDiff(
        { scopes: ["read:jira-work", "offline_access"], endpoints: ["GET /rest/api/3/issue/ABC-1"] },
        { query: "?format=text" },
      )
    ).text();
    expect(text).toContain("not for endpoints: offline_access: No REST endpoint needs it");
  });

  it("lists held known scopes that no checked endpoint uses as unused", async () => {
    const body = await diff({
      scopes: ["read:jira-work", "write:jira-work", "read:jira-wrok", BOARD],
      endpoints: ["GET /rest/api/3/issue/ABC-1"],
    });
    // write:jira-work and the board scope play no part in GET issue; the unknown typo is not listed as unused.
    expect(body.unusedScopes).toEqual(["write:jira-work", BOARD]);
    expect(body.results[0].satisfied).toBe(true);
  });

  it("answers the admin API's token list per token, ignoring its other fields", async () => {
    const tokens = [
      {
        id: "tok-1",
        label: "ci bot",
        scopes: ["read:jira-work"],
        created: "2026-01-01T00:00:00Z",
        expiresAt: "2027-01-01T00:00:00Z",
        status: "ACTIVE",
      },
      { id: "tok-2", label: "boards", scopes: `${BOARD} ${PROJECT}`, createdAt: "2026-02-01T00:00:00Z" },
    ];
    const body = await diff({ scopes: tokens, method: "GET", path: BOARD_GATEWAY_URL });
    expect(Object.keys(body).sort()).toEqual(["catalog", "tokens"]);
    expect(body.tokens).toHaveLength(2);
    const [ci, boards] = body.tokens;
    expect(ci).toMatchObject({
      id: "tok-1",
      label: "ci bot",
      scopes: ["read:jira-work"],
      unknownScopes: [],
      unusedScopes: ["read:jira-work"],
    });
    expect(ci.summary).toEqual({ checked: 1, satisfied: 0, unsatisfied: 1, unknown: 0, errors: 0 });
    expect(ci.results[0].missing).toEqual([BOARD, PROJECT]);
    expect(boards).toMatchObject({ id: "tok-2", label: "boards", scopes: [BOARD, PROJECT], unusedScopes: [] });
    expect(boards.results[0]).toMatchObject({ satisfied: true, path: "/rest/agile/1.0/board" });
    expect(JSON.stringify(body)).not.toContain("expiresAt");
  });

  it("takes the token list wrapped in {data: [...]}", async () => {
    const body = await diff({
      scopes: { data: [{ id: "tok-1", label: "one", scopes: [BOARD, PROJECT] }] },
      path: "GET /rest/agile/1.0/board".slice(4),
      method: "GET",
    });
    expect(body.tokens).toHaveLength(1);
    expect(body.tokens[0]).toMatchObject({ id: "tok-1", label: "one" });
    expect(body.tokens[0].results[0].satisfied).toBe(true);
  });
});

describe("POST /diff: what the scopes can call", () => {
  it("without endpoints, lists the callable endpoints with counts per product", async () => {
    const body = await diff({ scopes: [BOARD, PROJECT] });
    expect(body.results).toBeUndefined();
    expect(body.summary).toBeUndefined();
    const { callable } = body;
    const counted = Object.values(callable.byProduct as Record<string, number>).reduce((sum, count) => sum + count, 0);
    expect(counted).toBe(callable.total);
    expect(Object.keys(callable.byProduct).sort()).toEqual(["jira", "jira-software"]);
    expect(callable.endpoints.length).toBe(Math.min(100, callable.total));
    expect(callable.endpoints.map((endpoint: Json) => `${endpoint.method} ${endpoint.path}`)).toContain(
      "GET /rest/agile/1.0/board",
    );
    for (const endpoint of callable.endpoints) {
      // `via` is a set the held scopes fully cover.
      expect(endpoint.via.scopes.every((scope: string) => [BOARD, PROJECT].includes(scope))).toBe(true);
    }
  });

  it("pages the callable list with limit and cursor, each endpoint exactly once", async () => {
    const scopes = ["read:jira-work", "read:jira-user"];
    const everything = (await diff({ scopes, limit: 1000 })).callable;
    expect(everything.total).toBeGreaterThan(30);
    expect(everything.nextCursor).toBeNull();
    const keys: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: Json = (await diff({ scopes, limit: 25, ...(cursor ? { cursor } : {}) })).callable;
      expect(page.total).toBe(everything.total);
      expect(page.byProduct).toEqual(everything.byProduct);
      expect(page.endpoints.length).toBeLessThanOrEqual(25);
      keys.push(...page.endpoints.map(endpointKey));
      cursor = page.nextCursor;
      pages++;
    } while (cursor && pages < 100);
    expect(pages).toBe(Math.ceil(everything.total / 25));
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys).toEqual(everything.endpoints.map(endpointKey));
  });

  it("pages per token for a token list", async () => {
    const body = await diff({
      scopes: [
        { id: "a", scopes: [BOARD, PROJECT] },
        { id: "b", scopes: [] },
      ],
      limit: 2,
    });
    expect(body.tokens[0].callable.endpoints).toHaveLength(2);
    expect(body.tokens[0].callable.nextCursor).toEqual(expect.any(String));
    expect(body.tokens[1].callable).toEqual({ total: 0, byProduct: {}, endpoints: [], nextCursor: null });
  });

  it("several tokens share one cursor: a shorter list is over (an empty page), only a cursor past every list is refused", async () => {
    const tokens = [
      { id: "wide", label: "wide", scopes: ["read:jira-work"] },
      { id: "narrow", label: "narrow", scopes: [BOARD, PROJECT] },
    ];
    const first = await okJson(await postDiff({ scopes: tokens, limit: 5 }));
    const [wide, narrow] = first.tokens;
    expect(narrow.callable.total).toBeLessThan(wide.callable.total);
    // An offset past the narrow list but within the wide one, as the page's "Show more" sends it.
    const offset = narrow.callable.total + 1;
    const cursor = btoa(`o:${offset}`).replace(/=+$/, "");
    const later = await okJson(await postDiff({ scopes: tokens, limit: 5, cursor }));
    expect(later.tokens[0].callable.endpoints).toHaveLength(5);
    expect(later.tokens[1].callable).toMatchObject({ total: narrow.callable.total, endpoints: [], nextCursor: null });
    const past = await expectError(await postDiff({ scopes: tokens, cursor: "bzo5OTk5OQ" }), 400, "invalid_cursor");
    expect(past.message).toBe(
      `\`cursor\` points past the end of the ${wide.callable.total} results; leave it out to start again from the first page.`,
    );
  });

  it("400 invalid_cursor for a cursor it did not give out; 400 invalid_request for limit 0 or 1001", async () => {
    await expectError(await postDiff({ scopes: [BOARD], cursor: "nope" }), 400, "invalid_cursor");
    const past = await expectError(await postDiff({ scopes: [BOARD], cursor: "bzo5OTk5OQ" }), 400, "invalid_cursor");
    expect(past.message).toMatch(/^`cursor` points past the end of the \d+ results; leave it out/);
    const zero = await expectError(await postDiff({ scopes: [BOARD], limit: 0 }), 400, "invalid_request");
    expect(zero.details.issues[0].path).toBe("limit");
    // Worded as the other list answers word it, not zod's default.
    expect(zero.message).toBe("limit: `limit` must be a whole number from 1 to 1000");
    const over = await expectError(await postDiff({ scopes: [BOARD], limit: 1001 }), 400, "invalid_request");
    expect(over.details.issues[0].path).toBe("limit");
    expect(over.message).toBe("limit: `limit` must be a whole number from 1 to 1000");
    const text = await expectError(await postDiff({ scopes: [BOARD], limit: "ten" }), 400, "invalid_request");
    expect(text.message).toBe("limit: `limit` must be a whole number from 1 to 1000");
    const empty = await expectError(await postDiff({ scopes: [BOARD], endpoints: [""] }), 400, "invalid_request");
    expect(empty.message).toBe("endpoints.0: an endpoint is empty: give `METHOD URL`, or just a URL");
  });
});

describe("POST /diff: text answers", () => {
  it("?format=text gives OK, MISSING and ERROR lines, hints, unknown scopes and the version", async () => {
    const response = await postDiff(
      {
        scopes: `${BOARD} ${PROJECT} read:jira-wrok`,
        endpoints: ["GET /rest/agile/1.0/board", "GET /rest/api/3/issue/ABC-1", "/rest/agile/1.0/bord"],
      },
      { query: "?format=text" },
    );
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/plain; charset=UTF-8");
    const lines = (await response.text()).trimEnd().split("\n");
    expect(lines[0]).toBe(`OK      GET /rest/agile/1.0/board  via ${BOARD} + ${PROJECT}`);
    expect(lines).toContain("MISSING GET /rest/api/3/issue/{issueIdOrKey}  add read:jira-work");
    expect(lines).toContain(
      "ERROR   /rest/agile/1.0/bord: No Atlassian Cloud endpoint in the catalog matches /rest/agile/1.0/bord. Check the path against the suggestions, or the product's REST docs.",
    );
    expect(lines).toContain("unknown scope read:jira-wrok (did you mean read:jira-work?)");
    expect(lines.at(-1)).toBe(`catalog ${SNAPSHOT_VERSION}`);
  });

  it("the mission case in text: MISSING, the hint, and the unused .admin scope", async () => {
    const text = await (
      await postDiff(
        { scopes: [ADMIN], method: "GET", path: BOARD_GATEWAY_URL },
        { headers: { "content-type": "application/json", accept: "text/plain" } },
      )
    ).text();
    const lines = text.trimEnd().split("\n");
    expect(lines[0]).toBe(`MISSING GET /rest/agile/1.0/board  add ${BOARD} + ${PROJECT}`);
    expect(lines[1]).toBe(
      `        hint: \`${ADMIN}\` does not stand in for \`${BOARD}\`: they are different scopes, so add \`${BOARD}\`.`,
    );
    expect(lines).toContain(`unused: ${ADMIN}`);
  });

  it("names each token and shows the callable summary in text", async () => {
    const text = await (
      await postDiff({ scopes: [{ label: "boards", scopes: [BOARD, PROJECT] }], limit: 1 }, { query: "?format=text" })
    ).text();
    const lines = text.trimEnd().split("\n");
    expect(lines[0]).toBe("token boards: 2 scopes");
    expect(lines[1]).toMatch(/^can call \d+ endpoints: jira \d+, jira-software \d+$/);
    expect(lines[2]).toMatch(/^ {2}(GET|POST|PUT|DELETE) \//);
    expect(lines[3]).toMatch(/^ {2}more: send "cursor": "[\w-]+"$/);
  });

  it("counts one scope and one callable endpoint in the singular", async () => {
    // read:me calls GET /me alone: the text said "1 scopes" and "can call 1 endpoints".
    const text = await (
      await postDiff({ scopes: [{ label: "me", scopes: ["read:me"] }] }, { query: "?format=text" })
    ).text();
    expect(text.split("\n").slice(0, 2)).toEqual(["token me: 1 scope", "can call 1 endpoint: platform 1"]);
  });

  it("400 invalid_request for ?format=xml", async () => {
    await expectError(await postDiff({ scopes: [BOARD] }, { query: "?format=xml" }), 400, "invalid_request");
  });
});

describe("POST /diff: errors", () => {
  it("415 unsupported_media_type for a body not sent as JSON", async () => {
    const error = await expectError(
      await postDiff({ scopes: [BOARD] }, { headers: { "content-type": "text/plain" } }),
      415,
      "unsupported_media_type",
    );
    expect(error.message).toContain("Content-Type: application/json");
    await expectError(
      await postDiff({ scopes: [BOARD] }, { headers: { "content-type": "application/x-www-form-urlencoded" } }),
      415,
      "unsupported_media_type",
    );
    await expectError(await postDiff({ scopes: [BOARD] }, { headers: {} }), 415, "unsupported_media_type");
  });

  it("accepts JSON with a charset and +json media types", async () => {
    await okJson(
      await postDiff({ scopes: [BOARD] }, { headers: { "content-type": "application/json; charset=utf-8" } }),
    );
    await okJson(await postDiff({ scopes: [BOARD] }, { headers: { "content-type": "application/merge-patch+json" } }));
  });

  it("400 invalid_json for a malformed body", async () => {
    const error = await expectError(await postDiff('{"scopes": ["read:jira-work"],'), 400, "invalid_json");
    expect(error.message).toContain("not valid JSON");
  });

  it("400 invalid_request when `scopes` is missing or not scopes", async () => {
    for (const body of [{ path: "/rest/agile/1.0/board" }, { scopes: 42 }, { scopes: [1, 2] }, { scopes: null }]) {
      const error = await expectError(await postDiff(body), 400, "invalid_request");
      expect(error.message).toMatch(/^scopes: `scopes` must be a list of scope names/);
      expect(error.details.issues[0].path).toBe("scopes");
    }
  });

  it("400 invalid_request naming the form an endpoint takes: `url` pointed at `path`, one string at `path`", async () => {
    const url = await expectError(
      await postDiff({ scopes: [BOARD], endpoints: [{ url: "https://acme.atlassian.net/rest/api/3/myself" }] }),
      400,
      "invalid_request",
    );
    expect(url.message).toBe(
      'endpoints.0: an endpoint object takes `path` (the path or URL), not `url`: {"method": "GET", "path": "https://…"}',
    );
    for (const endpoint of [123, { method: "GET" }]) {
      const error = await expectError(
        await postDiff({ scopes: [BOARD], endpoints: [endpoint] }),
        400,
        "invalid_request",
      );
      expect(error.message).toBe(
        'endpoints.0: each endpoint is a string `METHOD URL` (or just a URL), or an object {"method": "GET", "path": "/rest/…"}',
      );
    }
    const one = await expectError(
      await postDiff({ scopes: [BOARD], endpoints: "GET /rest/api/3/myself" }),
      400,
      "invalid_request",
    );
    expect(one.message).toBe(
      'endpoints: `endpoints` is a list, e.g. ["GET /rest/api/3/myself"]; for one endpoint, give it as `path` (with `method`)',
    );
  });

  it("400 invalid_request for a body that is not an object", async () => {
    await expectError(await postDiff("[]"), 400, "invalid_request");
    await expectError(await postDiff('"read:jira-work"'), 400, "invalid_request");
  });

  it("400 for 1001 endpoints, naming the limit of 1000", async () => {
    const endpoints = Array.from({ length: 1001 }, () => "GET /rest/api/3/myself");
    const error = await expectError(await postDiff({ scopes: [BOARD], endpoints }), 400, "invalid_request");
    expect(error.message).toBe("endpoints: at most 1000 endpoints per request");
    // 1000 endpoints plus `path` is over the limit too.
    const withPath = await expectError(
      await postDiff({ scopes: [BOARD], path: "/rest/api/3/myself", endpoints: endpoints.slice(1) }),
      400,
      "too_many_endpoints",
    );
    expect(withPath.message).toBe("1001 endpoints given; at most 1000 per request.");
  });

  it("accepts 1000 endpoints", async () => {
    const body = await diff({
      scopes: ["read:jira-user"],
      endpoints: Array.from({ length: 1000 }, () => "GET /rest/api/3/myself"),
    });
    expect(body.summary).toEqual({ checked: 1000, satisfied: 1000, unsatisfied: 0, unknown: 0, errors: 0 });
  });

  it("400 too_many_scopes for 501 scopes, naming 500; 500 are accepted", async () => {
    const names = Array.from({ length: 501 }, (_, index) => `read:thing-${index}:jira`);
    const error = await expectError(await postDiff({ scopes: names }), 400, "too_many_scopes");
    expect(error.message).toBe("`scopes` holds 501 scopes; at most 500 are accepted (a token holds at most 50).");
    const body = await diff({ scopes: names.slice(0, 500), path: "/rest/api/3/myself" });
    expect(body.scopes).toHaveLength(500);
  });

  it("counts 501 scopes in one string too", async () => {
    const names = Array.from({ length: 501 }, (_, index) => `read:thing-${index}:jira`).join("\n");
    await expectError(await postDiff({ scopes: names }), 400, "too_many_scopes");
  });

  it("413 body_too_large for a body over 256 KB", async () => {
    const error = await expectError(
      await postDiff({
        scopes: [BOARD],
        endpoints: Array.from({ length: 900 }, () => `GET /rest/agile/1.0/board?${"x".repeat(300)}`),
      }),
      413,
      "body_too_large",
    );
    expect(error.message).toContain("256 KB");
  });

  it("refuses credentials in any letter case, escaped in JSON, or encoded in a pasted URL; scope names alone pass", async () => {
    const token = `ATAT${"T3xFfGF0".repeat(4)}`;
    const bodies = [
      { scopes: [BOARD], note: `authorization: BEARER ${"a1B2c3D4e5F6g7H8".repeat(2)}` },
      { scopes: [BOARD], Client_Secret: "abcdefgh12345678" },
      { scopes: [BOARD], PassWord: "hunter2hunter2" },
      { scopes: [BOARD], endpoints: [`GET /rest/api/3/myself?x=${encodeURIComponent(token).replace("A", "%41")}`] },
    ];
    for (const body of bodies) await expectError(await postDiff(body), 400, "credential_detected");
    // `\u0041TAT...` is `ATAT...` once the JSON is parsed.
    const escaped = await exports.default.fetch(
      new Request(`${ORIGIN}/diff`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: `{"scopes": ["${BOARD}"], "note": "\\u0041${token.slice(1)}"}`,
      }),
    );
    await expectError(escaped, 400, "credential_detected");
    expect(
      (
        await postDiff({
          scopes: ["read:jira-work", "write:jira-work", "manage:jira-configuration"],
          path: "/rest/api/3/myself",
        })
      ).status,
    ).toBe(200);
  });

  it("a streamed body (no Content-Length) split anywhere, even inside a character, answers as the same body sent whole", async () => {
    const body = {
      scopes: [ADMIN, BOARD, "read:jira-wrok"],
      endpoints: ["GET /rest/agile/1.0/board", "GET /rest/api/3/issue/ÄBC-1"],
    };
    const bytes = new TextEncoder().encode(`\uFEFF${JSON.stringify(body)}`);
    const streamed = (chunk: number) =>
      new ReadableStream<Uint8Array>({
        start(controller) {
          for (let offset = 0; offset < bytes.length; offset += chunk)
            controller.enqueue(bytes.slice(offset, offset + chunk));
          controller.close();
        },
      });
    const whole = await diff(body);
    for (const chunk of [1, 7, 1000]) {
      const request = new Request(`${ORIGIN}/diff`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: streamed(chunk),
        duplex: "half",
      } as RequestInit);
      expect(request.headers.has("content-length")).toBe(false);
      expect(await okJson(await exports.default.fetch(request))).toEqual(whole);
    }
  });

  it("404 in the error shape for GET /diff", async () => {
    const response = await exports.default.fetch(new Request(`${ORIGIN}/diff`));
    expect(response.status).toBe(404);
    const body = (await response.json()) as Json;
    expect(Object.keys(body)).toEqual(["error"]);
  });
});

describe("POST /diff: CORS", () => {
  it("answers the preflight for POST with Content-Type from any origin", async () => {
    const response = await exports.default.fetch(
      new Request(`${ORIGIN}/diff`, {
        method: "OPTIONS",
        headers: {
          origin: "https://some.page.example",
          "access-control-request-method": "POST",
          "access-control-request-headers": "content-type",
        },
      }),
    );
    expect(response.status).toBe(204);
    expect(response.headers.get("access-control-allow-origin")).toBe("*");
    expect(response.headers.get("access-control-allow-methods")?.split(",")).toContain("POST");
    expect(response.headers.get("access-control-allow-headers")?.toLowerCase().split(",")).toContain("content-type");
    expect(response.headers.get("access-control-max-age")).toBe("86400");
  });

  it("allows any origin on the POST answer and its errors", async () => {
    const ok = await postDiff(
      { scopes: [BOARD] },
      { headers: { "content-type": "application/json", origin: "https://some.page.example" } },
    );
    expect(ok.headers.get("access-control-allow-origin")).toBe("*");
    const unsupported = await postDiff(
      { scopes: [BOARD] },
      { headers: { "content-type": "text/plain", origin: "https://some.page.example" } },
    );
    expect(unsupported.headers.get("access-control-allow-origin")).toBe("*");
  });
});

describe("POST /diff: endpoint strings", () => {
  it("reads a bare URL with spaces in its query string as a URL, not as `METHOD URL`", async () => {
    const body = await diff({ scopes: ["read:jira-work"], endpoints: ["/rest/api/3/search?jql=project = ABC"] });
    expect(body.results.every((result: Json) => result.error === undefined)).toBe(true);
    expect(body.results[0].input).toEqual({ method: null, path: "/rest/api/3/search?jql=project = ABC" });
    expect(body.results.map((result: Json) => `${result.method} ${result.path}`)).toEqual(["GET /rest/api/3/search"]);
  });

  it("skips blank strings and # comments, but refuses an empty string", async () => {
    const body = await diff({
      scopes: [BOARD, PROJECT],
      endpoints: ["   ", "# the board list", "GET /rest/agile/1.0/board"],
    });
    expect(body.results).toHaveLength(1);
    expect(body.summary).toEqual({ checked: 1, satisfied: 1, unsatisfied: 0, unknown: 0, errors: 0 });
    const error = await expectError(
      await postDiff({ scopes: [BOARD], endpoints: ["", "GET /rest/agile/1.0/board"] }),
      400,
      "invalid_request",
    );
    expect(error.details.issues[0].path).toBe("endpoints.0");
  });

  it("reports a word that is not an HTTP method as a per-item invalid_method", async () => {
    const body = await diff({ scopes: [BOARD], endpoints: ["FETCH /rest/agile/1.0/board"] });
    expect(body.results[0]).toMatchObject({
      input: { method: "FETCH", path: "/rest/agile/1.0/board" },
      error: { code: "invalid_method" },
    });
  });
});

describe("POST /diff: bounded work for unmatched endpoints", () => {
  // Ranking the nearest templates costs a fraction of a millisecond per unmatched path, so a request
  // listing many unmatched paths ranks only the first MAX_SUGGESTED; the others still get their error.
  it("suggests templates for the first 10 unmatched endpoints only", async () => {
    const endpoints = Array.from({ length: 100 }, (_, index) => `/rest/agile/1.0/bord${index}`);
    const body = await diff({ scopes: [BOARD], endpoints });
    expect(body.summary.errors).toBe(100);
    const suggestions = body.results.map((result: any) => result.error.details.suggestions.length);
    expect(suggestions.slice(0, 10).every((count: number) => count === 5)).toBe(true);
    expect(suggestions.slice(10).every((count: number) => count === 0)).toBe(true);
    expect(body.results[0].error.details.suggestions[0]).toBe("/rest/agile/1.0/board");
  });
});

describe("POST /diff: Bitbucket OAuth 2.0 (classic) scopes imply lesser ones", () => {
  const REPO_URL = "https://api.bitbucket.org/2.0/repositories/my-team/my-repo";
  const REPO = "/2.0/repositories/{workspace}/{repo_slug}";
  const IMPLIED = "`repository:write` implies `repository` (Bitbucket OAuth 2.0 scopes imply lesser ones).";

  it("repository:write satisfies GET a repository, which needs repository; it is not unused", async () => {
    const body = await diff({ scopes: ["repository:write"], method: "GET", path: REPO_URL });
    expect(body.unknownScopes).toEqual([]);
    expect(body.unusedScopes).toEqual([]);
    expect(body.summary).toEqual({ checked: 1, satisfied: 1, unsatisfied: 0, unknown: 0, errors: 0 });
    expect(body.results).toEqual([
      {
        input: { method: "GET", path: REPO_URL },
        product: "bitbucket",
        method: "GET",
        path: REPO,
        summary: "Get a repository",
        satisfied: true,
        // The catalog's alternative, as published.
        satisfiedBy: { kind: "classic", state: "Current", scopes: ["repository"] },
        hints: [IMPLIED],
      },
    ]);
  });

  it("in text: OK via the catalog's set, with the implication as a hint", async () => {
    const text = await (
      await postDiff({ scopes: ["repository:write"], endpoints: [`GET ${REPO_URL}`] }, { query: "?format=text" })
    ).text();
    const lines = text.trimEnd().split("\n");
    // Only OAuth-consumer scopes held: the answer says which credential it checked for.
    expect(lines[0]).toMatch(/^credential: bitbucket-oauth-consumer \(inferred: Only Bitbucket OAuth-consumer scopes/);
    expect(lines.slice(1, 3)).toEqual([`OK      GET ${REPO}  via repository`, `        hint: ${IMPLIED}`]);
  });

  it("granular Bitbucket scopes imply nothing: write:repository:bitbucket still lacks a read scope", async () => {
    const body = await diff({
      scopes: ["repository:write", "write:repository:bitbucket"],
      endpoints: [`GET ${REPO_URL}`, `POST ${REPO_URL}/refs/branches`],
    });
    expect(body.summary).toMatchObject({ checked: 2, satisfied: 2 });
    // API-token scopes held: the fix is the API-token scope, never the OAuth-consumer `repository` (issue 12).
    const only = await diff({ scopes: ["write:repository:bitbucket"], method: "GET", path: REPO_URL });
    expect(only.credential).toMatchObject({ kind: "bitbucket-api-token", inferred: true });
    expect(only.results[0]).toMatchObject({ satisfied: false, missing: ["read:repository:bitbucket"] });
    expect(only.results[0].alternatives[0]).toMatchObject({ scopes: ["repository"], usable: false });
    expect(only.results[0].alternatives[1]).toMatchObject({
      scopes: ["read:repository:bitbucket"],
      missing: ["read:repository:bitbucket"],
      usable: true,
    });
  });

  it("runner:write held for issue:write: missing, and no near-miss hint pairing the two", async () => {
    const body = await diff({ scopes: ["runner:write"], endpoints: [`POST ${REPO_URL}/issues`] });
    expect(body.results[0]).toMatchObject({ satisfied: false, missing: ["issue:write"], hints: [] });
  });

  it("repository held for an endpoint that needs repository:write: the lesser does not include the greater", async () => {
    const body = await diff({ scopes: ["repository"], endpoints: [`POST ${REPO_URL}/refs/branches`] });
    expect(body.results[0]).toMatchObject({ satisfied: false, missing: ["repository:write"] });
    expect(body.results[0].hints).toEqual([
      "`repository` does not include `repository:write`: Bitbucket OAuth 2.0 scopes imply only lesser ones (`repository:write` implies `repository`, not the reverse), so add `repository:write`.",
    ]);
  });

  it("without endpoints, what repository:write can call includes what repository can", async () => {
    const writeOnly = (await diff({ scopes: ["repository:write"], limit: 1000 })).callable;
    const readOnly = (await diff({ scopes: ["repository"], limit: 1000 })).callable;
    const keys = writeOnly.endpoints.map(endpointKey);
    expect(keys).toContain(`bitbucket GET ${REPO}`);
    for (const endpoint of readOnly.endpoints) expect(keys).toContain(endpointKey(endpoint));
    expect(writeOnly.endpoints.find((endpoint: Json) => endpointKey(endpoint) === `bitbucket GET ${REPO}`).via).toEqual(
      { kind: "classic", state: "Current", scopes: ["repository"] },
    );
  });
});

describe("POST /diff: deprecated endpoints", () => {
  it("a checked endpoint the documents mark deprecated says so: `deprecated: true` and `(deprecated)` in text", async () => {
    const body = {
      scopes: ["read:board-scope:jira-software", "read:issue-details:jira"],
      endpoints: ["GET /rest/agile/1.0/board/5/issue", "GET /rest/agile/1.0/board/5", "GET /rest/api/3/search"],
    };
    const answer = await okJson(await postDiff(body));
    const [deprecated, live, removed] = answer.results;
    expect(deprecated).toMatchObject({ satisfied: true, deprecated: true });
    expect(live.deprecated).toBeUndefined();
    expect(removed).toMatchObject({ deprecated: true, removal: { effective: "2025-05-01" } });
    const text = await (await postDiff(body, { query: "?format=text" })).text();
    expect(text).toContain("OK      GET /rest/agile/1.0/board/{boardId}/issue  (deprecated)  via ");
    expect(text).toContain("OK      GET /rest/agile/1.0/board/{boardId}  via ");
    // The removal says more (its first hint): no deprecated marker beside it.
    expect(text).toMatch(/^MISSING GET \/rest\/api\/3\/search {2}add read:jira-work$/m);
  });
});
