/**
 * Splitting a plan over several tokens when it exceeds the cap (service-account tokens hold at most
 * 50 scopes). Each endpoint keeps its chosen scope set; endpoints are packed so that tokens share
 * scopes where they can: greedily, then exactly by branch and bound within a node budget. `optimal`
 * says the fewest tokens were proven. No I/O.
 */

/** The most scopes per token a split may be asked for (`maxScopes` runs from 1 to this). */
export const MAX_SCOPES_PER_TOKEN = 500;

export interface TokenSplit {
  tokens: { scopes: string[]; endpoints: number[] }[];
  /** Endpoints whose own set exceeds the cap: no token can serve them. */
  unfit: number[];
  /** No split uses fewer tokens than this. */
  lowerBound: number;
  optimal: boolean;
}

export function splitTokens(sets: readonly (readonly string[])[], maxScopes: number): TokenSplit {
  const unfit: number[] = [];
  const order: number[] = [];
  sets.forEach((scopes, index) => {
    if (scopes.length === 0) return;
    if (scopes.length > maxScopes) unfit.push(index);
    else order.push(index);
  });
  // Largest sets first (first-fit decreasing), each into the token it grows least, the fullest on ties.
  order.sort((a, b) => sets[b]!.length - sets[a]!.length || a - b);
  const tokens: { scopes: Set<string>; endpoints: number[] }[] = [];
  // Indexed loops, no closure per (set, token) pair: a cold isolate runs this interpreted.
  for (let position = 0; position < order.length; position++) {
    const index = order[position]!;
    const scopes = sets[index]!;
    let target: (typeof tokens)[number] | undefined;
    let targetGrowth = Number.POSITIVE_INFINITY;
    for (let at = 0; at < tokens.length; at++) {
      const token = tokens[at]!;
      const growth = growthOf(scopes, token.scopes);
      if (token.scopes.size + growth > maxScopes) continue;
      if (growth < targetGrowth || (growth === targetGrowth && token.scopes.size > target!.scopes.size)) {
        target = token;
        targetGrowth = growth;
      }
    }
    if (!target) tokens.push((target = { scopes: new Set(), endpoints: [] }));
    for (let at = 0; at < scopes.length; at++) target.scopes.add(scopes[at]!);
    target.endpoints.push(index);
  }
  const union = new Set(order.flatMap((index) => sets[index]!));
  const lowerBound = Math.ceil(union.size / maxScopes);
  let packed = tokens.map((token) => ({ scopes: token.scopes, endpoints: token.endpoints }));
  let optimal = packed.length === lowerBound;
  if (!optimal) {
    // The greedy packing can use a token too many; search exactly while the input is small enough.
    const exact = exactSplit(sets, order, maxScopes, packed.length);
    if (exact.complete) optimal = true;
    if (exact.tokens) packed = exact.tokens;
  }
  return {
    tokens: packed.map((token) => ({
      scopes: [...token.scopes].sort(),
      endpoints: [...token.endpoints].sort((a, b) => a - b),
    })),
    unfit,
    lowerBound,
    optimal,
  };
}

/** Search nodes for the exact split before settling for the greedy one. */
const SPLIT_NODE_BUDGET = 100_000;

/**
 * Branch and bound over which token each endpoint joins (largest sets first, a new token only when it
 * can still beat the best). `complete` says the search finished, so the best it holds is the fewest.
 */
function exactSplit(
  sets: readonly (readonly string[])[],
  order: readonly number[],
  maxScopes: number,
  upper: number,
): { tokens?: { scopes: Set<string>; endpoints: number[] }[]; complete: boolean } {
  const tokens: { counts: Map<string, number>; endpoints: number[] }[] = [];
  let best: { scopes: Set<string>; endpoints: number[] }[] | undefined;
  let bestCount = upper;
  let nodes = 0;
  const place = (position: number): boolean => {
    if (++nodes > SPLIT_NODE_BUDGET) return false;
    if (position === order.length) {
      bestCount = tokens.length;
      best = tokens.map((token) => ({ scopes: new Set(token.counts.keys()), endpoints: [...token.endpoints] }));
      return true;
    }
    const index = order[position]!;
    const scopes = sets[index]!;
    const join = (token: (typeof tokens)[number]) => {
      for (let at = 0; at < scopes.length; at++)
        token.counts.set(scopes[at]!, (token.counts.get(scopes[at]!) ?? 0) + 1);
      token.endpoints.push(index);
    };
    const leave = (token: (typeof tokens)[number]) => {
      for (let at = 0; at < scopes.length; at++) {
        const scope = scopes[at]!;
        const count = token.counts.get(scope)! - 1;
        if (count === 0) token.counts.delete(scope);
        else token.counts.set(scope, count);
      }
      token.endpoints.pop();
    };
    for (let at = 0; at < tokens.length; at++) {
      const token = tokens[at]!;
      const growth = growthOf(scopes, token.counts);
      if (token.counts.size + growth > maxScopes) continue;
      join(token);
      const finished = place(position + 1);
      leave(token);
      if (!finished) return false;
    }
    if (tokens.length + 1 < bestCount) {
      const token = { counts: new Map<string, number>(), endpoints: [] as number[] };
      tokens.push(token);
      join(token);
      const finished = place(position + 1);
      leave(token);
      tokens.pop();
      if (!finished) return false;
    }
    return true;
  };
  const complete = place(0);
  return { tokens: best, complete };
}

/** How many of `scopes` a token holding `held` lacks. */
function growthOf(scopes: readonly string[], held: { has(scope: string): boolean }): number {
  let growth = 0;
  for (let at = 0; at < scopes.length; at++) if (!held.has(scopes[at]!)) growth++;
  return growth;
}
