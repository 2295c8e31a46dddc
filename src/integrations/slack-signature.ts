/**
 * Slack request signing (https://api.slack.com/authentication/verifying-requests-from-slack):
 * `X-Slack-Signature: v0=hex(HMAC-SHA256(signing secret, "v0:" + X-Slack-Request-Timestamp + ":" + raw body))`.
 * WebCrypto only; the comparison is constant-time; requests more than 5 minutes from now are refused.
 */

/** Slack's own limit: a request whose timestamp is further than this from now is refused. */
const MAX_SKEW_SECONDS = 5 * 60;

export type SlackVerdict =
  | { ok: true }
  | {
      ok: false;
      code: "missing_signature" | "invalid_timestamp" | "stale_request" | "invalid_signature";
      message: string;
    };

export interface SignedRequest {
  timestamp: string | undefined;
  signature: string | undefined;
  body: string;
}

const encoder = new TextEncoder();

export async function verifySlackSignature(
  secret: string,
  request: SignedRequest,
  nowMs: number,
): Promise<SlackVerdict> {
  const { timestamp, signature, body } = request;
  if (!timestamp || !signature) {
    return {
      ok: false,
      code: "missing_signature",
      message:
        "This endpoint only answers Slack: the request has no X-Slack-Signature and X-Slack-Request-Timestamp headers.",
    };
  }
  if (!/^\d{1,12}$/.test(timestamp)) {
    return {
      ok: false,
      code: "invalid_timestamp",
      message: "X-Slack-Request-Timestamp is not a Unix time in seconds.",
    };
  }
  if (Math.abs(nowMs / 1000 - Number(timestamp)) > MAX_SKEW_SECONDS) {
    return {
      ok: false,
      code: "stale_request",
      message:
        "X-Slack-Request-Timestamp is more than 5 minutes from now: the request is refused as a possible replay. If Slack sent it, check the server clock.",
    };
  }
  const provided = /^v0=([0-9a-f]{64})$/.exec(signature)?.[1];
  const expected = new Uint8Array(await hmacSha256(secret, `v0:${timestamp}:${body}`));
  if (provided === undefined || !constantTimeEqual(expected, hexBytes(provided))) {
    return {
      ok: false,
      code: "invalid_signature",
      message:
        "X-Slack-Signature does not match the request: it was not signed with this app's signing secret. Check the Worker secret SLACK_SIGNING_SECRET (api.slack.com/apps, Basic Information, Signing Secret).",
    };
  }
  return { ok: true };
}

/** `v0=<hex>` for a body: what Slack sends, and what tests sign with. */
export async function slackSignature(secret: string, timestamp: string, body: string): Promise<string> {
  return `v0=${[...new Uint8Array(await hmacSha256(secret, `v0:${timestamp}:${body}`))].map((byte) => byte.toString(16).padStart(2, "0")).join("")}`;
}

async function hmacSha256(secret: string, message: string): Promise<ArrayBuffer> {
  const key = await crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, [
    "sign",
  ]);
  return crypto.subtle.sign("HMAC", key, encoder.encode(message));
}

function hexBytes(hex: string): Uint8Array {
  const bytes = new Uint8Array(hex.length / 2);
  for (let index = 0; index < bytes.length; index++) bytes[index] = parseInt(hex.slice(index * 2, index * 2 + 2), 16);
  return bytes;
}

/** Every byte is compared whatever the first difference: the time taken says nothing about the secret. */
export function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let difference = 0;
  for (let index = 0; index < a.length; index++) difference |= a[index]! ^ b[index]!;
  return difference === 0;
}

/**
 * Best effort, per isolate: a signature already accepted is refused if it comes again within the
 * 5-minute window (Slack never resends a slash command). Requests older than the window are refused
 * by the timestamp check, on every isolate.
 */
export class ReplayGuard {
  private readonly seen = new Map<string, number>();

  constructor(private readonly capacity = 10_000) {}

  /** True the first time a signature is seen (and remembers it), false on a replay. */
  accept(signature: string, timestampSeconds: number, nowMs: number): boolean {
    for (const [key, expires] of this.seen) {
      if (expires > nowMs && this.seen.size < this.capacity) break;
      this.seen.delete(key);
    }
    if (this.seen.has(signature)) return false;
    this.seen.set(signature, (timestampSeconds + MAX_SKEW_SECONDS) * 1000);
    return true;
  }
}
