/**
 * The pipeline end to end on small documents built here, with an in-memory store: what is published,
 * and that a failed or bad scrape never replaces good data.
 */
import { beforeEach, describe, expect, it } from "vitest";
import type { Manifest } from "../../src/catalog/schema";
import { CatalogStore, KEYS } from "../../src/storage/catalog-store";
import { PRUNE_GRACE_MS } from "../../scraper/publish";
import { LEASE_MS, runScrape, type LoadDocumentResult } from "../../scraper/run";
import type { ProductSource } from "../../scraper/sources";
import { MemoryKv } from "../helpers/memory-kv";
import { TEST_SOURCES, documentLoader, type Json } from "../helpers/scrape-fixtures";

/** A Jira-like document with `count` issue-ish operations, each needing read:jira-work or a granular set. */
function jiraDoc(count: number, options: { scopes?: boolean; extraScope?: string } = {}): Json {
  const paths: Json = {};
  for (let index = 0; index < count; index++) {
    const security =
      options.scopes === false ? [{ basicAuth: [] }] : [{ basicAuth: [] }, { OAuth2: ["read:jira-work"] }];
    paths[`/rest/api/3/thing${index}/{id}`] = {
      get: {
        operationId: `getThing${index}`,
        summary: `Get thing ${index}`,
        tags: ["Things"],
        security,
        ...(options.scopes === false
          ? {}
          : {
              "x-atlassian-oauth2-scopes": [
                { scheme: "OAuth2", state: "Current", scopes: ["read:jira-work"] },
                {
                  scheme: "OAuth2",
                  state: "Beta",
                  scopes: ["read:thing:jira", ...(options.extraScope ? [options.extraScope] : [])],
                },
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

let kv: MemoryKv;
let store: CatalogStore;
let clock: number;
const now = () => new Date(clock);

async function scrape(
  documents: Record<string, Json | string | LoadDocumentResult>,
  calls?: { id: string; conditional?: unknown }[],
) {
  clock += 60_000;
  return runScrape({ sources: TEST_SOURCES, loadDocument: documentLoader(documents, calls), store, now });
}

/** The stored catalog minus the run report and lease, which every run writes. */
function catalogState(): Map<string, string> {
  const state = kv.snapshot();
  state.delete(KEYS.lastRun);
  state.delete(KEYS.lock);
  return state;
}

beforeEach(() => {
  kv = new MemoryKv();
  store = new CatalogStore(kv);
  clock = Date.parse("2026-11-30T04:17:00Z");
});

describe("a good scrape", () => {
  it("publishes every product as an immutable shard, then the manifest, then the run report", async () => {
    const report = await scrape({ "jira-test": jiraDoc(20), "bb-test": bitbucketDoc(10) });
    expect(report.outcome).toBe("published");
    expect(report.products.jira).toMatchObject({ status: "published", endpoints: 20 });
    expect(report.products.bitbucket).toMatchObject({ status: "published", endpoints: 10 });
    const manifest = (await store.readManifest())!;
    expect(manifest.version).toBe("2026-11-30T04-18-00Z");
    expect(manifest.products.jira).toMatchObject({
      key: "shard/2026-11-30T04-18-00Z/jira",
      endpoints: 20,
      endpointsWithScopes: 20,
    });
    const writes = kv.writes.filter((key) => key !== KEYS.lock);
    expect(writes.indexOf(KEYS.manifest)).toBeGreaterThan(writes.indexOf("shard/2026-11-30T04-18-00Z/bitbucket"));
    expect(writes.indexOf(KEYS.manifest)).toBeGreaterThan(writes.indexOf("changes/2026-11-30T04-18-00Z"));
    expect(writes.at(-1)).toBe(KEYS.lastRun);
    const changes = (await store.readChanges(manifest.changesKey!))!;
    expect(changes).toMatchObject({ previousVersion: null, baseline: ["jira", "bitbucket"], entries: [] });
    expect((await store.readLastRun())!.outcome).toBe("published");
    expect(kv.values.has(KEYS.lock)).toBe(false);
  });

  it("writes nothing new when nothing changed", async () => {
    await scrape({ "jira-test": jiraDoc(20), "bb-test": bitbucketDoc(10) });
    const before = catalogState();
    const report = await scrape({ "jira-test": jiraDoc(20), "bb-test": bitbucketDoc(10) });
    expect(report.outcome).toBe("unchanged");
    expect(report.products.jira?.status).toBe("unchanged");
    expect(catalogState()).toEqual(before);
  });

  it("records what changed, publishes only the changed product and keeps the previous version's shards", async () => {
    await scrape({ "jira-test": jiraDoc(20), "bb-test": bitbucketDoc(10) });
    const first = (await store.readManifest())!;
    const report = await scrape({
      "jira-test": jiraDoc(21, { extraScope: "read:extra:jira" }),
      "bb-test": bitbucketDoc(10),
    });
    expect(report.outcome).toBe("published");
    expect(report.products.bitbucket?.status).toBe("unchanged");
    const second = (await store.readManifest())!;
    expect(second.products.bitbucket!.key).toBe(first.products.bitbucket!.key);
    expect(second.products.jira!.key).not.toBe(first.products.jira!.key);
    expect(second.previous?.version).toBe(first.version);
    expect(second.history.map((entry) => entry.version)).toEqual([second.version, first.version]);
    expect(kv.values.has(first.products.jira!.key)).toBe(true);
    const changes = (await store.readChanges(second.changesKey!))!;
    expect(changes.entries.filter((entry) => entry.type === "endpoint_added")).toHaveLength(1);
    expect(changes.entries.filter((entry) => entry.type === "scopes_changed")).toHaveLength(21 - 1);
    expect(changes.entries).toContainEqual({ type: "scope_introduced", product: "jira", scope: "read:extra:jira" });
    expect(report.products.jira?.changes).toBe(changes.entries.length);

    // Within the grace period a third version keeps them (an overlapping run may still use them)...
    await scrape({ "jira-test": jiraDoc(22), "bb-test": bitbucketDoc(10) });
    expect(kv.values.has(first.products.jira!.key)).toBe(true);
    // ...past it, a fourth drops every shard neither the current nor the previous version names.
    clock += PRUNE_GRACE_MS;
    await scrape({ "jira-test": jiraDoc(23), "bb-test": bitbucketDoc(10) });
    expect(kv.values.has(first.products.jira!.key)).toBe(false);
    expect(kv.values.has(second.products.jira!.key)).toBe(false);
    expect(kv.values.has(first.products.bitbucket!.key)).toBe(true);
  });
});

describe("reads", () => {
  it("reads the manifest and each product's stored shard once per run, whatever the run decides", async () => {
    const counting = new MemoryKv();
    const gets = counting.reads;
    const countingStore = new CatalogStore(counting);
    const run = (documents: Record<string, Json | string>) => {
      clock += 60_000;
      return runScrape({ sources: TEST_SOURCES, loadDocument: documentLoader(documents), store: countingStore, now });
    };
    await run({ "jira-test": jiraDoc(20), "bb-test": bitbucketDoc(10) });
    const first = (await countingStore.readManifest())!;
    // Jira changed (its old shard is diffed for the changelog), Bitbucket is unchanged (its shard must
    // exist, and its documents' validators are sent): once each.
    gets.length = 0;
    expect((await run({ "jira-test": jiraDoc(21), "bb-test": bitbucketDoc(10) })).outcome).toBe("published");
    const reads = (key: string) => gets.filter((name) => name === key).length;
    expect([reads(KEYS.manifest), reads(first.products.jira!.key), reads(first.products.bitbucket!.key)]).toEqual([
      1, 1, 1,
    ]);
    // Jira fails upstream (its stored dictionary is lent to Bitbucket): still once.
    const second = (await countingStore.readManifest())!;
    gets.length = 0;
    await run({ "jira-test": "<html>", "bb-test": bitbucketDoc(10) });
    expect([reads(KEYS.manifest), reads(second.products.jira!.key), reads(second.products.bitbucket!.key)]).toEqual([
      1, 1, 1,
    ]);
  });
});

describe("a bad scrape never replaces good data", () => {
  const good = { "jira-test": jiraDoc(20), "bb-test": bitbucketDoc(10) };
  const cases: { name: string; jira: Json | string | LoadDocumentResult; reason: string; message: RegExp }[] = [
    {
      name: "an HTML error page",
      jira: "<html><body>Service unavailable</body></html>",
      reason: "not_json",
      message: /not JSON/,
    },
    {
      name: "truncated JSON",
      jira: JSON.stringify(jiraDoc(20)).slice(0, 900),
      reason: "truncated",
      message: /truncated/,
    },
    { name: "a document with zero paths", jira: { ...jiraDoc(0) }, reason: "no_operations", message: /no operations/ },
    { name: "something that is not OpenAPI", jira: { hello: "world" }, reason: "not_openapi", message: /openapi/ },
    {
      name: "a document that lost a third of its endpoints",
      jira: jiraDoc(13),
      reason: "shrank",
      message: /13 endpoints, down from 20/,
    },
    {
      name: "a document whose scopes vanished",
      jira: jiraDoc(20, { scopes: false }),
      reason: "scopes_vanished",
      message: /0 endpoints publish scopes/,
    },
    {
      name: "a network failure",
      jira: { ok: false, reason: "network_error", message: "fetch failed (ENOTFOUND)" },
      reason: "network_error",
      message: /ENOTFOUND/,
    },
    {
      name: "an oversized document",
      jira: { ok: false, reason: "too_large", message: "over the cap" },
      reason: "too_large",
      message: /cap/,
    },
  ];

  for (const { name, jira, reason, message } of cases) {
    it(`keeps the last good Jira on ${name}, and still publishes the other product`, async () => {
      await scrape(good);
      const before = (await store.readManifest())!;
      const report = await scrape({ "jira-test": jira, "bb-test": bitbucketDoc(11) });
      expect(report.products.jira).toMatchObject({ status: "failed", reason });
      expect(report.products.jira?.message).toMatch(message);
      expect(report.products.bitbucket?.status).toBe("published");
      const after = (await store.readManifest())!;
      expect(after.products.jira).toEqual(before.products.jira);
      expect(after.products.bitbucket!.endpoints).toBe(11);
      expect((await store.readShard(after.products.jira!.key))!.endpoints).toHaveLength(20);
      expect((await store.readLastRun())!.products.jira?.reason).toBe(reason);
    });
  }

  it("keeps a product unchanged when the product it borrows descriptions from fails", async () => {
    const borrowing = bitbucketDoc(10);
    (borrowing.paths as Json)["/repositories/{workspace}/jira"] = {
      get: { security: [{ oauth2: ["read:jira-work"] }] },
    };
    await scrape({ "jira-test": jiraDoc(20), "bb-test": borrowing });
    const shard = (await store.readShard((await store.readManifest())!.products.bitbucket!.key))!;
    expect(shard.scopes.find((scope) => scope.name === "read:jira-work")).toMatchObject({
      description: "Read Jira work",
      descriptionSource: "other-document",
    });
    const report = await scrape({ "jira-test": "<html>", "bb-test": borrowing });
    expect(report.products.jira?.status).toBe("failed");
    expect(report.products.bitbucket?.status).toBe("unchanged");
  });

  it("refuses a version that breaks a canary", async () => {
    await scrape(good);
    const broken = jiraDoc(20);
    ((broken.paths as Json)["/rest/api/3/thing0/{id}"] as { get: Json }).get.security = [
      { OAuth2: ["read:other:jira"] },
    ];
    delete ((broken.paths as Json)["/rest/api/3/thing0/{id}"] as { get: Json }).get["x-atlassian-oauth2-scopes"];
    const report = await scrape({ "jira-test": broken, "bb-test": bitbucketDoc(10) });
    expect(report.products.jira).toMatchObject({ status: "failed", reason: "canary_failed" });
    expect(report.products.jira?.message).toContain(
      "GET /rest/api/3/thing0/{id} must accept classic set with read:jira-work",
    );
    expect(report.outcome).toBe("failed");
  });

  it("leaves the stored catalog exactly as it was when every product fails", async () => {
    await scrape(good);
    const before = catalogState();
    const report = await scrape({});
    expect(report.outcome).toBe("failed");
    expect(catalogState()).toEqual(before);
    expect((await store.readLastRun())!.message).toMatch(/stored catalog is unchanged/);
  });

  for (const failing of ["shard/", "changes/", KEYS.manifest]) {
    it(`survives a KV write failing on ${failing} halfway through publishing, and the next run recovers`, async () => {
      await scrape(good);
      const before = catalogState();
      kv.failPut = (key) => key.startsWith(failing);
      const report = await scrape({ "jira-test": jiraDoc(21), "bb-test": bitbucketDoc(11) });
      expect(report.outcome).toBe("failed");
      expect(report.message).toMatch(/injected/);
      const manifest = (await store.readManifest())!;
      expect(manifest).toEqual(JSON.parse(before.get(KEYS.manifest)!) as Manifest);
      expect(kv.values.has(KEYS.lock)).toBe(false);

      kv.failPut = () => false;
      clock += PRUNE_GRACE_MS; // the failed run's orphans are pruned once past the grace period
      const recovered = await scrape({ "jira-test": jiraDoc(21), "bb-test": bitbucketDoc(11) });
      expect(recovered.outcome).toBe("published");
      const current = (await store.readManifest())!;
      expect(current.products.jira!.endpoints).toBe(21);
      // Orphans of the failed run are pruned: only shards the current or previous manifest names remain.
      const named = new Set(
        [...Object.values(current.products), ...Object.values(current.previous!.products)].map(
          (pointer) => pointer.key,
        ),
      );
      expect((await store.listShardKeys()).every((key) => named.has(key))).toBe(true);
    });
  }

  it("repairs a corrupt manifest instead of giving up", async () => {
    await scrape(good);
    kv.values.set(KEYS.manifest, "{not json");
    const report = await scrape({ "jira-test": jiraDoc(20), "bb-test": bitbucketDoc(10) });
    expect(report.outcome).toBe("published");
    expect((await store.readManifest())!.products.jira!.endpoints).toBe(20);
  });
});

describe("overlapping runs and conditional requests", () => {
  it("does nothing while another run holds the lease, and runs once it expires", async () => {
    await scrape({ "jira-test": jiraDoc(20), "bb-test": bitbucketDoc(10) });
    const before = catalogState();
    await store.acquireLease("other-run", now(), 10 * 60_000);
    const report = await scrape({ "jira-test": jiraDoc(21), "bb-test": bitbucketDoc(10) });
    expect(report.outcome).toBe("locked");
    expect(report.message).toContain("other-run");
    expect(catalogState()).toEqual(before);

    clock += 10 * 60_000;
    expect((await scrape({ "jira-test": jiraDoc(21), "bb-test": bitbucketDoc(10) })).outcome).toBe("published");
  });

  it("reports a locked run with the holder and the lease's age, and records it as the last run", async () => {
    await scrape({ "jira-test": jiraDoc(20), "bb-test": bitbucketDoc(10) });
    await store.acquireLease("killed-run", now(), LEASE_MS);
    clock += 90_000; // the lease is 1m30s old
    const lines: string[] = [];
    const report = await runScrape({
      sources: TEST_SOURCES,
      loadDocument: documentLoader({ "jira-test": jiraDoc(21), "bb-test": bitbucketDoc(10) }),
      store,
      now,
      log: (line) => lines.push(line),
    });
    expect(report.outcome).toBe("locked");
    const expires = new Date(Date.parse("2026-11-30T04:18:00Z") + LEASE_MS).toISOString();
    expect(report.message).toBe(
      `another scrape (killed-run) holds the lease, taken 1m30s ago; it expires at ${expires}, when the next run takes it over`,
    );
    expect(lines).toEqual([report.message]);
    expect(await store.readLastRun()).toMatchObject({ outcome: "locked", message: report.message });
    // The holder's lease is untouched.
    expect(JSON.parse(kv.values.get(KEYS.lock)!)).toMatchObject({ owner: "killed-run", expiresAt: expires });
  });

  it("takes over a lease past its TTL, saying whose it was, and publishes", async () => {
    await scrape({ "jira-test": jiraDoc(20), "bb-test": bitbucketDoc(10) });
    await store.acquireLease("killed-run", now(), LEASE_MS);
    const taken = now().toISOString();
    clock += LEASE_MS; // scrape() adds a minute: expired a minute ago
    const lines: string[] = [];
    clock += 60_000;
    const report = await runScrape({
      sources: TEST_SOURCES,
      loadDocument: documentLoader({ "jira-test": jiraDoc(21), "bb-test": bitbucketDoc(10) }),
      store,
      now,
      log: (line) => lines.push(line),
    });
    expect(report.outcome).toBe("published");
    expect(lines[0]).toBe(
      `taking over the stale lease of killed-run (taken 16m00s ago, expired at ${new Date(Date.parse(taken) + LEASE_MS).toISOString()}): that run died or hung`,
    );
    expect(kv.values.has(KEYS.lock)).toBe(false); // released at the end
  });

  it("ages a lease written before acquiredAt was recorded from its expiry", async () => {
    kv.values.set(
      KEYS.lock,
      JSON.stringify({ owner: "old-run", expiresAt: new Date(clock + LEASE_MS - 120_000).toISOString() }),
    );
    const report = await scrape({ "jira-test": jiraDoc(20), "bb-test": bitbucketDoc(10) });
    expect(report.message).toMatch(/^another scrape \(old-run\) holds the lease, taken 3m00s ago;/);
  });

  it("writes the lease with a KV expiration a minute past its TTL, so a dead run's lease also goes by itself", async () => {
    await store.acquireLease("run", now(), LEASE_MS);
    expect(kv.ttls.get(KEYS.lock)).toBe(LEASE_MS / 1000 + 60);
    expect(JSON.parse(kv.values.get(KEYS.lock)!)).toEqual({
      owner: "run",
      acquiredAt: now().toISOString(),
      expiresAt: new Date(clock + LEASE_MS).toISOString(),
    });
    // KV's smallest expiration is 60 s.
    await store.acquireLease("run", now(), 1_000);
    expect(kv.ttls.get(KEYS.lock)).toBe(61);
  });

  it("sends the stored ETag, and treats an all-304 product as unchanged without parsing", async () => {
    await scrape({ "jira-test": jiraDoc(20), "bb-test": bitbucketDoc(10) });
    const calls: { id: string; conditional?: unknown }[] = [];
    const report = await scrape(
      { "jira-test": { ok: true, status: "not_modified" }, "bb-test": { ok: true, status: "not_modified" } },
      calls,
    );
    expect(calls).toEqual([
      { id: "jira-test", conditional: { etag: '"jira-test-etag"', lastModified: undefined } },
      { id: "bb-test", conditional: { etag: '"bb-test-etag"', lastModified: undefined } },
    ]);
    expect(report.outcome).toBe("unchanged");
    expect(report.products.jira).toMatchObject({ status: "unchanged", endpoints: 20 });
  });

  it("reads an unmodified document again in full when another document of the product changed", async () => {
    const twoDocs: ProductSource[] = [
      {
        ...TEST_SOURCES[0]!,
        documents: [TEST_SOURCES[0]!.documents[0]!, { ...TEST_SOURCES[0]!.documents[0]!, id: "jira-test-2" }],
      },
    ];
    const second = jiraDoc(3);
    second.paths = { "/rest/api/3/other": { get: { security: [{ OAuth2: ["read:jira-user"] }] } } };
    await runScrape({
      sources: twoDocs,
      loadDocument: documentLoader({ "jira-test": jiraDoc(20), "jira-test-2": second }),
      store,
      now,
    });
    const calls: { id: string; conditional?: unknown }[] = [];
    let served304 = false;
    const report = await runScrape({
      sources: twoDocs,
      store,
      now: () => new Date(clock + 120_000),
      loadDocument: async (source, conditional) => {
        calls.push({ id: source.id, conditional });
        if (source.id === "jira-test" && conditional && !served304) {
          served304 = true;
          return { ok: true, status: "not_modified" };
        }
        return documentLoader({
          "jira-test": jiraDoc(20),
          "jira-test-2": { ...second, paths: { ...(second.paths as Json), "/rest/api/3/new": { get: {} } } },
        })(source, conditional);
      },
    });
    expect(report.products.jira).toMatchObject({ status: "published", endpoints: 22 });
    expect(calls.map((call) => [call.id, call.conditional === undefined])).toEqual([
      ["jira-test", false],
      ["jira-test-2", false],
      ["jira-test", true],
    ]);
  });
});
