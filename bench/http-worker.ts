/**
 * The worker as deployed (src/app.ts), plus what row 5 of the benchmarks needs, in a separate entry
 * so src/ carries no benchmark code:
 *   GET /noop            the peer: a route of the same worker that does nothing
 *   GET /__bench/stats   KV reads this isolate made, and the time the worker measured per route
 * Every response carries `Server-Timing: app;dur=<ms>`: performance.now() around the app's handler.
 * In workerd (wrangler dev) that clock advances while code runs, in steps of 1 ms, so one request
 * reads 0 or 1 ms; the mean over thousands of requests, whose start falls anywhere within a step,
 * is an unbiased estimate of the time per request. A warm /scopes request does no I/O, so that time
 * is CPU time. (Deployed, Workers stop the clock during execution: there, use the CPU time Workers
 * Logs report per invocation.)
 *
 * Its console is the one Cloudflare runs (below) unless the binding BENCH_CONSOLE is "local".
 */
import { app } from "../src/app";
import { scheduled } from "../src/scheduled";
import { catalogCacheStats } from "../src/storage/catalog-cache";

const timings: Record<string, { requests: number; totalMs: number }> = {};

/**
 * The console as Cloudflare's runtime runs it: `workerd serve` (wrangler dev, Miniflare) formats each
 * line with the runtime's own formatter, loaded on an isolate's first line; its production mode
 * ("Default, production behavior", `Worker::ConsoleMode` in workerd's src/workerd/io/worker.h) only
 * serialises each argument as JSON for Workers Logs, as this does (docs/benchmarks.md, twenty-third
 * pass). Only in workerd: bench rows that import this module in Node keep Node's console.
 */
function productionConsoleLine(...args: unknown[]): void {
  for (const arg of args) {
    try {
      JSON.stringify(arg);
    } catch {
      // workerd logs such an argument as {}
    }
  }
}

let consoleChosen = false;
function chooseConsole(env: Env): void {
  if (consoleChosen) return;
  consoleChosen = true;
  const runtime = (globalThis as { navigator?: { userAgent?: string } }).navigator?.userAgent;
  if (env.BENCH_CONSOLE === "local" || runtime !== "Cloudflare-Workers") return;
  for (const level of ["debug", "info", "log", "warn", "error"] as const) console[level] = productionConsoleLine;
}

app.get("/noop", (c) => c.text("ok"));
app.get("/__bench/stats", (c) => c.json({ ...catalogCacheStats(), timings }));

export default {
  async fetch(request, env, ctx) {
    chooseConsole(env);
    const start = performance.now();
    const response = await app.fetch(request, env, ctx);
    const ms = performance.now() - start;
    const route = new URL(request.url).pathname;
    const entry = (timings[route] ??= { requests: 0, totalMs: 0 });
    entry.requests++;
    entry.totalMs += ms;
    try {
      response.headers.set("Server-Timing", `app;dur=${ms}`);
    } catch {
      // immutable headers (a response passed through from fetch): leave them
    }
    return response;
  },
  scheduled(controller, env, ctx) {
    chooseConsole(env);
    return scheduled(controller, env, ctx);
  },
} satisfies ExportedHandler<Env>;
