/**
 * Concrete request paths to endpoint templates: a trie of path segments, walked literal-first, so
 * `/rest/api/3/issue/createmeta` is the createmeta endpoint and not `{issueIdOrKey}`. No I/O.
 *
 * The trie is built as nested nodes (`RouteNode`) and walked as flat lists (`RouteTrie`, route-table.ts):
 * the scraper builds it once when it publishes a shard and stores the lists, which the worker walks as
 * parsed: a cold isolate runs no per-template code to get ready.
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
import { NO_NODE, RouteTrie, routeNodeOf } from "./route-table";
import { PARAM, segmentSource } from "./segment-pattern";

/**
 * One trie node as `add` builds it, and as shards stored it before the route table (`routes`); lookups
 * walk the table (RouteTrie, route-table.ts). Empty fields are left out.
 */
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

/** The node a template's segment leads to from `node`, created if new: a parameter's child, a mixed segment's pattern child, or a literal child. */
function addedChild(node: RouteNode, segment: string): RouteNode {
  if (PARAM.test(segment)) return (node.p ??= {});
  if (segment.includes("{")) {
    const source = segmentSource(segment);
    let child = node.x?.find(([held]) => held === source)?.[1];
    if (!child) (node.x ??= []).push([source, (child = {})]);
    return child;
  }
  // A null-prototype record: `__proto__` is then a segment like any other.
  const literal = (node.l ??= Object.create(null) as Record<string, RouteNode>);
  return Object.hasOwn(literal, segment) ? literal[segment]! : (literal[segment] = {});
}

/**
 * The node a template's segment leads to from `node` in a walked trie, as `add` files it (a parameter's
 * child, a mixed segment's pattern child, or a literal child), or NO_NODE.
 */
function templateChild(trie: RouteTrie, node: number, segment: string): number {
  if (PARAM.test(segment)) return trie.paramChild(node);
  if (!segment.includes("{")) return trie.literalChild(node, segment);
  const source = segmentSource(segment);
  for (let position = 0; position < trie.patternCount(node); position++)
    if (trie.patternSource(node, position) === source) return trie.patternChild(node, position);
  return NO_NODE;
}

export class PathMatcher<T> {
  /** The trie as `add` builds it: made from the walked one when a matcher over a stored trie is added to or stored. */
  private root: RouteNode | undefined;
  private readonly values: T[];
  /** `values[index]`, read past a lazy list's Proxy (src/lazy.ts): every match reads its values so. */
  private readonly valueAt: (index: number) => T | undefined;
  /** Each value's template, by index: given to `add`, or worked out (`templateOf`) when first needed. */
  private templates: (string | undefined)[] | undefined;
  /** Every template in a subtree by node, for suggestions: worked out on the first miss that needs it; dropped by `add`. */
  private below = new Map<number, string[]>();
  /** The trie as lookups walk it: the stored one, or made from `root` on the first lookup; dropped by `add`. */
  private walked: RouteTrie | undefined;

  constructor(
    root: RouteNode | RouteTrie = {},
    values: T[] = [],
    private readonly templateOf?: (value: T) => string,
    /** Every value's template by index, when stored beside the trie: read on the first miss that needs one. */
    private readonly storedTemplates?: () => readonly string[] | undefined,
    /** One character per value by index, when stored beside the trie (an endpoint's method letter): see matchAcrossKeyed. */
    private readonly storedKeys?: string,
  ) {
    if (root instanceof RouteTrie) this.walked = root;
    else this.root = root;
    this.values = values;
    this.valueAt = itemReader(values);
    if (!templateOf) this.templates = [];
  }

  /**
   * A matcher over a stored trie whose indices point into `values` (checked with routeTrieOf, or nested
   * and checked with routesProblem), and the values' templates by index when they are stored too (else
   * `templateOf` reads each value).
   */
  static fromRoutes<T>(
    root: RouteNode | RouteTrie,
    values: T[],
    templateOf: (value: T) => string,
    storedTemplates?: () => readonly string[] | undefined,
    storedKeys?: string,
  ): PathMatcher<T> {
    return new PathMatcher(root, values, templateOf, storedTemplates, storedKeys);
  }

  /** The trie as nested nodes, to be stored beside the values it indexes (as a table: routeTableOf). */
  get routes(): RouteNode {
    return (this.root ??= routeNodeOf(this.walked!));
  }

  /** The literal first segments of the templates. */
  firstSegments(): string[] {
    const trie = this.trie();
    const first = trie.firstLiteral(0);
    const segments: string[] = [];
    for (let child = first; child < first + trie.literalCount(0); child++) segments.push(trie.keyOf(child));
    return segments;
  }

  /** Whether a template starts with this literal segment. */
  hasFirstSegment(segment: string): boolean {
    return this.trie().literalChild(0, segment) !== NO_NODE;
  }

  /** Whether a template starts with a parameter, a mixed segment or a `{path}` rest, which any first segment may match. */
  takesAnyFirstSegment(): boolean {
    const trie = this.trie();
    return trie.paramChild(0) !== NO_NODE || trie.patternCount(0) > 0 || trie.restCount(0) > 0;
  }

  /** Adds a value under a template like `/rest/api/3/issue/{issueIdOrKey}`. */
  add(template: string, value: T): void {
    let node = this.routes;
    this.walked = undefined;
    this.below = new Map();
    const index = this.values.push(value) - 1;
    if (this.templates) this.templates[index] = template;
    const segments = template.split("/").filter((segment) => segment !== "");
    segments.forEach((segment, position) => {
      if (position === segments.length - 1 && segment === "{path}") (node.r ??= []).push(index);
      node = addedChild(node, segment);
    });
    (node.v ??= []).push(index);
  }

  /**
   * Orders the values held under every template once, when the matcher is complete, so that a match
   * returns them in that order without sorting per request.
   */
  sortValues(compare: (a: T, b: T) => number): void {
    const root = this.routes;
    this.walked = undefined;
    const byValue = (a: number, b: number) => compare(this.valueAt(a)!, this.valueAt(b)!) || a - b;
    for (const node of nodesOf(root)) {
      node.v?.sort(byValue);
      node.r?.sort(byValue);
    }
  }

  /** Values of the most specific template matching these decoded segments, or [] when none does. */
  match(segments: readonly string[]): T[] {
    const found: T[] = [];
    this.collect(this.walk(segments), undefined, undefined, found);
    return found;
  }

  /**
   * The values added under exactly this template's trie node (`add`'s walk, nothing created), which
   * may hold other templates that differ only in parameter names: callers compare the template.
   */
  atTemplate(template: string): T[] {
    const trie = this.trie();
    let node = 0;
    for (const segment of template.split("/"))
      if (segment !== "" && node !== NO_NODE) node = templateChild(trie, node, segment);
    const found: T[] = [];
    if (node !== NO_NODE) this.collect(valuesHeld(node), undefined, undefined, found);
    return found;
  }

  /**
   * How specific the match of these segments is: the choice taken at each segment (literal 0, a mixed
   * pattern 1 + its position, a parameter, a `{path}` rest), which a walk tries in that order. Of two
   * tries holding templates for the same path, the one whose match sorts first would win in one trie.
   */
  matchRank(segments: readonly string[]): number[] | undefined {
    const rank: number[] = [];
    return this.walk(segments, rank) === NO_MATCH ? undefined : rank;
  }

  /**
   * Whether a template may match these lower-cased segments with its literal segments read in any case:
   * the test before a search that reads every template (lookup.ts caseNote), most often on a mistyped path
   * with an issue key (`ABC-1`). It may say yes where none does (a mixed segment is taken as fitting),
   * never no where one does. Each node is walked once at most.
   */
  mayFitIgnoringCase(lower: readonly string[]): boolean {
    return fitsIgnoringCase(this.trie(), 0, lower, 0);
  }

  private trie(): RouteTrie {
    return (this.walked ??= RouteTrie.of(this.root!));
  }

  /** The values the most specific template matching `segments` holds (see `walk`): every walk from the root. */
  private walk(segments: readonly string[], rank?: number[]): number {
    return walk(this.trie(), 0, segments, 0, rank);
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
    let holderFound = NO_MATCH;
    let holderRank: number[] | undefined;
    // Tries holding templates of the same rank for the path as the holder's (none do today).
    let tied: { matcher: PathMatcher<T>; found: number }[] | undefined;
    // Indexed loops and plain assignments: every lookup runs this, first in cold code, where a for-of
    // step or a destructuring assignment allocates.
    for (let at = 0; at < matchers.length; at++) {
      const matcher = matchers[at]!;
      const found = matcher.walk(segments);
      if (found === NO_MATCH) continue;
      if (!holder) {
        holder = matcher;
        holderFound = found;
        continue;
      }
      // Two products with templates for the same path: the more specific one wins.
      holderRank ??= holder.matchRank(segments)!;
      const rank = matcher.matchRank(segments)!;
      const order = compareRanks(rank, holderRank);
      if (order < 0) {
        holder = matcher;
        holderFound = found;
        holderRank = rank;
        tied = undefined;
      } else if (order === 0) (tied ??= []).push({ matcher, found });
    }
    // Tries are chosen before any is left out: a trie left out does not hand the path to a less specific one.
    let matched = false;
    if (holder && (!keepMatcher || keepMatcher(holder))) {
      matched = true;
      holder.collect(holderFound, key, keyOf, found);
    }
    if (tied)
      for (let at = 0; at < tied.length; at++) {
        const tie = tied[at]!;
        if (keepMatcher && !keepMatcher(tie.matcher)) continue;
        matched = true;
        tie.matcher.collect(tie.found, key, keyOf, found);
      }
    return matched;
  }

  /** The values a walk found (`walk`'s answer) whose key is `key` (all without one), pushed into `found`. */
  private collect(held: number, key: string | undefined, keyOf: ((value: T) => string) | undefined, found: T[]) {
    if (held === NO_MATCH) return;
    const keys = this.storedKeys;
    const trie = this.trie();
    const values = trie.values;
    const from = heldFrom(trie, held);
    const end = from + heldCount(trie, held);
    for (let at = from; at < end; at++) {
      const index = values[at]!;
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
  ): { matcher: PathMatcher<T>; node: number }[][] {
    let step = matchers.map((matcher) => ({ matcher, node: 0 }));
    const trail = [step];
    for (const segment of path) {
      const literal = step.flatMap(({ matcher, node }) =>
        nextNode(matcher, matcher.trie().literalChild(node, segment)),
      );
      const pattern =
        literal.length > 0
          ? literal
          : step.flatMap(({ matcher, node }) => nextNode(matcher, patternChildFor(matcher.trie(), node, segment)));
      const next =
        pattern.length > 0
          ? pattern
          : step.flatMap(({ matcher, node }) => nextNode(matcher, matcher.trie().paramChild(node)));
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
            const held = matcher.walk(moved);
            if (held === NO_MATCH) continue;
            const trie = matcher.trie();
            const from = heldFrom(trie, held);
            const end = from + heldCount(trie, held);
            for (let at = from; at < end; at++) {
              const template = matcher.templateAt(trie.values[at]!);
              if (!found.includes(template)) found.push(template);
            }
          }
        }
      }
    }
    return found;
  }

  /** The distinct templates in a subtree, in the order they were added. */
  private templatesBelow(node: number): string[] {
    let templates = this.below.get(node);
    if (!templates) {
      const trie = this.trie();
      const indices = new Set<number>();
      for (const below of trie.subtree(node)) {
        const from = trie.valuesFrom(below);
        for (let at = from; at < from + trie.valueCount(below); at++) indices.add(trie.values[at]!);
      }
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

function nextNode<T>(matcher: PathMatcher<T>, node: number): { matcher: PathMatcher<T>; node: number }[] {
  return node === NO_NODE ? [] : [{ matcher, node }];
}

/** The first pattern child of `node` whose pattern matches `segment`, or NO_NODE. */
function patternChildFor(trie: RouteTrie, node: number, segment: string): number {
  for (let position = 0; position < trie.patternCount(node); position++)
    if (trie.patternTest(node, position)(segment)) return trie.patternChild(node, position);
  return NO_NODE;
}

const PARAM_CHOICE = 1e6;
const REST_CHOICE = 2e6;

/** No template matches: what `walk` returns then. */
const NO_MATCH = -1;
/** What `walk` returns for the values of templates ending at `node`. */
const valuesHeld = (node: number) => node * 2;
/** What `walk` returns for the rest values at `node` (templates ending in `{path}`). */
const restHeld = (node: number) => node * 2 + 1;
/** Where the values `walk` found start in the trie's `values`, and how many. */
const heldFrom = (trie: RouteTrie, held: number) =>
  held % 2 === 0 ? trie.valuesFrom(held / 2) : trie.restFrom((held - 1) / 2);
const heldCount = (trie: RouteTrie, held: number) =>
  held % 2 === 0 ? trie.valueCount(held / 2) : trie.restCount((held - 1) / 2);

/**
 * The values the most specific template matching `segments` from `index` on holds, as valuesHeld or
 * restHeld of its node (NO_MATCH for none): literal first, then patterns, then a parameter, then a rest.
 */
function walk(trie: RouteTrie, node: number, segments: readonly string[], index: number, rank?: number[]): number {
  if (index === segments.length) return trie.valueCount(node) > 0 ? valuesHeld(node) : NO_MATCH;
  const segment = segments[index]!;
  const literal = trie.literalChild(node, segment);
  if (literal !== NO_NODE) {
    rank?.push(0);
    const found = walk(trie, literal, segments, index + 1, rank);
    if (found !== NO_MATCH) return found;
    rank?.pop();
  }
  const patterns = trie.patternCount(node);
  for (let position = 0; position < patterns; position++) {
    if (!trie.patternTest(node, position)(segment)) continue;
    rank?.push(1 + position);
    const found = walk(trie, trie.patternChild(node, position), segments, index + 1, rank);
    if (found !== NO_MATCH) return found;
    rank?.pop();
  }
  const param = trie.paramChild(node);
  if (param !== NO_NODE) {
    rank?.push(PARAM_CHOICE);
    const found = walk(trie, param, segments, index + 1, rank);
    if (found !== NO_MATCH) return found;
    rank?.pop();
  }
  if (trie.restCount(node) > 0) {
    rank?.push(REST_CHOICE);
    return restHeld(node);
  }
  return NO_MATCH;
}

function fitsIgnoringCase(trie: RouteTrie, node: number, lower: readonly string[], index: number): boolean {
  if (index === lower.length) return trie.valueCount(node) > 0;
  const segment = lower[index]!;
  const first = trie.firstLiteral(node);
  for (let child = first; child < first + trie.literalCount(node); child++)
    if (trie.keyOf(child).toLowerCase() === segment && fitsIgnoringCase(trie, child, lower, index + 1)) return true;
  for (let position = 0; position < trie.patternCount(node); position++)
    if (fitsIgnoringCase(trie, trie.patternChild(node, position), lower, index + 1)) return true;
  const param = trie.paramChild(node);
  return param !== NO_NODE && fitsIgnoringCase(trie, param, lower, index + 1);
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
