/**
 * A Connect app calls its site (its installation's baseUrl) with its JWT, never the api.atlassian.com
 * gateway: with `credential=connect` (or Connect scopes only, on /diff and /explain) a gateway URL for
 * Jira or Confluence is answered with `connect_site_url` and the site's URL, never with the gateway's
 * cloudId notes (found in review: `missing_cloud_id` and `site_as_cloud_id` taught it the cloudId).
 */
import { beforeAll, describe, expect, it } from "vitest";
import { CLOUD_ID, get, getScopes, okJson, postJson, resetCatalogCache, type Json } from "../helpers/worker";

beforeAll(async () => {
  resetCatalogCache();
  await (await get("/health")).arrayBuffer();
}, 30_000);

const SITE_AS_CLOUD_ID = "https://api.atlassian.com/ex/jira/acme.atlassian.net/rest/api/3/issue/ABC-1";
const NO_CLOUD_ID = "https://api.atlassian.com/ex/jira/rest/api/3/issue/ABC-1";
const GATEWAY_PAGE = `https://api.atlassian.com/ex/confluence/${CLOUD_ID}/wiki/api/v2/pages/123`;
const codesAndUrls = (notes: Json[] | undefined) => (notes ?? []).map((note: Json) => [note.code, note.url]);

describe("credential=connect: the site's URL, never the gateway", () => {
  it("GET /scopes: the site's host given as the cloudId is the site to call", async () => {
    const body = await okJson(await getScopes({ path: SITE_AS_CLOUD_ID, method: "GET", credential: "connect" }));
    expect(codesAndUrls(body.urlNotes)).toEqual([
      ["connect_site_url", "https://acme.atlassian.net/rest/api/3/issue/ABC-1"],
    ]);
    expect(JSON.stringify(body.notes)).not.toContain("tenant_info");
  });

  it("GET /scopes: a missing cloudId and a well-formed gateway URL both get the site's URL", async () => {
    const missing = await okJson(await getScopes({ path: NO_CLOUD_ID, method: "GET", credential: "connect" }));
    expect(codesAndUrls(missing.urlNotes)).toEqual([
      ["connect_site_url", "https://{site}.atlassian.net/rest/api/3/issue/ABC-1"],
    ]);
    const page = await okJson(await getScopes({ path: GATEWAY_PAGE, method: "GET", credential: "connect" }));
    expect(codesAndUrls(page.urlNotes)).toEqual([
      ["connect_site_url", "https://{site}.atlassian.net/wiki/api/v2/pages/123"],
    ]);
    // Another credential still gets the gateway's note.
    const token = await okJson(
      await getScopes({ path: SITE_AS_CLOUD_ID, method: "GET", credential: "scoped-api-token" }),
    );
    expect(codesAndUrls(token.urlNotes)).toEqual([
      ["site_as_cloud_id", "https://api.atlassian.com/ex/jira/{cloudId}/rest/api/3/issue/ABC-1"],
    ]);
  });

  it("POST /diff and /plan: connect_site_url per endpoint; /diff reads Connect scopes as a Connect app", async () => {
    for (const request of [{ credential: "connect" }, {}]) {
      const body = await okJson(
        await postJson("/diff", { scopes: ["READ"], ...request, endpoints: [`GET ${NO_CLOUD_ID}`] }),
      );
      expect(codesAndUrls(body.results[0].urlNotes)).toEqual([
        ["connect_site_url", "https://{site}.atlassian.net/rest/api/3/issue/ABC-1"],
      ]);
    }
    const plan = await okJson(
      await postJson("/plan", { credential: "connect", endpoints: [`GET ${SITE_AS_CLOUD_ID}`] }),
    );
    expect(codesAndUrls(plan.endpoints[0].urlNotes)).toEqual([
      ["connect_site_url", "https://acme.atlassian.net/rest/api/3/issue/ABC-1"],
    ]);
    expect(JSON.stringify(plan)).not.toContain("/ex/jira/{cloudId}");
  });

  it("POST /explain: connect_site_url explains a 404, given or inferred from Connect scopes", async () => {
    for (const request of [{ credential: "connect" }, { scopes: ["READ"] }]) {
      const body = await okJson(
        await postJson("/explain", { method: "GET", url: SITE_AS_CLOUD_ID, status: 404, ...request }),
      );
      expect(body.findings.map((finding: Json) => finding.code)).toEqual(["connect_site_url"]);
      expect(body.findings[0].fix).toBe("Call https://acme.atlassian.net/rest/api/3/issue/ABC-1.");
    }
  });

  it("POST /explain: a Connect app's 401 through the gateway: the site's URL, then its JWT; no wrong_host", async () => {
    const body = await okJson(
      await postJson("/explain", { method: "GET", url: NO_CLOUD_ID, status: 401, credential: "connect" }),
    );
    expect(body.findings.map((finding: Json) => finding.code)).toEqual(["connect_site_url", "connect_authentication"]);
    expect(JSON.stringify(body.findings)).not.toContain("tenant_info");
  });
});
