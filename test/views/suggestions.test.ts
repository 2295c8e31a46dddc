/** An error's suggestions after its message, on the CLI, MCP and Slack: none the message already named. */
import { describe, expect, it } from "vitest";
import { suggestionsBeyond } from "../../src/views/text";

describe("suggestionsBeyond", () => {
  it("drops the suggestion the message asks about and says it asked", () => {
    expect(
      suggestionsBeyond("No scope read:jira-wrok in the catalog. Did you mean read:jira-work?", [
        "read:jira-work",
        "read:jira-user",
      ]),
    ).toEqual({ rest: ["read:jira-user"], asked: true });
  });
  it("keeps every suggestion a message does not name (a path's nearest templates)", () => {
    const suggestions = ["/rest/agile/1.0/board", "/rest/agile/1.0/board/{boardId}"];
    expect(
      suggestionsBeyond("No Atlassian Cloud endpoint in the catalog matches /rest/agile/1.0/boards.", suggestions),
    ).toEqual({ rest: suggestions, asked: false });
  });
  it("counts only a whole name: `repository` is not named by `repository:write`, nor `READ` by `READ_ALL`", () => {
    expect(suggestionsBeyond("Did you mean `repository:write`?", ["repository:write", "repository"]).rest).toEqual([
      "repository",
    ]);
    expect(suggestionsBeyond("Did you mean READ_ALL?", ["READ"])).toEqual({ rest: ["READ"], asked: false });
    expect(suggestionsBeyond("Did you mean READ?", ["READ"])).toEqual({ rest: [], asked: true });
  });

  it("an empty suggestion is dropped, and ends (it was found at every position of the message, forever)", () => {
    expect(suggestionsBeyond("No scope foo in the catalog.", ["", "read:foo"])).toEqual({
      rest: ["read:foo"],
      asked: false,
    });
  });
});
