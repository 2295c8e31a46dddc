/**
 * The body limit on a streamed body (no Content-Length): the 413 in the error shape, the rest of the
 * body read and dropped so that the connection stays usable (workerd under wrangler dev left the next
 * request on the connection unanswered when the stream was cancelled half-read), a bound on that, and
 * the next request answered normally.
 */
import { ORIGIN, expectError, get, okJson } from "../helpers/worker";
import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { MAX_BODY_BYTES } from "../../src/app";
import { DRAIN_MAX_BYTES } from "../../src/middleware/body-limit";

/** A chunked body of `total` bytes (Infinity: endless), recording how far it was read and whether it was cancelled. */
function trackedStream(total: number) {
  const chunk = new TextEncoder().encode(" ".repeat(64 * 1024));
  const seen = { pulled: 0, closed: false, cancelled: false };
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (seen.pulled >= total) {
        seen.closed = true;
        return controller.close();
      }
      seen.pulled += chunk.byteLength;
      controller.enqueue(chunk);
    },
    cancel() {
      seen.cancelled = true;
    },
  });
  return { body, seen };
}

const postStream = (path: string, body: ReadableStream<Uint8Array>) =>
  exports.default.fetch(
    new Request(`${ORIGIN}${path}`, { method: "POST", headers: { "content-type": "application/json" }, body }),
  );

describe("body limit on a streamed body", () => {
  it("answers 413, reads the body to its end, and the next request is answered normally", async () => {
    const { body, seen } = trackedStream(MAX_BODY_BYTES * 2);
    await expectError(await postStream("/diff", body), 413, "body_too_large");
    // Read to its end, not cancelled at the limit (which is what broke the next request on the connection).
    expect(seen).toEqual({ pulled: MAX_BODY_BYTES * 2, closed: true, cancelled: false });
    const health = await okJson(await get("/health"));
    expect(health.status).toEqual(expect.any(String));
    const lookup = await get("/scopes?path=/rest/api/3/myself&format=text");
    expect(lookup.status).toBe(200);
  });

  it("stops reading an endless body after DRAIN_MAX_BYTES", async () => {
    const { body, seen } = trackedStream(Number.POSITIVE_INFINITY);
    await expectError(await postStream("/plan", body), 413, "body_too_large");
    // The reader is cancelled; workerd's request body does not pass the cancel on to this source, so
    // what shows is that reading stopped (a few chunks may be pulled ahead of the reader into the queue).
    expect(seen.pulled).toBeGreaterThan(DRAIN_MAX_BYTES);
    expect(seen.pulled).toBeLessThan(DRAIN_MAX_BYTES + MAX_BODY_BYTES * 2);
    expect((await get("/health")).status).toBe(200);
  });

  it("a streamed body under the limit still reaches the route", async () => {
    const text = JSON.stringify({ scopes: ["read:jira-work"], path: "/rest/api/3/myself", method: "GET" });
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(text));
        controller.close();
      },
    });
    const answer = await okJson(await postStream("/diff", body));
    expect(JSON.stringify(answer)).toContain("read:jira-work");
  });
});
