/**
 * The page's HTML: four tools (endpoint lookup, token diff, plan, scope search), each a GET form whose
 * fields are the URL's state, so the page works as a link even before its script runs. The script
 * (client/main.ts, served as page-script.ts) and the style sheet (style.ts) are separate files, so the page needs no inline code
 * and the Content-Security-Policy can forbid it.
 */
import { CREDENTIAL_KINDS } from "../catalog/credentials";
import { HTTP_METHODS, PRODUCTS } from "../catalog/schema";
import { MAX_SCOPES_PER_TOKEN } from "../catalog/split";

const EXAMPLE_GATEWAY = "https://api.atlassian.com/ex/jira/{cloudId}/rest/agile/1.0/board";

/** `?tool=...&...` with `/` and `:` left readable: these links get pasted into chat threads. */
function link(params: Record<string, string>): string {
  const query = Object.entries(params)
    .map(
      ([name, value]) =>
        `${name}=${encodeURIComponent(value).replace(/%2F/g, "/").replace(/%3A/g, ":").replace(/%20/g, "+")}`,
    )
    .join("&");
  return `?${query}`.replace(/&/g, "&amp;");
}

const options = (values: readonly string[]) => values.map((value) => `<option>${value}</option>`).join("");

/** The credential picker of a tool: the kinds the API takes (catalog/credentials.ts), "not given" by default. */
// The kinds are listed once, in the lookup's picker; the script copies them into the others (main.ts).
const credentialField = (
  tool: string,
  label: string,
) => `<div class="field"><label for="${tool}-credential">${label}</label>
<select id="${tool}-credential" name="credential"><option value="">Not given</option>${tool === "lookup" ? options(CREDENTIAL_KINDS) : ""}</select></div>`;

/**
 * The result area of one tool: a heading and "copy link" once there is an answer, what the link leaves out
 * (fields too long for one), a live status line, the answer.
 */
const result = (tool: string) => `
<div class="result" id="${tool}-result">
<div class="result-head" hidden><h3 tabindex="-1">Result</h3><button type="button" class="copy" data-copy="link">Copy link</button><span class="copied" role="status"></span></div>
<p class="hint link-note" id="${tool}-link-note" hidden></p>
<p class="status" id="${tool}-status" role="status"></p>
<div class="out"></div>
</div>`;

/** Text as HTML, with the API's `code` spans as <code> (as the script shows API prose). */
const proseHtml = (text: string) =>
  text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/`([^`\n]+)`/g, "<code>$1</code>");

/**
 * The page; with a `notice`, the page's answer to a link it refused (routes/page.ts), shown above the
 * tools even without JavaScript. The script, which says the same in the tool's status, removes it.
 */
export function pageHtml(assets: { css: string; js: string }, notice?: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Scope Catalog: the OAuth scopes of Atlassian Cloud REST endpoints</title>
<meta name="description" content="Which OAuth 2.0 and API-token scopes each Atlassian Cloud REST endpoint needs, and what your token is missing.">
<meta property="og:title" content="Scope Catalog">
<meta property="og:description" content="Which scopes each Atlassian Cloud REST endpoint needs, and what your token is missing.">
<meta name="color-scheme" content="light dark">
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${assets.css}">
<script src="${assets.js}" defer></script>
</head>
<body>
<a class="skip" href="#main">Skip to the tools</a>
<header class="wrap">
<h1>Scope Catalog</h1>
<p class="lede">Which OAuth scopes each Atlassian Cloud REST endpoint needs, and what your token is missing.</p>
<nav aria-label="Tools"><ul class="tabs">
<li><a href="?tool=lookup" data-tool="lookup" aria-current="page">Endpoint</a></li>
<li><a href="?tool=diff" data-tool="diff">Token diff</a></li>
<li><a href="?tool=plan" data-tool="plan">Plan</a></li>
<li><a href="?tool=scope" data-tool="scope">Scope search</a></li>
</ul></nav>
</header>
<main id="main" class="wrap">
<noscript><p class="status err">The tools need JavaScript. The same answers come from the API without it: see <a href="/openapi.json">/openapi.json</a>.</p></noscript>
${notice ? `<p class="status err" id="notice" role="alert">${proseHtml(notice)}</p>\n` : ""}
<section id="lookup" aria-labelledby="lookup-h">
<h2 id="lookup-h">Which scopes does an endpoint need?</h2>
<form action="/" method="get">
<input type="hidden" name="tool" value="lookup">
<div class="row">
<div class="field grow"><label for="lookup-path">URL or path</label>
<input id="lookup-path" name="path" type="text" inputmode="url" autocomplete="off" autocapitalize="off" spellcheck="false" placeholder="${EXAMPLE_GATEWAY}" aria-describedby="lookup-path-hint"></div>
<div class="field"><label for="lookup-method">Method</label>
<select id="lookup-method" name="method"><option value="">Any</option>${options(HTTP_METHODS)}</select></div>
${credentialField("lookup", "Credential")}
</div>
<p class="hint" id="lookup-path-hint">A site URL, the api.atlassian.com gateway, Bitbucket, Assets or a bare path; the query string is ignored.</p>
<p class="hint">Credential: only the scope sets it can hold count; for <code>forge</code>, the requestJira path, never /ex/.</p>
<button type="submit">Look up</button>
<p class="example">Example: <a href="${link({ tool: "lookup", path: EXAMPLE_GATEWAY, method: "GET" })}">GET ${EXAMPLE_GATEWAY}</a></p>
</form>
${result("lookup")}
</section>

<section id="diff" aria-labelledby="diff-h" hidden>
<h2 id="diff-h">What is my token missing?</h2>
<form action="/" method="get">
<input type="hidden" name="tool" value="diff">
<div class="field"><label for="diff-scopes">Token scopes</label>
<textarea id="diff-scopes" name="scopes" rows="3" spellcheck="false" autocapitalize="off" aria-describedby="diff-scopes-hint"></textarea>
<p class="hint" id="diff-scopes-hint">Scope names separated by spaces, commas or lines, as Atlassian's token form shows them, or the admin API's token list (JSON). Never a token itself.</p></div>
<div class="field"><label for="diff-endpoints">Endpoints to check</label>
<textarea id="diff-endpoints" name="endpoints" rows="3" spellcheck="false" autocapitalize="off" aria-describedby="diff-endpoints-hint"></textarea>
<p class="hint" id="diff-endpoints-hint">One <code>METHOD URL</code> per line. Leave empty to list what the scopes can call. Ctrl+Enter sends.</p></div>
${credentialField("diff", "Credential of the token")}
<button type="submit">Compare</button>
<p class="example">Example: <a href="${link({ tool: "diff", scopes: "read:board-scope.admin:jira-software read:board-scope:jira-software", endpoints: `GET ${EXAMPLE_GATEWAY}` })}">a board token that fails with “scope does not match”</a></p>
</form>
${result("diff")}
</section>

<section id="plan" aria-labelledby="plan-h" hidden>
<h2 id="plan-h">Which scopes should a new token get?</h2>
<form action="/" method="get">
<input type="hidden" name="tool" value="plan">
<div class="field"><label for="plan-endpoints">Endpoints your integration calls</label>
<textarea id="plan-endpoints" name="endpoints" rows="5" spellcheck="false" autocapitalize="off" aria-describedby="plan-endpoints-hint"></textarea>
<p class="hint" id="plan-endpoints-hint">One <code>METHOD URL</code> per line. Ctrl+Enter sends.</p></div>
<div class="field"><label for="plan-prefer">Prefer</label>
<select id="plan-prefer" name="prefer"><option value="">Fewest scopes</option><option value="granular">Granular scopes</option><option value="classic">Classic scopes</option></select></div>
<div class="field"><label for="plan-max-scopes">Scopes per token</label>
<input id="plan-max-scopes" name="maxScopes" type="number" min="1" max="${MAX_SCOPES_PER_TOKEN}" placeholder="50" aria-describedby="plan-max-scopes-hint">
<p class="hint" id="plan-max-scopes-hint">Past it, the plan is split over tokens. Empty: 50, the cap on service-account tokens.</p></div>
${credentialField("plan", "Credential to plan for")}
<button type="submit">Plan scopes</button>
<p class="example">Example: <a href="${link({ tool: "plan", endpoints: "GET /rest/agile/1.0/board\nPOST /rest/api/3/issue\nGET /wiki/api/v2/pages/{id}" })}">boards, new issues and Confluence pages</a></p>
</form>
${result("plan")}
</section>

<section id="scope" aria-labelledby="scope-h" hidden>
<h2 id="scope-h">What does a scope unlock?</h2>
<form action="/" method="get">
<input type="hidden" name="tool" value="scope">
<div class="row">
<div class="field grow"><label for="scope-scope">Scope</label>
<input id="scope-scope" name="scope" type="text" autocomplete="off" autocapitalize="off" spellcheck="false" placeholder="read:board-scope:jira-software"></div>
<div class="field"><label for="scope-product">Product</label>
<select id="scope-product" name="product"><option value="">Any</option>${options(PRODUCTS)}</select></div>
</div>
<button type="submit">Find endpoints</button>
<p class="example">Example: <a href="${link({ tool: "scope", scope: "read:board-scope:jira-software" })}">read:board-scope:jira-software</a></p>
</form>
${result("scope")}
</section>

</main>
<footer class="wrap"><p>Scraped daily from Atlassian's published REST documents. <a href="/openapi.json">The API</a> (OpenAPI) · <a href="/health">Health</a></p></footer>
</body>
</html>
`;
}
