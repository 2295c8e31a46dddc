/**
 * Answers from a deployed instance over its HTTP API (README.md, /openapi.json): GET /scopes and
 * /endpoints with the input as query parameters, POST /diff, /plan and /explain with it as the JSON
 * body; `?format=text` or `?format=json`. Never throws: an unreachable or failing instance is a Reply.
 */
import { parseErrorText } from "../views/error-text";
import { textLines } from "../views/escape";
import type { Kind } from "./command-line";
import type { Answerer, ApiErrorBody, Reply } from "./reply";

/** One deadline for the whole exchange: a CI step should fail, not hang. */
const DEADLINE_MS = 30_000;

const ROUTES: Record<Kind, { method: "GET" | "POST"; path: string }> = {
  lookup: { method: "GET", path: "/scopes" },
  reverse: { method: "GET", path: "/endpoints" },
  diff: { method: "POST", path: "/diff" },
  plan: { method: "POST", path: "/plan" },
  explain: { method: "POST", path: "/explain" },
};

/** The answerer over the instance at `base` (no trailing slash), through `fetch`. */
export function remoteAnswerer(base: string, fetch: typeof globalThis.fetch = globalThis.fetch): Answerer {
  return async function answerRemotely(kind, input, format): Promise<Reply> {
    const route = ROUTES[kind];
    const url = new URL(`${base}${route.path}`);
    if (route.method === "GET")
      for (const [name, value] of Object.entries(input)) url.searchParams.set(name, String(value));
    url.searchParams.set("format", format);
    let response: Response;
    let body: string;
    try {
      response = await fetch(url, {
        method: route.method,
        headers: {
          accept: format === "text" ? "text/plain" : "application/json",
          ...(route.method === "POST" ? { "content-type": "application/json" } : {}),
        },
        ...(route.method === "POST" ? { body: JSON.stringify(input) } : {}),
        signal: AbortSignal.timeout(DEADLINE_MS),
      });
      body = await response.text();
    } catch (error) {
      const reason =
        error instanceof Error && error.name === "TimeoutError" ? "no answer in 30 s" : unreachableReason(error);
      return unreachable(`${base} could not be reached: ${reason}`);
    }
    if (!response.ok) return { ok: false, status: response.status, error: errorOf(url, response, body) };
    // The API's text is already one value per line; an instance that is not ours cannot hide text in a terminal.
    if (format === "text") return { ok: true, format, text: textLines(body.replace(/\n$/, "").split("\n")) };
    try {
      return { ok: true, format, json: JSON.parse(body) };
    } catch {
      return unreachable(`${url.origin}${url.pathname} answered ${response.status} with a body that is not JSON.`);
    }
  };
}

function unreachable(message: string): Reply {
  return { ok: false, status: 0, error: { code: "unreachable", message } };
}

/**
 * The API's error body (JSON, or the text an instance answers to `format=text`), or one made up from the
 * status when the body is not the API's (a proxy's page).
 */
function errorOf(url: URL, response: Response, body: string): ApiErrorBody {
  try {
    const error = (JSON.parse(body) as { error?: ApiErrorBody }).error;
    if (typeof error?.code === "string" && typeof error.message === "string") return error;
  } catch {
    // Asked for text, an instance answers its errors as text too (`error: <code>`, the message, details).
    const error = parseErrorText(body);
    if (error) return error;
  }
  return {
    code: `http_${response.status}`,
    message: `${url.origin}${url.pathname} answered ${response.status} ${response.statusText}`.trim(),
  };
}

/** Why fetch failed, in the system's words (`ECONNREFUSED`, `ENOTFOUND`): Node's message is only "fetch failed". */
function unreachableReason(error: unknown): string {
  type Cause = { code?: unknown; message?: unknown; errors?: Cause[] };
  const outer = (error as { cause?: Cause } | undefined)?.cause;
  // Both of localhost's addresses refused: an AggregateError with one error per address.
  const cause =
    typeof outer?.code === "string" ? outer : (outer?.errors?.find((each) => typeof each?.code === "string") ?? outer);
  const code = typeof cause?.code === "string" ? cause.code : undefined;
  const known: Record<string, string> = {
    ECONNREFUSED: "the connection was refused (is the instance running on that port?)",
    ENOTFOUND: "the host name does not resolve",
    ECONNRESET: "the connection was reset",
    CERT_HAS_EXPIRED: "its TLS certificate has expired",
  };
  const detail = typeof cause?.message === "string" && cause !== error ? cause.message : undefined;
  if (code && known[code]) return known[code];
  if (code) return `${code}${detail ? ` (${detail})` : ""}`;
  const message = error instanceof Error ? error.message : String(error);
  return detail ? `${message} (${detail})` : message;
}
