/**
 * The credential through the worker (issue 12): /diff, /plan, /scopes and /explain on the bundled
 * snapshot, and the 400 for an unknown kind on each. KV is empty in this file.
 */
import {
  expectError,
  get,
  getScopes,
  okJson,
  postDiff,
  postJson,
  resetCatalogCache,
  type Json,
} from "../helpers/worker";
import { beforeAll, describe, expect, it } from "vitest";

const USER = "https://api.bitbucket.org/2.0/user";
const PULLS = "https://api.bitbucket.org/2.0/repositories/ws/repo/pullrequests";

function post(route: "/plan" | "/explain", body: unknown, query = ""): Promise<Response> {
  return postJson(route, body, { query });
}

beforeAll(() => {
  resetCatalogCache();
});

describe("POST /diff with a credential", () => {
  it("an API-token holder is told read:user:bitbucket, not the OAuth-consumer `account` (inferred, and said so)", async () => {
    const body = await okJson(await postDiff({ scopes: ["read:repository:bitbucket"], endpoints: [`GET ${USER}`] }));
    expect(body.credential).toEqual({
      kind: "bitbucket-api-token",
      inferred: true,
      reason:
        'Only Bitbucket API-token/Forge scopes are held (`read:repository:bitbucket`): checked as a Bitbucket API token; for a Forge app, give `credential: "forge"`.',
    });
    expect(body.results[0]).toMatchObject({ satisfied: false, missing: ["read:user:bitbucket"] });
    expect(body.results[0].alternatives[0]).toMatchObject({
      scopes: ["account"],
      usable: false,
      why: "`account` is an OAuth-consumer scope (security.oauth2); an API token holds the `*:bitbucket` scopes.",
    });
  });

  it("given, it wins over the scopes, with a warning for scopes it cannot hold", async () => {
    const body = await okJson(
      await postDiff({ scopes: ["pullrequest"], credential: "bitbucket-api-token", method: "GET", path: PULLS }),
    );
    expect(body.credential).toEqual({ kind: "bitbucket-api-token", inferred: false });
    expect(body.warnings).toEqual([
      "The credential is a Bitbucket API token: the `*:bitbucket` scopes (`read:repository:bitbucket`); it cannot hold `pullrequest`, so that scope does not count. Is `credential` right?",
    ]);
    expect(body.results[0]).toMatchObject({
      satisfied: false,
      satisfiedBy: null,
      missing: ["read:pullrequest:bitbucket"],
    });
  });

  it("warns when the held scopes mix kinds, and infers nothing", async () => {
    const body = await okJson(
      await postDiff({ scopes: ["pullrequest", "read:pullrequest:bitbucket"], method: "GET", path: PULLS }),
    );
    expect(body.credential).toBeUndefined();
    expect(body.warnings[0]).toMatch(/^The scopes mix kinds no single credential holds/);
  });

  it("text: the credential line, and CANNOT for an endpoint it cannot call", async () => {
    const response = await postDiff(
      { scopes: ["read:user:bitbucket"], credential: "forge", endpoints: [`GET ${USER}`] },
      { query: "?format=text" },
    );
    const lines = (await response.text()).split("\n");
    expect(lines[0]).toBe("credential: forge");
    expect(lines[1]).toBe(
      "CANNOT  GET /2.0/user  The document's auth types for this operation are api-token: it is not available to Forge apps.",
    );
  });

  it("Jira scopes alone: no credential inferred, the answer as before", async () => {
    const body = await okJson(
      await postDiff({ scopes: ["read:jira-work"], method: "GET", path: "/rest/api/3/myself" }),
    );
    expect(body.credential).toBeUndefined();
    expect(body.warnings).toBeUndefined();
  });

  it("a Connect descriptor's lower-case `read` counts, is known and is not warned about; `Read` is none of these", async () => {
    const issue = "GET /rest/api/3/issue/ABC-1";
    const lower = await okJson(await postDiff({ scopes: ["read"], endpoints: [issue] }));
    expect(lower.credential).toMatchObject({ kind: "connect", inferred: true });
    expect(lower.warnings).toBeUndefined();
    expect(lower.unknownScopes).toEqual([]);
    expect(lower.results[0]).toMatchObject({ satisfied: true });
    const mixed = await okJson(await postDiff({ scopes: ["Read"], credential: "connect", endpoints: [issue] }));
    // Unknown, with READ suggested: not a scope of another kind the credential cannot hold.
    expect(mixed.warnings).toBeUndefined();
    expect(mixed.unknownScopes).toEqual([{ scope: "Read", suggestions: ["READ"] }]);
    expect(mixed.results[0]).toMatchObject({ satisfied: false, missing: ["READ"] });
  });

  it("a Connect scope held beside other kinds, or with another credential, is warned about, not unknown", async () => {
    const issue = "GET /rest/api/3/issue/ABC-1";
    const mixed = await okJson(await postDiff({ scopes: ["READ", "read:jira-work"], endpoints: [issue] }));
    expect(mixed.warnings).toEqual([expect.stringContaining("Connect scopes (`READ`)")]);
    expect(mixed.unknownScopes).toEqual([]);
    // A typo is unknown, not a Jira/Confluence scope mixed in.
    const typo = await okJson(await postDiff({ scopes: ["READ", "reed"], endpoints: [issue] }));
    expect(typo.warnings).toBeUndefined();
    expect(typo.unknownScopes).toEqual([{ scope: "reed", suggestions: expect.any(Array) }]);
    // With a credential given, its own warning names what it cannot hold; no "give `credential`".
    const consumer = await okJson(
      await postDiff({
        scopes: ["repository", "pipelines", "read:jira-work"],
        credential: "bitbucket-oauth-consumer",
        endpoints: [issue],
      }),
    );
    expect(consumer.warnings).toEqual([
      expect.stringContaining("it cannot hold `read:jira-work`, so that scope does not count"),
    ]);
    expect(consumer.warnings.join(" ")).not.toContain("give `credential`");
    const given = await okJson(
      await postDiff({ scopes: ["READ", "read:jira-work"], credential: "oauth2-3lo", endpoints: [issue] }),
    );
    expect(given.warnings).toEqual(
      expect.arrayContaining([expect.stringContaining("it cannot hold `READ`, so that scope does not count")]),
    );
    expect(given.unknownScopes).toEqual([]);
  });

  it("400 invalid_credential for an unknown kind", async () => {
    const error = await expectError(
      await postDiff({ scopes: ["read:jira-work"], credential: "app-password", path: "/rest/api/3/myself" }),
      400,
      "invalid_credential",
    );
    expect(error.message).toMatch(
      /^`credential` "app-password" is not a credential kind; use one of oauth2-3lo, forge/,
    );
    expect(error.message).toContain("Bitbucket app passwords were removed on 2026-07-28");
    expect(error.message).toMatch(/Did you mean bitbucket-api-token\?$/);
    expect(error.details.suggestions).toEqual(["bitbucket-api-token"]);
  });

  it("a kind pasted with a zero-width space is that kind", async () => {
    const answer = await okJson(await getScopes({ path: USER, credential: "bitbucket-api-token\u200b" }));
    expect(answer.credential).toEqual({ kind: "bitbucket-api-token", inferred: false });
  });

  it("400 invalid_credential suggests the kind a mistyped one means, on every route that takes one", async () => {
    const diff = await expectError(
      await postDiff({ scopes: ["read:jira-work"], credential: "scoped-token", path: "/rest/api/3/myself" }),
      400,
      "invalid_credential",
    );
    expect(diff.details.suggestions).toEqual(["scoped-api-token"]);
    const lookup = await expectError(await getScopes({ path: USER, credential: "3lo" }), 400, "invalid_credential");
    expect(lookup.message).toMatch(/Did you mean oauth2-3lo\?$/);
    // Spaces around it are not part of it, whatever its length.
    const padded = await expectError(
      await getScopes({ path: USER, credential: `${" ".repeat(59)}3lo` }),
      400,
      "invalid_credential",
    );
    expect(padded.details).toMatchObject({ credential: "3lo", suggestions: ["oauth2-3lo"] });
    const none = await expectError(await getScopes({ path: USER, credential: "pat" }), 400, "invalid_credential");
    expect(none.details.suggestions).toEqual([]);
    expect(none.message).not.toContain("Did you mean");
  });
});

describe("POST /plan per credential", () => {
  const endpoints = ["GET /rest/agile/1.0/board", `GET ${PULLS}`, `POST ${PULLS}`, "POST /rest/api/3/issue"];

  it("a default plan over Jira and Bitbucket never puts pullrequest beside read:pullrequest:bitbucket", async () => {
    const answer = await okJson(await post("/plan", { endpoints }));
    expect(answer.credentials).toEqual([]);
    expect(answer.tokens).toEqual([
      {
        scopes: ["read:board-scope:jira-software", "read:project:jira", "write:jira-work"],
        endpoints: ["GET /rest/agile/1.0/board", "POST /rest/api/3/issue"],
        credentials: ["oauth2-3lo", "forge", "scoped-api-token"],
      },
      {
        scopes: ["pullrequest:write"],
        endpoints: [
          "GET /2.0/repositories/{workspace}/{repo_slug}/pullrequests",
          "POST /2.0/repositories/{workspace}/{repo_slug}/pullrequests",
        ],
        credentials: [
          "connect",
          "bitbucket-oauth-consumer",
          "bitbucket-access-token",
          "bitbucket-repository-access-token",
          "bitbucket-project-access-token",
          "bitbucket-workspace-access-token",
        ],
      },
    ]);
    for (const token of answer.tokens) {
      const kinds = new Set(token.scopes.map((scope: string) => /:bitbucket$/.test(scope) || !scope.includes(":jira")));
      expect(kinds.size).toBe(1);
    }
  });

  it("with a Bitbucket API token: only its scopes, and Jira set apart as what it cannot call", async () => {
    const answer = await okJson(await post("/plan", { endpoints, credential: "bitbucket-api-token" }));
    expect(answer.credential).toEqual({ kind: "bitbucket-api-token", inferred: false });
    expect(answer.scopes).toEqual(["read:pullrequest:bitbucket", "write:pullrequest:bitbucket"]);
    expect(answer.credentials).toEqual(["forge", "scoped-api-token", "bitbucket-api-token"]);
    expect(answer.unusable.map((item: Json) => `${item.method} ${item.path}`)).toEqual([
      "GET /rest/agile/1.0/board",
      "POST /rest/api/3/issue",
    ]);
  });

  it("a bare URL is planned as GET, and the notes say so", async () => {
    const answer = await okJson(await post("/plan", { endpoints: [PULLS] }));
    expect(answer.endpoints.map((item: Json) => item.method)).toEqual(["GET"]);
    expect(answer.notes).toContain(
      `Given without a method, \`${PULLS}\` is planned as GET: a bare URL never adds write or delete scopes. Write \`POST <url>\` for another method.`,
    );
  });

  it("400 invalid_credential", async () => {
    await expectError(await post("/plan", { endpoints, credential: "oauth" }), 400, "invalid_credential");
  });
});

describe("POST /plan for a Connect app", () => {
  const jira = ["GET /rest/api/3/issue/ABC-1", "POST /rest/api/3/issue", "GET /rest/agile/1.0/board"];

  it("plans the descriptor's Connect scopes, with those another one implies left out", async () => {
    const answer = await okJson(await post("/plan", { endpoints: jira, credential: "connect" }));
    expect(answer.scopes).toEqual(["WRITE"]);
    expect(answer.credentials).toEqual(["connect"]);
    expect(answer).toMatchObject({ optimal: true, lowerBound: 1, tokens: null });
    expect(answer.unusable).toBeUndefined();
    expect(answer.endpoints.map((item: Json) => [item.method, item.chosen])).toEqual([
      ["GET", { kind: "connect", state: "Current", scopes: ["READ"] }],
      ["POST", { kind: "connect", state: "Current", scopes: ["WRITE"] }],
      ["GET", { kind: "connect", state: "Current", scopes: ["READ"] }],
    ]);
    expect(answer.notes).toContain(
      "`READ` is left out of the Jira app: `WRITE` implies it (Connect scopes imply lesser ones).",
    );
  });

  it("one app per product, Bitbucket's with its classic scopes, and what Connect cannot call set apart", async () => {
    const answer = await okJson(
      await post("/plan", {
        endpoints: [...jira, "GET /wiki/api/v2/pages/1", `GET ${PULLS}`, "POST /rest/api/3/redact"],
        credential: "connect",
      }),
    );
    expect(answer.tokens.map((token: Json) => [token.scopes, token.endpoints.length, token.credentials])).toEqual([
      [["WRITE"], 3, ["connect"]],
      [["READ"], 1, ["connect"]],
      // The Connect app's Bitbucket descriptor, not every kind that could hold `pullrequest`.
      [["pullrequest"], 1, ["connect"]],
    ]);
    expect(answer.notes).toContain(
      "A Connect app declares these in its descriptor's `scopes` (atlassian-connect.json): Connect scopes for Jira and Confluence, Bitbucket's classic scopes for Bitbucket.",
    );
    expect(answer.unusable).toEqual([
      {
        product: "jira",
        method: "POST",
        path: "/rest/api/3/redact",
        why: "The document's Connect scope for this endpoint is INACCESSIBLE: Connect apps cannot call it.",
      },
    ]);
    const text = await (
      await post("/plan", { endpoints: [...jira, "GET /wiki/api/v2/pages/1"], credential: "connect" }, "?format=text")
    ).text();
    expect(text).toContain("2 scopes in all: a Connect app is for one product, so 2 apps:");
    expect(text).toContain('app 1: 1 scope for 3 endpoints, as connect\n  descriptor: "scopes": ["WRITE"]');
    expect(text).not.toContain("token");
  });
});

describe("GET /scopes and POST /explain with a credential", () => {
  it("/scopes marks each alternative usable or not, with why", async () => {
    const body = await okJson(await getScopes({ path: USER, method: "GET", credential: "bitbucket-api-token" }));
    expect(body.credential).toEqual({ kind: "bitbucket-api-token", inferred: false });
    expect(body.endpoints[0].alternatives).toEqual([
      {
        kind: "classic",
        state: "Current",
        scopes: ["account"],
        usable: false,
        why: "`account` is an OAuth-consumer scope (security.oauth2); an API token holds the `*:bitbucket` scopes.",
      },
      { kind: "granular", state: "Current", scopes: ["read:user:bitbucket"], authTypes: ["api-token"], usable: true },
    ]);
    await expectError(await getScopes({ path: USER, credential: "pat" }), 400, "invalid_credential");
  });

  it("/scopes shows the Email API's caveats from the document", async () => {
    const body = await okJson(await getScopes({ path: "/rest/api/3/user/email", method: "GET" }));
    expect(body.endpoints[0].notes).toContain(
      "The document says: for Forge apps this API only supports asApp() requests.",
    );
  });

  it("/explain: credential_cannot_call for a Forge app on an API-token-only operation", async () => {
    const answer = await okJson(
      await post("/explain", {
        method: "GET",
        url: USER,
        status: 403,
        scopes: ["read:user:bitbucket"],
        credential: "forge",
      }),
    );
    expect(answer.credential).toEqual({ kind: "forge", inferred: false });
    expect(answer.findings[0]).toMatchObject({
      code: "credential_cannot_call",
      message:
        "With credential `forge`, GET /2.0/user cannot be called: The document's auth types for this operation are api-token: it is not available to Forge apps.",
    });
    expect(answer.findings.map((finding: Json) => finding.code)).not.toContain("missing_scopes");
  });

  it("/explain: a Connect app on its site is not sent to the gateway, and its scope is named", async () => {
    const call = { method: "GET", url: "https://acme.atlassian.net/rest/api/3/myself", status: 401, scopes: ["READ"] };
    for (const body of [call, { ...call, credential: "connect" }]) {
      const answer = await okJson(await post("/explain", body));
      expect(answer.findings.map((finding: Json) => finding.code)).toEqual(["scopes_sufficient"]);
      expect(answer.findings[0].message).toBe(
        "These scopes satisfy GET /rest/api/3/myself (the Connect scope READ is held), so the 401 is not about scopes.",
      );
      expect(answer.findings[0].fix).toMatch(/^Check the app's JWT: signed with the shared secret/);
    }
  });

  it("/explain: a Connect app's 401 without scopes is about its JWT (connect_authentication)", async () => {
    const answer = await okJson(
      await post("/explain", {
        method: "GET",
        url: "https://acme.atlassian.net/rest/api/3/myself",
        status: 401,
        credential: "connect",
        body: "Failed to parse Connect Session Auth Token",
      }),
    );
    expect(answer.findings.map((finding: Json) => finding.code)).toEqual(["connect_authentication"]);
    expect(answer.findings[0].fix).toMatch(/^Check the app's JWT/);
  });

  it("/explain: a missing scope's fix is how that credential gets one", async () => {
    const call = {
      method: "POST",
      url: "https://api.atlassian.com/ex/jira/11111111-2222-3333-4444-555555555555/rest/api/3/issue",
      status: 401,
    };
    const fixes: Record<string, [string[], RegExp]> = {
      "oauth2-3lo": [["read:jira-work"], /^Add write:jira-work to the app's permissions in the developer console/],
      forge: [["read:jira-work"], /^Add write:jira-work to `permissions.scopes` in the app's manifest.yml/],
      connect: [["READ"], /^Add WRITE to the `scopes` of the app descriptor/],
      "scoped-api-token": [["read:jira-work"], /^Create a token that also has write:jira-work \(a token's scopes/],
    };
    for (const [credential, [scopes, fix]] of Object.entries(fixes)) {
      const answer = await okJson(await post("/explain", { ...call, credential, scopes }));
      const missing = answer.findings.find((finding: Json) => finding.code === "missing_scopes");
      expect(missing?.fix, credential).toMatch(fix);
    }
  });

  it("/explain: a 3LO token on the site URL is told so, and a removed Confluence path the Confluence gateway", async () => {
    const threeLo = await okJson(
      await post("/explain", {
        method: "GET",
        url: "https://acme.atlassian.net/rest/api/3/myself",
        status: 401,
        scopes: ["read:jira-user"],
        credential: "oauth2-3lo",
      }),
    );
    expect(threeLo.findings[0]).toMatchObject({
      code: "wrong_host",
      message:
        "OAuth 2.0 (3LO) access tokens are not accepted on acme.atlassian.net; they only work through Atlassian's API gateway.",
    });
    const removed = await okJson(
      await post("/explain", { method: "GET", url: "https://acme.atlassian.net/wiki/rest/api/space", status: 401 }),
    );
    expect(removed.findings.map((finding: Json) => finding.code)).toEqual(["wrong_host", "endpoint_removed"]);
    expect(removed.findings[0].details.gatewayUrl).toBe("https://api.atlassian.com/ex/confluence/{cloudId}/...");
  });
});

describe("a removed endpoint through the other product's gateway", () => {
  it("is still removed, naming its replacement, with no note sending the call to the removed URL", async () => {
    const response = await getScopes({
      path: "https://api.atlassian.com/ex/jira/abc/wiki/rest/api/content/123",
      method: "GET",
    });
    const error = await expectError(response, 410, "endpoint_removed");
    expect(error.details.template).toBe("/wiki/rest/api/content/{id}");
    expect(error.details.urlNotes).toBeUndefined();
    expect(error.message).toContain("Call GET /wiki/api/v2/pages/{id} instead");
    const explained = await okJson(
      await post("/explain", {
        method: "GET",
        url: "https://api.atlassian.com/ex/jira/abc/wiki/rest/api/content",
        status: 404,
      }),
    );
    expect(explained.findings.map((finding: Json) => finding.code)).toEqual(["endpoint_removed"]);
  });

  it("/explain on the site: a removed Confluence path without /wiki gets the Confluence gateway", async () => {
    const answer = await okJson(
      await post("/explain", {
        method: "GET",
        url: "https://acme.atlassian.net/rest/api/space",
        status: 401,
        scopes: ["read:space:confluence"],
      }),
    );
    expect(answer.findings[0]).toMatchObject({ code: "wrong_host" });
    expect(answer.findings[0].details.gatewayUrl).toBe("https://api.atlassian.com/ex/confluence/{cloudId}/...");
  });
});

describe("GET /endpoints for a Connect scope", () => {
  it("lists what a Connect app holding it can call, as POST /diff does, with each endpoint's Connect scope", async () => {
    const body = await okJson(await get("/endpoints?scope=WRITE&limit=500"));
    expect(body.scope).toMatchObject({ name: "WRITE", kind: "connect", product: "connect" });
    expect(body.scope.description).toContain("it also grants READ");
    const diff = await okJson(await postDiff({ scopes: ["WRITE"], limit: 500 }));
    expect(body.total).toBe(diff.callable.total);
    expect(body.endpoints.map((use: Json) => `${use.method} ${use.path} ${use.connectScope}`)).toEqual(
      diff.callable.endpoints.map((entry: Json) => `${entry.method} ${entry.path} ${entry.connectScope}`),
    );
    expect(new Set(body.endpoints.map((use: Json) => use.connectScope))).toEqual(new Set(["NONE", "READ", "WRITE"]));
    expect(body.endpoints.every((use: Json) => use.alone && use.sets.length === 0)).toBe(true);
  });

  it("lower case counts; filters and text; a mixed-case name is pointed at the Connect spelling", async () => {
    const lower = await okJson(await get("/endpoints?scope=read&product=confluence&method=DELETE"));
    expect(lower.scope.name).toBe("READ");
    expect(lower.endpoints.every((use: Json) => use.product === "confluence" && use.method === "DELETE")).toBe(true);
    const text = (await (await get("/endpoints?scope=ACT_AS_USER&format=text")).text()).split("\n");
    expect(text[0]).toMatch(/^ACT_AS_USER \(Connect scope\): A Connect app's scope/);
    expect(text[2]).toMatch(/ {2}\[jira\] {2}Connect scope ACT_AS_USER$/);
    const mixed = await expectError(await get("/endpoints?scope=Read"), 404, "scope_not_found");
    expect(mixed.details).toMatchObject({ suggestions: ["READ"] });
  });
});

describe("a scoped API token holding several apps' scopes", () => {
  const scopes = ["read:jira-work", "read:page:confluence"];
  it("/diff warns that no one token holds them; one app's scopes (and neutral ones) are not warned about", async () => {
    const body = await okJson(
      await postDiff({ credential: "scoped-api-token", scopes, endpoints: ["GET /wiki/api/v2/pages/1"] }),
    );
    expect(body.warnings).toEqual([
      "An API token with scopes is created for one app (Jira, Confluence or Bitbucket): these scopes are Jira and Confluence's, so no one token holds them all. Check each app's endpoints against that app's token.",
    ]);
    const jira = await okJson(
      await postDiff({
        credential: "scoped-api-token",
        scopes: ["read:jira-work", "read:board-scope:jira-software", "read:servicedesk-request", "offline_access"],
        endpoints: ["GET /rest/api/3/myself"],
      }),
    );
    expect(jira.warnings).toBeUndefined();
    // Not given: a 3LO app may hold both apps' scopes, so nothing is said.
    const open = await okJson(await postDiff({ scopes, endpoints: ["GET /wiki/api/v2/pages/1"] }));
    expect(open.warnings).toBeUndefined();
  });

  it("/explain: mixed_credential_scopes, with a fix for that token", async () => {
    const answer = await okJson(
      await post("/explain", {
        credential: "scoped-api-token",
        scopes,
        method: "GET",
        url: "https://api.atlassian.com/ex/confluence/abc/wiki/api/v2/pages/1",
        status: 401,
      }),
    );
    const mixed = answer.findings.find((finding: Json) => finding.code === "mixed_credential_scopes");
    expect(mixed.fix).toBe("Send the scopes of the token that made the call: those of the one app it was made for.");
    // Scopes the kind cannot hold at all outweigh the one-app note: /explain reports that one.
    const both = await okJson(
      await post("/explain", {
        credential: "scoped-api-token",
        scopes: ["READ", ...scopes],
        method: "GET",
        url: "https://api.atlassian.com/ex/confluence/abc/wiki/api/v2/pages/1",
        status: 401,
      }),
    );
    const warned = both.findings.find((finding: Json) => finding.code === "mixed_credential_scopes");
    expect(warned.message).toMatch(/it cannot hold `READ`/);
  });
});

describe("POST /explain: the credential given shapes every finding", () => {
  const GATEWAY = "https://api.atlassian.com/ex/jira/11111111-2222-3333-4444-555555555555";
  const explain = async (body: Json) => okJson(await post("/explain", body));
  const codesOf = (answer: Json) => answer.findings.map((finding: Json) => finding.code);

  it("without scopes, only the sets the credential can hold, and its own way to get them", async () => {
    const forge = await explain({ credential: "forge", method: "GET", url: USER, status: 403 });
    // GET /2.0/user takes API tokens only (x-atlassian-auth-types): nothing for a Forge app to add.
    expect(codesOf(forge)).toEqual(["credential_cannot_call"]);
    expect(forge.findings[0].message).toMatch(/not available to Forge apps/);
    const apiToken = await explain({ credential: "bitbucket-api-token", method: "GET", url: USER, status: 403 });
    expect(apiToken.findings[0]).toMatchObject({ code: "missing_scopes" });
    expect(apiToken.findings[0].details.alternatives).toEqual([
      { kind: "granular", state: "Current", scopes: ["read:user:bitbucket"] },
    ]);
    expect(apiToken.findings[0].message).not.toContain("account (classic)");
    const threeLo = await explain({
      credential: "oauth2-3lo",
      method: "GET",
      url: `${GATEWAY}/rest/agile/1.0/board`,
      status: 401,
      body: '{"code":401,"message":"Unauthorized; scope does not match"}',
    });
    expect(threeLo.findings[0].fix).toMatch(
      /^Add read:board-scope:jira-software \+ read:project:jira to the app's permissions in the developer console .* and to the `scope` parameter of the authorization URL/,
    );
  });

  it("a refused password, or a credential that cannot call the site at all, is not sent to the gateway", async () => {
    const password = await explain({
      method: "GET",
      url: "https://acme.atlassian.net/rest/api/3/myself",
      status: 401,
      body: "Basic authentication with passwords is deprecated. For more information, see: https://developer.atlassian.com/cloud/confluence/deprecation-notice-basic-auth/",
    });
    expect(codesOf(password)).toEqual(["password_not_accepted"]);
    const bitbucket = await explain({
      credential: "bitbucket-api-token",
      method: "GET",
      url: "https://acme.atlassian.net/rest/api/3/myself",
      status: 401,
      scopes: ["read:user:bitbucket"],
    });
    expect(codesOf(bitbucket)).toEqual(["credential_cannot_call"]);
    expect(bitbucket.findings[0].message).toContain("a Bitbucket API token calls only Bitbucket Cloud");
  });

  it("Jira Service Management's own 403 (errorMessage, i18nErrorMessage) passed the scope check", async () => {
    const answer = await explain({
      credential: "scoped-api-token",
      method: "POST",
      url: `${GATEWAY}/rest/servicedeskapi/request`,
      status: 403,
      body: {
        errorMessage: "You do not have permission to create requests in this service desk.",
        i18nErrorMessage: { i18nKey: "sd.request.create.error", parameters: [] },
      },
      scopes: ["read:servicedesk-request"],
    });
    expect(codesOf(answer)).toEqual(["scope_check_passed"]);
    expect(answer.findings[0].message).toMatch(/^Jira Service Management's own 403/);
  });

  it("on the site URL without scopes: Jira's own 403 is its permissions; a 404 is a hidden item or a scoped token", async () => {
    const forbidden = await explain({
      method: "GET",
      url: "https://acme.atlassian.net/rest/api/3/issue/ABC-1",
      status: 403,
      body: { errorMessages: ["You do not have the permission to see the specified issue."] },
    });
    expect(codesOf(forbidden)).toEqual(["scope_check_passed"]);
    expect(forbidden.findings[0].message).toMatch(/^Jira's own 403 on the site URL .* scopes play no part here/);
    const missing = await explain({
      method: "GET",
      url: "https://acme.atlassian.net/rest/api/3/issue/ABC-1",
      status: 404,
      body: { errorMessages: ["Issue does not exist or you do not have permission to see it."] },
    });
    expect(codesOf(missing)).toEqual(["wrong_host", "resource_not_visible"]);
    const unauthenticated = await explain({
      method: "GET",
      url: "https://acme.atlassian.net/rest/api/3/myself",
      status: 401,
      body: "Client must be authenticated to access this resource.",
    });
    expect(unauthenticated.findings[0].fix).toContain("Otherwise, with basic auth");
  });

  it("the site URL's own 403 speaks of basic auth only when no credential kind is given; off Cloud, no scope finding", async () => {
    const body = { errorMessages: ["You do not have the permission to see the specified issue."] };
    const url = "https://acme.atlassian.net/rest/api/3/issue/ABC-1";
    for (const credential of ["forge", "oauth2-3lo"]) {
      const answer = await explain({ credential, method: "GET", url, status: 403, body });
      expect(answer.findings.map((finding: Json) => finding.message).join(" ")).not.toContain("basic auth");
    }
    const dataCenter = await explain({
      method: "GET",
      url: "https://jira.acme.com/rest/api/3/issue/ABC-1",
      status: 403,
      scopes: ["read:jira-user"],
    });
    expect(codesOf(dataCenter)).toEqual(["not_atlassian_cloud"]);
  });

  it("a Connect app's 403: the Connect scope it needs, or its permissions when the descriptor has it", async () => {
    const url = "https://acme.atlassian.net/rest/api/3/issue";
    const unknown = await explain({ credential: "connect", method: "POST", url, status: 403 });
    expect(unknown.findings).toEqual([
      expect.objectContaining({ code: "missing_scopes", details: { connectScope: "WRITE" } }),
    ]);
    expect(unknown.findings[0].message).toContain("(or DELETE, PROJECT_ADMIN, ADMIN, which imply it)");
    const held = await explain({ credential: "connect", method: "POST", url, status: 403, scopes: ["WRITE"] });
    expect(codesOf(held)).toEqual(["scope_check_passed"]);
    const lacking = await explain({ credential: "connect", method: "POST", url, status: 403, scopes: ["READ"] });
    expect(lacking.findings[0].message).toBe("The app's descriptor lacks WRITE for POST /rest/api/3/issue.");
  });

  it("a Connect app calling Bitbucket: its scopes are the app's descriptor's, with or without the scopes held", async () => {
    const url = "https://api.bitbucket.org/2.0/repositories/ws/repo/pullrequests";
    // Was "… means the token lacks a scope …" here, while the check with scopes said "The app's descriptor lacks".
    const unknown = await explain({ credential: "connect", method: "GET", url, status: 403 });
    expect(unknown.findings[0]).toMatchObject({ code: "missing_scopes" });
    expect(unknown.findings[0].message).toContain("means the app's descriptor lacks a scope GET ");
    const lacking = await explain({ credential: "connect", method: "GET", url, status: 403, scopes: ["repository"] });
    expect(lacking.findings[0].message).toMatch(/^The app's descriptor lacks pullrequest for GET /);
    // The other kinds keep their words.
    const forge = await explain({ credential: "forge", method: "GET", url, status: 403 });
    expect(forge.findings.map((finding: Json) => finding.message).join(" ")).toContain("means the app lacks a scope");
    const token = await explain({ credential: "bitbucket-api-token", method: "GET", url, status: 403 });
    expect(token.findings[0].message).toContain("means the token lacks a scope");
  });

  it("scopes that suffice: what to check depends on how the credential is sent", async () => {
    const answer = await explain({
      credential: "oauth2-3lo",
      method: "GET",
      url: `${GATEWAY}/rest/api/3/myself`,
      status: 401,
      scopes: ["read:jira-user"],
      body: "Access token expired",
    });
    expect(answer.findings[0]).toMatchObject({ code: "scopes_sufficient" });
    expect(answer.findings[0].message).toContain('Atlassian said: "Access token expired"');
    expect(answer.findings[0].fix).toMatch(/^Check the access token itself: expired .* `Authorization: Bearer`/);
  });

  it("Assets on the site URL is sent to its own api.atlassian.com server, as the /ex/jira gateway note says", async () => {
    const site = "https://acme.atlassian.net/jsm/assets/workspace/w/v1/object/1";
    const answer = await explain({ method: "GET", url: site, status: 401, scopes: ["read:cmdb-object:jira"] });
    expect(answer.findings[0].details.gatewayUrl).toBe("https://api.atlassian.com/jsm/assets/workspace/w/v1/object/1");
    const lookup = await okJson(await getScopes({ path: site }));
    expect(lookup.urlNotes).toEqual([
      expect.objectContaining({
        code: "scoped_token_gateway",
        url: "https://api.atlassian.com/jsm/assets/workspace/w/v1/object/1",
        message: expect.stringContaining(
          "the workspaceId is in GET https://acme.atlassian.net/rest/servicedeskapi/assets/workspace.",
        ),
      }),
    ]);
  });
});

describe("the site URL's gateway note per credential, and the 3LO-only platform APIs", () => {
  const SITE_ISSUE = "https://acme.atlassian.net/rest/api/3/issue";

  it("a Connect app calls its site (no note); a 3LO token is told where its cloudId comes from", async () => {
    const connect = await okJson(await getScopes({ path: SITE_ISSUE, method: "POST", credential: "connect" }));
    expect(connect.urlNotes).toEqual([]);
    const threeLo = await okJson(await getScopes({ path: SITE_ISSUE, method: "POST", credential: "oauth2-3lo" }));
    expect(threeLo.urlNotes).toEqual([
      expect.objectContaining({
        code: "scoped_token_gateway",
        message: expect.stringMatching(
          /^OAuth 2\.0 \(3LO\) access tokens must call .*\/oauth\/token\/accessible-resources\.$/,
        ),
      }),
    ]);
    const plain = await okJson(await getScopes({ path: SITE_ISSUE, method: "POST" }));
    expect(plain.urlNotes[0].message).toMatch(/^Scoped API tokens/);
  });

  it("/diff: a Connect app inferred from its scopes gets a Connect app's notes, as one given (was the scoped-token note)", async () => {
    const endpoints = [`POST ${SITE_ISSUE}`];
    const inferred = await okJson(await postDiff({ scopes: ["WRITE"], endpoints }));
    expect(inferred.credential).toMatchObject({ kind: "connect", inferred: true });
    expect(inferred.results[0].urlNotes).toBeUndefined();
    const given = await okJson(await postDiff({ scopes: ["WRITE"], credential: "connect", endpoints }));
    expect(inferred.results).toEqual(given.results);
    const text = await (await postDiff({ scopes: ["WRITE"], endpoints }, { query: "?format=text" })).text();
    expect(text).not.toContain("Scoped API tokens");
    // Another credential inferred (Bitbucket's, which has no context), or none: the notes as before.
    const token = await okJson(await postDiff({ scopes: ["write:jira-work"], endpoints }));
    expect(token.results[0].urlNotes.map((note: Json) => note.code)).toEqual(["scoped_token_gateway"]);
    // The admin API's token list: each token its own notes.
    const both = await okJson(
      await postDiff({
        scopes: [
          { label: "app", scopes: ["WRITE"] },
          { label: "token", scopes: ["write:jira-work"] },
        ],
        endpoints,
      }),
    );
    expect(both.tokens.map((answer: Json) => answer.results[0].urlNotes?.map((note: Json) => note.code))).toEqual([
      undefined,
      ["scoped_token_gateway"],
    ]);
  });

  it("GET /me and accessible-resources are for 3LO access tokens only", async () => {
    const endpoints = [
      "GET https://api.atlassian.com/me",
      "GET https://api.atlassian.com/oauth/token/accessible-resources",
    ];
    const forge = await okJson(await post("/plan", { endpoints, credential: "forge" }));
    expect(forge.scopes).toEqual([]);
    expect(forge.unusable.map((item: Json) => item.path)).toEqual(["/me", "/oauth/token/accessible-resources"]);
    expect(forge.withoutScopes).toEqual([]);
    const threeLo = await okJson(await post("/plan", { endpoints, credential: "oauth2-3lo" }));
    expect(threeLo.scopes).toEqual(["read:me"]);
    expect(threeLo.withoutScopes.map((item: Json) => item.path)).toEqual(["/oauth/token/accessible-resources"]);
    const connect = await okJson(
      await postDiff({ scopes: ["READ"], credential: "connect", endpoints: [endpoints[1]] }),
    );
    expect(connect.results[0]).toMatchObject({ satisfied: false, unusable: expect.stringMatching(/3LO/) });
    const text = await (
      await postDiff({ scopes: ["READ"], credential: "connect", endpoints: [endpoints[1]] }, { query: "?format=text" })
    ).text();
    expect(text).toMatch(/^CANNOT {2}GET \/oauth\/token\/accessible-resources {2}Atlassian's OAuth 2\.0 pages/m);
    expect(text).not.toContain("hint: Atlassian's OAuth 2.0 pages");
  });
});
