/**
 * /explain on the error bodies Atlassian's products really send (test/fixtures/atlassian-errors.ts names
 * where each was seen), every status a caller may paste, and the rule that findings never contradict.
 */
import { describe, expect, it } from "vitest";
import { readErrorBody } from "../../src/catalog/atlassian-error-body";
import { CatalogIndex } from "../../src/catalog/catalog-index";
import { explainFailure, type ExplainInput } from "../../src/catalog/explain";
import {
  ATLASSIAN_ERROR_TEXTS,
  BITBUCKET_PRIVILEGE_403,
  CONFLUENCE_GONE_410,
  JIRA_SEARCH_410,
} from "../fixtures/atlassian-errors";
import { codes, find } from "./findings";
import { alt, endpoint, ISSUE, sampleData } from "./catalog-fixture";

const SEARCH = "/rest/api/3/search";
const SEARCH_JQL = "/rest/api/3/search/jql";

function catalog(): CatalogIndex {
  const data = sampleData();
  const jira = data.products.jira!;
  data.products.jira = {
    ...jira,
    endpoints: [
      ...jira.endpoints,
      endpoint("jira", "GET", SEARCH_JQL, [alt(["read:jira-work"])]),
      endpoint("jira", "POST", SEARCH_JQL, [alt(["read:jira-work"])]),
    ],
  };
  return CatalogIndex.build(data);
}

const index = catalog();
const explain = (input: ExplainInput) => explainFailure(input, index);
const GATEWAY = "https://api.atlassian.com/ex/jira/0b1c2d3e-1111-2222-3333-444455556666";
const PULLS = "https://api.bitbucket.org/2.0/repositories/ws/repo/pullrequests";

describe("readErrorBody", () => {
  it("finds the messages where each product puts them", () => {
    expect(readErrorBody(JIRA_SEARCH_410).messages[0]).toMatch(/^The requested API has been removed/);
    expect(readErrorBody('{"code":401,"message":"Unauthorized; scope does not match"}')).toMatchObject({
      messages: ["Unauthorized; scope does not match"],
      scopeMismatch: true,
    });
    expect(readErrorBody(BITBUCKET_PRIVILEGE_403)).toMatchObject({
      messages: ["Your credentials lack one or more required privilege scopes."],
      privilegeScopes: true,
      required: ["repository:admin"],
      granted: ["repository", "pullrequest:write"],
    });
    expect(
      readErrorBody('{"errors":[{"status":404,"code":"NOT_FOUND","title":"Not Found","detail":null}]}').messages,
    ).toEqual(["Not Found"]);
    expect(
      readErrorBody('{"errorMessages":[],"errors":{"summary":"You must specify a summary of the issue."}}').messages,
    ).toEqual(["summary: You must specify a summary of the issue."]);
    expect(readErrorBody("Not JSON at all").messages).toEqual(["Not JSON at all"]);
  });

  it("reads the replacement a removal message names", () => {
    expect(readErrorBody(JIRA_SEARCH_410)).toMatchObject({ removed: true, replacementPath: SEARCH_JQL });
    expect(readErrorBody(CONFLUENCE_GONE_410)).toMatchObject({ removed: true });
  });

  it("keys never count as text: a JSON body naming `scope` is not a scope mismatch", () => {
    expect(readErrorBody('{"scope does not match":1}').scopeMismatch).toBe(false);
  });

  it("bounds what it keeps: five messages of at most 300 characters", () => {
    const body = JSON.stringify({ errorMessages: Array.from({ length: 50 }, (_, i) => `${i}${"x".repeat(1000)}`) });
    const { messages } = readErrorBody(body);
    expect(messages).toHaveLength(5);
    for (const message of messages) expect(message.length).toBeLessThanOrEqual(300);
  });

  it("reads every recorded Atlassian error text without throwing", () => {
    for (const text of ATLASSIAN_ERROR_TEXTS) expect(readErrorBody(text).messages.length).toBeGreaterThan(0);
  });
});

describe("explain on real bodies", () => {
  it("Jira's 410 for the removed search: endpoint_removed, with the replacement and its scopes from the catalog", () => {
    const { findings } = explain({
      method: "GET",
      url: `${GATEWAY}${SEARCH}?jql=project=ABC`,
      status: 410,
      body: JIRA_SEARCH_410,
    });
    expect(codes(findings)).toEqual(["endpoint_removed"]);
    expect(findings[0]!.fix).toBe("Move to GET /rest/api/3/search/jql; it needs read:jira-work (classic).");
    expect(findings[0]!.details).toMatchObject({
      replacementPath: SEARCH_JQL,
      replacements: [{ method: "GET", path: SEARCH_JQL, alternatives: [{ scopes: ["read:jira-work"] }] }],
    });
  });

  it("Confluence's GoneException: removed, never 'use another method'", () => {
    const { findings } = explain({
      method: "GET",
      url: "https://api.atlassian.com/ex/confluence/abc/wiki/rest/api/space",
      status: 410,
      body: CONFLUENCE_GONE_410,
    });
    expect(codes(findings)).toEqual(["endpoint_removed"]);
    for (const finding of findings)
      expect(`${finding.message} ${finding.fix}`).not.toMatch(/takes POST|one of the methods/);
  });

  it("Bitbucket's 403 for scopes, with granted and required: the exact gap from the scopes it granted", () => {
    // The catalog's alternatives are met by pullrequest:write, but Bitbucket says it required repository:admin.
    const { findings } = explain({ method: "POST", url: PULLS, status: 403, body: BITBUCKET_PRIVILEGE_403 });
    expect(codes(findings)).toEqual(["missing_scopes"]);
    expect(findings[0]!.message).toBe(
      "Bitbucket's error says POST /2.0/repositories/{workspace}/{repo_slug}/pullrequests requires repository:admin, and the token was granted repository, pullrequest:write: it lacks repository:admin.",
    );
    const plain = explain({
      method: "POST",
      url: PULLS,
      status: 403,
      body: '{"type":"error","error":{"message":"Your credentials lack one or more required privilege scopes.","detail":{"required":["pullrequest:write"],"granted":["pullrequest"]}}}',
    });
    expect(codes(plain.findings)).toEqual(["missing_scopes"]);
    expect(plain.findings[0]!.message).toBe(
      "The token (the scopes Bitbucket's error lists as granted) lacks pullrequest:write for POST /2.0/repositories/{workspace}/{repo_slug}/pullrequests.",
    );
    expect(plain.findings[0]!.details).toMatchObject({
      missing: ["pullrequest:write"],
      atlassianRequired: ["pullrequest:write"],
    });
  });

  it("Bitbucket's 403 in plain text without scopes: the scopes it needs, never 'the scopes passed'", () => {
    const { findings } = explain({
      method: "GET",
      url: PULLS,
      status: 403,
      body: "Your credentials lack one or more required privilege scopes.",
    });
    expect(codes(findings)).toEqual(["missing_scopes"]);
    expect(findings[0]!.message).toMatch(
      /^Bitbucket's 403 "lack one or more required privilege scopes" means the token lacks a scope/,
    );
  });

  it("Bitbucket's 403 without a body is ambiguous, and says so", () => {
    const { findings } = explain({ method: "GET", url: PULLS, status: 403 });
    expect(codes(findings)).toEqual(["missing_scopes"]);
    expect(findings[0]!.message).toMatch(/both for a missing scope and for missing repository access/);
  });

  it("the password text: password_not_accepted, and no credential is claimed missing", () => {
    const { findings } = explain({
      method: "GET",
      url: "https://acme.atlassian.net/rest/api/3/myself",
      status: 401,
      body: ATLASSIAN_ERROR_TEXTS[1],
    });
    expect(codes(findings)).toContain("password_not_accepted");
    expect(find(findings, "password_not_accepted").fix).toMatch(/API token/);
  });

  it("Confluence's 'not permitted to use Confluence': product access, not scopes or permissions", () => {
    const { findings } = explain({
      method: "GET",
      url: "https://api.atlassian.com/ex/confluence/abc/wiki/api/v2/pages/1",
      status: 403,
      body: '{"message":"Current user not permitted to use Confluence","statusCode":403}',
    });
    expect(codes(findings)).toEqual(["no_product_access"]);
  });
});

describe("every status says something useful", () => {
  const url = `${GATEWAY}/rest/api/3/issue/ABC-1`;
  it.each([
    [404, "resource_not_visible", /cloudId/],
    [400, "request_rejected", /parameters/],
    [409, "request_rejected", /parameters/],
    [429, "rate_limited", /Retry-After/],
    [500, "atlassian_server_error", /status\.atlassian\.com/],
    [503, "atlassian_server_error", /status\.atlassian\.com/],
  ])("%i → %s", (status, code, fix) => {
    const { findings } = explain({ method: "GET", url, status, body: '{"errorMessages":["Something"],"errors":{}}' });
    expect(codes(findings)).toEqual([code]);
    expect(findings[0]!.fix).toMatch(fix);
    expect(findings[0]!.message).toContain('Atlassian said: "Something"');
  });
});

describe("findings never contradict each other", () => {
  const cases: ExplainInput[] = [];
  const urls = [
    `${GATEWAY}/rest/agile/1.0/board`,
    "https://acme.atlassian.net/rest/agile/1.0/board",
    `${GATEWAY}${ISSUE.replace("{issueIdOrKey}", "ABC-1")}`,
    PULLS,
  ];
  const scopeSets = [
    undefined,
    [],
    ["read:jira-work"],
    ["read:board-scope:jira-software"],
    ["pullrequest"],
    ["read:board-scope:jira-software", "read:project:jira"],
  ];
  const bodies = [
    undefined,
    '{"code":401,"message":"Unauthorized; scope does not match"}',
    "Your credentials lack one or more required privilege scopes.",
  ];
  for (const url of urls)
    for (const status of [401, 403, 404])
      for (const scopes of scopeSets)
        for (const body of bodies) cases.push({ method: "GET", url, status, scopes, body });

  it(`in ${cases.length} combinations: scope_check_passed never beside missing_scopes or classic_not_supported, and missing never beside sufficient for one endpoint`, () => {
    for (const input of cases) {
      const found = codes(explain(input).findings);
      const label = JSON.stringify(input);
      if (found.includes("scope_check_passed")) {
        expect(found, label).not.toContain("missing_scopes");
        expect(found, label).not.toContain("classic_not_supported");
      }
      expect(found.includes("missing_scopes") && found.includes("scopes_sufficient"), label).toBe(false);
    }
  });
});
