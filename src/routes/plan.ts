/** POST /plan: the smallest scope set for a whole integration, split over tokens when over the cap. */
import { OpenAPIHono, createRoute, z } from "@hono/zod-openapi";
import {
  MAX_ENDPOINTS,
  parseEndpointLine,
  parseEndpointText,
  parseHar,
  resolveRequests,
  type EndpointRequest,
} from "../catalog/endpoint-input";
import { planScopes } from "../catalog/plan";
import type { Endpoint } from "../catalog/schema";
import { withoutImplied } from "../catalog/implied-scopes";
import { splitTokens } from "../catalog/split";
import { ApiError, errorResponseDoc } from "../errors";
import {
  CatalogRefSchema,
  FormatQuerySchema,
  catalogRef,
  isJsonType,
  requireContentType,
  textAnswer,
  validationHook,
  wantsText,
  withCatalog,
  type AppEnv,
} from "./shared";
import { textLines } from "../views/escape";
import { AlternativeViewSchema, alternativeView } from "./views";

const MAX_SCOPES_DEFAULT = 50;

const PreferSchema = z.enum(["fewest", "granular", "classic"]).openapi({
  description:
    "Tie-break between equally small plans: `fewest` (default; then classic first, Current before Beta), or prefer `granular` / `classic` sets.",
});
const MaxScopesSchema = z
  .number()
  .int()
  .min(1)
  .max(500)
  .openapi({ description: "Scopes per token; default 50, the cap on service-account tokens." });

const BodySchema = z
  .object({
    endpoints: z
      .array(z.union([z.object({ method: z.string().optional(), path: z.string().min(1) }), z.string()]))
      .max(MAX_ENDPOINTS, `at most ${MAX_ENDPOINTS} endpoints per request`)
      .optional()
      .openapi({
        example: [
          "GET /rest/agile/1.0/board",
          "GET https://api.atlassian.com/ex/jira/<cloudId>/rest/api/3/issue/ABC-1",
          { method: "POST", path: "/rest/api/3/issue" },
        ],
      }),
    text: z.string().optional().openapi({ description: "One `METHOD URL` per line." }),
    har: z.unknown().optional().openapi({
      description: "A HAR document (or its `log`): its Atlassian API requests are planned, other entries ignored.",
    }),
    log: z.unknown().optional().openapi({ description: "A HAR document sent as the body itself." }),
    prefer: PreferSchema.optional(),
    maxScopes: MaxScopesSchema.optional(),
  })
  .openapi("PlanRequest");

const PlannedSchema = z.object({
  input: z.object({ method: z.string().nullable(), path: z.string() }),
  product: z.string(),
  method: z.string(),
  path: z.string(),
  chosen: AlternativeViewSchema,
});

const AnswerSchema = z
  .object({
    catalog: CatalogRefSchema,
    prefer: PreferSchema,
    maxScopes: z.number(),
    scopes: z
      .array(z.string())
      .openapi({ description: "The least-privilege scope set for every endpoint that publishes scopes." }),
    fitsMaxScopes: z.boolean(),
    optimal: z.boolean().openapi({
      description:
        "False when the search budget ran out: `scopes` is the best found, `lowerBound` what no plan can beat.",
    }),
    lowerBound: z.number(),
    endpoints: z.array(PlannedSchema),
    withoutScopes: z
      .array(z.object({ product: z.string(), method: z.string(), path: z.string(), docsUrl: z.string() }))
      .openapi({ description: "Endpoints whose documents publish no OAuth scopes, listed apart." }),
    unmatched: z.array(
      z.object({
        input: z.object({ method: z.string().nullable(), path: z.string() }),
        error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }),
      }),
    ),
    ignored: z.number().openapi({ description: "HAR entries that were not Atlassian API calls." }),
    tokens: z
      .array(z.object({ scopes: z.array(z.string()), endpoints: z.array(z.string()) }))
      .nullable()
      .openapi({
        description:
          "When the set exceeds `maxScopes`: the fewest tokens found, each within the cap, with the endpoints each serves.",
      }),
    tokensOptimal: z.boolean().nullable(),
    notes: z.array(z.string()),
  })
  .openapi("Plan");

const route = createRoute({
  method: "post",
  path: "/",
  summary: "Least-privilege plan: the smallest scope set for the endpoints an integration calls",
  description:
    "Body: JSON (`endpoints`, `text` or `har`, plus `prefer` and `maxScopes`), a HAR document itself, or `text/plain` with one `METHOD URL` per line (then `prefer` and `maxScopes` go in the query). For each endpoint exactly one alternative is chosen so that the union of scopes is smallest; Bitbucket classic scopes that another scope of the plan implies (`repository` beside `repository:write`) are then left out, with a note.",
  middleware: [withCatalog] as const,
  request: {
    query: z.object({
      format: FormatQuerySchema,
      prefer: PreferSchema.optional(),
      maxScopes: z.coerce.number().int().min(1).max(500).optional(),
    }),
    body: {
      required: true,
      content: {
        "application/json": { schema: BodySchema },
        "text/plain": {
          schema: z.string().openapi({
            example: "GET https://api.atlassian.com/ex/jira/<cloudId>/rest/agile/1.0/board\nPOST /rest/api/3/issue",
          }),
        },
      },
    },
  },
  responses: {
    200: {
      description: "The plan.",
      content: {
        "application/json": {
          schema: AnswerSchema,
          example: {
            catalog: { version: "2026-11-30T03-12-30Z", scrapedAt: "2026-11-30T03:12:30.003Z", source: "kv" },
            prefer: "fewest",
            maxScopes: 50,
            scopes: ["read:board-scope:jira-software", "read:project:jira", "write:jira-work"],
            fitsMaxScopes: true,
            optimal: true,
            lowerBound: 3,
            endpoints: [
              {
                input: { method: "GET", path: "/rest/agile/1.0/board" },
                product: "jira-software",
                method: "GET",
                path: "/rest/agile/1.0/board",
                chosen: {
                  kind: "granular",
                  state: "Current",
                  scopes: ["read:board-scope:jira-software", "read:project:jira"],
                },
              },
            ],
            withoutScopes: [],
            unmatched: [],
            ignored: 0,
            tokens: null,
            tokensOptimal: null,
            notes: [],
          },
        },
        "text/plain": { schema: z.string() },
      },
    },
    400: errorResponseDoc(
      "No endpoints given, a malformed HAR or body, more than 1000 endpoints, a bad `prefer` or `maxScopes`.",
      {
        code: "no_endpoints",
        message: "Give the endpoints to plan for: `endpoints`, `text` (one METHOD URL per line) or `har`.",
      },
    ),
    415: errorResponseDoc("The body is neither JSON nor text/plain.", {
      code: "unsupported_media_type",
      message: "Send JSON (application/json) or one METHOD URL per line (text/plain).",
    }),
  },
});

export const plan = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

plan.use(
  "/",
  requireContentType(
    (mediaType) => mediaType === "text/plain" || isJsonType(mediaType),
    "Send JSON (Content-Type: application/json) or one METHOD URL per line (Content-Type: text/plain).",
  ),
);

plan.openapi(route, async (c) => {
  const query = c.req.valid("query");
  const type = (c.req.header("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
  let requests: EndpointRequest[] = [];
  let ignored = 0;
  let prefer = query.prefer ?? "fewest";
  let maxScopes = query.maxScopes ?? MAX_SCOPES_DEFAULT;
  if (type === "text/plain") {
    requests = parseEndpointText(await c.req.text());
  } else {
    // requireContentType let only text/plain and JSON through.
    const body = c.req.valid("json") as z.infer<typeof BodySchema>;
    prefer = body.prefer ?? prefer;
    maxScopes = body.maxScopes ?? maxScopes;
    for (const item of body.endpoints ?? []) {
      const request = typeof item === "string" ? parseEndpointLine(item) : item;
      if (request) requests.push(request);
    }
    if (body.text !== undefined) requests.push(...parseEndpointText(body.text));
    const har = "har" in body ? body.har : "log" in body ? { log: body.log } : undefined;
    if ("har" in body || "log" in body) {
      const entries = parseHar(har);
      if ("error" in entries) throw new ApiError(400, "invalid_har", `\`har\`: ${entries.error}`);
      requests.push(...entries.requests);
      ignored = entries.ignored;
    }
  }
  if (requests.length === 0) {
    throw new ApiError(
      400,
      "no_endpoints",
      "Give the endpoints to plan for: `endpoints`, `text` (one METHOD URL per line) or `har` (a HAR file's log.entries).",
    );
  }
  if (requests.length > MAX_ENDPOINTS)
    throw new ApiError(
      400,
      "too_many_endpoints",
      `${requests.length} endpoints given; at most ${MAX_ENDPOINTS} per request.`,
    );

  const served = c.get("served");
  const targets = resolveRequests(served.index, requests);
  const unique = new Map<string, { input: { method: string | null; path: string }; endpoint: Endpoint }>();
  const unmatched: {
    input: { method: string | null; path: string };
    error: { code: string; message: string; details?: unknown };
  }[] = [];
  for (const target of targets) {
    if (target.error) unmatched.push({ input: target.input, error: target.error });
    for (const endpoint of target.endpoints ?? []) {
      const key = `${endpoint.method} ${endpoint.path}`;
      if (!unique.has(key)) unique.set(key, { input: target.input, endpoint });
    }
  }
  const planned = [...unique.values()];
  const scoped = planned.filter(({ endpoint }) => endpoint.alternatives.length > 0);
  const result = planScopes(
    scoped.map(({ endpoint }) => endpoint),
    { prefer },
  );
  const endpoints = scoped.map(({ input, endpoint }, index) => ({
    input,
    product: endpoint.product,
    method: endpoint.method,
    path: endpoint.path,
    chosen: alternativeView(endpoint.alternatives[result.choices[index]!]!),
  }));
  // Bitbucket classic scopes imply lesser ones: a scope another one grants adds nothing to the token.
  const folded = withoutImplied(result.scopes);
  const scopes = folded.scopes;
  const lowerBound = Math.min(result.lowerBound, scopes.length);
  const fits = scopes.length <= maxScopes;
  const split = fits
    ? undefined
    : splitTokens(
        endpoints.map((endpoint) => endpoint.chosen.scopes),
        maxScopes,
      );
  const notes: string[] = [];
  if (!result.optimal)
    notes.push(
      `The search budget ran out: this plan has ${scopes.length} scopes and none can have fewer than ${lowerBound}.`,
    );
  for (const { scope, grantedBy } of folded.dropped)
    notes.push(`\`${scope}\` is left out: \`${grantedBy}\` grants it (Bitbucket OAuth 2.0 scopes imply lesser ones).`);
  if (!fits)
    notes.push(
      `${scopes.length} scopes exceed the ${maxScopes}-scope cap: the endpoints are split over ${split!.tokens.length} tokens.`,
    );
  for (const index of split?.unfit ?? [])
    notes.push(
      `${endpoints[index]!.method} ${endpoints[index]!.path} alone needs ${endpoints[index]!.chosen.scopes.length} scopes, over the cap.`,
    );
  if (scoped.some(({ endpoint }) => endpoint.product === "jira-software"))
    notes.push("Jira Software has no classic scopes, so its endpoints always add granular scopes.");
  const answer = {
    catalog: catalogRef(served),
    prefer,
    maxScopes,
    scopes,
    fitsMaxScopes: fits,
    optimal: result.optimal,
    lowerBound,
    endpoints,
    withoutScopes: planned
      .filter(({ endpoint }) => endpoint.alternatives.length === 0)
      .map(({ endpoint }) => ({
        product: endpoint.product,
        method: endpoint.method,
        path: endpoint.path,
        docsUrl: endpoint.docsUrl,
      })),
    unmatched,
    ignored,
    tokens: split
      ? split.tokens.map((token) => ({
          scopes: withoutImplied(token.scopes).scopes,
          endpoints: token.endpoints.map((index) => `${endpoints[index]!.method} ${endpoints[index]!.path}`),
        }))
      : null,
    tokensOptimal: split ? split.optimal : null,
    notes,
  };
  if (!wantsText(c)) return c.json(answer, 200);
  return textAnswer(c, planText(answer));
});

function planText(answer: {
  scopes: string[];
  maxScopes: number;
  fitsMaxScopes: boolean;
  optimal: boolean;
  endpoints: { method: string; path: string; chosen: { scopes: string[]; kind: string } }[];
  withoutScopes: { method: string; path: string }[];
  unmatched: { input: { method: string | null; path: string }; error: { message: string } }[];
  tokens: { scopes: string[]; endpoints: string[] }[] | null;
  notes: string[];
  catalog: { version: string };
}): string {
  const lines: string[] = [];
  const tokenBlock = (scopes: string[]) => [`  paste: ${scopes.join(" ")}`, ...scopes.map((scope) => `  ${scope}`)];
  if (answer.tokens) {
    lines.push(
      `${answer.scopes.length} scopes in all: over the ${answer.maxScopes}-scope cap, so ${answer.tokens.length} tokens:`,
    );
    answer.tokens.forEach((token, index) => {
      lines.push(
        `token ${index + 1}: ${count(token.scopes.length, "scope")} for ${count(token.endpoints.length, "endpoint")}`,
        ...tokenBlock(token.scopes),
      );
      for (const endpoint of token.endpoints) lines.push(`    serves ${endpoint}`);
    });
  } else {
    lines.push(
      `${count(answer.scopes.length, "scope")}${answer.optimal ? " (the smallest set)" : ""}, within the ${answer.maxScopes}-scope cap:`,
      ...tokenBlock(answer.scopes),
    );
    lines.push("for:");
    for (const endpoint of answer.endpoints)
      lines.push(
        `  ${endpoint.method} ${endpoint.path}  <- ${endpoint.chosen.scopes.join(" + ")} (${endpoint.chosen.kind})`,
      );
  }
  for (const endpoint of answer.withoutScopes) lines.push(`no published scopes: ${endpoint.method} ${endpoint.path}`);
  for (const item of answer.unmatched)
    lines.push(`not found: ${`${item.input.method ?? ""} ${item.input.path}`.trim()}: ${item.error.message}`);
  for (const note of answer.notes) lines.push(`note: ${note}`);
  lines.push(`catalog ${answer.catalog.version}`);
  return textLines(lines);
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}
