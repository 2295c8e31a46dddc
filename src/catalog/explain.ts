/**
 * Why did my call fail? A request as the user made it (method, URL, status, body, scopes) in, an
 * ordered list of findings out, each with a stable code, a plain-language message and the fix. Every
 * finding that applies is reported together, and none contradicts another: the scope check is worked
 * out once per endpoint and every finding about scopes follows from it. No I/O.
 */
import { readErrorBody, type ErrorBody } from "./atlassian-error-body";
import type { CatalogIndex } from "./catalog-index";
import {
  appOnlyNote,
  appOnlyOf,
  addScopesFix,
  callersOf,
  type CredentialKind,
  CREDENTIAL_KINDS,
  connectScopesImplying,
  credentialFor,
  judgeAlternative,
  judgeEndpoint,
  ONE_APP_TOKEN,
} from "./credentials";
import {
  checkEndpoint,
  classicScopesRefused,
  type EndpointCheck,
  isKnownScope,
  type KnownScope,
  deprecatedScopes,
  deprecatedScopeText,
  outsideScopes,
  unknownScopes,
} from "./diff";
import { needsNoScope } from "./curated";
import { impliedBy } from "./implied-scopes";
import { lookupEndpoints, pastRemovalOf, type RemovedView, removedSentence } from "./lookup";
import { seenGone } from "./removed-endpoints";
import { callContextOf, gatewayUrlFor, lifecycleWhen, type UrlNote } from "./notes";
import { parseRequestPath } from "./request-path";
import type { Endpoint } from "./schema";

/** Most important first: the order findings are reported in. */
export const FINDING_CODES = [
  "not_an_error",
  "wrong_host",
  // The URL as given (notes.ts urlNotes): the endpoint meant is explained, and the URL corrected.
  "host_typo",
  "not_atlassian_cloud",
  // A Connect app's call through the gateway: its site's URL instead (notes.ts urlNotes).
  "connect_site_url",
  "missing_cloud_id",
  "site_as_cloud_id",
  "missing_gateway_prefix",
  "gateway_product_mismatch",
  "no_bitbucket_gateway",
  "browser_url",
  "missing_wiki_prefix",
  "missing_bitbucket_version",
  "api_version_latest",
  "endpoint_unknown",
  "endpoint_removed",
  "password_not_accepted",
  "credential_cannot_call",
  "app_only_endpoint",
  // A Forge app's call, with the site-relative path to give requestJira/...: after what no path fixes.
  "forge_path",
  "missing_scopes",
  "classic_not_supported",
  "listed_scopes_not_held",
  "scopes_sufficient",
  "scope_check_passed",
  "connect_authentication",
  "no_product_access",
  "resource_not_visible",
  "request_rejected",
  "rate_limited",
  "atlassian_server_error",
  "unknown_scopes",
  "deprecated_scopes",
  "scopes_outside_catalog",
  "mixed_credential_scopes",
  "no_published_scopes",
  "deprecated_endpoint",
  "v3_twin",
  "head_as_get",
  "path_case",
  "ref_name_slash",
] as const;

export type FindingCode = (typeof FINDING_CODES)[number];

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
  /** The kind of credential that made the call; inferred from the held scopes when they point to one. */
  credential?: CredentialKind;
}

export interface Explanation {
  endpoints: Endpoint[];
  findings: Finding[];
  /** The credential the scopes were checked for: as given, or inferred (with why). */
  credential?: { kind: CredentialKind; inferred: boolean; reason?: string };
}

const byPriority = (a: Finding, b: Finding) => FINDING_CODES.indexOf(a.code) - FINDING_CODES.indexOf(b.code);

/** Why a token may not hold the scopes its owner lists, by credential (TOKEN_SCOPES_UNREADABLE for the others). */
const WHY_NOT_HELD: Partial<Record<CredentialKind, string>> = {
  "oauth2-3lo":
    "An access token holds the scopes the user consented to (the token response's `scope` field lists them), which may be fewer than the app asks for now.",
  forge: "An installation holds the scopes the app had when it was installed or last upgraded on the site.",
};
const TOKEN_SCOPES_UNREADABLE =
  "A token's scopes cannot be read back, so the list may not be this token's (another token sent, a scope left out when it was made), or the token was made for another app (a Confluence token calling Jira).";

/** What a Connect app's 401 comes down to: how it signs its requests to the site. */
const CONNECT_JWT_FIX =
  "Check the app's JWT: signed with the shared secret of this site's installation, unexpired, with a qsh claim computed from this method, path and query; and that the app is installed on this site.";

const OUTWEIGHED_BY_REMOVAL: ReadonlySet<string> = new Set([
  "deprecated_endpoint",
  "missing_scopes",
  "listed_scopes_not_held",
  "scopes_sufficient",
  "scope_check_passed",
]);

/** What one explanation knows about the call, worked out once. */
interface Call {
  input: ExplainInput;
  body: ErrorBody;
  host: string | undefined;
  onSite: boolean;
  /** The scopes the token holds: as sent, else as Bitbucket's 403 reports them (`detail.granted`). */
  held: Set<string> | undefined;
  heldFrom: "input" | "error body" | undefined;
  credential: CredentialKind | undefined;
  /** The credential was inferred from the scopes, not given: advice about how it is sent would be a guess. */
  credentialInferred: boolean;
  isKnown: KnownScope;
  /** The request's date (YYYY-MM-DD), for telling lifecycle dates as ahead or past. */
  today: string;
  /** An endpoint's removal whose date has passed (against the request's date), with the replacement recorded for it. */
  pastRemoval: (endpoint: Endpoint) => RemovedView | undefined;
}

/** `today`: the request's date (YYYY-MM-DD): a deprecation or removal date after it is told as ahead. */
export function explainFailure(
  input: ExplainInput,
  catalog: CatalogIndex,
  options: { today?: string } = {},
): Explanation {
  const findings: Finding[] = [];
  const body = readErrorBody(input.body);
  const heldScopes = input.scopes ?? body.granted;
  const { credential, warnings } = heldScopes
    ? credentialFor(heldScopes, input.credential)
    : { credential: input.credential ? { kind: input.credential, inferred: false } : undefined, warnings: [] };
  // A Forge app calls with requestJira/..., a Connect app (given, or Connect scopes only) its site: their
  // URL notes never advise the /ex/ gateway.
  const context = callContextOf(credential?.kind);
  const found = lookupEndpoints(catalog, input.url, input.method, { context });
  const request = found.ok ? found.request : undefined;
  const host = request?.host ?? /^[a-z]+:\/\/([^/?#]+)/i.exec(input.url.trim())?.[1]?.toLowerCase();
  // Without the request's date (a hand-built call), the catalog's.
  const today = options.today ?? catalog.scrapedAt.slice(0, 10);
  const call: Call = {
    input,
    body,
    host,
    onSite: host?.endsWith(".atlassian.net") === true,
    held: heldScopes ? new Set(heldScopes) : undefined,
    heldFrom: input.scopes ? "input" : body.granted ? "error body" : undefined,
    credential: credential?.kind,
    credentialInferred: credential?.inferred === true,
    isKnown: (scope) => isKnownScope(scope, catalog),
    today,
    pastRemoval: (endpoint) => pastRemovalOf(catalog, endpoint, today),
  };
  const { status } = input;
  // One finding: the mismatch with the credential given (last) when there is one, else the mixed kinds.
  const warning = warnings.at(-1);
  if (warning)
    findings.push({
      code: "mixed_credential_scopes",
      message: warning,
      fix: warning.startsWith(ONE_APP_TOKEN)
        ? "Send the scopes of the token that made the call: those of the one app it was made for."
        : "A credential holds one kind: Bitbucket OAuth consumers and access tokens hold Bitbucket's classic scopes, Bitbucket API tokens and Forge apps its `*:bitbucket` scopes, Connect apps Connect scopes. Send the scopes of the credential that made the call.",
    });

  if (status >= 200 && status < 400) {
    findings.push({
      code: "not_an_error",
      message: `A ${status} is not a failure: the call went through.`,
      fix: "Nothing to fix.",
    });
  }
  const endpoints = found.ok ? found.endpoints : [];
  const wrongHost =
    context === "forge"
      ? undefined
      : wrongHostFinding(
          call,
          endpoints,
          found.ok ? (found.matchedAs ?? found.request.path) : undefined,
          found.ok ? found.request.path : ((found.details?.template ?? found.details?.path) as string | undefined),
        );
  if (wrongHost) findings.push(wrongHost);
  const notes = found.ok ? found.urlNotes : ((found.details?.urlNotes as UrlNote[] | undefined) ?? []);
  const urlFound = urlFindings(notes, context === "forge" ? undefined : callersOf(endpoints));
  findings.push(...urlFound);
  if (body.passwordRefused) {
    findings.push({
      code: "password_not_accepted",
      message: "Atlassian Cloud no longer accepts an account password for basic auth.",
      fix: "Send your email with an API token instead of the password (basic auth), or use OAuth 2.0. Create API tokens at https://id.atlassian.com/manage-profile/security/api-tokens.",
    });
  }
  const removed = removedFinding(call, endpoints, catalog, found);
  if (removed) findings.push(removed);

  if (!found.ok) {
    // A 410 already says the endpoint is gone; "unknown" would only repeat it less precisely. A call to
    // an endpoint the catalog knows as removed that went through (some site URLs still answer) is no error.
    if (!removed && found.code !== "endpoint_removed") findings.push(unknownEndpointFinding(found, input.method));
  } else {
    // On a host that is not Atlassian Cloud's, Cloud's scopes decide nothing: no scope finding beside that note.
    const offCloud = urlFound.some((finding) => finding.code === "not_atlassian_cloud");
    if (!offCloud) for (const endpoint of endpoints) findings.push(...endpointFindings(call, endpoint));
  }
  // endpoint_removed already says it is gone: "deprecated" beside it would say less, and no scope
  // finding can hold beside "no scope or credential makes it answer again".
  if (removed)
    findings.splice(0, findings.length, ...findings.filter((finding) => !OUTWEIGHED_BY_REMOVAL.has(finding.code)));
  // On a site URL the host explains the status (Jira's 404 and 400 there are the gateway symptom).
  // Likewise a URL that is itself wrong explains a 404 or a 400: the call never reached the endpoint as meant.
  // Notes that say how the URL was read, not that it is wrong, explain no status.
  // A forge_path without a Forge credential says how the apps the document names call it: no mistake in the URL.
  const urlExplains =
    urlFound.some(
      (finding) =>
        finding.code !== "v3_twin" &&
        finding.code !== "not_atlassian_cloud" &&
        // HEAD read as GET is how the call was read, not a mistake: a HEAD's 404 is its resource's.
        finding.code !== "head_as_get" &&
        (finding.code !== "forge_path" || context === "forge"),
    ) &&
    status >= 400 &&
    status < 500 &&
    ![401, 403, 429].includes(status);
  // A removed endpoint's 400 or 404 is not about its parameters or ids: endpoint_removed says why it fails.
  const aboutRequest = new Set(["request_rejected", "resource_not_visible"]);
  // A wrong_host that is only a guess (no scopes, no gateway text) leaves the status's own reading standing.
  if ((!wrongHost || wrongHost.details?.hedged) && !urlExplains)
    findings.push(
      ...statusFindings(call, endpoints, found.ok).filter((finding) => !(removed && aboutRequest.has(finding.code))),
    );
  // How a Forge or Connect app makes a call it cannot make at all is no help beside credential_cannot_call.
  if (findings.some((finding) => finding.code === "credential_cannot_call") && endpoints.length === 1)
    findings.splice(
      0,
      findings.length,
      ...findings.filter((finding) => finding.code !== "forge_path" && finding.code !== "connect_site_url"),
    );
  return {
    endpoints,
    findings: withUnknownScopes(findings, input.scopes, catalog).sort(byPriority),
    ...(credential ? { credential } : {}),
  };
}

/**
 * The URL's own mistakes, as GET /scopes notes them. The site-versus-gateway note is wrong_host's (which
 * weighs the status and body). For a Forge app (credential=forge), forge_path is the URL's finding: the
 * site-relative path for requestJira/requestConfluence/requestBitbucket, never the gateway.
 */
function urlFindings(notes: readonly UrlNote[], callers?: ReadonlySet<CredentialKind>): Finding[] {
  return notes.flatMap((note): Finding[] => {
    if (note.code === "scoped_token_gateway") return [];
    // Without credential=forge, forge_path tells how the apps the document names call it (urlNotes).
    const connectToo = callers?.has("connect") ? "; from a Connect app, call the site URL as given, with its JWT" : "";
    return [
      {
        code: note.code,
        message: note.message,
        fix:
          note.code === "forge_path"
            ? `Call it from ${callers ? "a Forge app" : "the app"} with the site-relative path ${note.url}, through the product's request function${connectToo}.`
            : note.code === "v3_twin"
              ? "Nothing to change in the URL: Atlassian serves it; its scopes are its v3 twin's."
              : note.code === "head_as_get"
                ? "Nothing to change: a token that may make the GET may make the HEAD (inferred from HTTP, not stated by Atlassian)."
                : note.code === "not_atlassian_cloud"
                  ? "For a Data Center or Server instance, check the account's permissions and the token (a personal access token, basic auth, or its own OAuth 2.0 link's scopes): Atlassian Cloud's scopes do not apply. For Atlassian Cloud, call the site's <site>.atlassian.net URL or the api.atlassian.com gateway."
                  : note.url
                    ? `Call ${note.url}.`
                    : "Correct the URL as the message says.",
        ...(note.url ? { details: { url: note.url } } : {}),
      },
    ];
  });
}

/** `path`: the matched endpoint's, for the gateway URL; `given`: the URL's, whatever it matched. */
function wrongHostFinding(
  call: Call,
  endpoints: readonly Endpoint[],
  path: string | undefined,
  given: string | undefined,
): Finding | undefined {
  const { status } = call.input;
  const scoped = call.input.scopes !== undefined || call.body.scopeMismatch;
  // With a site URL, scoped tokens get 401s, "Issue does not exist or you do not have permission to see
  // it." or "Failed to parse Connect Session Auth Token" (community thread 3089340).
  const siteSymptom = call.body.notVisible || call.body.connectSession;
  // A Connect app calls the site itself, signed with its JWT: the gateway is not its way in. A password
  // refused is its own finding, and a credential that cannot call the endpoint at all gets nothing from the gateway.
  if (call.credential === "connect" || call.body.passwordRefused) return undefined;
  const credential = call.credential;
  if (credential && endpoints.length > 0 && endpoints.every((endpoint) => !judgeEndpoint(credential, endpoint).usable))
    return undefined;
  if (!call.onSite || status < 400 || !(status === 401 || siteSymptom || scoped)) return undefined;
  // A path the catalog does not match (removed, mistyped) is Confluence's by its /wiki prefix.
  const target = gatewayUrlFor(
    endpoints.length > 0 ? endpoints : [{ product: /^\/wiki(\/|$)/.test(given ?? "") ? "confluence" : "jira" }],
    path ?? "/...",
  );
  const needs = endpoints.find((endpoint) => endpoint.alternatives.length > 0);
  // Without a credential, who may call (the document's words, credentials.ts APP_ONLY) says which token
  // went to the site: the gateway is for scoped API tokens and 3LO apps only; Forge and Connect apps never use it.
  const callers = credential || endpoints.length === 0 ? undefined : callersOf(endpoints);
  if (callers && !callers.has("scoped-api-token") && !callers.has("oauth2-3lo")) return undefined;
  const appsOnly = callers !== undefined && !callers.has("scoped-api-token");
  const threeLo = call.credential === "oauth2-3lo" || appsOnly;
  // Without scopes or the gateway's words, a token is one reading of the status among others.
  const hedged = call.credential !== "oauth2-3lo" && !scoped && !call.body.connectSession;
  const tokens = threeLo
    ? hedged
      ? "If this is an OAuth 2.0 (3LO) access token: such tokens"
      : "OAuth 2.0 (3LO) access tokens"
    : scoped
      ? "Scoped API tokens"
      : "If this is a scoped API token or a service-account token: such tokens";
  const cloudId = threeLo
    ? "Your cloudId is the site's `id` in GET https://api.atlassian.com/oauth/token/accessible-resources."
    : target.includes("{cloudId}")
      ? `Your cloudId is the "cloudId" in https://${call.host}/_edge/tenant_info.`
      : "";
  // Basic auth is no app: an endpoint only apps may call refuses it whatever the host (app_only_endpoint).
  const otherwise =
    hedged && status === 401 && !appsOnly
      ? " Otherwise, with basic auth (your email and an API token without scopes): check that the token is not revoked or expired and belongs to the account whose email is sent."
      : "";
  return {
    code: "wrong_host",
    message: `${tokens} are not accepted on ${call.host}; they only work through Atlassian's API gateway.`,
    fix: `Call ${target} with the same credentials.${cloudId ? ` ${cloudId}` : ""}${needs ? ` There the token needs one of: ${alternativesText(needs)}.` : ""}${otherwise}`,
    details: {
      gatewayUrl: target,
      tenantInfo: `https://${call.host}/_edge/tenant_info`,
      ...(hedged ? { hedged: true } : {}),
    },
  };
}

/**
 * The endpoint is gone: Atlassian's 410 (or its removal text) says so, or the catalog knows it as removed
 * (a curated removal or a scraped tombstone: lookups answer endpoint_removed), whatever the status of a
 * failed call. The replacement Atlassian's message names comes first, else the catalog's.
 */
function removedFinding(
  call: Call,
  endpoints: readonly Endpoint[],
  catalog: CatalogIndex,
  found: ReturnType<typeof lookupEndpoints>,
): Finding | undefined {
  const { status } = call.input;
  const announced = endpoints.find((endpoint) => endpoint.lifecycle?.some((change) => change.type === "removed"));
  const known = !found.ok && found.code === "endpoint_removed" ? found : undefined;
  // Still in the documents, but its removal date has passed (the request's date): removed as well, once
  // calls to it have been seen to answer 410 (else deprecated_endpoint says the removal is announced, and
  // the scope findings stand: the endpoint may still answer).
  const past = endpoints
    .map((endpoint) => call.pastRemoval(endpoint))
    .find((view) => view !== undefined && (status === 410 || call.body.removed || seenGone(view)));
  if (status !== 410 && !call.body.removed && !((known || past) && status >= 400)) return undefined;
  const views = (known?.details?.removed as RemovedView[] | undefined) ?? (past ? [past] : []);
  const replacementPath = call.body.replacementPath;
  const named = replacementPath ? lookupEndpoints(catalog, replacementPath, call.input.method) : undefined;
  const pastReplacement = past?.replacement && catalog.endpointAt(past.replacement.method, past.replacement.path);
  const replacements = named?.ok
    ? named.endpoints
    : known
      ? (known.replacements ?? []).map((item) => item.endpoint)
      : pastReplacement
        ? [pastReplacement]
        : [];
  const name = `${call.input.method.toUpperCase()} ${endpoints[0]?.path ?? views[0]?.path ?? pathOf(call.input.url)}`;
  const removal = announced?.lifecycle?.find((change) => change.type === "removed");
  const view = views[0];
  const when = removal?.effective
    ? ` (effective ${removal.effective})`
    : view?.source.kind === "curated"
      ? ` (on ${view.removedAt.slice(0, 10)}: Confluence REST API v1 deprecation, CHANGE-864 / RFC-19)`
      : view
        ? ` (gone from its REST documents since catalog version ${view.removedIn}, ${view.removedAt.slice(0, 10)}${view.announced?.effective ? `; its last document announced the removal for ${view.announced.effective}` : ""})`
        : "";
  const note = !named?.ok && view?.replacement?.note ? ` ${view.replacement.note}` : "";
  return {
    code: "endpoint_removed",
    message: `Atlassian has removed ${name}${when}: no scope or credential makes it answer again${status === 410 ? "" : `, whatever the ${status} says`}.`,
    fix:
      replacements.length > 0
        ? `Move to ${replacements.map((endpoint) => `${endpoint.method} ${endpoint.path}`).join(" or ")}; it needs ${alternativesText(replacements[0] as Endpoint)}.${note}`
        : replacementPath
          ? `Move to ${replacementPath}, as Atlassian's message says.`
          : view
            ? removedSentence(view)
            : `Move to its replacement; see ${removal?.details ?? announced?.docsUrl ?? "Atlassian's changelog, https://developer.atlassian.com/changelog/"}.`,
    details: {
      ...(replacementPath ? { replacementPath } : {}),
      ...(replacements.length > 0
        ? {
            replacements: replacements.map((endpoint) => ({
              method: endpoint.method,
              path: endpoint.path,
              docsUrl: endpoint.docsUrl,
              alternatives: endpoint.alternatives.map(({ kind, state, scopes }) => ({ kind, state, scopes })),
            })),
          }
        : {}),
      ...(views.length > 0 ? { removed: views } : {}),
      ...(call.body.messages.length > 0 ? { atlassianMessage: call.body.messages[0] } : {}),
    },
  };
}

function unknownEndpointFinding(
  found: Extract<ReturnType<typeof lookupEndpoints>, { ok: false }>,
  method: string,
): Finding {
  const details = found.details ?? {};
  return {
    code: "endpoint_unknown",
    message:
      found.code !== "endpoint_not_found" && found.code !== "method_not_found"
        ? found.message
        : `The catalog has no ${method.toUpperCase()} endpoint at this path: ${found.message}`,
    fix:
      found.code === "method_not_found"
        ? `Use one of the methods the endpoint takes: ${String((details.methods as string[] | undefined)?.join(", "))}.`
        : found.code === "outside_catalog"
          ? `Check the call against that API's own docs: ${String(details.docsUrl)}`
          : found.code === "endpoint_not_found"
            ? "Check the path against the nearest known endpoints (details.suggestions) and Atlassian's REST docs."
            : "Send the method and URL exactly as the failed call used them.",
    details,
  };
}

/** Scope findings for one endpoint, all from one check so they cannot disagree. */
function endpointFindings(call: Call, endpoint: Endpoint): Finding[] {
  const findings: Finding[] = [];
  const { status } = call.input;
  const name = `${endpoint.method} ${endpoint.path}`;
  const check = call.held ? checkEndpoint(endpoint, call.held, call.credential, call.isKnown) : undefined;
  const classicHeld = call.held ? classicScopesRefused(endpoint, call.held, call.isKnown) : [];
  const bitbucket = endpoint.product === "bitbucket";
  // Where the status or body says "scopes": the gateway's 401, Bitbucket's 401 and its 403 for scopes.
  const aboutScopes =
    status === 401 || call.body.scopeMismatch || call.body.privilegeScopes || (bitbucket && status === 403);

  if (!endpoint.hasScopes && !needsNoScope(endpoint)) {
    // Past its removal date, no credential is the fix: an unscoped token would only reach the 410 sooner.
    const due = call.pastRemoval(endpoint);
    findings.push({
      code: "no_published_scopes",
      message: `Atlassian publishes no OAuth scopes for ${name}, so no scope list is known to satisfy it.`,
      fix: due
        ? `Its removal took effect on ${due.removedAt}, so no credential will make it answer: move to ${due.replacement ? `${due.replacement.method} ${due.replacement.path}` : "its replacement"} (see deprecated_endpoint).`
        : "Use basic auth with an unscoped API token (or an app type the docs name) for this endpoint, or check its docs page.",
      details: { docsUrl: endpoint.docsUrl },
    });
  }
  if (classicHeld.length > 0) {
    findings.push({
      code: "classic_not_supported",
      message: `Jira Software has no classic scopes: ${classicHeld.join(", ")} cannot authorize ${name}.`,
      fix: `Add the granular scopes it needs: ${endpoint.alternatives.map((alternative) => alternative.scopes.join(" + ")).join(" or ")}.`,
    });
  }
  // Without scopes to check, a 401 or 403 from a credential the endpoint refuses (the document names the
  // apps that may call it) is that refusal, before any reading of the status.
  const blocked =
    check === undefined && call.credential && (status === 401 || status === 403)
      ? judgeEndpoint(call.credential, endpoint)
      : undefined;
  const cannotCall = check?.unusable ?? (blocked && !blocked.usable ? blocked.why : undefined);
  if (cannotCall) {
    // The document names the apps that may call it: no scope helps, another kind of app does.
    const only = appOnlyOf(endpoint);
    const appsOnly = only && call.credential && !only.allows.includes(call.credential) ? only : undefined;
    const sole = appsOnly ? undefined : soleCredential(endpoint);
    findings.push({
      code: "credential_cannot_call",
      message: `With credential \`${call.credential}\`, ${name} cannot be called: ${cannotCall}`,
      fix: appsOnly
        ? `Make the call from a kind of app the document names (\`credential\`: ${appsOnly.allows.join(", ")}): no scope lets \`${call.credential}\` call it.`
        : sole
          ? `Call it with credential \`${sole}\`, the only kind that can.`
          : "Call it with a credential that can hold one of its scope sets (GET /scopes with `credential` marks which sets each kind can hold).",
      details: { credential: call.credential, ...(check ? { alternatives: check.alternatives } : {}) },
    });
  }
  // Without a credential, the document's words on who may call it: any other kind gets this status whatever its scopes.
  const only = !call.credential && (status === 401 || status === 403) ? appOnlyOf(endpoint) : undefined;
  if (only)
    findings.push({
      code: "app_only_endpoint",
      message: `${appOnlyNote(only)} A call from any other kind of credential (a scoped API token, a service account${only.allows.includes("forge") ? "" : ", a Forge app"}${only.allows.includes("oauth2-3lo") ? "" : ", a 3LO app"}) is refused whatever its scopes.`,
      fix: `If the call came from another kind, make it from one the document names (\`credential\`: ${only.allows.join(", ")}); otherwise give \`credential\` for that kind's reading.`,
      details: { allows: only.allows },
    });
  // Jira's or Confluence's own refusal through the gateway ("You do not have permission to create issues
  // in this project."): the call passed the gateway's scope check, whatever the scopes listed say.
  // A Connect app's 403 can be its missing Connect scope, and a Forge app's call does not pass the gateway.
  const productRefused =
    status === 403 &&
    !bitbucket &&
    call.host === "api.atlassian.com" &&
    call.credential !== "connect" &&
    call.credential !== "forge" &&
    call.body.productRefusal &&
    !call.body.noProductAccess &&
    classicHeld.length === 0;
  // The same refusal on the site URL, where a token with scopes gets 401: basic auth got through, and
  // Jira's or Confluence's permissions refused the call. A Connect app calls its site: its 403 is judged below.
  // Basic auth: no credential kind given (each kind names a token or app that a site URL refuses with 401).
  const siteRefused =
    call.input.scopes === undefined &&
    call.credential === undefined &&
    status === 403 &&
    !bitbucket &&
    call.onSite &&
    call.body.productRefusal &&
    !call.body.noProductAccess;
  // Only where the call can have failed on scopes: a 400 or 404 got past the scope check.
  if (cannotCall) {
    // Nothing to add: no scope fixes it for this credential.
  } else if (onIdentityApi(endpoint) && status === 403 && check?.satisfied !== false) {
    findings.push(identityForbidden(name, endpoint, check, call.credential));
  } else if (productRefused && endpoint.hasScopes && check?.satisfied === false) {
    findings.push({
      code: "scope_check_passed",
      message: `${productName(endpoint)}'s own 403 means the call passed the scope check for ${name}: the token that made it holds scopes the endpoint accepts, so the scopes listed, which lack ${check.missing.join(", ")}, are not all of that token's. The product's permissions refused the call.`,
      fix: "Grant the account (or service account) the product permission the operation needs, e.g. Browse projects or the project role, on that project or space; and check which token the call sends.",
      details: { listedMissing: check.missing },
    });
  } else if (siteRefused) {
    findings.push({
      code: "scope_check_passed",
      message: `${productName(endpoint)}'s own 403 on the site URL means the call to ${name} was authenticated (basic auth: a token with scopes gets 401 there) and ${productName(endpoint)}'s permissions refused it; scopes play no part here.${saidBy(call)}`,
      fix: "Grant the account the product permission the operation needs, e.g. Browse projects or the project role, on that project or space: an API token without scopes can do what its account can.",
    });
  } else if ((aboutScopes || status === 403) && endpoint.hasScopes && check?.satisfied === false) {
    findings.push(missingFromCheck(call, name, endpoint, check));
  } else if (check === undefined && call.credential === "connect" && status === 403 && !bitbucket) {
    // No descriptor scopes sent: the 403 is the missing Connect scope or the permissions of the app's user.
    if (endpoint.connectScope && endpoint.connectScope.toUpperCase() !== "NONE")
      findings.push(connectForbidden(name, endpoint.connectScope.toUpperCase(), endpoint.product));
  } else if (endpoint.hasScopes && check === undefined && aboutScopes) {
    if (status === 401 && call.credential === "connect" && !call.body.scopeMismatch) {
      findings.push({
        code: "connect_authentication",
        message: `A Connect app's 401 on ${name} means the request was not authenticated as the app: its JWT, not a scope (a Connect app lacking a Connect scope gets 403).`,
        fix: CONNECT_JWT_FIX,
      });
    } else if (status === 401 && call.onSite && !call.body.scopeMismatch) {
      // On a site URL a bare 401 is first about the host (wrong_host says what the gateway needs).
    } else findings.push(missingUnknownHeld(call, name, endpoint));
  } else if (check?.satisfied === true && call.heldFrom === "error body" && bitbucketShortfall(call).length > 0) {
    // Bitbucket named what it required and the catalog's alternatives disagree: its own word wins.
    const short = bitbucketShortfall(call);
    findings.push({
      code: "missing_scopes",
      message: `Bitbucket's error says ${name} requires ${call.body.required?.join(", ")}, and the token was granted ${call.body.granted?.join(", ")}: it lacks ${short.join(", ")}.`,
      fix: `Create a credential that also has ${short.join(" + ")} (a token's scopes cannot be edited after creation; an OAuth consumer's scopes are set on the consumer).`,
      details: { missing: short, atlassianRequired: call.body.required, atlassianGranted: call.body.granted },
    });
  } else if (check?.satisfied === true && check.satisfiedBy && call.body.scopeMismatch && !bitbucket && !call.onSite) {
    // The gateway's own scope check failed: the scopes listed are not the token's (they cannot be read back).
    // On a site URL the host is the cause (wrong_host), not the token's scopes.
    const scopes = check.satisfiedBy.scopes;
    // Only a credential given says how its scopes were granted; one inferred from the scopes is a guess.
    const given = call.credentialInferred ? undefined : call.credential;
    findings.push({
      code: "listed_scopes_not_held",
      message: `Atlassian's gateway said the token's scopes do not match ${name}, and the scopes listed satisfy it (via ${scopes.join(" + ")}): the ${scopeHolder(given)} that made the call does not hold them. ${(given && WHY_NOT_HELD[given]) ?? TOKEN_SCOPES_UNREADABLE}${saidBy(call)}`,
      fix:
        call.credential === "connect"
          ? CONNECT_JWT_FIX
          : `Check which credential the call sends. ${addScopesFix(given, scopes)}`,
      details: { listed: scopes, ...(call.body.messages.length > 0 ? { atlassianMessages: call.body.messages } : {}) },
    });
  } else if (check === undefined && status === 401 && needsNoScope(endpoint)) {
    findings.push({
      code: "scopes_sufficient",
      message: `${name} needs no scope (${needsNoScope(endpoint)}), so the 401 is not about scopes.${saidBy(call)}`,
      fix: onIdentityApi(endpoint)
        ? IDENTITY_TOKEN_FIX
        : credentialCheckFix(call.credential ?? soleCredential(endpoint), bitbucket, call.host === "api.atlassian.com"),
      ...(call.body.messages.length > 0 ? { details: { atlassianMessages: call.body.messages } } : {}),
    });
  } else if (check?.satisfied === true && (status === 401 || (bitbucket && call.body.privilegeScopes))) {
    findings.push({
      code: "scopes_sufficient",
      message: check.needsNoScope
        ? `${name} needs no scope (${check.needsNoScope}), so the ${status} is not about scopes.`
        : `These scopes satisfy ${name} (${check.satisfiedBy ? `via ${check.satisfiedBy.scopes.join(" + ")}` : `the Connect scope ${endpoint.connectScope} is held`}), so the ${status} is not about scopes.${saidBy(call)}`,
      fix: call.body.privilegeScopes
        ? "Bitbucket says the credential lacks a scope: the token in use is not the one whose scopes you listed. Check which token the call sends."
        : onIdentityApi(endpoint)
          ? IDENTITY_TOKEN_FIX
          : // Connect scopes are a Connect app's alone; Bitbucket's point to several kinds, each sent its own way.
            credentialCheckFix(
              call.credentialInferred && call.credential !== "connect" ? undefined : call.credential,
              bitbucket,
              call.host === "api.atlassian.com",
            ),
      ...(call.body.messages.length > 0 ? { details: { atlassianMessages: call.body.messages } } : {}),
    });
  }
  const scopesFine = !findings.some((finding) => finding.code === "missing_scopes") && check?.satisfied !== false;
  // A 403 from Jira or Confluence is about permissions once the scopes pass; on a site URL wrong_host
  // comes first, and Bitbucket's 403 can be about scopes (it is reported as such above).
  if (
    status === 403 &&
    scopesFine &&
    !cannotCall &&
    !siteRefused &&
    !(check === undefined && call.credential === "connect") &&
    classicHeld.length === 0 &&
    (!call.onSite || call.credential === "connect") &&
    !call.body.privilegeScopes &&
    !call.body.scopeMismatch &&
    !call.body.noProductAccess &&
    !bitbucket &&
    !onIdentityApi(endpoint)
  ) {
    findings.push({
      code: "scope_check_passed",
      message: `A 403 means the ${call.credential === "connect" ? "app's Connect scopes" : "token's scopes"} were accepted for ${name}; the product's permissions refused the call. Scopes never override Jira or Confluence permissions.`,
      fix: "Grant the account (or service account) the product permission the operation needs, e.g. Browse projects or the project role, on that project or space.",
    });
  }
  if (status === 403 && bitbucket && !call.body.privilegeScopes && scopesFine && check !== undefined) {
    findings.push({
      code: "scope_check_passed",
      message: `The scopes listed satisfy ${name}, so Bitbucket's 403 is about the account's access to the workspace or repository.`,
      fix: "Give the account (or the access token's owner) the repository or workspace permission the operation needs.",
    });
  }
  const removal = endpoint.lifecycle?.find((change) => change.type === "removed");
  const deprecation = endpoint.lifecycle?.find((change) => change.type === "deprecated" && change.effective);
  if ((endpoint.deprecated || removal || deprecation) && status !== 410 && !call.body.removed) {
    const due = call.pastRemoval(endpoint);
    const instead = due?.replacement;
    // Told against the request's date: "to be deprecated on" a date still ahead, "deprecated since" one past.
    const when = [
      deprecation ? lifecycleWhen(deprecation, call.today) : endpoint.deprecated ? "deprecated" : undefined,
      removal?.effective ? lifecycleWhen(removal, call.today) : removal ? "announced for removal" : undefined,
    ].filter(Boolean);
    findings.push({
      code: "deprecated_endpoint",
      message: due
        ? `${name}'s removal was announced effective ${due.removedAt}: calls to it are expected to answer 410 Gone, though its documents still list it and it has not been seen gone.`
        : `${name} is ${when.join(" and ")}.`,
      fix: instead
        ? `Move to ${instead.method} ${instead.path}${instead.note ? ` (${instead.note.replace(/\.$/, "")})` : ""}; see ${removal?.details ?? endpoint.docsUrl}.`
        : `Move to its replacement; see ${removal?.details ?? endpoint.docsUrl}.`,
    });
  }
  // Only Connect apps may call it, and they hold Connect scopes: its OAuth scope sets are no one's to add.
  if (only?.allows.every((kind) => kind === "connect"))
    return findings.filter((finding) => finding.code !== "missing_scopes");
  return findings;
}

/**
 * The curated APIs on api.atlassian.com (curated.ts): the User Identity API (GET /me, read:me) and
 * accessible-resources. They are not Jira or Confluence: no product permission applies to them, and
 * only an OAuth 2.0 (3LO) access token calls them.
 */
function onIdentityApi(endpoint: Endpoint): boolean {
  return endpoint.product === "platform" && endpoint.curated?.server === "https://api.atlassian.com";
}

/** What to check when a 3LO token's call to the identity APIs fails with scopes that suffice. */
const IDENTITY_TOKEN_FIX =
  "Check the access token itself: an OAuth 2.0 (3LO) access token, sent as `Authorization: Bearer` to https://api.atlassian.com (no cloudId), unexpired (access tokens last an hour; refreshing needs offline_access) and not revoked. API tokens, Forge and Connect apps cannot call it.";

/**
 * A 403 from GET /me or accessible-resources: no Jira or Confluence permission is involved, so it is
 * about the token. Atlassian's pages say which scope /me needs and who calls it, not what its 403
 * means, so the finding names both readings.
 */
function identityForbidden(
  name: string,
  endpoint: Endpoint,
  check: EndpointCheck | undefined,
  credential: CredentialKind | undefined,
): Finding {
  const scopes = endpoint.alternatives[0]?.scopes ?? [];
  const notThreeLo =
    credential === "oauth2-3lo" ? "" : "not an OAuth 2.0 (3LO) access token, the only credential that calls it";
  const api = endpoint.path === "/me" ? "Atlassian's User Identity API" : "Atlassian's OAuth 2.0 (3LO) API";
  const notProduct = `${name} is ${api} on api.atlassian.com, not Jira or Confluence: no product permission applies to it.`;
  const noScope = needsNoScope(endpoint);
  if (noScope)
    return {
      code: "scopes_sufficient",
      message: `${notProduct} It needs no scope (${noScope}), so its 403 is about the token the call sends${notThreeLo ? `: ${notThreeLo}` : ""}.`,
      fix: IDENTITY_TOKEN_FIX,
    };
  if (check?.satisfied === true)
    return {
      code: "scope_check_passed",
      message: `${notProduct} ${check.satisfiedBy ? `The scopes listed include ${check.satisfiedBy.scopes.join(" + ")}, which it needs, so` : "It needs no scope, so"} its 403 is about the token the call sends: not an OAuth 2.0 (3LO) access token, or not the one whose scopes were listed.`,
      fix: `Send the 3LO access token${scopes.length > 0 ? ` granted ${scopes.join(" + ")} (the token response's \`scope\` field lists what it holds)` : ""} as \`Authorization: Bearer\`. API tokens, Forge and Connect apps cannot call it.`,
    };
  return {
    code: "missing_scopes",
    message: `${notProduct} Its 403 is about the token: one without ${scopes.join(" + ")}, the scope it needs${notThreeLo ? `, or ${notThreeLo}` : ""}.`,
    fix: `${addScopesFix("oauth2-3lo", scopes)} Call it with the 3LO access token as \`Authorization: Bearer\`; send the token's scopes in \`scopes\` to tell which.`,
    details: { alternatives: endpoint.alternatives.map(({ kind, state, scopes }) => ({ kind, state, scopes })) },
  };
}

/**
 * What holds the scopes, as a finding names it: a Connect app's are in its descriptor, a Forge app's in its
 * manifest (the app), anything else's in the token.
 */
function scopeHolder(credential: CredentialKind | undefined): string {
  return credential === "connect" ? "app's descriptor" : credential === "forge" ? "app" : "token";
}

function missingFromCheck(call: Call, name: string, endpoint: Endpoint, check: EndpointCheck): Finding {
  const source = call.heldFrom === "error body" ? " (the scopes Bitbucket's error lists as granted)" : "";
  const holder = scopeHolder(call.credential);
  return {
    code: "missing_scopes",
    message: `The ${holder}${source} lacks ${check.missing.join(", ")} for ${name}.`,
    // Without a credential, the fix of the one kind that can call it with these scopes (GET /me: a 3LO app's).
    fix: addScopesFix(call.credential ?? soleCredential(endpoint, true), check.missing),
    details: {
      missing: check.missing,
      ...(call.credential ? { credential: call.credential } : {}),
      alternatives: check.alternatives,
      hints: check.hints,
      ...(call.body.required ? { atlassianRequired: call.body.required } : {}),
    },
  };
}

function missingUnknownHeld(call: Call, name: string, endpoint: Endpoint): Finding {
  // Without a credential given, an endpoint only one kind can call (GET /me: a 3LO token) is advised for that kind.
  const credential = call.credential ?? soleCredential(endpoint, true);
  // With a credential given, only the sets it can hold: a Forge app is never told to hold `account`.
  const usable = credential
    ? endpoint.alternatives.filter((alternative) => judgeAlternative(credential, endpoint, alternative).usable)
    : endpoint.alternatives;
  if (credential && usable.length === 0) {
    const blocked = judgeEndpoint(credential, endpoint);
    const why = blocked.usable
      ? [
          ...new Set(
            endpoint.alternatives.map((alternative) => judgeAlternative(credential, endpoint, alternative).why),
          ),
        ].join(" ")
      : blocked.why;
    return {
      code: "credential_cannot_call",
      message: `With credential \`${credential}\`, ${name} cannot be called: ${why}`,
      fix: "Call it with a credential that can hold one of its scope sets (GET /scopes with `credential` marks which sets each kind can hold).",
      details: { credential },
    };
  }
  const what = call.body.scopeMismatch
    ? 'A 401 with "scope does not match"'
    : call.body.privilegeScopes
      ? `Bitbucket's ${call.input.status} "lack one or more required privilege scopes"`
      : call.input.status === 403
        ? "Bitbucket's 403 (it answers 403 both for a missing scope and for missing repository access)"
        : `A ${call.input.status}`;
  const sets = usable.map((alternative) => `${alternative.scopes.join(" + ")} (${alternative.kind})`).join(", or ");
  return {
    code: "missing_scopes",
    message: `${what} means the ${scopeHolder(credential)} lacks a scope ${name} needs. It needs one of: ${sets}.`,
    fix: credential
      ? `${call.credential ? "" : `Of the credentials that hold these scopes, only \`${credential}\` can call it. `}${addScopesFix(credential, [usable.length === 1 ? usable[0]!.scopes.join(" + ") : "one of these sets"])} Send the scopes it has in \`scopes\` to get exactly the missing ones.`
      : "Create a token with one of these sets (tokens' scopes cannot be changed), or send your token's scopes in `scopes` to get the exact missing ones.",
    details: {
      ...(call.credential ? { credential: call.credential } : {}),
      alternatives: usable.map(({ kind, state, scopes }) => ({ kind, state, scopes })),
      ...(call.body.required ? { atlassianRequired: call.body.required } : {}),
    },
  };
}

/**
 * The one kind of credential that can call the endpoint, if only one can: at all, or (`holding`) with one
 * of its scope sets, as a missing scope's fix needs (a Connect app holds no OAuth scope of Jira's).
 */
function soleCredential(endpoint: Endpoint, holding = false): CredentialKind | undefined {
  const kinds = CREDENTIAL_KINDS.filter(
    (kind) =>
      judgeEndpoint(kind, endpoint).usable &&
      (!holding || endpoint.alternatives.some((alternative) => judgeAlternative(kind, endpoint, alternative).usable)),
  );
  return kinds.length === 1 ? kinds[0] : undefined;
}

/** Scopes Bitbucket's error says were required and were not granted (classic implication counted). */
function bitbucketShortfall(call: Call): string[] {
  const { required, granted } = call.body;
  if (!required || !granted) return [];
  const held = new Set(granted.flatMap((scope) => [scope, ...impliedBy(scope)]));
  return required.filter((scope) => !held.has(scope));
}

/** What the status itself says when scopes are not the question. */
function statusFindings(call: Call, endpoints: readonly Endpoint[], known: boolean): Finding[] {
  const { status } = call.input;
  const name = endpoints[0] ? `${endpoints[0].method} ${endpoints[0].path}` : "the endpoint";
  const said = call.body.messages.length > 0 ? ` Atlassian said: "${call.body.messages.join('"; "')}"` : "";
  const details = call.body.messages.length > 0 ? { atlassianMessages: call.body.messages } : {};
  if (call.body.noProductAccess) {
    return [
      {
        code: "no_product_access",
        message: `The account is not allowed to use the product.${said}`,
        fix: "Give the account (or service account) product access in admin.atlassian.com (Directory › Users, or the product's user access settings); scopes cannot grant it.",
        details,
      },
    ];
  }
  if (status === 404 && known) {
    const gateway = call.host === "api.atlassian.com";
    return [
      {
        code: "resource_not_visible",
        message: `${name} exists, so a 404 means the item in the URL does not exist or the account cannot see it (Jira and Confluence answer 404 rather than 403 for items the caller may not browse).${said}`,
        fix: `Check the ids or keys in the path and that the account can see the item (e.g. Browse projects, space view permission)${gateway ? "; through the gateway, also check that {cloudId} is this site's cloudId (https://<site>.atlassian.net/_edge/tenant_info, or GET https://api.atlassian.com/oauth/token/accessible-resources)" : ""}.`,
        details,
      },
    ];
  }
  if ([400, 405, 409, 412, 413, 415, 422].includes(status) && known) {
    return [
      {
        code: "request_rejected",
        message: `A ${status} means the call reached ${name} and passed authentication; Atlassian refused the request itself (its parameters, body or content type).${said}`,
        fix: "Compare the query parameters and body with the endpoint's docs page; scopes are not the problem here.",
        details: { ...details, docsUrl: endpoints[0]?.docsUrl ?? "" },
      },
    ];
  }
  if (status === 429) {
    return [
      {
        code: "rate_limited",
        message: `A 429 means Atlassian's rate limit was reached.${said}`,
        fix: "Wait as long as the Retry-After header says, then retry with exponential backoff and jitter (https://developer.atlassian.com/cloud/jira/platform/rate-limiting/).",
        details,
      },
    ];
  }
  if (status >= 500) {
    return [
      {
        code: "atlassian_server_error",
        message: `A ${status} is an error on Atlassian's side, not in the request's scopes or credentials.${said}`,
        fix: "Retry later with backoff, and check https://status.atlassian.com for incidents.",
        details,
      },
    ];
  }
  return [];
}

/**
 * Scope names the catalog does not know (with suggestions), and real scopes (the scope registry) that no
 * catalogued endpoint takes, with the API that does: a real scope is never called nonexistent.
 */
function withUnknownScopes(findings: Finding[], scopes: string[] | undefined, catalog: CatalogIndex): Finding[] {
  const outside = outsideScopes(scopes ?? [], catalog);
  if (outside.length > 0) {
    findings.push({
      code: "scopes_outside_catalog",
      message: `${outside
        .map((item) => `${item.scope} is a real scope of ${item.api}${item.deprecated ? " (deprecated)" : ""}`)
        .join(
          "; ",
        )}: no endpoint of this catalog takes ${outside.length === 1 ? "it" : "them"}, so ${outside.length === 1 ? "it counts" : "they count"} for none of the endpoints here.`,
      fix: "Keep it only if the token also calls that API; for this endpoint, add the scopes it needs (see missing_scopes).",
      details: { outsideScopes: outside, registry: catalog.registrySource },
    });
  }
  const deprecated = deprecatedScopes(scopes ?? [], catalog);
  if (deprecated.length > 0) {
    findings.push({
      code: "deprecated_scopes",
      message: deprecated.map(deprecatedScopeText).join(" "),
      fix: `Ask for ${deprecated.map((item) => item.replacedBy ?? `the scope that replaced ${item.scope}`).join(", ")} instead, and for the scopes the endpoint needs (see missing_scopes).`,
      details: { deprecatedScopes: deprecated },
    });
  }
  const unknown = unknownScopes(scopes ?? [], catalog);
  if (unknown.length > 0) {
    findings.push({
      code: "unknown_scopes",
      message: `Neither the catalog nor Atlassian's list of app scopes${catalog.registrySource ? ` (${catalog.registrySource})` : ""} knows ${unknown.map((item) => item.scope).join(", ")}: check the spelling.`,
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

/** What Atlassian's body said, as a sentence to append, or nothing. */
function saidBy(call: Call): string {
  return call.body.messages.length > 0 ? ` Atlassian said: "${call.body.messages.join('"; "')}"` : "";
}

function productName(endpoint: Endpoint): string {
  return endpoint.product === "confluence"
    ? "Confluence"
    : endpoint.product === "jira-service-management"
      ? "Jira Service Management"
      : "Jira";
}

/** A Connect app's 403 without its descriptor's scopes: the Connect scope the endpoint needs, or the user's permissions. */
function connectForbidden(name: string, needed: string, product: string): Finding {
  // Jira's Connect scopes have PROJECT_ADMIN where Confluence's have SPACE_ADMIN.
  const otherAdmin = product === "confluence" ? "PROJECT_ADMIN" : "SPACE_ADMIN";
  const covering = connectScopesImplying(needed).filter((scope) => scope !== otherAdmin);
  return {
    code: "missing_scopes",
    message: `A Connect app's 403 on ${name} is a Connect scope its descriptor lacks, or the permissions of the user it acts for: ${name} needs the Connect scope ${needed}${covering.length > 0 ? ` (or ${covering.join(", ")}, which imply it)` : ""}.`,
    fix: `${addScopesFix("connect", [needed])} If the descriptor has it, the product's permissions refused the call. Send the descriptor's scopes in \`scopes\` to tell which.`,
    details: { connectScope: needed },
  };
}

/** What to check when the scopes suffice and the call still got a 401: the credential itself, as its kind is sent. */
function credentialCheckFix(credential: CredentialKind | undefined, bitbucket: boolean, viaGateway = false): string {
  switch (credential) {
    case "forge":
      return "Check how the app calls it: through requestJira/requestConfluence/requestBitbucket with the site-relative path (asApp or asUser), with these scopes declared in the app's manifest.";
    case "connect":
      return CONNECT_JWT_FIX;
    case "oauth2-3lo":
      return "Check the access token itself: expired (access tokens last an hour; refresh them, which needs offline_access), revoked, or sent to a site it was not granted for (the cloudId must be one of GET https://api.atlassian.com/oauth/token/accessible-resources); it goes as `Authorization: Bearer`.";
    case "bitbucket-oauth-consumer":
      return "Check the access token itself: expired (refresh it with its refresh token) or revoked; it goes as `Authorization: Bearer`.";
    case "bitbucket-api-token":
      return "Check the API token itself: revoked or expired, and sent with basic auth as your Atlassian account email and the token.";
    case "bitbucket-access-token":
    case "bitbucket-repository-access-token":
    case "bitbucket-project-access-token":
    case "bitbucket-workspace-access-token":
      return "Check the access token itself: revoked, or made for another repository, project or workspace than the one called; it goes as `Authorization: Bearer`.";
    default:
      return bitbucket
        ? "Check the credentials themselves: a revoked or expired token, or the wrong username for basic auth (your Atlassian account email for an API token)."
        : `Check the credentials themselves: a revoked or expired token${viaGateway ? ", or one made for another app (a Confluence token calling Jira)" : ", the wrong email for basic auth, or a site URL instead of the api.atlassian.com gateway"}.`;
  }
}

/** The path of a URL as the product sees it (no host, gateway prefix or query), or the URL when it does not parse. */
function pathOf(url: string): string {
  const parsed = parseRequestPath(url);
  return parsed.ok ? parsed.value.path : url;
}

function alternativesText(endpoint: Endpoint): string {
  return endpoint.alternatives
    .map((alternative) => `${alternative.scopes.join(" + ")} (${alternative.kind})`)
    .join(", or ");
}
