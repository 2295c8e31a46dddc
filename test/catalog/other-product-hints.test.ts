/**
 * /diff's hint that a held scope of another product does not count (`read:user:jira` for Bitbucket's
 * `read:user:bitbucket`): found through equivalence keys, it names the same scopes as asking each held
 * scope's finder about the endpoint's missing scopes, as diff.ts did before. Over the bundled snapshot.
 */
import { describe, expect, it } from "vitest";
import { CatalogIndex } from "../../src/catalog/catalog-index";
import { checkEndpoint } from "../../src/catalog/diff";
import type { Product } from "../../src/catalog/schema";
import { candidateKeys, equivalenceKey, registryProductOf } from "../../src/catalog/scope-registry";
import { scopeKindOf } from "../../src/catalog/scope-names";
import { snapshotShards } from "../helpers/snapshot-shards";
import { alt, endpoint } from "./catalog-fixture";

/** A small deterministic PRNG, so a failing case can be replayed from its seed. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/** The finder diff.ts used per held scope: the first candidate that is its equivalent. */
function oracleEquivalent(scope: string, candidates: readonly string[]): string | undefined {
  if (scope === "read:me" || scope === "read:account")
    return candidates.find((candidate) => candidate.startsWith("read:user:"));
  if (scopeKindOf(scope) !== "granular") return undefined;
  const stem = scope.slice(0, scope.lastIndexOf(":") + 1);
  return candidates.find(
    (candidate) => candidate !== scope && candidate.startsWith(stem) && candidate.indexOf(":", stem.length) < 0,
  );
}

/** The keys, asked as the finder was: the first candidate under the scope's key, other than the scope. */
function keyedEquivalent(scope: string, candidates: readonly string[]): string | undefined {
  const key = equivalenceKey(scope);
  if (key === undefined) return undefined;
  return candidates.find((candidate) => candidate !== scope && candidateKeys(candidate).includes(key));
}

const HINT =
  /^`([^`]+)` is .*, not an? .* scope: it does not count here; .*'s is `([^`]+)`(?:, with `[^`]+`(?: \+ `[^`]+`)*)?\.$/;

describe("equivalence keys", () => {
  it.each([
    // Derived: same action and resource, the endpoint's product.
    { given: "read:user:jira", candidates: ["account", "read:user:bitbucket"], want: "read:user:bitbucket" },
    // The User Identity API's profile scopes: the product's own read:user scope.
    { given: "read:account", candidates: ["account", "read:user:bitbucket"], want: "read:user:bitbucket" },
    { given: "read:me", candidates: ["read:user:jira"], want: "read:user:jira" },
    // No equivalent: nothing is guessed.
    { given: "read:account", candidates: ["read:pullrequest:bitbucket"], want: undefined },
    { given: "storage:app", candidates: ["read:user:bitbucket"], want: undefined },
    { given: "read:user:jira", candidates: ["read:user.property:jira"], want: undefined },
    { given: "read:user:jira", candidates: ["read:user:jira"], want: undefined },
    { given: "read:jira-work", candidates: ["read:jira-work", "read:user:jira"], want: undefined },
  ])("$given among $candidates is $want", ({ given, candidates, want }) => {
    expect(keyedEquivalent(given, candidates)).toBe(want);
    expect(oracleEquivalent(given, candidates)).toBe(want);
  });
});

describe("checkEndpoint's other-product hints", () => {
  it("names each held scope once, with the first equivalent in the missing scopes' order, in held order", () => {
    // Two missing scopes under one key (the profile scopes'), and held scopes in an order of their own.
    const user = endpoint("bitbucket", "GET", "/2.0/user", [
      alt(["read:user:bitbucket", "read:workspace:bitbucket"]),
      alt(["read:user:jira", "read:workspace:bitbucket"]),
    ]);
    const check = checkEndpoint(user, new Set(["read:workspace:jira", "read:account", "read:me"]));
    expect(check.hints).toEqual([
      "`read:workspace:jira` is a Jira scope, not a Bitbucket scope: it does not count here; Bitbucket's is `read:workspace:bitbucket`, with `read:user:bitbucket`.",
      "`read:account` is a scope of the User Identity API (Atlassian account profiles), not a Bitbucket scope: it does not count here; Bitbucket's is `read:user:bitbucket`, with `read:workspace:bitbucket`.",
      "`read:me` is a scope of the User Identity API (GET https://api.atlassian.com/me), not a Bitbucket scope: it does not count here; Bitbucket's is `read:user:bitbucket`, with `read:workspace:bitbucket`.",
    ]);
  });
});

describe("other-product hints name only real scopes", () => {
  it("with isKnown, a held name no product has is not called another product's scope", () => {
    const pullRequests = endpoint("bitbucket", "GET", "/2.0/pullrequests/{selected_user}", [
      alt(["read:pullrequest:bitbucket"]),
    ]);
    const held = new Set(["read:pullrequest:jira", "read:pullrequest:confluence"]);
    // Made up for the test: which of the two names counts as real.
    const known = (scope: string) => scope === "read:pullrequest:confluence";
    expect(checkEndpoint(pullRequests, held, undefined, known).hints).toEqual([
      "`read:pullrequest:confluence` is a Confluence scope, not a Bitbucket scope: it does not count here; Bitbucket's is `read:pullrequest:bitbucket`.",
    ]);
    expect(checkEndpoint(pullRequests, held).hints).toHaveLength(2);
  });
});

describe("the bundled snapshot: each endpoint's other-product hints as each held scope's finder gives them", () => {
  it("names the same held scopes, in held order, with the same equivalents", async () => {
    const shards = await snapshotShards();
    const catalog = CatalogIndex.build({
      version: "v",
      publishedAt: "p",
      products: Object.fromEntries(Object.values(shards).map((shard) => [shard.product, shard])) as Record<
        Product,
        (typeof shards)[string]
      >,
    });
    const names = [...new Set(Object.values(shards).flatMap((shard) => shard.scopes.map((scope) => scope.name)))];
    // Granular scopes that exist in several products, so that held sets have equivalents to find.
    const shared = names.filter((name) =>
      names.some((other) => other !== name && keyedEquivalent(name, [other]) !== undefined),
    );
    expect(shared.length).toBeGreaterThan(20);
    const next = random(15);
    let hinted = 0;
    for (let round = 0; round < 12; round++) {
      const held = new Set<string>(["read:me", "read:account"].filter(() => next() < 0.5));
      while (held.size < 10 + round * 3) {
        const pool = next() < 0.7 ? shared : names;
        held.add(pool[Math.floor(next() * pool.length)]!);
      }
      for (const endpoint of catalog.endpoints) {
        const check = checkEndpoint(endpoint, held);
        const got = check.hints.flatMap((hint) => {
          const match = HINT.exec(hint);
          return match ? [[match[1], match[2]]] : [];
        });
        let want: string[][] = [];
        if (check.satisfied === false && check.missing.length > 0) {
          const missing = [...new Set(check.alternatives.flatMap((alternative) => alternative.missing))];
          want = [...held].flatMap((have) => {
            if (registryProductOf(have) === endpoint.product) return [];
            const equivalent = oracleEquivalent(have, missing);
            return equivalent ? [[have, equivalent]] : [];
          });
        }
        expect(got, `${endpoint.method} ${endpoint.path} holding ${[...held].join(" ")}`).toEqual(want);
        hinted += got.length;
      }
    }
    expect(hinted).toBeGreaterThan(500);
  });
});
