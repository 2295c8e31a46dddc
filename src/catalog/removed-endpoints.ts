/**
 * Endpoints Atlassian removed: the curated Confluence REST API v1 removals with their v2 replacements,
 * and what a removed endpoint looks like in answers (`endpoint_removed`, 410). Tombstones the scraper
 * keeps (scraper/tombstones.ts, a shard's `removed`) join these in CatalogIndex. No I/O.
 *
 * Sources (seen 2026-12-05):
 * - Confluence changelog CHANGE-864, "Deprecating many Confluence v1 APIs that have v2 equivalents":
 *   https://developer.atlassian.com/cloud/confluence/changelog/#CHANGE-864, as announced in
 *   https://community.developer.atlassian.com/t/deprecating-many-confluence-v1-apis-that-have-v2-equivalents/66883
 *   (deprecation period from 2023-03-01; public access to be removed afterwards, the period later extended).
 * - RFC-19, "Deprecation of Confluence Cloud REST API v1 Endpoints" (published 2023-08-07):
 *   https://community.developer.atlassian.com/t/rfc-19-deprecation-of-confluence-cloud-rest-api-v1-endpoints/71752
 *   "Public access for the endpoints will be removed on Jan 1, 2024, except for the Content Property
 *   endpoints [...] for which public access will be removed on Feb 1, 2024."
 * - The 410 Gone body Confluence answers, `com.atlassian.confluence.api.service.exceptions.GoneException:
 *   This deprecated endpoint has been removed.`, for GET /wiki/rest/api/space through the api.atlassian.com
 *   gateway: https://github.com/atlassian-api/atlassian-python-api/issues/1560 (2025-07-23).
 * - Whether a site URL (`https://<site>.atlassian.net/wiki/rest/api/space`) with basic auth also answers
 *   410 is not settled: one report saw 200 there while the gateway answered 410
 *   (https://github.com/Spenhouet/confluence-markdown-exporter/issues/207, 2026-05-03), so answers say
 *   "through api.atlassian.com", where OAuth 2.0 and scoped tokens call.
 * - Each pair below was checked against the documents in ../shared/atlassian-docs (Confluence v1 and v2,
 *   2026-07-21 copies, see PROVENANCE.md): the v1 document no longer publishes the method on that path
 *   (GET /wiki/rest/api/space is gone while POST stays), and the v2 document publishes the replacement.
 *   test/catalog/removed-endpoints-shared.test.ts keeps that true.
 *
 * Only the replacement's method and path are curated: its scopes and docs are read from the catalog
 * (the Confluence v2 records) when an answer is given, so they follow Atlassian's documents.
 */
import type { Alternative, HttpMethod, Product } from "./schema";

export interface RemovalSource {
  /**
   * `curated`: the table below; `scrape`: a tombstone, the endpoint vanished from the documents;
   * `document`: the documents still list it, with a removal (`x-changes`) whose date the catalog's has passed.
   */
  kind: "curated" | "scrape" | "document";
  title?: string;
  url?: string;
  /** When the source was read (curated). */
  seen?: string;
}

/** A removed endpoint as the catalog knows it, curated or scraped. */
export interface RemovedEndpoint {
  product: Product;
  method: HttpMethod;
  path: string;
  summary?: string;
  docsUrl?: string;
  /** When Atlassian removed it (curated: the announced date), or when the scrape found it gone. */
  removedAt: string;
  /** The catalog version whose scrape no longer found it (tombstones). */
  removedIn?: string;
  /** The scope sets it took when last published (tombstones). */
  lastAlternatives?: readonly Alternative[];
  /** What to call instead (curated, or named by its last document's notice), and what to know about the switch. */
  replacement?: { method: HttpMethod; path: string; note?: string };
  /** The removal its last document announced (tombstones): the date and the changelog link. */
  announced?: { effective?: string; details?: string };
  source: RemovalSource;
}

const CHANGE_864: RemovalSource = {
  kind: "curated",
  title: "Confluence changelog CHANGE-864 and RFC-19: Confluence REST API v1 endpoints removed in favour of v2",
  url: "https://community.developer.atlassian.com/t/rfc-19-deprecation-of-confluence-cloud-rest-api-v1-endpoints/71752",
  seen: "2026-12-05",
};

/** Public access removed (RFC-19); the content property endpoints a month later. */
const REMOVED_AT = "2024-01-01";
const PROPERTIES_REMOVED_AT = "2024-02-01";

const CONTENT_NOTE =
  "v1 content covered pages and blog posts: for a blog post use the matching /wiki/api/v2/blogposts endpoint.";

/** [v1 method, v1 path, v2 method, v2 path, note?, removed at]: the Confluence v1 removals (CHANGE-864). */
const CONFLUENCE_V1: readonly [HttpMethod, string, HttpMethod, string, string?, string?][] = [
  ["GET", "/wiki/rest/api/space", "GET", "/wiki/api/v2/spaces"],
  [
    "GET",
    "/wiki/rest/api/space/{spaceKey}",
    "GET",
    "/wiki/api/v2/spaces/{id}",
    "v2 takes the space's numeric id: GET /wiki/api/v2/spaces?keys={spaceKey} finds it by key.",
  ],
  ["GET", "/wiki/rest/api/space/{spaceKey}/content", "GET", "/wiki/api/v2/spaces/{id}/pages", CONTENT_NOTE],
  ["GET", "/wiki/rest/api/space/{spaceKey}/content/{type}", "GET", "/wiki/api/v2/spaces/{id}/pages", CONTENT_NOTE],
  ["GET", "/wiki/rest/api/content", "GET", "/wiki/api/v2/pages", CONTENT_NOTE],
  ["POST", "/wiki/rest/api/content", "POST", "/wiki/api/v2/pages", CONTENT_NOTE],
  ["GET", "/wiki/rest/api/content/{id}", "GET", "/wiki/api/v2/pages/{id}", CONTENT_NOTE],
  ["PUT", "/wiki/rest/api/content/{id}", "PUT", "/wiki/api/v2/pages/{id}", CONTENT_NOTE],
  ["DELETE", "/wiki/rest/api/content/{id}", "DELETE", "/wiki/api/v2/pages/{id}", CONTENT_NOTE],
  ["GET", "/wiki/rest/api/content/{id}/child/attachment", "GET", "/wiki/api/v2/pages/{id}/attachments", CONTENT_NOTE],
  ["GET", "/wiki/rest/api/content/{id}/child/comment", "GET", "/wiki/api/v2/pages/{id}/footer-comments", CONTENT_NOTE],
  ["GET", "/wiki/rest/api/content/{id}/child/page", "GET", "/wiki/api/v2/pages/{id}/children"],
  ["GET", "/wiki/rest/api/content/{id}/label", "GET", "/wiki/api/v2/pages/{id}/labels", CONTENT_NOTE],
  ["GET", "/wiki/rest/api/content/{id}/version", "GET", "/wiki/api/v2/pages/{id}/versions", CONTENT_NOTE],
  [
    "GET",
    "/wiki/rest/api/content/{id}/property",
    "GET",
    "/wiki/api/v2/pages/{page-id}/properties",
    CONTENT_NOTE,
    PROPERTIES_REMOVED_AT,
  ],
  [
    "GET",
    "/wiki/rest/api/content/{id}/property/{key}",
    "GET",
    "/wiki/api/v2/pages/{page-id}/properties/{property-id}",
    "v2 addresses a property by its id: GET /wiki/api/v2/pages/{page-id}/properties?key={key} finds it by key.",
    PROPERTIES_REMOVED_AT,
  ],
  [
    "GET",
    "/wiki/rest/api/space/{spaceKey}/property",
    "GET",
    "/wiki/api/v2/spaces/{space-id}/properties",
    undefined,
    PROPERTIES_REMOVED_AT,
  ],
];

/** The curated removals, in table order. */
export const CURATED_REMOVALS: readonly RemovedEndpoint[] = CONFLUENCE_V1.map(
  ([method, path, toMethod, toPath, note, removedAt]) => ({
    product: "confluence",
    method,
    path,
    removedAt: removedAt ?? REMOVED_AT,
    replacement: { method: toMethod, path: toPath, ...(note ? { note } : {}) },
    source: CHANGE_864,
  }),
);

/** A v2 search's replacement: the v3 one the catalog holds, and the v2 form Atlassian also serves. */
const V2_SEARCH_NOTE =
  "It pages with nextPageToken instead of startAt. Atlassian serves it as /rest/api/2/search/jql too, with v2's text formats; the v2 document read here predates it.";

/**
 * What to call instead of endpoints the documents still list but whose removal date has passed
 * (`x-changes` type `removed`, effective 2025-05-01, changelog CHANGE-2046), by `METHOD path`, where the
 * removal entry names none (a notice in a description names its own: scraper/parse/removal-notice.ts);
 * these win over the entry's, for their notes. Only the method and path are curated: scopes and docs are read from the catalog's records, as for CONFLUENCE_V1.
 * Sources (seen 2026-12-05):
 * - Jira's 410 for GET /rest/api/3/search: "The requested API has been removed. Please migrate to the
 *   /rest/api/3/search/jql API. A full migration guideline is available at
 *   https://developer.atlassian.com/changelog/#CHANGE-2046" (github.com/adyscorpius/logseq-jira/issues/34,
 *   2025-11-11; test/fixtures/atlassian-errors.ts JIRA_SEARCH_410).
 * - The Jira platform v3 document (../shared/atlassian-docs/jira-platform.v3.json, 2026-07-21 copy): GET
 *   and POST /rest/api/3/search and POST /rest/api/3/expression/eval "Currently being removed" with
 *   CHANGE-2046; /rest/api/3/search/jql "Search for issues using JQL enhanced search"; POST
 *   /rest/api/3/expression/evaluate: "The difference between this and `eval` is that this endpoint uses the
 *   enhanced search API", paging with nextPageToken.
 * - Adaptavist's migration note (https://docs.adaptavist.com/sr4jc/latest/release-notes/breaking-changes/atlassian-rest-api-search-endpoints-deprecation):
 *   GET /rest/api/{2|3|latest}/search → .../search/jql, startAt replaced by nextPageToken, and the removal
 *   date moved by Atlassian from 2025-05-01 to 2025-08-01 (the document keeps 2025-05-01).
 */
export const DOCUMENTED_REMOVAL_REPLACEMENTS: Readonly<
  Record<string, { method: HttpMethod; path: string; note?: string }>
> = {
  "GET /rest/api/3/search": {
    method: "GET",
    path: "/rest/api/3/search/jql",
    note: "It pages with nextPageToken instead of startAt.",
  },
  "POST /rest/api/3/search": {
    method: "POST",
    path: "/rest/api/3/search/jql",
    note: "It pages with nextPageToken instead of startAt.",
  },
  "POST /rest/api/3/expression/eval": { method: "POST", path: "/rest/api/3/expression/evaluate" },
  "GET /rest/api/2/search": { method: "GET", path: "/rest/api/3/search/jql", note: V2_SEARCH_NOTE },
  "POST /rest/api/2/search": { method: "POST", path: "/rest/api/3/search/jql", note: V2_SEARCH_NOTE },
  "POST /rest/api/2/expression/eval": { method: "POST", path: "/rest/api/3/expression/evaluate" },
};

/*
 * Jira platform v2 endpoints take their v3 twins' removals (scraper/normalize.ts withV3Twins), which the
 * v2 document read here does not carry: its copy (2024-02-04, PROVENANCE.md) predates them. For
 * CHANGE-2046 Atlassian said so itself, "Avoiding Pitfalls: A Guide to Smooth Migration to Enhanced JQL
 * APIs" (https://community.atlassian.com/forums/Jira-articles/Avoiding-Pitfalls-A-Guide-to-Smooth-Migration-to-Enhanced-JQL/ba-p/2985433,
 * seen 2026-12-07): "On Oct 31, 2024, we announced the deprecation of [...] GET /rest/api/2|3|latest/search,
 * POST /rest/api/2|3|latest/search, POST /rest/api/2|3|latest/search/id, POST
 * /rest/api/2|3|latest/expression/eval" (search/id is in neither document); Adaptavist's note above names
 * GET /rest/api/{2|3|latest}/search/jql as the replacement.
 */

/** The v3 twin of a Jira platform v2 path: where its removal is documented. */
export const v3TwinOf = (path: string): string => path.replace(/^\/rest\/api\/2\//, "/rest/api/3/");

/**
 * Documented removals Atlassian has been seen answering 410 Gone for (the sources above: Jira's body for
 * GET /rest/api/3/search; POST /rest/api/3/search in github.com/ComposioHQ/Rube/issues/9, 2025-09-22,
 * "all three tools ... return the same 410"). For any other past removal date, answers say a 410 is
 * expected, not that it was seen.
 */
export const REMOVALS_SEEN_GONE: ReadonlySet<string> = new Set(["GET /rest/api/3/search", "POST /rest/api/3/search"]);

/** Whether calls to this removed endpoint have been seen answering 410 Gone (REMOVALS_SEEN_GONE). */
export function seenGone(removed: { method: string; path: string }): boolean {
  return REMOVALS_SEEN_GONE.has(`${removed.method} ${removed.path}`);
}

/** The Gone body Confluence answers for a removed v1 endpoint (source above). */
export const ATLASSIAN_GONE_TEXT = "This deprecated endpoint has been removed.";

/** `read:space:confluence (granular)`, alternatives joined with "or": how answers name scope sets. */
export function scopeSetsText(alternatives: readonly { kind: string; scopes: readonly string[] }[]): string {
  return alternatives.map((alternative) => `${alternative.scopes.join(" + ")} (${alternative.kind})`).join(" or ");
}
