/**
 * Deprecation and removal dates told against the request's date (ServedCatalog.today), not the catalog's:
 * GET /scopes' notes and /explain's deprecated_endpoint on a catalog served "before" and "after" the date.
 * Found in review: Bitbucket's code search, "This API will be deprecated on November 1, 2026.", read
 * "Deprecated (from 2026-11-01)" while the date was still ahead. And whether a removal took effect,
 * on every answer that marks one: the fixture's catalog is scraped in January 2026, before the removal.
 */
import { describe, expect, it } from "vitest";
import { answerDiff } from "../../src/answers/diff";
import { answerExplain } from "../../src/answers/explain";
import { answerLookup } from "../../src/answers/lookup";
import { answerPlan } from "../../src/answers/plan";
import { answerReverse } from "../../src/answers/reverse";
import { CatalogIndex } from "../../src/catalog/catalog-index";
import type { ServedCatalog } from "../../src/storage/catalog-cache";
import { alt, endpoint, sampleData } from "../catalog/catalog-fixture";

const CODE_SEARCH = "/2.0/workspaces/{workspace}/search/code";
const RETIRED = "/2.0/workspaces/{workspace}/retired";
const REMOVED_ON = "2026-06-01";

function servedOn(today: string | undefined): ServedCatalog {
  const data = sampleData();
  const bitbucket = data.products.bitbucket!;
  data.products.bitbucket = {
    ...bitbucket,
    endpoints: [
      ...bitbucket.endpoints,
      endpoint("bitbucket", "GET", CODE_SEARCH, [alt(["repository"])], {
        deprecated: true,
        lifecycle: [{ type: "deprecated", effective: "2026-11-01", origin: "description" }],
      }),
      endpoint("bitbucket", "GET", RETIRED, [alt(["pullrequest"])], {
        lifecycle: [{ type: "removed", effective: REMOVED_ON }],
      }),
    ],
  };
  return { index: CatalogIndex.build(data), source: "snapshot", ...(today ? { today } : {}) };
}

const deprecationNote = (served: ServedCatalog) => {
  const answer = answerLookup(served, { path: "/2.0/workspaces/acme/search/code", method: "GET" });
  if (!answer.ok) throw new Error(JSON.stringify(answer.failure));
  return answer.value.endpoints[0]!.notes.find((note) => note.includes("eprecated"));
};

const explained = (served: ServedCatalog) => {
  const answer = answerExplain(served, {
    method: "GET",
    url: "https://api.bitbucket.org/2.0/workspaces/acme/search/code",
    status: 403,
  });
  if (!answer.ok) throw new Error(JSON.stringify(answer.failure));
  return answer.value.findings.find((finding) => finding.code === "deprecated_endpoint")?.message;
};

describe("lifecycle dates against the request's date", () => {
  it("before the date: to be deprecated on it", () => {
    const served = servedOn("2026-10-31");
    expect(deprecationNote(served)).toBe("To be deprecated on 2026-11-01: prefer its replacement (see the docs link).");
    expect(explained(served)).toBe(`GET ${CODE_SEARCH} is to be deprecated on 2026-11-01.`);
  });

  it("on and after the date: deprecated since it", () => {
    for (const today of ["2026-11-01", "2026-12-07"]) {
      const served = servedOn(today);
      expect(deprecationNote(served)).toBe("Deprecated since 2026-11-01: prefer its replacement (see the docs link).");
      expect(explained(served)).toBe(`GET ${CODE_SEARCH} is deprecated since 2026-11-01.`);
    }
  });

  it("a catalog built by hand, with no request date, tells dates against its own scrape date", () => {
    const served = servedOn(undefined);
    expect(served.index.scrapedAt.slice(0, 10) < "2026-11-01").toBe(
      deprecationNote(served)?.startsWith("To be deprecated") === true,
    );
  });
});

describe("a removal taken effect, against the request's date on every answer", () => {
  const url = "https://api.bitbucket.org/2.0/workspaces/acme/retired";
  const unwrap = <T>(answer: { ok: true; value: T } | { ok: false; failure: unknown }): T => {
    if (!answer.ok) throw new Error(JSON.stringify(answer.failure));
    return answer.value;
  };
  const removals = (today: string) => {
    const served = servedOn(today);
    expect(served.index.scrapedAt.slice(0, 10) < REMOVED_ON).toBe(true);
    const lookup = unwrap(answerLookup(served, { path: url, method: "GET" })).endpoints[0]!;
    const diff = unwrap(answerDiff(served, { scopes: ["pullrequest"], endpoints: [`GET ${url}`] }));
    const plan = unwrap(answerPlan(served, { endpoints: [`GET ${url}`] }));
    const reverse = unwrap(answerReverse(served, { scope: "pullrequest", limit: 100 }));
    // A 410 is a removal whatever the date: a 403 shows which reading the date gives.
    const explain = unwrap(answerExplain(served, { method: "GET", url, status: 403, scopes: ["pullrequest"] }));
    return {
      lookup: lookup.removal?.effective,
      lookupNote: lookup.notes.find((note) => note.includes(REMOVED_ON)),
      diff: diff.results?.[0]?.removal?.effective,
      plan: plan.endpoints[0]?.removal?.effective,
      reverse: reverse.endpoints.find((entry) => entry.path === RETIRED)?.removal?.effective,
      explain: explain.findings.find((finding) => finding.code === "deprecated_endpoint")?.message,
    };
  };

  it("before the date: announced, not removed", () => {
    const before = removals("2026-05-31");
    expect(before).toMatchObject({
      lookup: undefined,
      lookupNote: `To be removed on ${REMOVED_ON}.`,
      diff: undefined,
      plan: undefined,
      reverse: undefined,
    });
    expect(before.explain).toBe(`GET ${RETIRED} is to be removed on ${REMOVED_ON}.`);
  });

  it("from the date, though the catalog was read before it: removed on /scopes, /diff, /plan, /endpoints and /explain", () => {
    const after = removals(REMOVED_ON);
    expect(after).toMatchObject({
      lookup: REMOVED_ON,
      lookupNote: undefined,
      diff: REMOVED_ON,
      plan: REMOVED_ON,
      reverse: REMOVED_ON,
    });
    expect(after.explain).toContain(
      `removal was announced effective ${REMOVED_ON}: calls to it are expected to answer 410 Gone`,
    );
  });
});
