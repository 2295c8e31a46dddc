/**
 * The page's state as a link (`?tool=plan&endpoints=...`), for both ends: the worker's GET / (routes/page.ts)
 * and the page's script (client/main.ts, which bundles this file). No I/O, no DOM.
 *
 * - A link, or a form about to be sent, holding a credential: found with the credential guard's own
 *   scanner (middleware/secret-scan.ts), so the page refuses exactly what the API would, before sending
 *   it or writing it to the address bar, and a shared link answers the page without it.
 * - A link too long to work: the address bar holds at most MAX_LINK_CHARS characters; past that the
 *   longest fields are left out of it and named in `omitted`.
 */
import { findSecretDecoded, findSecretInRequest } from "../middleware/secret-scan";

/** Each tool's fields, in link order; `key` is the one without which the tool has no question. */
export const TOOL_FIELDS = {
  lookup: { key: "path", fields: ["path", "method", "credential"] },
  diff: { key: "scopes", fields: ["scopes", "endpoints", "credential"] },
  plan: { key: "endpoints", fields: ["endpoints", "prefer", "maxScopes", "credential"] },
  scope: { key: "scope", fields: ["scope", "product"] },
} as const satisfies Record<string, { key: string; fields: readonly string[] }>;

export type ToolName = keyof typeof TOOL_FIELDS;
export type Values = Record<string, string>;

/** The parameter naming the fields a link leaves out (see linkQuery). */
export const OMITTED_PARAM = "omitted";

/**
 * The longest page URL the page writes, origin included. RFC 9110 §4.1 recommends that senders and
 * recipients support URIs of at least 8000 octets; past that, servers refuse (Cloudflare's limit is
 * about 16 KB, `wrangler dev` answers 431 at 64 KB), and so do chat apps that shorten or cut links.
 */
export const MAX_LINK_CHARS = 8000;

/** Names that may appear in a page link: its tools' fields, `tool` and `omitted`. Any other is not echoed. */
const LINK_PARAMS: ReadonlySet<string> = new Set([
  "tool",
  OMITTED_PARAM,
  ...Object.values(TOOL_FIELDS).flatMap((tool) => tool.fields),
]);

/** A value as a link writes it: `/`, `:` and spaces readable, since these links get pasted into chat threads. */
export const encodeLinkValue = (value: string) =>
  encodeURIComponent(value).replace(/%2F/g, "/").replace(/%3A/g, ":").replace(/%20/g, "+");

/** The page URL's query (`?tool=...`) for a tool's values: every field not empty, in link order. */
export function stateQuery(tool: ToolName, values: Values): string {
  let query = `?tool=${tool}`;
  for (const field of TOOL_FIELDS[tool].fields) {
    const value = (values[field] || "").trim();
    if (value) query += `&${field}=${encodeLinkValue(value)}`;
  }
  return query;
}

/**
 * The query the address bar gets for a tool's values, given `room` characters (MAX_LINK_CHARS less the
 * origin and path): the whole state when it fits; else the state without its longest fields, which
 * `omitted` names (`?tool=plan&prefer=granular&omitted=endpoints`), so a reload or a shared link is a
 * URL every server takes, and the page can say what the link does not carry.
 */
export function linkQuery(tool: ToolName, values: Values, room: number): { query: string; omitted: string[] } {
  const full = stateQuery(tool, values);
  if (full.length <= room) return { query: full, omitted: [] };
  const kept: Values = { ...values };
  const longestFirst = TOOL_FIELDS[tool].fields
    .filter((field) => (values[field] || "").trim())
    .sort((a, b) => encodeLinkValue(values[b]!.trim()).length - encodeLinkValue(values[a]!.trim()).length);
  const omitted: string[] = [];
  let query = full;
  for (const field of longestFirst) {
    delete kept[field];
    omitted.push(field);
    query = `${stateQuery(tool, kept)}&${OMITTED_PARAM}=${omitted.join(",")}`;
    if (query.length <= room) break;
  }
  return { query, omitted };
}

/**
 * The first credential among a tool's values, with the field holding it: each field alone, then the
 * link they make read as the credential guard reads a query (a secret can straddle two fields: `//`
 * ending one and `user:password@` starting the next). `field` is undefined for such a straddler.
 */
export function credentialInValues(tool: ToolName, values: Values): { kind: string; field?: string } | undefined {
  for (const field of TOOL_FIELDS[tool].fields) {
    const kind = findSecretDecoded((values[field] || "").trim(), false);
    if (kind) return { kind, field };
  }
  const kind = findSecretInRequest({ query: stateQuery(tool, values).slice(1) });
  return kind ? { kind } : undefined;
}

/**
 * A page link's query (what follows its `?`, as the credential guard reads it) holding a credential,
 * as the guard would find it: the names of the parameters left out (each `name=value` holding one
 * alone) and the query without them, which holds none: when the rest still does (a secret straddling parameters: `//` ending one,
 * `user:password@` starting the next), only the first `tool` is kept.
 */
export function credentialInLink(raw: string): { kind: string; dropped: string[]; kept: string } | undefined {
  const kind = findSecretInRequest({ query: raw });
  if (!kind) return undefined;
  const clean = (entries: readonly string[]) => !findSecretInRequest({ query: entries.join("&") });
  const nameOf = (entry: string) => entry.split("=", 1)[0] ?? "";
  const entries = raw.split("&");
  let keep = entries.map((_, index) => index).filter((index) => clean([entries[index]!]));
  if (!clean(keep.map((index) => entries[index]!)))
    keep = keep.filter((index) => nameOf(entries[index]!) === "tool").slice(0, 1);
  const kept = keep.map((index) => entries[index]!);
  const dropped = entries.filter((_, index) => !keep.includes(index)).map(nameOf);
  return { kind, dropped, kept: kept.length ? `?${kept.join("&")}` : "" };
}

/** Names as a message may show them: only a page link's own parameter names, never another (it may be the secret). */
function paramNames(names: readonly string[]): string {
  const known = [...new Set(names.filter((name) => LINK_PARAMS.has(name)))].map((name) => `\`${name}\``);
  const others = names.filter((name) => !LINK_PARAMS.has(name)).length;
  if (others) known.push(others === 1 ? "another parameter" : `${others} other parameters`);
  return known.length > 1 ? `${known.slice(0, -1).join(", ")} and ${known.at(-1)}` : (known[0] ?? "a parameter");
}

/**
 * Why a link was answered without its parameters holding a credential: the API's `credential_detected`
 * words (middleware/secret-scan.ts credentialMessage), for a link. The secret did travel, in the link.
 */
export function credentialInLinkMessage(kind: string, dropped: readonly string[]): string {
  return (
    `This link seems to contain ${kind}, in ${paramNames(dropped)}. Scope Catalog only needs scope names and URLs: the page left ${dropped.length === 1 ? "it" : "them"} out and asked nothing. ` +
    "If the secret was real, consider it exposed (it is in the link, and wherever the link was shared) and revoke it. Nothing from this request was stored or logged."
  );
}

/** Why the page sent nothing: the API's `credential_detected` words, for a field of the page (by its label). */
export function credentialNotSentMessage(kind: string, label?: string): string {
  return (
    `${label ? `“${label}”` : "The question"} seems to contain ${kind}. Scope Catalog only needs scope names and URLs: remove the credential and ask again. ` +
    "The page sent nothing, and kept it out of the address bar."
  );
}
