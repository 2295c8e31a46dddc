/** The Atom feed of the changelog (src/views/atom.ts): escaping of scraped values, links, and linear work. */
import { describe, expect, it } from "vitest";
import type { ChangesResult, DatedEntry } from "../../src/catalog/changes-query";
import { atomFeed } from "../../src/views/atom";

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
    expect(contentLines(feed)).toHaveLength(n);
    expect(iterations).toBeGreaterThan(0);
    expect(iterations).toBeLessThanOrEqual(10 * n);
  });

  it("builds the feed of a 40,000-operation document: every entry once, bytes linear in entries", () => {
    const n = 40_000;
    const versions = ["2026-11-30T05-44-51Z", "2026-11-29T05-44-51Z"];
    const entries = Array.from({ length: n }, (_, index) => added(`/rest/api/3/op${index}`, versions[index % 2]));
    const feed = atomFeed("https://scopes.example.com", {}, result(entries, versions));
    expect(contentLines(feed)).toHaveLength(n);
    expect(feed.match(/<entry>/g)).toHaveLength(2);
    // Each content line is ~45 bytes; the feed's fixed parts are under 2 KB.
    expect(feed.length).toBeLessThan(60 * n + 2_000);
  });
});
