/**
 * The nearest templates to a path that matched nothing: segment-wise edit distance, with literal
 * segments compared by their own edit distance and parameters fitting any segment at a cost. No I/O.
 */
import { editDistance } from "./nearest";
import { PARAM } from "./segment-pattern";

/**
 * One edit, in the integer units costs are counted in: a fresh isolate first runs this code in its
 * interpreter, which boxes every fractional number it computes (a mistyped Jira path's first request
 * spent 13 ms ranking 400 templates with fractional costs, and allocated about 1 MB doing it). 720,720 is
 * divisible by every length up to 16, so a literal's distance (edits over its length) is exact for
 * the segments of every template but a few, and sums of costs tie exactly where they should; as
 * fractions, `0.3 + 0.6` and `0.6 + 0.3` did not, and the tie-break by length was lost.
 */
const EDIT = 720_720;

/** A parameter fits any segment, but less tellingly than the same literal: 0.3 of an edit. */
const PARAM_COST = (EDIT * 3) / 10;

/**
 * Two neighbouring literal segments in the other order (`jql/search` for `search/jql`): closer than any
 * mistyped literal, since every character is right. A quarter of an edit.
 */
const TRANSPOSE_COST = EDIT / 4;

/** A template the path matches once one segment is moved ranks at least this close: half an edit. */
export const REORDER_COST = EDIT / 2;

/**
 * Trie walks spent looking for a reordered match, over all tries: each is as cheap as a lookup, and the
 * nearest moves (swaps of neighbours) are tried first.
 */
export const MAX_REORDER_WALKS = 120;

/** Paths longer than this are compared on their first segments only. */
export const MAX_SUGGEST_SEGMENTS = 16;
/** Step back from where matching stopped until this many candidates per suggestion are in reach. */
export const SUGGEST_POOL = 4;
/** More candidates than this (a path that matched nothing from the root) are narrowed by length. */
export const MAX_SUGGEST_CANDIDATES = 400;

/** How different two literal segments are, from 0 to EDIT; `memo` holds the path segment's pairs. */
function segmentDistance(segment: string, part: string, memo: Map<string, number>): number {
  let distance = memo.get(part);
  if (distance === undefined) {
    const longest = Math.max(segment.length, part.length);
    // Past half the length the pair is unrelated anyway: stop counting there.
    const edits = editDistance(segment, part, Math.ceil(longest / 2));
    distance = edits >= longest ? EDIT : Math.round((edits * EDIT) / longest);
    memo.set(part, distance);
  }
  return distance;
}

/** Templates with about as many segments as the path, capped: the pool when nothing narrowed it. */
export function sameLength(templates: readonly string[], length: number): string[] {
  const pool: string[] = [];
  for (let at = 0; at < templates.length; at++) {
    const template = templates[at]!;
    let segments = 0;
    // indexOf, not a loop over every character: this runs cold over up to a product's templates.
    for (let slash = template.indexOf("/"); slash >= 0; slash = template.indexOf("/", slash + 1)) segments++;
    if (Math.abs(segments - length) <= 1) pool.push(template);
    if (pool.length >= MAX_SUGGEST_CANDIDATES) break;
  }
  return pool;
}

/** The three rows of the alignment table, reused by every call (grown for a longer template). */
let rows = [new Int32Array(32), new Int32Array(32), new Int32Array(32)];
/** Whether each template part is a parameter, for the template being aligned. */
let isParam = new Uint8Array(32);

/**
 * Pairs already compared, one map per path segment (segmentDistance): a ranking compares the same
 * segments (`rest`, `api`, `3`) across hundreds of templates.
 */
export function distanceMemos(path: readonly string[]): Map<string, number>[] {
  return path.map(() => new Map<string, number>());
}

/**
 * Edit distance between a path and a template, segment by segment, a swap of neighbours counting as one
 * edit, in EDIT units. `memos` is distanceMemos(path).
 */
export function alignmentCost(
  path: readonly string[],
  template: readonly string[],
  memos: readonly Map<string, number>[],
): number {
  const width = template.length;
  if (rows[0]!.length <= width) {
    rows = [new Int32Array(width + 1), new Int32Array(width + 1), new Int32Array(width + 1)];
    isParam = new Uint8Array(width + 1);
  }
  for (let j = 0; j < width; j++) isParam[j] = PARAM.test(template[j]!) ? 1 : 0;
  let beforePrevious = rows[0]!;
  let previous = rows[1]!;
  let current = rows[2]!;
  for (let j = 0; j <= width; j++) previous[j] = j * EDIT;
  for (let i = 1; i <= path.length; i++) {
    const segment = path[i - 1]!;
    const memo = memos[i - 1]!;
    current[0] = i * EDIT;
    for (let j = 1; j <= width; j++) {
      const part = template[j - 1]!;
      // A parameter fits any segment, but less tellingly than the same literal: templates made mostly of
      // parameters should not outrank a near-identical literal path.
      const substitution =
        part === segment ? 0 : isParam[j - 1] === 1 ? PARAM_COST : segmentDistance(segment, part, memo);
      let cost = previous[j]! + EDIT;
      const insertion = current[j - 1]! + EDIT;
      if (insertion < cost) cost = insertion;
      const replaced = previous[j - 1]! + substitution;
      if (replaced < cost) cost = replaced;
      // Optimal string alignment: path segments i-1, i are template parts j, j-1.
      if (i > 1 && j > 1 && segment !== part && segment === template[j - 2] && path[i - 2] === part) {
        const transposed = beforePrevious[j - 2]! + TRANSPOSE_COST;
        if (transposed < cost) cost = transposed;
      }
      current[j] = cost;
    }
    // Rotated through variables: a destructuring swap allocates an array and its iterator per row.
    const spare = beforePrevious;
    beforePrevious = previous;
    previous = current;
    current = spare;
  }
  return previous[width]!;
}
