/**
 * The MCP tools: the catalog's queries (lookup, reverse lookup, diff, plan, explain), each validated
 * by the input schema of its answer (src/answers/) and answered by the same text lines as `?format=text`.
 */
import { z } from "@hono/zod-openapi";
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { DiffInputSchema } from "../answers/diff";
import { ExplainInputSchema } from "../answers/explain";
import { LookupInputSchema } from "../answers/lookup";
import { PlanInputSchema } from "../answers/plan";
import { FAILURE_STATUS, type FailureReason } from "../answers/result";
import { ReverseInputSchema } from "../answers/reverse";
import { textLine } from "../views/escape";
import { suggestionsBeyond } from "../views/text";
import { type Question, type TextAnswer, suggestionsOf } from "./ask";

export const MCP_INSTRUCTIONS =
  "Scope Catalog knows which OAuth 2.0 / API-token scopes every Atlassian Cloud REST endpoint (Jira, Jira Software, Jira Service Management, Assets, Confluence, Bitbucket) requires, " +
  'from a catalog scraped daily from Atlassian\'s published REST documents. When an Atlassian call fails with 401 "Unauthorized; scope does not match" (or 403, or 404 on a scoped token), ' +
  "call explain_failure with the call's method, URL, status and, if known, the token's scopes. To check a token against endpoints use diff_token_scopes; to choose scopes for a new " +
  "integration use plan_scopes. Atlassian cannot show a token's scopes afterwards: ask the user for the scope names. Never ask for or send the token itself.";

const PATH =
  "The Atlassian request path or full URL, e.g. https://api.atlassian.com/ex/jira/<cloudId>/rest/agile/1.0/board, https://acme.atlassian.net/rest/api/3/issue/ABC-1 or /wiki/api/v2/pages/123. Query strings are ignored; concrete values (ABC-1) match templates.";
const METHOD = "HTTP method, e.g. GET.";
const SCOPES =
  "The token's scope names: a list, one string separated by spaces, commas or newlines (as copied from Atlassian's token form), or the admin API's token list [{id, label, scopes}] (answered per token). Scope names only, never the token.";
const ENDPOINTS =
  'Endpoints as "METHOD URL" strings ("GET /rest/agile/1.0/board") or {method, path} objects; at most 1000.';

export interface ToolSpec {
  name: string;
  title: string;
  description: string;
  inputSchema: z.ZodObject;
  /** The question for validated arguments. */
  ask: (args: Record<string, unknown>) => Question;
  /** The tool's own wording of a failure whose API message names fields the tool does not take. */
  failures?: Partial<Record<FailureReason, string>>;
}

const CREDENTIAL =
  "Optional: the kind of credential that makes the calls (oauth2-3lo, forge, scoped-api-token, connect, bitbucket-oauth-consumer, bitbucket-api-token, bitbucket-access-token, bitbucket-repository-access-token, bitbucket-project-access-token, bitbucket-workspace-access-token). Only the scope sets it can hold are proposed; the others are shown with why not. E.g. a Bitbucket API token holds read:user:bitbucket, never the OAuth-consumer scope account.";

/** Built on first use: an isolate that never answers /mcp never builds them. */
let specs: ToolSpec[] | undefined;

function toolSpecs(): ToolSpec[] {
  specs ??= [
    {
      name: "lookup_scopes",
      title: "Scopes an Atlassian endpoint requires",
      description:
        "Which OAuth 2.0 / API-token scopes an Atlassian Cloud REST endpoint requires. `path` takes a bare path or any URL form: site (https://acme.atlassian.net/...), " +
        "scoped-token gateway (https://api.atlassian.com/ex/jira/{cloudId}/... or .../ex/confluence/{cloudId}/wiki/...), Bitbucket (https://api.bitbucket.org/2.0/...), Assets. " +
        'Per matching endpoint: its scope sets ("needs: a + b", "or: c": any one set suffices, every scope in a set is needed), classic or granular, notes (e.g. Jira Software has no classic scopes, scoped tokens must use the api.atlassian.com gateway) and the docs link. ' +
        "Mistakes in the URL (api.atlassian.com without /ex/{product}/{cloudId}, the other product's gateway, a missing /wiki or /2.0, a mistyped host, a browser link such as /browse/ABC-1) are answered with the endpoint meant and a note with a code and the corrected URL. " +
        "Leave out `method` for every method of the path. An unknown path answers an error with the nearest known paths.",
      inputSchema: toolInputSchema(LookupInputSchema, {
        path: PATH,
        method: `${METHOD} Leave out for every method of the path.`,
        credential: CREDENTIAL,
        context:
          "Kept for compatibility: `forge` is an alias of credential `forge` (a Forge app calls with requestJira/requestConfluence and a site-relative path, so the notes never advise the api.atlassian.com/ex/ gateway). Prefer credential.",
      }),
      ask: (args) => ({ kind: "lookup", input: args }),
    },
    {
      name: "find_endpoints_for_scope",
      title: "Endpoints a scope unlocks",
      description:
        "Reverse lookup: the Atlassian Cloud REST endpoints a scope appears in, and for each whether the scope suffices alone or which other scopes it needs beside it. " +
        'An unknown scope name answers an error with the nearest names (e.g. read:board-scope:jira → read:board-scope:jira-software); a real Atlassian scope that no catalogued endpoint takes (read:account, storage:app, Compass or Teamwork Graph scopes) answers no endpoints and names the API that uses it; a deprecated one (project:write, Bitbucket) answers no endpoints and names the scope that replaced it (project:admin). A Connect app scope (READ, WRITE, ACT_AS_USER) lists what a Connect app holding it can call. Paginated: pass the cursor shown after "more:" to continue.',
      inputSchema: toolInputSchema(ReverseInputSchema, {
        scope: "A scope name, e.g. read:board-scope:jira-software, read:jira-work or read:pullrequest:bitbucket.",
        method: "Only endpoints with this HTTP method.",
        limit: "Page size, 1 to 500; default 50.",
        cursor: 'The cursor shown after "more:" in the previous answer.',
      }),
      ask: (args) => ({ kind: "reverse", input: args }),
    },
    {
      name: "diff_token_scopes",
      title: "What a token's scopes lack",
      description:
        "Checks a token's scopes against endpoints. Give `scopes` and the endpoints (`path` + `method` for one, or `endpoints`). Per endpoint: OK and via which scopes, " +
        "or MISSING and the smallest set of scopes to add, with hints on near misses (e.g. read:board-scope.admin:jira-software does not stand in for read:board-scope:jira-software; " +
        "classic scopes such as read:jira-work do not count for Jira Software). Also lists unknown scope names (with suggestions), real scopes of APIs outside the catalog (named), deprecated scopes (with the scope that replaced them) and scopes the endpoints do not use. " +
        "Without endpoints it lists what the scopes can call (paginated with `limit` and `cursor`). A token's scopes cannot be edited: the fix is a new token with the missing scopes.",
      inputSchema: toolInputSchema(DiffInputSchema, {
        scopes: SCOPES,
        path: `One endpoint to check. ${PATH}`,
        method: `${METHOD} With \`path\`; GET when left out.`,
        credential: `${CREDENTIAL} When left out, it is inferred from the scopes where they point to one kind (the answer says so).`,
        endpoints: `${ENDPOINTS} Leave out \`path\` and \`endpoints\` to list what the scopes can call.`,
        limit: "Without endpoints: page size of the list of callable endpoints, default 100.",
        cursor: 'Without endpoints: the cursor shown after "more:" in the previous answer.',
      }),
      ask: (args) => ({ kind: "diff", input: args }),
    },
    {
      name: "plan_scopes",
      title: "Least-privilege scopes for an integration",
      description:
        "The smallest set of scopes that covers every endpoint an integration calls, choosing one scope set per endpoint. Give `endpoints` or `text` (one METHOD URL per line). " +
        "When the set is over `maxScopes` (default 50, the cap on service-account tokens) the endpoints are split over as few tokens as possible. " +
        "Endpoints that publish no scopes and inputs that match no endpoint are listed apart.",
      inputSchema: toolInputSchema(
        PlanInputSchema,
        {
          endpoints: ENDPOINTS,
          text: 'Alternatively, one "METHOD URL" per line.',
          prefer: "Tie-break between equally small plans: fewest (default), granular or classic.",
          maxScopes: "Scopes per token, 1 to 500; default 50.",
          credential: `${CREDENTIAL} Without it, the plan still gives one token per credential (Bitbucket's OAuth-consumer scopes never beside others).`,
        },
        ["har", "log"],
      ),
      ask: (args) => ({ kind: "plan", input: args }),
      // The API's message also offers `har`, which this tool leaves out.
      failures: {
        no_endpoints:
          'Give the endpoints to plan for: `endpoints` ("METHOD URL" strings or {method, path} objects) or `text` (one METHOD URL per line).',
      },
    },
    {
      name: "explain_failure",
      title: "Why did an Atlassian call fail?",
      description:
        'Explains a failed Atlassian Cloud REST call, e.g. 401 "Unauthorized; scope does not match". Give the call\'s `method`, `url` and HTTP `status`, and when available the response `body` ' +
        "and the token's `scopes`. Answers numbered findings, most important first, each with its fix: a scoped token calling the site URL instead of https://api.atlassian.com/ex/{product}/{cloudId}/..., " +
        "an unknown endpoint, the missing scopes, classic scopes on Jira Software, deprecated endpoints, misspelt scope names. Use it first whenever an Atlassian call is refused.",
      inputSchema: toolInputSchema(ExplainInputSchema, {
        method: "The failed call's HTTP method, e.g. GET.",
        url: "The URL (or path) the failed call went to, exactly as called.",
        status: "The HTTP status it got, e.g. 401.",
        body: 'The response body, as text or JSON, e.g. {"code":401,"message":"Unauthorized; scope does not match"}.',
        scopes:
          "The token's scope names, if known: a list or one string separated by spaces, commas or newlines. Never the token.",
        credential: CREDENTIAL,
      }),
      ask: (args) => ({ kind: "explain", input: args }),
    },
  ];
  return specs;
}

/** The answer's text lines, or its failure as a tool error with the API's message (and suggestions). */
function toolResult(answer: TextAnswer, failures: ToolSpec["failures"] = {}): CallToolResult {
  if (answer.ok) return { content: [{ type: "text", text: answer.text }] };
  const { reason } = answer.failure;
  const message = failures[reason] ?? answer.failure.message;
  const { rest, asked } = suggestionsBeyond(message, suggestionsOf(answer.failure));
  // The message may echo the input: one line, so it cannot forge a line of its own.
  const text = `${textLine(message)}${rest.length > 0 ? `\n${asked ? "Also near" : "Nearest"}: ${rest.map(textLine).join(", ")}` : ""}\n(error ${reason}, HTTP ${FAILURE_STATUS[reason]})`;
  return { content: [{ type: "text", text }], isError: true };
}

/**
 * The tool's input: the answer's schema with the descriptions assistants read; fields in `omit` left
 * out (e.g. a HAR document, which no assistant sends).
 */
function toolInputSchema(
  base: z.ZodObject,
  descriptions: Record<string, string>,
  omit: readonly string[] = [],
): z.ZodObject {
  const shape: Record<string, z.ZodType> = {};
  for (const [name, field] of Object.entries(base.shape as Record<string, z.ZodType>)) {
    if (omit.includes(name)) continue;
    const description = descriptions[name];
    shape[name] = description ? field.describe(description) : field;
  }
  for (const name of Object.keys(descriptions))
    if (!(name in shape)) throw new Error(`the answer's schema has no field ${name}`);
  return z.object(shape);
}

export function registerTools(server: McpServer, run: (question: Question) => Promise<TextAnswer>): void {
  for (const spec of toolSpecs()) {
    server.registerTool(
      spec.name,
      {
        title: spec.title,
        description: spec.description,
        inputSchema: spec.inputSchema,
        annotations: {
          title: spec.title,
          readOnlyHint: true,
          destructiveHint: false,
          idempotentHint: true,
          openWorldHint: false,
        },
      },
      async (args: Record<string, unknown>) => toolResult(await run(spec.ask(args)), spec.failures),
    );
  }
}
