import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { htmlToText, parseReferencePage, parseScopeTable, type ReferenceOperation } from "../../scraper/parse/html";

function fixture(name: string): string {
  return readFileSync(new URL(`../fixtures/html/${name}`, import.meta.url), "utf8");
}

/** An operation with the defaults a page without labels, Connect scope or "Show more" gives. */
function op(method: string, path: string, fields: Partial<ReferenceOperation>): ReferenceOperation {
  return { method, path, classic: [], granular: [], unlabeled: [], truncated: false, ...fields };
}

/** A minimal reference page: one operation's method line followed by `body`. */
function page(methodLine: string, body: string): string {
  return `<html><head><title>t</title></head><body><h2>Op</h2>${methodLine}${body}</body></html>`;
}

const GARBAGE = [
  "",
  "   ",
  "<<<",
  ">>>",
  "</div></p></table>",
  "<h5>Scopes",
  "GET",
  "\u0000\u0001",
  "<!--",
  "<![CDATA[x",
];

describe("htmlToText", () => {
  it.each([
    { name: "entities", given: "a &amp; b &lt;c&gt; it&#39;s&nbsp;here", want: "a & b \u2039c\u203A it's here" },
    // Decoding never makes markup: a tag spelled with entities reads as text, in look-alike angle quotes.
    {
      name: "an entity-encoded script is no tag",
      given: "&lt;script&gt;alert(1)&lt;/script&gt; &#60;img src=x onerror=alert(1)&#62;",
      want: "\u2039script\u203Aalert(1)\u2039/script\u203A \u2039img src=x onerror=alert(1)\u203A",
    },
    {
      name: "an encoded comment or doctype is no markup",
      given: "&lt;!-- x --&gt; &lt;?php",
      want: "\u2039!-- x --\u203A \u2039?php",
    },
    {
      name: "comparisons keep their signs",
      given: "a &lt; b &amp;&amp; c &gt; 5, x&lt;5",
      want: "a < b && c > 5, x<5",
    },
    { name: "controls a terminal would obey become spaces", given: "a&#x1b;[2Kb\u0085c", want: "a [2Kb c" },
    {
      name: "nested tags",
      given: "<div><p>Read <b>Jira <i>issue</i></b> data</p></div>",
      want: "Read Jira issue data",
    },
    { name: "inline tags add no space", given: "<b>bo<i>ld</i></b>er", want: "bolder" },
    { name: "<br> variants", given: "one<br>two<br/>three<BR />four", want: "one two three four" },
    {
      name: "block boundaries",
      given: "<p>first</p><p>second</p><ul><li>a</li><li>b</li></ul>",
      want: "first second a b",
    },
    {
      name: "markdown link",
      given: "See [Scopes](/cloud/jira/platform/scopes/) for details",
      want: "See Scopes for details",
    },
    { name: "markdown link with title", given: '[docs](https://x.test/a "Docs") here', want: "docs here" },
    {
      name: "backticks",
      given: "Requires `read:jira-work` or ``write:jira-work``",
      want: "Requires read:jira-work or write:jira-work",
    },
    {
      name: "markdown mixed with html",
      given: "Use <code>expand</code> &amp; see [auth](/cloud/auth) for `read:me`.\n\n<p>Done</p>",
      want: "Use expand & see auth for read:me. Done",
    },
    { name: "whitespace collapsed and trimmed", given: "  a \n\t b \u00a0 ", want: "a b" },
    { name: "script and style dropped", given: "<script>alert(1)</script><style>p{}</style>text", want: "text" },
    { name: "empty", given: "", want: "" },
    { name: "only tags", given: "<p><br></p>", want: "" },
    { name: "stray angle brackets", given: "<<<", want: "<<<" },
  ])("$name", ({ given, want }) => {
    expect(htmlToText(given)).toBe(want);
  });

  // Text with no tag, entity or NUL skips the HTML parser: it must read exactly as the parser would.
  it.each([
    { name: "plain text", given: "  Read   Jira\tissues.\n", want: "Read Jira issues." },
    {
      name: "CRLF and a lone CR inside a link",
      given: 'See [the\r\nscopes](/cloud/scopes "t")\rhere',
      want: "See the scopes here",
    },
    {
      name: "link, image and code span",
      given: "![logo](/a.png) `read:me` via [docs](/x)",
      want: "logo read:me via docs",
    },
    { name: "unclosed bracket", given: "[not a link (really)", want: "[not a link (really)" },
    { name: "non-breaking and line separators", given: "a\u00a0b\u2028c", want: "a b c" },
    { name: "a NUL still goes through the parser, which drops it", given: "a\u0000b", want: "ab" },
  ])("without markup: $name", ({ given, want }) => {
    expect(htmlToText(given)).toBe(want);
  });
});

describe("parseReferencePage on fixtures", () => {
  it("Jira v3: classic, granular, Connect scope, Data Security Policy ignored, Show more", () => {
    expect(parseReferencePage(fixture("jira-v3-issue-comments.html"))).toEqual([
      op("POST", "/rest/api/3/comment/list", {
        classic: ["read:jira-work"],
        granular: ["delete:comment.property:jira", "read:avatar:jira", "read:comment:jira"],
        connectScope: "READ",
        truncated: true,
      }),
      op("GET", "/rest/api/3/issue/{issueIdOrKey}/comment", {
        classic: ["read:jira-work"],
        granular: [
          "read:comment:jira",
          "read:comment.property:jira",
          "read:group:jira",
          "read:project:jira",
          "read:project-role:jira",
          "read:user:jira",
          "read:avatar:jira",
        ],
        connectScope: "READ",
      }),
      op("POST", "/rest/api/3/issue/{issueIdOrKey}/comment", {
        classic: ["write:jira-work"],
        granular: ["read:comment:jira", "read:comment.property:jira", "read:group:jira"],
        connectScope: "WRITE",
        truncated: true,
      }),
    ]);
  });

  it("Jira v3, other markup: plain-text scopes, list items, lower-case method, no-Scopes operation omitted", () => {
    expect(parseReferencePage(fixture("jira-v3-myself.html"))).toEqual([
      op("GET", "/rest/api/3/mypreferences/locale", {
        classic: ["manage:jira-configuration"],
        granular: ["read:user-configuration:jira"],
        connectScope: "ACT_AS_USER",
      }),
      op("GET", "/rest/api/3/myself", {
        classic: ["read:jira-user"],
        granular: ["read:application-role:jira", "read:group:jira", "read:user:jira", "read:avatar:jira"],
        connectScope: "READ",
      }),
    ]);
  });

  it("Confluence v2: scopes without a Classic/Granular label", () => {
    expect(parseReferencePage(fixture("confluence-v2-task.html"))).toEqual([
      op("GET", "/tasks", { unlabeled: ["read:task:confluence"], connectScope: "READ" }),
      op("GET", "/tasks/{id}", { unlabeled: ["read:task:confluence"], connectScope: "READ" }),
      op("PUT", "/tasks/{id}", { unlabeled: ["write:task:confluence"], connectScope: "WRITE" }),
    ]);
  });

  it("Jira Software: separate <code> elements joined by ', ', scopes in the description ignored", () => {
    expect(parseReferencePage(fixture("jira-software-board.html"))).toEqual([
      op("GET", "/rest/agile/1.0/board", {
        unlabeled: ["read:board-scope:jira-software", "read:project:jira"],
        connectScope: "READ",
      }),
      op("POST", "/rest/agile/1.0/board", { unlabeled: ["write:board-scope:jira-software"], connectScope: "WRITE" }),
      op("DELETE", "/rest/agile/1.0/board/{boardId}", {
        unlabeled: ["write:board-scope:jira-software"],
        connectScope: "DELETE",
      }),
    ]);
  });

  it("a page with no operations gives []", () => {
    expect(parseReferencePage(fixture("jira-platform-scopes.html"))).toEqual([]);
  });
});

describe("parseReferencePage edge cases", () => {
  it.each<{ name: string; given: string; want: ReferenceOperation[] }>([
    {
      name: "scope names de-duplicated, order kept",
      given: page(
        "<p>GET /rest/x</p>",
        "<h5>Scopes</h5><p><b>Granular</b>: <code>read:b:jira</code>, <code>read:a:jira</code>, <code>read:b:jira</code></p>",
      ),
      want: [op("GET", "/rest/x", { granular: ["read:b:jira", "read:a:jira"] })],
    },
    {
      name: "one <code> holding a comma-separated list",
      given: page("<p>GET /rest/x</p>", "<h5>Scopes</h5><p><code>read:a:jira, read:b:jira</code></p>"),
      want: [op("GET", "/rest/x", { unlabeled: ["read:a:jira", "read:b:jira"] })],
    },
    {
      name: "site navigation is skipped, even when it lists endpoints",
      given: page(
        "<p>GET /rest/x</p>",
        '<nav class="sidebar"><div>POST /rest/y</div></nav><h5>Scopes</h5><p><code>read:x:jira</code></p>',
      ),
      want: [op("GET", "/rest/x", { unlabeled: ["read:x:jira"] })],
    },
    {
      name: "lower-case method in separate elements",
      given: page(
        '<div><span class="method">delete</span><code>/rest/api/3/x/{id}</code><button>Copy</button></div>',
        "<h5>Scopes</h5><p><code>write:x:jira</code></p>",
      ),
      want: [op("DELETE", "/rest/api/3/x/{id}", { unlabeled: ["write:x:jira"] })],
    },
    {
      name: "rendered-text form with labels glued to values",
      given: page(
        "<p>GET /rest/api/3/auditing/record</p>",
        "<h5>Scopes</h5><p>OAuth 2.0 scopes required:</p><p>Classic RECOMMENDED:manage:jira-configuration</p>" +
          "<p>Granular :read:audit-log:jira, read:user:jira</p><p>Connect app scope requiredREAD</p>",
      ),
      want: [
        op("GET", "/rest/api/3/auditing/record", {
          classic: ["manage:jira-configuration"],
          granular: ["read:audit-log:jira", "read:user:jira"],
          connectScope: "READ",
        }),
      ],
    },
    {
      name: "a heading at the Scopes level ends the block",
      given: page(
        "<p>GET /rest/x</p>",
        "<h5>Scopes</h5><p><code>read:x:jira</code></p><h5>Query parameters</h5><p><code>expand</code></p>",
      ),
      want: [op("GET", "/rest/x", { unlabeled: ["read:x:jira"] })],
    },
    {
      name: "a lower-level heading inside the block does not end it",
      given: page("<p>GET /rest/x</p>", "<h4>Scopes</h4><h6>OAuth</h6><p><code>read:x:jira</code></p>"),
      want: [op("GET", "/rest/x", { unlabeled: ["read:x:jira"] })],
    },
    {
      name: "the next method line ends the block",
      given: page(
        "<p>GET /rest/x</p>",
        "<h5>Scopes</h5><p><code>read:x:jira</code></p><p>POST /rest/y</p><p><code>write:y:jira</code></p>",
      ),
      want: [op("GET", "/rest/x", { unlabeled: ["read:x:jira"] })],
    },
    {
      name: "Scopes heading before any method line is ignored",
      given: "<h2>Scopes</h2><p><code>read:jira-work</code></p><h2>Next</h2>",
      want: [],
    },
    {
      name: "code samples in <pre> are not method lines",
      given: page(
        "<p>GET /rest/x</p>",
        "<pre>GET /rest/other HTTP/1.1</pre><h5>Scopes</h5><p><code>read:x:jira</code></p>",
      ),
      want: [op("GET", "/rest/x", { unlabeled: ["read:x:jira"] })],
    },
    {
      name: "lower-case prose starting with a verb is not a method line",
      given: page(
        "<p>GET /rest/x</p>",
        "<p>get /rest/y returns boards for you.</p><h5>Scopes</h5><p><code>read:x:jira</code></p>",
      ),
      want: [op("GET", "/rest/x", { unlabeled: ["read:x:jira"] })],
    },
    {
      name: "bold 'Scopes' label instead of a heading",
      given: page(
        "<p>PATCH /rest/x</p>",
        "<p><strong>Scopes:</strong></p><p><code>write:x:jira</code></p><h4>Request</h4>",
      ),
      want: [op("PATCH", "/rest/x", { unlabeled: ["write:x:jira"] })],
    },
    {
      name: "a 'Scopes' link is navigation, not a label",
      given: page("<p>GET /rest/x</p>", '<p><a href="/scopes">Scopes</a></p><p><code>read:x:jira</code></p>'),
      want: [],
    },
    {
      name: "Data Security Policy value is not a scope; an empty block gives no operation",
      given: page("<p>GET /rest/x</p>", "<h5>Scopes</h5><p><b>Data Security Policy</b>: <code>exempt</code></p>"),
      want: [],
    },
    {
      name: "'Show more' text marks the list truncated",
      given: page(
        "<p>GET /rest/x</p>",
        "<h5>Scopes</h5><p>Granular: <code>read:a:jira</code>...<button>(Show more)</button></p>",
      ),
      want: [op("GET", "/rest/x", { granular: ["read:a:jira"], truncated: true })],
    },
    {
      name: "plain-text list cut with '...(Show more)'",
      given: page(
        "<p>POST /rest/x</p>",
        "<h5>Scopes</h5><p>Granular: read:a:jira, read:b:jira...(Show more)</p><p>App scope required: WRITE</p>",
      ),
      want: [
        op("POST", "/rest/x", { granular: ["read:a:jira", "read:b:jira"], connectScope: "WRITE", truncated: true }),
      ],
    },
    {
      name: "two Scopes blocks for one operation are merged",
      given: page(
        "<p>GET /rest/x</p>",
        "<h5>Scopes</h5><p>Granular: <code>read:a:jira</code>, <code>read:b:jira</code></p>" +
          "<h5>Scopes</h5><p>Granular: <code>read:b:jira</code>, <code>read:c:jira</code></p>",
      ),
      want: [op("GET", "/rest/x", { granular: ["read:a:jira", "read:b:jira", "read:c:jira"] })],
    },
    {
      name: "heading with role and aria-level",
      given: page(
        "<p>GET /rest/x</p>",
        '<div role="heading" aria-level="5">Scopes</div><p><code>read:x:jira</code></p><div role="heading" aria-level="4">Request</div><p><code>expand</code></p>',
      ),
      want: [op("GET", "/rest/x", { unlabeled: ["read:x:jira"] })],
    },
  ])("$name", ({ given, want }) => {
    expect(parseReferencePage(given)).toEqual(want);
  });

  it.each(GARBAGE)("garbage %j gives [] without throwing", (given) => {
    expect(parseReferencePage(given)).toEqual([]);
  });
});

describe("parseScopeTable", () => {
  it("reads the scopes page fixture: tables and definition list, first one wins", () => {
    expect([...parseScopeTable(fixture("jira-platform-scopes.html"))]).toEqual([
      [
        "read:jira-work",
        "Read Jira project and issue data, search for issues, and objects associated with issues like attachments and worklogs.",
      ],
      [
        "write:jira-work",
        "Create and edit issues in Jira, post comments as the user, create worklogs, and delete issues.",
      ],
      [
        "manage:jira-configuration",
        "Take Jira administration actions (e.g. create projects and custom fields, view workflows, manage issue link types).",
      ],
      ["read:comment:jira", "View comments on issues & issue comments."],
      [
        "read:user:jira",
        "View user information in Jira that you have access to, including usernames, email addresses, and avatars.",
      ],
      // An entity-encoded placeholder: read as text, in look-alike angle quotes (never a tag).
      ["read:audit-log:jira", "View audit records for the site \u2039your-domain\u203A.atlassian.net."],
      [
        "offline_access",
        "Issue a refresh token so the app can act when the user is not present. Defined in Auth0, not a granular or deprecated scope.",
      ],
      ["read:me", "View the user's account details (used by /me)."],
    ]);
  });

  it.each<{ name: string; given: string; want: [string, string][] }>([
    {
      name: "two columns, no header: second cell is the description",
      given: "<table><tr><td><code>read:a:jira</code></td><td>Read <em>a</em>.</td></tr></table>",
      want: [["read:a:jira", "Read a."]],
    },
    {
      name: "header row in the body with th cells is skipped",
      given:
        "<table><tr><th>Scope</th><th>Description</th></tr><tr><td>repository</td><td>Read repositories.</td></tr></table>",
      want: [["repository", "Read repositories."]],
    },
    {
      name: "rows in <thead> are headers even with td cells",
      given:
        "<table><thead><tr><td>scope</td><td>description</td></tr></thead><tbody><tr><td>read:a:jira</td><td>A.</td></tr></tbody></table>",
      want: [["read:a:jira", "A."]],
    },
    {
      name: "plain-text header in td cells is not a scope",
      given: "<table><tr><td>Scope</td><td>Description</td></tr><tr><td>read:a:jira</td><td>A.</td></tr></table>",
      want: [["read:a:jira", "A."]],
    },
    {
      name: "row header cell (th scope=row) holding the scope",
      given: '<table><tr><th scope="row"><code>write:a:jira</code></th><td>Write a.</td></tr></table>',
      want: [["write:a:jira", "Write a."]],
    },
    {
      name: "'Description' column found by header",
      given:
        "<table><thead><tr><th>Scope name</th><th>Summary</th><th>Description</th></tr></thead>" +
        "<tbody><tr><td><code>read:a:jira</code></td><td>View a</td><td>Long text about a.</td></tr></tbody></table>",
      want: [["read:a:jira", "Long text about a."]],
    },
    {
      name: "first cell that is not a scope name is skipped",
      given:
        "<table><tr><td>Read Jira work</td><td>x</td></tr><tr><td><code>a b</code></td><td>y</td></tr><tr><td><code>a:b:c:d:e</code></td><td>z</td></tr></table>",
      want: [],
    },
    {
      name: "row with one cell or an empty description is skipped",
      given:
        "<table><tr><td><code>read:a:jira</code></td></tr><tr><td><code>read:b:jira</code></td><td> </td></tr></table>",
      want: [],
    },
    {
      name: "definition list; first dd after the dt; first one wins",
      given:
        "<dl><dt><code>read:a:jira</code></dt><dd>First &amp; best.</dd><dd>Ignored.</dd>" +
        "<dt><code>read:a:jira</code></dt><dd>Second.</dd><dt>write:b:jira</dt><dd>B [link](/b).</dd></dl>",
      want: [
        ["read:a:jira", "First & best."],
        ["write:b:jira", "B link."],
      ],
    },
    {
      name: "table and list in document order",
      given:
        "<dl><dt><code>read:a:jira</code></dt><dd>From the list.</dd></dl>" +
        "<table><tr><td><code>read:a:jira</code></td><td>From the table.</td></tr></table>",
      want: [["read:a:jira", "From the list."]],
    },
  ])("$name", ({ given, want }) => {
    expect([...parseScopeTable(given)]).toEqual(want);
  });

  it.each(GARBAGE)("garbage %j gives an empty map without throwing", (given) => {
    expect(parseScopeTable(given).size).toBe(0);
  });
});
