/**
 * The nearest templates to a path that matched nothing: segment-wise edit distance, with literal
 * segments compared by their own edit distance and parameters fitting any segment at a cost. No I/O.
 */
import { editDistance } from "./nearest";
import { PARAM } from "./segment-pattern";

/** A parameter fits any segment, but less tellingly than the same literal. */
const PARAM_COST = 0.3;

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
export function sameLength(templates: Iterable<string>, length: number): string[] {
  const pool: string[] = [];
  for (const template of templates) {
    let segments = 0;
    for (let index = 0; index < template.length; index++) if (template.charCodeAt(index) === 47) segments++;
    if (Math.abs(segments - length) <= 1) pool.push(template);
    if (pool.length >= MAX_SUGGEST_CANDIDATES) break;
  }
  return pool;
}

/** Edit distance between a path and a template, segment by segment. */
export function alignmentCost(path: readonly string[], template: readonly string[], memo: Map<string, number>): number {
  let previous = Array.from({ length: template.length + 1 }, (_, index) => index);
  for (let i = 1; i <= path.length; i++) {
    const current = [i];
    for (let j = 1; j <= template.length; j++) {
      const part = template[j - 1] ?? "";
      const segment = path[i - 1] ?? "";
      // A parameter fits any segment, but less tellingly than the same literal: templates made mostly of
      // parameters should not outrank a near-identical literal path.
      const substitution = part === segment ? 0 : PARAM.test(part) ? PARAM_COST : segmentDistance(segment, part, memo);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + substitution));
    }
    previous = current;
  }
  return previous[template.length] ?? 0;
}
