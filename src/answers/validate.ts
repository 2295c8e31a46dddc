/** Input checked against an answer's schema: the same rules and words for HTTP, MCP and Slack. No I/O. */
import { z } from "@hono/zod-openapi";
import { nearest } from "../catalog/nearest";
import { fail, ok, type Result } from "./result";

/** Each problem as `{path, message}` (never zod's raw dump); the first one is the message. */
export function validationIssues(error: z.ZodError): { path: string; message: string }[] {
  return error.issues.map((issue) => ({ path: issue.path.join(".") || "(root)", message: issue.message }));
}

export function parseInput<S extends z.ZodType>(schema: S, input: unknown): Result<z.infer<S>> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return ok(parsed.data);
  const issues = validationIssues(parsed.error);
  return fail("invalid_request", `${issues[0]?.path}: ${issues[0]?.message}`, { issues });
}

/**
 * A count given as `field` (a page's `limit`, a plan's `maxScopes`): a whole number from 1 to `max`,
 * with one message for every way it can be wrong; `fromQuery` reads it from a query string's text.
 */
export function countSchema(field: string, max: number, { fromQuery = false } = {}) {
  const range = `\`${field}\` must be a whole number from 1 to ${max}`;
  const number = fromQuery ? z.coerce.number({ error: range }) : z.number({ error: range });
  return number.int(range).min(1, range).max(max, range);
}

/**
 * One of `values` given as `field` (a lookup's `product`, a plan's `prefer`, a `format`), with the values
 * listed and the nearest one named when the given one is a typo (`jria` → jira), not zod's raw option list.
 * Any case is read as the value (`JIRA`, `Granular` → `jira`, `granular`), as `method` and `credential`
 * are: the values are lower-case ids, and a product's name is often typed capitalised.
 */
export function choiceSchema<const T extends readonly [string, ...string[]]>(field: string, values: T) {
  return z.preprocess((given) => canonicalChoice(given, values), enumWithMessage(field, values));
}

/** `given` as the value it names in another case, else as given (for the enum to refuse). */
export function canonicalChoice(given: unknown, values: readonly string[]): unknown {
  if (typeof given !== "string" || values.includes(given)) return given;
  const lower = given.trim().toLowerCase();
  return values.includes(lower) ? lower : given;
}

function enumWithMessage<const T extends readonly [string, ...string[]]>(field: string, values: T) {
  return z.enum(values, {
    error: (issue) => {
      const given = typeof issue.input === "string" ? issue.input : undefined;
      const near = given === undefined ? [] : nearest(given, values, 1, 2);
      return `\`${field}\` must be one of ${values.join(", ")}${given === undefined ? "" : `, not "${given.slice(0, 100)}"`}${near[0] ? `; did you mean ${near[0]}?` : "."}`;
    },
  });
}

/**
 * One endpoint of a /diff or /plan list: `METHOD URL` (or a bare URL), or `{method, path}`, with one
 * message saying so when it is neither (zod's own is "Invalid input"), and `url` pointed at `path`.
 */
export function endpointInputSchema() {
  return z.union(
    [
      z.string().min(1, "an endpoint is empty: give `METHOD URL`, or just a URL").openapi({
        description: "`METHOD URL`, or just a URL (checked as GET).",
        example: "GET /rest/agile/1.0/board",
      }),
      z.object({ method: z.string().optional(), path: z.string().min(1, "`path` is empty") }),
    ],
    {
      error: (issue) => {
        const input = issue.input;
        const object = input !== null && typeof input === "object" && !Array.isArray(input) ? input : undefined;
        if (object && "url" in object && !("path" in object))
          return 'an endpoint object takes `path` (the path or URL), not `url`: {"method": "GET", "path": "https://…"}';
        if (object && "path" in object && object.path === "") return "`path` is empty";
        return 'each endpoint is a string `METHOD URL` (or just a URL), or an object {"method": "GET", "path": "/rest/…"}';
      },
    },
  );
}

/** The message for a list of endpoints given as something else, with the field that takes one string. */
export function endpointListType(instead: string): string {
  return `\`endpoints\` is a list, e.g. ["GET /rest/api/3/myself"]; ${instead}`;
}
