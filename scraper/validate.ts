/**
 * Gates a product's new records must pass before they are published. No I/O. Returns a Result, never throws.
 * A product that fails keeps its last good version; the others still publish.
 */
import { z } from "zod";
import { EndpointSchema, ScopeRecordSchema, type Endpoint, type ShardPointer } from "../src/catalog/schema";
import type { NormalizedProduct } from "./normalize";
import type { Canary } from "./sources";

/** A new version may lose at most this share of the previous version's endpoints (or of those with scopes). */
export const MAX_SHRINK = 0.1;

/*
 * Growth gates: a document that gains tens of thousands of operations (a generator bug, or a hostile copy)
 * must not become a shard every cold isolate parses. Today's documents (../shared/atlassian-docs, measured
 * on the committed snapshot): the largest product, Jira (platform v2 + v3), has 1,126 endpoints and an
 * 857 KiB shard, of which 835 KiB are the records measured here (routes and document metadata are the
 * rest); the others have 54-348 endpoints and 34-241 KiB. No segment has more than 2 parameters (Bitbucket's
 * `{repo_name}-issues-{task_id}.zip`), no template more than 5. Each limit leaves several times today's
 * figures for Atlassian's growth and stays far below what hurts: KV takes 25 MiB per value, but a
 * Free-plan request has 10 ms of CPU to parse a shard. A deliberate jump past a limit (a new document
 * added to a product) is a code change, which raises the limit with it.
 */

/** A new version may at most double the previous version's endpoints, or add MIN_GROWTH_ALLOWANCE to a small product. */
export const MAX_GROWTH = 1;
/** Small products grow by whole API groups, which can double 54 endpoints (Assets) in one release. */
export const MIN_GROWTH_ALLOWANCE = 100;
/** Endpoints per product: 4.4 times Jira's 1,126. */
export const MAX_ENDPOINTS = 5_000;
/** UTF-8 bytes of a product's records as JSON: 4.9 times Jira's 835 KiB. */
export const MAX_RECORD_BYTES = 4 * 1024 * 1024;
/** Parameters in one path segment: twice today's most (2). The matcher scans them in linear time anyway. */
export const MAX_PARAMS_PER_SEGMENT = 4;

export type ValidationFailureReason =
  | "schema_invalid"
  | "no_endpoints"
  | "too_many_endpoints"
  | "grew"
  | "too_large"
  | "path_too_complex"
  | "shrank"
  | "scopes_vanished"
  | "canary_failed";
export type ValidationResult = { ok: true } | { ok: false; reason: ValidationFailureReason; message: string };

const RecordsSchema = z.object({ endpoints: z.array(EndpointSchema()), scopes: z.array(ScopeRecordSchema()) });

export function validateProduct(
  normalized: NormalizedProduct,
  canaries: readonly Canary[],
  previous: ShardPointer | undefined,
): ValidationResult {
  // Size first, on counts and a linear scan: a huge product is refused before zod walks every record.
  const size = checkSize(normalized, previous);
  if (size) return size;
  const parsed = RecordsSchema.safeParse(normalized);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.join(".") ?? "";
    return {
      ok: false,
      reason: "schema_invalid",
      message: `record ${where} is invalid: ${issue?.message ?? "unknown"}`,
    };
  }
  const total = normalized.endpoints.length;
  if (total === 0) return { ok: false, reason: "no_endpoints", message: "the documents yielded no endpoints" };

  if (previous) {
    const floor = Math.ceil(previous.endpoints * (1 - MAX_SHRINK));
    if (total < floor) {
      return {
        ok: false,
        reason: "shrank",
        message: `${total} endpoints, down from ${previous.endpoints}: losing more than ${MAX_SHRINK * 100}% at once looks like a broken document`,
      };
    }
    const withScopes = normalized.endpoints.filter((endpoint) => endpoint.hasScopes).length;
    const scopedFloor = Math.ceil(previous.endpointsWithScopes * (1 - MAX_SHRINK));
    if (withScopes < scopedFloor) {
      return {
        ok: false,
        reason: "scopes_vanished",
        message: `${withScopes} endpoints publish scopes, down from ${previous.endpointsWithScopes}: scope information vanished from the documents`,
      };
    }
  }

  for (const canary of canaries) {
    const failure = checkCanary(normalized.endpoints, canary);
    if (failure) return { ok: false, reason: "canary_failed", message: failure };
  }
  return { ok: true };
}

/** The growth gates: endpoints (absolute, then against the previous version), parameters per segment, bytes. */
function checkSize(
  normalized: NormalizedProduct,
  previous: ShardPointer | undefined,
): Extract<ValidationResult, { ok: false }> | undefined {
  // Not a list: the schema check that follows names the problem.
  if (!Array.isArray(normalized.endpoints)) return undefined;
  const total = normalized.endpoints.length;
  if (total > MAX_ENDPOINTS) {
    return {
      ok: false,
      reason: "too_many_endpoints",
      message: `${total} endpoints, over the limit of ${MAX_ENDPOINTS}: no Atlassian document comes close`,
    };
  }
  if (previous) {
    const ceiling = Math.max(
      Math.floor(previous.endpoints * (1 + MAX_GROWTH)),
      previous.endpoints + MIN_GROWTH_ALLOWANCE,
    );
    if (total > ceiling) {
      return {
        ok: false,
        reason: "grew",
        message: `${total} endpoints, up from ${previous.endpoints}: more than doubling at once looks like a broken document`,
      };
    }
  }
  for (const endpoint of normalized.endpoints) {
    const path = typeof endpoint?.path === "string" ? endpoint.path : "";
    const most = mostParamsPerSegment(path);
    if (most > MAX_PARAMS_PER_SEGMENT) {
      return {
        ok: false,
        reason: "path_too_complex",
        message: `${endpoint.method} ${path.slice(0, 200)} has ${most} parameters in one segment, over the limit of ${MAX_PARAMS_PER_SEGMENT}`,
      };
    }
  }
  const bytes = new TextEncoder().encode(JSON.stringify(normalized)).length;
  if (bytes > MAX_RECORD_BYTES) {
    return {
      ok: false,
      reason: "too_large",
      message: `the records take ${formatKiB(bytes)}, over the limit of ${formatKiB(MAX_RECORD_BYTES)}: every cold isolate would parse them`,
    };
  }
  return undefined;
}

/** The most `{name}` parameters in any one segment of a path template; a plain scan, no regex. */
export function mostParamsPerSegment(path: string): number {
  let most = 0;
  let inSegment = 0;
  for (let index = 0; index < path.length; index++) {
    const char = path.charCodeAt(index);
    if (char === 0x2f)
      inSegment = 0; // /
    else if (char === 0x7b && ++inSegment > most) most = inSegment; // {
  }
  return most;
}

function formatKiB(bytes: number): string {
  return `${Math.round(bytes / 1024).toLocaleString("en-US")} KiB`;
}

/** Why the canary fails, or undefined when it holds. */
export function checkCanary(endpoints: readonly Endpoint[], canary: Canary): string | undefined {
  const name = `${canary.method} ${canary.path}`;
  const endpoint = endpoints.find((candidate) => candidate.method === canary.method && candidate.path === canary.path);
  if (!endpoint) return `canary ${name} is missing`;
  const holds = endpoint.alternatives.some((alternative) => {
    if (canary.exactly) {
      const want = [...canary.exactly].sort().join(" ");
      return alternative.scopes.join(" ") === want;
    }
    const includes = canary.includes ?? [];
    return (
      (!canary.kind || alternative.kind === canary.kind) &&
      includes.every((scope) => alternative.scopes.includes(scope))
    );
  });
  if (holds) return undefined;
  const want = canary.exactly
    ? `exactly ${canary.exactly.join(" + ")}`
    : `${canary.kind ?? "a"} set with ${canary.includes?.join(" + ")}`;
  const have = endpoint.alternatives.map((alternative) => alternative.scopes.join(" + ")).join(" | ") || "no scopes";
  return `canary ${name} must accept ${want}; the new version has ${have}`;
}
