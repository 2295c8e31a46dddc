/**
 * `npm run examples`: sends each example request of the OpenAPI document to the app in this process
 * (KV empty, so the bundled snapshot answers: a fixed catalog version) and writes what it answers to
 * src/routes/examples.json, which the route definitions show as their examples. The output is
 * committed; test/routes/examples.test.ts fails when it differs from what the app answers now.
 *
 * The one volatile value, GET /health's age, is pinned by the clock: EXAMPLE_NOW is an hour after the
 * snapshot was published.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import manifest from "../data/manifest.json";
import { REMOVED_EXAMPLE } from "../src/answers/changes";
import { EXAMPLE_ORIGIN, sendInProcess } from "./in-process";

const EXAMPLES_FILE = fileURLToPath(new URL("../src/routes/examples.json", import.meta.url));

/** The clock GET /health's example is answered at: an hour after the bundled snapshot was published. */
export const EXAMPLE_NOW = Date.parse(manifest.publishedAt) + 3_600_000;

interface ExampleRequest {
  method: "GET" | "POST";
  /** Path and query. */
  url: string;
  /** JSON unless `type` says otherwise. */
  body?: unknown;
  type?: string;
}

interface Operation {
  /** The request whose 200 is the example, answered as JSON, text and (where offered) markdown. */
  ok: ExampleRequest;
  /** Requests that fail, each named by the error code it gets. */
  errors: Record<string, ExampleRequest>;
}

const BOARD = "/rest/agile/1.0/board";
const GATEWAY_BOARD = `https://api.atlassian.com/ex/jira/11111111-2222-3333-4444-555555555555${BOARD}`;
const REMOVED = REMOVED_EXAMPLE;
const get = (url: string): ExampleRequest => ({ method: "GET", url });
const post = (url: string, body: unknown, type?: string): ExampleRequest => ({ method: "POST", url, body, type });
const NOT_JSON = (url: string) => post(url, "scopes=read:jira-work", "application/x-www-form-urlencoded");

/** Every OpenAPIHono operation, by operationId. */
export const EXAMPLE_REQUESTS: Record<string, Operation> = {
  getHealth: { ok: get("/health"), errors: {} },
  lookupScopes: {
    ok: get(`/scopes?path=${encodeURIComponent(BOARD)}&method=GET`),
    errors: {
      invalid_request: get("/scopes"),
      invalid_credential: get(`/scopes?path=${encodeURIComponent(BOARD)}&credential=pat`),
      endpoint_not_found: get(`/scopes?path=${encodeURIComponent("/rest/agile/1.0/boards")}`),
      method_not_found: get(`/scopes?path=${encodeURIComponent(BOARD)}&method=PATCH`),
      endpoint_removed: get(`/scopes?path=${encodeURIComponent("/wiki/rest/api/space")}&method=GET`),
    },
  },
  findEndpointsForScope: {
    ok: get("/endpoints?scope=read:board-scope:jira-software&limit=2"),
    errors: {
      invalid_request: get("/endpoints"),
      scope_not_found: get("/endpoints?scope=read:board-scope:jira"),
    },
  },
  diffTokenScopes: {
    ok: post("/diff", {
      scopes: ["read:board-scope:jira-software", "read:board-scope.admin:jira-software"],
      method: "GET",
      path: GATEWAY_BOARD,
    }),
    errors: {
      invalid_request: post("/diff", { path: BOARD }),
      invalid_credential: post("/diff", { scopes: ["read:jira-work"], credential: "app-password", path: BOARD }),
      unsupported_media_type: NOT_JSON("/diff"),
    },
  },
  planScopes: {
    ok: post("/plan", { endpoints: [`GET ${GATEWAY_BOARD}`, { method: "POST", path: "/rest/api/3/issue" }] }),
    errors: {
      no_endpoints: post("/plan", {}),
      invalid_credential: post("/plan", { endpoints: [`GET ${BOARD}`], credential: "oauth" }),
      unsupported_media_type: NOT_JSON("/plan"),
    },
  },
  explainFailure: {
    ok: post("/explain", {
      method: "GET",
      url: `https://acme.atlassian.net${BOARD}`,
      status: 401,
      body: '{"code":401,"message":"Unauthorized; scope does not match"}',
      scopes: ["read:board-scope:jira-software"],
    }),
    errors: {
      invalid_request: post("/explain", { method: "GET", url: BOARD }),
      invalid_credential: post("/explain", { method: "GET", url: BOARD, status: 401, credential: "pat" }),
      unsupported_media_type: NOT_JSON("/explain"),
    },
  },
  listChanges: {
    ok: get(`/changes?path=${encodeURIComponent(REMOVED)}&limit=1`),
    errors: {
      invalid_since: get(`/changes?since=${encodeURIComponent("last week")}`),
      endpoint_not_found: get(`/changes?path=${encodeURIComponent("/rest/api/3/workflows/transitions")}`),
    },
  },
  getChangesFeed: {
    ok: get(`/changes.atom?path=${encodeURIComponent(REMOVED)}`),
    errors: {
      invalid_since: get(`/changes.atom?since=${encodeURIComponent("last week")}`),
      endpoint_not_found: get(`/changes.atom?path=${encodeURIComponent("/rest/api/3/workflows/transitions")}`),
    },
  },
};

interface OperationExamples {
  /** The 200's request, as a client would send it (the body for POST routes). */
  request: { method: string; url: string; body?: unknown };
  /** The 200 in each media type the route answers (an Atom route: `atom`). */
  ok: { json?: unknown; text?: string; markdown?: string; atom?: string };
  /** Each error's request (method and URL) and the `error` object it got, by code. */
  errors: Record<string, { request: string; status: number; error: { code: string; message: string } }>;
}

function send(request: ExampleRequest, accept?: string): Promise<Response> {
  const headers: Record<string, string> = accept ? { accept } : {};
  let body: string | undefined;
  if (request.body !== undefined) {
    headers["content-type"] = request.type ?? "application/json";
    body = typeof request.body === "string" ? request.body : JSON.stringify(request.body);
  }
  return sendInProcess(new Request(`${EXAMPLE_ORIGIN}${request.url}`, { method: request.method, headers, body }));
}

async function expectStatus(response: Response, status: number, what: string): Promise<string> {
  const text = await response.text();
  if (response.status !== status) throw new Error(`${what}: expected ${status}, got ${response.status}: ${text}`);
  return text;
}

/** What the app answers now to every example request. Reads the clock through Date.now: pin it first. */
export async function collectExamples(): Promise<Record<string, OperationExamples>> {
  const examples: Record<string, OperationExamples> = {};
  for (const [operationId, { ok, errors }] of Object.entries(EXAMPLE_REQUESTS)) {
    const what = `${operationId} ${ok.method} ${ok.url}`;
    const first = await send(ok);
    const type = first.headers.get("content-type") ?? "";
    const body = await expectStatus(first, 200, what);
    const answers: OperationExamples["ok"] = {};
    if (type.startsWith("application/atom+xml")) answers.atom = body;
    else {
      answers.json = JSON.parse(body);
      const text = await send(ok, "text/plain");
      // A JSON-only route answers JSON whatever Accept says.
      if (text.headers.get("content-type")?.startsWith("text/plain")) {
        answers.text = await expectStatus(text, 200, what);
        answers.markdown = await expectStatus(await send(ok, "text/markdown"), 200, what);
      } else await text.body?.cancel();
    }
    const failures: OperationExamples["errors"] = {};
    for (const [code, request] of Object.entries(errors)) {
      const response = await send(request);
      const answer = JSON.parse(await response.text());
      if (answer.error?.code !== code)
        throw new Error(`${operationId} ${request.url}: expected ${code}, got ${JSON.stringify(answer)}`);
      failures[code] = { request: `${request.method} ${request.url}`, status: response.status, error: answer.error };
    }
    const request = { method: ok.method, url: ok.url, ...(ok.body === undefined ? {} : { body: ok.body }) };
    examples[operationId] = { request, ok: answers, errors: failures };
  }
  return examples;
}

const examplesText = (examples: unknown) => `${JSON.stringify(examples, null, 2)}\n`;

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const realNow = Date.now;
  Date.now = () => EXAMPLE_NOW;
  try {
    const text = examplesText(await collectExamples());
    const changed = text !== readFileSync(EXAMPLES_FILE, "utf8");
    if (changed) writeFileSync(EXAMPLES_FILE, text);
    console.log(`${EXAMPLES_FILE}: ${changed ? "written" : "unchanged"}`);
  } finally {
    Date.now = realNow;
  }
}
