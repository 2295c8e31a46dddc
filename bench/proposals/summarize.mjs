// Reads the before-N.json / after-N.json rows written by compare.sh and prints, per row, each run's
// figure (ratio to the peer where the row has one, else our time) and the medians.
import { readFileSync } from "node:fs";
const [dir, repeats] = process.argv.slice(2);
const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};
const runs = { before: [], after: [] };
for (const side of ["before", "after"])
  for (let i = 1; i <= Number(repeats); i++)
    runs[side].push(JSON.parse(readFileSync(`${dir}/${side}-${i}.json`, "utf8")).rows);
for (const row of runs.before[0]) {
  const figures = (side) => runs[side].map((rows) => rows.find((other) => other.id === row.id)?.metrics ?? {});
  const keys = Object.keys(figures("before")[0]);
  console.log(`row ${row.id}: ${row.what}`);
  for (const key of keys) {
    const before = figures("before").map((metrics) => metrics[key]);
    const after = figures("after").map((metrics) => metrics[key]);
    const format = (values) =>
      values.map((value) => (value === undefined ? "-" : Number(value.toPrecision(4)))).join(", ");
    console.log(
      `  ${key.padEnd(22)} before ${format(before)}  (median ${Number(median(before).toPrecision(4))})   after ${format(after)}  (median ${Number(median(after).toPrecision(4))})`,
    );
  }
  const verdicts = (side) => runs[side].map((rows) => rows.find((other) => other.id === row.id)?.verdict).join(" ");
  console.log(`  verdicts: before ${verdicts("before")}   after ${verdicts("after")}`);
}
