/**
 * The planner alone, cold, in workerd, on two revisions alternated: each revision's `src/` (git
 * archive) bundled with an entry that runs `planScopes` on a set's endpoints in its first request, in
 * a fresh Miniflare (so a fresh isolate and V8's tiering from nothing) per sample. Prints the first
 * call's time and the least of 15 further calls (warm), per revision. The clock is workerd's
 * `performance.now()`, which advances in 1 ms steps while code runs: compare the two sides, and
 * quote these only as the planner's share of a first /plan (row 8 times the whole request).
 *
 *   npx tsx bench/proposals/planner-cold-ab.ts HEAD~1 HEAD [rounds] [set file] [prefer]
 *   npx tsx bench/proposals/planner-cold-ab.ts 3dbc308 37f6a02 10 bench/plan/granular-worst.txt granular
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { build } from "esbuild";
import { benchMiniflare } from "../lib/miniflare-v8-flags";
import { median } from "../lib/stats";
import { scopedEndpoints, setEndpoints } from "../plan/catalog-endpoints";

const ROOT = resolve(import.meta.dirname, "../..");
// workerd with the JIT flags of Cloudflare's runtime, as rows 6 and 8 run it (SCOPE_BENCH_V8_FLAGS).
const Miniflare = benchMiniflare();
const [
  before = "HEAD~1",
  after = "HEAD",
  roundsArg = "8",
  setFile = "bench/plan/granular-worst.txt",
  prefer = "granular",
] = process.argv.slice(2);
const rounds = Number(roundsArg);
const endpoints = setEndpoints(resolve(ROOT, setFile), scopedEndpoints()).map(({ alternatives }) => ({
  alternatives,
}));

const scratch = mkdtempSync(join(tmpdir(), "planner-cold-"));
const scripts = new Map<string, string>();
try {
  writeFileSync(join(scratch, "endpoints.json"), JSON.stringify(endpoints));
  for (const revision of [before, after]) {
    const dir = join(scratch, revision.replace(/[^\w.-]/g, "_"));
    mkdirSync(dir, { recursive: true });
    const archive = execFileSync("git", ["-C", ROOT, "archive", revision, "src"], { maxBuffer: 64 * 1024 * 1024 });
    execFileSync("tar", ["-x", "-C", dir], { input: archive });
    const entry = join(dir, "entry.ts");
    writeFileSync(
      entry,
      `import { planScopes } from "./src/catalog/plan";
import endpoints from "../endpoints.json";
const options = { prefer: ${JSON.stringify(prefer)} } as const;
export default {
  async fetch() {
    let start = performance.now();
    const plan = planScopes(endpoints as never, options);
    const first = performance.now() - start;
    let warm = Number.POSITIVE_INFINITY;
    for (let call = 0; call < 15; call++) {
      start = performance.now();
      planScopes(endpoints as never, options);
      warm = Math.min(warm, performance.now() - start);
    }
    return Response.json({ first, warm, nodes: plan.nodes, scopes: plan.scopes.length });
  },
};
`,
    );
    // Minified and without names kept, as wrangler.toml builds the worker.
    const out = await build({ entryPoints: [entry], bundle: true, format: "esm", minify: true, write: false });
    scripts.set(revision, out.outputFiles[0]!.text);
  }

  const results = new Map<string, { first: number[]; warm: number[]; plan: string }>();
  for (let round = 0; round < rounds; round++)
    for (const revision of round % 2 === 0 ? [before, after] : [after, before]) {
      const mf = new Miniflare({ modules: true, script: scripts.get(revision)!, compatibilityDate: "2026-05-03" });
      try {
        const answer = (await (await mf.dispatchFetch("http://localhost/")).json()) as {
          first: number;
          warm: number;
          nodes: number;
          scopes: number;
        };
        const side = results.get(revision) ?? { first: [], warm: [], plan: "" };
        side.first.push(answer.first);
        side.warm.push(answer.warm);
        side.plan = `${answer.nodes} nodes, ${answer.scopes} scopes`;
        results.set(revision, side);
      } finally {
        await mf.dispose();
      }
    }
  for (const revision of [before, after]) {
    const side = results.get(revision)!;
    const sorted = (values: number[]) => [...values].sort((a, b) => a - b).join(" ");
    console.log(
      `${revision}: first call median ${median(side.first)} ms (${sorted(side.first)}); warm median ${median(side.warm)} ms (${sorted(side.warm)}); ${side.plan}`,
    );
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
