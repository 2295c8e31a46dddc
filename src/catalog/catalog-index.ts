/**
 * One catalog version, indexed for queries: path matching, scopes by name, endpoints by scope.
 * Built once per version and kept in the isolate; every lookup after that is in memory. No I/O.
 */
import { PathMatcher } from "./matcher";
import { nearest } from "./nearest";
import type { RequestPath } from "./request-path";
import type { Endpoint, HttpMethod, Product, ScopeKind, ScopeRecord } from "./schema";
import { HTTP_METHODS } from "./schema";

export interface CatalogProductData {
  scrapedAt: string;
  /** The catalog version this product's data was published in (older than the catalog's when a scrape failed). */
  version: string;
  endpoints: readonly Endpoint[];
  scopes: readonly ScopeRecord[];
}

export interface CatalogData {
  version: string;
  publishedAt: string;
  products: Partial<Record<Product, CatalogProductData>>;
}

/** A scope as the whole catalog knows it, merged across the products whose documents name it. */
export interface ScopeInfo {
  name: string;
  kind: ScopeKind;
  product: string;
  description?: string;
  /** Endpoints in whose alternatives it appears. */
  endpoints: number;
}

export interface PathMatch {
  /** The path the match was made on, when a known prefix had to be added (`/2.0`, `/wiki`). */
  matchedAs?: string;
  /** Endpoints of the matching template, all methods, in method order. */
  endpoints: Endpoint[];
}

const METHOD_ORDER = new Map<string, number>(HTTP_METHODS.map((method, index) => [method, index]));

/**
 * Prefixes users leave off: Bitbucket's `/2.0`, Confluence's `/wiki` (the gateway form
 * `/ex/confluence/{cloudId}/rest/api/...` has none) and Confluence v2's `/wiki/api/v2`.
 */
const IMPLIED_PREFIXES = [["2.0"], ["wiki"], ["wiki", "api", "v2"]] as const;

export class CatalogIndex {
  readonly endpoints: readonly Endpoint[];
  private readonly matcher = new PathMatcher<Endpoint>();
  private readonly scopeInfo = new Map<string, ScopeInfo>();
  private readonly byScope = new Map<string, Endpoint[]>();

  private constructor(readonly data: CatalogData) {
    const endpoints: Endpoint[] = [];
    for (const product of Object.values(data.products)) endpoints.push(...product.endpoints);
    this.endpoints = endpoints;
    for (const endpoint of endpoints) this.matcher.add(endpoint.path, endpoint);
    // Once per catalog version, not per request: every match comes back in method order.
    this.matcher.sortValues(byMethod);

    for (const product of Object.values(data.products)) {
      for (const record of product.scopes) {
        const held = this.scopeInfo.get(record.name);
        if (!held) this.scopeInfo.set(record.name, { name: record.name, kind: record.kind, product: record.product, description: record.description, endpoints: 0 });
        else if (!held.description && record.description) held.description = record.description;
      }
    }
    for (const endpoint of endpoints) {
      const seen = new Set<string>();
      for (const alternative of endpoint.alternatives) {
        for (const scope of alternative.scopes) {
          if (seen.has(scope)) continue;
          seen.add(scope);
          let list = this.byScope.get(scope);
          if (!list) this.byScope.set(scope, (list = []));
          list.push(endpoint);
          const info = this.scopeInfo.get(scope);
          if (info) info.endpoints++;
        }
      }
    }
  }

  static build(data: CatalogData): CatalogIndex {
    return new CatalogIndex(data);
  }

  get version(): string {
    return this.data.version;
  }

  /** When the newest product data was scraped. */
  get scrapedAt(): string {
    return Object.values(this.data.products).reduce((newest, product) => (product.scrapedAt > newest ? product.scrapedAt : newest), "");
  }

  scrapedAtOf(product: Product): string | undefined {
    return this.data.products[product]?.scrapedAt;
  }

  /** The endpoints of the template a request path matches (all methods), trying implied prefixes after the path as given. */
  match(request: RequestPath): PathMatch {
    const direct = this.matcher.match(request.segments);
    if (direct.length > 0) return { endpoints: direct.slice() };
    for (const prefix of IMPLIED_PREFIXES) {
      if (request.segments[0] === prefix[0]) continue;
      const segments = [...prefix, ...request.segments];
      const found = this.matcher.match(segments);
      if (found.length > 0) return { endpoints: found.slice(), matchedAs: `/${segments.join("/")}` };
    }
    return { endpoints: [] };
  }

  /** Nearest templates to a path that matched nothing. */
  suggestPaths(request: RequestPath, count = 5): string[] {
    return this.matcher.suggest(request.segments, count);
  }

  scope(name: string): ScopeInfo | undefined {
    return this.scopeInfo.get(name);
  }

  get scopeCount(): number {
    return this.scopeInfo.size;
  }

  /** Known scope names nearest to an unknown one (`read:board-scope:jira` → `read:board-scope:jira-software`). */
  suggestScopes(name: string, count = 5): string[] {
    const byDistance = nearest(name, this.scopeInfo.keys(), count, Math.max(3, Math.ceil(name.length / 3)));
    if (byDistance.length >= count) return byDistance;
    // A missing product suffix is a long edit: also offer scopes that start with what was typed.
    const prefixed = [...this.scopeInfo.keys()].filter((known) => known.startsWith(name) && !byDistance.includes(known)).sort();
    return [...byDistance, ...prefixed].slice(0, count);
  }

  /** Endpoints in whose alternatives a scope appears, in catalog order. */
  endpointsWithScope(name: string): readonly Endpoint[] {
    return this.byScope.get(name) ?? [];
  }
}

function byMethod(a: Endpoint, b: Endpoint): number {
  return (METHOD_ORDER.get(a.method) ?? 0) - (METHOD_ORDER.get(b.method) ?? 0);
}

export function isHttpMethod(value: string): value is HttpMethod {
  return METHOD_ORDER.has(value);
}
