/**
 * Deprecation and removal dates told against the request's date (ServedCatalog.today), not the catalog's:
 * GET /scopes' notes and /explain's deprecated_endpoint on a catalog served "before" and "after" the date.
 * Found in review: Bitbucket's code search, "This API will be deprecated on November 1, 2026.", read
 * "Deprecated (from 2026-11-01)" while the date was still ahead.
 */
import { describe, expect, it } from "vitest";
import { answerExplain } from "../../src/answers/explain";
import { answerLookup } from "../../src/answers/lookup";
import { CatalogIndex } from "../../src/catalog/catalog-index";
import type { ServedCatalog } from "../../src/storage/catalog-cache";
import { alt, endpoint, sampleData } from "../catalog/catalog-fixture";

const CODE_SEARCH = "/2.0/workspaces/{workspace}/search/code";

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
