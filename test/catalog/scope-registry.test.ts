/**
 * How a scope name is classified (catalogued, known, outside with the API named, unknown), and how
 * /diff and the reverse lookup use it: a real scope is never called unknown. Issue 12, section 2.
 */
import { describe, expect, it } from "vitest";
import { CatalogIndex } from "../../src/catalog/catalog-index";
import { CURATED_PRODUCT } from "../../src/catalog/curated";
import { checkEndpoint, outsideScopes, scopesTakenBy, unknownScopes, unusedScopes } from "../../src/catalog/diff";
import type { RegistryScope } from "../../src/catalog/schema";
import { apiOf, registryProductOf } from "../../src/catalog/scope-registry";
import { alt, endpoint, sampleData } from "./catalog-fixture";

/** Names as @forge/manifest 13.7.0 lists them. */
const REGISTRY: RegistryScope[] = [
  { name: "read:me", product: "me", interactiveConsent: true },
  { name: "read:account", product: "account", interactiveConsent: true },
  { name: "storage:app", product: "app" },
  { name: "read:app-system-token", product: "app-system-token" },
  { name: "read:chat:rovo", product: "rovo" },
  { name: "read:component:compass", product: "compass" },
  { name: "view:team:teams", product: "teams" },
  { name: "read:graph:board:jira", product: "jira", teamworkGraph: true },
  { name: "delete:async-task:jira", product: "jira" },
  { name: "read:backup:brie", product: "brie" },
  { name: "read:jira-work", product: "jira" },
  { name: "old:thing:jira", product: "jira", deprecated: true },
];

function index(withRegistry = true): CatalogIndex {
  const data = sampleData();
  data.products.platform = CURATED_PRODUCT;
  const bitbucket = data.products.bitbucket!;
  data.products.bitbucket = {
    ...bitbucket,
    endpoints: [
      ...bitbucket.endpoints,
      endpoint("bitbucket", "GET", "/2.0/user", [alt(["account"]), alt(["read:user:bitbucket"])]),
    ],
  };
  return CatalogIndex.build({
    ...data,
    ...(withRegistry
      ? {
          registry: {
            source: {
              package: "@forge/manifest",
              version: "13.7.0",
              url: "https://registry.npmjs.org/x.tgz",
              files: [],
            },
            scopes: REGISTRY,
          },
        }
      : {}),
  });
}

describe("classifyScope", () => {
  const catalog = index();
  it.each([
    // Some catalogued endpoint takes it: as today.
    { given: "read:jira-work", want: { status: "catalogued", product: "jira" } },
    // The curated GET /me record takes it.
    { given: "read:me", want: { status: "catalogued", product: "platform", endpoints: 1 } },
    // A curated scope no endpoint takes: known, never unknown.
    { given: "offline_access", want: { status: "known", product: "platform" } },
    {
      given: "read:account",
      want: {
        status: "outside",
        api: "the User Identity API (Atlassian account profiles)",
        source: "@forge/manifest@13.7.0",
      },
    },
    { given: "storage:app", want: { status: "outside", api: "the Forge platform (App storage API)" } },
    { given: "read:chat:rovo", want: { status: "outside", api: "Rovo (Forge actions used by Rovo agents)" } },
    { given: "read:component:compass", want: { status: "outside", product: "compass", api: "Compass" } },
    { given: "view:team:teams", want: { status: "outside", api: "Atlassian Teams" } },
    // The Teamwork Graph file wins over the product suffix.
    {
      given: "read:graph:board:jira",
      want: { status: "outside", api: "the Teamwork Graph (Atlassian GraphQL gateway)" },
    },
    {
      given: "delete:async-task:jira",
      want: { status: "outside", api: "Jira (an API or Forge module outside the REST documents of this catalog)" },
    },
    {
      given: "read:backup:brie",
      want: { status: "outside", api: 'the Atlassian app "brie" (from the scope\'s name)' },
    },
    { given: "old:thing:jira", want: { status: "outside", deprecated: true } },
    { given: "read:jira-wrok", want: { status: "unknown" } },
  ])("$given is $want.status", ({ given, want }) => {
    expect(catalog.classifyScope(given)).toMatchObject(want);
  });

  it("without a registry (a catalog published before it existed), a registry name is unknown as before", () => {
    expect(index(false).classifyScope("read:account")).toEqual({ status: "unknown" });
  });
});

describe("registryProductOf and apiOf", () => {
  it.each([
    { given: "read:servicedesk-request", want: "jira-service-management" },
    { given: "read:servicemanagement-insight-objects", want: "jira-service-management" },
    { given: "manage:jira-configuration", want: "jira" },
    { given: "write:confluence-content", want: "confluence" },
    { given: "read:cmdb-object:cmdb", want: "assets" },
    { given: "storage:app", want: "app" },
    { given: "read:me", want: "me" },
  ])("$given belongs to $want", ({ given, want }) => {
    expect(registryProductOf(given)).toBe(want);
  });

  it("cites the Forge scopes page for Forge platform scopes, and no page where none is cited", () => {
    expect(apiOf({ name: "storage:app", product: "app" }).docsUrl).toBe(
      "https://developer.atlassian.com/platform/forge/manifest-reference/scopes-forge/",
    );
    expect(apiOf({ name: "read:component:compass", product: "compass" }).docsUrl).toBeUndefined();
  });
});

describe("/diff's lists", () => {
  const catalog = index();
  const held = ["read:account", "storage:app", "offline_access", "read:jira-wrok", "read:jira-work"];

  it("lists only names neither the catalog nor the registry knows as unknown", () => {
    expect(unknownScopes(held, catalog).map((unknown) => unknown.scope)).toEqual(["read:jira-wrok"]);
  });

  it("names the API of each real scope no catalogued endpoint takes", () => {
    expect(outsideScopes(held, catalog)).toEqual([
      {
        scope: "read:account",
        product: "account",
        api: "the User Identity API (Atlassian account profiles)",
        docsUrl: "https://developer.atlassian.com/cloud/oauth/getting-started/faq/",
      },
      {
        scope: "storage:app",
        product: "app",
        api: "the Forge platform (App storage API)",
        docsUrl: "https://developer.atlassian.com/platform/forge/manifest-reference/scopes-forge/",
      },
    ]);
  });

  it("never lists offline_access as unused: it asks for a refresh token, no endpoint takes it", () => {
    expect(unusedScopes(held, scopesTakenBy([]), catalog)).toEqual(["read:jira-work"]);
  });

  it("says a scope of another product does not count and names the endpoint product's own", () => {
    const user = catalog.endpoints.find((item) => item.path === "/2.0/user")!;
    const check = checkEndpoint(user, new Set(["read:account", "read:user:jira"]));
    expect(check.satisfied).toBe(false);
    expect(check.hints).toEqual([
      "`read:account` is a scope of the User Identity API (Atlassian account profiles), not a Bitbucket scope: it does not count here; Bitbucket's is `read:user:bitbucket`.",
      "`read:user:jira` is a Jira scope, not a Bitbucket scope: it does not count here; Bitbucket's is `read:user:bitbucket`.",
    ]);
  });

  it("GET /me with a token lacking read:me is missing read:me", () => {
    const me = catalog.endpoints.find((item) => item.path === "/me")!;
    expect(checkEndpoint(me, new Set(["read:account"])).missing).toEqual(["read:me"]);
    expect(checkEndpoint(me, new Set(["read:me"])).satisfied).toBe(true);
  });
});
