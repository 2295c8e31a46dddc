/**
 * Row 8: the costliest inputs the limits accept (issue 15's and reliability-cost.workerd.test.ts's),
 * each as the first request of a fresh workerd isolate and again as the isolate's second request:
 * the isolate's CPU and how much its V8 heap grew. Target: every such request ≤ 50 ms of CPU and
 * ≤ 32 MB of heap growth, whether it is answered or refused.
 *
 * Method: row 6's (bench/rows/first-request.ts): the deployed bundle of bench/http-worker.ts run by
 * Miniflare as one worker per input, each its own isolate, in one workerd process with the V8
 * inspector on; after startup a warm-up worker answers a POST /diff (the KV service inside workerd then
 * has read every key once). Per input, through its isolate's inspector session:
 * `Runtime.getHeapUsage` (no collection forced: a forced one would promote what startup left and make
 * the first request cheaper than it is), `Profiler.start`, the request and its whole answer,
 * `Profiler.stop`, `Runtime.getHeapUsage` again; then the same for the second request. CPU is the
 * profile's active time (isolateCpu: samples other than `(idle)`, each capped at twice the median
 * interval). Heap growth is the used heap after the answer minus before the request: what the request
 * left, its garbage not yet collected included (a collection during the request lowers it). The
 * figures are medians over the samples (fresh workerd processes), the heap's the largest seen.
 */
import { join } from "node:path";
import type { Endpoint } from "../../src/catalog/schema";
import type { BenchCatalog } from "../lib/catalog";
import { scratchDir } from "../lib/children";
import { benchMiniflare, benchV8FlagsNote } from "../lib/miniflare-v8-flags";
import { type CpuProfile, inspectorTargets, openSession, withTimeout } from "../lib/inspector";
import type { BenchOptions, Row } from "../lib/report";
import { median } from "../lib/stats";
// Row 6's sampling interval and time limits: the same method on other requests.
import {
  type BenchWorker,
  benchWorkers,
  INSPECTOR_TIMEOUT_MS,
  isolateCpu,
  SAMPLING_INTERVAL_US,
  STEP_TIMEOUT_MS,
} from "./first-request";
import { endpointLines, planRequest, worstPlanRequest } from "./queries";

const CPU_TARGET_MS = 50;
const HEAP_TARGET_MB = 32;

export interface WorstInput {
  name: string;
  label: string;
  path: string;
  /** A JSON value to POST, or a raw body string. */
  body?: unknown;
  /** The status it is answered with. */
  status: number;
}

const tokenList = (tokens: number, scopes: (token: number) => string[]) =>
  Array.from({ length: tokens }, (_, token) => ({ id: `t${token}`, scopes: scopes(token) }));
const unmatched = (count: number, segments: number) =>
  Array.from({ length: count }, (_, index) => `GET ${"/bb".repeat(segments)}/x${index}`);
const unknownScopes = (count: number) => Array.from({ length: count }, (_, index) => `${"q".repeat(195)}${index}`);
const issueLines = (count: number) => Array.from({ length: count }, (_, index) => `GET /rest/api/3/issue/ABC-${index}`);

/** One token holding the first alternative's scopes of every other endpoint: half satisfied, half not. */
function wideDiffRequest(endpoints: readonly Endpoint[], count: number): { scopes: string[]; endpoints: string[] } {
  const { lines, chosen } = endpointLines(endpoints, count, 808);
  const held = new Set(
    chosen.filter((_, index) => index % 2 === 0).flatMap((endpoint) => endpoint.alternatives[0]!.scopes),
  );
  return { scopes: [...held].slice(0, 500), endpoints: lines };
}

export function worstInputs(catalog: BenchCatalog): WorstInput[] {
  const endpoints = catalog.index.endpoints;
  return [
    {
      name: "diffwide",
      label: "POST /diff, one token against 1,000 endpoints of every product",
      path: "/diff",
      body: wideDiffRequest(endpoints, 1000),
      status: 200,
    },
    {
      name: "difftypos",
      label: "POST /diff, 16 tokens × 500 unknown typo-like names",
      path: "/diff",
      body: {
        scopes: tokenList(16, (token) => Array.from({ length: 500 }, (_, index) => `read:jira-wrk-${token}-${index}`)),
      },
      status: 200,
    },
    {
      name: "diffconnect",
      label: "POST /diff, what 100 Connect tokens of 64 scopes (60 unknown) can call, 40 a token",
      path: "/diff",
      body: {
        credential: "connect",
        scopes: tokenList(100, (token) => [
          "READ",
          "WRITE",
          "ADMIN",
          "ACT_AS_USER",
          ...Array.from({ length: 60 }, (_, index) => `X${token}_${index}`),
        ]),
        limit: 40,
      },
      status: 200,
    },
    {
      name: "diffchecks",
      label: "POST /diff, 100 tokens × 1,000 endpoints (refused: over the 2,000-check cap)",
      path: "/diff",
      body: { scopes: tokenList(100, () => ["read:jira-user"]), endpoints: issueLines(1000) },
      status: 400,
    },
    {
      name: "diffanswer",
      label: "POST /diff, 20 tokens × 100 unsatisfied endpoints (refused: a 2 MB answer over the 1 MB cap)",
      path: "/diff",
      body: { scopes: tokenList(20, () => ["read:jira-user"]), endpoints: issueLines(100) },
      status: 400,
    },
    {
      name: "diffunmatched",
      label: "POST /diff, 60 unmatched endpoints of 1,000 segments",
      path: "/diff",
      body: { scopes: ["read:jira-work"], endpoints: unmatched(60, 1000) },
      status: 200,
    },
    {
      name: "diffunknown",
      label: "POST /diff, 500 unknown scopes of 200 characters",
      path: "/diff",
      body: { scopes: unknownScopes(500) },
      status: 200,
    },
    {
      name: "planworst",
      label: `POST /plan, the hill-climbed set (${worstPlanRequest(endpoints).endpoints.length} endpoints), prefer granular`,
      path: "/plan",
      body: worstPlanRequest(endpoints),
      status: 200,
    },
    {
      name: "plan1000",
      label: "POST /plan, 1,000 endpoints of every product",
      path: "/plan",
      body: planRequest(endpoints, 1000),
      status: 200,
    },
    {
      name: "explain",
      label: "POST /explain, a 4 KB unmatched url and 500 unknown scopes",
      path: "/explain",
      body: { method: "GET", url: "/bb".repeat(1365), status: 401, scopes: unknownScopes(500) },
      status: 200,
    },
    {
      name: "endpoints500",
      label: "GET /endpoints?scope=read:jira-work&limit=500",
      path: "/endpoints?scope=read:jira-work&limit=500",
      status: 200,
    },
    {
      name: "scopeslong",
      label: "GET /scopes, 1,000 unmatched segments (4 KB)",
      path: `/scopes?path=${"/bb".repeat(1000)}`,
      status: 404,
    },
    {
      name: "guard",
      label: 'POST /diff, a body of "eyJ-" × 60,000 (240 KB, the credential guard)',
      path: "/diff",
      body: "eyJ-".repeat(60_000),
      status: 400,
    },
  ];
}

const post = (body: unknown) => ({
  method: "POST",
  headers: { "content-type": "application/json" },
  body: typeof body === "string" ? body : JSON.stringify(body),
});

interface Measured {
  cpuMs: number;
  heapGrowthMb: number;
  heapAfterMb: number;
  bytes: number;
}

export async function worstInputRows(catalog: BenchCatalog, options: BenchOptions): Promise<Row[]> {
  const { quick, log } = options;
  const what =
    "the costliest accepted inputs, each a fresh workerd isolate's first request, then its second: the isolate's CPU (V8 profile) and heap growth";
  const target = `every request ≤ ${CPU_TARGET_MS} ms CPU and ≤ ${HEAP_TARGET_MB} MB heap growth`;
  const skip = (message: string): Row[] => {
    log(`row 8: ${message}`);
    return [{ id: "8", what, ours: "—", peer: "—", ratio: "—", target, verdict: "SKIP", notes: [message] }];
  };
  const dir = scratchDir();
  const kvPersist = join(dir, "worst-inputs-kv");
  let worker: BenchWorker;
  try {
    worker = await benchWorkers(catalog, join(dir, "worst-inputs-worker"), kvPersist);
  } catch (error) {
    return skip(`skipped: ${error instanceof Error ? error.message : String(error)}`);
  }
  const inputs = worstInputs(catalog);
  const Miniflare = benchMiniflare();
  const first = new Map<string, Measured[]>(inputs.map((input) => [input.name, []]));
  const second = new Map<string, Measured[]>(inputs.map((input) => [input.name, []]));
  const samples = Number(process.env.SCOPE_BENCH_WORST_SAMPLES) || (quick ? 1 : 3);

  const runSample = async (): Promise<string | undefined> => {
    const mf = new Miniflare({
      workers: [worker("warm"), ...inputs.map((input) => worker(input.name))],
      kvPersist,
      inspectorPort: 0,
    });
    try {
      await withTimeout(mf.ready, STEP_TIMEOUT_MS, "Miniflare's start");
      const targets = await inspectorTargets(mf, INSPECTOR_TIMEOUT_MS);
      const warm = await withTimeout(
        mf.dispatchFetch("http://warm.bench/diff", post(wideDiffRequest(catalog.index.endpoints, 100))),
        STEP_TIMEOUT_MS,
        "the warm-up POST /diff",
      );
      await warm.text();
      for (const input of inputs) {
        const url = targets.get(`core:user:${input.name}`);
        if (!url) return `the inspector lists no target core:user:${input.name}`;
        const session = await openSession(url, INSPECTOR_TIMEOUT_MS);
        try {
          await session.send("Profiler.enable");
          await session.send("Profiler.setSamplingInterval", { interval: SAMPLING_INTERVAL_US });
          for (const into of [first, second]) {
            const before = await session.send<{ usedSize: number }>("Runtime.getHeapUsage");
            await session.send("Profiler.start");
            const response = await withTimeout(
              mf.dispatchFetch(
                `http://${input.name}.bench${input.path}`,
                input.body === undefined ? {} : post(input.body),
              ),
              STEP_TIMEOUT_MS,
              input.label,
            );
            const text = await withTimeout(response.text(), STEP_TIMEOUT_MS, `${input.label}'s body`);
            const { profile } = await session.send<{ profile: CpuProfile }>("Profiler.stop");
            const after = await session.send<{ usedSize: number }>("Runtime.getHeapUsage");
            if (response.status !== input.status)
              return `${input.label} answered ${response.status}, not ${input.status}: ${text.slice(0, 200)}`;
            into.get(input.name)!.push({
              cpuMs: isolateCpu(profile).activeMs,
              heapGrowthMb: (after.usedSize - before.usedSize) / 2 ** 20,
              heapAfterMb: after.usedSize / 2 ** 20,
              bytes: Buffer.byteLength(text),
            });
          }
        } finally {
          session.close();
        }
      }
      return undefined;
    } finally {
      await withTimeout(mf.dispose(), STEP_TIMEOUT_MS, "stopping Miniflare").catch(() => undefined);
    }
  };

  for (let sample = 0; sample < samples; sample++) {
    let failed: string | undefined;
    try {
      failed = await runSample();
    } catch (error) {
      failed = `workerd's inspector failed (${error instanceof Error ? error.message : String(error)})`;
    }
    if (failed) return skip(`skipped: ${failed}`);
    log(`row 8: sample ${sample + 1}/${samples}`);
  }

  const cpu = (runs: readonly Measured[]) => median(runs.map((run) => run.cpuMs));
  const heap = (runs: readonly Measured[]) => Math.max(...runs.map((run) => run.heapGrowthMb));
  const within = (name: string) =>
    Math.max(cpu(first.get(name)!), cpu(second.get(name)!)) <= CPU_TARGET_MS &&
    Math.max(heap(first.get(name)!), heap(second.get(name)!)) <= HEAP_TARGET_MB;
  const worstCpu = Math.max(...inputs.map((input) => cpu(first.get(input.name)!)));
  const worstHeap = Math.max(
    ...inputs.map((input) => Math.max(heap(first.get(input.name)!), heap(second.get(input.name)!))),
  );
  const passing = inputs.filter((input) => within(input.name));
  const detail = inputs.map((input) => {
    const [cold, warm] = [first.get(input.name)!, second.get(input.name)!];
    const verdict = within(input.name) ? "within the target" : "past the target";
    return `${input.label}: ${input.status}, ${(median(cold.map((run) => run.bytes)) / 1000).toFixed(0)} KB, ${verdict}; CPU first ${cpu(cold).toFixed(1)} ms, second ${cpu(warm).toFixed(1)} ms; heap growth ${heap(cold).toFixed(1)} / ${heap(warm).toFixed(1)} MB, used after ${Math.max(...cold.map((run) => run.heapAfterMb)).toFixed(1)} MB`;
  });
  return [
    {
      id: "8",
      what,
      ours: `worst first request ${worstCpu.toFixed(1)} ms CPU; worst heap growth ${worstHeap.toFixed(1)} MB; ${passing.length} of ${inputs.length} inputs within the target`,
      peer: "—",
      ratio: "—",
      target,
      verdict: passing.length === inputs.length ? "PASS" : "MISS",
      notes: [
        `Per input (medians over ${samples} fresh workerd processes; heap: the largest growth seen, first / second request, and the used heap after the first): ${detail.join("; ")}.`,
        `The inputs are issue 15's and those of test/app/reliability-cost.workerd.test.ts (which asserts their statuses and work bounds, not times), built from the benchmark catalog; the refused ones are held to the same target, since a refusal must be cheap too. The CPU is the isolate's own, as row 6 measures it (each sample's time capped at twice the median interval; the profiler's own cost is in it, so it errs high). A fresh isolate's first request includes compiling and first running the code it needs (row 6). A refusal's log line is written as Cloudflare's runtime writes it, as in row 6. As in row 6, ${benchV8FlagsNote()}.`,
      ],
      metrics: Object.fromEntries(
        inputs.flatMap((input) => [
          [`${input.name}FirstMs`, cpu(first.get(input.name)!)],
          [`${input.name}SecondMs`, cpu(second.get(input.name)!)],
          [`${input.name}HeapMb`, heap(first.get(input.name)!)],
        ]),
      ),
    },
  ];
}
