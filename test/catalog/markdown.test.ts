/** The markdown rendering of text answers, for chat bots. */
import { describe, expect, it } from "vitest";
import { textToMarkdown } from "../../src/routes/markdown";

describe("textToMarkdown", () => {
  const cases: { name: string; given: string; want: string }[] = [
    {
      name: "an endpoint block: bold headline, bullets, code for scopes and paths, a docs link",
      given:
        "GET /rest/agile/1.0/board  [jira-software] Get all boards\n  needs: read:board-scope:jira-software + read:project:jira  (granular, Current)\n  docs: https://developer.atlassian.com/x#y\ncatalog 2026-11-30T05-44-51Z\n",
      want: "**GET `/rest/agile/1.0/board`  [jira-software] Get all boards**\n- _needs:_ `read:board-scope:jira-software` + `read:project:jira`  (granular, Current)\n- [docs](https://developer.atlassian.com/x#y)\n_catalog 2026-11-30T05-44-51Z_\n",
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
      name: "blank lines are dropped",
      given: "\n\nOK      GET /x  via read:jira-work\n\n",
      want: "**OK      GET `/x`  via `read:jira-work`**\n",
    },
  ];
  it.each(cases)("$name", ({ given, want }) => {
    expect(textToMarkdown(given)).toBe(want);
  });
});
