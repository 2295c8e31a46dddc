/**
 * GET /changes and GET /changes.atom inside workerd: from the bundled snapshot (KV empty), whose
 * changelog holds the real drift between the two saved Jira v3 documents (`npm run scrape -- --history`),
 * and from KV, with versions published by the real publisher.
 */
import { ORIGIN, expectError, okJson, resetCatalogCache, type Json } from "../helpers/worker";
import { OpenAPIHono } from "@hono/zod-openapi";
import { env, exports } from "cloudflare:workers";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { loadSnapshot } from "../../data/snapshot";
import manifestJson from "../../data/manifest.json";
import type { Changes, Endpoint } from "../../src/catalog/schema";
import { ApiError, errorResponse } from "../../src/errors";
import { changes, changesAtom } from "../../src/routes/changes";
import type { AppEnv } from "../../src/env";
import { changesCacheSize, resetChangesCache } from "../../src/storage/changes-cache";
import { CatalogStore } from "../../src/storage/catalog-store";
import { publishVersion, type NewShard } from "../../scraper/publish";

// ---------------------------------------------------------------------------------------------
// The worker, with /changes mounted. Until src/app.ts mounts the routes, the same mounting (with the
// app's error handling for ApiError) is done here; once it does, every request goes through the worker.
const harness = new OpenAPIHono<AppEnv>();
harness.route("/changes", changes);
harness.route("/changes.atom", changesAtom);
harness.onError((error, c) =>
  error instanceof ApiError
    ? errorResponse(c, error)
    : errorResponse(c, new ApiError(500, "internal_error", String(error))),
);

let mounted: boolean | undefined;
async function send(request: Request): Promise<Response> {
  if (mounted === undefined) {
    try {
      const probe = await exports.default.fetch(new Request(`${ORIGIN}/changes.atom`));
      mounted = probe.status !== 404;
    } catch {
      mounted = false;
    }
  }
  return mounted ? exports.default.fetch(request) : harness.fetch(request, env);
}
const get = (pathAndQuery: string, headers: Record<string, string> = {}) =>
  send(new Request(`${ORIGIN}${pathAndQuery}`, { headers }));
const getChanges = (params: Record<string, string> = {}, headers: Record<string, string> = {}) =>
  get(`/changes?${new URLSearchParams(params)}`, headers);
const changesJson = async (params: Record<string, string> = {}): Promise<Json> => okJson(await getChanges(params));
const changesText = async (params: Record<string, string> = {}): Promise<string> => {
  const response = await getChanges({ ...params, format: "text" });
  const text = await response.text();
  expect(response.status, text).toBe(200);
  expect(response.headers.get("content-type")).toMatch(/^text\/plain/);
  return text;
};

// ---------------------------------------------------------------------------------------------
// A strict XML well-formedness check, written for these tests: a character scanner (no regexes)
// that accepts the XML declaration, elements, attributes, text, the five predefined entities and
// character references, and rejects anything else (a raw `<` or `&` in text, mismatched tags, ...).
interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: (XmlElement | string)[];
}

function parseXml(source: string): XmlElement {
  let at = 0;
  const fail = (why: string): never => {
    throw new Error(
      `not well-formed XML at ${at} (${JSON.stringify(source.slice(Math.max(0, at - 30), at + 30))}): ${why}`,
    );
  };
  const isSpace = (char: string | undefined) => char === " " || char === "\n" || char === "\t" || char === "\r";
  const isNameChar = (char: string | undefined, first: boolean) => {
    if (char === undefined) return false;
    const lower = char.toLowerCase();
    if ((lower >= "a" && lower <= "z") || char === "_" || char === ":") return true;
    return !first && ((char >= "0" && char <= "9") || char === "-" || char === ".");
  };
  const skipSpace = () => {
    while (isSpace(source[at])) at++;
  };
  const expectText = (text: string) => {
    if (!source.startsWith(text, at)) fail(`expected ${JSON.stringify(text)}`);
    at += text.length;
  };
  const name = (): string => {
    const start = at;
    if (!isNameChar(source[at], true)) fail("expected a name");
    while (isNameChar(source[at], false)) at++;
    return source.slice(start, at);
  };
  const reference = (): string => {
    expectText("&");
    const end = source.indexOf(";", at);
    if (end < 0 || end - at > 10) fail("unterminated entity reference");
    const body = source.slice(at, end);
    at = end + 1;
    const named: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };
    if (named[body] !== undefined) return named[body];
    if (
      body.startsWith("#x") &&
      body.length > 2 &&
      [...body.slice(2)].every((char) => "0123456789abcdefABCDEF".includes(char))
    )
      return String.fromCodePoint(parseInt(body.slice(2), 16));
    if (body.startsWith("#") && body.length > 1 && [...body.slice(1)].every((char) => char >= "0" && char <= "9"))
      return String.fromCodePoint(Number(body.slice(1)));
    return fail(`unknown entity &${body};`);
  };
  const element = (): XmlElement => {
    expectText("<");
    const node: XmlElement = { name: name(), attributes: {}, children: [] };
    for (;;) {
      const hadSpace = isSpace(source[at]);
      skipSpace();
      if (source.startsWith("/>", at)) {
        at += 2;
        return node;
      }
      if (source[at] === ">") {
        at++;
        break;
      }
      if (!hadSpace) fail("attributes must be separated by white space");
      const attribute = name();
      if (attribute in node.attributes) fail(`duplicate attribute ${attribute}`);
      skipSpace();
      expectText("=");
      skipSpace();
      const quote = source[at];
      if (quote !== '"' && quote !== "'") fail("attribute values must be quoted");
      at++;
      let value = "";
      while (source[at] !== quote) {
        if (at >= source.length) fail("unterminated attribute value");
        if (source[at] === "<") fail("`<` in an attribute value");
        if (source[at] === "&") value += reference();
        else value += source[at++];
      }
      at++;
      node.attributes[attribute] = value;
    }
    let text = "";
    for (;;) {
      if (at >= source.length) fail(`<${node.name}> is never closed`);
      if (source.startsWith("</", at)) {
        if (text) node.children.push(text);
        at += 2;
        const closing = name();
        if (closing !== node.name) fail(`</${closing}> closes <${node.name}>`);
        skipSpace();
        expectText(">");
        return node;
      }
      if (source[at] === "<") {
        if (text) node.children.push(text);
        text = "";
        if (source.startsWith("<!", at) || source.startsWith("<?", at))
          fail("comments, CDATA and processing instructions are not expected here");
        node.children.push(element());
      } else if (source[at] === "&") text += reference();
      else {
        if (source.startsWith("]]>", at)) fail("`]]>` in text");
        text += source[at++];
      }
    }
  };
  if (source.startsWith("<?xml", at)) {
    const end = source.indexOf("?>", at);
    if (end < 0) fail("unterminated XML declaration");
    at = end + 2;
  }
  skipSpace();
  const root = element();
  skipSpace();
  if (at !== source.length) fail("content after the root element");
  return root;
}

const children = (node: XmlElement, name: string) =>
  node.children.filter((child): child is XmlElement => typeof child !== "string" && child.name === name);
const textOf = (node: XmlElement | undefined): string =>
  (node?.children ?? []).map((child) => (typeof child === "string" ? child : textOf(child))).join("");
const childText = (node: XmlElement, name: string) => textOf(children(node, name)[0]);

async function feed(
  params: Record<string, string> = {},
): Promise<{ xml: string; root: XmlElement; entries: XmlElement[] }> {
  const response = await get(`/changes.atom?${new URLSearchParams(params)}`);
  const xml = await response.text();
  expect(response.status, xml.slice(0, 300)).toBe(200);
  expect(response.headers.get("content-type")).toBe("application/atom+xml; charset=utf-8");
  const root = parseXml(xml);
  expect(root.name).toBe("feed");
  expect(root.attributes.xmlns).toBe("http://www.w3.org/2005/Atom");
  return { xml, root, entries: children(root, "entry") };
}

describe("the XML check itself", () => {
  it("accepts well-formed XML and rejects what is not", () => {
    expect(textOf(parseXml(`<?xml version="1.0"?><a x='1'>b &amp; &#60;c&#x3E; <d/></a>`))).toBe("b & <c> ");
    for (const bad of [
      "<a>b & c</a>",
      "<a><b></a></b>",
      "<a>x</a><b/>",
      "<a x=1/>",
      "<a>1 < 2</a>",
      "<a x='1' x='2'/>",
      "<a>&nbsp;</a>",
      "<a>",
    ]) {
      expect(() => parseXml(bad), bad).toThrow(/not well-formed/);
    }
  });
});

// ---------------------------------------------------------------------------------------------
// The snapshot's changelog: the version replayed from history/, then the current documents.
const HISTORY = manifestJson.history;
const NEWER = HISTORY[0]!;
const OLDER = HISTORY[1]!;
const REMOVED = "/rest/api/3/workflow/transitions/{transitionId}/properties";
const ADDED = "/rest/api/3/field/{fieldId}/context/defaultValues";
const ALL_PRODUCTS = ["jira", "jira-software", "jira-service-management", "assets", "confluence", "bitbucket"];
// The v2 priority endpoints had taken their v3 twins' deprecation (CHANGE-1525) in the older version
// (scraper/normalize.ts withV3Twins), and lose it with them.
const DRIFT = [
  "~ POST /rest/api/2/priority (no longer deprecated)",
  "~ GET /rest/api/2/priority/search (no longer deprecated)",
  "~ PUT /rest/api/2/priority/{id} (no longer deprecated)",
  `+ GET ${ADDED} (endpoint added)`,
  "~ POST /rest/api/3/priority (no longer deprecated)",
  "~ GET /rest/api/3/priority/search (no longer deprecated)",
  "~ PUT /rest/api/3/priority/{id} (no longer deprecated)",
  `- GET ${REMOVED} (endpoint removed)`,
  `- POST ${REMOVED} (endpoint removed)`,
  `- PUT ${REMOVED} (endpoint removed)`,
  `- DELETE ${REMOVED} (endpoint removed)`,
];
/** The scope sets each removed method last took, which its entry carries and its text line names. */
const LAST_TOOK: Record<string, string> = {
  GET: "manage:jira-configuration or read:workflow.property:jira",
  POST: "manage:jira-configuration or read:workflow.property:jira + write:workflow.property:jira",
  PUT: "manage:jira-configuration or read:workflow.property:jira + write:workflow.property:jira",
  DELETE: "manage:jira-configuration or delete:workflow.property:jira",
};
const texted = (change: string) =>
  change.replace(
    /^- (GET|POST|PUT|DELETE) (\S+) \(endpoint removed\)$/,
    (_, method: string, path: string) => `- ${method} ${path} (endpoint removed; it took ${LAST_TOOK[method]})`,
  );
const day = (publishedAt: string) => publishedAt.slice(0, 10);
const line = (change: string) => `${day(NEWER.publishedAt)} jira  ${texted(change)}`;
const described = (entry: Json) => {
  const endpoint = `${entry.method} ${entry.path}`;
  return entry.type === "endpoint_added"
    ? `+ ${endpoint} (endpoint added)`
    : entry.type === "endpoint_removed"
      ? `- ${endpoint} (endpoint removed)`
      : entry.type === "deprecated_changed"
        ? `~ ${endpoint} (no longer deprecated)`
        : entry.type;
};

describe("GET /changes from the bundled snapshot", () => {
  beforeAll(() => {
    resetCatalogCache();
    resetChangesCache();
  });

  it("the snapshot holds two versions: the history replay, then the real Jira v3 drift", async () => {
    expect(HISTORY).toHaveLength(2);
    expect(OLDER.changes).toBe(0);
    expect(NEWER.changes).toBe(DRIFT.length);
    const snapshot = await loadSnapshot();
    const drift = snapshot.changes[NEWER.changesKey] as Changes;
    expect(drift.previousVersion).toBe(OLDER.version);
    expect(drift.entries.filter((entry) => entry.type === "endpoint_added")).toHaveLength(1);
    expect(drift.entries.filter((entry) => entry.type === "endpoint_removed")).toHaveLength(4);
    expect(drift.entries.filter((entry) => entry.type === "deprecated_changed")).toHaveLength(6);
    // Jira v3 retired the three workflow.property scopes, but the Jira v2 document (same product)
    // still publishes /rest/api/2/workflow/transitions/{transitionId}/properties with them.
    expect(drift.entries.filter((entry) => entry.type === "scope_retired")).toEqual([]);
  });

  it("lists every change, newest version first, each with the version and date that first saw it", async () => {
    const body = await changesJson();
    expect(body.catalog).toMatchObject({ version: NEWER.version, source: "snapshot" });
    expect(body.notes).toEqual([]);
    expect(body.query).toEqual({
      since: null,
      product: null,
      scope: null,
      path: null,
      method: null,
      matchedPaths: null,
    });
    expect(body.total).toBe(DRIFT.length);
    expect(body.entries.map(described)).toEqual(DRIFT);
    for (const entry of body.entries)
      expect(entry).toMatchObject({ version: NEWER.version, publishedAt: NEWER.publishedAt, product: "jira" });
    expect(body.versions).toEqual([
      {
        version: NEWER.version,
        publishedAt: NEWER.publishedAt,
        previousVersion: OLDER.version,
        changes: DRIFT.length,
        matching: DRIFT.length,
        baseline: [],
      },
      {
        version: OLDER.version,
        publishedAt: OLDER.publishedAt,
        previousVersion: null,
        changes: 0,
        matching: 0,
        baseline: ALL_PRODUCTS,
      },
    ]);
    expect(body.baseline).toEqual(
      ALL_PRODUCTS.map((product) => ({ product, version: OLDER.version, publishedAt: OLDER.publishedAt })),
    );
    expect(body.nextCursor).toBeNull();
  });

  it("filters by product; an unknown product is a 400 that lists the products", async () => {
    expect((await changesJson({ product: "jira" })).entries.map(described)).toEqual(DRIFT);
    const bitbucket = await changesJson({ product: "bitbucket" });
    expect(bitbucket.entries).toEqual([]);
    expect(bitbucket.baseline).toEqual([
      { product: "bitbucket", version: OLDER.version, publishedAt: OLDER.publishedAt },
    ]);
    expect(bitbucket.versions.map((item: Json) => item.baseline)).toEqual([[], ["bitbucket"]]);
    const error = await expectError(await getChanges({ product: "jira-cloud" }), 400, "invalid_request");
    // `platform` (the curated records, src/catalog/curated.ts) is a product too, though no scrape publishes it.
    expect(error.message).toBe(
      `product: \`product\` must be one of ${[...ALL_PRODUCTS, "platform"].join(", ")}, not "jira-cloud".`,
    );
    // A typo is named as on /endpoints (choiceSchema): was the bare list, without the value nor the nearest.
    expect((await expectError(await getChanges({ product: "jra" }), 400, "invalid_request")).message).toContain(
      'not "jra"; did you mean jira?',
    );
  });

  it("reads a product in any case as its id, in JSON, text and the feed (was 400 for JIRA)", async () => {
    const lower = await changesJson({ product: "jira" });
    for (const given of ["JIRA", "Jira", " jira "]) {
      const body = await changesJson({ product: given });
      expect(body.query.product).toBe("jira");
      expect(body.entries).toEqual(lower.entries);
    }
    expect(await changesText({ product: "BitBucket" })).toBe(await changesText({ product: "bitbucket" }));
    const atom = await get("/changes.atom?product=JIRA");
    expect(atom.status).toBe(200);
    expect(await atom.text()).toBe(await (await get("/changes.atom?product=jira")).text());
  });

  it("filters by scope: a removed endpoint is matched by the scopes it last took", async () => {
    // The removals carry their last scope sets: a subscriber to manage:jira-configuration hears of all 4.
    const body = await changesJson({ scope: "manage:jira-configuration" });
    expect(body.query.scope).toBe("manage:jira-configuration");
    expect(body.entries.map(described)).toEqual(DRIFT.filter((change) => change.includes(REMOVED)));
    expect(body.entries[0].alternatives).toEqual([
      { kind: "classic", state: "Current", scopes: ["manage:jira-configuration"] },
      { kind: "granular", state: "Beta", scopes: ["read:workflow.property:jira"] },
    ]);
    expect(body.versions.map((item: Json) => item.matching)).toEqual([4, 0]);
    // read:workflow.property:jira: GET, POST and PUT took it; DELETE took delete:workflow.property:jira.
    const read = await changesJson({ scope: "read:workflow.property:jira" });
    expect(read.entries.map(described)).toEqual([
      `- GET ${REMOVED} (endpoint removed)`,
      `- POST ${REMOVED} (endpoint removed)`,
      `- PUT ${REMOVED} (endpoint removed)`,
    ]);
    // No workflow.property scope left the jira product: the v2 document still publishes them.
    expect(read.entries.some((entry: Json) => entry.type === "scope_retired")).toBe(false);
    // The feed too.
    const atom = await get("/changes.atom?scope=manage:jira-configuration");
    expect(atom.status).toBe(200);
    const feed = await atom.text();
    expect(feed).toContain(`Catalog ${NEWER.version}: 4 changes (jira)`);
    expect(feed).toContain(`DELETE ${REMOVED} (endpoint removed; it took ${LAST_TOOK.DELETE})`);
    // A real scope with no change is simply none; a name nobody knows is said to be one.
    const none = await changesJson({ scope: "read:jira-work" });
    expect(none.entries).toEqual([]);
    expect(none.notes.join(" ")).not.toContain("No scope");
    const typo = await changesJson({ scope: "read:jira-wrok" });
    expect(typo.entries).toEqual([]);
    expect(typo.notes).toContain(
      "No scope read:jira-wrok is known to the catalog or to Atlassian's list of app scopes, so no change names it: did you mean read:jira-work?",
    );
  });

  it("filters by the template of a removed endpoint, which the catalog no longer has", async () => {
    const body = await changesJson({ path: REMOVED });
    expect(body.query.matchedPaths).toEqual([REMOVED]);
    expect(body.entries.map(described)).toEqual(DRIFT.filter((change) => change.includes(REMOVED)));
    const deleteOnly = await changesJson({ path: REMOVED, method: "delete" });
    expect(deleteOnly.query.method).toBe("DELETE");
    expect(deleteOnly.entries.map(described)).toEqual([`- DELETE ${REMOVED} (endpoint removed)`]);
  });

  it("resolves a concrete path, or a URL, of a removed endpoint against the changelog's templates", async () => {
    for (const path of [
      "/rest/api/3/workflow/transitions/42/properties",
      "https://acme.atlassian.net/rest/api/3/workflow/transitions/42/properties?key=x",
    ]) {
      const body = await changesJson({ path });
      expect(body.query.matchedPaths, path).toEqual([REMOVED]);
      expect(body.total, path).toBe(4);
    }
  });

  it("resolves a concrete path of the added endpoint through the catalog", async () => {
    for (const path of [
      "/rest/api/3/field/123/context/defaultValues",
      "https://api.atlassian.com/ex/jira/11111111-2222-3333-4444-555555555555/rest/api/3/field/customfield_10000/context/defaultValues",
    ]) {
      const body = await changesJson({ path });
      expect(body.query.matchedPaths, path).toEqual([ADDED]);
      expect(body.entries, path).toEqual([
        {
          version: NEWER.version,
          publishedAt: NEWER.publishedAt,
          type: "endpoint_added",
          product: "jira",
          method: "GET",
          path: ADDED,
        },
      ]);
    }
  });

  it("answers an existing endpoint that did not change with no entries, and an unknown path with 404", async () => {
    const unchanged = await changesJson({ path: "/rest/agile/1.0/board" });
    expect(unchanged.query.matchedPaths).toEqual(["/rest/agile/1.0/board"]);
    expect(unchanged.entries).toEqual([]);
    const error = await expectError(await getChanges({ path: "/rest/api/3/no/such/thing" }), 404, "endpoint_not_found");
    expect(error.message).toContain("No endpoint in the catalog or in its changelog matches /rest/api/3/no/such/thing");
    await expectError(await getChanges({ path: REMOVED, method: "FETCH" }), 400, "invalid_method");
    await expectError(await getChanges({ method: "GET" }), 400, "invalid_request");
  });

  it("takes `since` as a version: the versions strictly after it", async () => {
    const afterNewest = await changesJson({ since: NEWER.version });
    expect(afterNewest.versions).toEqual([]);
    expect(afterNewest.entries).toEqual([]);
    expect(afterNewest.total).toBe(0);
    const afterOlder = await changesJson({ since: OLDER.version });
    expect(afterOlder.versions.map((item: Json) => item.version)).toEqual([NEWER.version]);
    expect(afterOlder.baseline).toEqual([]);
    expect(afterOlder.entries.map(described)).toEqual(DRIFT);
  });

  it("takes `since` as a date or an ISO date-time: the versions published at or after it", async () => {
    const today = await changesJson({ since: day(OLDER.publishedAt) });
    expect(today.versions.map((item: Json) => item.version)).toEqual([NEWER.version, OLDER.version]);
    expect((await changesJson({ since: "2026-06-10" })).versions).toHaveLength(2);
    const atNewest = await changesJson({ since: NEWER.publishedAt });
    expect(atNewest.versions.map((item: Json) => item.version)).toEqual([NEWER.version]);
    expect(atNewest.total).toBe(DRIFT.length);
    const later = new Date(Date.parse(NEWER.publishedAt) + 1).toISOString();
    expect((await changesJson({ since: later })).versions).toEqual([]);
    const tomorrow = new Date(Date.parse(day(NEWER.publishedAt)) + 86_400_000).toISOString().slice(0, 10);
    expect((await changesJson({ since: tomorrow })).entries).toEqual([]);
  });

  it("refuses a `since` that is neither, showing both accepted forms", async () => {
    for (const since of ["last week", "2026-02-30", "2026-11-30T25:00:00Z", "20261130", "2026-11-30T03-12-30"]) {
      const error = await expectError(await getChanges({ since }), 400, "invalid_since");
      expect(error.message, since).toContain("a catalog version such as 2026-11-30T03-12-30Z");
      expect(error.message, since).toContain(
        "a date or ISO date-time such as 2026-06-10 or 2026-06-10T12:00:00Z (the versions published then or later",
      );
      expect(error.details).toEqual({ since });
    }
  });

  it("pages with limit and cursor", async () => {
    const first = await changesJson({ limit: "3" });
    expect(first.total).toBe(DRIFT.length);
    expect(first.entries.map(described)).toEqual(DRIFT.slice(0, 3));
    const second = await changesJson({ limit: "3", cursor: first.nextCursor });
    expect(second.entries.map(described)).toEqual(DRIFT.slice(3, 6));
    const third = await changesJson({ limit: "3", cursor: second.nextCursor });
    expect(third.entries.map(described)).toEqual(DRIFT.slice(6, 9));
    const fourth = await changesJson({ limit: "3", cursor: third.nextCursor });
    expect(fourth.entries.map(described)).toEqual(DRIFT.slice(9));
    expect(fourth.nextCursor).toBeNull();
    await expectError(await getChanges({ limit: "0" }), 400, "invalid_request");
    await expectError(await getChanges({ cursor: "nope" }), 400, "invalid_cursor");
    // Past the end (o:99999): was a 200 "showing 100000-99999"; `cursor=` is the first page.
    const past = await expectError(await getChanges({ cursor: "bzo5OTk5OQ" }), 400, "invalid_cursor");
    expect(past.message).toContain(`past the end of the ${DRIFT.length} results`);
    expect((await changesJson({ limit: "3", cursor: "" })).entries.map(described)).toEqual(DRIFT.slice(0, 3));
  });

  it("answers text: one line per entry, then the first-published products", async () => {
    expect(await changesText()).toBe(
      [
        `${DRIFT.length} changes in 2 versions`,
        ...DRIFT.map(line),
        `${day(OLDER.publishedAt)} first published: ${ALL_PRODUCTS.join(", ")} (everything in them is new; no changes listed)`,
        `catalog ${NEWER.version}`,
        "",
      ].join("\n"),
    );
    expect(await changesText({ path: REMOVED, since: OLDER.version })).toBe(
      [
        "4 changes in 1 version",
        ...DRIFT.filter((change) => change.includes(REMOVED)).map(line),
        `catalog ${NEWER.version}`,
        "",
      ].join("\n"),
    );
    expect(await changesText({ limit: "2", product: "jira", since: NEWER.version })).toBe(
      ["0 changes in 0 versions", `catalog ${NEWER.version}`, ""].join("\n"),
    );
    const paged = await changesText({ limit: "2", since: OLDER.version });
    expect(paged.split("\n").slice(0, 3)).toEqual([
      `${DRIFT.length} changes in 1 version, showing 1-2`,
      line(DRIFT[0]!),
      line(DRIFT[1]!),
    ]);
    expect(paged).toMatch(/\nmore: add &cursor=\S+\ncatalog /);
  });

  it("carries an ETag per catalog version and format, and answers 304 to If-None-Match", async () => {
    const response = await getChanges();
    const etag = response.headers.get("etag");
    expect(etag).toBe(`W/"changes-${NEWER.version}-json"`);
    expect(response.headers.get("cache-control")).toBe("public, max-age=3600, stale-while-revalidate=86400");
    const again = await getChanges({}, { "If-None-Match": etag! });
    expect(again.status).toBe(304);
    expect((await getChanges({ format: "text" }, { "If-None-Match": etag! })).status).toBe(200);
  });
});

describe("GET /changes.atom from the bundled snapshot", () => {
  beforeAll(() => {
    resetCatalogCache();
    resetChangesCache();
  });

  it("does not link to the host a request names (a forged Host), and uses PUBLIC_ORIGIN when set", async () => {
    const forged = await (await send(new Request("https://evil.example/changes.atom"))).text();
    expect(forged).toContain("<feed");
    expect(forged).not.toContain("evil.example");
    expect(forged).toContain(`href="/changes.atom"`);
    const originEnv = env as unknown as { PUBLIC_ORIGIN?: string };
    originEnv.PUBLIC_ORIGIN = "https://scopes.example.com";
    try {
      const configured = await (await send(new Request("https://evil.example/changes.atom"))).text();
      expect(configured).not.toContain("evil.example");
      expect(configured).toContain(`href="https://scopes.example.com/changes.atom"`);
      expect(configured).toContain("<id>tag:scopes.example.com,2026:changes.atom</id>");
    } finally {
      delete originEnv.PUBLIC_ORIGIN;
    }
  });

  it("is a well-formed Atom 1.0 feed with one entry per version, newest first", async () => {
    const { root, entries } = await feed();
    expect(childText(root, "id")).toBe("tag:catalog.test,2026:changes.atom");
    expect(childText(root, "updated")).toBe(NEWER.publishedAt);
    expect(childText(children(root, "author")[0]!, "name")).toBe("Scope Catalog");
    expect(children(root, "link").map((link) => link.attributes)).toEqual([
      { rel: "self", type: "application/atom+xml", href: `${ORIGIN}/changes.atom` },
      { rel: "alternate", type: "application/json", href: `${ORIGIN}/changes` },
    ]);
    expect(entries.map((entry) => childText(entry, "id"))).toEqual([
      `tag:catalog.test,${day(NEWER.version)}:changes/${NEWER.version}`,
      `tag:catalog.test,${day(OLDER.version)}:changes/${OLDER.version}`,
    ]);
    expect(entries.map((entry) => childText(entry, "updated"))).toEqual([NEWER.publishedAt, OLDER.publishedAt]);
    const [drift, first] = entries as [XmlElement, XmlElement];
    expect(childText(drift, "title")).toBe(`Catalog ${NEWER.version}: ${DRIFT.length} changes (jira)`);
    expect(childText(drift, "summary")).toBe("6 deprecation changes, 1 endpoint added, 4 endpoints removed");
    expect(childText(drift, "content")).toBe(DRIFT.map((change) => `jira  ${texted(change)}`).join("\n"));
    expect(children(drift, "content")[0]!.attributes).toEqual({ type: "text" });
    expect(childText(first, "title")).toBe(`Catalog ${OLDER.version}: first published ${ALL_PRODUCTS.join(", ")}`);
  });

  it("takes the same filters, escapes what it echoes, and keeps ids stable", async () => {
    const { xml, root, entries } = await feed({ path: REMOVED, scope: 'a<b&"c"' });
    expect(xml).toContain("a&lt;b&amp;&quot;c&quot;");
    expect(childText(root, "title")).toBe(
      `Scope Catalog: changes to Atlassian Cloud scopes (scope a<b&"c", path ${REMOVED})`,
    );
    expect(entries).toEqual([]);
    const removed = await feed({ path: REMOVED });
    expect(removed.entries).toHaveLength(1);
    expect(childText(removed.entries[0]!, "id")).toBe(
      `tag:catalog.test,${day(NEWER.version)}:changes/${NEWER.version}?path=${encodeURIComponent(REMOVED)}`,
    );
    expect(childText(removed.entries[0]!, "summary")).toBe("4 endpoints removed");
    expect(childText(removed.entries[0]!, "id")).toBe(childText((await feed({ path: REMOVED })).entries[0]!, "id"));
    expect((await feed({ since: NEWER.version })).entries).toEqual([]);
    expect((await feed({ product: "bitbucket" })).entries.map((entry) => childText(entry, "title"))).toEqual([
      `Catalog ${OLDER.version}: first published bitbucket`,
    ]);
  });

  it("answers a bad `since` with the JSON error, and 304 to its own ETag", async () => {
    await expectError(await get("/changes.atom?since=yesterday"), 400, "invalid_since");
    const response = await get("/changes.atom");
    expect(response.headers.get("etag")).toBe(`W/"changes-${NEWER.version}-atom"`);
    expect((await get("/changes.atom", { "If-None-Match": response.headers.get("etag")! })).status).toBe(304);
  });
});

// ---------------------------------------------------------------------------------------------
// From KV: two small versions published by the real publisher.
function endpoint(
  method: Endpoint["method"],
  path: string,
  alternatives: [Endpoint["alternatives"][number]["kind"], string, string[]][],
  deprecated = false,
): Endpoint {
  return {
    product: "jira",
    method,
    path,
    docsUrl: "https://developer.atlassian.com/cloud/jira/platform/rest/v3/",
    deprecated,
    experimental: false,
    alternatives: alternatives.map(([kind, state, scopes]) => ({
      kind,
      state,
      scopes,
      origins: ["x-atlassian-oauth2-scopes"],
    })),
    hasScopes: alternatives.length > 0,
    emptyScopeList: false,
    anonymous: false,
    documents: ["jira-platform.v3"],
  };
}

function jiraShard(endpoints: Endpoint[], hash: string): NewShard {
  const scopes = [
    ...new Set(endpoints.flatMap((item) => item.alternatives.flatMap((alternative) => alternative.scopes))),
  ];
  return {
    product: "jira",
    scrapedAt: "2026-11-01T04:17:00.000Z",
    contentHash: hash,
    documents: [],
    endpoints,
    scopes: scopes.map((name) => ({
      name,
      kind: name.endsWith(":jira") ? "granular" : "classic",
      product: "jira",
      unused: false,
    })),
  };
}

const ODD = `/rest/api/3/odd/{key}/<x>&"y"`;

describe("GET /changes from KV", () => {
  let first: string;
  let second: string;

  beforeEach(async () => {
    for (const key of (await env.CATALOG.list()).keys) await env.CATALOG.delete(key.name);
    resetCatalogCache();
    resetChangesCache();
    const store = new CatalogStore(env.CATALOG);
    const v1 = await publishVersion(
      store,
      null,
      [
        jiraShard(
          [
            endpoint("GET", "/rest/api/3/issue/{issueIdOrKey}", [
              ["classic", "Current", ["read:jira-work"]],
              ["granular", "Beta", ["read:issue:jira", "read:user:jira"]],
            ]),
            endpoint("GET", "/rest/api/3/old", [["granular", "Current", ["read:old:jira"]]]),
            endpoint("GET", "/rest/api/3/myself", [["classic", "Current", ["read:jira-user"]]]),
            endpoint("GET", "/rest/api/3/project", [
              ["classic", "Current", ["read:jira-work"]],
              ["granular", "Current", ["read:project:jira"]],
            ]),
          ],
          "v1",
        ),
      ],
      new Date("2026-11-01T04:17:00.000Z"),
    );
    const v2 = await publishVersion(
      store,
      v1.manifest,
      [
        jiraShard(
          [
            endpoint(
              "GET",
              "/rest/api/3/issue/{issueIdOrKey}",
              [
                ["classic", "Current", ["read:jira-work"]],
                ["granular", "Current", ["read:issue:jira", "read:avatar:jira"]],
              ],
              true,
            ),
            endpoint("POST", ODD, [["granular", "Current", ["write:odd:jira"]]]),
            endpoint("GET", "/rest/api/3/myself", [
              ["classic", "Current", ["read:jira-user"]],
              ["granular", "Beta", ["read:me:jira"]],
            ]),
            endpoint("GET", "/rest/api/3/project", [["classic", "Current", ["read:jira-work"]]]),
          ],
          "v2",
        ),
      ],
      new Date("2026-11-02T04:17:00.000Z"),
    );
    first = v1.manifest.version;
    second = v2.manifest.version;
  });

  it("lists the changes of the KV catalog, not the snapshot's", async () => {
    const body = await changesJson();
    expect(body.catalog).toMatchObject({ version: second, source: "kv" });
    expect(body.versions.map((item: Json) => [item.version, item.changes, item.baseline])).toEqual([
      [second, 13, []],
      [first, 0, ["jira"]],
    ]);
    expect(body.entries.map((entry: Json) => entry.type)).toEqual([
      "scopes_changed",
      "state_changed",
      "deprecated_changed",
      "alternative_added",
      "endpoint_added",
      "alternative_removed",
      "endpoint_removed",
      "scope_introduced",
      "scope_introduced",
      "scope_introduced",
      "scope_retired",
      "scope_retired",
      "scope_retired",
    ]);
    for (const entry of body.entries)
      expect(entry).toMatchObject({ version: second, publishedAt: "2026-11-02T04:17:00.000Z" });
    expect(changesCacheSize()).toBe(2);
  });

  it("filters by scope across retirements and scope-set changes", async () => {
    const user = await changesJson({ scope: "read:user:jira" });
    expect(user.entries.map((entry: Json) => [entry.type, entry.path ?? entry.scope])).toEqual([
      ["scopes_changed", "/rest/api/3/issue/{issueIdOrKey}"],
      ["scope_retired", "read:user:jira"],
    ]);
    expect(user.entries[0]).toMatchObject({
      alternative: { kind: "granular", state: "Current" },
      added: ["read:avatar:jira"],
      removed: ["read:user:jira"],
    });
    // scopes_changed names only the scopes added and removed; the set that holds read:issue:jira changed state.
    const issue = await changesJson({ scope: "read:issue:jira" });
    expect(issue.entries.map((entry: Json) => entry.type)).toEqual(["state_changed"]);
    // The endpoint that took it went away with it: its removal names the scope it last took.
    expect((await changesJson({ scope: "read:old:jira" })).entries.map((entry: Json) => entry.type)).toEqual([
      "endpoint_removed",
      "scope_retired",
    ]);
    expect((await changesJson({ scope: "read:me:jira" })).entries.map((entry: Json) => entry.type)).toEqual([
      "alternative_added",
      "scope_introduced",
    ]);
    expect((await changesJson({ scope: "read:project:jira" })).entries.map((entry: Json) => entry.type)).toEqual([
      "alternative_removed",
      "scope_retired",
    ]);
    expect((await changesJson({ scope: "read:project:jira", since: second })).entries).toEqual([]);
  });

  it("filters by a concrete path the catalog knows, and by a removed template", async () => {
    const issue = await changesJson({ path: "/rest/api/3/issue/ABC-1" });
    expect(issue.query.matchedPaths).toEqual(["/rest/api/3/issue/{issueIdOrKey}"]);
    expect(issue.entries.map((entry: Json) => entry.type)).toEqual([
      "scopes_changed",
      "state_changed",
      "deprecated_changed",
    ]);
    expect((await changesJson({ path: "/rest/api/3/old" })).entries.map((entry: Json) => entry.type)).toEqual([
      "endpoint_removed",
    ]);
  });

  it("answers text lines for every kind of change", async () => {
    expect(await changesText({ since: "2026-11-02" })).toBe(
      [
        "13 changes in 1 version",
        "2026-11-02 jira  ~ GET /rest/api/3/issue/{issueIdOrKey} (granular Current set: added read:avatar:jira; removed read:user:jira)",
        "2026-11-02 jira  ~ GET /rest/api/3/issue/{issueIdOrKey} (granular set read:issue:jira + read:avatar:jira: Beta -> Current)",
        "2026-11-02 jira  ~ GET /rest/api/3/issue/{issueIdOrKey} (now deprecated)",
        "2026-11-02 jira  + GET /rest/api/3/myself (granular Beta set added: read:me:jira)",
        `2026-11-02 jira  + POST ${ODD} (endpoint added)`,
        "2026-11-02 jira  - GET /rest/api/3/project (granular Current set removed: read:project:jira)",
        "2026-11-02 jira  - GET /rest/api/3/old (endpoint removed; it took read:old:jira)",
        "2026-11-02 jira  + read:avatar:jira (scope introduced)",
        "2026-11-02 jira  + read:me:jira (scope introduced)",
        "2026-11-02 jira  + write:odd:jira (scope introduced)",
        "2026-11-02 jira  - read:old:jira (scope retired: no endpoint uses it any more)",
        "2026-11-02 jira  - read:project:jira (scope retired: no endpoint uses it any more)",
        "2026-11-02 jira  - read:user:jira (scope retired: no endpoint uses it any more)",
        `catalog ${second}`,
        "",
      ].join("\n"),
    );
  });

  it("escapes endpoint paths in the Atom feed", async () => {
    const { xml, entries } = await feed({ since: first });
    expect(entries).toHaveLength(1);
    expect(xml).toContain("/rest/api/3/odd/{key}/&lt;x&gt;&amp;&quot;y&quot;");
    expect(xml).not.toContain("<x>");
    expect(childText(entries[0]!, "content").split("\n")).toContain(`jira  + POST ${ODD} (endpoint added)`);
    expect(childText(entries[0]!, "summary")).toBe(
      "1 scope set changed, 1 state change, 1 deprecation change, 1 scope set added, 1 endpoint added, 1 scope set removed, 1 endpoint removed, 3 scopes introduced, 3 scopes retired",
    );
  });

  it("falls back to the snapshot's changelog when KV loses its catalog, and says so", async () => {
    expect((await changesJson()).catalog.source).toBe("kv");
    for (const key of (await env.CATALOG.list()).keys) await env.CATALOG.delete(key.name);
    const body = await changesJson(); // the catalog is still held in the isolate for up to 60 s
    expect(body.versions[0].version).toBe(NEWER.version);
    expect(body.notes).toEqual(["KV holds no catalog any more; the changelog is the snapshot's"]);
  });

  it("notes a version whose changes are missing instead of failing", async () => {
    await env.CATALOG.delete(`changes/${first}`);
    const body = await changesJson();
    expect(body.versions.map((item: Json) => item.version)).toEqual([second]);
    expect(body.notes).toEqual([
      `The changes of version ${first} could not be read: changes/${first} is missing from KV`,
    ]);
  });
});

describe("the OpenAPI documents of both routes", () => {
  it("describe the query, the answers and the errors, with examples", () => {
    const info = { title: "t", version: "1" };
    const json = changes.getOpenAPI31Document({ openapi: "3.1.0", info }) as Json;
    const operation = json.paths["/"].get;
    expect(operation.parameters.map((parameter: Json) => parameter.name).sort()).toEqual([
      "cursor",
      "format",
      "limit",
      "method",
      "path",
      "product",
      "scope",
      "since",
    ]);
    expect(Object.keys(operation.responses).sort()).toEqual(["200", "304", "400", "404", "503"]);
    expect(operation.responses["200"].content["application/json"].example.entries[0].type).toBe("endpoint_removed");
    const errors = operation.responses["400"].content["application/json"].examples;
    expect(errors.invalid_since.value.error.code).toBe("invalid_since");
    expect(json.components.schemas.Changes).toBeDefined();
    expect(json.components.schemas.Change).toBeDefined();
    const atom = changesAtom.getOpenAPI31Document({ openapi: "3.1.0", info }) as Json;
    const feedOperation = atom.paths["/"].get;
    expect(feedOperation.parameters.map((parameter: Json) => parameter.name).sort()).toEqual([
      "before",
      "method",
      "path",
      "product",
      "scope",
      "since",
    ]);
    expect(() => parseXml(feedOperation.responses["200"].content["application/atom+xml"].example)).not.toThrow();
  });
});
