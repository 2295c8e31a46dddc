/**
 * Concrete request paths to endpoint templates: a trie of path segments, walked literal-first, so
 * `/rest/api/3/issue/createmeta` is the createmeta endpoint and not `{issueIdOrKey}`. No I/O.
 *
 * The trie is plain JSON (`RouteNode`), so the scraper builds it once when it publishes a shard and
 * the worker walks the parsed value as it is: a cold isolate runs no per-template code to get ready.
 */
import { editDistance } from "./nearest";

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

const PARAM = /^\{[^{}]+\}$/;
const PARAM_COST = 0.3;

/** Compiled once per isolate: the sources come from the catalog, a few dozen at most. */
const compiled = new Map<string, RegExp>();
function regexOf(source: string): RegExp {
  let regex = compiled.get(source);
  if (!regex) compiled.set(source, (regex = new RegExp(source)));
  return regex;
}

/** Tests a segment against a mixed pattern. */
export type SegmentTest = (segment: string) => boolean;

const segmentTests = new Map<string, SegmentTest>();

/**
 * How a stored pattern source is tested against a segment. Every source `segmentSource` writes (and every
 * source it wrote before adjacent parameters were merged) is literals between gaps, which `globTest` matches
 * by scanning, in time linear in the segment: as a regex, `{a}{b}…{j}.zip` became ten overlapping `.+?` and
 * a 40-character segment that ends in anything but `.zip` backtracked for seconds. Any other source (none is
 * written by the scraper) is still tested as the regex it is.
 */
export function segmentTestOf(source: string): SegmentTest {
  let test = segmentTests.get(source);
  if (!test) {
    const glob = parseGlob(source);
    const regex = glob ? undefined : regexOf(source);
    test = glob ? globTest(glob) : (segment) => regex!.test(segment);
    segmentTests.set(source, test);
  }
  return test;
}

/** A segment pattern as literals and gaps: `literals[i]`, then at least `gaps[i]` characters, ..., then the last literal. */
export interface Glob {
  literals: string[];
  gaps: number[];
}

const REGEX_SYNTAX = /[.*+?^${}()|[\]\\]/g;
/** Characters that are regex syntax unless escaped. */
const SYNTAX = ".*+?^$" + "{}()|[]\\";

/**
 * The regex source of a segment that mixes text and parameters: `{repo_name}-issues-{task_id}.zip` →
 * `^.+?-issues-.+?\.zip$`. Each parameter stands for at least one character; adjacent parameters cannot be
 * told apart, so `{a}{b}` is one gap of at least two (`.{2,}?`), never two quantifiers side by side.
 */
export function segmentSource(segment: string): string {
  const pieces = segment.split(/\{[^{}]+\}/);
  let source = `^${escapeRegex(pieces[0] ?? "")}`;
  let gap = 0;
  for (const literal of pieces.slice(1)) {
    gap++;
    if (literal === "") continue;
    source += `${gapSource(gap)}${escapeRegex(literal)}`;
    gap = 0;
  }
  return `${source}${gap > 0 ? gapSource(gap) : ""}$`;
}

function escapeRegex(literal: string): string {
  return literal.replace(REGEX_SYNTAX, "\\$&");
}

function gapSource(least: number): string {
  return least === 1 ? ".+?" : `.{${least},}?`;
}

/**
 * The glob a source written by `segmentSource` stands for, or undefined for any other source: `^`, then
 * literal characters (escaped where regex syntax) and gaps (`.+?`, `.+`, `.{n,}?`, merged when adjacent), then `$`.
 */
export function parseGlob(source: string): Glob | undefined {
  if (!source.startsWith("^") || !source.endsWith("$")) return undefined;
  const literals: string[] = [];
  const gaps: number[] = [];
  let literal = "";
  let gap = 0;
  const body = source.slice(1, -1);
  for (let index = 0; index < body.length; ) {
    const rest = body.slice(index, index + 16);
    const quantified = /^\.(?:\+\??|\{([1-9]\d{0,3}),\}\?)/.exec(rest);
    if (quantified) {
      if (gap === 0) literals.push(literal);
      literal = "";
      gap += quantified[1] === undefined ? 1 : Number(quantified[1]);
      index += quantified[0].length;
      continue;
    }
    let char = body[index]!;
    if (char === "\\") {
      char = body[index + 1] ?? "";
      // Only escapes of regex syntax are literal characters (`\d` is not). A lone `\` at the end means the
      // source ended in an escaped `\$`, a literal dollar rather than the end.
      if (char === "" || !(SYNTAX.includes(char) || char === "/")) return undefined;
      index += 2;
    } else {
      if (SYNTAX.includes(char)) return undefined;
      index++;
    }
    if (gap > 0) gaps.push(gap);
    gap = 0;
    literal += char;
  }
  if (gap > 0) {
    gaps.push(gap);
    literals.push("");
  } else literals.push(literal);
  return { literals, gaps };
}

/** Line terminators: a regex `.` never matches them, so neither does a gap. */
function isLineBreak(code: number): boolean {
  return code === 0x0a || code === 0x0d || code === 0x2028 || code === 0x2029;
}

function hasLineBreak(text: string, from: number, to: number): boolean {
  for (let index = from; index < to; index++) if (isLineBreak(text.charCodeAt(index))) return true;
  return false;
}

/**
 * Matches a glob by placing each middle literal at its earliest position after the gap before it: an
 * earlier place never leaves less room for what follows, so no other placement needs trying. Each
 * character is looked at by one search, so the work is linear in the segment (times a literal's length).
 */
export function globTest({ literals, gaps }: Glob): SegmentTest {
  const first = literals[0] ?? "";
  const last = literals[literals.length - 1] ?? "";
  if (gaps.length === 0) return (segment) => segment === first;
  const least = gaps.reduce((sum, gap) => sum + gap, 0) + literals.reduce((sum, literal) => sum + literal.length, 0);
  return (segment) => {
    if (segment.length < least || !segment.startsWith(first) || !segment.endsWith(last)) return false;
    const end = segment.length - last.length;
    let position = first.length;
    for (let index = 1; index < literals.length - 1; index++) {
      const literal = literals[index]!;
      const found = segment.indexOf(literal, position + gaps[index - 1]!);
      if (found === -1 || found + literal.length > end || hasLineBreak(segment, position, found)) return false;
      position = found + literal.length;
    }
    return end - position >= gaps[gaps.length - 1]! && !hasLineBreak(segment, position, end);
  };
}

function childOf(node: RouteNode, segment: string): RouteNode | undefined {
  // Own properties only: a segment such as `constructor` must not reach Object.prototype.
  return node.l !== undefined && Object.hasOwn(node.l, segment) ? node.l[segment] : undefined;
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
  private templates: string[] | undefined;
  /** Every template in a subtree, for suggestions: worked out on the first miss that needs it. */
  private readonly below = new WeakMap<RouteNode, string[]>();
  /** The trie as lookups walk it, converted as they reach it (see Walked); dropped by `add`. */
  private walked: Walked | undefined;

  constructor(
    root: RouteNode = {},
    values: T[] = [],
    private readonly templateOf?: (value: T) => string,
  ) {
    this.root = root;
    this.values = values;
    if (!templateOf) this.templates = [];
  }

  /** A matcher over a stored trie whose indices point into `values` (checked with routesProblem). */
  static fromRoutes<T>(root: RouteNode, values: T[], templateOf: (value: T) => string): PathMatcher<T> {
    return new PathMatcher(root, values, templateOf);
  }

  /** The trie as JSON, to be stored beside the values it indexes. */
  get routes(): RouteNode {
    return this.root;
  }

  /** Adds a value under a template like `/rest/api/3/issue/{issueIdOrKey}`. */
  add(template: string, value: T): void {
    this.walked = undefined;
    const index = this.values.push(value) - 1;
    this.templates?.push(template);
    const segments = template.split("/").filter((segment) => segment !== "");
    let node = this.root;
    segments.forEach((segment, position) => {
      if (position === segments.length - 1 && segment === "{path}") (node.r ??= []).push(index);
      if (PARAM.test(segment)) {
        node = node.p ??= {};
      } else if (segment.includes("{")) {
        const source = segmentSource(segment);
        const patterns = (node.x ??= []);
        let child = patterns.find(([held]) => held === source)?.[1];
        if (!child) patterns.push([source, (child = {})]);
        node = child;
      } else {
        // A null-prototype record: `__proto__` is then a segment like any other.
        const literal = (node.l ??= Object.create(null) as Record<string, RouteNode>);
        let child = childOf(node, segment);
        if (!child) literal[segment] = child = {};
        node = child;
      }
    });
    (node.v ??= []).push(index);
  }

  /**
   * Orders the values held under every template once, when the matcher is complete, so that a match
   * returns them in that order without sorting per request.
   */
  sortValues(compare: (a: T, b: T) => number): void {
    this.walked = undefined;
    const byValue = (a: number, b: number) => compare(this.values[a]!, this.values[b]!) || a - b;
    for (const node of nodesOf(this.root)) {
      node.v?.sort(byValue);
      node.r?.sort(byValue);
    }
  }

  /** Values of the most specific template matching these decoded segments, or [] when none does. */
  match(segments: readonly string[]): T[] {
    const found = walk(this.walkRoot(), segments, 0);
    return found ? found.map((index) => this.values[index]!) : [];
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
    let found: T[] = [];
    let holder: PathMatcher<T> | undefined;
    let holderRank: number[] | undefined;
    for (const matcher of matchers) {
      const indices = walk(matcher.walkRoot(), segments, 0);
      if (!indices) continue;
      const values = indices.map((index) => matcher.values[index]!);
      if (!holder) {
        [found, holder] = [values, matcher];
        continue;
      }
      // Two products with templates for the same path (none do today): the more specific one wins.
      holderRank ??= holder.matchRank(segments)!;
      const rank = matcher.matchRank(segments)!;
      const order = compareRanks(rank, holderRank);
      if (order < 0) [found, holder, holderRank] = [values, matcher, rank];
      else if (order === 0) found = [...found, ...values];
    }
    return found;
  }

  /** `suggest` over several tries as if they were one: the same walk, with every trie's node at each step. */
  static suggestAcross<T>(matchers: readonly PathMatcher<T>[], segments: readonly string[], count: number): string[] {
    // Bounded work whatever is pasted: follow the path as far as it matches, step back until the
    // subtree holds enough candidates, and rank only those, on at most MAX_SUGGEST_SEGMENTS segments.
    const path = segments.slice(0, MAX_SUGGEST_SEGMENTS);
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
    const templatesAt = (nodes: typeof step) => [
      ...new Set(nodes.flatMap(({ matcher, node }) => matcher.templatesBelow(node))),
    ];
    let from = trail.length - 1;
    while (from > 0 && templatesAt(trail[from]!).length < count * SUGGEST_POOL) from--;
    const reach = templatesAt(trail[from]!);
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

  /** The distinct templates in a subtree, in the order they were added. */
  private templatesBelow(node: RouteNode): string[] {
    let templates = this.below.get(node);
    if (!templates) {
      const all = (this.templates ??= this.values.map((value) => this.templateOf!(value)));
      const indices = new Set<number>();
      for (const held of nodesOf(node)) for (const index of held.v ?? []) indices.add(index);
      templates = [...new Set([...indices].sort((a, b) => a - b).map((index) => all[index]!))];
      this.below.set(node, templates);
    }
    return templates;
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
      for (const entry of x) {
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
    for (const list of [v, r]) {
      if (list === undefined) continue;
      if (!Array.isArray(list)) return "a route node's values are not a list";
      for (const index of list)
        if (!Number.isInteger(index) || index < 0 || index >= valueCount)
          return `route value ${String(index)} is not an endpoint index`;
    }
  }
  return undefined;
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
