/**
 * The command line as typed, read into what to ask. No I/O: files are named here and read by main.
 *
 *   scopes <path|url> [method] [--context forge] [--credential k]   also `scopes GET <path>`
 *   endpoints <scope> [--product p] [--method m] [--limit n] [--cursor c]
 *   diff --scopes "<a b>" [--scopes-file f] [--from <file|HAR>] [<METHOD URL | URL>...] [--limit n] [--cursor c] [--credential k]
 *   plan <file|HAR|-> [--prefer fewest|granular|classic] [--max-scopes n] [--credential k]
 *   explain <METHOD> <URL> <status> [--scopes "<a b>"] [--body <text>] [--credential k]
 *
 * `--credential` is a credential kind (oauth2-3lo, forge, scoped-api-token, connect, bitbucket-api-token, ...):
 * only the scope sets it can hold are proposed.
 *
 * Global: `--url <base>` asks a deployed instance instead of the bundled catalog, `--json` prints the
 * answer's JSON, `--help`. An endpoint is `METHOD URL` as two words or one quoted word, `URL METHOD` as two
 * words, or a URL alone.
 */
import { parseArgs } from "node:util";
import { parseMethod } from "../catalog/http-method";
import { isPreference, PREFERENCES } from "../catalog/plan";
import { MAX_SCOPES_PER_TOKEN } from "../catalog/split";
import { MAX_LIMITS } from "../answers/paging";

/** The use case an invocation asks, named as in src/integrations/ask.ts. */
export type Kind = "lookup" | "reverse" | "diff" | "plan" | "explain";

/** The commands, by the name typed, and the use case each asks. */
export const COMMANDS = {
  scopes: "lookup",
  endpoints: "reverse",
  diff: "diff",
  plan: "plan",
  explain: "explain",
} as const satisfies Record<string, Kind>;
export type CommandName = keyof typeof COMMANDS;

export type Invocation =
  | { help: true }
  | {
      help?: false;
      command: CommandName;
      kind: Kind;
      json: boolean;
      /** The deployed instance to ask; the bundled catalog when absent. */
      url?: string;
      /** The answer's input as far as the arguments give it. */
      input: Record<string, unknown>;
      /** Files main reads into the input: `-` is standard input. */
      files: { scopes?: string; endpoints?: string[]; plan?: string };
    };

/** A command line that cannot be read, with what to type instead. */
export type Usage = { ok: false; usage: string };

export type Parsed = { ok: true; value: Invocation } | Usage;

const OPTIONS = {
  url: { type: "string" },
  json: { type: "boolean" },
  help: { type: "boolean", short: "h" },
  scopes: { type: "string", multiple: true },
  "scopes-file": { type: "string" },
  from: { type: "string", multiple: true },
  product: { type: "string" },
  method: { type: "string" },
  limit: { type: "string" },
  cursor: { type: "string" },
  prefer: { type: "string" },
  "max-scopes": { type: "string" },
  body: { type: "string" },
  credential: { type: "string" },
  context: { type: "string" },
} as const;
type OptionName = keyof typeof OPTIONS;

const GLOBAL: OptionName[] = ["url", "json", "help"];

/** The options each command takes beside the global ones. */
const COMMAND_OPTIONS: Record<CommandName, OptionName[]> = {
  scopes: ["context", "credential"],
  endpoints: ["product", "method", "limit", "cursor"],
  diff: ["scopes", "scopes-file", "from", "limit", "cursor", "credential"],
  plan: ["prefer", "max-scopes", "credential"],
  explain: ["scopes", "body", "credential"],
};

const usage = (message: string): Usage => ({ ok: false, usage: message });

export function parseCommandLine(argv: readonly string[]): Parsed {
  let parsed: ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>;
  try {
    parsed = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    return usage(error instanceof Error ? error.message : String(error));
  }
  const { values, positionals } = parsed;
  const [name, ...rest] = positionals;
  if (values.help || name === "help") return { ok: true, value: { help: true } };
  if (name === undefined) return usage("Give a command: scopes, endpoints, diff, plan or explain.");
  if (!Object.hasOwn(COMMANDS, name))
    return usage(`Unknown command ${JSON.stringify(name)}: use scopes, endpoints, diff, plan or explain.`);
  const command = name as CommandName;
  const allowed = new Set([...GLOBAL, ...COMMAND_OPTIONS[command]]);
  for (const option of Object.keys(values) as OptionName[])
    if (!allowed.has(option)) return usage(`--${option} is not an option of ${command}.`);
  if (values.url !== undefined) {
    const base = baseUrl(values.url);
    if (!base.ok) return base;
    values.url = base.value;
  }
  const built = BUILDERS[command](rest, values);
  if (!built.ok) return built;
  return {
    ok: true,
    value: {
      command,
      kind: COMMANDS[command],
      json: values.json ?? false,
      ...(values.url === undefined ? {} : { url: values.url }),
      ...built.value,
    },
  };
}

type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS }>>["values"];
type Built = { ok: true; value: Pick<Extract<Invocation, { command: CommandName }>, "input" | "files"> } | Usage;

const BUILDERS: Record<CommandName, (args: string[], values: Values) => Built> = {
  scopes(args, values) {
    if (args.length === 0 || args.length > 2) return usage("scopes takes a path or URL, then optionally a method.");
    // `scopes GET /rest/...` reads as naturally as `scopes /rest/... GET`.
    const [path, method] = args.length === 2 && isMethod(args[0]!) && !isMethod(args[1]!) ? [args[1]!, args[0]] : args;
    return built({ path, ...defined({ method, context: values.context, credential: values.credential }) });
  },
  endpoints(args, values) {
    if (args.length !== 1) return usage("endpoints takes one scope name, e.g. read:board-scope:jira-software.");
    const limit = wholeNumber("limit", values.limit, MAX_LIMITS.reverse);
    if (typeof limit === "object") return limit;
    return built({
      scope: args[0],
      ...defined({ product: values.product, method: values.method, limit, cursor: values.cursor }),
    });
  },
  diff(args, values) {
    if (values.scopes === undefined && values["scopes-file"] === undefined)
      return usage(
        'diff needs the token\'s scopes: --scopes "read:jira-work write:jira-work" or --scopes-file <file>.',
      );
    const limit = wholeNumber("limit", values.limit, MAX_LIMITS.diff);
    if (typeof limit === "object") return limit;
    const endpoints = endpointArgs(args);
    if (!endpoints.ok) return endpoints;
    return built(
      {
        ...defined({ scopes: values.scopes?.join(" "), limit, cursor: values.cursor, credential: values.credential }),
        ...(endpoints.value.length > 0 ? { endpoints: endpoints.value } : {}),
      },
      defined({ scopes: values["scopes-file"], endpoints: values.from }),
    );
  },
  plan(args, values) {
    if (args.length !== 1)
      return usage("plan takes one file: METHOD URL lines, or a HAR file (- reads standard input).");
    // Checked here, in the options' own words: the answer layer's messages name the JSON fields.
    const maxScopes = wholeNumber("max-scopes", values["max-scopes"], MAX_SCOPES_PER_TOKEN);
    if (typeof maxScopes === "object") return maxScopes;
    // Any case, as the answer reads `prefer` (`--prefer Granular`).
    const prefer = values.prefer?.toLowerCase();
    if (prefer !== undefined && !isPreference(prefer))
      return usage(`--prefer must be one of ${PREFERENCES.join(", ")}, not ${JSON.stringify(values.prefer)}.`);
    return built(defined({ prefer, maxScopes, credential: values.credential }), { plan: args[0] });
  },
  explain(args, values) {
    if (args.length !== 3) return usage("explain takes the failed call's METHOD, URL and status, e.g. GET <url> 401.");
    const [method, url, status] = args;
    return built({
      method,
      url,
      status,
      ...defined({ scopes: values.scopes?.join(" "), body: values.body, credential: values.credential }),
    });
  },
};

function built(input: Record<string, unknown>, files: Record<string, unknown> = {}): Built {
  return { ok: true, value: { input, files } };
}

/** The entries whose value is given. */
function defined<T extends Record<string, unknown>>(record: T): Partial<T> {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined)) as Partial<T>;
}

function isMethod(word: string): boolean {
  const method = parseMethod(word);
  return method.ok && method.method !== undefined;
}

/**
 * `GET URL` as two words or one, `URL GET` as two words, or a URL alone (GET), as the answers' `METHOD URL`
 * strings. A method word is the method of the URL after it, else of the URL right before it
 * (`<URL> DELETE` was read as a second endpoint, `DELETE`); between two URLs of no method of their own
 * (`/a DELETE /b`) it could be either's, and is refused rather than guessed.
 */
export function endpointArgs(args: readonly string[]): { ok: true; value: string[] } | Usage {
  const endpoints: string[] = [];
  // The endpoint the previous argument made on its own (no method word before it), which a method after it joins.
  let joinable = -1;
  for (let at = 0; at < args.length; at++) {
    const word = args[at]!;
    const before = joinable >= 0 ? endpoints[joinable] : undefined;
    const previous = joinable;
    joinable = -1;
    if (!isMethod(word)) {
      joinable = endpoints.length;
      endpoints.push(word);
      continue;
    }
    const next = args[at + 1];
    if (next !== undefined && !isMethod(next)) {
      // A URL before with no method of its own (no blank: not a quoted `METHOD URL`) could take this one too.
      if (before !== undefined && !/\s/.test(before.trim()))
        return usage(
          `${word} stands between ${before} and ${next} and could be the method of either: give each method before its URL (${word} ${next}), or quote each endpoint ("${before} ${word}").`,
        );
      endpoints.push(`${word} ${next}`);
      at++;
    } else if (before !== undefined) endpoints[previous] = `${before} ${word}`;
    // A second method after `METHOD URL`: kept with it, for the line reader to refuse as the API does.
    else if (endpoints.length > 0) endpoints[endpoints.length - 1] = `${endpoints.at(-1)} ${word}`;
    else endpoints.push(word);
  }
  return { ok: true, value: endpoints };
}

/** A count option as a number (with `max`, one from 1 to `max`), a usage failure, or undefined when not given. */
function wholeNumber(option: string, value: string | undefined, max?: number): number | undefined | Usage {
  if (value === undefined) return undefined;
  const range = max === undefined ? "" : ` from 1 to ${max}`;
  if (!/^\d{1,6}$/.test(value) || (max !== undefined && (Number(value) < 1 || Number(value) > max)))
    return usage(`--${option} must be a whole number${range}, not ${JSON.stringify(value)}.`);
  return Number(value);
}

/** The instance's base URL without a trailing slash; http(s) only. */
function baseUrl(value: string): { ok: true; value: string } | Usage {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return usage(`--url must be the deployed instance's URL, e.g. https://scope-catalog.example.workers.dev.`);
  }
  // `localhost:8787` parses as a URL whose scheme is `localhost:`: the scheme was left out.
  if (url.protocol !== "https:" && url.protocol !== "http:")
    return usage(
      /^[\w.-]+:\d+(\/|$)/.test(value)
        ? `--url needs its scheme: http://${value} or https://${value}.`
        : `--url must be an http(s) URL, not "${value.slice(0, 100)}".`,
    );
  if (url.username || url.password || url.search || url.hash)
    return usage("--url takes the instance's base URL only: no credentials, query or fragment.");
  return { ok: true, value: url.href.replace(/\/+$/, "") };
}
