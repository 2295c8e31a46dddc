/**
 * Rate limit for the POST routes, through the `POST_LIMITER` binding when the deployment has one.
 * Every POST counts once here. An MCP POST may carry several tool calls: routes/mcp.ts counts each
 * call after the first with `postCounter` (the first rides on the POST's own count).
 */
import type { Context, MiddlewareHandler } from "hono";
import { ApiError } from "../errors";

export const RATE_LIMIT_MESSAGE =
  "Too many requests from this address: at most 120 POST requests a minute, each MCP tool call counting as one. Wait a minute and try again.";

/** Takes one unit from this client's POST budget; true when allowed. */
export type PostCounter = () => Promise<boolean>;

/**
 * The counter for this request's client, or undefined when nothing is counted. Cloudflare's edge always
 * sets CF-Connecting-IP; without it (wrangler dev, tests, the integrations' in-process calls) there is
 * no client to count, and one shared bucket would throttle every local caller together.
 */
export function postCounter(c: Context): PostCounter | undefined {
  const limiter = (c.env as Partial<Env> | undefined)?.POST_LIMITER;
  const key = c.req.header("cf-connecting-ip");
  if (!limiter || !key) return undefined;
  return async () => (await limiter.limit({ key })).success;
}

export const postRateLimit: MiddlewareHandler<{ Bindings: Env }> = async function postRateLimit(c, next) {
  const count = c.req.method === "POST" ? postCounter(c) : undefined;
  if (count && !(await count())) {
    c.header("Retry-After", "60");
    throw new ApiError(429, "rate_limited", RATE_LIMIT_MESSAGE);
  }
  await next();
};
