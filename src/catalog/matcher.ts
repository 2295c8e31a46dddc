/**
 * Concrete request paths to endpoint templates: a trie of path segments, walked literal-first, so
 * `/rest/api/3/issue/createmeta` is the createmeta endpoint and not `{issueIdOrKey}`. No I/O.
 *
 * The trie is plain JSON (`RouteNode`), so the scraper builds it once when it publishes a shard and
 * the worker walks the parsed value as it is: a cold isolate runs no per-template code to get ready.
 */
import { itemReader } from "../lazy";
import {
  MAX_REORDER_WALKS,
  MAX_SUGGEST_CANDIDATES,
  REORDER_COST,
  MAX_SUGGEST_SEGMENTS,
  SUGGEST_POOL,
  alignmentCost,
  distanceMemos,
  sameLength,
} from "./path-suggestions";
import { PARAM, type SegmentTest, segmentSource, segmentTestOf } from "./segment-pattern";

/** One trie node, as stored in a shard's `routes` and as walked in memory. Empty fields are left out. */
export interface RouteNode {
  /** Children by literal segment. */
  l?: Record<string, RouteNode>;
  /** Children by segments mixing text and parameters (`{repo_name}-issues-{task_id}.zip`): regex source (see segmentSource), node. */
  x?: [source: string, node: RouteNode][];
  /** The child for a segment that is one parameter. */
  p?: RouteNode;
  /** Values (indices) of templates ending here, in the order matches return them. */
  v?: number[];
  /** Values of templates whose last segment, the next one, is `{path}`: Bitbucket file paths span several segments. */
  r?: number[];
}

function childOf(node: RouteNode, segment: string): RouteNode | undefined {
  // Own properties only: a segment such as `constructor` must not reach Object.prototype.
  return node.l !== undefined && Object.hasOwn(node.l, segment) ? node.l[segment] : undefined;
}

/**
 * The node a template's segment leads to from `node`, as `add` files it: a parameter's child, a mixed
 * segment's pattern child, or a literal child. Created when `create` (add), else looked up (atTemplate).
 */
function segmentChild(node: RouteNode, segment: string, create: boolean): RouteNode | undefined {
  if (PARAM.test(segment)) return create ? (node.p ??= {}) : node.p;
  if (segment.includes("{")) {
    const source = segmentSource(segment);
    let child = node.x?.find(([held]) => held === source)?.[1];
    if (!child && create) (node.x ??= []).push([source, (child = {})]);
    return child;
  }
  let child = childOf(node, segment);
  // A null-prototype record: `__proto__` is then a segment like any other.
  if (!child && create) (node.l ??= Object.create(null) as Record<string, RouteNode>)[segment] = child = {};
  return child;
}

/**
 * A trie node as lookups walk it, made from its RouteNode on the node's first visit: one shape for
 * every node (parsed JSON nodes have as many shapes as field combinations, which slows every property
 * read), literal children in a Map, patterns compiled. Children are converted as they are first reached.
 */
class Walked {
  readonly literal: Map<string, RouteNode | Walked> | undefined;
  readonly patterns: [SegmentTest, RouteNode | Walked][] | undefined;
  param: RouteNode | Walked | undefined;
  readonly values: number[] | undefined;
  readonly rest: number[] | undefined;

  constructor(node: RouteNode) {
    this.literal = node.l === undefined ? undefined : new Map(Object.entries(node.l));
    this.patterns = node.x?.map(([source, child]) => [segmentTestOf(source), child]);
    this.param = node.p;
    this.values = node.v !== undefined && node.v.length > 0 ? node.v : undefined;
    this.rest = node.r !== undefined && node.r.length > 0 ? node.r : undefined;
  }

  child(segment: string): Walked | undefined {
    const child = this.literal?.get(segment);
    if (child === undefined || child instanceof Walked) return child;
    const walked = new Walked(child);
    this.literal!.set(segment, walked);
    return walked;
  }

  patternChild(position: number): Walked {
    const entry = this.patterns![position]!;
    return entry[1] instanceof Walked ? entry[1] : (entry[1] = new Walked(entry[1]));
  }

  paramChild(): Walked | undefined {
    return this.param === undefined || this.param instanceof Walked
      ? this.param
      : (this.param = new Walked(this.param));
  }
}

export class PathMatcher<T> {
  private readonly root: RouteNode;
  private readonly values: T[];
  /** `values[index]`, read past a lazy list's Proxy (src/lazy.ts): every match reads its values so. */
  private readonly valueAt: (index: number) => T | undefined;
  /** Each value's template, by index: given to `add`, or worked out (`templateOf`) when first needed. */
  private templates: (string | undefined)[] | undefined;
  /** Every template in a subtree, for suggestions: worked out on the first miss that needs it; dropped by `add`. */
  private below = new WeakMap<RouteNode, string[]>();
  /** The trie as lookups walk it, converted as they reach it (see Walked); dropped by `add`. */
  private walked: Walked | undefined;

  constructor(
    root: RouteNode = {},
    values: T[] = [],
    private readonly templateOf?: (value: T) => string,
    /** Every value's template by index, when stored beside the trie: read on the first miss that needs one. */
    private readonly storedTemplates?: () => readonly string[] | undefined,
    /** One character per value by index, when stored beside the trie (an endpoint's method letter): see matchAcrossKeyed. */
    private readonly storedKeys?: string,
  ) {
    this.root = root;
    this.values = values;
    this.valueAt = itemReader(values);
    if (!templateOf) this.templates = [];
  }

  /**
   * A matcher over a stored trie whose indices point into `values` (checked with routesProblem), and
   * the values' templates by index when they are stored too (else `templateOf` reads each value).
   */
  static fromRoutes<T>(
    root: RouteNode,
    values: T[],
    templateOf: (value: T) => string,
    storedTemplates?: () => readonly string[] | undefined,
    storedKeys?: string,
  ): PathMatcher<T> {
    return new PathMatcher(root, values, templateOf, storedTemplates, storedKeys);
  }

  /** The trie as JSON, to be stored beside the values it indexes. */
  get routes(): RouteNode {
    return this.root;
  }

  /** Adds a value under a template like `/rest/api/3/issue/{issueIdOrKey}`. */
  add(template: string, value: T): void {
    this.walked = undefined;
    this.below = new WeakMap();
    const index = this.values.push(value) - 1;
    if (this.templates) this.templates[index] = template;
    const segments = template.split("/").filter((segment) => segment !== "");
    let node = this.root;
    segments.forEach((segment, position) => {
      if (position === segments.length - 1 && segment === "{path}") (node.r ??= []).push(index);
      node = segmentChild(node, segment, true)!;
    });
    (node.v ??= []).push(index);
  }

  /**
   * Orders the values held under every template once, when the matcher is complete, so that a match
   * returns them in that order without sorting per request.
   */
  sortValues(compare: (a: T, b: T) => number): void {
    this.walked = undefined;
    const byValue = (a: number, b: number) => compare(this.valueAt(a)!, this.valueAt(b)!) || a - b;
    for (const node of nodesOf(this.root)) {
      node.v?.sort(byValue);
      node.r?.sort(byValue);
    }
  }

  /** Values of the most specific template matching these decoded segments, or [] when none does. */
  match(segments: readonly string[]): T[] {
    const found = walk(this.walkRoot(), segments, 0);
    return found ? found.map((index) => this.valueAt(index)!) : [];
  }

  /**
   * The values added under exactly this template's trie node (`add`'s walk, nothing created), which
   * may hold other templates that differ only in parameter names: callers compare the template.
   */
  atTemplate(template: string): T[] {
    let node: RouteNode | undefined = this.root;
    for (const segment of template.split("/"))
      if (segment !== "" && node !== undefined) node = segmentChild(node, segment, false);
    return node?.v?.map((index) => this.valueAt(index)!) ?? [];
  }

  /**
   * How specific the match of these segments is: the choice taken at each segment (literal 0, a mixed
   * pattern 1 + its position, a parameter, a `{path}` rest), which a walk tries in that order. Of two
   * tries holding templates for the same path, the one whose match sorts first would win in one trie.
   */
  matchRank(segments: readonly string[]): number[] | undefined {
    const rank: number[] = [];
    return walk(this.walkRoot(), segments, 0, rank) ? rank : undefined;
  }

  /**
   * Whether a template may match these lower-cased segments with its literal segments read in any case:
   * the test before a search that reads every template (lookup.ts caseNote), most often on a mistyped path
   * with an issue key (`ABC-1`). It may say yes where none does (a mixed segment is taken as fitting),
   * never no where one does. The stored trie is walked as parsed, each node once at most.
   */
  mayFitIgnoringCase(lower: readonly string[]): boolean {
    return fitsIgnoringCase(this.root, lower, 0);
  }

  private walkRoot(): Walked {
    return (this.walked ??= new Walked(this.root));
  }

  /**
   * Up to `count` templates nearest to a path that matched none: a segment-wise edit distance where a
   * parameter matches any one segment and a mistyped literal costs by how different it is.
   */
  suggest(segments: readonly string[], count: number): string[] {
    return PathMatcher.suggestAcross([this], segments, count);
  }

  /** `match` over several tries (one per product) as if they were one. */
  static matchAcross<T>(matchers: readonly PathMatcher<T>[], segments: readonly string[]): T[] {
    const found: T[] = [];
    PathMatcher.collectAcross(matchers, segments, undefined, undefined, undefined, found);
    return found;
  }

  /**
   * `matchAcross`, keeping into `found` only the values of tries `keepMatcher` accepts (all without
   * it) whose key is `key` (all without one): read from the keys stored beside a trie without reading
   * the other values (a value may be a line still to parse), else from `keyOf` of each value. Returns
   * whether an accepted trie matched the path, whatever the keys.
   */
  static matchAcrossKeyed<T>(
    matchers: readonly PathMatcher<T>[],
    segments: readonly string[],
    options: { key?: string; keyOf: (value: T) => string; keepMatcher?: (matcher: PathMatcher<T>) => boolean },
    found: T[],
  ): boolean {
    return PathMatcher.collectAcross(matchers, segments, options.key, options.keyOf, options.keepMatcher, found);
  }

  private static collectAcross<T>(
    matchers: readonly PathMatcher<T>[],
    segments: readonly string[],
    key: string | undefined,
    keyOf: ((value: T) => string) | undefined,
    keepMatcher: ((matcher: PathMatcher<T>) => boolean) | undefined,
    found: T[],
  ): boolean {
    let holder: PathMatcher<T> | undefined;
    let held: readonly number[] | undefined;
    let holderRank: number[] | undefined;
    // Tries holding templates of the same rank for the path as the holder's (none do today).
    let tied: { matcher: PathMatcher<T>; indices: readonly number[] }[] | undefined;
    // Indexed loops and plain assignments: every lookup runs this, first in cold code, where a for-of
    // step or a destructuring assignment allocates.
    for (let at = 0; at < matchers.length; at++) {
      const matcher = matchers[at]!;
      const indices = walk(matcher.walkRoot(), segments, 0);
      if (!indices) continue;
      if (!holder) {
        holder = matcher;
        held = indices;
        continue;
      }
      // Two products with templates for the same path: the more specific one wins.
      holderRank ??= holder.matchRank(segments)!;
      const rank = matcher.matchRank(segments)!;
      const order = compareRanks(rank, holderRank);
      if (order < 0) {
        holder = matcher;
        held = indices;
        holderRank = rank;
        tied = undefined;
      } else if (order === 0) (tied ??= []).push({ matcher, indices });
    }
    // Tries are chosen before any is left out: a trie left out does not hand the path to a less specific one.
    let matched = false;
    if (holder && (!keepMatcher || keepMatcher(holder))) {
      matched = true;
      holder.collect(held!, key, keyOf, found);
    }
    if (tied)
      for (let at = 0; at < tied.length; at++) {
        const { matcher, indices } = tied[at]!;
        if (keepMatcher && !keepMatcher(matcher)) continue;
        matched = true;
        matcher.collect(indices, key, keyOf, found);
      }
    return matched;
  }

  /** The values at `indices` whose key is `key` (all without one), pushed into `found`. */
  private collect(
    indices: readonly number[],
    key: string | undefined,
    keyOf: ((value: T) => string) | undefined,
    found: T[],
  ) {
    const keys = this.storedKeys;
    for (let at = 0; at < indices.length; at++) {
      const index = indices[at]!;
      if (key !== undefined && keys !== undefined && keys[index] !== key) continue;
      const value = this.valueAt(index)!;
      if (key === undefined || keys !== undefined || keyOf!(value) === key) found.push(value);
    }
  }

  /**
   * `suggest` over several tries as if they were one: the same walk, with every trie's node at each step.
   * Templates a path matches with two neighbouring segments swapped (`/rest/api/3/jql/search` for
   * `/search/jql`) are candidates too, wherever the walk stopped.
   */
  static suggestAcross<T>(
    matchers: readonly PathMatcher<T>[],
    segments: readonly string[],
    count: number,
    original: readonly string[] = segments,
  ): string[] {
    // Bounded work whatever is pasted: follow the path as far as it matches, step back until the
    // subtree holds enough candidates, and rank only those, on at most MAX_SUGGEST_SEGMENTS segments;
    // plus at most MAX_REORDER_WALKS walks of the path with one segment moved (each as cheap as a match).
    const path = segments.slice(0, MAX_SUGGEST_SEGMENTS);
    const given = original.slice(0, MAX_SUGGEST_SEGMENTS);
    const trail = PathMatcher.trailAcross(matchers, path);
    // One trie's templates below a node are distinct already: no set to build (a miss is usually in one product).
    const templatesAt = (nodes: (typeof trail)[number]): readonly string[] =>
      nodes.length === 1
        ? nodes[0]!.matcher.templatesBelow(nodes[0]!.node)
        : [...new Set(nodes.flatMap(({ matcher, node }) => matcher.templatesBelow(node)))];
    let from = trail.length - 1;
    while (from > 0 && templatesAt(trail[from]!).length < count * SUGGEST_POOL) from--;
    const reach = templatesAt(trail[from]!);
    const candidates = reach.length <= MAX_SUGGEST_CANDIDATES ? reach : sameLength(reach, path.length);
    // The path as given (before an implied prefix was added) is what the user reordered.
    const reordered = new Set(PathMatcher.reorderedMatches(matchers, given));
    const scored: { template: string; cost: number }[] = [];
    const memos = distanceMemos(path);
    // forEach, not for-of: a miss runs this code cold, where each for-of step allocates.
    const pool = new Set(candidates);
    reordered.forEach((template) => {
      pool.add(template);
    });
    pool.forEach((template) => {
      const parts = template.split("/").filter((part) => part !== "");
      const cost = alignmentCost(path, parts, memos);
      scored.push({ template, cost: reordered.has(template) ? Math.min(cost, REORDER_COST) : cost });
    });
    return scored
      .sort((a, b) => a.cost - b.cost || a.template.length - b.template.length || (a.template < b.template ? -1 : 1))
      .slice(0, count)
      .map((entry) => entry.template);
  }

  /** How many segments of a path the tries follow (literal, then pattern, then parameter), as suggestions walk it. */
  static depthAcross<T>(matchers: readonly PathMatcher<T>[], segments: readonly string[]): number {
    return PathMatcher.trailAcross(matchers, segments.slice(0, MAX_SUGGEST_SEGMENTS)).length - 1;
  }

  private static trailAcross<T>(
    matchers: readonly PathMatcher<T>[],
    path: readonly string[],
  ): { matcher: PathMatcher<T>; node: RouteNode }[][] {
    let step = matchers.map((matcher) => ({ matcher, node: matcher.root }));
    const trail = [step];
    for (const segment of path) {
      const literal = step.flatMap(({ matcher, node }) => nextNode(matcher, childOf(node, segment)));
      const pattern =
        literal.length > 0
          ? literal
          : step.flatMap(({ matcher, node }) =>
              nextNode(matcher, node.x?.find(([source]) => segmentTestOf(source)(segment))?.[1]),
            );
      const next = pattern.length > 0 ? pattern : step.flatMap(({ matcher, node }) => nextNode(matcher, node.p));
      if (next.length === 0) break;
      trail.push((step = next));
    }
    return trail;
  }

  /**
   * Templates the path matches once one segment is moved elsewhere (`jql/search` → `search/jql`,
   * `sprint/board/1` → `board/1/sprint`): nearest moves first, at most MAX_REORDER_WALKS walks in all.
   */
  private static reorderedMatches<T>(matchers: readonly PathMatcher<T>[], path: readonly string[]): string[] {
    const found: string[] = [];
    let walks = 0;
    for (let distance = 1; distance < path.length; distance++) {
      for (let from = 0; from < path.length; from++) {
        // Indexed loops and no spread: up to MAX_REORDER_WALKS walks of cold code per miss.
        for (let side = 0; side < 2; side++) {
          const to = side === 0 ? from - distance : from + distance;
          if (to < 0 || to >= path.length || path[from] === path[to]) continue;
          // Moving a segment one place is swapping it with its neighbour: counted once, from the left.
          if (distance === 1 && to < from) continue;
          if (walks + matchers.length > MAX_REORDER_WALKS) return found;
          const moved = path.slice();
          moved.splice(from, 1);
          moved.splice(to, 0, path[from]!);
          for (let index = 0; index < matchers.length; index++) {
            const matcher = matchers[index]!;
            walks++;
            const indices = walk(matcher.walkRoot(), moved, 0);
            if (!indices) continue;
            for (let at = 0; at < indices.length; at++) {
              const template = matcher.templateAt(indices[at]!);
              if (!found.includes(template)) found.push(template);
            }
          }
        }
      }
    }
    return found;
  }

  /** The distinct templates in a subtree, in the order they were added. */
  private templatesBelow(node: RouteNode): string[] {
    let templates = this.below.get(node);
    if (!templates) {
      const indices = new Set<number>();
      for (const held of nodesOf(node)) for (const index of held.v ?? []) indices.add(index);
      templates = [...new Set([...indices].sort((a, b) => a - b).map((index) => this.templateAt(index)))];
      this.below.set(node, templates);
    }
    return templates;
  }

  /**
   * Value `index`'s template: stored beside the trie, or read from the value. Only the values a
   * suggestion reaches are read: over a stored shard each is an endpoint parsed on its first read, and
   * a miss under one product root need not parse them all.
   */
  private templateAt(index: number): string {
    if (!this.templates) {
      const stored = this.storedTemplates?.();
      this.templates = stored ? [...stored] : new Array<string | undefined>(this.values.length);
    }
    return (this.templates[index] ??= this.templateOf!(this.valueAt(index)!));
  }
}

function nextNode<T>(
  matcher: PathMatcher<T>,
  node: RouteNode | undefined,
): { matcher: PathMatcher<T>; node: RouteNode }[] {
  return node ? [{ matcher, node }] : [];
}

const PARAM_CHOICE = 1e6;
const REST_CHOICE = 2e6;

function walk(node: Walked, segments: readonly string[], index: number, rank?: number[]): number[] | undefined {
  if (index === segments.length) return node.values;
  const segment = segments[index]!;
  const literal = node.child(segment);
  if (literal) {
    rank?.push(0);
    const found = walk(literal, segments, index + 1, rank);
    if (found) return found;
    rank?.pop();
  }
  if (node.patterns) {
    for (let position = 0; position < node.patterns.length; position++) {
      if (!node.patterns[position]![0](segment)) continue;
      rank?.push(1 + position);
      const found = walk(node.patternChild(position), segments, index + 1, rank);
      if (found) return found;
      rank?.pop();
    }
  }
  const param = node.paramChild();
  if (param) {
    rank?.push(PARAM_CHOICE);
    const found = walk(param, segments, index + 1, rank);
    if (found) return found;
    rank?.pop();
  }
  if (node.rest) {
    rank?.push(REST_CHOICE);
    return node.rest;
  }
  return undefined;
}

function fitsIgnoringCase(node: RouteNode, lower: readonly string[], index: number): boolean {
  if (index === lower.length) return node.v !== undefined && node.v.length > 0;
  const segment = lower[index]!;
  if (node.l !== undefined)
    for (const key in node.l)
      if (key.toLowerCase() === segment && fitsIgnoringCase(node.l[key]!, lower, index + 1)) return true;
  if (node.x !== undefined) for (const [, child] of node.x) if (fitsIgnoringCase(child, lower, index + 1)) return true;
  return node.p !== undefined && fitsIgnoringCase(node.p, lower, index + 1);
}

function compareRanks(a: readonly number[], b: readonly number[]): number {
  for (let index = 0; index < Math.min(a.length, b.length); index++)
    if (a[index] !== b[index]) return a[index]! - b[index]!;
  return a.length - b.length;
}

function* nodesOf(root: RouteNode): Generator<RouteNode> {
  const pending = [root];
  for (let node = pending.pop(); node; node = pending.pop()) {
    yield node;
    if (node.l) for (const segment in node.l) pending.push(node.l[segment]!);
    if (node.x) for (const [, child] of node.x) pending.push(child);
    if (node.p) pending.push(node.p);
  }
}
