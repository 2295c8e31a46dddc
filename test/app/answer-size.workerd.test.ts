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

describe("past the cap: 400 answer_too_large with the size; under it the answer is whole", () => {
  it("/diff JSON at the check cap (20 tokens × 100 endpoints, 2.06 MB before) is refused, and says how large it was", async () => {
    const answer = await send("/diff", { scopes: tokenList(20), endpoints: issues(100) });
    expect(answer.status).toBe(400);
    const { error } = JSON.parse(answer.text) as {
      error: { code: string; message: string; details: { bytes: number; maxBytes: number } };
    };
    expect(error.code).toBe("answer_too_large");
    expect(error.details).toEqual({ bytes: expect.any(Number), maxBytes: MAX_ANSWER_BYTES });
    expect(error.details.bytes).toBeGreaterThan(MAX_ANSWER_BYTES);
    expect(error.message).toContain(`an answer is at most ${MAX_ANSWER_BYTES} bytes`);
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
