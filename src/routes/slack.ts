/**
 * POST /integrations/slack/command: the `/scopes` Slack slash command. Every request is verified with
 * the app's signing secret (Worker secret SLACK_SIGNING_SECRET); the command is answered by the API's
 * own routes, in-process, as an ephemeral Block Kit message. Setup: docs/integrations.md.
 */
import { Hono } from "hono";
import { ApiError } from "../errors";
import { ask } from "../integrations/ask";
import { parseSlackCommand } from "../integrations/slack-command";
import { ReplayGuard, verifySlackSignature } from "../integrations/slack-signature";
import type { AppEnv } from "../env";
import { credentialMessage, findSecretDecoded } from "../middleware/secret-scan";
import { catalogFor } from "../storage/served";
import { ackMessage, answerMessage, helpMessage, pageUrl, usageErrorMessage } from "../views/slack";
import { publicOrigin } from "./shared";

/** The Worker secret is not in the generated Env type (secrets are not in wrangler.toml). */
type SlackEnv = Env & { SLACK_SIGNING_SECRET?: string };

const replays = new ReplayGuard();

/**
 * Slack waits 3 s for a command's answer. An answer not ready by `deadlineMs` is acknowledged at once
 * and posted to the command's response_url when ready. 0 always defers (tests).
 */
export const slackTiming = { deadlineMs: 2500 };

/** The promise's value if it settles within `ms`, else undefined. */
async function within<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<undefined>((resolve) => (timer = setTimeout(resolve, ms, undefined))),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** Only Slack's own hooks: the URL comes from a signed request, but is never fetched anywhere else. */
function isSlackResponseUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === "https:" && (url.hostname === "hooks.slack.com" || url.hostname === "hooks.slack-gov.com");
  } catch {
    return false;
  }
}

export const slack = new Hono<AppEnv>();

slack.post("/", async (c) => {
  const secret = (c.env as SlackEnv | undefined)?.SLACK_SIGNING_SECRET;
  if (!secret) {
    throw new ApiError(
      503,
      "slack_not_configured",
      "The Slack integration is not configured on this deployment: set the Worker secret SLACK_SIGNING_SECRET to the Slack app's signing secret (npx wrangler secret put SLACK_SIGNING_SECRET). Until then no command is answered.",
    );
  }
  // The raw body, exactly as signed (Hono caches it: the credential guard has read it already).
  const body = await c.req.text();
  const timestamp = c.req.header("x-slack-request-timestamp");
  const signature = c.req.header("x-slack-signature");
  const now = Date.now();
  const verdict = await verifySlackSignature(secret, { timestamp, signature, body }, now);
  if (!verdict.ok) throw new ApiError(401, verdict.code, verdict.message);
  if (!replays.accept(signature!, Number(timestamp), now)) {
    throw new ApiError(
      401,
      "replayed_request",
      "This signed request was already answered: a request is accepted once.",
    );
  }

  const type = (c.req.header("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
  if (type !== "application/x-www-form-urlencoded") {
    throw new ApiError(
      415,
      "unsupported_media_type",
      "A Slack slash command is sent as application/x-www-form-urlencoded.",
    );
  }
  const form = new URLSearchParams(body);
  // Slack checks the certificate of a command's URL with a signed `ssl_check=1` request: nothing to answer.
  if (form.get("ssl_check") === "1") return c.body(null, 200);
  const command = form.get("command");
  const text = form.get("text");
  if (command === null || text === null) {
    throw new ApiError(
      400,
      "invalid_slack_payload",
      "The payload is not a slash command: it needs the form fields `command` and `text`.",
    );
  }

  // Before the text is parsed: a pasted curl with `-u user:password` would otherwise get a usage error
  // that never says why (ask() refuses credentials only in what a parsed command asks).
  const pasted = findSecretDecoded(text, false);
  if (pasted) {
    const failure = { reason: "credential_detected" as const, message: credentialMessage(pasted) };
    return c.json(answerMessage("", { ok: false, failure }, { origin: undefined }), 200);
  }
  const parsed = parseSlackCommand(text);
  if (parsed.kind === "help") return c.json(helpMessage(command), 200);
  if (parsed.kind === "usage_error") return c.json(usageErrorMessage(command, parsed.message), 200);
  const origin = publicOrigin(c);
  const work = ask(() => catalogFor(c.env.CATALOG), parsed.question).then((answer) =>
    answerMessage(parsed.title, answer, {
      summary: parsed.summary,
      origin,
      page: pageUrl(origin, parsed.question),
    }),
  );
  const message = slackTiming.deadlineMs > 0 ? await within(work, slackTiming.deadlineMs) : undefined;
  if (message) return c.json(message, 200);
  // Too slow for Slack's 3 s (a cold isolate loading the catalog): acknowledge now, post the answer to response_url.
  const responseUrl = form.get("response_url");
  let waitUntil: ((promise: Promise<unknown>) => void) | undefined;
  try {
    waitUntil = c.executionCtx.waitUntil.bind(c.executionCtx);
  } catch {
    // no execution context (app.request in a script): answer in line below
  }
  if (!responseUrl || !isSlackResponseUrl(responseUrl) || !waitUntil) return c.json(await work, 200);
  waitUntil(
    work
      .then((answer) =>
        fetch(responseUrl, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify(answer),
        }),
      )
      .then((response) => {
        if (!response.ok) console.warn(`${c.get("requestId")} slack response_url answered ${response.status}`);
      })
      .catch((error: unknown) =>
        console.error(
          `${c.get("requestId")} slack response_url failed: ${error instanceof Error ? error.message : String(error)}`,
        ),
      ),
  );
  return c.json(ackMessage(), 200);
});

slack.all("/", (c) => {
  c.header("Allow", "POST");
  throw new ApiError(
    405,
    "method_not_allowed",
    "This is the Slack slash command endpoint: Slack POSTs signed commands to it. Setup: docs/integrations.md.",
  );
});
