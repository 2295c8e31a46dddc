/**
 * Pure parsers for developer.atlassian.com (DAC) HTML: the REST reference pages ("api-group-…")
 * and the "Scopes for OAuth 2.0 (3LO) and Forge apps" pages. String in, raw records out; no I/O
 * and no Node-only APIs, so the same code runs in the CLI and inside workerd.
 *
 * DAC markup is generated and changes without notice, so nothing here relies on CSS class names:
 * the reference page is flattened into lines (the way a browser would lay it out) and read like
 * the rendered text, whose shape is recorded in ../shared/atlassian-docs/NOTES.md section 4.
 */
import { load, type CheerioAPI, type contains } from "cheerio";
import { finishText } from "./markdown-text";

/** One operation's scopes as rendered on a developer.atlassian.com REST reference page. */
export interface ReferenceOperation {
  /** Upper-case HTTP method, e.g. "GET". */
  method: string;
  /** Path as shown on the page, e.g. "/rest/api/3/auditing/record". */
  path: string;
  /** Scopes after the "Classic" (RECOMMENDED) label. */
  classic: string[];
  /** Scopes after the "Granular" label. */
  granular: string[];
  /** Scopes listed without a Classic/Granular label (Confluence v2, Jira Software pages). */
  unlabeled: string[];
  /** Value after "Connect app scope required", e.g. "READ". */
  connectScope?: string;
  /** The page cut the list with "...(Show more)" / "Show more". */
  truncated: boolean;
}

/**
 * The parts of a domhandler node this module reads. cheerio does not re-export domhandler's
 * types and domhandler is not a direct dependency; its nodes satisfy this shape structurally.
 */
interface DomNode {
  readonly type: string;
  readonly name?: string;
  readonly data?: string;
  readonly attribs?: Record<string, string>;
  readonly children?: readonly DomNode[];
}

/** domhandler's node union, reached through a cheerio signature for the same reason. */
type AnyNode = Parameters<typeof contains>[0];

/** A scope name as DAC prints it: 1 to 4 colon-separated segments (`repository`, `read:issue:jira`). */
const SCOPE_NAME = /^[a-z0-9_.-]+(?::[a-z0-9_.-]+){0,3}$/i;

const METHODS = "GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS";

/** Marks the edge of a top-level inline element inside a line (a control character DAC text never holds). */
const EDGE = "\u0001";

/** "METHOD /path" at the start of a line; the method and path may sit in separate elements. */
const METHOD_LINE = new RegExp(`^[\\s${EDGE}]*(${METHODS})[\\s${EDGE}]*(/[^\\s${EDGE}]*)(.*)$`, "is");

/** Never rendered as content, or site chrome that links to "Scopes" pages. */
const SKIPPED = new Set(["head", "script", "style", "noscript", "template", "svg", "iframe", "nav"]);

/** Elements after which a browser starts a new line. */
const BLOCKS = new Set([
  "address",
  "article",
  "aside",
  "blockquote",
  "body",
  "caption",
  "dd",
  "details",
  "dialog",
  "div",
  "dl",
  "dt",
  "fieldset",
  "figcaption",
  "figure",
  "footer",
  "form",
  "header",
  "hr",
  "html",
  "li",
  "main",
  "ol",
  "p",
  "pre",
  "section",
  "summary",
  "table",
  "tbody",
  "td",
  "tfoot",
  "th",
  "thead",
  "tr",
  "ul",
]);

const CODE_LIKE = new Set(["code", "kbd", "samp", "tt"]);

/**
 * Plain text of an HTML (or Markdown-with-HTML) fragment: tags removed, entities decoded,
 * whitespace collapsed to single spaces, trimmed. Markdown links [text](url) become text;
 * `code` backticks removed.
 */
export function htmlToText(html: string): string {
  if (typeof html !== "string" || html.trim() === "") return "";
  // Without a tag, an entity or a NUL (which the parser drops) the whole fragment is one text node
  // whose text is the input itself: most descriptions are Markdown only, and the parser costs far more.
  if (!/[<&\0]/.test(html)) return cleanText(html);
  const $ = load(html, null, false);
  return cleanText(nodeText($.root()[0]));
}

/**
 * Scope descriptions from a developer.atlassian.com scopes page ("Scopes for OAuth 2.0 (3LO) and
 * Forge apps"): every table row whose first cell holds a scope name (in <code> or plain text,
 * matching /^[a-z0-9_.-]+(:[a-z0-9_.-]+){0,3}$/i) and whose second cell holds the description, plus the definition-list form
 * (<dt><code>scope</code></dt><dd>description</dd>). Header rows and other shapes are ignored.
 *
 * When a table has a header row with a "Description" column, that column is used instead of the
 * second cell: the real DAC tables are "Scope name | Summary | Description".
 *
 * @returns scope -> description text; the first occurrence in document order wins.
 */
export function parseScopeTable(html: string): Map<string, string> {
  const found = new Map<string, string>();
  if (typeof html !== "string" || html.trim() === "") return found;
  const $ = load(html);
  const descriptionColumn = new Map<AnyNode, number>();

  const columnFor = (table: AnyNode | undefined): number => {
    if (table === undefined) return 1;
    let column = descriptionColumn.get(table);
    if (column === undefined) {
      const header = $(table)
        .find("tr")
        .filter((_, tr) => isHeaderRow($, tr))
        .first();
      const index = header
        .children("th, td")
        .toArray()
        .findIndex((cell) => /\bdescription\b/i.test(nodeText(cell)));
      column = index > 0 ? index : 1;
      descriptionColumn.set(table, column);
    }
    return column;
  };

  // One selector so rows and definition terms come back in document order ("first one wins").
  $("tr, dt").each((_, el) => {
    let name: string | undefined;
    let description: string | undefined;
    if (el.name === "dt") {
      name = scopeNameIn($, el);
      const dd = $(el).nextUntil("dt", "dd").first()[0];
      description = dd === undefined ? undefined : cleanText(nodeText(dd));
    } else {
      if (isHeaderRow($, el)) return;
      const cells = $(el).children("td, th").toArray();
      const first = cells[0];
      if (first === undefined) return;
      const cell = cells[columnFor($(el).closest("table")[0])];
      name = scopeNameIn($, first);
      description = cell === undefined ? undefined : cleanText(nodeText(cell));
    }
    if (name === undefined || !description || found.has(name)) return;
    found.set(name, description);
  });
  return found;
}

/**
 * Every operation with a "Scopes" block on a DAC REST reference page (an "api-group-..." page),
 * in page order. A block belongs to the last "METHOD /path" line above it and runs to the next
 * heading of the same or higher level or the next method line. A block in which no scope and no
 * Connect scope was found gives no operation; two blocks for one operation are merged.
 */
export function parseReferencePage(html: string): ReferenceOperation[] {
  if (typeof html !== "string" || html.trim() === "") return [];
  const root = load(html).root()[0];
  if (root === undefined) return [];

  const operations = new Map<string, ReferenceOperation>();
  let current: { method: string; path: string } | undefined;
  let block: ScopesBlock | undefined;

  const close = (): void => {
    if (block !== undefined && current !== undefined) record(operations, current, block);
    block = undefined;
  };

  for (const line of toLines(root)) {
    if (line.heading !== undefined) {
      if (isScopesTitle(line.headingText)) {
        close();
        block = newBlock(line.heading);
      } else if (block !== undefined && line.heading <= block.level) {
        close();
      }
      continue;
    }
    const endpoint = line.pre ? undefined : matchMethodLine(line);
    if (endpoint !== undefined) {
      close();
      current = endpoint;
      continue;
    }
    // Some renderings make "Scopes" a bold label rather than a heading; any real heading ends it.
    if (!line.link && isScopesTitle(plainText(line))) {
      close();
      block = newBlock(7);
      continue;
    }
    if (block !== undefined) feed(block, line);
  }
  close();
  return [...operations.values()];
}

// ---------------------------------------------------------------------------------------------
// Text extraction

/** Raw text of a node: block edges and <br> become spaces so words from adjacent blocks don't merge. */
function nodeText(node: DomNode | undefined): string {
  const parts: string[] = [];
  const walk = (n: DomNode): void => {
    if (n.type === "text") {
      parts.push(n.data ?? "");
      return;
    }
    if (n.type === "comment" || n.type === "directive") return;
    const name = n.name ?? "";
    if (n.type === "script" || n.type === "style" || name === "template") return;
    if (name === "br") {
      parts.push(" ");
      return;
    }
    const block = BLOCKS.has(name) || isHeadingTag(name);
    if (block) parts.push(" ");
    for (const child of n.children ?? []) walk(child);
    if (block) parts.push(" ");
  };
  if (node !== undefined) walk(node);
  return parts.join("");
}

/**
 * Scraped text as stored: never markup (below), control characters as spaces, then Markdown links to
 * their text and whitespace collapsed (markdown-text.ts). Each step is linear in the text.
 */
function cleanText(raw: string): string {
  return finishText(
    raw
      .replace(TAG_LIKE, (_, inside: string, close: string) => `\u2039${inside}${close ? "\u203A" : ""}`)
      .replace(CONTROL, " "),
  );
}

/**
 * A `<` that would open a tag (`<script`, `</p`, `<!--`, `<?`) and what follows up to its `>`. The parser has
 * already removed every real tag, so any left were decoded from entities (`&lt;script&gt;`). They become
 * the look-alike angle quotes U+2039/U+203A: the text still reads `‹script›`, but is never markup, even for
 * a consumer of the catalog's JSON that writes it into HTML unescaped. Every output of this worker escapes
 * `<` and `>` anyway (src/views/escape.ts); this makes the stored text safe by construction as well.
 * A `<` that cannot open a tag (`a < b`, `<<<`) is kept, and so is a lone `>` (`x > 5`). `[^<>]*` stops at
 * the next `<`, where the next match starts, so no character is scanned twice.
 */
const TAG_LIKE = /<(?=[A-Za-z/!?])([^<>]*)(>?)/g;
const CONTROL = /[\u0000-\u001F\u007F-\u009F]/g;

/** The scope named by a cell or term: the first <code> in it, else its whole text. */
function scopeNameIn($: CheerioAPI, el: AnyNode): string | undefined {
  const code = $(el).find("code").first()[0];
  const text = cleanText(nodeText(code ?? el));
  if (!SCOPE_NAME.test(text)) return undefined;
  // Plain words like a "Scope" header or a "Notes" term fit the pattern too; scope names are
  // lower-case, so a colon-less plain-text name must be as well (keeps Bitbucket's `repository`).
  if (code === undefined && !text.includes(":") && text !== text.toLowerCase()) return undefined;
  return text;
}

function isHeaderRow($: CheerioAPI, tr: AnyNode): boolean {
  if ($(tr).parent("thead").length > 0) return true;
  const cells = $(tr).children("td, th");
  return cells.length > 0 && cells.filter("th").length === cells.length;
}

// ---------------------------------------------------------------------------------------------
// Reference pages: the document as lines

type Token = { kind: "text"; text: string } | { kind: "code"; text: string } | { kind: "edge" };

interface Line {
  tokens: Token[];
  /** Heading level 1-6 when the line is a heading. */
  heading?: number;
  headingText: string;
  /** Inside <pre>: code samples such as `curl --request GET`, never an endpoint line. */
  pre: boolean;
  /** Contains a link: a "Scopes" link is navigation, not a section label. */
  link: boolean;
}

/** Flattens the document into the lines a browser would render, in document order. */
function toLines(root: DomNode): Line[] {
  const lines: Line[] = [];
  let tokens: Token[] = [];
  let link = false;
  let preDepth = 0;

  const flush = (): void => {
    if (tokens.some((t) => t.kind !== "edge" && t.text.trim() !== "")) {
      lines.push({ tokens, headingText: "", pre: preDepth > 0, link });
    }
    tokens = [];
    link = false;
  };
  const pushText = (text: string): void => {
    const last = tokens[tokens.length - 1];
    if (last?.kind === "text") last.text += text;
    else tokens.push({ kind: "text", text });
  };

  const walk = (node: DomNode, inlineDepth: number): void => {
    if (node.type === "text") {
      pushText(node.data ?? "");
      return;
    }
    if (node.type !== "tag" && node.type !== "root") return;
    const name = node.name ?? "";
    if (SKIPPED.has(name)) return;
    if (name === "br") {
      flush();
      return;
    }
    const level = headingLevel(node);
    if (level !== undefined) {
      flush();
      lines.push({ tokens: [], heading: level, headingText: cleanText(nodeText(node)), pre: false, link: false });
      return;
    }
    if (BLOCKS.has(name) || node.type === "root") {
      flush();
      if (name === "pre") preDepth++;
      for (const child of node.children ?? []) walk(child, 0);
      flush();
      if (name === "pre") preDepth--;
      return;
    }
    // Top-level inline elements are the units of a line: "GET" and "/path" in sibling spans.
    if (inlineDepth === 0) tokens.push({ kind: "edge" });
    if (name === "a") link = true;
    if (CODE_LIKE.has(name)) tokens.push({ kind: "code", text: nodeText(node) });
    else for (const child of node.children ?? []) walk(child, inlineDepth + 1);
    if (inlineDepth === 0) tokens.push({ kind: "edge" });
  };

  walk(root, 0);
  flush();
  return lines;
}

function isHeadingTag(name: string): boolean {
  return /^h[1-6]$/.test(name);
}

function headingLevel(node: DomNode): number | undefined {
  const name = node.name ?? "";
  if (isHeadingTag(name)) return Number(name.slice(1));
  if (node.attribs?.role === "heading") {
    const level = Number(node.attribs["aria-level"] ?? "2");
    return Number.isInteger(level) && level >= 1 ? level : 2;
  }
  return undefined;
}

function plainText(line: Line): string {
  return line.tokens.map((t) => (t.kind === "edge" ? "" : t.text)).join("");
}

/** "Scopes", "Scopes:" or "Scopes #" (anchor glyphs), in any case. */
function isScopesTitle(text: string): boolean {
  return (
    text
      .replace(/[^a-z0-9]+/gi, " ")
      .trim()
      .toLowerCase() === "scopes"
  );
}

function matchMethodLine(line: Line): { method: string; path: string } | undefined {
  const marked = line.tokens.map((t) => (t.kind === "edge" ? EDGE : t.text)).join("");
  const m = METHOD_LINE.exec(marked);
  if (m === null) return undefined;
  const [, method = "", rawPath = "", rest = ""] = m;
  // A lower-case "get /x" may be prose ("Get /x returns…"); only trust it as a line of its own.
  const alone = rest.startsWith(EDGE) || rest.replaceAll(EDGE, "").trim() === "";
  if (method !== method.toUpperCase() && !alone) return undefined;
  const path = rawPath.replace(/[.,;:]+$/, "");
  return path === "" ? undefined : { method: method.toUpperCase(), path };
}

// ---------------------------------------------------------------------------------------------
// Reference pages: reading a Scopes block

type Mode = "unlabeled" | "classic" | "granular" | "connect" | "other";

interface ScopesBlock {
  /** Level of the "Scopes" heading; a heading at this level or above ends the block. */
  level: number;
  mode: Mode;
  classic: string[];
  granular: string[];
  unlabeled: string[];
  connectScope?: string;
  truncated: boolean;
}

function newBlock(level: number): ScopesBlock {
  return { level, mode: "unlabeled", classic: [], granular: [], unlabeled: [], truncated: false };
}

/**
 * Labels, scope names and words in a text run, left to right. Labels come first so that
 * "RECOMMENDED:manage:jira-configuration" (no space in rendered text) is not read as one scope.
 */
const TEXT_TOKENS =
  /(?<classic>\bclassic\b)|(?<granular>\bgranular\b)|(?<connect>\b(?:connect )?app scopes?\b)|(?<oauth>\boauth ?2(?:\.0)? scopes?\b)|(?<other>\bdata security policy\b)|(?<more>\bshow more\b)|(?<noise>\b(?:required|recommended))|(?<scope>(?<![\w.-])[a-z0-9_.-]+(?::[a-z0-9_.-]+){1,3}(?![\w.:-]))|(?<word>[a-z_]+)/gi;

function feed(block: ScopesBlock, line: Line): void {
  let run = "";
  for (const token of line.tokens) {
    if (token.kind === "code") {
      scanText(block, run);
      run = "";
      addCode(block, token.text);
    } else {
      run += token.kind === "edge" ? " " : token.text;
    }
  }
  scanText(block, run);
}

function scanText(block: ScopesBlock, text: string): void {
  for (const m of text.matchAll(TEXT_TOKENS)) {
    const g = m.groups ?? {};
    if (g.classic !== undefined) block.mode = "classic";
    else if (g.granular !== undefined) block.mode = "granular";
    else if (g.connect !== undefined) block.mode = "connect";
    else if (g.oauth !== undefined) block.mode = "unlabeled";
    // "Data Security Policy: Exempt from app access rules" is not a scope; skip until the next label.
    else if (g.other !== undefined) block.mode = "other";
    else if (g.more !== undefined) block.truncated = true;
    else if (g.scope !== undefined) addScope(block, g.scope);
    // Connect scopes are upper-case words (READ, PROJECT_ADMIN), sometimes not in <code>.
    else if (g.word !== undefined && block.mode === "connect" && /^[A-Z][A-Z_]*$/.test(g.word)) {
      block.connectScope ??= g.word;
    }
  }
}

function addCode(block: ScopesBlock, text: string): void {
  for (const piece of text.replace(/`/g, "").split(/[\s,]+/)) {
    if (piece === "") continue;
    if (block.mode === "connect") {
      if (/^[A-Za-z_]+$/.test(piece)) block.connectScope ??= piece;
    } else if (SCOPE_NAME.test(piece)) {
      addScope(block, piece);
    }
  }
}

function addScope(block: ScopesBlock, name: string): void {
  // "read:user:jira...(Show more)" as plain text: the ellipsis is not part of the name.
  const scope = name.replace(/\.+$/, "");
  if (scope === "") return;
  if (block.mode === "classic") pushUnique(block.classic, scope);
  else if (block.mode === "granular") pushUnique(block.granular, scope);
  else if (block.mode === "unlabeled") pushUnique(block.unlabeled, scope);
}

function pushUnique(list: string[], ...items: readonly string[]): void {
  for (const item of items) if (!list.includes(item)) list.push(item);
}

/** Adds a finished block to its operation; a second block for the same operation is merged into it. */
function record(
  operations: Map<string, ReferenceOperation>,
  endpoint: { method: string; path: string },
  block: ScopesBlock,
): void {
  const empty =
    block.classic.length + block.granular.length + block.unlabeled.length === 0 && block.connectScope === undefined;
  if (empty) return;
  const key = `${endpoint.method} ${endpoint.path}`;
  const op = operations.get(key) ?? {
    method: endpoint.method,
    path: endpoint.path,
    classic: [],
    granular: [],
    unlabeled: [],
    truncated: false,
  };
  pushUnique(op.classic, ...block.classic);
  pushUnique(op.granular, ...block.granular);
  pushUnique(op.unlabeled, ...block.unlabeled);
  if (op.connectScope === undefined && block.connectScope !== undefined) op.connectScope = block.connectScope;
  op.truncated ||= block.truncated;
  operations.set(key, op);
}
