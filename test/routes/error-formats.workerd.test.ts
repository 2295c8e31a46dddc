/**
 * Errors in the format asked for: a route that answers text or markdown (`?format=`, `Accept`) answers its
 * errors the same way, with the same status; JSON stays the default, byte for byte; a bad `format` value
 * and routes without `format` answer JSON.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { expectError, get, getScopes, postJson, resetCatalogCache } from "../helpers/worker";

beforeAll(async () => {
  resetCatalogCache();
  await (await get("/health")).arrayBuffer();
}, 30_000);

async function textError(response: Response, status: number, type: "text/plain" | "text/markdown"): Promise<string> {
  const text = await response.text();
  expect(response.status, text.slice(0, 300)).toBe(status);
  expect(response.headers.get("content-type")).toBe(`${type}; charset=UTF-8`);
  expect(response.headers.get("cache-control")).toBe("no-store");
  return text;
}

describe("errors as text and markdown", () => {
  it("GET /scopes endpoint_not_found: the code first, the message, the suggestions", async () => {
    const text = await textError(
      await getScopes({ path: "/rest/agile/1.0/boards", format: "text" }),
      404,
      "text/plain",
    );
    const lines = text.split("\n");
    expect(lines[0]).toBe("error: endpoint_not_found");
    expect(lines[1]).toMatch(/^ {2}No Atlassian Cloud endpoint in the catalog matches \/rest\/agile\/1\.0\/boards\./);
    expect(lines).toContain("  path: /rest/agile/1.0/boards");
    expect(text).toMatch(/\n {2}suggestions: \/rest\/agile\/1\.0\/board(, |\n)/);
  });

  it("a route written with a trailing slash (/scopes/, /plan/) answers its errors in the format too", async () => {
    const scopes = await textError(await get("/scopes/?path=/rest/agile/1.0/boards&format=text"), 404, "text/plain");
    expect(scopes.split("\n")[0]).toBe("error: endpoint_not_found");
    const plan = await textError(await postJson("/plan/?format=text", {}), 400, "text/plain");
    expect(plan.split("\n")[0]).toMatch(/^error: /);
  });

  it("GET /scopes method_not_found lists the methods; Accept: text/plain is read as format=text", async () => {
    const text = await textError(
      await getScopes({ path: "/rest/agile/1.0/board", method: "PATCH" }, { accept: "text/plain" }),
      404,
      "text/plain",
    );
    expect(text).toBe(
      "error: method_not_found\n  /rest/agile/1.0/board exists, but not with PATCH; it takes GET, POST.\n  path: /rest/agile/1.0/board\n  methods: GET, POST\n",
    );
  });

  it("markdown: the code as a bold line, the message and details as bullets", async () => {
    const text = await textError(
      await get("/endpoints?scope=read:board-scope:jira&format=markdown"),
      404,
      "text/markdown",
    );
    expect(text.split("\n")[0]).toBe("**error: scope\\_not\\_found**");
    expect(text).toContain("- suggestions: `read:board-scope:jira-software`");
  });

  it("validation errors (invalid_request) say the issue once, with the docs link", async () => {
    const text = await textError(await get("/scopes?format=TEXT"), 400, "text/plain");
    const lines = text.trimEnd().split("\n");
    expect(lines[0]).toBe("error: invalid_request");
    expect(lines[1]).toMatch(/^ {2}path: `path` is required/);
    expect(lines.slice(2)).toEqual(["  docs: http://catalog.test/openapi.json"]);
  });

  it("POST routes: /diff, /plan and /explain, including the edge's refusals", async () => {
    const diff = await textError(await postJson("/diff", { path: "/x" }, { query: "?format=text" }), 400, "text/plain");
    expect(diff.split("\n")[0]).toBe("error: invalid_request");
    const plan = await textError(await postJson("/plan", {}, { query: "?format=markdown" }), 400, "text/markdown");
    expect(plan.split("\n")[0]).toBe("**error: no\\_endpoints**");
    const form = await textError(
      await postJson("/explain", "x=1", {
        query: "?format=text",
        headers: { "content-type": "application/x-www-form-urlencoded" },
      }),
      415,
      "text/plain",
    );
    expect(form.split("\n")[0]).toBe("error: unsupported_media_type");
    const notJson = await textError(await postJson("/diff", "{not json", { query: "?format=text" }), 400, "text/plain");
    expect(notJson.split("\n")[0]).toBe("error: invalid_json");
  });

  it("GET /changes and the credential guard", async () => {
    const since = await textError(await get("/changes?since=xx&format=text"), 400, "text/plain");
    expect(since).toContain("error: invalid_since\n");
    expect(since).toContain("\n  since: xx\n");
    const secret = await textError(
      await get(
        `/scopes?format=text&path=/rest/api/3/myself&q=${encodeURIComponent("Bearer abcdefghijklmnopqrstuvwxyz0123456789")}`,
      ),
      400,
      "text/plain",
    );
    expect(secret.split("\n")[0]).toBe("error: credential_detected");
    expect(secret).not.toContain("abcdefghijklmnop");
  });
});

describe("JSON stays the default", () => {
  it("without format, and with format=json, the error is the JSON shape", async () => {
    await expectError(await getScopes({ path: "/rest/agile/1.0/boards" }), 404, "endpoint_not_found");
    await expectError(await getScopes({ path: "/rest/agile/1.0/boards", format: "json" }), 404, "endpoint_not_found");
  });

  // Which of text or markdown was meant cannot be known: the default answers, naming the values allowed.
  it("a format value that is not one of the three is refused in JSON", async () => {
    const error = await expectError(
      await getScopes({ path: "/rest/api/3/myself", format: "xml" }),
      400,
      "invalid_request",
    );
    expect(error.message).toContain("json, text, markdown");
    await expectError(await get("/scopes?path=/rest/api/3/myself&format=text&format=text"), 400, "invalid_request");
    await expectError(await get("/scopes?path=/rest/api/3/nothing&format="), 400, "invalid_request");
  });

  it("routes without format answer JSON errors whatever is asked", async () => {
    await expectError(await get("/nope?format=text"), 404, "route_not_found");
    await expectError(await get("/changes.atom?since=xx&format=text"), 400, "invalid_since");
  });
});
