/**
 * The one Result of the answer layer: a value, or a failure with a tagged reason. No I/O. The reason
 * is the stable error code clients see; FAILURE_STATUS below is its HTTP status, which the HTTP edge
 * (src/routes/respond.ts) answers with and the MCP tools quote.
 */
import type { ContentfulStatusCode } from "hono/utils/http-status";

/** Why an answer could not be given. Each is API: keep them stable, add new ones, document each in /openapi.json. */
export type FailureReason =
  // The input, as given, cannot be read.
  | "invalid_request"
  | "credential_detected"
  | "invalid_path"
  | "path_too_long"
  | "invalid_method"
  | "invalid_scopes"
  | "too_many_scopes"
  | "too_many_endpoints"
  | "invalid_cursor"
  | "invalid_since"
  | "invalid_har"
  | "invalid_credential"
  | "no_endpoints"
  // The input is well formed, but the catalog has no such thing.
  | "endpoint_not_found"
  | "outside_catalog"
  | "method_not_found"
  | "scope_not_found"
  // Atlassian removed the endpoint (410 Gone there): the answer names what to call instead.
  | "endpoint_removed"
  // Too much asked at once (MCP: per request), or too often.
  | "answer_too_large"
  | "too_many_tool_calls"
  | "rate_limited"
  // Nothing can be answered right now.
  | "catalog_unavailable";

export interface Failure {
  reason: FailureReason;
  /** What went wrong and how to fix the request. */
  message: string;
  /** Facts that help: suggestions, the methods a path takes, the input that failed. */
  details?: Record<string, unknown>;
}

export type Result<T> = { ok: true; value: T } | { ok: false; failure: Failure };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });

export const fail = <T = never>(
  reason: FailureReason,
  message: string,
  details?: Record<string, unknown>,
): Result<T> => ({ ok: false, failure: details === undefined ? { reason, message } : { reason, message, details } });

/** The status of each failure; its code on the wire is the reason itself. */
export const FAILURE_STATUS: Record<FailureReason, ContentfulStatusCode> = {
  invalid_request: 400,
  credential_detected: 400,
  invalid_path: 400,
  path_too_long: 400,
  invalid_method: 400,
  invalid_scopes: 400,
  too_many_scopes: 400,
  too_many_endpoints: 400,
  invalid_cursor: 400,
  invalid_since: 400,
  invalid_har: 400,
  invalid_credential: 400,
  no_endpoints: 400,
  endpoint_not_found: 404,
  outside_catalog: 404,
  method_not_found: 404,
  scope_not_found: 404,
  endpoint_removed: 410,
  answer_too_large: 400,
  too_many_tool_calls: 400,
  rate_limited: 429,
  catalog_unavailable: 503,
};

/** The failure when no catalog can be read; `advice` says what to do next (GET /health cannot point at itself). */
export const catalogUnavailable = (advice = "Try again shortly; /health says more."): Failure => ({
  reason: "catalog_unavailable",
  message: `No catalog can be served right now: neither KV nor the bundled snapshot could be read. ${advice}`,
});

/**
 * The failure when a stored endpoint fails its check as an answer reads it (shards are parsed on first
 * use): the cache has stopped serving that shard, so the next request gets another version.
 */
export const catalogDamaged = (): Failure => ({
  reason: "catalog_unavailable",
  message:
    "Part of the stored catalog failed its check while answering. Try again: the next answer comes from the version held before it or the bundled snapshot (/health says which).",
});
