/**
 * Splitting a plan over several tokens when it exceeds the cap (service-account tokens hold at most
 * 50 scopes). Each endpoint keeps its chosen scope set; endpoints are packed so that tokens share
 * scopes where they can. The result is optimal when it meets the lower bound. No I/O.
 */

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
  for (const index of order) {
    const scopes = sets[index]!;
    let target: (typeof tokens)[number] | undefined;
    let targetGrowth = Number.POSITIVE_INFINITY;
    for (const token of tokens) {
      const growth = scopes.filter((scope) => !token.scopes.has(scope)).length;
      if (token.scopes.size + growth > maxScopes) continue;
      if (growth < targetGrowth || (growth === targetGrowth && token.scopes.size > target!.scopes.size)) {
        target = token;
        targetGrowth = growth;
      }
    }
    if (!target) tokens.push((target = { scopes: new Set(), endpoints: [] }));
    for (const scope of scopes) target.scopes.add(scope);
    target.endpoints.push(index);
  }
  const union = new Set(order.flatMap((index) => sets[index]!));
  const lowerBound = Math.ceil(union.size / maxScopes);
  return {
    tokens: tokens.map((token) => ({ scopes: [...token.scopes].sort(), endpoints: token.endpoints.sort((a, b) => a - b) })),
    unfit,
    lowerBound,
    optimal: tokens.length === lowerBound,
  };
}
