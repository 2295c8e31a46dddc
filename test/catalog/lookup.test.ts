/**
 * lookupEndpoints: a pasted path and optional method to endpoints, or a failure with a code,
 * message and details.
 */
import { describe, expect, it, vi } from "vitest";
import { lookupEndpoints } from "../../src/catalog/lookup";
import { MAX_PATH_LENGTH } from "../../src/catalog/request-path";
import { CatalogIndex } from "../../src/catalog/catalog-index";
import type { Endpoint } from "../../src/catalog/schema";
import { BOARD, ISSUE, PAGE_V2, alt, endpoint, keys, sampleData, sampleIndex } from "./catalog-fixture";

const index = sampleIndex();
const METHODS = "GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS, TRACE";

describe("lookupEndpoints: found", () => {
  const cases: {
    name: string;
    path: string;
    method?: string;
    want: { path: string; matchedAs?: string; endpoints: string[] };
  }[] = [
    {
      name: "no method: every method of the template",
      path: "/rest/api/3/issue/ABC-1",
      want: { path: "/rest/api/3/issue/ABC-1", endpoints: [`GET ${ISSUE}`, `PUT ${ISSUE}`, `DELETE ${ISSUE}`] },
    },
    {
      name: "empty method: every method",
      path: "/rest/api/3/issue/ABC-1",
      method: "",
      want: { path: "/rest/api/3/issue/ABC-1", endpoints: [`GET ${ISSUE}`, `PUT ${ISSUE}`, `DELETE ${ISSUE}`] },
    },
    {
      name: "blank method: every method",
      path: "/rest/api/3/issue/ABC-1",
      method: "   ",
      want: { path: "/rest/api/3/issue/ABC-1", endpoints: [`GET ${ISSUE}`, `PUT ${ISSUE}`, `DELETE ${ISSUE}`] },
    },
    {
      name: "method filter",
      path: "/rest/api/3/issue/ABC-1",
      method: "PUT",
      want: { path: "/rest/api/3/issue/ABC-1", endpoints: [`PUT ${ISSUE}`] },
    },
    {
      name: "lower-case method",
      path: "/rest/api/3/issue/ABC-1",
      method: "delete",
      want: { path: "/rest/api/3/issue/ABC-1", endpoints: [`DELETE ${ISSUE}`] },
    },
    {
      name: "mixed-case method with whitespace",
      path: "/rest/api/3/issue/ABC-1",
      method: " gEt ",
      want: { path: "/rest/api/3/issue/ABC-1", endpoints: [`GET ${ISSUE}`] },
    },
    {
      name: "implied prefix kept as matchedAs through the method filter",
      path: "/pages/1",
      method: "put",
      want: { path: "/pages/1", matchedAs: "/wiki/api/v2/pages/1", endpoints: [`PUT ${PAGE_V2}`] },
    },
    {
      name: "gateway URL",
      path: "https://api.atlassian.com/ex/jira/11111111-2222-3333-4444-555555555555/rest/agile/1.0/board?maxResults=1",
      method: "GET",
      want: { path: BOARD, endpoints: [`GET ${BOARD}`] },
    },
  ];

  it.each(cases)("$name", ({ path, method, want }) => {
    const found = lookupEndpoints(index, path, method);
    if (!found.ok) throw new Error(`expected a match, got ${found.code}`);
    expect({ path: found.request.path, matchedAs: found.matchedAs, endpoints: keys(found.endpoints) }).toEqual({
      path: want.path,
      matchedAs: want.matchedAs,
      endpoints: want.endpoints,
    });
  });

  it("passes the parsed request through", () => {
    const found = lookupEndpoints(index, "https://api.atlassian.com/ex/jira/cloud-1/rest/agile/1.0/board");
    expect(found.ok && found.request).toEqual({
      path: BOARD,
      segments: ["rest", "agile", "1.0", "board"],
      host: "api.atlassian.com",
      gateway: "jira",
      cloudId: "cloud-1",
    });
  });
});

describe("lookupEndpoints: failures", () => {
  const cases: { name: string; path: string; method?: string; want: unknown }[] = [
    {
      name: "invalid_method",
      path: "/rest/api/3/myself",
      method: "FETCH",
      want: {
        ok: false,
        code: "invalid_method",
        message: `\`method\` "FETCH" is not an HTTP method; use one of ${METHODS}, or leave it out for all methods.`,
      },
    },
    {
      name: "invalid_method quotes the method as given, cut to 40 characters",
      path: "/rest/api/3/myself",
      method: `g${"x".repeat(60)}`,
      want: {
        ok: false,
        code: "invalid_method",
        message: `\`method\` "g${"x".repeat(39)}" is not an HTTP method; use one of ${METHODS}, or leave it out for all methods.`,
      },
    },
    {
      name: "invalid_method is reported before the path is read",
      path: "",
      method: "GETT",
      want: {
        ok: false,
        code: "invalid_method",
        message: `\`method\` "GETT" is not an HTTP method; use one of ${METHODS}, or leave it out for all methods.`,
      },
    },
    {
      name: "invalid_path: empty",
      path: "",
      want: {
        ok: false,
        code: "invalid_path",
        message: "`path` is empty: give a request path such as /rest/api/3/issue/ABC-1, or a full URL.",
      },
    },
    {
      name: "invalid_path: bad percent-encoding",
      path: "/rest/api/3/issue/%E0%A4%A",
      method: "GET",
      want: {
        ok: false,
        code: "invalid_path",
        message:
          '`path` has invalid percent-encoding in "%E0%A4%A"; encode "%" as %25 or paste the URL as your client sends it.',
      },
    },
    {
      name: "path_too_long",
      path: `/${"x".repeat(MAX_PATH_LENGTH)}`,
      want: {
        ok: false,
        code: "path_too_long",
        message: `\`path\` is ${MAX_PATH_LENGTH + 1} characters; at most ${MAX_PATH_LENGTH} are accepted.`,
      },
    },
    {
      name: "endpoint_not_found with the five nearest templates",
      path: "https://acme.atlassian.net/rest/api/3/isue/ABC-1",
      want: {
        ok: false,
        code: "endpoint_not_found",
        message:
          "No Atlassian Cloud endpoint in the catalog matches /rest/api/3/isue/ABC-1. Check the path against the suggestions, or the product's REST docs.",
        details: {
          path: "/rest/api/3/isue/ABC-1",
          suggestions: [
            ISSUE,
            "/rest/api/3/project/{projectIdOrKey}",
            "/rest/api/3/issue/createmeta",
            "/rest/api/3/serverInfo",
            "/rest/api/3/myself",
          ],
        },
      },
    },
    {
      name: "endpoint_not_found is checked before the method",
      path: "/rest/agile/1.0/bord",
      method: "GET",
      want: {
        ok: false,
        code: "endpoint_not_found",
        message:
          "No Atlassian Cloud endpoint in the catalog matches /rest/agile/1.0/bord. Check the path against the suggestions, or the product's REST docs.",
        details: {
          path: "/rest/agile/1.0/bord",
          // The typo's template first; after it, templates sharing the literal prefix or length, in a
          // stable order (a parameter aligns with a segment at a small cost).
          suggestions: [
            BOARD,
            "/rest/api/3/serverInfo",
            "/rest/agile/1.0/board/{boardId}/configuration",
            "/rest/api/3/myself",
            "/2.0/repositories/{workspace}/{repo_slug}/pullrequests",
          ],
        },
      },
    },
    {
      name: "method_not_found lists the template's methods",
      path: "/rest/agile/1.0/board",
      method: "patch",
      want: {
        ok: false,
        code: "method_not_found",
        message: `${BOARD} exists, but not with PATCH; it takes GET, POST.`,
        details: { path: BOARD, methods: ["GET", "POST"] },
      },
    },
    {
      name: "method_not_found names the template, not the path as given",
      path: "/pages/42",
      method: "DELETE",
      want: {
        ok: false,
        code: "method_not_found",
        message: `${PAGE_V2} exists, but not with DELETE; it takes GET, PUT.`,
        details: { path: PAGE_V2, methods: ["GET", "PUT"] },
      },
    },
  ];

  it.each(cases)("$name", ({ path, method, want }) => {
    expect(lookupEndpoints(index, path, method)).toEqual(want);
  });

  it("endpoint_not_found quotes a long path by its ends; details keep it whole", () => {
    const path = `/${"bb/".repeat(1000)}x0`;
    const found = lookupEndpoints(index, path);
    if (found.ok) throw new Error("matched");
    expect(found.message).toMatch(
      /^No Atlassian Cloud endpoint in the catalog matches \/bb\/bb\/.*….*\/x0 \(3003 characters\)\. /,
    );
    expect(found.message.length).toBeLessThan(400);
    expect(found.details?.path).toBe(path);
  });

  it("endpoint_not_found never offers more than five suggestions", () => {
    const found = lookupEndpoints(index, "/x");
    expect(found.ok ? -1 : (found.details?.suggestions as string[] | undefined)?.length).toBe(5);
  });
});

/** The sample catalog with one more Jira endpoint. */
function withJira(extra: Endpoint): CatalogIndex {
  const data = sampleData();
  const jira = data.products.jira!;
  return CatalogIndex.build({
    ...data,
    products: { ...data.products, jira: { ...jira, endpoints: [...jira.endpoints, extra] } },
  });
}

describe("lookupEndpoints: HEAD is checked as GET where Atlassian documents only GET", () => {
  it("answers the GET endpoint with a head_as_get note saying the rule is inferred, not Atlassian's", () => {
    const found = lookupEndpoints(index, "/rest/api/3/issue/ABC-1", "head");
    if (!found.ok) throw new Error(found.message);
    expect(keys(found.endpoints)).toEqual([`GET ${ISSUE}`]);
    expect(found.urlNotes.map((note) => note.code)).toEqual(["head_as_get"]);
    expect(found.urlNotes[0]!.message).toContain("RFC 9110 §9.3.2");
    expect(found.urlNotes[0]!.message).toContain("not stated by Atlassian");
  });

  it("keeps the URL's own notes after it (a site URL: scoped tokens call the gateway)", () => {
    const found = lookupEndpoints(index, "https://acme.atlassian.net/rest/api/3/myself", "HEAD");
    if (!found.ok) throw new Error(found.message);
    expect(found.urlNotes.map((note) => note.code)).toEqual(["head_as_get", "scoped_token_gateway"]);
  });

  it("a path without GET is still method_not_found, naming its methods", () => {
    const found = lookupEndpoints(
      withJira(endpoint("jira", "POST", "/rest/api/3/issue/bulk", [alt(["write:jira-work"])])),
      "/rest/api/3/issue/bulk",
      "HEAD",
    );
    expect(found).toMatchObject({ ok: false, code: "method_not_found", details: { methods: ["POST"] } });
  });

  it("a HEAD the catalog lists itself is answered as listed, without the note", () => {
    const found = lookupEndpoints(
      withJira(endpoint("jira", "HEAD", "/rest/api/3/myself", [alt(["read:jira-user"])])),
      "/rest/api/3/myself",
      "HEAD",
    );
    if (!found.ok) throw new Error(found.message);
    expect(keys(found.endpoints)).toEqual(["HEAD /rest/api/3/myself"]);
    expect(found.urlNotes).toEqual([]);
  });
});

describe("lookupEndpoints: a path in the wrong case gets a path_case note", () => {
  const noteOf = (path: string) => {
    const found = lookupEndpoints(index, path);
    if (found.ok) throw new Error(`${path} matched`);
    const notes = (found.details?.urlNotes ?? []) as { code: string; message: string; url?: string }[];
    return { found, note: notes.find((note) => note.code === "path_case") };
  };

  it("upper case throughout: names the lower-case path, the values kept, and suggests its template first", () => {
    const { found, note } = noteOf("/REST/API/3/ISSUE/ABC-1");
    expect(found.code).toBe("endpoint_not_found");
    expect(note?.url).toBe("/rest/api/3/issue/ABC-1");
    expect(note?.message).toContain(`it is /rest/api/3/issue/ABC-1 (${ISSUE})`);
    expect(found.message).toContain("URL paths are case-sensitive");
    expect((found.details?.suggestions as string[] | undefined)?.[0]).toBe(ISSUE);
  });

  it("a camelCase template is found in any case (/rest/api/3/SERVERINFO)", () => {
    expect(noteOf("/rest/api/3/SERVERINFO").note?.url).toBe("/rest/api/3/serverInfo");
    expect(noteOf("/Rest/Api/3/MySelf").note?.url).toBe("/rest/api/3/myself");
  });

  it("a site URL: the path named, no url (the note's url would be a bare path)", () => {
    const { note } = noteOf("https://acme.atlassian.net/REST/API/3/myself");
    expect(note?.message).toContain("it is /rest/api/3/myself");
    expect(note?.url).toBeUndefined();
  });

  it("no template in any case: a note only when the path starts in upper case", () => {
    expect(noteOf("/REST/FOO/BAR").note?.message).toMatch(
      /^URL paths are case-sensitive, and Atlassian's REST paths start in lower case/,
    );
    // An id in upper case is normal: no note for a lower-case path that matches nothing.
    expect(noteOf("/rest/api/3/nothing/ABC").note).toBeUndefined();
    expect(noteOf("/rest/api/3/nothing").note).toBeUndefined();
  });

  it("a camelCase fixed segment beside a sibling's parameter names the fixed one, and the method picks the template", () => {
    const filters = (() => {
      const data = sampleData();
      const jira = data.products.jira!;
      return CatalogIndex.build({
        ...data,
        products: {
          ...data.products,
          jira: {
            ...jira,
            endpoints: [
              ...jira.endpoints,
              endpoint("jira", "GET", "/rest/api/3/filter/{id}", [alt(["read:jira-work"])]),
              endpoint("jira", "GET", "/rest/api/3/filter/defaultShareScope", [alt(["read:jira-work"])]),
              endpoint("jira", "GET", "/rest/api/3/field/{fieldId}", [alt(["read:jira-work"])]),
              endpoint("jira", "DELETE", "/rest/api/3/field/{id}", [alt(["manage:jira-configuration"])]),
            ],
          },
        },
      });
    })();
    const noteFor = (path: string, method?: string) => {
      const found = lookupEndpoints(filters, path, method);
      if (found.ok) throw new Error(`${path} matched`);
      return ((found.details?.urlNotes ?? []) as { code: string; url?: string; message: string }[]).find(
        (note) => note.code === "path_case",
      );
    };
    // Lower-cased, `defaultsharescope` matches `{id}`: the template whose fixed segments fit wins.
    expect(noteFor("/Rest/api/3/filter/defaultShareScope")?.url).toBe("/rest/api/3/filter/defaultShareScope");
    expect(noteFor("/REST/API/3/FILTER/DEFAULTSHARESCOPE")?.url).toBe("/rest/api/3/filter/defaultShareScope");
    expect(noteFor("/REST/API/3/FILTER/10001")?.url).toBe("/rest/api/3/filter/10001");
    expect(noteFor("/REST/API/3/FIELD/customfield_1", "DELETE")?.message).toContain("(/rest/api/3/field/{id})");
    expect(noteFor("/REST/API/3/FIELD/customfield_1", "GET")?.message).toContain("(/rest/api/3/field/{fieldId})");
  });

  it("a path mistyped elsewhere, with an issue key in upper case, does not read every template", () => {
    const catalog = CatalogIndex.build(sampleData());
    const templatePaths = vi.spyOn(catalog, "templatePaths");
    const found = lookupEndpoints(catalog, "/rest/api/3/isue/ABC-1");
    expect(found.ok).toBe(false);
    expect(JSON.stringify(found.ok ? {} : (found.details ?? {}))).not.toContain("path_case");
    // Only the case search reads the whole list of templates (suggestions walk the tries).
    expect(templatePaths).not.toHaveBeenCalled();
    // A path whose only mistake is its case still gets the search, and its note.
    const cased = lookupEndpoints(catalog, "/REST/API/3/ISSUE/ABC-1");
    expect(JSON.stringify(cased.ok ? {} : (cased.details ?? {}))).toContain("path_case");
    expect(templatePaths).toHaveBeenCalledTimes(1);
  });

  it("asked for within the request's suggestion budget only: a miss looked up without suggestions gets no note", () => {
    // resolveRequests ranks suggestions for 10 misses a request; the case search is as costly, so it is bounded alike.
    const found = lookupEndpoints(index, "/REST/API/3/ISSUE/ABC-1", undefined, { suggest: false });
    expect(found.ok).toBe(false);
    if (found.ok) return;
    expect(JSON.stringify(found.details ?? {})).not.toContain("path_case");
    expect(found.message).not.toContain("case-sensitive");
  });
});
