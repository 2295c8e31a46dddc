/** The one error type of the API and the one shape every non-2xx answer has. */
import { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { lazy } from "./lazy";
import { errorText } from "./views/error-text";
import { linesAs } from "./views/markdown";

const ErrorBodySchema = lazy(() =>
  z
    .object({
      error: z.object({
        code: z
          .string()
          .openapi({ description: "Stable, snake_case: clients branch on it.", example: "catalog_empty" }),
        message: z.string().openapi({ description: "What went wrong and how to fix the request." }),
        details: z
          .unknown()
          .optional()
          .openapi({ description: "Extra facts where they help (suggestions, limits, the last run)." }),
      }),
    })
    .openapi("Error"),
);
export type ErrorBody = z.infer<ReturnType<typeof ErrorBodySchema>>;

export class ApiError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

/**
 * The error in the format the client asked for: JSON (the default), or with `text`/`markdown` the same
 * code, message and details as lines (views/error-text.ts), with the same status.
 */
export function errorResponse(c: Context, error: ApiError, format: "json" | "text" | "markdown" = "json"): Response {
  const body: ErrorBody = { error: { code: error.code, message: error.message } };
  if (error.details !== undefined) body.error.details = error.details;
  // An error is about this request only: never cached, whatever the route would cache.
  if (format === "json") return c.json(body, error.status, { "Cache-Control": "no-store" });
  const lines = linesAs(errorText(body.error), format, { nested: true });
  return c.body(lines.body, error.status, { "Content-Type": lines.type, "Cache-Control": "no-store" });
}

/** One documented error answer: the `error` object a request got. */
export type ErrorExample = ErrorBody["error"];

/**
 * An OpenAPI response entry in the error shape. Its examples are keyed by their code (a status can
 * answer several codes), each a whole answer body.
 */
export function errorResponseDoc(description: string, ...examples: ErrorExample[]) {
  return {
    description,
    content: {
      "application/json": {
        schema: ErrorBodySchema(),
        ...(examples.length === 0
          ? {}
          : { examples: Object.fromEntries(examples.map((error) => [error.code, { value: { error } }])) }),
      },
    },
  };
}
