/**
 * GET /changes.atom is bounded like every answer (issue 15), inside workerd through the worker's fetch:
 * a changelog of 100 versions (the manifest's whole history) with hundreds of changes each, stored in KV
 * the way the publisher stores it. Asserted on bytes and entry counts: a document is at most
 * MAX_ANSWER_BYTES and MAX_FEED_ENTRIES entries, newest first, whole entries only; its `rel="next"` links
 * (RFC 5005) reach every version exactly once; a version too large for one entry links to the rest.
 */
import { ORIGIN, expectError, get, okJson, resetCatalogCache, type Json } from "../helpers/worker";
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { MAX_ANSWER_BYTES } from "../../src/answers/size-cap";
import type { ChangeEntry, Changes, Endpoint, Manifest } from "../../src/catalog/schema";
import { CatalogStore, KEYS } from "../../src/storage/catalog-store";
import { resetChangesCache } from "../../src/storage/changes-cache";
import { MAX_ENTRY_CONTENT_BYTES, MAX_FEED_ENTRIES } from "../../src/views/atom";
import { HISTORY_LENGTH, publishVersion } from "../../scraper/publish";
import { alt, endpoint as fixtureEndpoint } from "../catalog/catalog-fixture";

const DAY_MS = 24 * 60 * 60 * 1000;
/** Changes per version: ~150 bytes a line, so each entry is cut to MAX_ENTRY_CONTENT_BYTES (~130 lines). */
const PER_VERSION = 400;
/** One version is much larger, as a scope migration across a product would be. */
const LARGE = 3_000;
const LARGE_INDEX = 2;
/** A scope one change of every version names: filtering by it leaves one short line per version. */
const MARKER = "read:marker:jira";

const endpoint = (path: string): Endpoint =>
  fixtureEndpoint("jira", "GET", path, [alt(["read:field:jira"])], { documents: ["jira-platform.v3"] });

function scopeChange(version: number, index: number): ChangeEntry {
  return {
    type: "scopes_changed",
    product: "jira",
    method: "GET",
    path: `/rest/api/3/field/{fieldId}/context/{contextId}/option/v${version}-${index}`,
    alternative: { kind: "granular", state: "Current" },
    added: [`read:field.option-${version}:jira`],
    removed: ["read:field:jira"],
  };
}

/** Newest first, as the manifest lists them. */
let history: Manifest["history"] = [];

beforeAll(async () => {
  for (const key of (await env.CATALOG.list()).keys) await env.CATALOG.delete(key.name);
  resetCatalogCache();
  resetChangesCache();
  const store = new CatalogStore(env.CATALOG);
  const start = Date.UTC(2026, 5, 1, 4, 17);
  // The first version, published by the real publisher: the catalog the worker serves.
  const first = await publishVersion(
    store,
    null,
    [
      {
        product: "jira",
        scrapedAt: new Date(start).toISOString(),
        contentHash: "v1",
        documents: [],
        endpoints: [endpoint("/rest/api/3/field")],
        scopes: [{ name: "read:field:jira", kind: "granular", product: "jira", unused: false }],
      },
    ],
    new Date(start),
  );
  // Then 99 more versions, each stored as `changes/<version>`, and a manifest whose history lists all 100.
  history = [...first.manifest.history];
  let previous = first.manifest.version;
  for (let index = 1; index < HISTORY_LENGTH; index++) {
    const date = new Date(start + index * DAY_MS);
    const version = date
      .toISOString()
      .replace(/\.\d{3}Z$/, "Z")
      .replace(/:/g, "-");
    const count = index === HISTORY_LENGTH - 1 - LARGE_INDEX ? LARGE : PER_VERSION;
    const changes: Changes = {
      version,
      previousVersion: previous,
      publishedAt: date.toISOString(),
      baseline: [],
      entries: [
        ...Array.from({ length: count }, (_, entry) => scopeChange(index, entry)),
        { type: "scope_introduced", product: "jira", scope: MARKER },
      ],
    };
    await store.writeChanges(changes);
    history.unshift({
      version,
      publishedAt: changes.publishedAt,
      changesKey: KEYS.changes(version),
      changes: count + 1,
    });
    previous = version;
  }
  await store.writeManifest({
    ...first.manifest,
    version: previous,
    publishedAt: history[0]!.publishedAt,
    changesKey: KEYS.changes(previous),
    history,
  });
}, 120_000);

interface Page {
  status: number;
  bytes: number;
  xml: string;
  versions: string[];
  next: string | undefined;
}

async function page(pathAndQuery: string): Promise<Page> {
  const response = await get(pathAndQuery);
  const buffer = await response.arrayBuffer();
  const xml = new TextDecoder().decode(buffer);
  expect(response.status, xml.slice(0, 300)).toBe(200);
  expect(response.headers.get("content-type")).toBe("application/atom+xml; charset=utf-8");
  const next = /<link rel="next" type="application\/atom\+xml" href="([^"]*)"\/>/.exec(xml)?.[1];
  return {
    status: response.status,
    bytes: buffer.byteLength,
    xml,
    versions: [...xml.matchAll(/<entry>\n {4}<id>[^<]*changes\/([^<?]+)/g)].map((match) => match[1]!),
    next: next?.replaceAll("&amp;", "&"),
  };
}

/** Follows `rel="next"` from `first` to the last document. */
async function allPages(first: string): Promise<Page[]> {
  const pages: Page[] = [];
  let url: string | undefined = `${ORIGIN}${first}`;
  while (url && pages.length < 10) {
    expect(url.startsWith(ORIGIN), url).toBe(true);
    const current = await page(url.slice(ORIGIN.length));
    pages.push(current);
    url = current.next;
  }
  return pages;
}

describe("GET /changes.atom on a changelog of 100 large versions", () => {
  it("stays under MAX_ANSWER_BYTES with whole entries, newest first, and says it was truncated", async () => {
    const feed = await page("/changes.atom");
    expect(feed.bytes).toBeLessThanOrEqual(MAX_ANSWER_BYTES);
    // Each entry is ~21 KB (cut to its line budget), so the byte cap binds before the entry count.
    expect(feed.versions.length).toBeGreaterThan(30);
    expect(feed.versions.length).toBeLessThan(MAX_FEED_ENTRIES);
    expect(feed.bytes).toBeGreaterThan(MAX_ANSWER_BYTES - 2 * MAX_ENTRY_CONTENT_BYTES);
    expect(feed.versions).toEqual(history.slice(0, feed.versions.length).map((item) => item.version));
    expect(feed.xml.match(/<entry>/g)).toHaveLength(feed.versions.length);
    expect(feed.xml.match(/<\/entry>/g)).toHaveLength(feed.versions.length);
    expect(feed.xml.endsWith("  </entry>\n</feed>\n")).toBe(true);
    expect(feed.xml).toContain(
      `This document lists ${feed.versions.length} of the ${HISTORY_LENGTH} matching catalog versions (at most ${MAX_FEED_ENTRIES} entries and ${MAX_ANSWER_BYTES} bytes a document)`,
    );
    expect(feed.next).toBe(`${ORIGIN}/changes.atom?before=${feed.versions.at(-1)}`);
  });

  it("its rel=next pages hold every version exactly once, each page under the cap", async () => {
    const pages = await allPages("/changes.atom");
    expect(pages.length).toBeGreaterThanOrEqual(3);
    for (const each of pages) {
      expect(each.bytes).toBeLessThanOrEqual(MAX_ANSWER_BYTES);
      expect(each.versions.length).toBeGreaterThan(0);
      expect(each.versions.length).toBeLessThanOrEqual(MAX_FEED_ENTRIES);
    }
    expect(pages.at(-1)!.next).toBeUndefined();
    expect(pages.flatMap((each) => each.versions)).toEqual(history.map((item) => item.version));
    expect(pages[1]!.xml).toContain(`<link rel="first" type="application/atom+xml" href="${ORIGIN}/changes.atom"/>`);
  });

  it(`holds at most ${MAX_FEED_ENTRIES} entries when they are small, and pages on with the filters kept`, async () => {
    const pages = await allPages(`/changes.atom?${new URLSearchParams({ scope: MARKER })}`);
    expect(pages.map((each) => each.versions.length)).toEqual([
      MAX_FEED_ENTRIES,
      HISTORY_LENGTH - 1 - MAX_FEED_ENTRIES,
    ]);
    expect(pages[0]!.bytes).toBeLessThan(MAX_ANSWER_BYTES / 10);
    expect(pages[0]!.next).toBe(
      `${ORIGIN}/changes.atom?scope=${encodeURIComponent(MARKER)}&before=${pages[0]!.versions.at(-1)}`,
    );
    // The first version recorded no change: with a scope filter it is not listed.
    expect(pages.flatMap((each) => each.versions)).toEqual(history.slice(0, -1).map((item) => item.version));
  });

  it("cuts a version's content at MAX_ENTRY_CONTENT_BYTES and links to the GET /changes page holding the rest", async () => {
    const large = history[LARGE_INDEX]!;
    const feed = await page(`/changes.atom?since=${history[LARGE_INDEX + 1]!.version}`);
    expect(feed.versions).toEqual(history.slice(0, LARGE_INDEX + 1).map((item) => item.version));
    const entry = feed.xml.slice(feed.xml.indexOf(`changes/${large.version}`));
    const content = /<content type="text">([^<]*)<\/content>/.exec(entry)![1]!.replaceAll("&amp;", "&");
    const lines = content.split("\n");
    const shown = lines.length - 1;
    expect(new TextEncoder().encode(lines.slice(0, shown).join("\n")).byteLength).toBeLessThanOrEqual(
      MAX_ENTRY_CONTENT_BYTES,
    );
    expect(lines.at(-1)).toMatch(new RegExp(`^… and ${LARGE + 1 - shown} more changes in this version`));
    expect(entry).toMatch(new RegExp(`<title>Catalog ${large.version}: ${LARGE + 1} changes \\(jira\\)</title>`));
    const rest = lines.at(-1)!.slice(lines.at(-1)!.indexOf(ORIGIN));
    expect(entry).toContain(`<link rel="alternate" type="application/json" href="${rest.replaceAll("&", "&amp;")}"/>`);
    const answer: Json = await okJson(await get(rest.slice(ORIGIN.length)));
    // The page starts at the first change the entry left out, and holds the rest of that version.
    expect(answer.entries[0]).toMatchObject({
      version: large.version,
      ...scopeChange(HISTORY_LENGTH - 1 - LARGE_INDEX, shown),
    });
    expect(answer.entries.filter((item: Json) => item.version === large.version)).toHaveLength(
      Math.min(1000, LARGE + 1 - shown),
    );
  });

  it("a feed under the bounds is whole: no paging link, no cut entry, the usual subtitle", async () => {
    const feed = await page(`/changes.atom?${new URLSearchParams({ scope: MARKER, since: history[10]!.version })}`);
    expect(feed.versions).toEqual(history.slice(0, 10).map((item) => item.version));
    expect(feed.next).toBeUndefined();
    expect(feed.xml).not.toContain(`rel="first"`);
    expect(feed.xml).not.toContain("more change");
    expect(feed.xml).toContain(
      "<subtitle>Endpoints added or removed, scope sets changed, deprecations and scopes introduced or retired, as Atlassian's REST documents publish them.</subtitle>",
    );
  });

  it("refuses a `before` that is not a catalog version", async () => {
    const error = await expectError(await get("/changes.atom?before=yesterday"), 400, "invalid_request");
    expect(error.message).toContain("`before` must be a catalog version");
  });
});
