/** What each row reports, and the table printed and written to docs/benchmarks.md. */

export type Verdict = "PASS" | "MISS" | "SKIP" | "INFO";

export interface Row {
  id: string;
  what: string;
  ours: string;
  peer: string;
  ratio: string;
  target: string;
  verdict: Verdict;
  /** Lines under the table: method, workload, caveats. */
  notes: string[];
  /** The row's figures as numbers (ms, ops/s, ratios), for --json and bench/proposals/compare.sh. */
  metrics?: Record<string, number>;
}

export interface BenchOptions {
  quick: boolean;
  log: (line: string) => void;
}

export function table(rows: readonly Row[]): string {
  const header = ["#", "what", "ours", "peer (same run)", "ratio", "target", "result"];
  const lines = [`| ${header.join(" | ")} |`, `|${header.map(() => "---").join("|")}|`];
  for (const row of rows)
    lines.push(
      `| ${[row.id, row.what, row.ours, row.peer, row.ratio, row.target, `**${row.verdict}**`].map(escapeCell).join(" | ")} |`,
    );
  return lines.join("\n");
}

function escapeCell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\n/g, " ");
}

/** The same table for a terminal: fixed-width columns. */
export function textTable(rows: readonly Row[]): string {
  const header = ["#", "what", "ours", "peer (same run)", "ratio", "target", "result"];
  const cells = [
    header,
    ...rows.map((row) => [row.id, row.what, row.ours, row.peer, row.ratio, row.target, row.verdict]),
  ];
  const widths = header.map((_, column) => Math.min(60, Math.max(...cells.map((line) => line[column]!.length))));
  return cells.map((line) => line.map((cell, column) => cell.padEnd(widths[column]!)).join("  ")).join("\n");
}

export function ratio(value: number): string {
  return Number.isFinite(value) ? `${value.toFixed(2)}×` : "n/a";
}
