/**
 * developer.atlassian.com reference pages as a source: their "Scopes" blocks become raw operations
 * (for a product with no OpenAPI document), or are compared with the catalog (cross-check). No I/O.
 */
import type { Endpoint, HttpMethod } from "../../src/catalog/schema";
import { HTTP_METHODS } from "../../src/catalog/schema";
import type { ReferenceOperation } from "./html";
import type { RawDocument, RawOperation } from "./openapi";

const isMethod = (method: string): method is HttpMethod => (HTTP_METHODS as readonly string[]).includes(method);

/**
 * A reference page read as a document. The page shows no state: what it lists is required today, so
 * every set is Current. Truncated lists ("Show more") are kept as shown and the operation says so.
 */
export function referencePageDocument(operations: readonly ReferenceOperation[], title?: string): RawDocument {
  const raw: RawOperation[] = [];
  for (const operation of operations) {
    if (!isMethod(operation.method)) continue;
    const sets = [operation.classic, operation.granular, operation.unlabeled].filter((scopes) => scopes.length > 0);
    raw.push({
      method: operation.method,
      pathKey: operation.path,
      tags: [],
      deprecated: false,
      experimental: false,
      extensionScopes: [],
      securityScopes: [],
      pageScopes: sets,
      anonymous: false,
      connectScope: operation.connectScope,
    });
  }
  return {
    format: "reference-page",
    title,
    pathPrefix: "",
    declaredScopes: new Map(),
    narrativeScopes: new Map(),
    operations: raw,
  };
}

/**
 * Where a reference page and the catalog disagree, in words for the run report. A page may show a path
 * without the server prefix (Bitbucket shows `/repositories/...` for `/2.0/repositories/...`), and a
 * truncated list only has to be part of a catalog set.
 */
export function crossCheck(endpoints: readonly Endpoint[], operations: readonly ReferenceOperation[]): string[] {
  const problems: string[] = [];
  for (const operation of operations) {
    const sameMethod = endpoints.filter((candidate) => candidate.method === operation.method);
    const endpoint =
      sameMethod.find((candidate) => candidate.path === operation.path) ??
      // The shortest prefix wins: `/tasks` is `/wiki/api/v2/tasks`, not some longer path ending the same way.
      sameMethod
        .filter((candidate) => candidate.path.endsWith(operation.path))
        .sort((a, b) => a.path.length - b.path.length)[0];
    const name = `${operation.method} ${operation.path}`;
    if (!endpoint) {
      problems.push(`${name} is on the reference page but not in the catalog`);
      continue;
    }
    const sets: [label: string, scopes: string[]][] = [
      ["classic", operation.classic],
      ["granular", operation.granular],
      ["unlabeled", operation.unlabeled],
    ];
    for (const [label, scopes] of sets) {
      if (scopes.length === 0) continue;
      const wanted = [...scopes].sort();
      const found = endpoint.alternatives.some((alternative) =>
        operation.truncated
          ? wanted.every((scope) => alternative.scopes.includes(scope))
          : alternative.scopes.join(" ") === wanted.join(" "),
      );
      if (!found) {
        const held =
          endpoint.alternatives.map((alternative) => alternative.scopes.join(" + ")).join(" | ") || "no scopes";
        problems.push(`${name}: the reference page lists ${label} ${wanted.join(" + ")}; the catalog has ${held}`);
      }
    }
  }
  return problems;
}
