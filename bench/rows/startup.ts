/**
 * Row 7: startup, as `wrangler check startup` profiles it: wrangler bundles the worker as it deploys
 * it (wrangler.toml) and workerd runs its top level under the V8 CPU profiler. "Active" is the
 * profile's time less its (idle) samples, each capped as row 6 caps them: module evaluation, the
 * app's routes and schemas, garbage collection. Cloudflare's limit for startup is 400 ms (1 s on paid plans); the target is 50 ms.
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "../lib/catalog";
import { scratchDir } from "../lib/children";
import type { BenchOptions, Row } from "../lib/report";
import { median } from "../lib/stats";
import type { CpuProfile } from "../lib/inspector";
import { WRANGLER, WRANGLER_ENV } from "./extras";
import { isolateCpu } from "./first-request";

const TARGET_MS = 50;

/**
 * Active ms of a V8 CPU profile, counted as row 6 counts a first request (isolateCpu): each sample's
 * time capped at twice the profile's median interval, since a sample stamped long after the one
 * before holds time the thread waited for a core on a loaded machine (one sample of 24 ms beside a
 * median interval of 1.1 ms, in a run at load 5). `rawMs` is the uncapped sum, reported beside it.
 */
export function profileSummary(profile: CpuProfile): {
  activeMs: number;
  rawMs: number;
  gcMs: number;
  top: [string, number][];
} {
  const { activeMs, rawMs, self } = isolateCpu(profile);
  const gcMs = self.get("(garbage collector)") ?? 0;
  return { activeMs, rawMs, gcMs, top: [...self].sort((a, b) => b[1] - a[1]).slice(0, 5) };
}

export async function startupRows(options: BenchOptions): Promise<Row[]> {
  const { quick, log } = options;
  const runs = quick ? 1 : 5;
  const what = "startup: `wrangler check startup` (the deployed bundle's top level in workerd), active CPU";
  const target = `≤ ${TARGET_MS} ms`;
  const results: ReturnType<typeof profileSummary>[] = [];
  for (let run = 0; run < runs; run++) {
    const outfile = join(scratchDir(), `startup-${run}.cpuprofile`);
    const check = spawnSync(WRANGLER, ["check", "startup", "--outfile", outfile], {
      cwd: ROOT,
      env: WRANGLER_ENV,
      encoding: "utf8",
      timeout: 180_000,
    });
    if (check.status !== 0) {
      const message = `skipped: wrangler check startup exited ${check.status}: ${`${check.stdout}${check.stderr}`.trim().split("\n").slice(-2).join(" ")}`;
      log(`row 7: ${message}`);
      return [{ id: "7", what, ours: "—", peer: "—", ratio: "—", target, verdict: "SKIP", notes: [message] }];
    }
    results.push(profileSummary(JSON.parse(readFileSync(outfile, "utf8")) as CpuProfile));
    log(`row 7: run ${run + 1}/${runs}: ${results.at(-1)!.activeMs.toFixed(1)} ms active`);
  }
  const active = median(results.map((result) => result.activeMs));
  const gc = median(results.map((result) => result.gcMs));
  const lowest = Math.min(...results.map((result) => result.activeMs));
  const last = results.at(-1)!;
  return [
    {
      id: "7",
      what,
      ours: `${active.toFixed(1)} ms active, median (lowest ${lowest.toFixed(1)}; GC ${gc.toFixed(1)} ms)`,
      peer: "—",
      ratio: "—",
      target,
      verdict: active <= TARGET_MS ? "PASS" : "MISS",
      metrics: {
        activeMs: active,
        lowestActiveMs: lowest,
        gcMs: gc,
        rawMs: median(results.map((result) => result.rawMs)),
      },
      notes: [
        `\`wrangler check startup\` (wrangler bundles the worker from wrangler.toml as \`wrangler deploy\` does, and profiles its startup in workerd), ${runs} run${runs === 1 ? "" : "s"}, median; active = the profile's samples other than (idle), each sample's time capped at twice the profile's median interval as in row 6 (uncapped, the median run is ${median(results.map((result) => result.rawMs)).toFixed(1)} ms). Per run: ${results.map((result) => `${result.activeMs.toFixed(1)} (uncapped ${result.rawMs.toFixed(1)})`).join(", ")} ms. Heaviest self times of the last run: ${last.top.map(([name, ms]) => `${name} ${ms.toFixed(1)} ms`).join(", ")}. Measured on this machine's CPU, not Cloudflare's.`,
      ],
    },
  ];
}
