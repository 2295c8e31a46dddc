/**
 * A shard text in the layout before the route table ("endpoint-lines-with-alternative-table"): its
 * trie's line as nested objects (`routes`), as that layout's encoder wrote it. KV holds shards so
 * until the next scrape republishes them. No Node modules: workerd's tests may use it too.
 */
import { type RouteTrie, routeNodeOf, routeTrieOf } from "../../src/catalog/route-table";
import { ROUTE_TABLE } from "../../src/storage/shard-layout";

export function withNestedRoutes(text: string): string {
  const lines = text.split("\n");
  const opening = `"${ROUTE_TABLE}":`;
  if (!lines[1]!.startsWith(opening)) return text;
  const trie = routeTrieOf(JSON.parse(lines[1]!.slice(opening.length, -1)), Number.MAX_SAFE_INTEGER) as RouteTrie;
  return [lines[0], `"routes":${JSON.stringify(routeNodeOf(trie))},`, ...lines.slice(2)].join("\n");
}
