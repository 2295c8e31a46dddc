/**
 * Row 6: the CPU of a fresh isolate's first request, per route, in workerd itself, over the first
 * request of a trivial route (GET /noop) in its own fresh isolate.
 *
 * Method: the bench worker (bench/http-worker.ts: src/app.ts plus GET /noop) bundled by
 * `wrangler deploy --dry-run`, run by Miniflare (the workerd that wrangler dev runs) as one worker per
 * route, each its own isolate, all in one workerd process (Miniflare `workers`, routed by host). After
 * startup, a warm-up worker answers one POST /diff (so that the KV service inside workerd has served
 * every key once: in production KV is not in the isolate's process), then each route's worker gets its first
 * request, one at a time in a random order; the CPU workerd spent on it is the sum over its threads of
 * the run time in /proc/<pid>/task/<tid>/schedstat (nanoseconds on a CPU: other load on the machine
 * does not count, though it can slow the caches) read before the request and after its answer arrived.
 * That is process CPU: it includes workerd's HTTP handling, Miniflare's entry worker and the KV reads,
 * an upper bound on the isolate's own; GET /noop's first request pays the same plumbing and is
 * subtracted. Samples are fresh workerd processes; the figure is the median over them.
 *
 * The verdict is on the isolate's own CPU (what Workers count against the CPU limit): each sample
 * also starts a second workerd process with the V8 inspector on (Miniflare `inspectorPort`), where
 * each route's isolate is profiled (Profiler.start before its first request, Profiler.stop after the
 * answer; see isolateCpu). If the inspector fails, the row says so and judges on process CPU.
 */
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT, type BenchCatalog } from "../lib/catalog";
import { scratchDir } from "../lib/children";
import { benchMiniflare, benchV8FlagsNote, miniflareWithV8Flags } from "../lib/miniflare-v8-flags";
import { type CpuProfile, type InspectorSession, inspectorTargets, openSession, withTimeout } from "../lib/inspector";
import type { BenchOptions, Row } from "../lib/report";
import { median, prng, shuffled } from "../lib/stats";
import { WRANGLER, WRANGLER_ENV } from "./extras";
import { diffRequest, oneProductDiffRequest, oneProductPlanRequest, planRequest } from "./queries";

const SOURCE_CONFIG = join(ROOT, "bench", "wrangler.bench.toml");
const TARGET_MS = 10;
const MOONSHOT_MS = 5;
/** The profiler's sampling interval asked for, µs (workerd's sampler thread may tick slower on a loaded machine). */
export const SAMPLING_INTERVAL_US = 250;
/** Every wait on workerd (start, a request, an inspector command) gives up after this long. */
export const STEP_TIMEOUT_MS = 120_000;
/** Every inspector command (list, connect, Profiler.*) gives up after this long. */
export const INSPECTOR_TIMEOUT_MS = 30_000;

/** What one first request cost the isolate, from its V8 CPU profile. */
export interface IsolateCpu {
  /** Active (non-idle) ms, each sample's time capped at twice the profile's median interval. */
  activeMs: number;
  /** The same without the cap: the sampler's clock is wall time. */
  rawMs: number;
  /** The profile's median time between samples, µs. */
  intervalUs: number;
  /** Self time per function, capped the same way. */
  self: Map<string, number>;
}

/**
 * The isolate's CPU in a V8 CPU profile: the samples that are not `(idle)` (JavaScript, `(program)`
 * i.e. V8 and workerd native code under the isolate's lock, `(garbage collector)`). V8 takes a sample
 * only while the isolate is locked by its thread, and stamps it with a wall clock: the time to the
 * next sample also holds any time the isolate was unlocked (workerd ran another worker or waited for
 * I/O) or its thread waited for a core. Capping each sample's time at twice the median interval
 * drops those gaps (row 7's profileSummary counts startup the same way).
 */
export function isolateCpu(profile: CpuProfile): IsolateCpu {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const durations = profile.samples.map((_, index) => profile.timeDeltas[index + 1] ?? 0);
  const intervalUs = median(durations.filter((us) => us > 0));
  const cap = 2 * intervalUs;
  let activeMs = 0;
  let rawMs = 0;
  const self = new Map<string, number>();
  profile.samples.forEach((id, index) => {
    const frame = byId.get(id)?.callFrame;
    if (!frame || frame.functionName === "(idle)") return;
    const us = durations[index]!;
    const ms = Math.min(us, cap) / 1000;
    rawMs += us / 1000;
    activeMs += ms;
    const name = frame.functionName || "(anonymous)";
    self.set(name, (self.get(name) ?? 0) + ms);
  });
  return { activeMs, rawMs, intervalUs: Number.isNaN(intervalUs) ? 0 : intervalUs, self };
}

export interface RouteCase {
  name: string;
  label: string;
  path: string;
  body?: unknown;
  /** The status the request is answered with: 200 unless said. */
  status?: number;
}

export function routeCases(catalog: BenchCatalog): RouteCase[] {
  const endpoints = catalog.index.endpoints;
  return [
    { name: "noop", label: "GET /noop (floor)", path: "/noop" },
    { name: "openapi", label: "GET /openapi.json", path: "/openapi.json" },
    { name: "scopes", label: "GET /scopes (Jira path)", path: "/scopes?path=/rest/api/3/issue/ABC-1&method=GET" },
    {
      // A mistyped path, the commonest miss: its suggestions are ranked over Jira's templates.
      name: "scopestypo",
      label: "GET /scopes (mistyped Jira path, 404 with suggestions)",
      path: "/scopes?path=/rest/api/3/isue/ABC-1/comments",
      status: 404,
    },
    { name: "health", label: "GET /health", path: "/health" },
    { name: "endpoints", label: "GET /endpoints?scope=read:jira-work", path: "/endpoints?scope=read:jira-work" },
    {
      name: "endpointstypo",
      label: "GET /endpoints?scope=read:jira-wrok (404 with suggestions)",
      path: "/endpoints?scope=read:jira-wrok",
      status: 404,
    },
    { name: "diff", label: "POST /diff (row 4a)", path: "/diff", body: diffRequest(endpoints) },
    { name: "plan", label: "POST /plan (100, row 4b)", path: "/plan", body: planRequest(endpoints, 100) },
    {
      name: "diff1",
      label: "POST /diff (10 Bitbucket endpoints)",
      path: "/diff",
      body: oneProductDiffRequest(endpoints, "bitbucket", 10),
    },
    {
      // A pasted Bitbucket scope list with one typo: its suggestions are ranked over every scope name.
      name: "diff1typo",
      label: "POST /diff (10 Bitbucket endpoints, one typo scope)",
      path: "/diff",
      body: withTypo(oneProductDiffRequest(endpoints, "bitbucket", 10), "pullrequest:wrtie"),
    },
    {
      name: "plan1",
      label: "POST /plan (20 Jira Software endpoints)",
      path: "/plan",
      body: oneProductPlanRequest(endpoints, "jira-software", 20),
    },
  ];
}

function withTypo(body: { scopes: string[]; endpoints: string[] }, typo: string): typeof body {
  return { ...body, scopes: [...body.scopes, typo] };
}

const post = (body: unknown) => ({
  method: "POST",
  headers: { "content-type": "application/json" },
  body: JSON.stringify(body),
});

/** Nanoseconds every thread of `pid` has run on a CPU (schedstat's first field). */
export function processCpuNs(pid: number): number {
  let total = 0;
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      total += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, "utf8").split(" ")[0]);
    } catch {
      // the thread ended between the listing and the read
    }
  }
  return total;
}

/** The three heaviest self times over some profiles, as "name ms" (mean per profile). */
function topSelf(runs: readonly IsolateCpu[]): string {
  const totals = new Map<string, number>();
  for (const run of runs) for (const [name, ms] of run.self) totals.set(name, (totals.get(name) ?? 0) + ms);
  return [...totals]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 3)
    .map(([name, ms]) => `${name} ${(ms / runs.length).toFixed(1)}`)
    .join(", ");
}

/** A thread's run time and time waiting for a core, ns (schedstat's first two fields). */
function threadSchedstat(pid: number, tid: number): { run: number; wait: number } {
  const [run, wait] = readFileSync(`/proc/${pid}/task/${tid}/schedstat`, "utf8").split(" ").map(Number);
  return { run: run ?? 0, wait: wait ?? 0 };
}

/** The workerd processes that are children of this one (Miniflare spawns workerd directly). */
export function workerdChildren(): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const status = readFileSync(`/proc/${entry}/status`, "utf8");
      if (/^Name:\s+workerd$/m.test(status) && new RegExp(`^PPid:\\s+${process.pid}$`, "m").test(status))
        pids.push(Number(entry));
    } catch {
      // gone
    }
  }
  return pids;
}

/**
 * A Miniflare worker of the bench bundle, named `name` and routed from `<name>.bench`. Its console is
 * Cloudflare's (bench/http-worker.ts) unless `localConsole`: then workerd serve's, as wrangler dev runs it.
 */
export type BenchWorker = (
  name: string,
  options?: { localConsole?: boolean },
) => {
  name: string;
  modules: true;
  scriptPath: string;
  modulesRoot: string;
  compatibilityDate: string;
  kvNamespaces: { CATALOG: string };
  bindings?: { BENCH_CONSOLE: "local" };
  routes: string[];
};

/**
 * bench/http-worker.ts bundled by `wrangler deploy --dry-run` into `bundleDir`, its KV seeded once in
 * `kvPersist` with the benchmark catalog (every sample's workerd reads the same persisted namespace),
 * and the config of a worker of it; throws when bundling fails. Minified as deployed unless `minify`
 * is false (readable function names for a profile). Row 6 and
 * bench/proposals/first-request-profile.ts run it.
 */
export async function benchWorkers(
  catalog: BenchCatalog,
  bundleDir: string,
  kvPersist: string,
  { minify = true }: { minify?: boolean } = {},
): Promise<BenchWorker> {
  const args = ["deploy", "--dry-run", "--outdir", bundleDir, "--config", SOURCE_CONFIG];
  const bundle = spawnSync(WRANGLER, minify ? args : [...args, "--minify=false"], {
    cwd: ROOT,
    env: WRANGLER_ENV,
    encoding: "utf8",
    timeout: 120_000,
  });
  if (bundle.status !== 0) throw new Error(`bundling bench/http-worker.ts failed (exit ${bundle.status})`);
  const compatibilityDate =
    /^compatibility_date = "(.*)"$/m.exec(readFileSync(SOURCE_CONFIG, "utf8"))?.[1] ?? "2026-05-03";
  const worker: BenchWorker = (name, { localConsole = false } = {}) => ({
    name,
    modules: true,
    scriptPath: join(bundleDir, "http-worker.js"),
    modulesRoot: bundleDir,
    compatibilityDate,
    kvNamespaces: { CATALOG: "local-catalog-bench" },
    ...(localConsole ? { bindings: { BENCH_CONSOLE: "local" as const } } : {}),
    routes: [`${name}.bench/*`],
  });
  const Miniflare = miniflareWithV8Flags([]);
  const seeder = new Miniflare({ ...worker("seed"), kvPersist });
  try {
    const kv = (await seeder.getKVNamespace("CATALOG")) as unknown as {
      put(key: string, value: string): Promise<void>;
    };
    for (const [key, value] of catalog.kv) if (!key.startsWith("lock")) await kv.put(key, value);
  } finally {
    await seeder.dispose();
  }
  return worker;
}

export async function firstRequestRows(catalog: BenchCatalog, options: BenchOptions): Promise<Row[]> {
  const { quick, log } = options;
  const what =
    "first request of a fresh workerd isolate: the isolate's CPU (V8 profile through workerd's inspector) over GET /noop's first request; workerd's process CPU as the upper bound";
  const target = `≤ ${TARGET_MS} ms over the floor for every route (moonshot ≤ ${MOONSHOT_MS} ms)`;
  const skip = (message: string): Row[] => {
    log(`row 6: ${message}`);
    return [{ id: "6", what, ours: "—", peer: "—", ratio: "—", target, verdict: "SKIP", notes: [message] }];
  };
  if (process.platform !== "linux") return skip("skipped: reads /proc (Linux only)");

  const dir = scratchDir();
  const kvPersist = join(dir, "first-request-kv");
  let worker: BenchWorker;
  try {
    worker = await benchWorkers(catalog, join(dir, "first-request-worker"), kvPersist);
  } catch (error) {
    return skip(`skipped: ${error instanceof Error ? error.message : String(error)}`);
  }
  const cases = routeCases(catalog);
  const Miniflare = benchMiniflare();
  log("row 6: bench worker bundled, KV seeded");

  const samples = Number(process.env.SCOPE_BENCH_FIRST_REQUEST_SAMPLES) || (quick ? 2 : 7);
  /** Process CPU per route, ms, without the inspector (the upper bound). */
  const byRoute = new Map<string, number[]>(cases.map((entry) => [entry.name, []]));
  /** The same in the profiled processes, to show what the profiler costs. */
  const profiledProcess = new Map<string, number[]>(cases.map((entry) => [entry.name, []]));
  const isolate = new Map<string, IsolateCpu[]>(cases.map((entry) => [entry.name, []]));
  /** workerd's main thread's CPU per route, ms (where the isolates run), without and with the profiler. */
  const mainThread = new Map<string, number[]>(cases.map((entry) => [entry.name, []]));
  const profiledMainThread = new Map<string, number[]>(cases.map((entry) => [entry.name, []]));
  /** Per profiled request, the share of its wall time workerd's main thread waited for a core. */
  const waitShares: number[] = [];
  /** Per profiled request, the isolate's active time over the main thread's CPU. */
  const isolateShares: number[] = [];
  const random = prng(606);
  let inspectorSkip: string | undefined;

  /** One fresh workerd process: every route's first request, with its isolate's CPU profile if `profiled`. */
  const runSample = async (profiled: boolean): Promise<string | undefined> => {
    const mf = new Miniflare({
      workers: [worker("warm"), ...cases.map((entry) => worker(entry.name))],
      kvPersist,
      ...(profiled ? { inspectorPort: 0 } : {}),
    });
    try {
      await withTimeout(mf.ready, STEP_TIMEOUT_MS, "Miniflare's start");
      const pids = workerdChildren();
      if (pids.length !== 1) return `expected one workerd child process, found ${pids.length}`;
      const pid = pids[0]!;
      const targets = profiled ? await inspectorTargets(mf, INSPECTOR_TIMEOUT_MS) : undefined;
      // The KV service inside workerd serves every key once (a POST /diff reads the manifest and every
      // shard), so no route's first request pays for the service's own first reads.
      for (const entry of [cases.find((candidate) => candidate.name === "diff")!])
        await withTimeout(
          mf.dispatchFetch("http://warm.bench/diff", post(entry.body)).then((response) => response.text()),
          STEP_TIMEOUT_MS,
          "the warm-up POST /diff",
        );
      for (const entry of shuffled(random, cases)) {
        // The session is opened and the profiler started before the CPU is read: only the request is timed.
        let session: InspectorSession | undefined;
        if (targets) {
          const url = targets.get(`core:user:${entry.name}`);
          if (!url) throw new Error(`the inspector lists no target core:user:${entry.name}`);
          session = await openSession(url, INSPECTOR_TIMEOUT_MS);
          await session.send("Profiler.enable");
          await session.send("Profiler.setSamplingInterval", { interval: SAMPLING_INTERVAL_US });
          await session.send("Profiler.start");
        }
        try {
          const before = processCpuNs(pid);
          const mainBefore = threadSchedstat(pid, pid);
          const response = await withTimeout(
            mf.dispatchFetch(
              `http://${entry.name}.bench${entry.path}`,
              entry.body === undefined ? {} : post(entry.body),
            ),
            STEP_TIMEOUT_MS,
            entry.label,
          );
          const text = await withTimeout(response.text(), STEP_TIMEOUT_MS, `${entry.label}'s body`);
          const cpuMs = (processCpuNs(pid) - before) / 1e6;
          const mainAfter = threadSchedstat(pid, pid);
          const mainMs = (mainAfter.run - mainBefore.run) / 1e6;
          if (response.status !== (entry.status ?? 200))
            return `${entry.label} answered ${response.status}: ${text.slice(0, 200)}`;
          if (entry.name === "scopes" && !text.includes('"source":"kv"')) return "the worker did not answer from KV";
          if (session) {
            const { profile } = await session.send<{ profile: CpuProfile }>("Profiler.stop");
            const cpu = isolateCpu(profile);
            isolate.get(entry.name)!.push(cpu);
            profiledProcess.get(entry.name)!.push(cpuMs);
            profiledMainThread.get(entry.name)!.push(mainMs);
            const wait = (mainAfter.wait - mainBefore.wait) / 1e6;
            if (mainMs + wait > 0) waitShares.push(wait / (mainMs + wait));
            if (mainMs > 0) isolateShares.push(cpu.activeMs / mainMs);
          } else {
            byRoute.get(entry.name)!.push(cpuMs);
            mainThread.get(entry.name)!.push(mainMs);
          }
        } finally {
          session?.close();
        }
      }
      return undefined;
    } finally {
      await withTimeout(mf.dispose(), STEP_TIMEOUT_MS, "stopping Miniflare").catch(() => undefined);
    }
  };

  for (let sample = 0; sample < samples; sample++) {
    const failed = await runSample(false);
    if (failed) return skip(`skipped: ${failed}`);
    if (inspectorSkip === undefined) {
      try {
        const profiledFailed = await runSample(true);
        if (profiledFailed) return skip(`skipped: ${profiledFailed}`);
      } catch (error) {
        // Without the inspector the row keeps its process CPU and says why the isolate's is missing.
        for (const values of [...isolate.values(), ...profiledProcess.values(), ...profiledMainThread.values()])
          values.length = 0;
        inspectorSkip = `the isolate's CPU was not measured: workerd's inspector failed (${error instanceof Error ? error.message : String(error)})`;
        log(`row 6: SKIP isolate CPU: ${inspectorSkip}`);
      }
    }
    log(`row 6: sample ${sample + 1}/${samples}`);
  }

  const fmt = (ms: number) => `${ms.toFixed(1)} ms`;
  const signed = (ms: number) => `${ms < 0 ? "−" : "+"}${fmt(Math.abs(ms))}`;
  const measured = cases.filter((entry) => entry.name !== "noop");
  const held = measured.filter((entry) => entry.name !== "openapi");
  const sortedMs = (values: readonly number[]) =>
    [...values]
      .sort((a, b) => a - b)
      .map((value) => value.toFixed(1))
      .join("/");

  const floor = median(byRoute.get("noop")!);
  const over = (name: string) => median(byRoute.get(name)!) - floor;
  const processWorst = Math.max(...held.map((entry) => over(entry.name)));
  const processDetail = measured.map((entry) => `${entry.label} ${signed(over(entry.name))}`).join(", ");
  const processSpread = cases.map((entry) => `${entry.label} ${sortedMs(byRoute.get(entry.name)!)}`).join("; ");

  const profiledOk = inspectorSkip === undefined && isolate.get("noop")!.length > 0;
  const activeOf = (name: string) => isolate.get(name)!.map((cpu) => cpu.activeMs);
  const isolateFloor = profiledOk ? median(activeOf("noop")) : Number.NaN;
  const isolateOver = (name: string) => median(activeOf(name)) - isolateFloor;
  const isolateWorst = profiledOk ? Math.max(...held.map((entry) => isolateOver(entry.name))) : Number.NaN;
  const worst = profiledOk ? isolateWorst : processWorst;
  const verdict = worst <= TARGET_MS ? "PASS" : "MISS";

  const notes: string[] = [];
  if (profiledOk) {
    const costOf = (withProfiler: Map<string, number[]>, without: Map<string, number[]>) =>
      median(cases.map((entry) => median(withProfiler.get(entry.name)!) - median(without.get(entry.name)!)));
    const profilerCost = costOf(profiledProcess, byRoute);
    const profilerMainCost = costOf(profiledMainThread, mainThread);
    const rawOver = (name: string) =>
      median(isolate.get(name)!.map((cpu) => cpu.rawMs)) - median(isolate.get("noop")!.map((cpu) => cpu.rawMs));
    const interval = median(cases.flatMap((entry) => isolate.get(entry.name)!.map((cpu) => cpu.intervalUs)));
    const passing = held.filter((entry) => isolateOver(entry.name) <= TARGET_MS).length;
    notes.push(
      `The verdict is on the isolate's own CPU, what Workers count against a Worker's CPU limit: each route's first request in a fresh isolate, profiled through workerd's V8 inspector (Miniflare \`inspectorPort\`; each worker is its own target \`core:user:<name>\`; Profiler.setSamplingInterval ${SAMPLING_INTERVAL_US} µs, Profiler.start before the request, Profiler.stop after its answer), active = the samples other than \`(idle)\` (JavaScript, \`(program)\`: V8 and workerd native code under the isolate's lock, \`(garbage collector)\`), each sample's time capped at twice the profile's median interval (${interval.toFixed(0)} µs here), because V8 samples only while the isolate is locked and stamps samples with a wall clock: uncapped, the time the isolate was unlocked (workerd running the KV service or the entry worker, waiting for I/O) or its thread waited for a core would count (uncapped: ${held.map((entry) => `${entry.label} ${signed(rawOver(entry.name))}`).join(", ")}). Medians over ${samples} fresh workerd processes, minus GET /noop's ${fmt(isolateFloor)}; ${passing} of the ${held.length} routes held to the target ${passing === 1 ? "is" : "are"} within ${TARGET_MS} ms. The isolate's active time was ${(100 * median(isolateShares)).toFixed(0)}% of workerd's main thread's CPU during its request (median; the rest is the KV service, the entry worker and the plumbing, which run on the same thread). A wait for a core shorter than the cap still counts: workerd's main thread waited ${(100 * median(waitShares)).toFixed(0)}% of each profiled request's time (median; /proc schedstat).`,
      `The profiler's own cost, per first request (median over routes of the difference of medians, profiled processes minus unprofiled ones): ${signed(profilerCost)} of process CPU (the sampler's threads among it), ${signed(profilerMainCost)} on workerd's main thread, where the isolate runs (the signal per sample, V8 logging code as it compiles); that part lands in the isolate's figure, which errs high, not low.`,
      `Heaviest self times in the isolate per first request (ms, mean over the profiles, capped like the total): ${cases.map((entry) => `${entry.label}: ${topSelf(isolate.get(entry.name)!)}`).join("; ")}.`,
      `Isolate samples, ms active (sorted): ${cases.map((entry) => `${entry.label} ${sortedMs(activeOf(entry.name))}`).join("; ")}.`,
    );
  } else notes.push(`SKIP (isolate CPU): ${inspectorSkip ?? "no profile"}; the verdict is on process CPU.`);
  notes.push(
    `Process CPU, the upper bound: Miniflare (the workerd of wrangler dev) runs the bundle of bench/http-worker.ts as one worker per route, each its own isolate, in one workerd process; after startup a warm-up worker answers a POST /diff (KV's own service in workerd has then read every key once; in production KV is outside the isolate's process), then each route's worker gets its first request, in random order. CPU per request: the sum of workerd's threads' run time (/proc/<pid>/task/*/schedstat, ns) around the request, in processes without the inspector; medians over ${samples} fresh workerd processes (SCOPE_BENCH_FIRST_REQUEST_SAMPLES sets how many), minus GET /noop's ${fmt(floor)}: ${processDetail}. This includes what Workers do not count: workerd's local KV service reading the shards from its on-disk store, Miniflare's entry worker and HTTP plumbing, V8's background threads. /openapi.json is reported but not held to the target (it builds the whole document once per isolate). A 4xx answer's log line is written as Cloudflare's runtime writes it (its arguments serialised as JSON), not through the formatter wrangler dev's console loads on an isolate's first line (bench/http-worker.ts). In profiled and unprofiled processes alike, ${benchV8FlagsNote()}. The worker reads the benchmark catalog from KV; its manifest ${Object.values(catalog.manifest.products).every((pointer) => pointer.scopeNames) ? "carries scopeNames, so /health reads no shard and a known scope's reverse lookup only its shards" : "has no scopeNames (written before them), so /health and /endpoints read every shard"}; ${Object.values(catalog.manifest.products).every((pointer) => pointer.layout === "endpoint-lines-with-route-table") ? "its shards are stored one endpoint per line with a scope index, the lines' starts, and the trie (as flat lists), the endpoints' paths and the distinct alternatives each on its own line, so a request reads a shard's bytes, parses its first line, the trie if it matches a path, the paths if it ranks a miss, the alternatives and the endpoints it reads" : "its shards are not all stored in the endpoint-lines-with-route-table layout, so a request scans or parses more of each shard it reads"}.`,
    `Process samples, ms (sorted): ${processSpread}.`,
  );

  const isolateDetail = measured.map((entry) => `${entry.label} ${signed(isolateOver(entry.name))}`).join(", ");
  return [
    {
      id: "6",
      what,
      ours: profiledOk
        ? `isolate CPU over the floor: ${isolateDetail} (process CPU, the upper bound, same order: ${measured.map((entry) => `${signed(over(entry.name))}`).join(", ")})`
        : `process CPU over the floor (isolate CPU not measured): ${processDetail}`,
      peer: profiledOk
        ? `GET /noop's first request: isolate ${fmt(isolateFloor)}, process ${fmt(floor)}`
        : `GET /noop's first request ${fmt(floor)} (process)`,
      ratio: "—",
      target,
      verdict,
      metrics: Object.fromEntries([
        ["floorMs", floor],
        ...measured.map((entry) => [`${entry.name}OverFloorMs`, over(entry.name)]),
        ...(profiledOk
          ? [
              ["isolateFloorMs", isolateFloor],
              ...measured.map((entry) => [`${entry.name}IsolateOverFloorMs`, isolateOver(entry.name)]),
            ]
          : []),
      ]),
      notes,
    },
  ];
}
