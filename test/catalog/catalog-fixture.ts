/**
 * Hand-built catalog records for the src/catalog unit tests: a small factory for endpoints and
 * alternatives, and one CatalogData spanning jira, jira-software, confluence and bitbucket.
 */
import { CatalogIndex, type CatalogData } from "../../src/catalog/catalog-index";
import type { RequestPath } from "../../src/catalog/request-path";
import { parseRequestPath } from "../../src/catalog/request-path";
import type { Alternative, Endpoint, HttpMethod, Product, ScopeRecord } from "../../src/catalog/schema";
import { scopeKindOf } from "../../src/catalog/scope-names";

/** One alternative; the kind follows from the scope names (classic, granular or mixed). */
export function alt(scopes: string[], state = "Current"): Alternative {
  const kinds = new Set(scopes.map(scopeKindOf));
  const kind = kinds.size > 1 ? "mixed" : kinds.has("classic") ? "classic" : "granular";
  return { kind, state, scopes, origins: ["security"] };
}

export function endpoint(
  product: Product,
  method: HttpMethod,
  path: string,
  alternatives: Alternative[] = [],
  extra: Partial<Endpoint> = {},
): Endpoint {
  return {
    product,
    method,
    path,
    docsUrl: `https://developer.atlassian.com/cloud/${product}/rest/#${method.toLowerCase()}${path.replace(/[^a-z0-9]+/gi, "-")}`,
    deprecated: false,
    experimental: false,
    alternatives,
    hasScopes: alternatives.length > 0,
    emptyScopeList: false,
    anonymous: false,
    documents: [product],
    ...extra,
  };
}

function scope(name: string, product: string, description?: string): ScopeRecord {
  return { name, kind: scopeKindOf(name), product, description, unused: false };
}

/** "METHOD path" of each endpoint, for compact exact assertions. */
export const keys = (endpoints: readonly Endpoint[]): string[] =>
  endpoints.map((item) => `${item.method} ${item.path}`);

/** The value of a parse that must succeed. */
export function requestOf(input: string): RequestPath {
  const parsed = parseRequestPath(input);
  if (!parsed.ok) throw new Error(`fixture path did not parse: ${parsed.code} ${parsed.message}`);
  return parsed.value;
}

export const ISSUE = "/rest/api/3/issue/{issueIdOrKey}";
export const PULLREQUESTS = "/2.0/repositories/{workspace}/{repo_slug}/pullrequests";
export const PAGE_V2 = "/wiki/api/v2/pages/{id}";
export const CONTENT_V1 = "/wiki/rest/api/content/{id}";
export const BOARD = "/rest/agile/1.0/board";

export const board = endpoint("jira-software", "GET", BOARD, [
  alt(["read:board-scope:jira-software", "read:project:jira"]),
]);

export function sampleData(): CatalogData {
  return {
    version: "2026-01-02T03-04-05Z",
    publishedAt: "2026-01-02T03:04:05.000Z",
    products: {
      jira: {
        version: "2026-01-02T03-04-05Z",
        scrapedAt: "2026-01-02T03:00:00.000Z",
        // Deliberately not in method order: match() sorts.
        endpoints: [
          endpoint("jira", "DELETE", ISSUE, [alt(["write:jira-work"]), alt(["delete:issue:jira"])]),
          endpoint("jira", "GET", ISSUE, [alt(["read:jira-work"]), alt(["read:issue-details:jira"])]),
          endpoint("jira", "PUT", ISSUE, [alt(["write:jira-work"]), alt(["write:issue:jira"])]),
          endpoint("jira", "GET", "/rest/api/3/issue/createmeta", [alt(["write:jira-work"])]),
          endpoint("jira", "GET", "/rest/api/3/myself", [alt(["read:jira-user"])]),
          endpoint("jira", "GET", "/rest/api/3/project/{projectIdOrKey}", [
            alt(["read:jira-work"]),
            alt(["read:project:jira"]),
          ]),
          endpoint("jira", "GET", "/rest/api/3/serverInfo", [], { anonymous: true }),
        ],
        scopes: [
          scope("read:jira-work", "jira", "Read Jira project and issue data."),
          scope("write:jira-work", "jira", "Create and edit issues in Jira."),
          scope("read:jira-user", "jira", "View user information in Jira."),
          scope("read:issue-details:jira", "jira"), // no description here: jira-software's fills it
          scope("write:issue:jira", "jira", "Create and update issues."),
          scope("delete:issue:jira", "jira", "Delete issues."),
          scope("read:project:jira", "jira", "View projects (from the platform document)."),
          { ...scope("manage:jira-webhook", "jira", "Manage webhooks."), unused: true },
        ],
      },
      "jira-software": {
        version: "2026-01-02T03-04-05Z",
        scrapedAt: "2026-01-02T03:01:00.000Z",
        endpoints: [
          endpoint("jira-software", "POST", BOARD, [
            alt(["write:board-scope:jira-software", "read:project:jira"]),
            alt(["write:board-scope.admin:jira-software", "read:project:jira"], "Beta"),
          ]),
          board,
          endpoint("jira-software", "GET", "/rest/agile/1.0/board/{boardId}/configuration", [
            alt(["read:board-scope.admin:jira-software"]),
          ]),
        ],
        scopes: [
          scope("read:board-scope:jira-software", "jira-software", "View board and issues from a board."),
          scope("write:board-scope:jira-software", "jira-software", "Move issues to a backlog."),
          scope("read:board-scope.admin:jira-software", "jira-software", "View board configuration."),
          scope("write:board-scope.admin:jira-software", "jira-software", "Create boards."),
          // Declared again by a second product: merged, the first description kept.
          scope("read:project:jira", "jira-software", "View projects (from the software document)."),
          scope("read:issue-details:jira", "jira-software", "Read issue details."),
        ],
      },
      confluence: {
        version: "2026-01-01T00-00-00Z",
        scrapedAt: "2026-01-01T00:00:00.000Z",
        endpoints: [
          endpoint("confluence", "PUT", PAGE_V2, [alt(["write:page:confluence"])]),
          endpoint("confluence", "GET", PAGE_V2, [alt(["read:page:confluence"])]),
          endpoint("confluence", "GET", CONTENT_V1, [
            alt(["read:confluence-content.all"]),
            alt(["read:content-details:confluence"], "Beta"),
          ]),
        ],
        // read:confluence-content.all is used but deliberately not declared.
        scopes: [
          scope("read:page:confluence", "confluence", "View pages."),
          scope("write:page:confluence", "confluence", "Create and edit pages."),
          scope("read:content-details:confluence", "confluence", "Read content details."),
        ],
      },
      bitbucket: {
        version: "2026-01-02T03-04-05Z",
        scrapedAt: "2026-01-02T03:02:00.000Z",
        endpoints: [
          endpoint("bitbucket", "POST", PULLREQUESTS, [
            alt(["pullrequest:write"]),
            alt(["write:pullrequest:bitbucket"]),
          ]),
          endpoint("bitbucket", "GET", PULLREQUESTS, [alt(["pullrequest"]), alt(["read:pullrequest:bitbucket"])]),
        ],
        scopes: [
          scope("pullrequest", "bitbucket", "Read pull requests."),
          scope("pullrequest:write", "bitbucket", "Create and merge pull requests."),
          scope("read:pullrequest:bitbucket", "bitbucket", "View pull requests."),
          scope("write:pullrequest:bitbucket", "bitbucket", "Create pull requests."),
        ],
      },
    },
  };
}

export const sampleIndex = (): CatalogIndex => CatalogIndex.build(sampleData());
