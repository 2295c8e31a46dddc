/**
 * Files given on the command line, read into answer input. No I/O: main reads the text.
 *
 * A file is a HAR document when it is JSON (browser dev tools' "Save all as HAR"), else text with one
 * `METHOD URL` per line. A HAR holds far more than the calls: request and response headers (the
 * Authorization header, cookies), bodies and query strings. Only each entry's method and URL without
 * its query are kept, so what is sent to `--url`, or refused as a credential, is only what the answer
 * reads (parseHar in src/catalog/endpoint-input.ts looks at nothing else).
 */
import { type EndpointRequest, parseEndpointText, parseHar } from "../catalog/endpoint-input";

export type Read<T> = { ok: true; value: T } | { ok: false; usage: string };

/** `{har}` for a HAR file, `{text}` otherwise: the forms POST /plan takes. */
export function planInputOf(name: string, text: string): Read<{ har: unknown } | { text: string }> {
  const json = jsonOf(name, text);
  if (!json.ok) return json;
  return { ok: true, value: json.value === undefined ? { text } : { har: slimHar(json.value) } };
}

/** The endpoints of a HAR or text file, as `{method, path}` (POST /diff takes no HAR). */
export function endpointsOf(name: string, text: string): Read<EndpointRequest[]> {
  const json = jsonOf(name, text);
  if (!json.ok) return json;
  if (json.value === undefined) return { ok: true, value: parseEndpointText(text) };
  const har = parseHar(slimHar(json.value));
  if ("error" in har) return { ok: false, usage: `${name}: ${har.error}` };
  return { ok: true, value: har.requests };
}

/** A scopes file: JSON (a list, or the admin API's token list) as parsed, else the text as typed. */
export function scopesOf(name: string, text: string): Read<unknown> {
  const json = jsonOf(name, text);
  if (!json.ok) return json;
  return { ok: true, value: json.value ?? text };
}

/** The parsed document when the text is JSON, undefined when it does not look like JSON. */
function jsonOf(name: string, text: string): Read<unknown> {
  const start = text.trimStart()[0];
  if (start !== "{" && start !== "[") return { ok: true, value: undefined };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    return {
      ok: false,
      usage: `${name} starts like JSON but does not parse (${error instanceof Error ? error.message : String(error)}); a HAR file is JSON, anything else is read as METHOD URL lines.`,
    };
  }
}

/**
 * The HAR with each entry reduced to its request's method and URL (query and fragment cut), entries
 * kept in place so the answer still counts the ignored ones. The forms parseHar accepts: the document,
 * its `log`, or the entries list.
 */
export function slimHar(har: unknown): unknown {
  const root = har as { log?: { entries?: unknown }; entries?: unknown } | unknown[] | null;
  const entries = Array.isArray(root) ? root : (root?.log?.entries ?? root?.entries);
  if (!Array.isArray(entries)) return {};
  return {
    log: {
      entries: entries.map((entry) => {
        const request = (entry as { request?: { method?: unknown; url?: unknown } } | null)?.request;
        if (typeof request?.method !== "string" || typeof request.url !== "string") return {};
        return { request: { method: request.method, url: request.url.replace(/[?#].*$/s, "") } };
      }),
    },
  };
}
