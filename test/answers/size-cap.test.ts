/** The answer cap counts UTF-8 bytes exactly (answers/size-cap.ts), without encoding small answers. */
import { describe, expect, it } from "vitest";
import { MAX_ANSWER_BYTES, answerTooLarge, overAnswerCap, utf8Length } from "../../src/answers/size-cap";

const utf8 = (text: string) => new TextEncoder().encode(text).byteLength;

describe("overAnswerCap", () => {
  it("is undefined at the cap and the size one byte past it", () => {
    expect(overAnswerCap("a".repeat(MAX_ANSWER_BYTES))).toBeUndefined();
    expect(overAnswerCap("a".repeat(MAX_ANSWER_BYTES + 1))).toBe(MAX_ANSWER_BYTES + 1);
  });

  it("counts multi-byte characters, surrogate pairs and lone surrogates as TextEncoder does", () => {
    for (const unit of ["é", "€", "😀", "\ud800", "\udc00x", "a😀é€"]) {
      const text = unit.repeat(Math.ceil(MAX_ANSWER_BYTES / utf8(unit)) + 1);
      expect(overAnswerCap(text), JSON.stringify(unit)).toBe(utf8(text));
      // 400,000 × "€" is 1.2 MB of UTF-8 in 400,000 UTF-16 units.
    }
    expect(overAnswerCap("€".repeat(400_000))).toBe(1_200_000);
    expect(overAnswerCap("€".repeat(333_333))).toBeUndefined();
  });

  it("utf8Length equals TextEncoder's count on strings that mix ASCII runs with every kind of unit", () => {
    const units = ["a", "{", "é", "߿", "ࠀ", "€", "￿", "😀", "\ud800", "\udbff", "\udc00", "\udfff"];
    let seed = 15;
    const next = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed;
    };
    for (let round = 0; round < 500; round++) {
      let text = "";
      const length = next() % 40;
      for (let at = 0; at < length; at++) text += units[next() % units.length]!.repeat(1 + (next() % 3));
      expect(utf8Length(text), JSON.stringify(text)).toBe(utf8(text));
    }
    expect(utf8Length("")).toBe(0);
  });

  it("the failure names the size and the cap", () => {
    expect(answerTooLarge(1_500_000)).toMatchObject({
      reason: "answer_too_large",
      details: { bytes: 1_500_000, maxBytes: MAX_ANSWER_BYTES },
    });
    expect(answerTooLarge(1_500_000).details).not.toHaveProperty("atLeast");
  });

  it("refused while built, the size is a lower bound and the message says how many checks reach it", () => {
    const failure = answerTooLarge(1_000_321, { checks: 970, of: 2000 });
    expect(failure.details).toEqual({ bytes: 1_000_321, maxBytes: MAX_ANSWER_BYTES, atLeast: true });
    expect(failure.message).toContain("more than 1000321 bytes (its first 970 of 2000 endpoint checks");
  });
});
