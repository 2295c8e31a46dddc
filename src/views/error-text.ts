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
 * the one the message already says; a URL note the message holds by its code alone), anything else nested as one line (`summary`).
 */
export function errorText(error: ErrorFields): string {
  const lines = [`error: ${error.code}`, `  ${error.message}`];
  const details = error.details;
  if (details && typeof details === "object" && !Array.isArray(details))
    for (const [name, value] of Object.entries(details)) lines.push(...detailLines(name, value, error.message));
  return textLines(lines);
}

function detailLines(name: string, value: unknown, message: string): string[] {
  if (value === undefined || value === null) return [];
  if (Array.isArray(value)) {
    if (value.length === 0) return [];
    if (value.every(isScalar)) return [`  ${name}: ${value.map(String).join(", ")}`];
    if (value.every(isMessageItem))
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
    return value.map((item) => `  ${singular(name)}: ${summary(item)}`);
  }
  return [`  ${name}: ${summary(value)}`];
}

/**
 * A nested detail on one line: an endpoint as `METHOD path`, then its other facts as `name value`
 * (a removed endpoint: `GET /wiki/rest/api/space, removedAt 2024-01-01, ..., replacement GET /wiki/api/v2/spaces`).
 */
function summary(value: unknown): string {
  if (isScalar(value)) return String(value);
  if (Array.isArray(value)) return value.map(summary).join("; ");
  if (typeof value !== "object" || value === null) return "";
  const fields = value as Record<string, unknown>;
  const endpoint = typeof fields.method === "string" && typeof fields.path === "string";
  const parts = endpoint ? [`${fields.method} ${fields.path}`] : [];
  for (const [name, item] of Object.entries(fields)) {
    if (endpoint && (name === "method" || name === "path")) continue;
    if (item === undefined || item === null || (Array.isArray(item) && item.length === 0)) continue;
    parts.push(`${name} ${isScalar(item) ? item : `(${summary(item)})`}`);
  }
  return parts.join(", ");
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
