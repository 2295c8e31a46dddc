/**
 * The answers routes share, documented once: the 304 of a conditional GET, the credential guard's 400
 * (every route but Slack's command), the body limit's 413 and the rate limit's 429 (POST routes), and
 * the 503 of a route that reads the catalog when none can be read. Their examples are the messages the middleware sends, not copies.
 */
import type { RouteConfig } from "@hono/zod-openapi";
import { catalogUnavailable } from "../answers/result";
import { ANSWER_TOO_LARGE_EXAMPLE, MAX_ANSWER_BYTES } from "../answers/size-cap";
import { type ErrorExample, errorResponseDoc } from "../errors";
import { lazyObject } from "../lazy";
import { RATE_LIMIT_MESSAGE } from "../middleware/rate-limit";
import { credentialMessage } from "../middleware/secret-scan";
import { errorText } from "../views/error-text";
import { textToMarkdown } from "../views/markdown";

/** Bodies are scope lists and endpoint lists: far below this. */
export const MAX_BODY_BYTES = 256 * 1024;

export const BODY_TOO_LARGE: ErrorExample = {
  code: "body_too_large",
  message: `The request body is over ${MAX_BODY_BYTES / 1024} KB. Send fewer endpoints (at most 1000) or, for a HAR file, only its request entries.`,
};

export const RATE_LIMITED: ErrorExample = { code: "rate_limited", message: RATE_LIMIT_MESSAGE };

const CREDENTIAL_DETECTED: ErrorExample = {
  code: "credential_detected",
  message: credentialMessage("an Atlassian API token"),
};

interface SharedErrors {
  /** Takes a body: the body limit (413) and the POST rate limit (429) apply. */
  post?: boolean;
  /** Reads the catalog (503 when it cannot); `advice` ends the message when it is not the default. */
  catalog?: boolean | { advice: string };
  /** The credential guard runs first (400 `credential_detected`); all routes but Slack's command. */
  guarded?: boolean;
  /** The answer is capped at MAX_ANSWER_BYTES (400 `answer_too_large`); default: routes that read the catalog. */
  capped?: boolean;
  /** A GET answered through `respond`/`conditional`: 304 to an If-None-Match of its ETag (the catalog version). */
  conditional?: boolean;
  /** Takes `format`: each error is also documented as text/plain and text/markdown (errors.ts errorResponse). */
  formats?: boolean;
}

type Responses = RouteConfig["responses"];

/**
 * The route with its documented responses and the shared error answers beside them; a 400 of its own
 * keeps its examples. The responses are built when first read: only /openapi.json reads them, so an
 * isolate that serves requests never builds the answer schemas they name.
 */
export function withSharedErrors<C extends Omit<RouteConfig, "responses">, R extends Responses>(
  route: C,
  responses: () => R,
  shared: SharedErrors,
): C & { responses: R } {
  return { ...route, responses: lazyObject(() => sharedResponses(responses(), shared)) };
}

function sharedResponses<R extends Responses>(own: R, shared: SharedErrors): R {
  const responses: Responses = { ...own };
  if (shared.conditional)
    responses[304] = {
      description:
        "Not modified: the ETag (the catalog version and format; on GET /scopes and GET /endpoints also the request's UTC date) is unchanged.",
    };
  if (shared.guarded !== false)
    responses[400] = mergeErrorDoc(
      responses[400],
      "`credential_detected`: the path, query or body holds something shaped like a credential, a password in a URL (`user:password@`) or a curl `-u user:password` among them (never needed: send scope names and URLs only).",
      CREDENTIAL_DETECTED,
    );
  if (shared.capped ?? shared.catalog !== undefined)
    responses[400] = mergeErrorDoc(
      responses[400],
      `\`answer_too_large\`: the answer would be over ${MAX_ANSWER_BYTES} bytes (JSON, text or markdown alike; \`details.bytes\` says how large, or with \`details.atLeast\` a lower bound: a JSON /diff answer is refused as soon as the checks built so far are over the cap, before the rest is built): ask for less at a time.`,
      {
        code: ANSWER_TOO_LARGE_EXAMPLE.reason,
        message: ANSWER_TOO_LARGE_EXAMPLE.message,
        details: ANSWER_TOO_LARGE_EXAMPLE.details,
      },
    );
  if (shared.post) {
    responses[413] = errorResponseDoc(
      `\`body_too_large\`: the body is over ${MAX_BODY_BYTES / 1024} KB.`,
      BODY_TOO_LARGE,
    );
    responses[429] = {
      ...errorResponseDoc(
        "`rate_limited`: more than 120 POST requests from this address in a minute (where the deployment has a rate limiter).",
        RATE_LIMITED,
      ),
      headers: { "Retry-After": { description: "Seconds to wait.", schema: { type: "integer", example: 60 } } },
    };
  }
  if (shared.catalog) {
    const advice = typeof shared.catalog === "object" ? shared.catalog.advice : undefined;
    responses[503] = errorResponseDoc(
      "`catalog_unavailable`: neither KV nor the bundled snapshot yields a catalog; or a stored part of the catalog failed its check as this request read it (shards are parsed as they are read), and the next request is answered from the version before it or the snapshot.",
      {
        code: "catalog_unavailable",
        message: catalogUnavailable(advice).message,
      },
    );
  }
  if (shared.formats)
    for (const [status, entry] of Object.entries(responses))
      if (Number(status) >= 400) responses[status] = withTextErrors(entry);
  return responses as R;
}

/**
 * An error entry with the same errors as text/plain and text/markdown, for `?format=text|markdown` or the
 * Accept header; the examples are its JSON examples as errorText writes them.
 */
function withTextErrors(entry: Responses[string]): Responses[string] {
  const json = "content" in entry ? entry.content?.["application/json"] : undefined;
  if (!("content" in entry) || !json || !("schema" in json)) return entry;
  const errors = Object.entries(json.examples ?? {}).map(
    ([code, example]) => [code, (example as { value: { error: ErrorExample } }).value.error] as const,
  );
  const examples = (render: (error: ErrorExample) => string) =>
    errors.length === 0
      ? {}
      : { examples: Object.fromEntries(errors.map(([code, error]) => [code, { value: render(error) }])) };
  return {
    ...entry,
    content: {
      ...entry.content,
      "text/plain": { schema: { type: "string" }, ...examples(errorText) },
      "text/markdown": {
        schema: { type: "string" },
        ...examples((error) => textToMarkdown(errorText(error), { nested: true })),
      },
    },
  };
}

/** An error response entry with one more code: its description appended, its example beside the others. */
function mergeErrorDoc(entry: Responses[string] | undefined, description: string, example: ErrorExample) {
  const added = errorResponseDoc(description, example);
  if (!entry) return added;
  const json = "content" in entry ? entry.content?.["application/json"] : undefined;
  if (!("description" in entry) || !json || !("examples" in json))
    throw new Error(`Not an error response written by errorResponseDoc: ${JSON.stringify(entry).slice(0, 200)}`);
  const mergedJson = { ...json, examples: { ...json.examples, ...added.content["application/json"].examples } };
  return {
    ...entry,
    description: `${entry.description} Or ${description}`,
    content: { "application/json": mergedJson },
  };
}
