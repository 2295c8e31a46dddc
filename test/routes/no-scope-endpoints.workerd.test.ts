/**
 * Curated endpoints that take no scope (GET https://api.atlassian.com/oauth/token/accessible-resources,
 * /_edge/tenant_info) read "needs no scope" on every route and format, while a documented endpoint that
 * merely publishes no scopes (GET /rest/api/3/serverInfo) keeps its answer: unknown, "no published scopes".
 */
import { beforeAll, describe, expect, it } from "vitest";
import { get, getScopes, okJson, postJson, resetCatalogCache, type Json } from "../helpers/worker";

beforeAll(async () => {
  resetCatalogCache();
  await (await get("/health")).arrayBuffer();
}, 30_000);

const post = (route: string, body: unknown): Promise<Response> => postJson(route, body);

const RESOURCES = "GET https://api.atlassian.com/oauth/token/accessible-resources";
const TENANT_INFO = "GET https://acme.atlassian.net/_edge/tenant_info";
const SERVER_INFO = "GET /rest/api/3/serverInfo";

describe("needs no scope", () => {
  it("GET /scopes: needsNoScope in JSON, `needs: no scope` in text and markdown", async () => {
    const body = await okJson(await getScopes({ path: "https://api.atlassian.com/oauth/token/accessible-resources" }));
    expect(body.endpoints[0].needsNoScope).toBe("any OAuth 2.0 (3LO) access token, whatever its scopes");
    const text = await (
      await getScopes({ path: "https://acme.atlassian.net/_edge/tenant_info", format: "text" })
    ).text();
    expect(text).toContain("  needs: no scope (no credentials at all)");
    expect(text).not.toContain("no OAuth scopes published");
    const markdown = await (
      await getScopes({ path: "https://acme.atlassian.net/_edge/tenant_info", format: "markdown" })
    ).text();
    expect(markdown).toContain("_needs:_ no scope (no credentials at all)");
    const documented = await okJson(await getScopes({ path: "/rest/api/3/serverInfo" }));
    expect(documented.endpoints[0].needsNoScope).toBeUndefined();
  });

  it("POST /diff: satisfied with needsNoScope, OK ... needs no scope; a documented one stays unknown", async () => {
    const body = await okJson(
      await post("/diff", { scopes: ["read:me"], endpoints: [RESOURCES, TENANT_INFO, SERVER_INFO] }),
    );
    expect(body.summary).toMatchObject({ checked: 3, satisfied: 2, unsatisfied: 0, unknown: 1 });
    const [resources, tenant, server] = body.results;
    expect(resources).toMatchObject({ satisfied: true, needsNoScope: true, satisfiedBy: null });
    expect(tenant).toMatchObject({ satisfied: true, needsNoScope: true });
    expect(server.satisfied).toBeNull();
    expect(server.needsNoScope).toBeUndefined();
    const text = await (
      await post("/diff?format=text", { scopes: ["read:me"], endpoints: [RESOURCES, SERVER_INFO] })
    ).text();
    expect(text).toContain("OK      GET /oauth/token/accessible-resources  needs no scope");
    expect(text).not.toContain("UNKNOWN GET /oauth/token/accessible-resources");
    expect(text).toContain("UNKNOWN GET /rest/api/3/serverInfo  (no OAuth scopes published)");
  });

  it("POST /plan: withoutScopes says needsNoScope; text `needs no scope:` beside `no published scopes:`", async () => {
    const body = await okJson(
      await post("/plan", { endpoints: [RESOURCES, SERVER_INFO, "GET https://api.atlassian.com/me"] }),
    );
    expect(body.scopes).toEqual(["read:me"]);
    expect(body.withoutScopes).toEqual([
      expect.objectContaining({
        path: "/oauth/token/accessible-resources",
        needsNoScope: expect.stringContaining("3LO"),
      }),
      expect.not.objectContaining({ needsNoScope: expect.anything() }),
    ]);
    const text = await (await post("/plan?format=text", { endpoints: [RESOURCES, SERVER_INFO] })).text();
    expect(text).toContain(
      "needs no scope: GET /oauth/token/accessible-resources (any OAuth 2.0 (3LO) access token, whatever its scopes)",
    );
    expect(text).toContain("no published scopes: GET /rest/api/3/serverInfo");
    const markdown = await (await post("/plan?format=markdown", { endpoints: [RESOURCES] })).text();
    expect(markdown).toContain("_needs no scope:_");
  });

  it("POST /explain: a 401 there is not about scopes, and no_published_scopes is not said", async () => {
    const body = await okJson(
      await post("/explain", { method: "GET", url: RESOURCES.slice(4), status: 401, scopes: ["read:me"] }),
    );
    const codes = body.findings.map((finding: Json) => finding.code);
    expect(codes).not.toContain("no_published_scopes");
    expect(body.findings.find((finding: Json) => finding.code === "scopes_sufficient")?.message).toContain(
      "needs no scope",
    );
  });
});
