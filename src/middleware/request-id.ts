/**
 * One id per request, in the `X-Request-Id` answer header and in every log line of the request. A
 * caller's own id is kept to correlate, if it is short, plain (letters, digits, `_`, `-`) and not a
 * credential: it is logged and echoed as given, so anything else is replaced by a fresh UUID.
 */
import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../env";
import { findSecret } from "./secret-scan";

/** Longer than any trace id in use (W3C trace ids are 32 hex digits, UUIDs 36 characters). */
const MAX_REQUEST_ID_LENGTH = 64;
const PLAIN_ID = /^[\w-]+$/;

export const requestId: MiddlewareHandler<AppEnv> = async function requestId(c, next) {
  const given = c.req.header("X-Request-Id");
  const id =
    given && given.length <= MAX_REQUEST_ID_LENGTH && PLAIN_ID.test(given) && findSecret(given) === undefined
      ? given
      : crypto.randomUUID();
  c.set("requestId", id);
  c.header("X-Request-Id", id);
  await next();
};
