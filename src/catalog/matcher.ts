/**
 * Concrete request paths to endpoint templates: a trie of path segments, walked literal-first, so
 * `/rest/api/3/issue/createmeta` is the createmeta endpoint and not `{issueIdOrKey}`. No I/O.
 */
import { editDistance } from "./nearest";

/** A template segment such as `{repo_name}-issues-{task_id}.zip`: literal text around parameters. */
interface PatternChild {
  regex: RegExp;
  node: TrieNode;
}

class TrieNode<T = unknown> {
  /** Every template in this subtree: suggestions rank only those near where a failed match stopped. */
  below: string[] = [];
  literal = new Map<string, TrieNode<T>>();
  patterns: PatternChild[] = [];
  param: TrieNode<T> | undefined;
  /** Values of templates ending here. */
  values: T[] = [];
  /** Values of templates whose last segment is `{path}`: Bitbucket file paths span several segments. */
  rest: T[] = [];
}

const PARAM = /^\{[^{}]+\}$/;
const PARAM_COST = 0.3;

export class PathMatcher<T> {
  private readonly root = new TrieNode<T>();
  private readonly templates = new Set<string>();

  /** Adds a value under a template like `/rest/api/3/issue/{issueIdOrKey}`. */
  add(template: string, value: T): void {
    const known = this.templates.has(template);
    this.templates.add(template);
    const segments = template.split("/").filter((segment) => segment !== "");
    let node = this.root;
    if (!known) node.below.push(template);
    segments.forEach((segment, index) => {
      if (index === segments.length - 1 && segment === "{path}") node.rest.push(value);
      if (PARAM.test(segment)) {
        node.param ??= new TrieNode<T>();
        node = node.param;
      } else if (segment.includes("{")) {
        const source = `^${segment
          .split(/\{[^{}]+\}/)
          .map((literal) => literal.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))
          .join(".+?")}$`;
        let child = node.patterns.find((pattern) => pattern.regex.source === source);
        if (!child) {
          child = { regex: new RegExp(source), node: new TrieNode<T>() };
          node.patterns.push(child);
        }
        node = child.node as TrieNode<T>;
      } else {
        let child = node.literal.get(segment);
        if (!child) {
          child = new TrieNode<T>();
          node.literal.set(segment, child);
        }
        node = child;
      }
      if (!known) node.below.push(template);
    });
    node.values.push(value);
  }

  /**
   * Orders the values held under every template once, when the matcher is complete, so that a match
   * returns them in that order without sorting per request.
   */
  sortValues(compare: (a: T, b: T) => number): void {
    const pending: TrieNode<T>[] = [this.root];
    for (let node = pending.pop(); node; node = pending.pop()) {
      node.values.sort(compare);
      node.rest.sort(compare);
      pending.push(...node.literal.values(), ...node.patterns.map((pattern) => pattern.node as TrieNode<T>));
      if (node.param) pending.push(node.param);
    }
  }

  /** Values of the most specific template matching these decoded segments, or [] when none does. */
  match(segments: readonly string[]): T[] {
    return walk(this.root, segments, 0) ?? [];
  }

  /**
   * Up to `count` templates nearest to a path that matched none: a segment-wise edit distance where a
   * parameter matches any one segment and a mistyped literal costs by how different it is.
   */
  suggest(segments: readonly string[], count: number): string[] {
    // Bounded work whatever is pasted: follow the path as far as it matches, step back until the
    // subtree holds enough candidates, and rank only those, on at most MAX_SUGGEST_SEGMENTS segments.
    const path = segments.slice(0, MAX_SUGGEST_SEGMENTS);
    const trail: TrieNode<T>[] = [this.root];
    let node: TrieNode<T> | undefined = this.root;
    for (const segment of path) {
      node = node.literal.get(segment) ?? (node.patterns.find((pattern) => pattern.regex.test(segment))?.node as TrieNode<T> | undefined) ?? node.param;
      if (!node) break;
      trail.push(node);
    }
    let from = trail.length - 1;
    while (from > 0 && trail[from]!.below.length < count * SUGGEST_POOL) from--;
    const reach = trail[from]!.below;
    const candidates = reach.length <= MAX_SUGGEST_CANDIDATES ? reach : sameLength(reach, path.length);
    const scored: { template: string; cost: number }[] = [];
    const memo = new Map<string, number>(); // template segments repeat (rest, api, 3): compare each pair once
    for (const template of candidates) {
      const parts = template.split("/").filter((part) => part !== "");
      scored.push({ template, cost: alignmentCost(path, parts, memo) });
    }
    return scored
      .sort((a, b) => a.cost - b.cost || a.template.length - b.template.length || (a.template < b.template ? -1 : 1))
      .slice(0, count)
      .map((entry) => entry.template);
  }
}

/** Paths longer than this are compared on their first segments only. */
const MAX_SUGGEST_SEGMENTS = 16;
/** Step back from where matching stopped until this many candidates per suggestion are in reach. */
const SUGGEST_POOL = 4;
/** More candidates than this (a path that matched nothing from the root) are narrowed by length. */
const MAX_SUGGEST_CANDIDATES = 400;

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
function sameLength(templates: Iterable<string>, length: number): string[] {
  const pool: string[] = [];
  for (const template of templates) {
    let segments = 0;
    for (let index = 0; index < template.length; index++) if (template.charCodeAt(index) === 47) segments++;
    if (Math.abs(segments - length) <= 1) pool.push(template);
    if (pool.length >= MAX_SUGGEST_CANDIDATES) break;
  }
  return pool;
}

function walk<T>(node: TrieNode<T>, segments: readonly string[], index: number): T[] | undefined {
  if (index === segments.length) return node.values.length > 0 ? node.values : undefined;
  const segment = segments[index] ?? "";
  const literal = node.literal.get(segment);
  if (literal) {
    const found = walk(literal, segments, index + 1);
    if (found) return found;
  }
  for (const pattern of node.patterns) {
    if (!pattern.regex.test(segment)) continue;
    const found = walk(pattern.node as TrieNode<T>, segments, index + 1);
    if (found) return found;
  }
  if (node.param) {
    const found = walk(node.param, segments, index + 1);
    if (found) return found;
  }
  return node.rest.length > 0 ? node.rest : undefined;
}

function alignmentCost(path: readonly string[], template: readonly string[], memo: Map<string, number>): number {
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
