/** Rate limit for the POST routes, through the `POST_LIMITER` binding when the deployment has one. */
import type { MiddlewareHandler } from "hono";
import { ApiError } from "../errors";

export const postRateLimit: MiddlewareHandler<{ Bindings: Env }> = async function postRateLimit(c, next) {
  const limiter = (c.env as Partial<Env> | undefined)?.POST_LIMITER;
  if (c.req.method === "POST" && limiter) {
    const key = c.req.header("cf-connecting-ip") ?? "local";
    const { success } = await limiter.limit({ key });
    if (!success) {
      c.header("Retry-After", "60");
      throw new ApiError(429, "rate_limited", "Too many requests from this address: at most 120 POST requests a minute. Wait a minute and try again.");
    }
  }
  await next();
};
