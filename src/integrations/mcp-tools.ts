/**
 * The MCP tools: the catalog's queries (lookup, reverse lookup, diff, plan, explain), each validated
 * by the input schema of the HTTP route it calls and answered by that route's `?format=text` answer.
 */
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import type { z } from "@hono/zod-openapi";
import { diff } from "../routes/diff";
import { endpoints } from "../routes/endpoints";
import { explain } from "../routes/explain";
import { plan } from "../routes/plan";
import { scopes } from "../routes/scopes";
import type { ApiAnswer, ApiCall } from "./call-api";
import { suggestionsOf } from "./call-api";
import { routeInputSchema, toolInputSchema } from "./route-schemas";

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
  /** The route call for validated arguments. */
  call: (args: Record<string, unknown>) => ApiCall;
}

/** Built on first use: the route modules register their schemas when they load. */
let specs: ToolSpec[] | undefined;

export function toolSpecs(): ToolSpec[] {
  specs ??= [
    {
      name: "lookup_scopes",
      title: "Scopes an Atlassian endpoint requires",
      description:
        "Which OAuth 2.0 / API-token scopes an Atlassian Cloud REST endpoint requires. `path` takes a bare path or any URL form: site (https://acme.atlassian.net/...), " +
        "scoped-token gateway (https://api.atlassian.com/ex/jira/{cloudId}/... or .../ex/confluence/{cloudId}/wiki/...), Bitbucket (https://api.bitbucket.org/2.0/...), Assets. " +
        'Per matching endpoint: its scope sets ("needs: a + b", "or: c": any one set suffices, every scope in a set is needed), classic or granular, notes (e.g. Jira Software has no classic scopes, scoped tokens must use the api.atlassian.com gateway) and the docs link. ' +
        "Leave out `method` for every method of the path. An unknown path answers an error with the nearest known paths.",
      inputSchema: toolInputSchema(
        routeInputSchema(scopes, "get"),
        { path: PATH, method: `${METHOD} Leave out for every method of the path.` },
        ["format"],
      ),
      call: (args) => ({ method: "GET", path: "/scopes", query: pick(args, ["path", "method"]) }),
    },
    {
      name: "find_endpoints_for_scope",
      title: "Endpoints a scope unlocks",
      description:
        "Reverse lookup: the Atlassian Cloud REST endpoints a scope appears in, and for each whether the scope suffices alone or which other scopes it needs beside it. " +
        'An unknown scope name answers an error with the nearest names (e.g. read:board-scope:jira → read:board-scope:jira-software). Paginated: pass the cursor shown after "more:" to continue.',
      inputSchema: toolInputSchema(
        routeInputSchema(endpoints, "get"),
        {
          scope: "A scope name, e.g. read:board-scope:jira-software, read:jira-work or read:pullrequest:bitbucket.",
          method: "Only endpoints with this HTTP method.",
          limit: "Page size, 1 to 500; default 50.",
          cursor: 'The cursor shown after "more:" in the previous answer.',
        },
        ["format"],
      ),
      call: (args) => ({
        method: "GET",
        path: "/endpoints",
        query: pick(args, ["scope", "product", "method", "limit", "cursor"]),
      }),
    },
    {
      name: "diff_token_scopes",
      title: "What a token's scopes lack",
      description:
        "Checks a token's scopes against endpoints. Give `scopes` and the endpoints (`path` + `method` for one, or `endpoints`). Per endpoint: OK and via which scopes, " +
        "or MISSING and the smallest set of scopes to add, with hints on near misses (e.g. read:board-scope.admin:jira-software does not stand in for read:board-scope:jira-software; " +
        "classic scopes such as read:jira-work do not count for Jira Software). Also lists unknown scope names (with suggestions) and scopes the endpoints do not use. " +
        "Without endpoints it lists what the scopes can call (paginated with `limit` and `cursor`). A token's scopes cannot be edited: the fix is a new token with the missing scopes.",
      inputSchema: toolInputSchema(routeInputSchema(diff, "post"), {
        scopes: SCOPES,
        path: `One endpoint to check. ${PATH}`,
        method: `${METHOD} With \`path\`; leave out to check every method of the path.`,
        endpoints: `${ENDPOINTS} Leave out \`path\` and \`endpoints\` to list what the scopes can call.`,
        limit: "Without endpoints: page size of the list of callable endpoints, default 100.",
        cursor: 'Without endpoints: the cursor shown after "more:" in the previous answer.',
      }),
      call: (args) => ({ method: "POST", path: "/diff", body: args }),
    },
    {
      name: "plan_scopes",
      title: "Least-privilege scopes for an integration",
      description:
        "The smallest set of scopes that covers every endpoint an integration calls, choosing one scope set per endpoint. Give `endpoints` or `text` (one METHOD URL per line). " +
        "When the set is over `maxScopes` (default 50, the cap on service-account tokens) the endpoints are split over as few tokens as possible. " +
        "Endpoints that publish no scopes and inputs that match no endpoint are listed apart.",
      inputSchema: toolInputSchema(
        routeInputSchema(plan, "post"),
        {
          endpoints: ENDPOINTS,
          text: 'Alternatively, one "METHOD URL" per line.',
          prefer: "Tie-break between equally small plans: fewest (default), granular or classic.",
          maxScopes: "Scopes per token, 1 to 500; default 50.",
        },
        ["har", "log"],
      ),
      call: (args) => ({ method: "POST", path: "/plan", body: args }),
    },
    {
      name: "explain_failure",
      title: "Why did an Atlassian call fail?",
      description:
        'Explains a failed Atlassian Cloud REST call, e.g. 401 "Unauthorized; scope does not match". Give the call\'s `method`, `url` and HTTP `status`, and when available the response `body` ' +
        "and the token's `scopes`. Answers numbered findings, most important first, each with its fix: a scoped token calling the site URL instead of https://api.atlassian.com/ex/{product}/{cloudId}/..., " +
        "an unknown endpoint, the missing scopes, classic scopes on Jira Software, deprecated endpoints, misspelt scope names. Use it first whenever an Atlassian call is refused.",
      inputSchema: toolInputSchema(routeInputSchema(explain, "post"), {
        method: "The failed call's HTTP method, e.g. GET.",
        url: "The URL (or path) the failed call went to, exactly as called.",
        status: "The HTTP status it got, e.g. 401.",
        body: 'The response body, as text or JSON, e.g. {"code":401,"message":"Unauthorized; scope does not match"}.',
        scopes:
          "The token's scope names, if known: a list or one string separated by spaces, commas or newlines. Never the token.",
      }),
      call: (args) => ({ method: "POST", path: "/explain", body: args }),
    },
  ];
  return specs;
}

function pick(args: Record<string, unknown>, names: readonly string[]): Record<string, string | number | undefined> {
  const query: Record<string, string | number | undefined> = {};
  for (const name of names) {
    const value = args[name];
    if (typeof value === "string" || typeof value === "number") query[name] = value;
  }
  return query;
}

/** The route's text answer, or its error as a tool error with the API's message (and suggestions). */
export function toolResult(answer: ApiAnswer): CallToolResult {
  if (answer.ok) return { content: [{ type: "text", text: answer.text }] };
  const suggestions = suggestionsOf(answer);
  const text = `${answer.message}${suggestions.length > 0 ? `\nNearest: ${suggestions.join(", ")}` : ""}\n(error ${answer.code}, HTTP ${answer.status})`;
  return { content: [{ type: "text", text }], isError: true };
}

export function registerTools(server: McpServer, run: (call: ApiCall) => Promise<ApiAnswer>): void {
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
      async (args: Record<string, unknown>) => toolResult(await run(spec.call(args))),
    );
  }
}
