import { describe, expect, it } from "vitest";
import { CatalogIndex } from "../../src/catalog/catalog-index";
import { lookupEndpoints } from "../../src/catalog/lookup";
import type { Endpoint, HttpMethod, ProductShard } from "../../src/catalog/schema";
import { productData } from "../../src/storage/catalog-cache";
import { CatalogStore, CorruptValueError, checkShardShape } from "../../src/storage/catalog-store";
import {
  ALTERNATIVE_STARTS,
  ALTERNATIVE_TABLE,
  ENDPOINT_CONNECT_SCOPES,
  ENDPOINT_METHODS,
  ENDPOINT_PATHS,
  LINE_STARTS,
  ROUTE_TABLE,
  encodeShard,
  expandAlternatives,
  readLayout,
} from "../../src/storage/shard-layout";
import { routeNodeOf, routeTableOf, type RouteTrie } from "../../src/catalog/route-table";
import { withNestedRoutes } from "../helpers/nested-routes";
import { alt, endpoint as fixtureEndpoint } from "../catalog/catalog-fixture";
import { MemoryKv } from "../helpers/memory-kv";

/** An endpoint whose summary holds what JSON escapes (quotes, a backslash, a line break). */
const endpoint = (method: HttpMethod, path: string, scopes: string[]): Endpoint =>
  fixtureEndpoint("jira-software", method, path, [alt(scopes)], {
    summary: `${method} ${path}, with a "quote", a \\ and a line\nbreak`,
  });

function shard(endpoints: Endpoint[]): ProductShard {
  return {
    schemaVersion: 1,
    product: "jira-software",
    version: "2026-12-05T00-00-00Z",
    scrapedAt: "2026-12-05T00:00:00.000Z",
    contentHash: "hash",
    documents: [{ id: "jira-software", url: "https://example.test/doc.json", bytes: 1, operations: endpoints.length }],
    endpoints,
    scopes: [{ name: "read:board-scope:jira-software", kind: "granular", product: "jira-software", unused: false }],
    routes: { l: { rest: { v: endpoints.map((_, index) => index) } } },
  };
}

/** Where each endpoint line starts, in UTF-8 bytes from the first one's start, as the first line stores them. */
function startsOf(text: string): number[] {
  let at = 0;
  const lines = text.split("\n");
  return lines.slice(lines.findIndex((line) => line.startsWith('"scopes":')) + 1, -1).map((line) => {
    const start = at;
    at += new TextEncoder().encode(`${line}\n`).length;
    return start;
  });
}

/** The layout as stored before the lines' starts were: readers then scan for the lines. */
const unplaced = (text: string) => text.replace(/"endpointLineStarts":\[[\d,]*\],/, "");

/** The layout as stored before the alternatives had a line of their own: each endpoint line holds its own. */
function withoutTable(text: string): string {
  const lines = withNestedRoutes(text).split("\n");
  const at = lines.findIndex((line) => line.startsWith(`"${ALTERNATIVE_TABLE}":`));
  expect(at).toBe(3);
  const table = JSON.parse(lines[at]!.slice(ALTERNATIVE_TABLE.length + 3, -1)) as unknown[];
  const first = at + 2;
  const endpoints = lines.slice(first, -1).map((line) => {
    const comma = line.endsWith(",") ? "," : "";
    const endpoint = JSON.parse(comma ? line.slice(0, -1) : line) as { alternatives: number[] };
    return `${JSON.stringify({ ...endpoint, alternatives: endpoint.alternatives.map((index) => table[index]) })}${comma}`;
  });
  let start = 0;
  const starts = endpoints.map((line) => {
    const here = start;
    start += new TextEncoder().encode(`${line}\n`).length;
    return here;
  });
  const head = lines[0]!
    .replace(/"endpointLineStarts":\[[\d,]*\]/, `"${LINE_STARTS}":${JSON.stringify(starts)}`)
    .replace(/,"alternativeStarts":\[[\d,]*\]/, "")
    .replace(/,"endpointMethods":"[A-Z]*"/, "")
    .replace(/,"endpointConnectScopes":\{[^}]*\}/, "");
  return [head, ...lines.slice(1, at), ...lines.slice(at + 1, first), ...endpoints, lines.at(-1)].join("\n");
}

/** The layout as stored before the paths had a line of their own (and the alternatives neither). */
function withoutPaths(text: string): string {
  const lines = withoutTable(text).split("\n");
  expect(lines[2]).toMatch(/^"endpointPaths":/);
  return [...lines.slice(0, 2), ...lines.slice(3)].join("\n");
}

/** The layout as stored before the trie had a line of its own: the trie ends the first line (and no paths' line). */
function routesInHead(text: string): string {
  const [head, routes, ...rest] = withoutPaths(text).split("\n") as [string, string, ...string[]];
  expect(routes).toMatch(/^"routes":/);
  return [`${head}${routes}`, ...rest].join("\n");
}

const pathsOf = (shard: ProductShard) => shard.endpoints.map((endpoint) => endpoint.path);

/** Connect scopes on the first and last: `a-b` of READ and DELETE. */
const three = shard([
  { ...endpoint("GET", "/rest", ["read:board-scope:jira-software"]), connectScope: "READ" },
  endpoint("POST", "/rest", ["write:board-scope:jira-software"]),
  { ...endpoint("DELETE", "/rest", ["delete:board-scope:jira-software"]), connectScope: "DELETE" },
]);
const THREE_CONNECT_SCOPES = { names: ["READ", "DELETE"], letters: "a-b" };

describe("the stored shard layout", () => {
  const withIndex = { ...three, scopeIndex: { "read:board-scope:jira-software": [0] } };

  it("is the shard's JSON value with its alternatives stored once: its fields, the trie, the paths, the alternatives, the scopes, then one endpoint per line", () => {
    const text = encodeShard(withIndex);
    // Each endpoint line names its alternatives by position in the table.
    const [a, b] = three.endpoints.map(
      (endpoint, index) => JSON.stringify({ ...endpoint, alternatives: [index] }).length + 2,
    ) as [number, number];
    expect(startsOf(text)).toEqual([0, a, a + b]);
    const table = three.endpoints.map((endpoint) => endpoint.alternatives[0]);
    // And where each alternative starts in its line, from the first one's start.
    const [c, d] = table.map((alternative) => JSON.stringify(alternative).length + 1) as [number, number];
    const { routes, ...withoutTrie } = withIndex;
    expect(JSON.parse(text)).toEqual({
      ...withoutTrie,
      [ROUTE_TABLE]: routeTableOf(routes!),
      endpoints: three.endpoints.map((endpoint, index) => ({ ...endpoint, alternatives: [index] })),
      [LINE_STARTS]: [0, a, a + b],
      [ALTERNATIVE_STARTS]: [0, c, c + d],
      // GET, POST, DELETE: one letter each.
      [ENDPOINT_METHODS]: "GPD",
      [ENDPOINT_CONNECT_SCOPES]: THREE_CONNECT_SCOPES,
      [ENDPOINT_PATHS]: pathsOf(three),
      [ALTERNATIVE_TABLE]: table,
    });
    expect(expandAlternatives(JSON.parse(text))).toEqual({
      ...withIndex,
      [LINE_STARTS]: [0, a, a + b],
      [ENDPOINT_PATHS]: pathsOf(three),
    });
    const lines = text.split("\n");
    expect(lines).toHaveLength(9);
    expect(lines[0]).toMatch(
      /^\{"schemaVersion":1,.*"endpointLineStarts":\[0,[\d,]+\],"alternativeStarts":\[0,[\d,]+\],"endpointMethods":"GPD","endpointConnectScopes":\{"names":\["READ","DELETE"\],"letters":"a-b"\},$/,
    );
    expect(lines[0]).not.toMatch(/"scopes"|"routes"|"routeTable"|"endpointPaths"|"alternativeTable"/);
    expect(lines[1]).toBe(`"routeTable":${JSON.stringify(routeTableOf(routes!))},`);
    expect(lines[2]).toBe(`"endpointPaths":${JSON.stringify(pathsOf(three))},`);
    expect(lines[3]).toBe(`"alternativeTable":${JSON.stringify(table)},`);
    expect(lines[4]).toMatch(/^"scopes":\[.*\],"scopeIndex":\{.*\},"endpoints":\[$/);
    expect(lines.slice(5, 8).map((line) => JSON.parse(line.replace(/,$/, "")).alternatives)).toEqual([[0], [1], [2]]);
    expect(lines[8]).toBe("]}");
    // A shard without a trie (the scraper always builds one) has no trie line.
    const { routes: _, ...withoutRoutes } = withIndex;
    expect(encodeShard(withoutRoutes).split("\n")[1]).toMatch(/^"endpointPaths":/);
  });

  it("stores each distinct alternative once, in first-use order, and keeps each endpoint's key order", () => {
    const classic = alt(["read:jira-work"]);
    const granular = alt(["read:board-scope:jira-software", "read:project:jira"]);
    const shared = shard([
      fixtureEndpoint("jira-software", "GET", "/rest/a", [classic, granular]),
      fixtureEndpoint("jira-software", "GET", "/rest/b", [granular]),
      // Equal to the first by value, not the same object; then the same scopes in another state.
      fixtureEndpoint("jira-software", "GET", "/rest/c", [{ ...classic }, alt(["read:jira-work"], "Beta")]),
      fixtureEndpoint("jira-software", "GET", "/rest/d", []),
    ]);
    const text = encodeShard(shared);
    const stored = JSON.parse(text) as { alternativeTable: unknown[]; endpoints: { alternatives: number[] }[] };
    expect(stored.alternativeTable).toEqual([classic, granular, alt(["read:jira-work"], "Beta")]);
    expect(stored.endpoints.map((endpoint) => endpoint.alternatives)).toEqual([[0, 1], [1], [0, 2], []]);
    const layout = readLayout(text)!;
    const read = [0, 1, 2, 3].map((index) => layout.parseEndpoint(index) as Endpoint);
    expect(read).toEqual(shared.endpoints);
    for (const [index, endpoint] of read.entries())
      expect(Object.keys(endpoint)).toEqual(Object.keys(shared.endpoints[index]!));
    // Read lines share the table's objects.
    expect(read[1]!.alternatives[0]).toBe(read[0]!.alternatives[1]);
  });

  it("reads back the fields, the scopes and each endpoint by its index, with no endpoints or index too", () => {
    const layout = readLayout(encodeShard(withIndex))!;
    expect(layout.endpointCount).toBe(3);
    const { endpoints: _, scopes, scopeIndex, routes, ...head } = withIndex;
    expect(layout.head).toEqual(head);
    expect(layout.methods).toBe("GPD");
    expect(layout.connectScopes).toEqual(THREE_CONNECT_SCOPES);
    expect(layout.parseRoutes).toBeUndefined();
    expect(layout.parseRouteTable!()).toEqual(routeTableOf(routes!));
    expect(layout.parsePaths!()).toEqual(pathsOf(three));
    expect(layout.parseScopes()).toEqual({ scopes, scopeIndex, endpoints: [] });
    expect([2, 0, 1].map((index) => layout.parseEndpoint(index))).toEqual(
      [2, 0, 1].map((index) => three.endpoints[index]),
    );
    // A file's final newline (data/ holds each value so) is whitespace after the JSON value.
    expect(readLayout(`${encodeShard(three)}\n`)!.parseEndpoint(2)).toEqual(three.endpoints[2]);
    expect(readLayout(encodeShard(three))!.parseScopes()).toEqual({ scopes: three.scopes, endpoints: [] });
    const none = { ...shard([]), routes: {} };
    const empty = readLayout(encodeShard(none))!;
    const { routes: _none, ...noneWithoutTrie } = none;
    expect(JSON.parse(encodeShard(none))).toEqual({
      ...noneWithoutTrie,
      [ROUTE_TABLE]: { keys: [""], nodes: [0, 0, 0, 0, 0], values: [], patterns: [] },
      [LINE_STARTS]: [],
      [ALTERNATIVE_STARTS]: [],
      [ENDPOINT_METHODS]: "",
      [ENDPOINT_CONNECT_SCOPES]: { names: [], letters: "" },
      [ENDPOINT_PATHS]: [],
      [ALTERNATIVE_TABLE]: [],
    });
    expect(empty.endpointCount).toBe(0);
    expect(empty.parseRouteTable!()).toEqual(routeTableOf({}));
    const { routes: __, ...withoutRoutes } = three;
    const bare = readLayout(encodeShard(withoutRoutes))!;
    expect(bare.parseRoutes).toBeUndefined();
    expect(bare.parseRouteTable).toBeUndefined();
    expect(bare.parsePaths!()).toEqual(pathsOf(three));
    expect(bare.parseEndpoint(1)).toEqual(three.endpoints[1]);
  });

  it("reads a layout stored before the alternatives had their own line: each line's own", () => {
    const text = withoutTable(encodeShard(withIndex));
    expect(text).not.toContain(ALTERNATIVE_TABLE);
    const { [ENDPOINT_PATHS]: _paths, ...value } = JSON.parse(text) as Record<string, unknown>;
    expect(value).toEqual({ ...withIndex, [LINE_STARTS]: startsOf(text) });
    expect(expandAlternatives(JSON.parse(text))).toEqual(JSON.parse(text));
    const layout = readLayout(text)!;
    expect(layout.parsePaths!()).toEqual(pathsOf(three));
    expect(layout.parseScopes()).toEqual({ scopes: withIndex.scopes, scopeIndex: withIndex.scopeIndex, endpoints: [] });
    expect([2, 0, 1].map((index) => layout.parseEndpoint(index))).toEqual(
      [2, 0, 1].map((index) => three.endpoints[index]),
    );
  });

  it("reads a layout stored before the paths had their own line", () => {
    const text = withoutPaths(encodeShard(withIndex));
    const layout = readLayout(text)!;
    expect(layout.parsePaths).toBeUndefined();
    expect(layout.parseRoutes!()).toEqual(withIndex.routes);
    expect(layout.parseScopes()).toEqual({ scopes: withIndex.scopes, scopeIndex: withIndex.scopeIndex, endpoints: [] });
    expect(layout.parseEndpoint(2)).toEqual(three.endpoints[2]);
  });

  it("reads a layout stored before the trie had its own line, the trie then in the first line", () => {
    const text = routesInHead(encodeShard(withIndex));
    expect(JSON.parse(text)).toEqual({ ...withIndex, [LINE_STARTS]: startsOf(text) });
    const layout = readLayout(text)!;
    const { endpoints: _, scopes, scopeIndex, ...head } = withIndex;
    expect(layout.head).toEqual(head);
    expect(layout.parseRoutes).toBeUndefined();
    expect(layout.parseScopes()).toEqual({ scopes, scopeIndex, endpoints: [] });
    expect([2, 0, 1].map((index) => layout.parseEndpoint(index))).toEqual(
      [2, 0, 1].map((index) => three.endpoints[index]),
    );
    // And before the lines' starts too: scanned.
    expect(readLayout(unplaced(text))!.parseEndpoint(2)).toEqual(three.endpoints[2]);
  });

  it("reads its UTF-8 bytes as KV holds them, lines with characters of two, three and four bytes included", () => {
    const wide = shard([
      { ...endpoint("GET", "/rest", ["read:board-scope:jira-software"]), summary: "the user’s board — café 😀" },
      endpoint("POST", "/rest", ["write:board-scope:jira-software"]),
      { ...endpoint("PUT", "/rest", ["write:board-scope:jira-software"]), summary: "ünïcödé\r\n" },
    ]);
    const wideScopes = { ...wide, scopes: [{ ...wide.scopes[0]!, description: "Lire les tableaux ✓" }] };
    const text = `${encodeShard(wideScopes)}\r\n\t `;
    const fromBytes = readLayout(new TextEncoder().encode(text))!;
    const fromText = readLayout(text)!;
    for (const layout of [fromBytes, fromText]) {
      expect(layout.endpointCount).toBe(3);
      expect([0, 1, 2].map((index) => layout.parseEndpoint(index))).toEqual(wide.endpoints);
      expect(layout.parseScopes()).toEqual({ scopes: wideScopes.scopes, endpoints: [] });
    }
    const { endpoints: _, scopes: __, routes, ...head } = wideScopes;
    expect(fromBytes.head).toEqual(head);
    expect(fromBytes.parseRouteTable!()).toEqual(routeTableOf(routes!));
    expect(fromBytes.parsePaths!()).toEqual(pathsOf(wide));
  });

  it("is not claimed for JSON written otherwise (shards stored before it), which the caller parses whole", () => {
    expect(readLayout(JSON.stringify(three))).toBeUndefined();
    expect(readLayout(JSON.stringify(three, null, 2))).toBeUndefined();
    expect(readLayout("")).toBeUndefined();
  });

  it("reads a layout stored before the lines' starts were by scanning for them", () => {
    const text = unplaced(encodeShard(withIndex));
    expect(text).not.toContain(LINE_STARTS);
    const layout = readLayout(text)!;
    const { endpoints: _, scopes: __, scopeIndex: ___, routes: ____, ...head } = withIndex;
    expect(layout.head).toEqual(head);
    expect([2, 0, 1].map((index) => layout.parseEndpoint(index))).toEqual(
      [2, 0, 1].map((index) => three.endpoints[index]),
    );
  });

  it("checks a line where its stored start puts it when it is read: an object there, or a throw", () => {
    const text = encodeShard(three);
    const lines = text.split("\n");
    // The same length, so the starts still hold: found when that line is read, not before.
    const notObject = [...lines.slice(0, 5), `[${lines[5]!.slice(1, -2)}],`, ...lines.slice(6)].join("\n");
    const layout = readLayout(notObject)!;
    expect(layout.parseEndpoint(1)).toEqual(three.endpoints[1]);
    expect(() => layout.parseEndpoint(0)).toThrow(/line 1 is not one JSON object/);
    // Line 2's start one byte off: lines 1 and 2 no longer start or end where lines do; line 3 reads.
    const [, b, c] = startsOf(text) as [number, number, number];
    const stored = `"${LINE_STARTS}":[0,${b},${c}]`;
    expect(text).toContain(stored);
    const misplaced = readLayout(text.replace(stored, `"${LINE_STARTS}":[0,${b + 1},${c}]`))!;
    expect(misplaced.parseEndpoint(2)).toEqual(three.endpoints[2]);
    expect(() => misplaced.parseEndpoint(0)).toThrow(/line 1 is not one JSON object/);
    expect(() => misplaced.parseEndpoint(1)).toThrow(/line 2 is not one JSON object/);
    // One start too few: the last line would be two, which is not one JSON value.
    expect(() => readLayout(text.replace(stored, `"${LINE_STARTS}":[0,${b}]`))!.parseEndpoint(1)).toThrow(SyntaxError);
    // A start that is not a number throws when its line is read.
    const named = readLayout(text.replace(stored, `"${LINE_STARTS}":[0,"${b}",${c}]`))!;
    expect(named.parseEndpoint(2)).toEqual(three.endpoints[2]);
    expect(() => named.parseEndpoint(1)).toThrow(/not a place/);
    // Not a list, or not starting at the first line, refuses the shard when it is read.
    for (const starts of [`"x"`, `[1,${b},${c}]`, "[]", "null"])
      expect(() => readLayout(text.replace(stored, `"${LINE_STARTS}":${starts}`)), starts).toThrow(SyntaxError);
  });

  it("refuses a text that starts like the layout but breaks it", () => {
    const text = encodeShard(three);
    expect(() => readLayout(text.slice(0, -2))).toThrow(SyntaxError);
    expect(() => readLayout(text.slice(0, text.length - 40))).toThrow(SyntaxError);
    // Shards stored before the lines were sized have each line checked as it is found.
    const lines = unplaced(text).split("\n");
    expect(lines[5]).toMatch(/^\{"product"/);
    expect(() => readLayout([...lines.slice(0, 5), "[1,2],", ...lines.slice(6)].join("\n"))).toThrow(
      /line 1 is not one JSON object/,
    );
    expect(() => readLayout([...lines.slice(0, 5), lines[5]!.slice(0, -1), ...lines.slice(6)].join("\n"))).toThrow(
      /line 1 is not one JSON object/,
    );
    expect(() => readLayout([lines[0]!.slice(0, -1), ...lines.slice(1)].join("\n"))).toThrow(/first line .*comma/);
    expect(() => readLayout([lines[0], lines[1]!.slice(0, -1), ...lines.slice(2)].join("\n"))).toThrow(
      /routes line .*comma/,
    );
    const nested = withNestedRoutes(text).split("\n");
    expect(() => readLayout([nested[0], nested[1]!.slice(0, -1), ...nested.slice(2)].join("\n"))).toThrow(
      /routes line .*comma/,
    );
    expect(() => readLayout([lines[0], lines[1], lines[2]!.slice(0, -1), ...lines.slice(3)].join("\n"))).toThrow(
      /paths line .*comma/,
    );
    expect(() => readLayout([...lines.slice(0, 3), lines[3]!.slice(0, -1), ...lines.slice(4)].join("\n"))).toThrow(
      /alternatives line .*comma/,
    );
    expect(() => readLayout(['{"schemaVersion":1,broken,', ...lines.slice(1)].join("\n"))).toThrow(SyntaxError);
    // The trie's, the scopes' and the alternatives' lines are parsed when asked for.
    const badScopes = readLayout(
      [...lines.slice(0, 4), '"scopes":[oops],"endpoints":[', ...lines.slice(5)].join("\n"),
    )!;
    expect(() => badScopes.parseScopes()).toThrow(SyntaxError);
    expect(badScopes.parseRouteTable!()).toEqual(routeTableOf(three.routes!));
    const badRoutes = readLayout([lines[0], '"routes":{"l":oops},', ...lines.slice(2)].join("\n"))!;
    expect(() => badRoutes.parseRoutes!()).toThrow(SyntaxError);
    expect(badRoutes.parseEndpoint(0)).toEqual(three.endpoints[0]);
    const badTrie = readLayout([lines[0], '"routeTable":{"keys":oops},', ...lines.slice(2)].join("\n"))!;
    expect(() => badTrie.parseRouteTable!()).toThrow(SyntaxError);
    expect(badTrie.parseEndpoint(0)).toEqual(three.endpoints[0]);
    const badPaths = readLayout([lines[0], lines[1], '"endpointPaths":[oops],', ...lines.slice(3)].join("\n"))!;
    expect(() => badPaths.parsePaths!()).toThrow(SyntaxError);
    expect(badPaths.parseRouteTable!()).toEqual(routeTableOf(three.routes!));
    const badTable = readLayout([...lines.slice(0, 3), '"alternativeTable":[oops],', ...lines.slice(4)].join("\n"))!;
    expect(() => badTable.parseEndpoint(0)).toThrow(SyntaxError);
    expect(badTable.parseScopes()).toEqual({ scopes: three.scopes, endpoints: [] });
    const notList = [...lines.slice(0, 3), '"alternativeTable":{},', ...lines.slice(4)].join("\n");
    expect(() => readLayout(notList)).toThrow(/alternativeStarts does not place the alternatives' line/);
    // Without the starts (a table written otherwise), the line is parsed whole on first use.
    const unstarted = notList.replace(/"alternativeStarts":\[[\d,]*\],/, "");
    expect(() => readLayout(unstarted)!.parseEndpoint(0)).toThrow(/alternativeTable is not a list/);
    const whole = readLayout(text.replace(/"alternativeStarts":\[[\d,]*\],/, ""))!;
    expect([2, 0, 1].map((index) => whole.parseEndpoint(index))).toEqual(
      [2, 0, 1].map((index) => three.endpoints[index]),
    );
  });

  it("parses each alternative when a line first names it, where its stored start places it", () => {
    const text = encodeShard(three);
    const [c] = JSON.parse(text.slice(0, text.indexOf("\n")).replace(/,$/, "}"))[ALTERNATIVE_STARTS].slice(
      1,
    ) as number[];
    // The second alternative's first byte broken: only the line that names it fails, when read.
    const tableLine = text.split("\n")[3]!;
    const at = text.indexOf(tableLine) + `"${ALTERNATIVE_TABLE}":[`.length + c!;
    expect(text[at]).toBe("{");
    const broken = readLayout(`${text.slice(0, at)}x${text.slice(at + 1)}`)!;
    expect(broken.parseEndpoint(0)).toEqual(three.endpoints[0]);
    expect(broken.parseEndpoint(2)).toEqual(three.endpoints[2]);
    expect(() => broken.parseEndpoint(1)).toThrow(
      /alternative 1 is not one JSON object where alternativeStarts places it/,
    );
    // A start that is not a number, or starts that are not a list.
    const head = text.slice(0, text.indexOf("\n"));
    const named = readLayout(
      text.replace(head, head.replace(`"${ALTERNATIVE_STARTS}":[0,`, `"${ALTERNATIVE_STARTS}":["0",`)),
    )!;
    expect(() => named.parseEndpoint(0)).toThrow(/holds 0, not a place/);
    expect(named.parseEndpoint(1)).toEqual(three.endpoints[1]);
    // A start placing an alternative outside its line is refused, not followed: here at a tombstone's
    // own alternatives on the first line, which are objects between commas too.
    const gone = alt(["read:board-scope.admin:jira-software"], "Beta");
    const removed = {
      ...three,
      removed: [
        {
          product: "jira-software" as const,
          method: "GET" as const,
          path: "/rest/gone",
          removedIn: "v0",
          removedAt: "2026-12-01T00:00:00.000Z",
          alternatives: [gone, gone],
        },
      ],
    };
    const stored = encodeShard(removed);
    const storedHead = stored.slice(0, stored.indexOf("\n"));
    const tableStart = stored.indexOf(`"${ALTERNATIVE_TABLE}":[`) + ALTERNATIVE_TABLE.length + 4;
    const goneAt = stored.indexOf(JSON.stringify(gone));
    expect(goneAt).toBeLessThan(storedHead.length);
    // Starts from the table's first byte, which moves as the first line's length changes: settled in a few rounds.
    let lured = storedHead;
    for (let round = 0; round < 4; round++) {
      const first = tableStart + lured.length - storedHead.length;
      const at = goneAt - first;
      lured = storedHead.replace(
        /"alternativeStarts":\[0,/,
        `"${ALTERNATIVE_STARTS}":[${at},${at + JSON.stringify(gone).length + 1},`,
      );
    }
    expect(readLayout(stored)!.parseEndpoint(0)).toEqual(three.endpoints[0]);
    expect(() => readLayout(stored.replace(storedHead, lured))!.parseEndpoint(0)).toThrow(
      /alternative 0 is not one JSON object where alternativeStarts places it/,
    );
    // A start outside the alternatives' line (here into the lines before it) is refused, not followed.
    const outside = readLayout(
      text.replace(head, head.replace(`"${ALTERNATIVE_STARTS}":[0,${c}`, `"${ALTERNATIVE_STARTS}":[0,-40`)),
    )!;
    expect(() => outside.parseEndpoint(0)).toThrow(/alternative 0 is not one JSON object/);
    expect(() => outside.parseEndpoint(1)).toThrow(/alternative 1 is not one JSON object/);
    expect(outside.parseEndpoint(2)).toEqual(three.endpoints[2]);
    expect(() => readLayout(text.replace(/"alternativeStarts":\[[\d,]*\]/, '"alternativeStarts":7'))).toThrow(
      /does not place/,
    );
  });

  it("refuses an endpoint line naming an alternative the table does not hold, when that line is read", () => {
    // The same length, so the starts still hold.
    const text = encodeShard(three).replace('"alternatives":[1]', '"alternatives":[7]');
    const layout = readLayout(text)!;
    expect(layout.parseEndpoint(0)).toEqual(three.endpoints[0]);
    expect(() => layout.parseEndpoint(1)).toThrow(
      /endpoint line 2 names alternative 7, which alternativeTable does not hold/,
    );
    const named = readLayout(encodeShard(three).replace('"alternatives":[2]', '"alternatives":["2"]'))!;
    expect(() => named.parseEndpoint(2)).toThrow(/names alternative 2, which/);
    // A whole read refuses it too.
    expect(() => expandAlternatives(JSON.parse(text))).toThrow(/endpoint line 2 names alternative 7/);
    expect(() => expandAlternatives({ [ALTERNATIVE_TABLE]: "x", endpoints: [] })).toThrow(/not a list/);
  });
});

describe("CatalogStore.readShardForServing of the stored layout", () => {
  const key = "shard/2026-12-05T00-00-00Z/jira-software";
  const stored = async (text: string) => {
    const kv = new MemoryKv();
    await kv.put(key, text);
    return new CatalogStore(kv);
  };

  it("parses no scope record until one is read, then checks them and the scope index", async () => {
    const reported: CorruptValueError[] = [];
    const badIndex = encodeShard({ ...three, scopeIndex: { "read:board-scope:jira-software": [0, 7] } });
    const served = (await (await stored(badIndex)).readShardForServing(key, (error) => reported.push(error)))!;
    expect(served.endpoints[0]).toEqual(three.endpoints[0]);
    expect(reported).toEqual([]);
    expect(() => served.scopes).toThrow(/scopeIndex: .*holds 7/);
    expect(() => served.scopeIndex).toThrow(CorruptValueError);
    expect(reported.length).toBeGreaterThan(0);
    const good = (await (await stored(encodeShard({ ...three, scopeIndex: { x: [1, 2] } }))).readShardForServing(key))!;
    expect(good.scopes).toEqual(three.scopes);
    expect(good.scopeIndex).toEqual({ x: [1, 2] });
  });

  it("reads what a whole parse reads, and the scraper's zod read the same value", async () => {
    const store = await stored(encodeShard(three));
    const served = (await store.readShardForServing(key))!;
    expect(JSON.parse(JSON.stringify(served))).toEqual(three);
    expect([...served.endpoints]).toEqual(three.endpoints);
    expect(await store.readShard(key)).toEqual(three);
    // A whole read keeps no stored-only field as a field of the shard.
    expect(checkShardShape(key, JSON.parse(encodeShard(three)))).toEqual(three);
  });

  it("checks an endpoint when it is first read: a bad one throws CorruptValueError and is reported, the others read", async () => {
    // Endpoint 2's alternatives blanked out, the line's length kept so the starts still hold.
    const store = await stored(encodeShard(three).replace('"alternatives":[1],', " ".repeat(19)));
    const reported: CorruptValueError[] = [];
    const served = (await store.readShardForServing(key, (error) => reported.push(error)))!;
    expect(served.endpoints[0]).toEqual(three.endpoints[0]);
    expect(served.endpoints[2]).toEqual(three.endpoints[2]);
    expect(reported).toEqual([]);
    expect(() => served.endpoints[1]).toThrow(CorruptValueError);
    expect(() => served.endpoints[1]).toThrow(`stored value ${key} is corrupt`);
    expect(reported).toHaveLength(2);
    expect(reported[0]!.key).toBe(key);
  });

  it("reports a line that is not JSON the same way", async () => {
    // The same length, so the sizes still add up and the shard is served until that endpoint is read.
    const text = encodeShard(three).replace('"method":"POST"', "\"method\":'POST'");
    const reported: CorruptValueError[] = [];
    const served = (await (await stored(text)).readShardForServing(key, (error) => reported.push(error)))!;
    expect(() => served.endpoints[1]).toThrow(/stored value .* is corrupt: endpoint 1: .*not valid JSON/);
    expect(reported).toHaveLength(1);
    const unheld = encodeShard(three).replace('"alternatives":[2]', '"alternatives":[9]');
    const served2 = (await (await stored(unheld)).readShardForServing(key, (error) => reported.push(error)))!;
    expect(served2.endpoints[1]).toEqual(three.endpoints[1]);
    expect(() => served2.endpoints[2]).toThrow(/is corrupt: endpoint 2: .*names alternative 9/);
    expect(reported).toHaveLength(2);
  });

  it("parses the trie when a path lookup first reads it, then checks it: a bad one is reported and thrown", async () => {
    const reported: CorruptValueError[] = [];
    const badRoutes = encodeShard({ ...three, routes: { v: [3] } });
    const served = (await (await stored(badRoutes)).readShardForServing(key, (error) => reported.push(error)))!;
    expect(served.endpoints[2]).toEqual(three.endpoints[2]);
    expect(served.scopes).toEqual(three.scopes);
    expect(reported).toEqual([]);
    expect(() => served.routes).toThrow(/stored value .* is corrupt: routes: .*3/);
    expect(reported).toHaveLength(1);
    const notJson = encodeShard(three).replace('"routeTable":{"keys":', '"routeTable":{"keys":,');
    const unparsed = (await (await stored(notJson)).readShardForServing(key, (error) => reported.push(error)))!;
    expect(() => unparsed.routes).toThrow(/is corrupt: routes: .*JSON/);
    expect(reported).toHaveLength(2);
    const good = (await (await stored(encodeShard(three))).readShardForServing(key))!;
    expect(routeNodeOf(good.routes as RouteTrie)).toEqual(three.routes);
    // The layout before the table: the nested trie, checked by routesProblem, refused the same way.
    const nested = (await (
      await stored(withNestedRoutes(badRoutes))
    ).readShardForServing(key, (error) => reported.push(error)))!;
    expect(served.endpoints[1]).toEqual(three.endpoints[1]);
    expect(() => nested.routes).toThrow(/stored value .* is corrupt: routes: route value 3 is not an endpoint index/);
    expect(reported).toHaveLength(3);
    const nestedGood = (await (await stored(withNestedRoutes(encodeShard(three)))).readShardForServing(key))!;
    expect(nestedGood.routes).toEqual(three.routes);
    // Read whole (the bundled snapshot, the scraper's zod read), a bad table refuses the shard too.
    expect(() => checkShardShape(key, JSON.parse(badRoutes))).toThrow(/is corrupt: routes: route value 3/);
    await expect((await stored(badRoutes)).readShard(key)).rejects.toThrow(/is corrupt: routes: route value 3/);
  });

  it("serves the endpoints' paths, read and checked when first asked for, not as a field of the shard", async () => {
    const served = (await (await stored(encodeShard(three))).readShardForServing(key))!;
    expect(served.templates).toEqual(pathsOf(three));
    expect(Object.keys(served)).not.toContain("templates");
    expect(
      (await (await stored(withoutPaths(encodeShard(three)))).readShardForServing(key))!.templates,
    ).toBeUndefined();
    const reported: CorruptValueError[] = [];
    const short = encodeShard(three).replace(/^"endpointPaths":\[.*\],$/m, '"endpointPaths":["/rest"],');
    const bad = (await (await stored(short)).readShardForServing(key, (error) => reported.push(error)))!;
    expect(bad.endpoints[0]).toEqual(three.endpoints[0]);
    expect(reported).toEqual([]);
    expect(() => bad.templates).toThrow(/is corrupt: endpoint paths: not a list of 3/);
    expect(reported).toHaveLength(1);
    const notStrings = encodeShard(three).replace(/^"endpointPaths":\[.*\],$/m, '"endpointPaths":["/rest",1,"/rest"],');
    const served2 = (await (await stored(notStrings)).readShardForServing(key))!;
    expect(() => served2.templates).toThrow(/an entry is not a string/);
  });

  it("serves each endpoint's method letter, not as a field; a list that is not one letter per endpoint refuses the shard", async () => {
    const served = (await (await stored(encodeShard(three))).readShardForServing(key))!;
    expect(served.methods).toBe("GPD");
    expect(Object.keys(served)).not.toContain("methods");
    expect(JSON.parse(JSON.stringify(served))).toEqual(three);
    const before = withoutTable(encodeShard(three));
    expect((await (await stored(before)).readShardForServing(key))!.methods).toBeUndefined();
    for (const bad of ['"GP"', '"GPX"', '"gpd"', "[71,80,68]"])
      await expect(
        (
          await stored(encodeShard(three).replace('"endpointMethods":"GPD"', `"endpointMethods":${bad}`))
        ).readShardForServing(key),
      ).rejects.toThrow(/endpointMethods: not 3 method letters/);
  });

  it("checks each line read against its method letter: one that disagrees is corrupt", async () => {
    const reported: CorruptValueError[] = [];
    const swapped = encodeShard(three).replace('"endpointMethods":"GPD"', '"endpointMethods":"GDD"');
    const served = (await (await stored(swapped)).readShardForServing(key, (error) => reported.push(error)))!;
    expect(served.endpoints[0]).toEqual(three.endpoints[0]);
    expect(served.endpoints[2]).toEqual(three.endpoints[2]);
    expect(() => served.endpoints[1]).toThrow(/is corrupt: endpoint 1: endpointMethods says D, the line POST/);
    expect(reported).toHaveLength(1);
  });

  it("serves each endpoint's Connect scope letter, not as a field; letters that do not fit their names refuse the shard", async () => {
    const served = (await (await stored(encodeShard(three))).readShardForServing(key))!;
    expect(served.connectScopes).toEqual(THREE_CONNECT_SCOPES);
    expect(Object.keys(served)).not.toContain("connectScopes");
    expect(JSON.parse(JSON.stringify(served))).toEqual(three);
    const before = withoutTable(encodeShard(three));
    expect((await (await stored(before)).readShardForServing(key))!.connectScopes).toBeUndefined();
    const field = `"${ENDPOINT_CONNECT_SCOPES}":${JSON.stringify(THREE_CONNECT_SCOPES)}`;
    expect(encodeShard(three)).toContain(field);
    for (const bad of [
      '{"names":["READ","DELETE"],"letters":"a-"}',
      '{"names":["READ","DELETE"],"letters":"a-c"}',
      '{"names":["READ","READ"],"letters":"a-b"}',
      '{"names":["READ",""],"letters":"a-b"}',
      '{"names":"READ","letters":"a-b"}',
      '{"names":[],"letters":"a-b"}',
      '"a-b"',
    ])
      await expect(
        (await stored(encodeShard(three).replace(field, `"${ENDPOINT_CONNECT_SCOPES}":${bad}`))).readShardForServing(
          key,
        ),
      ).rejects.toThrow(/endpointConnectScopes: not 3 letters of its names/);
  });

  it("checks each line read against its Connect scope letter: one that disagrees is corrupt", async () => {
    const reported: CorruptValueError[] = [];
    const swapped = encodeShard(three).replace('"letters":"a-b"', '"letters":"a-a"');
    const served = (await (await stored(swapped)).readShardForServing(key, (error) => reported.push(error)))!;
    expect(served.endpoints[0]).toEqual(three.endpoints[0]);
    expect(() => served.endpoints[2]).toThrow(/is corrupt: endpoint 2: endpointConnectScopes says a, the line DELETE/);
    expect(reported).toHaveLength(1);
    // A letter on a line without a Connect scope.
    const lettered = encodeShard(three).replace('"letters":"a-b"', '"letters":"aab"');
    const served2 = (await (await stored(lettered)).readShardForServing(key))!;
    expect(() => served2.endpoints[1]).toThrow(/is corrupt: endpoint 1: endpointConnectScopes says a, the line none/);
  });

  it("lets a lookup with a method parse only that method's lines at the template", async () => {
    // POST's line made unreadable (same length, so the starts hold): reading it would throw.
    const text = encodeShard(three).replace('"method":"POST"', "\"method\":'POST'");
    const served = (await (await stored(text)).readShardForServing(key))!;
    // As the catalog cache indexes a shard it serves.
    const index = CatalogIndex.build({
      version: three.version,
      publishedAt: three.scrapedAt,
      products: { "jira-software": productData(served) },
    });
    const get = lookupEndpoints(index, "/rest", "GET");
    expect(get.ok && get.endpoints).toEqual([three.endpoints[0]]);
    const remove = lookupEndpoints(index, "/rest", "delete");
    expect(remove.ok && remove.endpoints).toEqual([three.endpoints[2]]);
    // Every method, or a method the template lacks (its answer names the others), reads every line.
    expect(() => lookupEndpoints(index, "/rest")).toThrow(/endpoint 1: .*not valid JSON/);
    expect(() => lookupEndpoints(index, "/rest", "PUT")).toThrow(/endpoint 1: .*not valid JSON/);
    const whole = CatalogIndex.build({
      version: three.version,
      publishedAt: three.scrapedAt,
      products: { "jira-software": (await (await stored(encodeShard(three))).readShardForServing(key))! },
    });
    const put = lookupEndpoints(whole, "/rest", "PUT");
    expect(!put.ok && put.code).toBe("method_not_found");
    expect(!put.ok && put.details).toEqual({ path: "/rest", methods: ["GET", "POST", "DELETE"] });
  });

  it("refuses the whole shard when the first line fails its check or the layout is broken", async () => {
    // Stored before the trie had its own line, the trie is on the first line and checked with it.
    const badRoutes = routesInHead(encodeShard({ ...three, routes: { v: [3] } }));
    await expect((await stored(badRoutes)).readShardForServing(key)).rejects.toThrow(/routes: .*3/);
    const oldLayout = (await (await stored(routesInHead(encodeShard(three)))).readShardForServing(key))!;
    expect(oldLayout.routes).toEqual(three.routes);
    const truncated = encodeShard(three).slice(0, -3);
    await expect((await stored(truncated)).readShardForServing(key)).rejects.toThrow(CorruptValueError);
    const version = encodeShard({ ...three, schemaVersion: 2 as 1 });
    await expect((await stored(version)).readShardForServing(key)).rejects.toThrow("schemaVersion 2 is not 1");
  });

  it("still reads a shard stored as one JSON line (before the layout), checking every endpoint at once", async () => {
    const served = (await (await stored(JSON.stringify(three))).readShardForServing(key))!;
    expect(served).toEqual(three);
    const broken = JSON.stringify({ ...three, routes: undefined, endpoints: [{ method: "GET" }] });
    await expect((await stored(broken)).readShardForServing(key)).rejects.toThrow("lacks method, path or alternatives");
  });
});
