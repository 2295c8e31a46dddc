/**
 * The integrations (Slack, MCP) answer through the API's own routes, in-process: one implementation,
 * one set of error messages, the same catalog cache. Answers are asked for as `?format=text`.
 */
import type { Context } from "hono";
import type { AppEnv } from "../env";

export interface ApiCall {
  method: "GET" | "POST";
  /** The route, e.g. `/scopes`. */
  path: string;
  query?: Record<string, string | number | undefined>;
  /** Sent as JSON. */
  body?: unknown;
}

export type ApiAnswer =
  | { ok: true; status: number; text: string }
  | { ok: false; status: number; code: string; message: string; details?: unknown };

/** src/app.ts imports the integration routes, so the app is imported when first needed, not at load. */
let appModule: Promise<typeof import("../app")> | undefined;

export async function callApi(c: Context<AppEnv>, call: ApiCall): Promise<ApiAnswer> {
  const { app } = await (appModule ??= import("../app"));
  const url = new URL(call.path, new URL(c.req.url).origin);
  for (const [name, value] of Object.entries(call.query ?? {}))
    if (value !== undefined) url.searchParams.set(name, String(value));
  url.searchParams.set("format", "text");
  const headers: Record<string, string> = { accept: "text/plain" };
  const init: RequestInit = { method: call.method, headers };
  if (call.body !== undefined) {
    headers["content-type"] = "application/json";
    init.body = JSON.stringify(call.body);
  }
  // Counting is the caller's job, done before this call: the Slack command is one POST (counted by
  // the middleware); MCP counts each tool call (routes/mcp.ts, integrations/mcp-budget.ts). The inner
  // request carries no CF-Connecting-IP, and the binding is taken away besides, so that it never counts twice.
  const env: Env | undefined = c.env ? Object.create(c.env, { POST_LIMITER: { value: undefined } }) : undefined;
  const response = await app.request(url.toString(), init, env);
  const text = await response.text();
  if (response.ok) return { ok: true, status: response.status, text };
  try {
    const { error } = JSON.parse(text) as { error: { code: string; message: string; details?: unknown } };
    if (typeof error?.code === "string" && typeof error.message === "string")
      return { ok: false, status: response.status, ...error };
  } catch {
    // not the error shape: fall through
  }
  return {
    ok: false,
    status: response.status,
    code: "unexpected_answer",
    message: `The catalog answered HTTP ${response.status}.`,
  };
}

/** Nearest matches the API offers in `details.suggestions` (unknown paths and scope names). */
export function suggestionsOf(answer: ApiAnswer): string[] {
  if (answer.ok) return [];
  const suggestions = (answer.details as { suggestions?: unknown } | undefined)?.suggestions;
  return Array.isArray(suggestions) ? suggestions.filter((item): item is string => typeof item === "string") : [];
}
