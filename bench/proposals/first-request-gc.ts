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
import { tracedProbe } from "./traced-probe";

const asked = process.argv[2] ?? "/scopes?path=/rest/api/3/issue/ABC-1&method=GET";
const samples = Number(process.argv[3] ?? 3);

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

await tracedProbe(
  asked,
  { name: "gc", traceFlags: ["--trace-gc-nvp"], samples },
  async ({ printed, startupEnd, warmedEnd, probe }, sample) => {
    const response = await probe();
    // Startup always collects: no line at all means V8's flags or stdbuf did not take.
    if (collections(printed().slice(0, startupEnd)).length === 0)
      throw new Error("workerd printed no collection at startup: --trace-gc-nvp or stdbuf -oL did not take");
    const busyDuringWarmUp = new Set(collections(printed().slice(startupEnd, warmedEnd)).map((gc) => gc.isolate));
    const during = collections(printed().slice(warmedEnd));
    const probed = during.filter((gc) => !busyDuringWarmUp.has(gc.isolate));
    const others = during.filter((gc) => busyDuringWarmUp.has(gc.isolate));
    const isolates = new Set(probed.map((gc) => gc.isolate));
    const total = probed.reduce((sum, gc) => sum + gc.pauseMs, 0);
    console.log(
      `process ${sample + 1}: ${response.status}, ${probed.length} collections, ${total.toFixed(1)} ms paused${isolates.size > 1 ? ` (WARNING: ${isolates.size} isolates that were idle during the warm-up collected: ${[...isolates].join(", ")})` : ""}`,
    );
    for (const gc of probed) console.log(show(gc));
    if (others.length > 0) console.log(`  and ${others.length} in isolates that collected during the warm-up too`);
  },
);
