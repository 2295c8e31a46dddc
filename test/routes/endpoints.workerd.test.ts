/** GET /endpoints (reverse lookup) inside workerd, answered from the bundled snapshot (KV is empty in this file). */
import {
  SNAPSHOT_SCRAPED_AT,
  SNAPSHOT_VERSION,
  endpointKey,
  expectError,
  get,
  getEndpoints,
  okJson,
  postJson,
  resetCatalogCache,
  type Json,
} from "../helpers/worker";
import { beforeAll, describe, expect, it } from "vitest";

const BOARD_SCOPE = "read:board-scope:jira-software";

beforeAll(async () => {
  // Whatever another file left in this isolate's catalog cache, this file answers from the snapshot.
  resetCatalogCache();
  // The first request loads the worker and builds the snapshot's index: seconds, not a test's 5.
  await (await get("/health")).arrayBuffer();
}, 30_000);

const endpoints = async (params: Record<string, string>, headers?: Record<string, string>): Promise<Json> =>
  okJson(await getEndpoints(params, headers));

/** Follows nextCursor from the first page to the last, returning every page. */
async function walk(params: Record<string, string>): Promise<Json[]> {
  const pages: Json[] = [];
  let cursor: string | null = null;
  do {
    const page: Json = await endpoints(cursor ? { ...params, cursor } : params);
    pages.push(page);
    cursor = page.nextCursor;
    expect(pages.length).toBeLessThan(100); // a cursor that never ends is a bug
  } while (cursor);
  return pages;
}

describe("GET /endpoints: reverse lookup", () => {
  it("lists every endpoint in whose alternatives read:board-scope:jira-software appears", async () => {
    const body = await endpoints({ scope: BOARD_SCOPE, limit: "500" });
    expect(body.catalog).toEqual({ version: SNAPSHOT_VERSION, scrapedAt: SNAPSHOT_SCRAPED_AT, source: "snapshot" });
    expect(body.total).toBe(body.scope.endpoints);
    expect(body.endpoints).toHaveLength(body.total);
    expect(body.nextCursor).toBeNull();
    expect(body.total).toBeGreaterThan(1);
    for (const use of body.endpoints) {
      expect(use.sets.length).toBeGreaterThan(0);
      for (const set of use.sets) {
        expect(set.scopes).toContain(BOARD_SCOPE);
        expect(set.companions).toEqual(set.scopes.filter((scope: string) => scope !== BOARD_SCOPE));
      }
      expect(use.alone).toBe(use.sets.some((set: Json) => set.companions.length === 0));
    }
    expect(new Set(body.endpoints.map(endpointKey)).size).toBe(body.total);
  });

  it("says the board endpoint needs read:project:jira beside it (not alone)", async () => {
    const body = await endpoints({ scope: BOARD_SCOPE, limit: "500" });
    const board = body.endpoints.find((use: Json) => use.method === "GET" && use.path === "/rest/agile/1.0/board");
    expect(board).toEqual({
      product: "jira-software",
      method: "GET",
      path: "/rest/agile/1.0/board",
      summary: "Get all boards",
      docsUrl: expect.stringMatching(
        /^https:\/\/developer\.atlassian\.com\/cloud\/jira\/software\/rest\/.*#api-rest-agile-1-0-board-get$/,
      ),
      deprecated: false,
      alone: false,
      sets: [
        {
          kind: "granular",
          state: "Current",
          scopes: [BOARD_SCOPE, "read:project:jira"],
          companions: ["read:project:jira"],
        },
      ],
    });
  });

  it("marks a scope that suffices by itself as alone, with no companions", async () => {
    const body = await endpoints({ scope: "write:board-scope:jira-software", limit: "500" });
    const create = body.endpoints.find((use: Json) => use.method === "POST" && use.path === "/rest/agile/1.0/board");
    expect(create.alone).toBe(true);
    expect(create.sets).toEqual([
      { kind: "granular", state: "Current", scopes: ["write:board-scope:jira-software"], companions: [] },
    ]);
  });

  it("agrees with GET /scopes about the endpoints it lists", async () => {
    const body = await endpoints({ scope: BOARD_SCOPE, limit: "500" });
    for (const use of body.endpoints.slice(0, 5)) {
      const forward = await okJson(await get(`/scopes?${new URLSearchParams({ path: use.path, method: use.method })}`));
      const alternatives = forward.endpoints[0].alternatives.filter((alternative: Json) =>
        alternative.scopes.includes(BOARD_SCOPE),
      );
      expect(use.sets.map(({ companions: _companions, ...set }: Json) => set)).toEqual(alternatives);
    }
  });

  it("describes the scope: name, kind, product, description, endpoint count", async () => {
    const board = await endpoints({ scope: BOARD_SCOPE });
    expect(board.scope).toEqual({
      name: BOARD_SCOPE,
      kind: "granular",
      product: "jira-software",
      description: expect.any(String),
      endpoints: board.total,
    });
    expect(board.scope.description.length).toBeGreaterThan(10);
    const classic = await endpoints({ scope: "read:jira-work" });
    expect(classic.scope).toMatchObject({ name: "read:jira-work", kind: "classic", product: "jira" });
    expect(classic.scope.description).toMatch(/issue/i);
  });

  it("trims the scope name", async () => {
    const body = await endpoints({ scope: `  ${BOARD_SCOPE} ` });
    expect(body.scope.name).toBe(BOARD_SCOPE);
  });
});

describe("GET /endpoints: Bitbucket classic scopes count what they grant, as POST /diff does", () => {
  it("pullrequest:write lists the endpoints of pullrequest, repository:write and repository, each saying which", async () => {
    const [first, ...rest] = await walk({ scope: "pullrequest:write", limit: "500" });
    const uses = [first, ...rest].flatMap((page: Json) => page.endpoints);
    expect(first.scope).toMatchObject({ grants: ["pullrequest", "repository:write", "repository"] });
    expect(first.scope.endpoints).toBe(first.total);
    expect(uses).toHaveLength(first.total);
    expect(new Set(uses.map(endpointKey)).size).toBe(uses.length);
    // What it can call alone is what /diff says the scope can call.
    const diff = await okJson(await postJson("/diff", { scopes: ["pullrequest:write"], limit: 500 }));
    expect(
      uses
        .filter((use: Json) => use.alone)
        .map(endpointKey)
        .sort(),
    ).toEqual(diff.callable.endpoints.map(endpointKey).sort());
    const direct = uses.find(
      (use: Json) => use.method === "POST" && use.path.endsWith("/pullrequests/{pull_request_id}/merge"),
    );
    expect(direct).toMatchObject({ alone: true });
    expect(direct.grantedScope).toBeUndefined();
    const granted = uses.find(
      (use: Json) => use.method === "GET" && use.path === "/2.0/repositories/{workspace}/{repo_slug}",
    );
    expect(granted).toMatchObject({ alone: true, grantedScope: "repository" });
    expect(granted.sets[0]).toMatchObject({ scopes: ["repository"], companions: [] });
    // A set that needs more than it grants keeps its companion.
    const keys = uses.find((use: Json) => use.method === "GET" && use.path.endsWith("/deploy-keys"));
    expect(keys).toMatchObject({ alone: false, grantedScope: "repository" });
    expect(keys.sets[0].companions).toEqual(["repository:admin"]);
    const text = await (await getEndpoints({ scope: "pullrequest:write", limit: "500", format: "text" })).text();
    expect(text.split("\n")[0]).toMatch(
      /; it also grants pullrequest, repository:write, repository, whose endpoints are listed too$/,
    );
    expect(text).toContain(
      "\nGET /2.0/repositories/{workspace}/{repo_slug}  [bitbucket]  alone  via repository, which pullrequest:write grants\n",
    );
  });

  it("scopes that imply nothing answer as before: no `grants`, no `grantedScope`", async () => {
    for (const scope of ["repository", "read:jira-work", "repository:admin"]) {
      const page = await endpoints({ scope, limit: "500" });
      expect(page.scope.grants, scope).toBeUndefined();
      expect(
        page.endpoints.some((use: Json) => use.grantedScope),
        scope,
      ).toBe(false);
    }
  });
});

describe("GET /endpoints: filters", () => {
  it("filters by product: total counts the filtered endpoints, scope.endpoints all of them", async () => {
    const all = await endpoints({ scope: "read:project:jira", limit: "500" });
    const software = await endpoints({ scope: "read:project:jira", product: "jira-software", limit: "500" });
    expect(software.endpoints.length).toBeGreaterThan(0);
    expect(software.endpoints.every((use: Json) => use.product === "jira-software")).toBe(true);
    expect(software.total).toBe(software.endpoints.length);
    expect(software.total).toBe(all.endpoints.filter((use: Json) => use.product === "jira-software").length);
    expect(software.total).toBeLessThan(all.total);
    expect(software.scope.endpoints).toBe(all.total);
  });

  it("filters by method, in any case", async () => {
    const all = await endpoints({ scope: "read:jira-work", limit: "500" });
    const deletes = await endpoints({ scope: "read:jira-work", method: "delete", limit: "500" });
    expect(deletes.total).toBeGreaterThan(0);
    expect(deletes.endpoints.every((use: Json) => use.method === "DELETE")).toBe(true);
    expect(deletes.endpoints.map(endpointKey)).toEqual(
      all.endpoints.filter((use: Json) => use.method === "DELETE").map(endpointKey),
    );
  });

  it("filters by product in any case, as /changes does (was 400 for JIRA)", async () => {
    const software = await endpoints({ scope: "read:project:jira", product: "jira-software", limit: "500" });
    for (const product of ["JIRA-SOFTWARE", "Jira-Software"])
      expect(await endpoints({ scope: "read:project:jira", product, limit: "500" })).toEqual(software);
    const response = await get(`/endpoints?${new URLSearchParams({ scope: "read:project:jira", product: "JRA" })}`);
    const error = await expectError(response, 400, "invalid_request");
    expect(error.message).toContain('not "JRA"; did you mean jira?');
  });

  it("combines product and method filters", async () => {
    const body = await endpoints({ scope: "read:project:jira", product: "jira-software", method: "GET", limit: "500" });
    expect(body.total).toBeGreaterThan(0);
    expect(body.endpoints.every((use: Json) => use.product === "jira-software" && use.method === "GET")).toBe(true);
    expect(body.endpoints.map((use: Json) => use.path)).toContain("/rest/agile/1.0/board");
  });

  it("answers an empty page, not an error, when the filters leave nothing", async () => {
    const body = await endpoints({ scope: BOARD_SCOPE, product: "bitbucket" });
    expect(body).toMatchObject({ total: 0, endpoints: [], nextCursor: null });
    expect(body.scope.endpoints).toBeGreaterThan(0);
  });
});

describe("GET /endpoints: pagination", () => {
  it("walks every page of read:jira-work exactly once through nextCursor", async () => {
    const everything = await endpoints({ scope: "read:jira-work", limit: "500" });
    expect(everything.total).toBeGreaterThan(120); // enough for several pages of 50
    const pages = await walk({ scope: "read:jira-work", limit: "50" });
    expect(pages).toHaveLength(Math.ceil(everything.total / 50));
    const keys = pages.flatMap((page) => page.endpoints.map(endpointKey));
    expect(new Set(keys).size).toBe(keys.length); // no duplicates
    expect(keys).toEqual(everything.endpoints.map(endpointKey)); // nothing missing, same order
    for (const [index, page] of pages.entries()) {
      expect(page.total).toBe(everything.total);
      expect(page.endpoints).toHaveLength(index < pages.length - 1 ? 50 : everything.total - 50 * (pages.length - 1));
    }
    expect(pages.at(-1).nextCursor).toBeNull();
  });

  it("defaults to pages of 50", async () => {
    const body = await endpoints({ scope: "read:jira-work" });
    expect(body.endpoints).toHaveLength(50);
    expect(body.nextCursor).toEqual(expect.any(String));
  });

  it("pages a filtered list and keeps the filter's total on every page", async () => {
    const filtered = await endpoints({ scope: "read:jira-work", method: "GET", limit: "500" });
    const pages = await walk({ scope: "read:jira-work", method: "GET", limit: "7" });
    const keys = pages.flatMap((page) => page.endpoints.map(endpointKey));
    expect(keys).toEqual(filtered.endpoints.map(endpointKey));
    expect(pages.every((page) => page.total === filtered.total)).toBe(true);
  });

  it("says which slice a text page shows and how to get the next", async () => {
    const response = await getEndpoints({ scope: BOARD_SCOPE, limit: "3", format: "text" });
    expect(response.headers.get("content-type")).toBe("text/plain; charset=UTF-8");
    const lines = (await response.text()).trimEnd().split("\n");
    const all = await endpoints({ scope: BOARD_SCOPE, limit: "3" });
    expect(lines[0]).toMatch(/^read:board-scope:jira-software \(granular, jira-software\): .+/);
    expect(lines[1]).toBe(`${all.total} endpoints, showing 1-3`);
    expect(lines[2]).toBe("GET /rest/agile/1.0/board  [jira-software]  with read:project:jira");
    expect(lines.at(-2)).toBe(`more: add &cursor=${all.nextCursor}`);
    // The catalog the answer comes from, as every other text answer ends (Slack shows it in its footer).
    expect(lines.at(-1)).toBe(`catalog ${all.catalog.version}`);
    expect(lines).toHaveLength(7);
  });

  it("counts one endpoint in the singular", async () => {
    // read:me unlocks only GET /me: "1 endpoints" was the plural built without the count.
    const text = await (await getEndpoints({ scope: "read:me", format: "text" })).text();
    expect(text.split("\n")[1]).toBe("1 endpoint");
  });

  it("says `alone` in text for a scope that suffices by itself", async () => {
    const text = await (
      await getEndpoints({ scope: "write:board-scope:jira-software", method: "POST", format: "text", limit: "500" })
    ).text();
    expect(text.split("\n")).toContain("POST /rest/agile/1.0/board  [jira-software]  alone");
  });

  it("400 invalid_cursor for a cursor past the end, saying to start again; `cursor=` is the first page", async () => {
    // An edited cursor (o:1000000) answered 200 "51 endpoints, showing 1000001-1000000".
    const first = await endpoints({ scope: BOARD_SCOPE, limit: "500" });
    for (const offset of [first.total, first.total + 10, 1_000_000]) {
      const cursor = btoa(`o:${offset}`).replace(/=+$/, "");
      const past = await expectError(await getEndpoints({ scope: BOARD_SCOPE, cursor }), 400, "invalid_cursor");
      expect(past.message).toBe(
        `\`cursor\` points past the end of the ${first.total} results; leave it out to start again from the first page.`,
      );
    }
    const text = await getEndpoints({ scope: BOARD_SCOPE, cursor: "bzoxMDAwMDAw", format: "text" });
    expect(text.status).toBe(400);
    expect(await text.text()).toContain("past the end");
    expect(await endpoints({ scope: BOARD_SCOPE, limit: "3", cursor: "" })).toEqual(
      await endpoints({ scope: BOARD_SCOPE, limit: "3" }),
    );
  });
});

describe("GET /endpoints: errors", () => {
  it("400 invalid_cursor for a cursor it did not give out", async () => {
    for (const cursor of ["zzz", btoa("x:5"), btoa("o:-1"), "%%%"]) {
      const error = await expectError(await getEndpoints({ scope: BOARD_SCOPE, cursor }), 400, "invalid_cursor");
      expect(error.message).toContain("nextCursor");
    }
  });

  it("400 invalid_request for limit 0, 501, a fraction or not a number", async () => {
    for (const [limit, message] of [
      ["0", "limit: `limit` must be a whole number from 1 to 500"],
      ["501", "limit: `limit` must be a whole number from 1 to 500"],
      ["abc", "limit: `limit` must be a whole number from 1 to 500"],
      ["2.5", "limit: `limit` must be a whole number from 1 to 500"],
    ] as const) {
      const error = await expectError(await getEndpoints({ scope: BOARD_SCOPE, limit }), 400, "invalid_request");
      expect(error.message).toBe(message);
      expect(error.details.issues).toEqual([{ path: "limit", message: message.slice("limit: ".length) }]);
    }
  });

  it("accepts limit 1 and 500, the bounds", async () => {
    expect((await endpoints({ scope: "read:jira-work", limit: "1" })).endpoints).toHaveLength(1);
    expect((await endpoints({ scope: "read:jira-work", limit: "500" })).endpoints.length).toBeGreaterThan(50);
  });

  it("400 invalid_request for an unknown product, naming the products", async () => {
    const error = await expectError(
      await getEndpoints({ scope: BOARD_SCOPE, product: "jira-work" }),
      400,
      "invalid_request",
    );
    expect(error.details.issues[0].path).toBe("product");
    expect(error.message).toBe(
      'product: `product` must be one of jira, jira-software, jira-service-management, assets, confluence, bitbucket, platform, not "jira-work".',
    );
    const typo = await expectError(await getEndpoints({ scope: BOARD_SCOPE, product: "jria" }), 400, "invalid_request");
    expect(typo.message).toMatch(/, not "jria"; did you mean jira\?$/);
  });

  it("400 invalid_method for a method that is not HTTP", async () => {
    const error = await expectError(await getEndpoints({ scope: BOARD_SCOPE, method: "FOO" }), 400, "invalid_method");
    expect(error.message).toContain("GET, POST");
  });

  it("400 invalid_request without a scope, or with an empty one", async () => {
    const missing = await expectError(await get("/endpoints"), 400, "invalid_request");
    expect(missing.message).toBe("scope: `scope` is required: a scope name such as read:board-scope:jira-software");
    const empty = await expectError(await get("/endpoints?scope="), 400, "invalid_request");
    expect(empty.message).toContain("`scope` is empty");
  });

  it("404 scope_not_found for read:board-scope:jira, suggesting read:board-scope:jira-software", async () => {
    const response = await getEndpoints({ scope: "read:board-scope:jira" });
    expect(response.headers.get("cache-control")).toBe("no-store");
    const error = await expectError(response, 404, "scope_not_found");
    expect(error.message).toBe(
      "No scope read:board-scope:jira in the catalog. Did you mean read:board-scope:jira-software?",
    );
    expect(error.details.scope).toBe("read:board-scope:jira");
    expect(error.details.suggestions).toContain(BOARD_SCOPE);
    expect(error.details.suggestions.length).toBeLessThanOrEqual(5);
  });

  it("404 scope_not_found suggests the nearest name first for a typo", async () => {
    const error = await expectError(await getEndpoints({ scope: "read:jira-wrok" }), 404, "scope_not_found");
    expect(error.details.suggestions[0]).toBe("read:jira-work");
  });
});

describe("GET /endpoints: caching headers", () => {
  it("carries the version and date ETag and answers 304 to it", async () => {
    const first = await getEndpoints({ scope: BOARD_SCOPE });
    // An entry's removal is judged against the request's UTC date: the ETag names it beside the version.
    expect(first.headers.get("etag")).toBe(`W/"${SNAPSHOT_VERSION}@${new Date().toISOString().slice(0, 10)}-json"`);
    expect(first.headers.get("cache-control")).toBe("public, max-age=3600, stale-while-revalidate=86400");
    expect(first.headers.get("vary")).toBe("Accept");
    expect(first.headers.get("access-control-allow-origin")).toBe("*");
    await first.arrayBuffer();
    const again = await getEndpoints({ scope: BOARD_SCOPE }, { "if-none-match": first.headers.get("etag")! });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe("");
  });
});
