/** Explain: why a call to Atlassian failed, as ordered findings with stable codes and fixes. No I/O. */
import { z } from "@hono/zod-openapi";
import { explainFailure, FINDING_CODES } from "../catalog/explain";
import { readScopesInput } from "../catalog/scope-input";
import type { ServedCatalog } from "../storage/catalog-cache";
import { CatalogRefSchema, catalogRef, todayOf } from "./catalog-ref";
import { CredentialAnswerSchema, CredentialInputSchema, readCredential } from "./credential";
import { fail, ok, type Result } from "./result";
import { stringListFastPath } from "./string-list";
import { isStringList, pickFields, withFastPath } from "./fast-path";
import { lazy } from "../lazy";

export { FINDING_CODES };

const MAX_METHOD_LENGTH = 10;
const MAX_URL_LENGTH = 4096;
const MAX_BODY_TEXT_LENGTH = 65536;
/** A status given as its three digits in a string. */
const STATUS_TEXT = /^\s*\d{3}\s*$/;
const isStatus = (value: number) => Number.isInteger(value) && value >= 100 && value <= 599;

const ExplainBodySchema = z
  .object({
    // Each check says its own: the type's message would otherwise answer "required" for a value given.
    method: z
      .string({ error: "`method` is required: the HTTP method of the failed call, e.g. GET" })
      .min(1, "`method` is empty: give the HTTP method of the failed call, e.g. GET")
      .max(MAX_METHOD_LENGTH, "`method` is longer than any HTTP method (10 characters at most), e.g. GET")
      .openapi({ example: "GET" }),
    url: z
      .string({ error: "`url` is required: the URL (or path) the failed call went to" })
      .min(1, "`url` is empty: give the URL (or path) the failed call went to")
      .max(
        MAX_URL_LENGTH,
        "`url` is longer than 4,096 characters: give the URL the failed call went to, without its body",
      )
      .openapi({ example: "https://acme.atlassian.net/rest/agile/1.0/board" }),
    // "401" as a string too: assistants and scripts send it so, and it means the same.
    status: z
      .preprocess(
        (value) => (typeof value === "string" && STATUS_TEXT.test(value) ? Number(value) : value),
        z
          .number({
            error: (issue) =>
              issue.input === undefined
                ? "`status` is required: the HTTP status the call got, e.g. 401"
                : "`status` must be an HTTP status such as 401 (a number, or its three digits as a string)",
          })
          .int()
          .min(100, "`status` must be an HTTP status from 100 to 599")
          .max(599, "`status` must be an HTTP status from 100 to 599"),
      )
      .openapi({ example: 401 }),
    body: z
      .union([z.string().max(MAX_BODY_TEXT_LENGTH), z.record(z.string(), z.unknown())])
      .optional()
      .openapi({
        description: "The response body, as text or JSON.",
        example: '{"code":401,"message":"Unauthorized; scope does not match"}',
      }),
    scopes: z
      // Token lists are accepted here only to answer them with a pointer to POST /diff.
      .union([
        stringListFastPath(z.array(z.string())),
        z.string(),
        z.array(z.looseObject({ scopes: z.unknown() })),
        z.looseObject({ data: z.array(z.unknown()) }),
      ])
      .optional()
      .openapi({
        description: "The token's scopes, if known: a list or one string separated by spaces, commas or newlines.",
        example: ["read:board-scope:jira-software"],
      }),
    credential: CredentialInputSchema.optional(),
  })
  .openapi("ExplainRequest");

const FindingSchema = lazy(() =>
  z
    .object({
      code: z.enum(FINDING_CODES),
      message: z.string(),
      fix: z.string(),
      details: z.record(z.string(), z.unknown()).optional().openapi({
        description:
          "Per code, e.g. `missing`, `alternatives` and `hints` (missing_scopes), `connectScope` (a Connect app's 403 without its descriptor's scopes), `gatewayUrl` and `hedged` (wrong_host given as one reading among others: no scopes and no gateway text), `listedMissing` (scope_check_passed), `atlassianMessages`.",
      }),
    })
    .openapi("Finding"),
);

export const ExplainAnswerSchema = lazy(() =>
  z
    .object({
      catalog: CatalogRefSchema(),
      credential: CredentialAnswerSchema().optional().openapi({
        description: "The credential the scopes were checked for: as given, or inferred from them (then with why).",
      }),
      endpoints: z.array(z.object({ product: z.string(), method: z.string(), path: z.string(), docsUrl: z.string() })),
      findings: z.array(FindingSchema()).openapi({ description: "Most important first." }),
    })
    .openapi("Explanation"),
);

export type ExplainInput = z.infer<typeof ExplainBodySchema>;

const EXPLAIN_FIELDS = ["method", "url", "status", "body", "scopes", "credential"] as const;

/**
 * An /explain body of the common shapes as ExplainBodySchema reads it (answers/fast-path.ts): the
 * status as a number or its digits, the response body as text, scopes as a list or one string;
 * anything else (a JSON response body, a bad field) is left to zod.
 */
function readExplainBody(input: unknown): ExplainInput | undefined {
  const fields = pickFields(input, EXPLAIN_FIELDS);
  if (!fields) return undefined;
  const { method, url, status, body, scopes, credential } = fields;
  if (typeof method !== "string" || method.length < 1 || method.length > MAX_METHOD_LENGTH) return undefined;
  if (typeof url !== "string" || url.length < 1 || url.length > MAX_URL_LENGTH) return undefined;
  const code = typeof status === "string" && STATUS_TEXT.test(status) ? Number(status) : status;
  if (typeof code !== "number" || !isStatus(code)) return undefined;
  fields.status = code;
  if (body !== undefined && !(typeof body === "string" && body.length <= MAX_BODY_TEXT_LENGTH)) return undefined;
  if (scopes !== undefined && typeof scopes !== "string" && !isStringList(scopes)) return undefined;
  if (credential !== undefined && typeof credential !== "string") return undefined;
  return fields as ExplainInput;
}

export const ExplainInputSchema = withFastPath(ExplainBodySchema, readExplainBody);
export type ExplainAnswer = z.infer<ReturnType<typeof ExplainAnswerSchema>>;

export function answerExplain(served: ServedCatalog, body: ExplainInput): Result<ExplainAnswer> {
  const credential = readCredential(body.credential);
  if (!credential.ok) return credential;
  let scopes: string[] | undefined;
  if (body.scopes !== undefined) {
    const input = readScopesInput(body.scopes);
    if (!input.ok) return fail(input.code, input.message);
    if (input.value.kind !== "scopes")
      return fail(
        "invalid_scopes",
        "`scopes` must be one token's scope list here; use POST /diff for a list of tokens.",
      );
    scopes = input.value.scopes;
  }
  const result = explainFailure(
    {
      method: body.method,
      url: body.url,
      status: body.status,
      body: explainBodyText(body),
      scopes,
      credential: credential.value,
    },
    served.index,
    { today: todayOf(served) },
  );
  return ok({
    catalog: catalogRef(served),
    ...(result.credential ? { credential: result.credential } : {}),
    endpoints: result.endpoints.map((endpoint) => ({
      product: endpoint.product,
      method: endpoint.method,
      path: endpoint.path,
      docsUrl: endpoint.docsUrl,
    })),
    findings: result.findings,
  });
}

/** The error body as explainFailure reads it: text as sent, JSON as its text. */
export function explainBodyText(body: ExplainInput): string | undefined {
  return typeof body.body === "string" ? body.body : body.body ? JSON.stringify(body.body) : undefined;
}
