/**
 * Refuses a request body over `maxSize` bytes, as hono/body-limit does (Content-Length when the
 * request has one, else the bytes counted as they stream), and keeps a streamed body's text: the
 * credential guard and the route read it from Hono's body cache instead of reading a copy again.
 */
import type { Context, MiddlewareHandler } from "hono";

export function bodyLimit(options: {
  maxSize: number;
  onError: (c: Context) => Response | Promise<Response>;
}): MiddlewareHandler {
  const { maxSize, onError } = options;
  return async function bodyLimit(c, next) {
    const raw = c.req.raw;
    if (!raw.body) return next();
    const length = raw.headers.get("content-length");
    if (length !== null && !raw.headers.has("transfer-encoding"))
      return parseInt(length || "0", 10) > maxSize ? onError(c) : next();
    let size = 0;
    let buffer = new Uint8Array(0);
    const reader = raw.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      const offset = size;
      size += value.length;
      if (size > maxSize) {
        await reader.cancel().catch(() => undefined);
        return onError(c);
      }
      if (size > buffer.length) {
        const grown = new Uint8Array(Math.min(maxSize, Math.max(size, buffer.length * 2)));
        grown.set(buffer.subarray(0, offset));
        buffer = grown;
      }
      buffer.set(value, offset);
    }
    // What Body.text() would give: UTF-8, a leading BOM dropped, bad bytes replaced. Hono keeps
    // promises in its body cache (its type says the values) and answers c.req.text(), json(),
    // formData() and arrayBuffer() from it. The raw request is not rebuilt around the bytes (as
    // hono/body-limit does, at 0.1 ms in Node): its body is read, as it was once the credential guard
    // had read it, and every route reads the body through c.req (the MCP transport gets it parsed).
    (c.req.bodyCache as { text?: Promise<string> }).text = Promise.resolve(
      new TextDecoder().decode(buffer.subarray(0, size)),
    );
    return next();
  };
}
