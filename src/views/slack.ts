/**
 * Answers as Slack Block Kit messages, within Slack's documented limits: a section's text is at most
 * 3,000 characters, a message holds a few code blocks (longer answers are summarised, with a link to
 * the page), and every value is escaped for mrkdwn (escape.ts).
 */
import { type Question, type TextAnswer, suggestionsOf } from "../integrations/ask";
import { escapeMrkdwn, mrkdwnLink, textLine } from "./escape";
import { suggestionsBeyond, withPagingHint } from "./text";

export interface SlackMessage {
  response_type: "ephemeral";
  /** The notification fallback; mrkdwn like the blocks. */
  text: string;
  blocks: Record<string, unknown>[];
}

/** Slack's documented limit on a section's (and a context element's) text. */
const SECTION_LIMIT = 3000;
/** Code blocks are filled to this, leaving room for the fences. */
const SECTION_CHARS = 2900;
/**
 * At most this many code blocks (about 11,600 characters): Slack refuses a message whose blocks are
 * too long in all (`msg_blocks_too_long`) well before its 50-block limit; longer answers are summarised.
 */
const MAX_CODE_BLOCKS = 4;
/** A value quoted in a title (a pasted URL can be thousands of characters). */
const QUOTE_CHARS = 300;

/** Cut to `max` characters with an ellipsis, never inside an escape such as `&amp;`. */
function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  const head = text.slice(0, max - 1);
  const entity = head.lastIndexOf("&");
  return `${entity > max - 8 && !head.slice(entity).includes(";") ? head.slice(0, entity) : head}…`;
}

const section = (mrkdwn: string) => ({ type: "section", text: { type: "mrkdwn", text: cut(mrkdwn, SECTION_LIMIT) } });
const context = (mrkdwn: string) => ({
  type: "context",
  elements: [{ type: "mrkdwn", text: cut(mrkdwn, SECTION_LIMIT) }],
});

/** A value as inline code: one line, escaped, backticks that would close the span replaced, cut to QUOTE_CHARS. */
export const code = (text: string) => `\`${escapeMrkdwn(cut(textLine(text), QUOTE_CHARS).replace(/`/g, "'"))}\``;

/** The emoji this module puts in messages; a scope like `repository:write:` must keep its colons. */
const OWN_EMOJI = /:(warning|x|white_check_mark|hourglass_flowing_sand): /g;

/** The notification fallback: the (escaped) mrkdwn without emphasis, code marks and our emoji. */
const plain = (mrkdwn: string) => mrkdwn.replace(/[*`]/g, "").replace(OWN_EMOJI, "");

export function helpMessage(command: string): SlackMessage {
  const c = command || "/scopes";
  const lines = [
    "*Scope Catalog*: the OAuth 2.0 / API-token scopes each Atlassian Cloud REST endpoint needs.",
    `• \`${c} GET https://api.atlassian.com/ex/jira/<cloudId>/rest/agile/1.0/board\`: the scopes an endpoint needs (leave out the method for every method)`,
    `• \`${c} diff read:board-scope:jira-software read:project:jira -- GET /rest/agile/1.0/board; GET /rest/api/3/myself\`: what a token's scopes lack`,
    `• \`${c} diff read:jira-work\`: what those scopes can call`,
    `• \`${c} plan GET /rest/agile/1.0/board; POST /rest/api/3/issue\`: the smallest scope set for a list of calls (add \`prefer=granular\` or \`prefer=classic\` to break ties, \`max-scopes=20\` for smaller tokens)`,
    `• \`${c} explain GET https://acme.atlassian.net/rest/agile/1.0/board 401 -- read:board-scope:jira-software\`: why a call failed`,
    `• \`${c} endpoints read:board-scope:jira-software\`: what a scope unlocks`,
    "Add `credential=bitbucket-api-token` (or oauth2-3lo, forge, scoped-api-token, connect, bitbucket-oauth-consumer, bitbucket-access-token, ...) to any of these but `endpoints`: only the scopes that credential can hold are proposed.",
    "Scope names and URLs only: never paste a token.",
  ];
  return {
    response_type: "ephemeral",
    text: "Scope Catalog: usage",
    blocks: [section(lines.map(escapeMrkdwn).join("\n"))],
  };
}

/** The immediate answer when the real one will be posted to response_url. */
export function ackMessage(): SlackMessage {
  return {
    response_type: "ephemeral",
    text: "Looking it up in the catalog…",
    blocks: [context(":hourglass_flowing_sand: Looking it up in the catalog…")],
  };
}

export function usageErrorMessage(command: string, message: string): SlackMessage {
  const escaped = escapeMrkdwn(message);
  return {
    response_type: "ephemeral",
    text: plain(escaped),
    blocks: [
      section(`:warning: ${escaped}`),
      context(`\`${escapeMrkdwn(command || "/scopes")} help\` lists every form.`),
    ],
  };
}

/** The API's answer (its text lines, or its error) as Block Kit. `title` is mrkdwn, already escaped. */
export function answerMessage(
  title: string,
  answer: TextAnswer,
  options: {
    summary?: (text: string) => string | undefined;
    origin: string | undefined;
    /** The page showing the same answer in full, for answers too long for Slack. */
    page?: string;
  },
): SlackMessage {
  if (!answer.ok) {
    // The message may echo the request: one line, so it cannot forge a line of the answer.
    const message = escapeMrkdwn(textLine(answer.failure.message));
    // A pasted credential is never echoed, not even in the title built from the command's text.
    if (answer.failure.reason === "credential_detected")
      return { response_type: "ephemeral", text: message, blocks: [section(`:warning: ${message}`)] };
    const { rest, asked } = suggestionsBeyond(answer.failure.message, suggestionsOf(answer.failure));
    const blocks: Record<string, unknown>[] = [section(title), section(`:warning: ${message}`)];
    if (rest.length > 0) blocks.push(section(`${asked ? "Or" : "Did you mean"}: ${rest.map(code).join(", ")}`));
    return { response_type: "ephemeral", text: plain(`${title}: ${message}`), blocks };
  }
  let lines = trimEnd(withPagingHint(answer.text, (cursor) => `add cursor=${cursor} to the command`)).split("\n");
  const version = /^catalog (\S+)$/.exec(lines.at(-1) ?? "")?.[1];
  if (version) lines.pop();
  const headline = options.summary?.(answer.text);
  const blocks: Record<string, unknown>[] = [section(headline ? `${title}\n${headline}` : title)];
  const fits = (candidate: readonly string[]) => chunkLines(candidate, SECTION_CHARS).length <= MAX_CODE_BLOCKS;
  // Too long for a message: what needs doing (MISSING, ERROR, UNKNOWN and their hints) before what is fine.
  if (!fits(lines.map(escapeCodeLine))) lines = withoutSatisfied(lines);
  const chunks = chunkLines(lines.map(escapeCodeLine), SECTION_CHARS);
  for (const chunk of chunks.slice(0, MAX_CODE_BLOCKS)) blocks.push(section(`\`\`\`${chunk}\`\`\``));
  if (chunks.length > MAX_CODE_BLOCKS) {
    const where = options.page
      ? `The whole answer is ${mrkdwnLink(options.page, "on the page")}`
      : `Ask the API${options.origin ? ` (${escapeMrkdwn(options.origin)})` : ""} for the rest`;
    blocks.push(section(`_…cut here: the answer is longer than a Slack message. ${where}._`));
  }
  const home = options.origin ? mrkdwnLink(`${options.origin}/`, "Scope Catalog") : "Scope Catalog";
  blocks.push(context(`${version ? `catalog ${escapeMrkdwn(version)} · ` : ""}${home}`));
  // The notification's line: the answer's first, past the `credential:` line that only echoes the command.
  const fallback = headline ?? escapeMrkdwn(lines.find((line) => !line.startsWith("credential: ")) ?? "");
  return { response_type: "ephemeral", text: plain(`${title}: ${fallback}`), blocks };
}

const escapeCodeLine = (line: string) => escapeMrkdwn(line.replace(/```/g, "'''"));

/** The text without its final newlines (a loop: a regex anchored at the end is quadratic on many of them). */
function trimEnd(text: string): string {
  let end = text.length;
  while (end > 0 && text.charCodeAt(end - 1) === 10) end--;
  return text.slice(0, end);
}

/** A diff's lines with the satisfied endpoints (OK and their hints) left out, and a line saying how many. */
function withoutSatisfied(lines: readonly string[]): string[] {
  const kept: string[] = [];
  let satisfied = 0;
  let inSatisfied = false;
  for (const line of lines) {
    if (line.startsWith("OK ")) {
      satisfied++;
      inSatisfied = true;
      continue;
    }
    // A hint belongs to the endpoint line above it.
    if (inSatisfied && line.startsWith(" ")) continue;
    inSatisfied = false;
    kept.push(line);
  }
  if (satisfied > 0) kept.push(`(${satisfied} endpoint${satisfied === 1 ? "" : "s"} OK, not listed here)`);
  return kept;
}

/** Lines grouped into chunks of at most `max` characters (a longer line is cut). */
function chunkLines(lines: readonly string[], max: number): string[] {
  const chunks: string[] = [];
  let current = "";
  for (const line of lines) {
    const piece = line.length > max ? `${line.slice(0, max - 1)}…` : line;
    if (current !== "" && current.length + 1 + piece.length > max) {
      chunks.push(current);
      current = "";
    }
    current = current === "" ? piece : `${current}\n${piece}`;
  }
  if (current !== "") chunks.push(current);
  return chunks;
}

/** Page links longer than this are left out (chat clients and proxies cut long URLs). */
const MAX_PAGE_URL = 2000;

/** The web page showing the same question's answer in full, when the page has a tool for it. */
export function pageUrl(origin: string | undefined, question: Question): string | undefined {
  if (!origin) return undefined;
  const input = question.input;
  const text = (value: unknown) => (Array.isArray(value) ? value.join("\n") : typeof value === "string" ? value : "");
  const fields: Record<string, string> | undefined =
    question.kind === "lookup"
      ? { tool: "lookup", path: text(input.path), method: text(input.method) }
      : question.kind === "reverse"
        ? { tool: "scope", scope: text(input.scope), product: text(input.product) }
        : question.kind === "diff"
          ? { tool: "diff", scopes: text(input.scopes), endpoints: text(input.endpoints) }
          : question.kind === "plan"
            ? { tool: "plan", endpoints: text(input.endpoints) }
            : undefined;
  if (!fields) return undefined;
  const query = new URLSearchParams(Object.entries(fields).filter(([, value]) => value !== ""));
  const url = `${origin}/?${query}`;
  return url.length <= MAX_PAGE_URL ? url : undefined;
}
