/**
 * The changelog as /changes answers it: `since` parsed, the versions it selects, the entries that
 * match a product, a scope or an endpoint, and each entry as one readable line. No I/O.
 */
import { type CatalogIndex, impliedPrefixed } from "./catalog-index";
import { parseMethod } from "./http-method";
import { lookupEndpoints } from "./lookup";
import { PathMatcher } from "./matcher";
import { parseRequestPath, quotedPath } from "./request-path";
import type { ChangeEntry, Changes, HttpMethod, Product } from "./schema";

/** A catalog version id: `2026-11-30T03-12-30Z`, suffixed `.N` when two runs shared a second. */
export const VERSION_ID = /^(\d{4})-(\d{2})-(\d{2})T(\d{2})-(\d{2})-(\d{2})Z(?:\.(\d{1,6}))?$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})?$/;

/** What `since` accepts, for error messages and docs. */
export const SINCE_FORMS =
  "a catalog version such as 2026-11-30T03-12-30Z (the versions published after it), or a date or ISO date-time such as 2026-06-10 or 2026-06-10T12:00:00Z (the versions published then or later; UTC unless an offset is given)";

export type Since =
  | { kind: "version"; version: string }
  /** `at`: the instant as an ISO string (UTC), compared with each version's `publishedAt`. */
  | { kind: "time"; at: string };

export function parseSince(input: string): { ok: true; value: Since } | { ok: false; message: string } {
  const text = input.trim();
  const invalid = (why: string) => ({
    ok: false as const,
    message: `\`since\` ${JSON.stringify(text.slice(0, 60))} ${why}; give ${SINCE_FORMS}.`,
  });
  const version = VERSION_ID.exec(text);
  if (version) {
    const [, year, month, day, hour, minute, second] = version.map(Number) as number[];
    if (!validParts(year!, month!, day!, hour!, minute!, second!)) return invalid("is not a real date and time");
    return { ok: true, value: { kind: "version", version: text } };
  }
  const date = DATE.exec(text);
  if (date) {
    const [, year, month, day] = date.map(Number) as number[];
    if (!validParts(year!, month!, day!, 0, 0, 0)) return invalid("is not a real date");
    return { ok: true, value: { kind: "time", at: new Date(Date.UTC(year!, month! - 1, day!)).toISOString() } };
  }
  const dateTime = DATE_TIME.exec(text);
  if (dateTime) {
    const [, year, month, day, hour, minute, second] = dateTime.slice(0, 7).map((part) => Number(part ?? 0));
    const offset = dateTime[8];
    if (!validParts(year!, month!, day!, hour!, minute!, second!) || (offset && offset !== "Z" && !validOffset(offset)))
      return invalid("is not a real date and time");
    const ms = Date.parse(offset ? text : `${text}Z`);
    if (Number.isNaN(ms)) return invalid("is not a real date and time");
    return { ok: true, value: { kind: "time", at: new Date(ms).toISOString() } };
  }
  return invalid("is neither a catalog version nor a date");
}

function validParts(year: number, month: number, day: number, hour: number, minute: number, second: number): boolean {
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return false;
  return day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function validOffset(offset: string): boolean {
  const [hours, minutes] = offset.slice(1).split(":").map(Number);
  return hours! <= 23 && minutes! <= 59;
}

/** Orders version ids in time: by their timestamp, then by the `.N` suffix (numerically). */
export function compareVersions(a: string, b: string): number {
  const [baseA = "", suffixA = "0"] = a.split(".");
  const [baseB = "", suffixB = "0"] = b.split(".");
  if (baseA !== baseB) return baseA < baseB ? -1 : 1;
  return Number(suffixA) - Number(suffixB);
}

/** Whether a version (from the manifest's history) falls in the window `since` opens. */
export function isSince(item: { version: string; publishedAt: string }, since: Since | undefined): boolean {
  if (!since) return true;
  if (since.kind === "version") return compareVersions(item.version, since.version) > 0;
  const published = Date.parse(item.publishedAt);
  return !Number.isNaN(published) && published >= Date.parse(since.at);
}

export interface ChangeFilter {
  product?: Product;
  /**
   * Entries mentioning this scope: introduced or retired, in an alternative's scopes, added or removed, or
   * among the scopes a removed endpoint last took.
   */
  scope?: string;
  /** Entries about these path templates (any method unless `method` is given). */
  paths?: ReadonlySet<string>;
  method?: HttpMethod;
}

export function mentionsScope(entry: ChangeEntry, scope: string): boolean {
  switch (entry.type) {
    case "scope_introduced":
    case "scope_retired":
      return entry.scope === scope;
    case "scopes_changed":
      return entry.added.includes(scope) || entry.removed.includes(scope);
    case "alternative_added":
    case "alternative_removed":
    case "state_changed":
      return entry.scopes.includes(scope);
    case "endpoint_removed":
      return entry.alternatives?.some((alternative) => alternative.scopes.includes(scope)) ?? false;
    default:
      return false;
  }
}

export function entryMatches(entry: ChangeEntry, filter: ChangeFilter): boolean {
  if (filter.product && entry.product !== filter.product) return false;
  if (filter.scope !== undefined && !mentionsScope(entry, filter.scope)) return false;
  if (filter.paths || filter.method) {
    if (!("path" in entry)) return false;
    if (filter.paths && !filter.paths.has(entry.path)) return false;
    if (filter.method && entry.method !== filter.method) return false;
  }
  return true;
}

export type DatedEntry = ChangeEntry & { version: string; publishedAt: string };

export interface VersionSummary {
  version: string;
  publishedAt: string;
  previousVersion: string | null;
  /** Entries this version recorded, before filters. */
  changes: number;
  /** Entries that match the filters. */
  matching: number;
  /** Products published for the first time in this version (no entries are listed for them). */
  baseline: Product[];
}

export interface ChangesResult {
  /** The versions considered, newest first. */
  versions: VersionSummary[];
  /** Matching entries, newest version first, each with the version that first recorded it. */
  entries: DatedEntry[];
  /** Products first published in the versions considered (the `product` filter applies). */
  baseline: { product: Product; version: string; publishedAt: string }[];
}

/** Filters the changes of the considered versions; `changes` may come in any order. */
export function queryChanges(changes: readonly Changes[], filter: ChangeFilter): ChangesResult {
  const ordered = [...changes].sort((a, b) => compareVersions(b.version, a.version));
  const versions: VersionSummary[] = [];
  const entries: DatedEntry[] = [];
  const baseline: ChangesResult["baseline"] = [];
  for (const item of ordered) {
    const matching = item.entries.filter((entry) => entryMatches(entry, filter));
    const firstPublished = item.baseline.filter((product) => !filter.product || product === filter.product);
    versions.push({
      version: item.version,
      publishedAt: item.publishedAt,
      previousVersion: item.previousVersion,
      changes: item.entries.length,
      matching: matching.length,
      baseline: firstPublished,
    });
    for (const entry of matching) entries.push({ version: item.version, publishedAt: item.publishedAt, ...entry });
    for (const product of firstPublished)
      baseline.push({ product, version: item.version, publishedAt: item.publishedAt });
  }
  return { versions, entries, baseline };
}

export type PathResolution =
  | { ok: true; paths: Set<string>; method?: HttpMethod }
  | {
      ok: false;
      code: "invalid_method" | "invalid_path" | "path_too_long" | "endpoint_not_found";
      message: string;
      details?: Record<string, unknown>;
    };

/**
 * The endpoint templates a `path` (and optional `method`) denotes, for filtering the changelog:
 * what the current catalog matches (a concrete path or URL resolves to its template), plus the input
 * itself when it is a template some entry names (removed endpoints are not in the catalog any more).
 * A concrete path the catalog does not know is matched against the templates in the changelog.
 */
export function resolveChangePath(
  catalog: CatalogIndex,
  changes: readonly Changes[],
  path: string,
  method?: string,
): PathResolution {
  const methodRead = parseMethod(method);
  if (!methodRead.ok) return methodRead;
  const verb = methodRead.method;
  const parsed = parseRequestPath(path);
  if (!parsed.ok) return parsed;
  const request = parsed.value;

  const named = new Set<string>();
  for (const item of changes) for (const entry of item.entries) if ("path" in entry) named.add(entry.path);

  const found = lookupEndpoints(catalog, path);
  // A template given exactly means that endpoint, even where a concrete path would match another.
  const asGiven = withoutTrailingSlashes(path.trim().split(/[?#]/, 1)[0]!);
  const exact = [asGiven, request.path].find(
    (candidate) =>
      named.has(candidate) || (found.ok && found.endpoints.some((endpoint) => endpoint.path === candidate)),
  );
  if (exact !== undefined) return { ok: true, paths: new Set([exact]), method: verb };
  if (found.ok) return { ok: true, paths: new Set(found.endpoints.map((endpoint) => endpoint.path)), method: verb };

  const matcher = new PathMatcher<string>();
  for (const template of named) matcher.add(template, template);
  for (const segments of [request.segments, ...impliedPrefixed(request.segments)]) {
    if (!segments) continue;
    const matched = matcher.match(segments);
    if (matched.length > 0) return { ok: true, paths: new Set(matched), method: verb };
  }
  const suggestions = found.ok ? [] : ((found.details?.suggestions as string[] | undefined) ?? []);
  return {
    ok: false,
    code: "endpoint_not_found",
    message: `No endpoint in the catalog or in its changelog matches ${quotedPath(request.path)}. Give a path or URL the catalog knows, or the exact template of a removed endpoint (such as /rest/api/3/workflow/transitions/{transitionId}/properties).`,
    details: { path: request.path, suggestions },
  };
}

/** One entry in words: `+`/`-`/`~`, what it is about, and what happened. */
/**
 * The text without its trailing slashes, keeping the first character (`/` stays `/`). A loop from the
 * end: the regex it replaces, /(.)\/+$/, retried the slash run from every slash (70 ms on 4096 of them).
 */
export function withoutTrailingSlashes(text: string, work?: { steps: number }): string {
  let end = text.length;
  while (end > 1 && text.charCodeAt(end - 1) === 47 /* / */) end--;
  if (work) work.steps += text.length - end + 1;
  return end === text.length ? text : text.slice(0, end);
}

export function describeChange(entry: ChangeEntry): { sign: "+" | "-" | "~"; subject: string; what: string } {
  const endpoint = "path" in entry ? `${entry.method} ${entry.path}` : "";
  switch (entry.type) {
    case "endpoint_added":
      return { sign: "+", subject: endpoint, what: "endpoint added" };
    case "endpoint_removed":
      return {
        sign: "-",
        subject: endpoint,
        what: entry.alternatives?.length
          ? `endpoint removed; it took ${entry.alternatives.map((alternative) => alternative.scopes.join(" + ")).join(" or ")}`
          : "endpoint removed",
      };
    case "scopes_changed": {
      const parts = [
        entry.added.length > 0 ? `added ${entry.added.join(", ")}` : "",
        entry.removed.length > 0 ? `removed ${entry.removed.join(", ")}` : "",
      ].filter(Boolean);
      return {
        sign: "~",
        subject: endpoint,
        what: `${entry.alternative.kind} ${entry.alternative.state} set: ${parts.join("; ") || "reordered"}`,
      };
    }
    case "alternative_added":
      return {
        sign: "+",
        subject: endpoint,
        what: `${entry.alternative.kind} ${entry.alternative.state} set added: ${entry.scopes.join(" + ")}`,
      };
    case "alternative_removed":
      return {
        sign: "-",
        subject: endpoint,
        what: `${entry.alternative.kind} ${entry.alternative.state} set removed: ${entry.scopes.join(" + ")}`,
      };
    case "state_changed":
      return {
        sign: "~",
        subject: endpoint,
        what: `${entry.alternative.kind} set ${entry.scopes.join(" + ")}: ${entry.from} -> ${entry.to}`,
      };
    case "deprecated_changed":
      return { sign: "~", subject: endpoint, what: entry.to ? "now deprecated" : "no longer deprecated" };
    case "scope_introduced":
      return { sign: "+", subject: entry.scope, what: "scope introduced" };
    case "scope_retired":
      return { sign: "-", subject: entry.scope, what: "scope retired: no endpoint uses it any more" };
  }
}

/** `2026-11-30 jira  - GET /rest/api/3/workflow/transitions/{transitionId}/properties (endpoint removed)` */
export function changeLine(entry: DatedEntry): string {
  const { sign, subject, what } = describeChange(entry);
  return `${entry.publishedAt.slice(0, 10)} ${entry.product}  ${sign} ${subject} (${what})`;
}

const TYPE_WORDS: Record<ChangeEntry["type"], [string, string]> = {
  endpoint_added: ["endpoint added", "endpoints added"],
  endpoint_removed: ["endpoint removed", "endpoints removed"],
  scopes_changed: ["scope set changed", "scope sets changed"],
  alternative_added: ["scope set added", "scope sets added"],
  alternative_removed: ["scope set removed", "scope sets removed"],
  state_changed: ["state change", "state changes"],
  deprecated_changed: ["deprecation change", "deprecation changes"],
  scope_introduced: ["scope introduced", "scopes introduced"],
  scope_retired: ["scope retired", "scopes retired"],
};

/** `1 endpoint added, 4 endpoints removed, 3 deprecation changes`, in the order the types first appear. */
export function countChanges(entries: readonly ChangeEntry[]): string {
  const counts = new Map<ChangeEntry["type"], number>();
  for (const entry of entries) counts.set(entry.type, (counts.get(entry.type) ?? 0) + 1);
  return [...counts].map(([type, count]) => `${count} ${TYPE_WORDS[type][count === 1 ? 0 : 1]}`).join(", ");
}
