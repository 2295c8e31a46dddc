/**
 * The API's error as text lines, for a client that asked for `?format=text` (or markdown, made from the
 * same lines): the code first (`error: endpoint_not_found`), the message, then each detail on a line of
 * its own. Written through `textLines`, so an echoed value cannot forge a line.
 */
import { textLines } from "./escape";

/** The error object of the API's error shape (src/errors.ts). */
export interface ErrorFields {
  code: string;
  message: string;
  details?: unknown;
}

/**
 * `error: <code>`, the message indented under it, then `  <name>: <value>` per detail: a list of names
 * joined with ", ", a list of `{path|code, message}` (validation issues, URL notes) one line each (less
 * the one the message already says; a URL note the message holds by its code alone), and anything else
 * as `block` writes it.
 */
export function errorText(error: ErrorFields): string {
  const lines = [`error: ${error.code}`, `  ${error.message}`];
  const details = error.details;
  if (details && typeof details === "object" && !Array.isArray(details))
    for (const [name, value] of Object.entries(details)) lines.push(...detailLines(name, value, error.message));
  return textLines(lines);
}

function detailLines(name: string, value: unknown, message: string): string[] {
  if (Array.isArray(value) && value.length > 0 && value.every(isMessageItem))
    return (
      value
        // A URL note the message already says (a miss's path_case, ref_name_slash) is named by its code alone.
        .map((item) =>
          item.code && message.includes(item.message)
            ? `${item.code} (said above)`
            : `${(item.path ?? item.code) ? `${item.path ?? item.code}: ` : ""}${item.message}`,
        )
        .filter((line) => line !== message)
        .map((line) => `  ${singular(name)}: ${line}`)
    );
  return block(name, value, "  ");
}

/**
 * A detail as lines: a value, or a list of values, on the line of its name; an object whose fields are
 * all values on one line too (`alternative: kind granular, state Current, scopes read:space:confluence`);
 * any other object headed by its endpoint (`METHOD path`), when it is one, with its other fields on lines
 * of their own below it, indented; a list of objects one such block per item.
 */
function block(name: string, value: unknown, indent: string): string[] {
  if (value === undefined || value === null || (Array.isArray(value) && value.length === 0)) return [];
  if (isScalar(value)) return [`${indent}${name}: ${value}`];
  if (Array.isArray(value))
    return value.every(isScalar)
      ? [`${indent}${name}: ${value.map(String).join(", ")}`]
      : value.flatMap((item) => block(singular(name), item, indent));
  if (typeof value !== "object") return [];
  const fields = Object.entries(value as Record<string, unknown>).filter(
    ([, item]) => item !== undefined && item !== null && !(Array.isArray(item) && item.length === 0),
  );
  const { method, path } = value as { method?: unknown; path?: unknown };
  const endpoint = typeof method === "string" && typeof path === "string";
  const rest = endpoint ? fields.filter(([field]) => field !== "method" && field !== "path") : fields;
  if (rest.every(([, item]) => isScalar(item) || (Array.isArray(item) && item.every(isScalar)))) {
    const parts = rest.map(([field, item]) => `${field} ${Array.isArray(item) ? item.join(" ") : item}`);
    return [`${indent}${name}: ${[...(endpoint ? [`${method} ${path}`] : []), ...parts].join(", ")}`];
  }
  return [
    `${indent}${name}:${endpoint ? ` ${method} ${path}` : ""}`,
    ...rest.flatMap(([field, item]) => block(field, item, `${indent}  `)),
  ];
}

const isScalar = (value: unknown): value is string | number | boolean =>
  typeof value === "string" || typeof value === "number" || typeof value === "boolean";

const isMessageItem = (value: unknown): value is { path?: string; code?: string; message: string } =>
  typeof value === "object" && value !== null && typeof (value as { message?: unknown }).message === "string";

/** `issues` → `issue`, `urlNotes` → `urlNote`: one line says one of them. */
const singular = (name: string) => (name.endsWith("s") ? name.slice(0, -1) : name);

/** The code, message and suggestions of an error written by errorText, or undefined for other text. */
export function parseErrorText(text: string): ErrorFields | undefined {
  const [first, second, ...rest] = text.split("\n");
  const code = /^error: ([a-z0-9_]+)$/.exec(first ?? "")?.[1];
  if (code === undefined || second === undefined || !second.startsWith("  ")) return undefined;
  const suggestions = rest.find((line) => line.startsWith("  suggestions: "));
  return {
    code,
    message: second.trim(),
    ...(suggestions ? { details: { suggestions: suggestions.slice("  suggestions: ".length).split(", ") } } : {}),
  };
}
