/**
 * `npm run scrape` when another run holds the lease: a non-zero exit naming the holder and the lease's
 * age, and nothing scraped. Runs the CLI as operators do (tsx, a child process) on a temporary folder.
 */
import { execFile } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const FIXTURE = fileURLToPath(new URL("../fixtures/openapi/bitbucket.json", import.meta.url));

let folder: string | undefined;
afterEach(() => {
  if (folder) rmSync(folder, { recursive: true, force: true });
  folder = undefined;
});

function scrape(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      join(ROOT, "node_modules/.bin/tsx"),
      ["scraper/cli.ts", ...args],
      { cwd: ROOT, timeout: 60_000 },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe("npm run scrape while another run holds the lease", () => {
  it("exits 75 with the holder and the lease's age, and writes no catalog", { timeout: 60_000 }, async () => {
    folder = mkdtempSync(join(tmpdir(), "scrape-lease-"));
    const documents = join(folder, "docs");
    const out = join(folder, "out");
    mkdirSync(documents);
    mkdirSync(join(out, "lock"), { recursive: true });
    copyFileSync(FIXTURE, join(documents, "bitbucket.json"));
    const lease = {
      owner: "killed-run",
      acquiredAt: new Date(Date.now() - 90_000).toISOString(),
      expiresAt: new Date(Date.now() + 10 * 60_000).toISOString(),
    };
    writeFileSync(join(out, "lock", "scrape.json"), JSON.stringify(lease));

    const { code, stderr } = await scrape(["--from", join(documents, "bitbucket.json"), "--out", out]);
    // Before, this printed "another scrape holds the lease" and exited 0.
    expect(code).toBe(75);
    expect(stderr).toMatch(
      new RegExp(
        `locked: another scrape \\(killed-run\\) holds the lease, taken 1m3\\ds ago; it expires at ${lease.expiresAt}`,
      ),
    );
    expect(readdirSync(out).sort()).toEqual(["lock", "run"]); // the lease and the run report, no shard
  });
});
