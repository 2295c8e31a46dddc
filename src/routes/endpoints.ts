/** GET /endpoints?scope=...: reverse lookup, every endpoint a scope appears in and what it needs beside it. */
import { OpenAPIHono, createRoute, z } from "@hono/zod-openapi";
import { isHttpMethod } from "../catalog/catalog-index";
import { HTTP_METHODS, PRODUCTS, ProductSchema } from "../catalog/schema";
import { ApiError, errorResponseDoc } from "../errors";
import {
  CatalogRefSchema,
  FormatQuerySchema,
  catalogRef,
  conditionalGet,
  decodeCursor,
  encodeCursor,
  limitQuery,
  validationHook,
  textAnswer,
  wantsText,
  withCatalog,
  type AppEnv,
} from "./shared";
import { textLines } from "../views/escape";
import { AlternativeViewSchema } from "./views";

const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 500;

const QuerySchema = z.object({
  scope: z
    .string({ error: "`scope` is required: a scope name such as read:board-scope:jira-software" })
    .min(1, "`scope` is empty: give a scope name such as read:jira-work")
    .max(200, "`scope` is longer than any scope name (200 characters at most)")
    .openapi({ example: "read:board-scope:jira-software" }),
  product: ProductSchema.optional().describe(`Only endpoints of this product: ${PRODUCTS.join(", ")}.`),
  method: z.string().optional().openapi({ example: "GET" }),
  limit: limitQuery(MAX_LIMIT, `Page size, default ${DEFAULT_LIMIT}.`),
  cursor: z.string().max(100).optional().openapi({ description: "`nextCursor` of the previous page." }),
  format: FormatQuerySchema,
});

const UseSchema = z
  .object({
    product: z.string(),
    method: z.string(),
    path: z.string(),
    summary: z.string().optional(),
    docsUrl: z.string(),
    deprecated: z.boolean(),
    alone: z.boolean().openapi({ description: "True when the scope by itself is one of the endpoint's alternatives." }),
    sets: z.array(
      AlternativeViewSchema.extend({
        companions: z.array(z.string()).openapi({ description: "The other scopes this set needs." }),
      }),
    ),
  })
  .openapi("ScopeUse");

const AnswerSchema = z
  .object({
    scope: z.object({
      name: z.string(),
      kind: z.enum(["classic", "granular"]),
      product: z.string(),
      description: z.string().optional(),
      endpoints: z.number().int().openapi({ description: "Endpoints the scope appears in, before filters." }),
    }),
    catalog: CatalogRefSchema,
    total: z.number().int().openapi({ description: "Endpoints matching the filters." }),
    endpoints: z.array(UseSchema),
    nextCursor: z.string().nullable(),
  })
  .openapi("ScopeEndpoints");

const route = createRoute({
  method: "get",
  path: "/",
  summary: "Reverse lookup: the endpoints a scope unlocks",
  description:
    "Every endpoint in whose alternatives the scope appears, saying whether it suffices alone or which companions its set needs.",
  middleware: [withCatalog, conditionalGet] as const,
  request: { query: QuerySchema },
  responses: {
    200: {
      description: "The endpoints, one page.",
      content: {
        "application/json": {
          schema: AnswerSchema,
          example: {
            scope: {
              name: "read:board-scope:jira-software",
              kind: "granular",
              product: "jira-software",
              description: "View boards and their configuration.",
              endpoints: 17,
            },
            catalog: { version: "2026-11-30T03-12-30Z", scrapedAt: "2026-11-30T03:12:30.003Z", source: "kv" },
            total: 17,
            endpoints: [
              {
                product: "jira-software",
                method: "GET",
                path: "/rest/agile/1.0/board",
                summary: "Get all boards",
                docsUrl:
                  "https://developer.atlassian.com/cloud/jira/software/rest/api-group-board/#api-rest-agile-1-0-board-get",
                deprecated: false,
                alone: false,
                sets: [
                  {
                    kind: "granular",
                    state: "Current",
                    scopes: ["read:board-scope:jira-software", "read:project:jira"],
                    companions: ["read:project:jira"],
                  },
                ],
              },
            ],
            nextCursor: null,
          },
        },
        "text/plain": { schema: z.string() },
      },
    },
    304: { description: "Not modified: the catalog version (ETag) is unchanged." },
    400: errorResponseDoc("Missing `scope`, an unknown `product`, a bad `method`, `limit` or `cursor`.", {
      code: "invalid_request",
      message: "scope: `scope` is required: a scope name such as read:board-scope:jira-software",
    }),
    404: errorResponseDoc(
      "`scope_not_found`: the catalog has no such scope; `details.suggestions` names the nearest.",
      {
        code: "scope_not_found",
        message: "No scope read:board-scope:jira in the catalog. Did you mean read:board-scope:jira-software?",
      },
    ),
  },
});

export const endpoints = new OpenAPIHono<AppEnv>({ defaultHook: validationHook }).openapi(route, (c) => {
  const query = c.req.valid("query");
  const served = c.get("served");
  const catalog = served.index;
  const name = query.scope.trim();
  const info = catalog.scope(name);
  if (!info) {
    const suggestions = catalog.suggestScopes(name);
    throw new ApiError(
      404,
      "scope_not_found",
      `No scope ${name} in the catalog.${suggestions.length > 0 ? ` Did you mean ${suggestions[0]}?` : " Check the spelling: scopes look like read:jira-work or read:issue:jira."}`,
      { scope: name, suggestions },
    );
  }
  const method = query.method?.trim().toUpperCase();
  if (method !== undefined && !isHttpMethod(method)) {
    throw new ApiError(400, "invalid_method", `\`method\` must be one of ${HTTP_METHODS.join(", ")}.`);
  }
  const matching = catalog
    .endpointsWithScope(name)
    .filter(
      (endpoint) => (!query.product || endpoint.product === query.product) && (!method || endpoint.method === method),
    );
  const offset = decodeCursor(query.cursor);
  const limit = query.limit ?? DEFAULT_LIMIT;
  const page = matching.slice(offset, offset + limit).map((endpoint) => {
    const sets = endpoint.alternatives
      .filter((alternative) => alternative.scopes.includes(name))
      .map((alternative) => ({
        kind: alternative.kind,
        state: alternative.state,
        scopes: alternative.scopes,
        companions: alternative.scopes.filter((scope) => scope !== name),
      }));
    return {
      product: endpoint.product,
      method: endpoint.method,
      path: endpoint.path,
      summary: endpoint.summary,
      docsUrl: endpoint.docsUrl,
      deprecated: endpoint.deprecated,
      alone: sets.some((set) => set.companions.length === 0),
      sets,
    };
  });
  const answer = {
    scope: {
      name: info.name,
      kind: info.kind,
      product: info.product,
      description: info.description,
      endpoints: info.endpoints,
    },
    catalog: catalogRef(served),
    total: matching.length,
    endpoints: page,
    nextCursor: offset + limit < matching.length ? encodeCursor(offset + limit) : null,
  };
  if (!wantsText(c)) return c.json(answer, 200);
  const lines = [
    `${info.name} (${info.kind}, ${info.product})${info.description ? `: ${info.description}` : ""}`,
    `${matching.length} endpoints${page.length < matching.length ? `, showing ${offset + 1}-${offset + page.length}` : ""}`,
  ];
  for (const use of page) {
    const needs = use.alone ? "alone" : `with ${use.sets.map((set) => set.companions.join(" + ")).join(" | or with ")}`;
    lines.push(`${use.method} ${use.path}  [${use.product}]  ${needs}`);
  }
  if (answer.nextCursor) lines.push(`more: add &cursor=${answer.nextCursor}`);
  return textAnswer(c, textLines(lines));
});
