/**
 * HEAD (curl -I): Atlassian documents GET only, and HTTP defines HEAD as GET without the body (RFC 9110
 * §9.3.2), so every surface that reads a method answers a HEAD with the GET endpoint and the
 * `head_as_get` note, wherever the method comes from: `method=`, an endpoint line, a pasted curl.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { expectError, get, getScopes, okJson, postJson, resetCatalogCache } from "../helpers/worker";

beforeAll(async () => {
  resetCatalogCache();
  await (await get("/health")).arrayBuffer();
}, 30_000);

const ISSUE = "/rest/api/3/issue/{issueIdOrKey}";

describe("HEAD is checked as GET", () => {
  it("GET /scopes method=HEAD: the GET endpoint, the query's method kept, the note with its code", async () => {
    const body = await okJson(await getScopes({ path: "/rest/api/3/issue/ABC-1", method: "HEAD" }));
    expect(body.query.method).toBe("HEAD");
    expect(
      body.endpoints.map((endpoint: { method: string; path: string }) => `${endpoint.method} ${endpoint.path}`),
    ).toEqual([`GET ${ISSUE}`]);
    expect(body.urlNotes[0].code).toBe("head_as_get");
    expect(body.urlNotes[0].message).toContain("not stated by Atlassian");
  });

  it("GET /scopes with a pasted curl -I, curl --head and curl -X HEAD", async () => {
    for (const path of [
      "curl -I https://acme.atlassian.net/rest/api/3/myself",
      "curl --head https://acme.atlassian.net/rest/api/3/myself",
      "curl -X HEAD https://acme.atlassian.net/rest/api/3/myself",
    ]) {
      const body = await okJson(await getScopes({ path }));
      expect(
        body.endpoints.map((endpoint: { method: string }) => endpoint.method),
        path,
      ).toEqual(["GET"]);
      expect(
        body.urlNotes.map((note: { code: string }) => note.code),
        path,
      ).toContain("head_as_get");
    }
  });

  it("POST /diff: a HEAD endpoint line is checked against GET's scopes", async () => {
    const body = await okJson(
      await postJson("/diff", { scopes: ["read:jira-work"], endpoints: [`HEAD /rest/api/3/issue/ABC-1`] }),
    );
    const [result] = body.results;
    expect(result).toMatchObject({ method: "GET", path: ISSUE, satisfied: true });
    expect(result.urlNotes.map((note: { code: string }) => note.code)).toContain("head_as_get");
  });

  it("POST /plan: curl -I lines are planned as their GETs", async () => {
    const body = await okJson(
      await postJson("/plan", { endpoints: ["curl -I https://acme.atlassian.net/rest/api/3/myself"] }),
    );
    expect(body.unmatched).toEqual([]);
    expect(body.scopes).toContain("read:jira-user");
  });

  it("POST /explain: method HEAD gets the head_as_get finding", async () => {
    const body = await okJson(
      await postJson("/explain", {
        method: "HEAD",
        url: "https://acme.atlassian.net/rest/api/3/issue/ABC-1",
        status: 401,
      }),
    );
    expect(body.findings.map((finding: { code: string }) => finding.code)).toContain("head_as_get");
  });

  it("POST /explain: a HEAD's 404 is read as the GET's would be (head_as_get explains no status)", async () => {
    const url = "https://api.atlassian.com/ex/jira/11111111-2222-3333-4444-555555555555/rest/api/3/issue/ABC-1";
    const codes = async (method: string) =>
      (await okJson(await postJson("/explain", { method, url, status: 404, scopes: ["read:jira-work"] }))).findings.map(
        (finding: { code: string }) => finding.code,
      );
    const head = await codes("HEAD");
    expect(head).toContain("head_as_get");
    expect(head).toContain("resource_not_visible");
    expect(head.filter((code: string) => code !== "head_as_get")).toEqual(await codes("GET"));
  });

  it("a path without GET is still method_not_found", async () => {
    const error = await expectError(
      await getScopes({ path: "/rest/api/3/issue", method: "HEAD" }),
      404,
      "method_not_found",
    );
    expect(error.details.methods).not.toContain("GET");
  });
});
