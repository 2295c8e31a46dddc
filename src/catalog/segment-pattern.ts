/**
 * Path segments as templates write them: literals, one parameter (`{id}`), or literals and parameters
 * mixed (`{repo_name}-issues-{task_id}.zip`), compiled to a source stored in the trie and matched by
 * scanning its literals, never by a regex that could backtrack. No I/O.
 */

/** A segment that is one parameter: `{issueIdOrKey}`. */
export const PARAM = /^\{[^{}]+\}$/;

/** Compiled once per isolate: the sources come from the catalog, a few dozen at most. */
const compiled = new Map<string, RegExp>();
export function regexOf(source: string): RegExp {
  let regex = compiled.get(source);
  if (!regex) compiled.set(source, (regex = new RegExp(source)));
  return regex;
}

/** Tests a segment against a mixed pattern. */
export type SegmentTest = (segment: string) => boolean;

const segmentTests = new Map<string, SegmentTest>();

/**
 * How a stored pattern source is tested against a segment. Every source `segmentSource` writes (and every
 * source it wrote before adjacent parameters were merged) is literals between gaps, which `globTest` matches
 * by scanning, in time linear in the segment: as a regex, `{a}{b}…{j}.zip` became ten overlapping `.+?` and
 * a 40-character segment that ends in anything but `.zip` backtracked for seconds. Any other source (none is
 * written by the scraper) is still tested as the regex it is.
 */
export function segmentTestOf(source: string): SegmentTest {
  let test = segmentTests.get(source);
  if (!test) {
    const glob = parseGlob(source);
    const regex = glob ? undefined : regexOf(source);
    test = glob ? globTest(glob) : (segment) => regex!.test(segment);
    segmentTests.set(source, test);
  }
  return test;
}

/** A segment pattern as literals and gaps: `literals[i]`, then at least `gaps[i]` characters, ..., then the last literal. */
export interface Glob {
  literals: string[];
  gaps: number[];
}

const REGEX_SYNTAX = /[.*+?^${}()|[\]\\]/g;
/** Characters that are regex syntax unless escaped. */
const SYNTAX = ".*+?^$" + "{}()|[]\\";

/**
 * The regex source of a segment that mixes text and parameters: `{repo_name}-issues-{task_id}.zip` →
 * `^.+?-issues-.+?\.zip$`. Each parameter stands for at least one character; adjacent parameters cannot be
 * told apart, so `{a}{b}` is one gap of at least two (`.{2,}?`), never two quantifiers side by side.
 */
export function segmentSource(segment: string): string {
  const pieces = segment.split(/\{[^{}]+\}/);
  let source = `^${escapeRegex(pieces[0] ?? "")}`;
  let gap = 0;
  for (const literal of pieces.slice(1)) {
    gap++;
    if (literal === "") continue;
    source += `${gapSource(gap)}${escapeRegex(literal)}`;
    gap = 0;
  }
  return `${source}${gap > 0 ? gapSource(gap) : ""}$`;
}

function escapeRegex(literal: string): string {
  return literal.replace(REGEX_SYNTAX, "\\$&");
}

function gapSource(least: number): string {
  return least === 1 ? ".+?" : `.{${least},}?`;
}

/**
 * The glob a source written by `segmentSource` stands for, or undefined for any other source: `^`, then
 * literal characters (escaped where regex syntax) and gaps (`.+?`, `.+`, `.{n,}?`, merged when adjacent), then `$`.
 */
export function parseGlob(source: string): Glob | undefined {
  if (!source.startsWith("^") || !source.endsWith("$")) return undefined;
  const literals: string[] = [];
  const gaps: number[] = [];
  let literal = "";
  let gap = 0;
  const body = source.slice(1, -1);
  for (let index = 0; index < body.length; ) {
    const rest = body.slice(index, index + 16);
    const quantified = /^\.(?:\+\??|\{([1-9]\d{0,3}),\}\?)/.exec(rest);
    if (quantified) {
      if (gap === 0) literals.push(literal);
      literal = "";
      gap += quantified[1] === undefined ? 1 : Number(quantified[1]);
      index += quantified[0].length;
      continue;
    }
    let char = body[index]!;
    if (char === "\\") {
      char = body[index + 1] ?? "";
      // Only escapes of regex syntax are literal characters (`\d` is not). A lone `\` at the end means the
      // source ended in an escaped `\$`, a literal dollar rather than the end.
      if (char === "" || !(SYNTAX.includes(char) || char === "/")) return undefined;
      index += 2;
    } else {
      if (SYNTAX.includes(char)) return undefined;
      index++;
    }
    if (gap > 0) gaps.push(gap);
    gap = 0;
    literal += char;
  }
  if (gap > 0) {
    gaps.push(gap);
    literals.push("");
  } else literals.push(literal);
  return { literals, gaps };
}

/** Line terminators: a regex `.` never matches them, so neither does a gap. */
function isLineBreak(code: number): boolean {
  return code === 0x0a || code === 0x0d || code === 0x2028 || code === 0x2029;
}

function hasLineBreak(text: string, from: number, to: number): boolean {
  for (let index = from; index < to; index++) if (isLineBreak(text.charCodeAt(index))) return true;
  return false;
}

/**
 * Matches a glob by placing each middle literal at its earliest position after the gap before it: an
 * earlier place never leaves less room for what follows, so no other placement needs trying. Each
 * character is looked at by one search, so the work is linear in the segment (times a literal's length).
 */
export function globTest({ literals, gaps }: Glob): SegmentTest {
  const first = literals[0] ?? "";
  const last = literals[literals.length - 1] ?? "";
  if (gaps.length === 0) return (segment) => segment === first;
  const least = gaps.reduce((sum, gap) => sum + gap, 0) + literals.reduce((sum, literal) => sum + literal.length, 0);
  return (segment) => {
    if (segment.length < least || !segment.startsWith(first) || !segment.endsWith(last)) return false;
    const end = segment.length - last.length;
    let position = first.length;
    for (let index = 1; index < literals.length - 1; index++) {
      const literal = literals[index]!;
      const found = segment.indexOf(literal, position + gaps[index - 1]!);
      if (found === -1 || found + literal.length > end || hasLineBreak(segment, position, found)) return false;
      position = found + literal.length;
    }
    return end - position >= gaps[gaps.length - 1]! && !hasLineBreak(segment, position, end);
  };
}
