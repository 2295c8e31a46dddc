/**
 * What one POST /mcp may cost. Clients that negotiate MCP 2025-03-26 or older may send a JSON-RPC
 * batch (the SDK's transport takes up to 100 messages; spec 2025-06-18 removed batching, and the
 * server also speaks 2025-11-25, 2025-06-18 and 2024-11-05): one 224 KB batch of 12 heavy plans ran
 * 10–15 s while counting as one POST. So a POST carries at most MAX_MESSAGES_PER_POST messages, at
 * most MAX_TOOL_CALLS_PER_POST tool calls and MAX_ENDPOINTS_PER_POST endpoints across them (what one
 * POST /plan may carry), and every tool call counts against the POST rate limit.
 */
import type { FailureReason } from "../answers/result";
import { RATE_LIMIT_MESSAGE } from "../middleware/rate-limit";
import type { Question, TextAnswer } from "./ask";

/** JSON-RPC messages in one POST: a batch longer than this is refused whole. */
export const MAX_MESSAGES_PER_POST = 10;
/** Tool calls in one POST: calls past this answer a tool error. */
export const MAX_TOOL_CALLS_PER_POST = 4;
/** Endpoints across the tool calls of one POST, as in one POST /plan or /diff. */
export const MAX_ENDPOINTS_PER_POST = 1000;

/** How many endpoints a call asks about: its `endpoints` list plus its `text` lines, at least one. */
function endpointCount(question: Question): number {
  const body = question.input as { endpoints?: unknown; text?: unknown };
  const listed = Array.isArray(body.endpoints) ? body.endpoints.length : 0;
  const lines = typeof body.text === "string" ? body.text.split("\n").filter((line) => line.trim() !== "").length : 0;
  return Math.max(1, listed + lines);
}

type Refusal = Extract<TextAnswer, { ok: false }>;

/**
 * Admits the tool calls of one POST, in the order they start. `count` takes one unit from the client's
 * rate limit (undefined: nothing to count); the first call rides on the POST's own unit.
 */
export function callBudget(count: (() => Promise<boolean>) | undefined) {
  let calls = 0;
  let endpoints = 0;
  return async function admit(question: Question): Promise<Refusal | undefined> {
    // Counted before any await: the SDK starts a batch's calls together.
    calls++;
    const first = calls === 1;
    if (calls > MAX_TOOL_CALLS_PER_POST)
      return refusal(
        "too_many_tool_calls",
        `At most ${MAX_TOOL_CALLS_PER_POST} tool calls per request: send this call again on its own.`,
      );
    const weight = endpointCount(question);
    // A call alone is bounded by its route (at most 1000 endpoints), with the route's own message.
    if (!first && endpoints + weight > MAX_ENDPOINTS_PER_POST)
      return refusal(
        "too_many_endpoints",
        `At most ${MAX_ENDPOINTS_PER_POST} endpoints across the tool calls of one request (this call has ${weight}, the ones before it ${endpoints}): send this call again on its own.`,
      );
    endpoints += weight;
    if (!first && count && !(await count())) return refusal("rate_limited", RATE_LIMIT_MESSAGE);
    return undefined;
  };
}

function refusal(reason: FailureReason, message: string): Refusal {
  return { ok: false, failure: { reason, message } };
}
