import { cloudflareTest } from "@cloudflare/vitest-pool-workers";
import { defineConfig } from "vitest/config";

// test/ mirrors src/ and scraper/. Where a test runs is in its name: `*.workerd.test.ts` runs inside
// workerd (the Worker's own runtime, KV and bindings) through the pool, `test/e2e/` drives Chromium,
// everything else runs in Node.
const WORKERD = "test/**/*.workerd.test.ts";
const E2E = "test/e2e/**/*.test.ts";

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "node",
          environment: "node",
          include: ["test/**/*.test.ts"],
          exclude: [WORKERD, E2E],
          sequence: { groupOrder: 0 },
        },
      },
      {
        // src/ itself: wrangler.toml's main is its eager mirror (scripts/eager-sources.mjs), which only
        // wrangler's own commands build; test/scripts/eager-sources.test.ts covers the mirror.
        plugins: [cloudflareTest({ main: "./src/index.ts", wrangler: { configPath: "./wrangler.toml" } })],
        // A cold isolate builds the bundled catalog's index first: seconds on a loaded machine.
        test: {
          name: "workers",
          include: [WORKERD],
          testTimeout: 30_000,
          hookTimeout: 30_000,
          sequence: { groupOrder: 0 },
        },
      },
      {
        // After the other projects, not beside them: wrangler dev and Chromium do not share the 2 cores
        // with the workers pool's isolates (a page load that hangs is retried: page.e2e.test.ts).
        test: {
          name: "e2e",
          environment: "node",
          include: [E2E],
          testTimeout: 60_000,
          hookTimeout: 60_000,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
