/** The changelog query without I/O: `since`, version order, the filters, path resolution, the lines. */
import { describe, expect, it } from "vitest";
import {
  SINCE_FORMS,
  changeLine,
  compareVersions,
  countChanges,
  describeChange,
  entryMatches,
  isSince,
  mentionsScope,
  parseSince,
  queryChanges,
  resolveChangePath,
  withoutTrailingSlashes,
} from "../../src/catalog/changes-query";
import type { ChangeEntry, Changes } from "../../src/catalog/schema";
import { BOARD, ISSUE, PULLREQUESTS, sampleIndex } from "./catalog-fixture";

const REMOVED = "/rest/api/3/workflow/transitions/{transitionId}/properties";
const REMOVED_PR = "/2.0/repositories/{workspace}/{repo_slug}/pullrequests/{pull_request_id}/tasks";

const granular = (state: string) => ({ kind: "granular" as const, state });
const ENTRIES: Record<ChangeEntry["type"], ChangeEntry> = {
  endpoint_added: {
    type: "endpoint_added",
    product: "jira",
    method: "GET",
    path: "/rest/api/3/field/{fieldId}/context/defaultValues",
  },
  endpoint_removed: { type: "endpoint_removed", product: "jira", method: "DELETE", path: REMOVED },
  scopes_changed: {
    type: "scopes_changed",
    product: "jira",
    method: "GET",
    path: ISSUE,
    alternative: granular("Beta"),
    added: ["read:avatar:jira"],
    removed: ["read:user:jira"],
  },
  alternative_added: {
    type: "alternative_added",
    product: "jira-software",
    method: "GET",
    path: BOARD,
    alternative: granular("Current"),
    scopes: ["read:board-scope:jira-software", "read:project:jira"],
  },
  alternative_removed: {
    type: "alternative_removed",
    product: "jira",
    method: "PUT",
    path: ISSUE,
    alternative: { kind: "classic", state: "Current" },
    scopes: ["write:jira-work"],
  },
  state_changed: {
    type: "state_changed",
    product: "jira",
    method: "GET",
    path: ISSUE,
    alternative: granular("Current"),
    scopes: ["read:issue:jira", "read:user:jira"],
    from: "Beta",
    to: "Current",
  },
  deprecated_changed: {
    type: "deprecated_changed",
    product: "jira",
    method: "POST",
    path: "/rest/api/3/priority",
    from: true,
    to: false,
  },
  scope_introduced: { type: "scope_introduced", product: "jira", scope: "read:avatar:jira" },
  scope_retired: { type: "scope_retired", product: "jira", scope: "read:workflow.property:jira" },
};

function version(
  id: string,
  publishedAt: string,
  entries: ChangeEntry[],
  previousVersion: string | null = null,
  baseline: Changes["baseline"] = [],
): Changes {
  return { version: id, publishedAt, previousVersion, baseline, entries };
}

const V1 = version("2026-06-10T04-17-00Z", "2026-06-10T04:17:00.000Z", [], null, [
  "jira",
  "jira-software",
  "bitbucket",
]);
const V2 = version(
  "2026-07-21T04-17-00Z",
  "2026-07-21T04:17:00.000Z",
  [ENTRIES.endpoint_added, ENTRIES.endpoint_removed, ENTRIES.scope_retired],
  V1.version,
);
const V3 = version(
  "2026-07-21T04-17-00Z.1",
  "2026-07-21T04:17:00.500Z",
  [ENTRIES.scopes_changed, ENTRIES.state_changed, ENTRIES.alternative_added],
  V2.version,
  ["confluence"],
);
const V4 = version(
  "2026-08-01T04-17-00Z",
  "2026-08-01T04:17:00.000Z",
  [
    { type: "endpoint_removed", product: "bitbucket", method: "GET", path: REMOVED_PR },
    ENTRIES.alternative_removed,
    ENTRIES.deprecated_changed,
  ],
  V3.version,
);
const ALL = [V2, V4, V1, V3];

describe("parseSince", () => {
  it("takes a catalog version, suffixed or not", () => {
    expect(parseSince("2026-11-30T03-12-30Z")).toEqual({
      ok: true,
      value: { kind: "version", version: "2026-11-30T03-12-30Z" },
    });
    expect(parseSince(" 2026-11-30T03-12-30Z.2 ")).toEqual({
      ok: true,
      value: { kind: "version", version: "2026-11-30T03-12-30Z.2" },
    });
  });

  it("takes a date (UTC midnight) and an ISO date-time, UTC unless it has an offset", () => {
    expect(parseSince("2026-06-10")).toEqual({ ok: true, value: { kind: "time", at: "2026-06-10T00:00:00.000Z" } });
    expect(parseSince("2026-06-10T12:30")).toEqual({
      ok: true,
      value: { kind: "time", at: "2026-06-10T12:30:00.000Z" },
    });
    expect(parseSince("2026-06-10T12:30:15.250Z")).toEqual({
      ok: true,
      value: { kind: "time", at: "2026-06-10T12:30:15.250Z" },
    });
    expect(parseSince("2026-06-10T12:30:00+02:00")).toEqual({
      ok: true,
      value: { kind: "time", at: "2026-06-10T10:30:00.000Z" },
    });
    expect(parseSince("2028-02-29")).toMatchObject({ ok: true });
  });

  it("refuses anything else, naming both accepted forms", () => {
    for (const input of [
      "",
      "yesterday",
      "2026-02-30",
      "2026-02-29",
      "2026-13-01",
      "2026-06-10T24:00:00Z",
      "2026-06-10T12:00:00+25:00",
      "2026-11-30T03-12-61Z",
      "2026/06/10",
      "1780000000",
      "2026-11-30T03-12-30",
    ]) {
      const parsed = parseSince(input);
      expect(parsed.ok, input).toBe(false);
      if (!parsed.ok) expect(parsed.message, input).toContain(SINCE_FORMS);
    }
    expect(SINCE_FORMS).toContain("2026-11-30T03-12-30Z");
    expect(SINCE_FORMS).toContain("2026-06-10");
  });
});

describe("version order and the since window", () => {
  it("orders by timestamp, then by the numeric suffix", () => {
    const ids = ["2026-07-21T04-17-00Z.10", "2026-07-21T04-17-00Z", "2026-08-01T00-00-00Z", "2026-07-21T04-17-00Z.2"];
    expect([...ids].sort(compareVersions)).toEqual([
      "2026-07-21T04-17-00Z",
      "2026-07-21T04-17-00Z.2",
      "2026-07-21T04-17-00Z.10",
      "2026-08-01T00-00-00Z",
    ]);
  });

  it("takes versions strictly after a version, and published at or after a time", () => {
    const since = (input: string) => {
      const parsed = parseSince(input);
      if (!parsed.ok) throw new Error(parsed.message);
      return ALL.filter((item) => isSince(item, parsed.value))
        .map((item) => item.version)
        .sort();
    };
    expect(since(V2.version)).toEqual([V3.version, V4.version]);
    expect(since(V4.version)).toEqual([]);
    expect(since("2026-07-21")).toEqual([V2.version, V3.version, V4.version]);
    expect(since(V3.publishedAt)).toEqual([V3.version, V4.version]);
    expect(ALL.filter((item) => isSince(item, undefined))).toHaveLength(4);
  });
});

describe("the filters", () => {
  it("matches a scope where an entry names it: introduced, retired, or in a set's scopes, added or removed", () => {
    expect(mentionsScope(ENTRIES.scope_retired, "read:workflow.property:jira")).toBe(true);
    expect(mentionsScope(ENTRIES.scope_introduced, "read:avatar:jira")).toBe(true);
    expect(mentionsScope(ENTRIES.scopes_changed, "read:avatar:jira")).toBe(true);
    expect(mentionsScope(ENTRIES.scopes_changed, "read:user:jira")).toBe(true);
    expect(mentionsScope(ENTRIES.state_changed, "read:issue:jira")).toBe(true);
    expect(mentionsScope(ENTRIES.alternative_added, "read:project:jira")).toBe(true);
    expect(mentionsScope(ENTRIES.alternative_removed, "write:jira-work")).toBe(true);
    // Added endpoints and deprecations carry no scopes, nor does a removal recorded before removals kept
    // theirs; a scope is matched exactly, not by prefix.
    for (const type of ["endpoint_added", "endpoint_removed", "deprecated_changed"] as const)
      expect(mentionsScope(ENTRIES[type], "read:jira-work")).toBe(false);
    // A removal names the scopes the endpoint last took: a subscriber to one hears it went away.
    const removed = {
      ...ENTRIES.endpoint_removed,
      alternatives: [
        { kind: "classic" as const, state: "Current", scopes: ["manage:jira-configuration"] },
        { kind: "granular" as const, state: "Beta", scopes: ["delete:workflow.property:jira"] },
      ],
    };
    expect(mentionsScope(removed, "manage:jira-configuration")).toBe(true);
    expect(mentionsScope(removed, "delete:workflow.property:jira")).toBe(true);
    expect(mentionsScope(removed, "read:workflow.property:jira")).toBe(false);
    expect(changeLine({ ...removed, version: "v", publishedAt: "2026-07-21T00:00:00.000Z" })).toContain(
      "(endpoint removed; it took manage:jira-configuration or delete:workflow.property:jira)",
    );
    expect(mentionsScope(ENTRIES.scope_retired, "read:workflow.property")).toBe(false);
  });

  it("combines product, scope, paths and method (all must hold)", () => {
    const paths = new Set([ISSUE]);
    expect(
      entryMatches(ENTRIES.state_changed, { product: "jira", scope: "read:issue:jira", paths, method: "GET" }),
    ).toBe(true);
    expect(entryMatches(ENTRIES.state_changed, { product: "jira-software" })).toBe(false);
    expect(entryMatches(ENTRIES.state_changed, { paths, method: "PUT" })).toBe(false);
    expect(entryMatches(ENTRIES.alternative_removed, { paths })).toBe(true);
    expect(entryMatches(ENTRIES.scope_retired, { paths })).toBe(false);
    expect(entryMatches(ENTRIES.scope_retired, {})).toBe(true);
  });

  it("lists versions newest first, entries dated by their version, and the products first published", () => {
    const result = queryChanges(ALL, {});
    expect(result.versions.map((item) => [item.version, item.changes, item.matching, item.baseline])).toEqual([
      [V4.version, 3, 3, []],
      [V3.version, 3, 3, ["confluence"]],
      [V2.version, 3, 3, []],
      [V1.version, 0, 0, ["jira", "jira-software", "bitbucket"]],
    ]);
    expect(result.entries.map((entry) => entry.version)).toEqual(
      [V4, V4, V4, V3, V3, V3, V2, V2, V2].map((item) => item.version),
    );
    expect(result.entries[0]).toEqual({ version: V4.version, publishedAt: V4.publishedAt, ...V4.entries[0] });
    expect(result.baseline).toEqual([
      { product: "confluence", version: V3.version, publishedAt: V3.publishedAt },
      ...["jira", "jira-software", "bitbucket"].map((product) => ({
        product,
        version: V1.version,
        publishedAt: V1.publishedAt,
      })),
    ]);
    const bitbucket = queryChanges(ALL, { product: "bitbucket" });
    expect(bitbucket.entries.map((entry) => ("path" in entry ? entry.path : entry.type))).toEqual([REMOVED_PR]);
    expect(bitbucket.baseline.map((item) => item.product)).toEqual(["bitbucket"]);
    expect(bitbucket.versions.map((item) => item.matching)).toEqual([1, 0, 0, 0]);
  });
});

describe("resolveChangePath", () => {
  const catalog = sampleIndex();
  const resolve = (path: string, method?: string) => resolveChangePath(catalog, ALL, path, method);

  it("resolves a concrete path or URL the catalog knows to its template, literal segments first", () => {
    expect(resolve("/rest/api/3/issue/ABC-1")).toEqual({ ok: true, paths: new Set([ISSUE]), method: undefined });
    expect(resolve("https://acme.atlassian.net/rest/api/3/issue/ABC-1?expand=names", "get")).toEqual({
      ok: true,
      paths: new Set([ISSUE]),
      method: "GET",
    });
    expect(resolve("/rest/api/3/issue/createmeta")).toEqual({
      ok: true,
      paths: new Set(["/rest/api/3/issue/createmeta"]),
      method: undefined,
    });
    expect(resolve("/repositories/acme/app/pullrequests")).toEqual({
      ok: true,
      paths: new Set([PULLREQUESTS]),
      method: undefined,
    });
  });

  it("takes the exact template of a removed endpoint, and a concrete path of one through the changelog", () => {
    expect(resolve(REMOVED)).toEqual({ ok: true, paths: new Set([REMOVED]), method: undefined });
    expect(resolve(`${REMOVED}/`, "DELETE")).toEqual({ ok: true, paths: new Set([REMOVED]), method: "DELETE" });
    expect(resolve("/rest/api/3/workflow/transitions/7/properties")).toEqual({
      ok: true,
      paths: new Set([REMOVED]),
      method: undefined,
    });
    // Bitbucket's /2.0 may be left off, as for /scopes.
    expect(resolve("https://api.bitbucket.org/repositories/acme/app/pullrequests/5/tasks")).toEqual({
      ok: true,
      paths: new Set([REMOVED_PR]),
      method: undefined,
    });
  });

  it("refuses a bad method or path, and answers 404 with suggestions for a path nobody knows", () => {
    expect(resolve(REMOVED, "FETCH")).toMatchObject({ ok: false, code: "invalid_method" });
    expect(resolve("ftp://example.com/x")).toMatchObject({ ok: false, code: "invalid_path" });
    const missing = resolve("/rest/api/3/isue/ABC-1");
    expect(missing).toMatchObject({ ok: false, code: "endpoint_not_found" });
    if (!missing.ok) expect((missing.details?.suggestions as string[] | undefined)?.[0]).toBe(ISSUE);
  });
});

describe("lines", () => {
  it("describes every kind of change in one line", () => {
    const lines = Object.values(ENTRIES).map((entry) =>
      changeLine({ ...entry, version: V2.version, publishedAt: V2.publishedAt }),
    );
    expect(lines).toEqual([
      "2026-07-21 jira  + GET /rest/api/3/field/{fieldId}/context/defaultValues (endpoint added)",
      `2026-07-21 jira  - DELETE ${REMOVED} (endpoint removed)`,
      `2026-07-21 jira  ~ GET ${ISSUE} (granular Beta set: added read:avatar:jira; removed read:user:jira)`,
      `2026-07-21 jira-software  + GET ${BOARD} (granular Current set added: read:board-scope:jira-software + read:project:jira)`,
      `2026-07-21 jira  - PUT ${ISSUE} (classic Current set removed: write:jira-work)`,
      `2026-07-21 jira  ~ GET ${ISSUE} (granular set read:issue:jira + read:user:jira: Beta -> Current)`,
      "2026-07-21 jira  ~ POST /rest/api/3/priority (no longer deprecated)",
      "2026-07-21 jira  + read:avatar:jira (scope introduced)",
      "2026-07-21 jira  - read:workflow.property:jira (scope retired: no endpoint uses it any more)",
    ]);
    expect(describeChange({ ...ENTRIES.deprecated_changed, from: false, to: true } as ChangeEntry).what).toBe(
      "now deprecated",
    );
  });

  it("counts changes by kind, in the order they first appear", () => {
    expect(
      countChanges([ENTRIES.endpoint_added, ENTRIES.endpoint_removed, ENTRIES.endpoint_removed, ENTRIES.scope_retired]),
    ).toBe("1 endpoint added, 2 endpoints removed, 1 scope retired");
    expect(countChanges([])).toBe("");
  });
});

describe("withoutTrailingSlashes", () => {
  const cases: { given: string; want: string }[] = [
    { given: "/rest/api/3/myself/", want: "/rest/api/3/myself" },
    { given: "/rest/api/3/myself///", want: "/rest/api/3/myself" },
    { given: "/", want: "/" },
    // All slashes: the first one is kept, as the path's root.
    { given: "////", want: "/" },
    { given: "", want: "" },
  ];
  it.each(cases)("$given", ({ given, want }) => {
    expect(withoutTrailingSlashes(given)).toBe(want);
  });

  it("looks at each trailing slash once: the old /(.)\\/+$/ retried the run from every slash", () => {
    const given = `/a${"/".repeat(4090)}x${"/".repeat(4000)}`;
    const work = { steps: 0 };
    expect(withoutTrailingSlashes(given, work)).toBe(`/a${"/".repeat(4090)}x`);
    expect(work.steps).toBeLessThanOrEqual(4001);
    expect(withoutTrailingSlashes(`/a${"/".repeat(4090)}x`, work)).toBe(`/a${"/".repeat(4090)}x`);
  });
});
