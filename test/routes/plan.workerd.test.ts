/** POST /plan inside workerd, answered from the bundled snapshot (KV is empty in this file). */
import {
  CLOUD_ID,
  ORIGIN,
  SNAPSHOT_VERSION,
  expectError,
  get,
  okJson,
  postJson,
  resetCatalogCache,
  type Json,
} from "../helpers/worker";
import { exports } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";

const BOARD = "/rest/agile/1.0/board";
const ISSUE = "/rest/api/3/issue/{issueIdOrKey}";
const PULLREQUESTS = "/2.0/repositories/{workspace}/{repo_slug}/pullrequests";
const GATEWAY = `https://api.atlassian.com/ex/jira/${CLOUD_ID}`;
const JSW_NOTE = "Jira Software has no classic scopes, so its endpoints always add granular scopes.";

/** The mission endpoint plus creating and reading an issue: the least-privilege set is the classic pair plus the board's two granular scopes. */
const MISSION = [{ method: "GET", path: BOARD }, "POST /rest/api/3/issue", `GET ${GATEWAY}/rest/api/3/issue/ABC-1`];
const MISSION_SCOPES = ["read:board-scope:jira-software", "read:jira-work", "read:project:jira", "write:jira-work"];

/**
 * A client address of its own for every request: the POST rate limit (120 a minute per address, emulated
 * by miniflare) is not under test here, and this file must not share a bucket with other files.
 */
let client = 0;
const clientAddress = () => `198.51.100.${(client++ % 250) + 1}`;

function postPlan(body: unknown, options: { query?: string; contentType?: string | null } = {}): Promise<Response> {
  const headers: Record<string, string> = { "cf-connecting-ip": clientAddress() };
  const contentType = options.contentType === undefined ? "application/json" : options.contentType;
  if (contentType !== null) headers["content-type"] = contentType;
  return exports.default.fetch(
    new Request(`${ORIGIN}/plan${options.query ?? ""}`, {
      method: "POST",
      headers,
      body: typeof body === "string" ? body : JSON.stringify(body),
    }),
  );
}

const plan = async (body: unknown, options?: { query?: string; contentType?: string | null }): Promise<Json> =>
  okJson(await postPlan(body, options));
const planned = (answer: Json) =>
  answer.endpoints.map(
    (endpoint: Json) => `${endpoint.method} ${endpoint.path} <- ${endpoint.chosen.scopes.join(" + ")}`,
  );

const harEntry = (method: string, url: string) => ({
  startedDateTime: "2026-11-30T03:00:00.000Z",
  request: { method, url, headers: [] },
  response: { status: 200 },
});

beforeAll(async () => {
  // Whatever another file left in this isolate's catalog cache, this file answers from the snapshot.
  resetCatalogCache();
  // The first request loads the worker and builds the snapshot's index: seconds, not a test's 5.
  await (await get("/health")).arrayBuffer();
}, 30_000);

/** Who can hold a token of Jira scopes (src/catalog/credentials.ts). */
const JIRA_CREDENTIALS = ["oauth2-3lo", "forge", "scoped-api-token"];

describe("POST /plan: JSON endpoints", () => {
  it("plans the smallest set for objects and strings: board + create issue + get issue", async () => {
    const answer = await plan({ endpoints: MISSION });
    expect(answer.catalog).toMatchObject({ version: SNAPSHOT_VERSION, source: "snapshot" });
    expect(answer).toMatchObject({
      prefer: "fewest",
      maxScopes: 50,
      scopes: MISSION_SCOPES,
      fitsMaxScopes: true,
      optimal: true,
      lowerBound: 4,
      withoutScopes: [],
      unmatched: [],
      ignored: 0,
      tokens: null,
      tokensOptimal: null,
      notes: [JSW_NOTE],
    });
    expect(answer.endpoints).toEqual([
      {
        input: { method: "GET", path: BOARD },
        product: "jira-software",
        method: "GET",
        path: BOARD,
        chosen: { kind: "granular", state: "Current", scopes: ["read:board-scope:jira-software", "read:project:jira"] },
      },
      {
        input: { method: "POST", path: "/rest/api/3/issue" },
        product: "jira",
        method: "POST",
        path: "/rest/api/3/issue",
        chosen: { kind: "classic", state: "Current", scopes: ["write:jira-work"] },
      },
      {
        input: { method: "GET", path: `${GATEWAY}/rest/api/3/issue/ABC-1` },
        product: "jira",
        method: "GET",
        path: ISSUE,
        chosen: { kind: "classic", state: "Current", scopes: ["read:jira-work"] },
      },
    ]);
  });

  it("a path without a method is planned as GET, and the notes say so: no write scope creeps in (issue 12)", async () => {
    const answer = await plan({ endpoints: [{ path: BOARD }] });
    expect(planned(answer)).toEqual([`GET ${BOARD} <- read:board-scope:jira-software + read:project:jira`]);
    expect(answer.endpoints[0].input).toEqual({ method: null, path: BOARD });
    expect(answer.scopes).toEqual(["read:board-scope:jira-software", "read:project:jira"]);
    expect(answer.notes).toContain(
      `Given without a method, \`${BOARD}\` is planned as GET: a bare URL never adds write or delete scopes. Write \`POST <url>\` for another method.`,
    );
  });

  it("a bare URL whose template takes no GET is refused in `unmatched`, saying GET was assumed", async () => {
    const answer = await plan({ endpoints: ["/rest/api/3/issue"] });
    expect(answer.endpoints).toEqual([]);
    expect(answer.unmatched).toEqual([
      {
        input: { method: null, path: "/rest/api/3/issue" },
        error: {
          code: "method_not_found",
          message:
            "/rest/api/3/issue exists, but not with GET; it takes POST. No method was given, so GET was assumed: give the method (`POST /rest/api/3/issue`).",
          details: { path: "/rest/api/3/issue", methods: ["POST"] },
        },
      },
    ]);
  });

  it("`prefer` breaks a tie between equally small sets", async () => {
    const endpoints = [`GET https://api.bitbucket.org/2.0/repositories/ws/repo/pullrequests`];
    const fewest = await plan({ endpoints });
    const granular = await plan({ endpoints, prefer: "granular" });
    const classic = await plan({ endpoints, prefer: "classic" });
    expect(fewest.scopes).toEqual(["pullrequest"]); // ties go to the first alternative: classic
    expect(granular.scopes).toEqual(["read:pullrequest:bitbucket"]);
    expect(granular.prefer).toBe("granular");
    expect(granular.endpoints[0].chosen).toEqual({
      kind: "granular",
      state: "Current",
      scopes: ["read:pullrequest:bitbucket"],
    });
    expect(classic.scopes).toEqual(["pullrequest"]);
    expect(planned(granular)).toEqual([`GET ${PULLREQUESTS} <- read:pullrequest:bitbucket`]);
  });

  it("`prefer` in any case, in the body or the query (was 400 for Granular)", async () => {
    const endpoints = [`GET https://api.bitbucket.org/2.0/repositories/ws/repo/pullrequests`];
    const granular = await plan({ endpoints, prefer: "Granular" });
    expect(granular.prefer).toBe("granular");
    expect(granular.scopes).toEqual(["read:pullrequest:bitbucket"]);
    expect((await plan({ endpoints }, { query: "?prefer=GRANULAR" })).scopes).toEqual(["read:pullrequest:bitbucket"]);
    const error = await expectError(await postPlan({ endpoints, prefer: "granulr" }), 400, "invalid_request");
    expect(error.message).toContain('not "granulr"; did you mean granular?');
  });

  it("400 invalid_request for an empty endpoint line, as /diff (it was skipped)", async () => {
    const error = await expectError(
      await postPlan({ endpoints: ["GET /rest/api/3/myself", ""] }),
      400,
      "invalid_request",
    );
    expect(error.message).toBe("endpoints.1: an endpoint is empty: give `METHOD URL`, or just a URL");
  });

  it("`prefer` never buys a preferred kind with more scopes", async () => {
    const answer = await plan({ endpoints: MISSION, prefer: "granular" });
    expect(answer.scopes).toEqual(MISSION_SCOPES);
    expect(answer.endpoints.map((endpoint: Json) => endpoint.chosen.kind)).toEqual(["granular", "classic", "classic"]);
  });

  it("the same endpoint asked in several forms is planned once, under its first input", async () => {
    const answer = await plan({
      endpoints: [
        `GET ${GATEWAY}/rest/api/3/issue/ABC-1`,
        "GET https://acme.atlassian.net/rest/api/3/issue/XYZ-9",
        { method: "get", path: "/rest/api/3/issue/10000" },
      ],
    });
    expect(answer.endpoints).toHaveLength(1);
    expect(answer.endpoints[0].input).toEqual({ method: "GET", path: `${GATEWAY}/rest/api/3/issue/ABC-1` });
    expect(answer.scopes).toEqual(["read:jira-work"]);
  });

  it("lists endpoints without published scopes apart, and unmatched inputs with the lookup's error", async () => {
    const answer = await plan({
      endpoints: [
        "GET /rest/api/3/serverInfo",
        "GET /rest/agile/1.0/boards",
        "PATCH /rest/agile/1.0/board",
        `GET ${BOARD}`,
      ],
    });
    expect(answer.scopes).toEqual(["read:board-scope:jira-software", "read:project:jira"]);
    expect(planned(answer)).toEqual([`GET ${BOARD} <- read:board-scope:jira-software + read:project:jira`]);
    expect(answer.withoutScopes).toEqual([
      {
        product: "jira",
        method: "GET",
        path: "/rest/api/3/serverInfo",
        docsUrl:
          "https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-server-info/#api-rest-api-3-serverinfo-get",
      },
    ]);
    expect(answer.unmatched.map((item: Json) => [item.input, item.error.code])).toEqual([
      [{ method: "GET", path: "/rest/agile/1.0/boards" }, "endpoint_not_found"],
      [{ method: "PATCH", path: "/rest/agile/1.0/board" }, "method_not_found"],
    ]);
    expect(answer.unmatched[0].error.details.suggestions[0]).toBe(BOARD);
    expect(answer.unmatched[1].error.message).toBe(
      "/rest/agile/1.0/board exists, but not with PATCH; it takes GET, POST.",
    );
  });

  it("only endpoints without scopes: an empty set that fits", async () => {
    const answer = await plan({ endpoints: ["GET /rest/api/3/serverInfo"] });
    expect(answer).toMatchObject({
      scopes: [],
      fitsMaxScopes: true,
      optimal: true,
      lowerBound: 0,
      endpoints: [],
      tokens: null,
      notes: [],
    });
    expect(answer.withoutScopes).toHaveLength(1);
  });

  it("`text` in JSON: one METHOD URL per line", async () => {
    const answer = await plan({
      text: `# the bot\nGET ${GATEWAY}${BOARD}\r\nPOST /rest/api/3/issue\n\nGET /rest/api/3/issue/ABC-1\n`,
    });
    expect(answer.scopes).toEqual(MISSION_SCOPES);
  });
});

describe("POST /plan: Bitbucket classic scopes that imply others", () => {
  const endpoints = [
    "GET /2.0/repositories/w/r",
    "POST /2.0/repositories/w/r/refs/branches",
    "POST /2.0/repositories/w/r/pullrequests",
  ];

  it("leaves out a scope another scope of the plan grants, and says which grants it", async () => {
    const answer = await plan({ endpoints, prefer: "classic" });
    expect(planned(answer)).toEqual([
      "GET /2.0/repositories/{workspace}/{repo_slug} <- repository",
      "POST /2.0/repositories/{workspace}/{repo_slug}/refs/branches <- repository:write",
      "POST /2.0/repositories/{workspace}/{repo_slug}/pullrequests <- pullrequest:write",
    ]);
    expect(answer).toMatchObject({ scopes: ["pullrequest:write"], lowerBound: 1, optimal: true });
    expect(answer.notes).toEqual([
      "`repository` is left out: `pullrequest:write` grants it (Bitbucket OAuth 2.0 scopes imply lesser ones).",
      "`repository:write` is left out: `pullrequest:write` grants it (Bitbucket OAuth 2.0 scopes imply lesser ones).",
    ]);
  });

  it("says so in text too, in the singular for one scope", async () => {
    const response = await postPlan({ endpoints, prefer: "classic" }, { query: "?format=text" });
    const text = await response.text();
    expect(text).toContain("1 scope (the smallest set), within the 50-scope cap:\n  paste: pullrequest:write\n");
    expect(text).toContain("note: `repository:write` is left out: `pullrequest:write` grants it");
  });

  it("keeps a lesser scope when nothing in the plan grants it", async () => {
    const answer = await plan({ endpoints: [endpoints[0]!], prefer: "classic" });
    expect(answer).toMatchObject({ scopes: ["repository"], notes: [] });
  });

  it("over the cap, an endpoint whose scope another token's grants joins that token (was a token of its own)", async () => {
    // 2 scopes in all once folded (pullrequest grants repository): 2 tokens of 1, not 3 with `repository` alone.
    const answer = await plan({
      endpoints: [
        "GET /2.0/repositories/w/r/pullrequests",
        "GET /2.0/repositories/w/r",
        "GET /2.0/repositories/w/r/issues",
      ],
      maxScopes: 1,
      prefer: "classic",
    });
    expect(answer.scopes).toEqual(["issue", "pullrequest"]);
    expect(answer.tokens.map((token: Json) => [token.scopes, token.endpoints.length])).toEqual([
      [["pullrequest"], 2],
      [["issue"], 1],
    ]);
    expect(answer.unfit).toBeUndefined();
    const text = await (
      await postPlan(
        {
          endpoints: [
            "GET /2.0/repositories/w/r/pullrequests",
            "GET /2.0/repositories/w/r",
            "GET /2.0/repositories/w/r/issues",
          ],
          maxScopes: 1,
          prefer: "classic",
        },
        { query: "?format=text" },
      )
    ).text();
    expect(text).toContain("2 scopes in all: over the 1-scope cap, so 2 tokens:");
  });
});

describe("POST /plan: text/plain body", () => {
  it("plans the lines, with prefer and maxScopes from the query", async () => {
    const body = `GET ${GATEWAY}${BOARD}\nPOST /rest/api/3/issue\nGET /rest/api/3/issue/ABC-1\n`;
    const answer = await plan(body, {
      contentType: "text/plain; charset=utf-8",
      query: "?prefer=classic&maxScopes=10",
    });
    expect(answer).toMatchObject({ prefer: "classic", maxScopes: 10, scopes: MISSION_SCOPES, fitsMaxScopes: true });
    const granular = await plan("GET https://api.bitbucket.org/2.0/repositories/ws/repo/pullrequests", {
      contentType: "text/plain",
      query: "?prefer=granular",
    });
    expect(granular.scopes).toEqual(["read:pullrequest:bitbucket"]);
  });

  it("JSON fields win over the query", async () => {
    const answer = await plan(
      {
        endpoints: ["GET https://api.bitbucket.org/2.0/repositories/ws/repo/pullrequests"],
        prefer: "granular",
        maxScopes: 7,
      },
      { query: "?prefer=classic&maxScopes=3" },
    );
    expect(answer).toMatchObject({ prefer: "granular", maxScopes: 7, scopes: ["read:pullrequest:bitbucket"] });
  });
});

describe("POST /plan: pasted request lines", () => {
  it("reads a method after the URL, request lines with HTTP/1.1, quoted lines and curl commands", async () => {
    // Each was misread: PUT into {issueIdOrKey} (planned as GET), "HTTP/1.1" as a segment, CURL as a method.
    const text = [
      "/rest/api/3/issue/ABC-1 PUT",
      "GET https://acme.atlassian.net/rest/api/3/myself HTTP/1.1",
      '"GET /rest/api/3/issue/ABC-1/comment"',
      "curl -X DELETE https://acme.atlassian.net/rest/api/3/issue/ABC-1 -H 'Accept: application/json'",
      `curl -s 'https://acme.atlassian.net/rest/api/3/issue' -H 'Content-Type: application/json' --data '{"fields":{}}'`,
    ].join("\n");
    const body = await plan(text, { contentType: "text/plain" });
    expect(body.unmatched).toEqual([]);
    expect(body.endpoints.map((item: Json) => `${item.method} ${item.path}`)).toEqual([
      `PUT ${ISSUE}`,
      "GET /rest/api/3/myself",
      "GET /rest/api/3/issue/{issueIdOrKey}/comment",
      `DELETE ${ISSUE}`,
      "POST /rest/api/3/issue",
    ]);
  });

  it("two different methods on a line, or a raw space in the path, are that line's 400-coded error", async () => {
    const body = await plan({
      endpoints: [
        "GET /rest/api/3/issue/ABC-1 DELETE",
        { method: "GET", path: "/rest/api/3/issue/ABC-1 PUT" },
        "/rest/api/3/issue/AB C",
        BOARD,
      ],
    });
    expect(body.endpoints.map((item: Json) => `${item.method} ${item.path}`)).toEqual([`GET ${BOARD}`]);
    expect(body.unmatched.map((item: Json) => [item.error.code, item.error.message])).toEqual([
      [
        "invalid_request",
        "GET and DELETE are both given as the method of /rest/api/3/issue/ABC-1: give one (`DELETE /rest/api/3/issue/ABC-1`).",
      ],
      [
        "invalid_request",
        "GET and PUT are both given as the method of /rest/api/3/issue/ABC-1: give one (`PUT /rest/api/3/issue/ABC-1`).",
      ],
      ["invalid_path", expect.stringContaining('`path` has a space in "AB C"')],
    ]);
  });
});

describe("POST /plan: a JSON object sent as text/plain", () => {
  const har = {
    log: {
      entries: [
        { request: { method: "GET", url: "https://acme.atlassian.net/rest/api/3/myself" } },
        { request: { method: "POST", url: "https://acme.atlassian.net/rest/api/3/issue" } },
        { request: { method: "GET", url: "https://cdn.example.com/app.js" } },
      ],
    },
  };

  it("a HAR, pretty or on one line, is read as the HAR", async () => {
    // Was one endpoint line per JSON line (too_many_endpoints), or the whole HAR as one path, echoed three times.
    for (const body of [JSON.stringify(har, null, 2), `\n ${JSON.stringify(har)}`]) {
      const answer = await plan(body, { contentType: "text/plain" });
      expect(answer.endpoints.map((item: Json) => `${item.method} ${item.path}`)).toEqual([
        "GET /rest/api/3/myself",
        "POST /rest/api/3/issue",
      ]);
      expect(answer.ignored).toBe(1);
    }
  });

  it("the plan request itself, its fields winning over the query", async () => {
    const answer = await plan(JSON.stringify({ endpoints: [`GET ${BOARD}`], prefer: "granular" }), {
      contentType: "text/plain",
      query: "?prefer=classic",
    });
    expect(answer.prefer).toBe("granular");
    expect(answer.endpoints).toHaveLength(1);
  });

  it("400 invalid_json when it does not parse; 400 invalid_request when it is no plan request", async () => {
    const broken = await expectError(await postPlan('{"log": ', { contentType: "text/plain" }), 400, "invalid_json");
    expect(broken.message).toContain("Content-Type: application/json");
    await expectError(
      await postPlan('{"maxScopes": 0, "text": "GET /x"}', { contentType: "text/plain" }),
      400,
      "invalid_request",
    );
  });

  it("a huge line is quoted by its ends in the text answer, not whole", async () => {
    const line = `/rest/api/3/x${"/a".repeat(2000)}`;
    const text = await (await postPlan(line, { contentType: "text/plain", query: "?format=text" })).text();
    expect(text).not.toContain(line);
    for (const row of text.split("\n")) expect(row.length).toBeLessThan(600);
  });
});

describe("POST /plan: HAR", () => {
  const entries = [
    harEntry("GET", `https://acme.atlassian.net${BOARD}?maxResults=50`),
    harEntry("GET", "https://cdn.example.com/bundle.js"),
    harEntry("GET", `https://acme.atlassian.net${BOARD}?startAt=50`),
    harEntry("POST", `${GATEWAY}/rest/api/3/issue`),
    harEntry("GET", "https://acme.atlassian.net/rest/api/3/issue/ABC-1"),
    harEntry("GET", "https://acme.atlassian.net/rest/api/3/issue/ABC-2"),
    harEntry("GET", "https://www.google-analytics.com/g/collect"),
    harEntry("GET", `${GATEWAY}/rest/api/3/serverInfo`),
  ];

  it("a HAR document sent as the body: repeated calls planned once, other hosts counted as ignored", async () => {
    const answer = await plan({ log: { version: "1.2", creator: { name: "Firefox", version: "140" }, entries } });
    expect(answer.scopes).toEqual(MISSION_SCOPES);
    expect(planned(answer)).toEqual([
      `GET ${BOARD} <- read:board-scope:jira-software + read:project:jira`,
      "POST /rest/api/3/issue <- write:jira-work",
      `GET ${ISSUE} <- read:jira-work`,
    ]);
    expect(answer.endpoints[0].input).toEqual({
      method: "GET",
      path: `https://acme.atlassian.net${BOARD}?maxResults=50`,
    });
    expect(answer.withoutScopes.map((item: Json) => `${item.method} ${item.path}`)).toEqual([
      "GET /rest/api/3/serverInfo",
    ]);
    expect(answer.ignored).toBe(2);
    expect(answer.unmatched).toEqual([]);
  });

  it("the same in a `har` field, as a full document, its `log` or its entries, with prefer alongside", async () => {
    for (const har of [{ log: { entries } }, { entries }, entries]) {
      const answer = await plan({ har, prefer: "granular" });
      expect(answer.scopes, JSON.stringify(har).slice(0, 40)).toEqual(MISSION_SCOPES);
      expect(answer.ignored).toBe(2);
      expect(answer.prefer).toBe("granular");
    }
  });

  it("combines a HAR with `endpoints`", async () => {
    const answer = await plan({
      endpoints: ["GET https://api.bitbucket.org/2.0/repositories/ws/repo/pullrequests"],
      har: { log: { entries: entries.slice(0, 2) } },
    });
    expect(answer.scopes).toEqual(["pullrequest", "read:board-scope:jira-software", "read:project:jira"]);
    expect(answer.ignored).toBe(1);
  });

  it("a HAR whose entries are all noise: no endpoints", async () => {
    const error = await expectError(
      await postPlan({ log: { entries: [harEntry("GET", "https://cdn.example.com/a.js")] } }),
      400,
      "no_endpoints",
    );
    expect(error.message).toBe(
      "Give the endpoints to plan for: `endpoints`, `text` (one METHOD URL per line) or `har` (a HAR file's log.entries).",
    );
  });

  it("a malformed HAR is a 400 invalid_har saying how to export one", async () => {
    const expected =
      '`har`: the HAR has no `log.entries` list; export it from the browser\'s network panel with "Save all as HAR".';
    for (const body of [
      { har: {} },
      { har: { log: { entries: "all of them" } } },
      { har: "HAR" },
      { log: {} },
      { log: { entries: 3 } },
    ]) {
      const error = await expectError(await postPlan(body), 400, "invalid_har");
      expect(error.message, JSON.stringify(body)).toBe(expected);
    }
  });
});

describe("POST /plan: over the scope cap", () => {
  it("maxScopes 2: tokens of at most 2 scopes that together serve every endpoint", async () => {
    const answer = await plan({ endpoints: MISSION, maxScopes: 2 });
    expect(answer).toMatchObject({ maxScopes: 2, scopes: MISSION_SCOPES, fitsMaxScopes: false, optimal: true });
    expect(answer.tokens).toEqual([
      {
        scopes: ["read:board-scope:jira-software", "read:project:jira"],
        endpoints: [`GET ${BOARD}`],
        credentials: JIRA_CREDENTIALS,
      },
      {
        scopes: ["read:jira-work", "write:jira-work"],
        endpoints: ["POST /rest/api/3/issue", `GET ${ISSUE}`],
        credentials: JIRA_CREDENTIALS,
      },
    ]);
    expect(answer.tokensOptimal).toBe(true);
    for (const token of answer.tokens) expect(token.scopes.length).toBeLessThanOrEqual(2);
    // Every planned endpoint is served by exactly one token, which holds its chosen scopes.
    const served = answer.tokens.flatMap((token: Json) => token.endpoints);
    expect([...served].sort()).toEqual(
      answer.endpoints.map((endpoint: Json) => `${endpoint.method} ${endpoint.path}`).sort(),
    );
    for (const endpoint of answer.endpoints) {
      const token = answer.tokens.find((item: Json) => item.endpoints.includes(`${endpoint.method} ${endpoint.path}`));
      for (const scope of endpoint.chosen.scopes) expect(token.scopes).toContain(scope);
    }
    expect(answer.notes).toEqual(["4 scopes exceed the 2-scope cap: the endpoints are split over 2 tokens.", JSW_NOTE]);
  });

  it("an endpoint that alone exceeds the cap is listed in `unfit` and served by no token", async () => {
    const answer = await plan({ endpoints: MISSION, maxScopes: 1 });
    expect(answer.fitsMaxScopes).toBe(false);
    expect(answer.tokens).toEqual([
      { scopes: ["write:jira-work"], endpoints: ["POST /rest/api/3/issue"], credentials: JIRA_CREDENTIALS },
      { scopes: ["read:jira-work"], endpoints: [`GET ${ISSUE}`], credentials: JIRA_CREDENTIALS },
    ]);
    expect(answer.unfit).toEqual([
      { product: "jira-software", method: "GET", path: BOARD, why: "alone it needs 2 scopes, over the 1-scope cap" },
    ]);
    expect(answer.notes).toEqual([
      "4 scopes exceed the 1-scope cap: the endpoints are split over 2 tokens, and 1 fits in none.",
      JSW_NOTE,
    ]);
    const fits = await plan({ endpoints: MISSION, maxScopes: 2 });
    expect(fits.unfit).toBeUndefined();
  });

  it("one token, and none: the notes and the text say so in words", async () => {
    const one = await plan({ endpoints: [`GET ${BOARD}`, `GET ${GATEWAY}/rest/api/3/issue/ABC-1`], maxScopes: 1 });
    expect(one.tokens).toEqual([
      { scopes: ["read:jira-work"], endpoints: [`GET ${ISSUE}`], credentials: JIRA_CREDENTIALS },
    ]);
    expect(one.notes[0]).toBe(
      "3 scopes exceed the 1-scope cap: the endpoints are split over 1 token, and 1 fits in none.",
    );
    const none = await plan({ endpoints: [`GET ${BOARD}`], maxScopes: 1 });
    expect(none.tokens).toEqual([]);
    expect(none.unfit).toEqual([
      { product: "jira-software", method: "GET", path: BOARD, why: "alone it needs 2 scopes, over the 1-scope cap" },
    ]);
    expect(none.notes).toEqual([
      "2 scopes exceed the 1-scope cap, and no endpoint fits in a token that small.",
      JSW_NOTE,
    ]);
    const text = await (
      await postPlan({ endpoints: [`GET ${BOARD}`], maxScopes: 1 }, { query: "?format=text" })
    ).text();
    expect(text.split("\n")[0]).toBe(
      "2 scopes in all: over the 1-scope cap, and no endpoint fits in a token that small.",
    );
    expect(text).toContain(`\nleft out: GET ${BOARD}: alone it needs 2 scopes, over the 1-scope cap\n`);
    const oneText = await (
      await postPlan(
        { endpoints: [`GET ${BOARD}`, `GET ${GATEWAY}/rest/api/3/issue/ABC-1`], maxScopes: 1 },
        { query: "?format=text" },
      )
    ).text();
    // The board endpoint is in no token: the headline says so, and a line names it.
    expect(oneText.split("\n")[0]).toBe(
      "3 scopes in all: over the 1-scope cap, so 1 token; 1 endpoint fits in none (left out below):",
    );
    expect(oneText).toContain(`\nleft out: GET ${BOARD}: alone it needs 2 scopes, over the 1-scope cap\n`);
  });

  it("exactly at the cap fits, with no tokens", async () => {
    const answer = await plan({ endpoints: MISSION, maxScopes: 4 });
    expect(answer).toMatchObject({ fitsMaxScopes: true, tokens: null, tokensOptimal: null });
  });

  it("text: one block per token with a paste line", async () => {
    const response = await postPlan({ endpoints: MISSION, maxScopes: 2 }, { query: "?format=text" });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/plain/);
    expect(await response.text()).toBe(
      [
        "4 scopes in all: over the 2-scope cap, so 2 tokens:",
        "token 1: 2 scopes for 1 endpoint, as oauth2-3lo | forge | scoped-api-token",
        "  paste: read:board-scope:jira-software read:project:jira",
        "  read:board-scope:jira-software",
        "  read:project:jira",
        `    serves GET ${BOARD}`,
        "token 2: 2 scopes for 2 endpoints, as oauth2-3lo | forge | scoped-api-token",
        "  paste: read:jira-work write:jira-work",
        "  read:jira-work",
        "  write:jira-work",
        "    serves POST /rest/api/3/issue",
        `    serves GET ${ISSUE}`,
        "note: 4 scopes exceed the 2-scope cap: the endpoints are split over 2 tokens.",
        `note: ${JSW_NOTE}`,
        `catalog ${SNAPSHOT_VERSION}`,
        "",
      ].join("\n"),
    );
  });
});

describe("POST /plan?format=text", () => {
  it("gives a paste line, the endpoints, what has no scopes and what was not found", async () => {
    const response = await postPlan(
      { endpoints: [...MISSION, "GET /rest/api/3/serverInfo", "GET /rest/agile/1.0/boards"] },
      { query: "?format=text" },
    );
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/plain/);
    const lines = (await response.text()).split("\n");
    expect(lines.slice(0, 10)).toEqual([
      "4 scopes (the smallest set), within the 50-scope cap:",
      `  paste: ${MISSION_SCOPES.join(" ")}`,
      ...MISSION_SCOPES.map((scope) => `  ${scope}`),
      "for:",
      `  GET ${BOARD}  <- read:board-scope:jira-software + read:project:jira (granular)`,
      "  POST /rest/api/3/issue  <- write:jira-work (classic)",
      `  GET ${ISSUE}  <- read:jira-work (classic)`,
    ]);
    expect(lines.slice(10)).toEqual([
      "no published scopes: GET /rest/api/3/serverInfo",
      expect.stringMatching(
        /^not found: GET \/rest\/agile\/1\.0\/boards: No Atlassian Cloud endpoint in the catalog matches \/rest\/agile\/1\.0\/boards\./,
      ),
      expect.stringMatching(/^ {2}nearest: \/rest\/agile\/1\.0\/board, /),
      `note: ${JSW_NOTE}`,
      `catalog ${SNAPSHOT_VERSION}`,
      "",
    ]);
  });

  it("also for a text/plain body", async () => {
    const response = await postPlan("GET https://api.bitbucket.org/2.0/repositories/ws/repo/pullrequests", {
      contentType: "text/plain",
      query: "?format=text&prefer=granular",
    });
    expect(await response.text()).toContain("  paste: read:pullrequest:bitbucket\n");
  });
});

describe("POST /plan: errors", () => {
  it("no endpoints: 400 no_endpoints, for every empty form", async () => {
    for (const body of [
      {},
      { endpoints: [] },
      { text: "" },
      { text: "# nothing\n\n" },
      { endpoints: ["  ", "# comment"] },
      { har: { log: { entries: [] } } },
    ]) {
      const error = await expectError(await postPlan(body), 400, "no_endpoints");
      expect(error.message, JSON.stringify(body)).toBe(
        "Give the endpoints to plan for: `endpoints`, `text` (one METHOD URL per line) or `har` (a HAR file's log.entries).",
      );
    }
    await expectError(await postPlan("", { contentType: "text/plain" }), 400, "no_endpoints");
    await expectError(await postPlan("# only a comment\n", { contentType: "text/plain" }), 400, "no_endpoints");
  });

  it("an endpoint object with an empty path: 400 saying so, as /diff does", async () => {
    const error = await expectError(
      await postPlan({ endpoints: [{ method: "GET", path: "" }] }),
      400,
      "invalid_request",
    );
    expect(error.message).toBe("endpoints.0.path: `path` is empty");
    const number = await expectError(await postPlan({ endpoints: [123] }), 400, "invalid_request");
    expect(number.message).toMatch(/^endpoints\.0: each endpoint is a string `METHOD URL`/);
    const one = await expectError(await postPlan({ endpoints: "GET /rest/api/3/myself" }), 400, "invalid_request");
    expect(one.message).toMatch(/lines in one string go in `text`/);
  });

  it("a line of 12,000 leading methods, or of 200,000 blanks, is one unmatched path_too_long, not a 500", async () => {
    // Was one recursion per leading method (a stack overflow near 16,000) and a regex retried from every blank.
    for (const line of [`${"GET ".repeat(12_000)}/rest/api/3/myself`, `/a${" ".repeat(200_000)}b`]) {
      const answer = await okJson(await postPlan(line, { contentType: "text/plain" }));
      expect(answer.unmatched.map((item: Json) => item.error.code)).toEqual(["path_too_long"]);
    }
  });

  it("a line that cannot be read as one call is `refused`, not `not found`, and not said to be planned as GET", async () => {
    const text = await (
      await postPlan("GET /rest/api/3/issue/ABC-1 DELETE\n/rest/api/3/issue/AB C\n/rest/api/3/myself", {
        contentType: "text/plain",
        query: "?format=text",
      })
    ).text();
    expect(text).toMatch(/^refused: GET \/rest\/api\/3\/issue\/ABC-1 DELETE: GET and DELETE are both given/m);
    expect(text).toMatch(/^refused: \/rest\/api\/3\/issue\/AB C: `path` has a space/m);
    expect(text).toContain("note: Given without a method, `/rest/api/3/myself` is planned as GET");
    expect(text).not.toContain("`/rest/api/3/issue/AB C` is planned");
  });

  it("1001 endpoints: 400, as a list or as lines; 1000 are accepted", async () => {
    const list = Array.from({ length: 1001 }, (_, index) => `GET /rest/api/3/issue/ABC-${index + 1}`);
    const error = await expectError(await postPlan({ endpoints: list }), 400, "invalid_request");
    expect(error.message).toBe("endpoints: at most 1000 endpoints per request");
    const lines = await expectError(
      await postPlan(list.join("\n"), { contentType: "text/plain" }),
      400,
      "too_many_endpoints",
    );
    expect(lines.message).toBe("1001 endpoints given; at most 1000 per request.");
    const text = await expectError(await postPlan({ text: list.join("\n") }), 400, "too_many_endpoints");
    expect(text.message).toBe("1001 endpoints given; at most 1000 per request.");
    const accepted = await plan({ endpoints: list.slice(0, 1000) });
    expect(accepted.scopes).toEqual(["read:jira-work"]);
    expect(accepted.endpoints).toHaveLength(1);
  });

  it("the cap counts distinct HAR calls: 1001 repeats of one call are one endpoint", async () => {
    const entries = Array.from({ length: 1001 }, () => harEntry("GET", "https://acme.atlassian.net/rest/api/3/myself"));
    const response = await postPlan({ log: { entries } });
    expect(response.status).toBe(200);
    const body = (await response.json()) as any;
    expect(body.endpoints.map((endpoint: any) => `${endpoint.method} ${endpoint.path}`)).toEqual([
      "GET /rest/api/3/myself",
    ]);
  });

  it("a bad prefer: 400 invalid_request, in the body or the query", async () => {
    const error = await expectError(await postPlan({ endpoints: MISSION, prefer: "cheapest" }), 400, "invalid_request");
    expect(error.message).toMatch(/^prefer: /);
    expect(error.details.issues[0].path).toBe("prefer");
    const query = await expectError(
      await postPlan("GET /rest/api/3/myself", { contentType: "text/plain", query: "?prefer=cheapest" }),
      400,
      "invalid_request",
    );
    expect(query.message).toMatch(/^prefer: /);
  });

  it("maxScopes out of range or not an integer: 400 invalid_request", async () => {
    const range = "maxScopes: `maxScopes` must be a whole number from 1 to 500";
    for (const maxScopes of [0, -1, 501, 2.5, "2", null]) {
      const error = await expectError(await postPlan({ endpoints: MISSION, maxScopes }), 400, "invalid_request");
      expect(error.message, String(maxScopes)).toBe(range);
    }
    for (const maxScopes of ["0", "501", "2.5", "x"]) {
      const query = await expectError(
        await postPlan("GET /rest/api/3/myself", { contentType: "text/plain", query: `?maxScopes=${maxScopes}` }),
        400,
        "invalid_request",
      );
      expect(query.message, maxScopes).toBe(range);
    }
  });

  it("malformed JSON: 400 invalid_json", async () => {
    const error = await expectError(await postPlan('{"endpoints": ["GET /rest/api/3/myself"'), 400, "invalid_json");
    expect(error.message).toMatch(/^The request body is not valid JSON\./);
  });

  it("a JSON body of the wrong shape: 400 invalid_request naming the field", async () => {
    const error = await expectError(await postPlan({ endpoints: [{ method: "GET" }] }), 400, "invalid_request");
    expect(error.message).toMatch(/^endpoints\.0/);
    await expectError(await postPlan({ endpoints: "GET /rest/api/3/myself" }), 400, "invalid_request");
  });

  it("a body that is neither JSON nor text: 415 in the error shape", async () => {
    for (const contentType of [
      "application/xml",
      "application/x-www-form-urlencoded",
      "multipart/form-data; boundary=x",
    ]) {
      const response = await postPlan("<endpoints/>", { contentType });
      const text = await response.text();
      expect(response.status, contentType).toBe(415);
      expect(Object.keys(JSON.parse(text).error), contentType).toEqual(["code", "message"]);
    }
  });

  // Was a bug (src/routes/plan.ts): @hono/zod-openapi's media-type gate (the route declares application/json and
  // text/plain bodies) throws HTTPException(415, "Unsupported Media Type") before the handler runs, and
  // app.onError turns it into {"code":"bad_request","message":"Unsupported Media Type"}. The handler's own
  // `unsupported_media_type` error (documented in the route's 415 response) is unreachable. /explain avoids
  // this with a `requireJson` middleware registered before the route.
  it("a body that is neither JSON nor text: 415 unsupported_media_type with the documented message", async () => {
    for (const contentType of [
      "application/xml",
      "application/x-www-form-urlencoded",
      "multipart/form-data; boundary=x",
    ]) {
      const error = await expectError(await postPlan("<endpoints/>", { contentType }), 415, "unsupported_media_type");
      expect(error.message, contentType).toBe(
        "Send JSON (Content-Type: application/json) or one METHOD URL per line (Content-Type: text/plain).",
      );
    }
  });

  // Same bug: a body without any Content-Type (bytes, so fetch adds none).
  it("a body without a content type: 415 unsupported_media_type", async () => {
    const response = await exports.default.fetch(
      new Request(`${ORIGIN}/plan`, {
        method: "POST",
        headers: { "cf-connecting-ip": clientAddress() },
        body: new TextEncoder().encode("GET /rest/api/3/myself"),
      }),
    );
    await expectError(response, 415, "unsupported_media_type");
  });

  it("a body without a content type is refused with 415", async () => {
    const response = await exports.default.fetch(
      new Request(`${ORIGIN}/plan`, {
        method: "POST",
        headers: { "cf-connecting-ip": clientAddress() },
        body: new TextEncoder().encode("GET /rest/api/3/myself"),
      }),
    );
    expect(response.status).toBe(415);
    expect(Object.keys(((await response.json()) as Json).error)).toEqual(["code", "message"]);
  });
});

describe("a plan with nothing to plan says why, not '0 scopes (the smallest set)'", () => {
  it("for a credential that can call none, and for endpoints without published scopes", async () => {
    const cannot = await postJson(
      "/plan",
      { credential: "forge", endpoints: ["GET https://api.bitbucket.org/2.0/user"] },
      { query: "?format=text" },
    );
    const lines = (await cannot.text()).split("\n");
    expect(lines.slice(0, 3)).toEqual([
      "credential: forge",
      "Nothing to plan for this credential: it cannot call the endpoints below.",
      expect.stringMatching(/^cannot call: GET \/2\.0\/user: /),
    ]);
    const unpublished = await postJson(
      "/plan",
      { endpoints: ["GET /rest/api/3/serverInfo"] },
      { query: "?format=text" },
    );
    expect((await unpublished.text()).split("\n").slice(0, 2)).toEqual([
      "Nothing to plan: none of the endpoints given has a published scope.",
      "no published scopes: GET /rest/api/3/serverInfo",
    ]);
  });
});

describe("text answers name the nearest templates of a path that matched none", () => {
  const MISTYPED = "GET /rest/api/3/jql/search";
  it("/diff: under the ERROR line", async () => {
    const response = await postJson(
      "/diff",
      { scopes: ["read:jira-work"], endpoints: [MISTYPED] },
      { query: "?format=text" },
    );
    const lines = (await response.text()).split("\n");
    expect(lines[0]).toMatch(/^ERROR {3}GET \/rest\/api\/3\/jql\/search: No Atlassian Cloud endpoint/);
    expect(lines[1]).toMatch(/^ {8}nearest: \/rest\/api\/3\/search\/jql, /);
  });

  it("/explain: under the finding, in text and markdown", async () => {
    const call = {
      method: "GET",
      url: "https://api.atlassian.com/ex/jira/11111111-2222-3333-4444-555555555555/rest/api/3/jql/search",
      status: 404,
    };
    const text = (await (await postJson("/explain", call, { query: "?format=text" })).text()).split("\n");
    expect(text[0]).toMatch(/^1\. \[endpoint_unknown\] /);
    expect(text[2]).toMatch(/^ {3}nearest: \/rest\/api\/3\/search\/jql, /);
    const markdown = await (await postJson("/explain", call, { query: "?format=markdown" })).text();
    expect(markdown).toContain("- nearest: `/rest/api/3/search/jql`, ");
  });
});

describe("POST /plan: deprecated endpoints", () => {
  it("a planned endpoint the documents mark deprecated says so, in JSON and in text, one marker per line", async () => {
    const endpoints = ["GET /rest/agile/1.0/board/5/issue", "POST /rest/api/3/issue", "GET /rest/api/3/search"];
    const answer = await plan({ endpoints });
    const byPath = new Map(answer.endpoints.map((item: Json) => [item.path, item]));
    expect((byPath.get("/rest/agile/1.0/board/{boardId}/issue") as Json).deprecated).toBe(true);
    expect((byPath.get("/rest/api/3/issue") as Json).deprecated).toBeUndefined();
    const text = await (await postPlan({ endpoints }, { query: "?format=text" })).text();
    expect(text).toMatch(
      /^ {2}GET \/rest\/agile\/1\.0\/board\/\{boardId\}\/issue {2}<- .* \(granular\) {2}\(deprecated\)$/m,
    );
    expect(text).toMatch(/^ {2}POST \/rest\/api\/3\/issue {2}<- write:jira-work \(classic\)$/m);
    expect(text).toMatch(
      /^ {2}GET \/rest\/api\/3\/search {2}<- read:jira-work \(classic\) {2}REMOVED since 2025-05-01 \(410\)$/m,
    );
    const split = await (await postPlan({ endpoints, maxScopes: 2 }, { query: "?format=text" })).text();
    expect(split).toContain("\n    serves GET /rest/agile/1.0/board/{boardId}/issue  (deprecated)\n");
  });
});

describe("POST /plan: offline_access for an OAuth 2.0 (3LO) app", () => {
  const NOTE =
    "To refresh the app's access tokens without the user, also add `offline_access` to the authorization URL's `scope`: it gets a refresh token, and no endpoint needs it, so it is not among the scopes above (https://developer.atlassian.com/cloud/oauth/getting-started/refresh-tokens).";

  it("a 3LO plan notes offline_access, outside its scopes; other kinds and no credential do not", async () => {
    const endpoints = ["GET /rest/api/3/issue/ABC-1"];
    const threeLo = await plan({ endpoints, credential: "oauth2-3lo" });
    expect(threeLo.scopes).toEqual(["read:jira-work"]);
    expect(threeLo.notes).toContain(NOTE);
    for (const other of [{ credential: "forge" }, { credential: "scoped-api-token" }, {}])
      expect((await plan({ endpoints, ...other })).notes).not.toContain(NOTE);
    const text = await (await postPlan({ endpoints, credential: "oauth2-3lo" }, { query: "?format=text" })).text();
    expect(text).toContain("offline_access");
  });
});
