/**
 * What the failure log line (src/app.ts, `logFailures`) costs a fresh isolate's first request under each
 * console: workerd serve's (`localConsole`: wrangler dev's, which formats the line with the runtime's own
 * `formatLog`, loaded on the isolate's first line) against Cloudflare's (bench/http-worker.ts: the line's
 * arguments serialised as JSON, as the runtime's production console mode does for Workers Logs). Each
 * route's first request in a fresh workerd process without an inspector (so nothing the inspector does
 * is counted), as workerd's process CPU over GET /noop's first request in the same process, with the
 * same console. Alternated, so both share the machine's load. For a 4xx route; a 2xx route logs nothing.
 *
 *   npx tsx bench/proposals/first-log-ab.ts '/endpoints?scope=read:jira-wrok' 9
 */
import { join } from "node:path";
import { loadBenchCatalog } from "../lib/catalog";
import { removeScratch, scratchDir } from "../lib/children";
import { benchWorkers, processCpuNs, workerdChildren } from "../rows/first-request";
import { benchMiniflare } from "../lib/miniflare-v8-flags";

// workerd with the JIT flags of Cloudflare's runtime, as rows 6 and 8 run it (SCOPE_BENCH_V8_FLAGS).
const Miniflare = benchMiniflare();

const path = process.argv[2] ?? "/endpoints?scope=read:jira-wrok";
const samples = Number(process.argv[3] ?? 9);
const catalog = await loadBenchCatalog(() => undefined);
const dir = scratchDir();
const kvPersist = join(dir, "log-ab-kv");
const worker = await benchWorkers(catalog, join(dir, "log-ab-worker"), kvPersist);

const over: Record<"local" | "production", number[]> = { local: [], production: [] };
try {
  for (let sample = 0; sample < samples; sample++) {
    for (const variant of sample % 2 ? (["local", "production"] as const) : (["production", "local"] as const)) {
      const localConsole = variant === "local";
      const mf = new Miniflare({
        workers: [worker("warm"), worker("noop", { localConsole }), worker("probe", { localConsole })],
        kvPersist,
      });
      try {
        await mf.ready;
        // As row 6: KV's own service reads its keys once before the measured requests.
        await (await mf.dispatchFetch("http://warm.bench/health")).text();
        // The one this Miniflare started: the others were disposed of.
        const pid = Math.max(...workerdChildren());
        const start = processCpuNs(pid);
        await (await mf.dispatchFetch("http://noop.bench/noop")).text();
        const afterNoop = processCpuNs(pid);
        const response = await mf.dispatchFetch(`http://probe.bench${path}`);
        await response.text();
        if (response.status < 400) throw new Error(`${path} answered ${response.status}: it logs nothing`);
        over[variant].push((processCpuNs(pid) - afterNoop - (afterNoop - start)) / 1e6);
      } finally {
        await mf.dispose();
      }
    }
  }
} finally {
  removeScratch();
}
const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1]!;
for (const [variant, values] of Object.entries(over))
  console.log(
    `${variant}: ${median(values).toFixed(1)} ms over GET /noop (median of ${values.length}; ${values.map((ms) => ms.toFixed(1)).join(" ")})`,
  );
