/**
 * The scopes a user pastes, in every form they have them: a JSON list, one string separated by
 * spaces, commas or newlines (copied from Atlassian's token form), or the admin API's list of a
 * service account's tokens (`[{id, label, scopes, ...}]`, possibly wrapped in `{data: [...]}`). No I/O.
 */
import { lazyPer } from "../lazy";

/** More than any token can hold (50), with room for pasted lists; more is refused, naming the limit. */
export const MAX_SCOPES = 500;
export const MAX_TOKENS = 100;
const MAX_SCOPE_LENGTH = 200;
/** No separator, quote or bracket, and not too long: taken as it is. */
const PLAIN_SCOPE = /^[\w:.-]{1,200}$/;

export interface TokenScopes {
  id?: string;
  label?: string;
  scopes: string[];
}

export type ScopesInput = { kind: "scopes"; scopes: string[] } | { kind: "tokens"; tokens: TokenScopes[] };
export type ScopesInputResult =
  | { ok: true; value: ScopesInput }
  | { ok: false; code: "invalid_scopes" | "too_many_scopes"; message: string };

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * Each list or object read, by the input itself: a request reads its scopes to pick the shards it
 * needs and again to answer (16 tokens of 500 names each were split twice). A parsed body is not
 * changed after, and the result is not changed by its readers.
 */
const readings = lazyPer((value: object) => readUncached(value));

export function readScopesInput(value: unknown): ScopesInputResult {
  return typeof value === "object" && value !== null ? readings(value) : readUncached(value);
}

function readUncached(value: unknown): ScopesInputResult {
  const wrapped = isObject(value)
    ? (["data", "tokens", "values", "results"].map((key) => value[key]).find(Array.isArray) as unknown[] | undefined)
    : undefined;
  const list = wrapped ?? value;
  // `{data: []}` is an account with no tokens; a bare `[]` is an empty scope list.
  if (Array.isArray(list) && (wrapped !== undefined || list.length > 0) && list.every(isObject)) {
    if (list.length > MAX_TOKENS)
      return {
        ok: false,
        code: "too_many_scopes",
        message: `${list.length} tokens given; at most ${MAX_TOKENS} per request.`,
      };
    const tokens: TokenScopes[] = [];
    for (const [index, token] of (list as Json[]).entries()) {
      const scopes = splitScopes(token.scopes, `token ${index}`);
      if (!scopes.ok) return scopes;
      tokens.push({ id: text(token.id), label: text(token.label) ?? text(token.name), scopes: scopes.value });
    }
    return { ok: true, value: { kind: "tokens", tokens } };
  }
  const scopes = splitScopes(value, "`scopes`");
  return scopes.ok ? { ok: true, value: { kind: "scopes", scopes: scopes.value } } : scopes;
}

function splitScopes(
  value: unknown,
  where: string,
): { ok: true; value: string[] } | { ok: false; code: "invalid_scopes" | "too_many_scopes"; message: string } {
  let pieces: unknown[];
  if (typeof value === "string") pieces = [value];
  else if (Array.isArray(value)) pieces = value;
  else {
    return {
      ok: false,
      code: "invalid_scopes",
      message: `${where} must be a list of scope names, one string of names separated by spaces, commas or newlines, or the admin API's token list ([{id, label, scopes}]).`,
    };
  }
  const scopes = new Set<string>();
  for (let at = 0; at < pieces.length; at++) {
    const piece = pieces[at];
    if (typeof piece !== "string")
      return {
        ok: false,
        code: "invalid_scopes",
        message: `${where} holds ${JSON.stringify(piece)?.slice(0, 40)}; every scope must be a string such as "read:jira-work".`,
      };
    // A plain scope name, as most lists hold: nothing to split or strip.
    if (PLAIN_SCOPE.test(piece)) {
      scopes.add(piece);
      continue;
    }
    // Pasted lists come with quotes, brackets and separators of every kind.
    for (const name of piece.split(/[\s,;]+/)) {
      const scope = stripQuotes(name);
      if (scope === "") continue;
      if (scope.length > MAX_SCOPE_LENGTH)
        return {
          ok: false,
          code: "invalid_scopes",
          message: `${where} holds a ${scope.length}-character value; scope names are at most ${MAX_SCOPE_LENGTH} characters.`,
        };
      scopes.add(scope);
    }
  }
  if (scopes.size > MAX_SCOPES)
    return {
      ok: false,
      code: "too_many_scopes",
      message: `${where} holds ${scopes.size} scopes; at most ${MAX_SCOPES} are accepted (a token holds at most 50).`,
    };
  return { ok: true, value: [...scopes] };
}

const OPENERS = new Set(['"', "'", "`", "[", "("]);
const CLOSERS = new Set(['"', "'", "`", "]", ")"]);

/**
 * The name without the quotes and brackets a pasted list wraps it in: openers stripped from the start,
 * closers from the end. Two scans that meet, so at most one look per character (`work.steps` counts
 * them); the regex it replaces, /^["'`[(]+|["'`\])]+$/g, retried its closer run from every position
 * and took 60 s on ")"×200000 + "x".
 */
export function stripQuotes(name: string, work?: { steps: number }): string {
  let start = 0;
  let end = name.length;
  let looks = 0;
  for (; start < end; start++) {
    looks++;
    if (!OPENERS.has(name.charAt(start))) break;
  }
  for (; end > start; end--) {
    looks++;
    if (!CLOSERS.has(name.charAt(end - 1))) break;
  }
  // Each look moves start or end (which never cross) or ends a loop: at most length + 2 looks.
  if (work) work.steps += looks;
  return start === 0 && end === name.length ? name : name.slice(start, end);
}

function text(value: unknown): string | undefined {
  return typeof value === "string" && value.trim() !== "" ? value.trim().slice(0, 200) : undefined;
}
