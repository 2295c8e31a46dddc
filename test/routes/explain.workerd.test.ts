/** POST /explain inside workerd, answered from the bundled snapshot (KV is empty in this file). */
import {
  CLOUD_ID,
  ORIGIN,
  SNAPSHOT_VERSION,
  expectError,
  get,
  okJson,
  resetCatalogCache,
  type Json,
} from "../helpers/worker";
import { exports } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";

const BOARD = "/rest/agile/1.0/board";
const SITE_BOARD = `https://acme.atlassian.net${BOARD}`;
const GATEWAY = `https://api.atlassian.com/ex/jira/${CLOUD_ID}`;
const MISMATCH = '{"code":401,"message":"Unauthorized; scope does not match"}';
const BOARD_DOCS =
  "https://developer.atlassian.com/cloud/jira/software/rest/api-group-board/#api-rest-agile-1-0-board-get";

/** The case this project exists for, as the user reports it. */
const MISSION = {
  method: "GET",
  url: SITE_BOARD,
  status: 401,
  body: MISMATCH,
  scopes: ["read:board-scope.admin:jira-software", "read:board-scope:jira-software"],
};

/**
 * A client address of its own for every request: the POST rate limit (120 a minute per address, emulated
 * by miniflare) is not under test here, and this file must not share a bucket with other files.
 */
let client = 0;
const clientAddress = () => `203.0.113.${(client++ % 250) + 1}`;

function postExplain(
  body: unknown,
  options: { query?: string; contentType?: string | null; headers?: Record<string, string> } = {},
): Promise<Response> {
  const headers: Record<string, string> = { "cf-connecting-ip": clientAddress(), ...options.headers };
  const contentType = options.contentType === undefined ? "application/json" : options.contentType;
  if (contentType !== null) headers["content-type"] = contentType;
  return exports.default.fetch(
    new Request(`${ORIGIN}/explain${options.query ?? ""}`, {
      method: "POST",
      headers,
      body: typeof body === "string" ? body : JSON.stringify(body),
    }),
  );
}

const explain = async (body: unknown, options?: { query?: string }): Promise<Json> =>
  okJson(await postExplain(body, options));
const codes = (answer: Json): string[] => answer.findings.map((finding: Json) => finding.code);

beforeAll(async () => {
  // Whatever another file left in this isolate's catalog cache, this file answers from the snapshot.
  resetCatalogCache();
  // The first request loads the worker and builds the snapshot's index: seconds, not a test's 5.
  await (await get("/health")).arrayBuffer();
}, 30_000);

describe("POST /explain", () => {
  it("the mission case: the site URL first, then the one missing scope", async () => {
    const answer = await explain(MISSION);
    expect(answer.catalog).toMatchObject({ version: SNAPSHOT_VERSION, source: "snapshot" });
    expect(answer.endpoints).toEqual([{ product: "jira-software", method: "GET", path: BOARD, docsUrl: BOARD_DOCS }]);
    expect(codes(answer)).toEqual(["wrong_host", "missing_scopes"]);
    expect(answer.findings[0]).toEqual({
      code: "wrong_host",
      message:
        "Scoped API tokens are not accepted on acme.atlassian.net; they only work through Atlassian's API gateway.",
      fix: 'Call https://api.atlassian.com/ex/jira/{cloudId}/rest/agile/1.0/board with the same credentials. Your cloudId is the "cloudId" in https://acme.atlassian.net/_edge/tenant_info. There the token needs one of: read:board-scope:jira-software + read:project:jira (granular).',
      details: {
        gatewayUrl: "https://api.atlassian.com/ex/jira/{cloudId}/rest/agile/1.0/board",
        tenantInfo: "https://acme.atlassian.net/_edge/tenant_info",
      },
    });
    expect(answer.findings[1]).toEqual({
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

  it("the same call on the gateway: only the missing scope", async () => {
    const answer = await explain({ ...MISSION, url: `${GATEWAY}${BOARD}` });
    expect(codes(answer)).toEqual(["missing_scopes"]);
    expect(answer.findings[0].details.missing).toEqual(["read:project:jira"]);
  });

  it("offline_access among the scopes reads the token as a 3LO app's: the site URL's finding speaks of 3LO tokens", async () => {
    const answer = await explain({
      method: "GET",
      url: "https://acme.atlassian.net/rest/api/3/myself",
      status: 401,
      scopes: ["read:jira-user", "offline_access"],
    });
    expect(answer.credential).toMatchObject({ kind: "oauth2-3lo", inferred: true });
    const wrongHost = answer.findings.find((finding: { code: string }) => finding.code === "wrong_host");
    expect(wrongHost.message).toMatch(/^OAuth 2\.0 \(3LO\) access tokens are not accepted/);
    expect(wrongHost.fix).toContain("accessible-resources");
  });

  it("with the scopes it needs, on the gateway: scopes_sufficient", async () => {
    const answer = await explain({
      method: "GET",
      url: `${GATEWAY}${BOARD}`,
      status: 401,
      scopes: "read:board-scope:jira-software, read:project:jira",
    });
    expect(codes(answer)).toEqual(["scopes_sufficient"]);
    expect(answer.findings[0].message).toBe(
      "These scopes satisfy GET /rest/agile/1.0/board (via read:board-scope:jira-software + read:project:jira), so the 401 is not about scopes.",
    );
  });

  it("a classic scope on a Jira Software endpoint: the granular set it needs", async () => {
    const answer = await explain({
      method: "GET",
      url: `${GATEWAY}${BOARD}`,
      status: 401,
      body: MISMATCH,
      scopes: ["read:jira-work"],
    });
    expect(codes(answer)).toEqual(["missing_scopes", "classic_not_supported"]);
    expect(answer.findings[1]).toEqual({
      code: "classic_not_supported",
      message: "Jira Software has no classic scopes: read:jira-work cannot authorize GET /rest/agile/1.0/board.",
      fix: "Add the granular scopes it needs: read:board-scope:jira-software + read:project:jira.",
    });
  });

  it("classic_not_supported names a real classic scope the registry holds, and no typo", async () => {
    const answer = await explain({
      method: "GET",
      url: `${GATEWAY}${BOARD}`,
      status: 401,
      body: MISMATCH,
      scopes: ["read:jira-wrok", "manage:jira-data-provider"],
    });
    expect(codes(answer)).toContain("unknown_scopes");
    expect(answer.findings.find((finding: Json) => finding.code === "classic_not_supported")?.message).toBe(
      "Jira Software has no classic scopes: manage:jira-data-provider cannot authorize GET /rest/agile/1.0/board.",
    );
  });

  it("a 403: the scope check passed, product permissions refused", async () => {
    const answer = await explain({ method: "GET", url: `${GATEWAY}/rest/api/3/issue/ABC-1`, status: 403 });
    expect(answer.endpoints.map((endpoint: Json) => `${endpoint.method} ${endpoint.path}`)).toEqual([
      "GET /rest/api/3/issue/{issueIdOrKey}",
    ]);
    expect(answer.findings).toEqual([
      {
        code: "scope_check_passed",
        message:
          "A 403 means the token's scopes were accepted for GET /rest/api/3/issue/{issueIdOrKey}; the product's permissions refused the call. Scopes never override Jira or Confluence permissions.",
        fix: "Grant the account (or service account) the product permission the operation needs, e.g. Browse projects or the project role, on that project or space.",
      },
    ]);
  });

  it("a 404 with the site symptom: wrong_host", async () => {
    const answer = await explain({
      method: "GET",
      url: "https://acme.atlassian.net/rest/api/3/issue/ABC-1",
      status: 404,
      body: { errorMessages: ["Issue does not exist or you do not have permission to see it."], errors: {} },
    });
    expect(codes(answer)).toEqual(["wrong_host", "resource_not_visible"]);
    expect(answer.findings[0].details.gatewayUrl).toBe(
      "https://api.atlassian.com/ex/jira/{cloudId}/rest/api/3/issue/ABC-1",
    );
  });

  it("takes the response body as a JSON object, as it would as text", async () => {
    const asObject = await explain({
      method: "GET",
      url: `${GATEWAY}${BOARD}`,
      status: 401,
      body: { code: 401, message: "Unauthorized; scope does not match" },
    });
    const asText = await explain({ method: "GET", url: `${GATEWAY}${BOARD}`, status: 401, body: MISMATCH });
    expect(asObject.findings).toEqual(asText.findings);
    expect(asObject.findings).toEqual([
      {
        code: "missing_scopes",
        message:
          'A 401 with "scope does not match" means the token lacks a scope GET /rest/agile/1.0/board needs. It needs one of: read:board-scope:jira-software + read:project:jira (granular).',
        fix: "Create a token with one of these sets (tokens' scopes cannot be changed), or send your token's scopes in `scopes` to get the exact missing ones.",
        details: {
          alternatives: [
            { kind: "granular", state: "Current", scopes: ["read:board-scope:jira-software", "read:project:jira"] },
          ],
        },
      },
    ]);
    // On the site, the object body is what tells a scoped token's 401 from any other.
    const onSite = await explain({
      method: "GET",
      url: SITE_BOARD,
      status: 401,
      body: { code: 401, message: "Unauthorized; scope does not match" },
    });
    expect(codes(onSite)).toEqual(["wrong_host", "missing_scopes"]);
    expect(codes(await explain({ method: "GET", url: SITE_BOARD, status: 401 }))).toEqual(["wrong_host"]);
  });

  it("an endpoint without published scopes, one the catalog does not know, and a 200", async () => {
    expect(
      codes(await explain({ method: "GET", url: `${GATEWAY}/rest/api/3/serverInfo`, status: 401, body: MISMATCH })),
    ).toEqual(["no_published_scopes"]);
    const unknown = await explain({
      method: "GET",
      url: `${GATEWAY}/rest/agile/1.0/boards`,
      status: 401,
      scopes: ["read:board-scope:jira"],
    });
    expect(unknown.endpoints).toEqual([]);
    expect(codes(unknown)).toEqual(["endpoint_unknown", "unknown_scopes"]);
    expect(unknown.findings[0].details.suggestions[0]).toBe(BOARD);
    expect(unknown.findings[1].fix).toBe("read:board-scope:jira → read:board-scope:jira-software?");
    expect(codes(await explain({ method: "GET", url: `${GATEWAY}${BOARD}`, status: 200 }))).toEqual(["not_an_error"]);
  });

  it("text: numbered findings with their fixes, then the catalog version", async () => {
    const response = await postExplain(MISSION, { query: "?format=text" });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/plain/);
    expect(await response.text()).toBe(
      [
        "1. [wrong_host] Scoped API tokens are not accepted on acme.atlassian.net; they only work through Atlassian's API gateway.",
        '   fix: Call https://api.atlassian.com/ex/jira/{cloudId}/rest/agile/1.0/board with the same credentials. Your cloudId is the "cloudId" in https://acme.atlassian.net/_edge/tenant_info. There the token needs one of: read:board-scope:jira-software + read:project:jira (granular).',
        "2. [missing_scopes] The token lacks read:project:jira for GET /rest/agile/1.0/board.",
        "   fix: Create a token that also has read:project:jira (a token's scopes cannot be edited after creation).",
        `catalog ${SNAPSHOT_VERSION}`,
        "",
      ].join("\n"),
    );
  });

  it("text with nothing to say says so", async () => {
    const response = await postExplain(
      { method: "GET", url: `${GATEWAY}${BOARD}`, status: 408 },
      { headers: { accept: "text/plain" } },
    );
    expect(await response.text()).toBe(
      `No finding: nothing in the catalog explains this status for this endpoint.\ncatalog ${SNAPSHOT_VERSION}\n`,
    );
  });
});

describe("POST /explain: Bitbucket OAuth 2.0 (classic) scopes", () => {
  it("a 401 on GET a repository with repository:write (which implies repository) is not about scopes", async () => {
    const answer = await explain({
      method: "GET",
      url: "https://api.bitbucket.org/2.0/repositories/my-team/my-repo",
      status: 401,
      scopes: ["repository:write"],
    });
    expect(codes(answer)).toEqual(["scopes_sufficient"]);
    expect(answer.findings[0].message).toBe(
      "These scopes satisfy GET /2.0/repositories/{workspace}/{repo_slug} (via repository), so the 401 is not about scopes.",
    );
  });
});

describe("POST /explain: errors", () => {
  it("a missing method, url or status: 400 invalid_request naming the field", async () => {
    const cases: [string, string][] = [
      ["method", "method: `method` is required: the HTTP method of the failed call, e.g. GET"],
      ["url", "url: `url` is required: the URL (or path) the failed call went to"],
      ["status", "status: `status` is required: the HTTP status the call got, e.g. 401"],
    ];
    for (const [field, message] of cases) {
      const body: Record<string, unknown> = { ...MISSION };
      delete body[field];
      const error = await expectError(await postExplain(body), 400, "invalid_request");
      expect(error.message, field).toBe(message);
      expect(error.details.issues[0].path).toBe(field);
    }
  });

  it("an empty or overlong method or url: 400 saying which, not that it is missing", async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ method: "" }, "method: `method` is empty: give the HTTP method of the failed call, e.g. GET"],
      [{ method: "G".repeat(11) }, "method: `method` is longer than any HTTP method (10 characters at most), e.g. GET"],
      [{ url: "" }, "url: `url` is empty: give the URL (or path) the failed call went to"],
      [
        { url: `/rest/api/3/issue/${"x".repeat(4096)}` },
        "url: `url` is longer than 4,096 characters: give the URL the failed call went to, without its body",
      ],
    ];
    for (const [change, message] of cases) {
      const error = await expectError(await postExplain({ ...MISSION, ...change }), 400, "invalid_request");
      expect(error.message).toBe(message);
    }
  });

  it("a status outside 100-599 or not an integer: 400", async () => {
    for (const status of [700, 99, 0]) {
      const error = await expectError(await postExplain({ ...MISSION, status }), 400, "invalid_request");
      expect(error.message, String(status)).toBe("status: `status` must be an HTTP status from 100 to 599");
    }
    const fractional = await expectError(await postExplain({ ...MISSION, status: 401.5 }), 400, "invalid_request");
    expect(fractional.message).toMatch(/^status: /);
    const text = await expectError(await postExplain({ ...MISSION, status: "unauthorized" }), 400, "invalid_request");
    expect(text.message).toBe(
      "status: `status` must be an HTTP status such as 401 (a number, or its three digits as a string)",
    );
    const missing = await expectError(await postExplain({ ...MISSION, status: undefined }), 400, "invalid_request");
    expect(missing.message).toBe("status: `status` is required: the HTTP status the call got, e.g. 401");
  });

  it('a status given as the string "401" means 401', async () => {
    const response = await postExplain({ ...MISSION, status: "401" });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { findings: { code: string }[] };
    expect(body.findings.map((finding) => finding.code)).toContain("missing_scopes");
  });

  // The body schema admits token lists only so that they get this pointer rather than zod's generic refusal.
  it("scopes as a token list: 400 invalid_scopes pointing at POST /diff", async () => {
    for (const scopes of [
      [{ id: "7b1c", label: "bot", scopes: ["read:jira-work"] }],
      { data: [{ id: "1", scopes: ["read:jira-work"] }] },
    ]) {
      const error = await expectError(await postExplain({ ...MISSION, scopes }), 400, "invalid_scopes");
      expect(error.message).toBe("`scopes` must be one token's scope list here; use POST /diff for a list of tokens.");
    }
  });

  it("malformed scopes: 400", async () => {
    await expectError(await postExplain({ ...MISSION, scopes: [1, 2] }), 400, "invalid_request");
    const long = await expectError(await postExplain({ ...MISSION, scopes: ["x".repeat(201)] }), 400, "invalid_scopes");
    expect(long.message).toBe("`scopes` holds a 201-character value; scope names are at most 200 characters.");
  });

  it("a body that is not JSON: 415 unsupported_media_type", async () => {
    for (const contentType of ["text/plain", "application/x-www-form-urlencoded", null]) {
      const body = contentType === null ? new TextEncoder().encode(JSON.stringify(MISSION)) : JSON.stringify(MISSION);
      const headers: Record<string, string> = {
        "cf-connecting-ip": clientAddress(),
        ...(contentType === null ? {} : { "content-type": contentType }),
      };
      const response = await exports.default.fetch(new Request(`${ORIGIN}/explain`, { method: "POST", headers, body }));
      const error = await expectError(response, 415, "unsupported_media_type");
      expect(error.message, String(contentType)).toBe(
        "Send the body as JSON with Content-Type: application/json (curl: -H 'content-type: application/json').",
      );
    }
  });

  it("a 401 on the curated 3LO endpoints: accessible-resources needs no scope, so the token itself; /me a 3LO token's fix", async () => {
    // Was "No finding" for accessible-resources, and a scoped token's "create a token" for /me.
    const sites = await explain({
      method: "GET",
      url: "https://api.atlassian.com/oauth/token/accessible-resources",
      status: 401,
    });
    expect(codes(sites)).toEqual(["scopes_sufficient"]);
    expect(sites.findings[0].message).toContain("needs no scope");
    expect(sites.findings[0].fix).toContain("access tokens last an hour");
    const me = await explain({ method: "GET", url: "https://api.atlassian.com/me", status: 401 });
    expect(codes(me)).toEqual(["missing_scopes"]);
    expect(me.findings[0].fix).toMatch(
      /^Of the credentials that hold these scopes, only `oauth2-3lo` can call it\. Add read:me to the app's permissions/,
    );
    expect(me.findings[0].details.credential).toBeUndefined();
    // A credential that cannot call it is told the one kind that can (was "a credential that can hold one of its scope sets": it has none).
    const refused = await explain({
      method: "GET",
      url: "https://api.atlassian.com/oauth/token/accessible-resources",
      status: 401,
      credential: "scoped-api-token",
    });
    expect(codes(refused)).toEqual(["credential_cannot_call"]);
    expect(refused.findings[0].fix).toBe("Call it with credential `oauth2-3lo`, the only kind that can.");
    // A credential given keeps its own fix.
    const given = await explain({
      method: "GET",
      url: "https://api.atlassian.com/me",
      status: 401,
      credential: "oauth2-3lo",
    });
    expect(given.findings[0].fix).toMatch(/^Add read:me/);
  });

  it("malformed JSON: 400 invalid_json", async () => {
    await expectError(await postExplain('{"method": "GET", "url": '), 400, "invalid_json");
  });
});
