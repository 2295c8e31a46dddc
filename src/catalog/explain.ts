/**
 * Why did my call fail? A request as the user made it (method, URL, status, body, scopes) in, an
 * ordered list of findings out, each with a stable code, a plain-language message and the fix. No I/O.
 */
import type { CatalogIndex } from "./catalog-index";
import { checkEndpoint, classicScopesRefused, unknownScopes } from "./diff";
import { lookupEndpoints } from "./lookup";
import type { Endpoint } from "./schema";

export type FindingCode =
  | "wrong_host"
  | "endpoint_unknown"
  | "missing_scopes"
  | "classic_not_supported"
  | "scope_check_passed"
  | "scopes_sufficient"
  | "no_published_scopes"
  | "deprecated_endpoint"
  | "unknown_scopes"
  | "not_an_error";

export interface Finding {
  code: FindingCode;
  message: string;
  fix: string;
  details?: Record<string, unknown>;
}

export interface ExplainInput {
  method: string;
  url: string;
  status: number;
  body?: string;
  scopes?: string[];
}

export interface Explanation {
  endpoints: Endpoint[];
  findings: Finding[];
}

const SCOPE_MISMATCH = /scope does not match/i;

/** Most important first: where the call went, then what the token lacks, then context. */
const PRIORITY: readonly FindingCode[] = [
  "not_an_error",
  "wrong_host",
  "endpoint_unknown",
  "missing_scopes",
  "classic_not_supported",
  "scopes_sufficient",
  "scope_check_passed",
  "unknown_scopes",
  "no_published_scopes",
  "deprecated_endpoint",
];
const byPriority = (a: Finding, b: Finding) => PRIORITY.indexOf(a.code) - PRIORITY.indexOf(b.code);

export function explainFailure(input: ExplainInput, catalog: CatalogIndex): Explanation {
  const findings: Finding[] = [];
  const found = lookupEndpoints(catalog, input.url, input.method);
  const request = found.ok ? found.request : undefined;
  const host = request?.host ?? /^[a-z]+:\/\/([^/?#]+)/i.exec(input.url.trim())?.[1]?.toLowerCase();
  const scopes = input.scopes;
  const body = input.body ?? "";

  if (input.status >= 200 && input.status < 400) {
    findings.push({
      code: "not_an_error",
      message: `A ${input.status} is not a failure: the call went through.`,
      fix: "Nothing to fix.",
    });
  }

  const onSite = host?.endsWith(".atlassian.net") === true;
  const scoped = scopes !== undefined || SCOPE_MISMATCH.test(body);
  const products = found.ok ? found.endpoints.map((endpoint) => endpoint.product) : [];
  // With a site URL, scoped tokens get 401s, "Issue does not exist or you do not have permission to see
  // it." or "Failed to parse Connect Session Auth Token" (community thread 3089340).
  const siteSymptom = /does not exist or you do not have permission|Connect Session Auth Token/i.test(body);
  if (onSite && input.status >= 400 && (input.status === 401 || siteSymptom || scoped)) {
    const gateway = products.includes("confluence") ? "confluence" : "jira";
    const path = request?.path ?? "/...";
    findings.push({
      code: "wrong_host",
      message: `${scoped ? "Scoped API tokens" : "If this is a scoped API token or a service-account token: such tokens"} are not accepted on ${host}; they only work through Atlassian's API gateway.`,
      fix: `Call https://api.atlassian.com/ex/${gateway}/{cloudId}${path} with the same credentials. Your cloudId is the "cloudId" in https://${host}/_edge/tenant_info.`,
      details: {
        gatewayUrl: `https://api.atlassian.com/ex/${gateway}/{cloudId}${path}`,
        tenantInfo: `https://${host}/_edge/tenant_info`,
      },
    });
  }

  if (!found.ok) {
    const details = found.details ?? {};
    findings.push({
      code: "endpoint_unknown",
      message:
        found.code !== "endpoint_not_found" && found.code !== "method_not_found"
          ? found.message
          : `The catalog has no ${input.method.toUpperCase()} endpoint at this path: ${found.message}`,
      fix:
        found.code === "method_not_found"
          ? `Use one of the methods the endpoint takes: ${String((details.methods as string[] | undefined)?.join(", "))}.`
          : found.code === "outside_catalog"
            ? `Check the call against that API's own docs: ${String(details.docsUrl)}`
            : found.code === "endpoint_not_found"
              ? "Check the path against Atlassian's REST docs; the nearest known endpoints are in details.suggestions."
              : "Send the method and URL exactly as the failed call used them.",
      details,
    });
    return { endpoints: [], findings: withUnknownScopes(findings, scopes, catalog).sort(byPriority) };
  }

  const held = new Set(scopes ?? []);
  for (const endpoint of found.endpoints) {
    const name = `${endpoint.method} ${endpoint.path}`;
    if (!endpoint.hasScopes) {
      findings.push({
        code: "no_published_scopes",
        message: `Atlassian publishes no OAuth scopes for ${name}, so no scope list is known to satisfy it.`,
        fix: "Use basic auth with an unscoped API token (or an app type the docs name) for this endpoint, or check its docs page.",
        details: { docsUrl: endpoint.docsUrl },
      });
    }
    const classicHeld = classicScopesRefused(endpoint, held);
    if (classicHeld.length > 0) {
      findings.push({
        code: "classic_not_supported",
        message: `Jira Software has no classic scopes: ${classicHeld.join(", ")} cannot authorize ${name}.`,
        fix: `Add the granular scopes it needs: ${endpoint.alternatives.map((alternative) => alternative.scopes.join(" + ")).join(" or ")}.`,
      });
    }
    if (input.status === 401 && endpoint.hasScopes && (scopes !== undefined || SCOPE_MISMATCH.test(body) || !onSite)) {
      if (scopes === undefined) {
        findings.push({
          code: "missing_scopes",
          message: `A 401${SCOPE_MISMATCH.test(body) ? ' with "scope does not match"' : ""} means the token lacks a scope ${name} needs. It needs one of: ${alternativesText(endpoint)}.`,
          fix: "Create a token with one of these sets (tokens' scopes cannot be changed), or send your token's scopes in `scopes` to get the exact missing ones.",
          details: {
            alternatives: endpoint.alternatives.map(({ kind, state, scopes: set }) => ({ kind, state, scopes: set })),
          },
        });
      } else {
        const check = checkEndpoint(endpoint, held);
        if (check.satisfied === false) {
          findings.push({
            code: "missing_scopes",
            message: `The token lacks ${check.missing.join(", ")} for ${name}.`,
            fix: `Create a token that also has ${check.missing.join(" + ")} (a token's scopes cannot be edited after creation).`,
            details: { missing: check.missing, alternatives: check.alternatives, hints: check.hints },
          });
        } else if (check.satisfied === true) {
          findings.push({
            code: "scopes_sufficient",
            message: `These scopes satisfy ${name} (via ${check.satisfiedBy?.scopes.join(" + ")}), so the 401 is not about scopes.`,
            fix: "Check the credentials themselves: a revoked or expired token, the wrong email for basic auth, or a site URL instead of the api.atlassian.com gateway.",
          });
        }
      }
    }
    // On a site URL a 403 says nothing about scopes: wrong_host comes first.
    if (input.status === 403 && !findings.some((finding) => finding.code === "wrong_host")) {
      findings.push({
        code: "scope_check_passed",
        message: `A 403 means the token's scopes were accepted for ${name}; the product's permissions refused the call. Scopes never override Jira or Confluence permissions.`,
        fix: "Grant the account (or service account) the product permission the operation needs, e.g. Browse projects or the project role, on that project or space.",
      });
    }
    const removal = endpoint.lifecycle?.find((change) => change.type === "removed");
    if (endpoint.deprecated || removal) {
      findings.push({
        code: "deprecated_endpoint",
        message: `${name} is ${endpoint.deprecated ? "deprecated" : "announced for removal"}${removal?.effective ? ` (removal effective ${removal.effective})` : ""}.`,
        fix: `Move to its replacement; see ${removal?.details ?? endpoint.docsUrl}.`,
      });
    }
  }
  return { endpoints: found.endpoints, findings: withUnknownScopes(findings, scopes, catalog).sort(byPriority) };
}

function withUnknownScopes(findings: Finding[], scopes: string[] | undefined, catalog: CatalogIndex): Finding[] {
  const unknown = unknownScopes(scopes ?? [], catalog);
  if (unknown.length > 0) {
    findings.push({
      code: "unknown_scopes",
      message: `The catalog does not know ${unknown.map((item) => item.scope).join(", ")}: a token cannot hold scopes that do not exist.`,
      fix: unknown
        .map((item) =>
          item.suggestions[0] ? `${item.scope} → ${item.suggestions[0]}?` : `${item.scope}: check the spelling`,
        )
        .join("; "),
      details: { unknownScopes: unknown },
    });
  }
  return findings;
}

function alternativesText(endpoint: Endpoint): string {
  return endpoint.alternatives
    .map((alternative) => `${alternative.scopes.join(" + ")} (${alternative.kind})`)
    .join(", or ");
}
