/**
 * POST /diff, /plan and /explain read only the shards their lines and scope names can need (issue 15),
 * and answer exactly as the whole catalog does: over the bundled snapshot, for every endpoint of every
 * product as a line and for the inputs a partial index cannot answer (implied `/wiki` and `/2.0`, misses,
 * browser and site URLs, gateway URLs, removed endpoints, curated platform records, unknown and registry
 * scopes, token lists), the lazy answer is byte-identical to the whole catalog's.
 */
import { beforeEach, describe, expect, it, vi } from "vitest";
import { loadSnapshot } from "../../data/snapshot";
import { answerDiff, type DiffInput } from "../../src/answers/diff";
import { answerExplain, type ExplainInput } from "../../src/answers/explain";
import {
  answerDiffLazily,
  answerExplainLazily,
  answerPlanLazily,
  diffNeeds,
  explainNeeds,
  planNeeds,
} from "../../src/answers/partial-catalog";
import { answerPlan, type PlanInput } from "../../src/answers/plan";
import { CURATED_REMOVALS } from "../../src/catalog/removed-endpoints";
import type { Endpoint, Manifest, ProductShard } from "../../src/catalog/schema";
import {
  resetCatalogCache,
  servedCatalog,
  type ServedCatalog,
  type SnapshotLoader,
} from "../../src/storage/catalog-cache";
import { KEYS } from "../../src/storage/catalog-store";
import { MemoryKv } from "../helpers/memory-kv";

/** A KV holding the bundled snapshot (manifest with `prefixes` and `scopeNames`, shards, registry), logging reads. */
async function seededKv(): Promise<{ kv: MemoryKv; reads: string[]; manifest: Manifest }> {
  const { manifest: raw, shards, registries } = await loadSnapshot();
  const manifest = raw as Manifest;
  const kv = new MemoryKv();
  for (const pointer of Object.values(manifest.products)) {
    expect(pointer.prefixes, "the snapshot's manifest stores prefixes").toBeDefined();
    expect(pointer.scopeNames, "the snapshot's manifest stores scopeNames").toBeDefined();
    kv.values.set(pointer.key, JSON.stringify(shards[pointer.key]));
  }
  for (const [key, registry] of Object.entries(registries ?? {})) kv.values.set(key, JSON.stringify(registry));
  kv.values.set(KEYS.manifest, JSON.stringify(manifest));
  const reads: string[] = [];
  const get = kv.get.bind(kv);
  kv.get = (key: string) => {
    reads.push(key);
    return get(key);
  };
  return { kv, reads, manifest };
}

const noSnapshot: SnapshotLoader = () => Promise.reject(new Error("the snapshot must not be needed"));
const shardReads = (reads: readonly string[]) => reads.filter((key) => key.startsWith(KEYS.shardPrefix));

/** A template made concrete (`{issueIdOrKey}` → `ABC-1`-like), as users paste it. */
const concrete = (path: string) => path.replace(/\{[^}]*\}/g, "X1");

beforeEach(() => resetCatalogCache());

describe("POST /diff, /plan and /explain answer on the shards they need, exactly as on the whole catalog", () => {
  it("every endpoint as a line, and every kind of line a partial index cannot answer", async () => {
    const { kv, manifest } = await seededKv();
    const whole = await servedCatalog(kv, noSnapshot);
    // A second instance of the cache for the lazy answers: one that holds the whole catalog's index
    // answers every request from it (as a warm isolate does), which would leave nothing to compare.
    vi.resetModules();
    const lazyCache = await import("../../src/storage/catalog-cache");
    expect(whole.index.registrySource).toBeDefined();
    const { shards } = await loadSnapshot();
    let partial = 0;
    let fallbacks = 0;
    const wholeCatalog = () => {
      fallbacks++;
      return Promise.resolve(whole);
    };
    const same = (lazy: unknown, expected: unknown, what: string) =>
      expect(JSON.stringify(lazy), what).toBe(JSON.stringify(expected));

    async function checkDiff(body: DiffInput) {
      const served = await lazyCache.servedCatalog(kv, noSnapshot, { forLines: () => diffNeeds(body) });
      if (served.partial) partial++;
      same(await answerDiffLazily(served, body, wholeCatalog), answerDiff(whole, body), `diff ${JSON.stringify(body)}`);
    }
    async function checkPlan(input: PlanInput) {
      const served = await lazyCache.servedCatalog(kv, noSnapshot, { forLines: () => planNeeds(input) });
      if (served.partial) partial++;
      same(
        await answerPlanLazily(served, input, wholeCatalog),
        answerPlan(whole, input),
        `plan ${JSON.stringify(input)}`,
      );
    }
    async function checkExplain(body: ExplainInput) {
      const served = await lazyCache.servedCatalog(kv, noSnapshot, { forLines: () => explainNeeds(body) });
      if (served.partial) partial++;
      same(
        await answerExplainLazily(served, body, wholeCatalog),
        answerExplain(whole, body),
        `explain ${JSON.stringify(body)}`,
      );
    }

    const site = "https://example.atlassian.net";
    const gateway = "https://api.atlassian.com/ex";
    const cloud = "11111111-2222-3333-4444-555555555555";
    /** The URL forms users paste: through the gateway (Confluence's without `/wiki`: it may then fit a Jira template), on the site. */
    const pasted = (endpoint: Endpoint): string[] => {
      const path = concrete(endpoint.path);
      if (endpoint.product === "confluence")
        return [`${gateway}/confluence/${cloud}${path.replace(/^\/wiki/, "")}`, `${gateway}/jira/${cloud}${path}`];
      if (endpoint.product.startsWith("jira"))
        return [`${gateway}/jira/${cloud}${path}`, `${site}${path}`, `${gateway}/confluence/${cloud}${path}`];
      return [];
    };
    const endpoints = whole.index.endpoints as Endpoint[];
    expect(endpoints.length).toBeGreaterThan(2000);
    for (const endpoint of endpoints) {
      const scopes = endpoint.alternatives[0]?.scopes ?? [];
      for (const path of [endpoint.path, concrete(endpoint.path), ...pasted(endpoint)]) {
        const line = `${endpoint.method} ${path}`;
        await checkDiff({ scopes: [...scopes], endpoints: [line] });
        await checkPlan({ endpoints: [line] });
        await checkExplain({ method: endpoint.method, url: path, status: 403, scopes: [...scopes] });
      }
    }

    // Removed endpoints: the curated Confluence v1 removals and every product's tombstones.
    const removed = [
      ...CURATED_REMOVALS.map((item) => `${item.method} ${item.path}`),
      ...Object.values(manifest.products).flatMap((pointer) =>
        ((shards[pointer.key] as ProductShard).removed ?? []).map((item) => `${item.method} ${item.path}`),
      ),
    ];
    expect(removed.length).toBeGreaterThan(0);
    const odd = [
      ...removed,
      ...removed.map((line) => line.replace(/^(\w+) \/wiki/, "$1 ")),
      "GET /rest/api/content/123",
      "GET /rest/api/space",
      "GET /api/v2/pages/1",
      "GET /repositories/acme/repo",
      "GET /repositories/acme/repo/pullrequests",
      "GET /rest/api/3/nothing-here",
      "GET /rest/api/3/issue/ABC-1",
      "DELETE /rest/agile/1.0/board",
      "PATCH /rest/api/3/myself",
      "GET /nowhere/at/all",
      "GET /",
      "/rest/api/3/issue/ABC-1",
      `GET ${site}/rest/api/3/issue/ABC-1`,
      `GET ${site}/wiki/rest/api/content/1`,
      `GET ${site}/browse/ABC-1`,
      `GET ${site}/wiki/spaces/KEY/pages/123/Title`,
      `GET ${site}/jira/software/projects/ABC/boards/1`,
      `GET ${gateway}/jira/${cloud}/rest/api/3/issue/ABC-1`,
      `GET ${gateway}/confluence/${cloud}/rest/api/content/1`,
      `GET ${gateway}/confluence/${cloud}/wiki/rest/api/content/1`,
      `GET ${gateway}/confluence/${cloud}/rest/api/3/issue/ABC-1`,
      `GET ${gateway}/jira/${cloud}/wiki/api/v2/pages/1`,
      "GET https://api.bitbucket.org/2.0/repositories/acme/repo",
      "GET https://api.bitbucket.org/repositories/acme/repo",
      "GET https://api.bitbucket.org/nothing",
      "GET https://api.atlassian.com/me",
      "GET https://api.atlassian.com/oauth/token/accessible-resources",
      "GET /me",
      "GET /oauth/token/accessible-resources",
      `GET ${site}/_edge/tenant_info`,
      "GET https://api.atlassian.com/graphql",
      "POST /graphql",
      "GET /rest/api/3/issue/%zz",
      "FETCH /rest/api/3/issue/ABC-1",
    ];
    const scopeSets = [
      ["read:jira-work"],
      ["read:jira-wrok", "write:jira-work"],
      ["repository", "pullrequest:write"],
      ["read:compass-component:compass", "read:me", "offline_access"],
      ["READ", "WRITE"],
      ["read:board-scope:jira-software", "read:confluence-content.all", "read:board-scope:jira"],
      ["read:page:confluence", "manage:jira-configuration", "read:account"],
      [],
    ];
    for (const line of odd)
      for (const scopes of scopeSets) {
        await checkDiff({ scopes, endpoints: [line] });
        await checkExplain({
          method: line.split(" ")[0]!,
          url: line.split(" ").slice(1).join(" "),
          status: 404,
          scopes,
        });
      }
    for (const line of odd) await checkPlan({ endpoints: [line] });

    // Mixes: Jira with Bitbucket, a line with each of the odd ones, token lists, text and bare paths.
    const jira = endpoints.filter((endpoint) => endpoint.product === "jira").slice(0, 40);
    const bitbucket = endpoints.filter((endpoint) => endpoint.product === "bitbucket").slice(0, 40);
    const mix = [...jira, ...bitbucket].map((endpoint) => `${endpoint.method} ${concrete(endpoint.path)}`);
    const mixScopes = [
      ...new Set([...jira, ...bitbucket].flatMap((endpoint) => endpoint.alternatives[0]?.scopes ?? [])),
    ];
    for (const scopes of [...scopeSets, mixScopes]) {
      await checkDiff({ scopes, endpoints: mix });
      await checkDiff({ scopes, endpoints: mix.slice(0, 40) });
      await checkDiff({ scopes, path: mix[0]!.split(" ")[1]!, method: "GET" });
      await checkDiff({ scopes });
      await checkDiff({
        scopes: [
          { id: "a", label: "jira", scopes },
          { id: "b", label: "typos", scopes: ["read:jira-wrok", ...scopes.slice(0, 3)] },
        ],
        endpoints: mix.slice(0, 10),
      });
      await checkDiff({ scopes, endpoints: mix.slice(0, 5), credential: "oauth2" } as DiffInput);
    }
    for (const line of odd) await checkDiff({ scopes: mixScopes, endpoints: [...mix.slice(0, 20), line] });
    await checkPlan({ endpoints: mix });
    await checkPlan({ text: mix.join("\n") });
    await checkPlan({ endpoints: mix.slice(40), prefer: "granular" });
    await checkPlan({ endpoints: mix.slice(0, 40), maxScopes: 3 });
    await checkPlan({ endpoints: [...mix.slice(0, 40), ...odd.slice(0, 20)] });
    await checkPlan({ endpoints: [] });

    // The selection is real (most single-endpoint requests answer on some products only) and the
    // fallback runs where it must.
    expect(partial).toBeGreaterThan(endpoints.length * 3);
    expect(fallbacks).toBeGreaterThan(odd.length);
  }, 300_000);
});

describe("shard reads", () => {
  it("a one-product /diff reads the manifest, that product's shard and the scope registry, nothing else", async () => {
    const { kv, reads, manifest } = await seededKv();
    const body: DiffInput = {
      scopes: ["repository", "pullrequest"],
      endpoints: ["GET /2.0/repositories/acme/repo", "GET /2.0/repositories/acme/repo/pullrequests"],
    };
    const served = await servedCatalog(kv, noSnapshot, { forLines: () => diffNeeds(body) });
    expect(served.partial).toBe(true);
    const answer = await answerDiffLazily(served, body, () => {
      throw new Error("the whole catalog must not be needed");
    });
    expect(answer.ok).toBe(true);
    expect(reads[0]).toBe(KEYS.manifest);
    expect(shardReads(reads)).toEqual([manifest.products.bitbucket!.key]);
    expect(reads.filter((key) => !key.startsWith(KEYS.shardPrefix) && key !== KEYS.manifest)).toEqual([
      manifest.registry!.key,
    ]);
  });

  it("an isolate that holds the whole catalog's index answers from it, without parsing the lines again", async () => {
    const { kv } = await seededKv();
    await servedCatalog(kv, noSnapshot);
    const served = await servedCatalog(kv, noSnapshot, {
      forLines: () => {
        throw new Error("not asked");
      },
    });
    expect(served.partial).toBeUndefined();
  });

  it("a /plan of Jira Software lines reads its shard only; a miss then reads the rest", async () => {
    const { kv, reads, manifest } = await seededKv();
    const input: PlanInput = { endpoints: ["GET /rest/agile/1.0/board", "GET /rest/agile/1.0/board/1/sprint"] };
    const served: ServedCatalog = await servedCatalog(kv, noSnapshot, { forLines: () => planNeeds(input) });
    expect((await answerPlanLazily(served, input, () => servedCatalog(kv, noSnapshot))).ok).toBe(true);
    expect(shardReads(reads)).toEqual([manifest.products["jira-software"]!.key]);
    const miss: PlanInput = { endpoints: ["GET /rest/agile/1.0/bored"] };
    const again = await servedCatalog(kv, noSnapshot, { forLines: () => planNeeds(miss) });
    await answerPlanLazily(again, miss, () => servedCatalog(kv, noSnapshot));
    expect(new Set(shardReads(reads)).size).toBe(Object.keys(manifest.products).length);
  });
});
