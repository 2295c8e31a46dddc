/**
 * POST /integrations/slack/command inside workerd: Slack's request signing (valid, bad, replayed,
 * missing), malformed payloads, and the `/scopes` command forms answered from the bundled catalog.
 */
import { BOARD_GATEWAY_URL, ORIGIN, expectError, resetCatalogCache, type Json } from "../helpers/worker";
import { env, exports } from "cloudflare:workers";
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { slackTiming } from "../../src/routes/slack";
import { normalizeSlackText, parseSlackCommand, splitEndpoints } from "../../src/integrations/slack-command";
import { answerMessage, pageUrl } from "../../src/views/slack";
import { constantTimeEqual, slackSignature, verifySlackSignature } from "../../src/integrations/slack-signature";

const SECRET = "8f742231b10e8888abcd99yyyzzz85a5-test";
const URL_PATH = "/integrations/slack/command";
const secretEnv = env as unknown as { SLACK_SIGNING_SECRET?: string };

/** An independent signer (node-style hex over `v0:ts:body`), not the worker's own helper. */
async function sign(secret: string, timestamp: string, body: string): Promise<string> {
  const key = await crypto.subtle.importKey(
    "raw",
    new TextEncoder().encode(secret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  const mac = new Uint8Array(
    await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(`v0:${timestamp}:${body}`)),
  );
  return `v0=${Array.from(mac, (byte) => byte.toString(16).padStart(2, "0")).join("")}`;
}

const nowSeconds = () => Math.floor(Date.now() / 1000);
let sequence = 0;

/** A slash command payload as Slack sends it (form-encoded, every field Slack sends). */
function form(text: string, extra: Record<string, string> = {}): string {
  sequence++;
  return new URLSearchParams({
    token: "gIkuvaNzQIHg97ATvDxqgjtO",
    team_id: "T0001",
    team_domain: "example",
    channel_id: "C2147483705",
    channel_name: "dev",
    user_id: "U2147483697",
    user_name: "steve",
    command: "/scopes",
    text,
    api_app_id: "A123456",
    response_url: "https://hooks.slack.com/commands/1234/5678",
    trigger_id: `13345224609.738474920.${sequence}`,
    ...extra,
  }).toString();
}

interface SendOptions {
  timestamp?: string;
  signature?: string | null;
  contentType?: string;
  secret?: string;
  method?: string;
}

async function send(body: string, options: SendOptions = {}): Promise<Response> {
  const timestamp = options.timestamp ?? String(nowSeconds());
  const headers: Record<string, string> = {
    "content-type": options.contentType ?? "application/x-www-form-urlencoded",
  };
  if (options.signature !== null) {
    headers["x-slack-request-timestamp"] = timestamp;
    headers["x-slack-signature"] = options.signature ?? (await sign(options.secret ?? SECRET, timestamp, body));
  }
  return exports.default.fetch(
    new Request(`${ORIGIN}${URL_PATH}`, { method: options.method ?? "POST", headers, body }),
  );
}

/** The Slack answer for a command text: 200, JSON, ephemeral, with blocks. */
async function command(text: string): Promise<{ message: Json; all: string }> {
  const response = await send(form(text));
  const raw = await response.text();
  expect(response.status, raw.slice(0, 500)).toBe(200);
  expect(response.headers.get("content-type")).toMatch(/^application\/json/);
  const message = JSON.parse(raw);
  expect(message.response_type).toBe("ephemeral");
  expect(typeof message.text).toBe("string");
  expect(Array.isArray(message.blocks)).toBe(true);
  expect(message.blocks.length).toBeGreaterThan(0);
  for (const block of message.blocks) {
    expect(["section", "context"]).toContain(block.type);
    const texts = block.type === "section" ? [block.text] : block.elements;
    for (const item of texts) {
      expect(item.type).toBe("mrkdwn");
      expect(item.text.length).toBeLessThanOrEqual(3000);
    }
  }
  const all = message.blocks
    .map((block: Json) =>
      block.type === "section" ? block.text.text : block.elements.map((item: Json) => item.text).join(" "),
    )
    .join("\n");
  return { message, all };
}

beforeAll(async () => {
  // Whatever another file left in this isolate's catalog cache, this file answers from the snapshot;
  // loading it takes seconds in the test pool, so it is done once here rather than in the first test.
  resetCatalogCache();
  await (await exports.default.fetch(new Request(`${ORIGIN}/scopes?path=/rest/agile/1.0/board`))).text();
}, 60_000);

beforeEach(() => {
  secretEnv.SLACK_SIGNING_SECRET = SECRET;
});

afterEach(() => {
  delete secretEnv.SLACK_SIGNING_SECRET;
});

describe("Slack signing (pure)", () => {
  // The worked example of https://api.slack.com/authentication/verifying-requests-from-slack.
  const SLACK_SECRET = "8f742231b10e8888abcd99yyyzzz85a5";
  const SLACK_TIMESTAMP = "1531420618";
  const SLACK_BODY =
    "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c";
  const SLACK_SIGNATURE = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503";
  const at = (seconds: number) => (Number(SLACK_TIMESTAMP) + seconds) * 1000;

  it("accepts Slack's documented example and computes its signature", async () => {
    expect(await slackSignature(SLACK_SECRET, SLACK_TIMESTAMP, SLACK_BODY)).toBe(SLACK_SIGNATURE);
    expect(
      await verifySlackSignature(
        SLACK_SECRET,
        { timestamp: SLACK_TIMESTAMP, signature: SLACK_SIGNATURE, body: SLACK_BODY },
        at(30),
      ),
    ).toEqual({ ok: true });
  });

  it("refuses another secret, a changed body, a changed timestamp and a malformed signature", async () => {
    const request = { timestamp: SLACK_TIMESTAMP, signature: SLACK_SIGNATURE, body: SLACK_BODY };
    expect(await verifySlackSignature(`${SLACK_SECRET}x`, request, at(0))).toMatchObject({
      ok: false,
      code: "invalid_signature",
    });
    expect(await verifySlackSignature(SLACK_SECRET, { ...request, body: `${SLACK_BODY}&x=1` }, at(0))).toMatchObject({
      ok: false,
      code: "invalid_signature",
    });
    expect(
      await verifySlackSignature(SLACK_SECRET, { ...request, timestamp: String(Number(SLACK_TIMESTAMP) + 1) }, at(0)),
    ).toMatchObject({ ok: false, code: "invalid_signature" });
    expect(
      await verifySlackSignature(SLACK_SECRET, { ...request, signature: SLACK_SIGNATURE.toUpperCase() }, at(0)),
    ).toMatchObject({ ok: false, code: "invalid_signature" });
    expect(
      await verifySlackSignature(SLACK_SECRET, { ...request, signature: SLACK_SIGNATURE.slice(0, -2) }, at(0)),
    ).toMatchObject({ ok: false, code: "invalid_signature" });
    expect(
      await verifySlackSignature(SLACK_SECRET, { ...request, signature: `v1=${SLACK_SIGNATURE.slice(3)}` }, at(0)),
    ).toMatchObject({ ok: false, code: "invalid_signature" });
  });

  it("refuses timestamps more than 5 minutes away, either side, and missing headers", async () => {
    const request = { timestamp: SLACK_TIMESTAMP, signature: SLACK_SIGNATURE, body: SLACK_BODY };
    expect(await verifySlackSignature(SLACK_SECRET, request, at(300))).toEqual({ ok: true });
    expect(await verifySlackSignature(SLACK_SECRET, request, at(301))).toMatchObject({
      ok: false,
      code: "stale_request",
    });
    expect(await verifySlackSignature(SLACK_SECRET, request, at(-301))).toMatchObject({
      ok: false,
      code: "stale_request",
    });
    expect(await verifySlackSignature(SLACK_SECRET, { ...request, timestamp: "1531420618.5" }, at(0))).toMatchObject({
      ok: false,
      code: "invalid_timestamp",
    });
    expect(await verifySlackSignature(SLACK_SECRET, { ...request, timestamp: undefined }, at(0))).toMatchObject({
      ok: false,
      code: "missing_signature",
    });
    expect(await verifySlackSignature(SLACK_SECRET, { ...request, signature: "" }, at(0))).toMatchObject({
      ok: false,
      code: "missing_signature",
    });
  });

  it("compares in constant time over equal lengths", () => {
    expect(constantTimeEqual(new Uint8Array([1, 2, 3]), new Uint8Array([1, 2, 3]))).toBe(true);
    expect(constantTimeEqual(new Uint8Array([1, 2, 3]), new Uint8Array([1, 2, 4]))).toBe(false);
    expect(constantTimeEqual(new Uint8Array([1, 2, 3]), new Uint8Array([1, 2]))).toBe(false);
  });
});

describe("Slack command text (pure)", () => {
  it("unwraps Slack's links and entities, and turns dashes back into --", () => {
    expect(
      normalizeSlackText(
        "GET <https://acme.atlassian.net/rest/api/3/issue/ABC-1|acme.atlassian.net/rest/api/3/issue/ABC-1>",
      ),
    ).toBe("GET https://acme.atlassian.net/rest/api/3/issue/ABC-1");
    expect(normalizeSlackText("diff read:jira-work \u2014 GET /rest/api/3/myself?a=1&amp;b=2")).toBe(
      "diff read:jira-work -- GET /rest/api/3/myself?a=1&b=2",
    );
  });

  it("splits endpoint lists on semicolons, lines and methods", () => {
    expect(splitEndpoints("GET /a; post /b\n/c PUT /d GET /e")).toEqual([
      "GET /a",
      "POST /b",
      "/c",
      "PUT /d",
      "GET /e",
    ]);
  });

  it("a curl command and a list share a line, split at `;` outside quotes (found in review)", () => {
    const curl = "curl -X DELETE 'https://acme.atlassian.net/rest/api/3/issue/A-1;x'";
    // Were "curl", "-X", ... read as endpoints, and "GET /b POST /c" kept as one.
    expect(splitEndpoints(`GET /rest/api/3/myself; ${curl}`)).toEqual(["GET /rest/api/3/myself", curl]);
    expect(splitEndpoints(`${curl}; GET /b POST /c`)).toEqual([curl, "GET /b", "POST /c"]);
  });

  it("a second method after METHOD URL is kept with it, for the line reader to refuse (was dropped)", () => {
    expect(splitEndpoints("GET /a DELETE")).toEqual(["GET /a DELETE"]);
    expect(splitEndpoints("GET /a DELETE /b")).toEqual(["GET /a", "DELETE /b"]);
  });

  it("a comma ending a word is the list's: GET /a, GET /b", () => {
    // Was "GET /rest/agile/1.0/board," (not found).
    expect(splitEndpoints("GET /rest/agile/1.0/board, GET /rest/api/3/myself,")).toEqual([
      "GET /rest/agile/1.0/board",
      "GET /rest/api/3/myself",
    ]);
    expect(splitEndpoints("/a , /b")).toEqual(["/a", "/b"]);
    // A comma inside a word is kept (a query's `fields=a,b` is the line reader's to drop).
    expect(splitEndpoints("GET /a?fields=a,b")).toEqual(["GET /a?fields=a,b"]);
  });

  it("a method after a part's last URL is its method; HTTP/1.1 after a URL is dropped", () => {
    // Were ["/a"] (the method lost) and ["GET /a", "HTTP/1.1"] (read as a second endpoint).
    expect(splitEndpoints("/a DELETE")).toEqual(["DELETE /a"]);
    expect(splitEndpoints("GET /a HTTP/1.1; /b put")).toEqual(["GET /a", "PUT /b"]);
    // A method before a URL still binds to it: `/c PUT /d` is /c, then PUT /d.
    expect(splitEndpoints("/c PUT /d")).toEqual(["/c", "PUT /d"]);
  });

  it("a curl command is one endpoint, whole, for the line reader", () => {
    const curl = "curl -X DELETE https://your-site.atlassian.net/rest/api/3/issue/ABC-1";
    // Was ["curl", "-X", "DELETE https://…"]: three endpoints.
    expect(splitEndpoints(curl)).toEqual([curl]);
    // Continued over lines with `\`, and beside other lines and commands; a `;` inside quotes is the body's.
    expect(
      splitEndpoints(
        `curl -s \\\n  -X PUT 'https://acme.atlassian.net/rest/api/3/issue/ABC-1' --data '{"a":";"}'; curl https://acme.atlassian.net/rest/api/3/myself\nGET /rest/agile/1.0/board`,
      ),
    ).toEqual([
      `curl -s    -X PUT 'https://acme.atlassian.net/rest/api/3/issue/ABC-1' --data '{"a":";"}'`,
      "curl https://acme.atlassian.net/rest/api/3/myself",
      "GET /rest/agile/1.0/board",
    ]);
    expect(parseSlackCommand(curl)).toMatchObject({
      kind: "api",
      question: { kind: "lookup", input: { path: curl, method: undefined } },
      title: "*Scopes for* `DELETE https://your-site.atlassian.net/rest/api/3/issue/ABC-1`",
    });
    expect(parseSlackCommand(`plan ${curl}; GET /rest/api/3/myself`)).toMatchObject({
      question: { kind: "plan", input: { endpoints: [curl, "GET /rest/api/3/myself"] } },
    });
    expect(parseSlackCommand(`diff read:jira-work -- ${curl}`)).toMatchObject({
      question: { kind: "diff", input: { scopes: "read:jira-work", endpoints: [curl] } },
    });
  });

  it("takes credential=<kind> anywhere, for every form but endpoint searches", () => {
    expect(
      parseSlackCommand("diff read:repository:bitbucket -- GET /2.0/user credential=bitbucket-api-token"),
    ).toMatchObject({
      kind: "api",
      question: {
        kind: "diff",
        input: { scopes: "read:repository:bitbucket", endpoints: ["GET /2.0/user"], credential: "bitbucket-api-token" },
      },
    });
    expect(parseSlackCommand("credential=forge plan GET /2.0/user")).toMatchObject({
      question: { kind: "plan", input: { endpoints: ["GET /2.0/user"], credential: "forge" } },
    });
    expect(parseSlackCommand("endpoints read:jira-work credential=forge")).toMatchObject({
      question: { kind: "reverse", input: { scope: "read:jira-work" } },
    });
  });

  it("takes cursor=<c> for the lists it pages (endpoints, what scopes can call), and nowhere else", () => {
    expect(parseSlackCommand("endpoints read:jira-work cursor=bzoyMA")).toMatchObject({
      question: { kind: "reverse", input: { scope: "read:jira-work", cursor: "bzoyMA" } },
    });
    expect(parseSlackCommand("diff cursor=bzoy read:jira-work credential=forge")).toMatchObject({
      question: { kind: "diff", input: { scopes: "read:jira-work", cursor: "bzoy", credential: "forge" } },
    });
    for (const text of [
      "diff read:jira-work -- GET /rest/api/3/myself cursor=bzoy",
      "plan GET /x cursor=a",
      "cursor=a",
    ])
      expect(parseSlackCommand(text), text).toMatchObject({
        kind: "usage_error",
        message: expect.stringMatching(/^`cursor=` pages the lists a paged answer ends with/),
      });
  });

  it("takes a plan's prefer=<kind> and max-scopes=<n> anywhere among its endpoints", () => {
    expect(parseSlackCommand("plan prefer=Granular GET /a; max-scopes=20 POST /b")).toMatchObject({
      kind: "api",
      question: { kind: "plan", input: { endpoints: ["GET /a", "POST /b"], prefer: "granular", maxScopes: 20 } },
      title: "*Least-privilege plan* for 2 endpoints, preferring `granular`",
    });
    // Refused here, in the command's words (the answer layer's messages name the JSON fields).
    expect(parseSlackCommand("plan prefer=bogus GET /a")).toEqual({
      kind: "usage_error",
      message: "`prefer` takes `fewest`, `granular` or `classic`: `plan prefer=granular GET /rest/agile/1.0/board`.",
    });
    const counts = ["x", "", "1e3", "0", "501", "-1", "2.5"].map((count) => `plan max-scopes=${count} GET /a`);
    for (const text of counts)
      expect(parseSlackCommand(text), text).toEqual({
        kind: "usage_error",
        message:
          "`max-scopes` takes the scopes one token may hold, a whole number from 1 to 500: `plan max-scopes=20 GET /rest/agile/1.0/board`.",
      });
    for (const count of [1, 500])
      expect(parseSlackCommand(`plan max-scopes=${count} GET /a`)).toMatchObject({
        question: { input: { maxScopes: count } },
      });
    expect(parseSlackCommand("plan prefer=granular")).toMatchObject({ kind: "usage_error" });
  });

  it("maps each form to its question", () => {
    expect(parseSlackCommand("")).toEqual({ kind: "help" });
    expect(parseSlackCommand("  HELP ")).toEqual({ kind: "help" });
    expect(parseSlackCommand("GET /rest/agile/1.0/board")).toMatchObject({
      kind: "api",
      question: { kind: "lookup", input: { path: "/rest/agile/1.0/board", method: "GET" } },
    });
    expect(parseSlackCommand("/rest/agile/1.0/board")).toMatchObject({
      kind: "api",
      question: { kind: "lookup", input: { path: "/rest/agile/1.0/board", method: undefined } },
    });
    expect(parseSlackCommand("read:jira-work")).toMatchObject({
      kind: "api",
      question: { kind: "reverse", input: { scope: "read:jira-work" } },
    });
    // A bare scope takes a product after it too; a word that is no product is still an error, not a lookup of it.
    expect(parseSlackCommand("read:jira-work jira")).toMatchObject({
      kind: "api",
      question: { kind: "reverse", input: { scope: "read:jira-work", product: "jira" } },
    });
    // A product in any case, as the answer reads it (was "After a scope, give a product …, not `Jira`").
    expect(parseSlackCommand("read:jira-work Jira")).toMatchObject({
      kind: "api",
      question: { kind: "reverse", input: { scope: "read:jira-work", product: "Jira" } },
    });
    expect(parseSlackCommand("read:jira-work nonsense")).toMatchObject({
      kind: "usage_error",
      message: expect.stringMatching(
        /^After a scope, give a product to narrow it to \(`jira`, .*\), not `nonsense`\.$/,
      ),
    });
    expect(parseSlackCommand("endpoints pullrequest bitbucket")).toMatchObject({
      kind: "api",
      question: { kind: "reverse", input: { scope: "pullrequest", product: "bitbucket" } },
    });
    expect(parseSlackCommand("diff a:b c:d -- GET /x; /y")).toMatchObject({
      kind: "api",
      question: { kind: "diff", input: { scopes: "a:b c:d", endpoints: ["GET /x", "/y"] } },
    });
    expect(parseSlackCommand("diff read:jira-work")).toMatchObject({
      kind: "api",
      question: { kind: "diff", input: { scopes: "read:jira-work" } },
    });
    expect(parseSlackCommand("plan GET /x POST /y")).toMatchObject({
      kind: "api",
      question: { kind: "plan", input: { endpoints: ["GET /x", "POST /y"] } },
    });
    expect(parseSlackCommand("explain GET /x 401 -- a:b")).toMatchObject({
      kind: "api",
      question: { kind: "explain", input: { method: "GET", url: "/x", status: 401, scopes: "a:b" } },
    });
    for (const text of [
      "diff",
      "diff read:jira-work GET /x",
      "diff -- GET /x",
      "diff a:b --",
      "plan",
      "explain GET /x",
      "explain /x 401",
      "GET /a GET /b",
      "endpoints",
    ]) {
      expect(parseSlackCommand(text), text).toMatchObject({ kind: "usage_error" });
    }
  });
});

describe("POST /integrations/slack/command: signing", () => {
  it("answers a correctly signed command", async () => {
    const { message } = await command(`GET ${BOARD_GATEWAY_URL}`);
    expect(message.text).toContain("Scopes for");
  });

  it("the notification's text is the answer's first line, not the echoed `credential:` line", async () => {
    const { message } = await command("plan credential=connect POST /rest/api/3/issue");
    expect(message.text).not.toContain("credential: connect");
    expect(message.text).toContain("1 scope (the smallest set), for the app's descriptor:");
  });

  it("refuses a bad signature with 401 in the error shape, and answers nothing else", async () => {
    const body = form(`GET ${BOARD_GATEWAY_URL}`);
    const error = await expectError(await send(body, { secret: "not-the-secret" }), 401, "invalid_signature");
    expect(error.message).toContain("SLACK_SIGNING_SECRET");
    expect(error.message).not.toContain(SECRET);
    await expectError(await send(body, { signature: `v0=${"0".repeat(64)}` }), 401, "invalid_signature");
    await expectError(await send(body, { signature: "sha256=abc" }), 401, "invalid_signature");
  });

  it("refuses a body changed after signing", async () => {
    const body = form("GET /rest/agile/1.0/board");
    const timestamp = String(nowSeconds());
    const signature = await sign(SECRET, timestamp, body);
    const response = await exports.default.fetch(
      new Request(`${ORIGIN}${URL_PATH}`, {
        method: "POST",
        headers: {
          "content-type": "application/x-www-form-urlencoded",
          "x-slack-request-timestamp": timestamp,
          "x-slack-signature": signature,
        },
        body: body.replace("board", "sprint"),
      }),
    );
    await expectError(response, 401, "invalid_signature");
  });

  it("refuses an unsigned request", async () => {
    await expectError(await send(form("help"), { signature: null }), 401, "missing_signature");
  });

  it("refuses a replayed request: an old timestamp, correctly signed", async () => {
    const old = String(nowSeconds() - 6 * 60);
    const error = await expectError(await send(form("help"), { timestamp: old }), 401, "stale_request");
    expect(error.message).toMatch(/5 minutes/);
    await expectError(await send(form("help"), { timestamp: String(nowSeconds() + 6 * 60) }), 401, "stale_request");
    await expectError(await send(form("help"), { timestamp: "yesterday" }), 401, "invalid_timestamp");
  });

  it("refuses the very same signed request sent twice", async () => {
    const body = form("help");
    const timestamp = String(nowSeconds());
    const signature = await sign(SECRET, timestamp, body);
    expect((await send(body, { timestamp, signature })).status).toBe(200);
    await expectError(await send(body, { timestamp, signature }), 401, "replayed_request");
  });

  it("without SLACK_SIGNING_SECRET answers a clear 503 and runs no command", async () => {
    delete secretEnv.SLACK_SIGNING_SECRET;
    const error = await expectError(await send(form(`GET ${BOARD_GATEWAY_URL}`)), 503, "slack_not_configured");
    expect(error.message).toContain("SLACK_SIGNING_SECRET");
    expect(error.message).toContain("wrangler secret put");
    secretEnv.SLACK_SIGNING_SECRET = "";
    await expectError(await send(form("help")), 503, "slack_not_configured");
  });
});

describe("POST /integrations/slack/command: malformed payloads", () => {
  it("refuses a signed body that is not form-encoded", async () => {
    const body = JSON.stringify({ command: "/scopes", text: "help" });
    await expectError(await send(body, { contentType: "application/json" }), 415, "unsupported_media_type");
  });

  it("refuses a signed form without `command` or `text`", async () => {
    await expectError(await send("text=help&user_id=U1"), 400, "invalid_slack_payload");
    await expectError(await send("command=%2Fscopes&user_id=U1"), 400, "invalid_slack_payload");
    await expectError(await send(""), 400, "invalid_slack_payload");
    await expectError(await send("%%%garbage&&=="), 400, "invalid_slack_payload");
  });

  it("answers Slack's signed ssl_check with an empty 200", async () => {
    const response = await send("ssl_check=1&token=gIkuvaNzQIHg97ATvDxqgjtO");
    expect(response.status).toBe(200);
    expect(await response.text()).toBe("");
  });

  it("answers other methods 405", async () => {
    const response = await exports.default.fetch(new Request(`${ORIGIN}${URL_PATH}`));
    expect(response.headers.get("allow")).toBe("POST");
    await expectError(response, 405, "method_not_allowed");
  });

  it("refuses a pasted credential, and does not echo it", async () => {
    // The Slack route answers in Slack's format; the API call the command becomes refuses the credential.
    for (const text of [
      "diff Bearer abcdefghijklmnopqrstuvwxyz0123 -- GET /rest/agile/1.0/board",
      "GET /rest/api/3/myself?token=ATATT3xFfGF0abcdefghijklmnopqrstuvwxyz",
      "GET https://bob:abcdefghijklmnopqrstuvwxyz@acme.atlassian.net/rest/api/3/myself",
      "curl -u bob:abcdefghijklmnopqrstuvwxyz https://acme.atlassian.net/rest/api/3/myself",
    ]) {
      const { message, all } = await command(text);
      expect(all).toMatch(
        /^:warning: The request seems to contain an? (Bearer authorization header|Atlassian API token|password in a URL \(user:password@\)|curl user:password \(-u\))\./,
      );
      expect(JSON.stringify(message)).not.toContain("abcdefghijklmnopqrstuvwxyz");
    }
  });
});

describe("POST /integrations/slack/command: the command forms", () => {
  it("empty text and `help` answer the usage, with the command's own name", async () => {
    for (const text of ["", "help"]) {
      const { message, all } = await command(text);
      expect(message.text).toContain("usage");
      expect(all).toContain("`/scopes diff ");
      expect(all).toContain("&lt;cloudId&gt;");
    }
    const response = await send(form("", { command: "/atlassian-scopes" }));
    expect(JSON.stringify(await response.json())).toContain("/atlassian-scopes plan");
  });

  it("GET <gateway URL>: the board needs read:board-scope:jira-software + read:project:jira", async () => {
    const { message, all } = await command(`GET ${BOARD_GATEWAY_URL}`);
    expect(all).toContain("GET /rest/agile/1.0/board  [jira-software] Get all boards");
    expect(all).toContain("needs: read:board-scope:jira-software + read:project:jira  (granular, Current)");
    expect(all).not.toContain("POST /rest/agile/1.0/board");
    expect(all).toMatch(/catalog \S+ · <http:\/\/catalog\.test\/\|Scope Catalog>/);
    expect(message.blocks[1].text.text.startsWith("```")).toBe(true);
    expect(message.blocks[1].text.text.endsWith("```")).toBe(true);
  });

  it("a curl command: the scopes of the call it makes (was 'One endpoint at a time')", async () => {
    // As Slack sends it: the URL linked, and the continuation typed.
    const { message, all } = await command(
      "curl -X DELETE \\\n <https://your-site.atlassian.net/rest/api/3/issue/ABC-1> -H 'Accept: application/json'",
    );
    expect(message.text).not.toContain("One endpoint at a time");
    expect(all).toContain("DELETE /rest/api/3/issue/{issueIdOrKey}  [jira] Delete issue");
    expect(all).not.toContain("GET /rest/api/3/issue/{issueIdOrKey}");
    // A curl with no URL says so, with an example, in a line: the command is not echoed back as a title
    // (found in review: the title repeated the whole command).
    const { message: noUrlMessage, all: noUrl } = await command(
      `curl -H "Accept: application/json" -H "X-Trace: abcdef" -X GET`,
    );
    expect(noUrl).toContain("No URL found in the curl command");
    expect(noUrl).toContain("curl -X GET https://acme.atlassian.net/rest/api/3/myself");
    expect(noUrl).not.toContain("X-Trace");
    expect(noUrlMessage.text).not.toContain("X-Trace");
    expect(noUrl).not.toContain("Scopes for");
  });

  it("a curl with two methods says so in a line, without echoing the command as a title", async () => {
    const { all } = await command(
      "curl -X DELETE -H 'X-Trace: abcdef' 'GET https://acme.atlassian.net/rest/api/3/myself'",
    );
    expect(all).not.toContain("Scopes for");
    expect(all).not.toContain("X-Trace");
  });

  it("GET a removed Confluence v1 URL: removed, with the v2 replacement and its scopes, never 'takes POST'", async () => {
    const { all } = await command("GET https://api.atlassian.com/ex/confluence/abc/wiki/rest/api/space");
    expect(all).toContain("GET /wiki/rest/api/space was removed by Atlassian on 2024-01-01");
    expect(all).toContain("Call GET /wiki/api/v2/spaces instead, which needs read:space:confluence (granular).");
    expect(all).not.toContain("takes POST");
  });

  it("takes the URL as Slack links it", async () => {
    const { all } = await command(`GET <${BOARD_GATEWAY_URL}|api.atlassian.com/ex/jira/…/board>`);
    expect(all).toContain("needs: read:board-scope:jira-software + read:project:jira");
  });

  it("diff: the mission case lacks read:project:jira", async () => {
    const { message, all } = await command(
      `diff read:board-scope.admin:jira-software read:board-scope:jira-software -- GET ${BOARD_GATEWAY_URL}`,
    );
    expect(all).toContain("*Token diff*: 2 scopes against 1 endpoint");
    expect(all).toContain(":x: 1 endpoint lacks scopes");
    expect(all).toContain("MISSING GET /rest/agile/1.0/board  add read:project:jira");
    expect(all).toContain("unused: read:board-scope.admin:jira-software");
    expect(message.text).toContain("1 endpoint lacks scopes");
  });

  it("diff: satisfied endpoints, several at once", async () => {
    const { all } = await command(
      "diff read:board-scope:jira-software, read:project:jira read:jira-work -- GET /rest/agile/1.0/board; GET https://acme.atlassian.net/rest/api/3/issue/ABC-1",
    );
    expect(all).toContain(":white_check_mark:");
    expect(all).toContain("OK      GET /rest/agile/1.0/board  via read:board-scope:jira-software + read:project:jira");
    expect(all).toContain("OK      GET /rest/api/3/issue/{issueIdOrKey}  via read:jira-work");
  });

  it("diff without endpoints: what the scopes can call", async () => {
    const { all } = await command("diff read:pullrequest:bitbucket");
    expect(all).toMatch(/can call \d+ endpoints: bitbucket \d+/);
  });

  it("plan: the smallest set, with Slack's control characters escaped", async () => {
    const { all } = await command("plan GET /rest/agile/1.0/board; POST /rest/api/3/issue");
    expect(all).toContain("read:board-scope:jira-software");
    expect(all).toContain("read:project:jira");
    expect(all).toContain("&lt;- read:board-scope:jira-software + read:project:jira");
    expect(all).not.toMatch(/[^&]<- /);
  });

  it("plan prefer=… and max-scopes=…: the preferred kind among equal plans, tokens of at most that many scopes", async () => {
    const granular = await command("plan prefer=granular DELETE /rest/api/3/issue/ABC-1");
    expect(granular.all).toContain("*Least-privilege plan* for 1 endpoint, preferring `granular`");
    expect(granular.all).toContain("paste: delete:issue:jira");
    const classic = await command("plan prefer=classic DELETE /rest/api/3/issue/ABC-1");
    expect(classic.all).toContain("paste: write:jira-work");
    const split = await command(
      "plan max-scopes=2 prefer=granular GET /rest/agile/1.0/board; DELETE /rest/api/3/issue/ABC-1",
    );
    expect(split.all).toContain("3 scopes in all: over the 2-scope cap, so 2 tokens:");
    const bad = await command("plan prefer=bogus DELETE /rest/api/3/issue/ABC-1");
    expect(bad.all).toContain(":warning: `prefer` takes `fewest`, `granular` or `classic`");
    expect(bad.all).not.toContain("Invalid option");
    const unfit = await command("plan max-scopes=1 GET /rest/agile/1.0/board");
    expect(unfit.all).toContain("2 scopes in all: over the 1-scope cap, and no endpoint fits in a token that small.");
    expect(unfit.all).toContain("left out: GET /rest/agile/1.0/board: alone it needs 2 scopes, over the 1-scope cap");
  });

  it("explain: why the board call got 401", async () => {
    const { all } = await command(`explain GET ${BOARD_GATEWAY_URL} 401 -- read:board-scope:jira-software`);
    expect(all).toContain("[missing_scopes]");
    expect(all).toContain("read:project:jira");
  });

  it("endpoints / a bare scope name: the reverse lookup", async () => {
    for (const text of ["endpoints read:board-scope:jira-software", "read:board-scope:jira-software"]) {
      const { all } = await command(text);
      expect(all).toContain("GET /rest/agile/1.0/board  [jira-software]  with read:project:jira");
    }
  });

  it("an unknown path answers the API's message and suggestions, as a 200 the user sees", async () => {
    const { message, all } = await command("GET /rest/agile/1.0/boards");
    expect(all).toContain(":warning: No Atlassian Cloud endpoint in the catalog matches /rest/agile/1.0/boards.");
    expect(all).toContain("Did you mean: `/rest/agile/1.0/board`");
    expect(message.text).toContain("No Atlassian Cloud endpoint");
  });

  it("an unknown scope's 'Did you mean' is asked once; other near names follow as 'Or'", async () => {
    const { all } = await command("endpoints read:jira-wrok");
    expect(all).toContain("Did you mean read:jira-work?");
    expect(all).toContain("Or: `read:jira-user`");
    expect(all).not.toContain("Did you mean: ");
  });

  it("an unknown scope and a wrong method answer the API's messages", async () => {
    expect((await command("endpoints read:board-scope:jira")).all).toContain(
      "Did you mean read:board-scope:jira-software?",
    );
    expect((await command("PATCH /rest/agile/1.0/board")).all).toContain("it takes GET, POST.");
  });

  it("a command it cannot read answers a usage hint", async () => {
    const { all } = await command("diff read:jira-work GET /rest/api/3/myself");
    expect(all).toContain(":warning: Put `--` between the scopes and the endpoints");
    expect(all).toContain("`/scopes help` lists every form.");
  });
});

describe("POST /integrations/slack/command: answers slower than Slack waits", () => {
  afterEach(() => {
    slackTiming.deadlineMs = 2500;
    vi.restoreAllMocks();
  });

  it("acknowledges at once and posts the answer to response_url", async () => {
    const posted: { url: string; body: Json }[] = [];
    vi.spyOn(globalThis, "fetch").mockImplementation(async (input: RequestInfo | URL, init?: RequestInit) => {
      posted.push({ url: String(input instanceof Request ? input.url : input), body: JSON.parse(String(init?.body)) });
      return new Response("ok");
    });
    slackTiming.deadlineMs = 0;
    const response = await send(
      form(`GET ${BOARD_GATEWAY_URL}`, { response_url: "https://hooks.slack.com/commands/T1/2/abc" }),
    );
    expect(response.status).toBe(200);
    const ack = await response.json<Json>();
    expect(ack).toMatchObject({ response_type: "ephemeral", text: "Looking it up in the catalog…" });
    await vi.waitFor(() => expect(posted).toHaveLength(1), { timeout: 5000 });
    expect(posted[0]!.url).toBe("https://hooks.slack.com/commands/T1/2/abc");
    expect(posted[0]!.body.response_type).toBe("ephemeral");
    expect(JSON.stringify(posted[0]!.body.blocks)).toContain(
      "needs: read:board-scope:jira-software + read:project:jira",
    );
  });

  it("never posts anywhere but Slack's hooks: it answers in line instead", async () => {
    const spy = vi.spyOn(globalThis, "fetch").mockResolvedValue(new Response("ok"));
    slackTiming.deadlineMs = 0;
    const response = await send(form("GET /rest/agile/1.0/board", { response_url: "https://attacker.example/hook" }));
    expect(JSON.stringify(await response.json())).toContain(
      "needs: read:board-scope:jira-software + read:project:jira",
    );
    expect(spy).not.toHaveBeenCalled();
  });
});

describe("scraped and echoed values in Slack answers", () => {
  const originEnv = env as unknown as { PUBLIC_ORIGIN?: string };
  afterEach(() => {
    delete originEnv.PUBLIC_ORIGIN;
  });

  /** The same signed command, sent with another Host (the URL's host is what the worker sees). */
  async function commandAt(origin: string, text: string): Promise<string> {
    const body = form(text);
    const timestamp = String(nowSeconds());
    const response = await exports.default.fetch(
      new Request(`${origin}${URL_PATH}`, {
        method: "POST",
        headers: {
          "content-type": "application/x-www-form-urlencoded",
          "x-slack-request-timestamp": timestamp,
          "x-slack-signature": await sign(SECRET, timestamp, body),
        },
        body,
      }),
    );
    expect(response.status).toBe(200);
    return JSON.stringify(await response.json());
  }

  it("an echoed `<!channel>` and markup stay inert: escaped in the title and in the API's error", async () => {
    const { message, all } = await command("GET /rest/api/3/<!channel>&<img/src=x/onerror=alert(1)>");
    expect(all).not.toMatch(/<!|<img/);
    expect(all).toContain("&lt;!channel&gt;");
    expect(message.text).not.toMatch(/<!|<img/);
  });

  it("an error message cannot forge a line or a mention; suggestions cannot break their code span", () => {
    const message = answerMessage(
      "*Scopes for* `GET /x`",
      {
        ok: false,
        failure: {
          reason: "endpoint_not_found",
          message: "No endpoint matches x\n:white_check_mark: The scopes cover every endpoint <!channel>",
          details: { suggestions: ["/a`\n<!here>"] },
        },
      },
      { origin: "https://scopes.example.com" },
    );
    const texts = message.blocks.map((block) => JSON.stringify(block));
    expect(texts.join("\n")).not.toMatch(/<!/);
    expect(texts.some((text) => /\\n:white_check_mark:/.test(text))).toBe(false);
    expect(JSON.stringify(message.blocks.at(-1))).toContain("`/a' &lt;!here&gt;`");
  });

  it("a forged Host header does not reach the answer's links; PUBLIC_ORIGIN does", async () => {
    const forged = await commandAt("https://evil.example", `GET ${BOARD_GATEWAY_URL}`);
    expect(forged).not.toContain("evil.example");
    expect(forged).toContain("Scope Catalog");
    originEnv.PUBLIC_ORIGIN = "https://scopes.example.com";
    const configured = await commandAt("https://evil.example", `GET ${BOARD_GATEWAY_URL}`);
    expect(configured).not.toContain("evil.example");
    expect(configured).toContain("<https://scopes.example.com/|Scope Catalog>");
  });
});

describe("normalizeSlackText on pathological input", () => {
  /**
   * The work a linear unwrap does is the characters String#indexOf searches through; the regex it replaced
   * rescanned to the end of the text from every `<` without a `>` (n²/2 characters here). The scan must
   * cover the text (so this test fails for an implementation that does not scan) and at most 3n of it.
   */
  function scannedBy(text: string): { scanned: number; result: string } {
    const original = String.prototype.indexOf;
    let scanned = 0;
    String.prototype.indexOf = function indexOf(this: string, search: string, position?: number) {
      const found = original.call(this, search, position);
      scanned += (found < 0 ? this.length : found) - Math.max(0, position ?? 0);
      return found;
    };
    try {
      return { result: normalizeSlackText(text), scanned };
    } finally {
      String.prototype.indexOf = original;
    }
  }

  const n = 50_000;
  const cases: { name: string; given: string; want: string }[] = [
    { name: "`<http:` repeated, no `>`", given: "<http:".repeat(n), want: "<http:".repeat(n) },
    { name: "a `|` in each, no `>`", given: "<https://a|b".repeat(n), want: "<https://a|b".repeat(n) },
    {
      name: "many `<` and one `>` at the end",
      given: `${"<mailto:x".repeat(n)}>`,
      want: `${"<mailto:x".repeat(n - 1)}mailto:x`,
    },
    {
      name: "every link closed",
      given: "<https://a.example/|a> ".repeat(n),
      want: "https://a.example/ ".repeat(n).trim(),
    },
  ];
  it.each(cases)("$name", ({ given, want }) => {
    const { result, scanned } = scannedBy(given);
    expect(result).toBe(want);
    expect(scanned).toBeGreaterThanOrEqual(given.length / 2);
    expect(scanned).toBeLessThanOrEqual(3 * given.length);
  });
});

describe("Slack's limits (a section's text ≤ 3,000 characters, a message a few code blocks)", () => {
  const texts = (message: { blocks: Record<string, unknown>[] }) =>
    message.blocks.map((block) => {
      const b = block as { text?: { text: string }; elements?: { text: string }[] };
      return b.text?.text ?? b.elements?.map((element) => element.text).join("") ?? "";
    });

  it("the fallback text keeps a scope name whole (`pullrequest:write: …` is not an emoji)", () => {
    const message = answerMessage(
      "*Endpoints that use* `pullrequest:write`",
      {
        ok: true,
        text: "pullrequest:write (classic, bitbucket): Read and modify pull requests\n3 endpoints\ncatalog v1\n",
      },
      { origin: undefined },
    );
    expect(message.text).toBe(
      "Endpoints that use pullrequest:write: pullrequest:write (classic, bitbucket): Read and modify pull requests",
    );
  });

  it("a 3,500-character URL keeps every section within 3,000 characters", () => {
    const url = `https://acme.atlassian.net/rest/api/3/search?jql=${"x".repeat(3500)}`;
    const parsed = parseSlackCommand(`GET ${url}`);
    expect(parsed.kind).toBe("api");
    if (parsed.kind !== "api") return;
    const message = answerMessage(
      parsed.title,
      { ok: false, failure: { reason: "endpoint_not_found", message: `No endpoint matches ${url}` } },
      { origin: undefined },
    );
    for (const text of texts(message)) expect(text.length).toBeLessThanOrEqual(3000);
  });

  it("a 150-endpoint diff lists what needs doing, counts the OK ones, and links the page for the rest", () => {
    const lines = Array.from({ length: 150 }, (_, index) =>
      index % 3 === 0
        ? `MISSING GET /rest/api/3/issue/ABC-${index}  add read:jira-work\n        hint: a scope of another product`
        : `OK      GET /rest/api/3/field/${index}/context/defaultValues/and/some/more  via read:jira-work + read:jira-user`,
    );
    const message = answerMessage(
      "*Token diff*",
      { ok: true, text: `${lines.join("\n")}\ncatalog v1\n` },
      { origin: "https://scopes.example.com", page: "https://scopes.example.com/?tool=diff&scopes=read%3Ajira-work" },
    );
    const all = texts(message);
    for (const text of all) expect(text.length).toBeLessThanOrEqual(3000);
    expect(all.join("").length).toBeLessThan(13_000);
    expect(message.blocks.length).toBeLessThanOrEqual(8);
    const body = all.join("\n");
    expect(body).toContain("MISSING GET /rest/api/3/issue/ABC-0");
    expect(body).toContain("(100 endpoints OK, not listed here)");
    expect(body).not.toContain("OK      GET");
  });

  it("past the blocks, the message says where the whole answer is", () => {
    const lines = Array.from(
      { length: 400 },
      (_, index) => `MISSING GET /rest/api/3/issue/ABC-${index}  add read:jira-work`,
    );
    const message = answerMessage(
      "*Token diff*",
      { ok: true, text: `${lines.join("\n")}\ncatalog v1\n` },
      { origin: "https://scopes.example.com", page: "https://scopes.example.com/?tool=diff" },
    );
    const body = texts(message).join("\n");
    expect(body).toContain("…cut here");
    expect(body).toContain("<https://scopes.example.com/?tool=diff|on the page>");
  });

  it("the page link is built from the question, and left out when too long for a URL", () => {
    expect(
      pageUrl("https://scopes.example.com", {
        kind: "diff",
        input: { scopes: "read:jira-work", endpoints: ["GET /rest/api/3/myself"] },
      }),
    ).toBe("https://scopes.example.com/?tool=diff&scopes=read%3Ajira-work&endpoints=GET+%2Frest%2Fapi%2F3%2Fmyself");
    expect(pageUrl("https://scopes.example.com", { kind: "explain", input: {} })).toBeUndefined();
    expect(pageUrl(undefined, { kind: "lookup", input: { path: "/x" } })).toBeUndefined();
    expect(
      pageUrl("https://scopes.example.com", { kind: "plan", input: { endpoints: ["GET /x".repeat(500)] } }),
    ).toBeUndefined();
  });
});

describe("a paged list in Slack", () => {
  it("says to add cursor=<c>, and the command with it answers the next page", async () => {
    const first = await command("endpoints read:jira-work");
    const cursor = /more: add cursor=(\S+) to the command/.exec(first.all)?.[1];
    expect(cursor).toBeDefined();
    expect(first.all).not.toContain("&cursor=");
    const next = await command(`endpoints read:jira-work cursor=${cursor}`);
    const lines = (all: string) => all.split("\n").filter((line) => line.includes("  [jira]"));
    expect(lines(first.all).length).toBeGreaterThan(5);
    expect(lines(next.all).length).toBeGreaterThan(5);
    expect(lines(next.all)[0]).not.toBe(lines(first.all)[0]);
  });
});

describe("HEAD in Slack: a pasted curl -I is checked as the GET Atlassian documents", () => {
  it("answers GET's scopes with the head_as_get note", async () => {
    const { all } = await command("curl -I https://acme.atlassian.net/rest/api/3/myself");
    expect(all).toContain("GET /rest/api/3/myself");
    expect(all).toContain("HEAD /rest/api/3/myself is checked as GET /rest/api/3/myself");
    expect(all).not.toContain("method_not_found");
  });
});
