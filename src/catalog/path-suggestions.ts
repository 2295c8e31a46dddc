/**
 * The nearest templates to a path that matched nothing: segment-wise edit distance, with literal
 * segments compared by their own edit distance and parameters fitting any segment at a cost. No I/O.
 */
import { editDistance } from "./nearest";
import { PARAM } from "./segment-pattern";

/** A parameter fits any segment, but less tellingly than the same literal. */
const PARAM_COST = 0.3;

/**
 * Two neighbouring literal segments in the other order (`jql/search` for `search/jql`): closer than any
 * mistyped literal, since every character is right.
 */
const TRANSPOSE_COST = 0.25;

/** A template the path matches once one segment is moved ranks at least this close. */
export const REORDER_COST = 0.5;
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

/** How different two literal segments are, from 0 to 1. */
function segmentDistance(segment: string, part: string, memo: Map<string, number>): number {
  const key = `${segment}\u0000${part}`;
  let distance = memo.get(key);
  if (distance === undefined) {
    const longest = Math.max(segment.length, part.length);
    // Past half the length the pair is unrelated anyway: stop counting there.
    distance = Math.min(1, editDistance(segment, part, Math.ceil(longest / 2)) / longest);
    memo.set(key, distance);
  }
  return distance;
}

/** Templates with about as many segments as the path, capped: the pool when nothing narrowed it. */
export function sameLength(templates: readonly string[], length: number): string[] {
  const pool: string[] = [];
  for (let at = 0; at < templates.length; at++) {
    const template = templates[at]!;
    let segments = 0;
    for (let index = 0; index < template.length; index++) if (template.charCodeAt(index) === 47) segments++;
    if (Math.abs(segments - length) <= 1) pool.push(template);
    if (pool.length >= MAX_SUGGEST_CANDIDATES) break;
  }
  return pool;
}

/** Edit distance between a path and a template, segment by segment, a swap of neighbours counting as one edit. */
export function alignmentCost(path: readonly string[], template: readonly string[], memo: Map<string, number>): number {
  let beforePrevious: number[] = [];
  let previous = Array.from({ length: template.length + 1 }, (_, index) => index);
  for (let i = 1; i <= path.length; i++) {
    const current = [i];
    for (let j = 1; j <= template.length; j++) {
      const part = template[j - 1] ?? "";
      const segment = path[i - 1] ?? "";
      // A parameter fits any segment, but less tellingly than the same literal: templates made mostly of
      // parameters should not outrank a near-identical literal path.
      const substitution = part === segment ? 0 : PARAM.test(part) ? PARAM_COST : segmentDistance(segment, part, memo);
      let cost = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + substitution);
      // Optimal string alignment: path segments i-1, i are template parts j, j-1.
      if (i > 1 && j > 1 && segment !== part && segment === template[j - 2] && path[i - 2] === part)
        cost = Math.min(cost, (beforePrevious[j - 2] ?? 0) + TRANSPOSE_COST);
      current.push(cost);
    }
    beforePrevious = previous;
    previous = current;
  }
  return previous[template.length] ?? 0;
}
