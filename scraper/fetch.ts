/**
 * HTTP layer of the scraper: fetches one published Atlassian document (an
 * OpenAPI JSON file or a reference page) with an allowlist, a size cap, a
 * timeout and conditional-request support.
 *
 * Runs unchanged in Cloudflare Workers (workerd) and Node 20, so it uses only
 * web-standard APIs. It never throws or rejects: every failure comes back as a
 * value with a stable `reason` for code and a `message` for people.
 */

/** The subset of `fetch` this module needs; tests pass a fake. */
export type FetchLike = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/** Hosts Atlassian publishes REST documents and reference pages on. */
export const ALLOWED_HOSTS: readonly string[] = Object.freeze(["dac-static.atlassian.com", "developer.atlassian.com"]);

const USER_AGENT = "scope-catalog/0.1 (catalog of Atlassian Cloud OAuth scopes)";

/** Options for {@link fetchDocument}. Invalid numbers fall back to the defaults. */
export interface FetchDocumentOptions {
  /** Fetch implementation; defaults to the global `fetch`, looked up at call time. */
  fetch?: FetchLike;
  /** Limit in ms for the whole exchange: every redirect hop and reading the body. Default 30 000. */
  timeoutMs?: number;
  /** Largest body accepted, in bytes after any content decoding. Default 16 MiB. */
  maxBytes?: number;
  /** Hosts that may be contacted, matched exactly (a non-default port does not match). https only. Default {@link ALLOWED_HOSTS}. */
  allowedHosts?: readonly string[];
  /** Redirects followed before giving up with `too_many_redirects`. Default 3. */
  maxRedirects?: number;
  /** Validator from a previous fetch, sent as `If-None-Match`. */
  etag?: string;
  /** Validator from a previous fetch, sent as `If-Modified-Since`. */
  lastModified?: string;
  /** `Accept` header. Default `application/json`; when it mentions JSON an HTML body is refused with `not_json`. */
  accept?: string;
  /** Keep the body as bytes (`data`, for a tarball) instead of decoding it as text (`text` is then empty). */
  binary?: boolean;
}

/** Stable machine-readable failure reasons of {@link fetchDocument}. */
export type FetchFailureReason =
  | "invalid_url"
  | "host_not_allowed"
  | "network_error"
  | "timeout"
  | "http_error"
  | "too_large"
  | "too_many_redirects"
  | "not_json";

/**
 * Outcome of {@link fetchDocument}. `url` is always the URL the caller asked
 * for, exactly as given; `finalUrl` is where the body came from after redirects.
 */
export type FetchDocumentResult =
  | {
      ok: true;
      status: "fetched";
      url: string;
      finalUrl: string;
      text: string;
      /** The body as received, with `binary`. */
      data?: Uint8Array;
      bytes: number;
      etag?: string;
      lastModified?: string;
      contentType?: string;
    }
  | { ok: true; status: "not_modified"; url: string; etag?: string; lastModified?: string }
  | { ok: false; reason: FetchFailureReason; message: string; url: string; httpStatus?: number };

type Failure = Extract<FetchDocumentResult, { ok: false }>;

const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_MAX_BYTES = 16 * 1024 * 1024;
const DEFAULT_MAX_REDIRECTS = 3;
const DEFAULT_ACCEPT = "application/json";
const REDIRECT_STATUSES: ReadonlySet<number> = new Set([301, 302, 303, 307, 308]);

/** Resolved value of the timeout race; a symbol so it cannot collide with a real result. */
const TIMED_OUT: unique symbol = Symbol("timed out");
type TimedOut = typeof TIMED_OUT;

/** A promise outcome that never rejects, so a late rejection is never unhandled. */
type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };

/**
 * Fetches one document over https from an allowlisted host.
 *
 * Redirects are followed by hand so every hop is checked against the
 * allowlist. A 304 answer to the conditional headers gives `not_modified`
 * (its validators fall back to the ones sent when the 304 omits them, so the
 * caller can always store what it gets back). The body is read as a stream
 * with a byte cap and decoded as UTF-8 without a BOM; it is not parsed.
 *
 * @param url absolute https URL of the document.
 * @returns a result value; the promise never rejects.
 */
export async function fetchDocument(url: string, options: FetchDocumentOptions = {}): Promise<FetchDocumentResult> {
  const fail = (reason: FetchFailureReason, message: string, httpStatus?: number): Failure =>
    httpStatus === undefined ? { ok: false, reason, message, url } : { ok: false, reason, message, url, httpStatus };

  const allowedHosts = (options.allowedHosts ?? ALLOWED_HOSTS).map((h) => h.toLowerCase());

  // Refuse bad input before anything touches the network.
  const initial = checkUrl(url, undefined, allowedHosts);
  if (!initial.ok) return fail(initial.reason, initial.message);

  const timeoutMs = numberOption(options.timeoutMs, DEFAULT_TIMEOUT_MS, 1);
  const maxBytes = numberOption(options.maxBytes, DEFAULT_MAX_BYTES, 0);
  const maxRedirects = numberOption(options.maxRedirects, DEFAULT_MAX_REDIRECTS, 0);
  const accept = options.accept ?? DEFAULT_ACCEPT;
  // Looked up per call rather than bound at import, so a stubbed global is honoured.
  const fetchImpl: FetchLike = options.fetch ?? ((input, init) => globalThis.fetch(input, init));

  // Identify ourselves to Atlassian's CDN, which may treat anonymous Worker requests differently.
  const headers: Record<string, string> = { Accept: accept, "User-Agent": USER_AGENT };
  if (options.etag !== undefined) headers["If-None-Match"] = options.etag;
  if (options.lastModified !== undefined) headers["If-Modified-Since"] = options.lastModified;

  // One deadline for the whole exchange, not per hop, so a slow redirect chain cannot stretch it.
  const controller = new AbortController();
  const { signal } = controller;
  // Resolves (never rejects) on abort; raced against every await so a fetch or
  // stream that ignores the signal still cannot hang us.
  const timedOut = new Promise<TimedOut>((resolve) => {
    signal.addEventListener("abort", () => resolve(TIMED_OUT), { once: true });
  });
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  const timeoutFailure = (): Failure =>
    fail(
      "timeout",
      `request to ${url} timed out after ${timeoutMs} ms (the limit covers redirects and reading the body)`,
    );

  try {
    let current = initial.url;
    let redirects = 0;
    for (;;) {
      const pending = settle(
        // Call inside settle's try so a fetch that throws synchronously is also caught.
        () => fetchImpl(current.href, { method: "GET", headers, redirect: "manual", signal }),
      );
      const sent = await Promise.race([pending, timedOut]);
      if (sent === TIMED_OUT) {
        // The fetch may still answer later; drop that body so the connection is freed.
        void pending.then((late) => {
          if (late.ok) discardBody(late.value);
        });
        return timeoutFailure();
      }
      if (!sent.ok) {
        // A real fetch rejects with an AbortError when our timer fires; the race
        // normally reports TIMED_OUT first, this keeps the reason right regardless.
        if (signal.aborted) return timeoutFailure();
        return fail("network_error", `request to ${current.href} failed: ${describeError(sent.error)}`);
      }

      const response = sent.value;
      const status = response.status;

      if (REDIRECT_STATUSES.has(status)) {
        discardBody(response);
        const location = response.headers.get("location");
        if (location === null) {
          return fail("http_error", `HTTP ${status} redirect from ${current.href} has no Location header`, status);
        }
        if (redirects >= maxRedirects) {
          return fail(
            "too_many_redirects",
            `gave up after ${maxRedirects} redirect${maxRedirects === 1 ? "" : "s"}: ${current.href} redirects again to ${location}`,
            status,
          );
        }
        const next = checkUrl(location, current, allowedHosts);
        if (!next.ok) {
          return fail(next.reason, `redirect from ${current.href} refused: ${next.message}`, status);
        }
        redirects += 1;
        current = next.url;
        continue;
      }

      if (status === 304) {
        discardBody(response);
        const etag = response.headers.get("etag") ?? options.etag;
        const lastModified = response.headers.get("last-modified") ?? options.lastModified;
        return {
          ok: true,
          status: "not_modified",
          url,
          ...(etag !== undefined ? { etag } : {}),
          ...(lastModified !== undefined ? { lastModified } : {}),
        };
      }

      if (status < 200 || status > 299) {
        discardBody(response);
        const text = response.statusText ? ` ${response.statusText}` : "";
        return fail("http_error", `HTTP ${status}${text} from ${current.href}`, status);
      }

      // Trust a declared length to refuse early, but still count bytes below:
      // the header can be absent, wrong, or describe the compressed size.
      const declared = parseContentLength(response.headers.get("content-length"));
      if (declared !== undefined && declared > maxBytes) {
        discardBody(response);
        return fail(
          "too_large",
          `${current.href} declares ${declared} bytes (Content-Length), over the ${maxBytes}-byte limit`,
          status,
        );
      }

      const body = await readBody(response.body, maxBytes, timedOut, options.binary === true);
      switch (body.kind) {
        case "timeout":
          return timeoutFailure();
        case "too_large":
          return fail(
            "too_large",
            `${current.href} sent more than ${maxBytes} bytes; stopped reading at ${body.bytes}`,
            status,
          );
        case "error":
          if (signal.aborted) return timeoutFailure();
          return fail("network_error", `reading the body of ${current.href} failed: ${body.message}`, status);
        case "ok":
          break;
      }

      const contentType = response.headers.get("content-type") ?? undefined;
      // CDNs sometimes serve an HTML error page with status 200; catch it here
      // with a cheap prefix test instead of a full parse of a multi-MB document.
      if (!options.binary && /json/i.test(accept) && /^\s*</.test(body.text)) {
        const mediaType = contentType?.split(";")[0]?.trim();
        return fail(
          "not_json",
          `expected a JSON document but got HTML (${mediaType ? `content-type ${mediaType}` : "no content-type"}) from ${current.href}`,
          status,
        );
      }

      const etag = response.headers.get("etag") ?? undefined;
      const lastModified = response.headers.get("last-modified") ?? undefined;
      return {
        ok: true,
        status: "fetched",
        url,
        finalUrl: current.href,
        text: body.text,
        ...(body.data ? { data: body.data } : {}),
        bytes: body.bytes,
        ...(etag !== undefined ? { etag } : {}),
        ...(lastModified !== undefined ? { lastModified } : {}),
        ...(contentType !== undefined ? { contentType } : {}),
      };
    }
  } catch (error) {
    // Not expected to happen (every await above is settled); keeps the never-throws promise.
    return fail("network_error", `unexpected error fetching ${url}: ${describeError(error)}`);
  } finally {
    clearTimeout(timer);
  }
}

type UrlCheck = { ok: true; url: URL } | { ok: false; reason: "invalid_url" | "host_not_allowed"; message: string };

/** Parses `raw` (relative to `base` for a redirect) and applies the https + host allowlist policy. */
function checkUrl(raw: string, base: URL | undefined, allowedHosts: readonly string[]): UrlCheck {
  let parsed: URL;
  try {
    parsed = base === undefined ? new URL(raw) : new URL(raw, base);
  } catch {
    return { ok: false, reason: "invalid_url", message: `${JSON.stringify(raw)} is not a valid URL` };
  }
  if (parsed.protocol !== "https:") {
    return {
      ok: false,
      reason: "invalid_url",
      message: `only https: URLs are fetched, got ${parsed.protocol} in ${parsed.href}`,
    };
  }
  // `host` includes a non-default port, so "host:8443" never matches a bare allowlisted name.
  if (!allowedHosts.includes(parsed.host)) {
    return {
      ok: false,
      reason: "host_not_allowed",
      message: `host ${parsed.host} is not in the allowlist (${allowedHosts.join(", ") || "empty"})`,
    };
  }
  return { ok: true, url: parsed };
}

type BodyOutcome =
  | { kind: "ok"; text: string; data?: Uint8Array; bytes: number }
  | { kind: "too_large"; bytes: number }
  | { kind: "timeout" }
  | { kind: "error"; message: string };

/** Streams the body, counting bytes and decoding UTF-8 as it goes; cancels the stream on any early exit. */
async function readBody(
  body: ReadableStream | null,
  maxBytes: number,
  timedOut: Promise<TimedOut>,
  binary = false,
): Promise<BodyOutcome> {
  if (body === null) return { kind: "ok", text: "", bytes: 0 };

  let reader: ReadableStreamDefaultReader;
  try {
    reader = body.getReader();
  } catch (error) {
    return { kind: "error", message: describeError(error) };
  }
  const stop = (): void => {
    // Cancelling also settles a read that is still pending.
    reader.cancel().catch(() => undefined);
  };

  // ignoreBOM keeps a BOM in the output so it is stripped explicitly below,
  // the same way on every runtime.
  const decoder = new TextDecoder("utf-8", { fatal: false, ignoreBOM: true });
  let text = "";
  let bytes = 0;
  const chunks: Uint8Array[] = [];
  for (;;) {
    const step = await Promise.race([settle(() => reader.read()), timedOut]);
    if (step === TIMED_OUT) {
      stop();
      return { kind: "timeout" };
    }
    if (!step.ok) {
      stop();
      return { kind: "error", message: describeError(step.error) };
    }
    const { done, value } = step.value as { done: boolean; value?: unknown };
    if (done) break;
    if (!ArrayBuffer.isView(value)) {
      stop();
      return { kind: "error", message: "the body stream produced a chunk that is not bytes" };
    }
    bytes += value.byteLength;
    if (bytes > maxBytes) {
      stop();
      return { kind: "too_large", bytes };
    }
    if (binary) chunks.push(new Uint8Array(value.buffer, value.byteOffset, value.byteLength));
    else text += decoder.decode(value, { stream: true });
  }
  if (binary) {
    const data = new Uint8Array(bytes);
    let offset = 0;
    for (const chunk of chunks) {
      data.set(chunk, offset);
      offset += chunk.byteLength;
    }
    return { kind: "ok", text: "", data, bytes };
  }
  text += decoder.decode();
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return { kind: "ok", text, bytes };
}

/** Runs `start` and captures its outcome, including a synchronous throw, as a value. */
function settle<T>(start: () => Promise<T>): Promise<Settled<T>> {
  try {
    return start().then(
      (value): Settled<T> => ({ ok: true, value }),
      (error: unknown): Settled<T> => ({ ok: false, error }),
    );
  } catch (error) {
    return Promise.resolve({ ok: false, error });
  }
}

/** Cancels an unread body so the runtime can release the connection. */
function discardBody(response: Response): void {
  try {
    if (response.body !== null && !response.body.locked) response.body.cancel().catch(() => undefined);
  } catch {
    // Nothing useful to do; the body is being dropped anyway.
  }
}

function parseContentLength(value: string | null): number | undefined {
  if (value === null || !/^\s*\d+\s*$/.test(value)) return undefined;
  return Number(value);
}

/** Accepts a finite number at or above `min`; anything else means "use the default". */
function numberOption(value: number | undefined, fallback: number, min: number): number {
  return value !== undefined && Number.isFinite(value) && value >= min ? value : fallback;
}

/** Error message plus its `cause` (undici hides the DNS or socket error there behind "fetch failed"). */
function describeError(error: unknown): string {
  if (error instanceof Error) {
    const cause: unknown = error.cause;
    if (cause instanceof Error && cause.message && cause.message !== error.message) {
      return `${error.message} (${cause.message})`;
    }
    return error.message || error.name;
  }
  return String(error);
}
