/**
 * What V8's compilers do during a fresh isolate's first request, as workerd's own V8 reports it
 * (`--trace-opt --trace-deopt`): row 6's setup (a warm-up worker answers row 6's POST /diff), then the
 * probe's request, in N fresh workerd processes run with the benchmarks' V8 flags
 * (bench/lib/miniflare-v8-flags.ts: by default the JIT flags of Cloudflare's runtime, where V8
 * compiles on the isolate's thread, so each compilation's time is the request's). Per function: its
 * compilations by tier with the time they took, and its deoptimizations with their reasons.
 *
 *   npx tsx bench/proposals/first-request-jit.ts row8:planworst 2
 *   SCOPE_BENCH_V8_FLAGS=none npx tsx bench/proposals/first-request-jit.ts row6:plan 3
 *
 * V8 does not say which isolate a compilation is for: the lines are those printed between the
 * warm-up's answer and the probe's, when the probe's isolate runs and Miniflare's entry worker and KV
 * service (warmed by the warm-up) may too.
 */
import { tracedProbe } from "./traced-probe";

const asked = process.argv[2] ?? "row6:plan";
const samples = Number(process.argv[3] ?? 2);

interface FunctionJit {
  compiles: Map<string, { count: number; ms: number }>;
  deopts: Map<string, number>;
}
// A function V8 names `<JSFunction name (sfi = 0x…)>`, an anonymous one `<JSFunction (sfi = 0x…)>`.
const FUNCTION = "<JSFunction (?:([^\\s(]\\S*) )?\\(sfi = (0x[0-9a-f]+)\\)>";
const COMPLETED = new RegExp(
  `\\[completed (?:compiling|optimizing) 0x[0-9a-f]+ ${FUNCTION} \\(target (\\w+)\\)(?: OSR)? - took ([\\d.]+), ([\\d.]+), ([\\d.]+) ms\\]`,
  "g",
);
const BAILOUT = new RegExp(
  `\\[bailout \\(kind: ([\\w-]+)(?: \\(\\w+\\))?, reason: ([^)]*)\\): begin\\. deoptimizing 0x[0-9a-f]+ ${FUNCTION}`,
  "g",
);

function summarize(output: string): Map<string, FunctionJit> {
  const byFunction = new Map<string, FunctionJit>();
  const entry = (name: string) => {
    let jit = byFunction.get(name);
    if (!jit) byFunction.set(name, (jit = { compiles: new Map(), deopts: new Map() }));
    return jit;
  };
  for (const [, name, sfi, target, ...times] of output.matchAll(COMPLETED)) {
    const compiles = entry(name ?? `(anonymous ${sfi})`).compiles;
    const tier = compiles.get(target!) ?? { count: 0, ms: 0 };
    tier.count++;
    tier.ms += times.reduce((sum, time) => sum + Number(time), 0);
    compiles.set(target!, tier);
  }
  for (const [, kind, reason, name, sfi] of output.matchAll(BAILOUT)) {
    const deopts = entry(name ?? `(anonymous ${sfi})`).deopts;
    const key = `${kind}: ${reason}`;
    deopts.set(key, (deopts.get(key) ?? 0) + 1);
  }
  return byFunction;
}

function report(title: string, output: string): void {
  const byFunction = summarize(output);
  const compileMs = (jit: FunctionJit) => [...jit.compiles.values()].reduce((sum, tier) => sum + tier.ms, 0);
  let total = 0;
  let compiles = 0;
  let deopts = 0;
  for (const jit of byFunction.values()) {
    total += compileMs(jit);
    for (const tier of jit.compiles.values()) compiles += tier.count;
    for (const count of jit.deopts.values()) deopts += count;
  }
  console.log(`${title}: ${compiles} compilations, ${total.toFixed(1)} ms; ${deopts} deoptimizations`);
  const rows = [...byFunction].sort(([, a], [, b]) => compileMs(b) - compileMs(a));
  for (const [name, jit] of rows.slice(0, Number(process.env.JIT_TOP ?? 25))) {
    const tiers = [...jit.compiles].map(([tier, { count, ms }]) => `${tier} ${count}× ${ms.toFixed(2)} ms`);
    const deoptText = [...jit.deopts].map(([reason, count]) => `${count}× ${reason}`);
    console.log(`  ${name.padEnd(28)} ${tiers.join(", ")}${deoptText.length ? `; deopt ${deoptText.join(", ")}` : ""}`);
  }
}

await tracedProbe(
  asked,
  {
    name: "jit",
    traceFlags: ["--trace-opt", "--trace-deopt"],
    samples,
    minify: process.env.PROFILE_MINIFY === "1",
  },
  async ({ printed, warmedEnd, probe }, sample) => {
    if (!/\[completed (?:compiling|optimizing)/.test(printed().slice(0, warmedEnd)))
      throw new Error("workerd printed no compilation before the probe: --trace-opt or stdbuf -oL did not take");
    const response = await probe();
    const between = printed().length;
    // The same request again: what the isolate still compiles once it has run the code.
    await probe();
    report(`process ${sample + 1}, first request (${response.status})`, printed().slice(warmedEnd, between));
    report(`process ${sample + 1}, second request`, printed().slice(between));
  },
);
