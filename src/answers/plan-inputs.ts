/**
 * How a plan's unmatched inputs read, for every surface that says so: the text answer, the CLI's exit
 * status and the page (which bundles this file, so it imports nothing). No I/O.
 */

type PlanInputLine = { method?: string | null; path?: string };

/** An input line as given (`METHOD path`): the key an unmatched input and its planned replacement share. */
export function planInputKey(input: PlanInputLine | undefined): string {
  return `${input?.method ?? ""} ${input?.path ?? ""}`.trim();
}

/**
 * The inputs a plan covers through a removed endpoint's replacement (`endpoints[].replaces`): listed in
 * `unmatched` as removed, yet planned for, so not left out (the text says `replaced`, the CLI exits 0).
 */
export function replacedInputs(endpoints: readonly { input?: PlanInputLine; replaces?: string }[]): Set<string> {
  return new Set(endpoints.filter((item) => item.replaces).map((item) => planInputKey(item.input)));
}

/** What became of an unmatched input: `replaced` (its replacement is planned), `removed`, or `not found`. */
export function unmatchedStatus(
  item: { input?: PlanInputLine; error?: { code?: string } },
  replaced: ReadonlySet<string>,
): "not found" | "replaced" | "removed" {
  if (item.error?.code !== "endpoint_removed") return "not found";
  return replaced.has(planInputKey(item.input)) ? "replaced" : "removed";
}
