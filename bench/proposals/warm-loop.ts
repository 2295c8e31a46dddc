/**
 * What a warm workerd isolate spends per request, measured inside it: the bench bundle wrapped so
 * one request to `/__loop` runs the app N times on row 5's requests (GET /scopes over row 1's path
 * mix, and GET /noop) and answers the mean time per request by performance.now(). No proxy, no
 * HTTP client, no profiler: row 5's difference between its two routes, without the noise of the
 * 2 cores they share with autocannon. For judging a change to row 5's per-request work (run it in a
 * worktree of each revision, alternately); row 5 judges.
 *
 *   npx tsx bench/proposals/warm-loop.ts [rounds] [requestsPerRound]
 *   LOOP_PROFILE=scopes npx tsx bench/proposals/warm-loop.ts 1 20000   # then one more loop of that route, profiled
 *
 * With LOOP_PROFILE=scopes|noop, a last loop of that route runs under workerd's V8 profiler and its
 * self and inclusive times per request are printed (the isolate is busy throughout, so each sample
 * stands for its interval; LOOP_CALLEES=name also splits that function's time by what it calls, and
 * LOOP_CALLERS=name a function's own time by its callers, three frames up: who calls a native like `set`).
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { Miniflare } from "miniflare";
import { loadBenchCatalog } from "../lib/catalog";
import { scratchDir } from "../lib/children";
import { pathMix } from "../lib/paths";
import { median } from "../lib/stats";
import { type CpuProfile, inspectorTargets, openSession } from "../lib/inspector";
import { benchWorkers, processCpuNs, workerdChildren } from "../rows/first-request";

const rounds = Number(process.argv[2] ?? 5);
const requests = Number(process.argv[3] ?? 20_000);
const catalog = await loadBenchCatalog(() => undefined);
const dir = scratchDir();
const bundleDir = join(dir, "loop-worker");
// LOOP_MINIFY=0 builds it unminified, so that a profile names functions.
const worker = await benchWorkers(catalog, bundleDir, join(dir, "loop-kv"), {
  minify: process.env.LOOP_MINIFY !== "0",
});
// The loop runs the bundle's own fetch handler, as workerd would for each request.
writeFileSync(
  join(bundleDir, "loop.js"),
  `import worker from "./http-worker.js";
export default {
  async fetch(request, env, ctx) {
    const { paths, count } = await request.json();
    const start = performance.now();
    for (let i = 0; i < count; i++) {
      const response = await worker.fetch(new Request("http://probe.bench" + paths[i % paths.length]), env, ctx);
      if (response.status !== 200) return new Response(paths[i % paths.length] + " answered " + response.status, { status: 500 });
      await response.arrayBuffer();
    }
    return new Response(String((performance.now() - start) / count));
  },
};
`,
);
const { scriptPath: _, ...probe } = worker("probe");
// Listed, not located: Miniflare's module parser does not read the minified bundle.
const profiled = process.env.LOOP_PROFILE as "scopes" | "noop" | undefined;
const mf = new Miniflare({
  ...probe,
  ...(profiled ? { inspectorPort: 0 } : {}),
  modules: [
    { type: "ESModule", path: join(bundleDir, "loop.js") },
    { type: "ESModule", path: join(bundleDir, "http-worker.js") },
  ],
  kvPersist: join(dir, "loop-kv"),
});
await mf.ready;
const routes = {
  scopes: pathMix(catalog.index.endpoints, 200, 1234).map(
    (entry) => `/scopes?path=${encodeURIComponent(entry.path)}&method=${entry.method}`,
  ),
  noop: ["/noop"],
};
/** Per request: the isolate's clock, and workerd's process CPU (all its threads), µs. */
const loop = async (paths: string[], count: number) => {
  const [pid] = workerdChildren();
  const cpuBefore = processCpuNs(pid!);
  const response = await mf.dispatchFetch("http://probe.bench/", {
    method: "POST",
    body: JSON.stringify({ paths, count }),
  });
  const text = await response.text();
  if (response.status !== 200) throw new Error(text);
  return { clock: Number(text) * 1000, cpu: (processCpuNs(pid!) - cpuBefore) / 1000 / count };
};
await loop(routes.scopes, 20_000);
await loop(routes.noop, 20_000);
const results = { scopes: [] as { clock: number; cpu: number }[], noop: [] as { clock: number; cpu: number }[] };
for (let round = 0; round < rounds; round++)
  for (const name of round % 2 ? (["noop", "scopes"] as const) : (["scopes", "noop"] as const))
    results[name].push(await loop(routes[name], requests));
const profile = profiled ? await profileLoop(routes[profiled]) : undefined;
await mf.dispose();
for (const measure of ["cpu", "clock"] as const) {
  const of = (name: keyof typeof routes) => results[name].map((result) => result[measure]);
  const fmt = (values: number[]) => values.map((us) => us.toFixed(1)).join("/");
  console.log(
    `${measure === "cpu" ? "workerd's process CPU" : "the isolate's clock"}, µs per request: /scopes ${median(of("scopes")).toFixed(1)} (${fmt(of("scopes"))}), /noop ${median(of("noop")).toFixed(1)} (${fmt(of("noop"))}), difference ${(median(of("scopes")) - median(of("noop"))).toFixed(1)}`,
  );
}

if (profile) printProfile(profile);

async function profileLoop(paths: string[]): Promise<CpuProfile> {
  const targets = await inspectorTargets(mf, 30_000);
  const session = await openSession(targets.get("core:user:probe")!, 30_000);
  await session.send("Profiler.enable");
  await session.send("Profiler.setSamplingInterval", { interval: 100 });
  await session.send("Profiler.start");
  await loop(paths, requests);
  const { profile } = await session.send<{ profile: CpuProfile }>("Profiler.stop");
  session.close();
  return profile;
}

function printProfile(profile: CpuProfile): void {
  type Node = CpuProfile["nodes"][number] & { children?: number[]; callFrame: { lineNumber?: number } };
  const nodes = profile.nodes as Node[];
  const byId = new Map(nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const nameOf = (node: Node) =>
    `${node.callFrame.functionName || `(anon):${node.callFrame.lineNumber}`} ${node.callFrame.url.split("/").pop()}`;
  const calleesOf = process.env.LOOP_CALLEES;
  const callersOf = process.env.LOOP_CALLERS;
  const callers = new Map<string, number>();
  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  const callees = new Map<string, number>();
  const add = (map: Map<string, number>, key: string, us: number) => map.set(key, (map.get(key) ?? 0) + us);
  profile.samples.forEach((id, i) => {
    const us = profile.timeDeltas[i + 1] ?? 0;
    const leaf = byId.get(id)!;
    if (leaf.callFrame.functionName === "(idle)") return;
    add(self, nameOf(leaf), us);
    if (callersOf && leaf.callFrame.functionName === callersOf) {
      const chain: string[] = [];
      for (let node = parent.get(id); node !== undefined && chain.length < 3; node = parent.get(node))
        chain.push(nameOf(byId.get(node)!));
      add(callers, chain.join(" < "), us);
    }
    const seen = new Set<string>();
    let below = nameOf(leaf);
    for (let node: number | undefined = id; node !== undefined; node = parent.get(node)) {
      const name = nameOf(byId.get(node)!);
      if (calleesOf && byId.get(node)!.callFrame.functionName === calleesOf) add(callees, below, us);
      below = name;
      if (!seen.has(name)) add(inclusive, name, us);
      seen.add(name);
    }
  });
  const show = (title: string, map: Map<string, number>, n: number) => {
    console.log(title);
    for (const [name, us] of [...map].sort((a, b) => b[1] - a[1]).slice(0, n))
      console.log(`  ${(us / requests).toFixed(2).padStart(7)} µs  ${name}`);
  };
  show(`inclusive, per ${profiled} request:`, inclusive, 50);
  if (calleesOf) show(`${calleesOf} calls:`, callees, 25);
  if (callersOf) show(`${callersOf}'s own time, by its callers (three up):`, callers, 15);
  show("self:", self, 40);
}
