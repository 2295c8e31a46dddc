/**
 * The page's state as a link (src/page/page-state.ts), shared by GET / and the page's script: links
 * that fit, links too long for a server, and credentials in a form or a link, found exactly as the
 * API's guard finds them. Secrets are fake and assembled at run time so that no scanner mistakes this
 * file for a leak.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { findSecretInRequest } from "../../src/middleware/secret-scan";
import {
  credentialInLink,
  credentialInLinkMessage,
  credentialInValues,
  credentialNotSentMessage,
  linkQuery,
  MAX_LINK_CHARS,
  stateQuery,
} from "../../src/page/page-state";

const ALNUM = "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8S9t0";
const TOKEN = `ATA${"TT3xFfGF0"}${ALNUM}`;
const PASSWORD = `hunter${"2"}xyz`;
const enc = encodeURIComponent;
const BOARD = "GET https://api.atlassian.com/ex/jira/{cloudId}/rest/agile/1.0/board";

describe("stateQuery: a tool's values as the page's link", () => {
  const cases = [
    {
      // `/`, `:` and spaces stay readable: these links get pasted into chat threads.
      given: { tool: "lookup", values: { path: " /rest/agile/1.0/board ", method: "GET", credential: "" } },
      want: "?tool=lookup&path=/rest/agile/1.0/board&method=GET",
    },
    {
      given: { tool: "plan", values: { endpoints: `${BOARD}\nPOST /rest/api/3/issue`, maxScopes: "20" } },
      want: `?tool=plan&endpoints=GET+https://api.atlassian.com/ex/jira/%7BcloudId%7D/rest/agile/1.0/board%0APOST+/rest/api/3/issue&maxScopes=20`,
    },
  ] as const;
  it.each(cases)("$want", ({ given, want }) => {
    expect(stateQuery(given.tool, given.values)).toBe(want);
  });
});

describe("linkQuery: never a link over MAX_LINK_CHARS", () => {
  // The tester's case: 600 endpoints made a 65,930-character URL, which reloading answered 431.
  const lines = Array.from({ length: 600 }, (_, index) => `${BOARD}/${index}`).join("\n");

  it("a state that fits is the link itself", () => {
    const values = { endpoints: BOARD, prefer: "granular" };
    expect(linkQuery("plan", values, 200)).toEqual({ query: stateQuery("plan", values), omitted: [] });
  });

  it("past the room, the longest field is left out and named; the short ones stay", () => {
    const values = { endpoints: lines, prefer: "granular", maxScopes: "20", credential: "oauth2-3lo" };
    expect(stateQuery("plan", values).length).toBeGreaterThan(40_000);
    expect(linkQuery("plan", values, 7_900)).toEqual({
      query: "?tool=plan&prefer=granular&maxScopes=20&credential=oauth2-3lo&omitted=endpoints",
      omitted: ["endpoints"],
    });
  });

  it("two long fields: the longer goes first, the other only if the link still does not fit", () => {
    const scopes = "read:jira-work ".repeat(300);
    expect(linkQuery("diff", { scopes, endpoints: lines }, 7_900).omitted).toEqual(["endpoints"]);
    expect(linkQuery("diff", { scopes, endpoints: lines }, 1_000)).toEqual({
      query: "?tool=diff&omitted=endpoints,scopes",
      omitted: ["endpoints", "scopes"],
    });
  });

  it("whatever the values, the link fits in the room (the room left for a few short fields)", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 3000 }), fc.string({ maxLength: 3000 }), (scopes, endpoints) => {
        const { query } = linkQuery("diff", { scopes, endpoints, credential: "forge" }, 500);
        expect(query.length).toBeLessThanOrEqual(500);
      }),
      { numRuns: 200 },
    );
    expect(MAX_LINK_CHARS).toBe(8000);
  });
});

describe("credentialInValues: the form, field by field, then as the link it would make", () => {
  const cases: { name: string; tool: "lookup" | "diff" | "plan"; values: Record<string, string>; want: unknown }[] = [
    {
      name: "a password in the lookup's URL",
      tool: "lookup",
      values: { path: `https://bob:${PASSWORD}@acme.atlassian.net/rest/api/3/myself` },
      want: { kind: "a password in a URL (user:password@)", field: "path" },
    },
    {
      name: "a pasted curl with -u",
      tool: "lookup",
      values: { path: `curl -u bob@acme.com:${TOKEN} https://acme.atlassian.net/rest/api/3/myself` },
      want: { kind: "an Atlassian API token", field: "path" },
    },
    {
      name: "a token among the plan's endpoints",
      tool: "plan",
      values: { endpoints: `${BOARD}\n-H 'Authorization: Bearer ${TOKEN}'` },
      want: { kind: "an Atlassian API token", field: "endpoints" },
    },
    {
      // Neither field holds one alone; the link they make does, so the guard would refuse it.
      name: "a URL's userinfo straddling two fields",
      tool: "diff",
      values: { scopes: "read:jira-work //", endpoints: `x:${PASSWORD}@acme.atlassian.net` },
      want: { kind: "a password in a URL (user:password@)" },
    },
    {
      name: "a user without a password",
      tool: "lookup",
      values: { path: "https://bob@acme.atlassian.net/x" },
      want: undefined,
    },
    {
      name: "a placeholder",
      tool: "lookup",
      values: { path: "curl -u bob:$TOKEN https://acme.atlassian.net/x" },
      want: undefined,
    },
    { name: "scope names", tool: "diff", values: { scopes: "read:jira-work write:jira-work" }, want: undefined },
  ];
  it.each(cases)("$name", ({ tool, values, want }) => {
    expect(credentialInValues(tool, values)).toEqual(want);
  });
});

describe("credentialInLink: a link loses exactly the parameters holding a credential", () => {
  const cases: { name: string; given: string; want: unknown }[] = [
    {
      name: "the tester's link: path dropped, the rest kept",
      given: `tool=lookup&path=https://bob:${PASSWORD}@acme.atlassian.net/rest/api/3/myself&method=GET`,
      want: { kind: "a password in a URL (user:password@)", dropped: ["path"], kept: "?tool=lookup&method=GET" },
    },
    {
      // The guard reads a query with `+` as a space and its escapes decoded: `Bearer+<token>`.
      name: "a Bearer token written with + for the space",
      given: `tool=plan&endpoints=GET+/x%0AAuthorization:+Bearer+${ALNUM}&prefer=granular`,
      want: { kind: "a Bearer authorization header", dropped: ["endpoints"], kept: "?tool=plan&prefer=granular" },
    },
    {
      name: "every parameter holding one",
      given: `path=${TOKEN}`,
      want: { kind: "an Atlassian API token", dropped: ["path"], kept: "" },
    },
    {
      name: "a secret straddling parameters: only the tool is kept",
      given: `tool=diff&scopes=a//&endpoints=x:${PASSWORD}@acme.atlassian.net&credential=forge`,
      want: {
        kind: "a password in a URL (user:password@)",
        dropped: ["scopes", "endpoints", "credential"],
        kept: "?tool=diff",
      },
    },
    {
      // `/??-u :x`: the query read from after the first `?`, as the guard reads it (its `?` is not a space before `-u`).
      name: "a query that starts with a question mark is read whole",
      given: "?-u :x",
      want: undefined,
    },
    { name: "a clean link", given: `tool=lookup&path=${enc("https://bob@acme.atlassian.net/x")}`, want: undefined },
  ];
  it.each(cases)("$name", ({ given, want }) => {
    expect(credentialInLink(given)).toEqual(want);
  });

  it("finds a credential exactly when the API's guard would refuse the query, and what it keeps holds none", () => {
    const piece = fc.oneof(
      fc.constantFrom(
        "tool=",
        "&",
        "=",
        "//",
        ":",
        "@",
        "+",
        "%",
        "%40",
        "%3A",
        "%2F",
        "-u ",
        "Bearer ",
        PASSWORD,
        TOKEN,
      ),
      fc.string({ maxLength: 6 }),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 14 }), (pieces) => {
        const query = pieces.join("");
        const found = credentialInLink(query);
        expect(found?.kind).toBe(findSecretInRequest({ query }));
        if (found) expect(findSecretInRequest({ query: found.kept.slice(1) })).toBeUndefined();
      }),
      { numRuns: 2000 },
    );
  });
});

describe("the messages: the API's credential_detected words, never the secret", () => {
  it("a link names the page's own parameters only, and says to revoke what travelled in it", () => {
    const message = credentialInLinkMessage("an Atlassian API token", ["path", TOKEN, "x"]);
    expect(message).toBe(
      "This link seems to contain an Atlassian API token, in `path` and 2 other parameters. Scope Catalog only needs scope names and URLs: the page left them out and asked nothing. " +
        "If the secret was real, consider it exposed (it is in the link, and wherever the link was shared) and revoke it. Nothing from this request was stored or logged.",
    );
    expect(message).not.toContain(TOKEN.slice(0, 8));
  });

  it("a form names the field by its label and says nothing was sent", () => {
    expect(credentialNotSentMessage("a password in a URL (user:password@)", "URL or path")).toBe(
      "“URL or path” seems to contain a password in a URL (user:password@). Scope Catalog only needs scope names and URLs: remove the credential and ask again. The page sent nothing, and kept it out of the address bar.",
    );
  });
});
