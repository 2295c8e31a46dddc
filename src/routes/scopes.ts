/** GET /scopes?path=...&method=...: the scopes each matching endpoint requires. */
import { OpenAPIHono, createRoute, z } from "@hono/zod-openapi";
import { lookupEndpoints } from "../catalog/lookup";
import { requestNotes } from "../catalog/notes";
import { ApiError, errorResponseDoc } from "../errors";
import {
  CatalogRefSchema,
  FormatQuerySchema,
  catalogRef,
  conditionalGet,
  validationHook,
  textAnswer,
  wantsText,
  wholeCatalog,
  withCatalogForPath,
  type AppEnv,
} from "./shared";
import { textLines } from "../views/escape";
import { EndpointViewSchema, endpointView, scopeSetText, type EndpointView } from "./views";

const QuerySchema = z.object({
  path: z
    .string({
      error:
        "`path` is required: a request path such as /rest/api/3/issue/ABC-1, or a full Jira, Confluence, Bitbucket or api.atlassian.com URL",
    })
    .min(1, "`path` is empty: give a request path such as /rest/api/3/issue/ABC-1")
    .openapi({
      description:
        "A request path or any URL form: site (`https://acme.atlassian.net/...`), gateway (`https://api.atlassian.com/ex/jira/{cloudId}/...`), Bitbucket, Assets. Query strings are ignored.",
      example: "https://api.atlassian.com/ex/jira/11111111-2222-3333-4444-555555555555/rest/agile/1.0/board",
    }),
  method: z.string().optional().openapi({ description: "HTTP method; all methods when omitted.", example: "GET" }),
  format: FormatQuerySchema,
});

const ScopesAnswerSchema = z
  .object({
    query: z.object({
      path: z.string(),
      method: z.string().nullable(),
      matchedPath: z
        .string()
        .openapi({ description: "The path as matched: gateway prefix and query removed, percent-decoding applied." }),
      host: z.string().optional(),
      gateway: z.string().optional(),
    }),
    catalog: CatalogRefSchema,
    notes: z
      .array(z.string())
      .openapi({ description: "About the request itself, e.g. scoped tokens must use the api.atlassian.com gateway." }),
    endpoints: z.array(EndpointViewSchema),
  })
  .openapi("ScopesAnswer");

const route = createRoute({
  method: "get",
  path: "/",
  summary: "The scopes an endpoint requires",
  description:
    "Every endpoint matching the path (all methods when `method` is omitted), with its alternatives: any one set suffices, every scope in a set is needed.",
  middleware: [withCatalogForPath, conditionalGet] as const,
  request: { query: QuerySchema },
  responses: {
    200: {
      description: "The matching endpoints.",
      content: {
        "application/json": {
          schema: ScopesAnswerSchema,
          example: {
            query: { path: "/rest/agile/1.0/board", method: "GET", matchedPath: "/rest/agile/1.0/board" },
            catalog: { version: "2026-11-30T03-12-30Z", scrapedAt: "2026-11-30T03:12:30.003Z", source: "kv" },
            notes: [],
            endpoints: [
              {
                product: "jira-software",
                method: "GET",
                path: "/rest/agile/1.0/board",
                operationId: "getAllBoards",
                summary: "Get all boards",
                docsUrl:
                  "https://developer.atlassian.com/cloud/jira/software/rest/api-group-board/#api-rest-agile-1-0-board-get",
                alternatives: [
                  {
                    kind: "granular",
                    state: "Current",
                    scopes: ["read:board-scope:jira-software", "read:project:jira"],
                  },
                ],
                anonymous: false,
                connectScope: "READ",
                deprecated: false,
                experimental: false,
                notes: ["Jira Software has no classic scopes: a token needs the granular scopes listed."],
              },
            ],
          },
        },
        "text/plain": {
          schema: z.string(),
          example:
            "GET /rest/agile/1.0/board  [jira-software] Get all boards\n  needs: read:board-scope:jira-software + read:project:jira  (granular, Current)\n",
        },
      },
    },
    304: { description: "Not modified: the catalog version (ETag) is unchanged." },
    400: errorResponseDoc(
      "`path` missing, malformed (bad percent-encoding, control characters), too long, or `method` not an HTTP method.",
      {
        code: "invalid_request",
        message:
          "path: `path` is required: a request path such as /rest/api/3/issue/ABC-1, or a full Jira, Confluence, Bitbucket or api.atlassian.com URL",
      },
    ),
    404: errorResponseDoc(
      "`endpoint_not_found` (with up to 5 nearest templates in `details.suggestions`) or `method_not_found` (with `details.methods`).",
      {
        code: "method_not_found",
        message: "/rest/agile/1.0/board exists, but not with PATCH; it takes GET, POST.",
      },
    ),
  },
});

export const scopes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook }).openapi(route, async (c) => {
  const { path, method } = c.req.valid("query");
  let served = c.get("served");
  let found = lookupEndpoints(served.index, path, method);
  // The partial index knows only matches of the path as given: an implied prefix (`/wiki`, `/2.0`),
  // and the suggestions for a path that matches nothing, need the whole catalog.
  if (!found.ok && found.code === "endpoint_not_found" && served.partial) {
    served = await wholeCatalog(c);
    found = lookupEndpoints(served.index, path, method);
  }
  if (!found.ok) throw new ApiError(found.status, found.code, found.message, found.details);
  const endpoints = found.endpoints.map(endpointView);
  const answer = {
    query: {
      path,
      method: method?.trim() ? method.trim().toUpperCase() : null,
      matchedPath: found.matchedAs ?? found.request.path,
      host: found.request.host,
      gateway: found.request.gateway,
    },
    catalog: catalogRef(served),
    notes: requestNotes(
      found.request,
      endpoints.map((endpoint) => endpoint.product),
    ),
    endpoints,
  };
  if (wantsText(c)) return textAnswer(c, scopesText(answer.endpoints, answer.notes, answer.catalog.version));
  return c.json(answer, 200);
});

function scopesText(endpoints: readonly EndpointView[], notes: readonly string[], version: string): string {
  const lines: string[] = [];
  for (const endpoint of endpoints) {
    lines.push(
      `${endpoint.method} ${endpoint.path}  [${endpoint.product}]${endpoint.summary ? ` ${endpoint.summary}` : ""}`,
    );
    if (endpoint.alternatives.length === 0) lines.push("  needs: (no OAuth scopes published)");
    endpoint.alternatives.forEach((alternative, index) => {
      lines.push(
        `  ${index === 0 ? "needs:" : "   or:"} ${scopeSetText(alternative.scopes)}  (${alternative.kind}, ${alternative.state})`,
      );
    });
    for (const note of endpoint.notes) lines.push(`  note: ${note}`);
    lines.push(`  docs: ${endpoint.docsUrl}`);
  }
  for (const note of notes) lines.push(`note: ${note}`);
  lines.push(`catalog ${version}`);
  return textLines(lines);
}
