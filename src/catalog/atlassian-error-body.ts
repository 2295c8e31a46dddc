/**
 * What an Atlassian error body says, read the way a person would: its messages and the symptoms
 * /explain acts on. Bodies come from every product (Jira's `errorMessages`, the gateway's `message`,
 * Bitbucket's `error.message` with `detail.required`/`granted`, Confluence v2's `errors[].title`, OAuth's
 * `error_description`) or as plain text. No I/O; the input is bounded by the request schema (64 KiB).
 */

export interface ErrorBody {
  /** The human-readable messages found, in order, at most MAX_MESSAGES. */
  messages: string[];
  /** `Unauthorized; scope does not match`: the API gateway's scope check (Jira, Confluence, JSM). */
  scopeMismatch: boolean;
  /** Bitbucket's 403 when the token lacks a scope. */
  privilegeScopes: boolean;
  /** Bitbucket's `detail.required` and `detail.granted` (scope names), when the body carries them. */
  required?: string[];
  granted?: string[];
  /** A 410 text: Jira's "The requested API has been removed", Confluence's GoneException. */
  removed: boolean;
  /** A path the body points to instead (`Please migrate to the /rest/api/3/search/jql API`). */
  replacementPath?: string;
  /** Basic auth with the account password, which Atlassian Cloud no longer accepts. */
  passwordRefused: boolean;
  /** "Issue does not exist or you do not have permission to see it", and the like. */
  notVisible: boolean;
  /** A scoped token sent to a site URL: "Failed to parse Connect Session Auth Token". */
  connectSession: boolean;
  /** "Current user not permitted to use Confluence": the account has no access to the product. */
  noProductAccess: boolean;
  /**
   * The product's own JSON error, not the gateway's: Jira's `{"errorMessages": [...]}`, Jira Service
   * Management's `{"errorMessage": ..., "i18nErrorMessage": {...}}` or Confluence's
   * `{"statusCode": 403, "message": ...}`, naming no scope.
   */
  productRefusal: boolean;
}

const MAX_MESSAGES = 5;
const MAX_MESSAGE_LENGTH = 300;

// Real texts, each cited in test/fixtures/atlassian-errors.ts.
const SCOPE_MISMATCH = /scope does not match/i;
const PRIVILEGE_SCOPES = /lack one or more required privilege scopes/i;
const REMOVED = /has been removed|GoneException/i;
const PASSWORD_REFUSED = /Basic authentication with passwords is deprecated/i;
const NOT_VISIBLE = /does not exist or you do not have permission|do not have permission to see/i;
const CONNECT_SESSION = /Connect Session Auth Token/i;
const NO_PRODUCT_ACCESS = /not permitted to use (?:Confluence|Jira)/i;
// "migrate to the /rest/api/3/search/jql API", "use /wiki/api/v2/pages instead".
const REPLACEMENT = /(?:migrate to|use)\s+(?:the\s+)?(\/(?:wiki\/)?(?:rest|api)\/[A-Za-z0-9_./{}-]{1,200})/i;

export function readErrorBody(body: string | undefined): ErrorBody {
  const text = body ?? "";
  const parsed = parseJson(text);
  const messages: string[] = [];
  let required: string[] | undefined;
  let granted: string[] | undefined;
  if (parsed !== undefined) {
    collectMessages(parsed, messages);
    const detail = at(parsed, "error", "detail");
    required = scopeList(at(detail, "required"));
    granted = scopeList(at(detail, "granted"));
  }
  if (messages.length === 0 && text.trim() !== "" && parsed === undefined) messages.push(clip(text.trim()));
  // The patterns run on the messages when the body is JSON (keys never match), else on the text.
  const haystack = parsed === undefined ? text : messages.join("\n");
  return {
    messages,
    scopeMismatch: SCOPE_MISMATCH.test(haystack),
    privilegeScopes: PRIVILEGE_SCOPES.test(haystack),
    required,
    granted,
    removed: REMOVED.test(haystack),
    replacementPath: REPLACEMENT.exec(haystack)?.[1]?.replace(/[.]+$/, ""),
    passwordRefused: PASSWORD_REFUSED.test(haystack),
    notVisible: NOT_VISIBLE.test(haystack),
    connectSession: CONNECT_SESSION.test(haystack),
    noProductAccess: NO_PRODUCT_ACCESS.test(haystack),
    productRefusal: productShaped(parsed) && messages.length > 0 && !/scope/i.test(haystack),
  };
}

function productShaped(parsed: unknown): boolean {
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) return false;
  const record = parsed as Record<string, unknown>;
  return (
    (Array.isArray(record.errorMessages) && record.errorMessages.length > 0) ||
    // Jira Service Management's ErrorResponse (its document's schema): `errorMessage`, `i18nErrorMessage`.
    (typeof record.errorMessage === "string" && typeof record.i18nErrorMessage === "object") ||
    (typeof record.statusCode === "number" && typeof record.message === "string")
  );
}

function parseJson(text: string): unknown {
  const start = text.trimStart()[0];
  if (start !== "{" && start !== "[") return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

const MESSAGE_KEYS = ["message", "errorMessage", "error_description", "title", "detail"] as const;

/** Messages at the places Atlassian puts them; nested at most two levels, so the walk is bounded. */
function collectMessages(value: unknown, into: string[], depth = 0): void {
  if (into.length >= MAX_MESSAGES || depth > 2 || value === null || typeof value !== "object") return;
  if (Array.isArray(value)) {
    for (const item of value.slice(0, MAX_MESSAGES)) {
      if (typeof item === "string") push(into, item);
      else collectMessages(item, into, depth + 1);
    }
    return;
  }
  const record = value as Record<string, unknown>;
  for (const key of MESSAGE_KEYS) if (typeof record[key] === "string") push(into, record[key]);
  if (Array.isArray(record.errorMessages)) collectMessages(record.errorMessages, into, depth + 1);
  if (record.errors && typeof record.errors === "object") {
    if (Array.isArray(record.errors)) collectMessages(record.errors, into, depth + 1);
    else
      for (const [field, message] of Object.entries(record.errors).slice(0, MAX_MESSAGES))
        if (typeof message === "string") push(into, `${field}: ${message}`);
  }
  if (record.error && typeof record.error === "object") collectMessages(record.error, into, depth + 1);
  else if (typeof record.error === "string" && typeof record.error_description !== "string") push(into, record.error);
}

function push(into: string[], message: string): void {
  const trimmed = message.trim();
  if (trimmed !== "" && into.length < MAX_MESSAGES && !into.includes(trimmed)) into.push(clip(trimmed));
}

function clip(text: string): string {
  return text.length > MAX_MESSAGE_LENGTH ? `${text.slice(0, MAX_MESSAGE_LENGTH - 1)}…` : text;
}

function at(value: unknown, ...keys: string[]): unknown {
  let current = value;
  for (const key of keys) {
    if (current === null || typeof current !== "object" || Array.isArray(current)) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

function scopeList(value: unknown): string[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const names = value.filter((item): item is string => typeof item === "string" && /^[\w:.-]{1,100}$/.test(item));
  return names.length > 0 ? names.slice(0, 100) : undefined;
}
