/**
 * `--url`: the command line asks a deployed instance over its HTTP API. The instance here is a fake
 * fetch that answers as the routes do (the same answers, `?format=`, the error body and status), so the
 * requests sent can be checked and each command's output and exit status compared with the offline run.
 * No network: a request the fake does not route fails the test.
 */
import { describe, expect, it } from "vitest";
import type { Kind } from "../../src/cli/command-line";
import { offlineAnswerer } from "../../src/cli/offline";
import { errorText } from "../../src/views/error-text";
import { runCli } from "./cli-run";

const BASE = "https://scope-catalog.example.dev/api";
const BOARD = "https://api.atlassian.com/ex/jira/x/rest/agile/1.0/board";

interface Sent {
  method: string;
  url: URL;
  headers: Record<string, string>;
  body?: unknown;
}

const ROUTES: Record<string, Kind> = {
  "/api/scopes": "lookup",
  "/api/endpoints": "reverse",
  "/api/diff": "diff",
  "/api/plan": "plan",
  "/api/explain": "explain",
};

/** An instance answering like the worker's routes, recording each request. */
function fakeInstance(): { fetch: typeof globalThis.fetch; sent: Sent[] } {
  const sent: Sent[] = [];
  const answer = offlineAnswerer();
  const fetch = async (target: string | URL | Request, init: RequestInit = {}): Promise<Response> => {
    const url = new URL(String(target));
    const method = init.method ?? "GET";
    const body = typeof init.body === "string" ? JSON.parse(init.body) : undefined;
    sent.push({ method, url, headers: init.headers as Record<string, string>, ...(body ? { body } : {}) });
    const kind = ROUTES[url.pathname];
    if (!kind || url.origin !== new URL(BASE).origin) throw new Error(`unexpected request ${method} ${url}`);
    const format = url.searchParams.get("format") === "text" ? "text" : "json";
    const input =
      method === "GET" ? Object.fromEntries([...url.searchParams].filter(([name]) => name !== "format")) : body;
    const reply = await answer(kind, input, format);
    // As the worker does: an error in the format asked for (src/errors.ts).
    if (!reply.ok && format === "text")
      return new Response(errorText(reply.error), { status: reply.status, headers: { "content-type": "text/plain" } });
    if (!reply.ok) return Response.json({ error: reply.error }, { status: reply.status });
    if (reply.format === "text") return new Response(reply.text, { headers: { "content-type": "text/plain" } });
    return Response.json(reply.json);
  };
  return { fetch: fetch as typeof globalThis.fetch, sent };
}

const FILES = {
  "calls.txt": "GET /rest/agile/1.0/board\nPOST /rest/api/3/issue\n",
  "session.har": JSON.stringify({
    log: {
      entries: [
        {
          request: {
            method: "GET",
            url: `${BOARD}?startAt=50`,
            headers: [{ name: "Authorization", value: "Basic dXNlckBleGFtcGxlLmNvbTpub3RhcmVhbHRva2Vu" }],
            cookies: [{ name: "tenant.session.token", value: "eyJraWQiOiJzZXNzaW9uIn0.e30.c2ln" }],
          },
          response: { status: 200, content: { text: '{"values": []}' } },
        },
        { request: { method: "GET", url: "https://acme.atlassian.net/s/batch.js" } },
      ],
    },
  }),
};

describe("--url answers as the bundled catalog does", () => {
  const cases: string[][] = [
    ["scopes", "/rest/agile/1.0/board", "GET"],
    ["scopes", BOARD, "--json"],
    ["scopes", "/rest/agile/1.0/boards"],
    ["scopes", "/rest/agile/1.0/board", "PATCH", "--json"],
    ["endpoints", "read:board-scope:jira-software", "--limit", "3", "--method", "GET"],
    ["endpoints", "read:board-scope:jira-software", "--json", "--product", "jira-software"],
    ["diff", "--scopes", "read:board-scope:jira-software", "GET", BOARD],
    ["diff", "--json", "--scopes", "read:board-scope:jira-software", "GET", BOARD],
    ["diff", "--scopes", "read:board-scope:jira-software read:project:jira", "--from", "session.har"],
    ["diff", "--scopes", "read:pullrequest:bitbucket", "--limit", "2"],
    ["plan", "calls.txt", "--max-scopes", "2"],
    ["plan", "session.har", "--json"],
    ["explain", "GET", "https://acme.atlassian.net/rest/agile/1.0/board", "401", "--scopes", "read:jira-work"],
    ["explain", "GET", "/rest/agile/1.0/board", "403", "--json", "--body", "Forbidden"],
  ];
  for (const argv of cases)
    it(argv.join(" "), async () => {
      const offline = await runCli(argv, { files: FILES });
      const instance = fakeInstance();
      const remote = await runCli([...argv, "--url", BASE], { files: FILES, fetch: instance.fetch });
      expect(remote).toEqual(offline);
      expect(instance.sent).toHaveLength(1);
    });
});

describe("--url sends the API's requests", () => {
  it("GET /scopes with the input as query parameters and format=text", async () => {
    const instance = fakeInstance();
    const run = await runCli(["scopes", BOARD, "GET", "--url", `${BASE}/`], { fetch: instance.fetch });
    expect(run.code).toBe(0);
    const [request] = instance.sent;
    expect(request!.method).toBe("GET");
    expect(`${request!.url.origin}${request!.url.pathname}`).toBe(`${BASE}/scopes`);
    expect(Object.fromEntries(request!.url.searchParams)).toEqual({ path: BOARD, method: "GET", format: "text" });
    expect(request!.headers.accept).toBe("text/plain");
  });

  it("GET /endpoints with its filters and page", async () => {
    const instance = fakeInstance();
    await runCli(["endpoints", "read:jira-work", "--limit", "5", "--cursor", "bzo1", "--json", "--url", BASE], {
      fetch: instance.fetch,
    });
    expect(Object.fromEntries(instance.sent[0]!.url.searchParams)).toEqual({
      scope: "read:jira-work",
      limit: "5",
      cursor: "bzo1",
      format: "json",
    });
  });

  it("POST /diff with the scopes and endpoints as its JSON body", async () => {
    const instance = fakeInstance();
    const run = await runCli(
      [
        "diff",
        "--scopes",
        "read:jira-work",
        "--scopes",
        "read:project:jira",
        "GET",
        BOARD,
        "POST /rest/api/3/issue",
        "--url",
        BASE,
      ],
      { fetch: instance.fetch },
    );
    expect(run.code).toBe(1);
    const [request] = instance.sent;
    expect(request!.method).toBe("POST");
    expect(request!.url.pathname).toBe("/api/diff");
    expect(request!.url.searchParams.get("format")).toBe("text");
    expect(request!.headers["content-type"]).toBe("application/json");
    expect(request!.body).toEqual({
      scopes: "read:jira-work read:project:jira",
      endpoints: [`GET ${BOARD}`, "POST /rest/api/3/issue"],
    });
  });

  // A HAR holds the session's credentials: only each request's method and URL (without query) leave.
  it("POST /plan with a HAR reduced to methods and URLs", async () => {
    const instance = fakeInstance();
    const run = await runCli(["plan", "session.har", "--prefer", "granular", "--url", BASE], {
      files: FILES,
      fetch: instance.fetch,
    });
    expect(run.code).toBe(0);
    expect(instance.sent[0]!.body).toEqual({
      prefer: "granular",
      har: {
        log: {
          entries: [
            { request: { method: "GET", url: BOARD } },
            { request: { method: "GET", url: "https://acme.atlassian.net/s/batch.js" } },
          ],
        },
      },
    });
  });

  it("POST /explain with method, url, status, scopes and body", async () => {
    const instance = fakeInstance();
    await runCli(
      ["explain", "GET", BOARD, "401", "--scopes", "read:jira-work", "--body", "Unauthorized", "--url", BASE],
      {
        fetch: instance.fetch,
      },
    );
    expect(instance.sent[0]!.body).toEqual({
      method: "GET",
      url: BOARD,
      status: "401",
      scopes: "read:jira-work",
      body: "Unauthorized",
    });
  });

  it("sends nothing when the input holds a credential", async () => {
    const instance = fakeInstance();
    const run = await runCli(
      ["diff", "--scopes", "read:jira-work ATATT3xFfGF0abcdefghijklmnopqrstuvwxyz0123456789", "--url", BASE],
      { fetch: instance.fetch },
    );
    expect(run.code).toBe(2);
    expect(instance.sent).toEqual([]);
  });

  it("sends nothing when a HAR's URL holds a password (user:password@), and never prints it", async () => {
    // The HAR's URLs are sent as they are (query cut): a password in one would have left with them.
    const password = `hunter2${"secret"}`;
    const har = JSON.stringify({
      log: {
        entries: [{ request: { method: "GET", url: `https://bob:${password}@acme.atlassian.net/rest/api/3/myself` } }],
      },
    });
    for (const argv of [
      ["plan", "pw.har"],
      ["diff", "--scopes", "read:jira-user", "--from", "pw.har"],
    ]) {
      const instance = fakeInstance();
      const run = await runCli([...argv, "--url", BASE], { files: { "pw.har": har }, fetch: instance.fetch });
      expect(run.code).toBe(2);
      expect(run.stderr).toContain("The request seems to contain a password in a URL (user:password@).");
      expect(run.stdout + run.stderr).not.toContain(password);
      expect(instance.sent).toEqual([]);
    }
  });
});

describe("--url when the instance does not answer", () => {
  const answering =
    (response: () => Response): typeof globalThis.fetch =>
    async () =>
      response();
  const cases: { name: string; fetch: typeof globalThis.fetch; want: string }[] = [
    {
      name: "unreachable",
      fetch: async () => {
        throw new TypeError("fetch failed");
      },
      want: `${BASE} could not be reached: fetch failed`,
    },
    {
      name: "refused, in the system's words (Node's own message is only 'fetch failed')",
      fetch: async () => {
        throw new TypeError("fetch failed", {
          cause: new AggregateError([
            Object.assign(new Error("connect ECONNREFUSED ::1:8787"), { code: "ECONNREFUSED" }),
          ]),
        });
      },
      want: `${BASE} could not be reached: the connection was refused (is the instance running on that port?)`,
    },
    {
      name: "a cause without a code",
      fetch: async () => {
        throw new TypeError("fetch failed", { cause: new Error("bad port") });
      },
      want: `${BASE} could not be reached: fetch failed (bad port)`,
    },
    {
      name: "catalog unavailable (503)",
      fetch: answering(() =>
        Response.json(
          { error: { code: "catalog_unavailable", message: "No catalog can be served right now." } },
          { status: 503 },
        ),
      ),
      want: "No catalog can be served right now.",
    },
    {
      name: "rate limited (429)",
      fetch: answering(() =>
        Response.json(
          { error: { code: "rate_limited", message: "Too many requests; retry in 10 s." } },
          { status: 429 },
        ),
      ),
      want: "Too many requests; retry in 10 s.",
    },
    {
      name: "a proxy's error page (502)",
      fetch: answering(() => new Response("<html>Bad gateway</html>", { status: 502, statusText: "Bad Gateway" })),
      want: `${BASE}/scopes answered 502 Bad Gateway`,
    },
    {
      name: "a 200 that is not JSON",
      fetch: answering(() => new Response("<html>login</html>", { status: 200 })),
      want: `${BASE}/scopes answered 200 with a body that is not JSON`,
    },
  ];
  for (const { name, fetch, want } of cases)
    it(`${name}: exit 3`, async () => {
      const run = await runCli(["scopes", "/rest/agile/1.0/board", "--json", "--url", BASE], { fetch });
      expect(run.code).toBe(3);
      expect(run.stderr).toContain(want);
    });

  // Text from an instance that is not ours cannot move the cursor or hide lines in a terminal.
  it("prints an instance's text with control characters made inert", async () => {
    const run = await runCli(["scopes", "/rest/agile/1.0/board", "--url", BASE], {
      fetch: answering(() => new Response("GET /x\u001b[2K\rOK\nnext\n", { status: 200 })),
    });
    expect(run.stdout).toBe("GET /x [2K OK\nnext\n");
  });
});
