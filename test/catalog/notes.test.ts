/**
 * endpointNotes and requestNotes: the plain-language notes shown beside an endpoint's scopes.
 */
import { describe, expect, it } from "vitest";
import { type CallContext, endpointNotes, hostTypo, requestNotes, urlNotes } from "../../src/catalog/notes";
import type { Endpoint } from "../../src/catalog/schema";
import { alt, board, endpoint, ISSUE, PULLREQUESTS, requestOf } from "./catalog-fixture";

const NO_SCOPES =
  "Atlassian's documents publish no OAuth scopes for this endpoint: no scope list is known to satisfy it.";
const JSW = "Jira Software has no classic scopes: a token needs the granular scopes listed.";
const ANY_ONE = "Any one set of scopes suffices; every scope in that set is needed.";
const BETA = "Atlassian marks the granular set as Beta for this endpoint.";
const DEPRECATED = "Deprecated: prefer its replacement (see the docs link).";
const CHANGELOG = "https://developer.atlassian.com/cloud/jira/platform/changelog/#CHANGE-1304";

/** The request's date the notes are told against (a fixed clock: "today" when this was written). */
const TODAY = "2026-12-07";
const CODE_SEARCH = "/2.0/workspaces/{workspace}/search/code";

describe("endpointNotes", () => {
  const cases: { name: string; given: Endpoint; today?: string; want: string[] }[] = [
    {
      name: "a plain Jira endpoint with one set",
      given: endpoint("jira", "GET", "/rest/api/3/myself", [alt(["read:jira-user"])]),
      want: [],
    },
    { name: "a Jira Software endpoint", given: board, want: [JSW] },
    {
      name: "a Jira Software endpoint without published scopes gets only the no-scope note",
      given: endpoint("jira-software", "GET", "/rest/agile/1.0/epic/none"),
      want: [NO_SCOPES],
    },
    {
      name: "an endpoint without published scopes",
      given: endpoint("jira", "GET", "/rest/api/3/serverInfo"),
      want: [NO_SCOPES],
    },
    {
      name: "a Current classic set and a Beta granular set",
      given: endpoint("confluence", "GET", "/wiki/rest/api/content/{id}", [
        alt(["read:confluence-content.all"]),
        alt(["read:content-details:confluence"], "Beta"),
      ]),
      want: [ANY_ONE, BETA],
    },
    {
      name: "Bitbucket with classic and granular sets",
      given: endpoint("bitbucket", "GET", PULLREQUESTS, [alt(["pullrequest"]), alt(["read:pullrequest:bitbucket"])]),
      want: [
        "Classic scopes (`repository`, `pullrequest`) are for OAuth consumers; granular `...:bitbucket` scopes are for API tokens and Forge apps.",
        ANY_ONE,
      ],
    },
    {
      name: "Bitbucket with only a classic set",
      given: endpoint("bitbucket", "GET", PULLREQUESTS, [alt(["pullrequest"])]),
      want: [],
    },
    {
      name: "deprecated with an announced removal",
      given: endpoint("jira", "GET", "/rest/api/3/user/properties", [alt(["read:jira-user"])], {
        deprecated: true,
        lifecycle: [
          { type: "removed", announced: "2023-12-11", effective: "2024-06-03", details: CHANGELOG },
          { type: "renamed", effective: "2024-01-01" },
        ],
      }),
      want: [DEPRECATED, `Removed on 2024-06-03 (${CHANGELOG}).`],
    },
    {
      name: "a removal without date or details",
      given: endpoint("jira", "GET", "/rest/api/2/legacy", [alt(["read:jira-work"])], {
        lifecycle: [{ type: "removed" }],
      }),
      want: ["Announced for removal."],
    },
    {
      name: "a removal its description announced: the date, the changelog and the replacement it names",
      given: endpoint("jira", "GET", "/rest/api/3/workflow/search", [alt(["manage:jira-configuration"])], {
        deprecated: true,
        lifecycle: [
          {
            type: "removed",
            effective: "2026-06-01",
            details: "https://developer.atlassian.com/cloud/jira/platform/changelog/#CHANGE-2569",
            changelog: "CHANGE-2569",
            replacement: { method: "GET", path: "/rest/api/3/workflows/search" },
            origin: "description",
          },
        ],
      }),
      want: [
        "Deprecated: prefer GET /rest/api/3/workflows/search.",
        "Removed on 2026-06-01 (https://developer.atlassian.com/cloud/jira/platform/changelog/#CHANGE-2569): call GET /rest/api/3/workflows/search instead.",
      ],
    },
    {
      name: "a v2 twin's removal says it was announced for the v3 twin",
      given: endpoint("jira", "GET", "/rest/api/2/workflow/search", [alt(["manage:jira-configuration"])], {
        deprecated: true,
        lifecycle: [{ type: "removed", effective: "2026-06-01", origin: "v3-twin" }],
      }),
      want: [DEPRECATED, "Removed on 2026-06-01 (announced for its v3 twin)."],
    },
    {
      name: "a deprecation date (Bitbucket's code search, Assets' navlist), with the replacement named",
      given: endpoint("assets", "POST", "/jsm/assets/workspace/{workspaceId}/v1/object/navlist/aql", [], {
        deprecated: true,
        lifecycle: [
          {
            type: "deprecated",
            effective: "2024-09-30",
            details: "https://developer.atlassian.com/changelog/#CHANGE-1661",
            replacement: { method: "POST", path: "/jsm/assets/workspace/{workspaceId}/v1/object/aql" },
            origin: "description",
          },
        ],
      }),
      want: [
        "Atlassian's documents publish no OAuth scopes for this endpoint: no scope list is known to satisfy it.",
        "Deprecated since 2024-09-30 (https://developer.atlassian.com/changelog/#CHANGE-1661): prefer POST /jsm/assets/workspace/{workspaceId}/v1/object/aql.",
      ],
    },
    {
      // Found in review: a date still ahead read "Deprecated (from 2026-11-01)". Bitbucket's words: "This
      // API will be deprecated on November 1, 2026." The request's date says which side it is on.
      name: "a deprecation date after the request's date: to be deprecated on it",
      given: endpoint("bitbucket", "GET", CODE_SEARCH, [alt(["repository"])], {
        deprecated: true,
        lifecycle: [{ type: "deprecated", effective: "2026-11-01", origin: "description" }],
      }),
      today: "2026-10-31",
      want: ["To be deprecated on 2026-11-01: prefer its replacement (see the docs link)."],
    },
    {
      name: "the same deprecation on its day and after: deprecated since it",
      given: endpoint("bitbucket", "GET", CODE_SEARCH, [alt(["repository"])], {
        deprecated: true,
        lifecycle: [{ type: "deprecated", effective: "2026-11-01", origin: "description" }],
      }),
      today: "2026-11-01",
      want: ["Deprecated since 2026-11-01: prefer its replacement (see the docs link)."],
    },
    {
      name: "a removal date after the request's date: to be removed on it, with the replacement",
      given: endpoint("jira", "GET", "/rest/api/3/field/{fieldId}/context/defaultValue", [alt(["read:jira-work"])], {
        lifecycle: [
          {
            type: "removed",
            announced: "2026-03-05",
            effective: "2026-10-01",
            details: "https://developer.atlassian.com/cloud/jira/platform/changelog/#CHANGE-3082",
          },
        ],
      }),
      today: "2026-09-30",
      want: [
        "To be removed on 2026-10-01 (https://developer.atlassian.com/cloud/jira/platform/changelog/#CHANGE-3082).",
      ],
    },
    {
      name: "every flag at once, in order",
      given: endpoint(
        "jira",
        "POST",
        ISSUE,
        [alt(["write:jira-work", "write:issue:jira"]), alt(["write:issue:jira"], "Beta")],
        {
          emptyScopeList: true,
          anonymous: true,
          deprecated: true,
          experimental: true,
          lifecycle: [{ type: "removed", effective: "2027-01-01" }],
        },
      ),
      want: [
        ANY_ONE,
        BETA,
        "One set mixes classic and granular scopes, as Atlassian publishes it.",
        "The document also lists OAuth 2.0 with an empty scope list for this endpoint.",
        "Anonymous access is allowed where the site permits it.",
        DEPRECATED,
        "To be removed on 2027-01-01.",
        "Experimental: Atlassian may change it without notice.",
      ],
    },
  ];

  it.each(cases)("$name", ({ given, today, want }) => {
    expect(endpointNotes(given, { today: today ?? TODAY })).toEqual(want);
  });
});

describe("requestNotes", () => {
  const cases: { name: string; given: string; products: string[]; want: string[] }[] = [
    {
      name: "a Jira site URL: use the gateway, find the cloudId in tenant_info",
      given: "https://acme.atlassian.net/rest/api/3/myself",
      products: ["jira"],
      want: [
        "Scoped API tokens (and service-account tokens) must call https://api.atlassian.com/ex/jira/{cloudId}/rest/api/3/myself, not acme.atlassian.net; " +
          "the cloudId is in https://acme.atlassian.net/_edge/tenant_info.",
      ],
    },
    {
      name: "a Jira Software site URL without a scheme goes through the jira gateway",
      given: "Acme.Atlassian.net/rest/agile/1.0/board?startAt=0",
      products: ["jira-software", "jira-software"],
      want: [
        "Scoped API tokens (and service-account tokens) must call https://api.atlassian.com/ex/jira/{cloudId}/rest/agile/1.0/board, not acme.atlassian.net; " +
          "the cloudId is in https://acme.atlassian.net/_edge/tenant_info.",
      ],
    },
    {
      // The cloudId is the site's, the same through either gateway: the corrected URL keeps it.
      name: "a Confluence path through the Jira gateway: the note names the Confluence one",
      given: "https://api.atlassian.com/ex/jira/abc/wiki/api/v2/pages/123",
      products: ["confluence"],
      want: [
        "The /ex/jira/ gateway does not serve confluence: call https://api.atlassian.com/ex/confluence/abc/wiki/api/v2/pages/123.",
      ],
    },
    {
      name: "a Jira path through the Confluence gateway",
      given: "https://api.atlassian.com/ex/confluence/abc/rest/api/3/myself",
      products: ["jira"],
      want: [
        "The /ex/confluence/ gateway does not serve jira: call https://api.atlassian.com/ex/jira/abc/rest/api/3/myself.",
      ],
    },
    {
      name: "the right gateway: no note",
      given: "https://api.atlassian.com/ex/jira/abc/rest/agile/1.0/board",
      products: ["jira-software"],
      want: [],
    },
    {
      name: "a Confluence site URL goes through the confluence gateway",
      given: "https://acme.atlassian.net/wiki/api/v2/pages/123",
      products: ["confluence"],
      want: [
        "Scoped API tokens (and service-account tokens) must call https://api.atlassian.com/ex/confluence/{cloudId}/wiki/api/v2/pages/123, not acme.atlassian.net; " +
          "the cloudId is in https://acme.atlassian.net/_edge/tenant_info.",
      ],
    },
    {
      name: "the gateway form needs no note",
      given: "https://api.atlassian.com/ex/jira/11111111-2222-3333-4444-555555555555/rest/api/3/myself",
      products: ["jira"],
      want: [],
    },
    {
      name: "Bitbucket needs no note",
      given: "https://api.bitbucket.org/2.0/repositories/ws/repo/pullrequests",
      products: ["bitbucket"],
      want: [],
    },
    {
      name: "a Bitbucket endpoint even on a site host needs no note",
      given: "https://acme.atlassian.net/2.0/user",
      products: ["bitbucket"],
      want: [],
    },
    { name: "a bare path needs no note", given: "/rest/api/3/myself", products: ["jira"], want: [] },
    { name: "no endpoints, no note", given: "https://acme.atlassian.net/rest/api/3/myself", products: [], want: [] },
    {
      name: "a host that only contains atlassian.net is not Atlassian Cloud, and no site either",
      given: "https://acme.atlassian.net.example.com/rest/api/3/myself",
      products: ["jira"],
      want: [expect.stringMatching(/^acme\.atlassian\.net\.example\.com is not an Atlassian Cloud host/)],
    },
    {
      name: "a Data Center instance's host: Cloud's scopes do not apply",
      given: "https://jira.acme.com:8443/rest/api/2/myself",
      products: ["jira"],
      want: [
        expect.stringMatching(
          /^jira\.acme\.com is not an Atlassian Cloud host .*Jira's READ, WRITE, ADMIN, SYSTEM_ADMIN/,
        ),
      ],
    },
    {
      name: "a jira.com site is Cloud: no note (its gateway note is for atlassian.net sites)",
      given: "https://acme.jira.com/rest/api/3/myself",
      products: ["jira"],
      want: [],
    },
  ];

  it.each(cases)("$name", ({ given, products, want }) => {
    expect(requestNotes(requestOf(given), products)).toEqual(want);
  });
});

describe("urlNotes: codes and corrected URLs", () => {
  const PAGE = { product: "confluence", path: "/wiki/api/v2/pages/{id}" };
  const GET_ISSUE = { product: "jira", path: ISSUE };
  const PR = { product: "bitbucket", path: `${PULLREQUESTS}/{pull_request_id}` };
  const cases: {
    name: string;
    given: string;
    matchedAs?: string;
    endpoints: { product: string; path: string; method?: string }[];
    context?: CallContext;
    want: [code: string, url: string | undefined][];
  }[] = [
    {
      name: "api.atlassian.com without /ex/confluence/{cloudId}",
      given: "https://api.atlassian.com/wiki/api/v2/pages/123",
      endpoints: [PAGE],
      want: [["missing_gateway_prefix", "https://api.atlassian.com/ex/confluence/{cloudId}/wiki/api/v2/pages/123"]],
    },
    {
      name: "api.atlassian.com without /ex/jira/{cloudId}",
      given: "https://api.atlassian.com/rest/api/3/issue/ABC-1",
      endpoints: [GET_ISSUE],
      want: [["missing_gateway_prefix", "https://api.atlassian.com/ex/jira/{cloudId}/rest/api/3/issue/ABC-1"]],
    },
    {
      name: "the gateway without its cloudId",
      given: "https://api.atlassian.com/ex/jira/rest/api/3/issue/ABC-1",
      endpoints: [GET_ISSUE],
      want: [["missing_cloud_id", "https://api.atlassian.com/ex/jira/{cloudId}/rest/api/3/issue/ABC-1"]],
    },
    {
      name: "the site's host where the cloudId goes",
      given: "https://api.atlassian.com/ex/jira/acme.atlassian.net/rest/api/3/issue/ABC-1",
      endpoints: [GET_ISSUE],
      want: [["site_as_cloud_id", "https://api.atlassian.com/ex/jira/{cloudId}/rest/api/3/issue/ABC-1"]],
    },
    {
      // Found in review: the other notes' URLs kept the host as the cloudId.
      name: "the site's host as the cloudId beside a missing /wiki: every URL has {cloudId}",
      given: "https://api.atlassian.com/ex/confluence/acme.atlassian.net/api/v2/pages/123",
      matchedAs: "/wiki/api/v2/pages/123",
      endpoints: [PAGE],
      want: [
        ["missing_wiki_prefix", "https://api.atlassian.com/ex/confluence/{cloudId}/wiki/api/v2/pages/123"],
        ["site_as_cloud_id", "https://api.atlassian.com/ex/confluence/{cloudId}/wiki/api/v2/pages/123"],
      ],
    },
    {
      // How people ask (and redact): not a mistake in the call.
      name: "a placeholder or a short id where the cloudId goes: no note",
      given: "https://api.atlassian.com/ex/jira/<cloudId>/rest/api/3/issue/ABC-1",
      endpoints: [GET_ISSUE],
      want: [],
    },
    {
      name: "a /wiki path through the Jira gateway: the Confluence gateway, same cloudId",
      given: "https://api.atlassian.com/ex/jira/c1/wiki/api/v2/pages/123",
      endpoints: [PAGE],
      want: [["gateway_product_mismatch", "https://api.atlassian.com/ex/confluence/c1/wiki/api/v2/pages/123"]],
    },
    {
      name: "a Confluence v2 path without /wiki on a site",
      given: "https://acme.atlassian.net/api/v2/pages/123",
      matchedAs: "/wiki/api/v2/pages/123",
      endpoints: [PAGE],
      want: [
        ["missing_wiki_prefix", "https://acme.atlassian.net/wiki/api/v2/pages/123"],
        // The gateway URL has the /wiki too (it had not before: .../ex/confluence/{cloudId}/api/v2/...).
        ["scoped_token_gateway", "https://api.atlassian.com/ex/confluence/{cloudId}/wiki/api/v2/pages/123"],
      ],
    },
    {
      // Atlassian's Confluence gateway serves v1 paths without /wiki: not a mistake there.
      name: "a Confluence v1 path without /wiki through the Confluence gateway: no note",
      given: "https://api.atlassian.com/ex/confluence/c1/rest/api/content/search",
      matchedAs: "/wiki/rest/api/content/search",
      endpoints: [{ product: "confluence", path: "/wiki/rest/api/content/search" }],
      want: [],
    },
    {
      name: "a Bitbucket path without /2.0",
      given: "https://api.bitbucket.org/repositories/ws/repo/pullrequests/1",
      matchedAs: "/2.0/repositories/ws/repo/pullrequests/1",
      endpoints: [PR],
      want: [["missing_bitbucket_version", "https://api.bitbucket.org/2.0/repositories/ws/repo/pullrequests/1"]],
    },
    {
      name: "api.atlassian.net: the gateway host mistyped, and the prefix it needs",
      given: "https://api.atlassian.net/rest/api/3/issue/ABC-1",
      endpoints: [GET_ISSUE],
      want: [
        ["host_typo", "https://api.atlassian.com/ex/jira/{cloudId}/rest/api/3/issue/ABC-1"],
        ["missing_gateway_prefix", "https://api.atlassian.com/ex/jira/{cloudId}/rest/api/3/issue/ABC-1"],
      ],
    },
    {
      name: "a site host mistyped: read as the site, which scoped tokens cannot call",
      given: "https://acme.atlasian.net/rest/api/3/issue/ABC-1",
      endpoints: [GET_ISSUE],
      want: [
        ["host_typo", "https://acme.atlassian.net/rest/api/3/issue/ABC-1"],
        ["scoped_token_gateway", "https://api.atlassian.com/ex/jira/{cloudId}/rest/api/3/issue/ABC-1"],
      ],
    },
    {
      name: "a mistyped host with nothing matched still gets its note, without a URL",
      given: "https://acme.atlasian.net/rest/api/3/nothing",
      endpoints: [],
      want: [["host_typo", undefined]],
    },
    {
      name: "Forge: a gateway URL is told as the requestJira path, never the gateway",
      given: "https://api.atlassian.com/ex/jira/c1/rest/api/3/issue/ABC-1",
      endpoints: [GET_ISSUE],
      context: "forge",
      want: [["forge_path", "/rest/api/3/issue/ABC-1"]],
    },
    {
      name: "Forge: the wrong gateway is told as requestConfluence's path",
      given: "https://api.atlassian.com/ex/jira/c1/wiki/api/v2/pages/123",
      endpoints: [PAGE],
      context: "forge",
      want: [["forge_path", "/wiki/api/v2/pages/123"]],
    },
    {
      name: "Forge: api.atlassian.com without a prefix is not told to add one",
      given: "https://api.atlassian.com/rest/api/3/issue/ABC-1",
      endpoints: [GET_ISSUE],
      context: "forge",
      want: [["forge_path", "/rest/api/3/issue/ABC-1"]],
    },
    {
      name: "Forge: a missing /wiki is corrected as a site-relative path",
      given: "/api/v2/pages/123",
      matchedAs: "/wiki/api/v2/pages/123",
      endpoints: [PAGE],
      context: "forge",
      want: [["missing_wiki_prefix", "/wiki/api/v2/pages/123"]],
    },
    {
      name: "Forge: a right path needs no note",
      given: "/rest/api/3/issue/ABC-1",
      endpoints: [GET_ISSUE],
      context: "forge",
      want: [],
    },
    {
      // Found in review: a Connect app was taught the gateway's cloudId; it calls its installation's baseUrl.
      name: "Connect: the site's host as the cloudId is the site to call, with no cloudId",
      given: "https://api.atlassian.com/ex/jira/acme.atlassian.net/rest/api/3/issue/ABC-1",
      endpoints: [GET_ISSUE],
      context: "connect",
      want: [["connect_site_url", "https://acme.atlassian.net/rest/api/3/issue/ABC-1"]],
    },
    {
      name: "Connect: the gateway without its cloudId is the site's URL, not a missing cloudId",
      given: "https://api.atlassian.com/ex/jira/rest/api/3/issue/ABC-1",
      endpoints: [GET_ISSUE],
      context: "connect",
      want: [["connect_site_url", "https://{site}.atlassian.net/rest/api/3/issue/ABC-1"]],
    },
    {
      name: "Connect: a well-formed gateway URL is still not its way in (Confluence v1 gets its /wiki back)",
      given: "https://api.atlassian.com/ex/confluence/0a1b2c3d-0000-0000-0000-000000000000/rest/api/content/search",
      matchedAs: "/wiki/rest/api/content/search",
      endpoints: [{ product: "confluence", path: "/wiki/rest/api/content/search" }],
      context: "connect",
      want: [["connect_site_url", "https://{site}.atlassian.net/wiki/rest/api/content/search"]],
    },
    {
      name: "Connect: api.atlassian.com without a prefix is not told to add one",
      given: "https://api.atlassian.com/rest/api/3/issue/ABC-1",
      endpoints: [GET_ISSUE],
      context: "connect",
      want: [["connect_site_url", "https://{site}.atlassian.net/rest/api/3/issue/ABC-1"]],
    },
    {
      name: "Connect: a site URL is right as given",
      given: "https://acme.atlassian.net/rest/api/3/issue/ABC-1",
      endpoints: [GET_ISSUE],
      context: "connect",
      want: [],
    },
    {
      name: "Connect: Bitbucket's missing gateway still points at api.bitbucket.org",
      given: "https://api.atlassian.com/ex/bitbucket/x/2.0/repositories/ws/repo/pullrequests/1",
      matchedAs: "/2.0/repositories/ws/repo/pullrequests/1",
      endpoints: [PR],
      context: "connect",
      want: [["no_bitbucket_gateway", "https://api.bitbucket.org/2.0/repositories/ws/repo/pullrequests/1"]],
    },
    {
      // Found in review: the only callers (Forge apps) were told the gateway, which they never use.
      name: "a site URL only Forge apps may call: how a Forge app calls it, no gateway",
      given: "https://acme.atlassian.net/rest/forge/1/app/properties",
      endpoints: [{ product: "jira", method: "GET", path: "/rest/forge/1/app/properties" }],
      want: [["forge_path", "/rest/forge/1/app/properties"]],
    },
    {
      name: "a site URL only Forge and Connect apps may call: requestJira for one, the site as given for the other",
      given: "https://acme.atlassian.net/rest/api/3/workflow/rule/config",
      endpoints: [{ product: "jira", method: "GET", path: "/rest/api/3/workflow/rule/config" }],
      want: [["forge_path", "/rest/api/3/workflow/rule/config"]],
    },
    {
      name: "a site URL only Connect apps may call is right as given",
      given: "https://acme.atlassian.net/rest/atlassian-connect/1/app/module/dynamic",
      endpoints: [{ product: "jira", method: "GET", path: "/rest/atlassian-connect/1/app/module/dynamic" }],
      want: [],
    },
    {
      name: "a site URL only Connect and 3LO apps may call: the gateway for 3LO tokens, not scoped ones",
      given: "https://acme.atlassian.net/rest/api/3/webhook",
      endpoints: [{ product: "jira", method: "GET", path: "/rest/api/3/webhook" }],
      want: [["scoped_token_gateway", "https://api.atlassian.com/ex/jira/{cloudId}/rest/api/3/webhook"]],
    },
    {
      name: "3LO: a site URL only Forge apps may call gets no gateway advice (3LO cannot call it)",
      given: "https://acme.atlassian.net/rest/forge/1/app/properties",
      endpoints: [{ product: "jira", method: "GET", path: "/rest/forge/1/app/properties" }],
      context: "oauth2-3lo",
      want: [],
    },
    {
      name: "3LO: the gateway without its cloudId keeps its note",
      given: "https://api.atlassian.com/ex/jira/rest/api/3/issue/ABC-1",
      endpoints: [GET_ISSUE],
      context: "oauth2-3lo",
      want: [["missing_cloud_id", "https://api.atlassian.com/ex/jira/{cloudId}/rest/api/3/issue/ABC-1"]],
    },
  ];

  it.each(cases)("$name", ({ given, matchedAs, endpoints, context, want }) => {
    const notes = urlNotes({ request: requestOf(given), matchedAs }, endpoints, context);
    expect(notes.map((note) => [note.code, note.url])).toEqual(want);
    for (const note of notes) if (note.url) expect(note.message).toContain(note.url);
    // Never advise a Forge app to call the gateway.
    if (context === "forge") for (const note of notes) expect(`${note.message} ${note.url}`).not.toContain("/ex/");
    // Never send a Connect app's Jira or Confluence call to the gateway, nor ask it for a cloudId.
    if (context === "connect")
      for (const note of notes) {
        expect(note.url ?? "").not.toContain("api.atlassian.com");
        expect(note.message).not.toContain("tenant_info");
      }
  });
});

describe("urlNotes: the host advice follows who may call (credentials.ts APP_ONLY)", () => {
  const notesFor = (url: string, method: string, path: string) =>
    urlNotes({ request: requestOf(url) }, [{ product: "jira", method, path }]).map((note) => note.message);

  it("Forge and Connect apps only: each told its own way, never the gateway", () => {
    expect(
      notesFor("https://acme.atlassian.net/rest/api/3/workflow/rule/config", "PUT", "/rest/api/3/workflow/rule/config"),
    ).toEqual([
      "The document lets only Forge and Connect apps call this, and neither goes through the api.atlassian.com gateway: a Forge app calls requestJira(route`/rest/api/3/workflow/rule/config`), the path relative to the site; a Connect app calls https://acme.atlassian.net/rest/api/3/workflow/rule/config as given, with its JWT.",
    ]);
  });

  it("Connect and 3LO apps only: the gateway for a 3LO token, with its cloudId from accessible-resources", () => {
    expect(notesFor("https://acme.atlassian.net/rest/api/3/webhook", "POST", "/rest/api/3/webhook")).toEqual([
      "OAuth 2.0 (3LO) access tokens must call https://api.atlassian.com/ex/jira/{cloudId}/rest/api/3/webhook, not acme.atlassian.net; the cloudId is the site's `id` in GET https://api.atlassian.com/oauth/token/accessible-resources. The document lets only apps call it: a Connect app calls https://acme.atlassian.net/rest/api/3/webhook as given, with its JWT.",
    ]);
  });

  it("an endpoint anyone may call keeps the scoped-token advice", () => {
    expect(notesFor("https://acme.atlassian.net/rest/api/3/issue/A-1", "GET", ISSUE)[0]).toMatch(
      /^Scoped API tokens \(and service-account tokens\) must call/,
    );
  });
});

describe("hostTypo", () => {
  it.each([
    { given: "api.atlassian.net", want: "api.atlassian.com" },
    { given: "acme.atlasian.net", want: "acme.atlassian.net" },
    { given: "acme.atlassian.nte", want: "acme.atlassian.net" },
    { given: "acme.atlassian.com", want: "acme.atlassian.net" },
    { given: "api.atlasian.com", want: "api.atlassian.com" },
    { given: "api.bitbucket.com", want: "api.bitbucket.org" },
    { given: "api.bitbuckt.org", want: "api.bitbucket.org" },
    // Right hosts, and hosts too far from any Atlassian one, are left alone.
    { given: "acme.atlassian.net", want: undefined },
    { given: "api.atlassian.com", want: undefined },
    { given: "jira.atlassian.com", want: undefined },
    { given: "api.bitbucket.org", want: undefined },
    { given: "acme.atlassian.net.example.com", want: undefined },
    { given: "localhost", want: undefined },
    { given: "atlasian.net", want: undefined },
  ])("$given → $want", ({ given, want }) => {
    expect(hostTypo(given)).toBe(want);
  });

  it("bitbucket.org with an API path is the API host", () => {
    expect(hostTypo("bitbucket.org", "2.0")).toBe("api.bitbucket.org");
    expect(hostTypo("bitbucket.org", "ws")).toBeUndefined();
  });
});
