#!/usr/bin/env node
// `npm run load`: the worker under a mixed workload, served locally by wrangler dev (workerd), with
// the committed catalog from data/ in local KV.
//
//   npm run load                          60 s, 50 connections
//   npm run load -- --duration 10 --connections 20
//   npm run load -- --only lookup,reverse      only some kinds of request (lookup, reverse, diff, plan, explain, bad, health, openapi, changes)
//
// Drives lookups, reverse lookups, diffs, plans, explains and bad requests (malformed, refused,
// too large) with autocannon, samples the workerd process's RSS every few seconds, and prints
// req/s, latency p50/p99, the count per status code, 5xx, connection errors, the workerd process's RSS
// first/last/max and the worker isolate's JS heap (through the inspector).
// Exits 1 on any 5xx, connection error or timeout, a JS heap that keeps growing, or if the server
// never came up.
//
// The server runs in its own process group (setsid) and is always stopped with the whole group,
// also on failure or Ctrl-C. Local KV lives in .wrangler/load-state, apart from `npm start`'s.
import autocannon from "autocannon";
import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, writeFileSync, createWriteStream } from "node:fs";
import { createServer } from "node:net";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { expandAlternatives } from "../src/storage/shard-layout.ts";
import { parseArgs } from "node:util";

const root = resolve(fileURLToPath(import.meta.url), "../..");
const wrangler = join(root, "node_modules", ".bin", "wrangler");
const wranglerEnv = { ...process.env, WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false" };
const stateDir = join(root, ".wrangler", "load-state");
const devLog = join(root, ".wrangler", "load-dev.log");

const { values: args } = parseArgs({
  options: {
    duration: { type: "string", default: "60" },
    connections: { type: "string", default: "50" },
    "sample-every": { type: "string", default: "3" },
    only: { type: "string" },
  },
});
const only = args.only ? new Set(args.only.split(",")) : undefined;
const duration = Number(args.duration);
const connections = Number(args.connections);
const sampleEvery = Number(args["sample-every"]) * 1000;
if (!(duration > 0) || !(connections > 0)) {
  console.error("usage: npm run load -- [--duration SECONDS] [--connections N]");
  process.exit(2);
}

// ------------------------------------------------------------------------------------------------
// The workload, built from the committed catalog so every "good" request is a real one.

const manifest = JSON.parse(readFileSync(join(root, "data", "manifest.json"), "utf8"));
const shards = Object.fromEntries(
  Object.entries(manifest.products).map(([product, pointer]) => [
    product,
    // Stored, an endpoint names its alternatives by position in the shard's table: expanded, the shard.
    expandAlternatives(JSON.parse(readFileSync(join(root, "data", `${pointer.key}.json`), "utf8"))),
  ]),
);

/** A concrete request path for a template: each {param} filled with a plausible value. */
const concrete = (template) => template.replace(/\{[^}]+\}/g, (param) => (/key|id/i.test(param) ? "ABC-123" : "acme"));
const CLOUD_ID = "11111111-2222-3333-4444-555555555555";
const withScopes = Object.values(shards).flatMap((shard) =>
  shard.endpoints.filter((endpoint) => endpoint.alternatives.length > 0),
);
const every = (list, step) => list.filter((_, index) => index % step === 0);
const sampleEndpoints = every(withScopes, Math.max(1, Math.floor(withScopes.length / 60)));
const sampleScopes = every(
  Object.values(shards).flatMap((shard) => shard.scopes.map((scope) => scope.name)),
  7,
);

const json = { "content-type": "application/json" };
const get = (kind, path, headers = {}) => ({ kind, method: "GET", path, headers });
const post = (kind, path, body, headers = json) => ({
  kind,
  method: "POST",
  path,
  headers,
  body: typeof body === "string" ? body : JSON.stringify(body),
});
const enc = encodeURIComponent;

const lookups = sampleEndpoints.flatMap((endpoint, index) => {
  const path = concrete(endpoint.path);
  const forms = [
    get("lookup", `/scopes?path=${enc(path)}&method=${endpoint.method}`),
    get(
      "lookup",
      `/scopes?path=${enc(endpoint.product === "jira" || endpoint.product === "jira-software" ? `https://api.atlassian.com/ex/jira/${CLOUD_ID}${path}` : path)}`,
    ),
    get("lookup", `/scopes?path=${enc(path)}&format=text`),
  ];
  return [forms[index % forms.length]];
});
const reverse = sampleScopes.map((scope, index) =>
  get(
    "reverse",
    `/endpoints?scope=${enc(scope)}&limit=${[10, 50, 200][index % 3]}${index % 4 === 0 ? "&format=text" : ""}`,
  ),
);
const diffs = sampleEndpoints.slice(0, 30).map((endpoint, index) => {
  const five = sampleEndpoints.slice(index, index + 5).map((item) => `${item.method} ${concrete(item.path)}`);
  const scopes = endpoint.alternatives[0].scopes.concat(index % 2 ? ["read:jira-work"] : []);
  return index % 3 === 0
    ? post("diff", "/diff", { scopes: scopes.join(" "), path: concrete(endpoint.path), method: endpoint.method })
    : index % 3 === 1
      ? post("diff", "/diff", { scopes, endpoints: five })
      : post("diff", "/diff", { scopes, limit: 20 });
});
const plans = sampleEndpoints.slice(0, 20).map((_, index) => {
  const ten = sampleEndpoints.slice(index * 2, index * 2 + 10).map((item) => `${item.method} ${concrete(item.path)}`);
  return index % 2
    ? post("plan", "/plan", { endpoints: ten, maxScopes: 5 })
    : post("plan", "/plan?format=text", ten.join("\n"), { "content-type": "text/plain" });
});
const explains = sampleEndpoints.slice(0, 10).map((endpoint) =>
  post("explain", "/explain", {
    method: endpoint.method,
    url: `https://acme.atlassian.net${concrete(endpoint.path)}`,
    status: 401,
    body: '{"code":401,"message":"Unauthorized; scope does not match"}',
    scopes: ["read:jira-work"],
  }),
);
const bad = [
  get("bad", "/scopes"),
  get("bad", "/scopes?path=%ZZ"),
  get("bad", `/scopes?path=${enc("/rest/api/3/../../etc/passwd")}`),
  get("bad", "/scopes?path=/rest/agile/1.0/boardz&method=GET"), // a typo: 404 with suggestions
  get("bad", "/scopes?path=/rest/agile/1.0/board&method=FETCH"),
  get("bad", "/endpoints?scope=read:jira-work&limit=0"),
  get("bad", "/endpoints?scope=read:board-scope:jira"),
  get("bad", "/endpoints?scope=read:jira-work&cursor=garbage"),
  get(
    "bad",
    `/scopes?path=${enc(`/rest/api/3/myself?access_token=${"eyJ"}hbGciOiJIUzI1NiJ9.${"eyJ"}zdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJl`)}`,
  ),
  get("bad", "/wp-login.php"),
  post("bad", "/diff", '{"scopes": ["read:jira-work"], "path": '),
  post("bad", "/diff", '{"scopes": []} trailing'),
  post("bad", "/diff", JSON.stringify({ scopes: ["read:jira-work"] }), { "content-type": "text/plain" }),
  post("bad", "/diff", { scopes: Array.from({ length: 501 }, (_, index) => `read:s${index}:jira`) }),
  post("bad", "/diff", { scopes: [`ATA${"TT3xFfGF0"}${"Zq8".repeat(12)}`] }),
  post("bad", "/plan", {}),
  post("bad", "/plan", { endpoints: Array.from({ length: 1001 }, (_, index) => `GET /rest/api/3/issue/A-${index}`) }),
  post("bad", "/explain", { method: "GET", url: "/rest/api/3/myself", status: "401" }),
  post("bad", "/diff", JSON.stringify({ scopes: ["read:jira-work"], padding: "x".repeat(300 * 1024) })),
];
const other = [get("health", "/health"), get("openapi", "/openapi.json"), get("changes", "/changes?limit=20")];

/** One rotation: roughly 35% lookups, 15% reverse lookups, 15% diffs, 10% plans, 3% explains, 17% bad, 5% other. */
const rotation = [];
const take = (list, count) => {
  for (let index = 0; index < count; index++) rotation.push(list[index % list.length]);
};
take(lookups, 70);
take(reverse, 30);
take(diffs, 30);
take(plans, 20);
take(explains, 6);
take(bad, 34);
take(other, 10);
if (only) {
  const kept = rotation.filter((item) => only.has(item.kind));
  if (kept.length === 0) {
    console.error(
      `--only ${args.only}: no request of that kind; kinds: lookup, reverse, diff, plan, explain, bad, health, openapi, changes`,
    );
    process.exit(2);
  }
  rotation.splice(0, rotation.length, ...kept);
}
// Interleave so every stretch of the run sees the whole mix.
for (let index = rotation.length - 1; index > 0; index--) {
  const other = (index * 7919) % (index + 1);
  [rotation[index], rotation[other]] = [rotation[other], rotation[index]];
}

// ------------------------------------------------------------------------------------------------
// The server.

function freePort() {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolvePort(port));
    });
  });
}

function seed() {
  const dir = join(root, "data");
  const entries = readdirSync(dir, { recursive: true })
    .filter((file) => file.endsWith(".json"))
    .map((file) => ({
      key: file
        .split(/[\\/]/)
        .join("/")
        .replace(/\.json$/, ""),
      value: readFileSync(join(dir, file), "utf8"),
    }));
  mkdirSync(stateDir, { recursive: true });
  const bulk = join(root, ".wrangler", "load-seed.json");
  writeFileSync(bulk, JSON.stringify(entries));
  const result = spawnSync(
    wrangler,
    ["kv", "bulk", "put", "--local", "--persist-to", stateDir, "--binding", "CATALOG", bulk],
    { cwd: root, env: wranglerEnv, stdio: ["ignore", "ignore", "inherit"] },
  );
  if (result.status !== 0) throw new Error("wrangler kv bulk put failed (see above)");
  return entries.length;
}

let dev;
let inspectorPort;
function stopServer() {
  if (!dev || dev.exitCode !== null || dev.signalCode !== null) return;
  try {
    process.kill(-dev.pid, "SIGTERM"); // the whole group: wrangler, esbuild, workerd
  } catch {
    // already gone
  }
}
process.on("exit", stopServer);
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) {
  process.on(signal, () => {
    stopServer();
    process.exit(130);
  });
}

async function waitForServer(base, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (dev.exitCode !== null) throw new Error(`wrangler dev exited with ${dev.exitCode}; see ${devLog}`);
    try {
      const response = await fetch(`${base}/health`);
      if (response.status === 200) return response.json();
    } catch {
      // not up yet
    }
    await new Promise((done) => setTimeout(done, 250));
  }
  throw new Error(`the worker did not answer /health within ${timeoutMs / 1000} s; see ${devLog}`);
}

/** The workerd process of the group: its pgid is the wrangler process we started with setsid. */
function findWorkerd() {
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const comm = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (comm === "workerd" && Number(fields[2]) === dev.pid) return Number(entry);
    } catch {
      // exited meanwhile
    }
  }
  return undefined;
}

/**
 * The worker isolate's JS heap, through the inspector wrangler dev exposes (Runtime.getHeapUsage).
 * Uses the `ws` package that wrangler and miniflare depend on; without it, heap figures are skipped.
 */
async function connectInspector(port) {
  try {
    const { default: WebSocket } = await import("ws");
    const [target] = await (await fetch(`http://127.0.0.1:${port}/json`)).json();
    const socket = new WebSocket(target.webSocketDebuggerUrl);
    await new Promise((done, fail) => {
      socket.once("open", done);
      socket.once("error", fail);
    });
    let id = 0;
    const pending = new Map();
    socket.on("message", (data) => {
      const message = JSON.parse(String(data));
      pending.get(message.id)?.(message.result);
      pending.delete(message.id);
    });
    const call = (method) =>
      new Promise((done) => {
        const ask = ++id;
        pending.set(ask, done);
        socket.send(JSON.stringify({ id: ask, method }));
        setTimeout(() => {
          if (pending.delete(ask)) done(undefined);
        }, 2000).unref();
      });
    return {
      heapMb: async () => {
        const usage = await call("Runtime.getHeapUsage");
        return usage ? { used: usage.usedSize / 1024 / 1024, total: usage.totalSize / 1024 / 1024 } : undefined;
      },
      close: () => socket.close(),
    };
  } catch (error) {
    console.log(`(no JS heap figures: ${error.message})`);
    return undefined;
  }
}

function rssMb(pid) {
  try {
    const kb = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1];
    return kb ? Number(kb) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

// ------------------------------------------------------------------------------------------------

async function main() {
  const port = await freePort();
  inspectorPort = await freePort();
  const base = `http://127.0.0.1:${port}`;
  console.log(`seeding local KV (${stateDir}) with ${seed()} values from data/`);
  const log = createWriteStream(devLog);
  dev = spawn(
    wrangler,
    [
      "dev",
      "--local",
      "--ip",
      "127.0.0.1",
      "--port",
      String(port),
      "--inspector-port",
      String(inspectorPort),
      "--log-level",
      "warn",
      "--persist-to",
      stateDir,
      "--show-interactive-dev-session=false",
    ],
    { cwd: root, env: wranglerEnv, detached: true, stdio: ["ignore", "pipe", "pipe"] },
  );
  dev.stdout.pipe(log);
  dev.stderr.pipe(log);
  const health = await waitForServer(base, 60_000);
  console.log(
    `worker up on ${base}: catalog ${health.catalog.version} from ${health.catalog.source}, ${health.catalog.endpoints} endpoints (wrangler dev log: ${devLog})`,
  );

  // Warm up: the first requests load and index the catalog; they are not part of the figures.
  for (const request of rotation.slice(0, 40)) {
    await fetch(`${base}${request.path}`, {
      method: request.method,
      headers: request.headers,
      body: request.body,
    }).then((response) => response.arrayBuffer());
  }

  const workerd = findWorkerd();
  const inspector = await connectInspector(inspectorPort);
  const samples = [];
  const heaps = [];
  const sample = async () => {
    const rss = workerd ? rssMb(workerd) : undefined;
    if (rss !== undefined) samples.push({ at: Date.now(), rss });
    const heap = await inspector?.heapMb();
    if (heap) heaps.push(heap);
  };
  await sample();
  const sampler = setInterval(sample, sampleEvery);

  let next = 0;
  const kinds = new Map();
  console.log(
    `load: ${connections} connections for ${duration} s, a rotation of ${rotation.length} requests (pid of workerd: ${workerd ?? "not found"})`,
  );
  const result = await autocannon({
    url: base,
    connections,
    duration,
    requests: [
      {
        setupRequest: (request) => {
          const item = rotation[next++ % rotation.length];
          kinds.set(item.kind, (kinds.get(item.kind) ?? 0) + 1);
          // A client address per request, so the POST rate limit (120 a minute per address) does not
          // turn the diffs and plans into 429s; without the header every request is "local".
          const address = `10.${(next >> 16) & 255}.${(next >> 8) & 255}.${next & 255}`;
          return {
            ...request,
            method: item.method,
            path: item.path,
            headers: { ...item.headers, "cf-connecting-ip": address },
            body: item.body,
          };
        },
      },
    ],
  });
  clearInterval(sampler);
  await sample();
  inspector?.close();

  const statuses = Object.fromEntries(
    Object.entries(result.statusCodeStats ?? {}).map(([status, { count }]) => [status, Number(count)]),
  );
  const total = Object.values(statuses).reduce((sum, count) => sum + count, 0);
  const fiveXx = Object.entries(statuses)
    .filter(([status]) => Number(status) >= 500)
    .reduce((sum, [, count]) => sum + count, 0);
  const rss = samples.map((item) => item.rss);
  const figures = {
    duration: `${duration} s`,
    connections,
    requests: total,
    "req/s (average)": Math.round(result.requests.average),
    "latency p50 (ms)": result.latency.p50,
    "latency p99 (ms)": result.latency.p99,
    "latency max (ms)": result.latency.max,
    statuses,
    "5xx": fiveXx,
    "connection errors": result.errors,
    timeouts: result.timeouts,
    "workload sent": Object.fromEntries(kinds),
    "workerd RSS MB first/last/max": rss.length
      ? `${rss[0].toFixed(1)} / ${rss.at(-1).toFixed(1)} / ${Math.max(...rss).toFixed(1)} (${rss.length} samples every ${sampleEvery / 1000} s)`
      : "not sampled",
    "JS heap used MB first/last/max": heaps.length
      ? `${heaps[0].used.toFixed(1)} / ${heaps.at(-1).used.toFixed(1)} / ${Math.max(...heaps.map((heap) => heap.used)).toFixed(1)} (heap size max ${Math.max(...heaps.map((heap) => heap.total)).toFixed(1)})`
      : "not sampled",
  };
  console.log("\nresults");
  for (const [name, value] of Object.entries(figures))
    console.log(`  ${name.padEnd(32)} ${typeof value === "object" ? JSON.stringify(value) : value}`);
  console.log(`  ${"RSS samples (MB)".padEnd(32)} ${rss.map((value) => Math.round(value)).join(" ")}`);
  if (heaps.length)
    console.log(`  ${"JS heap used samples (MB)".padEnd(32)} ${heaps.map((heap) => Math.round(heap.used)).join(" ")}`);
  if (rss.length >= 4) {
    const quarter = Math.floor(rss.length / 4);
    const early = Math.max(...rss.slice(0, quarter + 1));
    const late = Math.max(...rss.slice(-quarter - 1));
    console.log(`  ${"RSS max, first vs last quarter".padEnd(32)} ${early.toFixed(1)} MB -> ${late.toFixed(1)} MB`);
  }
  const healthAfter = await (await fetch(`${base}/health`)).json();
  console.log(
    `  ${"/health after the run".padEnd(32)} ${healthAfter.status}, catalog ${healthAfter.catalog.version} from ${healthAfter.catalog.source}`,
  );

  // Memory: the isolate's JS heap must not trend up (a leak in the worker). Compared by the highest
  // sample in the first and the last third of the run, since GC makes it a sawtooth.
  let heapGrowing = false;
  if (heaps.length >= 6) {
    const third = Math.floor(heaps.length / 3);
    const early = Math.max(...heaps.slice(0, third).map((heap) => heap.used));
    const late = Math.max(...heaps.slice(-third).map((heap) => heap.used));
    heapGrowing = late > 2 * early && late - early > 32;
    console.log(
      `  ${"JS heap max, first vs last third".padEnd(32)} ${early.toFixed(1)} MB -> ${late.toFixed(1)} MB: ${heapGrowing ? "GROWING" : "stable"}`,
    );
  }

  const failed = fiveXx > 0 || result.errors > 0 || result.timeouts > 0 || heapGrowing;
  console.log(
    failed
      ? "\nFAIL: 5xx answers, connection errors, timeouts or a growing JS heap (see above)"
      : "\nOK: no 5xx, no connection errors, no timeouts, JS heap stable",
  );
  return failed ? 1 : 0;
}

main()
  .then((code) => {
    stopServer();
    process.exitCode = code;
  })
  .catch((error) => {
    console.error(`load: ${error.message}`);
    stopServer();
    process.exitCode = 1;
  });
