/**
 * validateProduct / checkCanary: the gates a product's new records pass before they are published.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { Endpoint, ShardPointer } from "../../src/catalog/schema";
import { normalizeProduct, type NormalizedProduct } from "../../scraper/normalize";
import { parseOpenApiText } from "../../scraper/parse/openapi";
import type { Canary, DocumentSource } from "../../scraper/sources";
import {
  checkCanary,
  MAX_ENDPOINTS,
  MAX_PARAMS_PER_SEGMENT,
  MAX_RECORD_BYTES,
  MAX_SHRINK,
  mostParamsPerSegment,
  validateProduct,
} from "../../scraper/validate";
import { readDataShard } from "../helpers/data-shards";

const DAC = "https://developer.atlassian.com";
/** The committed snapshot, built from ../shared/atlassian-docs by `npm run scrape`. */
const DATA = new URL("../../data/", import.meta.url);

function normalizedFixture(name: string, product: "bitbucket" | "confluence", docsBase: string): NormalizedProduct {
  const result = parseOpenApiText(readFileSync(new URL(`../fixtures/openapi/${name}`, import.meta.url), "utf8"));
  if (!result.ok) throw new Error(`${result.reason}: ${result.message}`);
  const source: DocumentSource = { id: product, url: `https://dac-static.atlassian.com/${name}`, file: name, docsBase };
  return normalizeProduct(product, [{ source, document: result.document }]);
}

const bitbucket = () => normalizedFixture("bitbucket.json", "bitbucket", `${DAC}/cloud/bitbucket/rest/`);
const traps = () => normalizedFixture("openapi3-traps.json", "confluence", `${DAC}/cloud/confluence/rest/v2/`);

const PULLREQUESTS = "/2.0/repositories/{workspace}/{repo_slug}/pullrequests";

function pointer(endpoints: number, endpointsWithScopes: number): ShardPointer {
  return {
    key: "shard/jira/2025-01-01T00-00-00Z",
    version: "2025-01-01T00-00-00Z",
    scrapedAt: "2025-01-01T00:00:00.000Z",
    contentHash: "0".repeat(64),
    endpoints,
    endpointsWithScopes,
    scopes: 1,
  };
}

/** `total` valid Jira endpoints, the first `withScopes` of them publishing read:jira-work. */
function synthetic(total: number, withScopes: number): NormalizedProduct {
  const endpoints: Endpoint[] = Array.from({ length: total }, (_, index) => ({
    product: "jira",
    method: "GET",
    path: `/rest/api/3/thing${String(index).padStart(4, "0")}`,
    docsUrl: `${DAC}/cloud/jira/platform/rest/v3/#api-rest-api-3-thing${index}-get`,
    deprecated: false,
    experimental: false,
    alternatives:
      index < withScopes
        ? [{ kind: "classic", state: "Current", scopes: ["read:jira-work"], origins: ["security"] }]
        : [],
    hasScopes: index < withScopes,
    emptyScopeList: false,
    anonymous: false,
    documents: ["jira-platform.v3"],
  }));
  return {
    endpoints,
    scopes: [{ name: "read:jira-work", kind: "classic", product: "jira", unused: false }],
  };
}

describe("validateProduct: good records", () => {
  it("accepts the Bitbucket-like fixture with no previous version and no canaries", () => {
    expect(validateProduct(bitbucket(), [], undefined)).toEqual({ ok: true });
  });

  it("accepts the traps fixture, whose records include endpoints without scopes", () => {
    expect(validateProduct(traps(), [], pointer(12, 9))).toEqual({ ok: true });
  });

  it("accepts records whose canaries all hold", () => {
    const canaries: Canary[] = [
      { method: "GET", path: PULLREQUESTS, includes: ["read:pullrequest:bitbucket"], kind: "granular" },
      { method: "GET", path: PULLREQUESTS, exactly: ["pullrequest"] },
    ];
    expect(validateProduct(bitbucket(), canaries, pointer(3, 2))).toEqual({ ok: true });
  });

  it("uses a 10% limit", () => {
    expect(MAX_SHRINK).toBe(0.1);
  });
});

describe("validateProduct: shrinking against the previous pointer", () => {
  it.each([
    { given: { previous: 20, now: 20 }, want: { ok: true } },
    { given: { previous: 20, now: 25 }, want: { ok: true } },
    { given: { previous: 20, now: 18 }, want: { ok: true } },
    { given: { previous: 100, now: 90 }, want: { ok: true } },
    { given: { previous: 70, now: 63 }, want: { ok: true } },
    { given: { previous: 95, now: 86 }, want: { ok: true } },
    { given: { previous: 1, now: 1 }, want: { ok: true } },
    {
      given: { previous: 20, now: 17 },
      want: {
        ok: false,
        reason: "shrank",
        message: "17 endpoints, down from 20: losing more than 10% at once looks like a broken document",
      },
    },
    {
      given: { previous: 100, now: 89 },
      want: {
        ok: false,
        reason: "shrank",
        message: "89 endpoints, down from 100: losing more than 10% at once looks like a broken document",
      },
    },
    {
      given: { previous: 95, now: 85 },
      want: {
        ok: false,
        reason: "shrank",
        message: "85 endpoints, down from 95: losing more than 10% at once looks like a broken document",
      },
    },
  ])("$given.now endpoints after $given.previous → $want.ok", ({ given, want }) => {
    expect(validateProduct(synthetic(given.now, given.now), [], pointer(given.previous, given.previous))).toEqual(want);
  });

  it("accepts exactly 10% fewer for every previous count that is a multiple of 10 up to 1000", () => {
    const refused: number[] = [];
    for (let previous = 10; previous <= 1000; previous += 10) {
      const now = previous - previous / 10;
      const result = validateProduct(synthetic(now, 0), [], pointer(previous, 0));
      if (!result.ok) refused.push(previous);
    }
    expect(refused).toEqual([]);
  });

  it.each([
    { given: { previousWithScopes: 20, withScopes: 18 }, want: { ok: true } },
    { given: { previousWithScopes: 20, withScopes: 20 }, want: { ok: true } },
    { given: { previousWithScopes: 0, withScopes: 0 }, want: { ok: true } },
    {
      given: { previousWithScopes: 20, withScopes: 17 },
      want: {
        ok: false,
        reason: "scopes_vanished",
        message: "17 endpoints publish scopes, down from 20: scope information vanished from the documents",
      },
    },
    {
      given: { previousWithScopes: 20, withScopes: 0 },
      want: {
        ok: false,
        reason: "scopes_vanished",
        message: "0 endpoints publish scopes, down from 20: scope information vanished from the documents",
      },
    },
  ])("20 endpoints, $given.withScopes with scopes after $given.previousWithScopes → $want.ok", ({ given, want }) => {
    expect(validateProduct(synthetic(20, given.withScopes), [], pointer(20, given.previousWithScopes))).toEqual(want);
  });

  it("reports a shrink before vanished scopes when both happen", () => {
    const result = validateProduct(synthetic(10, 0), [], pointer(20, 20));
    expect(result.ok || result.reason).toBe("shrank");
  });
});

describe("validateProduct: refusals that need no previous version", () => {
  it("refuses zero endpoints", () => {
    expect(validateProduct({ endpoints: [], scopes: [] }, [], undefined)).toEqual({
      ok: false,
      reason: "no_endpoints",
      message: "the documents yielded no endpoints",
    });
    expect(validateProduct({ endpoints: [], scopes: [] }, [], pointer(20, 20))).toMatchObject({
      reason: "no_endpoints",
    });
  });

  it("refuses an alternative holding a scope name with a space, naming the record", () => {
    const records = synthetic(3, 3);
    const alternative = records.endpoints[1]?.alternatives[0];
    if (!alternative) throw new Error("synthetic endpoint has no alternative");
    alternative.scopes = ["read:jira work"];
    expect(validateProduct(records, [], undefined)).toEqual({
      ok: false,
      reason: "schema_invalid",
      message: "record endpoints.1.alternatives.0.scopes.0 is invalid: scope names are letters, digits and . _ : -",
    });
  });

  it("refuses a scope record whose name has a space", () => {
    const records = synthetic(3, 3);
    records.scopes.push({ name: "read jira", kind: "classic", product: "jira", unused: true });
    expect(validateProduct(records, [], undefined)).toEqual({
      ok: false,
      reason: "schema_invalid",
      message: "record scopes.1.name is invalid: scope names are letters, digits and . _ : -",
    });
  });

  it("refuses an endpoint path that does not start with a slash and an endpoint listing no document", () => {
    const relative = synthetic(2, 2);
    const first = relative.endpoints[0];
    if (!first) throw new Error("no synthetic endpoint");
    first.path = "rest/api/3/thing";
    const noPath = validateProduct(relative, [], undefined);
    expect(noPath.ok || [noPath.reason, noPath.message.startsWith("record endpoints.0.path is invalid: ")]).toEqual([
      "schema_invalid",
      true,
    ]);

    const orphan = synthetic(2, 2);
    const second = orphan.endpoints[1];
    if (!second) throw new Error("no synthetic endpoint");
    second.documents = [];
    const noDocument = validateProduct(orphan, [], undefined);
    expect(
      noDocument.ok || [noDocument.reason, noDocument.message.startsWith("record endpoints.1.documents is invalid: ")],
    ).toEqual(["schema_invalid", true]);
  });

  it("refuses an alternative with no scopes", () => {
    const records = synthetic(1, 1);
    const alternative = records.endpoints[0]?.alternatives[0];
    if (!alternative) throw new Error("synthetic endpoint has no alternative");
    alternative.scopes = [];
    expect(validateProduct(records, [], undefined)).toMatchObject({ ok: false, reason: "schema_invalid" });
  });
});

describe("checkCanary", () => {
  const records = bitbucket();
  const confluence = traps();

  it.each<{ name: string; canary: Canary; endpoints: "bitbucket" | "confluence"; want: string | undefined }>([
    {
      name: "exactly the classic set",
      endpoints: "bitbucket",
      canary: { method: "GET", path: PULLREQUESTS, exactly: ["pullrequest"] },
      want: undefined,
    },
    {
      name: "exactly a set given in another order",
      endpoints: "confluence",
      canary: {
        method: "GET",
        path: "/wiki/api/v2/pages/{id}",
        exactly: ["read:page:confluence", "read:content.metadata:confluence"],
      },
      want: undefined,
    },
    {
      name: "exactly a subset of a published set",
      endpoints: "confluence",
      canary: { method: "GET", path: "/wiki/api/v2/pages/{id}", exactly: ["read:page:confluence"] },
      want:
        "canary GET /wiki/api/v2/pages/{id} must accept exactly read:page:confluence; " +
        "the new version has read:jira-work | read:content.metadata:confluence + read:page:confluence",
    },
    {
      name: "exactly a superset of a published set",
      endpoints: "bitbucket",
      canary: { method: "GET", path: PULLREQUESTS, exactly: ["pullrequest", "pullrequest:write"] },
      want: `canary GET ${PULLREQUESTS} must accept exactly pullrequest + pullrequest:write; the new version has pullrequest | read:pullrequest:bitbucket`,
    },
    {
      name: "includes with the right kind",
      endpoints: "bitbucket",
      canary: { method: "GET", path: PULLREQUESTS, includes: ["read:pullrequest:bitbucket"], kind: "granular" },
      want: undefined,
    },
    {
      name: "includes with the wrong kind",
      endpoints: "bitbucket",
      canary: { method: "GET", path: PULLREQUESTS, includes: ["read:pullrequest:bitbucket"], kind: "classic" },
      want: `canary GET ${PULLREQUESTS} must accept classic set with read:pullrequest:bitbucket; the new version has pullrequest | read:pullrequest:bitbucket`,
    },
    {
      name: "includes without a kind",
      endpoints: "confluence",
      canary: { method: "GET", path: "/wiki/api/v2/pages/{id}", includes: ["read:page:confluence"] },
      want: undefined,
    },
    {
      name: "includes a scope that is absent, without a kind",
      endpoints: "bitbucket",
      canary: { method: "GET", path: PULLREQUESTS, includes: ["repository"] },
      want: `canary GET ${PULLREQUESTS} must accept a set with repository; the new version has pullrequest | read:pullrequest:bitbucket`,
    },
    {
      name: "includes scopes spread over two alternatives (they must be in one)",
      endpoints: "bitbucket",
      canary: { method: "GET", path: PULLREQUESTS, includes: ["pullrequest", "read:pullrequest:bitbucket"] },
      want: `canary GET ${PULLREQUESTS} must accept a set with pullrequest + read:pullrequest:bitbucket; the new version has pullrequest | read:pullrequest:bitbucket`,
    },
    {
      name: "a mixed set does not satisfy a classic canary",
      endpoints: "confluence",
      canary: {
        method: "GET",
        path: "/wiki/api/v2/ui-modifications",
        includes: ["read:app-data:jira"],
        kind: "classic",
      },
      want:
        "canary GET /wiki/api/v2/ui-modifications must accept classic set with read:app-data:jira; " +
        "the new version has read:jira-work | read:app-data:jira + read:jira-work",
    },
    {
      name: "an endpoint that publishes no scopes",
      endpoints: "bitbucket",
      canary: { method: "GET", path: "/2.0/hook_events", includes: ["webhook"] },
      want: "canary GET /2.0/hook_events must accept a set with webhook; the new version has no scopes",
    },
    {
      name: "a missing path",
      endpoints: "bitbucket",
      canary: { method: "GET", path: "/2.0/repositories/{workspace}", includes: ["repository"] },
      want: "canary GET /2.0/repositories/{workspace} is missing",
    },
    {
      name: "a path present under another method only",
      endpoints: "bitbucket",
      canary: { method: "DELETE", path: PULLREQUESTS, exactly: ["pullrequest:write"] },
      want: `canary DELETE ${PULLREQUESTS} is missing`,
    },
  ])("$name", ({ canary, endpoints, want }) => {
    expect(checkCanary((endpoints === "bitbucket" ? records : confluence).endpoints, canary)).toBe(want);
  });
});

describe("validateProduct: canaries", () => {
  it("refuses with canary_failed and the first failing canary's message", () => {
    const canaries: Canary[] = [
      { method: "GET", path: PULLREQUESTS, exactly: ["pullrequest"] },
      { method: "GET", path: "/2.0/gone", exactly: ["repository"] },
      { method: "GET", path: PULLREQUESTS, includes: ["read:pullrequest:bitbucket"], kind: "classic" },
    ];
    expect(validateProduct(bitbucket(), canaries, undefined)).toEqual({
      ok: false,
      reason: "canary_failed",
      message: "canary GET /2.0/gone is missing",
    });
  });

  it("checks size limits before canaries", () => {
    const result = validateProduct(
      bitbucket(),
      [{ method: "GET", path: "/2.0/gone", exactly: ["repository"] }],
      pointer(30, 20),
    );
    expect(result.ok || result.reason).toBe("shrank");
  });
});

describe("validateProduct: growth", () => {
  it.each([
    { given: { previous: 1126, now: 2252 }, want: { ok: true } },
    // A small product may add a whole API group: 100 endpoints even when that more than doubles it.
    { given: { previous: 54, now: 154 }, want: { ok: true } },
    {
      given: { previous: 54, now: 155 },
      want: {
        ok: false,
        reason: "grew",
        message: "155 endpoints, up from 54: more than doubling at once looks like a broken document",
      },
    },
    {
      given: { previous: 1126, now: 2253 },
      want: {
        ok: false,
        reason: "grew",
        message: "2253 endpoints, up from 1126: more than doubling at once looks like a broken document",
      },
    },
  ])("$given.now endpoints after $given.previous → $want.ok", ({ given, want }) => {
    expect(validateProduct(synthetic(given.now, given.now), [], pointer(given.previous, given.previous))).toEqual(want);
  });

  it("refuses Jira plus 40,000 operations before the schema check walks them, with or without a previous version", () => {
    const huge = synthetic(1126 + 40_000, 1126);
    for (const previous of [undefined, pointer(1126, 1126)]) {
      expect(validateProduct(huge, [], previous)).toEqual({
        ok: false,
        reason: "too_many_endpoints",
        message: `41126 endpoints, over the limit of ${MAX_ENDPOINTS}: no Atlassian document comes close`,
      });
    }
  });

  it("refuses records over the byte limit even when their count is allowed", () => {
    const records = synthetic(10, 10);
    records.endpoints[0]!.summary = "x".repeat(MAX_RECORD_BYTES);
    const result = validateProduct(records, [], pointer(10, 10));
    expect(result).toMatchObject({ ok: false, reason: "too_large" });
    expect(!result.ok && result.message).toMatch(/over the limit of 4,096 KiB/);
    // Just under the limit passes: the gate counts the records, not a rough estimate.
    records.endpoints[0]!.summary = "x".repeat(MAX_RECORD_BYTES - 20_000);
    expect(validateProduct(records, [], pointer(10, 10))).toEqual({ ok: true });
  });

  it("refuses a template with more parameters in one segment than the limit, naming it", () => {
    const records = synthetic(3, 3);
    records.endpoints[2]!.path = "/rest/api/3/export/{a}{b}{c}{d}{e}{f}{g}{h}{i}{j}.zip";
    expect(validateProduct(records, [], undefined)).toEqual({
      ok: false,
      reason: "path_too_complex",
      message: `GET /rest/api/3/export/{a}{b}{c}{d}{e}{f}{g}{h}{i}{j}.zip has 10 parameters in one segment, over the limit of ${MAX_PARAMS_PER_SEGMENT}`,
    });
    records.endpoints[2]!.path =
      "/2.0/repositories/{workspace}/{repo_slug}/issues/export/{repo_name}-issues-{task_id}.zip";
    expect(validateProduct(records, [], undefined)).toEqual({ ok: true });
  });

  it.each([
    { given: "/rest/api/3/issue/{issueIdOrKey}", want: 1 },
    { given: "/2.0/repositories/{workspace}/{repo_slug}/issues/export/{repo_name}-issues-{task_id}.zip", want: 2 },
    { given: "/a/{b}{c}{d}/{e}", want: 3 },
    { given: "/rest/api/3/myself", want: 0 },
  ])("mostParamsPerSegment($given) = $want", ({ given, want }) => {
    expect(mostParamsPerSegment(given)).toBe(want);
  });
});

describe("validateProduct: the growth limits over today's real documents", () => {
  it("leave at least 4 times the endpoints, bytes and parameters per segment of every product in data/", () => {
    const manifest = JSON.parse(readFileSync(new URL("manifest.json", DATA), "utf8")) as {
      products: Record<string, { key: string }>;
    };
    for (const { key } of Object.values(manifest.products)) {
      const shard: NormalizedProduct = readDataShard(key);
      const records = { endpoints: shard.endpoints, scopes: shard.scopes };
      const bytes = new TextEncoder().encode(JSON.stringify(records)).length;
      expect(shard.endpoints.length * 4).toBeLessThan(MAX_ENDPOINTS);
      expect(bytes * 4).toBeLessThan(MAX_RECORD_BYTES);
      for (const endpoint of shard.endpoints)
        expect(mostParamsPerSegment(endpoint.path) * 2).toBeLessThanOrEqual(MAX_PARAMS_PER_SEGMENT);
    }
  });
});
