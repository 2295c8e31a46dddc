/**
 * Removal and deprecation dates an operation's description states in prose, where its document has no
 * `x-changes` entry for them. No I/O. Returns a Result, never throws.
 *
 * The wordings, from the saved documents (../shared/atlassian-docs, see NOTES.md and PROVENANCE.md):
 * - Jira v3: "This will be removed on [June 1, 2026](…/changelog/#CHANGE-2569); use [Search workflows]
 *   (#api-rest-api-3-workflows-search-get) instead." (GET /rest/api/3/workflow/search; the 2026-06-10
 *   copy also says it of the workflow transition property endpoints, CHANGE-2570, naming "[Bulk get
 *   workflows](…/api-group-workflows/#api-rest-api-3-workflows-post)").
 * - Assets: "This endpoint is deprecated and will be removed on <b>18th of September 2024</b>. Please use
 *   POST `/object/aql` instead." (GET /aql/objects, /iql/objects); "Deprecated from <b>30 September
 *   2024</b>. Please use POST /object/aql instead. […] CHANGE-1661." (POST /object/navlist/aql).
 * - Bitbucket: "This API will be deprecated on November 1, 2026." (the three code search endpoints).
 * Only a sentence whose subject is the operation itself counts ("This …", "Deprecated from …"): "The
 * `draft` parameter […] will be removed from this API on November 2, 2026" is about a parameter, and the
 * endpoint stays.
 */
import type { HttpMethod } from "../../src/catalog/schema";

/** What the text names to call instead: a method and path as written, or a reference-page anchor. */
export type ReplacementRef = { method: HttpMethod; pathKey: string } | { anchor: string };

export interface RemovalNotice {
  /** `removed`: calls stop working on that date; `deprecated`: the date it is (or was) deprecated from. */
  type: "removed" | "deprecated";
  /** The date, ISO (YYYY-MM-DD). */
  effective: string;
  /** The changelog entry the text cites, e.g. CHANGE-2569. */
  changelog?: string;
  /** The link the text gives for it (a changelog URL), else the changelog's own URL. */
  details?: string;
  replacement?: ReplacementRef;
}

export type RemovalNoticeResult =
  | { ok: true; notice: RemovalNotice }
  /** A notice whose date could not be read ("in October 2026", "15/07/2024"): skipped, with the text. */
  | { ok: false; reason: "unreadable_date"; text: string };

// "This will be removed on", "This endpoint is deprecated and will be removed on", "This API will be
// deprecated on", "Deprecated from", "has been removed on".
// Case matters: "Deprecated from" opens a sentence; "is deprecated and will be removed from this API" does not.
const NOTICE =
  /(?:^|[.!?>*]\s*|\n\s*)(?:This(?:\s+(?:endpoint|API|operation|resource|method))?(?:\s+is\s+deprecated\s+and)?\s+(?:will\s+be|is\s+to\s+be|has\s+been|was)\s+(removed|deprecated)|(Deprecated|Removed))\s+(?:on|by|from|since|after|in)\s+/g;
const CHANGELOG = /CHANGE-\d+/;
const LINK_URL = /\]\(([^)\s]+)\)/g;
const ANCHOR = /#(api-[a-z0-9-]+-(?:get|put|post|delete|patch))\b/;
const METHOD_PATH = /\b(GET|PUT|POST|DELETE|PATCH)\s+`?(\/[A-Za-z0-9_{}\-./]*[A-Za-z0-9_}])`?/;

// The words NOTICE needs, which nearly every description lacks: one scan decides (two `includes` scans took
// 1.7 times as long over the documents' 2,046 descriptions).
const NOTICE_WORD = /[Rr]emoved|[Dd]eprecated/;

/** The first removal or deprecation notice of a description, or undefined when it states none. */
export function readRemovalNotice(description: string | undefined): RemovalNoticeResult | undefined {
  return description && NOTICE_WORD.test(description) ? noticeIn(description) : undefined;
}

// Apart from the check above, which every operation's description goes through: V8 then compiles this (five
// regexes, spreads, a closure) on its own rather than into the scraper's hottest function, and only 104 of
// the shared documents' 2,046 descriptions get here.
function noticeIn(description: string): RemovalNoticeResult | undefined {
  NOTICE.lastIndex = 0;
  const match = NOTICE.exec(description);
  if (!match) return undefined;
  const type = (match[1] ?? match[2] ?? "").toLowerCase() === "removed" ? "removed" : "deprecated";
  const rest = description.slice(match.index + match[0].length);
  const dateText = leadingDate(rest);
  const effective = parseNoticeDate(dateText);
  if (!effective) return { ok: false, reason: "unreadable_date", text: dateText.slice(0, 80) };
  // What the notice says beyond its date: its paragraph (the changelog and the replacement are named there).
  const paragraph = rest.split(/\n\s*\n/)[0] ?? rest;
  const changelog = CHANGELOG.exec(paragraph)?.[0];
  const linked = changelog ? [...paragraph.matchAll(LINK_URL)].find((link) => link[1]?.includes(changelog)) : undefined;
  const details = linked?.[1] ?? (changelog ? `https://developer.atlassian.com/changelog/#${changelog}` : undefined);
  const replacement = replacementIn(paragraph);
  return {
    ok: true,
    notice: {
      type,
      effective,
      ...(changelog ? { changelog } : {}),
      ...(details ? { details } : {}),
      ...(replacement ? { replacement } : {}),
    },
  };
}

/** The date after "removed on": in a link's text, bold, or plain up to the sentence's end. */
function leadingDate(text: string): string {
  const wrapped = /^(?:\[([^\]]{1,60})\]|<b>(.{1,60}?)<\/b>|\*\*(.{1,60}?)\*\*)/.exec(text);
  if (wrapped) return (wrapped[1] ?? wrapped[2] ?? wrapped[3] ?? "").trim();
  return (/^[^;:()\n]{1,60}?(?=\.\s|\.$|[;:()\n]|$)/.exec(text)?.[0] ?? text.slice(0, 60)).trim();
}

/** The replacement a notice names: a reference-page anchor first (it names one operation), else `METHOD /path`. */
function replacementIn(paragraph: string): ReplacementRef | undefined {
  for (const link of paragraph.matchAll(LINK_URL)) {
    const anchor = ANCHOR.exec(link[1] ?? "")?.[1];
    if (anchor) return { anchor };
  }
  const named = METHOD_PATH.exec(paragraph);
  return named ? { method: named[1] as HttpMethod, pathKey: named[2]! } : undefined;
}

const MONTHS: Record<string, number> = {
  jan: 1,
  feb: 2,
  mar: 3,
  apr: 4,
  may: 5,
  jun: 6,
  jul: 7,
  aug: 8,
  sep: 9,
  sept: 9,
  oct: 10,
  nov: 11,
  dec: 12,
};

/**
 * A written date as YYYY-MM-DD: "June 1, 2026", "Jun 1 2026", "18th of September 2024", "1 June 2026",
 * "2026-06-01". Undefined for anything else: a month without a day ("October 2026"), a numeric date
 * whose order is ambiguous ("15/07/2024"), or a day the month lacks ("February 30, 2026").
 */
export function parseNoticeDate(text: string): string | undefined {
  const plain = text
    .replace(/<[^>]*>|[*_`[\]]/g, "")
    .replace(/\s+/g, " ")
    .trim()
    .replace(/\.$/, "");
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(plain);
  if (iso) return isoDate(Number(iso[1]), Number(iso[2]), Number(iso[3]));
  const monthFirst = /^([A-Za-z]+)\.? (\d{1,2})(?:st|nd|rd|th)?,? (\d{4})$/.exec(plain);
  if (monthFirst) return isoDate(Number(monthFirst[3]), monthOf(monthFirst[1]!), Number(monthFirst[2]));
  const dayFirst = /^(\d{1,2})(?:st|nd|rd|th)?(?: of)? ([A-Za-z]+)\.?,? (\d{4})$/.exec(plain);
  if (dayFirst) return isoDate(Number(dayFirst[3]), monthOf(dayFirst[2]!), Number(dayFirst[1]));
  return undefined;
}

function monthOf(name: string): number {
  const lower = name.toLowerCase();
  const key = lower.startsWith("sept") ? "sept" : lower.slice(0, 3);
  // "Mayday" is no month: a name is its three letters or a prefix of the full one.
  const full = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
  ];
  const month = MONTHS[key] ?? 0;
  return month > 0 && full[month - 1]!.startsWith(lower) ? month : 0;
}

function isoDate(year: number, month: number, day: number): string | undefined {
  if (month < 1 || month > 12 || day < 1 || year < 2000 || year > 2100) return undefined;
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCMonth() !== month - 1) return undefined;
  return date.toISOString().slice(0, 10);
}
