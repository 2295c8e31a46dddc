/**
 * Numbers as people read them, without `Intl`. The first `toLocaleString` of an isolate sets up ICU's
 * number formatting (15–20 ms of CPU here), and route descriptions are written when the worker starts
 * (docs/benchmarks.md, eighth pass). Pure, no I/O.
 */

/** A non-negative integer with its thousands grouped by commas, as `toLocaleString("en-US")` writes it: 1,000,000. */
export function groupThousands(value: number): string {
  return String(value).replace(/\B(?=(\d{3})+$)/g, ",");
}
