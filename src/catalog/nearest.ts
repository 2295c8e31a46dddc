/** Edit distance and nearest names, for suggestions on typos. No I/O. */

/** Levenshtein distance, with an early exit once it exceeds `limit`. */
export function editDistance(a: string, b: string, limit = Number.POSITIVE_INFINITY): number {
  if (a === b) return 0;
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      const value = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
      current.push(value);
      if (value < rowMin) rowMin = value;
    }
    if (rowMin > limit) return limit + 1;
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/** The `count` candidates closest to `target`, closest first, ties in candidate order; none further than `maxDistance`. */
export function nearest(target: string, candidates: Iterable<string>, count: number, maxDistance: number): string[] {
  const scored: { name: string; distance: number; order: number }[] = [];
  let order = 0;
  const lower = target.toLowerCase();
  for (const name of candidates) {
    const distance = editDistance(lower, name.toLowerCase(), maxDistance);
    if (distance <= maxDistance) scored.push({ name, distance, order: order++ });
  }
  return scored
    .sort((a, b) => a.distance - b.distance || a.order - b.order)
    .slice(0, count)
    .map((entry) => entry.name);
}
