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
    { given: "https://api.atlassian.com/me", want: ["read:me"] },
    { given: "https://api.atlassian.com/oauth/token/accessible-resources", want: [] },
    { given: "https://api.atlassian.com/graphql", want: [] },
    { given: "https://acme.atlassian.net/gateway/api/graphql", want: [] },
    { given: "https://api.atlassian.com/admin/v1/orgs/123/users", want: [] },
    { given: "/me", want: ["read:me"] },
  ])("$given is a known API outside the catalog, with scopes $want", ({ given, want }) => {
    expect(outsideApi(requestOf(given))?.scopes).toEqual(want);
  });

  it.each(["https://acme.atlassian.net/me", "https://api.bitbucket.org/2.0/admin/x", "/rest/api/3/myself", "/mess"])(
    "%s is not one of them",
    (given) => {
      expect(outsideApi(requestOf(given))).toBeUndefined();
    },
  );
});

describe("lookupEndpoints on such a path", () => {
  it("answers outside_catalog naming the API, its scopes and docs, not nearest templates", () => {
    const found = lookupEndpoints(index, "https://api.atlassian.com/me", "GET");
    expect(found.ok).toBe(false);
    if (found.ok) return;
    expect(found.code).toBe("outside_catalog");
    expect(found.message).toBe(
      "/me is outside this catalog: the User Identity API (GET https://api.atlassian.com/me): the account of the user who granted an OAuth 2.0 (3LO) app. It authenticates with an OAuth 2.0 (3LO) access token with the read:me scope. Scopes: read:me. Docs: https://developer.atlassian.com/cloud/jira/platform/oauth-2-3lo-apps/",
    );
    expect(found.details).toMatchObject({ scopes: ["read:me"] });
    expect(found.details).not.toHaveProperty("suggestions");
  });

  it("a catalog endpoint at the same path still wins", () => {
    expect(lookupEndpoints(index, "/rest/api/3/myself").ok).toBe(true);
  });
});
