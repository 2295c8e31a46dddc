/** A pasted path (or URL) and an optional method, resolved to catalog endpoints or a clear failure. No I/O. */
import { isHttpMethod, type CatalogIndex } from "./catalog-index";
import { parseRequestPath, type RequestPath } from "./request-path";
import { HTTP_METHODS, type Endpoint } from "./schema";

export type LookupFailureCode =
  | "invalid_path"
  | "path_too_long"
  | "invalid_method"
  | "endpoint_not_found"
  | "method_not_found";

export type Lookup =
  | { ok: true; request: RequestPath; matchedAs?: string; endpoints: Endpoint[] }
  | { ok: false; status: 400 | 404; code: LookupFailureCode; message: string; details?: Record<string, unknown> };

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
  let verb: string | undefined;
  if (method !== undefined && method.trim() !== "") {
    verb = method.trim().toUpperCase();
    if (!isHttpMethod(verb)) {
      return {
        ok: false,
        status: 400,
        code: "invalid_method",
        message: `\`method\` ${JSON.stringify(method.slice(0, 40))} is not an HTTP method; use one of ${HTTP_METHODS.join(", ")}, or leave it out for all methods.`,
      };
    }
  }
  const parsed = parseRequestPath(path);
  if (!parsed.ok) return { ok: false, status: 400, code: parsed.code, message: parsed.message };
  const request = parsed.value;
  const match = catalog.match(request);
  if (match.endpoints.length === 0) {
    const suggestions = options.suggest === false ? [] : catalog.suggestPaths(request);
    return {
      ok: false,
      status: 404,
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
        status: 404,
        code: "method_not_found",
        message: `${template} exists, but not with ${verb}; it takes ${methods.join(", ")}.`,
        details: { path: template, methods },
      };
    }
    return { ok: true, request, matchedAs: match.matchedAs, endpoints: withMethod };
  }
  return { ok: true, request, matchedAs: match.matchedAs, endpoints: match.endpoints };
}
