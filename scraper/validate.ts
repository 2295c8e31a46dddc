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

export type ValidationFailureReason =
  | "schema_invalid"
  | "no_endpoints"
  | "shrank"
  | "scopes_vanished"
  | "canary_failed";
export type ValidationResult = { ok: true } | { ok: false; reason: ValidationFailureReason; message: string };

const RecordsSchema = z.object({ endpoints: z.array(EndpointSchema), scopes: z.array(ScopeRecordSchema) });

export function validateProduct(
  normalized: NormalizedProduct,
  canaries: readonly Canary[],
  previous: ShardPointer | undefined,
): ValidationResult {
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
