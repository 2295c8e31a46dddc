/** Lookup: the scopes each endpoint matching a pasted path (or URL) and method requires. No I/O. */
import { z } from "@hono/zod-openapi";
import { GATEWAY_PRODUCTS } from "../catalog/catalog-index";
import { readEndpoint } from "../catalog/endpoint-input";
import { lookupEndpoints, pastRemovalOf, removedSentence } from "../catalog/lookup";
import { callContextOf, URL_NOTE_CODES } from "../catalog/notes";
import type { Gateway } from "../catalog/request-path";
import type { ServedCatalog } from "../storage/catalog-cache";
import { CatalogRefSchema, catalogRef, todayOf } from "./catalog-ref";
import type { CredentialKind } from "../catalog/credentials";
import { CredentialAnswerSchema, CredentialInputSchema, readCredential } from "./credential";
import { EndpointViewSchema, endpointView } from "./endpoint-view";
import { fail, ok, type Result } from "./result";
import { canonicalChoice } from "./validate";
import { lazy } from "../lazy";

/** Who makes the call, where it changes the advice on the URL. */
export const CallContextSchema = z
  .preprocess(
    // Any case (`Forge`), as every other choice and `credential` are read.
    (given) => canonicalChoice(given, ["forge"]),
    z.enum(["forge"], { error: "`context` is `forge` (a Forge app's call) or left out" }),
  )
  .optional()
  .openapi({
    description:
      "Kept for compatibility: an alias of `credential=forge` (a Forge app makes the call with requestJira/requestConfluence/requestBitbucket and a site-relative path, so notes never advise the api.atlassian.com/ex/ gateway). Prefer `credential=forge`; any case is read (`Forge`); `context=forge` beside another `credential` is 400 `invalid_credential`.",
    example: "forge",
  });

/** A note on the URL as given, with a stable code, and the URL to call instead. */
export const UrlNoteSchema = lazy(() =>
  z
    .object({
      code: z.enum(URL_NOTE_CODES).openapi({
        description:
          "`scoped_token_gateway`: a site URL, which scoped tokens cannot call; `missing_gateway_prefix`: api.atlassian.com without /ex/{product}/{cloudId}; `missing_cloud_id`: /ex/{product}/ without the cloudId; `site_as_cloud_id`: the site's host (acme.atlassian.net) where the cloudId goes; `gateway_product_mismatch`: the other product's gateway; `no_bitbucket_gateway`: api.atlassian.com/ex/bitbucket/..., a gateway that does not exist (Bitbucket's API is api.bitbucket.org/2.0); `missing_wiki_prefix`, `missing_bitbucket_version`: a path without /wiki or /2.0, read with it; `host_typo`: a mistyped host, read as the one meant; `browser_url`: a page's link, answered with the REST endpoint that does its job; `forge_path`: how a Forge app makes the call (also without a credential, for a site URL of an endpoint whose document lets only Forge, or Forge and Connect, apps call it: neither uses the gateway); `connect_site_url`: a Connect app's call through api.atlassian.com, answered with its site's URL (its installation's baseUrl), which it calls with its JWT; `head_as_get`: HEAD on a path Atlassian documents only GET for, answered with that GET and its scopes (HTTP defines HEAD as GET without the body, RFC 9110 §9.3.2: inferred, not stated by Atlassian); `path_case`: a path that matches nothing as written but does in another case (`/REST/API/3/ISSUE/ABC-1`), naming the path as documented (`url`, for a path given alone), or, starting in upper case and matching nothing in any case, saying paths are case-sensitive; `ref_name_slash`: a Bitbucket path that matches nothing because a branch or tag name's `/` was left raw (`.../refs/branches/feature/login`), with the URL to call, the name encoded as %2F, in `url`.",
      }),
      message: z.string(),
      url: z.string().optional().openapi({
        description: "The corrected URL to call (for a Forge app, the site-relative path).",
      }),
    })
    .openapi("UrlNote"),
);

export const LookupInputSchema = z.object({
  path: z
    .string({
      error:
        "`path` is required: a request path such as /rest/api/3/issue/ABC-1, or a full Jira, Confluence, Bitbucket or api.atlassian.com URL",
    })
    .min(1, "`path` is empty: give a request path such as /rest/api/3/issue/ABC-1")
    .openapi({
      description:
        "A request path or any URL form: site (`https://acme.atlassian.net/...`), gateway (`https://api.atlassian.com/ex/jira/{cloudId}/...`), Bitbucket, Assets. Query strings are ignored. A pasted request line is read too: the method before or after the URL, `HTTP/1.1` after it, quotes around it, or a curl command; a method there that differs from `method` is 400 `invalid_request`, and a raw space in the path 400 `invalid_path`.",
      example: "https://api.atlassian.com/ex/jira/11111111-2222-3333-4444-555555555555/rest/agile/1.0/board",
    }),
  method: z.string().optional().openapi({ description: "HTTP method; all methods when omitted.", example: "GET" }),
  credential: CredentialInputSchema.optional(),
  context: CallContextSchema,
});
export type LookupInput = z.infer<typeof LookupInputSchema>;

export const LookupAnswerSchema = lazy(() =>
  z
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
      catalog: CatalogRefSchema(),
      credential: CredentialAnswerSchema().optional(),
      notes: z.array(z.string()).openapi({
        description: "About the request itself, e.g. scoped tokens must use the api.atlassian.com gateway.",
      }),
      urlNotes: z.array(UrlNoteSchema()).openapi({
        description:
          "The same notes on the URL with their codes and the corrected URL: what was wrong with the URL as given, when the answer is the endpoint it most likely meant.",
      }),
      endpoints: z.array(EndpointViewSchema()),
    })
    .openapi("ScopesAnswer"),
);
export type LookupAnswer = z.infer<ReturnType<typeof LookupAnswerSchema>>;

export function answerLookup(
  served: ServedCatalog,
  input: LookupInput,
  options: { suggest?: boolean } = {},
): Result<LookupAnswer> {
  const credential = credentialOf(input);
  if (!credential.ok) return credential;
  const asked = withMethodOffPath(input);
  if (!asked.ok) return asked;
  const found = lookupEndpoints(served.index, asked.value.path, asked.value.method, {
    ...options,
    context: callContextOf(credential.value),
  });
  if (!found.ok) return fail(found.code, found.message, found.details);
  const today = todayOf(served);
  const endpoints = found.endpoints.map((endpoint) =>
    endpointView(endpoint, credential.value, pastRemovalOf(served.index, endpoint, today), today),
  );
  return ok({
    query: {
      path: input.path,
      method: asked.value.method?.trim() ? asked.value.method.trim().toUpperCase() : null,
      matchedPath: found.matchedAs ?? found.request.path,
      host: found.request.host,
      gateway: found.request.gateway,
    },
    catalog: catalogRef(served),
    ...(credential.value ? { credential: { kind: credential.value, inferred: false } } : {}),
    notes: [
      ...found.urlNotes.map((note) => note.message),
      // Asked without a method: the removed methods of the path are said, so no one takes the live one for them.
      ...(found.removed ?? []).map((view) => removedSentence(view)),
    ],
    urlNotes: found.urlNotes,
    endpoints,
  });
}

/** `credential`, with `context=forge` read as `credential=forge` (its alias, kept for compatibility). */
function credentialOf(input: LookupInput): Result<CredentialKind | undefined> {
  const credential = readCredential(input.credential);
  if (!credential.ok || input.context !== "forge") return credential;
  if (credential.value === undefined || credential.value === "forge") return ok("forge");
  return fail(
    "invalid_credential",
    `\`context=forge\` is an alias of \`credential=forge\`, but \`credential\` is ${credential.value}: give one of them.`,
    { credential: credential.value, kinds: ["forge"], suggestions: ["forge"] },
  );
}

/**
 * A catalog that holds only the products the path matches as given (GET /scopes on a cold isolate)
 * cannot see an implied prefix (`/wiki`, `/2.0`) nor suggest for a miss: then the whole catalog answers.
 * Suggestions are ranked once, on the whole catalog (ranking on the partial one first cost 7–8 ms).
 * Likewise a gateway URL that matched only another product's template (`/ex/confluence/.../rest/...`
 * may be Confluence's under its implied `/wiki`, which a partial catalog does not try).
 */
export async function answerLookupLazily(
  served: ServedCatalog,
  input: LookupInput,
  wholeCatalog: () => Promise<ServedCatalog>,
): Promise<Result<LookupAnswer>> {
  const answer = answerLookup(served, input, { suggest: !served.partial });
  if (!served.partial) return answer;
  const unmatched =
    !answer.ok && ["endpoint_not_found", "outside_catalog", "endpoint_removed"].includes(answer.failure.reason);
  if (answer.ok ? !outsideGateway(answer.value) : !unmatched) return answer;
  return answerLookup(await wholeCatalog(), input);
}

/**
 * `GET /rest/agile/1.0/board` or `/rest/api/3/issue/ABC-1 PUT` pasted whole into `path` (assistants and
 * people copy request lines): the method is read off it (readEndpoint), unless `method` names another one.
 */
function withMethodOffPath(input: LookupInput): Result<LookupInput> {
  const read = readEndpoint({ method: input.method, path: input.path });
  if (read.refused !== undefined) return fail("invalid_request", read.refused);
  return ok({ ...input, path: read.path, method: read.method });
}

/** Matched through a gateway, but none of the endpoints is of a product that gateway serves. */
function outsideGateway(answer: LookupAnswer): boolean {
  const gateway = answer.query.gateway as Gateway | undefined;
  if (!gateway) return false;
  return !answer.endpoints.some((endpoint) => GATEWAY_PRODUCTS[gateway].includes(endpoint.product));
}
