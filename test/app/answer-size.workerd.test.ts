/**
 * Every answer is at most MAX_ANSWER_BYTES (1,000,000 bytes of UTF-8), in every format and through
 * MCP: past it, 400 `answer_too_large` with its size (issue 15). Asserted on answer bytes, not time,
 * for the largest answers each route gives within its documented limits on the bundled catalog.
 */
import { ORIGIN, resetCatalogCache } from "../helpers/worker";
import { exports } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { ask } from "../../src/integrations/ask";
import { MAX_ANSWER_BYTES } from "../../src/answers/size-cap";
import { answerDiff, checkJsonFloor } from "../../src/answers/diff";
import { catalogFor } from "../../src/storage/served";
import { env } from "cloudflare:workers";

let ip = 0;
async function send(path: string, body?: unknown): Promise<{ status: number; bytes: number; text: string }> {
  const headers = new Headers({ "cf-connecting-ip": `10.77.${(++ip >> 8) & 255}.${ip & 255}` });
  if (body !== undefined) headers.set("content-type", "application/json");
  const response = await exports.default.fetch(
    new Request(
      `${ORIGIN}${path}`,
      body === undefined ? { headers } : { method: "POST", headers, body: JSON.stringify(body) },
    ),
  );
  const buffer = await response.arrayBuffer();
  return { status: response.status, bytes: buffer.byteLength, text: new TextDecoder().decode(buffer) };
}

const tokenList = (tokens: number) =>
  Array.from({ length: tokens }, (_, token) => ({ id: `t${token}`, scopes: ["read:jira-user"] }));
const issues = (count: number) => Array.from({ length: count }, (_, index) => `GET /rest/api/3/issue/ABC-${index}`);

/** Every distinct endpoint of the catalog as "METHOD path", for the largest /plan. */
let everyEndpoint: string[] = [];

beforeAll(async () => {
  resetCatalogCache();
  const served = await catalogFor(env.CATALOG);
  everyEndpoint = served.index.endpoints.map((endpoint) => `${endpoint.method} ${endpoint.path}`);
});

const FORMATS = ["", "?format=text", "?format=markdown"];

describe(`no answer is over ${MAX_ANSWER_BYTES} bytes`, () => {
  const cases: [string, () => Promise<{ status: number; bytes: number; text: string }>][] = [];
  for (const format of FORMATS) {
    const query = format ? `&${format.slice(1)}` : "";
    cases.push(
      [
        `POST /diff${format}, 20 tokens × 100 endpoints (2,000 checks)`,
        () => send(`/diff${format}`, { scopes: tokenList(20), endpoints: issues(100) }),
      ],
      [
        `POST /diff${format}, 20 tokens × 500 callable endpoints`,
        () =>
          send(`/diff${format}`, {
            scopes: tokenList(20).map((token) => ({
              ...token,
              scopes: [
                "read:jira-work",
                "write:jira-work",
                "read:jira-user",
                "manage:jira-project",
                "manage:jira-configuration",
              ],
            })),
            limit: 500,
          }),
      ],
      [
        `POST /plan${format}, 1,000 endpoints`,
        () => send(`/plan${format}`, { endpoints: everyEndpoint.slice(0, 1000) }),
      ],
      [
        `GET /endpoints, read:jira-work, limit 500${format}`,
        () => send(`/endpoints?scope=read:jira-work&limit=500${query}`),
      ],
      [`GET /changes, limit 1000${format}`, () => send(`/changes?limit=1000${query}`)],
    );
  }
  for (const [name, request] of cases)
    it(name, async () => {
      const answer = await request();
      expect(answer.bytes).toBeLessThanOrEqual(MAX_ANSWER_BYTES);
      if (answer.status !== 200) expect(JSON.parse(answer.text).error.code).toBe("answer_too_large");
    });
});

type TooLarge = { error: { code: string; message: string; details: { bytes: number; maxBytes: number } } };

describe("past the cap: 400 answer_too_large with the size; under it the answer is whole", () => {
  it("/diff JSON at the check cap (20 tokens × 100 endpoints, 2.06 MB) is refused while built, with a lower bound", async () => {
    const answer = await send("/diff", { scopes: tokenList(20), endpoints: issues(100) });
    expect(answer.status).toBe(400);
    const { error } = JSON.parse(answer.text) as TooLarge;
    expect(error.code).toBe("answer_too_large");
    expect(error.details).toEqual({ bytes: expect.any(Number), maxBytes: MAX_ANSWER_BYTES, atLeast: true });
    expect(error.details.bytes).toBeGreaterThan(MAX_ANSWER_BYTES);
    // Refused about half way: a check of this answer is ~1 KB of JSON.
    const [, checks, of] = /its first (\d+) of (\d+) endpoint checks/.exec(error.message) ?? [];
    expect(Number(of)).toBe(2000);
    expect(Number(checks)).toBeLessThan(1500);
    expect(error.message).toContain(`an answer is at most ${MAX_ANSWER_BYTES} bytes`);
  });

  it("/diff JSON just past the cap (10 tokens, 1.03 MB) is refused once written, with its exact size", async () => {
    const answer = await send("/diff", { scopes: tokenList(10), endpoints: issues(100) });
    expect(answer.status).toBe(400);
    const { error } = JSON.parse(answer.text) as TooLarge;
    expect(error.details).toEqual({ bytes: expect.any(Number), maxBytes: MAX_ANSWER_BYTES });
    expect(error.details.bytes).toBeGreaterThan(MAX_ANSWER_BYTES);
    expect(error.details.bytes).toBeLessThan(1.1 * MAX_ANSWER_BYTES);
  });

  it("/diff JSON just under the cap (9 tokens, 0.93 MB) is answered whole: the bound refuses nothing that fits", async () => {
    const answer = await send("/diff", { scopes: tokenList(9), endpoints: issues(100) });
    expect(answer.status).toBe(200);
    expect(answer.bytes).toBeGreaterThan(0.9 * MAX_ANSWER_BYTES);
    expect((JSON.parse(answer.text) as { tokens: unknown[] }).tokens).toHaveLength(9);
  });

  it("the same 20 tokens as text are answered (0.3 MB): only JSON is counted while built", async () => {
    const answer = await send("/diff?format=text", { scopes: tokenList(20), endpoints: issues(100) });
    expect(answer.status).toBe(200);
    expect(answer.bytes).toBeGreaterThan(MAX_ANSWER_BYTES / 5);
  });

  it("a check's counted bound is at most its JSON, over every product, URL mistakes, removals and credentials", async () => {
    const served = await catalogFor(env.CATALOG);
    const lines = [
      ...everyEndpoint.filter((_, index) => index % 3 === 0),
      "GET https://example.atlassian.net/wiki/rest/api/content/123?expand=body",
      "GET /rest/api/content/123",
      "GET https://api.atlassian.com/ex/jira/11111111-2222-3333-4444-555555555555/rest/agile/1.0/board",
      "GET https://bitbucket.org/acme/repo/pull-requests/1",
      "/rest/api/3/issue/ABC-1",
      "GET /rest/api/3/search",
    ];
    const tokens = [
      { scopes: ["read:jira-work", "read:jira-user", "write:jira-work", "read:confluence-content.all"] },
      { scopes: ["read:board-scope:jira-software", "read:issue:jira", "repository", "pullrequest:write"] },
      { scopes: ["read:jira-wrok"], credential: "scoped-api-token" },
    ];
    let checked = 0;
    let counted = 0;
    let written = 0;
    for (const { scopes, credential } of tokens)
      for (let at = 0; at < lines.length; at += 500) {
        const answer = answerDiff(served, {
          scopes,
          endpoints: lines.slice(at, at + 500),
          ...(credential ? { credential } : {}),
        });
        if (!answer.ok) throw new Error(answer.failure.message);
        for (const result of answer.value.results ?? []) {
          if (result.error) continue;
          checked++;
          const bytes = new TextEncoder().encode(JSON.stringify(result)).byteLength;
          expect(checkJsonFloor(result), result.path).toBeLessThanOrEqual(bytes);
          counted += checkJsonFloor(result);
          written += bytes;
        }
      }
    expect(checked).toBeGreaterThan(1500);
    // Close enough to refuse a 2 MB answer about half way.
    expect(counted).toBeGreaterThan(0.75 * written);
  });

  it("the same with 5 tokens answers 200, whole", async () => {
    const answer = await send("/diff", { scopes: tokenList(5), endpoints: issues(100) });
    expect(answer.status).toBe(200);
    expect(answer.bytes).toBeGreaterThan(MAX_ANSWER_BYTES / 10);
    expect(answer.bytes).toBeLessThanOrEqual(MAX_ANSWER_BYTES);
    expect((JSON.parse(answer.text) as { tokens: unknown[] }).tokens).toHaveLength(5);
  });

  it("MCP and Slack (ask): the largest diff's text is under the cap, so it is answered", async () => {
    const answer = await ask(() => catalogFor(env.CATALOG), {
      kind: "diff",
      input: { scopes: tokenList(20), endpoints: issues(100) },
    });
    expect(answer.ok).toBe(true);
    if (answer.ok) expect(new TextEncoder().encode(answer.text).byteLength).toBeLessThanOrEqual(MAX_ANSWER_BYTES);
  });
});
