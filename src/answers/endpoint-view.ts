/** Catalog records as answers show them: the schemas (for /openapi.json and the MCP tools) and the mappers. */
import { z } from "@hono/zod-openapi";
import {
  alternativeAuthTypes,
  endpointCaveats,
  judgeAlternative,
  judgeEndpoint,
  type CredentialKind,
} from "../catalog/credentials";
import { needsNoScope } from "../catalog/curated";
import type { CatalogIndex } from "../catalog/catalog-index";
import { pastRemovalOf, type RemovedView, removedSentence } from "../catalog/lookup";
import { endpointNotes } from "../catalog/notes";
import { seenGone } from "../catalog/removed-endpoints";
import { AlternativeKindSchema, type Alternative, type Endpoint } from "../catalog/schema";
import { lazy, lazyPer } from "../lazy";

export const AlternativeViewSchema = lazy(() =>
  z
    .object({
      // `.describe`, not `.openapi`: the catalog's schemas come from plain zod, which may not carry the extension.
      kind: AlternativeKindSchema().describe(
        "From the scope names: `classic` (read:jira-work), `granular` (read:issue:jira), or `mixed`.",
      ),
      state: z.string().openapi({ description: "As published: Current, Beta, ...", example: "Current" }),
      scopes: z.array(z.string()).openapi({ example: ["read:board-scope:jira-software", "read:project:jira"] }),
    })
    .openapi("Alternative", { description: "One set of scopes: every scope in it is needed." }),
);

/**
 * An endpoint the documents still list whose removal date has passed (catalog/lookup.ts pastRemovalOf):
 * its scopes stay as published, but calls to it answer 410 Gone.
 */
export const PastRemovalSchema = lazy(() =>
  z
    .object({
      effective: z.string().openapi({
        description:
          'The date the removal took effect, as the document gives it: its `x-changes` entry, or the date its description states ("This will be removed on June 1, 2026"), or its Jira v3 twin\'s.',
        example: "2025-05-01",
      }),
      source: z
        .string()
        .optional()
        .openapi({ description: "The document's link for the removal (a changelog entry)." }),
      message: z.string(),
      seenGone: z.boolean().openapi({
        description:
          "Whether calls to it have been seen answering 410 Gone (src/catalog/removed-endpoints.ts REMOVALS_SEEN_GONE cites where); when false the 410 is expected, not seen, and it may still answer.",
      }),
      replacement: z
        .object({
          method: z.string(),
          path: z.string(),
          summary: z.string().optional(),
          docsUrl: z.string().optional(),
          note: z.string().optional(),
          alternatives: z
            .array(z.object({ kind: z.string(), state: z.string(), scopes: z.array(z.string()) }))
            .optional()
            .openapi({
              description: "Its scope sets, read from the catalog (any one suffices).",
            }),
        })
        .optional()
        .openapi({
          description:
            'What to call instead, when the catalog can tell: curated in src/catalog/removed-endpoints.ts, or named by the document\'s notice ("use Search workflows instead"), resolved to an endpoint of the catalog.',
        }),
    })
    .openapi("PastRemoval", {
      description:
        "Atlassian's removal of this endpoint took effect on `effective` (compared with the request's UTC date): the documents still list it, but calls to it are expected to answer 410 Gone (seen for the issue search).",
    }),
);
export type PastRemoval = z.infer<ReturnType<typeof PastRemovalSchema>>;

export function pastRemovalView(view: RemovedView, options: { replacementRead?: boolean } = {}): PastRemoval {
  return {
    effective: view.removedAt,
    ...(view.source.url ? { source: view.source.url } : {}),
    message: removedSentence(view, options),
    seenGone: seenGone(view),
    ...(view.replacement ? { replacement: view.replacement } : {}),
  };
}

/**
 * Per catalog, each endpoint's past removal as answers show it, or null, with the date it was judged on:
 * 100 tokens' lists show the same entries, and an isolate outlives a day.
 */
const pastRemovals = lazyPer(
  (_catalog: CatalogIndex) => new WeakMap<Endpoint, { asOf: string; removal: PastRemoval | null }>(),
);

/**
 * An endpoint's past removal (pastRemovalOf) as lists of what a scope reaches show it; cheap for the many
 * endpoints with no lifecycle. The replacement is named without its scopes: reading its record reads a
 * path trie, which a reverse lookup never needs (GET /scopes on the endpoint gives them).
 */
export function pastRemovalFor(catalog: CatalogIndex, endpoint: Endpoint, asOf: string): PastRemoval | undefined {
  if (!endpoint.lifecycle) return undefined;
  const known = pastRemovals(catalog);
  let judged = known.get(endpoint);
  if (judged?.asOf !== asOf) {
    const view = pastRemovalOf(catalog, endpoint, asOf, { readReplacement: false });
    judged = { asOf, removal: view ? pastRemovalView(view, { replacementRead: false }) : null };
    known.set(endpoint, judged);
  }
  return judged.removal ?? undefined;
}

export const EndpointViewSchema = lazy(() =>
  z
    .object({
      product: z.string().openapi({ example: "jira-software" }),
      method: z.string().openapi({ example: "GET" }),
      path: z
        .string()
        .openapi({ description: "Path template as the client sends it.", example: "/rest/agile/1.0/board" }),
      operationId: z.string().optional(),
      summary: z.string().optional(),
      docsUrl: z.string(),
      alternatives: z
        .array(
          AlternativeViewSchema().extend({
            authTypes: z.array(z.string()).optional().openapi({
              description:
                "Bitbucket only: the document's `x-atlassian-auth-types` for its API-token/Forge set (api-token, forge-oauth2); its classic set is `security.oauth2`, for OAuth consumers and access tokens.",
            }),
            usable: z
              .boolean()
              .optional()
              .openapi({ description: "With `credential`: whether that credential can hold this set." }),
            why: z.string().optional().openapi({ description: "Why the credential cannot use this set." }),
          }),
        )
        .openapi({ description: "Any one alternative suffices (OR of AND-sets). Empty when no scopes are published." }),
      unusable: z.string().optional().openapi({
        description:
          'With `credential`: the credential cannot call this endpoint through any scope set, and why (Bitbucket\'s auth types, an INACCESSIBLE Connect scope, or the document names the apps that may call it, quoted: "Only Connect and OAuth 2.0 apps can use this operation." for a scoped API token on POST /rest/api/3/webhook).',
      }),
      removal: PastRemovalSchema().optional(),
      needsNoScope: z.string().optional().openapi({
        description:
          "Set when the endpoint needs no scope at all (a curated record, unlike a documented endpoint that merely publishes none): what may call it instead.",
        example: "any OAuth 2.0 (3LO) access token, whatever its scopes",
      }),
      anonymous: z.boolean(),
      connectScope: z.string().optional(),
      deprecated: z.boolean(),
      experimental: z.boolean(),
      notes: z.array(z.string()).openapi({
        description:
          'Plain-language notes on the scopes and the documents\' caveats; without `credential`, or with one they allow, which apps the document lets call the endpoint ("The document says: ... (`credential`: oauth2-3lo, connect)").',
      }),
    })
    .openapi("Endpoint"),
);
export type EndpointView = z.infer<ReturnType<typeof EndpointViewSchema>>;

export function alternativeView(alternative: Pick<Alternative, "kind" | "state" | "scopes">) {
  return { kind: alternative.kind, state: alternative.state, scopes: alternative.scopes };
}

/** With `credential`, each alternative says whether that credential can hold it, and the endpoint whether it can call it. */
/**
 * `removal`: the endpoint's past removal (catalog/lookup.ts pastRemovalOf), which replaces the document's
 * "announced" note; `today`: the request's date, against which its deprecation and removal dates are told.
 */
export function endpointView(
  endpoint: Endpoint,
  credential?: CredentialKind,
  removal?: RemovedView,
  today?: string,
): EndpointView {
  const alternatives = endpoint.alternatives.map((alternative) => {
    const authTypes = alternativeAuthTypes(endpoint, alternative);
    const view: EndpointView["alternatives"][number] = {
      ...alternativeView(alternative),
      ...(authTypes ? { authTypes } : {}),
    };
    if (!credential) return view;
    const verdict = judgeAlternative(credential, endpoint, alternative);
    return verdict.usable ? { ...view, usable: true } : { ...view, usable: false, why: verdict.why };
  });
  const blocked = credential ? judgeEndpoint(credential, endpoint) : undefined;
  const noneUsable =
    credential && alternatives.length > 0 && alternatives.every((alternative) => alternative.usable === false);
  const unusable =
    blocked && !blocked.usable
      ? blocked.why
      : noneUsable && credential !== "connect"
        ? `None of this endpoint's scope sets can be held by ${credential}.`
        : undefined;
  const noScope = needsNoScope(endpoint);
  return {
    product: endpoint.product,
    method: endpoint.method,
    path: endpoint.path,
    operationId: endpoint.operationId,
    summary: endpoint.summary,
    docsUrl: endpoint.docsUrl,
    alternatives,
    ...(unusable ? { unusable } : {}),
    ...(removal ? { removal: pastRemovalView(removal) } : {}),
    ...(noScope ? { needsNoScope: noScope } : {}),
    anonymous: endpoint.anonymous,
    connectScope: endpoint.connectScope,
    deprecated: endpoint.deprecated,
    experimental: endpoint.experimental,
    notes: [
      ...endpointNotes(endpoint, { removalPassed: removal !== undefined, today }),
      ...endpointCaveats(credential, endpoint),
    ],
  };
}
