/** A pasted path (or URL) and an optional method, resolved to catalog endpoints or a clear failure. No I/O. */
import type { CatalogIndex } from "./catalog-index";
import { parseMethod } from "./http-method";
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
  | { ok: true; request: RequestPath; matchedAs?: string; endpoints: Endpoint[] }
  | { ok: false; code: LookupFailureCode; message: string; details?: Record<string, unknown> };

/**
 * `suggest: false` skips ranking the nearest templates for a path that matches nothing: that costs
 * a fraction of a millisecond each, so a request listing many unmatched paths only ranks the first few.
 */
export function lookupEndpoints(
  catalog: CatalogIndex,
  path: string,
  method?: string,
  options: { suggest?: boolean } = {},
): Lookup {
  const methodRead = parseMethod(method);
  if (!methodRead.ok) return methodRead;
  const verb = methodRead.method;
  const parsed = parseRequestPath(path);
  if (!parsed.ok) return parsed;
  const request = parsed.value;
  const match = catalog.match(request);
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
    return {
      ok: false,
      code: "endpoint_not_found",
      message: `No Atlassian Cloud endpoint in the catalog matches ${request.path}. Check the path against the suggestions, or the product's REST docs.`,
      details: { path: request.path, suggestions },
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
    return { ok: true, request, matchedAs: match.matchedAs, endpoints: withMethod };
  }
  return { ok: true, request, matchedAs: match.matchedAs, endpoints: match.endpoints };
}
