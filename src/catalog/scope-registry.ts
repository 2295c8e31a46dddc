/**
 * What the catalog knows about a scope name beyond its endpoints: the scope registry (every name
 * Atlassian accepts in an app, from `@forge/manifest`'s out/scopes/*.json, stored by the scraper) and
 * which product or API a name belongs to. No I/O.
 *
 * A name is, in this order:
 * - `catalogued`: some catalogued endpoint takes it;
 * - `known`: the catalog's documents or curated records declare it, but no endpoint takes it
 *   (`offline_access`, scopes a document declares and never uses);
 * - `outside`: real (the registry lists it), used by an API outside this catalog, which is named;
 * - `unknown`: neither; the caller adds suggestions.
 *
 * The API names are curated from Atlassian's pages (checked 2026-12-05):
 * - https://developer.atlassian.com/cloud/oauth/getting-started/faq/ ("The User Identity API is used to
 *   retrieve the public profile of the authenticated user": add the read:me scope, GET https://api.atlassian.com/me).
 *   `read:account` is listed beside `read:me` in the package's shipyard-scopes-with-interactive-consent.json.
 * - https://developer.atlassian.com/platform/forge/manifest-reference/scopes-forge/ (Forge scopes:
 *   read:app-system-token, read:app-user-token, storage:app "Enables the App storage API",
 *   report:personal-data "Enables the User privacy API", read:chat:rovo "Enables actions from your Forge
 *   app to be used by agents created by customers").
 * - Teamwork Graph: the package's own out/scopes/teamwork-graph-scopes.json (getTeamworkGraphScopes()).
 * Any other name is labelled by the product its name ends with (`read:component:compass` → compass).
 */
import type { Product, RegistryScope } from "./schema";
import { scopeKindOf } from "./scope-names";

/** Titles of the products whose REST documents the catalog holds, and of the curated platform records. */
export const PRODUCT_TITLES: Record<Product, string> = {
  jira: "Jira",
  "jira-software": "Jira Software",
  "jira-service-management": "Jira Service Management",
  assets: "Assets",
  confluence: "Confluence",
  bitbucket: "Bitbucket",
  platform: "Atlassian platform (User Identity API, OAuth 2.0, site info)",
};

interface ApiLabel {
  api: string;
  docsUrl?: string;
}

const FORGE_SCOPES_PAGE = "https://developer.atlassian.com/platform/forge/manifest-reference/scopes-forge/";
const USER_IDENTITY_PAGE = "https://developer.atlassian.com/cloud/oauth/getting-started/faq/";

/** By the product a registry name ends with (see the header for the sources). */
const API_BY_PRODUCT: Record<string, ApiLabel> = {
  me: { api: "the User Identity API (GET https://api.atlassian.com/me)", docsUrl: USER_IDENTITY_PAGE },
  account: { api: "the User Identity API (Atlassian account profiles)", docsUrl: USER_IDENTITY_PAGE },
  app: { api: "the Forge platform (App storage API)", docsUrl: FORGE_SCOPES_PAGE },
  "app-system-token": { api: "the Forge platform (Forge Remote, app system token)", docsUrl: FORGE_SCOPES_PAGE },
  "app-user-token": { api: "the Forge platform (Forge Remote, app user token)", docsUrl: FORGE_SCOPES_PAGE },
  "personal-data": { api: "the Forge platform (User privacy API)", docsUrl: FORGE_SCOPES_PAGE },
  rovo: { api: "Rovo (Forge actions used by Rovo agents)", docsUrl: FORGE_SCOPES_PAGE },
  realtime: { api: "the Forge platform (Realtime)" },
  compass: { api: "Compass" },
  teams: { api: "Atlassian Teams" },
  "connect-jira": { api: "Connect app scopes of a Jira app on Forge" },
  "connect-confluence": { api: "Connect app scopes of a Confluence app on Forge" },
};

/**
 * The product a registry name belongs to: the last segment of a granular name (`:compass`), else the
 * product a classic name mentions (`read:servicedesk-request`), else its last segment (`storage:app` → app).
 */
export function registryProductOf(name: string): string {
  const last = name.slice(name.lastIndexOf(":") + 1);
  if (scopeKindOf(name) === "granular") return last === "cmdb" ? "assets" : last;
  if (/servicedesk|servicemanagement/.test(name)) return "jira-service-management";
  if (/jira/.test(name)) return "jira";
  if (/confluence/.test(name)) return "confluence";
  return last;
}

/** What a scope of the registry that no catalogued endpoint takes belongs to, in words, with its docs when cited. */
export function apiOf(scope: RegistryScope): ApiLabel {
  if (scope.teamworkGraph) return { api: "the Teamwork Graph (Atlassian GraphQL gateway)" };
  const label = API_BY_PRODUCT[scope.product];
  if (label) return label;
  const title = PRODUCT_TITLES[scope.product as Product];
  if (title) return { api: `${title} (an API or Forge module outside the REST documents of this catalog)` };
  return { api: `the Atlassian app "${scope.product}" (from the scope's name)` };
}

/** How the catalog classifies one scope name. */
export type ScopeStatus =
  | { status: "catalogued"; product: string; endpoints: number }
  | { status: "known"; product: string }
  | {
      status: "outside";
      product: string;
      api: string;
      docsUrl?: string;
      deprecated?: true;
      /** Where the registry came from: `@forge/manifest@13.7.0`. */
      source: string;
    }
  | { status: "unknown" };

/** The catalogued product title of a product name, or the name itself. */
export function productTitle(product: string): string {
  return PRODUCT_TITLES[product as Product] ?? product;
}

/** The User Identity API's profile scopes' key: they stand in for any product's `read:user:` scope. */
const USER_PROFILE_KEY = "read:user:*";

/**
 * What `scope` can stand in for in another product, as a key the endpoint's own scope is found under
 * (candidateKeys): the same `action:resource` with the endpoint's product (`read:user:jira` →
 * `read:user:bitbucket`), or, for the User Identity API's profile scopes, the endpoint's
 * `read:user:<product>` scope (the product's own user-profile scope: Bitbucket's GET /2.0/user "Get
 * current user" takes `read:user:bitbucket`, per Atlassian's Bitbucket REST document). Undefined for a
 * scope that has no equivalent in any product (a classic scope).
 */
export function equivalenceKey(scope: string): string | undefined {
  if (scope === "read:me" || scope === "read:account") return USER_PROFILE_KEY;
  if (scopeKindOf(scope) !== "granular") return undefined;
  return stemOf(scope);
}

/** A scope's name up to and with its last colon (`read:user:` of `read:user:jira`); "" without one. */
function stemOf(scope: string): string {
  return scope.slice(0, scope.lastIndexOf(":") + 1);
}

/**
 * The scopes of `known` with the same action and resource as `scope` in another product (its
 * equivalenceKey), in `known`'s order: `read:workspace:bitbucket` for a mistaken `read:workspace:jira`.
 */
export function sameResourceScopes(scope: string, known: readonly string[]): string[] {
  const stem = equivalenceKey(scope);
  const found: string[] = [];
  if (stem === undefined) return found;
  for (let at = 0; at < known.length; at++) {
    const candidate = known[at]!;
    if (candidate !== scope && stemOf(candidate) === stem) found.push(candidate);
  }
  return found;
}

/**
 * The keys an endpoint's scope is found under (equivalenceKey): its `action:resource:` stem, and the
 * profile scopes' key for a `read:user:` scope. Keys, not a finder per held scope, because a /diff asks
 * for each endpoint checked whether any held scope has an equivalent among its missing ones.
 */
export function candidateKeys(candidate: string): string[] {
  const stem = stemOf(candidate);
  if (stem === "") return [];
  return candidate.startsWith("read:user:") ? [stem, USER_PROFILE_KEY] : [stem];
}
