/**
 * Where a fresh isolate's first request spends its CPU, by function, inclusive and self: row 6's
 * method (bench/rows/first-request.ts) on one route, with a finer sampling interval, in N fresh
 * workerd processes. For finding what to cut, not for a verdict (the profiler's own cost is in it).
 *
 *   npx tsx bench/proposals/first-request-profile.ts [path] [samples] [intervalUs]
 *   npx tsx bench/proposals/first-request-profile.ts '/scopes?path=/rest/api/3/issue/ABC-1&method=GET' 5 50
 *
 * A path `row8:<name>` sends row 8's input of that name (bench/rows/worst-inputs.ts: diffwide,
 * planworst, ...). PROFILE_BODY=file POSTs that file's JSON; PROFILE_TREE=ms prints the call tree down to that
 * inclusive time; PROFILE_MINIFY=1 profiles the minified bundle (names are then minified too);
 * PROFILE_BEFORE=<request> sends that request (`row6:plan`, a path) to the isolate first, unprofiled;
 * PROFILE_GC=1 prints each profile's collector samples as runs of consecutive samples (about one pause each);
 * PROFILE_CONSOLE=local gives the workers wrangler dev's console instead of Cloudflare's (bench/http-worker.ts);
 * PROFILE_LINES=<function> prints that function's sampled lines of the bundle (V8's position ticks);
 * workerd runs with the benchmarks' V8 flags: SCOPE_BENCH_V8_FLAGS=none for workerd serve's own
 * (bench/lib/miniflare-v8-flags.ts).
 */
import { join } from "node:path";
import { loadBenchCatalog } from "../lib/catalog";
import { scratchDir } from "../lib/children";
import { benchMiniflare } from "../lib/miniflare-v8-flags";
import { type CpuProfile, inspectorTargets, openSession } from "../lib/inspector";
import { benchWorkers } from "../rows/first-request";
import { askedRequest } from "./asked-request";

const asked = process.argv[2] ?? "/scopes?path=/rest/api/3/issue/ABC-1&method=GET";
const samples = Number(process.argv[3] ?? 5);
const intervalUs = Number(process.argv[4] ?? 50);
const catalog = await loadBenchCatalog(() => undefined);
const { path, init } = askedRequest(asked, catalog);
// PROFILE_BEFORE=<request> (as the first argument takes it) is sent to the probe first, unprofiled: what
// the profiled request costs once that one has warmed the isolate's code or read its shards.
const before = process.env.PROFILE_BEFORE ? askedRequest(process.env.PROFILE_BEFORE, catalog) : undefined;
const dir = scratchDir();
const kvPersist = join(dir, "profile-kv");
// Unminified so the profile names functions (PROFILE_MINIFY=1 profiles the bundle as deployed).
const worker = await benchWorkers(catalog, join(dir, "profile-worker"), kvPersist, {
  minify: process.env.PROFILE_MINIFY === "1",
});

const localConsole = process.env.PROFILE_CONSOLE === "local";
const Miniflare = benchMiniflare();
const inclusive = new Map<string, number>();
const self = new Map<string, number>();
let total = 0;
/** Each profile's active ms, printed beside the mean (a median of the alternated rounds' profiles). */
const perProfile: number[] = [];
let floor = 0;
const tree = new Map<string, number>();
const pauses: number[][] = [];
/** PROFILE_LINES: the named function's ticks by bundle line (1-based), over every profile. */
const linesOf = process.env.PROFILE_LINES;
const lineTicks = new Map<number, number>();
let bundleUrl: string | undefined;
/** The collector's samples in runs of consecutive samples, each run about one pause (PROFILE_GC=1). */
function collectorRuns(
  profile: CpuProfile,
  byId: Map<number, CpuProfile["nodes"][number]>,
  deltas: number[],
  cap: number,
) {
  const runs: number[] = [];
  let run = 0;
  profile.samples.forEach((id, i) => {
    if (byId.get(id)!.callFrame.functionName === "(garbage collector)") run += Math.min(deltas[i]!, cap) / 1000;
    else if (run > 0) {
      runs.push(run);
      run = 0;
    }
  });
  if (run > 0) runs.push(run);
  return runs;
}
for (let sample = 0; sample < samples; sample++) {
  const mf = new Miniflare({
    workers: [worker("warm"), worker("noop", { localConsole }), worker("probe", { localConsole })],
    kvPersist,
    inspectorPort: 0,
  });
  await mf.ready;
  await (await mf.dispatchFetch("http://warm.bench/health")).text();
  const targets = await inspectorTargets(mf, 30_000);
  for (const name of ["noop", "probe"]) {
    if (before && name === "probe") {
      await (await mf.dispatchFetch(`http://probe.bench${before.path}`, before.init)).text();
    }
    const session = await openSession(targets.get(`core:user:${name}`)!, 30_000);
    await session.send("Profiler.enable");
    await session.send("Profiler.setSamplingInterval", { interval: intervalUs });
    await session.send("Profiler.start");
    const response = await mf.dispatchFetch(
      `http://${name}.bench${name === "noop" ? "/noop" : path}`,
      name === "noop" ? {} : init,
    );
    await response.text();
    const { profile } = await session.send<{ profile: CpuProfile }>("Profiler.stop");
    session.close();
    if (name === "noop") {
      floor += profile.samples.reduce((sum, id, i) => {
        const frame = profile.nodes.find((node) => node.id === id)!.callFrame;
        return frame.functionName === "(idle)" ? sum : sum + (profile.timeDeltas[i + 1] ?? 0) / 1000;
      }, 0);
      continue;
    }
    const byId = new Map(profile.nodes.map((node) => [node.id, node]));
    if (linesOf)
      for (const node of profile.nodes as (CpuProfile["nodes"][number] & {
        positionTicks?: { line: number; ticks: number }[];
      })[]) {
        if (node.callFrame.functionName !== linesOf) continue;
        bundleUrl = node.callFrame.url;
        for (const { line, ticks } of node.positionTicks ?? []) lineTicks.set(line, (lineTicks.get(line) ?? 0) + ticks);
      }
    const parent = new Map<number, number>();
    for (const node of profile.nodes as (CpuProfile["nodes"][number] & { children?: number[] })[])
      for (const child of node.children ?? []) parent.set(child, node.id);
    perProfile.push(0);
    const deltas = profile.samples.map((_, i) => profile.timeDeltas[i + 1] ?? 0);
    const cap = 2 * [...deltas].sort((a, b) => a - b)[deltas.length >> 1]!;
    if (process.env.PROFILE_GC === "1") pauses.push(collectorRuns(profile, byId, deltas, cap));
    profile.samples.forEach((id, i) => {
      const leafFrame = byId.get(id)!.callFrame as CpuProfile["nodes"][number]["callFrame"] & { lineNumber?: number };
      if (leafFrame.functionName === "(idle)") return;
      const leaf = leafFrame.functionName || `(anon):${leafFrame.lineNumber}`;
      const ms = Math.min(deltas[i]!, cap) / 1000;
      total += ms;
      perProfile[perProfile.length - 1]! += ms;
      self.set(leaf, (self.get(leaf) ?? 0) + ms);
      const stack: string[] = [];
      for (let node: number | undefined = id; node !== undefined; node = parent.get(node)) {
        const frame = byId.get(node)!.callFrame;
        stack.unshift(frame.functionName || `(anon):${(frame as { lineNumber?: number }).lineNumber}`);
      }
      for (let depth = 1; depth <= stack.length; depth++) {
        const key = stack.slice(0, depth).join(" > ");
        tree.set(key, (tree.get(key) ?? 0) + ms);
      }
      const seen = new Set<string>();
      for (let node: number | undefined = id; node !== undefined; node = parent.get(node)) {
        const frame = byId.get(node)!.callFrame;
        const where = (frame as { lineNumber?: number }).lineNumber;
        const name = `${frame.functionName || `(anon):${where}`} ${frame.url.split("/").pop()}`;
        if (seen.has(name)) continue;
        seen.add(name);
        inclusive.set(name, (inclusive.get(name) ?? 0) + ms);
      }
    });
  }
  await mf.dispose();
}
const show = (map: Map<string, number>, n: number) =>
  [...map]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([name, ms]) => `  ${(ms / samples).toFixed(2).padStart(7)}  ${name}`)
    .join("\n");
console.log(
  `${asked}: ${(total / samples).toFixed(1)} ms active per first request (mean of ${samples}); GET /noop ${(floor / samples).toFixed(1)} ms uncapped; each: ${perProfile.map((ms) => ms.toFixed(1)).join(" / ")}`,
);
console.log(`inclusive:\n${show(inclusive, 60)}\nself:\n${show(self, 25)}`);
for (const [i, runs] of pauses.entries())
  console.log(`collector, profile ${i + 1}: ${runs.length} runs, ms: ${runs.map((ms) => ms.toFixed(2)).join(" ")}`);
if (process.env.PROFILE_TREE) {
  const threshold = Number(process.env.PROFILE_TREE) * samples;
  for (const [key, ms] of [...tree].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    if (ms < threshold) continue;
    const parts = key.split(" > ");
    console.log(`${(ms / samples).toFixed(2).padStart(7)} ${"  ".repeat(parts.length - 1)}${parts.at(-1)}`);
  }
}
if (linesOf) {
  const source = bundleUrl ? await readBundle(bundleUrl) : undefined;
  console.log(`${linesOf}, ticks by bundle line (${bundleUrl ?? "not sampled"}):`);
  for (const [line, ticks] of [...lineTicks].sort((a, b) => b[1] - a[1]).slice(0, 30))
    console.log(`${String(ticks).padStart(6)}  ${line}: ${source?.[line - 1]?.trim().slice(0, 150) ?? ""}`);
}

/** The bundle's lines, from the profile's script URL (a file under the scratch directory). */
async function readBundle(url: string): Promise<string[] | undefined> {
  const { readFile } = await import("node:fs/promises");
  const { readdirSync } = await import("node:fs");
  const name = url.split("/").pop()!;
  const found = readdirSync(dir, { recursive: true, encoding: "utf8" }).find((file) => file.endsWith(name));
  return found ? (await readFile(join(dir, found), "utf8")).split("\n") : undefined;
}
