/**
 * A path trie as flat lists, the form a shard stores it in (`routeTable`, layout
 * "endpoint-lines-with-route-table") and the form lookups walk. No I/O.
 *
 * Nodes are numbered breadth-first from the root (0), each node's children numbered together in the
 * order literal (keys sorted), pattern, parameter, so where a node's children are follows from the
 * counts of the nodes before it and no child index is stored. Per node, `nodes` holds
 * NODE_FIELDS counts: literal children, pattern children, a parameter child (0 or 1), values, rest
 * values; `keys[i]` is node i's literal segment ("" for the root, a pattern's or a parameter's child),
 * `values` each node's values then its rest values, `patterns` each pattern child's source in order.
 *
 * Why: as nested objects (RouteNode) every node of Jira's 905 is an object of its own shape, which a
 * cold JSON.parse builds slowly and a check walks as dictionaries. As four lists of strings and small
 * integers, Jira's trie parses and checks in 1.0 ms where the nested one took 2.05, and three lookups
 * then walk it in 0.27 ms instead of 0.43 (medians of 21 fresh Node processes, the bundled code).
 */
import type { RouteNode } from "./matcher";
import { regexOf, type SegmentTest, segmentTestOf } from "./segment-pattern";

/** The trie as stored: see the file's header. */
export interface RouteTable {
  keys: string[];
  nodes: number[];
  values: number[];
  patterns: string[];
}

/** Counts stored per node in `nodes`: literal children, pattern children, parameter child, values, rest values. */
const NODE_FIELDS = 5;
const LITERALS = 0;
const PATTERNS = 1;
const PARAM = 2;
const VALUES = 3;
const REST = 4;
/** No node: what a lookup of a child that is not there returns. */
export const NO_NODE = -1;

/**
 * The stored form of a trie built as nested nodes: what the scraper writes, and what a shard stored
 * before the table is walked as. Indexed loops, no spread or sort unless needed: over a shard of
 * that layout this runs on every node of its trie when a cold isolate first matches a path.
 */
export function routeTableOf(root: RouteNode): RouteTable {
  const keys = [""];
  const nodes: number[] = [];
  const values: number[] = [];
  const patterns: string[] = [];
  const queue: RouteNode[] = [root];
  for (let at = 0; at < queue.length; at++) {
    const node = queue[at]!;
    const children = node.l;
    let literalCount = 0;
    if (children !== undefined) {
      const literal = Object.keys(children);
      // Code-unit order, as RouteTrie's binary search compares: JSON.parse puts integer-like keys first.
      if (!inOrder(literal)) literal.sort();
      literalCount = literal.length;
      for (let index = 0; index < literalCount; index++) {
        keys.push(literal[index]!);
        queue.push(children[literal[index]!]!);
      }
    }
    const mixed = node.x;
    const patternCount = mixed === undefined ? 0 : mixed.length;
    for (let index = 0; index < patternCount; index++) {
      keys.push("");
      patterns.push(mixed![index]![0]);
      queue.push(mixed![index]![1]);
    }
    if (node.p !== undefined) {
      keys.push("");
      queue.push(node.p);
    }
    const own = node.v === undefined ? 0 : node.v.length;
    const rest = node.r === undefined ? 0 : node.r.length;
    for (let index = 0; index < own; index++) values.push(node.v![index]!);
    for (let index = 0; index < rest; index++) values.push(node.r![index]!);
    nodes.push(literalCount, patternCount, node.p === undefined ? 0 : 1, own, rest);
  }
  return { keys, nodes, values, patterns };
}

function inOrder(keys: readonly string[]): boolean {
  for (let index = 1; index < keys.length; index++) if (!(keys[index - 1]! < keys[index]!)) return false;
  return true;
}

/**
 * A checked route table, walked as stored: node numbers, with where each node's children, values and
 * patterns start worked out by the check. Made by routeTrieOf (a stored table) or RouteTrie.of (a built trie).
 */
export class RouteTrie {
  /** Each pattern child's test, compiled on first use. */
  private readonly tests: (SegmentTest | undefined)[] = [];

  private constructor(
    private readonly table: RouteTable,
    /** Node i's first child. */
    private readonly firstChild: Int32Array,
    /** Where node i's values start in `values`, its rest values following them. */
    private readonly valueStart: Int32Array,
    /** Node i's first pattern's position in `patterns`. */
    private readonly patternStart: Int32Array,
  ) {}

  /** A trie built as nested nodes (checked with routesProblem, or built here), walked as a table. */
  static of(root: RouteNode): RouteTrie {
    const checked = routeTrieOf(routeTableOf(root), Number.MAX_SAFE_INTEGER);
    if (typeof checked === "string") throw new Error(`a built trie is not sound: ${checked}`);
    return checked;
  }

  /** Used by routeTrieOf once the table is checked. */
  static checked(table: RouteTable, firstChild: Int32Array, valueStart: Int32Array, patternStart: Int32Array) {
    return new RouteTrie(table, firstChild, valueStart, patternStart);
  }

  /** The trie as nested nodes, as a shard's `routes` reads: a served shard stringifies as the shard does. */
  toJSON(): RouteNode {
    return routeNodeOf(this);
  }

  /** The child of `node` for this literal segment, or NO_NODE: a binary search of its sorted keys. */
  literalChild(node: number, segment: string): number {
    const keys = this.table.keys;
    let low = this.firstChild[node]!;
    let high = low + this.table.nodes[node * NODE_FIELDS + LITERALS]! - 1;
    while (low <= high) {
      const middle = (low + high) >> 1;
      const key = keys[middle]!;
      if (key === segment) return middle;
      if (key < segment) low = middle + 1;
      else high = middle - 1;
    }
    return NO_NODE;
  }

  /** How many literal children `node` has: they are `firstLiteral(node)` onwards, each keyed by `keyOf`. */
  literalCount(node: number): number {
    return this.table.nodes[node * NODE_FIELDS + LITERALS]!;
  }

  firstLiteral(node: number): number {
    return this.firstChild[node]!;
  }

  keyOf(node: number): string {
    return this.table.keys[node]!;
  }

  patternCount(node: number): number {
    return this.table.nodes[node * NODE_FIELDS + PATTERNS]!;
  }

  patternChild(node: number, position: number): number {
    return this.firstChild[node]! + this.literalCount(node) + position;
  }

  patternSource(node: number, position: number): string {
    return this.table.patterns[this.patternStart[node]! + position]!;
  }

  patternTest(node: number, position: number): SegmentTest {
    const at = this.patternStart[node]! + position;
    return (this.tests[at] ??= segmentTestOf(this.table.patterns[at]!));
  }

  /** The child for a segment that is one parameter, or NO_NODE. */
  paramChild(node: number): number {
    const fields = node * NODE_FIELDS;
    const nodes = this.table.nodes;
    return nodes[fields + PARAM] === 0
      ? NO_NODE
      : this.firstChild[node]! + nodes[fields + LITERALS]! + nodes[fields + PATTERNS]!;
  }

  /** `node` and every node below it. */
  subtree(node: number): number[] {
    const nodes = [node];
    for (let at = 0; at < nodes.length; at++) {
      const below = nodes[at]!;
      const fields = below * NODE_FIELDS;
      const counts = this.table.nodes;
      const first = this.firstChild[below]!;
      const end = first + counts[fields + LITERALS]! + counts[fields + PATTERNS]! + counts[fields + PARAM]!;
      for (let child = first; child < end; child++) nodes.push(child);
    }
    return nodes;
  }

  /** Values (indices) of templates ending at `node` are `values` from `valuesFrom` for `valueCount`. */
  get values(): readonly number[] {
    return this.table.values;
  }

  valuesFrom(node: number): number {
    return this.valueStart[node]!;
  }

  valueCount(node: number): number {
    return this.table.nodes[node * NODE_FIELDS + VALUES]!;
  }

  /** Rest values (a `{path}` next) follow the node's values. */
  restFrom(node: number): number {
    return this.valueStart[node]! + this.valueCount(node);
  }

  restCount(node: number): number {
    return this.table.nodes[node * NODE_FIELDS + REST]!;
  }
}

/**
 * The stored table as a trie, or what is wrong with it: held to what routesProblem holds a nested trie
 * to (every value an index below `valueCount`, every pattern a regular expression), and laid out as
 * routeTableOf writes it (counts that number every node but the root as one node's child, keys sorted
 * and distinct among siblings). Keys are strings in a list, never property names: `__proto__` or
 * `constructor` is a segment like any other. Indexed loops and no calls: this runs on every node of a
 * shard's trie when a cold isolate reads it, in V8's interpreter, where each call cost as much as the
 * loop's other work (0.25 ms of Jira's 0.55). A count is a whole number from 0 to 2^32 - 1: `x >>> 0`
 * gives back anything else changed, a non-number too.
 */
export function routeTrieOf(value: unknown, valueCount: number): RouteTrie | string {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return "the route table is not an object";
  const { keys, nodes, values, patterns } = value as Partial<RouteTable>;
  if (!Array.isArray(keys) || !Array.isArray(nodes) || !Array.isArray(values) || !Array.isArray(patterns))
    return "the route table's keys, nodes, values or patterns are not lists";
  const count = keys.length;
  if (count === 0 || nodes.length !== count * NODE_FIELDS || keys[0] !== "")
    return `the route table's nodes do not hold ${NODE_FIELDS} counts for each of its ${count} keys`;
  const firstChild = new Int32Array(count);
  const valueStart = new Int32Array(count);
  const patternStart = new Int32Array(count);
  let next = 1;
  let placed = 0;
  let pattern = 0;
  for (let node = 0; node < count; node++) {
    const fields = node * NODE_FIELDS;
    const literals = nodes[fields + LITERALS] as number;
    const patternCount = nodes[fields + PATTERNS] as number;
    const param = nodes[fields + PARAM] as number;
    const own = nodes[fields + VALUES] as number;
    const rest = nodes[fields + REST] as number;
    if (
      literals >>> 0 !== literals ||
      patternCount >>> 0 !== patternCount ||
      (param !== 0 && param !== 1) ||
      own >>> 0 !== own ||
      rest >>> 0 !== rest
    )
      return `route node ${node}'s counts are not whole numbers`;
    const children = literals + patternCount + param;
    if (children > count - next) return `route node ${node} has more children than the table has nodes`;
    firstChild[node] = next;
    valueStart[node] = placed;
    patternStart[node] = pattern;
    let previous = "";
    for (let child = next; child < next + literals; child++) {
      const key = keys[child];
      if (typeof key !== "string" || (child > next && !(key > previous)))
        return `route node ${node}'s literal segments are not distinct strings in order`;
      previous = key;
    }
    for (let child = next + literals; child < next + children; child++)
      if (keys[child] !== "") return `route node ${child} is a pattern's or a parameter's child with a segment`;
    for (let position = 0; position < patternCount; position++, pattern++) {
      const source = patterns[pattern];
      if (typeof source !== "string") return "a route pattern is not a string";
      try {
        regexOf(source);
      } catch {
        return `route pattern ${JSON.stringify(source).slice(0, 80)} is not a regular expression`;
      }
    }
    next += children;
    placed += own + rest;
  }
  if (next !== count) return `the route table's nodes are ${count}, its counts place ${next}`;
  if (placed !== values.length) return `the route table's values are ${values.length}, its counts place ${placed}`;
  if (pattern !== patterns.length)
    return `the route table's patterns are ${patterns.length}, its counts place ${pattern}`;
  for (let at = 0; at < values.length; at++) {
    const index = values[at] as number;
    if (index >>> 0 !== index || index >= valueCount) return `route value ${String(index)} is not an endpoint index`;
  }
  return RouteTrie.checked(value as RouteTable, firstChild, valueStart, patternStart);
}

/** The trie as nested nodes (a shard read whole: its `routes`, as in layouts before the table). */
export function routeNodeOf(trie: RouteTrie): RouteNode {
  const nodeAt = (node: number): RouteNode => {
    const built: RouteNode = {};
    const literals = trie.literalCount(node);
    if (literals > 0) {
      // A null-prototype record, as PathMatcher.add builds: `__proto__` is then a segment like any other.
      const children = Object.create(null) as Record<string, RouteNode>;
      const first = trie.firstLiteral(node);
      for (let child = first; child < first + literals; child++) children[trie.keyOf(child)] = nodeAt(child);
      built.l = children;
    }
    const patterns = trie.patternCount(node);
    if (patterns > 0)
      built.x = Array.from({ length: patterns }, (_, position): [string, RouteNode] => [
        trie.patternSource(node, position),
        nodeAt(trie.patternChild(node, position)),
      ]);
    const param = trie.paramChild(node);
    if (param !== NO_NODE) built.p = nodeAt(param);
    if (trie.valueCount(node) > 0)
      built.v = trie.values.slice(trie.valuesFrom(node), trie.valuesFrom(node) + trie.valueCount(node));
    if (trie.restCount(node) > 0)
      built.r = trie.values.slice(trie.restFrom(node), trie.restFrom(node) + trie.restCount(node));
    return built;
  };
  return nodeAt(0);
}
