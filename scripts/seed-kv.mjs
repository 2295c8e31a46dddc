#!/usr/bin/env node
// Load a catalog folder (data/ by default, or one written by `npm run scrape -- --out DIR`) into the
// CATALOG KV namespace: local by default, `--remote` for the deployed namespace.
//   npm run seed                       local KV <- data/
//   npm run seed -- --dir catalog --remote
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const root = resolve(fileURLToPath(import.meta.url), "../..");
export const wranglerEnv = { ...process.env, WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false" };
export const wrangler = join(root, "node_modules", ".bin", "wrangler");

/** Puts every `<dir>/<key>.json` as KV key `<key>` (docs/storage-schema.md); returns the count. */
export function seedKv(dir, remote) {
  if (!existsSync(join(dir, "manifest.json"))) {
    throw new Error(`${dir}/manifest.json is missing: run \`npm run scrape\` to build the catalog first.`);
  }
  const entries = readdirSync(dir, { recursive: true })
    .filter((file) => file.endsWith(".json") && !file.startsWith("lock"))
    .map((file) => ({
      key: file
        .split(/[\\/]/)
        .join("/")
        .replace(/\.json$/, ""),
      // scraper/file-kv.ts ends every file with a newline that is not part of the value.
      value: readFileSync(join(dir, file), "utf8").replace(/\n$/, ""),
    }));
  mkdirSync(join(root, ".wrangler"), { recursive: true });
  const bulk = join(root, ".wrangler", "seed.json");
  writeFileSync(bulk, JSON.stringify(entries));
  const result = spawnSync(
    wrangler,
    ["kv", "bulk", "put", remote ? "--remote" : "--local", "--binding", "CATALOG", bulk],
    {
      cwd: root,
      env: wranglerEnv,
      stdio: ["ignore", "ignore", "inherit"],
    },
  );
  // Without node_modules (no `npm install` yet) wrangler itself is missing: say so, not "see above".
  if (result.error)
    throw new Error(
      `could not run ${wrangler}: ${result.error.message}. Run \`npm install\` first (npm install && npm start).`,
    );
  if (result.status !== 0) throw new Error("wrangler kv bulk put failed (see above)");
  return entries.length;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { dir: { type: "string" }, remote: { type: "boolean" } } });
  try {
    const dir = resolve(values.dir ?? join(root, "data"));
    const count = seedKv(dir, values.remote === true);
    console.log(
      `put ${count} values from ${dir} into ${values.remote ? "the deployed" : "local"} KV namespace CATALOG`,
    );
  } catch (error) {
    console.error(error.message);
    process.exit(1);
  }
}
