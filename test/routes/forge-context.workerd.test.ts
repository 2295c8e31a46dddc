/**
 * `credential=forge` is the Forge context (issue 12, sections 1 and 5): on GET /scopes, /diff, /plan and
 * /explain a Forge app's URL notes give the site-relative path for requestJira/requestConfluence, never the
 * api.atlassian.com/ex/ gateway; `context=forge` stays as an alias of `credential=forge`.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { CLOUD_ID, get, getScopes, okJson, postJson, resetCatalogCache, type Json } from "../helpers/worker";

beforeAll(async () => {
  resetCatalogCache();
  await (await get("/health")).arrayBuffer();
}, 30_000);

const post = (route: string, body: unknown): Promise<Response> => postJson(route, body);

const GATEWAY_PAGE = `https://api.atlassian.com/ex/confluence/${CLOUD_ID}/wiki/api/v2/pages/123`;
const SITE_ISSUE = "https://acme.atlassian.net/rest/api/3/issue/ABC-1";
const codesAndUrls = (notes: Json[] | undefined) => (notes ?? []).map((note: Json) => [note.code, note.url]);

describe("credential=forge: the Forge context on every route", () => {
  it("GET /scopes: forge_path with the site-relative path, no gateway advice", async () => {
    const body = await okJson(await getScopes({ path: SITE_ISSUE, method: "GET", credential: "forge" }));
    expect(body.credential).toEqual({ kind: "forge", inferred: false });
    expect(codesAndUrls(body.urlNotes)).toEqual([["forge_path", "/rest/api/3/issue/ABC-1"]]);
    expect(JSON.stringify(body.notes)).not.toContain("/ex/");
    const text = await (
      await getScopes({ path: SITE_ISSUE, method: "GET", credential: "forge", format: "text" })
    ).text();
    expect(text).toContain("requestJira(route`/rest/api/3/issue/ABC-1`)");
    expect(text).not.toContain("api.atlassian.com/ex/");
  });

  it("without it, the same URL gets the gateway advice (the context is what changes it)", async () => {
    const body = await okJson(await getScopes({ path: SITE_ISSUE, method: "GET", credential: "oauth2-3lo" }));
    expect(codesAndUrls(body.urlNotes)).toEqual([
      ["scoped_token_gateway", "https://api.atlassian.com/ex/jira/{cloudId}/rest/api/3/issue/ABC-1"],
    ]);
  });

  it("context=forge is an alias: the same answer as credential=forge; beside another credential, 400", async () => {
    const alias = await okJson(await getScopes({ path: GATEWAY_PAGE, context: "forge" }));
    const given = await okJson(await getScopes({ path: GATEWAY_PAGE, credential: "forge" }));
    expect(alias).toEqual(given);
    expect(alias.credential.kind).toBe("forge");
    const both = await getScopes({ path: GATEWAY_PAGE, context: "forge", credential: "oauth2-3lo" });
    expect(both.status).toBe(400);
    const error = ((await both.json()) as Json).error;
    expect(error.code).toBe("invalid_credential");
    // The one kind that answers it: `context=forge` is credential=forge.
    expect(error.details.suggestions).toEqual(["forge"]);
  });

  it("context in any case, as credential: Forge is forge (was 400 '`context` is `forge` … or left out')", async () => {
    const given = await okJson(await getScopes({ path: GATEWAY_PAGE, credential: "forge" }));
    expect(await okJson(await getScopes({ path: GATEWAY_PAGE, context: "Forge" }))).toEqual(given);
    const other = await getScopes({ path: GATEWAY_PAGE, context: "connect" });
    expect(other.status).toBe(400);
    expect(((await other.json()) as Json).error.message).toBe(
      "context: `context` is `forge` (a Forge app's call) or left out",
    );
  });

  it("POST /diff: forge_path per endpoint", async () => {
    const body = await okJson(
      await post("/diff", { scopes: ["read:jira-work"], credential: "forge", endpoints: [`GET ${SITE_ISSUE}`] }),
    );
    expect(codesAndUrls(body.results[0].urlNotes)).toEqual([["forge_path", "/rest/api/3/issue/ABC-1"]]);
    const text = await (
      await post("/diff?format=text", {
        scopes: ["read:jira-work"],
        credential: "forge",
        endpoints: [`GET ${SITE_ISSUE}`],
      })
    ).text();
    expect(text).not.toContain("/ex/");
  });

  it("POST /plan: forge_path per endpoint and in the notes", async () => {
    const body = await okJson(await post("/plan", { credential: "forge", endpoints: [`GET ${GATEWAY_PAGE}`] }));
    expect(codesAndUrls(body.endpoints[0].urlNotes)).toEqual([["forge_path", "/wiki/api/v2/pages/123"]]);
    expect(JSON.stringify(body)).not.toContain("api.atlassian.com/ex/confluence/{cloudId}");
  });

  it("POST /explain: a forge_path finding, never wrong_host's gateway URL", async () => {
    const body = await okJson(
      await post("/explain", {
        method: "GET",
        url: SITE_ISSUE,
        status: 401,
        scopes: ["read:jira-work"],
        credential: "forge",
      }),
    );
    const codes = body.findings.map((finding: Json) => finding.code);
    expect(codes).toContain("forge_path");
    expect(codes).not.toContain("wrong_host");
    expect(JSON.stringify(body.findings)).not.toContain("/ex/");
    const plain = await okJson(
      await post("/explain", { method: "GET", url: SITE_ISSUE, status: 401, scopes: ["read:jira-work"] }),
    );
    expect(plain.findings.map((finding: Json) => finding.code)).toContain("wrong_host");
  });
});
