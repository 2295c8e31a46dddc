/** Bitbucket's classic scope implications: the closure of a held set, and scopes that imply nothing. */
import { describe, expect, it } from "vitest";
import {
  BITBUCKET_CLASSIC_SCOPES,
  BITBUCKET_IMPLIES,
  impliedBy,
  impliedClosure,
  impliesAny,
  isBitbucketClassic,
  withoutImplied,
} from "../../src/catalog/implied-scopes";

const sorted = (scopes: Iterable<string>) => [...scopes].sort();

describe("impliedClosure", () => {
  const cases: { name: string; held: string[]; closure: string[] }[] = [
    {
      name: "repository:write adds repository",
      held: ["repository:write"],
      closure: ["repository", "repository:write"],
    },
    { name: "project adds repository", held: ["project"], closure: ["project", "repository"] },
    { name: "pullrequest adds repository", held: ["pullrequest"], closure: ["pullrequest", "repository"] },
    {
      name: "pullrequest:write adds pullrequest, repository:write and, through both, repository",
      held: ["pullrequest:write"],
      closure: ["pullrequest", "pullrequest:write", "repository", "repository:write"],
    },
    { name: "issue:write adds issue", held: ["issue:write"], closure: ["issue", "issue:write"] },
    { name: "snippet:write adds snippet", held: ["snippet:write"], closure: ["snippet", "snippet:write"] },
    {
      name: "repository:admin adds nothing (the narrative says so)",
      held: ["repository:admin"],
      closure: ["repository:admin"],
    },
    { name: "project:admin adds nothing (the narrative says so)", held: ["project:admin"], closure: ["project:admin"] },
    {
      name: "lesser scopes do not imply greater ones",
      held: ["repository", "pullrequest", "issue", "snippet"],
      closure: ["issue", "pullrequest", "repository", "snippet"],
    },
    {
      name: "write scopes with no stated implication add nothing",
      held: ["pipeline:write", "runner:write", "account:write"],
      closure: ["account:write", "pipeline:write", "runner:write"],
    },
    {
      name: "Bitbucket granular scopes imply nothing",
      held: ["write:repository:bitbucket", "admin:repository:bitbucket", "write:pullrequest:bitbucket"],
      closure: ["admin:repository:bitbucket", "write:pullrequest:bitbucket", "write:repository:bitbucket"],
    },
    {
      name: "Jira classic scopes imply nothing",
      held: ["write:jira-work", "manage:jira-project"],
      closure: ["manage:jira-project", "write:jira-work"],
    },
    {
      name: "Jira and Confluence granular scopes imply nothing",
      held: ["write:issue:jira", "write:page:confluence"],
      closure: ["write:issue:jira", "write:page:confluence"],
    },
    {
      name: "unknown names are kept as they are",
      held: ["repositry:write", "offline_access"],
      closure: ["offline_access", "repositry:write"],
    },
    { name: "an empty set stays empty", held: [], closure: [] },
    {
      name: "a mixed token expands only its Bitbucket classic scopes",
      held: ["read:jira-work", "pullrequest", "write:repository:bitbucket"],
      closure: ["pullrequest", "read:jira-work", "repository", "write:repository:bitbucket"],
    },
  ];
  it.each(cases)("$name", ({ held, closure }) => {
    expect(sorted(impliedClosure(held))).toEqual(closure);
  });

  it("does not change the set it is given", () => {
    const held = new Set(["pullrequest:write"]);
    impliedClosure(held);
    expect([...held]).toEqual(["pullrequest:write"]);
  });
});

describe("impliedBy and impliesAny", () => {
  it("impliedBy is transitive and excludes the scope itself", () => {
    expect(sorted(impliedBy("pullrequest:write"))).toEqual(["pullrequest", "repository", "repository:write"]);
    expect(impliedBy("repository")).toEqual([]);
    expect(impliedBy("read:repository:bitbucket")).toEqual([]);
  });

  it("impliesAny is true only when some held scope implies another", () => {
    expect(impliesAny(["read:jira-work", "repository", "repository:admin"])).toBe(false);
    expect(impliesAny(["read:jira-work", "snippet:write"])).toBe(true);
  });
});

describe("the table itself", () => {
  it("names only Bitbucket classic scopes, on both sides", () => {
    for (const [scope, implied] of Object.entries(BITBUCKET_IMPLIES)) {
      expect(BITBUCKET_CLASSIC_SCOPES.has(scope), scope).toBe(true);
      for (const granted of implied) expect(BITBUCKET_CLASSIC_SCOPES.has(granted), granted).toBe(true);
    }
  });

  it("isBitbucketClassic tells resource:action names from Jira/Confluence action:resource and granular names", () => {
    expect(["repository", "runner:write", "pipeline:variable"].map(isBitbucketClassic)).toEqual([true, true, true]);
    expect(
      ["read:jira-work", "write:confluence-content", "read:repository:bitbucket", "offline_access"].map(
        isBitbucketClassic,
      ),
    ).toEqual([false, false, false, false]);
  });
});

describe("withoutImplied", () => {
  const cases: { given: string[]; scopes: string[]; dropped: [string, string][] }[] = [
    {
      given: ["pullrequest:write", "repository", "repository:write"],
      scopes: ["pullrequest:write"],
      dropped: [
        ["repository", "pullrequest:write"],
        ["repository:write", "pullrequest:write"],
      ],
    },
    {
      given: ["issue", "issue:write", "repository"],
      scopes: ["issue:write", "repository"],
      dropped: [["issue", "issue:write"]],
    },
    { given: ["repository", "repository:admin"], scopes: ["repository", "repository:admin"], dropped: [] },
    { given: ["read:jira-work", "write:jira-work"], scopes: ["read:jira-work", "write:jira-work"], dropped: [] },
    {
      given: ["read:repository:bitbucket", "write:repository:bitbucket"],
      scopes: ["read:repository:bitbucket", "write:repository:bitbucket"],
      dropped: [],
    },
    { given: [], scopes: [], dropped: [] },
  ];
  it.each(cases)("$given → $scopes", ({ given, scopes, dropped }) => {
    const folded = withoutImplied(given);
    expect(folded.scopes).toEqual(scopes);
    expect(folded.dropped.map(({ scope, grantedBy }) => [scope, grantedBy])).toEqual(dropped);
  });
});
