/**
 * The answer layer on its own: the one Result, paging, the method parser, and `ask`, which every
 * integration uses (input checked by the answer's schema, credentials refused, a missing catalog worded).
 */
import { describe, expect, it } from "vitest";
import { answerDiff, diffRequests } from "../../src/answers/diff";
import { answerLookup, answerLookupLazily } from "../../src/answers/lookup";
import { requestsOf } from "../../src/answers/plan";
import { decodeCursor, encodeCursor, pageOf } from "../../src/answers/paging";
import { FAILURE_STATUS } from "../../src/answers/result";
import { MAX_RANKED_UNKNOWN, rankingBudget, unknownScopes } from "../../src/catalog/diff";
import { parseMethod } from "../../src/catalog/http-method";
import { ask } from "../../src/integrations/ask";
import type { ServedCatalog } from "../../src/storage/catalog-cache";
import { CatalogIndex } from "../../src/catalog/catalog-index";
import { BOARD, sampleData, sampleIndex } from "../catalog/catalog-fixture";

const served: ServedCatalog = { index: sampleIndex(), source: "kv" };
const catalog = async () => served;

describe("paging", () => {
  it("pages a list and hands out a cursor for the rest, which reads back", () => {
    const first = pageOf([1, 2, 3, 4, 5], undefined, 2);
    expect(first).toEqual({ ok: true, value: { items: [1, 2], offset: 0, nextCursor: encodeCursor(2) } });
    const last = pageOf([1, 2, 3, 4, 5], encodeCursor(4), 2);
    expect(last).toEqual({ ok: true, value: { items: [5], offset: 4, nextCursor: null } });
  });

  it("refuses a cursor it did not give out, as invalid_cursor", () => {
    for (const cursor of ["nonsense", btoa("o:-1"), btoa("o:1234567890")]) {
      const read = decodeCursor(cursor);
      expect(read.ok ? "accepted" : read.failure.reason, cursor).toBe("invalid_cursor");
    }
  });

  it("reads an empty cursor as none: the first page", () => {
    // A client that always sends `cursor=` asks for the first page, not a 400.
    expect(decodeCursor("")).toEqual({ ok: true, value: 0 });
    expect(pageOf([1, 2, 3], "", 2)).toEqual(pageOf([1, 2, 3], undefined, 2));
  });

  it.each([
    { name: "far past the end (an edited cursor)", list: [1, 2, 3], offset: 1_000_000, want: "3 results" },
    { name: "at the end, which the last page never hands out", list: [1, 2, 3], offset: 3, want: "3 results" },
    { name: "any offset into an empty list", list: [], offset: 1, want: "0 results" },
    { name: "one result", list: [1], offset: 5, want: "1 result;" },
  ])("refuses a cursor $name as invalid_cursor, saying to start again", ({ list, offset, want }) => {
    // Was a 200 with no items, which text answers showed as "showing 1000001-1000000".
    const page = pageOf(list, encodeCursor(offset), 2);
    expect(page.ok ? "accepted" : page.failure.reason).toBe("invalid_cursor");
    if (!page.ok) {
      expect(page.failure.message).toContain(`past the end of the ${want}`);
      expect(page.failure.message).toContain("leave it out to start again");
    }
  });

  it("the first page of an empty list is no error", () => {
    expect(pageOf([], undefined, 2)).toEqual({ ok: true, value: { items: [], offset: 0, nextCursor: null } });
    expect(pageOf([], encodeCursor(0), 2).ok).toBe(true);
  });
});

describe("parseMethod", () => {
  it.each([
    { given: undefined, want: undefined },
    { given: "  ", want: undefined },
    { given: " get ", want: "GET" },
    { given: "Patch", want: "PATCH" },
  ])("$given → $want", ({ given, want }) => {
    expect(parseMethod(given)).toEqual({ ok: true, method: want });
  });

  it("refuses what is not an HTTP method, quoting at most 40 characters of it", () => {
    const read = parseMethod(`FETCH${"x".repeat(100)}`);
    expect(read.ok).toBe(false);
    if (!read.ok) {
      expect(read.code).toBe("invalid_method");
      expect(read.message).toContain(JSON.stringify(`FETCH${"x".repeat(35)}`));
    }
  });
});

describe("answerLookup", () => {
  it("answers with the catalog's endpoints and the catalog it came from", () => {
    const answer = answerLookup(served, { path: BOARD, method: "get" });
    expect(answer.ok).toBe(true);
    if (answer.ok) {
      expect(answer.value.query.method).toBe("GET");
      expect(answer.value.endpoints.map((endpoint) => `${endpoint.method} ${endpoint.path}`)).toEqual([`GET ${BOARD}`]);
      expect(answer.value.catalog.source).toBe("kv");
    }
  });

  it("a failure carries a reason that has an HTTP status", () => {
    const answer = answerLookup(served, { path: "/rest/agile/1.0/bord" });
    expect(answer.ok ? "ok" : answer.failure.reason).toBe("endpoint_not_found");
    if (!answer.ok) expect(FAILURE_STATUS[answer.failure.reason]).toBe(404);
  });

  it("asks for the whole catalog only when a partial one finds nothing", async () => {
    let asked = 0;
    const whole = async () => {
      asked++;
      return served;
    };
    await answerLookupLazily({ ...served, partial: true }, { path: BOARD }, whole);
    expect(asked).toBe(0);
    await answerLookupLazily({ ...served, partial: true }, { path: "/rest/agile/1.0/bord" }, whole);
    expect(asked).toBe(1);
    await answerLookupLazily(served, { path: "/rest/agile/1.0/bord" }, whole);
    expect(asked).toBe(1);
  });

  it("ranks suggestions once, on the whole catalog, not first on the partial one", async () => {
    const partial = sampleIndex();
    const whole = sampleIndex();
    const ranked = { partial: 0, whole: 0 };
    for (const [name, index] of [
      ["partial", partial],
      ["whole", whole],
    ] as const) {
      const suggest = index.suggestPaths.bind(index);
      index.suggestPaths = (...args) => {
        ranked[name]++;
        return suggest(...args);
      };
    }
    const answer = await answerLookupLazily(
      { index: partial, source: "kv", partial: true },
      { path: "/rest/agile/1.0/bord" },
      async () => ({ index: whole, source: "kv" }),
    );
    expect(answer.ok ? [] : answer.failure.details?.suggestions).toContain(BOARD);
    expect(ranked).toEqual({ partial: 0, whole: 1 });
  });
});

describe("unknown scopes: a request ranks at most MAX_RANKED_UNKNOWN new names", () => {
  it("shares one budget across the request's calls; names seen before cost nothing", () => {
    const index = sampleIndex();
    let ranked = 0;
    const suggest = index.suggestScopes.bind(index);
    index.suggestScopes = (...args) => {
      ranked++;
      return suggest(...args);
    };
    const budget = rankingBudget();
    const names = Array.from({ length: 40 }, (_, n) => `read:jira-wrk-${n}`);
    const first = unknownScopes(names, index, budget);
    const second = unknownScopes(names, index, budget);
    expect(ranked).toBe(MAX_RANKED_UNKNOWN);
    expect(first).toHaveLength(40);
    expect(first.filter((item) => item.suggestions.length > 0)).toHaveLength(MAX_RANKED_UNKNOWN);
    // The ranked names are cached: the second call gives them again without ranking.
    expect(second.filter((item) => item.suggestions.length > 0)).toHaveLength(MAX_RANKED_UNKNOWN);
    unknownScopes(names.slice(0, 5), index);
    expect(ranked).toBe(MAX_RANKED_UNKNOWN);
  });
});

describe("ask (the MCP tools and the Slack command)", () => {
  it("answers the same text lines as ?format=text", async () => {
    const answer = await ask(catalog, { kind: "lookup", input: { path: BOARD } });
    expect(answer.ok).toBe(true);
    if (answer.ok) {
      expect(answer.text).toMatch(new RegExp(`^GET ${BOARD} `));
      expect(answer.text).toMatch(/\ncatalog \S+\n$/);
    }
  });

  it("checks the input with the answer's own schema, worded as the HTTP routes word it", async () => {
    const answer = await ask(catalog, { kind: "reverse", input: { scope: "read:jira-work", limit: 0 } });
    expect(answer.ok).toBe(false);
    if (!answer.ok) {
      expect(answer.failure.reason).toBe("invalid_request");
      expect(answer.failure.message).toBe("limit: `limit` must be a whole number from 1 to 500");
    }
  });

  it("refuses a credential before reading the catalog, and never repeats it", async () => {
    let read = 0;
    const token = `AT${"ATT"}3xFfGF0${"A1b2C3d4E5f6G7h8".repeat(2)}`;
    const answer = await ask(
      async () => {
        read++;
        return served;
      },
      { kind: "diff", input: { scopes: `read:jira-work ${token}` } },
    );
    expect(answer.ok ? "ok" : answer.failure.reason).toBe("credential_detected");
    if (!answer.ok) expect(answer.failure.message).not.toContain(token);
    expect(read).toBe(0);
  });

  it("finds a credential that follows a newline (JSON escapes the newline next to it)", async () => {
    const token = `AT${"ATT"}3xFfGF0${"A1b2C3d4E5f6G7h8".repeat(2)}`;
    const answer = await ask(catalog, { kind: "diff", input: { scopes: `read:jira-work\n${token}` } });
    expect(answer.ok ? "ok" : answer.failure.reason).toBe("credential_detected");
    expect(JSON.stringify(answer)).not.toContain(token);
  });

  it("words a catalog that cannot be read as catalog_unavailable, without the storage's own error text", async () => {
    const answer = await ask(
      async () => {
        throw new Error("KV GET failed: internal detail");
      },
      { kind: "lookup", input: { path: BOARD } },
    );
    expect(answer.ok ? "ok" : answer.failure.reason).toBe("catalog_unavailable");
    if (!answer.ok) expect(answer.failure.message).not.toContain("internal detail");
  });
});

describe("a body's endpoint lines are read once", () => {
  it("diffRequests and requestsOf give the same request objects for the same body, fresh ones for a copy", () => {
    const body = { scopes: ["read:jira-work"], endpoints: ["GET /rest/api/3/myself", "# note", { path: "/2.0/user" }] };
    const wanted = diffRequests(body);
    expect(wanted).toEqual([{ method: "GET", path: "/rest/api/3/myself" }, { path: "/2.0/user" }]);
    expect(diffRequests(body)).toBe(wanted);
    expect(diffRequests({ ...body })).not.toBe(wanted);
    const input = { endpoints: ["GET /rest/api/3/myself"], text: "POST /rest/api/3/issue\n\n" };
    const asked = requestsOf(input);
    expect(asked.ok && asked.value.requests).toEqual([
      { method: "GET", path: "/rest/api/3/myself" },
      { method: "POST", path: "/rest/api/3/issue" },
    ]);
    expect(requestsOf(input)).toBe(asked);
  });
});

describe("a whole catalog with the manifest's scope names", () => {
  /** The sample catalog with its scope names, counting each read of a product's scope records or index. */
  function countingCatalog(options: { directMatchesOnly?: true } = {}): { served: ServedCatalog; reads: () => number } {
    const data = { ...sampleData(), ...options };
    let reads = 0;
    const names: string[] = [];
    for (const product of Object.values(data.products)) {
      for (const { name } of product.scopes) if (!names.includes(name)) names.push(name);
      const { scopes, scopeIndex } = product;
      const counted =
        <T>(value: T) =>
        () => {
          reads++;
          return value;
        };
      Object.defineProperty(product, "scopes", { get: counted(scopes) });
      Object.defineProperty(product, "scopeIndex", { get: counted(scopeIndex) });
    }
    const index = CatalogIndex.build({
      ...data,
      catalogScopeNames: names,
      registry: {
        source: { package: "@forge/manifest", version: "13.7.0", url: "https://registry.npmjs.org/x.tgz", files: [] },
        scopes: [
          { name: "read:jira-work", product: "jira" },
          { name: "read:component:compass", product: "compass" },
        ],
      },
    });
    return { served: { index, source: "kv" }, reads: () => reads };
  }

  it("knows a name as the scope records do", () => {
    const { served } = countingCatalog();
    const plain = sampleIndex();
    for (const name of ["read:jira-work", "read:board-scope:jira-software", "read:jira-wrok", "offline_access", "x"])
      expect(served.index.knowsScope(name), name).toBe(plain.scope(name) !== undefined);
  });

  it("what tokens can call is listed once for tokens whose deciding scopes match, and answered as for each alone", () => {
    const tokens = [
      { id: "a", scopes: ["read:jira-work", "pullrequest:write", "X1_1", "X1_2"] },
      { id: "b", scopes: ["read:jira-work", "pullrequest:write", "X2_1"] },
      { id: "c", scopes: ["read:jira-work", "X3_1"] },
    ];
    const together = answerDiff(served, { scopes: tokens, limit: 5 });
    if (!together.ok) throw new Error(together.failure.message);
    const alone = tokens.map((token) => {
      const answer = answerDiff(served, { scopes: [token], limit: 5 });
      if (!answer.ok) throw new Error(answer.failure.message);
      return answer.value.tokens![0];
    });
    expect(together.value.tokens).toEqual(alone);
    const [a, b, c] = together.value.tokens!;
    expect(a!.callable).toEqual(b!.callable);
    expect(a!.callable!.total).toBeGreaterThan(c!.callable!.total);
    // Each token's counts are its own object: changing one answer's leaves the others'.
    expect(a!.callable!.byProduct).not.toBe(b!.callable!.byProduct);
  });

  it("a diff whose held scopes the endpoints take, plus a typo, reads no scope records", () => {
    const { served, reads } = countingCatalog();
    const answer = answerDiff(served, {
      scopes: ["read:jira-work", "write:jira-work", "read:jira-wrok"],
      endpoints: ["GET /rest/api/3/issue/ABC-1", "PUT /rest/api/3/issue/ABC-1"],
    });
    if (!answer.ok) throw new Error(answer.failure.message);
    expect(answer.value.summary).toMatchObject({ checked: 2, satisfied: 2 });
    expect(answer.value.unknownScopes?.map(({ scope }) => scope)).toEqual(["read:jira-wrok"]);
    expect(reads()).toBe(0);
    // A registered scope no endpoint at hand takes is classified on the scope tables, as before.
    const outside = answerDiff(served, {
      scopes: ["read:component:compass"],
      endpoints: ["GET /rest/api/3/issue/ABC-1"],
    });
    expect(outside.ok && outside.value.outsideScopes?.map(({ scope }) => scope)).toEqual(["read:component:compass"]);
    expect(reads()).toBeGreaterThan(0);
  });

  it("an index over the products a request needs (directMatchesOnly) knows names from the manifest too: a typo reads no scope records", () => {
    const { served, reads } = countingCatalog({ directMatchesOnly: true });
    expect(served.index.data.directMatchesOnly).toBe(true);
    const answer = answerDiff(served, {
      scopes: ["read:jira-work", "write:jira-work", "read:jira-wrok"],
      endpoints: ["GET /rest/api/3/issue/ABC-1", "PUT /rest/api/3/issue/ABC-1"],
    });
    if (!answer.ok) throw new Error(answer.failure.message);
    expect(answer.value.unknownScopes?.map(({ scope }) => scope)).toEqual(["read:jira-wrok"]);
    expect(reads()).toBe(0);
    const plain = sampleIndex();
    for (const name of ["read:jira-work", "read:board-scope:jira-software", "read:jira-wrok", "offline_access", "x"])
      expect(served.index.knowsScope(name), name).toBe(plain.scope(name) !== undefined);
  });
});
