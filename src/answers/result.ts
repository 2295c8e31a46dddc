/**
 * The one Result of the answer layer: a value, or a failure with a tagged reason. No I/O. The reason
 * is the stable error code clients see; `src/routes/respond.ts` maps each reason to its HTTP status in
 * one table, and the MCP tools and the Slack command word the same failure in their own protocols.
 */

/** Why an answer could not be given. Each is API: keep them stable, add new ones, document each in /openapi.json. */
export type FailureReason =
  // The input, as given, cannot be read.
  | "invalid_request"
  | "invalid_path"
  | "path_too_long"
  | "invalid_method"
  | "invalid_scopes"
  | "too_many_scopes"
  | "too_many_endpoints"
  | "invalid_cursor"
  | "invalid_since"
  | "invalid_har"
  | "no_endpoints"
  // The input is well formed, but the catalog has no such thing.
  | "endpoint_not_found"
  | "method_not_found"
  | "scope_not_found"
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
