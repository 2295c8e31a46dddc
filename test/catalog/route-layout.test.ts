/**
 * The committed snapshot in data/ in the layout the worker serves: every shard carries the path trie the
 * scraper builds (`routes`), every manifest pointer its route prefixes, and a lookup over the stored
 * tries, over tries built from the endpoints (shards written before `routes`), and over only the
 * products `productsForPath` picks all give the same answer, for a concrete path of every endpoint.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  CatalogIndex,
  buildRoutes,
  productsForPath,
  routePrefixes,
  type CatalogData,
  type PathMatch,
} from "../../src/catalog/catalog-index";
import { routesProblem } from "../../src/catalog/route-validation";
import type { RequestPath } from "../../src/catalog/request-path";
import { ManifestSchema, type Endpoint, type Product, type ProductShard } from "../../src/catalog/schema";
import { readDataShard } from "../helpers/data-shards";

const DATA = new URL("../../data/", import.meta.url);
const manifest = ManifestSchema().parse(JSON.parse(readFileSync(new URL("manifest.json", DATA), "utf8")));
const pointers = Object.entries(manifest.products) as [Product, NonNullable<(typeof manifest.products)[Product]>][];
/** Shards as stored (not through zod): what the worker reads. */
const shards = new Map<Product, ProductShard>(
  pointers.map(([product, pointer]) => [product, readDataShard(pointer.key)]),
);
const prefixes = Object.fromEntries(pointers.map(([product, pointer]) => [product, pointer.prefixes])) as Partial<
  Record<Product, string[] | undefined>
>;

function catalogOf(products: readonly Product[], withRoutes: boolean): CatalogIndex {
  const data: CatalogData["products"] = {};
  for (const product of products) {
    const shard = shards.get(product)!;
    data[product] = {
      scrapedAt: shard.scrapedAt,
      version: shard.version,
      endpoints: shard.endpoints,
      scopes: shard.scopes,
      ...(withRoutes ? { routes: shard.routes } : {}),
    };
  }
  return CatalogIndex.build({ version: manifest.version, publishedAt: manifest.publishedAt, products: data });
}

const ALL = pointers.map(([product]) => product);
const stored = catalogOf(ALL, true);
const rebuilt = catalogOf(ALL, false);
const partials = new Map<string, CatalogIndex>();
const partialOf = (products: Product[]) => {
  const key = products.join(",");
  let index = partials.get(key);
  if (!index) partials.set(key, (index = catalogOf(products, true)));
  return index;
};

/** A request path for a template: `{x}` → x1, x2...; a mixed segment with its parameters filled; a last `{path}` → a/b.txt. */
function concreteSegments(template: string): string[] {
  let counter = 0;
  const parts = template.split("/").filter((part) => part !== "");
  return parts.flatMap((part, position) => {
    if (part === "{path}" && position === parts.length - 1) return ["a", "b.txt"];
    return [part.replace(/\{[^{}]+\}/g, () => `x${++counter}`)];
  });
}

const requestOf = (segments: string[]): RequestPath => ({ path: `/${segments.join("/")}`, segments });
const key = (endpoint: Endpoint) => `${endpoint.product} ${endpoint.method} ${endpoint.path}`;
const view = (match: PathMatch) => ({ matchedAs: match.matchedAs, endpoints: match.endpoints.map(key) });

describe("the committed snapshot's layout", () => {
  it("names every product, each with a shard on disk", () => {
    expect(ALL.sort()).toEqual([
      "assets",
      "bitbucket",
      "confluence",
      "jira",
      "jira-service-management",
      "jira-software",
    ]);
    for (const [product, pointer] of pointers) expect(shards.get(product)!.endpoints).toHaveLength(pointer.endpoints);
  });

  it.each(pointers)("%s: the shard carries routes, sound, equal to buildRoutes of its endpoints", (product) => {
    const shard = shards.get(product)!;
    expect(shard.routes).toBeDefined();
    expect(routesProblem(shard.routes, shard.endpoints.length)).toBeUndefined();
    expect(shard.routes).toEqual(JSON.parse(JSON.stringify(buildRoutes(shard.endpoints))));
  });

  it.each(pointers)("%s: the pointer's prefixes are routePrefixes of its endpoints' paths", (product, pointer) => {
    expect(pointer.prefixes).toBeDefined();
    expect(pointer.prefixes).toEqual(routePrefixes(shards.get(product)!.endpoints.map((endpoint) => endpoint.path)));
  });
});

describe("a concrete path of every endpoint", () => {
  const cases = pointers.flatMap(([product]) =>
    shards.get(product)!.endpoints.map((endpoint) => ({ name: key(endpoint), endpoint })),
  );

  it("covers every endpoint of the snapshot", () => {
    expect(cases.length).toBe(pointers.reduce((sum, [, pointer]) => sum + pointer.endpoints, 0));
    expect(cases.some(({ endpoint }) => endpoint.path.endsWith("/{path}"))).toBe(true);
    expect(cases.some(({ endpoint }) => /[^/]\{|\}[^/]/.test(endpoint.path))).toBe(true); // a mixed segment
  });

  it("matches the same over stored tries, rebuilt tries and the products productsForPath picks, and finds the endpoint", () => {
    const failures: string[] = [];
    for (const { name, endpoint } of cases) {
      const segments = concreteSegments(endpoint.path);
      const request = requestOf(segments);
      const fromStored = view(stored.match(request));
      const fromRebuilt = view(rebuilt.match(request));
      const picked = productsForPath(segments, prefixes);
      if (!picked || picked.length === 0 || !picked.includes(endpoint.product)) {
        failures.push(`${name}: productsForPath gave ${JSON.stringify(picked)}`);
        continue;
      }
      const fromPartial = view(partialOf(picked).match(request));
      if (JSON.stringify(fromRebuilt) !== JSON.stringify(fromStored))
        failures.push(`${name}: rebuilt ${JSON.stringify(fromRebuilt)} ≠ stored ${JSON.stringify(fromStored)}`);
      if (JSON.stringify(fromPartial) !== JSON.stringify(fromStored))
        failures.push(`${name}: partial ${JSON.stringify(fromPartial)} ≠ stored ${JSON.stringify(fromStored)}`);
      if (!fromStored.endpoints.includes(name))
        failures.push(`${name}: ${request.path} matched ${JSON.stringify(fromStored)}`);
    }
    expect(failures).toEqual([]);
  });
});

describe("productsForPath over the snapshot's prefixes", () => {
  const segmentsOf = (path: string) => path.split("/").filter((segment) => segment !== "");

  const direct: { given: string; want: Product[] }[] = [
    { given: "/2.0/repositories/ws/repo", want: ["bitbucket"] },
    { given: "/wiki/rest/api/content/1", want: ["confluence"] },
    { given: "/wiki/api/v2/pages/1", want: ["confluence"] },
    { given: "/rest/api/3/myself", want: ["jira"] },
    { given: "/rest/agile/1.0/board", want: ["jira-software"] },
    { given: "/rest/servicedeskapi/request", want: ["jira-service-management"] },
    { given: "/jsm/assets/workspace/w/v1/object/1", want: ["assets"] },
  ];

  it.each(direct)("$given, a full path, includes $want", ({ given, want }) => {
    expect(productsForPath(segmentsOf(given), prefixes)).toEqual(expect.arrayContaining(want));
  });

  it("a path starting with wiki is Confluence's alone; one starting with 2.0 is not Jira's; a Jira one is not Bitbucket's", () => {
    expect(productsForPath(segmentsOf("/wiki/rest/api/content"), prefixes)).toEqual(["confluence"]);
    expect(productsForPath(segmentsOf("/2.0/repositories/ws"), prefixes)).not.toContain("jira");
    expect(productsForPath(segmentsOf("/rest/api/3/myself"), prefixes)).not.toContain("bitbucket");
  });

  it("is [] for a path no product's prefixes fit", () => {
    expect(productsForPath(segmentsOf("/nothing/here"), prefixes)).toEqual([]);
    // Nor is a Confluence path without /wiki, which matches nothing as given, anyone else's.
    expect(productsForPath(segmentsOf("/rest/api/content"), prefixes)).not.toContain("bitbucket");
    expect(productsForPath(["nothing", "here"], { jira: ["rest/api"], bitbucket: ["2.0/repositories"] })).toEqual([]);
  });

  it("is undefined when one product has no prefixes (a manifest written before them)", () => {
    expect(productsForPath(segmentsOf("/rest/api/3/myself"), { ...prefixes, bitbucket: undefined })).toBeUndefined();
    expect(productsForPath(["wiki", "rest"], { jira: ["rest/api"], confluence: undefined })).toBeUndefined();
  });

  it("a parameter prefix (*) fits any segment, but needs one there", () => {
    expect(productsForPath(["anything", "x"], { jira: ["*/x"] })).toEqual(["jira"]);
    expect(productsForPath(["anything"], { jira: ["*/x"] })).toEqual([]);
  });

  /**
   * What GET /scopes does with it: index the products picked, and look the path up in the whole catalog
   * when those give no match (a path written without its /2.0 or /wiki, or one that matches nothing).
   */
  function answeredAs(segments: string[]): PathMatch {
    const picked = productsForPath(segments, prefixes);
    if (picked && picked.length > 0) {
      const found = partialOf(picked).match(requestOf(segments));
      if (found.endpoints.length > 0) return found;
    }
    return stored.match(requestOf(segments));
  }

  const implied: { given: string; product: Product; matchedAs: string }[] = [
    { given: "/repositories/ws/repo", product: "bitbucket", matchedAs: "/2.0/repositories/ws/repo" }, // no /2.0
    { given: "/rest/api/content/search", product: "confluence", matchedAs: "/wiki/rest/api/content/search" }, // Confluence without /wiki
    { given: "/rest/api/content/123/copy", product: "confluence", matchedAs: "/wiki/rest/api/content/123/copy" },
    { given: "/pages/1", product: "confluence", matchedAs: "/wiki/api/v2/pages/1" }, // without /wiki/api/v2
  ];

  it.each(implied)(
    "$given (an implied prefix) is answered by $product, as the whole catalog answers it",
    ({ given, product, matchedAs }) => {
      const answer = view(answeredAs(segmentsOf(given)));
      expect(answer).toEqual(view(stored.match(requestOf(segmentsOf(given)))));
      expect(answer.matchedAs).toBe(matchedAs);
      expect(answer.endpoints.length).toBeGreaterThan(0);
      expect(answer.endpoints.every((endpoint) => endpoint.startsWith(`${product} `))).toBe(true);
    },
  );

  it("/rest/api/content (Confluence's, without /wiki) and /nothing/here match nothing, partial or whole", () => {
    for (const given of ["/rest/api/content", "/nothing/here"])
      expect(view(answeredAs(segmentsOf(given)))).toEqual({ matchedAs: undefined, endpoints: [] });
  });
});

describe("routePrefixes", () => {
  const cases: { paths: string[]; want: string[] }[] = [
    { paths: ["/rest/api/3/myself", "/rest/api/2/myself", "/rest/agile/1.0/board"], want: ["rest/agile", "rest/api"] },
    { paths: ["/{cloudId}/rest", "/a/{b}-c.zip/d"], want: ["*/rest", "a/*"] },
    { paths: ["/single"], want: ["single"] },
    { paths: [], want: [] },
  ];
  it.each(cases)("$paths → $want", ({ paths, want }) => {
    expect(routePrefixes(paths)).toEqual(want);
  });
});

describe("endpointAt over the snapshot's tries", () => {
  const all = pointers.flatMap(([product]) => shards.get(product)!.endpoints);

  it("finds every endpoint by its method and template, over stored and rebuilt tries", () => {
    const failures = all.flatMap((endpoint) =>
      [stored, rebuilt].flatMap((catalog, which) => {
        const found = catalog.endpointAt(endpoint.method, endpoint.path);
        return found === endpoint
          ? []
          : [`${which ? "rebuilt" : "stored"}: ${key(endpoint)} gave ${found && key(found)}`];
      }),
    );
    expect(failures).toEqual([]);
  });

  it("finds nothing for a method the template lacks, a concrete path, or a template with other parameter names", () => {
    const issue = all.find(
      (endpoint) => endpoint.path === "/rest/api/3/issue/{issueIdOrKey}" && endpoint.method === "GET",
    )!;
    expect(issue).toBeDefined();
    expect(stored.endpointAt("PATCH", issue.path)).toBeUndefined();
    expect(stored.endpointAt("GET", "/rest/api/3/issue/ABC-1")).toBeUndefined();
    expect(stored.endpointAt("GET", "/rest/api/3/issue/{id}")).toBeUndefined();
    expect(stored.endpointAt("GET", "/rest/api/3/nowhere/{id}")).toBeUndefined();
    expect(stored.endpointAt("GET", "")).toBeUndefined();
  });
});
