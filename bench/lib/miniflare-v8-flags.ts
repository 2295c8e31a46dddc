/**
 * Miniflare whose workerd runs with extra V8 flags. Miniflare has no option for them, which workerd's
 * config holds (`Config.v8Flags`): this loads a copy of Miniflare's bundle, written beside it and
 * removed on exit (and at the next call, if a killed run left one), whose config carries them.
 * Without flags it is Miniflare itself.
 */
import { chmodSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import type { Readable } from "node:stream";
import type * as MiniflareModule from "miniflare";

const COPY_PREFIX = "index.v8-flags-";
const SERIALIZE = "const struct = message.initRoot(Config);\n  encodeCapnpStruct(config, struct);";
const require = createRequire(import.meta.url);
const loaded = new Map<string, typeof MiniflareModule.Miniflare>();

export function miniflareWithV8Flags(flags: readonly string[]): typeof MiniflareModule.Miniflare {
  const key = flags.join(" ");
  let miniflare = loaded.get(key);
  if (!miniflare) loaded.set(key, (miniflare = load(flags)));
  return miniflare;
}

function load(flags: readonly string[]): typeof MiniflareModule.Miniflare {
  const original = require.resolve("miniflare");
  if (flags.length === 0) return (require(original) as typeof MiniflareModule).Miniflare;
  const source = readFileSync(original, "utf8");
  if (!source.includes(SERIALIZE)) throw new Error(`${original} no longer serialises its config as expected`);
  for (const name of readdirSync(dirname(original)))
    if (name.startsWith(COPY_PREFIX)) rmSync(join(dirname(original), name), { force: true });
  const copy = join(dirname(original), `${COPY_PREFIX}${process.pid}.js`);
  writeFileSync(
    copy,
    source.replace(
      SERIALIZE,
      `const struct = message.initRoot(Config);\n  encodeCapnpStruct({ ...config, v8Flags: ${JSON.stringify(flags)} }, struct);`,
    ),
  );
  process.on("exit", () => rmSync(copy, { force: true }));
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => process.exit(130));
  return (require(copy) as typeof MiniflareModule).Miniflare;
}

/**
 * The JIT flags Cloudflare's own runtime turns off (workerd's src/workerd/jsg/setup.h, on
 * `IsolateBase::codeMap`, since cloudflare/workerd 257e439 of 2026-05-14 and still at 6552d99 of
 * 2026-08-22: "Our internal embedder disables all of the above"): there, V8 compiles JavaScript on
 * the isolate's thread, not on background threads as `workerd serve` lets it.
 */
export const PRODUCTION_JIT_FLAGS = [
  "--no-concurrent-recompilation",
  "--no-concurrent-sparkplug",
  "--no-maglev-build-code-on-background",
  "--no-maglev-deopt-data-on-background",
  "--no-lazy-compile-dispatcher",
  "--no-parallel-compile-tasks-for-eager-toplevel",
  "--no-parallel-compile-tasks-for-lazy",
  "--no-stress-concurrent-inlining",
] as const;

/**
 * The V8 flags the benchmarks run workerd with: SCOPE_BENCH_V8_FLAGS, `production` (the default:
 * PRODUCTION_JIT_FLAGS), `none` (workerd serve's own defaults, as wrangler dev runs it), or flags
 * separated by spaces.
 */
export function benchV8Flags(): readonly string[] {
  const asked = process.env.SCOPE_BENCH_V8_FLAGS?.trim() || "production";
  if (asked === "production") return PRODUCTION_JIT_FLAGS;
  if (asked === "none") return [];
  return asked.split(/\s+/);
}

/** Miniflare as the benchmarks run it: workerd with benchV8Flags(). */
export function benchMiniflare(): typeof MiniflareModule.Miniflare {
  return miniflareWithV8Flags(benchV8Flags());
}

/**
 * Makes the next Miniflare run workerd under `stdbuf -oL` (MINIFLARE_WORKERD_PATH), so that what V8
 * prints (through C's stdio, which buffers a pipe by the block) arrives line by line, as written.
 * The wrapper script is written into `dir`.
 */
export function lineBufferedWorkerd(dir: string): void {
  const binary = (require("workerd") as { default: string }).default;
  const wrapper = join(dir, "workerd-line-buffered");
  writeFileSync(wrapper, `#!/bin/sh\nexec stdbuf -oL '${binary.replaceAll("'", "'\\''")}' "$@"\n`);
  chmodSync(wrapper, 0o755);
  process.env.MINIFLARE_WORKERD_PATH = wrapper;
}

/** How the benchmarks' workerd was run, for a row's notes. */
export function benchV8FlagsNote(): string {
  const flags = benchV8Flags();
  if (flags === PRODUCTION_JIT_FLAGS)
    return `workerd runs with the JIT flags of Cloudflare's runtime (${flags.join(" ")}; cloudflare/workerd's src/workerd/jsg/setup.h: "Our internal embedder disables all of the above"), so V8 compiles hot code on the isolate's thread and the compiling is in the request's CPU, as on Cloudflare; with workerd serve's defaults (as wrangler dev runs it; SCOPE_BENCH_V8_FLAGS=none) it compiles optimised code on background threads, outside the isolate's profile`;
  if (flags.length === 0)
    return "workerd runs with its own V8 defaults (SCOPE_BENCH_V8_FLAGS=none, as wrangler dev runs it), which compile optimised code on background threads, outside the isolate's profile; Cloudflare's runtime compiles it on the isolate's thread (the default, SCOPE_BENCH_V8_FLAGS=production)";
  return `workerd runs with the V8 flags ${flags.join(" ")} (SCOPE_BENCH_V8_FLAGS)`;
}

type MiniflareOptions = ConstructorParameters<typeof MiniflareModule.Miniflare>[0];

/**
 * A Miniflare whose workerd's standard output is kept (what V8's trace flags print; with
 * lineBufferedWorkerd, as it is written) and its standard error passed on. `printed()` is all of it so far.
 */
export function miniflarePrinting(
  Miniflare: typeof MiniflareModule.Miniflare,
  options: MiniflareOptions,
): { mf: MiniflareModule.Miniflare; printed: () => string } {
  let output = "";
  const mf = new Miniflare({
    ...options,
    handleRuntimeStdio: (stdout: Readable, stderr: Readable) => {
      stdout.on("data", (chunk: Buffer) => {
        output += chunk;
      });
      stderr.pipe(process.stderr);
    },
  });
  return { mf, printed: () => output };
}
