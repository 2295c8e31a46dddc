/**
 * The page's script, served as /page.js: browser code, type-checked with the DOM library
 * (tsconfig.json beside it) and compiled by `npm run build:page` into ../page-script.ts, which the
 * worker serves. It builds every node with createElement and textContent, never innerHTML, so API
 * text is never parsed as markup and the CSP can require Trusted Types.
 *
 * State: each tool's form fields are the URL query (`?tool=lookup&path=...&method=GET`). Submitting
 * pushes the URL and asks the API. Loading a URL, following a link or going Back or Forward shows
 * exactly what the URL says: its tool, its fields, and its answer (asked again) or, without the
 * tool's state (`?tool=scope`, `/`), the tool empty. A tab click also adds a history entry (see openTab).
 *
 * What the page writes to its address bar is a link that works (page-state.ts): never a credential
 * (the form is checked before anything is sent or written, a link holding one loses it), and never
 * over MAX_LINK_CHARS: fields too long for a link stay in the history entry's state (kept on reload,
 * Back and Forward) and the link names them in `omitted`, which the page says.
 */
import { replacedInputs, unmatchedStatus } from "../../answers/plan-inputs";
import { findSecretInRequest } from "../../middleware/secret-scan";
import {
  credentialInLink,
  credentialInLinkMessage,
  credentialInValues,
  credentialNotSentMessage,
  linkQuery,
  MAX_LINK_CHARS,
  OMITTED_PARAM,
  stateQuery,
  TOOL_FIELDS as TOOLS,
  type ToolName,
  type Values,
} from "../page-state";

// The API answers as the page reads them: only the fields it shows (the worker's /openapi.json has all).
interface ApiFailure {
  code?: string;
  message: string;
  details?: {
    suggestions?: string[];
    methods?: string[];
    path?: string;
    /** endpoint_removed: what each removed endpoint was, and what to call instead. */
    removed?: { replacement?: { method: string; path: string } }[];
    urlNotes?: UrlNote[];
  };
}
interface UrlNote {
  code: string;
  message: string;
  url?: string;
}
/** An endpoint the documents still list whose removal took effect (calls answer 410). */
interface Removal {
  effective: string;
  message: string;
  seenGone?: boolean;
  replacement?: { method: string; path: string };
}
interface CredentialAnswer {
  kind: string;
  inferred: boolean;
  reason?: string;
}
interface Catalog {
  version: string;
  source: string;
}
interface Alternative {
  kind: string;
  state: string;
  scopes: string[];
}
interface Endpoint {
  method: string;
  path: string;
  product: string;
  summary?: string;
  deprecated?: boolean;
  experimental?: boolean;
  alternatives: Alternative[];
  notes?: string[];
  docsUrl?: string;
  removal?: Removal;
  needsNoScope?: string;
  unusable?: string;
}
interface EndpointInput {
  method?: string;
  path: string;
}
interface CheckResult {
  input: EndpointInput;
  error?: ApiFailure;
  method: string;
  path: string;
  summary?: string;
  docsUrl?: string;
  satisfied?: boolean | null;
  satisfiedBy: { scopes: string[] } | null;
  missing: string[];
  alternatives: (Alternative & { missing: string[] })[];
  hints?: string[];
  urlNotes?: UrlNote[];
  removal?: Removal;
  deprecated?: boolean;
  needsNoScope?: boolean;
  unusable?: string;
  /** With `error.code` endpoint_removed: the endpoint to call instead, checked against the same scopes. */
  replacements?: {
    method?: string;
    path?: string;
    satisfied?: boolean | null;
    satisfiedBy?: { scopes: string[] } | null;
    missing?: string[];
  }[];
}
interface CallableEndpoint {
  method: string;
  path: string;
  summary?: string;
  /** A Connect app's: the endpoint's Connect scope its scopes grant. */
  connectScope?: string;
  removal?: Removal;
}
interface Callable {
  total: number;
  byProduct: Record<string, number>;
  endpoints: CallableEndpoint[];
  nextCursor?: string;
}
interface TokenAnswer {
  id?: string;
  label?: string;
  scopes: string[];
  unknownScopes: { scope: string; suggestions: string[] }[];
  outsideScopes?: { scope: string; api: string; deprecated?: boolean }[];
  authorizationScopes?: { scope: string; note: string }[];
  deprecatedScopes?: { scope: string; replacedBy?: string }[];
  results?: CheckResult[];
  unusedScopes?: string[];
  callable?: Callable;
  summary: { checked: number; unsatisfied: number; errors: number };
  credential?: CredentialAnswer;
  warnings?: string[];
}
interface DiffAnswer extends TokenAnswer {
  tokens?: TokenAnswer[];
  catalog: Catalog;
}
interface PlannedEndpoint {
  input: EndpointInput;
  method: string;
  path: string;
  replaces?: string;
  deprecated?: boolean;
  chosen: Alternative;
  urlNotes?: UrlNote[];
  removal?: Removal;
}
interface PlanAnswer {
  scopes: string[];
  optimal: boolean;
  lowerBound: number;
  maxScopes: number;
  tokens?: { scopes: string[]; endpoints: string[]; credentials?: string[] }[] | null;
  endpoints: PlannedEndpoint[];
  withoutScopes: { method: string; path: string; needsNoScope?: string }[];
  unusable?: { method: string; path: string; why: string }[];
  unfit?: { method: string; path: string; why: string }[];
  unmatched: { input: EndpointInput; error: ApiFailure }[];
  notes?: string[];
  credential?: CredentialAnswer;
  catalog: Catalog;
}
interface ScopeUse {
  method: string;
  path: string;
  summary?: string;
  deprecated?: boolean;
  alone: boolean;
  connectScope?: string;
  /** A Bitbucket classic scope's: the scope it grants that the endpoint's sets name. */
  grantedScope?: string;
  removal?: Removal;
  sets: { companions: string[] }[];
}
interface ReverseAnswer {
  scope: {
    name: string;
    kind: string;
    product: string;
    description?: string;
    outside?: { api: string; docsUrl?: string; deprecated?: boolean; source: string };
    deprecated?: boolean;
    replacedBy?: string;
  };
  total: number;
  endpoints: ScopeUse[];
  nextCursor?: string;
  catalog: Catalog;
}
interface LookupAnswer {
  endpoints: Endpoint[];
  query: { matchedPath: string };
  notes?: string[];
  urlNotes?: UrlNote[];
  credential?: CredentialAnswer;
  catalog: Catalog;
}

type Kid = Node | string | null | undefined | false | readonly Kid[];
type Attrs = Record<string, string | number | boolean | null | undefined>;
/** What a tool shows once the API answered (or failed). */
interface View {
  status: string;
  title: string;
  nodes: Kid;
  error?: boolean;
  code?: string;
}
/** One page of a "Show more" list. */
interface More {
  items: HTMLElement[];
  cursor?: string;
}
type FormField = HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;

const NAMES = Object.keys(TOOLS) as ToolName[];
const isTool = (name: string | null): name is ToolName => NAMES.includes(name as ToolName);
/** Per tool: the URL whose answer it shows (or is asking for), that answer's title, the latest run's id. */
const shown: Partial<Record<ToolName, string>> = {};
const titles: Partial<Record<ToolName, string>> = {};
const runs: Partial<Record<ToolName, number>> = {};

/** The element the page's HTML is known to hold; a missing one is a bug in html.ts, not a state to handle. */
function $<E extends Element = HTMLElement>(selector: string, root: ParentNode = document): E {
  const found = root.querySelector<E>(selector);
  if (!found) throw new Error(`page element missing: ${selector}`);
  return found;
}

function flatten(kids: readonly Kid[], into: (Node | string)[] = []): (Node | string)[] {
  for (const kid of kids) {
    if (Array.isArray(kid)) flatten(kid, into);
    else if (kid !== null && kid !== undefined && kid !== false && kid !== "") into.push(kid as Node | string);
  }
  return into;
}

function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs?: Attrs | null,
  ...kids: Kid[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs ?? {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name === "text") node.textContent = String(value);
    else node.setAttribute(name, value === true ? "" : String(value));
  }
  node.append(...flatten(kids));
  return node;
}
const plural = (count: number, one: string, many?: string) => `${count} ${count === 1 ? one : many || `${one}s`}`;
/**
 * A link to a page state. Its href is the link the address bar would get (writeUrl), so opening it in a
 * new tab or copying it never makes a URL over MAX_LINK_CHARS; a click follows the whole state (data-state).
 */
function link(tool: ToolName, values: Values, ...kids: Kid[]) {
  const { query, omitted } = linkQuery(tool, values, linkRoom());
  return h("a", { href: query, "data-state": omitted.length ? stateQuery(tool, values) : null }, ...kids);
}
const scopeLink = (scope: string) => link("scope", { scope }, h("code", { text: scope }));
const endpointLink = (method: string, path: string) =>
  link("lookup", { path, method }, h("span", { class: "m", text: method }), " ", h("code", { text: path }));
const set = (scopes: readonly string[]) =>
  h(
    "span",
    { class: "set" },
    scopes.map((scope, index) => [index ? " + " : "", scopeLink(scope)]),
  );
const tag = (text: string) => h("span", { class: "tag", text });
/**
 * API prose (hints, notes, error messages) as text and <code> nodes: the API writes scope and field
 * names as Markdown code spans (`read:project:jira`) for clients that render Markdown, as this page
 * does here. Only a backtick pair on one line is a span; a lone backtick stays as written.
 */
const prose = (text: string): Kid[] =>
  text.split(/`([^`\n]+)`/).map((part, index) => (index % 2 ? h("code", { text: part }) : part));
const list = (items: readonly string[] | undefined, cls: string) =>
  items?.length
    ? h(
        "ul",
        { class: cls },
        items.map((item) => h("li", {}, prose(item))),
      )
    : null;
const docs = (item: { docsUrl?: string; summary?: string; method: string; path: string }) =>
  /^https:[/][/]/.test(item.docsUrl || "")
    ? h(
        "p",
        {},
        h("a", { href: item.docsUrl, rel: "noopener" }, `Docs: ${item.summary || `${item.method} ${item.path}`}`),
      )
    : null;
const catalogLine = (catalog: Catalog) =>
  h("p", {
    class: "catalog",
    text: `Catalog ${catalog.version}${catalog.source === "snapshot" ? " (the snapshot bundled with the worker)" : ""}`,
  });

/** What is wrong with a URL as given (the API's urlNotes): its code, what it says, and the URL to call instead. */
const urlNoteList = (notes: readonly UrlNote[] | undefined) =>
  notes?.length
    ? h(
        "ul",
        { class: "url-notes" },
        notes.map((note) =>
          h(
            "li",
            { class: "warn" },
            tag(note.code),
            " ",
            prose(note.message),
            note.url ? [h("br"), "Call: ", h("code", { class: "url", text: note.url })] : null,
          ),
        ),
      )
    : null;
/** The credential an answer is for: as chosen, or inferred from the scopes (with why). */
const credentialLine = (credential: CredentialAnswer | undefined) =>
  credential
    ? h(
        "p",
        { class: "credential" },
        credential.inferred ? "Checked as credential " : "Credential: ",
        h("code", { text: credential.kind }),
        credential.inferred && credential.reason ? [" (", prose(credential.reason), ")"] : null,
      )
    : null;
/** `Removed <date>` (or `Removal due <date>`, no 410 seen yet); in a list, its message as the tooltip. */
const removalBadge = (removal: Removal, title?: string) =>
  h("span", {
    class: "badge b-error",
    title,
    text: removal.seenGone === false ? `Removal due ${removal.effective}` : `Removed ${removal.effective}`,
  });
/** An endpoint whose removal took effect: said plainly, with a link to what to call instead. */
const removalNote = (removal: Removal | undefined) =>
  removal
    ? h(
        "div",
        { class: "removal warn" },
        h("p", {}, removalBadge(removal), " ", prose(removal.message)),
        removal.replacement
          ? h("p", {}, "Call instead: ", endpointLink(removal.replacement.method, removal.replacement.path))
          : null,
      )
    : null;

function read(tool: ToolName): Values {
  const form = $<HTMLFormElement>(`#${tool} form`);
  const values: Values = {};
  for (const field of TOOLS[tool].fields) values[field] = (form.elements.namedItem(field) as FormField).value;
  return values;
}

/**
 * An API answer, or a thrown ApiFailure worded as the API words it. A request the API would refuse as
 * holding a credential is not sent: the page reads it with the API's own guard (findSecretInRequest).
 */
async function api<T>(url: string, init?: RequestInit): Promise<T> {
  const mark = url.indexOf("?");
  const secret = findSecretInRequest({
    query: mark >= 0 ? url.slice(mark + 1) : "",
    body: typeof init?.body === "string" ? init.body : "",
  });
  if (secret) throw failure("credential_detected", credentialNotSentMessage(secret));
  let response: Response;
  try {
    response = await fetch(url, { headers: { accept: "application/json" }, ...init });
  } catch (error) {
    throw failure(
      "network",
      `Could not reach the Scope Catalog API (${(error as Error).message}). Check the connection and try again.`,
    );
  }
  const text = await response.text();
  let body: { error?: ApiFailure } | null = null;
  try {
    body = JSON.parse(text);
  } catch {
    body = null;
  }
  if (response.ok && body) return body as T;
  if (body?.error?.message) throw body.error;
  throw failure(
    `http_${response.status}`,
    `The API answered ${response.status} ${response.statusText}${text ? `: ${text.slice(0, 300)}` : ""}`,
  );
}
const failure = (code: string, message: string): ApiFailure => ({ code, message });

/** Links for an error's suggestions (paths or scopes) or, for a wrong method, the methods the path takes. */
function suggestions(error: ApiFailure, tool: ToolName, values: Values) {
  const details = error.details || {};
  if (Array.isArray(details.suggestions) && details.suggestions.length) {
    const items = details.suggestions.map((item) =>
      h(
        "li",
        {},
        // A credential kind's suggestion is the same question with that kind.
        error.code === "invalid_credential"
          ? link(tool, { ...values, credential: item }, h("code", { text: item }))
          : tool === "scope"
            ? link("scope", { scope: item, product: values.product ?? "" }, h("code", { text: item }))
            : link("lookup", { path: item, method: values.method ?? "" }, h("code", { text: item })),
      ),
    );
    return h("div", { class: "suggestions" }, h("p", { text: "Did you mean:" }), h("ul", {}, items));
  }
  const replacements = (details.removed ?? []).flatMap((item) => (item.replacement ? [item.replacement] : []));
  if (error.code === "endpoint_removed" && replacements.length) {
    const items = replacements.map((item) => h("li", {}, endpointLink(item.method, item.path)));
    return h("div", { class: "suggestions" }, h("p", { text: "Call instead:" }), h("ul", {}, items));
  }
  const path = details.path;
  if (Array.isArray(details.methods) && path) {
    const items = details.methods.map((method) => h("li", {}, endpointLink(method, path)));
    return h("div", { class: "suggestions" }, h("p", { text: "It takes:" }), h("ul", {}, items));
  }
  return null;
}

function alternatives(alts: readonly Alternative[]) {
  if (!alts.length) return h("p", { class: "warn", text: "Its documents publish no OAuth scopes." });
  return h(
    "div",
    {},
    h("p", { text: alts.length > 1 ? "Needs one of these sets (every scope in the set):" : "Needs every scope of:" }),
    h(
      "ul",
      { class: "alts" },
      alts.map((alt) => h("li", {}, set(alt.scopes), tag(`${alt.kind}, ${alt.state}`))),
    ),
  );
}

function scopesOf(endpoint: Endpoint) {
  if (endpoint.needsNoScope) return h("p", { class: "ok", text: `Needs no scope: ${endpoint.needsNoScope}.` });
  return alternatives(endpoint.alternatives);
}

function endpointCard(endpoint: Endpoint) {
  return h(
    "article",
    { class: "card" },
    h("h4", {}, h("span", { class: "m", text: endpoint.method }), " ", h("code", { text: endpoint.path })),
    h(
      "p",
      { class: "meta" },
      [endpoint.product, endpoint.summary].filter(Boolean).join(" · "),
      endpoint.deprecated ? tag("deprecated") : null,
      endpoint.experimental ? tag("experimental") : null,
    ),
    removalNote(endpoint.removal),
    endpoint.unusable
      ? h("p", { class: "warn" }, "Cannot be called with this credential: ", prose(endpoint.unusable))
      : null,
    scopesOf(endpoint),
    list(endpoint.notes, "notes"),
    docs(endpoint),
  );
}

/** A "Show more" button that fetches the next page and appends its items to the list. */
function more(target: HTMLElement, cursor: string | undefined, next: (cursor: string) => Promise<More>) {
  if (!cursor) return null;
  const button = h("button", { type: "button", class: "more", text: "Show more" });
  button.addEventListener("click", async () => {
    button.disabled = true;
    try {
      const page = await next(cursor);
      target.append(...page.items);
      const again = more(target, page.cursor, next);
      if (again) button.replaceWith(again);
      else button.remove();
      page.items[0]?.querySelector("a")?.focus();
    } catch (error) {
      button.replaceWith(h("p", { class: "status err" }, prose((error as ApiFailure).message)));
    }
  });
  return button;
}

const RUN: Record<ToolName, (values: Values) => Promise<View>> = {
  async lookup(values) {
    const query = new URLSearchParams({ path: (values.path ?? "").trim() });
    if (values.method) query.set("method", values.method);
    if (values.credential) query.set("credential", values.credential);
    const data = await api<LookupAnswer>(`/scopes?${query}`);
    const first = data.endpoints[0];
    // urlNotes carry the same messages as notes, with their codes and corrected URLs: shown once, as urlNotes.
    const urlMessages = new Set((data.urlNotes ?? []).map((note) => note.message));
    return {
      status: `${plural(data.endpoints.length, "endpoint")} ${data.endpoints.length === 1 ? "matches " : "match "}${data.query.matchedPath}`,
      title: data.endpoints.length === 1 && first ? `${first.method} ${first.path}` : data.query.matchedPath,
      nodes: [
        credentialLine(data.credential),
        urlNoteList(data.urlNotes),
        list(
          data.notes?.filter((note) => !urlMessages.has(note)),
          "notes",
        ),
        data.endpoints.map(endpointCard),
        catalogLine(data.catalog),
      ],
    };
  },

  async diff(values) {
    let scopes: unknown = (values.scopes ?? "").trim();
    if (/^[[{]/.test(scopes as string)) {
      try {
        scopes = JSON.parse(scopes as string);
      } catch (error) {
        throw failure(
          "invalid_json",
          `The scopes start like JSON but do not parse (${(error as Error).message}). Paste the admin API answer as it came, or scope names separated by spaces.`,
        );
      }
    }
    const body: Record<string, unknown> = { scopes };
    const endpoints = (values.endpoints ?? "")
      .split("\n")
      .map((line) => line.trim())
      .filter(Boolean);
    if (endpoints.length) body.endpoints = endpoints;
    if (values.credential) body.credential = values.credential;
    const post = (extra: Record<string, unknown>) =>
      api<DiffAnswer>("/diff", {
        method: "POST",
        headers: { "content-type": "application/json", accept: "application/json" },
        body: JSON.stringify({ ...body, ...extra }),
      });
    const data = await post({});
    const tokens: TokenAnswer[] = data.tokens || [data];
    const many = Boolean(data.tokens);
    const nodes = tokens.map((token, index) =>
      tokenView(token, many, (cursor) =>
        post({ cursor }).then((next) => {
          const callable = (next.tokens || [next])[index]?.callable;
          return { items: (callable?.endpoints ?? []).map(callableItem), cursor: callable?.nextCursor };
        }),
      ),
    );
    const first = tokens[0]!;
    let status: string;
    if (first.callable)
      status = many
        ? `${plural(tokens.length, "token")}: what each can call`
        : `These scopes can call ${plural(first.callable.total, "endpoint")}`;
    else if (many)
      status = `${plural(tokens.length, "token")} checked: ${tokens.filter((token) => token.summary.unsatisfied === 0 && token.summary.errors === 0).length} can call every endpoint`;
    else {
      const summary = first.summary;
      // `errors` counts removed inputs too: the call fails whatever the scopes, but the path was found.
      const removed = (first.results ?? []).filter((result) => result.error?.code === "endpoint_removed").length;
      status =
        summary.unsatisfied || summary.errors
          ? `${[
              summary.unsatisfied ? `${plural(summary.unsatisfied, "endpoint")} missing scopes` : "",
              removed ? `${plural(removed, "endpoint")} removed` : "",
              summary.errors > removed ? `${plural(summary.errors - removed, "endpoint")} not found` : "",
            ]
              .filter(Boolean)
              .join(", ")} (of ${summary.checked + summary.errors})`
          : `The scopes cover ${summary.checked === 1 ? "the endpoint" : `all ${summary.checked} endpoints`}`;
    }
    return { status, title: "Token diff", nodes: [nodes, catalogLine(data.catalog)] };
  },

  async plan(values) {
    // The API's `no_endpoints` names its own fields (`endpoints`, `text`, `har`): the page says it in its terms.
    const nothing = failure(
      "no_endpoints",
      `Nothing to plan: paste the calls your integration makes into “${labelOf("plan", "endpoints")}”, one \`METHOD URL\` per line (\`GET /rest/agile/1.0/board\`).`,
    );
    if (!values.endpoints?.trim()) throw nothing;
    const body: Record<string, string | number> = { text: values.endpoints };
    if (values.prefer) body.prefer = values.prefer;
    // A number the API checks (a whole number, 1 to 500): its 400 is shown like any other.
    if (values.maxScopes?.trim()) body.maxScopes = Number(values.maxScopes);
    if (values.credential) body.credential = values.credential;
    const data = await api<PlanAnswer>("/plan", {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify(body),
    }).catch((error: ApiFailure) => {
      throw error?.code === "no_endpoints" ? nothing : error;
    });
    // A split plan is several tokens, each created with its own list: no single list is copied for it.
    const split = Boolean(data.tokens);
    const connect = data.credential?.kind === "connect";
    const unit = connect ? "app" : "token";
    const nodes: Kid[] = [
      credentialLine(data.credential),
      h("h4", {
        text: split
          ? `Scopes across all ${unit}s (${data.scopes.length})`
          : `Scopes to request (${data.scopes.length})`,
      }),
      h(
        "ul",
        { class: "scopes" },
        data.scopes.map((scope) => h("li", {}, scopeLink(scope))),
      ),
      split
        ? h("p", { class: "hint", text: `No one ${unit} holds them all: each is created with its own list, below.` })
        : copyButton("Copy scopes", data.scopes),
      data.optimal
        ? null
        : h("p", {
            class: "warn",
            text: `The search stopped early: this is the best plan found; no plan has fewer than ${data.lowerBound} scopes.`,
          }),
    ];
    if (data.tokens?.length) {
      // A Connect app declares its scopes in a descriptor for one product: the split is one app per product.
      const why =
        data.scopes.length > data.maxScopes
          ? `Over ${plural(data.maxScopes, "scope")}`
          : connect
            ? "A Connect app is for one product"
            : "No single credential holds them all";
      nodes.push(h("h4", { text: `${why}: split over ${plural(data.tokens.length, unit)}` }));
      nodes.push(
        h(
          "ol",
          { class: "tokens" },
          data.tokens.map((token, index) =>
            h(
              "li",
              {},
              set(token.scopes),
              token.credentials?.length ? tag(`as ${token.credentials.join(" | ")}`) : null,
              copyButton(`Copy ${unit} ${index + 1}'s scopes`, token.scopes),
              list(token.endpoints, "notes"),
            ),
          ),
        ),
      );
    }
    if (data.endpoints.length) {
      nodes.push(h("h4", { text: "Per endpoint" }));
      nodes.push(
        h(
          "ul",
          { class: "plain" },
          data.endpoints.map((item) =>
            h(
              "li",
              {},
              endpointLink(item.method, item.path),
              item.deprecated && !item.removal ? tag("deprecated") : null,
              h("br"),
              set(item.chosen.scopes),
              tag(`${item.chosen.kind}, ${item.chosen.state}`),
              removalNote(item.removal),
              urlNoteList(item.urlNotes),
            ),
          ),
        ),
      );
    }
    const noScope = data.withoutScopes.filter((item) => item.needsNoScope);
    if (noScope.length) {
      nodes.push(h("h4", { text: "Needs no scope" }));
      nodes.push(
        h(
          "ul",
          { class: "plain" },
          noScope.map((item) => h("li", {}, endpointLink(item.method, item.path), ` (${item.needsNoScope})`)),
        ),
      );
    }
    const unpublished = data.withoutScopes.filter((item) => !item.needsNoScope);
    if (unpublished.length) {
      nodes.push(h("h4", { text: "No scopes published" }));
      nodes.push(
        h(
          "ul",
          { class: "plain" },
          unpublished.map((item) => h("li", {}, endpointLink(item.method, item.path))),
        ),
      );
    }
    if (data.unusable?.length) {
      nodes.push(h("h4", { text: "Cannot be called with this credential" }));
      nodes.push(
        h(
          "ul",
          { class: "plain" },
          data.unusable.map((item) =>
            h("li", {}, endpointLink(item.method, item.path), h("p", { class: "warn" }, prose(item.why))),
          ),
        ),
      );
    }
    if (data.unfit?.length) {
      nodes.push(h("h4", { text: "Fits in no token: left out" }));
      nodes.push(
        h(
          "ul",
          { class: "plain" },
          data.unfit.map((item) =>
            h("li", {}, endpointLink(item.method, item.path), h("p", { class: "warn" }, prose(item.why))),
          ),
        ),
      );
    }
    // A removed input whose replacement is planned is covered, as the text answer's `replaced:` says.
    const replaced = replacedInputs(data.endpoints);
    const unmatched = data.unmatched.map((item) => ({ item, status: unmatchedStatus(item, replaced) }));
    const count = (status: string) => unmatched.filter((entry) => entry.status === status).length;
    if (unmatched.length) {
      nodes.push(
        h("h4", {
          text: data.unmatched.some((item) => item.error.code === "endpoint_removed")
            ? "Removed or not found"
            : "Not found",
        }),
      );
      nodes.push(
        h(
          "ul",
          { class: "plain" },
          unmatched.map(({ item, status }) =>
            h(
              "li",
              {},
              h("code", { text: `${item.input.method || ""} ${item.input.path}`.trim() }),
              tag(status === "replaced" ? "removed, replacement planned" : status),
              h("p", { class: "warn" }, prose(item.error.message)),
              suggestions(item.error, "lookup", { method: item.input.method || "" }),
            ),
          ),
        ),
      );
    }
    nodes.push(list(data.notes, "notes"), catalogLine(data.catalog));
    const planned = data.endpoints.length + data.withoutScopes.length - (data.unfit?.length ?? 0);
    const left = [
      data.unfit?.length ? `${data.unfit.length} in no token` : "",
      count("removed") ? `${count("removed")} removed` : "",
      count("not found") ? `${count("not found")} not found` : "",
      count("refused") ? `${count("refused")} refused` : "",
    ].filter(Boolean);
    return {
      status: `${plural(data.scopes.length, "scope")} for ${plural(planned, "endpoint")}${count("replaced") ? ` (${count("replaced")} replacing a removed one)` : ""}${left.length ? `; ${left.join(", ")}` : ""}`,
      title: `Plan: ${plural(data.scopes.length, "scope")}`,
      nodes,
    };
  },

  async scope(values) {
    const query = new URLSearchParams({ scope: (values.scope ?? "").trim() });
    if (values.product) query.set("product", values.product);
    const page = (cursor?: string) =>
      api<ReverseAnswer>(`/endpoints?${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`);
    const data = await page();
    const uses = h("ul", { class: "plain" }, data.endpoints.map(useItem));
    return {
      status: `${data.scope.name} appears in ${plural(data.total, "endpoint")}`,
      title: data.scope.name,
      nodes: [
        h(
          "h4",
          {},
          h("code", { text: data.scope.name }),
          tag(data.scope.kind),
          data.scope.kind === "connect" ? null : tag(data.scope.product),
        ),
        data.scope.description ? h("p", {}, prose(data.scope.description)) : null,
        data.scope.deprecated
          ? h(
              "p",
              { class: "warn" },
              "Deprecated: no endpoint takes it any more",
              data.scope.replacedBy ? ["; ask for ", scopeLink(data.scope.replacedBy), " instead."] : ".",
            )
          : null,
        outsideNote(data.scope.outside),
        uses,
        more(uses, data.nextCursor, (cursor) =>
          page(cursor).then((next) => ({ items: next.endpoints.map(useItem), cursor: next.nextCursor })),
        ),
        catalogLine(data.catalog),
      ],
    };
  },
};

/** A real scope no catalogued endpoint takes: the API that uses it, as the text answer says. */
function outsideNote(outside: ReverseAnswer["scope"]["outside"]) {
  if (!outside) return null;
  return h(
    "p",
    { class: "unused" },
    `Outside the catalog: a real scope (${outside.source}) of ${outside.api}${outside.deprecated ? ", deprecated" : ""}; no endpoint of this catalog takes it.`,
    /^https:[/][/]/.test(outside.docsUrl ?? "")
      ? [" ", h("a", { href: outside.docsUrl, rel: "noopener" }, "Docs")]
      : null,
  );
}

function useItem(use: ScopeUse) {
  return h(
    "li",
    {},
    endpointLink(use.method, use.path),
    use.summary ? ` ${use.summary}` : "",
    use.removal ? [" ", removalBadge(use.removal, use.removal.message)] : use.deprecated ? tag("deprecated") : null,
    h("br"),
    use.connectScope
      ? h("span", { class: "meta", text: `Its Connect scope is ${use.connectScope}, which this scope grants.` })
      : [
          use.grantedScope
            ? h("span", { class: "meta" }, "Its scope is ", scopeLink(use.grantedScope), ", which this scope grants. ")
            : null,
          use.alone
            ? h("span", { class: "meta", text: use.grantedScope ? "That suffices." : "This scope alone suffices." })
            : use.sets.map((item, index) =>
                h(
                  "span",
                  { class: "meta" },
                  index ? " or " : "Together with ",
                  item.companions.length ? set(item.companions) : "nothing else",
                ),
              ),
        ],
  );
}

const callableItem = (item: CallableEndpoint) =>
  h(
    "li",
    {},
    endpointLink(item.method, item.path),
    item.summary ? ` ${item.summary}` : "",
    item.connectScope ? ` (Connect scope ${item.connectScope})` : "",
    item.removal ? [" ", removalBadge(item.removal, item.removal.message)] : null,
  );

/** A removed endpoint's replacement, checked against the same scopes. */
function replacementItem(check: NonNullable<CheckResult["replacements"]>[number]) {
  const state = check.satisfied === true ? "ok" : check.satisfied === false ? "missing" : "unknown";
  return h(
    "li",
    { class: state },
    "Instead: ",
    endpointLink(check.method ?? "", check.path ?? ""),
    state === "ok" ? h("p", {}, "Satisfied by ", set(check.satisfiedBy?.scopes ?? [])) : null,
    state === "missing" ? h("p", {}, "Add ", set(check.missing ?? [])) : null,
  );
}

function checkItem(result: CheckResult) {
  const input = `${result.input.method || ""} ${result.input.path}`.trim();
  if (result.error) {
    return h(
      "li",
      { class: "error" },
      h(
        "p",
        {},
        h("span", { class: "badge b-error", text: result.error.code === "endpoint_removed" ? "Removed" : "Not found" }),
        " ",
        h("code", { text: input }),
      ),
      h("p", { class: "warn" }, prose(result.error.message)),
      urlNoteList(result.error.details?.urlNotes),
      suggestions(result.error, "lookup", { method: result.input.method || "" }),
      result.replacements?.length ? h("ul", { class: "plain" }, result.replacements.map(replacementItem)) : null,
    );
  }
  const state = result.satisfied === true ? "ok" : result.satisfied === false ? "missing" : "unknown";
  const label = result.needsNoScope
    ? "Needs no scope"
    : result.unusable
      ? "Cannot call"
      : { ok: "OK", missing: "Missing", unknown: "No scopes published" }[state];
  // The removal's message is also the first hint: shown once, as the removal.
  const hints = result.removal ? result.hints?.filter((hint) => hint !== result.removal?.message) : result.hints;
  return h(
    "li",
    { class: state },
    h(
      "p",
      {},
      h("span", { class: `badge b-${state}`, text: label }),
      " ",
      endpointLink(result.method, result.path),
      result.summary ? ` ${result.summary}` : "",
      result.deprecated && !result.removal ? tag("deprecated") : null,
    ),
    removalNote(result.removal),
    state === "ok" && result.satisfiedBy ? h("p", {}, "Satisfied by ", set(result.satisfiedBy.scopes)) : null,
    state === "missing" && result.missing.length ? h("p", { class: "add" }, "Add ", set(result.missing)) : null,
    state === "missing" && result.alternatives.length > 1
      ? h(
          "details",
          {},
          h("summary", { text: "Each alternative" }),
          h(
            "ul",
            {},
            result.alternatives.map((alt) =>
              h("li", {}, set(alt.scopes), tag(`${alt.kind}, ${alt.state}`), " missing ", set(alt.missing)),
            ),
          ),
        )
      : null,
    list(hints, "hints"),
    urlNoteList(result.urlNotes),
    docs(result),
  );
}

function tokenView(token: TokenAnswer, many: boolean, nextPage: (cursor: string) => Promise<More>): Kid {
  const nodes: Kid[] = [];
  if (many)
    nodes.push(
      h("h4", {}, `Token ${token.label || token.id || "(unnamed)"}`, tag(plural(token.scopes.length, "scope"))),
    );
  nodes.push(credentialLine(token.credential), list(token.warnings, "notes"));
  for (const unknown of token.unknownScopes) {
    nodes.push(
      h(
        "p",
        { class: "warn" },
        "Not a scope in the catalog: ",
        h("code", { text: unknown.scope }),
        unknown.suggestions.length
          ? [" (did you mean ", unknown.suggestions.map((item, index) => [index ? ", " : "", scopeLink(item)]), "?)"]
          : "",
      ),
    );
  }
  for (const deprecated of token.deprecatedScopes ?? []) {
    nodes.push(
      h(
        "p",
        { class: "warn" },
        "Deprecated: ",
        h("code", { text: deprecated.scope }),
        " no endpoint takes it any more",
        deprecated.replacedBy ? ["; ask for ", scopeLink(deprecated.replacedBy), " instead."] : ".",
      ),
    );
  }
  for (const item of token.authorizationScopes ?? [])
    nodes.push(
      h("p", { class: "unused" }, "Not for endpoints: ", h("code", { text: item.scope }), " ", prose(item.note)),
    );
  for (const outside of token.outsideScopes ?? []) {
    nodes.push(
      h(
        "p",
        { class: "unused" },
        "Outside the catalog: ",
        h("code", { text: outside.scope }),
        ` is a real scope of ${outside.api}${outside.deprecated ? " (deprecated)" : ""}; no endpoint of this catalog takes it.`,
      ),
    );
  }
  if (token.results) nodes.push(h("ul", { class: "plain checks" }, token.results.map(checkItem)));
  if (token.unusedScopes?.length) {
    nodes.push(
      h(
        "p",
        { class: "unused" },
        "Not used by these endpoints: ",
        token.unusedScopes.map((scope, index) => [index ? ", " : "", scopeLink(scope)]),
      ),
    );
  }
  if (token.callable) {
    const counts = Object.entries(token.callable.byProduct)
      .map(([product, count]) => `${product} ${count}`)
      .join(", ");
    const items = h("ul", { class: "plain" }, token.callable.endpoints.map(callableItem));
    nodes.push(
      h("p", { text: `Can call ${plural(token.callable.total, "endpoint")}${counts ? `: ${counts}` : ""}` }),
      items,
      more(items, token.callable.nextCursor, nextPage),
    );
  }
  return many ? h("div", { class: "card" }, nodes) : nodes;
}

/** A button copying a scope list as one line (the text answer's `paste:`), and where it says it did. */
function copyButton(label: string, scopes: readonly string[]) {
  const button = h("button", { type: "button", class: "copy", text: label });
  const copied = h("span", { class: "copied", role: "status" });
  button.addEventListener("click", () => copyText(scopes.join(" "), copied, "Scopes"));
  return h("p", {}, button, " ", copied);
}

async function copyText(text: string, where: HTMLElement, what: string) {
  try {
    await navigator.clipboard.writeText(text);
    where.textContent = `${what} copied.`;
  } catch {
    const field = h("input", { type: "text", readonly: true, value: text, "aria-label": what });
    where.replaceChildren("Copy from here: ", field);
    field.select();
    field.focus();
  }
}

/** A form field's label, as the page names the field to people. */
function labelOf(tool: ToolName, field: string): string {
  const input = $<HTMLFormElement>(`#${tool} form`).elements.namedItem(field) as FormField | null;
  return input?.labels?.[0]?.textContent?.trim() || field;
}

/** Characters left for the query in a page link of at most MAX_LINK_CHARS. */
const linkRoom = () => MAX_LINK_CHARS - location.origin.length - location.pathname.length;

/** A page query's tool and field values. */
function valuesOf(query: string): { tool: string | null; values: Values } {
  const params = new URLSearchParams(query);
  return { tool: params.get("tool"), values: Object.fromEntries(params) };
}

/** The fields a state's link leaves out (page-state.ts linkQuery), by label. */
function omittedFrom(full: string): string[] {
  const { tool, values } = valuesOf(full);
  return isTool(tool) ? linkQuery(tool, values, linkRoom()).omitted.map((field) => labelOf(tool, field)) : [];
}

const quoted = (labels: readonly string[]) => labels.map((label) => `“${label}”`).join(" and ");

/**
 * Writes a page state (stateQuery's `?tool=...`, every field) to the address bar as a new or the current
 * history entry: as is when it fits in a link, else as its link without the longest fields, the whole
 * state kept in the entry's history.state (a reload, Back and Forward find it there; a copied link does not).
 */
function writeUrl(full: string, push: boolean) {
  const { tool, values } = valuesOf(full);
  const { query, omitted } = isTool(tool) ? linkQuery(tool, values, linkRoom()) : { query: full, omitted: [] };
  const state = omitted.length ? { full } : null;
  if (push) history.pushState(state, "", query);
  else history.replaceState(state, "", query);
}

/** The state the current history entry stands for: its URL's query, or the whole state its link leaves fields out of. */
function currentQuery(): string {
  const full = (history.state as { full?: unknown } | null)?.full;
  return typeof full === "string" && new URLSearchParams(location.search).has(OMITTED_PARAM) ? full : location.search;
}

/** Shows a tool's answer (or error) under its result heading; `linkNote` says what the link leaves out. */
function show(tool: ToolName, view: View, { focus = false, linkNote = "" } = {}) {
  const section = $(`#${tool}`);
  const status = $(".status", section);
  const head = $(".result-head", section);
  const note = $(".link-note", section);
  $(".result", section).removeAttribute("aria-busy");
  status.classList.toggle("err", Boolean(view.error));
  // An error's status is the API's message; the page's own status lines hold no code spans.
  status.replaceChildren(...flatten(view.error ? prose(view.status) : [view.status]));
  $(".copied", head).textContent = "";
  $(".out", section).replaceChildren(...flatten([view.nodes]));
  head.hidden = false;
  note.textContent = linkNote;
  note.hidden = !linkNote;
  titles[tool] = view.title;
  if (!section.hidden) showTitle(tool);
  if (focus) $("h3", head).focus();
}

/**
 * A question the page will not ask (a credential in it, a link that lost its input): said in the tool's
 * status and any answer on its way dropped. A refused form leaves the address bar at the bare tool, so
 * neither the history nor a copied link holds it; a refused link stays as applyUrl left it.
 */
function refuse(tool: ToolName, code: string, message: string, { focus = false, link = false } = {}) {
  runs[tool] = (runs[tool] || 0) + 1;
  shown[tool] = link ? currentQuery() : `?tool=${tool}`;
  if (!link && !$(`#${tool}`).hidden && currentQuery() !== shown[tool]) writeUrl(shown[tool], false);
  show(tool, { status: message, error: true, code, title: "Error", nodes: [] }, { focus });
}

/**
 * Asks the API for the tool's current form values and shows the answer (or the API's error). The URL
 * is the state this answers; a submitted form pushes it once the answer is in, unless the form or the
 * API found a credential in it: a secret must not reach the address bar, the history or a copied link,
 * and one the page finds is not sent either.
 */
async function run(tool: ToolName, url: string, { push = false, focus = false } = {}) {
  const section = $(`#${tool}`);
  const status = $(".status", section);
  const box = $(".result", section);
  const values = read(tool);
  const secret = credentialInValues(tool, values);
  if (secret) {
    const label = secret.field === undefined ? undefined : labelOf(tool, secret.field);
    refuse(tool, "credential_detected", credentialNotSentMessage(secret.kind, label), { focus });
    return;
  }
  const id = (runs[tool] = (runs[tool] || 0) + 1);
  shown[tool] = url;
  status.classList.remove("err");
  status.textContent = "Asking the catalog…";
  box.setAttribute("aria-busy", "true");
  let view: View;
  try {
    view = await RUN[tool](values);
  } catch (error) {
    const problem: ApiFailure = (error as ApiFailure)?.message ? (error as ApiFailure) : { message: String(error) };
    view = {
      status: problem.message,
      error: true,
      code: problem.code,
      title: "Error",
      nodes: [suggestions(problem, tool, values)],
    };
  }
  if (id !== runs[tool]) return;
  if (view.code === "credential_detected") {
    shown[tool] = `?tool=${tool}`;
    if (!section.hidden) writeUrl(shown[tool], false);
  } else if (push && !section.hidden && url !== currentQuery()) {
    writeUrl(url, true);
  }
  const omitted = view.code === "credential_detected" ? [] : omittedFrom(url);
  show(tool, view, {
    focus,
    linkNote: omitted.length
      ? `The link leaves out ${quoted(omitted)}: with ${omitted.length === 1 ? "it" : "them"}, it would be over the ${MAX_LINK_CHARS.toLocaleString("en")} characters a link can safely hold. Reloading this tab keeps ${omitted.length === 1 ? "it" : "them"}; to share the question, send the text itself.`
      : "",
  });
}

/** Empties a tool's result, as a URL without its state shows it; an answer still on its way is dropped. */
function clearTool(tool: ToolName) {
  const section = $(`#${tool}`);
  runs[tool] = (runs[tool] || 0) + 1;
  delete shown[tool];
  delete titles[tool];
  $(".result", section).removeAttribute("aria-busy");
  const status = $(".status", section);
  status.classList.remove("err");
  status.replaceChildren();
  $(".out", section).replaceChildren();
  $(".result-head", section).hidden = true;
  $(".link-note", section).hidden = true;
}

const showTitle = (tool: ToolName) => {
  const title = titles[tool];
  document.title = title ? `${title} · Scope Catalog` : "Scope Catalog";
};

function showTool(tool: ToolName) {
  for (const name of NAMES) {
    $(`#${name}`).hidden = name !== tool;
    const tab = $(`nav a[data-tool="${name}"]`);
    if (name === tool) tab.setAttribute("aria-current", "page");
    else tab.removeAttribute("aria-current");
  }
  showTitle(tool);
}

/**
 * Shows what the URL says: the tool, its fields (unsent typing is replaced), and its answer when the
 * URL holds the tool's state, else the tool empty. A result from a later submit must not stay under
 * an earlier URL: Back to `?tool=scope` shows the scope tool as it was before its search.
 */
function applyUrl(focus: boolean) {
  // A link holding a credential loses the parameters holding it, here as in the worker's answer to it.
  const secret = credentialInLink(location.search.slice(1));
  if (secret) history.replaceState(null, "", secret.kept || location.pathname);
  const current = currentQuery();
  const query = new URLSearchParams(current);
  const asked = query.get("tool");
  const tool: ToolName = isTool(asked) ? asked : query.get("scope") && !query.get("path") ? "scope" : "lookup";
  const form = $<HTMLFormElement>(`#${tool} form`);
  for (const field of TOOLS[tool].fields) {
    const input = form.elements.namedItem(field) as FormField;
    let value = query.get(field) || "";
    if (input instanceof HTMLSelectElement) {
      for (const stale of input.querySelectorAll("option[data-from-link]")) stale.remove();
      if (field === "method") value = value.toUpperCase();
      // A link's value the picker lacks (`credential=3lo`) is kept and sent, so the API's error and its
      // suggestions say what is wrong with it, as on every other surface, instead of a silent "Not given".
      if (value && ![...input.options].some((option) => option.value === value))
        input.append(h("option", { value, "data-from-link": true, text: `${value} (from the link)` }));
    }
    input.value = value;
  }
  // A link whose fields were too long for it (writeUrl), opened without the history entry that kept them.
  const lost = (query.get(OMITTED_PARAM) ?? "")
    .split(",")
    .filter((field) => (TOOLS[tool].fields as readonly string[]).includes(field) && !query.get(field));
  if (secret)
    refuse(tool, "credential_detected", credentialInLinkMessage(secret.kind, secret.dropped), {
      focus,
      link: true,
    });
  else if (lost.length)
    refuse(
      tool,
      "link_omits_input",
      `This link leaves out ${quoted(lost.map((field) => labelOf(tool, field)))}: over ${MAX_LINK_CHARS.toLocaleString("en")} characters, too long for a link, ${lost.length === 1 ? "it" : "they"} stayed in the browser tab that made it. Paste ${lost.length === 1 ? "it" : "them"} here and ask again.`,
      { focus, link: true },
    );
  else if (!query.get(TOOLS[tool].key)) clearTool(tool);
  else if (shown[tool] !== current) run(tool, current, { focus });
  showTool(tool);
}

function go(url: string, focus: boolean) {
  if (url !== currentQuery()) writeUrl(url, true);
  applyUrl(focus);
}

/**
 * A tab click is navigation between tools, so it adds a history entry as any link does and Back
 * returns to the tool left (replacing the entry would make Back skip it, and lose the answer it held).
 * It shows the tool as it was left: its last answer under that answer's URL (no new request), and
 * whatever was typed but not sent, which a tab switch should not throw away. Only Back and Forward,
 * which go to an entry's URL, replace the fields with the URL's (applyUrl).
 */
function openTab(tool: ToolName) {
  const url = shown[tool] || `?tool=${tool}`;
  if (url !== currentQuery()) writeUrl(url, true);
  showTool(tool);
}

// The credential kinds are in the lookup's picker only (a smaller page): the other pickers get a copy.
for (const tool of ["diff", "plan"]) {
  const kinds = [...$<HTMLSelectElement>("#lookup-credential").options].slice(1);
  $<HTMLSelectElement>(`#${tool}-credential`).append(...kinds.map((option) => option.cloneNode(true)));
}

for (const tool of NAMES) {
  $(`#${tool} form`).addEventListener("submit", (event) => {
    event.preventDefault();
    run(tool, stateQuery(tool, read(tool)), { push: true });
  });
}

document.addEventListener("click", (event) => {
  if (
    event.defaultPrevented ||
    event.button !== 0 ||
    event.metaKey ||
    event.ctrlKey ||
    event.shiftKey ||
    event.altKey ||
    !(event.target instanceof Element)
  )
    return;
  const target = event.target.closest<HTMLElement>('a[href^="?"], button[data-copy]');
  if (!target) return;
  if (target instanceof HTMLButtonElement) {
    copyText(location.href, $(".copied", target.parentNode ?? document), "Link");
    return;
  }
  event.preventDefault();
  const tool = target.getAttribute("data-tool");
  if (isTool(tool)) openTab(tool);
  else go(target.getAttribute("data-state") ?? target.getAttribute("href") ?? "", true);
});

document.addEventListener("keydown", (event) => {
  if (event.key === "Enter" && (event.ctrlKey || event.metaKey) && event.target instanceof HTMLTextAreaElement) {
    event.preventDefault();
    event.target.form?.requestSubmit();
  }
});

addEventListener("popstate", () => applyUrl(false));
// The worker's notice on a link it refused (routes/page.ts): applyUrl says the same in the tool's status.
document.getElementById("notice")?.remove();
applyUrl(false);
