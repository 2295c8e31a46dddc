/**
 * `npm run bench`: every benchmark of docs/benchmarks.md, side by side with its peer in one run, on
 * the full catalog (built from ../shared/atlassian-docs, or data/). Prints the table and writes it
 * into docs/benchmarks.md (between the bench:results markers; the rest of that file is kept).
 *
 *   npm run bench                     full run, writes docs/benchmarks.md
 *   npm run bench -- --quick          CI smoke run (< 60 s): few iterations, 2 s HTTP runs, writes nothing
 *   npm run bench -- --only 1,2       some rows only (1 2 3 4 5 6 7 8 extras), writes nothing unless --write
 *   npm run bench -- --json FILE      also the rows as JSON
 *
 * Machines here are noisy: compare the ratios measured in one run, not absolute times across runs.
 * No test asserts a time; the exit code is 0 unless a benchmark could not run at all.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, loadavg, totalmem } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { ROOT, loadBenchCatalog } from "./lib/catalog";
import { removeScratch } from "./lib/children";
import { table, textTable, type BenchOptions, type Row } from "./lib/report";
import { formatMs } from "./lib/stats";
import { coldRows } from "./rows/cold";
import { bundleRow, cpuRow, kvReadsRow } from "./rows/extras";
import { extractRows } from "./rows/extract";
import { firstRequestRows } from "./rows/first-request";
import { startupRows } from "./rows/startup";
import { httpRows } from "./rows/http";
import { matchRows } from "./rows/match";
import { queryRows } from "./rows/queries";
import { worstInputRows } from "./rows/worst-inputs";

const START = "<!-- bench:results:start -->";
const END = "<!-- bench:results:end -->";
const ALL = ["1", "2", "3", "4", "5", "6", "7", "8", "extras"];

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      quick: { type: "boolean", default: false },
      only: { type: "string" },
      write: { type: "boolean" },
      "no-write": { type: "boolean" },
      out: { type: "string", default: join(ROOT, "docs", "benchmarks.md") },
      json: { type: "string" },
    },
  });
  // Row 6 starts two workerd processes per sample (about a minute in all here): not in --quick unless asked.
  const only = values.only
    ? values.only.split(",").map((id) => id.trim())
    : values.quick
      ? ALL.filter((id) => id !== "6")
      : ALL;
  const unknown = only.filter((id) => !ALL.includes(id));
  if (unknown.length > 0) {
    console.error(`unknown row ${unknown.join(", ")}; rows are ${ALL.join(", ")}`);
    return 2;
  }
  const quick = values.quick === true;
  const write = values["no-write"] ? false : (values.write ?? (!quick && !values.only));
  const began = Date.now();
  const loadBefore = loadavg();
  const log = (line: string) => console.log(`[${((Date.now() - began) / 1000).toFixed(1).padStart(5)} s] ${line}`);
  const options: BenchOptions = { quick, log };

  log(`${quick ? "quick" : "full"} run of rows ${only.join(", ")}`);
  const catalog = await loadBenchCatalog(log);
  log(
    `${catalog.index.endpoints.length} endpoints, ${catalog.index.scopeCount} scopes, catalog version ${catalog.manifest.version}`,
  );

  const rows: Row[] = [];
  try {
    if (only.includes("1")) rows.push(...matchRows(catalog, options));
    if (only.includes("2")) rows.push(...(await coldRows(catalog, options)));
    if (only.includes("3")) rows.push(...(await extractRows(options)));
    if (only.includes("4")) rows.push(...(await queryRows(catalog, options)));
    if (only.includes("5")) rows.push(...(await httpRows(catalog, options)));
    if (only.includes("6")) rows.push(...(await firstRequestRows(catalog, options)));
    if (only.includes("7")) rows.push(...(await startupRows(options)));
    if (only.includes("8")) rows.push(...(await worstInputRows(catalog, options)));
    if (only.includes("extras")) {
      rows.push(await kvReadsRow(catalog, options));
      rows.push(await cpuRow(catalog, options));
      rows.push(bundleRow(options));
    }
  } finally {
    removeScratch();
  }
  const seconds = (Date.now() - began) / 1000;
  // Row 5 also timed row 4's requests inside workerd: say so beside them.
  const http = rows.find((row) => row.id === "5")?.metrics;
  for (const [id, key] of [
    ["4a", "workerMsDiff"],
    ["4b", "workerMsPlan100"],
    ["4c", "workerMsPlan500"],
  ] as const) {
    const row = rows.find((candidate) => candidate.id === id);
    const ms = http?.[key];
    if (row && ms !== undefined)
      row.notes.push(`The same request in workerd, as the worker measures it (row 5): ${formatMs(ms)}.`);
  }

  console.log(`\n${textTable(rows)}\n`);
  for (const row of rows) for (const note of row.notes) console.log(`${row.id}: ${note}\n`);
  const missed = rows.filter((row) => row.verdict === "MISS").map((row) => row.id);
  console.log(
    `${rows.filter((row) => row.verdict === "PASS").length} targets hold, ${missed.length} missed${missed.length ? ` (${missed.join(", ")})` : ""}; ${seconds.toFixed(0)} s`,
  );

  const machine = `${cpus().length} × ${cpus()[0]?.model.trim() ?? "unknown CPU"}, ${(totalmem() / 1024 ** 3).toFixed(0)} GiB, Node ${process.version} (V8 ${process.versions.v8}), ${process.platform}; load average ${loadBefore.map((value) => value.toFixed(2)).join(" ")} at the start, ${loadavg()
    .map((value) => value.toFixed(2))
    .join(" ")} at the end`;
  const section = [
    START,
    `Run of ${new Date(began).toISOString().replace(/\.\d+Z$/, "Z")} (\`npm run bench${quick ? " -- --quick" : ""}\`, ${seconds.toFixed(0)} s). Machine: ${machine}.`,
    `Catalog: ${catalog.origin}; ${catalog.index.endpoints.length} endpoints, ${catalog.index.scopeCount} scopes.`,
    "",
    table(rows),
    "",
    ...rows.flatMap((row) => row.notes.map((note) => `- **${row.id}.** ${note}`)),
    END,
  ].join("\n");
  if (values.json)
    writeFileSync(
      values.json,
      `${JSON.stringify({ began: new Date(began).toISOString(), quick, machine, catalog: catalog.origin, rows }, null, 2)}\n`,
    );
  if (write) {
    const out = values.out!;
    const current = existsSync(out) ? readFileSync(out, "utf8") : `# Benchmarks\n\n${START}\n${END}\n`;
    const next =
      current.includes(START) && current.includes(END)
        ? `${current.slice(0, current.indexOf(START))}${section}${current.slice(current.indexOf(END) + END.length)}`
        : `${current.trimEnd()}\n\n${section}\n`;
    writeFileSync(out, next);
    log(`wrote the results into ${out}`);
  }
  return 0;
}

process.exitCode = await main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  return 1;
});
