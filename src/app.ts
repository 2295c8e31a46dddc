/** The root app: error handling in one place, one sub-app per resource. */
import { Hono } from "hono";
import { ApiError, errorResponse } from "./errors";
import { health } from "./routes/health";

export const app = new Hono<{ Bindings: Env }>();

app.route("/health", health);

app.notFound((c) =>
  errorResponse(c, new ApiError(404, "route_not_found", `No route ${c.req.method} ${c.req.path}. Try GET /health.`)),
);

app.onError((error, c) => {
  if (error instanceof ApiError) return errorResponse(c, error);
  // Never a stack trace to the client; the log says what happened.
  console.error(`unhandled error on ${c.req.method} ${c.req.path}: ${error instanceof Error ? error.message : String(error)}`);
  return errorResponse(c, new ApiError(500, "internal_error", "Something went wrong on our side. Please try again."));
});
