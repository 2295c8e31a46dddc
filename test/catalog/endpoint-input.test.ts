/** The endpoints an integration calls, as users have them: lines of text, HAR files, then resolved against the catalog. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  shortLastWordAt,
  parseEndpointLine,
  parseEndpointText,
  parseHar,
  readAnyLine,
  readEndpoint,
  requestPathOf,
  resolveRequests,
} from "../../src/catalog/endpoint-input";
import { lookupEndpoints } from "../../src/catalog/lookup";
import { MAX_PATH_LENGTH as PATH_LIMIT, parseRequestPath } from "../../src/catalog/request-path";
import { BOARD, ISSUE, PULLREQUESTS, keys, sampleIndex } from "./catalog-fixture";

const HAR_ERROR =
  'the HAR has no `log.entries` list; export it from the browser\'s network panel with "Save all as HAR".';

const entry = (method: unknown, url: unknown) => ({
  startedDateTime: "2026-11-30T03:00:00.000Z",
  request: { method, url, headers: [] },
  response: { status: 200 },
});

describe("parseEndpointLine", () => {
  it("reads METHOD URL, keeping the method as typed", () => {
    expect(parseEndpointLine("GET https://api.atlassian.com/ex/jira/abc/rest/agile/1.0/board")).toEqual({
      method: "GET",
      path: "https://api.atlassian.com/ex/jira/abc/rest/agile/1.0/board",
    });
    expect(parseEndpointLine("post /rest/api/3/issue")).toEqual({ method: "post", path: "/rest/api/3/issue" });
    expect(parseEndpointLine("  DELETE\t/rest/api/3/issue/ABC-1  ")).toEqual({
      method: "DELETE",
      path: "/rest/api/3/issue/ABC-1",
    });
  });

  it("takes a bare URL or path as the path, without a method", () => {
    expect(parseEndpointLine("https://acme.atlassian.net/rest/api/3/issue/ABC-1")).toEqual({
      path: "https://acme.atlassian.net/rest/api/3/issue/ABC-1",
    });
    expect(parseEndpointLine("/rest/agile/1.0/board")).toEqual({ path: "/rest/agile/1.0/board" });
    // A path with a space stays whole: only a leading word of letters is a method.
    expect(parseEndpointLine("/rest/api/3/search?jql=project = ABC")).toEqual({
      path: "/rest/api/3/search?jql=project = ABC",
    });
  });

  it("joins what follows the method with single spaces", () => {
    expect(parseEndpointLine("GET /rest/api/3/search?jql=a   b")).toEqual({
      method: "GET",
      path: "/rest/api/3/search?jql=a b",
    });
  });

  const ISSUE_URL = "https://acme.atlassian.net/rest/api/3/issue/ABC-1";
  const MYSELF = "https://acme.atlassian.net/rest/api/3/myself";
  const forms: { name: string; given: string; want: ReturnType<typeof parseEndpointLine> }[] = [
    // Was {path: ".../ABC-1 DELETE"}: DELETE read into {issueIdOrKey}, and the call checked as GET.
    { name: "a method after the URL", given: `${ISSUE_URL} DELETE`, want: { method: "DELETE", path: ISSUE_URL } },
    {
      name: "a method after the URL, any case",
      given: `/rest/api/3/issue/ABC-1  put`,
      want: { method: "put", path: "/rest/api/3/issue/ABC-1" },
    },
    { name: "the same method before and after", given: `GET ${MYSELF} get`, want: { method: "GET", path: MYSELF } },
    {
      name: "two different methods: refused, the second kept in the path",
      given: `GET ${ISSUE_URL} DELETE`,
      want: {
        method: "GET",
        path: `${ISSUE_URL} DELETE`,
        refused: `GET and DELETE are both given as the method of ${ISSUE_URL}: give one (\`DELETE ${ISSUE_URL}\`).`,
      },
    },
    // A request line from logs or dev tools: was not found, "HTTP/1.1" read as a path segment.
    {
      name: "a request line with its HTTP version",
      given: `GET ${MYSELF} HTTP/1.1`,
      want: { method: "GET", path: MYSELF },
    },
    {
      name: "an HTTP/2 request line",
      given: `POST /rest/api/3/issue http/2`,
      want: { method: "POST", path: "/rest/api/3/issue" },
    },
    {
      name: "the line in double quotes",
      given: `"GET /rest/api/3/myself"`,
      want: { method: "GET", path: "/rest/api/3/myself" },
    },
    { name: "the line in single quotes", given: `'${MYSELF}'`, want: { path: MYSELF } },
    { name: "the URL in quotes", given: `DELETE '${ISSUE_URL}'`, want: { method: "DELETE", path: ISSUE_URL } },
    { name: "empty quotes stay as typed", given: `""`, want: { path: `""` } },
    // curl: was "`method` CURL is not an HTTP method".
    { name: "curl -X", given: `curl -X GET ${MYSELF}`, want: { method: "GET", path: MYSELF } },
    {
      name: "curl -XPUT, quoted URL first",
      given: `curl '${ISSUE_URL}' -XPUT -H 'Content-Type: application/json'`,
      want: { method: "PUT", path: ISSUE_URL },
    },
    {
      name: "curl --request and --url, as Atlassian's docs write it, continued over lines",
      given: `curl --request DELETE \\\n  --url '${ISSUE_URL}' \\\n  --header 'Accept: application/json'`,
      want: { method: "DELETE", path: ISSUE_URL },
    },
    {
      name: "curl without -X is GET",
      given: `curl -s -H "Accept: application/json" ${MYSELF}`,
      want: { method: "GET", path: MYSELF },
    },
    {
      name: "curl --data without -X is POST, as curl makes it",
      given: `curl -H "Content-Type: application/json" --data '{"fields": {}}' https://acme.atlassian.net/rest/api/3/issue`,
      want: { method: "POST", path: "https://acme.atlassian.net/rest/api/3/issue" },
    },
    { name: "curl -d attached is POST", given: `curl -d'{}' ${MYSELF}`, want: { method: "POST", path: MYSELF } },
    {
      name: "curl -G -d is a GET with a query",
      given: `curl -G -d jql=x ${MYSELF}`,
      want: { method: "GET", path: MYSELF },
    },
    { name: "curl -I is HEAD", given: `curl -I ${MYSELF}`, want: { method: "HEAD", path: MYSELF } },
    // Short options run together: the last may take the next word (was: `POST` read as the URL).
    { name: "curl -sX POST", given: `curl -sX POST ${ISSUE_URL}`, want: { method: "POST", path: ISSUE_URL } },
    { name: "curl -sI is HEAD", given: `curl -sI ${MYSELF}`, want: { method: "HEAD", path: MYSELF } },
    {
      name: "curl -sH takes the header as its value",
      given: `curl -sH 'Accept: application/json' ${MYSELF}`,
      want: { method: "GET", path: MYSELF },
    },
    { name: "curl -T is PUT", given: `curl -T file.bin ${ISSUE_URL}`, want: { method: "PUT", path: ISSUE_URL } },
    {
      name: "curl -X wins over --data",
      given: `curl -X PUT --data '{}' ${ISSUE_URL}`,
      want: { method: "PUT", path: ISSUE_URL },
    },
    {
      // Found in review: “Accept:” was one word and application/json” read as the URL.
      name: "curl with curly double quotes, as chat apps rewrite them",
      given: `curl -H \u201cAccept: application/json\u201d \u201c${MYSELF}\u201d`,
      want: { method: "GET", path: MYSELF },
    },
    {
      name: "curl with curly single quotes; an apostrophe inside a word stays one",
      given: `curl -X \u2018PUT\u2019 -H X-Note:don\u2019t \u2018${ISSUE_URL}\u2019`,
      want: { method: "PUT", path: ISSUE_URL },
    },
    {
      name: "curl with the same curly mark at both ends (some apps write ” for both)",
      given: `curl -X DELETE \u201d${ISSUE_URL}\u201d`,
      want: { method: "DELETE", path: ISSUE_URL },
    },
    {
      name: "a request line in curly quotes",
      given: `\u2018GET ${MYSELF}\u2019`,
      want: { method: "GET", path: MYSELF },
    },
    {
      name: "curl without a URL: refused",
      given: "curl -X GET -H 'Accept: application/json'",
      want: {
        path: "curl -X GET -H 'Accept: application/json'",
        refused: "The curl command names no URL: give the URL it calls (`curl -X GET https://...`).",
      },
    },
  ];

  it.each(forms)("reads $name", ({ given, want }) => {
    expect(parseEndpointLine(given)).toEqual(want);
  });

  it("skips blank lines and # comments", () => {
    expect(parseEndpointLine("")).toBeUndefined();
    expect(parseEndpointLine("   \t ")).toBeUndefined();
    expect(parseEndpointLine("# the boards")).toBeUndefined();
    expect(parseEndpointLine("   # indented comment")).toBeUndefined();
  });
});

describe("readEndpoint: a request whose path holds a whole request line", () => {
  it.each([
    { given: { path: "/rest/api/3/issue/ABC-1 PUT" }, want: { method: "PUT", path: "/rest/api/3/issue/ABC-1" } },
    {
      given: { method: "put", path: "/rest/api/3/issue/ABC-1 PUT" },
      want: { method: "put", path: "/rest/api/3/issue/ABC-1" },
    },
    { given: { method: "GET", path: "GET /rest/api/3/myself" }, want: { method: "GET", path: "/rest/api/3/myself" } },
    { given: { path: '"/rest/api/3/myself"' }, want: { path: "/rest/api/3/myself" } },
    { given: { method: "GET", path: "/rest/api/3/myself" }, want: { method: "GET", path: "/rest/api/3/myself" } },
    // Not a method: the lookup names the word (invalid_method) or the path (invalid_path).
    {
      given: { method: "GET", path: "Fetch /rest/api/3/myself" },
      want: { method: "GET", path: "Fetch /rest/api/3/myself" },
    },
    // A curl naming no URL keeps its refusal (GET /scopes?path=curl…, a Slack lookup): was returned
    // unread, then refused as a path holding a space.
    {
      given: { path: "curl -X DELETE -H 'Accept: application/json'" },
      want: {
        path: "curl -X DELETE -H 'Accept: application/json'",
        refused: "The curl command names no URL: give the URL it calls (`curl -X GET https://...`).",
      },
    },
  ])("$given.method $given.path", ({ given, want }) => {
    expect(readEndpoint(given)).toEqual(want);
  });

  it("refuses a method in the path that differs from the one given", () => {
    expect(readEndpoint({ method: "GET", path: "/rest/api/3/issue/ABC-1 DELETE" }).refused).toBe(
      "GET and DELETE are both given as the method of /rest/api/3/issue/ABC-1: give one (`DELETE /rest/api/3/issue/ABC-1`).",
    );
    expect(readEndpoint({ method: "POST", path: "GET /x" }).refused).toContain("POST and GET are both given");
  });
});

describe("parseEndpointLine: the work is bounded by the line, whatever it holds", () => {
  it("a line over a path's length with its method is left unread, for the lookup's path_too_long", () => {
    // Was one recursion per leading method: a stack overflow (500) at ~16,000, seconds before it.
    const methods = `${"GET ".repeat(12_000)}/rest/api/3/myself`;
    expect(parseEndpointLine(methods)).toEqual({ path: methods });
    const blanks = `/a${" ".repeat(60_000)}b`;
    expect(parseEndpointLine(blanks)).toEqual({ path: blanks });
  });
  it("within the length, repeated leading methods are peeled twice at most; the rest stays in the path", () => {
    expect(parseEndpointLine("GET GET /rest/api/3/myself")).toEqual({ method: "GET", path: "/rest/api/3/myself" });
    expect(parseEndpointLine("GET GET GET GET /rest/api/3/myself")).toEqual({
      method: "GET",
      path: "GET /rest/api/3/myself",
    });
  });
});

describe("shortLastWordAt: where a line's last word starts, when it is short", () => {
  // The walk back over the whole text it replaced: the last blank before the final character.
  const walkedBack = (text: string) => {
    const blank = (code: number) => code === 32 || (code >= 9 && code <= 13) || code === 160;
    for (let at = text.length - 1; at > 0; at--) if (blank(text.charCodeAt(at - 1))) return at;
    return -1;
  };

  it("after the last blank but a final one; -1 for one word or a longer last word", () => {
    expect(shortLastWordAt("GET /rest/api/3/myself HTTP/1.1", 8)).toBe(23);
    expect(shortLastWordAt("/rest/api/3/myself DELETE", 7)).toBe(19);
    expect(shortLastWordAt("GET /rest/api/3/myself", 7)).toBe(-1);
    expect(shortLastWordAt("/rest/api/3/myself", 8)).toBe(-1);
    expect(shortLastWordAt("a\u00a0b", 8)).toBe(2);
    expect(shortLastWordAt("ab ", 8)).toBe(-1);
    expect(shortLastWordAt(" a", 8)).toBe(1);
    expect(shortLastWordAt(" ", 8)).toBe(-1);
    expect(shortLastWordAt("", 8)).toBe(-1);
  });

  it("the walk back's answer when its word is that short, else -1, on any text of blanks and others", () => {
    const char = fc.constantFrom(" ", "\t", "\n", "\v", "\f", "\r", "\u00a0", "\u2003", "a", "/", "G");
    fc.assert(
      fc.property(fc.array(char, { maxLength: 16 }), fc.integer({ min: 1, max: 9 }), (chars, longest) => {
        const text = chars.join("");
        const walked = walkedBack(text);
        expect(shortLastWordAt(text, longest)).toBe(walked > 0 && text.length - walked <= longest ? walked : -1);
      }),
      { numRuns: 5000 },
    );
  });
});

describe("parseEndpointLine: a plain `METHOD URL` line read by one regex, near its edges", () => {
  it("as every line's passes read it, on lines near that shape", () => {
    const method = fc.constantFrom("GET", "get", "Post", "Fetch", "X", "", "GET GET", "HTTP/1.1", "curl");
    const separator = fc.constantFrom(" ", "  ", "\t", "\u00a0", "\u2003", "");
    const url = fc.constantFrom(
      "/rest/api/3/issue/ABC-1",
      "https://acme.atlassian.net/wiki/api/v2/pages/1?x=1#y",
      "HTTPS://api.bitbucket.org/2.0/user",
      "http://x/y",
      "'/rest/api/3/myself'",
      '"/x"',
      "\u201c/x\u201d",
      "/x\u00a0y",
      "/x\u2003",
      "#/x",
      "rest/api/3/myself",
      "/",
    );
    const tail = fc.constantFrom("", " HTTP/1.1", " DELETE", " get", "  ", "\t", " x", "'", "\n");
    fc.assert(
      fc.property(method, separator, url, tail, (m, gap, u, end) => {
        const line = `${m}${gap}${u}${end}`;
        expect(parseEndpointLine(line)).toStrictEqual(readAnyLine(line));
      }),
      { numRuns: 4000 },
    );
  });

  it("the shortcut takes the common shapes, with the method as typed", () => {
    expect(parseEndpointLine("get /rest/api/3/myself")).toEqual({ method: "get", path: "/rest/api/3/myself" });
    expect(parseEndpointLine("GET https://acme.atlassian.net/rest/api/3/myself")).toEqual({
      method: "GET",
      path: "https://acme.atlassian.net/rest/api/3/myself",
    });
  });
});

describe("parseEndpointText", () => {
  it("one request per line, with CRLF, blank lines and comments", () => {
    const text =
      "# my integration\r\nGET /rest/agile/1.0/board\r\n\r\n  POST   /rest/api/3/issue  \r\nhttps://api.bitbucket.org/2.0/repositories/ws/repo/pullrequests\n# done\n";
    expect(parseEndpointText(text)).toEqual([
      { method: "GET", path: "/rest/agile/1.0/board" },
      { method: "POST", path: "/rest/api/3/issue" },
      { path: "https://api.bitbucket.org/2.0/repositories/ws/repo/pullrequests" },
    ]);
  });

  it("nothing for empty or comment-only text", () => {
    expect(parseEndpointText("")).toEqual([]);
    expect(parseEndpointText("\n\r\n# nothing\n  \n")).toEqual([]);
  });
});

describe("parseHar", () => {
  const entries = [
    entry("GET", "https://acme.atlassian.net/rest/api/3/issue/ABC-1?fields=summary"),
    entry("GET", "https://cdn.example.com/app.js"),
    entry("POST", "https://api.atlassian.com/ex/jira/abc/rest/api/3/issue"),
    entry("GET", "https://www.google-analytics.com/collect?v=1"),
    entry("GET", "https://api.bitbucket.org/2.0/repositories/ws/repo/pullrequests"),
    entry("GET", "https://ACME.Atlassian.NET/rest/agile/1.0/board"),
  ];
  const requests = [
    { method: "GET", path: "https://acme.atlassian.net/rest/api/3/issue/ABC-1?fields=summary" },
    { method: "POST", path: "https://api.atlassian.com/ex/jira/abc/rest/api/3/issue" },
    { method: "GET", path: "https://api.bitbucket.org/2.0/repositories/ws/repo/pullrequests" },
    { method: "GET", path: "https://ACME.Atlassian.NET/rest/agile/1.0/board" },
  ];

  it("a full HAR: the Atlassian API calls in order, other hosts counted as ignored", () => {
    expect(parseHar({ log: { version: "1.2", creator: { name: "Firefox" }, entries } })).toEqual({
      requests,
      ignored: 2,
    });
  });

  it("a browser's CORS preflights (OPTIONS) are ignored, not planned as calls", () => {
    const withPreflight = [entry("OPTIONS", "https://api.atlassian.com/ex/jira/abc/rest/api/3/issue"), ...entries];
    expect(parseHar(withPreflight)).toEqual({ requests, ignored: 3 });
    expect(parseHar([entry("options", "https://acme.atlassian.net/rest/api/3/myself")])).toEqual({
      requests: [],
      ignored: 1,
    });
  });

  it("the same from the `log` object or the bare entries list", () => {
    expect(parseHar({ version: "1.2", entries })).toEqual({ requests, ignored: 2 });
    expect(parseHar(entries)).toEqual({ requests, ignored: 2 });
  });

  it("keeps one request per distinct call (a page repeats calls) and an empty list is no error", () => {
    const repeated = [
      entry("GET", "https://acme.atlassian.net/rest/api/3/myself"),
      entry("GET", "https://acme.atlassian.net/rest/api/3/myself?expand=groups"),
      entry("PUT", "https://acme.atlassian.net/rest/api/3/myself"),
    ];
    expect(parseHar({ log: { entries: repeated } })).toEqual({
      requests: [
        { method: "GET", path: "https://acme.atlassian.net/rest/api/3/myself" },
        { method: "PUT", path: "https://acme.atlassian.net/rest/api/3/myself" },
      ],
      ignored: 0,
    });
    expect(parseHar({ log: { entries: [] } })).toEqual({ requests: [], ignored: 0 });
  });

  it("ignores look-alike hosts, relative URLs and entries without a usable request", () => {
    const odd = [
      entry("GET", "https://evilatlassian.net/rest/api/3/myself"),
      entry("GET", "https://atlassian.net.example.com/rest/api/3/myself"),
      entry("GET", "/rest/api/3/myself"),
      entry("GET", "not a url"),
      entry(undefined, "https://acme.atlassian.net/rest/api/3/myself"),
      entry("GET", 42),
      { response: { status: 200 } },
      null,
      "GET https://acme.atlassian.net/rest/api/3/myself",
      entry("GET", "https://bitbucket.org/ws/repo"),
      entry("PUT", "https://acme.atlassian.net/wiki/api/v2/pages/1"),
    ];
    expect(parseHar({ log: { entries: odd } })).toEqual({
      requests: [{ method: "PUT", path: "https://acme.atlassian.net/wiki/api/v2/pages/1" }],
      ignored: 10,
    });
  });

  it("refuses anything without an entries list", () => {
    for (const malformed of [
      null,
      undefined,
      42,
      "HAR",
      {},
      { log: {} },
      { log: { entries: "x" } },
      { log: null },
      { entries: { length: 1 } },
    ]) {
      expect(parseHar(malformed), JSON.stringify(malformed)).toEqual({ error: HAR_ERROR });
    }
  });
});

describe("resolveRequests", () => {
  const index = sampleIndex();

  it("one target per request, in order, with the method normalized; no method means GET, said in assumedMethod", () => {
    const targets = resolveRequests(index, [
      { method: " get ", path: "https://acme.atlassian.net/rest/api/3/issue/ABC-1" },
      { path: "/rest/agile/1.0/board" },
      { method: "", path: "https://api.bitbucket.org/2.0/repositories/ws/repo/pullrequests" },
    ]);
    expect(targets.map((target) => target.input)).toEqual([
      { method: "GET", path: "https://acme.atlassian.net/rest/api/3/issue/ABC-1" },
      { method: null, path: "/rest/agile/1.0/board" },
      { method: null, path: "https://api.bitbucket.org/2.0/repositories/ws/repo/pullrequests" },
    ]);
    // A bare URL is the call it makes: every method of the template would add write scopes (issue 12).
    expect(targets.map((target) => keys(target.endpoints ?? []))).toEqual([
      [`GET ${ISSUE}`],
      [`GET ${BOARD}`],
      [`GET ${PULLREQUESTS}`],
    ]);
    expect(targets.map((target) => target.assumedMethod)).toEqual([undefined, "GET", "GET"]);
    expect(targets.every((target) => target.error === undefined)).toBe(true);
  });

  it("a refused request (two methods) is an invalid_request target, not a lookup", () => {
    const request = parseEndpointLine("GET https://acme.atlassian.net/rest/api/3/issue/ABC-1 DELETE")!;
    const [target] = resolveRequests(index, [request]);
    expect(target).toEqual({
      input: { method: "GET", path: "https://acme.atlassian.net/rest/api/3/issue/ABC-1 DELETE" },
      error: { code: "invalid_request", message: request.refused },
    });
  });

  it("the same call twice gives two targets (callers dedupe by endpoint)", () => {
    const targets = resolveRequests(index, [
      { method: "GET", path: "/rest/api/3/issue/ABC-1" },
      { method: "GET", path: "/rest/api/3/issue/XYZ-2" },
    ]);
    expect(targets).toHaveLength(2);
    expect(targets.map((target) => keys(target.endpoints!))).toEqual([[`GET ${ISSUE}`], [`GET ${ISSUE}`]]);
  });

  it("reports failures with the lookup's code, message and details, without failing the rest", () => {
    const targets = resolveRequests(index, [
      { method: "GET", path: "/rest/agile/1.0/boards" },
      { method: "PATCH", path: "/rest/agile/1.0/board" },
      { method: "FETCH", path: "/rest/agile/1.0/board" },
      { path: "ftp://acme.atlassian.net/x" },
      { method: "GET", path: "/rest/api/3/myself" },
    ]);
    expect(targets.map((target) => target.error?.code ?? "ok")).toEqual([
      "endpoint_not_found",
      "method_not_found",
      "invalid_method",
      "invalid_path",
      "ok",
    ]);
    expect(targets[0]!.error!.message).toBe(
      "No Atlassian Cloud endpoint in the catalog matches /rest/agile/1.0/boards. Check the path against the suggestions, or the product's REST docs.",
    );
    expect((targets[0]!.error!.details as { suggestions: string[] }).suggestions[0]).toBe(BOARD);
    expect(targets[1]!.error).toEqual({
      code: "method_not_found",
      message: "/rest/agile/1.0/board exists, but not with PATCH; it takes GET, POST.",
      details: { path: BOARD, methods: ["GET", "POST"] },
    });
    expect(targets[2]!.input).toEqual({ method: "FETCH", path: "/rest/agile/1.0/board" });
    expect(targets[3]!.error!.message).toBe("`path` uses the ftp: scheme; give an https URL or a path.");
    expect(targets[4]!.endpoints!.map((item) => item.path)).toEqual(["/rest/api/3/myself"]);
    for (const target of targets.slice(0, 4)) expect(target.endpoints).toBeUndefined();
  });

  it("HAR output and text lines resolve alike", () => {
    const fromText = resolveRequests(
      index,
      parseEndpointText("GET https://acme.atlassian.net/rest/agile/1.0/board\nPOST /rest/agile/1.0/board"),
    );
    const har = parseHar({
      log: {
        entries: [
          entry("GET", "https://acme.atlassian.net/rest/agile/1.0/board"),
          entry("POST", "https://acme.atlassian.net/rest/agile/1.0/board"),
        ],
      },
    });
    if ("error" in har) throw new Error(har.error);
    const fromHar = resolveRequests(index, har.requests);
    expect(fromHar.map((target) => keys(target.endpoints!))).toEqual(fromText.map((target) => keys(target.endpoints!)));
    expect(fromHar.map((target) => keys(target.endpoints!))).toEqual([[`GET ${BOARD}`], [`POST ${BOARD}`]]);
  });
});

describe("parseEndpointLine, parseEndpointText: property over pasted text", () => {
  const FRAGMENTS = [
    "GET",
    "post",
    " ",
    "  ",
    "\t",
    "\n",
    "\r\n",
    "#",
    "/rest/api/3/myself",
    "https://x.atlassian.net/",
    "é",
    "a b",
    "1",
  ];
  const text = fc.oneof(
    fc.array(fc.constantFrom(...FRAGMENTS), { maxLength: 30 }).map((parts) => parts.join("")),
    fc.string({ maxLength: 80 }),
  );

  it("never throws; one request per non-blank, non-comment line, trimmed, its method letters only", () => {
    fc.assert(
      fc.property(text, (given) => {
        const lines = given.split(/\r?\n/);
        const requests = parseEndpointText(given);
        expect(requests).toHaveLength(
          lines.filter((line) => line.trim() !== "" && !line.trim().startsWith("#")).length,
        );
        for (const request of requests) {
          expect(request.path).toBe(request.path.trim());
          expect(request.path).not.toBe("");
          if (request.method !== undefined) {
            expect(request.method).toMatch(/^[a-z]+$/i);
            expect(request.path).not.toMatch(/\s\s/);
          }
        }
      }),
      { seed: 20260605, numRuns: 3000 },
    );
  });
});

describe("parseEndpointLine: a plain `METHOD URL` line is read as the general walk reads it", () => {
  // Pieces of lines that a shortcut for `METHOD URL` could read differently from readAnyLine.
  const PIECES = [
    "GET",
    "get",
    "curl",
    "CURL",
    "DELETE",
    " ",
    "  ",
    "\t",
    "\u00a0",
    "\u2003",
    "\ufeff",
    "/rest/api/3/myself",
    "https://acme.atlassian.net/rest/api/3/issue/ABC-1",
    "HTTP/1.1",
    "http/2",
    '"',
    "'",
    "`",
    "\u201c",
    "\u201d",
    "#",
    "é",
    "-X",
    "?a=1&b=2",
    "1",
  ];
  const line = fc.oneof(
    fc.array(fc.constantFrom(...PIECES), { maxLength: 8 }).map((parts) => parts.join("")),
    fc
      .tuple(fc.constantFrom(...PIECES), fc.constantFrom(" ", "  ", "\t"), fc.constantFrom(...PIECES))
      .map((parts) => parts.join("")),
    fc.string({ maxLength: 40 }),
  );

  it("the same request (or none) for every line", () => {
    fc.assert(
      fc.property(line, (given) => {
        expect(parseEndpointLine(given)).toStrictEqual(readAnyLine(given));
      }),
      { seed: 20261207, numRuns: 20000 },
    );
  });

  it("at and past the longest line read", () => {
    for (const length of [PATH_LIMIT + 63, PATH_LIMIT + 64, PATH_LIMIT + 65]) {
      const given = `GET /${"a".repeat(length - 5)}`;
      expect(given).toHaveLength(length);
      expect(parseEndpointLine(given)).toStrictEqual(readAnyLine(given));
    }
  });

  it("reads the common lines to their method and URL, and leaves the rest to the walk", () => {
    expect(parseEndpointLine("GET /rest/api/3/myself")).toStrictEqual({ method: "GET", path: "/rest/api/3/myself" });
    expect(parseEndpointLine("curl /x")).toStrictEqual(readAnyLine("curl /x"));
    expect(parseEndpointLine("GET HTTP/1.1")).toStrictEqual({ path: "GET" });
    expect(parseEndpointLine("GET '/x'")).toStrictEqual({ method: "GET", path: "/x" });
  });
});

describe("requestPathOf: each request's path parsed once", () => {
  it("gives the same reading for the same request object, and an equal one for an equal copy", () => {
    const request = { method: "GET", path: "https://acme.atlassian.net/rest/api/3/issue/ABC-1?expand=names" };
    const first = requestPathOf(request);
    expect(requestPathOf(request)).toBe(first);
    expect(requestPathOf({ ...request })).not.toBe(first);
    expect(requestPathOf({ ...request })).toEqual(first);
    expect(first).toEqual(parseRequestPath(request.path));
  });

  it("a lookup of the reading answers as a lookup of the text", () => {
    const index = sampleIndex();
    for (const path of [
      "/rest/agile/1.0/board",
      "/rest/api/3/issue/ABC-1",
      "/rest/api/3/isue/ABC-1",
      "%zz",
      "/2.0/user",
    ]) {
      expect(lookupEndpoints(index, requestPathOf({ path }), "GET"), path).toEqual(lookupEndpoints(index, path, "GET"));
    }
  });
});
