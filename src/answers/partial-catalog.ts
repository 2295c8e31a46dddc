/**
 * POST /diff, /plan and /explain on a cold isolate read only the shards their input can need (issue 15):
 * the products each endpoint line's path can match as given, and those whose manifest `scopeNames`
 * hold a scope the request names (its classification and endpoint count are then the whole catalog's).
 * An unknown scope (a typo) is unknown to the whole catalog too (no product's `scopeNames` hold it), and
 * its suggestions are ranked over the whole catalog's scope names, which the index carries from the
 * manifest (catalogScopeNames). Such an index answers direct matches only (`served.partial`), so before
 * answering, every line must match on it as given; else (an implied `/wiki` or `/2.0`, a miss and its
 * suggestions, a browser link, a removed endpoint, a gateway URL matching another product's template, a
 * diff without endpoints, an unknown scope on an index without the catalog's scope names) the whole
 * catalog answers, as for GET /scopes (answerLookupLazily). Every answer is the whole catalog's, byte for
 * byte (test/storage/partial-answers.test.ts). No I/O here: the routes read the catalog.
 */
import type { CatalogIndex } from "../catalog/catalog-index";
import { GATEWAY_PRODUCTS } from "../catalog/catalog-index";
import { isKnownScope } from "../catalog/diff";
import { readErrorBody } from "../catalog/atlassian-error-body";
import { BARE_URL_METHOD, MAX_ENDPOINTS, type EndpointRequest, requestPathOf } from "../catalog/endpoint-input";
import { lookupEndpoints } from "../catalog/lookup";
import { readScopesInput } from "../catalog/scope-input";
import type { LineNeeds, ServedCatalog } from "../storage/catalog-cache";
import { answerDiff, diffRequests, type DiffAnswer, type DiffInput, type DiffOptions } from "./diff";
import { answerExplain, explainBodyText, type ExplainAnswer, type ExplainInput } from "./explain";
import { answerPlan, requestsOf, type PlanAnswer, type PlanInput } from "./plan";
import type { Result } from "./result";

type WholeCatalog = () => Promise<ServedCatalog>;

export function diffNeeds(body: DiffInput): LineNeeds | undefined {
  const scopes = heldScopes(body.scopes);
  return scopes && needsOf(diffRequests(body), scopes);
}

export function planNeeds(input: PlanInput): LineNeeds | undefined {
  const asked = requestsOf(input);
  return asked.ok ? needsOf(asked.value.requests, []) : undefined;
}

export function explainNeeds(body: ExplainInput): LineNeeds | undefined {
  // A replacement named in Atlassian's error body is looked up too: rare, so the whole catalog answers it.
  if (readErrorBody(explainBodyText(body)).replacementPath !== undefined) return undefined;
  const scopes = body.scopes === undefined ? [] : heldScopes(body.scopes);
  return scopes && needsOf([{ method: body.method, path: body.url }], scopes);
}

export async function answerDiffLazily(
  served: ServedCatalog,
  body: DiffInput,
  whole: WholeCatalog,
  options: DiffOptions = {},
): Promise<Result<DiffAnswer>> {
  if (served.partial) {
    const scopes = heldScopes(body.scopes);
    const requests = diffRequests(body);
    if (!scopes || !classifiesAll(served.index, scopes) || !matchesAll(served.index, requests))
      return answerDiff(await whole(), body, options);
  }
  return answerDiff(served, body, options);
}

export async function answerPlanLazily(
  served: ServedCatalog,
  input: PlanInput,
  whole: WholeCatalog,
): Promise<Result<PlanAnswer>> {
  if (served.partial) {
    const asked = requestsOf(input);
    if (!asked.ok || !matchesAll(served.index, asked.value.requests)) return answerPlan(await whole(), input);
  }
  return answerPlan(served, input);
}

export async function answerExplainLazily(
  served: ServedCatalog,
  body: ExplainInput,
  whole: WholeCatalog,
): Promise<Result<ExplainAnswer>> {
  if (served.partial) {
    const scopes = body.scopes === undefined ? [] : heldScopes(body.scopes);
    // Explain looks the URL up with the method as given: without one, a match lists removed methods too.
    const exact =
      scopes !== undefined &&
      body.method.trim() !== "" &&
      classifiesAll(served.index, scopes) &&
      matchesAll(served.index, [{ method: body.method, path: body.url }]);
    if (!exact) return answerExplain(await whole(), body);
  }
  return answerExplain(served, body);
}

/** Every scope name of every token, or undefined when the input is not readable (the answer says why). */
function heldScopes(input: Parameters<typeof readScopesInput>[0]): string[] | undefined {
  const read = readScopesInput(input);
  if (!read.ok) return undefined;
  if (read.value.kind !== "tokens") return read.value.scopes;
  // Loops, not flatMap: a cold isolate's first /diff of 16 tokens × 500 names spent 230 KB on it.
  const scopes = new Set<string>();
  const tokens = read.value.tokens;
  for (let at = 0; at < tokens.length; at++) {
    const names = tokens[at]!.scopes;
    for (let index = 0; index < names.length; index++) scopes.add(names[index]!);
  }
  return [...scopes];
}

function needsOf(requests: readonly EndpointRequest[], scopes: readonly string[]): LineNeeds | undefined {
  if (requests.length === 0 || requests.length > MAX_ENDPOINTS) return undefined;
  const paths: (readonly string[])[] = [];
  for (const request of requests) {
    const parsed = requestPathOf(request);
    // A line that does not parse fails on any catalog: the whole one answers it as before.
    if (!parsed.ok) return undefined;
    paths.push(parsed.value.segments);
  }
  return { paths, scopes };
}

/**
 * Whether the index classifies each scope name as the whole catalog does: it holds the products whose
 * `scopeNames` name a scope (productsForLines) and the registry, so a name it does not know is unknown to
 * the whole catalog too; its suggestions then need the whole catalog's scope names (ranksLikeWholeCatalog).
 */
function classifiesAll(index: CatalogIndex, scopes: readonly string[]): boolean {
  return index.ranksLikeWholeCatalog || scopes.every((scope) => isKnownScope(scope, index));
}

/**
 * Whether each line resolves on the partial index as it would on the whole catalog: a live endpoint
 * with its method (GET when none is given, as resolveRequests does), matched as given, not through a
 * browser link, and of its gateway's products when it came through one.
 */
function matchesAll(index: CatalogIndex, requests: readonly EndpointRequest[]): boolean {
  return requests.every((request) => {
    const verb = request.method?.trim() ? request.method.trim() : BARE_URL_METHOD;
    const found = lookupEndpoints(index, requestPathOf(request), verb, { suggest: false });
    if (!found.ok || found.browser || found.matchedAs !== undefined) return false;
    const gateway = found.request.gateway;
    return !gateway || found.endpoints.some((endpoint) => GATEWAY_PRODUCTS[gateway].includes(endpoint.product));
  });
}
