/**
 * Row 7 on bundles built elsewhere, alternated: `wrangler check startup --worker` on each bundle in
 * turn, N rounds, active CPU as row 7 counts it (profileSummary). Build each bundle in the tree it
 * measures (`npx wrangler deploy --dry-run --outfile /tmp/before.bundle`), so that both sides share
 * the machine's load over the same minutes.
 *   npx tsx bench/proposals/startup-ab.ts /tmp/before.bundle /tmp/after.bundle 10
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join, resolve } from "node:path";
import { profileSummary } from "../rows/startup";
import { median, percentile } from "../lib/stats";

const ROOT = resolve(import.meta.dirname, "../..");
const WRANGLER = join(ROOT, "node_modules", ".bin", "wrangler");
const WRANGLER_ENV = { ...process.env, WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false" };

const args = process.argv.slice(2);
const rounds = /^\d+$/.test(args.at(-1) ?? "") ? Number(args.pop()) : 6;
if (args.length === 0) throw new Error("usage: startup-ab.ts BUNDLE... [ROUNDS]");
const scratch = mkdtempSync(join(tmpdir(), "startup-ab-"));
const results = new Map<string, { activeMs: number; gcMs: number }[]>(args.map((bundle) => [bundle, []]));
for (let round = 0; round < rounds; round++)
  for (const bundle of args) {
    const outfile = join(scratch, `${basename(bundle)}-${round}.cpuprofile`);
    const check = spawnSync(WRANGLER, ["check", "startup", "--worker", bundle, "--outfile", outfile], {
      cwd: ROOT,
      env: WRANGLER_ENV,
      encoding: "utf8",
      timeout: 180_000,
    });
    if (check.status !== 0) throw new Error(`wrangler check startup exited ${check.status} on ${bundle}`);
    const summary = profileSummary(JSON.parse(readFileSync(outfile, "utf8")));
    results.get(bundle)!.push(summary);
    console.log(`round ${round + 1}/${rounds} ${bundle}: ${summary.activeMs.toFixed(1)} ms active`);
  }
for (const [bundle, runs] of results) {
  const active = runs.map((run) => run.activeMs);
  console.log(
    `${bundle}: median ${median(active).toFixed(1)} ms active (lowest ${Math.min(...active).toFixed(1)}, p25 ${percentile(active, 25).toFixed(1)}, p75 ${percentile(active, 75).toFixed(1)}; GC median ${median(runs.map((run) => run.gcMs)).toFixed(1)} ms); per run ${active.map((ms) => ms.toFixed(1)).join(", ")}`,
  );
}
