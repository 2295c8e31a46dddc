/**
 * What changed between two versions of a product's endpoints. No I/O.
 * Alternatives have no ids, so they are paired across versions: identical sets first, then sets of
 * the same kind by the largest overlap; what stays unpaired was added or removed.
 */
import type { Alternative, ChangeEntry, Endpoint, Product } from "../src/catalog/schema";
import { compareEndpoints } from "./normalize";

export interface ProductRecords {
  endpoints: readonly Endpoint[];
}

export function diffProduct(
  product: Product,
  before: ProductRecords | undefined,
  after: ProductRecords,
): ChangeEntry[] {
  const entries: ChangeEntry[] = [];
  const old = new Map((before?.endpoints ?? []).map((endpoint) => [`${endpoint.method} ${endpoint.path}`, endpoint]));
  const seen = new Set<string>();
  for (const endpoint of [...after.endpoints].sort(compareEndpoints)) {
    const key = `${endpoint.method} ${endpoint.path}`;
    seen.add(key);
    const previous = old.get(key);
    const at = { product, method: endpoint.method, path: endpoint.path };
    if (!previous) {
      entries.push({ type: "endpoint_added", ...at });
      continue;
    }
    entries.push(...diffAlternatives(at, previous.alternatives, endpoint.alternatives));
    if (previous.deprecated !== endpoint.deprecated) {
      entries.push({ type: "deprecated_changed", ...at, from: previous.deprecated, to: endpoint.deprecated });
    }
  }
  for (const [key, endpoint] of old) {
    if (seen.has(key)) continue;
    // The scopes it last took: a scope's subscribers hear of it (changes-query.ts mentionsScope).
    const alternatives = endpoint.alternatives.map(({ kind, state, scopes }) => ({ kind, state, scopes: [...scopes] }));
    entries.push({
      type: "endpoint_removed",
      product,
      method: endpoint.method,
      path: endpoint.path,
      ...(alternatives.length > 0 ? { alternatives } : {}),
    });
  }

  const scopesBefore = usedScopes(before?.endpoints ?? []);
  const scopesAfter = usedScopes(after.endpoints);
  for (const scope of [...scopesAfter].sort())
    if (!scopesBefore.has(scope)) entries.push({ type: "scope_introduced", product, scope });
  for (const scope of [...scopesBefore].sort())
    if (!scopesAfter.has(scope)) entries.push({ type: "scope_retired", product, scope });
  return entries;
}

type At = Pick<Endpoint, "product" | "method" | "path">;

function diffAlternatives(at: At, before: readonly Alternative[], after: readonly Alternative[]): ChangeEntry[] {
  const entries: ChangeEntry[] = [];
  const unpairedBefore = [...before];
  const unpairedAfter: Alternative[] = [];
  for (const alternative of after) {
    const index = unpairedBefore.findIndex((held) => sameScopes(held, alternative));
    if (index < 0) {
      unpairedAfter.push(alternative);
      continue;
    }
    const [held] = unpairedBefore.splice(index, 1);
    if (held && held.state !== alternative.state) {
      entries.push({
        type: "state_changed",
        ...at,
        alternative: ref(alternative),
        scopes: alternative.scopes,
        from: held.state,
        to: alternative.state,
      });
    }
  }
  for (const alternative of unpairedAfter) {
    const index = bestOverlap(unpairedBefore, alternative);
    if (index < 0) {
      entries.push({ type: "alternative_added", ...at, alternative: ref(alternative), scopes: alternative.scopes });
      continue;
    }
    const [held] = unpairedBefore.splice(index, 1);
    if (!held) continue;
    entries.push({
      type: "scopes_changed",
      ...at,
      alternative: ref(alternative),
      added: alternative.scopes.filter((scope) => !held.scopes.includes(scope)),
      removed: held.scopes.filter((scope) => !alternative.scopes.includes(scope)),
    });
    if (held.state !== alternative.state) {
      entries.push({
        type: "state_changed",
        ...at,
        alternative: ref(alternative),
        scopes: alternative.scopes,
        from: held.state,
        to: alternative.state,
      });
    }
  }
  for (const held of unpairedBefore) {
    entries.push({ type: "alternative_removed", ...at, alternative: ref(held), scopes: held.scopes });
  }
  return entries;
}

const ref = (alternative: Alternative) => ({ kind: alternative.kind, state: alternative.state });
const sameScopes = (a: Alternative, b: Alternative) => a.scopes.join(" ") === b.scopes.join(" ");

/** Index of the same-kind alternative sharing the most scopes (same state breaks ties), or -1. */
function bestOverlap(candidates: readonly Alternative[], target: Alternative): number {
  let best = -1;
  let bestScore = 0;
  candidates.forEach((candidate, index) => {
    if (candidate.kind !== target.kind) return;
    const shared = candidate.scopes.filter((scope) => target.scopes.includes(scope)).length;
    const score = shared === 0 ? 0 : shared * 2 + (candidate.state === target.state ? 1 : 0);
    if (score > bestScore) {
      best = index;
      bestScore = score;
    }
  });
  return best;
}

function usedScopes(endpoints: readonly Endpoint[]): Set<string> {
  const used = new Set<string>();
  for (const endpoint of endpoints)
    for (const alternative of endpoint.alternatives) for (const scope of alternative.scopes) used.add(scope);
  return used;
}
