/**
 * An estimate for row 2 (cold start), not a patch: what the largest shard would cost a cold isolate
 * if the stored value were leaner, or carried its path index ready-made, so that "index ready" is
 * one JSON.parse with no per-endpoint JavaScript. Each figure is the first call in fresh processes
 * (the bundled bench/children/cold.ts), medians, alternated.
 *   npx tsx bench/proposals/layout-estimate.ts [processes]
 *
 *   shard          JSON.parse of the shard as stored today (row 2's peer)
 *   index          today's path: JSON.parse + checkShardShape + CatalogIndex.build (row 2's "ours")
 *   projection     JSON.parse of the shard without what no answer shows (see rows/cold.ts)
 *   with-trie      JSON.parse of the projection plus its path trie as plain JSON
 *                  ({l: {segment: node}, p: node, x: [[regex, node]], v: [endpoint index], r: [...]}),
 *                  which a matcher could walk as it is parsed
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { loadBenchCatalog } from "../lib/catalog";
import { bundleChild, removeScratch, runChild, scratchDir } from "../lib/children";
import { formatBytes, formatMs, median } from "../lib/stats";
import { servingProjection } from "../rows/cold";

interface JsonNode {
  l?: Record<string, JsonNode>;
  p?: JsonNode;
  x?: [string, JsonNode][];
  v?: number[];
  r?: number[];
}

const PARAM = /^\{[^{}]+\}$/;

/** The same trie PathMatcher builds, as plain JSON, values as indexes into the shard's endpoints. */
function trieOf(paths: readonly string[]): JsonNode {
  const root: JsonNode = {};
  paths.forEach((path, index) => {
    const segments = path.split("/").filter((segment) => segment !== "");
    let node = root;
    segments.forEach((segment, position) => {
      if (position === segments.length - 1 && segment === "{path}") (node.r ??= []).push(index);
      if (PARAM.test(segment)) node = node.p ??= {};
      else if (segment.includes("{")) {
        const source = `^${segment
          .split(/\{[^{}]+\}/)
          .map((literal) => literal.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))
          .join(".+?")}$`;
        let child = node.x?.find(([regex]) => regex === source)?.[1];
        if (!child) (node.x ??= []).push([source, (child = {})]);
        node = child;
      } else node = (node.l ??= {})[segment] ??= {};
    });
    (node.v ??= []).push(index);
  });
  return root;
}

const processes = Number(process.argv[2] ?? 9);
const catalog = await loadBenchCatalog(() => {});
const { key, text } = catalog.largest;
const projection = servingProjection(text);
const parsed = JSON.parse(projection) as { endpoints: { path: string }[] };
const withTrie = JSON.stringify({ ...parsed, trie: trieOf(parsed.endpoints.map((endpoint) => endpoint.path)) });
const dir = scratchDir();
const files = { shard: join(dir, "shard.json"), projection: join(dir, "projection.json"), "with-trie": join(dir, "with-trie.json") };
writeFileSync(files.shard, text);
writeFileSync(files.projection, projection);
writeFileSync(files["with-trie"], withTrie);
const child = await bundleChild("cold");
const times: Record<string, number[]> = { shard: [], index: [], projection: [], "with-trie": [] };
for (let i = 0; i < processes; i++) {
  for (const name of Object.keys(times)) {
    const args = name === "index" ? ["index", files.shard, key] : ["parse", files[name as keyof typeof files]];
    times[name]!.push((JSON.parse(runChild(child, args).stdout.trim().split("\n").pop()!) as { ms: number }).ms);
  }
}
removeScratch();
const base = median(times.shard!);
console.log(`${key}: cold, median of ${processes} fresh processes each`);
for (const [name, values] of Object.entries(times)) {
  const bytes = name === "index" || name === "shard" ? text.length : name === "projection" ? projection.length : withTrie.length;
  console.log(`  ${name.padEnd(11)} ${formatMs(median(values)).padStart(9)}  ${(median(values) / base).toFixed(2)}× the shard's JSON.parse   (${formatBytes(bytes)})`);
}
