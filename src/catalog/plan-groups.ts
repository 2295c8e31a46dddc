/**
 * Which endpoints of a plan share a credential, and which alternatives each may choose there. No I/O.
 * Callers pass only endpoints that publish scopes.
 *
 * A plan's token is one credential, and no credential holds every scope kind: Bitbucket's OAuth-consumer
 * scopes (`pullrequest`) and its API-token scopes (`read:pullrequest:bitbucket`) are never held together,
 * nor either with Jira's, and a scoped API token is created for one app (credentials.ts cites the pages).
 * So endpoints are planned in groups, one per credential:
 * - with a credential: only the alternatives it can hold; endpoints it cannot call are set apart with why;
 *   a scoped API token gets one group per app (Jira, Confluence, Bitbucket), and so does a Connect app, whose
 *   descriptor is for one product; outside Bitbucket a Connect app declares the endpoint's Connect scope, not
 *   an alternative (`connect` groups, with no alternative allowed);
 * - without one: Jira, JSM, Assets and Confluence in one group (OAuth 2.0 apps and Forge apps hold all their
 *   scopes, as before), and Bitbucket on one side: its OAuth-consumer (classic) scopes or its API-token
 *   (granular) scopes, whichever serves more of its endpoints, then with fewer scopes, then the preferred
 *   kind, then classic (catalog order); Bitbucket endpoints only the other side can serve form a second group.
 */
import { appOf, judgeAlternative, judgeEndpoint, type CredentialKind } from "./credentials";
import { withoutImplied } from "./implied-scopes";
import { DEFAULT_WORK_BUDGET, planScopes, type Preference } from "./plan";
import type { Endpoint } from "./schema";

export interface PlanGroup {
  /** What the group's token is: the credential given, or the side chosen (`bitbucket-classic`, ...). */
  label: "atlassian" | "bitbucket-classic" | "bitbucket-granular" | "jira" | "confluence" | "bitbucket" | "all";
  /** Indices into the endpoints given. */
  members: number[];
  /** Per member (same order), the indices of the alternatives it may choose. */
  allowed: number[][];
  /** A Connect app's group outside Bitbucket: each member is planned by its Connect scope (`allowed` is empty). */
  connect?: true;
}

export interface Grouping {
  groups: PlanGroup[];
  /** Endpoints the credential cannot call through any alternative, with why. */
  unusable: { index: number; why: string }[];
}

export function groupForCredential(
  endpoints: readonly Pick<Endpoint, "product" | "method" | "path" | "authTypes" | "connectScope" | "alternatives">[],
  credential: CredentialKind | undefined,
  prefer: Preference,
): Grouping {
  const unusable: Grouping["unusable"] = [];
  if (credential) {
    const byLabel = new Map<PlanGroup["label"], PlanGroup>();
    const byConnect = credential === "connect";
    const perApp = credential === "scoped-api-token" || byConnect;
    endpoints.forEach((endpoint, index) => {
      const blocked = judgeEndpoint(credential, endpoint);
      if (byConnect && endpoint.product !== "bitbucket") {
        if (!blocked.usable) unusable.push({ index, why: blocked.why! });
        else {
          const label = appOf(endpoint.product);
          let group = byLabel.get(label);
          if (!group) byLabel.set(label, (group = { label, members: [], allowed: [], connect: true }));
          group.members.push(index);
          group.allowed.push([]);
        }
        return;
      }
      const verdicts = endpoint.alternatives.map((alternative) => judgeAlternative(credential, endpoint, alternative));
      const allowed = verdicts.flatMap((verdict, at) => (verdict.usable ? [at] : []));
      if (!blocked.usable || allowed.length === 0) {
        const why = !blocked.usable ? blocked.why! : [...new Set(verdicts.map((verdict) => verdict.why))].join(" ");
        unusable.push({ index, why });
        return;
      }
      const label: PlanGroup["label"] = perApp ? appOf(endpoint.product) : "all";
      let group = byLabel.get(label);
      if (!group) byLabel.set(label, (group = { label, members: [], allowed: [] }));
      group.members.push(index);
      group.allowed.push(allowed);
    });
    return { groups: [...byLabel.values()], unusable };
  }

  const atlassian: PlanGroup = { label: "atlassian", members: [], allowed: [] };
  const bitbucket: number[] = [];
  endpoints.forEach((endpoint, index) => {
    if (endpoint.product === "bitbucket") bitbucket.push(index);
    else {
      atlassian.members.push(index);
      atlassian.allowed.push(endpoint.alternatives.map((_, at) => at));
    }
  });
  const groups = atlassian.members.length > 0 ? [atlassian] : [];
  if (bitbucket.length === 0) return { groups, unusable };

  const side = (classic: boolean): PlanGroup => {
    const group: PlanGroup = { label: classic ? "bitbucket-classic" : "bitbucket-granular", members: [], allowed: [] };
    for (const index of bitbucket) {
      const allowed = endpoints[index]!.alternatives.flatMap((alternative, at) =>
        (alternative.kind === "classic") === classic ? [at] : [],
      );
      if (allowed.length === 0) continue;
      group.members.push(index);
      group.allowed.push(allowed);
    }
    return group;
  };
  const size = (group: PlanGroup) =>
    withoutImplied(
      planScopes(
        group.members.map((index, at) => ({
          alternatives: group.allowed[at]!.map((choice) => endpoints[index]!.alternatives[choice]!),
        })),
        // Only to compare the two sides: an eighth of the budget each, beside the plan's own search.
        { workBudget: DEFAULT_WORK_BUDGET / 8 },
      ).scopes,
    ).scopes.length;
  const classic = side(true);
  const granular = side(false);
  // The side that serves more endpoints; on a tie, the smaller plan (planned only then), the preferred
  // kind, classic.
  const rank = (group: PlanGroup, preferred: boolean, order: number) =>
    [size(group), preferred ? 0 : 1, order] as const;
  const classicFirst =
    classic.members.length !== granular.members.length
      ? classic.members.length > granular.members.length
      : compare(rank(classic, prefer !== "granular", 0), rank(granular, prefer === "granular", 1)) < 0;
  const [first, other] = classicFirst ? [classic, granular] : [granular, classic];
  groups.push(first);
  // Endpoints only the other side serves (Bitbucket publishes 12 with OAuth-consumer scopes only).
  const served = new Set(first.members);
  const rest: PlanGroup = { label: other.label, members: [], allowed: [] };
  other.members.forEach((index, at) => {
    if (served.has(index)) return;
    rest.members.push(index);
    rest.allowed.push(other.allowed[at]!);
  });
  if (rest.members.length > 0) groups.push(rest);
  return { groups, unusable };
}

function compare(a: readonly number[], b: readonly number[]): number {
  for (let at = 0; at < a.length; at++) if (a[at] !== b[at]) return a[at]! - b[at]!;
  return 0;
}
