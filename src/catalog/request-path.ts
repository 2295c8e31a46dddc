/**
 * Whatever a user pastes, as the request path the catalog knows. No I/O. Returns a Result, never throws.
 *   /rest/api/3/issue/ABC-1                                   as is
 *   https://acme.atlassian.net/rest/api/3/issue/ABC-1         site URL
 *   https://api.atlassian.com/ex/jira/{cloudId}/rest/...      scoped-token gateway (also /ex/confluence/...)
 *   https://api.bitbucket.org/2.0/repositories/ws/repo        Bitbucket
 *   https://api.atlassian.com/jsm/assets/workspace/{id}/v1/.. Assets
 * Query strings and fragments are dropped, percent-encoding decoded, a trailing slash tolerated; a raw
 * space before them is refused (invalid_path): it is never part of a real request path.
 */

/** Longer inputs are refused: no real request path comes near it. */
export const MAX_PATH_LENGTH = 4096;

export type Gateway = "jira" | "confluence";

export interface RequestPath {
  /** Decoded path segments joined with "/", leading slash, no trailing slash. */
  path: string;
  /** Decoded segments, for matching (a decoded segment may itself contain "/"). */
  segments: string[];
  host?: string;
  /** Set when the URL went through api.atlassian.com/ex/{product}/{cloudId}. */
  gateway?: Gateway;
  cloudId?: string;
  /** `/ex/jira/rest/...`: the gateway prefix without its cloudId (notes say so). */
  missingCloudId?: true;
  /** `/ex/bitbucket/{id}/2.0/...`: a gateway that does not exist, read as Bitbucket's path (notes say so). */
  bitbucketGateway?: true;
}

export type RequestPathResult =
  | { ok: true; value: RequestPath }
  | { ok: false; code: "invalid_path" | "path_too_long"; message: string };

/** First segments of the APIs behind the gateway: never a cloudId. */
const API_ROOTS = new Set(["rest", "wiki", "api"]);

const HOST_LIKE = /^[a-z0-9-]+(\.[a-z0-9-]+)+(:\d+)?$/i;
const CONTROL = /[\u0000-\u001f\u007f]/;
const LONG_PATH = 256;
/** `/`, then non-empty segments without `%` that are not `.` or `..`, and at most a trailing `/`. */
const PLAIN_PATH = /^(?:\/(?!\.\.?(?:\/|$))[^/%]+)*\/?$/;

export function parseRequestPath(input: string): RequestPathResult {
  const text = input.trim();
  if (text === "")
    return invalid("`path` is empty: give a request path such as /rest/api/3/issue/ABC-1, or a full URL.");
  if (text.length > MAX_PATH_LENGTH) {
    return {
      ok: false,
      code: "path_too_long",
      message: `\`path\` is ${text.length} characters; at most ${MAX_PATH_LENGTH} are accepted.`,
    };
  }
  if (CONTROL.test(text)) return invalid("`path` contains control characters; paste the URL or path as plain text.");

  let rest = text;
  let host: string | undefined;
  // The common case, a bare path, skips the URL forms.
  if (text.charCodeAt(0) !== 47 /* / */ || text.charCodeAt(1) === 47) {
    const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(rest);
    if (scheme) {
      if (!/^https?$/i.test(scheme[1] ?? ""))
        return invalid(`\`path\` uses the ${scheme[1]}: scheme; give an https URL or a path.`);
      [host, rest] = splitHost(rest.slice(scheme[0].length));
    } else if (rest.startsWith("//") && looksLikeHost(rest.slice(2))) {
      [host, rest] = splitHost(rest.slice(2));
    } else if (!rest.startsWith("/")) {
      // `acme.atlassian.net/rest/...` without a scheme, or a path without its leading slash.
      if (looksLikeHost(rest)) [host, rest] = splitHost(rest);
      else rest = `/${rest}`;
    }
  }

  // Query strings and fragments are dropped; so are leading, trailing and doubled slashes.
  let end = rest.length;
  const query = rest.indexOf("?");
  if (query >= 0) end = query;
  const fragment = rest.indexOf("#");
  if (fragment >= 0 && fragment < end) end = fragment;
  // No id in these APIs holds a raw space, and clients send one as %20: a space here is text pasted
  // beside the URL (a word after it, a second URL), which matching would read into a `{param}`.
  const blank = rest.indexOf(" ");
  if (blank >= 0 && blank < end) {
    const start = rest.lastIndexOf("/", blank) + 1;
    const slash = rest.indexOf("/", blank);
    const segment = rest.slice(start, slash < 0 || slash > end ? end : slash);
    return invalid(
      `\`path\` has a space in "${quotedPath(segment)}", and no request path holds one: give only the URL (a method goes before it, \`PUT /rest/api/3/issue/ABC-1\`), and write a space in an id as %20.`,
    );
  }
  // A long path with nothing to decode and no empty, `.` or `..` segment is split in native code: one
  // of 1,000 segments took ~120 µs segment by segment in a fresh isolate's interpreter. Short ones
  // (every real path) take the loop, ~10% faster warm than the expression and the split.
  const plain = end > LONG_PATH ? rest.slice(0, end) : "";
  if (plain !== "" && PLAIN_PATH.test(plain)) {
    const segments = plain.split("/");
    segments.shift();
    if (segments[segments.length - 1] === "") segments.pop();
    return withGateway(segments, host);
  }
  const segments: string[] = [];
  for (let start = 0; start < end; ) {
    let slash = rest.indexOf("/", start);
    if (slash < 0 || slash > end) slash = end;
    if (slash > start) {
      const part = rest.slice(start, slash);
      let decoded = part;
      // Decoding is needed only where a `%` is; the text was already checked for control characters.
      if (part.includes("%")) {
        try {
          decoded = decodeURIComponent(part);
        } catch {
          return invalid(
            `\`path\` has invalid percent-encoding in "${part}"; encode "%" as %25 or paste the URL as your client sends it.`,
          );
        }
      }
      if (decoded === "." || decoded === "..")
        return invalid("`path` contains . or .. segments; give the path as the API is called.");
      if (decoded !== part && CONTROL.test(decoded))
        return invalid("`path` contains percent-encoded control characters; no Atlassian endpoint takes them.");
      segments.push(decoded);
    }
    start = slash + 1;
  }
  return withGateway(segments, host);
}

/** The parsed path, read through api.atlassian.com/ex/{product}/{cloudId} when it came that way. */
function withGateway(segments: string[], host: string | undefined): RequestPathResult {
  const value: RequestPath = { path: "", segments, host };
  // https://bitbucket.org/api/2.0/...: Bitbucket's API under its site's older prefix; read as /2.0/...
  // (notes.ts hostTypo then names api.bitbucket.org).
  if (host === "bitbucket.org" && segments[0] === "api" && segments[1] === "2.0") segments.shift();
  // https://api.atlassian.com/ex/jira/{cloudId}/rest/... is the same request as .../rest/... on the site.
  if (segments[0] === "ex" && (segments[1] === "jira" || segments[1] === "confluence") && segments.length >= 3) {
    value.gateway = segments[1];
    // `/ex/jira/rest/api/3/...`: the cloudId was left out, not "rest" given as one.
    if (API_ROOTS.has(segments[2]!)) {
      value.missingCloudId = true;
      segments.splice(0, 2);
    } else {
      value.cloudId = segments[2];
      segments.splice(0, 3);
    }
  }
  // api.atlassian.com has no Bitbucket gateway (its document's server is api.bitbucket.org/2.0), but
  // `/ex/bitbucket/{id}/2.0/...` is an easy guess from the others: read the path that follows it.
  else if (
    segments[0] === "ex" &&
    segments[1] === "bitbucket" &&
    (host === undefined || host === "api.atlassian.com")
  ) {
    const version = segments.indexOf("2.0", 2);
    if (version === 2 || version === 3) {
      value.bitbucketGateway = true;
      segments.splice(0, version);
    }
  }
  value.path = `/${segments.join("/")}`;
  return { ok: true, value };
}

/**
 * A path whose start was pasted twice, with one copy removed: a URL pasted after itself or after its
 * base (`https://acme.atlassian.net/https://acme.atlassian.net/rest/...`, parsed as the segments
 * `https:`, `acme.atlassian.net`, ...), the gateway prefix again (`/ex/jira/{cloudId}/ex/jira/{cloudId}/rest/...`,
 * whose first copy withGateway took), or a repeated run of leading segments (`/wiki/wiki/rest/...`,
 * `/rest/api/3/rest/api/3/issue/...`, the shortest run). Undefined when the path starts with none of these.
 * Tried once per path, in time linear in its length (the run is found with a Z-array over the segments),
 * for suggestions: a doubled prefix's repair that matches is the first suggestion (catalog-index.ts).
 */
export function withoutDoubledPrefix(request: RequestPath): RequestPath | undefined {
  const segments = request.segments;
  // A second URL: its scheme (`https:` once `//` collapsed) and host, then possibly its gateway prefix.
  if (/^https?:$/i.test(segments[0] ?? "") && HOST_LIKE.test(segments[1] ?? "")) {
    const repaired = withGateway(segments.slice(2), segments[1]!.toLowerCase());
    return repaired.ok ? { ...repaired.value, gateway: repaired.value.gateway ?? request.gateway } : undefined;
  }
  // The gateway's prefix again, behind the one already read.
  if (request.gateway && segments[0] === "ex" && (segments[1] === "jira" || segments[1] === "confluence")) {
    const repaired = withGateway(segments.slice(), request.host);
    return repaired.ok && repaired.value.segments.length < segments.length ? repaired.value : undefined;
  }
  const run = shortestLeadingRun(segments);
  if (run === 0) return undefined;
  const rest = segments.slice(run);
  return { ...request, segments: rest, path: `/${rest.join("/")}` };
}

/**
 * The length of the shortest run of leading segments that is repeated right after itself, or 0: the
 * least k with z[k] >= k, z being the Z-array (z[k] = how many segments from k equal those from 0),
 * built in O(segments) comparisons.
 */
function shortestLeadingRun(segments: readonly string[]): number {
  const length = segments.length;
  const z = new Int32Array(length);
  for (let k = 1, left = 0, right = 0; 2 * k <= length; k++) {
    let same = k < right ? Math.min(right - k, z[k - left]!) : 0;
    while (k + same < length && segments[same] === segments[k + same]) same++;
    z[k] = same;
    if (same >= k) return k;
    if (k + same > right) {
      left = k;
      right = k + same;
    }
  }
  return 0;
}

/** The host at the start of `rest` and what follows it (`/` when nothing does). */
function splitHost(rest: string): [string, string] {
  const end = rest.search(/[/?#]/);
  const authority = end < 0 ? rest : rest.slice(0, end);
  // Credentials in a URL are never kept, and the port says nothing about which API it is.
  return [authority.replace(/^.*@/, "").replace(/:\d+$/, "").toLowerCase(), end < 0 ? "/" : rest.slice(end)];
}

/** The text up to the first `/` is a host (`acme.atlassian.net`, `user:token@host:443`), not a path segment. */
function looksLikeHost(text: string): boolean {
  const authority = (text.split(/[/?#]/, 1)[0] ?? "").replace(/^.*@/, "");
  return HOST_LIKE.test(authority) && /[a-z]/i.test(authority.replace(/:\d+$/, "").split(".").pop() ?? "");
}

/** Paths longer than this are quoted by their ends in messages (quotedPath). */
const QUOTED_PATH_LENGTH = 160;

/**
 * A path as a message quotes it: whole when short, else its first 100 and last 40 characters with its
 * length, so that a pasted 4 KB path is not repeated in every message about it (`details.path` and
 * the input keep it whole).
 */
export function quotedPath(path: string): string {
  if (path.length <= QUOTED_PATH_LENGTH) return path;
  // Never between the halves of a surrogate pair.
  const isHigh = (at: number) => (path.charCodeAt(at) & 0xfc00) === 0xd800;
  const head = isHigh(99) ? 99 : 100;
  const tail = isHigh(path.length - 41) ? path.length - 41 : path.length - 40;
  return `${path.slice(0, head)}…${path.slice(tail)} (${path.length} characters)`;
}

function invalid(message: string): RequestPathResult {
  return { ok: false, code: "invalid_path", message };
}
