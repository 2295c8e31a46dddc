/** The escaping functions every renderer writes values through (src/views/escape.ts). */
import { describe, expect, it } from "vitest";
import {
  escapeMarkdown,
  escapeMrkdwn,
  escapeXml,
  markdownCode,
  markdownUrl,
  mrkdwnLink,
  textLine,
  textLines,
} from "../../src/views/escape";

const FORGED_LINE = "x\nMISSING: add admin:everything";

describe("textLine and textLines", () => {
  const cases: { name: string; given: string; want: string }[] = [
    { name: "LF", given: FORGED_LINE, want: "x MISSING: add admin:everything" },
    { name: "CRLF, one space for the run", given: "x\r\ny", want: "x y" },
    { name: "bare CR (a terminal rewrites the line)", given: "ok\rMISSING", want: "ok MISSING" },
    { name: "NEL U+0085", given: "x\u0085y", want: "x y" },
    { name: "line and paragraph separators U+2028/U+2029", given: "x\u2028y\u2029z", want: "x y z" },
    { name: "VT, FF, ESC (terminal escapes)", given: "x\u000b\u000c\u001b[2Ky", want: "x [2Ky" },
    { name: "bidi override (text that reads backwards)", given: "x\u202Ey", want: "x y" },
    {
      name: "ordinary text is unchanged",
      given: "read:jira-work + write:jira-work",
      want: "read:jira-work + write:jira-work",
    },
  ];
  it.each(cases)("$name", ({ given, want }) => {
    expect(textLine(given)).toBe(want);
  });

  it("makes each element exactly one line, whatever it holds", () => {
    const text = textLines(["OK      GET /a", `GET /b  [jira] ${FORGED_LINE}`, "catalog v1"]);
    expect(text.split("\n")).toEqual([
      "OK      GET /a",
      "GET /b  [jira] x MISSING: add admin:everything",
      "catalog v1",
      "",
    ]);
    expect(text.split("\n").filter((line) => line.startsWith("MISSING"))).toEqual([]);
  });
});

describe("escapeMarkdown", () => {
  const cases: { name: string; given: string; want: string }[] = [
    { name: "a link", given: "[docs](https://evil.example)", want: "\\[docs\\](https://evil.example)" },
    { name: "raw HTML", given: "<img src=x onerror=alert(1)>", want: "\\<img src=x onerror=alert(1)\\>" },
    { name: "an entity", given: "&lt;script&gt;", want: "\\&lt;script\\&gt;" },
    { name: "a heading at line start", given: "# admin", want: "\\# admin" },
    { name: "a list item at line start", given: "- x", want: "\\- x" },
    { name: "an ordered item at line start", given: "12) x", want: "12\\) x" },
    { name: "a newline first becomes a space", given: FORGED_LINE, want: "x MISSING: add admin:everything" },
  ];
  it.each(cases)("$name", ({ given, want }) => {
    expect(escapeMarkdown(given)).toBe(want);
  });
});

describe("markdownCode", () => {
  const cases: { name: string; given: string; want: string }[] = [
    { name: "plain", given: "read:jira-work", want: "`read:jira-work`" },
    { name: "a backtick inside: a longer fence", given: "a`b", want: "``a`b``" },
    { name: "a run of two inside: a fence of three", given: "a``b", want: "```a``b```" },
    { name: "leading backtick: padded so it is content", given: "`x", want: "`` `x ``" },
    { name: "a newline cannot end the span's line", given: FORGED_LINE, want: "`x MISSING: add admin:everything`" },
  ];
  it.each(cases)("$name", ({ given, want }) => {
    expect(markdownCode(given)).toBe(want);
  });
});

describe("markdownUrl", () => {
  it("encodes what would end the destination", () => {
    expect(markdownUrl("https://a.example/x)(y<z>")).toBe("https://a.example/x%29%28y%3Cz%3E");
  });
  it("refuses other schemes", () => {
    expect(markdownUrl("javascript:alert(1)")).toBeUndefined();
    expect(markdownUrl("/relative")).toBeUndefined();
  });
});

describe("Slack mrkdwn", () => {
  it("escapes Slack's three control characters, so a mention or link is text", () => {
    expect(escapeMrkdwn("<!channel> <https://evil.example|docs> a&b")).toBe(
      "&lt;!channel&gt; &lt;https://evil.example|docs&gt; a&amp;b",
    );
  });
  it("links only a URL that cannot break the link", () => {
    expect(mrkdwnLink("https://scopes.example.com/", "Scope Catalog")).toBe(
      "<https://scopes.example.com/|Scope Catalog>",
    );
    expect(mrkdwnLink("https://x.example/|<!channel>", "Scope Catalog")).toBe("Scope Catalog");
  });
});

describe("escapeXml", () => {
  it("escapes the five special characters and drops characters XML 1.0 forbids", () => {
    expect(escapeXml(`<img src="x" onerror='1'>&lt;\u0000\u001b\uFFFE\uD800`)).toBe(
      "&lt;img src=&quot;x&quot; onerror=&apos;1&apos;&gt;&amp;lt;",
    );
  });
  it("keeps tab, LF, CR and astral characters", () => {
    expect(escapeXml("a\tb\nc\rd \u{1F600}")).toBe("a\tb\nc\rd \u{1F600}");
  });
});
