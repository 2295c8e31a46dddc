/**
 * PathMatcher: literal-first segment trie with backtracking, mixed segment patterns, `{path}` catch-alls,
 * and nearest-template suggestions.
 */
import fc from "fast-check";
import { afterEach, describe, expect, it, vi } from "vitest";
import { PathMatcher, type RouteNode } from "../../src/catalog/matcher";
import { routesProblem } from "../../src/catalog/route-validation";
import { globTest, parseGlob, segmentSource, segmentTestOf } from "../../src/catalog/segment-pattern";
import { ProductShardSchema } from "../../src/catalog/schema";
import { checkShardShape } from "../../src/storage/catalog-store";

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

describe("mixed segments: patterns that cannot backtrack", () => {
  afterEach(() => vi.restoreAllMocks());

  const shapes: { given: string; want: string }[] = [
    // The only mixed segment in today's documents (Bitbucket): the source is what it always was, so
    // stored shards stay equal to the tries built from their endpoints.
    { given: "{repo_name}-issues-{task_id}.zip", want: "^.+?-issues-.+?\\.zip$" },
    { given: "{id}.json", want: "^.+?\\.json$" },
    { given: "v{major}", want: "^v.+?$" },
    // Adjacent parameters cannot be told apart: one gap of at least as many characters, not ten `.+?` in a row.
    { given: "{a}{b}{c}{d}{e}{f}{g}{h}{i}{j}.zip", want: "^.{10,}?\\.zip$" },
    { given: "x{a}{b}-{c}", want: "^x.{2,}?-.+?$" },
  ];
  it.each(shapes)("$given compiles to $want", ({ given, want }) => {
    expect(segmentSource(given)).toBe(want);
    expect(parseGlob(want)).toBeDefined();
  });

  it("reads the sources shards stored before adjacent parameters were merged as globs too", () => {
    expect(parseGlob(`^${".+?".repeat(10)}\\.zip$`)).toEqual({ literals: ["", ".zip"], gaps: [10] });
    // Anything else is left to the regex engine: classes, escapes like \d, a literal `$` at the end.
    for (const other of ["^a\\d.+?$", "^[ab].+?$", "^a\\$", "^(a$", "a.+?$"]) expect(parseGlob(other)).toBeUndefined();
  });

  it("a glob accepts exactly what its regex accepts", () => {
    const piece = fc.oneof(fc.constant("{p}"), fc.constantFrom("a", "-", ".", "ab", "$", "\\", "(", "?"));
    const char = fc.constantFrom("a", "b", "-", ".", "$", "\\", "(", "?", "\n", "\u2028");
    fc.assert(
      fc.property(
        fc.array(piece, { minLength: 1, maxLength: 6 }),
        fc.array(char, { maxLength: 12 }),
        (pieces, chars) => {
          const template = pieces.join("");
          if (!template.includes("{")) return;
          const source = segmentSource(template);
          const glob = parseGlob(source);
          expect(glob).toBeDefined();
          const segment = chars.join("");
          expect(globTest(glob!)(segment)).toBe(new RegExp(source).test(segment));
        },
      ),
      { numRuns: 5000 },
    );
  });

  // Each of these, as a regex of `.+?`s, backtracked for seconds on a segment that nearly matches.
  const hostile: { template: string; segment: string; hit: string }[] = [
    {
      template: "/files/{a}{b}{c}{d}{e}{f}{g}{h}{i}{j}.zip",
      segment: `${"a".repeat(5_000)}.zi`,
      hit: "abcdefghij.zip",
    },
    { template: "/files/{a}-{b}-{c}-{d}-{e}.zip", segment: `${"-".repeat(5_000)}.zi`, hit: "a-b-c-d-e.zip" },
    { template: "/files/{a}.{b}.{c}.{d}", segment: `${".".repeat(5_000)}\n`, hit: "a.b.c.d" },
  ];
  it.each(hostile)("looks $template up without running a regex", ({ template, segment, hit }) => {
    const built = matcherOf([[template, "hit"]]);
    // Also over a stored trie in the old layout: ten `.+?` in a row, as shards held them before.
    const old: RouteNode = { l: { files: { x: [[`^${".+?".repeat(10)}\\.zip$`, { v: [0] }]] } } };
    const stored = PathMatcher.fromRoutes(old, ["hit"], () => template);
    // The first lookup reads each stored source once; from then on a lookup is scanning only.
    expect(built.match(["files", hit])).toEqual(["hit"]);
    expect(stored.match(["files", "abcdefghij.zip"])).toEqual(["hit"]);
    const exec = vi.spyOn(RegExp.prototype, "exec");
    expect(built.match(["files", segment])).toEqual([]);
    expect(stored.match(["files", segment])).toEqual([]);
    expect(exec).not.toHaveBeenCalled();
    exec.mockRestore();
    expect(built.suggest(["files", segment], 3)).toEqual([template]);
  });

  it("tests a source it cannot read as a glob with the regex, as before", () => {
    expect(segmentTestOf("^a\\d+$")("a12")).toBe(true);
    expect(segmentTestOf("^a\\d+$")("ab")).toBe(false);
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
    expect(matcher.suggest(split("/rest/api/3/isue/ABC-1"), 2)).toEqual([
      "/rest/api/3/issue/{issueIdOrKey}",
      "/rest/api/3/issue/createmeta",
    ]);
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

  it("equal costs tie exactly, however they sum, and the shorter template comes first", () => {
    // For `x19/watchers`: a parameter then `properties` (0.3 + 0.6 of an edit), or `properties` then a
    // parameter (0.6 + 0.3). Summed as fractions the two differed in their last bit, and the longer won.
    const tied = matcherOf([
      ["/rest/api/3/issue/{issueIdOrKey}/properties", "a"],
      ["/rest/api/3/issue/properties/{propertyKey}", "b"],
    ]);
    expect(tied.suggest(split("/tser/api/3/issue/x19/watchers"), 2)).toEqual([
      "/rest/api/3/issue/properties/{propertyKey}",
      "/rest/api/3/issue/{issueIdOrKey}/properties",
    ]);
  });
});

/** Every template of the fixtures above, each with the paths to probe it with (hits, misses and near misses). */
const STORED_FIXTURES: { name: string; templates: [template: string, value: string][]; probes: string[] }[] = [
  {
    name: "literal beats parameter",
    templates: JIRA,
    probes: [
      "/rest/api/3/issue/createmeta",
      "/rest/api/3/issue/ABC-1",
      "/rest/api/3/issue/ABC-1/comment",
      "/rest/api/3/issue/createmeta/PROJ/issuetypes",
      "/rest/api/3/issue/createmeta/comment",
      "/rest/api/3/myself",
      "/rest/api/3/Myself",
      "/rest/api/3/isue/ABC-1",
      "/rest/api/3",
      "/rest/api/3/myself/extra",
      "/",
    ],
  },
  {
    name: "shared nodes and repeated templates",
    templates: [
      ["/wiki/api/v2/pages/{id}", "by-id"],
      ["/wiki/api/v2/pages/{page-id}", "by-page-id"],
      ["/2.0/repositories/{workspace}/{repo_slug}/pullrequests", "GET"],
      ["/2.0/repositories/{workspace}/{repo_slug}/pullrequests", "POST"],
      ["/a/literal/deep/end", "literal"],
      ["/a/{x}/deep/other", "param"],
    ],
    probes: [
      "/wiki/api/v2/pages/123",
      "/2.0/repositories/ws/repo/pullrequests",
      "/a/literal/deep/other",
      "/a/literal/deep/end",
      "/wiki/api/v2/page/1",
      "/2.0/repositories/ws/repo/pullrequest",
    ],
  },
  {
    name: "mixed patterns",
    templates: [
      ["/2.0/repositories/{workspace}/{repo_slug}/issues/export/{anything}", "param"],
      ["/2.0/repositories/{workspace}/{repo_slug}/issues/export/{repo_name}-issues-{task_id}.zip", "export"],
      ["/2.0/repositories/{workspace}/{repo_slug}/issues/export/all-issues-now.zip", "literal"],
      ["/export/{a}-issues-{b}.zip", "first"],
      ["/export/{x}-issues-{y}.zip", "second"],
      ["/export/{a}.tar", "tar"],
    ],
    probes: [
      "/2.0/repositories/ws/repo/issues/export/my-repo-issues-42.zip",
      "/2.0/repositories/ws/repo/issues/export/all-issues-now.zip",
      "/2.0/repositories/ws/repo/issues/export/status",
      "/export/r-issues-1.zip",
      "/export/r-issues-1.tar",
      "/export/r-issues-1Xzip",
      "/export/-issues-1.zip",
      "/exprt/r-issues-1.zip",
    ],
  },
  {
    name: "{path} catch-all",
    templates: [
      ["/2.0/repositories/{workspace}/{repo_slug}/src", "src-root"],
      ["/2.0/repositories/{workspace}/{repo_slug}/src/{commit}/{path}", "src"],
      ["/2.0/repositories/{workspace}/{repo_slug}/issues/{issue_id}/attachments", "attachments"],
      ["/2.0/repositories/{workspace}/{repo_slug}/issues/{issue_id}/attachments/{path}", "attachment"],
      ["/files/{path}/meta", "meta"],
    ],
    probes: [
      "/2.0/repositories/ws/repo/src/main/README.md",
      "/2.0/repositories/ws/repo/src/main/docs/guide/setup.md",
      "/2.0/repositories/ws/repo/src/main",
      "/2.0/repositories/ws/repo/src",
      "/2.0/repositories/ws/repo/issues/7/attachments",
      "/2.0/repositories/ws/repo/issues/7/attachments/dir/sub/a.png",
      "/files/a/meta",
      "/files/a/b/meta",
      "/2.0/repositories/ws/repo/srcs/main/a.md",
    ],
  },
  {
    name: "suggestions",
    templates: [
      ["/rest/agile/1.0/board", "board"],
      ["/rest/api/3/myself", "myself"],
      ["/rest/api/3/issue/createmeta", "createmeta"],
      ["/rest/api/3/issue/{issueIdOrKey}", "issue"],
    ],
    probes: [
      "/rest/api/3/isue/ABC-1",
      "/rest/agile/1.1/board",
      "/rest/api/3/myselff",
      "/nothing/at/all",
      "/rest/api/3/myself",
    ],
  },
];

/** The fixture as a matcher, and the same trie after a JSON round trip, wrapped with fromRoutes over the same values. */
function storedPair(templates: [string, string][]): { built: PathMatcher<string>; stored: PathMatcher<string> } {
  const built = matcherOf(templates);
  const values = templates.map(([, value]) => value);
  const templateOf = new Map(templates.map(([template, value]) => [value, template]));
  const parsed = JSON.parse(JSON.stringify(built.routes));
  return { built, stored: PathMatcher.fromRoutes(parsed, values, (value) => templateOf.get(value)!) };
}

describe("PathMatcher.fromRoutes: a stored trie after a JSON round trip", () => {
  it.each(STORED_FIXTURES)(
    "$name: matches, ranks and suggests exactly like the matcher it came from",
    ({ templates, probes }) => {
      // Values must be unique to map back to templates; the fixtures' repeated templates carry distinct values.
      expect(new Set(templates.map(([, value]) => value)).size).toBe(templates.length);
      const { built, stored } = storedPair(templates);
      const answers = (matcher: PathMatcher<string>) =>
        probes.map((probe) => ({
          probe,
          match: matcher.match(split(probe)),
          rank: matcher.matchRank(split(probe)),
          suggest: matcher.suggest(split(probe), 3),
        }));
      const fromBuilt = answers(built);
      expect(answers(stored)).toEqual(fromBuilt);
      // The probes are not all misses: the comparison is over real matches.
      expect(fromBuilt.filter((answer) => answer.match.length > 0).length).toBeGreaterThan(0);
    },
  );

  it("exports plain JSON: stringify and parse give the same trie back", () => {
    for (const { templates } of STORED_FIXTURES) {
      const routes = matcherOf(templates).routes;
      expect(JSON.parse(JSON.stringify(routes))).toEqual(routes);
    }
  });

  it("a matcher over a stored trie takes templates from the values: a tie in suggestions lists each template once", () => {
    const { stored } = storedPair([
      ["/rest/api/3/myself", "GET"],
      ["/rest/api/3/myself/x", "PUT"],
    ]);
    expect(stored.suggest(["rest", "api", "3", "myselff"], 5)).toEqual(["/rest/api/3/myself", "/rest/api/3/myself/x"]);
  });
});

describe("PathMatcher over a stored trie: suggestions read only the values they rank", () => {
  const templates: [string, string][] = [
    ...Array.from({ length: 200 }, (_, index): [string, string] => [`/rest/api/3/thing${index}/{id}`, `api${index}`]),
    ["/rest/agile/1.0/board", "board"],
    ["/rest/agile/1.0/board/{boardId}", "one board"],
    ...Array.from({ length: 14 }, (_, index): [string, string] => [
      `/rest/agile/1.0/sprint${index}/{id}`,
      `sprint${index}`,
    ]),
  ];
  // The subtree a miss under /rest/agile/1.0 ranks: enough templates (SUGGEST_POOL × 3) not to step back.
  const agile = templates.filter(([template]) => template.startsWith("/rest/agile/")).map(([, value]) => value);
  const templateOf = new Map(templates.map(([template, value]) => [value, template]));
  /** A matcher over the stored trie that records each value whose template it reads. */
  const storedMatcher = (read: string[], storedTemplates?: () => readonly string[]) =>
    PathMatcher.fromRoutes(
      JSON.parse(JSON.stringify(matcherOf(templates).routes)) as RouteNode,
      templates.map(([, value]) => value),
      (value) => {
        read.push(value);
        return templateOf.get(value)!;
      },
      storedTemplates,
    );

  it("a miss under one root reads that subtree's values, not every value (each is an endpoint parsed on read)", () => {
    const read: string[] = [];
    const stored = storedMatcher(read);
    expect(stored.suggest(split("/rest/agile/1.0/bord"), 3)).toEqual(
      matcherOf(templates).suggest(split("/rest/agile/1.0/bord"), 3),
    );
    expect(stored.suggest(split("/rest/agile/1.0/bord"), 3)[0]).toBe("/rest/agile/1.0/board");
    expect(new Set(read)).toEqual(new Set(agile));
    // Each value is read once, however often it is ranked.
    stored.suggest(split("/rest/agile/1.0/sprnt/1"), 3);
    expect(read).toHaveLength(agile.length);
  });

  it("with the templates stored beside the trie, suggestions read no value at all", () => {
    const read: string[] = [];
    let storedReads = 0;
    const stored = storedMatcher(read, () => {
      storedReads++;
      return templates.map(([template]) => template);
    });
    for (const probe of ["/rest/agile/1.0/bord", "/rest/api/3/thing7/x/y", "/nowhere/at/all"])
      expect(stored.suggest(split(probe), 3), probe).toEqual(matcherOf(templates).suggest(split(probe), 3));
    expect(read).toEqual([]);
    expect(storedReads).toBe(1);
    // A match reads neither.
    expect(stored.match(split("/rest/agile/1.0/board"))).toEqual(["board"]);
    expect(storedReads).toBe(1);
  });

  it("a template added after suggestions were made is suggested too", () => {
    const built = matcherOf(templates.filter(([template]) => template.startsWith("/rest/agile/")));
    expect(built.suggest(split("/rest/agile/1.0/bord"), 1)).toEqual(["/rest/agile/1.0/board"]);
    built.add("/rest/agile/1.0/bord", "new");
    expect(built.suggest(split("/rest/agile/1.0/bord/x"), 2)).toEqual([
      "/rest/agile/1.0/board/{boardId}",
      "/rest/agile/1.0/bord",
    ]);
  });
});

describe("PathMatcher: segments named like Object.prototype members", () => {
  const NAMES = ["constructor", "__proto__", "toString", "hasOwnProperty", "valueOf", "__defineGetter__"];
  const cases = NAMES.flatMap((name) => [
    { name, at: "the root", segments: [name] },
    { name, at: "under a literal-only node", segments: ["rest", "api", "3", name] },
    { name, at: "past the end", segments: ["rest", "api", "3", "myself", name] },
    { name, at: "as the second segment", segments: ["rest", name, "3", "myself"] },
  ]);

  it.each(cases)("$name at $at never matches, built or stored", ({ segments }) => {
    const { built, stored } = storedPair(JIRA);
    expect(built.match(segments)).toEqual([]);
    expect(stored.match(segments)).toEqual([]);
    expect(built.matchRank(segments)).toBeUndefined();
    expect(stored.matchRank(segments)).toBeUndefined();
    // Suggestions walk the same children: no crash, only real templates.
    const templates = new Set(JIRA.map(([template]) => template));
    for (const matcher of [built, stored])
      for (const suggestion of matcher.suggest(segments, 5)) expect(templates.has(suggestion)).toBe(true);
  });

  it.each(NAMES)("a template with %s as a literal matches it, through the JSON round trip too", (name) => {
    const templates: [string, string][] = [
      ["/a/{id}", "param"],
      [`/a/${name}`, "literal"],
      [`/a/${name}/b`, "deeper"],
      [`/${name}`, "top"],
    ];
    const { built, stored } = storedPair(templates);
    for (const matcher of [built, stored]) {
      expect(matcher.match(["a", name])).toEqual(["literal"]);
      expect(matcher.match(["a", name, "b"])).toEqual(["deeper"]);
      expect(matcher.match([name])).toEqual(["top"]);
      expect(matcher.match(["a", "other"])).toEqual(["param"]);
      // Another prototype name is still no literal here.
      expect(matcher.match([name === "constructor" ? "toString" : "constructor"])).toEqual([]);
    }
    // The stored trie holds the name as an ordinary key.
    expect(Object.keys(JSON.parse(JSON.stringify(built.routes)).l)).toContain(name);
  });
});

describe("routesProblem", () => {
  const good = () =>
    JSON.parse(JSON.stringify(matcherOf(STORED_FIXTURES.flatMap(({ templates }) => templates)).routes));
  const count = STORED_FIXTURES.flatMap(({ templates }) => templates).length;

  it("is undefined for a trie the matcher built, and for an empty one", () => {
    expect(routesProblem(good(), count)).toBeUndefined();
    expect(routesProblem({}, 0)).toBeUndefined();
    expect(routesProblem(matcherOf([["/a/{b}/c.{d}", "x"]]).routes, 1)).toBeUndefined();
  });

  const cases: { name: string; routes: unknown; count?: number; want: RegExp }[] = [
    { name: "the root is not an object", routes: "routes", want: /not an object/ },
    { name: "the root is null", routes: null, want: /not an object/ },
    { name: "the root is an array", routes: [], want: /not an object/ },
    { name: "a literal child is a number", routes: { l: { a: 1 } }, want: /not an object/ },
    {
      name: "a literal child is null, deep down",
      routes: { l: { a: { l: { b: { p: null } } } } },
      want: /not an object/,
    },
    { name: "the parameter child is an array", routes: { p: [] }, want: /not an object/ },
    { name: "l is an array", routes: { l: [{}] }, want: /literal children/ },
    { name: "l is a string", routes: { l: "abc" }, want: /literal children/ },
    { name: "x is not a list", routes: { x: { "^a$": {} } }, want: /patterns are not a list/ },
    { name: "a pattern entry is a string", routes: { x: ["^a$"] }, want: /not \[source, node\]/ },
    { name: "a pattern entry's source is not a string", routes: { x: [[1, {}]] }, want: /not \[source, node\]/ },
    { name: "a pattern entry's node is not an object", routes: { x: [["^a$", 5]] }, want: /not an object/ },
    {
      name: "a pattern source is not a regular expression",
      routes: { x: [["^(a$", {}]] },
      want: /route pattern "\^\(a\$" is not a regular expression/,
    },
    {
      name: "a value index is out of range",
      routes: { v: [3] },
      count: 3,
      want: /route value 3 is not an endpoint index/,
    },
    {
      name: "a value index is negative",
      routes: { l: { a: { v: [-1] } } },
      want: /route value -1 is not an endpoint index/,
    },
    {
      name: "a value index is not an integer",
      routes: { p: { v: [0.5] } },
      want: /route value 0.5 is not an endpoint index/,
    },
    { name: "a value index is a string", routes: { v: ["0"] }, want: /route value 0 is not an endpoint index/ },
    {
      name: "a rest index is out of range",
      routes: { l: { a: { r: [0, 7] } } },
      want: /route value 7 is not an endpoint index/,
    },
    { name: "an index under a pattern is out of range", routes: { x: [["^a.+$", { v: [9] }]] }, want: /route value 9/ },
    { name: "v is not a list", routes: { v: 0 }, want: /values are not a list/ },
    { name: "r is an object", routes: { r: { 0: 0 } }, want: /values are not a list/ },
    { name: "any index when there are no values", routes: { v: [0] }, count: 0, want: /route value 0/ },
  ];

  it.each(cases)("names the problem when $name", ({ routes, count: values, want }) => {
    expect(routesProblem(routes, values ?? 1)).toMatch(want);
  });

  it("finds a problem deep in an otherwise good trie", () => {
    const routes = good();
    routes.l.rest.l.api.l["3"].l.issue.p.v = [count];
    expect(routesProblem(routes, count)).toBe(`route value ${count} is not an endpoint index`);
    expect(routesProblem(good(), count - 1)).toMatch(/is not an endpoint index/);
  });
});

describe("PathMatcher.matchAcross: several tries walked as one", () => {
  const literal = matcherOf([["/rest/api/3/issue/createmeta", "literal"]]);
  const param = matcherOf([["/rest/api/3/issue/{issueIdOrKey}", "param"]]);
  const deeperLiteral = matcherOf([["/rest/{x}/3/issue/createmeta", "late-literal"]]);

  const cases: { name: string; matchers: PathMatcher<string>[]; given: string; want: string[] }[] = [
    {
      name: "literal first, param second: the literal wins",
      matchers: [literal, param],
      given: "/rest/api/3/issue/createmeta",
      want: ["literal"],
    },
    {
      name: "param first, literal second: the literal wins",
      matchers: [param, literal],
      given: "/rest/api/3/issue/createmeta",
      want: ["literal"],
    },
    { name: "only the param fits", matchers: [literal, param], given: "/rest/api/3/issue/ABC-1", want: ["param"] },
    // The earlier segment decides, as a walk of one trie tries literals first at each segment.
    {
      name: "a literal earlier beats a literal later, either order",
      matchers: [deeperLiteral, param],
      given: "/rest/api/3/issue/createmeta",
      want: ["param"],
    },
    {
      name: "a literal earlier beats a literal later, other order",
      matchers: [param, deeperLiteral],
      given: "/rest/api/3/issue/createmeta",
      want: ["param"],
    },
    { name: "no match anywhere", matchers: [literal, param], given: "/rest/api/2/dashboard", want: [] },
    { name: "no matchers", matchers: [], given: "/rest/api/3/issue/createmeta", want: [] },
    { name: "no segments", matchers: [literal, param], given: "/", want: [] },
  ];

  it.each(cases)("$name", ({ matchers, given, want }) => {
    expect(PathMatcher.matchAcross(matchers, split(given))).toEqual(want);
  });

  it("agrees with one merged trie", () => {
    const merged = matcherOf([
      ["/rest/api/3/issue/createmeta", "literal"],
      ["/rest/api/3/issue/{issueIdOrKey}", "param"],
      ["/rest/{x}/3/issue/createmeta", "late-literal"],
    ]);
    for (const given of [
      "/rest/api/3/issue/createmeta",
      "/rest/api/3/issue/ABC-1",
      "/rest/v/3/issue/createmeta",
      "/rest/v/3/issue/x",
    ]) {
      for (const matchers of [
        [literal, param, deeperLiteral],
        [deeperLiteral, param, literal],
        [param, deeperLiteral, literal],
      ]) {
        expect(PathMatcher.matchAcross(matchers, split(given))).toEqual(merged.match(split(given)));
      }
    }
  });

  it("identical templates in two tries: both tries' values, in the order the tries are given", () => {
    const first = matcherOf([
      ["/2.0/repositories/{workspace}/{repo_slug}/pullrequests", "GET"],
      ["/2.0/repositories/{workspace}/{repo_slug}/pullrequests", "POST"],
    ]);
    const second = matcherOf([["/2.0/repositories/{w}/{r}/pullrequests", "PUT"]]);
    const given = split("/2.0/repositories/ws/repo/pullrequests");
    expect(PathMatcher.matchAcross([first, second], given)).toEqual(["GET", "POST", "PUT"]);
    expect(PathMatcher.matchAcross([second, first], given)).toEqual(["PUT", "GET", "POST"]);
  });

  it("stored tries walk across like built ones", () => {
    const a = storedPair([["/rest/api/3/issue/createmeta", "literal"]]).stored;
    const b = storedPair([["/rest/api/3/issue/{issueIdOrKey}", "param"]]).stored;
    expect(PathMatcher.matchAcross([b, a], split("/rest/api/3/issue/createmeta"))).toEqual(["literal"]);
    expect(PathMatcher.matchAcross([b, a], split("/rest/api/3/issue/KEY-1"))).toEqual(["param"]);
  });
});

describe("PathMatcher.matchAcrossKeyed: a match kept by key, without reading the other values", () => {
  const pulls = "/2.0/repositories/{workspace}/{repo_slug}/pullrequests";
  const given = split("/2.0/repositories/ws/repo/pullrequests");
  /** A stored trie over `values` whose keys are stored beside it, and a record of the values read. */
  const keyed = (values: string[], keys: string | undefined) => {
    const built = matcherOf(values.map((value) => [pulls, value]));
    const read: number[] = [];
    const list = new Proxy(values, {
      get(target, property, receiver) {
        if (typeof property === "string" && /^\d+$/.test(property)) read.push(Number(property));
        return Reflect.get(target, property, receiver);
      },
    });
    const stored = PathMatcher.fromRoutes(JSON.parse(JSON.stringify(built.routes)), list, () => pulls, undefined, keys);
    return { stored, read };
  };
  const LETTERS: Record<string, string> = { GET: "G", POST: "P", PUT: "U" };
  const keyOf = (value: string) => LETTERS[value] ?? value;

  it("reads only the values whose stored key is asked for, and says the path matched when none is", () => {
    const { stored, read } = keyed(["GET", "POST", "PUT"], "GPU");
    const found: string[] = [];
    expect(PathMatcher.matchAcrossKeyed([stored], given, { key: "P", keyOf }, found)).toBe(true);
    expect(found).toEqual(["POST"]);
    expect(read).toEqual([1]);
    const none: string[] = [];
    expect(PathMatcher.matchAcrossKeyed([stored], given, { key: "D", keyOf }, none)).toBe(true);
    expect(none).toEqual([]);
    expect(read).toEqual([1]);
    expect(PathMatcher.matchAcrossKeyed([stored], split("/2.0/user"), { key: "G", keyOf }, none)).toBe(false);
  });

  it("reads each value's key without stored keys, and keeps every value without a key asked for", () => {
    const { stored, read } = keyed(["GET", "POST", "PUT"], undefined);
    const found: string[] = [];
    expect(PathMatcher.matchAcrossKeyed([stored], given, { key: "U", keyOf }, found)).toBe(true);
    expect(found).toEqual(["PUT"]);
    expect(read.sort()).toEqual([0, 1, 2]);
    const all: string[] = [];
    expect(PathMatcher.matchAcrossKeyed([keyed(["GET", "POST"], "GP").stored], given, { keyOf }, all)).toBe(true);
    expect(all).toEqual(["GET", "POST"]);
  });

  it("chooses the most specific trie before leaving any out: a trie left out does not hand the path on", () => {
    const literal = matcherOf([["/rest/api/3/issue/createmeta", "literal"]]);
    const param = matcherOf([["/rest/api/3/issue/{issueIdOrKey}", "param"]]);
    const path = split("/rest/api/3/issue/createmeta");
    const found: string[] = [];
    const notLiteral = (matcher: PathMatcher<string>) => matcher !== literal;
    expect(PathMatcher.matchAcrossKeyed([param, literal], path, { keyOf, keepMatcher: notLiteral }, found)).toBe(false);
    expect(found).toEqual([]);
    const notParam = (matcher: PathMatcher<string>) => matcher !== param;
    expect(PathMatcher.matchAcrossKeyed([param, literal], path, { keyOf, keepMatcher: notParam }, found)).toBe(true);
    expect(found).toEqual(["literal"]);
  });
});

describe("routesProblem: a pattern entry without its node", () => {
  it("names a pattern entry that is [source] only", () => {
    expect(routesProblem({ x: [["^a$"]] } as never, 1)).toMatch(/not \[source, node\]/);
  });

  it("does not hide a problem pending elsewhere in the trie", () => {
    expect(routesProblem({ l: { a: { v: [99] } }, x: [["^b$", {}], ["^c$"]] } as never, 1)).toBeDefined();
    expect(routesProblem({ l: { a: { v: [99] } }, p: undefined } as never, 1)).toMatch(/99/);
  });

  it("zod and checkShardShape refuse a shard holding one", () => {
    const shard = {
      schemaVersion: 1,
      product: "jira",
      version: "v",
      scrapedAt: "s",
      contentHash: "h",
      documents: [],
      endpoints: [],
      scopes: [],
      routes: { l: { a: { v: [5] } }, x: [["^b$"]] },
    };
    expect(ProductShardSchema().safeParse(shard).success).toBe(false);
    expect(() => checkShardShape("shard/v/jira", shard)).toThrow(/routes/);
  });
});

describe("PathMatcher.mayFitIgnoringCase: the trie's test before the case search reads every template", () => {
  const TEMPLATES: [string, string][] = [
    ...JIRA,
    ["/rest/api/3/serverInfo", "server-info"],
    ["/rest/api/3/filter/{id}", "filter"],
    ["/rest/api/3/filter/defaultShareScope", "share-scope"],
    ["/2.0/repositories/{workspace}/{repo_slug}/src/{commit}/{path}", "file"],
    ["/2.0/repositories/{workspace}/{repo_slug}/downloads/{repo_name}-issues-{task_id}.zip", "export"],
  ];
  const matcher = matcherOf(TEMPLATES);
  // What lookup.ts templateIgnoringCase finds: a template of the same length whose fixed parts equal the path's in any case.
  const scanFinds = (lower: string[]) =>
    TEMPLATES.some(([template]) => {
      const parts = split(template);
      return (
        parts.length === lower.length &&
        parts.every((part, at) => (part.startsWith("{") && part.endsWith("}")) || part.toLowerCase() === lower[at])
      );
    });
  const lowered = (path: string) => split(path).map((segment) => segment.toLowerCase());

  it("yes for a path in another case, a camelCase segment and a file path of the template's length", () => {
    for (const path of [
      "/REST/API/3/ISSUE/ABC-1/COMMENT",
      "/rest/api/3/SERVERINFO",
      "/rest/api/3/filter/DEFAULTSHARESCOPE",
      "/2.0/REPOSITORIES/acme/repo/SRC/main/README.md",
    ])
      expect(matcher.mayFitIgnoringCase(lowered(path)), path).toBe(true);
  });

  it("no for a path mistyped elsewhere, whatever case its values are in", () => {
    for (const path of ["/rest/api/3/isue/ABC-1", "/rest/api/3/issue/ABC-1/comments", "/rest/api/4/myself", "/REST"])
      expect(matcher.mayFitIgnoringCase(lowered(path)), path).toBe(false);
  });

  it("never no where the scan finds a template (the templates filled, in random case, one segment maybe changed)", () => {
    const values = ["ABC-1", "x", "Main", "README.md", "issue", "SRC"];
    const path = fc
      .tuple(
        fc.constantFrom(...TEMPLATES.map(([template]) => split(template))),
        fc.array(fc.boolean(), { minLength: 9, maxLength: 9 }),
        fc.array(fc.constantFrom(...values), { minLength: 9, maxLength: 9 }),
        fc.option(fc.tuple(fc.nat(8), fc.constantFrom(...values))),
      )
      .map(([parts, upper, filled, changed]) => {
        const segments = parts.map((part, at) => {
          const segment = part.startsWith("{") ? filled[at]! : part;
          return upper[at] ? segment.toUpperCase() : segment;
        });
        if (changed && changed[0] < segments.length) segments[changed[0]] = changed[1];
        return segments;
      });
    let fitting = 0;
    fc.assert(
      fc.property(path, (segments) => {
        const lower = segments.map((segment) => segment.toLowerCase());
        if (!scanFinds(lower)) return;
        fitting++;
        expect(matcher.mayFitIgnoringCase(lower)).toBe(true);
      }),
      { numRuns: 3000 },
    );
    expect(fitting).toBeGreaterThan(1000);
  });
});
