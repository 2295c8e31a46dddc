/** A pasted path (or URL) and an optional method, resolved to catalog endpoints or a clear failure. No I/O. */
import { type BrowserMapping, browserMapping } from "./browser-urls";
import type { CatalogIndex } from "./catalog-index";
import { parseMethod } from "./http-method";
import { type CallContext, urlNotes, type UrlNote } from "./notes";
import { outsideApi } from "./outside-catalog";
import { MAX_SUGGEST_SEGMENTS } from "./path-suggestions";
import {
  DOCUMENTED_REMOVAL_REPLACEMENTS,
  type RemovedEndpoint,
  scopeSetsText,
  seenGone,
  v3TwinOf,
} from "./removed-endpoints";
import { parseRequestPath, quotedPath, type RequestPath, type RequestPathResult } from "./request-path";
import type { Alternative, Endpoint, HttpMethod } from "./schema";

export type LookupFailureCode =
  | "invalid_path"
  | "path_too_long"
  | "invalid_method"
  | "endpoint_not_found"
  | "outside_catalog"
  | "method_not_found"
  | "endpoint_removed";

export type Lookup =
  | {
      ok: true;
      request: RequestPath;
      matchedAs?: string;
      /** Set when the path was a browser link, answered with the REST endpoint that does its job. */
      browser?: BrowserMapping;
      endpoints: Endpoint[];
      /** What is wrong with the URL as given, and the URL to call instead (notes.ts). */
      urlNotes: UrlNote[];
      /** Asked without a method: the removed methods of the path (`GET /wiki/rest/api/space` beside a live POST). */
      removed?: RemovedView[];
    }
  | {
      ok: false;
      code: LookupFailureCode;
      message: string;
      details?: Record<string, unknown>;
      /** endpoint_removed: the live replacements named (curated), for /diff and /plan to check instead. */
      replacements?: { removed: RemovedEndpoint; endpoint: Endpoint }[];
    };

/**
 * `suggest: false` skips ranking the nearest templates for a path that matches nothing: that costs
 * a fraction of a millisecond each, so a request listing many unmatched paths only ranks the first few.
 * `path` is the text as given, or parseRequestPath's reading of it when the caller has one.
 */
export function lookupEndpoints(
  catalog: CatalogIndex,
  path: string | RequestPathResult,
  method?: string,
  options: { suggest?: boolean; context?: CallContext } = {},
): Lookup {
  const methodRead = parseMethod(method);
  if (!methodRead.ok) return methodRead;
  const parsed = typeof path === "string" ? parseRequestPath(path) : path;
  if (!parsed.ok) return parsed;
  const request = parsed.value;
  // With a method, only its endpoints are read (method_not_found reads the others).
  let matchedRequest = request;
  let match = catalog.match(request, methodRead.method);
  // A page's link (`/browse/ABC-1`, `/wiki/spaces/KEY/pages/123/...`) matches no template as given.
  const browser = match.matched ? undefined : browserMapping(request);
  if (browser) {
    const mapped = { ...request, segments: browser.segments, path: `/${browser.segments.join("/")}` };
    const rest = catalog.match(mapped, methodRead.method ?? browser.method);
    if (rest.matched) {
      match = { endpoints: rest.endpoints, matched: true, matchedAs: mapped.path };
      matchedRequest = mapped;
    }
  }
  const verb = methodRead.method ?? (browser && match.matched ? browser.method : undefined);
  // No closures made per lookup: every GET /scopes runs this (a closure is an allocation, and one more
  // function for a fresh isolate to compile).
  const matched = { request, matchedAs: match.matchedAs, browser };
  const withMethod = match.endpoints;
  // Live endpoints win: a removed endpoint answers only when none matches the method and path.
  if (withMethod.length === 0) {
    const { removed } = catalog.matchRemoved(request, verb);
    if (removed.length > 0) return removedFailure(catalog, request, removed);
  }
  if (!match.matched) {
    const outside = outsideApi(request);
    if (outside) {
      const scopes = outside.scopes.length > 0 ? ` Scopes: ${outside.scopes.join(", ")}.` : "";
      return {
        ok: false,
        code: "outside_catalog",
        message: `${quotedPath(request.path)} is outside this catalog: ${outside.api}. It authenticates with ${outside.auth}.${scopes} Docs: ${outside.docsUrl}`,
        details: { path: request.path, ...outside },
      };
    }
    // Asked for as suggestions are, within the request's budget (resolveRequests: 10 misses a request).
    const hinted =
      options.suggest === false ? undefined : (caseNote(catalog, request, verb) ?? refNameNote(catalog, request));
    const nearest = options.suggest === false ? [] : catalog.suggestPaths(request);
    const suggestions = hinted?.template
      ? [hinted.template, ...nearest.filter((path) => path !== hinted.template)].slice(0, 5)
      : nearest;
    // What the URL alone shows (a mistyped host, a gateway without its cloudId) still helps.
    const notes = [...(hinted ? [hinted.note] : []), ...urlNotes(matched, [], options.context)];
    return {
      ok: false,
      code: "endpoint_not_found",
      message: `No Atlassian Cloud endpoint in the catalog matches ${quotedPath(request.path)}. Check the path against the suggestions, or the product's REST docs.${notes.map((note) => ` ${note.message}`).join("")}`,
      details: { path: request.path, suggestions, ...(notes.length > 0 ? { urlNotes: notes } : {}) },
    };
  }
  if (verb) {
    if (withMethod.length === 0 && verb === "HEAD") {
      const asGet = catalog.match(matchedRequest, "GET").endpoints;
      if (asGet.length > 0)
        return {
          ok: true,
          request,
          matchedAs: match.matchedAs,
          browser,
          endpoints: asGet,
          urlNotes: [headAsGetNote(asGet[0]!.path), ...urlNotes(matched, asGet, options.context)],
        };
    }
    if (withMethod.length === 0) {
      const others = catalog.match(matchedRequest).endpoints;
      const methods = others.map((endpoint) => endpoint.method);
      const template = others[0]!.path;
      return {
        ok: false,
        code: "method_not_found",
        message: `${template} exists, but not with ${verb}; it takes ${methods.join(", ")}.`,
        details: { path: template, methods },
      };
    }
    return {
      ok: true,
      request,
      matchedAs: match.matchedAs,
      browser,
      endpoints: withMethod,
      urlNotes: urlNotes(matched, withMethod, options.context),
    };
  }
  const live = new Set(match.endpoints.map((endpoint) => `${endpoint.method} ${endpoint.path}`));
  const removed = catalog
    .matchRemoved(request)
    .removed.filter((item) => item.path === match.endpoints[0]!.path && !live.has(`${item.method} ${item.path}`));
  return {
    ok: true,
    request,
    matchedAs: match.matchedAs,
    browser,
    endpoints: match.endpoints,
    urlNotes: urlNotes(matched, match.endpoints, options.context),
    ...(removed.length > 0 ? { removed: removed.map((item) => removedView(catalog, item)) } : {}),
  };
}

/**
 * A path that matched nothing as written, with upper-case letters: URL paths are case-sensitive (RFC 3986
 * §6.2.2.1), and the catalog's templates are written as Atlassian's documents write them. The template it
 * matches when its fixed parts are read in any case, and the path with those parts as documented (the
 * values given kept: `/REST/API/3/ISSUE/ABC-1` → `/rest/api/3/issue/ABC-1`); or, when none matches and
 * its first segment has upper-case letters (`/REST/...`), the note alone.
 */
function caseNote(
  catalog: CatalogIndex,
  request: RequestPath,
  method: HttpMethod | undefined,
): { note: UrlNote; template?: string } | undefined {
  if (!/[A-Z]/.test(request.path)) return undefined;
  const lower = request.segments.map((segment) => segment.toLowerCase());
  // Most templates are lower-case, and a value in a parameter's place matches in any case; but a camelCase
  // fixed segment (`defaultShareScope`) lower-cased matches its sibling's parameter (`/filter/{id}`): the
  // template with the most fixed segments that fit wins.
  const matched = catalog.match({ ...request, segments: lower, path: `/${lower.join("/")}` }).endpoints[0]?.path;
  // Upper case is most often a value (an issue key) in a path mistyped elsewhere: the trie says so first.
  const ignoringCase = catalog.mayFitIgnoringCase(lower) ? templateIgnoringCase(catalog, lower) : undefined;
  const found =
    ignoringCase !== undefined && (matched === undefined || fixedParts(ignoringCase) >= fixedParts(matched))
      ? ignoringCase
      : matched;
  if (found === undefined) {
    if (!/[A-Z]/.test(request.segments[0] ?? "")) return undefined;
    return {
      note: {
        code: "path_case",
        message: `URL paths are case-sensitive, and Atlassian's REST paths start in lower case (/rest/..., /wiki/..., /2.0/...): check the case of ${quotedPath(request.path)}.`,
      },
    };
  }
  const parts = found.split("/").slice(1);
  const sameLength = parts.length === request.segments.length;
  const path = sameLength
    ? `/${parts.map((part, at) => (part.startsWith("{") ? request.segments[at] : part)).join("/")}`
    : found;
  // The corrected path matched again, with the method: the template of the endpoint it calls
  // (`DELETE /field/{id}` beside `GET /field/{fieldId}`).
  const template =
    (sameLength &&
      catalog.match({ ...request, segments: path.split("/").slice(1), path }, method).endpoints[0]?.path) ||
    found;
  const documented = path === template ? path : `${path} (${template})`;
  return {
    template,
    note: {
      code: "path_case",
      message: `URL paths are case-sensitive: ${quotedPath(request.path)} matches no endpoint as written; as Atlassian documents it, it is ${documented}.`,
      // The corrected path is the URL to call only when the path was given alone, and only when it is one
      // (a template with a `{path}` tail of another length is not).
      ...(request.host || request.gateway || !sameLength ? {} : { url: path }),
    },
  };
}

const fixedParts = (template: string) =>
  template.split("/").filter((part) => part !== "" && !part.startsWith("{")).length;

/** Each catalog's templates by segment count, their fixed parts lower-cased: built on the first case miss. */
const TEMPLATES_BY_LENGTH = new WeakMap<CatalogIndex, Map<number, { path: string; parts: (string | undefined)[] }[]>>();

function templatesByLength(catalog: CatalogIndex) {
  let byLength = TEMPLATES_BY_LENGTH.get(catalog);
  if (!byLength) {
    byLength = new Map();
    for (const path of new Set(catalog.templatePaths())) {
      // A parameter (`{id}`) is undefined: it takes any value.
      const parts = path
        .split("/")
        .slice(1)
        .map((part) => (part.startsWith("{") && part.endsWith("}") ? undefined : part.toLowerCase()));
      const list = byLength.get(parts.length) ?? [];
      list.push({ path, parts });
      byLength.set(parts.length, list);
    }
    TEMPLATES_BY_LENGTH.set(catalog, byLength);
  }
  return byLength;
}

/** The template whose fixed segments equal the lower-cased ones in any case (camelCase ones: `serverInfo`), most fixed segments first. */
function templateIgnoringCase(catalog: CatalogIndex, lower: readonly string[]): string | undefined {
  let best: { path: string; fixed: number } | undefined;
  for (const { path, parts } of templatesByLength(catalog).get(lower.length) ?? []) {
    let fixed = 0;
    let fits = true;
    for (let at = 0; at < parts.length && fits; at++) {
      const part = parts[at];
      if (part === undefined) continue;
      fits = part === lower[at];
      fixed++;
    }
    if (fits && (best === undefined || fixed > best.fixed)) best = { path, fixed };
  }
  return best?.path;
}

/**
 * Bitbucket parameters that hold a branch or tag name, where a name may hold `/` (`feature/login`): the
 * document calls `{name}` "The name of the branch" (or tag), `{revision}` "A commit SHA1 or ref name",
 * `{spec}` and `{revspec}` a commit or a range (`main..feature/login`). A template ending in one of them.
 */
const REF_NAME_TEMPLATE = /\/(refs\/(branches|tags)\/\{name\}|\{revision\}|\{spec\}|\{revspec\})$/;

/** What the template's last parameter holds, as its document calls it. */
function refNoun(template: string): string {
  if (template.includes("/refs/branches/")) return "a branch name";
  if (template.includes("/refs/tags/")) return "a tag name";
  // `{spec}` and `{revspec}`: a commit, or a range of two (`main..feature/login`).
  return template.endsWith("{revision}") ? "a branch or tag name" : "a branch or tag name, or a range of them";
}

/**
 * A Bitbucket path that matched nothing because a branch name's `/` was left raw
 * (`/2.0/repositories/ws/repo/refs/branches/feature/login`): its last segments read as one name do match
 * a template ending in a ref name. A `/` separates path segments (RFC 3986 §3.3), so a name holding one
 * is sent encoded as %2F; Bitbucket's document does not say how it reads a raw one, and the note says so.
 * Matching is unchanged: the note and the suggestion only answer the miss.
 */
function refNameNote(catalog: CatalogIndex, request: RequestPath): { note: UrlNote; template: string } | undefined {
  const segments = request.segments;
  // Each try joins and matches the path anew: a long path (up to 2,000 segments) is no branch name's.
  if (segments[0] !== "2.0" || segments.length > MAX_SUGGEST_SEGMENTS) return undefined;
  // The fewest segments joined first: `.../refs/branches/a/b/c` is read as `a/b/c` only when `b/c` fits nothing.
  for (let at = segments.length - 2; at >= 3; at--) {
    const joined = [...segments.slice(0, at), segments.slice(at).join("/")];
    const endpoint = catalog.match({ ...request, segments: joined, path: `/${segments.join("/")}` }).endpoints[0];
    if (endpoint?.product !== "bitbucket" || !REF_NAME_TEMPLATE.test(endpoint.path)) continue;
    const name = segments.slice(at).join("/");
    const encoded = `/${[...segments.slice(0, at), encodeURIComponent(name)].join("/")}`;
    // Bitbucket's API has one host: a URL given on another (a mistyped one, the Atlassian gateway) is
    // answered on it, as the URL notes answer it.
    const url = request.host || request.gateway ? `https://api.bitbucket.org${encoded}` : encoded;
    return {
      template: endpoint.path,
      note: {
        code: "ref_name_slash",
        message: `A / inside ${refNoun(endpoint.path)} must be encoded as %2F to stay one path segment (RFC 3986 §3.3): if ${name} is one, call ${url}, which matches ${endpoint.path}. Bitbucket's REST document does not say how it reads a raw /.`,
        url,
      },
    };
  }
  return undefined;
}

/**
 * HEAD where the catalog has no HEAD of its own: Atlassian documents GET only. RFC 9110 §9.3.2 defines
 * HEAD as GET without the content, so the request is checked as that GET; Atlassian does not say so.
 */
function headAsGetNote(path: string): UrlNote {
  return {
    code: "head_as_get",
    message: `HEAD ${path} is checked as GET ${path}: Atlassian documents only GET for it, and the scopes shown are GET's. HTTP defines HEAD as GET without the body (RFC 9110 §9.3.2); that HEAD needs GET's scopes is inferred from that, not stated by Atlassian.`,
  };
}

/** A removed endpoint as answers show it: what it was, when and why it went, what to call instead. */
export interface RemovedView {
  product: string;
  method: HttpMethod;
  path: string;
  summary?: string;
  removedAt: string;
  removedIn?: string;
  /** The removal the endpoint's last document announced (tombstones). */
  announced?: { effective?: string; details?: string };
  source: RemovedEndpoint["source"];
  /** The scope sets it took when last published (tombstones). */
  lastScopes?: { kind: string; state: string; scopes: string[] }[];
  replacement?: {
    method: HttpMethod;
    path: string;
    summary?: string;
    docsUrl?: string;
    note?: string;
    /** Its scope sets, read from the catalog (any one suffices); absent when the catalog lacks it. */
    alternatives?: { kind: string; state: string; scopes: string[] }[];
  };
}

const setsOf = (alternatives: readonly Alternative[]) =>
  alternatives.map(({ kind, state, scopes }) => ({ kind, state, scopes: [...scopes] }));

/** `readReplacement: false` names the replacement without reading its record (which reads a path trie). */
export function removedView(
  catalog: CatalogIndex,
  removed: RemovedEndpoint,
  { readReplacement = true }: { readReplacement?: boolean } = {},
): RemovedView {
  const replacement = removed.replacement;
  const live = replacement && readReplacement ? catalog.endpointAt(replacement.method, replacement.path) : undefined;
  return {
    product: removed.product,
    method: removed.method,
    path: removed.path,
    ...(removed.summary === undefined ? {} : { summary: removed.summary }),
    removedAt: removed.removedAt,
    ...(removed.removedIn === undefined ? {} : { removedIn: removed.removedIn }),
    ...(removed.announced ? { announced: removed.announced } : {}),
    source: removed.source,
    ...(removed.lastAlternatives ? { lastScopes: setsOf(removed.lastAlternatives) } : {}),
    ...(replacement
      ? {
          replacement: {
            method: replacement.method,
            path: replacement.path,
            ...(live?.summary === undefined ? {} : { summary: live.summary }),
            ...(live ? { docsUrl: live.docsUrl } : {}),
            ...(replacement.note ? { note: replacement.note } : {}),
            ...(live ? { alternatives: setsOf(live.alternatives) } : {}),
          },
        }
      : {}),
  };
}

/**
 * An endpoint the documents still list whose removal date (`x-changes` type `removed`, `effective`) has
 * passed, as a removed endpoint: what to call instead (DOCUMENTED_REMOVAL_REPLACEMENTS, else the one the
 * removal's notice names, read by the scraper from the description), with its scopes
 * from the catalog. `asOf` is the request's date (YYYY-MM-DD), the one its notes tell lifecycle dates
 * against: a catalog served days after its scrape (the bundled snapshot offline, KV while scrapes fail)
 * would otherwise answer an endpoint as live past its removal while its note says "removed on".
 * Undefined for a live endpoint or a removal still ahead.
 */
export function pastRemovalOf(
  catalog: CatalogIndex,
  endpoint: Endpoint,
  asOf: string,
  options: { readReplacement?: boolean } = {},
): RemovedView | undefined {
  // Most endpoints carry no lifecycle: lists of what a scope reaches ask this of every endpoint they show.
  if (!endpoint.lifecycle) return undefined;
  const today = asOf.slice(0, 10);
  const change = endpoint.lifecycle.find(
    (item) =>
      item.type === "removed" &&
      item.effective !== undefined &&
      /^\d{4}-\d{2}-\d{2}/.test(item.effective) &&
      item.effective.slice(0, 10) <= today,
  );
  if (!change?.effective) return undefined;
  const replacement = DOCUMENTED_REMOVAL_REPLACEMENTS[`${endpoint.method} ${endpoint.path}`] ?? change.replacement;
  return removedView(
    catalog,
    {
      product: endpoint.product,
      method: endpoint.method,
      path: endpoint.path,
      ...(endpoint.summary === undefined ? {} : { summary: endpoint.summary }),
      docsUrl: endpoint.docsUrl,
      removedAt: change.effective.slice(0, 10),
      ...(replacement ? { replacement } : {}),
      source: {
        kind: "document",
        ...(change.origin === "v3-twin" ? { title: `announced for its v3 twin, ${v3TwinOf(endpoint.path)}` } : {}),
        ...(change.details ? { url: change.details } : {}),
      },
    },
    options,
  );
}

/**
 * One sentence per removed endpoint: gone since when, per which source, and what to call instead;
 * `replacementRead: false` when the view names the replacement without its record (say nothing of its scopes).
 */
export function removedSentence(
  view: RemovedView,
  { replacementRead = true }: { replacementRead?: boolean } = {},
): string {
  const date = view.removedAt.slice(0, 10);
  const gone =
    view.source.kind === "curated"
      ? `${view.method} ${view.path} was removed by Atlassian on ${date} (Confluence REST API v1 deprecation, CHANGE-864 / RFC-19): calls to it through api.atlassian.com (OAuth 2.0, scoped tokens) answer 410 Gone.`
      : view.source.kind === "document"
        ? `Atlassian's removal of ${view.method} ${view.path} took effect on ${date}${sourceText(view.source)}: its documents still list it, with the scopes shown, but calls to it ${seenGone(view) ? "answer 410 Gone" : "are expected to answer 410 Gone (announced, not yet seen for this endpoint)"}.`
        : `${view.method} ${view.path} is no longer in Atlassian's REST documents: the scrape of catalog version ${view.removedIn} (${date}) found it gone${view.announced?.effective ? `, its last document having announced its removal on ${view.announced.effective}${view.announced.details ? ` (${view.announced.details})` : ""}` : ""}.`;
  const replacement = view.replacement;
  if (!replacement) {
    const last =
      view.lastScopes && view.lastScopes.length > 0 ? ` It last took ${scopeSetsText(view.lastScopes)}.` : "";
    return `${gone}${last} No replacement is recorded: check the product's REST docs for what replaced it.`;
  }
  const scopes = !replacementRead
    ? ""
    : replacement.alternatives === undefined
      ? " (not in this catalog's records, so its scopes are not known here)"
      : replacement.alternatives.length > 0
        ? `, which needs ${scopeSetsText(replacement.alternatives)}`
        : ", for which Atlassian publishes no scopes";
  const docs = replacement.docsUrl ? ` Docs: ${replacement.docsUrl}` : "";
  const note = replacement.note ? ` ${replacement.note}` : "";
  return `${gone} Call ${replacement.method} ${replacement.path} instead${scopes}.${note}${docs}`;
}

/** " (announced for its v3 twin, <changelog link>)", or nothing: what a documented removal cites. */
function sourceText(source: RemovedView["source"]): string {
  const parts = [source.title, source.url].filter(Boolean);
  return parts.length > 0 ? ` (${parts.join(", ")})` : "";
}

function removedFailure(catalog: CatalogIndex, request: RequestPath, removed: RemovedEndpoint[]): Lookup {
  const views = removed.map((item) => removedView(catalog, item));
  const replacements = removed.flatMap((item) => {
    const endpoint = item.replacement && catalog.endpointAt(item.replacement.method, item.replacement.path);
    return endpoint ? [{ removed: item, endpoint }] : [];
  });
  return {
    ok: false,
    code: "endpoint_removed",
    message: views.map((view) => removedSentence(view)).join(" "),
    details: {
      path: request.path,
      template: removed[0]!.path,
      methods: removed.map((item) => item.method),
      removed: views,
    },
    replacements,
  };
}
