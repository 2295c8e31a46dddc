/**
 * Raw operations in, canonical catalog records out: full request paths, scope kinds, de-duplicated
 * alternatives, merged endpoints, stable order. No I/O.
 */
import type {
  Alternative,
  AlternativeKind,
  Endpoint,
  HttpMethod,
  LifecycleChange,
  Product,
  ScopeOrigin,
  ScopeRecord,
} from "../src/catalog/schema";
import { v3TwinOf } from "../src/catalog/removed-endpoints";
import { HTTP_METHODS } from "../src/catalog/schema";
import { scopeKindOf } from "../src/catalog/scope-names";
import type { RawDocument, RawOperation } from "./parse/openapi";
import type { RemovalNotice } from "./parse/removal-notice";
import type { DocumentSource } from "./sources";

export interface ParsedSource {
  source: DocumentSource;
  document: RawDocument;
}

export interface NormalizedProduct {
  endpoints: Endpoint[];
  scopes: ScopeRecord[];
}

export { scopeKindOf as scopeKind };

export function alternativeKind(scopes: readonly string[]): AlternativeKind {
  let granular = 0;
  for (const scope of scopes) if (scopeKindOf(scope) === "granular") granular++;
  return granular === 0 ? "classic" : granular === scopes.length ? "granular" : "mixed";
}

// Granular names end in the product they belong to; Assets' `:cmdb` scopes belong to Assets.
const GRANULAR_SUFFIX_PRODUCT: Record<string, string> = { cmdb: "assets" };

/** The product a scope belongs to: from its name where it says, else the product whose document uses it. */
export function scopeProduct(scope: string, usedBy: Product): string {
  if (scopeKindOf(scope) === "granular") {
    const suffix = scope.slice(scope.lastIndexOf(":") + 1);
    return GRANULAR_SUFFIX_PRODUCT[suffix] ?? suffix;
  }
  if (/servicedesk/.test(scope)) return "jira-service-management";
  if (/jira/.test(scope)) return "jira";
  if (/confluence/.test(scope)) return "confluence";
  return usedBy;
}

/** Request path as a client sends it: server prefix + path key, one slash between, no trailing slash. */
export function fullPath(prefix: string, pathKey: string): string {
  // Path keys start with a slash: joined without another, almost every path is already clean and
  // needs no regex.
  const joined = pathKey.startsWith("/") ? prefix + pathKey : `${prefix}/${pathKey}`;
  if (joined.length > 1 && !joined.includes("//") && !joined.endsWith("/")) return joined;
  const single = `${prefix}/${pathKey}`.replace(/\/{2,}/g, "/");
  return single.length > 1 ? single.replace(/\/$/, "") : single;
}

/**
 * developer.atlassian.com anchors are the lower-cased path key and method, non-alphanumerics as dashes.
 * `group` is the operation's page, `docsGroup(operation.tags[0])`; normalizeProduct passes it in
 * because many operations share a tag.
 */
export function docsUrl(source: DocumentSource, operation: RawOperation, group = docsGroup(operation.tags[0])): string {
  return `${source.docsBase}${group}#api-${slug(operation.pathKey)}-${operation.method.toLowerCase()}`;
}

/** The reference page of an operation's first tag, e.g. "api-group-issue-comments/"; none without a tag. */
export function docsGroup(tag: string | undefined): string {
  return tag ? `api-group-${slug(tag)}/` : "";
}

function slug(text: string): string {
  // The lower-cased text's runs of [a-z0-9] joined by dashes, found by a scan: the global replace this was
  // took about a fifth of normalizeProduct's time (one per operation, 2,036 over the shared documents).
  const lower = text.toLowerCase();
  let dashed = "";
  let run = -1;
  for (let index = 0; index <= lower.length; index++) {
    const code = index < lower.length ? lower.charCodeAt(index) : 0;
    if ((code >= 97 && code <= 122) || (code >= 48 && code <= 57)) {
      if (run < 0) run = index;
    } else if (run >= 0) {
      dashed = dashed === "" ? lower.slice(run, index) : `${dashed}-${lower.slice(run, index)}`;
      run = -1;
    }
  }
  return dashed;
}

/**
 * The scope sets that each satisfy an operation (OR of AND-sets), from `x-atlassian-oauth2-scopes` and
 * `security` together: 50 Jira operations publish only the latter, Bitbucket's two lists never overlap.
 * Empty lists satisfy nothing meaningful and are reported through `emptyScopeList` instead.
 */
export function buildAlternatives(operation: RawOperation): Alternative[] {
  const alternatives: Alternative[] = [];
  for (const entry of operation.extensionScopes)
    addAlternative(alternatives, entry.scopes, entry.state, "x-atlassian-oauth2-scopes");
  // `security` has no state: what it lists is what the document requires today.
  for (const scopes of operation.securityScopes) addAlternative(alternatives, scopes, "Current", "security");
  if (operation.pageScopes)
    for (const scopes of operation.pageScopes) addAlternative(alternatives, scopes, "Current", "reference-page");
  return sortAlternatives(alternatives);
}

/** Adds a scope set as an alternative, or its origin to the alternative with the same set. */
function addAlternative(
  alternatives: Alternative[],
  scopes: readonly string[],
  state: string,
  origin: ScopeOrigin,
): void {
  const unique = sortedUnique(scopes);
  if (unique.length === 0) return;
  const existing = withScopes(alternatives, unique);
  if (existing) {
    if (!existing.origins.includes(origin)) existing.origins.push(origin);
    return;
  }
  alternatives.push({ kind: alternativeKind(unique), state, scopes: unique, origins: [origin] });
}

/**
 * The alternative whose scopes are these (both sorted and distinct). An operation has one to three: compared
 * in place, not through a map keyed by the joined names, which cost a map and a string per list.
 */
function withScopes(alternatives: readonly Alternative[], scopes: readonly string[]): Alternative | undefined {
  for (const alternative of alternatives) if (sameScopes(alternative.scopes, scopes)) return alternative;
  return undefined;
}

function sameScopes(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let index = 0; index < a.length; index++) if (a[index] !== b[index]) return false;
  return true;
}

/** The distinct scopes in sort order: duplicates end up side by side once sorted. */
function sortedUnique(scopes: readonly string[]): string[] {
  // Nearly every list in the documents is one scope or already sorted: a copy is all it needs.
  if (isSortedUnique(scopes)) return scopes.slice();
  const sorted = scopes.slice().sort();
  // A list out of order rarely repeats a scope: filter only one that does.
  return isSortedUnique(sorted) ? sorted : sorted.filter((scope, index) => index === 0 || scope !== sorted[index - 1]);
}

function isSortedUnique(scopes: readonly string[]): boolean {
  for (let index = 1; index < scopes.length; index++) if (!(scopes[index - 1]! < scopes[index]!)) return false;
  return true;
}

const KIND_ORDER: Record<AlternativeKind, number> = { classic: 0, granular: 1, mixed: 2 };
const STATE_ORDER: Record<string, number> = { Current: 0, Beta: 1, Deprecated: 2 };

export function sortAlternatives(alternatives: Alternative[]): Alternative[] {
  // Documents mostly list classic before granular and Current before Beta. The sort is stable, so an
  // array already in order is left as it is: skip it, and its work arrays, then.
  for (let index = 1; index < alternatives.length; index++) {
    if (compareAlternatives(alternatives[index - 1]!, alternatives[index]!) > 0)
      return alternatives.sort(compareAlternatives);
  }
  return alternatives;
}

function compareAlternatives(a: Alternative, b: Alternative): number {
  return (
    KIND_ORDER[a.kind] - KIND_ORDER[b.kind] ||
    (STATE_ORDER[a.state] ?? 9) - (STATE_ORDER[b.state] ?? 9) ||
    a.scopes.join(" ").localeCompare(b.scopes.join(" "))
  );
}

const METHOD_ORDER = new Map<HttpMethod, number>(HTTP_METHODS.map((method, index) => [method, index]));

export function compareEndpoints(a: Pick<Endpoint, "path" | "method">, b: Pick<Endpoint, "path" | "method">): number {
  return a.path < b.path
    ? -1
    : a.path > b.path
      ? 1
      : (METHOD_ORDER.get(a.method) ?? 0) - (METHOD_ORDER.get(b.method) ?? 0);
}

/** One product's endpoints and scopes from its parsed documents, in source order. */
export function normalizeProduct(product: Product, sources: readonly ParsedSource[]): NormalizedProduct {
  const endpoints = new Map<string, Endpoint>();
  const groups = new Map<string | undefined, string>();
  const used = new Set<string>();
  const notices: { key: string; notice: RemovalNotice; prefix: string }[] = [];
  for (const { source, document } of sources) {
    for (const operation of document.operations) {
      const path = fullPath(document.pathPrefix, operation.pathKey);
      const key = `${operation.method} ${path}`;
      if (operation.removalNotice?.ok)
        notices.push({ key, notice: operation.removalNotice.notice, prefix: document.pathPrefix });
      const alternatives = buildAlternatives(operation);
      // Read while the operation's scope names are fresh in memory, rather than again from every endpoint.
      for (const alternative of alternatives) for (const scope of alternative.scopes) used.add(scope);
      const emptyScopeList =
        operation.extensionScopes.some((entry) => entry.scopes.length === 0) ||
        operation.securityScopes.some((scopes) => scopes.length === 0);
      const existing = endpoints.get(key);
      if (existing) {
        // Jira v2 and v3 both publish /rest/atlassian-connect/...: one endpoint, every alternative either states.
        mergeInto(existing, source.id, alternatives, operation, emptyScopeList);
        continue;
      }
      endpoints.set(key, {
        product,
        method: operation.method,
        path,
        operationId: operation.operationId,
        summary: operation.summary,
        docsUrl: docsUrl(source, operation, groupOf(groups, operation.tags[0])),
        deprecated: operation.deprecated,
        experimental: operation.experimental,
        alternatives,
        hasScopes: alternatives.length > 0,
        emptyScopeList,
        anonymous: operation.anonymous,
        connectScope: operation.connectScope,
        authTypes: operation.authTypes,
        lifecycle: operation.lifecycle,
        documents: [source.id],
      });
    }
  }
  for (const { key, notice, prefix } of notices) {
    const endpoint = endpoints.get(key);
    if (endpoint) addNotice(endpoint, notice, resolveReplacement(notice, prefix, endpoints));
  }
  if (product === "jira") withV3Twins(endpoints);
  const sorted = [...endpoints.values()].sort(compareEndpoints);
  return { endpoints: sorted, scopes: scopeRecords(product, used, sources) };
}

/**
 * A notice read from the description (scraper/parse/removal-notice.ts) as a lifecycle entry. The
 * operation's own `x-changes` entry of that type wins; the notice only adds the replacement it lacks.
 */
function addNotice(endpoint: Endpoint, notice: RemovalNotice, replacement: LifecycleChange["replacement"]): void {
  const held = endpoint.lifecycle?.find((change) => change.type === notice.type);
  if (held) {
    if (replacement && !held.replacement) held.replacement = replacement;
    return;
  }
  endpoint.lifecycle = [
    ...(endpoint.lifecycle ?? []),
    {
      type: notice.type,
      effective: notice.effective,
      ...(notice.details ? { details: notice.details } : {}),
      ...(notice.changelog ? { changelog: notice.changelog } : {}),
      ...(replacement ? { replacement } : {}),
      origin: "description",
    },
  ];
}

/**
 * The endpoint a notice names to call instead, if the product publishes it: an anchor of the reference
 * pages (`#api-rest-api-3-workflows-search-get`, as docsUrl builds them) or `POST /object/aql`, a path as
 * the document writes it (server prefix left off) or in full. A name that resolves to nothing is dropped:
 * an answer never sends a caller to an endpoint the catalog cannot vouch for.
 */
function resolveReplacement(
  notice: RemovalNotice,
  prefix: string,
  endpoints: ReadonlyMap<string, Endpoint>,
): LifecycleChange["replacement"] {
  const ref = notice.replacement;
  if (!ref) return undefined;
  if ("anchor" in ref) {
    const endpoint = withAnchor(endpoints, ref.anchor);
    return endpoint ? { method: endpoint.method, path: endpoint.path } : undefined;
  }
  for (const path of [fullPath(prefix, ref.pathKey), ref.pathKey])
    if (endpoints.has(`${ref.method} ${path}`)) return { method: ref.method, path };
  return undefined;
}

/**
 * The endpoint whose docsUrl ends in this reference-page anchor (`api-rest-api-3-workflows-search-get`), the
 * first in document order. Read from the docsUrl, not slugged again; and searched for each notice that names
 * an anchor (one in the current shared documents, five in the 2026-06-10 Jira copy) rather than through a
 * map of all the product's anchors built for it.
 */
function withAnchor(endpoints: ReadonlyMap<string, Endpoint>, anchor: string): Endpoint | undefined {
  const suffix = `#${anchor}`;
  for (const endpoint of endpoints.values()) if (endpoint.docsUrl.endsWith(suffix)) return endpoint;
  return undefined;
}

/**
 * Jira's v2 and v3 are twins ("Version 2 and version 3 of the API offer the same collection of
 * operations", the v3 document's introduction), and the v2 document read here (2024-02-04, PROVENANCE.md)
 * predates notices the v3 one carries: a v2 endpoint takes its v3 twin's deprecation, and each lifecycle
 * entry of a type it lacks (its own, where it states one, wins), the replacement moved to v2 where the
 * catalog holds its v2 twin. Atlassian's CHANGE-2046 notice, for one, named /rest/api/2|3|latest/search
 * (src/catalog/removed-endpoints.ts).
 */
function withV3Twins(endpoints: Map<string, Endpoint>): void {
  for (const endpoint of endpoints.values()) {
    if (!endpoint.path.startsWith("/rest/api/2/")) continue;
    const twin = endpoints.get(`${endpoint.method} ${v3TwinOf(endpoint.path)}`);
    if (!twin) continue;
    if (twin.deprecated) endpoint.deprecated = true;
    for (const change of twin.lifecycle ?? []) {
      if (endpoint.lifecycle?.some((own) => own.type === change.type)) continue;
      endpoint.lifecycle = [...(endpoint.lifecycle ?? []), inheritedChange(change, endpoints)];
    }
  }
}

/** A v3 endpoint's lifecycle entry as its v2 twin's: the replacement's v2 twin where the catalog holds it. */
export function inheritedChange(change: LifecycleChange, endpoints: { has(key: string): boolean }): LifecycleChange {
  const replacement = change.replacement;
  const v2 = replacement?.path.replace(/^\/rest\/api\/3\//, "/rest/api/2/");
  return {
    ...change,
    ...(replacement && v2 && endpoints.has(`${replacement.method} ${v2}`)
      ? { replacement: { method: replacement.method, path: v2 } }
      : {}),
    origin: "v3-twin",
  };
}

/**
 * Notices whose date could not be read ("will be removed in October 2026"), where the operation has no
 * `x-changes` entry to stand in: skipped, not guessed, and named in the run's log so that a new wording
 * is seen.
 */
export function skippedNotices(sources: readonly ParsedSource[]): string[] {
  const lines: string[] = [];
  for (const { document } of sources)
    for (const operation of document.operations) {
      const notice = operation.removalNotice;
      if (notice && !notice.ok && !operation.lifecycle)
        lines.push(
          `${operation.method} ${fullPath(document.pathPrefix, operation.pathKey)}: a removal notice's date was not read ("${notice.text}"), so it is left out`,
        );
    }
  return lines;
}

/** One slug per tag and product, not one per operation. */
function groupOf(groups: Map<string | undefined, string>, tag: string | undefined): string {
  let group = groups.get(tag);
  if (group === undefined) {
    group = docsGroup(tag);
    groups.set(tag, group);
  }
  return group;
}

function mergeInto(
  endpoint: Endpoint,
  documentId: string,
  alternatives: Alternative[],
  operation: RawOperation,
  emptyScopeList: boolean,
): void {
  if (!endpoint.documents.includes(documentId)) endpoint.documents.push(documentId);
  for (const alternative of alternatives) {
    const same = withScopes(endpoint.alternatives, alternative.scopes);
    if (!same) endpoint.alternatives.push(alternative);
    else for (const origin of alternative.origins) if (!same.origins.includes(origin)) same.origins.push(origin);
  }
  sortAlternatives(endpoint.alternatives);
  endpoint.hasScopes = endpoint.alternatives.length > 0;
  endpoint.emptyScopeList ||= emptyScopeList;
  endpoint.anonymous ||= operation.anonymous;
}

/**
 * Bitbucket's narrative, section "Bitbucket OAuth 2.0 scopes": "#### project:write — This scope is
 * deprecated, and has been made obsolete by `project:admin`." (bitbucket.json, 2026-06-29 copy;
 * https://developer.atlassian.com/cloud/bitbucket/rest/intro/#bitbucket-oauth-2-0-scopes). The name must
 * read as a scope: a section heading such as "Operators" never gets here, since its text says no such thing.
 */
const OBSOLETE_BY = /\bdeprecated\b[^.]*\bobsolete by `?([a-z][a-z0-9_.-]*(?::[a-z0-9_.-]+){0,3})`?/i;

/** The product's scopes: those its endpoints take (`used`), those its documents declare, the obsolete ones. */
function scopeRecords(product: Product, used: ReadonlySet<string>, sources: readonly ParsedSource[]): ScopeRecord[] {
  const declared = new Map<string, string>();
  const narrative = new Map<string, string>();
  for (const { document } of sources) {
    for (const [scope, text] of document.declaredScopes) if (text && !declared.has(scope)) declared.set(scope, text);
    for (const [scope, text] of document.narrativeScopes) if (!narrative.has(scope)) narrative.set(scope, text);
  }
  const names = new Set<string>(used);
  for (const { document } of sources) for (const scope of document.declaredScopes.keys()) names.add(scope);
  // A scope the narrative calls deprecated is real though nothing takes it any more: a token or an app
  // may still hold it, and should hear what replaced it rather than that it does not exist.
  const obsolete = new Map<string, string>();
  for (const [scope, text] of narrative) {
    // The sentence's full stop is not part of the name.
    const replacedBy = OBSOLETE_BY.exec(text)?.[1]?.replace(/\.+$/, "");
    if (replacedBy) {
      obsolete.set(scope, replacedBy);
      names.add(scope);
    }
  }

  return [...names].sort().map((name) => {
    const fromDocument = declared.get(name);
    const fromNarrative = narrative.get(name);
    const replacedBy = obsolete.get(name);
    return {
      name,
      kind: scopeKindOf(name),
      product: scopeProduct(name, product),
      description: fromDocument ?? fromNarrative,
      descriptionSource: fromDocument ? "document" : fromNarrative ? "narrative" : undefined,
      unused: !used.has(name),
      ...(replacedBy ? { deprecated: true as const, replacedBy } : {}),
    };
  });
}

/**
 * Fills descriptions a product's documents lack from other sources: another product's dictionary
 * (JSW uses read:project:jira, which only the Jira document describes) or a DAC scopes page.
 */
export function fillDescriptions(
  scopes: ScopeRecord[],
  known: ReadonlyMap<string, { description: string; source: "other-document" | "page" }>,
): number {
  let filled = 0;
  for (const scope of scopes) {
    if (scope.description) continue;
    const found = known.get(scope.name);
    if (!found) continue;
    scope.description = found.description;
    scope.descriptionSource = found.source;
    filled++;
  }
  return filled;
}

/** SHA-256 of the records, so an unchanged product is recognised and not written again. */
export async function contentHash(normalized: NormalizedProduct): Promise<string> {
  const bytes = new TextEncoder().encode(JSON.stringify(normalized));
  const digest = await crypto.subtle.digest("SHA-256", bytes);
  return [...new Uint8Array(digest)].map((byte) => byte.toString(16).padStart(2, "0")).join("");
}
