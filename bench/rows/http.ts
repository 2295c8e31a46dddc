/**
 * Row 5: GET /scopes through the worker served by wrangler dev (workerd, --log-level warn), under
 * autocannon, against a no-op route of the same worker (bench/http-worker.ts) in the same run.
 * Also: KV reads per lookup and the time per request that the worker itself measures.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import autocannon, { type Result } from "autocannon";
import { ROOT, type BenchCatalog } from "../lib/catalog";
import { scratchDir } from "../lib/children";
import { pathMix } from "../lib/paths";
import { ratio, type BenchOptions, type Row } from "../lib/report";
import { formatMs, formatNumber, median } from "../lib/stats";
import { WRANGLER, WRANGLER_ENV } from "./extras";
import { diffRequest, planRequest } from "./queries";

const SOURCE_CONFIG = join(ROOT, "bench", "wrangler.bench.toml");
const CONNECTIONS = 10;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}

interface Stats {
  kvReads: number;
  source?: string;
  timings: Record<string, { requests: number; totalMs: number }>;
}

/** wrangler dev in its own process group (detached = setsid), so the whole group (wrangler, workerd) can be stopped. */
class DevServer {
  private child: ChildProcess | undefined;
  private output = "";
  private readonly stopOnExit = () => this.stop();
  private readonly stopOnSignal = () => {
    this.stop();
    process.exit(130);
  };

  constructor(
    readonly port: number,
    private readonly config: string,
    private readonly persist: string,
  ) {}

  start(): void {
    this.child = spawn(
      WRANGLER,
      [
        "dev",
        "--config",
        this.config,
        "--local",
        "--ip",
        "127.0.0.1",
        "--port",
        String(this.port),
        "--persist-to",
        this.persist,
        "--log-level",
        "warn",
        "--show-interactive-dev-session=false",
      ],
      { cwd: ROOT, env: WRANGLER_ENV, detached: true, stdio: ["ignore", "pipe", "pipe"] },
    );
    this.child.stdout?.on("data", (chunk: Buffer) => (this.output += chunk.toString()));
    this.child.stderr?.on("data", (chunk: Buffer) => (this.output += chunk.toString()));
    process.once("exit", this.stopOnExit);
    process.once("SIGINT", this.stopOnSignal);
    process.once("SIGTERM", this.stopOnSignal);
  }

  get log(): string {
    return this.output;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async ready(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.child?.exitCode !== null && this.child?.exitCode !== undefined)
        throw new Error(`wrangler dev exited ${this.child.exitCode}: ${this.output.slice(-1500)}`);
      try {
        const response = await fetch(`${this.url}/noop`);
        if (response.status === 200) return;
      } catch {
        // not listening yet
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    throw new Error(`wrangler dev did not serve within ${timeoutMs / 1000} s: ${this.output.slice(-1500)}`);
  }

  /** SIGTERM to the process group, SIGKILL if it lingers. Safe to call twice. */
  stop(): void {
    const child = this.child;
    if (!child?.pid) return;
    this.child = undefined;
    process.removeListener("exit", this.stopOnExit);
    process.removeListener("SIGINT", this.stopOnSignal);
    process.removeListener("SIGTERM", this.stopOnSignal);
    try {
      process.kill(-child.pid, "SIGTERM");
    } catch {
      return; // already gone
    }
    const deadline = Date.now() + 5000;
    while (Date.now() < deadline) {
      try {
        process.kill(-child.pid, 0);
      } catch {
        return;
      }
      spawnSync("sleep", ["0.1"]);
    }
    try {
      process.kill(-child.pid, "SIGKILL");
    } catch {
      // gone
    }
  }
}

async function stats(server: DevServer): Promise<Stats> {
  return (await (await fetch(`${server.url}/__bench/stats`)).json()) as Stats;
}

export async function httpRows(catalog: BenchCatalog, options: BenchOptions): Promise<Row[]> {
  const { quick, log } = options;
  const skip = (message: string): Row[] => {
    log(`row 5: ${message}`);
    return [
      {
        id: "5",
        what: "HTTP: GET /scopes through the worker (wrangler dev), autocannon",
        ours: "—",
        peer: "—",
        ratio: "—",
        target: "≥ 0.9× the no-op route's req/s, p99 reported",
        verdict: "SKIP",
        notes: [message],
      },
    ];
  };

  const dir = scratchDir();
  const persist = join(dir, "wrangler-state");
  // Bundle first and serve the bundle (no_bundle): wrangler dev on the sources would rebuild and
  // restart the isolate whenever a file under src/ changes during the run.
  const bundleDir = join(dir, "bench-worker");
  const bundle = spawnSync(WRANGLER, ["deploy", "--dry-run", "--outdir", bundleDir, "--config", SOURCE_CONFIG], {
    cwd: ROOT,
    env: WRANGLER_ENV,
    encoding: "utf8",
    timeout: 120_000,
  });
  if (bundle.status !== 0)
    return skip(
      `skipped: bundling bench/http-worker.ts failed (exit ${bundle.status}): ${`${bundle.stdout}${bundle.stderr}`.trim().split("\n").slice(-3).join(" ")}`,
    );
  log("row 5: bench worker bundled");
  const config = join(bundleDir, "wrangler.toml");
  writeFileSync(
    config,
    [
      `# Written by bench/rows/http.ts: the bundle of bench/http-worker.ts, served as built.`,
      `name = "scope-catalog-bench"`,
      `main = "http-worker.js"`,
      `no_bundle = true`,
      readFileSync(SOURCE_CONFIG, "utf8").match(/^compatibility_date = .*$/m)?.[0] ??
        `compatibility_date = "2026-05-03"`,
      ``,
      `[[kv_namespaces]]`,
      `binding = "CATALOG"`,
      `id = "local-catalog-bench"`,
      ``,
    ].join("\n"),
  );
  const seed = join(dir, "kv-seed.json");
  // The same values scripts/seed-kv.mjs puts (key = path under the catalog folder), into a scratch state dir.
  writeFileSync(
    seed,
    JSON.stringify([...catalog.kv].filter(([key]) => !key.startsWith("lock")).map(([key, value]) => ({ key, value }))),
  );
  const put = spawnSync(
    WRANGLER,
    ["kv", "bulk", "put", "--local", "--binding", "CATALOG", "--config", config, "--persist-to", persist, seed],
    { cwd: ROOT, env: WRANGLER_ENV, encoding: "utf8", timeout: 120_000 },
  );
  if (put.status !== 0)
    return skip(
      `skipped: seeding local KV failed (wrangler kv bulk put exited ${put.status}): ${`${put.stdout}${put.stderr}`.trim().split("\n").slice(-3).join(" ")}`,
    );

  log("row 5: local KV seeded");
  const server = new DevServer(await freePort(), config, persist);
  try {
    server.start();
    try {
      await server.ready(quick ? 45_000 : 90_000);
    } catch (error) {
      return skip(`skipped: wrangler dev could not start (${(error as Error).message.split("\n")[0]})`);
    }

    log(`row 5: wrangler dev serves on ${server.url}`);
    const cases = pathMix(catalog.index.endpoints, 200, 555);
    const requests = cases.map((entry) => ({
      method: "GET",
      path: `/scopes?path=${encodeURIComponent(entry.path)}&method=${entry.method}`,
    }));
    const probe = await fetch(`${server.url}${requests[0]!.path}`);
    const probeBody = (await probe.json()) as { catalog?: { source: string; version: string } };
    if (probe.status !== 200 || probeBody.catalog?.source !== "kv")
      return skip(
        `skipped: the bench worker did not answer from KV (${probe.status} ${JSON.stringify(probeBody).slice(0, 200)})`,
      );
    if (probeBody.catalog.version !== catalog.manifest.version)
      return skip(
        `skipped: the bench worker serves ${probeBody.catalog.version}, not the seeded ${catalog.manifest.version}`,
      );
    for (const request of requests)
      if ((await fetch(`${server.url}${request.path}`)).status !== 200)
        return skip(`skipped: ${request.path} did not answer 200`);

    const duration = quick ? 2 : 5;
    const rounds = quick ? 1 : 6;
    const run = (target: "noop" | "scopes", seconds: number): Promise<Result> =>
      autocannon(
        target === "noop"
          ? { url: `${server.url}/noop`, connections: CONNECTIONS, duration: seconds }
          : { url: server.url, connections: CONNECTIONS, duration: seconds, requests },
      );
    if (!quick) {
      await run("noop", 2);
      await run("scopes", 2);
    }
    const before = await stats(server);
    const results: Record<"noop" | "scopes", Result[]> = { noop: [], scopes: [] };
    for (let round = 0; round < rounds; round++) {
      for (const target of round % 2 === 0 ? (["noop", "scopes"] as const) : (["scopes", "noop"] as const)) {
        const result = await run(target, duration);
        results[target].push(result);
        log(
          `row 5: ${target} ${formatNumber(result.requests.average)} req/s, p99 ${result.latency.p99} ms, non-2xx ${result.non2xx}, errors ${result.errors}`,
        );
      }
    }
    const after = await stats(server);

    // Row 4's bodies, sent one at a time, for the time the worker measures per POST in workerd.
    const post = async (path: string, body: unknown, times: number) => {
      for (let i = 0; i < times; i++) {
        const response = await fetch(`${server.url}${path}`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify(body),
        });
        await response.text();
        if (response.status !== 200) throw new Error(`POST ${path} answered ${response.status}`);
      }
    };
    const posts: { route: string; label: string; requests: number; ms: number }[] = [];
    for (const [label, path, body, times] of [
      ["/diff (row 4a)", "/diff", diffRequest(catalog.index.endpoints), quick ? 20 : 300],
      ["/plan 100 (row 4b)", "/plan", planRequest(catalog.index.endpoints, 100), quick ? 3 : 30],
      ["/plan 500 (row 4c)", "/plan", planRequest(catalog.index.endpoints, 500), quick ? 2 : 10],
    ] as const) {
      await post(path, body, 2); // warm-up
      const start = await stats(server);
      await post(path, body, times);
      const end = await stats(server);
      const requests = (end.timings[path]?.requests ?? 0) - (start.timings[path]?.requests ?? 0);
      posts.push({
        route: path,
        label,
        requests,
        ms: ((end.timings[path]?.totalMs ?? 0) - (start.timings[path]?.totalMs ?? 0)) / Math.max(1, requests),
      });
    }
    log(`row 5: worker-measured ${posts.map((entry) => `${entry.label} ${formatMs(entry.ms)}`).join(", ")}`);

    const rps = (target: "noop" | "scopes") => median(results[target].map((result) => result.requests.average));
    // Rounds drift by ±30% on a shared machine: the ratio is the median of each round's pair (the two
    // routes run back to back), which cancels drift slower than a round.
    const pairRatio = median(
      results.scopes.map((result, round) => result.requests.average / results.noop[round]!.requests.average),
    );
    const p99 = (target: "noop" | "scopes") => median(results[target].map((result) => result.latency.p99));
    const failures = (target: "noop" | "scopes") =>
      results[target].reduce((sum, result) => sum + result.non2xx + result.errors + result.timeouts, 0);
    const served = (route: string) => (after.timings[route]?.requests ?? 0) - (before.timings[route]?.requests ?? 0);
    const measured = (route: string) =>
      ((after.timings[route]?.totalMs ?? 0) - (before.timings[route]?.totalMs ?? 0)) / Math.max(1, served(route));
    const kvReads = after.kvReads - before.kvReads;
    const scopesRps = rps("scopes");
    const noopRps = rps("noop");
    const perRound = results.scopes
      .map(
        (result, round) =>
          `${formatNumber(result.requests.average)}/${formatNumber(results.noop[round]!.requests.average)}`,
      )
      .join(", ");
    const clean = failures("scopes") === 0 && failures("noop") === 0;
    return [
      {
        id: "5",
        what: "HTTP: GET /scopes through the worker (wrangler dev), autocannon",
        ours: `${formatNumber(scopesRps)} req/s, p99 ${p99("scopes")} ms`,
        peer: `no-op route ${formatNumber(noopRps)} req/s, p99 ${p99("noop")} ms`,
        ratio: ratio(pairRatio),
        target: "≥ 0.9× the no-op route's req/s, p99 reported",
        verdict: pairRatio >= 0.9 && clean ? "PASS" : "MISS",
        metrics: {
          workerMsDiff: posts[0]!.ms,
          workerMsPlan100: posts[1]!.ms,
          workerMsPlan500: posts[2]!.ms,
          ratio: pairRatio,
          scopesPerSecond: scopesRps,
          noopPerSecond: noopRps,
          scopesP99Ms: p99("scopes"),
          noopP99Ms: p99("noop"),
          workerMsPerScopes: measured("/scopes"),
          workerMsPerNoop: measured("/noop"),
          kvReadsPerLookup: kvReads / Math.max(1, served("/scopes")),
        },
        notes: [
          `bench/http-worker.ts (src/app.ts plus GET /noop and GET /__bench/stats), bundled by \`wrangler deploy --dry-run\` (bench/wrangler.bench.toml: same CATALOG binding, no observability) and served as built (no_bundle, so edits under src/ during the run cannot restart it) by \`wrangler dev --local --log-level warn\`, on a free port, in its own process group, stopped when the row ends. Its local KV is seeded in a scratch --persist-to directory with the benchmark catalog (the same key/value list scripts/seed-kv.mjs writes), so it answers from KV (\`catalog.source: "kv"\`), not from the bundled snapshot. autocannon, ${CONNECTIONS} connections, ${rounds} round${rounds === 1 ? "" : "s"} of ${duration} s per route (the two routes back to back, their order alternating)${quick ? "" : " after 2 s warm-ups"}; req/s and p99 are medians over the rounds, the ratio is the median of each round's /scopes ÷ /noop (per round: ${perRound}); /scopes rotates over 200 concrete paths of the row 1 mix with their methods (JSON answers, 200 each). ${clean ? "No errors or non-2xx." : `Failures: /scopes ${failures("scopes")}, /noop ${failures("noop")}.`}`,
          `Measured by the worker itself (performance.now() around the app's handler, also sent as \`Server-Timing: app;dur=\`): ${formatMs(measured("/scopes"))} per /scopes request (mean of ${formatNumber(served("/scopes"))}), ${formatMs(measured("/noop"))} per /noop request. workerd advances that clock in 1 ms steps while code runs, so the mean over many requests is the estimate; a warm /scopes request does no I/O, so this is CPU time.`,
          `Row 4's requests in workerd, sent one at a time after the load, as the worker measures them: ${posts.map((entry) => `${entry.label} ${formatMs(entry.ms)} (mean of ${entry.requests})`).join(", ")}.`,
          `KV reads through the worker during the load: ${kvReads} for ${formatNumber(served("/scopes"))} /scopes requests (${(kvReads / Math.max(1, served("/scopes"))).toPrecision(2)} per lookup): the isolate reads nothing per lookup and rechecks the manifest (one read) at most once per 60 s.`,
          `At a few hundred requests per second, wrangler dev's proxy, workerd's HTTP handling and autocannon share the same 2 cores with the worker, and rounds vary by ±30%; the CPU row shows the per-request difference between the two routes with a fine clock.`,
        ],
      },
    ];
  } finally {
    server.stop();
  }
}
