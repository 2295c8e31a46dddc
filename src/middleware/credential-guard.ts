/**
 * Credentials never enter the system: a request holding something shaped like a secret, in its path,
 * query or body, is refused before any handler sees it. Only scope names are needed, and the secret is
 * never echoed or logged. The guard reads each part as the routes will: the path and query with every
 * percent-escape decoded (Hono decodes each query parameter, the routes each path segment, and an
 * invalid escape elsewhere must not hide the rest), form bodies likewise, JSON bodies with their
 * strings unescaped. The scan itself is linear (secret-scan.ts).
 */
import type { MiddlewareHandler } from "hono";
import { ApiError } from "../errors";
import type { AppEnv } from "../env";
import { credentialMessage, findSecretDecoded, findSecretInRequest } from "./secret-scan";

export const credentialGuard: MiddlewareHandler<AppEnv> = async function credentialGuard(c, next) {
  const url = c.req.url;
  const mark = url.indexOf("?");
  const path = new URL(url).pathname;
  const query = mark >= 0 ? url.slice(mark + 1) : "";
  const body = c.req.method === "POST" ? await c.req.text() : "";
  // Forms (Slack's) and query strings mean a space by `+`: `Bearer+abc` is `Bearer abc` once decoded.
  const form = /application\/x-www-form-urlencoded/i.test(c.req.header("content-type") ?? "");
  const inPath = findSecretDecoded(path, false);
  if (inPath) c.set("loggedPath", "(path withheld: it held a credential)");
  const kind = inPath ?? findSecretInRequest({ query, body, form });
  if (kind) {
    throw new ApiError(400, "credential_detected", credentialMessage(kind));
  }
  await next();
};
