/**
 * APIs outside the catalog that integrations call (issue 12, class 3): a path of one of them is named
 * with how it authenticates and its docs, instead of unrelated suggestions.
 */
import { describe, expect, it } from "vitest";
import { lookupEndpoints } from "../../src/catalog/lookup";
import { outsideApi } from "../../src/catalog/outside-catalog";
import { requestOf, sampleIndex } from "./catalog-fixture";

const index = sampleIndex();

describe("outsideApi", () => {
  it.each([
    { given: "https://api.atlassian.com/graphql", want: [] },
    { given: "https://acme.atlassian.net/gateway/api/automation/public/jira/1/rest/v1/rule/summary", want: [] },
    { given: "https://acme.atlassian.net/gateway/api/graphql", want: [] },
    { given: "https://api.atlassian.com/admin/v1/orgs/123/users", want: [] },
  ])("$given is a known API outside the catalog, with scopes $want", ({ given, want }) => {
    expect(outsideApi(requestOf(given))?.scopes).toEqual(want);
  });

  // GET /me and accessible-resources are curated endpoints now (src/catalog/curated.ts), not outside the catalog.
  it.each([
    "https://api.atlassian.com/me",
    "https://api.atlassian.com/oauth/token/accessible-resources",
    "https://acme.atlassian.net/me",
    "https://api.bitbucket.org/2.0/admin/x",
    "/rest/api/3/myself",
    "/mess",
  ])("%s is not one of them", (given) => {
    expect(outsideApi(requestOf(given))).toBeUndefined();
  });
});

describe("lookupEndpoints on such a path", () => {
  it("answers outside_catalog naming the API, its scopes and docs, not nearest templates", () => {
    const found = lookupEndpoints(index, "https://api.atlassian.com/graphql", "POST");
    expect(found.ok).toBe(false);
    if (found.ok) return;
    expect(found.code).toBe("outside_catalog");
    expect(found.message).toBe(
      "/graphql is outside this catalog: the Atlassian GraphQL gateway: each field needs its own scopes, listed in the GraphQL API reference, not in the REST documents. It authenticates with an OAuth 2.0 (3LO) token or a Forge app, with the scopes the queried fields name. Docs: https://developer.atlassian.com/platform/atlassian-graphql-api/graphql/",
    );
    expect(found.details).toMatchObject({ scopes: [] });
    expect(found.details).not.toHaveProperty("suggestions");
  });

  it("a catalog endpoint at the same path still wins", () => {
    expect(lookupEndpoints(index, "/rest/api/3/myself").ok).toBe(true);
  });
});
