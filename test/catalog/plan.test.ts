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
    const plan = planScopes(endpoints, { nodeBudget: 5 });
    expect(plan.optimal).toBe(false);
    expect(plan.lowerBound).toBeLessThanOrEqual(plan.scopes.length);
    expect(plan.lowerBound).toBeGreaterThan(0);
    expect(plan.choices.every((choice) => choice === 0 || choice === 1)).toBe(true);
    const exact = planScopes(endpoints);
    expect(exact.optimal).toBe(true);
    expect(exact.scopes.length).toBeLessThanOrEqual(plan.scopes.length);
    expect(exact.scopes.length).toBeGreaterThanOrEqual(plan.lowerBound);
  });
});
