import { cloudflareTest } from "@cloudflare/vitest-pool-workers";
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "node",
          environment: "node",
          include: [
            "test/scraper/**/*.test.ts",
            "test/catalog/**/*.test.ts",
            "test/page/**/*.test.ts",
            "test/storage/**/*.test.ts",
            "test/middleware/**/*.test.ts",
            "test/answers/**/*.test.ts",
          ],
        },
      },
      {
        plugins: [cloudflareTest({ wrangler: { configPath: "./wrangler.toml" } })],
        // A cold isolate builds the bundled catalog's index first: seconds on a loaded machine.
        test: { name: "workers", include: ["test/worker/**/*.test.ts"], testTimeout: 30_000, hookTimeout: 30_000 },
      },
      {
        test: {
          name: "e2e",
          environment: "node",
          include: ["test/e2e/**/*.test.ts"],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
