/**
 * Each garbage collection of a fresh isolate's first request, as workerd's own V8 reports it: row 6's
 * setup (a warm-up worker's GET /health, GET /noop in its own isolate, then the probe's request), with
 * V8's `--trace-gc-nvp` on, in N fresh workerd processes. Per collection: its kind (s = scavenge, the
 * young generation; mc = the whole heap), its pause, what was allocated since the one before, and what
 * it promoted to the old generation and copied within the young one: a scavenge's cost follows what
 * survives it, not what was allocated. For finding what a request's collector time is made of; the CPU
 * profile (first-request-profile.ts, PROFILE_GC=1) says how much of the request it is.
 *
 *   npx tsx bench/proposals/first-request-gc.ts row8:plan1000 3
 *   npx tsx bench/proposals/first-request-gc.ts '/endpoints?scope=read:jira-work' 5
 *
 * Miniflare has no option for V8's flags, which workerd's config holds (`Config.v8Flags`): this loads a
 * copy of Miniflare's bundle, written beside it and removed on exit, whose config carries them. V8
 * prints through C's stdio, which buffers a pipe by the block, so workerd runs under `stdbuf -oL`
 * (MINIFLARE_WORKERD_PATH) and each line arrives as the collection ends.
 */
import { chmodSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import type { Readable } from "node:stream";
import type * as MiniflareModule from "miniflare";
import { loadBenchCatalog } from "../lib/catalog";
import { removeScratch, scratchDir } from "../lib/children";
import { benchWorkers } from "../rows/first-request";
import { askedRequest } from "./asked-request";

const V8_FLAGS = ["--trace-gc-nvp"];
const asked = process.argv[2] ?? "/scopes?path=/rest/api/3/issue/ABC-1&method=GET";
const samples = Number(process.argv[3] ?? 3);

const require = createRequire(import.meta.url);
const original = require.resolve("miniflare");
const SERIALIZE = "const struct = message.initRoot(Config);\n  encodeCapnpStruct(config, struct);";
const source = readFileSync(original, "utf8");
if (!source.includes(SERIALIZE)) throw new Error(`${original} no longer serialises its config as this tool expects`);
const copy = join(dirname(original), `index.v8-flags-${process.pid}.js`);
writeFileSync(
  copy,
  source.replace(
    SERIALIZE,
    `const struct = message.initRoot(Config);\n  encodeCapnpStruct({ ...config, v8Flags: ${JSON.stringify(V8_FLAGS)} }, struct);`,
  ),
);
process.on("exit", () => rmSync(copy, { force: true }));
const { Miniflare } = require(copy) as typeof MiniflareModule;
const workerdBinary = (require("workerd") as { default: string }).default;

interface Collection {
  kind: string;
  pauseMs: number;
  allocatedKb: number;
  promotedKb: number;
  copiedKb: number;
}
const TRACE = /\[\d+:(0x[0-9a-f]+):\d+\]\s+[\d.]+ ms: GC: (\{[^}]*\})/g;

const catalog = await loadBenchCatalog(() => undefined);
const { path, body } = askedRequest(asked, catalog);
const dir = scratchDir();
const kvPersist = join(dir, "gc-kv");
const worker = await benchWorkers(catalog, join(dir, "gc-worker"), kvPersist);
const lineBuffered = join(dir, "workerd-line-buffered");
writeFileSync(lineBuffered, `#!/bin/sh\nexec stdbuf -oL ${JSON.stringify(workerdBinary)} "$@"\n`);
chmodSync(lineBuffered, 0o755);
process.env.MINIFLARE_WORKERD_PATH = lineBuffered;
const settle = () => new Promise((resolve) => setTimeout(resolve, 300));
try {
  for (let sample = 0; sample < samples; sample++) {
    let output = "";
    const mf = new Miniflare({
      workers: [worker("warm"), worker("noop"), worker("probe")],
      kvPersist,
      handleRuntimeStdio: (stdout: Readable, stderr: Readable) => {
        stdout.on("data", (chunk: Buffer) => {
          output += chunk;
        });
        stderr.resume();
      },
    });
    try {
      await mf.ready;
      await (await mf.dispatchFetch("http://warm.bench/health")).text();
      await (await mf.dispatchFetch("http://noop.bench/noop")).text();
      // Each line is written as its collection ends; a pause lets the pipe deliver it.
      await settle();
      const before = output.length;
      const init = body ? { method: "POST", headers: { "content-type": "application/json" }, body } : {};
      const response = await mf.dispatchFetch(`http://probe.bench${path}`, init);
      await response.text();
      await settle();
      const collections: Collection[] = [];
      for (const [, , json] of output.slice(before).matchAll(TRACE)) {
        const gc = JSON.parse(json!) as Record<string, number | string>;
        collections.push({
          kind: String(gc.gc),
          pauseMs: Number(gc.pause),
          allocatedKb: Number(gc.allocated ?? 0) / 1e3,
          promotedKb: Number(gc.promoted ?? 0) / 1e3,
          copiedKb: Number(gc.new_space_survived ?? 0) / 1e3,
        });
      }
      const total = collections.reduce((sum, gc) => sum + gc.pauseMs, 0);
      console.log(
        `process ${sample + 1}: ${response.status}, ${collections.length} collections, ${total.toFixed(1)} ms paused`,
      );
      for (const gc of collections)
        console.log(
          `  ${gc.kind.padEnd(3)} ${gc.pauseMs.toFixed(2).padStart(6)} ms  allocated ${gc.allocatedKb.toFixed(0).padStart(5)} KB  promoted ${gc.promotedKb.toFixed(0).padStart(5)} KB  copied ${gc.copiedKb.toFixed(0).padStart(5)} KB`,
        );
    } finally {
      await mf.dispose();
    }
  }
} finally {
  removeScratch();
}
