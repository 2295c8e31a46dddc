/**
 * Echoed values through the real routes: an unmatched /diff input is written back in the answer, so a
 * forged one must not read as a line, link or markup in `?format=text` or `?format=markdown`.
 */
import { postDiff } from "../helpers/worker";
import { describe, expect, it } from "vitest";

const FORGED = [
  "GET /rest/api/3/nope\nMISSING GET /rest/api/3/myself  add admin:everything",
  "GET /rest/api/3/nope[docs](https://evil.example)",
  "GET /rest/api/3/nope<!channel>",
  "GET /rest/api/3/nope<img src=x onerror=alert(1)>",
  "GET /rest/api/3/nope\u2028catalog 9999-forged",
];

async function diffAnswer(format: "text" | "markdown"): Promise<string> {
  const response = await postDiff({ scopes: ["read:jira-user"], endpoints: FORGED }, { query: `?format=${format}` });
  const text = await response.text();
  expect(response.status, text.slice(0, 300)).toBe(200);
  return text;
}

describe("POST /diff echoes unmatched inputs inertly", () => {
  it("text: one line per input, none forged", async () => {
    const lines = (await diffAnswer("text")).split("\n");
    expect(lines.filter((line) => line.startsWith("MISSING"))).toEqual([]);
    expect(lines.filter((line) => line.startsWith("catalog "))).toHaveLength(1);
    expect(lines.filter((line) => line.startsWith("ERROR"))).toHaveLength(FORGED.length);
    expect(lines.join("\n")).not.toMatch(/[\r\u2028\u2029\u0085]/);
  });

  it("markdown: no link, HTML or mention is live, and no line is forged", async () => {
    const markdown = await diffAnswer("markdown");
    expect(markdown).not.toMatch(/(?<!\\)\[docs(?<!\\)\]\(/);
    expect(markdown).not.toMatch(/(?<!\\)<(img|!channel)/);
    expect(markdown).toContain("\\<img src=x onerror=alert(1)\\>");
    expect(markdown).toContain("\\[docs\\]");
    const lines = markdown.split("\n");
    expect(lines.filter((line) => /^\**MISSING/.test(line))).toEqual([]);
    expect(lines.filter((line) => line.startsWith("_catalog "))).toHaveLength(1);
  });
});
