/**
 * Issue 12, sections 2 and 3, through the worker (workerd, the bundled snapshot, KV empty): the scope
 * registry from @forge/manifest that data/ bundles, and the curated platform records.
 */
import { get, getEndpoints, getScopes, okJson, postDiff, type Json } from "../helpers/worker";
import { describe, expect, it } from "vitest";
import manifestJson from "../../data/manifest.json";

describe("the bundled snapshot names a scope registry", () => {
  it("from @forge/manifest, with its source and version", () => {
    expect(manifestJson.registry).toMatchObject({
      key: "registry/forge-manifest-13.7.0",
      source: {
        package: "@forge/manifest",
        version: "13.7.0",
        url: "https://registry.npmjs.org/@forge/manifest/-/manifest-13.7.0.tgz",
      },
    });
    expect(manifestJson.registry.scopes).toBeGreaterThan(600);
  });
});

describe("curated records", () => {
  it("GET /scopes finds GET https://api.atlassian.com/me, which needs read:me", async () => {
    const answer = await okJson(await getScopes({ path: "https://api.atlassian.com/me", method: "GET" }));
    expect(answer.endpoints).toHaveLength(1);
    expect(answer.endpoints[0]).toMatchObject({
      product: "platform",
      path: "/me",
      alternatives: [{ kind: "classic", scopes: ["read:me"] }],
      docsUrl: "https://developer.atlassian.com/cloud/oauth/getting-started/faq/",
    });
  });

  it("/_edge/tenant_info on a site is the curated record, with no gateway note", async () => {
    const answer = await okJson(
      await getScopes({ path: "https://acme.atlassian.net/_edge/tenant_info", method: "GET", format: "json" }),
    );
    expect(answer.endpoints[0]).toMatchObject({ product: "platform", path: "/_edge/tenant_info", anonymous: true });
    expect(answer.notes ?? []).toEqual([]);
  });

  it("POST /diff with GET /me and a token lacking read:me says read:me is missing", async () => {
    const answer = await okJson(
      await postDiff({ scopes: ["read:account", "offline_access"], endpoints: ["GET https://api.atlassian.com/me"] }),
    );
    expect(answer.results[0]).toMatchObject({ path: "/me", satisfied: false, missing: ["read:me"] });
    expect(answer.unknownScopes).toEqual([]);
    expect(answer.unusedScopes).toEqual([]);
    expect(answer.outsideScopes).toEqual([
      {
        scope: "read:account",
        product: "account",
        api: "the User Identity API (Atlassian account profiles)",
        docsUrl: "https://developer.atlassian.com/cloud/oauth/getting-started/faq/",
      },
    ]);
  });
});

describe("registry scopes are never unknown", () => {
  it("GET /endpoints?scope=storage:app answers no endpoints, naming the API that uses it", async () => {
    const answer = await okJson(await getEndpoints({ scope: "storage:app" }));
    expect(answer.total).toBe(0);
    expect(answer.scope.outside).toEqual({
      api: "the Forge platform (App storage API)",
      docsUrl: "https://developer.atlassian.com/platform/forge/manifest-reference/scopes-forge/",
      source: "@forge/manifest@13.7.0",
    });
  });

  it("a name neither knows is still scope_not_found, with suggestions", async () => {
    const response = await getEndpoints({ scope: "read:board-scope:jira" });
    expect(response.status).toBe(404);
    const body = (await response.json()) as Json;
    expect(body.error.code).toBe("scope_not_found");
  });

  it("POST /diff?format=text on Bitbucket's GET /2.0/user names Bitbucket's scope for read:account", async () => {
    const response = await postDiff(
      { scopes: ["read:account", "read:component:compass"], endpoints: ["GET https://api.bitbucket.org/2.0/user"] },
      { query: "?format=text" },
    );
    const text = await response.text();
    expect(text).toContain(
      "hint: `read:account` is a scope of the User Identity API (Atlassian account profiles), not a Bitbucket scope: it does not count here; Bitbucket's is `read:user:bitbucket`.",
    );
    expect(text).toContain(
      "outside the catalog: read:component:compass is a real scope of Compass; no endpoint of this catalog takes it",
    );
    expect(text).not.toContain("unknown scope");
  });

  it("/health counts the stored catalog only: the curated records are code, not KV data", async () => {
    const health = await okJson(await get("/health"));
    expect(health.catalog.products.platform).toBeUndefined();
    expect(health.catalog.endpoints).toBe(2036);
  });
});
