/**
 * Which scopes a held scope grants besides itself. Only Bitbucket's classic OAuth 2.0 scopes do; no
 * other scope implies anything. No I/O.
 *
 * Source: bitbucket.json (Bitbucket Cloud REST API, saved in ../shared/atlassian-docs),
 * `x-atlassian-narrative.documents[]` anchor "authentication", section "Bitbucket OAuth 2.0 scopes"
 * (https://developer.atlassian.com/cloud/bitbucket/rest/intro/#bitbucket-oauth-2-0-scopes):
 *   - project:           "This scope implies the `repository` scope"
 *   - repository:write:  "This scope implicitly grants the `repository` scope"
 *   - pullrequest:       "This scope implies the `repository` scope"
 *   - pullrequest:write: "Implicitly grants the `pullrequest` scope" and "also implicitly grants the
 *                         `repository:write` scope"
 *   - issue:write:       "This scope implicitly grants the `issue` scope"
 *   - snippet:write:     "This scope implicitly grants the `snippet` scope"
 * and said explicitly NOT to imply anything: project:admin (not `project`, not `repository:write`),
 * repository:admin (not `repository`, not `repository:write`), issue, wiki. The others
 * (pipeline:write, runner:write, account:write, …) state no implication, so none is assumed.
 *
 * The same document, section "Forge app and API token scopes": "Unlike OAuth 2.0 scopes, Forge app
 * and API token scopes do not implicitly grant access to other scopes" (`read:repository:bitbucket`
 * and the like). Jira and Confluence scopes, classic or granular, never imply one another.
 *
 * test/catalog/implied-scopes-shared.test.ts checks this table against the saved document.
 */

/** Bitbucket's classic OAuth 2.0 scopes, `resource[:action]`, as the narrative lists them ("The available scopes are:"). */
export const BITBUCKET_CLASSIC_SCOPES: ReadonlySet<string> = new Set([
  "project",
  "project:write",
  "project:admin",
  "repository",
  "repository:write",
  "repository:admin",
  "repository:delete",
  "pullrequest",
  "pullrequest:write",
  "issue",
  "issue:write",
  "wiki",
  "webhook",
  "snippet",
  "snippet:write",
  "email",
  "account",
  "account:write",
  "pipeline",
  "pipeline:write",
  "pipeline:variable",
  "runner",
  "runner:write",
]);

/** What each Bitbucket classic scope directly implies, exactly as the narrative states it. */
export const BITBUCKET_IMPLIES: Readonly<Record<string, readonly string[]>> = {
  project: ["repository"],
  "repository:write": ["repository"],
  pullrequest: ["repository"],
  "pullrequest:write": ["pullrequest", "repository:write"],
  "issue:write": ["issue"],
  "snippet:write": ["snippet"],
};

/** Each implying scope with everything it grants, transitively, itself excluded (pullrequest:write → pullrequest, repository:write, repository). */
const CLOSURES: ReadonlyMap<string, readonly string[]> = (() => {
  const closures = new Map<string, readonly string[]>();
  for (const scope of Object.keys(BITBUCKET_IMPLIES)) {
    const granted: string[] = [];
    const stack = [...BITBUCKET_IMPLIES[scope]!];
    while (stack.length > 0) {
      const next = stack.shift()!;
      if (next === scope || granted.includes(next)) continue;
      granted.push(next);
      stack.push(...(BITBUCKET_IMPLIES[next] ?? []));
    }
    closures.set(scope, granted);
  }
  return closures;
})();

const NOTHING: readonly string[] = [];

/** True for Bitbucket's classic OAuth 2.0 scope names (`repository:write`), which read `resource:action`, not `action:resource`. */
export function isBitbucketClassic(scope: string): boolean {
  return BITBUCKET_CLASSIC_SCOPES.has(scope);
}

/** Every scope `scope` grants besides itself, transitively; empty for all but a few Bitbucket classic scopes. */
export function impliedBy(scope: string): readonly string[] {
  return CLOSURES.get(scope) ?? NOTHING;
}

/** True when some held scope implies scopes beyond itself: only then does a closure add anything. */
export function impliesAny(held: ReadonlySet<string> | readonly string[]): boolean {
  // No for-of: in a cold isolate each step allocates, and a diff asks this of every token's set.
  if (Array.isArray(held)) {
    for (let at = 0; at < held.length; at++) if (CLOSURES.has(held[at]!)) return true;
    return false;
  }
  let implies = false;
  (held as ReadonlySet<string>).forEach((scope) => {
    if (CLOSURES.has(scope)) implies = true;
  });
  return implies;
}

/** The held scopes and every scope they imply, transitively. Scopes that imply nothing are kept as they are. */
export function impliedClosure(held: Iterable<string>): Set<string> {
  const closure = new Set<string>();
  for (const scope of held) {
    closure.add(scope);
    for (const granted of impliedBy(scope)) closure.add(granted);
  }
  return closure;
}

/**
 * A scope set without the scopes another of its scopes implies (`repository` beside `repository:write`):
 * the token grants exactly the same, with fewer names. `dropped` pairs each left-out scope with one
 * that grants it.
 */
export function withoutImplied(scopes: readonly string[]): {
  scopes: string[];
  dropped: { scope: string; grantedBy: string }[];
} {
  const dropped: { scope: string; grantedBy: string }[] = [];
  if (!impliesAny(scopes)) return { scopes: [...scopes], dropped };
  const kept = scopes.filter((scope) => {
    const grantedBy = scopes.find((other) => other !== scope && impliedBy(other).includes(scope));
    if (grantedBy) dropped.push({ scope, grantedBy });
    return !grantedBy;
  });
  return { scopes: kept, dropped };
}
