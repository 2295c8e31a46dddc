/**
 * Row 2 in a fresh process: the first call of one operation, as on a cold isolate (nothing compiled
 * or optimised yet). Bundled by bench/run.ts and run with plain node, one operation per process.
 *   cold.mjs parse   FILE          JSON.parse of the shard text
 *   cold.mjs index   FILE KEY      the shard text → CatalogIndex ready for lookups
 *   cold.mjs catalog FILE          KV dump → servedCatalog (manifest + every shard → one index), as a cold /health does
 *   cold.mjs lookup  FILE PATH     KV dump → servedCatalog for one path (manifest + the shards it can match) + the lookup, as a cold GET /scopes does
 */
import { readFileSync } from "node:fs";
import { lookupEndpoints } from "../../src/catalog/lookup";
import { parseRequestPath } from "../../src/catalog/request-path";
import { servedCatalog } from "../../src/storage/catalog-cache";
import { CountingKv } from "../lib/counting-kv";
import { indexShard } from "../lib/shard-index";
import { cpuMs } from "../lib/stats";

const [mode, file, key] = process.argv.slice(2);
const input = readFileSync(file!, "utf8");
let ms: number;
let extra: Record<string, unknown> = {};
if (mode === "parse") {
  const start = cpuMs();
  const value = JSON.parse(input) as { endpoints: unknown[] };
  ms = cpuMs() - start;
  extra = { endpoints: value.endpoints.length };
} else if (mode === "index") {
  const bytes = readFileSync(file!);
  const start = cpuMs();
  const index = indexShard(key!, bytes);
  ms = cpuMs() - start;
  const probe = lookupEndpoints(index, "/rest/api/3/issue/ABC-1", "GET");
  extra = { endpoints: index.endpoints.length, probe: probe.ok ? probe.endpoints[0]!.path : probe.code };
} else if (mode === "catalog" || mode === "lookup") {
  const kv = new CountingKv();
  for (const [name, value] of Object.entries(JSON.parse(input) as Record<string, string>)) kv.values.set(name, value);
  kv.encodeAll();
  const noSnapshot = () => Promise.reject(new Error("no snapshot in this benchmark"));
  const start = cpuMs();
  let served: Awaited<ReturnType<typeof servedCatalog>>;
  if (mode === "catalog") served = await servedCatalog(kv, noSnapshot);
  else {
    const request = parseRequestPath(key!);
    if (!request.ok) throw new Error(request.message);
    served = await servedCatalog(kv, noSnapshot, { forPath: request.value.segments });
    const found = lookupEndpoints(served.index, key!, "GET");
    extra = { probe: found.ok ? found.endpoints[0]!.path : found.code };
  }
  ms = cpuMs() - start;
  extra = {
    ...extra,
    endpoints: served.index.endpoints.length,
    products: Object.keys(served.index.data.products),
    source: served.source,
    kvReads: kv.reads,
    problem: served.problem,
  };
} else {
  throw new Error(`unknown mode ${mode}`);
}
console.log(JSON.stringify({ mode, ms, ...extra }));
