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

/**
 * The shard's parts, if `text` has the layout encodeShard writes; undefined for any other JSON text
 * (shards written before the layout, or by hand), which the caller parses whole. Throws a SyntaxError
 * for a text that starts like the layout but breaks it (truncated, a line that is not one object).
 */
export function readLayout(text: string): LaidOutShard | undefined {
  const headEnd = text.indexOf("\n");
  const scopesEnd = headEnd < 0 ? -1 : text.indexOf("\n", headEnd + 1);
  if (
    scopesEnd < 0 ||
    !text.startsWith(SCOPES_OPEN, headEnd + 1) ||
    !text.startsWith(ENDPOINTS_OPEN, scopesEnd - ENDPOINTS_OPEN.length)
  )
    return undefined;
  const headLine = text.slice(0, headEnd);
  if (headLine !== "{" && !headLine.endsWith(",")) throw new SyntaxError("the first line does not end with a comma");
  const head = JSON.parse(headLine === "{" ? "{}" : `${headLine.slice(0, -1)}}`) as unknown;
  const scopeLine = text.slice(headEnd + 1, scopesEnd);
  // JSON allows whitespace after the value (a file's final newline, as data/ holds it).
  let stop = text.length;
  while (stop > scopesEnd && /\s/.test(text[stop - 1]!)) stop--;
  if (!text.startsWith(`\n${CLOSE}`, stop - CLOSE.length - 1))
    throw new SyntaxError("the endpoint lines are not closed by ]}");
  // starts[i] is where endpoint i's line starts; starts[count] is the closing line's.
  const starts: number[] = [];
  let at = scopesEnd + 1;
  const closing = stop - CLOSE.length;
  while (at < closing) {
    starts.push(at);
    const end = text.indexOf("\n", at);
    const last = end === closing - 1;
    // Each line one object, followed by a comma but the last: what a line holds is checked when it is parsed.
    if (
      text.charCodeAt(at) !== 123 ||
      text.charCodeAt(last ? end - 1 : end - 2) !== 125 ||
      (!last && text.charCodeAt(end - 1) !== 44)
    )
      throw new SyntaxError(`endpoint line ${starts.length} is not one JSON object`);
    at = end + 1;
  }
  starts.push(closing);
  const endpointCount = starts.length - 1;
  return {
    head,
    parseScopes: () => JSON.parse(`{${scopeLine}${CLOSE}`) as unknown,
    endpointCount,
    parseEndpoint: (index) => {
      const end = starts[index + 1]! - (index === endpointCount - 1 ? 1 : 2);
      return JSON.parse(text.slice(starts[index]!, end)) as unknown;
    },
  };
}
