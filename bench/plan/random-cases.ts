/** Random planner cases, shared by compare-planners.ts and compare-optimum.ts. */
import type { Alternative, Endpoint } from "../../src/catalog/schema";

export type Case = Pick<Endpoint, "alternatives">[];

/** The same PRNG as test/catalog/plan.test.ts, so a case can be replayed from its seed. */
export function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

export function randomCase(seed: number, large: boolean): Case {
  const next = random(seed);
  const pool = Array.from({ length: 3 + Math.floor(next() * (large ? 40 : 8)) }, (_, index) =>
    index % 3 === 0 ? `classic${index}` : `read:thing${index}:jira`,
  );
  return Array.from({ length: 1 + Math.floor(next() * (large ? 60 : 7)) }, () => ({
    alternatives: Array.from({ length: Math.floor(next() * 4) }, (): Alternative => {
      const picked = Array.from({ length: 1 + Math.floor(next() * 4) }, () => pool[Math.floor(next() * pool.length)]!);
      return {
        kind: next() < 0.5 ? "classic" : "granular",
        state: "Current",
        scopes: [...new Set(picked)].sort(),
        origins: ["security"],
      };
    }),
  }));
}
