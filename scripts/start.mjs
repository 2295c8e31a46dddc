#!/usr/bin/env node
// `npm start`: seed local KV with the committed catalog in data/, then serve the worker on
// 127.0.0.1:${PORT:-8787} with wrangler dev (workerd). Works offline on a fresh clone.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(fileURLToPath(import.meta.url), "../..");
const data = join(root, "data");
const port = process.env.PORT ?? "8787";
const wrangler = join(root, "node_modules", ".bin", "wrangler");
// Offline and quiet: no telemetry, no lookup of workers.cloudflare.com on every start.
const env = { ...process.env, WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false" };

if (!existsSync(join(data, "manifest.json"))) {
  console.error("data/manifest.json is missing: run `npm run scrape` to build the catalog snapshot first.");
  process.exit(1);
}

// data/ mirrors the KV key schema (docs/storage-schema.md): data/<key>.json holds the value of <key>.
const entries = readdirSync(data, { recursive: true })
  .filter((file) => file.endsWith(".json"))
  .map((file) => ({ key: file.split(/[\\/]/).join("/").replace(/\.json$/, ""), value: readFileSync(join(data, file), "utf8") }));
mkdirSync(join(root, ".wrangler"), { recursive: true });
const seed = join(root, ".wrangler", "seed.json");
writeFileSync(seed, JSON.stringify(entries));

console.log(`seeding local KV (binding CATALOG) with ${entries.length} values from data/ ...`);
const seeded = spawnSync(wrangler, ["kv", "bulk", "put", "--local", "--binding", "CATALOG", seed], { cwd: root, env, stdio: ["ignore", "ignore", "inherit"] });
if (seeded.status !== 0) {
  console.error("seeding local KV failed (see above)");
  process.exit(seeded.status ?? 1);
}

console.log(`serving on http://127.0.0.1:${port}  (try: curl http://127.0.0.1:${port}/health)`);
const dev = spawn(wrangler, ["dev", "--local", "--ip", "127.0.0.1", "--port", port, ...process.argv.slice(2)], { cwd: root, env, stdio: "inherit" });
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => dev.kill(signal));
dev.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
