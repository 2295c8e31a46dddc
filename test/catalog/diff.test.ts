/**
 * checkEndpoint and friends: what a token's scopes lack for an endpoint, why near misses do not count,
 * which held scopes are unknown or unused, and what the scopes can call.
 */
import { describe, expect, it } from "vitest";
import {
  callableEndpoints,
  callableKey,
  checkEndpoint,
  classicScopesRefused,
  nearMissHints,
  scopesTakenBy,
  unknownScopes,
  unusedScopes,
} from "../../src/catalog/diff";
import { alt, board, endpoint, ISSUE, keys, PULLREQUESTS, sampleIndex } from "./catalog-fixture";

const index = sampleIndex();
const held = (...scopes: string[]): ReadonlySet<string> => new Set(scopes);

const ADMIN = "read:board-scope.admin:jira-software";
const BOARD_SCOPE = "read:board-scope:jira-software";
const PROJECT = "read:project:jira";
const NO_SCOPES_HINT =
  "Atlassian's documents publish no OAuth scopes for this endpoint, so no scope list can be checked against it.";

describe("checkEndpoint: the mission case, GET /rest/agile/1.0/board", () => {
  it("holding the board scope and its .admin sibling still misses read:project:jira", () => {
    expect(checkEndpoint(board, held(ADMIN, BOARD_SCOPE))).toEqual({
      satisfied: false,
      satisfiedBy: null,
      missing: [PROJECT],
      alternatives: [{ kind: "granular", state: "Current", scopes: [BOARD_SCOPE, PROJECT], missing: [PROJECT] }],
      hints: [],
    });
  });

  it("holding only the .admin scope misses both, and says .admin does not stand in for the board scope", () => {
    expect(checkEndpoint(board, held(ADMIN))).toEqual({
      satisfied: false,
      satisfiedBy: null,
      missing: [BOARD_SCOPE, PROJECT],
      alternatives: [
        { kind: "granular", state: "Current", scopes: [BOARD_SCOPE, PROJECT], missing: [BOARD_SCOPE, PROJECT] },
      ],
      hints: [
        "`read:board-scope.admin:jira-software` does not stand in for `read:board-scope:jira-software`: they are different scopes, so add `read:board-scope:jira-software`.",
      ],
    });
  });

  it("holding both needed scopes (and the .admin one) satisfies it", () => {
    expect(checkEndpoint(board, held(ADMIN, BOARD_SCOPE, PROJECT))).toEqual({
      satisfied: true,
      satisfiedBy: { kind: "granular", state: "Current", scopes: [BOARD_SCOPE, PROJECT] },
      missing: [],
      alternatives: [{ kind: "granular", state: "Current", scopes: [BOARD_SCOPE, PROJECT], missing: [] }],
      hints: [],
    });
  });

  it("classic Jira scopes do not count for Jira Software: a hint says so", () => {
    expect(checkEndpoint(board, held("read:jira-work", "offline_access", BOARD_SCOPE))).toEqual({
      satisfied: false,
      satisfiedBy: null,
      missing: [PROJECT],
      alternatives: [{ kind: "granular", state: "Current", scopes: [BOARD_SCOPE, PROJECT], missing: [PROJECT] }],
      hints: [
        "Jira Software has no classic scopes: `read:jira-work` does not count here; use the granular scopes listed.",
      ],
    });
  });

  it("the classic hint names every classic Jira scope held, and only those", () => {
    const check = checkEndpoint(board, held("read:jira-work", "write:jira-work", "pullrequest", "offline_access"));
    expect(check.hints).toEqual([
      "Jira Software has no classic scopes: `read:jira-work`, `write:jira-work` do not count here; use the granular scopes listed.",
    ]);
  });

  it("with what the catalog knows, a classic-shaped typo is no classic scope: the hint leaves it out", () => {
    const known = new Set(["read:jira-work"]);
    const isKnown = (scope: string) => known.has(scope);
    const typoAndReal = checkEndpoint(board, held("read:jira-wrok", "read:jira-work"), undefined, isKnown);
    expect(typoAndReal.hints).toEqual([
      "Jira Software has no classic scopes: `read:jira-work` does not count here; use the granular scopes listed.",
    ]);
    expect(checkEndpoint(board, held("read:jira-wrok"), undefined, isKnown).hints).toEqual([]);
    // Without the catalog's word, the shape is all there is to go by.
    expect(classicScopesRefused(board, held("read:jira-wrok"))).toEqual(["read:jira-wrok"]);
    expect(classicScopesRefused(board, held("read:jira-wrok"), isKnown)).toEqual([]);
  });
});

describe("checkEndpoint: choosing what is missing", () => {
  it("picks the alternative with the fewest missing scopes, even a Beta one", () => {
    const target = endpoint("jira", "GET", ISSUE, [
      alt(["read:jira-work", "read:jira-user"]),
      alt(["read:issue:jira"], "Beta"),
      alt(["read:issue-meta:jira", "read:field:jira"]),
    ]);
    const check = checkEndpoint(target, held());
    expect([check.satisfied, check.missing]).toEqual([false, ["read:issue:jira"]]);
  });

  it("on a tie prefers a Current alternative over a Beta one listed first", () => {
    const target = endpoint("confluence", "GET", "/wiki/rest/api/content/{id}", [
      alt(["read:content-details:confluence"], "Beta"),
      alt(["read:confluence-content.all"]),
    ]);
    expect(checkEndpoint(target, held()).missing).toEqual(["read:confluence-content.all"]);
  });

  it("counts what is still missing after the held scopes, not the size of the set", () => {
    // Beta set of two with one held (1 missing) ties the Current set of one (1 missing): Current wins.
    const target = endpoint("jira", "PUT", ISSUE, [
      alt(["write:issue:jira", "read:issue:jira"], "Beta"),
      alt(["write:jira-work"]),
    ]);
    expect(checkEndpoint(target, held("read:issue:jira")).missing).toEqual(["write:jira-work"]);
  });

  it("on a tie between two Current alternatives keeps catalog order (classic first)", () => {
    const target = endpoint("jira", "PUT", ISSUE, [alt(["write:jira-work"]), alt(["write:issue:jira"])]);
    expect(checkEndpoint(target, held()).missing).toEqual(["write:jira-work"]);
  });

  it("reports every alternative with its own missing list", () => {
    const target = endpoint("jira", "PUT", ISSUE, [
      alt(["write:jira-work"]),
      alt(["write:issue:jira", "read:issue:jira"], "Beta"),
    ]);
    expect(checkEndpoint(target, held("read:issue:jira")).alternatives).toEqual([
      { kind: "classic", state: "Current", scopes: ["write:jira-work"], missing: ["write:jira-work"] },
      {
        kind: "granular",
        state: "Beta",
        scopes: ["write:issue:jira", "read:issue:jira"],
        missing: ["write:issue:jira"],
      },
    ]);
  });

  it("a write scope held for a read one: hint that scopes never imply one another", () => {
    const target = endpoint("jira", "GET", ISSUE, [alt(["read:issue:jira"])]);
    expect(checkEndpoint(target, held("write:issue:jira"))).toEqual({
      satisfied: false,
      satisfiedBy: null,
      missing: ["read:issue:jira"],
      alternatives: [{ kind: "granular", state: "Current", scopes: ["read:issue:jira"], missing: ["read:issue:jira"] }],
      hints: [
        "`write:issue:jira` does not include `read:issue:jira`: scopes never imply one another, so add `read:issue:jira`.",
      ],
    });
  });

  it("near-miss hints come before the endpoint's own hints", () => {
    const target = endpoint("jira", "GET", ISSUE, [alt(["read:issue:jira"])], { anonymous: true });
    expect(checkEndpoint(target, held("write:issue:jira")).hints).toEqual([
      "`write:issue:jira` does not include `read:issue:jira`: scopes never imply one another, so add `read:issue:jira`.",
      "This endpoint also accepts anonymous calls (where the site allows them).",
    ]);
  });
});

describe("checkEndpoint: satisfied and unknowable", () => {
  it("satisfied by the first alternative the scopes cover", () => {
    const target = endpoint("bitbucket", "GET", PULLREQUESTS, [
      alt(["pullrequest"]),
      alt(["read:pullrequest:bitbucket"]),
    ]);
    expect(checkEndpoint(target, held("read:pullrequest:bitbucket", "read:repository:bitbucket"))).toEqual({
      satisfied: true,
      satisfiedBy: { kind: "granular", state: "Current", scopes: ["read:pullrequest:bitbucket"] },
      missing: [],
      alternatives: [
        { kind: "classic", state: "Current", scopes: ["pullrequest"], missing: ["pullrequest"] },
        { kind: "granular", state: "Current", scopes: ["read:pullrequest:bitbucket"], missing: [] },
      ],
      hints: [],
    });
  });

  it("when several alternatives are covered, the first in catalog order is satisfiedBy", () => {
    const target = endpoint("bitbucket", "GET", PULLREQUESTS, [
      alt(["pullrequest"]),
      alt(["read:pullrequest:bitbucket"]),
    ]);
    expect(checkEndpoint(target, held("read:pullrequest:bitbucket", "pullrequest")).satisfiedBy).toEqual({
      kind: "classic",
      state: "Current",
      scopes: ["pullrequest"],
    });
  });

  it("an endpoint without published scopes: satisfied is null", () => {
    const target = endpoint("jira", "GET", "/rest/api/3/serverInfo");
    expect(checkEndpoint(target, held("read:jira-work"))).toEqual({
      satisfied: null,
      satisfiedBy: null,
      missing: [],
      alternatives: [],
      hints: [NO_SCOPES_HINT],
    });
  });

  it("an anonymous endpoint without published scopes says both", () => {
    const target = endpoint("jira", "GET", "/rest/api/3/serverInfo", [], { anonymous: true });
    expect(checkEndpoint(target, held()).hints).toEqual([
      NO_SCOPES_HINT,
      "This endpoint also accepts anonymous calls (where the site allows them).",
    ]);
  });

  it("no classic hint for a Jira Software endpoint that does publish a classic set", () => {
    const target = endpoint("jira-software", "GET", "/rest/agile/1.0/sprint/{sprintId}", [
      alt(["read:jira-work"]),
      alt(["read:sprint:jira-software"]),
    ]);
    expect(checkEndpoint(target, held("read:jira-work"))).toEqual({
      satisfied: true,
      satisfiedBy: { kind: "classic", state: "Current", scopes: ["read:jira-work"] },
      missing: [],
      alternatives: [
        { kind: "classic", state: "Current", scopes: ["read:jira-work"], missing: [] },
        {
          kind: "granular",
          state: "Current",
          scopes: ["read:sprint:jira-software"],
          missing: ["read:sprint:jira-software"],
        },
      ],
      hints: [],
    });
  });
});

describe("nearMissHints", () => {
  const cases: { name: string; missing: string[]; held: string[]; want: string[] }[] = [
    {
      name: "a narrower .admin scope held for the base one",
      missing: [BOARD_SCOPE],
      held: [ADMIN],
      want: [
        "`read:board-scope.admin:jira-software` does not stand in for `read:board-scope:jira-software`: they are different scopes, so add `read:board-scope:jira-software`.",
      ],
    },
    {
      name: "the base scope held for the .admin one",
      missing: [ADMIN],
      held: [BOARD_SCOPE],
      want: [
        "`read:board-scope:jira-software` does not stand in for `read:board-scope.admin:jira-software`: they are different scopes, so add `read:board-scope.admin:jira-software`.",
      ],
    },
    {
      name: "write for read on the same resource",
      missing: ["read:issue:jira"],
      held: ["write:issue:jira"],
      want: [
        "`write:issue:jira` does not include `read:issue:jira`: scopes never imply one another, so add `read:issue:jira`.",
      ],
    },
    {
      name: "classic read for classic write",
      missing: ["write:jira-work"],
      held: ["read:jira-work"],
      want: [
        "`read:jira-work` does not include `write:jira-work`: scopes never imply one another, so add `write:jira-work`.",
      ],
    },
    {
      name: "one hint per related held scope, in held order",
      missing: ["read:issue:jira"],
      held: ["write:issue:jira", "delete:issue:jira", "read:issue.property:jira"],
      want: [
        "`write:issue:jira` does not include `read:issue:jira`: scopes never imply one another, so add `read:issue:jira`.",
        "`delete:issue:jira` does not include `read:issue:jira`: scopes never imply one another, so add `read:issue:jira`.",
        "`read:issue.property:jira` does not stand in for `read:issue:jira`: they are different scopes, so add `read:issue:jira`.",
      ],
    },
    {
      name: "same resource, another product",
      missing: [PROJECT],
      held: ["read:project:jira-software", ADMIN],
      want: [],
    },
    {
      name: "a resource that only shares a prefix, without the dot",
      missing: [BOARD_SCOPE],
      held: ["read:board:jira-software"],
      want: [],
    },
    {
      name: "another action on a related (not equal) resource",
      missing: [BOARD_SCOPE],
      held: ["write:board-scope.admin:jira-software"],
      want: [],
    },
    { name: "a scope without a resource part", missing: [BOARD_SCOPE], held: ["offline_access"], want: [] },
    { name: "the needed scope itself", missing: [BOARD_SCOPE], held: [BOARD_SCOPE], want: [] },
    { name: "nothing missing", missing: [], held: [ADMIN], want: [] },
    // Bitbucket classic names are resource:action: runner:write and issue:write only share the word "write".
    {
      name: "Bitbucket classic scopes of unrelated resources",
      missing: ["issue:write"],
      held: ["runner:write", "pipeline:write"],
      want: [],
    },
    {
      name: "Bitbucket classic scopes that share only the action word, or imply nothing here",
      missing: ["repository:write"],
      held: ["repository:admin", "pipeline:write"],
      want: [],
    },
    {
      name: "a lesser Bitbucket scope held for a greater one, also through transitivity",
      missing: ["pullrequest:write"],
      held: ["repository", "pullrequest", "read:pullrequest:bitbucket"],
      want: [
        "`repository` does not include `pullrequest:write`: Bitbucket OAuth 2.0 scopes imply only lesser ones (`pullrequest:write` implies `repository`, not the reverse), so add `pullrequest:write`.",
        "`pullrequest` does not include `pullrequest:write`: Bitbucket OAuth 2.0 scopes imply only lesser ones (`pullrequest:write` implies `pullrequest`, not the reverse), so add `pullrequest:write`.",
      ],
    },
  ];

  it.each(cases)("$name", ({ missing, held: heldScopes, want }) => {
    expect(nearMissHints(missing, new Set(heldScopes))).toEqual(want);
  });
});

describe("unknownScopes", () => {
  it("lists scopes the catalog does not know, with suggestions; offline_access is known", () => {
    expect(
      unknownScopes(["read:jira-work", "offline_access", "read:board-scope:jira", "read:jira-wrok", "zzzz"], index),
    ).toEqual([
      { scope: "read:board-scope:jira", suggestions: ["read:board-scope:jira-software"] },
      { scope: "read:jira-wrok", suggestions: ["read:jira-work", "read:jira-user"] },
      { scope: "zzzz", suggestions: [] },
    ]);
  });

  it("a scope used by an endpoint but declared by no product counts as unknown", () => {
    expect(unknownScopes(["read:confluence-content.all"], index)).toEqual([
      { scope: "read:confluence-content.all", suggestions: [] },
    ]);
  });

  it("nothing unknown", () => {
    expect(unknownScopes([ADMIN, BOARD_SCOPE, "offline_access"], index)).toEqual([]);
  });

  it("ranks a name once per catalog: the second ask is answered from the cache, the same and unshared", () => {
    const counted = sampleIndex();
    let ranked = 0;
    const suggest = counted.suggestScopes.bind(counted);
    counted.suggestScopes = (name: string, count?: number) => {
      ranked++;
      return suggest(name, count);
    };
    const first = unknownScopes(["read:jira-wrok"], counted);
    first[0]!.suggestions.push("mutated by the caller");
    expect(unknownScopes(["read:jira-wrok"], counted)).toEqual([
      { scope: "read:jira-wrok", suggestions: ["read:jira-work", "read:jira-user"] },
    ]);
    expect(ranked).toBe(1);
    // Another catalog (a new version) ranks again.
    expect(unknownScopes(["read:jira-wrok"], sampleIndex())[0]!.suggestions).toEqual([
      "read:jira-work",
      "read:jira-user",
    ]);
  });
});

describe("unusedScopes", () => {
  it("the mission case: the .admin scope is of no use for GET board", () => {
    expect(unusedScopes([ADMIN, BOARD_SCOPE], scopesTakenBy([board]), index)).toEqual([ADMIN]);
  });

  it("known scopes used by none of the endpoints, in held order; unknown ones are left to unknownScopes", () => {
    // offline_access is never listed per endpoint: it asks for a refresh token (src/catalog/curated.ts), so it is
    // neither unknown nor unused.
    expect(
      unusedScopes(
        ["write:jira-work", "read:jira-work", "nonsense:scope", "offline_access", PROJECT],
        scopesTakenBy([board]),
        index,
      ),
    ).toEqual(["write:jira-work", "read:jira-work"]);
  });

  it("a scope in any alternative of any endpoint asked about is used", () => {
    const [getIssue] = index.match({
      path: "/rest/api/3/issue/A-1",
      segments: ["rest", "api", "3", "issue", "A-1"],
    }).endpoints;
    if (!getIssue) throw new Error("fixture: GET issue missing");
    expect(
      unusedScopes(["read:jira-work", "read:issue-details:jira", ADMIN], scopesTakenBy([getIssue, board]), index),
    ).toEqual([ADMIN]);
  });

  it("with no endpoints every known scope is unused", () => {
    expect(unusedScopes([BOARD_SCOPE, "nope"], scopesTakenBy([]), index)).toEqual([BOARD_SCOPE]);
  });
});

describe("callableEndpoints", () => {
  it("every endpoint some alternative of which is covered, in catalog order, with that alternative", () => {
    const callable = callableEndpoints(held("read:jira-work", PROJECT, BOARD_SCOPE), index);
    expect(callable.map(({ endpoint: item, via }) => [`${item.method} ${item.path}`, via?.scopes])).toEqual([
      [`GET ${ISSUE}`, ["read:jira-work"]],
      ["GET /rest/api/3/project/{projectIdOrKey}", ["read:jira-work"]],
      ["GET /rest/agile/1.0/board", [BOARD_SCOPE, PROJECT]],
    ]);
  });

  it("via is the catalog's own alternative record", () => {
    const [first] = callableEndpoints(held("pullrequest"), index);
    expect(first?.via).toBe(first?.endpoint.alternatives[0]);
    expect(first === undefined ? [] : keys([first.endpoint])).toEqual([`GET ${PULLREQUESTS}`]);
  });

  it("endpoints without published scopes are never callable", () => {
    expect(callableEndpoints(held(), index)).toEqual([]);
    expect(keys(callableEndpoints(held("offline_access"), index).map(({ endpoint: item }) => item))).toEqual([]);
  });
});

describe("callableKey: the held scopes that decide what a token can call", () => {
  const key = (scopes: string[], credential?: "connect" | "scoped-api-token") =>
    callableKey(held(...scopes), index, credential);

  it("leaves out names that are nothing (typos), in any order, and keeps every other", () => {
    expect(key(["read:jira-work", "read:jira-wrok", "X1_2"])).toBe(key(["X9_9", "read:jira-work"]));
    // Known scopes, a Connect scope, a registry-only name and a Bitbucket scope that implies others count.
    for (const deciding of ["read:jira-work", PROJECT, "READ", "offline_access", "pullrequest:write"])
      expect(key([deciding, "typo:x"]), deciding).not.toBe(key(["typo:x"]));
    expect(key(["READ"], "connect")).not.toBe(key(["READ"]));
  });

  it("tokens with the same key can call the same endpoints", () => {
    for (const [a, b] of [
      [
        ["read:jira-work", "read:jira-wrok"],
        ["read:jira-work", "zzz"],
      ],
      [
        ["READ", "X1"],
        ["READ", "X2", "X3"],
      ],
      [["pullrequest:write", "nope"], ["pullrequest:write"]],
    ] as const) {
      expect(key([...a], "connect")).toBe(key([...b], "connect"));
      expect(callableEndpoints(held(...a), index, "connect")).toEqual(callableEndpoints(held(...b), index, "connect"));
      expect(callableEndpoints(held(...a), index)).toEqual(callableEndpoints(held(...b), index));
    }
  });
});

describe("Bitbucket classic scopes imply lesser ones", () => {
  const REPO = "/2.0/repositories/{workspace}/{repo_slug}";
  const getRepo = endpoint("bitbucket", "GET", REPO, [alt(["repository"]), alt(["read:repository:bitbucket"])]);
  const getPullRequests = endpoint("bitbucket", "GET", PULLREQUESTS, [
    alt(["pullrequest"]),
    alt(["read:pullrequest:bitbucket"]),
  ]);
  const postIssue = endpoint("bitbucket", "POST", `${REPO}/issues`, [
    alt(["issue:write"]),
    alt(["write:issue:bitbucket"]),
  ]);
  const pushLike = endpoint("bitbucket", "POST", `${REPO}/src`, [
    alt(["repository:write"]),
    alt(["write:repository:bitbucket"]),
  ]);

  it("repository:write satisfies an endpoint that needs repository; satisfiedBy stays the catalog alternative", () => {
    expect(checkEndpoint(getRepo, held("repository:write"))).toEqual({
      satisfied: true,
      satisfiedBy: { kind: "classic", state: "Current", scopes: ["repository"] },
      missing: [],
      alternatives: [
        { kind: "classic", state: "Current", scopes: ["repository"], missing: [] },
        {
          kind: "granular",
          state: "Current",
          scopes: ["read:repository:bitbucket"],
          missing: ["read:repository:bitbucket"],
        },
      ],
      hints: ["`repository:write` implies `repository` (Bitbucket OAuth 2.0 scopes imply lesser ones)."],
    });
  });

  it("implication is transitive: pullrequest:write grants repository through repository:write", () => {
    const check = checkEndpoint(getRepo, held("pullrequest:write"));
    expect([check.satisfied, check.hints]).toEqual([
      true,
      ["`pullrequest:write` implies `repository` (Bitbucket OAuth 2.0 scopes imply lesser ones)."],
    ]);
    expect(checkEndpoint(getPullRequests, held("pullrequest:write")).satisfied).toBe(true);
  });

  it("only the stated implications count: not granular Bitbucket scopes, not repository:admin", () => {
    expect(checkEndpoint(pushLike, held("pullrequest:write")).satisfied).toBe(true);
    // "write:repository:bitbucket does not implicitly grant access to read:repository:bitbucket"
    const granular = checkEndpoint(getRepo, held("write:repository:bitbucket"));
    expect([granular.satisfied, granular.missing, granular.alternatives[1]!.missing]).toEqual([
      false,
      ["repository"],
      ["read:repository:bitbucket"],
    ]);
    // "repository:admin ... doesn't implicitly grant the repository or the repository:write scopes"
    const admin = checkEndpoint(getRepo, held("repository:admin"));
    expect([admin.satisfied, admin.missing, admin.hints]).toEqual([false, ["repository"], []]);
    // Held itself: no implication to mention.
    expect(checkEndpoint(getRepo, held("repository:write", "repository")).hints).toEqual([]);
  });

  it("missing leaves out what a held scope implies; the implication is hinted on the closest alternative", () => {
    const both = endpoint("bitbucket", "GET", `${REPO}/issues/export`, [alt(["issue", "repository:admin"])]);
    expect(checkEndpoint(both, held("issue:write"))).toEqual({
      satisfied: false,
      satisfiedBy: null,
      missing: ["repository:admin"],
      alternatives: [
        { kind: "classic", state: "Current", scopes: ["issue", "repository:admin"], missing: ["repository:admin"] },
      ],
      hints: ["`issue:write` implies `issue` (Bitbucket OAuth 2.0 scopes imply lesser ones)."],
    });
  });

  it("runner:write is no near miss for issue:write: Bitbucket classic names are resource:action", () => {
    const check = checkEndpoint(postIssue, held("runner:write"));
    expect([check.satisfied, check.missing, check.hints]).toEqual([false, ["issue:write"], []]);
  });

  it("a lesser scope held for a greater one: repository does not include repository:write", () => {
    expect(checkEndpoint(pushLike, held("repository")).hints).toEqual([
      "`repository` does not include `repository:write`: Bitbucket OAuth 2.0 scopes imply only lesser ones (`repository:write` implies `repository`, not the reverse), so add `repository:write`.",
    ]);
  });

  it("unusedScopes counts a held scope as used when a scope it implies is used", () => {
    expect(
      unusedScopes(["pullrequest:write", "read:pullrequest:bitbucket"], scopesTakenBy([getPullRequests]), index),
    ).toEqual([]);
    // Lesser scopes do not make greater ones used.
    expect(
      unusedScopes(
        ["pullrequest"],
        scopesTakenBy([endpoint("bitbucket", "POST", PULLREQUESTS, [alt(["pullrequest:write"])])]),
        index,
      ),
    ).toEqual(["pullrequest"]);
  });

  it("callableEndpoints counts implied scopes, with the catalog's alternative as via", () => {
    const callable = callableEndpoints(held("pullrequest:write"), index);
    expect(callable.map(({ endpoint: item, via }) => [`${item.method} ${item.path}`, via?.scopes]).sort()).toEqual([
      [`GET ${PULLREQUESTS}`, ["pullrequest"]],
      [`POST ${PULLREQUESTS}`, ["pullrequest:write"]],
    ]);
  });
});
