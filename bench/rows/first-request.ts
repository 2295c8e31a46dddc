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
 */
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Miniflare } from "miniflare";
import { ROOT, type BenchCatalog } from "../lib/catalog";
import { scratchDir } from "../lib/children";
import type { BenchOptions, Row } from "../lib/report";
import { median, prng, shuffled } from "../lib/stats";
import { WRANGLER, WRANGLER_ENV } from "./extras";
import { diffRequest, oneProductDiffRequest, oneProductPlanRequest, planRequest } from "./queries";

const SOURCE_CONFIG = join(ROOT, "bench", "wrangler.bench.toml");
const TARGET_MS = 10;
const MOONSHOT_MS = 5;

interface RouteCase {
  name: string;
  label: string;
  path: string;
  body?: unknown;
}

function routeCases(catalog: BenchCatalog): RouteCase[] {
  const endpoints = catalog.index.endpoints;
  return [
    { name: "noop", label: "GET /noop (floor)", path: "/noop" },
    { name: "openapi", label: "GET /openapi.json", path: "/openapi.json" },
    { name: "scopes", label: "GET /scopes (Jira path)", path: "/scopes?path=/rest/api/3/issue/ABC-1&method=GET" },
    { name: "health", label: "GET /health", path: "/health" },
    { name: "endpoints", label: "GET /endpoints?scope=read:jira-work", path: "/endpoints?scope=read:jira-work" },
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
function processCpuNs(pid: number): number {
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

/** The workerd processes that are children of this one (Miniflare spawns workerd directly). */
function workerdChildren(): number[] {
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

export async function firstRequestRows(catalog: BenchCatalog, options: BenchOptions): Promise<Row[]> {
  const { quick, log } = options;
  const what = "first request of a fresh workerd isolate, CPU over GET /noop's first request";
  const target = `≤ ${TARGET_MS} ms over the floor for every route (moonshot ≤ ${MOONSHOT_MS} ms)`;
  const skip = (message: string): Row[] => {
    log(`row 6: ${message}`);
    return [{ id: "6", what, ours: "—", peer: "—", ratio: "—", target, verdict: "SKIP", notes: [message] }];
  };
  if (process.platform !== "linux") return skip("skipped: reads /proc (Linux only)");

  const dir = scratchDir();
  const bundleDir = join(dir, "first-request-worker");
  const bundle = spawnSync(WRANGLER, ["deploy", "--dry-run", "--outdir", bundleDir, "--config", SOURCE_CONFIG], {
    cwd: ROOT,
    env: WRANGLER_ENV,
    encoding: "utf8",
    timeout: 120_000,
  });
  if (bundle.status !== 0) return skip(`skipped: bundling bench/http-worker.ts failed (exit ${bundle.status})`);
  const script = join(bundleDir, "http-worker.js");
  const compatibilityDate =
    /^compatibility_date = "(.*)"$/m.exec(readFileSync(SOURCE_CONFIG, "utf8"))?.[1] ?? "2026-05-03";
  const kvPersist = join(dir, "first-request-kv");
  const cases = routeCases(catalog);
  const worker = (name: string) => ({
    name,
    modules: true,
    scriptPath: script,
    modulesRoot: bundleDir,
    compatibilityDate,
    kvNamespaces: { CATALOG: "local-catalog-bench" },
    routes: [`${name}.bench/*`],
  });

  // Seed the KV once; every sample's workerd reads the same persisted namespace.
  const seeder = new Miniflare({ ...worker("seed"), kvPersist });
  try {
    const kv = (await seeder.getKVNamespace("CATALOG")) as unknown as {
      put(key: string, value: string): Promise<void>;
    };
    for (const [key, value] of catalog.kv) if (!key.startsWith("lock")) await kv.put(key, value);
  } finally {
    await seeder.dispose();
  }
  log("row 6: bench worker bundled, KV seeded");

  const samples = Number(process.env.SCOPE_BENCH_FIRST_REQUEST_SAMPLES) || (quick ? 2 : 7);
  const byRoute = new Map<string, number[]>(cases.map((entry) => [entry.name, []]));
  const random = prng(606);
  for (let sample = 0; sample < samples; sample++) {
    const mf = new Miniflare({ workers: [worker("warm"), ...cases.map((entry) => worker(entry.name))], kvPersist });
    try {
      await mf.ready;
      const pids = workerdChildren();
      if (pids.length !== 1) return skip(`skipped: expected one workerd child process, found ${pids.length}`);
      const pid = pids[0]!;
      // The KV service inside workerd serves every key once (a POST /diff reads the manifest and every
      // shard), so no route's first request pays for the service's own first reads.
      for (const entry of [cases.find((candidate) => candidate.name === "diff")!])
        await (await mf.dispatchFetch("http://warm.bench/diff", post(entry.body))).text();
      for (const entry of shuffled(random, cases)) {
        const before = processCpuNs(pid);
        const response = await mf.dispatchFetch(
          `http://${entry.name}.bench${entry.path}`,
          entry.body === undefined ? {} : post(entry.body),
        );
        const text = await response.text();
        const cpuMs = (processCpuNs(pid) - before) / 1e6;
        if (response.status !== 200)
          return skip(`skipped: ${entry.label} answered ${response.status}: ${text.slice(0, 200)}`);
        if (entry.name === "scopes" && !text.includes('"source":"kv"'))
          return skip("skipped: the worker did not answer from KV");
        byRoute.get(entry.name)!.push(cpuMs);
      }
    } finally {
      await mf.dispose();
    }
    log(`row 6: sample ${sample + 1}/${samples}`);
  }

  const floor = median(byRoute.get("noop")!);
  const over = (name: string) => median(byRoute.get(name)!) - floor;
  const measured = cases.filter((entry) => entry.name !== "noop");
  const worst = Math.max(...measured.filter((entry) => entry.name !== "openapi").map((entry) => over(entry.name)));
  const fmt = (ms: number) => `${ms.toFixed(1)} ms`;
  const detail = measured.map((entry) => `${entry.label} +${fmt(over(entry.name))}`).join(", ");
  const spread = cases
    .map((entry) => {
      const values = [...byRoute.get(entry.name)!].sort((a, b) => a - b);
      return `${entry.label} ${values.map((value) => value.toFixed(1)).join("/")}`;
    })
    .join("; ");
  return [
    {
      id: "6",
      what,
      ours: detail,
      peer: `GET /noop's first request ${fmt(floor)}`,
      ratio: "—",
      target,
      verdict: worst <= TARGET_MS ? "PASS" : "MISS",
      metrics: Object.fromEntries([
        ["floorMs", floor],
        ...measured.map((entry) => [`${entry.name}OverFloorMs`, over(entry.name)]),
      ]),
      notes: [
        `Miniflare ${"(the workerd of wrangler dev)"} runs the bundle of bench/http-worker.ts as one worker per route, each its own isolate, in one workerd process; after startup a warm-up worker answers a POST /diff (KV's own service in workerd has then read every key once; in production KV is outside the isolate's process), then each route's worker gets its first request, in random order. CPU per request: the sum of workerd's threads' run time (/proc/<pid>/task/*/schedstat, ns) around the request; medians over ${samples} fresh workerd processes (SCOPE_BENCH_FIRST_REQUEST_SAMPLES sets how many), minus GET /noop's. This is process CPU (workerd's HTTP handling, Miniflare's entry worker, the KV reads), an upper bound on the isolate's own. /openapi.json is reported but not held to the target (it builds the whole document once per isolate). The worker reads the benchmark catalog from KV; its manifest ${Object.values(catalog.manifest.products).every((pointer) => pointer.scopeNames) ? "carries scopeNames, so /health reads no shard and a known scope's reverse lookup only its shards" : "has no scopeNames (written before them), so /health and /endpoints read every shard"}.`,
        `Samples, ms (sorted): ${spread}.`,
      ],
    },
  ];
}
