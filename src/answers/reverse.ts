/** Reverse lookup: every endpoint a scope appears in, and what it needs beside the scope there. No I/O. */
import { z } from "@hono/zod-openapi";
import { connectImplied, connectScopeInAnyCase, connectScopeName } from "../catalog/credentials";
import { callableEndpoints } from "../catalog/diff";
import type { CatalogIndex } from "../catalog/catalog-index";
import { parseMethod } from "../catalog/http-method";
import { impliedBy } from "../catalog/implied-scopes";
import { type Endpoint, PRODUCTS } from "../catalog/schema";
import { scopeKindOf } from "../catalog/scope-names";
import type { ServedCatalog } from "../storage/catalog-cache";
import { CatalogRefSchema, catalogRef, todayOf } from "./catalog-ref";
import { AlternativeViewSchema, PastRemovalSchema, pastRemovalFor } from "./endpoint-view";
import { CursorSchema, limitSchema, MAX_LIMITS, pageOf } from "./paging";
import { choiceSchema } from "./validate";
import { fail, ok, type Result } from "./result";
import { lazy } from "../lazy";

const DEFAULT_LIMIT = 50;
const MAX_LIMIT = MAX_LIMITS.reverse;

export const ReverseInputSchema = z.object({
  scope: z
    .string({ error: "`scope` is required: a scope name such as read:board-scope:jira-software" })
    .min(1, "`scope` is empty: give a scope name such as read:jira-work")
    .max(200, "`scope` is longer than any scope name (200 characters at most)")
    .openapi({ example: "read:board-scope:jira-software" }),
  product: choiceSchema("product", PRODUCTS)
    .optional()
    .describe(`Only endpoints of this product: ${PRODUCTS.join(", ")} (in any case: \`JIRA\` is read as \`jira\`).`),
  method: z.string().optional().openapi({ example: "GET" }),
  limit: limitSchema(MAX_LIMIT, `Page size, default ${DEFAULT_LIMIT}.`),
  cursor: CursorSchema,
});

const ScopeUseSchema = lazy(() =>
  z
    .object({
      product: z.string(),
      method: z.string(),
      path: z.string(),
      summary: z.string().optional(),
      docsUrl: z.string(),
      deprecated: z.boolean(),
      removal: PastRemovalSchema().optional().openapi({
        description:
          "Set when the documents still list the endpoint but its removal date has passed (as on GET /scopes): it is listed with its documented scopes, but calls to it answer 410 Gone (or are expected to: `seenGone`). `replacement` names the endpoint to call instead without its scopes (GET /scopes on either gives them).",
      }),
      alone: z
        .boolean()
        .openapi({ description: "True when the scope by itself is one of the endpoint's alternatives." }),
      grantedScope: z.string().optional().openapi({
        description:
          "Set when the endpoint's sets name not the scope asked for but a scope it grants (Bitbucket's classic OAuth 2.0 scopes: `pullrequest:write` grants `pullrequest`, `repository:write` and `repository`): that scope. `companions` then leave out what the asked scope grants.",
        example: "repository",
      }),
      connectScope: z.string().optional().openapi({
        description:
          "For a Connect scope: the Connect scope the endpoint's document names, which the one asked for grants (itself or one it implies). `sets` is then empty.",
      }),
      sets: z.array(
        AlternativeViewSchema().extend({
          companions: z.array(z.string()).openapi({ description: "The other scopes this set needs." }),
        }),
      ),
    })
    .openapi("ScopeUse"),
);

export const ReverseAnswerSchema = lazy(() =>
  z
    .object({
      scope: z.object({
        name: z.string(),
        kind: z.enum(["classic", "granular", "connect"]).openapi({
          description: "`connect`: a Connect app's scope (READ, WRITE, ...), declared in its descriptor.",
        }),
        product: z.string(),
        description: z.string().optional(),
        endpoints: z.number().int().openapi({
          description: "Endpoints the scope appears in, before filters (or a scope it grants: see `grants`).",
        }),
        deprecated: z.literal(true).optional().openapi({
          description:
            'Its document calls it deprecated (Bitbucket\'s `project:write`: "This scope is deprecated, and has been made obsolete by `project:admin`"): real, but no endpoint takes it any more.',
        }),
        replacedBy: z
          .string()
          .optional()
          .openapi({ description: "The scope its document says replaces it: ask for this one instead." }),
        grants: z.array(z.string()).optional().openapi({
          description:
            "Bitbucket's classic OAuth 2.0 scopes only: the scopes this one grants besides itself (`pullrequest:write` grants `pullrequest`, `repository:write`, `repository`), whose endpoints are listed too, each with `grantedScope`, as POST /diff counts them.",
        }),
        outside: z
          .object({
            api: z.string(),
            docsUrl: z.string().optional(),
            deprecated: z.boolean().optional(),
            source: z
              .string()
              .openapi({ description: "The scope registry it was found in: @forge/manifest@<version>." }),
          })
          .optional()
          .openapi({
            description:
              "Set when no catalogued endpoint takes the scope but it is real (the scope registry lists it): the API or product outside the catalog that uses it.",
          }),
      }),
      catalog: CatalogRefSchema(),
      total: z.number().int().openapi({ description: "Endpoints matching the filters." }),
      offset: z.number().int().openapi({ description: "Position of this page's first endpoint in the whole list." }),
      endpoints: z.array(ScopeUseSchema()),
      nextCursor: z.string().nullable(),
    })
    .openapi("ScopeEndpoints"),
);

export type ReverseInput = z.infer<typeof ReverseInputSchema>;
export type ReverseAnswer = z.infer<ReturnType<typeof ReverseAnswerSchema>>;

export function answerReverse(served: ServedCatalog, input: ReverseInput): Result<ReverseAnswer> {
  const catalog = served.index;
  const name = input.scope.trim();
  const status = catalog.classifyScope(name);
  const info = catalog.scope(name);
  if (status.status === "outside") {
    // Real, but no catalogued endpoint takes it: say which API does, with no endpoints, rather than "no such scope".
    return ok({
      scope: {
        name,
        kind: info?.kind ?? scopeKindOf(name),
        product: info?.product ?? status.product,
        description: info?.description,
        endpoints: 0,
        outside: {
          api: status.api,
          ...(status.docsUrl ? { docsUrl: status.docsUrl } : {}),
          ...(status.deprecated ? { deprecated: true } : {}),
          source: status.source,
        },
      },
      catalog: catalogRef(served),
      total: 0,
      offset: 0,
      endpoints: [],
      nextCursor: null,
    });
  }
  const connect = info ? undefined : connectScopeName(name);
  if (connect) return answerConnectReverse(served, input, connect);
  if (!info) {
    // `Read`: Connect's names are written all upper or all lower case, so the nearest is that spelling.
    const connectSpelling = connectScopeInAnyCase(name);
    const suggestions = connectSpelling ? [connectSpelling] : catalog.suggestScopes(name);
    return fail(
      "scope_not_found",
      `No scope ${name} in the catalog.${suggestions.length > 0 ? ` Did you mean ${suggestions[0]}?` : " Check the spelling: scopes look like read:jira-work or read:issue:jira."}`,
      { scope: name, suggestions },
    );
  }
  const method = parseMethod(input.method);
  if (!method.ok) return fail(method.code, method.message);
  // Empty for all but a few Bitbucket classic scopes: every other lookup reads one scope's list, as before.
  const granted = impliedBy(name);
  const grants = granted.length > 0 ? new Set([name, ...granted]) : undefined;
  const all = grants ? catalog.endpointsWithScopes([name, ...granted]) : catalog.endpointsWithScope(name);
  const matching = filtered(all, input.product, method.method, (endpoint) => endpoint);
  const page = pageOf(matching, input.cursor, input.limit ?? DEFAULT_LIMIT);
  if (!page.ok) return page;
  const today = todayOf(served);
  const uses = page.value.items.map((endpoint) => {
    const sets = endpoint.alternatives
      .filter((alternative) =>
        grants ? alternative.scopes.some((scope) => grants.has(scope)) : alternative.scopes.includes(name),
      )
      .map((alternative) => ({
        kind: alternative.kind,
        state: alternative.state,
        scopes: alternative.scopes,
        companions: alternative.scopes.filter((scope) => (grants ? !grants.has(scope) : scope !== name)),
      }));
    // Named through a scope it grants only: say which, as a Connect entry names its Connect scope.
    const grantedScope =
      grants && !sets.some((set) => set.scopes.includes(name))
        ? sets.flatMap((set) => set.scopes).find((scope) => grants.has(scope))
        : undefined;
    return {
      ...listing(catalog, endpoint, today),
      alone: sets.some((set) => set.companions.length === 0),
      ...(grantedScope ? { grantedScope } : {}),
      sets,
    };
  });
  return ok({
    scope: {
      name: info.name,
      kind: info.kind,
      product: info.product,
      description: info.description,
      endpoints: grants ? all.length : info.endpoints,
      ...(info.deprecated ? { deprecated: true as const } : {}),
      ...(info.replacedBy ? { replacedBy: info.replacedBy } : {}),
      ...(grants ? { grants: [...granted] } : {}),
    },
    catalog: catalogRef(served),
    total: matching.length,
    offset: page.value.offset,
    endpoints: uses,
    nextCursor: page.value.nextCursor,
  });
}

/**
 * A Connect scope (READ, `read`): the endpoints a Connect app holding it can call, by the Connect scope
 * each endpoint's document names (`x-atlassian-connect-scope`), the scopes it implies counted, as POST
 * /diff lists what a Connect app can call. Connect scopes are in no scope index: the whole catalog is read.
 */
function answerConnectReverse(served: ServedCatalog, input: ReverseInput, connect: string): Result<ReverseAnswer> {
  const method = parseMethod(input.method);
  if (!method.ok) return fail(method.code, method.message);
  const all = callableEndpoints(new Set([connect]), served.index, "connect");
  const matching = filtered(all, input.product, method.method, (entry) => entry.endpoint);
  const page = pageOf(matching, input.cursor, input.limit ?? DEFAULT_LIMIT);
  if (!page.ok) return page;
  const implied = connectImplied(connect).filter((scope) => scope !== "NONE");
  return ok({
    scope: {
      name: connect,
      kind: "connect",
      product: "connect",
      description: `A Connect app's scope, declared in its descriptor (atlassian-connect.json)${implied.length > 0 ? `; it also grants ${implied.join(", ")}` : ""}. Each endpoint's document names the Connect scope it needs.`,
      endpoints: all.length,
    },
    catalog: catalogRef(served),
    total: matching.length,
    offset: page.value.offset,
    endpoints: page.value.items.map(({ endpoint }) => ({
      ...listing(served.index, endpoint, todayOf(served)),
      alone: true,
      ...(endpoint.connectScope ? { connectScope: endpoint.connectScope } : {}),
      sets: [],
    })),
    nextCursor: page.value.nextCursor,
  });
}

/**
 * The items of `all` in `product` and with `method`, when asked. Unfiltered, only the page's endpoints
 * are read (a stored shard parses each on its first read); `product` is read without the endpoint.
 */
function filtered<T extends { product: string }>(
  all: readonly T[],
  product: string | undefined,
  method: string | undefined,
  endpointOf: (item: T) => Endpoint,
): readonly T[] {
  if (!product && !method) return all;
  return all.filter(
    (item) => (!product || item.product === product) && (!method || endpointOf(item).method === method),
  );
}

/** What every listed endpoint says of itself, whatever kind of scope was asked for. */
function listing(catalog: CatalogIndex, endpoint: Endpoint, today: string) {
  // Only the page's endpoints: the rest of the list is never read.
  const removal = pastRemovalFor(catalog, endpoint, today);
  return {
    product: endpoint.product,
    method: endpoint.method,
    path: endpoint.path,
    summary: endpoint.summary,
    docsUrl: endpoint.docsUrl,
    deprecated: endpoint.deprecated,
    ...(removal ? { removal } : {}),
  };
}
