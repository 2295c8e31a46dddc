/** Plan: the smallest scope set for a whole integration, split over tokens when over the cap. No I/O. */
import { z } from "@hono/zod-openapi";
import {
  MAX_ENDPOINTS,
  parseEndpointLine,
  parseEndpointText,
  parseHar,
  readEndpoint,
  resolveRequests,
  type EndpointRequest,
} from "../catalog/endpoint-input";
import { needsNoScope, OFFLINE_ACCESS_PLAN_NOTE } from "../catalog/curated";
import { pastRemovalOf } from "../catalog/lookup";
import { quotedPath } from "../catalog/request-path";
import { impliedBy, withoutImplied } from "../catalog/implied-scopes";
import {
  APP_TITLES,
  type AppOnly,
  appOnlyNote,
  appOnlyToMention,
  CREDENTIAL_KINDS,
  connectDescriptorScopes,
  judgeAlternative,
  judgeEndpoint,
  type CredentialKind,
} from "../catalog/credentials";
import { DEFAULT_WORK_BUDGET, PREFERENCES, planScopes } from "../catalog/plan";
import { groupForCredential } from "../catalog/plan-groups";
import { callContextOf, type UrlNote } from "../catalog/notes";
import type { Endpoint } from "../catalog/schema";
import { MAX_SCOPES_PER_TOKEN, splitTokens } from "../catalog/split";
import type { ServedCatalog } from "../storage/catalog-cache";
import { CatalogRefSchema, catalogRef, todayOf } from "./catalog-ref";
import { CredentialAnswerSchema, CredentialInputSchema, readCredential } from "./credential";
import { AlternativeViewSchema, alternativeView, PastRemovalSchema, pastRemovalView } from "./endpoint-view";
import { UrlNoteSchema } from "./lookup";
import { fail, ok, type Result } from "./result";
import { choiceSchema, countSchema, endpointInputSchema, endpointListType } from "./validate";
import { stringListFastPath } from "./string-list";
import { choiceOf, isCount, isStringList, pickFields, withFastPath } from "./fast-path";
import { lazy, lazyPer } from "../lazy";

const MAX_SCOPES_DEFAULT = 50;

export const PreferSchema = choiceSchema("prefer", PREFERENCES).openapi({
  description:
    "Tie-break between equally small plans, never worth a scope: `fewest` (default; then classic first, Current before Beta), or `granular` / `classic` (the fewest endpoints on the other kind). Any case is read (`Granular`).",
});
/** `maxScopes` in a JSON body, or (`fromQuery`) as the query string gives it. */
export function maxScopesSchema({ fromQuery = false } = {}) {
  return countSchema("maxScopes", MAX_SCOPES_PER_TOKEN, { fromQuery }).openapi({
    description: "Scopes per token; default 50, the cap on service-account tokens.",
  });
}

const PlanBodySchema = z
  .object({
    endpoints: stringListFastPath(
      z
        .array(
          // The string form first, as /diff's: it is what most clients send, and zod tries the options in
          // order (1,000 strings took a fresh process 5-8 ms object-first, 3-4 ms string-first).
          endpointInputSchema(),
          { error: endpointListType("lines in one string go in `text` (one `METHOD URL` per line)") },
        )
        .max(MAX_ENDPOINTS, `at most ${MAX_ENDPOINTS} endpoints per request`),
      1,
    )
      .optional()
      .openapi({
        example: [
          "GET /rest/agile/1.0/board",
          "GET https://api.atlassian.com/ex/jira/<cloudId>/rest/api/3/issue/ABC-1",
          { method: "POST", path: "/rest/api/3/issue" },
        ],
      }),
    text: z
      .string()
      .optional()
      .openapi({ description: "One `METHOD URL` per line; a URL without a method is planned as GET." }),
    har: z.unknown().optional().openapi({
      description: "A HAR document (or its `log`): its Atlassian API requests are planned, other entries ignored.",
    }),
    log: z.unknown().optional().openapi({ description: "A HAR document sent as the body itself." }),
    prefer: PreferSchema.optional(),
    maxScopes: maxScopesSchema().optional(),
    credential: CredentialInputSchema.optional(),
  })
  .openapi("PlanRequest");
export type PlanInput = z.infer<typeof PlanBodySchema>;

const PLAN_FIELDS = ["endpoints", "text", "har", "log", "prefer", "maxScopes", "credential"] as const;

/**
 * A /plan body of the common shapes as PlanBodySchema reads it (answers/fast-path.ts): endpoints as
 * lines, `text`, a HAR as given, `prefer` in any case; anything else (an endpoint object, a bad field)
 * is left to zod.
 */
function readPlanBody(input: unknown): PlanInput | undefined {
  const body = pickFields(input, PLAN_FIELDS);
  if (!body) return undefined;
  const { endpoints, text, prefer, maxScopes, credential } = body;
  // An empty line is left to zod, which refuses it as /diff does (endpointInputSchema).
  if (endpoints !== undefined && !isStringList(endpoints, 1, MAX_ENDPOINTS)) return undefined;
  if (text !== undefined && typeof text !== "string") return undefined;
  if (prefer !== undefined) {
    const preference = choiceOf(prefer, PREFERENCES);
    if (preference === undefined) return undefined;
    body.prefer = preference;
  }
  if (maxScopes !== undefined && !isCount(maxScopes, MAX_SCOPES_PER_TOKEN)) return undefined;
  if (credential !== undefined && typeof credential !== "string") return undefined;
  return body as PlanInput;
}

export const PlanInputSchema = withFastPath(PlanBodySchema, readPlanBody);

const PlannedSchema = lazy(() =>
  z.object({
    input: z.object({ method: z.string().nullable(), path: z.string() }),
    product: z.string(),
    method: z.string(),
    path: z.string(),
    chosen: AlternativeViewSchema()
      .extend({
        kind: z.enum(["classic", "granular", "mixed", "connect"]).openapi({
          description:
            "As the endpoint's alternatives' kinds; `connect` for a Connect app (`credential: connect`) outside Bitbucket, whose one scope is the endpoint's Connect scope (READ, WRITE, ...).",
        }),
      })
      .openapi({ description: "The set chosen for this endpoint." }),
    replaces: z.string().optional().openapi({
      description:
        "Set when this endpoint is in the plan as the replacement of a removed one the input named (`GET /wiki/rest/api/space`), which `unmatched` lists with `endpoint_removed`.",
    }),
    urlNotes: z.array(UrlNoteSchema()).optional().openapi({
      description:
        "What was wrong with the input's URL and the corrected URL (see GET /scopes `urlNotes`); present only when something was. `notes` sums them up per code.",
    }),
    deprecated: z.literal(true).optional().openapi({
      description:
        "Set when Atlassian's documents mark the endpoint deprecated: planned with its scopes, but its docs name what to move to. Absent otherwise.",
    }),
    removal: PastRemovalSchema().optional().openapi({
      description:
        "Set when the documents still list the endpoint but its removal date has passed: planned with its documented scopes, but calls to it are expected to answer 410 Gone; `notes` says so and names the replacement when the catalog can tell.",
    }),
  }),
);

export const PlanAnswerSchema = lazy(() =>
  z
    .object({
      catalog: CatalogRefSchema(),
      credential: CredentialAnswerSchema().optional().openapi({
        description: "The credential given: only scope sets it can hold are planned.",
      }),
      prefer: PreferSchema,
      maxScopes: z.number(),
      scopes: z
        .array(z.string())
        .openapi({ description: "The least-privilege scope set for every endpoint that publishes scopes." }),
      credentials: z.array(z.enum(CREDENTIAL_KINDS)).openapi({
        description:
          "The credential kinds one token of `scopes` can be; empty when the plan needs several tokens (see `tokens`, each with its own).",
      }),
      fitsMaxScopes: z.boolean(),
      optimal: z.boolean().openapi({
        description:
          "False when the search budget ran out: `scopes` is the best found, `lowerBound` what no plan can beat.",
      }),
      lowerBound: z.number(),
      endpoints: z.array(PlannedSchema()),
      withoutScopes: z
        .array(
          z.object({
            product: z.string(),
            method: z.string(),
            path: z.string(),
            docsUrl: z.string(),
            needsNoScope: z.string().optional().openapi({
              description:
                "Set when the endpoint needs no scope at all (a curated record, e.g. GET https://api.atlassian.com/oauth/token/accessible-resources): what may call it. Without it, the documents publish no scopes for the endpoint.",
            }),
          }),
        )
        .openapi({
          description:
            "Endpoints no scope is planned for, listed apart: those that need no scope (`needsNoScope`) and those whose documents publish no OAuth scopes.",
        }),
      unusable: z
        .array(z.object({ product: z.string(), method: z.string(), path: z.string(), why: z.string() }))
        .optional()
        .openapi({
          description:
            'Endpoints the credential given cannot call through any scope set, with why: not planned. E.g. a scoped API token on POST /rest/api/3/webhook, whose document says "Only Connect and OAuth 2.0 apps can use this operation."',
        }),
      unfit: z
        .array(z.object({ product: z.string(), method: z.string(), path: z.string(), why: z.string() }))
        .optional()
        .openapi({
          description:
            "Endpoints that fit in no token: the set chosen for each alone, with Bitbucket's implied scopes folded, is over `maxScopes`. Listed in `endpoints` with that set, and its scopes in `scopes`, but served by no token of `tokens`; raise `maxScopes` to plan them. Present only when there are some.",
        }),
      unmatched: z
        .array(
          z.object({
            input: z.object({ method: z.string().nullable(), path: z.string() }),
            error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }),
          }),
        )
        .openapi({
          description:
            "Inputs that match no live endpoint. One whose `error.code` is `endpoint_removed` names its replacement, which the plan covers instead (`endpoints[].replaces`).",
        }),
      ignored: z
        .number()
        .openapi({ description: "HAR entries that were not Atlassian API calls (other hosts, CORS preflights)." }),
      tokens: z
        .array(
          z.object({
            scopes: z.array(z.string()),
            endpoints: z.array(z.string()),
            credentials: z
              .array(z.enum(CREDENTIAL_KINDS))
              .openapi({ description: "The credential kinds that can hold this token's scopes." }),
          }),
        )
        .nullable()
        .openapi({
          description:
            "When one token cannot hold the plan: one per credential (no credential holds Bitbucket's OAuth-consumer scopes with others; a scoped API token is for one app), and within each, the fewest tokens found under `maxScopes`, with the endpoints each serves.",
        }),
      tokensOptimal: z.boolean().nullable(),
      notes: z.array(z.string()).openapi({
        description:
          "What to know about the plan: scopes left out because another implies them, removals, URL mistakes, and (without a credential, or with one they allow) one note per sentence in which a document names the apps that may call some planned endpoints, with a note when no one kind can call them all.",
      }),
    })
    .openapi("Plan"),
);
export type PlanAnswer = z.infer<ReturnType<typeof PlanAnswerSchema>>;

/**
 * The endpoints a plan is for, from any mix of `endpoints`, `text` and a HAR document: read once per
 * input, so the same request objects carry their parsed paths (requestPathOf) from choosing shards to the answer.
 */
export const requestsOf = lazyPer(readRequests);

function readRequests(input: PlanInput): Result<{ requests: readonly EndpointRequest[]; ignored: number }> {
  let requests: EndpointRequest[] = [];
  let ignored = 0;
  for (const item of input.endpoints ?? []) {
    const request = typeof item === "string" ? parseEndpointLine(item) : readEndpoint(item);
    if (request) requests.push(request);
  }
  if (input.text !== undefined) requests = requests.concat(parseEndpointText(input.text));
  if ("har" in input || "log" in input) {
    const entries = parseHar("har" in input ? input.har : { log: input.log });
    if ("error" in entries) return fail("invalid_har", `\`har\`: ${entries.error}`);
    requests = requests.concat(entries.requests);
    ignored = entries.ignored;
  }
  if (requests.length === 0)
    return fail(
      "no_endpoints",
      "Give the endpoints to plan for: `endpoints`, `text` (one METHOD URL per line) or `har` (a HAR file's log.entries).",
    );
  if (requests.length > MAX_ENDPOINTS)
    return fail("too_many_endpoints", `${requests.length} endpoints given; at most ${MAX_ENDPOINTS} per request.`);
  return ok({ requests, ignored });
}

/**
 * One note per kind of URL mistake among the inputs (a HAR of site calls would repeat one per call):
 * how many inputs have it, and the first one's note; each endpoint carries its own in `urlNotes`.
 */
function urlNoteSummary(
  planned: readonly { input: { method: string | null; path: string }; urlNotes?: UrlNote[] }[],
): string[] {
  const byCode = new Map<string, { count: number; input: string; message: string }>();
  for (const { input, urlNotes } of planned) {
    for (const note of urlNotes ?? []) {
      const held = byCode.get(note.code);
      if (held) held.count++;
      else
        byCode.set(note.code, {
          count: 1,
          input: quotedPath(`${input.method ?? ""} ${input.path}`.trim()),
          message: note.message,
        });
    }
  }
  return [...byCode.entries()].map(
    ([code, { count, input, message }]) =>
      `${code}${count > 1 ? ` (${count} endpoints, e.g. ${input})` : ` (${input})`}: ${message}`,
  );
}

/**
 * One note per sentence in which a document names the apps that may call some of the planned endpoints
 * (credentials.ts APP_ONLY), naming the endpoints: a token of the plan's scopes may be a kind that
 * cannot call them. A credential the sentence refuses has them in `unusable` instead.
 */
function appOnlyNotes(endpoints: readonly Endpoint[], credential: CredentialKind | undefined): string[] {
  const bySentence = new Map<string, { only: AppOnly; names: string[] }>();
  for (const endpoint of endpoints) {
    const only = appOnlyToMention(credential, endpoint);
    if (!only) continue;
    const name = `${endpoint.method} ${endpoint.path}`;
    const held = bySentence.get(only.words);
    if (held) held.names.push(name);
    else bySentence.set(only.words, { only, names: [name] });
  }
  return [...bySentence.values()].map(
    ({ only, names }) =>
      `${names.slice(0, 3).join(", ")}${names.length > 3 ? ` and ${names.length - 3} more` : ""}: ${appOnlyNote(only)}`,
  );
}

export function answerPlan(served: ServedCatalog, input: PlanInput): Result<PlanAnswer> {
  const credential = readCredential(input.credential);
  if (!credential.ok) return credential;
  const asked = requestsOf(input);
  if (!asked.ok) return asked;
  const { requests, ignored } = asked.value;
  const prefer = input.prefer ?? "fewest";
  const maxScopes = input.maxScopes ?? MAX_SCOPES_DEFAULT;
  const targets = resolveRequests(served.index, requests, callContextOf(credential.value));
  const unique = new Map<
    string,
    { input: { method: string | null; path: string }; endpoint: Endpoint; replaces?: string; urlNotes?: UrlNote[] }
  >();
  const unmatched: {
    input: { method: string | null; path: string };
    error: { code: string; message: string; details?: unknown };
  }[] = [];
  const bare: string[] = [];
  // Indexed: up to 1,000 lines, in code a fresh isolate runs interpreted (a for-of step allocates there).
  for (let at = 0; at < targets.length; at++) {
    const target = targets[at]!;
    // Only lines that were planned: a refused or unmatched one says so in `unmatched`.
    if (target.assumedMethod && !target.error && bare.length < 3) bare.push(quotedPath(target.input.path));
    if (target.error) unmatched.push({ input: target.input, error: target.error });
    const endpoints = target.endpoints ?? [];
    for (let index = 0; index < endpoints.length; index++) {
      const endpoint = endpoints[index]!;
      const key = `${endpoint.method} ${endpoint.path}`;
      if (!unique.has(key))
        unique.set(key, { input: target.input, endpoint, ...(target.urlNotes ? { urlNotes: target.urlNotes } : {}) });
    }
  }
  // A removed endpoint's replacement is what the integration has to call now: the plan covers it, so
  // that the token made from it works once the call is moved (an endpoint also asked for itself wins).
  const replaced: string[] = [];
  for (const target of targets) {
    for (const { replaces, endpoint } of target.replacements ?? []) {
      const key = `${endpoint.method} ${endpoint.path}`;
      if (unique.has(key)) continue;
      unique.set(key, { input: target.input, endpoint, replaces });
      replaced.push(`${replaces} was removed: the plan covers its replacement, ${key}, instead.`);
    }
  }
  const planned = [...unique.values()];
  // A Connect app outside Bitbucket declares the endpoint's Connect scope, which the documents publish apart from its OAuth sets.
  const byConnect = credential.value === "connect";
  const takesScopes = (endpoint: Endpoint) =>
    endpoint.alternatives.length > 0 || (byConnect && endpoint.product !== "bitbucket" && !!endpoint.connectScope);
  const scoped = planned.filter(({ endpoint }) => takesScopes(endpoint));
  const grouping = groupForCredential(
    scoped.map(({ endpoint }) => endpoint),
    credential.value,
    prefer,
  );
  // Each group is one credential: planned on its own, with only the alternatives that credential holds.
  const chosenOf = new Map<number, number>();
  const connectChosen = new Map<number, string>();
  const notes: string[] = [];
  const planTokens: { scopes: string[]; members: number[]; credentials: CredentialKind[] }[] = [];
  const scopeSet = new Set<string>();
  let optimal = true;
  let splitsOptimal = true;
  let lowerBound = 0;
  let groupOverCap = false;
  const unfit: number[] = [];
  for (const group of grouping.groups) {
    if (group.connect) {
      const needed = group.members.map((index) => scoped[index]!.endpoint.connectScope!.toUpperCase());
      group.members.forEach((index, at) => {
        connectChosen.set(index, needed[at]!);
      });
      const descriptor = connectDescriptorScopes(needed);
      for (const scope of descriptor.scopes) scopeSet.add(scope);
      lowerBound += descriptor.scopes.length;
      for (const { scope, grantedBy } of descriptor.dropped)
        notes.push(
          `\`${scope}\` is left out of the ${APP_TITLES[group.label as keyof typeof APP_TITLES]} app: \`${grantedBy}\` implies it (Connect scopes imply lesser ones).`,
        );
      planTokens.push({ scopes: descriptor.scopes, members: group.members, credentials: ["connect"] });
      continue;
    }
    const result = planScopes(
      group.members.map((index, at) => ({
        alternatives: group.allowed[at]!.map((choice) => scoped[index]!.endpoint.alternatives[choice]!),
      })),
      // One request's planning work stays within one budget, however many credentials it spans.
      { prefer, workBudget: Math.floor(DEFAULT_WORK_BUDGET / grouping.groups.length) },
    );
    group.members.forEach((index, at) => {
      chosenOf.set(index, group.allowed[at]![result.choices[at]!]!);
    });
    // Bitbucket classic scopes imply lesser ones: a scope another one grants adds nothing to the token.
    const folded = withoutImplied(result.scopes);
    for (const scope of folded.scopes) scopeSet.add(scope);
    optimal &&= result.optimal;
    lowerBound += Math.min(result.lowerBound, folded.scopes.length);
    if (!result.optimal)
      notes.push(
        `The search budget ran out: this plan has ${folded.scopes.length} scopes and none can have fewer than ${Math.min(result.lowerBound, folded.scopes.length)}.`,
      );
    for (const { scope, grantedBy } of folded.dropped)
      notes.push(
        `\`${scope}\` is left out: \`${grantedBy}\` grants it (Bitbucket OAuth 2.0 scopes imply lesser ones).`,
      );
    const chosen = (index: number) => scoped[index]!.endpoint.alternatives[chosenOf.get(index)!]!;
    // A Connect app's Bitbucket descriptor is the Connect app's, whoever else could hold its classic scopes.
    const holders = (members: readonly number[]) =>
      (byConnect ? (["connect"] as const) : CREDENTIAL_KINDS).filter((kind) =>
        members.every((index) => judgeAlternative(kind, scoped[index]!.endpoint, chosen(index)).usable),
      );
    if (folded.scopes.length <= maxScopes) {
      planTokens.push({ scopes: folded.scopes, members: group.members, credentials: holders(group.members) });
      continue;
    }
    groupOverCap = true;
    // Split as the folded plan holds the scopes: one left out because another scope of the plan grants it
    // is counted as that scope, so a token is packed and capped on what it holds (a `repository`
    // endpoint joins the `pullrequest` token; it made a token of its own, over the plan's folded count).
    const split = splitTokens(
      group.members.map((index) => heldAs(chosen(index).scopes, folded.scopes)),
      maxScopes,
    );
    splitsOptimal &&= split.optimal;
    for (const token of split.tokens) {
      const members = token.endpoints.map((at) => group.members[at]!);
      // Each token as little as its own endpoints need (`repository`, not `pullrequest`, for a
      // repository endpoint alone), unless that is over the cap where the plan's scopes are not.
      const own = withoutImplied([...new Set(members.flatMap((index) => chosen(index).scopes))]).scopes;
      planTokens.push({
        scopes: own.length <= maxScopes ? own.sort() : token.scopes,
        members,
        credentials: holders(members),
      });
    }
    for (const at of split.unfit) unfit.push(group.members[at]!);
  }
  const removals: string[] = [];
  const today = todayOf(served);
  const endpoints = scoped.flatMap(({ input, endpoint, replaces, urlNotes }, index) => {
    const choice = chosenOf.get(index);
    const connectScope = connectChosen.get(index);
    if (choice === undefined && connectScope === undefined) return [];
    const removed = pastRemovalOf(served.index, endpoint, today);
    const removal = removed ? pastRemovalView(removed) : undefined;
    if (removal) removals.push(`Planned with its documented scopes: ${removal.message}`);
    return [
      {
        input,
        product: endpoint.product,
        method: endpoint.method,
        path: endpoint.path,
        chosen:
          choice !== undefined
            ? alternativeView(endpoint.alternatives[choice]!)
            : { kind: "connect" as const, state: "Current", scopes: [connectScope!] },
        ...(replaces ? { replaces } : {}),
        ...(urlNotes ? { urlNotes } : {}),
        ...(endpoint.deprecated ? { deprecated: true as const } : {}),
        ...(removal ? { removal } : {}),
      },
    ];
  });
  const scopes = [...scopeSet].sort();
  // As before credentials: whether the whole set is within the cap (`tokens` says how many credentials it takes).
  const fits = scopes.length <= maxScopes;
  const split = planTokens.length > 1 || groupOverCap;
  if (!fits && split)
    notes.push(
      planTokens.length === 0
        ? `${scopes.length} scopes exceed the ${maxScopes}-scope cap, and no endpoint fits in a token that small.`
        : `${scopes.length} scopes exceed the ${maxScopes}-scope cap: the endpoints are split over ${planTokens.length} ${planTokens.length === 1 ? "token" : "tokens"}${unfit.length > 0 ? `, and ${unfit.length} ${unfit.length === 1 ? "fits" : "fit"} in none` : ""}.`,
    );
  if (grouping.groups.length > 1)
    notes.push(
      credential.value === "scoped-api-token"
        ? "An API token with scopes is created for one app: one token per app (Jira, Confluence, Bitbucket)."
        : byConnect
          ? "A Connect app's descriptor is for one product: one app per product (Jira, Confluence, Bitbucket), each declaring its own scopes."
          : "No single credential holds all these scopes (Bitbucket's OAuth-consumer scopes are held only by Bitbucket OAuth consumers and access tokens, Bitbucket's API-token scopes only by Bitbucket API tokens and Forge apps, and an API token with scopes is for one app): one token per credential, each listing the credentials that can hold it.",
    );
  // Said in `unfit` (not a note): the plan leaves them out, as it does the inputs it could not match.
  const unfitViews = unfit.map((index) => {
    const { endpoint } = scoped[index]!;
    const needed = endpoint.alternatives[chosenOf.get(index)!]!.scopes.length;
    return {
      product: endpoint.product,
      method: endpoint.method,
      path: endpoint.path,
      why: `alone it needs ${needed} scopes, over the ${maxScopes}-scope cap`,
    };
  });
  if (connectChosen.size > 0)
    notes.push(
      `A Connect app declares these in its descriptor's \`scopes\` (atlassian-connect.json): Connect scopes for Jira and Confluence${grouping.groups.some((group) => !group.connect) ? ", Bitbucket's classic scopes for Bitbucket" : ""}${[...connectChosen.values()].includes("NONE") ? "; NONE is not declared: an endpoint needing it takes any Connect app" : ""}.`,
    );
  notes.push(...replaced, ...removals);
  if (scoped.some(({ endpoint }, index) => endpoint.product === "jira-software" && chosenOf.has(index)))
    notes.push("Jira Software has no classic scopes, so its endpoints always add granular scopes.");
  // A 3LO app asks for its scopes in the authorization URL, where offline_access goes too.
  if (credential.value === "oauth2-3lo" && scopeSet.size > 0) notes.push(OFFLINE_ACCESS_PLAN_NOTE);
  const appOnly = appOnlyNotes(
    planned.map(({ endpoint }) => endpoint),
    credential.value,
  );
  notes.push(...appOnly);
  // The documents let different apps call them: no one token of these scopes calls every endpoint.
  if (!credential.value && appOnly.length > 0 && !split && planTokens[0]?.credentials.length === 0) {
    const callers = CREDENTIAL_KINDS.filter((kind) =>
      planned.every(({ endpoint }) => judgeEndpoint(kind, endpoint).usable),
    );
    notes.push(
      callers.length === 0
        ? "No one kind of credential can call all these endpoints (the notes above say which apps their documents let call them): give `credential` to plan for one kind, or plan them apart."
        : `No one token of these scopes can call all these endpoints (the notes above say which apps their documents let call them); ${callers.map((kind) => `\`${kind}\``).join(" or ")} can call them all: give \`credential\` to plan for it.`,
    );
  }
  notes.push(...urlNoteSummary(planned));
  if (bare.length > 0)
    notes.push(
      `Given without a method, ${bare.map((path) => `\`${path}\``).join(", ")}${bare.length === 3 ? " (and maybe more)" : ""} ${bare.length === 1 ? "is" : "are"} planned as GET: a bare URL never adds write or delete scopes. Write \`POST <url>\` for another method.`,
    );
  const unusable = grouping.unusable.map(({ index, why }) => {
    const { endpoint } = scoped[index]!;
    return { product: endpoint.product, method: endpoint.method, path: endpoint.path, why };
  });
  // An endpoint that takes no scope may still be closed to the credential (accessible-resources: 3LO only).
  const scopeless: Endpoint[] = [];
  for (const { endpoint } of planned) {
    if (takesScopes(endpoint)) continue;
    const verdict = credential.value ? judgeEndpoint(credential.value, endpoint) : undefined;
    if (verdict && !verdict.usable)
      unusable.push({ product: endpoint.product, method: endpoint.method, path: endpoint.path, why: verdict.why! });
    else scopeless.push(endpoint);
  }
  return ok({
    catalog: catalogRef(served),
    ...(credential.value ? { credential: { kind: credential.value, inferred: false } } : {}),
    prefer,
    maxScopes,
    scopes,
    credentials: split ? [] : (planTokens[0]?.credentials ?? []),
    fitsMaxScopes: fits,
    optimal,
    lowerBound: Math.min(lowerBound, scopes.length),
    endpoints,
    withoutScopes: scopeless.map((endpoint) => {
      const noScope = needsNoScope(endpoint);
      return {
        product: endpoint.product,
        method: endpoint.method,
        path: endpoint.path,
        docsUrl: endpoint.docsUrl,
        ...(noScope ? { needsNoScope: noScope } : {}),
      };
    }),
    ...(unusable.length > 0 ? { unusable } : {}),
    ...(unfitViews.length > 0 ? { unfit: unfitViews } : {}),
    unmatched,
    ignored,
    tokens: split
      ? planTokens.map((token) => ({
          scopes: token.scopes,
          endpoints: token.members.map((index) => `${scoped[index]!.endpoint.method} ${scoped[index]!.endpoint.path}`),
          credentials: token.credentials,
        }))
      : null,
    tokensOptimal: split ? splitsOptimal : null,
    notes,
  });
}

/**
 * An endpoint's chosen scopes as a folded plan holds them: each one the plan left out (another of its
 * scopes grants it, Bitbucket's implied scopes) as a kept scope that grants it. Without duplicates.
 */
function heldAs(scopes: readonly string[], kept: readonly string[]): string[] {
  const held = new Set<string>();
  for (const scope of scopes)
    held.add(kept.includes(scope) ? scope : (kept.find((granting) => impliedBy(granting).includes(scope)) ?? scope));
  return [...held];
}
