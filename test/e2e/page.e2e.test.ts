/**
 * The page at / in a real browser: Debian's Chromium driven by playwright-core, against the worker
 * served by `wrangler dev` with local KV seeded from data/. The tests type into the page and read what it
 * shows. Without /usr/bin/chromium (`apt-get install chromium`, as .ci/run does) they skip.
 */
import { existsSync, mkdirSync, statSync } from "node:fs";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import {
  chromium,
  errors,
  type Browser,
  type BrowserContext,
  type BrowserContextOptions,
  type Page,
} from "playwright-core";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { launchWorker, type WorkerServer } from "./worker-server";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const HAS_CHROMIUM = existsSync(CHROMIUM);
if (!HAS_CHROMIUM)
  console.warn(
    `Skipping the browser tests: no Chromium at ${CHROMIUM}. Install it with \`apt-get install chromium\` (.ci/run does).`,
  );

const SCREENSHOT = fileURLToPath(new URL("../../docs/screenshot.png", import.meta.url));
const GATEWAY_BOARD = "https://api.atlassian.com/ex/jira/<cloudId>/rest/agile/1.0/board";
const CLOUD_ID = "11111111-2222-3333-4444-555555555555";
const BOARD_SCOPES = ["read:board-scope:jira-software", "read:project:jira"];
/** The case this project exists for, as a link someone would paste into a chat thread. */
const MISSION_LINK = `/?tool=diff&scopes=${encodeURIComponent("read:board-scope.admin:jira-software read:board-scope:jira-software")}&endpoints=${encodeURIComponent(`GET ${GATEWAY_BOARD}`)}`;
const TOOLS = ["lookup", "diff", "plan", "scope"] as const;
type Tool = (typeof TOOLS)[number];

describe.skipIf(!HAS_CHROMIUM)("the page at / in Chromium", () => {
  let server: WorkerServer | undefined;
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];
  /** Script errors, CSP or Trusted Types violations, requests to other origins: each fails the test. */
  const problems: string[] = [];

  // Generous: wrangler starts in ~3 s on an idle machine, much slower on a busy CI runner.
  beforeAll(async () => {
    server = launchWorker({ timeoutMs: 100_000 });
    await server.ready;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    });
  }, 150_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  beforeEach((context) => {
    context.onTestFailed(() => console.error(`wrangler dev output:\n${server?.output() || "(none)"}`));
  });

  afterEach(async () => {
    for (const context of contexts.splice(0)) await context.close();
    expect(problems.splice(0)).toEqual([]);
  });

  const base = () => server!.url;

  async function open(path: string, options: BrowserContextOptions = {}): Promise<Page> {
    const context = await browser!.newContext({
      baseURL: base(),
      viewport: { width: 1000, height: 800 },
      colorScheme: "light",
      ...options,
    });
    contexts.push(context);
    context.setDefaultTimeout(10_000);
    const page = await context.newPage();
    page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
    page.on("console", (message) => {
      if (/Content.Security.Policy|Trusted.?Type/i.test(message.text())) problems.push(`console: ${message.text()}`);
    });
    page.on("request", (request) => {
      const url = request.url();
      if (!url.startsWith(`${base()}/`) && !url.startsWith("data:")) problems.push(`request to another origin: ${url}`);
    });
    await load(page, path);
    return page;
  }

  /**
   * Navigates, once more if the load hangs: wrangler dev's proxy now and then leaves a request
   * unanswered (workers-sdk#14641; twice in CI here, 30 s on a page that loads in well under 1 s).
   * Loading the page is not what these tests check.
   */
  async function load(page: Page, path: string): Promise<void> {
    try {
      await page.goto(path, { timeout: 15_000 });
    } catch (error) {
      if (!(error instanceof errors.TimeoutError)) throw error;
      console.warn(`page load of ${path} hung for 15 s; loading it again`);
      await page.goto(path, { timeout: 15_000 });
    }
  }

  /** The tool's status line once its answer is shown (the API's message when it answered an error). */
  async function answer(page: Page, tool: Tool): Promise<string> {
    const status = page.locator(`#${tool}-status`);
    const result = page.locator(`#${tool}-result`);
    await expect
      .poll(
        async () => ((await result.getAttribute("aria-busy")) === null ? ((await status.textContent()) ?? "") : ""),
        { timeout: 15_000 },
      )
      .not.toBe("");
    return (await status.textContent()) ?? "";
  }

  async function api(path: string, init?: RequestInit): Promise<any> {
    return (await fetch(`${base()}${path}`, init)).json();
  }

  /** Presses Tab (or Shift+Tab) until the focused element passes the test; fails after `max` presses. */
  async function tabTo(page: Page, test: string, { back = false, max = 40 } = {}): Promise<void> {
    for (let press = 0; press < max; press++) {
      await page.keyboard.press(back ? "Shift+Tab" : "Tab");
      if (await page.evaluate(`(() => { const el = document.activeElement; return Boolean(el && (${test})); })()`))
        return;
    }
    throw new Error(`no focusable element matched ${test} within ${max} presses of ${back ? "Shift+Tab" : "Tab"}`);
  }

  test("serves a small page with a strict CSP and no inline code", async () => {
    const response = await fetch(`${base()}/`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(response.headers.get("cache-control")).toBe("public, max-age=300");
    const csp = response.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain("unsafe");
    const html = await response.text();
    expect(html).not.toMatch(/<script>|<style|\son[a-z]+=|\sstyle=/i);
    const assets = [...html.matchAll(/(?:src|href)="(\/page\.(?:js|css)\?v=\w+)"/g)].map((match) => match[1]!);
    expect(assets).toHaveLength(2);
    let bytes = Buffer.byteLength(html);
    for (const asset of assets) {
      const served = await fetch(`${base()}${asset}`);
      expect(served.status).toBe(200);
      expect(served.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
      bytes += Buffer.byteLength(await served.text());
    }
    console.log(`page size: ${bytes} bytes (HTML, script and style sheet, uncompressed)`);
    // 40 KiB until the script bundled the API's credential scanner (middleware/secret-scan.ts, 8 KB), so
    // that it sends nothing the API would refuse as a credential: about 12 KB of the script compressed.
    expect(bytes).toBeLessThan(56 * 1024);
    const again = await fetch(`${base()}/`, { headers: { "if-none-match": response.headers.get("etag") ?? "" } });
    expect(again.status).toBe(304);
  });

  test("looks up a gateway URL: the board endpoint's scopes and docs link", async () => {
    const url = `https://api.atlassian.com/ex/jira/${CLOUD_ID}/rest/agile/1.0/board`;
    const page = await open("/");
    await page.getByLabel("URL or path").fill(url);
    await page.getByLabel("Method").selectOption("GET");
    await page.getByLabel("URL or path").press("Enter");
    expect(await answer(page, "lookup")).toBe("1 endpoint matches /rest/agile/1.0/board");
    const card = page.locator("#lookup article");
    expect(await card.count()).toBe(1);
    expect(await card.locator("h4").textContent()).toBe("GET /rest/agile/1.0/board");
    expect(await card.locator(".set code").allTextContents()).toEqual(BOARD_SCOPES);
    const expected = await api(`/scopes?path=${encodeURIComponent(url)}&method=GET`);
    const docs = await card.getByRole("link", { name: /^Docs:/ }).getAttribute("href");
    expect(docs).toBe(expected.endpoints[0].docsUrl);
    expect(expected.catalog.source).toBe("kv"); // seeded like `npm start`, not the bundled fallback
    expect(await page.locator("#lookup .catalog").textContent()).toBe(`Catalog ${expected.catalog.version}`);
    expect(docs).toMatch(/^https:\/\/developer\.atlassian\.com\/cloud\/jira\/software\/rest\//);
    // After a lookup the URL holds the state.
    const state = new URL(page.url()).searchParams;
    expect([state.get("tool"), state.get("path"), state.get("method")]).toEqual(["lookup", url, "GET"]);
    expect(await page.title()).toBe("GET /rest/agile/1.0/board · Scope Catalog");
  });

  test("the method picker narrows the lookup; a method the path lacks gets the API's words and the methods it takes", async () => {
    const page = await open("/?tool=lookup&path=/rest/agile/1.0/board");
    expect(await answer(page, "lookup")).toBe("2 endpoints match /rest/agile/1.0/board");
    expect(await page.locator("#lookup article h4 .m").allTextContents()).toEqual(["GET", "POST"]);

    await page.getByLabel("Method").selectOption("POST");
    await page.getByRole("button", { name: "Look up" }).click();
    expect(await answer(page, "lookup")).toBe("1 endpoint matches /rest/agile/1.0/board");
    expect(await page.locator("#lookup article h4").textContent()).toBe("POST /rest/agile/1.0/board");
    expect(new URL(page.url()).searchParams.get("method")).toBe("POST");

    const wrong = await api("/scopes?path=/rest/agile/1.0/board&method=PATCH");
    await page.getByLabel("Method").selectOption("PATCH");
    await page.getByRole("button", { name: "Look up" }).click();
    expect(await answer(page, "lookup")).toBe(wrong.error.message);
    expect(wrong.error.message).toBe("/rest/agile/1.0/board exists, but not with PATCH; it takes GET, POST.");
    expect(await page.locator("#lookup-status").getAttribute("class")).toContain("err");
    await page.locator("#lookup .suggestions").getByRole("link", { name: "GET /rest/agile/1.0/board" }).click();
    expect(await answer(page, "lookup")).toBe("1 endpoint matches /rest/agile/1.0/board");
    expect(await page.getByLabel("Method").inputValue()).toBe("GET");
  });

  test("an unknown path shows the API's message and suggestions; clicking one looks it up", async () => {
    const expected = await api("/scopes?path=/rest/agile/1.0/boards&method=GET");
    const page = await open("/");
    await page.getByLabel("URL or path").fill("/rest/agile/1.0/boards");
    await page.getByLabel("Method").selectOption("GET");
    await page.getByRole("button", { name: "Look up" }).click();
    expect(await answer(page, "lookup")).toBe(expected.error.message);
    expect(expected.error.message).toContain(
      "No Atlassian Cloud endpoint in the catalog matches /rest/agile/1.0/boards",
    );
    expect(await page.locator("#lookup .suggestions a").allTextContents()).toEqual(expected.error.details.suggestions);

    await page
      .locator("#lookup .suggestions")
      .getByRole("link", { name: "/rest/agile/1.0/board", exact: true })
      .click();
    expect(await answer(page, "lookup")).toBe("1 endpoint matches /rest/agile/1.0/board");
    expect(await page.locator("#lookup article .set code").allTextContents()).toEqual(BOARD_SCOPES);
    expect(await page.getByLabel("URL or path").inputValue()).toBe("/rest/agile/1.0/board");
    expect(new URL(page.url()).searchParams.get("path")).toBe("/rest/agile/1.0/board");
  });

  test("diff, the mission case: the board token misses read:project:jira", async () => {
    const page = await open("/?tool=diff");
    await page.getByLabel("Token scopes").fill("read:board-scope.admin:jira-software\nread:board-scope:jira-software");
    await page.getByLabel("Endpoints to check").fill(`GET ${GATEWAY_BOARD}`);
    await page.getByRole("button", { name: "Compare" }).click();
    expect(await answer(page, "diff")).toBe("1 endpoint missing scopes (of 1)");
    const check = page.locator("#diff .checks > li");
    expect(await check.count()).toBe(1);
    expect(await check.locator(".badge").textContent()).toBe("Missing");
    expect(await check.locator("a").first().textContent()).toBe("GET /rest/agile/1.0/board");
    expect(await check.locator(".add code").allTextContents()).toEqual(["read:project:jira"]);
    expect(await page.locator("#diff .unused code").allTextContents()).toEqual([
      "read:board-scope.admin:jira-software",
    ]);
  });

  test("diff with the admin API's token JSON answers per token", async () => {
    const tokens = [
      {
        id: "7b1c",
        label: "deploy bot",
        scopes: ["read:jira-work", "write:jira-work"],
        createdAt: "2026-11-01T09:00:00Z",
      },
      { id: "9f3e", label: "boards", scopes: BOARD_SCOPES, createdAt: "2026-11-02T09:00:00Z" },
    ];
    const page = await open("/?tool=diff");
    await page.getByLabel("Token scopes").fill(JSON.stringify(tokens, null, 2));
    await page.getByLabel("Endpoints to check").fill("GET /rest/agile/1.0/board");
    await page.getByRole("button", { name: "Compare" }).click();
    expect(await answer(page, "diff")).toBe("2 tokens checked: 1 can call every endpoint");
    const cards = page.locator("#diff .card");
    expect(await cards.locator("h4").allTextContents()).toEqual(["Token deploy bot2 scopes", "Token boards2 scopes"]);
    expect(await cards.nth(0).locator(".badge").textContent()).toBe("Missing");
    expect(await cards.nth(0).locator(".add code").allTextContents()).toEqual(BOARD_SCOPES);
    expect(await cards.nth(0).locator(".hints").textContent()).toContain("Jira Software has no classic scopes");
    expect(await cards.nth(1).locator(".badge").textContent()).toBe("OK");

    // JSON that does not parse is caught before it is sent as scope names.
    await page.getByLabel("Token scopes").fill('[{"id": "7b1c", "scopes": ["read:jira-work"]');
    await page.getByRole("button", { name: "Compare" }).click();
    expect(await answer(page, "diff")).toMatch(/^The scopes start like JSON but do not parse/);
  });

  test("diff without endpoints for a Connect app lists what its Connect scopes reach", async () => {
    const page = await open("/?tool=diff");
    await page.getByLabel("Token scopes").fill("READ");
    await page.getByRole("button", { name: "Compare" }).click();
    expect(await answer(page, "diff")).toMatch(/^These scopes can call [1-9]\d+ endpoints$/);
    const items = page.locator("#diff ul.plain > li");
    expect(await items.count()).toBeGreaterThan(10);
    expect(await items.first().textContent()).toMatch(/ \(Connect scope (READ|NONE)\)$/);
  });

  /** Every request the page makes from now on, as `METHOD url body`. */
  function requests(page: Page): string[] {
    const seen: string[] = [];
    page.on("request", (request) => seen.push(`${request.method()} ${request.url()} ${request.postData() ?? ""}`));
    return seen;
  }

  test("a pasted credential is refused by the page itself: nothing sent, nothing in the address bar", async () => {
    const fake = `ATATT${"x".repeat(40)}`;
    const page = await open("/?tool=diff");
    const sent = requests(page);
    await page.getByLabel("Token scopes").fill(fake);
    await page.getByLabel("Endpoints to check").fill("GET /rest/agile/1.0/board");
    const entries = await page.evaluate<number>("history.length");
    await page.getByRole("button", { name: "Compare" }).click();
    expect(await answer(page, "diff")).toBe(
      "“Token scopes” seems to contain an Atlassian API token. Scope Catalog only needs scope names and URLs: remove the credential and ask again. The page sent nothing, and kept it out of the address bar.",
    );
    expect(page.url()).toBe(`${base()}/?tool=diff`);
    expect(await page.evaluate<number>("history.length")).toBe(entries);
    expect(sent).toEqual([]);
  });

  test("the tester's lookups: a URL with a password, a curl with -u; Enter sends nothing", async () => {
    const page = await open("/?tool=lookup&path=/rest/agile/1.0/board&method=GET");
    expect(await answer(page, "lookup")).toBe("1 endpoint matches /rest/agile/1.0/board");
    const sent = requests(page);
    const field = page.getByLabel("URL or path");
    for (const [typed, kind] of [
      ["https://bob:hunter2@acme.atlassian.net/rest/api/3/myself", "a password in a URL (user:password@)"],
      [
        `curl -u bob@acme.com:ATATT3x${"F".repeat(30)} https://acme.atlassian.net/rest/api/3/myself`,
        "an Atlassian API token",
      ],
    ]) {
      await field.fill(typed!);
      await field.press("Enter");
      await expect.poll(() => page.locator("#lookup-status").textContent()).toMatch(/^“URL or path” seems to contain /);
      expect(await page.locator("#lookup-status").textContent()).toContain(`seems to contain ${kind}.`);
      expect(page.url()).toBe(`${base()}/?tool=lookup`);
    }
    expect(sent).toEqual([]);
    expect(await page.evaluate<string>("document.title")).toBe("Error · Scope Catalog");
  });

  test("a shared link holding a credential: the page without it, the notice, and no request", async () => {
    const link = "/?tool=lookup&path=https://bob:hunter2@acme.atlassian.net/rest/api/3/myself&method=GET";
    const served = await fetch(`${base()}${link}`);
    expect(served.status).toBe(400);
    expect(served.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(await served.text()).not.toContain("hunter2");

    const context = await browser!.newContext({ baseURL: base() });
    contexts.push(context);
    const page = await context.newPage();
    const sent = requests(page);
    await load(page, link);
    expect(await answer(page, "lookup")).toBe(
      "This link seems to contain a password in a URL (user:password@), in path. Scope Catalog only needs scope names and URLs: the page left it out and asked nothing. If the secret was real, consider it exposed (it is in the link, and wherever the link was shared) and revoke it. Nothing from this request was stored or logged.",
    );
    expect(await page.locator("#lookup-status code").textContent()).toBe("path");
    // The worker's own notice (for a page without JavaScript) gives way to the tool's status.
    expect(await page.locator("#notice").count()).toBe(0);
    expect(page.url()).toBe(`${base()}/?tool=lookup&method=GET`);
    expect(await page.getByLabel("URL or path").inputValue()).toBe("");
    expect(await page.getByLabel("Method").inputValue()).toBe("GET");
    expect(
      sent.filter((line) => !/\/page\.(js|css)\?v=|^GET data:/.test(line)).map((line) => line.replace(base(), "")),
    ).toEqual([`GET ${link} `]);
  });

  test("plan: pasted lines give the least-privilege scope list", async () => {
    const lines = [
      `GET https://api.atlassian.com/ex/jira/${CLOUD_ID}/rest/agile/1.0/board`,
      "POST /rest/api/3/issue",
      "GET https://acme.atlassian.net/rest/api/3/issue/ABC-1",
    ].join("\n");
    const expected = await api("/plan", { method: "POST", headers: { "content-type": "text/plain" }, body: lines });
    expect(expected.scopes).toEqual(expect.arrayContaining([...BOARD_SCOPES, "write:jira-work"]));
    const page = await open("/?tool=plan");
    await page.getByLabel("Endpoints your integration calls").fill(lines);
    await page.getByLabel("Endpoints your integration calls").press("Control+Enter");
    expect(await answer(page, "plan")).toBe(`${expected.scopes.length} scopes for 3 endpoints`);
    expect(await page.locator("#plan ul.scopes code").allTextContents()).toEqual(expected.scopes);
    expect(new URL(page.url()).searchParams.get("endpoints")).toBe(lines);
  });

  test("plan split over tokens: one copy per token, of its own scopes; never the union", async () => {
    const lines = "GET /rest/agile/1.0/board\nGET https://api.bitbucket.org/2.0/user";
    const page = await open(`/?tool=plan&endpoints=${encodeURIComponent(lines)}`, {
      permissions: ["clipboard-read", "clipboard-write"],
    });
    expect(await answer(page, "plan")).toBe("3 scopes for 2 endpoints");
    expect(await page.locator("#plan h4").first().textContent()).toBe("Scopes across all tokens (3)");
    expect(await page.locator("#plan-result button").allTextContents()).toEqual([
      "Copy link",
      "Copy token 1's scopes",
      "Copy token 2's scopes",
    ]);
    const tokens = page.locator("#plan ol.tokens > li");
    const copied: string[] = [];
    for (let index = 0; index < 2; index++) {
      const token = tokens.nth(index);
      await token.getByRole("button").click();
      await expect.poll(() => token.locator(".copied").textContent()).toBe("Scopes copied.");
      copied.push(await page.evaluate<string>("navigator.clipboard.readText()"));
      // Each copy is the scope set that token shows.
      expect(copied[index]).toBe((await token.locator(".set code").allTextContents()).join(" "));
    }
    expect(copied).toEqual(["read:board-scope:jira-software read:project:jira", "account"]);

    // One token: one list, copied as a whole.
    const single = await open("/?tool=plan&endpoints=GET+/rest/agile/1.0/board", {
      permissions: ["clipboard-read", "clipboard-write"],
    });
    expect(await answer(single, "plan")).toBe("2 scopes for 1 endpoint");
    await single.getByRole("button", { name: "Copy scopes" }).click();
    await expect.poll(() => single.locator("#plan .out .copied").textContent()).toBe("Scopes copied.");
    expect(await single.evaluate<string>("navigator.clipboard.readText()")).toBe(
      "read:board-scope:jira-software read:project:jira",
    );
  });

  test("plan with no endpoint says so in the page's words, not the API's field names", async () => {
    const page = await open("/?tool=plan");
    const want =
      "Nothing to plan: paste the calls your integration makes into “Endpoints your integration calls”, one METHOD URL per line (GET /rest/agile/1.0/board).";
    await page.getByRole("button", { name: "Plan scopes" }).click();
    expect(await answer(page, "plan")).toBe(want);
    // Lines the API reads as no endpoint get the same words (its `no_endpoints`).
    await page.getByLabel("Endpoints your integration calls").fill("   \n\t\n");
    await page.getByRole("button", { name: "Plan scopes" }).click();
    await expect.poll(() => page.locator("#plan-status").textContent()).toBe(want);
    expect(await page.locator("#plan-status").textContent()).not.toMatch(/`|\bhar\b|\btext\b/);
  });

  test("a plan too long for a link: the address bar leaves it out and says so; reload keeps it, a shared link says it lacks it", async () => {
    // The tester's case: 600 endpoints put 65,930 characters in the address bar, and a reload answered 431.
    const lines = Array.from(
      { length: 600 },
      (_, index) => `GET https://api.atlassian.com/ex/jira/${CLOUD_ID}/rest/api/3/issue/ABC-${index}/comment`,
    ).join("\n");
    const page = await open("/?tool=plan");
    await page.getByLabel("Endpoints your integration calls").fill(lines);
    await page.getByLabel("Prefer").selectOption("granular");
    await page.getByRole("button", { name: "Plan scopes" }).click();
    expect(await answer(page, "plan")).toBe("1 scope for 1 endpoint");
    const link = `${base()}/?tool=plan&prefer=granular&omitted=endpoints`;
    expect(page.url()).toBe(link);
    expect(await page.locator("#plan-link-note").textContent()).toBe(
      "The link leaves out “Endpoints your integration calls”: with it, it would be over the 8,000 characters a link can safely hold. Reloading this tab keeps it; to share the question, send the text itself.",
    );

    await page.reload();
    expect(await answer(page, "plan")).toBe("1 scope for 1 endpoint");
    expect(await page.getByLabel("Endpoints your integration calls").inputValue()).toBe(lines);
    expect(page.url()).toBe(link);

    const shared = await open(link);
    expect(await answer(shared, "plan")).toBe(
      "This link leaves out “Endpoints your integration calls”: over 8,000 characters, too long for a link, it stayed in the browser tab that made it. Paste it here and ask again.",
    );
    expect(await shared.getByLabel("Prefer").inputValue()).toBe("granular");
    expect(shared.url()).toBe(link);

    // A short plan is a link again, with no note.
    await page.getByLabel("Endpoints your integration calls").fill("GET /rest/agile/1.0/board");
    await page.getByRole("button", { name: "Plan scopes" }).click();
    await expect
      .poll(() => page.url())
      .toBe(`${base()}/?tool=plan&endpoints=GET+/rest/agile/1.0/board&prefer=granular`);
    expect(await page.locator("#plan-link-note").isHidden()).toBe(true);
    await page.goBack();
    expect(page.url()).toBe(link);
    await expect.poll(() => page.getByLabel("Endpoints your integration calls").inputValue()).toBe(lines);

    // A link in an answer that carries the long plan (the suggested credential kind) is a short href
    // too, and a click on it still asks with the whole plan.
    await page.evaluate(
      `(() => { const picker = document.querySelector("#plan-credential"); picker.append(new Option("3lo", "3lo")); picker.value = "3lo"; })()`,
    );
    await page.getByRole("button", { name: "Plan scopes" }).click();
    await expect
      .poll(() => page.locator("#plan-status").textContent())
      .toMatch(/^credential "3lo" is not a credential kind/);
    const suggestion = page.locator("#plan .suggestions a");
    expect(await suggestion.getAttribute("href")).toBe(
      "?tool=plan&prefer=granular&credential=oauth2-3lo&omitted=endpoints",
    );
    await suggestion.click();
    expect(await answer(page, "plan")).toBe("1 scope for 1 endpoint");
    expect(page.url()).toBe(`${base()}/?tool=plan&prefer=granular&credential=oauth2-3lo&omitted=endpoints`);
    expect(await page.getByLabel("Credential to plan for").inputValue()).toBe("oauth2-3lo");
    expect(await page.getByLabel("Endpoints your integration calls").inputValue()).toBe(lines);
  });

  test("plan: the preferred kind and the scopes per token reach the planner and stay in the URL", async () => {
    const lines = "GET /rest/agile/1.0/board\nDELETE /rest/api/3/issue/ABC-1";
    const page = await open("/?tool=plan");
    await page.getByLabel("Endpoints your integration calls").fill(lines);
    await page.getByLabel("Prefer").selectOption("granular");
    await page.getByLabel("Scopes per token").fill("2");
    await page.getByRole("button", { name: "Plan scopes" }).click();
    expect(await answer(page, "plan")).toBe("3 scopes for 2 endpoints");
    expect(await page.locator("#plan ul.scopes code").allTextContents()).toContain("delete:issue:jira");
    expect(await page.locator("#plan h4").allTextContents()).toContain("Over 2 scopes: split over 2 tokens");
    expect(new URL(page.url()).searchParams.get("maxScopes")).toBe("2");

    const refused = await open(`/?tool=plan&endpoints=${encodeURIComponent(lines)}&maxScopes=600`);
    expect(await refused.getByLabel("Scopes per token").inputValue()).toBe("600");
    expect(await answer(refused, "plan")).toMatch(/maxScopes/);
  });

  test("scope search and a token's callable list badge endpoints whose removal took effect", async () => {
    // First pages only: read:jira-user lists the expression endpoints near the top, read:jira-work's
    // callable list GET /rest/api/2/priority within its first 100.
    const page = await open("/?tool=scope&scope=read:jira-user");
    await answer(page, "scope");
    const item = (path: string) =>
      page.locator("#scope .plain > li", { has: page.getByRole("link", { name: path, exact: true }) });
    const evaluate = item("POST /rest/api/2/expression/eval");
    expect(await evaluate.locator(".badge").textContent()).toBe("Removal due 2025-05-01");
    expect(await evaluate.locator(".badge").getAttribute("title")).toMatch(
      /^Atlassian's removal of POST \/rest\/api\/2\/expression\/eval took effect on 2025-05-01/,
    );
    expect(await item("POST /rest/api/3/expression/evaluate").locator(".badge").count()).toBe(0);

    const diff = await open("/?tool=diff&scopes=read:jira-work");
    await answer(diff, "diff");
    const callable = diff.locator("#diff ul.plain > li", {
      has: diff.getByRole("link", { name: "GET /rest/api/2/priority", exact: true }),
    });
    expect(await callable.locator(".badge").textContent()).toBe("Removal due 2023-04-11");
  });

  test("plan and diff statuses: a removed input whose replacement is planned is not 'not found'; an endpoint over the cap is left out", async () => {
    const lines = "GET /rest/api/3/search\nGET /wiki/rest/api/space\nGET /nonexistent";
    const plan = await open(`/?tool=plan&endpoints=${encodeURIComponent(lines)}`);
    expect(await answer(plan, "plan")).toBe("2 scopes for 2 endpoints (1 replacing a removed one); 1 not found");
    expect(await plan.locator("#plan .plain > li:has(> code) > .tag").allTextContents()).toEqual([
      "removed, replacement planned",
      "not found",
    ]);

    const over = await open(
      `/?tool=plan&endpoints=${encodeURIComponent("GET /rest/api/3/search\nGET /rest/agile/1.0/board")}&maxScopes=1`,
    );
    expect(await answer(over, "plan")).toBe("3 scopes for 1 endpoint; 1 in no token");
    expect(await over.locator("#plan h4").allTextContents()).toContain("Fits in no token: left out");

    const diff = await open(
      `/?tool=diff&scopes=read:jira-work&endpoints=${encodeURIComponent("GET /wiki/rest/api/space\nGET /nonexistent")}`,
    );
    expect(await answer(diff, "diff")).toBe("1 endpoint removed, 1 endpoint not found (of 2)");

    // A deprecated endpoint is tagged in a diff and a plan; a removed one has its removal badge instead.
    const both = "GET /rest/agile/1.0/board/5/issue\nGET /rest/api/3/search";
    const checked = await open(`/?tool=diff&scopes=read:jira-work&endpoints=${encodeURIComponent(both)}`);
    await answer(checked, "diff");
    expect(await checked.locator("#diff .checks .tag").allTextContents()).toEqual(["deprecated"]);
    const planned = await open(`/?tool=plan&endpoints=${encodeURIComponent(both)}`);
    await answer(planned, "plan");
    expect(await planned.locator("#plan .plain > li > .tag", { hasText: "deprecated" }).count()).toBe(1);
  });

  test("scope search: a Bitbucket classic scope lists what it grants, saying which scope each endpoint names", async () => {
    const expected = await api("/endpoints?scope=pullrequest:write");
    const page = await open("/?tool=scope&scope=pullrequest:write");
    expect(await answer(page, "scope")).toBe(`pullrequest:write appears in ${expected.total} endpoints`);
    expect(expected.total).toBeGreaterThan(8);
    const repo = page.locator("#scope .plain > li", {
      has: page.getByRole("link", { name: "GET /2.0/repositories/{workspace}/{repo_slug}", exact: true }),
    });
    expect(await repo.locator(".meta").allTextContents()).toEqual([
      "Its scope is repository, which this scope grants. ",
      "That suffices.",
    ]);
  });

  test("scope search: a typo shows the API's suggestion, and the suggestion searches", async () => {
    const expected = await api("/endpoints?scope=read:board-scope:jira");
    const page = await open("/");
    await page.getByRole("navigation", { name: "Tools" }).getByRole("link", { name: "Scope search" }).click();
    await page.getByLabel("Scope", { exact: true }).fill("read:board-scope:jira");
    await page.getByLabel("Scope", { exact: true }).press("Enter");
    expect(await answer(page, "scope")).toBe(expected.error.message);
    expect(expected.error.message).toBe(
      "No scope read:board-scope:jira in the catalog. Did you mean read:board-scope:jira-software?",
    );
    await page.locator("#scope .suggestions").getByRole("link", { name: "read:board-scope:jira-software" }).click();
    const found = await api("/endpoints?scope=read:board-scope:jira-software");
    expect(await answer(page, "scope")).toBe(`read:board-scope:jira-software appears in ${found.total} endpoints`);
    expect(await page.locator("#scope .plain > li > a").first().textContent()).toBe("GET /rest/agile/1.0/board");
    expect(await page.locator("#scope .plain > li").first().textContent()).toContain("Together with read:project:jira");
  });

  test("scope search: a real scope outside the catalog says which API takes it; a Connect scope lists what it grants", async () => {
    const outside = await open("/?tool=scope&scope=read:account");
    expect(await answer(outside, "scope")).toBe("read:account appears in 0 endpoints");
    expect(await outside.locator("#scope p.unused").textContent()).toMatch(
      /^Outside the catalog: a real scope \(@forge\/manifest@[\d.]+\) of the User Identity API/,
    );
    const expected = await api("/endpoints?scope=READ");
    const connect = await open("/?tool=scope&scope=READ");
    expect(await answer(connect, "scope")).toBe(`READ appears in ${expected.total} endpoints`);
    expect(await connect.locator("#scope .plain > li").first().textContent()).toMatch(
      /Its Connect scope is (READ|NONE), which this scope grants\.$/,
    );
  });

  test("a link's credential the picker lacks is sent: the API's error and its suggestion, which asks again with it", async () => {
    const page = await open("/?tool=lookup&path=/rest/agile/1.0/board&credential=3lo");
    expect(await answer(page, "lookup")).toMatch(
      /^credential "3lo" is not a credential kind; .* Did you mean oauth2-3lo\?$/,
    );
    expect(await page.locator("#lookup-credential option:checked").textContent()).toBe("3lo (from the link)");
    await page.locator("#lookup .suggestions").getByRole("link", { name: "oauth2-3lo" }).click();
    await expect.poll(() => answer(page, "lookup")).toBe("2 endpoints match /rest/agile/1.0/board");
    expect(new URL(page.url()).search).toBe("?tool=lookup&path=/rest/agile/1.0/board&credential=oauth2-3lo");
    expect(await page.locator("#lookup-credential option[data-from-link]").count()).toBe(0);
  });

  test("state in the URL: a shared link shows its result without typing; back returns to it", async () => {
    const page = await open(MISSION_LINK, { permissions: ["clipboard-read", "clipboard-write"] });
    expect(await answer(page, "diff")).toBe("1 endpoint missing scopes (of 1)");
    expect(await page.getByLabel("Token scopes").inputValue()).toBe(
      "read:board-scope.admin:jira-software read:board-scope:jira-software",
    );
    expect(await page.locator("#diff .add code").allTextContents()).toEqual(["read:project:jira"]);

    // "Copy link" copies the page's URL, which holds the state.
    await page.locator("#diff").getByRole("button", { name: "Copy link" }).click();
    await expect.poll(() => page.locator("#diff .copied").textContent()).toBe("Link copied.");
    expect(await page.evaluate<string>("navigator.clipboard.readText()")).toBe(page.url());

    // A scope in the result is a link to its reverse lookup; back shows the diff again.
    await page.locator("#diff .add").getByRole("link", { name: "read:project:jira" }).click();
    expect(await answer(page, "scope")).toMatch(/^read:project:jira appears in \d+ endpoints$/);
    expect(await page.locator("#diff").isHidden()).toBe(true);
    await page.goBack();
    expect(await page.locator("#diff").isVisible()).toBe(true);
    expect(await answer(page, "diff")).toBe("1 endpoint missing scopes (of 1)");
    expect(page.url()).toBe(`${base()}${MISSION_LINK}`);
  });

  test("Back after tab clicks: the URL and the screen agree, fields and result as the URL says", async () => {
    const BOARD = "/rest/agile/1.0/board";
    const LOOKUP = `/?tool=lookup&path=${BOARD}`;
    const SCOPE = "/?tool=scope&scope=read:project:jira";
    const page = await open("/");
    const tabs = page.getByRole("navigation", { name: "Tools" });
    const path = page.getByLabel("URL or path");
    const scope = page.getByLabel("Scope", { exact: true });
    /** What a tool shows: the URL, the visible tool, its key field, its status line and whether it shows an answer. */
    const screen = async (tool: Tool, field: typeof path) => ({
      url: page.url().slice(base().length),
      visible: await page.locator(`#${tool}`).isVisible(),
      field: await field.inputValue(),
      status: (await page.locator(`#${tool}-status`).textContent()) ?? "",
      answer: await page.locator(`#${tool} .out`).evaluate((out) => out.childElementCount > 0),
      title: await page.title(),
    });
    const found = await api("/endpoints?scope=read:project:jira");
    const scopeStatus = `read:project:jira appears in ${found.total} endpoints`;
    const lookupStatus = `2 endpoints match ${BOARD}`;
    const empty = { field: "", status: "", answer: false, title: "Scope Catalog" };

    await path.fill(BOARD);
    await path.press("Enter");
    expect(await answer(page, "lookup")).toBe(lookupStatus);
    await tabs.getByRole("link", { name: "Scope search" }).click();
    expect(await screen("scope", scope)).toEqual({ url: "/?tool=scope", visible: true, ...empty });
    await scope.fill("read:project:jira");
    await scope.press("Enter");
    expect(await answer(page, "scope")).toBe(scopeStatus);
    await expect.poll(() => page.url()).toBe(`${base()}${SCOPE}`);
    await tabs.getByRole("link", { name: "Token diff" }).click();
    expect(page.url()).toBe(`${base()}/?tool=diff`);

    // Each tab click was a step in the history; Back walks them in reverse, each screen as its URL says.
    const back = async (url: string) => {
      await page.goBack();
      await expect.poll(() => page.url()).toBe(`${base()}${url}`);
    };
    await back(SCOPE);
    await expect
      .poll(() => screen("scope", scope))
      .toEqual({
        url: SCOPE,
        visible: true,
        field: "read:project:jira",
        status: scopeStatus,
        answer: true,
        title: "read:project:jira · Scope Catalog",
      });
    // The scope tool before its search: empty, not the answer that came later.
    await back("/?tool=scope");
    await expect.poll(() => screen("scope", scope)).toEqual({ url: "/?tool=scope", visible: true, ...empty });
    await back(LOOKUP);
    await expect
      .poll(() => screen("lookup", path))
      .toEqual({
        url: LOOKUP,
        visible: true,
        field: BOARD,
        status: lookupStatus,
        answer: true,
        title: `${BOARD} · Scope Catalog`,
      });
    // The page as it opened: the default tool, empty.
    await back("/");
    await expect.poll(() => screen("lookup", path)).toEqual({ url: "/", visible: true, ...empty });

    // Forward asks again for what each URL holds.
    await page.goForward();
    await expect.poll(() => screen("lookup", path)).toMatchObject({ url: LOOKUP, field: BOARD, status: lookupStatus });
    await page.goForward();
    await expect.poll(() => screen("scope", scope)).toEqual({ url: "/?tool=scope", visible: true, ...empty });
    await page.goForward();
    await expect.poll(() => screen("scope", scope)).toMatchObject({ url: SCOPE, status: scopeStatus, answer: true });

    // A tab click shows a tool as it was left: its last answer under that answer's URL, and unsent typing.
    await scope.fill("read:jira-work");
    await tabs.getByRole("link", { name: "Endpoint" }).click();
    expect(await screen("lookup", path)).toMatchObject({ url: LOOKUP, field: BOARD, status: lookupStatus });
    await tabs.getByRole("link", { name: "Scope search" }).click();
    expect(await screen("scope", scope)).toMatchObject({ url: SCOPE, field: "read:jira-work", status: scopeStatus });
    // Back and Forward go to an entry's URL: the typing gives way to the URL's fields.
    await back(LOOKUP);
    await page.goForward();
    await expect.poll(() => screen("scope", scope)).toMatchObject({ url: SCOPE, field: "read:project:jira" });
  });

  test("API prose shows its `code` spans as <code>, never a literal backtick", async () => {
    // The admin board scope held where the plain one is needed: the near-miss hint names both in backticks.
    const scopes = "read:board-scope.admin:jira-software read:project:jira";
    const page = await open(
      `/?tool=diff&scopes=${encodeURIComponent(scopes)}&endpoints=${encodeURIComponent(`GET ${GATEWAY_BOARD}`)}`,
    );
    expect(await answer(page, "diff")).toBe("1 endpoint missing scopes (of 1)");
    const hint = page.locator("#diff .hints li").filter({ hasText: "does not stand in for" });
    expect(await hint.textContent()).toBe(
      "read:board-scope.admin:jira-software does not stand in for read:board-scope:jira-software: they are different scopes, so add read:board-scope:jira-software.",
    );
    expect(await hint.locator("code").allTextContents()).toEqual([
      "read:board-scope.admin:jira-software",
      "read:board-scope:jira-software",
      "read:board-scope:jira-software",
    ]);
    expect(await page.locator("#diff .out").textContent()).not.toContain("`");

    // An error message in the status line, and the same message as a plan's "Not found" warning.
    const ftp = await open("/?tool=lookup&path=ftp://example.com/rest/api/3/myself");
    const refused = await api("/scopes?path=ftp://example.com/rest/api/3/myself");
    expect(refused.error.message).toMatch(/^`path` /);
    expect(await answer(ftp, "lookup")).toBe(refused.error.message.replaceAll("`", ""));
    expect(await ftp.locator("#lookup-status code").allTextContents()).toEqual(["path"]);
    const lines = "GET /rest/agile/1.0/board\nGET ftp://example.com/rest/api/3/myself";
    const plan = await open(`/?tool=plan&endpoints=${encodeURIComponent(lines)}`);
    expect(await answer(plan, "plan")).toMatch(/; 1 refused$/);
    const warning = plan.locator("#plan .warn");
    expect(await warning.textContent()).toBe(refused.error.message.replaceAll("`", ""));
    expect(await warning.locator("code").allTextContents()).toEqual(["path"]);
  });

  test("keyboard only: Tab and Enter reach the tools, submit them and follow results", async () => {
    const page = await open("/");
    await tabTo(page, "el.id === 'lookup-path'");
    await page.keyboard.type("/rest/agile/1.0/board");
    await page.keyboard.press("Enter");
    expect(await answer(page, "lookup")).toBe("2 endpoints match /rest/agile/1.0/board");

    // Into the results: a scope link opens its reverse lookup, and focus moves to that result.
    await tabTo(page, "el.textContent === 'read:project:jira'");
    await page.keyboard.press("Enter");
    expect(await answer(page, "scope")).toMatch(/^read:project:jira appears in \d+ endpoints$/);
    expect(await page.evaluate<string>("document.activeElement.closest('section').id")).toBe("scope");

    // Back up to the tool tabs, open the token diff, fill it and send it with Ctrl+Enter.
    await tabTo(page, "el.getAttribute('data-tool') === 'diff'", { back: true });
    await page.keyboard.press("Enter");
    expect(await page.locator("#diff").isVisible()).toBe(true);
    await tabTo(page, "el.id === 'diff-scopes'");
    await page.keyboard.type("read:board-scope:jira-software read:project:jira");
    await page.keyboard.press("Tab");
    await page.keyboard.type("GET /rest/agile/1.0/board");
    await page.keyboard.press("Control+Enter");
    expect(await answer(page, "diff")).toBe("The scopes cover the endpoint");
    expect(await page.locator("#diff .badge").textContent()).toBe("OK");
  });

  test("phone, 360×740: no horizontal scroll in any tool", async () => {
    const links = [
      `/?tool=lookup&path=${encodeURIComponent(`https://api.atlassian.com/ex/jira/${CLOUD_ID}/rest/api/3/issue/ABC-1`)}&method=GET`,
      MISSION_LINK,
      `/?tool=plan&endpoints=${encodeURIComponent("GET /rest/agile/1.0/board\nPOST /rest/api/3/issue\nGET /wiki/api/v2/pages/{id}\nGET /nope")}`,
      "/?tool=scope&scope=read:jira-work",
    ];
    for (const link of links) {
      const page = await open(link, { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
      const tool = new URL(link, base()).searchParams.get("tool") as Tool;
      await answer(page, tool);
      const width = await page.evaluate<{ scroll: number; client: number }>(
        "({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth })",
      );
      expect(width.client, link).toBe(360);
      expect(width.scroll, link).toBeLessThanOrEqual(360);
    }
  });

  test("accessibility: every input has a label, the tabs say which is current", async () => {
    const page = await open("/");
    expect(await page.getAttribute("html", "lang")).toBe("en");
    const tabs = page.getByRole("navigation", { name: "Tools" }).getByRole("link");
    expect(await tabs.allTextContents()).toEqual(["Endpoint", "Token diff", "Plan", "Scope search"]);
    let fields = 0;
    for (const [index, tool] of TOOLS.entries()) {
      await tabs.nth(index).click();
      expect(await tabs.nth(index).getAttribute("aria-current")).toBe("page");
      expect(await page.locator(`#${tool}`).isVisible()).toBe(true);
      const inputs = page.locator(`#${tool}`).locator("input:not([type=hidden]), select, textarea");
      for (let nth = 0; nth < (await inputs.count()); nth++) {
        const id = (await inputs.nth(nth).getAttribute("id")) ?? "";
        const label = page.locator(`label[for="${id}"]`);
        expect(await label.count(), `#${id} has a label`).toBe(1);
        const text = ((await label.textContent()) ?? "").trim();
        expect(text).not.toBe("");
        expect(await page.getByLabel(text, { exact: true }).getAttribute("id")).toBe(id);
        fields++;
      }
      for (const name of await page.locator(`#${tool} button`).allTextContents()) expect(name.trim()).not.toBe("");
      expect(await page.getByRole("heading", { level: 2 }).count()).toBe(1);
    }
    expect(fields).toBe(12);
  });

  test("the credential picker is sent and kept in the URL; Back and Forward keep URL, picker and notes in agreement", async () => {
    const site = "https://acme.atlassian.net/rest/api/3/issue/ABC-1";
    const FORGE = `/?tool=lookup&path=${site}&method=GET&credential=forge`;
    const page = await open(FORGE);
    expect(await answer(page, "lookup")).toBe("1 endpoint matches /rest/api/3/issue/ABC-1");
    const picker = page.getByLabel("Credential", { exact: true });
    expect(await picker.inputValue()).toBe("forge");
    expect(await page.locator("#lookup .credential code").textContent()).toBe("forge");
    const notes = page.locator("#lookup .url-notes li");
    expect(await notes.locator(".tag").allTextContents()).toEqual(["forge_path"]);
    expect(await notes.locator("code.url").allTextContents()).toEqual(["/rest/api/3/issue/ABC-1"]);
    expect(await page.locator("#lookup .out").textContent()).not.toContain("/ex/");

    await picker.selectOption("");
    await page.getByRole("button", { name: "Look up" }).click();
    await expect.poll(() => new URL(page.url()).searchParams.has("credential")).toBe(false);
    expect(await answer(page, "lookup")).toBe("1 endpoint matches /rest/api/3/issue/ABC-1");
    expect(await notes.locator(".tag").allTextContents()).toEqual(["scoped_token_gateway"]);
    expect(await notes.locator("code.url").allTextContents()).toEqual([
      "https://api.atlassian.com/ex/jira/{cloudId}/rest/api/3/issue/ABC-1",
    ]);

    await page.goBack();
    await expect.poll(() => picker.inputValue()).toBe("forge");
    expect(new URL(page.url()).searchParams.get("credential")).toBe("forge");
    await expect.poll(() => notes.locator(".tag").allTextContents()).toEqual(["forge_path"]);
    await page.goForward();
    await expect.poll(() => picker.inputValue()).toBe("");
    await expect.poll(() => notes.locator(".tag").allTextContents()).toEqual(["scoped_token_gateway"]);
  });

  test("diff and plan send the credential; removed and no-scope endpoints are said plainly", async () => {
    const diff = await open("/?tool=diff");
    await diff.getByLabel("Token scopes").fill("read:repository:bitbucket");
    await diff.getByLabel("Endpoints to check").fill("GET https://api.bitbucket.org/2.0/user");
    await diff.getByLabel("Credential of the token").selectOption("bitbucket-api-token");
    await diff.getByRole("button", { name: "Compare" }).click();
    expect(await answer(diff, "diff")).toBe("1 endpoint missing scopes (of 1)");
    expect(new URL(diff.url()).searchParams.get("credential")).toBe("bitbucket-api-token");
    expect(await diff.locator("#diff .credential code").textContent()).toBe("bitbucket-api-token");
    expect(await diff.locator("#diff .add code").allTextContents()).toEqual(["read:user:bitbucket"]);

    const lines = "GET https://api.atlassian.com/oauth/token/accessible-resources\nGET /rest/api/3/search";
    const plan = await open(`/?tool=plan&endpoints=${encodeURIComponent(lines)}&credential=oauth2-3lo`);
    expect(await answer(plan, "plan")).toBe("1 scope for 2 endpoints");
    expect(await plan.getByLabel("Credential to plan for").inputValue()).toBe("oauth2-3lo");
    expect(await plan.locator("#plan h4").allTextContents()).toContain("Needs no scope");
    const removal = plan.locator("#plan .removal");
    expect(await removal.locator(".badge").textContent()).toBe("Removed 2025-05-01");
    expect(await removal.getByRole("link").textContent()).toBe("GET /rest/api/3/search/jql");

    const gone = await open("/?tool=lookup&path=/wiki/rest/api/space&method=GET");
    const expected = await api("/scopes?path=/wiki/rest/api/space&method=GET");
    expect(expected.error.code).toBe("endpoint_removed");
    expect(await answer(gone, "lookup")).toBe(expected.error.message.replaceAll("`", ""));
    await gone.locator("#lookup .suggestions").getByRole("link", { name: "GET /wiki/api/v2/spaces" }).click();
    expect(await answer(gone, "lookup")).toBe("1 endpoint matches /wiki/api/v2/spaces");
  });

  test("screenshot of the mission case for the README (docs/screenshot.png)", async () => {
    const page = await open(MISSION_LINK, { viewport: { width: 960, height: 700 } });
    expect(await answer(page, "diff")).toBe("1 endpoint missing scopes (of 1)");
    mkdirSync(dirname(SCREENSHOT), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    expect(statSync(SCREENSHOT).size).toBeGreaterThan(20_000);
  });
});
