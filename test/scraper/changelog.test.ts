/**
 * diffProduct: what changed between two versions of a product's endpoints. Alternatives have no ids,
 * so these tables pin down how they are paired: identical sets, then same kind by largest overlap.
 */
import { describe, expect, it } from "vitest";
import type { Alternative, ChangeEntry, Endpoint, HttpMethod } from "../../src/catalog/schema";
import { diffProduct } from "../../scraper/changelog";
import { alternativeKind } from "../../scraper/normalize";

const P = "jira" as const;
const ISSUE = "/rest/api/3/issue/{issueIdOrKey}";
const COMMENT = "/rest/api/3/issue/{issueIdOrKey}/comment";

function alt(state: string, ...scopes: string[]): Alternative {
  return { kind: alternativeKind(scopes), state, scopes: [...scopes].sort(), origins: ["x-atlassian-oauth2-scopes"] };
}

function endpoint(method: HttpMethod, path: string, alternatives: Alternative[], deprecated = false): Endpoint {
  return {
    product: P,
    method,
    path,
    docsUrl: "https://developer.atlassian.com/cloud/jira/platform/rest/v3/#api",
    deprecated,
    experimental: false,
    alternatives,
    hasScopes: alternatives.length > 0,
    emptyScopeList: false,
    anonymous: false,
    documents: ["jira-platform.v3"],
  };
}

const CLASSIC_READ = alt("Current", "read:jira-work");
const GRANULAR_READ = alt("Beta", "read:issue:jira", "read:user:jira");
const getIssue = (...alternatives: Alternative[]) => endpoint("GET", ISSUE, alternatives);

describe("diffProduct", () => {
  it.each<{ name: string; before: Endpoint[]; after: Endpoint[]; want: ChangeEntry[] }>([
    {
      name: "identical records → no entries",
      before: [getIssue(CLASSIC_READ, GRANULAR_READ), endpoint("POST", COMMENT, [alt("Current", "write:jira-work")])],
      after: [getIssue(CLASSIC_READ, GRANULAR_READ), endpoint("POST", COMMENT, [alt("Current", "write:jira-work")])],
      want: [],
    },
    {
      name: "endpoints in another order, origins changed → no entries",
      before: [endpoint("POST", COMMENT, [alt("Current", "write:jira-work")]), getIssue(CLASSIC_READ)],
      after: [
        getIssue({ ...CLASSIC_READ, origins: ["security"] }),
        endpoint("POST", COMMENT, [alt("Current", "write:jira-work")]),
      ],
      want: [],
    },
    {
      name: "endpoint added with scopes already in use",
      before: [getIssue(CLASSIC_READ)],
      after: [getIssue(CLASSIC_READ), endpoint("GET", COMMENT, [CLASSIC_READ])],
      want: [{ type: "endpoint_added", product: P, method: "GET", path: COMMENT }],
    },
    {
      name: "endpoint removed, its scope still used elsewhere",
      before: [getIssue(CLASSIC_READ), endpoint("GET", COMMENT, [CLASSIC_READ])],
      after: [getIssue(CLASSIC_READ)],
      // It carries the scope sets it last took, so that a scope's subscribers hear of it.
      want: [
        {
          type: "endpoint_removed",
          product: P,
          method: "GET",
          path: COMMENT,
          alternatives: [{ kind: "classic", state: "Current", scopes: ["read:jira-work"] }],
        },
      ],
    },
    {
      name: "endpoint removed that took no scopes → no alternatives",
      before: [getIssue(CLASSIC_READ), endpoint("GET", COMMENT, [])],
      after: [getIssue(CLASSIC_READ)],
      want: [{ type: "endpoint_removed", product: P, method: "GET", path: COMMENT }],
    },
    {
      name: "endpoint added with a new scope → also scope_introduced",
      before: [getIssue(CLASSIC_READ)],
      after: [getIssue(CLASSIC_READ), endpoint("POST", COMMENT, [alt("Current", "write:jira-work")])],
      want: [
        { type: "endpoint_added", product: P, method: "POST", path: COMMENT },
        { type: "scope_introduced", product: P, scope: "write:jira-work" },
      ],
    },
    {
      name: "endpoint removed with the last use of a scope → also scope_retired",
      before: [getIssue(CLASSIC_READ), endpoint("DELETE", ISSUE, [alt("Current", "write:jira-work")])],
      after: [getIssue(CLASSIC_READ)],
      want: [
        {
          type: "endpoint_removed",
          product: P,
          method: "DELETE",
          path: ISSUE,
          alternatives: [{ kind: "classic", state: "Current", scopes: ["write:jira-work"] }],
        },
        { type: "scope_retired", product: P, scope: "write:jira-work" },
      ],
    },
    {
      name: "a scope added to an alternative → scopes_changed",
      before: [getIssue(CLASSIC_READ)],
      after: [getIssue(alt("Current", "read:jira-work", "read:jira-user"))],
      want: [
        {
          type: "scopes_changed",
          product: P,
          method: "GET",
          path: ISSUE,
          alternative: { kind: "classic", state: "Current" },
          added: ["read:jira-user"],
          removed: [],
        },
        { type: "scope_introduced", product: P, scope: "read:jira-user" },
      ],
    },
    {
      name: "a scope swapped in a granular alternative → scopes_changed with added and removed",
      before: [getIssue(CLASSIC_READ, GRANULAR_READ)],
      after: [getIssue(CLASSIC_READ, alt("Beta", "read:issue:jira", "read:status:jira"))],
      want: [
        {
          type: "scopes_changed",
          product: P,
          method: "GET",
          path: ISSUE,
          alternative: { kind: "granular", state: "Beta" },
          added: ["read:status:jira"],
          removed: ["read:user:jira"],
        },
        { type: "scope_introduced", product: P, scope: "read:status:jira" },
        { type: "scope_retired", product: P, scope: "read:user:jira" },
      ],
    },
    {
      name: "Beta → Current with the same scopes → state_changed only",
      before: [getIssue(CLASSIC_READ, GRANULAR_READ)],
      after: [getIssue(CLASSIC_READ, alt("Current", "read:issue:jira", "read:user:jira"))],
      want: [
        {
          type: "state_changed",
          product: P,
          method: "GET",
          path: ISSUE,
          alternative: { kind: "granular", state: "Current" },
          scopes: ["read:issue:jira", "read:user:jira"],
          from: "Beta",
          to: "Current",
        },
      ],
    },
    {
      name: "Beta → Current while a scope is added → scopes_changed and state_changed",
      before: [getIssue(GRANULAR_READ)],
      after: [getIssue(alt("Current", "read:issue:jira", "read:user:jira", "read:avatar:jira"))],
      want: [
        {
          type: "scopes_changed",
          product: P,
          method: "GET",
          path: ISSUE,
          alternative: { kind: "granular", state: "Current" },
          added: ["read:avatar:jira"],
          removed: [],
        },
        {
          type: "state_changed",
          product: P,
          method: "GET",
          path: ISSUE,
          alternative: { kind: "granular", state: "Current" },
          scopes: ["read:avatar:jira", "read:issue:jira", "read:user:jira"],
          from: "Beta",
          to: "Current",
        },
        { type: "scope_introduced", product: P, scope: "read:avatar:jira" },
      ],
    },
    {
      name: "an alternative added",
      before: [getIssue(CLASSIC_READ)],
      after: [getIssue(CLASSIC_READ, GRANULAR_READ)],
      want: [
        {
          type: "alternative_added",
          product: P,
          method: "GET",
          path: ISSUE,
          alternative: { kind: "granular", state: "Beta" },
          scopes: ["read:issue:jira", "read:user:jira"],
        },
        { type: "scope_introduced", product: P, scope: "read:issue:jira" },
        { type: "scope_introduced", product: P, scope: "read:user:jira" },
      ],
    },
    {
      name: "an alternative removed",
      before: [getIssue(CLASSIC_READ, GRANULAR_READ)],
      after: [getIssue(CLASSIC_READ)],
      want: [
        {
          type: "alternative_removed",
          product: P,
          method: "GET",
          path: ISSUE,
          alternative: { kind: "granular", state: "Beta" },
          scopes: ["read:issue:jira", "read:user:jira"],
        },
        { type: "scope_retired", product: P, scope: "read:issue:jira" },
        { type: "scope_retired", product: P, scope: "read:user:jira" },
      ],
    },
    {
      name: "a set with no scope in common replaces another → added and removed, not scopes_changed",
      before: [getIssue(CLASSIC_READ)],
      after: [getIssue(alt("Current", "write:jira-work"))],
      want: [
        {
          type: "alternative_added",
          product: P,
          method: "GET",
          path: ISSUE,
          alternative: { kind: "classic", state: "Current" },
          scopes: ["write:jira-work"],
        },
        {
          type: "alternative_removed",
          product: P,
          method: "GET",
          path: ISSUE,
          alternative: { kind: "classic", state: "Current" },
          scopes: ["read:jira-work"],
        },
        { type: "scope_introduced", product: P, scope: "write:jira-work" },
        { type: "scope_retired", product: P, scope: "read:jira-work" },
      ],
    },
    {
      name: "a classic set turning mixed is not paired across kinds",
      before: [getIssue(CLASSIC_READ)],
      after: [getIssue(alt("Current", "read:jira-work", "read:app-data:jira"))],
      want: [
        {
          type: "alternative_added",
          product: P,
          method: "GET",
          path: ISSUE,
          alternative: { kind: "mixed", state: "Current" },
          scopes: ["read:app-data:jira", "read:jira-work"],
        },
        {
          type: "alternative_removed",
          product: P,
          method: "GET",
          path: ISSUE,
          alternative: { kind: "classic", state: "Current" },
          scopes: ["read:jira-work"],
        },
        { type: "scope_introduced", product: P, scope: "read:app-data:jira" },
      ],
    },
    {
      name: "the changed set pairs with the same-kind set sharing the most scopes",
      before: [
        getIssue(alt("Beta", "read:issue:jira"), alt("Beta", "read:issue:jira", "read:user:jira", "read:status:jira")),
      ],
      after: [
        getIssue(alt("Beta", "read:issue:jira"), alt("Beta", "read:issue:jira", "read:user:jira", "read:avatar:jira")),
      ],
      want: [
        {
          type: "scopes_changed",
          product: P,
          method: "GET",
          path: ISSUE,
          alternative: { kind: "granular", state: "Beta" },
          added: ["read:avatar:jira"],
          removed: ["read:status:jira"],
        },
        { type: "scope_introduced", product: P, scope: "read:avatar:jira" },
        { type: "scope_retired", product: P, scope: "read:status:jira" },
      ],
    },
    {
      name: "deprecated flag flips on",
      before: [endpoint("GET", ISSUE, [CLASSIC_READ], false)],
      after: [endpoint("GET", ISSUE, [CLASSIC_READ], true)],
      want: [{ type: "deprecated_changed", product: P, method: "GET", path: ISSUE, from: false, to: true }],
    },
    {
      name: "deprecated flag flips off",
      before: [endpoint("GET", ISSUE, [CLASSIC_READ], true)],
      after: [endpoint("GET", ISSUE, [CLASSIC_READ], false)],
      want: [{ type: "deprecated_changed", product: P, method: "GET", path: ISSUE, from: true, to: false }],
    },
    {
      name: "scopes vanishing from an endpoint that stays → alternative_removed and scope_retired",
      before: [getIssue(CLASSIC_READ)],
      after: [getIssue()],
      want: [
        {
          type: "alternative_removed",
          product: P,
          method: "GET",
          path: ISSUE,
          alternative: { kind: "classic", state: "Current" },
          scopes: ["read:jira-work"],
        },
        { type: "scope_retired", product: P, scope: "read:jira-work" },
      ],
    },
  ])("$name", ({ before, after, want }) => {
    expect(diffProduct(P, { endpoints: before }, { endpoints: after })).toEqual(want);
  });

  it("lists entries per endpoint in path then method order, removals after, then scope entries sorted", () => {
    const before = [
      endpoint("GET", "/rest/api/3/zzz", [alt("Current", "manage:jira-configuration")]),
      getIssue(CLASSIC_READ),
    ];
    const after = [
      endpoint("DELETE", ISSUE, [alt("Current", "write:jira-work")]),
      endpoint("GET", COMMENT, [CLASSIC_READ]),
      endpoint("GET", ISSUE, [CLASSIC_READ], true),
      endpoint("GET", "/rest/api/3/aaa", [CLASSIC_READ]),
    ];
    expect(diffProduct(P, { endpoints: before }, { endpoints: after })).toEqual([
      { type: "endpoint_added", product: P, method: "GET", path: "/rest/api/3/aaa" },
      { type: "deprecated_changed", product: P, method: "GET", path: ISSUE, from: false, to: true },
      { type: "endpoint_added", product: P, method: "DELETE", path: ISSUE },
      { type: "endpoint_added", product: P, method: "GET", path: COMMENT },
      {
        type: "endpoint_removed",
        product: P,
        method: "GET",
        path: "/rest/api/3/zzz",
        alternatives: [{ kind: "classic", state: "Current", scopes: ["manage:jira-configuration"] }],
      },
      { type: "scope_introduced", product: P, scope: "write:jira-work" },
      { type: "scope_retired", product: P, scope: "manage:jira-configuration" },
    ]);
  });

  it("treats a product without a previous version as all new", () => {
    const after = [
      endpoint("POST", COMMENT, [alt("Current", "write:jira-work")]),
      getIssue(CLASSIC_READ, GRANULAR_READ),
    ];
    expect(diffProduct(P, undefined, { endpoints: after })).toEqual([
      { type: "endpoint_added", product: P, method: "GET", path: ISSUE },
      { type: "endpoint_added", product: P, method: "POST", path: COMMENT },
      { type: "scope_introduced", product: P, scope: "read:issue:jira" },
      { type: "scope_introduced", product: P, scope: "read:jira-work" },
      { type: "scope_introduced", product: P, scope: "read:user:jira" },
      { type: "scope_introduced", product: P, scope: "write:jira-work" },
    ]);
  });

  it("returns an empty array for two empty versions", () => {
    expect(diffProduct(P, { endpoints: [] }, { endpoints: [] })).toEqual([]);
  });

  it("does not modify its inputs", () => {
    const before = [getIssue(CLASSIC_READ, GRANULAR_READ)];
    const after = [getIssue(alt("Current", "read:issue:jira", "read:user:jira")), endpoint("GET", COMMENT, [])];
    const snapshot = structuredClone({ before, after });
    diffProduct(P, { endpoints: before }, { endpoints: after });
    expect({ before, after }).toEqual(snapshot);
  });
});
