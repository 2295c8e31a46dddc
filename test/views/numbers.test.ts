/** groupThousands (src/views/numbers.ts) writes what toLocaleString("en-US") would, without Intl. */
import { describe, expect, it } from "vitest";
import { groupThousands } from "../../src/views/numbers";
import { MAX_ANSWER_BYTES } from "../../src/answers/size-cap";
import { MAX_ENTRY_CONTENT_BYTES } from "../../src/views/atom";

describe("groupThousands", () => {
  const cases: { given: number; want: string }[] = [
    { given: 0, want: "0" },
    { given: 7, want: "7" },
    { given: 999, want: "999" },
    { given: 1000, want: "1,000" },
    { given: 65_536, want: "65,536" },
    { given: 100_000, want: "100,000" },
    { given: 1_000_000, want: "1,000,000" },
    { given: 12_345_678_901, want: "12,345,678,901" },
  ];
  for (const { given, want } of cases)
    it(`${given} → ${want}`, () => {
      expect(groupThousands(given)).toBe(want);
      expect(groupThousands(given)).toBe(given.toLocaleString("en-US"));
    });

  it("writes the limits route descriptions quote as toLocaleString did", () => {
    for (const limit of [MAX_ANSWER_BYTES, MAX_ENTRY_CONTENT_BYTES])
      expect(groupThousands(limit)).toBe(limit.toLocaleString("en-US"));
  });
});
