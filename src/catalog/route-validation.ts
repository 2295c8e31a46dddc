/** A stored trie and scope index checked before serving trusts them (shards are read from KV). No I/O. */
import type { RouteNode } from "./matcher";
import { regexOf } from "./segment-pattern";

/**
 * What is wrong with a stored trie, or undefined when a walk over it is safe: every node an object,
 * every pattern a regular expression, every value an index below `valueCount`.
 */
export function routesProblem(value: unknown, valueCount: number): string | undefined {
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const node = pending.pop();
    if (typeof node !== "object" || node === null || Array.isArray(node)) return "a route node is not an object";
    const { l, x, p, v, r } = node as RouteNode;
    if (l !== undefined) {
      if (typeof l !== "object" || l === null || Array.isArray(l))
        return "a route node's literal children are not an object";
      for (const segment in l) pending.push(l[segment]);
    }
    if (x !== undefined) {
      if (!Array.isArray(x)) return "a route node's patterns are not a list";
      for (let position = 0; position < x.length; position++) {
        const entry = x[position];
        if (!Array.isArray(entry) || entry.length !== 2 || typeof entry[0] !== "string")
          return "a route pattern is not [source, node]";
        try {
          regexOf(entry[0]);
        } catch {
          return `route pattern ${JSON.stringify(entry[0]).slice(0, 80)} is not a regular expression`;
        }
        pending.push(entry[1]);
      }
    }
    if (p !== undefined) pending.push(p);
    const problem = valuesProblem(v, valueCount) ?? valuesProblem(r, valueCount);
    if (problem) return problem;
  }
  return undefined;
}

// Indexed loops, no iterators: this runs on every node of a shard's trie when a cold isolate reads it.
function valuesProblem(list: unknown, valueCount: number): string | undefined {
  if (list === undefined) return undefined;
  if (!Array.isArray(list)) return "a route node's values are not a list";
  for (let position = 0; position < list.length; position++) {
    const index: unknown = list[position];
    if (!Number.isInteger(index) || (index as number) < 0 || (index as number) >= valueCount)
      return `route value ${String(index)} is not an endpoint index`;
  }
  return undefined;
}

/**
 * What is wrong with a stored scope index, or undefined when reading it is safe: an object whose every
 * value is a list of increasing endpoint indices below `endpointCount`.
 */
export function scopeIndexProblem(value: unknown, endpointCount: number): string | undefined {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return "the scope index is not an object";
  const index = value as Record<string, unknown>;
  for (const scope in index) {
    const indices = index[scope];
    if (!Array.isArray(indices)) return `the scope index of ${scope.slice(0, 80)} is not a list`;
    let previous = -1;
    for (let position = 0; position < indices.length; position++) {
      const at: unknown = indices[position];
      // Below the count and above the one before it, so a whole number only if it is an integer.
      if (typeof at !== "number" || !(at > previous && at < endpointCount) || at % 1 !== 0)
        return `the scope index of ${scope.slice(0, 80)} holds ${String(at).slice(0, 20)}, not an increasing endpoint index`;
      previous = at;
    }
  }
  return undefined;
}
