/**
 * OpenAPI 3.x / Swagger 2.0 text in, raw operation records out. No I/O. Returns a Result, never throws.
 * Reads exactly what the document says; deciding what it means (kinds, prefixes, merging) is normalize's job.
 */
import { HTTP_METHODS, type HttpMethod } from "../../src/catalog/schema";
import { htmlToText } from "./html";
import { type RemovalNoticeResult, readRemovalNotice } from "./removal-notice";

export interface RawScopeEntry {
  state: string;
  scopes: string[];
}

export interface RawOperation {
  method: HttpMethod;
  /** The path key exactly as in the document, before any server prefix. */
  pathKey: string;
  operationId?: string;
  summary?: string;
  tags: string[];
  deprecated: boolean;
  experimental: boolean;
  /** `x-atlassian-oauth2-scopes`, legacy `{deprecated, scopes}` entries mapped to a state. */
  extensionScopes: RawScopeEntry[];
  /** OAuth scope lists from `security` (operation level, else document level), one per alternative. */
  securityScopes: string[][];
  /** Scope sets shown on a developer.atlassian.com reference page (reference-page documents only). */
  pageScopes?: string[][];
  /** `{}` (or `security: []`) allows calls without credentials. */
  anonymous: boolean;
  connectScope?: string;
  authTypes?: string[];
  lifecycle?: { type: string; announced?: string; effective?: string; details?: string }[];
  /** A removal or deprecation date its description states (removal-notice.ts), read or skipped. */
  removalNotice?: RemovalNoticeResult;
}

export interface RawDocument {
  format: "openapi3" | "swagger2" | "reference-page";
  title?: string;
  infoVersion?: string;
  /** Path part of the first server URL (or Swagger basePath), without a trailing slash. */
  pathPrefix: string;
  /** scope -> description, from the OAuth scheme dictionaries. */
  declaredScopes: Map<string, string>;
  /** scope -> description, from `#### scope` sections of `x-atlassian-narrative`. */
  narrativeScopes: Map<string, string>;
  operations: RawOperation[];
}

export type DocumentFailureReason = "not_json" | "truncated" | "not_openapi" | "no_operations";
export type ParseResult =
  | { ok: true; document: RawDocument }
  | { ok: false; reason: DocumentFailureReason; message: string };

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === "object" && value !== null && !Array.isArray(value);
const asString = (value: unknown): string | undefined =>
  typeof value === "string" && value.trim() !== "" ? value.trim() : undefined;
const isString = (value: unknown): value is string => typeof value === "string";
// A copy of a list that is all strings (as every list in the documents is) allocates one array of the
// right size; filter allocates a growable one and then its trimmed copy.
const asStringArray = (value: unknown): string[] =>
  Array.isArray(value) ? (allStrings(value) ? value.slice() : value.filter(isString)) : [];

// A loop rather than every(isString): about half the time on the documents' 9,206 lists.
function allStrings(values: readonly unknown[]): values is string[] {
  for (const value of values) if (typeof value !== "string") return false;
  return true;
}

/** Parses a document's text. A BOM is tolerated; anything that is not a complete JSON object fails. */
export function parseOpenApiText(text: string): ParseResult {
  let json: unknown;
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  try {
    json = JSON.parse(text);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    // V8 words a cut-off document as "Unexpected end of JSON input", "Unterminated string ...", or an
    // error positioned at the very end of the text.
    const position = Number(/at position (\d+)/.exec(detail)?.[1] ?? Number.NaN);
    const truncated =
      text.trimStart().startsWith("{") &&
      (/end of JSON input|Unterminated/i.test(detail) || position >= text.trimEnd().length);
    return truncated
      ? {
          ok: false,
          reason: "truncated",
          message: `document is truncated (${detail}); ${text.length} characters received`,
        }
      : { ok: false, reason: "not_json", message: `document is not JSON: ${detail}` };
  }
  return parseOpenApi(json);
}

/** Reads a parsed OpenAPI 3.x or Swagger 2.0 document. */
export function parseOpenApi(json: unknown): ParseResult {
  if (!isObject(json)) return { ok: false, reason: "not_openapi", message: "document is not a JSON object" };
  const format = typeof json.openapi === "string" ? "openapi3" : json.swagger === "2.0" ? "swagger2" : undefined;
  if (!format) {
    return {
      ok: false,
      reason: "not_openapi",
      message: 'document has neither an `openapi` version nor `swagger: "2.0"`',
    };
  }
  if (!isObject(json.paths)) return { ok: false, reason: "not_openapi", message: "document has no `paths` object" };

  const schemes =
    format === "openapi3"
      ? isObject(json.components)
        ? json.components.securitySchemes
        : undefined
      : json.securityDefinitions;
  const { oauthSchemes, declaredScopes } = readSecuritySchemes(schemes);
  const operations = readOperations(json.paths, oauthSchemes, json.security);
  if (operations.length === 0) {
    return { ok: false, reason: "no_operations", message: "document has no operations under `paths`" };
  }

  const info = isObject(json.info) ? json.info : {};
  return {
    ok: true,
    document: {
      format,
      title: asString(info.title),
      infoVersion: asString(info.version),
      pathPrefix: format === "openapi3" ? serverPathPrefix(json.servers) : trimSlash(asString(json.basePath) ?? ""),
      declaredScopes,
      narrativeScopes: readNarrativeScopes(json["x-atlassian-narrative"]),
      operations,
    },
  };
}

/**
 * Every operation under `paths`. A function of its own so that the loop's optimised (OSR) code ends here:
 * in parseOpenApi it went on to read the document's own fields (`info`, `servers`), whose shape differs in
 * every document, and V8 threw it away at each document's end (five deoptimisations a pass).
 */
function readOperations(paths: Json, oauthSchemes: ReadonlySet<string>, defaultSecurity: unknown): RawOperation[] {
  const operations: RawOperation[] = [];
  for (const [pathKey, item] of Object.entries(paths)) {
    if (!isObject(item)) continue;
    for (const [key, method] of METHOD_KEYS) {
      const operation = item[key];
      if (!isObject(operation)) continue;
      operations.push(readOperation(method, pathKey, operation, oauthSchemes, defaultSecurity));
    }
  }
  return operations;
}

// Path items also hold `parameters`, `summary`, `servers` and numeric junk keys: only these are operations.
const METHOD_KEYS = HTTP_METHODS.map((method) => [method.toLowerCase(), method] as const);

function readOperation(
  method: HttpMethod,
  pathKey: string,
  operation: Json,
  oauthSchemes: ReadonlySet<string>,
  defaultSecurity: unknown,
): RawOperation {
  const security = operation.security ?? defaultSecurity;
  const securityScopes: string[][] = [];
  let anonymous = Array.isArray(security) && security.length === 0;
  if (Array.isArray(security)) {
    for (const requirement of security) {
      if (!isObject(requirement)) continue;
      // Keys, not entries: no [scheme, scopes] pair to allocate for every requirement of every operation.
      const schemes = Object.keys(requirement);
      if (schemes.length === 0) anonymous = true;
      for (const scheme of schemes) {
        if (isOAuthScheme(scheme, oauthSchemes)) securityScopes.push(asStringArray(requirement[scheme]));
      }
    }
  }
  const authTypes = asStringArray(operation["x-atlassian-auth-types"]);
  const lifecycle = readLifecycle(operation["x-changes"]);
  const removalNotice = readRemovalNotice(
    typeof operation.description === "string" ? operation.description : undefined,
  );
  return {
    method,
    pathKey,
    operationId: asString(operation.operationId),
    summary: asString(operation.summary) ?? firstSentence(operation.description),
    tags: asStringArray(operation.tags),
    deprecated: operation.deprecated === true,
    experimental: operation["x-experimental"] === true || operation["x-preview"] === true,
    extensionScopes: readExtensionScopes(operation["x-atlassian-oauth2-scopes"]),
    securityScopes,
    anonymous,
    connectScope: asString(operation["x-atlassian-connect-scope"]),
    authTypes: authTypes.length > 0 ? authTypes : undefined,
    lifecycle,
    ...(removalNotice ? { removalNotice } : {}),
  };
}

/** `x-changes` entries, or undefined when there are none (as for all but a few operations). */
function readLifecycle(value: unknown): RawOperation["lifecycle"] {
  return Array.isArray(value) ? lifecycleEntries(value) : undefined;
}

// Apart, like removal-notice.ts's noticeIn: 8 of the shared documents' 2,049 operations have `x-changes`, and
// compiled into readOperation this filter and map cost it a recompilation when the first one came.
function lifecycleEntries(value: unknown[]): RawOperation["lifecycle"] {
  const lifecycle = value.filter(isObject).map((change) => ({
    type: asString(change.type) ?? "unknown",
    announced: asString(change.announced),
    effective: asString(change.effective),
    details: asString(change.details),
  }));
  return lifecycle.length > 0 ? lifecycle : undefined;
}

/** Both shapes Atlassian has published: `{state, scopes, scheme}` and the legacy `{deprecated, scopes}`. */
function readExtensionScopes(value: unknown): RawScopeEntry[] {
  const entries: RawScopeEntry[] = [];
  if (!Array.isArray(value)) return entries;
  for (const entry of value) {
    if (!isObject(entry)) continue;
    entries.push({
      state: asString(entry.state) ?? (entry.deprecated === true ? "Deprecated" : "Current"),
      scopes: asStringArray(entry.scopes),
    });
  }
  return entries;
}

function readSecuritySchemes(value: unknown): { oauthSchemes: Set<string>; declaredScopes: Map<string, string> } {
  const oauthSchemes = new Set<string>();
  const declaredScopes = new Map<string, string>();
  if (!isObject(value)) return { oauthSchemes, declaredScopes };
  // Plain loops over keys: the entries, filter and map this read through before made V8's optimised code of
  // it larger (compiled on another thread, but in the scraper's CPU time), and their arrays made it deoptimise
  // and compile again.
  for (const name of Object.keys(value)) {
    const scheme = value[name];
    if (!isObject(scheme) || scheme.type !== "oauth2") continue;
    oauthSchemes.add(name);
    // OpenAPI 3 nests scopes per flow; Swagger 2.0 puts them on the scheme itself.
    const flows = scheme.flows;
    if (isObject(flows)) {
      for (const flow of Object.values(flows)) if (isObject(flow)) addDeclaredScopes(declaredScopes, flow.scopes);
    } else addDeclaredScopes(declaredScopes, scheme.scopes);
  }
  return { oauthSchemes, declaredScopes };
}

/** A scope dictionary's entries, the first description of a scope winning. */
function addDeclaredScopes(declaredScopes: Map<string, string>, dictionary: unknown): void {
  if (!isObject(dictionary)) return;
  for (const scope of Object.keys(dictionary)) {
    if (declaredScopes.has(scope)) continue;
    const description = dictionary[scope];
    declaredScopes.set(scope, typeof description === "string" ? cleanText(description) : "");
  }
}

// Scheme names differ per product (OAuth2, oAuthDefinitions, oauth2); an undeclared one still reads as OAuth by name.
function isOAuthScheme(name: string, declared: ReadonlySet<string>): boolean {
  return declared.has(name) || /oauth/i.test(name);
}

const SCOPE_HEADING = /^#{2,6}\s+`?([A-Za-z][A-Za-z0-9_.-]*(?::[A-Za-z0-9_.-]+){0,3})`?\s*$/;

/** Bitbucket's narrative documents every scope as a `#### name` section followed by its description. */
function readNarrativeScopes(value: unknown): Map<string, string> {
  const found = new Map<string, string>();
  if (!isObject(value) || !Array.isArray(value.documents)) return found;
  for (const document of value.documents) {
    if (!isObject(document) || typeof document.body !== "string") continue;
    const lines = document.body.split("\n");
    for (let index = 0; index < lines.length; index++) {
      const scope = SCOPE_HEADING.exec(lines[index] ?? "")?.[1];
      if (!scope || found.has(scope)) continue;
      const paragraph: string[] = [];
      for (let next = index + 1; next < lines.length; next++) {
        const line = lines[next] ?? "";
        if (line.startsWith("#")) break;
        if (line.trim() === "") {
          if (paragraph.length > 0) break;
          continue;
        }
        paragraph.push(line);
      }
      const text = cleanText(paragraph.join(" "));
      if (text) found.set(scope, text);
    }
  }
  return found;
}

function serverPathPrefix(servers: unknown): string {
  const url = Array.isArray(servers) && isObject(servers[0]) ? asString(servers[0].url) : undefined;
  if (!url) return "";
  // Server URLs hold templates in the host (`https://{your-domain}/wiki/api/v2`) and may be
  // scheme-relative (`//your-domain.atlassian.net`), so take the path by hand rather than with URL.
  const withoutScheme = url.replace(/^[a-z][a-z0-9+.-]*:/i, "");
  const path = withoutScheme.startsWith("//") ? withoutScheme.slice(2).replace(/^[^/]*/, "") : withoutScheme;
  return trimSlash(path);
}

function trimSlash(path: string): string {
  const trimmed = path.replace(/\/+$/, "");
  return trimmed === "" || trimmed.startsWith("/") ? trimmed : `/${trimmed}`;
}

function cleanText(text: string): string {
  return /[<&`[]/.test(text) ? htmlToText(text) : text.replace(/\s+/g, " ").trim();
}

function firstSentence(description: unknown): string | undefined {
  const text = asString(description);
  if (!text) return undefined;
  const plain = cleanText(text.split(/\n\s*\n/)[0] ?? text);
  const sentence = /^(.+?[.!?])(\s|$)/.exec(plain)?.[1] ?? plain;
  return sentence.length > 200 ? `${sentence.slice(0, 197)}...` : sentence || undefined;
}
