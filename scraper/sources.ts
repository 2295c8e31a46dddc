/**
 * The one list of what the catalog is built from. The scheduled worker fetches `url`; the CLI reads
 * `file` from a folder of saved copies (../shared/atlassian-docs by default). Live URLs are the
 * upstream URLs recorded in that folder's PROVENANCE.md.
 */
import type { HttpMethod, Product } from "../src/catalog/schema";

export interface DocumentSource {
  /** Stable id, stored on every endpoint it publishes. */
  id: string;
  url: string;
  /** File name of the saved copy. */
  file: string;
  /** Root of the document's reference pages on developer.atlassian.com; operation links hang off it. */
  docsBase: string;
  /** `reference-page`: a DAC REST reference page (HTML) read for its Scopes blocks, for a product with no OpenAPI document. */
  format?: "openapi" | "reference-page";
}

/** A fact a product's catalog must keep; a version that breaks one is refused. */
export interface Canary {
  /** Checked only when this document is scraped (runs may use a subset of a product's documents). */
  document?: string;
  method: HttpMethod;
  path: string;
  /** Some alternative must be exactly this set... */
  exactly?: readonly string[];
  /** ...or contain these scopes, with this kind. */
  includes?: readonly string[];
  kind?: "classic" | "granular";
}

export interface ProductSource {
  product: Product;
  title: string;
  /** Order matters: when two documents publish the same endpoint, the first one's docs link wins. */
  documents: readonly DocumentSource[];
  /** developer.atlassian.com scope pages, parsed for descriptions the documents lack. Optional: failures only warn. */
  scopePages: readonly string[];
  /** developer.atlassian.com reference pages whose Scopes blocks are compared with the new records; disagreements warn. */
  crossCheckPages: readonly string[];
  canaries: readonly Canary[];
}

const DAC = "https://developer.atlassian.com";
const STATIC = "https://dac-static.atlassian.com";

export const SOURCES: readonly ProductSource[] = [
  {
    product: "jira",
    title: "Jira Cloud platform REST API (v3 and v2)",
    documents: [
      {
        id: "jira-platform.v3",
        url: `${STATIC}/cloud/jira/platform/swagger-v3.v3.json`,
        file: "jira-platform.v3.json",
        docsBase: `${DAC}/cloud/jira/platform/rest/v3/`,
      },
      {
        id: "jira-platform.v2",
        url: `${STATIC}/cloud/jira/platform/swagger.v3.json`,
        file: "jira-platform.v2.json",
        docsBase: `${DAC}/cloud/jira/platform/rest/v2/`,
      },
    ],
    scopePages: [`${DAC}/cloud/jira/platform/scopes-for-oauth-2-3LO-and-forge-apps/`],
    crossCheckPages: [`${DAC}/cloud/jira/platform/rest/v3/api-group-issues/`],
    canaries: [
      {
        document: "jira-platform.v3",
        method: "GET",
        path: "/rest/api/3/issue/{issueIdOrKey}",
        includes: ["read:jira-work"],
        kind: "classic",
      },
      {
        document: "jira-platform.v3",
        method: "POST",
        path: "/rest/api/3/issue",
        includes: ["write:jira-work"],
        kind: "classic",
      },
      {
        document: "jira-platform.v2",
        method: "GET",
        path: "/rest/api/2/issue/{issueIdOrKey}",
        includes: ["read:jira-work"],
        kind: "classic",
      },
    ],
  },
  {
    product: "jira-software",
    title: "Jira Software Cloud REST API",
    documents: [
      {
        id: "jira-software",
        url: `${DAC}/cloud/jira/software/swagger.v3.json`,
        file: "jira-software.json",
        docsBase: `${DAC}/cloud/jira/software/rest/`,
      },
    ],
    scopePages: [`${DAC}/cloud/jira/software/scopes-for-oauth-2-3LO-and-forge-apps/`],
    crossCheckPages: [`${DAC}/cloud/jira/software/rest/api-group-board/`],
    canaries: [
      {
        method: "GET",
        path: "/rest/agile/1.0/board",
        exactly: ["read:board-scope:jira-software", "read:project:jira"],
      },
      {
        method: "GET",
        path: "/rest/agile/1.0/sprint/{sprintId}",
        includes: ["read:sprint:jira-software"],
        kind: "granular",
      },
    ],
  },
  {
    product: "jira-service-management",
    title: "Jira Service Management Cloud REST API",
    documents: [
      {
        id: "jira-service-management",
        url: `${DAC}/cloud/jira/service-desk/swagger.v3.json`,
        file: "jira-service-management.json",
        docsBase: `${DAC}/cloud/jira/service-desk/rest/`,
      },
    ],
    scopePages: [`${DAC}/cloud/jira/service-desk/scopes-for-oauth-2-3LO-and-forge-apps/`],
    crossCheckPages: [`${DAC}/cloud/jira/service-desk/rest/api-group-request/`],
    canaries: [
      {
        method: "POST",
        path: "/rest/servicedeskapi/request",
        includes: ["write:servicedesk-request"],
        kind: "classic",
      },
    ],
  },
  {
    product: "assets",
    title: "Jira Service Management Assets REST API",
    documents: [
      {
        id: "jsm-assets",
        url: `${STATIC}/cloud/assets/swagger.v3.json`,
        file: "jsm-assets.json",
        docsBase: `${DAC}/cloud/assets/rest/`,
      },
    ],
    scopePages: [],
    crossCheckPages: [`${DAC}/cloud/assets/rest/api-group-object/`],
    canaries: [
      {
        method: "GET",
        path: "/jsm/assets/workspace/{workspaceId}/v1/object/{id}",
        includes: ["read:cmdb-object:jira"],
        kind: "granular",
      },
    ],
  },
  {
    product: "confluence",
    title: "Confluence Cloud REST API (v2 and v1)",
    documents: [
      {
        id: "confluence.v2",
        url: `${STATIC}/cloud/confluence/openapi-v2.v3.json`,
        file: "confluence.v2.json",
        docsBase: `${DAC}/cloud/confluence/rest/v2/`,
      },
      {
        id: "confluence.v1",
        url: `${STATIC}/cloud/confluence/swagger.v3.json`,
        file: "confluence.v1.json",
        docsBase: `${DAC}/cloud/confluence/rest/v1/`,
      },
    ],
    scopePages: [`${DAC}/cloud/confluence/scopes-for-oauth-2-3LO-and-forge-apps/`],
    crossCheckPages: [`${DAC}/cloud/confluence/rest/v2/api-group-page/`],
    canaries: [
      { document: "confluence.v2", method: "GET", path: "/wiki/api/v2/pages/{id}", exactly: ["read:page:confluence"] },
      {
        document: "confluence.v1",
        method: "POST",
        path: "/wiki/rest/api/content/archive",
        includes: ["write:confluence-content"],
        kind: "classic",
      },
    ],
  },
  {
    product: "bitbucket",
    title: "Bitbucket Cloud REST API",
    documents: [
      {
        id: "bitbucket",
        url: `${STATIC}/cloud/bitbucket/swagger.v3.json`,
        file: "bitbucket.json",
        docsBase: `${DAC}/cloud/bitbucket/rest/`,
      },
    ],
    scopePages: [],
    crossCheckPages: [`${DAC}/cloud/bitbucket/rest/api-group-pullrequests/`],
    canaries: [
      {
        method: "GET",
        path: "/2.0/repositories/{workspace}/{repo_slug}/pullrequests",
        includes: ["read:pullrequest:bitbucket"],
        kind: "granular",
      },
      {
        method: "GET",
        path: "/2.0/repositories/{workspace}/{repo_slug}/pullrequests",
        exactly: ["pullrequest"],
      },
    ],
  },
];
