/** Plain-language notes that help read an endpoint's scopes, and notes about the request itself. No I/O. */
import { GATEWAY_PRODUCTS } from "./catalog-index";
import type { RequestPath } from "./request-path";
import type { Endpoint } from "./schema";

export function endpointNotes(endpoint: Endpoint): string[] {
  const notes: string[] = [];
  const kinds = new Set(endpoint.alternatives.map((alternative) => alternative.kind));
  if (!endpoint.hasScopes) {
    notes.push(
      "Atlassian's documents publish no OAuth scopes for this endpoint: no scope list is known to satisfy it.",
    );
  }
  if (endpoint.product === "jira-software" && endpoint.hasScopes) {
    notes.push("Jira Software has no classic scopes: a token needs the granular scopes listed.");
  }
  if (endpoint.product === "bitbucket" && kinds.has("classic") && kinds.has("granular")) {
    notes.push(
      "Classic scopes (`repository`, `pullrequest`) are for OAuth consumers; granular `...:bitbucket` scopes are for API tokens and Forge apps.",
    );
  }
  if (endpoint.alternatives.length > 1)
    notes.push("Any one set of scopes suffices; every scope in that set is needed.");
  if (endpoint.alternatives.some((alternative) => alternative.state === "Beta")) {
    notes.push("Atlassian marks the granular set as Beta for this endpoint.");
  }
  if (kinds.has("mixed")) notes.push("One set mixes classic and granular scopes, as Atlassian publishes it.");
  if (endpoint.emptyScopeList)
    notes.push("The document also lists OAuth 2.0 with an empty scope list for this endpoint.");
  if (endpoint.anonymous) notes.push("Anonymous access is allowed where the site permits it.");
  if (endpoint.deprecated) notes.push("Deprecated: prefer its replacement (see the docs link).");
  for (const change of endpoint.lifecycle ?? []) {
    if (change.type === "removed")
      notes.push(
        `Announced for removal${change.effective ? ` on ${change.effective}` : ""}${change.details ? ` (${change.details})` : ""}.`,
      );
  }
  if (endpoint.experimental) notes.push("Experimental: Atlassian may change it without notice.");
  return notes;
}

/** About the URL as given: scoped tokens must go through the api.atlassian.com gateway. */
export function requestNotes(request: RequestPath, products: readonly string[]): string[] {
  const notes: string[] = [];
  const onSite = request.host?.endsWith(".atlassian.net") === true;
  if (onSite && products.some((product) => product !== "bitbucket")) {
    const gateway = products.includes("confluence") ? "confluence" : "jira";
    notes.push(
      `Scoped API tokens (and service-account tokens) must call https://api.atlassian.com/ex/${gateway}/{cloudId}${request.path}, not ${request.host}; ` +
        `the cloudId is in https://${request.host}/_edge/tenant_info.`,
    );
  }
  const gateway = request.gateway;
  if (gateway && products.length > 0 && !products.some((product) => GATEWAY_PRODUCTS[gateway].includes(product))) {
    const right = products.includes("confluence") ? "confluence" : products.includes("bitbucket") ? undefined : "jira";
    notes.push(
      right
        ? `The /ex/${gateway}/ gateway does not serve ${products[0]}: call https://api.atlassian.com/ex/${right}/{cloudId}${request.path}.`
        : `The /ex/${gateway}/ gateway does not serve ${products[0]}: call https://api.bitbucket.org${request.path}.`,
    );
  }
  return notes;
}
