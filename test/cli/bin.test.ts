/**
 * The bin as a developer or CI runs it: `npx scope-catalog` from the repository root, a real child
 * process through bin/scope-catalog.mjs and tsx, its stdout and exit status. Everything else runs
 * main() in-process (offline.test.ts, remote.test.ts).
 */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

it("npx scope-catalog diff exits 1 and prints MISSING for the board case", () => {
  const run = spawnSync(
    "npx",
    [
      "--no",
      "scope-catalog",
      "diff",
      "--scopes",
      "read:board-scope:jira-software",
      "GET",
      "https://api.atlassian.com/ex/jira/x/rest/agile/1.0/board",
    ],
    // --no: never install; the bin must come from this package.
    { cwd: ROOT, encoding: "utf8", timeout: 60_000, env: { ...process.env, NO_UPDATE_NOTIFIER: "1" } },
  );
  expect(run.stderr).toBe("");
  expect(run.stdout).toMatch(/^MISSING GET \/rest\/agile\/1\.0\/board {2}add read:project:jira\ncatalog \S+\n$/);
  expect(run.status).toBe(1);
}, 60_000);
