/**
 * Escaping for every format the worker writes a value into: text lines, markdown, Slack mrkdwn, XML.
 * Pure, no I/O. Values are scraped (summaries, paths, docs URLs) or echoed (what a client sent), so any
 * of them may hold line breaks or markup; each writer below makes one value inert in its format.
 * HTML is built only by the page's script, with textContent (src/page/script.ts), so it needs none here.
 */

/**
 * Every character that can end a line or hide text in a terminal or chat client: C0 and C1 controls
 * (CR, LF, VT, FF, NEL U+0085, ESC...), DEL, the Unicode line and paragraph separators (U+2028, U+2029),
 * and the bidirectional overrides and isolates that make a line read differently from its bytes.
 */
const LINE_BREAKING = /[\u0000-\u001F\u007F-\u009F\u2028\u2029\u202A-\u202E\u2066-\u2069]+/g;

/** One value on one text line: whatever could start a new line (or hide text) becomes a single space. */
export function textLine(value: string): string {
  return value.replace(LINE_BREAKING, " ");
}

/**
 * A text answer: each element becomes exactly one line, ended with "\n". Every text renderer writes
 * through this, so a value holding "\nMISSING ..." cannot forge a line of its own, whatever the caller forgot.
 */
export function textLines(lines: readonly string[]): string {
  return `${lines.map(textLine).join("\n")}\n`;
}

/**
 * Characters that start inline markup anywhere in CommonMark/GFM (emphasis, code, links, images, raw HTML,
 * entities, tables, strikethrough, headings) and the backslash itself; each is escaped with a backslash,
 * which CommonMark allows for any ASCII punctuation (spec 0.31, section 2.4).
 */
const MARKDOWN_INLINE = /[\\`*_[\]<>!&|~#]/g;

/** Block markers that count only at the start of a line or list item: `-`, `+`, `=`, `1.`, `1)`. */
const MARKDOWN_BLOCK_START = /^(\s*)([-+=]|\d+(?=[.)]))/;

/**
 * A plain-text value as markdown that renders as exactly that text: no link, image, HTML, emphasis or,
 * with `atLineStart`, block (heading, quote, list, rule). Line breaks become spaces first (textLine).
 */
export function escapeMarkdown(value: string, atLineStart = true): string {
  const inline = textLine(value).replace(MARKDOWN_INLINE, "\\$&");
  if (!atLineStart) return inline;
  return inline.replace(MARKDOWN_BLOCK_START, (_, space: string, marker: string) =>
    /^\d/.test(marker) ? `${space}${marker}\\` : `${space}\\${marker}`,
  );
}

/**
 * A value as a markdown code span that it cannot end early: the fence is one backtick longer than the
 * longest run inside, and padded with spaces when the value starts or ends with a backtick (CommonMark 6.1).
 */
export function markdownCode(value: string): string {
  const text = textLine(value);
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(longest + 1);
  const pad = text.startsWith("`") || text.endsWith("`") || text === "" ? " " : "";
  return `${fence}${pad}${text}${pad}${fence}`;
}

/**
 * An http(s) URL as a markdown link destination, or undefined for anything else (`javascript:`, relative).
 * Characters that would end the destination or the link (`(`, `)`, `<`, `>`, spaces, quotes) are
 * percent-encoded: the URL still points where it did, and nothing after it is read as markup.
 */
export function markdownUrl(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return undefined;
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return undefined;
  return url.href.replace(/[()<>[\]`"' \\]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);
}

/**
 * Text for Slack mrkdwn: `&`, `<` and `>` are Slack's control characters and the only ones it asks to escape
 * (https://api.slack.com/reference/surfaces/formatting#escaping), so `<!channel>` or `<https://x|y>` stay text.
 */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** A Slack link to an http(s) URL; the label is escaped, and a URL that could break the link is left out. */
export function mrkdwnLink(url: string, label: string): string {
  return /^https?:\/\/[^\s<>|]+$/.test(url) ? `<${url}|${escapeMrkdwn(label)}>` : escapeMrkdwn(label);
}

/** Characters XML 1.0 forbids (section 2.2): C0 controls but tab, LF and CR; U+FFFE/U+FFFF; lone surrogates. */
const XML_ILLEGAL =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Text for XML content and attributes: the five special characters escaped, characters XML 1.0 forbids dropped. */
export function escapeXml(text: string): string {
  return text
    .replace(XML_ILLEGAL, "")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;");
}
