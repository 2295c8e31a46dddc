/** The API's error as text lines (`?format=text`), and the CLI reading them back from an instance. */
import { describe, expect, it } from "vitest";
import { errorText, parseErrorText } from "../../src/views/error-text";

describe("errorText", () => {
  const cases: { name: string; given: Parameters<typeof errorText>[0]; want: string }[] = [
    {
      name: "code, message, then a list of names joined",
      given: { code: "method_not_found", message: "Not with PATCH.", details: { methods: ["GET", "POST"] } },
      want: "error: method_not_found\n  Not with PATCH.\n  methods: GET, POST\n",
    },
    {
      // The first issue is the message already: said once.
      name: "validation issues one a line, less the one the message says",
      given: {
        code: "invalid_request",
        message: "path: is required",
        details: {
          issues: [
            { path: "path", message: "is required" },
            { path: "limit", message: "too big" },
          ],
        },
      },
      want: "error: invalid_request\n  path: is required\n  issue: limit: too big\n",
    },
    {
      name: "an empty list and a missing value are left out; an object of values is one line",
      given: {
        code: "endpoint_removed",
        message: "Removed.",
        details: {
          suggestions: [],
          removed: [{ method: "GET", path: "/a", removedAt: "2024-01-01", notes: ["x", "y"], gone: null }],
        },
      },
      want: "error: endpoint_removed\n  Removed.\n  removed: GET /a, removedAt 2024-01-01, notes x y\n",
    },
    {
      // The shape of endpoint_removed's details: each nested object under its parent's line, indented.
      name: "a nested object is a block: its endpoint on its name's line, its fields below it",
      given: {
        code: "endpoint_removed",
        message: "Removed.",
        details: {
          removed: [
            {
              product: "confluence",
              method: "GET",
              path: "/a",
              source: { kind: "curated", url: "https://example.com/rfc" },
              replacement: {
                method: "GET",
                path: "/b",
                summary: "Get b",
                alternatives: [
                  { kind: "granular", scopes: ["read:b:confluence"] },
                  { kind: "classic", scopes: ["read:confluence-content.all", "search:confluence"] },
                ],
              },
            },
            { method: "POST", path: "/c", removedAt: "2024-02-01" },
          ],
        },
      },
      want: [
        "error: endpoint_removed",
        "  Removed.",
        "  removed: GET /a",
        "    product: confluence",
        "    source: kind curated, url https://example.com/rfc",
        "    replacement: GET /b",
        "      summary: Get b",
        "      alternative: kind granular, scopes read:b:confluence",
        "      alternative: kind classic, scopes read:confluence-content.all search:confluence",
        "  removed: POST /c, removedAt 2024-02-01",
        "",
      ].join("\n"),
    },
    {
      // A miss's note is in its message already: the line names its code, the other note is written out.
      name: "a URL note the message holds is named by its code alone",
      given: {
        code: "endpoint_not_found",
        message: "No endpoint matches /REST/X. URL paths are case-sensitive.",
        details: {
          urlNotes: [
            { code: "path_case", message: "URL paths are case-sensitive." },
            { code: "host_typo", message: "Read as acme.atlassian.net." },
          ],
        },
      },
      want: "error: endpoint_not_found\n  No endpoint matches /REST/X. URL paths are case-sensitive.\n  urlNote: path_case (said above)\n  urlNote: host_typo: Read as acme.atlassian.net.\n",
    },
    {
      // An echoed value cannot forge a line of its own.
      name: "line breaks in values become spaces",
      given: { code: "endpoint_not_found", message: "No /x\nerror: forged", details: { path: "/x\r\nmethods: GET" } },
      want: "error: endpoint_not_found\n  No /x error: forged\n  path: /x methods: GET\n",
    },
  ];
  for (const { name, given, want } of cases) it(name, () => expect(errorText(given)).toBe(want));
});

describe("parseErrorText", () => {
  it("reads back the code, the message and the suggestions", () => {
    const text = errorText({
      code: "scope_not_found",
      message: "No scope x.",
      details: { scope: "x", suggestions: ["a", "b"] },
    });
    expect(parseErrorText(text)).toEqual({
      code: "scope_not_found",
      message: "No scope x.",
      details: { suggestions: ["a", "b"] },
    });
  });
  it("is undefined for text that is not an error (a proxy's page, an answer)", () => {
    expect(parseErrorText("<html>Bad gateway</html>")).toBeUndefined();
    expect(parseErrorText("GET /rest/api/3/myself\n  needs read:jira-user\n")).toBeUndefined();
  });
});
