/**
 * `scope-catalog`, the command line (bin/scope-catalog.mjs runs it): the API's questions answered from
 * the catalog bundled with the package, or from a deployed instance with `--url`. Text as the API's
 * `?format=text` writes it, or the answer's JSON with `--json`. The exit status is for pipelines: see
 * EXIT. All I/O goes through `Io`, so tests run it in-process.
 */
import { readFile } from "node:fs/promises";
import { credentialMessage, findSecretInRequest } from "../middleware/secret-scan";
import { textLine } from "../views/escape";
import { replacedInputs, unmatchedStatus } from "../answers/plan-inputs";
import { suggestionsBeyond, withPagingHint } from "../views/text";
import { type Invocation, parseCommandLine } from "./command-line";
import { endpointsOf, planInputOf, type Read, scopesOf } from "./file-input";
import { failed, offlineAnswerer } from "./offline";
import { remoteAnswerer } from "./remote";
import type { Reply } from "./reply";

export const EXIT = {
  /** Answered (a diff: every endpoint checked has the scopes it needs, or publishes none). */
  ok: 0,
  /** A diff is unsatisfied: an endpoint lacks scopes, or an input matched no endpoint. */
  unsatisfied: 1,
  /** A usage error, or input the API refuses (invalid, a credential, no such endpoint or scope). */
  usage: 2,
  /** No answer: the instance could not be reached, failed, or limited the rate; or no catalog could be read. */
  unavailable: 3,
} as const;

export interface Io {
  stdout(text: string): void;
  stderr(text: string): void;
  /** A file's text; `-` is standard input. */
  readFile(path: string): Promise<string>;
  /** For `--url`; the global fetch when absent. */
  fetch?: typeof globalThis.fetch;
}

export const HELP = `Usage: scope-catalog <command> [arguments] [--json] [--url <base>]

Which OAuth scopes Atlassian Cloud REST endpoints need, from the catalog bundled with this package,
or from a deployed Scope Catalog with --url https://... (the same answers over its HTTP API).

Commands:
  scopes <path|url> [method]          the scopes an endpoint needs (every method when none is given)
      [--context forge]               alias of --credential forge: notes give the requestJira/requestConfluence path
  endpoints <scope>                   the endpoints a scope appears in
      [--product p] [--method m] [--limit n] [--cursor c]
  diff --scopes "<a b ...>" [<METHOD URL>...]
                                      what the scopes lack for each endpoint; with no endpoint,
                                      what they can call ([--limit n] [--cursor c])
      [--scopes-file f]               the scopes from a file: names, or the admin API's token list
      [--from <file|HAR>]             endpoints from METHOD URL lines or a HAR file (repeatable)
  plan <file|HAR|->                   the smallest scope set for every call in the file
      [--prefer fewest|granular|classic] [--max-scopes n]
  explain <METHOD> <URL> <status>     why a call failed, and the fix
      [--scopes "<a b ...>"] [--body <response body>]

Options:
  --credential k  scopes, diff, plan, explain: the credential that will call (oauth2-3lo, forge,
                scoped-api-token, connect, bitbucket-oauth-consumer, bitbucket-api-token,
                bitbucket-access-token, bitbucket-{repository,project,workspace}-access-token): only the
                scope sets it can hold are proposed
  --json        the answer's JSON instead of text lines (errors: the API's {"error": ...} on stdout too)
  --url <base>  ask a deployed instance, e.g. https://scope-catalog.example.workers.dev
  -h, --help    this help

An endpoint is METHOD URL (two words, or one quoted), URL METHOD (two words) or a URL alone (GET in diff and plan); a URL may be a path, a site URL or
an api.atlassian.com gateway URL. Of a HAR file only each request's method and URL (without the query)
are read or sent. Credentials are refused before anything is sent.

Exit status: 0 answered; 1 diff unsatisfied (an endpoint lacks scopes or matched none) or plan
incomplete (an endpoint matched none, was removed or fits in no token); 2 usage error or
input refused (message on stderr); 3 no answer (instance unreachable or failing).
`;

/** Runs one command line; resolves to its exit status. Never throws. */
export async function main(argv: readonly string[], io: Io): Promise<number> {
  const parsed = parseCommandLine(argv);
  if (!parsed.ok) {
    io.stderr(`scope-catalog: ${parsed.usage}\nRun scope-catalog --help for usage.\n`);
    return EXIT.usage;
  }
  if (parsed.value.help) {
    io.stdout(HELP);
    return EXIT.ok;
  }
  const invocation = parsed.value;
  const input = await inputOf(invocation, io);
  if (!input.ok) {
    io.stderr(`scope-catalog: ${input.usage}\n`);
    return EXIT.usage;
  }
  // Before anything is sent or answered: the API refuses credentials, and with --url it would be too late.
  // Read as the HTTP guard reads a JSON body: as sent, and each string unescaped (a newline before a
  // token is `\n` in JSON, which hides the token's word start from a scan of the JSON text alone).
  const body = JSON.stringify(input.value);
  const secret = findSecretInRequest({ body });
  const reply = secret
    ? failed({ reason: "credential_detected", message: credentialMessage(secret) })
    : await answer(invocation, input.value, io);
  return report(reply, invocation, io);
}

type Asked = Extract<Invocation, { command: string }>;

async function answer(invocation: Asked, input: Record<string, unknown>, io: Io): Promise<Reply> {
  const answerer = invocation.url ? remoteAnswerer(invocation.url, io.fetch) : offlineAnswerer();
  try {
    return await answerer(invocation.kind, input, invocation.json ? "json" : "text");
  } catch (error) {
    // Only the bundled catalog can throw (it could not be read): a broken install, not the user's input.
    return {
      ok: false,
      status: 503,
      error: {
        code: "catalog_unavailable",
        message: `The bundled catalog could not be read: ${error instanceof Error ? error.message : String(error)}`,
      },
    };
  }
}

/** The arguments' input with the files they name read into it. */
async function inputOf(invocation: Asked, io: Io): Promise<Read<Record<string, unknown>>> {
  const input = { ...invocation.input };
  const { files } = invocation;
  if (files.plan !== undefined) {
    const text = await read(files.plan, io);
    if (!text.ok) return text;
    const plan = planInputOf(files.plan, text.value);
    if (!plan.ok) return plan;
    Object.assign(input, plan.value);
  }
  if (files.scopes !== undefined) {
    const text = await read(files.scopes, io);
    if (!text.ok) return text;
    const scopes = scopesOf(files.scopes, text.value);
    if (!scopes.ok) return scopes;
    if (input.scopes !== undefined && typeof scopes.value !== "string")
      return { ok: false, usage: `${files.scopes} is a JSON token list: give it alone, without --scopes.` };
    input.scopes = input.scopes === undefined ? scopes.value : `${input.scopes} ${scopes.value}`;
  }
  for (const file of files.endpoints ?? []) {
    const text = await read(file, io);
    if (!text.ok) return text;
    const endpoints = endpointsOf(file, text.value);
    if (!endpoints.ok) return endpoints;
    if (endpoints.value.length === 0)
      return { ok: false, usage: `${file} holds no endpoint: METHOD URL lines, or a HAR with Atlassian API calls.` };
    input.endpoints = [...((input.endpoints as unknown[] | undefined) ?? []), ...endpoints.value];
  }
  return { ok: true, value: input };
}

async function read(path: string, io: Io): Promise<Read<string>> {
  try {
    return { ok: true, value: await io.readFile(path) };
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    return { ok: false, usage: `${path} cannot be read${typeof code === "string" ? ` (${code})` : ""}.` };
  }
}

/** Writes the reply and returns the exit status. */
function report(reply: Reply, invocation: Asked, io: Io): number {
  if (!reply.ok) {
    if (invocation.json) io.stdout(`${JSON.stringify({ error: reply.error }, null, 2)}\n`);
    const lines = [`scope-catalog: ${reply.error.message}`];
    const details = reply.error.details as { suggestions?: unknown } | undefined;
    if (Array.isArray(details?.suggestions)) {
      const { rest, asked } = suggestionsBeyond(reply.error.message, details.suggestions.map(String));
      if (rest.length > 0) lines.push(asked ? "also:" : "suggestions:", ...rest.map((item) => `  ${item}`));
    }
    // Messages and suggestions can come from a remote instance: each stays one inert line.
    io.stderr(`${lines.map(textLine).join("\n")}\n`);
    const unavailable = reply.status === 0 || reply.status === 429 || reply.status >= 500;
    return unavailable ? EXIT.unavailable : EXIT.usage;
  }
  if (reply.format === "text") io.stdout(withPagingHint(reply.text, (cursor) => `add --cursor ${cursor}`));
  else io.stdout(`${JSON.stringify(reply.json, null, 2)}\n`);
  if (invocation.kind === "plan")
    return (reply.format === "text" ? textUnplanned(reply.text) : jsonUnplanned(reply.json))
      ? EXIT.unsatisfied
      : EXIT.ok;
  if (invocation.kind !== "diff") return EXIT.ok;
  const unsatisfied = reply.format === "text" ? textUnsatisfied(reply.text) : jsonUnsatisfied(reply.json);
  return unsatisfied ? EXIT.unsatisfied : EXIT.ok;
}

/**
 * A plan's text (`planText`) has one line per endpoint it could not plan for, starting `not found: `,
 * `removed: ` (a removed one whose replacement it planned is `replaced: `) or `left out: ` (it fits in no
 * token under the cap): the plan does not cover the whole input.
 */
function textUnplanned(text: string): boolean {
  return text
    .split("\n")
    .some((line) => line.startsWith("not found: ") || line.startsWith("removed: ") || line.startsWith("left out: "));
}

function jsonUnplanned(json: unknown): boolean {
  // A remote instance's JSON: read as the plan's shape, every part optional.
  const plan = json as {
    unmatched?: { input?: { method?: string; path?: string }; error?: { code?: string } }[];
    endpoints?: { input?: { method?: string; path?: string }; replaces?: string }[];
    unfit?: unknown[];
  };
  const replaced = replacedInputs(plan.endpoints ?? []);
  if ((plan.unfit?.length ?? 0) > 0) return true;
  return (plan.unmatched ?? []).some((item) => unmatchedStatus(item, replaced) !== "replaced");
}

/**
 * A diff's text (src/views/text.ts `diffText`) has one line per checked endpoint, starting `MISSING `,
 * `ERROR   ` or `REMOVED ` when it is unsatisfied, matched nothing or was removed (the call fails
 * whatever the scopes); no value can start a line (textLines).
 */
function textUnsatisfied(text: string): boolean {
  return text
    .split("\n")
    .some((line) => line.startsWith("MISSING ") || line.startsWith("ERROR ") || line.startsWith("REMOVED "));
}

/** A diff's JSON: one answer at the top level, or one per token under `tokens`, each with its `summary`. */
function jsonUnsatisfied(json: unknown): boolean {
  const answer = json as { tokens?: unknown; summary?: unknown };
  const tokens = (Array.isArray(answer.tokens) ? answer.tokens : [answer]) as {
    summary?: { unsatisfied?: number; errors?: number };
  }[];
  return tokens.some((token) => (token.summary?.unsatisfied ?? 0) + (token.summary?.errors ?? 0) > 0);
}

/** The process's own I/O, for the bin. */
export function processIo(): Io {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    readFile: async (path) => {
      if (path !== "-") return readFile(path, "utf8");
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks).toString("utf8");
    },
  };
}
