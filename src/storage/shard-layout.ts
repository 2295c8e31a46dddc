/**
 * How a shard is laid out in KV, so a cold isolate parses only what a request reads. The value is
 * ordinary JSON (any JSON reader, zod's included, reads the same shard), written as: the fields a path
 * lookup reads on the first line, the scope records and scope index on the second, then one endpoint
 * per line:
 *
 *   {"schemaVersion":1,"product":"jira",…,"routes":{…},"removed":[…],
 *   "scopes":[…],"scopeIndex":{…},"endpoints":[
 *   {"product":"jira","method":"GET","path":"/rest/api/2/announcementBanner",…},
 *   …
 *   {"product":"jira","method":"PUT","path":"/rest/api/3/workflowscheme/{id}",…}
 *   ]}
 *
 * Serving parses the first line when the shard is read (Jira's: the trie and tombstones, 25 KB of its
 * 903), the second when scopes are first asked about (53 KB), and each endpoint when first read.
 * `JSON.parse` of the whole Jira shard costs 5-6.5 ms of a cold isolate's CPU, and the garbage
 * collector as much again (docs/benchmarks.md, row 6).
 */
import type { ProductShard } from "../catalog/schema";

const SCOPES_OPEN = '"scopes":';
const ENDPOINTS_OPEN = '"endpoints":[';
const CLOSE = "]}";

/** The shard as stored: the same JSON value as `JSON.stringify(shard)`, laid out as above. */
export function encodeShard(shard: ProductShard): string {
  const { endpoints, scopes, scopeIndex, ...rest } = shard;
  const head = JSON.stringify(rest);
  const scopeLine = JSON.stringify({ scopes, ...(scopeIndex ? { scopeIndex } : {}) }).slice(1, -1);
  const open = `${head.slice(0, -1)}${head === "{}" ? "" : ","}\n${scopeLine},${ENDPOINTS_OPEN}\n`;
  if (endpoints.length === 0) return `${open}${CLOSE}`;
  return `${open}${endpoints.map((endpoint) => JSON.stringify(endpoint)).join(",\n")}\n${CLOSE}`;
}

/** A stored shard read in this layout: its first line parsed, the rest still text. */
export interface LaidOutShard {
  /** Every field of the shard but its scopes, scope index and endpoints. */
  head: unknown;
  /** The second line, parsed now: `scopes` and (when stored) `scopeIndex` (it throws what JSON.parse throws). */
  parseScopes(): unknown;
  endpointCount: number;
  /** Endpoint `index`'s value, parsed now (it throws what JSON.parse throws). */
  parseEndpoint(index: number): unknown;
}

const utf8 = new TextDecoder();
const NEWLINE = 10;
const COMMA = 44;
const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;
const ascii = (text: string) => Uint8Array.from(text, (char) => char.charCodeAt(0));
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
  const scopesEnd = headEnd < 0 ? -1 : bytes.indexOf(NEWLINE, headEnd + 1);
  if (
    scopesEnd < 0 ||
    !bytesAt(bytes, headEnd + 1, SCOPES_OPEN_BYTES) ||
    !bytesAt(bytes, scopesEnd - ENDPOINTS_OPEN_BYTES.length, ENDPOINTS_OPEN_BYTES)
  )
    return undefined;
  const headLine = utf8.decode(bytes.subarray(0, headEnd));
  if (headLine !== "{" && !headLine.endsWith(",")) throw new SyntaxError("the first line does not end with a comma");
  const head = JSON.parse(headLine === "{" ? "{}" : `${headLine.slice(0, -1)}}`) as unknown;
  // JSON allows whitespace after the value (a file's final newline, as data/ holds it).
  let stop = bytes.length;
  while (stop > scopesEnd && isJsonSpace(bytes[stop - 1]!)) stop--;
  if (!bytesAt(bytes, stop - CLOSE_BYTES.length, CLOSE_BYTES))
    throw new SyntaxError("the endpoint lines are not closed by ]}");
  // starts[i] is where endpoint i's line starts; starts[count] is the closing line's.
  const starts: number[] = [];
  let at = scopesEnd + 1;
  const closing = stop - CLOSE.length;
  while (at < closing) {
    starts.push(at);
    const end = bytes.indexOf(NEWLINE, at);
    const last = end === closing - 1;
    // Each line one object, followed by a comma but the last: what a line holds is checked when it is parsed.
    if (
      bytes[at] !== OPEN_BRACE ||
      bytes[last ? end - 1 : end - 2] !== CLOSE_BRACE ||
      (!last && bytes[end - 1] !== COMMA)
    )
      throw new SyntaxError(`endpoint line ${starts.length} is not one JSON object`);
    at = end + 1;
  }
  starts.push(closing);
  const endpointCount = starts.length - 1;
  return {
    head,
    parseScopes: () => JSON.parse(`{${utf8.decode(bytes.subarray(headEnd + 1, scopesEnd))}${CLOSE}`) as unknown,
    endpointCount,
    parseEndpoint: (index) => {
      const end = starts[index + 1]! - (index === endpointCount - 1 ? 1 : 2);
      return JSON.parse(utf8.decode(bytes.subarray(starts[index]!, end))) as unknown;
    },
  };
}
