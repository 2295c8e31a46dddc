/**
 * A plan over the cap is split on the scopes a token holds once Bitbucket's implied scopes fold
 * (src/catalog/implied-scopes.ts): the review's suspicion that `unfit` and the split counted a chosen
 * set before folding, confirmed here on a hand-built catalog and fixed in answerPlan.
 */
import { describe, expect, it } from "vitest";
import { answerPlan } from "../../src/answers/plan";
import { CatalogIndex } from "../../src/catalog/catalog-index";
import type { ServedCatalog } from "../../src/storage/catalog-cache";
import { alt, endpoint } from "../catalog/catalog-fixture";

// No endpoint of the bundled catalog takes a set holding a scope and one it implies; a document could.
const PAIRED = "/2.0/repositories/{workspace}/{repo_slug}/paired";
const REPO = "/2.0/repositories/{workspace}/{repo_slug}";
const PULLS = "/2.0/repositories/{workspace}/{repo_slug}/pullrequests";
const ISSUES = "/2.0/repositories/{workspace}/{repo_slug}/issues";
const served: ServedCatalog = {
  source: "kv",
  index: CatalogIndex.build({
    version: "2026-01-02T03-04-05Z",
    publishedAt: "2026-01-02T03:04:05.000Z",
    products: {
      bitbucket: {
        version: "2026-01-02T03-04-05Z",
        scrapedAt: "2026-01-02T03:02:00.000Z",
        endpoints: [
          endpoint("bitbucket", "GET", PAIRED, [alt(["pullrequest", "repository"])]),
          endpoint("bitbucket", "GET", REPO, [alt(["repository"])]),
          endpoint("bitbucket", "GET", PULLS, [alt(["pullrequest"])]),
          endpoint("bitbucket", "GET", ISSUES, [alt(["issue"])]),
        ],
        scopes: ["pullrequest", "repository", "issue"].map((name) => ({
          name,
          kind: "classic" as const,
          product: "bitbucket",
          unused: false,
        })),
      },
    },
  }),
};
const at = (path: string) =>
  `GET https://api.bitbucket.org${path.replace("{workspace}", "ws").replace("{repo_slug}", "repo")}`;

function plan(endpoints: string[], maxScopes: number) {
  const answer = answerPlan(served, { endpoints, maxScopes });
  if (!answer.ok) throw new Error(answer.failure.message);
  return answer.value;
}

describe("a split plan counts scopes as folded", () => {
  it("a chosen set of a scope and one it implies fits a 1-scope token: not unfit (was: 'fit in none')", () => {
    const answer = plan([at(PAIRED), at(ISSUES)], 1);
    expect(answer.unfit).toBeUndefined();
    expect(answer.tokens?.map((token) => token.scopes)).toEqual([["pullrequest"], ["issue"]]);
  });

  it("an endpoint whose scope another token's grants joins that token (was a token of its own: 3 for 2 scopes)", () => {
    const answer = plan([at(PULLS), at(REPO), at(ISSUES)], 1);
    expect(answer.scopes).toEqual(["issue", "pullrequest"]);
    expect(answer.tokens?.map((token) => [token.scopes, token.endpoints.length])).toEqual([
      [["pullrequest"], 2],
      [["issue"], 1],
    ]);
  });

  it("under the cap, one token as before; over it, every endpoint a `pullrequest` token serves joins it", () => {
    expect(plan([at(PULLS), at(REPO), at(ISSUES)], 2).tokens).toBeNull();
    const split = plan([at(PULLS), at(ISSUES), at(REPO), at(PAIRED)], 1);
    expect(split.unfit).toBeUndefined();
    expect(split.tokens?.map((token) => [token.scopes, [...token.endpoints].sort()])).toEqual([
      [["pullrequest"], [`GET ${REPO}`, `GET ${PAIRED}`, `GET ${PULLS}`].sort()],
      [["issue"], [`GET ${ISSUES}`]],
    ]);
  });
});
