/** The planner against brute force on many random small cases, plus the properties users rely on. */
import { describe, expect, it } from "vitest";
import type { Alternative, AlternativeKind } from "../../src/catalog/schema";
import { planScopes, type Preference } from "../../src/catalog/plan";

type Case = { alternatives: Alternative[] }[];

/** A small deterministic PRNG, so a failing case can be replayed from its seed. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

function randomCase(seed: number): Case {
  const next = random(seed);
  const pool = Array.from({ length: 3 + Math.floor(next() * 8) }, (_, index) =>
    index % 3 === 0 ? `classic${index}` : `read:thing${index}:jira`,
  );
  const endpoints = 1 + Math.floor(next() * 7);
  return Array.from({ length: endpoints }, () => ({
    alternatives: Array.from({ length: Math.floor(next() * 4) }, () => {
      const scopes = [
        ...new Set(Array.from({ length: 1 + Math.floor(next() * 3) }, () => pool[Math.floor(next() * pool.length)]!)),
      ].sort();
      const kind: AlternativeKind = next() < 0.5 ? "classic" : "granular";
      return { kind, state: next() < 0.7 ? "Current" : "Beta", scopes, origins: ["security" as const] };
    }),
  }));
}

/** Every combination of choices: the true optimum as (size, penalty). */
function bruteForce(endpoints: Case, prefer: Preference): { size: number; penalty: number } {
  let best = { size: Number.POSITIVE_INFINITY, penalty: Number.POSITIVE_INFINITY };
  const walk = (index: number, scopes: Set<string>, penalty: number) => {
    if (index === endpoints.length) {
      if (scopes.size < best.size || (scopes.size === best.size && penalty < best.penalty))
        best = { size: scopes.size, penalty };
      return;
    }
    const alternatives = endpoints[index]!.alternatives;
    if (alternatives.length === 0) return walk(index + 1, scopes, penalty);
    for (const alternative of alternatives) {
      walk(
        index + 1,
        new Set([...scopes, ...alternative.scopes]),
        penalty + (prefer === "fewest" || alternative.kind === prefer ? 0 : 1),
      );
    }
  };
  walk(0, new Set(), 0);
  return best;
}

function evaluate(endpoints: Case, choices: number[], prefer: Preference) {
  const scopes = new Set<string>();
  let penalty = 0;
  choices.forEach((choice, index) => {
    const alternatives = endpoints[index]!.alternatives;
    if (alternatives.length === 0) {
      expect(choice).toBe(-1);
      return;
    }
    const alternative = alternatives[choice]!;
    expect(alternative, `endpoint ${index} choice ${choice}`).toBeDefined();
    for (const scope of alternative.scopes) scopes.add(scope);
    if (prefer !== "fewest" && alternative.kind !== prefer) penalty++;
  });
  return { size: scopes.size, penalty, scopes: [...scopes].sort() };
}

describe("planScopes", () => {
  for (const prefer of ["fewest", "granular", "classic"] as const) {
    it(`matches brute force on 1,500 random small cases (prefer ${prefer})`, () => {
      for (let seed = 1; seed <= 1500; seed++) {
        const endpoints = randomCase(seed);
        const plan = planScopes(endpoints, { prefer });
        const got = evaluate(endpoints, plan.choices, prefer);
        const want = bruteForce(endpoints, prefer);
        expect({ seed, size: got.size, penalty: got.penalty }).toEqual({
          seed,
          ...(want.size === Number.POSITIVE_INFINITY ? { size: 0, penalty: 0 } : want),
        });
        expect(plan.scopes).toEqual(got.scopes);
        expect(plan.optimal).toBe(true);
        expect(plan.lowerBound).toBe(plan.scopes.length);
      }
    });
  }

  it("is deterministic: the same input gives the same plan", () => {
    const endpoints = randomCase(42);
    expect(planScopes(endpoints)).toEqual(planScopes(endpoints));
  });

  it("picks the classic scope shared by many Jira endpoints over their granular sets", () => {
    const jira = (granular: string[]): { alternatives: Alternative[] } => ({
      alternatives: [
        { kind: "classic", state: "Current", scopes: ["read:jira-work"], origins: ["security"] },
        { kind: "granular", state: "Beta", scopes: granular, origins: ["x-atlassian-oauth2-scopes"] },
      ],
    });
    const plan = planScopes([
      jira(["read:issue:jira"]),
      jira(["read:comment:jira", "read:user:jira"]),
      jira(["read:project:jira"]),
    ]);
    expect(plan.scopes).toEqual(["read:jira-work"]);
    expect(plan.choices).toEqual([0, 0, 0]);
    // With one endpoint, both sets have one scope: the tie goes to the preferred kind.
    expect(planScopes([jira(["read:issue:jira"])], { prefer: "granular" }).scopes).toEqual(["read:issue:jira"]);
    expect(planScopes([jira(["read:issue:jira"])], { prefer: "classic" }).scopes).toEqual(["read:jira-work"]);
  });

  it("never trades a scope for the preferred kind: size first, then preference", () => {
    // All granular costs three scopes; the classic scope serves every endpoint alone.
    const endpoints = ["read:issue:jira", "read:comment:jira", "read:project:jira"].map((granular) => ({
      alternatives: [
        { kind: "classic" as const, state: "Current", scopes: ["read:jira-work"], origins: ["security" as const] },
        { kind: "granular" as const, state: "Current", scopes: [granular], origins: ["security" as const] },
      ],
    }));
    for (const prefer of ["fewest", "granular", "classic"] as const)
      expect(planScopes(endpoints, { prefer }).scopes, prefer).toEqual(["read:jira-work"]);
  });

  it("counts the preference per endpoint, also when endpoints share their alternatives", () => {
    // Either the two identical endpoints or the third one gives up granular at the same size:
    // the third, since that is one non-granular endpoint instead of two.
    const alternative = (kind: AlternativeKind, scope: string): Alternative => ({
      kind,
      state: "Current",
      scopes: [scope],
      origins: ["security"],
    });
    const twin = { alternatives: [alternative("classic", "x"), alternative("granular", "y")] };
    const other = { alternatives: [alternative("classic", "y"), alternative("granular", "x")] };
    const plan = planScopes([twin, twin, other], { prefer: "granular" });
    expect(plan).toMatchObject({ scopes: ["y"], choices: [1, 1, 0], optimal: true });
  });

  it("keeps an alternative that adds only some of what a non-preferred choice's preferred one lacks", () => {
    const endpoint = (classic: string, granular: string[]) => ({
      alternatives: [
        { kind: "classic" as const, state: "Current", scopes: [classic], origins: ["security" as const] },
        { kind: "granular" as const, state: "Current", scopes: granular, origins: ["security" as const] },
      ],
    });
    // The smallest plans have two scopes. The best, {c1, g1}, gives the second endpoint g1 while the
    // third stays classic though its granular set has g1 too: it also needs g3. A search that took
    // "g1 is added" for "the third endpoint could be granular" would drop g1 and settle on {c1, c2}.
    const endpoints = [endpoint("c1", ["g2", "g3"]), endpoint("c2", ["g1"]), endpoint("c1", ["g1", "g3"])];
    expect(planScopes(endpoints, { prefer: "granular" })).toMatchObject({
      scopes: ["c1", "g1"],
      choices: [0, 1, 0],
      optimal: true,
    });
  });

  it("takes every forced decision at once: endpoints left one alternative add no search nodes", () => {
    const alternative = (kind: AlternativeKind, scopes: string[]): Alternative => ({
      kind,
      state: "Current",
      scopes,
      origins: ["security"],
    });
    // The size pass settles on read:jira-work + write:jira-work (classic first among equals); the
    // preference pass can swap write:jira-work for read:issue:jira and make the first two granular,
    // but the `forced` endpoints' granular sets would add two scopes each: classic is their only choice.
    const endpoints = (forced: number) => [
      {
        alternatives: [
          alternative("classic", ["read:jira-work", "write:jira-work"]),
          alternative("granular", ["read:jira-work", "read:issue:jira"]),
        ],
      },
      { alternatives: [alternative("classic", ["write:jira-work"]), alternative("granular", ["read:issue:jira"])] },
      ...Array.from({ length: forced }, (_, index) => ({
        alternatives: [
          alternative("classic", ["read:jira-work"]),
          alternative("granular", ["read:jira-work", `read:thing${index}:jira`, `write:thing${index}:jira`]),
        ],
      })),
    ];
    const few = planScopes(endpoints(10), { prefer: "granular" });
    const many = planScopes(endpoints(40), { prefer: "granular" });
    for (const plan of [few, many])
      expect(plan).toMatchObject({ scopes: ["read:issue:jira", "read:jira-work"], optimal: true });
    expect(many.choices).toEqual([1, 1, ...Array<number>(40).fill(0)]);
    // One node took all forty (one node each would be 46 here).
    expect(many.nodes).toBe(few.nodes);
    expect(many.nodes).toBeLessThan(10);
  });

  it("says when the budget ran out, with the best plan found and a lower bound", () => {
    const endpoints = Array.from({ length: 40 }, (_, index) => ({
      alternatives: [
        {
          kind: "granular" as const,
          state: "Current",
          scopes: [`a${index % 7}:x:jira`, `b${index % 5}:x:jira`],
          origins: ["security" as const],
        },
        {
          kind: "granular" as const,
          state: "Current",
          scopes: [`c${index % 6}:x:jira`, `a${(index + 1) % 7}:x:jira`],
          origins: ["security" as const],
        },
      ],
    }));
    const plan = planScopes(endpoints, { workBudget: 5 });
    expect(plan.optimal).toBe(false);
    expect(plan.work).toBeLessThanOrEqual(5);
    expect(plan.lowerBound).toBeLessThanOrEqual(plan.scopes.length);
    expect(plan.lowerBound).toBeGreaterThan(0);
    expect(plan.choices.every((choice) => choice === 0 || choice === 1)).toBe(true);
    const exact = planScopes(endpoints);
    expect(exact.optimal).toBe(true);
    expect(exact.scopes.length).toBeLessThanOrEqual(plan.scopes.length);
    expect(exact.scopes.length).toBeGreaterThanOrEqual(plan.lowerBound);
  });

  describe("work budget", () => {
    /** 40-70 endpoints with 2-4 alternatives over 25-40 scopes: too many for brute force, hard to bound. */
    function largeCase(seed: number): Case {
      const next = random(seed);
      const pool = Array.from({ length: 25 + Math.floor(next() * 16) }, (_, index) => `s${index}`);
      return Array.from({ length: 40 + Math.floor(next() * 31) }, () => ({
        alternatives: Array.from({ length: 2 + Math.floor(next() * 3) }, () => ({
          kind: (next() < 0.5 ? "classic" : "granular") as AlternativeKind,
          state: "Current",
          scopes: [
            ...new Set(
              Array.from({ length: 1 + Math.floor(next() * 3) }, () => pool[Math.floor(next() * pool.length)]!),
            ),
          ],
          origins: ["security" as const],
        })),
      }));
    }

    for (const prefer of ["fewest", "granular", "classic"] as const) {
      it(`stays within any budget and says optimal only when it is (prefer ${prefer})`, () => {
        const outcomes = { optimal: 0, stopped: 0 };
        for (let seed = 1; seed <= 12; seed++) {
          const endpoints = largeCase(seed);
          const exact = planScopes(endpoints, { prefer, workBudget: 1e9 });
          expect(exact.optimal, `seed ${seed}`).toBe(true);
          const want = evaluate(endpoints, exact.choices, prefer);
          for (const workBudget of [0, 50, 1_000, 20_000, 400_000]) {
            const plan = planScopes(endpoints, { prefer, workBudget });
            const got = evaluate(endpoints, plan.choices, prefer);
            const at = `seed ${seed}, budget ${workBudget}`;
            expect(plan.work, at).toBeLessThanOrEqual(workBudget);
            expect(plan.scopes, at).toEqual(got.scopes);
            expect(plan.lowerBound, at).toBeLessThanOrEqual(want.size);
            if (plan.optimal)
              expect({ size: got.size, penalty: got.penalty }, at).toEqual({ size: want.size, penalty: want.penalty });
            else expect(got.size > want.size || got.penalty >= want.penalty, at).toBe(true);
            if (plan.lowerBound === got.size) expect(got.size, at).toBe(want.size);
            outcomes[plan.optimal ? "optimal" : "stopped"]++;
          }
        }
        // Both sides of the flag are exercised, or the cases above prove nothing about it.
        expect(outcomes.optimal).toBeGreaterThan(5);
        expect(outcomes.stopped).toBeGreaterThan(5);
      });
    }
  });
});
