/**
 * Atlassian APIs that integrations call but that no REST document of the catalog describes. A path of
 * one of them is answered with what it is, how it authenticates and its docs, instead of the nearest
 * unrelated templates. No I/O.
 *
 * GET /me, /oauth/token/accessible-resources and /_edge/tenant_info are not here: they are curated
 * endpoint records (src/catalog/curated.ts), which /scopes, /diff and /plan count.
 *
 * Curated by hand from Atlassian's developer documentation (checked 2026-12-05):
 * - https://developer.atlassian.com/platform/atlassian-graphql-api/graphql/ (the GraphQL gateway)
 * - https://developer.atlassian.com/cloud/admin/organization/rest/ (organization APIs, API keys)
 * - https://community.atlassian.com/forums/Automation-articles/Automation-Rule-Management-API-is-now-Generally-Available/ba-p/3115881
 *   (Automation Rule Management API, GA; its examples call {baseSiteURL}/gateway/api/automation/public/...)
 */
import type { RequestPath } from "./request-path";

export interface OutsideApi {
  /** What the API is. */
  api: string;
  /** How a call authenticates, and the scopes it needs where it takes OAuth scopes. */
  auth: string;
  scopes: readonly string[];
  docsUrl: string;
}

const GATEWAY_HOST = "api.atlassian.com";

/** Each entry: the paths it covers (segments; a host when only that host serves them), and the API. */
const OUTSIDE: readonly { host?: string; first: readonly string[]; api: OutsideApi }[] = [
  {
    host: GATEWAY_HOST,
    first: ["graphql"],
    api: {
      api: "the Atlassian GraphQL gateway: each field needs its own scopes, listed in the GraphQL API reference, not in the REST documents",
      auth: "an OAuth 2.0 (3LO) token or a Forge app, with the scopes the queried fields name",
      scopes: [],
      docsUrl: "https://developer.atlassian.com/platform/atlassian-graphql-api/graphql/",
    },
  },
  {
    first: ["gateway", "api", "automation"],
    api: {
      api: "the Automation Rule Management API (/gateway/api/automation/public/...): Jira automation rules, not described by the Jira REST documents",
      auth: "the credentials its developer documentation describes; its scopes are not published in the REST documents this catalog reads",
      scopes: [],
      docsUrl:
        "https://community.atlassian.com/forums/Automation-articles/Automation-Rule-Management-API-is-now-Generally-Available/ba-p/3115881",
    },
  },
  {
    first: ["gateway", "api", "graphql"],
    api: {
      api: "the Atlassian GraphQL gateway on a site (/gateway/api/graphql): each field needs its own scopes, listed in the GraphQL API reference",
      auth: "an OAuth 2.0 (3LO) token or a Forge app, with the scopes the queried fields name",
      scopes: [],
      docsUrl: "https://developer.atlassian.com/platform/atlassian-graphql-api/graphql/",
    },
  },
  {
    host: GATEWAY_HOST,
    first: ["admin"],
    api: {
      api: "an Atlassian organization (admin) API: users, groups, domains, policies and audit events of an organization",
      auth: "an organization API key as a Bearer token (created in admin.atlassian.com), not OAuth 2.0 scopes",
      scopes: [],
      docsUrl: "https://developer.atlassian.com/cloud/admin/organization/rest/",
    },
  },
];

/** The known API outside the catalog that a path belongs to, if any. */
export function outsideApi(request: RequestPath): OutsideApi | undefined {
  for (const entry of OUTSIDE) {
    if (entry.host && request.host && request.host.toLowerCase() !== entry.host) continue;
    if (entry.first.every((segment, index) => request.segments[index] === segment)) return entry.api;
  }
  return undefined;
}
