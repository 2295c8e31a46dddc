/**
 * The scope registry from @forge/manifest: the tarball read (gunzip, tar), the lists parsed and
 * checked, the live loader through a mocked fetch serving a tarball built here, and a run that
 * publishes it next to the catalog. The real tarball is never needed (test/helpers/tarball.ts).
 */
import { describe, expect, it } from "vitest";
import { CatalogStore, KEYS } from "../../src/storage/catalog-store";
import {
  REGISTRY_PACKAGE,
  liveRegistryLoader,
  parseRegistry,
  readTar,
  registryFromTarball,
  tarballUrl,
  validateRegistry,
} from "../../scraper/registry";
import { publishVersion } from "../../scraper/publish";
import { runScrape } from "../../scraper/run";
import { MemoryKv } from "../helpers/memory-kv";
import { forgeManifestTarball, gzip, tar } from "../helpers/tarball";

/** Shaped like the real 13.7.0 lists (names taken from them), much shorter. */
const LISTS = {
  "shipyard-scopes.json": [
    "read:jira-work",
    "read:board-scope:jira-software",
    "read:page:confluence",
    "read:me",
    "read:account",
    "storage:app",
    "read:component:compass",
    "read:graph:component:compass",
    "read:user:bitbucket",
  ],
  "teamwork-graph-scopes.json": ["read:graph:component:compass"],
  "deprecated-shipyard-scopes.json": ["read:component:compass"],
  "shipyard-scopes-with-interactive-consent.json": ["read:account", "read:me"],
};
const SOURCE = { package: "@forge/manifest", version: "13.7.0", url: tarballUrl(REGISTRY_PACKAGE) };
const AT = "2026-12-05T11:00:00.000Z";

describe("tarballUrl", () => {
  it("is the npm registry's URL for a scoped package version", () => {
    expect(tarballUrl({ package: "@forge/manifest", version: "13.7.0" })).toBe(
      "https://registry.npmjs.org/@forge/manifest/-/manifest-13.7.0.tgz",
    );
  });
});

describe("readTar", () => {
  it("returns the regular files it is asked for, by path", () => {
    const archive = tar({ "package/a.json": "[1]", "package/b.txt": "x".repeat(700) });
    const files = readTar(archive, () => true);
    expect(files.ok).toBe(true);
    if (!files.ok) return;
    expect([...files.value.keys()]).toEqual(["package/a.json", "package/b.txt"]);
    expect(new TextDecoder().decode(files.value.get("package/b.txt"))).toBe("x".repeat(700));
  });

  it("refuses an entry that runs past the end", () => {
    const archive = tar({ "package/a.json": "x".repeat(600) }).slice(0, 700);
    expect(readTar(archive, () => true)).toMatchObject({ ok: false, reason: "not_tar" });
  });
});

describe("registryFromTarball", () => {
  it("reads every list, flags names by the file that lists them, sorted by name", async () => {
    const read = await registryFromTarball(await forgeManifestTarball(LISTS), SOURCE, AT);
    expect(read.ok).toBe(true);
    if (!read.ok) return;
    const registry = read.value;
    expect(registry.source).toEqual({
      ...SOURCE,
      files: [
        "out/scopes/shipyard-scopes.json",
        "out/scopes/deprecated-shipyard-scopes.json",
        "out/scopes/shipyard-scopes-with-interactive-consent.json",
        "out/scopes/teamwork-graph-scopes.json",
      ],
    });
    expect(registry.scopes.map((scope) => scope.name)).toEqual([...LISTS["shipyard-scopes.json"]].sort());
    const byName = new Map(registry.scopes.map((scope) => [scope.name, scope]));
    expect(byName.get("read:graph:component:compass")).toEqual({
      name: "read:graph:component:compass",
      product: "compass",
      teamworkGraph: true,
    });
    expect(byName.get("read:component:compass")).toEqual({
      name: "read:component:compass",
      product: "compass",
      deprecated: true,
    });
    expect(byName.get("read:me")).toEqual({ name: "read:me", product: "me", interactiveConsent: true });
    // Classic names are placed by the product they mention, else their last segment.
    expect(byName.get("read:jira-work")?.product).toBe("jira");
    expect(byName.get("storage:app")?.product).toBe("app");
  });

  it.each([
    { why: "another version than recorded", pkg: { version: "13.6.0" }, reason: "wrong_package" },
    { why: "another package", pkg: { name: "@forge/api" }, reason: "wrong_package" },
  ])("refuses a tarball of $why", async ({ pkg, reason }) => {
    const read = await registryFromTarball(await forgeManifestTarball(LISTS, pkg), SOURCE, AT);
    expect(read).toMatchObject({ ok: false, reason });
  });

  it("refuses a package without the main list (its layout changed)", async () => {
    const { "shipyard-scopes.json": _main, ...rest } = LISTS;
    const read = await registryFromTarball(await forgeManifestTarball(rest), SOURCE, AT);
    expect(read).toMatchObject({ ok: false, reason: "missing_file" });
  });

  it.each([
    { given: { "shipyard-scopes.json": { scopes: [] } }, reason: "unexpected_shape" },
    { given: { "shipyard-scopes.json": ["read:me", "not a scope"] }, reason: "unexpected_shape" },
  ])("refuses lists that are not lists of scope names ($reason)", async ({ given, reason }) => {
    const read = await registryFromTarball(await forgeManifestTarball(given), SOURCE, AT);
    expect(read).toMatchObject({ ok: false, reason });
  });

  it("refuses bytes that are not gzip", async () => {
    const read = await registryFromTarball(new TextEncoder().encode("<html>404</html>"), SOURCE, AT);
    expect(read).toMatchObject({ ok: false, reason: "not_gzip" });
  });

  it("reads only out/scopes/*.json directly in the folder", () => {
    const parsed = parseRegistry(
      new Map([
        ["package/out/scopes/shipyard-scopes.json", '["read:me"]'],
        ["package/out/scopes/nested/x.json", '["read:nested"]'],
      ]),
      SOURCE,
      AT,
    );
    expect(parsed.ok && parsed.value.scopes.map((scope) => scope.name)).toEqual(["read:me"]);
  });
});

describe("validateRegistry", () => {
  const registry = async () => {
    const read = await registryFromTarball(await forgeManifestTarball(LISTS), SOURCE, AT);
    if (!read.ok) throw new Error(read.message);
    return read.value;
  };

  it("passes a registry with its canaries", async () => {
    expect(validateRegistry(await registry()).ok).toBe(true);
  });

  it("refuses one that lost a canary", async () => {
    const value = await registry();
    value.scopes = value.scopes.filter((scope) => scope.name !== "read:me");
    expect(validateRegistry(value)).toMatchObject({ ok: false, reason: "canary_failed" });
  });

  it("refuses one that shrank by more than a fifth", async () => {
    expect(validateRegistry(await registry(), { scopes: 100 })).toMatchObject({ ok: false, reason: "shrunk" });
    expect(validateRegistry(await registry(), { scopes: 10 }).ok).toBe(true);
  });
});

describe("liveRegistryLoader through a mocked fetch", () => {
  it("fetches the pinned version's tarball from the npm registry and reads it", async () => {
    const body = await forgeManifestTarball(LISTS);
    const asked: string[] = [];
    const load = liveRegistryLoader(
      async (input) => {
        asked.push(String(input));
        return new Response(body, { headers: { "content-type": "application/octet-stream" } });
      },
      REGISTRY_PACKAGE,
      () => new Date(AT),
    );
    const read = await load();
    expect(asked).toEqual(["https://registry.npmjs.org/@forge/manifest/-/manifest-13.7.0.tgz"]);
    expect(read.ok && read.value.scopes.length).toBe(LISTS["shipyard-scopes.json"].length);
    expect(read.ok && read.value.fetchedAt).toBe(AT);
  });

  it("reports an HTTP failure, and refuses a redirect off the npm registry", async () => {
    const notFound = liveRegistryLoader(async () => new Response("no", { status: 404 }));
    expect(await notFound()).toMatchObject({ ok: false, reason: "http_error" });
    const redirected = liveRegistryLoader(
      async () => new Response(null, { status: 302, headers: { location: "https://evil.example/x.tgz" } }),
    );
    expect(await redirected()).toMatchObject({ ok: false, reason: "host_not_allowed" });
  });
});

/** A store holding a published catalog (one empty Jira shard), as a run on top of it finds. */
async function seeded(): Promise<{ kv: MemoryKv; store: CatalogStore }> {
  const kv = new MemoryKv();
  const store = new CatalogStore(kv);
  const shard = { product: "jira" as const, scrapedAt: AT, contentHash: "h", documents: [], endpoints: [], scopes: [] };
  await publishVersion(store, null, [shard], new Date("2026-12-04T00:00:00Z"));
  kv.writes.length = 0;
  return { kv, store };
}

describe("runScrape with a registry", () => {
  const loaderOf = (body: Promise<Uint8Array>, calls: { n: number }) => ({
    ...REGISTRY_PACKAGE,
    load: async () => {
      calls.n++;
      return registryFromTarball(await body, SOURCE, AT);
    },
  });

  it("stores it under its key before the manifest, names it there, and does not load it again", async () => {
    const { kv, store } = await seeded();
    const calls = { n: 0 };
    const registry = loaderOf(forgeManifestTarball(LISTS), calls);
    const first = await runScrape({
      sources: [],
      loadDocument: async () => ({ ok: false, reason: "x", message: "x" }),
      store,
      registry,
    });
    expect(first.outcome).toBe("published");
    expect(first.registry).toEqual({ status: "published", version: "@forge/manifest@13.7.0", scopes: 9 });
    const key = KEYS.registry(REGISTRY_PACKAGE);
    expect(key).toBe("registry/forge-manifest-13.7.0");
    expect(kv.writes.indexOf(key)).toBeLessThan(kv.writes.indexOf(KEYS.manifest));
    const manifest = await store.readManifest();
    expect(manifest?.registry).toMatchObject({ key, scopes: 9, source: { version: "13.7.0" } });
    expect((await store.readRegistry(key))?.scopes).toHaveLength(9);

    const second = await runScrape({
      sources: [],
      loadDocument: async () => ({ ok: false, reason: "x", message: "x" }),
      store,
      registry,
    });
    expect(second.outcome).toBe("unchanged");
    expect(second.registry?.status).toBe("unchanged");
    expect(calls.n).toBe(1);
  });

  it("never publishes a registry alone into an empty KV: that would replace the bundled snapshot with no products", async () => {
    const kv = new MemoryKv();
    const store = new CatalogStore(kv);
    const report = await runScrape({
      sources: [],
      loadDocument: async () => ({ ok: false, reason: "x", message: "x" }),
      store,
      registry: loaderOf(forgeManifestTarball(LISTS), { n: 0 }),
    });
    expect(report.registry).toMatchObject({ status: "failed", reason: "no_catalog" });
    expect(await store.readManifest()).toBeNull();
  });

  it("keeps the registry it names when a new version fails to load", async () => {
    const { store } = await seeded();
    const noop = async () => ({ ok: false as const, reason: "x", message: "x" });
    await runScrape({
      sources: [],
      loadDocument: noop,
      store,
      registry: loaderOf(forgeManifestTarball(LISTS), { n: 0 }),
    });
    const before = await store.readManifest();
    const broken = {
      package: "@forge/manifest",
      version: "13.8.0",
      load: async () => ({ ok: false as const, reason: "http_error", message: "HTTP 503" }),
    };
    const report = await runScrape({ sources: [], loadDocument: noop, store, registry: broken });
    expect(report.registry).toMatchObject({ status: "failed", reason: "http_error" });
    expect(report.outcome).toBe("unchanged");
    expect(await store.readManifest()).toEqual(before);
  });

  it("gzip helper round-trips through the registry's own gunzip", async () => {
    const data = await gzip(new TextEncoder().encode("hello"));
    const { gunzip } = await import("../../scraper/registry");
    const out = await gunzip(data);
    expect(out.ok && new TextDecoder().decode(out.value)).toBe("hello");
  });
});
