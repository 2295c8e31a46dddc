/**
 * The changelog as an Atom 1.0 feed (RFC 4287). Pure: no I/O; the route passes the origin links may
 * point at (src/routes/shared.ts, publicOrigin) and the filtered changes. Every value is written through
 * escapeXml, and each change is one line of the text content (textLine), so a scraped path cannot forge one.
 *
 * Bounded like every other answer (issue 15): one document holds at most MAX_FEED_ENTRIES entries and
 * MAX_ANSWER_BYTES bytes, newest first, and each entry's content at most MAX_ENTRY_CONTENT_BYTES of change
 * lines. Past a bound the feed is truncated, not refused, as feeds are: whole entries are left out (never
 * an entry cut mid-XML), the subtitle says so, and an RFC 5005 paged-feed `rel="next"` link continues with
 * the older entries (`before`). Only what is written is rendered: entries past a bound are never built.
 *
 * Why these signals: readers keep the entries they have seen and only read the newest document, so
 * truncating costs a subscriber nothing once it polls. RFC 5005 section 3 (paged feeds,
 * https://www.rfc-editor.org/rfc/rfc5005#section-3, seen 2026-12-05) is the standard way to say more
 * entries exist, and a reader that does not follow it still has a whole feed of the newest. A synthetic
 * "older changes" entry was not used: its id or date would change whenever the cut moves, so readers
 * would show it as a new item again and again. Entries keep their ids on every page (`before` is not part of them).
 */
import { encodeCursor } from "../answers/paging";
import { MAX_ANSWER_BYTES, utf8Length } from "../answers/size-cap";
import {
  compareVersions,
  countChanges,
  describeChange,
  type ChangesResult,
  type DatedEntry,
  type VersionSummary,
} from "../catalog/changes-query";
import { escapeXml, textLine } from "./escape";

/**
 * Entries (catalog versions) one feed document holds at most. The cron publishes at most a version a
 * day and readers poll hourly or daily, so 50 covers weeks of missed polls; the manifest's history
 * holds 100 versions, and `rel="next"` pages reach the rest.
 */
export const MAX_FEED_ENTRIES = 50;

/**
 * Bytes of change lines one entry's content holds at most (about 200 lines). A larger version keeps
 * its first lines, then one line counting the rest with the GET /changes page that lists them, so one
 * huge version cannot fill the document alone and push every other entry out of the feed.
 */
export const MAX_ENTRY_CONTENT_BYTES = 20_000;

/** Entries per page of the GET /changes link that lists a cut entry's other changes (its maximum). */
const CHANGES_PAGE_LIMIT = 1000;

export interface AtomFilters {
  since?: string;
  product?: string;
  scope?: string;
  path?: string;
  method?: string;
  /** Paging (RFC 5005): only versions older than this one; the `rel="next"` link of the previous document. */
  before?: string;
}

const FILTERS = ["since", "product", "scope", "path", "method"] as const;

/** Written as it is: it holds no character XML escapes in text (`'` needs none). */
const SUBTITLE =
  "Endpoints added or removed, scope sets changed, deprecations and scopes introduced or retired, as Atlassian's REST documents publish them.";

/**
 * One `<entry>` per version with matching changes (or, without scope and path filters, per version:
 * the first catalog says which products it published), newest first, within the bounds above. Ids are
 * tag: URIs (RFC 4151) built from the origin's host, the version and the filters (not `before`), so they
 * stay the same for as long as the version is listed, on whichever page. Without an origin, links are
 * relative (resolved against the feed's own URL, RFC 4287 section 4.2.7.1) and the tag authority is
 * `scope-catalog`.
 *
 * Work: each matching entry is pushed once onto its version's list (copying the list for every entry
 * took 9 s for a 40,000-operation document); entries and change lines are rendered only until a bound is
 * reached, so the rendering is bounded by the document's size, not the changelog's.
 *
 * The bounds always leave room for the newest entry, so a document is never empty while older entries
 * exist and every `rel="next"` page moves on: the head writes the filters at most six times (a `path` of
 * 4096 characters is at most ~37 KB percent-encoded), under 250 KB in all, and an entry holds at most
 * MAX_ENTRY_CONTENT_BYTES of lines plus the filters three times (id, link, last line), under 150 KB.
 */
export function atomFeed(origin: string | undefined, query: AtomFilters, result: ChangesResult): string {
  const filters = new URLSearchParams();
  for (const name of FILTERS) {
    const value = query[name];
    if (value !== undefined) filters.set(name, value.trim());
  }
  const filterQuery = filters.size > 0 ? `?${filters}` : "";
  const before = query.before;
  const base = origin ?? "";
  const authority = (origin && new URL(origin).hostname) || "scope-catalog";
  const described = [...filters].map(([name, value]) => `${name} ${value}`).join(", ");
  const byVersion = new Map<string, DatedEntry[]>();
  for (const entry of result.entries) {
    const list = byVersion.get(entry.version);
    if (list) list.push(entry);
    else byVersion.set(entry.version, [entry]);
  }
  const narrowed = query.scope !== undefined || query.path !== undefined;
  const isListed = (item: VersionSummary) =>
    (byVersion.get(item.version)?.length ?? 0) > 0 ||
    (!narrowed && (query.product === undefined || item.baseline.length > 0));
  const onPage = (item: VersionSummary) =>
    isListed(item) && (before === undefined || compareVersions(item.version, before) < 0);
  const xml = (text: string) => escapeXml(textLine(text));
  const feedUrl = (extra: Record<string, string>) => {
    const params = new URLSearchParams(filters);
    for (const [name, value] of Object.entries(extra)) params.set(name, value);
    return `${base}/changes.atom${params.size > 0 ? `?${params}` : ""}`;
  };

  const head = (next: string | undefined, note: string | undefined, updated: string) => [
    `<?xml version="1.0" encoding="utf-8"?>`,
    `<feed xmlns="http://www.w3.org/2005/Atom">`,
    `  <id>${xml(`tag:${authority},2026:changes.atom${filterQuery}`)}</id>`,
    `  <title>${xml(`Scope Catalog: changes to Atlassian Cloud scopes${described ? ` (${described})` : ""}`)}</title>`,
    `  <subtitle>${SUBTITLE}${note ? ` ${xml(note)}` : ""}</subtitle>`,
    `  <updated>${xml(updated)}</updated>`,
    `  <author><name>Scope Catalog</name></author>`,
    `  <generator>Scope Catalog</generator>`,
    `  <link rel="self" type="application/atom+xml" href="${xml(before === undefined ? feedUrl({}) : feedUrl({ before }))}"/>`,
    `  <link rel="alternate" type="application/json" href="${xml(`${base}/changes${filterQuery}`)}"/>`,
    ...(before === undefined ? [] : [`  <link rel="first" type="application/atom+xml" href="${xml(feedUrl({}))}"/>`]),
    ...(next === undefined ? [] : [`  <link rel="next" type="application/atom+xml" href="${xml(next)}"/>`]),
  ];
  const listedTotal = result.versions.filter(isListed).length;
  const truncationNote = (count: number) =>
    `This document lists ${count} of the ${listedTotal} matching catalog versions (at most ${MAX_FEED_ENTRIES} entries and ${MAX_ANSWER_BYTES} bytes a document): the older ones follow at its link rel="next", and GET /changes lists every change.`;
  const bytesOf = (lines: readonly string[]) => lines.reduce((sum, line) => sum + utf8Length(line) + 1, 0);

  // Room for the largest head this document can have: a note, and a next link naming the longest version.
  const longest = (values: string[]) => values.reduce((most, value) => (value.length > most.length ? value : most), "");
  const footer = `</feed>`;
  let budget =
    MAX_ANSWER_BYTES -
    bytesOf(
      head(
        feedUrl({ before: longest(result.versions.map((item) => item.version)) }),
        truncationNote(MAX_FEED_ENTRIES),
        longest([new Date(0).toISOString(), ...result.versions.map((item) => item.publishedAt)]),
      ),
    ) -
    bytesOf([footer]);

  const body: string[] = [];
  let count = 0;
  let newestOnPage: VersionSummary | undefined;
  let lastOnPage: VersionSummary | undefined;
  let truncated = false;
  /** Matching entries of the versions newer than the current one: where its entries start in GET /changes. */
  let offset = 0;
  for (const item of result.versions) {
    const entries = byVersion.get(item.version) ?? [];
    const start = offset;
    offset += entries.length;
    if (!onPage(item)) continue;
    if (count === MAX_FEED_ENTRIES) {
      truncated = true;
      break;
    }
    const lines = entryLines(item, entries, start);
    const bytes = bytesOf(lines);
    if (bytes > budget) {
      truncated = true;
      break;
    }
    budget -= bytes;
    body.push(...lines);
    count++;
    newestOnPage ??= item;
    lastOnPage = item;
  }

  const updated = newestOnPage?.publishedAt ?? result.versions[0]?.publishedAt ?? new Date(0).toISOString();
  const next = truncated && lastOnPage ? feedUrl({ before: lastOnPage.version }) : undefined;
  const lines = [...head(next, truncated ? truncationNote(count) : undefined, updated), ...body, footer];
  return `${lines.join("\n")}\n`;

  function entryLines(item: VersionSummary, entries: readonly DatedEntry[], start: number): string[] {
    const products = [...new Set(entries.map((entry) => entry.product))];
    const title =
      entries.length > 0
        ? `Catalog ${item.version}: ${entries.length} ${entries.length === 1 ? "change" : "changes"} (${products.join(", ")})`
        : `Catalog ${item.version}${item.baseline.length > 0 ? `: first published ${item.baseline.join(", ")}` : ": no scope changes"}`;
    const summary = [
      entries.length > 0 ? countChanges(entries) : "",
      item.baseline.length > 0
        ? `First published: ${item.baseline.join(", ")} (everything in them is new; no changes listed).`
        : "",
      entries.length === 0 && item.baseline.length === 0 ? "No endpoint or scope changes." : "",
    ]
      .filter(Boolean)
      .join(". ");
    const content: string[] = [];
    let room = MAX_ENTRY_CONTENT_BYTES;
    for (const entry of entries) {
      const { sign, subject, what } = describeChange(entry);
      const line = xml(`${entry.product}  ${sign} ${subject} (${what})`);
      const bytes = utf8Length(line) + 1;
      if (bytes > room) break;
      room -= bytes;
      content.push(line);
    }
    const rest = entries.length - content.length;
    let restUrl: string | undefined;
    if (rest > 0) {
      // GET /changes with `since` the version before this one lists this version's changes after those of
      // newer versions; the cursor skips to the first change left out here.
      const params = new URLSearchParams(filters);
      if (item.previousVersion) params.set("since", item.previousVersion);
      else params.delete("since");
      params.set("limit", String(CHANGES_PAGE_LIMIT));
      params.set("cursor", encodeCursor(start + content.length));
      restUrl = `${base}/changes?${params}`;
      content.push(
        xml(
          `… and ${rest} more ${rest === 1 ? "change" : "changes"} in this version, left out of the feed (an entry lists at most ${MAX_ENTRY_CONTENT_BYTES} bytes of changes): ${restUrl}`,
        ),
      );
    }
    return [
      `  <entry>`,
      `    <id>${xml(`tag:${authority},${item.version.slice(0, 10)}:changes/${item.version}${filterQuery}`)}</id>`,
      `    <title>${xml(title)}</title>`,
      `    <updated>${xml(item.publishedAt)}</updated>`,
      `    <published>${xml(item.publishedAt)}</published>`,
      ...(restUrl === undefined ? [] : [`    <link rel="alternate" type="application/json" href="${xml(restUrl)}"/>`]),
      `    <summary type="text">${xml(summary)}</summary>`,
      `    <content type="text">${content.length > 0 ? content.join("\n") : xml(summary)}</content>`,
      `  </entry>`,
    ];
  }
}
