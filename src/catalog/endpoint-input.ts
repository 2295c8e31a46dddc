/**
 * The endpoints an integration calls, in the forms users have them: `{method, path}` objects,
 * `METHOD URL` strings or lines of text, or a HAR file's `log.entries` (browser dev tools export).
 * Each is resolved against the catalog; those that match nothing are reported, not fatal. No I/O.
 */
import { lazyPer } from "../lazy";
import type { CatalogIndex } from "./catalog-index";
import { lookupEndpoints } from "./lookup";
import type { CallContext, UrlNote } from "./notes";
import { parseMethod } from "./http-method";
import { MAX_PATH_LENGTH, parseRequestPath, quotedPath, type RequestPathResult } from "./request-path";
import type { Endpoint } from "./schema";

export const MAX_ENDPOINTS = 1000;

export interface EndpointRequest {
  method?: string;
  path: string;
  /** Why the request cannot be read as one call (two methods); set by readEndpoint, answered as invalid_request. */
  refused?: string;
}

/**
 * The request's path as parseRequestPath reads it, parsed once per request object: choosing the
 * shards a body needs, checking a partial catalog and answering each read it (a line of 1,000
 * segments took a cold isolate ~40 µs a parse).
 */
export const requestPathOf = lazyPer((request: EndpointRequest): RequestPathResult => parseRequestPath(request.path));

export interface ResolvedTarget {
  input: { method: string | null; path: string };
  /** Set when the input gave no method and GET was assumed (see resolveRequests). */
  assumedMethod?: "GET";
  endpoints?: Endpoint[];
  /** What was wrong with the URL as given (notes.ts), when anything was. */
  urlNotes?: UrlNote[];
  error?: { code: string; message: string; details?: unknown };
  /** endpoint_removed: the live endpoints to call instead (and the removed `METHOD path` each replaces), which /diff checks and /plan covers. */
  replacements?: { replaces: string; endpoint: Endpoint }[];
}

/**
 * One request as people paste it; blank lines and `#` comments are skipped:
 *   GET https://acme.atlassian.net/rest/api/3/myself            method first (a leading word of letters)
 *   https://acme.atlassian.net/rest/api/3/issue/ABC-1 DELETE     method after the URL
 *   GET /rest/api/3/myself HTTP/1.1                              a request line from logs or dev tools
 *   "GET /rest/api/3/myself"                                     the line, or its URL, in quotes
 *   curl -X POST 'https://...' -H '...' --data '{...}'           a curl command (curlRequest)
 *   https://acme.atlassian.net/rest/api/3/myself                 a URL alone: no method
 * Two different methods (`GET /x DELETE`) set `refused`: which one was meant cannot be known.
 */
export function parseEndpointLine(line: string): EndpointRequest | undefined {
  return plainLine(line) ?? readAnyLine(line);
}

/** A line in any of parseEndpointLine's forms, read by the general walk (exported for its tests). */
export function readAnyLine(line: string): EndpointRequest | undefined {
  const request = splitLine(line);
  return request && readEndpoint(request);
}

/** A method of letters, one space, and a URL of printable ASCII without blanks. */
const PLAIN_LINE = /^([A-Za-z]+) ([!-~]+)$/;

/**
 * What most lines are (`GET /rest/api/3/myself`) as readAnyLine reads them, in about a tenth of its
 * time; undefined for any other line: `curl /x` (a command), a quoted URL (its quotes come off),
 * `HTTP/1.1` as the URL (a request line's version), a line longer than any read.
 */
function plainLine(line: string): EndpointRequest | undefined {
  const plain = line.length <= MAX_LINE_LENGTH ? PLAIN_LINE.exec(line) : null;
  if (!plain) return undefined;
  const method = plain[1]!;
  const path = plain[2]!;
  if (QUOTES[path[0]!] !== undefined || HTTP_VERSION.test(path) || method.toLowerCase() === "curl") return undefined;
  return { method, path };
}

/**
 * A request whose path holds a whole request line (`{path: "/x PUT"}`, GET /scopes?path=GET%20/x) read
 * as parseEndpointLine reads it, its method beside the one given; `refused` when they differ.
 */
export function readEndpoint(request: EndpointRequest, depth = 0): EndpointRequest {
  if (request.refused !== undefined) return request;
  const line = splitLine(request.path);
  if (line === undefined) return request;
  // A curl naming no URL: its refusal, not the command refused as a path with spaces.
  if (line.refused !== undefined) return { ...request, refused: line.refused };
  const given = request.method?.trim() ? request.method.trim() : undefined;
  const pasted = line.method === undefined ? undefined : parseMethod(line.method);
  // A leading word that is no method (`Fetch /x`) is left to the lookup, which names it.
  if (pasted === undefined || !pasted.ok || pasted.method === undefined) {
    if (given === undefined && line.method !== undefined) return line;
    return line.path === request.path || line.method !== undefined ? request : { ...request, path: line.path };
  }
  if (given !== undefined && given.toUpperCase() !== pasted.method)
    return {
      ...request,
      refused: `${given.toUpperCase()} and ${pasted.method} are both given as the method of ${quotedPath(line.path)}: give one (\`${pasted.method} ${quotedPath(line.path)}\`).`,
    };
  // `GET /x DELETE` as a path: its leading method read, the one after it is checked against it. Once:
  // `GET GET GET … /x` is not peeled word by word (each pass reads the whole line), its rest is refused as a path.
  const read = { method: given ?? line.method, path: line.path };
  return read.path === request.path || depth > 0 ? read : readEndpoint(read, depth + 1);
}

const MAX_LINE_LENGTH = MAX_PATH_LENGTH + 64;

const QUOTES: Record<string, string> = { '"': '"', "'": "'", "`": "`", "\u201c": "\u201d", "\u2018": "\u2019" };
/** `HTTP/1.1` as a request line's last word, as servers log it and dev tools show it. */
const HTTP_VERSION = /^HTTP\/\d(?:\.\d)?$/i;

/**
 * Where the text's last word starts (after its last blank), when that word is at most `longest`
 * characters long, else -1 (or when the text is one word). The callers look for a short word (a method,
 * `HTTP/1.1`), so only the text's end is read: a line of 4,000 characters without a blank was walked
 * back whole, twice, in code a fresh isolate runs interpreted.
 */
export function shortLastWordAt(text: string, longest: number): number {
  for (let at = text.length - 1; at > 0 && at >= text.length - longest; at--)
    if (isBlank(text.charCodeAt(at - 1))) return at;
  return -1;
}

const isBlank = (code: number) => code === 32 || (code >= 9 && code <= 13) || code === 160;

/** The text without one pair of quotes around all of it. */
function unquote(text: string): string {
  const close = QUOTES[text[0] ?? ""];
  const inner = close !== undefined && text.length >= 2 && text.endsWith(close) ? text.slice(1, -1).trim() : "";
  return inner === "" ? text : inner;
}

/** The line's method (as typed) and URL, without checking the method: readEndpoint does. */
function splitLine(line: string): EndpointRequest | undefined {
  let text = line.trim();
  // Longer than any path accepted with its method and `HTTP/1.1`: refused as path_too_long, unread.
  if (text.length > MAX_LINE_LENGTH) return { path: text };
  text = unquote(text);
  if (text === "" || text.startsWith("#")) return undefined;
  if (/^curl\s/i.test(text)) return curlRequest(text);
  const version = shortLastWordAt(text, "HTTP/1.1".length);
  if (version > 0 && HTTP_VERSION.test(text.slice(version))) text = text.slice(0, version).trimEnd();
  // `METHOD rest`: the first word, if all letters, is the method; the rest (its blanks made single spaces) the path.
  let method: string | undefined;
  const space = text.search(/\s/);
  if (space >= 0 && /^[a-z]+$/i.test(text.slice(0, space))) {
    method = text.slice(0, space);
    text = text.slice(space).trimStart();
  }
  // `URL METHOD`: a last word that is an HTTP method, unless it is a second one (readEndpoint refuses that).
  const lastAt = shortLastWordAt(text, "OPTIONS".length);
  const lastWord = lastAt > 0 ? text.slice(lastAt) : undefined;
  const after = lastWord !== undefined ? parseMethod(lastWord) : undefined;
  if (
    lastWord !== undefined &&
    after?.ok &&
    after.method &&
    (method === undefined || method.toUpperCase() === after.method)
  ) {
    method ??= lastWord;
    text = text.slice(0, lastAt).trimEnd();
  }
  if (method === undefined) return { path: text };
  if (/\s/.test(text)) text = text.replace(/\s+/g, " ");
  return { method, path: unquote(text) };
}

/** curl options whose value is the next word (or the rest of the word, for a one-letter option). */
const CURL_VALUE_OPTIONS = new Set(
  "-H --header -u --user -A --user-agent -b --cookie -c --cookie-jar -e --referer -o --output -w --write-out -x --proxy -U --proxy-user -m --max-time --connect-timeout --retry -K --config --cacert --cert -E --key -F --form --form-string -T --upload-file -r --range -z --time-cond --resolve --connect-to --oauth2-bearer".split(
    " ",
  ),
);
/** Options that send a body: without `-X`, curl then makes a POST. */
const CURL_DATA_OPTIONS = new Set(
  "-d --data --data-raw --data-binary --data-ascii --data-urlencode --json -F --form --form-string".split(" "),
);

/**
 * `curl [options] URL`: its URL (or `--url`), and its method as curl chooses it: `-X`/`--request`, else
 * HEAD for `-I`, PUT for `-T`, POST for a body (`-d`, `--data*`, `--json`, `-F`) unless `-G` makes it a
 * query, else GET. Other options are skipped with their values. Credentials (`-u`, an Authorization
 * header) never get this far: the credential guard refuses them (secret-scan.ts).
 */
function curlRequest(text: string): EndpointRequest {
  const words = shellWords(text).slice(1);
  let method: string | undefined;
  let url: string | undefined;
  let body = false;
  let query = false;
  let implied: string | undefined;
  for (let at = 0; at < words.length; at++) {
    const word = words[at]!;
    if (word === "-X" || word === "--request") method = words[++at];
    else if (/^-X[A-Za-z]+$/.test(word)) method = word.slice(2);
    else if (/^-[A-Za-z]{2,}$/.test(word)) {
      // Short options run together (`-sSu user`, `-sX POST`, `-sI`): flags, then the last may take the next word.
      for (const letter of word.slice(1, -1)) {
        if (letter === "I") implied = "HEAD";
        else if (letter === "G") query = true;
      }
      const last = word.slice(-1);
      if (last === "X") method = words[++at];
      else if (last === "I") implied = "HEAD";
      else if (last === "G") query = true;
      else if (last === "T") {
        implied = "PUT";
        at++;
      } else if (CURL_DATA_OPTIONS.has(`-${last}`)) {
        body = true;
        at++;
      } else if (CURL_VALUE_OPTIONS.has(`-${last}`)) at++;
    } else if (word === "--url") url = words[++at];
    else if (word === "-G" || word === "--get") query = true;
    else if (word === "-I" || word === "--head") implied = "HEAD";
    else if (word === "-T" || word === "--upload-file") {
      implied = "PUT";
      at++;
    } else if (CURL_DATA_OPTIONS.has(word)) {
      body = true;
      at++;
    } else if (/^-d./.test(word) || /^--data[\w-]*=/.test(word)) body = true;
    else if (CURL_VALUE_OPTIONS.has(word)) at++;
    else if (!word.startsWith("-") && url === undefined) url = word;
  }
  method ??= implied ?? (body && !query ? "POST" : "GET");
  if (url === undefined || url === "") return { path: text, refused: CURL_WITHOUT_URL };
  return { method, path: url };
}

/** The refusal of a curl command naming no URL (Slack says it in its own words: slack-command.ts). */
export const CURL_WITHOUT_URL = "The curl command names no URL: give the URL it calls (`curl -X GET https://...`).";

/**
 * A command line's words as a POSIX shell splits them: quotes kept together, `\\` escapes, line continuations.
 * Curly quotes (“…”, ‘…’), which chat apps and word processors put in place of straight ones, quote as
 * those would: a word opened by one ends at its closing mate (or the same mark, as some apps write both
 * ends); an ’ inside a word (`don’t`) stays an apostrophe.
 */
function shellWords(text: string): string[] {
  const words: string[] = [];
  let word: string | undefined;
  for (let at = 0; at < text.length; at++) {
    const char = text[at]!;
    const curly = CURLY_QUOTES[char];
    if (char === "'" || char === '"') {
      const end = text.indexOf(char, at + 1);
      const stop = end < 0 ? text.length : end;
      word = (word ?? "") + text.slice(at + 1, stop);
      at = stop;
    } else if (curly !== undefined && (word === undefined || char === "\u201c" || char === "\u201d")) {
      let stop = at + 1;
      while (stop < text.length && !curly.includes(text[stop]!)) stop++;
      word = (word ?? "") + text.slice(at + 1, stop);
      at = stop;
    } else if (char === "\\") {
      const next = text[++at];
      // `\` then a newline continues the command; any other escaped character is itself.
      if (next !== undefined && next !== "\n" && next !== "\r") word = (word ?? "") + next;
    } else if (/\s/.test(char)) {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else word = (word ?? "") + char;
  }
  if (word !== undefined) words.push(word);
  return words;
}

/** Each curly quote and the marks that close what it opens. */
const CURLY_QUOTES: Record<string, string> = {
  "\u201c": "\u201d\u201c",
  "\u201d": "\u201d\u201c",
  "\u2018": "\u2019\u2018",
  "\u2019": "\u2019\u2018",
};

export function parseEndpointText(text: string): EndpointRequest[] {
  return text.split(/\r?\n/).flatMap((line) => parseEndpointLine(line) ?? []);
}

/** Whether a HAR request is an Atlassian REST call: the rest (pages, scripts, images, GraphQL) is noise. */
function isApiCall(url: URL): boolean {
  const host = url.hostname.toLowerCase();
  if (host === "api.bitbucket.org") return true;
  if (host === "api.atlassian.com") return /^\/(ex|jsm)\//.test(url.pathname);
  if (host.endsWith(".atlassian.net")) return /^\/(rest|wiki\/rest|wiki\/api)\//.test(url.pathname);
  return false;
}

/**
 * The API calls in a HAR document (or its `log`, or its `log.entries`). Returns the requests and how
 * many entries were skipped as not Atlassian API calls (CORS preflights among them).
 */
export function parseHar(har: unknown): { requests: EndpointRequest[]; ignored: number } | { error: string } {
  const root = har as { log?: { entries?: unknown }; entries?: unknown } | unknown[] | null;
  const entries = Array.isArray(root)
    ? root
    : ((root as { log?: { entries?: unknown } })?.log?.entries ?? (root as { entries?: unknown })?.entries);
  if (!Array.isArray(entries))
    return {
      error: 'the HAR has no `log.entries` list; export it from the browser\'s network panel with "Save all as HAR".',
    };
  const requests: EndpointRequest[] = [];
  const seen = new Set<string>();
  let ignored = 0;
  for (const entry of entries) {
    const request = (entry as { request?: { method?: unknown; url?: unknown } })?.request;
    const url = typeof request?.url === "string" ? request.url : undefined;
    const method = typeof request?.method === "string" ? request.method : undefined;
    let parsed: URL | undefined;
    try {
      parsed = url ? new URL(url) : undefined;
    } catch {
      // not a URL: ignored below
    }
    // A browser's CORS preflight (OPTIONS) is no API call of the app's: it needs no scope.
    if (!url || !method || !parsed || !isApiCall(parsed) || method.toUpperCase() === "OPTIONS") {
      ignored++;
      continue;
    }
    // A page repeats the same call many times: only distinct calls count toward the limit.
    const key = `${method.toUpperCase()} ${parsed.host}${parsed.pathname}`;
    if (seen.has(key)) continue;
    seen.add(key);
    requests.push({ method, path: url });
  }
  return { requests, ignored };
}

/** Unmatched inputs per request that get nearest-template suggestions; the rest get none. */
const MAX_SUGGESTED = 10;

/** What a request without a method resolves to: GET, so that a bare URL never adds write or delete scopes. */
export const BARE_URL_METHOD = "GET" as const;

/**
 * Resolves each request against the catalog, one result per request, in order (callers merge repeats).
 * A request without a method is GET (`assumedMethod`): a plan or a diff of a pasted URL is about the
 * call it makes, and every method of the template would add write and delete scopes nobody asked for.
 */
export function resolveRequests(
  catalog: CatalogIndex,
  requests: readonly EndpointRequest[],
  context?: CallContext,
): ResolvedTarget[] {
  let suggested = 0;
  return requests.map((request) => {
    const { method, path } = request;
    const given = method?.trim() ? method.trim().toUpperCase() : null;
    const input = { method: given, path };
    if (request.refused !== undefined) return { input, error: { code: "invalid_request", message: request.refused } };
    const verb = given ?? BARE_URL_METHOD;
    const assumed: Pick<ResolvedTarget, "assumedMethod"> = given === null ? { assumedMethod: BARE_URL_METHOD } : {};
    // Suggestions are ranked only for a path that matches nothing, so one lookup asks for them while
    // the budget lasts, and a miss spends it.
    // Not kept: a warm isolate serving the whole catalog reads each path here only, and keeping it cost
    // about 0.4 µs a line; a partial catalog's check (answers/partial-catalog.ts) read and kept it already.
    const found = lookupEndpoints(catalog, requestPathOf.unkept(request), verb, {
      suggest: suggested < MAX_SUGGESTED,
      context,
    });
    if (!found.ok && found.code === "endpoint_not_found" && suggested < MAX_SUGGESTED) suggested++;
    if (found.ok)
      return found.urlNotes.length > 0
        ? { input, ...assumed, endpoints: found.endpoints, urlNotes: found.urlNotes }
        : { input, ...assumed, endpoints: found.endpoints };
    const message =
      given === null && found.code === "method_not_found"
        ? `${found.message} No method was given, so ${BARE_URL_METHOD} was assumed: give the method (\`POST ${path}\`).`
        : found.message;
    const error = { code: found.code, message, details: found.details };
    const replacements =
      found.replacements?.map(({ removed, endpoint }) => ({
        replaces: `${removed.method} ${removed.path}`,
        endpoint,
      })) ?? [];
    return replacements.length > 0 ? { input, ...assumed, error, replacements } : { input, ...assumed, error };
  });
}
