/** POST /diff: what a token's scopes lack for given endpoints, or, without endpoints, what it can call. */
import { OpenAPIHono, createRoute, z } from "@hono/zod-openapi";
import type { CatalogIndex } from "../catalog/catalog-index";
import { callableEndpoints, checkEndpoint, unknownScopes, unusedScopes, type EndpointCheck } from "../catalog/diff";
import {
  MAX_ENDPOINTS,
  parseEndpointLine,
  resolveRequests,
  type EndpointRequest,
  type ResolvedTarget,
} from "../catalog/endpoint-input";
import type { Endpoint } from "../catalog/schema";
import { MAX_SCOPES, readScopesInput, type TokenScopes } from "../catalog/scope-input";
import { ApiError, errorResponseDoc } from "../errors";
import {
  CatalogRefSchema,
  FormatQuerySchema,
  catalogRef,
  decodeCursor,
  encodeCursor,
  requireContentType,
  textAnswer,
  validationHook,
  wantsText,
  withCatalog,
  type AppEnv,
} from "./shared";
import { textLines } from "../views/escape";
import { AlternativeViewSchema, alternativeView, scopeSetText } from "./views";

const DEFAULT_LIMIT = 100;
const MAX_LIMIT = 1000;

const TokenSchema = z
  .looseObject({
    id: z.string().optional(),
    label: z.string().optional(),
    scopes: z.union([z.array(z.string()), z.string()]),
  })
  .openapi("AdminApiToken", {
    description: "One entry of the admin API's list of a service account's API tokens; other fields are ignored.",
  });

const ScopesSchema = z
  .union([z.array(z.string()), z.string(), z.array(TokenSchema), z.looseObject({ data: z.array(TokenSchema) })], {
    error:
      "`scopes` must be a list of scope names, one string of names separated by spaces, commas or newlines, or the admin API's token list ([{id, label, scopes}])",
  })
  .openapi({
    description: `The token's scopes (at most ${MAX_SCOPES}): a JSON list, one string separated by spaces/commas/newlines, or the admin API's token list (answered per token).`,
    example: ["read:board-scope.admin:jira-software", "read:board-scope:jira-software"],
  });

// The string form first: it is what most clients send, and zod tries the options in order.
const EndpointInputSchema = z.union([
  z
    .string()
    .min(1)
    .openapi({ description: "`METHOD URL` or just a URL (all methods).", example: "GET /rest/agile/1.0/board" }),
  z.object({ method: z.string().optional(), path: z.string().min(1, "`path` is empty") }),
]);

const BodySchema = z
  .object({
    scopes: ScopesSchema,
    path: z.string().optional().openapi({
      description: "One endpoint to check: a path or any URL form (see GET /scopes).",
      example: "https://api.atlassian.com/ex/jira/11111111-2222-3333-4444-555555555555/rest/agile/1.0/board",
    }),
    method: z.string().optional().openapi({ example: "GET" }),
    endpoints: z
      .array(EndpointInputSchema)
      .max(MAX_ENDPOINTS, `at most ${MAX_ENDPOINTS} endpoints per request`)
      .optional()
      .openapi({
        description: `Endpoints to check (at most ${MAX_ENDPOINTS}); without \`path\` and \`endpoints\` the answer lists what the scopes can call.`,
      }),
    limit: z
      .number()
      .int()
      .min(1)
      .max(MAX_LIMIT)
      .optional()
      .openapi({ description: `Page size of the "what can it call" list, default ${DEFAULT_LIMIT}.` }),
    cursor: z.string().max(100).optional(),
  })
  .openapi("DiffRequest");

const CheckSchema = z
  .object({
    input: z.object({ method: z.string().nullable(), path: z.string() }).openapi({
      description:
        "The input as given (method upper-cased); one input without a method may give one result per method.",
    }),
    product: z.string().optional(),
    method: z.string().optional(),
    path: z.string().optional(),
    summary: z.string().optional(),
    docsUrl: z.string().optional().openapi({
      description: "Only where something is to be done: unsatisfied endpoints and those without published scopes.",
    }),
    satisfied: z.boolean().nullable().optional().openapi({
      description:
        "null when no scopes are published for the endpoint. Bitbucket OAuth 2.0 (classic) scopes count with what they imply (`repository:write` grants `repository`); no other scope implies anything.",
    }),
    satisfiedBy: AlternativeViewSchema.nullable().optional().openapi({
      description:
        "The alternative the scopes satisfy (the first in catalog order), as the catalog lists it: a scope in it may be held through implication (see `hints`); null when none.",
    }),
    missing: z.array(z.string()).optional().openapi({
      description:
        "The smallest set of scopes to add so that some alternative is satisfied; scopes that held Bitbucket classic scopes imply are not missing. Left out for satisfied endpoints (nothing is missing).",
    }),
    alternatives: z
      .array(AlternativeViewSchema.extend({ missing: z.array(z.string()) }))
      .optional()
      .openapi({
        description:
          "Every alternative with what it lacks, to choose another fix than `missing`. Left out for satisfied endpoints: `satisfiedBy` says which one holds (GET /scopes lists them all).",
      }),
    hints: z.array(z.string()).optional().openapi({
      description:
        "Near misses (held scopes that look right but do not count), needed scopes held only through a Bitbucket classic scope that implies them, and notes; present, possibly empty, on every checked endpoint.",
    }),
    error: z
      .object({ code: z.string(), message: z.string(), details: z.unknown().optional() })
      .optional()
      .openapi({ description: "This input matched no endpoint (or the method is wrong)." }),
  })
  .openapi("EndpointCheck");

const TokenAnswerSchema = z.object({
  id: z.string().optional(),
  label: z.string().optional(),
  scopes: z.array(z.string()),
  unknownScopes: z.array(z.object({ scope: z.string(), suggestions: z.array(z.string()) })),
  unusedScopes: z.array(z.string()).optional().openapi({
    description:
      "Known held scopes that no alternative of the checked endpoints uses, neither themselves nor a scope they imply (`repository:write` counts as used where `repository` is).",
  }),
  summary: z
    .object({
      checked: z.number(),
      satisfied: z.number(),
      unsatisfied: z.number(),
      unknown: z.number(),
      errors: z.number(),
    })
    .optional(),
  results: z.array(CheckSchema).optional(),
  callable: z
    .object({
      total: z.number(),
      byProduct: z.record(z.string(), z.number()),
      endpoints: z.array(
        z.object({
          product: z.string(),
          method: z.string(),
          path: z.string(),
          summary: z.string().optional(),
          via: AlternativeViewSchema,
        }),
      ),
      nextCursor: z.string().nullable(),
    })
    .optional(),
});

const AnswerSchema = z
  .object({ catalog: CatalogRefSchema, tokens: z.array(TokenAnswerSchema).optional() })
  .extend(TokenAnswerSchema.partial().shape)
  .openapi("DiffAnswer");

const route = createRoute({
  method: "post",
  path: "/",
  summary: "Token diff: the scopes missing for given endpoints, or what the scopes can call",
  middleware: [withCatalog] as const,
  request: {
    query: z.object({ format: FormatQuerySchema }),
    body: { required: true, content: { "application/json": { schema: BodySchema } } },
  },
  responses: {
    200: {
      description:
        "Per endpoint: satisfied, or the smallest set to add; unknown and unused scopes. With an admin API token list, the same per token under `tokens`.",
      content: {
        "application/json": {
          schema: AnswerSchema,
          example: {
            catalog: { version: "2026-11-30T03-12-30Z", scrapedAt: "2026-11-30T03:12:30.003Z", source: "kv" },
            scopes: ["read:board-scope.admin:jira-software", "read:board-scope:jira-software"],
            unknownScopes: [],
            unusedScopes: ["read:board-scope.admin:jira-software"],
            summary: { checked: 1, satisfied: 0, unsatisfied: 1, unknown: 0, errors: 0 },
            results: [
              {
                input: { method: "GET", path: "https://api.atlassian.com/ex/jira/<cloudId>/rest/agile/1.0/board" },
                product: "jira-software",
                method: "GET",
                path: "/rest/agile/1.0/board",
                satisfied: false,
                satisfiedBy: null,
                missing: ["read:project:jira"],
                alternatives: [
                  {
                    kind: "granular",
                    state: "Current",
                    scopes: ["read:board-scope:jira-software", "read:project:jira"],
                    missing: ["read:project:jira"],
                  },
                ],
                hints: [],
              },
            ],
          },
        },
        "text/plain": { schema: z.string() },
      },
    },
    400: errorResponseDoc(
      "Body not JSON, `scopes` missing or malformed, over the limits (500 scopes, 1000 endpoints), or a bad `cursor`.",
      {
        code: "invalid_request",
        message:
          "scopes: `scopes` must be a list of scope names, one string of names separated by spaces, commas or newlines, or the admin API's token list ([{id, label, scopes}])",
      },
    ),
    415: errorResponseDoc("The body is not sent as JSON.", {
      code: "unsupported_media_type",
      message: "Send the body as JSON with Content-Type: application/json.",
    }),
  },
});

type Body = z.infer<typeof BodySchema>;

export const diff = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

diff.use("/", requireContentType());

diff.openapi(route, (c) => {
  const body = c.req.valid("json");
  const served = c.get("served");
  const input = readScopesInput(body.scopes);
  if (!input.ok) throw new ApiError(400, input.code, input.message);
  const targets = resolveTargets(served.index, body);
  const tokens: TokenScopes[] = input.value.kind === "tokens" ? input.value.tokens : [{ scopes: input.value.scopes }];
  const answers = tokens.map((token) => answerFor(token, targets, body, served.index));
  const catalog = catalogRef(served);
  if (wantsText(c)) return textAnswer(c, diffText(answers, catalog.version));
  if (input.value.kind === "tokens") return c.json({ catalog, tokens: answers }, 200);
  const [only] = answers;
  return c.json({ catalog, ...only! }, 200);
});

function resolveTargets(catalog: CatalogIndex, body: Body): ResolvedTarget[] | undefined {
  const wanted: EndpointRequest[] = [];
  if (body.path !== undefined) wanted.push({ method: body.method, path: body.path });
  for (const item of body.endpoints ?? []) {
    const request = typeof item === "string" ? parseEndpointLine(item) : item;
    if (request) wanted.push(request);
  }
  if (wanted.length === 0) return undefined;
  if (wanted.length > MAX_ENDPOINTS)
    throw new ApiError(
      400,
      "too_many_endpoints",
      `${wanted.length} endpoints given; at most ${MAX_ENDPOINTS} per request.`,
    );
  return resolveRequests(catalog, wanted);
}

type TokenAnswer = z.infer<typeof TokenAnswerSchema>;
type CheckResult = z.infer<typeof CheckSchema>;

function answerFor(
  token: TokenScopes,
  targets: ResolvedTarget[] | undefined,
  body: Body,
  catalog: CatalogIndex,
): TokenAnswer {
  const held = new Set(token.scopes);
  const base = {
    id: token.id,
    label: token.label,
    scopes: token.scopes,
    unknownScopes: unknownScopes(token.scopes, catalog),
  };
  if (!targets) {
    const callable = callableEndpoints(held, catalog);
    const offset = decodeCursor(body.cursor);
    const limit = body.limit ?? DEFAULT_LIMIT;
    const byProduct: Record<string, number> = {};
    for (const { endpoint } of callable) byProduct[endpoint.product] = (byProduct[endpoint.product] ?? 0) + 1;
    return {
      ...base,
      callable: {
        total: callable.length,
        byProduct,
        endpoints: callable.slice(offset, offset + limit).map(({ endpoint, via }) => ({
          product: endpoint.product,
          method: endpoint.method,
          path: endpoint.path,
          summary: endpoint.summary,
          via: alternativeView(via),
        })),
        nextCursor: offset + limit < callable.length ? encodeCursor(offset + limit) : null,
      },
    };
  }
  const results: CheckResult[] = [];
  const checked: Endpoint[] = [];
  const summary = { checked: 0, satisfied: 0, unsatisfied: 0, unknown: 0, errors: 0 };
  for (const target of targets) {
    if (target.error) {
      summary.errors++;
      results.push({ input: target.input, error: target.error });
      continue;
    }
    for (const endpoint of target.endpoints ?? []) {
      checked.push(endpoint);
      results.push(checkResult(target.input, endpoint, checkEndpoint(endpoint, held), summary));
    }
  }
  summary.checked = checked.length;
  return { ...base, unusedScopes: unusedScopes(token.scopes, checked, catalog), summary, results };
}

/**
 * One checked endpoint. A satisfied one says which alternative holds and nothing more: the answer
 * for 100 endpoints was 76 KB, half of it the alternatives and empty `missing` of satisfied ones.
 */
function checkResult(
  input: ResolvedTarget["input"],
  endpoint: Endpoint,
  check: EndpointCheck,
  summary: NonNullable<TokenAnswer["summary"]>,
): CheckResult {
  const { product, method, path, summary: title } = endpoint;
  if (check.satisfied === true) {
    summary.satisfied++;
    return {
      input,
      product,
      method,
      path,
      summary: title,
      satisfied: true,
      satisfiedBy: check.satisfiedBy,
      hints: check.hints,
    };
  }
  if (check.satisfied === false) summary.unsatisfied++;
  else summary.unknown++;
  return {
    input,
    product,
    method,
    path,
    summary: title,
    docsUrl: endpoint.docsUrl,
    satisfied: check.satisfied,
    satisfiedBy: check.satisfiedBy,
    missing: check.missing,
    alternatives: check.alternatives,
    hints: check.hints,
  };
}

function diffText(answers: readonly TokenAnswer[], version: string): string {
  const lines: string[] = [];
  for (const answer of answers) {
    if (answers.length > 1 || answer.label || answer.id)
      lines.push(`token ${answer.label ?? answer.id ?? "(unnamed)"}: ${answer.scopes.length} scopes`);
    for (const result of answer.results ?? []) {
      const input = `${result.input.method ?? ""} ${result.input.path}`.trim();
      if (result.error) {
        lines.push(`ERROR   ${input}: ${result.error.message}`);
        continue;
      }
      const where = `${result.method} ${result.path}`;
      if (result.satisfied === true)
        lines.push(`OK      ${where}  via ${scopeSetText(result.satisfiedBy?.scopes ?? [])}`);
      else if (result.satisfied === false) lines.push(`MISSING ${where}  add ${scopeSetText(result.missing ?? [])}`);
      else lines.push(`UNKNOWN ${where}  (no OAuth scopes published)`);
      for (const hint of result.hints ?? []) lines.push(`        hint: ${hint}`);
    }
    if (answer.callable) {
      lines.push(
        `can call ${answer.callable.total} endpoints: ${
          Object.entries(answer.callable.byProduct)
            .map(([product, count]) => `${product} ${count}`)
            .join(", ") || "none"
        }`,
      );
      for (const endpoint of answer.callable.endpoints) lines.push(`  ${endpoint.method} ${endpoint.path}`);
      if (answer.callable.nextCursor) lines.push(`  more: send "cursor": "${answer.callable.nextCursor}"`);
    }
    for (const unknown of answer.unknownScopes)
      lines.push(
        `unknown scope ${unknown.scope}${unknown.suggestions[0] ? ` (did you mean ${unknown.suggestions[0]}?)` : ""}`,
      );
    if (answer.unusedScopes?.length) lines.push(`unused: ${answer.unusedScopes.join(" ")}`);
  }
  lines.push(`catalog ${version}`);
  return textLines(lines);
}
