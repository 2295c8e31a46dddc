/**
 * An estimate for row 2 (cold start), not a patch: what the largest shard would cost a cold isolate
 * in leaner stored layouts. Shards carry their path trie since the layout change (docs/benchmarks.md,
 * Findings), so "index ready" is JSON.parse plus a shape check; what is left is JSON.parse itself.
 * Each figure is the first call in fresh processes (the bundled bench/children/cold.ts), medians,
 * alternated.
 *   npx tsx bench/proposals/layout-estimate.ts [processes]
 *
 *   shard       JSON.parse of the shard as stored (row 2's peer)
 *   index       the worker's path: JSON.parse + checkShardShape + CatalogIndex.build (row 2's "ours")
 *   projection  JSON.parse of the shard without what no answer shows (see rows/cold.ts)
 *   compact     JSON.parse of the shard with every endpoint as a tuple: method and flags as numbers,
 *               scope names, states and kinds as indices into tables, docs URLs without their base,
 *               no keys; about a third of the bytes, the same strings (paths, summaries, ids)
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Endpoint, ProductShard } from "../../src/catalog/schema";
import { HTTP_METHODS } from "../../src/catalog/schema";
import { loadBenchCatalog } from "../lib/catalog";
import { bundleChild, removeScratch, runChild, scratchDir } from "../lib/children";
import { formatBytes, formatMs, median } from "../lib/stats";
import { servingProjection } from "../rows/cold";
import { expandAlternatives } from "../../src/storage/shard-layout";

function compactLayout(shard: ProductShard): string {
  const tables = { strings: [] as string[], bases: [] as string[] };
  const indexIn = (table: string[], value: string) => {
    const found = table.indexOf(value);
    return found >= 0 ? found : table.push(value) - 1;
  };
  const flags = (endpoint: Endpoint) =>
    [
      endpoint.deprecated,
      endpoint.experimental,
      endpoint.hasScopes,
      endpoint.emptyScopeList,
      endpoint.anonymous,
    ].reduce((bits, flag, bit) => bits | (flag ? 1 << bit : 0), 0);
  const endpoints = shard.endpoints.map((endpoint) => {
    const group = endpoint.docsUrl.lastIndexOf("/api-group-");
    return [
      HTTP_METHODS.indexOf(endpoint.method),
      endpoint.path,
      endpoint.operationId ?? 0,
      endpoint.summary ?? 0,
      indexIn(tables.bases, endpoint.docsUrl.slice(0, group)),
      endpoint.docsUrl.slice(group + 1),
      flags(endpoint),
      endpoint.connectScope === undefined ? -1 : indexIn(tables.strings, endpoint.connectScope),
      endpoint.alternatives.map((alternative) =>
        [alternative.kind, alternative.state, ...alternative.origins, ...alternative.scopes].map((value) =>
          indexIn(tables.strings, value),
        ),
      ),
      endpoint.documents.map((document) => indexIn(tables.strings, document)),
      ...(endpoint.lifecycle || endpoint.authTypes ? [endpoint.lifecycle ?? 0, endpoint.authTypes ?? 0] : []),
    ];
  });
  return JSON.stringify({ ...shard, ...tables, endpoints });
}

const processes = Number(process.argv[2] ?? 9);
const catalog = await loadBenchCatalog(() => {});
const { key, text } = catalog.largest;
const values = {
  shard: text,
  projection: servingProjection(text),
  compact: compactLayout(expandAlternatives(JSON.parse(text)) as ProductShard),
};
const dir = scratchDir();
const files = Object.fromEntries(Object.keys(values).map((name) => [name, join(dir, `${name}.json`)])) as Record<
  keyof typeof values,
  string
>;
for (const [name, value] of Object.entries(values)) writeFileSync(files[name as keyof typeof values], value);
const child = await bundleChild("cold");
const times: Record<string, number[]> = { shard: [], index: [], projection: [], compact: [] };
for (let i = 0; i < processes; i++) {
  for (const name of Object.keys(times)) {
    const args = name === "index" ? ["index", files.shard, key] : ["parse", files[name as keyof typeof values]];
    times[name]!.push((JSON.parse(runChild(child, args).stdout.trim().split("\n").pop()!) as { ms: number }).ms);
  }
}
removeScratch();
const base = median(times.shard!);
console.log(`${key}: cold, median of ${processes} fresh processes each`);
for (const [name, measured] of Object.entries(times)) {
  const bytes = values[(name === "index" ? "shard" : name) as keyof typeof values].length;
  console.log(
    `  ${name.padEnd(11)} ${formatMs(median(measured)).padStart(9)}  ${(median(measured) / base).toFixed(2)}× the shard's JSON.parse   (${formatBytes(bytes)})`,
  );
}
