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

/** Codes of an input that was looked up and matched nothing; any other (a bad path or method) is `refused`. */
const NOT_FOUND = new Set(["endpoint_not_found", "method_not_found", "outside_catalog"]);

/**
 * What became of an unmatched input: `replaced` (its replacement is planned), `removed`, `not found`, or
 * `refused` (it could not be read as one call: two methods, a raw space, a path too long).
 */
export function unmatchedStatus(
  item: { input?: PlanInputLine; error?: { code?: string } },
  replaced: ReadonlySet<string>,
): "not found" | "replaced" | "removed" | "refused" {
  const code = item.error?.code;
  if (code === "endpoint_removed") return replaced.has(planInputKey(item.input)) ? "replaced" : "removed";
  return code === undefined || NOT_FOUND.has(code) ? "not found" : "refused";
}
