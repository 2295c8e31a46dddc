/**
 * Property-based fuzzing (fast-check) of every route inside workerd: thousands of generated requests
 * (arbitrary and unicode strings, percent soup, JSON values, mutated JSON, random content types,
 * methods and headers). For every answer: never a 5xx; every 4xx in the error shape with a message;
 * every 2xx JSON answer parses; no stack trace anywhere; no query value in the logs.
 *
 * The seed is fixed (SEED; each property adds its index) and printed, so a failure replays exactly;
 * change SEED to explore. fast-check reports the failing request and the seed.
 *
 * Requests go to the worker's own fetch handler (`worker.fetch(request, env, ctx)`: the same app,
 * middleware and bindings as `exports.default.fetch`, without the runtime's HTTP hop, which costs
 * ~30 ms a request here and would not fit 10,000 requests in a minute). Most properties answer from
 * a trimmed copy of the real catalog (the first 40 endpoints of each product) published into KV,
 * where suggestions for unmatched paths are cheap; one runs on the full bundled snapshot with
 * well-formed bodies. The corpus (reliability-corpus.test.ts) goes through exports.default.fetch.
 *
 * Not fuzzed here: POST /integrations/slack/command (without SLACK_SIGNING_SECRET it answers 503
 * slack_not_configured by design). POST /mcp is fuzzed with its own property: its errors are
 * JSON-RPC's shape, not this API's.
 */
import { ORIGIN } from "../helpers/worker";
import { createExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { loadSnapshot } from "../../data/snapshot";
import { snapshotShards } from "../helpers/snapshot-shards";
import worker from "../../src/index";
import type { Product, ProductShard } from "../../src/catalog/schema";
import { resetCatalogCache } from "../../src/storage/catalog-cache";
import { CatalogStore } from "../../src/storage/catalog-store";
import { publishVersion, type NewShard } from "../../scraper/publish";

const SEED = 20261130;
const PER_PRODUCT = 40;

// ------------------------------------------------------------------------------------------------
// Generators

const INTERESTING = [
  "",
  " ",
  "/",
  "//",
  "..",
  "%",
  "%00",
  "%ZZ",
  "%E0%A4%A",
  "\u0000",
  "\uFEFF",
  "\u202E",
  "\uD800",
  "null",
  "[]",
  "{}",
  "0",
  "-1",
  "1e3",
  "50",
  "500",
  "501",
  "NaN",
  "GET",
  "get",
  "POST",
  "PATCH",
  "json",
  "text",
  "markdown",
  "fewest",
  "granular",
  "jira",
  "confluence",
  "bitbucket",
  "read:jira-work",
  "write:jira-work",
  "read:board-scope:jira-software",
  "read:project:jira",
  "read:pullrequest:bitbucket",
  "read:page:confluence",
  "/rest/api/3/myself",
  "/rest/api/3/issue/ABC-1",
  "/rest/agile/1.0/board",
  "/wiki/api/v2/pages/123",
  "/2.0/repositories/acme/repo/pullrequests",
  "https://acme.atlassian.net/rest/api/3/issue/ABC-1?expand=names#x",
  "https://api.atlassian.com/ex/jira/11111111-2222-3333-4444-555555555555/rest/agile/1.0/board",
  "https://api.bitbucket.org/2.0/repositories/acme/repo",
  "GET /rest/api/3/myself",
  "bzo1",
  "2026-06-10",
  "2026-11-30T05-44-50Z",
];

/** Strings of every kind a user or an attacker might send. */
const anyText = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...INTERESTING) },
  { weight: 2, arbitrary: fc.string({ maxLength: 30 }) },
  { weight: 2, arbitrary: fc.string({ unit: "binary", maxLength: 20 }) },
  { weight: 1, arbitrary: fc.string({ unit: "grapheme", maxLength: 12 }) },
  {
    weight: 2,
    arbitrary: fc.string({
      unit: fc.constantFrom(
        "%",
        "2",
        "5",
        "F",
        "Z",
        "E",
        "0",
        "/",
        ".",
        "?",
        "#",
        "&",
        "=",
        "+",
        ":",
        "{",
        "}",
        "a",
        "\u0000",
        "\uD83E",
        "é",
      ),
      maxLength: 24,
    }),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.constantFrom(...INTERESTING), fc.string({ unit: "binary", maxLength: 6 }))
      .map(([a, b]) => a + b),
  },
);

const jsonish = fc.oneof(anyText, fc.jsonValue({ maxDepth: 3 }), fc.array(anyText, { maxLength: 6 }));

/** Requests shaped like real ones, so that the 2xx paths are fuzzed too. */
const SCOPE_NAMES = [
  "read:jira-work",
  "write:jira-work",
  "read:jira-user",
  "read:board-scope:jira-software",
  "read:project:jira",
  "read:issue:jira",
  "read:pullrequest:bitbucket",
  "pullrequest",
  "read:page:confluence",
  "read:confluence-content.all",
  "read:servicedesk-request",
  "read:cmdb-object:jira",
];
const KNOWN_PATHS = [
  "/rest/api/3/myself",
  "/rest/api/3/issue/ABC-1",
  "/rest/api/2/issue/ABC-1",
  "/rest/agile/1.0/board",
  "/rest/agile/1.0/board/12/issue",
  "/rest/agile/1.0/sprint/7",
  "/wiki/api/v2/pages/123",
  "/2.0/repositories/acme/repo/pullrequests",
  "/rest/servicedeskapi/request",
  "https://acme.atlassian.net/rest/api/3/issue/ABC-1?expand=names",
  "https://api.atlassian.com/ex/jira/11111111-2222-3333-4444-555555555555/rest/agile/1.0/board",
  "https://api.atlassian.com/ex/confluence/11111111-2222-3333-4444-555555555555/wiki/api/v2/pages/1",
  "https://api.bitbucket.org/2.0/repositories/acme/repo",
  "https://api.atlassian.com/jsm/assets/workspace/w1/v1/object/9",
];
const scopeName = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...SCOPE_NAMES) },
  { weight: 1, arbitrary: anyText },
);
const knownPath = fc.constantFrom(...KNOWN_PATHS);
const httpMethod = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom("GET", "POST", "PUT", "DELETE", "get") },
  { weight: 1, arbitrary: anyText },
);
const endpointLine = fc.oneof(
  fc.tuple(fc.constantFrom("GET", "POST", "PUT", "DELETE"), knownPath).map(([method, path]) => `${method} ${path}`),
  knownPath,
  fc.record({ method: httpMethod, path: knownPath }, { requiredKeys: ["path"] }),
);
const scopesInput = fc.oneof(
  fc.array(scopeName, { maxLength: 8 }),
  fc
    .array(scopeName, { maxLength: 8 })
    .map((names) => names.join(fc.sample(fc.constantFrom(" ", ",", "\n", ", "), 1)[0])),
  fc.array(
    fc.record(
      { id: fc.string({ maxLength: 6 }), label: anyText, scopes: fc.array(scopeName, { maxLength: 5 }) },
      { requiredKeys: ["scopes"] },
    ),
    { minLength: 1, maxLength: 3 },
  ),
);
const VALID_BODIES: Record<string, fc.Arbitrary<Record<string, unknown>>> = {
  "/diff": fc.record(
    {
      scopes: scopesInput,
      path: knownPath,
      method: httpMethod,
      endpoints: fc.array(endpointLine, { maxLength: 5 }),
      limit: fc.integer({ min: 1, max: 1000 }),
      cursor: fc.constantFrom("bzox", "bzoy", "bzo1MA"),
    },
    { requiredKeys: ["scopes"] },
  ),
  "/plan": fc.record(
    {
      endpoints: fc.array(endpointLine, { minLength: 1, maxLength: 8 }),
      text: fc
        .array(
          endpointLine.filter((line) => typeof line === "string"),
          { maxLength: 4 },
        )
        .map((lines) => lines.join("\n")),
      prefer: fc.constantFrom("fewest", "granular", "classic"),
      maxScopes: fc.integer({ min: 1, max: 500 }),
    },
    { requiredKeys: ["endpoints"] },
  ),
  "/explain": fc.record(
    {
      method: fc.constantFrom("GET", "POST", "PUT", "DELETE"),
      url: knownPath,
      status: fc.constantFrom(200, 401, 403, 404, 429),
      body: fc.constantFrom('{"code":401,"message":"Unauthorized; scope does not match"}', "Forbidden", ""),
      scopes: fc.oneof(fc.array(scopeName, { maxLength: 5 }), scopeName),
    },
    { requiredKeys: ["method", "url", "status"] },
  ),
};

interface Route {
  path: string;
  methods: readonly string[];
  params: readonly string[];
  body?: fc.Arbitrary<Record<string, unknown>>;
}

const endpointsArb = fc.array(
  fc.oneof(
    anyText,
    fc.record({ method: fc.option(anyText, { nil: undefined }), path: anyText }, { requiredKeys: [] }),
    fc.jsonValue({ maxDepth: 2 }),
  ),
  { maxLength: 6 },
);

const ROUTES: readonly Route[] = [
  { path: "/scopes", methods: ["GET"], params: ["path", "method", "format"] },
  { path: "/endpoints", methods: ["GET"], params: ["scope", "product", "method", "limit", "cursor", "format"] },
  {
    path: "/changes",
    methods: ["GET"],
    params: ["since", "product", "scope", "path", "method", "limit", "cursor", "format"],
  },
  { path: "/changes.atom", methods: ["GET"], params: ["since", "product", "scope", "path", "method"] },
  { path: "/health", methods: ["GET"], params: ["format"] },
  { path: "/openapi.json", methods: ["GET"], params: [] },
  { path: "/", methods: ["GET"], params: ["q"] },
  {
    path: "/diff",
    methods: ["POST"],
    params: ["format"],
    body: fc.record(
      {
        scopes: fc.oneof(
          jsonish,
          fc.array(fc.record({ id: anyText, label: anyText, scopes: jsonish }, { requiredKeys: [] }), { maxLength: 3 }),
        ),
        path: jsonish,
        method: jsonish,
        endpoints: fc.oneof(endpointsArb, jsonish),
        limit: fc.oneof(fc.integer({ min: -5, max: 1200 }), jsonish),
        cursor: jsonish,
      },
      { requiredKeys: [] },
    ),
  },
  {
    path: "/plan",
    methods: ["POST"],
    params: ["format", "prefer", "maxScopes"],
    body: fc.record(
      {
        endpoints: fc.oneof(endpointsArb, jsonish),
        text: fc.oneof(
          anyText,
          fc.array(anyText, { maxLength: 5 }).map((lines) => lines.join("\n")),
        ),
        har: fc.oneof(
          jsonish,
          fc.record({
            log: fc.record({
              entries: fc.array(
                fc.record(
                  { request: fc.record({ method: anyText, url: anyText }, { requiredKeys: [] }) },
                  { requiredKeys: [] },
                ),
                { maxLength: 4 },
              ),
            }),
          }),
        ),
        log: jsonish,
        prefer: jsonish,
        maxScopes: fc.oneof(fc.integer({ min: -2, max: 600 }), jsonish),
      },
      { requiredKeys: [] },
    ),
  },
  {
    path: "/explain",
    methods: ["POST"],
    params: ["format"],
    body: fc.record(
      {
        method: fc.oneof(fc.constantFrom("GET", "POST", "DELETE"), jsonish),
        url: jsonish,
        status: fc.oneof(fc.constantFrom(401, 403, 404, 200, 500), fc.integer({ min: -1, max: 1000 }), jsonish),
        body: fc.oneof(anyText, fc.jsonValue({ maxDepth: 3 })),
        scopes: jsonish,
      },
      { requiredKeys: [] },
    ),
  },
];

const CONTENT_TYPES = [
  "application/json",
  "application/json; charset=utf-8",
  "application/vnd.api+json",
  "text/plain",
  "text/plain; charset=utf-16",
  "application/x-www-form-urlencoded",
  "multipart/form-data; boundary=x",
  "application/xml",
  "*/*",
  "",
];
/** Header values clients send (printable ASCII; workerd warns about, and browsers refuse, the rest). */
const headerText = fc
  .string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((code) => String.fromCharCode(code)), maxLength: 40 })
  .map((value) => value.trim());

interface Generated {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
  queryValues: string[];
}

function queryString(entries: [string, string][], raw: boolean): string {
  if (entries.length === 0) return "";
  if (!raw) return `?${new URLSearchParams(entries)}`;
  // Unencoded: invalid percent-encoding, bare & = # and unicode reach the URL parser as typed.
  return `?${entries.map(([key, value]) => `${key}=${value}`).join("&")}`;
}

function bodyFor(route: Route, onlyValid = false): fc.Arbitrary<string | undefined> {
  const valid = VALID_BODIES[route.path];
  if (onlyValid && valid) return valid.map((value) => JSON.stringify(value));
  const structured = route.body ?? fc.constant({});
  return fc.oneof(
    { weight: valid ? 4 : 0, arbitrary: (valid ?? structured).map((value) => JSON.stringify(value)) },
    { weight: 5, arbitrary: structured.map((value) => JSON.stringify(value)) },
    { weight: 1, arbitrary: fc.json({ maxDepth: 3 }) },
    { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 40 }) },
    {
      weight: 2,
      arbitrary: fc
        .tuple(structured, fc.constantFrom("bom", "truncate", "garbage", "double", "nest"))
        .map(([value, how]) => {
          const text = JSON.stringify(value);
          if (how === "bom") return `\uFEFF${text}`;
          if (how === "truncate") return text.slice(0, Math.max(1, Math.floor(text.length / 2)));
          if (how === "garbage") return `${text}}\u0000garbage`;
          if (how === "double") return text + text;
          return `{"scopes":${"[".repeat(2000)}${"]".repeat(2000)},"endpoints":${text}}`;
        }),
    },
    { weight: 1, arbitrary: fc.constant(undefined) },
  );
}

function requestArb(
  routes: readonly Route[],
  pathText: fc.Arbitrary<string>,
  onlyValidBodies = false,
): fc.Arbitrary<Generated> {
  return fc.constantFrom(...routes).chain((route) =>
    fc
      .record({
        method: fc.oneof(
          { weight: 6, arbitrary: fc.constantFrom(...route.methods) },
          {
            weight: 1,
            arbitrary: fc.constantFrom("GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "PROPFIND"),
          },
        ),
        suffix: fc.oneof(
          { weight: 8, arbitrary: fc.constant("") },
          { weight: 1, arbitrary: fc.constantFrom("/", "/x", "/..%2f", "%00", "/%ZZ") },
        ),
        params: fc.oneof(
          { weight: 2, arbitrary: fc.constant([] as [string, string][]) },
          {
            weight: 3,
            arbitrary: fc.array(
              fc.tuple(
                fc.oneof(
                  { weight: 4, arbitrary: fc.constantFrom(...(route.params.length > 0 ? route.params : ["x"])) },
                  { weight: 1, arbitrary: fc.string({ maxLength: 6 }) },
                ),
                pathText,
              ),
              { minLength: 1, maxLength: 4 },
            ),
          },
        ),
        raw: fc.boolean(),
        contentType: fc.oneof(
          {
            weight: route.methods.includes("POST") ? 8 : 1,
            arbitrary: fc.constantFrom("application/json", "application/json; charset=utf-8"),
          },
          { weight: 4, arbitrary: fc.constantFrom(...CONTENT_TYPES) },
          { weight: 1, arbitrary: headerText },
        ),
        accept: fc.option(
          fc.oneof(fc.constantFrom("text/plain", "application/json", "text/markdown", "*/*", "text/html"), headerText),
          { nil: undefined },
        ),
        ifNoneMatch: fc.option(fc.oneof(fc.constant("*"), headerText), { nil: undefined, freq: 8 }),
        body: bodyFor(route, onlyValidBodies),
      })
      .map(({ method, suffix, params, raw, contentType, accept, ifNoneMatch, body }) => {
        const headers: Record<string, string> = {};
        if (contentType) headers["content-type"] = contentType;
        if (accept) headers.accept = accept;
        if (ifNoneMatch) headers["if-none-match"] = ifNoneMatch;
        const withBody = method !== "GET" && method !== "HEAD" && body !== undefined;
        return {
          method,
          url: `${route.path}${suffix}${queryString(params, raw)}`,
          headers,
          body: withBody ? body : undefined,
          queryValues: params.map(([, value]) => value),
        };
      }),
  );
}

// ------------------------------------------------------------------------------------------------
// Checks

const STACK_TRACE =
  /\bat \S+ \(\S+:\d+:\d+\)|\.(ts|js|mjs):\d+:\d+|"stack"\s*:|\b(TypeError|RangeError|ReferenceError|SyntaxError): /;

/** The worker's own fetch handler, with the test's bindings: the same app and middleware, without the runtime's HTTP hop. */
const ctx = createExecutionContext();
let ip = 0;
const logged: string[] = [];
const stats = { requests: 0, byStatus: new Map<number, number>(), lines: [] as string[] };

async function check(
  request: Generated,
  options: { errorShape: "api" | "jsonrpc-or-api" } = { errorShape: "api" },
): Promise<void> {
  ip++;
  let built: Request;
  try {
    built = new Request(`${ORIGIN}${request.url}`, {
      method: request.method,
      headers: { ...request.headers, "cf-connecting-ip": `10.${(ip >> 16) & 255}.${(ip >> 8) & 255}.${ip & 255}` },
      body: request.body,
    });
  } catch {
    return; // not a request any client can send (e.g. a header the Fetch API refuses)
  }
  const before = logged.length;
  const response = await worker.fetch(built, env, ctx);
  const text = await response.text();
  stats.requests++;
  stats.byStatus.set(response.status, (stats.byStatus.get(response.status) ?? 0) + 1);
  const where = `${request.method} ${request.url.slice(0, 200)} ${JSON.stringify(request.headers)} body=${JSON.stringify(request.body?.slice(0, 200))} -> ${response.status} ${text.slice(0, 300)}`;

  expect(response.status, where).toBeLessThan(500);
  expect(text, where).not.toMatch(STACK_TRACE);
  const type = response.headers.get("content-type") ?? "";
  if (response.status >= 400 && request.method !== "HEAD" && /^text\/(plain|markdown)/.test(type)) {
    // An error asked for as text or markdown (errors.ts): the code on the first line, then the message.
    expect(text, where).toMatch(/^(\*\*)?error: [a-z][a-z0-9_\\]*(\*\*)?\n(- | {2})\S.{10,}/);
  } else if (response.status >= 400 && request.method !== "HEAD") {
    expect(type, where).toMatch(/^application\/json/);
    const body = JSON.parse(text) as Record<string, any>;
    if (options.errorShape === "jsonrpc-or-api" && "jsonrpc" in body) {
      expect(typeof body.error?.message, where).toBe("string");
    } else {
      expect(Object.keys(body), where).toEqual(["error"]);
      expect(
        Object.keys(body.error).every((key) => ["code", "message", "details"].includes(key)),
        where,
      ).toBe(true);
      expect(body.error.code, where).toMatch(/^[a-z][a-z0-9_]*$/);
      expect(typeof body.error.message, where).toBe("string");
      expect(body.error.message.length, where).toBeGreaterThan(10);
    }
  }
  if (response.status >= 200 && response.status < 300 && /json/.test(type) && request.method !== "HEAD") {
    expect(() => JSON.parse(text), where).not.toThrow();
  }
  // Logs: the failure line holds the path, never a query value.
  const lines = logged.slice(before).join("\n");
  const pathname = new URL(built.url).pathname;
  for (const value of request.queryValues) {
    const trimmed = value.trim();
    if (trimmed.length >= 8 && !pathname.includes(trimmed) && !decodeSafely(pathname).includes(trimmed)) {
      expect(lines.includes(trimmed), `${where}: query value ${JSON.stringify(trimmed)} logged`).toBe(false);
    }
  }
}

function decodeSafely(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

async function assertProperty(
  name: string,
  arbitrary: fc.Arbitrary<Generated>,
  numRuns: number,
  seed: number,
  options?: { errorShape: "api" | "jsonrpc-or-api" },
): Promise<void> {
  stats.byStatus.clear();
  const before = stats.requests;
  await fc.assert(
    fc.asyncProperty(arbitrary, (request) => check(request, options)),
    { seed, numRuns, endOnFailure: true },
  );
  const statuses = [...stats.byStatus.entries()]
    .sort(([a], [b]) => a - b)
    .map(([status, count]) => `${status}: ${count}`)
    .join(", ");
  stats.lines.push(`  ${name} (seed ${seed}): ${stats.requests - before} requests; ${statuses}`);
}

// ------------------------------------------------------------------------------------------------

/** The first PER_PRODUCT endpoints of each product of the real catalog, with all its scopes. */
async function publishTrimmedCatalog(): Promise<void> {
  const { manifest } = await loadSnapshot();
  const shards = await snapshotShards();
  const pointers = (manifest as { products: Record<Product, { key: string }> }).products;
  const trimmed: NewShard[] = Object.values(pointers).map((pointer) => {
    const { version: _version, schemaVersion: _schema, ...shard } = shards[pointer.key] as ProductShard;
    return { ...shard, endpoints: shard.endpoints.slice(0, PER_PRODUCT) };
  });
  await publishVersion(new CatalogStore(env.CATALOG), null, trimmed, new Date());
}

beforeAll(async () => {
  console.info(`fast-check seed ${SEED}`);
  for (const level of ["log", "info", "warn", "error", "debug"] as const) {
    vi.spyOn(console, level).mockImplementation((...args: unknown[]) => {
      logged.push(args.map(String).join(" "));
    });
  }
  resetCatalogCache();
  await publishTrimmedCatalog();
  resetCatalogCache();
});

afterAll(() => {
  vi.restoreAllMocks();
  console.info(`fuzz: seed ${SEED}, ${stats.requests} requests\n${stats.lines.join("\n")}`);
});

const shortPath = fc.oneof(
  anyText,
  fc
    .array(
      fc.constantFrom(
        "rest",
        "api",
        "3",
        "issue",
        "ABC-1",
        "agile",
        "1.0",
        "board",
        "wiki",
        "2.0",
        "%2F",
        "..",
        "{id}",
        "x",
      ),
      { maxLength: 6 },
    )
    .map((parts) => `/${parts.join("/")}`),
);

describe(`fuzz (fast-check seed ${SEED})`, () => {
  it("GET routes: /scopes, /endpoints, /changes, /changes.atom, /health, /openapi.json, /", {
    timeout: 120_000,
  }, async () => {
    await assertProperty(
      "GET routes",
      requestArb(
        ROUTES.filter((route) => route.methods.includes("GET")),
        shortPath,
      ),
      3_000,
      SEED,
    );
  });

  it("POST routes: /diff, /plan, /explain", { timeout: 120_000 }, async () => {
    await assertProperty(
      "POST routes",
      requestArb(
        ROUTES.filter((route) => route.methods.includes("POST")),
        anyText,
      ),
      4_000,
      SEED + 1,
    );
  });

  it("any route, any method, any header", { timeout: 120_000 }, async () => {
    await assertProperty("any route", requestArb(ROUTES, shortPath), 2_000, SEED + 2);
  });

  it("POST /mcp: random JSON-RPC-ish bodies never crash it", { timeout: 120_000 }, async () => {
    const message = fc.record(
      {
        jsonrpc: fc.oneof(fc.constant("2.0"), jsonish),
        id: fc.oneof(fc.integer(), anyText, fc.constant(null)),
        method: fc.oneof(
          fc.constantFrom("initialize", "tools/list", "tools/call", "ping", "notifications/initialized"),
          anyText,
        ),
        params: fc.oneof(
          fc.record(
            {
              name: fc.oneof(
                fc.constantFrom(
                  "lookup_scopes",
                  "find_endpoints_for_scope",
                  "diff_token_scopes",
                  "plan_scopes",
                  "explain_failure",
                ),
                anyText,
              ),
              arguments: fc.oneof(
                fc.dictionary(anyText, jsonish, { maxKeys: 4 }),
                fc.record(
                  {
                    path: knownPath,
                    method: httpMethod,
                    scope: scopeName,
                    scopes: scopesInput,
                    endpoints: fc.array(endpointLine, { maxLength: 3 }),
                    url: knownPath,
                    status: fc.constantFrom(401, 403),
                  },
                  { requiredKeys: [] },
                ),
              ),
            },
            { requiredKeys: [] },
          ),
          jsonish,
        ),
      },
      { requiredKeys: [] },
    );
    const arbitrary = fc
      .record({
        body: fc.oneof(
          message.map((value) => JSON.stringify(value)),
          fc.array(message, { maxLength: 3 }).map((value) => JSON.stringify(value)),
          fc.json({ maxDepth: 2 }),
          anyText,
        ),
        accept: fc.oneof(
          { weight: 4, arbitrary: fc.constant("application/json, text/event-stream") },
          { weight: 1, arbitrary: fc.constantFrom("application/json", "*/*", "") },
        ),
      })
      .map(
        ({ body, accept }): Generated => ({
          method: "POST",
          url: "/mcp",
          headers: { "content-type": "application/json", ...(accept ? { accept } : {}) },
          body,
          queryValues: [],
        }),
      );
    await assertProperty("POST /mcp", arbitrary, 400, SEED + 3, { errorShape: "jsonrpc-or-api" });
  });

  it("the full bundled catalog, short paths", { timeout: 120_000 }, async () => {
    for (const { name } of (await env.CATALOG.list()).keys) await env.CATALOG.delete(name);
    resetCatalogCache();
    const routes = ROUTES.filter((route) =>
      ["/scopes", "/endpoints", "/diff", "/plan", "/explain"].includes(route.path),
    );
    await assertProperty(
      "full catalog",
      requestArb(routes, fc.oneof(knownPath, scopeName, fc.constantFrom(...INTERESTING)), true),
      600,
      SEED + 4,
    );
  });
});
