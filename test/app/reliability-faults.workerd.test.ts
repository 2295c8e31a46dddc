/**
 * Faults, end to end inside workerd: upstream (Atlassian's documents) and storage (Workers KV) fail in
 * every way the issue lists, and the worker keeps answering from the last good catalog.
 *
 * Scraper faults run the real pipeline (`runScrape` with `liveLoaders`, so `fetchDocument` with its
 * allowlist, redirect checks, timeout and size cap) over a small source list built here (two products,
 * one document each), with `fetch` faked and the store on the real `env.CATALOG`. After each fault the
 * published catalog must be exactly as it was, lookups through the worker must answer from the last
 * good version, /health must name the failure, its reason and the catalog's age, and the next good
 * run must recover.
 *
 * Runtime faults call the worker's fetch handler with a KV binding that throws or returns corrupt
 * values, and `servedCatalog` directly with a snapshot loader that fails.
 *
 * Each case asserts the behaviour the issue asks for.
 */
import { ORIGIN } from "../helpers/worker";
import { env } from "cloudflare:workers";
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import worker from "../../src/index";
import { loadSnapshot } from "../../data/snapshot";
import type { RunReport } from "../../src/catalog/schema";
import { RECHECK_MS, resetCatalogCache, servedCatalog } from "../../src/storage/catalog-cache";
import { CatalogStore, KEYS, type KvLike, type KvValueType, textAs } from "../../src/storage/catalog-store";
import { PRUNE_GRACE_MS, versionTime } from "../../scraper/publish";
import type { FetchLike } from "../../scraper/fetch";
import { liveLoaders } from "../../scraper/live";
import { runScrape } from "../../scraper/run";
import type { ProductSource } from "../../scraper/sources";

type Json = Record<string, any>;

// ------------------------------------------------------------------------------------------------
// Upstream: two small OpenAPI documents that pass the normalizer, the schema and the canaries.

const JIRA_URL = "https://dac-static.atlassian.com/cloud/jira/platform/reliability-test.json";
const BITBUCKET_URL = "https://dac-static.atlassian.com/cloud/bitbucket/reliability-test.json";

function jiraDoc(count: number, options: { scopes?: boolean } = {}): Json {
  const paths: Json = {};
  for (let index = 0; index < count; index++) {
    paths[`/rest/api/3/thing${index}/{id}`] = {
      get: {
        operationId: `getThing${index}`,
        summary: `Get thing ${index}`,
        security: options.scopes === false ? [{ basicAuth: [] }] : [{ basicAuth: [] }, { OAuth2: ["read:jira-work"] }],
        ...(options.scopes === false
          ? {}
          : {
              "x-atlassian-oauth2-scopes": [
                { scheme: "OAuth2", state: "Current", scopes: ["read:jira-work"] },
                { scheme: "OAuth2", state: "Beta", scopes: ["read:thing:jira"] },
              ],
            }),
      },
    };
  }
  return {
    openapi: "3.0.1",
    info: { title: "Jira", version: "1" },
    servers: [{ url: "https://your-domain.atlassian.net" }],
    components: {
      securitySchemes: {
        OAuth2: {
          type: "oauth2",
          flows: {
            authorizationCode: { authorizationUrl: "x", tokenUrl: "x", scopes: { "read:jira-work": "Read Jira work" } },
          },
        },
      },
    },
    paths,
  };
}

function bitbucketDoc(count: number): Json {
  const paths: Json = {};
  for (let index = 0; index < count; index++) {
    paths[`/repositories/{workspace}/r${index}`] = {
      get: {
        summary: `Repo ${index}`,
        security: [{ oauth2: ["repository"] }],
        "x-atlassian-oauth2-scopes": [{ scheme: "oauth2", state: "Current", scopes: ["read:repository:bitbucket"] }],
      },
    };
  }
  return {
    openapi: "3.0.0",
    info: { title: "Bitbucket", version: "2.0" },
    servers: [{ url: "https://api.bitbucket.org/2.0" }],
    paths,
  };
}

const SOURCES: ProductSource[] = [
  {
    product: "jira",
    title: "Jira",
    documents: [
      {
        id: "jira-reliability",
        url: JIRA_URL,
        file: "jira.json",
        docsBase: "https://developer.atlassian.com/cloud/jira/platform/rest/v3/",
      },
    ],
    scopePages: [],
    crossCheckPages: [],
    canaries: [{ method: "GET", path: "/rest/api/3/thing0/{id}", includes: ["read:jira-work"], kind: "classic" }],
  },
  {
    product: "bitbucket",
    title: "Bitbucket",
    documents: [
      {
        id: "bitbucket-reliability",
        url: BITBUCKET_URL,
        file: "bb.json",
        docsBase: "https://developer.atlassian.com/cloud/bitbucket/rest/",
      },
    ],
    scopePages: [],
    crossCheckPages: [],
    canaries: [],
  },
];

type Answer = Response | Promise<Response>;
type Upstream = Record<string, (request: { url: string; signal?: AbortSignal }) => Answer>;

const jsonResponse = (document: Json) => () =>
  new Response(JSON.stringify(document), { headers: { "content-type": "application/json" } });
const GOOD: Upstream = { [JIRA_URL]: jsonResponse(jiraDoc(20)), [BITBUCKET_URL]: jsonResponse(bitbucketDoc(10)) };

/** Every URL the fake network was asked for, in order. */
const requested: string[] = [];

function fakeFetch(upstream: Upstream): FetchLike {
  return async (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    requested.push(url);
    const answer = upstream[url];
    if (!answer)
      return new Response("<html><body>Not Found</body></html>", {
        status: 404,
        headers: { "content-type": "text/html" },
      });
    return answer({ url, signal: init?.signal ?? undefined });
  };
}

const HOUR = 3600_000;
/** When the baseline was published: two hours ago, so /health has an age to report. */
let baselineAt: number;
let clock: number;

function scrape(upstream: Upstream, options: { kv?: KvLike; at?: number; runId?: string } = {}): Promise<RunReport> {
  clock = options.at ?? Math.max(clock + 60_000, Date.now());
  const at = clock;
  return runScrape({
    sources: SOURCES,
    ...liveLoaders(fakeFetch(upstream)),
    store: new CatalogStore(options.kv ?? env.CATALOG),
    now: () => new Date(at),
    runId: options.runId,
  });
}

// ------------------------------------------------------------------------------------------------
// Reading the catalog back: from KV directly, and through the worker.

async function kvState(): Promise<Map<string, string>> {
  const state = new Map<string, string>();
  for (const { name } of (await env.CATALOG.list()).keys) {
    if (name === KEYS.lastRun || name === KEYS.lock) continue;
    state.set(name, (await env.CATALOG.get(name))!);
  }
  return state;
}

/** The manifest and every value it names: what readers can reach. */
async function publishedState(): Promise<Map<string, string | null>> {
  const state = new Map<string, string | null>();
  const manifest = await env.CATALOG.get(KEYS.manifest);
  state.set(KEYS.manifest, manifest);
  if (!manifest) return state;
  const parsed = JSON.parse(manifest) as Json;
  const keys = [
    ...Object.values(parsed.products as Json).map((pointer: Json) => pointer.key as string),
    ...Object.values((parsed.previous?.products ?? {}) as Json).map((pointer: Json) => pointer.key as string),
    parsed.changesKey as string,
  ];
  for (const key of keys) state.set(key, await env.CATALOG.get(key));
  return state;
}

async function call(
  path: string,
  kv: KvLike = env.CATALOG,
  init?: RequestInit,
): Promise<{ status: number; body: Json }> {
  const ctx = createExecutionContext();
  const response = await worker.fetch(new Request(`${ORIGIN}${path}`, init), { ...env, CATALOG: kv } as Env, ctx);
  await waitOnExecutionContext(ctx);
  return { status: response.status, body: (await response.json()) as Json };
}

/** A fresh isolate's view: forget the held catalog, then ask. */
async function fresh(path: string, kv?: KvLike): Promise<{ status: number; body: Json }> {
  resetCatalogCache();
  return call(path, kv);
}

/** Lookups answer from `version`: a scope lookup, a reverse lookup and a diff. */
async function expectServing(version: string, jiraEndpoints: number): Promise<void> {
  const lookup = await fresh("/scopes?path=/rest/api/3/thing0/ABC-1&method=GET");
  expect(lookup.status, JSON.stringify(lookup.body).slice(0, 300)).toBe(200);
  expect(lookup.body.catalog).toMatchObject({ version, source: "kv" });
  expect(lookup.body.endpoints[0].alternatives[0].scopes).toEqual(["read:jira-work"]);
  const reverse = await call("/endpoints?scope=read:jira-work&limit=1");
  expect(reverse.status).toBe(200);
  expect(reverse.body.total).toBe(jiraEndpoints);
  const bitbucket = await call("/scopes?path=https://api.bitbucket.org/2.0/repositories/acme/r3");
  expect(bitbucket.status).toBe(200);
  expect(bitbucket.body.catalog.version).toBe(version);
}

async function health(): Promise<Json> {
  const { status, body } = await fresh("/health");
  expect(status).toBe(200);
  return body;
}

// ------------------------------------------------------------------------------------------------

let baseline: { version: string; state: Map<string, string> };

beforeEach(async () => {
  for (const { name } of (await env.CATALOG.list()).keys) await env.CATALOG.delete(name);
  requested.length = 0;
  resetCatalogCache();
  baselineAt = Date.now() - 2 * HOUR;
  const report = await scrape(GOOD, { at: baselineAt });
  expect(report.outcome).toBe("published");
  baseline = { version: report.version!, state: await kvState() };
});

afterEach(() => {
  vi.restoreAllMocks();
  resetCatalogCache();
});

/** The checks every upstream fault ends with, then the recovering run. */
async function afterFault(report: RunReport, reason: string, message: RegExp): Promise<void> {
  // The run says what failed and why.
  expect(report.outcome).toBe("failed");
  expect(report.products.jira).toMatchObject({ status: "failed", reason });
  expect(report.products.jira?.message).toMatch(message);
  expect(report.products.bitbucket?.status).toBe("unchanged");
  // Nothing of the catalog changed: every key, byte for byte.
  expect(await kvState()).toEqual(baseline.state);
  // Lookups still answer from the last good version.
  await expectServing(baseline.version, 20);
  // /health: degraded, the failure with its reason, the catalog's age.
  const body = await health();
  expect(body.status).toBe("degraded");
  expect(body.problems).toContain(`jira: last scrape failed (${reason}), serving its last good version`);
  expect(body.lastRun).toMatchObject({ outcome: "failed", products: { jira: { status: "failed", reason } } });
  expect(body.catalog).toMatchObject({ version: baseline.version, source: "kv" });
  const expectedAge = Math.round((Date.now() - baselineAt) / 1000);
  expect(body.catalog.ageSeconds).toBeGreaterThanOrEqual(expectedAge - 5);
  expect(body.catalog.ageSeconds).toBeLessThanOrEqual(expectedAge + 60);
  await recovers();
}

/** The next good run (Jira gained an endpoint) publishes, and everything is well again. */
async function recovers(): Promise<void> {
  const report = await scrape({
    [JIRA_URL]: jsonResponse(jiraDoc(21)),
    [BITBUCKET_URL]: jsonResponse(bitbucketDoc(10)),
  });
  expect(report.outcome).toBe("published");
  expect(report.products.jira?.status).toBe("published");
  await expectServing(report.version!, 21);
  const body = await health();
  expect(body.status).toBe("ok");
  expect(body.problems).toEqual([]);
  expect(body.catalog.version).toBe(report.version);
  // A shard neither the current nor the previous manifest names is an orphan of the failed run: it is
  // pruned once past the grace period that protects overlapping runs, so any left is younger than that.
  const manifest = JSON.parse((await env.CATALOG.get(KEYS.manifest))!) as Json;
  const named = new Set(
    [...Object.values(manifest.products as Json), ...Object.values((manifest.previous?.products ?? {}) as Json)].map(
      (pointer: Json) => pointer.key,
    ),
  );
  const shards = (await env.CATALOG.list({ prefix: "shard/" })).keys.map((key) => key.name);
  for (const orphan of shards.filter((key) => !named.has(key))) {
    expect(Date.now() - versionTime(orphan.split("/")[1]!)!, orphan).toBeLessThan(PRUNE_GRACE_MS);
  }
  for (const key of named) expect(shards).toContain(key);
}

/** The 30 s deadline of fetchDocument, compressed to 50 ms: every other timer keeps its delay. */
function compressFetchDeadline(): void {
  const realSetTimeout = globalThis.setTimeout;
  vi.spyOn(globalThis, "setTimeout").mockImplementation(((handler: () => void, delay?: number, ...rest: unknown[]) =>
    realSetTimeout(handler, delay === 30_000 ? 50 : delay, ...(rest as []))) as typeof setTimeout);
}

describe("scraper faults: the published catalog stays exactly as it was", () => {
  it("DNS / connection failure", async () => {
    const report = await scrape({
      ...GOOD,
      [JIRA_URL]: () => {
        throw new TypeError("fetch failed", { cause: new Error("getaddrinfo ENOTFOUND dac-static.atlassian.com") });
      },
    });
    await afterFault(report, "network_error", /ENOTFOUND/);
  });

  it("connection reset while reading the body", async () => {
    const report = await scrape({
      ...GOOD,
      [JIRA_URL]: () => {
        const text = JSON.stringify(jiraDoc(20));
        let sent = false;
        const body = new ReadableStream<Uint8Array>({
          pull(controller) {
            if (sent) return controller.error(new Error("ECONNRESET"));
            sent = true;
            controller.enqueue(new TextEncoder().encode(text.slice(0, 500)));
          },
        });
        return new Response(body, { headers: { "content-type": "application/json" } });
      },
    });
    await afterFault(report, "network_error", /ECONNRESET/);
  });

  it("5xx", async () => {
    const report = await scrape({
      ...GOOD,
      [JIRA_URL]: () => new Response("upstream busy", { status: 503, statusText: "Service Unavailable" }),
    });
    await afterFault(report, "http_error", /HTTP 503/);
  });

  it("404", async () => {
    const report = await scrape({
      ...GOOD,
      [JIRA_URL]: () =>
        new Response("<html>Not Found</html>", {
          status: 404,
          statusText: "Not Found",
          headers: { "content-type": "text/html" },
        }),
    });
    await afterFault(report, "http_error", /HTTP 404/);
  });

  it("timeout: the server never answers", async () => {
    compressFetchDeadline();
    const report = await scrape({ ...GOOD, [JIRA_URL]: () => new Promise<Response>(() => {}) });
    vi.restoreAllMocks();
    await afterFault(report, "timeout", /timed out after 30000 ms/);
  });

  it("timeout: the body stalls halfway", async () => {
    compressFetchDeadline();
    const report = await scrape({
      ...GOOD,
      [JIRA_URL]: () => {
        let sent = false;
        const body = new ReadableStream<Uint8Array>({
          pull(controller) {
            if (sent) return new Promise<void>(() => {}); // never another byte
            sent = true;
            controller.enqueue(new TextEncoder().encode('{"openapi":"3.0.1","paths":{'));
            return undefined;
          },
        });
        return new Response(body, { headers: { "content-type": "application/json" } });
      },
    });
    vi.restoreAllMocks();
    await afterFault(report, "timeout", /timed out/);
  });

  it("a 200 with an HTML error page instead of JSON", async () => {
    const report = await scrape({
      ...GOOD,
      [JIRA_URL]: () =>
        new Response(
          "<!DOCTYPE html><html><head><title>503</title></head><body>Service temporarily unavailable</body></html>",
          { headers: { "content-type": "text/html; charset=utf-8" } },
        ),
    });
    await afterFault(report, "not_json", /HTML/);
  });

  it("a 200 with an HTML page served as application/json", async () => {
    const report = await scrape({
      ...GOOD,
      [JIRA_URL]: () =>
        new Response("\n  <html><body>Maintenance</body></html>", { headers: { "content-type": "application/json" } }),
    });
    await afterFault(report, "not_json", /HTML/);
  });

  it("truncated JSON", async () => {
    const report = await scrape({
      ...GOOD,
      [JIRA_URL]: () =>
        new Response(JSON.stringify(jiraDoc(20)).slice(0, 1500), { headers: { "content-type": "application/json" } }),
    });
    await afterFault(report, "truncated", /truncated/);
  });

  it("a body that is not JSON at all", async () => {
    const report = await scrape({
      ...GOOD,
      [JIRA_URL]: () =>
        new Response("openapi: 3.0.1\npaths: {}\n", { headers: { "content-type": "application/yaml" } }),
    });
    await afterFault(report, "not_json", /JSON/);
  });

  it("a valid document with zero paths", async () => {
    const report = await scrape({ ...GOOD, [JIRA_URL]: jsonResponse(jiraDoc(0)) });
    await afterFault(report, "no_operations", /no operations/);
  });

  it("a document whose scopes vanished", async () => {
    const report = await scrape({ ...GOOD, [JIRA_URL]: jsonResponse(jiraDoc(20, { scopes: false })) });
    await afterFault(report, "scopes_vanished", /0 endpoints publish scopes, down from 20/);
  });

  it("a document that shrank past the gate (more than 10% of its endpoints lost)", async () => {
    const report = await scrape({ ...GOOD, [JIRA_URL]: jsonResponse(jiraDoc(17)) });
    await afterFault(report, "shrank", /17 endpoints, down from 20/);
  });

  it("a document that breaks a canary", async () => {
    const broken = jiraDoc(20);
    broken.paths["/rest/api/3/thing0/{id}"].get.security = [{ OAuth2: ["read:other:jira"] }];
    delete broken.paths["/rest/api/3/thing0/{id}"].get["x-atlassian-oauth2-scopes"];
    const report = await scrape({ ...GOOD, [JIRA_URL]: jsonResponse(broken) });
    await afterFault(report, "canary_failed", /canary GET \/rest\/api\/3\/thing0\/\{id\}/);
  });

  it("a body over the size cap (16 MiB, streamed without Content-Length)", async () => {
    const megabyte = new Uint8Array(1024 * 1024).fill(0x20);
    const report = await scrape({
      ...GOOD,
      [JIRA_URL]: () => {
        let chunks = 0;
        return new Response(
          new ReadableStream<Uint8Array>({
            pull(controller) {
              if (chunks++ >= 20) return controller.close();
              controller.enqueue(megabyte);
            },
          }),
          { headers: { "content-type": "application/json" } },
        );
      },
    });
    await afterFault(report, "too_large", /more than 16777216 bytes/);
  });

  it("a body over the size cap, declared in Content-Length", async () => {
    const report = await scrape({
      ...GOOD,
      [JIRA_URL]: () =>
        new Response("{}", {
          headers: { "content-type": "application/json", "content-length": String(64 * 1024 * 1024) },
        }),
    });
    await afterFault(report, "too_large", /declares 67108864 bytes/);
  });

  it("a redirect to a host outside the allowlist", async () => {
    const report = await scrape({
      ...GOOD,
      [JIRA_URL]: () =>
        new Response(null, { status: 302, headers: { location: "https://attacker.example.com/swagger.json" } }),
    });
    expect(requested.some((url) => url.includes("attacker.example.com"))).toBe(false);
    await afterFault(report, "host_not_allowed", /attacker\.example\.com is not in the allowlist/);
  });

  it("a redirect to plain http on an allowed host", async () => {
    const report = await scrape({
      ...GOOD,
      [JIRA_URL]: () =>
        new Response(null, {
          status: 301,
          headers: { location: "http://dac-static.atlassian.com/cloud/jira/platform/reliability-test.json" },
        }),
    });
    expect(requested.filter((url) => url.startsWith("http:"))).toEqual([]);
    await afterFault(report, "invalid_url", /only https/);
  });

  it("a redirect loop", async () => {
    const report = await scrape({
      ...GOOD,
      [JIRA_URL]: () => new Response(null, { status: 302, headers: { location: JIRA_URL } }),
    });
    await afterFault(report, "too_many_redirects", /gave up after 3 redirects/);
  });
});

/** env.CATALOG with faults injected on put. */
function failingPuts(fail: (key: string, index: number) => boolean): KvLike & { puts: string[] } {
  const puts: string[] = [];
  return {
    puts,
    get: ((key: string, type: KvValueType) =>
      type === "text" ? env.CATALOG.get(key, type) : env.CATALOG.get(key, type)) as KvLike["get"],
    put: async (key, value) => {
      if (fail(key, puts.length)) throw new Error(`KV PUT failed: 503 Service Unavailable for ${key} (injected)`);
      puts.push(key);
      await env.CATALOG.put(key, value);
    },
    delete: (key) => env.CATALOG.delete(key),
    list: (options) => env.CATALOG.list(options),
  };
}

const CHANGED: Upstream = { [JIRA_URL]: jsonResponse(jiraDoc(21)), [BITBUCKET_URL]: jsonResponse(bitbucketDoc(11)) };

describe("scraper faults: a KV write fails halfway through publishing", () => {
  for (const [where, fail] of [
    ["the second shard", (key: string) => key.startsWith("shard/") && key.endsWith("/bitbucket")],
    ["the changelog", (key: string) => key.startsWith("changes/")],
    ["the manifest", (key: string) => key === KEYS.manifest],
  ] as const) {
    it(`on ${where}: readers still reach only the last good version, and the next run recovers`, async () => {
      const before = await publishedState();
      const kv = failingPuts(fail);
      const report = await scrape(CHANGED, { kv });
      expect(report.outcome).toBe("failed");
      expect(report.message).toMatch(/publishing failed, the stored catalog is unchanged: .*injected/);
      // The manifest and everything it names are byte for byte the same; an orphan shard may remain.
      expect(await publishedState()).toEqual(before);
      expect(await env.CATALOG.get(KEYS.lock)).toBeNull();
      await expectServing(baseline.version, 20);
      const body = await health();
      expect(body.lastRun.outcome).toBe("failed");
      expect(body.lastRun.message).toMatch(/injected/);
      expect(body.catalog.version).toBe(baseline.version);
      await recovers();
    });
  }

  // Defect: runScrape marks each product `published` before publishVersion runs; when the write then
  // fails, the run report says outcome "failed" but every product still says "published", so /health
  // lists no problem and answers status "ok" after a failed publish.
  it("on the manifest: /health says degraded and names the failed publish", async () => {
    await scrape(CHANGED, { kv: failingPuts((key) => key === KEYS.manifest) });
    const body = await health();
    expect(body.status).toBe("degraded");
    expect(body.problems.join(" ")).toMatch(/publish/);
  });
});

/** A promise and its resolver. */
function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

describe("scraper faults: two runs overlapping", () => {
  it("a run that starts while another holds the lease does nothing; the first publishes", async () => {
    const fetched = gate();
    const release = gate();
    const first = scrape(
      {
        ...CHANGED,
        [JIRA_URL]: async () => {
          fetched.open();
          await release.promise;
          return new Response(JSON.stringify(jiraDoc(21)), { headers: { "content-type": "application/json" } });
        },
      },
      { runId: "first" },
    );
    await fetched.promise;
    const second = await scrape(
      { [JIRA_URL]: jsonResponse(jiraDoc(22)), [BITBUCKET_URL]: jsonResponse(bitbucketDoc(12)) },
      { runId: "second" },
    );
    expect(second.outcome).toBe("locked");
    expect(second.message).toMatch(/another scrape \(first\) holds the lease/);
    expect(await kvState()).toEqual(baseline.state);
    await expectServing(baseline.version, 20);
    release.open();
    const report = await first;
    expect(report.outcome).toBe("published");
    await expectServing(report.version!, 21);
    expect(await env.CATALOG.get(KEYS.lock)).toBeNull();
  });

  // Defect: KV has no compare-and-swap, so two runs that start together can both take the lease
  // (run.ts says "versioned keys keep even that safe"). They are not safe: run A prunes every shard
  // that neither its manifest nor its previous one names, which includes run B's new shard; B then
  // writes a manifest naming that deleted shard. The catalog in KV is lost (readers fall back to the
  // snapshot), and because B's manifest records the content hash of the lost shard, the next run sees
  // "unchanged" and never writes it again.
  it("two runs that both take the lease leave a manifest whose shards all exist", async () => {
    const bAtManifest = gate();
    const aDone = gate();
    const kvA: KvLike = {
      ...failingPuts(() => false),
      put: async (key, value) => {
        if (key === KEYS.manifest) await bAtManifest.promise; // A publishes after B wrote its shards
        await env.CATALOG.put(key, value);
      },
    };
    const kvB: KvLike = {
      ...failingPuts(() => false),
      put: async (key, value) => {
        if (key === KEYS.manifest) {
          bAtManifest.open();
          await aDone.promise; // B's manifest lands after A finished, prune included
        }
        await env.CATALOG.put(key, value);
      },
    };
    const start = Date.now();
    const runA = scrape(CHANGED, { kv: kvA, at: start + 60_000, runId: "A" });
    const runB = scrape(
      { [JIRA_URL]: jsonResponse(jiraDoc(22)), [BITBUCKET_URL]: jsonResponse(bitbucketDoc(10)) },
      { kv: kvB, at: start + 120_000, runId: "B" },
    );
    const a = await runA;
    aDone.open();
    const b = await runB;
    expect([a.outcome, b.outcome]).toEqual(["published", "published"]); // both took the lease
    const manifest = JSON.parse((await env.CATALOG.get(KEYS.manifest))!) as Json;
    for (const pointer of Object.values(manifest.products as Json)) {
      expect(
        await env.CATALOG.get((pointer as Json).key),
        `${(pointer as Json).key} named by the manifest`,
      ).not.toBeNull();
    }
    await expectServing(manifest.version, 22);
  });
});

// ------------------------------------------------------------------------------------------------
// Runtime faults: KV unavailable or corrupt while serving.

type Mode = "ok" | "throw" | "corrupt-manifest" | "wrong-manifest" | "corrupt-shard" | "missing-shard";

/** env.CATALOG behind a switch: healthy, down, or returning corrupt values. */
function faultyKv(): KvLike & { mode: Mode; reads: number } {
  const kv = {
    mode: "ok" as Mode,
    reads: 0,
    get: (async (key: string, type: KvValueType) => {
      kv.reads++;
      if (kv.mode === "throw") throw new Error("KV GET failed: 503 Service Unavailable");
      if (key === KEYS.manifest && kv.mode === "corrupt-manifest")
        return textAs('{"schemaVersion":1,"version":"2026-1', type);
      if (key === KEYS.manifest && kv.mode === "wrong-manifest")
        return textAs(JSON.stringify({ schemaVersion: 7, hello: "world" }), type);
      if (key.startsWith("shard/") && kv.mode === "corrupt-shard")
        return textAs(JSON.stringify({ schemaVersion: 1, product: "jira", endpoints: "oops" }), type);
      if (key.startsWith("shard/") && kv.mode === "missing-shard") return null;
      return type === "text" ? env.CATALOG.get(key, type) : env.CATALOG.get(key, type);
    }) as KvLike["get"],
    put: (key: string, value: string) => env.CATALOG.put(key, value),
    delete: (key: string) => env.CATALOG.delete(key),
    list: (options: { prefix: string; cursor?: string }) => env.CATALOG.list(options),
  };
  return kv;
}

/** Moves the isolate's clock past the manifest re-check interval. */
function pastRecheck(): void {
  const now = Date.now() + RECHECK_MS + 1000;
  vi.spyOn(Date, "now").mockReturnValue(now);
}

describe("runtime faults: KV down or corrupt while serving", () => {
  const FAULTS: [Mode, RegExp][] = [
    // The runtime's error text ("KV GET failed: 503 ...") is logged, never shown: a fixed phrase instead.
    ["throw", /\(KV read failed\)/],
    ["corrupt-manifest", /stored value manifest is corrupt/],
    ["wrong-manifest", /stored value manifest is corrupt/],
    ["corrupt-shard", /stored value shard\/.* is corrupt/],
    ["missing-shard", /the manifest names shard\/.*, which is missing/],
  ];

  for (const [mode, problem] of FAULTS) {
    it(`${mode}: keeps serving the version held in memory, and /health says so`, async () => {
      const kv = faultyKv();
      resetCatalogCache();
      const warm = await call("/scopes?path=/rest/api/3/thing0/1", kv);
      expect(warm.body.catalog).toMatchObject({ version: baseline.version, source: "kv" });
      // /health indexes the whole catalog: the isolate now holds every shard of the version.
      expect((await call("/health", kv)).body.catalog).toMatchObject({ version: baseline.version, source: "kv" });
      // A new version is published; reading it (or the manifest) now fails.
      const next = await scrape(CHANGED);
      expect(next.outcome).toBe("published");
      kv.mode = mode;
      pastRecheck();
      const lookup = await call("/scopes?path=/rest/api/3/thing0/1", kv);
      expect(lookup.status).toBe(200);
      expect(lookup.body.catalog).toMatchObject({ version: baseline.version, source: "kv" });
      expect(lookup.body.endpoints).toHaveLength(1);
      const { status, body } = await call("/health", kv);
      expect(status).toBe(200);
      expect(body.status).toBe("degraded");
      expect(body.catalog).toMatchObject({ version: baseline.version, source: "kv" });
      expect(body.problems[0]).toMatch(problem);
      expect(body.problems[0]).toContain(`serving version ${baseline.version} held in memory`);
      expect(JSON.stringify(body)).not.toMatch(/\bat \S+ \(\S+:\d+:\d+\)|\.(ts|js):\d+/);
      // KV comes back: the next re-check serves it again, and the problem is gone.
      kv.mode = "ok";
      vi.restoreAllMocks();
      vi.spyOn(Date, "now").mockReturnValue(Date.now() + 2 * (RECHECK_MS + 1000));
      const healed = await call("/health", kv);
      expect(healed.body.problems).toEqual([]);
      expect(healed.body.status).toBe("ok");
      expect(healed.body.catalog.version).toBe(next.version);
    });

    it(`${mode}: with nothing held, serves the bundled snapshot, and /health says so`, async () => {
      const kv = faultyKv();
      kv.mode = mode;
      const lookup = await fresh("/scopes?path=/rest/agile/1.0/board&method=GET", kv);
      expect(lookup.status).toBe(200);
      expect(lookup.body.catalog.source).toBe("snapshot");
      const diff = await call("/scopes?path=/rest/api/3/thing0/1", kv);
      expect(diff.status).toBe(404); // the snapshot is the real catalog, without the test's endpoints
      const { status, body } = await call("/health", kv);
      expect(status).toBe(200);
      expect(body.status).toBe("degraded");
      expect(body.catalog.source).toBe("snapshot");
      expect(body.catalog.endpoints).toBeGreaterThan(1000);
      expect(body.problems[0]).toMatch(problem);
      expect(body.problems[0]).toContain("serving the snapshot bundled with the worker");
    });
  }

  it("an isolate that read one product's shard answers that product from memory when KV fails, and the whole catalog from the snapshot", async () => {
    const kv = faultyKv();
    resetCatalogCache();
    const warm = await call("/scopes?path=/rest/api/3/thing0/1", kv);
    expect(warm.body.catalog).toMatchObject({ version: baseline.version, source: "kv" });
    kv.mode = "throw";
    pastRecheck();
    const lookup = await call("/scopes?path=/rest/api/3/thing0/1", kv);
    expect(lookup.body.catalog).toMatchObject({ version: baseline.version, source: "kv" });
    // /health answers from the manifest this isolate holds: no shard is needed, so it stays on KV's version.
    const health = await call("/health", kv);
    expect(health.body.catalog).toMatchObject({ version: baseline.version, source: "kv" });
    // A request over the whole catalog needs the shards this isolate never read: the snapshot answers it.
    const { body } = await call("/diff", kv, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ scopes: ["read:jira-work"], limit: 1 }),
    });
    expect(body.catalog.source).toBe("snapshot");
    expect(JSON.stringify(body)).not.toContain("KV GET failed");
    vi.restoreAllMocks();
  });

  it("within the 60 s re-check window a held catalog answers without reading KV, so an outage there is not even seen", async () => {
    const kv = faultyKv();
    resetCatalogCache();
    await call("/scopes?path=/rest/api/3/thing1/1", kv);
    const reads = kv.reads;
    kv.mode = "throw";
    // Within 60 s of the last check, no KV read is made at all.
    for (let index = 0; index < 5; index++)
      expect((await call("/scopes?path=/rest/api/3/thing1/1", kv)).status).toBe(200);
    expect(kv.reads).toBe(reads);
  });
});

describe("runtime faults: nothing at all to serve", () => {
  const failingSnapshot = () => Promise.reject(new Error("snapshot module failed to load"));

  it("servedCatalog rejects only when KV fails with nothing held and the snapshot fails too", async () => {
    const kv = faultyKv();
    kv.mode = "throw";
    resetCatalogCache();
    await expect(servedCatalog(kv, failingSnapshot)).rejects.toThrow(/snapshot module failed to load/);
    // KV fails but the snapshot loads: served.
    resetCatalogCache();
    await expect(servedCatalog(kv, loadSnapshot)).resolves.toMatchObject({ source: "snapshot" });
    // A held KV version beats a failing snapshot.
    resetCatalogCache();
    kv.mode = "ok";
    const held = await servedCatalog(kv, failingSnapshot, { now: 0 });
    expect(held).toMatchObject({ source: "kv" });
    kv.mode = "throw";
    await expect(servedCatalog(kv, failingSnapshot, { now: RECHECK_MS + 1 })).resolves.toMatchObject({
      source: "kv",
      problem: expect.stringMatching(/held in memory/),
    });
  });

  it("a corrupt snapshot counts as no snapshot", async () => {
    const kv = faultyKv();
    kv.mode = "corrupt-manifest";
    resetCatalogCache();
    await expect(servedCatalog(kv, async () => ({ manifest: { schemaVersion: 1 }, shards: {} }))).rejects.toThrow();
    resetCatalogCache();
    const manifest = (await loadSnapshot()).manifest;
    await expect(servedCatalog(kv, async () => ({ manifest, shards: {} }))).rejects.toThrow(/corrupt/);
  });
});
