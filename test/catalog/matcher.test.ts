/**
 * PathMatcher: literal-first segment trie with backtracking, mixed segment patterns, `{path}` catch-alls,
 * and nearest-template suggestions.
 */
import { describe, expect, it } from "vitest";
import { PathMatcher } from "../../src/catalog/matcher";

const split = (path: string): string[] => path.split("/").filter((segment) => segment !== "");

function matcherOf(templates: [template: string, value: string][]): PathMatcher<string> {
  const matcher = new PathMatcher<string>();
  for (const [template, value] of templates) matcher.add(template, value);
  return matcher;
}

const JIRA: [string, string][] = [
  ["/rest/api/3/issue/{issueIdOrKey}", "issue"],
  ["/rest/api/3/issue/createmeta", "createmeta"],
  ["/rest/api/3/issue/{issueIdOrKey}/comment", "comments"],
  ["/rest/api/3/issue/createmeta/{projectIdOrKey}/issuetypes", "createmeta-issuetypes"],
  ["/rest/api/3/myself", "myself"],
];

describe("PathMatcher.match: literal beats parameter", () => {
  const cases: { given: string; want: string[] }[] = [
    { given: "/rest/api/3/issue/createmeta", want: ["createmeta"] },
    { given: "/rest/api/3/issue/ABC-1", want: ["issue"] },
    { given: "/rest/api/3/issue/ABC-1/comment", want: ["comments"] },
    { given: "/rest/api/3/issue/createmeta/PROJ/issuetypes", want: ["createmeta-issuetypes"] },
    // The literal branch `createmeta` has no `comment` child: backtrack to `{issueIdOrKey}`.
    { given: "/rest/api/3/issue/createmeta/comment", want: ["comments"] },
    { given: "/rest/api/3/myself", want: ["myself"] },
  ];

  it.each(cases)("$given → $want", ({ given, want }) => {
    expect(matcherOf(JIRA).match(split(given))).toEqual(want);
  });

  it("does not depend on the order templates were added in", () => {
    const reversed = matcherOf([...JIRA].reverse());
    expect(reversed.match(split("/rest/api/3/issue/createmeta"))).toEqual(["createmeta"]);
    expect(reversed.match(split("/rest/api/3/issue/createmeta/comment"))).toEqual(["comments"]);
  });

  it("backtracks out of a literal branch that dead-ends two levels down", () => {
    const matcher = matcherOf([
      ["/a/literal/deep/end", "literal"],
      ["/a/{x}/deep/other", "param"],
    ]);
    expect(matcher.match(["a", "literal", "deep", "other"])).toEqual(["param"]);
    expect(matcher.match(["a", "literal", "deep", "end"])).toEqual(["literal"]);
  });

  it("matches segments as given: case-sensitive literals", () => {
    const matcher = matcherOf([["/rest/api/3/myself", "myself"]]);
    expect(matcher.match(["rest", "api", "3", "Myself"])).toEqual([]);
  });
});

describe("PathMatcher.match: shared nodes", () => {
  it("templates that differ only in parameter names share a node and both match, in insertion order", () => {
    const matcher = matcherOf([
      ["/wiki/api/v2/pages/{id}", "by-id"],
      ["/wiki/api/v2/pages/{page-id}", "by-page-id"],
    ]);
    expect(matcher.match(["wiki", "api", "v2", "pages", "123"])).toEqual(["by-id", "by-page-id"]);
  });

  it("the same template added twice (two methods) yields both values", () => {
    const matcher = matcherOf([
      ["/2.0/repositories/{workspace}/{repo_slug}/pullrequests", "GET"],
      ["/2.0/repositories/{workspace}/{repo_slug}/pullrequests", "POST"],
    ]);
    expect(matcher.match(["2.0", "repositories", "ws", "repo", "pullrequests"])).toEqual(["GET", "POST"]);
  });
});

describe("PathMatcher.match: mixed segment patterns", () => {
  const EXPORT = "/2.0/repositories/{workspace}/{repo_slug}/issues/export/{repo_name}-issues-{task_id}.zip";
  const prefix = ["2.0", "repositories", "ws", "repo", "issues", "export"];

  const patternOnly = matcherOf([[EXPORT, "export"]]);
  const cases: { given: string; want: string[] }[] = [
    { given: "my-repo-issues-42.zip", want: ["export"] },
    { given: "r-issues-1.zip", want: ["export"] },
    { given: "my-repo-issues-42.tar", want: [] },
    // The "." of ".zip" is literal, not "any character".
    { given: "my-repo-issues-42Xzip", want: [] },
    // Each parameter needs at least one character.
    { given: "-issues-42.zip", want: [] },
    { given: "repo-issues-.zip", want: [] },
    { given: "repo-tasks-42.zip", want: [] },
  ];

  it.each(cases)("$given → $want", ({ given, want }) => {
    expect(patternOnly.match([...prefix, given])).toEqual(want);
  });

  it("a pattern is tried before a plain parameter, which still catches the rest", () => {
    const matcher = matcherOf([
      ["/2.0/repositories/{workspace}/{repo_slug}/issues/export/{anything}", "param"],
      [EXPORT, "export"],
    ]);
    expect(matcher.match([...prefix, "my-repo-issues-42.zip"])).toEqual(["export"]);
    expect(matcher.match([...prefix, "status"])).toEqual(["param"]);
  });

  it("a literal is tried before a pattern", () => {
    const matcher = matcherOf([
      [EXPORT, "export"],
      ["/2.0/repositories/{workspace}/{repo_slug}/issues/export/all-issues-now.zip", "literal"],
    ]);
    expect(matcher.match([...prefix, "all-issues-now.zip"])).toEqual(["literal"]);
  });

  it("patterns that differ only in parameter names share a node", () => {
    const matcher = matcherOf([
      ["/export/{a}-issues-{b}.zip", "first"],
      ["/export/{x}-issues-{y}.zip", "second"],
    ]);
    expect(matcher.match(["export", "r-issues-1.zip"])).toEqual(["first", "second"]);
  });
});

describe("PathMatcher.match: {path} catch-all", () => {
  const matcher = matcherOf([
    ["/2.0/repositories/{workspace}/{repo_slug}/src", "src-root"],
    ["/2.0/repositories/{workspace}/{repo_slug}/src/{commit}/{path}", "src"],
    ["/2.0/repositories/{workspace}/{repo_slug}/issues/{issue_id}/attachments", "attachments"],
    ["/2.0/repositories/{workspace}/{repo_slug}/issues/{issue_id}/attachments/{path}", "attachment"],
  ]);
  const repo = "/2.0/repositories/ws/repo";
  const cases: { given: string; want: string[] }[] = [
    { given: `${repo}/src/main/README.md`, want: ["src"] },
    { given: `${repo}/src/main/docs/guide/setup.md`, want: ["src"] },
    { given: `${repo}/src/main`, want: [] }, // one segment short: {path} never matches zero segments
    { given: `${repo}/src/main/`, want: [] },
    { given: `${repo}/src`, want: ["src-root"] },
    { given: `${repo}/issues/7/attachments`, want: ["attachments"] },
    { given: `${repo}/issues/7/attachments/a.png`, want: ["attachment"] },
    { given: `${repo}/issues/7/attachments/dir/sub/a.png`, want: ["attachment"] },
  ];

  it.each(cases)("$given → $want", ({ given, want }) => {
    expect(matcher.match(split(given))).toEqual(want);
  });

  it("a {path} that is not the last segment is an ordinary parameter", () => {
    const middle = matcherOf([["/files/{path}/meta", "meta"]]);
    expect(middle.match(["files", "a", "meta"])).toEqual(["meta"]);
    expect(middle.match(["files", "a", "b", "meta"])).toEqual([]);
  });
});

describe("PathMatcher.match: no match", () => {
  const matcher = matcherOf(JIRA);
  const cases: { name: string; given: string[]; want: string[] }[] = [
    { name: "unknown path", given: split("/rest/api/3/dashboard"), want: [] },
    { name: "one segment too many", given: split("/rest/api/3/myself/extra"), want: [] },
    { name: "a prefix of a template", given: split("/rest/api/3"), want: [] },
    { name: "no segments", given: [], want: [] },
  ];
  it.each(cases)("$name", ({ given, want }) => {
    expect(matcher.match(given)).toEqual(want);
  });
});

describe("PathMatcher.suggest", () => {
  const matcher = matcherOf([
    ["/rest/agile/1.0/board", "board"],
    ["/rest/api/3/myself", "myself"],
    ["/rest/api/3/issue/createmeta", "createmeta"],
    ["/rest/api/3/issue/{issueIdOrKey}", "issue"],
  ]);

  it("ranks a one-letter typo first, then by cost", () => {
    expect(matcher.suggest(split("/rest/api/3/isue/ABC-1"), 10)).toEqual([
      "/rest/api/3/issue/{issueIdOrKey}",
      "/rest/api/3/issue/createmeta",
      "/rest/api/3/myself",
      "/rest/agile/1.0/board",
    ]);
  });

  it("returns at most N", () => {
    expect(matcher.suggest(split("/rest/api/3/isue/ABC-1"), 2)).toEqual(["/rest/api/3/issue/{issueIdOrKey}", "/rest/api/3/issue/createmeta"]);
    expect(matcher.suggest(split("/rest/api/3/isue/ABC-1"), 0)).toEqual([]);
  });

  it("lists each template once even when several values share it", () => {
    const twice = matcherOf([
      ["/rest/api/3/myself", "GET"],
      ["/rest/api/3/myself", "PUT"],
    ]);
    expect(twice.suggest(["rest", "api", "3", "myselff"], 5)).toEqual(["/rest/api/3/myself"]);
  });

  it("a typo in the version segment still finds the template", () => {
    expect(matcher.suggest(split("/rest/agile/1.1/board"), 1)).toEqual(["/rest/agile/1.0/board"]);
  });
});
