/** explainFailure on a hand-built catalog: each finding code, its message and fix, and their order. */
import { describe, expect, it } from "vitest";
import { CatalogIndex } from "../../src/catalog/catalog-index";
import { CURATED_PRODUCT } from "../../src/catalog/curated";
import { explainFailure, type ExplainInput } from "../../src/catalog/explain";
import { codes, find } from "./findings";
import { BOARD, ISSUE, PAGE_V2, alt, endpoint, sampleData } from "./catalog-fixture";

const LEGACY = "/rest/agile/1.0/legacy";
const REMOVED = "/rest/api/3/priority/{id}";
const DEVOPS = "/rest/devopscomponents/1.0/devopscomponents/{componentId}";
const CHANGELOG = "https://developer.atlassian.com/changelog/#CHANGE-1067";

/** The fixture catalog plus a deprecated endpoint, one announced for removal and a Jira Software endpoint without scopes. */
function catalog(): CatalogIndex {
  const data = sampleData();
  const software = data.products["jira-software"]!;
  const jira = data.products.jira!;
  data.products["jira-software"] = {
    ...software,
    endpoints: [
      ...software.endpoints,
      endpoint("jira-software", "GET", LEGACY, [alt(["read:board-scope:jira-software"])], {
        deprecated: true,
        lifecycle: [
          {
            type: "removed",
            announced: "2025-01-01",
            // Ahead of the fixture catalog's date: announced, not yet removed (a passed date is endpoint_removed).
            effective: "2099-07-01",
            details: "https://developer.atlassian.com/cloud/jira/software/changelog/#CHANGE-1",
          },
        ],
      }),
      endpoint("jira-software", "GET", DEVOPS, []),
    ],
  };
  data.products.jira = {
    ...jira,
    endpoints: [
      ...jira.endpoints,
      endpoint("jira", "DELETE", REMOVED, [alt(["manage:jira-configuration"])], {
        lifecycle: [{ type: "removed", announced: "2023-07-18", effective: "2024-05-24", details: CHANGELOG }],
      }),
      endpoint("jira", "GET", "/rest/api/3/old", [alt(["read:jira-work"])], { deprecated: true }),
    ],
    scopes: [...jira.scopes, { name: "manage:jira-configuration", kind: "classic", product: "jira", unused: false }],
  };
  return CatalogIndex.build(data);
}

const index = catalog();
const explain = (input: ExplainInput) => explainFailure(input, index);

const SITE_BOARD = "https://acme.atlassian.net/rest/agile/1.0/board";
const GATEWAY = "https://api.atlassian.com/ex/jira/11111111-2222-3333-4444-555555555555";
const MISMATCH = '{"code":401,"message":"Unauthorized; scope does not match"}';

describe("explainFailure", () => {
  it("the mission case: a site URL first (wrong_host), then the missing read:project:jira", () => {
    const result = explain({
      method: "GET",
      url: SITE_BOARD,
      status: 401,
      body: MISMATCH,
      scopes: ["read:board-scope.admin:jira-software", "read:board-scope:jira-software"],
    });
    expect(result.endpoints.map((item) => `${item.method} ${item.path}`)).toEqual([`GET ${BOARD}`]);
    expect(codes(result.findings)).toEqual(["wrong_host", "missing_scopes"]);
    const [wrongHost, missing] = result.findings;
    expect(wrongHost).toEqual({
      code: "wrong_host",
      message:
        "Scoped API tokens are not accepted on acme.atlassian.net; they only work through Atlassian's API gateway.",
      fix: 'Call https://api.atlassian.com/ex/jira/{cloudId}/rest/agile/1.0/board with the same credentials. Your cloudId is the "cloudId" in https://acme.atlassian.net/_edge/tenant_info. There the token needs one of: read:board-scope:jira-software + read:project:jira (granular).',
      details: {
        gatewayUrl: "https://api.atlassian.com/ex/jira/{cloudId}/rest/agile/1.0/board",
        tenantInfo: "https://acme.atlassian.net/_edge/tenant_info",
      },
    });
    expect(missing).toEqual({
      code: "missing_scopes",
      message: "The token lacks read:project:jira for GET /rest/agile/1.0/board.",
      fix: "Create a token that also has read:project:jira (a token's scopes cannot be edited after creation).",
      details: {
        missing: ["read:project:jira"],
        alternatives: [
          {
            kind: "granular",
            state: "Current",
            scopes: ["read:board-scope:jira-software", "read:project:jira"],
            missing: ["read:project:jira"],
          },
        ],
        hints: [],
      },
    });
  });

  describe("wrong_host", () => {
    it("a 401 on the site without scopes or a scope message hedges, and claims no missing scope", () => {
      const { findings } = explain({ method: "GET", url: SITE_BOARD, status: 401 });
      expect(codes(findings)).toEqual(["wrong_host"]);
      expect(findings[0]!.message).toBe(
        "If this is a scoped API token or a service-account token: such tokens are not accepted on acme.atlassian.net; they only work through Atlassian's API gateway.",
      );
    });

    it("a 404 with the site symptom in the body, keeping the concrete path in the gateway URL", () => {
      const { findings } = explain({
        method: "GET",
        url: "https://acme.atlassian.net/rest/api/3/issue/ABC-1?fields=summary",
        status: 404,
        body: '{"errorMessages":["Issue does not exist or you do not have permission to see it."],"errors":{}}',
      });
      // Without scopes, a scoped token on the site is one reading; a missing or hidden issue is the other.
      expect(codes(findings)).toEqual(["wrong_host", "resource_not_visible"]);
      expect(findings[0]!.fix).toEqual(
        expect.stringMatching(
          /^Call https:\/\/api\.atlassian\.com\/ex\/jira\/\{cloudId\}\/rest\/api\/3\/issue\/ABC-1 with the same credentials\. Your cloudId is the "cloudId" in https:\/\/acme\.atlassian\.net\/_edge\/tenant_info\. There the token needs one of: /,
        ),
      );
    });

    it("the Connect Session Auth Token symptom counts too", () => {
      const { findings } = explain({
        method: "GET",
        url: "https://acme.atlassian.net/rest/api/3/myself",
        status: 400,
        body: "Failed to parse Connect Session Auth Token",
      });
      expect(codes(findings)).toEqual(["wrong_host"]);
    });

    it("names the Confluence gateway for Confluence paths", () => {
      const { findings } = explain({
        method: "GET",
        url: "https://acme.atlassian.net/wiki/api/v2/pages/123",
        status: 401,
        body: MISMATCH,
      });
      const wrongHost = find(findings, "wrong_host");
      expect(wrongHost.details).toEqual({
        gatewayUrl: "https://api.atlassian.com/ex/confluence/{cloudId}/wiki/api/v2/pages/123",
        tenantInfo: "https://acme.atlassian.net/_edge/tenant_info",
      });
      expect(codes(findings)).toEqual(["wrong_host", "missing_scopes"]);
    });

    it("a 404 on the site without a symptom or scopes is not blamed on the host: the item is not visible", () => {
      expect(
        codes(
          explain({
            method: "GET",
            url: "https://acme.atlassian.net/rest/api/3/issue/ABC-1",
            status: 404,
            body: "Not Found",
          }).findings,
        ),
      ).toEqual(["resource_not_visible"]);
    });

    it("never on the gateway, a bare path or Bitbucket", () => {
      for (const url of [
        `${GATEWAY}${BOARD}`,
        BOARD,
        "https://api.bitbucket.org/2.0/repositories/ws/repo/pullrequests",
      ]) {
        expect(codes(explain({ method: "GET", url, status: 401, body: MISMATCH }).findings), url).not.toContain(
          "wrong_host",
        );
      }
    });
  });

  describe("missing_scopes", () => {
    it("without the token's scopes: every alternative, and how to get the exact gap", () => {
      const { findings } = explain({
        method: "GET",
        url: `${GATEWAY}/rest/api/3/issue/ABC-1`,
        status: 401,
        body: MISMATCH,
      });
      expect(findings).toEqual([
        {
          code: "missing_scopes",
          message:
            'A 401 with "scope does not match" means the token lacks a scope GET /rest/api/3/issue/{issueIdOrKey} needs. It needs one of: read:jira-work (classic), or read:issue-details:jira (granular).',
          fix: "Create a token with one of these sets (tokens' scopes cannot be changed), or send your token's scopes in `scopes` to get the exact missing ones.",
          details: {
            alternatives: [
              { kind: "classic", state: "Current", scopes: ["read:jira-work"] },
              { kind: "granular", state: "Current", scopes: ["read:issue-details:jira"] },
            ],
          },
        },
      ]);
    });

    it("a plain 401 off the site, without a body, still names the scopes", () => {
      const { findings } = explain({ method: "GET", url: BOARD, status: 401 });
      expect(codes(findings)).toEqual(["missing_scopes"]);
      expect(findings[0]!.message).toBe(
        "A 401 means the token lacks a scope GET /rest/agile/1.0/board needs. It needs one of: read:board-scope:jira-software + read:project:jira (granular).",
      );
    });

    it("with scopes: the smallest set to add", () => {
      const { findings } = explain({
        method: "DELETE",
        url: `${GATEWAY}/rest/api/3/issue/ABC-1`,
        status: 401,
        scopes: ["read:jira-work"],
      });
      expect(codes(findings)).toEqual(["missing_scopes"]);
      expect(findings[0]!.message).toBe("The token lacks write:jira-work for DELETE /rest/api/3/issue/{issueIdOrKey}.");
      expect(findings[0]!.fix).toBe(
        "Create a token that also has write:jira-work (a token's scopes cannot be edited after creation).",
      );
    });
  });

  it("scopes_sufficient: a 401 on the gateway with every scope the endpoint needs", () => {
    const { findings } = explain({
      method: "GET",
      url: `${GATEWAY}${BOARD}`,
      status: 401,
      scopes: ["read:board-scope:jira-software", "read:project:jira"],
    });
    expect(findings).toEqual([
      {
        code: "scopes_sufficient",
        message:
          "These scopes satisfy GET /rest/agile/1.0/board (via read:board-scope:jira-software + read:project:jira), so the 401 is not about scopes.",
        // Through the gateway already: not "a site URL instead of the gateway".
        fix: "Check the credentials themselves: a revoked or expired token, or one made for another app (a Confluence token calling Jira).",
      },
    ]);
  });

  it("scopes_sufficient on a bare path: the site-URL and basic-auth checks stay in the fix", () => {
    const { findings } = explain({
      method: "GET",
      url: BOARD,
      status: 401,
      scopes: ["read:board-scope:jira-software", "read:project:jira"],
    });
    expect(findings.map((finding) => [finding.code, finding.fix])).toEqual([
      [
        "scopes_sufficient",
        "Check the credentials themselves: a revoked or expired token, the wrong email for basic auth, or a site URL instead of the api.atlassian.com gateway.",
      ],
    ]);
  });

  describe("listed_scopes_not_held: the gateway says the scopes do not match, and those listed satisfy the endpoint", () => {
    const call = { method: "GET", url: `${GATEWAY}${BOARD}`, status: 401, body: MISMATCH };
    const scopes = ["read:board-scope:jira-software", "read:project:jira"];

    it("a scoped API token: the list is not this token's; the fix is a token with them", () => {
      const { findings } = explain({ ...call, scopes, credential: "scoped-api-token" });
      expect(findings.map((finding) => finding.code)).toEqual(["listed_scopes_not_held"]);
      expect(findings[0]!.message).toContain("the token that made the call does not hold them");
      expect(findings[0]!.message).toContain("A token's scopes cannot be read back");
      expect(findings[0]!.message).not.toContain("not about scopes");
      expect(findings[0]!.fix).toBe(
        "Check which credential the call sends. Create a token that also has read:board-scope:jira-software + read:project:jira (a token's scopes cannot be edited after creation).",
      );
      expect(findings[0]!.details).toMatchObject({ listed: scopes });
    });

    it("a 3LO app: the consented scopes, and the authorization URL's scope parameter", () => {
      const { findings } = explain({ ...call, scopes, credential: "oauth2-3lo" });
      expect(findings.map((finding) => finding.code)).toEqual(["listed_scopes_not_held"]);
      expect(findings[0]!.message).toContain("the scopes the user consented to");
      expect(findings[0]!.fix).toContain("the `scope` parameter of the authorization URL");
    });

    it("on a site URL the host is the cause (wrong_host), not the token's scopes", () => {
      const { findings } = explain({ ...call, url: SITE_BOARD, scopes, credential: "scoped-api-token" });
      expect(findings.map((finding) => finding.code)).not.toContain("listed_scopes_not_held");
      expect(findings[0]!.code).toBe("wrong_host");
    });

    it("without the gateway's words it stays scopes_sufficient", () => {
      const { findings } = explain({ ...call, body: undefined, scopes });
      expect(findings.map((finding) => finding.code)).toEqual(["scopes_sufficient"]);
    });
  });

  describe("Bitbucket OAuth 2.0 (classic) scopes imply lesser ones", () => {
    const PULLS = "https://api.bitbucket.org/2.0/repositories/ws/repo/pullrequests";

    it("pullrequest:write satisfies GET pull requests (it implies pullrequest): the 401 is not about scopes", () => {
      const { findings } = explain({ method: "GET", url: PULLS, status: 401, scopes: ["pullrequest:write"] });
      expect(findings).toEqual([
        {
          code: "scopes_sufficient",
          message:
            "These scopes satisfy GET /2.0/repositories/{workspace}/{repo_slug}/pullrequests (via pullrequest), so the 401 is not about scopes.",
          // Inferred from the scopes, not given: how the credential is sent is not guessed.
          fix: "Check the credentials themselves: a revoked or expired token, or the wrong username for basic auth (your Atlassian account email for an API token).",
        },
      ]);
    });

    it("pullrequest does not imply pullrequest:write: missing, with the hint in details", () => {
      const { findings } = explain({ method: "POST", url: PULLS, status: 401, scopes: ["pullrequest"] });
      expect(codes(findings)).toEqual(["missing_scopes"]);
      expect(findings[0]!.details).toMatchObject({
        missing: ["pullrequest:write"],
        hints: [
          "`pullrequest` does not include `pullrequest:write`: Bitbucket OAuth 2.0 scopes imply only lesser ones (`pullrequest:write` implies `pullrequest`, not the reverse), so add `pullrequest:write`.",
        ],
      });
    });
  });

  it("scope_check_passed: a 403 is about product permissions, not scopes", () => {
    const { findings } = explain({
      method: "GET",
      url: `${GATEWAY}/rest/api/3/issue/ABC-1`,
      status: 403,
      body: '{"errorMessages":["You do not have the permission to see the specified issue."]}',
    });
    expect(findings).toEqual([
      {
        code: "scope_check_passed",
        message:
          "A 403 means the token's scopes were accepted for GET /rest/api/3/issue/{issueIdOrKey}; the product's permissions refused the call. Scopes never override Jira or Confluence permissions.",
        fix: "Grant the account (or service account) the product permission the operation needs, e.g. Browse projects or the project role, on that project or space.",
      },
    ]);
  });

  it("scope_check_passed: the product's own 403 through the gateway, although the scopes listed lack one", () => {
    const call = { method: "PUT", url: `${GATEWAY}/rest/api/3/issue/ABC-1`, status: 403, scopes: ["read:jira-work"] };
    const refused = explain({
      ...call,
      body: '{"errorMessages":["You do not have permission to edit issues in this project."]}',
    }).findings;
    expect(codes(refused)).toEqual(["scope_check_passed"]);
    expect(refused[0]!.message).toMatch(
      /^Jira's own 403 means the call passed the scope check for PUT \/rest\/api\/3\/issue\/\{issueIdOrKey\}: .* the scopes listed, which lack write:jira-work, are not all of that token's\./,
    );
    expect(refused[0]!.details).toEqual({ listedMissing: ["write:jira-work"] });
    // Without the product's own JSON, on the site, on no host, or for a Connect or Forge app, a 403 may still be about scopes.
    const refusal = '{"errorMessages":["No."]}';
    expect(codes(explain(call).findings)).toEqual(["missing_scopes"]);
    for (const body of [
      "Forbidden",
      "<html>403 Forbidden</html>",
      '{"message":"Forbidden"}',
      '{"errorMessages":["The app lacks the scope WRITE."]}',
    ])
      expect(codes(explain({ ...call, body }).findings), body).toEqual(["missing_scopes"]);
    const site = { ...call, url: "https://acme.atlassian.net/rest/api/3/issue/ABC-1" };
    expect(codes(explain({ ...site, body: refusal }).findings)).toContain("missing_scopes");
    expect(codes(explain({ ...call, url: "/rest/api/3/issue/ABC-1", body: refusal }).findings)).toEqual([
      "missing_scopes",
    ]);
    expect(codes(explain({ ...call, credential: "forge", body: refusal }).findings)).toContain("missing_scopes");
    // Confluence's shape counts as the product's own.
    expect(codes(explain({ ...call, body: '{"statusCode":403,"message":"Not permitted."}' }).findings)).toEqual([
      "scope_check_passed",
    ]);
  });

  it("classic_not_supported: read:jira-work on a Jira Software endpoint, after the missing scopes", () => {
    const { findings } = explain({
      method: "GET",
      url: `${GATEWAY}${BOARD}`,
      status: 401,
      body: MISMATCH,
      scopes: ["read:jira-work"],
    });
    expect(codes(findings)).toEqual(["missing_scopes", "classic_not_supported"]);
    expect(findings[0]!.message).toBe(
      "The token lacks read:board-scope:jira-software, read:project:jira for GET /rest/agile/1.0/board.",
    );
    expect(findings[1]).toEqual({
      code: "classic_not_supported",
      message: "Jira Software has no classic scopes: read:jira-work cannot authorize GET /rest/agile/1.0/board.",
      fix: "Add the granular scopes it needs: read:board-scope:jira-software + read:project:jira.",
    });
  });

  it("classic_not_supported joins every alternative with `or` and every held classic Jira scope", () => {
    const { findings } = explain({
      method: "POST",
      url: BOARD,
      status: 403,
      scopes: ["read:jira-work", "write:jira-work", "pullrequest"],
    });
    expect(find(findings, "classic_not_supported")).toEqual({
      code: "classic_not_supported",
      message:
        "Jira Software has no classic scopes: read:jira-work, write:jira-work cannot authorize POST /rest/agile/1.0/board.",
      fix: "Add the granular scopes it needs: write:board-scope:jira-software + read:project:jira or write:board-scope.admin:jira-software + read:project:jira.",
    });
  });

  it("classic_not_supported names no typo: read:jira-wrok is an unknown scope, not a classic one", () => {
    const both = explain({ method: "GET", url: BOARD, status: 401, scopes: ["read:jira-wrok", "read:jira-work"] });
    expect(find(both.findings, "classic_not_supported")?.message).toBe(
      "Jira Software has no classic scopes: read:jira-work cannot authorize GET /rest/agile/1.0/board.",
    );
    const typoOnly = explain({ method: "GET", url: BOARD, status: 401, scopes: ["read:jira-wrok"] });
    expect(codes(typoOnly.findings)).not.toContain("classic_not_supported");
    expect(codes(typoOnly.findings)).toContain("unknown_scopes");
  });

  it("no classic_not_supported for a Jira endpoint that has a classic set", () => {
    expect(
      codes(
        explain({ method: "GET", url: `${GATEWAY}/rest/api/3/issue/ABC-1`, status: 401, scopes: ["read:jira-user"] })
          .findings,
      ),
    ).toEqual(["missing_scopes"]);
  });

  describe("endpoint_unknown", () => {
    it("an unknown path, with the nearest paths in details", () => {
      const { endpoints, findings } = explain({ method: "GET", url: "/rest/agile/1.0/boards", status: 401 });
      expect(endpoints).toEqual([]);
      expect(codes(findings)).toEqual(["endpoint_unknown"]);
      expect(findings[0]!.message).toBe(
        "The catalog has no GET endpoint at this path: No Atlassian Cloud endpoint in the catalog matches /rest/agile/1.0/boards. Check the path against the suggestions, or the product's REST docs.",
      );
      expect(findings[0]!.fix).toBe(
        "Check the path against the nearest known endpoints (details.suggestions) and Atlassian's REST docs.",
      );
      expect(findings[0]!.details).toMatchObject({ path: "/rest/agile/1.0/boards" });
      expect((findings[0]!.details!.suggestions as string[])[0]).toBe(BOARD);
    });

    it("a known path with the wrong method names the methods it takes", () => {
      const { findings } = explain({ method: "patch", url: `${GATEWAY}${BOARD}`, status: 405 });
      expect(findings).toEqual([
        {
          code: "endpoint_unknown",
          message:
            "The catalog has no PATCH endpoint at this path: /rest/agile/1.0/board exists, but not with PATCH; it takes GET, POST.",
          fix: "Use one of the methods the endpoint takes: GET, POST.",
          details: { path: BOARD, methods: ["GET", "POST"] },
        },
      ]);
    });

    it("a method that is not HTTP gives the lookup's own message", () => {
      const { findings } = explain({ method: "FOO", url: BOARD, status: 401 });
      expect(codes(findings)).toEqual(["endpoint_unknown"]);
      expect(findings[0]!.message).toBe(
        '`method` "FOO" is not an HTTP method; use one of GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS, TRACE, or leave it out for all methods.',
      );
    });

    // Was a bug (src/catalog/explain.ts, endpoint_unknown): for a 400 lookup failure (invalid method or path) the
    // fix still says "the nearest known endpoints are in details", but details is {} and nothing is suggested.
    it("a 400 lookup failure does not point at suggestions that are not there", () => {
      const { findings } = explain({ method: "FOO", url: BOARD, status: 401 });
      expect(findings[0]!.details).toEqual({});
      expect(findings[0]!.fix).not.toMatch(/nearest known endpoints/);
    });

    it("on the site: wrong_host first, with the gateway path unknown", () => {
      const { findings } = explain({
        method: "GET",
        url: "https://acme.atlassian.net/rest/agile/1.0/boards",
        status: 401,
        scopes: ["read:jira-wrk"],
      });
      expect(codes(findings)).toEqual(["wrong_host", "endpoint_unknown", "unknown_scopes"]);
      expect(findings[0]!.fix).toBe(
        'Call https://api.atlassian.com/ex/jira/{cloudId}/... with the same credentials. Your cloudId is the "cloudId" in https://acme.atlassian.net/_edge/tenant_info.',
      );
    });
  });

  it("no_published_scopes: an endpoint without scopes gets no missing_scopes", () => {
    const { endpoints, findings } = explain({
      method: "GET",
      url: `${GATEWAY}/rest/api/3/serverInfo`,
      status: 401,
      body: MISMATCH,
    });
    expect(endpoints.map((item) => item.path)).toEqual(["/rest/api/3/serverInfo"]);
    expect(findings).toEqual([
      {
        code: "no_published_scopes",
        message:
          "Atlassian publishes no OAuth scopes for GET /rest/api/3/serverInfo, so no scope list is known to satisfy it.",
        fix: "Use basic auth with an unscoped API token (or an app type the docs name) for this endpoint, or check its docs page.",
        details: { docsUrl: endpoints[0]!.docsUrl },
      },
    ]);
  });

  // Was a bug (src/catalog/explain.ts, classic_not_supported): a Jira Software endpoint that publishes no scopes
  // (e.g. GET /rest/devopscomponents/1.0/devopscomponents/{componentId} in the real catalog) with a classic
  // Jira scope held yields classic_not_supported with the fix "Add the granular scopes it needs: ." (nothing
  // listed). Expected: no such finding (no_published_scopes already explains it), or a fix that names scopes.
  it("no empty fix for a Jira Software endpoint without scopes when a classic scope is held", () => {
    const { findings } = explain({
      method: "GET",
      url: `${GATEWAY}/rest/devopscomponents/1.0/devopscomponents/42`,
      status: 401,
      scopes: ["read:jira-work"],
    });
    expect(codes(findings)).toContain("no_published_scopes");
    for (const finding of findings) expect(finding.fix, finding.code).not.toMatch(/: \.$/);
  });

  describe("deprecated_endpoint", () => {
    it("deprecated with a removal date: the changelog entry as the fix", () => {
      const { findings } = explain({
        method: "GET",
        url: LEGACY,
        status: 401,
        scopes: ["read:board-scope:jira-software"],
      });
      expect(codes(findings)).toEqual(["scopes_sufficient", "deprecated_endpoint"]);
      expect(findings[1]).toEqual({
        code: "deprecated_endpoint",
        message: "GET /rest/agile/1.0/legacy is deprecated and to be removed on 2099-07-01.",
        fix: "Move to its replacement; see https://developer.atlassian.com/cloud/jira/software/changelog/#CHANGE-1.",
      });
    });

    // Found in review: a date ahead read as if it had come. The request's date decides (fixed clocks here).
    it("the removal date told against the request's date: ahead, on the day, after", () => {
      const input = { method: "GET", url: LEGACY, status: 401, scopes: ["read:board-scope:jira-software"] };
      const messageOn = (today: string) =>
        find(explainFailure(input, index, { today }).findings, "deprecated_endpoint")?.message;
      expect(messageOn("2099-06-30")).toBe("GET /rest/agile/1.0/legacy is deprecated and to be removed on 2099-07-01.");
      // From the day, a removal that took effect (pastRemovalOf judges it on the same date).
      const due =
        "GET /rest/agile/1.0/legacy's removal was announced effective 2099-07-01: calls to it are expected to answer 410 Gone, though its documents still list it and it has not been seen gone.";
      expect(messageOn("2099-07-01")).toBe(due);
      expect(messageOn("2100-01-01")).toBe(due);
    });

    it("a removal whose date has passed, not seen gone: announced (deprecated_endpoint), the scope findings kept", () => {
      const { findings } = explain({
        method: "DELETE",
        url: `${GATEWAY}/rest/api/3/priority/10000`,
        status: 401,
        scopes: ["read:jira-work"],
      });
      expect(codes(findings)).toEqual(["missing_scopes", "deprecated_endpoint"]);
      expect(findings[1]!.message).toBe(
        "DELETE /rest/api/3/priority/{id}'s removal was announced effective 2024-05-24: calls to it are expected to answer 410 Gone, though its documents still list it and it has not been seen gone.",
      );
    });

    it("a removal whose date the catalog's has passed, answered 410: endpoint_removed, never deprecated_endpoint", () => {
      const { findings } = explain({ method: "DELETE", url: "/rest/api/3/priority/10000", status: 410 });
      expect(codes(findings)).toEqual(["endpoint_removed"]);
      expect(findings[0]!.message).toBe(
        "Atlassian has removed DELETE /rest/api/3/priority/{id} (effective 2024-05-24): no scope or credential makes it answer again.",
      );
      expect(findings[0]!.fix).toContain(
        `Atlassian's removal of DELETE /rest/api/3/priority/{id} took effect on 2024-05-24 (${CHANGELOG})`,
      );
      expect(codes(explain({ method: "DELETE", url: "/rest/api/3/priority/10000", status: 204 }).findings)).toEqual([
        "not_an_error",
        "deprecated_endpoint",
      ]);
    });

    it("deprecated without a lifecycle entry points at its docs", () => {
      const { endpoints, findings } = explain({ method: "GET", url: "/rest/api/3/old", status: 404 });
      expect(findings.slice(1)).toEqual([
        {
          code: "deprecated_endpoint",
          message: "GET /rest/api/3/old is deprecated.",
          fix: `Move to its replacement; see ${endpoints[0]!.docsUrl}.`,
        },
      ]);
    });
  });

  it("unknown_scopes: suggestions for typos, a spelling check otherwise, and offline_access is known", () => {
    const { findings } = explain({
      method: "GET",
      url: `${GATEWAY}/rest/api/3/myself`,
      status: 401,
      scopes: ["read:jira-user", "read:jira-wrk", "zzzz", "offline_access"],
    });
    expect(codes(findings)).toEqual(["scopes_sufficient", "unknown_scopes"]);
    expect(findings[1]).toEqual({
      code: "unknown_scopes",
      message: "Neither the catalog nor Atlassian's list of app scopes knows read:jira-wrk, zzzz: check the spelling.",
      fix: "read:jira-wrk → read:jira-work?; zzzz: check the spelling",
      details: {
        unknownScopes: [
          { scope: "read:jira-wrk", suggestions: ["read:jira-work", "read:jira-user", "write:jira-work"] },
          { scope: "zzzz", suggestions: [] },
        ],
      },
    });
  });

  it("scopes_outside_catalog: a real scope of another API is named, never called nonexistent (issue 12)", () => {
    const data = catalog().data;
    const withRegistry = CatalogIndex.build({
      ...data,
      registry: {
        source: { package: "@forge/manifest", version: "13.7.0", url: "https://registry.npmjs.org/x.tgz", files: [] },
        scopes: [
          { name: "read:account", product: "account" },
          { name: "read:component:compass", product: "compass" },
        ],
      },
    });
    const { findings } = explainFailure(
      {
        method: "GET",
        url: `${GATEWAY}/rest/api/3/myself`,
        status: 401,
        scopes: ["read:jira-user", "read:account", "read:component:compass", "zzzz"],
      },
      withRegistry,
    );
    expect(codes(findings)).toEqual(["scopes_sufficient", "unknown_scopes", "scopes_outside_catalog"]);
    expect(find(findings, "scopes_outside_catalog")).toMatchObject({
      message:
        "read:account is a real scope of the User Identity API (Atlassian account profiles); read:component:compass is a real scope of Compass: no endpoint of this catalog takes them, so they count for none of the endpoints here.",
      details: { registry: "@forge/manifest@13.7.0" },
    });
    expect(find(findings, "unknown_scopes").message).toBe(
      "Neither the catalog nor Atlassian's list of app scopes (@forge/manifest@13.7.0) knows zzzz: check the spelling.",
    );
  });

  describe("not_an_error", () => {
    it("a 200 is not a failure, and nothing else is claimed for it", () => {
      const { findings } = explain({
        method: "GET",
        url: `${GATEWAY}${BOARD}`,
        status: 200,
        body: "[]",
        scopes: ["read:board-scope:jira-software", "read:project:jira"],
      });
      expect(findings).toEqual([
        { code: "not_an_error", message: "A 200 is not a failure: the call went through.", fix: "Nothing to fix." },
      ]);
    });

    it("3xx counts too; 400 and 100 do not", () => {
      expect(codes(explain({ method: "GET", url: BOARD, status: 304 }).findings)).toEqual(["not_an_error"]);
      expect(codes(explain({ method: "GET", url: BOARD, status: 400 }).findings)).toEqual(["request_rejected"]);
      expect(codes(explain({ method: "GET", url: BOARD, status: 100 }).findings)).toEqual([]);
    });

    it("comes first, before the context that still applies", () => {
      const { findings } = explain({
        method: "GET",
        url: "https://acme.atlassian.net/rest/api/3/old",
        status: 200,
        scopes: ["bogus:scope"],
      });
      expect(codes(findings)).toEqual(["not_an_error", "unknown_scopes", "deprecated_endpoint"]);
    });
  });

  describe("ordering", () => {
    it("where the call went, then what the token lacks, then context", () => {
      const { findings } = explain({
        method: "GET",
        url: `https://acme.atlassian.net${LEGACY}`,
        status: 401,
        body: MISMATCH,
        scopes: ["read:jira-work", "read:bogus:jira"],
      });
      expect(codes(findings)).toEqual([
        "wrong_host",
        "missing_scopes",
        "classic_not_supported",
        "unknown_scopes",
        "deprecated_endpoint",
      ]);
      expect(find(findings, "missing_scopes").message).toBe(
        "The token lacks read:board-scope:jira-software for GET /rest/agile/1.0/legacy.",
      );
    });

    it("a 403 on the site with scopes: wrong_host, the missing scopes and the classic note; no claim that the scopes passed", () => {
      const { findings } = explain({ method: "GET", url: SITE_BOARD, status: 403, scopes: ["read:jira-work"] });
      expect(codes(findings)).toEqual(["wrong_host", "missing_scopes", "classic_not_supported"]);
    });

    it("every combination follows the one priority order", () => {
      const order = [
        "not_an_error",
        "wrong_host",
        "endpoint_unknown",
        "app_only_endpoint",
        "missing_scopes",
        "classic_not_supported",
        "scopes_sufficient",
        "scope_check_passed",
        "unknown_scopes",
        "no_published_scopes",
        "deprecated_endpoint",
      ];
      const cases: ExplainInput[] = [
        { method: "GET", url: SITE_BOARD, status: 401, scopes: ["read:jira-work", "x:y:z"] },
        { method: "GET", url: `https://acme.atlassian.net${LEGACY}`, status: 403, scopes: ["read:jira-work", "nope"] },
        { method: "GET", url: `https://acme.atlassian.net/rest/api/3/serverInfo`, status: 401, scopes: ["nope"] },
        {
          method: "GET",
          url: `https://acme.atlassian.net${DEVOPS.replace("{componentId}", "1")}`,
          status: 403,
          scopes: ["read:jira-work", "nope"],
        },
        {
          method: "GET",
          url: `https://acme.atlassian.net${PAGE_V2.replace("{id}", "1")}`,
          status: 200,
          scopes: ["nope"],
        },
        {
          method: "DELETE",
          url: `${GATEWAY}${ISSUE.replace("{issueIdOrKey}", "A-1")}`,
          status: 401,
          scopes: ["delete:issue:jira", "nope"],
        },
      ];
      for (const input of cases) {
        const found = codes(explain(input).findings);
        expect(found.length, JSON.stringify(input)).toBeGreaterThan(0);
        expect(found, JSON.stringify(input)).toEqual([...found].sort((a, b) => order.indexOf(a) - order.indexOf(b)));
      }
    });
  });
});

describe("GET https://api.atlassian.com/me: the User Identity API, not Jira", () => {
  // Found in review: its 403 read "the product's permissions refused the call ... Jira or Confluence permissions".
  const ME = "https://api.atlassian.com/me";
  // The curated records, as every served catalog holds them (storage/catalog-cache.ts).
  const data = sampleData();
  data.products.platform = CURATED_PRODUCT;
  const served = CatalogIndex.build(data);
  const explain = (input: ExplainInput) => explainFailure(input, served);
  const failed = (status: number, more: Partial<ExplainInput> = {}) =>
    explain({ method: "GET", url: ME, status, ...more }).findings;

  it("a 403 without scopes: read:me or not a 3LO token, with the 3LO app's fix; no product permission", () => {
    const findings = failed(403);
    expect(codes(findings)).toEqual(["missing_scopes"]);
    expect(findings[0]!.message).toBe(
      "GET /me is Atlassian's User Identity API on api.atlassian.com, not Jira or Confluence: no product permission applies to it. Its 403 is about the token: one without read:me, the scope it needs, or not an OAuth 2.0 (3LO) access token, the only credential that calls it.",
    );
    expect(findings[0]!.fix).toContain("developer console");
    expect(JSON.stringify(findings)).not.toMatch(/Browse projects|permission the operation needs/);
  });

  it("a 403 with read:me listed: the token sent is not the one listed; never scope_check_passed's Jira words", () => {
    const [finding] = failed(403, { scopes: ["read:me"] });
    expect(finding!.code).toBe("scope_check_passed");
    expect(finding!.message).toContain("The scopes listed include read:me, which it needs");
    expect(finding!.message).not.toContain("Jira or Confluence permissions");
    expect(finding!.fix).toContain("Authorization: Bearer");
  });

  it("a 403 or 401 with other scopes: read:me is missing, fixed as a 3LO app (the only kind that calls it)", () => {
    for (const status of [401, 403]) {
      const findings = failed(status, { scopes: ["read:jira-work"] });
      expect(codes(findings)).toEqual(["missing_scopes"]);
      expect(findings[0]!.message).toBe("The token lacks read:me for GET /me.");
      expect(findings[0]!.fix).toMatch(/^Add read:me to the app's permissions in the developer console/);
    }
  });

  it("a 401 with read:me listed: the 3LO token itself, with no cloudId and no 'another app'", () => {
    const [finding] = failed(401, { scopes: ["read:me"] });
    expect(finding!.code).toBe("scopes_sufficient");
    expect(finding!.fix).toContain("no cloudId");
    expect(finding!.fix).not.toContain("Confluence token calling Jira");
  });

  it("accessible-resources' 403: it needs no scope, so the token is not a 3LO access token", () => {
    const findings = explain({
      method: "GET",
      url: "https://api.atlassian.com/oauth/token/accessible-resources",
      status: 403,
    }).findings;
    expect(codes(findings)).toEqual(["scopes_sufficient"]);
    expect(findings[0]!.message).toContain("not an OAuth 2.0 (3LO) access token");
  });

  it("a Jira endpoint's 403 keeps the product-permission reading", () => {
    const findings = explain({
      method: "GET",
      url: `${GATEWAY}${ISSUE.replace("{issueIdOrKey}", "A-1")}`,
      status: 403,
    }).findings;
    expect(find(findings, "scope_check_passed")?.message).toContain(
      "Scopes never override Jira or Confluence permissions",
    );
  });
});
