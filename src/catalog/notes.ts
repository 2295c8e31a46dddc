/** Plain-language notes that help read an endpoint's scopes, and notes about the request itself. No I/O. */
import type { BrowserMapping } from "./browser-urls";
import { GATEWAY_PRODUCTS } from "./catalog-index";
import { callersOf } from "./credentials";
import { editDistance } from "./nearest";
import type { Gateway, RequestPath } from "./request-path";
import type { Endpoint } from "./schema";

/**
 * `removalPassed`: the removal's date has passed, which the answer says itself (lookup.ts pastRemovalOf).
 * `today`: the request's date (YYYY-MM-DD), which says whether a deprecation or removal date is still
 * ahead; without it, the catalog's own date is the caller's to give, and the dates are told as past.
 */
export function endpointNotes(endpoint: Endpoint, options: { removalPassed?: boolean; today?: string } = {}): string[] {
  const notes: string[] = [];
  const kinds = new Set(endpoint.alternatives.map((alternative) => alternative.kind));
  // A curated record says itself what to know (src/catalog/curated.ts); no document is involved.
  if (endpoint.curated) notes.push(...endpoint.curated.notes);
  else if (!endpoint.hasScopes) {
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
  const lifecycle = endpoint.lifecycle ?? [];
  const deprecation = lifecycle.find((change) => change.type === "deprecated");
  if (endpoint.deprecated || deprecation) {
    const named = lifecycle.find((change) => change.replacement)?.replacement;
    const when = deprecation?.effective
      ? `${capitalized(lifecycleWhen(deprecation, options.today))}${sourceInParentheses(deprecation)}`
      : "Deprecated";
    notes.push(`${when}: prefer ${named ? `${named.method} ${named.path}` : "its replacement (see the docs link)"}.`);
  }
  for (const change of lifecycle) {
    if (change.type === "removed" && !options.removalPassed)
      notes.push(
        `${change.effective ? capitalized(lifecycleWhen(change, options.today)) : "Announced for removal"}${sourceInParentheses(change)}${change.replacement ? `: call ${change.replacement.method} ${change.replacement.path} instead` : ""}.`,
      );
  }
  if (endpoint.experimental) notes.push("Experimental: Atlassian may change it without notice.");
  return notes;
}

/**
 * A deprecation's or removal's date as of `today` (the request's date, YYYY-MM-DD): "to be deprecated on
 * 2026-11-01" while it is ahead, "deprecated since 2026-11-01" once it has come; "to be removed on",
 * "removed on". Without `today` the date is told as come. Dates compare as ISO strings.
 */
export function lifecycleWhen(change: { type: string; effective?: string }, today: string | undefined): string {
  const date = change.effective?.slice(0, 10) ?? "";
  const ahead = today !== undefined && date > today.slice(0, 10);
  if (change.type === "removed") return ahead ? `to be removed on ${date}` : `removed on ${date}`;
  return ahead ? `to be deprecated on ${date}` : `deprecated since ${date}`;
}

function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** " (announced for its v3 twin, <changelog link>)", or nothing. */
function sourceInParentheses(change: { details?: string; origin?: string }): string {
  const source = noticeSource(change);
  return source ? ` (${source.slice(2)})` : "";
}

/** ", per its v3 twin, <changelog link>": where a lifecycle entry comes from, for a note. */
function noticeSource(change: { details?: string; origin?: string }): string {
  const parts = [change.origin === "v3-twin" ? "announced for its v3 twin" : undefined, change.details].filter(Boolean);
  return parts.length > 0 ? `, ${parts.join(", ")}` : "";
}

/**
 * What is wrong with a URL as given, each with a stable code: API, listed in /openapi.json. Keep them,
 * add new ones. The answer still names the endpoint the URL most likely meant, and says so here.
 */
export const URL_NOTE_CODES = [
  "scoped_token_gateway",
  "missing_gateway_prefix",
  "missing_cloud_id",
  "site_as_cloud_id",
  "gateway_product_mismatch",
  "no_bitbucket_gateway",
  "missing_wiki_prefix",
  "missing_bitbucket_version",
  "host_typo",
  "not_atlassian_cloud",
  "browser_url",
  "forge_path",
  "connect_site_url",
  "api_version_latest",
  "v3_twin",
  "head_as_get",
  "path_case",
  "ref_name_slash",
] as const;
export type UrlNoteCode = (typeof URL_NOTE_CODES)[number];

export interface UrlNote {
  code: UrlNoteCode;
  message: string;
  /** The corrected URL (or, for a Forge app, the site-relative path) to call. */
  url?: string;
}

/**
 * Who makes the call, where it changes the advice. A Forge app calls product APIs with
 * requestJira/requestConfluence/requestBitbucket and a site-relative path, never through the /ex/ gateway
 * (https://developer.atlassian.com/platform/forge/apis-reference/fetch-api-product.requestconfluence/,
 * .../ui-api-bridge/requestJira, .../fetch-api-product.requestbitbucket/, seen 2026-12-05).
 */
export type CallContext = "forge" | "connect" | "oauth2-3lo";

/**
 * The call context a credential implies: a Forge app (`credential=forge`) calls product APIs with
 * requestJira/requestConfluence/requestBitbucket, so its notes never advise the /ex/ gateway; a Connect
 * app calls its site itself, signed with its JWT; a 3LO app's token goes through the gateway, with the
 * cloudId from accessible-resources. The one place that ties the two: `context=forge` is kept as an
 * alias of `credential=forge` (answers/lookup.ts).
 */
export function callContextOf(credential: string | undefined): CallContext | undefined {
  return credential === "forge" || credential === "connect" || credential === "oauth2-3lo" ? credential : undefined;
}

/**
 * A Connect app calls its site: the installation's `baseUrl`, "URL prefix for this Atlassian product
 * instance. All of its REST endpoints begin with this baseUrl." (the descriptor's lifecycle section,
 * https://developer.atlassian.com/cloud/jira/platform/connect-app-descriptor/#lifecycle, seen 2026-12-07
 * as quoted by confluence.js's Lifecycle model), signed with its JWT; it never goes through the gateway.
 */
const CONNECT_SITE = "https://{site}.atlassian.net";

/** A URL as read and what it matched: the input of urlNotes. */
export interface MatchedRequest {
  request: RequestPath;
  /** The path the match was made on (an implied `/wiki` or `/2.0`, or a browser link's REST path). */
  matchedAs?: string;
  browser?: BrowserMapping;
}

const GATEWAY_HOST = "api.atlassian.com";
const JIRA_FAMILY = GATEWAY_PRODUCTS.jira;
const PRODUCT_NAMES: Record<string, string> = {
  jira: "Jira",
  "jira-software": "Jira Software",
  "jira-service-management": "Jira Service Management",
  confluence: "Confluence",
};
const FORGE_CALL: Record<string, string> = {
  jira: "requestJira",
  "jira-software": "requestJira",
  "jira-service-management": "requestJira",
  confluence: "requestConfluence",
  bitbucket: "requestBitbucket",
};

/**
 * Notes about the URL as given: wrong or mistyped host, a missing or wrong gateway prefix, a missing
 * `/wiki` or `/2.0`, a browser link, and for a Forge app how it makes the call instead. `endpoints`
 * are what the URL matched (none when it matched nothing: only what the URL alone shows is said).
 */
export function urlNotes(
  matched: MatchedRequest,
  endpoints: readonly { product: string; path: string; method?: string }[],
  context?: CallContext,
): UrlNote[] {
  const { request, browser } = matched;
  const forge = context === "forge";
  // A bare path matched as given, the usual lookup: no note below applies, and no URL need be made.
  if (
    !request.host &&
    !request.gateway &&
    !request.missingCloudId &&
    !request.bitbucketGateway &&
    !browser &&
    !forge &&
    !matched.matchedAs
  )
    return [];
  const notes: UrlNote[] = [];
  const typo = request.host ? hostTypo(request.host, request.segments[0]) : undefined;
  const host = typo ?? request.host;
  // A v2 path read as its v3 twin (catalog-index.ts v3TwinSegments) is still called as given: Atlassian serves both.
  const version =
    matched.matchedAs?.startsWith("/rest/api/3/") && request.segments[1] === "api" ? request.segments[2] : undefined;
  const path = version === "2" ? request.path : (matched.matchedAs ?? request.path);
  const product = endpoints[0]?.product;
  // The site's host given as the cloudId (site_as_cloud_id) is no cloudId of any URL made here.
  const given = request.cloudId?.toLowerCase();
  const siteAsCloudId = given !== undefined && SITE_HOST.test(given) ? given : undefined;
  // A Connect app's call through the gateway to a product served on its site: the site's URL is its fix,
  // with the site's host when it was given where the cloudId goes.
  const connectOnGateway =
    context === "connect" &&
    product !== undefined &&
    servedOnSite(product) &&
    (request.gateway !== undefined || request.missingCloudId === true || host === GATEWAY_HOST);
  const where = {
    host,
    gateway: request.gateway,
    cloudId: siteAsCloudId ? undefined : request.cloudId,
    forge,
    ...(connectOnGateway ? { site: siteAsCloudId ? `https://${siteAsCloudId}` : CONNECT_SITE } : {}),
  };
  const fixed = urlFor(path, product, where);
  if (version === "latest")
    notes.push({
      code: "api_version_latest",
      message: `Atlassian's Jira documents publish /rest/api/2 and /rest/api/3, not /rest/api/latest; the v3 document calls version 3 "the latest version": read as ${path}. Call a numbered version: ${fixed}.`,
      url: fixed,
    });
  else if (version === "2")
    notes.push({
      code: "v3_twin",
      message: `The v2 document read here does not list ${path}; Atlassian's v3 document says versions 2 and 3 "offer the same collection of operations", so these are its v3 twin's scopes (${matched.matchedAs}).`,
    });

  if (typo) {
    notes.push({
      code: "host_typo",
      message: `${request.host === "bitbucket.org" ? "bitbucket.org serves Bitbucket's web pages, not its REST API" : `${request.host} is not an Atlassian host`}; read as ${typo}${product ? `: call ${fixed}` : ""}.`,
      url: product ? fixed : undefined,
    });
  }
  if (request.host && !typo && !isCloudHost(request.host)) {
    notes.push({
      code: "not_atlassian_cloud",
      // Jira Data Center's OAuth 2.0 scopes (https://confluence.atlassian.com/adminjiraserver0905/oauth-2-0-scopes-for-incoming-links-1207177171.html, seen 2026-12-07).
      message: `${request.host} is not an Atlassian Cloud host (those are <site>.atlassian.net, api.atlassian.com and api.bitbucket.org): the scopes here are Atlassian Cloud's. A Data Center or Server instance does not use them: its OAuth 2.0 incoming links have coarse scopes (Jira's READ, WRITE, ADMIN, SYSTEM_ADMIN), and personal access tokens and basic auth have none; its REST paths may still read like these.`,
    });
  }
  if (browser) {
    const template = endpoints[0]?.path ?? path;
    const method = endpoints.length === 1 ? (endpoints[0]?.method ?? browser.method) : browser.method;
    notes.push({
      code: "browser_url",
      message: `${browser.form} is a page in the browser, not a REST endpoint; the REST call that does the same job is ${method} ${template}: ${fixed}.${browser.advice ? ` ${browser.advice}` : ""}`,
      url: fixed,
    });
  }
  if (forge) {
    const call = product ? FORGE_CALL[product] : undefined;
    if (call && (request.host || request.gateway || request.missingCloudId || request.bitbucketGateway))
      notes.push({
        code: "forge_path",
        message: `A Forge app calls this with ${call}(route\`${path}\`): the path relative to the site, with no host and no gateway prefix (the api.atlassian.com gateway is for OAuth 2.0 and API tokens, not Forge).`,
        url: path,
      });
    return withoutRepeats(notes, request, browser, path, product, fixed);
  }
  if (connectOnGateway) {
    notes.push({
      code: "connect_site_url",
      message: `A Connect app calls its site, not the api.atlassian.com gateway: the \`baseUrl\` of its installation (https://<site>.atlassian.net) with this path, signed with its JWT; call ${fixed}. The gateway and its cloudId are for OAuth 2.0 (3LO) apps and API tokens with scopes.`,
      url: fixed,
    });
    return withoutRepeats(notes, request, browser, path, product, fixed);
  }

  const gateway = request.gateway;
  if (request.missingCloudId && gateway) {
    notes.push({
      code: "missing_cloud_id",
      message: `The gateway prefix is /ex/${gateway}/{cloudId}: the cloudId of the site is missing after /ex/${gateway}/. It is the "cloudId" in https://{your-site}.atlassian.net/_edge/tenant_info${product ? `; call ${fixed}` : ""}.`,
      url: product ? fixed : undefined,
    });
  }
  // A site's host where its cloudId goes. Other non-UUIDs (`<cloudId>`, `abc`) are left alone: placeholders
  // and redactions are how people ask and paste, not a mistake in the call.
  if (gateway && siteAsCloudId) {
    const url = product ? fixed : undefined;
    notes.push({
      code: "site_as_cloud_id",
      message: `${siteAsCloudId} is the site, not its cloudId: the gateway takes the site's cloudId, a UUID, the "cloudId" in https://${siteAsCloudId}/_edge/tenant_info${url ? `; call ${url} with it` : ""}.`,
      url,
    });
  }
  const servedByGateway = product !== undefined && servedOnSite(product);
  if (host === GATEWAY_HOST && !gateway && !request.missingCloudId && servedByGateway) {
    const right = gatewayOf(product);
    notes.push({
      code: "missing_gateway_prefix",
      message: `api.atlassian.com serves ${PRODUCT_NAMES[product] ?? product} REST APIs only under /ex/${right}/{cloudId}: call ${fixed}.`,
      url: fixed,
    });
  }
  if (
    gateway &&
    product !== undefined &&
    !endpoints.some(({ product: own }) => GATEWAY_PRODUCTS[gateway].includes(own))
  ) {
    notes.push({
      code: "gateway_product_mismatch",
      message: `The /ex/${gateway}/ gateway does not serve ${product}: call ${fixed}.`,
      url: fixed,
    });
  }
  if (request.bitbucketGateway) {
    const url = urlFor(path, "bitbucket", where);
    notes.push({
      code: "no_bitbucket_gateway",
      message: `api.atlassian.com has no /ex/bitbucket/ gateway: Bitbucket Cloud's REST API is served at https://api.bitbucket.org/2.0 (its OpenAPI document's server), for every credential; read as ${path}: call ${url}.`,
      url,
    });
  }
  const onSite = host?.endsWith(".atlassian.net") === true && host !== "api.atlassian.net";
  // Bitbucket is not on a site, and the curated platform records name their own server. A Connect app
  // calls its site itself: the gateway is not its way in.
  const siteProducts = onSite
    ? endpoints.filter((endpoint) => endpoint.product !== "bitbucket" && endpoint.product !== "platform")
    : [];
  if (siteProducts.length === 0) return withoutRepeats(notes, request, browser, path, product, fixed);
  // Who may call decides where the site URL goes: the gateway only for 3LO apps and scoped API tokens, and
  // only when the endpoint's document lets them call it (credentials.ts APP_ONLY).
  const callers = callersOf(siteProducts);
  const forgeCall = `${FORGE_CALL[siteProducts[0]!.product] ?? "requestJira"}(route\`${path}\`)`;
  const tokens = context === undefined && callers.has("scoped-api-token");
  const threeLo = (context === undefined || context === "oauth2-3lo") && callers.has("oauth2-3lo");
  if (tokens || threeLo) {
    const url = gatewayUrlFor(siteProducts, path);
    // Apps only (the webhooks: Connect and 3LO apps): the other apps that may call it keep the site URL.
    const otherApps = context === undefined && !tokens ? siteCallers(callers, fixed, forgeCall) : [];
    notes.push({
      code: "scoped_token_gateway",
      message: !tokens
        ? `OAuth 2.0 (3LO) access tokens must call ${url}, not ${host}; the cloudId is the site's \`id\` in GET https://api.atlassian.com/oauth/token/accessible-resources.${otherApps.length > 0 ? ` The document lets only apps call it: ${otherApps.join("; ")}.` : ""}`
        : `Scoped API tokens (and service-account tokens) must call ${url}, not ${host}; ${
            url.includes("{cloudId}")
              ? `the cloudId is in https://${host}/_edge/tenant_info.`
              : `the workspaceId is in GET https://${host}/rest/servicedeskapi/assets/workspace.`
          }`,
      url,
    });
  } else if (context === undefined && callers.has("forge")) {
    // Only Forge (and Connect) apps may call it: neither goes through the gateway.
    notes.push({
      code: "forge_path",
      message: `The document lets only ${callers.has("connect") ? "Forge and Connect apps call this, and neither goes" : "Forge apps call this, which do not go"} through the api.atlassian.com gateway: ${siteCallers(callers, fixed, forgeCall).join("; ")}.`,
      url: path,
    });
  }
  return withoutRepeats(notes, request, browser, path, product, fixed);
}

/** How the apps among `callers` that do not use the gateway call a site URL: Forge with its request function, Connect as given. */
function siteCallers(callers: ReadonlySet<string>, siteUrl: string, forgeCall: string): string[] {
  return [
    ...(callers.has("forge") ? [`a Forge app calls ${forgeCall}, the path relative to the site`] : []),
    ...(callers.has("connect") ? [`a Connect app calls ${siteUrl} as given, with its JWT`] : []),
  ];
}

/** The missing `/wiki` and `/2.0` notes, unless another note already gave the corrected URL for them. */
function withoutRepeats(
  notes: UrlNote[],
  request: RequestPath,
  browser: BrowserMapping | undefined,
  path: string,
  product: string | undefined,
  fixed: string,
): UrlNote[] {
  if (browser || path === request.path) return notes;
  // The Confluence gateway takes v1 paths without /wiki (`/ex/confluence/{cloudId}/rest/api/...`).
  const wikiImplied = request.gateway === "confluence" && request.segments[0] === "rest";
  if (product === "confluence" && path.startsWith("/wiki/") && !wikiImplied) {
    notes.unshift({
      code: "missing_wiki_prefix",
      message: `Confluence Cloud REST paths start with /wiki (${path}); read as that: call ${fixed}.`,
      url: fixed,
    });
  }
  if (product === "bitbucket" && path.startsWith("/2.0/")) {
    notes.unshift({
      code: "missing_bitbucket_version",
      message: `Bitbucket Cloud REST paths start with /2.0 (${path}); read as that: call ${fixed}.`,
      url: fixed,
    });
  }
  return notes;
}

/** The messages of urlNotes, for a request and the products it matched. */
export function requestNotes(request: RequestPath, products: readonly string[], context?: CallContext): string[] {
  return urlNotes(
    { request },
    products.map((product) => ({ product, path: request.path })),
    context,
  ).map((note) => note.message);
}

/**
 * The api.atlassian.com URL a site path is called at with a token: Assets at its own server
 * (https://api.atlassian.com/jsm/assets/workspace/{workspaceId}/v1, its document's), the others under
 * /ex/jira or /ex/confluence with the site's cloudId.
 */
export function gatewayUrlFor(endpoints: readonly { product: string }[], path: string): string {
  const product = endpoints.every((endpoint) => endpoint.product === "assets")
    ? "assets"
    : endpoints.some((endpoint) => endpoint.product === "confluence")
      ? "confluence"
      : "jira";
  return urlFor(path, product, { host: GATEWAY_HOST, forge: false });
}

/** Jira's products and Confluence: served on a site and, for tokens, under the /ex/ gateway (not Assets, Bitbucket or the platform's). */
function servedOnSite(product: string): boolean {
  return JIRA_FAMILY.includes(product) || product === "confluence";
}

function gatewayOf(product: string | undefined): Gateway {
  return product === "confluence" ? "confluence" : "jira";
}

/** The URL to call for a path of a product, from where the user called it. */
function urlFor(
  path: string,
  product: string | undefined,
  where: { host?: string; gateway?: Gateway; cloudId?: string; forge: boolean; site?: string },
): string {
  if (where.forge) return path;
  if (where.site && product !== "bitbucket") return `${where.site}${path}`;
  if (product === "bitbucket") return `https://api.bitbucket.org${path}`;
  const host = where.host;
  if (!host && !where.gateway) return path;
  if (where.gateway || host === GATEWAY_HOST || host === "api.atlassian.net") {
    if (product === "assets") return `https://${GATEWAY_HOST}${path}`;
    return `https://${GATEWAY_HOST}/ex/${gatewayOf(product)}/${where.cloudId ?? "{cloudId}"}${path}`;
  }
  return `https://${host}${path}`;
}

/** A site's host (`acme.atlassian.net`, `acme.jira.com`), which some put where the gateway's cloudId goes. */
const SITE_HOST = /^[a-z0-9-]+\.(atlassian\.net|jira\.com)$/;

const KNOWN_DOMAINS = ["atlassian.net", "atlassian.com", "bitbucket.org"];

/**
 * Hosts of Atlassian Cloud: its sites, the gateway, Bitbucket Cloud, and the jira.com domain of sites
 * from before atlassian.net (which redirect there). Anything else is a self-managed instance or not Atlassian.
 */
function isCloudHost(host: string): boolean {
  return [...KNOWN_DOMAINS, "jira.com"].some((domain) => host === domain || host.endsWith(`.${domain}`));
}
/** atlassian.com hosts that are real (docs, accounts, Atlassian's own Jira), not a site's `.atlassian.net` mistyped. */
const ATLASSIAN_COM_HOSTS = new Set([
  "api",
  "www",
  "developer",
  "id",
  "admin",
  "auth",
  "support",
  "community",
  "jira",
  "confluence",
  "status",
  "start",
  "marketplace",
  "docs",
  "go",
  "ecosystem",
]);

/**
 * The host a mistyped one most likely meant: `api.atlassian.net` (the gateway is api.atlassian.com),
 * `acme.atlassian.com` (sites are *.atlassian.net), `acme.atlasian.net`, `api.bitbucket.com`, and
 * `bitbucket.org` given an API path (the API is api.bitbucket.org). Undefined when the host is fine or unknown.
 */
export function hostTypo(host: string, firstSegment?: string): string | undefined {
  const labels = host.split(".");
  if (labels.length < 2) return undefined;
  const sub = labels.slice(0, -2);
  const domain = labels.slice(-2).join(".");
  if (host === "api.atlassian.net") return GATEWAY_HOST;
  if (host === "bitbucket.org" && firstSegment === "2.0") return "api.bitbucket.org";
  if (domain === "bitbucket.com") return "api.bitbucket.org";
  if (domain === "atlassian.com" && sub.length === 1 && !ATLASSIAN_COM_HOSTS.has(sub[0]!))
    return `${sub[0]}.atlassian.net`;
  if (KNOWN_DOMAINS.includes(domain) || sub.length === 0) return undefined;
  // Only the domain is compared: `acme.atlasian.net`, `acme.atlassian.nte`; two edits at most.
  for (const known of KNOWN_DOMAINS) {
    if (editDistance(domain, known, 2) <= 2) {
      const fixed = [...sub, known].join(".");
      return hostTypo(fixed, firstSegment) ?? fixed;
    }
  }
  return undefined;
}
