/**
 * Endpoints the documents still list whose removal date has passed (GET /rest/api/3/search, `x-changes`
 * removed, effective 2025-05-01, CHANGE-2046), against the catalog's own date: every route says plainly
 * that calls answer 410 and names the replacement with its scopes, while the documented scopes, `satisfied`
 * and `missing` stay as they were. A removal still ahead of the catalog's date is not one.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { JIRA_SEARCH_410 } from "../fixtures/atlassian-errors";
import { get, getEndpoints, getScopes, okJson, postJson, resetCatalogCache, type Json } from "../helpers/worker";

beforeAll(async () => {
  resetCatalogCache();
  await (await get("/health")).arrayBuffer();
}, 30_000);

const post = (route: string, body: unknown): Promise<Response> => postJson(route, body);

const SAID = "Atlassian's removal of GET /rest/api/3/search took effect on 2025-05-01";

describe("GET /rest/api/3/search: removed since 2025-05-01, still documented", () => {
  it("GET /scopes: the documented scopes, and `removal` with the replacement and its scopes", async () => {
    const body = await okJson(await getScopes({ path: "/rest/api/3/search", method: "GET" }));
    const [endpoint] = body.endpoints;
    expect(endpoint.alternatives[0].scopes).toEqual(["read:jira-work"]);
    expect(endpoint.removal).toMatchObject({
      effective: "2025-05-01",
      source: "https://developer.atlassian.com/changelog/#CHANGE-2046",
      replacement: { method: "GET", path: "/rest/api/3/search/jql" },
    });
    expect(endpoint.removal.message).toContain(SAID);
    expect(endpoint.removal.message).toContain("answer 410 Gone");
    expect(endpoint.removal.replacement.alternatives[0].scopes).toEqual(["read:jira-work"]);
    expect(endpoint.notes.join(" ")).not.toContain("Announced for removal");
    const text = await (await getScopes({ path: "/rest/api/3/search", method: "GET", format: "text" })).text();
    expect(text).toContain(`  removal: ${SAID}`);
    const markdown = await (await getScopes({ path: "/rest/api/3/search", method: "GET", format: "markdown" })).text();
    expect(markdown).toContain("_removal:_ Atlassian's removal of GET `/rest/api/3/search`");
  });

  it("a passed removal without a recorded replacement says so; the replacement itself is live", async () => {
    const body = await okJson(await getScopes({ path: "/rest/api/3/field/f/context/defaultValue", method: "GET" }));
    // effective 2026-10-01 in the document; the bundled catalog is dated 2026-12-05, so this one has passed.
    expect(body.catalog.scrapedAt >= "2026-10-01").toBe(true);
    expect(body.endpoints[0].removal.effective).toBe("2026-10-01");
    expect(body.endpoints[0].removal.replacement).toBeUndefined();
    expect(body.endpoints[0].removal.message).toContain("No replacement is recorded");
    const live = await okJson(await getScopes({ path: "/rest/api/3/search/jql", method: "GET" }));
    expect(live.endpoints[0].removal).toBeUndefined();
  });

  it("POST /diff: satisfied and missing unchanged, `removal` and a first hint", async () => {
    const body = await okJson(
      await post("/diff", {
        scopes: ["read:jira-work"],
        endpoints: ["GET /rest/api/3/search", "POST /rest/api/3/search"],
      }),
    );
    expect(body.summary).toMatchObject({ checked: 2, satisfied: 2, unsatisfied: 0 });
    const [get, postSearch] = body.results;
    expect(get).toMatchObject({ satisfied: true, removal: { effective: "2025-05-01" } });
    expect(get.hints[0]).toContain(SAID);
    expect(postSearch.removal.replacement).toMatchObject({ method: "POST", path: "/rest/api/3/search/jql" });
    const missing = await okJson(await post("/diff", { scopes: ["read:me"], endpoints: ["GET /rest/api/3/search"] }));
    expect(missing.results[0]).toMatchObject({ satisfied: false, missing: ["read:jira-work"] });
    expect(missing.results[0].removal).toBeDefined();
  });

  it("POST /plan: planned with its scopes, flagged in `removal`, the text and the notes", async () => {
    const body = await okJson(await post("/plan", { endpoints: ["GET /rest/api/3/search", "POST /rest/api/3/issue"] }));
    expect(body.scopes).toEqual(["read:jira-work", "write:jira-work"]);
    expect(body.endpoints[0].removal.effective).toBe("2025-05-01");
    expect(body.endpoints[1].removal).toBeUndefined();
    expect(body.notes.some((note: string) => note.includes(SAID))).toBe(true);
    const text = await (await post("/plan?format=text", { endpoints: ["GET /rest/api/3/search"] })).text();
    expect(text).toContain("GET /rest/api/3/search  <- read:jira-work (classic)  REMOVED since 2025-05-01 (410)");
  });

  it("POST /explain: endpoint_removed for any failed call, naming the replacement; the 410 body as before", async () => {
    const url = "https://api.atlassian.com/ex/jira/x/rest/api/3/search?jql=project=A";
    const failed = await okJson(
      await post("/explain", { method: "GET", url, status: 400, scopes: ["read:jira-work"] }),
    );
    const codes = failed.findings.map((finding: Json) => finding.code);
    expect(codes[0]).toBe("endpoint_removed");
    expect(codes).not.toContain("deprecated_endpoint");
    expect(codes).not.toContain("request_rejected");
    expect(failed.findings[0].fix).toContain("GET /rest/api/3/search/jql");
    const gone = await okJson(await post("/explain", { method: "GET", url, status: 410, body: JIRA_SEARCH_410 }));
    expect(gone.findings[0]).toMatchObject({
      code: "endpoint_removed",
      details: { replacementPath: "/rest/api/3/search/jql" },
    });
    const fine = await okJson(await post("/explain", { method: "GET", url, status: 200 }));
    expect(fine.findings.map((finding: Json) => finding.code)).not.toContain("endpoint_removed");
    // Seen gone: no scope finding beside it ("the 401 is not about scopes" would contradict it).
    const unauthorized = await okJson(
      await post("/explain", { method: "GET", url, status: 401, scopes: ["read:jira-work"] }),
    );
    expect(unauthorized.findings.map((finding: Json) => finding.code)).toEqual(["endpoint_removed"]);
  });

  it("POST /explain: a passed removal not seen gone is announced, beside the scope findings", async () => {
    const url = "https://api.atlassian.com/ex/jira/x/rest/api/3/project";
    const answer = await okJson(
      await post("/explain", { method: "GET", url, status: 401, scopes: ["read:project:jira"] }),
    );
    expect(answer.findings.map((finding: Json) => finding.code)).toEqual(["missing_scopes", "deprecated_endpoint"]);
    expect(answer.findings[1].message).toMatch(/removal was announced effective 2019-04-19: calls to it are expected/);
  });
});

describe("GET and POST /rest/api/2/search: removed with their v3 twins (CHANGE-2046), the v2 document older", () => {
  it("every route says so, naming the v3 replacement and the v2 form Atlassian also serves", async () => {
    const body = await okJson(await getScopes({ path: "/rest/api/2/search", method: "GET" }));
    expect(body.endpoints[0].removal).toMatchObject({
      effective: "2025-05-01",
      source: "https://developer.atlassian.com/changelog/#CHANGE-2046",
      replacement: { method: "GET", path: "/rest/api/3/search/jql" },
    });
    expect(body.endpoints[0].removal.message).toContain("Atlassian serves it as /rest/api/2/search/jql too");
    const diff = await okJson(
      await post("/diff", {
        scopes: ["read:jira-work"],
        endpoints: ["POST /rest/api/2/search", "POST /rest/api/2/expression/eval"],
      }),
    );
    expect(diff.results[0].removal).toMatchObject({ replacement: { path: "/rest/api/3/search/jql" }, seenGone: false });
    // Not seen answering 410, unlike the v3 search: the plan says the removal is due, not done.
    const text = await (
      await post("/plan?format=text", { endpoints: ["GET /rest/api/2/search", "GET /rest/api/3/search"] })
    ).text();
    expect(text).toContain(
      "GET /rest/api/2/search  <- read:jira-work (classic)  REMOVAL due since 2025-05-01 (410 expected)",
    );
    expect(text).toContain("GET /rest/api/3/search  <- read:jira-work (classic)  REMOVED since 2025-05-01 (410)");
    // Split over tokens, each token's endpoints keep the marker.
    const split = await (
      await post("/plan?format=text", {
        endpoints: ["GET /rest/api/2/search", "GET /rest/api/3/search", "GET /rest/agile/1.0/board"],
        maxScopes: 2,
      })
    ).text();
    expect(split).toContain("\n    serves GET /rest/api/3/search  REMOVED since 2025-05-01 (410)\n");
    expect(split).toContain("\n    serves GET /rest/api/2/search  REMOVAL due since 2025-05-01 (410 expected)\n");
    expect(split).toContain("\n    serves GET /rest/agile/1.0/board\n");
    expect(diff.results[1].removal).toMatchObject({ replacement: { path: "/rest/api/3/expression/evaluate" } });
    // /explain: announced, with the recorded replacement to move to, beside the scope findings.
    const explained = await okJson(
      await post("/explain", {
        method: "GET",
        url: "https://api.atlassian.com/ex/jira/x/rest/api/2/search",
        status: 401,
        scopes: ["read:jira-work"],
      }),
    );
    expect(explained.findings.map((finding: Json) => finding.code)).toEqual([
      "scopes_sufficient",
      "deprecated_endpoint",
    ]);
    expect(explained.findings[1].fix).toMatch(/^Move to GET \/rest\/api\/3\/search\/jql \(It pages with nextPageToken/);
  });
});

describe("lists of what a scope reaches: removed endpoints listed, and marked as on GET /scopes", () => {
  const REMOVED = [
    "GET /rest/api/2/search",
    "POST /rest/api/2/search",
    "GET /rest/api/3/search",
    "POST /rest/api/3/search",
  ];
  const keyOf = (item: Json) => `${item.method} ${item.path}`;

  it("GET /endpoints: each past removal carries `removal`; live ones none; the text marks them", async () => {
    const body = await okJson(await getEndpoints({ scope: "read:jira-work", limit: "500" }));
    const byKey = new Map(body.endpoints.map((item: Json) => [keyOf(item), item]));
    for (const key of REMOVED) expect((byKey.get(key) as Json)?.removal?.effective, key).toBe("2025-05-01");
    expect((byKey.get("POST /rest/api/2/search") as Json).removal).toMatchObject({
      seenGone: false,
      replacement: { path: "/rest/api/3/search/jql" },
    });
    expect((byKey.get("GET /rest/api/3/search/jql") as Json).removal).toBeUndefined();
    const user = await okJson(await getEndpoints({ scope: "read:jira-user", limit: "500" }));
    const evaluate = user.endpoints.find((item: Json) => keyOf(item) === "POST /rest/api/2/expression/eval");
    expect(evaluate.removal).toMatchObject({ replacement: { path: "/rest/api/3/expression/evaluate" } });
    const text = await (await getEndpoints({ scope: "read:jira-work", limit: "500", format: "text" })).text();
    expect(text).toContain("GET /rest/api/3/search  [jira]  alone  REMOVED since 2025-05-01 (410)");
    expect(text).toContain("GET /rest/api/2/search  [jira]  alone  REMOVAL due since 2025-05-01 (410 expected)");
    expect(text).toMatch(/^GET \/rest\/api\/3\/search\/jql {2}\[jira\] {2}alone$/m);
  });

  it("POST /diff without endpoints: the callable list marks them the same way", async () => {
    const body = await okJson(await post("/diff", { scopes: ["read:jira-work"], limit: 500 }));
    const byKey = new Map(body.callable.endpoints.map((item: Json) => [keyOf(item), item]));
    for (const key of REMOVED) expect((byKey.get(key) as Json)?.removal?.effective, key).toBe("2025-05-01");
    expect((byKey.get("GET /rest/api/3/search/jql") as Json).removal).toBeUndefined();
    const text = await (await post("/diff?format=text", { scopes: ["read:jira-work"], limit: 500 })).text();
    expect(text).toContain("\n  GET /rest/api/3/search  REMOVED since 2025-05-01 (410)\n");
    expect(text).toContain("\n  POST /rest/api/2/search  REMOVAL due since 2025-05-01 (410 expected)\n");
    expect(text).toContain("\n  GET /rest/api/3/search/jql\n");
  });
});
