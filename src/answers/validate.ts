/** Input checked against an answer's schema: the same rules and words for HTTP, MCP and Slack. No I/O. */
import type { z } from "@hono/zod-openapi";
import { fail, ok, type Result } from "./result";

/** Each problem as `{path, message}` (never zod's raw dump); the first one is the message. */
export function validationIssues(error: z.ZodError): { path: string; message: string }[] {
  return error.issues.map((issue) => ({ path: issue.path.join(".") || "(root)", message: issue.message }));
}

export function parseInput<S extends z.ZodType>(schema: S, input: unknown): Result<z.infer<S>> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return ok(parsed.data);
  const issues = validationIssues(parsed.error);
  return fail("invalid_request", `${issues[0]?.path}: ${issues[0]?.message}`, { issues });
}
