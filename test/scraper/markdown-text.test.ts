/**
 * finishText: the same text as the regular expressions it replaced, with work linear in the input.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { finishText, type StepCounter } from "../../scraper/parse/markdown-text";

/** The implementation finishText replaced: quadratic on runs of `[`, kept here as the specification. */
function byRegex(raw: string): string {
  return raw
    .replace(/!?\[([^\]]*)\]\([^)\s]*(?:\s+"[^"]*")?\)/g, "$1")
    .replace(/`/g, "")
    .replace(/\s+/g, " ")
    .trim();
}

function stepsOf(raw: string): number {
  const counter: StepCounter = { steps: 0 };
  finishText(raw, counter);
  return counter.steps;
}

describe("finishText", () => {
  const cases: { given: string; want: string }[] = [
    { given: "See [the docs](https://x.test/a) now", want: "See the docs now" },
    // An image keeps its alt text and loses the `!`.
    { given: "![logo](/l.png) text", want: "logo text" },
    { given: '[t](/u "Title") end', want: "t end" },
    // Whitespace inside the URL ends it; only a quoted title may follow.
    { given: "[t](/u v)", want: "[t](/u v)" },
    { given: "`read:jira-work`  and\n\n`write:jira-work`", want: "read:jira-work and write:jira-work" },
    { given: "[[nested](/n)]", want: "[nested]" },
    { given: "!![a](b)", want: "!a" },
    { given: "[a](b)[c](d)", want: "ac" },
    { given: "\u00a0 non-breaking\u2028line ", want: "non-breaking line" },
    { given: "[unclosed(label](/x)", want: "unclosed(label" },
  ];
  it.each(cases)("$given", ({ given, want }) => {
    expect(finishText(given)).toBe(want);
    expect(byRegex(given)).toBe(want);
  });

  it("gives the regex's text on random Markdown-ish input", () => {
    const alphabet = fc.constantFrom("[", "]", "(", ")", "!", '"', "`", " ", "\n", "\t", "\u00a0", "a", "b", "/");
    fc.assert(
      fc.property(fc.array(alphabet, { maxLength: 40 }), (chars) => {
        const raw = chars.join("");
        expect(finishText(raw)).toBe(byRegex(raw));
      }),
      { numRuns: 5000 },
    );
  });

  // Each of these made the regex rescan to the end from every `[` (or every `(`): quadratic work.
  const hostile: { name: string; unit: string }[] = [
    { name: "a run of [", unit: "[" },
    { name: "labels with no (", unit: "[a]" },
    { name: "links with no )", unit: "[a](" },
    { name: "links whose title never closes", unit: '[a](b "' },
    { name: "links whose title is not followed by )", unit: '[a](b "c"' },
    { name: "images with no )", unit: "![a](b " },
  ];
  it.each(hostile)("visits each character a bounded number of times: $name", ({ unit }) => {
    const small = unit.repeat(1_000);
    const large = unit.repeat(100_000);
    // Linear: 100 times the input costs about 100 times the work, and a few visits per character
    // (and at least one: the counter counts).
    expect(stepsOf(large)).toBeGreaterThanOrEqual(large.length);
    expect(stepsOf(large)).toBeLessThanOrEqual(6 * large.length);
    expect(stepsOf(large)).toBeLessThanOrEqual(110 * stepsOf(small));
    expect(finishText(unit.repeat(2_000))).toBe(byRegex(unit.repeat(2_000)));
  });

  it("cleans 600,000 `[` (which stalled a scrape past its lease) with under 5 visits per character", () => {
    const raw = `${"[".repeat(600_000)}]`;
    expect(stepsOf(raw)).toBeLessThan(5 * raw.length);
    expect(finishText(raw)).toBe(raw);
  });
});
