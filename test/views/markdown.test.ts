/** The markdown rendering of text answers, for chat bots. */
import { describe, expect, it } from "vitest";
import { textToMarkdown } from "../../src/views/markdown";

describe("textToMarkdown", () => {
  const cases: { name: string; given: string; want: string; nested?: boolean }[] = [
    {
      name: "an endpoint block: bold headline, bullets, code for scopes and paths, a docs link",
      given:
        "GET /rest/agile/1.0/board  [jira-software] Get all boards\n  needs: read:board-scope:jira-software + read:project:jira  (granular, Current)\n  docs: https://developer.atlassian.com/x#y\ncatalog 2026-11-30T05-44-51Z\n",
      want: "**GET `/rest/agile/1.0/board`  \\[jira-software\\] Get all boards**\n- _needs:_ `read:board-scope:jira-software` + `read:project:jira`  (granular, Current)\n- [docs](https://developer.atlassian.com/x#y)\n_catalog 2026-11-30T05-44-51Z_\n",
    },
    {
      name: "existing backticks are kept, not doubled",
      given: "MISSING GET /a\n        hint: `read:x:jira` does not stand in for `read:y:jira`.\n",
      want: "**MISSING GET `/a`**\n- _hint:_ `read:x:jira` does not stand in for `read:y:jira`.\n",
    },
    {
      name: "URLs become autolinks without swallowing trailing punctuation, and their paths are not marked as code",
      given: "note: call https://api.atlassian.com/ex/jira/{cloudId}/rest/api/3/myself, not acme.atlassian.net\n",
      want: "_note:_ call <https://api.atlassian.com/ex/jira/{cloudId}/rest/api/3/myself>, not acme.atlassian.net\n",
    },
    {
      name: "a path that ends a sentence leaves the full stop outside the code span",
      given: "2. [missing_scopes] The token lacks read:project:jira for GET /rest/agile/1.0/board.\n",
      want: "**2\\. \\[missing\\_scopes\\] The token lacks `read:project:jira` for GET `/rest/agile/1.0/board`.**\n",
    },
    {
      name: "a scope name that ends a question is code whole, its product suffix included",
      given: "unknown scope read:board-scope:jira (did you mean read:board-scope:jira-software?)\n",
      want: "_unknown scope:_ `read:board-scope:jira` (did you mean `read:board-scope:jira-software`?)\n",
    },
    {
      name: "a scope name echoed as typed is code whatever its case; a word before a colon and a space is not",
      given:
        "unknown scope READ:JIRA-WORK (did you mean read:jira-work?)\nwarning: Mixed kinds: Jira OAuth (READ:Jira-Work)\n",
      want: "_unknown scope:_ `READ:JIRA-WORK` (did you mean `read:jira-work`?)\n**warning: Mixed kinds: Jira OAuth (`READ:Jira-Work`)**\n",
    },
    {
      name: "nested: a line indented further than the bullet before it is a bullet under that bullet; a headline ends the nesting",
      given:
        "error: endpoint_removed\n  Removed.\n  removed: GET /a\n    replacement: GET /b\n      summary: Get b\n    product: jira\n  methods: GET\nOK      GET /x\n        hint: h\n",
      want: "**error: endpoint\\_removed**\n- Removed.\n- removed: GET `/a`\n  - replacement: GET `/b`\n    - summary: Get b\n  - product: jira\n- methods: GET\n**OK      GET `/x`**\n- _hint:_ h\n",
      nested: true,
    },
    {
      // A plan's `serves` lines follow its scope list and belong to the token above both, not to the last scope.
      name: "without `nested`, every indented line is a bullet of one level",
      given: "token 1: 2 scopes for 1 endpoint\n  read:a:jira\n  read:b:jira\n    serves GET /x\n",
      want: "**token 1: 2 scopes for 1 endpoint**\n- `read:a:jira`\n- `read:b:jira`\n- _serves:_ GET `/x`\n",
    },
    {
      name: "blank lines are dropped",
      given: "\n\nOK      GET /x  via read:jira-work\n\n",
      want: "**OK      GET `/x`  via `read:jira-work`**\n",
    },
  ];
  it.each(cases)("$name", ({ given, want, nested }) => {
    expect(textToMarkdown(given, { nested })).toBe(want);
  });
});

/**
 * Scraped summaries and echoed inputs sit inside these lines: whatever they hold must render as the
 * text it is. Each `want` is the exact markdown, so a character left unescaped fails the case.
 */
describe("textToMarkdown with forged values", () => {
  const cases: { name: string; given: string; want: string }[] = [
    {
      name: "a markdown link in a summary stays text: brackets escaped, the URL shown as itself",
      given: "GET /a  [jira] see [docs](https://evil.example)\n",
      want: "**GET `/a`  \\[jira\\] see \\[docs\\](<https://evil.example>)**\n",
    },
    {
      name: "an image link cannot load: `!` and brackets escaped",
      given: "  note: ![x](https://evil.example/pixel.png)\n",
      want: "- _note:_ \\!\\[x\\](<https://evil.example/pixel.png>)\n",
    },
    {
      name: "raw HTML is not HTML: `<` and `>` escaped",
      given: "GET /a  [jira] <img src=x onerror=alert(1)>\n",
      want: "**GET `/a`  \\[jira\\] \\<img src=x onerror=alert(1)\\>**\n",
    },
    {
      name: "a Slack-style mention and an entity are text",
      given: "  hint: <!channel> &lt;script&gt;\n",
      want: "- _hint:_ \\<\\!channel\\> \\&lt;script\\&gt;\n",
    },
    {
      name: "emphasis, strikethrough and table pipes are escaped; they cannot close the bold headline",
      given: "GET /a  [jira] **x** _y_ ~~z~~ a | b\n",
      want: "**GET `/a`  \\[jira\\] \\*\\*x\\*\\* \\_y\\_ \\~\\~z\\~\\~ a \\| b**\n",
    },
    {
      name: "block markers at the start of a detail line do not start a heading, quote, list or rule",
      given: "  # Heading\n  > quote\n  - - -\n  1. item\n",
      want: "- \\# Heading\n- \\> quote\n- \\- - -\n- 1\\. item\n",
    },
    {
      name: "a line separator inside a line is a space, not a new (forged) line",
      given: "GET /a  [jira] x\u2028MISSING GET /b  add admin:everything\n",
      want: "**GET `/a`  \\[jira\\] x MISSING GET `/b`  add `admin:everything`**\n",
    },
    {
      name: "a lone backtick in a value is escaped: it cannot pair with the code span of a scope after it",
      given: "  hint: a`b [docs](https://evil.example) read:x:jira\n",
      want: "- _hint:_ a\\`b \\[docs\\](<https://evil.example>) `read:x:jira`\n",
    },
    {
      name: "a docs URL cannot end the link early: `(`, `)` and brackets are percent-encoded",
      given: "  docs: https://developer.atlassian.com/a)[evil](https://evil.example\n",
      want: "- [docs](https://developer.atlassian.com/a%29%5Bevil%5D%28https://evil.example)\n",
    },
    {
      name: "a fake catalog line is only a catalog line when it is its own line; its version is escaped",
      given: "catalog v_1*\n",
      want: "_catalog v\\_1\\*_\n",
    },
  ];
  it.each(cases)("$name", ({ given, want }) => {
    expect(textToMarkdown(given)).toBe(want);
  });
});
