/**
 * How a shard is laid out in KV, so a cold isolate parses only what a request reads. The value is
 * ordinary JSON, written as: the shard's own fields on the first line, its path trie on the second (as
 * flat lists, `routeTable`: catalog/route-table.ts), each endpoint's path on the third, the distinct
 * alternatives on the fourth, the scope records and scope index on the fifth, then one endpoint per
 * line, its `alternatives` as positions in the fourth:
 *
 *   {"schemaVersion":1,"product":"jira",…,"removed":[…],"endpointLineStarts":[0,…],
 *   "routeTable":{"keys":["","rest",…],"nodes":[1,0,0,0,0,…],"values":[…],"patterns":[]},
 *   "endpointPaths":["/rest/api/2/announcementBanner",…],
 *   "alternativeTable":[{"kind":"classic","state":"Current","scopes":["manage:jira-configuration"],…},…],
 *   "scopes":[…],"scopeIndex":{…},"endpoints":[
 *   {"product":"jira","method":"GET","path":"/rest/api/2/announcementBanner",…,"alternatives":[0,1],…},
 *   …
 *   ]}
 *
 * The first line also holds `endpointLineStarts`, where each endpoint line starts, in UTF-8 bytes from
 * the first one's start, so a reader finds line i without scanning or summing the lines before it, and
 * `endpointMethods`, endpoint i's method as one letter at i (METHOD_LETTERS, catalog/schema.ts), so a
 * lookup with a method parses only the lines of that method: a template's other methods were a
 * quarter of the lines a /diff of 1,000 endpoints parsed. `endpointConnectScopes` holds each endpoint's
 * Connect scope the same way (`names`, and one letter per endpoint in `letters`: `-` for none, `a` for
 * the first name, ...), so a list of what a Connect app can call parses only the lines it shows, not
 * every line of the catalog.
 * `endpointPaths` holds endpoint i's template at i, so that suggestions for a path that matched
 * nothing rank templates without parsing the endpoints that hold them. `alternativeTable` holds each
 * distinct alternative once: the catalog's 3,415 alternatives are 590 distinct ones, 31% of the
 * endpoint lines' bytes, and most of the objects a parsed line allocates. None of these (nor
 * `alternativeStarts`, `endpointMethods` or `endpointConnectScopes`) is a field of the shard:
 * `expandAlternatives` turns the whole value back into the shard, and zod's read strips the rest.
 *
 * Serving reads the shard's bytes and parses the first line when the shard is read (Jira's: 13 KB of
 * its 723), the trie when a path is first matched (22 KB), the paths when a miss is first ranked
 * (47 KB), the scopes when they are first asked about (53 KB; of one scope asked about alone, only its
 * record and positions: scopeEntryReader), each alternative when a line first names it (placed by
 * `alternativeStarts` on the first line), and each endpoint when first read, decoding only that line,
 * whose alternatives are then the table's own (read-only) objects. `JSON.parse` of the
 * whole Jira shard (0.96 MB before the table) costs 5-6.5 ms of a cold isolate's CPU, and the garbage
 * collector as much again; of its first line with the trie in it 1.3 ms, without 0.1 ms; finding
 * Jira's 1,126 lines with `Uint8Array.indexOf`, about 2 ms (each in a fresh Node process).
 *
 * Layouts written before (the manifest's pointer names them) are still read: the trie as nested
 * objects (`routes`, "endpoint-lines-with-alternative-table"), alternatives written out
 * in each line ("endpoint-lines-with-paths-line"), no paths' line either ("endpoint-lines-with-routes-line":
 * suggestions parse the endpoints), the trie on the first line too ("endpoint-lines-with-starts"), and
 * no line starts either ("endpoint-lines": lines scanned).
 */
import {
  type Alternative,
  type ConnectScopeLetters,
  type Endpoint,
  connectLetterAt,
  METHOD_LETTERS,
  NO_CONNECT_SCOPE,
  type ProductShard,
} from "../catalog/schema";
import { routeNodeOf, routeTableOf, routeTrieOf } from "../catalog/route-table";

const ROUTES_OPEN = '"routes":';
/** The trie's line as flat lists: not a field of the shard (`expandAlternatives` reads it back as `routes`). */
export const ROUTE_TABLE = "routeTable";
const ROUTE_TABLE_OPEN = `"${ROUTE_TABLE}":`;
const SCOPES_OPEN = '"scopes":';
const ENDPOINTS_OPEN = '"endpoints":[';
const CLOSE = "]}";
/** The first line's field that places the endpoint lines: not a field of the shard, and not served. */
export const LINE_STARTS = "endpointLineStarts";
/** The first line's field of each endpoint's method, one letter by index: not a field of the shard. */
export const ENDPOINT_METHODS = "endpointMethods";
/** The first line's field of each endpoint's Connect scope, one letter by index: not a field of the shard. */
export const ENDPOINT_CONNECT_SCOPES = "endpointConnectScopes";
/** Letters `a` to `z`: a shard with more distinct Connect scopes is stored without the field. */
export const MAX_CONNECT_SCOPE_NAMES = 26;
/** The line of each endpoint's path, by index: not a field of the shard. */
export const ENDPOINT_PATHS = "endpointPaths";
const PATHS_OPEN = `"${ENDPOINT_PATHS}":`;
/** The line of the distinct alternatives, which endpoint lines name by position: not a field of the shard. */
export const ALTERNATIVE_TABLE = "alternativeTable";
/** The first line's field that places each alternative in its line: not a field of the shard. */
export const ALTERNATIVE_STARTS = "alternativeStarts";
const TABLE_OPEN = `"${ALTERNATIVE_TABLE}":`;

/**
 * The shard as stored, laid out as above: `JSON.stringify(shard)` with `endpointLineStarts`,
 * `endpointPaths` and `alternativeTable` added and each endpoint's alternatives written as positions
 * in the table (`expandAlternatives` reads the value back as the shard).
 */
export function encodeShard(shard: ProductShard): string {
  const { endpoints, scopes, scopeIndex, routes, ...rest } = shard;
  // Each distinct alternative's JSON, in first-use order: the table's entries and their positions.
  const table: string[] = [];
  const positions = new Map<string, number>();
  const positionOf = (alternative: Alternative) => {
    const text = JSON.stringify(alternative);
    let at = positions.get(text);
    if (at === undefined) {
      at = table.push(text) - 1;
      positions.set(text, at);
    }
    return at;
  };
  const lines = endpoints.map((endpoint, index) => {
    // The spread keeps `alternatives` where the endpoint has it: a read gives back the same key order.
    const line = JSON.stringify({ ...endpoint, alternatives: endpoint.alternatives.map(positionOf) });
    return `${line}${index < endpoints.length - 1 ? "," : ""}\n`;
  });
  const entries = table.map((text, index) => `${text}${index < table.length - 1 ? "," : ""}`);
  const head = JSON.stringify({
    ...rest,
    [LINE_STARTS]: startsOf(lines),
    [ALTERNATIVE_STARTS]: startsOf(entries),
    [ENDPOINT_METHODS]: endpoints.map((endpoint) => METHOD_LETTERS[endpoint.method]).join(""),
    ...connectScopeLetters(endpoints),
  });
  const routesLine = routes === undefined ? "" : `${ROUTE_TABLE_OPEN}${JSON.stringify(routeTableOf(routes))},\n`;
  const pathsLine = `${PATHS_OPEN}${JSON.stringify(endpoints.map((endpoint) => endpoint.path))},\n`;
  const tableLine = `${TABLE_OPEN}[${entries.join("")}],\n`;
  const scopeLine = JSON.stringify({ scopes, ...(scopeIndex ? { scopeIndex } : {}) }).slice(1, -1);
  return `${head.slice(0, -1)},\n${routesLine}${pathsLine}${tableLine}${scopeLine},${ENDPOINTS_OPEN}\n${lines.join("")}${CLOSE}`;
}

/**
 * Each endpoint's Connect scope as a letter (`endpointConnectScopes`), or nothing past 26 distinct
 * names or for an empty one (a reader could not tell it from none).
 */
function connectScopeLetters(endpoints: readonly Endpoint[]): { [ENDPOINT_CONNECT_SCOPES]?: ConnectScopeLetters } {
  const names: string[] = [];
  let letters = "";
  for (const { connectScope } of endpoints) {
    if (connectScope === undefined) {
      letters += NO_CONNECT_SCOPE;
      continue;
    }
    if (connectScope === "") return {};
    let at = names.indexOf(connectScope);
    if (at < 0) at = names.push(connectScope) - 1;
    if (at >= MAX_CONNECT_SCOPE_NAMES) return {};
    letters += connectLetterAt(at);
  }
  return { [ENDPOINT_CONNECT_SCOPES]: { names, letters } };
}

/** Where each of `parts` starts, in UTF-8 bytes from the first one's start, when written one after another. */
function startsOf(parts: readonly string[]): number[] {
  const encoder = new TextEncoder();
  const starts: number[] = [];
  let at = 0;
  for (const part of parts) {
    starts.push(at);
    at += encoder.encode(part).length;
  }
  return starts;
}

/**
 * A stored shard's whole JSON value as the shard: each endpoint's alternatives taken from
 * `alternativeTable` (the table's objects, shared), the table dropped, and the trie's `routeTable`
 * read back as nested `routes`. A value without the table (any layout before it, a shard written by
 * hand) is returned as it is. Throws a SyntaxError for a position the table does not hold, or a route
 * table that fails its check (routeTrieOf).
 */
export function expandAlternatives(value: unknown): unknown {
  if (typeof value !== "object" || value === null || !(ALTERNATIVE_TABLE in value)) return value;
  const {
    [ROUTE_TABLE]: routeTable,
    [ALTERNATIVE_TABLE]: table,
    [ALTERNATIVE_STARTS]: _starts,
    [ENDPOINT_METHODS]: _methods,
    [ENDPOINT_CONNECT_SCOPES]: _connectScopes,
    ...shard
  } = value as Record<string, unknown>;
  const entries = checkTable(table);
  const entryAt = (position: number) => entries[position];
  const endpoints = shard.endpoints;
  if (routeTable !== undefined) {
    const trie = routeTrieOf(routeTable, Array.isArray(endpoints) ? endpoints.length : 0);
    if (typeof trie === "string") throw new SyntaxError(`routes: ${trie}`);
    shard.routes = routeNodeOf(trie);
  }
  // New objects: the value may be read again (the bundled snapshot is one module object).
  if (Array.isArray(endpoints))
    shard.endpoints = endpoints.map((endpoint: unknown, index) => {
      const positions = positionsOf(endpoint);
      return Array.isArray(positions)
        ? { ...(endpoint as object), alternatives: alternativesAt(positions, entryAt, index) }
        : endpoint;
    });
  return shard;
}

function checkTable(table: unknown): readonly unknown[] {
  if (!Array.isArray(table)) throw new SyntaxError(`${ALTERNATIVE_TABLE} is not a list`);
  return table;
}

/** The alternatives `positions` name in the table (a SyntaxError for one it does not hold). */
function alternativesAt(
  positions: readonly unknown[],
  entryAt: (position: number) => unknown,
  index: number,
): unknown[] {
  const alternatives = new Array<unknown>(positions.length);
  for (let at = 0; at < positions.length; at++) {
    const position = positions[at];
    const alternative = typeof position === "number" ? entryAt(position) : undefined;
    if (alternative === undefined)
      throw new SyntaxError(
        `endpoint line ${index + 1} names alternative ${String(position).slice(0, 20)}, which ${ALTERNATIVE_TABLE} does not hold`,
      );
    alternatives[at] = alternative;
  }
  return alternatives;
}

/** An endpoint's stored alternatives, when a list (else the caller's check names what is missing). */
const positionsOf = (endpoint: unknown): unknown =>
  (endpoint as Partial<Record<keyof Endpoint, unknown>> | null)?.alternatives;

/** A stored shard read in this layout: its first line parsed, the rest still bytes. */
export interface LaidOutShard {
  /** Every field of the shard but its scopes, scope index and endpoints (and not the lines' starts); the trie when stored on this line. */
  head: unknown;
  /** The trie's line as nested objects (layouts before the table), parsed now (it throws what JSON.parse throws); absent when the trie is not on a line of its own. */
  parseRoutes?: () => unknown;
  /** The trie's line as a table (routeTable), parsed now (it throws what JSON.parse throws; unchecked). */
  parseRouteTable?: () => unknown;
  /** Each endpoint's method letter by index (unchecked); absent in shards written before it. */
  methods?: unknown;
  /** Each endpoint's Connect scope by index (unchecked; ConnectScopeLetters); absent in shards written before it. */
  connectScopes?: unknown;
  /** The paths' line, parsed now (it throws what JSON.parse throws); absent in layouts written before it. */
  parsePaths?: () => unknown;
  /** The scopes' line, parsed now: `scopes` and (when stored) `scopeIndex` (it throws what JSON.parse throws). */
  parseScopes(): unknown;
  /**
   * One scope's records and scope-index entry, found in the scopes' line and parsed alone (unchecked;
   * it throws what JSON.parse throws), or undefined when the line must be read whole (no scope index,
   * or records written without `name` first).
   */
  parseScopeEntry(name: string): StoredScopeEntry | undefined;
  endpointCount: number;
  /**
   * Endpoint `index`'s value, parsed now, its alternatives taken from the table when the layout has one
   * (a SyntaxError when its line is not where its start says, or not JSON, or names a position the
   * table does not hold; each alternative is parsed when a line first names it).
   */
  parseEndpoint(index: number): unknown;
}

/** One scope's part of a scopes' line: its records (each parsed alone) and its scope-index entry, if any. */
export interface StoredScopeEntry {
  records: unknown[];
  positions?: unknown;
}

const utf8 = new TextDecoder();
const NEWLINE = 10;
const COMMA = 44;
const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;
const OPEN_BRACKET = 91;
const CLOSE_BRACKET = 93;
const ascii = (text: string) => Uint8Array.from(text, (char) => char.charCodeAt(0));
const ROUTES_OPEN_BYTES = ascii(ROUTES_OPEN);
const ROUTE_TABLE_OPEN_BYTES = ascii(ROUTE_TABLE_OPEN);
const PATHS_OPEN_BYTES = ascii(PATHS_OPEN);
const TABLE_OPEN_BYTES = ascii(TABLE_OPEN);
const SCOPES_OPEN_BYTES = ascii(SCOPES_OPEN);
const ENDPOINTS_OPEN_BYTES = ascii(ENDPOINTS_OPEN);
const CLOSE_BYTES = ascii(`\n${CLOSE}`);

function bytesAt(bytes: Uint8Array, at: number, expected: Uint8Array): boolean {
  if (at < 0 || at + expected.length > bytes.length) return false;
  for (let index = 0; index < expected.length; index++) if (bytes[at + index] !== expected[index]) return false;
  return true;
}

/** JSON's whitespace (RFC 8259): what may follow the value. */
const isJsonSpace = (byte: number) => byte === 32 || byte === 10 || byte === 13 || byte === 9;

/**
 * The shard's parts, if `stored` (its UTF-8 bytes as KV holds them, or its text) has the layout
 * encodeShard writes; undefined for any other JSON (shards written before the layout, or by hand), which
 * the caller parses whole. Throws a SyntaxError for a value that starts like the layout but breaks it
 * (truncated, a line that is not one object). Lines are found in the bytes and each is decoded when
 * parsed: a cold isolate never turns the whole shard into a string.
 */
export function readLayout(stored: string | Uint8Array): LaidOutShard | undefined {
  const bytes = typeof stored === "string" ? new TextEncoder().encode(stored) : stored;
  const headEnd = bytes.indexOf(NEWLINE);
  // The trie's, the paths' and the alternatives' own lines, when stored so; the scopes' line follows them.
  const routeTable = headEnd < 0 ? undefined : ownLine(bytes, headEnd + 1, ROUTE_TABLE_OPEN_BYTES);
  const routes = routeTable ?? (headEnd < 0 ? undefined : ownLine(bytes, headEnd + 1, ROUTES_OPEN_BYTES));
  const paths = headEnd < 0 ? undefined : ownLine(bytes, routes ? routes.end + 1 : headEnd + 1, PATHS_OPEN_BYTES);
  const table = paths && ownLine(bytes, paths.end + 1, TABLE_OPEN_BYTES);
  const scopesStart = (table?.end ?? paths?.end ?? routes?.end ?? headEnd) + 1;
  const scopesEnd = headEnd < 0 ? -1 : bytes.indexOf(NEWLINE, scopesStart);
  if (
    scopesEnd < 0 ||
    !bytesAt(bytes, scopesStart, SCOPES_OPEN_BYTES) ||
    !bytesAt(bytes, scopesEnd - ENDPOINTS_OPEN_BYTES.length, ENDPOINTS_OPEN_BYTES)
  )
    return undefined;
  const headLine = utf8.decode(bytes.subarray(0, headEnd));
  if (headLine !== "{" && !headLine.endsWith(",")) throw new SyntaxError("the first line does not end with a comma");
  if (routes && bytes[routes.end - 1] !== COMMA) throw new SyntaxError("the routes line does not end with a comma");
  if (paths && bytes[paths.end - 1] !== COMMA) throw new SyntaxError("the paths line does not end with a comma");
  if (table && bytes[table.end - 1] !== COMMA) throw new SyntaxError("the alternatives line does not end with a comma");
  const parsed = JSON.parse(headLine === "{" ? "{}" : `${headLine.slice(0, -1)}}`) as Record<string, unknown>;
  const {
    [LINE_STARTS]: lineStarts,
    [ALTERNATIVE_STARTS]: alternativeStarts,
    [ENDPOINT_METHODS]: methods,
    [ENDPOINT_CONNECT_SCOPES]: connectScopes,
    ...head
  } = parsed;
  // JSON allows whitespace after the value (a file's final newline, as data/ holds it).
  let stop = bytes.length;
  while (stop > scopesEnd && isJsonSpace(bytes[stop - 1]!)) stop--;
  if (!bytesAt(bytes, stop - CLOSE_BYTES.length, CLOSE_BYTES))
    throw new SyntaxError("the endpoint lines are not closed by ]}");
  const first = scopesEnd + 1;
  const closing = stop - CLOSE.length;
  // starts[i] is where endpoint i's line starts (from the first one's, when stored); `closing` ends the last.
  const starts = lineStarts === undefined ? scanLines(bytes, first, closing) : storedStarts(lineStarts, first, closing);
  const base = lineStarts === undefined ? 0 : first;
  const endpointCount = starts.length;
  const tableEntries = table && alternativeTable(bytes, table, alternativeStarts);
  const parseRoutesLine = routes && (() => JSON.parse(utf8.decode(bytes.subarray(routes.value, routes.end - 1))));
  return {
    head,
    ...(methods === undefined ? {} : { methods }),
    ...(connectScopes === undefined ? {} : { connectScopes }),
    ...(parseRoutesLine ? (routeTable ? { parseRouteTable: parseRoutesLine } : { parseRoutes: parseRoutesLine }) : {}),
    ...(paths ? { parsePaths: () => JSON.parse(utf8.decode(bytes.subarray(paths.value, paths.end - 1))) } : {}),
    parseScopes: () => JSON.parse(`{${utf8.decode(bytes.subarray(scopesStart, scopesEnd))}${CLOSE}`) as unknown,
    parseScopeEntry: scopeEntryReader(bytes, scopesStart, scopesEnd),
    endpointCount,
    parseEndpoint: (index) => {
      const last = index === endpointCount - 1;
      const start = base + lineStart(starts, index);
      const end = last ? closing - 1 : base + lineStart(starts, index + 1) - 2;
      // Stored starts are checked here, when read: one that is off lands away from a line's ends.
      if (!isEndpointLine(bytes, start, end, last))
        throw new SyntaxError(`endpoint line ${index + 1} is not one JSON object`);
      const endpoint = JSON.parse(utf8.decode(bytes.subarray(start, end))) as unknown;
      if (tableEntries) {
        const positions = positionsOf(endpoint);
        if (Array.isArray(positions))
          (endpoint as { alternatives: unknown }).alternatives = alternativesAt(positions, tableEntries, index);
      }
      return endpoint;
    },
  };
}

const RECORDS_OPEN = `${SCOPES_OPEN}[`;
const RECORD_OPEN = '{"name":';
const NEXT_RECORD = `},${RECORD_OPEN}`;
const INDEX_OPEN = '],"scopeIndex":{';

/**
 * A scope's part of the scopes' line without parsing the rest of it: a reverse lookup of one scope
 * read all 53 KB of Jira's (its 194 records and every scope's positions), about 2 ms of a fresh
 * isolate's first request. The line is JSON.stringify's output, so a bare `{"name":"x"` or `"x":[`
 * (quotes not escaped) is the record or the index entry itself, never text inside a string.
 */
function scopeEntryReader(
  bytes: Uint8Array,
  start: number,
  end: number,
): (name: string) => StoredScopeEntry | undefined {
  const records = RECORDS_OPEN.length;
  let text: string | undefined;
  let searchable = false;
  let recordsEnd = -1;
  let index = -1;
  let indexEnd = -1;
  return (name) => {
    if (text === undefined) {
      text = utf8.decode(bytes.subarray(start, end));
      recordsEnd = text.indexOf(INDEX_OPEN);
      index = recordsEnd + INDEX_OPEN.length;
      // The index's closing brace: the line goes on with the endpoints' opening (`"endpoints":[`).
      indexEnd = text.length - ENDPOINTS_OPEN.length - 2;
      const empty = text.charCodeAt(records) === CLOSE_BRACKET;
      searchable = recordsEnd >= 0 && (empty ? recordsEnd === records : text.startsWith(RECORD_OPEN, records));
    }
    if (!searchable) return undefined;
    const quoted = JSON.stringify(name);
    const found: unknown[] = [];
    const opening = `${RECORD_OPEN}${quoted}`;
    for (let at = text.indexOf(opening, records); at >= 0 && at < recordsEnd; at = text.indexOf(opening, at + 1)) {
      const next = text.indexOf(NEXT_RECORD, at);
      found.push(JSON.parse(text.slice(at, next < 0 || next > recordsEnd ? recordsEnd : next + 1)));
    }
    // Within the index's braces: the line's own `"endpoints":[` follows them, and is no scope's entry.
    const key = text.indexOf(`${quoted}:[`, index);
    if (key < 0 || key >= indexEnd) return { records: found };
    const open = key + quoted.length + 1;
    const close = text.indexOf("]", open);
    if (close < 0 || close >= indexEnd)
      throw new SyntaxError(`the scope index entry of ${name.slice(0, 80)} is not closed`);
    return { records: found, positions: JSON.parse(text.slice(open, close + 1)) };
  };
}

/**
 * The table's entry at a position (undefined past its end), read on demand: with stored starts each
 * entry is parsed when first named (a lookup of one endpoint parses its two or three, not Jira's
 * 45 KB: that parse cost a fresh isolate its first garbage collection, about 5 ms) and checked to lie
 * between the line's `[`, commas and `]`; without them the line is parsed whole on first use.
 */
function alternativeTable(
  bytes: Uint8Array,
  line: { value: number; end: number },
  stored: unknown,
): (position: number) => unknown {
  const open = line.value;
  // The line ends with `],` then its newline.
  const close = line.end - 2;
  if (stored === undefined) {
    let whole: readonly unknown[] | undefined;
    return (position) => (whole ??= checkTable(JSON.parse(utf8.decode(bytes.subarray(open, close + 1)))))[position];
  }
  if (!Array.isArray(stored) || bytes[open] !== OPEN_BRACKET || bytes[close] !== CLOSE_BRACKET)
    throw new SyntaxError(`${ALTERNATIVE_STARTS} does not place the alternatives' line`);
  const starts = stored as readonly unknown[];
  const count = starts.length;
  const first = open + 1;
  const entries = new Array<unknown>(count);
  return (position) => {
    if (!(position >= 0 && position < count && Number.isInteger(position))) return undefined;
    let entry = entries[position];
    if (entry === undefined) {
      const last = position === count - 1;
      const start = first + place(starts, position);
      const end = last ? close : first + place(starts, position + 1) - 1;
      // Inside the line, after its `[` or a comma, `{` to `}`, then a comma or (last) the `]`.
      if (
        start < first ||
        end > close ||
        bytes[start - 1] !== (start === first ? OPEN_BRACKET : COMMA) ||
        bytes[start] !== OPEN_BRACE ||
        bytes[end - 1] !== CLOSE_BRACE ||
        bytes[end] !== (last ? CLOSE_BRACKET : COMMA)
      )
        throw new SyntaxError(`alternative ${position} is not one JSON object where ${ALTERNATIVE_STARTS} places it`);
      entries[position] = entry = JSON.parse(utf8.decode(bytes.subarray(start, end))) as unknown;
    }
    return entry;
  };
}

function place(starts: readonly unknown[], index: number): number {
  const at = starts[index];
  if (typeof at !== "number")
    throw new SyntaxError(`${ALTERNATIVE_STARTS} holds ${String(at).slice(0, 20)}, not a place`);
  return at;
}

/** The line at `start` if it opens with `open`: where its value starts, and its newline (-1 for none). */
function ownLine(bytes: Uint8Array, start: number, open: Uint8Array): { value: number; end: number } | undefined {
  if (!bytesAt(bytes, start, open)) return undefined;
  const end = bytes.indexOf(NEWLINE, start);
  return end < 0 ? undefined : { value: start + open.length, end };
}

/** Whether `start..end` is one line's object: after a newline, `{` to `}`, then a comma unless last, then a newline. */
function isEndpointLine(bytes: Uint8Array, start: number, end: number, last: boolean): boolean {
  return (
    bytes[start - 1] === NEWLINE &&
    bytes[start] === OPEN_BRACE &&
    bytes[end - 1] === CLOSE_BRACE &&
    (last || bytes[end] === COMMA) &&
    bytes[last ? end : end + 1] === NEWLINE
  );
}

function lineStart(starts: readonly unknown[], index: number): number {
  const at = starts[index];
  // A whole number is checked by where it lands (isEndpointLine); anything else is not a place.
  if (typeof at !== "number") throw new SyntaxError(`${LINE_STARTS} holds ${String(at).slice(0, 20)}, not a place`);
  return at;
}

/** The stored starts, when they can be: a list whose entries are each checked when that line is read. */
function storedStarts(lineStarts: unknown, first: number, closing: number): readonly unknown[] {
  if (!Array.isArray(lineStarts)) throw new SyntaxError(`${LINE_STARTS} is not a list`);
  if (lineStarts.length === 0 ? closing !== first : lineStarts[0] !== 0)
    throw new SyntaxError(`${LINE_STARTS} does not start at the first endpoint line`);
  return lineStarts;
}

/** Line starts found by scanning (shards stored before `endpointLineStarts`), each line checked now. */
function scanLines(bytes: Uint8Array, first: number, closing: number): number[] {
  const starts: number[] = [];
  let at = first;
  while (at < closing) {
    starts.push(at);
    const end = bytes.indexOf(NEWLINE, at);
    const last = end === closing - 1;
    if (!isEndpointLine(bytes, at, last ? end : end - 1, last))
      throw new SyntaxError(`endpoint line ${starts.length} is not one JSON object`);
    at = end + 1;
  }
  return starts;
}
