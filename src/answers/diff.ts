/** Token diff: what a token's scopes lack for given endpoints, or, without endpoints, what it can call. No I/O. */
import { z } from "@hono/zod-openapi";
import type { CatalogIndex } from "../catalog/catalog-index";
import {
  MAX_RANKED_UNKNOWN,
  callableEndpoints,
  callableKey,
  checkEndpoint,
  isKnownScope,
  rankingBudget,
  outsideScopes,
  authorizationScopes,
  deprecatedScopes,
  unknownScopes,
  scopesTakenBy,
  unusedScopes,
  type CallableEndpoint,
  type EndpointCheck,
  type RankingBudget,
} from "../catalog/diff";
import {
  MAX_ENDPOINTS,
  parseEndpointLine,
  readEndpoint,
  resolveRequests,
  type EndpointRequest,
  type ResolvedTarget,
} from "../catalog/endpoint-input";
import { credentialFor, type CredentialKind } from "../catalog/credentials";
import { callContextOf } from "../catalog/notes";
import type { Endpoint } from "../catalog/schema";
import { MAX_SCOPES, readScopesInput, type TokenScopes } from "../catalog/scope-input";
import type { ServedCatalog } from "../storage/catalog-cache";
import { CatalogRefSchema, catalogRef, todayOf } from "./catalog-ref";
import { CredentialAnswerSchema, CredentialInputSchema, readCredential } from "./credential";
import {
  AlternativeViewSchema,
  alternativeView,
  PastRemovalSchema,
  pastRemovalFor,
  pastRemovalView,
} from "./endpoint-view";
import { UrlNoteSchema } from "./lookup";
import { pastRemovalOf } from "../catalog/lookup";
import { CursorSchema, decodeCursor, MAX_CURSOR_LENGTH, MAX_LIMITS, pageOf, pastEnd } from "./paging";
import { countSchema, endpointInputSchema, endpointListType } from "./validate";
import { stringListFastPath } from "./string-list";
import { isCount, isStringList, pickFields, withFastPath } from "./fast-path";
import { fail, ok, type Result } from "./result";
import { MAX_ANSWER_BYTES, answerTooLarge } from "./size-cap";
import { lazy, lazyPer } from "../lazy";

const DEFAULT_LIMIT = 100;
const MAX_LIMIT = MAX_LIMITS.diff;

const TokenSchema = z
  .looseObject({
    id: z.string().optional(),
    label: z.string().optional(),
    scopes: z.union([stringListFastPath(z.array(z.string())), z.string()]),
  })
  .openapi("AdminApiToken", {
    description: "One entry of the admin API's list of a service account's API tokens; other fields are ignored.",
  });

const ScopesSchema = z
  .union(
    [
      stringListFastPath(z.array(z.string())),
      z.string(),
      z.array(TokenSchema),
      z.looseObject({ data: z.array(TokenSchema) }),
    ],
    {
      error:
        "`scopes` must be a list of scope names, one string of names separated by spaces, commas or newlines, or the admin API's token list ([{id, label, scopes}])",
    },
  )
  .openapi({
    description: `The token's scopes (at most ${MAX_SCOPES}): a JSON list, one string separated by spaces/commas/newlines, or the admin API's token list (answered per token). A Connect app's scopes count in all upper or all lower case (\`READ\`, \`read\`), as its descriptor may write them.`,
    example: ["read:board-scope.admin:jira-software", "read:board-scope:jira-software"],
  });

// The string form first: it is what most clients send, and zod tries the options in order.
const EndpointInputSchema = endpointInputSchema();

const DiffBodySchema = z
  .object({
    scopes: ScopesSchema,
    path: z.string().optional().openapi({
      description: "One endpoint to check: a path or any URL form (see GET /scopes).",
      example: "https://api.atlassian.com/ex/jira/11111111-2222-3333-4444-555555555555/rest/agile/1.0/board",
    }),
    method: z
      .string()
      .optional()
      .openapi({ description: "HTTP method; GET when omitted (the answer says so).", example: "GET" }),
    credential: CredentialInputSchema.optional(),
    endpoints: stringListFastPath(
      z
        .array(EndpointInputSchema, { error: endpointListType("for one endpoint, give it as `path` (with `method`)") })
        .max(MAX_ENDPOINTS, `at most ${MAX_ENDPOINTS} endpoints per request`),
      1,
    )
      .optional()
      .openapi({
        description: `Endpoints to check (at most ${MAX_ENDPOINTS}); without \`path\` and \`endpoints\` the answer lists what the scopes can call.`,
      }),
    limit: countSchema("limit", MAX_LIMIT)
      .optional()
      .openapi({ description: `Page size of the "what can it call" list, default ${DEFAULT_LIMIT}.` }),
    cursor: CursorSchema,
  })
  .openapi("DiffRequest");
export type DiffInput = z.infer<typeof DiffBodySchema>;

const DIFF_FIELDS = ["scopes", "path", "method", "credential", "endpoints", "limit", "cursor"] as const;

/**
 * A /diff body of the common shapes as DiffBodySchema reads it (answers/fast-path.ts): scopes as a list
 * or one string, endpoints as lines; anything else (a token list, an endpoint object, a bad field) is
 * left to zod.
 */
function readDiffBody(input: unknown): DiffInput | undefined {
  const body = pickFields(input, DIFF_FIELDS);
  if (!body) return undefined;
  const { scopes, path, method, credential, endpoints, limit, cursor } = body;
  if (typeof scopes !== "string" && !isStringList(scopes)) return undefined;
  if (path !== undefined && typeof path !== "string") return undefined;
  if (method !== undefined && typeof method !== "string") return undefined;
  if (credential !== undefined && typeof credential !== "string") return undefined;
  if (endpoints !== undefined && !isStringList(endpoints, 1, MAX_ENDPOINTS)) return undefined;
  if (limit !== undefined && !isCount(limit, MAX_LIMIT)) return undefined;
  if (cursor !== undefined && !(typeof cursor === "string" && cursor.length <= MAX_CURSOR_LENGTH)) return undefined;
  return body as DiffInput;
}

export const DiffInputSchema = withFastPath(DiffBodySchema, readDiffBody);

const CheckBaseSchema = lazy(() =>
  z.object({
    input: z.object({ method: z.string().nullable(), path: z.string() }).openapi({
      description:
        "The input as given (method upper-cased); an input without a method is checked as GET, and a hint says so.",
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
    needsNoScope: z.literal(true).optional().openapi({
      description:
        "The endpoint needs no scope at all (a curated record: GET https://api.atlassian.com/oauth/token/accessible-resources takes any OAuth 2.0 (3LO) token, /_edge/tenant_info no credentials): satisfied, with `satisfiedBy` null; `hints` says what may call it.",
    }),
    satisfiedBy: AlternativeViewSchema().nullable().optional().openapi({
      description:
        "The alternative the scopes satisfy (the first in catalog order), as the catalog lists it: a scope in it may be held through implication (see `hints`); null when none.",
    }),
    missing: z.array(z.string()).optional().openapi({
      description:
        "The smallest set of scopes to add so that some alternative is satisfied; scopes that held Bitbucket classic scopes imply are not missing. Left out for satisfied endpoints (nothing is missing).",
    }),
    alternatives: z
      .array(
        AlternativeViewSchema().extend({
          missing: z.array(z.string()),
          usable: z.boolean().optional().openapi({
            description: "Only when the credential is known: whether it can hold this set. Unusable sets never count.",
          }),
          why: z.string().optional().openapi({ description: "Why the credential cannot use this set." }),
        }),
      )
      .optional()
      .openapi({
        description:
          "Every alternative with what it lacks, to choose another fix than `missing`. Left out for satisfied endpoints: `satisfiedBy` says which one holds (GET /scopes lists them all).",
      }),
    unusable: z.string().optional().openapi({
      description:
        "The credential cannot call this endpoint through any of its scope sets, and why (e.g. the document names the apps that may call it, quoted).",
    }),
    hints: z.array(z.string()).optional().openapi({
      description:
        "Near misses (held scopes that look right but do not count), needed scopes held only through a Bitbucket classic scope that implies them, and notes (among them, without a credential or with one it allows, which apps the endpoint's document lets call it); present, possibly empty, on every checked endpoint.",
    }),
    deprecated: z.literal(true).optional().openapi({
      description:
        "Set when Atlassian's documents mark the endpoint deprecated: it still works, but its docs name what to move to. Absent otherwise.",
    }),
    removal: PastRemovalSchema().optional().openapi({
      description:
        "Set when the documents still list the endpoint but its removal date has passed: calls to it are expected to answer 410 Gone, whatever the scopes (`satisfied` and `missing` stay as the documents' scopes say; the first hint says so too). The replacement and its scopes when the catalog can tell.",
    }),
    urlNotes: z.array(UrlNoteSchema()).optional().openapi({
      description:
        "What was wrong with the input's URL (a missing gateway prefix, /wiki or /2.0, a mistyped host, a browser link...) and the corrected URL, for the credential given or inferred from the scopes (a Connect app, which calls its site, gets no gateway note); present only when something was.",
    }),
    error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }).optional().openapi({
      description: "This input matched no endpoint (or the method is wrong, or the endpoint was removed).",
    }),
  }),
);

const CheckSchema = lazy(() =>
  CheckBaseSchema()
    .extend({
      replacements: z
        .array(CheckBaseSchema().omit({ input: true, error: true }).openapi("ReplacementCheck"))
        .optional()
        .openapi({
          description:
            "With `error.code` `endpoint_removed`: the endpoint to call instead, checked against the same scopes (not counted in `summary`, where the removed input counts as an error: the call fails whatever the scopes).",
        }),
    })
    .openapi("EndpointCheck"),
);

const TokenAnswerSchema = lazy(() =>
  z.object({
    id: z.string().optional(),
    label: z.string().optional(),
    scopes: z.array(z.string()),
    credential: CredentialAnswerSchema().optional().openapi({
      description:
        "The credential checked for: as given, or inferred from the scopes when they point to one kind (Bitbucket OAuth-consumer scopes only, `*:bitbucket` scopes only, Connect scopes only, `offline_access` with Jira or Confluence scopes or alone: a 3LO app). Absent when neither: every alternative then counts.",
    }),
    warnings: z.array(z.string()).optional().openapi({
      description:
        "Held scopes that no single credential holds together (Bitbucket OAuth-consumer scopes with others), or that the credential given cannot hold.",
    }),
    unknownScopes: z.array(z.object({ scope: z.string(), suggestions: z.array(z.string()) })).openapi({
      description: `Scope names the catalog does not know, with suggestions: the nearest names by spelling, with the real scopes of the same action and resource in another product (\`read:workspace:jira\` → \`read:workspace:bitbucket\`) after any name one edit away. One request ranks at most ${MAX_RANKED_UNKNOWN} new names; the rest are listed with no suggestions.`,
    }),
    outsideScopes: z
      .array(
        z.object({
          scope: z.string(),
          product: z.string(),
          api: z.string(),
          docsUrl: z.string().optional(),
          deprecated: z.boolean().optional(),
        }),
      )
      .optional()
      .openapi({
        description:
          "Real Atlassian scopes (the scope registry, from @forge/manifest) that no catalogued endpoint takes: the API or product outside the catalog that uses each. Listed only when there are some.",
      }),
    authorizationScopes: z
      .array(z.object({ scope: z.string(), note: z.string(), docsUrl: z.string() }))
      .optional()
      .openapi({
        description:
          "Held scopes that no REST endpoint needs because they ask the authorization server for something: `offline_access`, a refresh token for an OAuth 2.0 (3LO) app (https://developer.atlassian.com/cloud/oauth/getting-started/refresh-tokens). Known, so never in `unknownScopes` or `unusedScopes`. Listed only when there are some.",
      }),
    deprecatedScopes: z
      .array(z.object({ scope: z.string(), replacedBy: z.string().optional(), description: z.string().optional() }))
      .optional()
      .openapi({
        description:
          'Held scopes their document calls deprecated (Bitbucket\'s `project:write`, "made obsolete by `project:admin`"): real, not unknown, but no endpoint takes them; `replacedBy` names the scope to ask for. Listed only when there are some.',
      }),
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
    results: z.array(CheckSchema()).optional(),
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
            via: AlternativeViewSchema().optional().openapi({
              description: "The alternative the scopes satisfy; absent for a Connect app's (`connectScope`).",
            }),
            connectScope: z.string().optional().openapi({
              description: "A Connect app's: the endpoint's Connect scope, which a held Connect scope grants.",
              example: "READ",
            }),
            removal: PastRemovalSchema().optional().openapi({
              description:
                "Set when the documents still list the endpoint but its removal date has passed (as on GET /scopes): listed and counted, since the scopes it documents are held, but calls to it answer 410 Gone (or are expected to: `seenGone`). `replacement` names the endpoint to call instead without its scopes (GET /scopes on either gives them).",
            }),
          }),
        ),
        nextCursor: z.string().nullable(),
      })
      .optional(),
  }),
);

export const DiffAnswerSchema = lazy(() =>
  z
    .object({ catalog: CatalogRefSchema(), tokens: z.array(TokenAnswerSchema()).optional() })
    .extend(TokenAnswerSchema().partial().shape)
    .openapi("DiffAnswer"),
);

export type DiffAnswer = z.infer<ReturnType<typeof DiffAnswerSchema>>;

/**
 * Per request, endpoint checks (tokens × endpoints checked) and listed callable endpoints (tokens × page
 * size): the answer grows with their product, and 100 tokens × 1000 endpoints made a 64 MB answer that
 * took the isolate past its 128 MB. A check is at most ~1.5 KB of JSON, a callable entry ~0.2 KB, so the
 * work and the answer built stay within about 3 MB; an answer over 1 MB is then refused as it is sent
 * (answers/size-cap.ts).
 */
const MAX_CHECKS = 2000;
const MAX_LISTED = 10_000;

/**
 * From this many checks a JSON answer counts a lower bound of its size as it is built (checkJsonFloor),
 * so that one surely past MAX_ANSWER_BYTES is refused before the rest is built and serialized; fewer
 * checks are left to the cap on the written answer, without the counting.
 */
const FLOOR_FROM_CHECKS = 200;

export interface DiffOptions {
  /** The answer is sent as JSON (not text or markdown, which are smaller): it may be refused early. */
  json?: boolean;
}

/** One answer per token of the admin API's token list; one token's answer at the top level otherwise. */
export function answerDiff(served: ServedCatalog, body: DiffInput, options: DiffOptions = {}): Result<DiffAnswer> {
  const request = readDiffRequest(body);
  if (!request.ok) return request;
  const { credential, tokens, wanted } = request.value;
  const targets = wanted.length === 0 ? undefined : resolveRequests(served.index, wanted, callContextOf(credential));
  // A line may match more than one endpoint: counted again once resolved.
  const checks = targets ? checksOf(targets) : 0;
  const tooMuch = targets && tooManyChecks(tokens.length, checks);
  if (tooMuch) return fail("answer_too_large", tooMuch);
  const floor =
    options.json && tokens.length * checks >= FLOOR_FROM_CHECKS
      ? { bytes: 0, checks: 0, of: tokens.length * checks }
      : undefined;
  const budget = rankingBudget();
  const lists: CallableLists = new Map();
  const answers: TokenAnswer[] = [];
  // Several tokens' lists share one cursor: each past its own end gets an empty page, and only a cursor
  // past every list is refused.
  const shared = request.value.asTokens && !targets;
  // The URL notes depend on who calls (a Connect app calls its site: no scoped-token gateway note), and
  // a token whose credential is inferred from its scopes (only Connect scopes held) gets the notes of
  // that credential, as an explicit `credential=connect` does: its lines read again under that context,
  // once per context (one more at most: only a Connect inference has one).
  const byContext = new Map([[callContextOf(credential), targets]]);
  const targetsFor = (token: TokenScopes) => {
    if (!targets || credential) return targets;
    const context = callContextOf(credentialFor(token.scopes, undefined).credential?.kind);
    if (!byContext.has(context)) byContext.set(context, resolveRequests(served.index, wanted, context));
    return byContext.get(context);
  };
  for (const token of tokens) {
    const answer = answerFor(
      token,
      targetsFor(token),
      body,
      served.index,
      { budget, lists, shared, today: todayOf(served) },
      credential,
      floor,
    );
    if (!answer.ok) return answer;
    answers.push(answer.value);
  }
  if (shared && answers.every((answer) => answer.callable?.endpoints.length === 0)) {
    const offset = decodeCursor(body.cursor);
    if (offset.ok && offset.value > 0)
      return pastEnd(Math.max(...answers.map((answer) => answer.callable?.total ?? 0)));
  }
  const catalog = catalogRef(served);
  if (request.value.asTokens) return ok({ catalog, tokens: answers });
  return ok({ catalog, ...answers[0]! });
}

interface DiffRequest {
  credential: CredentialKind | undefined;
  tokens: TokenScopes[];
  /** The admin API's token list was given: one answer per token under `tokens`. */
  asTokens: boolean;
  wanted: readonly EndpointRequest[];
}

/**
 * A diff's body read, or the refusal it gets whatever the catalog holds: a bad credential or scope
 * list, too many endpoints, or more checks or listed entries than a request may ask for (each line is
 * at least one check). The route reads it before any shard, so a refused body costs no lookup.
 */
export function readDiffRequest(body: DiffInput): Result<DiffRequest> {
  const credential = readCredential(body.credential);
  if (!credential.ok) return credential;
  const input = readScopesInput(body.scopes);
  if (!input.ok) return fail(input.code, input.message);
  const wanted = diffRequests(body);
  if (wanted.length > MAX_ENDPOINTS)
    return fail("too_many_endpoints", `${wanted.length} endpoints given; at most ${MAX_ENDPOINTS} per request.`);
  const asTokens = input.value.kind === "tokens";
  const tokens = input.value.kind === "tokens" ? input.value.tokens : [{ scopes: input.value.scopes }];
  const tooMuch =
    wanted.length === 0
      ? tooManyListed(tokens.length, body.limit ?? DEFAULT_LIMIT)
      : tooManyChecks(tokens.length, wanted.length);
  if (tooMuch) return fail("answer_too_large", tooMuch);
  return ok({ credential: credential.value, tokens, asTokens, wanted });
}

/** Each token's answer, whichever form the input had. */
export function tokenAnswers(answer: DiffAnswer): TokenAnswer[] {
  if (answer.tokens) return answer.tokens;
  const { catalog: _catalog, tokens: _tokens, ...only } = answer;
  return [only as TokenAnswer];
}

/** The endpoints a diff checks (`path`, then `endpoints`), blank and comment lines left out. */
export const diffRequests = lazyPer(
  // Read once per body: the same request objects then carry their parsed paths (requestPathOf) from
  // choosing shards to the answer.
  (body: Pick<DiffInput, "path" | "method" | "endpoints">): readonly EndpointRequest[] => {
    const requests: EndpointRequest[] = [];
    if (body.path !== undefined) requests.push(readEndpoint({ method: body.method, path: body.path }));
    const items = body.endpoints ?? [];
    for (let index = 0; index < items.length; index++) {
      const item = items[index]!;
      const request = typeof item === "string" ? parseEndpointLine(item) : readEndpoint(item);
      if (request) requests.push(request);
    }
    return requests;
  },
);

export type TokenAnswer = z.infer<ReturnType<typeof TokenAnswerSchema>>;
type CheckResult = z.infer<ReturnType<typeof CheckSchema>>;

/** Why so many checks (tokens × endpoints each) would make too large an answer, or undefined. */
function tooManyChecks(tokens: number, endpoints: number): string | undefined {
  if (tokens * endpoints <= MAX_CHECKS) return undefined;
  return `${tokens} tokens × ${endpoints} endpoints is ${tokens * endpoints} checks; at most ${MAX_CHECKS} per request: send fewer tokens or endpoints at a time.`;
}

/** Why listing a page of `limit` callable endpoints per token would make too large an answer, or undefined. */
function tooManyListed(tokens: number, limit: number): string | undefined {
  if (tokens * limit <= MAX_LISTED) return undefined;
  return `${tokens} tokens × ${limit} callable endpoints per page is ${tokens * limit} entries; at most ${MAX_LISTED} per request: lower \`limit\` or send fewer tokens at a time.`;
}

/** Per resolved list, every scope name an alternative of its endpoints (or their replacements, checked too) takes. */
const scopesTaken = lazyPer((targets: readonly ResolvedTarget[]): ReadonlySet<string> => {
  const endpoints: Endpoint[] = [];
  for (let index = 0; index < targets.length; index++) {
    const { endpoints: matched, replacements } = targets[index]!;
    for (let at = 0; matched && at < matched.length; at++) endpoints.push(matched[at]!);
    for (let at = 0; replacements && at < replacements.length; at++) endpoints.push(replacements[at]!.endpoint);
  }
  return scopesTakenBy(endpoints);
});

/** The checks a token's answer holds: one per endpoint a line matched, one for a line that matched none. */
function checksOf(targets: readonly ResolvedTarget[]): number {
  let checks = 0;
  for (let index = 0; index < targets.length; index++) checks += Math.max(1, targets[index]!.endpoints?.length ?? 0);
  return checks;
}

function answerFor(
  token: TokenScopes,
  targets: ResolvedTarget[] | undefined,
  body: DiffInput,
  catalog: CatalogIndex,
  {
    budget,
    lists,
    shared = false,
    today,
  }: { budget: RankingBudget; lists: CallableLists; shared?: boolean; today: string },
  given: CredentialKind | undefined,
  floor?: JsonFloor,
): Result<TokenAnswer> {
  const held = new Set(token.scopes);
  const taken = targets && scopesTaken(targets);
  const outside = outsideScopes(token.scopes, catalog, taken);
  const deprecated = deprecatedScopes(token.scopes, catalog, taken);
  const { credential, warnings } = credentialFor(token.scopes, given);
  const kind = credential?.kind;
  const isKnown = (scope: string) => isKnownScope(scope, catalog);
  const authorization = authorizationScopes(token.scopes, kind);
  const base = {
    id: token.id,
    label: token.label,
    scopes: token.scopes,
    ...(credential ? { credential } : {}),
    ...(warnings.length > 0 ? { warnings } : {}),
    unknownScopes: unknownScopes(token.scopes, catalog, budget),
    ...(outside.length > 0 ? { outsideScopes: outside } : {}),
    ...(authorization.length > 0 ? { authorizationScopes: authorization } : {}),
    ...(deprecated.length > 0 ? { deprecatedScopes: deprecated } : {}),
  };
  if (!targets) {
    const { callable, byProduct } = callableList(held, catalog, kind, lists);
    const page = pageOf(callable, body.cursor, body.limit ?? DEFAULT_LIMIT, { emptyPastEnd: shared });
    if (!page.ok) return page;
    return ok({
      ...base,
      callable: {
        total: callable.length,
        byProduct: { ...byProduct },
        endpoints: page.value.items.map(({ endpoint, via, connectScope }) => {
          // Only the page's endpoints are asked: a Connect app's list parses no other.
          const removal = pastRemovalFor(catalog, endpoint, today);
          return {
            product: endpoint.product,
            method: endpoint.method,
            path: endpoint.path,
            summary: endpoint.summary,
            ...(via ? { via: alternativeView(via) } : {}),
            ...(connectScope ? { connectScope } : {}),
            ...(removal ? { removal } : {}),
          };
        }),
        nextCursor: page.value.nextCursor,
      },
    });
  }
  const results: CheckResult[] = [];
  const summary = { checked: 0, satisfied: 0, unsatisfied: 0, unknown: 0, errors: 0 };
  // Indexed loops: a for-of allocates per step in a cold isolate, and these run once per check.
  for (let index = 0; index < targets.length; index++) {
    const target = targets[index]!;
    if (target.error) {
      summary.errors++;
      // Replacements of removed inputs are checked but not counted: the summary each adds to is a copy.
      const replacements = (target.replacements ?? []).map(({ endpoint }) => {
        const { input: _input, ...check } = checkResult(
          target.input,
          endpoint,
          checkEndpoint(endpoint, held, kind, isKnown),
          {
            ...summary,
          },
        );
        return check;
      });
      results.push(
        replacements.length > 0
          ? { input: target.input, error: target.error, replacements }
          : { input: target.input, error: target.error },
      );
      continue;
    }
    const endpoints = target.endpoints ?? [];
    for (let at = 0; at < endpoints.length; at++) {
      const endpoint = endpoints[at]!;
      summary.checked++;
      const check = checkEndpoint(endpoint, held, kind, isKnown);
      if (target.assumedMethod)
        check.hints.push(
          `No method was given: checked as ${target.assumedMethod} (a bare URL never adds write or delete scopes); give the method to check another.`,
        );
      const removed = pastRemovalOf(catalog, endpoint, today);
      const removal = removed ? pastRemovalView(removed) : undefined;
      if (removal) check.hints.unshift(removal.message);
      const result = checkResult(target.input, endpoint, check, summary);
      // Added after the check's own fields, as they are written; most checks add neither.
      if (removal) result.removal = removal;
      if (target.urlNotes) result.urlNotes = target.urlNotes;
      results.push(result);
      if (floor) {
        floor.bytes += checkJsonFloor(result);
        floor.checks++;
        if (floor.bytes > MAX_ANSWER_BYTES) return { ok: false, failure: answerTooLarge(floor.bytes, floor) };
      }
    }
  }
  return ok({
    ...base,
    unusedScopes: unusedScopes(token.scopes, scopesTaken(targets), catalog),
    summary,
    results,
  });
}

/** What a token can call, and how many per product: read-only, shared by the tokens with its `callableKey`. */
interface CallableList {
  callable: readonly CallableEndpoint[];
  byProduct: Readonly<Record<string, number>>;
}

/** One request's callable lists, by `callableKey`. */
type CallableLists = Map<string, CallableList>;

/**
 * What a token can call, and how many per product: listed once per request for the tokens whose
 * deciding scopes are the same (100 Connect tokens with the same Connect scopes and different typos
 * walked every endpoint 100 times).
 */
function callableList(
  held: ReadonlySet<string>,
  catalog: CatalogIndex,
  kind: CredentialKind | undefined,
  lists: CallableLists,
): CallableList {
  const key = callableKey(held, catalog, kind);
  let listed = lists.get(key);
  if (!listed) {
    const callable = callableEndpoints(held, catalog, kind);
    const byProduct: Record<string, number> = {};
    // Indexed: a for-of allocates per step in a cold isolate, and a listing counts up to every endpoint.
    for (let at = 0; at < callable.length; at++) {
      // The entry's own product: a Connect app's entries parse their endpoint only when shown.
      const product = callable[at]!.product;
      byProduct[product] = (byProduct[product] ?? 0) + 1;
    }
    listed = { callable, byProduct };
    lists.set(key, listed);
  }
  return listed;
}

/** A JSON answer's size counted as it is built: at least `bytes` after `checks` of its `of` checks. */
interface JsonFloor {
  bytes: number;
  checks: number;
  of: number;
}

/**
 * A lower bound on the UTF-8 size of `check` in the answer's JSON: each field present with its key,
 * quotes and colon, and its strings' lengths (escaping only adds, and a UTF-16 unit is at least one
 * byte); commas, brackets of objects and other fields left out.
 */
export function checkJsonFloor(check: CheckResult): number {
  let bytes = text("input", "") + text("method", check.input.method ?? "") + text("path", check.input.path);
  bytes += text("product", check.product) + text("method", check.method) + text("path", check.path);
  bytes += text("summary", check.summary) + text("docsUrl", check.docsUrl);
  bytes += names("hints", check.hints) + names("missing", check.missing);
  if (check.satisfiedBy) bytes += names("scopes", check.satisfiedBy.scopes);
  const alternatives = check.alternatives;
  // Indexed: a for-of allocates per step in a cold isolate, and this runs once per check.
  for (let at = 0; alternatives && at < alternatives.length; at++)
    bytes += names("scopes", alternatives[at]!.scopes) + names("missing", alternatives[at]!.missing);
  return bytes;
}

/** `"key":"value"`: the value's length and five characters around it and the key. */
const text = (key: string, value: string | undefined) => (value === undefined ? 0 : key.length + value.length + 5);

/** `"key":["a","b"]`: each name quoted, the key, its quotes, colon and brackets. */
function names(key: string, values: readonly string[] | undefined): number {
  if (values === undefined) return 0;
  let bytes = key.length + 5;
  for (let at = 0; at < values.length; at++) bytes += values[at]!.length + 2;
  return bytes;
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
  // Fields set in the order they are written, on one object: spreads made and copied throwaway objects per check.
  const result: CheckResult = {
    input,
    product: endpoint.product,
    method: endpoint.method,
    path: endpoint.path,
    summary: endpoint.summary,
  };
  if (endpoint.deprecated) result.deprecated = true;
  if (check.satisfied === true) {
    summary.satisfied++;
    result.satisfied = true;
    if (check.needsNoScope) result.needsNoScope = true;
    result.satisfiedBy = check.satisfiedBy;
    result.hints = check.hints;
    return result;
  }
  if (check.satisfied === false) summary.unsatisfied++;
  else summary.unknown++;
  result.docsUrl = endpoint.docsUrl;
  result.satisfied = check.satisfied;
  result.satisfiedBy = check.satisfiedBy;
  result.missing = check.missing;
  result.alternatives = check.alternatives;
  if (check.unusable) result.unusable = check.unusable;
  result.hints = check.hints;
  return result;
}
