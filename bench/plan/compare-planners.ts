/**
 * Two planners on the same cases: their answers, nodes and work must be byte-identical. For a change
 * to src/catalog/plan.ts meant to keep its search as it was (the eleventh pass's frames), against the
 * planner before it:
 *
 *   git show b762026:src/catalog/plan.ts > /tmp/plan-before.ts
 *   npx tsx bench/plan/compare-planners.ts /tmp/plan-before.ts
 *
 * Cases: random small and 60-endpoint sets (with and without budgets), the hill-climbed set at five
 * budgets, and random subsets of the catalog, each preference. Exits 1 at the first difference.
 */
import { resolve } from "node:path";
import { planScopes } from "../../src/catalog/plan";
import { scopedEndpoints, setEndpoints } from "./catalog-endpoints";
import { type Case, random, randomCase } from "./random-cases";

type Planner = typeof planScopes;

const against = process.argv[2];
if (!against) throw new Error("usage: compare-planners.ts <planner module>");
const other = ((await import(resolve(against))) as { planScopes: Planner }).planScopes;

let cases = 0;
const check = (endpoints: Case, options: Parameters<Planner>[1], label: string) => {
  const mine = JSON.stringify(planScopes(endpoints, options));
  const theirs = JSON.stringify(other(endpoints, options));
  if (mine !== theirs) {
    console.log(`differ on ${label}:\n  this tree: ${mine.slice(0, 400)}\n  other:     ${theirs.slice(0, 400)}`);
    process.exit(1);
  }
  cases++;
};

const preferences = ["fewest", "granular", "classic"] as const;
for (const prefer of preferences) {
  for (let seed = 1; seed <= 3000; seed++)
    check(randomCase(seed, seed % 2 === 0), { prefer }, `${prefer} seed ${seed}`);
  for (const workBudget of [50, 500, 5000, 50_000])
    for (let seed = 1; seed <= 300; seed++)
      check(randomCase(seed, true), { prefer, workBudget }, `${prefer} seed ${seed} budget ${workBudget}`);
}
const catalog = scopedEndpoints();
const worst = setEndpoints(new URL("granular-worst.txt", import.meta.url), catalog);
for (const prefer of preferences)
  for (const workBudget of [undefined, 1000, 30_000, 100_000, 300_000])
    check(worst, { prefer, workBudget }, `granular-worst.txt ${prefer} budget ${workBudget ?? "default"}`);
const all = [...catalog.values()];
for (let seed = 1; seed <= 60; seed++) {
  const next = random(seed);
  const subset = Array.from({ length: 50 + Math.floor(next() * 400) }, () => all[Math.floor(next() * all.length)]!);
  for (const prefer of preferences) check(subset, { prefer }, `catalog subset ${seed} ${prefer}`);
}
console.log(`identical on ${cases} cases`);
