/**
 * What one request allocates, by function: V8's sampling heap profiler (through Node's inspector)
 * around one request to the app, in a fresh Node process where the app has answered a GET /health.
 * Node's V8 is workerd's; tsx's keepNames helpers (`__name`) appear here and not in the deployed
 * bundle. For finding where a first request's garbage comes from, not for a verdict.
 *
 *   npx tsx bench/proposals/first-request-allocations.ts /plan /tmp/plan.json [rows]
 *   npx tsx bench/proposals/first-request-allocations.ts row8:plan1000 [rows]
 *
 * A body file is JSON, POSTed; without one the path is a GET. `row8:<name>` sends row 8's input of
 * that name (bench/rows/worst-inputs.ts: diffwide, difftypos, plan1000, planworst, ...).
 */
import { readFileSync } from "node:fs";
import { Session } from "node:inspector/promises";
import { appHarness, postJson } from "../lib/app-harness";
import { addAllocationSites, type SamplingNode } from "../lib/heap-sites";
import { loadBenchCatalog } from "../lib/catalog";
import { worstInputs } from "../rows/worst-inputs";

const args = process.argv.slice(2);
const catalog = await loadBenchCatalog(() => undefined);
const named = args[0]?.startsWith("row8:")
  ? worstInputs(catalog).find((input) => input.name === args[0]!.slice("row8:".length))
  : undefined;
if (args[0]?.startsWith("row8:") && !named) throw new Error(`no row 8 input named ${args[0]}`);
const [path, body, rows] = named
  ? [named.path, named.body, args[1] ?? "25"]
  : [args[0] ?? "/health", args[1] ? JSON.parse(readFileSync(args[1], "utf8")) : undefined, args[2] ?? "25"];
const harness = await appHarness(catalog);
const init =
  body === undefined
    ? undefined
    : typeof body === "string"
      ? { method: "POST", headers: { "content-type": "application/json" }, body }
      : postJson(body);

const session = new Session();
session.connect();
await session.post("HeapProfiler.enable");
// Every allocation counts, collected or not: the garbage is what a fresh isolate pays to collect.
await session.post("HeapProfiler.startSampling", {
  samplingInterval: 1024,
  includeObjectsCollectedByMajorGC: true,
  includeObjectsCollectedByMinorGC: true,
});
const response = await harness.request(path, init);
const text = await response.text();
const { profile } = (await session.post("HeapProfiler.stopSampling")) as { profile: { head: SamplingNode } };
session.disconnect();

const bySelf = new Map<string, number>();
const total = addAllocationSites(
  profile.head,
  bySelf,
  ({ functionName, url, lineNumber }) =>
    `${functionName || "(anonymous)"} ${url.split("/").slice(-2).join("/")}:${lineNumber}`,
);
console.log(`${path}: ${response.status}, ${text.length} characters; ${(total / 1e6).toFixed(2)} MB allocated`);
for (const [name, bytes] of [...bySelf].sort((a, b) => b[1] - a[1]).slice(0, Number(rows)))
  console.log(`${(bytes / 1e3).toFixed(0).padStart(7)} KB  ${name}`);
