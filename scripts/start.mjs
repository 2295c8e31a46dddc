#!/usr/bin/env node
// `npm start`: seed local KV with the committed catalog in data/, then serve the worker on
// 127.0.0.1:${PORT:-8787} with wrangler dev (workerd). Works offline on a fresh clone.
import { spawn } from "node:child_process";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { seedKv, wrangler, wranglerEnv } from "./seed-kv.mjs";

const root = resolve(fileURLToPath(import.meta.url), "../..");
const port = process.env.PORT ?? "8787";

try {
  console.log(`seeded local KV with ${seedKv(join(root, "data"), false)} values from data/`);
} catch (error) {
  console.error(error.message);
  process.exit(1);
}

console.log(`serving on http://127.0.0.1:${port}  (try: curl http://127.0.0.1:${port}/health)`);
const dev = spawn(wrangler, ["dev", "--local", "--ip", "127.0.0.1", "--port", port, ...process.argv.slice(2)], {
  cwd: root,
  env: wranglerEnv,
  stdio: "inherit",
});
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => dev.kill(signal));
dev.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
