/**
 * Which functions a first request runs for the first time, by module: V8's precise coverage in a
 * fresh Node process (the app through tsx, as first-request-allocations.ts drives it) around one
 * request, after startup (and after COVERAGE_AFTER's request, a path, when set). Each such function is compiled on the request's clock
 * (V8 compiles lazily); the sizes are of its source as tsx emits it (TypeScript stripped, unminified).
 * workerd's inspector offers no coverage, so this runs in Node (same V8 major line, same code).
 *
 *   npx tsx bench/proposals/first-request-coverage.ts [path|row8:name] [top]
 *   PROFILE_BODY=/tmp/diff.json npx tsx bench/proposals/first-request-coverage.ts /diff
 */
import { Session } from "node:inspector/promises";
import { loadBenchCatalog } from "../lib/catalog";
import { askedRequest } from "./asked-request";

interface Coverage {
  result: {
    url: string;
    functions: { functionName: string; ranges: { startOffset: number; endOffset: number; count: number }[] }[];
  }[];
}

const asked = process.argv[2] ?? "/scopes?path=/rest/api/3/issue/ABC-1&method=GET";
const top = Number(process.argv[3] ?? 25);
const session = new Session();
session.connect();
await session.post("Profiler.enable");
await session.post("Profiler.startPreciseCoverage", { callCount: true, detailed: false });
const ran = new Set<string>();
const take = async () => {
  const { result } = (await session.post("Profiler.takePreciseCoverage")) as Coverage;
  const fresh: { module: string; name: string; bytes: number }[] = [];
  for (const script of result)
    for (const fn of script.functions) {
      const range = fn.ranges[0]!;
      const key = `${script.url}:${range.startOffset}`;
      if (range.count === 0 || ran.has(key)) continue;
      ran.add(key);
      fresh.push({ module: moduleOf(script.url), name: fn.functionName, bytes: range.endOffset - range.startOffset });
    }
  return fresh;
};
const moduleOf = (url: string) => {
  const at = url.lastIndexOf("/node_modules/");
  if (at < 0) return url.replace(/^file:\/\/.*?\/(src|bench)\//, "$1/");
  const parts = url.slice(at + "/node_modules/".length).split("/");
  return parts[0]!.startsWith("@") ? `${parts[0]}/${parts[1]}` : parts[0]!;
};

const catalog = await loadBenchCatalog(() => undefined);
const { path, init } = askedRequest(asked, catalog);
// As row 6: the app loaded, its first request the route's (GET /noop, row 6's floor, is not subtracted).
const { app } = await import("../../src/app");
const { CountingKv } = await import("../lib/counting-kv");
const kv = new CountingKv();
for (const [key, value] of catalog.kv) kv.values.set(key, value);
const env = { CATALOG: kv } as unknown as Env;
const send = (to: string, init?: RequestInit) => app.request(`http://bench.local${to}`, init, env);
if (process.env.COVERAGE_AFTER) await (await send(process.env.COVERAGE_AFTER)).text();
await take();
const response = await send(path, init);
await response.text();
const fresh = (await take()).filter((fn) => !fn.module.startsWith("node:") && !fn.module.startsWith("bench/"));
const byModule = new Map<string, { functions: number; bytes: number }>();
for (const fn of fresh) {
  const entry = byModule.get(fn.module) ?? { functions: 0, bytes: 0 };
  entry.functions++;
  entry.bytes += fn.bytes;
  byModule.set(fn.module, entry);
}
const total = fresh.reduce((sum, fn) => sum + fn.bytes, 0);
const ours = fresh.filter((fn) => fn.module.startsWith("src/")).reduce((sum, fn) => sum + fn.bytes, 0);
console.log(
  `${asked}: ${response.status}; ${fresh.length} functions run for the first time, ${(total / 1024).toFixed(0)} KB of source (src/ ${(ours / 1024).toFixed(0)} KB)`,
);
for (const [module, entry] of [...byModule].sort((a, b) => b[1].bytes - a[1].bytes).slice(0, top))
  console.log(`  ${(entry.bytes / 1024).toFixed(1).padStart(7)} KB ${String(entry.functions).padStart(4)}  ${module}`);
console.log("largest functions:");
for (const fn of [...fresh].sort((a, b) => b.bytes - a.bytes).slice(0, top))
  console.log(`  ${(fn.bytes / 1024).toFixed(1).padStart(7)} KB  ${fn.name || "(anonymous)"}  ${fn.module}`);
