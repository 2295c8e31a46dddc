/** POST /explain: why did my call fail? Ordered findings, each with a stable code and the fix. */
import { OpenAPIHono, createRoute, z } from "@hono/zod-openapi";
import { explainFailure } from "../catalog/explain";
import { readScopesInput } from "../catalog/scope-input";
import { ApiError, errorResponseDoc } from "../errors";
import {
  CatalogRefSchema,
  FormatQuerySchema,
  catalogRef,
  requireContentType,
  textAnswer,
  validationHook,
  wantsText,
  withCatalog,
  type AppEnv,
} from "./shared";
import { textLines } from "../views/escape";

const FINDING_CODES = [
  "wrong_host",
  "endpoint_unknown",
  "missing_scopes",
  "classic_not_supported",
  "scope_check_passed",
  "scopes_sufficient",
  "no_published_scopes",
  "deprecated_endpoint",
  "unknown_scopes",
  "not_an_error",
] as const;

const BodySchema = z
  .object({
    method: z
      .string({ error: "`method` is required: the HTTP method of the failed call, e.g. GET" })
      .min(1)
      .max(10)
      .openapi({ example: "GET" }),
    url: z
      .string({ error: "`url` is required: the URL (or path) the failed call went to" })
      .min(1)
      .max(4096)
      .openapi({ example: "https://acme.atlassian.net/rest/agile/1.0/board" }),
    status: z
      .number({ error: "`status` is required: the HTTP status the call got, e.g. 401" })
      .int()
      .min(100, "`status` must be an HTTP status from 100 to 599")
      .max(599, "`status` must be an HTTP status from 100 to 599")
      .openapi({ example: 401 }),
    body: z
      .union([z.string().max(65536), z.record(z.string(), z.unknown())])
      .optional()
      .openapi({
        description: "The response body, as text or JSON.",
        example: '{"code":401,"message":"Unauthorized; scope does not match"}',
      }),
    scopes: z
      // Token lists are accepted here only to answer them with a pointer to POST /diff.
      .union([
        z.array(z.string()),
        z.string(),
        z.array(z.looseObject({ scopes: z.unknown() })),
        z.looseObject({ data: z.array(z.unknown()) }),
      ])
      .optional()
      .openapi({
        description: "The token's scopes, if known: a list or one string separated by spaces, commas or newlines.",
        example: ["read:board-scope:jira-software"],
      }),
  })
  .openapi("ExplainRequest");

const FindingSchema = z
  .object({
    code: z.enum(FINDING_CODES),
    message: z.string(),
    fix: z.string(),
    details: z.record(z.string(), z.unknown()).optional(),
  })
  .openapi("Finding");

const AnswerSchema = z
  .object({
    catalog: CatalogRefSchema,
    endpoints: z.array(z.object({ product: z.string(), method: z.string(), path: z.string(), docsUrl: z.string() })),
    findings: z.array(FindingSchema).openapi({ description: "Most important first." }),
  })
  .openapi("Explanation");

const route = createRoute({
  method: "post",
  path: "/",
  summary: "Why did my call fail? Findings with stable codes and fixes",
  middleware: [withCatalog] as const,
  request: {
    query: z.object({ format: FormatQuerySchema }),
    body: { required: true, content: { "application/json": { schema: BodySchema } } },
  },
  responses: {
    200: {
      description: `Ordered findings. Codes: ${FINDING_CODES.join(", ")}.`,
      content: {
        "application/json": {
          schema: AnswerSchema,
          example: {
            catalog: { version: "2026-11-30T03-12-30Z", scrapedAt: "2026-11-30T03:12:30.003Z", source: "kv" },
            endpoints: [
              {
                product: "jira-software",
                method: "GET",
                path: "/rest/agile/1.0/board",
                docsUrl:
                  "https://developer.atlassian.com/cloud/jira/software/rest/api-group-board/#api-rest-agile-1-0-board-get",
              },
            ],
            findings: [
              {
                code: "missing_scopes",
                message: "The token lacks read:project:jira for GET /rest/agile/1.0/board.",
                fix: "Create a token that also has read:project:jira (a token's scopes cannot be edited after creation).",
              },
            ],
          },
        },
        "text/plain": { schema: z.string() },
      },
    },
    400: errorResponseDoc("`method`, `url` or `status` missing or malformed, or `scopes` malformed.", {
      code: "invalid_request",
      message: "status: `status` is required: the HTTP status the call got, e.g. 401",
    }),
    415: errorResponseDoc("The body is not sent as JSON.", {
      code: "unsupported_media_type",
      message: "Send the body as JSON with Content-Type: application/json.",
    }),
  },
});

export const explain = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

explain.use("/", requireContentType());

explain.openapi(route, (c) => {
  const body = c.req.valid("json");
  let scopes: string[] | undefined;
  if (body.scopes !== undefined) {
    const input = readScopesInput(body.scopes);
    if (!input.ok) throw new ApiError(400, input.code, input.message);
    if (input.value.kind !== "scopes")
      throw new ApiError(
        400,
        "invalid_scopes",
        "`scopes` must be one token's scope list here; use POST /diff for a list of tokens.",
      );
    scopes = input.value.scopes;
  }
  const served = c.get("served");
  const result = explainFailure(
    {
      method: body.method,
      url: body.url,
      status: body.status,
      body: typeof body.body === "string" ? body.body : body.body ? JSON.stringify(body.body) : undefined,
      scopes,
    },
    served.index,
  );
  const answer = {
    catalog: catalogRef(served),
    endpoints: result.endpoints.map((endpoint) => ({
      product: endpoint.product,
      method: endpoint.method,
      path: endpoint.path,
      docsUrl: endpoint.docsUrl,
    })),
    findings: result.findings,
  };
  if (!wantsText(c)) return c.json(answer, 200);
  const lines = answer.findings.flatMap((finding, index) => [
    `${index + 1}. [${finding.code}] ${finding.message}`,
    `   fix: ${finding.fix}`,
  ]);
  if (lines.length === 0) lines.push("No finding: nothing in the catalog explains this status for this endpoint.");
  lines.push(`catalog ${answer.catalog.version}`);
  return textAnswer(c, textLines(lines));
});
