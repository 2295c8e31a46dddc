/**
 * What a token's scopes lack for an endpoint, and why near misses do not count. No I/O.
 * An endpoint is satisfied when the token holds every scope of at least one alternative, counting
 * the scopes Bitbucket's classic OAuth 2.0 scopes imply (repository:write grants repository); no other
 * scope implies anything (see implied-scopes.ts).
 */
import { itemReader, lazyPer } from "../lazy";
import type { CatalogIndex, CatalogProductData, ScopeIndex } from "./catalog-index";
import { CURATED_SCOPES, needsNoScope, OFFLINE_ACCESS_DOCS } from "./curated";
import {
  appOnlyNote,
  appOnlyToMention,
  connectGrantsOf,
  connectScopeHeld,
  connectScopeInAnyCase,
  connectScopeName,
  credentialName,
  endpointCaveats,
  judgeAlternative,
  judgeEndpoint,
  judgeSiteEndpoint,
  type CredentialKind,
} from "./credentials";
import { impliedBy, impliedClosure, impliesAny, isBitbucketClassic } from "./implied-scopes";
import { scopeKindOf } from "./scope-names";
import {
  apiOf,
  candidateKeys,
  equivalenceKey,
  PRODUCT_TITLES,
  productTitle,
  registryProductOf,
} from "./scope-registry";
import {
  type Alternative,
  type AlternativeKind,
  connectScopeAt,
  type Endpoint,
  methodOfLetter,
  type Product,
} from "./schema";

export interface AlternativeCheck {
  kind: AlternativeKind;
  state: string;
  scopes: string[];
  missing: string[];
  /** Only when a credential is known: whether it can hold this set, and why not. */
  usable?: boolean;
  why?: string;
}

export interface EndpointCheck {
  /** null when the documents publish no scopes for the endpoint: nothing can be said. */
  satisfied: boolean | null;
  /** The catalog's alternative, as listed: its scopes may be held through implication (`repository` by `repository:write`). */
  satisfiedBy: { kind: AlternativeKind; state: string; scopes: string[] } | null;
  /** The smallest set of scopes to add so that some alternative is satisfied; scopes implied by held ones are not missing. */
  missing: string[];
  alternatives: AlternativeCheck[];
  hints: string[];
  /** Only when a credential is known and it cannot call the endpoint through any alternative: why. */
  unusable?: string;
  /** The endpoint takes no scope (a curated record): satisfied whatever is held; what may call it. */
  needsNoScope?: string;
}

/**
 * What the hints need from a token's scopes, worked out once per token rather than once per endpoint
 * checked (a /diff of 100 endpoints asks 100 times). Keyed by the set itself: a held set is not
 * changed after it is passed in.
 */
interface HeldView {
  /** Classic Jira scopes held (`read:jira-work`): they never count for Jira Software. */
  classicJira: string[];
  /**
   * Each held scope with its `action:resource:product` pieces, by product (undefined for classic
   * scopes), in held order. Bitbucket classic scopes (`resource:action`) are not here: see `bitbucket`.
   */
  byProduct: Map<string | undefined, HeldPieces[]>;
  /** Bitbucket classic scopes held (`repository`, `pullrequest:write`), in held order. */
  bitbucket: string[];
  /** The held scopes with every scope they imply: the held set itself when they imply nothing more. */
  granted: ReadonlySet<string>;
  /** Each scope granted only by implication, with the first held scope (in held order) that implies it. */
  impliedFrom: Map<string, string>;
  /** Near-miss hints per missing scope: the same scope is missing for many of the endpoints checked. */
  nearMisses: Map<string, readonly string[]>;
}

interface HeldPieces {
  scope: string;
  action: string | undefined;
  resource: string | undefined;
  product: string | undefined;
}

const viewOf = lazyPer((held: ReadonlySet<string>): HeldView => {
  const scopes = [...held];
  const byProduct = new Map<string | undefined, HeldPieces[]>();
  const bitbucket: string[] = [];
  for (const scope of scopes) {
    if (isBitbucketClassic(scope)) {
      bitbucket.push(scope);
      continue;
    }
    const [action, resource, product] = scope.split(":");
    const pieces = byProduct.get(product);
    if (pieces) pieces.push({ scope, action, resource, product });
    else byProduct.set(product, [{ scope, action, resource, product }]);
  }
  const impliedFrom = new Map<string, string>();
  const granted = grantedOf(held);
  if (granted !== held) {
    for (const scope of bitbucket)
      for (const implied of impliedBy(scope))
        if (!held.has(implied) && !impliedFrom.has(implied)) impliedFrom.set(implied, scope);
  }
  return {
    classicJira: scopes.filter((scope) => scopeKindOf(scope) === "classic" && /jira/.test(scope)),
    byProduct,
    bitbucket,
    granted,
    impliedFrom,
    nearMisses: new Map(),
  };
});

/** The held scopes with every scope they imply: the held set itself when they imply nothing more. */
const grantedOf = lazyPer(
  (held: ReadonlySet<string>): ReadonlySet<string> => (impliesAny(held) ? impliedClosure(held) : held),
);

/**
 * With `credential`, only the alternatives that credential can hold count: the others are listed with
 * why not, and never proposed (`missing`, `satisfiedBy`). A Connect app is checked by the endpoint's
 * Connect scope instead (its OAuth alternatives are all unusable to it).
 */
export function checkEndpoint(
  endpoint: Endpoint,
  held: ReadonlySet<string>,
  credential?: CredentialKind,
  isKnown?: KnownScope,
): EndpointCheck {
  let hints = endpointHints(endpoint, held, isKnown);
  if (credential) hints = hints.concat(endpointCaveats(credential, endpoint));
  else {
    // Without a credential, still which apps the document lets call it: a plan or token may be the wrong kind.
    const only = appOnlyToMention(undefined, endpoint);
    if (only) hints = hints.concat(appOnlyNote(only));
  }
  const view = viewOf(held);
  const granted = view.granted;
  const alternatives: AlternativeCheck[] = [];
  const blocked = credential ? judgeEndpoint(credential, endpoint) : undefined;
  let satisfying: AlternativeCheck | undefined;
  // Fewest to add; a Current set before a Beta one; then catalog order (classic first).
  let closest: AlternativeCheck | undefined;
  /** Unusable alternatives the held scopes would satisfy: worth a hint, since they look like the answer. */
  const heldButUnusable: AlternativeCheck[] = [];
  // Indexed loops, no spreads: this runs for each of up to 2,000 checks, in code a fresh isolate has
  // not optimised, where each for-of step and spread allocates an iterator result.
  for (let index = 0; index < endpoint.alternatives.length; index++) {
    const { kind, state, scopes } = endpoint.alternatives[index]!;
    const missing: string[] = [];
    for (let at = 0; at < scopes.length; at++) if (!granted.has(scopes[at]!)) missing.push(scopes[at]!);
    const check: AlternativeCheck = { kind, state, scopes, missing };
    alternatives.push(check);
    if (credential) {
      const verdict = judgeAlternative(credential, endpoint, { kind, scopes });
      check.usable = verdict.usable;
      if (!verdict.usable) {
        check.why = verdict.why;
        if (missing.length === 0) heldButUnusable.push(check);
        continue;
      }
    }
    if (missing.length === 0) satisfying ??= check;
    else if (
      !closest ||
      missing.length < closest.missing.length ||
      (missing.length === closest.missing.length && state === "Current" && closest.state !== "Current")
    )
      closest = check;
  }
  if (credential === "connect" && blocked?.usable && endpoint.connectScope)
    return connectCheck(endpoint.connectScope, held, alternatives, hints);
  // Before "needs no scope": accessible-resources takes no scope, but only a 3LO token.
  if (blocked && !blocked.usable)
    return {
      satisfied: false,
      satisfiedBy: null,
      missing: [],
      alternatives,
      hints: [blocked.why!].concat(hints),
      unusable: blocked.why,
    };
  if (alternatives.length === 0) {
    const noScope = needsNoScope(endpoint);
    // A curated record that takes no scope is callable whatever is held; a documented endpoint that
    // publishes no scopes stays unknown (null): nothing is known to satisfy it.
    if (noScope) return { satisfied: true, satisfiedBy: null, missing: [], alternatives, hints, needsNoScope: noScope };
    return { satisfied: null, satisfiedBy: null, missing: [], alternatives, hints };
  }
  if (satisfying) {
    return {
      satisfied: true,
      satisfiedBy: ref(satisfying),
      missing: [],
      alternatives,
      hints: view.impliedFrom.size > 0 ? impliedHints(satisfying.scopes, view).concat(hints) : hints,
    };
  }
  const unusableHints = heldButUnusable.map(
    (check) => `The held scopes satisfy ${check.scopes.map((scope) => `\`${scope}\``).join(" + ")}, but ${check.why}`,
  );
  if (!closest) {
    const why = `None of this endpoint's scope sets can be held by ${credential}: ${alternatives.map((check) => check.why).join(" ")}`;
    return {
      satisfied: false,
      satisfiedBy: null,
      missing: [],
      alternatives,
      hints: unusableHints.concat(hints),
      unusable: why,
    };
  }
  const near = nearMissHints(closest.missing, held).concat(otherProductHints(endpoint, alternatives, held, isKnown));
  return {
    satisfied: false,
    satisfiedBy: null,
    missing: closest.missing,
    alternatives,
    hints:
      view.impliedFrom.size > 0
        ? unusableHints.concat(near, impliedHints(closest.scopes, view), hints)
        : unusableHints.concat(near, hints),
  };
}

/** A Connect app: the held Connect scopes (with what each implies) against the endpoint's. */
function connectCheck(
  needed: string,
  held: ReadonlySet<string>,
  alternatives: AlternativeCheck[],
  hints: string[],
): EndpointCheck {
  if (connectScopeHeld(needed, held))
    return {
      satisfied: true,
      satisfiedBy: null,
      missing: [],
      alternatives,
      hints: [`The Connect scope ${needed} is held (or implied by a held one).`, ...hints],
    };
  return {
    satisfied: false,
    satisfiedBy: null,
    missing: [needed],
    alternatives,
    hints: [`Connect apps need the Connect scope ${needed} in their descriptor (or one that implies it).`, ...hints],
  };
}

const CURATED_SCOPE_NAMES = new Set(CURATED_SCOPES.map((scope) => scope.name));

/**
 * Per held set, each held scope that could stand in for another product's, with its product, and the
 * held scopes by equivalence key: worked out once (a request checks up to 2,000 endpoints against one
 * set, and looks up only the few scopes each misses).
 */
interface HeldEquivalents {
  held: { have: string; product: string }[];
  /** Positions in `held` by equivalenceKey, in held order. */
  byKey: Map<string, number[]>;
}

const heldEquivalents = lazyPer((heldSet: ReadonlySet<string>): HeldEquivalents => {
  const equivalents: HeldEquivalents = { held: [], byKey: new Map() };
  for (const have of heldSet) {
    const key = equivalenceKey(have);
    if (key === undefined) continue;
    const at = equivalents.held.push({ have, product: registryProductOf(have) }) - 1;
    const positions = equivalents.byKey.get(key);
    if (positions) positions.push(at);
    else equivalents.byKey.set(key, [at]);
  }
  return equivalents;
});

/**
 * Held scopes of another product or API that have an equivalent among the missing ones: `read:account`
 * (User Identity API) for Bitbucket's `read:user:bitbucket`, `read:user:jira` for `read:user:bitbucket`.
 * A scope counts only for its own product, so the hint names the one that does (scope-registry.ts).
 * With `isKnown`, only real held scopes are named. Each is named with the first equivalent in the
 * missing scopes' order, in held order.
 */
function otherProductHints(
  endpoint: Endpoint,
  alternatives: readonly AlternativeCheck[],
  heldSet: ReadonlySet<string>,
  isKnown: KnownScope | undefined,
): string[] {
  const { held, byKey } = heldEquivalents(heldSet);
  if (held.length === 0) return [];
  // Any alternative's missing scopes (Bitbucket's GET /2.0/user takes `account` or `read:user:bitbucket`).
  // Indexed loops: this runs for every endpoint checked, in code a fresh isolate has not optimised.
  const missing = missingIn(alternatives);
  let equivalentAt: (string | undefined)[] | undefined;
  for (let index = 0; index < missing.length; index++) {
    const candidate = missing[index]!;
    const keys = candidateKeys(candidate);
    for (let k = 0; k < keys.length; k++) {
      const positions = byKey.get(keys[k]!);
      if (!positions) continue;
      for (let p = 0; p < positions.length; p++) {
        const at = positions[p]!;
        const { have, product } = held[at]!;
        if (product === endpoint.product || have === candidate || equivalentAt?.[at] !== undefined) continue;
        (equivalentAt ??= new Array<string | undefined>(held.length))[at] = candidate;
      }
    }
  }
  if (!equivalentAt) return [];
  const hints: string[] = [];
  const title = productTitle(endpoint.product);
  for (let at = 0; at < held.length; at++) {
    const equivalent = equivalentAt[at];
    if (equivalent === undefined) continue;
    const { have, product } = held[at]!;
    // A name no product has (`read:workspace:jira`) is reported as unknown, with the real one suggested.
    if (isKnown && !isKnown(have)) continue;
    const owner = PRODUCT_TITLES[product as Product]
      ? `a ${productTitle(product)} scope`
      : `a scope of ${apiOf({ name: have, product }).api}`;
    // The counterpart alone may not do: name the rest of its set (GET /myself's granular set has four).
    const set = alternatives.find((alternative) => alternative.scopes.includes(equivalent))?.scopes ?? [];
    const with_ = set.filter((scope) => scope !== equivalent);
    hints.push(
      `\`${have}\` is ${owner}, not a ${title} scope: it does not count here; ${title}'s is \`${equivalent}\`${with_.length > 0 ? `, with ${with_.map((scope) => `\`${scope}\``).join(" + ")}` : ""}.`,
    );
  }
  return hints;
}

/** Each scope missing from any of the alternatives, once, in order. */
function missingIn(alternatives: readonly AlternativeCheck[]): string[] {
  const missing: string[] = [];
  for (let index = 0; index < alternatives.length; index++) {
    const scopes = alternatives[index]!.missing;
    for (let at = 0; at < scopes.length; at++) if (!missing.includes(scopes[at]!)) missing.push(scopes[at]!);
  }
  return missing;
}

/** Which scopes of an alternative the token holds only through a held Bitbucket classic scope that implies them. */
function impliedHints(scopes: readonly string[], view: HeldView): string[] {
  const hints: string[] = [];
  for (const scope of scopes) {
    const from = view.impliedFrom.get(scope);
    if (from) hints.push(`\`${from}\` implies \`${scope}\` (Bitbucket OAuth 2.0 scopes imply lesser ones).`);
  }
  return hints;
}

const ref = (alternative: Pick<Alternative, "kind" | "state" | "scopes">) => ({
  kind: alternative.kind,
  state: alternative.state,
  scopes: alternative.scopes,
});

/**
 * Why held scopes that look right do not count. Granular (`action:resource:product`) and Jira/Confluence
 * classic (`action:resource`) scopes never imply one another. Bitbucket classic scopes (`resource:action`)
 * imply only lesser ones: holding `repository` says nothing about `repository:write`.
 */
export function nearMissHints(missing: readonly string[], held: ReadonlySet<string>): string[] {
  if (missing.length === 0) return [];
  const view = viewOf(held);
  const hints: string[] = [];
  for (let at = 0; at < missing.length; at++) {
    const need = missing[at]!;
    let found = view.nearMisses.get(need);
    if (!found) view.nearMisses.set(need, (found = nearMissesOf(need, view)));
    for (let index = 0; index < found.length; index++) hints.push(found[index]!);
  }
  return hints;
}

function nearMissesOf(need: string, { byProduct, bitbucket }: HeldView): string[] {
  const hints: string[] = [];
  if (isBitbucketClassic(need)) {
    // A held scope that the needed one implies is a lesser one: it does not stand in for it.
    const lesser = impliedBy(need);
    for (const have of bitbucket) {
      if (lesser.includes(have))
        hints.push(
          `\`${have}\` does not include \`${need}\`: Bitbucket OAuth 2.0 scopes imply only lesser ones (\`${need}\` implies \`${have}\`, not the reverse), so add \`${need}\`.`,
        );
    }
    return hints;
  }
  const [needAction, needResource, needProduct] = need.split(":");
  if (!needResource) return hints;
  // Only a held scope of the same product can be a near miss.
  for (const { scope: have, action: haveAction, resource: haveResource } of byProduct.get(needProduct) ?? []) {
    if (have === need || !haveResource) continue;
    const related =
      haveResource === needResource ||
      haveResource.startsWith(`${needResource}.`) ||
      needResource.startsWith(`${haveResource}.`);
    if (!related) continue;
    if (haveAction !== needAction && haveResource === needResource) {
      hints.push(`\`${have}\` does not include \`${need}\`: scopes never imply one another, so add \`${need}\`.`);
    } else if (haveAction === needAction) {
      hints.push(`\`${have}\` does not stand in for \`${need}\`: they are different scopes, so add \`${need}\`.`);
    }
  }
  return hints;
}

/** Whether a scope name is real (isKnownScope: the catalog's, the registry's or a curated one): a typo is reported as unknown, not as a scope. */
export type KnownScope = (scope: string) => boolean;

/**
 * The classic Jira scopes held that cannot authorize this endpoint: Jira Software publishes only
 * granular sets. Empty for any other endpoint, or one without published scopes. With `isKnown`, only
 * real scopes: `read:jira-wrok` has a classic scope's shape, but it is a typo, not a classic scope.
 */
export function classicScopesRefused(endpoint: Endpoint, held: ReadonlySet<string>, isKnown?: KnownScope): string[] {
  if (endpoint.product !== "jira-software" || endpoint.alternatives.length === 0) return [];
  if (endpoint.alternatives.some((alternative) => alternative.kind === "classic")) return [];
  const classic = viewOf(held).classicJira;
  return isKnown ? classic.filter((scope) => isKnown(scope)) : classic;
}

function endpointHints(endpoint: Endpoint, held: ReadonlySet<string>, isKnown: KnownScope | undefined): string[] {
  const hints: string[] = [];
  const heldClassic = classicScopesRefused(endpoint, held, isKnown);
  if (heldClassic.length > 0) {
    const names = heldClassic.map((scope) => `\`${scope}\``).join(", ");
    hints.push(
      `Jira Software has no classic scopes: ${names} ${heldClassic.length === 1 ? "does" : "do"} not count here; use the granular scopes listed.`,
    );
  }
  if (endpoint.curated) hints.push(...endpoint.curated.notes);
  else if (endpoint.alternatives.length === 0) {
    hints.push(
      "Atlassian's documents publish no OAuth scopes for this endpoint, so no scope list can be checked against it.",
    );
  }
  if (endpoint.anonymous) hints.push("This endpoint also accepts anonymous calls (where the site allows them).");
  return hints;
}

export interface UnknownScope {
  scope: string;
  suggestions: string[];
}

/**
 * Suggestions already ranked, per catalog: ranking one name against every known scope costs 0.2 to
 * 0.5 ms, and the same typos (`read:jira-wrok`) come back request after request. A new catalog
 * (a new index) starts empty; the oldest names go first past the bound.
 */
const SUGGESTION_CACHE_SIZE = 512;
const suggestionCache = new WeakMap<CatalogIndex, Map<string, readonly string[]>>();

/**
 * Unknown names a request may have ranked against every scope name: each ranking costs about 2 ms on
 * the full catalog, and 16 tokens of 500 typo-like names once cost 8–16 s. Names ranked before (the
 * cache) cost nothing; names past the budget are listed without suggestions.
 */
export const MAX_RANKED_UNKNOWN = 16;

/** What is left of a request's rankings; share one between the calls of a request. */
export interface RankingBudget {
  left: number;
}

export const rankingBudget = (): RankingBudget => ({ left: MAX_RANKED_UNKNOWN });

function suggestionsFor(scope: string, catalog: CatalogIndex, budget: RankingBudget): string[] {
  let cache = suggestionCache.get(catalog);
  if (!cache) suggestionCache.set(catalog, (cache = new Map()));
  let suggestions = cache.get(scope);
  if (!suggestions) {
    if (budget.left <= 0) return [];
    budget.left--;
    suggestions = catalog.suggestScopes(scope);
    if (cache.size >= SUGGESTION_CACHE_SIZE) cache.delete(cache.keys().next().value!);
    cache.set(scope, suggestions);
  }
  // A copy: callers own the list they get.
  return suggestions.slice();
}

/**
 * Scopes neither the catalog nor its scope registry knows, with the nearest known names while the
 * request's budget lasts. A real scope of an API outside the catalog is not unknown: see outsideScopes.
 * Nor is a Connect scope as a descriptor spells it (`READ`, `read`), whatever the credential: the
 * credential's warnings say when it cannot hold one (listed here, it was its own suggestion).
 */
export function unknownScopes(
  held: readonly string[],
  catalog: CatalogIndex,
  budget: RankingBudget = rankingBudget(),
): UnknownScope[] {
  const unknown: UnknownScope[] = [];
  // Indexed, as in outsideScopes: a cold isolate's for-of allocates per step, and a request holds up to 50,000 names.
  for (let at = 0; at < held.length; at++) {
    const scope = held[at]!;
    if (isKnownScope(scope, catalog) || connectScopeName(scope) !== undefined) continue;
    // A Connect scope in mixed case (`Read`): the spelling a descriptor takes is the one to suggest.
    const connect = connectScopeInAnyCase(scope);
    unknown.push({ scope, suggestions: connect ? [connect] : suggestionsFor(scope, catalog, budget) });
  }
  return unknown;
}

export interface DeprecatedScope {
  scope: string;
  /** The scope its document says replaces it (`project:admin` for Bitbucket's `project:write`). */
  replacedBy?: string;
  description?: string;
}

/**
 * Held scopes their document calls deprecated (a scope record's `deprecated`, from Bitbucket's narrative:
 * "project:write: This scope is deprecated, and has been made obsolete by `project:admin`"): real, so not
 * unknown, but no endpoint takes them any more. Only classic names are looked up (the only deprecated
 * scope any document names is one, and a token's granular names are many), and not those an endpoint
 * at hand takes (`taken`, as for outsideScopes): a diff of scopes its endpoints take reads no scope record.
 */
export function deprecatedScopes(
  held: readonly string[],
  catalog: CatalogIndex,
  taken?: ReadonlySet<string>,
): DeprecatedScope[] {
  const found: DeprecatedScope[] = [];
  for (let at = 0; at < held.length; at++) {
    const scope = held[at]!;
    if (taken?.has(scope) || scopeKindOf(scope) !== "classic" || !catalog.knowsScope(scope)) continue;
    const info = catalog.scope(scope);
    if (!info?.deprecated) continue;
    found.push({
      scope,
      ...(info.replacedBy ? { replacedBy: info.replacedBy } : {}),
      ...(info.description ? { description: info.description } : {}),
    });
  }
  return found;
}

/** "project:write is deprecated: made obsolete by project:admin, which …": one sentence per deprecated scope. */
export function deprecatedScopeText(item: DeprecatedScope): string {
  return `${item.scope} is deprecated${item.replacedBy ? `, made obsolete by ${item.replacedBy}` : ""}: no endpoint takes it any more${item.replacedBy ? `; ask for ${item.replacedBy} instead` : ""}.`;
}

/** Whether the catalog, its scope registry or the curated records know a scope name (else it is unknown, with suggestions). */
export function isKnownScope(scope: string, catalog: CatalogIndex): boolean {
  // The curated scopes (offline_access) are known to any index, also one built without the curated records.
  return catalog.knowsScope(scope) || catalog.registryScope(scope) !== undefined || CURATED_SCOPE_NAMES.has(scope);
}

/** Every scope name an alternative of these endpoints takes. */
export function scopesTakenBy(endpoints: Iterable<Endpoint>): Set<string> {
  const taken = new Set<string>();
  for (const endpoint of endpoints) {
    const alternatives = endpoint.alternatives;
    for (let index = 0; index < alternatives.length; index++) {
      const scopes = alternatives[index]!.scopes;
      for (let at = 0; at < scopes.length; at++) taken.add(scopes[at]!);
    }
  }
  return taken;
}

/**
 * Known scopes held that appear in no alternative of the endpoints asked about (`used`, scopesTakenBy
 * them), neither themselves nor any scope they imply (`repository:write` is used where `repository` is).
 */
export function unusedScopes(held: Iterable<string>, used: ReadonlySet<string>, catalog: CatalogIndex): string[] {
  return [...held].filter(
    (scope) =>
      !used.has(scope) &&
      !impliedBy(scope).some((implied) => used.has(implied)) &&
      // Not an API scope: it asks for a refresh token (src/catalog/curated.ts), so no endpoint ever uses it.
      scope !== "offline_access" &&
      catalog.knowsScope(scope),
  );
}

/** A held scope that asks the authorization server for something, not an endpoint for access. */
export interface AuthorizationScope {
  scope: string;
  /** What it does, and for whom. */
  note: string;
  docsUrl: string;
}

/**
 * Held scopes no REST endpoint needs because they are about the authorization itself: `offline_access`,
 * which gets an OAuth 2.0 (3LO) app a refresh token (curated.ts OFFLINE_ACCESS_DOCS). Known, so never
 * unknown or unused; said with what it does, and that only 3LO apps use it when another kind is given.
 */
export function authorizationScopes(held: readonly string[], kind?: CredentialKind): AuthorizationScope[] {
  if (!held.includes("offline_access")) return [];
  const other = kind !== undefined && kind !== "oauth2-3lo";
  return [
    {
      scope: "offline_access",
      note: `No REST endpoint needs it: it asks Atlassian's authorization server for a refresh token, so an OAuth 2.0 (3LO) app can get new access tokens without the user (add it to the authorization URL's \`scope\`).${other ? ` Only 3LO apps use it; ${credentialName(kind)} does not.` : ""}`,
      docsUrl: OFFLINE_ACCESS_DOCS,
    },
  ];
}

export interface OutsideScope {
  scope: string;
  /** The product the name belongs to (its last segment: compass, me, app). */
  product: string;
  /** The API or product outside the catalog that uses it, in words. */
  api: string;
  docsUrl?: string;
  deprecated?: true;
}

/**
 * Held scopes that are real (the scope registry lists them) but that no catalogued endpoint takes: they
 * belong to an API outside the catalog (Compass, the Teamwork Graph, Forge platform features), named here.
 * `taken`: names some endpoint at hand takes, known not to be outside without reading the scope tables.
 */
export function outsideScopes(
  held: readonly string[],
  catalog: CatalogIndex,
  taken?: ReadonlySet<string>,
): OutsideScope[] {
  const outside: OutsideScope[] = [];
  for (let at = 0; at < held.length; at++) {
    const scope = held[at]!;
    if (taken?.has(scope) || catalog.registryScope(scope) === undefined) continue;
    const status = catalog.classifyScope(scope);
    if (status.status !== "outside") continue;
    outside.push({
      scope,
      product: status.product,
      api: status.api,
      ...(status.docsUrl ? { docsUrl: status.docsUrl } : {}),
      ...(status.deprecated ? { deprecated: true as const } : {}),
    });
  }
  return outside;
}

/**
 * What a Connect app can call in each product by Connect scopes, once per catalog, in catalog order.
 * A product whose shard stores its endpoints' Connect scopes is judged from them, its paths' line and its methods' letters,
 * and its entries parse their endpoint when read (a list shows a page of them). A Connect app calls an
 * endpoint of a product other than Bitbucket by its Connect scope alone (judgeAlternative); Bitbucket's
 * by classic scopes too, so the endpoints its scope index names for the held scopes are read. A shard
 * stored before the letters (and the bundled snapshot) has every endpoint read, as checkEndpoint judges it.
 */
const connectProductsOf = lazyPer((catalog: CatalogIndex): readonly ConnectProduct[] =>
  (Object.entries(catalog.data.products) as [Product, CatalogProductData][]).map(([product, data]) => {
    const stored = data.connectScopes;
    const bitbucket = product === "bitbucket";
    // The method too: a document may refuse Connect apps one method of a path (credentials.ts APP_ONLY).
    const templates = stored && !bitbucket && data.methods !== undefined ? data.templates : undefined;
    const methods = data.methods;
    if (templates && stored && methods !== undefined) {
      const read = itemReader(data.endpoints);
      const calls = new Array<ConnectCall | undefined>(templates.length);
      for (let index = 0; index < templates.length; index++) {
        const connectScope = connectScopeAt(stored, index);
        const method = methodOfLetter(methods[index]);
        if (
          connectScope &&
          method &&
          judgeSiteEndpoint("connect", { product, method, path: templates[index]!, connectScope }).usable
        )
          calls[index] = {
            scope: connectScope.toUpperCase(),
            entry: new StoredConnectEntry(read, index, product, connectScope),
          };
      }
      return { endpoints: data.endpoints, calls, others: "none" };
    }
    // Bitbucket's letters say it has none to call by: its scope index then says which endpoints to read.
    const scopeIndex = bitbucket && stored && stored.names.length === 0 ? data.scopeIndex : undefined;
    if (scopeIndex) return { endpoints: data.endpoints, calls: [], others: scopeIndex };
    const calls = data.endpoints.map((endpoint) =>
      endpoint.connectScope && judgeEndpoint("connect", endpoint).usable
        ? {
            scope: endpoint.connectScope.toUpperCase(),
            entry: { endpoint, product, connectScope: endpoint.connectScope },
          }
        : undefined,
    );
    return { endpoints: data.endpoints, calls, others: "all" };
  }),
);

/** A product's endpoints as a Connect app's list reads them. */
interface ConnectProduct {
  endpoints: readonly Endpoint[];
  /** By endpoint index, the Connect scope a Connect app calls it by, with its entry in every such list (none past its end). */
  calls: readonly (ConnectCall | undefined)[];
  /**
   * The endpoints without a call that held scopes may still satisfy: none, all, or those the product's
   * scope index names for a held scope (an alternative is satisfied only if each of its scopes is held).
   */
  others: "none" | "all" | ScopeIndex;
}

/** The Connect scope an endpoint is called by, upper-cased, and its entry in every Connect token's list (read only). */
interface ConnectCall {
  scope: string;
  entry: CallableEndpoint;
}

/** An entry of a Connect app's list whose endpoint is parsed when first read. */
class StoredConnectEntry implements CallableEndpoint {
  constructor(
    private readonly read: (index: number) => Endpoint | undefined,
    private readonly index: number,
    readonly product: string,
    readonly connectScope: string,
  ) {}

  get endpoint(): Endpoint {
    return this.read(this.index)!;
  }
}

/** An endpoint a token can call: through an alternative it satisfies, or for a Connect app its Connect scope. */
export interface CallableEndpoint {
  readonly endpoint: Endpoint;
  /** The endpoint's product, read without the endpoint. */
  readonly product: string;
  readonly via?: Alternative;
  /** A Connect app's: the endpoint's Connect scope, which a held one grants. */
  readonly connectScope?: string;
}

/**
 * The held scopes that decide what `callableEndpoints` lists, with the credential, as a key: names the
 * catalog or its registry knows, Connect scopes, and names that imply others. Any other name (a typo)
 * is in no alternative and grants nothing, so tokens that differ only by such names can call the same.
 */
export function callableKey(held: ReadonlySet<string>, catalog: CatalogIndex, credential?: CredentialKind): string {
  const deciding: string[] = [];
  for (const scope of held)
    if (isKnownScope(scope, catalog) || connectScopeName(scope) !== undefined || impliedBy(scope).length > 0)
      deciding.push(scope);
  return `${credential ?? ""}\n${deciding.sort().join("\n")}`;
}

/**
 * Every endpoint some alternative of which the scopes satisfy (counting implied scopes), in catalog
 * order, with that alternative; with `credential`, only alternatives that credential can hold. A
 * Connect app calls by the endpoint's Connect scope instead, as checkEndpoint judges it.
 */
export function callableEndpoints(
  held: ReadonlySet<string>,
  catalog: CatalogIndex,
  credential?: CredentialKind,
): CallableEndpoint[] {
  // Only what is granted: the rest of a view is for hints (500 scopes' view cost a cold isolate 8 ms).
  const granted = grantedOf(held);
  // A plain loop: a Connect token reads every endpoint, and closures made per endpoint were most of a
  // cold /diff of 100 such tokens' 42 MB of allocations.
  const satisfied = (endpoint: Endpoint): Alternative | undefined => {
    const alternatives = endpoint.alternatives;
    for (let index = 0; index < alternatives.length; index++) {
      const alternative = alternatives[index]!;
      if (
        grantsAll(granted, alternative.scopes) &&
        (!credential || judgeAlternative(credential, endpoint, alternative).usable)
      )
        return alternative;
    }
    return undefined;
  };
  const callable: CallableEndpoint[] = [];
  if (credential === "connect") {
    // Connect scopes are in no scope index: each product's calls are walked, for this credential only.
    const grants = connectGrantsOf(held);
    for (const { endpoints, calls, others } of connectProductsOf(catalog)) {
      const candidates = typeof others === "object" ? positionsNaming(others, granted) : undefined;
      for (let at = 0, count = endpoints.length; at < count; at++) {
        const call = calls[at];
        if (call !== undefined) {
          // The same entry for every token: a list of 100 tokens made 200,000 of them.
          if (grants.has(call.scope)) callable.push(call.entry);
          continue;
        }
        if (others === "none" || (candidates && !candidates.has(at))) continue;
        const endpoint = endpoints[at]!;
        const via = satisfied(endpoint);
        if (via) callable.push({ endpoint, product: endpoint.product, via });
      }
    }
    return callable;
  }
  const candidates = catalog.endpointsWithAnyScope([...granted]);
  for (let at = 0; at < candidates.length; at++) {
    const endpoint = candidates[at]!;
    const via = satisfied(endpoint);
    if (via) callable.push({ endpoint, product: endpoint.product, via });
  }
  return callable;
}

/** The positions a scope index names for any of `names`. */
function positionsNaming(index: ScopeIndex, names: ReadonlySet<string>): ReadonlySet<number> {
  const positions = new Set<number>();
  for (const name of names) for (const position of index[name] ?? []) positions.add(position);
  return positions;
}

function grantsAll(granted: ReadonlySet<string>, scopes: readonly string[]): boolean {
  for (let at = 0; at < scopes.length; at++) if (!granted.has(scopes[at]!)) return false;
  return true;
}
