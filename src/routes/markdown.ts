/**
 * `?format=markdown`, for Discord, Teams and similar bots: the text answer of any route, marked up.
 * Every route's text answer has the same layout (unindented headline lines, indented detail lines,
 * `label: value` lines), so one conversion serves them all and the two formats cannot drift apart:
 * headlines become bold lines, details become bullets, scope names and paths become code.
 */

const SCOPE_OR_PATH =
  /(^|[\s(,+|])((?:[a-z][a-z0-9_.-]*:[A-Za-z0-9_.:-]*[A-Za-z0-9_-])|(?:\/[A-Za-z0-9_.{}~%/-]+))(?=$|[\s),.;:+|])/g;
const URL = /\bhttps?:\/\/[^\s)]*[^\s),.;:]/g;

/** Wraps scope names and paths in backticks, outside spans that already have them. */
function markCode(text: string): string {
  return text
    .split(/(`[^`]*`)/)
    .map((part, index) => {
      if (index % 2 === 1) return part;
      const urls: string[] = [];
      const held = part.replace(URL, (url) => `\u0000${urls.push(url) - 1}\u0000`);
      return held
        .replace(SCOPE_OR_PATH, (_, before: string, code: string) => `${before}\`${code}\``)
        .replace(/\u0000(\d+)\u0000/g, (_, index: string) => `<${urls[Number(index)]}>`);
    })
    .join("");
}

export function textToMarkdown(text: string): string {
  const lines: string[] = [];
  for (const raw of text.replace(/\n$/, "").split("\n")) {
    const indented = /^\s/.test(raw);
    const line = raw.trim();
    if (line === "") continue;
    const bullet = indented ? "- " : "";
    const docs = /^docs: (https?:\/\/\S+)$/.exec(line);
    const label =
      /^(needs|or|note|hint|fix|paste|serves|more|unused|unknown scope|not found|no published scopes):?\s+(.*)$/.exec(
        line,
      );
    if (docs) lines.push(`${bullet}[docs](${docs[1]})`);
    else if (label) lines.push(`${bullet}_${label[1]}:_ ${markCode(label[2] ?? "")}`);
    else if (!indented && /^catalog \S+$/.test(line)) lines.push(`_${line}_`);
    else lines.push(indented ? `${bullet}${markCode(line)}` : `**${markCode(line)}**`);
  }
  return `${lines.join("\n")}\n`;
}
