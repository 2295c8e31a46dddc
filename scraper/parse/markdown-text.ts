/**
 * The last step of every text the HTML parsers return: Markdown links `[text](url "title")` and images
 * `![alt](src)` to their text, code-span backticks dropped, whitespace collapsed to single spaces, trimmed.
 * No I/O, no regular expression.
 *
 * Descriptions are upstream input, so the work must be linear in their length. The regex this replaces,
 * `/!?\[([^\]]*)\]\([^)\s]*(?:\s+"[^"]*")?\)/g`, rescanned to the end of the text from every `[` that
 * starts no link: 150,000 `[` took 26-36 s and 600,000 stalled a scrape past its lease. Here every
 * "next index of" search remembers its answer, and the searches only move forward, so each character
 * is visited a bounded number of times. The result is the same as the regex's (test/scraper/markdown-text.test.ts
 * compares them on random text).
 */

/** Counts character visits, for tests that bound the work on hostile input. */
export interface StepCounter {
  steps: number;
}

/** Markdown links and code spans to text, then whitespace collapsed (DAC descriptions are Markdown). */
export function finishText(raw: string, counter?: StepCounter): string {
  return collapse(unlink(raw, counter), counter);
}

/**
 * Each link or image replaced by its label, exactly as the regex above would: the label runs from `[` to
 * the first `]`, then `(`, a URL without `)` or whitespace, an optional whitespace-separated `"title"`, `)`.
 */
function unlink(raw: string, counter?: StepCounter): string {
  // Cheap checks first: most descriptions hold no link at all.
  if (raw.length < 4 || !raw.includes("](")) return raw;
  const closeBracket = forwardSearch(raw, (code) => code === 0x5d, counter); // ]
  const urlEnd = forwardSearch(raw, (code) => code === 0x29 || isSpace(code), counter); // ) or whitespace
  const titleStart = forwardSearch(raw, (code) => !isSpace(code), counter);
  const titleEnd = forwardSearch(raw, (code) => code === 0x22, counter); // "
  const parts: string[] = [];
  let copied = 0;
  for (let open = raw.indexOf("["); open !== -1; open = raw.indexOf("[", open + 1)) {
    if (counter) counter.steps++;
    const close = closeBracket(open + 1);
    // No `]` after this `[` means none after any later `[` either: no more links.
    if (close === -1) break;
    if (raw.charCodeAt(close + 1) !== 0x28) continue; // (
    let end = urlEnd(close + 2);
    if (end === -1) continue;
    if (raw.charCodeAt(end) !== 0x29) {
      const quote = titleStart(end);
      if (quote === -1 || raw.charCodeAt(quote) !== 0x22) continue;
      const closing = titleEnd(quote + 1);
      if (closing === -1 || raw.charCodeAt(closing + 1) !== 0x29) continue;
      end = closing + 1;
    }
    // `![alt](src)`: the `!` goes with the image, unless an earlier link already took it.
    const start = open > copied && raw.charCodeAt(open - 1) === 0x21 ? open - 1 : open;
    parts.push(raw.slice(copied, start), raw.slice(open + 1, close));
    copied = end + 1;
    open = end;
  }
  if (copied === 0) return raw;
  parts.push(raw.slice(copied));
  return parts.join("");
}

/** Backticks dropped, then runs of whitespace to one space, trimmed: `.replace(/`/g, "").replace(/\s+/g, " ").trim()`. */
function collapse(text: string, counter?: StepCounter): string {
  const parts: string[] = [];
  let pendingSpace = false;
  let runStart = -1;
  for (let index = 0; index <= text.length; index++) {
    const code = index < text.length ? text.charCodeAt(index) : -1;
    const inRun = code !== -1 && code !== 0x60 && !isSpace(code);
    if (inRun) {
      if (runStart === -1) {
        if (pendingSpace && parts.length > 0) parts.push(" ");
        pendingSpace = false;
        runStart = index;
      }
      continue;
    }
    if (runStart !== -1) parts.push(text.slice(runStart, index));
    runStart = -1;
    if (code !== 0x60) pendingSpace = true;
  }
  if (counter) counter.steps += text.length;
  return parts.join("");
}

/**
 * `find(from)`: the first index at or after `from` whose character satisfies `test`, or -1. The last
 * answer is remembered, so a caller whose `from` only grows scans each character at most once.
 */
function forwardSearch(text: string, test: (code: number) => boolean, counter?: StepCounter): (from: number) => number {
  let searchedFrom = Number.POSITIVE_INFINITY;
  let found = -1;
  return (from) => {
    // Nothing matched in [searchedFrom, found), so nothing does in [from, found) either.
    if (from >= searchedFrom && (found === -1 || from <= found)) return found;
    searchedFrom = from;
    found = -1;
    for (let index = from; index < text.length; index++) {
      if (counter) counter.steps++;
      if (test(text.charCodeAt(index))) {
        found = index;
        break;
      }
    }
    return found;
  };
}

/** JavaScript's `\s`: WhiteSpace and LineTerminator (ECMA-262 sections 12.2 and 12.3). */
function isSpace(code: number): boolean {
  if (code <= 0x20) return code === 0x20 || (code >= 0x09 && code <= 0x0d);
  if (code < 0xa0) return false;
  return (
    code === 0xa0 ||
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x3000 ||
    code === 0xfeff
  );
}
