/**
 * The endpoints an integration calls, in the forms users have them: `{method, path}` objects,
 * `METHOD URL` strings or lines of text, or a HAR file's `log.entries` (browser dev tools export).
 * Each is resolved against the catalog; those that match nothing are reported, not fatal. No I/O.
 */
import { lazyPer } from "../lazy";
import type { CatalogIndex } from "./catalog-index";
import { lookupEndpoints } from "./lookup";
import type { CallContext, UrlNote } from "./notes";
import { parseRequestPath, type RequestPathResult } from "./request-path";
import type { Endpoint } from "./schema";

export const MAX_ENDPOINTS = 1000;

export interface EndpointRequest {
  method?: string;
  path: string;
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

/** `GET https://...` or just a URL; blank lines and `#` comments are skipped. */
export function parseEndpointLine(line: string): EndpointRequest | undefined {
  const text = line.trim();
  if (text === "" || text.startsWith("#")) return undefined;
  // `METHOD rest`: the first word, if all letters, is the method; the rest (its blanks made single spaces) the path.
  const space = text.search(/\s/);
  if (space < 0) return { path: text };
  const first = text.slice(0, space);
  if (!/^[a-z]+$/i.test(first)) return { path: text };
  const rest = text.slice(space).trimStart();
  return { method: first, path: /\s/.test(rest) ? rest.replace(/\s+/g, " ") : rest };
}

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
    const verb = given ?? BARE_URL_METHOD;
    const assumed: Pick<ResolvedTarget, "assumedMethod"> = given === null ? { assumedMethod: BARE_URL_METHOD } : {};
    // Suggestions are ranked only for a path that matches nothing, so one lookup asks for them while
    // the budget lasts, and a miss spends it.
    const found = lookupEndpoints(catalog, requestPathOf(request), verb, {
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
