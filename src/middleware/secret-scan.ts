/**
 * Finds credentials in text, in time linear in its length. No I/O, never throws.
 *
 * Each credential family starts with a literal (`ATATT`, `eyJ`, `Bearer`, ...): a regex made only of
 * literals finds the next one (no quantifier, so constant work per position), and a check at that spot
 * looks at the characters after it with plain loops. A check either looks at a bounded number of
 * characters, or walks a run that no later hit can need again (it skips past it). `Work.steps` counts
 * every character passed by a search or looked at by a check; tests bound it by the text's length.
 * The regexes this replaces (`\beyJ[A-Za-z0-9_-]{8,}\.eyJ...` and the like) retried their unbounded
 * runs from every start: 32 s on "eyJ-" × 60000.
 *
 * Families (Atlassian: https://support.atlassian.com/atlassian-account/docs/manage-api-tokens-for-your-atlassian-account/,
 * Bitbucket: https://support.atlassian.com/bitbucket-cloud/docs/access-tokens/): API tokens `ATATT...`,
 * Bitbucket app passwords `ATBB...`, Bitbucket access tokens `ATCTT...`, OAuth client secrets and
 * tokens `ATOA...`/`ATOC...`, JWTs, `Bearer <token>` and `Basic <base64 of user:password>` in any
 * letter case, Slack and GitHub tokens, fields named like secrets (`"client_secret": "..."`), and a
 * `user:password` in a URL (`https://bob:hunter2@acme.atlassian.net/...`) or a pasted curl's `-u`.
 */

/** Counts the characters looked at, for tests that bound the work. */
export interface Work {
  steps: number;
}

type CharTest = (code: number) => boolean;

const isDigit: CharTest = (code) => code >= 48 && code <= 57;
const isAlnum: CharTest = (code) => isDigit(code) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
const isUpperAlnum: CharTest = (code) => isDigit(code) || (code >= 65 && code <= 90);
/** `\w`: what a word boundary is made of. */
const isWord: CharTest = (code) => isAlnum(code) || code === 95;
/** `[A-Za-z0-9_\-=]`: Atlassian tokens. */
const isAtlassian: CharTest = (code) => isWord(code) || code === 45 || code === 61;
/** `[A-Za-z0-9_-]`: base64url, the parts of a JWT. */
const isBase64Url: CharTest = (code) => isWord(code) || code === 45;
/** `[A-Za-z0-9+/]`: base64, a Basic credential. */
const isBase64: CharTest = (code) => isAlnum(code) || code === 43 || code === 47;
/** RFC 6750's b64token: `[A-Za-z0-9._~+/-]`. */
const isB64Token: CharTest = (code) =>
  isAlnum(code) || code === 46 || code === 95 || code === 126 || code === 43 || code === 47 || code === 45;
/** `[A-Za-z0-9-]`: Slack tokens. */
const isSlack: CharTest = (code) => isAlnum(code) || code === 45;
/** `\s` as JSON, forms and HTTP headers use it. */
const isSpace: CharTest = (code) => code === 32 || code === 9 || code === 10 || code === 13 || code === 12;
/** A field's value: `[^"'\s,&}]`. */
const isFieldValue: CharTest = (code) =>
  !isSpace(code) && code !== 34 && code !== 39 && code !== 44 && code !== 38 && code !== 125;

/** The end of the run of `accept` characters from `from`, looking at `limit` characters at most. */
function runEnd(text: string, from: number, accept: CharTest, work: Work, limit = text.length): number {
  const stop = Math.min(text.length, from + limit);
  let at = from;
  while (at < stop && accept(text.charCodeAt(at))) at++;
  work.steps += at - from + 1;
  return at;
}

const startsWord = (text: string, at: number) => at === 0 || !isWord(text.charCodeAt(at - 1));

/**
 * Where a match of `literals` (a global regex of literals only) starts at or after `from`, or -1;
 * `literals.lastIndex` is then just past it.
 */
function nextHit(literals: RegExp, text: string, from: number, work: Work): number {
  literals.lastIndex = from;
  const hit = literals.exec(text);
  work.steps += (hit ? literals.lastIndex : text.length) - from;
  return hit ? hit.index : -1;
}

interface Family {
  /** What the message calls it; never the matched text. */
  kinds: string | ((text: string, at: number) => string);
  /** Literals only: every credential of the family starts with one. */
  literals: RegExp;
  /**
   * Whether a credential starts at `at` (its literal is there); otherwise where the search may resume,
   * which is past every later hit that must fail the same way.
   */
  check: (text: string, at: number, end: number, work: Work) => true | number;
}

const ATLASSIAN_KINDS: Record<string, string> = {
  AT: "an Atlassian API token",
  BB: "a Bitbucket app password",
  CT: "a Bitbucket or Atlassian access token",
  OA: "an Atlassian OAuth client secret or token",
  OC: "an Atlassian OAuth client secret or token",
};

const FAMILIES: readonly Family[] = [
  {
    // ATATT (API token), ATBB (Bitbucket app password), ATCTT (access token), ATOA/ATOC (OAuth).
    kinds: (text, at) => ATLASSIAN_KINDS[text.slice(at + 2, at + 4)] ?? "an Atlassian token",
    literals: /AT(?:AT|BB|CT|O[AC])/g,
    check(text, at, end, work) {
      // An overlapping hit starts after a letter of this one, so never at a word start.
      if (!startsWord(text, at)) return end;
      const stop = runEnd(text, end, isAtlassian, work, 20);
      // A later hit before `stop` has even fewer characters after it.
      return stop - end >= 20 ? true : Math.max(stop, end);
    },
  },
  {
    kinds: "a JSON Web Token",
    literals: /eyJ/g,
    check(text, at, end, work) {
      if (!startsWord(text, at)) return end;
      // header.payload.signature: `eyJ` and 8+ base64url characters, a dot, the same again, a dot.
      const header = runEnd(text, end, isBase64Url, work);
      if (header - end >= 8 && text.charCodeAt(header) === 46 && text.startsWith("eyJ", header + 1)) {
        const payload = runEnd(text, header + 4, isBase64Url, work);
        if (payload - (header + 4) >= 8 && text.charCodeAt(payload) === 46) return true;
      }
      // Every later `eyJ` in the same run ends where this one does, with less before the dot.
      return header;
    },
  },
  {
    kinds: "a Bearer authorization header",
    literals: /bearer/gi,
    check(text, at, end, work) {
      if (!startsWord(text, at)) return end;
      const token = runEnd(text, end, isSpace, work);
      if (token === end) return end;
      // A token has 16+ characters and a digit, or is long: "Bearer authentication" is English.
      const stop = runEnd(text, token, isB64Token, work, 32);
      if (stop - token >= 32) return true;
      if (stop - token < 16) return token;
      work.steps += stop - token;
      for (let at = token; at < stop; at++) if (isDigit(text.charCodeAt(at))) return true;
      return token;
    },
  },
  {
    kinds: "a Basic authorization header",
    literals: /basic/gi,
    check(text, at, end, work) {
      if (!startsWord(text, at)) return end;
      const token = runEnd(text, end, isSpace, work);
      if (token === end) return end;
      // RFC 7617: base64 of `user-id:password`. Only the start is decoded: the colon is within the user.
      const stop = runEnd(text, token, isBase64, work, MAX_BASIC_CHARS);
      if (stop - token < 12) return token;
      return decodesToUserPassword(text.slice(token, token + (stop - token - ((stop - token) % 4)))) ? true : token;
    },
  },
  {
    kinds: "a Slack token",
    literals: /xox[abposr]-/g,
    check: (text, at, end, work) =>
      startsWord(text, at) && runEnd(text, end, isSlack, work, 10) - end >= 10 ? true : end,
  },
  {
    kinds: "a Slack webhook URL",
    literals: /hooks\.slack\.com\/services\//g,
    check(text, _at, end, work) {
      // T.../B.../secret; the upper-case runs hold no lower-case `hooks`, so no later hit is in them.
      const team = runEnd(text, end, isUpperAlnum, work);
      if (team === end || text.charCodeAt(team) !== 47) return end;
      const bot = runEnd(text, team + 1, isUpperAlnum, work);
      if (bot === team + 1 || text.charCodeAt(bot) !== 47) return end;
      return runEnd(text, bot + 1, isAlnum, work, 1) > bot + 1 ? true : end;
    },
  },
  {
    kinds: "a GitHub token",
    literals: /gh[pousr]_/g,
    check: (text, at, end, work) =>
      startsWord(text, at) && runEnd(text, end, isAlnum, work, 30) - end >= 30 ? true : end,
  },
  {
    kinds: "a client secret or password field",
    literals: /client_?secret|password|api_?token|access_token|refresh_token|signing_secret/gi,
    check(text, at, end, work) {
      if (!startsWord(text, at)) return end;
      // name, an optional quote, spaces, `:` or `=`, spaces, an optional quote, 8+ value characters.
      let next = end;
      if (text.charCodeAt(next) === 34 || text.charCodeAt(next) === 39) next++;
      next = runEnd(text, next, isSpace, work);
      if (text.charCodeAt(next) !== 58 && text.charCodeAt(next) !== 61) return end;
      next = runEnd(text, next + 1, isSpace, work);
      if (text.charCodeAt(next) === 34 || text.charCodeAt(next) === 39) next++;
      return runEnd(text, next, isFieldValue, work, 8) - next >= 8 ? true : end;
    },
  },
  {
    kinds: "a password in a URL (user:password@)",
    literals: /@/g,
    check(text, at, end, work) {
      // RFC 3986 userinfo before the `@`, right after `//`: `https://bob:hunter2@host`. The run walked
      // back holds no `@`, so no later hit walks it again.
      let start = at;
      const stop = Math.max(0, at - MAX_USERINFO_CHARS);
      while (start > stop && isUserinfo(text.charCodeAt(start - 1))) start--;
      work.steps += at - start + 1;
      if (start < 2 || text.charCodeAt(start - 1) !== 47 || text.charCodeAt(start - 2) !== 47) return end;
      return hasPassword(text.slice(start, at)) ? true : end;
    },
  },
  {
    kinds: "a curl user:password (-u)",
    // `-u`, or short options run together ending in u (`-su`, `-sSu`): a bounded run, still constant work per position.
    literals: /--user|-[A-Za-z]{0,8}u/g,
    check(text, at, end, work) {
      // An option starts a word; `--user` is followed by its value, not by `-agent`.
      if (at > 0 && !isSpace(text.charCodeAt(at - 1))) return end;
      let value = runEnd(text, end, isSpace, work, MAX_USERINFO_CHARS);
      if (end - at > 2 && value === end) return end;
      if (text.charCodeAt(value) === 34 || text.charCodeAt(value) === 39) value++;
      const stop = runEnd(text, value, isCurlValue, work, MAX_USERINFO_CHARS);
      return hasPassword(text.slice(value, stop)) ? true : Math.max(stop, end);
    },
  },
];

/** A URL's userinfo or a curl `-u` value longer than this is not looked at further: bounds the walk. */
const MAX_USERINFO_CHARS = 1024;

/** RFC 3986 userinfo: unreserved, percent-escapes, sub-delims and `:`. */
const isUserinfo: CharTest = (code) =>
  isAlnum(code) ||
  code === 45 || // -
  code === 46 || // .
  code === 95 || // _
  code === 126 || // ~
  (code >= 36 && code <= 44) || // $ % & ' ( ) * + ,
  code === 33 || // !
  code === 59 || // ;
  code === 61 || // =
  code === 58; // :

/** A curl option's value: up to a space or a quote. */
const isCurlValue: CharTest = (code) => !isSpace(code) && code !== 34 && code !== 39;

/** `$TOKEN`, `${TOKEN}`, `<api_token>`, `{password}`: a placeholder from docs or a script, not a secret. */
const PLACEHOLDER = /^(?:\$\w+|\$\{\w+\}|<[^>]*>|\{[^}]*\})$/;

/** `user:password` with a password that is not a placeholder; a bare `user` (curl then asks) is none. */
function hasPassword(userinfo: string): boolean {
  const colon = userinfo.indexOf(":");
  if (colon < 0) return false;
  const password = userinfo.slice(colon + 1);
  return password !== "" && !PLACEHOLDER.test(password);
}

/** A Basic credential is checked on its first characters only (a user id is shorter): bounds the decoding. */
const MAX_BASIC_CHARS = 1024;

/** Whether base64 decodes to `user:password`: printable text, a colon after at least one character. */
function decodesToUserPassword(base64: string): boolean {
  let decoded: string;
  try {
    decoded = atob(base64);
  } catch {
    return false;
  }
  const colon = decoded.indexOf(":");
  if (colon < 1 || colon === decoded.length - 1) return false;
  for (let at = 0; at < colon; at++) {
    const code = decoded.charCodeAt(at);
    if (code < 0x20 || code > 0x7e) return false;
  }
  return true;
}

/**
 * Literals every credential above starts with: text without any is clean after one or two scans, the
 * cost of an ordinary request. A family added above needs its literal here.
 */
const ANY_SECRET_EXACT_CASE =
  /AT(?:AT|BB|CT|O[AC])|eyJ|xox[abposr]-|hooks\.slack\.com\/services\/|gh[pousr]_|@|(?:^|\s)-(?:-user|[A-Za-z]{0,8}u)/;
const ANY_SECRET_ANY_CASE =
  /bearer|basic|client_?secret|password|api_?token|access_token|refresh_token|signing_secret/i;

/** The kind of credential in the text, or undefined. */
export function findSecret(text: string, work: Work = { steps: 0 }): string | undefined {
  work.steps += 2 * text.length;
  if (!ANY_SECRET_EXACT_CASE.test(text) && !ANY_SECRET_ANY_CASE.test(text)) return undefined;
  for (const family of FAMILIES) {
    for (let from = 0; from < text.length; ) {
      const at = nextHit(family.literals, text, from, work);
      if (at < 0) break;
      const end = family.literals.lastIndex;
      const found = family.check(text, at, end, work);
      if (found === true) return typeof family.kinds === "string" ? family.kinds : family.kinds(text, at);
      from = Math.max(found, end);
    }
  }
  return undefined;
}

const UTF8 = new TextDecoder();
/** A run of percent-escapes. One quantifier over a fixed-width group: no two ways to match a text. */
const ESCAPES = /(?:%[0-9A-Fa-f]{2})+/g;

/**
 * Every percent-escape decoded, whatever surrounds it: an invalid escape (`%zz`) elsewhere must not
 * leave the rest encoded, as a whole-string `decodeURIComponent` does by throwing. Bytes that are not
 * UTF-8 become U+FFFD. Hono decodes each query parameter alone and keeps a run it cannot decode, and
 * the routes decode each path segment alone: every character they can reveal is revealed here, next
 * to the same neighbours or to a U+FFFD, which is no word character either.
 */
export function decodeEscapes(text: string, work: Work = { steps: 0 }): string {
  work.steps += text.length;
  if (!text.includes("%")) return text;
  return text.replace(ESCAPES, (run) => {
    try {
      return decodeURIComponent(run);
    } catch {
      const bytes = new Uint8Array(run.length / 3);
      for (let index = 0; index < bytes.length; index++)
        bytes[index] = Number.parseInt(run.slice(index * 3 + 1, index * 3 + 3), 16);
      return UTF8.decode(bytes);
    }
  });
}

/**
 * The text as a route may end up reading it: `+` as a space where forms and query strings mean one,
 * then percent-escapes decoded up to three times (a secret encoded twice to slip past one decoding,
 * as a pasted URL in a query parameter is).
 */
export function decodeForScan(text: string, plusIsSpace: boolean, work: Work = { steps: 0 }): string {
  let current = plusIsSpace && text.includes("+") ? text.replaceAll("+", " ") : text;
  for (let round = 0; round < 3 && current.includes("%"); round++) {
    const next = decodeEscapes(current, work);
    if (next === current) break;
    current = next;
  }
  return current;
}

/**
 * The credential in the text as sent or as a route decodes it (see decodeForScan); a text without `%`
 * (or `+`) decodes to itself and is scanned once.
 */
export function findSecretDecoded(text: string, plusIsSpace: boolean, work: Work = { steps: 0 }): string | undefined {
  const found = findSecret(text, work);
  if (found) return found;
  const decoded =
    text.includes("%") || (plusIsSpace && text.includes("+")) ? decodeForScan(text, plusIsSpace, work) : text;
  if (decoded !== text) {
    const inDecoded = findSecret(decoded, work);
    if (inDecoded) return inDecoded;
  }
  // A pasted curl command's words as the shell joins them, as the line reader does (endpoint-input.ts
  // shellWords): `ATAT''T3x…` or `ATAT\T3x…` is one token there, and a scan of the text misses it.
  // Curly quotes too (“ ” ‘ ’): chat apps and word processors write them for straight ones, and the line reader quotes with them.
  if (!CURL_COMMAND.test(decoded) || !SHELL_QUOTING.test(decoded)) return undefined;
  return findSecret(decoded.replace(/\\\r?\n|['"\\\u2018\u2019\u201c\u201d]/g, ""), work);
}

const CURL_COMMAND = /\bcurl\s/i;
const SHELL_QUOTING = /['"\\\u2018\u2019\u201c\u201d]/;

/** Every string in a JSON body, keys too, unescaped (`\u0041TATT...` is `ATATT...`); "" when not JSON. */
export function jsonStrings(body: string): string {
  try {
    const strings: string[] = [];
    const walk = (value: unknown): void => {
      if (typeof value === "string") strings.push(value);
      else if (Array.isArray(value)) value.forEach(walk);
      else if (value && typeof value === "object")
        for (const [key, item] of Object.entries(value)) {
          strings.push(key);
          walk(item);
        }
    };
    walk(JSON.parse(body.charCodeAt(0) === 0xfeff ? body.slice(1) : body));
    return strings.join("\n");
  } catch {
    return "";
  }
}

/**
 * The credential in a request's query or body, read as the routes will read them: the query with `+` as
 * a space and its escapes decoded (Hono decodes each parameter), a form body likewise, a JSON body as
 * sent and, where JSON escaped something (`\u0041TATT...`, a newline as `\n` before a token), with its
 * strings unescaped. The credential guard calls it, and so does the page before it sends a request or
 * writes its address bar (src/page/page-state.ts): the page refuses exactly what the API would.
 */
export function findSecretInRequest({
  query = "",
  body = "",
  form = false,
}: {
  query?: string;
  body?: string;
  form?: boolean;
}): string | undefined {
  return (
    findSecretDecoded(query, true) ??
    findSecretDecoded(body, form) ??
    (body.includes("\\") ? findSecretDecoded(jsonStrings(body), false) : undefined)
  );
}

/** Why a request holding a credential is refused: names the kind of secret, never the text. */
export function credentialMessage(kind: string): string {
  return (
    `The request seems to contain ${kind}. Scope Catalog only needs scope names and URLs: remove the credential and send the request again. ` +
    "If the secret was real, consider it exposed and revoke it. Nothing from this request was stored or logged."
  );
}
