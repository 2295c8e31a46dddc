/**
 * One catalog version, indexed for queries: path matching, scopes by name, endpoints by scope.
 * Built once per version and kept in the isolate; every lookup after that is in memory. No I/O.
 */
import { itemReader, lazyList, lazyPer } from "../lazy";
import { PathMatcher, type RouteNode } from "./matcher";
import type { RouteTrie } from "./route-table";
import { editDistance, nearest } from "./nearest";
import { type Gateway, type RequestPath, withoutDoubledPrefix } from "./request-path";
import { CURATED_REMOVALS, type RemovedEndpoint } from "./removed-endpoints";
import type {
  ConnectScopeLetters,
  Endpoint,
  HttpMethod,
  Product,
  RegistryScope,
  ScopeKind,
  ScopeRecord,
  ScopeRegistry,
  Tombstone,
} from "./schema";
import { HTTP_METHODS, METHOD_LETTERS } from "./schema";
import { apiOf, sameResourceScopes, type ScopeStatus } from "./scope-registry";

export interface CatalogProductData {
  scrapedAt: string;
  /** The catalog version this product's data was published in (older than the catalog's when a scrape failed). */
  version: string;
  endpoints: readonly Endpoint[];
  scopes: readonly ScopeRecord[];
  /** The path trie over `endpoints` as the scraper stored it (checked), as a table or (layouts before it) nested; built here when absent. */
  routes?: RouteNode | RouteTrie;
  /** Endpoints its documents dropped (tombstones), newest first; absent in older shards. */
  removed?: readonly Tombstone[];
  /** Per scope name, the indices of the endpoints that name it, as the scraper stored it (checked); derived when absent. */
  scopeIndex?: ScopeIndex;
  /** Each endpoint's path by index, as the scraper stored it (checked): suggestions read these instead of the endpoints. */
  readonly templates?: readonly string[];
  /** Each endpoint's method letter by index (METHOD_LETTERS), as the scraper stored it (checked): a lookup with a method reads only its endpoints. */
  readonly methods?: string;
  /** Each endpoint's Connect scope by index, as the scraper stored it (checked): a Connect app's list reads only the endpoints it shows. */
  readonly connectScopes?: ConnectScopeLetters;
  /**
   * One scope's records and scope-index entry, read without the other scopes' (checked), or undefined
   * when this product's scopes must be read whole: a reverse lookup of one scope reads only its own.
   */
  readonly scopeEntry?: (name: string) => ProductScopeEntry | undefined;
}

/** A product's records of one scope name (usually one, or none) and the positions of the endpoints that name it. */
export interface ProductScopeEntry {
  records: readonly ScopeRecord[];
  positions?: readonly number[];
}

export interface CatalogData {
  version: string;
  publishedAt: string;
  /** When the newest product data of the whole catalog was scraped, for an index over some of its products. */
  scrapedAt?: string;
  /**
   * An index over the products a path can match as given (productsForPath): it answers only such
   * matches, since a path matching with an implied prefix could belong to a product it lacks.
   */
  directMatchesOnly?: boolean;
  products: Partial<Record<Product, CatalogProductData>>;
  /** The scope registry the manifest names (absent for old catalogs, and for indexes over a path's products). */
  registry?: Pick<ScopeRegistry, "source" | "scopes">;
  /**
   * The whole catalog's scope names in its scope table's order (catalogScopeNames, from the manifest):
   * over some products, so that an unknown name's suggestions are the whole catalog's; over all of
   * them, so that knowing a name reads no scope line (knowsScope). Absent: the index's own scopes.
   */
  catalogScopeNames?: readonly string[];
}

/** A scope as the whole catalog knows it, merged across the products whose documents name it. */
export interface ScopeInfo {
  name: string;
  kind: ScopeKind;
  product: string;
  description?: string;
  /** Endpoints in whose alternatives it appears. */
  endpoints: number;
  /** Its document calls it deprecated, made obsolete by `replacedBy` (ScopeRecord). */
  deprecated?: true;
  replacedBy?: string;
}

export interface PathMatch {
  /** The path the match was made on, when a known prefix had to be added (`/2.0`, `/wiki`). */
  matchedAs?: string;
  /** Endpoints of the matching template in method order: all methods, or the one asked for. */
  endpoints: Endpoint[];
  /** Whether a template matched: with a method asked for, `endpoints` is empty when it takes others only. */
  matched: boolean;
}

const methodLetterOf = (endpoint: Endpoint) => METHOD_LETTERS[endpoint.method];

const METHOD_ORDER = new Map<string, number>(HTTP_METHODS.map((method, index) => [method, index]));

/**
 * Prefixes users leave off: Bitbucket's `/2.0`, Confluence's `/wiki` (the gateway form
 * `/ex/confluence/{cloudId}/rest/api/...` has none) and Confluence v2's `/wiki/api/v2`.
 */
export const IMPLIED_PREFIXES = [["2.0"], ["wiki"], ["wiki", "api", "v2"]] as const;

/**
 * The segments behind each implied prefix, by IMPLIED_PREFIXES position, undefined where the path
 * already starts with it; made once per path, since matching, removed endpoints and suggestions all
 * try them. `concat`, not a spread: a spread walks an iterator in code not yet optimised, which cost a
 * cold isolate tens of bytes per segment (a 1,000-segment path, 3 prefixes).
 */
export const impliedPrefixed = lazyPer((segments: readonly string[]): readonly (readonly string[] | undefined)[] =>
  IMPLIED_PREFIXES.map((prefix) =>
    segments[0] === prefix[0] ? undefined : (prefix as readonly string[]).concat(segments),
  ),
);

/**
 * A Jira platform path of `/rest/api/2` or `/rest/api/latest` as `/rest/api/3`, else undefined: tried
 * when the path matches nothing as given. The v3 document says "This documentation is for version 3 of
 * the Jira Cloud platform REST API, which is the latest version. Version 2 and version 3 of the API offer
 * the same collection of operations" (../shared/atlassian-docs/jira-platform.v3.json, narrative
 * `version`), and the v2 document read here is older than some of its operations (`/search/jql`).
 */
export function v3TwinSegments(segments: readonly string[]): readonly string[] | undefined {
  if (segments[0] !== "rest" || segments[1] !== "api" || (segments[2] !== "2" && segments[2] !== "latest"))
    return undefined;
  return ["rest", "api", "3"].concat(segments.slice(3));
}

/** The products each api.atlassian.com gateway serves (`/ex/jira/{cloudId}`, `/ex/confluence/{cloudId}`). */
export const GATEWAY_PRODUCTS: Record<Gateway, readonly string[]> = {
  jira: ["jira", "jira-software", "jira-service-management"],
  confluence: ["confluence"],
};

/** Scopes read one at a time cost less than the whole tables while few are asked about (scopeAlone). */
const MAX_SCOPES_READ_ALONE = 8;

export class CatalogIndex {
  /**
   * One trie per product, walked as one: the stored tries are used as they are, not merged. Built on
   * the first path lookup, since a scope's reverse lookup needs none (a stored shard's trie is its own line).
   */
  private tries: PathMatcher<Endpoint>[] | undefined;
  /** The product of each trie, in the same order. */
  private readonly matcherProducts: Product[];
  private byFirstSegment: { literal: Map<string, PathMatcher<Endpoint>[]>; other: PathMatcher<Endpoint>[] } | undefined;
  private allEndpoints: Endpoint[] | undefined;
  private tables: { scopeInfo: Map<string, ScopeInfo>; indexes: ScopeIndex[] } | undefined;
  private holders: Map<string, number[]> | undefined;
  /** Endpoints by scope name, listed on first ask. */
  private readonly byScope = new Map<string, readonly Endpoint[]>();
  /** Scopes some product records, read alone, by name (scopeAlone), until the whole tables are built. */
  private readonly alone = new Map<string, { info: ScopeInfo; positions: (readonly number[] | undefined)[] }>();
  private scopesReadAlone = 0;
  /** Scope indexes derived from endpoints, by product position, for products stored without one. */
  private readonly derivedIndexes: ScopeIndex[] = [];
  private removedMatcher: PathMatcher<RemovedEndpoint> | undefined;
  private registryByName: Map<string, RegistryScope> | undefined;
  private knownNames: Set<string> | undefined;

  private constructor(readonly data: CatalogData) {
    this.matcherProducts = Object.keys(data.products) as Product[];
  }

  private get matchers(): PathMatcher<Endpoint>[] {
    this.tries ??= Object.values(this.data.products).map((product: CatalogProductData) => {
      const routes = product.routes;
      const endpoints = product.endpoints as Endpoint[];
      return routes
        ? PathMatcher.fromRoutes(routes, endpoints, pathOf, () => product.templates, product.methods)
        : matcherOf(endpoints);
    });
    return this.tries;
  }

  static build(data: CatalogData): CatalogIndex {
    return new CatalogIndex(data);
  }

  get version(): string {
    return this.data.version;
  }

  /** When the newest product data was scraped. */
  get scrapedAt(): string {
    if (this.data.scrapedAt !== undefined) return this.data.scrapedAt;
    return Object.values(this.data.products).reduce(
      (newest, product) => (product.scrapedAt > newest ? product.scrapedAt : newest),
      "",
    );
  }

  scrapedAtOf(product: Product): string | undefined {
    return this.data.products[product]?.scrapedAt;
  }

  /** Every endpoint's template path, from the stored `templates` where a shard has them: no endpoint is parsed. */
  templatePaths(): string[] {
    return Object.values(this.data.products).flatMap(
      (product) => product.templates ?? product.endpoints.map((endpoint) => endpoint.path),
    );
  }

  /** Every product's endpoints, in product, then catalog, order. */
  get endpoints(): readonly Endpoint[] {
    return (this.allEndpoints ??= Object.values(this.data.products).flatMap((product) => product.endpoints));
  }

  /**
   * The endpoints of the template a request path matches (all methods, or only `method`'s: a stored
   * shard's other endpoints there are then not parsed), trying implied prefixes after the path as given.
   */
  match(request: RequestPath, method?: HttpMethod): PathMatch {
    // Through the gateway the product is named (`/ex/confluence/...`): its endpoints come first, so a
    // Confluence v1 path without `/wiki` is Confluence's, not a Jira template it also fits. A path of
    // another product still matches (requestNotes says the gateway is the wrong one).
    if (request.gateway) {
      const served = GATEWAY_PRODUCTS[request.gateway];
      const own = this.matchIn(request, method, (matcher) => served.includes(this.productOf(matcher)));
      if (own.matched) return own;
    }
    return this.matchIn(request, method);
  }

  private matchIn(
    request: RequestPath,
    method: HttpMethod | undefined,
    keepMatcher?: (matcher: PathMatcher<Endpoint>) => boolean,
  ): PathMatch {
    const direct = this.find(request.segments, method, keepMatcher);
    if (direct.matched || this.data.directMatchesOnly) return direct;
    for (const segments of impliedPrefixed(request.segments)) {
      if (!segments) continue;
      const found = this.find(segments, method, keepMatcher);
      if (found.matched) return { ...found, matchedAs: `/${segments.join("/")}` };
    }
    const twin = v3TwinSegments(request.segments);
    if (twin) {
      const found = this.find(twin, method, keepMatcher);
      if (found.matched) return { ...found, matchedAs: `/${twin.join("/")}` };
    }
    return { endpoints: [], matched: false };
  }

  private find(
    segments: readonly string[],
    method: HttpMethod | undefined,
    keepMatcher: ((matcher: PathMatcher<Endpoint>) => boolean) | undefined,
  ): PathMatch {
    const endpoints: Endpoint[] = [];
    const matched = PathMatcher.matchAcrossKeyed(
      this.triesFor(segments),
      segments,
      { key: method && METHOD_LETTERS[method], keyOf: methodLetterOf, keepMatcher },
      endpoints,
    );
    return { endpoints, matched };
  }

  private productOf(matcher: PathMatcher<Endpoint>): Product {
    return this.matcherProducts[this.matchers.indexOf(matcher)]!;
  }

  /**
   * The removed endpoints (curated Confluence v1 removals and scraped tombstones of the products held)
   * whose template matches a request path, with `method` when given; the same prefixes and gateway
   * preference as `match`. Callers ask only when no live endpoint matches the method and path.
   */
  matchRemoved(request: RequestPath, method?: HttpMethod): { removed: RemovedEndpoint[]; matchedAs?: string } {
    // As `match`: the gateway's own products first, then any (a Confluence path through /ex/jira/ is
    // still Confluence's removed endpoint; the answer names its replacement, not the other gateway).
    if (request.gateway) {
      const own = this.removedIn(request, method, GATEWAY_PRODUCTS[request.gateway]);
      if (own.removed.length > 0) return own;
    }
    return this.removedIn(request, method, undefined);
  }

  private removedIn(
    request: RequestPath,
    method: HttpMethod | undefined,
    served: readonly string[] | undefined,
  ): { removed: RemovedEndpoint[]; matchedAs?: string } {
    const matcher = (this.removedMatcher ??= removedMatcherOf(this.data));
    const keep = (item: RemovedEndpoint) =>
      (!method || item.method === method) && (!served || served.includes(item.product));
    const direct = matcher.match(request.segments).filter(keep);
    if (direct.length > 0 || this.data.directMatchesOnly) return { removed: direct };
    for (const segments of impliedPrefixed(request.segments)) {
      if (!segments) continue;
      const found = matcher.match(segments).filter(keep);
      if (found.length > 0) return { removed: found, matchedAs: `/${segments.join("/")}` };
    }
    return { removed: [] };
  }

  /** The live endpoint with exactly this method and template (a removed endpoint's replacement), if held. */
  endpointAt(method: string, path: string): Endpoint | undefined {
    // Through the tries: a cold isolate then reads the few endpoints at that node, not every endpoint.
    for (const matcher of this.matchers) {
      const found = matcher.atTemplate(path).find((endpoint) => endpoint.method === method && endpoint.path === path);
      if (found) return found;
    }
    return undefined;
  }

  /** Whether a template may match these lower-cased segments read in any case (PathMatcher.mayFitIgnoringCase). */
  mayFitIgnoringCase(lower: readonly string[]): boolean {
    return this.matchers.some((matcher) => matcher.mayFitIgnoringCase(lower));
  }

  /** The tries that can match a path's first segment: most paths need one product's trie walked, not six. */
  private triesFor(segments: readonly string[]): PathMatcher<Endpoint>[] {
    const first = segments[0];
    if (first === undefined) return this.matchers;
    if (!this.byFirstSegment) {
      // A root with a parameter or pattern child can take any first segment.
      const other = this.matchers.filter((matcher) => matcher.takesAnyFirstSegment());
      const literal = new Map<string, PathMatcher<Endpoint>[]>();
      for (const segment of new Set(this.matchers.flatMap((matcher) => matcher.firstSegments()))) {
        literal.set(
          segment,
          this.matchers.filter((matcher) => other.includes(matcher) || matcher.hasFirstSegment(segment)),
        );
      }
      this.byFirstSegment = { literal, other };
    }
    return this.byFirstSegment.literal.get(first) ?? this.byFirstSegment.other;
  }

  /**
   * Nearest templates to a path that matched nothing, within the product the path belongs to: the
   * tries its first segments reach (through a gateway, that gateway's products first), with an implied
   * prefix when that reaches further (`/rest/api/content/...` is Confluence's without `/wiki`), else the
   * products its host names (a path starting nowhere known on api.bitbucket.org gets Bitbucket's
   * templates, not Jira's). A path whose start was pasted twice (withoutDoubledPrefix) that matches
   * once one copy is removed has that template first: a live one's, else a removed one's (asked, it
   * answers endpoint_removed with what to call instead; `/wiki/wiki/rest/api/content/1`).
   */
  suggestPaths(request: RequestPath, count = 5): string[] {
    const undoubled = withoutDoubledPrefix(request);
    const repaired = undoubled
      ? (this.match(undoubled).endpoints[0]?.path ?? this.matchRemoved(undoubled).removed[0]?.path)
      : undefined;
    const nearest = this.nearestPaths(request, repaired ? count + 1 : count);
    return repaired ? [repaired, ...nearest.filter((path) => path !== repaired)].slice(0, count) : nearest;
  }

  private nearestPaths(request: RequestPath, count: number): string[] {
    const gateway = request.gateway ? this.matchersOf(GATEWAY_PRODUCTS[request.gateway]) : [];
    let choice = gateway.length > 0 ? deepestVariant(gateway, request.segments) : undefined;
    if (!choice || choice.depth === 0) {
      choice = deepestVariant(this.matchers, request.segments);
      const hinted = choice.depth > 0 ? [] : this.matchersOf(hintedProducts(request) ?? []);
      if (hinted.length > 0) choice = { ...choice, matchers: hinted };
    }
    return PathMatcher.suggestAcross(choice.matchers, choice.segments, count, request.segments);
  }

  private matchersOf(products: readonly string[]): PathMatcher<Endpoint>[] {
    return this.matchers.filter((_, index) => products.includes(this.matcherProducts[index]!));
  }

  scope(name: string): ScopeInfo | undefined {
    const alone = this.scopeAlone(name);
    return alone === null ? this.scopeTables().scopeInfo.get(name) : alone.info;
  }

  /**
   * Whether some product's scope records in the whole catalog name the scope. Answered from the
   * manifest's names when the index has them, reading no scope line: a diff asks of every held name,
   * and the scope lines of six shards cost a cold isolate ~4 ms; an index over some products (which
   * holds the products that name the held scopes, productsForLines) then answers as the whole
   * catalog's does, and a mistyped name reads no scope line either.
   */
  knowsScope(name: string): boolean {
    if (!this.data.catalogScopeNames) return this.scope(name) !== undefined;
    this.knownNames ??= new Set(this.data.catalogScopeNames);
    return this.knownNames.has(name);
  }

  get scopeCount(): number {
    return this.scopeTables().scopeInfo.size;
  }

  /** Known scope names nearest to an unknown one (`read:board-scope:jira` → `read:board-scope:jira-software`). */
  suggestScopes(name: string, count = 5): string[] {
    // Ties keep this order: an index over some products ranks over the whole catalog's names.
    const known = this.data.catalogScopeNames ?? [...this.scopeTables().scopeInfo.keys()];
    const lower = name.toLowerCase();
    const byDistance = nearest(name, known, count, Math.max(3, Math.ceil(name.length / 3)));
    // Another product's suffix is a long edit, and a likely mistake: its scopes of the same action and
    // resource (`read:workspace:jira` → `read:workspace:bitbucket`) come after a name one edit away
    // (`read:user:bitbuket`, `READ:USER:JIRA`) and before any further one.
    const sameResource = sameResourceScopes(lower, known);
    let ranked = byDistance;
    if (sameResource.length > 0) {
      const close = byDistance.filter((candidate) => editDistance(lower, candidate, 1) <= 1);
      const rest = byDistance.filter((candidate) => !close.includes(candidate) && !sameResource.includes(candidate));
      ranked = close.concat(
        sameResource.filter((candidate) => !close.includes(candidate)),
        rest,
      );
    }
    if (ranked.length >= count) return ranked.slice(0, count);
    // A missing product suffix is a long edit: also offer scopes that start with what was typed.
    const prefixed = known.filter((candidate) => candidate.startsWith(name) && !ranked.includes(candidate)).sort();
    return ranked.concat(prefixed).slice(0, count);
  }

  /** Whether suggestScopes ranks over the whole catalog's scope names: always, but on an index over some products without them. */
  get ranksLikeWholeCatalog(): boolean {
    return !this.data.directMatchesOnly || this.data.catalogScopeNames !== undefined;
  }

  /** The registry's record of a scope name, if the index holds a registry that lists it. */
  registryScope(name: string): RegistryScope | undefined {
    if (!this.data.registry) return undefined;
    this.registryByName ??= new Map(this.data.registry.scopes.map((scope) => [scope.name, scope]));
    return this.registryByName.get(name);
  }

  /** Where the index's registry came from (`@forge/manifest@13.7.0`), if it holds one. */
  get registrySource(): string | undefined {
    const source = this.data.registry?.source;
    return source ? `${source.package}@${source.version}` : undefined;
  }

  /**
   * What the catalog knows of a scope name: used by catalogued endpoints, declared without endpoints,
   * real but of an API outside the catalog (the registry), or unknown. See src/catalog/scope-registry.ts.
   */
  classifyScope(name: string): ScopeStatus {
    const info = this.scope(name);
    if (info && info.endpoints > 0) return { status: "catalogued", product: info.product, endpoints: info.endpoints };
    const registered = this.registryScope(name);
    if (registered) {
      const { api, docsUrl } = apiOf(registered);
      return {
        status: "outside",
        product: registered.product,
        api,
        ...(docsUrl ? { docsUrl } : {}),
        ...(registered.deprecated ? { deprecated: true as const } : {}),
        source: this.registrySource ?? "the scope registry",
      };
    }
    if (info) return { status: "known", product: info.product };
    return { status: "unknown" };
  }

  /**
   * Endpoints in whose alternatives a scope appears, in catalog order. Each is read when the list is
   * (a stored shard parses an endpoint on its first read): a page of a reverse lookup reads its page.
   */
  endpointsWithScope(name: string): readonly Endpoint[] {
    let list = this.byScope.get(name);
    if (!list) {
      const byProduct = this.positionsOf(name);
      const readers: ((index: number) => Endpoint | undefined)[] = [];
      const positions: number[] = [];
      Object.values(this.data.products).forEach((product, at) => {
        const named = byProduct[at];
        if (!named) return;
        const read = itemReader(product.endpoints);
        for (const position of named) {
          readers.push(read);
          positions.push(position);
        }
      });
      list = lazyList(positions.length, (at) => readers[at]!(positions[at]!)!);
      this.byScope.set(name, list);
    }
    return list;
  }

  /**
   * Endpoints in whose alternatives any of `names` appears, in catalog order, each read when the list
   * is, as endpointsWithScope: a Bitbucket classic scope's reverse lookup lists those of the scopes it
   * grants too (a few names, all Bitbucket's).
   */
  endpointsWithScopes(names: readonly string[]): readonly Endpoint[] {
    if (names.length === 1) return this.endpointsWithScope(names[0]!);
    // No scope name holds a NUL: the key cannot be one name's.
    const key = names.join("\0");
    let list = this.byScope.get(key);
    if (!list) {
      const byName = names.map((name) => this.positionsOf(name));
      const readers: ((index: number) => Endpoint | undefined)[] = [];
      const positions: number[] = [];
      Object.values(this.data.products).forEach((product, at) => {
        const named = new Set<number>();
        for (const byProduct of byName) for (const position of byProduct[at] ?? []) named.add(position);
        if (named.size === 0) return;
        const read = itemReader(product.endpoints);
        for (const position of [...named].sort((a, b) => a - b)) {
          readers.push(read);
          positions.push(position);
        }
      });
      list = lazyList(positions.length, (at) => readers[at]!(positions[at]!)!);
      this.byScope.set(key, list);
    }
    return list;
  }

  /** Per product (by position), the positions of the endpoints naming a scope, or undefined for none. */
  private positionsOf(name: string): (readonly number[] | undefined)[] {
    const alone = this.scopeAlone(name);
    if (alone) return alone.positions;
    const { indexes } = this.scopeTables();
    return indexes.map((index) => positionsIn(index, name));
  }

  /**
   * Endpoints in whose alternatives any of `names` appears, in catalog order, from the scope indexes:
   * only those are read. Every alternative names a scope, so an endpoint none of them names is not
   * callable with them.
   */
  endpointsWithAnyScope(names: readonly string[]): Endpoint[] {
    const { indexes } = this.scopeTables();
    const productsByScope = this.productsByScope();
    const products = Object.values(this.data.products);
    const listed: (Uint8Array | undefined)[] = [];
    // Indexed loops: cold code, run for every granted name of every token.
    for (let named = 0; named < names.length; named++) {
      const name = names[named]!;
      const holders = productsByScope.get(name);
      if (!holders) continue;
      for (let held = 0; held < holders.length; held++) {
        const at = holders[held]!;
        const marks = (listed[at] ??= new Uint8Array(products[at]!.endpoints.length));
        const positions = indexes[at]![name]!;
        for (let index = 0; index < positions.length; index++) marks[positions[index]!] = 1;
      }
    }
    const found: Endpoint[] = [];
    products.forEach((product, at) => {
      const marks = listed[at];
      if (!marks) return;
      const read = itemReader(product.endpoints);
      for (let position = 0; position < marks.length; position++)
        if (marks[position] === 1) found.push(read(position)!);
    });
    return found;
  }

  /**
   * A scope's info and each product's positions for it, from each product's own entry for the name (a
   * stored shard parses only that part of its scopes' line; other data is read as scopeTables reads
   * it): what scopeTables gives for the name (no info for a name no product records). Null once the
   * tables are built, or past MAX_SCOPES_READ_ALONE names read so (a /diff asks of every held name:
   * the tables then cost less). Kept for recorded names only, so unknown names cannot grow it.
   */
  private scopeAlone(name: string): { info?: ScopeInfo; positions: (readonly number[] | undefined)[] } | null {
    if (this.tables) return null;
    const kept = this.alone.get(name);
    if (kept) return kept;
    if (this.scopesReadAlone >= MAX_SCOPES_READ_ALONE) return null;
    this.scopesReadAlone++;
    let info: ScopeInfo | undefined;
    const positions: (readonly number[] | undefined)[] = [];
    Object.values(this.data.products).forEach((product: CatalogProductData, at) => {
      const entry = product.scopeEntry?.(name) ?? this.wholeEntry(product, at, name);
      for (const record of entry.records) info = withRecord(info, record);
      positions.push(entry.positions);
    });
    if (!info) return { positions };
    for (const named of positions) if (named) info.endpoints += named.length;
    const found = { info, positions };
    this.alone.set(name, found);
    return found;
  }

  /** A product's entry for a scope name from its whole scope records and index. */
  private wholeEntry(product: CatalogProductData, at: number, name: string): ProductScopeEntry {
    return {
      records: product.scopes.filter((record) => record.name === name),
      positions: positionsIn(this.scopeIndexOf(product, at), name),
    };
  }

  /** A product's scope index: as stored, else derived from its endpoints once (which reads every one). */
  private scopeIndexOf(product: CatalogProductData, at: number): ScopeIndex {
    return product.scopeIndex ?? (this.derivedIndexes[at] ??= buildScopeIndex(product.endpoints));
  }

  /** Scopes by name, with their endpoint counts from each product's scope index: built on first use, since a path lookup needs neither. */
  private scopeTables(): { scopeInfo: Map<string, ScopeInfo>; indexes: ScopeIndex[] } {
    if (this.tables) return this.tables;
    const scopeInfo = new Map<string, ScopeInfo>();
    const products = Object.values(this.data.products);
    for (const product of products) {
      for (const record of product.scopes) {
        const held = scopeInfo.get(record.name);
        if (held) withRecord(held, record);
        else scopeInfo.set(record.name, withRecord(undefined, record));
      }
    }
    // A shard stored before its scope index had one derived here, which reads every endpoint.
    const indexes = products.map((product, at) => this.scopeIndexOf(product, at));
    for (const index of indexes)
      for (const name in index) {
        const info = scopeInfo.get(name);
        if (info) info.endpoints += index[name]!.length;
      }
    return (this.tables = { scopeInfo, indexes });
  }

  /** Per scope name an index lists, the positions of the products whose index lists it: built on first use (endpointsWithAnyScope). */
  private productsByScope(): Map<string, number[]> {
    if (this.holders) return this.holders;
    const holders = new Map<string, number[]>();
    this.scopeTables().indexes.forEach((index, at) => {
      for (const name in index) {
        const products = holders.get(name);
        if (products) products.push(at);
        else holders.set(name, [at]);
      }
    });
    return (this.holders = holders);
  }
}

/**
 * A scope's info with one more of its records: the first record gives it (endpoints counted apart),
 * and a later one only a description the first lacked. The whole tables and a scope read alone both
 * merge so, and must agree.
 */
function withRecord(info: ScopeInfo | undefined, record: ScopeRecord): ScopeInfo {
  if (!info)
    return {
      name: record.name,
      kind: record.kind,
      product: record.product,
      description: record.description,
      endpoints: 0,
      ...(record.deprecated ? { deprecated: true as const } : {}),
      ...(record.replacedBy ? { replacedBy: record.replacedBy } : {}),
    };
  if (!info.description && record.description) info.description = record.description;
  if (record.deprecated) info.deprecated = true;
  if (record.replacedBy && !info.replacedBy) info.replacedBy = record.replacedBy;
  return info;
}

/** The positions a scope index lists for a name: own names only (a stored index is a plain object, and `constructor` is no scope). */
function positionsIn(index: ScopeIndex, name: string): readonly number[] | undefined {
  return Object.hasOwn(index, name) ? index[name] : undefined;
}

/** The path as given, or with an implied prefix when that reaches further into the tries. */
function deepestVariant(
  matchers: PathMatcher<Endpoint>[],
  given: readonly string[],
): { matchers: PathMatcher<Endpoint>[]; segments: readonly string[]; depth: number } {
  let segments = given;
  let depth = PathMatcher.depthAcross(matchers, given);
  const variants = impliedPrefixed(given);
  IMPLIED_PREFIXES.forEach((prefix, at) => {
    const prefixed = variants[at];
    if (!prefixed || depth === given.length) return;
    const reached = PathMatcher.depthAcross(matchers, prefixed) - prefix.length;
    if (reached > depth) [segments, depth] = [prefixed, reached];
  });
  return { matchers, segments, depth };
}

/** The products a URL's host or gateway names, for a path whose first segment no product knows. */
function hintedProducts(request: RequestPath): readonly string[] | undefined {
  if (request.gateway) return GATEWAY_PRODUCTS[request.gateway];
  const host = request.host;
  if (request.bitbucketGateway || host === "api.bitbucket.org" || host === "bitbucket.org") return ["bitbucket"];
  if (host === "api.atlassian.com") return [...GATEWAY_PRODUCTS.jira, "confluence", "assets"];
  if (host?.endsWith(".atlassian.net")) return [...GATEWAY_PRODUCTS.jira, "confluence"];
  return undefined;
}

/**
 * One trie over the removed endpoints of the products held: the curated ones first, then tombstones
 * (a tombstone of a curated endpoint adds its catalog version and last scopes to it). At most
 * MAX_TOMBSTONES per product plus the curated table, built on the first lookup that needs it.
 */
function removedMatcherOf(data: CatalogData): PathMatcher<RemovedEndpoint> {
  const byKey = new Map<string, RemovedEndpoint>();
  for (const curated of CURATED_REMOVALS)
    if (data.products[curated.product]) byKey.set(`${curated.method} ${curated.path}`, curated);
  for (const product of Object.values(data.products)) {
    for (const tombstone of product.removed ?? []) {
      const key = `${tombstone.method} ${tombstone.path}`;
      const removal = tombstone.removal;
      const scraped = {
        removedIn: tombstone.removedIn,
        lastAlternatives: tombstone.alternatives,
        ...(tombstone.summary === undefined ? {} : { summary: tombstone.summary }),
        ...(tombstone.docsUrl === undefined ? {} : { docsUrl: tombstone.docsUrl }),
        ...(removal?.replacement ? { replacement: removal.replacement } : {}),
        ...(removal ? { announced: { effective: removal.effective, details: removal.details } } : {}),
      };
      const held = byKey.get(key);
      // The curated replacement stands: it was chosen and checked by hand.
      if (held) byKey.set(key, { ...held, ...scraped, ...(held.replacement ? { replacement: held.replacement } : {}) });
      else
        byKey.set(key, {
          product: tombstone.product,
          method: tombstone.method,
          path: tombstone.path,
          removedAt: tombstone.removedAt,
          ...scraped,
          source: { kind: "scrape" },
        });
    }
  }
  const matcher = new PathMatcher<RemovedEndpoint>(undefined, undefined, (item) => item.path);
  for (const item of byKey.values()) matcher.add(item.path, item);
  matcher.sortValues((a, b) => (METHOD_ORDER.get(a.method) ?? 0) - (METHOD_ORDER.get(b.method) ?? 0));
  return matcher;
}

/** Per scope name, the endpoints that name it in any alternative, as indices into `endpoints`. */
export type ScopeIndex = Readonly<Record<string, readonly number[]>>;

/** The scope index of a product's endpoints (stored in its shard by the scraper; see CatalogProductData). */
export function buildScopeIndex(endpoints: readonly Endpoint[]): Record<string, number[]> {
  const index: Record<string, number[]> = Object.create(null);
  endpoints.forEach((endpoint, position) => {
    const seen = new Set<string>();
    for (const alternative of endpoint.alternatives)
      for (const scope of alternative.scopes) {
        if (seen.has(scope)) continue;
        seen.add(scope);
        (index[scope] ??= []).push(position);
      }
  });
  return index;
}

/**
 * The path trie over one product's endpoints, every template's endpoints in method order: what the
 * scraper stores with a shard (`routes`), and what the worker builds for a shard stored without one.
 */
export function buildRoutes(endpoints: readonly Endpoint[]): RouteNode {
  return matcherOf(endpoints as Endpoint[]).routes;
}

function matcherOf(endpoints: Endpoint[]): PathMatcher<Endpoint> {
  const matcher = new PathMatcher<Endpoint>(undefined, undefined, pathOf);
  for (const endpoint of endpoints) matcher.add(endpoint.path, endpoint);
  matcher.sortValues(byMethod);
  return matcher;
}

function pathOf(endpoint: Endpoint): string {
  return endpoint.path;
}

function byMethod(a: Endpoint, b: Endpoint): number {
  return (METHOD_ORDER.get(a.method) ?? 0) - (METHOD_ORDER.get(b.method) ?? 0);
}

/**
 * The first two segments of each template (`rest/api`, `2.0/repositories`; a parameter or a mixed
 * segment is `*`), distinct and sorted: stored in the manifest, so a worker reads only the shards a
 * request path can match. Products' templates part at their second segment today.
 */
export function routePrefixes(paths: Iterable<string>): string[] {
  const prefixes = new Set<string>();
  for (const path of paths) {
    const segments = path.split("/").filter((segment) => segment !== "");
    prefixes.add(
      segments
        .slice(0, 2)
        .map((segment) => (segment.includes("{") ? "*" : segment))
        .join("/"),
    );
  }
  return [...prefixes].sort();
}

/**
 * Every scope name a product's data holds: its scope records and the scopes its endpoints' alternatives
 * name (the scraper's records include the latter; the union keeps this exact either way), distinct and
 * sorted. Stored in the manifest (`scopeNames`), so a worker reads only the shards a scope appears in,
 * and /health counts the catalog's distinct scopes without reading shards.
 */
export function productScopeNames(data: Pick<CatalogProductData, "endpoints" | "scopes">): string[] {
  const names = new Set<string>();
  for (const record of data.scopes) names.add(record.name);
  for (const endpoint of data.endpoints)
    for (const alternative of endpoint.alternatives) for (const scope of alternative.scopes) names.add(scope);
  return [...names].sort();
}

/**
 * The whole catalog's scope table (the names CatalogIndex.suggestScopes ranks, in its order) from the
 * manifest alone: each product's scope records, product by product in manifest order, a name kept where
 * it first appears, then `added` (the curated records' names, which every served index appends). A
 * pointer's `scopeNames` are its records' names when it counts as many records (`scopes`) as names: the
 * scraper records every scope its endpoints name (scraper/normalize.ts scopeRecords), in sorted order,
 * as `scopeNames` are. Undefined when a pointer lacks `scopeNames` or has records they do not list.
 */
export function catalogScopeNames(
  pointers: Partial<Record<Product, { scopes: number; scopeNames?: readonly string[] | undefined }>>,
  added: readonly string[],
): string[] | undefined {
  const names = new Set<string>();
  for (const pointer of Object.values(pointers)) {
    if (!pointer.scopeNames || pointer.scopeNames.length !== pointer.scopes) return undefined;
    for (const name of pointer.scopeNames) names.add(name);
  }
  for (const name of added) names.add(name);
  return [...names];
}

/**
 * The products whose data names a scope (`scopeNames` in the manifest), in manifest order: none for a
 * name no product holds (unknown, or real but outside the catalog), undefined when that cannot be told
 * (a product without `scopeNames`).
 */
export function productsForScope(
  name: string,
  scopeNamesByProduct: Partial<Record<Product, readonly string[] | undefined>>,
): Product[] | undefined {
  const products: Product[] = [];
  for (const [product, names] of Object.entries(scopeNamesByProduct) as [Product, readonly string[] | undefined][]) {
    if (!names) return undefined;
    if (nameSet(names).has(name)) products.push(product);
  }
  return products;
}

/** Each manifest `scopeNames` list as a set, once per manifest (as `splitPrefixes`). */
const nameSet = lazyPer((names: readonly string[]): ReadonlySet<string> => new Set(names));

/**
 * The products whose templates a request path could match as given (not with an implied prefix), or
 * undefined when that cannot be told (a product without prefixes) and every product is needed.
 */
export function productsForPath(
  segments: readonly string[],
  prefixesByProduct: Partial<Record<Product, readonly string[] | undefined>>,
): Product[] | undefined {
  const products: Product[] = [];
  // Indexed loops here and in productsForLines: they run per endpoint line, on cold code, where every
  // step of a for-of and every destructured pair allocates (200 KB of a cold 100-line /diff).
  const named = Object.keys(prefixesByProduct) as Product[];
  for (let at = 0; at < named.length; at++) {
    const product = named[at]!;
    const prefixes = prefixesByProduct[product];
    if (!prefixes) return undefined;
    if (prefixParts(prefixes).some((parts) => prefixFits(parts, segments))) products.push(product);
  }
  return products;
}

/**
 * The products a list of endpoint lines and held scope names can need (POST /diff, /plan, /explain):
 * those each line's path could match as given, and those whose `scopeNames` hold a held scope (so that
 * its classification, endpoint count and records are the whole catalog's), in manifest order. Undefined
 * when that cannot be told (no lines, a line no product's prefixes fit, a product without prefixes or
 * `scopeNames`) or needs every product: the whole catalog is needed. Reads nothing beyond the
 * manifest's pointers, and no line past the one that makes every product needed (a cold /plan of
 * 1,000 lines over every product spent 3 ms fitting prefixes to lines that could change nothing).
 */
export function productsForLines(
  paths: readonly (readonly string[])[],
  scopes: readonly string[],
  prefixesByProduct: Partial<Record<Product, readonly string[] | undefined>>,
  scopeNamesByProduct: Partial<Record<Product, readonly string[] | undefined>>,
): Product[] | undefined {
  if (paths.length === 0) return undefined;
  const all = Object.keys(prefixesByProduct).length;
  const wanted = new Set<Product>();
  for (let line = 0; line < paths.length; line++) {
    const products = productsForPath(paths[line]!, prefixesByProduct);
    if (!products || products.length === 0) return undefined;
    for (let at = 0; at < products.length; at++) wanted.add(products[at]!);
    if (wanted.size === all) return undefined;
  }
  const named = scopes.length === 0 ? [] : (Object.keys(scopeNamesByProduct) as Product[]);
  for (let at = 0; at < named.length; at++) {
    const names = scopeNamesByProduct[named[at]!];
    if (!names) return undefined;
    const set = nameSet(names);
    for (let position = 0; position < scopes.length; position++)
      if (set.has(scopes[position]!)) {
        wanted.add(named[at]!);
        break;
      }
  }
  return wanted.size === all
    ? undefined
    : (Object.keys(prefixesByProduct) as Product[]).filter((product) => wanted.has(product));
}

/**
 * Each manifest prefix split into its segments, once per manifest (its arrays live as long as the
 * isolate's cached manifest): splitting them on every GET /scopes was 43% of the route's catalog work.
 */
const prefixParts = lazyPer((prefixes: readonly string[]): readonly (readonly string[])[] =>
  prefixes.map((prefix) => (prefix === "" ? [] : prefix.split("/"))),
);

/** `[]` is the empty prefix: only the root path fits it. */
function prefixFits(parts: readonly string[], segments: readonly string[]): boolean {
  if (parts.length === 0) return segments.length === 0;
  for (let index = 0; index < parts.length; index++) {
    const segment = segments[index];
    if (segment === undefined || (parts[index] !== "*" && parts[index] !== segment)) return false;
  }
  return true;
}

export function isHttpMethod(value: string): value is HttpMethod {
  return METHOD_ORDER.has(value);
}
