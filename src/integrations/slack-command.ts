/**
 * The `/scopes` slash command: its text turned into a question for the answer layer, with a title for
 * the answer (src/views/slack.ts renders it in Block Kit). Pure: no I/O here (src/routes/slack.ts asks).
 */
import { CURL_WITHOUT_URL, parseEndpointLine } from "../catalog/endpoint-input";
import { isPreference, PREFERENCES } from "../catalog/plan";
import { PRODUCTS } from "../catalog/schema";
import { MAX_SCOPES_PER_TOKEN } from "../catalog/split";
import { code } from "../views/slack";
import type { Question } from "./ask";

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

/**
 * `GET /a; POST /b`, `GET /a, POST /b`, `GET /a POST /b` or one per line: `METHOD URL` strings (the method is optional). A
 * method after the part's last URL is that URL's (`/a DELETE`), `HTTP/1.1` after a URL is dropped, and a
 * curl command (`curl -X DELETE https://…`, continued over lines with `\`) is one endpoint, kept whole
 * for the line reader (parseEndpointLine), which reads its method and URL as the HTTP routes do: its
 * words were read as endpoints ("One endpoint at a time").
 */
export function splitEndpoints(text: string): string[] {
  const endpoints: string[] = [];
  for (const line of text.replace(/\\\r?\n/g, " ").split("\n")) {
    // A line holding a curl command splits at `;` outside its quotes; each part is a command or a list.
    for (const part of CURL_ANYWHERE.test(line) ? splitCommands(line) : line.split(";")) {
      if (CURL.test(part)) {
        endpoints.push(part.trim());
        continue;
      }
      let method: string | undefined;
      let bare = -1; // the part's last endpoint pushed without a method, which a trailing method joins
      const first = endpoints.length;
      for (const word of part.trim().split(/\s+/)) {
        // `GET /a, GET /b`: a comma ending a word is the list's, never a REST path's.
        const token = word.replace(/,+$/, "");
        if (token === "") continue;
        if (HTTP_METHOD.test(token)) {
          method = token.toUpperCase();
        } else if (HTTP_VERSION.test(token) && endpoints.length > 0) {
          // `GET /x HTTP/1.1`, as logs and dev tools show a request line.
        } else {
          bare = method ? -1 : endpoints.length;
          endpoints.push(method ? `${method} ${token}` : token);
          method = undefined;
        }
      }
      if (method && bare >= 0) endpoints[bare] = `${method} ${endpoints[bare]}`;
      // A second method after `METHOD URL` (`GET /a DELETE`): kept with it, for the line reader to refuse
      // as the API does ("both given as the method"), not dropped.
      else if (method && endpoints.length > first) endpoints[endpoints.length - 1] += ` ${method}`;
    }
  }
  return endpoints;
}

const CURL = /^\s*curl\s/i;
const CURL_ANYWHERE = /(?:^|[\s;])curl\s/i;
const HTTP_VERSION = /^HTTP\/\d(?:\.\d)?$/i;

/** A line of curl commands split at `;` outside quotes (`curl … ; curl …`), each trimmed. */
function splitCommands(line: string): string[] {
  const commands: string[] = [];
  let quote: string | undefined;
  let start = 0;
  for (let at = 0; at < line.length; at++) {
    const char = line[at]!;
    if (quote) {
      if (char === quote) quote = undefined;
    } else if (char === "'" || char === '"') quote = char;
    else if (char === "\\") at++;
    else if (char === ";") {
      commands.push(line.slice(start, at));
      start = at + 1;
    }
  }
  commands.push(line.slice(start));
  return commands.map((command) => command.trim()).filter(Boolean);
}

/** The text before and after the first standalone `--`, or undefined without one. */
function splitAtDashes(text: string): [string, string] | undefined {
  const match = /(^|\s)--(\s|$)/.exec(text);
  if (!match) return undefined;
  return [text.slice(0, match.index).trim(), text.slice(match.index + match[0].length).trim()];
}

const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? "" : "s"}`;

/**
 * `credential=<kind>` anywhere in the text (`/scopes diff read:repository:bitbucket -- GET ... credential=bitbucket-api-token`)
 * goes to the answer as its `credential`, which checks the kind; only lookups, diffs, plans and explanations take it.
 */
export function parseSlackCommand(rawText: string): SlackCommand {
  const text = normalizeSlackText(rawText);
  // `cursor=<c>`, as a paged answer's last line says: the next page of a list (endpoints, what scopes can call).
  const cursor = /(^|\s)cursor=(\S*)/i.exec(text);
  if (!cursor) return withCredential(text);
  const command = withCredential(
    `${text.slice(0, cursor.index)} ${text.slice(cursor.index + cursor[0].length)}`.trim(),
  );
  if (command.kind === "usage_error") return command;
  if (command.kind !== "api" || !("limit" in command.question.input))
    return {
      kind: "usage_error",
      message:
        "`cursor=` pages the lists a paged answer ends with: `endpoints <scope> cursor=...` and `diff <scopes> cursor=...` (scopes alone).",
    };
  return {
    ...command,
    question: { ...command.question, input: { ...command.question.input, cursor: cursor[2] } },
  } as SlackCommand;
}

function withCredential(normalized: string): SlackCommand {
  const given = /(^|\s)credential=(\S*)/i.exec(normalized);
  if (!given) return parseCommandText(normalized);
  const text = `${normalized.slice(0, given.index)} ${normalized.slice(given.index + given[0].length)}`.trim();
  const command = parseCommandText(text);
  if (command.kind !== "api" || command.question.kind === "reverse") return command;
  return { ...command, question: { ...command.question, input: { ...command.question.input, credential: given[2] } } };
}

function parseCommandText(text: string): SlackCommand {
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
      // A bare scope, and a product may follow it as after `endpoints` (`read:jira-work jira`).
      if (SCOPE_NAME.test(word) && !word.includes("/")) {
        if (restWords.length === 0) return reverseCommand(word);
        // Any case, as the answer reads `product` (`read:jira-work Jira`).
        if (restWords.length === 1 && (PRODUCTS as readonly string[]).includes(restWords[0]!.toLowerCase()))
          return reverseCommand(word, restWords[0]);
        if (restWords.length === 1 && !restWords[0]!.includes("/"))
          return {
            kind: "usage_error",
            message: `After a scope, give a product to narrow it to (${PRODUCTS.map(code).join(", ")}), not ${code(restWords[0]!)}.`,
          };
      }
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
  const endpoint = endpoints[0]!;
  if (CURL.test(endpoint)) {
    // Whole, for the lookup to read (its method, URL and any refusal, as GET /scopes?path=curl… does);
    // titled by what it calls, not its options and headers.
    const read = parseEndpointLine(endpoint);
    // A command that cannot be read (no URL, two methods) is said in a line, not echoed whole as a title.
    if (read?.refused !== undefined)
      return {
        kind: "usage_error",
        message:
          read.refused === CURL_WITHOUT_URL
            ? `No URL found in the curl command: give the URL it calls, e.g. ${code("curl -X GET https://acme.atlassian.net/rest/api/3/myself")}.`
            : read.refused,
      };
    const called = read ? `${read.method} ${read.path}` : endpoint;
    return {
      kind: "api",
      question: { kind: "lookup", input: { path: endpoint, method: undefined } },
      title: `*Scopes for* ${code(called)}`,
    };
  }
  const [first = "", ...others] = endpoint.split(" ");
  const [method, path] = others.length > 0 ? [first, others.join(" ")] : [undefined, first];
  return {
    kind: "api",
    question: { kind: "lookup", input: { path, method } },
    title: `*Scopes for* ${code(endpoint)}`,
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

/** A plan's `prefer=<fewest|granular|classic>` and `max-scopes=<n>`, anywhere among its endpoints. */
const PLAN_OPTION = /(^|\s)(prefer|max-scopes)=(\S*)/gi;

function planCommand(rest: string): SlackCommand {
  const options: { prefer?: string; maxScopes?: number } = {};
  // Checked here, in the command's own words: the answer layer's messages name the JSON fields.
  for (const [, , name, value = ""] of rest.matchAll(PLAN_OPTION)) {
    if (name!.toLowerCase() === "prefer") {
      const prefer = value.toLowerCase();
      if (!isPreference(prefer))
        return {
          kind: "usage_error",
          message: `\`prefer\` takes ${PREFERENCES.slice(0, -1).map(code).join(", ")} or ${code(PREFERENCES.at(-1)!)}: \`plan prefer=granular GET /rest/agile/1.0/board\`.`,
        };
      options.prefer = prefer;
    } else if (/^\d{1,6}$/.test(value) && Number(value) >= 1 && Number(value) <= MAX_SCOPES_PER_TOKEN)
      options.maxScopes = Number(value);
    else
      return {
        kind: "usage_error",
        message: `\`max-scopes\` takes the scopes one token may hold, a whole number from 1 to ${MAX_SCOPES_PER_TOKEN}: \`plan max-scopes=20 GET /rest/agile/1.0/board\`.`,
      };
  }
  const endpoints = splitEndpoints(rest.replace(PLAN_OPTION, " "));
  if (endpoints.length === 0)
    return {
      kind: "usage_error",
      message: "Give the endpoints: `plan GET /rest/agile/1.0/board; POST /rest/api/3/issue`.",
    };
  return {
    kind: "api",
    question: { kind: "plan", input: { endpoints, ...options } },
    title: `*Least-privilege plan* for ${plural(endpoints.length, "endpoint")}${options.prefer ? `, preferring ${code(options.prefer)}` : ""}`,
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
