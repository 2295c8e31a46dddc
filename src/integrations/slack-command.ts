/**
 * The `/scopes` slash command: its text turned into a call of the API's own routes, and the answer
 * turned into Block Kit. Pure: no I/O here (src/routes/slack.ts makes the call).
 */
import { escapeMrkdwn, mrkdwnLink, textLine } from "../views/escape";
import { type Question, type TextAnswer, suggestionsOf } from "./ask";

export type SlackCommand =
  | { kind: "help" }
  | { kind: "usage_error"; message: string }
  | { kind: "api"; question: Question; title: string; summary?: (text: string) => string | undefined };

const HTTP_METHOD = /^(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS|TRACE)$/i;
const STATUS = /^[1-5]\d\d$/;
const SCOPE_NAME = /^[a-z][\w.-]*:[\w.:-]+$/i;
/** How many endpoints the "what can these scopes call" and reverse-lookup answers list in Slack. */
const LIST_LIMIT = 20;

/**
 * Slack's text as typed: links unwrapped (`<https://x|x>` → `https://x`), `&amp;`, `&lt;`, `&gt;`
 * unescaped, and the dashes some keyboards make of `--` turned back. Linear in the text's length
 * (signed requests can still be 3 MB of `<http:`): every step is one forward pass.
 */
export function normalizeSlackText(text: string): string {
  return unwrapSlackLinks(text)
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&")
    .replace(/(^|\s)[\u2014\u2013](?=\s|$)/g, "$1--")
    .replace(/\u00a0/g, " ")
    .trim();
}

const SLACK_LINK_TARGET = /^(?:https?|mailto):[^|]+/;

/**
 * `<url>` and `<url|label>` → `url`, for http(s) and mailto targets; any other `<...>` is kept as is.
 * A link holds no `<` (Slack escapes it as `&lt;`), so each `<` only looks as far as the next `<` or `>`,
 * and the positions of both are searched for forward only: each character is scanned a bounded number of
 * times. (The regex this replaces rescanned to the end of the text from every `<` without a `>`.)
 */
function unwrapSlackLinks(text: string): string {
  let out = "";
  let from = 0;
  let open = text.indexOf("<");
  let close = open < 0 ? -1 : text.indexOf(">", open + 1);
  while (open >= 0 && close >= 0) {
    const nextOpen = text.indexOf("<", open + 1);
    if (nextOpen >= 0 && nextOpen < close) {
      open = nextOpen; // this `<` is not a link: another `<` comes before its `>`
      continue;
    }
    const target = SLACK_LINK_TARGET.exec(text.slice(open + 1, close))?.[0];
    if (target !== undefined) {
      out += text.slice(from, open) + target;
      from = close + 1;
    }
    open = nextOpen;
    if (open > close) close = text.indexOf(">", open + 1);
  }
  return out + text.slice(from);
}

/** `GET /a; POST /b`, `GET /a POST /b` or one per line: `METHOD URL` strings (the method is optional). */
export function splitEndpoints(text: string): string[] {
  const endpoints: string[] = [];
  for (const part of text.split(/[;\n]+/)) {
    let method: string | undefined;
    for (const token of part.trim().split(/\s+/).filter(Boolean)) {
      if (HTTP_METHOD.test(token)) {
        method = token.toUpperCase();
      } else {
        endpoints.push(method ? `${method} ${token}` : token);
        method = undefined;
      }
    }
  }
  return endpoints;
}

/** The text before and after the first standalone `--`, or undefined without one. */
function splitAtDashes(text: string): [string, string] | undefined {
  const match = /(^|\s)--(\s|$)/.exec(text);
  if (!match) return undefined;
  return [text.slice(0, match.index).trim(), text.slice(match.index + match[0].length).trim()];
}

const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? "" : "s"}`;
const code = (text: string) => `\`${escapeMrkdwn(textLine(text).replace(/`/g, "'"))}\``;

export function parseSlackCommand(rawText: string): SlackCommand {
  const text = normalizeSlackText(rawText);
  const [word = "", ...restWords] = text.split(/\s+/);
  const rest = text.slice(word.length).trim();
  switch (word.toLowerCase()) {
    case "":
    case "help":
      return { kind: "help" };
    case "diff":
      return diffCommand(rest);
    case "plan":
      return planCommand(rest);
    case "explain":
      return explainCommand(rest);
    case "endpoints":
    case "scope": {
      const [scope, product] = restWords;
      if (!scope) return { kind: "usage_error", message: "Give a scope name: `endpoints read:jira-work`." };
      return reverseCommand(scope, product);
    }
    default:
      if (restWords.length === 0 && SCOPE_NAME.test(word) && !word.includes("/")) return reverseCommand(word);
      return lookupCommand(text);
  }
}

function lookupCommand(text: string): SlackCommand {
  const endpoints = splitEndpoints(text);
  if (endpoints.length !== 1) {
    return {
      kind: "usage_error",
      message:
        endpoints.length === 0
          ? "Give an endpoint: `GET https://api.atlassian.com/ex/jira/<cloudId>/rest/agile/1.0/board`."
          : "One endpoint at a time here; for several, use `plan <METHOD URL>; <METHOD URL>` or `diff <scopes> -- <METHOD URL>; ...`.",
    };
  }
  const [first = "", ...others] = endpoints[0]!.split(" ");
  const [method, path] = others.length > 0 ? [first, others.join(" ")] : [undefined, first];
  return {
    kind: "api",
    question: { kind: "lookup", input: { path, method } },
    title: `*Scopes for* ${code(endpoints[0]!)}`,
  };
}

function reverseCommand(scope: string, product?: string): SlackCommand {
  return {
    kind: "api",
    question: { kind: "reverse", input: { scope, product, limit: LIST_LIMIT } },
    title: `*Endpoints that use* ${code(scope)}`,
  };
}

function diffCommand(rest: string): SlackCommand {
  const parts = splitAtDashes(rest);
  if (!parts) {
    if (rest === "")
      return {
        kind: "usage_error",
        message:
          "Give the token's scopes: `diff read:board-scope:jira-software read:project:jira -- GET /rest/agile/1.0/board`.",
      };
    if (rest.includes("/"))
      return {
        kind: "usage_error",
        message: "Put `--` between the scopes and the endpoints: `diff <scopes> -- <METHOD URL>; <METHOD URL>`.",
      };
    // Scopes alone: what can they call?
    return {
      kind: "api",
      question: { kind: "diff", input: { scopes: rest, limit: LIST_LIMIT } },
      title: "*What these scopes can call*",
    };
  }
  const [scopes, endpointText] = parts;
  const endpoints = splitEndpoints(endpointText);
  if (scopes === "")
    return {
      kind: "usage_error",
      message: "Give the token's scopes before `--`: `diff read:jira-work -- GET /rest/api/3/myself`.",
    };
  if (endpoints.length === 0)
    return {
      kind: "usage_error",
      message: "Give the endpoints after `--`: `diff <scopes> -- GET /rest/agile/1.0/board; GET /rest/api/3/myself`.",
    };
  return {
    kind: "api",
    question: { kind: "diff", input: { scopes, endpoints } },
    title: `*Token diff*: ${plural(scopes.split(/[\s,]+/).filter(Boolean).length, "scope")} against ${plural(endpoints.length, "endpoint")}`,
    summary: (answer) => {
      const missing = answer.split("\n").filter((line) => line.startsWith("MISSING")).length;
      const failed = answer.split("\n").filter((line) => line.startsWith("ERROR")).length;
      if (missing > 0) return `:x: ${plural(missing, "endpoint")} ${missing === 1 ? "lacks" : "lack"} scopes`;
      if (failed > 0) return `:warning: ${plural(failed, "endpoint")} not found`;
      return ":white_check_mark: The scopes cover every endpoint";
    },
  };
}

function planCommand(rest: string): SlackCommand {
  const endpoints = splitEndpoints(rest);
  if (endpoints.length === 0)
    return {
      kind: "usage_error",
      message: "Give the endpoints: `plan GET /rest/agile/1.0/board; POST /rest/api/3/issue`.",
    };
  return {
    kind: "api",
    question: { kind: "plan", input: { endpoints } },
    title: `*Least-privilege plan* for ${plural(endpoints.length, "endpoint")}`,
  };
}

function explainCommand(rest: string): SlackCommand {
  const [callText, scopes] = splitAtDashes(rest) ?? [rest, ""];
  let method: string | undefined;
  let status: number | undefined;
  const urls: string[] = [];
  for (const token of callText.split(/\s+/).filter(Boolean)) {
    if (!method && HTTP_METHOD.test(token)) method = token.toUpperCase();
    else if (status === undefined && STATUS.test(token)) status = Number(token);
    else urls.push(token);
  }
  if (!method || status === undefined || urls.length !== 1) {
    return {
      kind: "usage_error",
      message:
        "Give the failed call's method, URL and status, then optionally `--` and the token's scopes: `explain GET https://acme.atlassian.net/rest/agile/1.0/board 401 -- read:board-scope:jira-software`.",
    };
  }
  const body: Record<string, unknown> = { method, url: urls[0], status };
  if (scopes !== "") body.scopes = scopes;
  return {
    kind: "api",
    question: { kind: "explain", input: body },
    title: `*Why* ${code(`${method} ${urls[0]}`)} *got ${status}*`,
  };
}

export interface SlackMessage {
  response_type: "ephemeral";
  /** The notification fallback; mrkdwn like the blocks. */
  text: string;
  blocks: Record<string, unknown>[];
}

const SECTION_CHARS = 2900; // Slack's limit on a section's text is 3000
const MAX_CODE_BLOCKS = 8;

const section = (mrkdwn: string) => ({ type: "section", text: { type: "mrkdwn", text: mrkdwn } });
const context = (mrkdwn: string) => ({ type: "context", elements: [{ type: "mrkdwn", text: mrkdwn }] });

/** The notification fallback: the (escaped) mrkdwn without emphasis, code marks and emoji. */
const plain = (mrkdwn: string) => mrkdwn.replace(/[*`]/g, "").replace(/:[a-z_]+: /g, "");

export function helpMessage(command: string): SlackMessage {
  const c = command || "/scopes";
  const lines = [
    "*Scope Catalog*: the OAuth 2.0 / API-token scopes each Atlassian Cloud REST endpoint needs.",
    `• \`${c} GET https://api.atlassian.com/ex/jira/<cloudId>/rest/agile/1.0/board\`: the scopes an endpoint needs (leave out the method for every method)`,
    `• \`${c} diff read:board-scope:jira-software read:project:jira -- GET /rest/agile/1.0/board; GET /rest/api/3/myself\`: what a token's scopes lack`,
    `• \`${c} diff read:jira-work\`: what those scopes can call`,
    `• \`${c} plan GET /rest/agile/1.0/board; POST /rest/api/3/issue\`: the smallest scope set for a list of calls`,
    `• \`${c} explain GET https://acme.atlassian.net/rest/agile/1.0/board 401 -- read:board-scope:jira-software\`: why a call failed`,
    `• \`${c} endpoints read:board-scope:jira-software\`: what a scope unlocks`,
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
  options: { summary?: (text: string) => string | undefined; origin: string | undefined },
): SlackMessage {
  if (!answer.ok) {
    // The message may echo the request: one line, so it cannot forge a line of the answer.
    const message = escapeMrkdwn(textLine(answer.failure.message));
    // A pasted credential is never echoed, not even in the title built from the command's text.
    if (answer.failure.reason === "credential_detected")
      return { response_type: "ephemeral", text: message, blocks: [section(`:warning: ${message}`)] };
    const suggestions = suggestionsOf(answer.failure);
    const blocks: Record<string, unknown>[] = [section(title), section(`:warning: ${message}`)];
    if (suggestions.length > 0) blocks.push(section(`Did you mean: ${suggestions.map(code).join(", ")}`));
    return { response_type: "ephemeral", text: plain(`${title}: ${message}`), blocks };
  }
  const lines = answer.text.replace(/\n+$/, "").split("\n");
  const version = /^catalog (\S+)$/.exec(lines.at(-1) ?? "")?.[1];
  if (version) lines.pop();
  const headline = options.summary?.(answer.text);
  const blocks: Record<string, unknown>[] = [section(headline ? `${title}\n${headline}` : title)];
  const chunks = chunkLines(
    lines.map((line) => escapeMrkdwn(line.replace(/```/g, "'''"))),
    SECTION_CHARS,
  );
  for (const chunk of chunks.slice(0, MAX_CODE_BLOCKS)) blocks.push(section(`\`\`\`${chunk}\`\`\``));
  if (chunks.length > MAX_CODE_BLOCKS)
    blocks.push(
      section(
        `_…cut here: the answer is longer than a Slack message. Ask the API${options.origin ? ` (${escapeMrkdwn(options.origin)})` : ""} for the rest._`,
      ),
    );
  const home = options.origin ? mrkdwnLink(`${options.origin}/`, "Scope Catalog") : "Scope Catalog";
  blocks.push(context(`${version ? `catalog ${escapeMrkdwn(version)} · ` : ""}${home}`));
  const fallback = headline ?? escapeMrkdwn(lines[0] ?? "");
  return { response_type: "ephemeral", text: plain(`${title}: ${fallback}`), blocks };
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
