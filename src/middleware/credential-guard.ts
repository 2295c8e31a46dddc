/**
 * Credentials never enter the system: a query or body holding something shaped like a secret is
 * refused before any handler sees it. Only scope names are needed, and the secret is never echoed.
 */
import type { MiddlewareHandler } from "hono";
import { ApiError } from "../errors";
import type { AppEnv } from "../routes/shared";

/** What each pattern is, for the message; never the matched text. */
const SECRET_SHAPES: readonly { kind: string; pattern: RegExp }[] = [
  { kind: "an Atlassian API token", pattern: /\bATAT[A-Za-z0-9_\-=]{20,}/ },
  { kind: "an Atlassian OAuth client secret or token", pattern: /\bATO[AC][A-Za-z0-9_\-=]{20,}/ },
  { kind: "a JSON Web Token", pattern: /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/ },
  { kind: "a Bearer authorization header", pattern: /\bBearer\s+[A-Za-z0-9._~+/-]{16,}=*/i },
  { kind: "a Basic authorization header", pattern: /\bBasic\s+[A-Za-z0-9+/]{12,}={0,2}/ },
  { kind: "a Slack token", pattern: /\bxox[abposr]-[A-Za-z0-9-]{10,}/ },
  { kind: "a Slack webhook URL", pattern: /hooks\.slack\.com\/services\/[A-Z0-9]+\/[A-Z0-9]+\/[A-Za-z0-9]+/ },
  { kind: "a GitHub token", pattern: /\bgh[pousr]_[A-Za-z0-9]{30,}/ },
  {
    kind: "a client secret or password field",
    pattern:
      /["']?\b(client_secret|clientSecret|password|api_token|apiToken|access_token|refresh_token|signing_secret)["']?\s*[:=]\s*["']?[^"'\s,&}]{8,}/i,
  },
];

/**
 * Text that every match of some pattern above contains: the literal each one starts with (or, for the
 * field names, the names). Two scans of a 6 KB body instead of nine; a text with neither holds no
 * secret. A pattern added above needs its literal here.
 */
const ANY_SECRET_EXACT_CASE = /ATAT|ATO[AC]|eyJ|Basic|xox|hooks\.slack\.com\/services\/|gh[pousr]_/;
const ANY_SECRET_ANY_CASE = /bearer|client_?secret|password|api_?token|access_token|refresh_token|signing_secret/i;

/** The kind of secret found in the text, or undefined. */
export function findSecret(text: string): string | undefined {
  if (!ANY_SECRET_EXACT_CASE.test(text) && !ANY_SECRET_ANY_CASE.test(text)) return undefined;
  for (const { kind, pattern } of SECRET_SHAPES) if (pattern.test(text)) return kind;
  return undefined;
}

/** Percent-decodes until stable (at most three times): a secret may be encoded twice to slip past one decoding. */
function decodeFully(text: string): string {
  let current = text;
  for (let round = 0; round < 3; round++) {
    // Nothing left to decode: another round would give the same text (30 us saved on a 6 KB body).
    if (!current.includes("%") && !current.includes("+")) return current;
    let next: string;
    try {
      next = decodeURIComponent(current.replace(/\+/g, " "));
    } catch {
      return current;
    }
    if (next === current) return current;
    current = next;
  }
  return current;
}

/**
 * What a body could hide from a scan of its raw text: its JSON strings unescaped, then percent-decoded.
 * A body without `\\`, `%` or `+` hides nothing (its strings are verbatim substrings), so it is not
 * parsed again.
 */
function hiddenText(body: string): string {
  if (!body.includes("\\") && !body.includes("%") && !body.includes("+")) return "";
  return decodeFully(body.includes("\\") ? jsonStrings(body) : body);
}

/** Every string in a JSON body, unescaped: `\u0041TATT...` is `ATATT...` once parsed. */
function jsonStrings(body: string): string {
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

export const credentialGuard: MiddlewareHandler<AppEnv> = async function credentialGuard(c, next) {
  const url = c.req.url;
  const mark = url.indexOf("?");
  const query = mark >= 0 ? decodeFully(url.slice(mark + 1)) : "";
  const path = decodeFully(new URL(url).pathname);
  let body = c.req.method === "POST" ? await c.req.text() : "";
  // Slack posts forms (`Bearer+abc` is `Bearer abc` once decoded); JSON may escape characters.
  if (/application\/x-www-form-urlencoded/i.test(c.req.header("content-type") ?? "")) body = decodeFully(body);
  const inPath = findSecret(path);
  if (inPath) c.set("loggedPath", "(path withheld: it held a credential)");
  const kind = inPath ?? findSecret(query) ?? findSecret(body) ?? findSecret(hiddenText(body));
  if (kind) {
    throw new ApiError(
      400,
      "credential_detected",
      `The request seems to contain ${kind}. Scope Catalog only needs scope names and URLs: remove the credential and send the request again. ` +
        "If the secret was real, consider it exposed and revoke it. Nothing from this request was stored or logged.",
    );
  }
  await next();
};
