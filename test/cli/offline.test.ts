/**
 * The command line on the bundled catalog, in-process: each command's text (compared with what the
 * integrations' `ask` renders, the API's `?format=text` lines) and JSON, exit statuses, usage errors,
 * and credentials refused without being echoed.
 */
import { describe, expect, it } from "vitest";
import { type Question, ask } from "../../src/integrations/ask";
import { catalogFor } from "../../src/storage/served";
import { MemoryKv } from "../helpers/memory-kv";
import { runCli } from "./cli-run";

const BOARD = "https://api.atlassian.com/ex/jira/x/rest/agile/1.0/board";
const catalog = () => catalogFor(new MemoryKv());

/** The text the answer layer gives for a question: the CLI must print exactly this. */
async function askText(question: Question): Promise<string> {
  const answer = await ask(catalog, question);
  if (!answer.ok) throw new Error(answer.failure.message);
  return answer.text;
}

describe("scopes", () => {
  it("prints the lookup's text lines", async () => {
    const run = await runCli(["scopes", "/rest/agile/1.0/board", "GET"]);
    expect(run).toMatchObject({ code: 0, stderr: "" });
    expect(run.stdout).toBe(await askText({ kind: "lookup", input: { path: "/rest/agile/1.0/board", method: "GET" } }));
    expect(run.stdout).toContain("needs: read:board-scope:jira-software + read:project:jira  (granular, Current)");
  });

  it("--context forge: the notes give requestConfluence's path, as the answer layer renders them", async () => {
    const url = "https://api.atlassian.com/ex/jira/x/wiki/api/v2/pages/123";
    const run = await runCli(["scopes", url, "GET", "--context", "forge"]);
    expect(run).toMatchObject({ code: 0, stderr: "" });
    expect(run.stdout).toBe(await askText({ kind: "lookup", input: { path: url, method: "GET", context: "forge" } }));
    expect(run.stdout).toContain("note: A Forge app calls this with requestConfluence(route`/wiki/api/v2/pages/123`)");
  });

  it("takes the method first too, and every method without one", async () => {
    const first = await runCli(["scopes", "get", "/rest/agile/1.0/board"]);
    expect(first.stdout).toBe((await runCli(["scopes", "/rest/agile/1.0/board", "GET"])).stdout);
    const all = await runCli(["scopes", BOARD]);
    expect(all.stdout).toContain("POST /rest/agile/1.0/board  [jira-software] Create board");
  });

  it("prints the answer's JSON with --json", async () => {
    const run = await runCli(["scopes", BOARD, "GET", "--json"]);
    const answer = JSON.parse(run.stdout);
    expect(run.code).toBe(0);
    expect(answer.catalog.source).toBe("snapshot");
    expect(answer.query).toMatchObject({ method: "GET", matchedPath: "/rest/agile/1.0/board" });
    expect(answer.endpoints[0].alternatives).toEqual([
      { kind: "granular", state: "Current", scopes: ["read:board-scope:jira-software", "read:project:jira"] },
    ]);
  });

  it("answers an unknown path with exit 2, the API's message and its suggestions on stderr", async () => {
    const run = await runCli(["scopes", "/rest/agile/1.0/boards"]);
    expect(run).toMatchObject({ code: 2, stdout: "" });
    expect(run.stderr).toContain("No Atlassian Cloud endpoint in the catalog matches /rest/agile/1.0/boards.");
    expect(run.stderr).toContain("suggestions:\n  /rest/agile/1.0/board\n");
  });

  it("an unknown scope: the message's 'Did you mean' is not listed again, the other suggestions are", async () => {
    const run = await runCli(["endpoints", "read:jira-wrok"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      "scope-catalog: No scope read:jira-wrok in the catalog. Did you mean read:jira-work?\nalso:\n  read:jira-user\n",
    );
  });

  it("with --json also prints the API's error body on stdout", async () => {
    const run = await runCli(["scopes", "/rest/agile/1.0/board", "PATCH", "--json"]);
    expect(run.code).toBe(2);
    expect(JSON.parse(run.stdout)).toEqual({
      error: {
        code: "method_not_found",
        message: "/rest/agile/1.0/board exists, but not with PATCH; it takes GET, POST.",
        details: { path: "/rest/agile/1.0/board", methods: ["GET", "POST"] },
      },
    });
  });
});

describe("endpoints", () => {
  it("pages through a scope's endpoints", async () => {
    const input = { scope: "read:board-scope:jira-software", limit: 2 };
    const run = await runCli(["endpoints", input.scope, "--limit", "2"]);
    expect(run.code).toBe(0);
    // The API's text, with its paging line in the CLI's own words.
    const api = await askText({ kind: "reverse", input });
    const cursor = /more: add &cursor=(\S+)/.exec(api)![1]!;
    expect(run.stdout).toBe(api.replace(`more: add &cursor=${cursor}`, `more: add --cursor ${cursor}`));
    const page = JSON.parse((await runCli(["endpoints", input.scope, "--limit", "2", "--json"])).stdout);
    expect(page.endpoints).toHaveLength(2);
    const next = JSON.parse(
      (await runCli(["endpoints", input.scope, "--limit", "2", "--cursor", page.nextCursor, "--json"])).stdout,
    );
    expect(next.offset).toBe(2);
  });

  it("refuses a cursor past the end with exit 2, saying to start again", async () => {
    // o:1000000 printed "51 endpoints, showing 1000001-1000000" and exited 0.
    const run = await runCli(["endpoints", "read:jira-user", "--limit", "2", "--cursor", "bzoxMDAwMDAw"]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toMatch(/`cursor` points past the end of the \d+ results; leave it out to start again/);
  });

  it("refuses an unknown scope with the nearest name", async () => {
    const run = await runCli(["endpoints", "read:board-scope:jira"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("Did you mean read:board-scope:jira-software?");
  });
});

describe("diff", () => {
  it("a method after a URL, as its own argument, is that URL's (was read as an endpoint, DELETE)", async () => {
    const want = await askText({
      kind: "diff",
      input: { scopes: "read:jira-work", endpoints: ["/rest/api/3/issue/ABC-1 DELETE", "GET /rest/api/3/myself"] },
    });
    const run = await runCli([
      "diff",
      "--scopes",
      "read:jira-work",
      "/rest/api/3/issue/ABC-1",
      "DELETE",
      "GET",
      "/rest/api/3/myself",
    ]);
    expect(run.stdout).toBe(want);
    expect(run.stdout).toContain("MISSING DELETE /rest/api/3/issue/{issueIdOrKey}");
    expect(run.stdout).not.toMatch(/ERROR\s+DELETE\b/);
    // The last argument too, and after a quoted line, whose two methods the line reader refuses.
    const last = await runCli([
      "diff",
      "--json",
      "--scopes",
      "read:jira-work",
      "/rest/api/3/myself",
      "/rest/api/3/issue/ABC-1",
      "delete",
    ]);
    expect(JSON.parse(last.stdout).results.map((result: { method: string }) => result.method)).toEqual([
      "GET",
      "DELETE",
    ]);
    const two = await runCli(["diff", "--json", "--scopes", "read:jira-work", "GET /rest/api/3/issue/ABC-1", "DELETE"]);
    expect(JSON.parse(two.stdout).results[0].error.message).toContain("GET and DELETE are both given");
    // The same given as separate words (found in review: DELETE was read as the path /DELETE).
    const words = await runCli([
      "diff",
      "--json",
      "--scopes",
      "read:jira-work",
      "GET",
      "/rest/api/3/issue/ABC-1",
      "DELETE",
    ]);
    const results = JSON.parse(words.stdout).results;
    expect(results).toHaveLength(1);
    expect(results[0].error.message).toContain("GET and DELETE are both given");
  });

  it("a method between two URLs of no method is refused as a usage error, not guessed", async () => {
    const run = await runCli([
      "diff",
      "--scopes",
      "read:jira-work",
      "/rest/api/3/myself",
      "DELETE",
      "/rest/api/3/issue/ABC-1",
    ]);
    expect(run).toMatchObject({ code: 2, stdout: "" });
    expect(run.stderr).toContain(
      "DELETE stands between /rest/api/3/myself and /rest/api/3/issue/ABC-1 and could be the method of either",
    );
    // Each method before its URL reads as before.
    const fine = await runCli([
      "diff",
      "--scopes",
      "read:jira-work",
      "GET",
      "/rest/api/3/myself",
      "DELETE",
      "/rest/api/3/issue/ABC-1",
    ]);
    expect(fine.code).toBe(1);
    expect(fine.stdout).toContain("MISSING DELETE /rest/api/3/issue/{issueIdOrKey}");
  });

  it("exits 1 when a scope is missing (the board case)", async () => {
    const run = await runCli(["diff", "--scopes", "read:board-scope:jira-software", "GET", BOARD]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe(
      await askText({ kind: "diff", input: { scopes: "read:board-scope:jira-software", endpoints: [`GET ${BOARD}`] } }),
    );
    expect(run.stdout).toContain("MISSING GET /rest/agile/1.0/board  add read:project:jira");
  });

  it("--credential: an API-token holder is told the API-token scope, and a bad kind exits 2", async () => {
    const user = "https://api.bitbucket.org/2.0/user";
    const run = await runCli([
      "diff",
      "--credential",
      "bitbucket-api-token",
      "--scopes",
      "read:repository:bitbucket",
      "GET",
      user,
    ]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe(
      await askText({
        kind: "diff",
        input: { scopes: "read:repository:bitbucket", credential: "bitbucket-api-token", endpoints: [`GET ${user}`] },
      }),
    );
    expect(run.stdout.split("\n").slice(0, 2)).toEqual([
      "credential: bitbucket-api-token",
      "MISSING GET /2.0/user  add read:user:bitbucket",
    ]);
    const bad = await runCli(["scopes", user, "--credential", "app-password"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^scope-catalog: `credential` "app-password" is not a credential kind/);
  });

  it("exits 1 in --json too, from the summary", async () => {
    const run = await runCli(["diff", "--json", "--scopes", "read:board-scope:jira-software", `GET ${BOARD}`]);
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout).summary).toEqual({ checked: 1, satisfied: 0, unsatisfied: 1, unknown: 0, errors: 0 });
  });

  it("exits 0 when every endpoint is covered, the scopes given in several --scopes", async () => {
    const run = await runCli([
      "diff",
      "--scopes",
      "read:board-scope:jira-software",
      "--scopes",
      "read:project:jira,read:jira-work",
      "GET",
      BOARD,
      "GET /rest/api/3/issue/ABC-1",
    ]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(
      "OK      GET /rest/agile/1.0/board  via read:board-scope:jira-software + read:project:jira",
    );
    expect(run.stdout).toContain("OK      GET /rest/api/3/issue/{issueIdOrKey}  via read:jira-work");
  });

  // A removed endpoint fails whatever the scopes, even when they cover its replacement.
  it("exits 1 for a removed endpoint, showing its replacement checked against the same scopes", async () => {
    const run = await runCli(["diff", "--scopes", "read:space:confluence", "GET", "/wiki/rest/api/space"]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("REMOVED GET /wiki/rest/api/space: GET /wiki/rest/api/space was removed by Atlassian");
    expect(run.stdout).toContain("        instead: OK      GET /wiki/api/v2/spaces  via read:space:confluence");
    const json = await runCli(["diff", "--json", "--scopes", "read:space:confluence", "GET /wiki/rest/api/space"]);
    expect(json.code).toBe(1);
  });

  it("checks the method written after the URL, and refuses a line with two methods", async () => {
    // Printed "OK GET /rest/api/3/issue/{issueIdOrKey}" and exited 0: DELETE was read into the issue key.
    const run = await runCli([
      "diff",
      "--scopes",
      "read:jira-work",
      "https://acme.atlassian.net/rest/api/3/issue/ABC-1 DELETE",
    ]);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^MISSING DELETE \/rest\/api\/3\/issue\/\{issueIdOrKey\} {2}add write:jira-work\n/);
    const two = await runCli(["diff", "--scopes", "read:jira-work", "GET /rest/api/3/issue/ABC-1 DELETE"]);
    expect(two.code).toBe(1);
    expect(two.stdout).toContain("GET and DELETE are both given as the method of /rest/api/3/issue/ABC-1");
  });

  // A call the catalog does not know cannot be said to be covered: the gate must not pass it.
  it("exits 1 when an endpoint matches nothing", async () => {
    const run = await runCli(["diff", "--scopes", "read:jira-work", "GET", "/rest/api/3/nonsense"]);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^ERROR {3}GET \/rest\/api\/3\/nonsense: /m);
    const json = await runCli(["diff", "--json", "--scopes", "read:jira-work", "GET", "/rest/api/3/nonsense"]);
    expect(json.code).toBe(1);
  });

  // Nothing is published to hold or lack, so it does not fail the gate.
  it("exits 0 for an endpoint without published scopes", async () => {
    const run = await runCli(["diff", "--scopes", "read:jira-work", "POST", "/rest/devopscomponents/1.0/bulk"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("UNKNOWN POST /rest/devopscomponents/1.0/bulk  (no OAuth scopes published)");
  });

  it("checks every call of a HAR file, keeping only method and URL (its Authorization header is never read)", async () => {
    const har = JSON.stringify({
      log: {
        entries: [
          {
            request: {
              method: "GET",
              url: `${BOARD}?startAt=0&access_token=ATATT3xFfGF0secretsecretsecretsecretsecret`,
              headers: [{ name: "Authorization", value: "Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl" }],
            },
          },
          { request: { method: "GET", url: "https://acme.atlassian.net/s/app.js" } },
        ],
      },
    });
    const run = await runCli(["diff", "--scopes", "read:board-scope:jira-software", "--from", "calls.har"], {
      files: { "calls.har": har },
    });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("MISSING GET /rest/agile/1.0/board  add read:project:jira");
    const covered = await runCli(
      ["diff", "--scopes", "read:board-scope:jira-software read:project:jira", "--from", "calls.har"],
      { files: { "calls.har": har } },
    );
    expect(covered.code).toBe(0);
  });

  it("reads the admin API's token list from --scopes-file, and fails if any token lacks a scope", async () => {
    const tokens = JSON.stringify([
      { id: "7b1c", label: "deploy bot", scopes: ["read:jira-work"] },
      { id: "9f3e", label: "boards", scopes: ["read:board-scope:jira-software", "read:project:jira"] },
    ]);
    const run = await runCli(["diff", "--scopes-file", "tokens.json", "GET", "/rest/agile/1.0/board"], {
      files: { "tokens.json": tokens },
    });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("token deploy bot: 1 scope\nMISSING GET /rest/agile/1.0/board");
    expect(run.stdout).toContain("token boards: 2 scopes\nOK      GET /rest/agile/1.0/board");
    const json = await runCli(["diff", "--json", "--scopes-file", "tokens.json", "GET", "/rest/agile/1.0/board"], {
      files: { "tokens.json": tokens },
    });
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout).tokens).toHaveLength(2);
  });

  it("without endpoints lists what the scopes can call", async () => {
    const run = await runCli(["diff", "--scopes", "read:pullrequest:bitbucket", "--limit", "3"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^can call \d+ endpoints: bitbucket \d+$/m);
  });
});

describe("plan", () => {
  const LINES = "GET /rest/agile/1.0/board\n# a comment\nPOST /rest/api/3/issue\n";

  it("plans the calls of a text file", async () => {
    const run = await runCli(["plan", "calls.txt"], { files: { "calls.txt": LINES } });
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(await askText({ kind: "plan", input: { text: LINES } }));
    expect(run.stdout).toContain("paste: read:board-scope:jira-software read:project:jira write:jira-work");
  });

  it("plans the API calls of a HAR file and counts the rest as ignored", async () => {
    const har = JSON.stringify({
      log: {
        entries: [
          { request: { method: "GET", url: BOARD, headers: [] }, response: { status: 200 } },
          { request: { method: "GET", url: "https://acme.atlassian.net/secure/Dashboard.jspa" } },
        ],
      },
    });
    const run = await runCli(["plan", "session.har", "--json", "--prefer", "granular"], {
      files: { "session.har": har },
    });
    const plan = JSON.parse(run.stdout);
    expect(run.code).toBe(0);
    expect(plan).toMatchObject({
      prefer: "granular",
      ignored: 1,
      scopes: ["read:board-scope:jira-software", "read:project:jira"],
    });
  });

  // As POST /plan: a 200 listing what was not found, with the nearest templates; exit 1, the plan being
  // incomplete, and no "0 scopes (the smallest set)" when nothing was planned.
  it("lists calls it cannot find, as the API does, and exits 1", async () => {
    const run = await runCli(["plan", "calls.txt"], { files: { "calls.txt": "GET /rest/api/3/jql/search\n" } });
    expect(run.code).toBe(1);
    const lines = run.stdout.split("\n");
    expect(lines[0]).toBe("Nothing to plan: no endpoint given matched one that takes scopes.");
    expect(lines[1]).toMatch(/^not found: GET \/rest\/api\/3\/jql\/search: /);
    expect(lines[2]).toMatch(/^ {2}nearest: \/rest\/api\/3\/search\/jql, /);
    const json = await runCli(["plan", "calls.txt", "--json"], {
      files: { "calls.txt": "GET /rest/api/3/jql/search\n" },
    });
    expect(json.code).toBe(1);
    const planned = await runCli(["plan", "calls.txt"], { files: { "calls.txt": "GET /rest/api/3/myself\n" } });
    expect(planned.code).toBe(0);
    // A removed endpoint whose replacement is planned is covered: `replaced:`, exit 0; without one, `removed:`, exit 1.
    const replaced = await runCli(["plan", "calls.txt"], { files: { "calls.txt": "GET /wiki/rest/api/space\n" } });
    expect(replaced.code).toBe(0);
    expect(replaced.stdout).toMatch(/^replaced: GET \/wiki\/rest\/api\/space: /m);
    const replacedJson = await runCli(["plan", "calls.txt", "--json"], {
      files: { "calls.txt": "GET /wiki/rest/api/space\n" },
    });
    expect(replacedJson.code).toBe(0);
    const gone = await runCli(["plan", "calls.txt"], {
      files: { "calls.txt": "GET /rest/api/3/workflow/transitions/1/properties\n" },
    });
    // Its last document named a replacement (Bulk get workflows, CHANGE-2570): covered, as for Confluence's.
    expect(gone.code).toBe(0);
    expect(gone.stdout).toMatch(/^replaced: GET \/rest\/api\/3\/workflow\/transitions\/1\/properties: /m);
    expect(gone.stdout).toContain("POST /rest/api/3/workflows");
    // An endpoint that alone is over --max-scopes is in no token: the plan is incomplete.
    const calls = { "calls.txt": "GET /rest/api/3/search\nGET /rest/agile/1.0/board\n" };
    const over = await runCli(["plan", "calls.txt", "--max-scopes", "1"], { files: calls });
    expect(over.code).toBe(1);
    expect(over.stdout).toMatch(/^left out: GET \/rest\/agile\/1\.0\/board: /m);
    const overJson = await runCli(["plan", "calls.txt", "--max-scopes", "1", "--json"], { files: calls });
    expect(overJson.code).toBe(1);
    expect((await runCli(["plan", "calls.txt", "--max-scopes", "2"], { files: calls })).code).toBe(0);
  });

  it("refuses a file that starts like JSON but is not", async () => {
    const run = await runCli(["plan", "broken.har"], { files: { "broken.har": '{"log": ' } });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("broken.har starts like JSON but does not parse");
  });

  it("reads --prefer and --product in any case, as the HTTP routes do", async () => {
    const run = await runCli(["plan", "calls.txt", "--json", "--prefer", "Granular"], {
      files: { "calls.txt": LINES },
    });
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).prefer).toBe("granular");
    const lower = await runCli(["endpoints", "read:project:jira", "--json", "--product", "jira-software"]);
    const upper = await runCli(["endpoints", "read:project:jira", "--json", "--product", "JIRA-SOFTWARE"]);
    expect(upper.code).toBe(0);
    expect(upper.stdout).toBe(lower.stdout);
  });

  it("refuses an invalid --prefer or --max-scopes in the options' own words, before reading the file", async () => {
    const run = await runCli(["plan", "calls.txt", "--prefer", "cheapest"], { files: { "calls.txt": LINES } });
    expect(run).toMatchObject({ code: 2, stdout: "" });
    expect(run.stderr).toMatch(/^scope-catalog: --prefer must be one of fewest, granular, classic, not "cheapest"\./);
    const count = await runCli(["plan", "calls.txt", "--max-scopes", "0"], { files: { "calls.txt": LINES } });
    expect(count.stderr).toMatch(/^scope-catalog: --max-scopes must be a whole number from 1 to 500, not "0"\./);
    const fine = await runCli(["plan", "calls.txt", "--prefer", "granular", "--max-scopes", "500"], {
      files: { "calls.txt": LINES },
    });
    expect(fine.code).toBe(0);
  });
});

describe("explain", () => {
  it("explains a 401 with the scopes held and the body", async () => {
    const input = {
      method: "GET",
      url: "https://acme.atlassian.net/rest/agile/1.0/board",
      status: "401",
      scopes: "read:board-scope:jira-software",
      body: '{"code":401,"message":"Unauthorized; scope does not match"}',
    };
    const run = await runCli([
      "explain",
      input.method,
      input.url,
      input.status,
      "--scopes",
      input.scopes,
      "--body",
      input.body,
    ]);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(await askText({ kind: "explain", input }));
    expect(run.stdout).toContain("[missing_scopes] The token lacks read:project:jira for GET /rest/agile/1.0/board.");
    const json = JSON.parse((await runCli(["explain", input.method, input.url, input.status, "--json"])).stdout);
    expect(json.findings.map((finding: { code: string }) => finding.code)).toContain("wrong_host");
  });

  it("refuses a status that is not one", async () => {
    const run = await runCli(["explain", "GET", "/rest/agile/1.0/board", "forbidden"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("`status` must be an HTTP status");
  });
});

describe("usage errors exit 2 with the reason on stderr and nothing on stdout", () => {
  const cases: { given: string[]; want: string }[] = [
    { given: [], want: "Give a command" },
    { given: ["frob"], want: 'Unknown command "frob"' },
    { given: ["scopes"], want: "scopes takes a path or URL" },
    { given: ["scopes", "/a", "GET", "extra"], want: "scopes takes a path or URL" },
    { given: ["diff", "GET", "/rest/agile/1.0/board"], want: "diff needs the token's scopes" },
    { given: ["endpoints", "read:jira-work", "--prefer", "fewest"], want: "--prefer is not an option of endpoints" },
    {
      given: ["endpoints", "read:jira-work", "--limit", "ten"],
      want: '--limit must be a whole number from 1 to 500, not "ten"',
    },
    {
      given: ["endpoints", "read:jira-work", "--limit", "0"],
      want: '--limit must be a whole number from 1 to 500, not "0"',
    },
    {
      given: ["endpoints", "read:jira-work", "--limit", "501"],
      want: '--limit must be a whole number from 1 to 500, not "501"',
    },
    {
      given: ["diff", "--scopes", "a", "--limit", "0"],
      want: '--limit must be a whole number from 1 to 1000, not "0"',
    },
    {
      given: ["diff", "--scopes", "a", "--limit", "1001"],
      want: '--limit must be a whole number from 1 to 1000, not "1001"',
    },
    { given: ["plan"], want: "plan takes one file" },
    {
      given: ["plan", "calls.txt", "--max-scopes", "501"],
      want: '--max-scopes must be a whole number from 1 to 500, not "501"',
    },
    { given: ["plan", "absent.txt"], want: "absent.txt cannot be read (ENOENT)" },
    { given: ["diff", "--scopes", "a", "--from", "empty.txt"], want: "empty.txt holds no endpoint" },
    {
      given: ["explain", "GET", "/rest/agile/1.0/board"],
      want: "explain takes the failed call's METHOD, URL and status",
    },
    {
      given: ["scopes", "/a", "--url", "ftp://example.com"],
      want: '--url must be an http(s) URL, not "ftp://example.com".',
    },
    {
      given: ["scopes", "/a", "--url", "localhost:8787"],
      want: "--url needs its scheme: http://localhost:8787 or https://localhost:8787.",
    },
    { given: ["scopes", "/a", "--url", "https://example.com/?x=1"], want: "--url takes the instance's base URL only" },
    { given: ["scopes", "/a", "--bogus"], want: "Unknown option '--bogus'" },
  ];
  for (const { given, want } of cases)
    it(`${given.join(" ") || "(nothing)"}`, async () => {
      const run = await runCli(given, { files: { "empty.txt": "# nothing yet\n" } });
      expect(run).toMatchObject({ code: 2, stdout: "" });
      expect(run.stderr).toContain(want);
    });

  it("--help prints the usage and exits 0", async () => {
    const run = await runCli(["diff", "--help"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Usage: scope-catalog <command>/);
  });
});

describe("credentials are refused and never echoed", () => {
  const TOKEN = "ATATT3xFfGF0abcdefghijklmnopqrstuvwxyz0123456789";
  const JWT = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJlc2lnbmF0dXJl";
  const cases: { given: string[]; files?: Record<string, string>; secret: string }[] = [
    { given: ["diff", "--scopes", TOKEN, "GET", "/rest/agile/1.0/board"], secret: TOKEN },
    { given: ["diff", "--json", "--scopes", `read:jira-work ${TOKEN}`], secret: TOKEN },
    { given: ["explain", "GET", "/rest/agile/1.0/board", "401", "--body", `Bearer ${JWT}`], secret: JWT },
    { given: ["plan", "calls.txt"], files: { "calls.txt": `GET /rest/agile/1.0/board?jwt=${JWT}\n` }, secret: JWT },
    {
      given: ["scopes", "https://bob:hunter2secret@acme.atlassian.net/rest/api/3/myself"],
      secret: "hunter2secret",
    },
    {
      given: ["plan", "curl.txt"],
      files: { "curl.txt": "curl -u bob:hunter2secret https://acme.atlassian.net/rest/api/3/myself\n" },
      secret: "hunter2secret",
    },
    {
      given: ["diff", "--scopes-file", "scopes.txt"],
      files: { "scopes.txt": `read:jira-work\n${TOKEN}\n` },
      secret: TOKEN,
    },
  ];
  for (const { given, files, secret } of cases)
    it(given.slice(0, 2).join(" "), async () => {
      const run = await runCli(given, { files });
      expect(run.code).toBe(2);
      expect(run.stderr).toContain("remove the credential");
      expect(run.stdout + run.stderr).not.toContain(secret);
    });
});
