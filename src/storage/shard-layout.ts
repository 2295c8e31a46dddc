/**
 * How a shard is laid out in KV, so a cold isolate parses only what a request reads. The value is
 * ordinary JSON (any JSON reader, zod's included, reads the same shard), written one endpoint per line
 * with every other field on the first:
 *
 *   {"schemaVersion":1,"product":"jira",…,"routes":{…},"endpoints":[
 *   {"product":"jira","method":"GET","path":"/rest/api/2/announcementBanner",…},
 *   …
 *   {"product":"jira","method":"PUT","path":"/rest/api/3/workflowscheme/{id}",…}
 *   ]}
 *
 * Serving parses the first line (the trie, the scope records, the tombstones: 53 KB of Jira's 880) and
 * each endpoint when first read. `JSON.parse` of the whole Jira shard costs 5-6.5 ms of a cold
 * isolate's CPU, and the garbage collector as much again (docs/benchmarks.md, row 6).
 */
import type { ProductShard } from "../catalog/schema";

const ENDPOINTS_OPEN = '"endpoints":[';
const CLOSE = "]}";

/** The shard as stored: the same JSON value as `JSON.stringify(shard)`, one endpoint per line. */
export function encodeShard(shard: ProductShard): string {
  const { endpoints, ...rest } = shard;
  const head = JSON.stringify(rest);
  const open = `${head.slice(0, -1)}${head === "{}" ? "" : ","}${ENDPOINTS_OPEN}\n`;
  if (endpoints.length === 0) return `${open}${CLOSE}`;
  return `${open}${endpoints.map((endpoint) => JSON.stringify(endpoint)).join(",\n")}\n${CLOSE}`;
}

/** A stored shard read in this layout: its first line parsed, its endpoints still text. */
export interface LaidOutShard {
  /** Every field of the shard but its endpoints, which it lists as empty. */
  head: unknown;
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
  const firstEnd = text.indexOf("\n");
  if (firstEnd < 0 || !text.startsWith(ENDPOINTS_OPEN, firstEnd - ENDPOINTS_OPEN.length)) return undefined;
  const head = JSON.parse(`${text.slice(0, firstEnd)}${CLOSE}`) as unknown;
  // JSON allows whitespace after the value (a file's final newline, as data/ holds it).
  let stop = text.length;
  while (stop > firstEnd && /\s/.test(text[stop - 1]!)) stop--;
  if (!text.startsWith(`\n${CLOSE}`, stop - CLOSE.length - 1))
    throw new SyntaxError("the endpoint lines are not closed by ]}");
  // starts[i] is where endpoint i's line starts; starts[count] is the closing line's.
  const starts: number[] = [];
  let at = firstEnd + 1;
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
    endpointCount,
    parseEndpoint: (index) => {
      const end = starts[index + 1]! - (index === endpointCount - 1 ? 1 : 2);
      return JSON.parse(text.slice(starts[index]!, end)) as unknown;
    },
  };
}
