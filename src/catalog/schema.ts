/**
 * The catalog's records and their zod schemas. The scraper validates with them before publishing,
 * and the worker validates with them what it reads back from KV, so both sides share one contract.
 * Each schema is built on its first use (`XSchema()`): a request that reads no stored record of a
 * kind never pays for its schema, and an isolate's startup pays for none.
 */
import { z } from "zod";
import { lazy } from "../lazy";
import type { RouteNode } from "./matcher";
import { routesProblem, scopeIndexProblem } from "./route-validation";

export const PRODUCTS = [
  "jira",
  "jira-software",
  "jira-service-management",
  "assets",
  "confluence",
  "bitbucket",
  "platform",
] as const;
export const ProductSchema = lazy(() => z.enum(PRODUCTS));
export type Product = z.infer<ReturnType<typeof ProductSchema>>;

export const HTTP_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "TRACE"] as const;
const HttpMethodSchema = lazy(() => z.enum(HTTP_METHODS));
export type HttpMethod = z.infer<ReturnType<typeof HttpMethodSchema>>;
/** Each method as one letter: a stored shard lists its endpoints' methods so (`endpointMethods`). */
export const METHOD_LETTERS: Readonly<Record<HttpMethod, string>> = {
  GET: "G",
  POST: "P",
  PUT: "U",
  PATCH: "A",
  DELETE: "D",
  HEAD: "H",
  OPTIONS: "O",
  TRACE: "T",
};
const METHODS_BY_LETTER: ReadonlyMap<string, HttpMethod> = new Map(
  HTTP_METHODS.map((method) => [METHOD_LETTERS[method], method]),
);
/** The method a stored letter stands for (METHOD_LETTERS), or undefined for none. */
export function methodOfLetter(letter: string | undefined): HttpMethod | undefined {
  return letter === undefined ? undefined : METHODS_BY_LETTER.get(letter);
}

/**
 * Each endpoint's Connect scope as a stored shard lists them (`endpointConnectScopes`): `letters[i]` is
 * `-` for none, else names endpoint i's in `names` (`a` the first, at most `z`).
 */
export interface ConnectScopeLetters {
  readonly names: readonly string[];
  readonly letters: string;
}
export const NO_CONNECT_SCOPE = "-";
const FIRST_CONNECT_LETTER = "a".charCodeAt(0);

/** The letter that stands for `names[position]`. */
export function connectLetterAt(position: number): string {
  return String.fromCharCode(FIRST_CONNECT_LETTER + position);
}

/** Endpoint `index`'s Connect scope by the stored letters. */
export function connectScopeAt(stored: ConnectScopeLetters, index: number): string | undefined {
  const letter = stored.letters[index];
  return letter === NO_CONNECT_SCOPE || letter === undefined
    ? undefined
    : stored.names[letter.charCodeAt(0) - FIRST_CONNECT_LETTER];
}

/** `classic` (read:jira-work, pullrequest) or `granular` (read:issue:jira); `mixed` when one set holds both. */
const ScopeKindSchema = lazy(() => z.enum(["classic", "granular"]));
export type ScopeKind = z.infer<ReturnType<typeof ScopeKindSchema>>;
export const AlternativeKindSchema = lazy(() => z.enum(["classic", "granular", "mixed"]));
export type AlternativeKind = z.infer<ReturnType<typeof AlternativeKindSchema>>;

/** Where an alternative was read: the vendor extension, the standard `security`, a DAC page, or a curated record. */
const ScopeOriginSchema = lazy(() => z.enum(["x-atlassian-oauth2-scopes", "security", "reference-page", "curated"]));
export type ScopeOrigin = z.infer<ReturnType<typeof ScopeOriginSchema>>;

const ScopeNameSchema = lazy(() =>
  z
    .string()
    .min(1)
    .max(200)
    .regex(/^[A-Za-z0-9_.:-]+$/, "scope names are letters, digits and . _ : -"),
);

/** One set of scopes that satisfies an endpoint: every scope in it is needed (AND). */
const AlternativeSchema = lazy(() =>
  z.object({
    kind: AlternativeKindSchema(),
    /** As published: Current, Beta, Deprecated... `security` carries no state, so those sets are Current. */
    state: z.string().min(1),
    scopes: z.array(ScopeNameSchema()).min(1),
    origins: z.array(ScopeOriginSchema()).min(1),
  }),
);
export type Alternative = z.infer<ReturnType<typeof AlternativeSchema>>;

/**
 * An announced removal (`removed`) or deprecation date (`deprecated`): from the operation's `x-changes`,
 * or read from its description (`origin: "description"`, scraper/parse/removal-notice.ts), or its Jira v3
 * twin's (`origin: "v3-twin"`, scraper/normalize.ts).
 */
const LifecycleChangeSchema = lazy(() =>
  z.object({
    type: z.string(),
    announced: z.string().optional(),
    effective: z.string().optional(),
    details: z.string().optional(),
    /** The changelog entry the notice cites, e.g. CHANGE-2569. */
    changelog: z.string().optional(),
    /** What the notice says to call instead, resolved to an endpoint of the same catalog. */
    replacement: z.object({ method: HttpMethodSchema(), path: z.string().startsWith("/") }).optional(),
    origin: z.enum(["description", "v3-twin"]).optional(),
  }),
);
export type LifecycleChange = z.infer<ReturnType<typeof LifecycleChangeSchema>>;

export const EndpointSchema = lazy(() =>
  z.object({
    product: ProductSchema(),
    method: HttpMethodSchema(),
    /** Full request path template as a client sends it, server prefix applied. */
    path: z.string().startsWith("/"),
    operationId: z.string().optional(),
    summary: z.string().optional(),
    docsUrl: z.string().url(),
    deprecated: z.boolean(),
    experimental: z.boolean(),
    /** Any one alternative suffices (OR of AND-sets). Empty when no scopes are published. */
    alternatives: z.array(AlternativeSchema()),
    /** False for operations whose documents publish no OAuth scopes: kept, and flagged, never dropped. */
    hasScopes: z.boolean(),
    /** The document lists OAuth with an empty scope list (any token is accepted, or the list was left blank). */
    emptyScopeList: z.boolean(),
    /** `{}` in `security`: callable without credentials. */
    anonymous: z.boolean(),
    connectScope: z.string().optional(),
    /** Bitbucket's `x-atlassian-auth-types` (api-token, forge-oauth2, ...). */
    authTypes: z.array(z.string()).optional(),
    /** Announced removals and other lifecycle notices (`x-changes`). */
    lifecycle: z.array(LifecycleChangeSchema()).optional(),
    /** Ids of the documents that publish this endpoint (Jira v2 and v3 share some). */
    documents: z.array(z.string()).min(1),
    /**
     * Set on the curated records of APIs no REST document describes (src/catalog/curated.ts): the one
     * server that answers the path, and what to know about calling it.
     */
    curated: z
      .object({
        server: z.string(),
        notes: z.array(z.string()),
        /**
         * Set when the record says the endpoint takes no scope at all (unlike a documented endpoint that
         * merely publishes none): what may call it instead, e.g. "any OAuth 2.0 (3LO) access token".
         */
        noScope: z.string().optional(),
      })
      .optional(),
  }),
);
export type Endpoint = z.infer<ReturnType<typeof EndpointSchema>>;

/** At most this many tombstones per product: the newest are kept (scraper/tombstones.ts). */
export const MAX_TOMBSTONES = 500;

/**
 * A tombstone: an endpoint a product's documents published and a later scrape no longer did. Kept so
 * that a call to it is answered as removed (410 `endpoint_removed`) rather than as unknown, or as
 * "takes another method". Written by the scraper only (scraper/tombstones.ts).
 */
export const TombstoneSchema = lazy(() =>
  z.object({
    product: ProductSchema(),
    method: HttpMethodSchema(),
    path: z.string().startsWith("/"),
    summary: z.string().optional(),
    docsUrl: z.string().optional(),
    /** The catalog version whose scrape no longer found it, and when that version was published. */
    removedIn: z.string(),
    removedAt: z.string(),
    /** The scope sets it took when last seen. */
    alternatives: z.array(AlternativeSchema()),
    /** The removal its last document announced (its `removed` lifecycle entry, with the replacement named). */
    removal: LifecycleChangeSchema().optional(),
  }),
);
export type Tombstone = z.infer<ReturnType<typeof TombstoneSchema>>;

export const ScopeRecordSchema = lazy(() =>
  z.object({
    name: ScopeNameSchema(),
    kind: ScopeKindSchema(),
    /** The product the scope belongs to, from its name (`:jira-software`) or the document declaring it. */
    product: z.string().min(1),
    description: z.string().optional(),
    descriptionSource: z.enum(["document", "narrative", "page", "other-document"]).optional(),
    /** Declared in a scheme dictionary but used by no operation of the product. */
    unused: z.boolean(),
    /**
     * The document calls it deprecated (Bitbucket's narrative: "project:write: This scope is deprecated,
     * and has been made obsolete by `project:admin`"), and names the scope that replaces it.
     */
    deprecated: z.literal(true).optional(),
    replacedBy: z.string().optional(),
  }),
);
export type ScopeRecord = z.infer<ReturnType<typeof ScopeRecordSchema>>;

const DocumentMetaSchema = lazy(() =>
  z.object({
    id: z.string(),
    url: z.string(),
    title: z.string().optional(),
    infoVersion: z.string().optional(),
    etag: z.string().optional(),
    lastModified: z.string().optional(),
    bytes: z.number().int().nonnegative(),
    operations: z.number().int().nonnegative(),
  }),
);
export type DocumentMeta = z.infer<ReturnType<typeof DocumentMetaSchema>>;

/** Everything the catalog knows about one product, stored as one immutable KV value. */
export const ProductShardSchema = lazy(() =>
  z
    .object({
      schemaVersion: z.literal(1),
      product: ProductSchema(),
      version: z.string(),
      scrapedAt: z.string(),
      contentHash: z.string(),
      documents: z.array(DocumentMetaSchema()),
      endpoints: z.array(EndpointSchema()),
      scopes: z.array(ScopeRecordSchema()),
      /**
       * Endpoints the product's documents dropped in an earlier version (tombstones), newest first, at
       * most MAX_TOMBSTONES. Absent in shards written before tombstones existed: none are known then.
       */
      removed: z.array(TombstoneSchema()).max(MAX_TOMBSTONES).optional(),
      /**
       * The path trie over `endpoints` (indices into it), built when the shard is published so that a cold
       * isolate need not build it. Shards written before it existed have none; the worker builds it then.
       */
      routes: z
        .custom<RouteNode>(
          (value) => typeof value === "object" && value !== null && !Array.isArray(value),
          "routes is not an object",
        )
        .optional(),
      /**
       * Per scope name, the indices of the endpoints in whose alternatives it appears, in order: a cold
       * isolate counts and lists a scope's endpoints without parsing the others (src/storage/shard-layout.ts).
       * Shards written before it existed have none; the worker derives it from the endpoints then.
       */
      scopeIndex: z.record(z.string(), z.array(z.number().int().nonnegative())).optional(),
    })
    .superRefine((shard, context) => {
      const problem = shard.routes === undefined ? undefined : routesProblem(shard.routes, shard.endpoints.length);
      if (problem) context.addIssue({ code: "custom", path: ["routes"], message: problem });
      const indexProblem =
        shard.scopeIndex === undefined ? undefined : scopeIndexProblem(shard.scopeIndex, shard.endpoints.length);
      if (indexProblem) context.addIssue({ code: "custom", path: ["scopeIndex"], message: indexProblem });
    }),
);
export type ProductShard = z.infer<ReturnType<typeof ProductShardSchema>>;

const ShardPointerSchema = lazy(() =>
  z.object({
    key: z.string(),
    version: z.string(),
    scrapedAt: z.string(),
    contentHash: z.string(),
    endpoints: z.number().int().nonnegative(),
    /** Endpoints with at least one published scope set: a drop means scopes vanished from the documents. */
    endpointsWithScopes: z.number().int().nonnegative(),
    scopes: z.number().int().nonnegative(),
    /**
     * The first two segments of the shard's templates (`rest/api`; `*` for a parameter), so that a worker
     * reads only the shards a request path can match. Absent in manifests written before it existed.
     */
    prefixes: z.array(z.string()).optional(),
    /**
     * Every scope name the shard holds (its records and the scopes its endpoints name), sorted, so that a
     * worker reads only the shards a scope appears in and /health counts distinct scopes without reading
     * shards. Absent in manifests written before it existed.
     */
    scopeNames: z.array(z.string()).optional(),
    /**
     * "endpoint-lines": the shard is stored one endpoint per line with its scope index
     * (src/storage/shard-layout.ts), so a worker parses only the endpoints a request reads;
     * "endpoint-lines-with-starts": the same, its first line also placing each endpoint line, so a worker
     * finds a line without scanning for it; "endpoint-lines-with-routes-line": the same, the path trie
     * on a line of its own, so a worker parses it only for a path lookup; "endpoint-lines-with-paths-line":
     * the same, each endpoint's path on a line of its own, so a worker ranks a miss's suggestions without
     * parsing endpoints; "endpoint-lines-with-alternative-table": the same, each distinct alternative
     * stored once on a line of its own and named by position in the endpoint lines, so a worker parses
     * and keeps a third less for each endpoint it reads; "endpoint-lines-with-route-table": the same, the
     * trie's line as flat lists (`routeTable`, catalog/route-table.ts), which a cold isolate parses and
     * checks in half the time of nested objects. Absent for shards stored before all six; the next
     * scrape republishes any product whose pointer is not the last.
     */
    layout: z
      .enum([
        "endpoint-lines",
        "endpoint-lines-with-starts",
        "endpoint-lines-with-routes-line",
        "endpoint-lines-with-paths-line",
        "endpoint-lines-with-alternative-table",
        "endpoint-lines-with-route-table",
      ])
      .optional(),
  }),
);
export type ShardPointer = z.infer<ReturnType<typeof ShardPointerSchema>>;

const ShardPointersSchema = lazy(() => z.partialRecord(ProductSchema(), ShardPointerSchema()));

/**
 * One scope of the registry: a name Atlassian accepts in an app's scopes, from the package file that
 * lists it (`@forge/manifest`'s out/scopes/*.json). `product` is the name's last segment
 * (`read:component:compass` → compass); `teamworkGraph` when the Teamwork Graph list names it,
 * `deprecated` when the deprecated list does, `interactiveConsent` when the user must consent in person.
 */
export const RegistryScopeSchema = lazy(() =>
  z.object({
    name: ScopeNameSchema(),
    product: z.string().min(1),
    teamworkGraph: z.literal(true).optional(),
    deprecated: z.literal(true).optional(),
    interactiveConsent: z.literal(true).optional(),
  }),
);
export type RegistryScope = z.infer<ReturnType<typeof RegistryScopeSchema>>;

/** Where a registry came from: a pinned npm package version, its tarball URL and the files read in it. */
export const RegistrySourceSchema = lazy(() =>
  z.object({
    package: z.string().min(1),
    version: z.string().min(1),
    url: z.string().url(),
    files: z.array(z.string()),
  }),
);
export type RegistrySource = z.infer<ReturnType<typeof RegistrySourceSchema>>;

/** Every scope name Atlassian accepts, as `@forge/manifest` lists them: stored once per package version. */
export const ScopeRegistrySchema = lazy(() =>
  z.object({
    schemaVersion: z.literal(1),
    source: RegistrySourceSchema(),
    fetchedAt: z.string(),
    scopes: z.array(RegistryScopeSchema()).min(1),
  }),
);
export type ScopeRegistry = z.infer<ReturnType<typeof ScopeRegistrySchema>>;

/** The manifest's pointer to the registry it serves with. */
const RegistryPointerSchema = lazy(() =>
  z.object({
    key: z.string(),
    source: RegistrySourceSchema(),
    fetchedAt: z.string(),
    scopes: z.number().int().nonnegative(),
  }),
);
export type RegistryPointer = z.infer<ReturnType<typeof RegistryPointerSchema>>;

/** The pointer readers follow: written last, after every shard it names exists. */
export const ManifestSchema = lazy(() =>
  z.object({
    schemaVersion: z.literal(1),
    version: z.string(),
    publishedAt: z.string(),
    products: ShardPointersSchema(),
    previous: z.object({ version: z.string(), products: ShardPointersSchema() }).nullable(),
    changesKey: z.string().nullable(),
    /** The scope registry (absent in manifests written before it existed, or when none was ever fetched). */
    registry: RegistryPointerSchema().optional(),
    /** Newest first, capped: which versions exist and where their changes are stored. */
    history: z.array(
      z.object({
        version: z.string(),
        publishedAt: z.string(),
        changesKey: z.string(),
        changes: z.number().int().nonnegative(),
      }),
    ),
  }),
);
export type Manifest = z.infer<ReturnType<typeof ManifestSchema>>;

const AlternativeRefSchema = lazy(() => z.object({ kind: AlternativeKindSchema(), state: z.string() }));

export const ChangeEntrySchema = lazy(() =>
  z.discriminatedUnion("type", [
    z.object({
      type: z.literal("endpoint_added"),
      product: ProductSchema(),
      method: HttpMethodSchema(),
      path: z.string(),
    }),
    z.object({
      type: z.literal("endpoint_removed"),
      product: ProductSchema(),
      method: HttpMethodSchema(),
      path: z.string(),
      /**
       * The scope sets it took when last published, so that a subscriber to a scope's changes hears that
       * an endpoint it was used for went away. Absent in entries recorded before they were kept.
       */
      alternatives: z
        .array(z.object({ kind: AlternativeKindSchema(), state: z.string(), scopes: z.array(z.string()) }))
        .optional(),
    }),
    z.object({
      type: z.literal("scopes_changed"),
      product: ProductSchema(),
      method: HttpMethodSchema(),
      path: z.string(),
      alternative: AlternativeRefSchema(),
      added: z.array(z.string()),
      removed: z.array(z.string()),
    }),
    z.object({
      type: z.literal("alternative_added"),
      product: ProductSchema(),
      method: HttpMethodSchema(),
      path: z.string(),
      alternative: AlternativeRefSchema(),
      scopes: z.array(z.string()),
    }),
    z.object({
      type: z.literal("alternative_removed"),
      product: ProductSchema(),
      method: HttpMethodSchema(),
      path: z.string(),
      alternative: AlternativeRefSchema(),
      scopes: z.array(z.string()),
    }),
    z.object({
      type: z.literal("state_changed"),
      product: ProductSchema(),
      method: HttpMethodSchema(),
      path: z.string(),
      alternative: AlternativeRefSchema(),
      scopes: z.array(z.string()),
      from: z.string(),
      to: z.string(),
    }),
    z.object({
      type: z.literal("deprecated_changed"),
      product: ProductSchema(),
      method: HttpMethodSchema(),
      path: z.string(),
      from: z.boolean(),
      to: z.boolean(),
    }),
    z.object({ type: z.literal("scope_introduced"), product: ProductSchema(), scope: z.string() }),
    z.object({ type: z.literal("scope_retired"), product: ProductSchema(), scope: z.string() }),
  ]),
);
export type ChangeEntry = z.infer<ReturnType<typeof ChangeEntrySchema>>;

/** What one published version changed against the one before it. */
export const ChangesSchema = lazy(() =>
  z.object({
    version: z.string(),
    previousVersion: z.string().nullable(),
    publishedAt: z.string(),
    /** Products published for the first time: everything in them is new, so no entries are listed. */
    baseline: z.array(ProductSchema()),
    entries: z.array(ChangeEntrySchema()),
  }),
);
export type Changes = z.infer<ReturnType<typeof ChangesSchema>>;

export const ProductOutcomeSchema = lazy(() =>
  z.object({
    status: z.enum(["published", "unchanged", "failed"]),
    reason: z.string().optional(),
    message: z.string().optional(),
    endpoints: z.number().int().nonnegative().optional(),
    scopes: z.number().int().nonnegative().optional(),
    changes: z.number().int().nonnegative().optional(),
    warnings: z.array(z.string()).optional(),
  }),
);
export type ProductOutcome = z.infer<ReturnType<typeof ProductOutcomeSchema>>;

/** One scrape run's outcome, per product, for /health and operators. */
export const RunReportSchema = lazy(() =>
  z.object({
    startedAt: z.string(),
    finishedAt: z.string(),
    outcome: z.enum(["published", "unchanged", "failed", "locked"]),
    version: z.string().nullable(),
    message: z.string().optional(),
    products: z.partialRecord(ProductSchema(), ProductOutcomeSchema()),
    /** The scope registry's outcome in this run (absent in reports written before it existed, or when not loaded). */
    registry: z
      .object({
        status: z.enum(["published", "unchanged", "failed"]),
        version: z.string(),
        scopes: z.number().int().nonnegative().optional(),
        reason: z.string().optional(),
        message: z.string().optional(),
      })
      .optional(),
  }),
);
export type RunReport = z.infer<ReturnType<typeof RunReportSchema>>;
