/**
 * `?format=markdown`, for Discord, Teams and similar bots: the text answer of any route, marked up.
 * Every route's text answer has the same layout (unindented headline lines, indented detail lines,
 * `label: value` lines), so one conversion serves them all and the two formats cannot drift apart:
 * headlines become bold lines, details become bullets, scope names and paths become code.
 *
 * The lines hold scraped and echoed values, so only what this module marks up is markup: every other
 * character that could start a link, image, HTML, emphasis or block is escaped (src/views/escape.ts).
 */
import { escapeMarkdown, markdownCode, markdownUrl, textLine } from "./escape";

// A path never ends in a full stop: "for GET /rest/agile/1.0/board." ends a sentence. Nor does either
// end before a question mark ("did you mean read:board-scope:jira-software?"): without it in the
// lookahead, the name was marked only up to its last colon. A name is code in any case: an echo of
// what was typed (READ:JIRA-WORK) is a name too.
const SCOPE_OR_PATH =
  /(^|[\s(,+|])((?:[A-Za-z][A-Za-z0-9_.-]*:[A-Za-z0-9_.:-]*[A-Za-z0-9_-])|(?:\/[A-Za-z0-9_.{}~%/-]*[A-Za-z0-9_{}~%/-]))(?=$|[\s),.;:?+|])/g;
/** An autolink may hold neither spaces nor `<` `>` (CommonMark 6.5); backticks would pair with code spans. */
const URL = /\bhttps?:\/\/[^\s)<>`]*[^\s),.;:<>`]/g;
/** Held tokens, between NULs: textLine has turned every NUL of the input into a space, so none is forged. */
const HELD = /\u0000(\d+)\u0000/;

/**
 * Scope names and paths as code, http(s) URLs as autolinks, spans the text already has in backticks as
 * code; everything else escaped. `atLineStart`: the text starts a line, so block markers are escaped too.
 */
function markCode(text: string, atLineStart: boolean): string {
  const tokens: string[] = [];
  const hold = (markdown: string) => `\u0000${tokens.push(markdown) - 1}\u0000`;
  const held = text
    .replace(/`([^`]*)`/g, (_, code: string) => hold(markdownCode(code)))
    .replace(URL, (url) => hold(`<${url}>`))
    .replace(SCOPE_OR_PATH, (_, before: string, code: string) => `${before}${hold(markdownCode(code))}`);
  return held
    .split(HELD)
    .map((part, index) => (index % 2 === 1 ? tokens[Number(part)] : escapeMarkdown(part, atLineStart && index === 0)))
    .join("");
}

/**
 * `nested`: a line indented further than the bullet before it is a bullet under that bullet, for text
 * whose indents say which line a line belongs to (an error's details: views/error-text.ts). Answers'
 * indents do not always (a plan's `serves` lines follow its scope list and belong to the token above
 * both), so theirs stay one level of bullets.
 */
export function textToMarkdown(text: string, { nested = false }: { nested?: boolean } = {}): string {
  const lines: string[] = [];
  // The indents of the bullets a nested line can be under.
  const open: number[] = [];
  for (const raw of text.replace(/\n$/, "").split("\n")) {
    const indent = raw.length - raw.trimStart().length;
    const indented = indent > 0;
    const line = textLine(raw).trim();
    if (line === "") continue;
    while (open.length > 0 && open[open.length - 1]! >= indent) open.pop();
    const bullet = indented ? `${"  ".repeat(open.length)}- ` : "";
    if (indented && nested) open.push(indent);
    const docs = /^docs: (https?:\/\/\S+)$/.exec(line);
    const docsUrl = docs?.[1] === undefined ? undefined : markdownUrl(docs[1]);
    const label =
      /^(needs no scope|needs|or|removal|note|hint|fix|paste|serves|more|unused|unknown scope|deprecated scope|deprecated|not found|no published scopes):?\s+(.*)$/.exec(
        line,
      );
    if (docsUrl) lines.push(`${bullet}[docs](${docsUrl})`);
    else if (label) lines.push(`${bullet}_${label[1]}:_ ${markCode(label[2] ?? "", true)}`);
    else if (!indented && /^catalog \S+$/.test(line)) lines.push(`_${escapeMarkdown(line)}_`);
    else lines.push(indented ? `${bullet}${markCode(line, true)}` : `**${markCode(line, true)}**`);
  }
  return `${lines.join("\n")}\n`;
}

/** Text lines as sent in the format asked for: as they are (text/plain) or marked up (text/markdown). */
export function linesAs(
  text: string,
  format: "text" | "markdown",
  options?: { nested?: boolean },
): { body: string; type: string } {
  return format === "markdown"
    ? { body: textToMarkdown(text, options), type: "text/markdown; charset=UTF-8" }
    : { body: text, type: "text/plain; charset=UTF-8" };
}
