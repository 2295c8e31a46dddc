/**
 * Which credential can use which of an endpoint's alternatives, and why not. No I/O.
 *
 * The catalog's alternatives are an OR of AND-sets, but not every credential can hold every set:
 * a Bitbucket API token holds `read:pullrequest:bitbucket`, never the OAuth-consumer scope
 * `pullrequest`; a Connect app holds Connect scopes (READ, WRITE, ...), never OAuth scopes. This module
 * is the curated table of what each kind of credential holds, with the Atlassian pages that say so,
 * and the one function that judges an alternative for a credential.
 *
 * Sources (seen 2026-12-05 through the project's search tool; the document quotes are from the REST
 * documents saved in ../shared/atlassian-docs, see its PROVENANCE.md):
 * - [BB-DOC] Bitbucket Cloud REST document (bitbucket.json, https://dac-static.atlassian.com/cloud/bitbucket/swagger.v3.json),
 *   narrative "Authentication methods" (https://developer.atlassian.com/cloud/bitbucket/rest/intro/#authentication):
 *   "The available scopes for repository access tokens are: repository, repository:write, repository:admin,
 *   repository:delete, pullrequest, pullrequest:write, webhook, pipeline, pipeline:write, pipeline:variable,
 *   runner, runner:write"; project access tokens add `project`; workspace access tokens add `project`,
 *   `project:admin` and `account`. "There are some APIs which are inaccessible for Access tokens": add, update and
 *   delete a repository deploy key. "Forge app and API token scopes ... are different from Bitbucket OAuth 2.0
 *   scopes" (`read:repository:bitbucket`, ...), and "only a subset of all API endpoints are currently available
 *   for Forge app integrations. Each endpoint is clearly labeled" (`x-atlassian-auth-types`: api-token,
 *   forge-oauth2). OAuth 2.0 is through OAuth consumers ("existing OAuth 1 consumers automatically become valid
 *   OAuth 2 clients"), which hold the classic scopes of `security.oauth2`.
 * - [BB-TOKENS] https://support.atlassian.com/bitbucket-cloud/docs/api-token-permissions/ ("Read: Equivalent to
 *   read:repository:bitbucket API scope"), https://support.atlassian.com/bitbucket-cloud/docs/repository-access-token-permissions/
 *   and .../workspace-access-token-permissions/ ("Read: Equivalent to the repository API scope").
 * - [BB-CONNECT] https://developer.atlassian.com/cloud/bitbucket/bitbucket-cloud-rest-api-scopes (last updated
 *   Jan 12, 2026): Bitbucket apps declare these classic scopes (`repository`, `repository:write`, ...) in their descriptor.
 * - [SCOPES-3LO-FORGE] https://developer.atlassian.com/cloud/confluence/scopes-for-oauth-2-3LO-and-forge-apps/
 *   (last updated Jul 3, 2025) and the Jira page of the same name: one scope list, classic and granular, "for apps
 *   using OAuth 2.0 authorization code grants (3LO) for authorization and Forge apps"; "Scopes for Atlassian
 *   Connect are different". Jira Software: "Jira Software doesn't support classic scopes" (see NOTES.md).
 * - [CONNECT] https://developer.atlassian.com/cloud/confluence/scopes (Scopes for Connect apps, last updated
 *   Jan 28, 2026): READ, WRITE (implies READ), DELETE, SPACE_ADMIN, ADMIN, ACT_AS_USER; the operation's
 *   `x-atlassian-connect-scope` names the one it needs. Jira's page
 *   (https://developer.atlassian.com/cloud/jira/software/scopes): "Scope names can be provided in all lowercase or
 *   all upper case, for example, read or READ."
 * - [API-TOKENS] https://support.atlassian.com/atlassian-account/docs/manage-api-tokens-for-your-atlassian-account
 *   and https://support.atlassian.com/confluence/kb/scoped-api-tokens-in-confluence-cloud: a token with scopes is
 *   created for one app and calls https://api.atlassian.com/ex/jira|confluence/{cloudId}. Atlassian's pages do
 *   not say whether the token form offers classic scopes; third-party setup guides list classic and granular
 *   scopes on one Jira token (help.kendis.io "Jira Scope-Based API Token Configuration",
 *   help.tempo.io "Jira integration: service account and scoped API token"), so both are taken as holdable.
 * - [APP-ONLY] The Jira platform (v3, v2), Jira Software and Confluence (v1, v2) documents saved in
 *   ../shared/atlassian-docs (read 2026-12-07; PROVENANCE.md dates each copy) say in some operations'
 *   descriptions which kinds of app may call them: "Only Connect and OAuth 2.0 apps can use this
 *   operation." (POST /rest/api/3/webhook), "Only Connect or Forge apps can use this operation.", "Only apps
 *   can make this request.". APP_ONLY quotes each, with the kinds its words name: "OAuth 2.0 apps" are 3LO
 *   apps; an API token with scopes (also a service account's) is not an app. test/catalog/app-only-shared.test.ts
 *   checks the table against every such sentence in the documents, and fails when they part.
 * - [MODULES] A sentence about what an app defines or declares (a module, a custom field "declared in their
 *   own manifests", a JQL function "created by a Forge/Connect app") names Forge and Connect apps, not
 *   OAuth 2.0 (3LO) apps: modules are declared in a Connect app's descriptor ("In addition to declaring
 *   modules in the app descriptor", https://developer.atlassian.com/cloud/jira/platform/connect-dynamic-modules/)
 *   or a Forge app's manifest (https://developer.atlassian.com/platform/forge/manifest-reference/modules/jira-custom-field/,
 *   the page the custom-field operation links), and a 3LO app, made in the developer console
 *   (https://developer.atlassian.com/cloud/jira/platform/oauth-2-3lo-apps/), has neither. No Atlassian page
 *   found (searched 2026-12-07) says in so many words that 3LO apps cannot define modules: a reading, said as one.
 * - [BB-APP-PASSWORDS] Atlassian's deprecation notices in the Bitbucket community articles (seen 2026-12-07):
 *   "Bitbucket Cloud enters phase 2 of app password deprecation" (new app passwords disabled from Sept 9, 2025;
 *   "New integrations ... will need to use API tokens with scopes") and "Deprecation notice: Bitbucket Cloud app
 *   password brownout schedule and next steps" (https://community.atlassian.com/forums/Bitbucket-articles/Deprecation-notice-Bitbucket-Cloud-app-password-brownout/ba-p/3237429:
 *   "app passwords will be fully removed on July 28, 2026"; "API tokens are the replacement").
 */
import { lazyPer } from "../lazy";
import { impliedClosure, isBitbucketClassic } from "./implied-scopes";
import { nearest } from "./nearest";
import { type Alternative, type Endpoint, type Product, PRODUCTS } from "./schema";
import { registryProductOf } from "./scope-registry";

/** As Atlassian names them: OAuth 2.0 (3LO) apps, Forge apps, API tokens with scopes, Connect apps, Bitbucket's own. */
export const CREDENTIAL_KINDS = [
  "oauth2-3lo",
  "forge",
  "scoped-api-token",
  "connect",
  "bitbucket-oauth-consumer",
  "bitbucket-api-token",
  "bitbucket-access-token",
  "bitbucket-repository-access-token",
  "bitbucket-project-access-token",
  "bitbucket-workspace-access-token",
] as const;
export type CredentialKind = (typeof CREDENTIAL_KINDS)[number];

export const isCredentialKind = (value: string): value is CredentialKind =>
  (CREDENTIAL_KINDS as readonly string[]).includes(value);

/** A Bitbucket app password, by its letters (lettersOf): removed, and replaced by a Bitbucket API token [BB-APP-PASSWORDS]. */
const APP_PASSWORD = ["apppassword", "bitbucketapppassword"];

/**
 * What people call a credential that is not a kind's name here, by its letters and digits in lower case,
 * with the kinds it can be. An "API token" is Atlassian's scoped API token or Bitbucket's; an "access
 * token" an OAuth 2.0 app's or a Bitbucket access token; a Bitbucket app password was replaced by a
 * Bitbucket API token [BB-APP-PASSWORDS].
 */
const CREDENTIAL_ALIASES: Readonly<Record<string, readonly CredentialKind[]>> = {
  "3lo": ["oauth2-3lo"],
  oauth: ["oauth2-3lo", "bitbucket-oauth-consumer"],
  oauth2: ["oauth2-3lo", "bitbucket-oauth-consumer"],
  oauth20: ["oauth2-3lo", "bitbucket-oauth-consumer"],
  oauth23lo: ["oauth2-3lo"],
  oauth203lo: ["oauth2-3lo"],
  oauthapp: ["oauth2-3lo"],
  threeleggedoauth: ["oauth2-3lo"],
  oauthconsumer: ["bitbucket-oauth-consumer"],
  bitbucketoauth: ["bitbucket-oauth-consumer"],
  scoped: ["scoped-api-token"],
  scopedtoken: ["scoped-api-token"],
  apitokenwithscope: ["scoped-api-token"],
  serviceaccount: ["scoped-api-token"],
  apitoken: ["scoped-api-token", "bitbucket-api-token"],
  forgeapp: ["forge"],
  connectapp: ["connect"],
  atlassianconnect: ["connect"],
  ...Object.fromEntries(APP_PASSWORD.map((letters) => [letters, ["bitbucket-api-token"]])),
  accesstoken: ["oauth2-3lo", "bitbucket-access-token"],
  repositoryaccesstoken: ["bitbucket-repository-access-token"],
  projectaccesstoken: ["bitbucket-project-access-token"],
  workspaceaccesstoken: ["bitbucket-workspace-access-token"],
};

/** An API token without scopes: scopes do not limit it, so no kind here is it. */
const UNSCOPED_TOKENS = new Set(["unscopedapitoken", "unscopedtoken", "classicapitoken", "apitokenwithoutscope"]);

/** A credential's letters and digits in lower case, one trailing plural `s` dropped (the aliases' keys). */
function lettersOf(given: string): string {
  const letters = given.toLowerCase().replace(/[^a-z0-9]/g, "");
  return letters.endsWith("s") && letters.length > 1 ? letters.slice(0, -1) : letters;
}

/**
 * What to tell someone whose `credential` is not a kind, beyond the kinds: that Bitbucket removed app
 * passwords on 2026-07-28 [BB-APP-PASSWORDS], or that an API token without scopes is not limited by them.
 */
export function credentialNote(given: string): string | undefined {
  const letters = lettersOf(given);
  if (APP_PASSWORD.includes(letters))
    return "Bitbucket app passwords were removed on 2026-07-28; Atlassian's replacement is a Bitbucket API token.";
  if (UNSCOPED_TOKENS.has(letters))
    return "An API token without scopes (basic auth on the site URL) is limited by its user's permissions, not by scopes: no scope can be missing for it.";
  return undefined;
}

/**
 * The kinds a `credential` that is not one most likely means, at most three: what it is called
 * (CREDENTIAL_ALIASES), then the kinds spelt like it (`scoped-token` → `scoped-api-token`). None for an
 * API token without scopes (credentialNote).
 */
export function credentialSuggestions(given: string): CredentialKind[] {
  const letters = lettersOf(given);
  if (UNSCOPED_TOKENS.has(letters)) return [];
  const lower = given.trim().toLowerCase();
  const found = [...(CREDENTIAL_ALIASES[letters] ?? [])];
  for (const kind of nearest(lower, CREDENTIAL_KINDS, 3, Math.max(2, Math.ceil(lower.length / 3))))
    if (!found.includes(kind as CredentialKind)) found.push(kind as CredentialKind);
  return found.slice(0, 3);
}

/** One line per kind: what it is and what it holds. */
export const CREDENTIAL_TITLES: Readonly<Record<CredentialKind, string>> = {
  "oauth2-3lo": "an OAuth 2.0 (3LO) app: classic and granular Jira/Confluence scopes",
  forge: "a Forge app: classic and granular scopes in its manifest; on Bitbucket, the `*:bitbucket` scopes",
  "scoped-api-token":
    "an API token with scopes (also service accounts): the scopes of one app (Jira, Confluence or Bitbucket)",
  connect: "a Connect app: Connect scopes (READ, WRITE, DELETE, ADMIN, ...) in its descriptor, not OAuth scopes",
  "bitbucket-oauth-consumer": "a Bitbucket OAuth consumer: Bitbucket's classic scopes (`repository`, `pullrequest`)",
  "bitbucket-api-token": "a Bitbucket API token: the `*:bitbucket` scopes (`read:repository:bitbucket`)",
  "bitbucket-access-token":
    "a Bitbucket repository, project or workspace access token: a subset of the classic scopes (the workspace token's)",
  "bitbucket-repository-access-token": "a Bitbucket repository access token: a subset of the classic scopes",
  "bitbucket-project-access-token": "a Bitbucket project access token: a subset of the classic scopes",
  "bitbucket-workspace-access-token": "a Bitbucket workspace access token: a subset of the classic scopes",
};

/** The credential as a sentence names it, without what it holds: "an OAuth 2.0 (3LO) app". */
export const credentialName = (kind: CredentialKind): string => CREDENTIAL_TITLES[kind].replace(/:.*$/, "");

/**
 * How a credential of `kind` comes to hold `scopes` it lacks: the fix a missing scope gets. A token's
 * scopes are fixed when it is made; an app's are set where the app is declared, and take effect once
 * the app is authorized, installed or updated again.
 */
export function addScopesFix(kind: CredentialKind | undefined, scopes: readonly string[]): string {
  const names = scopes.join(" + ");
  switch (kind) {
    case "oauth2-3lo":
      return `Add ${names} to the app's permissions in the developer console (https://developer.atlassian.com/console/myapps/) and to the \`scope\` parameter of the authorization URL, then have the user authorize the app again: tokens issued before keep their old scopes.`;
    case "forge":
      return `Add ${names} to \`permissions.scopes\` in the app's manifest.yml, deploy, and upgrade the installation (\`forge install --upgrade\`): new scopes apply once the site's admin accepts the upgrade.`;
    case "connect":
      return `Add ${names} to the \`scopes\` of the app descriptor and release it: sites get the new scopes when the app is updated (an admin may have to approve the update).`;
    case "bitbucket-oauth-consumer":
      return `Add ${names} to the OAuth consumer's permissions (Workspace settings → OAuth consumers → Edit), then authorize again: tokens issued before keep their old scopes.`;
    case "bitbucket-access-token":
    case "bitbucket-repository-access-token":
    case "bitbucket-project-access-token":
    case "bitbucket-workspace-access-token":
      return `Create an access token that also has ${names} (an access token's scopes cannot be edited after creation).`;
    default:
      return `Create a token that also has ${names} (a token's scopes cannot be edited after creation).`;
  }
}

/** [BB-DOC]: the classic scopes each kind of Bitbucket access token can be given. */
const REPOSITORY_TOKEN_SCOPES = [
  "repository",
  "repository:write",
  "repository:admin",
  "repository:delete",
  "pullrequest",
  "pullrequest:write",
  "webhook",
  "pipeline",
  "pipeline:write",
  "pipeline:variable",
  "runner",
  "runner:write",
];
const ACCESS_TOKEN_SCOPES: Readonly<Partial<Record<CredentialKind, ReadonlySet<string>>>> = {
  "bitbucket-repository-access-token": new Set(REPOSITORY_TOKEN_SCOPES),
  "bitbucket-project-access-token": new Set(["project", ...REPOSITORY_TOKEN_SCOPES]),
  "bitbucket-workspace-access-token": new Set(["project", "project:admin", "account", ...REPOSITORY_TOKEN_SCOPES]),
  "bitbucket-access-token": new Set(["project", "project:admin", "account", ...REPOSITORY_TOKEN_SCOPES]),
};
/** What each access-token scope grants with the implications Bitbucket documents (pullrequest:write grants repository). */
const ACCESS_TOKEN_GRANTS = new Map(
  Object.entries(ACCESS_TOKEN_SCOPES).map(([kind, scopes]) => [kind, impliedClosure([...scopes!])]),
);

/** Connect scopes and what each implies ([CONNECT]; Jira's page lists PROJECT_ADMIN where Confluence has SPACE_ADMIN). */
const CONNECT_IMPLIES: Readonly<Record<string, readonly string[]>> = {
  NONE: [],
  READ: ["NONE"],
  WRITE: ["READ", "NONE"],
  DELETE: ["WRITE", "READ", "NONE"],
  PROJECT_ADMIN: ["DELETE", "WRITE", "READ", "NONE"],
  SPACE_ADMIN: ["DELETE", "WRITE", "READ", "NONE"],
  ADMIN: ["PROJECT_ADMIN", "SPACE_ADMIN", "DELETE", "WRITE", "READ", "NONE"],
  ACT_AS_USER: [],
  ACCESS_EMAIL_ADDRESSES: [],
};
const CONNECT_SCOPES: ReadonlySet<string> = new Set(Object.keys(CONNECT_IMPLIES));

/** Each Connect scope as a descriptor may write it, all upper or all lower case ([CONNECT]), to its name. */
const CONNECT_SPELLINGS: ReadonlyMap<string, string> = new Map(
  [...CONNECT_SCOPES].flatMap((name) => [
    [name, name],
    [name.toLowerCase(), name],
  ]),
);

/** The length of the longest Connect scope's name (ACCESS_EMAIL_ADDRESSES). */
const LONGEST_CONNECT_NAME = Math.max(...[...CONNECT_SCOPES].map((name) => name.length));

/** The Connect scope a held name is (`read` and `READ` are READ; `Read` is none), or undefined. */
export function connectScopeName(scope: string): string | undefined {
  return CONNECT_SPELLINGS.get(scope);
}

/**
 * The Connect scope a name is in any case (`Read` is READ), for suggesting the spelling a descriptor
 * takes. Only a short name without a colon, as Connect's are, is upper-cased: thousands of typos may be held.
 */
export function connectScopeInAnyCase(scope: string): string | undefined {
  if (scope.length > LONGEST_CONNECT_NAME || scope.includes(":")) return undefined;
  return CONNECT_SPELLINGS.get(scope.toUpperCase());
}

/** The Connect scopes held scopes grant (each as its upper-case name), with what each implies: once per held set. */
export const connectGrantsOf = lazyPer((held: ReadonlySet<string>): ReadonlySet<string> => {
  const grants = new Set<string>();
  for (const scope of held) {
    const have = connectScopeName(scope);
    if (have === undefined) continue;
    grants.add(have);
    for (const implied of CONNECT_IMPLIES[have]!) grants.add(implied);
  }
  return grants;
});

/** The Connect scopes `scope` implies (WRITE: READ and NONE), which its endpoints' lists include. */
export function connectImplied(scope: string): readonly string[] {
  return CONNECT_IMPLIES[scope] ?? [];
}

/** The Connect scopes that imply `scope` (WRITE: DELETE, PROJECT_ADMIN, SPACE_ADMIN, ADMIN), in CONNECT_IMPLIES order. */
export function connectScopesImplying(scope: string): string[] {
  return Object.keys(CONNECT_IMPLIES).filter((other) => CONNECT_IMPLIES[other]!.includes(scope));
}

/**
 * The least a Connect descriptor declares for endpoints needing these Connect scopes: each named once,
 * none another one implies (DELETE covers WRITE and READ), and never NONE, which "does not need to be
 * declared in the descriptor" ([CONNECT]). Exact: each endpoint names one Connect scope, so there is no choice.
 */
export function connectDescriptorScopes(needed: readonly string[]): {
  scopes: string[];
  dropped: { scope: string; grantedBy: string }[];
} {
  const named = new Set(needed.map((scope) => scope.toUpperCase()));
  named.delete("NONE");
  const scopes: string[] = [];
  const dropped: { scope: string; grantedBy: string }[] = [];
  for (const scope of [...named].sort()) {
    const grantedBy = [...named].find((other) => other !== scope && CONNECT_IMPLIES[other]?.includes(scope));
    if (grantedBy) dropped.push({ scope, grantedBy });
    else scopes.push(scope);
  }
  return { scopes, dropped };
}

/** Whether held Connect scopes grant the one an endpoint names (documents write it in upper case). */
export function connectScopeHeld(needed: string, held: ReadonlySet<string>): boolean {
  return connectGrantsOf(held).has(needed.toUpperCase());
}

const BITBUCKET_KINDS: ReadonlySet<CredentialKind> = new Set(
  CREDENTIAL_KINDS.filter((kind) => kind.startsWith("bitbucket-")),
);

/** Which credential kinds a token of held scopes serves together: a scoped API token is for one app ([API-TOKENS]). */
export function appOf(product: Product): "jira" | "confluence" | "bitbucket" {
  if (product === "confluence") return "confluence";
  if (product === "bitbucket") return "bitbucket";
  return "jira";
}

export interface Verdict {
  usable: boolean;
  /** Why not, from the document or the pages cited above; absent when usable. */
  why?: string;
}

const USABLE: Verdict = { usable: true };
const no = (why: string): Verdict => ({ usable: false, why });

/** Bitbucket endpoints that access tokens cannot call ([BB-DOC], "inaccessible for Access tokens"). */
const ACCESS_TOKEN_REFUSED = new Set([
  "POST /2.0/repositories/{workspace}/{repo_slug}/deploy-keys",
  "PUT /2.0/repositories/{workspace}/{repo_slug}/deploy-keys/{key_id}",
  "DELETE /2.0/repositories/{workspace}/{repo_slug}/deploy-keys/{key_id}",
]);

/** The kinds of app: what "apps" in a document's words are (an API token with scopes is not one). */
const APPS: readonly CredentialKind[] = ["oauth2-3lo", "forge", "connect"];

/** Each app kind as the documents name it, for saying who may call. */
const APP_NAMES: Readonly<Partial<Record<CredentialKind, string>>> = {
  "oauth2-3lo": "OAuth 2.0 (3LO) apps",
  forge: "Forge apps",
  connect: "Connect apps",
};

/** Who a document's words let call an endpoint: its sentence (links dropped) and the kinds it names. */
export interface AppOnly {
  /** The document's sentence, quoted in every answer. */
  readonly words: string;
  /** The credential kinds the words name, in CREDENTIAL_KINDS order. */
  readonly allows: readonly CredentialKind[];
  /** Why the kinds are fewer than the words' "apps" ([MODULES]): a sentence said after the words. */
  readonly reading?: string;
}

/** [MODULES]: what a sentence about an app's modules or manifest leaves out. */
const DEFINES_MODULES =
  "Only Forge and Connect apps declare modules, in a manifest or a descriptor; an OAuth 2.0 (3LO) app has neither.";

/**
 * [APP-ONLY]: the endpoints (`METHOD path`, as the catalog holds them) whose documents say which kinds
 * of app may call them, by the document's sentence. Jira's v2 and v3 documents say the same of their
 * twins; /rest/atlassian-connect/1 and /rest/forge/1 are one path in both.
 */
export const APP_ONLY: readonly (AppOnly & { readonly endpoints: readonly string[] })[] = [
  {
    // jira-platform.v3/v2, "Permissions required". Connect and 3LO apps: not Forge apps, not API tokens.
    words: "Only Connect and OAuth 2.0 apps can use this operation.",
    allows: ["oauth2-3lo", "connect"],
    endpoints: [
      "GET /rest/api/3/webhook",
      "POST /rest/api/3/webhook",
      "DELETE /rest/api/3/webhook",
      "PUT /rest/api/3/webhook/refresh",
      "GET /rest/api/2/webhook",
      "POST /rest/api/2/webhook",
      "DELETE /rest/api/2/webhook",
      "PUT /rest/api/2/webhook/refresh",
    ],
  },
  {
    words: "Only Connect apps can use this operation.",
    allows: ["connect"],
    endpoints: [
      "GET /rest/api/3/webhook/failed",
      "PUT /rest/api/3/workflow/rule/config/delete",
      "GET /rest/api/2/webhook/failed",
      "PUT /rest/api/2/workflow/rule/config/delete",
    ],
  },
  {
    words: "Only Connect or Forge apps can use this operation.",
    allows: ["forge", "connect"],
    endpoints: [
      "GET /rest/api/3/workflow/rule/config",
      "PUT /rest/api/3/workflow/rule/config",
      "GET /rest/api/2/workflow/rule/config",
      "PUT /rest/api/2/workflow/rule/config",
    ],
  },
  {
    // The Connect-to-Forge migration of issue fields (jira-platform.v3 only).
    words: "Only Connect and Forge apps can make this request.",
    allows: ["forge", "connect"],
    endpoints: [
      "GET /rest/atlassian-connect/1/migration/{connectKey}/{jiraIssueFieldsKey}/task",
      "POST /rest/atlassian-connect/1/migration/{connectKey}/{jiraIssueFieldsKey}/task",
    ],
  },
  {
    // Jira's and Confluence's dynamic modules.
    words: "Only Connect apps can make this request.",
    allows: ["connect"],
    endpoints: [
      "GET /rest/atlassian-connect/1/app/module/dynamic",
      "POST /rest/atlassian-connect/1/app/module/dynamic",
      "DELETE /rest/atlassian-connect/1/app/module/dynamic",
      "GET /wiki/rest/atlassian-connect/1/app/module/dynamic",
      "POST /wiki/rest/atlassian-connect/1/app/module/dynamic",
      "DELETE /wiki/rest/atlassian-connect/1/app/module/dynamic",
    ],
  },
  {
    // The same words without their full stop, the line ending there.
    words: "Only Connect apps can make this request",
    allows: ["connect"],
    endpoints: ["PUT /rest/atlassian-connect/1/migration/field"],
  },
  {
    words: "Only Connect apps can make this request and the servicesIds belong to the tenant you are requesting",
    allows: ["connect"],
    endpoints: ["GET /rest/atlassian-connect/1/service-registry"],
  },
  {
    words: "Only a Connect app whose key matches `addonKey` can make this request.",
    allows: ["connect"],
    endpoints: [
      "GET /rest/atlassian-connect/1/addons/{addonKey}/properties",
      "GET /rest/atlassian-connect/1/addons/{addonKey}/properties/{propertyKey}",
      "PUT /rest/atlassian-connect/1/addons/{addonKey}/properties/{propertyKey}",
      "DELETE /rest/atlassian-connect/1/addons/{addonKey}/properties/{propertyKey}",
    ],
  },
  {
    // "This API can only be accessed using asApp() requests from Forge."
    words: "Only Forge apps can make this request.",
    allows: ["forge"],
    endpoints: [
      "GET /rest/forge/1/app/properties",
      "GET /rest/forge/1/app/properties/{propertyKey}",
      "PUT /rest/forge/1/app/properties/{propertyKey}",
      "DELETE /rest/forge/1/app/properties/{propertyKey}",
    ],
  },
  {
    words: "UI modifications can only be retrieved by Forge apps.",
    allows: ["forge"],
    endpoints: ["GET /rest/api/3/uiModifications", "GET /rest/api/2/uiModifications"],
  },
  {
    words: "UI modification can only be created by Forge apps.",
    allows: ["forge"],
    endpoints: ["POST /rest/api/3/uiModifications", "POST /rest/api/2/uiModifications"],
  },
  {
    words: "UI modification can only be updated by Forge apps.",
    allows: ["forge"],
    endpoints: [
      "PUT /rest/api/3/uiModifications/{uiModificationId}",
      "PUT /rest/api/2/uiModifications/{uiModificationId}",
    ],
  },
  {
    words: "UI modification can only be deleted by Forge apps.",
    allows: ["forge"],
    endpoints: [
      "DELETE /rest/api/3/uiModifications/{uiModificationId}",
      "DELETE /rest/api/2/uiModifications/{uiModificationId}",
    ],
  },
  {
    // An app's own JQL functions: "a function created by a Forge/Connect app" (the POST's description) [MODULES].
    words: "This API is only accessible to apps and apps can only inspect their own functions.",
    allows: ["forge", "connect"],
    reading:
      'Its functions are Forge or Connect apps\' ("a function created by a Forge/Connect app", the document says of its POST); an OAuth 2.0 (3LO) app defines none.',
    endpoints: [
      "GET /rest/api/3/jql/function/computation",
      "POST /rest/api/3/jql/function/computation/search",
      "GET /rest/api/2/jql/function/computation",
    ],
  },
  {
    // Also: "Apps can only perform this operation on custom fields and custom field types declared in their own manifests."
    words: "Only the app that owns the custom field or custom field type can update its values with this operation.",
    allows: ["forge", "connect"],
    reading:
      'The document also says apps act only on custom fields "declared in their own manifests"; an OAuth 2.0 (3LO) app has no manifest.',
    endpoints: [
      "POST /rest/api/3/app/field/value",
      "PUT /rest/api/3/app/field/{fieldIdOrKey}/value",
      "POST /rest/api/2/app/field/value",
      "PUT /rest/api/2/app/field/{fieldIdOrKey}/value",
    ],
  },
  {
    // confluence.v2.json
    words: "Only apps can make this request.",
    allows: APPS,
    endpoints: ["GET /wiki/api/v2/data-policies/metadata", "GET /wiki/api/v2/data-policies/spaces"],
  },
  {
    // confluence.v1.json
    words: "Only apps can access this REST resource and only make changes to the respective app permissions.",
    allows: APPS,
    endpoints: ["POST /wiki/rest/api/space/{spaceKey}/permission/custom-content"],
  },
  {
    // jira-software.json: the security, operations and DevOps components APIs.
    words: "Only Connect apps that define the `jiraSecurityInfoProvider` module can access this resource.",
    allows: ["connect"],
    endpoints: [
      "POST /rest/security/1.0/linkedWorkspaces/bulk",
      "DELETE /rest/security/1.0/linkedWorkspaces/bulk",
      "GET /rest/security/1.0/linkedWorkspaces",
      "GET /rest/security/1.0/linkedWorkspaces/{workspaceId}",
      "POST /rest/security/1.0/bulk",
      "DELETE /rest/security/1.0/bulkByProperties",
      "GET /rest/security/1.0/vulnerability/{vulnerabilityId}",
      "DELETE /rest/security/1.0/vulnerability/{vulnerabilityId}",
    ],
  },
  {
    words: "Only Connect apps that define the `jiraOperationsInfoProvider` module can access this resource.",
    allows: ["connect"],
    endpoints: [
      "POST /rest/operations/1.0/linkedWorkspaces/bulk",
      "DELETE /rest/operations/1.0/linkedWorkspaces/bulk",
      "GET /rest/operations/1.0/linkedWorkspaces",
      "POST /rest/operations/1.0/bulk",
      "DELETE /rest/operations/1.0/bulkByProperties",
      "GET /rest/operations/1.0/incidents/{incidentId}",
      "DELETE /rest/operations/1.0/incidents/{incidentId}",
      "GET /rest/operations/1.0/post-incident-reviews/{reviewId}",
      "DELETE /rest/operations/1.0/post-incident-reviews/{reviewId}",
    ],
  },
  {
    words: "Only Connect apps that define the `jiraDevOpsComponentProvider` module can access this resource.",
    allows: ["connect"],
    endpoints: [
      "POST /rest/devopscomponents/1.0/bulk",
      "DELETE /rest/devopscomponents/1.0/bulkByProperties",
      "GET /rest/devopscomponents/1.0/devopscomponents/{componentId}",
      "DELETE /rest/devopscomponents/1.0/devopscomponents/{componentId}",
    ],
  },
  {
    // The words name no kind of app; only Forge and Connect apps define modules [MODULES].
    words: "Only apps that define the `jiraDeploymentInfoProvider` module can access this resource.",
    allows: ["forge", "connect"],
    reading: DEFINES_MODULES,
    endpoints: [
      "GET /rest/deployments/0.1/pipelines/{pipelineId}/environments/{environmentId}/deployments/{deploymentSequenceNumber}/gating-status",
    ],
  },
];

const APP_ONLY_BY_ENDPOINT: ReadonlyMap<string, AppOnly> = new Map(
  APP_ONLY.flatMap(({ words, allows, reading, endpoints }) =>
    endpoints.map((key) => [key, { words, allows, ...(reading ? { reading } : {}) }] as const),
  ),
);

/** The templates of APP_ONLY_BY_ENDPOINT's keys: most endpoints are looked up by their path alone. */
const APP_ONLY_PATHS: ReadonlySet<string> = new Set(
  APP_ONLY.flatMap(({ endpoints }) => endpoints.map((key) => key.slice(key.indexOf(" ") + 1))),
);

/** What the endpoint's document says about which apps may call it ([APP-ONLY]), if it says so. */
export function appOnlyOf(endpoint: Pick<Endpoint, "method" | "path">): AppOnly | undefined {
  // Every checked endpoint asks: its path first (a catalog string, hashed once), the joined key only for those paths.
  if (!APP_ONLY_PATHS.has(endpoint.path)) return undefined;
  return APP_ONLY_BY_ENDPOINT.get(`${endpoint.method} ${endpoint.path}`);
}

/**
 * The document's words on which apps may call the endpoint, where they are to be mentioned: without a
 * credential, or to one they allow (one they refuse is told by judgeEndpoint instead).
 */
export function appOnlyToMention(
  kind: CredentialKind | undefined,
  endpoint: Pick<Endpoint, "method" | "path">,
): AppOnly | undefined {
  const only = appOnlyOf(endpoint);
  return only && (kind === undefined || only.allows.includes(kind)) ? only : undefined;
}

/**
 * The kinds that may call one of these endpoints by their documents' words ([APP-ONLY]): every kind when
 * one of them names none. Where a site URL should go follows from it: the gateway is for 3LO apps and
 * scoped API tokens; a Forge app calls requestJira/requestConfluence, a Connect app its site.
 */
export function callersOf(endpoints: readonly { method?: string; path: string }[]): ReadonlySet<CredentialKind> {
  const callers = new Set<CredentialKind>();
  for (const { method, path } of endpoints) {
    const only = method === undefined ? undefined : APP_ONLY_BY_ENDPOINT.get(`${method} ${path}`);
    for (const kind of only?.allows ?? CREDENTIAL_KINDS) callers.add(kind);
  }
  return callers;
}

/** Who may call, in words: "Connect apps and OAuth 2.0 (3LO) apps", or "apps (...)" for all three. */
function appsWho(allows: readonly CredentialKind[]): string {
  if (allows.length === APPS.length) return "apps (OAuth 2.0 (3LO), Forge or Connect apps; an API token is not an app)";
  const names = allows.map((kind) => APP_NAMES[kind] ?? kind);
  return names.length === 1 ? names[0]! : `${names.slice(0, -1).join(", ")} and ${names.at(-1)}`;
}

/** The note an endpoint that only some apps may call gets where the credential is not refused it. */
export function appOnlyNote(only: AppOnly): string {
  return `The document says: "${only.words}" Only ${appsWho(only.allows)} can call it (\`credential\`: ${only.allows.join(", ")}).${only.reading ? ` ${only.reading}` : ""}`;
}
/** The curated User Identity and accessible-resources APIs (curated.ts cites the pages): for 3LO access tokens. */
const THREE_LO_ONLY = /^\/(me|oauth\/token\/accessible-resources)$/;

/** Whether the credential can hold and use this alternative of this endpoint, and why not. */
export function judgeAlternative(
  kind: CredentialKind,
  endpoint: Pick<Endpoint, "product" | "method" | "path" | "authTypes" | "connectScope">,
  alternative: Pick<Alternative, "kind" | "scopes">,
): Verdict {
  const endpointVerdict = judgeEndpoint(kind, endpoint);
  if (!endpointVerdict.usable) return endpointVerdict;
  if (endpoint.product === "bitbucket") return judgeBitbucket(kind, alternative);
  if (kind === "connect")
    return no(
      `Connect apps hold Connect scopes, not OAuth scopes: this endpoint needs the Connect scope ${endpoint.connectScope ?? "(none published)"}.`,
    );
  // oauth2-3lo, forge, scoped-api-token hold classic and granular Jira/Confluence scopes alike ([SCOPES-3LO-FORGE], [API-TOKENS]).
  return USABLE;
}

/** Whether the credential can call the endpoint at all, whatever its scopes. */
export function judgeEndpoint(
  kind: CredentialKind,
  endpoint: Pick<Endpoint, "product" | "method" | "path" | "authTypes" | "connectScope">,
): Verdict {
  if (endpoint.product === "bitbucket") {
    if (kind === "oauth2-3lo")
      return no(
        "Bitbucket Cloud's OAuth 2.0 clients are Bitbucket OAuth consumers (`bitbucket-oauth-consumer`); its document lists no Atlassian OAuth 2.0 (3LO) auth type.",
      );
    if (kind in ACCESS_TOKEN_SCOPES && ACCESS_TOKEN_REFUSED.has(`${endpoint.method} ${endpoint.path}`))
      return no("Bitbucket's document lists this among the APIs that are inaccessible for access tokens.");
    if (kind === "forge" && endpoint.authTypes && !endpoint.authTypes.includes("forge-oauth2"))
      return no(
        `The document's auth types for this operation are ${endpoint.authTypes.join(", ")}: it is not available to Forge apps.`,
      );
    if (
      (kind === "bitbucket-api-token" || kind === "scoped-api-token") &&
      endpoint.authTypes &&
      !endpoint.authTypes.includes("api-token")
    )
      return no(
        `The document's auth types for this operation are ${endpoint.authTypes.join(", ")}: it is not available to API tokens.`,
      );
    return USABLE;
  }
  return judgeSiteEndpoint(kind, endpoint);
}

/**
 * judgeEndpoint for an endpoint of a product other than Bitbucket, which reads only its product, method,
 * path and Connect scope: a Connect app's list judges endpoints by their stored methods, paths and
 * Connect scopes so. An endpoint whose document names the apps that may call it ([APP-ONLY]) refuses
 * the other kinds, in the document's words.
 */
export function judgeSiteEndpoint(
  kind: CredentialKind,
  endpoint: Pick<Endpoint, "product" | "method" | "path" | "connectScope">,
): Verdict {
  if (BITBUCKET_KINDS.has(kind))
    return no(`${credentialName(kind)} calls only Bitbucket Cloud (api.bitbucket.org), not ${endpoint.product}.`);
  const only = appOnlyOf(endpoint);
  if (only && !only.allows.includes(kind))
    return no(
      `The document says: "${only.words}" Only ${appsWho(only.allows)} can call it, not ${credentialName(kind)}.${only.reading ? ` ${only.reading}` : ""}`,
    );
  if (endpoint.product === "platform" && THREE_LO_ONLY.test(endpoint.path) && kind !== "oauth2-3lo")
    return no(
      "Atlassian's OAuth 2.0 pages describe it for OAuth 2.0 (3LO) access tokens, sent as Bearer tokens to api.atlassian.com; not for this credential.",
    );
  if (kind === "connect") {
    if (!endpoint.connectScope) return no("The document publishes no Connect scope for this endpoint.");
    if (endpoint.connectScope.toUpperCase() === "INACCESSIBLE")
      return no("The document's Connect scope for this endpoint is INACCESSIBLE: Connect apps cannot call it.");
  }
  return USABLE;
}

function judgeBitbucket(kind: CredentialKind, alternative: Pick<Alternative, "kind" | "scopes">): Verdict {
  const classic = alternative.kind === "classic";
  const names = alternative.scopes.map((scope) => `\`${scope}\``).join(" + ");
  switch (kind) {
    case "bitbucket-oauth-consumer":
    case "connect":
      return classic
        ? USABLE
        : no(
            `${names} ${alternative.scopes.length === 1 ? "is an API-token/Forge scope" : "are API-token/Forge scopes"} (x-atlassian-oauth2-scopes); ${kind === "connect" ? "a Bitbucket Connect app declares" : "an OAuth consumer holds"} Bitbucket's classic scopes (security.oauth2).`,
          );
    case "bitbucket-api-token":
    case "scoped-api-token":
    case "forge":
      if (classic)
        return no(
          `${names} ${alternative.scopes.length === 1 ? "is an OAuth-consumer scope" : "are OAuth-consumer scopes"} (security.oauth2); ${kind === "forge" ? "a Forge app" : "an API token"} holds the \`*:bitbucket\` scopes.`,
        );
      // Whether the operation takes API tokens or Forge apps at all is judgeEndpoint's (x-atlassian-auth-types).
      return USABLE;
    default: {
      // Access tokens: classic scopes only, and only those their kind can be given.
      if (!classic)
        return no(
          `${names}: API-token/Forge scopes; an access token holds Bitbucket's classic scopes (\`repository\`, \`pullrequest\`).`,
        );
      const grants = ACCESS_TOKEN_GRANTS.get(kind);
      const refused = alternative.scopes.filter((scope) => !grants?.has(scope));
      if (refused.length === 0) return USABLE;
      return no(
        `${refused.map((scope) => `\`${scope}\``).join(", ")} cannot be given to ${credentialName(kind)} (Bitbucket's document lists the scopes each access token can hold).`,
      );
    }
  }
}

/**
 * Caveats the documents state for an endpoint, per credential (shown, not enforced). Without a
 * credential, or with one they allow, the apps an endpoint's document names ([APP-ONLY]); a credential
 * they refuse is told by judgeEndpoint instead.
 */
export function endpointCaveats(
  kind: CredentialKind | undefined,
  endpoint: Pick<Endpoint, "product" | "method" | "path" | "authTypes">,
): string[] {
  const caveats: string[] = [];
  const only = appOnlyToMention(kind, endpoint);
  if (only) caveats.push(appOnlyNote(only));
  if (/^\/(rest\/api\/[23]|wiki\/rest\/api)\/user\/email(\/bulk)?$/.test(endpoint.path)) {
    // The operation's description in jira-platform.v3 and confluence.v1. The v2 document read here (2024)
    // says "only available to apps approved by Atlassian"; its v3 twin's newer words hold for both, as its
    // deprecations and removals do (scraper/normalize.ts withV3Twins).
    if (kind === undefined || kind === "connect")
      caveats.push(
        "The document says: for Connect apps this API is only available to apps approved by Atlassian (https://community.developer.atlassian.com/t/guidelines-for-requesting-access-to-email-address/27603).",
      );
    if (kind === undefined || kind === "forge")
      caveats.push("The document says: for Forge apps this API only supports asApp() requests.");
    if (kind === undefined || kind === "oauth2-3lo" || kind === "scoped-api-token")
      caveats.push(
        "The document's `security` for this operation lists no OAuth 2.0 scheme (its scope is published only as Beta in x-atlassian-oauth2-scopes).",
      );
  }
  if (endpoint.product === "bitbucket" && !endpoint.authTypes && kind !== undefined && !BITBUCKET_KINDS.has(kind))
    caveats.push("The document lists no auth types for this operation, so which tokens it takes is not stated.");
  return caveats;
}

/**
 * The document's auth types for an alternative: Bitbucket's `x-atlassian-auth-types` label its
 * API-token/Forge set (x-atlassian-oauth2-scopes); its classic set is `security.oauth2`, which names none.
 * Other documents publish no auth types.
 */
export function alternativeAuthTypes(
  endpoint: Pick<Endpoint, "product" | "authTypes">,
  alternative: Pick<Alternative, "kind">,
): string[] | undefined {
  if (endpoint.product !== "bitbucket" || alternative.kind === "classic") return undefined;
  return endpoint.authTypes;
}

/** Every credential kind that can use the alternative, in CREDENTIAL_KINDS order. */
export function usableBy(
  endpoint: Pick<Endpoint, "product" | "method" | "path" | "authTypes" | "connectScope">,
  alternative: Pick<Alternative, "kind" | "scopes">,
): CredentialKind[] {
  return CREDENTIAL_KINDS.filter((kind) => judgeAlternative(kind, endpoint, alternative).usable);
}

/** Which held scopes are which, for inference. */
type HeldFamily = "bitbucket-classic" | "bitbucket-granular" | "connect" | "atlassian";

/** Scopes any OAuth 2.0 credential may hold besides its product's (Atlassian platform scopes). */
const NEUTRAL = new Set(["offline_access", "read:me", "read:account"]);

function familyOf(scope: string): HeldFamily | undefined {
  if (NEUTRAL.has(scope)) return undefined;
  if (isBitbucketClassic(scope)) return "bitbucket-classic";
  if (scope.endsWith(":bitbucket")) return "bitbucket-granular";
  // A descriptor writes Connect's names in all upper or all lower case (READ, read), never mixed.
  if (connectScopeName(scope) !== undefined) return "connect";
  // Every Jira and Confluence scope has a colon (read:jira-work); a bare word is a typo, reported as unknown.
  return scope.includes(":") ? "atlassian" : undefined;
}

/** Which family of held scopes each credential kind holds (access tokens a subset of theirs: see judgeAlternative). */
const HOLDS: Readonly<Record<CredentialKind, readonly HeldFamily[]>> = {
  "oauth2-3lo": ["atlassian"],
  forge: ["atlassian", "bitbucket-granular"],
  "scoped-api-token": ["atlassian", "bitbucket-granular"],
  connect: ["connect", "bitbucket-classic"],
  "bitbucket-oauth-consumer": ["bitbucket-classic"],
  "bitbucket-api-token": ["bitbucket-granular"],
  "bitbucket-access-token": ["bitbucket-classic"],
  "bitbucket-repository-access-token": ["bitbucket-classic"],
  "bitbucket-project-access-token": ["bitbucket-classic"],
  "bitbucket-workspace-access-token": ["bitbucket-classic"],
};

/** A warning when the credential given cannot hold some of the scopes said to be held (they never count). */
export function heldMismatch(kind: CredentialKind, held: readonly string[]): string | undefined {
  const foreign = held.filter((scope) => {
    const family = familyOf(scope);
    return family !== undefined && !HOLDS[kind].includes(family);
  });
  if (foreign.length === 0) return undefined;
  const names = foreign
    .slice(0, 3)
    .map((scope) => `\`${scope}\``)
    .join(", ");
  return `The credential is ${CREDENTIAL_TITLES[kind]}; it cannot hold ${names}${foreign.length > 3 ? ` and ${foreign.length - 3} more` : ""}, so ${foreign.length === 1 ? "that scope does" : "those scopes do"} not count. Is \`credential\` right?`;
}

/** How the warning for a scoped API token holding several apps' scopes starts. */
export const ONE_APP_TOKEN = "An API token with scopes is created for one app (Jira, Confluence or Bitbucket):";

/** Each app (appOf) as its name is written. */
export const APP_TITLES = { jira: "Jira", confluence: "Confluence", bitbucket: "Bitbucket" } as const;

/** The apps (as a scoped API token is made for one: [API-TOKENS]) whose scopes are held, in held order. */
function appsOf(held: readonly string[]): string[] {
  const apps: string[] = [];
  for (const scope of held) {
    const family = familyOf(scope);
    if (family !== "atlassian" && family !== "bitbucket-granular") continue;
    const product = registryProductOf(scope);
    if (!(PRODUCTS as readonly string[]).includes(product)) continue;
    const app = APP_TITLES[appOf(product as Product)];
    if (!apps.includes(app)) apps.push(app);
  }
  return apps;
}

export interface Inference {
  /** The credential the held scopes point to, when they point to one family only. */
  kind?: CredentialKind;
  reason?: string;
  /** Held scopes no single credential can hold together. */
  warning?: string;
}

const FAMILY_WORDS: Readonly<Record<HeldFamily, string>> = {
  "bitbucket-classic": "Bitbucket OAuth-consumer scopes",
  "bitbucket-granular": "Bitbucket API-token/Forge scopes",
  connect: "Connect scopes",
  atlassian: "Jira/Confluence OAuth scopes",
};

/**
 * The credential kind held scopes imply, where that is unambiguous for what counts: Bitbucket classic
 * scopes only (an OAuth consumer; access tokens hold a subset), `*:bitbucket` scopes only (an API token;
 * a Forge app holds the same), Connect scopes only. Jira/Confluence scopes alone say nothing: 3LO apps,
 * Forge apps and scoped API tokens hold them alike. A warning when the held scopes mix kinds that no
 * single credential holds together.
 */
export function inferCredential(held: readonly string[]): Inference {
  const families = new Map<HeldFamily, string[]>();
  for (let at = 0; at < held.length; at++) {
    const scope = held[at]!;
    const family = familyOf(scope);
    if (!family) continue;
    const list = families.get(family);
    if (list) list.push(scope);
    else families.set(family, [scope]);
  }
  const present = [...families.keys()];
  const sample = (family: HeldFamily) =>
    families
      .get(family)!
      .slice(0, 3)
      .map((scope) => `\`${scope}\``)
      .join(", ");
  const conflicting =
    (families.has("bitbucket-classic") && present.length > 1) || (families.has("connect") && present.length > 1);
  if (conflicting)
    return {
      warning: `The scopes mix kinds no single credential holds: ${present.map((family) => `${FAMILY_WORDS[family]} (${sample(family)})`).join(" and ")}. Check them per credential, or give \`credential\`.`,
    };
  // offline_access asks Atlassian's authorization server for a refresh token: only an OAuth 2.0 (3LO)
  // app's authorization URL holds it (curated.ts cites the page); API tokens and Forge apps never do.
  if (held.includes("offline_access") && (present.length === 0 || (present.length === 1 && present[0] === "atlassian")))
    return {
      kind: "oauth2-3lo",
      reason:
        "`offline_access` is held, which only an OAuth 2.0 (3LO) app asks for (a refresh token): checked as a 3LO app; give `credential` otherwise.",
    };
  if (present.length !== 1) return {};
  const family = present[0]!;
  switch (family) {
    case "bitbucket-classic":
      return {
        kind: "bitbucket-oauth-consumer",
        reason: `Only Bitbucket OAuth-consumer scopes are held (${sample(family)}): checked as a Bitbucket OAuth consumer; for an access token, give \`credential\` (bitbucket-repository-access-token, ...).`,
      };
    case "bitbucket-granular":
      return {
        kind: "bitbucket-api-token",
        reason: `Only Bitbucket API-token/Forge scopes are held (${sample(family)}): checked as a Bitbucket API token; for a Forge app, give \`credential: "forge"\`.`,
      };
    case "connect":
      return { kind: "connect", reason: `Only Connect scopes are held (${sample(family)}): checked as a Connect app.` };
    default:
      return {};
  }
}

/** The credential an answer is for: the one given, or the one the held scopes point to (see inferCredential). */
export interface CredentialChoice {
  kind: CredentialKind;
  inferred: boolean;
  reason?: string;
}

/**
 * The credential given, or the one the held scopes imply; warnings when the held scopes mix kinds
 * (first) and when the credential given cannot hold some of them (last).
 */
export function credentialFor(
  held: readonly string[],
  given: CredentialKind | undefined,
): { credential?: CredentialChoice; warnings: string[] } {
  const inferred = inferCredential(held);
  // With a credential given, the scopes it cannot hold are named below: the mix warning would ask for one.
  const warnings = inferred.warning && !given ? [inferred.warning] : [];
  if (given) {
    const apps = given === "scoped-api-token" ? appsOf(held) : [];
    if (apps.length > 1)
      warnings.push(
        `${ONE_APP_TOKEN} these scopes are ${apps.join(" and ")}'s, so no one token holds them all. Check each app's endpoints against that app's token.`,
      );
    // Last: /explain reports one warning, the last, and the scopes the kind cannot hold matter most.
    const mismatch = heldMismatch(given, held);
    if (mismatch) warnings.push(mismatch);
    return { credential: { kind: given, inferred: false }, warnings };
  }
  if (!inferred.kind) return { warnings };
  return { credential: { kind: inferred.kind, inferred: true, reason: inferred.reason }, warnings };
}
