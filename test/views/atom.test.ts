/** The Atom feed of the changelog (src/views/atom.ts): escaping of scraped values, links, linear work, and its bounds. */
import { describe, expect, it } from "vitest";
import { encodeCursor } from "../../src/answers/paging";
import { MAX_ANSWER_BYTES } from "../../src/answers/size-cap";
import { queryChanges, type ChangesResult, type DatedEntry } from "../../src/catalog/changes-query";
import type { Changes } from "../../src/catalog/schema";
import { MAX_ENTRY_CONTENT_BYTES, MAX_FEED_ENTRIES, atomFeed } from "../../src/views/atom";

const VERSION = "2026-11-30T05-44-51Z";
const PUBLISHED = "2026-11-30T05:44:51.273Z";

function added(path: string, version = VERSION): DatedEntry {
  return { type: "endpoint_added", product: "jira", method: "GET", path, version, publishedAt: PUBLISHED };
}

function result(entries: DatedEntry[], versions = [VERSION]): ChangesResult {
  return {
    versions: versions.map((version) => ({
      version,
      publishedAt: PUBLISHED,
      previousVersion: null,
      changes: entries.length,
      matching: entries.length,
      baseline: [],
    })),
    entries,
    baseline: [],
  };
}

/** The text of every `<content>`, split into its lines (the XML is regular enough to read with a regex here). */
function contentLines(feed: string): string[] {
  return [...feed.matchAll(/<content type="text">([^<]*)<\/content>/g)].flatMap((match) => match[1]!.split("\n"));
}

describe("atomFeed with forged values", () => {
  const FORGED = [
    "/rest/api/3/x\nMISSING: add admin:everything",
    "/rest/api/3/[docs](https://evil.example)",
    "/rest/api/3/<!channel>",
    "/rest/api/3/<img src=x onerror=alert(1)>",
    "/rest/api/3/&lt;script&gt;\u0000\u001b\uFFFF",
  ];
  const feed = atomFeed(
    "https://scopes.example.com",
    { path: "/rest/api/3/<x>" },
    result(FORGED.map((path) => added(path))),
  );

  it("writes no element or attribute that the data did not come from this module", () => {
    const tags = [...feed.matchAll(/<\/?([A-Za-z?][^\s>/]*)/g)].map((match) => match[1]);
    expect(new Set(tags)).toEqual(
      new Set([
        "?xml",
        "feed",
        "id",
        "title",
        "subtitle",
        "updated",
        "author",
        "name",
        "generator",
        "link",
        "entry",
        "published",
        "summary",
        "content",
      ]),
    );
    expect(feed).toContain("&lt;img src=x onerror=alert(1)&gt;");
    expect(feed).toContain("&amp;lt;script&amp;gt;");
    expect(feed).toContain("&lt;!channel&gt;");
    expect(feed).toContain("?path=%2Frest%2Fapi%2F3%2F%3Cx%3E");
  });

  it("drops the characters XML 1.0 forbids", () => {
    expect(feed).not.toMatch(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/);
  });

  it("writes each change as one content line: a newline in a path cannot forge a line", () => {
    const lines = contentLines(feed);
    expect(lines).toHaveLength(FORGED.length);
    expect(lines.every((line) => line.startsWith("jira  + GET /rest/api/3/"))).toBe(true);
    expect(lines[0]).toBe("jira  + GET /rest/api/3/x MISSING: add admin:everything (endpoint added)");
  });

  it("links to the origin it is given, and relative links without one", () => {
    expect(feed).toContain(`href="https://scopes.example.com/changes.atom?`);
    expect(feed).toContain("<id>tag:scopes.example.com,2026:changes.atom?");
    const relative = atomFeed(undefined, {}, result([added("/a")]));
    expect(relative).toContain(`<link rel="self" type="application/atom+xml" href="/changes.atom"/>`);
    expect(relative).toContain("<id>tag:scope-catalog,2026:changes.atom</id>");
  });
});

describe("atomFeed work", () => {
  /**
   * Array iterations the build performs, counted on %ArrayIteratorPrototype%.next (patching it also turns
   * off V8's fast path for spreading arrays, so a spread counts every element it copies). Copying a
   * version's list for every entry made this n²/2; one push per entry keeps it a small multiple of n.
   */
  function iterationsFor(entries: DatedEntry[]): { iterations: number; feed: string } {
    const prototype = Object.getPrototypeOf([][Symbol.iterator]()) as { next: (...args: unknown[]) => unknown };
    const original = prototype.next;
    let iterations = 0;
    prototype.next = function next(this: unknown, ...args: unknown[]) {
      iterations++;
      return original.apply(this, args);
    };
    try {
      const feed = atomFeed("https://scopes.example.com", {}, result(entries));
      return { iterations, feed };
    } finally {
      prototype.next = original;
    }
  }

  it("iterates a bounded number of times per entry, with all entries in one version", () => {
    const n = 5_000;
    const { iterations, feed } = iterationsFor(
      Array.from({ length: n }, (_, index) => added(`/rest/api/3/op${index}`)),
    );
    const lines = contentLines(feed);
    // The entry lists the lines that fit in MAX_ENTRY_CONTENT_BYTES, then one line counting the rest.
    expect(lines.length).toBeLessThan(n);
    expect(lines.at(-1)).toContain(`and ${n - (lines.length - 1)} more changes in this version`);
    expect(iterations).toBeGreaterThan(0);
    expect(iterations).toBeLessThanOrEqual(10 * n);
  });

  it("builds the feed of a 40,000-operation document within the cap: whole entries, each cut to its line budget", () => {
    const n = 40_000;
    const versions = ["2026-11-30T05-44-51Z", "2026-11-29T05-44-51Z"];
    const entries = Array.from({ length: n }, (_, index) => added(`/rest/api/3/op${index}`, versions[index % 2]));
    const feed = atomFeed("https://scopes.example.com", {}, result(entries, versions));
    expect(feed.match(/<entry>/g)).toHaveLength(2);
    expect(utf8Bytes(feed)).toBeLessThanOrEqual(2 * MAX_ENTRY_CONTENT_BYTES + 5_000);
  });
});

// ---------------------------------------------------------------------------------------------
// The bounds (issue 15): a changelog built the way /changes builds it (queryChanges over `Changes`).
const DAY_MS = 24 * 60 * 60 * 1000;

/** `versions` versions a day apart, newest first, each with `perVersion` scope-set changes of ~150 bytes a line. */
function changelog(versions: number, perVersion: number): { result: ChangesResult; changes: Changes[] } {
  const changes: Changes[] = [];
  let previous: string | null = null;
  for (let index = 0; index < versions; index++) {
    const date = new Date(Date.UTC(2026, 0, 1) + index * DAY_MS);
    const version = date
      .toISOString()
      .replace(/\.\d{3}Z$/, "Z")
      .replace(/:/g, "-");
    changes.push({
      version,
      previousVersion: previous,
      publishedAt: date.toISOString(),
      baseline: [],
      entries: Array.from({ length: perVersion }, (_, entry) => ({
        type: "scopes_changed" as const,
        product: "jira" as const,
        method: "GET" as const,
        path: `/rest/api/3/field/{fieldId}/context/{contextId}/option/${index}-${entry}`,
        alternative: { kind: "granular" as const, state: "Current" },
        added: [`read:field.option-${index}:jira`],
        removed: ["read:field:jira"],
      })),
    });
    previous = version;
  }
  return { result: queryChanges(changes, {}), changes };
}

function utf8Bytes(text: string): number {
  return new TextEncoder().encode(text).byteLength;
}

function entryIds(feed: string): string[] {
  return [...feed.matchAll(/<entry>\n {4}<id>[^<]*changes\/([^<?]+)/g)].map((match) => match[1]!);
}

function link(feed: string, rel: string): string | undefined {
  const href = new RegExp(`<link rel="${rel}" type="application/atom\\+xml" href="([^"]*)"/>`).exec(feed)?.[1];
  return href?.replaceAll("&amp;", "&");
}

describe("atomFeed bounds: newest entries first, at most MAX_FEED_ENTRIES and MAX_ANSWER_BYTES", () => {
  it("a feed under both bounds is unchanged: every entry, no paging link, the usual subtitle", () => {
    const { result } = changelog(3, 2);
    const feed = atomFeed("https://scopes.example.com", {}, result);
    expect(entryIds(feed)).toEqual(result.versions.map((item) => item.version));
    expect(feed).not.toContain(`rel="next"`);
    expect(feed).not.toContain(`rel="first"`);
    expect(feed).not.toContain("more change");
    expect(feed).toContain(
      "<subtitle>Endpoints added or removed, scope sets changed, deprecations and scopes introduced or retired, as Atlassian's REST documents publish them.</subtitle>",
    );
  });

  it(`keeps the newest ${MAX_FEED_ENTRIES} versions, says so, and links rel="next" to the older ones (RFC 5005)`, () => {
    const { result } = changelog(70, 1);
    const feed = atomFeed("https://scopes.example.com", { product: "jira" }, result);
    const ids = entryIds(feed);
    expect(ids).toEqual(result.versions.slice(0, MAX_FEED_ENTRIES).map((item) => item.version));
    expect(feed).toContain(`This document lists ${MAX_FEED_ENTRIES} of the 70 matching catalog versions`);
    expect(link(feed, "next")).toBe(`https://scopes.example.com/changes.atom?product=jira&before=${ids.at(-1)}`);
    const next = atomFeed("https://scopes.example.com", { product: "jira", before: ids.at(-1) }, result);
    expect(entryIds(next)).toEqual(result.versions.slice(MAX_FEED_ENTRIES).map((item) => item.version));
    expect(link(next, "next")).toBeUndefined();
    expect(link(next, "first")).toBe("https://scopes.example.com/changes.atom?product=jira");
    expect(link(next, "self")).toBe(`https://scopes.example.com/changes.atom?product=jira&before=${ids.at(-1)}`);
    // The same entry has the same id on whichever page it is: `before` is not part of it.
    expect(next).toContain(`<id>tag:scopes.example.com,2026:changes.atom?product=jira</id>`);
  });

  it("stops at MAX_ANSWER_BYTES without cutting an entry, and the pages together hold every version once", () => {
    // 100 versions (the manifest's history) × 300 changes: ~4.5 MB of lines before the bounds.
    const { result } = changelog(100, 300);
    const seen: string[] = [];
    let before: string | undefined;
    let pages = 0;
    do {
      const feed = atomFeed("https://scopes.example.com", before ? { before } : {}, result);
      pages++;
      expect(utf8Bytes(feed)).toBeLessThanOrEqual(MAX_ANSWER_BYTES);
      expect(feed.match(/<entry>/g)?.length).toBe(feed.match(/<\/entry>/g)?.length);
      expect(feed.endsWith("</entry>\n</feed>\n")).toBe(true);
      const ids = entryIds(feed);
      expect(ids.length).toBeGreaterThan(0);
      expect(ids.length).toBeLessThanOrEqual(MAX_FEED_ENTRIES);
      seen.push(...ids);
      const next = link(feed, "next");
      if (next) {
        expect(new URL(next).searchParams.get("before")).toBe(ids.at(-1));
        // The entry after the last one would have crossed the cap.
        expect(utf8Bytes(feed)).toBeGreaterThan(MAX_ANSWER_BYTES - 2 * MAX_ENTRY_CONTENT_BYTES);
      }
      before = next ? (new URL(next).searchParams.get("before") ?? undefined) : undefined;
    } while (before && pages < 20);
    expect(pages).toBeGreaterThan(1);
    expect(seen).toEqual(result.versions.map((item) => item.version));
  });

  it("lists at most MAX_ENTRY_CONTENT_BYTES of one version's changes, then counts the rest and links to them in GET /changes", () => {
    const { result, changes } = changelog(3, 2_000);
    const feed = atomFeed("https://scopes.example.com", { product: "jira" }, result);
    const contents = [...feed.matchAll(/<content type="text">([^<]*)<\/content>/g)].map((match) => match[1]!);
    expect(contents).toHaveLength(3);
    const middle = contents[1]!.split("\n");
    const shown = middle.length - 1;
    expect(utf8Bytes(middle.slice(0, shown).join("\n"))).toBeLessThanOrEqual(MAX_ENTRY_CONTENT_BYTES);
    expect(shown).toBeGreaterThan(50);
    const restLine = middle.at(-1)!.replaceAll("&amp;", "&");
    expect(restLine).toMatch(new RegExp(`^… and ${2_000 - shown} more changes in this version, left out of the feed`));
    // The link: GET /changes after the previous version, at the first change left out (the newer version's
    // 2,000 come first).
    const url = new URL(restLine.slice(restLine.indexOf("https://")));
    const [newest, middleVersion, oldest] = [...changes].reverse();
    expect(url.pathname).toBe("/changes");
    expect(url.searchParams.get("since")).toBe(oldest!.version);
    expect(url.searchParams.get("product")).toBe("jira");
    expect(url.searchParams.get("limit")).toBe("1000");
    expect(url.searchParams.get("cursor")).toBe(encodeCursor(newest!.entries.length + shown));
    expect(middleVersion!.version).toBe(result.versions[1]!.version);
    // The title and summary still count every change of the version.
    expect(feed).toContain(`<title>Catalog ${middleVersion!.version}: 2000 changes (jira)</title>`);
    expect(feed).toContain(`<summary type="text">2000 scope sets changed</summary>`);
  });

  it("renders only what it writes: changes past the bounds are never described", () => {
    // 100 versions × 2,000 changes: each entry's `path` is read once per line written (describeChange).
    const { result } = changelog(100, 2_000);
    let pathReads = 0;
    const counted = {
      ...result,
      entries: result.entries.map((entry) => {
        const { path, ...rest } = entry as DatedEntry & { path: string };
        return Object.defineProperty(rest, "path", {
          enumerable: true,
          get() {
            pathReads++;
            return path;
          },
        }) as DatedEntry;
      }),
    };
    const feed = atomFeed("https://scopes.example.com", {}, counted);
    const lines = contentLines(feed).length;
    expect(result.entries).toHaveLength(200_000);
    expect(utf8Bytes(feed)).toBeLessThanOrEqual(MAX_ANSWER_BYTES);
    // Each entry describes the lines it writes and the first one that did not fit; the entry that crossed
    // the cap was described too (its lines are over 100 bytes each), and nothing after it.
    expect(pathReads).toBeLessThanOrEqual(lines + MAX_FEED_ENTRIES + MAX_ENTRY_CONTENT_BYTES / 100);
    expect(pathReads).toBeLessThan(10_000);
    // Building 200,000 entries takes seconds on a busy machine; the bound asserted is the reads, not a time.
  }, 30_000);
});
