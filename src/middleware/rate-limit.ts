/** Rate limit for the POST routes, through the `POST_LIMITER` binding when the deployment has one. */
import type { MiddlewareHandler } from "hono";
import { ApiError } from "../errors";

export const postRateLimit: MiddlewareHandler<{ Bindings: Env }> = async function postRateLimit(c, next) {
  const limiter = (c.env as Partial<Env> | undefined)?.POST_LIMITER;
  // Cloudflare's edge always sets CF-Connecting-IP; without it (wrangler dev, tests) there is no
  // client to count, and one shared bucket would throttle every local caller together.
  const key = c.req.header("cf-connecting-ip");
  if (c.req.method === "POST" && limiter && key) {
    const { success } = await limiter.limit({ key });
    if (!success) {
      c.header("Retry-After", "60");
      throw new ApiError(
        429,
        "rate_limited",
        "Too many requests from this address: at most 120 POST requests a minute. Wait a minute and try again.",
      );
    }
  }
  await next();
};
