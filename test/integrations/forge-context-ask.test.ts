/**
 * The Slack command's `credential=forge` reaches the answer layer as the Forge context: the lookup, diff,
 * plan and explain texts give the requestJira path, never the api.atlassian.com/ex/ gateway.
 */
import { describe, expect, it } from "vitest";
import { ask } from "../../src/integrations/ask";
import { parseSlackCommand } from "../../src/integrations/slack-command";
import { catalogFor } from "../../src/storage/served";
import { MemoryKv } from "../helpers/memory-kv";

const catalog = () => catalogFor(new MemoryKv());
const SITE_ISSUE = "https://acme.atlassian.net/rest/api/3/issue/ABC-1";

async function slackText(line: string): Promise<string> {
  const command = parseSlackCommand(line);
  if (command.kind !== "api") throw new Error(`not a question: ${line}`);
  const answer = await ask(catalog, command.question);
  if (!answer.ok) throw new Error(answer.failure.message);
  return answer.text;
}

describe("Slack: credential=forge gives Forge notes on every form", () => {
  it.each([
    ["lookup", `GET ${SITE_ISSUE} credential=forge`],
    ["diff", `diff read:jira-work -- GET ${SITE_ISSUE} credential=forge`],
    ["plan", `plan GET ${SITE_ISSUE} credential=forge`],
  ])("%s", async (_form, line) => {
    const text = await slackText(line);
    expect(text).toContain("requestJira(route`/rest/api/3/issue/ABC-1`)");
    expect(text).not.toContain("api.atlassian.com/ex/");
  });

  it("without it, the site URL gets the gateway note", async () => {
    expect(await slackText(`GET ${SITE_ISSUE}`)).toContain("https://api.atlassian.com/ex/jira/{cloudId}");
  });
});
