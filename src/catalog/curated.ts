/**
 * Curated records: APIs every integration calls that none of the catalog's REST documents describes,
 * and the `offline_access` scope. They form the `platform` product, which every catalog index holds
 * (CatalogIndex adds it), so /scopes, /diff, /plan, /endpoints and /explain count them like any other
 * endpoint. They change with the code, reviewed, not with a scrape. No I/O.
 *
 * Each record cites the Atlassian page it comes from (checked 2026-12-05):
 * - GET https://api.atlassian.com/me with read:me:
 *   https://developer.atlassian.com/cloud/oauth/getting-started/faq/ ("The User Identity API is used to
 *   retrieve the public profile of the authenticated user. If you want to use this API, ... add the read:me
 *   scope to the authorization URL"; its curl calls GET https://api.atlassian.com/me with a Bearer token)
 *   and https://developer.atlassian.com/cloud/jira/platform/oauth-2-3lo-apps/.
 * - GET https://api.atlassian.com/oauth/token/accessible-resources:
 *   https://developer.atlassian.com/cloud/oauth/getting-started/making-calls-to-api/ (called with the
 *   access token as a Bearer token; lists the sites the token can reach, each `id` being the cloudId).
 * - GET https://<site>.atlassian.net/_edge/tenant_info: the site's cloudId, without credentials.
 *   Atlassian community answer (NOTES.md section 3):
 *   https://community.atlassian.com/forums/Jira-questions/Re-Re-Jira-Token-With-Scopes/qaq-p/3089340
 * - offline_access: https://developer.atlassian.com/cloud/oauth/getting-started/refresh-tokens ("To get a
 *   refresh token in your initial authorization flow, add offline_access to the scope parameter of the
 *   authorization URL"). Not a granular or deprecated scope but one defined in Auth0:
 *   https://community.developer.atlassian.com/t/action-required-update-scopes-for-forge-and-oauth-2-0-3lo-apps/53299/72
 */
import type { CatalogProductData } from "./catalog-index";
import type { Endpoint, ScopeRecord } from "./schema";

/** The id recorded in `documents` and the version of the curated records (bump it when they change). */
export const CURATED_DOCUMENT = "curated";
const CURATED_VERSION = "2026-12-05";

const GATEWAY = "https://api.atlassian.com";

const base = {
  product: "platform",
  method: "GET",
  deprecated: false,
  experimental: false,
  emptyScopeList: false,
} as const;

export const CURATED_ENDPOINTS: readonly Endpoint[] = [
  {
    ...base,
    documents: [CURATED_DOCUMENT],
    path: "/_edge/tenant_info",
    summary: "Get the site's cloudId (tenant info)",
    docsUrl: "https://community.atlassian.com/forums/Jira-questions/Re-Re-Jira-Token-With-Scopes/qaq-p/3089340",
    alternatives: [],
    hasScopes: false,
    anonymous: true,
    curated: {
      server: "https://<site>.atlassian.net",
      noScope: "no credentials at all",
      notes: [
        "Served by each site (https://<site>.atlassian.net/_edge/tenant_info), without credentials: its `cloudId` is the one the api.atlassian.com/ex/jira/{cloudId} gateway needs.",
      ],
    },
  },
  {
    ...base,
    documents: [CURATED_DOCUMENT],
    path: "/me",
    summary: "Get the profile of the user who granted the token (User Identity API)",
    docsUrl: "https://developer.atlassian.com/cloud/oauth/getting-started/faq/",
    alternatives: [{ kind: "classic", state: "Current", scopes: ["read:me"], origins: ["curated"] }],
    hasScopes: true,
    anonymous: false,
    curated: {
      server: GATEWAY,
      notes: [
        "Served by https://api.atlassian.com/me only, for an OAuth 2.0 (3LO) access token as a Bearer token; request the read:me scope in the authorization URL.",
      ],
    },
  },
  {
    ...base,
    documents: [CURATED_DOCUMENT],
    path: "/oauth/token/accessible-resources",
    summary: "List the sites an OAuth 2.0 (3LO) token can reach, each with its cloudId",
    docsUrl: "https://developer.atlassian.com/cloud/oauth/getting-started/making-calls-to-api/",
    alternatives: [],
    hasScopes: false,
    anonymous: false,
    curated: {
      server: GATEWAY,
      noScope: "any OAuth 2.0 (3LO) access token, whatever its scopes",
      notes: [
        "Served by https://api.atlassian.com only. No scope of its own: any OAuth 2.0 (3LO) access token, sent as a Bearer token, may call it; each resource's `id` is a cloudId.",
      ],
    },
  },
];

export const CURATED_SCOPES: readonly ScopeRecord[] = [
  {
    name: "offline_access",
    kind: "classic",
    product: "platform",
    description:
      "Not an API scope: add it to the authorization URL's scope parameter to get a refresh token (rotating refresh tokens). Defined by Atlassian's identity platform (Auth0), neither granular nor deprecated; no endpoint checks it.",
    descriptionSource: "other-document",
    unused: true,
  },
  {
    name: "read:me",
    kind: "classic",
    product: "platform",
    description:
      "View the profile of the user who granted the app (User Identity API, GET https://api.atlassian.com/me).",
    descriptionSource: "other-document",
    unused: false,
  },
];

/**
 * Atlassian's pages on `offline_access` (seen 2026-12-07 through the project's search tool): "To get a
 * refresh token in your initial authorization flow, add offline_access to the scope parameter of the
 * authorization URL" (the refresh-token page), in the OAuth 2.0 (3LO) flow of
 * https://developer.atlassian.com/cloud/jira/platform/oauth-2-3lo-apps/.
 */
export const OFFLINE_ACCESS_DOCS = "https://developer.atlassian.com/cloud/oauth/getting-started/refresh-tokens";

/** What a plan for an OAuth 2.0 (3LO) app adds: the scope that gets it refresh tokens, which no endpoint needs. */
export const OFFLINE_ACCESS_PLAN_NOTE = `To refresh the app's access tokens without the user, also add \`offline_access\` to the authorization URL's \`scope\`: it gets a refresh token, and no endpoint needs it, so it is not among the scopes above (${OFFLINE_ACCESS_DOCS}).`;

/**
 * What may call an endpoint that needs no scope (a curated record that says so), else undefined: a
 * documented endpoint without published scopes is not one of these (nothing is known to satisfy it).
 */
export function needsNoScope(endpoint: Pick<Endpoint, "alternatives" | "curated">): string | undefined {
  return endpoint.alternatives.length === 0 ? endpoint.curated?.noScope : undefined;
}

/** The curated records as one product of a catalog index (they are the same in every catalog version). */
export const CURATED_PRODUCT: CatalogProductData = {
  scrapedAt: `${CURATED_VERSION}T00:00:00.000Z`,
  version: `curated-${CURATED_VERSION}`,
  endpoints: CURATED_ENDPOINTS,
  scopes: CURATED_SCOPES,
};
