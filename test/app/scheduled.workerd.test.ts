/**
 * The cron handler inside workerd, with `fetch` stubbed: it serves the shared Atlassian documents
 * (skipped when ../shared is absent) or fails the way the network does.
 */
import { createExecutionContext, createScheduledController, waitOnExecutionContext } from "cloudflare:test";
import { expandAlternatives } from "../../src/storage/shard-layout";
import { env, exports } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import worker from "../../src/index";
import { resetCatalogCache } from "../../src/storage/catalog-cache";
import { KEYS } from "../../src/storage/catalog-store";
import { REGISTRY_PACKAGE, tarballUrl } from "../../scraper/registry";
import { SOURCES } from "../../scraper/sources";
import { forgeManifestTarball } from "../helpers/tarball";

// Bundled by Vite at test time; an empty object when ../shared is absent.
const shared = import.meta.glob("../../../shared/atlassian-docs/*.json", { query: "?raw", import: "default" });
const HAS_SHARED = Object.keys(shared).length > 0;
if (!HAS_SHARED)
  console.warn("skipping the scheduled scrape over the real documents: ../shared/atlassian-docs is absent");

/** URL -> document text, built from the source list so the live URLs are the ones exercised. */
async function upstream(): Promise<Map<string, string>> {
  const byUrl = new Map<string, string>();
  for (const document of SOURCES.flatMap((source) => source.documents)) {
    const load = shared[`../../../shared/atlassian-docs/${document.file}`];
    if (load) byUrl.set(document.url, (await load()) as string);
  }
  return byUrl;
}

const requested: string[] = [];
function stubFetch(answer: (url: string) => Response | Promise<Response>): void {
  vi.stubGlobal("fetch", async (input: RequestInfo | URL) => {
    const url = input instanceof Request ? input.url : String(input);
    requested.push(url);
    return answer(url);
  });
}

async function runCron(): Promise<void> {
  const controller = createScheduledController({ scheduledTime: Date.now(), cron: "17 4 * * *" });
  const ctx = createExecutionContext();
  await worker.scheduled(controller, env, ctx);
  await waitOnExecutionContext(ctx);
}

const health = async () => {
  const response = await exports.default.fetch(new Request("http://catalog.test/health"));
  return { status: response.status, body: (await response.json()) as any };
};

afterEach(() => {
  vi.unstubAllGlobals();
  requested.length = 0;
  resetCatalogCache();
});

describe("scheduled scrape", () => {
  it("fails cleanly when the network is down: KV stays empty, the bundled snapshot answers, /health says why", async () => {
    stubFetch(() => {
      throw new TypeError("fetch failed");
    });
    await runCron();
    const { status, body } = await health();
    expect(status).toBe(200);
    expect(body.catalog.source).toBe("snapshot");
    expect(body.lastRun.outcome).toBe("failed");
    expect(body.lastRun.products.jira).toMatchObject({ status: "failed", reason: "network_error" });
    expect(await env.CATALOG.get(KEYS.manifest)).toBeNull();
  });

  it.skipIf(!HAS_SHARED)("publishes the live documents into KV, then keeps them through a failing run", async () => {
    const documents = await upstream();
    stubFetch((url) => {
      const text = documents.get(url);
      if (text)
        return new Response(text, { headers: { "content-type": "application/json", etag: `"${text.length}"` } });
      return new Response("<html>Not found</html>", { status: 404, headers: { "content-type": "text/html" } });
    });
    await runCron();
    // Every document was fetched from its live URL, plus the scope pages (404 here: they only warn).
    for (const url of documents.keys()) expect(requested).toContain(url);
    let { status, body } = await health();
    expect(status).toBe(200);
    expect(body.status).toBe("ok");
    expect(body.catalog.source).toBe("kv");
    const version = body.catalog.version as string;
    expect(body.catalog.products).toMatchObject({
      jira: { endpoints: 1126 },
      "jira-software": { endpoints: 105 },
      "jira-service-management": { endpoints: 72 },
      assets: { endpoints: 54 },
      confluence: { endpoints: 348 },
      bitbucket: { endpoints: 331 },
    });
    expect(body.lastRun.products.jira.warnings[0]).toMatch(/scope page .* HTTP 404/);
    const manifest = JSON.parse((await env.CATALOG.get(KEYS.manifest))!);
    const jiraShard = expandAlternatives(JSON.parse((await env.CATALOG.get(manifest.products.jira.key))!)) as any;
    expect(
      jiraShard.endpoints.find(
        (endpoint: any) => endpoint.path === "/rest/api/3/issue/{issueIdOrKey}" && endpoint.method === "GET",
      ).alternatives[0].scopes,
    ).toEqual(["read:jira-work"]);

    // Next day: Jira's CDN serves a truncated body, Bitbucket a 503. Both keep their last good data.
    const jiraV3 = SOURCES[0]!.documents[0]!.url;
    const bitbucket = SOURCES.find((source) => source.product === "bitbucket")!.documents[0]!.url;
    stubFetch((url) => {
      if (url === jiraV3) return new Response(documents.get(url)!.slice(0, 100_000));
      if (url === bitbucket) return new Response("busy", { status: 503 });
      const text = documents.get(url);
      return text ? new Response(text) : new Response("", { status: 404 });
    });
    await runCron();
    ({ status, body } = await health());
    expect(status).toBe(200);
    expect(body.status).toBe("degraded");
    expect(body.catalog.version).toBe(version);
    expect(body.lastRun.outcome).toBe("failed");
    expect(body.lastRun.products.jira).toMatchObject({ status: "failed", reason: "truncated" });
    expect(body.lastRun.products.bitbucket).toMatchObject({ status: "failed", reason: "http_error" });
    expect(body.lastRun.products.confluence.status).toBe("unchanged");
    expect(JSON.parse((await env.CATALOG.get(KEYS.manifest))!)).toEqual(manifest);
  });

  it.skipIf(!HAS_SHARED)(
    "fetches the pinned @forge/manifest tarball from the npm registry, reads it in workerd and serves its scopes",
    async () => {
      const documents = await upstream();
      const tarball = await forgeManifestTarball({
        "shipyard-scopes.json": [
          "read:me",
          "read:jira-work",
          "read:board-scope:jira-software",
          "read:page:confluence",
          "storage:app",
        ],
      });
      stubFetch((url) => {
        if (url === tarballUrl(REGISTRY_PACKAGE)) return new Response(tarball);
        const text = documents.get(url);
        return text
          ? new Response(text, { headers: { "content-type": "application/json" } })
          : new Response("", { status: 404 });
      });
      await runCron();
      expect(requested).toContain("https://registry.npmjs.org/@forge/manifest/-/manifest-13.7.0.tgz");
      const manifest = JSON.parse((await env.CATALOG.get(KEYS.manifest))!);
      expect(manifest.registry).toMatchObject({ key: "registry/forge-manifest-13.7.0", scopes: 5 });
      expect((await health()).body.lastRun.registry).toMatchObject({ status: "published", scopes: 5 });
      const response = await exports.default.fetch(new Request("http://catalog.test/endpoints?scope=storage:app"));
      const answer = (await response.json()) as any;
      expect(answer.catalog.source).toBe("kv");
      expect(answer.scope.outside).toMatchObject({
        api: "the Forge platform (App storage API)",
        source: "@forge/manifest@13.7.0",
      });

      // The next run names the same version: the tarball is not fetched again.
      requested.length = 0;
      await runCron();
      expect(requested).not.toContain(tarballUrl(REGISTRY_PACKAGE));
    },
  );

  it("fails the invocation, naming the holder and the lease's age, when another run holds the lease", async () => {
    const lease = {
      owner: "killed-run",
      acquiredAt: new Date(Date.now() - 90_000).toISOString(),
      expiresAt: new Date(Date.now() + 10 * 60_000).toISOString(),
    };
    await env.CATALOG.put(KEYS.lock, JSON.stringify(lease));
    stubFetch(() => new Response("must not be fetched", { status: 500 }));
    const errors = vi.spyOn(console, "error");
    try {
      // Before, the handler logged "locked" and returned: Cron Events showed a success that did nothing.
      await expect(runCron()).rejects.toThrow(/^another scrape \(killed-run\) holds the lease, taken 1m3\ds ago;/);
      expect(requested).toEqual([]);
      expect(errors).toHaveBeenCalledWith(expect.stringMatching(/^scrape: locked: another scrape \(killed-run\)/));
      expect((await health()).body.lastRun).toMatchObject({ outcome: "locked" });
      expect(JSON.parse((await env.CATALOG.get(KEYS.lock))!)).toEqual(lease);
    } finally {
      errors.mockRestore();
      await env.CATALOG.delete(KEYS.lock);
    }
  });
});
