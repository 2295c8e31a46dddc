/**
 * Each garbage collection of a fresh isolate's first request, as workerd's own V8 reports it: row 6's
 * setup (a warm-up worker answers row 6's POST /diff, so the KV service has read every key), then the
 * probe's request, with V8's `--trace-gc-nvp` on, in N fresh workerd processes. Per collection: its
 * kind (s = scavenge, the young generation; mc = the whole heap), its pause, what was allocated since
 * the one before, and what it promoted to the old generation and copied within the young one: a
 * scavenge's cost follows what survives it. For finding what a request's collector time is made of;
 * the CPU profile (first-request-profile.ts, PROFILE_GC=1) says how much of the request it is.
 *
 *   npx tsx bench/proposals/first-request-gc.ts row8:plan1000 3
 *   npx tsx bench/proposals/first-request-gc.ts '/endpoints?scope=read:jira-work' 5
 *
 * Every isolate of the process (the workers, Miniflare's entry worker, its KV service) writes to the
 * same stdout, each line naming its isolate: the probe's are those of an isolate that did not collect
 * during the warm-up. workerd runs with the benchmarks' V8 flags (bench/lib/miniflare-v8-flags.ts)
 * and `--trace-gc-nvp`, its output line-buffered.
 */
import { removeScratch } from "../lib/children";
import { benchV8Flags, miniflarePrinting, miniflareWithV8Flags } from "../lib/miniflare-v8-flags";
import { tracedProbe } from "./traced-probe";

const asked = process.argv[2] ?? "/scopes?path=/rest/api/3/issue/ABC-1&method=GET";
const samples = Number(process.argv[3] ?? 3);
const Miniflare = miniflareWithV8Flags([...benchV8Flags(), "--trace-gc-nvp"]);

interface Collection {
  isolate: string;
  kind: string;
  pauseMs: number;
  allocatedKb: number;
  promotedKb: number;
  copiedKb: number;
}
const TRACE = /\[\d+:(0x[0-9a-f]+):\d+\]\s+[\d.]+ ms: GC: (\{[^}]*\})/g;
function collections(output: string): Collection[] {
  return [...output.matchAll(TRACE)].map(([, isolate, json]) => {
    const gc = JSON.parse(json!) as Record<string, number | string>;
    return {
      isolate: isolate!,
      kind: String(gc.gc),
      pauseMs: Number(gc.pause),
      allocatedKb: Number(gc.allocated ?? 0) / 1e3,
      promotedKb: Number(gc.promoted ?? 0) / 1e3,
      copiedKb: Number(gc.new_space_survived ?? 0) / 1e3,
    };
  });
}
const show = (gc: Collection) =>
  `  ${gc.kind.padEnd(3)} ${gc.pauseMs.toFixed(2).padStart(6)} ms  allocated ${gc.allocatedKb.toFixed(0).padStart(5)} KB  promoted ${gc.promotedKb.toFixed(0).padStart(5)} KB  copied ${gc.copiedKb.toFixed(0).padStart(5)} KB`;

const { probe, warmUp, workers, kvPersist, settle } = await tracedProbe(asked, "gc");
const { path, init } = probe;
try {
  for (let sample = 0; sample < samples; sample++) {
    const { mf, printed } = miniflarePrinting(Miniflare, { workers, kvPersist });
    try {
      await mf.ready;
      await settle();
      const startup = printed().length;
      await (await mf.dispatchFetch(`http://warm.bench${warmUp.path}`, warmUp.init)).text();
      await settle();
      const before = printed().length;
      const response = await mf.dispatchFetch(`http://probe.bench${path}`, init);
      await response.text();
      await settle();
      // Startup always collects: no line at all means V8's flags or stdbuf did not take.
      if (collections(printed().slice(0, startup)).length === 0)
        throw new Error("workerd printed no collection at startup: --trace-gc-nvp or stdbuf -oL did not take");
      const busyDuringWarmUp = new Set(collections(printed().slice(startup, before)).map((gc) => gc.isolate));
      const during = collections(printed().slice(before));
      const probe = during.filter((gc) => !busyDuringWarmUp.has(gc.isolate));
      const others = during.filter((gc) => busyDuringWarmUp.has(gc.isolate));
      const isolates = new Set(probe.map((gc) => gc.isolate));
      const total = probe.reduce((sum, gc) => sum + gc.pauseMs, 0);
      console.log(
        `process ${sample + 1}: ${response.status}, ${probe.length} collections, ${total.toFixed(1)} ms paused${isolates.size > 1 ? ` (WARNING: ${isolates.size} isolates that were idle during the warm-up collected: ${[...isolates].join(", ")})` : ""}`,
      );
      for (const gc of probe) console.log(show(gc));
      if (others.length > 0) console.log(`  and ${others.length} in isolates that collected during the warm-up too`);
    } finally {
      await mf.dispose();
    }
  }
} finally {
  removeScratch();
}
