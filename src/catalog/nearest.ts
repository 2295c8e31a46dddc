/** Edit distance and nearest names, for suggestions on typos. No I/O. */
import { lazyPer } from "../lazy";

/** Two rows of the distance table, reused by every call (grown when a longer name comes). */
let previousRow = new Int32Array(64);
let currentRow = new Int32Array(64);

/**
 * Levenshtein distance, with an early exit once it exceeds `limit`. Written for a cold isolate, where
 * it first runs interpreted: an unknown scope name is ranked against every scope name (about 450).
 */
export function editDistance(a: string, b: string, limit = Number.POSITIVE_INFINITY): number {
  if (a === b) return 0;
  const width = b.length;
  if (Math.abs(a.length - width) > limit) return limit + 1;
  if (previousRow.length <= width) {
    previousRow = new Int32Array(width + 1);
    currentRow = new Int32Array(width + 1);
  }
  let previous = previousRow;
  let current = currentRow;
  for (let j = 0; j <= width; j++) previous[j] = j;
  for (let i = 1; i <= a.length; i++) {
    const code = a.charCodeAt(i - 1);
    current[0] = i;
    let rowMin = i;
    for (let j = 1; j <= width; j++) {
      const substitution = previous[j - 1]! + (code === b.charCodeAt(j - 1) ? 0 : 1);
      const deletion = previous[j]! + 1;
      const insertion = current[j - 1]! + 1;
      let value = substitution < deletion ? substitution : deletion;
      if (insertion < value) value = insertion;
      current[j] = value;
      if (value < rowMin) rowMin = value;
    }
    if (rowMin > limit) return limit + 1;
    // Swapped through a variable: a destructuring swap allocates an array and its iterator per row.
    const spare = previous;
    previous = current;
    current = spare;
  }
  return previous[width]!;
}

/** The `count` candidates closest to `target`, closest first, ties in candidate order; none further than `maxDistance`. */
export function nearest(target: string, candidates: readonly string[], count: number, maxDistance: number): string[] {
  const scored: { name: string; distance: number; order: number }[] = [];
  let order = 0;
  const lower = target.toLowerCase();
  const lowered = lowerCased(candidates);
  for (let at = 0; at < candidates.length; at++) {
    const name = candidates[at]!;
    const distance = editDistance(lower, lowered[at]!, maxDistance);
    if (distance <= maxDistance) scored.push({ name, distance, order: order++ });
  }
  return scored
    .sort((a, b) => a.distance - b.distance || a.order - b.order)
    .slice(0, count)
    .map((entry) => entry.name);
}

/** The candidates lower-cased, once per list: a typo's suggestions rank it against every known scope name. */
const lowerCased = lazyPer((names: readonly string[]): readonly string[] => names.map((name) => name.toLowerCase()));
