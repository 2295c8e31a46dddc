/**
 * The cap on every answer's size: JSON, `?format=text|markdown`, an MCP tool's or a Slack command's
 * text. Past it the answer is refused with 400 `answer_too_large`, saying its size and how to ask for
 * less; the work that built it is bounded by each route's own limits (endpoints, tokens, checks, page
 * size), so this bounds what is sent and held, not what is computed. docs/reliability.md lists the caps.
 */
import type { Failure } from "./result";

/** Bytes of UTF-8, the body of one answer at most. */
export const MAX_ANSWER_BYTES = 1_000_000;

/**
 * The UTF-8 size of `text` when it is over MAX_ANSWER_BYTES, else undefined. Answers under a third of
 * the cap in UTF-16 units cannot be over it and are not counted.
 */
export function overAnswerCap(text: string): number | undefined {
  if (text.length * 3 <= MAX_ANSWER_BYTES) return undefined;
  const bytes = utf8Length(text);
  return bytes > MAX_ANSWER_BYTES ? bytes : undefined;
}

/** Runs of characters outside ASCII: a regular expression finds them in native code, where a loop over every character took ~8 ms a megabyte. */
const NON_ASCII = /[^\x00-\x7f]+/g;

/** The UTF-8 size of `text`, without encoding it (lone surrogates count as the U+FFFD they are sent as). */
export function utf8Length(text: string): number {
  // Each UTF-16 unit is at least one byte: count what the units outside ASCII add.
  let bytes = text.length;
  NON_ASCII.lastIndex = 0;
  for (let run = NON_ASCII.exec(text); run !== null; run = NON_ASCII.exec(text)) {
    const end = run.index + run[0].length;
    for (let index = run.index; index < end; index++) {
      const code = text.charCodeAt(index);
      if (code < 0x800) bytes += 1;
      // A surrogate pair is one 4-byte character: 2 for each half; a lone surrogate is written as U+FFFD (3).
      else if (code >= 0xd800 && code <= 0xdfff) bytes += isPaired(text, index, code) ? 1 : 2;
      else bytes += 2;
    }
  }
  return bytes;
}

function isPaired(text: string, index: number, code: number): boolean {
  if (code <= 0xdbff) {
    const next = text.charCodeAt(index + 1);
    return next >= 0xdc00 && next <= 0xdfff;
  }
  const previous = text.charCodeAt(index - 1);
  return previous >= 0xd800 && previous <= 0xdbff;
}

/**
 * The failure for an answer of `bytes` bytes; with `counted`, it was refused before it was built in
 * full (answers/diff.ts stops a JSON answer so): `bytes` is then a lower bound, reached by the first
 * `counted.checks` of its `counted.of` endpoint checks.
 */
export function answerTooLarge(bytes: number, counted?: { checks: number; of: number }): Failure {
  const size = counted
    ? `more than ${bytes} bytes (its first ${counted.checks} of ${counted.of} endpoint checks take that much)`
    : `${bytes} bytes`;
  return {
    reason: "answer_too_large",
    message: `The answer would be ${size}; an answer is at most ${MAX_ANSWER_BYTES} bytes. Ask for less at a time: a lower \`limit\`, fewer endpoints or fewer tokens per request.`,
    details: { bytes, maxBytes: MAX_ANSWER_BYTES, ...(counted ? { atLeast: true } : {}) },
  };
}

/** The message's example for /openapi.json. */
export const ANSWER_TOO_LARGE_EXAMPLE = answerTooLarge(1_234_567);
