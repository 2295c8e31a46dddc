/**
 * Nodes, work and time of the planner on `METHOD path` sets, for each preference, with the size and
 * non-preferred count of the plan found; optionally against another planner module (an older
 * version given a huge budget) to check both reach the same optimum.
 *
 *   npx tsx bench/plan/measure.ts <set file>... [--against <planner module>]
 */
import { resolve } from "node:path";
import type { Endpoint } from "../../src/catalog/schema";
import { planScopes, type Preference } from "../../src/catalog/plan";
import { scopedEndpoints, setEndpoints } from "./catalog-endpoints";

type Planner = (
  endpoints: readonly Pick<Endpoint, "alternatives">[],
  options: { prefer?: Preference; nodeBudget?: number; workBudget?: number },
) => { nodes: number; optimal: boolean; scopes: string[]; choices: number[]; work?: number };

const args = process.argv.slice(2);
const against = args.includes("--against") ? args[args.indexOf("--against") + 1] : undefined;
const files = args.filter((arg, at) => arg !== "--against" && args[at - 1] !== "--against");
const other = against ? ((await import(resolve(against))) as { planScopes: Planner }).planScopes : undefined;
const catalog = scopedEndpoints();

const penaltyOf = (endpoints: Endpoint[], choices: number[], prefer: Preference) =>
  prefer === "fewest" ? 0 : choices.filter((choice, at) => endpoints[at]!.alternatives[choice]!.kind !== prefer).length;

/** CPU time (the machine is shared, so wall time is noise), the least of a few warm runs. */
const timed = (planner: Planner, endpoints: Endpoint[], options: Parameters<Planner>[1]) => {
  let plan = planner(endpoints, options); // warm
  let ms = Number.POSITIVE_INFINITY;
  for (let round = 0; round < 7; round++) {
    const start = process.cpuUsage();
    plan = planner(endpoints, options);
    const spent = process.cpuUsage(start);
    ms = Math.min(ms, (spent.user + spent.system) / 1000);
  }
  return { plan, ms };
};

for (const file of files) {
  const endpoints = setEndpoints(file, catalog);
  for (const prefer of ["fewest", "granular", "classic"] as const) {
    const { plan, ms } = timed(planScopes as Planner, endpoints, { prefer });
    const row = [
      `${file} (${endpoints.length}) ${prefer}:`,
      `new ${plan.scopes.length} scopes/${penaltyOf(endpoints, plan.choices, prefer)} non-preferred`,
      `optimal ${plan.optimal}, ${plan.nodes} nodes, ${plan.work} work, ${ms.toFixed(1)} ms`,
      plan.work && ms > 0 ? `(${Math.round(plan.work! / ms)} work/ms)` : "",
    ];
    if (other) {
      const old = timed(other, endpoints, { prefer });
      const exact = other(endpoints, { prefer, nodeBudget: 50_000_000 });
      row.push(
        `| old default: ${old.plan.scopes.length}/${penaltyOf(endpoints, old.plan.choices, prefer)} optimal ${old.plan.optimal}, ${old.plan.nodes} nodes, ${old.ms.toFixed(1)} ms`,
        `| old unbounded: ${exact.scopes.length}/${penaltyOf(endpoints, exact.choices, prefer)} optimal ${exact.optimal}, ${exact.nodes} nodes`,
      );
    }
    console.log(row.join(" "));
  }
}
