/**
 * The path trie stored as flat lists (route-table.ts): it walks exactly like the nested trie it is
 * written from (filled templates, misses, ranks, suggestions, a template's own node, the case test),
 * reads back as that trie, and a table that breaks its layout is refused as strictly as routesProblem
 * refuses a nested one.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { PathMatcher, type RouteNode } from "../../src/catalog/matcher";
import { type RouteTable, routeNodeOf, routeTableOf, routeTrieOf, RouteTrie } from "../../src/catalog/route-table";
import { segmentTestOf } from "../../src/catalog/segment-pattern";

const split = (path: string): string[] => path.split("/").filter((segment) => segment !== "");

/** A template's values by index: the template itself and its position, so two of one template differ. */
function built(templates: readonly string[]): PathMatcher<string> {
  const matcher = new PathMatcher<string>(undefined, undefined, (value) => value.split(" ")[0]!);
  templates.forEach((template, index) => {
    matcher.add(template, `${template} ${index}`);
  });
  return matcher;
}

/** The trie as a shard stores it (JSON round trip), checked and wrapped over the same values. */
function fromTable(matcher: PathMatcher<string>, values: string[]): PathMatcher<string> {
  const table = JSON.parse(JSON.stringify(routeTableOf(matcher.routes))) as unknown;
  const trie = routeTrieOf(table, values.length);
  if (typeof trie === "string") throw new Error(trie);
  return PathMatcher.fromRoutes(trie, values, (value) => value.split(" ")[0]!);
}

/** The nested trie as layouts before the table stored it (JSON round trip), over the same values. */
function fromNested(matcher: PathMatcher<string>, values: string[]): PathMatcher<string> {
  const nested = JSON.parse(JSON.stringify(matcher.routes)) as RouteNode;
  return PathMatcher.fromRoutes(nested, values, (value) => value.split(" ")[0]!);
}

/**
 * The walk matcher.ts made over nested nodes before the table (literal first, then patterns, then a
 * parameter, then a `{path}` rest), kept here as the reference the table must agree with.
 */
function nestedWalk(node: RouteNode, segments: readonly string[], index: number): number[] | undefined {
  if (index === segments.length) return node.v !== undefined && node.v.length > 0 ? node.v : undefined;
  const segment = segments[index]!;
  if (node.l !== undefined && Object.hasOwn(node.l, segment)) {
    const found = nestedWalk(node.l[segment]!, segments, index + 1);
    if (found) return found;
  }
  for (const [source, child] of node.x ?? []) {
    if (!segmentTestOf(source)(segment)) continue;
    const found = nestedWalk(child, segments, index + 1);
    if (found) return found;
  }
  if (node.p !== undefined) {
    const found = nestedWalk(node.p, segments, index + 1);
    if (found) return found;
  }
  return node.r !== undefined && node.r.length > 0 ? node.r : undefined;
}

const LITERALS = ["rest", "api", "3", "issue", "Issue", "a", "b", "__proto__", "constructor", "toString", "é", "zz"];
const SEGMENTS = [...LITERALS, "{id}", "{key}", "{name}-x-{n}.zip", "v{n}", "{path}"];
const FILLERS = ["ABC-1", "1", "a", "v2", "q-x-7.zip", "rest", "__proto__", "hasOwnProperty", "x/y", "Issue"];

const templatesArb = fc.array(
  fc.array(fc.constantFrom(...SEGMENTS), { minLength: 1, maxLength: 5 }).map((parts) => `/${parts.join("/")}`),
  { minLength: 1, maxLength: 40 },
);

/** Paths to ask: templates filled (a parameter, a pattern or a rest with a filler), and random segments. */
const probesOf = (templates: readonly string[], fills: readonly string[], extra: readonly string[][]) => [
  ...templates.map((template, index) =>
    split(template).flatMap((part, at) => (part.includes("{") ? split(fills[(index + at) % fills.length]!) : [part])),
  ),
  ...extra,
];

describe("a stored route table walks exactly like the nested trie it was written from", () => {
  it("matches, ranks, suggests, finds a template's node and tests case like the nested trie (random templates)", () => {
    fc.assert(
      fc.property(
        templatesArb,
        fc.array(fc.constantFrom(...FILLERS), { minLength: 1, maxLength: 5 }),
        fc.array(fc.array(fc.constantFrom(...LITERALS, ...FILLERS), { maxLength: 6 }), { maxLength: 10 }),
        (templates, fills, extra) => {
          const matcher = built(templates);
          matcher.sortValues((a, b) => (a < b ? -1 : a > b ? 1 : 0));
          const values = templates.map((template, index) => `${template} ${index}`);
          const nested = JSON.parse(JSON.stringify(matcher.routes)) as RouteNode;
          const table = fromTable(matcher, values);
          const before = fromNested(matcher, values);
          for (const probe of probesOf(templates, fills, extra)) {
            const expected = (nestedWalk(nested, probe, 0) ?? []).map((index) => values[index]);
            expect(table.match(probe), probe.join("/")).toEqual(expected);
            expect(table.match(probe)).toEqual(before.match(probe));
            expect(table.matchRank(probe)).toEqual(before.matchRank(probe));
            expect(table.suggest(probe, 3)).toEqual(before.suggest(probe, 3));
            const lower = probe.map((segment) => segment.toLowerCase());
            expect(table.mayFitIgnoringCase(lower)).toBe(before.mayFitIgnoringCase(lower));
          }
          for (const template of templates) expect(table.atTemplate(template)).toEqual(before.atTemplate(template));
          expect(table.firstSegments().sort()).toEqual(Object.keys(nested.l ?? {}).sort());
          expect(table.takesAnyFirstSegment()).toBe(
            nested.p !== undefined || nested.x !== undefined || nested.r !== undefined,
          );
        },
      ),
      { numRuns: 300 },
    );
  });

  it("reads back as the nested trie (a shard read whole), and a built trie walks as a table too", () => {
    fc.assert(
      fc.property(templatesArb, (templates) => {
        const routes = built(templates).routes;
        const trie = routeTrieOf(JSON.parse(JSON.stringify(routeTableOf(routes))), templates.length);
        expect(trie).toBeInstanceOf(RouteTrie);
        expect(JSON.parse(JSON.stringify(routeNodeOf(trie as RouteTrie)))).toEqual(JSON.parse(JSON.stringify(routes)));
        expect(RouteTrie.of(routes)).toEqual(trie);
      }),
      { numRuns: 200 },
    );
  });

  it("a segment named like an Object.prototype member is a key like any other", () => {
    const matcher = built(["/__proto__/{id}", "/constructor", "/a/toString/{path}"]);
    const values = ["/__proto__/{id} 0", "/constructor 1", "/a/toString/{path} 2"];
    const table = fromTable(matcher, values);
    expect(table.match(["__proto__", "1"])).toEqual([values[0]]);
    expect(table.match(["constructor"])).toEqual([values[1]]);
    expect(table.match(["a", "toString", "x", "y"])).toEqual([values[2]]);
    for (const probe of [["hasOwnProperty"], ["toString"], ["__proto__"], ["a", "constructor", "x"]])
      expect(table.match(probe), probe.join("/")).toEqual([]);
    expect(table.firstSegments().sort()).toEqual(["__proto__", "a", "constructor"]);
    expect(table.hasFirstSegment("toString")).toBe(false);
  });
});

describe("routeTrieOf: a stored table that breaks its layout is refused", () => {
  // /a/{id}, /a/b (two values), /c/{n}.zip, /d/{path}, over 6 values.
  const good = (): RouteTable =>
    routeTableOf(built(["/a/{id}", "/a/b", "/a/b", "/c/{n}.zip", "/d/{path}", "/d"]).routes);
  const count = 6;
  const changed = (change: (table: RouteTable) => void) => {
    const table = JSON.parse(JSON.stringify(good())) as RouteTable;
    change(table);
    return table;
  };

  it("accepts what routeTableOf writes, and an empty trie", () => {
    expect(routeTrieOf(good(), count)).toBeInstanceOf(RouteTrie);
    expect(routeTrieOf(routeTableOf({}), 0)).toBeInstanceOf(RouteTrie);
    expect(good().patterns).toHaveLength(1);
  });

  const cases: { name: string; table: unknown; count?: number; want: RegExp }[] = [
    { name: "it is not an object", table: "routes", want: /not an object/ },
    { name: "it is null", table: null, want: /not an object/ },
    { name: "it is a list", table: [], want: /not an object/ },
    { name: "it is a nested trie", table: { l: { a: { v: [0] } } }, want: /are not lists/ },
    { name: "keys is not a list", table: changed((table) => Object.assign(table, { keys: "abc" })), want: /not lists/ },
    {
      name: "values is missing",
      table: changed((table) => Object.assign(table, { values: undefined })),
      want: /not lists/,
    },
    { name: "there are no nodes", table: { keys: [], nodes: [], values: [], patterns: [] }, want: /counts for each/ },
    { name: "the root has a key", table: changed((table) => table.keys.splice(0, 1, "a")), want: /counts for each/ },
    { name: "a count is missing", table: changed((table) => table.nodes.pop()), want: /counts for each/ },
    {
      name: "a count is null",
      table: changed((table) => table.nodes.splice(0, 1, null as never)),
      want: /whole numbers/,
    },
    { name: "a count is negative", table: changed((table) => table.nodes.splice(3, 1, -1)), want: /whole numbers/ },
    { name: "a count is a fraction", table: changed((table) => table.nodes.splice(0, 1, 1.5)), want: /whole numbers/ },
    {
      name: "a count is a string",
      table: changed((table) => table.nodes.splice(0, 1, "3" as never)),
      want: /whole numbers/,
    },
    { name: "a parameter count is 2", table: changed((table) => table.nodes.splice(2, 1, 2)), want: /whole numbers/ },
    {
      name: "the counts place more children than there are nodes",
      table: changed((table) => table.nodes.splice(0, 1, 99)),
      want: /more children than the table has nodes/,
    },
    {
      name: "the counts place fewer nodes than there are",
      table: changed((table) => {
        table.keys.push("");
        table.nodes.push(0, 0, 0, 0, 0);
      }),
      want: /nodes are \d+, its counts place/,
    },
    {
      name: "siblings' keys are out of order",
      table: changed((table) => table.keys.splice(1, 3, table.keys[3]!, table.keys[2]!, table.keys[1]!)),
      want: /not distinct strings in order/,
    },
    {
      name: "two siblings have one key",
      table: changed((table) => table.keys.splice(2, 1, table.keys[1]!)),
      want: /not distinct strings in order/,
    },
    {
      name: "a key is a number",
      table: changed((table) => table.keys.splice(1, 1, 1 as never)),
      want: /distinct strings/,
    },
    {
      name: "a parameter's child has a key",
      table: changed((table) => table.keys.splice(table.keys.lastIndexOf(""), 1, "p")),
      want: /a pattern's or a parameter's child with a segment/,
    },
    {
      name: "a pattern is not a string",
      table: changed((table) => table.patterns.splice(0, 1, 5 as never)),
      want: /pattern is not a string/,
    },
    {
      name: "a pattern is not a regular expression",
      table: changed((table) => table.patterns.splice(0, 1, "^(a$")),
      want: /is not a regular expression/,
    },
    { name: "a pattern too many", table: changed((table) => table.patterns.push("^a$")), want: /patterns are 2/ },
    { name: "a value too many", table: changed((table) => table.values.push(0)), want: /values are 8/ },
    {
      name: "a value is out of range",
      table: changed((table) => table.values.splice(0, 1, 6)),
      want: /route value 6 is not an endpoint index/,
    },
    { name: "a value is negative", table: changed((table) => table.values.splice(0, 1, -1)), want: /route value -1/ },
    {
      name: "a value is a fraction",
      table: changed((table) => table.values.splice(0, 1, 0.5)),
      want: /route value 0.5/,
    },
    {
      name: "a value is a string",
      table: changed((table) => table.values.splice(0, 1, "0" as never)),
      want: /route value 0 /,
    },
    { name: "any value when there are none", table: good(), count: 0, want: /route value/ },
  ];

  it.each(cases)("names the problem when $name", ({ table, count: values, want }) => {
    expect(routeTrieOf(table, values ?? count)).toMatch(want);
  });

  it("a rest value out of range is refused like any other", () => {
    // Root, /d, /d/{path}: /d holds the rest value (first), /d/{path} its own value.
    const table = routeTableOf(built(["/d/{path}"]).routes);
    expect(table.nodes).toEqual([1, 0, 0, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0, 1, 0]);
    expect(routeTrieOf(table, 1)).toBeInstanceOf(RouteTrie);
    table.values[0] = 5;
    expect(routeTrieOf(table, 1)).toMatch(/route value 5 is not an endpoint index/);
  });
});
