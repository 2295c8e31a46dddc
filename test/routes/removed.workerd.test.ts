/**
 * Removed endpoints through the worker (the bundled snapshot): GET /scopes answers 410 endpoint_removed
 * with the replacement and its scopes, /diff checks the replacement, /plan covers it; a live endpoint of
 * the same path keeps answering.
 */
import { ORIGIN, expectError, get, getScopes, okJson, postDiff, resetCatalogCache, type Json } from "../helpers/worker";
import { env, exports } from "cloudflare:workers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadSnapshot } from "../../data/snapshot";
import type { Manifest, ProductShard, Tombstone } from "../../src/catalog/schema";
import { KEYS } from "../../src/storage/catalog-store";

const GATEWAY_SPACES =
  "https://api.atlassian.com/ex/confluence/11111111-2222-3333-4444-555555555555/wiki/rest/api/space";

beforeAll(async () => {
  resetCatalogCache();
  await (await get("/health")).arrayBuffer();
}, 30_000);

function postPlan(body: unknown, query = ""): Promise<Response> {
  return exports.default.fetch(
    new Request(`${ORIGIN}/plan${query}`, {
      method: "POST",
      headers: { "content-type": "application/json", "cf-connecting-ip": "198.51.100.77" },
      body: JSON.stringify(body),
    }),
  );
}

describe("GET /scopes of a removed endpoint", () => {
  it("410 endpoint_removed with the v2 replacement, its docs and its scopes from the catalog; never 'takes POST'", async () => {
    const error = await expectError(
      await getScopes({ path: "/wiki/rest/api/space", method: "GET" }),
      410,
      "endpoint_removed",
    );
    expect(error.message).toBe(
      "GET /wiki/rest/api/space was removed by Atlassian on 2024-01-01 (Confluence REST API v1 deprecation, CHANGE-864 / RFC-19): calls to it through api.atlassian.com (OAuth 2.0, scoped tokens) answer 410 Gone. Call GET /wiki/api/v2/spaces instead, which needs read:space:confluence (granular). Docs: https://developer.atlassian.com/cloud/confluence/rest/v2/api-group-space/#api-spaces-get",
    );
    expect(error.details.removed[0]).toMatchObject({
      method: "GET",
      path: "/wiki/rest/api/space",
      source: { kind: "curated", url: expect.stringContaining("rfc-19") },
      replacement: {
        method: "GET",
        path: "/wiki/api/v2/spaces",
        docsUrl: "https://developer.atlassian.com/cloud/confluence/rest/v2/api-group-space/#api-spaces-get",
        alternatives: [{ kind: "granular", state: "Current", scopes: ["read:space:confluence"] }],
      },
    });
  });

  it("answers the same through the gateway URL, and keeps answering the live POST", async () => {
    const error = await expectError(await getScopes({ path: GATEWAY_SPACES, method: "get" }), 410, "endpoint_removed");
    expect(error.details.removed[0].replacement.path).toBe("/wiki/api/v2/spaces");
    const live = await okJson(await getScopes({ path: GATEWAY_SPACES, method: "POST" }));
    expect(live.endpoints.map((endpoint: Json) => `${endpoint.method} ${endpoint.path}`)).toEqual([
      "POST /wiki/rest/api/space",
    ]);
  });
});

describe("/diff and /plan with a removed endpoint", () => {
  it("/diff reports it as removed (an error: the call fails whatever the scopes) and checks the replacement", async () => {
    const body = await okJson(
      await postDiff({ scopes: ["read:confluence-space.summary"], endpoints: [`GET ${GATEWAY_SPACES}`] }),
    );
    expect(body.summary).toEqual({ checked: 0, satisfied: 0, unsatisfied: 0, unknown: 0, errors: 1 });
    const [result] = body.results;
    expect(result.error.code).toBe("endpoint_removed");
    expect(result.replacements).toEqual([
      expect.objectContaining({
        method: "GET",
        path: "/wiki/api/v2/spaces",
        satisfied: false,
        missing: ["read:space:confluence"],
      }),
    ]);
    // The classic space scope does not stand in for v2's granular one.
    expect(body.unusedScopes).toEqual(["read:confluence-space.summary"]);
  });

  it("/plan covers the replacement, says so, and lists the removed input apart", async () => {
    const body = await okJson(
      await postPlan({
        endpoints: [`GET ${GATEWAY_SPACES}`, "POST /wiki/rest/api/content", "GET /wiki/api/v2/pages/7"],
      }),
    );
    expect(body.scopes).toEqual(["read:page:confluence", "read:space:confluence", "write:page:confluence"]);
    expect(
      body.endpoints.map((endpoint: Json) => [`${endpoint.method} ${endpoint.path}`, endpoint.replaces ?? null]),
    ).toEqual([
      ["GET /wiki/api/v2/pages/{id}", null],
      ["GET /wiki/api/v2/spaces", "GET /wiki/rest/api/space"],
      ["POST /wiki/api/v2/pages", "POST /wiki/rest/api/content"],
    ]);
    expect(body.unmatched.map((item: Json) => item.error.code)).toEqual(["endpoint_removed", "endpoint_removed"]);
    expect(body.notes).toContain(
      "GET /wiki/rest/api/space was removed: the plan covers its replacement, GET /wiki/api/v2/spaces, instead.",
    );
  });
});

describe("tombstones stored in KV", () => {
  const PROPERTIES = "/rest/api/3/workflow/transitions/{transitionId}/properties";
  const VERSION = "2026-12-05T11-00-00Z";
  const tombstone: Tombstone = {
    product: "jira",
    method: "GET",
    path: PROPERTIES,
    summary: "Get workflow transition properties",
    removedIn: VERSION,
    removedAt: "2026-12-05T11:00:00.000Z",
    alternatives: [{ kind: "classic", state: "Current", scopes: ["manage:jira-configuration"], origins: ["security"] }],
  };

  /** The snapshot under a version of its own, the Jira shard carrying `removed` as given. */
  async function putCatalog(removed: unknown): Promise<void> {
    const snapshot = await loadSnapshot();
    const manifest = structuredClone(snapshot.manifest) as Manifest;
    const shards = structuredClone(snapshot.shards) as Record<string, ProductShard>;
    manifest.version = VERSION;
    for (const pointer of Object.values(manifest.products)) {
      const shard = shards[pointer.key]!;
      await env.CATALOG.put(pointer.key, JSON.stringify(shard.product === "jira" ? { ...shard, removed } : shard));
    }
    await env.CATALOG.put(KEYS.manifest, JSON.stringify(manifest));
    resetCatalogCache();
  }

  afterAll(async () => {
    const { keys } = await env.CATALOG.list();
    for (const { name } of keys) await env.CATALOG.delete(name);
    resetCatalogCache();
  });

  it("answer 410 with the version that found them gone and the scopes they last took", async () => {
    await putCatalog([tombstone]);
    const error = await expectError(
      await getScopes({
        path: "https://api.atlassian.com/ex/jira/x/rest/api/3/workflow/transitions/5/properties",
        method: "GET",
      }),
      410,
      "endpoint_removed",
    );
    expect(error.message).toContain(`the scrape of catalog version ${VERSION} (2026-12-05) found it gone`);
    expect(error.details.removed[0]).toMatchObject({ removedIn: VERSION, source: { kind: "scrape" } });
    // Another method of the path was never published: unknown, not removed.
    await expectError(
      await getScopes({ path: PROPERTIES.replace("{transitionId}", "5"), method: "PATCH" }),
      404,
      "endpoint_not_found",
    );
  });

  it("a shard whose removed list is malformed is refused like any corrupt shard: no 500, the snapshot answers", async () => {
    await putCatalog([{ method: "GET" }]);
    const response = await getScopes({ path: "/rest/api/3/issue/ABC-1", method: "GET" });
    const body = await okJson(response);
    expect(body.catalog.version).not.toBe(VERSION);
  });
});
