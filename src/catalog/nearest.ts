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
  const bitParallel = maskPattern(lower);
  for (let at = 0; at < candidates.length; at++) {
    const candidate = lowered[at]!;
    // Within the maximum both ways give the exact distance; past it only that it is past.
    const distance =
      Math.abs(lower.length - candidate.length) > maxDistance
        ? maxDistance + 1
        : bitParallel
          ? bitParallelDistance(lower.length, candidate)
          : editDistance(lower, candidate, maxDistance);
    if (distance <= maxDistance) scored.push({ name: candidates[at]!, distance, order: order++ });
  }
  if (bitParallel) unmaskPattern(lower);
  return scored
    .sort((a, b) => a.distance - b.distance || a.order - b.order)
    .slice(0, count)
    .map((entry) => entry.name);
}

/** Per ASCII character, the positions it holds in the pattern being ranked, one bit each (maskPattern). */
const patternMasks = new Int32Array(128);

/** Sets patternMasks for a pattern of 1 to 32 ASCII characters; false (and nothing set) for any other. */
function maskPattern(pattern: string): boolean {
  if (pattern.length === 0 || pattern.length > 32) return false;
  for (let at = 0; at < pattern.length; at++) if (pattern.charCodeAt(at) >= 128) return false;
  for (let at = 0; at < pattern.length; at++) patternMasks[pattern.charCodeAt(at)]! |= 1 << at;
  return true;
}

function unmaskPattern(pattern: string): void {
  for (let at = 0; at < pattern.length; at++) patternMasks[pattern.charCodeAt(at)] = 0;
}

/**
 * Levenshtein distance between the masked pattern (of `length`) and `text`, by Myers' bit-parallel
 * algorithm in Hyyrö's formulation for the whole strings (G. Myers, J. ACM 46(3), 1999; H. Hyyrö,
 * "Explaining and extending the bit-parallel approximate string matching algorithm of Myers", 2001):
 * a text character costs a dozen operations on one 32-bit word, not a row of the table. A typo's
 * suggestions rank it against every scope name (about 450), up to 16 typos a request, in a fresh
 * isolate: that was a fifth of the CPU of a /diff holding many (row 8), computed row by row.
 */
function bitParallelDistance(length: number, text: string): number {
  const last = 1 << (length - 1);
  let positive = -1; // vertical deltas of +1, one bit per pattern position
  let negative = 0; // vertical deltas of -1
  let distance = length;
  for (let at = 0; at < text.length; at++) {
    const code = text.charCodeAt(at);
    const equal = code < 128 ? patternMasks[code]! : 0;
    const vertical = equal | negative;
    const horizontal = (((equal & positive) + positive) ^ positive) | equal;
    let horizontalPositive = negative | ~(horizontal | positive);
    const horizontalNegative = positive & horizontal;
    if ((horizontalPositive & last) !== 0) distance++;
    else if ((horizontalNegative & last) !== 0) distance--;
    // The table's first row grows by one per text character: a +1 shifts in.
    horizontalPositive = (horizontalPositive << 1) | 1;
    positive = (horizontalNegative << 1) | ~(vertical | horizontalPositive);
    negative = horizontalPositive & vertical;
  }
  return distance;
}

/** The candidates lower-cased, once per list: a typo's suggestions rank it against every known scope name. */
const lowerCased = lazyPer((names: readonly string[]): readonly string[] => names.map((name) => name.toLowerCase()));
