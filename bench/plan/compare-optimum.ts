/**
 * Two planners on the same cases, for a change to src/catalog/plan.ts meant to search less: the
 * optimum must be the same (size, non-preferred count, `optimal`, `lowerBound`), while nodes, work
 * and, among equally good plans, the one chosen may differ. The other planner is given a huge work
 * budget, so it is exact; this tree runs with the budget the case names. Then the nodes and work of
 * both on the hill-climbed set and on random sets of the catalog, each preference:
 *
 *   git show <commit>:src/catalog/plan.ts > /tmp/plan-before.ts   (fix its "./schema" import)
 *   npx tsx bench/plan/compare-optimum.ts /tmp/plan-before.ts
 *
 * Exits 1 at the first difference in the optimum, or at a plan said optimal that is not.
 */
import { resolve } from "node:path";
import { planScopes, type Preference } from "../../src/catalog/plan";
import { prng, shuffled } from "../lib/stats";
import { scopedEndpoints, setEndpoints } from "./catalog-endpoints";
import { type Case, random, randomCase } from "./random-cases";

type Planner = typeof planScopes;

const against = process.argv[2];
if (!against) throw new Error("usage: compare-optimum.ts <planner module>");
const other = ((await import(resolve(against))) as { planScopes: Planner }).planScopes;
const EXACT = 1e12;

const penaltyOf = (endpoints: Case, choices: number[], prefer: Preference) =>
  prefer === "fewest"
    ? 0
    : choices.filter((choice, at) => choice >= 0 && endpoints[at]!.alternatives[choice]!.kind !== prefer).length;

let cases = 0;
/** Cases within the default budget, and those of them where this tree chose as the other planner. */
let unbudgeted = 0;
let sameChoices = 0;
const check = (endpoints: Case, prefer: Preference, workBudget: number | undefined, label: string) => {
  const mine = planScopes(endpoints, { prefer, workBudget });
  const exact = other(endpoints, { prefer, workBudget: EXACT });
  const fail = (why: string) => {
    console.log(`${why} on ${label}:\n  this tree: ${JSON.stringify(mine).slice(0, 400)}`);
    console.log(`  exact:     ${JSON.stringify(exact).slice(0, 400)}`);
    process.exit(1);
  };
  if (!exact.optimal) fail("the other planner did not finish");
  if (mine.work > (workBudget ?? Number.POSITIVE_INFINITY)) fail("over the budget");
  if (mine.lowerBound > exact.scopes.length) fail("a lower bound above the optimum");
  const got = { size: mine.scopes.length, penalty: penaltyOf(endpoints, mine.choices, prefer) };
  const want = { size: exact.scopes.length, penalty: penaltyOf(endpoints, exact.choices, prefer) };
  if (mine.optimal) {
    if (got.size !== want.size || got.penalty !== want.penalty) fail("a different optimum");
    if (mine.lowerBound !== want.size) fail("a proven plan whose lower bound is not its size");
  }
  if (workBudget === undefined) {
    // Within the default budget, whatever the other planner proved within it, this one must too.
    const before = other(endpoints, { prefer });
    if (before.optimal && !mine.optimal) fail("no proof where the other planner had one");
    if (before.lowerBound > mine.lowerBound && !mine.optimal) fail("a weaker lower bound");
    unbudgeted++;
    if (JSON.stringify(mine.choices) === JSON.stringify(before.choices)) sameChoices++;
  }
  cases++;
};

const preferences = ["fewest", "granular", "classic"] as const;
for (const prefer of preferences) {
  for (let seed = 1; seed <= 3000; seed++)
    check(randomCase(seed, seed % 2 === 0), prefer, undefined, `${prefer} seed ${seed}`);
  for (const workBudget of [50, 500, 5000, 50_000])
    for (let seed = 1; seed <= 300; seed++)
      check(randomCase(seed, true), prefer, workBudget, `${prefer} seed ${seed} budget ${workBudget}`);
}
const catalog = scopedEndpoints();
const worst = setEndpoints(new URL("granular-worst.txt", import.meta.url), catalog);
for (const prefer of preferences)
  for (const workBudget of [undefined, 1000, 30_000, 100_000, 300_000])
    check(worst, prefer, workBudget, `granular-worst.txt ${prefer} budget ${workBudget ?? "default"}`);
const all = [...catalog.values()];
for (let seed = 1; seed <= 60; seed++) {
  const next = random(seed);
  const subset = Array.from({ length: 50 + Math.floor(next() * 400) }, () => all[Math.floor(next() * all.length)]!);
  for (const prefer of preferences) check(subset, prefer, undefined, `catalog subset ${seed} ${prefer}`);
}
/** Random sets drawn as bench/rows/queries.ts draws /plan's (`planRequest`), from this catalog. */
const drawn = (count: number) => shuffled(prng(100 + count), all).slice(0, count);
for (const count of [100, 500, 1000, 1500])
  for (const prefer of preferences) check(drawn(count), prefer, undefined, `${count} drawn ${prefer}`);
console.log(
  `same optimum on ${cases} cases; within the default budget, the same choices on ${sameChoices} of ${unbudgeted} (the others are ties)`,
);

console.log("set, prefer: nodes and work, the other planner -> this tree");
for (const [label, endpoints] of [
  ["granular-worst.txt", worst],
  ["100 drawn", drawn(100)],
  ["500 drawn", drawn(500)],
  ["1000 drawn", drawn(1000)],
  ["1500 drawn", drawn(1500)],
] as const)
  for (const prefer of preferences) {
    const before = other(endpoints, { prefer });
    const after = planScopes(endpoints, { prefer });
    console.log(
      `${label}, ${prefer}: ${before.nodes} -> ${after.nodes} nodes, ${before.work} -> ${after.work} work (${after.scopes.length} scopes, optimal ${after.optimal})`,
    );
  }
