/**
 * What a fresh isolate's first request allocates, measured in workerd itself: row 6's setup (bench/rows/
 * first-request.ts) with V8's sampling heap profiler on the probe isolate around its first request,
 * in N fresh workerd processes. first-request-allocations.ts asks Node's V8; this asks the one that
 * serves, whose interpreter and tiers decide what a cold request boxes. The garbage is what the
 * collector is paid for (11-21 ms of row 8's /plan inputs), and unlike CPU time it barely moves
 * between runs on a busy machine, so it can judge a change the CPU profile's noise hides.
 *
 *   npx tsx bench/proposals/first-request-heap.ts row8:planworst [samples] [rows]
 *   npx tsx bench/proposals/first-request-heap.ts '/scopes?path=/rest/api/3/issue/ABC-1&method=GET'
 *
 * Sites are `function bundle-line:column` of the unminified bundle (PROFILE_MINIFY=1 for the deployed one).
 */
import { join } from "node:path";
import { loadBenchCatalog } from "../lib/catalog";
import { scratchDir } from "../lib/children";
import { addAllocationSites, type SamplingNode } from "../lib/heap-sites";
import { inspectorTargets, openSession } from "../lib/inspector";
import { median } from "../lib/stats";
import { benchWorkers } from "../rows/first-request";
import { askedRequest } from "./asked-request";
import { benchMiniflare } from "../lib/miniflare-v8-flags";

// workerd with the JIT flags of Cloudflare's runtime, as rows 6 and 8 run it (SCOPE_BENCH_V8_FLAGS).
const Miniflare = benchMiniflare();

const asked = process.argv[2] ?? "/scopes?path=/rest/api/3/issue/ABC-1&method=GET";
const samples = Number(process.argv[3] ?? 3);
const rows = Number(process.argv[4] ?? 20);
const catalog = await loadBenchCatalog(() => undefined);
const { path, init } = askedRequest(asked, catalog);
const dir = scratchDir();
const kvPersist = join(dir, "heap-kv");
const worker = await benchWorkers(catalog, join(dir, "heap-worker"), kvPersist, {
  minify: process.env.PROFILE_MINIFY === "1",
});

const totals: number[] = [];
const bySite = new Map<string, number>();
for (let sample = 0; sample < samples; sample++) {
  const mf = new Miniflare({ workers: [worker("warm"), worker("probe")], kvPersist, inspectorPort: 0 });
  await mf.ready;
  await (await mf.dispatchFetch("http://warm.bench/health")).text();
  const targets = await inspectorTargets(mf, 30_000);
  const session = await openSession(targets.get("core:user:probe")!, 30_000);
  await session.send("HeapProfiler.enable");
  // Every allocation counts, collected or not (as first-request-allocations.ts).
  await session.send("HeapProfiler.startSampling", {
    samplingInterval: 1024,
    includeObjectsCollectedByMajorGC: true,
    includeObjectsCollectedByMinorGC: true,
  });
  const response = await mf.dispatchFetch(`http://probe.bench${path}`, init);
  await response.text();
  const { profile } = await session.send<{ profile: { head: SamplingNode } }>("HeapProfiler.stopSampling");
  session.close();
  await mf.dispose();
  const total = addAllocationSites(
    profile.head,
    bySite,
    ({ functionName, lineNumber, columnNumber }) => `${functionName || "(anonymous)"} ${lineNumber}:${columnNumber}`,
  );
  totals.push(total);
}
console.log(
  `${asked}: ${(median(totals) / 1e6).toFixed(2)} MB allocated by the first request (median of ${samples}: ${totals.map((t) => (t / 1e6).toFixed(2)).join(" / ")})`,
);
for (const [site, bytes] of [...bySite].sort((a, b) => b[1] - a[1]).slice(0, rows))
  console.log(`${(bytes / samples / 1e3).toFixed(0).padStart(7)} KB  ${site}`);
