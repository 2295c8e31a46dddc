/**
 * /diff's or /plan's request checks alone, cold, in workerd, on two revisions alternated: the body's
 * schema (and the query's) as the route's validators run them (`safeParseAsync` of the parsed JSON),
 * on an isolate's first request. Each revision's `src/` (git archive) is bundled, minified, with an
 * entry that answers GET /noop with nothing and POST /check by checking the body; a fresh Miniflare per
 * sample (workerd with Cloudflare's JIT flags, as rows 6 and 8 run it) gets /noop, then /check, whose
 * workerd process CPU is the figure (the body's JSON.parse and the request's own cost are in it). For a
 * change to the checks whose effect row 6's spread hides; row 6 judges the route.
 *
 *   npx tsx bench/proposals/body-check-cold-ab.ts <before> <after> [row6 route: diff|plan|diff1|plan1] [samples]
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { build } from "esbuild";
import { loadBenchCatalog } from "../lib/catalog";
import { benchMiniflare } from "../lib/miniflare-v8-flags";
import { median } from "../lib/stats";
import { processCpuNs, routeCases, workerdChildren } from "../rows/first-request";

const ROOT = resolve(import.meta.dirname, "../..");
const Miniflare = benchMiniflare();
const [before = "HEAD~1", after = "HEAD", route = "diff", samplesArg = "15"] = process.argv.slice(2);
const samples = Number(samplesArg);
const catalog = await loadBenchCatalog(() => undefined);
const asked = routeCases(catalog).find((entry) => entry.name === route && entry.body);
if (!asked) throw new Error(`no POST route ${route} in row 6`);
const schema = asked.path === "/diff" ? "DiffInputSchema" : "PlanInputSchema";
const module = asked.path === "/diff" ? "diff" : "plan";

const scratch = mkdtempSync(join(tmpdir(), "body-check-cold-"));
const scripts = new Map<string, string>();
try {
  for (const revision of [before, after]) {
    const dir = join(scratch, revision.replace(/[^\w.-]/g, "_"));
    mkdirSync(dir, { recursive: true });
    const archive = execFileSync("git", ["-C", ROOT, "archive", revision, "src", "data"], {
      maxBuffer: 256 * 1024 * 1024,
    });
    execFileSync("tar", ["-x", "-C", dir], { input: archive });
    const entry = join(dir, "entry.ts");
    writeFileSync(
      entry,
      `import "./src/zod-config";
import { ${schema} } from "./src/answers/${module}";
import { FormatOnlyQuerySchema } from "./src/routes/shared";
export default {
  async fetch(request) {
    if (new URL(request.url).pathname === "/noop") return new Response("");
    const query = await FormatOnlyQuerySchema.safeParseAsync({});
    const body = await ${schema}.safeParseAsync(JSON.parse(await request.text()));
    return new Response(query.success && body.success ? "ok" : "refused", { status: body.success ? 200 : 400 });
  },
};
`,
    );
    // Minified, as wrangler.toml builds the worker.
    const out = await build({
      entryPoints: [entry],
      bundle: true,
      format: "esm",
      minify: true,
      write: false,
      loader: { ".json": "json" },
      nodePaths: [join(ROOT, "node_modules")],
      conditions: ["workerd", "worker", "browser"],
    });
    scripts.set(revision, out.outputFiles[0]!.text);
  }

  const text = JSON.stringify(asked.body);
  const results = new Map<string, number[]>([
    [before, []],
    [after, []],
  ]);
  for (let sample = 0; sample < samples; sample++)
    for (const revision of sample % 2 === 0 ? [before, after] : [after, before]) {
      const mf = new Miniflare({ modules: true, script: scripts.get(revision)!, compatibilityDate: "2026-05-03" });
      try {
        await mf.ready;
        const pid = Math.max(...workerdChildren());
        // The isolate's first request pays for what any request does first; the checks' code is still cold after it.
        await (await mf.dispatchFetch("http://localhost/noop")).text();
        const start = processCpuNs(pid);
        const response = await mf.dispatchFetch("http://localhost/check", {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: text,
        });
        if ((await response.text()) !== "ok") throw new Error(`${revision} refused the body`);
        results.get(revision)!.push((processCpuNs(pid) - start) / 1e6);
      } finally {
        await mf.dispose();
      }
    }
  for (const revision of [before, after]) {
    const values = results.get(revision)!;
    console.log(
      `${revision}: ${asked.label}, POST /check after GET /noop, median ${median(values).toFixed(2)} ms of workerd CPU (${[
        ...values,
      ]
        .sort((a, b) => a - b)
        .map((value) => value.toFixed(1))
        .join(" ")})`,
    );
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
