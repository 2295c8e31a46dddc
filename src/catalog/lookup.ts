/** A pasted path (or URL) and an optional method, resolved to catalog endpoints or a clear failure. No I/O. */
import { type BrowserMapping, browserMapping } from "./browser-urls";
import type { CatalogIndex } from "./catalog-index";
import { parseMethod } from "./http-method";
import { type CallContext, urlNotes, type UrlNote } from "./notes";
import { outsideApi } from "./outside-catalog";
import { parseRequestPath, type RequestPath } from "./request-path";
import type { Endpoint } from "./schema";

export type LookupFailureCode =
  | "invalid_path"
  | "path_too_long"
  | "invalid_method"
  | "endpoint_not_found"
  | "outside_catalog"
  | "method_not_found";

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
    }
  | { ok: false; code: LookupFailureCode; message: string; details?: Record<string, unknown> };

/**
 * `suggest: false` skips ranking the nearest templates for a path that matches nothing: that costs
 * a fraction of a millisecond each, so a request listing many unmatched paths only ranks the first few.
 */
export function lookupEndpoints(
  catalog: CatalogIndex,
  path: string,
  method?: string,
  options: { suggest?: boolean; context?: CallContext } = {},
): Lookup {
  const methodRead = parseMethod(method);
  if (!methodRead.ok) return methodRead;
  const parsed = parseRequestPath(path);
  if (!parsed.ok) return parsed;
  const request = parsed.value;
  let match = catalog.match(request);
  // A page's link (`/browse/ABC-1`, `/wiki/spaces/KEY/pages/123/...`) matches no template as given.
  const browser = match.endpoints.length === 0 ? browserMapping(request) : undefined;
  if (browser) {
    const rest = catalog.match({ ...request, segments: browser.segments, path: `/${browser.segments.join("/")}` });
    if (rest.endpoints.length > 0) match = { endpoints: rest.endpoints, matchedAs: `/${browser.segments.join("/")}` };
  }
  const verb = methodRead.method ?? (browser && match.endpoints.length > 0 ? browser.method : undefined);
  const notesOf = (endpoints: readonly Endpoint[]) =>
    urlNotes({ request, matchedAs: match.matchedAs, browser }, endpoints, options.context);
  if (match.endpoints.length === 0) {
    const outside = outsideApi(request);
    if (outside) {
      const scopes = outside.scopes.length > 0 ? ` Scopes: ${outside.scopes.join(", ")}.` : "";
      return {
        ok: false,
        code: "outside_catalog",
        message: `${request.path} is outside this catalog: ${outside.api}. It authenticates with ${outside.auth}.${scopes} Docs: ${outside.docsUrl}`,
        details: { path: request.path, ...outside },
      };
    }
    const suggestions = options.suggest === false ? [] : catalog.suggestPaths(request);
    // What the URL alone shows (a mistyped host, a gateway without its cloudId) still helps.
    const notes = notesOf([]);
    return {
      ok: false,
      code: "endpoint_not_found",
      message: `No Atlassian Cloud endpoint in the catalog matches ${request.path}. Check the path against the suggestions, or the product's REST docs.${notes.map((note) => ` ${note.message}`).join("")}`,
      details: { path: request.path, suggestions, ...(notes.length > 0 ? { urlNotes: notes } : {}) },
    };
  }
  if (verb) {
    const withMethod = match.endpoints.filter((endpoint) => endpoint.method === verb);
    if (withMethod.length === 0) {
      const methods = match.endpoints.map((endpoint) => endpoint.method);
      const template = match.endpoints[0]!.path;
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
      urlNotes: notesOf(withMethod),
    };
  }
  return {
    ok: true,
    request,
    matchedAs: match.matchedAs,
    browser,
    endpoints: match.endpoints,
    urlNotes: notesOf(match.endpoints),
  };
}
