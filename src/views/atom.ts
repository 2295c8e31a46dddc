/**
 * The changelog as an Atom 1.0 feed (RFC 4287). Pure: no I/O; the route passes the origin links may
 * point at (src/routes/shared.ts, publicOrigin) and the filtered changes. Every value is written through
 * escapeXml, and each change is one line of the text content (textLine), so a scraped path cannot forge one.
 */
import { countChanges, describeChange, type ChangesResult, type DatedEntry } from "../catalog/changes-query";
import { escapeXml, textLine } from "./escape";

export interface AtomFilters {
  since?: string;
  product?: string;
  scope?: string;
  path?: string;
  method?: string;
}

/**
 * One `<entry>` per version with matching changes (or, without scope and path filters, per version:
 * the first catalog says which products it published). Ids are tag: URIs (RFC 4151) built from the
 * origin's host, the version and the filters, so they stay the same for as long as the version is listed.
 * Without an origin, links are relative (resolved against the feed's own URL, RFC 4287 section 4.2.7.1)
 * and the tag authority is `scope-catalog`.
 *
 * Linear in the number of entries: each entry is pushed once onto its version's list (copying the list
 * for every entry took 9 s for a 40,000-operation document) and every line is joined once.
 */
export function atomFeed(origin: string | undefined, query: AtomFilters, result: ChangesResult): string {
  const filters = new URLSearchParams();
  for (const name of ["since", "product", "scope", "path", "method"] as const) {
    const value = query[name];
    if (value !== undefined) filters.set(name, value.trim());
  }
  const filterQuery = filters.size > 0 ? `?${filters}` : "";
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
  const listed = result.versions.filter(
    (item) =>
      (byVersion.get(item.version)?.length ?? 0) > 0 ||
      (!narrowed && (query.product === undefined || item.baseline.length > 0)),
  );
  const updated = listed[0]?.publishedAt ?? result.versions[0]?.publishedAt ?? new Date(0).toISOString();
  const xml = (text: string) => escapeXml(textLine(text));

  const lines = [
    `<?xml version="1.0" encoding="utf-8"?>`,
    `<feed xmlns="http://www.w3.org/2005/Atom">`,
    `  <id>${xml(`tag:${authority},2026:changes.atom${filterQuery}`)}</id>`,
    `  <title>${xml(`Scope Catalog: changes to Atlassian Cloud scopes${described ? ` (${described})` : ""}`)}</title>`,
    `  <subtitle>Endpoints added or removed, scope sets changed, deprecations and scopes introduced or retired, as Atlassian's REST documents publish them.</subtitle>`,
    `  <updated>${xml(updated)}</updated>`,
    `  <author><name>Scope Catalog</name></author>`,
    `  <generator>Scope Catalog</generator>`,
    `  <link rel="self" type="application/atom+xml" href="${xml(`${base}/changes.atom${filterQuery}`)}"/>`,
    `  <link rel="alternate" type="application/json" href="${xml(`${base}/changes${filterQuery}`)}"/>`,
  ];
  for (const item of listed) {
    const entries = byVersion.get(item.version) ?? [];
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
    const content = entries.map((entry) => {
      const { sign, subject, what } = describeChange(entry);
      return xml(`${entry.product}  ${sign} ${subject} (${what})`);
    });
    lines.push(
      `  <entry>`,
      `    <id>${xml(`tag:${authority},${item.version.slice(0, 10)}:changes/${item.version}${filterQuery}`)}</id>`,
      `    <title>${xml(title)}</title>`,
      `    <updated>${xml(item.publishedAt)}</updated>`,
      `    <published>${xml(item.publishedAt)}</published>`,
      `    <summary type="text">${xml(summary)}</summary>`,
      `    <content type="text">${content.length > 0 ? content.join("\n") : xml(summary)}</content>`,
      `  </entry>`,
    );
  }
  lines.push(`</feed>`);
  return `${lines.join("\n")}\n`;
}
