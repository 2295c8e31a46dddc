import { afterEach, describe, expect, it, vi } from "vitest";
import { ALLOWED_HOSTS, fetchDocument, type FetchLike } from "../../scraper/fetch";

const DOC_URL = "https://dac-static.atlassian.com/cloud/jira/platform/swagger-v3.v3.json";
const JSON_BODY = '{"openapi":"3.0.1","paths":{}}';

type Call = { url: string; init: RequestInit | undefined };
type Handler = (url: string, init: RequestInit | undefined) => Response | Promise<Response>;

/** A fake fetch that records every call and answers from `handler`. */
function fakeFetch(handler: Handler): { fetch: FetchLike; calls: Call[] } {
  const calls: Call[] = [];
  const fetch: FetchLike = async (input, init) => {
    const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    calls.push({ url, init });
    return handler(url, init);
  };
  return { fetch, calls };
}

function headerOf(call: Call | undefined, name: string): string | null {
  return new Headers(call?.init?.headers).get(name);
}

/** A body stream with no Content-Length that counts pulls and records cancellation. */
function countingStream(
  chunkSize: number,
  chunks: number,
): {
  stream: ReadableStream<Uint8Array>;
  state: { pulls: number; cancelled: boolean };
} {
  const state = { pulls: 0, cancelled: false };
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      state.pulls += 1;
      if (state.pulls > chunks) controller.close();
      else controller.enqueue(new Uint8Array(chunkSize).fill(0x20));
    },
    cancel() {
      state.cancelled = true;
    },
  });
  return { stream, state };
}

describe("fetchDocument", () => {
  it("exports the Atlassian hosts as the default allowlist", () => {
    expect(ALLOWED_HOSTS).toEqual(["dac-static.atlassian.com", "developer.atlassian.com"]);
  });

  it("returns a 200 JSON body with its validators and content type", async () => {
    const fake = fakeFetch(
      () =>
        new Response(JSON_BODY, {
          status: 200,
          headers: {
            "content-type": "application/json; charset=utf-8",
            etag: '"abc"',
            "last-modified": "Wed, 01 May 2024 10:00:00 GMT",
          },
        }),
    );
    const result = await fetchDocument(DOC_URL, { fetch: fake.fetch });
    expect(result).toEqual({
      ok: true,
      status: "fetched",
      url: DOC_URL,
      finalUrl: DOC_URL,
      text: JSON_BODY,
      bytes: JSON_BODY.length,
      etag: '"abc"',
      lastModified: "Wed, 01 May 2024 10:00:00 GMT",
      contentType: "application/json; charset=utf-8",
    });
    expect(fake.calls).toHaveLength(1);
    expect(fake.calls[0]?.init?.redirect).toBe("manual");
    expect(fake.calls[0]?.init?.signal).toBeInstanceOf(AbortSignal);
    expect(headerOf(fake.calls[0], "accept")).toBe("application/json");
    // No validators given, so no conditional headers.
    expect(headerOf(fake.calls[0], "if-none-match")).toBeNull();
    expect(headerOf(fake.calls[0], "if-modified-since")).toBeNull();
  });

  it("counts bytes, not characters, for multi-byte UTF-8", async () => {
    const body = '{"name":"Zuständigkeit ✓"}';
    const fake = fakeFetch(() => new Response(body));
    const result = await fetchDocument(DOC_URL, { fetch: fake.fetch });
    expect(result).toMatchObject({ ok: true, status: "fetched", text: body });
    if (result.ok && result.status === "fetched") {
      expect(result.bytes).toBe(new TextEncoder().encode(body).byteLength);
      expect(result.bytes).toBeGreaterThan(body.length);
    }
  });

  it("sends If-None-Match and If-Modified-Since and maps 304 to not_modified", async () => {
    const fake = fakeFetch(() => new Response(null, { status: 304, headers: { etag: '"v2"' } }));
    const result = await fetchDocument(DOC_URL, {
      fetch: fake.fetch,
      etag: '"v1"',
      lastModified: "Tue, 30 Apr 2024 08:00:00 GMT",
    });
    expect(headerOf(fake.calls[0], "if-none-match")).toBe('"v1"');
    expect(headerOf(fake.calls[0], "if-modified-since")).toBe("Tue, 30 Apr 2024 08:00:00 GMT");
    // The 304's own ETag wins; Last-Modified falls back to the one sent.
    expect(result).toEqual({
      ok: true,
      status: "not_modified",
      url: DOC_URL,
      etag: '"v2"',
      lastModified: "Tue, 30 Apr 2024 08:00:00 GMT",
    });
  });

  it.each([
    [404, "Not Found"],
    [503, "Service Unavailable"],
  ])("maps HTTP %i to http_error", async (status, statusText) => {
    const fake = fakeFetch(() => new Response("nope", { status, statusText }));
    const result = await fetchDocument(DOC_URL, { fetch: fake.fetch });
    expect(result).toMatchObject({ ok: false, reason: "http_error", httpStatus: status, url: DOC_URL });
    if (!result.ok) expect(result.message).toContain(`HTTP ${status} ${statusText}`);
  });

  it("maps a thrown TypeError to network_error with its message", async () => {
    const fake = fakeFetch(() => {
      throw new TypeError("fetch failed", { cause: new Error("getaddrinfo ENOTFOUND dac-static.atlassian.com") });
    });
    const result = await fetchDocument(DOC_URL, { fetch: fake.fetch });
    expect(result).toMatchObject({ ok: false, reason: "network_error", url: DOC_URL });
    if (!result.ok) {
      expect(result.message).toContain("fetch failed");
      expect(result.message).toContain("ENOTFOUND");
    }
  });

  it("maps a fetch that throws synchronously to network_error instead of throwing", async () => {
    const throwing: FetchLike = () => {
      throw new TypeError("fetch is not a function");
    };
    const result = await fetchDocument(DOC_URL, { fetch: throwing });
    expect(result).toMatchObject({ ok: false, reason: "network_error" });
  });

  describe("timer cleanup", () => {
    afterEach(() => {
      vi.useRealTimers();
    });

    it.each<[string, Handler, object]>([
      ["a fetched body", () => new Response(JSON_BODY), { ok: true, status: "fetched" }],
      ["an HTTP error", () => new Response("gone", { status: 410 }), { ok: false, reason: "http_error" }],
      ["a network error", () => Promise.reject(new TypeError("fetch failed")), { ok: false, reason: "network_error" }],
    ])("leaves no timer pending after %s", async (_label, answer, expected) => {
      vi.useFakeTimers();
      const result = await fetchDocument(DOC_URL, { fetch: fakeFetch(answer).fetch });
      expect(result).toMatchObject(expected);
      expect(vi.getTimerCount()).toBe(0);
    });
  });

  it("times out a request that never answers, aborting its signal", async () => {
    let signal: AbortSignal | undefined;
    const hanging: FetchLike = (_input, init) =>
      new Promise<Response>((_resolve, reject) => {
        signal = init?.signal ?? undefined;
        signal?.addEventListener("abort", () => reject(new DOMException("The operation was aborted.", "AbortError")));
      });
    const started = Date.now();
    const result = await fetchDocument(DOC_URL, { fetch: hanging, timeoutMs: 50 });
    expect(result).toMatchObject({ ok: false, reason: "timeout", url: DOC_URL });
    if (!result.ok) expect(result.message).toContain("50 ms");
    expect(signal?.aborted).toBe(true);
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it("times out even when the fetch ignores the abort signal", async () => {
    const deaf: FetchLike = () => new Promise<Response>(() => undefined);
    const result = await fetchDocument(DOC_URL, { fetch: deaf, timeoutMs: 50 });
    expect(result).toMatchObject({ ok: false, reason: "timeout" });
  });

  it("times out a body that streams slowly past the limit and cancels it", async () => {
    const encoder = new TextEncoder();
    let cancelled = false;
    let sent = 0;
    const slow = new ReadableStream<Uint8Array>({
      async pull(controller) {
        // First chunk arrives at once, the rest trickle in far slower than the limit.
        if (sent > 0) await new Promise((resolve) => setTimeout(resolve, 200));
        if (cancelled) return;
        sent += 1;
        controller.enqueue(encoder.encode(sent === 1 ? '{"a":' : "1"));
      },
      cancel() {
        cancelled = true;
      },
    });
    const fake = fakeFetch(() => new Response(slow, { headers: { "content-type": "application/json" } }));
    const started = Date.now();
    const result = await fetchDocument(DOC_URL, { fetch: fake.fetch, timeoutMs: 50 });
    expect(result).toMatchObject({ ok: false, reason: "timeout" });
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(sent).toBeGreaterThanOrEqual(1);
    expect(cancelled).toBe(true);
  });

  it("refuses a Content-Length over the cap without reading the body", async () => {
    const { stream, state } = countingStream(10, 100);
    const fake = fakeFetch(
      () => new Response(stream, { headers: { "content-length": "1000", "content-type": "application/json" } }),
    );
    const result = await fetchDocument(DOC_URL, { fetch: fake.fetch, maxBytes: 100 });
    expect(result).toMatchObject({ ok: false, reason: "too_large", httpStatus: 200 });
    if (!result.ok) {
      expect(result.message).toContain("1000");
      expect(result.message).toContain("100-byte limit");
    }
    // ReadableStream pulls once on its own to fill its queue; nothing beyond that was read.
    expect(state.pulls).toBeLessThanOrEqual(1);
    expect(state.cancelled).toBe(true);
  });

  it("stops a chunked body without Content-Length as soon as it passes the cap and cancels the stream", async () => {
    const { stream, state } = countingStream(40, 1_000);
    const fake = fakeFetch(() => new Response(stream));
    const result = await fetchDocument(DOC_URL, { fetch: fake.fetch, maxBytes: 100 });
    expect(result).toMatchObject({ ok: false, reason: "too_large" });
    if (!result.ok) expect(result.message).toContain("stopped reading at 120");
    expect(state.cancelled).toBe(true);
    // 3 chunks of 40 bytes pass 100; allow one pull of read-ahead, far from all 1000.
    expect(state.pulls).toBeLessThanOrEqual(4);
  });

  it("accepts a body of exactly maxBytes", async () => {
    const fake = fakeFetch(() => new Response(`"${"x".repeat(98)}"`));
    const result = await fetchDocument(DOC_URL, { fetch: fake.fetch, maxBytes: 100 });
    expect(result).toMatchObject({ ok: true, status: "fetched", bytes: 100 });
  });

  it("follows absolute and relative redirects within the allowlist", async () => {
    const first = "https://developer.atlassian.com/cloud/jira/platform/swagger-v3.v3.json";
    const second = "https://dac-static.atlassian.com/cloud/jira/platform/swagger-v3.v3.json";
    const fake = fakeFetch((url) => {
      if (url === first) return new Response(null, { status: 301, headers: { location: second } });
      if (url === second) return new Response(null, { status: 307, headers: { location: "../v3/current.json?x=1" } });
      return new Response(JSON_BODY, { headers: { etag: '"final"' } });
    });
    const result = await fetchDocument(first, { fetch: fake.fetch, etag: '"old"' });
    const final = "https://dac-static.atlassian.com/cloud/jira/v3/current.json?x=1";
    expect(fake.calls.map((c) => c.url)).toEqual([first, second, final]);
    expect(result).toMatchObject({
      ok: true,
      status: "fetched",
      url: first,
      finalUrl: final,
      text: JSON_BODY,
      etag: '"final"',
    });
    // Every hop carries the conditional header and stays manual.
    for (const call of fake.calls) {
      expect(headerOf(call, "if-none-match")).toBe('"old"');
      expect(call.init?.redirect).toBe("manual");
    }
  });

  it("refuses a redirect to a host outside the allowlist", async () => {
    const fake = fakeFetch(
      () => new Response(null, { status: 302, headers: { location: "https://evil.example.com/spec.json" } }),
    );
    const result = await fetchDocument(DOC_URL, { fetch: fake.fetch });
    expect(result).toMatchObject({ ok: false, reason: "host_not_allowed", url: DOC_URL, httpStatus: 302 });
    if (!result.ok) expect(result.message).toContain("evil.example.com");
    expect(fake.calls).toHaveLength(1);
  });

  it("refuses a redirect that downgrades to http", async () => {
    const fake = fakeFetch(
      () => new Response(null, { status: 308, headers: { location: "http://dac-static.atlassian.com/spec.json" } }),
    );
    const result = await fetchDocument(DOC_URL, { fetch: fake.fetch });
    expect(result).toMatchObject({ ok: false, reason: "invalid_url" });
    expect(fake.calls).toHaveLength(1);
  });

  it("gives up on a redirect loop after maxRedirects", async () => {
    const a = "https://dac-static.atlassian.com/a.json";
    const b = "https://dac-static.atlassian.com/b.json";
    const fake = fakeFetch((url) => new Response(null, { status: 302, headers: { location: url === a ? b : a } }));
    const result = await fetchDocument(a, { fetch: fake.fetch });
    expect(result).toMatchObject({ ok: false, reason: "too_many_redirects" });
    if (!result.ok) expect(result.message).toContain("3 redirects");
    // The original request plus the three allowed redirects.
    expect(fake.calls).toHaveLength(4);

    const none = fakeFetch(() => new Response(null, { status: 301, headers: { location: b } }));
    const strict = await fetchDocument(a, { fetch: none.fetch, maxRedirects: 0 });
    expect(strict).toMatchObject({ ok: false, reason: "too_many_redirects" });
    expect(none.calls).toHaveLength(1);
  });

  it("reports a redirect without Location as http_error", async () => {
    const fake = fakeFetch(() => new Response(null, { status: 302 }));
    const result = await fetchDocument(DOC_URL, { fetch: fake.fetch });
    expect(result).toMatchObject({ ok: false, reason: "http_error", httpStatus: 302 });
  });

  it.each([
    ["http://dac-static.atlassian.com/spec.json", "invalid_url"],
    ["not a url", "invalid_url"],
    ["https://evil.example.com/spec.json", "host_not_allowed"],
    ["https://dac-static.atlassian.com.evil.example.com/spec.json", "host_not_allowed"],
    ["https://dac-static.atlassian.com:8443/spec.json", "host_not_allowed"],
  ])("refuses %s with %s before any fetch", async (url, reason) => {
    const fake = fakeFetch(() => new Response(JSON_BODY));
    const result = await fetchDocument(url, { fetch: fake.fetch });
    expect(result).toMatchObject({ ok: false, reason, url });
    expect(fake.calls).toHaveLength(0);
  });

  it("honours a custom allowlist", async () => {
    const fake = fakeFetch(() => new Response(JSON_BODY));
    const refused = await fetchDocument(DOC_URL, { fetch: fake.fetch, allowedHosts: ["mirror.example.org"] });
    expect(refused).toMatchObject({ ok: false, reason: "host_not_allowed" });
    const allowed = await fetchDocument("https://mirror.example.org/spec.json", {
      fetch: fake.fetch,
      allowedHosts: ["mirror.example.org"],
    });
    expect(allowed).toMatchObject({ ok: true, status: "fetched" });
    expect(fake.calls).toHaveLength(1);
  });

  it("returns not_json for an HTML page served with status 200", async () => {
    const html = "\n  <!DOCTYPE html><html><body>Service temporarily unavailable</body></html>";
    const fake = fakeFetch(() => new Response(html, { headers: { "content-type": "text/html; charset=utf-8" } }));
    const result = await fetchDocument(DOC_URL, { fetch: fake.fetch });
    expect(result).toMatchObject({ ok: false, reason: "not_json", httpStatus: 200 });
    if (!result.ok) expect(result.message).toContain("expected a JSON document but got HTML (content-type text/html)");
  });

  it("allows HTML when the caller does not ask for JSON", async () => {
    const html = "<html><body>reference page</body></html>";
    const fake = fakeFetch(() => new Response(html, { headers: { "content-type": "text/html" } }));
    const result = await fetchDocument("https://developer.atlassian.com/cloud/jira/platform/rest/v3/", {
      fetch: fake.fetch,
      accept: "text/html",
    });
    expect(result).toMatchObject({ ok: true, status: "fetched", text: html, contentType: "text/html" });
    expect(headerOf(fake.calls[0], "accept")).toBe("text/html");
  });

  it("decodes a BOM-prefixed JSON body without the BOM", async () => {
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(JSON_BODY)]);
    const fake = fakeFetch(() => new Response(bytes, { headers: { "content-type": "application/json" } }));
    const result = await fetchDocument(DOC_URL, { fetch: fake.fetch });
    expect(result).toMatchObject({ ok: true, status: "fetched", bytes: bytes.byteLength });
    if (result.ok && result.status === "fetched") {
      expect(result.text).toBe(JSON_BODY);
      expect(result.text.charCodeAt(0)).not.toBe(0xfeff);
    }
  });

  it("decodes a multi-byte character split across chunks", async () => {
    const encoded = new TextEncoder().encode('{"s":"✓"}');
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        // "✓" is 3 bytes starting at index 6; split it down the middle.
        controller.enqueue(encoded.slice(0, 7));
        controller.enqueue(encoded.slice(7));
        controller.close();
      },
    });
    const fake = fakeFetch(() => new Response(stream));
    const result = await fetchDocument(DOC_URL, { fetch: fake.fetch });
    expect(result).toMatchObject({ ok: true, status: "fetched", text: '{"s":"✓"}' });
  });
});
